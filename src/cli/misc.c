/* misc.c - `kantel init|migrate|backup|audit|version|routes`. */
#include <jansson.h>
#include <libpq-fe.h>
#include <microhttpd.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "auth/audit.h"
#include "cli/cli.h"
#include "core/config.h"
#include "core/keys.h"
#include "http/http.h"

#define KANTEL_VERSION "0.1.0"

int cmd_init(int argc, char **argv)
{
    const char *name = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--naam") && i + 1 < argc) name = argv[++i];
        else return cli_usage_error("init", "unexpected argument '%s'", argv[i]);
    }
    db_t *db = cli_open(1);
    if (!db || cli_ensure_municipality(db, name) != 0) return 1;
    printf("initialised %s (schema version %d, municipality %s, key file %s)\n"
           "next: kantel user add NAME --role admin --name \"Full name\"\n",
           cli_db_name(), db_schema_version(db), config_get("gemeente"), config_get("key_file"));
    return 0;
}

int cmd_migrate(int argc, char **argv)
{
    if (argc > 0) return cli_usage_error("migrate", "unexpected argument '%s'", argv[0]);
    char err[512];
    db_t *db;
    if (db_open(config_get("database"), &db, err, sizeof err) != DB_OK) {
        fprintf(stderr, "kantel migrate: %s\n", err);
        return 1;
    }
    int n = db_migrate(db, err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "kantel migrate: %s\n", err);
        db_close(db);
        return 1;
    }
    printf("applied %d migration%s; schema version %d\n", n, n == 1 ? "" : "s", db_schema_version(db));
    db_close(db);
    return 0;
}

int cmd_backup(int argc, char **argv)
{
    if (argc != 1 || argv[0][0] == '-') return cli_usage_error("backup", "needs exactly one FILE");
    db_t *db = cli_open(0);
    if (!db) return 1;
    char err[512];
    if (db_backup(db, argv[0], err, sizeof err) != DB_OK) {
        fprintf(stderr, "kantel backup: %s\n", err);
        return 1;
    }
    printf("backup written to %s\n", argv[0]);
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    if (argc != 1 || strcmp(argv[0], "verify") != 0) return cli_usage_error("audit", "the only subcommand is 'verify'");
    db_t *db = cli_open(0);
    if (!db) return 1;
    uint8_t key[KEY_BYTES];
    keys_get(KEY_AUDIT, key);
    struct audit_verify_result r;
    int rc = audit_verify(db, key, &r);
    sodium_memzero(key, sizeof key);
    if (rc < 0) {
        fprintf(stderr, "kantel audit verify: database error: %s\n", db_errmsg(db));
        return 1;
    }
    if (rc == 0) {
        printf("audit trail intact: %lld rows checked\n", (long long)r.rows_checked);
        db_stmt_t *st = db_prepare(db, "SELECT count(*) FROM audit_queue");
        int64_t waiting = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
        db_done(st);
        if (waiting > 0)
            printf("%lld event%s waiting in audit_queue; a running kantel serve adds them to the chain\n",
                   (long long)waiting, waiting == 1 ? "" : "s");
        return 0;
    }
    printf("AUDIT TRAIL TAMPERED: first bad row %lld: %s\n", (long long)r.first_bad_id, r.reason);
    return 1;
}

int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int pq = PQlibVersion(); /* e.g. 150018 */
    printf("kantel %s (SQLite %s, libpq %d.%d, libmicrohttpd %s, jansson %s, libsodium %s)\n", KANTEL_VERSION,
           sqlite3_libversion(), pq / 10000, pq % 100, MHD_get_version(), JANSSON_VERSION, sodium_version_string());
    return 0;
}

int cmd_routes(int argc, char **argv)
{
    int json = argc == 1 && !strcmp(argv[0], "--json");
    int md = argc == 1 && !strcmp(argv[0], "--markdown");
    if (argc > 0 && !json && !md) return cli_usage_error("routes", "unexpected argument '%s'", argv[0]);
    if (md)
        printf("| method | path | capability | CSRF | personal data | parameters |\n"
               "|---|---|---|---|---|---|\n");
    char err[256];
    if (router_init(err, sizeof err) != 0) {
        fprintf(stderr, "kantel routes: %s\n", err);
        return 1;
    }
    json_t *arr = json_array();
    for (int i = 0; i < http_routes_count; i++) {
        const struct route *r = &http_routes[i];
        json_t *params = json_array();
        for (int p = 0; p < r->n_params; p++)
            json_array_append_new(params, json_pack("{s:s, s:s, s:b}", "name", r->p[p].name, "type", r->p[p].type,
                                                    "required", r->p[p].required));
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:o}", "method", r->method,
            "pattern", r->pattern, "handler", r->name, "capability", capability_name(r->cap),
            "csrf", !!(r->flags & RF_CSRF), "personal_data", !!(r->flags & (RF_PD_READ | RF_PD_WRITE)),
            "form", !!(r->flags & RF_FORM), "params", params));
        if (md)
            printf("| %s | `%s` | %s | %s | %s | %s |\n", r->method, r->pattern, capability_name(r->cap),
                   r->flags & RF_CSRF ? "yes" : "", r->flags & RF_PD_WRITE ? "write" : r->flags & RF_PD_READ ? "read" : "",
                   *r->params ? r->params : "");
        else if (!json)
            printf("%-5s %-42s %-15s %s%s %s\n", r->method, r->pattern, capability_name(r->cap),
                   r->flags & RF_CSRF ? "csrf " : "", r->flags & (RF_PD_READ | RF_PD_WRITE) ? "pd" : "  ", r->params);
    }
    if (json) {
        char *s = json_dumps(arr, JSON_INDENT(1));
        puts(s);
        free(s);
    }
    json_decref(arr);
    return 0;
}
