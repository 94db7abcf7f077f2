/*
 * db.h - the one storage API of Kantel.
 *
 * Callers never include sqlite3.h or libpq-fe.h: they prepare SQL written in
 * the portable subset (? placeholders, ON CONFLICT, RETURNING, integer unix
 * timestamps, integer eurocents), bind by 1-based index, step and read columns
 * by 0-based index. Two drivers implement it, chosen by the target:
 * db_sqlite.c ("sqlite:PATH" or a plain path) and db_pg.c ("postgresql://..."
 * or "postgres://..."). db.c holds what they share.
 *
 * Portable SQL (both drivers run the same text): ? placeholders; integers in
 * boolean context compared explicitly (x = 1, not WHERE x); no INSERT OR ...,
 * no SQLite date functions; every non-aggregated column in GROUP BY; ORDER BY
 * says what to do with NULLs where they occur. Migrations use INTEGER, TEXT
 * and BLOB; the PostgreSQL driver maps them to BIGINT, TEXT, BYTEA and
 * INTEGER PRIMARY KEY to a BIGINT identity column.
 *
 * Transactions: db_begin() starts a write transaction and takes the
 * database's one write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: BEGIN and a
 * transaction-level advisory lock), so read-modify-write code behaves the same
 * on both and across several processes. db_begin_read() gives one consistent
 * snapshot for several reads. On PostgreSQL an error inside a transaction
 * aborts it: the caller must roll back (every caller does).
 *
 * Connections: a db_t belongs to one thread. db_thread() returns the calling
 * thread's connection to the configured database, opened on first use and
 * closed by db_thread_close() (the HTTP server calls it when a worker ends).
 *
 * Statements: db_prepare() returns a statement from the connection's cache
 * (compiled once per connection and SQL text; the SQL must therefore be a
 * string constant or otherwise stable). The caller must hand it back with
 * db_done() - which resets and unbinds it - before preparing the same SQL again.
 * Text returned by db_col_text()/db_col_blob() is valid until the next
 * db_step()/db_done() on that statement.
 *
 * Errors: functions return DB_OK (0) or a negative DB_E* code; db_errmsg()
 * describes the last error of the connection. Nothing here aborts on bad SQL
 * except db_prepare(), for which bad SQL is a programming error (it aborts with
 * the message), unless db_prepare_try() is used.
 */
#ifndef KANTEL_DB_H
#define KANTEL_DB_H

#include <stddef.h>
#include <stdint.h>

typedef struct db db_t;
typedef struct db_stmt db_stmt_t;

enum {
    DB_OK = 0,
    DB_ROW = 1,         /* db_step: a row is available */
    DB_DONE = 2,        /* db_step: no more rows */
    DB_ERROR = -1,      /* anything else */
    DB_CONSTRAINT = -2, /* unique / foreign key / check violated */
    DB_BUSY = -3,       /* locked beyond the busy timeout; serialization failure; statement timeout */
};

/* Column types (db_col_type) */
enum { DB_T_NULL = 0, DB_T_INT = 1, DB_T_TEXT = 2, DB_T_BLOB = 3 };

/* Opens a database. target: a file path or "sqlite:PATH" (SQLite: WAL,
 * foreign keys, busy timeout), or "postgresql://..." / "postgres://..." (a
 * libpq URI). Returns DB_OK and *out, or an error with *out = NULL and a
 * message in err (never containing a password). */
int db_open(const char *target, db_t **out, char *err, size_t errlen);
void db_close(db_t *db);

/* Per-thread connection to the database set by db_configure(). */
void db_configure(const char *target);
const char *db_target(void);
/* target with a URI password replaced by ***, for messages (out of n bytes). */
const char *db_display(const char *target, char *out, size_t n);
db_t *db_thread(void);
void db_thread_close(void);

db_stmt_t *db_prepare(db_t *db, const char *sql);
db_stmt_t *db_prepare_try(db_t *db, const char *sql); /* NULL on error */
int db_bind_int(db_stmt_t *st, int idx, int64_t v);
int db_bind_text(db_stmt_t *st, int idx, const char *s); /* NULL binds NULL */
int db_bind_textn(db_stmt_t *st, int idx, const char *s, size_t n);
int db_bind_blob(db_stmt_t *st, int idx, const void *p, size_t n);
int db_bind_null(db_stmt_t *st, int idx);
int db_step(db_stmt_t *st);
int db_col_count(db_stmt_t *st);
int db_col_is_null(db_stmt_t *st, int col);
int db_col_type(db_stmt_t *st, int col); /* DB_T_* */
int64_t db_col_int(db_stmt_t *st, int col);
const char *db_col_text(db_stmt_t *st, int col); /* "" for NULL */
const void *db_col_blob(db_stmt_t *st, int col, size_t *len);
const char *db_col_name(db_stmt_t *st, int col);
void db_done(db_stmt_t *st);

/* End of a unit of work on this thread's connection (the HTTP server calls it
 * after every request): every statement still active is reset, so no read
 * transaction outlives the request and the next request sees the latest
 * commits. Each statement found active was a missing db_done(): it is logged
 * with its SQL. Returns how many were reset; 0 when the thread has no
 * connection. */
int db_thread_end_request(void);

/* Convenience: prepare, bind nothing, step once, done. For DDL/PRAGMA-free
 * statements without parameters. Multiple statements separated by ';' are
 * allowed (used by migrations). */
int db_exec(db_t *db, const char *sql);

int db_begin(db_t *db);      /* a write transaction holding the database's write lock */
int db_begin_read(db_t *db); /* a read transaction: one snapshot for all its reads */
int db_in_transaction(db_t *db);
int db_commit(db_t *db);
int db_rollback(db_t *db);
int64_t db_changes(db_t *db);
int64_t db_last_id(db_t *db); /* prefer RETURNING id */
const char *db_errmsg(db_t *db);
const char *db_driver(db_t *db); /* "sqlite" or "postgres" */

/* PostgreSQL: statement timeout for connections opened from now on (0 = none).
 * SQLite has its fixed 5 s busy timeout. */
void db_set_statement_timeout(int ms);

/* Online backup of the whole database to a new SQLite file (SQLite only;
 * PostgreSQL is backed up with its own tools, see docs/operations.md). */
int db_backup(db_t *db, const char *dest_path, char *err, size_t errlen);

/* Migrations (migrate.c): numbered files migrations/NNNN_name.sql embedded in
 * the binary, applied in order inside one transaction each; the version is
 * kept in schema_version. Returns the number applied (>= 0) or < 0. */
int db_migrate(db_t *db, char *err, size_t errlen);
int db_schema_version(db_t *db);
int db_schema_latest(void); /* the highest version embedded in this binary */
/* DB_OK when the database's schema is not newer than this binary; otherwise
 * DB_ERROR with a message in err. */
int db_schema_check(db_t *db, char *err, size_t errlen);

/* Portable DDL (INTEGER, TEXT, BLOB, INTEGER PRIMARY KEY) in db's dialect;
 * malloc'd. Migrations go through it. */
char *db_dialect(db_t *db, const char *sql);

/* Schema introspection (db copy): the application's tables (without
 * schema_version), and the tables a table's foreign keys point to. Lists are
 * malloc'd arrays of malloc'd names; free with db_free_list. */
int db_table_list(db_t *db, char ***names, size_t *n);
int db_table_refs(db_t *db, const char *table, char ***names, size_t *n);
void db_free_list(char **names, size_t n);
/* After rows were inserted with explicit ids: PostgreSQL moves the table's
 * identity sequence past the highest id (no-op on SQLite). */
int db_after_load(db_t *db, const char *table);

#endif
