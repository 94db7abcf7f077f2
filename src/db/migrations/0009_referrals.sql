-- 0009_referrals: who speaks for an organisation on the sociale kaart, how
-- current each listing is, and closed-loop referrals from a plan action to a
-- service (docs/hsds.md, "Listings that stay current" and "Referrals").
-- Times are unix seconds; HSDS ids are TEXT.

-- An account of a community organisation or provider that speaks for an
-- organisation of the sociale kaart. It asks (claim), the municipality's
-- kaartbeheer (policy role) approves or refuses; only an approved member
-- maintains the organisation's listings and sees its referral inbox. One
-- organisation per account.
CREATE TABLE org_member (
    account_id       INTEGER PRIMARY KEY REFERENCES account(id),
    gemeente         TEXT NOT NULL REFERENCES municipality(gemeente),
    organization_id  TEXT NOT NULL REFERENCES hsds_organization(id),
    status           TEXT NOT NULL CHECK (status IN ('aangevraagd', 'goedgekeurd', 'afgewezen')),
    motivation       TEXT NOT NULL DEFAULT '',  -- why this account speaks for the organisation
    decided_by       INTEGER REFERENCES account(id),
    decided_at       INTEGER,
    reason           TEXT NOT NULL DEFAULT '',  -- reason of a refusal
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX org_member_org ON org_member(organization_id, status);
CREATE INDEX org_member_status ON org_member(gemeente, status);

-- How current a listing (an HSDS service) is. The assured date itself is the
-- HSDS field hsds_service.assured_date; seen_at is when Kantel first saw the
-- service (the start of the clock for a service imported without one).
-- flagged_at: the owner was asked to confirm (after socialmap_flag_months);
-- hidden_at: left out of search and the API (after socialmap_hide_months).
-- A confirmation clears both.
CREATE TABLE listing (
    service_id   TEXT PRIMARY KEY REFERENCES hsds_service(id),
    gemeente     TEXT NOT NULL REFERENCES municipality(gemeente),
    seen_at      INTEGER NOT NULL,
    flagged_at   INTEGER,
    hidden_at    INTEGER
);
CREATE INDEX listing_state ON listing(gemeente, hidden_at, flagged_at);

-- A referral from a plan action to a service, only with the recorded consent
-- of the person concerned (or their representative). The organisation sees
-- what the consent covers (shared_name, shared_contact, message) and nothing
-- else of the household.
CREATE TABLE referral (
    id                   INTEGER PRIMARY KEY,
    gemeente             TEXT NOT NULL REFERENCES municipality(gemeente),
    household_id         INTEGER NOT NULL REFERENCES household(id),
    action_id            INTEGER NOT NULL,           -- the action's id in the household's plan body
    person_id            INTEGER NOT NULL REFERENCES person(id),
    service_id           TEXT NOT NULL REFERENCES hsds_service(id),
    organization_id      TEXT NOT NULL REFERENCES hsds_organization(id),
    service_name         TEXT NOT NULL,              -- as it was when referred
    consent_by           TEXT NOT NULL CHECK (consent_by IN ('inwoner', 'vertegenwoordiger')),
    consent_how          TEXT NOT NULL CHECK (consent_how IN ('mondeling', 'schriftelijk', 'portaal')),
    consent_on           TEXT NOT NULL,              -- 'YYYY-MM-DD': the day consent was given
    consent_recorded_by  INTEGER REFERENCES account(id),
    shared_name          TEXT NOT NULL,
    shared_contact       TEXT NOT NULL DEFAULT '',
    message              TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL CHECK (status IN ('verstuurd', 'contact', 'gestart', 'afgewezen',
                                                         'beeindigd', 'ingetrokken')),
    reason               TEXT NOT NULL DEFAULT '',   -- of a refusal, an end or a withdrawal
    status_at            INTEGER NOT NULL,
    status_by            INTEGER REFERENCES account(id),
    reminded_at          INTEGER,                    -- last reminder for want of an update
    created_by           INTEGER REFERENCES account(id),
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX referral_household ON referral(household_id, action_id);
CREATE INDEX referral_org ON referral(organization_id, status);
CREATE INDEX referral_open ON referral(gemeente, status, status_at);

-- Every status a referral went through, with who and why.
CREATE TABLE referral_event (
    id           INTEGER PRIMARY KEY,
    referral_id  INTEGER NOT NULL REFERENCES referral(id),
    status       TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    by_account   INTEGER REFERENCES account(id),
    at           INTEGER NOT NULL,
    plan_version INTEGER             -- the plan version this change made (the plan action followed), NULL if none
);
CREATE INDEX referral_event_referral ON referral_event(referral_id, id);
