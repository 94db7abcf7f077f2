/*
 * response.c - what handlers call to answer (http_page, http_redirect,
 * http_error ...) and response_build(), which turns the request's answer into
 * bytes: the model as JSON when the client asked for JSON, else the page
 * template inside the layout.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/assets.h"
#include "core/log.h"
#include "core/util.h"
#include "http/http.h"
#include "web/views.h"

const char *http_param(http_req_t *req, const char *name)
{
    const char *v = kv_get(&req->form, name);
    return v ? v : kv_get(&req->query, name);
}

void http_page(http_req_t *req, const char *template, json_t *model)
{
    if (req->model) json_decref(req->model);
    req->model = model ? model : json_object();
    req->template = template;
}

void http_redirect(http_req_t *req, const char *location)
{
    req->status = 303;
    req->location = location;
}

static const char *status_title(int status)
{
    switch (status) {
    case 400: return "Ongeldig verzoek";
    case 401: return "Niet ingelogd";
    case 403: return "Geen toegang";
    case 404: return "Pagina niet gevonden";
    case 405: return "Methode niet toegestaan";
    case 413: return "Verzoek te groot";
    case 415: return "Soort inhoud niet ondersteund";
    case 429: return "Te veel pogingen";
    case 503: return "Tijdelijk niet beschikbaar";
    default: return "Er ging iets mis";
    }
}

void http_error(http_req_t *req, int status, const char *message)
{
    req->status = status;
    req->location = NULL;
    json_t *m = json_pack("{s:i, s:s, s:s}", "status", status, "title", status_title(status), "message",
                          message ? message : "");
    http_page(req, "error", m);
}

void http_header(http_req_t *req, const char *name, const char *value)
{
    if (req->n_headers >= HTTP_MAX_HEADERS) {
        log_error("http.headers", "too many headers on one response");
        return;
    }
    req->hdr_name[req->n_headers] = name;
    req->hdr_value[req->n_headers++] = value;
}

void http_set_cookie(http_req_t *req, const char *name, const char *value, int max_age)
{
    http_header(req, "Set-Cookie",
                arena_printf(req->arena, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name, value,
                             http_cfg.cookie_secure ? "; Secure" : "",
                             max_age == 0 ? "; Max-Age=0" : ""));
}

const char *http_anon_csrf(http_req_t *req)
{
    if (req->pre_csrf) return req->pre_csrf;
    const char *have = kv_get(&req->cookies, "kantel_pre");
    if (have && strlen(have) == 43) return req->pre_csrf = have;
    char *tok = arena_alloc(req->arena, 48);
    rand_token(tok, 32);
    http_set_cookie(req, "kantel_pre", tok, -1);
    return req->pre_csrf = tok;
}

/* Navigation per role: what the signed-in user can reach. */
static json_t *nav_for(http_req_t *req)
{
    json_t *nav = json_array();
    struct { const char *href, *label; enum capability cap; } items[] = {
        {"/", "Start", CAP_SIGNED_IN},
        {"/huishoudens", "Huishoudens", CAP_CASEWORK},
        {"/termijnen", "Termijnen", CAP_CASEWORK},
        {"/caseload", "Caseload", CAP_CASEWORK},
        {"/mijn", "Mijn huishouden", CAP_PORTAL},
        {"/mijn/plan", "Mijn plan", CAP_PORTAL},
        {"/netwerk", "Mijn netwerk", CAP_NETWORK_VIEW},
        {"/vrijwilligers", "Vrijwilligers", CAP_VOLUNTEERS},
        {"/organisatie", "Onze organisatie", CAP_ORG},
        {"/organisatie/verwijzingen", "Verwijzingen", CAP_ORG},
        {"/aanbieder/berichten", "Berichten iWmo/iJw", CAP_ISTD_PROVIDER},
        {"/kaartbeheer", "Kaartbeheer", CAP_SOCIALMAP_ADMIN},
        {"/berichten", "Berichten iWmo/iJw", CAP_ISTD_ADMIN},
        {"/sociale-kaart", "Sociale kaart", CAP_SIGNED_IN},
        {"/account", "Mijn account", CAP_SIGNED_IN},
        {"/beheer/gebruikers", "Gebruikers", CAP_ADMIN_USERS},
        {"/beheer/audit", "Audittrail", CAP_AUDIT_READ},
    };
    const size_t n = sizeof items / sizeof items[0];
    /* The current item is the longest href that is the path or a prefix of it
     * ("/mijn/plan/..." marks "Mijn plan", not also "Mijn huishouden"). */
    size_t best = n, best_len = 0;
    for (size_t i = 0; i < n; i++) {
        size_t hl = strlen(items[i].href);
        int hit = strcmp(req->path, items[i].href) == 0 ||
                  (hl > 1 && strncmp(req->path, items[i].href, hl) == 0 && req->path[hl] == '/');
        if (hit && hl > best_len && policy_may(req->user->role, items[i].cap)) best = i, best_len = hl;
    }
    for (size_t i = 0; i < n; i++) {
        if (!policy_may(req->user->role, items[i].cap)) continue;
        json_array_append_new(nav, json_pack("{s:s, s:s, s:b}", "href", items[i].href, "label", items[i].label,
                                             "current", i == best));
    }
    return nav;
}

/* One version for all static URLs (?v=...), from the embedded assets and the
 * theme override: a change of any of them gives browsers new URLs, so the
 * assets can be cached for a year. Computed once (pthread_once). */
extern struct asset pages_theme_override;
static char version[17];
static void compute_version(void)
{
    uint64_t h = 1469598103934665603ULL;
    for (unsigned i = 0; i < kantel_assets_count; i++)
        for (const char *p = kantel_assets[i].etag; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    if (pages_theme_override.etag)
        for (const char *p = pages_theme_override.etag; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    snprintf(version, sizeof version, "%016llx", (unsigned long long)h);
}
static const char *static_version(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, compute_version);
    return version;
}

void http_layout_model(http_req_t *req)
{
    json_t *l = json_object();
    json_object_set_new(l, "nonce", json_string(req->nonce));
    json_object_set_new(l, "theme_class", json_string(http_cfg.theme_class));
    json_object_set_new(l, "gemeente_name", json_string(http_cfg.gemeente_name ? http_cfg.gemeente_name : ""));
    json_object_set_new(l, "demo", json_boolean(http_cfg.demo));
    json_object_set_new(l, "static_version", json_string(static_version()));
    const char *csrf = req->user ? req->user->csrf : req->pre_csrf ? req->pre_csrf : kv_get(&req->cookies, "kantel_pre");
    if (req->user && strcmp(req->user->state, "full") == 0) {
        json_object_set_new(l, "user", json_pack("{s:s, s:s, s:s}", "name", req->user->display_name, "username",
                                                 req->user->username, "role", role_info(req->user->role)->label));
        json_object_set_new(l, "nav", nav_for(req));
    }
    if (csrf) json_object_set_new(l, "csrf", json_string(csrf));
    json_object_set_new(req->model, "layout", l);
}

void response_build(http_req_t *req, const char **ctype)
{
    if (req->status == 303 || req->location) {
        *ctype = "text/plain; charset=utf-8";
        return;
    }
    if (!req->template) { /* raw body, set by the handler */
        *ctype = req->content_type ? req->content_type : "text/plain; charset=utf-8";
        return;
    }
    if (req->want_json) {
        char *s = json_dumps(req->model, JSON_COMPACT | JSON_ENSURE_ASCII);
        buf_puts(&req->out, s ? s : "{}");
        buf_putc(&req->out, '\n');
        free(s);
        *ctype = "application/json; charset=utf-8";
        return;
    }
    http_layout_model(req);
    if (!json_object_get(req->model, "title")) json_object_set_new(req->model, "title", json_string("Kantel"));
    int rc = views_render_page(req->template, req->model, &req->out);
    if (rc != TPL_OK) {
        log_error("http.render", "template %s failed: %d", req->template, rc);
        buf_reset(&req->out);
        buf_puts(&req->out, "<!doctype html><html lang=\"nl\"><title>Fout</title><h1>Er ging iets mis</h1>");
        req->status = 500;
    }
    *ctype = "text/html; charset=utf-8";
}

json_t *http_form_errors(http_req_t *req, json_t *domain_errors, const struct http_field *f, size_t n,
                         enum http_err_order order, json_t *list)
{
    json_t *errors = json_object();
    for (size_t i = 0; i < n; i++) {
        json_t *gate = json_object_get(req->errors, f[i].form);
        json_t *dom = domain_errors && *f[i].domain ? json_object_get(domain_errors, f[i].domain) : NULL;
        json_t *msg = order == HTTP_GATE_FIRST ? (gate ? gate : dom) : (dom ? dom : gate);
        if (!msg) continue;
        json_object_set(errors, f[i].form, msg);
        json_array_append_new(list, json_pack("{s:s, s:s, s:O}", "href", arena_printf(req->arena, "#%s", f[i].id),
                                              "label", f[i].label, "message", msg));
    }
    return errors;
}
