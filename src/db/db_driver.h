/*
 * db_driver.h - what a storage driver provides to db.c (internal to src/db).
 *
 * db.c owns what both drivers share: choosing the driver from the target,
 * the per-thread connection, the statement cache (keyed by SQL text) and the
 * error text. A driver allocates its own connection and statement structs with
 * struct db / struct db_stmt as their FIRST member and fills in struct db_ops.
 */
#ifndef KANTEL_DB_DRIVER_H
#define KANTEL_DB_DRIVER_H

#include "db/db.h"

struct db_stmt {
    db_t *db;
    char *sql;     /* cached: own copy of the SQL text; uncached: NULL */
    uint64_t hash; /* hash of sql (cached only) */
    int cached;
    int in_use;
};

struct db_ops {
    const char *name; /* "sqlite" or "postgres" */
    /* Compiles one statement (a driver struct starting with struct db_stmt).
     * NULL with db->err set on failure. persistent: it will be cached. */
    db_stmt_t *(*compile)(db_t *db, const char *sql, int persistent);
    void (*finalize)(db_stmt_t *st);
    void (*reset)(db_stmt_t *st); /* reset and clear bindings */
    int (*end_request)(db_t *db);
    void (*close)(db_t *db);      /* the driver's part; statements are already finalized */

    int (*bind_int)(db_stmt_t *st, int idx, int64_t v);
    int (*bind_text)(db_stmt_t *st, int idx, const char *s, size_t n);
    int (*bind_blob)(db_stmt_t *st, int idx, const void *p, size_t n);
    int (*bind_null)(db_stmt_t *st, int idx);
    int (*step)(db_stmt_t *st);
    int (*col_count)(db_stmt_t *st);
    int (*col_type)(db_stmt_t *st, int col);
    int64_t (*col_int)(db_stmt_t *st, int col);
    const char *(*col_text)(db_stmt_t *st, int col);
    const void *(*col_blob)(db_stmt_t *st, int col, size_t *len);
    const char *(*col_name)(db_stmt_t *st, int col);

    int (*exec)(db_t *db, const char *sql);
    int (*begin)(db_t *db);
    int (*begin_read)(db_t *db);
    int (*commit)(db_t *db);
    int (*rollback)(db_t *db);
    int (*in_transaction)(db_t *db);
    int64_t (*changes)(db_t *db);
    int64_t (*last_id)(db_t *db);
    int (*backup)(db_t *db, const char *dest, char *err, size_t errlen);
    /* Migration text in this driver's dialect (malloc'd), from the portable text. */
    char *(*dialect)(const char *sql);
    /* Schema introspection for db copy. */
    int (*tables)(db_t *db, char ***names, size_t *n);
    int (*refs)(db_t *db, const char *table, char ***names, size_t *n);
    int (*after_load)(db_t *db, const char *table);
};

struct db {
    const struct db_ops *ops;
    db_stmt_t **slots; /* statement cache: open addressing, linear probing; NULL = empty */
    size_t cap;        /* power of two */
    size_t count;
    char err[512];
};

/* db.c helpers for drivers */
void db_init_base(db_t *db, const struct db_ops *ops);
void db_set_err(db_t *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void db_put_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Calls fn for every cached statement (e.g. to forget server-side state). */
/* Reads a one-column list of names (bind: one optional text parameter). */
int db_read_names(db_t *db, const char *sql, const char *param, char ***names, size_t *n);
void db_each_cached(db_t *db, void (*fn)(db_stmt_t *st, void *arg), void *arg);

int db_sqlite_open(const char *path, db_t **out, char *err, size_t errlen);
int db_pg_open(const char *conninfo, db_t **out, char *err, size_t errlen);

#endif
