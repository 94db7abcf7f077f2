-- 0008_volunteers: postcode coordinates for distances, the volunteer registry
-- of the community organisation (vrijwilligerscentrale), volunteer requests on
-- plan actions (ladder level 4) and the proposals that answer them, and the
-- young person a JIM (own chosen informal mentor) belongs to.
-- Lists are comma lists of codes (src/domain/volunteer.h); dates 'YYYY-MM-DD'.

-- Coordinates of postcodes (kantel import postcodes FILE.csv), WGS84 in units
-- of 1e-7 degree (src/domain/geo.h).
CREATE TABLE postcode_geo (
    gemeente  TEXT NOT NULL REFERENCES municipality(gemeente),
    postcode  TEXT NOT NULL,                 -- '1234AB'
    lat_e7    INTEGER NOT NULL,
    lon_e7    INTEGER NOT NULL,
    source    TEXT NOT NULL DEFAULT '',      -- file name of the import, or 'demo'
    PRIMARY KEY (gemeente, postcode)
);

CREATE TABLE volunteer (
    id           INTEGER PRIMARY KEY,
    gemeente     TEXT NOT NULL REFERENCES municipality(gemeente),
    name         TEXT NOT NULL,
    phone        TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    postcode     TEXT NOT NULL DEFAULT '',   -- '1234AB' or '' when unknown
    languages    TEXT NOT NULL DEFAULT '',   -- comma list of language codes
    skills       TEXT NOT NULL DEFAULT '',   -- comma list of skill codes
    slots        TEXT NOT NULL DEFAULT '',   -- comma list of weekday/part-of-day slots ('ma-o', 'di-m', 'wo-a')
    areas        TEXT NOT NULL DEFAULT '',   -- wijken, free text (comma list)
    max_km       INTEGER NOT NULL DEFAULT 0, -- furthest the volunteer travels; 0 = no limit
    age_groups   TEXT NOT NULL DEFAULT '',   -- comma list: kind, tiener, jongvolwassene, volwassene, oudere
    vog_status   TEXT NOT NULL DEFAULT 'geen' CHECK (vog_status IN ('geen', 'aangevraagd', 'afgegeven')),
    vog_date     TEXT,                       -- date of the Verklaring Omtrent het Gedrag
    consent_on   TEXT NOT NULL,              -- the volunteer agreed to be registered
    note         TEXT NOT NULL DEFAULT '',
    active       INTEGER NOT NULL DEFAULT 1,
    created_by   INTEGER REFERENCES account(id),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX volunteer_gemeente ON volunteer(gemeente, active, name);

-- A plan action (level 4) asks for a volunteer.
CREATE TABLE volunteer_request (
    id            INTEGER PRIMARY KEY,
    gemeente      TEXT NOT NULL REFERENCES municipality(gemeente),
    household_id  INTEGER NOT NULL REFERENCES household(id),
    action_id     INTEGER NOT NULL,          -- the action's id in the household's plan body
    what          TEXT NOT NULL,
    when_text     TEXT NOT NULL DEFAULT '',
    slots         TEXT NOT NULL DEFAULT '',
    postcode      TEXT NOT NULL DEFAULT '',  -- where it takes place
    skills        TEXT NOT NULL DEFAULT '',
    language      TEXT NOT NULL DEFAULT '',  -- one language code or ''
    person_age    INTEGER NOT NULL,          -- age of the person concerned when asked
    status        TEXT NOT NULL DEFAULT 'zoeken' CHECK (status IN ('zoeken', 'voorgesteld', 'gekoppeld', 'ingetrokken')),
    created_by    INTEGER REFERENCES account(id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX volunteer_request_household ON volunteer_request(household_id, action_id);
CREATE INDEX volunteer_request_status ON volunteer_request(gemeente, status);

-- A candidate proposed for a request; both the volunteer (recorded by the
-- community organisation) and the resident (or the generalist on their
-- behalf) answer. A 'nee' from either side ends it with the reason kept.
CREATE TABLE volunteer_proposal (
    id                 INTEGER PRIMARY KEY,
    gemeente           TEXT NOT NULL REFERENCES municipality(gemeente),
    request_id         INTEGER NOT NULL REFERENCES volunteer_request(id),
    volunteer_id       INTEGER NOT NULL REFERENCES volunteer(id),
    score              INTEGER NOT NULL DEFAULT 0,
    explanation        TEXT NOT NULL DEFAULT '',
    proposed_by        INTEGER REFERENCES account(id),
    proposed_at        INTEGER NOT NULL,
    volunteer_answer   TEXT CHECK (volunteer_answer IN ('ja', 'nee')),
    volunteer_reason   TEXT NOT NULL DEFAULT '',
    volunteer_by       INTEGER REFERENCES account(id),
    volunteer_at       INTEGER,
    resident_answer    TEXT CHECK (resident_answer IN ('ja', 'nee')),
    resident_reason    TEXT NOT NULL DEFAULT '',
    resident_by        INTEGER REFERENCES account(id),
    resident_at        INTEGER,
    outcome            TEXT NOT NULL DEFAULT 'open' CHECK (outcome IN ('open', 'afgewezen', 'gekoppeld')),
    plan_version       INTEGER                    -- the plan version that made the volunteer the carrier
);
CREATE INDEX volunteer_proposal_request ON volunteer_proposal(request_id);
CREATE INDEX volunteer_proposal_open ON volunteer_proposal(gemeente, outcome);

-- A network member that came from the registry, and the young person (under
-- 23) a JIM belongs to.
ALTER TABLE network_member ADD COLUMN volunteer_id INTEGER REFERENCES volunteer(id);
ALTER TABLE network_member ADD COLUMN mentee_person_id INTEGER REFERENCES person(id);
