-- 0003_households: persons, addresses, households and their members, the one
-- coordinator (with history), requests (meldingen) and legal deadlines,
-- assessments, the versioned household plan, and break-the-glass access.
-- Dates are TEXT 'YYYY-MM-DD'; moments are unix seconds.

CREATE TABLE person (
    id           INTEGER PRIMARY KEY,
    gemeente     TEXT NOT NULL REFERENCES municipality(gemeente),
    bsn_sealed   BLOB,                  -- secretbox of the 9 digits (core/keys.h), NULL when unknown
    bsn_hash     BLOB,                  -- keyed BLAKE2b of the 9 digits, for lookup only
    given_names  TEXT NOT NULL,
    prefix       TEXT NOT NULL DEFAULT '',   -- tussenvoegsel, e.g. 'van der'
    family_name  TEXT NOT NULL,
    birth_date   TEXT,
    gender       TEXT NOT NULL DEFAULT 'onbekend' CHECK (gender IN ('man', 'vrouw', 'anders', 'onbekend')),
    phone        TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (gemeente, bsn_hash)
);
CREATE INDEX person_name ON person(gemeente, family_name, given_names);
CREATE INDEX person_birth ON person(gemeente, birth_date);

CREATE TABLE address (
    id             INTEGER PRIMARY KEY,
    gemeente       TEXT NOT NULL REFERENCES municipality(gemeente),
    postcode       TEXT NOT NULL,        -- '1234AB'
    house_number   INTEGER NOT NULL,
    house_addition TEXT NOT NULL DEFAULT '',
    street         TEXT NOT NULL DEFAULT '',
    city           TEXT NOT NULL DEFAULT '',
    area_id        INTEGER REFERENCES area(id),   -- the buurt
    created_at     INTEGER NOT NULL,
    UNIQUE (gemeente, postcode, house_number, house_addition)
);
CREATE INDEX address_postcode ON address(gemeente, postcode);

CREATE TABLE household (
    id          INTEGER PRIMARY KEY,
    gemeente    TEXT NOT NULL REFERENCES municipality(gemeente),
    name        TEXT NOT NULL,           -- e.g. 'Huishouden De Vries'
    address_id  INTEGER REFERENCES address(id),
    team_id     INTEGER REFERENCES team(id),   -- the team of its area
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at  INTEGER NOT NULL,
    closed_at   INTEGER
);
CREATE INDEX household_team ON household(gemeente, team_id, status);

CREATE TABLE household_member (
    household_id INTEGER NOT NULL REFERENCES household(id),
    person_id    INTEGER NOT NULL REFERENCES person(id),
    relation     TEXT NOT NULL CHECK (relation IN ('hoofdbewoner', 'partner', 'kind', 'ouder', 'pleegkind',
                                                   'broer_zus', 'grootouder', 'overig')),
    since        TEXT,
    until        TEXT,
    PRIMARY KEY (household_id, person_id)
);
CREATE INDEX household_member_person ON household_member(person_id);

-- Exactly one current coordinator per household (end_at IS NULL); earlier
-- ones stay as history with the reason of each transfer.
CREATE TABLE coordinator (
    id           INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES household(id),
    account_id   INTEGER NOT NULL REFERENCES account(id),
    team_id      INTEGER REFERENCES team(id),
    start_at     INTEGER NOT NULL,
    end_at       INTEGER,
    reason       TEXT NOT NULL DEFAULT '',
    assigned_by  INTEGER REFERENCES account(id)
);
CREATE UNIQUE INDEX coordinator_current ON coordinator(household_id) WHERE end_at IS NULL;
CREATE INDEX coordinator_account ON coordinator(account_id, end_at);

-- A melding: starts the legal deadlines.
CREATE TABLE request (
    id           INTEGER PRIMARY KEY,
    gemeente     TEXT NOT NULL REFERENCES municipality(gemeente),
    household_id INTEGER NOT NULL REFERENCES household(id),
    person_id    INTEGER REFERENCES person(id),
    law          TEXT NOT NULL CHECK (law IN ('wmo', 'jeugdwet', 'participatiewet', 'onbekend')),
    channel      TEXT NOT NULL CHECK (channel IN ('telefoon', 'balie', 'email', 'brief', 'portaal', 'verwijzing', 'wijkteam')),
    question     TEXT NOT NULL,          -- in the resident's own words
    received_on  TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'nieuw' CHECK (status IN ('nieuw', 'onderzoek', 'plan', 'afgerond', 'ingetrokken')),
    created_by   INTEGER REFERENCES account(id),
    created_at   INTEGER NOT NULL,
    closed_at    INTEGER
);
CREATE INDEX request_household ON request(household_id);

CREATE TABLE deadline (
    id           INTEGER PRIMARY KEY,
    gemeente     TEXT NOT NULL REFERENCES municipality(gemeente),
    household_id INTEGER NOT NULL REFERENCES household(id),
    request_id   INTEGER REFERENCES request(id),
    kind         TEXT NOT NULL,          -- deadline_rule code (domain/calendar.h)
    start_on     TEXT NOT NULL,
    due_on       TEXT NOT NULL,
    done_on      TEXT,
    note         TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
);
CREATE INDEX deadline_open ON deadline(gemeente, done_on, due_on);
CREATE INDEX deadline_household ON deadline(household_id);

CREATE TABLE assessment (
    id           INTEGER PRIMARY KEY,
    gemeente     TEXT NOT NULL REFERENCES municipality(gemeente),
    household_id INTEGER NOT NULL REFERENCES household(id),
    person_id    INTEGER NOT NULL REFERENCES person(id),
    instrument   TEXT NOT NULL,          -- domain/instrument.h code
    scores       TEXT NOT NULL,          -- JSON object domain code -> score
    assessed_on  TEXT NOT NULL,
    assessed_by  INTEGER REFERENCES account(id),
    by_resident  INTEGER NOT NULL DEFAULT 0,
    note         TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
);
CREATE INDEX assessment_person ON assessment(person_id, instrument, assessed_on);
CREATE INDEX assessment_household ON assessment(household_id);

-- One living plan per household. Every change stores a complete new version
-- (JSON body with goals and actions) with who, when and what changed.
CREATE TABLE plan (
    id              INTEGER PRIMARY KEY,
    gemeente        TEXT NOT NULL REFERENCES municipality(gemeente),
    household_id    INTEGER NOT NULL UNIQUE REFERENCES household(id),
    current_version INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE plan_version (
    plan_id     INTEGER NOT NULL REFERENCES plan(id),
    version     INTEGER NOT NULL,
    body        TEXT NOT NULL,           -- JSON {"goals": [...], "actions": [...]}
    summary     TEXT NOT NULL,           -- what changed, in Dutch
    created_by  INTEGER REFERENCES account(id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (plan_id, version)
);

-- A resident's agreement to one version of the plan.
CREATE TABLE plan_agreement (
    plan_id     INTEGER NOT NULL REFERENCES plan(id),
    version     INTEGER NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES person(id),
    account_id  INTEGER REFERENCES account(id),  -- who recorded it (the resident, or staff on their behalf)
    agreed_at   INTEGER NOT NULL,
    PRIMARY KEY (plan_id, version, person_id)
);

-- Break the glass: access outside need-to-know, with a reason, for a limited
-- time; audited and shown to the coordinator.
CREATE TABLE break_glass (
    id           INTEGER PRIMARY KEY,
    gemeente     TEXT NOT NULL REFERENCES municipality(gemeente),
    household_id INTEGER NOT NULL REFERENCES household(id),
    account_id   INTEGER NOT NULL REFERENCES account(id),
    reason       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX break_glass_access ON break_glass(household_id, account_id, expires_at);

-- Resident accounts belong to a person.
ALTER TABLE account ADD COLUMN person_id INTEGER REFERENCES person(id);
