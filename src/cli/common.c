/* common.c - what every subcommand that touches the database does first. */
#include <stdio.h>
#include <string.h>

#include "auth/audit.h"
#include "cli/cli.h"
#include "core/config.h"
#include "core/keys.h"
#include "core/util.h"

const char *cli_db_name(void)
{
    static char shown[512];
    return db_display(config_get("database"), shown, sizeof shown);
}

db_t *cli_open(int create)
{
    char err[512];
    if (keys_load(config_get("key_file"), create, err, sizeof err) != 0) {
        fprintf(stderr, "kantel: %s\n", err);
        if (!create) fprintf(stderr, "kantel: run 'kantel init' first, or point --key-file at the key\n");
        return NULL;
    }
    uint8_t k[KEY_BYTES];
    keys_get(KEY_AUDIT, k);
    audit_set_key(k);
    db_t *probe;
    if (db_open(config_get("database"), &probe, err, sizeof err) != DB_OK) {
        fprintf(stderr, "kantel: cannot open database %s: %s\n", cli_db_name(), err);
        return NULL;
    }
    db_close(probe);
    db_set_statement_timeout(0); /* CLI commands (demo, copy) may run long statements */
    db_configure(config_get("database"));
    db_t *db = db_thread();
    int n = db_migrate(db, err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "kantel: %s\n", err);
        return NULL;
    }
    return db;
}

int cli_ensure_municipality(db_t *db, const char *name)
{
    const char *code = config_get("gemeente");
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO municipality (gemeente, name, created_at) VALUES (?, ?, ?) ON CONFLICT (gemeente) DO NOTHING");
    db_bind_text(st, 1, code);
    char fallback[64];
    snprintf(fallback, sizeof fallback, "Gemeente %s", code);
    db_bind_text(st, 2, name && *name ? name : fallback);
    db_bind_int(st, 3, now_s());
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) {
        fprintf(stderr, "kantel: cannot register municipality %s: %s\n", code, db_errmsg(db));
        return -1;
    }
    return 0;
}
