/*
 * hsds_import.c - the staging area of an HSDS import, its validation and the
 * one transaction that writes it (see hsds.h and hsds_stage.h).
 *
 * Validation runs over every staged row after all input has been read, so a
 * link may point to a record later in the input: each field must have a value
 * when required, a valid literal for its type and an allowed value where the
 * schema has an enum; each link must name a row staged in this import or
 * stored for this municipality (with drop_dangling, one that does neither is
 * set to NULL and reported as a warning, unless the field is required); an
 * id stored for another municipality is refused. Only when no problem was found are the rows written, resource by
 * resource in dependency order, each as INSERT ... ON CONFLICT (id) DO UPDATE:
 * importing the same input twice leaves the same store. JSON imports keep a
 * stored link column the record leaves empty (a nested phone only knows the
 * object it is nested in); tabular imports replace whole rows. Required
 * fields are those of the datapackage for tabular input and those of the JSON
 * Schemas for JSON input (HSDS_JSON_OPTIONAL: in the JSON form a program,
 * service, service_at_location, ... may come without some of its links).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "domain/search.h"
#include "hsds/hsds_stage.h"

hsds_import_t *hsds_import_new(db_t *db, const char *gemeente)
{
    hsds_import_t *imp = xcalloc(1, sizeof *imp);
    imp->db = db;
    imp->gemeente = xstrdup(gemeente);
    return imp;
}

static void free_vals(const struct hsds_resource *r, char **vals)
{
    for (size_t i = 0; i < r->n_fields; i++) free(vals[i]);
    free(vals);
}

void hsds_import_free(hsds_import_t *imp)
{
    if (!imp) return;
    for (size_t i = 0; i < imp->n; i++) {
        free_vals(&hsds_resources[imp->rows[i].res], imp->rows[i].vals);
        free(imp->rows[i].origin);
    }
    for (size_t i = 0; i < imp->np; i++) free(imp->problems[i]);
    for (size_t i = 0; i < imp->nw; i++) free(imp->warnings[i]);
    free(imp->rows);
    free(imp->slots);
    free(imp->problems);
    free(imp->warnings);
    free(imp->gemeente);
    free(imp);
}

void hsds_import_set_drop_dangling(hsds_import_t *imp, int on) { imp->drop_dangling = on != 0; }
size_t hsds_import_problems(const hsds_import_t *imp) { return imp->np; }
const char *hsds_import_problem(const hsds_import_t *imp, size_t i) { return imp->problems[i]; }
size_t hsds_import_dangling(const hsds_import_t *imp) { return imp->dangling; }
size_t hsds_import_warnings(const hsds_import_t *imp) { return imp->nw; }
const char *hsds_import_warning(const hsds_import_t *imp, size_t i) { return imp->warnings[i]; }

size_t hsds_import_count(const hsds_import_t *imp, const struct hsds_resource *r)
{
    size_t n = 0;
    int res = hsds_resource_index(r);
    for (size_t i = 0; i < imp->n; i++) n += imp->rows[i].res == res;
    return n;
}

/* Appends "origin: field: message" to a list of messages. */
static void add_message(char ***list, size_t *n, size_t *cap, const char *origin, const char *field, const char *fmt,
                        va_list ap)
{
    buf_t b = BUF_INIT;
    buf_printf(&b, "%s: ", origin);
    if (field) buf_printf(&b, "%s: ", field);
    buf_vprintf(&b, fmt, ap);
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *list = xrealloc(*list, *cap * sizeof **list);
    }
    (*list)[(*n)++] = buf_detach(&b);
}

void hsds_problem(hsds_import_t *imp, const char *origin, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_message(&imp->problems, &imp->np, &imp->pcap, origin, field, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 4, 5))) static void warning(hsds_import_t *imp, const char *origin, const char *field,
                                                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_message(&imp->warnings, &imp->nw, &imp->wcap, origin, field, fmt, ap);
    va_end(ap);
}

int hsds_check_id(hsds_import_t *imp, const char *origin, const char *id)
{
    if (!id || !*id) {
        hsds_problem(imp, origin, "id", "required field is missing");
        return -1;
    }
    if (strlen(id) > HSDS_ID_MAX) {
        hsds_problem(imp, origin, "id", "is longer than %d characters", HSDS_ID_MAX);
        return -1;
    }
    return 0;
}

char *hsds_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    buf_t b = BUF_INIT;
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, k);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        buf_free(&b);
        errno = EIO;
        return NULL;
    }
    *len = b.len;
    buf_cstr(&b);
    return buf_detach(&b);
}

/* ---- the (resource, id) hash table ----------------------------------------- */

static size_t hash_key(int res, const char *id)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)res;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) h = (h ^ *p) * 1099511628211ULL;
    return (size_t)h;
}

static const char *row_id(const hsds_import_t *imp, long i)
{
    const struct hsds_resource *r = &hsds_resources[imp->rows[i].res];
    return imp->rows[i].vals[hsds_field_index(r, "id")];
}

long hsds_find(const hsds_import_t *imp, int res, const char *id)
{
    if (!imp->nslots) return -1;
    for (size_t s = hash_key(res, id) & (imp->nslots - 1);; s = (s + 1) & (imp->nslots - 1)) {
        long i = imp->slots[s];
        if (i < 0) return -1;
        if (imp->rows[i].res == res && strcmp(row_id(imp, i), id) == 0) return i;
    }
}

static void slot_put(hsds_import_t *imp, long i)
{
    size_t s = hash_key(imp->rows[i].res, row_id(imp, i)) & (imp->nslots - 1);
    while (imp->slots[s] >= 0) s = (s + 1) & (imp->nslots - 1);
    imp->slots[s] = i;
}

static void grow(hsds_import_t *imp)
{
    if (imp->n == imp->cap) {
        imp->cap = imp->cap ? imp->cap * 2 : 64;
        imp->rows = xrealloc(imp->rows, imp->cap * sizeof *imp->rows);
    }
    if ((imp->n + 1) * 2 <= imp->nslots) return;
    imp->nslots = imp->nslots ? imp->nslots * 2 : 128;
    free(imp->slots);
    imp->slots = xmalloc(imp->nslots * sizeof *imp->slots);
    for (size_t s = 0; s < imp->nslots; s++) imp->slots[s] = -1;
    for (size_t i = 0; i < imp->n; i++) slot_put(imp, (long)i);
}

/* Merges vals into the existing row i; values set in both must agree. */
static void merge(hsds_import_t *imp, long i, const struct hsds_resource *r, char **vals, const char *origin)
{
    struct hsds_row *row = &imp->rows[i];
    for (size_t f = 0; f < r->n_fields; f++) {
        if (!vals[f]) continue;
        if (!row->vals[f]) {
            row->vals[f] = vals[f];
            vals[f] = NULL;
        } else if (strcmp(row->vals[f], vals[f]) != 0) {
            hsds_problem(imp, origin, r->fields[f].name,
                         "%s %s appears again with a different value (\"%.60s\", before \"%.60s\" at %s)", r->name,
                         row_id(imp, i), vals[f], row->vals[f], row->origin);
        }
    }
    free_vals(r, vals);
}

long hsds_stage(hsds_import_t *imp, const struct hsds_resource *r, char **vals, const char *origin, int dup_is_error)
{
    int res = hsds_resource_index(r);
    const char *id = vals[hsds_field_index(r, "id")];
    long i = hsds_find(imp, res, id);
    if (i >= 0 && dup_is_error) {
        hsds_problem(imp, origin, "id", "duplicate id \"%s\" (first at %s)", id, imp->rows[i].origin);
        free_vals(r, vals);
        return -1;
    }
    if (i >= 0) {
        merge(imp, i, r, vals, origin);
        return i;
    }
    grow(imp);
    i = (long)imp->n++;
    imp->rows[i] = (struct hsds_row){res, vals, xstrdup(origin)};
    slot_put(imp, i);
    return i;
}

/* ---- validation ------------------------------------------------------------ */

/* The municipality a stored row of table belongs to: 1 found (in g), 0 none, -1 error. */
static int stored_gemeente(db_t *db, const char *table, const char *id, char *g, size_t n)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT gemeente FROM %s WHERE id = ?", table);
    db_stmt_t *st = db_prepare(db, sql);
    db_bind_text(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) snprintf(g, n, "%s", db_col_text(st, 0));
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* Field i of row, a link: it must name a row staged or stored for this
 * municipality. A dangling one is a problem; with drop_dangling, unless the
 * datapackage requires the field, the value is dropped (NULL) with a warning. */
static void check_link(hsds_import_t *imp, struct hsds_row *row, size_t i)
{
    const struct hsds_field *f = &hsds_resources[row->res].fields[i];
    const char *v = row->vals[i];
    const struct hsds_resource *target = hsds_resource(f->link);
    if (hsds_find(imp, hsds_resource_index(target), v) >= 0) return;
    char g[16];
    int rc = stored_gemeente(imp->db, target->table, v, g, sizeof g);
    if (rc < 0) {
        hsds_problem(imp, row->origin, f->name, "database error: %s", db_errmsg(imp->db));
        return;
    }
    if (rc == 1 && strcmp(g, imp->gemeente) == 0) return;
    int required = (f->flags & HSDS_REQUIRED) != 0;
    if (!required) imp->dangling++;
    if (!imp->drop_dangling) {
        hsds_problem(imp, row->origin, f->name, "links to %s \"%s\", which is neither in this import nor in the store",
                     target->name, v);
    } else if (required) {
        hsds_problem(imp, row->origin, f->name,
                     "links to %s \"%s\", which is neither in this import nor in the store; a required field, so "
                     "--drop-dangling cannot leave it empty",
                     target->name, v);
    } else {
        warning(imp, row->origin, f->name,
                "links to %s \"%s\", which is neither in this import nor in the store; dropped (--drop-dangling)",
                target->name, v);
        free(row->vals[i]);
        row->vals[i] = NULL;
    }
}

static void check_row(hsds_import_t *imp, struct hsds_row *row)
{
    const struct hsds_resource *r = &hsds_resources[row->res];
    for (size_t i = 0; i < r->n_fields; i++) {
        const struct hsds_field *f = &r->fields[i];
        const char *v = row->vals[i];
        char msg[512];
        if (!v || !*v) {
            if ((f->flags & HSDS_REQUIRED) && !(imp->json && (f->flags & HSDS_JSON_OPTIONAL)))
                hsds_problem(imp, row->origin, f->name, "required field is %s", v ? "empty" : "missing");
        } else if (hsds_check_value(f, v, msg, sizeof msg) != 0) {
            hsds_problem(imp, row->origin, f->name, "%s", msg);
        } else if (f->link) {
            check_link(imp, row, i); /* may free v */
        }
    }
    char g[16];
    const char *id = row->vals[hsds_field_index(r, "id")];
    if (stored_gemeente(imp->db, r->table, id, g, sizeof g) == 1 && strcmp(g, imp->gemeente) != 0)
        hsds_problem(imp, row->origin, "id", "%s \"%s\" is already used by another municipality", r->name, id);
}

/* ---- writing --------------------------------------------------------------- */

/* INSERT ... ON CONFLICT (id) DO UPDATE for resource r. */
static char *upsert_sql(const struct hsds_resource *r, int merge_links)
{
    buf_t b = BUF_INIT;
    buf_printf(&b, "INSERT INTO %s (gemeente", r->table);
    for (size_t i = 0; i < r->n_fields; i++) buf_printf(&b, ", \"%s\"", r->fields[i].name);
    buf_puts(&b, ") VALUES (?");
    for (size_t i = 0; i < r->n_fields; i++) buf_puts(&b, ", ?");
    buf_puts(&b, ") ON CONFLICT (id) DO UPDATE SET gemeente = excluded.gemeente");
    for (size_t i = 0; i < r->n_fields; i++) {
        const char *n = r->fields[i].name;
        if (strcmp(n, "id") == 0) continue;
        if (merge_links && (r->fields[i].link || (r->fields[i].flags & HSDS_POLY)))
            buf_printf(&b, ", \"%s\" = COALESCE(excluded.\"%s\", %s.\"%s\")", n, n, r->table, n);
        else
            buf_printf(&b, ", \"%s\" = excluded.\"%s\"", n, n);
    }
    buf_printf(&b, " WHERE %s.gemeente = excluded.gemeente", r->table);
    return buf_detach(&b);
}

static int write_row(hsds_import_t *imp, const char *sql, const struct hsds_row *row)
{
    const struct hsds_resource *r = &hsds_resources[row->res];
    db_stmt_t *st = db_prepare(imp->db, sql);
    db_bind_text(st, 1, imp->gemeente);
    for (size_t i = 0; i < r->n_fields; i++) db_bind_text(st, (int)i + 2, row->vals[i]);
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) {
        hsds_problem(imp, row->origin, NULL, "database error: %s", db_errmsg(imp->db));
        return -1;
    }
    return 0;
}

static int write_all(hsds_import_t *imp)
{
    for (size_t r = 0; r < hsds_n_resources; r++) {
        char *sql = upsert_sql(&hsds_resources[r], imp->json);
        int rc = 0;
        for (size_t i = 0; i < imp->n && rc == 0; i++)
            if (imp->rows[i].res == (int)r) rc = write_row(imp, sql, &imp->rows[i]);
        free(sql);
        if (rc != 0) return -1;
    }
    return 0;
}

/* Validation and writing share one write transaction: the links checked
 * against the store cannot change before the rows are written. */
int hsds_import_commit(hsds_import_t *imp)
{
    if (db_begin(imp->db) != DB_OK) {
        hsds_problem(imp, "database", NULL, "cannot begin a transaction: %s", db_errmsg(imp->db));
        return -1;
    }
    for (size_t i = 0; i < imp->n; i++) check_row(imp, &imp->rows[i]);
    if (imp->np || write_all(imp) != 0) {
        db_rollback(imp->db);
        return -1;
    }
    if (search_touch(imp->db, imp->gemeente) != 0) {
        hsds_problem(imp, "database", NULL, "cannot record the change for search: %s", db_errmsg(imp->db));
        db_rollback(imp->db);
        return -1;
    }
    if (db_commit(imp->db) != DB_OK) {
        hsds_problem(imp, "database", NULL, "commit failed: %s", db_errmsg(imp->db));
        db_rollback(imp->db);
        return -1;
    }
    return 0;
}
