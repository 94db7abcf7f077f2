/*
 * network.c - the household's network (DOMAIN.md section 6) for the
 * caseworker: members with roles and sharing, ending a membership, the
 * invitation button, network meetings whose plan becomes level-3 actions
 * with a follow-up deadline; and the network member's own view: the
 * households they belong to and only what the resident shares with them.
 * The rules live in domain/network.c.
 *
 * Caseworker pages start with hh_load() (need-to-know, 404/403). The network
 * member's pages answer 404 for every household where they are not an active
 * member, so they do not reveal whether it exists.
 */
#include <stdio.h>
#include <string.h>

#include "auth/audit.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/household.h"
#include "domain/ladder.h"
#include "domain/network.h"
#include "domain/plan.h"
#include "domain/request.h"
#include "pages/hh.h"
#include "pages/pages.h"

/* ---- helpers ----------------------------------------------------------- */

static void audit_network(http_req_t *req, int64_t household_id, const char *action, const char *detail)
{
    http_audit(req, action, "household", household_id, "ok", detail);
}

static const char *network_href(http_req_t *req, int64_t household_id)
{
    return arena_printf(req->arena, "/huishoudens/%lld/netwerk", (long long)household_id);
}

static const char *param_or_empty(http_req_t *req, const char *name)
{
    const char *v = http_param(req, name);
    return v ? v : "";
}

static int flag(http_req_t *req, const char *name)
{
    const char *v = http_param(req, name);
    return v && strcmp(v, "1") == 0;
}

static json_t *date_text(const char *iso)
{
    day_t d;
    char nl[40];
    if (!iso || day_parse(iso, &d) != 0) return json_string(iso ? iso : "");
    day_format_nl(d, nl, sizeof nl);
    return json_string(nl);
}

static const struct http_field member_fields[] = {
    {"name", "naam", "lid-naam", "Naam"},
    {"relation", "relatie", "lid-relatie", "Relatie"},
    {"roles", "rollen", "lid-rol-mantelzorger", "Rollen"},
    {"mentee", "jongere", "lid-jongere", "Voor welke jongere? (bij JIM)"},
    {"phone", "telefoon", "lid-telefoon", "Telefoonnummer"},
    {"", "email", "lid-email", "E-mailadres"},
};

static const struct http_field meeting_fields[] = {
    {"held_on", "datum", "beraad-datum", "Datum van het netwerkberaad"},
    {"participants", "deelnemers", "beraad-deelnemers", "Wie deden er mee?"},
    {"outcome", "uitkomst", "beraad-uitkomst", "Het plan van het netwerk"},
    {"", "veiligheid", "beraad-veiligheid", "Veiligheidsvoorwaarden"},
};

static const struct http_field action_fields[] = {
    {"text", "omschrijving", "actie-omschrijving", "Wat gaat u doen?"},
    {"due", "uiterlijk", "actie-uiterlijk", "Uiterlijk klaar op"},
};

/* The roles ticked in the form as a comma list (arena). */
static const char *form_roles(http_req_t *req)
{
    const char *out = "";
    for (int i = 0; i < network_role_count(); i++) {
        const struct network_role *r = network_role_at(i);
        if (flag(req, arena_printf(req->arena, "rol_%s", r->code)))
            out = arena_printf(req->arena, "%s%s%s", out, *out ? "," : "", r->code);
    }
    return out;
}

/* ---- the caseworker's page --------------------------------------------- */

/* Which form is re-shown with what was typed, and its problems (stolen). */
struct form_state {
    const char *form; /* "member", "meeting" or NULL */
    json_t *errors;
    json_t *error_list;
};

static json_t *member_model(http_req_t *req, const struct hh *h, json_t *m)
{
    int64_t id = json_integer_value(json_object_get(m, "id"));
    json_t *roles = json_object_get(m, "roles");
    const char *text = "";
    size_t i;
    json_t *r;
    json_array_foreach(roles, i, r)
        text = arena_printf(req->arena, "%s%s%s", text, i ? ", " : "", json_string_value(json_object_get(r, "label")));
    json_t *out = json_pack("{s:I, s:O, s:O, s:O, s:s, s:O, s:O, s:O, s:O, s:O, s:s}",
        "id", (json_int_t)id, "name", json_object_get(m, "name"), "relation", json_object_get(m, "relation"),
        "roles", roles, "roles_text", text, "phone", json_object_get(m, "phone"), "email",
        json_object_get(m, "email"), "share_plan", json_object_get(m, "share_plan"), "has_account",
        json_object_get(m, "has_account"), "active", json_object_get(m, "active"),
        "update_href", arena_printf(req->arena, "%s/%lld", network_href(req, h->id), (long long)id));
    json_object_set(out, "mentee", json_object_get(m, "mentee") ? json_object_get(m, "mentee") : json_null());
    json_object_set(out, "from_registry", json_object_get(m, "from_registry") ? json_object_get(m, "from_registry")
                                                                               : json_false());
    json_t *ended = json_object_get(m, "ended_at");
    if (json_is_integer(ended)) {
        char s[24];
        fmt_local_time(json_integer_value(ended), s, sizeof s);
        json_object_set_new(out, "ended", json_string(s));
    } else {
        json_object_set_new(out, "ended", json_null());
    }
    return out;
}

/* The current members under 23 (a JIM is for them): [{id, name, selected}]. */
static json_t *youth_model(int64_t household_id, int64_t selected)
{
    day_t today = day_today_amsterdam(now_s());
    int ty, tm, td;
    day_to_ymd(today, &ty, &tm, &td);
    char t[11], limit[40];
    day_format(today, t);
    /* born after this day 23 years ago */
    snprintf(limit, sizeof limit, "%04d-%02d-%02d", ty - NET_JIM_AGE, tm, td);
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT p.id, p.given_names, p.prefix, p.family_name, p.birth_date FROM household_member m"
        " JOIN person p ON p.id = m.person_id WHERE m.household_id = ? AND (m.until IS NULL OR m.until >= ?)"
        " AND p.birth_date IS NOT NULL AND p.birth_date > ? AND p.birth_date <= ? ORDER BY p.birth_date, p.id");
    db_bind_int(st, 1, household_id);
    db_bind_text(st, 2, t);
    db_bind_text(st, 3, limit);
    db_bind_text(st, 4, t);
    json_t *list = json_array();
    while (db_step(st) == DB_ROW) {
        char name[1024];
        person_display_name(db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3), name, sizeof name);
        int64_t id = db_col_int(st, 0);
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)id, "name", name, "born",
                                              db_col_text(st, 4), "selected", id == selected));
    }
    db_done(st);
    return list;
}

static int64_t form_id(http_req_t *req, const char *name)
{
    const char *v = http_param(req, name);
    int64_t x;
    return v && !json_object_get(req->errors, name) && parse_i64(v, 1, INT64_MAX / 2, &x) == 0 ? x : 0;
}

static json_t *member_form_model(http_req_t *req, int64_t household_id, int keep, json_t *errors)
{
    json_t *roles = json_array();
    for (int i = 0; i < network_role_count(); i++) {
        const struct network_role *r = network_role_at(i);
        const char *field = arena_printf(req->arena, "rol_%s", r->code);
        json_array_append_new(roles, json_pack("{s:s, s:s, s:s, s:b}", "code", r->code, "label", r->label, "field",
                                               field, "checked", keep && flag(req, field)));
    }
    json_t *youth = youth_model(household_id, keep ? form_id(req, "jongere") : 0);
    return json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:b, s:o, s:o}", "naam", keep ? param_or_empty(req, "naam") : "",
                     "relatie", keep ? param_or_empty(req, "relatie") : "", "telefoon",
                     keep ? param_or_empty(req, "telefoon") : "", "email", keep ? param_or_empty(req, "email") : "",
                     "delen", keep && flag(req, "delen"), "roles", roles, "has_youth", json_array_size(youth) > 0,
                     "youth", youth, "errors", errors ? errors : json_object());
}

static json_t *meetings_model(int64_t household_id, day_t today)
{
    json_t *list = network_meetings(db_thread(), household_id);
    if (!list) return json_array();
    size_t i;
    json_t *m;
    json_array_foreach(list, i, m) {
        json_object_set_new(m, "held_text", date_text(json_string_value(json_object_get(m, "held_on"))));
        json_object_set_new(m, "has_safety", json_boolean(*json_string_value(json_object_get(m, "safety")) != '\0'));
        json_object_set_new(m, "agreement_count", json_integer((json_int_t)json_array_size(json_object_get(m, "agreements"))));
        json_t *f = json_object_get(m, "followup");
        if (json_is_object(f)) {
            const char *due = json_string_value(json_object_get(f, "due_on"));
            day_t d;
            int done = json_is_string(json_object_get(f, "done_on"));
            json_object_set_new(f, "due_text", date_text(due));
            json_object_set_new(f, "done", json_boolean(done));
            json_object_set_new(f, "overdue", json_boolean(!done && due && day_parse(due, &d) == 0 && d < today));
        }
    }
    return list;
}

static json_t *network_model(http_req_t *req, const struct hh *h, struct form_state *fs)
{
    day_t today = day_today_amsterdam(now_s());
    char max[11];
    day_format(today, max);
    json_t *m = json_pack("{s:s}", "title", arena_printf(req->arena, "Netwerk – %s", h->name));
    json_object_set_new(m, "household", json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)h->id, "name",
        h->name, "href", arena_printf(req->arena, "/huishoudens/%lld", (long long)h->id), "network_href",
        network_href(req, h->id), "plan_href", arena_printf(req->arena, "/huishoudens/%lld/plan", (long long)h->id),
        "invite_href", arena_printf(req->arena, "/huishoudens/%lld/uitnodigingen", (long long)h->id)));
    json_t *all = network_members(db_thread(), h->id);
    json_t *active = json_array(), *former = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(all, i, it)
        json_array_append_new(json_is_true(json_object_get(it, "active")) ? active : former, member_model(req, h, it));
    json_decref(all);
    json_object_set_new(m, "has_members", json_boolean(json_array_size(active) > 0));
    json_object_set_new(m, "members", active);
    json_object_set_new(m, "has_former", json_boolean(json_array_size(former) > 0));
    json_object_set_new(m, "former", former);
    const char *f = fs ? fs->form : NULL;
    int keep_member = f && strcmp(f, "member") == 0, keep_meeting = f && strcmp(f, "meeting") == 0;
    json_object_set_new(m, "member_form",
                        member_form_model(req, h->id, keep_member, keep_member ? json_incref(fs->errors) : NULL));
    json_t *meetings = meetings_model(h->id, today);
    json_object_set_new(m, "has_meetings", json_boolean(json_array_size(meetings) > 0));
    json_object_set_new(m, "meetings", meetings);
    json_object_set_new(m, "meeting_form", json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}",
        "datum", keep_meeting ? param_or_empty(req, "datum") : "",
        "deelnemers", keep_meeting ? param_or_empty(req, "deelnemers") : "",
        "uitkomst", keep_meeting ? param_or_empty(req, "uitkomst") : "",
        "veiligheid", keep_meeting ? param_or_empty(req, "veiligheid") : "", "max_date", max,
        "errors", keep_meeting ? json_incref(fs->errors) : json_object()));
    if (fs && fs->error_list) {
        json_object_set_new(m, "error", json_string(keep_meeting
            ? "Het netwerkberaad is niet opgeslagen. Verbeter de gemarkeerde velden."
            : "Het netwerklid is niet toegevoegd. Verbeter de gemarkeerde velden."));
        json_object_set(m, "error_list", fs->error_list);
    }
    return m;
}

/* Re-shows the page with a form's problems (400) and frees fs. */
static void show_errors(http_req_t *req, const struct hh *h, struct form_state *fs)
{
    req->status = 400;
    http_page(req, "network", network_model(req, h, fs));
    json_decref(fs->errors);
    json_decref(fs->error_list);
}

void page_network(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    http_page(req, "network", network_model(req, &h, NULL));
}

void page_network_add(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    struct network_member_in in = {.name = http_param(req, "naam"), .relation = http_param(req, "relatie"),
                                   .roles = form_roles(req), .phone = http_param(req, "telefoon"),
                                   .email = http_param(req, "email"), .share_plan = flag(req, "delen"),
                                   .mentee_person_id = form_id(req, "jongere")};
    json_t *errors = json_object();
    network_check_member(&in, errors);
    network_check_jim(db_thread(), h.id, &in, day_today_amsterdam(now_s()), errors);
    if (json_object_size(errors) || json_object_size(req->errors)) {
        struct form_state fs = {.form = "member", .error_list = json_array()};
        fs.errors = http_form_errors(req, errors, member_fields, HTTP_NFIELDS(member_fields), HTTP_GATE_FIRST,
                                     fs.error_list);
        json_decref(errors);
        show_errors(req, &h, &fs);
        return;
    }
    json_decref(errors);
    int64_t id = network_member_add(db_thread(), req->user->gemeente, h.id, &in, now_s());
    if (id <= 0) {
        http_error(req, 500, "Het netwerklid kon niet worden opgeslagen. Probeer het opnieuw.");
        return;
    }
    audit_network(req, h.id, "network.add", arena_printf(req->arena, "member %lld", (long long)id));
    http_redirect(req, arena_printf(req->arena, "%s#lid-%lld", network_href(req, h.id), (long long)id));
}

void page_network_update(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    int64_t member = hh_path_id(req, 1);
    if (json_object_size(req->errors)) {
        http_error(req, 400, "Het formulier bevat een ongeldige waarde.");
        return;
    }
    int end = flag(req, "beeindigen"), share = flag(req, "delen");
    int rc = member ? network_member_update(db_thread(), h.id, member, share, end, now_s()) : NET_E_NOT_FOUND;
    if (rc == NET_E_NOT_FOUND) {
        http_error(req, 404, "Dit netwerklid bestaat niet (meer) bij dit huishouden.");
        return;
    }
    if (rc != NET_OK) {
        http_error(req, 500, "De wijziging kon niet worden opgeslagen. Probeer het opnieuw.");
        return;
    }
    audit_network(req, h.id, "network.update",
                  arena_printf(req->arena, "member %lld: %s", (long long)member,
                               end ? "ended" : share ? "shares plan" : "plan not shared"));
    http_redirect(req, arena_printf(req->arena, "%s#%s", network_href(req, h.id),
                                    end ? "eerdere-leden" : arena_printf(req->arena, "lid-%lld", (long long)member)));
}

void page_network_meeting_add(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    struct network_meeting_in in = {.held_on = http_param(req, "datum"), .participants = http_param(req, "deelnemers"),
                                    .outcome = http_param(req, "uitkomst"), .safety = http_param(req, "veiligheid")};
    if (json_object_get(req->errors, "datum")) in.held_on = NULL;
    json_t *errors = json_object();
    int64_t now = now_s();
    network_check_meeting(&in, day_today_amsterdam(now), errors);
    int rc = NET_E_INVALID;
    int64_t meeting = 0;
    if (json_object_size(errors) == 0 && json_object_size(req->errors) == 0) {
        struct deadline_config cfg;
        deadline_config_load(db_thread(), req->user->gemeente, &cfg); /* defaults on error */
        rc = network_meeting_add(db_thread(), req->user->gemeente, h.id, req->user->id, now, &in,
                                 &cfg.rule[DL_NETWERK_OPVOLGING], &cfg.holidays, errors, &meeting);
    }
    if (rc == NET_E_INVALID) {
        struct form_state fs = {.form = "meeting", .error_list = json_array()};
        fs.errors = http_form_errors(req, errors, meeting_fields, HTTP_NFIELDS(meeting_fields), HTTP_GATE_FIRST,
                                     fs.error_list);
        json_decref(errors);
        show_errors(req, &h, &fs);
        return;
    }
    json_decref(errors);
    if (rc < 0) {
        http_error(req, 500, "Het netwerkberaad kon niet worden opgeslagen. Probeer het opnieuw.");
        return;
    }
    audit_network(req, h.id, "network.meeting",
                  arena_printf(req->arena, "meeting %lld, plan version %d", (long long)meeting, rc));
    http_redirect(req, arena_printf(req->arena, "%s#beraad-%lld", network_href(req, h.id), (long long)meeting));
}

/* ---- the network member's own view ------------------------------------- */

void page_network_home(http_req_t *req)
{
    json_t *list = network_households(db_thread(), req->user->gemeente, req->user->id);
    if (!list) {
        http_error(req, 500, "Uw overzicht kon niet worden geladen. Probeer het opnieuw.");
        return;
    }
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) {
        json_object_set_new(it, "href", json_string(arena_printf(req->arena, "/netwerk/%lld",
                            (long long)json_integer_value(json_object_get(it, "household_id")))));
        json_object_set_new(it, "has_resident", json_boolean(*json_string_value(json_object_get(it, "resident"))));
    }
    json_t *m = json_pack("{s:s, s:b, s:o}", "title", "Mijn netwerk", "has_households", json_array_size(list) > 0,
                          "households", list);
    http_page(req, "network_home", m);
}

/* The active membership of the signed-in network member in the household of
 * path parameter 0; answers 404 (or 500) and returns -1 otherwise. */
static int membership_load(http_req_t *req, struct network_membership *ms)
{
    int64_t id = hh_path_id(req, 0);
    int rc = id ? network_membership(db_thread(), req->user->gemeente, req->user->id, id, ms) : NET_E_NOT_FOUND;
    if (rc == NET_E_NOT_FOUND) {
        http_error(req, 404, "Deze pagina bestaat niet.");
        return -1;
    }
    if (rc != NET_OK) {
        http_error(req, 500, "De gegevens konden niet worden geladen. Probeer het opnieuw.");
        return -1;
    }
    req->audit_object_id = arena_printf(req->arena, "%lld", (long long)id);
    return 0;
}

/* First name of the hoofdbewoner (the only personal detail shown). */
static const char *resident_first_name(http_req_t *req, int64_t household_id)
{
    json_t *list = network_households(db_thread(), req->user->gemeente, req->user->id);
    const char *name = "";
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
        if (json_integer_value(json_object_get(it, "household_id")) == household_id)
            name = arena_strdup(req->arena, json_string_value(json_object_get(it, "resident")));
    json_decref(list);
    return name;
}

/* Only the shared parts: the plan's actions (text, who, due date, status),
 * never goals, scores, requests or other members. */
static json_t *shared_actions(int64_t household_id, day_t today, int *ok)
{
    json_t *list = json_array();
    *ok = 1;
    int current = 0;
    int64_t plan_id = plan_find(db_thread(), household_id, &current);
    if (plan_id < 0) *ok = 0;
    if (plan_id <= 0 || current == 0) return list;
    json_t *body = NULL;
    if (plan_version_load(db_thread(), plan_id, current, &body, NULL) != PLAN_OK) {
        *ok = 0;
        return list;
    }
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(body, "actions"), i, a) {
        const char *status = json_string_value(json_object_get(a, "status"));
        if (status && strcmp(status, "gestopt") == 0) continue;
        const char *carrier = json_string_value(json_object_get(a, "carrier"));
        const char *name = json_string_value(json_object_get(a, "carrier_name"));
        const char *label = plan_carrier_label(carrier);
        const char *due = json_string_value(json_object_get(a, "due"));
        json_t *due_m = json_null();
        day_t d;
        if (due && day_parse(due, &d) == 0) {
            char nl[40];
            day_format_nl(d, nl, sizeof nl);
            int open = status && (strcmp(status, "open") == 0 || strcmp(status, "bezig") == 0);
            due_m = json_pack("{s:s, s:s, s:b}", "date", due, "text", nl, "overdue", open && d < today);
        }
        const char *text = json_string_value(json_object_get(a, "text"));
        int level = (int)json_integer_value(json_object_get(a, "level"));
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:i}",
            "id", (json_int_t)json_integer_value(json_object_get(a, "id")), "text", text ? text : "",
            "who", name && *name ? name : label ? label : "", "carrier_label", label ? label : "",
            "due", due_m, "status", status ? status : "",
            "status_label", plan_status_label(status) ? plan_status_label(status) : "", "level", level));
    }
    json_decref(body);
    return list;
}

static json_t *view_model(http_req_t *req, const struct network_membership *ms, struct form_state *fs, int *ok)
{
    day_t today = day_today_amsterdam(now_s());
    char min[11];
    day_format(today, min);
    const char *resident = resident_first_name(req, ms->household_id);
    json_t *m = json_pack("{s:s}", "title", *resident ? arena_printf(req->arena, "Het plan van %s", resident)
                                                      : "Gedeeld plan");
    json_object_set_new(m, "household", json_pack("{s:I, s:s, s:s}", "id", (json_int_t)ms->household_id, "resident",
        resident, "action_href", arena_printf(req->arena, "/netwerk/%lld/acties", (long long)ms->household_id)));
    json_object_set_new(m, "member", json_pack("{s:s}", "name", ms->name));
    json_object_set_new(m, "share_plan", json_boolean(ms->share_plan));
    *ok = 1;
    if (ms->share_plan) {
        json_t *acts = shared_actions(ms->household_id, today, ok);
        json_object_set_new(m, "has_actions", json_boolean(json_array_size(acts) > 0));
        json_object_set_new(m, "actions", acts);
        int keep = fs != NULL;
        json_object_set_new(m, "action_form", json_pack("{s:s, s:s, s:s, s:o}",
            "omschrijving", keep ? param_or_empty(req, "omschrijving") : "",
            "uiterlijk", keep ? param_or_empty(req, "uiterlijk") : "", "min_due", min,
            "errors", keep ? json_incref(fs->errors) : json_object()));
    } else {
        json_object_set_new(m, "has_actions", json_false());
        json_object_set_new(m, "actions", json_array());
        json_object_set_new(m, "action_form", json_null());
    }
    if (fs && fs->error_list) {
        json_object_set_new(m, "error", json_string("De actie is niet opgeslagen. Verbeter de gemarkeerde velden."));
        json_object_set(m, "error_list", fs->error_list);
    }
    return m;
}

void page_network_view(http_req_t *req)
{
    struct network_membership ms;
    if (membership_load(req, &ms) != 0) return;
    int ok;
    json_t *m = view_model(req, &ms, NULL, &ok);
    if (!ok) {
        json_decref(m);
        http_error(req, 500, "Het plan kon niet worden geladen. Probeer het opnieuw.");
        return;
    }
    http_page(req, "network_view", m);
}

void page_network_action(http_req_t *req)
{
    struct network_membership ms;
    if (membership_load(req, &ms) != 0) return;
    if (!ms.share_plan) {
        http_error(req, 403, "De inwoner deelt het plan op dit moment niet met u.");
        return;
    }
    const char *text = http_param(req, "omschrijving"), *due = http_param(req, "uiterlijk");
    if (json_object_get(req->errors, "uiterlijk")) due = NULL;
    json_t *errors = json_object();
    int64_t now = now_s();
    int rc = NET_E_INVALID;
    if (json_object_size(req->errors) == 0)
        rc = network_take_action(db_thread(), req->user->gemeente, req->user->id, &ms, text, due,
                                 day_today_amsterdam(now), now, errors);
    else /* collect the domain's messages too, for the fields the gate passed */
        plan_check_action(NULL, &(struct plan_action_in){.text = text, .level = 3, .due = due},
                          day_today_amsterdam(now), errors);
    if (rc == NET_E_INVALID) {
        struct form_state fs = {.form = "action", .error_list = json_array()};
        fs.errors = http_form_errors(req, errors, action_fields, HTTP_NFIELDS(action_fields), HTTP_GATE_FIRST,
                                     fs.error_list);
        json_decref(errors);
        int ok;
        req->status = 400;
        http_page(req, "network_view", view_model(req, &ms, &fs, &ok));
        json_decref(fs.errors);
        json_decref(fs.error_list);
        return;
    }
    json_decref(errors);
    if (rc == NET_E_NOT_FOUND) {
        http_error(req, 404, "Deze pagina bestaat niet.");
        return;
    }
    if (rc < 0) {
        http_error(req, 500, "De actie kon niet worden opgeslagen. Probeer het opnieuw.");
        return;
    }
    audit_network(req, ms.household_id, "network.action",
                  arena_printf(req->arena, "member %lld, plan version %d", (long long)ms.member_id, rc));
    http_redirect(req, arena_printf(req->arena, "/netwerk/%lld#acties", (long long)ms.household_id));
}
