/*
 * hsds_import_json.c - stages the JSON form of HSDS: one full object, an
 * array of them, or a list page ({"total_items": ..., "contents": [...]}).
 *
 * Each object is walked with the nesting of hsds_rels[]: its fields become a
 * row of its resource; under a key of an HSDS_MANY relation every element is
 * a child row whose link column is set to this object's id (service.phones[]
 * -> phone.service_id); under a key of an HSDS_ONE relation the child object
 * is staged and its id goes into this object's column (service.organization
 * -> service.organization_id). A key that is neither a field nor a relation is a problem,
 * as are values of the wrong JSON type. Numbers are kept as text: integers as
 * printed, other numbers in the shortest form that reads back the same.
 * Records are located by their path, e.g. contents[3].phones[0].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "hsds/hsds_stage.h"

struct walk {
    hsds_import_t *imp;
    const char *file;
};

static const struct hsds_rel *find_rel(const struct hsds_resource *r, const char *key)
{
    for (size_t i = 0; i < hsds_n_rels; i++)
        if (strcmp(hsds_rels[i].parent, r->name) == 0 && strcmp(hsds_rels[i].key, key) == 0) return &hsds_rels[i];
    return NULL;
}

/* A JSON real as the shortest text that reads back as the same double. */
static char *real_text(double d)
{
    char s[40];
    for (int p = 1; p <= 17; p++) {
        snprintf(s, sizeof s, "%.*g", p, d);
        if (strtod(s, NULL) == d) break;
    }
    return xstrdup(s);
}

/* The value of field f as text, or NULL with *msg set. */
static char *value_text(const struct hsds_field *f, json_t *v, const char **msg)
{
    if (f->type == HSDS_NUMBER || f->type == HSDS_INTEGER) {
        if (json_is_integer(v)) {
            char s[32];
            snprintf(s, sizeof s, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            return xstrdup(s);
        }
        if (json_is_real(v) && f->type == HSDS_NUMBER) return real_text(json_real_value(v));
        *msg = f->type == HSDS_NUMBER ? "expected a number" : "expected an integer";
        return NULL;
    }
    if (json_is_string(v)) return xstrdup(json_string_value(v));
    *msg = "expected a string";
    return NULL;
}

static char *origin_of(const struct walk *w, const char *path)
{
    buf_t b = BUF_INIT;
    buf_printf(&b, "%s: %s", w->file, *path ? path : "top level");
    return buf_detach(&b);
}

static void read_fields(struct walk *w, const struct hsds_resource *r, json_t *obj, const char *origin, char **vals)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int fi = hsds_field_index(r, key);
        if (fi < 0) {
            if (!find_rel(r, key)) hsds_problem(w->imp, origin, key, "unknown field for %s", r->name);
            continue;
        }
        if (json_is_null(v)) continue;
        const char *msg = NULL;
        vals[fi] = value_text(&r->fields[fi], v, &msg);
        if (!vals[fi]) hsds_problem(w->imp, origin, key, "%s", msg);
    }
}

/* Sets column col of vals to v; a different value already there is a problem. */
static void set_link(struct walk *w, const struct hsds_resource *r, char **vals, const char *col, const char *v,
                     const char *origin)
{
    int fi = hsds_field_index(r, col);
    if (!vals[fi]) vals[fi] = xstrdup(v);
    else if (strcmp(vals[fi], v) != 0)
        hsds_problem(w->imp, origin, col, "\"%s\" contradicts the object it is nested in or refers to (\"%s\")",
                     vals[fi], v);
}

struct parent {
    const struct hsds_rel *rel; /* the relation this object is nested by */
    const char *id;             /* HSDS_MANY: the parent's id */
};

static char *walk(struct walk *w, const struct hsds_resource *r, json_t *obj, const char *path,
                  const struct parent *up);

static void walk_many(struct walk *w, const struct hsds_rel *rel, json_t *arr, const char *path, const char *id,
                      const char *origin)
{
    if (!json_is_array(arr)) {
        if (!json_is_null(arr)) hsds_problem(w->imp, origin, rel->key, "expected an array of %s objects", rel->child);
        return;
    }
    const struct hsds_resource *child = hsds_resource(rel->child);
    struct parent up = {rel, id};
    size_t i;
    json_t *el;
    json_array_foreach(arr, i, el)
    {
        char p[1024];
        snprintf(p, sizeof p, "%s%s%s[%zu]", path, *path ? "." : "", rel->key, i);
        free(walk(w, child, el, p, &up));
    }
}

static void walk_rels(struct walk *w, const struct hsds_resource *r, json_t *obj, const char *path, char **vals,
                      const char *origin)
{
    const char *id = vals[hsds_field_index(r, "id")];
    for (size_t i = 0; i < hsds_n_rels; i++) {
        const struct hsds_rel *rel = &hsds_rels[i];
        json_t *v = strcmp(rel->parent, r->name) == 0 ? json_object_get(obj, rel->key) : NULL;
        if (!v || json_is_null(v)) continue;
        if (rel->nest == HSDS_MANY) {
            walk_many(w, rel, v, path, id, origin);
            continue;
        }
        char p[1024];
        snprintf(p, sizeof p, "%s%s%s", path, *path ? "." : "", rel->key);
        struct parent up = {rel, NULL};
        char *child_id = walk(w, hsds_resource(rel->child), v, p, &up);
        if (child_id) set_link(w, r, vals, rel->column, child_id, origin);
        free(child_id);
    }
}

/* Stages obj as a row of r (and everything nested in it); returns its id
 * (malloc'd) or NULL when it has none. */
static char *walk(struct walk *w, const struct hsds_resource *r, json_t *obj, const char *path,
                  const struct parent *up)
{
    char *origin = origin_of(w, path);
    if (!json_is_object(obj) || strlen(path) > 900) { /* the path length bounds the recursion */
        if (json_is_object(obj)) hsds_problem(w->imp, origin, NULL, "nested too deeply");
        else hsds_problem(w->imp, origin, NULL, "expected a %s object", r->name);
        free(origin);
        return NULL;
    }
    char **vals = xcalloc(r->n_fields, sizeof *vals);
    read_fields(w, r, obj, origin, vals);
    const char *id = vals[hsds_field_index(r, "id")];
    if (hsds_check_id(w->imp, origin, id) != 0) {
        for (size_t i = 0; i < r->n_fields; i++) free(vals[i]);
        free(vals);
        free(origin);
        return NULL;
    }
    char *idc = xstrdup(id);
    if (up && up->rel->nest == HSDS_MANY) set_link(w, r, vals, up->rel->column, up->id, origin);
    walk_rels(w, r, obj, path, vals, origin);
    hsds_stage(w->imp, r, vals, origin, 0);
    free(origin);
    return idc;
}

/* The kind named at the start of the file's name (service_full.json,
 * services.json), longest name first; -1 when none. */
static int kind_from_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    static const enum hsds_kind order[] = {HSDS_SERVICE_AT_LOCATION, HSDS_TAXONOMY_TERM, HSDS_ORGANIZATION,
                                           HSDS_LOCATION,            HSDS_TAXONOMY,      HSDS_SERVICE};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *n = hsds_kind_name(order[i]);
        if (strncmp(base, n, strlen(n)) == 0) return (int)order[i];
    }
    return -1;
}

/* The kind from an object's fields: a field only that kind has. */
static int kind_from_shape(json_t *obj)
{
    static const struct {
        const char *key;
        enum hsds_kind kind;
    } marks[] = {
        {"location_type", HSDS_LOCATION},     {"status", HSDS_SERVICE},
        {"service", HSDS_SERVICE_AT_LOCATION}, {"service_id", HSDS_SERVICE_AT_LOCATION},
        {"taxonomy_detail", HSDS_TAXONOMY_TERM}, {"taxonomy_id", HSDS_TAXONOMY_TERM},
        {"term_uri", HSDS_TAXONOMY_TERM},     {"parent_id", HSDS_TAXONOMY_TERM},
        {"year_incorporated", HSDS_ORGANIZATION}, {"website", HSDS_ORGANIZATION},
        {"services", HSDS_ORGANIZATION},      {"legal_status", HSDS_ORGANIZATION},
        {"version", HSDS_TAXONOMY},
    };
    if (!json_is_object(obj)) return -1;
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (json_object_get(obj, marks[i].key)) return (int)marks[i].kind;
    return -1;
}

/* The records of the document: contents of a list page, an array, or the object itself. */
static json_t *records(json_t *doc, const char **prefix)
{
    json_t *c = json_is_object(doc) ? json_object_get(doc, "contents") : NULL;
    if (c && json_is_array(c)) {
        *prefix = "contents";
        return c;
    }
    *prefix = NULL;
    return doc;
}

static void stage_records(struct walk *w, const struct hsds_resource *r, json_t *list, const char *prefix)
{
    if (!json_is_array(list)) {
        free(walk(w, r, list, "", NULL));
        return;
    }
    size_t i;
    json_t *el;
    json_array_foreach(list, i, el)
    {
        char p[64];
        snprintf(p, sizeof p, "%s[%zu]", prefix ? prefix : "", i);
        free(walk(w, r, el, p, NULL));
    }
}

size_t hsds_stage_json(hsds_import_t *imp, const char *path, int kind)
{
    json_error_t e;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
    if (!doc) {
        char where[1100];
        snprintf(where, sizeof where, "%s:%d", path, e.line);
        hsds_problem(imp, where, NULL, "not valid JSON: %s", e.text);
        return imp->np;
    }
    imp->json = 1;
    const char *prefix;
    json_t *list = records(doc, &prefix);
    if (kind < 0) kind = kind_from_name(path);
    if (kind < 0) kind = kind_from_shape(json_is_array(list) ? json_array_get(list, 0) : list);
    if (kind < 0) {
        hsds_problem(imp, path, NULL, "cannot tell which kind of object this is: use --type");
    } else {
        struct walk w = {imp, path};
        stage_records(&w, hsds_kind_resource((enum hsds_kind)kind), list, prefix);
    }
    json_decref(doc);
    return imp->np;
}
