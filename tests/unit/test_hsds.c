/*
 * test_hsds.c - the C description of HSDS 3.0 (src/hsds/hsds_schema.c)
 * against the official material in ../shared/hsds/3.0 (read, never copied):
 * datapackage.json must have exactly the same resources, each with the same
 * fields in the same order, types, required flags, enums, CSV paths and
 * foreign keys; the JSON Schemas must require what HSDS_REQUIRED without
 * HSDS_JSON_OPTIONAL says, and every nesting key must be a property of the
 * parent's schema (except the two the examples add). Then the value checks:
 * numbers, dates, times, datetimes and enums.
 *
 * Run from the repository root (the path is ../shared/hsds/3.0), or set
 * HSDS_DIR to the 3.0 directory.
 */
#include <jansson.h>
#include <stdlib.h>

#include "hsds/hsds_schema.h"
#include "test.h"

static const char *hsds_dir(void)
{
    static char buf[256];
    const char *d = getenv("HSDS_DIR");
    if (d && *d) return d;
    const char *shared = getenv("KANTEL_SHARED"); /* set by scripts/check */
    if (shared && *shared) {
        snprintf(buf, sizeof buf, "%s/hsds/3.0", shared);
        return buf;
    }
    return "../shared/hsds/3.0";
}

static json_t *load(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", hsds_dir(), rel);
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    if (!j) printf("# cannot read %s: %s\n", path, e.text);
    return j;
}

static int enums_equal(const struct hsds_field *f, json_t *want)
{
    if (!want) return f->values == NULL;
    if (!f->values) return 0;
    size_t n = 0;
    for (const char *const *v = f->values; *v; v++, n++)
        if (n >= json_array_size(want) || strcmp(*v, json_string_value(json_array_get(want, n))) != 0) return 0;
    return n == json_array_size(want);
}

static const char *fk_of(json_t *schema, const char *field)
{
    size_t i;
    json_t *fk;
    json_array_foreach(json_object_get(schema, "foreignKeys"), i, fk)
    {
        if (strcmp(json_string_value(json_object_get(fk, "fields")), field) == 0)
            return json_string_value(json_object_get(json_object_get(fk, "reference"), "resource"));
    }
    return NULL;
}

static void check_fields(const struct hsds_resource *r, json_t *schema)
{
    json_t *fields = json_object_get(schema, "fields");
    CHECK(json_array_size(fields) == r->n_fields, "%s: %zu fields (datapackage %zu)", r->name, r->n_fields,
          json_array_size(fields));
    int same = json_array_size(fields) == r->n_fields;
    for (size_t i = 0; same && i < r->n_fields; i++) {
        json_t *f = json_array_get(fields, i);
        json_t *c = json_object_get(f, "constraints");
        const struct hsds_field *mine = &r->fields[i];
        const char *fk = fk_of(schema, mine->name);
        int ok = strcmp(mine->name, json_string_value(json_object_get(f, "name"))) == 0 &&
                 strcmp(hsds_type_name(mine->type), json_string_value(json_object_get(f, "type"))) == 0 &&
                 ((mine->flags & HSDS_REQUIRED) != 0) == json_is_true(json_object_get(c, "required")) &&
                 enums_equal(mine, json_object_get(c, "enum")) &&
                 ((fk == NULL && mine->link == NULL) || (fk && mine->link && strcmp(fk, mine->link) == 0));
        if (!ok) printf("# %s field %zu: %s differs\n", r->name, i, mine->name);
        same = ok;
    }
    CHECK(same, "%s: names, order, types, required flags, enums and links as in datapackage.json", r->name);
}

static void test_datapackage(void)
{
    json_t *pkg = load("datapackage.json");
    CHECK(pkg != NULL, "datapackage.json read");
    if (!pkg) return;
    json_t *list = json_object_get(pkg, "resources");
    CHECK(json_array_size(list) == hsds_n_resources, "%zu resources (datapackage %zu)", hsds_n_resources,
          json_array_size(list));
    size_t i;
    json_t *res;
    json_array_foreach(list, i, res)
    {
        const char *name = json_string_value(json_object_get(res, "name"));
        const struct hsds_resource *r = hsds_resource(name);
        CHECK(r != NULL, "resource %s is described", name);
        if (!r) continue;
        CHECK_STR(r->path, json_string_value(json_object_get(res, "path")), "%s: CSV path", name);
        check_fields(r, json_object_get(res, "schema"));
    }
    json_decref(pkg);
}

/* Dependency order: every link points to an earlier resource. */
static void test_order(void)
{
    int ok = 1;
    for (size_t i = 0; i < hsds_n_resources; i++)
        for (size_t k = 0; k < hsds_resources[i].n_fields; k++) {
            const char *l = hsds_resources[i].fields[k].link;
            if (l && hsds_resource_index(hsds_resource(l)) >= (int)i) ok = 0;
        }
    CHECK(ok, "resources are in dependency order");
}

static int json_required(json_t *schema, const char *field)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(schema, "required"), i, v) if (strcmp(json_string_value(v), field) == 0) return 1;
    return 0;
}

static void test_json_schemas(void)
{
    for (size_t i = 0; i < hsds_n_resources; i++) {
        const struct hsds_resource *r = &hsds_resources[i];
        char file[128];
        snprintf(file, sizeof file, "schema/%s.json", r->name);
        json_t *s = load(file);
        if (!s) {
            CHECK(0, "schema of %s read", r->name);
            continue;
        }
        int ok = 1;
        for (size_t k = 0; k < r->n_fields; k++) {
            int f = r->fields[k].flags;
            int want = (f & HSDS_REQUIRED) && !(f & HSDS_JSON_OPTIONAL);
            if (want != json_required(s, r->fields[k].name)) ok = 0;
        }
        CHECK(ok, "%s: required in JSON = HSDS_REQUIRED without HSDS_JSON_OPTIONAL", r->name);
        int rels_ok = 1;
        for (size_t k = 0; k < hsds_n_rels; k++) {
            const struct hsds_rel *rel = &hsds_rels[k];
            if (strcmp(rel->parent, r->name) != 0) continue;
            int extra = (strcmp(rel->key, "services") == 0 && strcmp(r->name, "organization") == 0) ||
                        (strcmp(rel->key, "service") == 0 && strcmp(r->name, "service_at_location") == 0);
            if (!extra && !json_object_get(json_object_get(s, "properties"), rel->key)) rels_ok = 0;
            const struct hsds_resource *c = hsds_resource(rel->child);
            const struct hsds_resource *holder = rel->nest == HSDS_MANY ? c : r;
            if (!c || hsds_field_index(holder, rel->column) < 0) rels_ok = 0;
        }
        CHECK(rels_ok, "%s: nesting keys are schema properties with a link column", r->name);
        json_decref(s);
    }
}

static void test_values(void)
{
    CHECK(hsds_is_number("0") && hsds_is_number("-12.5") && hsds_is_number("1e10") && hsds_is_number("2.5E-3"),
          "numbers: JSON number literals");
    CHECK(!hsds_is_number("") && !hsds_is_number("01") && !hsds_is_number("1.") && !hsds_is_number(".5") &&
              !hsds_is_number("+1") && !hsds_is_number("1e") && !hsds_is_number("12 ") && !hsds_is_number("NaN"),
          "numbers: other literals refused");
    CHECK(hsds_is_integer("0") && hsds_is_integer("-7") && !hsds_is_integer("1.0") && !hsds_is_integer("007"),
          "integers");
    CHECK(hsds_is_date("2024-02-29") && hsds_is_date("2000-02-29") && !hsds_is_date("2023-02-29") &&
              !hsds_is_date("1900-02-29") && !hsds_is_date("2021-04-31") && !hsds_is_date("2021-13-01") &&
              !hsds_is_date("2021-1-01") && !hsds_is_date("2021-01-01T00:00"),
          "dates: YYYY-MM-DD, real calendar days");
    CHECK(hsds_is_time("10:00") && hsds_is_time("23:59:59") && !hsds_is_time("24:00") && !hsds_is_time("10:60") &&
              !hsds_is_time("9:00") && !hsds_is_time("10:00:00Z"),
          "times: HH:MM or HH:MM:SS");
    CHECK(hsds_is_datetime("2023-03-15T10:30:45.123Z") && hsds_is_datetime("2023-03-15T10:30") &&
              hsds_is_datetime("2023-03-15T10:30:45+01:00") && !hsds_is_datetime("2023-03-15 10:30") &&
              !hsds_is_datetime("2023-03-15") && !hsds_is_datetime("2023-03-15T10:30:45.Z"),
          "datetimes");
    const struct hsds_resource *svc = hsds_resource("service");
    const struct hsds_field *status = &svc->fields[hsds_field_index(svc, "status")];
    char msg[256];
    CHECK(hsds_check_value(status, "temporarily closed", msg, sizeof msg) == 0, "enum: allowed value");
    CHECK(hsds_check_value(status, "open", msg, sizeof msg) != 0, "enum: other value refused");
    CHECK_STR(msg, "\"open\" is not one of \"active\", \"inactive\", \"defunct\", \"temporarily closed\"",
              "enum: the message lists the allowed values");
    const struct hsds_field *age = &svc->fields[hsds_field_index(svc, "minimum_age")];
    CHECK(hsds_check_value(age, "twelve", msg, sizeof msg) != 0 && strstr(msg, "is not a number"),
          "number field refuses text: %s", msg);
}

static void test_kinds(void)
{
    int ok = 1;
    for (int k = 0; k < HSDS_N_KINDS; k++)
        ok = ok && hsds_kind_resource((enum hsds_kind)k) && hsds_kind_parse(hsds_kind_name((enum hsds_kind)k)) == k;
    CHECK(ok, "every kind names a resource and parses back");
    CHECK(hsds_kind_parse("dragon") == -1, "unknown kind");
}

int main(void)
{
    test_datapackage();
    test_order();
    test_json_schemas();
    test_values();
    test_kinds();
    return t_done();
}
