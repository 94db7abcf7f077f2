/* user.c - `kantel user add|list|disable|passwd|mfa-reset|unlock`. */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "auth/account.h"
#include "auth/audit.h"
#include "auth/policy.h"
#include "auth/session.h"
#include "cli/cli.h"
#include "core/config.h"
#include "core/util.h"

static void audit_cli(const char *action, int64_t id, const char *detail)
{
    char obj[24];
    snprintf(obj, sizeof obj, "%lld", (long long)id);
    struct audit_event ev = {.action = action, .object_type = "account", .object_id = obj, .result = "ok",
                             .origin = "cli", .actor = "cli", .gemeente = config_get("gemeente"), .detail = detail};
    audit_log(&ev);
}

/* Reads a line without echo on a terminal; from a pipe, just the line. */
static int read_line(const char *prompt, char *out, size_t n)
{
    int tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    if (tty) {
        fprintf(stderr, "%s", prompt);
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    char *r = fgets(out, (int)n, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fprintf(stderr, "\n");
    }
    if (!r) return -1;
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

static int read_password(char *out, size_t n)
{
    if (read_line("Password: ", out, n) != 0) {
        fprintf(stderr, "kantel user: no password on standard input\n");
        return -1;
    }
    if (isatty(STDIN_FILENO)) {
        char again[256];
        if (read_line("Password again: ", again, sizeof again) != 0 || strcmp(out, again) != 0) {
            fprintf(stderr, "kantel user: the passwords differ\n");
            return -1;
        }
    }
    return 0;
}

static int find(db_t *db, const char *name, struct account *a)
{
    if (account_by_name(db, name, a) != 0) {
        fprintf(stderr, "kantel user: no account named '%s'\n", name);
        return -1;
    }
    return 0;
}

static int user_add(int argc, char **argv)
{
    const char *name = NULL, *role = NULL, *display = NULL, *email = "";
    for (int i = 0; i < argc; i++) {
        const char **slot = !strcmp(argv[i], "--role") ? &role : !strcmp(argv[i], "--name") ? &display
                          : !strcmp(argv[i], "--email") ? &email : NULL;
        if (slot) {
            if (i + 1 >= argc) return cli_usage_error("user", "%s needs a value", argv[i]);
            *slot = argv[++i];
        } else if (argv[i][0] == '-') {
            return cli_usage_error("user", "unknown option '%s'", argv[i]);
        } else if (!name) {
            name = argv[i];
        } else {
            return cli_usage_error("user", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!name || !role || !display) return cli_usage_error("user", "add needs NAME, --role and --name");
    if (role_from_code(role) == ROLE_NONE) return cli_usage_error("user", "unknown role '%s'", role);
    db_t *db = cli_open(1);
    if (!db || cli_ensure_municipality(db, NULL) != 0) return 1;
    char pw[256], msg[256];
    if (read_password(pw, sizeof pw) != 0) return 1;
    int64_t id = account_create(db, config_get("gemeente"), name, display, email, role, pw, msg, sizeof msg);
    if (id < 0) {
        fprintf(stderr, "kantel user: %s\n", msg);
        return 1;
    }
    audit_cli("account.create", id, role);
    printf("account %s created (id %lld, role %s)%s\n", name, (long long)id, role,
           role_info(role_from_code(role))->mfa_required ? "; sets up TOTP at first sign-in" : "");
    return 0;
}

static int user_list(void)
{
    db_t *db = cli_open(0);
    if (!db) return 1;
    db_stmt_t *st = db_prepare(db,
        "SELECT id, username, role, totp_enabled, disabled, locked_until, display_name FROM account"
        " WHERE gemeente = ? ORDER BY username");
    db_bind_text(st, 1, config_get("gemeente"));
    printf("%-5s %-20s %-11s %-5s %-9s %s\n", "id", "username", "role", "totp", "status", "name");
    int64_t now = now_s();
    while (db_step(st) == DB_ROW)
        printf("%-5lld %-20s %-11s %-5s %-9s %s\n", (long long)db_col_int(st, 0), db_col_text(st, 1),
               db_col_text(st, 2), db_col_int(st, 3) ? "yes" : "no",
               db_col_int(st, 4) ? "disabled" : db_col_int(st, 5) > now ? "locked" : "active", db_col_text(st, 6));
    db_done(st);
    return 0;
}

int cmd_user(int argc, char **argv)
{
    if (argc < 1) return cli_usage_error("user", "missing subcommand (add, list, disable, passwd, mfa-reset, unlock)");
    const char *sub = argv[0];
    if (!strcmp(sub, "add")) return user_add(argc - 1, argv + 1);
    if (!strcmp(sub, "list")) return argc == 1 ? user_list() : cli_usage_error("user", "list takes no arguments");
    if (strcmp(sub, "disable") && strcmp(sub, "passwd") && strcmp(sub, "mfa-reset") && strcmp(sub, "unlock"))
        return cli_usage_error("user", "unknown subcommand '%s'", sub);
    if (argc != 2) return cli_usage_error("user", "%s needs exactly one NAME", sub);
    db_t *db = cli_open(0);
    struct account a;
    if (!db || find(db, argv[1], &a) != 0) return 1;
    if (!strcmp(sub, "disable")) {
        if (account_disable(db, a.id) != 0) return 1;
        audit_cli("account.disable", a.id, NULL);
        printf("account %s disabled; its sessions have ended\n", a.username);
    } else if (!strcmp(sub, "passwd")) {
        char pw[256], msg[256];
        if (read_password(pw, sizeof pw) != 0) return 1;
        if (account_set_password(db, a.id, pw, msg, sizeof msg) != 0) {
            fprintf(stderr, "kantel user: %s\n", msg);
            return 1;
        }
        session_delete_account(db, a.id);
        audit_cli("account.password", a.id, NULL);
        printf("password of %s changed; its sessions have ended\n", a.username);
    } else if (!strcmp(sub, "mfa-reset")) {
        if (account_mfa_reset(db, a.id) != 0) return 1;
        audit_cli("account.mfa-reset", a.id, NULL);
        printf("second factor of %s removed; set up again at next sign-in\n", a.username);
    } else {
        if (account_unlock(db, a.id) != 0) return 1;
        audit_cli("account.unlock", a.id, NULL);
        printf("account %s unlocked\n", a.username);
    }
    return 0;
}
