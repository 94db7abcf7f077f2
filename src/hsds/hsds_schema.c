/*
 * hsds_schema.c - the HSDS 3.0 tables of hsds_schema.h and the value checks.
 *
 * The field tables follow ../shared/hsds/3.0/datapackage.json field by field
 * (tests/unit/test_hsds.c keeps them equal); the resource order is dependency
 * order, not the datapackage's. The nesting table follows the JSON Schemas in
 * 3.0/schema/, in their property order (the order the examples use), plus
 * organization.services and service_at_location.service, which the schemas
 * lack but the examples (organization_full.json, service_at_location_full.json)
 * and the API have. HSDS_JSON_OPTIONAL marks the fields the datapackage
 * requires and the JSON Schema of the object does not.
 *
 * Value syntax: number is a JSON number literal (-?(0|[1-9][0-9]*)(.[0-9]+)?
 * ([eE][+-]?[0-9]+)?, so it exports as a JSON number unchanged); integer the
 * same without fraction or exponent; date YYYY-MM-DD (a real calendar day);
 * time HH:MM or HH:MM:SS; datetime a date, 'T', a time with optional
 * fraction, and optional Z or +HH:MM / -HH:MM.
 */
#include <stdio.h>
#include <string.h>

#include "hsds/hsds_schema.h"

static const char *const e_service_status[] = {"active", "inactive", "defunct", "temporarily closed", NULL};
static const char *const e_location_location_type[] = {"physical", "postal", "virtual", NULL};
static const char *const e_address_address_type[] = {"physical", "postal", "virtual", NULL};
static const char *const e_schedule_wkst[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU", NULL};
static const char *const e_schedule_freq[] = {"WEEKLY", "MONTHLY", NULL};
static const struct hsds_field f_organization[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"name", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"alternate_name", HSDS_STRING, 0, NULL, NULL, NULL},
    {"description", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"email", HSDS_STRING, 0, "email", NULL, NULL},
    {"website", HSDS_STRING, 0, "uri", NULL, NULL},
    {"tax_status", HSDS_STRING, 0, NULL, NULL, NULL},
    {"tax_id", HSDS_STRING, 0, NULL, NULL, NULL},
    {"year_incorporated", HSDS_NUMBER, 0, NULL, NULL, NULL},
    {"legal_status", HSDS_STRING, 0, NULL, NULL, NULL},
    {"logo", HSDS_STRING, 0, NULL, NULL, NULL},
    {"uri", HSDS_STRING, 0, "uri", NULL, NULL},
    {"parent_organization_id", HSDS_STRING, 0, "uuid", NULL, NULL},
};
static const struct hsds_field f_program[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"organization_id", HSDS_STRING, HSDS_REQUIRED | HSDS_UNIQUE | HSDS_JSON_OPTIONAL, "uuid", NULL, "organization"},
    {"name", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"alternate_name", HSDS_STRING, 0, NULL, NULL, NULL},
    {"description", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
};
static const struct hsds_field f_service[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"organization_id", HSDS_STRING, HSDS_REQUIRED | HSDS_JSON_OPTIONAL, "uuid", NULL, "organization"},
    {"program_id", HSDS_STRING, 0, "uuid", NULL, "program"},
    {"name", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"alternate_name", HSDS_STRING, 0, NULL, NULL, NULL},
    {"description", HSDS_STRING, 0, NULL, NULL, NULL},
    {"url", HSDS_STRING, 0, "uri", NULL, NULL},
    {"email", HSDS_STRING, 0, "email", NULL, NULL},
    {"status", HSDS_STRING, HSDS_REQUIRED, NULL, e_service_status, NULL},
    {"interpretation_services", HSDS_STRING, 0, NULL, NULL, NULL},
    {"application_process", HSDS_STRING, 0, NULL, NULL, NULL},
    {"fees_description", HSDS_STRING, 0, NULL, NULL, NULL},
    {"wait_time", HSDS_STRING, 0, NULL, NULL, NULL},
    {"fees", HSDS_STRING, 0, NULL, NULL, NULL},
    {"accreditations", HSDS_STRING, 0, NULL, NULL, NULL},
    {"eligibility_description", HSDS_STRING, 0, NULL, NULL, NULL},
    {"minimum_age", HSDS_NUMBER, 0, NULL, NULL, NULL},
    {"maximum_age", HSDS_NUMBER, 0, NULL, NULL, NULL},
    {"assured_date", HSDS_DATE, 0, NULL, NULL, NULL},
    {"assurer_email", HSDS_STRING, 0, "email", NULL, NULL},
    {"licenses", HSDS_STRING, 0, NULL, NULL, NULL},
    {"alert", HSDS_STRING, 0, NULL, NULL, NULL},
    {"last_modified", HSDS_DATETIME, 0, NULL, NULL, NULL},
};
static const struct hsds_field f_taxonomy[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"name", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"description", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"uri", HSDS_STRING, 0, "uri", NULL, NULL},
    {"version", HSDS_STRING, 0, NULL, NULL, NULL},
};
static const struct hsds_field f_taxonomy_term[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"code", HSDS_STRING, HSDS_UNIQUE, NULL, NULL, NULL},
    {"name", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"description", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"parent_id", HSDS_STRING, 0, "uuid", NULL, NULL},
    {"taxonomy", HSDS_STRING, 0, NULL, NULL, NULL},
    {"language", HSDS_STRING, 0, NULL, NULL, NULL},
    {"taxonomy_id", HSDS_STRING, 0, "uuid", NULL, "taxonomy"},
    {"term_uri", HSDS_STRING, 0, "uri", NULL, NULL},
};
static const struct hsds_field f_attribute[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"link_id", HSDS_STRING, HSDS_REQUIRED | HSDS_POLY | HSDS_JSON_OPTIONAL, "uuid", NULL, NULL},
    {"taxonomy_term_id", HSDS_STRING, HSDS_REQUIRED | HSDS_JSON_OPTIONAL, "uuid", NULL, "taxonomy_term"},
    {"link_type", HSDS_STRING, 0, NULL, NULL, NULL},
    {"link_entity", HSDS_STRING, HSDS_REQUIRED | HSDS_JSON_OPTIONAL, NULL, NULL, NULL},
    {"value", HSDS_STRING, 0, NULL, NULL, NULL},
};
static const struct hsds_field f_location[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"location_type", HSDS_STRING, HSDS_REQUIRED, NULL, e_location_location_type, NULL},
    {"url", HSDS_STRING, 0, "uri", NULL, NULL},
    {"organization_id", HSDS_STRING, 0, "uuid", NULL, "organization"},
    {"name", HSDS_STRING, 0, NULL, NULL, NULL},
    {"alternate_name", HSDS_STRING, 0, NULL, NULL, NULL},
    {"description", HSDS_STRING, 0, NULL, NULL, NULL},
    {"transportation", HSDS_STRING, 0, NULL, NULL, NULL},
    {"latitude", HSDS_NUMBER, 0, NULL, NULL, NULL},
    {"longitude", HSDS_NUMBER, 0, NULL, NULL, NULL},
    {"external_identifier", HSDS_STRING, 0, NULL, NULL, NULL},
    {"external_identifier_type", HSDS_STRING, 0, NULL, NULL, NULL},
};
static const struct hsds_field f_service_at_location[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"service_id", HSDS_STRING, HSDS_REQUIRED | HSDS_JSON_OPTIONAL, "uuid", NULL, "service"},
    {"location_id", HSDS_STRING, HSDS_REQUIRED | HSDS_JSON_OPTIONAL, "uuid", NULL, "location"},
    {"description", HSDS_STRING, 0, NULL, NULL, NULL},
};
static const struct hsds_field f_contact[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"organization_id", HSDS_STRING, 0, "uuid", NULL, "organization"},
    {"service_id", HSDS_STRING, 0, "uuid", NULL, "service"},
    {"service_at_location_id", HSDS_STRING, 0, "uuid", NULL, "service_at_location"},
    {"location_id", HSDS_STRING, 0, "uuid", NULL, "location"},
    {"name", HSDS_STRING, 0, NULL, NULL, NULL},
    {"title", HSDS_STRING, 0, NULL, NULL, NULL},
    {"department", HSDS_STRING, 0, NULL, NULL, NULL},
    {"email", HSDS_STRING, 0, "email", NULL, NULL},
};
static const struct hsds_field f_phone[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"location_id", HSDS_STRING, 0, "uuid", NULL, "location"},
    {"service_id", HSDS_STRING, 0, "uuid", NULL, "service"},
    {"organization_id", HSDS_STRING, 0, "uuid", NULL, "organization"},
    {"contact_id", HSDS_STRING, 0, "uuid", NULL, "contact"},
    {"service_at_location_id", HSDS_STRING, 0, "uuid", NULL, "service_at_location"},
    {"number", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"extension", HSDS_NUMBER, 0, NULL, NULL, NULL},
    {"type", HSDS_STRING, 0, NULL, NULL, NULL},
    {"description", HSDS_STRING, 0, NULL, NULL, NULL},
};
static const struct hsds_field f_address[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"location_id", HSDS_STRING, 0, "uuid", NULL, "location"},
    {"attention", HSDS_STRING, 0, NULL, NULL, NULL},
    {"address_1", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"address_2", HSDS_STRING, 0, NULL, NULL, NULL},
    {"city", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"region", HSDS_STRING, 0, NULL, NULL, NULL},
    {"state_province", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"postal_code", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"country", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"address_type", HSDS_STRING, HSDS_REQUIRED, NULL, e_address_address_type, NULL},
};
static const struct hsds_field f_schedule[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"service_id", HSDS_STRING, 0, "uuid", NULL, "service"},
    {"location_id", HSDS_STRING, 0, "uuid", NULL, "location"},
    {"service_at_location_id", HSDS_STRING, 0, "uuid", NULL, "service_at_location"},
    {"valid_from", HSDS_DATE, 0, NULL, NULL, NULL},
    {"valid_to", HSDS_DATE, 0, NULL, NULL, NULL},
    {"dtstart", HSDS_DATE, 0, NULL, NULL, NULL},
    {"timezone", HSDS_NUMBER, 0, NULL, NULL, NULL},
    {"until", HSDS_DATE, 0, NULL, NULL, NULL},
    {"count", HSDS_NUMBER, 0, NULL, NULL, NULL},
    {"wkst", HSDS_STRING, 0, NULL, e_schedule_wkst, NULL},
    {"freq", HSDS_STRING, 0, NULL, e_schedule_freq, NULL},
    {"interval", HSDS_NUMBER, 0, NULL, NULL, NULL},
    {"byday", HSDS_STRING, 0, NULL, NULL, NULL},
    {"byweekno", HSDS_STRING, 0, NULL, NULL, NULL},
    {"bymonthday", HSDS_STRING, 0, NULL, NULL, NULL},
    {"byyearday", HSDS_STRING, 0, NULL, NULL, NULL},
    {"description", HSDS_STRING, 0, NULL, NULL, NULL},
    {"opens_at", HSDS_TIME, 0, NULL, NULL, NULL},
    {"closes_at", HSDS_TIME, 0, NULL, NULL, NULL},
    {"schedule_link", HSDS_STRING, 0, "uri", NULL, NULL},
    {"attending_type", HSDS_STRING, 0, NULL, NULL, NULL},
    {"notes", HSDS_STRING, 0, NULL, NULL, NULL},
};
static const struct hsds_field f_funding[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"organization_id", HSDS_STRING, 0, "uuid", NULL, "organization"},
    {"service_id", HSDS_STRING, 0, "uuid", NULL, "service"},
    {"source", HSDS_STRING, 0, NULL, NULL, NULL},
};
static const struct hsds_field f_service_area[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"service_id", HSDS_STRING, 0, "uuid", NULL, "service"},
    {"name", HSDS_STRING, 0, NULL, NULL, NULL},
    {"description", HSDS_STRING, 0, NULL, NULL, NULL},
    {"extent", HSDS_STRING, 0, NULL, NULL, NULL},
    {"extent_type", HSDS_STRING, 0, NULL, NULL, NULL},
    {"uri", HSDS_STRING, 0, NULL, NULL, NULL},
};
static const struct hsds_field f_required_document[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"service_id", HSDS_STRING, 0, "uuid", NULL, "service"},
    {"document", HSDS_STRING, 0, NULL, NULL, NULL},
    {"uri", HSDS_STRING, 0, "uri", NULL, NULL},
};
static const struct hsds_field f_language[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"service_id", HSDS_STRING, 0, "uuid", NULL, "service"},
    {"location_id", HSDS_STRING, 0, "uuid", NULL, "location"},
    {"phone_id", HSDS_STRING, 0, "uuid", NULL, "phone"},
    {"name", HSDS_STRING, 0, NULL, NULL, NULL},
    {"code", HSDS_STRING, 0, NULL, NULL, NULL},
    {"note", HSDS_STRING, 0, NULL, NULL, NULL},
};
static const struct hsds_field f_accessibility[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"location_id", HSDS_STRING, 0, "uuid", NULL, "location"},
    {"description", HSDS_STRING, 0, NULL, NULL, NULL},
    {"details", HSDS_STRING, 0, NULL, NULL, NULL},
    {"url", HSDS_STRING, 0, "uri", NULL, NULL},
};
static const struct hsds_field f_metadata[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"resource_id", HSDS_STRING, HSDS_REQUIRED | HSDS_POLY | HSDS_JSON_OPTIONAL, "uuid", NULL, NULL},
    {"resource_type", HSDS_STRING, HSDS_REQUIRED | HSDS_JSON_OPTIONAL, NULL, NULL, NULL},
    {"last_action_date", HSDS_DATE, HSDS_REQUIRED, NULL, NULL, NULL},
    {"last_action_type", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"field_name", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"previous_value", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"replacement_value", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"updated_by", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
};
static const struct hsds_field f_meta_table_description[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"name", HSDS_STRING, 0, NULL, NULL, NULL},
    {"language", HSDS_STRING, 0, NULL, NULL, NULL},
    {"character_set", HSDS_STRING, 0, NULL, NULL, NULL},
};
static const struct hsds_field f_cost_option[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"service_id", HSDS_STRING, HSDS_REQUIRED | HSDS_JSON_OPTIONAL, "uuid", NULL, "service"},
    {"valid_from", HSDS_DATE, 0, NULL, NULL, NULL},
    {"valid_to", HSDS_DATE, 0, NULL, NULL, NULL},
    {"option", HSDS_STRING, 0, NULL, NULL, NULL},
    {"currency", HSDS_STRING, 0, NULL, NULL, NULL},
    {"amount", HSDS_NUMBER, 0, NULL, NULL, NULL},
    {"amount_description", HSDS_STRING, 0, NULL, NULL, NULL},
};
static const struct hsds_field f_organization_identifier[] = {
    {"id", HSDS_STRING, HSDS_REQUIRED, "uuid", NULL, NULL},
    {"organization_id", HSDS_STRING, HSDS_REQUIRED | HSDS_JSON_OPTIONAL, "uuid", NULL, "organization"},
    {"identifier_scheme", HSDS_STRING, 0, NULL, NULL, NULL},
    {"identifier_type", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
    {"identifier", HSDS_STRING, HSDS_REQUIRED, NULL, NULL, NULL},
};
const struct hsds_resource hsds_resources[] = {
    {"organization", "organizations.csv", "hsds_organization", f_organization, sizeof f_organization / sizeof f_organization[0]},
    {"program", "programs.csv", "hsds_program", f_program, sizeof f_program / sizeof f_program[0]},
    {"service", "services.csv", "hsds_service", f_service, sizeof f_service / sizeof f_service[0]},
    {"taxonomy", "taxonomies.csv", "hsds_taxonomy", f_taxonomy, sizeof f_taxonomy / sizeof f_taxonomy[0]},
    {"taxonomy_term", "taxonomy_terms.csv", "hsds_taxonomy_term", f_taxonomy_term, sizeof f_taxonomy_term / sizeof f_taxonomy_term[0]},
    {"attribute", "attributes.csv", "hsds_attribute", f_attribute, sizeof f_attribute / sizeof f_attribute[0]},
    {"location", "locations.csv", "hsds_location", f_location, sizeof f_location / sizeof f_location[0]},
    {"service_at_location", "service_at_location.csv", "hsds_service_at_location", f_service_at_location, sizeof f_service_at_location / sizeof f_service_at_location[0]},
    {"contact", "contacts.csv", "hsds_contact", f_contact, sizeof f_contact / sizeof f_contact[0]},
    {"phone", "phones.csv", "hsds_phone", f_phone, sizeof f_phone / sizeof f_phone[0]},
    {"address", "addresses.csv", "hsds_address", f_address, sizeof f_address / sizeof f_address[0]},
    {"schedule", "schedules.csv", "hsds_schedule", f_schedule, sizeof f_schedule / sizeof f_schedule[0]},
    {"funding", "funding.csv", "hsds_funding", f_funding, sizeof f_funding / sizeof f_funding[0]},
    {"service_area", "service_areas.csv", "hsds_service_area", f_service_area, sizeof f_service_area / sizeof f_service_area[0]},
    {"required_document", "required_documents.csv", "hsds_required_document", f_required_document, sizeof f_required_document / sizeof f_required_document[0]},
    {"language", "languages.csv", "hsds_language", f_language, sizeof f_language / sizeof f_language[0]},
    {"accessibility", "accessibility.csv", "hsds_accessibility", f_accessibility, sizeof f_accessibility / sizeof f_accessibility[0]},
    {"metadata", "metadata.csv", "hsds_metadata", f_metadata, sizeof f_metadata / sizeof f_metadata[0]},
    {"meta_table_description", "meta_table_descriptions.csv", "hsds_meta_table_description", f_meta_table_description, sizeof f_meta_table_description / sizeof f_meta_table_description[0]},
    {"cost_option", "cost_options.csv", "hsds_cost_option", f_cost_option, sizeof f_cost_option / sizeof f_cost_option[0]},
    {"organization_identifier", "organization_identifiers.csv", "hsds_organization_identifier", f_organization_identifier, sizeof f_organization_identifier / sizeof f_organization_identifier[0]},
};
const size_t hsds_n_resources = sizeof hsds_resources / sizeof hsds_resources[0];

const struct hsds_rel hsds_rels[] = {
    {"organization", "funding", "funding", HSDS_MANY, "organization_id"},
    {"organization", "contacts", "contact", HSDS_MANY, "organization_id"},
    {"organization", "phones", "phone", HSDS_MANY, "organization_id"},
    {"organization", "locations", "location", HSDS_MANY, "organization_id"},
    {"organization", "programs", "program", HSDS_MANY, "organization_id"},
    {"organization", "organization_identifiers", "organization_identifier", HSDS_MANY, "organization_id"},
    {"organization", "services", "service", HSDS_MANY, "organization_id"}, /* not in the schema: see above */
    {"organization", "attributes", "attribute", HSDS_MANY, "link_id"},
    {"organization", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"program", "attributes", "attribute", HSDS_MANY, "link_id"},
    {"program", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"service", "phones", "phone", HSDS_MANY, "service_id"},
    {"service", "schedules", "schedule", HSDS_MANY, "service_id"},
    {"service", "service_areas", "service_area", HSDS_MANY, "service_id"},
    {"service", "service_at_locations", "service_at_location", HSDS_MANY, "service_id"},
    {"service", "languages", "language", HSDS_MANY, "service_id"},
    {"service", "organization", "organization", HSDS_ONE, "organization_id"},
    {"service", "funding", "funding", HSDS_MANY, "service_id"},
    {"service", "cost_options", "cost_option", HSDS_MANY, "service_id"},
    {"service", "program", "program", HSDS_ONE, "program_id"},
    {"service", "required_documents", "required_document", HSDS_MANY, "service_id"},
    {"service", "contacts", "contact", HSDS_MANY, "service_id"},
    {"service", "attributes", "attribute", HSDS_MANY, "link_id"},
    {"service", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"taxonomy", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"taxonomy_term", "taxonomy_detail", "taxonomy", HSDS_ONE, "taxonomy_id"},
    {"taxonomy_term", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"attribute", "taxonomy_term", "taxonomy_term", HSDS_ONE, "taxonomy_term_id"},
    {"attribute", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"location", "languages", "language", HSDS_MANY, "location_id"},
    {"location", "addresses", "address", HSDS_MANY, "location_id"},
    {"location", "contacts", "contact", HSDS_MANY, "location_id"},
    {"location", "accessibility", "accessibility", HSDS_MANY, "location_id"},
    {"location", "phones", "phone", HSDS_MANY, "location_id"},
    {"location", "schedules", "schedule", HSDS_MANY, "location_id"},
    {"location", "attributes", "attribute", HSDS_MANY, "link_id"},
    {"location", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"service_at_location", "contacts", "contact", HSDS_MANY, "service_at_location_id"},
    {"service_at_location", "phones", "phone", HSDS_MANY, "service_at_location_id"},
    {"service_at_location", "schedules", "schedule", HSDS_MANY, "service_at_location_id"},
    {"service_at_location", "location", "location", HSDS_ONE, "location_id"},
    {"service_at_location", "service", "service", HSDS_ONE, "service_id"}, /* not in the schema: see above */
    {"service_at_location", "attributes", "attribute", HSDS_MANY, "link_id"},
    {"service_at_location", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"contact", "phones", "phone", HSDS_MANY, "contact_id"},
    {"contact", "attributes", "attribute", HSDS_MANY, "link_id"},
    {"contact", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"phone", "languages", "language", HSDS_MANY, "phone_id"},
    {"phone", "attributes", "attribute", HSDS_MANY, "link_id"},
    {"phone", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"address", "attributes", "attribute", HSDS_MANY, "link_id"},
    {"address", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"schedule", "attributes", "attribute", HSDS_MANY, "link_id"},
    {"schedule", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"funding", "attributes", "attribute", HSDS_MANY, "link_id"},
    {"funding", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"service_area", "attributes", "attribute", HSDS_MANY, "link_id"},
    {"service_area", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"required_document", "attributes", "attribute", HSDS_MANY, "link_id"},
    {"required_document", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"language", "attributes", "attribute", HSDS_MANY, "link_id"},
    {"language", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"accessibility", "attributes", "attribute", HSDS_MANY, "link_id"},
    {"accessibility", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"meta_table_description", "attributes", "attribute", HSDS_MANY, "link_id"},
    {"meta_table_description", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"cost_option", "attributes", "attribute", HSDS_MANY, "link_id"},
    {"cost_option", "metadata", "metadata", HSDS_MANY, "resource_id"},
    {"organization_identifier", "attributes", "attribute", HSDS_MANY, "link_id"},
    {"organization_identifier", "metadata", "metadata", HSDS_MANY, "resource_id"},
};
const size_t hsds_n_rels = sizeof hsds_rels / sizeof hsds_rels[0];

static const char *const type_names[] = {"string", "number", "integer", "date", "time", "datetime"};

static const struct {
    const char *name, *plural;
} kinds[HSDS_N_KINDS] = {
    {"organization", "organizations"}, {"service", "services"},
    {"location", "locations"},         {"service_at_location", "service_at_locations"},
    {"taxonomy", "taxonomies"},        {"taxonomy_term", "taxonomy_terms"},
};

const char *hsds_type_name(enum hsds_type t) { return type_names[t]; }

const struct hsds_resource *hsds_resource(const char *name)
{
    for (size_t i = 0; i < hsds_n_resources; i++)
        if (strcmp(hsds_resources[i].name, name) == 0) return &hsds_resources[i];
    return NULL;
}

int hsds_resource_index(const struct hsds_resource *r) { return (int)(r - hsds_resources); }

int hsds_field_index(const struct hsds_resource *r, const char *name)
{
    for (size_t i = 0; i < r->n_fields; i++)
        if (strcmp(r->fields[i].name, name) == 0) return (int)i;
    return -1;
}

const char *hsds_kind_name(enum hsds_kind k) { return kinds[k].name; }
const char *hsds_kind_plural(enum hsds_kind k) { return kinds[k].plural; }

int hsds_kind_parse(const char *name)
{
    for (int k = 0; k < HSDS_N_KINDS; k++)
        if (strcmp(kinds[k].name, name) == 0) return k;
    return -1;
}

const struct hsds_resource *hsds_kind_resource(enum hsds_kind k) { return hsds_resource(kinds[k].name); }

const struct hsds_rel *hsds_one_rel(const struct hsds_resource *r, const char *column)
{
    for (size_t i = 0; i < hsds_n_rels; i++)
        if (hsds_rels[i].nest == HSDS_ONE && strcmp(hsds_rels[i].parent, r->name) == 0 &&
            strcmp(hsds_rels[i].column, column) == 0)
            return &hsds_rels[i];
    return NULL;
}

/* ---- value syntax ---------------------------------------------------------- */

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static const char *digits(const char *s)
{
    while (is_digit(*s)) s++;
    return s;
}

int hsds_is_integer(const char *s)
{
    if (*s == '-') s++;
    if (*s == '0') return s[1] == '\0';
    return is_digit(*s) && *digits(s) == '\0';
}

int hsds_is_number(const char *s)
{
    if (*s == '-') s++;
    if (*s == '0') s++;
    else if (is_digit(*s)) s = digits(s);
    else return 0;
    if (*s == '.') {
        if (!is_digit(s[1])) return 0;
        s = digits(s + 1);
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-') s++;
        if (!is_digit(*s)) return 0;
        s = digits(s);
    }
    return *s == '\0';
}

/* n digits at s as a number, or -1. */
static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit(s[i])) return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int date_prefix(const char *s)
{
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    if (y < 0 || s[4] != '-' || s[7] != '-' || m < 1 || m > 12 || d < 1) return 0;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

int hsds_is_date(const char *s) { return strlen(s) == 10 && date_prefix(s); }

/* Length of a valid HH:MM or HH:MM:SS at s (0 when none). */
static size_t time_prefix(const char *s)
{
    int h = num(s, 2), m = num(s + 3, 2);
    if (h < 0 || h > 23 || s[2] != ':' || m < 0 || m > 59) return 0;
    if (s[5] != ':') return 5;
    int sec = num(s + 6, 2);
    return sec < 0 || sec > 60 ? 0 : 8; /* 60: a leap second */
}

int hsds_is_time(const char *s)
{
    size_t n = time_prefix(s);
    return n && s[n] == '\0';
}

int hsds_is_datetime(const char *s)
{
    if (strlen(s) < 16 || !date_prefix(s) || s[10] != 'T') return 0;
    s += 11;
    size_t n = time_prefix(s);
    if (!n) return 0;
    s += n;
    if (n == 8 && *s == '.') {
        if (!is_digit(s[1])) return 0;
        s = digits(s + 1);
    }
    if (*s == 'Z') return s[1] == '\0';
    if (*s == '+' || *s == '-') {
        int h = num(s + 1, 2), m = num(s + 4, 2);
        return h >= 0 && h <= 23 && s[3] == ':' && m >= 0 && m <= 59 && s[6] == '\0';
    }
    return *s == '\0';
}

static int check_enum(const struct hsds_field *f, const char *v, char *msg, size_t n)
{
    if (!f->values) return 0;
    for (const char *const *e = f->values; *e; e++)
        if (strcmp(*e, v) == 0) return 0;
    size_t k = (size_t)snprintf(msg, n, "\"%.80s\" is not one of", v);
    for (const char *const *e = f->values; *e && k < n; e++)
        k += (size_t)snprintf(msg + k, n - k, "%s \"%s\"", e == f->values ? "" : ",", *e);
    return -1;
}

int hsds_check_value(const struct hsds_field *f, const char *v, char *msg, size_t n)
{
    static const char *const expect[] = {
        "", "a number", "an integer", "a date (YYYY-MM-DD)", "a time (HH:MM or HH:MM:SS)",
        "a date and time (YYYY-MM-DDTHH:MM:SS, optionally with fraction and Z or offset)",
    };
    int ok = 1;
    switch (f->type) {
    case HSDS_STRING: break;
    case HSDS_NUMBER: ok = hsds_is_number(v); break;
    case HSDS_INTEGER: ok = hsds_is_integer(v); break;
    case HSDS_DATE: ok = hsds_is_date(v); break;
    case HSDS_TIME: ok = hsds_is_time(v); break;
    case HSDS_DATETIME: ok = hsds_is_datetime(v); break;
    }
    if (!ok) {
        snprintf(msg, n, "\"%.80s\" is not %s", v, expect[f->type]);
        return -1;
    }
    return check_enum(f, v, msg, n);
}
