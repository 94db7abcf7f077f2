/*
 * hsds_export.c - writes the store of one municipality in both HSDS forms.
 *
 * DIR/datapackage.json is generated from hsds_resources[] (fields in order
 * with type, format and constraints, primary key id, foreign keys), followed
 * by one CSV per resource: the header in that field order, then every row
 * ordered by id, RFC 4180 quoting and CRLF (core/csv.h); an absent value is
 * an empty cell. DIR/json/<kind plural>.json holds an array with the full
 * object (hsds_full) of every row of that kind. DIR must be new or empty, so
 * an export never mixes with older files.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/csv.h"
#include "hsds/hsds.h"

static char *join(const char *dir, const char *name)
{
    buf_t b = BUF_INIT;
    buf_printf(&b, "%s/%s", dir, name);
    return buf_detach(&b);
}

/* 0 when dir is new (created) or empty; -1 with a message otherwise. */
static int prepare_dir(const char *dir, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT && mkdir(dir, 0755) == 0) return 0;
        snprintf(err, errlen, "cannot use directory %s: %s", dir, strerror(errno));
        return -1;
    }
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
    closedir(d);
    if (n) {
        snprintf(err, errlen, "%s is not empty (%zu entries): export writes only into a new or empty directory", dir,
                 n);
        return -1;
    }
    return 0;
}

static int write_text(const char *path, const char *text, size_t n, char *err, size_t errlen)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(text, 1, n, f) == n;
    if (f && fclose(f) != 0) ok = 0;
    if (!ok) snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
    return ok ? 0 : -1;
}

static int write_json(const char *path, json_t *j, char *err, size_t errlen)
{
    buf_t b = BUF_INIT;
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    buf_printf(&b, "%s\n", s);
    free(s);
    int rc = write_text(path, buf_cstr(&b), b.len, err, errlen);
    buf_free(&b);
    return rc;
}

static json_t *field_json(const struct hsds_field *f)
{
    json_t *c = json_pack("{s:b, s:b}", "required", (f->flags & HSDS_REQUIRED) != 0, "unique",
                          strcmp(f->name, "id") == 0 || (f->flags & HSDS_UNIQUE) != 0);
    if (f->values) {
        json_t *e = json_array();
        for (const char *const *v = f->values; *v; v++) json_array_append_new(e, json_string(*v));
        json_object_set_new(c, "enum", e);
    }
    json_t *o = json_pack("{s:s, s:s}", "name", f->name, "type", hsds_type_name(f->type));
    if (f->format) json_object_set_new(o, "format", json_string(f->format));
    json_object_set_new(o, "constraints", c);
    return o;
}

static json_t *resource_json(const struct hsds_resource *r)
{
    json_t *fields = json_array(), *fks = json_array();
    for (size_t i = 0; i < r->n_fields; i++) {
        json_array_append_new(fields, field_json(&r->fields[i]));
        if (r->fields[i].link)
            json_array_append_new(fks, json_pack("{s:s, s:{s:s, s:s}}", "fields", r->fields[i].name, "reference",
                                                 "resource", r->fields[i].link, "fields", "id"));
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:{s:o, s:s, s:o}}", "name", r->name, "path", r->path, "profile",
                     "tabular-data-resource", "format", "csv", "schema", "fields", fields, "primaryKey", "id",
                     "foreignKeys", fks);
}

static json_t *package_json(void)
{
    json_t *res = json_array();
    for (size_t i = 0; i < hsds_n_resources; i++) json_array_append_new(res, resource_json(&hsds_resources[i]));
    return json_pack("{s:s, s:s, s:s, s:s, s:o}", "name", "human_services_data", "title",
                     "Human Services Data Specification", "profile", "tabular-data-package", "version", "3.0",
                     "resources", res);
}

static int export_csv(db_t *db, const char *g, const struct hsds_resource *r, const char *dir, char *err,
                      size_t errlen)
{
    buf_t out = BUF_INIT, sql = BUF_INIT;
    const char **row = xcalloc(r->n_fields, sizeof *row);
    for (size_t i = 0; i < r->n_fields; i++) row[i] = r->fields[i].name;
    csv_put_record(&out, row, r->n_fields);
    buf_puts(&sql, "SELECT ");
    for (size_t i = 0; i < r->n_fields; i++) buf_printf(&sql, "%s\"%s\"", i ? ", " : "", r->fields[i].name);
    buf_printf(&sql, " FROM %s WHERE gemeente = ? ORDER BY id", r->table);
    db_stmt_t *st = db_prepare(db, buf_cstr(&sql));
    db_bind_text(st, 1, g);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        for (size_t i = 0; i < r->n_fields; i++) row[i] = db_col_is_null(st, (int)i) ? NULL : db_col_text(st, (int)i);
        csv_put_record(&out, row, r->n_fields);
    }
    db_done(st);
    char *path = join(dir, r->path);
    if (rc != DB_DONE) snprintf(err, errlen, "reading %s: %s", r->table, db_errmsg(db));
    int res = rc == DB_DONE ? write_text(path, buf_cstr(&out), out.len, err, errlen) : -1;
    free(path);
    free(row);
    buf_free(&out);
    buf_free(&sql);
    return res;
}

static int export_kind(db_t *db, const char *g, enum hsds_kind k, const char *jdir, char *err, size_t errlen)
{
    char **ids;
    size_t n;
    int64_t total;
    if (hsds_list_ids(db, g, k, 0, -1, &ids, &n, &total) != 0) {
        snprintf(err, errlen, "listing %s: %s", hsds_kind_plural(k), db_errmsg(db));
        return -1;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = hsds_full(db, g, k, ids[i]);
        if (o) json_array_append_new(arr, o);
    }
    hsds_free_ids(ids, n);
    char name[64];
    snprintf(name, sizeof name, "%s.json", hsds_kind_plural(k));
    char *path = join(jdir, name);
    int rc = write_json(path, arr, err, errlen);
    free(path);
    json_decref(arr);
    return rc;
}

static int export_all(db_t *db, const char *g, const char *dir, char *err, size_t errlen)
{
    json_t *pkg = package_json();
    char *path = join(dir, "datapackage.json");
    int rc = write_json(path, pkg, err, errlen);
    free(path);
    json_decref(pkg);
    for (size_t i = 0; i < hsds_n_resources && rc == 0; i++)
        rc = export_csv(db, g, &hsds_resources[i], dir, err, errlen);
    char *jdir = join(dir, "json");
    if (rc == 0 && mkdir(jdir, 0755) != 0) {
        snprintf(err, errlen, "cannot create %s: %s", jdir, strerror(errno));
        rc = -1;
    }
    for (int k = 0; k < HSDS_N_KINDS && rc == 0; k++) rc = export_kind(db, g, (enum hsds_kind)k, jdir, err, errlen);
    free(jdir);
    return rc;
}

/* One read snapshot for the whole export, so both forms show the same store. */
int hsds_export(db_t *db, const char *gemeente, const char *dir, char *err, size_t errlen)
{
    if (prepare_dir(dir, err, errlen) != 0) return -1;
    if (db_begin_read(db) != DB_OK) {
        snprintf(err, errlen, "cannot read the database: %s", db_errmsg(db));
        return -1;
    }
    int rc = export_all(db, gemeente, dir, err, errlen);
    db_rollback(db);
    return rc;
}
