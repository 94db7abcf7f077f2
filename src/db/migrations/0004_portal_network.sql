-- 0004_portal_network: the resident portal and the household's network.
-- Invitations are one-time links (only the token's hash is stored) that let
-- a resident or a network member create their own account.

CREATE TABLE network_member (
    id           INTEGER PRIMARY KEY,
    gemeente     TEXT NOT NULL REFERENCES municipality(gemeente),
    household_id INTEGER NOT NULL REFERENCES household(id),
    name         TEXT NOT NULL,
    relation     TEXT NOT NULL DEFAULT '',       -- e.g. 'zus', 'buurman', 'vriendin'
    roles        TEXT NOT NULL DEFAULT '',       -- comma list: mantelzorger, mentor, buur, vrijwilliger, ...
    phone        TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    share_plan   INTEGER NOT NULL DEFAULT 0,     -- the resident shares the plan's actions with them
    account_id   INTEGER REFERENCES account(id), -- once they accepted an invitation
    created_at   INTEGER NOT NULL,
    ended_at     INTEGER
);
CREATE INDEX network_member_household ON network_member(household_id);
CREATE INDEX network_member_account ON network_member(account_id);

CREATE TABLE invite (
    id                INTEGER PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    kind              TEXT NOT NULL CHECK (kind IN ('resident', 'network')),
    household_id      INTEGER NOT NULL REFERENCES household(id),
    person_id         INTEGER REFERENCES person(id),          -- kind resident
    network_member_id INTEGER REFERENCES network_member(id),  -- kind network
    token_hash        BLOB NOT NULL UNIQUE,
    created_by        INTEGER REFERENCES account(id),
    created_at        INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL,
    used_at           INTEGER,
    account_id        INTEGER REFERENCES account(id)          -- the account it created
);

-- Network meetings (family group conference, DOMAIN.md §6).
CREATE TABLE network_meeting (
    id            INTEGER PRIMARY KEY,
    gemeente      TEXT NOT NULL REFERENCES municipality(gemeente),
    household_id  INTEGER NOT NULL REFERENCES household(id),
    held_on       TEXT NOT NULL,
    participants  TEXT NOT NULL DEFAULT '',
    outcome       TEXT NOT NULL DEFAULT '',   -- the plan the network made in its own time
    safety        TEXT NOT NULL DEFAULT '',   -- conditions set by the authorised professional
    safety_by     INTEGER REFERENCES account(id),
    followup_deadline_id INTEGER REFERENCES deadline(id),
    created_by    INTEGER REFERENCES account(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX network_meeting_household ON network_meeting(household_id);

-- Comments on the plan by the resident, the network or professionals.
CREATE TABLE plan_comment (
    id           INTEGER PRIMARY KEY,
    gemeente     TEXT NOT NULL REFERENCES municipality(gemeente),
    household_id INTEGER NOT NULL REFERENCES household(id),
    version      INTEGER,                       -- the plan version it refers to
    account_id   INTEGER NOT NULL REFERENCES account(id),
    body         TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX plan_comment_household ON plan_comment(household_id, created_at);
