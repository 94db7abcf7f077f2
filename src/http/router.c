/*
 * router.c - the route table from routes.def, path matching, and the
 * validators for declared parameters.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "auth/policy.h"
#include "core/util.h"
#include "http/http.h"
#include "pages/pages.h"

struct route http_routes[] = {
#define ROUTE(m, pattern, handler, cap, flags, params) {m, pattern, #handler, handler, cap, flags, params, {{0}}, 0},
#include "http/routes.def"
#undef ROUTE
};
const int http_routes_count = (int)(sizeof http_routes / sizeof http_routes[0]);

/* ---- validators ------------------------------------------------------- */

struct validator {
    const char *name;
    size_t max_bytes;  /* longer is hostile: forms carry maxlength */
    int multiline;     /* LF/CR/TAB allowed */
    /* NULL when fine, else a Dutch message for the field */
    const char *(*check)(const char *v);
};

static const char *chk_any(const char *v) { (void)v; return NULL; }

static const char *chk_username(const char *v)
{
    size_t n = strlen(v);
    if (n < 3 || n > 64) return "Een gebruikersnaam heeft 3 tot 64 tekens.";
    for (; *v; v++)
        if (!(islower((unsigned char)*v) || isdigit((unsigned char)*v) || strchr("._-", *v)))
            return "Gebruik alleen kleine letters, cijfers, punt, streepje of liggend streepje.";
    return NULL;
}

static const char *chk_email(const char *v)
{
    const char *at = strchr(v, '@');
    if (!at || at == v || !strchr(at, '.') || strchr(v, ' ') || strchr(at + 1, '@') || at[1] == '.' ||
        v[strlen(v) - 1] == '.')
        return "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.";
    return NULL;
}

static const char *chk_role(const char *v)
{
    return role_from_code(v) == ROLE_NONE ? "Kies een rol uit de lijst." : NULL;
}

static const char *chk_otp(const char *v)
{
    for (; *v; v++)
        if (!(isalnum((unsigned char)*v) || *v == ' ' || *v == '-'))
            return "Vul de code van 6 cijfers in, of een herstelcode.";
    return NULL;
}

static const char *chk_hex(const char *v)
{
    for (; *v; v++)
        if (!isxdigit((unsigned char)*v)) return "Ongeldige verwijzing.";
    return NULL;
}

static const char *chk_token(const char *v)
{
    for (; *v; v++)
        if (!(isalnum((unsigned char)*v) || *v == '-' || *v == '_')) return "Ongeldige waarde.";
    return NULL;
}

static const char *chk_int(const char *v)
{
    int64_t x;
    return parse_i64(v, 0, INT64_MAX / 2, &x) == 0 ? NULL : "Vul een heel getal in.";
}

static const char *chk_date(const char *v)
{
    int y, m, d;
    char extra;
    if (strlen(v) != 10 || sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || v[4] != '-' || v[7] != '-')
        return "Vul een datum in als jjjj-mm-dd, bijvoorbeeld 2026-11-23.";
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days[m - 1] || (m == 2 && d == 29 && !leap))
        return "Deze datum bestaat niet.";
    return NULL;
}

static const char *chk_flag(const char *v)
{
    return (!*v || strcmp(v, "1") == 0) ? NULL : "Ongeldige waarde.";
}

/* An HSDS id (UUIDs in practice): 1..64 of [0-9A-Za-z_-]; the same rule as
 * the {uuid} path segment. */
static int hsds_id_ok(const char *s, size_t n)
{
    if (n == 0 || n > 64) return 0;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_')) return 0;
    return 1;
}

static const char *chk_uuid(const char *v)
{
    return hsds_id_ok(v, strlen(v)) ? NULL : "Ongeldige id: 1 tot 64 tekens uit 0-9, a-z, A-Z, - en _.";
}

/* JSON-style booleans of API query strings. */
static const char *chk_bool(const char *v)
{
    return strcmp(v, "true") == 0 || strcmp(v, "false") == 0 ? NULL : "Gebruik true of false.";
}

static const char *chk_posint(const char *v)
{
    int64_t x;
    return parse_i64(v, 1, 1000000000, &x) == 0 ? NULL : "Vul een heel getal van 1 of meer in.";
}

static int digits_at(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return 0;
    return 1;
}

/* ISO 8601 / RFC 3339: YYYY-MM-DD, optionally THH:MM[:SS[.fraction]] and Z
 * or +HH:MM / -HH:MM; a real calendar day and clock time. */
static const char *chk_datetime(const char *v)
{
    const char *bad = "Vul een datum en tijd in als jjjj-mm-ddThh:mm:ssZ, bijvoorbeeld 2026-11-23T09:30:00Z.";
    char date[11];
    if (strlen(v) < 10) return bad;
    memcpy(date, v, 10);
    date[10] = '\0';
    if (chk_date(date)) return bad;
    const char *p = v + 10;
    if (!*p) return NULL;
    if (*p != 'T' && *p != 't') return bad;
    p++;
    if (!digits_at(p, 2) || p[2] != ':' || !digits_at(p + 3, 2)) return bad;
    if ((p[0] - '0') * 10 + (p[1] - '0') > 23 || (p[3] - '0') * 10 + (p[4] - '0') > 59) return bad;
    p += 5;
    if (*p == ':') {
        if (!digits_at(p + 1, 2) || (p[1] - '0') * 10 + (p[2] - '0') > 60) return bad;
        p += 3;
        if (*p == '.') {
            p++;
            if (!isdigit((unsigned char)*p)) return bad;
            int n = 0;
            while (isdigit((unsigned char)*p)) p++, n++;
            if (n > 9) return bad;
        }
    }
    if (*p == 'Z' || *p == 'z') p++;
    else if (*p == '+' || *p == '-') {
        if (!digits_at(p + 1, 2) || p[3] != ':' || !digits_at(p + 4, 2)) return bad;
        if ((p[1] - '0') * 10 + (p[2] - '0') > 23 || (p[4] - '0') * 10 + (p[5] - '0') > 59) return bad;
        p += 6;
    }
    return *p ? bad : NULL;
}

/* The format parameter of the HSDS API. */
static const char *chk_dataformat(const char *v)
{
    return strcmp(v, "json") == 0 || strcmp(v, "ndjson") == 0 ? NULL : "Gebruik json of ndjson.";
}

/* A Dutch postcode: 1234AB or 1234 AB (letters in either case). */
static const char *chk_postcode(const char *v)
{
    size_t n = strlen(v);
    const char *bad = "Vul een postcode in als 1234AB.";
    if (n != 6 && n != 7) return bad;
    if (!digits_at(v, 4) || v[0] == '0') return bad;
    const char *l = v + 4;
    if (n == 7) {
        if (*l != ' ') return bad;
        l++;
    }
    return isalpha((unsigned char)l[0]) && isalpha((unsigned char)l[1]) ? NULL : bad;
}

static const struct validator validators[] = {
    {"line", 800, 0, chk_any},      /* one line of text, <= 200 characters (4 bytes each) */
    {"text", 40000, 1, chk_any},    /* free text, <= 10,000 characters */
    {"secret", 1024, 0, chk_any},   /* passwords: never echoed, never logged */
    {"username", 64, 0, chk_username},
    {"email", 254, 0, chk_email},
    {"role", 16, 0, chk_role},
    {"otp", 32, 0, chk_otp},
    {"hex", 64, 0, chk_hex},
    {"token", 64, 0, chk_token},
    {"int", 18, 0, chk_int},
    {"date", 10, 0, chk_date},
    {"flag", 1, 0, chk_flag},
    {"uuid", 64, 0, chk_uuid},         /* an HSDS id, see {uuid} */
    {"bool", 5, 0, chk_bool},          /* true / false */
    {"posint", 10, 0, chk_posint},     /* 1 .. 10^9 (page numbers, page sizes) */
    {"datetime", 40, 0, chk_datetime}, /* ISO 8601 date or date and time */
    {"dataformat", 6, 0, chk_dataformat}, /* json / ndjson */
    {"postcode", 7, 0, chk_postcode},  /* 1234AB */
    /* The file of a multipart body (RF_UPLOAD routes only). Only the file part
     * may carry it, never a query or an ordinary form field; max_bytes and
     * check apply to its (already reduced) file name. */
    {"file", PARSE_MP_MAX_FILENAME, 0, chk_any},
};

static const struct validator *find_validator(const char *name)
{
    for (size_t i = 0; i < sizeof validators / sizeof validators[0]; i++)
        if (strcmp(validators[i].name, name) == 0) return &validators[i];
    return NULL;
}

/* ---- table set-up ------------------------------------------------------ */

int router_init(char *err, size_t errlen)
{
    for (int i = 0; i < http_routes_count; i++) {
        struct route *r = &http_routes[i];
        r->n_params = 0;
        const char *s = r->params;
        while (*s) {
            const char *comma = strchr(s, ',');
            size_t len = comma ? (size_t)(comma - s) : strlen(s);
            const char *colon = memchr(s, ':', len);
            if (!colon || r->n_params >= (int)(sizeof r->p / sizeof r->p[0])) {
                snprintf(err, errlen, "route %s %s: bad parameter list", r->method, r->pattern);
                return -1;
            }
            struct route_param *p = &r->p[r->n_params++];
            /* strndup'd names live as long as the process, like the table */
            char *name = strndup(s, (size_t)(colon - s));
            size_t tlen = len - (size_t)(colon - s) - 1;
            p->required = tlen > 0 && colon[tlen] == '!';
            char *type = strndup(colon + 1, tlen - (size_t)p->required);
            if (!name || !type || !find_validator(type)) {
                snprintf(err, errlen, "route %s %s: unknown validator in '%.*s'", r->method, r->pattern, (int)len, s);
                return -1;
            }
            p->name = name;
            p->type = type;
            s = comma ? comma + 1 : s + len;
        }
        /* Uploads: a POST with a CSRF token and exactly one "file" parameter;
         * no "file" parameter anywhere else. */
        int files = 0;
        for (int k = 0; k < r->n_params; k++) files += strcmp(r->p[k].type, "file") == 0;
        int upload = (r->flags & RF_UPLOAD) != 0;
        if (upload ? (strcmp(r->method, "POST") != 0 || !(r->flags & RF_CSRF) || files != 1) : files != 0) {
            snprintf(err, errlen, "route %s %s: RF_UPLOAD needs POST, RF_CSRF and one parameter of type file",
                     r->method, r->pattern);
            return -1;
        }
    }
    return 0;
}

/* ---- matching ---------------------------------------------------------- */

static int seg_ok(const char *pat, size_t plen, const char *seg, size_t slen)
{
    if (plen == 4 && memcmp(pat, "{id}", 4) == 0) {
        if (slen == 0 || slen > 18) return 0;
        for (size_t i = 0; i < slen; i++)
            if (!isdigit((unsigned char)seg[i])) return 0;
        return 1;
    }
    if (plen == 6 && memcmp(pat, "{uuid}", 6) == 0) return hsds_id_ok(seg, slen);
    if (plen == 6 && memcmp(pat, "{file}", 6) == 0) {
        if (slen == 0 || slen > 64 || seg[0] == '.') return 0;
        for (size_t i = 0; i < slen; i++)
            if (!(isalnum((unsigned char)seg[i]) || strchr("._-", seg[i]))) return 0;
        return 1;
    }
    return plen == slen && memcmp(pat, seg, slen) == 0;
}

/* Matches path against pattern; captures {..} segments into req when given. */
static int path_matches(const char *pattern, const char *path, http_req_t *req)
{
    const char *p = pattern, *s = path;
    int n = 0;
    for (;;) {
        if (*p != '/' || *s != '/') return 0;
        p++, s++;
        const char *pe = strchr(p, '/'), *se = strchr(s, '/');
        size_t plen = pe ? (size_t)(pe - p) : strlen(p);
        size_t slen = se ? (size_t)(se - s) : strlen(s);
        if (!seg_ok(p, plen, s, slen)) return 0;
        if (*p == '{' && req) {
            if (n >= HTTP_MAX_PATH_PARAMS) return 0;
            req->path_params[n++] = arena_strndup(req->arena, s, slen);
        }
        p += plen, s += slen;
        if (!*p && !*s) break;
        if (!*p || !*s) return 0;
    }
    if (req) req->n_path_params = n;
    return 1;
}

int router_match(http_req_t *req, const char *method, const char *path, char *allow, size_t allowlen)
{
    const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
    int path_found = 0;
    /* Everything under /api/ answers JSON, refusals (404, 405, 400) included,
     * whatever the client's Accept header says. */
    if (strncmp(path, "/api/", 5) == 0) req->want_json = 1;
    allow[0] = '\0';
    for (int i = 0; i < http_routes_count; i++) {
        struct route *r = &http_routes[i];
        if (!path_matches(r->pattern, path, NULL)) continue;
        if (strcmp(r->method, m) == 0) {
            path_matches(r->pattern, path, req);
            req->route = r;
            return 0;
        }
        path_found = 1;
        size_t l = strlen(allow);
        snprintf(allow + l, allowlen - l, "%s%s", l ? ", " : "", r->method);
        if (strcmp(r->method, "GET") == 0) {
            l = strlen(allow);
            snprintf(allow + l, allowlen - l, ", HEAD");
        }
    }
    return path_found ? 405 : 404;
}

/* ---- parameter checks -------------------------------------------------- */

static const struct route_param *declared(const struct route *r, const char *name)
{
    for (int i = 0; i < r->n_params; i++)
        if (strcmp(r->p[i].name, name) == 0) return &r->p[i];
    return NULL;
}

static int check_list(http_req_t *req, const struct kvlist *l, const char **reason)
{
    const struct route *r = req->route;
    for (size_t i = 0; i < l->n; i++) {
        const struct kv *kv = &l->items[i];
        if ((r->flags & RF_CSRF) && strcmp(kv->key, "csrf") == 0) {
            if (kv->val_len > 64) {
                *reason = "Het formulier bevat een ongeldige beveiligingscode.";
                return 400;
            }
            continue;
        }
        const struct route_param *p = declared(r, kv->key);
        if (!p) {
            *reason = "Het verzoek bevat een onbekende parameter.";
            return 400;
        }
        if (strcmp(p->type, "file") == 0) {
            *reason = "Een bestand in het verzoek is niet als bestand verstuurd.";
            return 400;
        }
        const struct validator *v = find_validator(p->type);
        if (kv->val_len > v->max_bytes) {
            *reason = "Een veld in het verzoek is te lang.";
            return 400;
        }
        if (!v->multiline)
            for (size_t j = 0; j < kv->val_len; j++)
                if (kv->val[j] == '\n' || kv->val[j] == '\r' || kv->val[j] == '\t') {
                    *reason = "Een veld in het verzoek bevat een regelovergang.";
                    return 400;
                }
        if (kv->val_len == 0) continue;
        const char *msg = v->check(kv->val);
        if (msg) json_object_set_new(req->errors, kv->key, json_string(msg));
    }
    return 0;
}

/* The file of a multipart body: only as the declared "file" parameter of an
 * RF_UPLOAD route. An empty file is a field error of the user. */
static int check_upload(http_req_t *req, const char **reason)
{
    const struct route *r = req->route;
    const struct http_upload *u = &req->upload;
    if (!u->field) return 0;
    const struct route_param *p = declared(r, u->field);
    if (!(r->flags & RF_UPLOAD) || !p || strcmp(p->type, "file") != 0) {
        *reason = "Het verzoek bevat een onbekend bestand.";
        return 400;
    }
    const struct validator *v = find_validator(p->type);
    if (strlen(u->filename) > v->max_bytes) {
        *reason = "Een veld in het verzoek is te lang.";
        return 400;
    }
    const char *msg = u->len == 0 ? "Het gekozen bestand is leeg." : v->check(u->filename);
    if (msg) json_object_set_new(req->errors, u->field, json_string(msg));
    return 0;
}

int router_check_params(http_req_t *req, const char **reason)
{
    const struct route *r = req->route;
    int rc = check_list(req, &req->query, reason);
    if (rc) return rc;
    rc = check_list(req, &req->form, reason);
    if (rc) return rc;
    rc = check_upload(req, reason);
    if (rc) return rc;
    /* Required parameters of a POST come in the form; of a GET in the query;
     * a file in req->upload. */
    const struct kvlist *src = strcmp(r->method, "POST") == 0 ? &req->form : &req->query;
    for (int i = 0; i < r->n_params; i++) {
        if (!r->p[i].required) continue;
        if (strcmp(r->p[i].type, "file") == 0) {
            int sent = req->upload.field && strcmp(req->upload.field, r->p[i].name) == 0;
            if (!sent && !json_object_get(req->errors, r->p[i].name))
                json_object_set_new(req->errors, r->p[i].name, json_string("Kies een bestand."));
            continue;
        }
        const char *v = kv_get(src, r->p[i].name);
        int blank = 1;
        for (const char *c = v ? v : ""; *c; c++)
            if (!isspace((unsigned char)*c)) blank = 0;
        if (blank && !json_object_get(req->errors, r->p[i].name))
            json_object_set_new(req->errors, r->p[i].name, json_string("Vul dit veld in."));
    }
    return 0;
}
