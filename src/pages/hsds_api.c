/*
 * hsds_api.c - the HSDS 3.0 read API of the sociale kaart under /api/hsds
 * (routes: http/routes_hsds.def; the contract: the Open Referral openapi.json
 * of HSDS 3.0; docs/hsds.md, "The read API").
 *
 * Public, read-only, JSON only (application/json; charset=utf-8), always for
 * the municipality of this instance (http_cfg.gemeente): no session is read
 * or made and nothing is audited (public data).
 *
 * A list request runs one SQL statement per kind (a constant text, every
 * value bound) that applies the structural filters (organization_id,
 * taxonomy_term_id, taxonomy_id, parent_id, top_only) and returns the
 * candidates ordered by id. The filters that the two SQL dialects cannot
 * express alike are applied to those rows in C: search (accent- and
 * case-insensitive, core/fold.h), modified_after (an instant: offsets and
 * fractions compared exactly) and postcode + proximity (haversine distance,
 * domain/geo.h). The page is then cut from the matching ids and only its
 * items are built: list items in the shape of the spec's list schemas (the
 * object's own fields and its single nested objects, no arrays), full objects
 * with hsds_full().
 *
 * Hidden listings (listing.hidden_at, domain/listing.h: not confirmed for
 * socialmap_hide_months) are left out: of the service and service_at_location
 * lists, of an organisation's services, and the id of a hidden service (or of
 * one of its service_at_locations) answers 404 like an unknown id.
 *
 * Errors: 400 with {status, title, message, errors: {parameter: message}},
 * 404 with {status, title, message}.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/fold.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/geo.h"
#include "hsds/hsds.h"
#include "pages/pages.h"

#define PER_PAGE_DEFAULT 50
#define PER_PAGE_MAX 100
#define SEARCH_WORDS_MAX 16

/* ---- answers --------------------------------------------------------------- */

static void send_json(http_req_t *req, int status, json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(body);
    if (!s) {
        status = 500;
        s = strdup("{\"status\":500,\"title\":\"Er ging iets mis\",\"message\":\"\"}");
    }
    req->status = status == 200 ? 0 : status;
    req->template = NULL;
    req->content_type = "application/json; charset=utf-8";
    buf_reset(&req->out);
    buf_puts(&req->out, s ? s : "{}");
    buf_putc(&req->out, '\n');
    free(s);
}

static void api_error(http_req_t *req, int status, const char *message)
{
    const char *title = status == 400 ? "Ongeldig verzoek" : status == 404 ? "Niet gevonden" : "Er ging iets mis";
    json_t *b = json_pack("{s:i, s:s, s:s}", "status", status, "title", title, "message", message);
    if (status == 400 && json_object_size(req->errors)) json_object_set(b, "errors", req->errors);
    send_json(req, status, b);
}

static void param_error(http_req_t *req, const char *name, const char *msg)
{
    if (!json_object_get(req->errors, name)) json_object_set_new(req->errors, name, json_string(msg));
}

/* ---- dates ----------------------------------------------------------------- */

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int num(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* An ISO 8601 date or date and time (HH:MM[:SS[.fff]], Z or +HH:MM, none =
 * UTC) as milliseconds since 1970 UTC. 0, or -1 when it is not one. */
static int iso_ms(const char *s, int64_t *ms)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0;
    if (strlen(s) < 10 || num(s, 4, &y) || s[4] != '-' || num(s + 5, 2, &mo) || s[7] != '-' || num(s + 8, 2, &d))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return -1;
    const char *p = s + 10;
    int64_t off_min = 0;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (num(p, 2, &h) || p[2] != ':' || num(p + 3, 2, &mi)) return -1;
        p += 5;
        if (*p == ':') {
            if (num(p + 1, 2, &sec)) return -1;
            p += 3;
            if (*p == '.') {
                p++;
                int scale = 100;
                if (!isdigit((unsigned char)*p)) return -1;
                for (; isdigit((unsigned char)*p); p++) {
                    frac += (*p - '0') * scale;
                    scale /= 10;
                }
            }
        }
        if (*p == 'Z' || *p == 'z') p++;
        else if (*p == '+' || *p == '-') {
            int oh, om;
            if (num(p + 1, 2, &oh) || p[3] != ':' || num(p + 4, 2, &om)) return -1;
            off_min = (*p == '-' ? -1 : 1) * (int64_t)(oh * 60 + om);
            p += 6;
        }
    }
    if (*p || h > 23 || mi > 59 || sec > 60) return -1;
    int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off_min * 60;
    *ms = t * 1000 + frac;
    return 0;
}

/* ---- list items -------------------------------------------------------------- */

static json_t *number(const char *s)
{
    if (hsds_is_integer(s) && strlen(s) < 19) return json_integer(strtoll(s, NULL, 10));
    return json_real(strtod(s, NULL));
}

/* The shape of the spec's list schemas (service_list, organization_list,
 * service_at_location_list): what hsds_full() gives without any array - the
 * object's fields (a nested object without its link columns, a top-level one
 * without the columns its nested objects replace) and its single nested
 * objects (service.organization, service.program, service_at_location.service
 * and .location, taxonomy_term.taxonomy_detail), recursively. */
static json_t *list_item(db_t *db, const char *g, const struct hsds_resource *r, const char *id, const char *from,
                         int depth)
{
    if (depth > 4) return NULL;
    buf_t sql = BUF_INIT;
    buf_puts(&sql, "SELECT ");
    for (size_t i = 0; i < r->n_fields; i++) buf_printf(&sql, "%s\"%s\"", i ? ", " : "", r->fields[i].name);
    buf_printf(&sql, " FROM %s WHERE id = ? AND gemeente = ?", r->table);
    db_stmt_t *st = db_prepare(db, buf_cstr(&sql));
    buf_free(&sql);
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, g);
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return NULL;
    }
    char **vals = xcalloc(r->n_fields, sizeof *vals);
    for (size_t i = 0; i < r->n_fields; i++)
        if (!db_col_is_null(st, (int)i)) vals[i] = xstrdup(db_col_text(st, (int)i));
    db_done(st);
    json_t *obj = json_object();
    for (size_t i = 0; i < r->n_fields; i++) {
        const struct hsds_field *f = &r->fields[i];
        if (!vals[i]) continue;
        if (from ? (f->link || (f->flags & HSDS_POLY)) : hsds_one_rel(r, f->name) != NULL) continue;
        json_t *v = f->type == HSDS_NUMBER || f->type == HSDS_INTEGER ? number(vals[i]) : json_string(vals[i]);
        if (v) json_object_set_new(obj, f->name, v);
    }
    for (size_t i = 0; i < hsds_n_rels; i++) {
        const struct hsds_rel *rel = &hsds_rels[i];
        if (rel->nest != HSDS_ONE || strcmp(rel->parent, r->name) != 0 || (from && strcmp(rel->child, from) == 0))
            continue;
        const char *ref = vals[hsds_field_index(r, rel->column)];
        json_t *c = ref ? list_item(db, g, hsds_resource(rel->child), ref, r->name, depth + 1) : NULL;
        if (c) json_object_set_new(obj, rel->key, c);
    }
    for (size_t i = 0; i < r->n_fields; i++) free(vals[i]);
    free(vals);
    return obj;
}

/* Removes every array from o and from the objects nested in it. */
static void strip_arrays(json_t *o)
{
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(o, tmp, k, v)
    {
        if (json_is_array(v)) json_object_del(o, k);
        else if (json_is_object(v)) strip_arrays(v);
    }
}

/* 1 when the service is hidden for want of confirmation (listing.h). */
static int service_hidden(db_t *db, const char *service_id)
{
    db_stmt_t *st = db_prepare(db, "SELECT 1 FROM listing WHERE service_id = ? AND hidden_at IS NOT NULL");
    db_bind_text(st, 1, service_id);
    int hidden = db_step(st) == DB_ROW;
    db_done(st);
    return hidden;
}

/* 1 when the service of a service_at_location is hidden. */
static int sal_hidden(db_t *db, const char *sal_id)
{
    db_stmt_t *st = db_prepare(db, "SELECT 1 FROM hsds_service_at_location sal JOIN listing l"
                                   " ON l.service_id = sal.service_id WHERE sal.id = ? AND l.hidden_at IS NOT NULL");
    db_bind_text(st, 1, sal_id);
    int hidden = db_step(st) == DB_ROW;
    db_done(st);
    return hidden;
}

/* A full organization without its hidden services; its services as list
 * items unless full_service. */
static json_t *organization_full(db_t *db, const char *g, const char *id, int full_service)
{
    json_t *o = hsds_full(db, g, HSDS_ORGANIZATION, id);
    json_t *services = json_object_get(o, "services");
    if (o && services) {
        for (size_t i = json_array_size(services); i-- > 0;) {
            const char *sid = json_string_value(json_object_get(json_array_get(services, i), "id"));
            if (sid && service_hidden(db, sid)) json_array_remove(services, i);
        }
        if (json_array_size(services) == 0) json_object_del(o, "services"); /* empty arrays are left out */
    }
    services = json_object_get(o, "services");
    if (o && services && !full_service) {
        size_t i;
        json_t *s;
        json_array_foreach(services, i, s) strip_arrays(s);
    }
    return o;
}

/* ---- queries ----------------------------------------------------------------- */

struct query {
    enum hsds_kind kind;
    int64_t page, per_page;
    int ndjson;
    const char *search;
    const char *taxonomy_term_id, *taxonomy_id, *organization_id, *parent_id;
    int top_only;
    int since_set;
    int64_t since_ms;
    int minimal, full, full_service;
    int near;
    int64_t lat, lon, radius;
    /* search words, folded */
    char *words[SEARCH_WORDS_MAX];
    int n_words;
};

/* Candidate rows: id, four texts for search, last_modified, latitude,
 * longitude. The texts are only read when searching (the first ? = 1). An
 * absent filter is bound as NULL; "CAST(? AS TEXT) IS NULL" gives PostgreSQL
 * the parameter's type, so the statement can be prepared inside the read
 * transaction (a bare "? IS NULL" cannot be, and the failed prepare would
 * abort the transaction). */
static const char SQL_SERVICES[] =
    "SELECT s.id, CASE WHEN ? = 1 THEN s.\"name\" END, CASE WHEN ? = 1 THEN s.alternate_name END, "
    "CASE WHEN ? = 1 THEN s.description END, CAST(NULL AS TEXT), s.last_modified, CAST(NULL AS TEXT), "
    "CAST(NULL AS TEXT) "
    "FROM hsds_service s WHERE s.gemeente = ? "
    "AND NOT EXISTS (SELECT 1 FROM listing lh WHERE lh.service_id = s.id AND lh.hidden_at IS NOT NULL) "
    "AND (CAST(? AS TEXT) IS NULL OR s.organization_id = ?) "
    "AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM hsds_attribute a WHERE a.gemeente = s.gemeente "
    "AND a.link_id = s.id AND a.taxonomy_term_id = ?)) "
    "AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM hsds_attribute a JOIN hsds_taxonomy_term tt "
    "ON tt.id = a.taxonomy_term_id AND tt.gemeente = a.gemeente WHERE a.gemeente = s.gemeente "
    "AND a.link_id = s.id AND tt.taxonomy_id = ?)) "
    "ORDER BY s.id";

static const char SQL_SERVICE_AT_LOCATIONS[] =
    "SELECT sal.id, CASE WHEN ? = 1 THEN s.\"name\" END, CASE WHEN ? = 1 THEN s.description END, "
    "CASE WHEN ? = 1 THEN sal.description END, CASE WHEN ? = 1 THEN l.\"name\" END, s.last_modified, "
    "l.latitude, l.longitude "
    "FROM hsds_service_at_location sal "
    "LEFT JOIN hsds_service s ON s.id = sal.service_id AND s.gemeente = sal.gemeente "
    "LEFT JOIN hsds_location l ON l.id = sal.location_id AND l.gemeente = sal.gemeente "
    "WHERE sal.gemeente = ? "
    "AND NOT EXISTS (SELECT 1 FROM listing lh WHERE lh.service_id = sal.service_id AND lh.hidden_at IS NOT NULL) "
    "AND (CAST(? AS TEXT) IS NULL OR s.organization_id = ?) "
    "AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM hsds_attribute a WHERE a.gemeente = sal.gemeente "
    "AND (a.link_id = sal.id OR a.link_id = sal.service_id) AND a.taxonomy_term_id = ?)) "
    "AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM hsds_attribute a JOIN hsds_taxonomy_term tt "
    "ON tt.id = a.taxonomy_term_id AND tt.gemeente = a.gemeente WHERE a.gemeente = sal.gemeente "
    "AND (a.link_id = sal.id OR a.link_id = sal.service_id) AND tt.taxonomy_id = ?)) "
    "ORDER BY sal.id";

static const char SQL_ORGANIZATIONS[] =
    "SELECT o.id, CASE WHEN ? = 1 THEN o.\"name\" END, CASE WHEN ? = 1 THEN o.alternate_name END, "
    "CASE WHEN ? = 1 THEN o.description END, CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), "
    "CAST(NULL AS TEXT) "
    "FROM hsds_organization o WHERE o.gemeente = ? ORDER BY o.id";

static const char SQL_TAXONOMIES[] =
    "SELECT x.id, CASE WHEN ? = 1 THEN x.\"name\" END, CASE WHEN ? = 1 THEN x.description END, "
    "CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT) "
    "FROM hsds_taxonomy x WHERE x.gemeente = ? ORDER BY x.id";

static const char SQL_TAXONOMY_TERMS[] =
    "SELECT t.id, CASE WHEN ? = 1 THEN t.\"name\" END, CASE WHEN ? = 1 THEN t.description END, "
    "CASE WHEN ? = 1 THEN t.code END, CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), "
    "CAST(NULL AS TEXT) "
    "FROM hsds_taxonomy_term t WHERE t.gemeente = ? "
    "AND (CAST(? AS TEXT) IS NULL OR t.taxonomy_id = ?) "
    "AND (CAST(? AS TEXT) IS NULL OR t.parent_id = ?) "
    "AND (? = 0 OR t.parent_id IS NULL OR t.parent_id = '') "
    "ORDER BY t.id";

static int bind_pair(db_stmt_t *st, int i, const char *v)
{
    db_bind_text(st, i, v);
    db_bind_text(st, i + 1, v);
    return i + 2;
}

static db_stmt_t *candidates(db_t *db, const struct query *q)
{
    const char *sql;
    int ntext;
    switch (q->kind) {
    case HSDS_SERVICE: sql = SQL_SERVICES, ntext = 3; break;
    case HSDS_SERVICE_AT_LOCATION: sql = SQL_SERVICE_AT_LOCATIONS, ntext = 4; break;
    case HSDS_ORGANIZATION: sql = SQL_ORGANIZATIONS, ntext = 3; break;
    case HSDS_TAXONOMY: sql = SQL_TAXONOMIES, ntext = 2; break;
    case HSDS_TAXONOMY_TERM: sql = SQL_TAXONOMY_TERMS, ntext = 3; break;
    default: return NULL;
    }
    db_stmt_t *st = db_prepare(db, sql);
    int i = 1;
    for (int k = 0; k < ntext; k++) db_bind_int(st, i++, q->n_words > 0);
    db_bind_text(st, i++, http_cfg.gemeente);
    if (q->kind == HSDS_SERVICE || q->kind == HSDS_SERVICE_AT_LOCATION) {
        i = bind_pair(st, i, q->organization_id);
        i = bind_pair(st, i, q->taxonomy_term_id);
        i = bind_pair(st, i, q->taxonomy_id);
    } else if (q->kind == HSDS_TAXONOMY_TERM) {
        i = bind_pair(st, i, q->taxonomy_id);
        i = bind_pair(st, i, q->parent_id);
        db_bind_int(st, i++, q->top_only);
    }
    return st;
}

/* Does the candidate row pass the filters done in C? */
static int row_matches(db_stmt_t *st, const struct query *q)
{
    if (q->n_words) {
        buf_t all = BUF_INIT;
        for (int c = 1; c <= 4; c++) {
            if (db_col_is_null(st, c)) continue;
            const char *t = db_col_text(st, c);
            size_t n = strlen(t);
            char *f = xcalloc(2 * n + 2, 1);
            fold_text(t, n, f, 2 * n + 2);
            buf_putc(&all, ' ');
            buf_puts(&all, f);
            free(f);
        }
        const char *hay = buf_cstr(&all);
        int ok = 1;
        for (int w = 0; w < q->n_words && ok; w++) ok = strstr(hay, q->words[w]) != NULL;
        buf_free(&all);
        if (!ok) return 0;
    }
    if (q->since_set) {
        int64_t ms;
        if (db_col_is_null(st, 5) || iso_ms(db_col_text(st, 5), &ms) != 0 || ms < q->since_ms) return 0;
    }
    if (q->near) {
        int64_t lat, lon;
        if (db_col_is_null(st, 6) || db_col_is_null(st, 7) || geo_parse_e7(db_col_text(st, 6), 1, &lat) != 0 ||
            geo_parse_e7(db_col_text(st, 7), 0, &lon) != 0)
            return 0;
        if (geo_distance_m(q->lat, q->lon, lat, lon) > q->radius) return 0;
    }
    return 1;
}

/* The matching ids in order (malloc'd, free with hsds_free_ids); -1 on a
 * database error. */
static int matching_ids(db_t *db, const struct query *q, char ***ids, size_t *n)
{
    db_stmt_t *st = candidates(db, q);
    size_t cap = 0;
    *ids = NULL;
    *n = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (!row_matches(st, q)) continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *ids = xrealloc(*ids, cap * sizeof **ids);
        }
        (*ids)[(*n)++] = xstrdup(db_col_text(st, 0));
    }
    db_done(st);
    if (rc != DB_DONE) {
        log_error("hsds.api", "list of %s: %s", hsds_kind_name(q->kind), db_errmsg(db));
        hsds_free_ids(*ids, *n);
        *ids = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

static json_t *item(db_t *db, const struct query *q, const char *id)
{
    const char *g = http_cfg.gemeente;
    switch (q->kind) {
    case HSDS_SERVICE:
        if (q->minimal) {
            json_t *s = list_item(db, g, hsds_kind_resource(HSDS_SERVICE), id, NULL, 0);
            if (!s) return NULL;
            json_t *m = json_object();
            static const char *const keep[] = {"id", "name", "status", "last_modified"};
            for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
                json_t *v = json_object_get(s, keep[i]);
                if (v) json_object_set(m, keep[i], v);
            }
            json_decref(s);
            return m;
        }
        return q->full ? hsds_full(db, g, q->kind, id) : list_item(db, g, hsds_kind_resource(q->kind), id, NULL, 0);
    case HSDS_SERVICE_AT_LOCATION:
        return q->full ? hsds_full(db, g, q->kind, id) : list_item(db, g, hsds_kind_resource(q->kind), id, NULL, 0);
    case HSDS_ORGANIZATION:
        if (q->full || q->full_service) return organization_full(db, g, id, q->full_service);
        return list_item(db, g, hsds_kind_resource(q->kind), id, NULL, 0);
    default: return hsds_full(db, g, q->kind, id);
    }
}

/* ---- parameters ----------------------------------------------------------------- */

static const char *param(http_req_t *req, const char *name)
{
    const char *v = http_param(req, name);
    return v && *v ? v : NULL;
}

static int flag(http_req_t *req, const char *name)
{
    const char *v = param(req, name);
    return v && strcmp(v, "true") == 0;
}

/* Reads and checks the parameters a list route declares (the router has
 * validated their syntax). 0, or -1 when the 400 has been answered. */
static int read_query(http_req_t *req, enum hsds_kind kind, struct query *q)
{
    memset(q, 0, sizeof *q);
    q->kind = kind;
    q->page = 1;
    q->per_page = PER_PAGE_DEFAULT;
    const char *v;
    if (!json_object_get(req->errors, "page") && (v = param(req, "page"))) q->page = strtoll(v, NULL, 10);
    if (!json_object_get(req->errors, "per_page") && (v = param(req, "per_page"))) {
        q->per_page = strtoll(v, NULL, 10);
        if (q->per_page > PER_PAGE_MAX) param_error(req, "per_page", "Hoogstens 100 per pagina.");
    }
    v = param(req, "format");
    q->ndjson = v && strcmp(v, "ndjson") == 0;
    if (q->ndjson && (param(req, "page") || param(req, "per_page"))) {
        if (param(req, "page")) param_error(req, "page", "format=ndjson geeft alles zonder pagina's.");
        if (param(req, "per_page")) param_error(req, "per_page", "format=ndjson geeft alles zonder pagina's.");
    }
    q->taxonomy_term_id = param(req, "taxonomy_term_id");
    q->taxonomy_id = param(req, "taxonomy_id");
    q->organization_id = param(req, "organization_id");
    q->parent_id = param(req, "parent_id");
    q->top_only = flag(req, "top_only");
    q->minimal = flag(req, "minimal");
    q->full = flag(req, "full");
    q->full_service = flag(req, "full_service");
    if (!json_object_get(req->errors, "modified_after") && (v = param(req, "modified_after"))) {
        if (iso_ms(v, &q->since_ms) != 0) param_error(req, "modified_after", "Ongeldige datum en tijd.");
        q->since_set = 1;
    }
    const char *pc = param(req, "postcode"), *prox = param(req, "proximity");
    if (pc && !prox) param_error(req, "proximity", "Geef bij postcode ook proximity (meters).");
    if (prox && !pc) param_error(req, "postcode", "Geef bij proximity ook een postcode.");
    if (pc && prox && !json_object_get(req->errors, "postcode") && !json_object_get(req->errors, "proximity")) {
        char norm[8];
        size_t n = 0;
        for (const char *c = pc; *c && n < 6; c++)
            if (*c != ' ') norm[n++] = (char)toupper((unsigned char)*c);
        norm[n] = '\0';
        db_stmt_t *st = db_prepare(db_thread(), "SELECT lat_e7, lon_e7 FROM postcode_geo WHERE gemeente = ? AND postcode = ?");
        db_bind_text(st, 1, http_cfg.gemeente);
        db_bind_text(st, 2, norm);
        if (db_step(st) == DB_ROW) {
            q->near = 1;
            q->lat = db_col_int(st, 0);
            q->lon = db_col_int(st, 1);
            q->radius = strtoll(prox, NULL, 10);
        } else {
            param_error(req, "postcode", "Deze postcode is niet bekend.");
        }
        db_done(st);
    }
    if ((v = param(req, "search"))) {
        size_t n = strlen(v);
        char *f = arena_alloc(req->arena, 2 * n + 2);
        fold_text(v, n, f, 2 * n + 2);
        char *save = NULL;
        for (char *w = strtok_r(f, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
            if (q->n_words == SEARCH_WORDS_MAX) {
                param_error(req, "search", "Hoogstens 16 woorden.");
                break;
            }
            q->words[q->n_words++] = w;
        }
    }
    if (json_object_size(req->errors)) {
        api_error(req, 400, "Het verzoek bevat een ongeldige parameter.");
        return -1;
    }
    return 0;
}

static void list(http_req_t *req, enum hsds_kind kind)
{
    struct query q;
    if (read_query(req, kind, &q) != 0) return;
    db_t *db = db_thread();
    if (db_begin_read(db) != DB_OK) {
        api_error(req, 500, "De gegevens zijn nu niet te lezen.");
        return;
    }
    char **ids;
    size_t n;
    if (matching_ids(db, &q, &ids, &n) != 0) {
        db_rollback(db);
        api_error(req, 500, "De gegevens zijn nu niet te lezen.");
        return;
    }
    if (q.ndjson) {
        buf_reset(&req->out);
        for (size_t i = 0; i < n; i++) {
            json_t *o = item(db, &q, ids[i]);
            if (!o) continue;
            char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
            json_decref(o);
            if (s) {
                buf_puts(&req->out, s);
                buf_putc(&req->out, '\n');
                free(s);
            }
        }
        db_rollback(db);
        hsds_free_ids(ids, n);
        req->template = NULL;
        req->content_type = "application/x-ndjson; charset=utf-8";
        return;
    }
    int64_t total = (int64_t)n;
    int64_t pages = (total + q.per_page - 1) / q.per_page;
    json_t *contents = json_array();
    int64_t from = (q.page - 1) * q.per_page;
    for (int64_t i = from; i < total && i < from + q.per_page; i++) {
        json_t *o = item(db, &q, ids[i]);
        if (o) json_array_append_new(contents, o);
    }
    db_rollback(db);
    hsds_free_ids(ids, n);
    size_t size = json_array_size(contents);
    json_t *b = json_object();
    json_object_set_new(b, "total_items", json_integer(total));
    json_object_set_new(b, "total_pages", json_integer(pages));
    json_object_set_new(b, "page_number", json_integer(q.page));
    json_object_set_new(b, "size", json_integer((json_int_t)size));
    json_object_set_new(b, "first_page", json_boolean(q.page == 1));
    json_object_set_new(b, "last_page", json_boolean(q.page >= pages));
    json_object_set_new(b, "empty", json_boolean(size == 0));
    json_object_set_new(b, "contents", contents);
    send_json(req, 200, b);
}

static void one(http_req_t *req, enum hsds_kind kind, const char *what)
{
    if (json_object_size(req->errors)) {
        api_error(req, 400, "Het verzoek bevat een ongeldige parameter.");
        return;
    }
    db_t *db = db_thread();
    if (db_begin_read(db) != DB_OK) {
        api_error(req, 500, "De gegevens zijn nu niet te lezen.");
        return;
    }
    const char *id = req->path_params[0];
    int hidden = (kind == HSDS_SERVICE && service_hidden(db, id)) ||
                 (kind == HSDS_SERVICE_AT_LOCATION && sal_hidden(db, id));
    json_t *o = hidden ? NULL
              : kind == HSDS_ORGANIZATION ? organization_full(db, http_cfg.gemeente, id, flag(req, "full_service"))
                                          : hsds_full(db, http_cfg.gemeente, kind, id);
    db_rollback(db);
    if (!o) {
        api_error(req, 404, arena_printf(req->arena, "Er is geen %s met deze id.", what));
        return;
    }
    send_json(req, 200, o);
}

/* ---- handlers -------------------------------------------------------------------- */

void page_hsds_meta(http_req_t *req)
{
    send_json(req, 200,
              json_pack("{s:s, s:s, s:s}", "version", "3.0", "profile", "https://docs.openreferral.org/en/3.0/",
                        "openapi_url",
                        "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"));
}

void page_hsds_services(http_req_t *req) { list(req, HSDS_SERVICE); }
void page_hsds_organizations(http_req_t *req) { list(req, HSDS_ORGANIZATION); }
void page_hsds_service_at_locations(http_req_t *req) { list(req, HSDS_SERVICE_AT_LOCATION); }
void page_hsds_taxonomies(http_req_t *req) { list(req, HSDS_TAXONOMY); }
void page_hsds_taxonomy_terms(http_req_t *req) { list(req, HSDS_TAXONOMY_TERM); }

void page_hsds_service(http_req_t *req) { one(req, HSDS_SERVICE, "dienst (service)"); }
void page_hsds_organization(http_req_t *req) { one(req, HSDS_ORGANIZATION, "organisatie (organization)"); }
void page_hsds_service_at_location(http_req_t *req) { one(req, HSDS_SERVICE_AT_LOCATION, "dienst op locatie (service_at_location)"); }
void page_hsds_taxonomy(http_req_t *req) { one(req, HSDS_TAXONOMY, "taxonomie (taxonomy)"); }
void page_hsds_taxonomy_term(http_req_t *req) { one(req, HSDS_TAXONOMY_TERM, "taxonomieterm (taxonomy_term)"); }
