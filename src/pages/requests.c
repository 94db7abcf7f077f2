/*
 * requests.c - requests (meldingen) and legal deadlines: the form for a new
 * request of a household, moving a request through its statuses, marking a
 * deadline met, and the list of open deadlines (/termijnen).
 *
 * The rules live in domain/request.h; this file reads the form, checks that
 * every id from the URL or the form belongs to the household loaded by
 * hh_load() (else 404, audited as authz.denied), builds the models and
 * writes the audit events request.create, request.status and deadline.done.
 * The household overview shows the requests through the partial template
 * "request_overview" over request_household_model().
 */
#include <stdio.h>
#include <string.h>

#include "auth/audit.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/request.h"
#include "pages/hh.h"
#include "pages/pages.h"

static day_t today(void)
{
    return day_today_amsterdam(now_s());
}

static void audit_req(http_req_t *req, const char *action, const char *result, const char *type, int64_t id,
                      const char *detail)
{
    http_audit(req, action, type, id, result, detail);
}

/* An id from the URL or form that is not of this household: 404, audited. */
static void refuse_foreign(http_req_t *req, const struct hh *h, const char *type, int64_t id, const char *msg)
{
    audit_req(req, "authz.denied", "denied", type, id,
              arena_printf(req->arena, "not of household %lld", (long long)h->id));
    http_error(req, 404, msg);
}

static int blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return 0;
    return 1;
}

static const char *form_get(http_req_t *req, const char *name)
{
    const char *v = kv_get(&req->form, name);
    return v ? v : "";
}

/* ---- the request form -------------------------------------------------- */

static json_t *terms_model(const struct deadline_config *cfg)
{
    static const struct {
        const char *key;
        enum deadline_kind kind;
    } terms[] = {{"wmo_onderzoek", DL_WMO_ONDERZOEK},
                 {"wmo_persoonlijk_plan", DL_WMO_PERSOONLIJK_PLAN},
                 {"jeugd_besluit", DL_JEUGD_BESLUIT},
                 {"pw_besluit", DL_PW_BESLUIT},
                 {"pw_zoektermijn", DL_PW_ZOEKTERMIJN}};
    json_t *m = json_object();
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
        char text[32];
        deadline_term_text(&cfg->rule[terms[i].kind], text, sizeof text);
        json_object_set_new(m, terms[i].key, json_string(text));
    }
    return m;
}

/* The form model; values typed are kept when the form is re-shown. */
static json_t *form_model(http_req_t *req, const struct hh *h, const char *error)
{
    db_t *db = db_thread();
    day_t t = today();
    char t_s[11];
    day_format(t, t_s);
    int posted = strcmp(req->method, "POST") == 0;
    json_t *m = json_pack("{s:s, s:{s:I, s:s}, s:s}", "title", "Nieuwe melding", "household", "id", (json_int_t)h->id,
                          "name", h->name, "today", t_s);

    int64_t person = 0;
    if (posted) parse_i64(form_get(req, "persoon"), 1, INT64_MAX / 2, &person);
    json_t *members = request_members_model(db, h->id, t, person);
    json_object_set_new(m, "has_members", json_boolean(json_array_size(members) > 0));
    json_object_set_new(m, "members", members);

    const char *wet = posted ? form_get(req, "wet") : "";
    json_t *laws = json_array();
    for (int i = 0; i < LAW_COUNT; i++)
        json_array_append_new(laws, json_pack("{s:s, s:s, s:b}", "code", request_law_code((enum request_law)i), "label",
                                              request_law_label((enum request_law)i), "selected",
                                              strcmp(wet, request_law_code((enum request_law)i)) == 0));
    json_object_set_new(m, "laws", laws);

    const char *kanaal = posted ? form_get(req, "kanaal") : "";
    json_t *channels = json_array();
    for (int i = 0; i < REQUEST_CHANNEL_COUNT; i++)
        json_array_append_new(channels, json_pack("{s:s, s:s, s:b}", "code", request_channel_code(i), "label",
                                                  request_channel_label(i), "selected",
                                                  strcmp(kanaal, request_channel_code(i)) == 0));
    json_object_set_new(m, "channels", channels);

    json_object_set_new(m, "form",
                        json_pack("{s:s, s:s, s:b, s:b}", "vraag", posted ? form_get(req, "vraag") : "", "ontvangen",
                                  posted ? form_get(req, "ontvangen") : t_s, "persoonlijk_plan",
                                  posted && strcmp(form_get(req, "persoonlijk_plan"), "1") == 0, "jonger_dan_27",
                                  posted && strcmp(form_get(req, "jonger_dan_27"), "1") == 0));
    struct deadline_config cfg;
    deadline_config_load(db, req->user->gemeente, &cfg);
    json_object_set_new(m, "terms", terms_model(&cfg));
    if (error) json_object_set_new(m, "error", json_string(error));
    if (json_object_size(req->errors)) json_object_set(m, "field_errors", req->errors);
    return m;
}

void page_request_new(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    http_page(req, "request_new", form_model(req, &h, NULL));
}

/* Clearer messages than the gate's generic "Vul dit veld in.". */
static void required_messages(http_req_t *req)
{
    static const struct {
        const char *field, *msg;
    } msgs[] = {
        {"wet", "Kies onder welke wet de melding valt, of kies 'Nog niet bekend'."},
        {"kanaal", "Kies hoe de melding binnenkwam."},
        {"vraag", "Schrijf de vraag op zoals de inwoner die stelt."},
        {"ontvangen", "Vul de datum in waarop de melding binnenkwam."},
    };
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++)
        if (json_object_get(req->errors, msgs[i].field) && blank(kv_get(&req->form, msgs[i].field)))
            json_object_set_new(req->errors, msgs[i].field, json_string(msgs[i].msg));
}

static void field_error(http_req_t *req, const char *field, const char *msg)
{
    if (!json_object_get(req->errors, field)) json_object_set_new(req->errors, field, json_string(msg));
}

void page_request_create(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    db_t *db = db_thread();
    day_t t = today();

    /* Who: a current member of THIS household (an id of another household is
     * refused outright, whatever else is wrong with the form). */
    const char *persoon = form_get(req, "persoon");
    int64_t person_id = 0;
    day_t birth = 0;
    int has_birth = 0;
    if (!blank(persoon) && !json_object_get(req->errors, "persoon")) {
        if (parse_i64(persoon, 1, INT64_MAX / 2, &person_id) != 0) person_id = 0;
        int rc = person_id ? request_member(db, h.id, person_id, t, &birth, &has_birth) : 0;
        if (rc < 0) {
            http_error(req, 500, "De melding kon niet worden opgeslagen. Probeer het opnieuw.");
            return;
        }
        if (rc == 0) {
            refuse_foreign(req, &h, "person", person_id, "Deze persoon hoort niet bij dit huishouden.");
            return;
        }
    }
    required_messages(req);
    json_t *members = request_members_model(db, h.id, t, 0);
    int has_members = json_array_size(members) > 0;
    json_decref(members);
    if (has_members && !person_id) field_error(req, "persoon", "Kies voor wie de melding is.");

    int law = request_law_parse(form_get(req, "wet"));
    if (law < 0) field_error(req, "wet", "Kies onder welke wet de melding valt, of kies 'Nog niet bekend'.");
    const char *channel = form_get(req, "kanaal");
    if (request_channel_parse(channel) < 0) field_error(req, "kanaal", "Kies hoe de melding binnenkwam.");

    day_t received = t;
    if (!json_object_get(req->errors, "ontvangen")) {
        if (day_parse(form_get(req, "ontvangen"), &received) != 0)
            field_error(req, "ontvangen", "Vul een datum in als jjjj-mm-dd, bijvoorbeeld 2026-11-23.");
        else if (received > t)
            field_error(req, "ontvangen", "De datum van ontvangst kan niet in de toekomst liggen.");
    }

    int pp = strcmp(form_get(req, "persoonlijk_plan"), "1") == 0;
    int u27 = strcmp(form_get(req, "jonger_dan_27"), "1") == 0;
    if (pp && law >= 0 && law != LAW_WMO && law != LAW_ONBEKEND)
        field_error(req, "persoonlijk_plan",
                    "Een persoonlijk plan hoort bij de Wmo. Kies de Wmo of 'Nog niet bekend', of zet dit vinkje uit.");
    if (u27 && law >= 0 && law != LAW_PARTICIPATIEWET)
        field_error(req, "jonger_dan_27",
                    "De zoektermijn hoort bij de Participatiewet. Kies de Participatiewet, of zet dit vinkje uit.");
    else if (u27 && person_id && has_birth && !json_object_get(req->errors, "ontvangen") &&
             age_on(birth, received) >= 27)
        field_error(
            req, "jonger_dan_27",
            arena_printf(req->arena,
                         "Deze persoon was op de dag van de melding %d jaar. De zoektermijn geldt alleen onder de 27.",
                         age_on(birth, received)));

    if (json_object_size(req->errors)) {
        req->status = 400;
        http_page(req, "request_new",
                  form_model(req, &h, "De melding is nog niet opgeslagen. Verbeter de gemarkeerde velden."));
        return;
    }

    struct deadline_config cfg;
    deadline_config_load(db, req->user->gemeente, &cfg);
    struct request_in in = {.household_id = h.id,
                            .person_id = person_id,
                            .law = (enum request_law)law,
                            .channel = channel,
                            .question = form_get(req, "vraag"),
                            .received_on = received,
                            .persoonlijk_plan = pp,
                            .zoektermijn = u27,
                            .created_by = req->user->id};
    int64_t id = request_create(db, req->user->gemeente, &in, &cfg, now_s());
    if (id < 0) {
        req->status = 500;
        http_page(req, "request_new",
                  form_model(req, &h, "De melding kon niet worden opgeslagen. Probeer het opnieuw."));
        return;
    }
    enum deadline_kind kinds[REQUEST_MAX_DEADLINES];
    int n = request_deadline_kinds(in.law, pp, u27, kinds);
    audit_req(
        req, "request.create", "ok", "request", id,
        arena_printf(req->arena, "household %lld, %s, %d deadlines", (long long)h.id, request_law_code(in.law), n));
    http_redirect(req, arena_printf(req->arena, "/huishoudens/%lld", (long long)h.id));
}

/* ---- status and deadlines ---------------------------------------------- */

void page_request_status(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    int64_t rid = hh_path_id(req, 1);
    int to = request_status_parse(form_get(req, "status"));
    enum request_status from = RS_NIEUW;
    int rc = rid ? request_set_status(db_thread(), req->user->gemeente, h.id, rid,
                                      to >= 0 ? (enum request_status)to : RS_COUNT, today(), now_s(), &from)
                 : REQ_E_NOT_FOUND;
    if (rc == REQ_E_NOT_FOUND) {
        refuse_foreign(req, &h, "request", rid, "Deze melding bestaat niet bij dit huishouden.");
        return;
    }
    if (rc == REQ_E_TRANSITION) {
        if (to < 0)
            http_error(req, 400, "Kies een geldige status voor de melding.");
        else if (request_status_closed(from))
            http_error(req, 409, "Deze melding is al afgesloten. De status kan niet meer veranderen.");
        else
            http_error(req, 409,
                       arena_printf(req->arena, "Een melding met status '%s' kan niet naar '%s'.",
                                    request_status_label(from), request_status_label((enum request_status)to)));
        return;
    }
    if (rc != REQ_OK) {
        http_error(req, 500, "De status kon niet worden opgeslagen. Probeer het opnieuw.");
        return;
    }
    audit_req(
        req, "request.status", "ok", "request", rid,
        arena_printf(req->arena, "%s -> %s", request_status_code(from), request_status_code((enum request_status)to)));
    http_redirect(req, arena_printf(req->arena, "/huishoudens/%lld", (long long)h.id));
}

void page_deadline_done(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    int64_t did = hh_path_id(req, 1);
    int changed = 0;
    int rc = did ? deadline_mark_done(db_thread(), req->user->gemeente, h.id, did, today(), &changed) : REQ_E_NOT_FOUND;
    if (rc == REQ_E_NOT_FOUND) {
        refuse_foreign(req, &h, "deadline", did, "Deze termijn bestaat niet bij dit huishouden.");
        return;
    }
    if (rc != REQ_OK) {
        http_error(req, 500, "De termijn kon niet worden bijgewerkt. Probeer het opnieuw.");
        return;
    }
    if (changed)
        audit_req(req, "deadline.done", "ok", "deadline", did,
                  arena_printf(req->arena, "household %lld", (long long)h.id));
    /* Back to where the button was: a fixed set of targets, never a URL from the form. */
    const char *back = form_get(req, "terug");
    if (strcmp(back, "termijnen") == 0)
        http_redirect(req, "/termijnen");
    else if (strcmp(back, "termijnen-team") == 0)
        http_redirect(req, "/termijnen?team=1");
    else
        http_redirect(req, arena_printf(req->arena, "/huishoudens/%lld", (long long)h.id));
}

/* ---- /termijnen ----------------------------------------------------------- */

void page_deadlines(http_req_t *req)
{
    db_t *db = db_thread();
    int team = strcmp(kv_get(&req->query, "team") ? kv_get(&req->query, "team") : "", "1") == 0;
    int64_t team_id = 0;
    const char *team_name = "";
    db_stmt_t *st = db_prepare(db, "SELECT t.id, t.name FROM account a JOIN team t ON t.id = a.team_id"
                                   " WHERE a.id = ? AND t.gemeente = a.gemeente");
    db_bind_int(st, 1, req->user->id);
    if (db_step(st) == DB_ROW) {
        team_id = db_col_int(st, 0);
        team_name = arena_strdup(req->arena, db_col_text(st, 1));
    }
    db_done(st);

    json_t *m =
        json_pack("{s:s, s:b, s:b, s:s, s:i}", "title", team ? "Termijnen van het team" : "Mijn termijnen", "team",
                  team, "has_team", team_id > 0, "team_name", team_name, "soon_days", DEADLINE_SOON_DAYS);
    json_t *list = NULL;
    if (!team || team_id > 0) {
        list = deadline_open_list(db, req->user->gemeente, req->user->id, team ? team_id : 0, today());
        if (!list) {
            json_decref(m);
            http_error(req, 500, "De termijnen konden niet worden geladen. Probeer het opnieuw.");
            return;
        }
    } else {
        list = json_array();
    }
    static const struct {
        const char *key, *title;
    } groups[] = {{"te_laat", "Te laat"}, {"binnenkort", "Binnenkort"}, {"later", "Later"}};
    json_t *gs = json_array();
    for (size_t g = 0; g < 3; g++) {
        json_t *items = json_array();
        size_t i;
        json_t *d;
        json_array_foreach(list, i, d)
        {
            if (strcmp(json_string_value(json_object_get(d, "state")), groups[g].key) == 0) json_array_append(items, d);
        }
        char intro[120];
        if (g == 1)
            snprintf(intro, sizeof intro, "De uiterste datum is vandaag of in de komende %d dagen.",
                     DEADLINE_SOON_DAYS);
        else if (g == 2)
            snprintf(intro, sizeof intro, "De uiterste datum is over meer dan %d dagen.", DEADLINE_SOON_DAYS);
        else
            snprintf(intro, sizeof intro, "De uiterste datum is voorbij.");
        json_array_append_new(gs, json_pack("{s:s, s:s, s:s, s:i, s:o}", "key", groups[g].key, "title", groups[g].title,
                                            "intro", intro, "count", (int)json_array_size(items), "items", items));
    }
    json_object_set_new(m, "count", json_integer((json_int_t)json_array_size(list)));
    json_decref(list);
    json_object_set_new(m, "groups", gs);
    json_object_set_new(m, "back", json_string(team ? "termijnen-team" : "termijnen"));
    http_page(req, "deadlines", m);
}
