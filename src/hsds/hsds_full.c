/*
 * hsds_full.c - full HSDS objects from the store, and paged id lists (hsds.h).
 *
 * build() reads one row, copies its values, and adds in hsds_rels[] order the
 * nested objects: for an HSDS_MANY relation the child rows whose column holds
 * this id (ordered by id), for an HSDS_ONE relation the row this object's
 * column names. The relation leading back to the resource the object is nested
 * in is skipped (a service inside an organization has no "organization"),
 * which also ends the recursion; depth is bounded all the same. A nested
 * object leaves out its link columns (foreign keys and the polymorphic
 * link_id/resource_id); a top-level object leaves out only the columns that
 * are replaced by nested objects (service.organization_id). Absent values and
 * empty arrays are left out. number and integer fields become JSON numbers:
 * an integer literal that fits in 64 bits as an integer, others as reals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "hsds/hsds.h"

#define MAX_DEPTH 10

static json_t *number(const char *s)
{
    if (hsds_is_integer(s) && strlen(s) < 19) return json_integer(strtoll(s, NULL, 10));
    return json_real(strtod(s, NULL));
}

/* The row's values (malloc'd, NULL = absent); NULL when there is no such row. */
static char **load_row(db_t *db, const char *g, const struct hsds_resource *r, const char *id)
{
    buf_t sql = BUF_INIT;
    buf_puts(&sql, "SELECT ");
    for (size_t i = 0; i < r->n_fields; i++) buf_printf(&sql, "%s\"%s\"", i ? ", " : "", r->fields[i].name);
    buf_printf(&sql, " FROM %s WHERE id = ? AND gemeente = ?", r->table);
    db_stmt_t *st = db_prepare(db, buf_cstr(&sql));
    buf_free(&sql);
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, g);
    char **vals = NULL;
    if (db_step(st) == DB_ROW) {
        vals = xcalloc(r->n_fields, sizeof *vals);
        for (size_t i = 0; i < r->n_fields; i++)
            if (!db_col_is_null(st, (int)i)) vals[i] = xstrdup(db_col_text(st, (int)i));
    }
    db_done(st);
    return vals;
}

static void free_row(const struct hsds_resource *r, char **vals)
{
    for (size_t i = 0; i < r->n_fields; i++) free(vals[i]);
    free(vals);
}

/* Ids of child rows whose column equals id. */
static int child_ids(db_t *db, const char *g, const struct hsds_resource *child, const char *col, const char *id,
                     char ***ids, size_t *n)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE \"%s\" = ? AND gemeente = ? ORDER BY id", child->table, col);
    db_stmt_t *st = db_prepare(db, sql);
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, g);
    size_t cap = 0;
    *ids = NULL;
    *n = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *ids = xrealloc(*ids, cap * sizeof **ids);
        }
        (*ids)[(*n)++] = xstrdup(db_col_text(st, 0));
    }
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}

static int shown(const struct hsds_resource *r, const struct hsds_field *f, int nested)
{
    if (nested) return !f->link && !(f->flags & HSDS_POLY);
    return !hsds_one_rel(r, f->name);
}

static void add_fields(json_t *obj, const struct hsds_resource *r, char **vals, int nested)
{
    for (size_t i = 0; i < r->n_fields; i++) {
        const struct hsds_field *f = &r->fields[i];
        if (!vals[i] || !shown(r, f, nested)) continue;
        json_t *v = f->type == HSDS_NUMBER || f->type == HSDS_INTEGER ? number(vals[i]) : json_string(vals[i]);
        if (v) json_object_set_new(obj, f->name, v);
    }
}

static json_t *build(db_t *db, const char *g, const struct hsds_resource *r, const char *id, const char *from,
                     int depth);

static void add_many(json_t *obj, db_t *db, const char *g, const struct hsds_rel *rel, const char *id,
                     const char *from_name, int depth)
{
    const struct hsds_resource *child = hsds_resource(rel->child);
    char **ids;
    size_t n;
    if (child_ids(db, g, child, rel->column, id, &ids, &n) != 0) return;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *c = build(db, g, child, ids[i], from_name, depth + 1);
        if (c) json_array_append_new(arr, c);
    }
    hsds_free_ids(ids, n);
    if (json_array_size(arr)) json_object_set_new(obj, rel->key, arr);
    else json_decref(arr);
}

static json_t *build(db_t *db, const char *g, const struct hsds_resource *r, const char *id, const char *from,
                     int depth)
{
    if (depth > MAX_DEPTH) return NULL;
    char **vals = load_row(db, g, r, id);
    if (!vals) return NULL;
    json_t *obj = json_object();
    add_fields(obj, r, vals, from != NULL);
    for (size_t i = 0; i < hsds_n_rels; i++) {
        const struct hsds_rel *rel = &hsds_rels[i];
        if (strcmp(rel->parent, r->name) != 0 || (from && strcmp(rel->child, from) == 0)) continue;
        if (rel->nest == HSDS_MANY) {
            add_many(obj, db, g, rel, id, r->name, depth);
            continue;
        }
        const char *ref = vals[hsds_field_index(r, rel->column)];
        json_t *c = ref ? build(db, g, hsds_resource(rel->child), ref, r->name, depth + 1) : NULL;
        if (c) json_object_set_new(obj, rel->key, c);
    }
    free_row(r, vals);
    return obj;
}

json_t *hsds_full(db_t *db, const char *gemeente, enum hsds_kind kind, const char *id)
{
    return build(db, gemeente, hsds_kind_resource(kind), id, NULL, 0);
}

static int64_t count_rows(db_t *db, const char *g, const struct hsds_resource *r)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE gemeente = ?", r->table);
    db_stmt_t *st = db_prepare(db, sql);
    db_bind_text(st, 1, g);
    int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    return n;
}

int hsds_list_ids(db_t *db, const char *gemeente, enum hsds_kind kind, int64_t offset, int64_t limit, char ***ids,
                  size_t *n, int64_t *total)
{
    const struct hsds_resource *r = hsds_kind_resource(kind);
    *ids = NULL;
    *n = 0;
    *total = count_rows(db, gemeente, r);
    if (*total < 0) return -1;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE gemeente = ? ORDER BY id LIMIT ? OFFSET ?", r->table);
    db_stmt_t *st = db_prepare(db, sql);
    db_bind_text(st, 1, gemeente);
    db_bind_int(st, 2, limit < 0 ? INT64_MAX : limit);
    db_bind_int(st, 3, offset < 0 ? 0 : offset);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *ids = xrealloc(*ids, cap * sizeof **ids);
        }
        (*ids)[(*n)++] = xstrdup(db_col_text(st, 0));
    }
    db_done(st);
    if (rc != DB_DONE) {
        hsds_free_ids(*ids, *n);
        *ids = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

void hsds_free_ids(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++) free(ids[i]);
    free(ids);
}
