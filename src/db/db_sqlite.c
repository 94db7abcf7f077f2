/*
 * db_sqlite.c - the SQLite driver behind db.h.
 *
 * One db_t wraps one sqlite3 connection opened with SQLITE_OPEN_NOMUTEX: it
 * belongs to one thread at a time (the library itself is thread-safe, so many
 * threads may each use their own connection to the same file). Connections run
 * in WAL mode with synchronous=NORMAL, foreign keys on and a 5 s busy timeout.
 *
 * Statement cache: every connection keeps an open-addressing hash table of
 * prepared statements keyed by the SQL text (hashed and compared by content; the
 * cache keeps its own copy of the text). db_prepare() hands out the cached
 * statement and marks it in use; db_done() resets it, clears its bindings and
 * marks it free again. If the same SQL is prepared again while its cached
 * statement is still in use (nested loops over one query), a separate uncached
 * statement is prepared and db_done() finalizes it.
 *
 * Per-thread connections: db_configure() stores the target once at start-up;
 * db_thread() opens the calling thread's connection on first use and keeps it
 * in a _Thread_local pointer (one load and a compare afterwards);
 * db_thread_close() closes it.
 *
 * Error messages are copied into the connection (db->err) at the moment an
 * operation fails, so db_errmsg() still describes that failure after a
 * following db_done()/reset.
 */
#include "db/db.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"

#define CACHE_INITIAL 64 /* slots; power of two */

struct db_stmt {
    sqlite3_stmt *st;
    db_t *db;
    char *sql;      /* cached: own copy of the SQL text; uncached: NULL */
    uint64_t hash;  /* hash of sql (cached only) */
    int cached;
    int in_use;
};

struct db {
    sqlite3 *h;
    db_stmt_t **slots; /* open addressing, linear probing; NULL = empty */
    size_t cap;        /* power of two */
    size_t count;
    char err[512];
};

/* ---- errors ------------------------------------------------------------ */

static void set_err(db_t *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(db_t *db, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(db->err, sizeof db->err, fmt, ap);
    va_end(ap);
}

static void set_sqlite_err(db_t *db)
{
    set_err(db, "%s", sqlite3_errmsg(db->h));
}

static int map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK: return DB_OK;
    case SQLITE_ROW: return DB_ROW;
    case SQLITE_DONE: return DB_DONE;
    case SQLITE_CONSTRAINT: return DB_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return DB_BUSY;
    default: return DB_ERROR;
    }
}

/* A failure code for rc: DB_CONSTRAINT, DB_BUSY or DB_ERROR (never >= 0). */
static int fail_rc(int rc)
{
    int m = map_rc(rc);
    return m < 0 ? m : DB_ERROR;
}

static void put_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---- open / close ------------------------------------------------------ */

int db_open(const char *target, db_t **out, char *err, size_t errlen)
{
    *out = NULL;
    if (!target || !*target) {
        put_err(err, errlen, "no database given (want a file path or sqlite:PATH)");
        return DB_ERROR;
    }
    if (strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0) {
        /* The target is not echoed: it may carry a password. */
        put_err(err, errlen,
                "the PostgreSQL driver is not built yet; use a SQLite file path or sqlite:PATH");
        return DB_ERROR;
    }
    const char *path = target;
    if (strncmp(path, "sqlite:", 7) == 0) {
        path += 7;
        if (strncmp(path, "//", 2) == 0) path += 2; /* sqlite:///abs/path */
    }
    if (!*path) {
        put_err(err, errlen, "empty database path in '%s'", target);
        return DB_ERROR;
    }

    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        put_err(err, errlen, "cannot open database %s: %s", path,
                h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close_v2(h);
        return fail_rc(rc);
    }
    sqlite3_extended_result_codes(h, 1);
    sqlite3_busy_timeout(h, 5000);
    char *msg = NULL;
    rc = sqlite3_exec(h,
                      "PRAGMA journal_mode=WAL;"
                      "PRAGMA synchronous=NORMAL;"
                      "PRAGMA foreign_keys=ON;"
                      "PRAGMA temp_store=MEMORY;",
                      NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        put_err(err, errlen, "cannot set up database %s: %s", path, msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        sqlite3_close_v2(h);
        return fail_rc(rc);
    }

    db_t *db = xcalloc(1, sizeof *db);
    db->h = h;
    db->cap = CACHE_INITIAL;
    db->slots = xcalloc(db->cap, sizeof *db->slots);
    *out = db;
    return DB_OK;
}

void db_close(db_t *db)
{
    if (!db) return;
    for (size_t i = 0; i < db->cap; i++) {
        db_stmt_t *s = db->slots[i];
        if (!s) continue;
        sqlite3_finalize(s->st);
        free(s->sql);
        free(s);
    }
    free(db->slots);
    /* close_v2: a leaked uncached statement only delays the real close. */
    sqlite3_close_v2(db->h);
    free(db);
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

/* Worker threads of the HTTP server end without calling db_thread_close():
 * a thread-specific key closes their connection when they exit. */
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
    int n = 0;
    for (sqlite3_stmt *s = sqlite3_next_stmt(t_db->h, NULL); s; s = sqlite3_next_stmt(t_db->h, s)) {
        if (!sqlite3_stmt_busy(s)) continue;
        fprintf(stderr, "kantel: db: statement left active (missing db_done): %.200s\n", sqlite3_sql(s));
        sqlite3_reset(s);
        n++;
    }
    return n;
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

/* Compiles one statement. Returns NULL with db->err set on failure. */
static sqlite3_stmt *compile(db_t *db, const char *sql, unsigned flags)
{
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v3(db->h, sql, -1, flags, &st, &tail);
    if (rc != SQLITE_OK) {
        set_sqlite_err(db);
        return NULL;
    }
    if (!st) {
        set_err(db, "empty SQL statement");
        return NULL;
    }
    while (tail && (*tail == ' ' || *tail == '\t' || *tail == '\n' || *tail == '\r' || *tail == ';'))
        tail++;
    if (tail && *tail) {
        sqlite3_finalize(st);
        set_err(db, "more than one SQL statement given to db_prepare (use db_exec)");
        return NULL;
    }
    return st;
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
        sqlite3_stmt *st = compile(db, sql, 0);
        if (!st) return NULL;
        db_stmt_t *u = xcalloc(1, sizeof *u);
        u->st = st;
        u->db = db;
        u->in_use = 1;
        return u;
    }
    sqlite3_stmt *st = compile(db, sql, SQLITE_PREPARE_PERSISTENT);
    if (!st) return NULL;
    s = xcalloc(1, sizeof *s);
    s->st = st;
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
        sqlite3_finalize(st->st);
        free(st);
        return;
    }
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
    st->in_use = 0;
}

/* ---- binding ------------------------------------------------------------ */

static int bind_rc(db_stmt_t *st, int rc)
{
    if (rc == SQLITE_OK) return DB_OK;
    set_err(st->db, "bind: %s", sqlite3_errstr(rc));
    return fail_rc(rc);
}

int db_bind_int(db_stmt_t *st, int idx, int64_t v)
{
    return bind_rc(st, sqlite3_bind_int64(st->st, idx, (sqlite3_int64)v));
}

int db_bind_text(db_stmt_t *st, int idx, const char *s)
{
    if (!s) return db_bind_null(st, idx);
    return bind_rc(st, sqlite3_bind_text64(st->st, idx, s, strlen(s), SQLITE_TRANSIENT, SQLITE_UTF8));
}

int db_bind_textn(db_stmt_t *st, int idx, const char *s, size_t n)
{
    if (!s) return db_bind_null(st, idx);
    return bind_rc(st, sqlite3_bind_text64(st->st, idx, s, n, SQLITE_TRANSIENT, SQLITE_UTF8));
}

int db_bind_blob(db_stmt_t *st, int idx, const void *p, size_t n)
{
    if (n == 0) return bind_rc(st, sqlite3_bind_zeroblob(st->st, idx, 0)); /* empty, not NULL */
    if (!p) return bind_rc(st, SQLITE_MISUSE);
    return bind_rc(st, sqlite3_bind_blob64(st->st, idx, p, n, SQLITE_TRANSIENT));
}

int db_bind_null(db_stmt_t *st, int idx)
{
    return bind_rc(st, sqlite3_bind_null(st->st, idx));
}

/* ---- stepping and columns ----------------------------------------------- */

int db_step(db_stmt_t *st)
{
    int rc = sqlite3_step(st->st);
    if (rc == SQLITE_ROW) return DB_ROW;
    if (rc == SQLITE_DONE) return DB_DONE;
    set_sqlite_err(st->db);
    return fail_rc(rc);
}

int db_col_count(db_stmt_t *st) { return sqlite3_column_count(st->st); }

int db_col_is_null(db_stmt_t *st, int col)
{
    return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

int64_t db_col_int(db_stmt_t *st, int col) { return (int64_t)sqlite3_column_int64(st->st, col); }

const char *db_col_text(db_stmt_t *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st->st, col);
    return t ? (const char *)t : "";
}

const void *db_col_blob(db_stmt_t *st, int col, size_t *len)
{
    const void *p = sqlite3_column_blob(st->st, col);
    int n = sqlite3_column_bytes(st->st, col); /* after the pointer, per the SQLite docs */
    if (len) *len = n > 0 ? (size_t)n : 0;
    return p;
}

const char *db_col_name(db_stmt_t *st, int col)
{
    const char *n = sqlite3_column_name(st->st, col);
    return n ? n : "";
}

/* ---- whole statements and transactions ---------------------------------- */

int db_exec(db_t *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK) return DB_OK;
    set_err(db, "%s", msg ? msg : sqlite3_errmsg(db->h));
    sqlite3_free(msg);
    return fail_rc(rc);
}

/* Runs a parameterless statement through the cache (BEGIN/COMMIT/ROLLBACK). */
static int run_simple(db_t *db, const char *sql)
{
    db_stmt_t *st = db_prepare_try(db, sql);
    if (!st) return DB_ERROR;
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

int db_begin(db_t *db) { return run_simple(db, "BEGIN IMMEDIATE"); }

int db_commit(db_t *db) { return run_simple(db, "COMMIT"); }

int db_rollback(db_t *db)
{
    if (sqlite3_get_autocommit(db->h)) return DB_OK; /* nothing open (or already rolled back) */
    return run_simple(db, "ROLLBACK");
}

int64_t db_changes(db_t *db) { return (int64_t)sqlite3_changes64(db->h); }

int64_t db_last_id(db_t *db) { return (int64_t)sqlite3_last_insert_rowid(db->h); }

const char *db_errmsg(db_t *db) { return db->err[0] ? db->err : "no error"; }

const char *db_driver(db_t *db) { return "sqlite"; }

/* ---- online backup ------------------------------------------------------ */

int db_backup(db_t *db, const char *dest_path, char *err, size_t errlen)
{
    if (!dest_path || !*dest_path) {
        put_err(err, errlen, "backup: no destination file given");
        return DB_ERROR;
    }
    /* O_EXCL: refuse an existing file (or symlink) without a check-then-create race. */
    int fd = open(dest_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            put_err(err, errlen, "backup: %s already exists; refusing to overwrite it", dest_path);
        else
            put_err(err, errlen, "backup: cannot create %s: %s", dest_path, strerror(errno));
        return DB_ERROR;
    }
    close(fd);

    sqlite3 *d = NULL;
    int rc = sqlite3_open_v2(dest_path, &d, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        put_err(err, errlen, "backup: cannot open %s: %s", dest_path,
                d ? sqlite3_errmsg(d) : sqlite3_errstr(rc));
        sqlite3_close_v2(d);
        unlink(dest_path);
        return DB_ERROR;
    }
    sqlite3_backup *b = sqlite3_backup_init(d, "main", db->h, "main");
    if (!b) {
        put_err(err, errlen, "backup: %s", sqlite3_errmsg(d));
        sqlite3_close_v2(d);
        unlink(dest_path);
        return DB_ERROR;
    }
    int tries = 0;
    do {
        rc = sqlite3_backup_step(b, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
    } while ((rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && ++tries < 200);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        put_err(err, errlen, "backup to %s failed: %s", dest_path,
                rc == SQLITE_OK ? "gave up after repeated retries" : sqlite3_errstr(rc));
        sqlite3_close_v2(d);
        unlink(dest_path);
        return fail_rc(rc);
    }
    rc = sqlite3_close(d);
    if (rc != SQLITE_OK) {
        put_err(err, errlen, "backup: closing %s: %s", dest_path, sqlite3_errstr(rc));
        unlink(dest_path);
        return DB_ERROR;
    }
    return DB_OK;
}
