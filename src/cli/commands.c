/*
 * commands.c - the kantel command line: configuration, then one table of
 * subcommands, each with its own help text. main.c only calls cli_main().
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/config.h"
#include "core/log.h"

struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
    const char *usage;
};

static const struct command commands[] = {
    {"serve", cmd_serve, "run the web server",
     "kantel serve [config flags]\n"
     "  Serves the web UI on the configured address (default 127.0.0.1:8080). Creates the\n"
     "  database and key file when missing and applies migrations first. Stops gracefully\n"
     "  on SIGTERM/SIGINT: no new connections, in-flight requests finish (shutdown_grace).\n"},
    {"init", cmd_init, "create the database, key file and municipality",
     "kantel init [--naam \"Gemeente X\"]\n"
     "  Creates the key file (0600) and the database, applies migrations and registers the\n"
     "  municipality of config key gemeente. Safe to run again.\n"},
    {"demo", cmd_demo, "create a fictional demo municipality with one account per role",
     "kantel demo [--scale N | --services N | --no-stages]\n"
     "kantel demo code     (prints the current sign-in code of the demo accounts)\n"
     "  --scale N adds N more fictional residents in households with coordinators (for\n"
     "  benchmarks; deterministic; may be run on an existing demo database).\n"
     "  The demo households come with requests, deadlines, assessments and plans at every\n"
     "  stage; --no-stages leaves them without (for tests that build those themselves).\n"
     "  Creates Gemeente Kantelstad with districts, neighbourhoods, teams and one account per\n"
     "  role. All demo accounts share one password and one TOTP secret, printed at the end.\n"
     "  Running it again prints the accounts without changing anything.\n"
     "  The demo includes a sociale kaart of 320 services; --services N adds N more to an\n"
     "  existing demo (for benchmarks, up to 100000 at a time).\n"},
    {"migrate", cmd_migrate, "apply database migrations",
     "kantel migrate\n  Applies the numbered migrations the database does not have yet.\n"},
    {"user", cmd_user, "manage accounts",
     "kantel user add NAME --role ROLE --name \"Full name\" [--email ADDRESS]\n"
     "kantel user list\n"
     "kantel user disable NAME      (also ends the account's sessions)\n"
     "kantel user passwd NAME\n"
     "kantel user mfa-reset NAME    (removes the second factor; set up again at next sign-in)\n"
     "kantel user unlock NAME       (clears a lockout after failed attempts)\n"
     "  Passwords are read from standard input (asked twice, without echo, on a terminal).\n"
     "  Roles: resident network generalist teamlead policy provider community admin\n"},
    {"backup", cmd_backup, "online backup of the database",
     "kantel backup FILE\n  Writes a consistent copy of the running database to FILE (must not exist).\n"},
    {"audit", cmd_audit, "check the audit trail",
     "kantel audit verify\n"
     "  Recomputes the hash chain. Exit 0 when intact; 1 naming the first altered, inserted\n"
     "  or deleted row.\n"},
    {"db", cmd_db, "copy a database to another backend, or compare two",
     "kantel db copy --from SOURCE --to TARGET\n"
     "kantel db check --from A --to B\n"
     "  SOURCE, TARGET, A and B are a SQLite file (or sqlite:PATH) or a PostgreSQL URI\n"
     "  postgresql://user@host:port/dbname. copy moves every row of SOURCE into TARGET in one\n"
     "  transaction (all or nothing): SOURCE must exist and be at this kantel's schema version\n"
     "  (run 'kantel migrate' on it first) and is only read; TARGET is created or migrated and\n"
     "  must hold no rows. Then it compares both: one line per table with rows, checksum and\n"
     "  ok or DIFFERS. check only compares two existing databases. Exit 0 when every table\n"
     "  matches, 1 otherwise.\n"},
    {"jobs", cmd_jobs, "background jobs of the serve processes",
     "kantel jobs list\n"
     "kantel jobs run NAME\n"
     "  list shows every job with its period, next run, runs, failures and last result (and\n"
     "  the process that ran it). run makes a job due now; a running kantel serve runs it\n"
     "  within jobs_interval seconds, in exactly one process.\n"},
    {"import", cmd_import, "import data in an open format (hsds: the social map)",
     "kantel import hsds PATH [--type organization|service|location|service_at_location|taxonomy|taxonomy_term]\n"
     "                         [--drop-dangling]\n"
     "kantel import postcodes FILE.csv\n"
     "  Imports Open Referral HSDS 3.0 data for the municipality of config key gemeente. PATH\n"
     "  is a JSON file (one full object, an array of objects, or a list page with \"contents\";\n"
     "  the kind comes from --type, else from the file name, else from the fields) or a\n"
     "  directory with datapackage.json and one CSV file per resource. Everything is checked\n"
     "  first (required fields, types, allowed values, ids, links, unknown fields); any problem\n"
     "  is printed as FILE:LINE or FILE: RECORD-PATH, field and message, nothing is imported\n"
     "  and the exit code is 1. Records with ids already stored are updated. --drop-dangling:\n"
     "  a link to a row that is neither in PATH nor stored is imported as empty and reported as\n"
     "  a warning (FILE:LINE, field) instead of refused; not for required fields. See\n"
     "  docs/hsds.md.\n"
     "  postcodes: a CSV file with the header postcode,lat,lon (decimal degrees) giving the\n"
     "  coordinates used for distances; all or nothing, every bad line reported.\n"},
    {"export", cmd_export, "export data in an open format (hsds: the social map)",
     "kantel export hsds DIR\n"
     "  Writes the HSDS 3.0 data of the municipality into DIR, which must be new or empty:\n"
     "  datapackage.json and one CSV file per resource (the tabular form), and json/ with\n"
     "  organizations.json, services.json, locations.json, service_at_locations.json,\n"
     "  taxonomies.json and taxonomy_terms.json (arrays of full objects).\n"},
    {"search", cmd_search, "search the sociale kaart (and time the in-memory search)",
     "kantel search [TEXT] [--domein CODE] [--leeftijd N] [--postcode 1234AB] [--km N]\n"
     "              [--open-nu | --open 'YYYY-MM-DD HH:MM' | --dag YYYY-MM-DD] [--gratis]\n"
     "              [--sorteer relevantie|afstand] [--max N] [--herhaal N]\n"
     "  Searches the services of the municipality of config key gemeente as the public sociale\n"
     "  kaart does: every word of TEXT must start a word of the service (accents and case do not\n"
     "  matter); --domein a life domain (zrm code, repeatable: any of them); --leeftijd the age\n"
     "  of the person; --postcode the origin for distances (from kantel import postcodes), --km\n"
     "  the radius; --open-nu, --open or --dag when it must be open or meet; --gratis free only.\n"
     "  Prints up to --max (default 10, at most 100) matches. --herhaal N runs the same query N\n"
     "  times on the in-memory index and prints the index build time, the number of services\n"
     "  and p50/p99 of the query alone.\n"},
    {"istd", cmd_istd, "iStandaarden iWmo/iJw 3.2: validate, process and export messages",
     "kantel istd validate FILE... [--xsd DIR] [--volledig] [--vandaag YYYY-MM-DD]\n"
     "kantel istd process INBOX OUTBOX [--xsd DIR] [--vandaag YYYY-MM-DD]\n"
     "kantel istd export OUTBOX [--vandaag YYYY-MM-DD]\n"
     "kantel istd synth DIR [--prestaties N] [--per-bestand N]\n"
     "  validate prints per message its kind, sender and identification, the result of the\n"
     "  official XSD (layer 1) and every finding of the rules inside the message (layer 2) with\n"
     "  rule, retour code and place; --volledig also checks against the stored assignments and\n"
     "  messages (layer 3) without changing anything. Exit 0 when no message has a finding.\n"
     "  process receives every file in INBOX for the municipality of config key gemeente: it\n"
     "  stores the message, applies it (start, stop, request, claim) and writes its retour\n"
     "  (306, 308, 316, 318, 325) to OUTBOX; the file moves to INBOX/verwerkt, or to\n"
     "  INBOX/geweigerd with a .reden.txt when it is no message for this municipality. Safe to\n"
     "  run again after a crash: nothing is lost or doubled (files are recognised by content).\n"
     "  export writes a 301 for every client and provider with new or changed assignments.\n"
     "  synth makes fictional providers, clients and assignments and writes a month of claims\n"
     "  (323 files of at most --per-bestand Prestaties, default 10,000) into DIR: for the\n"
     "  benchmark and tests only.\n"
     "  The XSDs come from --xsd or config key istd_xsd_dir (a directory holding iwmo-3.2/ and\n"
     "  ijw-3.2/). See docs/istandaarden.md.\n"},
    {"version", cmd_version, "print version information", "kantel version\n"},
    {"routes", cmd_routes, "print the route table",
     "kantel routes [--json | --markdown]\n  Every URL with method, capability, flags and parameters.\n"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fprintf(f, "Kantel - one household, one plan, one coordinator.\n\n"
               "usage: kantel COMMAND [options]\n\ncommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++) fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nEvery command takes --help. Configuration: kantel.conf, KANTEL_* variables or flags such\n"
               "as --listen 127.0.0.1:8080 --database kantel.db (see docs/configuration.md).\n");
}

void cli_print_help(const char *cmd)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, cmd) == 0) {
            printf("%s: %s\n\nusage:\n%s", commands[i].name, commands[i].summary, commands[i].usage);
            return;
        }
}

int cli_wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
    return 0;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "kantel %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nrun 'kantel %s --help' for usage\n", cmd);
    va_end(ap);
    return 2;
}

int cli_main(int argc, char **argv)
{
    char err[512];
    if (config_init(&argc, argv, err, sizeof err) != 0) {
        fprintf(stderr, "kantel: %s\n", err);
        return 2;
    }
    int lvl = log_level_from_name(config_get("log_level"));
    if (lvl >= 0) log_set_level((enum log_level)lvl);
    if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        if (argc >= 3 && strcmp(argv[1], "help") == 0) {
            for (size_t i = 0; i < N_COMMANDS; i++)
                if (strcmp(commands[i].name, argv[2]) == 0) {
                    cli_print_help(argv[2]);
                    return 0;
                }
        }
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) return cmd_version(0, NULL);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        if (strcmp(commands[i].name, argv[1]) != 0) continue;
        if (cli_wants_help(argc - 2, argv + 2)) {
            cli_print_help(commands[i].name);
            return 0;
        }
        return commands[i].fn(argc - 2, argv + 2);
    }
    fprintf(stderr, "kantel: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
