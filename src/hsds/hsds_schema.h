/*
 * hsds_schema.h - Open Referral HSDS 3.0 as data: the resources of the tabular
 * form (datapackage.json) with their fields, and the nesting of the JSON form.
 *
 * Everything that reads or writes HSDS (migration 0007, import, export, the
 * full-object builders) is driven by these tables instead of one code path per
 * resource. hsds_resources[] lists the resources in dependency order (a
 * resource comes after every resource its links point to), so rows written in
 * that order satisfy the foreign keys. Each field keeps the datapackage's
 * order, type, required flag and format, the allowed values where the schema
 * has an enum, and - for a link (a foreignKey of the datapackage) - the
 * resource it points to. tests/unit/test_hsds.c compares the tables with the
 * official datapackage.json.
 *
 * hsds_rels[] is the JSON nesting (from the JSON Schemas): under key KEY of a
 * PARENT object either an array of CHILD objects whose COLUMN holds the
 * parent's id (HSDS_MANY: service.phones -> phone.service_id), or one CHILD
 * object whose id is in the parent's COLUMN (HSDS_ONE: service.organization ->
 * service.organization_id). attributes and metadata are HSDS_MANY through the
 * polymorphic columns attribute.link_id and metadata.resource_id.
 *
 * All values are text: numbers keep their literal. hsds_check_value() checks
 * a literal against a field's type and enum.
 */
#ifndef KANTEL_HSDS_SCHEMA_H
#define KANTEL_HSDS_SCHEMA_H

#include <stddef.h>

enum hsds_type { HSDS_STRING, HSDS_NUMBER, HSDS_INTEGER, HSDS_DATE, HSDS_TIME, HSDS_DATETIME };

enum {
    HSDS_REQUIRED = 1, /* constraints.required */
    HSDS_UNIQUE = 2,   /* constraints.unique (other than id); informational, written to datapackage.json */
    HSDS_POLY = 4,     /* a link to any resource by id (attribute.link_id, metadata.resource_id) */
    HSDS_JSON_OPTIONAL = 8, /* required in the tabular form, not by the JSON Schema of the object */
};

struct hsds_field {
    const char *name;
    enum hsds_type type;
    int flags;                 /* HSDS_REQUIRED | HSDS_UNIQUE | HSDS_POLY | HSDS_JSON_OPTIONAL */
    const char *format;        /* "uuid", "email", "uri" or NULL (informational) */
    const char *const *values; /* allowed values (NULL-terminated) or NULL */
    const char *link;          /* the resource this field points to (foreign key) or NULL */
};

struct hsds_resource {
    const char *name;  /* "service" */
    const char *path;  /* "services.csv" */
    const char *table; /* "hsds_service" */
    const struct hsds_field *fields;
    size_t n_fields;
};

enum hsds_nest { HSDS_MANY, HSDS_ONE };

struct hsds_rel {
    const char *parent; /* resource name */
    const char *key;    /* JSON key in the parent object */
    const char *child;  /* resource name */
    enum hsds_nest nest;
    const char *column; /* HSDS_MANY: the child's column; HSDS_ONE: the parent's column */
};

extern const struct hsds_resource hsds_resources[];
extern const size_t hsds_n_resources;
extern const struct hsds_rel hsds_rels[];
extern const size_t hsds_n_rels;

/* The six object kinds of the JSON form and the HSDS API. */
enum hsds_kind {
    HSDS_ORGANIZATION,
    HSDS_SERVICE,
    HSDS_LOCATION,
    HSDS_SERVICE_AT_LOCATION,
    HSDS_TAXONOMY,
    HSDS_TAXONOMY_TERM,
    HSDS_N_KINDS
};

const char *hsds_type_name(enum hsds_type t);
const struct hsds_resource *hsds_resource(const char *name); /* NULL when unknown */
int hsds_resource_index(const struct hsds_resource *r);
int hsds_field_index(const struct hsds_resource *r, const char *name); /* -1 when unknown */
/* A kind's resource name ("service_at_location") and its export file stem
 * ("service_at_locations"); hsds_kind_parse() takes the resource name. */
const char *hsds_kind_name(enum hsds_kind k);
const char *hsds_kind_plural(enum hsds_kind k);
int hsds_kind_parse(const char *name); /* enum hsds_kind or -1 */
const struct hsds_resource *hsds_kind_resource(enum hsds_kind k);
/* The HSDS_ONE relation of r whose column is field f (e.g. service.organization_id), or NULL. */
const struct hsds_rel *hsds_one_rel(const struct hsds_resource *r, const char *column);

/* Checks a non-empty literal against f's type and allowed values. 0 when
 * valid; otherwise -1 and an English message in msg. */
int hsds_check_value(const struct hsds_field *f, const char *v, char *msg, size_t n);
/* The syntax checks on their own (1 valid, 0 not). */
int hsds_is_number(const char *s);
int hsds_is_integer(const char *s);
int hsds_is_date(const char *s);
int hsds_is_time(const char *s);
int hsds_is_datetime(const char *s);

#endif
