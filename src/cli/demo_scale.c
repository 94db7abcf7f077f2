/*
 * demo_scale.c - `kantel demo --scale N`: N more fictional residents in
 * households spread over the demo's buurten, each household with a
 * coordinator from its area's team, for benchmarks at a realistic size
 * (DOMAIN.md §13). Deterministic: the same N gives the same data. Runs in one
 * transaction; 100,000 residents take seconds.
 */
#include <stdio.h>
#include <string.h>

#include "auth/account.h"
#include "auth/password.h"
#include "cli/cli.h"
#include "core/util.h"
#include "domain/household.h"
#include "domain/ident.h"

#define CASEWORKERS_PER_TEAM 3

static uint64_t rng_state;
static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13; /* xorshift64 */
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static const char *const given_f[] = {"Anna", "Emma", "Fleur", "Lotte", "Sara", "Noor", "Julia", "Sophie", "Mila",
                                      "Fatima", "Yasmin", "Ayla", "Ingrid", "Marieke", "Els", "Wilma", "Joke", "Priya"};
static const char *const given_m[] = {"Jan", "Daan", "Sem", "Lucas", "Finn", "Milan", "Levi", "Mohamed", "Youssef",
                                      "Kees", "Henk", "Piet", "Bram", "Thijs", "Ruben", "Omar", "Arjun", "Stefan"};
static const struct { const char *prefix, *family; } families[] = {
    {"de", "Jong"}, {"", "Jansen"}, {"de", "Vries"}, {"van den", "Berg"}, {"van", "Dijk"}, {"", "Bakker"},
    {"", "Visser"}, {"", "Smit"}, {"", "Meijer"}, {"de", "Boer"}, {"", "Mulder"}, {"de", "Groot"},
    {"", "Bos"}, {"", "Vos"}, {"", "Peters"}, {"", "Hendriks"}, {"van", "Leeuwen"}, {"", "Dekker"},
    {"", "Yilmaz"}, {"", "El Amrani"}, {"", "Kaya"}, {"", "Nguyen"}, {"", "Kowalski"}, {"", "Pinas"}};
static const char *const streets[] = {"Dorpsstraat", "Schoolstraat", "Lindelaan", "Beukenlaan", "Eikenlaan",
                                      "Julianastraat", "Wilhelminastraat", "Molenweg", "Kastanjelaan", "Parklaan"};

/* Caseworker accounts per team (generalist-<team id>-<k>), made once. */
static int caseworkers(db_t *db, const char *gm, int64_t team, int64_t out[CASEWORKERS_PER_TEAM])
{
    char hash[PASSWORD_HASH_MAX];
    if (password_hash("Kantel-demo-2026!", hash) != 0) return -1;
    for (int k = 0; k < CASEWORKERS_PER_TEAM; k++) {
        char name[64];
        snprintf(name, sizeof name, "generalist-%lld-%d", (long long)team, k + 1);
        db_stmt_t *st = db_prepare(db,
            "INSERT INTO account (gemeente, username, display_name, role, team_id, password_hash, created_at, updated_at)"
            " VALUES (?, ?, ?, 'generalist', ?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET team_id = excluded.team_id"
            " RETURNING id");
        char display[64];
        snprintf(display, sizeof display, "Generalist %d van team %lld", k + 1, (long long)team);
        int64_t now = now_s();
        db_bind_text(st, 1, gm);
        db_bind_text(st, 2, name);
        db_bind_text(st, 3, display);
        db_bind_int(st, 4, team);
        db_bind_text(st, 5, hash);
        db_bind_int(st, 6, now);
        db_bind_int(st, 7, now);
        out[k] = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
        db_done(st);
        if (out[k] < 0) return -1;
    }
    return 0;
}

int demo_scale(db_t *db, const char *gm, int64_t n)
{
    rng_state = 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
    /* buurten with their team */
    int64_t buurt[64], team[64];
    int nb = 0;
    db_stmt_t *st = db_prepare(db, "SELECT id FROM area WHERE gemeente = ? AND kind = 'buurt' ORDER BY id");
    db_bind_text(st, 1, gm);
    while (nb < 64 && db_step(st) == DB_ROW) buurt[nb++] = db_col_int(st, 0);
    db_done(st);
    if (nb == 0) return -1;
    int64_t workers[64][CASEWORKERS_PER_TEAM];
    for (int b = 0; b < nb; b++) {
        team[b] = team_for_area(db, buurt[b]);
        int seen = -1;
        for (int j = 0; j < b; j++)
            if (team[j] == team[b]) seen = j;
        if (seen >= 0) memcpy(workers[b], workers[seen], sizeof workers[b]);
        else if (!team[b] || caseworkers(db, gm, team[b], workers[b]) != 0) return -1;
    }
    /* BSNs continue after the ones the households of `kantel demo` use. */
    st = db_prepare(db, "SELECT count(*) FROM person WHERE gemeente = ?");
    db_bind_text(st, 1, gm);
    uint32_t bsn_n = db_step(st) == DB_ROW ? (uint32_t)db_col_int(st, 0) : 0;
    db_done(st);
    if ((uint64_t)bsn_n + (uint64_t)n > BSN_TEST_COUNT) return -1;
    int64_t now = now_s(), made = 0, households = 0;
    while (made < n) {
        int b = (int)rnd((uint32_t)nb);
        int fam = (int)rnd(sizeof families / sizeof families[0]);
        /* household sizes: 40% one, 30% two, 15% three, 15% four */
        uint32_t r = rnd(100);
        int size = r < 40 ? 1 : r < 70 ? 2 : r < 85 ? 3 : 4;
        if (size > n - made) size = (int)(n - made);
        char postcode[7], hname[96];
        snprintf(postcode, sizeof postcode, "8%03u%c%c", 100 + (unsigned)b * 10 + rnd(10), 'A' + (char)rnd(17),
                 'B' + (char)rnd(20));
        int64_t addr = address_get(db, gm, postcode, (int)rnd(400) + 1, "", streets[rnd(10)], "Kantelstad", buurt[b]);
        snprintf(hname, sizeof hname, "Huishouden %s%s%s", families[fam].prefix, *families[fam].prefix ? " " : "",
                 families[fam].family);
        if (hname[11] >= 'a' && hname[11] <= 'z') hname[11] = (char)(hname[11] - 'a' + 'A'); /* "De Jong" */
        int64_t hid = addr > 0 ? household_create(db, gm, hname, addr, team[b]) : -1;
        if (hid < 0) return -1;
        for (int m = 0; m < size; m++) {
            int female = (int)rnd(2);
            int adult = m < 2;
            int year = adult ? 1935 + (int)rnd(70) : 2006 + (int)rnd(19);
            char birth[11], bsn[10];
            snprintf(birth, sizeof birth, "%04d-%02u-%02u", year, rnd(12) + 1, rnd(28) + 1);
            bsn_test_number(bsn_n++, bsn);
            struct person_in p = {.bsn = bsn,
                                  .given_names = female ? given_f[rnd(18)] : given_m[rnd(18)],
                                  .prefix = families[fam].prefix, .family_name = families[fam].family,
                                  .birth_date = birth, .gender = female ? "vrouw" : "man"};
            int64_t pid = person_create(db, gm, &p, NULL);
            const char *rel = m == 0 ? "hoofdbewoner" : m == 1 ? (rnd(3) ? "partner" : "ouder") : "kind";
            if (pid < 0 || household_add_member(db, hid, pid, rel, NULL) != 0) return -1;
        }
        if (coordinator_set(db, hid, workers[b][rnd(CASEWORKERS_PER_TEAM)], "Demo", 0, now) != 0) return -1;
        made += size;
        households++;
    }
    printf("Added %lld residents in %lld households (scale).\n", (long long)made, (long long)households);
    return 0;
}
