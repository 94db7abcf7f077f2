/*
 * db_sqlite.c - the SQLite driver behind db.h (db.c holds the shared parts).
 *
 * One connection wraps one sqlite3 handle opened with SQLITE_OPEN_NOMUTEX: it
 * belongs to one thread at a time (the library itself is thread-safe, so many
 * threads may each use their own connection to the same file). Connections run
 * in WAL mode with synchronous=NORMAL, foreign keys on and a 5 s busy timeout.
 *
 * Error messages are copied into the connection (db->err) at the moment an
 * operation fails, so db_errmsg() still describes that failure after a
 * following db_done()/reset.
 */
#include "db/db_driver.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"

struct sq_stmt {
    struct db_stmt base;
    sqlite3_stmt *st;
};

struct sq_db {
    struct db base;
    sqlite3 *h;
};

#define SQ(db) (((struct sq_db *)(db))->h)
#define ST(s) (((struct sq_stmt *)(s))->st)

static const struct db_ops sqlite_ops;

/* ---- errors ------------------------------------------------------------ */

static void set_sqlite_err(db_t *db)
{
    db_set_err(db, "%s", sqlite3_errmsg(SQ(db)));
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

/* ---- open / close ------------------------------------------------------ */

int db_sqlite_open(const char *path, db_t **out, char *err, size_t errlen)
{
    *out = NULL;
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        db_put_err(err, errlen, "cannot open database %s: %s", path,
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
        db_put_err(err, errlen, "cannot set up database %s: %s", path, msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        sqlite3_close_v2(h);
        return fail_rc(rc);
    }

    struct sq_db *db = xcalloc(1, sizeof *db);
    db_init_base(&db->base, &sqlite_ops);
    db->h = h;
    *out = &db->base;
    return DB_OK;
}

static void sq_close(db_t *db)
{
    /* close_v2: a leaked uncached statement only delays the real close. */
    sqlite3_close_v2(SQ(db));
    free(db);
}

static int sq_end_request(db_t *db)
{
    int n = 0;
    for (sqlite3_stmt *s = sqlite3_next_stmt(SQ(db), NULL); s; s = sqlite3_next_stmt(SQ(db), s)) {
        if (!sqlite3_stmt_busy(s)) continue;
        fprintf(stderr, "kantel: db: statement left active (missing db_done): %.200s\n", sqlite3_sql(s));
        sqlite3_reset(s);
        n++;
    }
    if (!sqlite3_get_autocommit(SQ(db))) {
        fprintf(stderr, "kantel: db: transaction left open at the end of a request; rolled back\n");
        sqlite3_exec(SQ(db), "ROLLBACK", NULL, NULL, NULL);
        n++;
    }
    return n;
}

/* ---- statements ---------------------------------------------------------- */

static db_stmt_t *sq_compile(db_t *db, const char *sql, int persistent)
{
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v3(SQ(db), sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, &st, &tail);
    if (rc != SQLITE_OK) {
        set_sqlite_err(db);
        return NULL;
    }
    if (!st) {
        db_set_err(db, "empty SQL statement");
        return NULL;
    }
    while (tail && (*tail == ' ' || *tail == '\t' || *tail == '\n' || *tail == '\r' || *tail == ';'))
        tail++;
    if (tail && *tail) {
        sqlite3_finalize(st);
        db_set_err(db, "more than one SQL statement given to db_prepare (use db_exec)");
        return NULL;
    }
    struct sq_stmt *s = xcalloc(1, sizeof *s);
    s->base.db = db;
    s->st = st;
    return &s->base;
}

static void sq_finalize(db_stmt_t *st)
{
    sqlite3_finalize(ST(st));
    free(st);
}

static void sq_reset(db_stmt_t *st)
{
    sqlite3_reset(ST(st));
    sqlite3_clear_bindings(ST(st));
}

/* ---- binding ------------------------------------------------------------ */

static int bind_rc(db_stmt_t *st, int rc)
{
    if (rc == SQLITE_OK) return DB_OK;
    db_set_err(st->db, "bind: %s", sqlite3_errstr(rc));
    return fail_rc(rc);
}

static int sq_bind_int(db_stmt_t *st, int idx, int64_t v)
{
    return bind_rc(st, sqlite3_bind_int64(ST(st), idx, (sqlite3_int64)v));
}

static int sq_bind_text(db_stmt_t *st, int idx, const char *s, size_t n)
{
    return bind_rc(st, sqlite3_bind_text64(ST(st), idx, s, n, SQLITE_TRANSIENT, SQLITE_UTF8));
}

static int sq_bind_blob(db_stmt_t *st, int idx, const void *p, size_t n)
{
    if (n == 0) return bind_rc(st, sqlite3_bind_zeroblob(ST(st), idx, 0)); /* empty, not NULL */
    if (!p) return bind_rc(st, SQLITE_MISUSE);
    return bind_rc(st, sqlite3_bind_blob64(ST(st), idx, p, n, SQLITE_TRANSIENT));
}

static int sq_bind_null(db_stmt_t *st, int idx) { return bind_rc(st, sqlite3_bind_null(ST(st), idx)); }

/* ---- stepping and columns ----------------------------------------------- */

static int sq_step(db_stmt_t *st)
{
    int rc = sqlite3_step(ST(st));
    if (rc == SQLITE_ROW) return DB_ROW;
    if (rc == SQLITE_DONE) return DB_DONE;
    set_sqlite_err(st->db);
    return fail_rc(rc);
}

static int sq_col_count(db_stmt_t *st) { return sqlite3_column_count(ST(st)); }

static int sq_col_type(db_stmt_t *st, int col)
{
    switch (sqlite3_column_type(ST(st), col)) {
    case SQLITE_NULL: return DB_T_NULL;
    case SQLITE_INTEGER: return DB_T_INT;
    case SQLITE_BLOB: return DB_T_BLOB;
    default: return DB_T_TEXT; /* TEXT; REAL is not part of the portable subset */
    }
}

static int64_t sq_col_int(db_stmt_t *st, int col) { return (int64_t)sqlite3_column_int64(ST(st), col); }

static const char *sq_col_text(db_stmt_t *st, int col)
{
    const unsigned char *t = sqlite3_column_text(ST(st), col);
    return t ? (const char *)t : "";
}

static const void *sq_col_blob(db_stmt_t *st, int col, size_t *len)
{
    const void *p = sqlite3_column_blob(ST(st), col);
    int n = sqlite3_column_bytes(ST(st), col); /* after the pointer, per the SQLite docs */
    if (len) *len = n > 0 ? (size_t)n : 0;
    return p;
}

static const char *sq_col_name(db_stmt_t *st, int col)
{
    const char *n = sqlite3_column_name(ST(st), col);
    return n ? n : "";
}

/* ---- whole statements and transactions ---------------------------------- */

static int sq_exec(db_t *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(SQ(db), sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK) return DB_OK;
    db_set_err(db, "%s", msg ? msg : sqlite3_errmsg(SQ(db)));
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

static int sq_begin(db_t *db) { return run_simple(db, "BEGIN IMMEDIATE"); }
static int sq_begin_read(db_t *db) { return run_simple(db, "BEGIN"); }
static int sq_commit(db_t *db) { return run_simple(db, "COMMIT"); }

static int sq_rollback(db_t *db)
{
    if (sqlite3_get_autocommit(SQ(db))) return DB_OK; /* nothing open (or already rolled back) */
    return run_simple(db, "ROLLBACK");
}

static int sq_in_transaction(db_t *db) { return !sqlite3_get_autocommit(SQ(db)); }
static int64_t sq_changes(db_t *db) { return (int64_t)sqlite3_changes64(SQ(db)); }
static int64_t sq_last_id(db_t *db) { return (int64_t)sqlite3_last_insert_rowid(SQ(db)); }

/* The portable subset is SQLite's own dialect. */
static char *sq_dialect(const char *sql) { return xstrdup(sql); }

/* ---- schema introspection (db copy) ---------------------------------------- */

static int sq_tables(db_t *db, char ***names, size_t *n)
{
    return db_read_names(db,
                         "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                         " AND name <> 'schema_version' ORDER BY name",
                         NULL, names, n);
}

static int sq_refs(db_t *db, const char *table, char ***names, size_t *n)
{
    return db_read_names(db, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?) ORDER BY 1", table, names,
                         n);
}

static int sq_after_load(db_t *db, const char *table) { return DB_OK; }

/* ---- online backup ------------------------------------------------------ */

static int sq_backup(db_t *db, const char *dest_path, char *err, size_t errlen)
{
    if (!dest_path || !*dest_path) {
        db_put_err(err, errlen, "backup: no destination file given");
        return DB_ERROR;
    }
    /* O_EXCL: refuse an existing file (or symlink) without a check-then-create race. */
    int fd = open(dest_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            db_put_err(err, errlen, "backup: %s already exists; refusing to overwrite it", dest_path);
        else
            db_put_err(err, errlen, "backup: cannot create %s: %s", dest_path, strerror(errno));
        return DB_ERROR;
    }
    close(fd);

    sqlite3 *d = NULL;
    int rc = sqlite3_open_v2(dest_path, &d, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        db_put_err(err, errlen, "backup: cannot open %s: %s", dest_path,
                d ? sqlite3_errmsg(d) : sqlite3_errstr(rc));
        sqlite3_close_v2(d);
        unlink(dest_path);
        return DB_ERROR;
    }
    sqlite3_backup *b = sqlite3_backup_init(d, "main", SQ(db), "main");
    if (!b) {
        db_put_err(err, errlen, "backup: %s", sqlite3_errmsg(d));
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
        db_put_err(err, errlen, "backup to %s failed: %s", dest_path,
                rc == SQLITE_OK ? "gave up after repeated retries" : sqlite3_errstr(rc));
        sqlite3_close_v2(d);
        unlink(dest_path);
        return fail_rc(rc);
    }
    rc = sqlite3_close(d);
    if (rc != SQLITE_OK) {
        db_put_err(err, errlen, "backup: closing %s: %s", dest_path, sqlite3_errstr(rc));
        unlink(dest_path);
        return DB_ERROR;
    }
    return DB_OK;
}

static const struct db_ops sqlite_ops = {
    .name = "sqlite",
    .compile = sq_compile,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .end_request = sq_end_request,
    .close = sq_close,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_count = sq_col_count,
    .col_type = sq_col_type,
    .col_int = sq_col_int,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .col_name = sq_col_name,
    .exec = sq_exec,
    .begin = sq_begin,
    .begin_read = sq_begin_read,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .in_transaction = sq_in_transaction,
    .changes = sq_changes,
    .last_id = sq_last_id,
    .backup = sq_backup,
    .dialect = sq_dialect,
    .tables = sq_tables,
    .refs = sq_refs,
    .after_load = sq_after_load,
};
