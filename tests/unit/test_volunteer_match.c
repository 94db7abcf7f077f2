/* test_volunteer_match.c - vocabulary, every part of the explained score,
 * every hard rule and the ordering of volunteer matching. */
#include <stdint.h>
#include <string.h>

#include "domain/volunteer_match.h"
#include "test.h"

/* 0.009 degree of latitude is about 1 km. */
#define LAT0 525000000LL
#define LON0 55000000LL
#define DLAT_KM(km) ((int64_t)((km) * 90000)) /* about km kilometres north */

static struct vm_volunteer base_volunteer(int64_t id)
{
    struct vm_volunteer v = {.id = id, .active = 1, .vog = 1, .has_geo = 1, .lat_e7 = LAT0, .lon_e7 = LON0,
                             .skills = "boodschappen,vervoer", .languages = "nl,ar", .slots = "ma-o,di-m,wo-a",
                             .age_groups = "volwassene"};
    return v;
}

static struct vm_request base_request(void)
{
    struct vm_request r = {.has_geo = 1, .lat_e7 = LAT0, .lon_e7 = LON0, .skills = "boodschappen,vervoer",
                           .language = "ar", .slots = "ma-o,di-m", .age = 40};
    return r;
}

static int has(const char *s, const char *sub)
{
    return s && strstr(s, sub) != NULL;
}

int main(void)
{
    /* ---- vocabulary ---- */
    CHECK(vm_skill_count() >= 10 && vm_language_count() >= 8 && vm_age_group_count() == 5 && vm_day_count() == 7 &&
              vm_part_count() == 3,
          "vocabulary sizes");
    CHECK_STR(vm_language_label("ar"), "Arabisch", "Arabic");
    CHECK_STR(vm_language_label("tr"), "Turks", "Turkish");
    CHECK_STR(vm_language_label("pl"), "Pools", "Polish");
    CHECK(vm_language_label("xx") == NULL && vm_skill_label(NULL) == NULL, "unknown codes have no label");
    CHECK_STR(vm_age_group_of(0), "kind", "age 0 is kind");
    CHECK_STR(vm_age_group_of(11), "kind", "age 11 is kind");
    CHECK_STR(vm_age_group_of(12), "tiener", "age 12 is tiener");
    CHECK_STR(vm_age_group_of(17), "tiener", "age 17 is tiener");
    CHECK_STR(vm_age_group_of(18), "jongvolwassene", "age 18 is jongvolwassene");
    CHECK_STR(vm_age_group_of(27), "volwassene", "age 27 is volwassene");
    CHECK_STR(vm_age_group_of(65), "oudere", "age 65 is oudere");
    char slot[40];
    CHECK(vm_slot_label("wo-a", slot, sizeof slot) == 0, "slot label");
    CHECK_STR(slot, "woensdagavond", "wo-a is woensdagavond");
    CHECK(!vm_slot_valid("wo-x") && !vm_slot_valid("xx-o") && !vm_slot_valid("wo") && !vm_slot_valid(""),
          "bad slots refused");
    CHECK(vm_list_has("a,bb,c", "bb") && !vm_list_has("a,bb,c", "b") && !vm_list_has("", "a") &&
              !vm_list_has(NULL, "a"),
          "comma list membership is exact");
    CHECK(vm_list_count("a,,b") == 2 && vm_list_count("") == 0 && vm_list_count(NULL) == 0, "comma list count");

    /* ---- a perfect match ---- */
    struct vm_volunteer v = base_volunteer(1);
    struct vm_request r = base_request();
    struct vm_result res;
    vm_score(&v, &r, &res);
    CHECK(!res.excluded && res.reason[0] == '\0', "perfect match is not excluded");
    CHECK(res.score == 30 + 30 + 20 + 10 + 10, "perfect match scores 100 (%d)", res.score);
    CHECK(res.distance_m == 0, "same place: distance 0");
    CHECK_STR(res.part[VM_DISTANCE].code, "afstand", "part 0 is afstand");
    CHECK(res.part[VM_SKILLS].max == 30 && res.part[VM_AVAILABILITY].max == 20 && res.part[VM_LANGUAGE].max == 10 &&
              res.part[VM_AGE].max == 10 && res.part[VM_DISTANCE].max == 30,
          "maxima add up to 100");
    CHECK(has(res.part[VM_LANGUAGE].text, "Spreekt Arabisch."), "language sentence: %s", res.part[VM_LANGUAGE].text);
    CHECK(has(res.part[VM_SKILLS].text, "Kan: Boodschappen doen en Vervoer en mee naar afspraken."),
          "skills sentence: %s", res.part[VM_SKILLS].text);
    CHECK(has(res.part[VM_AVAILABILITY].text, "Kan op 2 van de 2 gevraagde dagdelen: maandagochtend en dinsdagmiddag."),
          "availability sentence: %s", res.part[VM_AVAILABILITY].text);
    CHECK(has(res.part[VM_AGE].text, "Wil graag werken met Volwassenen"), "age sentence: %s", res.part[VM_AGE].text);
    CHECK(has(res.part[VM_DISTANCE].text, "Woont 0,0 km"), "distance sentence: %s", res.part[VM_DISTANCE].text);

    /* ---- distance ---- */
    int64_t steps[][2] = {{900, 30}, {1800, 25}, {2800, 20}, {4500, 15}, {9000, 5}, {12000, 0}};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        v = base_volunteer(1);
        v.lat_e7 = LAT0 + steps[i][0] * 90; /* 1 m is about 90 e7 units of latitude */
        vm_score(&v, &r, &res);
        CHECK(res.part[VM_DISTANCE].points == steps[i][1], "about %lld m: %d distance points (got %d, %lld m)",
              (long long)steps[i][0], (int)steps[i][1], res.part[VM_DISTANCE].points, (long long)res.distance_m);
    }
    v = base_volunteer(1);
    v.lat_e7 = LAT0 + DLAT_KM(1.2);
    vm_score(&v, &r, &res);
    CHECK(has(res.part[VM_DISTANCE].text, "Woont 1,2 km van de plek van de vraag."), "km with a decimal comma: %s",
          res.part[VM_DISTANCE].text);
    v = base_volunteer(1);
    v.has_geo = 0;
    vm_score(&v, &r, &res);
    CHECK(res.distance_m == -1 && res.part[VM_DISTANCE].points == 0, "unknown volunteer postcode: no distance points");
    CHECK(has(res.part[VM_DISTANCE].text, "Afstand onbekend") &&
              has(res.part[VM_DISTANCE].text, "postcode van de vrijwilliger") &&
              has(res.part[VM_DISTANCE].text, "geen punten"),
          "unknown distance is said: %s", res.part[VM_DISTANCE].text);
    CHECK(!res.excluded && res.score == 70, "unknown distance does not exclude (score %d)", res.score);
    v = base_volunteer(1);
    struct vm_request r2 = base_request();
    r2.has_geo = 0;
    vm_score(&v, &r2, &res);
    CHECK(has(res.part[VM_DISTANCE].text, "postcode van de vraag"), "unknown request postcode is named: %s",
          res.part[VM_DISTANCE].text);
    v.has_geo = 0;
    vm_score(&v, &r2, &res);
    CHECK(has(res.part[VM_DISTANCE].text, "beide postcodes"), "both unknown: %s", res.part[VM_DISTANCE].text);

    /* ---- skills ---- */
    v = base_volunteer(1);
    v.skills = "boodschappen";
    vm_score(&v, &r, &res);
    CHECK(res.part[VM_SKILLS].points == 15, "half the skills: 15 points (%d)", res.part[VM_SKILLS].points);
    CHECK(has(res.part[VM_SKILLS].text, "Kan: Boodschappen doen.") &&
              has(res.part[VM_SKILLS].text, "Niet: Vervoer en mee naar afspraken."),
          "skills sentence names both: %s", res.part[VM_SKILLS].text);
    v.skills = "";
    vm_score(&v, &r, &res);
    CHECK(res.part[VM_SKILLS].points == 0 && has(res.part[VM_SKILLS].text, "geen van de gevraagde"),
          "no skill: 0 points (%s)", res.part[VM_SKILLS].text);
    r2 = base_request();
    r2.skills = "";
    v = base_volunteer(1);
    vm_score(&v, &r2, &res);
    CHECK(res.part[VM_SKILLS].points == 0 && has(res.part[VM_SKILLS].text, "geen vaardigheden gevraagd"),
          "no skills asked: 0 points, said so");
    r2.skills = "boodschappen,onbekend";
    vm_score(&v, &r2, &res);
    CHECK(res.part[VM_SKILLS].points == 30, "unknown skill codes are ignored (%d)", res.part[VM_SKILLS].points);

    /* ---- availability ---- */
    v = base_volunteer(1);
    v.slots = "ma-o";
    vm_score(&v, &r, &res);
    CHECK(res.part[VM_AVAILABILITY].points == 10, "1 of 2 slots: 10 points (%d)", res.part[VM_AVAILABILITY].points);
    CHECK(has(res.part[VM_AVAILABILITY].text, "Kan op 1 van de 2 gevraagde dagdelen: maandagochtend."), "%s",
          res.part[VM_AVAILABILITY].text);
    v.slots = "zo-a";
    vm_score(&v, &r, &res);
    CHECK(res.part[VM_AVAILABILITY].points == 0 && has(res.part[VM_AVAILABILITY].text, "geen van de gevraagde"),
          "no overlap: 0 points");
    r2 = base_request();
    r2.slots = "";
    vm_score(&v, &r2, &res);
    CHECK(res.part[VM_AVAILABILITY].points == 0 && has(res.part[VM_AVAILABILITY].text, "geen dagdeel gevraagd"),
          "no slots asked: said so");

    /* ---- language ---- */
    v = base_volunteer(1);
    v.languages = "nl,tr";
    vm_score(&v, &r, &res);
    CHECK(res.part[VM_LANGUAGE].points == 0 && has(res.part[VM_LANGUAGE].text, "Spreekt geen Arabisch."),
          "language not spoken: %s", res.part[VM_LANGUAGE].text);
    r2 = base_request();
    r2.language = "";
    vm_score(&v, &r2, &res);
    CHECK(res.part[VM_LANGUAGE].points == 0 && has(res.part[VM_LANGUAGE].text, "geen taal gevraagd"),
          "no language asked");

    /* ---- age group ---- */
    v = base_volunteer(1);
    v.age_groups = "";
    vm_score(&v, &r, &res);
    CHECK(res.part[VM_AGE].points == 5 && has(res.part[VM_AGE].text, "geen voorkeur"), "no preference: 5 points");
    v.age_groups = "oudere,kind";
    vm_score(&v, &r, &res);
    CHECK(res.part[VM_AGE].points == 0 && has(res.part[VM_AGE].text, "andere leeftijdsgroep"),
          "other age group: 0 points (%s)", res.part[VM_AGE].text);

    /* ---- hard rules ---- */
    v = base_volunteer(1);
    v.active = 0;
    vm_score(&v, &r, &res);
    CHECK(res.excluded && has(res.reason, "Niet actief"), "inactive is excluded: %s", res.reason);
    CHECK(res.score == 100, "an excluded candidate still has its parts explained (%d)", res.score);

    v = base_volunteer(1);
    v.vog = 0;
    r2 = base_request();
    r2.age = 17;
    vm_score(&v, &r2, &res);
    CHECK(res.excluded && has(res.reason, "Geen VOG") && has(res.reason, "onder de 18"),
          "no VOG for a minor (17) is excluded: %s", res.reason);
    r2.age = 18;
    vm_score(&v, &r2, &res);
    CHECK(!res.excluded, "no VOG for an adult (18) is allowed");
    v.vog = 1;
    r2.age = 9;
    vm_score(&v, &r2, &res);
    CHECK(!res.excluded, "with VOG a minor (9) is allowed");
    v.vog_days = VM_VOG_MAX_DAYS;
    vm_score(&v, &r2, &res);
    CHECK(!res.excluded, "a VOG of exactly three years still counts");
    v.vog_days = VM_VOG_MAX_DAYS + 1;
    vm_score(&v, &r2, &res);
    CHECK(res.excluded && has(res.reason, "VOG te oud") && has(res.reason, "3 jaar"),
          "a VOG older than three years is excluded for a minor: %s", res.reason);
    r2.age = 30;
    vm_score(&v, &r2, &res);
    CHECK(!res.excluded, "an old VOG does not matter for an adult");
    v.vog_days = -1;
    r2.age = 9;
    vm_score(&v, &r2, &res);
    CHECK(!res.excluded, "a VOG without a known date counts as current");

    v = base_volunteer(1);
    v.max_km = 3;
    v.lat_e7 = LAT0 + DLAT_KM(4);
    vm_score(&v, &r, &res);
    CHECK(res.excluded && has(res.reason, "Te ver") && has(res.reason, "hoogstens 3 km"),
          "outside max travel distance is excluded: %s", res.reason);
    v.lat_e7 = LAT0 + DLAT_KM(2.5);
    vm_score(&v, &r, &res);
    CHECK(!res.excluded, "inside max travel distance is allowed");
    v.has_geo = 0;
    vm_score(&v, &r, &res);
    CHECK(!res.excluded && has(res.part[VM_DISTANCE].text, "niet na te gaan"),
          "unknown distance with a maximum: not excluded, said so (%s)", res.part[VM_DISTANCE].text);
    v = base_volunteer(1);
    v.active = 0;
    v.vog = 0;
    r2 = base_request();
    r2.age = 10;
    vm_score(&v, &r2, &res);
    CHECK(res.excluded && has(res.reason, "Niet actief"), "the first hard rule found is the reason");

    /* ---- ordering ---- */
    struct vm_result list[6];
    struct vm_volunteer a = base_volunteer(10);               /* 100 points */
    struct vm_volunteer b = base_volunteer(11);               /* 95: 25 distance points at 1.8 km */
    b.lat_e7 = LAT0 + 1800 * 90;
    struct vm_volunteer c = base_volunteer(12);               /* 85: no Arabic, no age preference */
    c.languages = "nl";
    c.age_groups = "";
    struct vm_volunteer d = base_volunteer(13);               /* excluded: inactive */
    d.active = 0;
    struct vm_volunteer e = base_volunteer(5);                /* 70: distance unknown */
    e.has_geo = 0;
    struct vm_volunteer f = base_volunteer(4);                /* excluded: too far, lower id than d */
    f.max_km = 1;
    f.lat_e7 = LAT0 + DLAT_KM(5);
    struct vm_volunteer *all[] = {&d, &e, &c, &b, &f, &a};
    for (int i = 0; i < 6; i++) vm_score(all[i], &r, &list[i]);
    vm_rank(list, 6);
    int64_t want[] = {10, 11, 12, 5, 4, 13};
    int ok = 1;
    for (int i = 0; i < 6; i++) ok = ok && list[i].volunteer_id == want[i];
    CHECK(ok, "ranked: by score, excluded last by id (got %lld %lld %lld %lld %lld %lld)",
          (long long)list[0].volunteer_id, (long long)list[1].volunteer_id, (long long)list[2].volunteer_id,
          (long long)list[3].volunteer_id, (long long)list[4].volunteer_id, (long long)list[5].volunteer_id);

    /* equal scores: known shorter distance first, unknown last, then id */
    struct vm_volunteer p1 = base_volunteer(30), p2 = base_volunteer(31), p3 = base_volunteer(32),
                        p4 = base_volunteer(29);
    struct vm_request rq = base_request();
    rq.skills = "";
    rq.slots = "";
    rq.language = "";
    rq.age = 40;
    p1.lat_e7 = LAT0 + 600 * 90;  /* 30 points at 0.6 km */
    p2.lat_e7 = LAT0 + 200 * 90;  /* 30 points at 0.2 km */
    p3.has_geo = 0;              /* 0 distance points ... */
    p3.age_groups = "volwassene";
    p4.lat_e7 = LAT0 + 200 * 90;  /* same as p2, lower id */
    struct vm_result eq[4];
    vm_score(&p1, &rq, &eq[0]);
    vm_score(&p2, &rq, &eq[1]);
    vm_score(&p3, &rq, &eq[2]);
    vm_score(&p4, &rq, &eq[3]);
    vm_rank(eq, 4);
    CHECK(eq[0].volunteer_id == 29 && eq[1].volunteer_id == 31 && eq[2].volunteer_id == 30 &&
              eq[3].volunteer_id == 32,
          "ties: shorter distance first, then id; unknown distance scores lower (got %lld %lld %lld %lld)",
          (long long)eq[0].volunteer_id, (long long)eq[1].volunteer_id, (long long)eq[2].volunteer_id,
          (long long)eq[3].volunteer_id);
    /* same score, one known and one unknown distance */
    struct vm_volunteer k1 = base_volunteer(41), k2 = base_volunteer(40);
    k1.lat_e7 = LAT0 + DLAT_KM(20); /* 0 distance points, known */
    k2.has_geo = 0;                 /* 0 distance points, unknown */
    struct vm_result kk[2];
    vm_score(&k2, &r, &kk[0]);
    vm_score(&k1, &r, &kk[1]);
    vm_rank(kk, 2);
    CHECK(kk[0].score == kk[1].score && kk[0].volunteer_id == 41, "equal score: known distance before unknown");
    return t_done();
}
