/*
 * db.c - what both storage drivers share (see db.h, db_driver.h).
 *
 * Driver choice: "postgresql://" or "postgres://" goes to db_pg.c, anything
 * else (a path, "sqlite:PATH") to db_sqlite.c.
 *
 * Statement cache: every connection keeps an open-addressing hash table of
 * compiled statements keyed by the SQL text (hashed and compared by content;
 * the cache keeps its own copy of the text). db_prepare() hands out the cached
 * statement and marks it in use; db_done() resets it, clears its bindings and
 * marks it free again. If the same SQL is prepared again while its cached
 * statement is still in use (nested loops over one query), a separate uncached
 * statement is compiled and db_done() finalizes it.
 *
 * Per-thread connections: db_configure() stores the target once at start-up;
 * db_thread() opens the calling thread's connection on first use and keeps it
 * in a _Thread_local pointer (one load and a compare afterwards); a
 * thread-specific key closes it when the thread exits.
 */
#include "db/db_driver.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

#define CACHE_INITIAL 64 /* slots; power of two */

void db_set_err(db_t *db, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(db->err, sizeof db->err, fmt, ap);
    va_end(ap);
}

void db_put_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

void db_init_base(db_t *db, const struct db_ops *ops)
{
    db->ops = ops;
    db->cap = CACHE_INITIAL;
    db->slots = xcalloc(db->cap, sizeof *db->slots);
}

static int is_pg_target(const char *t)
{
    return strncmp(t, "postgresql://", 13) == 0 || strncmp(t, "postgres://", 11) == 0;
}

int db_open(const char *target, db_t **out, char *err, size_t errlen)
{
    *out = NULL;
    if (!target || !*target) {
        db_put_err(err, errlen, "no database given (want a file path, sqlite:PATH or postgresql://...)");
        return DB_ERROR;
    }
    if (is_pg_target(target)) return db_pg_open(target, out, err, errlen);
    const char *path = target;
    if (strncmp(path, "sqlite:", 7) == 0) {
        path += 7;
        if (strncmp(path, "//", 2) == 0) path += 2; /* sqlite:///abs/path */
    }
    if (!*path) {
        db_put_err(err, errlen, "empty database path in '%s'", target);
        return DB_ERROR;
    }
    return db_sqlite_open(path, out, err, errlen);
}

void db_close(db_t *db)
{
    if (!db) return;
    for (size_t i = 0; i < db->cap; i++) {
        db_stmt_t *s = db->slots[i];
        if (!s) continue;
        free(s->sql);
        s->sql = NULL;
        db->ops->finalize(s);
    }
    free(db->slots);
    db->slots = NULL;
    db->ops->close(db);
}

void db_each_cached(db_t *db, void (*fn)(db_stmt_t *st, void *arg), void *arg)
{
    for (size_t i = 0; i < db->cap; i++)
        if (db->slots[i]) fn(db->slots[i], arg);
}

/* ---- per-thread connections -------------------------------------------- */

static char *g_target;
static _Thread_local db_t *t_db;

void db_configure(const char *target)
{
    /* Called at start-up before worker threads exist (tests may call it again
     * between runs, with no thread using the old value). */
    char *old = g_target;
    g_target = target ? xstrdup(target) : NULL;
    free(old);
}

const char *db_target(void) { return g_target; }

static pthread_key_t t_key;
static pthread_once_t t_once = PTHREAD_ONCE_INIT;
static void thread_exit(void *p) { db_close(p); }
static void make_key(void) { pthread_key_create(&t_key, thread_exit); }

db_t *db_thread(void)
{
    if (t_db) return t_db;
    pthread_once(&t_once, make_key);
    if (!g_target) {
        fprintf(stderr, "kantel: db_thread: no database configured (db_configure not called)\n");
        abort();
    }
    char err[600];
    if (db_open(g_target, &t_db, err, sizeof err) != DB_OK) {
        fprintf(stderr, "kantel: %s\n", err);
        abort();
    }
    pthread_setspecific(t_key, t_db);
    return t_db;
}

int db_thread_end_request(void)
{
    if (!t_db) return 0;
    return t_db->ops->end_request(t_db);
}

void db_thread_close(void)
{
    if (t_db) pthread_setspecific(t_key, NULL);
    db_close(t_db);
    t_db = NULL;
}

/* ---- statement cache ----------------------------------------------------- */

static uint64_t sql_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a 64 */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Returns the slot index holding sql, or the empty slot where it belongs. */
static size_t cache_slot(const db_t *db, const char *sql, uint64_t h)
{
    size_t mask = db->cap - 1;
    size_t i = (size_t)h & mask;
    for (;;) {
        const db_stmt_t *s = db->slots[i];
        if (!s || (s->hash == h && strcmp(s->sql, sql) == 0)) return i;
        i = (i + 1) & mask;
    }
}

static void cache_grow(db_t *db)
{
    db_stmt_t **old = db->slots;
    size_t oldcap = db->cap;
    db->cap *= 2;
    db->slots = xcalloc(db->cap, sizeof *db->slots);
    for (size_t i = 0; i < oldcap; i++)
        if (old[i]) db->slots[cache_slot(db, old[i]->sql, old[i]->hash)] = old[i];
    free(old);
}

db_stmt_t *db_prepare_try(db_t *db, const char *sql)
{
    uint64_t h = sql_hash(sql);
    size_t i = cache_slot(db, sql, h);
    db_stmt_t *s = db->slots[i];
    if (s && !s->in_use) {
        s->in_use = 1;
        return s;
    }
    if (s) { /* same SQL already in use: a private statement, finalized by db_done */
        db_stmt_t *u = db->ops->compile(db, sql, 0);
        if (!u) return NULL;
        u->db = db;
        u->in_use = 1;
        return u;
    }
    s = db->ops->compile(db, sql, 1);
    if (!s) return NULL;
    s->db = db;
    s->sql = xstrdup(sql);
    s->hash = h;
    s->cached = 1;
    s->in_use = 1;
    db->slots[i] = s;
    if (++db->count * 4 >= db->cap * 3) cache_grow(db);
    return s;
}

db_stmt_t *db_prepare(db_t *db, const char *sql)
{
    db_stmt_t *s = db_prepare_try(db, sql);
    if (!s) {
        fprintf(stderr, "kantel: db_prepare: %s\n  in SQL: %s\n", db->err, sql);
        abort();
    }
    return s;
}

void db_done(db_stmt_t *st)
{
    if (!st) return;
    if (!st->cached) {
        st->db->ops->finalize(st);
        return;
    }
    st->db->ops->reset(st);
    st->in_use = 0;
}

/* ---- dispatch ----------------------------------------------------------- */

int db_bind_int(db_stmt_t *st, int idx, int64_t v) { return st->db->ops->bind_int(st, idx, v); }

int db_bind_text(db_stmt_t *st, int idx, const char *s)
{
    if (!s) return st->db->ops->bind_null(st, idx);
    return st->db->ops->bind_text(st, idx, s, strlen(s));
}

int db_bind_textn(db_stmt_t *st, int idx, const char *s, size_t n)
{
    if (!s) return st->db->ops->bind_null(st, idx);
    return st->db->ops->bind_text(st, idx, s, n);
}

int db_bind_blob(db_stmt_t *st, int idx, const void *p, size_t n)
{
    return st->db->ops->bind_blob(st, idx, p, n);
}

int db_bind_null(db_stmt_t *st, int idx) { return st->db->ops->bind_null(st, idx); }
int db_step(db_stmt_t *st) { return st->db->ops->step(st); }
int db_col_count(db_stmt_t *st) { return st->db->ops->col_count(st); }
int db_col_type(db_stmt_t *st, int col) { return st->db->ops->col_type(st, col); }
int db_col_is_null(db_stmt_t *st, int col) { return st->db->ops->col_type(st, col) == DB_T_NULL; }
int64_t db_col_int(db_stmt_t *st, int col) { return st->db->ops->col_int(st, col); }
const char *db_col_text(db_stmt_t *st, int col) { return st->db->ops->col_text(st, col); }

const void *db_col_blob(db_stmt_t *st, int col, size_t *len)
{
    return st->db->ops->col_blob(st, col, len);
}

const char *db_col_name(db_stmt_t *st, int col) { return st->db->ops->col_name(st, col); }
int db_exec(db_t *db, const char *sql) { return db->ops->exec(db, sql); }
int db_begin(db_t *db) { return db->ops->begin(db); }
int db_begin_read(db_t *db) { return db->ops->begin_read(db); }
int db_commit(db_t *db) { return db->ops->commit(db); }
int db_rollback(db_t *db) { return db->ops->rollback(db); }
int db_in_transaction(db_t *db) { return db->ops->in_transaction(db); }
int64_t db_changes(db_t *db) { return db->ops->changes(db); }
int64_t db_last_id(db_t *db) { return db->ops->last_id(db); }
const char *db_errmsg(db_t *db) { return db->err[0] ? db->err : "no error"; }
const char *db_driver(db_t *db) { return db->ops->name; }

int db_backup(db_t *db, const char *dest_path, char *err, size_t errlen)
{
    return db->ops->backup(db, dest_path, err, errlen);
}

int db_table_list(db_t *db, char ***names, size_t *n) { return db->ops->tables(db, names, n); }

int db_table_refs(db_t *db, const char *table, char ***names, size_t *n)
{
    return db->ops->refs(db, table, names, n);
}

void db_free_list(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

int db_after_load(db_t *db, const char *table) { return db->ops->after_load(db, table); }

char *db_dialect(db_t *db, const char *sql) { return db->ops->dialect(sql); }

int db_read_names(db_t *db, const char *sql, const char *param, char ***names, size_t *n)
{
    *names = NULL;
    *n = 0;
    db_stmt_t *st = db_prepare_try(db, sql);
    if (!st) return DB_ERROR;
    if (param) db_bind_text(st, 1, param);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *names = xrealloc(*names, cap * sizeof **names);
        }
        (*names)[(*n)++] = xstrdup(db_col_text(st, 0));
    }
    db_done(st);
    if (rc != DB_DONE) {
        db_free_list(*names, *n);
        *names = NULL;
        *n = 0;
        return rc < 0 ? rc : DB_ERROR;
    }
    return DB_OK;
}

const char *db_display(const char *target, char *out, size_t n)
{
    if (!target) target = "";
    snprintf(out, n, "%s", target);
    if (!is_pg_target(out)) return out;
    /* scheme://user:password@host -> scheme://user:***@host */
    char *auth = strstr(out, "://") + 3;
    char *at = strchr(auth, '@');
    char *slash = strchr(auth, '/');
    char *colon = strchr(auth, ':');
    if (at && (!slash || at < slash) && colon && colon < at) {
        char rest[512];
        snprintf(rest, sizeof rest, "%s", at);
        snprintf(colon, n - (size_t)(colon - out), ":***%s", rest);
    }
    /* ...?password=secret&... -> password=*** */
    char *pw = strstr(out, "password=");
    if (pw && (pw[-1] == '?' || pw[-1] == '&')) {
        char *end = strchr(pw, '&');
        char rest[512];
        snprintf(rest, sizeof rest, "%s", end ? end : "");
        snprintf(pw + 9, n - (size_t)(pw + 9 - out), "***%s", rest);
    }
    return out;
}
