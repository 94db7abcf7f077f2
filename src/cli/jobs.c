/* jobs.c - `kantel jobs list|run NAME`: the background jobs of all serve processes. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/util.h"
#include "jobs/jobs.h"

static int list(db_t *db)
{
    db_stmt_t *st = db_prepare(db, "SELECT name, every_s, next_at, runs, failures, last_owner, last_finished,"
                                   " last_result, last_detail FROM job ORDER BY name");
    printf("%-22s %7s %-16s %6s %5s %-6s %s\n", "job", "every", "next run (UTC)", "runs", "fail", "last", "detail");
    int64_t now = now_s();
    while (db_step(st) == DB_ROW) {
        char next[32] = "now";
        int64_t at = db_col_int(st, 2);
        if (at > now) {
            time_t t = (time_t)at;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(next, sizeof next, "%Y-%m-%d %H:%M", &tm);
        }
        printf("%-22s %6llds %-16s %6lld %5lld %-6s %s%s%s\n", db_col_text(st, 0), (long long)db_col_int(st, 1), next,
               (long long)db_col_int(st, 3), (long long)db_col_int(st, 4),
               *db_col_text(st, 7) ? db_col_text(st, 7) : "-", db_col_text(st, 8), *db_col_text(st, 5) ? " by " : "",
               db_col_text(st, 5));
    }
    db_done(st);
    return 0;
}

int cmd_jobs(int argc, char **argv)
{
    if (argc < 1) return cli_usage_error("jobs", "needs 'list' or 'run NAME'");
    int is_list = strcmp(argv[0], "list") == 0, is_run = strcmp(argv[0], "run") == 0;
    if (!(is_list && argc == 1) && !(is_run && argc == 2))
        return cli_usage_error("jobs", "needs 'list' or 'run NAME'");
    db_t *db = cli_open(0);
    if (!db) return 1;
    if (jobs_register(db) != 0) {
        fprintf(stderr, "kantel jobs: %s\n", db_errmsg(db));
        return 1;
    }
    if (is_list) return list(db);
    if (jobs_make_due(db, argv[1]) != 0) {
        fprintf(stderr, "kantel jobs: no job named '%s' (see kantel jobs list)\n", argv[1]);
        return 1;
    }
    printf("job %s is due now; a running kantel serve runs it within jobs_interval seconds\n", argv[1]);
    return 0;
}
