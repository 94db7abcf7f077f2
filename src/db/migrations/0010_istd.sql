-- 0010_istd: the iStandaarden exchange (iWmo 3.2 / iJw 3.2, DOMAIN.md §8,
-- ../shared/istd/RULES.md): providers by AGB code, assignments
-- (ToegewezenProduct), every message received or sent, and what the
-- cross-message rules need to remember: deliveries (305/307), requests
-- (315/317), declarations and claims (323). See src/istd/store.h.
-- Dates are TEXT 'YYYY-MM-DD'; moments are unix seconds; money is integer
-- eurocents; wet is 'wmo' or 'jw'; agb is the provider's 8-digit AGB code.

-- A provider (zorgaanbieder) the municipality exchanges messages with.
CREATE TABLE istd_provider (
    id          INTEGER PRIMARY KEY,
    gemeente    TEXT NOT NULL REFERENCES municipality(gemeente),
    agb         TEXT NOT NULL CHECK (length(agb) = 8),  -- AGB code, 8 digits
    name        TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    UNIQUE (gemeente, agb)
);

-- An account of role provider speaks for a provider (one account may speak
-- for several AGB codes of one organisation).
CREATE TABLE istd_provider_account (
    account_id  INTEGER NOT NULL REFERENCES account(id),
    provider_id INTEGER NOT NULL REFERENCES istd_provider(id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (account_id, provider_id)
);
CREATE INDEX istd_provider_account_provider ON istd_provider_account(provider_id);

-- An assigned product (ToegewezenProduct of a 301). One row per
-- ToewijzingNummer; a change keeps the row and bumps version; a 301 is due
-- for the client while version > exported_version.
CREATE TABLE istd_assignment (
    id                   INTEGER PRIMARY KEY,
    gemeente             TEXT NOT NULL REFERENCES municipality(gemeente),
    wet                  TEXT NOT NULL CHECK (wet IN ('wmo', 'jw')),
    nummer               INTEGER NOT NULL CHECK (nummer >= 1 AND nummer <= 999999999),  -- ToewijzingNummer (TR332)
    person_id            INTEGER NOT NULL REFERENCES person(id),      -- the client
    provider_id          INTEGER NOT NULL REFERENCES istd_provider(id),
    categorie            TEXT NOT NULL,        -- ProductCategorie: WMO020 01-18, JZ020 40-55
    code                 TEXT,                 -- ProductCode; NULL = category only
    ingangsdatum         TEXT NOT NULL,
    einddatum            TEXT,                 -- NULL = open-ended
    volume               INTEGER,              -- Omvang: Volume (NULL = no Omvang)
    eenheid              TEXT,                 -- Omvang: Eenheid WJ756 01/04/14/16/82/83/84
    frequentie           TEXT,                 -- Omvang: Frequentie WMO757 1/2/4/6
    budget               INTEGER,              -- Budget in eurocents (NULL = none); never with Omvang
    tarief               INTEGER,              -- contract tariff per unit in eurocents, NULL = unknown (TR418)
    reden_wijziging      TEXT,                 -- RedenWijziging WMO002/JZ002 of the last change
    referentie_aanbieder TEXT,                 -- ReferentieAanbieder of the 315/317 it answers (TR379)
    toewijzing_at        INTEGER NOT NULL,     -- Toewijzingsdatum/-tijd: when assigned or last changed
    version              INTEGER NOT NULL DEFAULT 1,
    exported_version     INTEGER NOT NULL DEFAULT 0,   -- the version the last 301 carried (0 = never sent)
    retour_codes         TEXT,                 -- RetourCodes of the last 302 for it, e.g. '0200'
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    UNIQUE (gemeente, wet, nummer),
    CHECK (volume IS NULL OR budget IS NULL)
);
CREATE INDEX istd_assignment_person ON istd_assignment(person_id, provider_id, wet);
CREATE INDEX istd_assignment_pending ON istd_assignment(gemeente) WHERE version > exported_version;

-- Every message received ('in') or sent ('uit'), with its exact bytes.
--   agb           the provider: the sender of 'in', the receiver of 'uit'
--   sha256        lower-case hex of the exact bytes (a file is received once)
--   source        file name, 'upload', 'retour' or 'export'
--   status        in: 'verwerkt' (applied) or 'afgekeurd' (refused whole);
--                 uit: 'klaar' (built), then for a 301/319 'retour_ok' or
--                 'retour_fout' once its 302/320 came back
--   answer_due    received messages that need a retour (305, 307, 315,
--                 317, 323): 3 working days after receipt (OP090)
--   answered_at   received: when its retour was made; sent 301/319: when
--                 its 302/320 came back
--   reply_to      a retour: the message it answers
--   retour_id     a received message: the retour made for it
--   written_at    outgoing: when the outbox file was written (NULL = to write)
--   retour_codes  a sent 301/319: the codes of its 302/320 per class,
--                 e.g. 'Header 0200; Client 0200; ToegewezenProduct 123 9332'
CREATE TABLE istd_message (
    id            INTEGER PRIMARY KEY,
    gemeente      TEXT NOT NULL REFERENCES municipality(gemeente),
    wet           TEXT NOT NULL CHECK (wet IN ('wmo', 'jw')),
    kind          INTEGER NOT NULL CHECK (kind IN (301, 302, 305, 306, 307, 308, 315, 316, 317, 318, 319, 320, 323, 325)),
    direction     TEXT NOT NULL CHECK (direction IN ('in', 'uit')),
    agb           TEXT NOT NULL,
    identificatie TEXT NOT NULL,               -- BerichtIdentificatie/Identificatie
    dagtekening   TEXT,                        -- BerichtIdentificatie/Dagtekening
    sha256        TEXT NOT NULL,
    source        TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    body          TEXT NOT NULL,               -- the XML
    received_at   INTEGER NOT NULL,            -- received or made
    answer_due    TEXT,
    answered_at   INTEGER,
    reply_to      INTEGER REFERENCES istd_message(id),
    retour_id     INTEGER REFERENCES istd_message(id),
    written_at    INTEGER,
    retour_codes  TEXT,
    summary       TEXT NOT NULL DEFAULT '',    -- one Dutch line for lists
    UNIQUE (gemeente, direction, sha256)
);
-- TR056: Identificatie unique per kind per sender.
CREATE INDEX istd_message_ident ON istd_message(gemeente, wet, kind, agb, identificatie);
CREATE INDEX istd_message_outbox ON istd_message(gemeente, id) WHERE direction = 'uit' AND written_at IS NULL;
CREATE INDEX istd_message_due ON istd_message(gemeente, answer_due) WHERE answered_at IS NULL;
CREATE INDEX istd_message_reply ON istd_message(reply_to);

-- A delivery: a 305 start on an assignment, and its current 307 stop.
-- The logical key is (assignment, begindatum). The Identificatie of the
-- 305/307 (with gemeente, wet, kind and agb) finds its istd_message row.
CREATE TABLE istd_delivery (
    id                 INTEGER PRIMARY KEY,
    gemeente           TEXT NOT NULL REFERENCES municipality(gemeente),
    wet                TEXT NOT NULL CHECK (wet IN ('wmo', 'jw')),
    agb                TEXT NOT NULL,
    assignment_id      INTEGER NOT NULL REFERENCES istd_assignment(id),
    begindatum         TEXT NOT NULL,          -- StartProduct/Begindatum
    einddatum          TEXT,                   -- StopProduct/Einddatum of the current stop
    reden_beeindiging  TEXT,                   -- StopProduct/RedenBeeindiging (20 = tijdelijk)
    status             TEXT NOT NULL CHECK (status IN ('gestart', 'gestopt', 'verwijderd')),
    start_bericht      TEXT NOT NULL,          -- Identificatie of the 305
    stop_bericht       TEXT,                   -- Identificatie of the 307 of the current stop
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX istd_delivery_assignment ON istd_delivery(assignment_id, begindatum);

-- A request of a provider: one row per AangevraagdProduct of a 315 (VOT)
-- or per Verzoek of a 317 (VOW). Open until a 301 honours it
-- (ReferentieAanbieder, TR379) or a 319 refuses it.
CREATE TABLE istd_request (
    id                   INTEGER PRIMARY KEY,
    gemeente             TEXT NOT NULL REFERENCES municipality(gemeente),
    wet                  TEXT NOT NULL CHECK (wet IN ('wmo', 'jw')),
    kind                 INTEGER NOT NULL CHECK (kind IN (315, 317)),
    agb                  TEXT NOT NULL,
    referentie_aanbieder TEXT NOT NULL,        -- TR347: unique per provider and law
    person_id            INTEGER REFERENCES person(id),  -- NULL: the BSN is not (yet) known here
    bsn_hash             BLOB NOT NULL,        -- keyed hash of the client's BSN (domain/ident.h)
    categorie            TEXT,                 -- 315: the product asked for
    code                 TEXT,
    status               TEXT NOT NULL CHECK (status IN ('open', 'toegewezen', 'afgewezen')),
    bericht              TEXT NOT NULL,        -- Identificatie of the 315/317
    created_at           INTEGER NOT NULL,
    decided_at           INTEGER,
    UNIQUE (gemeente, wet, agb, referentie_aanbieder)
);
CREATE INDEX istd_request_open ON istd_request(gemeente, wet, agb, bsn_hash, status);

-- A received 323 Declaratie that passed TR056 and TR333.
CREATE TABLE istd_declaratie (
    id            INTEGER PRIMARY KEY,
    gemeente      TEXT NOT NULL REFERENCES municipality(gemeente),
    wet           TEXT NOT NULL CHECK (wet IN ('wmo', 'jw')),
    agb           TEXT NOT NULL,
    nummer        TEXT NOT NULL,               -- DeclaratieNummer (TR333)
    bericht       TEXT NOT NULL,               -- Identificatie of the 323
    begindatum    TEXT,                        -- DeclaratiePeriode
    einddatum     TEXT,
    ingediend     INTEGER NOT NULL,            -- TotaalIngediendBedrag, signed (credit < 0)
    toegekend     INTEGER NOT NULL,            -- sum of the granted Prestaties, signed
    prestaties    INTEGER NOT NULL,
    granted       INTEGER NOT NULL,            -- Prestaties granted
    created_at    INTEGER NOT NULL,
    UNIQUE (gemeente, wet, agb, nummer)
);

-- One received Prestatie that passed TR314 (its ReferentieNummer is new for
-- the provider and law), granted or not. Only granted rows count in the
-- sums of TR322 and TR369, with credits (dc 'C') subtracted.
CREATE TABLE istd_claim (
    id                INTEGER PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    wet               TEXT NOT NULL CHECK (wet IN ('wmo', 'jw')),
    agb               TEXT NOT NULL,
    referentie        TEXT NOT NULL,           -- ProductReferentie/ReferentieNummer (TR314)
    vorig_referentie  TEXT,                    -- VorigReferentieNummer: the debit a credit cancels
    declaratie_id     INTEGER NOT NULL REFERENCES istd_declaratie(id),
    assignment_id     INTEGER REFERENCES istd_assignment(id),   -- NULL when none matched (9338)
    toewijzingnummer  INTEGER,
    categorie         TEXT,
    code              TEXT,
    begindatum        TEXT,                    -- ProductPeriode
    einddatum         TEXT,
    volume            INTEGER,                 -- GeleverdVolume as claimed
    eenheid           TEXT,
    norm_volume       INTEGER,                 -- volume in the assignment's measure (minutes for 01/04), for sums
    tarief            INTEGER,                 -- ProductTarief, eurocents
    bedrag            INTEGER,                 -- IngediendBedrag, eurocents, unsigned
    dc                TEXT CHECK (dc IN ('D', 'C')),
    granted           INTEGER NOT NULL CHECK (granted IN (0, 1)),
    codes             TEXT,                    -- retour codes of a refused Prestatie, space-separated
    created_at        INTEGER NOT NULL,
    UNIQUE (gemeente, wet, agb, referentie)
);
CREATE INDEX istd_claim_assignment ON istd_claim(assignment_id, begindatum);
CREATE INDEX istd_claim_vorig ON istd_claim(gemeente, wet, agb, vorig_referentie) WHERE vorig_referentie IS NOT NULL;
CREATE INDEX istd_claim_declaratie ON istd_claim(declaratie_id);
