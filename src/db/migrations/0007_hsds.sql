-- 0007_hsds: the sociale kaart as Open Referral HSDS 3.0 (docs/hsds.md).
-- One table per HSDS resource, hsds_<resource>, with every HSDS field as a TEXT
-- column of the same name (numbers too: the literal as given, so a round trip is
-- exact) plus gemeente. Foreign keys follow the foreignKeys of the datapackage; the
-- polymorphic links (attribute.link_id, metadata.resource_id) and the hierarchy
-- columns (organization.parent_organization_id, taxonomy_term.parent_id) are not
-- foreign keys. Tables are in dependency order. Names that are SQL keywords are
-- quoted. Types, required fields and enums are checked on import (src/hsds/),
-- not here, so the store accepts what the import has validated.

CREATE TABLE hsds_organization (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    "name"            TEXT,
    alternate_name    TEXT,
    description       TEXT,
    email             TEXT,
    website           TEXT,
    tax_status        TEXT,
    tax_id            TEXT,
    year_incorporated TEXT,
    legal_status      TEXT,
    logo              TEXT,
    uri               TEXT,
    parent_organization_id TEXT
);
CREATE INDEX hsds_organization_gemeente ON hsds_organization(gemeente, id);
CREATE INDEX hsds_organization_parent_organization_id ON hsds_organization(parent_organization_id);

CREATE TABLE hsds_program (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    organization_id   TEXT REFERENCES hsds_organization(id),
    "name"            TEXT,
    alternate_name    TEXT,
    description       TEXT
);
CREATE INDEX hsds_program_gemeente ON hsds_program(gemeente, id);
CREATE INDEX hsds_program_organization_id ON hsds_program(organization_id);

CREATE TABLE hsds_service (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    organization_id   TEXT REFERENCES hsds_organization(id),
    program_id        TEXT REFERENCES hsds_program(id),
    "name"            TEXT,
    alternate_name    TEXT,
    description       TEXT,
    url               TEXT,
    email             TEXT,
    status            TEXT,
    interpretation_services TEXT,
    application_process TEXT,
    fees_description  TEXT,
    wait_time         TEXT,
    fees              TEXT,
    accreditations    TEXT,
    eligibility_description TEXT,
    minimum_age       TEXT,
    maximum_age       TEXT,
    assured_date      TEXT,
    assurer_email     TEXT,
    licenses          TEXT,
    alert             TEXT,
    last_modified     TEXT
);
CREATE INDEX hsds_service_gemeente ON hsds_service(gemeente, id);
CREATE INDEX hsds_service_organization_id ON hsds_service(organization_id);
CREATE INDEX hsds_service_program_id ON hsds_service(program_id);

CREATE TABLE hsds_taxonomy (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    "name"            TEXT,
    description       TEXT,
    uri               TEXT,
    "version"         TEXT
);
CREATE INDEX hsds_taxonomy_gemeente ON hsds_taxonomy(gemeente, id);

CREATE TABLE hsds_taxonomy_term (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    "code"            TEXT,
    "name"            TEXT,
    description       TEXT,
    parent_id         TEXT,
    taxonomy          TEXT,
    "language"        TEXT,
    taxonomy_id       TEXT REFERENCES hsds_taxonomy(id),
    term_uri          TEXT
);
CREATE INDEX hsds_taxonomy_term_gemeente ON hsds_taxonomy_term(gemeente, id);
CREATE INDEX hsds_taxonomy_term_taxonomy_id ON hsds_taxonomy_term(taxonomy_id);
CREATE INDEX hsds_taxonomy_term_parent_id ON hsds_taxonomy_term(parent_id);

CREATE TABLE hsds_attribute (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    link_id           TEXT,
    taxonomy_term_id  TEXT REFERENCES hsds_taxonomy_term(id),
    link_type         TEXT,
    link_entity       TEXT,
    "value"           TEXT
);
CREATE INDEX hsds_attribute_gemeente ON hsds_attribute(gemeente, id);
CREATE INDEX hsds_attribute_taxonomy_term_id ON hsds_attribute(taxonomy_term_id);
CREATE INDEX hsds_attribute_link_id ON hsds_attribute(link_id);

CREATE TABLE hsds_location (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    location_type     TEXT,
    url               TEXT,
    organization_id   TEXT REFERENCES hsds_organization(id),
    "name"            TEXT,
    alternate_name    TEXT,
    description       TEXT,
    transportation    TEXT,
    latitude          TEXT,
    longitude         TEXT,
    external_identifier TEXT,
    external_identifier_type TEXT
);
CREATE INDEX hsds_location_gemeente ON hsds_location(gemeente, id);
CREATE INDEX hsds_location_organization_id ON hsds_location(organization_id);

CREATE TABLE hsds_service_at_location (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    service_id        TEXT REFERENCES hsds_service(id),
    location_id       TEXT REFERENCES hsds_location(id),
    description       TEXT
);
CREATE INDEX hsds_service_at_location_gemeente ON hsds_service_at_location(gemeente, id);
CREATE INDEX hsds_service_at_location_service_id ON hsds_service_at_location(service_id);
CREATE INDEX hsds_service_at_location_location_id ON hsds_service_at_location(location_id);

CREATE TABLE hsds_contact (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    organization_id   TEXT REFERENCES hsds_organization(id),
    service_id        TEXT REFERENCES hsds_service(id),
    service_at_location_id TEXT REFERENCES hsds_service_at_location(id),
    location_id       TEXT REFERENCES hsds_location(id),
    "name"            TEXT,
    title             TEXT,
    department        TEXT,
    email             TEXT
);
CREATE INDEX hsds_contact_gemeente ON hsds_contact(gemeente, id);
CREATE INDEX hsds_contact_organization_id ON hsds_contact(organization_id);
CREATE INDEX hsds_contact_service_id ON hsds_contact(service_id);
CREATE INDEX hsds_contact_service_at_location_id ON hsds_contact(service_at_location_id);
CREATE INDEX hsds_contact_location_id ON hsds_contact(location_id);

CREATE TABLE hsds_phone (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    location_id       TEXT REFERENCES hsds_location(id),
    service_id        TEXT REFERENCES hsds_service(id),
    organization_id   TEXT REFERENCES hsds_organization(id),
    contact_id        TEXT REFERENCES hsds_contact(id),
    service_at_location_id TEXT REFERENCES hsds_service_at_location(id),
    "number"          TEXT,
    extension         TEXT,
    "type"            TEXT,
    description       TEXT
);
CREATE INDEX hsds_phone_gemeente ON hsds_phone(gemeente, id);
CREATE INDEX hsds_phone_location_id ON hsds_phone(location_id);
CREATE INDEX hsds_phone_service_id ON hsds_phone(service_id);
CREATE INDEX hsds_phone_organization_id ON hsds_phone(organization_id);
CREATE INDEX hsds_phone_contact_id ON hsds_phone(contact_id);
CREATE INDEX hsds_phone_service_at_location_id ON hsds_phone(service_at_location_id);

CREATE TABLE hsds_address (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    location_id       TEXT REFERENCES hsds_location(id),
    attention         TEXT,
    address_1         TEXT,
    address_2         TEXT,
    city              TEXT,
    region            TEXT,
    state_province    TEXT,
    postal_code       TEXT,
    country           TEXT,
    address_type      TEXT
);
CREATE INDEX hsds_address_gemeente ON hsds_address(gemeente, id);
CREATE INDEX hsds_address_location_id ON hsds_address(location_id);

CREATE TABLE hsds_schedule (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    service_id        TEXT REFERENCES hsds_service(id),
    location_id       TEXT REFERENCES hsds_location(id),
    service_at_location_id TEXT REFERENCES hsds_service_at_location(id),
    valid_from        TEXT,
    valid_to          TEXT,
    dtstart           TEXT,
    "timezone"        TEXT,
    "until"           TEXT,
    "count"           TEXT,
    wkst              TEXT,
    freq              TEXT,
    "interval"        TEXT,
    byday             TEXT,
    byweekno          TEXT,
    bymonthday        TEXT,
    byyearday         TEXT,
    description       TEXT,
    opens_at          TEXT,
    closes_at         TEXT,
    schedule_link     TEXT,
    attending_type    TEXT,
    notes             TEXT
);
CREATE INDEX hsds_schedule_gemeente ON hsds_schedule(gemeente, id);
CREATE INDEX hsds_schedule_service_id ON hsds_schedule(service_id);
CREATE INDEX hsds_schedule_location_id ON hsds_schedule(location_id);
CREATE INDEX hsds_schedule_service_at_location_id ON hsds_schedule(service_at_location_id);

CREATE TABLE hsds_funding (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    organization_id   TEXT REFERENCES hsds_organization(id),
    service_id        TEXT REFERENCES hsds_service(id),
    "source"          TEXT
);
CREATE INDEX hsds_funding_gemeente ON hsds_funding(gemeente, id);
CREATE INDEX hsds_funding_organization_id ON hsds_funding(organization_id);
CREATE INDEX hsds_funding_service_id ON hsds_funding(service_id);

CREATE TABLE hsds_service_area (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    service_id        TEXT REFERENCES hsds_service(id),
    "name"            TEXT,
    description       TEXT,
    extent            TEXT,
    extent_type       TEXT,
    uri               TEXT
);
CREATE INDEX hsds_service_area_gemeente ON hsds_service_area(gemeente, id);
CREATE INDEX hsds_service_area_service_id ON hsds_service_area(service_id);

CREATE TABLE hsds_required_document (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    service_id        TEXT REFERENCES hsds_service(id),
    "document"        TEXT,
    uri               TEXT
);
CREATE INDEX hsds_required_document_gemeente ON hsds_required_document(gemeente, id);
CREATE INDEX hsds_required_document_service_id ON hsds_required_document(service_id);

CREATE TABLE hsds_language (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    service_id        TEXT REFERENCES hsds_service(id),
    location_id       TEXT REFERENCES hsds_location(id),
    phone_id          TEXT REFERENCES hsds_phone(id),
    "name"            TEXT,
    "code"            TEXT,
    note              TEXT
);
CREATE INDEX hsds_language_gemeente ON hsds_language(gemeente, id);
CREATE INDEX hsds_language_service_id ON hsds_language(service_id);
CREATE INDEX hsds_language_location_id ON hsds_language(location_id);
CREATE INDEX hsds_language_phone_id ON hsds_language(phone_id);

CREATE TABLE hsds_accessibility (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    location_id       TEXT REFERENCES hsds_location(id),
    description       TEXT,
    details           TEXT,
    url               TEXT
);
CREATE INDEX hsds_accessibility_gemeente ON hsds_accessibility(gemeente, id);
CREATE INDEX hsds_accessibility_location_id ON hsds_accessibility(location_id);

CREATE TABLE hsds_metadata (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    resource_id       TEXT,
    resource_type     TEXT,
    last_action_date  TEXT,
    last_action_type  TEXT,
    field_name        TEXT,
    previous_value    TEXT,
    replacement_value TEXT,
    updated_by        TEXT
);
CREATE INDEX hsds_metadata_gemeente ON hsds_metadata(gemeente, id);
CREATE INDEX hsds_metadata_resource_id ON hsds_metadata(resource_id);

CREATE TABLE hsds_meta_table_description (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    "name"            TEXT,
    "language"        TEXT,
    character_set     TEXT
);
CREATE INDEX hsds_meta_table_description_gemeente ON hsds_meta_table_description(gemeente, id);

CREATE TABLE hsds_cost_option (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    service_id        TEXT REFERENCES hsds_service(id),
    valid_from        TEXT,
    valid_to          TEXT,
    "option"          TEXT,
    currency          TEXT,
    amount            TEXT,
    amount_description TEXT
);
CREATE INDEX hsds_cost_option_gemeente ON hsds_cost_option(gemeente, id);
CREATE INDEX hsds_cost_option_service_id ON hsds_cost_option(service_id);

CREATE TABLE hsds_organization_identifier (
    id                TEXT PRIMARY KEY,
    gemeente          TEXT NOT NULL REFERENCES municipality(gemeente),
    organization_id   TEXT REFERENCES hsds_organization(id),
    identifier_scheme TEXT,
    identifier_type   TEXT,
    identifier        TEXT
);
CREATE INDEX hsds_organization_identifier_gemeente ON hsds_organization_identifier(gemeente, id);
CREATE INDEX hsds_organization_identifier_organization_id ON hsds_organization_identifier(organization_id);
