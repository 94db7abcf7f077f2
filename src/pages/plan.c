/*
 * plan.c - the household plan page (goals, actions by ladder level, kantel
 * index, versions, agreement), its forms, the comparison of two versions and
 * the print view. The rules live in domain/plan.c; this file turns requests
 * into calls there and the results into page models.
 *
 * Every handler starts with hh_load() (need-to-know, 404/403). Changes go
 * through plan_change(): one transaction per change, a new complete version.
 * A form with problems is re-shown (400) with what was typed and an error
 * summary linking to the fields.
 */
#include <stdio.h>
#include <string.h>

#include "auth/audit.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/household.h"
#include "domain/instrument.h"
#include "domain/ladder.h"
#include "domain/plan.h"
#include "pages/hh.h"
#include "pages/pages.h"
#include "pages/referrals.h"
#include "pages/volunteers.h"

/* ---- helpers ----------------------------------------------------------- */

static void audit_plan(http_req_t *req, const struct hh *h, const char *action, const char *detail)
{
    http_audit(req, action, "household", h->id, "ok", detail);
}

static const char *plan_href(http_req_t *req, const struct hh *h)
{
    return arena_printf(req->arena, "/huishoudens/%lld/plan", (long long)h->id);
}

static json_t *when_text(int64_t t)
{
    char s[24];
    fmt_local_time(t, s, sizeof s);
    return json_string(s);
}

static json_t *str_or_empty(const char *s)
{
    return json_string(s ? s : "");
}

/* The string member key of a plan body object (a goal, an action), "" when
 * absent or not a string. Borrowed from o. */
static const char *body_str(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

/* The value of a form field as an integer, 0 when absent or malformed. */
static int form_int(http_req_t *req, const char *name)
{
    const char *v = http_param(req, name);
    int64_t x;
    return v && parse_i64(v, 0, 1000000, &x) == 0 ? (int)x : 0;
}

static const char *relation_label(const char *r) { return household_relation_label(r); }

/* Current members of the household: [{id, name, relation, selected}]. */
static json_t *members_model(int64_t household_id, int64_t selected)
{
    char today[11];
    day_format(day_today_amsterdam(now_s()), today);
    json_t *list = json_array();
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT p.id, p.given_names, p.prefix, p.family_name, m.relation FROM household_member m"
        " JOIN person p ON p.id = m.person_id WHERE m.household_id = ? AND (m.until IS NULL OR m.until >= ?)"
        " ORDER BY CASE m.relation WHEN 'hoofdbewoner' THEN 0 WHEN 'partner' THEN 1 ELSE 2 END,"
        " p.birth_date, p.id");
    db_bind_int(st, 1, household_id);
    db_bind_text(st, 2, today);
    while (db_step(st) == DB_ROW) {
        char name[1024];
        person_display_name(db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3), name, sizeof name);
        int64_t id = db_col_int(st, 0);
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)id, "name", name,
                                              "relation", relation_label(db_col_text(st, 4)), "selected",
                                              id == selected));
    }
    db_done(st);
    return list;
}

static const char *zrm_name(const char *code)
{
    const struct instrument_domain *d = code ? instrument_domain(instrument_find("zrm"), code) : NULL;
    return d ? d->name : code;
}

static json_t *score_model(int v)
{
    const struct instrument_level *l = instrument_scale_level(instrument_find("zrm"), v);
    return json_pack("{s:i, s:s}", "value", v, "label", l && l->label ? l->label : "");
}

/* ---- the plan model ---------------------------------------------------- */

struct view {
    int64_t plan_id;   /* 0 when the household has no plan yet */
    int current;       /* current version, 0 when none */
    int version;       /* the version shown, 0 when none */
    json_t *body;      /* owned */
    struct plan_version_meta meta;
};

/* Loads the version to show (0 = current). Returns 0, or 404 when that
 * version does not exist, or 500. */
static int view_load(const struct hh *h, int version, struct view *v)
{
    memset(v, 0, sizeof *v);
    db_t *db = db_thread();
    v->plan_id = plan_find(db, h->id, &v->current);
    if (v->plan_id < 0) return 500;
    if (v->plan_id == 0 || v->current == 0) {
        if (version != 0) return 404;
        v->body = plan_body_new();
        return 0;
    }
    int rc = plan_version_load(db, v->plan_id, version, &v->body, &v->meta);
    if (rc == PLAN_E_NOT_FOUND) return 404;
    if (rc != PLAN_OK) return 500;
    v->version = v->meta.version;
    return 0;
}

/* view_load() for a page: returns 0, or -1 after answering 404 or 500 (then
 * nothing is left to free in v). */
static int view_open(http_req_t *req, const struct hh *h, int version, struct view *v)
{
    int rc = view_load(h, version, v);
    if (rc == 0) return 0;
    json_decref(v->body);
    v->body = NULL;
    http_error(req, rc, rc != 404 ? "Het plan kon niet worden geladen."
                        : version ? "Deze versie van het plan bestaat niet." : "Dit plan bestaat niet.");
    return -1;
}

static json_t *goals_model(json_t *body)
{
    json_t *list = json_array();
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(body, "goals"), i, g) {
        const char *domain = body_str(g, "domain");
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:o, s:o, s:s}",
            "id", (json_int_t)json_integer_value(json_object_get(g, "id")), "domain", domain,
            "domain_name", zrm_name(domain),
            "current", score_model((int)json_integer_value(json_object_get(g, "current"))),
            "target", score_model((int)json_integer_value(json_object_get(g, "target"))),
            "text", body_str(g, "text")));
    }
    return list;
}

static json_t *action_model(json_t *body, json_t *a, day_t today, int with_statuses)
{
    const char *carrier = json_string_value(json_object_get(a, "carrier"));
    const char *status = json_string_value(json_object_get(a, "status"));
    const char *due = json_string_value(json_object_get(a, "due"));
    int level = (int)json_integer_value(json_object_get(a, "level"));
    int64_t id = json_integer_value(json_object_get(a, "id"));
    json_t *m = json_pack("{s:I, s:s, s:i, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)id, "text",
                          body_str(a, "text"), "level", level,
                          "level_label", ladder_label(level) ? ladder_label(level) : "",
                          "carrier", carrier ? carrier : "",
                          "carrier_label", plan_carrier_label(carrier) ? plan_carrier_label(carrier) : "",
                          "status", status ? status : "",
                          "status_label", plan_status_label(status) ? plan_status_label(status) : "");
    const char *name = json_string_value(json_object_get(a, "carrier_name"));
    json_object_set_new(m, "carrier_name", name && *name ? json_string(name) : json_null());
    json_t *goal = plan_body_goal(body, json_integer_value(json_object_get(a, "goal")));
    if (goal) {
        json_object_set_new(m, "goal", json_pack("{s:I, s:s}", "id", (json_int_t)json_integer_value(json_object_get(goal, "id")),
                                                 "domain_name", zrm_name(body_str(goal, "domain"))));
    } else {
        json_object_set_new(m, "goal", json_null());
    }
    day_t d;
    if (due && day_parse(due, &d) == 0) {
        char nl[40];
        day_format_nl(d, nl, sizeof nl);
        int open = status && (strcmp(status, "open") == 0 || strcmp(status, "bezig") == 0);
        json_object_set_new(m, "due", json_pack("{s:s, s:s, s:b}", "date", due, "text", nl, "overdue", open && d < today));
    } else {
        json_object_set_new(m, "due", json_null());
    }
    if (with_statuses) {
        json_t *opts = json_array();
        for (int i = 0; i < plan_status_count(); i++)
            json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "code", plan_status_at(i), "label",
                                                  plan_status_label(plan_status_at(i)), "selected",
                                                  status && strcmp(status, plan_status_at(i)) == 0));
        json_object_set_new(m, "statuses", opts);
    }
    return m;
}

/* Actions grouped by ladder level, levels without actions left out. */
static json_t *levels_model(json_t *body, day_t today, int with_statuses)
{
    json_t *levels = json_array();
    for (int l = LADDER_MIN; l <= LADDER_MAX; l++) {
        json_t *acts = json_array();
        size_t i;
        json_t *a;
        json_array_foreach(json_object_get(body, "actions"), i, a)
            if (json_integer_value(json_object_get(a, "level")) == l)
                json_array_append_new(acts, action_model(body, a, today, with_statuses));
        if (json_array_size(acts) == 0) {
            json_decref(acts);
            continue;
        }
        json_array_append_new(levels, json_pack("{s:i, s:s, s:i, s:o}", "level", l, "label", ladder_label(l), "count",
                                                (int)json_array_size(acts), "actions", acts));
    }
    return levels;
}

static json_t *kantel_model(json_t *body)
{
    struct kantel_index k;
    char text[200];
    plan_body_kantel(body, &k);
    kantel_index_text(&k, text, sizeof text);
    int pct = kantel_index_percent(&k);
    json_t *per = json_array();
    for (int l = LADDER_MIN; l <= LADDER_MAX; l++)
        json_array_append_new(per, json_pack("{s:i, s:s, s:i}", "level", l, "label", ladder_label(l), "count",
                                             k.per_level[l]));
    return json_pack("{s:o, s:b, s:s, s:i, s:i, s:o}", "percent", pct < 0 ? json_null() : json_integer(pct),
                     "has_index", pct >= 0, "text", text, "total", k.total, "low", k.low, "per_level", per);
}

/* The agreement status of the plan against its current version. */
static json_t *agreement_model(http_req_t *req, const struct hh *h, const struct view *v)
{
    json_t *list = v->plan_id > 0 ? plan_agreements(db_thread(), v->plan_id) : json_array();
    json_t *shown = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(list, i, a) {
        json_array_append_new(shown, json_pack("{s:O, s:O, s:o, s:O}", "version", json_object_get(a, "version"),
                                               "person", json_object_get(a, "person"),
                                               "when", when_text(json_integer_value(json_object_get(a, "agreed_at"))),
                                               "recorded_by", json_object_get(a, "recorded_by")));
    }
    json_t *m = json_pack("{s:o}", "list", shown);
    json_t *latest = json_array_get(shown, 0); /* newest version first */
    if (latest) {
        int agreed = (int)json_integer_value(json_object_get(latest, "version"));
        json_object_set(m, "latest", latest);
        json_object_set_new(m, "agreed_version", json_integer(agreed));
        int outdated = v->current > agreed;
        json_object_set_new(m, "outdated", json_boolean(outdated));
        json_object_set_new(m, "compare_href",
                            outdated ? json_string(arena_printf(req->arena, "%s/vergelijk?van=%d&tot=%d",
                                                                plan_href(req, h), agreed, v->current))
                                     : json_null());
    } else {
        json_object_set_new(m, "latest", json_null());
        json_object_set_new(m, "agreed_version", json_null());
        json_object_set_new(m, "outdated", json_false());
        json_object_set_new(m, "compare_href", json_null());
    }
    json_decref(list);
    return m;
}

static json_t *versions_model(http_req_t *req, const struct hh *h, const struct view *v)
{
    json_t *list = v->plan_id > 0 ? plan_versions(db_thread(), v->plan_id) : json_array();
    const char *base = plan_href(req, h);
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) {
        int n = (int)json_integer_value(json_object_get(it, "version"));
        json_object_set_new(it, "when", when_text(json_integer_value(json_object_get(it, "created_at"))));
        json_object_set_new(it, "href", json_string(arena_printf(req->arena, "%s?versie=%d", base, n)));
        json_object_set_new(it, "compare_href",
                            n > 1 ? json_string(arena_printf(req->arena, "%s/vergelijk?van=%d&tot=%d", base, n - 1, n))
                                  : json_null());
        json_object_set_new(it, "previous", json_integer(n - 1));
        json_object_set_new(it, "shown", json_boolean(n == v->version));
        json_object_set_new(it, "current", json_boolean(n == v->current));
    }
    return list;
}

/* ---- forms ------------------------------------------------------------- */

static const struct http_field goal_fields[] = {
    {"domain", "domein", "doel-domein", "Levensgebied"},
    {"current", "huidig", "doel-huidig", "Huidige score"},
    {"target", "doel", "doel-doel", "Doelscore"},
    {"text", "omschrijving", "doel-omschrijving", "Wat wil het huishouden bereiken?"},
};

static const struct http_field action_fields[] = {
    {"text", "omschrijving", "actie-omschrijving", "Wat gebeurt er?"},
    {"level", "trede", "actie-trede", "Trede"},
    {"carrier", "uitvoerder", "actie-uitvoerder", "Wie voert het uit?"},
    {"carrier_name", "naam_uitvoerder", "actie-naam", "Naam van de uitvoerder"},
    {"goal", "doel", "actie-doel", "Bij welk doel?"},
    {"due", "uiterlijk", "actie-uiterlijk", "Uiterlijk klaar op"},
};

static json_t *goal_form_model(http_req_t *req, int keep, json_t *errors)
{
    const struct instrument *zrm = instrument_find("zrm");
    const char *dom = keep ? http_param(req, "domein") : NULL;
    int cur = keep ? form_int(req, "huidig") : 0, tgt = keep ? form_int(req, "doel") : 0;
    json_t *domains = json_array();
    for (int i = 0; i < zrm->n_domains; i++)
        json_array_append_new(domains, json_pack("{s:s, s:s, s:b}", "code", zrm->domains[i].code, "name",
                                                 zrm->domains[i].name, "selected",
                                                 dom && strcmp(dom, zrm->domains[i].code) == 0));
    json_t *current = json_array(), *target = json_array();
    for (int v = zrm->min; v <= zrm->max; v++) {
        const struct instrument_level *l = instrument_scale_level(zrm, v);
        const char *label = l && l->label ? l->label : "";
        json_array_append_new(current, json_pack("{s:i, s:s, s:b}", "value", v, "label", label, "selected", v == cur));
        json_array_append_new(target, json_pack("{s:i, s:s, s:b}", "value", v, "label", label, "selected", v == tgt));
    }
    const char *text = keep ? http_param(req, "omschrijving") : NULL;
    return json_pack("{s:o, s:o, s:o, s:s, s:o}", "domains", domains, "current", current, "target", target,
                     "text", text ? text : "", "errors", errors ? errors : json_object());
}

static json_t *action_form_model(http_req_t *req, json_t *body, int keep, json_t *errors, day_t today)
{
    int level = keep ? form_int(req, "trede") : LADDER_MIN;
    const char *carrier = keep ? http_param(req, "uitvoerder") : NULL;
    int goal = keep ? form_int(req, "doel") : 0;
    json_t *levels = json_array();
    for (int l = LADDER_MIN; l <= LADDER_MAX; l++)
        json_array_append_new(levels, json_pack("{s:i, s:s, s:s, s:b}", "value", l, "label", ladder_label(l),
                                                "carrier", plan_carrier_label(ladder_carrier(l)), "selected", l == level));
    json_t *carriers = json_array();
    for (int l = LADDER_MIN; l <= LADDER_MAX; l++) {
        const char *c = ladder_carrier(l);
        json_array_append_new(carriers, json_pack("{s:s, s:s, s:b}", "code", c, "label", plan_carrier_label(c),
                                                  "selected", carrier && strcmp(carrier, c) == 0));
    }
    json_t *goals = json_array();
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(body, "goals"), i, g) {
        int64_t id = json_integer_value(json_object_get(g, "id"));
        char line[400];
        plan_text_clip(body_str(g, "text"), 80, line, sizeof line);
        json_array_append_new(goals, json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)id, "domain_name",
                                               zrm_name(body_str(g, "domain")), "text", line, "selected", id == goal));
    }
    char min[11];
    day_format(today, min);
    const char *text = keep ? http_param(req, "omschrijving") : NULL;
    const char *name = keep ? http_param(req, "naam_uitvoerder") : NULL;
    const char *due = keep ? http_param(req, "uiterlijk") : NULL;
    return json_pack("{s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:o}", "levels", levels, "carriers", carriers, "goals", goals,
                     "text", text ? text : "", "carrier_name", name ? name : "", "due", due ? due : "", "min_due", min,
                     "errors", errors ? errors : json_object());
}

/* The whole plan page model for version v. form: which form is re-shown with
 * what was typed ("goal", "action", "agree" or NULL); errors: that form's
 * field errors (stolen); error_list: the error summary (stolen). */
struct form_state {
    const char *form;
    json_t *errors;
    json_t *error_list;
    int64_t status_action; /* action whose status form had a problem */
    const char *status_error;
};

static json_t *plan_model(http_req_t *req, const struct hh *h, struct view *v, struct form_state *fs)
{
    day_t today = day_today_amsterdam(now_s());
    int read_only = v->version != v->current;
    json_t *m = json_pack("{s:s}", "title", arena_printf(req->arena, "Plan – %s", h->name));
    json_object_set_new(m, "household", json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)h->id, "name", h->name,
        "href", arena_printf(req->arena, "/huishoudens/%lld", (long long)h->id), "plan_href", plan_href(req, h)));
    json_object_set_new(m, "has_plan", json_boolean(v->current > 0));
    json_object_set_new(m, "current_version", json_integer(v->current));
    json_object_set_new(m, "read_only", json_boolean(read_only));
    json_object_set_new(m, "editable", json_boolean(!read_only));
    if (v->version > 0)
        json_object_set_new(m, "version", json_pack("{s:i, s:b, s:s, s:o, s:s, s:s}", "number", v->version, "current",
                                                    !read_only, "by", v->meta.by,
                                                    "when", when_text(v->meta.created_at), "summary", v->meta.summary,
                                                    "print_href", arena_printf(req->arena, "%s/afdrukken?versie=%d",
                                                                               plan_href(req, h), v->version)));
    else
        json_object_set_new(m, "version", json_null());
    json_t *goals = goals_model(v->body);
    json_object_set_new(m, "has_goals", json_boolean(json_array_size(goals) > 0));
    json_object_set_new(m, "goals", goals);
    json_t *levels = levels_model(v->body, today, !read_only);
    json_object_set_new(m, "has_actions", json_boolean(json_array_size(levels) > 0));
    json_object_set_new(m, "levels", levels);
    json_object_set_new(m, "kantel", kantel_model(v->body));
    json_object_set_new(m, "versions", versions_model(req, h, v));
    /* what the resident and others wrote about the plan in the portal */
    json_t *comments = plan_comments(db_thread(), h->id, req->user->id, 50);
    json_object_set_new(m, "has_comments", json_boolean(json_array_size(comments) > 0));
    json_object_set_new(m, "comments", comments);
    json_object_set_new(m, "agreement", agreement_model(req, h, v));
    if (!read_only) {
        const char *f = fs ? fs->form : NULL;
        int keep_goal = f && strcmp(f, "goal") == 0, keep_action = f && strcmp(f, "action") == 0;
        int keep_agree = f && strcmp(f, "agree") == 0;
        json_object_set_new(m, "goal_form", goal_form_model(req, keep_goal, keep_goal ? json_incref(fs->errors) : NULL));
        json_object_set_new(m, "action_form", action_form_model(req, v->body, keep_action,
                                                                keep_action ? json_incref(fs->errors) : NULL, today));
        json_t *members = members_model(h->id, keep_agree ? form_int(req, "persoon") : 0);
        json_t *agree = json_pack("{s:i, s:b, s:o, s:o}", "version", v->current, "has_members",
                                  json_array_size(members) > 0, "members", members, "errors",
                                  keep_agree ? json_incref(fs->errors) : json_object());
        json_object_set_new(m, "agree_form", v->current > 0 ? agree : json_null());
        if (v->current == 0) json_decref(agree);
        volunteers_plan_model(req, h->id, m); /* "Vrijwilliger zoeken" on level 4, carrier names */
        referrals_plan_model(req, h->id, m);  /* "Aanbod zoeken" on levels 4-5, referrals and their status */
        if (fs && fs->status_action) { /* mark the action whose status form failed */
            size_t i, j;
            json_t *lv, *a;
            json_array_foreach(levels, i, lv) json_array_foreach(json_object_get(lv, "actions"), j, a)
                if (json_integer_value(json_object_get(a, "id")) == fs->status_action)
                    json_object_set_new(a, "status_error", json_string(fs->status_error));
        }
    } else {
        json_object_set_new(m, "goal_form", json_null());
        json_object_set_new(m, "action_form", json_null());
        json_object_set_new(m, "agree_form", json_null());
    }
    if (fs && fs->error_list) {
        json_object_set_new(m, "error", json_string("Het plan is niet gewijzigd. Verbeter de gemarkeerde velden."));
        json_object_set(m, "error_list", fs->error_list);
    }
    return m;
}

/* Re-shows the current plan with a form's problems (400). */
static void show_errors(http_req_t *req, const struct hh *h, struct form_state *fs)
{
    struct view v;
    if (view_open(req, h, 0, &v) != 0) return;
    req->status = 400;
    http_page(req, "plan", plan_model(req, h, &v, fs));
    json_decref(v.body);
}

static void free_state(struct form_state *fs)
{
    json_decref(fs->errors);
    json_decref(fs->error_list);
}

/* The version asked for with ?versie=N (0 = current), or -1 after answering. */
static int version_param(http_req_t *req)
{
    if (json_object_get(req->errors, "versie")) {
        http_error(req, 400, "Het versienummer is ongeldig.");
        return -1;
    }
    const char *s = http_param(req, "versie");
    int64_t n = 0;
    if (s && *s && parse_i64(s, 0, 1000000000, &n) != 0) {
        http_error(req, 400, "Het versienummer is ongeldig.");
        return -1;
    }
    if (s && *s && n == 0) {
        http_error(req, 404, "Deze versie van het plan bestaat niet.");
        return -1;
    }
    return (int)n;
}

/* ---- pages ------------------------------------------------------------- */

void page_plan(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    int version = version_param(req);
    struct view v;
    if (version < 0 || view_open(req, &h, version, &v) != 0) return;
    http_page(req, "plan", plan_model(req, &h, &v, NULL));
    json_decref(v.body);
}

/* A change applied inside plan_change(): checks again against the body read
 * in the transaction, then applies. */
struct change {
    struct plan_goal_in goal;
    struct plan_action_in action;
    int64_t action_id;
    const char *status;
    day_t today;
    json_t *errors; /* borrowed */
};

static int goal_fn(json_t *body, void *arg, char *summary, size_t n)
{
    struct change *c = arg;
    if (plan_check_goal(body, &c->goal, c->errors) != 0) return PLAN_E_INVALID;
    return plan_body_add_goal(body, &c->goal, summary, n) > 0 ? PLAN_OK : PLAN_E_INVALID;
}

static int action_fn(json_t *body, void *arg, char *summary, size_t n)
{
    struct change *c = arg;
    if (plan_check_action(body, &c->action, c->today, c->errors) != 0) return PLAN_E_INVALID;
    return plan_body_add_action(body, &c->action, c->today, summary, n) > 0 ? PLAN_OK : PLAN_E_INVALID;
}

static int status_fn(json_t *body, void *arg, char *summary, size_t n)
{
    struct change *c = arg;
    return plan_body_set_status(body, c->action_id, c->status, summary, n);
}

static void changed(http_req_t *req, const struct hh *h, int version, const char *anchor)
{
    audit_plan(req, h, "plan.change", arena_printf(req->arena, "version %d", version));
    http_redirect(req, arena_printf(req->arena, "%s%s", plan_href(req, h), anchor));
}

/* Stores c through fn unless the domain (c->errors) or the gate found a
 * problem, and answers: the plan again with the problems of the form called
 * form (fields: its field map, 400), a 500 saying failed, or a redirect to
 * anchor on the plan. Frees c->errors. */
static void add_change(http_req_t *req, const struct hh *h, struct change *c, plan_change_fn fn, const char *form,
                       const struct http_field *fields, size_t n_fields, const char *failed, const char *anchor)
{
    int rc = PLAN_E_INVALID;
    if (json_object_size(c->errors) == 0 && json_object_size(req->errors) == 0)
        rc = plan_change(db_thread(), req->user->gemeente, h->id, req->user->id, now_s(), fn, c);
    if (rc == PLAN_E_INVALID) {
        struct form_state fs = {.form = form, .error_list = json_array()};
        fs.errors = http_form_errors(req, c->errors, fields, n_fields, HTTP_DOMAIN_FIRST, fs.error_list);
        show_errors(req, h, &fs);
        free_state(&fs);
    } else if (rc < 0) {
        http_error(req, 500, failed);
    } else {
        changed(req, h, rc, anchor);
    }
    json_decref(c->errors);
}

void page_plan_goal_add(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    struct change c = {.goal = {http_param(req, "domein"), form_int(req, "huidig"), form_int(req, "doel"),
                                http_param(req, "omschrijving")}};
    c.errors = json_object();
    plan_check_goal(NULL, &c.goal, c.errors);
    add_change(req, &h, &c, goal_fn, "goal", goal_fields, HTTP_NFIELDS(goal_fields),
               "Het doel kon niet worden opgeslagen. Probeer het opnieuw.", "#doelen");
}

void page_plan_action_add(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    struct change c = {.action = {.text = http_param(req, "omschrijving"), .level = form_int(req, "trede"),
                                  .carrier = http_param(req, "uitvoerder"),
                                  .carrier_name = http_param(req, "naam_uitvoerder"), .goal = form_int(req, "doel"),
                                  .due = http_param(req, "uiterlijk")},
                       .today = day_today_amsterdam(now_s())};
    if (json_object_get(req->errors, "uiterlijk")) c.action.due = NULL; /* the gate's message says it */
    struct view v;
    if (view_open(req, &h, 0, &v) != 0) return;
    c.errors = json_object();
    plan_check_action(v.body, &c.action, c.today, c.errors);
    json_decref(v.body);
    add_change(req, &h, &c, action_fn, "action", action_fields, HTTP_NFIELDS(action_fields),
               "De actie kon niet worden opgeslagen. Probeer het opnieuw.", "#acties");
}

void page_plan_action_update(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    int64_t action_id = hh_path_id(req, 1);
    struct view v;
    int rc = view_load(&h, 0, &v);
    if (rc != 0 || !action_id || !plan_body_action(v.body, action_id)) {
        json_decref(v.body);
        http_error(req, rc == 500 ? 500 : 404, "Deze actie bestaat niet in dit plan.");
        return;
    }
    json_decref(v.body);
    struct change c = {.action_id = action_id, .status = http_param(req, "status")};
    rc = c.status && plan_status_label(c.status) ? PLAN_OK : PLAN_E_INVALID;
    if (rc == PLAN_OK) rc = plan_change(db_thread(), req->user->gemeente, h.id, req->user->id, now_s(), status_fn, &c);
    if (rc == PLAN_E_UNCHANGED) { /* nothing to store: no new version */
        http_redirect(req, arena_printf(req->arena, "%s#actie-%lld", plan_href(req, &h), (long long)action_id));
    } else if (rc == PLAN_E_INVALID) {
        const char *msg = "Kies een status uit de lijst.";
        struct form_state fs = {.form = "status", .error_list = json_array(), .status_action = action_id,
                                .status_error = msg};
        json_array_append_new(fs.error_list, json_pack("{s:s, s:s, s:s}", "href",
                                                        arena_printf(req->arena, "#status-%lld", (long long)action_id),
                                                        "label", "Status", "message", msg));
        show_errors(req, &h, &fs);
        free_state(&fs);
    } else if (rc == PLAN_E_NOT_FOUND) {
        http_error(req, 404, "Deze actie bestaat niet in dit plan.");
    } else if (rc < 0) {
        http_error(req, 500, "De status kon niet worden opgeslagen. Probeer het opnieuw.");
    } else {
        changed(req, &h, rc, arena_printf(req->arena, "#actie-%lld", (long long)action_id));
    }
}

/* {title: "<what> – <household>", household: {id, name, plan_href}}, the
 * start of the compare and print models. */
static json_t *page_model(http_req_t *req, const struct hh *h, const char *what)
{
    return json_pack("{s:s, s:{s:I, s:s, s:s}}", "title", arena_printf(req->arena, "%s – %s", what, h->name),
                     "household", "id", (json_int_t)h->id, "name", h->name, "plan_href", plan_href(req, h));
}

static json_t *version_header(const struct plan_version_meta *m)
{
    return json_pack("{s:i, s:s, s:o, s:s}", "number", m->version, "by", m->by, "when", when_text(m->created_at),
                     "summary", m->summary);
}

/* Groups of the diff for the page, only the non-empty ones. */
static void add_group(json_t *groups, json_t *diff, const char *kind, const char *part, const char *title)
{
    json_t *items = json_object_get(json_object_get(diff, kind), part);
    if (json_array_size(items) == 0) return;
    json_array_append_new(groups, json_pack("{s:s, s:s, s:s, s:O, s:b}", "kind", kind, "part", part, "title", title,
                                            "items", items, "changed", strcmp(part, "changed") == 0));
}

void page_plan_compare(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    int from = form_int(req, "van"), to = form_int(req, "tot");
    struct view v;
    if (view_open(req, &h, 0, &v) != 0) return;
    json_decref(v.body); /* only plan_id and current are needed */
    json_t *m = page_model(req, &h, "Versies vergelijken");
    json_t *choices_from = json_array(), *choices_to = json_array();
    for (int n = v.current; n >= 1; n--) {
        json_array_append_new(choices_from, json_pack("{s:i, s:b}", "value", n, "selected", n == from));
        json_array_append_new(choices_to, json_pack("{s:i, s:b}", "value", n, "selected", n == to));
    }
    json_object_set_new(m, "choices_from", choices_from);
    json_object_set_new(m, "choices_to", choices_to);
    if (json_object_size(req->errors)) {
        json_t *list = json_array();
        const struct http_field f[] = {{"", "van", "van", "Van versie"}, {"", "tot", "tot", "Tot versie"}};
        json_object_set_new(m, "errors", http_form_errors(req, NULL, f, 2, HTTP_DOMAIN_FIRST, list));
        json_object_set_new(m, "error_list", list);
        json_object_set_new(m, "error", json_string("Kies twee versies om te vergelijken."));
        req->status = 400;
        http_page(req, "plan_compare", m);
        return;
    }
    json_t *a = NULL, *b = NULL;
    struct plan_version_meta ma, mb;
    int ra = v.plan_id > 0 && from > 0 ? plan_version_load(db_thread(), v.plan_id, from, &a, &ma) : PLAN_E_NOT_FOUND;
    int rb = v.plan_id > 0 && to > 0 ? plan_version_load(db_thread(), v.plan_id, to, &b, &mb) : PLAN_E_NOT_FOUND;
    if (ra != PLAN_OK || rb != PLAN_OK) {
        json_decref(a);
        json_decref(b);
        json_decref(m);
        int bad = ra == PLAN_E_DB || rb == PLAN_E_DB;
        http_error(req, bad ? 500 : 404, bad ? "Het plan kon niet worden geladen." : "Deze versie van het plan bestaat niet.");
        return;
    }
    json_t *diff = plan_body_diff(a, b);
    json_t *groups = json_array();
    add_group(groups, diff, "goals", "added", "Toegevoegde doelen");
    add_group(groups, diff, "goals", "removed", "Verwijderde doelen");
    add_group(groups, diff, "goals", "changed", "Gewijzigde doelen");
    add_group(groups, diff, "actions", "added", "Toegevoegde acties");
    add_group(groups, diff, "actions", "removed", "Verwijderde acties");
    add_group(groups, diff, "actions", "changed", "Gewijzigde acties");
    json_object_set_new(m, "from", version_header(&ma));
    json_object_set_new(m, "to", version_header(&mb));
    json_object_set_new(m, "kantel_from", kantel_model(a));
    json_object_set_new(m, "kantel_to", kantel_model(b));
    json_object_set_new(m, "groups", groups);
    json_object_set_new(m, "diff", diff);
    json_object_set_new(m, "errors", json_object());
    json_decref(a);
    json_decref(b);
    http_page(req, "plan_compare", m);
}

void page_plan_print(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    int version = version_param(req);
    struct view v;
    if (version < 0 || view_open(req, &h, version, &v) != 0) return;
    day_t today = day_today_amsterdam(now_s());
    char printed[40];
    day_format_nl(today, printed, sizeof printed);
    json_t *m = page_model(req, &h, "Plan afdrukken");
    json_object_set_new(m, "members", members_model(h.id, 0));
    json_object_set_new(m, "has_plan", json_boolean(v.current > 0));
    json_object_set_new(m, "version", v.version > 0 ? version_header(&v.meta) : json_null());
    json_object_set_new(m, "current_version", json_integer(v.current));
    json_object_set_new(m, "is_current", json_boolean(v.version == v.current));
    json_t *goals = goals_model(v.body);
    json_object_set_new(m, "has_goals", json_boolean(json_array_size(goals) > 0));
    json_object_set_new(m, "goals", goals);
    json_object_set_new(m, "levels", levels_model(v.body, today, 0));
    json_object_set_new(m, "kantel", kantel_model(v.body));
    json_object_set_new(m, "agreement", agreement_model(req, &h, &v));
    json_object_set_new(m, "printed_on", json_string(printed));
    json_object_set_new(m, "printed_by", str_or_empty(req->user->display_name));
    /* Agreements to the version printed, so the paper says who agreed to it. */
    json_t *mine = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(json_object_get(m, "agreement"), "list"), i, a)
        if (json_integer_value(json_object_get(a, "version")) == v.version) json_array_append(mine, a);
    json_object_set_new(m, "agreed_to_this", mine);
    json_decref(v.body);
    http_page(req, "plan_print", m);
}

void page_plan_agree(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    int version = form_int(req, "versie");
    int64_t person = form_int(req, "persoon");
    if (json_object_size(req->errors)) {
        const struct http_field f[] = {{"", "persoon", "akkoord-persoon", "Wie gaat akkoord?"},
                                      {"", "versie", "akkoord-versie", "Versie"}};
        struct form_state fs = {.form = "agree", .error_list = json_array()};
        fs.errors = http_form_errors(req, NULL, f, 2, HTTP_DOMAIN_FIRST, fs.error_list);
        show_errors(req, &h, &fs);
        free_state(&fs);
        return;
    }
    int current = 0;
    int64_t plan_id = plan_find(db_thread(), h.id, &current);
    int rc = plan_id > 0 ? plan_agree(db_thread(), plan_id, version, person, req->user->id, now_s()) : PLAN_E_NOT_FOUND;
    if (rc == PLAN_E_NOT_FOUND) {
        http_error(req, 404, "Deze versie van het plan bestaat niet.");
    } else if (rc == PLAN_E_PERSON) {
        http_error(req, 404, "Deze persoon hoort niet bij dit huishouden.");
    } else if (rc != PLAN_OK) {
        http_error(req, 500, "Het akkoord kon niet worden vastgelegd. Probeer het opnieuw.");
    } else {
        audit_plan(req, &h, "plan.agree",
                   arena_printf(req->arena, "version %d, person %lld", version, (long long)person));
        http_redirect(req, arena_printf(req->arena, "%s#akkoord", plan_href(req, &h)));
    }
}
