/*
 * volunteers.c - volunteers and informal help (issue 4):
 *  - the community organisation's registry: list and search, register,
 *    edit, (de)activate, and the answers of volunteers to proposals;
 *  - the generalist's volunteer request on a level-4 plan action, its
 *    explained candidates (domain/volunteer_match.h), proposing one and
 *    recording the resident's answer on their behalf;
 *  - the resident's answer in the portal.
 * The rules live in domain/volunteer.c. Household pages start with hh_load()
 * (need-to-know); the organisation's pages show no plan, no resident's name
 * and no BSN.
 */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/household.h"
#include "domain/ident.h"
#include "domain/ladder.h"
#include "domain/network.h"
#include "domain/plan.h"
#include "domain/volunteer.h"
#include "domain/volunteer_match.h"
#include "pages/hh.h"
#include "pages/pages.h"
#include "pages/volunteers.h"

/* ---- helpers ----------------------------------------------------------- */

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

static json_t *when_text(int64_t t)
{
    char s[24];
    fmt_local_time(t, s, sizeof s);
    return json_string(s);
}

/* The comma list of the vocabulary items whose flag field prefix+code is set. */
static const char *ticked(http_req_t *req, const char *prefix, const struct vm_term *(*at)(int), int count)
{
    const char *out = "";
    for (int i = 0; i < count; i++) {
        const struct vm_term *t = at(i);
        if (flag(req, arena_printf(req->arena, "%s%s", prefix, t->code)))
            out = arena_printf(req->arena, "%s%s%s", out, *out ? "," : "", t->code);
    }
    return out;
}

static const char *ticked_slots(http_req_t *req)
{
    const char *out = "";
    for (int d = 0; d < vm_day_count(); d++)
        for (int p = 0; p < vm_part_count(); p++) {
            const char *day = vm_day_at(d)->code, *part = vm_part_at(p)->code;
            if (flag(req, arena_printf(req->arena, "tijd_%s_%s", day, part)))
                out = arena_printf(req->arena, "%s%s%s-%s", out, *out ? "," : "", day, part);
        }
    return out;
}

/* [{code, label, field, id, checked}] of a vocabulary with the checked ones
 * from the comma list have. */
static json_t *choices(http_req_t *req, const char *prefix, const char *idp, const struct vm_term *(*at)(int),
                       int count, const char *have)
{
    json_t *list = json_array();
    for (int i = 0; i < count; i++) {
        const struct vm_term *t = at(i);
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:b}", "code", t->code, "label", t->label,
            "field", arena_printf(req->arena, "%s%s", prefix, t->code),
            "id", arena_printf(req->arena, "%s-%s", idp, t->code), "checked", vm_list_has(have, t->code)));
    }
    return list;
}

/* The week as [{label, id, parts: [{field, id, label, checked}]}]. */
static json_t *slot_choices(http_req_t *req, const char *idp, const char *have)
{
    json_t *days = json_array();
    for (int d = 0; d < vm_day_count(); d++) {
        const struct vm_term *day = vm_day_at(d);
        json_t *parts = json_array();
        for (int p = 0; p < vm_part_count(); p++) {
            const struct vm_term *part = vm_part_at(p);
            const char *code = arena_printf(req->arena, "%s-%s", day->code, part->code);
            json_array_append_new(parts, json_pack("{s:s, s:s, s:s, s:s, s:b}",
                "field", arena_printf(req->arena, "tijd_%s_%s", day->code, part->code),
                "id", arena_printf(req->arena, "%s-%s-%s", idp, day->code, part->code), "day", day->label,
                "label", part->label, "checked", vm_list_has(have, code)));
        }
        json_array_append_new(days, json_pack("{s:s, s:s, s:o}", "label", day->label, "code", day->code, "parts", parts));
    }
    return days;
}

/* ---- the registry (community organisation) ---------------------------- */

static const struct http_field volunteer_fields[] = {
    {"name", "naam", "vw-naam", "Naam"},
    {"phone", "telefoon", "vw-telefoon", "Telefoonnummer"},
    {"", "email", "vw-email", "E-mailadres"},
    {"postcode", "postcode", "vw-postcode", "Postcode"},
    {"languages", "talen", "vw-taal-nl", "Talen"},
    {"skills", "vaardigheden", "vw-vaardigheid-boodschappen", "Wat wil de vrijwilliger doen?"},
    {"slots", "tijden", "vw-tijd-ma-o", "Wanneer kan de vrijwilliger?"},
    {"areas", "wijken", "vw-wijken", "Wijken"},
    {"max_km", "max_km", "vw-max-km", "Hoe ver wil de vrijwilliger reizen?"},
    {"age_groups", "leeftijden", "vw-leeftijd-kind", "Met wie wil de vrijwilliger werken?"},
    {"vog_status", "vog", "vw-vog-geen", "Verklaring Omtrent het Gedrag (VOG)"},
    {"vog_date", "vog_datum", "vw-vog-datum", "Datum van de VOG"},
    {"consent", "toestemming", "vw-toestemming", "Toestemming"},
    {"note", "toelichting", "vw-toelichting", "Toelichting"},
};

static struct volunteer_in volunteer_from_form(http_req_t *req)
{
    struct volunteer_in in = {
        .name = http_param(req, "naam"), .phone = http_param(req, "telefoon"), .email = http_param(req, "email"),
        .postcode = http_param(req, "postcode"),
        .languages = ticked(req, "taal_", vm_language_at, vm_language_count()),
        .skills = ticked(req, "vaardigheid_", vm_skill_at, vm_skill_count()), .slots = ticked_slots(req),
        .areas = http_param(req, "wijken"), .max_km = http_param(req, "max_km"),
        .age_groups = ticked(req, "leeftijd_", vm_age_group_at, vm_age_group_count()),
        .vog_status = http_param(req, "vog"), .vog_date = http_param(req, "vog_datum"),
        .consent = flag(req, "toestemming"), .note = http_param(req, "toelichting")};
    if (json_object_get(req->errors, "email")) in.email = NULL;
    if (json_object_get(req->errors, "vog_datum")) in.vog_date = NULL;
    return in;
}

static const char *vstr(json_t *v, const char *key)
{
    const char *s = v ? json_string_value(json_object_get(v, key)) : NULL;
    return s ? s : "";
}

/* The form: v = the stored volunteer (edit) or NULL (new); keep = show what
 * was sent instead; errors stolen. */
static json_t *volunteer_form_model(http_req_t *req, json_t *v, int keep, json_t *errors)
{
    struct volunteer_in in = keep ? volunteer_from_form(req) : (struct volunteer_in){0};
    const char *langs = keep ? in.languages : vstr(v, "languages");
    const char *skills = keep ? in.skills : vstr(v, "skills");
    const char *slots = keep ? in.slots : vstr(v, "slots");
    const char *ages = keep ? in.age_groups : vstr(v, "age_groups");
    const char *vog = keep ? param_or_empty(req, "vog") : v ? vstr(v, "vog_status") : "geen";
    char km[16] = "";
    if (v && json_integer_value(json_object_get(v, "max_km")) > 0)
        snprintf(km, sizeof km, "%lld", (long long)json_integer_value(json_object_get(v, "max_km")));
    json_t *vog_opts = json_array();
    static const struct vm_term vog_terms[] = {{"geen", "Nee, geen VOG"}, {"aangevraagd", "Aangevraagd"},
                                               {"afgegeven", "Ja, de VOG is afgegeven"}};
    for (size_t i = 0; i < 3; i++)
        json_array_append_new(vog_opts, json_pack("{s:s, s:s, s:b}", "code", vog_terms[i].code, "label",
                                                  vog_terms[i].label, "checked", strcmp(vog, vog_terms[i].code) == 0));
    int64_t id = v ? json_integer_value(json_object_get(v, "id")) : 0;
    json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s}",
        "naam", keep ? param_or_empty(req, "naam") : vstr(v, "name"),
        "telefoon", keep ? param_or_empty(req, "telefoon") : vstr(v, "phone"),
        "email", keep ? param_or_empty(req, "email") : vstr(v, "email"),
        "postcode", keep ? param_or_empty(req, "postcode") : vstr(v, "postcode_text"),
        "wijken", keep ? param_or_empty(req, "wijken") : vstr(v, "areas"),
        "max_km", keep ? param_or_empty(req, "max_km") : km,
        "vog_datum", keep ? param_or_empty(req, "vog_datum") : vstr(v, "vog_date"),
        "toelichting", keep ? param_or_empty(req, "toelichting") : vstr(v, "note"),
        "toestemming", keep ? flag(req, "toestemming") : v != NULL,
        "action", id ? arena_printf(req->arena, "/vrijwilligers/%lld", (long long)id) : "/vrijwilligers");
    json_object_set_new(m, "is_new", json_boolean(!id));
    json_object_set_new(m, "languages", choices(req, "taal_", "vw-taal", vm_language_at, vm_language_count(), langs));
    json_object_set_new(m, "skills", choices(req, "vaardigheid_", "vw-vaardigheid", vm_skill_at, vm_skill_count(), skills));
    json_object_set_new(m, "ages", choices(req, "leeftijd_", "vw-leeftijd", vm_age_group_at, vm_age_group_count(), ages));
    json_object_set_new(m, "days", slot_choices(req, "vw-tijd", slots));
    json_object_set_new(m, "vog_options", vog_opts);
    json_object_set_new(m, "errors", errors ? errors : json_object());
    return m;
}

static json_t *volunteer_page_model(http_req_t *req, json_t *v, int keep, json_t *errors, json_t *error_list)
{
    int64_t id = v ? json_integer_value(json_object_get(v, "id")) : 0;
    json_t *m = json_pack("{s:s}", "title", id ? arena_printf(req->arena, "Vrijwilliger – %s", vstr(v, "name"))
                                                : "Vrijwilliger registreren");
    json_object_set_new(m, "form", volunteer_form_model(req, v, keep, errors));
    if (v) {
        json_object_set_new(m, "volunteer", json_pack("{s:I, s:s, s:b, s:s, s:o, s:s}", "id", (json_int_t)id, "name",
            vstr(v, "name"), "active", json_is_true(json_object_get(v, "active")), "consent_on",
            vstr(v, "consent_on"), "updated", when_text(json_integer_value(json_object_get(v, "updated_at"))),
            "active_href", arena_printf(req->arena, "/vrijwilligers/%lld/actief", (long long)id)));
    } else {
        json_object_set_new(m, "volunteer", json_null());
    }
    if (error_list) {
        json_object_set_new(m, "error", json_string(id ? "De wijziging is niet opgeslagen. Verbeter de gemarkeerde velden."
                                                       : "De vrijwilliger is niet geregistreerd. Verbeter de gemarkeerde velden."));
        json_object_set(m, "error_list", error_list);
    }
    return m;
}

static void audit_volunteer(http_req_t *req, int64_t id, const char *action, const char *detail)
{
    http_audit(req, action, "volunteer", id, "ok", detail);
    req->audit_object_id = arena_printf(req->arena, "%lld", (long long)id);
}

void page_volunteers(http_req_t *req)
{
    const char *q = json_object_get(req->errors, "zoek") ? "" : param_or_empty(req, "zoek");
    int inactive = flag(req, "inactief");
    json_t *list = volunteer_list(db_thread(), req->user->gemeente, q, inactive);
    if (!list) {
        http_error(req, 500, "De vrijwilligers konden niet worden geladen. Probeer het opnieuw.");
        return;
    }
    json_t *rows = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        const char *vog = vstr(v, "vog_status");
        const char *vog_text = strcmp(vog, "aangevraagd") == 0 ? "Aangevraagd" : "Nee";
        if (strcmp(vog, "afgegeven") == 0) {
            day_t issued;
            const char *d = json_string_value(json_object_get(v, "vog_date"));
            vog_text = d && day_parse(d, &issued) == 0 &&
                               day_today_amsterdam(now_s()) - issued > VM_VOG_MAX_DAYS
                           ? "Ouder dan 3 jaar: vraag een nieuwe aan"
                           : "Ja";
        }
        json_array_append_new(rows, json_pack("{s:O, s:O, s:s, s:O, s:o, s:o, s:o, s:s, s:O}",
            "id", json_object_get(v, "id"), "name", json_object_get(v, "name"),
            "href", arena_printf(req->arena, "/vrijwilligers/%lld", (long long)json_integer_value(json_object_get(v, "id"))),
            "postcode", json_object_get(v, "postcode_text"),
            "languages", volunteer_labels("languages", vstr(v, "languages")),
            "skills", volunteer_labels("skills", vstr(v, "skills")),
            "slots", volunteer_labels("slots", vstr(v, "slots")),
            "vog", vog_text,
            "active", json_object_get(v, "active")));
    }
    json_decref(list);
    json_t *open = volunteer_proposals_for_org(db_thread(), req->user->gemeente);
    int waiting = 0;
    json_array_foreach(open, i, v)
        if (json_is_null(json_object_get(v, "volunteer_answer")) && strcmp(vstr(v, "outcome"), "open") == 0) waiting++;
    json_decref(open);
    json_t *m = json_pack("{s:s, s:s, s:b, s:i, s:b, s:o, s:i}", "title", "Vrijwilligers", "zoek", q, "inactief",
                          inactive, "count", (int)json_array_size(rows), "has_volunteers", json_array_size(rows) > 0,
                          "volunteers", rows, "waiting", waiting);
    http_page(req, "volunteers", m);
}

void page_volunteer_new(http_req_t *req)
{
    http_page(req, "volunteer_form", volunteer_page_model(req, NULL, 0, NULL, NULL));
}

/* Checks the form; on problems re-shows it (400) and returns -1. */
static int volunteer_form_check(http_req_t *req, json_t *v, struct volunteer_in *in)
{
    *in = volunteer_from_form(req);
    json_t *errors = json_object();
    volunteer_check(in, day_today_amsterdam(now_s()), errors);
    if (json_object_size(errors) == 0 && json_object_size(req->errors) == 0) {
        json_decref(errors);
        return 0;
    }
    json_t *list = json_array();
    json_t *fe = http_form_errors(req, errors, volunteer_fields, HTTP_NFIELDS(volunteer_fields), HTTP_GATE_FIRST,
                                     list);
    json_decref(errors);
    req->status = 400;
    http_page(req, "volunteer_form", volunteer_page_model(req, v, 1, fe, list));
    json_decref(list);
    return -1;
}

void page_volunteer_add(http_req_t *req)
{
    struct volunteer_in in;
    if (volunteer_form_check(req, NULL, &in) != 0) return;
    int64_t id = volunteer_add(db_thread(), req->user->gemeente, &in, req->user->id, now_s());
    if (id <= 0) {
        http_error(req, 500, "De vrijwilliger kon niet worden opgeslagen. Probeer het opnieuw.");
        return;
    }
    audit_volunteer(req, id, "volunteer.add", NULL);
    http_redirect(req, arena_printf(req->arena, "/vrijwilligers/%lld", (long long)id));
}

static json_t *volunteer_load(http_req_t *req)
{
    int64_t id = hh_path_id(req, 0);
    json_t *v = id ? volunteer_get(db_thread(), req->user->gemeente, id) : NULL;
    if (!v) http_error(req, 404, "Deze vrijwilliger bestaat niet.");
    else req->audit_object_id = arena_printf(req->arena, "%lld", (long long)id);
    return v;
}

void page_volunteer_edit(http_req_t *req)
{
    json_t *v = volunteer_load(req);
    if (!v) return;
    http_page(req, "volunteer_form", volunteer_page_model(req, v, 0, NULL, NULL));
    json_decref(v);
}

void page_volunteer_update(http_req_t *req)
{
    json_t *v = volunteer_load(req);
    if (!v) return;
    struct volunteer_in in;
    int64_t id = json_integer_value(json_object_get(v, "id"));
    int bad = volunteer_form_check(req, v, &in);
    json_decref(v);
    if (bad) return;
    int rc = volunteer_update(db_thread(), req->user->gemeente, id, &in, now_s());
    if (rc != VOL_OK) {
        http_error(req, rc == VOL_E_NOT_FOUND ? 404 : 500, "De wijziging kon niet worden opgeslagen.");
        return;
    }
    audit_volunteer(req, id, "volunteer.update", NULL);
    http_redirect(req, arena_printf(req->arena, "/vrijwilligers/%lld", (long long)id));
}

void page_volunteer_active(http_req_t *req)
{
    int64_t id = hh_path_id(req, 0);
    int active = flag(req, "actief");
    int rc = id ? volunteer_set_active(db_thread(), req->user->gemeente, id, active, now_s()) : VOL_E_NOT_FOUND;
    if (rc == VOL_E_NOT_FOUND) {
        http_error(req, 404, "Deze vrijwilliger bestaat niet.");
        return;
    }
    if (rc != VOL_OK) {
        http_error(req, 500, "De wijziging kon niet worden opgeslagen. Probeer het opnieuw.");
        return;
    }
    audit_volunteer(req, id, "volunteer.active", active ? "active" : "inactive");
    http_redirect(req, arena_printf(req->arena, "/vrijwilligers/%lld", (long long)id));
}

/* ---- answers of volunteers (community organisation) -------------------- */

static const char *answer_text(json_t *a)
{
    const char *s = json_string_value(a);
    return !s ? "Nog geen antwoord" : strcmp(s, "ja") == 0 ? "Ja" : "Nee";
}

static const char *outcome_text(const char *o)
{
    return strcmp(o, "gekoppeld") == 0 ? "Gekoppeld: de vrijwilliger helpt"
         : strcmp(o, "afgewezen") == 0 ? "Afgewezen"
                                       : "Loopt";
}

static json_t *answers_model(http_req_t *req, int64_t error_for, const char *error_msg)
{
    json_t *list = volunteer_proposals_for_org(db_thread(), req->user->gemeente);
    json_t *waiting = json_array(), *done = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p) {
        int64_t id = json_integer_value(json_object_get(p, "id"));
        int open = strcmp(vstr(p, "outcome"), "open") == 0 && json_is_null(json_object_get(p, "volunteer_answer"));
        json_object_set_new(p, "volunteer_answer_text", json_string(answer_text(json_object_get(p, "volunteer_answer"))));
        json_object_set_new(p, "resident_answer_text", json_string(answer_text(json_object_get(p, "resident_answer"))));
        json_object_set_new(p, "outcome_text", json_string(outcome_text(vstr(p, "outcome"))));
        json_object_set_new(p, "when", when_text(json_integer_value(json_object_get(p, "proposed_at"))));
        json_object_set_new(p, "href", json_string(arena_printf(req->arena, "/vrijwilligers/antwoorden/%lld", (long long)id)));
        json_object_set_new(p, "error", id == error_for ? json_string(error_msg) : json_null());
        json_array_append(open ? waiting : done, p);
    }
    json_decref(list);
    json_t *m = json_pack("{s:s, s:b, s:o, s:b, s:o}", "title", "Antwoorden van vrijwilligers", "has_waiting",
                          json_array_size(waiting) > 0, "waiting", waiting, "has_done", json_array_size(done) > 0,
                          "done", done);
    if (error_for) {
        json_object_set_new(m, "error", json_string("Het antwoord is niet opgeslagen. Verbeter de gemarkeerde velden."));
        json_object_set_new(m, "error_list", json_pack("[{s:s, s:s, s:s}]", "href",
            arena_printf(req->arena, "#antwoord-%lld-ja", (long long)error_for), "label", "Antwoord", "message", error_msg));
    }
    return m;
}

void page_volunteer_answers(http_req_t *req)
{
    http_page(req, "volunteer_answers", answers_model(req, 0, NULL));
}

static int proposal_in_gemeente(const char *gemeente, int64_t id)
{
    db_stmt_t *st = db_prepare(db_thread(), "SELECT 1 FROM volunteer_proposal WHERE id = ? AND gemeente = ?");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, gemeente);
    int found = db_step(st) == DB_ROW;
    db_done(st);
    return found;
}

/* "ja" -> 1, "nee" -> 0, else -1. */
static int yes_no(http_req_t *req)
{
    const char *a = http_param(req, "antwoord");
    return a && strcmp(a, "ja") == 0 ? 1 : a && strcmp(a, "nee") == 0 ? 0 : -1;
}

static void answer_done(http_req_t *req, int rc, int linked, int version, const char *side, int64_t audit_hh,
                        int64_t proposal, const char *to)
{
    if (rc == VOL_E_NOT_FOUND) {
        http_error(req, 404, "Dit voorstel bestaat niet.");
    } else if (rc == VOL_E_STATE) {
        http_error(req, 409, "Dit voorstel is al beantwoord of loopt niet meer. Laad de pagina opnieuw.");
    } else if (rc != VOL_OK) {
        http_error(req, 500, "Het antwoord kon niet worden opgeslagen. Probeer het opnieuw.");
    } else {
        http_audit(req, "volunteer.answer", audit_hh ? "household" : "volunteer_proposal",
                   audit_hh ? audit_hh : proposal,
                   "ok", arena_printf(req->arena, "proposal %lld, %s%s", (long long)proposal, side,
                                      linked ? arena_printf(req->arena, ", linked in plan version %d", version) : ""));
        http_redirect(req, to);
    }
}

void page_volunteer_answer(http_req_t *req)
{
    int64_t id = hh_path_id(req, 0);
    if (!id || !proposal_in_gemeente(req->user->gemeente, id)) {
        http_error(req, 404, "Dit voorstel bestaat niet.");
        return;
    }
    req->audit_object_id = arena_printf(req->arena, "%lld", (long long)id);
    int yes = yes_no(req);
    if (yes < 0 || json_object_get(req->errors, "reden")) {
        req->status = 400;
        http_page(req, "volunteer_answers", answers_model(req, id, "Kies ja of nee: wat zegt de vrijwilliger?"));
        return;
    }
    int linked = 0, version = 0;
    int rc = volunteer_answer(db_thread(), req->user->gemeente, 0, id, "volunteer", yes, http_param(req, "reden"),
                              req->user->id, now_s(), &linked, &version);
    answer_done(req, rc, linked, version, yes ? "volunteer yes" : "volunteer no", 0, id,
                arena_printf(req->arena, "/vrijwilligers/antwoorden#voorstel-%lld", (long long)id));
}

/* ---- the volunteer request (generalist) --------------------------------- */

static const char *request_href(http_req_t *req, int64_t hh, int64_t id)
{
    return arena_printf(req->arena, "/huishoudens/%lld/vrijwilligersvragen/%lld", (long long)hh, (long long)id);
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

/* Current members with their age: [{id, name, age, label, selected}]. */
static json_t *members_with_age(int64_t household_id, int64_t selected, int max_age)
{
    day_t today = day_today_amsterdam(now_s());
    char t[11];
    day_format(today, t);
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT p.id, p.given_names, p.prefix, p.family_name, p.birth_date FROM household_member m"
        " JOIN person p ON p.id = m.person_id WHERE m.household_id = ? AND (m.until IS NULL OR m.until >= ?)"
        " ORDER BY p.birth_date, p.id");
    db_bind_int(st, 1, household_id);
    db_bind_text(st, 2, t);
    json_t *list = json_array();
    while (db_step(st) == DB_ROW) {
        day_t b;
        int age = -1;
        if (!db_col_is_null(st, 4) && day_parse(db_col_text(st, 4), &b) == 0 && b <= today) {
            int by, bm, bd, ty, tm, td;
            day_to_ymd(b, &by, &bm, &bd);
            day_to_ymd(today, &ty, &tm, &td);
            age = ty - by - (tm < bm || (tm == bm && td < bd));
        }
        if (max_age >= 0 && (age < 0 || age >= max_age)) continue;
        char name[1024], label[1100];
        person_display_name(db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3), name, sizeof name);
        if (age >= 0) snprintf(label, sizeof label, "%s (%d jaar)", name, age);
        else snprintf(label, sizeof label, "%s (leeftijd onbekend)", name);
        int64_t id = db_col_int(st, 0);
        json_array_append_new(list, json_pack("{s:I, s:s, s:i, s:s, s:b}", "id", (json_int_t)id, "name", name, "age",
                                              age, "label", label, "selected", id == selected));
    }
    db_done(st);
    return list;
}

static const struct http_field request_fields[] = {
    {"action", "", "vv-wat", "Actie"},
    {"what", "wat", "vv-wat", "Wat zou de vrijwilliger doen?"},
    {"when_text", "wanneer", "vv-wanneer", "Wanneer?"},
    {"slots", "tijden", "vv-tijd-ma-o", "Op welke dagdelen?"},
    {"postcode", "postcode", "vv-postcode", "Waar? (postcode)"},
    {"skills", "vaardigheden", "vv-vaardigheid-boodschappen", "Welke hulp is nodig?"},
    {"language", "taal", "vv-taal", "Taal"},
    {"person", "persoon", "vv-persoon", "Voor wie?"},
};

static json_t *request_form_model(http_req_t *req, const struct hh *h, json_t *action, int keep, json_t *errors,
                                  json_t *error_list)
{
    int64_t action_id = json_integer_value(json_object_get(action, "id"));
    const char *lang = keep ? param_or_empty(req, "taal") : "";
    json_t *langs = json_array();
    for (int i = 0; i < vm_language_count(); i++) {
        const struct vm_term *t = vm_language_at(i);
        json_array_append_new(langs, json_pack("{s:s, s:s, s:b}", "code", t->code, "label", t->label, "selected",
                                               strcmp(lang, t->code) == 0));
    }
    int64_t person = 0;
    if (keep) {
        int64_t x;
        const char *p = http_param(req, "persoon");
        if (p && parse_i64(p, 1, INT64_MAX / 2, &x) == 0) person = x;
    }
    json_t *form = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}",
        "wat", keep ? param_or_empty(req, "wat") : vstr(action, "text"),
        "wanneer", keep ? param_or_empty(req, "wanneer") : "",
        "postcode", keep ? param_or_empty(req, "postcode") : "",
        "skills", choices(req, "vaardigheid_", "vv-vaardigheid", vm_skill_at, vm_skill_count(),
                          keep ? ticked(req, "vaardigheid_", vm_skill_at, vm_skill_count()) : ""),
        "days", slot_choices(req, "vv-tijd", keep ? ticked_slots(req) : ""),
        "languages", langs, "members", members_with_age(h->id, person, -1),
        "errors", errors ? errors : json_object());
    json_object_set_new(form, "action", json_string(arena_printf(req->arena, "/huishoudens/%lld/plan/acties/%lld/vrijwilliger",
                                                                 (long long)h->id, (long long)action_id)));
    json_t *m = json_pack("{s:s, s:{s:I, s:s, s:s}, s:{s:I, s:s}, s:o}",
        "title", arena_printf(req->arena, "Vrijwilliger zoeken – %s", h->name),
        "household", "id", (json_int_t)h->id, "name", h->name, "plan_href",
        arena_printf(req->arena, "/huishoudens/%lld/plan", (long long)h->id),
        "plan_action", "id", (json_int_t)action_id, "text", vstr(action, "text"), "form", form);
    if (error_list) {
        json_object_set_new(m, "error", json_string("De vraag is niet opgeslagen. Verbeter de gemarkeerde velden."));
        json_object_set(m, "error_list", error_list);
    }
    return m;
}

/* The level-4 action of path parameter 1 (new reference), or NULL after
 * answering 404 (or a redirect to the request already running for it). */
static json_t *request_action(http_req_t *req, const struct hh *h)
{
    int64_t action_id = hh_path_id(req, 1);
    json_t *a = action_id ? plan_action(h->id, action_id) : NULL;
    if (!a || json_integer_value(json_object_get(a, "level")) != 4) {
        json_decref(a);
        http_error(req, 404, "Een vrijwilliger zoekt u bij een actie op trede 4 van het huidige plan. Deze actie bestaat niet of staat op een andere trede.");
        return NULL;
    }
    json_t *reqs = volunteer_requests_of(db_thread(), h->id);
    size_t i;
    json_t *r;
    json_array_foreach(reqs, i, r)
        if (json_integer_value(json_object_get(r, "action_id")) == action_id) {
            http_redirect(req, request_href(req, h->id, json_integer_value(json_object_get(r, "id"))));
            json_decref(reqs);
            json_decref(a);
            return NULL;
        }
    json_decref(reqs);
    return a;
}

void page_vrequest_new(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    json_t *a = request_action(req, &h);
    if (!a) return;
    http_page(req, "volunteer_request_new", request_form_model(req, &h, a, 0, NULL, NULL));
    json_decref(a);
}

void page_vrequest_add(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    json_t *a = request_action(req, &h);
    if (!a) return;
    int64_t person = 0, x;
    const char *p = http_param(req, "persoon");
    if (p && !json_object_get(req->errors, "persoon") && parse_i64(p, 1, INT64_MAX / 2, &x) == 0) person = x;
    struct volunteer_request_in in = {.action_id = json_integer_value(json_object_get(a, "id")),
                                      .what = http_param(req, "wat"), .when_text = http_param(req, "wanneer"),
                                      .slots = ticked_slots(req), .postcode = http_param(req, "postcode"),
                                      .skills = ticked(req, "vaardigheid_", vm_skill_at, vm_skill_count()),
                                      .language = json_object_get(req->errors, "taal") ? "" : http_param(req, "taal"),
                                      .person_id = person};
    day_t today = day_today_amsterdam(now_s());
    json_t *errors = json_object();
    volunteer_request_check(db_thread(), h.id, &in, today, errors);
    if (json_object_size(errors) || json_object_size(req->errors)) {
        json_t *list = json_array();
        json_t *fe = http_form_errors(req, errors, request_fields, HTTP_NFIELDS(request_fields), HTTP_GATE_FIRST,
                                     list);
        json_decref(errors);
        req->status = 400;
        http_page(req, "volunteer_request_new", request_form_model(req, &h, a, 1, fe, list));
        json_decref(list);
        json_decref(a);
        return;
    }
    json_decref(errors);
    json_decref(a);
    int64_t id = volunteer_request_add(db_thread(), req->user->gemeente, h.id, &in, today, req->user->id, now_s());
    if (id <= 0) {
        http_error(req, 500, "De vraag kon niet worden opgeslagen. Probeer het opnieuw.");
        return;
    }
    http_audit(req, "volunteer.request", "household", h.id, "ok", arena_printf(req->arena, "request %lld", (long long)id));
    http_redirect(req, request_href(req, h.id, id));
}

static const char *status_text(const char *s)
{
    return strcmp(s, "zoeken") == 0 ? "Zoeken: kies een vrijwilliger om voor te stellen"
         : strcmp(s, "voorgesteld") == 0 ? "Voorgesteld: wacht op de antwoorden van de vrijwilliger en de inwoner"
         : strcmp(s, "gekoppeld") == 0 ? "Gekoppeld: de vrijwilliger voert de actie uit"
                                       : "Ingetrokken";
}

static json_t *request_page_model(http_req_t *req, const struct hh *h, json_t *r, const char *error,
                                  json_t *error_list, const char *form)
{
    int64_t id = json_integer_value(json_object_get(r, "id"));
    const char *status = vstr(r, "status");
    const char *href = request_href(req, h->id, id);
    char pc[8] = "", raw[7];
    snprintf(raw, sizeof raw, "%s", vstr(r, "postcode"));
    if (*raw) postcode_format(raw, pc);
    const char *lang = vm_language_label(vstr(r, "language"));
    int age = (int)json_integer_value(json_object_get(r, "person_age"));
    json_t *m = json_pack("{s:s, s:{s:I, s:s, s:s}}", "title", arena_printf(req->arena, "Vrijwilliger voor %s", h->name),
        "household", "id", (json_int_t)h->id, "name", h->name, "plan_href",
        arena_printf(req->arena, "/huishoudens/%lld/plan", (long long)h->id));
    json_object_set_new(m, "request", json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:o, s:s, s:i, s:s, s:s, s:s, s:b}",
        "id", (json_int_t)id, "action_id", (json_int_t)json_integer_value(json_object_get(r, "action_id")),
        "what", vstr(r, "what"), "when_text", vstr(r, "when_text"), "slots", volunteer_labels("slots", vstr(r, "slots")),
        "postcode", pc, "skills", volunteer_labels("skills", vstr(r, "skills")), "language", lang ? lang : "",
        "age", age, "age_group", vm_age_group_label(vm_age_group_of(age)), "status", status,
        "status_text", status_text(status), "minor", age < VM_VOG_AGE));
    /* proposals */
    json_t *props = json_array(), *open = json_null();
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(r, "proposals"), i, p) {
        json_t *o = json_pack("{s:O, s:O, s:O, s:s, s:s, s:O, s:s, s:O, s:s, s:o}",
            "id", json_object_get(p, "id"), "volunteer", json_object_get(p, "volunteer"), "score",
            json_object_get(p, "score"), "volunteer_answer", answer_text(json_object_get(p, "volunteer_answer")),
            "resident_answer", answer_text(json_object_get(p, "resident_answer")), "volunteer_reason",
            json_object_get(p, "volunteer_reason"), "outcome", vstr(p, "outcome"), "resident_reason",
            json_object_get(p, "resident_reason"), "outcome_text", outcome_text(vstr(p, "outcome")),
            "when", when_text(json_integer_value(json_object_get(p, "proposed_at"))));
        if (strcmp(vstr(p, "outcome"), "open") == 0 && json_is_null(open)) {
            open = json_incref(o);
            json_object_set_new(o, "is_open", json_true());
            json_object_set_new(open, "resident_form", json_is_null(json_object_get(p, "resident_answer"))
                ? json_pack("{s:s, s:s}", "action", arena_printf(req->arena, "%s/inwoner", href),
                            "reden", form && strcmp(form, "resident") == 0 ? param_or_empty(req, "reden") : "")
                : json_null());
        } else {
            json_object_set_new(o, "is_open", json_false());
        }
        json_array_append_new(props, o);
    }
    json_object_set_new(m, "has_proposals", json_boolean(json_array_size(props) > 0));
    json_object_set_new(m, "proposals", props);
    json_object_set_new(m, "open_proposal", open);
    /* candidates, only while searching */
    int searching = strcmp(status, "zoeken") == 0;
    json_t *cands = searching ? volunteer_candidates(db_thread(), req->user->gemeente, r) : json_array();
    if (!cands) cands = json_array();
    int eligible = 0;
    json_array_foreach(cands, i, p) {
        json_t *d = json_object_get(p, "distance_m");
        if (json_is_integer(d)) {
            int64_t dm = json_integer_value(d), tenths = (dm + 50) / 100;
            json_object_set_new(p, "distance_text", json_string(arena_printf(req->arena, "%lld,%lld km",
                                (long long)(tenths / 10), (long long)(tenths % 10))));
        } else {
            json_object_set_new(p, "distance_text", json_string("onbekend"));
        }
        if (!json_is_true(json_object_get(p, "excluded"))) eligible++;
        json_t *before = json_object_get(p, "proposed_before");
        json_object_set_new(p, "declined_before", json_boolean(json_is_string(before) &&
                                                               strcmp(json_string_value(before), "afgewezen") == 0));
    }
    json_object_set_new(m, "searching", json_boolean(searching));
    json_object_set_new(m, "candidates", cands);
    json_object_set_new(m, "eligible", json_integer(eligible));
    json_object_set_new(m, "propose_action", json_string(arena_printf(req->arena, "%s/voorstel", href)));
    if (error) {
        json_object_set_new(m, "error", json_string(error));
        json_object_set(m, "error_list", error_list ? error_list : json_array());
    }
    return m;
}

static json_t *request_load(http_req_t *req, const struct hh *h)
{
    int64_t id = hh_path_id(req, 1);
    json_t *r = id ? volunteer_request_get(db_thread(), h->id, id) : NULL;
    if (!r) http_error(req, 404, "Deze vraag om een vrijwilliger bestaat niet bij dit huishouden.");
    return r;
}

void page_vrequest(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    json_t *r = request_load(req, &h);
    if (!r) return;
    http_page(req, "volunteer_request", request_page_model(req, &h, r, NULL, NULL, NULL));
    json_decref(r);
}

void page_vrequest_propose(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    json_t *r = request_load(req, &h);
    if (!r) return;
    int64_t rid = json_integer_value(json_object_get(r, "id")), vid = 0, x;
    const char *v = http_param(req, "vrijwilliger");
    if (v && !json_object_get(req->errors, "vrijwilliger") && parse_i64(v, 1, INT64_MAX / 2, &x) == 0) vid = x;
    json_t *errors = json_object();
    int64_t rc = vid ? volunteer_propose(db_thread(), req->user->gemeente, h.id, rid, vid, req->user->id, now_s(), errors)
                     : VOL_E_INVALID;
    if (rc == VOL_E_STATE) {
        json_decref(errors);
        json_decref(r);
        http_error(req, 409, "Er loopt al een voorstel voor deze vraag, of de vraag is al gekoppeld. Laad de pagina opnieuw.");
        return;
    }
    if (rc == VOL_E_INVALID || rc == VOL_E_EXCLUDED || (rc == VOL_E_NOT_FOUND && json_object_get(errors, "volunteer"))) {
        const char *msg = json_string_value(json_object_get(errors, "volunteer"));
        if (!msg) msg = "Kies een vrijwilliger uit de lijst.";
        json_t *list = json_pack("[{s:s, s:s, s:s}]", "href", "#kandidaten", "label", "Vrijwilliger", "message", msg);
        req->status = 400;
        http_page(req, "volunteer_request", request_page_model(req, &h, r, arena_printf(req->arena,
                  "De vrijwilliger is niet voorgesteld: %s", msg), list, "propose"));
        json_decref(list);
        json_decref(errors);
        json_decref(r);
        return;
    }
    json_decref(errors);
    json_decref(r);
    if (rc <= 0) {
        http_error(req, rc == VOL_E_NOT_FOUND ? 404 : 500, "Het voorstel kon niet worden opgeslagen.");
        return;
    }
    http_audit(req, "volunteer.propose", "household", h.id, "ok",
               arena_printf(req->arena, "request %lld, volunteer %lld", (long long)rid, (long long)vid));
    http_redirect(req, arena_printf(req->arena, "%s#voorstellen", request_href(req, h.id, rid)));
}

void page_vrequest_resident(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    json_t *r = request_load(req, &h);
    if (!r) return;
    int64_t rid = json_integer_value(json_object_get(r, "id"));
    int64_t prop = volunteer_open_proposal(db_thread(), h.id, rid);
    if (prop <= 0) {
        json_decref(r);
        http_error(req, prop < 0 ? 500 : 409, "Er is geen voorstel dat op een antwoord wacht. Laad de pagina opnieuw.");
        return;
    }
    int yes = yes_no(req);
    if (yes < 0 || json_object_get(req->errors, "reden")) {
        const char *msg = "Kies ja of nee: wat zegt de inwoner?";
        json_t *list = json_pack("[{s:s, s:s, s:s}]", "href", "#inwoner-ja", "label", "Antwoord van de inwoner",
                                 "message", msg);
        req->status = 400;
        http_page(req, "volunteer_request", request_page_model(req, &h, r,
                  "Het antwoord is niet opgeslagen. Verbeter de gemarkeerde velden.", list, "resident"));
        json_decref(list);
        json_decref(r);
        return;
    }
    json_decref(r);
    int linked = 0, version = 0;
    int rc = volunteer_answer(db_thread(), req->user->gemeente, h.id, prop, "resident", yes, http_param(req, "reden"),
                              req->user->id, now_s(), &linked, &version);
    answer_done(req, rc, linked, version, yes ? "resident yes (recorded by staff)" : "resident no (recorded by staff)",
                h.id, prop, arena_printf(req->arena, "%s#voorstellen", request_href(req, h.id, rid)));
}

/* ---- the resident's answer (portal) -------------------------------------- */

/* The household of the signed-in resident (0 when none). */
static int64_t my_household(http_req_t *req)
{
    char t[11];
    day_format(day_today_amsterdam(now_s()), t);
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT h.id FROM account a JOIN household_member hm ON hm.person_id = a.person_id"
        " JOIN household h ON h.id = hm.household_id WHERE a.id = ? AND h.gemeente = ?"
        " AND (hm.until IS NULL OR hm.until >= ?) ORDER BY h.status = 'open' DESC, h.id DESC LIMIT 1");
    db_bind_int(st, 1, req->user->id);
    db_bind_text(st, 2, req->user->gemeente);
    db_bind_text(st, 3, t);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    if (id) req->audit_object_id = arena_printf(req->arena, "%lld", (long long)id);
    return id;
}

static json_t *portal_model(http_req_t *req, int64_t hh, int64_t error_for)
{
    json_t *list = hh ? volunteer_proposals_for_resident(db_thread(), hh) : json_array();
    if (!list) list = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p) {
        int64_t id = json_integer_value(json_object_get(p, "id"));
        json_object_set_new(p, "action", json_string(arena_printf(req->arena, "/mijn/vrijwilliger/%lld", (long long)id)));
        json_object_set_new(p, "error", id == error_for ? json_string("Kies ja of nee.") : json_null());
        json_object_set_new(p, "reden", json_string(id == error_for ? param_or_empty(req, "reden") : ""));
    }
    json_t *m = json_pack("{s:s, s:b, s:b, s:o}", "title", "Een vrijwilliger voor u", "has_household", hh > 0,
                          "has_proposals", json_array_size(list) > 0, "proposals", list);
    if (error_for) {
        json_object_set_new(m, "error", json_string("Uw antwoord is niet opgeslagen. Verbeter het gemarkeerde veld."));
        json_object_set_new(m, "error_list", json_pack("[{s:s, s:s, s:s}]", "href",
            arena_printf(req->arena, "#antwoord-%lld-ja", (long long)error_for), "label", "Uw antwoord", "message",
            "Kies ja of nee."));
    }
    return m;
}

void page_portal_volunteers(http_req_t *req)
{
    http_page(req, "portal_volunteers", portal_model(req, my_household(req), 0));
}

void page_portal_volunteer_answer(http_req_t *req)
{
    int64_t hh = my_household(req), id = hh_path_id(req, 0);
    int64_t found = 0;
    if (hh && id) {
        json_t *list = volunteer_proposals_for_resident(db_thread(), hh);
        size_t i;
        json_t *p;
        json_array_foreach(list, i, p)
            if (json_integer_value(json_object_get(p, "id")) == id) found = 1;
        json_decref(list);
    }
    if (!found) {
        http_error(req, 404, "Dit voorstel bestaat niet of is al beantwoord.");
        return;
    }
    int yes = yes_no(req);
    if (yes < 0 || json_object_get(req->errors, "reden")) {
        req->status = 400;
        http_page(req, "portal_volunteers", portal_model(req, hh, id));
        return;
    }
    int linked = 0, version = 0;
    int rc = volunteer_answer(db_thread(), req->user->gemeente, hh, id, "resident", yes, http_param(req, "reden"),
                              req->user->id, now_s(), &linked, &version);
    answer_done(req, rc, linked, version, yes ? "resident yes" : "resident no", hh, id, "/mijn/vrijwilliger");
}

/* ---- the plan page's links ------------------------------------------------ */

void volunteers_plan_model(http_req_t *req, int64_t household_id, json_t *m)
{
    json_t *reqs = volunteer_requests_of(db_thread(), household_id);
    size_t i, j, k;
    json_t *lv, *a, *r;
    json_array_foreach(json_object_get(m, "levels"), i, lv) {
        if (json_integer_value(json_object_get(lv, "level")) != 4) continue;
        json_array_foreach(json_object_get(lv, "actions"), j, a) {
            int64_t id = json_integer_value(json_object_get(a, "id"));
            const char *st = json_string_value(json_object_get(a, "status"));
            json_t *link = NULL;
            json_array_foreach(reqs, k, r)
                if (!link && json_integer_value(json_object_get(r, "action_id")) == id) {
                    const char *s = json_string_value(json_object_get(r, "status"));
                    link = json_pack("{s:s, s:s, s:b}", "href",
                        request_href(req, household_id, json_integer_value(json_object_get(r, "id"))), "label",
                        strcmp(s, "gekoppeld") == 0 ? "Vrijwilliger gekoppeld" : strcmp(s, "voorgesteld") == 0
                            ? "Vrijwilliger voorgesteld" : "Vrijwilliger wordt gezocht", "search", 0);
                }
            if (!link && st && (strcmp(st, "open") == 0 || strcmp(st, "bezig") == 0))
                link = json_pack("{s:s, s:s, s:b}", "href",
                    arena_printf(req->arena, "/huishoudens/%lld/plan/acties/%lld/vrijwilliger", (long long)household_id,
                                 (long long)id), "label", "Vrijwilliger zoeken", "search", 1);
            json_object_set_new(a, "volunteer", link ? link : json_null());
        }
    }
    json_decref(reqs);
    /* the network as suggestions for the carrier's name */
    json_t *members = network_members(db_thread(), household_id);
    json_t *names = json_array();
    json_array_foreach(members, i, a) {
        if (!json_is_true(json_object_get(a, "active"))) continue;
        const char *text = "";
        json_array_foreach(json_object_get(a, "roles"), j, r)
            text = arena_printf(req->arena, "%s%s%s", text, j ? ", " : "", json_string_value(json_object_get(r, "label")));
        json_array_append_new(names, json_pack("{s:O, s:s}", "name", json_object_get(a, "name"), "roles_text", text));
    }
    json_decref(members);
    json_object_set_new(m, "carrier_names", names);
}
