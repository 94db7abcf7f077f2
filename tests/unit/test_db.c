/* test_db.c - the SQLite driver (db_sqlite.c) and migrations (migrate.c). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "test.h"

static char g_dir[64];
static char g_path[128];

static void cleanup_dir(void)
{
    static const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    const char *names[] = {"t.db", "backup.db"};
    char p[200];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        for (size_t j = 0; j < sizeof suffix / sizeof *suffix; j++) {
            snprintf(p, sizeof p, "%s/%s%s", g_dir, names[i], suffix[j]);
            unlink(p);
        }
    rmdir(g_dir);
}

static int64_t count_rows(db_t *db, const char *sql)
{
    db_stmt_t *st = db_prepare(db, sql);
    int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    return n;
}

static void test_open_and_migrate(db_t **out)
{
    char err[256] = "";
    db_t *db = NULL;

    int rc = db_open("postgres://user:secret@host/db", &db, err, sizeof err);
    CHECK(rc < 0 && db == NULL, "postgres:// is refused");
    CHECK(strstr(err, "PostgreSQL driver is not built yet") != NULL, "with a clear message: %s", err);
    CHECK(strstr(err, "secret") == NULL, "without echoing the target");

    char target[200];
    snprintf(target, sizeof target, "sqlite:%s", g_path);
    rc = db_open(target, &db, err, sizeof err);
    CHECK(rc == DB_OK && db != NULL, "open sqlite:PATH (%s)", rc ? err : "ok");
    if (!db) exit(1);
    CHECK_STR(db_driver(db), "sqlite", "driver name");

    db_stmt_t *st = db_prepare(db, "PRAGMA journal_mode");
    CHECK(db_step(st) == DB_ROW && strcmp(db_col_text(st, 0), "wal") == 0, "WAL mode");
    db_done(st);
    CHECK(count_rows(db, "PRAGMA foreign_keys") == 1, "foreign keys on");

    CHECK(db_schema_version(db) == 0, "fresh database has schema version 0");
    int n = db_migrate(db, err, sizeof err);
    CHECK(n >= 1, "migrate applies %d migration(s) %s", n, n < 0 ? err : "");
    int v = db_schema_version(db);
    CHECK(v >= 1, "schema version is %d", v);
    CHECK(count_rows(db, "SELECT max(version) FROM schema_version") == v, "schema_version max matches");
    CHECK(count_rows(db, "SELECT count(*) FROM schema_version") == n, "one schema_version row per migration");
    n = db_migrate(db, err, sizeof err);
    CHECK(n == 0, "second migrate applies nothing (%d)", n);
    CHECK(db_schema_version(db) == v, "version unchanged");
    CHECK(count_rows(db, "SELECT count(*) FROM audit_event") == 0, "migration created audit_event");
    *out = db;
}

static void test_bind_and_columns(db_t *db)
{
    CHECK(db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER, b BLOB, z TEXT);"
                      "CREATE TABLE child (id INTEGER PRIMARY KEY, t_id INTEGER NOT NULL REFERENCES t(id))") == DB_OK,
          "db_exec runs two statements");

    static const unsigned char blob[5] = {0, 1, 2, 0xff, 0};
    db_stmt_t *st = db_prepare(db, "INSERT INTO t (name, n, b, z) VALUES (?, ?, ?, ?) RETURNING id");
    db_bind_text(st, 1, "één");
    db_bind_int(st, 2, INT64_C(-9000000000));
    db_bind_blob(st, 3, blob, sizeof blob);
    db_bind_null(st, 4);
    CHECK(db_step(st) == DB_ROW, "insert ... RETURNING gives a row");
    int64_t id = db_col_int(st, 0);
    CHECK(id == 1, "RETURNING id = 1");
    CHECK(db_step(st) == DB_DONE, "then done");
    db_done(st);
    CHECK(db_last_id(db) == 1 && db_changes(db) == 1, "last id and changes");

    st = db_prepare(db, "INSERT INTO t (name, n, b, z) VALUES (?, ?, ?, ?)");
    db_bind_textn(st, 1, "twoXXX", 3);
    db_bind_int(st, 2, 2);
    db_bind_blob(st, 3, NULL, 0);
    db_bind_text(st, 4, NULL);
    CHECK(db_step(st) == DB_DONE, "insert with textn, empty blob, NULL text");
    db_done(st);

    st = db_prepare(db, "SELECT name, n, b, z, id FROM t WHERE id = ?");
    db_bind_int(st, 1, 1);
    CHECK(db_step(st) == DB_ROW, "select row 1");
    CHECK(db_col_count(st) == 5, "5 columns");
    CHECK_STR(db_col_name(st, 1), "n", "column name");
    CHECK_STR(db_col_text(st, 0), "één", "UTF-8 text round trip");
    CHECK(db_col_int(st, 1) == INT64_C(-9000000000), "64-bit int round trip");
    size_t len = 0;
    const void *p = db_col_blob(st, 2, &len);
    CHECK(len == sizeof blob && memcmp(p, blob, len) == 0, "blob round trip with NULs");
    CHECK(db_col_is_null(st, 3) && strcmp(db_col_text(st, 3), "") == 0, "NULL reads as null / \"\"");
    CHECK(!db_col_is_null(st, 0), "text is not null");
    db_done(st);

    st = db_prepare(db, "SELECT name, n, b, z, id FROM t WHERE id = ?");
    db_bind_int(st, 1, 2);
    CHECK(db_step(st) == DB_ROW, "same SQL again (cached) with a new binding");
    CHECK_STR(db_col_text(st, 0), "two", "textn bound 3 bytes");
    p = db_col_blob(st, 2, &len);
    CHECK(len == 0 && !db_col_is_null(st, 2), "empty blob is not NULL");
    CHECK(db_col_is_null(st, 3), "NULL via db_bind_text(NULL)");
    db_done(st);

    st = db_prepare(db, "SELECT name FROM t WHERE id = ?");
    CHECK(db_step(st) == DB_DONE, "db_done cleared the bindings (unbound ? is NULL)");
    db_done(st);
}

static void test_cache_nesting(db_t *db)
{
    const char *sql = "SELECT id, name FROM t ORDER BY id";
    db_stmt_t *outer = db_prepare(db, sql);
    int pairs = 0, outer_rows = 0;
    while (db_step(outer) == DB_ROW) {
        outer_rows++;
        int64_t oid = db_col_int(outer, 0);
        char copy[] = "SELECT id, name FROM t ORDER BY id"; /* same text, other pointer */
        db_stmt_t *inner = db_prepare(db, copy);
        CHECK(inner != outer, "nested prepare of the same SQL gives another statement");
        while (db_step(inner) == DB_ROW) {
            pairs++;
            (void)db_col_int(inner, 0);
        }
        db_done(inner);
        CHECK(db_col_int(outer, 0) == oid, "outer cursor undisturbed by inner use");
    }
    db_done(outer);
    CHECK(outer_rows == 2 && pairs == 4, "nested loops over the same SQL: %d x -> %d pairs", outer_rows, pairs);

    db_stmt_t *again = db_prepare(db, sql);
    CHECK(again == outer, "after db_done the cached statement is reused");
    CHECK(db_step(again) == DB_ROW && db_col_int(again, 0) == 1, "and restarts from the first row");
    db_done(again);

    /* Many distinct statements: the cache grows and still finds each one. */
    static char sqls[200][64];
    int ok = 1;
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 200; i++) {
            snprintf(sqls[i], sizeof sqls[i], "SELECT %d + ?", i);
            db_stmt_t *st = db_prepare(db, sqls[i]);
            db_bind_int(st, 1, round);
            if (db_step(st) != DB_ROW || db_col_int(st, 0) != i + round) ok = 0;
            db_done(st);
        }
    CHECK(ok, "200 distinct cached statements, twice");

    CHECK(db_prepare_try(db, "SELEKT nonsense") == NULL, "db_prepare_try returns NULL on bad SQL");
    CHECK(strstr(db_errmsg(db), "syntax") != NULL, "with the SQLite message: %s", db_errmsg(db));
    CHECK(db_prepare_try(db, "SELECT 1; SELECT 2") == NULL, "two statements refused by db_prepare_try");
}

static void test_constraints_and_tx(db_t *db)
{
    db_stmt_t *st = db_prepare(db, "INSERT INTO t (name, n) VALUES (?, ?)");
    db_bind_text(st, 1, "één");
    db_bind_int(st, 2, 3);
    int rc = db_step(st);
    db_done(st);
    CHECK(rc == DB_CONSTRAINT, "UNIQUE violation gives DB_CONSTRAINT (%d)", rc);
    CHECK(strstr(db_errmsg(db), "UNIQUE") != NULL, "message survives db_done: %s", db_errmsg(db));

    st = db_prepare(db, "INSERT INTO child (t_id) VALUES (?)");
    db_bind_int(st, 1, 99);
    rc = db_step(st);
    db_done(st);
    CHECK(rc == DB_CONSTRAINT, "foreign key violation gives DB_CONSTRAINT (%d)", rc);

    CHECK(db_begin(db) == DB_OK, "begin");
    st = db_prepare(db, "INSERT INTO t (name, n) VALUES (?, ?)");
    db_bind_text(st, 1, "rolled back");
    db_bind_int(st, 2, 4);
    CHECK(db_step(st) == DB_DONE, "insert inside the transaction");
    db_done(st);
    CHECK(count_rows(db, "SELECT count(*) FROM t") == 3, "visible inside the transaction");
    CHECK(db_rollback(db) == DB_OK, "rollback");
    CHECK(count_rows(db, "SELECT count(*) FROM t") == 2, "rollback leaves nothing");
    CHECK(db_rollback(db) == DB_OK, "rollback without a transaction is harmless");

    CHECK(db_begin(db) == DB_OK, "begin again");
    CHECK(db_exec(db, "INSERT INTO t (name, n) VALUES ('three', 3)") == DB_OK, "exec insert");
    CHECK(db_commit(db) == DB_OK, "commit");
    CHECK(count_rows(db, "SELECT count(*) FROM t") == 3, "commit keeps the row");

    CHECK(db_exec(db, "INSERT INTO nowhere VALUES (1)") == DB_ERROR, "db_exec error is DB_ERROR");
    CHECK(strstr(db_errmsg(db), "nowhere") != NULL, "message names the table: %s", db_errmsg(db));
}

static void test_backup(db_t *db)
{
    char dest[200], err[256] = "";
    snprintf(dest, sizeof dest, "%s/backup.db", g_dir);
    int rc = db_backup(db, dest, err, sizeof err);
    CHECK(rc == DB_OK, "backup %s", rc ? err : "ok");
    rc = db_backup(db, dest, err, sizeof err);
    CHECK(rc < 0 && strstr(err, "exists") != NULL, "backup refuses an existing file: %s", err);

    db_t *b = NULL;
    CHECK(db_open(dest, &b, err, sizeof err) == DB_OK, "backup opens");
    if (!b) return;
    CHECK(count_rows(b, "SELECT count(*) FROM t") == 3, "backup has the rows");
    CHECK(db_schema_version(b) == db_schema_version(db), "backup has the schema version");
    db_close(b);
}

static void *reader(void *arg)
{
    int *ok = arg;
    *ok = 1;
    for (int i = 0; i < 200; i++) {
        db_t *db = db_thread();
        if (db != db_thread()) *ok = 0;
        db_stmt_t *st = db_prepare(db, "SELECT count(*), sum(n) FROM t");
        if (db_step(st) != DB_ROW || db_col_int(st, 0) != 3) *ok = 0;
        db_done(st);
    }
    db_thread_close();
    return NULL;
}

static void test_threads(void)
{
    db_configure(g_path);
    CHECK_STR(db_target(), g_path, "db_target");
    pthread_t th[4];
    int ok[4] = {0};
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, reader, &ok[i]);
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    CHECK(ok[0] && ok[1] && ok[2] && ok[3], "db_thread on 4 threads, each reading");
    db_t *mine = db_thread();
    db_thread_close();
    CHECK(mine != NULL, "db_thread on the main thread");
    db_configure(NULL);
}

int main(void)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/kantel-test-db-XXXXXX");
    if (!mkdtemp(g_dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(g_path, sizeof g_path, "%s/t.db", g_dir);

    db_t *db = NULL;
    test_open_and_migrate(&db);
    test_bind_and_columns(db);
    test_cache_nesting(db);
    test_constraints_and_tx(db);
    test_backup(db);
    test_threads();
    db_close(db);
    cleanup_dir();
    return t_done();
}
