/*
 * test_hsds.c - the C description of HSDS 3.0 (src/hsds/hsds_schema.c)
 * against the official material in ../shared/hsds/3.0 (read, never copied):
 * datapackage.json must have exactly the same resources, each with the same
 * fields in the same order, types, required flags, enums, CSV paths and
 * foreign keys; the JSON Schemas must require what HSDS_REQUIRED without
 * HSDS_JSON_OPTIONAL says, and every nesting key must be a property of the
 * parent's schema (except the two the examples add). Then the value checks:
 * numbers, dates, times, datetimes and enums. Then the import API on a fresh
 * migrated database (SQLite, and PostgreSQL when KANTEL_TEST_PG=postgresql://
 * user@host:port names a server): the official examples/csv is refused for
 * its four dangling links and imports with drop_dangling, those links empty
 * and one warning each; a dangling required link stays a problem; a row of
 * another municipality counts as dangling; all or nothing.
 *
 * Run from the repository root (the path is ../shared/hsds/3.0), or set
 * HSDS_DIR to the 3.0 directory.
 */
#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

#include "db/db.h"
#include "hsds/hsds.h"
#include "hsds/hsds_schema.h"
#include "test.h"

static const char *g_backend = "sqlite";

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

/* ---- import with drop_dangling (database) ------------------------------------ */

static int64_t scalar(db_t *db, const char *sql)
{
    db_stmt_t *st = db_prepare(db, sql);
    int64_t v = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    return v;
}

/* Rows in all hsds_ tables of gemeente. */
static int64_t stored(db_t *db, const char *gemeente)
{
    int64_t n = 0;
    for (size_t i = 0; i < hsds_n_resources; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE gemeente = '%s'", hsds_resources[i].table, gemeente);
        n += scalar(db, sql);
    }
    return n;
}

/* Some problem (warnings = 0) or warning (1) contains want. */
static int has_message(const hsds_import_t *imp, int warnings, const char *want)
{
    size_t n = warnings ? hsds_import_warnings(imp) : hsds_import_problems(imp);
    for (size_t i = 0; i < n; i++)
        if (strstr(warnings ? hsds_import_warning(imp, i) : hsds_import_problem(imp, i), want)) return 1;
    return 0;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_drop_dangling(db_t *db, const char *tmp)
{
    char csv[300];
    snprintf(csv, sizeof csv, "%s/examples/csv", hsds_dir());

    hsds_import_t *imp = hsds_import_new(db, "9999");
    hsds_stage_dir(imp, csv);
    CHECK(hsds_import_commit(imp) == -1 && hsds_import_problems(imp) == 4 && hsds_import_dangling(imp) == 4 &&
              hsds_import_warnings(imp) == 0,
          "[%s] examples/csv without drop_dangling: refused, 4 dangling links as problems", g_backend);
    CHECK(stored(db, "9999") == 0, "[%s] nothing stored", g_backend);
    hsds_import_free(imp);

    imp = hsds_import_new(db, "9999");
    hsds_import_set_drop_dangling(imp, 1);
    hsds_stage_dir(imp, csv);
    int rc = hsds_import_commit(imp);
    CHECK(rc == 0 && hsds_import_problems(imp) == 0 && hsds_import_warnings(imp) == 4 && hsds_import_dangling(imp) == 4,
          "[%s] examples/csv with drop_dangling: imported, 4 warnings", g_backend);
    for (size_t i = 0; rc != 0 && i < hsds_import_problems(imp); i++) printf("#   %s\n", hsds_import_problem(imp, i));
    CHECK(has_message(imp, 1,
                      "/contacts.csv:2: service_at_location_id: links to service_at_location "
                      "\"93eaf18d-1cd2-4ec7-bffb-3c9172ee5070\", which is neither in this import nor in the store; "
                      "dropped (--drop-dangling)") &&
              has_message(imp, 1, "/contacts.csv:2: organization_id: links to organization") &&
              has_message(imp, 1, "/locations.csv:2: organization_id: links to organization") &&
              has_message(imp, 1, "/taxonomy_terms.csv:2: taxonomy_id: links to taxonomy"),
          "[%s] each warning names file:line, field and target", g_backend);
    hsds_import_free(imp);
    CHECK(stored(db, "9999") == 21, "[%s] 21 records stored", g_backend);
    CHECK(scalar(db, "SELECT count(*) FROM hsds_contact WHERE organization_id IS NULL"
                     " AND service_at_location_id IS NULL AND service_id IS NOT NULL") == 1 &&
              scalar(db, "SELECT count(*) FROM hsds_location WHERE organization_id IS NULL") == 1 &&
              scalar(db, "SELECT count(*) FROM hsds_taxonomy_term WHERE taxonomy_id IS NULL") == 1,
          "[%s] exactly the dropped links are empty", g_backend);

    /* A required link stays a problem; a link to a row of another municipality
     * is dangling; any problem: nothing is written, the warnings notwithstanding. */
    char org[300], loc[300], svc[300];
    snprintf(org, sizeof org, "%s/organization_elders.json", tmp);
    snprintf(loc, sizeof loc, "%s/location_dangling.json", tmp);
    snprintf(svc, sizeof svc, "%s/service_dangling.json", tmp);
    write_text(org, "{\"id\": \"org-other\", \"name\": \"Elders\", \"description\": \"x\"}\n");
    write_text(loc, "{\"id\": \"loc-d\", \"location_type\": \"physical\", \"organization_id\": \"org-other\"}\n");
    write_text(svc, "[{\"id\": \"svc-d\", \"name\": \"D\", \"status\": \"active\","
                    " \"organization_id\": \"no-such\"}]\n");
    imp = hsds_import_new(db, "8888");
    hsds_stage_json(imp, org, -1);
    CHECK(hsds_import_commit(imp) == 0, "[%s] an organization of another municipality", g_backend);
    hsds_import_free(imp);

    imp = hsds_import_new(db, "9999");
    hsds_import_set_drop_dangling(imp, 1);
    hsds_stage_json(imp, loc, -1);
    hsds_stage_json(imp, svc, HSDS_SERVICE);
    CHECK(hsds_import_commit(imp) == -1 && hsds_import_problems(imp) == 1 && hsds_import_dangling(imp) == 1,
          "[%s] a dangling required link: refused even with drop_dangling", g_backend);
    CHECK(has_message(imp, 0,
                      "service_dangling.json: [0]: organization_id: links to organization \"no-such\", which is "
                      "neither in this import nor in the store; a required field, so --drop-dangling cannot leave it "
                      "empty"),
          "[%s] the problem says the field is required", g_backend);
    CHECK(has_message(imp, 1,
                      "location_dangling.json: top level: organization_id: links to organization \"org-other\""),
          "[%s] a row of another municipality is dangling", g_backend);
    CHECK(scalar(db, "SELECT count(*) FROM hsds_location WHERE id = 'loc-d'") == 0 && stored(db, "9999") == 21,
          "[%s] all or nothing: the location is not stored either", g_backend);
    hsds_import_free(imp);

    imp = hsds_import_new(db, "9999");
    hsds_import_set_drop_dangling(imp, 1);
    hsds_stage_json(imp, loc, -1);
    CHECK(hsds_import_commit(imp) == 0 && hsds_import_warnings(imp) == 1 &&
              scalar(db, "SELECT count(*) FROM hsds_location WHERE id = 'loc-d' AND organization_id IS NULL") == 1,
          "[%s] alone, the location is stored without its link", g_backend);
    hsds_import_free(imp);
    unlink(org);
    unlink(loc);
    unlink(svc);
}

static void run_db(const char *target, const char *tmp)
{
    char err[300] = "";
    db_t *db = NULL;
    if (db_open(target, &db, err, sizeof err) != DB_OK || db_migrate(db, err, sizeof err) < 0) {
        CHECK(0, "[%s] database: %s", g_backend, err);
        if (db) db_close(db);
        return;
    }
    CHECK(db_exec(db, "INSERT INTO municipality (gemeente, name, created_at) VALUES ('9999', 'Testgemeente', 0),"
                      " ('8888', 'Andere', 0)") == DB_OK,
          "[%s] municipalities: %s", g_backend, db_errmsg(db));
    test_drop_dangling(db, tmp);
    db_close(db);
}

int main(void)
{
    test_datapackage();
    test_order();
    test_json_schemas();
    test_values();
    test_kinds();

    char tmp[] = "/tmp/kantel-test-hsds-XXXXXX";
    if (!mkdtemp(tmp)) return 2;
    char target[160], file[100];
    snprintf(file, sizeof file, "%s/t.db", tmp);
    snprintf(target, sizeof target, "sqlite:%s", file);
    run_db(target, tmp);
    static const char *const sides[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
        snprintf(file, sizeof file, "%s/t.db%s", tmp, sides[i]);
        unlink(file);
    }

    const char *pg = getenv("KANTEL_TEST_PG");
    if (pg && *pg) {
        char name[64], admin[300], sql[200], pgt[400];
        snprintf(name, sizeof name, "kantel_unit_hsds_%ld", (long)getpid());
        snprintf(admin, sizeof admin, "%s/postgres", pg);
        db_t *a = NULL;
        char err[256] = "";
        CHECK(db_open(admin, &a, err, sizeof err) == DB_OK, "connect to the test server: %s", err);
        if (a) {
            snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
            db_exec(a, sql);
            snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
            CHECK(db_exec(a, sql) == DB_OK, "create database %s: %s", name, db_errmsg(a));
            g_backend = "postgres";
            snprintf(pgt, sizeof pgt, "%s/%s", pg, name);
            run_db(pgt, tmp);
            snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", name);
            CHECK(db_exec(a, sql) == DB_OK, "drop database %s: %s", name, db_errmsg(a));
            db_close(a);
        }
    }
    rmdir(tmp);
    return t_done();
}
