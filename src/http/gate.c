/*
 * gate.c - the one gate every request passes before its handler:
 *   1. declared parameters only, validated (router_check_params)
 *   2. session from the kantel_sid cookie, with idle/absolute timeouts
 *   3. the route's capability for the session state and role
 *   4. for state-changing routes: same origin and the CSRF token
 * Refusals are answered here (400/303/401/403) and authorization failures
 * are written to the audit trail.
 */
#include <stdio.h>
#include <string.h>

#include "auth/audit.h"
#include "auth/session.h"
#include "core/util.h"
#include "db/db.h"
#include "http/http.h"

struct http_settings http_cfg;

static void audit_req(http_req_t *req, const char *action, const char *result, const char *detail)
{
    struct audit_event ev = {
        .action = action,
        .object_type = "route",
        .object_id = req->route ? req->route->pattern : req->path,
        .result = result,
        .origin = req->origin_ip,
        .actor_id = req->user ? req->user->id : 0,
        .actor = req->user ? req->user->username : NULL,
        .gemeente = req->user ? req->user->gemeente : http_cfg.gemeente,
        .detail = detail,
    };
    audit_log(&ev);
}

void http_audit(http_req_t *req, const char *action, const char *object_type, int64_t object_id, const char *result,
                const char *detail)
{
    struct audit_event ev = {
        .action = action,
        .object_type = object_type,
        .object_id = object_id ? arena_printf(req->arena, "%lld", (long long)object_id) : "",
        .result = result ? result : "ok",
        .origin = req->origin_ip,
        .actor_id = req->user ? req->user->id : 0,
        .actor = req->user ? req->user->username : NULL,
        .gemeente = req->user ? req->user->gemeente : http_cfg.gemeente,
        .detail = detail,
    };
    audit_log(&ev);
}

static void load_session(http_req_t *req)
{
    const char *tok = kv_get(&req->cookies, "kantel_sid");
    if (!tok) return;
    struct session_row s;
    int rc = session_lookup(db_thread(), tok, now_s(), http_cfg.idle_timeout, http_cfg.absolute_timeout, &s);
    if (rc != SESSION_OK) {
        /* stale cookie: remove it from the browser */
        http_set_cookie(req, "kantel_sid", "", 0);
        req->session_expired = rc == SESSION_EXPIRED;
        return;
    }
    struct http_user *u = arena_calloc(req->arena, sizeof *u);
    u->id = s.account_id;
    u->username = arena_strdup(req->arena, s.username);
    u->display_name = arena_strdup(req->arena, s.display_name);
    u->gemeente = arena_strdup(req->arena, s.gemeente);
    u->role = role_from_code(s.role);
    u->state = arena_strdup(req->arena, s.state);
    u->csrf = arena_strdup(req->arena, s.csrf);
    u->created_at = s.created_at;
    memcpy(u->token_hash, s.token_hash, 32);
    req->user = u;
}

/* Where a pending session belongs. */
static const char *pending_home(const struct http_user *u)
{
    return strcmp(u->state, "enrol") == 0 ? "/inloggen/instellen" : "/inloggen/code";
}

static int check_capability(http_req_t *req)
{
    const struct route *r = req->route;
    struct http_user *u = req->user;
    if (r->cap == CAP_PUBLIC) return 0;
    if (r->cap == CAP_PENDING_MFA || r->cap == CAP_PENDING_ENROL) {
        const char *want = r->cap == CAP_PENDING_MFA ? "mfa" : "enrol";
        if (u && strcmp(u->state, want) == 0) return 0;
        if (u && strcmp(u->state, "full") == 0) {
            http_redirect(req, "/");
            return 303;
        }
        if (u) {
            http_redirect(req, pending_home(u));
            return 303;
        }
        http_redirect(req, "/inloggen");
        return 303;
    }
    if (!u || strcmp(u->state, "full") != 0) {
        audit_req(req, "authz.denied", u ? "mfa-pending" : "no-session", NULL);
        if (u) {
            http_redirect(req, pending_home(u));
            return 303;
        }
        if (req->want_json) {
            http_error(req, 401, "U bent niet ingelogd.");
            return 401;
        }
        http_redirect(req, req->session_expired ? "/inloggen?verlopen=1" : "/inloggen");
        return 303;
    }
    if (!policy_may(u->role, r->cap)) {
        audit_req(req, "authz.denied", "denied", capability_name(r->cap));
        http_error(req, 403, "U heeft geen toegang tot deze pagina.");
        return 403;
    }
    return 0;
}

/* Same-origin check: Sec-Fetch-Site where the browser sends it, else Origin. */
static int same_origin(http_req_t *req, const char *origin, const char *fetch_site)
{
    if (fetch_site && *fetch_site && strcmp(fetch_site, "same-origin") != 0 && strcmp(fetch_site, "none") != 0)
        return 0;
    if (!origin || !*origin) return 1; /* non-browser clients: token still required */
    const char *hostpart = strstr(origin, "://");
    if (!hostpart) return 0;
    return strcmp(hostpart + 3, req->host) == 0;
}

static int check_csrf(http_req_t *req)
{
    if (!(req->route->flags & RF_CSRF)) return 0;
    const char *sent = kv_get(&req->form, "csrf");
    const char *want = req->user ? req->user->csrf : kv_get(&req->cookies, "kantel_pre");
    if (!same_origin(req, req->origin_hdr, req->fetch_site) || !sent || !want || !ct_streq(sent, want)) {
        audit_req(req, "csrf.rejected", "denied", NULL);
        http_error(req, 403, "Dit formulier is verlopen of komt niet van deze website. Laad de pagina opnieuw en probeer het nog eens.");
        return 403;
    }
    return 0;
}

int gate_check(http_req_t *req)
{
    const char *reason = NULL;
    int rc = router_check_params(req, &reason);
    if (rc) {
        http_error(req, rc, reason);
        return rc;
    }
    load_session(req);
    rc = check_capability(req);
    if (!rc) rc = check_csrf(req);
    if (rc) return rc;
    if (json_object_size(req->errors) && !(req->route->flags & RF_FORM)) {
        http_error(req, 400, "Het verzoek is onvolledig of bevat een ongeldige waarde.");
        return 400;
    }
    return 0;
}

void gate_after(http_req_t *req)
{
    const struct route *r = req->route;
    if (!r || !(r->flags & (RF_PD_READ | RF_PD_WRITE))) return;
    int status = req->status ? req->status : 200;
    /* A form re-shown with errors wrote nothing: record it as a read. */
    int wrote = (r->flags & RF_PD_WRITE) && (status == 303 || status == 200) && !json_object_size(req->errors);
    struct audit_event ev = {
        .action = wrote ? "pd.write" : "pd.read",
        .object_type = r->pattern,
        .object_id = req->audit_object_id ? req->audit_object_id : (req->n_path_params ? req->path_params[0] : ""),
        .result = status < 400 ? "ok" : "fail",
        .origin = req->origin_ip,
        .actor_id = req->user ? req->user->id : 0,
        .actor = req->user ? req->user->username : NULL,
        .gemeente = req->user ? req->user->gemeente : http_cfg.gemeente,
        .detail = r->name,
    };
    audit_log(&ev);
}
