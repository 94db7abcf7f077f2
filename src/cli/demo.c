/*
 * demo.c - `kantel demo`: a fictional municipality (Gemeente Kantelstad,
 * code from config, default 9999) with districts, neighbourhoods, teams and
 * one account per role. Demo accounts share a password and a TOTP secret so
 * a new user can sign in at once; the database is marked as demo so the UI
 * says so. Never use a demo database for real data.
 */
#include <stdio.h>
#include <string.h>

#include "auth/account.h"
#include "auth/totp.h"
#include "domain/household.h"
#include "domain/ident.h"
#include "cli/cli.h"
#include "cli/demo_socialmap.h"
#include "core/config.h"
#include "core/util.h"

#define DEMO_PASSWORD "Kantel-demo-2026!"
#define DEMO_TOTP "KANTELDEMOKANTELDEMOKANTELDEMO22"
#define DEMO_SERVICES 320 /* the sociale kaart of the demo town (demo_socialmap.c) */

/* team: index into demo_areas of the caseworker's team (-1 = none). */
static const struct {
    const char *username, *role, *name;
    int team;
} demo_accounts[] = {
    {"inwoner", "resident", "Sanne de Vries", -1},
    {"netwerk", "network", "Joost Bakker", -1},
    {"generalist", "generalist", "Fatima El Amrani", 0},
    {"teamleider", "teamlead", "Pieter Jansen", 0},
    {"beleid", "policy", "Anouk Visser", -1},
    {"aanbieder", "provider", "Zorggroep De Linde", -1},
    {"organisatie", "community", "Buurthuis De Kantel", -1},
    {"wandelclub", "community", "Wandelvereniging (secretaris)", -1},
    {"beheerder", "admin", "Ruud Smit", -1},
    {"generalist2", "generalist", "Sem de Boer", 1},
};

/* Fictional households: wijk and buurt index into demo_areas, the
 * coordinator's user name, and members (relation, given names, prefix,
 * family name, birth date, gender). BSNs come from bsn_test_number(). */
struct demo_member {
    const char *relation, *given, *prefix, *family, *birth, *gender;
};
static const struct {
    const char *name;
    int wijk, buurt, number;
    const char *street, *postcode, *coordinator;
    struct demo_member members[4];
} demo_households[] = {
    {"Huishouden De Vries", 0, 0, 12, "Kerkstraat", "8011AB", "generalist",
     {{"hoofdbewoner", "Sanne", "de", "Vries", "1984-05-12", "vrouw"},
      {"kind", "Lars", "de", "Vries", "2012-09-03", "man"},
      {"kind", "Noor", "de", "Vries", "2016-02-20", "vrouw"}}},
    {"Huishouden Bakker", 0, 1, 4, "Havenkade", "8011CD", "generalist",
     {{"hoofdbewoner", "Kees", "", "Bakker", "1951-11-02", "man"},
      {"partner", "Riet", "", "Bakker-Smit", "1953-03-14", "vrouw"}}},
    {"Huishouden El Idrissi", 0, 2, 31, "Stationsweg", "8012EF", "generalist",
     {{"hoofdbewoner", "Yasmina", "", "El Idrissi", "2001-07-30", "vrouw"}}},
    {"Huishouden Jansen", 1, 0, 7, "Molenstraat", "8021GH", "generalist2",
     {{"hoofdbewoner", "Henk", "", "Jansen", "1967-01-21", "man"}}},
    {"Huishouden Visser", 1, 2, 18, "Merelhof", "8022JK", "generalist2",
     {{"hoofdbewoner", "Emma", "", "Visser", "1990-10-08", "vrouw"},
      {"kind", "Daan", "", "Visser", "2019-04-15", "man"}}},
    {"Huishouden Öztürk", 2, 0, 3, "Kanaalweg", "8031LM", "generalist2",
     {{"hoofdbewoner", "Ayşe", "", "Öztürk", "1975-06-25", "vrouw"},
      {"partner", "Murat", "", "Öztürk", "1972-12-01", "man"}}},
};

static const struct {
    const char *wijk, *name;
    const char *buurten[3];
} demo_areas[] = {
    {"01", "Centrum", {"Binnenstad", "Havenkwartier", "Stationsbuurt"}},
    {"02", "Noord", {"Molenwijk", "De Akkers", "Vogelbuurt"}},
    {"03", "Oost", {"Kanaalzone", "Bloemenbuurt", "Park Oost"}},
    {"04", "Zuid", {"De Horst", "Schildersbuurt", "Zuiderpark"}},
};

static int64_t insert_area(db_t *db, const char *gm, const char *code, const char *name, const char *kind,
                           int64_t parent)
{
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO area (gemeente, code, name, kind, parent_id) VALUES (?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(st, 1, gm);
    db_bind_text(st, 2, code);
    db_bind_text(st, 3, name);
    db_bind_text(st, 4, kind);
    if (parent) db_bind_int(st, 5, parent); else db_bind_null(st, 5);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    return id;
}

static void print_accounts(void)
{
    printf("\nDemo accounts of Gemeente Kantelstad (fictional data):\n\n");
    printf("  %-12s %s\n", "username", "role");
    for (size_t i = 0; i < sizeof demo_accounts / sizeof demo_accounts[0]; i++)
        printf("  %-12s %s\n", demo_accounts[i].username, demo_accounts[i].role);
    printf("\n  password for every account:  %s\n", DEMO_PASSWORD);
    printf("  TOTP secret for every account: %s\n", DEMO_TOTP);
    printf("  Add the secret to an authenticator app (FreeOTP, Aegis, ...), or print the current\n"
           "  code with 'kantel demo code' (same --database/--key-file). Each code works once per\n"
           "  account; for a second sign-in of the same account use the next code.\n\n");
}

static int64_t account_id_of(db_t *db, const char *username)
{
    db_stmt_t *st = db_prepare(db, "SELECT id FROM account WHERE username = ?");
    db_bind_text(st, 1, username);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return id;
}

/* Households with members, addresses and coordinators (inside the caller's
 * transaction). */
static int demo_households_create(db_t *db, const char *gm, int64_t buurt_ids[][3])
{
    uint32_t bsn_n = 0;
    int64_t now = now_s();
    for (size_t h = 0; h < sizeof demo_households / sizeof demo_households[0]; h++) {
        const __typeof__(demo_households[0]) *d = &demo_households[h];
        int64_t buurt = buurt_ids[d->wijk][d->buurt];
        int64_t addr = address_get(db, gm, d->postcode, d->number, "", d->street, "Kantelstad", buurt);
        int64_t hid = addr > 0 ? household_create(db, gm, d->name, addr, 0) : -1;
        if (hid < 0) return -1;
        for (int m = 0; m < 4 && d->members[m].relation; m++) {
            const struct demo_member *dm = &d->members[m];
            char bsn[10];
            bsn_test_number(bsn_n++, bsn);
            struct person_in p = {.bsn = bsn, .given_names = dm->given, .prefix = dm->prefix,
                                  .family_name = dm->family, .birth_date = dm->birth, .gender = dm->gender};
            int64_t pid = person_create(db, gm, &p, NULL);
            if (pid < 0 || household_add_member(db, hid, pid, dm->relation, NULL) != 0) return -1;
        }
        int64_t coord = account_id_of(db, d->coordinator);
        if (!coord || coordinator_set(db, hid, coord, "Demo: eerste regisseur", 0, now) != 0) return -1;
    }
    /* The resident demo account is Sanne de Vries of the first household. */
    db_stmt_t *st = db_prepare(db,
        "UPDATE account SET person_id = (SELECT m.person_id FROM household_member m JOIN household h"
        " ON h.id = m.household_id WHERE h.gemeente = ? AND h.name = ? AND m.relation = 'hoofdbewoner')"
        " WHERE username = 'inwoner'");
    db_bind_text(st, 1, gm);
    db_bind_text(st, 2, demo_households[0].name);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}

static void print_households(db_t *db)
{
    printf("Demo households (fictional; BSNs from the test range):\n");
    db_stmt_t *st = db_prepare(db,
        "SELECT h.id, h.name, t.name, a.username FROM household h LEFT JOIN team t ON t.id = h.team_id"
        " LEFT JOIN coordinator c ON c.household_id = h.id AND c.end_at IS NULL"
        " LEFT JOIN account a ON a.id = c.account_id WHERE h.gemeente = ? ORDER BY h.id LIMIT 20");
    db_bind_text(st, 1, config_get("gemeente"));
    while (db_step(st) == DB_ROW)
        printf("  household %lld: %s (%s; coordinator %s)\n", (long long)db_col_int(st, 0), db_col_text(st, 1),
               db_col_text(st, 2), db_col_text(st, 3));
    db_done(st);
    printf("\n");
}

static int run_scale(db_t *db, const char *gm, int64_t n)
{
    int64_t t0 = mono_us();
    if (db_begin(db) != DB_OK) return 1;
    if (demo_scale(db, gm, n) != 0) {
        db_rollback(db);
        fprintf(stderr, "kantel demo: could not add %lld residents (%s); nothing was written\n", (long long)n,
                db_errmsg(db));
        return 1;
    }
    if (db_commit(db) != DB_OK) return 1;
    printf("(%.1f s)\n", (double)(mono_us() - t0) / 1e6);
    return 0;
}

/* `kantel demo code`: the current sign-in code of the demo accounts, for
 * people without an authenticator app. Only for a demo database. */
static int demo_code(int exists)
{
    if (!exists) {
        fprintf(stderr, "kantel demo code: %s is not a demo database\n", cli_db_name());
        return 1;
    }
    uint8_t key[TOTP_SECRET_BYTES];
    base32_decode(DEMO_TOTP, key, sizeof key);
    int64_t now = now_s();
    char cur[8], next[8];
    totp_code(key, sizeof key, now, TOTP_DIGITS, cur);
    totp_code(key, sizeof key, now + TOTP_STEP, TOTP_DIGITS, next);
    printf("%s  (valid for %d more seconds; next: %s)\n", cur, (int)(TOTP_STEP - now % TOTP_STEP), next);
    return 0;
}

int cmd_demo(int argc, char **argv)
{
    int code = argc == 1 && strcmp(argv[0], "code") == 0;
    int64_t scale = 0, services = 0;
    int stages = 1;
    if (argc == 1 && strcmp(argv[0], "--no-stages") == 0) {
        stages = 0;
    } else if (argc == 2 && strcmp(argv[0], "--scale") == 0) {
        if (parse_i64(argv[1], 1, 500000, &scale) != 0)
            return cli_usage_error("demo", "--scale needs a number of residents from 1 to 500000");
    } else if (argc == 2 && strcmp(argv[0], "--services") == 0) {
        if (parse_i64(argv[1], 1, 100000, &services) != 0)
            return cli_usage_error("demo", "--services needs a number of services from 1 to 100000");
    } else if (argc > 0 && !code) {
        return cli_usage_error("demo", "unexpected argument '%s'", argv[0]);
    }
    db_t *db = cli_open(!code);
    if (!db) return 1;
    const char *gm = config_get("gemeente");
    db_stmt_t *st = db_prepare(db, "SELECT value FROM settings WHERE gemeente = ? AND name = 'demo'");
    db_bind_text(st, 1, gm);
    int exists = db_step(st) == DB_ROW;
    db_done(st);
    if (code) return demo_code(exists);
    if (exists && scale) return run_scale(db, gm, scale);
    if (exists && services) {
        if (demo_socialmap_add(db, gm, services) != 0) {
            fprintf(stderr, "kantel demo: adding services failed; nothing was written (%s)\n", db_errmsg(db));
            return 1;
        }
        printf("Added %lld services to the sociale kaart.\n", (long long)services);
        return 0;
    }
    if (services) {
        fprintf(stderr, "kantel demo: --services adds to an existing demo; run kantel demo first\n");
        return 1;
    }
    if (exists) {
        printf("The demo municipality already exists in %s.\n", cli_db_name());
        print_accounts();
        print_households(db);
        return 0;
    }
    st = db_prepare(db, "SELECT count(*) FROM account WHERE gemeente = ?");
    db_bind_text(st, 1, gm);
    int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    if (n != 0) {
        fprintf(stderr, "kantel demo: %s already holds accounts of municipality %s; use an empty database\n",
                cli_db_name(), gm);
        return 1;
    }
    if (db_begin(db) != DB_OK) return 1;
    int ok = cli_ensure_municipality(db, "Gemeente Kantelstad") == 0;
    st = db_prepare(db, "UPDATE municipality SET name = 'Gemeente Kantelstad' WHERE gemeente = ?");
    db_bind_text(st, 1, gm);
    ok = ok && db_step(st) == DB_DONE;
    db_done(st);
    st = db_prepare(db, "INSERT INTO settings (gemeente, name, value) VALUES (?, 'demo', '1')");
    db_bind_text(st, 1, gm);
    ok = ok && db_step(st) == DB_DONE;
    db_done(st);
    int64_t team_ids[sizeof demo_areas / sizeof demo_areas[0]] = {0};
    int64_t buurt_ids[sizeof demo_areas / sizeof demo_areas[0]][3] = {{0}};
    for (size_t w = 0; ok && w < sizeof demo_areas / sizeof demo_areas[0]; w++) {
        char acode[16];
        snprintf(acode, sizeof acode, "WK%s%s", gm, demo_areas[w].wijk);
        int64_t wid = insert_area(db, gm, acode, demo_areas[w].name, "wijk", 0);
        ok = wid > 0;
        for (int b = 0; ok && b < 3; b++) {
            snprintf(acode, sizeof acode, "BU%s%s%02d", gm, demo_areas[w].wijk, b + 1);
            buurt_ids[w][b] = insert_area(db, gm, acode, demo_areas[w].buurten[b], "buurt", wid);
            ok = buurt_ids[w][b] > 0;
        }
        char team[64];
        snprintf(team, sizeof team, "Wijkteam %s", demo_areas[w].name);
        st = db_prepare(db, "INSERT INTO team (gemeente, name, area_id) VALUES (?, ?, ?) RETURNING id");
        db_bind_text(st, 1, gm);
        db_bind_text(st, 2, team);
        db_bind_int(st, 3, wid);
        int64_t tid = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
        db_done(st);
        ok = ok && tid > 0;
        team_ids[w] = tid;
    }
    for (size_t i = 0; ok && i < sizeof demo_accounts / sizeof demo_accounts[0]; i++) {
        char msg[256];
        int64_t id = account_create(db, gm, demo_accounts[i].username, demo_accounts[i].name, "",
                                    demo_accounts[i].role, DEMO_PASSWORD, msg, sizeof msg);
        if (id < 0) {
            fprintf(stderr, "kantel demo: %s: %s\n", demo_accounts[i].username, msg);
            ok = 0;
            break;
        }
        ok = account_totp_set(db, id, DEMO_TOTP) == 0;
        if (demo_accounts[i].team >= 0) {
            st = db_prepare(db, "UPDATE account SET team_id = ? WHERE id = ?");
            db_bind_int(st, 1, team_ids[demo_accounts[i].team]);
            db_bind_int(st, 2, id);
            ok = ok && db_step(st) == DB_DONE;
            db_done(st);
        }
    }
    ok = ok && demo_households_create(db, gm, buurt_ids) == 0;
    if (!ok) {
        fprintf(stderr, "kantel demo: could not create the demo (%s); nothing was written\n", db_errmsg(db));
        db_rollback(db);
        return 1;
    }
    if (db_commit(db) != DB_OK) return 1;
    if (stages && demo_stages(db, gm) != 0) {
        fprintf(stderr, "kantel demo: the households were created, but bringing them to their stages failed (%s)\n",
                db_errmsg(db));
        return 1;
    }
    if (demo_volunteers(db, gm, stages) != 0) {
        fprintf(stderr, "kantel demo: the households were created, but adding the volunteers failed (%s)\n",
                db_errmsg(db));
        return 1;
    }
    if (demo_socialmap_add(db, gm, DEMO_SERVICES) != 0) {
        fprintf(stderr, "kantel demo: the households were created, but the sociale kaart failed (%s)\n",
                db_errmsg(db));
        return 1;
    }
    if (demo_orgs(db, gm) != 0) return 1;
    if (demo_istd(db, gm) != 0) {
        fprintf(stderr, "kantel demo: the households were created, but the iStandaarden messages failed (%s)\n",
                db_errmsg(db));
        return 1;
    }
    printf("Created the demo municipality Gemeente Kantelstad (%s) in %s.\n", gm, cli_db_name());
    print_accounts();
    print_households(db);
    if (scale) return run_scale(db, gm, scale);
    return 0;
}
