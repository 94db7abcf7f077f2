/*
 * portal.c - the resident portal (/mijn...) and invitations (one-time links
 * to activate an account).
 *
 * A resident reaches only the household that holds their own person
 * (account.person_id); no portal URL carries an id except ?versie=N, which is
 * looked up in that household's plan only. Staff create invitations under
 * /huishoudens/{id}/uitnodigingen (hh_load first); the link is shown once.
 * Residents and network members activate at /activeren; the rules are in
 * domain/invite.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "auth/password.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/assess.h"
#include "domain/calendar.h"
#include "domain/household.h"
#include "domain/ident.h"
#include "domain/instrument.h"
#include "domain/invite.h"
#include "domain/ladder.h"
#include "domain/plan.h"
#include "domain/request.h"
#include "pages/hh.h"
#include "pages/pages.h"
#include "pages/referrals.h"

#define COMMENT_MAX 2000   /* characters in a comment */
#define ACCESS_PAGE 100    /* rows per page of the access log */

/* ---- helpers ----------------------------------------------------------- */

static void audit_ev(http_req_t *req, const char *action, const char *type, int64_t id, const char *detail)
{
    http_audit(req, action, type, id, "ok", detail);
}

static json_t *when_text(int64_t t)
{
    char s[24];
    fmt_local_time(t, s, sizeof s);
    return json_string(s);
}

/* "4 december 2026" style text of a YYYY-MM-DD date; the input when malformed. */
static const char *date_nl(http_req_t *req, const char *ymd)
{
    day_t d;
    if (!ymd || day_parse(ymd, &d) != 0) return arena_strdup(req->arena, ymd ? ymd : "");
    char out[48];
    day_format_nl(d, out, sizeof out);
    return arena_strdup(req->arena, out);
}

static const char *date_of(http_req_t *req, int64_t t)
{
    char ymd[11];
    day_format(day_today_amsterdam(t), ymd);
    return date_nl(req, ymd);
}

static const char *today_str(http_req_t *req)
{
    char ymd[11];
    day_format(day_today_amsterdam(now_s()), ymd);
    return arena_strdup(req->arena, ymd);
}

static const char *relation_label(const char *r) { return household_relation_label(r); }

static const char *first_word(http_req_t *req, const char *s)
{
    size_t n = strcspn(s ? s : "", " ");
    return arena_strndup(req->arena, s ? s : "", n);
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

static int blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\n' && *s != '\r' && *s != '\t') return 0;
    return 1;
}

/* ---- the resident and their household ---------------------------------- */

struct me {
    int64_t account_id;
    int64_t person_id;       /* 0 when the account has no person */
    int64_t household_id;    /* 0 when none */
    const char *household;   /* its name */
    const char *first_name;
    const char *name;
};

static void me_find(http_req_t *req, struct me *m)
{
    memset(m, 0, sizeof *m);
    m->account_id = req->user->id;
    m->household = m->first_name = m->name = "";
    db_t *db = db_thread();
    db_stmt_t *st = db_prepare(db,
        "SELECT p.id, p.given_names, p.prefix, p.family_name FROM account a JOIN person p ON p.id = a.person_id"
        " WHERE a.id = ? AND p.gemeente = ?");
    db_bind_int(st, 1, m->account_id);
    db_bind_text(st, 2, req->user->gemeente);
    if (db_step(st) == DB_ROW) {
        char name[700];
        m->person_id = db_col_int(st, 0);
        m->first_name = first_word(req, db_col_text(st, 1));
        person_display_name(db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3), name, sizeof name);
        m->name = arena_strdup(req->arena, name);
    }
    db_done(st);
    if (!m->person_id) return;
    st = db_prepare(db,
        "SELECT h.id, h.name FROM household_member hm JOIN household h ON h.id = hm.household_id"
        " WHERE hm.person_id = ? AND h.gemeente = ? AND (hm.until IS NULL OR hm.until >= ?)"
        " ORDER BY h.status = 'open' DESC, h.id DESC LIMIT 1");
    db_bind_int(st, 1, m->person_id);
    db_bind_text(st, 2, req->user->gemeente);
    db_bind_text(st, 3, today_str(req));
    if (db_step(st) == DB_ROW) {
        m->household_id = db_col_int(st, 0);
        m->household = arena_strdup(req->arena, db_col_text(st, 1));
    }
    db_done(st);
    if (m->household_id) req->audit_object_id = arena_printf(req->arena, "%lld", (long long)m->household_id);
}

/* me_find() for a page: returns 0, or -1 after answering the friendly page
 * (GET) or a 404 (POST) when the resident belongs to no household yet. */
static int me_open(http_req_t *req, struct me *m)
{
    me_find(req, m);
    if (m->household_id) return 0;
    if (strcmp(req->method, "POST") == 0) {
        http_error(req, 404, "U hoort nog niet bij een huishouden in Kantel.");
        return -1;
    }
    http_page(req, "portal", json_pack("{s:s, s:n, s:s}", "title", "Mijn huishouden", "household", "first_name",
                                       m->first_name));
    return -1;
}

static const char *coordinator_name(http_req_t *req, int64_t household_id)
{
    int64_t acc = coordinator_current(db_thread(), household_id);
    const char *name = NULL;
    if (acc > 0) {
        db_stmt_t *st = db_prepare(db_thread(), "SELECT display_name FROM account WHERE id = ?");
        db_bind_int(st, 1, acc);
        if (db_step(st) == DB_ROW) name = arena_strdup(req->arena, db_col_text(st, 0));
        db_done(st);
    }
    return name;
}

/* Current members: [{id, name, first_name, relation, birth_date, me}]. */
static json_t *members_model(http_req_t *req, const struct me *m)
{
    json_t *list = json_array();
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT p.id, p.given_names, p.prefix, p.family_name, hm.relation, COALESCE(p.birth_date, '')"
        " FROM household_member hm JOIN person p ON p.id = hm.person_id"
        " WHERE hm.household_id = ? AND (hm.until IS NULL OR hm.until >= ?)"
        " ORDER BY CASE hm.relation WHEN 'hoofdbewoner' THEN 0 WHEN 'partner' THEN 1 ELSE 2 END, p.birth_date, p.id");
    db_bind_int(st, 1, m->household_id);
    db_bind_text(st, 2, today_str(req));
    while (db_step(st) == DB_ROW) {
        char name[700];
        person_display_name(db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3), name, sizeof name);
        int64_t id = db_col_int(st, 0);
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)id, "name", name,
                                              "first_name", first_word(req, db_col_text(st, 1)), "relation",
                                              relation_label(db_col_text(st, 4)), "birth_date", db_col_text(st, 5),
                                              "me", id == m->person_id));
    }
    db_done(st);
    return list;
}

/* A deadline in plain words. */
static const char *deadline_sentence(http_req_t *req, const char *kind, const char *due)
{
    const char *d = date_nl(req, due);
    if (!strcmp(kind, "wmo_persoonlijk_plan"))
        return arena_printf(req->arena, "Tot en met %s kunt u uw eigen plan bij ons inleveren.", d);
    if (!strcmp(kind, "wmo_besluit") || !strcmp(kind, "jeugd_besluit") || !strcmp(kind, "pw_besluit"))
        return arena_printf(req->arena, "Uiterlijk %s krijgt u ons besluit over uw aanvraag.", d);
    if (!strcmp(kind, "pw_zoektermijn"))
        return arena_printf(req->arena, "Tot %s zoekt u eerst zelf naar werk of een opleiding.", d);
    if (!strcmp(kind, "netwerk_opvolging"))
        return arena_printf(req->arena, "Uiterlijk %s bellen wij u over de afspraken van het netwerkberaad.", d);
    return arena_printf(req->arena, "Uiterlijk %s hoort u van ons over uw melding.", d);
}

/* Open deadlines: [{sentence, due, overdue}]. */
static json_t *deadlines_model(http_req_t *req, int64_t household_id)
{
    json_t *list = json_array();
    const char *today = today_str(req);
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT kind, due_on FROM deadline WHERE household_id = ? AND done_on IS NULL ORDER BY due_on, id");
    db_bind_int(st, 1, household_id);
    while (db_step(st) == DB_ROW) {
        const char *due = db_col_text(st, 1);
        json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "sentence",
                                              deadline_sentence(req, db_col_text(st, 0), due), "due", due,
                                              "overdue", strcmp(due, today) < 0));
    }
    db_done(st);
    return list;
}

static const char *instrument_title(const char *code)
{
    const struct instrument *i = instrument_find(code);
    if (!i) return code ? code : "";
    if (!strcmp(code, "zrm")) return "Zelfredzaamheid (ingevuld door uw regisseur)";
    return i->name;
}

/* Assessments of the household, newest first, names and dates in words. */
static json_t *assessments_model(http_req_t *req, int64_t household_id, int64_t person_id, const char *instrument,
                                 int limit, int only_resident)
{
    json_t *raw = assess_list(db_thread(), household_id, person_id, instrument, 0, limit);
    json_t *names = json_object();
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT p.id, p.given_names FROM household_member hm JOIN person p ON p.id = hm.person_id"
        " WHERE hm.household_id = ?");
    db_bind_int(st, 1, household_id);
    while (db_step(st) == DB_ROW)
        json_object_set_new(names, arena_printf(req->arena, "%lld", (long long)db_col_int(st, 0)),
                            json_string(first_word(req, db_col_text(st, 1))));
    db_done(st);
    json_t *list = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(raw, i, a) {
        int by_res = json_is_true(json_object_get(a, "by_resident"));
        if (only_resident && !by_res) continue;
        const char *code = json_string_value(json_object_get(a, "instrument"));
        const struct instrument *inst = instrument_find(code);
        json_t *scores = json_object_get(a, "scores");
        json_t *lines = json_array();
        for (int d = 0; inst && d < inst->n_domains; d++) {
            json_t *v = json_object_get(scores, inst->domains[d].code);
            if (!json_is_integer(v)) continue;
            json_array_append_new(lines, json_pack("{s:s, s:s, s:I}", "code", inst->domains[d].code, "name",
                                                   inst->domains[d].name_b1 ? inst->domains[d].name_b1
                                                                            : inst->domains[d].name,
                                                   "score", json_integer_value(v)));
        }
        const char *pid = arena_printf(req->arena, "%lld", (long long)json_integer_value(json_object_get(a, "person_id")));
        const char *who = json_string_value(json_object_get(names, pid));
        json_array_append_new(list, json_pack("{s:O, s:s, s:s, s:s, s:s, s:O, s:b, s:o, s:O}",
            "id", json_object_get(a, "id"), "instrument", code ? code : "", "instrument_name", instrument_title(code),
            "person", who ? who : "", "date", date_nl(req, json_string_value(json_object_get(a, "date"))),
            "by", json_object_get(a, "by"), "by_resident", by_res, "scores", lines,
            "note", json_object_get(a, "note")));
    }
    json_decref(raw);
    json_decref(names);
    return list;
}

/* ---- GET /mijn ---------------------------------------------------------- */

void page_portal(http_req_t *req)
{
    struct me m;
    if (me_open(req, &m) != 0) return;
    const char *coord = coordinator_name(req, m.household_id);
    json_t *deadlines = deadlines_model(req, m.household_id);
    json_t *assessments = assessments_model(req, m.household_id, 0, NULL, 5, 0);
    int current = 0;
    int64_t plan_id = plan_find(db_thread(), m.household_id, &current);
    json_t *model = json_pack("{s:s, s:s, s:{s:I, s:s, s:o}, s:o, s:o, s:b, s:o, s:b, s:b, s:i}",
        "title", "Mijn huishouden", "first_name", m.first_name,
        "household", "id", (json_int_t)m.household_id, "name", m.household, "members", members_model(req, &m),
        "coordinator", coord ? json_string(coord) : json_null(),
        "deadlines", deadlines, "has_deadlines", json_array_size(deadlines) > 0,
        "assessments", assessments, "has_assessments", json_array_size(assessments) > 0,
        "has_plan", plan_id > 0 && current > 0, "plan_version", current);
    json_object_set_new(model, "referrals", referrals_portal_summary(req, m.household_id, m.person_id));
    http_page(req, "portal", model);
}

/* ---- the plan ----------------------------------------------------------- */

static const char *zrm_b1(const char *code)
{
    const struct instrument_domain *d = code ? instrument_domain(instrument_find("zrm"), code) : NULL;
    return d ? (d->name_b1 ? d->name_b1 : d->name) : code ? code : "";
}

static const char *zrm_level(int v)
{
    const struct instrument_level *l = instrument_scale_level(instrument_find("zrm"), v);
    return l && l->label ? l->label : "";
}

static const char *bstr(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static json_t *plan_body_model(http_req_t *req, json_t *body)
{
    json_t *goals = json_array();
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(body, "goals"), i, g) {
        json_array_append_new(goals, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
            (json_int_t)json_integer_value(json_object_get(g, "id")), "domain", zrm_b1(bstr(g, "domain")),
            "text", bstr(g, "text"), "now", zrm_level((int)json_integer_value(json_object_get(g, "current"))),
            "target", zrm_level((int)json_integer_value(json_object_get(g, "target")))));
    }
    json_t *levels = json_array();
    for (int l = LADDER_MIN; l <= LADDER_MAX; l++) {
        json_t *acts = json_array();
        json_t *a;
        json_array_foreach(json_object_get(body, "actions"), i, a) {
            if (json_integer_value(json_object_get(a, "level")) != l) continue;
            const char *carrier = bstr(a, "carrier"), *cname = bstr(a, "carrier_name");
            const char *who = *cname ? cname : plan_carrier_label(carrier) ? plan_carrier_label(carrier) : carrier;
            const char *due = json_string_value(json_object_get(a, "due"));
            const char *status = bstr(a, "status");
            json_array_append_new(acts, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id",
                (json_int_t)json_integer_value(json_object_get(a, "id")), "text", bstr(a, "text"), "who", who,
                "due", due && *due ? date_nl(req, due) : "", "status",
                plan_status_label(status) ? plan_status_label(status) : status, "status_code", status));
        }
        if (json_array_size(acts) == 0) {
            json_decref(acts);
            continue;
        }
        json_array_append_new(levels, json_pack("{s:i, s:s, s:o}", "level", l, "label", ladder_label(l), "actions", acts));
    }
    struct kantel_index k;
    char text[200];
    plan_body_kantel(body, &k);
    kantel_index_text(&k, text, sizeof text);
    return json_pack("{s:o, s:b, s:o, s:b, s:s}", "goals", goals, "has_goals", json_array_size(goals) > 0, "levels",
                     levels, "has_actions", json_array_size(levels) > 0, "kantel", text);
}

static json_t *comments_model(http_req_t *req, int64_t household_id, int limit)
{
    return plan_comments(db_thread(), household_id, req->user->id, limit);
}

struct plan_form {
    json_t *errors;     /* field -> message (borrowed) */
    json_t *error_list; /* summary (borrowed) */
    const char *form;   /* "action" or "comment" */
};

/* The plan page of version (0 = current). Answers 404 itself; returns 0 or -1. */
static int portal_plan_show(http_req_t *req, const struct me *m, int version, const struct plan_form *pf)
{
    db_t *db = db_thread();
    int current = 0;
    int64_t plan_id = plan_find(db, m->household_id, &current);
    if (plan_id < 0) {
        http_error(req, 500, "Het plan kon niet worden geladen.");
        return -1;
    }
    json_t *body = NULL;
    struct plan_version_meta meta;
    memset(&meta, 0, sizeof meta);
    if (plan_id > 0 && current > 0) {
        int rc = plan_version_load(db, plan_id, version, &body, &meta);
        if (rc != PLAN_OK) {
            http_error(req, rc == PLAN_E_NOT_FOUND ? 404 : 500, rc == PLAN_E_NOT_FOUND
                       ? "Deze versie van het plan bestaat niet." : "Het plan kon niet worden geladen.");
            return -1;
        }
    } else if (version != 0) {
        http_error(req, 404, "Deze versie van het plan bestaat niet.");
        return -1;
    }
    json_t *model = json_pack("{s:s, s:s, s:b, s:i}", "title", "Mijn plan", "household", m->household, "has_plan",
                              body != NULL, "current_version", current);
    if (body) {
        json_object_set_new(model, "plan", plan_body_model(req, body));
        json_object_set_new(model, "version", json_pack("{s:i, s:s, s:b}", "number", meta.version, "date",
                                                        date_of(req, meta.created_at), "current",
                                                        meta.version == current));
        json_decref(body);
    }
    /* This person's agreements. */
    json_t *agreed_current = json_null(), *agreed_earlier = json_null();
    if (plan_id > 0) {
        json_t *list = plan_agreements(db, plan_id);
        size_t i;
        json_t *a;
        json_array_foreach(list, i, a) {
            if (json_integer_value(json_object_get(a, "person_id")) != m->person_id) continue;
            int v = (int)json_integer_value(json_object_get(a, "version"));
            json_t *it = json_pack("{s:i, s:s}", "version", v, "date",
                                   date_of(req, json_integer_value(json_object_get(a, "agreed_at"))));
            if (v == current && json_is_null(agreed_current)) agreed_current = it;
            else if (v != current && json_is_null(agreed_earlier)) agreed_earlier = it;
            else json_decref(it);
        }
        json_decref(list);
    }
    int can_agree = current > 0 && json_is_null(agreed_current) && (!version || version == current);
    json_object_set_new(model, "agreed", agreed_current);
    json_object_set_new(model, "agreed_earlier", agreed_earlier);
    json_object_set_new(model, "can_agree", json_boolean(can_agree));
    json_object_set_new(model, "viewing_old", json_boolean(version && version != current));
    /* Versions, newest first. */
    json_t *versions = plan_id > 0 ? plan_versions(db, plan_id) : json_array();
    json_t *vl = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(versions, i, v) {
        int n = (int)json_integer_value(json_object_get(v, "version"));
        json_array_append_new(vl, json_pack("{s:i, s:s, s:O, s:s, s:b}", "number", n, "date",
                                            date_of(req, json_integer_value(json_object_get(v, "created_at"))),
                                            "summary", json_object_get(v, "summary"), "href",
                                            arena_printf(req->arena, "/mijn/plan?versie=%d", n), "shown",
                                            n == (version ? version : current)));
    }
    json_decref(versions);
    json_object_set_new(model, "versions", vl);
    json_t *comments = comments_model(req, m->household_id, 200);
    json_object_set_new(model, "has_comments", json_boolean(json_array_size(comments) > 0));
    json_object_set_new(model, "comments", comments);
    int keep_action = pf && pf->form && !strcmp(pf->form, "action");
    int keep_comment = pf && pf->form && !strcmp(pf->form, "comment");
    const char *text = keep_action ? http_param(req, "omschrijving") : NULL;
    const char *due = keep_action ? http_param(req, "uiterlijk") : NULL;
    const char *note = keep_comment ? http_param(req, "opmerking") : NULL;
    json_object_set_new(model, "action_form", json_pack("{s:s, s:s, s:s, s:o}", "text", text ? text : "", "due",
                                                        due ? due : "", "min_due", today_str(req), "errors",
                                                        keep_action ? json_incref(pf->errors) : json_object()));
    json_object_set_new(model, "comment_form", json_pack("{s:s, s:o}", "text", note ? note : "", "errors",
                                                         keep_comment ? json_incref(pf->errors) : json_object()));
    if (pf && pf->error_list) {
        json_object_set_new(model, "error", json_string("Er ging iets mis. Kijk naar de rode meldingen hieronder."));
        json_object_set(model, "error_list", pf->error_list);
    }
    http_page(req, "portal_plan", model);
    return 0;
}

void page_portal_plan(http_req_t *req)
{
    struct me m;
    if (me_open(req, &m) != 0) return;
    const char *s = http_param(req, "versie");
    int64_t n = 0;
    if (json_object_get(req->errors, "versie") || (s && *s && parse_i64(s, 1, 1000000000, &n) != 0)) {
        http_error(req, 404, "Deze versie van het plan bestaat niet.");
        return;
    }
    portal_plan_show(req, &m, (int)n, NULL);
}

void page_portal_agree(http_req_t *req)
{
    struct me m;
    if (me_open(req, &m) != 0) return;
    if (json_object_size(req->errors)) {
        http_error(req, 400, "Het versienummer ontbreekt of is ongeldig.");
        return;
    }
    int64_t version = 0;
    const char *s = http_param(req, "versie");
    int current = 0;
    int64_t plan_id = plan_find(db_thread(), m.household_id, &current);
    if (!s || parse_i64(s, 1, 1000000000, &version) != 0 || plan_id <= 0 || version > current) {
        http_error(req, 404, "Deze versie van het plan bestaat niet.");
        return;
    }
    if (version != current) {
        http_error(req, 409, "Het plan is intussen veranderd. Lees eerst de nieuwste versie. Daarna kunt u akkoord gaan.");
        return;
    }
    int rc = plan_agree(db_thread(), plan_id, current, m.person_id, m.account_id, now_s());
    if (rc != PLAN_OK) {
        http_error(req, rc == PLAN_E_DB ? 500 : 404, rc == PLAN_E_DB
                   ? "Uw akkoord kon niet worden opgeslagen. Probeer het opnieuw." : "U kunt niet akkoord gaan met dit plan.");
        return;
    }
    audit_ev(req, "plan.agree", "household", m.household_id,
             arena_printf(req->arena, "version %d, person %lld, by resident", current, (long long)m.person_id));
    http_redirect(req, "/mijn/plan#akkoord");
}

struct own_action {
    struct plan_action_in in;
    day_t today;
    const char *first_name;
    json_t *errors; /* borrowed */
};

static int own_action_fn(json_t *body, void *arg, char *summary, size_t n)
{
    struct own_action *c = arg;
    if (plan_check_action(body, &c->in, c->today, c->errors) != 0) return PLAN_E_INVALID;
    char dummy[PLAN_SUMMARY_MAX];
    if (plan_body_add_action(body, &c->in, c->today, dummy, sizeof dummy) <= 0) return PLAN_E_INVALID;
    char clip[200];
    plan_text_clip(c->in.text, 60, clip, sizeof clip);
    snprintf(summary, n, "%s (inwoner) voegde zelf een actie toe: %s", c->first_name, clip);
    return PLAN_OK;
}

/* Field errors of a portal form: [{href, label, message}] into list; errors
 * (form field -> message) from the domain's (dfield) or the gate's. */
static void add_err(http_req_t *req, json_t *errors, json_t *list, const char *field, const char *id,
                    const char *label, json_t *msg)
{
    if (!msg || json_object_get(errors, field)) return;
    json_object_set(errors, field, msg);
    json_array_append_new(list, json_pack("{s:s, s:s, s:O}", "href", arena_printf(req->arena, "#%s", id), "label",
                                          label, "message", msg));
}

void page_portal_action_add(http_req_t *req)
{
    struct me m;
    if (me_open(req, &m) != 0) return;
    struct own_action c = {.in = {.text = http_param(req, "omschrijving"), .level = 1, .carrier = "resident",
                                  .carrier_name = m.first_name, .due = http_param(req, "uiterlijk")},
                           .today = day_today_amsterdam(now_s()), .first_name = m.first_name};
    if (c.in.due && !*c.in.due) c.in.due = NULL;
    if (json_object_get(req->errors, "uiterlijk")) c.in.due = NULL;
    c.errors = json_object();
    int rc = PLAN_E_INVALID;
    if (!json_object_size(req->errors)) {
        plan_check_action(NULL, &c.in, c.today, c.errors);
        if (!json_object_size(c.errors))
            rc = plan_change(db_thread(), req->user->gemeente, m.household_id, m.account_id, now_s(), own_action_fn, &c);
    }
    if (rc == PLAN_E_INVALID) {
        json_t *errors = json_object(), *list = json_array();
        add_err(req, errors, list, "omschrijving", "eigen-actie", "Wat gaat u doen?", json_object_get(req->errors, "omschrijving"));
        add_err(req, errors, list, "omschrijving", "eigen-actie", "Wat gaat u doen?", json_object_get(c.errors, "text"));
        add_err(req, errors, list, "uiterlijk", "eigen-actie-datum", "Wanneer is het klaar?", json_object_get(req->errors, "uiterlijk"));
        add_err(req, errors, list, "uiterlijk", "eigen-actie-datum", "Wanneer is het klaar?", json_object_get(c.errors, "due"));
        if (!json_array_size(list))
            add_err(req, errors, list, "omschrijving", "eigen-actie", "Wat gaat u doen?",
                    json_string("Deze actie kon niet worden toegevoegd. Controleer wat u heeft ingevuld."));
        struct plan_form pf = {.errors = errors, .error_list = list, .form = "action"};
        req->status = 400;
        portal_plan_show(req, &m, 0, &pf);
        if (req->status == 200 || req->status == 0) req->status = 400;
        json_decref(errors);
        json_decref(list);
    } else if (rc < 0) {
        http_error(req, 500, "Uw actie kon niet worden opgeslagen. Probeer het opnieuw.");
    } else {
        audit_ev(req, "plan.change", "household", m.household_id, arena_printf(req->arena, "version %d, by resident", rc));
        http_redirect(req, "/mijn/plan#acties");
    }
    json_decref(c.errors);
}

void page_portal_comment(http_req_t *req)
{
    struct me m;
    if (me_open(req, &m) != 0) return;
    const char *text = http_param(req, "opmerking");
    json_t *msg = json_object_get(req->errors, "opmerking");
    json_t *own = NULL;
    if (!msg && blank(text)) msg = own = json_string("Schrijf uw opmerking in het vak.");
    else if (!msg && utf8_chars(text) > COMMENT_MAX)
        msg = own = json_string("Uw opmerking is te lang. Gebruik ten hoogste 2000 tekens.");
    if (msg) {
        json_t *errors = json_object(), *list = json_array();
        add_err(req, errors, list, "opmerking", "opmerking", "Uw opmerking", msg);
        struct plan_form pf = {.errors = errors, .error_list = list, .form = "comment"};
        req->status = 400;
        portal_plan_show(req, &m, 0, &pf);
        json_decref(errors);
        json_decref(list);
        json_decref(own);
        return;
    }
    int current = 0;
    plan_find(db_thread(), m.household_id, &current);
    db_stmt_t *st = db_prepare(db_thread(),
        "INSERT INTO plan_comment (gemeente, household_id, version, account_id, body, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(st, 1, req->user->gemeente);
    db_bind_int(st, 2, m.household_id);
    if (current > 0) db_bind_int(st, 3, current);
    else db_bind_null(st, 3);
    db_bind_int(st, 4, m.account_id);
    db_bind_text(st, 5, text);
    db_bind_int(st, 6, now_s());
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    if (id <= 0) {
        http_error(req, 500, "Uw opmerking kon niet worden opgeslagen. Probeer het opnieuw.");
        return;
    }
    audit_ev(req, "plan.comment", "household", m.household_id, arena_printf(req->arena, "comment %lld", (long long)id));
    http_redirect(req, "/mijn/plan#opmerkingen");
}

/* ---- Positieve Gezondheid ------------------------------------------------ */

static void health_show(http_req_t *req, const struct me *m, int keep, json_t *errors, json_t *list)
{
    const struct instrument *pg = instrument_find("positieve_gezondheid");
    json_t *domains = json_array();
    for (int d = 0; pg && d < pg->n_domains; d++) {
        const struct instrument_domain *dom = &pg->domains[d];
        const char *v = keep ? http_param(req, dom->code) : NULL;
        json_t *opts = json_array();
        for (int x = pg->min; x <= pg->max; x++) {
            const struct instrument_level *l = instrument_scale_level(pg, x);
            json_array_append_new(opts, json_pack("{s:i, s:s, s:b}", "value", x, "label",
                                                  l && l->label ? arena_printf(req->arena, "%d – %s", x, l->label)
                                                                : arena_printf(req->arena, "%d", x),
                                                  "selected", v && *v && atoi(v) == x && strspn(v, "0123456789") == strlen(v)));
        }
        json_t *err = json_object_get(errors, dom->code);
        json_array_append_new(domains, json_pack("{s:s, s:s, s:s, s:o, s:o}", "code", dom->code, "name",
                                                 dom->name_b1 ? dom->name_b1 : dom->name, "description",
                                                 dom->description ? dom->description : "", "options", opts, "error",
                                                 err ? json_incref(err) : json_null()));
    }
    const char *date = keep ? http_param(req, "datum") : NULL;
    json_t *earlier = assessments_model(req, m->household_id, m->person_id, "positieve_gezondheid", 0, 1);
    json_t *model = json_pack("{s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:b}", "title", "Mijn gezondheid", "first_name",
                              m->first_name, "domains", domains, "date", date ? date : today_str(req), "max_date",
                              today_str(req), "errors", errors ? json_incref(errors) : json_object(), "earlier",
                              earlier, "has_earlier", json_array_size(earlier) > 0);
    if (list && json_array_size(list)) {
        req->status = 400;
        json_object_set_new(model, "error", json_string("Uw antwoorden zijn nog niet opgeslagen. Kijk naar de rode meldingen."));
        json_object_set(model, "error_list", list);
    }
    if (!keep && kv_get(&req->query, "opgeslagen")) json_object_set_new(model, "saved", json_true());
    http_page(req, "portal_health", model);
}

void page_portal_health(http_req_t *req)
{
    struct me m;
    if (me_open(req, &m) != 0) return;
    health_show(req, &m, 0, NULL, NULL);
}

void page_portal_health_save(http_req_t *req)
{
    struct me m;
    if (me_open(req, &m) != 0) return;
    const struct instrument *pg = instrument_find("positieve_gezondheid");
    json_t *errors = json_object(), *list = json_array();
    add_err(req, errors, list, "datum", "pg-datum", "Datum", json_object_get(req->errors, "datum"));
    json_t *scores = json_object();
    for (int d = 0; pg && d < pg->n_domains; d++) {
        const struct instrument_domain *dom = &pg->domains[d];
        const char *id = arena_printf(req->arena, "pg-%s", dom->code);
        json_t *gate = json_object_get(req->errors, dom->code);
        if (gate) {
            add_err(req, errors, list, dom->code, id, dom->name_b1 ? dom->name_b1 : dom->name,
                    json_string("Kies een cijfer van 0 tot en met 10."));
            continue;
        }
        const char *v = http_param(req, dom->code);
        int64_t x;
        if (!v || !*v) continue;
        if (parse_i64(v, pg->min, pg->max, &x) != 0) {
            json_t *msg = json_string("Kies een cijfer van 0 tot en met 10.");
            add_err(req, errors, list, dom->code, id, dom->name_b1 ? dom->name_b1 : dom->name, msg);
            json_decref(msg);
            continue;
        }
        json_object_set_new(scores, dom->code, json_integer(x));
    }
    if (!json_array_size(list) && json_object_size(scores) == 0 && pg) {
        json_t *msg = json_string("Geef bij minstens één onderdeel een cijfer.");
        add_err(req, errors, list, pg->domains[0].code, arena_printf(req->arena, "pg-%s", pg->domains[0].code),
                pg->domains[0].name_b1 ? pg->domains[0].name_b1 : pg->domains[0].name, msg);
        json_decref(msg);
    }
    if (!json_array_size(list)) {
        char err[300] = "";
        struct assess_in in = {.household_id = m.household_id, .person_id = m.person_id,
                               .instrument = "positieve_gezondheid", .scores = scores,
                               .date = http_param(req, "datum"), .assessed_by = m.account_id, .by_resident = 1};
        int64_t id = assess_create(db_thread(), req->user->gemeente, &in, day_today_amsterdam(now_s()), now_s(), err,
                                   sizeof err);
        if (id > 0) {
            audit_ev(req, "assessment.create", "household", m.household_id,
                     arena_printf(req->arena, "assessment %lld, by resident", (long long)id));
            http_redirect(req, "/mijn/gezondheid?opgeslagen=1");
            json_decref(scores);
            json_decref(errors);
            json_decref(list);
            return;
        }
        json_t *msg = NULL;
        if (id == ASSESS_E_DATE) {
            msg = json_string("Kies de datum van vandaag of een dag in het afgelopen jaar.");
            add_err(req, errors, list, "datum", "pg-datum", "Datum", msg);
        } else if (id == ASSESS_E_SCORES && pg) {
            msg = json_string(err[0] ? err : "Controleer de cijfers.");
            add_err(req, errors, list, pg->domains[0].code, arena_printf(req->arena, "pg-%s", pg->domains[0].code),
                    pg->domains[0].name_b1 ? pg->domains[0].name_b1 : pg->domains[0].name, msg);
        } else {
            json_decref(scores);
            json_decref(errors);
            json_decref(list);
            http_error(req, 500, "Uw antwoorden konden niet worden opgeslagen. Probeer het opnieuw.");
            return;
        }
        json_decref(msg);
    }
    health_show(req, &m, 1, errors, list);
    json_decref(scores);
    json_decref(errors);
    json_decref(list);
}

/* ---- who looked at my record ----------------------------------------------- */

/* A Dutch label for an audit event about the household. */
static const char *access_label(http_req_t *req, const char *action, const char *type, const char *reason)
{
    int plan = strstr(type, "/plan") != NULL, metingen = strstr(type, "/metingen") != NULL;
    int melding = strstr(type, "/meldingen") != NULL, netwerk = strstr(type, "/netwerk") != NULL;
    if (!strcmp(action, "pd.read")) {
        if (plan) return "bekeek het plan";
        if (metingen) return "bekeek de metingen";
        if (melding) return "bekeek een melding";
        if (netwerk) return "bekeek uw netwerk";
        return "bekeek het dossier";
    }
    if (!strcmp(action, "pd.write")) {
        if (plan) return "wijzigde het plan";
        if (metingen) return "legde een meting vast";
        if (melding) return "wijzigde een melding";
        if (netwerk) return "wijzigde uw netwerk";
        if (strstr(type, "/uitnodigingen")) return "maakte een uitnodiging";
        return "wijzigde het dossier";
    }
    if (!strcmp(action, "plan.change")) return "wijzigde het plan";
    if (!strcmp(action, "plan.agree")) return "legde het akkoord op het plan vast";
    if (!strcmp(action, "plan.comment")) return "schreef een opmerking bij het plan";
    if (!strcmp(action, "assessment.create")) return "legde een meting vast";
    if (!strcmp(action, "invite.create")) return "maakte een uitnodiging voor Kantel";
    if (!strcmp(action, "authz.denied")) return "probeerde het dossier te openen, maar had geen toegang";
    if (!strcmp(action, "access.break-glass-grant"))
        return arena_printf(req->arena, "brak het glas: %s", reason && *reason ? reason : "(geen reden bekend)");
    if (!strcmp(action, "access.break-glass")) return "bekeek het dossier na het breken van het glas";
    return "deed iets in het dossier";
}

void page_portal_access_log(http_req_t *req)
{
    struct me m;
    if (me_open(req, &m) != 0) return;
    /* Events are written by the audit thread; wait for the queue so that the
     * resident also sees accesses of the last moments. */
    audit_flush();
    int64_t page = 1;
    const char *p = http_param(req, "pagina");
    if (p && *p && parse_i64(p, 1, 100000, &page) != 0) page = 1;
    const char *hh = arena_printf(req->arena, "%lld", (long long)m.household_id);
    const char *person = arena_printf(req->arena, "%lld", (long long)m.person_id);
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT e.ts, COALESCE(NULLIF(a.display_name, ''), e.actor, ''), e.action, e.object_type,"
        " (SELECT b.reason FROM break_glass b WHERE b.household_id = ? AND b.account_id = e.actor_id"
        "    AND b.created_at <= e.ts / 1000 + 5 ORDER BY b.id DESC LIMIT 1), e.result"
        " FROM audit_event e LEFT JOIN account a ON a.id = e.actor_id"
        " WHERE e.gemeente = ? AND e.actor_id <> ? AND ("
        "   (e.object_id = ? AND (e.object_type = 'household' OR e.object_type LIKE '/huishoudens/{id}%'))"
        "   OR (e.object_type = 'person' AND e.object_id = ?))"
        " ORDER BY e.id DESC LIMIT ? OFFSET ?");
    db_bind_int(st, 1, m.household_id);
    db_bind_text(st, 2, req->user->gemeente);
    db_bind_int(st, 3, m.account_id);
    db_bind_text(st, 4, hh);
    db_bind_text(st, 5, person);
    db_bind_int(st, 6, ACCESS_PAGE + 1);
    db_bind_int(st, 7, (page - 1) * ACCESS_PAGE);
    json_t *list = json_array();
    int more = 0;
    while (db_step(st) == DB_ROW) {
        if (json_array_size(list) == ACCESS_PAGE) {
            more = 1;
            break;
        }
        int64_t ms = db_col_int(st, 0);
        const char *action = db_col_text(st, 2);
        json_array_append_new(list, json_pack("{s:o, s:s, s:s, s:s}", "when", when_text(ms / 1000), "who",
                                              db_col_text(st, 1), "what",
                                              access_label(req, action, db_col_text(st, 3), db_col_text(st, 4)),
                                              "action", action));
    }
    db_done(st);
    json_t *model = json_pack("{s:s, s:o, s:b, s:I, s:o, s:o}", "title", "Wie keek in mijn dossier", "events", list,
                              "has_events", json_array_size(list) > 0, "page", (json_int_t)page, "next_href",
                              more ? json_string(arena_printf(req->arena, "/mijn/inzage?pagina=%lld", (long long)page + 1))
                                   : json_null(),
                              "prev_href", page > 1 ? json_string(arena_printf(req->arena, "/mijn/inzage?pagina=%lld",
                                                                               (long long)page - 1))
                                                    : json_null());
    http_page(req, "portal_access", model);
}

/* ---- all my data (AVG art. 15) ------------------------------------------ */

static json_t *person_export(http_req_t *req, int64_t person_id)
{
    json_t *o = json_object();
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT given_names, prefix, family_name, COALESCE(birth_date, ''), gender, phone, email, bsn_sealed"
        " FROM person WHERE id = ?");
    db_bind_int(st, 1, person_id);
    if (db_step(st) == DB_ROW) {
        size_t n = 0;
        const void *sealed = db_col_blob(st, 7, &n);
        char bsn[10] = "", masked[12] = "";
        if (sealed && n && bsn_open(sealed, n, bsn) == 0) bsn_mask(bsn, masked);
        memset(bsn, 0, sizeof bsn);
        char name[700];
        person_display_name(db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2), name, sizeof name);
        json_decref(o);
        o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name", name, "given_names",
                      db_col_text(st, 0), "prefix", db_col_text(st, 1), "family_name", db_col_text(st, 2),
                      "birth_date", db_col_text(st, 3), "birth_date_text", *db_col_text(st, 3)
                          ? date_nl(req, db_col_text(st, 3)) : "", "gender", db_col_text(st, 4), "phone",
                      db_col_text(st, 5), "email", db_col_text(st, 6), "bsn", masked[0] ? masked : "");
    }
    db_done(st);
    return o;
}

static json_t *requests_export(http_req_t *req, int64_t household_id)
{
    json_t *list = json_array();
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT id, law, channel, question, received_on, status FROM request WHERE household_id = ? ORDER BY received_on DESC, id DESC");
    db_bind_int(st, 1, household_id);
    while (db_step(st) == DB_ROW) {
        int law = request_law_parse(db_col_text(st, 1)), status = request_status_parse(db_col_text(st, 5));
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "id",
            (json_int_t)db_col_int(st, 0), "law", law >= 0 ? request_law_label((enum request_law)law) : db_col_text(st, 1),
            "channel", db_col_text(st, 2), "question", db_col_text(st, 3), "received_on", db_col_text(st, 4),
            "received_text", date_nl(req, db_col_text(st, 4)), "status",
            status >= 0 ? request_status_label((enum request_status)status) : db_col_text(st, 5),
            "deadlines", json_array()));
    }
    db_done(st);
    st = db_prepare(db_thread(),
        "SELECT request_id, kind, start_on, due_on, COALESCE(done_on, '') FROM deadline WHERE household_id = ?"
        " ORDER BY due_on, id");
    db_bind_int(st, 1, household_id);
    while (db_step(st) == DB_ROW) {
        int64_t rid = db_col_int(st, 0);
        const char *label = deadline_kind_label(db_col_text(st, 1));
        json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", label ? label : db_col_text(st, 1), "start_on",
                              db_col_text(st, 2), "due_on", db_col_text(st, 3), "due_text",
                              date_nl(req, db_col_text(st, 3)), "done_on", db_col_text(st, 4));
        size_t i;
        json_t *r;
        int placed = 0;
        json_array_foreach(list, i, r)
            if (json_integer_value(json_object_get(r, "id")) == rid) {
                json_array_append(json_object_get(r, "deadlines"), d);
                placed = 1;
            }
        (void)placed;
        json_decref(d);
    }
    db_done(st);
    return list;
}

static json_t *network_export(int64_t household_id)
{
    json_t *list = json_array();
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT name, relation, roles, phone, email, share_plan FROM network_member WHERE household_id = ?"
        " AND ended_at IS NULL ORDER BY id");
    db_bind_int(st, 1, household_id);
    while (db_step(st) == DB_ROW)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "name", db_col_text(st, 0),
                                              "relation", db_col_text(st, 1), "roles", db_col_text(st, 2), "phone",
                                              db_col_text(st, 3), "email", db_col_text(st, 4), "share_plan",
                                              (int)db_col_int(st, 5)));
    db_done(st);
    return list;
}

void page_portal_export(http_req_t *req)
{
    struct me m;
    if (me_open(req, &m) != 0) return;
    const char *fmt = http_param(req, "formaat");
    int as_json = fmt && !strcmp(fmt, "json");
    if (json_object_get(req->errors, "formaat") || (fmt && *fmt && !as_json)) {
        http_error(req, 400, "Kies het formaat json, of laat het weg voor de pagina om af te drukken.");
        return;
    }
    db_t *db = db_thread();
    int current = 0;
    int64_t plan_id = plan_find(db, m.household_id, &current);
    json_t *plan = json_null();
    if (plan_id > 0 && current > 0) {
        json_t *body = NULL;
        struct plan_version_meta meta;
        if (plan_version_load(db, plan_id, 0, &body, &meta) == PLAN_OK) {
            json_t *agreements = plan_agreements(db, plan_id);
            size_t i;
            json_t *a;
            json_array_foreach(agreements, i, a)
                json_object_set_new(a, "agreed_text", json_string(date_of(req, json_integer_value(json_object_get(a, "agreed_at")))));
            json_decref(plan);
            plan = json_pack("{s:i, s:s, s:s, s:o, s:o, s:o}", "version", meta.version, "date",
                             date_of(req, meta.created_at), "summary", meta.summary, "body", body, "view",
                             plan_body_model(req, body), "agreements", agreements);
        }
    }
    const char *coord = coordinator_name(req, m.household_id);
    char made[48];
    day_format_nl(day_today_amsterdam(now_s()), made, sizeof made);
    json_t *data = json_pack("{s:s, s:o, s:{s:s, s:o, s:o}, s:o, s:o, s:o, s:o, s:o}",
        "made_on", made, "person", person_export(req, m.person_id),
        "household", "name", m.household, "members", members_model(req, &m),
        "coordinator", coord ? json_string(coord) : json_null(),
        "requests", requests_export(req, m.household_id),
        "assessments", assessments_model(req, m.household_id, 0, NULL, 0, 0),
        "plan", plan, "comments", comments_model(req, m.household_id, 10000),
        "network", network_export(m.household_id));
    json_object_set_new(data, "referrals", referrals_portal_export(req, m.household_id, m.person_id));
    audit_ev(req, "portal.export", "household", m.household_id, as_json ? "json" : "page");
    if (as_json) {
        char *text = json_dumps(data, JSON_INDENT(2) | JSON_ENSURE_ASCII);
        json_decref(data);
        if (!text) {
            http_error(req, 500, "Uw gegevens konden niet worden samengesteld.");
            return;
        }
        req->template = NULL;
        req->content_type = "application/json; charset=utf-8";
        buf_puts(&req->out, text);
        buf_putc(&req->out, '\n');
        free(text);
        http_header(req, "Content-Disposition", "attachment; filename=\"mijn-gegevens.json\"");
        return;
    }
    json_object_set_new(data, "title", json_string("Mijn gegevens"));
    json_object_set_new(data, "has_plan", json_boolean(!json_is_null(json_object_get(data, "plan"))));
    http_page(req, "portal_export", data);
}

/* ---- invitations ---------------------------------------------------------- */

void page_invite_create(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    const char *ps = http_param(req, "persoon"), *ns = http_param(req, "netwerklid");
    int64_t person = 0, member = 0;
    int has_p = ps && *ps, has_n = ns && *ns;
    if (json_object_size(req->errors) || has_p == has_n || (has_p && parse_i64(ps, 1, INT64_MAX / 2, &person) != 0) ||
        (has_n && parse_i64(ns, 1, INT64_MAX / 2, &member) != 0)) {
        http_error(req, 400, "Kies één persoon of één netwerklid om uit te nodigen.");
        return;
    }
    char token[INVITE_TOKEN_LEN];
    int64_t now = now_s();
    int64_t id = invite_create(db_thread(), req->user->gemeente, h.id, person, member, req->user->id, now, token);
    if (id == INVITE_E_NOT_FOUND) {
        http_error(req, 404, has_p ? "Deze persoon hoort niet bij dit huishouden." : "Dit netwerklid hoort niet bij dit huishouden.");
        return;
    }
    if (id == INVITE_E_HAS_ACCOUNT) {
        http_error(req, 409, has_p ? "Deze persoon heeft al een account in Kantel. Een uitnodiging is niet nodig."
                                   : "Dit netwerklid heeft al een account in Kantel. Een uitnodiging is niet nodig.");
        return;
    }
    if (id < 0) {
        http_error(req, 500, "De uitnodiging kon niet worden gemaakt. Probeer het opnieuw.");
        return;
    }
    struct invite_info info;
    invite_lookup(db_thread(), req->user->gemeente, token, now, &info);
    audit_ev(req, "invite.create", "household", h.id,
             has_p ? arena_printf(req->arena, "invite %lld, person %lld", (long long)id, (long long)person)
                   : arena_printf(req->arena, "invite %lld, network member %lld", (long long)id, (long long)member));
    const char *host = req->host && *req->host ? req->host : "localhost";
    json_t *model = json_pack("{s:s, s:{s:I, s:s, s:s}, s:{s:I, s:s, s:s, s:s, s:s, s:b}}",
        "title", "Uitnodiging gemaakt",
        "household", "id", (json_int_t)h.id, "name", h.name, "href",
        arena_printf(req->arena, "/huishoudens/%lld", (long long)h.id),
        "invite", "id", (json_int_t)id, "link", arena_printf(req->arena, "http://%s/activeren?code=%s", host, token),
        "for", info.full_name, "kind", has_p ? "resident" : "network", "expires",
        date_of(req, now + INVITE_TTL), "network", has_n);
    http_page(req, "invite_created", model);
}

/* ---- activation ------------------------------------------------------------ */

static const char *INVALID_CODE =
    "Deze link werkt niet (meer). Misschien is hij al gebruikt of ouder dan 7 dagen. "
    "Vraag uw contactpersoon bij de gemeente om een nieuwe link.";

static void activate_invalid(http_req_t *req)
{
    req->status = 400;
    http_page(req, "activate", json_pack("{s:s, s:s, s:b}", "title", "Account activeren", "invalid", INVALID_CODE,
                                         "valid", 0));
}

static void activate_form(http_req_t *req, const struct invite_info *in, const char *code, json_t *errors,
                          json_t *list)
{
    const char *user = errors ? http_param(req, "gebruikersnaam") : NULL;
    json_t *m = json_pack("{s:s, s:b, s:s, s:s, s:b, s:s, s:o}", "title", "Account activeren", "valid", 1,
                          "first_name", in->first_name, "code", code, "network", in->network_member_id > 0,
                          "gebruikersnaam", user ? user : "", "errors", errors ? json_incref(errors) : json_object());
    if (list && json_array_size(list)) {
        req->status = 400;
        json_object_set_new(m, "error", json_string("Uw account is nog niet gemaakt. Kijk naar de rode meldingen."));
        json_object_set(m, "error_list", list);
    }
    http_page(req, "activate", m);
}

void page_activate(http_req_t *req)
{
    http_anon_csrf(req);
    const char *code = http_param(req, "code");
    struct invite_info in;
    if (json_object_size(req->errors) || !code ||
        invite_lookup(db_thread(), http_cfg.gemeente, code, now_s(), &in) != INVITE_OK) {
        activate_invalid(req);
        return;
    }
    activate_form(req, &in, code, NULL, NULL);
}

void page_activate_post(http_req_t *req)
{
    http_anon_csrf(req);
    const char *code = http_param(req, "code");
    struct invite_info in;
    int64_t now = now_s();
    if (json_object_get(req->errors, "code") || !code ||
        invite_lookup(db_thread(), http_cfg.gemeente, code, now, &in) != INVITE_OK) {
        activate_invalid(req);
        return;
    }
    const char *user = http_param(req, "gebruikersnaam");
    const char *pw = http_param(req, "wachtwoord"), *again = http_param(req, "herhaal");
    json_t *errors = json_object(), *list = json_array();
    add_err(req, errors, list, "gebruikersnaam", "gebruikersnaam", "Gebruikersnaam",
            json_object_get(req->errors, "gebruikersnaam"));
    add_err(req, errors, list, "wachtwoord", "wachtwoord", "Wachtwoord", json_object_get(req->errors, "wachtwoord"));
    if (!json_object_get(errors, "wachtwoord") && pw) {
        const char *why = password_policy(pw, user);
        if (why) {
            json_t *msg = json_string(why);
            add_err(req, errors, list, "wachtwoord", "wachtwoord", "Wachtwoord", msg);
            json_decref(msg);
        }
    }
    if (!json_object_get(errors, "wachtwoord") && (!again || strcmp(pw ? pw : "", again) != 0)) {
        json_t *msg = json_string("De twee wachtwoorden zijn niet gelijk. Typ hetzelfde wachtwoord twee keer.");
        add_err(req, errors, list, "herhaal", "herhaal", "Herhaal het wachtwoord", msg);
        json_decref(msg);
    }
    if (!json_array_size(list)) {
        char msg[300] = "";
        struct invite_info done;
        int64_t id = invite_redeem(db_thread(), http_cfg.gemeente, code, user, pw, now, &done, msg, sizeof msg);
        if (id > 0) {
            struct audit_event ev = {.action = "invite.redeem", .object_type = "household",
                                     .object_id = arena_printf(req->arena, "%lld", (long long)done.household_id),
                                     .result = "ok", .origin = req->origin_ip, .actor_id = id, .actor = user,
                                     .gemeente = done.gemeente,
                                     .detail = arena_printf(req->arena, "invite %lld, account %lld", (long long)done.id,
                                                            (long long)id)};
            audit_log(&ev);
            json_decref(errors);
            json_decref(list);
            http_page(req, "activate_done", json_pack("{s:s, s:s, s:s}", "title", "Uw account is klaar",
                                                      "first_name", done.first_name, "gebruikersnaam", user));
            return;
        }
        if (id == INVITE_E_INVALID || id == INVITE_E_HAS_ACCOUNT) {
            json_decref(errors);
            json_decref(list);
            activate_invalid(req);
            return;
        }
        if (id == INVITE_E_USERNAME || id == INVITE_E_PASSWORD) {
            json_t *m = json_string(msg[0] ? msg : "Controleer wat u heeft ingevuld.");
            if (id == INVITE_E_USERNAME) add_err(req, errors, list, "gebruikersnaam", "gebruikersnaam", "Gebruikersnaam", m);
            else add_err(req, errors, list, "wachtwoord", "wachtwoord", "Wachtwoord", m);
            json_decref(m);
        } else {
            json_decref(errors);
            json_decref(list);
            http_error(req, 500, "Uw account kon niet worden gemaakt. Probeer het later opnieuw.");
            return;
        }
    }
    activate_form(req, &in, code, errors, list);
    json_decref(errors);
    json_decref(list);
}
