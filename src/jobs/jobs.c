/*
 * jobs.c - background jobs shared by every serve process (see jobs.h).
 */
#include "jobs/jobs.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/util.h"
#include "domain/listing.h"
#include "domain/referral.h"

#define SLICE 5000 /* rows per run at most */

/* ---- the jobs ----------------------------------------------------------------- */

static int64_t g_idle_s = 1800, g_absolute_s = 43200;

void jobs_set_session_limits(int64_t idle_s, int64_t absolute_s)
{
    g_idle_s = idle_s;
    g_absolute_s = absolute_s;
}

static int delete_slice(db_t *db, const char *sql, int64_t a, int64_t b, const char *what, char *detail, size_t n)
{
    db_stmt_t *st = db_prepare(db, sql);
    db_bind_int(st, 1, a);
    db_bind_int(st, 2, b);
    db_bind_int(st, 3, SLICE);
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) {
        snprintf(detail, n, "%s: %s", what, db_errmsg(db));
        return -1;
    }
    snprintf(detail, n, "%lld %s removed", (long long)db_changes(db), what);
    return 0;
}

/* Sessions past their idle or absolute timeout can never be used again. */
static int purge_sessions(db_t *db, int64_t now, char *detail, size_t n)
{
    return delete_slice(db,
                        "DELETE FROM session WHERE token_hash IN (SELECT token_hash FROM session"
                        " WHERE last_seen_at < ? OR created_at < ? LIMIT ?)",
                        now - g_idle_s, now - g_absolute_s, "expired sessions", detail, n);
}

/* Failed sign-ins of unknown names, once their lockout has passed a day ago. */
static int purge_login_failures(db_t *db, int64_t now, char *detail, size_t n)
{
    return delete_slice(db,
                        "DELETE FROM login_failure WHERE username IN (SELECT username FROM login_failure"
                        " WHERE updated_at < ? AND locked_until < ? LIMIT ?)",
                        now - 86400, now, "old sign-in failures", detail, n);
}

/* Listings of the sociale kaart nobody confirmed: flag, later hide (listing.h). */
static int socialmap_currency(db_t *db, int64_t now, char *detail, size_t n)
{
    return listing_currency_run(db, now, (int)config_int("socialmap_flag_months"),
                                (int)config_int("socialmap_hide_months"), detail, n);
}

/* Referrals the organisation did not update in time (referral.h). */
static int referral_reminders(db_t *db, int64_t now, char *detail, size_t n)
{
    return referral_reminder_run(db, now, (int)config_int("referral_reminder_days"), detail, n);
}

const struct job_def job_defs[] = {
    {"session.purge", 300, "removes sessions past their idle or absolute timeout", purge_sessions},
    {"login_failure.purge", 3600, "removes failed sign-ins of unknown names a day after they expired",
     purge_login_failures},
    {"socialmap.currency", 3600, "flags listings of the sociale kaart that were not confirmed in time, later hides them",
     socialmap_currency},
    {"referral.reminder", 3600, "marks referrals without a status update in time for a reminder", referral_reminders},
};
const size_t job_count = sizeof job_defs / sizeof job_defs[0];

/* ---- registry and claiming -------------------------------------------------------- */

int jobs_register(db_t *db)
{
    int64_t now = now_s();
    for (size_t i = 0; i < job_count; i++) {
        db_stmt_t *st = db_prepare(db, "INSERT INTO job (name, every_s, next_at) VALUES (?, ?, ?)"
                                       " ON CONFLICT (name) DO NOTHING");
        db_bind_text(st, 1, job_defs[i].name);
        db_bind_int(st, 2, job_defs[i].every_s);
        db_bind_int(st, 3, now + 5); /* first run shortly after start */
        int rc = db_step(st);
        db_done(st);
        if (rc != DB_DONE) return -1;
    }
    return 0;
}

/* Claims the due run of one job under the write lock. Returns the run id
 * (> 0), 0 when it is not due (or another process took it), -1 on error. */
static int64_t claim(db_t *db, const char *name, const char *owner, int64_t now)
{
    if (db_begin(db) != DB_OK) return -1;
    db_stmt_t *st = db_prepare(db, "SELECT every_s, next_at FROM job WHERE name = ?");
    db_bind_text(st, 1, name);
    int64_t every = 0, due = 0;
    int found = db_step(st) == DB_ROW;
    if (found) {
        every = db_col_int(st, 0);
        due = db_col_int(st, 1);
    }
    db_done(st);
    if (!found || due > now) { /* manual runs are due at 0, -1, -2, ... (jobs_make_due) */
        db_rollback(db);
        return 0;
    }
    st = db_prepare(db, "UPDATE job SET next_at = ?, runs = runs + 1, last_owner = ?, last_started = ?"
                        " WHERE name = ? AND next_at = ?");
    db_bind_int(st, 1, now + every);
    db_bind_text(st, 2, owner);
    db_bind_int(st, 3, now);
    db_bind_text(st, 4, name);
    db_bind_int(st, 5, due);
    int rc = db_step(st);
    db_done(st);
    int64_t id = 0;
    if (rc == DB_DONE && db_changes(db) == 1) {
        st = db_prepare(db, "INSERT INTO job_run (name, due_at, owner, started_at) VALUES (?, ?, ?, ?) RETURNING id");
        db_bind_text(st, 1, name);
        db_bind_int(st, 2, due);
        db_bind_text(st, 3, owner);
        db_bind_int(st, 4, now);
        id = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
        db_done(st);
    }
    if (id > 0 && db_commit(db) == DB_OK) return id;
    db_rollback(db);
    return id < 0 || rc != DB_DONE ? -1 : 0;
}

static void finish(db_t *db, int64_t run_id, const char *name, int ok, const char *detail)
{
    int64_t now = now_s();
    db_stmt_t *st = db_prepare(db, "UPDATE job_run SET finished_at = ?, result = ?, detail = ? WHERE id = ?");
    db_bind_int(st, 1, now);
    db_bind_text(st, 2, ok ? "ok" : "fail");
    db_bind_text(st, 3, detail);
    db_bind_int(st, 4, run_id);
    db_step(st);
    db_done(st);
    st = db_prepare(db, "UPDATE job SET last_finished = ?, last_result = ?, last_detail = ?,"
                        " failures = failures + ? WHERE name = ?");
    db_bind_int(st, 1, now);
    db_bind_text(st, 2, ok ? "ok" : "fail");
    db_bind_text(st, 3, detail);
    db_bind_int(st, 4, ok ? 0 : 1);
    db_bind_text(st, 5, name);
    db_step(st);
    db_done(st);
}

int jobs_tick(db_t *db, const char *owner, int64_t now)
{
    int ran = 0;
    for (size_t i = 0; i < job_count; i++) {
        int64_t id = claim(db, job_defs[i].name, owner, now);
        if (id <= 0) continue;
        char detail[300] = "";
        int rc = job_defs[i].run(db, now, detail, sizeof detail);
        finish(db, id, job_defs[i].name, rc == 0, detail);
        if (rc != 0) fprintf(stderr, "kantel: job %s failed: %s\n", job_defs[i].name, detail);
        ran++;
    }
    return ran;
}

int jobs_make_due(db_t *db, const char *name)
{
    /* A manual run is due at a moment before any earlier run of the job (0,
     * then -1, -2, ...), so its claim never collides with a recorded run:
     * job_run is UNIQUE (name, due_at). */
    db_stmt_t *st = db_prepare(db, "UPDATE job SET next_at = (SELECT CASE WHEN MIN(due_at) IS NULL OR MIN(due_at) > 0"
                                   " THEN 0 ELSE MIN(due_at) - 1 END FROM job_run WHERE name = ?) WHERE name = ?");
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, name);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE && db_changes(db) == 1 ? 0 : -1;
}

/* ---- the job thread ------------------------------------------------------------------ */

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv;
static pthread_t g_thread;
static int g_running, g_stop, g_interval;
static db_t *g_db;
static char g_owner[128];

static void *job_main(void *arg)
{
    pthread_mutex_lock(&g_mu);
    while (!g_stop) {
        pthread_mutex_unlock(&g_mu);
        jobs_tick(g_db, g_owner, now_s());
        pthread_mutex_lock(&g_mu);
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_sec += g_interval;
        while (!g_stop && pthread_cond_timedwait(&g_cv, &g_mu, &ts) != ETIMEDOUT) {
        }
    }
    pthread_mutex_unlock(&g_mu);
    return NULL;
}

int jobs_start(const char *target, int interval_s)
{
    char err[600];
    db_t *db = NULL;
    if (db_open(target, &db, err, sizeof err) != DB_OK) {
        fprintf(stderr, "kantel: jobs: %s\n", err);
        return -1;
    }
    if (jobs_register(db) != 0) {
        fprintf(stderr, "kantel: jobs: cannot register the jobs: %s\n", db_errmsg(db));
        db_close(db);
        return -1;
    }
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    snprintf(g_owner, sizeof g_owner, "%s:%ld", host, (long)getpid());
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&g_cv, &ca);
    pthread_condattr_destroy(&ca);
    g_db = db;
    g_interval = interval_s < 1 ? 1 : interval_s;
    g_stop = 0;
    if (pthread_create(&g_thread, NULL, job_main, NULL) != 0) {
        fprintf(stderr, "kantel: jobs: cannot start the job thread\n");
        db_close(db);
        g_db = NULL;
        return -1;
    }
    g_running = 1;
    return 0;
}

void jobs_stop(void)
{
    if (!g_running) return;
    pthread_mutex_lock(&g_mu);
    g_stop = 1;
    pthread_cond_signal(&g_cv);
    pthread_mutex_unlock(&g_mu);
    pthread_join(g_thread, NULL);
    db_close(g_db);
    g_db = NULL;
    g_running = 0;
}
