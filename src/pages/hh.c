/*
 * hh.c - need-to-know for household pages, the refusal page with the
 * break-the-glass form, and break-the-glass itself (see hh.h).
 */
#include "pages/hh.h"

#include <stdio.h>
#include <string.h>

#include "auth/audit.h"
#include "core/util.h"
#include "db/db.h"
#include "pages/pages.h"

static void audit_hh(http_req_t *req, const char *action, const char *result, int64_t household_id,
                     const char *detail)
{
    http_audit(req, action, "household", household_id, result, detail);
}

int64_t hh_path_id(http_req_t *req, int i)
{
    int64_t id;
    if (i >= req->n_path_params || parse_i64(req->path_params[i], 1, INT64_MAX / 2, &id) != 0) return 0;
    return id;
}

static void denied_page(http_req_t *req, int64_t household_id, const char *error)
{
    req->status = error ? 400 : 403;
    json_t *m = json_pack("{s:s, s:I}", "title", "Geen toegang tot dit huishouden", "household_id",
                          (json_int_t)household_id);
    if (error) json_object_set_new(m, "error", json_string(error));
    const char *reason = kv_get(&req->form, "reden");
    if (reason && error) json_object_set_new(m, "reden", json_string(reason));
    http_page(req, "household_denied", m);
}

int hh_load(http_req_t *req, struct hh *out)
{
    int64_t id = hh_path_id(req, 0);
    enum hh_access a = id ? household_access(db_thread(), req->user->gemeente, req->user->id, id, now_s())
                          : HH_NOT_FOUND;
    if (a == HH_NOT_FOUND) {
        http_error(req, 404, "Dit huishouden bestaat niet (meer).");
        return -1;
    }
    if (a == HH_DENIED) {
        audit_hh(req, "authz.denied", "denied", id, "no need-to-know");
        denied_page(req, id, NULL);
        return -1;
    }
    if (a == HH_BREAK_GLASS) audit_hh(req, "access.break-glass", "ok", id, req->route->pattern);
    out->id = id;
    out->access = a;
    out->team_id = 0;
    out->name = "";
    db_stmt_t *st = db_prepare(db_thread(), "SELECT name, team_id FROM household WHERE id = ?");
    db_bind_int(st, 1, id);
    if (db_step(st) == DB_ROW) {
        out->name = arena_strdup(req->arena, db_col_text(st, 0));
        out->team_id = db_col_int(st, 1);
    }
    db_done(st);
    req->audit_object_id = arena_printf(req->arena, "%lld", (long long)id);
    return 0;
}

json_t *hh_break_glass_model(int64_t household_id)
{
    json_t *list = json_array();
    int64_t now = now_s();
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT a.display_name, b.created_at, b.expires_at, b.reason FROM break_glass b"
        " JOIN account a ON a.id = b.account_id WHERE b.household_id = ? ORDER BY b.id DESC LIMIT 50");
    db_bind_int(st, 1, household_id);
    while (db_step(st) == DB_ROW) {
        char when[24], until[24];
        fmt_local_time(db_col_int(st, 1), when, sizeof when);
        fmt_local_time(db_col_int(st, 2), until, sizeof until);
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:b}", "who", db_col_text(st, 0), "when", when,
                                              "until", until, "reason", db_col_text(st, 3), "active",
                                              db_col_int(st, 2) > now));
    }
    db_done(st);
    return list;
}

/* POST /huishoudens/{id}/doorbreken: access outside need-to-know, with a
 * reason, for BREAK_GLASS_SECONDS; audited and shown to the coordinator. */
void page_break_glass(http_req_t *req)
{
    int64_t id = hh_path_id(req, 0);
    int64_t now = now_s();
    enum hh_access a = id ? household_access(db_thread(), req->user->gemeente, req->user->id, id, now) : HH_NOT_FOUND;
    if (a == HH_NOT_FOUND) {
        http_error(req, 404, "Dit huishouden bestaat niet (meer).");
        return;
    }
    char *target = arena_printf(req->arena, "/huishoudens/%lld", (long long)id);
    if (a != HH_DENIED) { /* already allowed: nothing to break */
        http_redirect(req, target);
        return;
    }
    const char *reason = kv_get(&req->form, "reden");
    size_t len = reason ? strlen(reason) : 0;
    if (json_object_size(req->errors) || len < 10) {
        denied_page(req, id, "Schrijf op waarom u nu toegang nodig heeft (minstens 10 tekens). De regisseur ziet uw reden.");
        return;
    }
    int64_t grant = break_glass_grant(db_thread(), req->user->gemeente, req->user->id, id, reason, now);
    if (grant < 0) {
        http_error(req, 500, "De toegang kon niet worden vastgelegd. Probeer het opnieuw.");
        return;
    }
    audit_hh(req, "access.break-glass-grant", "ok", id, arena_printf(req->arena, "grant %lld", (long long)grant));
    req->audit_object_id = arena_printf(req->arena, "%lld", (long long)id);
    http_redirect(req, target);
}
