-- 0001_core: municipality, areas, teams, accounts, sessions, audit trail.
-- Portable subset: INTEGER PRIMARY KEY ids, TEXT, BLOB, integer unix times.
-- Every tenant table carries the municipality code (gemeente, CBS 4 digits).

CREATE TABLE settings (
    gemeente   TEXT NOT NULL,
    name       TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (gemeente, name)
);

CREATE TABLE municipality (
    gemeente   TEXT PRIMARY KEY CHECK (length(gemeente) = 4),
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- Districts (wijk) and neighbourhoods (buurt) with CBS codes.
CREATE TABLE area (
    id         INTEGER PRIMARY KEY,
    gemeente   TEXT NOT NULL REFERENCES municipality(gemeente),
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('wijk', 'buurt')),
    parent_id  INTEGER REFERENCES area(id),
    UNIQUE (gemeente, code)
);

CREATE TABLE team (
    id         INTEGER PRIMARY KEY,
    gemeente   TEXT NOT NULL REFERENCES municipality(gemeente),
    name       TEXT NOT NULL,
    area_id    INTEGER REFERENCES area(id),
    UNIQUE (gemeente, name)
);

CREATE TABLE account (
    id             INTEGER PRIMARY KEY,
    gemeente       TEXT NOT NULL REFERENCES municipality(gemeente),
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    email          TEXT NOT NULL DEFAULT '',
    role           TEXT NOT NULL CHECK (role IN ('resident', 'network', 'generalist', 'teamlead',
                                                 'policy', 'provider', 'community', 'admin')),
    team_id        INTEGER REFERENCES team(id),
    password_hash  TEXT NOT NULL,
    totp_secret    BLOB,              -- secretbox(nonce || ciphertext) of the raw secret
    totp_enabled   INTEGER NOT NULL DEFAULT 0,
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   INTEGER NOT NULL DEFAULT 0,
    disabled       INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX account_gemeente ON account(gemeente, role);

CREATE TABLE recovery_code (
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    code_hash  BLOB NOT NULL,          -- keyed BLAKE2b of the normalised code
    used_at    INTEGER,
    PRIMARY KEY (account_id, code_hash)
);

-- Session tokens are 256 random bits; only their BLAKE2b hash is stored.
CREATE TABLE session (
    token_hash   BLOB PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    gemeente     TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('mfa', 'enrol', 'full')),
    csrf         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    origin       TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX session_account ON session(account_id);

-- Audit trail: ids are consecutive from 1 and hash-chained (see auth/audit.h).
CREATE TABLE audit_event (
    id           INTEGER PRIMARY KEY,
    ts           INTEGER NOT NULL,      -- unix time in milliseconds, UTC
    gemeente     TEXT NOT NULL DEFAULT '',
    actor_id     INTEGER NOT NULL DEFAULT 0,
    actor        TEXT NOT NULL DEFAULT '',
    on_behalf_of TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL DEFAULT '',
    object_id    TEXT NOT NULL DEFAULT '',
    result       TEXT NOT NULL,
    origin       TEXT NOT NULL DEFAULT '',
    detail       TEXT NOT NULL DEFAULT '',
    prev_hash    BLOB NOT NULL,
    hash         BLOB NOT NULL
);
CREATE INDEX audit_event_ts ON audit_event(ts);
CREATE INDEX audit_event_actor ON audit_event(actor, ts);
CREATE INDEX audit_event_object ON audit_event(object_type, object_id);

CREATE TABLE audit_head (
    one        INTEGER PRIMARY KEY CHECK (one = 1),
    last_id    INTEGER NOT NULL,
    last_hash  BLOB NOT NULL,
    mac        BLOB NOT NULL            -- keyed BLAKE2b over (last_id, last_hash)
);
