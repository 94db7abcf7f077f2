/*
 * auth.c - sign-in in two steps (password, then a TOTP or recovery code),
 * first-time set-up of the second factor with a QR code, and sign-out.
 * Every attempt writes an audit event.
 */
#include <stdio.h>
#include <string.h>

#include "auth/account.h"
#include "auth/audit.h"
#include "auth/qr.h"
#include "auth/session.h"
#include "core/util.h"
#include "db/db.h"
#include "pages/pages.h"

/* gemeente: the account's municipality, NULL when unknown (then this instance's). */
static void audit_auth(http_req_t *req, const char *action, const char *result, int64_t id, const char *name,
                       const char *gemeente, const char *detail)
{
    struct audit_event ev = {
        .action = action,
        .object_type = "account",
        .object_id = id ? arena_printf(req->arena, "%lld", (long long)id) : "",
        .result = result,
        .origin = req->origin_ip,
        .actor_id = id,
        .actor = name,
        .gemeente = gemeente && *gemeente ? gemeente : http_cfg.gemeente,
        .detail = detail,
    };
    audit_log(&ev);
}

static void set_session_cookie(http_req_t *req, const char *token)
{
    http_set_cookie(req, "kantel_sid", arena_strdup(req->arena, token), -1);
}

static json_t *login_model(http_req_t *req, const char *error)
{
    json_t *m = json_pack("{s:s}", "title", "Inloggen");
    const char *name = http_param(req, "gebruikersnaam");
    if (name) json_object_set_new(m, "gebruikersnaam", json_string(name));
    if (error) json_object_set_new(m, "error", json_string(error));
    if (kv_get(&req->query, "verlopen"))
        json_object_set_new(m, "notice", json_string("Uw sessie is verlopen. Log opnieuw in."));
    if (kv_get(&req->query, "uitgelogd"))
        json_object_set_new(m, "notice", json_string("U bent uitgelogd."));
    if (http_cfg.demo) json_object_set_new(m, "demo", json_true());
    return m;
}

void page_login(http_req_t *req)
{
    if (req->user && strcmp(req->user->state, "full") == 0) {
        http_redirect(req, "/");
        return;
    }
    http_anon_csrf(req);
    http_page(req, "login", login_model(req, NULL));
}

void page_login_post(http_req_t *req)
{
    http_anon_csrf(req);
    if (json_object_size(req->errors)) {
        req->status = 400;
        http_page(req, "login", login_model(req, "Vul uw gebruikersnaam en wachtwoord in."));
        return;
    }
    const char *name = http_param(req, "gebruikersnaam");
    const char *pw = http_param(req, "wachtwoord");
    db_t *db = db_thread();
    struct account a;
    int64_t now = now_s();
    enum auth_result ar = account_check_password(db, name, pw, now, &a);
    if (ar == AUTH_LOCKED) {
        audit_auth(req, "auth.login", "locked", a.id, name, a.gemeente, "password");
        req->status = 429;
        http_page(req, "login", login_model(req,
            "Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. Probeer het over 30 minuten "
            "opnieuw, of vraag de beheerder om hulp."));
        return;
    }
    if (ar != AUTH_OK) {
        audit_auth(req, "auth.login", ar == AUTH_DISABLED ? "disabled" : "fail", a.id, name, a.gemeente, "password");
        req->status = 401;
        http_page(req, "login", login_model(req, "De gebruikersnaam of het wachtwoord klopt niet."));
        return;
    }
    /* A new session at every sign-in; any earlier one of this browser ends. */
    if (req->user) session_delete(db, req->user->token_hash);
    const char *state = a.totp_enabled ? "mfa" : role_info(role_from_code(a.role))->mfa_required ? "enrol" : "full";
    char token[SESSION_TOKEN_LEN];
    if (session_create(db, a.id, a.gemeente, state, req->origin_ip, req->user_agent, token) != 0) {
        http_error(req, 500, "Inloggen lukt op dit moment niet. Probeer het later opnieuw.");
        return;
    }
    audit_auth(req, "auth.login", "ok", a.id, a.username, a.gemeente, a.totp_enabled ? "password; code required" : state);
    set_session_cookie(req, token);
    http_redirect(req, !strcmp(state, "mfa") ? "/inloggen/code" : !strcmp(state, "enrol") ? "/inloggen/instellen" : "/");
}

static json_t *code_model(const char *error)
{
    json_t *m = json_pack("{s:s}", "title", "Inlogcode");
    if (error) json_object_set_new(m, "error", json_string(error));
    return m;
}

void page_login_code(http_req_t *req)
{
    http_page(req, "login_code", code_model(NULL));
}

void page_login_code_post(http_req_t *req)
{
    if (json_object_size(req->errors)) {
        req->status = 400;
        http_page(req, "login_code", code_model("Vul de code van 6 cijfers uit uw app in."));
        return;
    }
    db_t *db = db_thread();
    struct http_user *u = req->user;
    enum auth_result ar = account_check_code(db, u->id, http_param(req, "code"), now_s());
    if (ar == AUTH_LOCKED) {
        audit_auth(req, "auth.mfa", "locked", u->id, u->username, u->gemeente, NULL);
        session_delete(db, u->token_hash);
        http_set_cookie(req, "kantel_sid", "", 0);
        req->status = 429;
        http_anon_csrf(req);
        req->user = NULL;
        http_page(req, "login", login_model(req,
            "Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. Probeer het over 30 minuten "
            "opnieuw, of vraag de beheerder om hulp."));
        return;
    }
    if (ar != AUTH_OK) {
        audit_auth(req, "auth.mfa", "fail", u->id, u->username, u->gemeente, NULL);
        req->status = 401;
        http_page(req, "login_code", code_model("Deze code klopt niet. Gebruik de code die nu in uw app staat, of een herstelcode."));
        return;
    }
    char token[SESSION_TOKEN_LEN];
    if (session_rotate(db, u->token_hash, "full", token) != 0) {
        http_error(req, 500, "Inloggen lukt op dit moment niet. Probeer het later opnieuw.");
        return;
    }
    audit_auth(req, "auth.mfa", "ok", u->id, u->username, u->gemeente, NULL);
    set_session_cookie(req, token);
    http_redirect(req, "/");
}

static json_t *enrol_model(http_req_t *req, const char *error)
{
    char secret[64];
    json_t *m = json_pack("{s:s}", "title", "Tweestapsverificatie instellen");
    if (account_totp_pending(db_thread(), req->user->id, secret, sizeof secret) != 0) {
        json_object_set_new(m, "error", json_string("De sleutel kon niet worden aangemaakt. Probeer het opnieuw."));
        return m;
    }
    char *uri = arena_printf(req->arena, "otpauth://totp/Kantel:%s?secret=%s&issuer=Kantel&algorithm=SHA1&digits=6&period=30",
                             req->user->username, secret);
    buf_t svg = BUF_INIT;
    if (qr_svg(uri, "QR-code om te scannen met uw authenticator-app", &svg) == 0)
        json_object_set_new(m, "qr_svg", json_string(buf_cstr(&svg))); /* built by qr_svg, shown raw */
    buf_free(&svg);
    /* the secret in groups of four, for typing it in by hand */
    char grouped[96];
    size_t j = 0;
    for (size_t i = 0; secret[i] && j + 2 < sizeof grouped; i++) {
        if (i && i % 4 == 0) grouped[j++] = ' ';
        grouped[j++] = secret[i];
    }
    grouped[j] = '\0';
    json_object_set_new(m, "secret", json_string(grouped));
    if (error) json_object_set_new(m, "error", json_string(error));
    return m;
}

void page_enrol(http_req_t *req)
{
    http_page(req, "enrol", enrol_model(req, NULL));
}

void page_enrol_post(http_req_t *req)
{
    if (json_object_size(req->errors)) {
        req->status = 400;
        http_page(req, "enrol", enrol_model(req, "Vul de code van 6 cijfers uit uw app in."));
        return;
    }
    db_t *db = db_thread();
    struct http_user *u = req->user;
    char codes[RECOVERY_CODES][RECOVERY_CODE_LEN];
    if (account_totp_confirm(db, u->id, http_param(req, "code"), now_s(), codes) != AUTH_OK) {
        audit_auth(req, "auth.enrol", "fail", u->id, u->username, u->gemeente, NULL);
        req->status = 401;
        http_page(req, "enrol", enrol_model(req, "Deze code klopt niet. Controleer of de tijd op uw telefoon klopt en probeer de nieuwe code."));
        return;
    }
    char token[SESSION_TOKEN_LEN];
    if (session_rotate(db, u->token_hash, "full", token) != 0) {
        http_error(req, 500, "Inloggen lukt op dit moment niet. Probeer het later opnieuw.");
        return;
    }
    audit_auth(req, "auth.enrol", "ok", u->id, u->username, u->gemeente, NULL);
    set_session_cookie(req, token);
    json_t *list = json_array();
    for (int i = 0; i < RECOVERY_CODES; i++) json_array_append_new(list, json_string(codes[i]));
    http_page(req, "recovery_codes", json_pack("{s:s, s:o}", "title", "Uw herstelcodes", "codes", list));
}

void page_logout(http_req_t *req)
{
    if (req->user) {
        session_delete(db_thread(), req->user->token_hash);
        audit_auth(req, "auth.logout", "ok", req->user->id, req->user->username, req->user->gemeente, NULL);
    }
    http_set_cookie(req, "kantel_sid", "", 0);
    http_redirect(req, "/inloggen?uitgelogd=1");
}
