/*
 * hsds.c - `kantel import hsds PATH [--type KIND] [--drop-dangling]` and
 * `kantel export hsds DIR`: the command-line side of src/hsds/ (see
 * docs/hsds.md).
 *
 * import stages PATH (a JSON file, or a directory with datapackage.json and
 * CSV files), validates everything and writes it in one transaction only when
 * nothing is wrong; every problem goes to stderr as one line "WHERE: FIELD:
 * MESSAGE" and the exit code is 1 with nothing imported. --drop-dangling
 * turns links to rows that are nowhere (not in required fields) into
 * warnings, on stderr in the same format, and imports them as empty. export writes both
 * forms into a new or empty directory. The municipality is config key
 * gemeente. The argument after the command names the format; only "hsds"
 * exists now.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/config.h"
#include "hsds/hsds.h"

static int check_format(const char *cmd, int argc, char **argv)
{
    if (argc < 1) return cli_usage_error(cmd, "needs a format: hsds");
    if (strcmp(argv[0], "hsds") != 0) return cli_usage_error(cmd, "unknown format '%s' (known: hsds)", argv[0]);
    return 0;
}

static void print_counts(const hsds_import_t *imp, const char *path)
{
    size_t total = 0;
    for (size_t i = 0; i < hsds_n_resources; i++) total += hsds_import_count(imp, &hsds_resources[i]);
    printf("imported %zu records from %s:", total, path);
    const char *sep = " ";
    for (size_t i = 0; i < hsds_n_resources; i++) {
        size_t n = hsds_import_count(imp, &hsds_resources[i]);
        if (!n) continue;
        printf("%s%s %zu", sep, hsds_resources[i].name, n);
        sep = ", ";
    }
    printf("\n");
}

static int run_import(const char *path, int kind, int is_dir, int drop_dangling)
{
    db_t *db = cli_open(0);
    if (!db) return 1;
    if (cli_ensure_municipality(db, NULL) != 0) return 1;
    hsds_import_t *imp = hsds_import_new(db, config_get("gemeente"));
    hsds_import_set_drop_dangling(imp, drop_dangling);
    if (is_dir) hsds_stage_dir(imp, path);
    else hsds_stage_json(imp, path, kind);
    int rc = hsds_import_commit(imp);
    if (rc == 0) {
        size_t nw = hsds_import_warnings(imp);
        for (size_t i = 0; i < nw; i++) fprintf(stderr, "%s\n", hsds_import_warning(imp, i));
        if (nw) fprintf(stderr, "kantel import: %zu dangling link%s dropped\n", nw, nw == 1 ? "" : "s");
        print_counts(imp, path);
    } else {
        size_t np = hsds_import_problems(imp), nd = hsds_import_dangling(imp);
        for (size_t i = 0; i < np; i++) fprintf(stderr, "%s\n", hsds_import_problem(imp, i));
        fprintf(stderr, "kantel import: nothing imported: %zu problem%s\n", np, np == 1 ? "" : "s");
        if (nd && !drop_dangling)
            fprintf(stderr,
                    "kantel import: %zu of them %s neither in this import nor in the store;"
                    " --drop-dangling imports the rest with %s left empty\n",
                    nd, nd == 1 ? "is a link to a row that is" : "are links to rows that are",
                    nd == 1 ? "that link" : "those links");
    }
    hsds_import_free(imp);
    return rc == 0 ? 0 : 1;
}

int cmd_import(int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "postcodes") == 0) return cli_import_postcodes(argc - 1, argv + 1); /* postcodes.c */
    int rc = check_format("import", argc, argv);
    if (rc) return rc;
    const char *path = NULL;
    int kind = -1, drop_dangling = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--drop-dangling") == 0) {
            drop_dangling = 1;
        } else if (strcmp(argv[i], "--type") == 0 && i + 1 < argc) {
            kind = hsds_kind_parse(argv[++i]);
            if (kind < 0) return cli_usage_error("import", "unknown --type '%s'", argv[i]);
        } else if (argv[i][0] == '-' || path) {
            return cli_usage_error("import", "unexpected argument '%s'", argv[i]);
        } else {
            path = argv[i];
        }
    }
    if (!path) return cli_usage_error("import", "needs a PATH (a JSON file or a directory)");
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "kantel import: %s: no such file or directory\n", path);
        return 1;
    }
    int is_dir = S_ISDIR(sb.st_mode);
    if (is_dir && kind >= 0) return cli_usage_error("import", "--type is for JSON files, not directories");
    return run_import(path, kind, is_dir, drop_dangling);
}

int cmd_export(int argc, char **argv)
{
    int rc = check_format("export", argc, argv);
    if (rc) return rc;
    if (argc != 2 || argv[1][0] == '-') return cli_usage_error("export", "needs one DIR");
    db_t *db = cli_open(0);
    if (!db) return 1;
    char err[1200];
    if (hsds_export(db, config_get("gemeente"), argv[1], err, sizeof err) != 0) {
        fprintf(stderr, "kantel export: %s\n", err);
        return 1;
    }
    printf("exported HSDS 3.0 of gemeente %s to %s (datapackage.json, %zu CSV files, json/)\n",
           config_get("gemeente"), argv[1], hsds_n_resources);
    return 0;
}
