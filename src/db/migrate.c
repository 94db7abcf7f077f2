/*
 * migrate.c - schema migrations from the embedded migrations/NNNN_name.sql.
 *
 * The applied versions are rows of schema_version(version, name, applied_at).
 * db_migrate() applies, in name order, every embedded migration whose number
 * is above the highest applied version, each in its own write transaction
 * (BEGIN IMMEDIATE), and re-reads the version inside that transaction so two
 * processes starting at once apply each migration exactly once: the second
 * waits for the write lock, then sees the version already recorded and skips.
 * Migration files must not contain BEGIN/COMMIT themselves. They are written
 * in the portable subset and go through the driver's dialect (db_dialect) on
 * their way in, so both drivers run the same files.
 */
#include "db/db_driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/assets.h"
#include "core/buf.h"

#define PREFIX "migrations/"
#define PREFIX_LEN (sizeof PREFIX - 1)

struct migration {
    const struct asset *asset;
    const char *file; /* name without the "migrations/" prefix */
    int version;
};

static int by_name(const void *a, const void *b)
{
    const struct migration *x = a, *y = b;
    return strcmp(x->asset->name, y->asset->name);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* NNNN from "NNNN_name.sql"; -1 when the name does not have that shape. */
static int parse_version(const char *file)
{
    long v = 0;
    const char *p = file;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (*p - '0');
        if (v > 1000000) return -1;
        p++;
    }
    if (p == file || *p != '_' || v <= 0) return -1;
    return (int)v;
}

int db_schema_version(db_t *db)
{
    db_stmt_t *st = db_prepare_try(db, "SELECT coalesce(max(version), 0) FROM schema_version");
    if (!st) return 0; /* no table yet */
    int v = 0;
    if (db_step(st) == DB_ROW) v = (int)db_col_int(st, 0);
    db_done(st);
    return v;
}

/* Applies one migration in its own transaction. Returns 1 when applied, 0 when
 * another process already had, < 0 on error (message in err). */
static int apply_one(db_t *db, const struct migration *m, char *err, size_t errlen)
{
    int rc = db_begin(db);
    if (rc != DB_OK) {
        snprintf(err, errlen, "migration %s: cannot start transaction: %s", m->file, db_errmsg(db));
        return rc;
    }
    if (db_schema_version(db) >= m->version) { /* applied meanwhile by another process */
        db_rollback(db);
        return 0;
    }
    char *sql = db_dialect(db, m->asset->data);
    rc = db_exec(db, sql);
    free(sql);
    if (rc == DB_OK) {
        db_stmt_t *st = db_prepare(db, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)");
        db_bind_int(st, 1, m->version);
        db_bind_text(st, 2, m->file);
        db_bind_int(st, 3, (int64_t)time(NULL));
        rc = db_step(st);
        db_done(st);
        if (rc == DB_DONE) rc = db_commit(db);
    }
    if (rc != DB_OK) {
        snprintf(err, errlen, "migration %s: %s", m->file, db_errmsg(db));
        db_rollback(db);
        return rc < 0 ? rc : DB_ERROR;
    }
    return 1;
}

static struct migration *collect(size_t *count, char *err, size_t errlen);

int db_migrate(db_t *db, char *err, size_t errlen)
{
    char dummy[1];
    if (!err || errlen == 0) {
        err = dummy;
        errlen = sizeof dummy;
    }
    err[0] = '\0';
    /* Under the write lock: two processes starting at once on PostgreSQL would
     * otherwise race on creating the table. */
    char *create = db_dialect(db, "CREATE TABLE IF NOT EXISTS schema_version ("
                                  " version INTEGER PRIMARY KEY,"
                                  " name TEXT NOT NULL,"
                                  " applied_at INTEGER NOT NULL)");
    int crc = db_begin(db);
    if (crc == DB_OK) crc = db_exec(db, create);
    if (crc == DB_OK) crc = db_commit(db);
    free(create);
    if (crc != DB_OK) {
        snprintf(err, errlen, "schema_version: %s", db_errmsg(db));
        db_rollback(db);
        return DB_ERROR;
    }

    size_t n = 0;
    struct migration *list = collect(&n, err, errlen);
    if (!list) return DB_ERROR;
    if (db_schema_check(db, err, errlen) != DB_OK) {
        free(list);
        return DB_ERROR;
    }
    int current = db_schema_version(db);
    int applied = 0;
    for (size_t i = 0; i < n; i++) {
        if (list[i].version <= current) continue;
        int rc = apply_one(db, &list[i], err, errlen);
        if (rc < 0) {
            free(list);
            return rc;
        }
        applied += rc;
    }
    free(list);
    return applied;
}

/* The embedded migrations in version order; NULL with err on a bad name. */
static struct migration *collect(size_t *count, char *err, size_t errlen)
{
    struct migration *list = xcalloc(kantel_assets_count + 1, sizeof *list);
    size_t n = 0;
    for (unsigned i = 0; i < kantel_assets_count; i++) {
        const struct asset *a = &kantel_assets[i];
        if (!a->name || strncmp(a->name, PREFIX, PREFIX_LEN) != 0 || !ends_with(a->name, ".sql")) continue;
        list[n].asset = a;
        list[n].file = a->name + PREFIX_LEN;
        list[n].version = parse_version(list[n].file);
        if (list[n].version < 0) {
            snprintf(err, errlen, "migration %s: bad file name (want NNNN_name.sql)", list[n].file);
            free(list);
            return NULL;
        }
        n++;
    }
    qsort(list, n, sizeof *list, by_name);
    for (size_t i = 1; i < n; i++) {
        if (list[i].version <= list[i - 1].version) {
            snprintf(err, errlen, "migration %s: version %d is not above that of %s", list[i].file,
                     list[i].version, list[i - 1].file);
            free(list);
            return NULL;
        }
    }

    *count = n;
    return list;
}

int db_schema_latest(void)
{
    char err[200];
    size_t n = 0;
    struct migration *list = collect(&n, err, sizeof err);
    int v = list && n ? list[n - 1].version : 0;
    free(list);
    return v;
}

int db_schema_check(db_t *db, char *err, size_t errlen)
{
    int have = db_schema_version(db), latest = db_schema_latest();
    if (have <= latest) return DB_OK;
    snprintf(err, errlen,
             "the database has schema version %d, newer than this kantel (%d): run the newer kantel, or restore a"
             " backup made for this version", have, latest);
    return DB_ERROR;
}
