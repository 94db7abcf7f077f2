/* test_db.c - the storage layer: both drivers (db_sqlite.c, db_pg.c behind
 * db.c) and migrations (migrate.c). The backend-neutral checks run on SQLite
 * and, when KANTEL_TEST_PG=postgresql://user@host:port names a server (as
 * scripts/check does), again on a fresh PostgreSQL database there. */
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
static int g_pg;            /* the current run is on PostgreSQL */
static char g_target[300];  /* the current run's database */

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

static void test_open_refusals(void)
{
    char err[256] = "";
    db_t *db = NULL;
    int rc = db_open("postgresql://user:secret@127.0.0.1:1/db", &db, err, sizeof err);
    CHECK(rc < 0 && db == NULL, "an unreachable PostgreSQL server is an error");
    CHECK(strstr(err, "cannot connect to PostgreSQL") != NULL, "with a clear message: %s", err);
    CHECK(strstr(err, "secret") == NULL, "without echoing the password");
    char shown[200];
    CHECK_STR(db_display("postgresql://user:secret@host:5432/db?sslmode=require", shown, sizeof shown),
              "postgresql://user:***@host:5432/db?sslmode=require", "db_display masks a URI password");
    CHECK_STR(db_display("postgres://host/db?password=secret&x=1", shown, sizeof shown),
              "postgres://host/db?password=***&x=1", "db_display masks a password parameter");
    CHECK_STR(db_display("/var/lib/kantel/k.db", shown, sizeof shown), "/var/lib/kantel/k.db",
              "db_display leaves a path alone");
    rc = db_open("sqlite:", &db, err, sizeof err);
    CHECK(rc < 0 && strstr(err, "empty database path"), "sqlite: without a path is refused: %s", err);
}

static void test_open_and_migrate(db_t **out)
{
    char err[256] = "";
    db_t *db = NULL;
    int rc = db_open(g_target, &db, err, sizeof err);
    CHECK(rc == DB_OK && db != NULL, "[%s] open %s", g_pg ? "postgres" : "sqlite", rc ? err : "ok");
    if (!db) exit(1);
    CHECK_STR(db_driver(db), g_pg ? "postgres" : "sqlite", "driver name");

    if (!g_pg) {
        db_stmt_t *st = db_prepare(db, "PRAGMA journal_mode");
        CHECK(db_step(st) == DB_ROW && strcmp(db_col_text(st, 0), "wal") == 0, "WAL mode");
        db_done(st);
        CHECK(count_rows(db, "PRAGMA foreign_keys") == 1, "foreign keys on");
    }

    CHECK(db_schema_version(db) == 0, "fresh database has schema version 0");
    int n = db_migrate(db, err, sizeof err);
    CHECK(n >= 1, "migrate applies %d migration(s) %s", n, n < 0 ? err : "");
    int v = db_schema_version(db);
    CHECK(v >= 1 && v == db_schema_latest(), "schema version is %d, the latest of this binary", v);
    CHECK(count_rows(db, "SELECT max(version) FROM schema_version") == v, "schema_version max matches");
    CHECK(count_rows(db, "SELECT count(*) FROM schema_version") == n, "one schema_version row per migration");
    n = db_migrate(db, err, sizeof err);
    CHECK(n == 0, "second migrate applies nothing (%d)", n);
    CHECK(db_schema_version(db) == v, "version unchanged");
    CHECK(count_rows(db, "SELECT count(*) FROM audit_event") == 0, "migration created audit_event");
    CHECK(db_schema_check(db, err, sizeof err) == DB_OK, "schema check passes");

    char **tables = NULL, **refs = NULL;
    size_t nt = 0, nr = 0;
    CHECK(db_table_list(db, &tables, &nt) == DB_OK && nt >= 10, "table list (%zu tables)", nt);
    int has_person = 0, has_version = 0;
    for (size_t i = 0; i < nt; i++) {
        if (!strcmp(tables[i], "person")) has_person = 1;
        if (!strcmp(tables[i], "schema_version")) has_version = 1;
    }
    CHECK(has_person && !has_version, "lists person, not schema_version");
    CHECK(db_table_refs(db, "household_member", &refs, &nr) == DB_OK && nr == 2 && !strcmp(refs[0], "household") &&
              !strcmp(refs[1], "person"),
          "foreign keys of household_member point to household and person");
    db_free_list(tables, nt);
    db_free_list(refs, nr);

    /* A database from a newer kantel is refused with a clear message. */
    CHECK(db_begin(db) == DB_OK, "begin");
    db_stmt_t *st = db_prepare(db, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'future', 0)");
    db_bind_int(st, 1, v + 1);
    CHECK(db_step(st) == DB_DONE, "pretend a newer migration was applied");
    db_done(st);
    CHECK(db_schema_check(db, err, sizeof err) == DB_ERROR && strstr(err, "newer than this kantel"),
          "schema check refuses: %s", err);
    CHECK(db_migrate(db, err, sizeof err) < 0, "and so does migrate");
    CHECK(db_rollback(db) == DB_OK, "rollback");
    CHECK(db_schema_check(db, err, sizeof err) == DB_OK, "back to the current version");
    *out = db;
}

static void test_bind_and_columns(db_t *db)
{
    char *ddl = db_dialect(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER, b BLOB, z TEXT);"
                               "CREATE TABLE child (id INTEGER PRIMARY KEY, t_id INTEGER NOT NULL REFERENCES t(id))");
    CHECK(db_exec(db, ddl) == DB_OK, "db_exec runs two statements: %s", db_errmsg(db));
    free(ddl);

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
    CHECK(db_col_type(st, 0) == DB_T_TEXT && db_col_type(st, 1) == DB_T_INT && db_col_type(st, 2) == DB_T_BLOB &&
              db_col_type(st, 3) == DB_T_NULL,
          "column types text, int, blob, null");
    size_t len = 0;
    const void *p = db_col_blob(st, 2, &len);
    CHECK(len == sizeof blob && memcmp(p, blob, len) == 0, "blob round trip with NULs");
    CHECK(db_col_is_null(st, 3) && strcmp(db_col_text(st, 3), "") == 0, "NULL reads as null / \"\"");
    CHECK(!db_col_is_null(st, 0), "text is not null");
    db_done(st);

    st = db_prepare(db, "SELECT b, b, name FROM t WHERE id = ?");
    db_bind_int(st, 1, 1);
    CHECK(db_step(st) == DB_ROW, "two blob columns in one row");
    size_t l1 = 0, l2 = 0;
    const void *b1 = db_col_blob(st, 0, &l1);
    const void *b2 = db_col_blob(st, 1, &l2);
    CHECK(l1 == sizeof blob && l2 == sizeof blob && memcmp(b1, blob, l1) == 0 && memcmp(b2, blob, l2) == 0,
          "both blob pointers stay valid until the next step");
    CHECK(db_col_blob(st, 0, &l1) == b1, "reading a blob again gives the same pointer");
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
    CHECK(strstr(db_errmsg(db), "syntax") != NULL, "with the driver's message: %s", db_errmsg(db));
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
    CHECK(strcasestr(db_errmsg(db), "unique") != NULL, "message survives db_done: %s", db_errmsg(db));

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
    if (g_pg) {
        char e[256] = "";
        CHECK(db_backup(db, "/tmp/never.db", e, sizeof e) < 0 && strstr(e, "pg_dump"),
              "backup on PostgreSQL points to its own tools: %s", e);
        return;
    }
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
    db_configure(g_target);
    CHECK_STR(db_target(), g_target, "db_target");
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

/* db_begin holds the database's one write lock: a second writer waits until
 * the first commits and then reads what it wrote (the read-modify-write code
 * relies on that on both drivers, across processes). */
struct lock_arg {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int began;
    int ok;
};

static void *first_writer(void *p)
{
    struct lock_arg *a = p;
    db_t *db = NULL;
    char err[256];
    a->ok = db_open(g_target, &db, err, sizeof err) == DB_OK && db_begin(db) == DB_OK;
    pthread_mutex_lock(&a->mu);
    a->began = 1;
    pthread_cond_signal(&a->cv);
    pthread_mutex_unlock(&a->mu);
    if (!a->ok) return NULL;
    usleep(300 * 1000); /* the other writer is waiting meanwhile */
    a->ok = db_exec(db, "INSERT INTO t (name, n) VALUES ('from the first writer', 7)") == DB_OK &&
            db_commit(db) == DB_OK;
    db_close(db);
    return NULL;
}

static void test_write_lock(void)
{
    struct lock_arg a = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
    pthread_t th;
    pthread_create(&th, NULL, first_writer, &a);
    pthread_mutex_lock(&a.mu);
    while (!a.began) pthread_cond_wait(&a.cv, &a.mu);
    pthread_mutex_unlock(&a.mu);
    db_t *db = NULL;
    char err[256];
    CHECK(db_open(g_target, &db, err, sizeof err) == DB_OK, "second connection");
    if (!db) return;
    CHECK(db_begin(db) == DB_OK, "second writer gets the lock after the first commits");
    CHECK(count_rows(db, "SELECT count(*) FROM t WHERE n = 7") == 1, "and sees the first writer's row");
    CHECK(db_rollback(db) == DB_OK, "rollback");
    pthread_join(th, NULL);
    CHECK(a.ok, "first writer committed");
    db_close(db);
}

static int64_t backend_pid(db_t *db)
{
    return count_rows(db, "SELECT pg_backend_pid()");
}

static void terminate(db_t *killer, int64_t pid)
{
    db_stmt_t *st = db_prepare(killer, "SELECT pg_terminate_backend(?)");
    db_bind_int(st, 1, pid);
    CHECK(db_step(st) == DB_ROW && db_col_int(st, 0) == 1, "terminated backend %lld", (long long)pid);
    db_done(st);
    usleep(100 * 1000);
}

static void test_pg_only(db_t *db)
{
    char err[256];
    /* Statement timeout -> DB_BUSY */
    db_set_statement_timeout(100);
    db_t *x = NULL;
    CHECK(db_open(g_target, &x, err, sizeof err) == DB_OK, "connection with a 100 ms statement timeout");
    db_set_statement_timeout(0);
    if (!x) return;
    db_stmt_t *st = db_prepare(x, "SELECT pg_sleep(2)");
    CHECK(db_step(st) == DB_BUSY, "a statement over the timeout fails as DB_BUSY: %s", db_errmsg(x));
    db_done(st);
    db_close(x);

    /* Lost connection: outside a transaction the statement runs again after a reconnect. */
    CHECK(db_open(g_target, &x, err, sizeof err) == DB_OK, "another connection");
    if (!x) return;
    CHECK(count_rows(x, "SELECT count(*) FROM t") >= 3, "prepared statement used once");
    int64_t pid = backend_pid(x);
    terminate(db, pid);
    CHECK(count_rows(x, "SELECT count(*) FROM t") >= 3, "after the server dropped it: reconnected, re-prepared, ran");
    CHECK(backend_pid(x) != pid, "on a new server process");
    /* Inside a transaction the transaction is gone: the statement fails. */
    CHECK(db_begin(x) == DB_OK, "begin");
    terminate(db, backend_pid(x));
    st = db_prepare(x, "SELECT count(*) FROM t");
    CHECK(db_step(st) == DB_ERROR, "a lost transaction fails: %s", db_errmsg(x));
    db_done(st);
    CHECK(db_rollback(x) == DB_OK && !db_in_transaction(x), "rollback after it is harmless");
    CHECK(count_rows(x, "SELECT count(*) FROM t") >= 3, "and the connection works again");
    db_close(x);

    /* An error inside a transaction aborts it: commit reports failure, nothing stays. */
    int64_t before = count_rows(db, "SELECT count(*) FROM t");
    CHECK(db_begin(db) == DB_OK, "begin");
    CHECK(db_exec(db, "INSERT INTO t (name, n) VALUES ('kept?', 8)") == DB_OK, "insert");
    CHECK(db_exec(db, "INSERT INTO t (name, n) VALUES ('kept?', 9)") == DB_CONSTRAINT, "duplicate in the transaction");
    CHECK(db_commit(db) == DB_ERROR, "commit of the failed transaction is an error: %s", db_errmsg(db));
    CHECK(!db_in_transaction(db) && count_rows(db, "SELECT count(*) FROM t") == before, "nothing was kept");

    /* Parameters whose type the server cannot infer run with the bound types. */
    st = db_prepare(db, "SELECT count(*) FROM t WHERE ? IS NULL OR name = ?");
    db_bind_text(st, 1, "x");
    db_bind_text(st, 2, "two");
    CHECK(db_step(st) == DB_ROW && db_col_int(st, 0) == 1, "? IS NULL with text bound");
    db_done(st);
    /* The same fallback inside a transaction must not abort it. */
    CHECK(db_begin(db) == DB_OK, "begin");
    st = db_prepare(db, "SELECT count(*) FROM t WHERE ? IS NULL AND name = ?");
    db_bind_null(st, 1);
    db_bind_text(st, 2, "two");
    CHECK(db_step(st) == DB_ROW && db_col_int(st, 0) == 1, "? IS NULL first prepared inside a transaction");
    db_done(st);
    CHECK(count_rows(db, "SELECT count(*) FROM t") >= 2, "the transaction goes on");
    CHECK(db_commit(db) == DB_OK, "and commits");
    st = db_prepare(db, "SELECT '?' || ?, 1 = 1, 'it''s ?'");
    db_bind_text(st, 1, "x");
    CHECK(db_step(st) == DB_ROW && !strcmp(db_col_text(st, 0), "?x"), "? inside a literal stays: %s", db_col_text(st, 0));
    CHECK(db_col_int(st, 1) == 1, "a boolean reads as 1");
    CHECK_STR(db_col_text(st, 2), "it's ?", "quotes inside literals");
    db_done(st);
}

/* Runs every backend-neutral check on g_target. */
static void run_all(void)
{
    db_t *db = NULL;
    test_open_and_migrate(&db);
    test_bind_and_columns(db);
    test_cache_nesting(db);
    test_constraints_and_tx(db);
    test_backup(db);
    test_threads();
    test_write_lock();
    if (g_pg) test_pg_only(db);
    db_close(db);
}

int main(void)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/kantel-test-db-XXXXXX");
    if (!mkdtemp(g_dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(g_path, sizeof g_path, "%s/t.db", g_dir);
    test_open_refusals();

    snprintf(g_target, sizeof g_target, "sqlite:%s", g_path);
    run_all();
    cleanup_dir();

    const char *pg = getenv("KANTEL_TEST_PG");
    if (pg && *pg) {
        char name[64], admin[300], err[256] = "";
        snprintf(name, sizeof name, "kantel_unit_%ld", (long)getpid());
        snprintf(admin, sizeof admin, "%s/postgres", pg);
        db_t *a = NULL;
        CHECK(db_open(admin, &a, err, sizeof err) == DB_OK, "connect to the test server: %s", err);
        if (!a) return t_done();
        char sql[200];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
        db_exec(a, sql);
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
        CHECK(db_exec(a, sql) == DB_OK, "create database %s: %s", name, db_errmsg(a));
        g_pg = 1;
        snprintf(g_target, sizeof g_target, "%s/%s", pg, name);
        run_all();
        snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", name);
        CHECK(db_exec(a, sql) == DB_OK, "drop database %s: %s", name, db_errmsg(a));
        db_close(a);
    }
    return t_done();
}
