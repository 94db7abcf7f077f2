/*
 * test_search.c - the in-memory search of the sociale kaart (domain/search.h)
 * on a small HSDS fixture in a fresh database: accent-insensitive prefix and
 * compound text, AND of words, relevance order, life domains, age bounds and
 * age groups, radius, opening times and meeting days, free of charge, term
 * filter, paging, what is left out (hidden listings, inactive services), the
 * Dutch schedule and cost texts, the process-wide cache with search_touch,
 * hostile query text, and the demo catalogue. Runs on SQLite and, when
 * KANTEL_TEST_PG=postgresql://user@host:port names a server (as scripts/check
 * does), again on a fresh PostgreSQL database there.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/demo_socialmap.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/geo.h"
#include "domain/search.h"
#include "domain/socialmap.h"
#include "hsds/hsds.h"
#include "test.h"

#define GM      "0001"
#define GM_DEMO "0002"

static const char *g_backend = "sqlite";

/* Origin of the distance tests, and points north of it. */
#define O_LAT 520907000LL
#define O_LON 51214000LL

static void die(db_t *db, const char *what)
{
    printf("not ok - setup: %s: %s\n", what, db_errmsg(db));
    exit(1);
}

/* Runs sql with the given text parameters (NULL binds NULL). */
static void run(db_t *db, const char *sql, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    db_stmt_t *st = db_prepare(db, sql);
    for (int i = 0; i < n; i++) db_bind_text(st, i + 1, va_arg(ap, const char *));
    va_end(ap);
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) die(db, sql);
}

static void org(db_t *db, const char *id, const char *name)
{
    run(db, "INSERT INTO hsds_organization (id, gemeente, name) VALUES (?, ?, ?)", 3, id, GM, name);
}

static void service(db_t *db, const char *id, const char *org_id, const char *name, const char *desc,
                    const char *status, const char *min_age, const char *max_age, const char *fees)
{
    run(db,
        "INSERT INTO hsds_service (id, gemeente, organization_id, name, description, status, minimum_age,"
        " maximum_age, fees_description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        9, id, GM, org_id, name, desc, status, min_age, max_age, fees);
}

/* A location dnorth_m metres north of the origin (or without coordinates
 * when dnorth_m < 0), linked to the service. */
static void location(db_t *db, const char *svc, const char *sal, int dnorth_m, const char *street)
{
    char lid[64], aid[64], lat[16], lon[16];
    snprintf(lid, sizeof lid, "loc-%s", sal);
    snprintf(aid, sizeof aid, "addr-%s", sal);
    int64_t dlat = (int64_t)((double)dnorth_m / (6371008.8 * 3.14159265358979323846 / 180.0) * 1e7 + 0.5);
    geo_format_e7(O_LAT + dlat, lat);
    geo_format_e7(O_LON, lon);
    run(db, "INSERT INTO hsds_location (id, gemeente, name, latitude, longitude) VALUES (?, ?, ?, ?, ?)", 5, lid, GM,
        "Buurthuis", dnorth_m < 0 ? NULL : lat, dnorth_m < 0 ? NULL : lon);
    run(db, "INSERT INTO hsds_service_at_location (id, gemeente, service_id, location_id) VALUES (?, ?, ?, ?)", 4, sal,
        GM, svc, lid);
    if (street)
        run(db,
            "INSERT INTO hsds_address (id, gemeente, location_id, address_1, postal_code, city, address_type)"
            " VALUES (?, ?, ?, ?, '1234ab', 'Kantelstad', 'physical')",
            4, aid, GM, lid, street);
}

static void schedule(db_t *db, const char *id, const char *svc, const char *sal, const char *freq, const char *byday,
                     const char *opens, const char *closes, const char *desc)
{
    run(db,
        "INSERT INTO hsds_schedule (id, gemeente, service_id, service_at_location_id, freq, byday, opens_at,"
        " closes_at, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        9, id, GM, svc, sal, freq, byday, opens, closes, desc);
}

static void cost(db_t *db, const char *id, const char *svc, const char *amount, const char *desc)
{
    run(db,
        "INSERT INTO hsds_cost_option (id, gemeente, service_id, currency, amount, amount_description)"
        " VALUES (?, ?, ?, 'EUR', ?, ?)",
        5, id, GM, svc, amount, desc);
}

static void term(db_t *db, const char *attr_id, const char *svc, const char *code)
{
    char tid[37];
    socialmap_term_id(code, tid);
    run(db,
        "INSERT INTO hsds_attribute (id, gemeente, link_id, taxonomy_term_id, link_type, link_entity)"
        " VALUES (?, ?, ?, ?, 'kantel', 'service')",
        4, attr_id, GM, svc, tid);
}

static void fixture(db_t *db)
{
    run(db, "INSERT INTO municipality (gemeente, name, created_at) VALUES (?, 'Testgemeente', 0)", 1, GM);
    run(db, "INSERT INTO municipality (gemeente, name, created_at) VALUES (?, 'Demogemeente', 0)", 1, GM_DEMO);
    if (db_begin(db) != DB_OK) die(db, "begin");
    if (socialmap_taxonomy_ensure(db, GM) != 0) die(db, "taxonomy");
    org(db, "o-bieb", "Bibliotheek Kantelstad");
    org(db, "o-wandel", "Wandelvereniging Oost");
    org(db, "o-koor", "Zangvereniging");

    /* s1: compound name, from 16, free (cost 0), Tuesdays, 1.9 km */
    service(db, "s1", "o-bieb", "Taalcafé Centrum", "Nederlands oefenen met vrijwilligers.", "active", "16", NULL,
            NULL);
    location(db, "s1", "sal-1", 1900, "Dorpsstraat 1");
    schedule(db, "sch-1", NULL, "sal-1", "WEEKLY", "TU", "10:00", "11:30", "Dinsdagochtend");
    cost(db, "c-1", "s1", "0", "Geen kosten");
    term(db, "a-1", "s1", "levensdomein/maatschappelijke_participatie");
    term(db, "a-2", "s1", "trede/4");

    /* s2: name prefix "wandel", older people only (age group), 2.50, Wednesdays, 2.1 km */
    service(db, "s2", "o-wandel", "Wandelclub De Horst", "Samen wandelen in de wijk.", "", NULL, NULL, NULL);
    location(db, "s2", "sal-2", 2100, "Molenweg 5");
    schedule(db, "sch-2", "s2", NULL, "WEEKLY", "WE", "09:00", "10:00", NULL);
    cost(db, "c-2", "s2", "2.50", "per keer");
    term(db, "a-3", "s2", "levensdomein/lichamelijke_gezondheid");
    term(db, "a-4", "s2", "levensdomein/sociaal_netwerk");
    term(db, "a-5", "s2", "leeftijd/ouderen");
    term(db, "a-6", "s2", "trede/5");

    /* s3: "wandel" only in the description, up to 12 (garbage minimum),
     * free by fees_description, first Saturday of the month, 0.5 km */
    service(db, "s3", "o-koor", "Buurtkoor", "Zingen, ook voor wie graag wandelt.", NULL, "jong", "12", "Gratis");
    location(db, "s3", "sal-3", 500, NULL);
    schedule(db, "sch-3", "s3", NULL, "MONTHLY", "1SA", "10:00", "13:00", NULL);
    term(db, "a-7", "s3", "levensdomein/geestelijke_gezondheid");

    /* s4: inactive; s5: hidden listing */
    service(db, "s4", "o-bieb", "Taalcafé Oud", "Wandelen", "inactive", NULL, NULL, NULL);
    service(db, "s5", "o-wandel", "Verborgen wandeling", "Wandelen", "active", NULL, NULL, NULL);
    run(db, "INSERT INTO listing (service_id, gemeente, seen_at, hidden_at) VALUES ('s5', ?, 0, 1)", 1, GM);
    run(db, "INSERT INTO listing (service_id, gemeente, seen_at) VALUES ('s2', ?, 0)", 1, GM);

    /* s6: the whole word "wandel" in the name, another taxonomy's term, a
     * schedule that cannot be evaluated, no location, nothing about costs */
    service(db, "s6", "o-koor", "Wandel Café", "Koffie na afloop.", "active", NULL, NULL, NULL);
    run(db, "INSERT INTO hsds_taxonomy (id, gemeente, name) VALUES ('tax-other', ?, 'Eigen')", 1, GM);
    run(db,
        "INSERT INTO hsds_taxonomy_term (id, gemeente, code, name, taxonomy_id) VALUES ('term-other', ?,"
        " 'levensdomein/financien', 'Buurthuiswerk', 'tax-other')",
        1, GM);
    run(db,
        "INSERT INTO hsds_attribute (id, gemeente, link_id, taxonomy_term_id, link_type, link_entity)"
        " VALUES ('a-8', ?, 's6', 'term-other', 'eigen', 'service')",
        1, GM);
    schedule(db, "sch-6", "s6", NULL, NULL, NULL, NULL, NULL, "Op afspraak");

    /* s7: 18..64 and the volwassenen group; one free and one unreadable cost
     * option (not free); Mondays and Thursdays */
    service(db, "s7", "o-bieb", "Spreekuur", "Hulp bij formulieren.", "active", "18", "64", NULL);
    location(db, "s7", "sal-7", -1, "Kerkplein 3");
    schedule(db, "sch-7", "s7", NULL, "WEEKLY", "MO,TH", "10:00", "11:00", NULL);
    schedule(db, "sch-7b", "s7", NULL, "WEEKLY", "FR", "22:00", "02:00", "Nachtloket");
    cost(db, "c-7a", "s7", "0", NULL);
    cost(db, "c-7b", "s7", NULL, "Vraag naar de kosten");
    term(db, "a-9", "s7", "leeftijd/jongvolwassenen");
    term(db, "a-10", "s7", "leeftijd/volwassenen");
    if (db_commit(db) != DB_OK) die(db, "commit");
}

/* ---- helpers ------------------------------------------------------------------ */

static struct search_query Q(const char *text) {
    struct search_query q = {.text = text, .age = -1, .limit = SEARCH_MAX_LIMIT};
    return q;
}

/* The ids of the hits, comma-separated, into out. */
static const char *
ids(const search_index_t *ix, const struct search_query *q, int *total)
{
    static char out[512];
    struct search_result r;
    out[0] = '\0';
    int rc = search_run(ix, q, &r);
    if (total) *total = r.total;
    if (rc != 0) return "(refused)";
    for (int i = 0; i < r.n; i++) {
        size_t len = strlen(out);
        snprintf(out + len, sizeof out - len, "%s%s", i ? "," : "", search_service_at(ix, r.hits[i].service)->id);
    }
    return out;
}

static const char *text_ids(const search_index_t *ix, const char *text)
{
    struct search_query q = Q(text);
    return ids(ix, &q, NULL);
}

static const struct search_service *svc(const search_index_t *ix, const char *id)
{
    return search_service_at(ix, search_find(ix, id));
}

/* ---- tests -------------------------------------------------------------------- */

static void test_contents(const search_index_t *ix)
{
    CHECK(search_index_count(ix) == 5, "[%s] 5 services indexed (inactive and hidden left out): %d", g_backend,
          search_index_count(ix));
    CHECK(search_find(ix, "s4") < 0 && search_find(ix, "s5") < 0, "inactive and hidden services are not found");
    CHECK(search_find(ix, "nope") < 0 && search_find(ix, NULL) < 0 && search_service_at(ix, 99) == NULL &&
              search_service_at(ix, -1) == NULL,
          "unknown ids and indexes");
    const struct search_service *s = svc(ix, "s2");
    CHECK(s != NULL, "search_find s2");
    if (!s) return;
    CHECK_STR(s->name, "Wandelclub De Horst", "name");
    CHECK_STR(s->org_name, "Wandelvereniging Oost", "organisation name");
    CHECK(s->domains == (search_domain_bit("lichamelijke_gezondheid") | search_domain_bit("sociaal_netwerk")),
          "life domains from the Kantel terms");
    CHECK(s->level == 5 && svc(ix, "s1")->level == 4 && svc(ix, "s3")->level == 0, "ladder level");
    CHECK_STR(s->schedule_text,
              "elke woensdag 09:00\xe2\x80\x93"
              "10:00",
              "weekly schedule text");
    CHECK_STR(svc(ix, "s1")->schedule_text,
              "elke dinsdag 10:00\xe2\x80\x93"
              "11:30",
              "schedule of the service_at_location");
    CHECK_STR(svc(ix, "s3")->schedule_text,
              "elke eerste zaterdag van de maand 10:00\xe2\x80\x93"
              "13:00",
              "monthly schedule text");
    CHECK_STR(svc(ix, "s7")->schedule_text,
              "elke maandag en donderdag 10:00\xe2\x80\x93"
              "11:00",
              "two weekdays");
    CHECK_STR(svc(ix, "s6")->schedule_text, "Op afspraak", "a schedule without rule shows its description");
    CHECK_STR(s->cost_text, "\xe2\x82\xac 2,50 per keer", "cost text with amount_description");
    CHECK(!s->is_free, "2.50 is not free");
    CHECK(svc(ix, "s1")->is_free && !strcmp(svc(ix, "s1")->cost_text, "Gratis"), "a cost option of 0 is free");
    CHECK(svc(ix, "s3")->is_free, "fees_description 'Gratis' without cost options is free");
    CHECK(!svc(ix, "s7")->is_free, "a cost option without an amount next to 0 is not free");
    CHECK(!svc(ix, "s6")->is_free && !strcmp(svc(ix, "s6")->cost_text, ""), "nothing known about costs");
    CHECK(svc(ix, "s1")->min_age == 16 && svc(ix, "s1")->max_age == -1, "minimum age");
    CHECK(svc(ix, "s3")->min_age == -1 && svc(ix, "s3")->max_age == 12, "garbage minimum age is none");
    CHECK(s->nlocations == 1 && s->locations[0].lat_e7 > O_LAT, "location with coordinates");
    CHECK_STR(svc(ix, "s1")->locations[0].address, "Dorpsstraat 1, 1234 AB Kantelstad", "address line");
    CHECK_STR(svc(ix, "s1")->locations[0].name, "Buurthuis", "location name");
    CHECK(svc(ix, "s7")->nlocations == 1 && svc(ix, "s7")->locations[0].lat_e7 == 0, "location without coordinates");
    CHECK(svc(ix, "s6")->nlocations == 0, "service without locations");
}

static void test_text(const search_index_t *ix)
{
    CHECK_STR(text_ids(ix, "cafe"), "s6,s1", "'cafe' finds 'Café' (whole word) before 'Taalcafé' (compound)");
    CHECK_STR(text_ids(ix, "TAALCAFÉ"), "s1", "case and accents do not matter");
    CHECK_STR(text_ids(ix, "taal"), "s1", "prefix of the name");
    CHECK_STR(text_ids(ix, "wandel"), "s6,s2,s3",
              "'wandel': whole name word, name prefix ('Wandelclub'), then description ('wandelt')");
    CHECK_STR(text_ids(ix, "wandel samen"), "s2", "two words: both must match");
    CHECK_STR(text_ids(ix, "samen wandel"), "s2", "in any order");
    CHECK_STR(text_ids(ix, "wandel xyz"), "", "a word that matches nothing: no results");
    CHECK_STR(text_ids(ix, "bibliotheek"), "s7,s1", "organisation name is searched");
    CHECK_STR(text_ids(ix, "buurthuiswerk"), "s6", "term names of any taxonomy are searched");
    CHECK_STR(text_ids(ix, "ouderen"), "s2", "Kantel term names are searched");
    CHECK_STR(text_ids(ix, "koffie"), "s6", "description is searched");
    CHECK_STR(text_ids(ix, "koor"), "s3", "four letters match inside a word ('Buurtkoor')");
    CHECK_STR(text_ids(ix, "oor"), "", "three letters do not");
    struct search_result r;
    struct search_query q = Q("wandel");
    search_run(ix, &q, &r);
    CHECK(r.n == 3 && r.hits[0].score == 30 && r.hits[1].score == 20 && r.hits[2].score == 5,
          "scores 30, 20, 5: %d %d %d", r.hits[0].score, r.hits[1].score, r.hits[2].score);
    q = Q("cafe");
    search_run(ix, &q, &r);
    CHECK(r.n == 2 && r.hits[1].score == 10, "a compound match in the name scores 10: %d", r.hits[1].score);
    CHECK_STR(text_ids(ix, ""), "s3,s7,s1,s6,s2", "no text: every service, by name");
    CHECK_STR(text_ids(ix, NULL), "s3,s7,s1,s6,s2", "NULL text: the same");
    CHECK_STR(text_ids(ix, " ,.;!? "), "s3,s7,s1,s6,s2", "punctuation only: the same");
}

static void test_filters(const search_index_t *ix)
{
    struct search_query q = Q(NULL);
    q.domains = search_domain_bit("lichamelijke_gezondheid");
    CHECK_STR(ids(ix, &q, NULL), "s2", "life domain filter");
    q.domains |= search_domain_bit("geestelijke_gezondheid");
    CHECK_STR(ids(ix, &q, NULL), "s3,s2", "any of two life domains");
    q = Q("wandel");
    q.domains = search_domain_bit("lichamelijke_gezondheid") | search_domain_bit("sociaal_netwerk");
    struct search_result r;
    search_run(ix, &q, &r);
    CHECK(r.n == 1 && r.hits[0].score == 30, "+5 per requested life domain the service has: %d", r.hits[0].score);
    CHECK(search_domain_bit("financien") == 1 && search_domain_bit("werk_opleiding") == 2 &&
              search_domain_bit("onbekend") == 0 && search_domain_bit(NULL) == 0,
          "domain bits in the zrm order");
    q = Q(NULL);
    q.domains = search_domain_bit("financien");
    CHECK_STR(ids(ix, &q, NULL), "", "another taxonomy's 'levensdomein/' code is no Kantel domain");

    q = Q(NULL);
    q.age = 70;
    CHECK_STR(ids(ix, &q, NULL), "s1,s6,s2", "age 70: from 16, no bounds, the ouderen group");
    q.age = 10;
    CHECK_STR(ids(ix, &q, NULL), "s3,s6", "age 10: up to 12, no bounds");
    q.age = 12;
    CHECK_STR(ids(ix, &q, NULL), "s3,s6", "age 12: the upper bound counts");
    q.age = 13;
    CHECK_STR(ids(ix, &q, NULL), "s6", "age 13: past the upper bound");
    q.age = 16;
    CHECK_STR(ids(ix, &q, NULL), "s1,s6", "age 16: the lower bound counts");
    q.age = 18;
    CHECK_STR(ids(ix, &q, NULL), "s7,s1,s6", "age 18: 18..64 and its groups");
    q.age = 64;
    CHECK_STR(ids(ix, &q, NULL), "s7,s1,s6", "age 64");
    q.age = 65;
    CHECK_STR(ids(ix, &q, NULL), "s1,s6,s2", "age 65: the ouderen group, past 64");

    q = Q(NULL);
    q.free_only = 1;
    CHECK_STR(ids(ix, &q, NULL), "s3,s1", "free only");

    q = Q(NULL);
    char tid[37];
    socialmap_term_id("levensdomein/sociaal_netwerk", tid);
    q.term_id = tid;
    CHECK_STR(ids(ix, &q, NULL), "s2", "term filter (Kantel term)");
    q.term_id = "term-other";
    CHECK_STR(ids(ix, &q, NULL), "s6", "term filter (any taxonomy)");
    q.term_id = "no-such-term";
    CHECK_STR(ids(ix, &q, NULL), "", "unknown term: nothing");
}

static void test_geo(const search_index_t *ix)
{
    const struct search_service *s1 = svc(ix, "s1"), *s2 = svc(ix, "s2");
    int64_t d1 = geo_distance_m(O_LAT, O_LON, s1->locations[0].lat_e7, s1->locations[0].lon_e7);
    int64_t d2 = geo_distance_m(O_LAT, O_LON, s2->locations[0].lat_e7, s2->locations[0].lon_e7);
    CHECK(d1 >= 1895 && d1 <= 1905 && d2 >= 2095 && d2 <= 2105, "fixture: 1.9 km and 2.1 km (%lld, %lld)",
          (long long)d1, (long long)d2);
    struct search_query q = Q(NULL);
    q.has_origin = 1;
    q.lat_e7 = O_LAT;
    q.lon_e7 = O_LON;
    q.radius_m = 2000;
    CHECK_STR(ids(ix, &q, NULL), "s3,s1", "radius 2 km: 0.5 and 1.9 km in, 2.1 km and no coordinates out");
    q.radius_m = 0;
    q.sort = SEARCH_SORT_DISTANCE;
    CHECK_STR(ids(ix, &q, NULL), "s3,s1,s2,s7,s6", "distance sort: nearest first, without coordinates last");
    struct search_result r;
    search_run(ix, &q, &r);
    CHECK(r.hits[1].distance_m == d1 && r.hits[1].location == 0, "distance and location of a hit");
    CHECK(r.hits[3].distance_m == -1 && r.hits[3].location == -1, "no coordinates: -1");
    CHECK(r.hits[4].distance_m == -1 && r.hits[4].location == -1, "no locations: -1");
    q.sort = SEARCH_SORT_RELEVANCE;
    CHECK_STR(ids(ix, &q, NULL), "s3,s1,s2,s7,s6", "equal scores: nearer first");
    q = Q("wandel");
    q.has_origin = 1;
    q.lat_e7 = O_LAT;
    q.lon_e7 = O_LON;
    q.sort = SEARCH_SORT_DISTANCE;
    CHECK_STR(ids(ix, &q, NULL), "s3,s2,s6", "text and distance sort");
    q = Q(NULL);
    search_run(ix, &q, &r);
    CHECK(r.hits[0].distance_m == -1 && r.hits[0].location == 0, "without origin: no distance, the first location");
}

static void test_when(const search_index_t *ix)
{
    day_t tue = day_from_ymd(2026, 11, 24), wed = tue + 1;
    CHECK(day_weekday(tue) == 2, "fixture: 24 November 2026 is a Tuesday");
    struct search_query q = Q(NULL);
    q.when = SEARCH_OPEN_AT;
    q.day = tue;
    q.minute = 10 * 60 + 30;
    CHECK_STR(ids(ix, &q, NULL), "s1", "open Tuesday 10:30");
    q.minute = 12 * 60;
    CHECK_STR(ids(ix, &q, NULL), "", "closed Tuesday 12:00");
    q.day = wed;
    q.minute = 10 * 60 + 30;
    CHECK_STR(ids(ix, &q, NULL), "", "closed Wednesday 10:30");
    q.minute = 9 * 60 + 30;
    CHECK_STR(ids(ix, &q, NULL), "s2", "Wednesday 9:30: the other one");
    q.day = tue - 1;
    q.minute = 10 * 60 + 30;
    CHECK_STR(ids(ix, &q, NULL), "s7", "Monday 10:30: one of two schedules");
    q.day = tue + 3;
    q.minute = 23 * 60;
    CHECK_STR(ids(ix, &q, NULL), "s7", "Friday 23:00: an evening past midnight");
    q.day = tue + 4;
    q.minute = 60;
    CHECK_STR(ids(ix, &q, NULL), "s7", "Saturday 01:00: still open from Friday");
    q.minute = 3 * 60;
    CHECK_STR(ids(ix, &q, NULL), "", "Saturday 03:00: closed");
    q.when = SEARCH_ON_DAY;
    CHECK_STR(ids(ix, &q, NULL), "", "a night past midnight does not meet on the Saturday");
    q.day = day_from_ymd(2026, 12, 5);
    CHECK_STR(ids(ix, &q, NULL), "s3", "meets on the first Saturday of December");
    q.day = day_from_ymd(2026, 12, 12);
    CHECK_STR(ids(ix, &q, NULL), "", "not on the second Saturday");
    q.day = tue;
    CHECK_STR(ids(ix, &q, NULL), "s1", "on a Tuesday");
}

static void test_paging(const search_index_t *ix)
{
    struct search_query q = Q(NULL);
    char all[512];
    int total = 0;
    snprintf(all, sizeof all, "%s", ids(ix, &q, &total));
    char joined[512] = "";
    for (int off = 0; off < 5; off += 2) {
        q.offset = off;
        q.limit = 2;
        int t = 0;
        const char *page = ids(ix, &q, &t);
        CHECK(t == 5, "page at %d: total counts all matches (%d)", off, t);
        size_t len = strlen(joined);
        snprintf(joined + len, sizeof joined - len, "%s%s", len ? "," : "", page);
    }
    CHECK_STR(joined, all, "pages of 2 give the same order as one page");
    q.offset = 5;
    struct search_result r;
    CHECK(search_run(ix, &q, &r) == 0 && r.n == 0 && r.total == 5, "offset past the end: no hits, total 5");
    q.offset = 2000000000;
    CHECK(search_run(ix, &q, &r) == 0 && r.n == 0 && r.total == 5, "a huge offset");
    q = Q(NULL);
    q.limit = 0;
    CHECK(search_run(ix, &q, &r) == -1 && r.total == 0, "limit 0 is refused");
    q.limit = SEARCH_MAX_LIMIT + 1;
    CHECK(search_run(ix, &q, &r) == -1, "limit above the maximum is refused");
    q = Q(NULL);
    q.offset = -1;
    CHECK(search_run(ix, &q, &r) == -1, "a negative offset is refused");
    q = Q(NULL);
    q.when = SEARCH_OPEN_AT;
    q.minute = 1440;
    CHECK(search_run(ix, &q, &r) == -1, "minute 1440 is refused");
    q.minute = -1;
    CHECK(search_run(ix, &q, &r) == -1, "minute -1 is refused");
    q = Q(NULL);
    CHECK(search_run(NULL, &q, &r) == -1 && search_run(ix, NULL, &r) == -1 && search_run(ix, &q, NULL) == -1,
          "NULL arguments are refused");
}

static void test_hostile(const search_index_t *ix)
{
    size_t n = 100000;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < n; i++) big[i] = "wandel \xc3\xa9\xff"[i % 10];
    big[n] = '\0';
    struct search_query q = Q(big);
    struct search_result r;
    CHECK(search_run(ix, &q, &r) == 0, "100 kB of odd UTF-8 as query text");
    free(big);
    /* the first 8 words count: the 9th would exclude everything */
    CHECK_STR(text_ids(ix, "wandel wandel samen samen w wa wan wand wandelclub wandelc xyz"), "s2",
              "only the first SEARCH_MAX_WORDS distinct words count");
    char cut[260];
    memset(cut, ' ', sizeof cut);
    memcpy(cut, "taal", 4);
    memcpy(cut + 195, "wandelclub", 10); /* cut at byte 200 inside the word */
    cut[sizeof cut - 1] = '\0';
    CHECK_STR(text_ids(ix, cut), "s1", "a word cut at byte 200 is dropped");
    CHECK_STR(text_ids(ix, "caf\xc3"), "s6", "a truncated UTF-8 sequence is a separator");
    CHECK_STR(text_ids(ix, "\xe2\x80\x8b"), "s3,s7,s1,s6,s2", "a lone zero-width space");
}

/* The builder on its own, fed what a damaged store could hold. */
static void test_builder_hostile(void)
{
    search_builder_t *b = search_builder_new();
    size_t n = 200000;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < n; i++) big[i] = "Zw\xc3\xa9mbad \xff\xfe\xe2\x80"[i % 13];
    big[n] = '\0';
    struct search_row_service rows[] = {
        {.id = NULL, .name = "no id"},
        {.id = "", .name = "empty id"},
        {.id = "h1", .name = big, .description = big, .org_name = big, .minimum_age = "-3", .maximum_age = "1e9"},
        {.id = "h1", .name = "same id again"},
        {.id = "h2", .name = NULL, .status = "defunct"},
        {.id = "h3", .name = NULL, .description = NULL, .minimum_age = "12.5", .maximum_age = "99999"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) search_builder_service(b, &rows[i]);
    struct search_row_location l = {.service_id = "h3", .sal_id = NULL, .latitude = "91", .longitude = "5"};
    search_builder_location(b, &l);
    l = (struct search_row_location){.service_id = "nope", .latitude = "52", .longitude = "5"};
    search_builder_location(b, &l);
    struct search_row_schedule sch = {
        .id = "x", .service_id = "h3", .text = {.freq = "WEEKLY", .byday = "XX", .opens_at = "25:00"}};
    search_builder_schedule(b, &sch);
    sch = (struct search_row_schedule){.id = "y",
                                       .service_id = "h3",
                                       .sal_service_id = "h1",
                                       .text = {.freq = "MONTHLY", .byday = "5SU", .interval = "3"}};
    search_builder_schedule(b, &sch);
    struct search_row_cost c = {.service_id = "h3", .amount = "-1"};
    search_builder_cost(b, &c);
    c = (struct search_row_cost){.service_id = "h3", .amount = "99999999999.999", .currency = "\xff\xfe\xfd"};
    search_builder_cost(b, &c);
    struct search_row_term t = {.term_id = "t1", .code = "levensdomein/", .name = "Sport \xc3"};
    search_builder_term(b, &t);
    search_builder_link(b, "h3", "t1");
    search_builder_link(b, "h3", "unknown-term");
    search_builder_link(b, NULL, NULL);
    struct search_row_service late = {.id = "h0", .name = "too late"};
    search_builder_service(b, &late);
    search_index_t *ix = search_builder_finish(b);
    CHECK(search_index_count(ix) == 2 && search_find(ix, "h1") == 0 && search_find(ix, "h3") == 1,
          "hostile rows: ids missing, repeated, inactive or late are left out");
    const struct search_service *h3 = search_service_at(ix, 1);
    CHECK(h3->min_age == 13 && h3->max_age == -1 && h3->nlocations == 1 && h3->locations[0].lat_e7 == 0,
          "odd ages and coordinates are read or ignored");
    CHECK_STR(h3->schedule_text, "om de 3 maanden op de vijfde zondag", "a valid schedule after an unparsable one");
    CHECK(!h3->is_free, "odd amounts are not free");
    CHECK(search_service_at(ix, 0)->min_age == -1 && search_service_at(ix, 0)->max_age == -1, "negative ages: none");
    CHECK_STR(text_ids(ix, "zwemb"), "h1", "a 200 kB name is indexed (its first 64 KiB)");
    CHECK_STR(text_ids(ix, "mbad"), "h1", "and found inside its words");
    search_index_release(ix);
    free(big);
    search_builder_free(search_builder_new());
    search_builder_free(NULL);
    ix = search_builder_finish(search_builder_new());
    struct search_query q = Q("x");
    struct search_result r;
    CHECK(ix && search_index_count(ix) == 0 && search_run(ix, &q, &r) == 0 && r.total == 0, "an empty index");
    q = Q(NULL);
    q.has_origin = 1;
    q.radius_m = 5;
    CHECK(search_run(ix, &q, &r) == 0 && r.total == 0, "an empty index with an origin");
    search_index_release(ix);
}

static void test_cache(db_t *db)
{
    search_index_cache_clear();
    search_index_t *a = search_index_current(db, GM), *b = search_index_current(db, GM);
    CHECK(a && a == b, "[%s] search_index_current reuses the index while nothing changed", g_backend);
    search_index_release(b);
    CHECK(search_touch(db, GM) == 0, "search_touch");
    search_index_t *c = search_index_current(db, GM);
    CHECK(c && c != a, "after search_touch the index is rebuilt");
    CHECK(search_index_count(a) == 5, "an old index stays usable while held");
    search_index_release(a);
    /* a change made with its touch inside one transaction */
    if (db_begin(db) != DB_OK) die(db, "begin");
    service(db, "s8", "o-bieb", "Nieuwe dienst", "Net toegevoegd.", "active", NULL, NULL, NULL);
    CHECK(search_touch(db, GM) == 0, "search_touch inside a transaction");
    if (db_commit(db) != DB_OK) die(db, "commit");
    search_index_t *d = search_index_current(db, GM);
    CHECK(d && d != c && search_index_count(d) == 6 && search_find(d, "s8") >= 0, "the new service is found");
    search_index_t *e = search_index_current(db, GM);
    CHECK(e == d, "and reused again");
    search_index_release(e);
    search_index_release(d);
    search_index_release(c);
    char v1[96], v2[96];
    search_version(db, GM, v1, sizeof v1);
    search_touch(db, GM);
    search_version(db, GM, v2, sizeof v2);
    CHECK(*v1 && strcmp(v1, v2) != 0, "each touch gives a new version");
    search_index_t *other = search_index_current(db, "9999");
    CHECK(other && search_index_count(other) == 0, "a municipality without services: an empty index");
    struct search_query q = Q("wandel");
    struct search_result r;
    CHECK(search_run(other, &q, &r) == 0 && r.total == 0, "searching it finds nothing");
    search_index_release(other);
    search_index_cache_clear();
    run(db, "DELETE FROM hsds_service WHERE id = 's8'", 0);
}

/* An HSDS import records the change: the current index is rebuilt and
 * holds the imported service. */
static void test_import(db_t *db, const char *dir)
{
    char path[200];
    snprintf(path, sizeof path, "%s/services.json", dir);
    FILE *f = fopen(path, "w");
    if (!f) die(db, "cannot write the import file");
    fputs("[{\"id\": \"s-imp\", \"organization_id\": \"o-koor\", \"name\": \"Zwemclub Import\","
          " \"status\": \"active\", \"description\": \"Baantjes zwemmen.\"}]",
          f);
    fclose(f);
    search_index_cache_clear();
    search_index_t *before = search_index_current(db, GM);
    hsds_import_t *imp = hsds_import_new(db, GM);
    hsds_stage_json(imp, path, -1);
    int rc = hsds_import_commit(imp);
    CHECK(rc == 0, "[%s] HSDS import of one service (%s)", g_backend,
          hsds_import_problems(imp) ? hsds_import_problem(imp, 0) : "no problems");
    hsds_import_free(imp);
    search_index_t *after = search_index_current(db, GM);
    CHECK(after && after != before && search_find(after, "s-imp") >= 0 && !strcmp(text_ids(after, "zwem"), "s-imp"),
          "the import touched the version: the new index finds the imported service");
    search_index_release(before);
    search_index_release(after);
    search_index_cache_clear();
    unlink(path);
    run(db, "DELETE FROM hsds_service WHERE id = 's-imp'", 0);
}

/* Threads with their own connections share the cached index while the main
 * thread changes the version: every reader gets a whole index. */
struct reader {
    const char *target;
    int ok, seen;
};

static void *reader_main(void *arg)
{
    struct reader *r = arg;
    char err[256];
    db_t *db = NULL;
    if (db_open(r->target, &db, err, sizeof err) != DB_OK) return NULL;
    r->ok = 1;
    for (int i = 0; i < 40; i++) {
        search_index_t *ix = search_index_current(db, GM);
        struct search_query q = Q("wandel");
        struct search_result res;
        if (!ix || search_run(ix, &q, &res) != 0 || res.total != 3)
            r->ok = 0;
        else
            r->seen++;
        search_index_release(ix);
    }
    db_close(db);
    return NULL;
}

static void test_threads(db_t *db, const char *target)
{
    search_index_cache_clear();
    struct reader r[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        r[i] = (struct reader){target, 0, 0};
        pthread_create(&th[i], NULL, reader_main, &r[i]);
    }
    for (int i = 0; i < 10; i++) search_touch(db, GM);
    int ok = 1, seen = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ok &= r[i].ok;
        seen += r[i].seen;
    }
    CHECK(ok && seen == 160, "[%s] 4 threads search the shared index while it is rebuilt (%d of 160)", g_backend, seen);
    search_index_cache_clear();
}

static void test_demo(db_t *db)
{
    char v0[96], v1[96];
    search_version(db, GM_DEMO, v0, sizeof v0);
    if (demo_socialmap_add(db, GM_DEMO, 320) != 0) die(db, "demo_socialmap_add");
    search_version(db, GM_DEMO, v1, sizeof v1);
    CHECK(!*v0 && *v1, "[%s] the demo catalogue touches the sociale-kaart version", g_backend);
    char err[256] = "";
    search_index_t *ix = search_index_build(db, GM_DEMO, err, sizeof err);
    CHECK(ix != NULL, "[%s] demo index %s", g_backend, err);
    if (!ix) return;
    CHECK(search_index_count(ix) == 320, "320 demo services: %d", search_index_count(ix));
    struct search_query q = Q("wandel");
    q.domains = search_domain_bit("lichamelijke_gezondheid");
    q.when = SEARCH_OPEN_AT;
    q.day = day_from_ymd(2026, 11, 24);
    q.minute = 10 * 60 + 30;
    struct search_result r;
    search_run(ix, &q, &r);
    int clubs = 1;
    for (int i = 0; i < r.n; i++)
        if (strncmp(search_service_at(ix, r.hits[i].service)->name, "Wandelclub ", 11) != 0) clubs = 0;
    CHECK(r.total == 10 && r.n == 10 && clubs,
          "wandel + lichamelijke gezondheid + Tuesday 10:30: the 10 walking clubs");
    q = Q("taalcafe jaar");
    search_run(ix, &q, &r);
    int cafes = r.total == 10;
    for (int i = 0; i < r.n; i++)
        cafes &= !strncmp(search_service_at(ix, r.hits[i].service)->name, "Taalcaf", 7) && r.hits[i].score == 40;
    CHECK(cafes, "a rare and a common word (term name): the 10 language cafés, 30 + 10 points (%d)", r.total);
    q = Q("jaar cafe");
    search_run(ix, &q, &r);
    CHECK(r.total == 50, "'cafe' inside and as a word, with a term word: 5 kinds of café: %d", r.total);
    q = Q("repair");
    search_run(ix, &q, &r);
    CHECK(r.total == 10 && !strncmp(search_service_at(ix, r.hits[0].service)->schedule_text,
                                    "elke eerste zaterdag van de maand", 33),
          "the repair cafés meet monthly");
    search_index_release(ix);
    ix = search_index_build(db, GM, err, sizeof err);
    CHECK(ix && search_index_count(ix) == 5, "municipalities do not mix");
    search_index_release(ix);
}

static void run_all(const char *target, const char *dir)
{
    char err[256] = "";
    db_t *db = NULL;
    if (db_open(target, &db, err, sizeof err) != DB_OK || db_migrate(db, err, sizeof err) < 0) {
        printf("not ok - [%s] database: %s\n", g_backend, err);
        t_fail_++;
        db_close(db);
        return;
    }
    fixture(db);
    search_index_t *ix = search_index_build(db, GM, err, sizeof err);
    CHECK(ix != NULL, "[%s] search_index_build %s", g_backend, err);
    if (ix) {
        test_contents(ix);
        test_text(ix);
        test_filters(ix);
        test_geo(ix);
        test_when(ix);
        test_paging(ix);
        test_hostile(ix);
        search_index_release(ix);
    }
    test_cache(db);
    test_threads(db, target);
    test_import(db, dir);
    test_demo(db);
    db_close(db);
}

int main(void)
{
    test_builder_hostile();
    char dir[] = "/tmp/kantel-test-search-XXXXXX";
    if (!mkdtemp(dir)) return 2;
    char path[128], target[160];
    snprintf(path, sizeof path, "%s/t.db", dir);
    snprintf(target, sizeof target, "sqlite:%s", path);
    run_all(target, dir);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }

    const char *pg = getenv("KANTEL_TEST_PG");
    if (pg && *pg) {
        char name[64], admin[300], err[256] = "";
        snprintf(name, sizeof name, "kantel_search_%ld", (long)getpid());
        snprintf(admin, sizeof admin, "%s/postgres", pg);
        db_t *a = NULL;
        CHECK(db_open(admin, &a, err, sizeof err) == DB_OK, "connect to the test server: %s", err);
        char sql[200];
        if (a) {
            snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
            db_exec(a, sql);
            snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
            CHECK(db_exec(a, sql) == DB_OK, "create database %s: %s", name, db_errmsg(a));
            g_backend = "postgres";
            snprintf(target, sizeof target, "%s/%s", pg, name);
            search_index_cache_clear();
            run_all(target, dir);
            snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", name);
            CHECK(db_exec(a, sql) == DB_OK, "drop database %s: %s", name, db_errmsg(a));
            db_close(a);
        }
    }
    search_index_cache_clear();
    rmdir(dir);
    return t_done();
}
