/*
 * test_referral.c - closed-loop referrals (domain/referral.h): the pure rules
 * (status labels, transitions per side, consent by age, BSN detection in
 * shared text, contact format, age), and the database rules on a fresh
 * SQLite file and, when KANTEL_TEST_PG=postgresql://user@host:port names a
 * server (as scripts/check does), again on a fresh PostgreSQL database:
 * the service as a referral shows it; the checks of a new referral; the plan
 * action following the referral (carrier, bezig, gedaan, back to open) in
 * the same transaction and plan version; who may set what; the views per
 * side; the reminder job (once per status, cleared by an update).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "domain/calendar.h"
#include "domain/plan.h"
#include "domain/referral.h"
#include "test.h"

static int g_pg; /* the current run is on PostgreSQL */
static const char *g_name = "sqlite";
static int64_t NOW; /* 2026-11-23 12:00 Amsterdam */
static day_t TODAY;

/* ---- pure rules ------------------------------------------------------------- */

static void test_pure(void)
{
    CHECK_STR(referral_status_label("beeindigd"), "Beëindigd", "status label");
    CHECK(referral_status_label("gedaan") == NULL && referral_status_label(NULL) == NULL, "unknown status: no label");
    CHECK(referral_status_open("verstuurd") && referral_status_open("contact") && referral_status_open("gestart") &&
          !referral_status_open("afgewezen") && !referral_status_open("beeindigd") &&
          !referral_status_open("ingetrokken") && !referral_status_open(NULL), "open statuses");
    int n = 0;
    while (referral_status_at(n)) n++;
    CHECK(n == 6, "six statuses (%d)", n);

    /* transitions: the organisation */
    static const struct { const char *from, *to; int ok; } org[] = {
        {"verstuurd", "contact", 1}, {"verstuurd", "gestart", 1}, {"verstuurd", "afgewezen", 1},
        {"verstuurd", "beeindigd", 0}, {"contact", "gestart", 1}, {"contact", "afgewezen", 1},
        {"contact", "contact", 0}, {"contact", "beeindigd", 0}, {"gestart", "beeindigd", 1},
        {"gestart", "afgewezen", 0}, {"gestart", "contact", 0}, {"afgewezen", "gestart", 0},
        {"beeindigd", "gestart", 0}, {"ingetrokken", "contact", 0}, {"verstuurd", "verstuurd", 0},
        {"verstuurd", "ingetrokken", 0}, {"verstuurd", "bogus", 0},
    };
    for (size_t i = 0; i < sizeof org / sizeof *org; i++) {
        const char *why = referral_transition_why(org[i].from, org[i].to, REF_SIDE_ORG, NULL);
        CHECK((why == NULL) == org[i].ok, "organisation %s -> %s %s", org[i].from, org[i].to,
              org[i].ok ? "allowed" : "refused");
    }
    int forbidden = 0;
    CHECK(referral_transition_why("verstuurd", "ingetrokken", REF_SIDE_ORG, &forbidden) && forbidden,
          "the organisation may not withdraw (a matter of side)");
    /* the generalist and the resident only withdraw, from any open status */
    for (int side = REF_SIDE_STAFF; side <= REF_SIDE_RESIDENT; side++) {
        const char *opens[] = {"verstuurd", "contact", "gestart"};
        for (int i = 0; i < 3; i++)
            CHECK(referral_transition_why(opens[i], "ingetrokken", (enum referral_side)side, NULL) == NULL,
                  "side %d withdraws from %s", side, opens[i]);
        CHECK(referral_transition_why("afgewezen", "ingetrokken", (enum referral_side)side, NULL) != NULL,
              "side %d: a closed referral stays closed", side);
        forbidden = 0;
        const char *why = referral_transition_why("verstuurd", "gestart", (enum referral_side)side, &forbidden);
        CHECK(why && forbidden && strstr(why, "Alleen de organisatie"), "side %d may not start it", side);
    }

    /* consent by age */
    CHECK(referral_consent_why("inwoner", 16) == NULL, "16: the person's own consent");
    CHECK(referral_consent_why("vertegenwoordiger", 16) != NULL, "16: not a representative's");
    CHECK(referral_consent_why("vertegenwoordiger", 15) == NULL, "15: a representative's consent");
    const char *why = referral_consent_why("inwoner", 15);
    CHECK(why && strstr(why, "jonger dan 16"), "15: not the child's own (%s)", why ? why : "");
    CHECK(referral_consent_why("inwoner", 0) != NULL && referral_consent_why("vertegenwoordiger", 0) == NULL,
          "a baby: representative");
    CHECK(referral_consent_why("inwoner", -1) != NULL && referral_consent_why("vertegenwoordiger", -1) != NULL,
          "unknown age: record the birth date first");
    CHECK(referral_consent_why("buurman", 40) != NULL && referral_consent_why(NULL, 40) != NULL, "unknown who");
    CHECK_STR(referral_consent_how_label("portaal"), "Via het portaal", "how label");
    CHECK(referral_consent_how_label("fax") == NULL, "unknown how");

    /* BSN in shared text */
    CHECK(referral_text_has_bsn("BSN 999900006."), "nine digits that pass the elfproef");
    CHECK(referral_text_has_bsn("bsn:999900006"), "right after a colon");
    CHECK(referral_text_has_bsn("9999.00.006"), "grouped with dots");
    CHECK(referral_text_has_bsn("999 900 006 is haar nummer"), "grouped with spaces");
    CHECK(referral_text_has_bsn("nummer 9999-00-006"), "grouped with hyphens");
    CHECK(referral_text_has_bsn("lidnr 12, bsn 999900006 2 kinderen"), "a BSN followed by another number");
    CHECK(!referral_text_has_bsn("123456789"), "nine digits that fail the elfproef");
    CHECK(!referral_text_has_bsn("000000000"), "all zeros");
    CHECK(!referral_text_has_bsn("06 12345678"), "a mobile number");
    CHECK(!referral_text_has_bsn("0612345678"), "a mobile number without a space");
    CHECK(!referral_text_has_bsn("9999000061"), "ten digits are no BSN");
    CHECK(!referral_text_has_bsn("Dinsdag 10:00, 2 km, 8011 AB"), "ordinary text");
    CHECK(!referral_text_has_bsn(NULL) && !referral_text_has_bsn(""), "nothing");

    /* contact */
    CHECK(referral_contact_why("") == NULL && referral_contact_why(NULL) == NULL, "no contact is fine");
    CHECK(referral_contact_why("06 12345678") == NULL && referral_contact_why("+31 (0)570 123456") == NULL,
          "phone numbers");
    CHECK(referral_contact_why("sanne@example.nl") == NULL, "an e-mail address");
    CHECK(referral_contact_why("bel mij") != NULL && referral_contact_why("123") != NULL &&
          referral_contact_why("a@b") != NULL && referral_contact_why("<x>@example.nl") != NULL,
          "not a phone or e-mail");

    /* age */
    day_t d;
    day_parse("2026-11-23", &d);
    CHECK(referral_age("2010-11-23", d) == 16 && referral_age("2010-11-24", d) == 15, "birthday counts from the day");
    CHECK(referral_age("2030-01-01", d) == -1 && referral_age("gisteren", d) == -1 && referral_age(NULL, d) == -1,
          "no age for a future or malformed date");
    CHECK(referral_resident_may(1, 1, 40) && referral_resident_may(1, 2, 10) && !referral_resident_may(1, 3, 16) &&
          !referral_resident_may(1, 3, -1) && !referral_resident_may(0, 0, 10), "what the resident sees");
}

/* ---- the database ---------------------------------------------------------- */

static void exec_ok(db_t *db, const char *sql)
{
    if (db_exec(db, sql) != DB_OK) {
        printf("not ok - setup SQL failed on %s: %s: %s\n", g_name, sql, db_errmsg(db));
        exit(1);
    }
}

static int64_t scalar(db_t *db, const char *sql, int64_t id)
{
    db_stmt_t *st = db_prepare(db, sql);
    db_bind_int(st, 1, id);
    int64_t v = db_step(st) == DB_ROW ? (db_col_is_null(st, 0) ? 0 : db_col_int(st, 0)) : -1;
    db_done(st);
    return v;
}

static void text_of(db_t *db, const char *sql, int64_t id, char *out, size_t n)
{
    db_stmt_t *st = db_prepare(db, sql);
    db_bind_int(st, 1, id);
    snprintf(out, n, "%s", db_step(st) == DB_ROW ? db_col_text(st, 0) : "(none)");
    db_done(st);
}

static const char *SETUP =
    "INSERT INTO municipality (gemeente, name, created_at) VALUES ('9999', 'Testgemeente', 0), ('8888', 'Andere', 0);"
    "INSERT INTO account (id, gemeente, username, display_name, role, password_hash, created_at, updated_at) VALUES"
    " (1, '9999', 'gen', 'Gerda Generalist', 'generalist', 'x', 0, 0),"
    " (2, '9999', 'sanne', 'Sanne Test', 'resident', 'x', 0, 0),"
    " (3, '9999', 'club', 'Club Secretaris', 'community', 'x', 0, 0),"
    " (4, '9999', 'buurthuis', 'Buurthuis Coördinator', 'community', 'x', 0, 0),"
    " (5, '9999', 'zorg', 'Zorg BV', 'provider', 'x', 0, 0);"
    "INSERT INTO household (id, gemeente, name, created_at) VALUES (1, '9999', 'Huishouden Test', 0),"
    " (2, '9999', 'Huishouden Ander', 0);"
    "INSERT INTO person (id, gemeente, given_names, prefix, family_name, birth_date, phone, created_at, updated_at)"
    " VALUES (1, '9999', 'Sanne', '', 'Test', '1984-05-12', '06 12345678', 0, 0),"
    " (2, '9999', 'Lars', '', 'Test', '2012-09-03', '', 0, 0),"
    " (3, '9999', 'Mila', '', 'Test', '2010-11-23', '', 0, 0),"
    " (4, '9999', 'Anna', '', 'Ander', '1970-01-01', '', 0, 0),"
    " (5, '9999', 'Piet', '', 'Weg', '1960-01-01', '', 0, 0),"
    " (6, '9999', 'Onbekend', '', 'Test', NULL, '', 0, 0);"
    "INSERT INTO household_member (household_id, person_id, relation, until) VALUES"
    " (1, 1, 'hoofdbewoner', NULL), (1, 2, 'kind', NULL), (1, 3, 'kind', NULL), (2, 4, 'hoofdbewoner', NULL),"
    " (1, 5, 'partner', '2025-01-01'), (1, 6, 'overig', NULL);"
    "UPDATE account SET person_id = 1 WHERE id = 2;"
    "INSERT INTO hsds_organization (id, gemeente, name) VALUES ('org-a', '9999', 'Wandelvereniging Test'),"
    " ('org-b', '9999', 'Buurthuis Test'), ('org-x', '8888', 'Elders');"
    "INSERT INTO hsds_service (id, gemeente, organization_id, name, description, status) VALUES"
    " ('svc-walk', '9999', 'org-a', 'Wandelclub Test', 'Samen wandelen', 'active'),"
    " ('svc-walk2', '9999', 'org-a', 'Avondwandeling Test', '', 'active'),"
    " ('svc-hidden', '9999', 'org-a', 'Verborgen', '', 'active'),"
    " ('svc-meal', '9999', 'org-b', 'Eettafel Test', '', 'active'),"
    " ('svc-noorg', '9999', NULL, 'Zonder organisatie', '', 'active'),"
    " ('svc-gone', '9999', 'org-b', 'Gestopt', '', 'defunct'),"
    " ('svc-else', '8888', 'org-x', 'Elders', '', 'active');"
    "INSERT INTO hsds_location (id, gemeente, organization_id, name) VALUES ('loc-a', '9999', 'org-a', 'Clubhuis');"
    "INSERT INTO hsds_service_at_location (id, gemeente, service_id, location_id) VALUES"
    " ('sal-a', '9999', 'svc-walk', 'loc-a');"
    "INSERT INTO hsds_address (id, gemeente, location_id, address_1, city, postal_code, address_type) VALUES"
    " ('adr-a', '9999', 'loc-a', 'Havenstraat 3', 'Kantelstad', '8011cd', 'physical');"
    "INSERT INTO hsds_schedule (id, gemeente, service_id, service_at_location_id, freq, \"interval\", byday, opens_at,"
    " closes_at) VALUES ('sch-a', '9999', 'svc-walk', 'sal-a', 'WEEKLY', '1', 'TU', '10:00', '11:30'),"
    " ('sch-b', '9999', 'svc-meal', NULL, 'MONTHLY', '1', '1TU,-1FR', '17:30:00', '19:30:00'),"
    " ('sch-c', '9999', 'svc-walk2', NULL, 'WEEKLY', '2', 'MO,WE,FR', '19:00', NULL);"
    "INSERT INTO hsds_cost_option (id, gemeente, service_id, \"option\", currency, amount, amount_description) VALUES"
    " ('cost-a', '9999', 'svc-walk', 'Gratis', 'EUR', '0.00', 'Geen kosten'),"
    " ('cost-b', '9999', 'svc-meal', 'Eigen bijdrage per keer', 'EUR', '5.5', 'Korting met een minimuminkomen');"
    "INSERT INTO org_member (account_id, gemeente, organization_id, status, created_at, updated_at) VALUES"
    " (3, '9999', 'org-a', 'goedgekeurd', 0, 0), (4, '9999', 'org-b', 'goedgekeurd', 0, 0),"
    " (5, '9999', 'org-a', 'aangevraagd', 0, 0);"
    "INSERT INTO listing (service_id, gemeente, seen_at, hidden_at) VALUES ('svc-hidden', '9999', 0, 1),"
    " ('svc-walk', '9999', 0, NULL);";

struct seed {
    day_t today;
};

/* The plan of household 1: a1 level 4 open without carrier name (walking),
 * a2 level 4 already bezig with a carrier name (meals), a3 level 5 gedaan,
 * a4 level 4 open (second walking action). */
static int seed_fn(json_t *body, void *arg, char *summary, size_t n)
{
    const struct seed *s = arg;
    struct plan_action_in a[] = {
        {.text = "Sanne wandelt elke week", .level = 4},
        {.text = "Sanne eet mee in de buurt", .level = 4, .carrier_name = "Buurthuis"},
        {.text = "Schuldhulp", .level = 5},
        {.text = "Lars gaat bewegen", .level = 4},
    };
    for (size_t i = 0; i < sizeof a / sizeof *a; i++)
        if (plan_body_add_action(body, &a[i], s->today, summary, n) <= 0) return PLAN_E_INVALID;
    plan_body_set_status(body, 2, "bezig", summary, n);
    plan_body_set_status(body, 3, "gedaan", summary, n);
    snprintf(summary, n, "Testplan");
    return PLAN_OK;
}

static json_t *action_of(db_t *db, int64_t hh, int64_t id, int *version)
{
    int current = 0;
    int64_t plan = plan_find(db, hh, &current);
    json_t *body = NULL;
    if (plan <= 0 || plan_version_load(db, plan, current, &body, NULL) != PLAN_OK) return NULL;
    if (version) *version = current;
    json_t *a = plan_body_action(body, id);
    if (a) json_incref(a);
    json_decref(body);
    return a;
}

static const char *action_str(db_t *db, int64_t id, const char *key)
{
    static char buf[400];
    json_t *a = action_of(db, 1, id, NULL);
    snprintf(buf, sizeof buf, "%s", a && json_string_value(json_object_get(a, key)) ? json_string_value(json_object_get(a, key)) : "");
    json_decref(a);
    return buf;
}

static int plan_version_now(db_t *db)
{
    int v = 0;
    plan_find(db, 1, &v);
    return v;
}

static char g_today[11], g_recent[11];

static struct referral_in walk_in(void)
{
    return (struct referral_in){.action_id = 1, .person_id = 1, .service_id = "svc-walk", .consent_by = "inwoner",
                                .consent_how = "mondeling", .consent_on = g_today, .consent_confirmed = 1,
                                .contact = " 06 12345678 ", .message = "Graag overdag bellen."};
}

static void test_service(db_t *db)
{
    json_t *s = referral_service(db, "9999", "svc-walk");
    CHECK(s != NULL, "%s: the service is found", g_name);
    if (!s) return;
    CHECK_STR(json_string_value(json_object_get(s, "organization")), "Wandelvereniging Test", "%s: organisation", g_name);
    CHECK_STR(json_string_value(json_object_get(s, "address")), "Havenstraat 3, 8011 CD Kantelstad", "%s: address",
              g_name);
    CHECK_STR(json_string_value(json_array_get(json_object_get(s, "when"), 0)), "Elke dinsdag van 10:00 tot 11:30",
              "%s: when (one schedule, linked to the service and its location)", g_name);
    CHECK(json_array_size(json_object_get(s, "when")) == 1, "%s: the schedule once", g_name);
    CHECK_STR(json_string_value(json_array_get(json_object_get(s, "costs"), 0)), "Gratis", "%s: free", g_name);
    CHECK(json_is_true(json_object_get(s, "referable")), "%s: referable", g_name);
    json_decref(s);
    s = referral_service(db, "9999", "svc-meal");
    CHECK_STR(json_string_value(json_array_get(json_object_get(s, "when"), 0)),
              "Elke eerste dinsdag en laatste vrijdag van de maand van 17:30 tot 19:30", "%s: monthly", g_name);
    CHECK_STR(json_string_value(json_array_get(json_object_get(s, "costs"), 0)),
              "€ 5,50: Eigen bijdrage per keer (Korting met een minimuminkomen)", "%s: a cost", g_name);
    json_decref(s);
    s = referral_service(db, "9999", "svc-walk2");
    CHECK_STR(json_string_value(json_array_get(json_object_get(s, "when"), 0)),
              "Om de week op maandag, woensdag en vrijdag vanaf 19:00", "%s: every other week", g_name);
    CHECK_STR(json_string_value(json_array_get(json_object_get(s, "costs"), 0)),
              "Niet bekend: vraag het de organisatie.", "%s: no costs known", g_name);
    json_decref(s);
    s = referral_service(db, "9999", "svc-hidden");
    CHECK(s && !json_is_true(json_object_get(s, "referable")) &&
          strstr(json_string_value(json_object_get(s, "why")), "niet meer zichtbaar"), "%s: hidden", g_name);
    json_decref(s);
    s = referral_service(db, "9999", "svc-noorg");
    CHECK(s && !json_is_true(json_object_get(s, "referable")) && json_is_null(json_object_get(s, "organization_id")),
          "%s: no organisation", g_name);
    json_decref(s);
    s = referral_service(db, "9999", "svc-gone");
    CHECK(s && !json_is_true(json_object_get(s, "referable")), "%s: defunct", g_name);
    json_decref(s);
    CHECK(referral_service(db, "9999", "svc-else") == NULL, "%s: another municipality's service is not found", g_name);
    CHECK(referral_service(db, "9999", "nope") == NULL, "%s: unknown", g_name);
}

static int check_one(db_t *db, struct referral_in in, const char *field, const char *needle)
{
    json_t *e = json_object();
    referral_check(db, "9999", 1, &in, TODAY, e);
    const char *msg = json_string_value(json_object_get(e, field));
    int ok = msg && (!needle || strstr(msg, needle));
    if (!ok) {
        char *dump = json_dumps(e, 0);
        printf("#   errors: %s\n", dump ? dump : "");
        free(dump);
    }
    json_decref(e);
    return ok;
}

static void test_check(db_t *db)
{
    json_t *e = json_object();
    struct referral_in in = walk_in();
    CHECK(referral_check(db, "9999", 1, &in, TODAY, e) == 0, "%s: a good referral passes", g_name);
    json_decref(e);
    in = walk_in(); in.action_id = 3;
    CHECK(check_one(db, in, "action", "gedaan of gestopt"), "%s: a done action refuses", g_name);
    in = walk_in(); in.action_id = 99;
    CHECK(check_one(db, in, "action", "niet (meer) in het plan"), "%s: an unknown action", g_name);
    in = walk_in(); in.person_id = 4;
    CHECK(check_one(db, in, "person", NULL), "%s: a person of another household", g_name);
    in = walk_in(); in.person_id = 5;
    CHECK(check_one(db, in, "person", NULL), "%s: a former member", g_name);
    in = walk_in(); in.person_id = 2;
    CHECK(check_one(db, in, "consent_by", "jonger dan 16"), "%s: Lars (14) needs a representative", g_name);
    in.consent_by = "vertegenwoordiger";
    e = json_object();
    CHECK(referral_check(db, "9999", 1, &in, TODAY, e) == 0, "%s: ... and with one it passes", g_name);
    json_decref(e);
    in = walk_in(); in.person_id = 3; in.consent_by = "vertegenwoordiger";
    CHECK(check_one(db, in, "consent_by", "Vanaf 16"), "%s: Mila turned 16 today: her own consent", g_name);
    in = walk_in(); in.person_id = 6;
    CHECK(check_one(db, in, "consent_by", "geboortedatum"), "%s: unknown birth date", g_name);
    in = walk_in(); in.service_id = "svc-hidden";
    CHECK(check_one(db, in, "service", "niet meer zichtbaar"), "%s: a hidden service", g_name);
    in = walk_in(); in.service_id = "svc-noorg";
    CHECK(check_one(db, in, "service", "geen organisatie"), "%s: a service without an organisation", g_name);
    in = walk_in(); in.service_id = "svc-else";
    CHECK(check_one(db, in, "service", "niet op de sociale kaart"), "%s: another municipality's service", g_name);
    in = walk_in(); in.consent_how = "fax";
    CHECK(check_one(db, in, "consent_how", NULL), "%s: how", g_name);
    in = walk_in(); in.consent_on = "2099-01-01";
    CHECK(check_one(db, in, "consent_on", "toekomst"), "%s: a date in the future", g_name);
    char old[11];
    day_format(TODAY - 366, old);
    in = walk_in(); in.consent_on = old;
    CHECK(check_one(db, in, "consent_on", "meer dan een jaar"), "%s: consent older than a year", g_name);
    in = walk_in(); in.consent_on = "";
    CHECK(check_one(db, in, "consent_on", "Vul de datum in"), "%s: no date", g_name);
    in = walk_in(); in.consent_confirmed = 0;
    CHECK(check_one(db, in, "consent", "Vink aan"), "%s: the tick", g_name);
    in = walk_in(); in.message = "Haar BSN is 999900006, graag bellen.";
    CHECK(check_one(db, in, "message", "Haal het BSN"), "%s: a BSN in the message is refused", g_name);
    in = walk_in(); in.contact = "9999 00 006";
    CHECK(check_one(db, in, "contact", NULL), "%s: a BSN as the contact is refused", g_name);
    char big[1100];
    memset(big, 'x', 1001);
    big[1001] = '\0';
    in = walk_in(); in.message = big;
    CHECK(check_one(db, in, "message", "1000 tekens"), "%s: a message over 1000 characters", g_name);
    in = walk_in(); in.contact = "bel mij";
    CHECK(check_one(db, in, "contact", NULL), "%s: a contact that is no phone or e-mail", g_name);
    CHECK(scalar(db, "SELECT count(*) FROM referral WHERE ? > 0", 1) == 0, "%s: checks write nothing", g_name);
}

static void test_loop(db_t *db)
{
    /* create: the action gets the service as carrier, in one new version */
    int v0 = plan_version_now(db), version = -1;
    json_t *e = json_object();
    struct referral_in in = walk_in();
    int64_t r1 = referral_create(db, "9999", 1, &in, 1, NOW, e, &version);
    CHECK(r1 > 0, "%s: created (%lld)", g_name, (long long)r1);
    CHECK(version == v0 + 1 && plan_version_now(db) == v0 + 1, "%s: one new plan version (%d)", g_name, version);
    CHECK_STR(action_str(db, 1, "carrier_name"), "Wandelclub Test (Wandelvereniging Test)", "%s: carrier name", g_name);
    CHECK_STR(action_str(db, 1, "status"), "open", "%s: still open", g_name);
    char s[400];
    text_of(db, "SELECT summary FROM plan_version WHERE version = ? AND plan_id = (SELECT id FROM plan WHERE household_id = 1)",
            version, s, sizeof s);
    CHECK_STR(s, "Verwijzing naar Wandelclub Test: verstuurd", "%s: summary", g_name);
    text_of(db, "SELECT shared_name || '|' || shared_contact || '|' || consent_on || '|' || organization_id FROM referral"
                " WHERE id = ?", r1, s, sizeof s);
    char want[200];
    snprintf(want, sizeof want, "Sanne Test|06 12345678|%s|org-a", g_today);
    CHECK_STR(s, want, "%s: what is shared, trimmed", g_name);
    CHECK(scalar(db, "SELECT plan_version FROM referral_event WHERE referral_id = ?", r1) == version,
          "%s: the event keeps the plan version", g_name);
    json_decref(e);

    /* one open referral per action and service; nothing half written */
    e = json_object();
    int64_t dup = referral_create(db, "9999", 1, &in, 1, NOW, e, &version);
    CHECK(dup == REF_E_DUPLICATE && json_object_get(e, "service"), "%s: a second open one is refused", g_name);
    CHECK(scalar(db, "SELECT count(*) FROM referral WHERE ? > 0", 1) == 1 && plan_version_now(db) == v0 + 1,
          "%s: ... and nothing is written", g_name);
    json_decref(e);

    /* another service for the same action: the carrier stays, no plan version */
    e = json_object();
    in = walk_in();
    in.service_id = "svc-walk2";
    int64_t r2 = referral_create(db, "9999", 1, &in, 1, NOW, e, &version);
    CHECK(r2 > 0 && version == 0 && plan_version_now(db) == v0 + 1, "%s: the carrier stays: no plan version", g_name);
    CHECK(scalar(db, "SELECT count(*) FROM referral_event WHERE referral_id = ? AND plan_version IS NULL", r2) == 1,
          "%s: its event has no plan version", g_name);
    json_decref(e);

    struct referral_actor club = {.side = REF_SIDE_ORG, .org_id = "org-a", .account_id = 3};
    struct referral_actor house = {.side = REF_SIDE_ORG, .org_id = "org-b", .account_id = 4};
    struct referral_actor gen = {.side = REF_SIDE_STAFF, .household_id = 1, .account_id = 1};
    struct referral_actor gen2 = {.side = REF_SIDE_STAFF, .household_id = 2, .account_id = 1};
    struct referral_actor sanne = {.side = REF_SIDE_RESIDENT, .household_id = 1, .person_id = 1, .account_id = 2};
    struct referral_actor mila = {.side = REF_SIDE_RESIDENT, .household_id = 1, .person_id = 3, .account_id = 2};

    /* scope */
    e = json_object();
    CHECK(referral_set_status(db, "9999", r1, &house, "gestart", NULL, NOW, e, &version) == REF_E_NOT_FOUND,
          "%s: another organisation: not found", g_name);
    CHECK(referral_set_status(db, "9999", r1, &gen2, "ingetrokken", NULL, NOW, e, &version) == REF_E_NOT_FOUND,
          "%s: another household: not found", g_name);
    CHECK(referral_set_status(db, "8888", r1, &club, "gestart", NULL, NOW, e, &version) == REF_E_NOT_FOUND,
          "%s: another municipality: not found", g_name);
    CHECK(referral_set_status(db, "9999", r1, &mila, "ingetrokken", NULL, NOW, e, &version) == REF_E_NOT_FOUND,
          "%s: another adult in the household may not withdraw Sanne's referral", g_name);
    CHECK(referral_set_status(db, "9999", r1, &gen, "gestart", NULL, NOW, e, &version) == REF_E_FORBIDDEN,
          "%s: the generalist may not start it", g_name);
    CHECK(referral_set_status(db, "9999", r1, &club, "ingetrokken", NULL, NOW, e, &version) == REF_E_FORBIDDEN,
          "%s: the organisation may not withdraw it", g_name);
    CHECK(referral_set_status(db, "9999", r1, &club, "beeindigd", NULL, NOW, e, &version) == REF_E_STATE,
          "%s: not ended before it started", g_name);
    json_decref(e);
    e = json_object();
    CHECK(referral_set_status(db, "9999", r1, &club, "afgewezen", "  ", NOW, e, &version) == REF_E_INVALID &&
          json_object_get(e, "reason"), "%s: a refusal needs a reason", g_name);
    json_decref(e);
    e = json_object();
    CHECK(referral_set_status(db, "9999", r1, &club, "contact", "bsn 999900006", NOW, e, &version) == REF_E_INVALID,
          "%s: no BSN in a reason", g_name);
    json_decref(e);
    CHECK(scalar(db, "SELECT count(*) FROM referral_event WHERE referral_id = ?", r1) == 1, "%s: nothing changed", g_name);

    /* contact: no plan change; gestart: bezig in one version */
    e = json_object();
    int v1 = plan_version_now(db);
    CHECK(referral_set_status(db, "9999", r1, &club, "contact", "Gebeld", NOW + 60, e, &version) == REF_OK &&
          version == 0 && plan_version_now(db) == v1, "%s: contact leaves the plan", g_name);
    CHECK(referral_set_status(db, "9999", r1, &club, "gestart", NULL, NOW + 120, e, &version) == REF_OK &&
          version == v1 + 1, "%s: started in a new plan version", g_name);
    CHECK_STR(action_str(db, 1, "status"), "bezig", "%s: the action is busy", g_name);
    text_of(db, "SELECT status || '|' || status_by || '|' || status_at FROM referral WHERE id = ?", r1, s, sizeof s);
    snprintf(want, sizeof want, "gestart|3|%lld", (long long)(NOW + 120));
    CHECK_STR(s, want, "%s: status, by and at", g_name);
    json_decref(e);

    /* the views */
    json_t *g = referral_get(db, "9999", 1, r1);
    CHECK(g && json_array_size(json_object_get(g, "events")) == 3, "%s: three events", g_name);
    json_t *ev = json_array_get(json_object_get(g, "events"), 1);
    CHECK_STR(json_string_value(json_object_get(ev, "reason")), "Gebeld", "%s: the reason is kept", g_name);
    CHECK_STR(json_string_value(json_object_get(ev, "by_side")), "org", "%s: by the organisation", g_name);
    CHECK_STR(json_string_value(json_object_get(g, "consent_by_label")), "De inwoner zelf", "%s: consent label", g_name);
    json_decref(g);
    CHECK(referral_get(db, "9999", 2, r1) == NULL, "%s: not via another household", g_name);
    json_t *o = referral_org_get(db, "9999", "org-a", r1);
    char *dump = o ? json_dumps(o, JSON_SORT_KEYS) : NULL;
    CHECK(o && !strstr(dump, "household") && !strstr(dump, "person") && !strstr(dump, "action") &&
          !strstr(dump, "\"by\"") && !strstr(dump, "consent_by") && strstr(dump, "Sanne Test"),
          "%s: the organisation's view holds only what is shared", g_name);
    free(dump);
    json_decref(o);
    CHECK(referral_org_get(db, "9999", "org-b", r1) == NULL && referral_org_get(db, "9999", "", r1) == NULL,
          "%s: not for another organisation", g_name);
    json_t *inbox = referral_inbox(db, "9999", "org-a", 100);
    CHECK(inbox && json_array_size(json_object_get(inbox, "referrals")) == 2 &&
          json_integer_value(json_object_get(json_object_get(inbox, "counts"), "gestart")) == 1 &&
          json_integer_value(json_object_get(json_object_get(inbox, "counts"), "verstuurd")) == 1,
          "%s: the inbox with counts", g_name);
    CHECK(inbox && json_object_get(json_array_get(json_object_get(inbox, "referrals"), 0), "message") == NULL,
          "%s: the inbox lists no messages", g_name);
    json_decref(inbox);

    /* the resident withdraws a started referral: the action is open again */
    e = json_object();
    int v2 = plan_version_now(db);
    CHECK(referral_set_status(db, "9999", r1, &sanne, "ingetrokken", "Andere club", NOW + 180, e, &version) == REF_OK &&
          version == v2 + 1, "%s: the resident withdraws in a new plan version", g_name);
    CHECK_STR(action_str(db, 1, "status"), "open", "%s: back to open", g_name);
    CHECK(referral_set_status(db, "9999", r1, &sanne, "ingetrokken", NULL, NOW, e, &version) == REF_E_STATE,
          "%s: closed stays closed", g_name);
    json_decref(e);

    /* a refusal: the action stays as it is */
    e = json_object();
    int v3 = plan_version_now(db);
    CHECK(referral_set_status(db, "9999", r2, &club, "afgewezen", "Vol", NOW + 200, e, &version) == REF_OK &&
          version == 0 && plan_version_now(db) == v3, "%s: a refusal leaves the plan", g_name);
    json_decref(e);

    /* an action busy before the referral: withdrawing it leaves the action busy */
    e = json_object();
    in = walk_in();
    in.action_id = 2;
    in.service_id = "svc-meal";
    int64_t r3 = referral_create(db, "9999", 1, &in, 1, NOW, e, &version);
    CHECK(r3 > 0 && version == 0, "%s: meals: the carrier stays (%d)", g_name, version);
    CHECK(referral_set_status(db, "9999", r3, &house, "gestart", NULL, NOW + 10, e, &version) == REF_OK && version == 0,
          "%s: started, but the action was already busy: no version", g_name);
    CHECK(referral_set_status(db, "9999", r3, &gen, "ingetrokken", NULL, NOW + 20, e, &version) == REF_OK && version == 0,
          "%s: withdrawn by the generalist: the action stays busy", g_name);
    CHECK_STR(action_str(db, 2, "status"), "bezig", "%s: still busy", g_name);
    json_decref(e);

    /* ending: gedaan, unless another referral of the action still runs */
    e = json_object();
    in = walk_in();
    in.action_id = 4;
    in.person_id = 2;
    in.consent_by = "vertegenwoordiger";
    int64_t r4 = referral_create(db, "9999", 1, &in, 1, NOW, e, &version);
    in.service_id = "svc-walk2";
    int64_t r5 = referral_create(db, "9999", 1, &in, 1, NOW, e, &version);
    CHECK(r4 > 0 && r5 > 0, "%s: Lars referred twice with a representative's consent", g_name);
    CHECK(referral_set_status(db, "9999", r4, &club, "gestart", NULL, NOW + 30, e, &version) == REF_OK && version > 0,
          "%s: started", g_name);
    CHECK(referral_set_status(db, "9999", r4, &club, "beeindigd", NULL, NOW + 40, e, &version) == REF_OK && version == 0,
          "%s: ended while another referral runs: no version", g_name);
    CHECK_STR(action_str(db, 4, "status"), "bezig", "%s: still busy", g_name);
    CHECK(referral_set_status(db, "9999", r5, &sanne, "ingetrokken", NULL, NOW + 50, e, &version) == REF_OK,
          "%s: the parent withdraws the child's other referral", g_name);
    json_decref(e);
    e = json_object();
    in.service_id = "svc-walk";
    int64_t r6 = referral_create(db, "9999", 1, &in, 1, NOW, e, &version);
    CHECK(referral_set_status(db, "9999", r6, &club, "gestart", NULL, NOW + 60, e, &version) == REF_OK,
          "%s: a new one starts", g_name);
    int v4 = plan_version_now(db);
    CHECK(referral_set_status(db, "9999", r6, &club, "beeindigd", "Klaar", NOW + 70, e, &version) == REF_OK &&
          version == v4 + 1, "%s: ended: a new version", g_name);
    CHECK_STR(action_str(db, 4, "status"), "gedaan", "%s: the action is done", g_name);
    text_of(db, "SELECT summary FROM plan_version WHERE version = ? AND plan_id = (SELECT id FROM plan WHERE household_id = 1)",
            version, s, sizeof s);
    CHECK_STR(s, "Verwijzing naar Wandelclub Test: beëindigd", "%s: summary of the end", g_name);
    json_decref(e);
    e = json_object();
    in.service_id = "svc-walk2";
    CHECK(referral_create(db, "9999", 1, &in, 1, NOW, e, &version) == REF_E_INVALID && json_object_get(e, "action"),
          "%s: no referral from a done action", g_name);
    json_decref(e);

    /* lists */
    json_t *list = referral_list(db, "9999", 1);
    CHECK(list && json_array_size(list) == 6, "%s: six referrals for the household", g_name);
    CHECK(list && json_integer_value(json_object_get(json_array_get(list, 0), "id")) == r6, "%s: newest first", g_name);
    json_decref(list);
    list = referral_list(db, "9999", 2);
    CHECK(list && json_array_size(list) == 0, "%s: none for the other household", g_name);
    json_decref(list);
}

static void test_reminders(db_t *db)
{
    json_t *e = json_object();
    struct referral_in in = walk_in();
    int version = 0;
    int64_t r = referral_create(db, "9999", 1, &in, 1, NOW, e, &version);
    in.service_id = "svc-meal";
    int64_t fresh = referral_create(db, "9999", 1, &in, 1, NOW, e, &version);
    CHECK(r > 0 && fresh > 0, "%s: two open referrals", g_name);
    json_decref(e);
    db_stmt_t *st = db_prepare(db, "UPDATE referral SET status_at = ? WHERE id = ?");
    db_bind_int(st, 1, NOW - 6 * 86400);
    db_bind_int(st, 2, r);
    db_step(st);
    db_done(st);
    char detail[200];
    int64_t later = NOW + 3600;
    CHECK(referral_reminder_run(db, later, 5, detail, sizeof detail) == 0, "%s: the job runs", g_name);
    CHECK(strstr(detail, "1 referral marked") != NULL, "%s: one marked (%s)", g_name, detail);
    CHECK(scalar(db, "SELECT reminded_at FROM referral WHERE id = ?", r) == later, "%s: reminded_at set", g_name);
    CHECK(scalar(db, "SELECT count(*) FROM referral WHERE reminded_at IS NOT NULL AND id <> ?", r) == 0,
          "%s: only the old one (closed and fresh ones are left alone)", g_name);
    CHECK(referral_reminder_run(db, later + 3600, 5, detail, sizeof detail) == 0 && strstr(detail, "0 referrals"),
          "%s: idempotent: a second run marks nothing (%s)", g_name, detail);
    CHECK(scalar(db, "SELECT reminded_at FROM referral WHERE id = ?", r) == later, "%s: reminded_at kept", g_name);
    json_t *inbox = referral_inbox(db, "9999", "org-a", 100);
    json_t *first = json_array_get(json_object_get(inbox, "referrals"), 0);
    CHECK(json_integer_value(json_object_get(first, "id")) == r &&
          json_integer_value(json_object_get(first, "reminded_at")) == later,
          "%s: the oldest open one first in the inbox, with its reminder", g_name);
    json_decref(inbox);
    /* an update clears the reminder; without another update it comes back after N days */
    e = json_object();
    struct referral_actor club = {.side = REF_SIDE_ORG, .org_id = "org-a", .account_id = 3};
    CHECK(referral_set_status(db, "9999", r, &club, "contact", NULL, later + 10, e, &version) == REF_OK, "%s: contact",
          g_name);
    CHECK(scalar(db, "SELECT reminded_at FROM referral WHERE id = ?", r) == 0, "%s: the update clears it", g_name);
    json_decref(e);
    referral_reminder_run(db, later + 20, 5, detail, sizeof detail);
    CHECK(strstr(detail, "0 referrals") != NULL, "%s: not within N days of the update", g_name);
    referral_reminder_run(db, later + 10 + 5 * 86400 + 1, 5, detail, sizeof detail);
    CHECK(strstr(detail, "2 referrals") != NULL, "%s: after N days both are due (%s)", g_name, detail);
    e = json_object();
    CHECK(referral_set_status(db, "9999", r, &club, "gestart", NULL, later + 6 * 86400, e, &version) == REF_OK,
          "%s: started", g_name);
    json_decref(e);
    referral_reminder_run(db, later + 30 * 86400, 5, detail, sizeof detail);
    CHECK(strstr(detail, "0 referrals") != NULL, "%s: a started referral gets no reminder", g_name);
}

static void run_all(const char *target)
{
    db_t *db = NULL;
    char err[256];
    if (db_open(target, &db, err, sizeof err) != DB_OK || db_migrate(db, err, sizeof err) < 0) {
        CHECK(0, "%s: database: %s", g_name, err);
        if (db) db_close(db);
        return;
    }
    exec_ok(db, SETUP);
    struct seed sd = {TODAY};
    CHECK(plan_change(db, "9999", 1, 1, NOW - 86400, seed_fn, &sd) == 1, "%s: the plan", g_name);
    test_service(db);
    test_check(db);
    test_loop(db);
    test_reminders(db);
    db_close(db);
}

int main(void)
{
    test_pure();
    TODAY = day_from_ymd(2026, 11, 23);
    NOW = (int64_t)TODAY * 86400 + 11 * 3600; /* 12:00 in Amsterdam */
    day_format(TODAY, g_today);
    day_format(TODAY - 3, g_recent);

    char path[] = "/tmp/kantel-test-referral-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 2;
    close(fd);
    unlink(path);
    char target[80];
    snprintf(target, sizeof target, "sqlite:%s", path);
    run_all(target);
    char side[100];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);

    const char *pg = getenv("KANTEL_TEST_PG");
    if (pg && *pg) {
        char name[64], admin[300], err[256] = "", sql[200], pgt[300];
        snprintf(name, sizeof name, "kantel_unit_referral_%ld", (long)getpid());
        snprintf(admin, sizeof admin, "%s/postgres", pg);
        db_t *a = NULL;
        CHECK(db_open(admin, &a, err, sizeof err) == DB_OK, "connect to the test server: %s", err);
        if (!a) return t_done();
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
        db_exec(a, sql);
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
        CHECK(db_exec(a, sql) == DB_OK, "create database %s: %s", name, db_errmsg(a));
        g_pg = 1;
        g_name = "postgres";
        snprintf(pgt, sizeof pgt, "%s/%s", pg, name);
        run_all(pgt);
        snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", name);
        CHECK(db_exec(a, sql) == DB_OK, "drop database %s: %s", name, db_errmsg(a));
        db_close(a);
    }
    (void)g_pg;
    return t_done();
}
