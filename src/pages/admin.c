/*
 * admin.c - administration: accounts of this municipality (create, block,
 * reset the second factor) and searching the audit trail.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/account.h"
#include "auth/audit.h"
#include "core/util.h"
#include "db/db.h"
#include "pages/pages.h"

static void audit_admin(http_req_t *req, const char *action, int64_t target, const char *detail)
{
    http_audit(req, action, "account", target, "ok", detail);
}

static json_t *roles_model(const char *selected)
{
    json_t *roles = json_array();
    for (int r = 1; r < ROLE_COUNT; r++) {
        const struct role_info *ri = role_info((enum role)r);
        json_array_append_new(roles, json_pack("{s:s, s:s, s:b}", "code", ri->code, "label", ri->label, "selected",
                                               selected && strcmp(selected, ri->code) == 0));
    }
    return roles;
}

static json_t *users_model(http_req_t *req, const char *error)
{
    db_t *db = db_thread();
    int64_t now = now_s();
    json_t *m = json_pack("{s:s}", "title", "Gebruikers");
    json_t *list = json_array();
    db_stmt_t *st = db_prepare(db,
        "SELECT id, username, display_name, email, role, totp_enabled, disabled, locked_until,"
        " (SELECT count(*) FROM session s WHERE s.account_id = account.id)"
        " FROM account WHERE gemeente = ? ORDER BY username");
    db_bind_text(st, 1, req->user->gemeente);
    while (db_step(st) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        int disabled = (int)db_col_int(st, 6);
        int locked = db_col_int(st, 7) > now;
        const char *status = disabled ? "Geblokkeerd" : locked ? "Tijdelijk vergrendeld" : "Actief";
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:I, s:b}",
            "id", (json_int_t)id, "username", db_col_text(st, 1), "display_name", db_col_text(st, 2),
            "email", db_col_text(st, 3), "role", role_info(role_from_code(db_col_text(st, 4)))->label,
            "totp", (int)db_col_int(st, 5), "disabled", disabled, "status", status,
            "sessions", (json_int_t)db_col_int(st, 8), "self", id == req->user->id));
    }
    db_done(st);
    json_object_set_new(m, "users", list);
    json_object_set_new(m, "roles", roles_model(http_param(req, "rol")));
    json_t *form = json_object();
    const char *keep[] = {"gebruikersnaam", "naam", "email"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = kv_get(&req->form, keep[i]);
        if (v && error) json_object_set_new(form, keep[i], json_string(v));
    }
    json_object_set_new(m, "form", form);
    if (error) json_object_set_new(m, "error", json_string(error));
    if (json_object_size(req->errors)) json_object_set(m, "field_errors", req->errors);
    return m;
}

void page_users(http_req_t *req)
{
    http_page(req, "admin_users", users_model(req, NULL));
}

void page_users_add(http_req_t *req)
{
    if (json_object_size(req->errors)) {
        req->status = 400;
        http_page(req, "admin_users", users_model(req, "Het account is niet aangemaakt. Verbeter de gemarkeerde velden."));
        return;
    }
    char msg[256];
    int64_t id = account_create(db_thread(), req->user->gemeente, http_param(req, "gebruikersnaam"),
                                http_param(req, "naam"), http_param(req, "email"), http_param(req, "rol"),
                                http_param(req, "wachtwoord"), msg, sizeof msg);
    if (id < 0) {
        /* Point at the field at fault, like the gate's field errors. */
        const char *field = id == ACCOUNT_E_USERNAME ? "gebruikersnaam" : id == ACCOUNT_E_NAME ? "naam"
                          : id == ACCOUNT_E_ROLE ? "rol" : id == ACCOUNT_E_PASSWORD ? "wachtwoord" : NULL;
        if (field) json_object_set_new(req->errors, field, json_string(msg));
        req->status = id == ACCOUNT_E_FAILED ? 500 : 400;
        http_page(req, "admin_users", users_model(req, field ? "Het account is niet aangemaakt. Verbeter de gemarkeerde velden." : msg));
        return;
    }
    audit_admin(req, "account.create", id, http_param(req, "rol"));
    req->audit_object_id = arena_printf(req->arena, "%lld", (long long)id);
    http_redirect(req, "/beheer/gebruikers");
}

/* The target account, only within the administrator's own municipality. */
static int64_t target_account(http_req_t *req)
{
    int64_t id;
    struct account a;
    if (parse_i64(req->path_params[0], 1, INT64_MAX / 2, &id) != 0 || account_get(db_thread(), id, &a) != 0 ||
        strcmp(a.gemeente, req->user->gemeente) != 0) {
        http_error(req, 404, "Dit account bestaat niet.");
        return 0;
    }
    return id;
}

void page_user_disable(http_req_t *req)
{
    int64_t id = target_account(req);
    if (!id) return;
    if (id == req->user->id) {
        http_error(req, 400, "U kunt uw eigen account niet blokkeren.");
        return;
    }
    if (account_disable(db_thread(), id) != 0) {
        http_error(req, 500, "Het account kon niet worden geblokkeerd. Probeer het opnieuw.");
        return;
    }
    audit_admin(req, "account.disable", id, NULL);
    http_redirect(req, "/beheer/gebruikers");
}

void page_user_mfa_reset(http_req_t *req)
{
    int64_t id = target_account(req);
    if (!id) return;
    if (account_mfa_reset(db_thread(), id) != 0) {
        http_error(req, 500, "De tweestapsverificatie kon niet worden hersteld. Probeer het opnieuw.");
        return;
    }
    audit_admin(req, "account.mfa-reset", id, NULL);
    http_redirect(req, "/beheer/gebruikers");
}

/* Start of a local (Europe/Amsterdam) day in unix milliseconds. */
static int64_t local_day_ms(const char *date)
{
    struct tm tm = {0};
    if (sscanf(date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    int64_t t = (int64_t)timegm(&tm);
    char s[24];
    fmt_local_time(t - 3600, s, sizeof s); /* midnight CET is 23:00 UTC the day before */
    int64_t off = strstr(s, " 00:") ? 3600 : 7200;
    return (t - off) * 1000;
}

#define AUDIT_PAGE 50

void page_audit(http_req_t *req)
{
    audit_flush(); /* show events up to this moment, not only those already written */
    json_t *m = json_pack("{s:s}", "title", "Audittrail");
    const char *names[] = {"gebruiker", "actie", "object", "resultaat", "van", "tot"};
    json_t *filter = json_object();
    for (size_t i = 0; i < 6; i++) {
        const char *v = kv_get(&req->query, names[i]);
        json_object_set_new(filter, names[i], json_string(v ? v : ""));
    }
    json_object_set_new(m, "filter", filter);
    if (json_object_size(req->errors)) {
        json_object_set(m, "field_errors", req->errors);
        json_object_set_new(m, "error", json_string("Verbeter de zoekvelden."));
        req->status = 400;
        http_page(req, "admin_audit", m);
        return;
    }
    const char *who = kv_get(&req->query, "gebruiker"), *act = kv_get(&req->query, "actie");
    const char *obj = kv_get(&req->query, "object"), *res = kv_get(&req->query, "resultaat");
    const char *from = kv_get(&req->query, "van"), *to = kv_get(&req->query, "tot");
    const char *before = kv_get(&req->query, "voor");
    int64_t before_id = INT64_MAX / 2;
    if (before && *before) parse_i64(before, 0, INT64_MAX / 2, &before_id);
    int64_t from_ms = from && *from ? local_day_ms(from) : 0;
    int64_t to_ms = to && *to ? local_day_ms(to) + 86400000 : INT64_MAX / 2;
    /* Empty filters match everything: (? = '' OR column = ?). */
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT id, ts, actor, on_behalf_of, action, object_type, object_id, result, origin, detail"
        " FROM audit_event WHERE gemeente = ? AND id < ? AND ts >= ? AND ts < ?"
        " AND (? = '' OR actor = ?) AND (? = '' OR action LIKE ? || '%')"
        " AND (? = '' OR object_type = ? OR object_id = ?) AND (? = '' OR result = ?)"
        " ORDER BY id DESC LIMIT ?");
    int k = 1;
    db_bind_text(st, k++, req->user->gemeente);
    db_bind_int(st, k++, before_id);
    db_bind_int(st, k++, from_ms);
    db_bind_int(st, k++, to_ms);
    const char *w = who ? who : "", *a = act ? act : "", *o = obj ? obj : "", *r = res ? res : "";
    db_bind_text(st, k++, w);
    db_bind_text(st, k++, w);
    db_bind_text(st, k++, a);
    db_bind_text(st, k++, a);
    db_bind_text(st, k++, o);
    db_bind_text(st, k++, o);
    db_bind_text(st, k++, o);
    db_bind_text(st, k++, r);
    db_bind_text(st, k++, r);
    db_bind_int(st, k++, AUDIT_PAGE + 1);
    json_t *rows = json_array();
    int64_t last_id = 0;
    int n = 0, more = 0;
    while (db_step(st) == DB_ROW) {
        if (n == AUDIT_PAGE) {
            more = 1;
            break;
        }
        char when[24];
        int64_t ts = db_col_int(st, 1);
        fmt_local_time(ts / 1000, when, sizeof when);
        last_id = db_col_int(st, 0);
        json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
            "id", (json_int_t)last_id, "time", when, "actor", db_col_text(st, 2), "on_behalf_of", db_col_text(st, 3),
            "action", db_col_text(st, 4), "object_type", db_col_text(st, 5), "object_id", db_col_text(st, 6),
            "result", db_col_text(st, 7), "origin", db_col_text(st, 8), "detail", db_col_text(st, 9)));
        n++;
    }
    db_done(st);
    json_object_set_new(m, "events", rows);
    json_object_set_new(m, "count", json_integer(n));
    if (more) {
        buf_t q = BUF_INIT;
        buf_printf(&q, "?voor=%lld", (long long)last_id);
        for (size_t i = 0; i < 6; i++) {
            const char *v = kv_get(&req->query, names[i]);
            if (!v || !*v) continue;
            buf_printf(&q, "&%s=", names[i]);
            for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
                if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._", *p))
                    buf_putc(&q, (char)*p);
                else
                    buf_printf(&q, "%%%02X", *p);
            }
        }
        json_object_set_new(m, "next", json_string(buf_cstr(&q)));
        buf_free(&q);
    }
    http_page(req, "admin_audit", m);
}
