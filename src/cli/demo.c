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
#include "cli/cli.h"
#include "core/config.h"
#include "core/util.h"

#define DEMO_PASSWORD "Kantel-demo-2026!"
#define DEMO_TOTP "KANTELDEMOKANTELDEMOKANTELDEMO22"

static const struct {
    const char *username, *role, *name;
} demo_accounts[] = {
    {"inwoner", "resident", "Sanne de Vries"},
    {"netwerk", "network", "Joost Bakker"},
    {"generalist", "generalist", "Fatima El Amrani"},
    {"teamleider", "teamlead", "Pieter Jansen"},
    {"beleid", "policy", "Anouk Visser"},
    {"aanbieder", "provider", "Zorggroep De Linde"},
    {"organisatie", "community", "Buurthuis De Kantel"},
    {"beheerder", "admin", "Ruud Smit"},
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

/* `kantel demo code`: the current sign-in code of the demo accounts, for
 * people without an authenticator app. Only for a demo database. */
static int demo_code(int exists)
{
    if (!exists) {
        fprintf(stderr, "kantel demo code: %s is not a demo database\n", config_get("database"));
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
    if (argc > 0 && !code) return cli_usage_error("demo", "unexpected argument '%s'", argv[0]);
    db_t *db = cli_open(!code);
    if (!db) return 1;
    const char *gm = config_get("gemeente");
    db_stmt_t *st = db_prepare(db, "SELECT value FROM settings WHERE gemeente = ? AND name = 'demo'");
    db_bind_text(st, 1, gm);
    int exists = db_step(st) == DB_ROW;
    db_done(st);
    if (code) return demo_code(exists);
    if (exists) {
        printf("The demo municipality already exists in %s.\n", config_get("database"));
        print_accounts();
        return 0;
    }
    st = db_prepare(db, "SELECT count(*) FROM account WHERE gemeente = ?");
    db_bind_text(st, 1, gm);
    int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    if (n != 0) {
        fprintf(stderr, "kantel demo: %s already holds accounts of municipality %s; use an empty database\n",
                config_get("database"), gm);
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
    int64_t first_team = 0;
    for (size_t w = 0; ok && w < sizeof demo_areas / sizeof demo_areas[0]; w++) {
        char acode[16];
        snprintf(acode, sizeof acode, "WK%s%s", gm, demo_areas[w].wijk);
        int64_t wid = insert_area(db, gm, acode, demo_areas[w].name, "wijk", 0);
        ok = wid > 0;
        for (int b = 0; ok && b < 3; b++) {
            snprintf(acode, sizeof acode, "BU%s%s%02d", gm, demo_areas[w].wijk, b + 1);
            ok = insert_area(db, gm, acode, demo_areas[w].buurten[b], "buurt", wid) > 0;
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
        if (!first_team) first_team = tid;
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
        if (!strcmp(demo_accounts[i].role, "generalist") || !strcmp(demo_accounts[i].role, "teamlead")) {
            st = db_prepare(db, "UPDATE account SET team_id = ? WHERE id = ?");
            db_bind_int(st, 1, first_team);
            db_bind_int(st, 2, id);
            ok = ok && db_step(st) == DB_DONE;
            db_done(st);
        }
    }
    if (!ok) {
        fprintf(stderr, "kantel demo: could not create the demo (%s); nothing was written\n", db_errmsg(db));
        db_rollback(db);
        return 1;
    }
    if (db_commit(db) != DB_OK) return 1;
    printf("Created the demo municipality Gemeente Kantelstad (%s) in %s.\n", gm, config_get("database"));
    print_accounts();
    return 0;
}
