/*
 * cli.h - subcommands of the kantel binary. Each takes the arguments after
 * its name (config flags already removed by config_init) and returns the
 * process exit code: 0 ok, 1 failure, 2 wrong usage.
 */
#ifndef KANTEL_CLI_H
#define KANTEL_CLI_H

#include "db/db.h"

/* The whole command line (commands.c); returns the exit code. */
int cli_main(int argc, char **argv);

int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_jobs(int argc, char **argv);
/* hsds.c: kantel import FORMAT PATH, kantel export FORMAT DIR (FORMAT: hsds) */
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_search(int argc, char **argv); /* search.c: kantel search (sociale kaart) */
int cmd_istd(int argc, char **argv);   /* istd.c: kantel istd validate|process|export */

/* Prints "kantel CMD: msg" and the usage hint to stderr; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* 1 when argv holds -h or --help. */
int cli_wants_help(int argc, char **argv);
void cli_print_help(const char *cmd);

/* Loads the key file (creating it when create is set), configures and opens
 * the database and applies migrations. Returns the connection of this thread
 * or NULL after printing why. */
db_t *cli_open(int create);
/* The configured database for messages: a URI password shown as ***. */
const char *cli_db_name(void);
/* demo_scale.c: n more fictional residents in households (inside the
 * caller's transaction). 0 or -1. */
int demo_scale(db_t *db, const char *gemeente, int64_t n);

/* demo_stages.c: brings the demo households to every stage (requests,
 * assessments, plans, agreement); each step its own transaction. 0 or -1. */
int demo_stages(db_t *db, const char *gemeente);

/* demo_volunteers.c: synthetic coordinates for the demo postcodes, about 25
 * fictional volunteers and (with requests = 1) one open volunteer request on
 * a demo household's plan. Its own transaction. 0 or -1. */
int demo_volunteers(db_t *db, const char *gemeente, int requests);

/* demo_istd.c: two providers (the demo account aanbieder speaks for
 * Zorggroep De Linde, AGB 12345678), assignments under both laws, an export
 * of 301s and one received claim (JW323) with a rejected Prestatie. Its own
 * transactions; running it again adds nothing. 0 or -1. */
int demo_istd(db_t *db, const char *gemeente);

/* postcodes.c: `kantel import postcodes FILE.csv`; argv holds the arguments
 * after "postcodes". Returns the exit code. */
int cli_import_postcodes(int argc, char **argv);

/* Makes sure the municipality row of this instance exists. */
int cli_ensure_municipality(db_t *db, const char *name);

#endif
