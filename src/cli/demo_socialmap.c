/*
 * demo_socialmap.c - a fictional sociale kaart for the demo municipality, in
 * the HSDS 3.0 store: organisations, services, locations with addresses and
 * coordinates, weekly or monthly schedules, costs, languages, and links to
 * Kantel's taxonomy (life domains, ladder level 4 or 5, age groups).
 *
 * The offer is built from a catalogue of what a Dutch town has (sports clubs,
 * walking clubs, community gardens, choirs, cooking clubs and shared meals,
 * buddy projects, debt advice, day centres, youth work, language cafés, repair
 * cafés, ...), each placed in the town's neighbourhoods. Everything is
 * deterministic (a fixed pseudo-random sequence), so the demo and the
 * benchmarks always see the same data. Coordinates lie within about 3 km of
 * the town centre (52.51 N, 6.09 E, the area the demo postcodes use).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/demo_socialmap.h"
#include "core/util.h"
#include "domain/calendar.h"
#include "domain/geo.h"
#include "domain/search.h"
#include "domain/socialmap.h"

#define CENTRE_LAT 525100000LL
#define CENTRE_LON 60900000LL

struct offer {
    const char *name;        /* "%s" = neighbourhood */
    const char *org;         /* organisation name, "%s" = neighbourhood */
    const char *description;
    const char *domains;     /* comma list of life domain codes */
    int level;               /* 4 or 5 */
    int min_age, max_age;    /* -1 = none */
    int cents;               /* 0 = free */
    const char *byday;       /* WEEKLY days, or MONTHLY "1TU" style */
    int monthly;
    const char *opens, *closes;
    const char *languages;   /* extra languages besides Dutch, comma list of ISO 639-1 */
};

static const struct offer catalogue[] = {
    {"Wandelclub %s", "Wandelvereniging %s", "Samen wandelen in een rustig tempo, elke week een andere route door de wijk. Iedereen is welkom, ook als u niet zo goed ter been bent.",
     "lichamelijke_gezondheid,sociaal_netwerk", 4, -1, -1, 0, "TU", 0, "10:00", "11:30", ""},
    {"Avondwandeling %s", "Wandelvereniging %s", "Een uur wandelen na het werk, met een kop koffie na afloop.",
     "lichamelijke_gezondheid,sociaal_netwerk", 4, 18, -1, 0, "TH", 0, "19:00", "20:00", ""},
    {"Buurtmoestuin %s", "Stichting Groen %s", "Samen groente kweken in de buurtmoestuin. Geen ervaring nodig; de oogst wordt gedeeld.",
     "tijdsbesteding,sociaal_netwerk,maatschappelijke_participatie", 4, -1, -1, 0, "WE,SA", 0, "10:00", "13:00", ""},
    {"Buurtkoor %s", "Zangvereniging %s", "Zingen zonder auditie: van smartlap tot popsong. Bladmuziek lezen hoeft niet.",
     "sociaal_netwerk,geestelijke_gezondheid", 4, 16, -1, 250, "MO", 0, "19:30", "21:30", ""},
    {"Eettafel %s", "Buurthuis %s", "Elke week samen eten voor een klein bedrag. Ook voor wie niet meer zelf kookt.",
     "sociaal_netwerk,instrumentele_adl,lichamelijke_gezondheid", 4, -1, -1, 500, "WE", 0, "17:30", "19:30", ""},
    {"Kookclub %s", "Buurthuis %s", "Samen koken en eten met verse, betaalbare ingrediënten; we leren van elkaar.",
     "instrumentele_adl,sociaal_netwerk,financien", 4, 16, -1, 300, "TH", 0, "16:00", "19:00", "ar,tr"},
    {"Voetbalvereniging %s", "VV %s", "Voetballen voor jeugd en volwassenen, met een contributieregeling via het Jeugdfonds Sport.",
     "lichamelijke_gezondheid,sociaal_netwerk,tijdsbesteding", 4, 6, -1, 0, "TU,TH", 0, "18:00", "20:00", ""},
    {"Zwemles voor volwassenen %s", "Zwembad %s", "Leren zwemmen in een kleine groep, ook voor wie nooit les heeft gehad.",
     "lichamelijke_gezondheid", 5, 18, -1, 600, "FR", 0, "09:00", "10:00", "ar"},
    {"Bewegen voor ouderen %s", "Sportservice %s", "Rustige gymnastiek op muziek voor ouderen, om fit en zelfstandig te blijven.",
     "lichamelijke_gezondheid,basale_adl,sociaal_netwerk", 5, 60, -1, 200, "MO,TH", 0, "10:00", "11:00", ""},
    {"Jeu de boules %s", "Petanqueclub %s", "Gezellig jeu de boules op het pleintje, ballen zijn er.",
     "sociaal_netwerk,tijdsbesteding", 4, -1, -1, 0, "SA", 0, "13:30", "16:30", ""},
    {"Maatjesproject %s", "Vrijwilligerscentrale %s", "Een vrijwilliger als maatje, die eens per week langskomt voor een wandeling, een praatje of samen boodschappen doen.",
     "sociaal_netwerk,geestelijke_gezondheid", 4, 18, -1, 0, "MO,TU,WE,TH,FR", 0, "09:00", "17:00", "ar,tr,pl"},
    {"Buddy voor jongeren %s", "Jongerenwerk %s", "Een jonge vrijwilliger (buddy) helpt met school, werk of vrije tijd.",
     "sociaal_netwerk,werk_opleiding,tijdsbesteding", 4, 12, 23, 0, "WE", 0, "14:00", "17:00", ""},
    {"Schuldhulp spreekuur %s", "Stichting Geldzorgen %s", "Gratis en vertrouwelijk hulp bij schulden, betalingsachterstanden en post die u niet begrijpt.",
     "financien", 5, 18, -1, 0, "TU", 0, "09:00", "12:00", "ar,tr"},
    {"Thuisadministratie %s", "Humanitas %s", "Een getrainde vrijwilliger helpt thuis uw administratie op orde te brengen en te houden.",
     "financien,instrumentele_adl", 4, 18, -1, 0, "MO,WE", 0, "09:00", "16:00", ""},
    {"Formulierenbrigade %s", "Bibliotheek %s", "Hulp bij het invullen van formulieren: toeslagen, DigiD, aanvragen bij de gemeente.",
     "financien,maatschappelijke_participatie", 5, 18, -1, 0, "TH", 0, "13:00", "16:00", "ar,tr,pl"},
    {"Digitaal spreekuur %s", "Bibliotheek %s", "Vragen over uw telefoon, computer, DigiD of internetbankieren? Loop binnen.",
     "instrumentele_adl,maatschappelijke_participatie", 5, -1, -1, 0, "WE", 0, "10:00", "12:00", ""},
    {"Taalcafé %s", "Bibliotheek %s", "Nederlands oefenen in een ontspannen gesprek met vrijwilligers, elke week.",
     "maatschappelijke_participatie,werk_opleiding,sociaal_netwerk", 4, 16, -1, 0, "FR", 0, "10:00", "12:00", "ar,tr,pl,uk"},
    {"Inloop dagbesteding %s", "Stichting Dagbesteding %s", "Een vaste plek om overdag te komen: koffie, een activiteit, en mensen die u kennen. Zonder indicatie.",
     "tijdsbesteding,sociaal_netwerk,geestelijke_gezondheid", 5, 18, -1, 0, "MO,TU,WE,TH,FR", 0, "09:30", "15:30", ""},
    {"Jongerenwerk %s", "Jongerenwerk %s", "Een plek voor jongeren om te chillen, te gamen en met de jongerenwerker te praten.",
     "tijdsbesteding,sociaal_netwerk", 5, 12, 23, 0, "WE,FR", 0, "19:00", "22:00", ""},
    {"Huiswerkbegeleiding %s", "Stichting Leerkracht %s", "Vrijwilligers helpen kinderen met hun huiswerk, in een rustige ruimte.",
     "werk_opleiding", 4, 8, 17, 0, "MO,TU,TH", 0, "15:30", "17:30", "ar,tr"},
    {"Repair Café %s", "Repair Café %s", "Kapotte spullen samen repareren in plaats van weggooien.",
     "financien,sociaal_netwerk,maatschappelijke_participatie", 4, -1, -1, 0, "1SA", 1, "10:00", "13:00", ""},
    {"Mantelzorgcafé %s", "Steunpunt Mantelzorg %s", "Mantelzorgers ontmoeten elkaar en krijgen tips, eens per maand.",
     "huiselijke_relaties,geestelijke_gezondheid,sociaal_netwerk", 5, 18, -1, 0, "2TU", 1, "19:30", "21:30", ""},
    {"Ouder-kindgroep %s", "CJG %s", "Ouders met jonge kinderen ontmoeten elkaar; de kinderen spelen.",
     "huiselijke_relaties,sociaal_netwerk", 5, 0, 4, 0, "WE", 0, "09:30", "11:30", "ar,tr"},
    {"Voedselbank uitgifte %s", "Voedselbank %s", "Wekelijks een pakket met boodschappen voor wie (tijdelijk) te weinig geld heeft. Aanmelden via de wijkteams.",
     "financien,lichamelijke_gezondheid", 5, -1, -1, 0, "FR", 0, "13:00", "16:00", ""},
    {"Kledingbank %s", "Kledingbank %s", "Gratis kleding voor kinderen en volwassenen met een verwijzing.",
     "financien", 4, -1, -1, 0, "SA", 0, "10:00", "12:00", ""},
    {"Sociaal raadslieden %s", "Sociaal raadslieden %s", "Gratis advies over wet- en regelgeving, huur, werk en uitkering.",
     "financien,huisvesting,justitie", 5, 18, -1, 0, "MO,WE", 0, "09:00", "12:00", "ar,tr"},
    {"Lotgenotengroep verslaving %s", "Stichting Herstel %s", "Een zelfhulpgroep voor mensen die willen stoppen of minderen met alcohol of drugs.",
     "verslaving,geestelijke_gezondheid", 4, 18, -1, 0, "TH", 0, "20:00", "21:30", ""},
    {"Herstelcafé %s", "Stichting Herstel %s", "Ervaringsdeskundigen en bezoekers werken aan herstel na psychische problemen.",
     "geestelijke_gezondheid,sociaal_netwerk", 4, 18, -1, 0, "TU", 0, "13:00", "16:00", ""},
    {"Speeltuinvereniging %s", "Speeltuinvereniging %s", "Speeltuin met vrijwilligers en activiteiten in de vakanties.",
     "tijdsbesteding,sociaal_netwerk", 4, 2, 12, 0, "WE,SA,SU", 0, "13:00", "17:00", ""},
    {"Klusjesdienst %s", "Vrijwilligerscentrale %s", "Vrijwilligers helpen ouderen met kleine klussen in huis en tuin.",
     "huisvesting,instrumentele_adl", 4, 65, -1, 0, "MO,TU,WE,TH,FR", 0, "09:00", "16:00", ""},
    {"Werkcafé %s", "Stichting Aan de Slag %s", "Samen werken aan een cv, sollicitaties en een plan naar (vrijwilligers)werk.",
     "werk_opleiding,maatschappelijke_participatie", 5, 18, 66, 0, "TU", 0, "13:00", "15:00", "ar,tr,pl"},
    {"Vrouwengroep %s", "Buurthuis %s", "Ontmoeting, koffie en activiteiten voor vrouwen uit de wijk.",
     "sociaal_netwerk,maatschappelijke_participatie", 4, 18, -1, 0, "TH", 0, "10:00", "12:00", "ar,tr"},
};
#define N_OFFERS (sizeof catalogue / sizeof catalogue[0])

static const char *const streets[] = {"Dorpsstraat", "Kerkplein", "Molenweg", "Schoolstraat", "Parklaan",
                                      "Beatrixstraat", "Sportlaan", "Vijverhof", "Eikenlaan", "Marktplein",
                                      "Stationsplein", "Brinkweg", "Havenstraat", "Lindenlaan", "Kanaaldijk"};
static const char *const fallback_buurten[] = {"Centrum", "Noord", "Oost", "Zuid", "West"};
static const char *const lang_names[][2] = {{"nl", "Nederlands"}, {"ar", "Arabisch"}, {"tr", "Turks"},
                                            {"pl", "Pools"},      {"uk", "Oekraïens"}};

static uint64_t g_rng = 0x4b616e74656c2121ULL;
static uint64_t rnd(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

static int exec_ok(db_stmt_t *st)
{
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}

static void id_of(const char *kind, int64_t i, char out[37])
{
    char name[80];
    snprintf(name, sizeof name, "demo-%s:%lld", kind, (long long)i);
    socialmap_uuid(name, out);
}

/* tpl with its one "%s" replaced by buurt (the catalogue's templates are
 * data, not format strings). */
static void fill(char *out, size_t n, const char *tpl, const char *buurt)
{
    const char *at = strstr(tpl, "%s");
    if (!at) {
        snprintf(out, n, "%s", tpl);
        return;
    }
    snprintf(out, n, "%.*s%s%s", (int)(at - tpl), tpl, buurt, at + 2);
}

static int put_org(db_t *db, const char *gm, const char *id, const char *name)
{
    db_stmt_t *st = db_prepare(db, "INSERT INTO hsds_organization (id, gemeente, name, description, email, website)"
                                   " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING");
    char desc[400];
    snprintf(desc, sizeof desc, "%s is een organisatie in Gemeente Kantelstad (fictief).", name);
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, gm);
    db_bind_text(st, 3, name);
    db_bind_text(st, 4, desc);
    db_bind_text(st, 5, "info@example.org");
    db_bind_text(st, 6, "https://example.org");
    return exec_ok(st);
}

/* A service meets in its own neighbourhood: within about 700 m of the centre
 * of the neighbourhood's postcode area (the n-th neighbourhood, in code order,
 * has area 80<wijk><buurt>, as the demo households' postcodes do). */
static int put_location(db_t *db, const char *gm, const char *id, const char *org_id, const char *name, int64_t k,
                        int buurt_index)
{
    char area[8];
    snprintf(area, sizeof area, "80%d%d", buurt_index / 3 % 10 + 1, buurt_index % 3 + 1);
    int64_t lat, lon;
    demo_coord(area, &lat, &lon);
    lat += (int64_t)(rnd() % 12601) * 10 - 63000;
    lon += (int64_t)(rnd() % 20801) * 10 - 104000;
    char la[16], lo[16];
    geo_format_e7(lat, la);
    geo_format_e7(lon, lo);
    db_stmt_t *st = db_prepare(db, "INSERT INTO hsds_location (id, gemeente, location_type, organization_id, name,"
                                   " latitude, longitude) VALUES (?, ?, 'physical', ?, ?, ?, ?)");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, gm);
    db_bind_text(st, 3, org_id);
    db_bind_text(st, 4, name);
    db_bind_text(st, 5, la);
    db_bind_text(st, 6, lo);
    if (exec_ok(st)) return -1;
    char aid[37], street[64], pc[8];
    id_of("address", k, aid);
    snprintf(street, sizeof street, "%s %d", streets[rnd() % (sizeof streets / sizeof *streets)], (int)(rnd() % 120) + 1);
    snprintf(pc, sizeof pc, "80%02d%c%c", (int)(rnd() % 40) + 10, 'A' + (int)(rnd() % 17), 'B' + (int)(rnd() % 17));
    st = db_prepare(db, "INSERT INTO hsds_address (id, gemeente, location_id, address_1, city, state_province,"
                        " postal_code, country, address_type) VALUES (?, ?, ?, ?, 'Kantelstad', 'Overijssel', ?, 'NL',"
                        " 'physical')");
    db_bind_text(st, 1, aid);
    db_bind_text(st, 2, gm);
    db_bind_text(st, 3, id);
    db_bind_text(st, 4, street);
    db_bind_text(st, 5, pc);
    return exec_ok(st);
}

static int put_attribute(db_t *db, const char *gm, const char *service_id, const char *code, int64_t k, int j)
{
    char id[37], term[37], name[64];
    snprintf(name, sizeof name, "%lld/%d", (long long)k, j);
    id_of("attribute", k * 16 + j, id);
    socialmap_term_id(code, term);
    db_stmt_t *st = db_prepare(db, "INSERT INTO hsds_attribute (id, gemeente, link_id, taxonomy_term_id, link_type,"
                                   " link_entity, value) VALUES (?, ?, ?, ?, 'kantel', 'service', ?)");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, gm);
    db_bind_text(st, 3, service_id);
    db_bind_text(st, 4, term);
    db_bind_text(st, 5, code);
    return exec_ok(st);
}

/* The Kantel terms of one offer: life domains, level, age groups it overlaps. */
static int put_terms(db_t *db, const char *gm, const char *sid, const struct offer *o, int64_t k)
{
    int j = 0, rc = 0;
    char list[200];
    snprintf(list, sizeof list, "%s", o->domains);
    for (char *save = NULL, *d = strtok_r(list, ",", &save); d && !rc; d = strtok_r(NULL, ",", &save)) {
        char code[80];
        snprintf(code, sizeof code, "levensdomein/%s", d);
        rc = put_attribute(db, gm, sid, code, k, j++);
    }
    if (!rc) rc = put_attribute(db, gm, sid, o->level == 4 ? "trede/4" : "trede/5", k, j++);
    for (size_t g = 0; g < socialmap_age_group_count && !rc; g++) {
        const struct socialmap_age_group *a = &socialmap_age_groups[g];
        int lo = o->min_age < 0 ? 0 : o->min_age, hi = o->max_age < 0 ? 200 : o->max_age;
        int ghi = a->max_age < 0 ? 200 : a->max_age;
        if (lo <= ghi && hi >= a->min_age) {
            char code[80];
            snprintf(code, sizeof code, "leeftijd/%s", a->code);
            rc = put_attribute(db, gm, sid, code, k, j++);
        }
    }
    return rc;
}

static int put_details(db_t *db, const char *gm, const char *sid, const char *sal, const struct offer *o, int64_t k)
{
    char id[37];
    id_of("schedule", k, id);
    db_stmt_t *st = db_prepare(db, "INSERT INTO hsds_schedule (id, gemeente, service_id, service_at_location_id, freq,"
                                   " interval, byday, opens_at, closes_at, description) VALUES (?, ?, ?, ?, ?, '1', ?,"
                                   " ?, ?, ?)");
    char desc[120];
    snprintf(desc, sizeof desc, "%s van %s tot %s", o->monthly ? "Maandelijks" : "Wekelijks", o->opens, o->closes);
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, gm);
    db_bind_text(st, 3, sid);
    db_bind_text(st, 4, sal);
    db_bind_text(st, 5, o->monthly ? "MONTHLY" : "WEEKLY");
    db_bind_text(st, 6, o->byday);
    db_bind_text(st, 7, o->opens);
    db_bind_text(st, 8, o->closes);
    db_bind_text(st, 9, desc);
    if (exec_ok(st)) return -1;

    id_of("cost", k, id);
    st = db_prepare(db, "INSERT INTO hsds_cost_option (id, gemeente, service_id, option, currency, amount,"
                        " amount_description) VALUES (?, ?, ?, ?, 'EUR', ?, ?)");
    char amount[16];
    snprintf(amount, sizeof amount, "%d.%02d", o->cents / 100, o->cents % 100);
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, gm);
    db_bind_text(st, 3, sid);
    db_bind_text(st, 4, o->cents ? "Eigen bijdrage per keer" : "Gratis");
    db_bind_text(st, 5, amount);
    db_bind_text(st, 6, o->cents ? "Met een minimuminkomen vraagt u korting via het wijkteam" : "Geen kosten");
    if (exec_ok(st)) return -1;

    id_of("phone", k, id);
    st = db_prepare(db, "INSERT INTO hsds_phone (id, gemeente, service_id, number, type) VALUES (?, ?, ?, ?, 'voice')");
    char number[24];
    snprintf(number, sizeof number, "0570-%06d", (int)(rnd() % 1000000));
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, gm);
    db_bind_text(st, 3, sid);
    db_bind_text(st, 4, number);
    if (exec_ok(st)) return -1;

    char langs[40];
    snprintf(langs, sizeof langs, "nl%s%s", *o->languages ? "," : "", o->languages);
    int j = 0;
    for (char *save = NULL, *l = strtok_r(langs, ",", &save); l; l = strtok_r(NULL, ",", &save), j++) {
        const char *name = l;
        for (size_t i = 0; i < sizeof lang_names / sizeof *lang_names; i++)
            if (!strcmp(lang_names[i][0], l)) name = lang_names[i][1];
        id_of("language", k * 8 + j, id);
        st = db_prepare(db, "INSERT INTO hsds_language (id, gemeente, service_id, name, code) VALUES (?, ?, ?, ?, ?)");
        db_bind_text(st, 1, id);
        db_bind_text(st, 2, gm);
        db_bind_text(st, 3, sid);
        db_bind_text(st, 4, name);
        db_bind_text(st, 5, l);
        if (exec_ok(st)) return -1;
    }
    return put_terms(db, gm, sid, o, k);
}

static int put_service(db_t *db, const char *gm, const char *buurt, int buurt_index, const struct offer *o, int64_t k,
                       const char *today)
{
    char sid[37], oid[37], lid[37], sal[37], name[160], org[160], key[200];
    fill(name, sizeof name, o->name, buurt);
    fill(org, sizeof org, o->org, buurt);
    snprintf(key, sizeof key, "demo-organization:%s", org);
    socialmap_uuid(key, oid);
    id_of("service", k, sid);
    id_of("location", k, lid);
    id_of("sal", k, sal);
    if (put_org(db, gm, oid, org) || put_location(db, gm, lid, oid, org, k, buurt_index)) return -1;
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO hsds_service (id, gemeente, organization_id, name, description, status, minimum_age, maximum_age,"
        " assured_date, assurer_email, fees_description, last_modified)"
        " VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, 'sociale-kaart@kantelstad.example', ?, ?)");
    char minage[8], maxage[8], modified[32];
    snprintf(minage, sizeof minage, "%d", o->min_age);
    snprintf(maxage, sizeof maxage, "%d", o->max_age);
    snprintf(modified, sizeof modified, "%sT09:00:00Z", today);
    db_bind_text(st, 1, sid);
    db_bind_text(st, 2, gm);
    db_bind_text(st, 3, oid);
    db_bind_text(st, 4, name);
    db_bind_text(st, 5, o->description);
    db_bind_text(st, 6, o->min_age >= 0 ? minage : NULL);
    db_bind_text(st, 7, o->max_age >= 0 ? maxage : NULL);
    db_bind_text(st, 8, today);
    db_bind_text(st, 9, o->cents ? "Een kleine eigen bijdrage" : "Gratis");
    db_bind_text(st, 10, modified);
    if (exec_ok(st)) return -1;
    st = db_prepare(db, "INSERT INTO hsds_service_at_location (id, gemeente, service_id, location_id) VALUES (?, ?, ?, ?)");
    db_bind_text(st, 1, sal);
    db_bind_text(st, 2, gm);
    db_bind_text(st, 3, sid);
    db_bind_text(st, 4, lid);
    if (exec_ok(st)) return -1;
    return put_details(db, gm, sid, sal, o, k);
}

/* The neighbourhood names of the municipality (at most 64). */
static int load_buurten(db_t *db, const char *gm, char names[64][64])
{
    db_stmt_t *st = db_prepare(db, "SELECT name FROM area WHERE gemeente = ? AND kind = 'buurt' ORDER BY code");
    db_bind_text(st, 1, gm);
    int n = 0;
    while (n < 64 && db_step(st) == DB_ROW) snprintf(names[n++], 64, "%s", db_col_text(st, 0));
    db_done(st);
    for (int i = 0; n == 0 && i < 5; i++) snprintf(names[i], 64, "%s", fallback_buurten[i]);
    return n ? n : 5;
}

int demo_socialmap(db_t *db, const char *gm, int64_t first, int64_t count, const char *today)
{
    char buurten[64][64];
    int nb = load_buurten(db, gm, buurten);
    if (socialmap_taxonomy_ensure(db, gm) != 0) return -1;
    g_rng = 0x4b616e74656c2121ULL ^ (uint64_t)first * 0x9E3779B97F4A7C15ULL;
    for (int64_t k = first; k < first + count; k++) {
        const struct offer *o = &catalogue[k % (int64_t)N_OFFERS];
        char buurt[96];
        int64_t round = k / (int64_t)N_OFFERS;
        /* Each offer goes round the neighbourhoods, then again with a number:
         * every service has its own name. */
        int64_t b = (k % (int64_t)N_OFFERS + round) % nb;
        if (round < nb) snprintf(buurt, sizeof buurt, "%s", buurten[b]);
        else snprintf(buurt, sizeof buurt, "%s %lld", buurten[b], (long long)(round / nb + 1));
        if (put_service(db, gm, buurt, (int)b, o, k, today) != 0) {
            fprintf(stderr, "kantel demo: sociale kaart, service %lld: %s\n", (long long)k, db_errmsg(db));
            return -1;
        }
    }
    return search_touch(db, gm);
}

int demo_socialmap_add(db_t *db, const char *gm, int64_t count)
{
    if (db_begin(db) != DB_OK) return -1;
    db_stmt_t *st = db_prepare(db, "SELECT count(*) FROM hsds_service WHERE gemeente = ?");
    db_bind_text(st, 1, gm);
    int64_t first = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    day_t today = day_today_amsterdam(now_s());
    char day[11];
    day_format(today, day);
    if (first < 0 || demo_socialmap(db, gm, first, count, day) != 0) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db) == DB_OK ? 0 : -1;
}
