/*
 * demo_volunteers.c - the demo's volunteer registry (issue 4): synthetic
 * coordinates for every postcode the demo households and volunteers use (a
 * small town around 52.51 N, 6.09 E; each four-digit area has its own centre
 * within about 2.5 km, the letters add up to about 300 m; deterministic), 25
 * fictional volunteers of Gemeente Kantelstad with varied skills, languages,
 * availability and VOGs, and one open volunteer request on the plan of
 * Huishouden De Vries. Uses the same domain functions as the pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/util.h"
#include "domain/calendar.h"
#include "domain/plan.h"
#include "domain/volunteer.h"

#define CENTRE_LAT 525100000LL /* 52.5100 */
#define CENTRE_LON 60900000LL  /* 6.0900 */

static uint32_t fnv(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n && s[i]; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* A synthetic, deterministic coordinate for a normalised postcode
 * (demo_socialmap.h). */
void demo_coord(const char *pc, int64_t *lat, int64_t *lon)
{
    uint32_t a = fnv(pc, 4), b = fnv(pc + 4, 2);
    /* area centre: +-0.0225 degree latitude (2.5 km), +-0.036 longitude (2.4 km) */
    *lat = CENTRE_LAT + ((int64_t)(a % 45001) - 22500) * 10;
    *lon = CENTRE_LON + ((int64_t)((a / 45001) % 72001) - 36000) * 10;
    /* letters: about +-300 m */
    *lat += ((int64_t)(b % 5401) - 2700) * 10;
    *lon += ((int64_t)((b / 5401) % 8801) - 4400) * 10;
}

static const char *const household_postcodes[] = {"8011AB", "8011CD", "8012EF", "8021GH", "8022JK", "8031LM"};

static const struct {
    const char *name, *phone, *postcode, *languages, *skills, *slots, *areas, *age_groups, *vog;
    int max_km, vog_days_ago;
} demo_list[] = {
    {"Annelies Kramer", "06 11122233", "8011AC", "nl,en", "boodschappen,gezelschap,koken",
     "ma-o,di-o,wo-o,do-m", "Centrum", "oudere,volwassene", "afgegeven", 5, 400},
    {"Mohamed Bouzid", "06 21222324", "8012EG", "nl,ar,ber", "huiswerk,maatje,sport", "di-m,do-m,za-o",
     "Centrum, Noord", "kind,tiener", "afgegeven", 0, 200},
    {"Agnieszka Nowak", "06 31323334", "8021GJ", "nl,pl,en", "administratie,digitaal", "wo-a,do-a",
     "Noord", "volwassene", "geen", 4, 0},
    {"Emre Yıldız", "06 41424344", "8031LN", "nl,tr", "vervoer,klussen", "za-o,za-m,zo-m", "Oost",
     "volwassene,oudere", "aangevraagd", 10, 0},
    {"Fenna de Graaf", "06 51525354", "8011AE", "nl", "gezelschap,boodschappen", "ma-m,wo-m,vr-m", "Centrum",
     "oudere", "geen", 2, 0},
    {"Youssef El Khatib", "06 61626364", "8022JL", "nl,ar,en", "taalmaatje,administratie", "ma-a,di-a",
     "Noord", "jongvolwassene,volwassene", "afgegeven", 6, 90},
    {"Marja Hoekstra", "06 71727374", "8011CE", "nl,en", "huiswerk,taalmaatje", "di-m,do-m",
     "Centrum", "kind,tiener", "afgegeven", 3, 800},
    {"Piotr Wiśniewski", "06 81828384", "8031LP", "pl,en,nl", "klussen,vervoer", "za-o,zo-o", "Oost",
     "", "geen", 8, 0},
    {"Saskia Veenstra", "06 91929394", "8012EH", "nl,en", "digitaal,administratie,gezelschap", "ma-o,wo-o",
     "", "oudere,volwassene", "geen", 0, 0},
    {"Hatice Aydın", "06 10203040", "8021GK", "nl,tr", "koken,gezelschap,boodschappen", "di-o,do-o,vr-o",
     "Noord", "volwassene,oudere", "afgegeven", 4, 300},
    {"Jeroen Mulder", "06 12131415", "8022JM", "nl,en", "sport,maatje", "wo-m,za-m", "Noord, Oost",
     "tiener,jongvolwassene", "afgegeven", 7, 60},
    {"Lina Haddad", "06 16171819", "8011AD", "ar,en,nl", "taalmaatje,gezelschap", "ma-m,di-m,wo-m",
     "Centrum", "", "afgegeven", 3, 150},
    {"Kees van Dijk", "06 20212223", "8031LR", "nl", "vervoer,boodschappen", "ma-o,ma-m,di-o,di-m,do-o",
     "Oost", "oudere", "geen", 12, 0},
    {"Olena Kovalenko", "06 24252627", "8012EJ", "uk,pl,en", "taalmaatje,koken", "wo-a,vr-a", "Centrum",
     "volwassene,jongvolwassene", "geen", 0, 0},
    {"Abdi Warsame", "06 28293031", "8021GL", "so,nl,en", "huiswerk,sport,maatje", "ma-m,wo-m,vr-m", "Noord",
     "tiener", "afgegeven", 5, 30},
    {"Tesfay Gebremedhin", "06 32333435", "8022JN", "ti,nl,en", "klussen,vervoer", "za-o,za-m", "Noord",
     "volwassene", "aangevraagd", 6, 0},
    {"Ingrid Postma", "06 36373839", "8011CF", "nl,en", "administratie,digitaal", "di-o,do-o", "Centrum",
     "volwassene,oudere", "afgegeven", 4, 1000},
    {"Bram Jacobs", "06 40414243", "8031LS", "nl", "sport,klussen", "za-o,zo-o", "Oost", "tiener,kind",
     "geen", 10, 0},
    {"Zeynep Demir", "06 44454647", "8012EK", "tr,nl,en", "huiswerk,digitaal", "ma-a,wo-a,do-a", "Centrum",
     "kind,tiener,jongvolwassene", "afgegeven", 3, 120},
    {"Hamid Rezaei", "06 48495051", "8021GM", "fa,nl,en", "gezelschap,vervoer", "di-m,do-m,za-m", "Noord",
     "oudere,volwassene", "geen", 8, 0},
    {"Tom Bosman", "06 52535455", "8011AF", "nl,en", "digitaal,klussen", "vr-m,za-o", "", "", "geen", 0, 0},
    {"Rachida Amrani", "06 56575859", "8022JP", "ar,ber,nl", "koken,gezelschap,taalmaatje", "ma-o,wo-o,vr-o",
     "Noord", "volwassene", "afgegeven", 5, 500},
    {"Marek Kowalczyk", "06 60616263", "8031LT", "pl,nl", "boodschappen,vervoer", "di-a,do-a", "Oost",
     "oudere", "geen", 6, 0},
    {"Gerda Smeets", "06 64656667", "8012EL", "nl", "gezelschap,koken", "ma-m,di-m,wo-m,do-m,vr-m", "Centrum",
     "oudere", "geen", 1, 0},
    {"Sven Dekker", "06 68697071", "8021GN", "nl,en", "sport,maatje,huiswerk", "wo-m,vr-m,za-o", "Noord",
     "kind,tiener", "aangevraagd", 4, 0},
};

static int add_volunteers(db_t *db, const char *gm, day_t today, int64_t now)
{
    int64_t lat, lon;
    for (size_t i = 0; i < sizeof household_postcodes / sizeof household_postcodes[0]; i++) {
        demo_coord(household_postcodes[i], &lat, &lon);
        if (postcode_geo_put(db, gm, household_postcodes[i], lat, lon, "demo") != DB_OK) return -1;
    }
    for (size_t i = 0; i < sizeof demo_list / sizeof demo_list[0]; i++) {
        char vog_date[11] = "", km[8];
        if (demo_list[i].vog_days_ago > 0) day_format(today - demo_list[i].vog_days_ago, vog_date);
        snprintf(km, sizeof km, "%d", demo_list[i].max_km);
        char email[128];
        snprintf(email, sizeof email, "vrijwilliger%zu@example.nl", i + 1);
        struct volunteer_in in = {.name = demo_list[i].name, .phone = demo_list[i].phone, .email = email,
                                  .postcode = demo_list[i].postcode, .languages = demo_list[i].languages,
                                  .skills = demo_list[i].skills, .slots = demo_list[i].slots,
                                  .areas = demo_list[i].areas, .max_km = km, .age_groups = demo_list[i].age_groups,
                                  .vog_status = demo_list[i].vog, .vog_date = vog_date, .consent = 1, .note = ""};
        json_t *errors = json_object();
        int bad = volunteer_check(&in, today, errors);
        if (bad) {
            char *s = json_dumps(errors, JSON_COMPACT);
            fprintf(stderr, "kantel demo: volunteer %s: %s\n", demo_list[i].name, s ? s : "");
            free(s);
        }
        json_decref(errors);
        if (bad || volunteer_add(db, gm, &in, 0, now) <= 0) return -1;
        demo_coord(demo_list[i].postcode, &lat, &lon);
        if (postcode_geo_put(db, gm, demo_list[i].postcode, lat, lon, "demo") != DB_OK) return -1;
    }
    return 0;
}

/* The open request: a walking companion for Sanne on the level-4 action of
 * her plan. */
static int add_request(db_t *db, const char *gm, day_t today, int64_t now)
{
    db_stmt_t *st = db_prepare(db,
        "SELECT h.id, p.id FROM household h JOIN household_member m ON m.household_id = h.id"
        " JOIN person p ON p.id = m.person_id WHERE h.gemeente = ? AND h.name = 'Huishouden De Vries'"
        " AND p.given_names = 'Sanne'");
    db_bind_text(st, 1, gm);
    int64_t hh = 0, sanne = 0;
    if (db_step(st) == DB_ROW) {
        hh = db_col_int(st, 0);
        sanne = db_col_int(st, 1);
    }
    db_done(st);
    st = db_prepare(db, "SELECT id FROM account WHERE username = 'generalist'");
    int64_t gen = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    int current = 0;
    int64_t plan_id = hh ? plan_find(db, hh, &current) : 0;
    if (!hh || !sanne || plan_id <= 0 || current == 0) return -1;
    json_t *body = NULL;
    if (plan_version_load(db, plan_id, current, &body, NULL) != PLAN_OK) return -1;
    int64_t action = 0;
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(body, "actions"), i, a)
        if (!action && json_integer_value(json_object_get(a, "level")) == 4) action = json_integer_value(json_object_get(a, "id"));
    json_decref(body);
    struct volunteer_request_in in = {.action_id = action,
                                      .what = "Iemand die op dinsdagochtend met Sanne meeloopt naar de wandelgroep "
                                              "en een praatje maakt.",
                                      .when_text = "Dinsdagochtend, vanaf volgende week", .slots = "di-o",
                                      .postcode = "", .skills = "gezelschap,sport", .language = "", .person_id = sanne};
    json_t *errors = json_object();
    int bad = volunteer_request_check(db, hh, &in, today, errors);
    json_decref(errors);
    if (bad) return -1;
    return volunteer_request_add(db, gm, hh, &in, today, gen, now) > 0 ? 0 : -1;
}

int demo_volunteers(db_t *db, const char *gm, int requests)
{
    int64_t now = now_s();
    day_t today = day_today_amsterdam(now);
    if (db_begin(db) != DB_OK) return -1;
    if (add_volunteers(db, gm, today, now) != 0 || (requests && add_request(db, gm, today, now) != 0)) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db) == DB_OK ? 0 : -1;
}
