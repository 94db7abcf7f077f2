/*
 * listing.c - listings of the sociale kaart that stay current (issue 6;
 * routes: http/routes_listing.def; rules: domain/listing.h):
 *  - /organisatie: an organisation's account claims the organisation it
 *    speaks for; once approved it sees its listings with their state, a
 *    banner when some await confirmation, confirms them ("Nog actueel") and
 *    edits them (the form with field errors, and each listing's change log);
 *  - /kaartbeheer: the municipality decides the claims and looks after the
 *    listings that are flagged or hidden, and confirms or edits the ones
 *    nobody claimed.
 * A service id that is not the actor's answers 404, as an unknown id does.
 */
#include <stdio.h>
#include <string.h>

#include "auth/audit.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/listing.h"
#include "pages/pages.h"

#define PER_PAGE 50
#define HISTORY_MAX 200

/* ---- helpers ---------------------------------------------------------------- */

static const char *param(http_req_t *req, const char *name)
{
    const char *v = json_object_get(req->errors, name) ? NULL : http_param(req, name);
    return v ? v : "";
}

static const char *raw_param(http_req_t *req, const char *name)
{
    const char *v = http_param(req, name);
    return v ? v : "";
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = o ? json_string_value(json_object_get(o, key)) : NULL;
    return s ? s : "";
}

static const char *const month_nl[] = {"januari", "februari", "maart",     "april",   "mei",      "juni",
                                       "juli",    "augustus", "september", "oktober", "november", "december"};

static const char *day_nl(http_req_t *req, day_t d)
{
    int y, m, dd;
    day_to_ymd(d, &y, &m, &dd);
    return arena_printf(req->arena, "%d %s %d", dd, month_nl[(m - 1) % 12], y);
}

/* "15 juli 2026" of a stored date (or date-time); the text itself when it is
 * no date; "" when empty. */
static const char *date_nl(http_req_t *req, const char *s)
{
    day_t d;
    if (!s || !*s) return "";
    if (listing_effective_day(s, 0, &d) == 1) return day_nl(req, d);
    return s;
}

/* The Amsterdam date of unix seconds, in Dutch. */
static const char *when_nl(http_req_t *req, int64_t t)
{
    return day_nl(req, day_today_amsterdam(t));
}

static const char *status_label(const char *s)
{
    return strcmp(s, "active") == 0               ? "Actief"
           : strcmp(s, "temporarily closed") == 0 ? "Tijdelijk gesloten"
           : strcmp(s, "inactive") == 0           ? "Niet actief"
           : strcmp(s, "defunct") == 0            ? "Gestopt"
                                                  : s;
}

/* The state of a listing as text: "Actueel", "Bevestigen gevraagd sinds 3
 * mei 2026", "Verborgen sinds 1 juni 2026". */
static const char *state_text(http_req_t *req, json_t *o)
{
    const char *st = jstr(o, "state");
    if (strcmp(st, "hidden") == 0)
        return arena_printf(req->arena, "Verborgen sinds %s",
                            when_nl(req, json_integer_value(json_object_get(o, "hidden_at"))));
    if (strcmp(st, "flagged") == 0)
        return arena_printf(req->arena, "Bevestigen gevraagd sinds %s",
                            when_nl(req, json_integer_value(json_object_get(o, "flagged_at"))));
    return "Actueel";
}

/* The assured date as text, or from when Kantel knows the listing. */
static const char *assured_text(http_req_t *req, json_t *o)
{
    const char *a = jstr(o, "assured_date");
    if (*a) return date_nl(req, a);
    json_t *seen = json_object_get(o, "seen_at");
    if (json_is_integer(seen)) return arena_printf(req->arena, "Nooit (bekend sinds %s)", when_nl(req, json_integer_value(seen)));
    return "Nooit";
}

static void audit_service(http_req_t *req, const char *action, const char *service_id, const char *result)
{
    struct audit_event ev = {.action = action, .object_type = "hsds_service", .object_id = service_id,
                             .result = result ? result : "ok", .origin = req->origin_ip, .actor_id = req->user->id,
                             .actor = req->user->username, .gemeente = req->user->gemeente};
    audit_log(&ev);
}

/* The actor of the request: the organisation the account speaks for
 * (as_org), or the municipality's kaartbeheer. 0, or -1 with the answer set. */
static int actor(http_req_t *req, int as_org, struct listing_actor *a)
{
    int rc = listing_actor_load(db_thread(), req->user->gemeente, req->user->id, as_org, a);
    if (rc == LST_OK) return 0;
    if (rc == LST_E_NOT_FOUND)
        http_error(req, 404, as_org ? "Deze vermelding bestaat niet, of uw organisatie beheert haar niet."
                                    : "Uw account is niet gevonden.");
    else http_error(req, 500, "De gegevens konden niet worden geladen. Probeer het opnieuw.");
    return -1;
}

/* ---- the edit form ------------------------------------------------------------- */

static const struct http_field service_fields[] = {
    {"name", "naam", "dienst-naam", "Naam"},
    {"description", "beschrijving", "dienst-beschrijving", "Beschrijving"},
    {"status", "status", "dienst-status", "Gaat het aanbod door?"},
    {"phone", "telefoon", "dienst-telefoon", "Telefoonnummer"},
    {"email", "email", "dienst-email", "E-mailadres"},
    {"url", "website", "dienst-website", "Website"},
    {"fees_description", "kosten", "dienst-kosten", "Kosten"},
    {"minimum_age", "leeftijd_van", "dienst-leeftijd-van", "Vanaf leeftijd"},
    {"maximum_age", "leeftijd_tot", "dienst-leeftijd-tot", "Tot en met leeftijd"},
    {"byday", "dagen", "dienst-dag-ma", "Op welke dagen?"},
    {"opens_at", "open", "dienst-open", "Begintijd"},
    {"closes_at", "dicht", "dienst-dicht", "Eindtijd"},
};

static const struct {
    const char *code, *field, *label;
} days[] = {
    {"MO", "dag_ma", "maandag"}, {"TU", "dag_di", "dinsdag"},  {"WE", "dag_wo", "woensdag"}, {"TH", "dag_do", "donderdag"},
    {"FR", "dag_vr", "vrijdag"}, {"SA", "dag_za", "zaterdag"}, {"SU", "dag_zo", "zondag"},
};

static const struct {
    const char *code, *label;
} status_options[] = {
    {"active", "Actief: het aanbod gaat door"},
    {"temporarily closed", "Tijdelijk gesloten"},
    {"inactive", "Niet actief"},
    {"defunct", "Gestopt: het aanbod bestaat niet meer"},
};

/* The ticked days as "MO,TU". */
static const char *form_days(http_req_t *req)
{
    const char *out = "";
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        const char *v = http_param(req, days[i].field);
        if (v && strcmp(v, "1") == 0) out = arena_printf(req->arena, "%s%s%s", out, *out ? "," : "", days[i].code);
    }
    return out;
}

static struct listing_service_in service_from_form(http_req_t *req)
{
    return (struct listing_service_in){
        .name = raw_param(req, "naam"), .description = raw_param(req, "beschrijving"),
        .email = raw_param(req, "email"), .url = raw_param(req, "website"), .status = raw_param(req, "status"),
        .fees_description = raw_param(req, "kosten"), .minimum_age = raw_param(req, "leeftijd_van"),
        .maximum_age = raw_param(req, "leeftijd_tot"), .phone = raw_param(req, "telefoon"),
        .opens_at = raw_param(req, "open"), .closes_at = raw_param(req, "dicht"), .byday = form_days(req)};
}

/* "HH:MM" of a stored time (for the time inputs), else the text itself. */
static const char *hhmm(http_req_t *req, const char *t)
{
    if (strlen(t) == 8 && t[2] == ':' && t[5] == ':') return arena_strndup(req->arena, t, 5);
    return t;
}

/* The form of a listing: s = the stored listing; keep = show what was sent;
 * errors (stolen, may be NULL) by form field. */
static json_t *form_model(http_req_t *req, json_t *s, int keep, json_t *errors, const char *action)
{
    json_t *sched = json_object_get(s, "schedule");
    int has = json_is_object(sched), weekly = !has || json_is_true(json_object_get(sched, "weekly"));
    const char *status = keep ? raw_param(req, "status") : jstr(s, "status");
    const char *byday = keep ? form_days(req) : jstr(sched, "byday");
    json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "action", action,
        "naam", keep ? raw_param(req, "naam") : jstr(s, "name"),
        "beschrijving", keep ? raw_param(req, "beschrijving") : jstr(s, "description"),
        "email", keep ? raw_param(req, "email") : jstr(s, "email"),
        "website", keep ? raw_param(req, "website") : jstr(s, "url"),
        "kosten", keep ? raw_param(req, "kosten") : jstr(s, "fees_description"),
        "leeftijd_van", keep ? raw_param(req, "leeftijd_van") : jstr(s, "minimum_age"),
        "leeftijd_tot", keep ? raw_param(req, "leeftijd_tot") : jstr(s, "maximum_age"),
        "telefoon", keep ? raw_param(req, "telefoon") : jstr(s, "phone"),
        "open", keep ? raw_param(req, "open") : hhmm(req, jstr(sched, "opens_at")),
        "dicht", keep ? raw_param(req, "dicht") : hhmm(req, jstr(sched, "closes_at")),
        "schedule_text", has ? jstr(sched, "description") : "");
    json_t *opts = json_array();
    for (size_t i = 0; i < sizeof status_options / sizeof status_options[0]; i++)
        json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", status_options[i].code, "label",
                                              status_options[i].label, "selected",
                                              strcmp(status, status_options[i].code) == 0));
    json_object_set_new(m, "status_options", opts);
    json_t *d = json_array();
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        int on = 0;
        for (const char *p = byday; (p = strstr(p, days[i].code)); p += 2)
            if ((p == byday || p[-1] == ',' || p[-1] == ' ') && (p[2] == '\0' || p[2] == ',' || p[2] == ' ')) on = 1;
        json_array_append_new(d, json_pack("{s:s, s:s, s:s, s:b}", "field", days[i].field, "id",
                                           arena_printf(req->arena, "dienst-dag-%s", days[i].field + 4), "label",
                                           days[i].label, "checked", on));
    }
    json_object_set_new(m, "days", d);
    json_object_set_new(m, "weekly", json_boolean(weekly));
    json_object_set_new(m, "has_schedule", json_boolean(has));
    json_object_set_new(m, "errors", errors ? errors : json_object());
    return m;
}

static const char *field_label(const char *resource, const char *f)
{
    static const struct {
        const char *resource, *field, *label;
    } labels[] = {
        {"service", "name", "Naam"},
        {"service", "description", "Beschrijving"},
        {"service", "email", "E-mailadres"},
        {"service", "url", "Website"},
        {"service", "status", "Status"},
        {"service", "fees_description", "Kosten"},
        {"service", "minimum_age", "Vanaf leeftijd"},
        {"service", "maximum_age", "Tot en met leeftijd"},
        {"service", "assured_date", "Bevestigd als actueel"},
        {"service", "kantel:hidden", "Verborgen op de sociale kaart"},
        {"phone", "number", "Telefoonnummer"},
        {"schedule", "byday", "Dagen"},
        {"schedule", "opens_at", "Begintijd"},
        {"schedule", "closes_at", "Eindtijd"},
        {"schedule", "description", "Omschrijving van de tijden"},
        {"schedule", "freq", "Herhaling"},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].resource, resource) == 0 && strcmp(labels[i].field, f) == 0) return labels[i].label;
    return f;
}

/* A logged value as people read it. */
static const char *value_text(http_req_t *req, const char *field, const char *v)
{
    if (!*v || strcmp(v, LISTING_NO_VALUE) == 0) return "";
    if (strcmp(field, "status") == 0) return status_label(v);
    if (strcmp(field, "assured_date") == 0) return date_nl(req, v);
    if (strcmp(field, "kantel:hidden") == 0) return strcmp(v, "true") == 0 ? "ja" : "nee";
    if (strcmp(field, "byday") == 0) {
        const char *out = "";
        for (size_t i = 0; i < sizeof days / sizeof days[0]; i++)
            if (strstr(v, days[i].code)) out = arena_printf(req->arena, "%s%s%s", out, *out ? ", " : "", days[i].label);
        return *out ? out : v;
    }
    return v;
}

static json_t *history_model(http_req_t *req, const char *service_id)
{
    json_t *h = listing_history(db_thread(), req->user->gemeente, service_id, HISTORY_MAX);
    json_t *out = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(h, i, r) {
        const char *action = jstr(r, "action"), *field = jstr(r, "field"), *res = jstr(r, "resource_type");
        const char *by = jstr(r, "by");
        const char *what = strcmp(action, "confirm") == 0  ? "Bevestigd als actueel"
                           : strcmp(action, "create") == 0 ? "Toegevoegd"
                           : strcmp(action, "delete") == 0 ? "Weggehaald"
                                                           : "Gewijzigd";
        if (strcmp(field, "kantel:hidden") == 0)
            what = strcmp(jstr(r, "replacement"), "true") == 0 ? "Verborgen: te lang niet bevestigd" : "Weer zichtbaar";
        const char *when = date_nl(req, jstr(r, "date"));
        json_t *ms = json_object_get(r, "ms");
        if (json_is_integer(ms)) {
            int64_t t = json_integer_value(ms) / 1000;
            char local[24];
            fmt_local_time(t, local, sizeof local);
            day_t d;
            /* the id's time, when it is of the same day as the row */
            if (listing_effective_day(jstr(r, "date"), 0, &d) == 1 && d == day_today_amsterdam(t))
                when = arena_printf(req->arena, "%s, %s", day_nl(req, d), local + 11);
        }
        const char *label = field_label(res, field), *from = value_text(req, field, jstr(r, "previous"));
        const char *to = value_text(req, field, jstr(r, "replacement"));
        /* one sentence per change, readable at any width */
        const char *text = what;
        if (strcmp(field, "kantel:hidden") == 0 || strcmp(action, "confirm") == 0) text = what;
        else if (strcmp(action, "create") == 0) text = arena_printf(req->arena, "%s toegevoegd: „%s”", label, to);
        else if (strcmp(action, "delete") == 0) text = arena_printf(req->arena, "%s weggehaald (was „%s”)", label, from);
        else if (!*from) text = arena_printf(req->arena, "%s ingevuld: „%s”", label, to);
        else if (!*to) text = arena_printf(req->arena, "%s leeggemaakt (was „%s”)", label, from);
        else text = arena_printf(req->arena, "%s gewijzigd van „%s” naar „%s”", label, from, to);
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "when", when, "who",
            strcmp(by, LISTING_UPDATED_BY) == 0 ? "Kantel (automatisch)" : by, "what", what, "field", label, "from",
            from, "to", to, "text", text));
    }
    json_decref(h);
    return out;
}

/* The page of one listing: admin = kaartbeheer's view; can_edit = the actor
 * maintains it. */
static json_t *service_page_model(http_req_t *req, json_t *s, int admin, int can_edit, int keep, json_t *errors,
                                  json_t *error_list)
{
    const char *id = jstr(s, "id");
    const char *base = admin ? "/kaartbeheer/diensten" : "/organisatie/diensten";
    const char *href = arena_printf(req->arena, "%s/%s", base, id);
    json_t *m = json_pack("{s:s, s:s, s:s, s:b}", "title", arena_printf(req->arena, "%s – vermelding", jstr(s, "name")),
                          "back_href", admin ? "/kaartbeheer" : "/organisatie", "back_label",
                          admin ? "Terug naar kaartbeheer" : "Terug naar onze organisatie", "admin", admin);
    const char *st = jstr(s, "state");
    json_object_set_new(m, "service", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s, s:s}",
        "id", id, "name", jstr(s, "name"), "organization_name", jstr(s, "organization_name"), "owner_text",
        json_is_true(json_object_get(s, "owner_is_org")) ? jstr(s, "organization_name") : "De gemeente (kaartbeheer)",
        "state_text", state_text(req, s), "assured_text", assured_text(req, s), "is_flagged",
        strcmp(st, "flagged") == 0, "is_hidden", strcmp(st, "hidden") == 0, "status_text",
        status_label(jstr(s, "status")), "confirm_action", arena_printf(req->arena, "%s/bevestigen", href),
        "assurer_email", jstr(s, "assurer_email")));
    json_object_set_new(m, "can_edit", json_boolean(can_edit));
    json_object_set_new(m, "form", can_edit ? form_model(req, s, keep, errors, href) : json_null());
    if (!can_edit && errors) json_decref(errors);
    json_t *h = history_model(req, id);
    json_object_set_new(m, "has_history", json_boolean(json_array_size(h) > 0));
    json_object_set_new(m, "history", h);
    if (error_list) {
        json_object_set_new(m, "error", json_string("De wijzigingen zijn niet opgeslagen. Verbeter de gemarkeerde velden."));
        json_object_set(m, "error_list", error_list);
    }
    return m;
}

/* Loads a listing the actor may see: an organisation only its own; 404
 * otherwise. NULL when answered. */
static json_t *service_load(http_req_t *req, const struct listing_actor *a)
{
    const char *id = req->n_path_params ? req->path_params[0] : "";
    json_t *s = listing_service_get(db_thread(), req->user->gemeente, id);
    if (s && a->org_id[0] && strcmp(jstr(s, "organization_id"), a->org_id) != 0) {
        json_decref(s);
        s = NULL;
    }
    if (!s) http_error(req, 404, "Deze vermelding bestaat niet, of u beheert haar niet.");
    return s;
}

static void show_service(http_req_t *req, int admin)
{
    struct listing_actor a;
    if (actor(req, !admin, &a) != 0) return;
    json_t *s = service_load(req, &a);
    if (!s) return;
    int can_edit = !admin || !json_is_true(json_object_get(s, "owner_is_org"));
    http_page(req, "listing_service", service_page_model(req, s, admin, can_edit, 0, NULL, NULL));
    json_decref(s);
}

static void save_service(http_req_t *req, int admin)
{
    struct listing_actor a;
    if (actor(req, !admin, &a) != 0) return;
    json_t *s = service_load(req, &a);
    if (!s) return;
    const char *id = arena_strdup(req->arena, jstr(s, "id"));
    struct listing_service_in in = service_from_form(req);
    json_t *errors = json_object();
    int rc = json_object_size(req->errors) ? LST_E_INVALID : LST_OK;
    if (rc == LST_OK) rc = listing_service_update(db_thread(), req->user->gemeente, &a, id, &in, now_s(), errors);
    else {
        json_t *sched = json_object_get(s, "schedule");
        int has = json_is_object(sched);
        listing_service_check(&in, !has || json_is_true(json_object_get(sched, "weekly")), has, errors);
    }
    if (rc == LST_E_INVALID) {
        json_t *list = json_array();
        json_t *fe = http_form_errors(req, errors, service_fields, HTTP_NFIELDS(service_fields), HTTP_DOMAIN_FIRST, list);
        req->status = 400;
        http_page(req, "listing_service", service_page_model(req, s, admin, 1, 1, fe, list));
        json_decref(list);
    } else if (rc == LST_E_NOT_FOUND) {
        http_error(req, 404, "Deze vermelding bestaat niet, of u beheert haar niet.");
    } else if (rc == LST_E_STATE) {
        http_error(req, 409, "Deze vermelding wordt beheerd door de organisatie zelf.");
    } else if (rc != LST_OK) {
        http_error(req, 500, "De wijzigingen konden niet worden opgeslagen. Probeer het opnieuw.");
    } else {
        audit_service(req, "listing.update", id, NULL);
        http_redirect(req, arena_printf(req->arena, "%s?opgeslagen=%s", admin ? "/kaartbeheer" : "/organisatie", id));
    }
    json_decref(errors);
    json_decref(s);
}

static void confirm_service(http_req_t *req, int admin)
{
    struct listing_actor a;
    if (actor(req, !admin, &a) != 0) return;
    const char *id = req->n_path_params ? req->path_params[0] : "";
    int rc = listing_confirm(db_thread(), req->user->gemeente, &a, id, now_s());
    if (rc == LST_E_NOT_FOUND) {
        http_error(req, 404, "Deze vermelding bestaat niet, of u beheert haar niet.");
    } else if (rc == LST_E_STATE) {
        http_error(req, 409, "Deze vermelding wordt beheerd door de organisatie zelf. Zij bevestigt haar.");
    } else if (rc != LST_OK) {
        http_error(req, 500, "De bevestiging kon niet worden opgeslagen. Probeer het opnieuw.");
    } else {
        audit_service(req, "listing.confirm", id, NULL);
        http_redirect(req, arena_printf(req->arena, "%s?bevestigd=%s", admin ? "/kaartbeheer" : "/organisatie", id));
    }
}

/* ---- the organisation ----------------------------------------------------------- */

/* The claim part of the page (no approved claim): the running or refused
 * claim, the organisation search and the claim form. */
static void claim_model(http_req_t *req, json_t *m, json_t *claim, json_t *errors)
{
    const char *status = jstr(claim, "status");
    int waiting = strcmp(status, "aangevraagd") == 0, refused = strcmp(status, "afgewezen") == 0;
    if (claim) {
        json_t *decided = json_object_get(claim, "decided_at");
        json_object_set_new(m, "claim", json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:s}", "organization",
            jstr(claim, "organization_name"), "motivation", jstr(claim, "motivation"), "reason", jstr(claim, "reason"),
            "created", when_nl(req, json_integer_value(json_object_get(claim, "created_at"))), "is_waiting", waiting,
            "is_refused", refused, "decided",
            json_is_integer(decided) ? when_nl(req, json_integer_value(decided)) : ""));
    } else {
        json_object_set_new(m, "claim", json_null());
    }
    json_object_set_new(m, "can_claim", json_boolean(!waiting));
    const char *q = param(req, "zoek");
    const char *chosen = param(req, "organisatie");
    json_t *found = *q ? listing_org_search(db_thread(), req->user->gemeente, q, 20) : json_array();
    if (!found) found = json_array();
    size_t i;
    json_t *o;
    json_array_foreach(found, i, o) {
        const char *id = jstr(o, "id");
        json_object_set_new(o, "field_id", json_string(arena_printf(req->arena, "org-%s", id)));
        json_object_set_new(o, "checked", json_boolean(strcmp(id, chosen) == 0));
        int64_t n = json_integer_value(json_object_get(o, "services"));
        json_object_set_new(o, "services_text", json_string(n == 1 ? "1 aanbod" : arena_printf(req->arena,
                                                            "%lld keer aanbod", (long long)n)));
    }
    json_object_set_new(m, "zoek", json_string(q));
    json_object_set_new(m, "searched", json_boolean(*q != '\0'));
    json_object_set_new(m, "has_results", json_boolean(json_array_size(found) > 0));
    json_object_set_new(m, "first_result_id", json_string(json_array_size(found)
        ? jstr(json_array_get(found, 0), "field_id") : "claim-zoek"));
    json_object_set_new(m, "results", found);
    json_object_set_new(m, "motivatie", json_string(errors ? raw_param(req, "motivatie") : ""));
    json_object_set_new(m, "errors", errors ? errors : json_object());
}

static json_t *org_model(http_req_t *req, json_t *errors, json_t *error_list)
{
    db_t *db = db_thread();
    char org_id[ORG_ID_MAX], org_name[256];
    int approved = orgmember_org(db, req->user->id, org_id, org_name, sizeof org_name);
    json_t *m = json_pack("{s:s, s:b}", "title", approved == 1 ? org_name : "Onze organisatie", "approved",
                          approved == 1);
    req->audit_object_id = arena_printf(req->arena, "%lld", (long long)req->user->id);
    if (approved != 1) {
        json_t *claim = listing_claim_get(db, req->user->gemeente, req->user->id);
        claim_model(req, m, claim, errors);
        json_decref(claim);
        if (error_list) {
            json_object_set_new(m, "error", json_string("Uw aanvraag is niet verstuurd. Verbeter de gemarkeerde velden."));
            json_object_set(m, "error_list", error_list);
        }
        return m;
    }
    json_t *list = listing_services_of_org(db, req->user->gemeente, org_id);
    if (!list) list = json_array();
    int attention = 0, hidden = 0;
    const char *done_id = param(req, "bevestigd"), *saved_id = param(req, "opgeslagen");
    const char *done = NULL;
    size_t i;
    json_t *s;
    json_array_foreach(list, i, s) {
        const char *id = jstr(s, "id"), *st = jstr(s, "state");
        if (strcmp(st, "current") != 0) attention++;
        if (strcmp(st, "hidden") == 0) hidden++;
        if (*done_id && strcmp(done_id, id) == 0)
            done = arena_printf(req->arena, "„%s” is bevestigd als actueel. Dank u wel.", jstr(s, "name"));
        if (*saved_id && strcmp(saved_id, id) == 0)
            done = arena_printf(req->arena, "De wijzigingen in „%s” zijn opgeslagen en de vermelding is bevestigd als "
                                            "actueel.", jstr(s, "name"));
        json_object_set_new(s, "href", json_string(arena_printf(req->arena, "/organisatie/diensten/%s", id)));
        json_object_set_new(s, "confirm_action",
                            json_string(arena_printf(req->arena, "/organisatie/diensten/%s/bevestigen", id)));
        json_object_set_new(s, "status_text", json_string(status_label(jstr(s, "status"))));
        json_object_set_new(s, "assured_text", json_string(assured_text(req, s)));
        json_object_set_new(s, "state_text", json_string(state_text(req, s)));
        json_object_set_new(s, "needs_attention", json_boolean(strcmp(st, "current") != 0));
    }
    json_object_set_new(m, "organization", json_pack("{s:s, s:s}", "id", org_id, "name", org_name));
    json_object_set_new(m, "services", list);
    json_object_set_new(m, "has_services", json_boolean(json_array_size(list) > 0));
    json_object_set_new(m, "attention", json_integer(attention));
    json_object_set_new(m, "hidden", json_integer(hidden));
    if (attention)
        json_object_set_new(m, "banner", json_string(attention == 1
            ? "Eén vermelding wacht op uw bevestiging. Kijk of de gegevens nog kloppen: kies „Nog actueel” of pas ze aan."
            : arena_printf(req->arena, "%d vermeldingen wachten op uw bevestiging. Kijk of de gegevens nog kloppen: "
                                       "kies „Nog actueel” of pas ze aan.", attention)));
    if (hidden)
        json_object_set_new(m, "hidden_text", json_string(hidden == 1
            ? "Eén daarvan is verborgen: inwoners en regisseurs vinden haar niet tot u haar bevestigt."
            : arena_printf(req->arena, "%d daarvan zijn verborgen: inwoners en regisseurs vinden ze niet tot u ze "
                                       "bevestigt.", hidden)));
    json_object_set_new(m, "flag_months", json_integer(config_int("socialmap_flag_months")));
    json_object_set_new(m, "hide_months", json_integer(config_int("socialmap_hide_months")));
    if (done) json_object_set_new(m, "done", json_string(done));
    return m;
}

void page_listing_org(http_req_t *req)
{
    http_page(req, "listing_org", org_model(req, NULL, NULL));
}

void page_listing_claim(http_req_t *req)
{
    db_t *db = db_thread();
    json_t *claim = listing_claim_get(db, req->user->gemeente, req->user->id);
    const char *status = jstr(claim, "status");
    int busy = strcmp(status, "aangevraagd") == 0 || strcmp(status, "goedgekeurd") == 0;
    json_decref(claim);
    if (busy) {
        http_error(req, 409, "U heeft al een aanvraag lopen, of u spreekt al namens een organisatie.");
        return;
    }
    json_t *errors = json_object();
    int rc = LST_E_INVALID;
    if (!json_object_get(req->errors, "organisatie"))
        rc = listing_claim(db, req->user->gemeente, req->user->id, param(req, "organisatie"),
                           raw_param(req, "motivatie"), now_s(), errors);
    else
        listing_claim(db, req->user->gemeente, req->user->id, "", raw_param(req, "motivatie"), now_s(), errors);
    if (rc == LST_E_INVALID) {
        /* the domain's messages are clearer than the gate's "fill in this field" */
        static const char *const keys[][2] = {{"organization", "organisatie"}, {"motivation", "motivatie"}};
        json_t *fe = json_object(), *list = json_array();
        for (size_t i = 0; i < 2; i++) {
            json_t *msg = json_object_get(errors, keys[i][0]);
            if (!msg) msg = json_object_get(req->errors, keys[i][1]);
            if (!msg) continue;
            json_object_set(fe, keys[i][1], msg);
        }
        json_decref(errors);
        json_t *m = org_model(req, fe, NULL);
        /* the summary links to the first organisation found (or the search field), and the motivation */
        if (json_object_get(fe, "organisatie"))
            json_array_append_new(list, json_pack("{s:s, s:s, s:O}", "href",
                arena_printf(req->arena, "#%s", jstr(m, "first_result_id")), "label", "Organisatie", "message",
                json_object_get(fe, "organisatie")));
        if (json_object_get(fe, "motivatie"))
            json_array_append_new(list, json_pack("{s:s, s:s, s:O}", "href", "#claim-motivatie", "label", "Toelichting",
                                                  "message", json_object_get(fe, "motivatie")));
        json_object_set_new(m, "error", json_string("Uw aanvraag is niet verstuurd. Verbeter de gemarkeerde velden."));
        json_object_set_new(m, "error_list", list);
        req->status = 400;
        http_page(req, "listing_org", m);
        return;
    }
    json_decref(errors);
    if (rc == LST_E_STATE) {
        http_error(req, 409, "U heeft al een aanvraag lopen, of u spreekt al namens een organisatie.");
        return;
    }
    if (rc != LST_OK) {
        http_error(req, rc == LST_E_NOT_FOUND ? 403 : 500, "De aanvraag kon niet worden opgeslagen.");
        return;
    }
    http_audit(req, "listing.claim", "org_member", req->user->id, "ok", param(req, "organisatie"));
    req->audit_object_id = arena_printf(req->arena, "%lld", (long long)req->user->id);
    http_redirect(req, "/organisatie");
}

void page_listing_service(http_req_t *req) { show_service(req, 0); }
void page_listing_save(http_req_t *req) { save_service(req, 0); }
void page_listing_confirm(http_req_t *req) { confirm_service(req, 0); }

/* ---- kaartbeheer ------------------------------------------------------------------ */

static const struct {
    const char *code, *label;
    enum listing_which which;
} states[] = {
    {"aandacht", "Aandacht nodig", LISTING_ASK},
    {"gevraagd", "Bevestigen gevraagd", LISTING_ONLY_FLAGGED},
    {"verborgen", "Verborgen", LISTING_ONLY_HIDDEN},
    {"alle", "Alle vermeldingen", LISTING_ALL},
};

static const char *admin_href(http_req_t *req, const char *q, const char *staat, int64_t page)
{
    buf_t b;
    buf_init(&b);
    buf_puts(&b, "/kaartbeheer?");
    if (*q) {
        buf_puts(&b, "zoek=");
        buf_put_urlenc(&b, q);
        buf_putc(&b, '&');
    }
    buf_printf(&b, "staat=%s&pagina=%lld#vermeldingen", staat, (long long)page);
    const char *s = arena_strdup(req->arena, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* error_for: the claim whose refusal lacked a reason (0 = none). */
static json_t *admin_model(http_req_t *req, int64_t error_for, json_t *refuse_errors)
{
    db_t *db = db_thread();
    const char *g = req->user->gemeente;
    json_t *m = json_pack("{s:s}", "title", "Kaartbeheer");
    /* claims */
    json_t *claims = listing_claims_waiting(db, g);
    if (!claims) claims = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(claims, i, c) {
        int64_t id = json_integer_value(json_object_get(c, "account_id"));
        int64_t members = json_integer_value(json_object_get(c, "members"));
        enum role r = role_from_code(jstr(c, "role"));
        json_object_set_new(c, "role_label", json_string(role_info(r) ? role_info(r)->label : jstr(c, "role")));
        json_object_set_new(c, "created", json_string(when_nl(req, json_integer_value(json_object_get(c, "created_at")))));
        json_object_set_new(c, "members_text", json_string(members == 0 ? "Nog niemand spreekt namens deze organisatie."
            : members == 1 ? "Eén ander account spreekt al namens deze organisatie."
                           : arena_printf(req->arena, "%lld andere accounts spreken al namens deze organisatie.",
                                          (long long)members)));
        json_object_set_new(c, "approve_action",
                            json_string(arena_printf(req->arena, "/kaartbeheer/aanvragen/%lld/goedkeuren", (long long)id)));
        json_object_set_new(c, "refuse_action",
                            json_string(arena_printf(req->arena, "/kaartbeheer/aanvragen/%lld/afwijzen", (long long)id)));
        json_t *msg = id == error_for && refuse_errors ? json_object_get(refuse_errors, "reason") : NULL;
        json_object_set(c, "error", msg ? msg : json_null());
        json_object_set_new(c, "reden", json_string(id == error_for ? raw_param(req, "reden") : ""));
    }
    json_object_set_new(m, "has_claims", json_boolean(json_array_size(claims) > 0));
    json_object_set_new(m, "claims", claims);
    if (error_for) {
        json_object_set_new(m, "error", json_string("De aanvraag is niet afgewezen. Verbeter het gemarkeerde veld."));
        json_object_set_new(m, "error_list", json_pack("[{s:s, s:s, s:O}]", "href",
            arena_printf(req->arena, "#reden-%lld", (long long)error_for), "label", "Reden van de afwijzing", "message",
            json_object_get(refuse_errors, "reason")));
    }
    /* listings */
    int flagged = 0, hidden = 0;
    listing_counts(db, g, &flagged, &hidden);
    const char *staat = param(req, "staat");
    size_t si = 0;
    for (size_t k = 0; k < sizeof states / sizeof states[0]; k++)
        if (strcmp(staat, states[k].code) == 0) si = k;
    json_t *opts = json_array();
    for (size_t k = 0; k < sizeof states / sizeof states[0]; k++)
        json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", states[k].code, "label", states[k].label,
                                              "selected", k == si));
    const char *q = param(req, "zoek");
    int64_t page = 1, x;
    if (*param(req, "pagina") && parse_i64(param(req, "pagina"), 1, 1000000, &x) == 0) page = x;
    int total = 0;
    json_t *list = listing_overview(db, g, states[si].which, q, (int)((page - 1) * PER_PAGE), PER_PAGE, &total);
    if (!list) list = json_array();
    const char *done_id = param(req, "bevestigd"), *saved_id = param(req, "opgeslagen");
    json_array_foreach(list, i, c) {
        const char *id = jstr(c, "id");
        int own = !json_is_true(json_object_get(c, "owner_is_org"));
        json_object_set_new(c, "href", json_string(arena_printf(req->arena, "/kaartbeheer/diensten/%s", id)));
        json_object_set_new(c, "owner_text", json_string(own ? "Gemeente" : "Organisatie"));
        json_object_set_new(c, "can_confirm", json_boolean(own));
        json_object_set_new(c, "confirm_action",
                            json_string(arena_printf(req->arena, "/kaartbeheer/diensten/%s/bevestigen", id)));
        json_object_set_new(c, "assured_text", json_string(assured_text(req, c)));
        json_object_set_new(c, "state_text", json_string(state_text(req, c)));
    }
    const char *done = NULL;
    if (*done_id || *saved_id) {
        json_t *s = listing_service_get(db, g, *done_id ? done_id : saved_id);
        if (s) done = arena_printf(req->arena, *done_id ? "„%s” is bevestigd als actueel."
                                                        : "De wijzigingen in „%s” zijn opgeslagen en de vermelding is "
                                                          "bevestigd als actueel.", jstr(s, "name"));
        json_decref(s);
    }
    const char *besluit = param(req, "besluit");
    if (strcmp(besluit, "goedgekeurd") == 0) done = "De aanvraag is goedgekeurd. Het account beheert nu de vermeldingen van de organisatie.";
    if (strcmp(besluit, "afgewezen") == 0) done = "De aanvraag is afgewezen. De aanvrager ziet de reden.";
    if (done) json_object_set_new(m, "done", json_string(done));
    int64_t pages = total ? (total + PER_PAGE - 1) / PER_PAGE : 1;
    json_object_set_new(m, "zoek", json_string(q));
    json_object_set_new(m, "states", opts);
    json_object_set_new(m, "flagged", json_integer(flagged));
    json_object_set_new(m, "hidden", json_integer(hidden));
    json_object_set_new(m, "total", json_integer(total));
    json_object_set_new(m, "has_listings", json_boolean(json_array_size(list) > 0));
    json_object_set_new(m, "listings", list);
    json_object_set_new(m, "flag_months", json_integer(config_int("socialmap_flag_months")));
    json_object_set_new(m, "hide_months", json_integer(config_int("socialmap_hide_months")));
    if (pages > 1) {
        json_object_set_new(m, "page_text",
                            json_string(arena_printf(req->arena, "Pagina %lld van %lld", (long long)page, (long long)pages)));
        if (page > 1) json_object_set_new(m, "prev_href", json_string(admin_href(req, q, states[si].code, page - 1)));
        if (page < pages) json_object_set_new(m, "next_href", json_string(admin_href(req, q, states[si].code, page + 1)));
    }
    return m;
}

void page_listing_admin(http_req_t *req)
{
    http_page(req, "listing_admin", admin_model(req, 0, NULL));
}

static void decide(http_req_t *req, int approve)
{
    int64_t id = 0;
    if (req->n_path_params) parse_i64(req->path_params[0], 1, INT64_MAX / 2, &id);
    req->audit_object_id = arena_printf(req->arena, "%lld", (long long)id);
    json_t *errors = json_object();
    int rc = id ? listing_claim_decide(db_thread(), req->user->gemeente, id, req->user->id, approve,
                                       raw_param(req, "reden"), now_s(), errors)
                : LST_E_NOT_FOUND;
    if (rc == LST_E_INVALID) {
        req->status = 400;
        http_page(req, "listing_admin", admin_model(req, id, errors));
    } else if (rc == LST_E_NOT_FOUND) {
        http_error(req, 404, "Deze aanvraag bestaat niet.");
    } else if (rc == LST_E_STATE) {
        http_error(req, 409, "Over deze aanvraag is al besloten. Laad de pagina opnieuw.");
    } else if (rc != LST_OK) {
        http_error(req, 500, "Het besluit kon niet worden opgeslagen. Probeer het opnieuw.");
    } else {
        http_audit(req, approve ? "listing.claim.approve" : "listing.claim.refuse", "org_member", id, "ok", NULL);
        http_redirect(req, approve ? "/kaartbeheer?besluit=goedgekeurd" : "/kaartbeheer?besluit=afgewezen");
    }
    json_decref(errors);
}

void page_listing_approve(http_req_t *req) { decide(req, 1); }
void page_listing_refuse(http_req_t *req) { decide(req, 0); }
void page_listing_admin_service(http_req_t *req) { show_service(req, 1); }
void page_listing_admin_save(http_req_t *req) { save_service(req, 1); }
void page_listing_admin_confirm(http_req_t *req) { confirm_service(req, 1); }
