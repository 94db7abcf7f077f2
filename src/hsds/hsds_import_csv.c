/*
 * hsds_import_csv.c - stages the tabular form of HSDS: a directory with a
 * datapackage.json whose resources name their CSV files.
 *
 * Each resource's file is read with the RFC 4180 reader (core/csv.h). The
 * header row names the columns, in any order; a column that is not a field
 * of the resource is a problem (and ignored), as is a repeated one, and an id
 * column is needed. Every record must have as many fields as the header; an
 * empty cell is an absent value. A record is located by its file and the line
 * it starts on. A resource listed in datapackage.json whose file does not
 * exist is skipped (a package may leave out empty tables); a resource name
 * HSDS does not have is a problem. A datapackage.json that holds only a
 * relative path to another .json file (how git checks out a symbolic link
 * where links are not supported, as in the official examples/csv) is followed
 * once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "hsds/hsds_stage.h"

static char *join(const char *dir, const char *name)
{
    buf_t b = BUF_INIT;
    buf_printf(&b, "%s%s%s", dir, *dir && dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    return buf_detach(&b);
}

/* A git symlink stub: one line, a relative path ending in .json. */
static int is_link_stub(const char *s, size_t n)
{
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
    return n > 5 && n < 512 && s[0] != '{' && s[0] != '/' && memcmp(s + n - 5, ".json", 5) == 0 &&
           !memchr(s, '\n', n);
}

static json_t *load_package(hsds_import_t *imp, const char *dir)
{
    char *path = join(dir, "datapackage.json");
    size_t n = 0;
    char *text = hsds_read_file(path, &n);
    if (text && is_link_stub(text, n)) {
        text[strcspn(text, "\r\n")] = '\0';
        char *target = join(dir, text);
        free(text);
        text = hsds_read_file(target, &n);
        free(target);
    }
    json_t *pkg = NULL;
    if (!text) {
        hsds_problem(imp, path, NULL, "cannot read: %s", strerror(errno));
    } else {
        json_error_t e;
        pkg = json_loadb(text, n, 0, &e);
        if (!pkg) {
            char where[1100];
            snprintf(where, sizeof where, "%s:%d", path, e.line);
            hsds_problem(imp, where, NULL, "not valid JSON: %s", e.text);
        }
    }
    free(text);
    free(path);
    return pkg;
}

struct table {
    hsds_import_t *imp;
    const struct hsds_resource *r;
    const char *file;
    char **names; /* the header */
    int *col;     /* header column -> field index, -1 when not used */
    size_t ncols;
};

static void where_at(char *where, size_t n, const struct table *t, long line)
{
    snprintf(where, n, "%s:%ld", t->file, line);
}

static int read_header(struct table *t, csv_reader_t *rd)
{
    char where[1100];
    where_at(where, sizeof where, t, rd->rec_line);
    t->ncols = csv_count(rd);
    t->col = xcalloc(t->ncols, sizeof *t->col);
    t->names = xcalloc(t->ncols, sizeof *t->names);
    int have_id = 0;
    for (size_t i = 0; i < t->ncols; i++) {
        const char *name = csv_field(rd, i);
        t->names[i] = xstrdup(name);
        t->col[i] = hsds_field_index(t->r, name);
        if (t->col[i] < 0) {
            hsds_problem(t->imp, where, name, "unknown column for %s", t->r->name);
            continue;
        }
        for (size_t j = 0; j < i; j++)
            if (t->col[j] == t->col[i]) {
                hsds_problem(t->imp, where, name, "the column appears twice");
                t->col[i] = -1;
                break;
            }
        if (t->col[i] >= 0 && strcmp(name, "id") == 0) have_id = 1;
    }
    if (!have_id) hsds_problem(t->imp, where, "id", "the header has no id column");
    return have_id ? 0 : -1;
}

static void read_record(struct table *t, csv_reader_t *rd)
{
    char where[1100];
    where_at(where, sizeof where, t, rd->rec_line);
    if (csv_count(rd) != t->ncols) {
        hsds_problem(t->imp, where, NULL, "the record has %zu fields, the header %zu", csv_count(rd), t->ncols);
        return;
    }
    char **vals = xcalloc(t->r->n_fields, sizeof *vals);
    for (size_t i = 0; i < t->ncols; i++)
        if (t->col[i] >= 0 && csv_field_len(rd, i) > 0) vals[t->col[i]] = xstrdup(csv_field(rd, i));
    if (hsds_check_id(t->imp, where, vals[hsds_field_index(t->r, "id")]) != 0) {
        for (size_t i = 0; i < t->r->n_fields; i++) free(vals[i]);
        free(vals);
        return;
    }
    hsds_stage(t->imp, t->r, vals, where, 1);
}

/* A malformed CSV: file, line, and the column being read. */
static void csv_problem(struct table *t, const csv_reader_t *rd, const char *err)
{
    char where[1100], column[48];
    where_at(where, sizeof where, t, rd->err_line);
    snprintf(column, sizeof column, "column %zu", rd->err_field + 1);
    const char *name = t->names && rd->err_field < t->ncols ? t->names[rd->err_field] : column;
    hsds_problem(t->imp, where, name, "%s", err);
}

static void read_table(struct table *t, const char *text, size_t n)
{
    csv_reader_t rd;
    csv_init(&rd, text, n);
    char err[256];
    int rc = csv_next(&rd, err, sizeof err);
    if (rc > 0 && read_header(t, &rd) == 0) {
        while ((rc = csv_next(&rd, err, sizeof err)) > 0) read_record(t, &rd);
    }
    if (rc < 0) csv_problem(t, &rd, err);
    csv_free(&rd);
}

static void stage_resource(hsds_import_t *imp, const char *dir, json_t *res, size_t i)
{
    const char *name = json_string_value(json_object_get(res, "name"));
    const char *path = json_string_value(json_object_get(res, "path"));
    char where[1100];
    snprintf(where, sizeof where, "%s%sdatapackage.json: resources[%zu]", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", i);
    const struct hsds_resource *r = name ? hsds_resource(name) : NULL;
    if (!r || !path || strstr(path, "..") || path[0] == '/') {
        hsds_problem(imp, where, NULL, "%s", !r ? "not an HSDS 3.0 resource (needs a known name)"
                                                 : "needs a relative path without '..'");
        return;
    }
    char *file = join(dir, path);
    size_t n = 0;
    char *text = hsds_read_file(file, &n);
    if (!text) {
        if (errno != ENOENT) hsds_problem(imp, file, NULL, "cannot read: %s", strerror(errno));
    } else {
        struct table t = {imp, r, file, NULL, NULL, 0};
        read_table(&t, text, n);
        for (size_t k = 0; k < t.ncols; k++) free(t.names[k]);
        free(t.names);
        free(t.col);
    }
    free(text);
    free(file);
}

size_t hsds_stage_dir(hsds_import_t *imp, const char *dir)
{
    json_t *pkg = load_package(imp, dir);
    if (!pkg) return imp->np;
    json_t *list = json_object_get(pkg, "resources");
    if (!json_is_array(list)) hsds_problem(imp, dir, "resources", "datapackage.json needs an array of resources");
    size_t i;
    json_t *res;
    json_array_foreach(list, i, res) stage_resource(imp, dir, res, i);
    json_decref(pkg);
    return imp->np;
}
