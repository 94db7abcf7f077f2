/*
 * test_request.c - requests (meldingen) and their deadlines: the pure rules
 * (codes, status transitions, age, which deadlines a law starts), the
 * database rules on a fresh SQLite file (create in one transaction with due
 * dates, municipality settings, closing, marking met, other households' ids,
 * coordinator and team scope) and the household-overview partial template.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "domain/calendar.h"
#include "domain/request.h"
#include "test.h"
#include "web/views.h"

static day_t D(const char *s)
{
    day_t d = 0;
    if (day_parse(s, &d) != 0) {
        printf("bad date in test: %s\n", s);
        exit(2);
    }
    return d;
}

static void exec_ok(db_t *db, const char *sql)
{
    if (db_exec(db, sql) != DB_OK) {
        printf("not ok - setup SQL failed: %s: %s\n", sql, db_errmsg(db));
        exit(1);
    }
}

static int64_t scalar(db_t *db, const char *sql, int64_t id)
{
    db_stmt_t *st = db_prepare(db, sql);
    db_bind_int(st, 1, id);
    int64_t v = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    return v;
}

static void due_of(db_t *db, int64_t request_id, const char *kind, char out[11])
{
    db_stmt_t *st = db_prepare(db, "SELECT due_on FROM deadline WHERE request_id = ? AND kind = ?");
    db_bind_int(st, 1, request_id);
    db_bind_text(st, 2, kind);
    snprintf(out, 11, "%s", db_step(st) == DB_ROW ? db_col_text(st, 0) : "none");
    db_done(st);
}

/* ---- pure ----------------------------------------------------------------- */

static void test_codes(void)
{
    CHECK(request_law_parse("wmo") == LAW_WMO && request_law_parse("onbekend") == LAW_ONBEKEND, "law codes parse");
    CHECK(request_law_parse("WMO") == -1 && request_law_parse("") == -1 && request_law_parse(NULL) == -1,
          "unknown law codes are refused");
    CHECK_STR(request_law_label(LAW_ONBEKEND), "Nog niet bekend", "label of onbekend");
    CHECK(request_channel_parse("email") == 2 && request_channel_parse("fax") == -1, "channel codes");
    CHECK(request_channel_code(REQUEST_CHANNEL_COUNT) == NULL && request_channel_code(-1) == NULL, "channel range");
    CHECK(request_status_parse("ingetrokken") == RS_INGETROKKEN && request_status_parse("open") == -1, "status codes");
    CHECK_STR(deadline_kind_label("wmo_onderzoek"), "Onderzoek Wmo afronden", "kind label");
    CHECK_STR(deadline_kind_label("iets_anders"), "iets_anders", "unknown kind shows its code");
    CHECK(deadline_kind_parse("pw_zoektermijn") == DL_PW_ZOEKTERMIJN && deadline_kind_parse("x") == -1, "kind parse");
}

static void test_transitions(void)
{
    CHECK(request_status_allowed(RS_NIEUW, RS_ONDERZOEK), "nieuw -> onderzoek");
    CHECK(request_status_allowed(RS_NIEUW, RS_AFGEROND), "steps may be skipped");
    CHECK(request_status_allowed(RS_PLAN, RS_INGETROKKEN), "withdraw while open");
    CHECK(!request_status_allowed(RS_PLAN, RS_ONDERZOEK), "never backwards");
    CHECK(!request_status_allowed(RS_ONDERZOEK, RS_ONDERZOEK), "not to the same status");
    CHECK(!request_status_allowed(RS_AFGEROND, RS_INGETROKKEN) && !request_status_allowed(RS_INGETROKKEN, RS_NIEUW),
          "never out of a closed status");
    CHECK(!request_status_allowed(RS_NIEUW, RS_COUNT) && !request_status_allowed((enum request_status) - 1, RS_PLAN),
          "out-of-range statuses are refused");
    CHECK(request_status_closed(RS_AFGEROND) && request_status_closed(RS_INGETROKKEN) &&
              !request_status_closed(RS_PLAN),
          "closed statuses");
}

static void test_age(void)
{
    CHECK(age_on(D("1999-03-24"), D("2026-03-23")) == 26, "one day before the 27th birthday: 26");
    CHECK(age_on(D("1999-03-23"), D("2026-03-23")) == 27, "on the 27th birthday: 27");
    CHECK(age_on(D("2000-02-29"), D("2027-02-28")) == 26, "29 February: not yet on 28 February");
    CHECK(age_on(D("2000-02-29"), D("2027-03-01")) == 27, "29 February: on 1 March");
    CHECK(age_on(D("2026-05-01"), D("2026-05-01")) == 0, "born today: 0");
}

static void test_kinds(void)
{
    enum deadline_kind k[REQUEST_MAX_DEADLINES];
    int n = request_deadline_kinds(LAW_WMO, 1, 1, k);
    CHECK(n == 2 && k[0] == DL_WMO_ONDERZOEK && k[1] == DL_WMO_PERSOONLIJK_PLAN, "Wmo with plan (zoektermijn ignored)");
    n = request_deadline_kinds(LAW_ONBEKEND, 0, 0, k);
    CHECK(n == 1 && k[0] == DL_WMO_ONDERZOEK, "onbekend: the Wmo onderzoek term");
    n = request_deadline_kinds(LAW_JEUGDWET, 1, 1, k);
    CHECK(n == 1 && k[0] == DL_JEUGD_BESLUIT, "Jeugdwet: besluit only");
    n = request_deadline_kinds(LAW_PARTICIPATIEWET, 1, 1, k);
    CHECK(n == 2 && k[0] == DL_PW_ZOEKTERMIJN && k[1] == DL_PW_BESLUIT, "Participatiewet under 27");
    n = request_deadline_kinds(LAW_PARTICIPATIEWET, 0, 0, k);
    CHECK(n == 1 && k[0] == DL_PW_BESLUIT, "Participatiewet 27+");
    char s[32];
    struct deadline_rule r = *deadline_default(DL_WMO_ONDERZOEK);
    deadline_term_text(&r, s, sizeof s);
    CHECK_STR(s, "6 weken", "term text weeks");
    r.amount = 1;
    deadline_term_text(&r, s, sizeof s);
    CHECK_STR(s, "1 week", "term text one week");
    deadline_parse_override("3wd", &r);
    deadline_term_text(&r, s, sizeof s);
    CHECK_STR(s, "3 werkdagen", "term text working days");
}

/* ---- database ------------------------------------------------------------- */

static const char *SETUP =
    "INSERT INTO municipality (gemeente, name, created_at) VALUES ('9999', 'Testgemeente', 0), ('8888', 'Andere', 0);"
    "INSERT INTO team (id, gemeente, name) VALUES (1, '9999', 'Centrum'), (2, '9999', 'Noord');"
    "INSERT INTO account (id, gemeente, username, display_name, role, team_id, password_hash, created_at, updated_at) "
    "VALUES"
    " (1, '9999', 'g1', 'Gerda Een', 'generalist', 1, 'x', 0, 0),"
    " (2, '9999', 'g2', 'Gijs Twee', 'generalist', 2, 'x', 0, 0),"
    " (3, '9999', 'lead', 'Lotte Lead', 'teamlead', 1, 'x', 0, 0);"
    "INSERT INTO household (id, gemeente, name, team_id, created_at) VALUES"
    " (1, '9999', 'Huishouden Een', 1, 0), (2, '9999', 'Huishouden Twee', 1, 0), (3, '9999', 'Huishouden Drie', 2, 0);"
    "INSERT INTO coordinator (household_id, account_id, team_id, start_at) VALUES (1, 1, 1, 0), (2, 2, 1, 0), (3, 2, "
    "2, 0);"
    "INSERT INTO person (id, gemeente, given_names, prefix, family_name, birth_date, created_at, updated_at) VALUES"
    " (1, '9999', 'Anna', 'van', 'Dijk', '1999-03-24', 0, 0), (2, '9999', 'Bob', '', 'Dijk', NULL, 0, 0),"
    " (3, '9999', 'Cor', '', 'Oud', '1950-01-01', 0, 0), (4, '9999', 'Dirk', '', 'Weg', '1980-01-01', 0, 0);"
    "INSERT INTO household_member (household_id, person_id, relation, until) VALUES"
    " (1, 1, 'kind', NULL), (1, 2, 'hoofdbewoner', NULL), (2, 3, 'hoofdbewoner', NULL), (1, 4, 'partner', "
    "'2025-01-01');";

static int64_t make(db_t *db, int64_t hh, int64_t person, enum request_law law, const char *received, int pp, int u27,
                    const struct deadline_config *cfg)
{
    struct request_in in = {.household_id = hh,
                            .person_id = person,
                            .law = law,
                            .channel = "telefoon",
                            .question = "Ik wil <graag> hulp & steun",
                            .received_on = D(received),
                            .persoonlijk_plan = pp,
                            .zoektermijn = u27,
                            .created_by = 1};
    return request_create(db, "9999", &in, cfg, 1000);
}

static void test_members(db_t *db)
{
    day_t birth = 0;
    int has = -1;
    CHECK(request_member(db, 1, 1, D("2026-03-23"), &birth, &has) == 1 && has == 1 && birth == D("1999-03-24"),
          "member with a birth date");
    CHECK(request_member(db, 1, 2, D("2026-03-23"), &birth, &has) == 1 && has == 0, "member without a birth date");
    CHECK(request_member(db, 1, 3, D("2026-03-23"), &birth, &has) == 0, "a person of another household is no member");
    CHECK(request_member(db, 1, 4, D("2026-03-23"), &birth, &has) == 0, "a former member is no member");
    CHECK(request_member(db, 1, 999, D("2026-03-23"), &birth, &has) == 0, "nobody is no member");
    json_t *m = request_members_model(db, 1, D("2026-03-23"), 0);
    CHECK(json_array_size(m) == 2, "two current members");
    CHECK_STR(json_string_value(json_object_get(json_array_get(m, 0), "name")), "Bob Dijk", "hoofdbewoner first");
    CHECK(json_is_true(json_object_get(json_array_get(m, 0), "selected")), "first one selected by default");
    CHECK_STR(json_string_value(json_object_get(json_array_get(m, 1), "name")), "Anna van Dijk", "prefix in the name");
    CHECK(json_integer_value(json_object_get(json_array_get(m, 1), "age")) == 26 &&
              json_is_true(json_object_get(json_array_get(m, 1), "under_27")),
          "age and under_27");
    json_decref(m);
}

static void test_create(db_t *db)
{
    struct deadline_config cfg;
    deadline_config_default(&cfg);
    char due[11];
    int64_t r1 = make(db, 1, 2, LAW_WMO, "2026-03-23", 1, 0, &cfg);
    CHECK(r1 > 0, "Wmo request created");
    due_of(db, r1, "wmo_onderzoek", due);
    CHECK_STR(due, "2026-05-04", "Wmo onderzoek: 6 weeks");
    due_of(db, r1, "wmo_persoonlijk_plan", due);
    CHECK_STR(due, "2026-03-30", "persoonlijk plan: 7 days");
    int64_t r2 = make(db, 1, 2, LAW_WMO, "2026-04-13", 0, 0, &cfg);
    due_of(db, r2, "wmo_onderzoek", due);
    CHECK_STR(due, "2026-05-26", "6 weeks ending on Tweede Pinksterdag run on to Tuesday");
    CHECK(scalar(db, "SELECT count(*) FROM deadline WHERE request_id = ?", r2) == 1, "no plan deadline unless chosen");
    int64_t r3 = make(db, 1, 1, LAW_PARTICIPATIEWET, "2026-03-25", 0, 1, &cfg);
    due_of(db, r3, "pw_zoektermijn", due);
    CHECK_STR(due, "2026-04-22", "zoektermijn: 4 weeks, not extended");
    due_of(db, r3, "pw_besluit", due);
    CHECK_STR(due, "2026-05-20", "Participatiewet besluit: 8 weeks");
    int64_t r4 = make(db, 1, 0, LAW_ONBEKEND, "2026-12-14", 0, 0, &cfg);
    due_of(db, r4, "wmo_onderzoek", due);
    CHECK_STR(due, "2027-01-25", "onbekend: 6 weeks over the year end");
    CHECK(scalar(db, "SELECT person_id IS NULL FROM request WHERE id = ?", r4) == 1, "no person stored as NULL");

    /* A failing insert leaves nothing behind (person 999 breaks the foreign key). */
    int64_t before = scalar(db, "SELECT count(*) FROM deadline WHERE ? > 0", 1);
    int64_t bad = make(db, 1, 999, LAW_WMO, "2026-03-23", 1, 0, &cfg);
    CHECK(bad == REQ_E_DB, "a broken insert fails");
    CHECK(scalar(db, "SELECT count(*) FROM deadline WHERE ? > 0", 1) == before, "and writes no deadline");
}

static void test_config(db_t *db)
{
    struct deadline_config cfg;
    CHECK(deadline_config_load(db, "9999", &cfg) == 0, "no settings: nothing ignored");
    CHECK(cfg.rule[DL_JEUGD_BESLUIT].amount == 8 && cfg.holidays.bevrijdingsdag == BEVRIJDINGSDAG_LUSTRUM, "defaults");
    exec_ok(db, "INSERT INTO settings (gemeente, name, value) VALUES ('9999', 'deadline.jeugd_besluit', '6w'),"
                " ('9999', 'deadline.wmo_persoonlijk_plan', '3wd'), ('9999', 'bevrijdingsdag', 'always'),"
                " ('9999', 'deadline.pw_besluit', 'acht weken'), ('9999', 'deadline.onbekend', '2w'),"
                " ('8888', 'deadline.wmo_onderzoek', '1w')");
    CHECK(deadline_config_load(db, "9999", &cfg) == 2, "two malformed settings ignored");
    CHECK(cfg.rule[DL_JEUGD_BESLUIT].amount == 6 && cfg.rule[DL_JEUGD_BESLUIT].unit == DL_UNIT_WEEKS, "override 6w");
    CHECK(cfg.rule[DL_PW_BESLUIT].amount == 8, "malformed value keeps the default");
    CHECK(cfg.rule[DL_WMO_ONDERZOEK].amount == 6, "another municipality's setting does not apply");
    CHECK(cfg.holidays.bevrijdingsdag == BEVRIJDINGSDAG_ALWAYS, "bevrijdingsdag always");
    char due[11];
    int64_t r = make(db, 2, 3, LAW_WMO, "2026-05-01", 1, 0, &cfg);
    due_of(db, r, "wmo_persoonlijk_plan", due);
    CHECK_STR(due, "2026-05-07", "3 working days from Fri 1 May 2026 skip 5 May when always");
    int64_t j = make(db, 2, 3, LAW_JEUGDWET, "2026-03-24", 0, 0, &cfg);
    due_of(db, j, "jeugd_besluit", due);
    CHECK_STR(due, "2026-05-06", "6 weeks land on 5 May, a holiday under the Atw in every year: run on");
    exec_ok(db, "UPDATE settings SET value = 'never' WHERE name = 'bevrijdingsdag'");
    deadline_config_load(db, "9999", &cfg);
    int64_t r2 = make(db, 2, 3, LAW_WMO, "2026-05-01", 1, 0, &cfg);
    due_of(db, r2, "wmo_persoonlijk_plan", due);
    CHECK_STR(due, "2026-05-06", "with never, 5 May is a working day");
    exec_ok(db, "DELETE FROM settings");
}

static void test_status_and_done(db_t *db)
{
    struct deadline_config cfg;
    deadline_config_default(&cfg);
    int64_t r = make(db, 1, 2, LAW_WMO, "2026-06-01", 1, 0, &cfg);
    int64_t other = make(db, 2, 3, LAW_JEUGDWET, "2026-06-01", 0, 0, &cfg);
    enum request_status from = RS_COUNT;
    CHECK(request_set_status(db, "9999", 2, r, RS_ONDERZOEK, D("2026-06-10"), 2000, &from) == REQ_E_NOT_FOUND,
          "a request of another household is not found");
    CHECK(request_set_status(db, "8888", 1, r, RS_ONDERZOEK, D("2026-06-10"), 2000, &from) == REQ_E_NOT_FOUND,
          "nor in another municipality");
    CHECK(request_set_status(db, "9999", 1, r, RS_ONDERZOEK, D("2026-06-10"), 2000, &from) == REQ_OK &&
              from == RS_NIEUW,
          "nieuw -> onderzoek");
    CHECK(request_set_status(db, "9999", 1, r, RS_NIEUW, D("2026-06-10"), 2000, &from) == REQ_E_TRANSITION &&
              from == RS_ONDERZOEK,
          "not back");

    int64_t plan = scalar(db, "SELECT id FROM deadline WHERE request_id = ? AND kind = 'wmo_persoonlijk_plan'", r);
    int64_t other_dl = scalar(db, "SELECT id FROM deadline WHERE request_id = ?", other);
    int changed = -1;
    CHECK(deadline_mark_done(db, "9999", 1, other_dl, D("2026-06-05"), &changed) == REQ_E_NOT_FOUND && changed == 0,
          "a deadline of another household is not found");
    CHECK(scalar(db, "SELECT done_on IS NULL FROM deadline WHERE id = ?", other_dl) == 1, "and stays open");
    CHECK(deadline_mark_done(db, "9999", 1, plan, D("2026-06-05"), &changed) == REQ_OK && changed == 1, "mark met");
    CHECK(deadline_mark_done(db, "9999", 1, plan, D("2026-06-06"), &changed) == REQ_OK && changed == 0,
          "again: no change");

    CHECK(request_set_status(db, "9999", 1, r, RS_AFGEROND, D("2026-06-10"), 3000, &from) == REQ_OK, "close");
    CHECK(scalar(db, "SELECT closed_at FROM request WHERE id = ?", r) == 3000, "closed_at set");
    db_stmt_t *st = db_prepare(db, "SELECT kind, done_on, note FROM deadline WHERE request_id = ? ORDER BY kind");
    db_bind_int(st, 1, r);
    char rows[200] = "";
    while (db_step(st) == DB_ROW) {
        size_t l = strlen(rows);
        snprintf(rows + l, sizeof rows - l, "%s|%s|%s;", db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2));
    }
    db_done(st);
    CHECK_STR(rows, "wmo_onderzoek|2026-06-10|melding afgesloten;wmo_persoonlijk_plan|2026-06-05|;",
              "closing ends the open deadline with a note, the met one keeps its day");
    CHECK(request_set_status(db, "9999", 1, r, RS_INGETROKKEN, D("2026-06-10"), 3000, &from) == REQ_E_TRANSITION,
          "closed stays closed");
    CHECK(request_set_status(db, "9999", 1, 999999, RS_PLAN, D("2026-06-10"), 3000, &from) == REQ_E_NOT_FOUND,
          "unknown request");
}

static int has_household(json_t *list, int64_t hh)
{
    size_t i;
    json_t *d;
    json_array_foreach(list, i, d) if (json_integer_value(json_object_get(d, "household_id")) == hh) return 1;
    return 0;
}

static void test_lists(db_t *db)
{
    day_t today = D("2026-06-15");
    json_t *own = deadline_open_list(db, "9999", 1, 0, today);
    json_t *team = deadline_open_list(db, "9999", 3, 1, today);
    json_t *lead_own = deadline_open_list(db, "9999", 3, 0, today);
    json_t *g2 = deadline_open_list(db, "9999", 2, 0, today);
    CHECK(own && has_household(own, 1) && !has_household(own, 2) && !has_household(own, 3), "coordinator scope");
    CHECK(team && has_household(team, 1) && has_household(team, 2) && !has_household(team, 3), "team scope");
    CHECK(lead_own && json_array_size(lead_own) == 0, "a lead without households has no own deadlines");
    CHECK(g2 && has_household(g2, 2) && !has_household(g2, 1), "coordinator of a household of another team");
    int sorted = 1;
    for (size_t i = 1; i < json_array_size(team); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(team, i - 1), "due_on")),
                   json_string_value(json_object_get(json_array_get(team, i), "due_on"))) > 0)
            sorted = 0;
    CHECK(sorted, "sorted by due date");
    json_t *first = json_array_get(own, 0);
    CHECK_STR(json_string_value(json_object_get(first, "state")), "te_laat", "oldest one is overdue");
    CHECK_STR(json_string_value(json_object_get(first, "household_name")), "Huishouden Een", "household name");
    CHECK_STR(json_string_value(json_object_get(first, "coordinator")), "Gerda Een", "coordinator name");
    json_decref(own);
    json_decref(team);
    json_decref(lead_own);
    json_decref(g2);

    json_t *soon = deadline_item_model(1, 1, 1, "wmo_onderzoek", "2026-05-01", "2026-06-22", NULL, "", today);
    CHECK_STR(json_string_value(json_object_get(soon, "state")), "binnenkort", "7 days ahead: binnenkort");
    CHECK_STR(json_string_value(json_object_get(soon, "days_text")), "nog 7 dagen", "days text");
    CHECK_STR(json_string_value(json_object_get(soon, "due_nl")), "maandag 22 juni 2026", "Dutch long date");
    json_decref(soon);
    json_t *later = deadline_item_model(1, 1, 1, "wmo_onderzoek", "2026-05-01", "2026-06-23", NULL, "", today);
    CHECK_STR(json_string_value(json_object_get(later, "state")), "later", "8 days ahead: later");
    json_decref(later);
    json_t *late = deadline_item_model(1, 1, 1, "wmo_onderzoek", "2026-05-01", "2026-06-14", NULL, "", today);
    CHECK_STR(json_string_value(json_object_get(late, "days_text")), "1 dag te laat", "one day late");
    json_decref(late);
    json_t *done = deadline_item_model(1, 1, 1, "wmo_onderzoek", "2026-05-01", "2026-06-01", "2026-06-03", "", today);
    CHECK(json_is_true(json_object_get(done, "late_done")) && !json_is_true(json_object_get(done, "overdue")),
          "met late: flagged as late_done, not overdue");
    json_decref(done);
}

static void test_overview(db_t *db)
{
    json_t *meldingen = request_household_model(db, "9999", 1, D("2026-06-15"));
    CHECK(meldingen != NULL, "household model");
    if (!meldingen) return;
    json_t *requests = json_object_get(meldingen, "requests");
    CHECK(json_array_size(requests) == 5, "five requests of household 1 (%zu)", json_array_size(requests));
    json_t *newest = json_array_get(requests, 0);
    CHECK_STR(json_string_value(json_object_get(newest, "law")), "onbekend", "newest first");
    CHECK(json_is_true(json_object_get(newest, "has_moves")) && json_array_size(json_object_get(newest, "moves")) == 4,
          "a new request can move to 4 statuses");
    size_t i;
    json_t *r;
    int closed_ok = 0;
    json_array_foreach(requests, i, r) if (json_is_true(json_object_get(r, "closed"))) closed_ok =
        !json_is_true(json_object_get(r, "has_moves")) && json_object_get(r, "closed_on_nl") != NULL;
    CHECK(closed_ok, "a closed request has no moves and a closing date");

    char err[200];
    CHECK(views_init(err, sizeof err) == 0, "templates compile %s", err);
    const tpl_t *t = views_get("request_overview");
    CHECK(t != NULL, "partial request_overview exists");
    if (!t) return;
    json_t *model = json_pack("{s:o, s:{s:s}}", "meldingen", meldingen, "layout", "csrf", "TOKEN");
    buf_t out = BUF_INIT;
    CHECK(tpl_render(t, model, NULL, NULL, &out) == TPL_OK, "partial renders");
    const char *html = buf_cstr(&out);
    CHECK(strstr(html, "id=\"meldingen-kop\"") != NULL, "the section has its heading");
    CHECK(strstr(html, "action=\"/huishoudens/1/termijnen/") != NULL, "deadline forms point into the household");
    CHECK(strstr(html, "/status\"") != NULL && strstr(html, "name=\"csrf\" value=\"TOKEN\"") != NULL,
          "status form with the CSRF token");
    CHECK(strstr(html, "Ik wil &lt;graag&gt; hulp &amp; steun") != NULL && strstr(html, "<graag>") == NULL,
          "the question is escaped");
    CHECK(strstr(html, "kantel-flag--overdue") != NULL, "overdue deadlines are flagged");
    buf_free(&out);
    json_decref(model);
    views_free();
}

int main(void)
{
    test_codes();
    test_transitions();
    test_age();
    test_kinds();

    char path[] = "/tmp/kantel-test-request-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 2;
    close(fd);
    unlink(path);
    char target[64], err[256];
    snprintf(target, sizeof target, "sqlite:%s", path);
    db_t *db = NULL;
    if (db_open(target, &db, err, sizeof err) != DB_OK || db_migrate(db, err, sizeof err) < 0) {
        printf("not ok - database: %s\n", err);
        return 1;
    }
    exec_ok(db, SETUP);
    test_members(db);
    test_create(db);
    test_config(db);
    test_status_and_done(db);
    test_lists(db);
    test_overview(db);
    db_close(db);
    char side[80];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    return t_done();
}
