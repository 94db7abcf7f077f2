/*
 * referrals.c - closed-loop referrals (issue 8) over HTTP:
 *  - the generalist refers a household member from a plan action to a
 *    service of the sociale kaart, with recorded consent
 *    (/huishoudens/{id}/plan/acties/{id}/verwijzen?dienst=...), sees the
 *    referral's history and withdraws it (/huishoudens/{id}/verwijzingen/{id});
 *  - the organisation's inbox and its status form (/organisatie/verwijzingen);
 *    an account without an approved claim sees why, and no data;
 *  - the resident's referrals in the portal, with withdrawal (/mijn/verwijzingen);
 *  - the plan page's per-action links (referrals_plan_model) and the portal's
 *    summary (referrals_portal_summary).
 * The rules live in domain/referral.c. Household pages start with hh_load()
 * (need-to-know); the organisation's pages are built only from
 * referral_org_get()/referral_inbox(), which carry no household data.
 */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/household.h"
#include "domain/ladder.h"
#include "domain/orgmember.h"
#include "domain/plan.h"
#include "domain/referral.h"
#include "pages/hh.h"
#include "pages/pages.h"
#include "pages/referrals.h"

#define INBOX_LIMIT 300

/* ---- helpers ----------------------------------------------------------- */

static const char *param_or_empty(http_req_t *req, const char *name)
{
    const char *v = http_param(req, name);
    return v ? v : "";
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int64_t jint(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static const char *when_text(http_req_t *req, int64_t t)
{
    char s[24];
    fmt_local_time(t, s, sizeof s);
    return arena_strdup(req->arena, s);
}

/* "maandag 23 november 2026" of a unix time (Amsterdam) or of "YYYY-MM-DD". */
static const char *day_text(http_req_t *req, int64_t t, const char *ymd)
{
    day_t d;
    char out[48];
    if (ymd) {
        if (day_parse(ymd, &d) != 0) return arena_strdup(req->arena, ymd);
    } else {
        d = day_today_amsterdam(t);
    }
    day_format_nl(d, out, sizeof out);
    return arena_strdup(req->arena, out);
}

/* The reminder marker of a referral (json string), or null. */
static json_t *reminder_of(http_req_t *req, json_t *r)
{
    if (!json_is_true(json_object_get(r, "open")) || json_is_null(json_object_get(r, "reminded_at")) ||
        !json_object_get(r, "reminded_at"))
        return json_null();
    return json_string(arena_printf(req->arena, "Herinnering: geen update sinds %s",
                                    day_text(req, jint(r, "status_at"), NULL)));
}

static const char *referral_href(http_req_t *req, int64_t hh, int64_t id)
{
    return arena_printf(req->arena, "/huishoudens/%lld/verwijzingen/%lld", (long long)hh, (long long)id);
}

static const char *search_href(http_req_t *req, int64_t hh, int64_t action)
{
    return arena_printf(req->arena, "/sociale-kaart?huishouden=%lld&actie=%lld", (long long)hh, (long long)action);
}

static const char *service_href(http_req_t *req, const char *service_id)
{
    return arena_printf(req->arena, "/sociale-kaart/diensten/%s", service_id);
}

/* The action of the household's current plan (new reference) or NULL. */
static json_t *plan_action(int64_t household_id, int64_t action_id)
{
    int current = 0;
    int64_t plan_id = plan_find(db_thread(), household_id, &current);
    if (plan_id <= 0 || current == 0) return NULL;
    json_t *body = NULL;
    if (plan_version_load(db_thread(), plan_id, current, &body, NULL) != PLAN_OK) return NULL;
    json_t *a = plan_body_action(body, action_id);
    if (a) json_incref(a);
    json_decref(body);
    return a;
}

static json_t *action_model(json_t *a)
{
    int level = (int)jint(a, "level");
    const char *st = jstr(a, "status");
    return json_pack("{s:I, s:s, s:i, s:s, s:s, s:s}", "id", (json_int_t)jint(a, "id"), "text", jstr(a, "text"),
                     "level", level, "level_label", ladder_label(level) ? ladder_label(level) : "", "status", st,
                     "status_label", plan_status_label(st) ? plan_status_label(st) : st);
}

/* Events for the generalist's view or the resident's: [{status_label, when,
 * by, reason, plan_version}]; the resident sees the organisation's name
 * rather than the name of its account. */
static json_t *events_model(http_req_t *req, json_t *r, int for_resident)
{
    json_t *list = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(r, "events"), i, e) {
        const char *side = jstr(e, "by_side"), *by = jstr(e, "by");
        const char *who = strcmp(side, "org") == 0
                              ? for_resident ? jstr(r, "organization")
                                             : arena_printf(req->arena, "%s (%s)", by, jstr(r, "organization"))
                        : strcmp(side, "resident") == 0 && !for_resident ? arena_printf(req->arena, "%s (inwoner)", by)
                        : *by ? by : "onbekend";
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:O}", "status_label", jstr(e, "status_label"),
                                              "when", when_text(req, jint(e, "at")), "by", who, "reason",
                                              jstr(e, "reason"), "plan_version", json_object_get(e, "plan_version")));
    }
    return list;
}

/* What a status means, for the resident (B1), or NULL. */
static const char *status_meaning_resident(const char *status)
{
    if (!strcmp(status, "verstuurd")) return "De organisatie heeft de verwijzing gekregen. Zij nemen contact op.";
    if (!strcmp(status, "contact")) return "De organisatie heeft contact gehad.";
    if (!strcmp(status, "gestart")) return "U doet mee. Fijn!";
    if (!strcmp(status, "beeindigd")) return "Het is afgerond.";
    if (!strcmp(status, "afgewezen"))
        return "De organisatie kan helaas niet helpen. Uw contactpersoon zoekt samen met u iets anders.";
    if (!strcmp(status, "ingetrokken")) return "De verwijzing is gestopt. De organisatie krijgt geen gegevens meer.";
    return NULL;
}

/* A Dutch sentence about what a status means for the plan, or NULL. */
static const char *status_meaning(const char *status)
{
    if (!strcmp(status, "verstuurd")) return "De organisatie heeft de verwijzing gekregen en neemt contact op.";
    if (!strcmp(status, "contact")) return "De organisatie heeft contact gehad met de inwoner.";
    if (!strcmp(status, "gestart")) return "De inwoner doet mee. De actie in het plan staat op Bezig.";
    if (!strcmp(status, "beeindigd")) return "De deelname is afgerond.";
    if (!strcmp(status, "afgewezen")) return "De organisatie heeft de verwijzing afgewezen. Een nieuwe stap is nodig.";
    if (!strcmp(status, "ingetrokken")) return "De verwijzing is ingetrokken. Een nieuwe stap is nodig.";
    return NULL;
}

/* ---- the referral form (generalist) ------------------------------------ */

static const struct http_field referral_fields[] = {
    {"action", "actie", "actie", "Actie"},
    {"service", "dienst", "dienst-kop", "Dienst"},
    {"person", "persoon", "vz-persoon", "Wie wilt u verwijzen?"},
    {"consent_by", "toestemming_door", "vz-door", "Wie gaf toestemming?"},
    {"consent_how", "toestemming_hoe", "vz-hoe", "Hoe is de toestemming gegeven?"},
    {"consent_on", "toestemming_datum", "vz-datum", "Datum van de toestemming"},
    {"contact", "contact", "vz-contact", "Welk contactgegeven deelt u?"},
    {"contact", "contact_anders", "vz-contact-tekst", "Ander contactgegeven"},
    {"message", "bericht", "vz-bericht", "Bericht aan de organisatie"},
    {"consent", "akkoord", "vz-akkoord", "Toestemming om te delen"},
};

struct member {
    int64_t id;
    char name[700];
    int age;
    char phone[200], email[300];
};

/* Current members of a household, oldest first (at most max). */
static int members_of(int64_t household_id, struct member *out, int max)
{
    day_t today = day_today_amsterdam(now_s());
    char t[11];
    day_format(today, t);
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT p.id, p.given_names, p.prefix, p.family_name, p.birth_date, p.phone, p.email FROM household_member m"
        " JOIN person p ON p.id = m.person_id WHERE m.household_id = ? AND (m.until IS NULL OR m.until >= ?)"
        " ORDER BY p.birth_date, p.id");
    db_bind_int(st, 1, household_id);
    db_bind_text(st, 2, t);
    int n = 0;
    while (n < max && db_step(st) == DB_ROW) {
        struct member *m = &out[n++];
        m->id = db_col_int(st, 0);
        person_display_name(db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3), m->name, sizeof m->name);
        m->age = db_col_is_null(st, 4) ? -1 : referral_age(db_col_text(st, 4), today);
        snprintf(m->phone, sizeof m->phone, "%s", db_col_text(st, 5));
        snprintf(m->email, sizeof m->email, "%s", db_col_text(st, 6));
    }
    db_done(st);
    return n;
}

#define MAX_MEMBERS 20

/* The shared contact the form chose: "" (none), a member's phone or e-mail
 * ("p<ID>-telefoon", "p<ID>-email") or the typed one ("anders"). Returns 0,
 * or -1 when the choice is not one of the offered ones. */
static int contact_of(http_req_t *req, const struct member *mm, int n, const char **out)
{
    const char *c = param_or_empty(req, "contact");
    *out = "";
    if (!*c || !strcmp(c, "geen")) return 0;
    if (!strcmp(c, "anders")) {
        *out = json_object_get(req->errors, "contact_anders") ? "" : param_or_empty(req, "contact_anders");
        return 0;
    }
    for (int i = 0; i < n; i++) {
        char want[40];
        snprintf(want, sizeof want, "p%lld-telefoon", (long long)mm[i].id);
        if (!strcmp(c, want) && *mm[i].phone) {
            *out = arena_strdup(req->arena, mm[i].phone);
            return 0;
        }
        snprintf(want, sizeof want, "p%lld-email", (long long)mm[i].id);
        if (!strcmp(c, want) && *mm[i].email) {
            *out = arena_strdup(req->arena, mm[i].email);
            return 0;
        }
    }
    return -1;
}

struct form_ctx {
    struct hh h;
    int64_t action_id;
    json_t *action;   /* the plan action (owned) */
    const char *service_id;
    json_t *service;  /* referral_service() (owned), NULL when none */
    int64_t existing; /* an open referral of this action to this service */
};

static void form_ctx_free(struct form_ctx *c)
{
    json_decref(c->action);
    json_decref(c->service);
}

/* Choices [{value, label, id, checked}] for a radio list. */
static json_t *radio(http_req_t *req, const char *idp, const char *const *codes, const char *(*label)(const char *),
                     int n, const char *have)
{
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b}", "value", codes[i], "label", label(codes[i]),
                                              "id", i == 0 ? idp : arena_printf(req->arena, "%s-%s", idp, codes[i]),
                                              "checked", have && !strcmp(have, codes[i])));
    return list;
}

static json_t *form_page_model(http_req_t *req, struct form_ctx *c, int keep, json_t *errors, json_t *error_list)
{
    json_t *m = json_pack("{s:s}", "title", c->service ? arena_printf(req->arena, "Verwijzen naar %s",
                                                                        jstr(c->service, "name"))
                                                      : "Verwijzen naar aanbod");
    json_object_set_new(m, "household", json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)c->h.id, "name", c->h.name,
        "href", arena_printf(req->arena, "/huishoudens/%lld", (long long)c->h.id),
        "plan_href", arena_printf(req->arena, "/huishoudens/%lld/plan#actie-%lld", (long long)c->h.id,
                                  (long long)c->action_id)));
    json_object_set_new(m, "plan_action", action_model(c->action));
    json_object_set_new(m, "search_href", json_string(search_href(req, c->h.id, c->action_id)));
    json_object_set_new(m, "service", c->service ? json_incref(c->service) : json_null());
    if (c->service) json_object_set_new(json_object_get(m, "service"), "href",
                                        json_string(service_href(req, c->service_id)));
    json_object_set_new(m, "existing", c->existing ? json_pack("{s:s}", "href", referral_href(req, c->h.id, c->existing))
                                                   : json_null());
    int can = c->service && json_is_true(json_object_get(c->service, "referable")) && !c->existing;
    if (!can) {
        json_object_set_new(m, "form", json_null());
    } else {
        struct member mm[MAX_MEMBERS];
        int n = members_of(c->h.id, mm, MAX_MEMBERS);
        int64_t person = 0, x;
        const char *p = keep ? http_param(req, "persoon") : NULL;
        if (p && parse_i64(p, 1, INT64_MAX / 2, &x) == 0) person = x;
        json_t *members = json_array(), *contacts = json_array();
        const char *contact = keep ? param_or_empty(req, "contact") : "geen";
        json_array_append_new(contacts, json_pack("{s:s, s:s, s:s, s:b}", "value", "geen", "label",
            "Geen: de organisatie neemt contact op via de regisseur", "id", "vz-contact",
            "checked", !*contact || !strcmp(contact, "geen")));
        for (int i = 0; i < n; i++) {
            const char *label = mm[i].age < 0 ? arena_printf(req->arena, "%s (leeftijd onbekend)", mm[i].name)
                              : mm[i].age < REF_ADULT_CONSENT_AGE
                                  ? arena_printf(req->arena, "%s (%d jaar: toestemming van ouder of voogd)", mm[i].name,
                                                 mm[i].age)
                                  : arena_printf(req->arena, "%s (%d jaar)", mm[i].name, mm[i].age);
            json_array_append_new(members, json_pack("{s:I, s:s, s:s, s:b}", "value", (json_int_t)mm[i].id, "label",
                label, "id", i == 0 ? "vz-persoon" : arena_printf(req->arena, "vz-persoon-%lld", (long long)mm[i].id),
                "checked", mm[i].id == person));
            const char *vals[2] = {arena_printf(req->arena, "p%lld-telefoon", (long long)mm[i].id),
                                   arena_printf(req->arena, "p%lld-email", (long long)mm[i].id)};
            const char *have[2] = {mm[i].phone, mm[i].email};
            for (int k = 0; k < 2; k++) {
                if (!*have[k]) continue;
                json_array_append_new(contacts, json_pack("{s:s, s:s, s:s, s:b}", "value", vals[k], "label",
                    arena_printf(req->arena, "%s van %s: %s", k ? "E-mail" : "Telefoon", mm[i].name, have[k]),
                    "id", arena_printf(req->arena, "vz-contact-%s", vals[k]), "checked", !strcmp(contact, vals[k])));
            }
        }
        json_array_append_new(contacts, json_pack("{s:s, s:s, s:s, s:b}", "value", "anders", "label",
                                                  "Een ander telefoonnummer of e-mailadres (vul het hieronder in)", "id", "vz-contact-anders",
                                                  "checked", !strcmp(contact, "anders")));
        static const char *const by_codes[] = {"inwoner", "vertegenwoordiger"};
        static const char *const how_codes[] = {"mondeling", "schriftelijk", "portaal"};
        char today[11];
        day_format(day_today_amsterdam(now_s()), today);
        const char *org = jstr(c->service, "organization");
        json_t *form = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:b, s:s, s:b}",
            "action", arena_printf(req->arena, "/huishoudens/%lld/plan/acties/%lld/verwijzen", (long long)c->h.id,
                                   (long long)c->action_id),
            "dienst", c->service_id, "members", members,
            "consent_by", radio(req, "vz-door", by_codes, referral_consent_by_label, 2,
                                keep ? param_or_empty(req, "toestemming_door") : NULL),
            "consent_how", radio(req, "vz-hoe", how_codes, referral_consent_how_label, 3,
                                 keep ? param_or_empty(req, "toestemming_hoe") : NULL),
            "contacts", contacts,
            "datum", keep ? param_or_empty(req, "toestemming_datum") : today,
            "contact_anders", keep ? param_or_empty(req, "contact_anders") : "",
            "bericht", keep ? param_or_empty(req, "bericht") : "",
            "akkoord", keep && !strcmp(param_or_empty(req, "akkoord"), "1"),
            "organization", *org ? org : jstr(c->service, "name"), "has_members", n > 0);
        json_object_set_new(form, "errors", errors ? json_incref(errors) : json_object());
        json_object_set_new(m, "form", form);
    }
    if (error_list) {
        json_object_set_new(m, "error", json_string("De verwijzing is niet verstuurd. Verbeter de gemarkeerde velden."));
        json_object_set(m, "error_list", error_list);
    }
    return m;
}

/* The open referral of the action to the service (0 when none). */
static int64_t existing_referral(int64_t household_id, int64_t action_id, const char *service_id)
{
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT id FROM referral WHERE household_id = ? AND action_id = ? AND service_id = ?"
        " AND status IN ('verstuurd', 'contact', 'gestart') ORDER BY id DESC LIMIT 1");
    db_bind_int(st, 1, household_id);
    db_bind_int(st, 2, action_id);
    db_bind_text(st, 3, service_id);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return id;
}

/* hh_load, the action and the service of the form. Returns 0, or -1 after
 * answering (404, 409, or the page that says to choose a service first). */
static int form_open(http_req_t *req, struct form_ctx *c)
{
    memset(c, 0, sizeof *c);
    if (hh_load(req, &c->h) != 0) return -1;
    c->action_id = hh_path_id(req, 1);
    c->action = c->action_id ? plan_action(c->h.id, c->action_id) : NULL;
    if (!c->action) {
        http_error(req, 404, "Deze actie staat niet in het plan van dit huishouden.");
        return -1;
    }
    const char *st = jstr(c->action, "status");
    if (!strcmp(st, "gedaan") || !strcmp(st, "gestopt")) {
        form_ctx_free(c);
        http_error(req, 409, "Deze actie is al gedaan of gestopt. Verwijs vanuit een actie die nog loopt.");
        return -1;
    }
    const char *d = http_param(req, "dienst");
    if (!d || !*d) { /* no service chosen: send them to the search */
        json_t *m = form_page_model(req, c, 0, NULL, NULL);
        json_object_set_new(m, "no_service", json_true());
        req->status = strcmp(req->method, "POST") == 0 ? 400 : 200;
        http_page(req, "referral_new", m);
        form_ctx_free(c);
        return -1;
    }
    c->service_id = d;
    c->service = json_object_get(req->errors, "dienst") ? NULL
                                                         : referral_service(db_thread(), req->user->gemeente, d);
    if (!c->service) {
        form_ctx_free(c);
        http_error(req, 404, "Deze dienst staat niet op de sociale kaart.");
        return -1;
    }
    c->existing = existing_referral(c->h.id, c->action_id, d);
    return 0;
}

void page_referral_new(http_req_t *req)
{
    struct form_ctx c;
    if (form_open(req, &c) != 0) return;
    http_page(req, "referral_new", form_page_model(req, &c, 0, NULL, NULL));
    form_ctx_free(&c);
}

void page_referral_add(http_req_t *req)
{
    struct form_ctx c;
    if (form_open(req, &c) != 0) return;
    if (!json_is_true(json_object_get(c.service, "referable"))) {
        req->status = 409;
        http_page(req, "referral_new", form_page_model(req, &c, 0, NULL, NULL));
        form_ctx_free(&c);
        return;
    }
    struct member mm[MAX_MEMBERS];
    int nm = members_of(c.h.id, mm, MAX_MEMBERS);
    const char *contact = "";
    json_t *errors = json_object();
    if (contact_of(req, mm, nm, &contact) != 0)
        json_object_set_new(errors, "contact", json_string("Kies een contactgegeven uit de lijst."));
    int64_t person = 0, x;
    const char *p = http_param(req, "persoon");
    if (p && !json_object_get(req->errors, "persoon") && parse_i64(p, 1, INT64_MAX / 2, &x) == 0) person = x;
    if (!strcmp(param_or_empty(req, "contact"), "anders") && !*contact && !json_object_get(req->errors, "contact_anders"))
        json_object_set_new(errors, "contact", json_string("Vul het telefoonnummer of e-mailadres in dat u deelt."));
    struct referral_in in = {
        .action_id = c.action_id, .person_id = person, .service_id = c.service_id,
        .consent_by = http_param(req, "toestemming_door"), .consent_how = http_param(req, "toestemming_hoe"),
        .consent_on = json_object_get(req->errors, "toestemming_datum") ? NULL : http_param(req, "toestemming_datum"),
        .consent_confirmed = !strcmp(param_or_empty(req, "akkoord"), "1"), .contact = contact,
        .message = json_object_get(req->errors, "bericht") ? "" : param_or_empty(req, "bericht")};
    int64_t now = now_s();
    int bad = json_object_size(errors) > 0 || json_object_size(req->errors) > 0;
    if (!bad) bad = referral_check(db_thread(), req->user->gemeente, c.h.id, &in, day_today_amsterdam(now), errors) > 0;
    int version = 0;
    int64_t id = 0;
    if (!bad) {
        id = referral_create(db_thread(), req->user->gemeente, c.h.id, &in, req->user->id, now, errors, &version);
        bad = id == REF_E_INVALID || id == REF_E_DUPLICATE;
    } else {
        referral_check(db_thread(), req->user->gemeente, c.h.id, &in, day_today_amsterdam(now), errors);
    }
    if (bad) {
        json_t *list = json_array();
        json_t *fe = http_form_errors(req, errors, referral_fields, HTTP_NFIELDS(referral_fields), HTTP_GATE_FIRST,
                                      list);
        c.existing = existing_referral(c.h.id, c.action_id, c.service_id);
        req->status = 400;
        http_page(req, "referral_new", form_page_model(req, &c, 1, fe, list));
        json_decref(fe);
        json_decref(list);
        json_decref(errors);
        form_ctx_free(&c);
        return;
    }
    json_decref(errors);
    form_ctx_free(&c);
    if (id <= 0) {
        http_error(req, id == REF_E_NOT_FOUND ? 404 : 500, "De verwijzing kon niet worden opgeslagen. Probeer het opnieuw.");
        return;
    }
    http_audit(req, "referral.create", "household", c.h.id, "ok",
               arena_printf(req->arena, "referral %lld, action %lld%s", (long long)id, (long long)c.action_id,
                            version ? arena_printf(req->arena, ", plan version %d", version) : ""));
    http_redirect(req, referral_href(req, c.h.id, id));
}

/* ---- the referral page (generalist) ------------------------------------ */

static json_t *referral_page_model(http_req_t *req, const struct hh *h, json_t *r, json_t *errors, json_t *error_list)
{
    int64_t id = jint(r, "id"), action_id = jint(r, "action_id");
    const char *href = referral_href(req, h->id, id);
    json_t *m = json_pack("{s:s}", "title", arena_printf(req->arena, "Verwijzing naar %s", jstr(r, "service_name")));
    json_object_set_new(m, "household", json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)h->id, "name", h->name,
        "href", arena_printf(req->arena, "/huishoudens/%lld", (long long)h->id),
        "plan_href", arena_printf(req->arena, "/huishoudens/%lld/plan#actie-%lld", (long long)h->id,
                                  (long long)action_id)));
    json_t *a = plan_action(h->id, action_id);
    json_object_set_new(m, "plan_action", a ? action_model(a) : json_null());
    json_decref(a);
    const char *status = jstr(r, "status");
    const char *meaning = status_meaning(status);
    int age = (int)jint(r, "person_age");
    json_t *ref = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
        "id", (json_int_t)id, "service_name", jstr(r, "service_name"), "organization", jstr(r, "organization"),
        "service_href", service_href(req, jstr(r, "service_id")), "status", status,
        "status_label", jstr(r, "status_label"), "meaning", meaning ? meaning : "", "reason", jstr(r, "reason"),
        "open", json_is_true(json_object_get(r, "open")), "shared_name", jstr(r, "shared_name"),
        "shared_contact", jstr(r, "shared_contact"), "message", jstr(r, "message"),
        "consent_by", jstr(r, "consent_by_label"), "consent_how", jstr(r, "consent_how_label"),
        "consent_on", day_text(req, 0, jstr(r, "consent_on")), "consent_recorded_by", jstr(r, "consent_recorded_by"),
        "created", when_text(req, jint(r, "created_at")));
    json_object_set_new(ref, "age", age >= 0 ? json_integer(age) : json_null());
    json_object_set_new(ref, "reminder", reminder_of(req, r));
    json_object_set_new(ref, "new_step", json_boolean(!strcmp(status, "afgewezen") || !strcmp(status, "ingetrokken")));
    json_object_set_new(ref, "events", events_model(req, r, 0));
    json_object_set_new(m, "referral", ref);
    json_object_set_new(m, "search_href", json_string(search_href(req, h->id, action_id)));
    if (json_is_true(json_object_get(r, "open"))) {
        const char *reden = errors ? param_or_empty(req, "reden") : "";
        json_object_set_new(m, "withdraw_form", json_pack("{s:s, s:s, s:o}", "action",
            arena_printf(req->arena, "%s/intrekken", href), "reden", reden,
            "errors", errors ? json_incref(errors) : json_object()));
    } else {
        json_object_set_new(m, "withdraw_form", json_null());
    }
    if (error_list) {
        json_object_set_new(m, "error", json_string("De verwijzing is niet ingetrokken."));
        json_object_set(m, "error_list", error_list);
    }
    return m;
}

static json_t *referral_load(http_req_t *req, const struct hh *h)
{
    int64_t id = hh_path_id(req, 1);
    json_t *r = id ? referral_get(db_thread(), req->user->gemeente, h->id, id) : NULL;
    if (!r) http_error(req, 404, "Deze verwijzing bestaat niet bij dit huishouden.");
    return r;
}

void page_referral(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    json_t *r = referral_load(req, &h);
    if (!r) return;
    http_page(req, "referral", referral_page_model(req, &h, r, NULL, NULL));
    json_decref(r);
}

/* The answer to a failed status change: a field error re-shows the page
 * (400), a state conflict is 409, not found 404, a refusal 403. Returns 1
 * when it answered. */
static int status_failed(http_req_t *req, int rc, json_t *errors)
{
    const char *msg = json_string_value(json_object_get(errors, "status"));
    if (rc == REF_E_NOT_FOUND) http_error(req, 404, "Deze verwijzing bestaat niet.");
    else if (rc == REF_E_STATE) http_error(req, 409, msg ? msg : "Dit kan niet meer. Laad de pagina opnieuw.");
    else if (rc == REF_E_FORBIDDEN) http_error(req, 403, msg ? msg : "Dit mag u niet doen.");
    else if (rc == REF_E_DB) http_error(req, 500, "De wijziging kon niet worden opgeslagen. Probeer het opnieuw.");
    else return 0;
    return 1;
}

static const struct http_field withdraw_fields[] = {
    {"reason", "reden", "vz-reden", "Reden"},
};

void page_referral_withdraw(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    json_t *r = referral_load(req, &h);
    if (!r) return;
    int64_t id = jint(r, "id");
    json_t *errors = json_object();
    int version = 0, rc = REF_E_INVALID;
    if (!json_object_get(req->errors, "reden")) {
        struct referral_actor who = {.side = REF_SIDE_STAFF, .household_id = h.id, .account_id = req->user->id};
        rc = referral_set_status(db_thread(), req->user->gemeente, id, &who, "ingetrokken", http_param(req, "reden"),
                                 now_s(), errors, &version);
    }
    if (rc == REF_E_INVALID) {
        json_t *list = json_array();
        json_t *fe = http_form_errors(req, errors, withdraw_fields, 1, HTTP_GATE_FIRST, list);
        req->status = 400;
        http_page(req, "referral", referral_page_model(req, &h, r, fe, list));
        json_decref(fe);
        json_decref(list);
    } else if (!status_failed(req, rc, errors)) {
        http_audit(req, "referral.status", "household", h.id, "ok",
                   arena_printf(req->arena, "referral %lld: ingetrokken by staff%s", (long long)id,
                                version ? arena_printf(req->arena, ", plan version %d", version) : ""));
        http_redirect(req, referral_href(req, h.id, id));
    }
    json_decref(errors);
    json_decref(r);
}

/* ---- the organisation's inbox ------------------------------------------ */

/* The organisation the signed-in account speaks for. Returns 1 (approved:
 * org_id and name filled), or 0 after answering with the explanation
 * (status: 200 for the inbox, 403 elsewhere), or -1 after a 500. */
static int org_open(http_req_t *req, char org_id[ORG_ID_MAX], char *name, size_t n, int status)
{
    int rc = orgmember_org(db_thread(), req->user->id, org_id, name, n);
    if (rc < 0) {
        http_error(req, 500, "De gegevens konden niet worden geladen. Probeer het opnieuw.");
        return -1;
    }
    if (rc == 1) return 1;
    /* what the claim's state is, in words */
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT m.status, coalesce(o.name, '') FROM org_member m LEFT JOIN hsds_organization o"
        " ON o.id = m.organization_id WHERE m.account_id = ?");
    db_bind_int(st, 1, req->user->id);
    const char *why = "Uw account spreekt nog niet voor een organisatie op de sociale kaart. Vraag dat aan op de "
                      "pagina van uw organisatie. Zodra de gemeente uw aanvraag heeft goedgekeurd, ziet u hier de "
                      "inwoners die naar uw aanbod zijn verwezen.";
    if (db_step(st) == DB_ROW) {
        const char *s = db_col_text(st, 0), *org = db_col_text(st, 1);
        if (!strcmp(s, "aangevraagd"))
            why = arena_printf(req->arena, "Uw aanvraag om te spreken voor %s wacht nog op goedkeuring door de "
                                           "gemeente. Na de goedkeuring ziet u hier de inwoners die naar uw aanbod zijn "
                                           "verwezen.", *org ? org : "uw organisatie");
        else if (!strcmp(s, "afgewezen"))
            why = "Uw aanvraag om voor een organisatie te spreken is afgewezen. Op de pagina van uw organisatie ziet u "
                  "waarom en kunt u een nieuwe aanvraag doen.";
    }
    db_done(st);
    req->status = status;
    http_page(req, "referral_inbox", json_pack("{s:s, s:b, s:s}", "title", "Verwijzingen", "approved", 0, "why", why));
    return 0;
}

static const char *side_label(const char *side)
{
    return !strcmp(side, "org") ? "Uw organisatie" : !strcmp(side, "resident") ? "De inwoner" : "De gemeente";
}

static json_t *org_item(http_req_t *req, json_t *r)
{
    int64_t id = jint(r, "id");
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:o}", "id", (json_int_t)id, "href",
        arena_printf(req->arena, "/organisatie/verwijzingen/%lld", (long long)id), "service_name",
        jstr(r, "service_name"), "shared_name", jstr(r, "shared_name"), "status", jstr(r, "status"), "status_label",
        jstr(r, "status_label"), "created", day_text(req, jint(r, "created_at"), NULL), "open",
        json_is_true(json_object_get(r, "open")), "updated", day_text(req, jint(r, "status_at"), NULL), "reminder",
        reminder_of(req, r));
}

void page_org_referrals(http_req_t *req)
{
    char org[ORG_ID_MAX], name[400];
    if (org_open(req, org, name, sizeof name, 200) != 1) return;
    json_t *in = referral_inbox(db_thread(), req->user->gemeente, org, INBOX_LIMIT);
    if (!in) {
        http_error(req, 500, "De verwijzingen konden niet worden geladen. Probeer het opnieuw.");
        return;
    }
    json_t *open = json_array(), *done = json_array(), *counts = json_array();
    size_t i;
    json_t *r;
    int reminders = 0;
    json_array_foreach(json_object_get(in, "referrals"), i, r) {
        json_t *item = org_item(req, r);
        if (!json_is_null(json_object_get(item, "reminder"))) reminders++;
        json_array_append_new(json_is_true(json_object_get(r, "open")) ? open : done, item);
    }
    for (int k = 0; referral_status_at(k); k++) {
        const char *s = referral_status_at(k);
        json_array_append_new(counts, json_pack("{s:s, s:s, s:I}", "status", s, "label", referral_status_label(s),
                                                "count", (json_int_t)jint(json_object_get(in, "counts"), s)));
    }
    json_decref(in);
    json_t *m = json_pack("{s:s, s:b, s:s, s:o, s:b, s:o, s:b, s:o, s:i}", "title", "Verwijzingen", "approved", 1,
                          "organization", name, "counts", counts, "has_open", json_array_size(open) > 0, "open", open,
                          "has_done", json_array_size(done) > 0, "done", done, "reminders", reminders);
    json_object_set_new(m, "reminders_text", !reminders ? json_null()
        : json_string(reminders == 1 ? "Herinnering: 1 verwijzing wacht al lang op een update. Zet de status bij."
                                     : arena_printf(req->arena, "Herinnering: %d verwijzingen wachten al lang op een "
                                                    "update. Zet de status bij.", reminders)));
    http_page(req, "referral_inbox", m);
}

static const struct http_field org_status_fields[] = {
    {"status", "status", "vo-status", "Nieuwe status"},
    {"reason", "reden", "vo-reden", "Reden of toelichting"},
};

static json_t *org_page_model(http_req_t *req, const char *org_name, json_t *r, json_t *errors, json_t *error_list)
{
    int64_t id = jint(r, "id");
    const char *status = jstr(r, "status");
    json_t *item = org_item(req, r);
    json_object_set_new(item, "shared_contact", json_string(jstr(r, "shared_contact")));
    json_object_set_new(item, "message", json_string(jstr(r, "message")));
    json_object_set_new(item, "reason", json_string(jstr(r, "reason")));
    json_object_set_new(item, "consent_on", json_string(day_text(req, 0, jstr(r, "consent_on"))));
    json_t *events = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(r, "events"), i, e)
        json_array_append_new(events, json_pack("{s:s, s:s, s:s, s:s}", "status_label", jstr(e, "status_label"), "when",
                                                when_text(req, jint(e, "at")), "by", side_label(jstr(e, "by_side")),
                                                "reason", jstr(e, "reason")));
    json_object_set_new(item, "events", events);
    json_t *m = json_pack("{s:s, s:b, s:s, s:o}", "title", arena_printf(req->arena, "Verwijzing: %s",
                          jstr(r, "shared_name")), "approved", 1, "organization", org_name, "referral", item);
    /* the statuses this organisation may set now */
    static const struct { const char *code, *label; } choices[] = {
        {"contact", "Contact gehad: we hebben de inwoner gesproken"},
        {"gestart", "Gestart: de inwoner doet mee"},
        {"afgewezen", "Afgewezen: het past niet (reden verplicht)"},
        {"beeindigd", "Beëindigd: de deelname is afgerond"},
    };
    json_t *opts = json_array();
    const char *chosen = errors ? param_or_empty(req, "status") : "";
    for (size_t k = 0; k < sizeof choices / sizeof choices[0]; k++) {
        if (referral_transition_why(status, choices[k].code, REF_SIDE_ORG, NULL)) continue;
        json_array_append_new(opts, json_pack("{s:s, s:s, s:s, s:b}", "value", choices[k].code, "label",
            choices[k].label, "id", json_array_size(opts) == 0 ? "vo-status"
                                                               : arena_printf(req->arena, "vo-status-%s", choices[k].code),
            "checked", !strcmp(chosen, choices[k].code)));
    }
    if (json_array_size(opts) > 0)
        json_object_set_new(m, "status_form", json_pack("{s:s, s:o, s:s, s:o}", "action",
            arena_printf(req->arena, "/organisatie/verwijzingen/%lld/status", (long long)id), "options", opts,
            "reden", errors ? param_or_empty(req, "reden") : "", "errors", errors ? json_incref(errors) : json_object()));
    else {
        json_decref(opts);
        json_object_set_new(m, "status_form", json_null());
    }
    if (error_list) {
        json_object_set_new(m, "error", json_string("De status is niet opgeslagen. Verbeter de gemarkeerde velden."));
        json_object_set(m, "error_list", error_list);
    }
    return m;
}

static json_t *org_referral_load(http_req_t *req, const char *org)
{
    int64_t id = hh_path_id(req, 0);
    json_t *r = id ? referral_org_get(db_thread(), req->user->gemeente, org, id) : NULL;
    if (!r) http_error(req, 404, "Deze verwijzing bestaat niet.");
    else req->audit_object_id = arena_printf(req->arena, "%lld", (long long)id);
    return r;
}

void page_org_referral(http_req_t *req)
{
    char org[ORG_ID_MAX], name[400];
    if (org_open(req, org, name, sizeof name, 403) != 1) return;
    json_t *r = org_referral_load(req, org);
    if (!r) return;
    http_page(req, "referral_org", org_page_model(req, name, r, NULL, NULL));
    json_decref(r);
}

void page_org_referral_status(http_req_t *req)
{
    char org[ORG_ID_MAX], name[400];
    if (org_open(req, org, name, sizeof name, 403) != 1) return;
    json_t *r = org_referral_load(req, org);
    if (!r) return;
    int64_t id = jint(r, "id");
    const char *status = param_or_empty(req, "status");
    json_t *errors = json_object();
    int version = 0, rc = REF_E_INVALID;
    if (!*status || json_object_get(req->errors, "status")) {
        json_object_set_new(errors, "status", json_string("Kies de nieuwe status."));
    } else if (!json_object_get(req->errors, "reden")) {
        struct referral_actor who = {.side = REF_SIDE_ORG, .org_id = org, .account_id = req->user->id};
        rc = referral_set_status(db_thread(), req->user->gemeente, id, &who, status, http_param(req, "reden"), now_s(),
                                 errors, &version);
        /* a status that is not offered is a field error on this form */
        if (rc == REF_E_STATE || rc == REF_E_FORBIDDEN) {
            json_t *now_r = referral_org_get(db_thread(), req->user->gemeente, org, id);
            int still = now_r && !strcmp(jstr(now_r, "status"), jstr(r, "status")) &&
                        json_is_true(json_object_get(now_r, "open"));
            json_decref(now_r);
            if (still) rc = REF_E_INVALID;
        }
    }
    if (rc == REF_E_INVALID) {
        json_t *list = json_array();
        json_t *fe = http_form_errors(req, errors, org_status_fields, HTTP_NFIELDS(org_status_fields), HTTP_GATE_FIRST,
                                      list);
        req->status = 400;
        http_page(req, "referral_org", org_page_model(req, name, r, fe, list));
        json_decref(fe);
        json_decref(list);
    } else if (!status_failed(req, rc, errors)) {
        http_audit(req, "referral.status", "referral", id, "ok",
                   arena_printf(req->arena, "%s by organisation%s", status,
                                version ? arena_printf(req->arena, ", plan version %d", version) : ""));
        http_redirect(req, arena_printf(req->arena, "/organisatie/verwijzingen/%lld", (long long)id));
    }
    json_decref(errors);
    json_decref(r);
}

/* ---- the resident (portal) ---------------------------------------------- */

struct resident {
    int64_t person_id, household_id;
};

/* The signed-in resident's person and household (0 when none). */
static void resident_find(http_req_t *req, struct resident *me)
{
    char t[11];
    day_format(day_today_amsterdam(now_s()), t);
    memset(me, 0, sizeof *me);
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT a.person_id, h.id FROM account a JOIN household_member hm ON hm.person_id = a.person_id"
        " JOIN household h ON h.id = hm.household_id WHERE a.id = ? AND h.gemeente = ?"
        " AND (hm.until IS NULL OR hm.until >= ?) ORDER BY h.status = 'open' DESC, h.id DESC LIMIT 1");
    db_bind_int(st, 1, req->user->id);
    db_bind_text(st, 2, req->user->gemeente);
    db_bind_text(st, 3, t);
    if (db_step(st) == DB_ROW) {
        me->person_id = db_col_int(st, 0);
        me->household_id = db_col_int(st, 1);
        req->audit_object_id = arena_printf(req->arena, "%lld", (long long)me->household_id);
    }
    db_done(st);
}

/* The household's referrals the resident sees (new reference). */
static json_t *resident_referrals(const struct resident *me, const char *gemeente)
{
    json_t *all = me->household_id ? referral_list(db_thread(), gemeente, me->household_id) : json_array();
    json_t *mine = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(all, i, r)
        if (referral_resident_may(me->person_id, jint(r, "person_id"), (int)jint(r, "person_age")))
            json_array_append(mine, r);
    json_decref(all);
    return mine;
}

static json_t *portal_model(http_req_t *req, const struct resident *me, int64_t error_for, json_t *errors)
{
    json_t *list = resident_referrals(me, req->user->gemeente);
    json_t *items = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(list, i, r) {
        int64_t id = jint(r, "id");
        json_t *full = referral_get(db_thread(), req->user->gemeente, me->household_id, id);
        if (!full) continue;
        const char *status = jstr(full, "status");
        const char *meaning = status_meaning_resident(status);
        json_t *it = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o}",
            "id", (json_int_t)id, "service_name", jstr(full, "service_name"), "organization", jstr(full, "organization"),
            "service_href", service_href(req, jstr(full, "service_id")), "for", jstr(full, "shared_name"),
            "status_label", jstr(full, "status_label"), "meaning", meaning ? meaning : "",
            "shared_contact", jstr(full, "shared_contact"), "message", jstr(full, "message"),
            "consent_on", day_text(req, 0, jstr(full, "consent_on")), "open",
            json_is_true(json_object_get(full, "open")), "events", events_model(req, full, 1));
        if (json_is_true(json_object_get(full, "open"))) {
            json_t *err = id == error_for ? json_object_get(errors, "reason") : NULL;
            json_object_set_new(it, "withdraw", json_pack("{s:s, s:s, s:O}", "action",
                arena_printf(req->arena, "/mijn/verwijzingen/%lld/intrekken", (long long)id), "reden",
                id == error_for ? param_or_empty(req, "reden") : "", "error", err ? err : json_null()));
        } else {
            json_object_set_new(it, "withdraw", json_null());
        }
        json_array_append_new(items, it);
        json_decref(full);
    }
    json_decref(list);
    json_t *m = json_pack("{s:s, s:b, s:b, s:o}", "title", "Mijn verwijzingen", "has_household", me->household_id > 0,
                          "has_referrals", json_array_size(items) > 0, "referrals", items);
    if (error_for) {
        json_object_set_new(m, "error", json_string("De verwijzing is niet ingetrokken. Verbeter het gemarkeerde veld."));
        json_t *msg = json_object_get(errors, "reason");
        json_object_set_new(m, "error_list", json_pack("[{s:s, s:s, s:O}]", "href",
            arena_printf(req->arena, "#reden-%lld", (long long)error_for), "label", "Waarom?", "message",
            msg ? msg : json_string("Controleer de reden.")));
    }
    return m;
}

void page_portal_referrals(http_req_t *req)
{
    struct resident me;
    resident_find(req, &me);
    http_page(req, "portal_referrals", portal_model(req, &me, 0, NULL));
}

void page_portal_referral_withdraw(http_req_t *req)
{
    struct resident me;
    resident_find(req, &me);
    int64_t id = hh_path_id(req, 0);
    json_t *errors = json_object();
    if (json_object_get(req->errors, "reden")) {
        json_object_set(errors, "reason", json_object_get(req->errors, "reden"));
        req->status = 400;
        http_page(req, "portal_referrals", portal_model(req, &me, id, errors));
        json_decref(errors);
        return;
    }
    int version = 0;
    int rc = REF_E_NOT_FOUND;
    if (me.household_id && id) {
        struct referral_actor who = {.side = REF_SIDE_RESIDENT, .household_id = me.household_id,
                                     .person_id = me.person_id, .account_id = req->user->id};
        rc = referral_set_status(db_thread(), req->user->gemeente, id, &who, "ingetrokken", http_param(req, "reden"),
                                 now_s(), errors, &version);
    }
    if (rc == REF_E_INVALID) {
        req->status = 400;
        http_page(req, "portal_referrals", portal_model(req, &me, id, errors));
    } else if (!status_failed(req, rc, errors)) {
        http_audit(req, "referral.status", "household", me.household_id, "ok",
                   arena_printf(req->arena, "referral %lld: ingetrokken by resident%s", (long long)id,
                                version ? arena_printf(req->arena, ", plan version %d", version) : ""));
        http_redirect(req, arena_printf(req->arena, "/mijn/verwijzingen#verwijzing-%lld", (long long)id));
    }
    json_decref(errors);
}

json_t *referrals_portal_summary(http_req_t *req, int64_t household_id, int64_t person_id)
{
    struct resident me = {person_id, household_id};
    json_t *list = resident_referrals(&me, req->user->gemeente);
    int open = 0;
    size_t i;
    json_t *r;
    json_array_foreach(list, i, r) open += json_is_true(json_object_get(r, "open"));
    json_t *s = json_pack("{s:i, s:i, s:b, s:s}", "count", (int)json_array_size(list), "open", open, "one_open",
                          open == 1, "href", "/mijn/verwijzingen");
    json_decref(list);
    return s;
}

json_t *referrals_portal_export(http_req_t *req, int64_t household_id, int64_t person_id)
{
    struct resident me = {person_id, household_id};
    json_t *list = resident_referrals(&me, req->user->gemeente);
    json_t *out = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(list, i, r) {
        json_t *full = referral_get(db_thread(), req->user->gemeente, household_id, jint(r, "id"));
        if (!full) continue;
        json_t *events = events_model(req, full, 1);
        size_t k;
        json_t *e;
        json_array_foreach(events, k, e) json_object_del(e, "plan_version");
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
            "service_name", jstr(full, "service_name"), "organization", jstr(full, "organization"),
            "for", jstr(full, "shared_name"), "status", jstr(full, "status"), "status_label",
            jstr(full, "status_label"), "consent_on", day_text(req, 0, jstr(full, "consent_on")), "consent_by",
            jstr(full, "consent_by_label"), "consent_how", jstr(full, "consent_how_label"), "shared_contact",
            jstr(full, "shared_contact"), "message", jstr(full, "message"), "events", events));
        json_decref(full);
    }
    json_decref(list);
    return out;
}

/* ---- the plan page's per-action extras ------------------------------------ */

void referrals_plan_model(http_req_t *req, int64_t household_id, json_t *m)
{
    json_t *list = referral_list(db_thread(), req->user->gemeente, household_id);
    size_t i, j, k;
    json_t *lv, *a, *r;
    json_array_foreach(json_object_get(m, "levels"), i, lv) {
        int level = (int)jint(lv, "level");
        json_array_foreach(json_object_get(lv, "actions"), j, a) {
            int64_t id = jint(a, "id");
            const char *st = jstr(a, "status");
            int running = !strcmp(st, "open") || !strcmp(st, "bezig");
            json_object_set_new(a, "referral_search", running && (level == 4 || level == 5)
                ? json_pack("{s:s}", "href", search_href(req, household_id, id)) : json_null());
            json_t *refs = json_array();
            json_t *last = NULL;
            int any_open = 0;
            json_array_foreach(list, k, r) {
                if (jint(r, "action_id") != id) continue;
                if (!last) last = r; /* newest first */
                any_open |= json_is_true(json_object_get(r, "open"));
                json_array_append_new(refs, json_pack("{s:s, s:s, s:s, s:s, s:b, s:o}", "href",
                    referral_href(req, household_id, jint(r, "id")), "service_name", jstr(r, "service_name"),
                    "status", jstr(r, "status"), "status_label", jstr(r, "status_label"), "open",
                    json_is_true(json_object_get(r, "open")), "reminder", reminder_of(req, r)));
            }
            json_t *step = json_null();
            if (running && last && !any_open) {
                const char *ls = jstr(last, "status"), *why = jstr(last, "reason");
                size_t wl = strlen(why);
                int stop = wl > 0 && strchr(".!?", why[wl - 1]) != NULL; /* the reason ends its own sentence */
                if (!strcmp(ls, "afgewezen"))
                    step = json_string(arena_printf(req->arena, "Verwijzing naar %s afgewezen%s%s%s Een nieuwe stap is "
                                                    "nodig.", jstr(last, "service_name"), *why ? ": " : "", why,
                                                    stop ? "" : "."));
                else if (!strcmp(ls, "ingetrokken"))
                    step = json_string(arena_printf(req->arena, "Verwijzing naar %s ingetrokken. Een nieuwe stap is "
                                                    "nodig.", jstr(last, "service_name")));
            }
            json_object_set_new(a, "referrals", refs);
            json_object_set_new(a, "new_step", step);
        }
    }
    json_decref(list);
}
