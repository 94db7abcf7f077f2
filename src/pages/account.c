/*
 * account.c - a user's own account: details, active sessions (which the
 * user can end) and changing the password.
 */
#include <stdio.h>
#include <string.h>

#include "auth/account.h"
#include "auth/audit.h"
#include "auth/session.h"
#include "core/util.h"
#include "db/db.h"
#include "pages/pages.h"

/* Sessions are named by the first 8 bytes of their token hash (hex). */
static void public_id(const void *hash, char out[17]) { hex_encode(hash, 8, out); }

void page_account(http_req_t *req)
{
    struct http_user *u = req->user;
    db_t *db = db_thread();
    struct account a;
    if (account_get(db, u->id, &a) != 0) {
        http_error(req, 404, "Dit account bestaat niet meer.");
        return;
    }
    char when[24];
    fmt_local_time(a.created_at, when, sizeof when);
    json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "title", "Mijn account", "username", a.username,
                          "display_name", a.display_name, "email", a.email, "role", role_info(role_from_code(a.role))->label,
                          "totp", a.totp_enabled, "created", when);
    json_t *list = json_array();
    db_stmt_t *st = db_prepare(db,
        "SELECT token_hash, created_at, last_seen_at, origin, user_agent FROM session"
        " WHERE account_id = ? AND state = 'full' ORDER BY last_seen_at DESC");
    db_bind_int(st, 1, u->id);
    while (db_step(st) == DB_ROW) {
        size_t n;
        const void *h = db_col_blob(st, 0, &n);
        if (n != 32) continue;
        char id[17], c[24], s[24];
        public_id(h, id);
        fmt_local_time(db_col_int(st, 1), c, sizeof c);
        fmt_local_time(db_col_int(st, 2), s, sizeof s);
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "id", id, "created", c, "last_seen", s,
                                              "origin", db_col_text(st, 3), "user_agent", db_col_text(st, 4),
                                              "current", memcmp(h, u->token_hash, 32) == 0));
    }
    db_done(st);
    json_object_set_new(m, "sessions", list);
    req->audit_object_id = arena_printf(req->arena, "%lld", (long long)u->id);
    http_page(req, "account", m);
}

void page_session_end(http_req_t *req)
{
    struct http_user *u = req->user;
    db_t *db = db_thread();
    const char *want = http_param(req, "sessie");
    uint8_t found[32];
    int hit = 0;
    db_stmt_t *st = db_prepare(db, "SELECT token_hash FROM session WHERE account_id = ?");
    db_bind_int(st, 1, u->id);
    while (!hit && db_step(st) == DB_ROW) {
        size_t n;
        const void *h = db_col_blob(st, 0, &n);
        char id[17];
        if (n != 32) continue;
        public_id(h, id);
        if (strcmp(id, want) == 0) {
            memcpy(found, h, 32);
            hit = 1;
        }
    }
    db_done(st);
    if (!hit) {
        http_error(req, 404, "Deze sessie bestaat niet (meer).");
        return;
    }
    session_delete(db, found);
    struct audit_event ev = {.action = "session.end", .object_type = "session", .object_id = want, .result = "ok",
                             .origin = req->origin_ip, .actor_id = u->id, .actor = u->username,
                             .gemeente = u->gemeente};
    audit_log(&ev);
    if (memcmp(found, u->token_hash, 32) == 0) {
        http_set_cookie(req, "kantel_sid", "", 0);
        http_redirect(req, "/inloggen?uitgelogd=1");
    } else {
        http_redirect(req, "/account");
    }
}

static json_t *password_model(const char *error)
{
    json_t *m = json_pack("{s:s}", "title", "Wachtwoord wijzigen");
    if (error) json_object_set_new(m, "error", json_string(error));
    return m;
}

void page_password(http_req_t *req)
{
    http_page(req, "password", password_model(NULL));
}

void page_password_post(http_req_t *req)
{
    struct http_user *u = req->user;
    if (json_object_size(req->errors)) {
        req->status = 400;
        http_page(req, "password", password_model("Vul alle drie de velden in."));
        return;
    }
    const char *cur = http_param(req, "huidig"), *nw = http_param(req, "nieuw"), *rep = http_param(req, "herhaal");
    db_t *db = db_thread();
    struct account a;
    enum auth_result ar = account_check_password(db, u->username, cur, now_s(), &a);
    if (ar != AUTH_OK) {
        struct audit_event ev = {.action = "auth.password-change", .object_type = "account", .result = "fail",
                                 .origin = req->origin_ip, .actor_id = u->id, .actor = u->username,
                                 .gemeente = u->gemeente, .detail = "current password wrong"};
        audit_log(&ev);
        req->status = ar == AUTH_LOCKED ? 429 : 400;
        http_page(req, "password", password_model("Uw huidige wachtwoord klopt niet."));
        return;
    }
    if (strcmp(nw, rep) != 0) {
        req->status = 400;
        http_page(req, "password", password_model("Het nieuwe wachtwoord en de herhaling zijn niet gelijk."));
        return;
    }
    char msg[256];
    if (account_set_password(db, u->id, nw, msg, sizeof msg) != 0) {
        req->status = 400;
        http_page(req, "password", password_model(msg));
        return;
    }
    /* A changed password ends every other session of this account. */
    db_stmt_t *st = db_prepare(db, "DELETE FROM session WHERE account_id = ? AND token_hash <> ?");
    db_bind_int(st, 1, u->id);
    db_bind_blob(st, 2, u->token_hash, 32);
    db_step(st);
    db_done(st);
    req->audit_object_id = arena_printf(req->arena, "%lld", (long long)u->id);
    http_page(req, "password", json_pack("{s:s, s:s}", "title", "Wachtwoord wijzigen", "done",
                                         "Uw wachtwoord is gewijzigd. Andere sessies van uw account zijn beëindigd."));
}
