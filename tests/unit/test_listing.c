/*
 * test_listing.c - listings that stay current (domain/listing.c): the pure
 * rules (month arithmetic, the effective assured date, the state for a date,
 * time-ordered metadata ids) and, on a fresh migrated database, the owner of
 * a listing, the claim state machine, confirming, editing with one
 * hsds_metadata row per changed field, the change log, the lists, and the
 * currency job (flag, hide, release, idempotency, bounded slices). The
 * database checks run on SQLite and, when KANTEL_TEST_PG=postgresql://
 * user@host:port names a server (as scripts/check does), again on a fresh
 * PostgreSQL database there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "domain/calendar.h"
#include "domain/listing.h"
#include "test.h"

static const char *g_backend = "sqlite";

static day_t D(const char *s)
{
    day_t d = 0;
    if (day_parse(s, &d) != 0) {
        printf("bad date in test: %s\n", s);
        exit(2);
    }
    return d;
}

static const char *F(day_t d)
{
    static char buf[8][11];
    static int i;
    char *o = buf[i++ % 8];
    day_format(d, o);
    return o;
}

/* ---- pure rules ------------------------------------------------------------ */

static void test_months(void)
{
    CHECK_STR(F(listing_months_before(D("2026-08-31"), 6)), "2026-02-28", "31 August minus 6 months: end of February");
    CHECK_STR(F(listing_months_before(D("2024-08-31"), 6)), "2024-02-29", "leap year: 29 February");
    CHECK_STR(F(listing_months_before(D("2026-03-15"), 6)), "2025-09-15", "across the year: the same day");
    CHECK_STR(F(listing_months_before(D("2026-01-31"), 1)), "2025-12-31", "January minus 1: December");
    CHECK_STR(F(listing_months_before(D("2026-07-15"), 0)), "2026-07-15", "0 months: the day itself");
    CHECK_STR(F(listing_months_before(D("2024-02-29"), 12)), "2023-02-28", "29 February minus a year");
    CHECK_STR(F(listing_months_before(D("2026-05-31"), 240)), "2006-05-31", "20 years");
    CHECK_STR(F(listing_months_before(D("2026-07-15"), -3)), "2026-07-15", "negative months count as 0");
}

static void test_effective(void)
{
    day_t d = 0;
    int64_t seen = (int64_t)D("2025-03-01") * 86400 + 23 * 3600 + 30 * 60; /* 23:30 UTC = 00:30 next day in CET */
    CHECK(listing_effective_day("2026-01-15", seen, &d) == 1 && d == D("2026-01-15"), "a date is the assured date");
    CHECK(listing_effective_day("2026-01-15T10:00:00Z", seen, &d) == 1 && d == D("2026-01-15"),
          "a date-time counts with its date");
    CHECK(listing_effective_day("2026-01-15 10:00", seen, &d) == 1 && d == D("2026-01-15"), "a space-separated time too");
    CHECK(listing_effective_day(NULL, seen, &d) == 0 && d == D("2025-03-02"),
          "no assured date: the Amsterdam date of seen_at (after midnight there)");
    CHECK(listing_effective_day("", seen, &d) == 0 && d == D("2025-03-02"), "empty: seen_at");
    CHECK(listing_effective_day("gisteren", seen, &d) == 0, "not a date: seen_at");
    CHECK(listing_effective_day("2026-02-30", seen, &d) == 0, "no such day: seen_at");
    CHECK(listing_effective_day("2026-01-15x", seen, &d) == 0, "a date with junk after it: seen_at");
    CHECK(listing_effective_day("15-01-2026", seen, &d) == 0, "Dutch order: seen_at");

    day_t today = D("2026-07-15");
    CHECK(listing_state_for(D("2026-01-15"), today, 6, 12) == LISTING_CURRENT, "exactly 6 months: not yet older");
    CHECK(listing_state_for(D("2026-01-14"), today, 6, 12) == LISTING_FLAGGED, "a day older than 6 months: flagged");
    CHECK(listing_state_for(D("2025-07-15"), today, 6, 12) == LISTING_FLAGGED, "exactly 12 months: flagged, not hidden");
    CHECK(listing_state_for(D("2025-07-14"), today, 6, 12) == LISTING_HIDDEN, "older than 12 months: hidden");
    CHECK(listing_state_for(D("2026-07-20"), today, 6, 12) == LISTING_CURRENT, "a date in the future: current");
    CHECK(listing_state_for(D("2026-03-01"), today, 3, 2) == LISTING_HIDDEN, "hide before flag when so configured");
}

static void test_uuid(void)
{
    char prev[37] = "", id[37];
    int ordered = 1, shaped = 1;
    int64_t now = (int64_t)D("2026-07-15") * 86400;
    for (int i = 0; i < 5000; i++) {
        listing_uuid(now, id);
        if (strlen(id) != 36 || id[14] != '7' || !strchr("89ab", id[19])) shaped = 0;
        if (strcmp(prev, id) >= 0) ordered = 0;
        memcpy(prev, id, sizeof id);
    }
    CHECK(shaped, "metadata ids are UUID version 7, variant 10: %s", id);
    CHECK(ordered, "5000 ids in a row sort in the order they were made");
    int64_t ms = listing_uuid_ms(id);
    CHECK(ms >= now * 1000 && ms < now * 1000 + 60000, "the id carries the time (%lld)", (long long)ms);
    CHECK(listing_uuid_ms("0f3c1d1e-8a1b-4c2d-9e3f-0123456789ab") == -1, "a version-4 id has no time");
    CHECK(listing_uuid_ms("x") == -1, "nor has junk");
}

/* ---- database ---------------------------------------------------------------- */

static void exec_ok(db_t *db, const char *sql)
{
    if (db_exec(db, sql) != DB_OK) {
        printf("not ok - setup SQL failed: %s: %s\n", sql, db_errmsg(db));
        exit(1);
    }
}

static int64_t scalar(db_t *db, const char *sql, const char *arg)
{
    db_stmt_t *st = db_prepare(db, sql);
    if (arg) db_bind_text(st, 1, arg);
    int64_t v = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    return v;
}

/* The text of the first column of the first row (static buffer). */
static const char *text(db_t *db, const char *sql, const char *arg)
{
    static char buf[4][512];
    static int i;
    char *o = buf[i++ % 4];
    db_stmt_t *st = db_prepare(db, sql);
    if (arg) db_bind_text(st, 1, arg);
    if (db_step(st) == DB_ROW) snprintf(o, 512, "%s", db_col_is_null(st, 0) ? "(null)" : db_col_text(st, 0));
    else snprintf(o, 512, "(no row)");
    db_done(st);
    return o;
}

static void set_assured(db_t *db, const char *id, const char *date)
{
    db_stmt_t *st = db_prepare(db, "UPDATE hsds_service SET assured_date = ? WHERE id = ?");
    db_bind_text(st, 1, date);
    db_bind_text(st, 2, id);
    db_step(st);
    db_done(st);
}

#define SVC1 "11111111-1111-4111-8111-111111111111"
#define SVC2 "22222222-2222-4222-8222-222222222222"
#define SVC3 "33333333-3333-4333-8333-333333333333"
#define SVC4 "44444444-4444-4444-8444-444444444444"
#define ORG1 "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
#define ORG2 "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
#define ORG3 "cccccccc-cccc-4ccc-8ccc-cccccccccccc"

static const char *SETUP =
    "INSERT INTO municipality (gemeente, name, created_at) VALUES ('9999', 'Testgemeente', 0), ('8888', 'Andere', 0);"
    "INSERT INTO account (id, gemeente, username, display_name, email, role, password_hash, created_at, updated_at)"
    " VALUES (1, '9999', 'wandel', 'Wim Wandel', 'wim@wandel.example', 'community', 'x', 0, 0),"
    " (2, '9999', 'zorg', 'Zora Zorg', '', 'provider', 'x', 0, 0),"
    " (3, '9999', 'beleid', 'Bea Beleid', 'bea@gemeente.example', 'policy', 'x', 0, 0),"
    " (4, '9999', 'inwoner', 'Ina Inwoner', '', 'resident', 'x', 0, 0),"
    " (5, '8888', 'elders', 'Eli Elders', '', 'community', 'x', 0, 0),"
    " (6, '9999', 'koor', 'Kees Koor', '', 'community', 'x', 0, 0);"
    "INSERT INTO hsds_organization (id, gemeente, name, description) VALUES"
    " ('" ORG1 "', '9999', 'Wandelvereniging Één', 'Wandelen'),"
    " ('" ORG2 "', '9999', 'Zorggroep De Linde', 'Zorg'),"
    " ('" ORG3 "', '8888', 'Wandelclub Elders', 'Elders');"
    "INSERT INTO hsds_service (id, gemeente, organization_id, name, description, status, assured_date,"
    " assurer_email, minimum_age) VALUES"
    " ('" SVC1 "', '9999', '" ORG1 "', 'Wandelen op dinsdag', 'Samen wandelen', 'active', '2026-07-01',"
    " 'kaart@gemeente.example', '18'),"
    " ('" SVC2 "', '9999', '" ORG1 "', 'Avondwandeling', NULL, 'active', '2026-07-01', NULL, NULL),"
    " ('" SVC3 "', '9999', '" ORG2 "', 'Inloop dagbesteding', 'Koffie', 'active', '2026-07-01', NULL, NULL),"
    " ('" SVC4 "', '8888', '" ORG3 "', 'Wandelen elders', 'Elders', 'active', '2026-07-01', NULL, NULL);"
    "INSERT INTO hsds_phone (id, gemeente, service_id, number, type) VALUES"
    " ('p1111111-0000-4000-8000-000000000001', '9999', '" SVC1 "', '0570-111111', 'voice');"
    "INSERT INTO hsds_language (id, gemeente, service_id, phone_id, name, code) VALUES"
    " ('l1111111-0000-4000-8000-000000000001', '9999', '" SVC1 "', 'p1111111-0000-4000-8000-000000000001',"
    " 'Nederlands', 'nl');"
    "INSERT INTO hsds_schedule (id, gemeente, service_id, freq, interval, byday, opens_at, closes_at, description)"
    " VALUES ('s1111111-0000-4000-8000-000000000001', '9999', '" SVC1 "', 'WEEKLY', '1', 'TU', '10:00', '11:30',"
    " 'Wekelijks van 10:00 tot 11:30'),"
    " ('s3333333-0000-4000-8000-000000000003', '9999', '" SVC3 "', 'MONTHLY', '1', '1SA', '10:00', '13:00',"
    " 'Maandelijks van 10:00 tot 13:00');";

static int64_t T0; /* 2026-07-15 10:00 UTC */

static int64_t meta_count(db_t *db)
{
    return scalar(db, "SELECT count(*) FROM hsds_metadata", NULL);
}

static void test_claims(db_t *db)
{
    json_t *e = json_object();
    struct listing_owner o;
    CHECK(listing_owner(db, "9999", SVC1, &o) == 1 && !o.is_org && strcmp(o.org_id, ORG1) == 0,
          "[%s] nobody speaks for the organisation: the municipality owns the listing", g_backend);
    CHECK(listing_owner(db, "9999", SVC4, &o) == 0, "another municipality's service is not found");

    CHECK(listing_claim(db, "9999", 4, ORG1, "Ik ben lid", T0, e) == LST_E_NOT_FOUND,
          "a resident cannot speak for an organisation");
    CHECK(listing_claim(db, "9999", 5, ORG1, "Elders", T0, e) == LST_E_NOT_FOUND, "nor an account of another municipality");
    json_object_clear(e);
    CHECK(listing_claim(db, "9999", 1, ORG1, "   ", T0, e) == LST_E_INVALID && json_object_get(e, "motivation"),
          "a motivation is required");
    json_object_clear(e);
    char long_text[1100];
    memset(long_text, 'a', 1001);
    long_text[1001] = '\0';
    CHECK(listing_claim(db, "9999", 1, ORG1, long_text, T0, e) == LST_E_INVALID && json_object_get(e, "motivation"),
          "at most 1000 characters");
    json_object_clear(e);
    CHECK(listing_claim(db, "9999", 1, ORG3, "Secretaris", T0, e) == LST_E_INVALID && json_object_get(e, "organization"),
          "an organisation of another municipality is refused");
    json_object_clear(e);
    CHECK(listing_claim(db, "9999", 1, "", "Secretaris", T0, e) == LST_E_INVALID && json_object_get(e, "organization"),
          "an organisation must be chosen");
    CHECK(scalar(db, "SELECT count(*) FROM org_member", NULL) == 0, "nothing stored by refused claims");

    json_object_clear(e);
    CHECK(listing_claim(db, "9999", 1, ORG1, "  Secretaris van de vereniging.\r\nTweede regel ", T0, e) == LST_OK,
          "the walking club claims its organisation");
    json_t *c = listing_claim_get(db, "9999", 1);
    CHECK(c && strcmp(json_string_value(json_object_get(c, "status")), "aangevraagd") == 0, "waiting");
    CHECK_STR(json_string_value(json_object_get(c, "motivation")), "Secretaris van de vereniging.\nTweede regel",
              "the motivation is trimmed, line ends normalised");
    CHECK_STR(json_string_value(json_object_get(c, "organization_name")), "Wandelvereniging Één", "with its name");
    json_decref(c);
    CHECK(listing_claim(db, "9999", 1, ORG2, "Nog een", T0, e) == LST_E_STATE, "one claim at a time");
    CHECK(listing_claim(db, "9999", 2, ORG2, "Zorggroep", T0, e) == LST_OK, "the provider claims too");
    CHECK(listing_claim(db, "9999", 6, ORG1, "Ook lid", T0 + 5, e) == LST_OK,
          "several accounts may speak for one organisation");

    json_t *w = listing_claims_waiting(db, "9999");
    CHECK(w && json_array_size(w) == 3, "three claims wait");
    CHECK(w && json_integer_value(json_object_get(json_array_get(w, 0), "account_id")) == 1 &&
              strcmp(json_string_value(json_object_get(json_array_get(w, 0), "username")), "wandel") == 0,
          "oldest first, with the account");
    json_decref(w);
    w = listing_claims_waiting(db, "8888");
    CHECK(w && json_array_size(w) == 0, "none in the other municipality");
    json_decref(w);

    struct listing_actor a;
    CHECK(listing_actor_load(db, "9999", 1, 1, &a) == LST_E_NOT_FOUND, "no approved claim: no organisation actor");

    json_object_clear(e);
    CHECK(listing_claim_decide(db, "9999", 1, 3, 0, "  ", T0, e) == LST_E_INVALID && json_object_get(e, "reason"),
          "a refusal needs a reason");
    CHECK(listing_claim_decide(db, "8888", 1, 3, 1, NULL, T0, e) == LST_E_NOT_FOUND,
          "kaartbeheer of another municipality does not find the claim");
    CHECK(listing_claim_decide(db, "9999", 99, 3, 1, NULL, T0, e) == LST_E_NOT_FOUND, "no such claim");
    json_object_clear(e);
    CHECK(listing_claim_decide(db, "9999", 1, 3, 0, "Wij kennen u niet als bestuurslid.", T0 + 10, e) == LST_OK,
          "refused with a reason");
    c = listing_claim_get(db, "9999", 1);
    CHECK(c && strcmp(json_string_value(json_object_get(c, "status")), "afgewezen") == 0 &&
              strcmp(json_string_value(json_object_get(c, "reason")), "Wij kennen u niet als bestuurslid.") == 0,
          "the refusal and its reason are kept");
    json_decref(c);
    CHECK(listing_claim_decide(db, "9999", 1, 3, 1, NULL, T0, e) == LST_E_STATE, "a decided claim cannot be decided again");
    CHECK(listing_claim(db, "9999", 1, ORG1, "Ik ben de nieuwe secretaris.", T0 + 20, e) == LST_OK,
          "after a refusal the account may ask again");
    c = listing_claim_get(db, "9999", 1);
    CHECK(c && strcmp(json_string_value(json_object_get(c, "status")), "aangevraagd") == 0 &&
              strcmp(json_string_value(json_object_get(c, "reason")), "") == 0 &&
              json_is_null(json_object_get(c, "decided_at")),
          "the new claim waits again, without the old refusal");
    json_decref(c);
    CHECK(listing_claim_decide(db, "9999", 1, 3, 1, "", T0 + 30, e) == LST_OK, "approved");
    CHECK(listing_claim(db, "9999", 1, ORG2, "Overstappen", T0, e) == LST_E_STATE, "an approved member cannot claim again");
    CHECK(scalar(db, "SELECT decided_by FROM org_member WHERE account_id = 1", NULL) == 3, "who decided is kept");

    CHECK(listing_owner(db, "9999", SVC1, &o) == 1 && o.is_org && strcmp(o.org_name, "Wandelvereniging Één") == 0,
          "now the organisation owns its listings");
    CHECK(listing_owner(db, "9999", SVC3, &o) == 1 && !o.is_org, "a waiting claim does not make an owner");
    CHECK(listing_actor_load(db, "9999", 1, 1, &a) == LST_OK && strcmp(a.org_id, ORG1) == 0 &&
              strcmp(a.email, "wim@wandel.example") == 0,
          "the approved account acts for its organisation");

    json_t *found = listing_org_search(db, "9999", "wandelvereniging EEN", 10);
    CHECK(found && json_array_size(found) == 1 &&
              json_integer_value(json_object_get(json_array_get(found, 0), "services")) == 2,
          "organisations are found accent-insensitively, with their number of services");
    json_decref(found);
    found = listing_org_search(db, "9999", "wandel", 10);
    CHECK(found && json_array_size(found) == 1, "only the municipality's own organisations");
    json_decref(found);
    found = listing_org_search(db, "9999", "", 10);
    CHECK(found && json_array_size(found) == 0, "an empty search finds nothing");
    json_decref(found);
    json_decref(e);
}

static void test_maintain(db_t *db)
{
    struct listing_actor org, gem;
    listing_actor_load(db, "9999", 1, 1, &org);
    listing_actor_load(db, "9999", 3, 0, &gem);
    CHECK(listing_may_maintain(db, "9999", &org, SVC1) == LST_OK, "[%s] the organisation maintains its listing", g_backend);
    CHECK(listing_may_maintain(db, "9999", &org, SVC3) == LST_E_NOT_FOUND, "another organisation's listing: not found");
    CHECK(listing_may_maintain(db, "9999", &org, SVC4) == LST_E_NOT_FOUND, "another municipality's: not found");
    CHECK(listing_may_maintain(db, "9999", &org, "nope") == LST_E_NOT_FOUND, "an unknown id: not found");
    CHECK(listing_may_maintain(db, "9999", &gem, SVC1) == LST_E_STATE, "kaartbeheer leaves it to the organisation");
    CHECK(listing_may_maintain(db, "9999", &gem, SVC3) == LST_OK, "kaartbeheer maintains what nobody claimed");

    int64_t before = meta_count(db);
    int64_t t = T0 + 3600;
    CHECK(listing_confirm(db, "9999", &org, SVC3, t) == LST_E_NOT_FOUND, "confirming another's listing: not found");
    CHECK(meta_count(db) == before, "and nothing recorded");
    CHECK(listing_confirm(db, "9999", &org, SVC1, t) == LST_OK, "the organisation confirms");
    CHECK_STR(text(db, "SELECT assured_date FROM hsds_service WHERE id = ?", SVC1), "2026-07-15", "assured today");
    CHECK_STR(text(db, "SELECT assurer_email FROM hsds_service WHERE id = ?", SVC1), "wim@wandel.example",
              "by the account's address");
    CHECK_STR(text(db, "SELECT last_modified FROM hsds_service WHERE id = ?", SVC1), "2026-07-15T11:00:00Z",
              "last_modified in ISO 8601 UTC");
    CHECK(meta_count(db) == before + 1, "one metadata row");
    CHECK_STR(text(db, "SELECT last_action_type || '|' || field_name || '|' || previous_value || '|' ||"
                       " replacement_value || '|' || updated_by || '|' || resource_type || '|' || last_action_date"
                       " FROM hsds_metadata WHERE resource_id = ? ORDER BY id DESC LIMIT 1", SVC1),
              "confirm|assured_date|2026-07-01|2026-07-15|wandel|service|2026-07-15", "the confirmation row");
    CHECK(scalar(db, "SELECT count(*) FROM listing WHERE service_id = ? AND flagged_at IS NULL AND hidden_at IS NULL",
                 SVC1) == 1, "the listing row exists, not flagged");
    CHECK_STR(text(db, "SELECT CASE WHEN value <> '' THEN 'set' END FROM settings WHERE gemeente = '9999'"
                       " AND name = 'socialmap_version'", NULL), "set", "the search index is told (search_touch)");
    CHECK(listing_confirm(db, "9999", &gem, SVC3, t) == LST_OK, "kaartbeheer confirms a municipality listing");
    CHECK_STR(text(db, "SELECT assurer_email FROM hsds_service WHERE id = ?", SVC3), "bea@gemeente.example",
              "with its own address");
    struct listing_actor noaddr;
    listing_actor_load(db, "9999", 3, 0, &noaddr);
    noaddr.email[0] = '\0';
    set_assured(db, SVC3, "2026-01-01");
    exec_ok(db, "UPDATE hsds_service SET assurer_email = 'keep@example.org' WHERE id = '" SVC3 "'");
    CHECK(listing_confirm(db, "9999", &noaddr, SVC3, t) == LST_OK &&
              strcmp(text(db, "SELECT assurer_email FROM hsds_service WHERE id = ?", SVC3), "keep@example.org") == 0,
          "an account without an address keeps the assurer e-mail");
}

static void test_edit(db_t *db)
{
    struct listing_actor org;
    listing_actor_load(db, "9999", 1, 1, &org);
    int64_t t = T0 + 7200;
    json_t *e = json_object();
    struct listing_service_in bad = {.name = " ", .email = "geen-adres", .url = "javascript:alert(1)",
                                     .status = "open", .minimum_age = "130", .maximum_age = "x",
                                     .phone = "bel me", .opens_at = "25:00", .closes_at = "", .byday = "MO,XX"};
    int64_t before = meta_count(db);
    CHECK(listing_service_update(db, "9999", &org, SVC1, &bad, t, e) == LST_E_INVALID, "[%s] a bad edit is refused",
          g_backend);
    const char *fields[] = {"name", "email", "url", "status", "minimum_age", "maximum_age", "phone", "opens_at",
                            "closes_at", "byday"};
    int all = 1;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (!json_object_get(e, fields[i])) {
            all = 0;
            printf("# missing error for %s\n", fields[i]);
        }
    CHECK(all, "every bad field has its Dutch message");
    CHECK(meta_count(db) == before, "nothing recorded");
    CHECK_STR(text(db, "SELECT name FROM hsds_service WHERE id = ?", SVC1), "Wandelen op dinsdag", "nothing changed");

    json_object_clear(e);
    struct listing_service_in ages = {.name = "X", .status = "active", .minimum_age = "60", .maximum_age = "18",
                                      .byday = "TU"};
    CHECK(listing_service_update(db, "9999", &org, SVC1, &ages, t, e) == LST_E_INVALID &&
              json_object_get(e, "maximum_age"),
          "the highest age may not be below the lowest");
    json_object_clear(e);
    struct listing_service_in nodays = {.name = "X", .status = "active", .opens_at = "10:00", .closes_at = "11:00"};
    CHECK(listing_service_update(db, "9999", &org, SVC1, &nodays, t, e) == LST_E_INVALID && json_object_get(e, "byday"),
          "a weekly schedule needs days");

    json_object_clear(e);
    CHECK(listing_service_update(db, "9999", &org, SVC3, &nodays, t, e) == LST_E_NOT_FOUND,
          "editing another organisation's listing: not found (before any field check)");

    json_object_clear(e);
    set_assured(db, SVC1, "2025-01-01");
    exec_ok(db, "UPDATE listing SET flagged_at = 1, hidden_at = 2 WHERE service_id = '" SVC1 "'");
    struct listing_service_in good = {.name = "Wandelen op dinsdag en donderdag", .description = "Samen wandelen",
                                      .email = "", .url = "https://wandel.example/dinsdag", .status = "active",
                                      .fees_description = "", .minimum_age = "018", .maximum_age = "",
                                      .phone = "0570-222222", .opens_at = "9:30", .closes_at = "11:30",
                                      .byday = "TH,TU"};
    before = meta_count(db);
    CHECK(listing_service_update(db, "9999", &org, SVC1, &good, t, e) == LST_OK, "a good edit is saved");
    CHECK_STR(text(db, "SELECT name FROM hsds_service WHERE id = ?", SVC1), "Wandelen op dinsdag en donderdag", "name");
    CHECK_STR(text(db, "SELECT url FROM hsds_service WHERE id = ?", SVC1), "https://wandel.example/dinsdag", "url");
    CHECK_STR(text(db, "SELECT minimum_age FROM hsds_service WHERE id = ?", SVC1), "18", "an equal age is left alone");
    CHECK_STR(text(db, "SELECT email FROM hsds_service WHERE id = ?", SVC1), "(null)", "an empty field stays absent");
    CHECK_STR(text(db, "SELECT number FROM hsds_phone WHERE service_id = ?", SVC1), "0570-222222", "the phone number");
    CHECK_STR(text(db, "SELECT byday || ' ' || opens_at || ' ' || closes_at FROM hsds_schedule WHERE service_id = ?",
                   SVC1), "TU,TH 09:30 11:30", "the schedule: days in week order, canonical times");
    CHECK_STR(text(db, "SELECT description FROM hsds_schedule WHERE service_id = ?", SVC1),
              "Wekelijks op dinsdag en donderdag van 09:30 tot 11:30", "its description rewritten in Dutch");
    CHECK_STR(text(db, "SELECT assured_date FROM hsds_service WHERE id = ?", SVC1), "2026-07-15",
              "saving confirms the listing");
    CHECK(scalar(db, "SELECT count(*) FROM listing WHERE service_id = ? AND flagged_at IS NULL AND hidden_at IS NULL",
                 SVC1) == 1, "and releases it");
    /* name, url; phone number; schedule byday, opens_at, description (closes_at unchanged); confirm */
    CHECK(meta_count(db) == before + 7, "one metadata row per changed field and one for the confirmation (%lld)",
          (long long)(meta_count(db) - before));
    CHECK_STR(text(db, "SELECT previous_value || ' -> ' || replacement_value FROM hsds_metadata WHERE resource_id = ?"
                       " AND field_name = 'name'", SVC1),
              "Wandelen op dinsdag -> Wandelen op dinsdag en donderdag", "the name row: previous and replacement");
    CHECK_STR(text(db, "SELECT resource_type || ' ' || last_action_type || ' ' || previous_value || ' -> ' ||"
                       " replacement_value FROM hsds_metadata WHERE field_name = 'opens_at' AND resource_id ="
                       " 's1111111-0000-4000-8000-000000000001'", NULL),
              "schedule update 10:00 -> 09:30", "the schedule's row names the schedule");
    CHECK_STR(text(db, "SELECT resource_type || ' ' || last_action_type FROM hsds_metadata WHERE resource_id ="
                       " 'p1111111-0000-4000-8000-000000000001'", NULL), "phone update", "the phone's row");

    before = meta_count(db);
    CHECK(listing_service_update(db, "9999", &org, SVC1, &good, t + 60, e) == LST_OK, "saving again without changes");
    CHECK(meta_count(db) == before + 1, "records only the confirmation");

    /* the phone emptied: deleted, the language keeps its row */
    struct listing_service_in nophone = good;
    nophone.phone = "";
    before = meta_count(db);
    CHECK(listing_service_update(db, "9999", &org, SVC1, &nophone, t + 120, e) == LST_OK, "the phone number removed");
    CHECK(scalar(db, "SELECT count(*) FROM hsds_phone WHERE service_id = ?", SVC1) == 0, "the phone row is deleted");
    CHECK_STR(text(db, "SELECT COALESCE(phone_id, 'none') FROM hsds_language WHERE service_id = ?", SVC1), "none",
              "the language loses only its link");
    CHECK_STR(text(db, "SELECT last_action_type || ' ' || previous_value FROM hsds_metadata WHERE resource_type ="
                       " 'phone' ORDER BY id DESC LIMIT 1", NULL), "delete 0570-222222", "a delete row");
    CHECK(meta_count(db) == before + 3, "phone delete, language link and confirmation recorded");

    /* a new phone and a new schedule on a service without them */
    struct listing_service_in two = {.name = "Avondwandeling", .status = "temporarily closed", .phone = "06 12345678",
                                     .opens_at = "19:00", .closes_at = "20:00", .byday = "TH"};
    CHECK(listing_service_update(db, "9999", &org, SVC2, &two, t, e) == LST_OK, "a phone and a schedule are created");
    CHECK_STR(text(db, "SELECT number FROM hsds_phone WHERE service_id = ?", SVC2), "06 12345678", "new phone");
    CHECK_STR(text(db, "SELECT freq || ' ' || byday || ' ' || opens_at || ' ' || description FROM hsds_schedule"
                       " WHERE service_id = ?", SVC2), "WEEKLY TH 19:00 Wekelijks op donderdag van 19:00 tot 20:00",
              "new weekly schedule");
    CHECK_STR(text(db, "SELECT status FROM hsds_service WHERE id = ?", SVC2), "temporarily closed", "the HSDS status");
    CHECK(scalar(db, "SELECT count(*) FROM hsds_metadata WHERE last_action_type = 'create' AND resource_type IN"
                     " ('phone', 'schedule')", NULL) == 6, "create rows for the new phone and schedule fields");
    CHECK_STR(text(db, "SELECT previous_value || ' -> ' || replacement_value FROM hsds_metadata WHERE"
                       " last_action_type = 'create' AND resource_type = 'phone'", NULL), "(geen) -> 06 12345678",
              "a created value had none before: \"(geen)\", never empty (HSDS requires both values)");

    /* a monthly schedule: only its times */
    struct listing_actor gem;
    listing_actor_load(db, "9999", 3, 0, &gem);
    struct listing_service_in monthly = {.name = "Inloop dagbesteding", .description = "Koffie", .status = "active",
                                         .opens_at = "10:00", .closes_at = "14:00"};
    json_object_clear(e);
    CHECK(listing_service_update(db, "9999", &gem, SVC3, &monthly, t, e) == LST_OK,
          "kaartbeheer edits a municipality listing with a monthly schedule (no days asked)");
    CHECK_STR(text(db, "SELECT byday || ' ' || closes_at || ' ' || description FROM hsds_schedule WHERE service_id = ?",
                   SVC3), "1SA 14:00 Maandelijks op de eerste zaterdag van 10:00 tot 14:00",
              "the monthly days are kept");

    json_t *h = listing_history(db, "9999", SVC1, 100);
    CHECK(h && json_array_size(h) == 9, "the change log of the service, its phone and schedule");
    json_t *first = json_array_get(h, 0);
    CHECK(first && strcmp(json_string_value(json_object_get(first, "action")), "confirm") == 0,
          "newest first: the last confirmation");
    int has_sched = 0, has_phone = 0;
    size_t i;
    json_t *r;
    json_array_foreach(h, i, r) {
        has_sched |= strcmp(json_string_value(json_object_get(r, "resource_type")), "schedule") == 0;
        has_phone |= strcmp(json_string_value(json_object_get(r, "resource_type")), "phone") == 0;
    }
    CHECK(has_sched && !has_phone, "with the schedule's rows (the deleted phone's rows stay in the export)");
    CHECK(json_is_integer(json_object_get(first, "ms")), "each row knows its time from its id");
    json_decref(h);
    json_decref(e);
}

static void test_lists(db_t *db)
{
    json_t *l = listing_services_of_org(db, "9999", ORG1);
    CHECK(l && json_array_size(l) == 2, "[%s] the organisation's two services", g_backend);
    CHECK(l && strcmp(json_string_value(json_object_get(json_array_get(l, 0), "name")), "Avondwandeling") == 0,
          "by name");
    json_decref(l);
    json_t *s = listing_service_get(db, "9999", SVC1);
    CHECK(s && json_is_true(json_object_get(s, "owner_is_org")) &&
              json_is_true(json_object_get(json_object_get(s, "schedule"), "weekly")),
          "one listing with its owner and weekly schedule");
    json_decref(s);
    s = listing_service_get(db, "9999", SVC3);
    CHECK(s && !json_is_true(json_object_get(json_object_get(s, "schedule"), "weekly")), "a monthly one is not weekly");
    json_decref(s);
    CHECK(listing_service_get(db, "9999", SVC4) == NULL, "another municipality's: none");
}

static void test_job(db_t *db)
{
    char detail[300];
    struct listing_run r;
    day_t today = D("2026-07-15");
    /* a clean start: every listing current */
    exec_ok(db, "UPDATE hsds_service SET assured_date = '2026-07-01'");
    exec_ok(db, "DELETE FROM listing");
    int64_t meta0 = meta_count(db);
    CHECK(listing_currency_slice(db, T0, 6, 12, 5000, &r, detail, sizeof detail) == 0 && r.added == 4 && !r.flagged &&
              !r.hidden, "[%s] the first run adds a listing row per service (%s)", g_backend, detail);
    CHECK(scalar(db, "SELECT count(*) FROM listing", NULL) == 4, "four listing rows");

    set_assured(db, SVC1, F(today - 200));                     /* ~6.5 months: flag */
    set_assured(db, SVC2, "2025-06-01");                      /* > 12 months: hide */
    set_assured(db, SVC3, "2026-01-15T08:00:00Z");            /* exactly 6 months: current */
    CHECK(listing_currency_slice(db, T0, 6, 12, 5000, &r, detail, sizeof detail) == 0, "a run: %s", detail);
    CHECK(r.flagged == 1 && r.hidden == 1 && r.added == 0, "one flagged, one hidden (%s)", detail);
    CHECK(scalar(db, "SELECT count(*) FROM listing WHERE service_id = ? AND flagged_at IS NOT NULL AND hidden_at IS NULL",
                 SVC1) == 1, "flagged: not confirmed for 6 months");
    CHECK(scalar(db, "SELECT count(*) FROM listing WHERE service_id = ? AND hidden_at IS NOT NULL AND flagged_at IS NOT"
                     " NULL", SVC2) == 1, "hidden (and flagged) after 12 months");
    CHECK(scalar(db, "SELECT count(*) FROM listing WHERE service_id = ? AND flagged_at IS NULL", SVC3) == 1,
          "a date-time exactly 6 months ago is not yet old");
    CHECK(meta_count(db) == meta0 + 1, "one metadata row: the hiding");
    CHECK_STR(text(db, "SELECT last_action_type || '|' || field_name || '|' || previous_value || '|' ||"
                       " replacement_value || '|' || updated_by FROM hsds_metadata WHERE resource_id = ?"
                       " ORDER BY id DESC LIMIT 1", SVC2), "update|kantel:hidden|false|true|Kantel", "the hide row");
    int f = 0, hd = 0;
    CHECK(listing_counts(db, "9999", &f, &hd) == 0 && f == 1 && hd == 1, "counts: 1 flagged, 1 hidden");
    int total = 0;
    json_t *ov = listing_overview(db, "9999", LISTING_ASK, "", 0, 50, &total);
    CHECK(ov && total == 2 && json_array_size(ov) == 2, "kaartbeheer's overview: the two that ask attention");
    json_decref(ov);
    ov = listing_overview(db, "9999", LISTING_ONLY_HIDDEN, NULL, 0, 50, &total);
    CHECK(ov && total == 1 && strcmp(json_string_value(json_object_get(json_array_get(ov, 0), "id")), SVC2) == 0,
          "only hidden");
    json_decref(ov);
    ov = listing_overview(db, "9999", LISTING_ALL, "wandelvereniging", 0, 50, &total);
    CHECK(ov && total == 2, "all, searched by the organisation's name");
    json_decref(ov);
    ov = listing_overview(db, "9999", LISTING_ALL, "", 1, 1, &total);
    CHECK(ov && total == 3 && json_array_size(ov) == 1 &&
              strcmp(json_string_value(json_object_get(json_array_get(ov, 0), "name")), "Inloop dagbesteding") == 0,
          "paged: the second of three by name");
    json_decref(ov);

    int64_t meta1 = meta_count(db);
    CHECK(listing_currency_slice(db, T0 + 3600, 6, 12, 5000, &r, detail, sizeof detail) == 0 && !r.flagged &&
              !r.hidden && !r.released && !r.added, "a second run changes nothing (%s)", detail);
    CHECK(meta_count(db) == meta1, "and records nothing");
    CHECK(scalar(db, "SELECT flagged_at FROM listing WHERE service_id = ?", SVC1) == T0, "the flag keeps its time");

    /* the organisation confirms the hidden one: visible at once */
    struct listing_actor org;
    listing_actor_load(db, "9999", 1, 1, &org);
    CHECK(listing_confirm(db, "9999", &org, SVC2, T0 + 7200) == LST_OK, "the organisation confirms the hidden listing");
    CHECK(scalar(db, "SELECT count(*) FROM listing WHERE service_id = ? AND flagged_at IS NULL AND hidden_at IS NULL",
                 SVC2) == 1, "released by the confirmation");
    CHECK(listing_currency_slice(db, T0 + 7300, 6, 12, 5000, &r, detail, sizeof detail) == 0 && !r.hidden && !r.flagged,
          "the next run leaves it alone");

    /* an import refreshes the date of a hidden listing: the job releases it */
    set_assured(db, SVC2, "2024-01-01");
    listing_currency_slice(db, T0, 6, 12, 5000, &r, detail, sizeof detail);
    CHECK(r.hidden == 1, "hidden again after its date went back");
    set_assured(db, SVC2, "2026-07-10");
    meta1 = meta_count(db);
    CHECK(listing_currency_slice(db, T0, 6, 12, 5000, &r, detail, sizeof detail) == 0 && r.released == 1,
          "a recent date again: released (%s)", detail);
    CHECK(scalar(db, "SELECT count(*) FROM listing WHERE service_id = ? AND flagged_at IS NULL AND hidden_at IS NULL",
                 SVC2) == 1, "neither flagged nor hidden");
    CHECK(meta_count(db) == meta1 + 1 &&
              strcmp(text(db, "SELECT previous_value || '>' || replacement_value FROM hsds_metadata WHERE resource_id = ?"
                              " ORDER BY id DESC LIMIT 1", SVC2), "true>false") == 0,
          "the release is recorded");
    /* a longer flag period (configuration): the flag is lifted */
    CHECK(listing_currency_slice(db, T0, 9, 12, 5000, &r, detail, sizeof detail) == 0 && r.released == 1 &&
              scalar(db, "SELECT count(*) FROM listing WHERE service_id = ? AND flagged_at IS NULL", SVC1) == 1,
          "with 9 months the 6.5-month-old listing is current again");

    /* no assured date: the clock starts at seen_at */
    set_assured(db, SVC1, "2026-07-01");
    exec_ok(db, "UPDATE hsds_service SET assured_date = NULL WHERE id = '" SVC3 "'");
    char sql[400];
    snprintf(sql, sizeof sql, "UPDATE listing SET seen_at = %lld WHERE service_id = '" SVC3 "'",
             (long long)(T0 - 250LL * 86400));
    exec_ok(db, sql);
    CHECK(listing_currency_slice(db, T0, 6, 12, 5000, &r, detail, sizeof detail) == 0 && r.flagged == 1 &&
              scalar(db, "SELECT count(*) FROM listing WHERE service_id = ? AND flagged_at IS NOT NULL", SVC3) == 1,
          "a listing without assured date seen 250 days ago is flagged");

    /* bounded slices */
    exec_ok(db, "UPDATE hsds_service SET assured_date = '2026-07-01'");
    listing_currency_slice(db, T0, 6, 12, 5000, &r, detail, sizeof detail);
    for (int k = 0; k < 5; k++) {
        snprintf(sql, sizeof sql, "INSERT INTO hsds_service (id, gemeente, organization_id, name, status, assured_date)"
                                  " VALUES ('slice-%d', '9999', '" ORG2 "', 'Oud %d', 'active', '2025-12-01')", k, k);
        exec_ok(db, sql);
    }
    int adds[4], flags[4];
    for (int k = 0; k < 4; k++) {
        listing_currency_slice(db, T0, 6, 12, 2, &r, detail, sizeof detail);
        adds[k] = r.added;
        flags[k] = r.flagged;
    }
    CHECK(adds[0] == 2 && adds[1] == 2 && adds[2] == 1 && adds[3] == 0, "new listing rows at most 2 per run: %d %d %d %d",
          adds[0], adds[1], adds[2], adds[3]);
    CHECK(flags[0] == 2 && flags[1] == 2 && flags[2] == 1 && flags[3] == 0, "flags at most 2 per run: %d %d %d %d",
          flags[0], flags[1], flags[2], flags[3]);
    CHECK(scalar(db, "SELECT count(*) FROM listing WHERE flagged_at IS NOT NULL", NULL) == 5, "all five flagged in the end");
    CHECK(listing_currency_run(db, T0, 6, 12, detail, sizeof detail) == 0 && strstr(detail, "0 flagged"),
          "the job entry point: %s", detail);
    CHECK(scalar(db, "SELECT count(*) FROM listing l JOIN hsds_service s ON s.id = l.service_id"
                     " WHERE l.gemeente <> s.gemeente", NULL) == 0, "each listing row in its service's municipality");
    CHECK(scalar(db, "SELECT count(*) FROM hsds_metadata WHERE previous_value = '' OR replacement_value = ''"
                     " OR previous_value IS NULL OR replacement_value IS NULL OR updated_by = ''"
                     " OR last_action_date NOT LIKE '____-__-__'", NULL) == 0,
          "every metadata row has the values HSDS requires, and a date");
}

static void run_db(const char *target)
{
    char err[300] = "";
    db_t *db = NULL;
    if (db_open(target, &db, err, sizeof err) != DB_OK || db_migrate(db, err, sizeof err) < 0) {
        CHECK(0, "[%s] database: %s", g_backend, err);
        if (db) db_close(db);
        return;
    }
    exec_ok(db, SETUP);
    test_claims(db);
    test_maintain(db);
    test_edit(db);
    test_lists(db);
    test_job(db);
    db_close(db);
}

int main(void)
{
    T0 = (int64_t)D("2026-07-15") * 86400 + 10 * 3600;
    test_months();
    test_effective();
    test_uuid();

    char path[] = "/tmp/kantel-test-listing-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 2;
    close(fd);
    unlink(path);
    char target[80];
    snprintf(target, sizeof target, "sqlite:%s", path);
    run_db(target);
    char side[100];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);

    const char *pg = getenv("KANTEL_TEST_PG");
    if (pg && *pg) {
        char name[64], admin[300], err[256] = "", sql[200], pgt[400];
        snprintf(name, sizeof name, "kantel_unit_listing_%ld", (long)getpid());
        snprintf(admin, sizeof admin, "%s/postgres", pg);
        db_t *a = NULL;
        CHECK(db_open(admin, &a, err, sizeof err) == DB_OK, "connect to the test server: %s", err);
        if (!a) return t_done();
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
        db_exec(a, sql);
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
        CHECK(db_exec(a, sql) == DB_OK, "create database %s: %s", name, db_errmsg(a));
        g_backend = "postgres";
        snprintf(pgt, sizeof pgt, "%s/%s", pg, name);
        run_db(pgt);
        snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", name);
        CHECK(db_exec(a, sql) == DB_OK, "drop database %s: %s", name, db_errmsg(a));
        db_close(a);
    }
    return t_done();
}
