/*
 * jobs.h - background jobs (retention and other periodic work) shared by all
 * `kantel serve` processes on one database.
 *
 * Each job has a row in table job (name, every_s, next_at). A process runs a
 * job only after claiming its due run with one conditional UPDATE
 *   UPDATE job SET next_at = now + every_s ... WHERE name = ? AND next_at = <seen>
 * which succeeds in exactly one process (SQLite: one writer; PostgreSQL: the
 * second updater re-checks the row after the first commits and finds next_at
 * moved). Every run is recorded in job_run with UNIQUE (name, due_at).
 * A job does a bounded slice of work per run (e.g. at most 5,000 rows), so a
 * backlog is worked off over several runs without long transactions.
 */
#ifndef KANTEL_JOBS_H
#define KANTEL_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct job_def {
    const char *name;
    int every_s;                       /* default period; the job row may override it */
    const char *summary;
    /* Does one slice of work; returns 0 or -1, with a short result text. */
    int (*run)(db_t *db, int64_t now, char *detail, size_t n);
};

extern const struct job_def job_defs[];
extern const size_t job_count;

/* Settings the jobs read (set before jobs_start). */
void jobs_set_session_limits(int64_t idle_s, int64_t absolute_s);

/* Inserts missing job rows (ON CONFLICT DO NOTHING). 0 or -1. */
int jobs_register(db_t *db);
/* Runs every due job once on db (claim, run, record). owner: "host:pid".
 * Returns the number of jobs run by this call. */
int jobs_tick(db_t *db, const char *owner, int64_t now);
/* Makes a job due now (kantel jobs run). 0, or -1 when there is no such job. */
int jobs_make_due(db_t *db, const char *name);

/* The job thread of serve: opens its own connection to target, ticks every
 * interval_s seconds until jobs_stop(). 0 or -1. */
int jobs_start(const char *target, int interval_s);
void jobs_stop(void);

#endif
