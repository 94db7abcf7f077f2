/* test_audit.c - the audit queue, writer and hash chain (audit.c). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/audit.h"
#include "db/db.h"
#include "test.h"

static char g_dir[64];
static uint8_t g_key[AUDIT_KEY_BYTES];

static void db_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s.db", g_dir, name);
}

static void remove_db(const char *name)
{
    static const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[200];
    for (size_t j = 0; j < sizeof suffix / sizeof *suffix; j++) {
        snprintf(p, sizeof p, "%s/%s.db%s", g_dir, name, suffix[j]);
        unlink(p);
    }
}

static db_t *open_db(const char *path)
{
    char err[256];
    db_t *db = NULL;
    if (db_open(path, &db, err, sizeof err) != DB_OK) {
        fprintf(stderr, "open %s: %s\n", path, err);
        exit(1);
    }
    return db;
}

/* A new migrated database. */
static void fresh(const char *path)
{
    char err[256];
    db_t *db = open_db(path);
    if (db_migrate(db, err, sizeof err) < 1) {
        fprintf(stderr, "migrate %s: %s\n", path, err);
        exit(1);
    }
    db_close(db);
}

static int64_t scalar(const char *path, const char *sql)
{
    db_t *db = open_db(path);
    db_stmt_t *st = db_prepare(db, sql);
    int64_t v = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    db_close(db);
    return v;
}

static int run_sql(const char *path, const char *sql)
{
    db_t *db = open_db(path);
    int rc = db_exec(db, sql);
    if (rc != DB_OK) fprintf(stderr, "# %s: %s\n", sql, db_errmsg(db));
    db_close(db);
    return rc;
}

static int verify(const char *path, const uint8_t *key, struct audit_verify_result *res)
{
    db_t *db = open_db(path);
    int rc = audit_verify(db, key, res);
    db_close(db);
    printf("# verify: %d, %s (first bad %lld)\n", rc, res->reason, (long long)res->first_bad_id);
    return rc;
}

static void log_one(int i, const char *result)
{
    char oid[32];
    snprintf(oid, sizeof oid, "%d", i);
    struct audit_event ev = {
        .action = "user.read",
        .object_type = "user",
        .object_id = oid,
        .result = result,
        .origin = "192.0.2.1",
        .actor_id = 7,
        .actor = "alice",
        .on_behalf_of = "bob",
        .gemeente = "0363",
        .detail = i % 2 ? NULL : "detail",
    };
    audit_log(&ev);
}

/* Writes n events to a new database through the writer thread. */
static void fill(const char *path, int n)
{
    fresh(path);
    if (audit_start(path, g_key) != 0) exit(1);
    for (int i = 0; i < n; i++) log_one(i, "ok");
    audit_stop();
}

struct producer {
    int base;
};

static void *produce(void *arg)
{
    const struct producer *p = arg;
    for (int i = 0; i < 250; i++) log_one(p->base + i, "denied");
    return NULL;
}

static void test_main_chain(void)
{
    char path[200];
    struct audit_verify_result res;
    db_path(path, sizeof path, "main");
    fresh(path);

    CHECK(verify(path, g_key, &res) == 0 && res.rows_checked == 0, "empty trail without a head is intact");

    /* Synchronous path: no writer, db_thread(). */
    db_configure(path);
    audit_set_key(g_key);
    audit_flush(); /* no writer: returns at once */
    for (int i = 0; i < 10; i++) log_one(i, "fail");
    CHECK(scalar(path, "SELECT count(*) FROM audit_event") == 10, "10 synchronous events written");
    CHECK(verify(path, g_key, &res) == 0 && res.rows_checked == 10, "verify after synchronous logging");
    CHECK(scalar(path, "SELECT count(*) FROM audit_event WHERE detail = '' AND object_type = 'user'") == 5,
          "NULL fields stored as ''");
    CHECK(scalar(path, "SELECT count(*) FROM audit_event WHERE ts > 1600000000000") == 10, "ts in unix ms");

    /* A synchronous event inside a caller's transaction joins that transaction. */
    db_t *t = db_thread();
    CHECK(db_begin(t) == DB_OK, "caller transaction");
    log_one(99, "fail");
    CHECK(db_rollback(t) == DB_OK, "caller rolls back");
    CHECK(scalar(path, "SELECT count(*) FROM audit_event") == 10, "the nested event rolled back with it");
    db_thread_close();

    /* Writer thread, 4 producers. */
    CHECK(audit_start(path, g_key) == 0, "writer started");
    CHECK(audit_start(path, g_key) == -1, "second start refused");
    pthread_t th[4];
    struct producer prod[4];
    for (int i = 0; i < 4; i++) {
        prod[i].base = 1000 * (i + 1);
        pthread_create(&th[i], NULL, produce, &prod[i]);
    }
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    audit_flush();
    CHECK(scalar(path, "SELECT count(*) FROM audit_event") == 1010, "1010 rows after flush");
    CHECK(scalar(path, "SELECT max(id) FROM audit_event") == 1010, "ids consecutive up to 1010");
    CHECK(scalar(path, "SELECT last_id FROM audit_head") == 1010, "head at 1010");
    CHECK(verify(path, g_key, &res) == 0 && res.rows_checked == 1010, "verify 1010 rows intact");
    audit_stop();
    audit_stop(); /* harmless twice */

    /* After stop: synchronous again. */
    log_one(5000, "fail");
    CHECK(scalar(path, "SELECT count(*) FROM audit_event") == 1011, "synchronous after stop");
    CHECK(verify(path, g_key, &res) == 0, "still intact");
    db_thread_close();
    db_configure(NULL);

    CHECK(run_sql(path, "UPDATE audit_event SET result = 'ok' WHERE id = 500") == DB_OK, "tamper row 500");
    CHECK(verify(path, g_key, &res) == 1, "altered row detected");
    CHECK(res.first_bad_id == 500, "first bad id is 500 (%lld)", (long long)res.first_bad_id);
    CHECK(strstr(res.reason, "row 500: hash mismatch") != NULL, "reason: %s", res.reason);
    remove_db("main");
}

static void test_tampering(void)
{
    char path[200];
    struct audit_verify_result res;

    db_path(path, sizeof path, "del_mid");
    fill(path, 30);
    CHECK(verify(path, g_key, &res) == 0 && res.rows_checked == 30, "30 rows intact");
    run_sql(path, "DELETE FROM audit_event WHERE id = 12");
    CHECK(verify(path, g_key, &res) == 1 && res.first_bad_id == 12, "deleted middle row 12 named");
    CHECK(strstr(res.reason, "row 12: missing (deleted); next row is 13") != NULL, "reason: %s", res.reason);
    remove_db("del_mid");

    db_path(path, sizeof path, "del_last");
    fill(path, 30);
    run_sql(path, "DELETE FROM audit_event WHERE id >= 29");
    CHECK(verify(path, g_key, &res) == 1 && res.first_bad_id == 29, "deleted last rows found through the head");
    CHECK(strstr(res.reason, "rows after 28 missing (deleted): head says 30") != NULL, "reason: %s", res.reason);
    /* Later writes continue from the head, so the gap stays visible. */
    CHECK(audit_start(path, g_key) == 0, "writer on the truncated trail");
    log_one(1, "ok");
    audit_stop();
    CHECK(verify(path, g_key, &res) == 1 && res.first_bad_id == 29, "gap still found after new rows");
    CHECK(strstr(res.reason, "row 29: missing (deleted); next row is 31") != NULL, "reason: %s", res.reason);
    remove_db("del_last");

    db_path(path, sizeof path, "forge");
    fill(path, 30);
    run_sql(path, "INSERT INTO audit_event (id, ts, action, result, prev_hash, hash)"
                  " SELECT 31, ts + 1, 'user.read', 'ok', hash, hash FROM audit_event WHERE id = 30");
    CHECK(verify(path, g_key, &res) == 1 && res.first_bad_id == 31, "forged row at the end detected");
    CHECK(strstr(res.reason, "row 31: hash mismatch") != NULL, "reason: %s", res.reason);
    /* The writer must not be blocked by the forged id, and the forgery stays visible. */
    CHECK(audit_start(path, g_key) == 0, "writer after a forged row");
    log_one(1, "ok");
    audit_stop();
    CHECK(scalar(path, "SELECT max(id) FROM audit_event") == 32, "new event got id 32");
    CHECK(verify(path, g_key, &res) == 1 && res.first_bad_id == 31, "forgery still named");
    remove_db("forge");

    db_path(path, sizeof path, "key");
    fill(path, 5);
    uint8_t other[AUDIT_KEY_BYTES];
    memcpy(other, g_key, sizeof other);
    other[0] ^= 1;
    CHECK(verify(path, other, &res) == 1 && res.first_bad_id == 1, "a different key fails at row 1");
    CHECK(verify(path, g_key, &res) == 0, "the right key passes");

    /* Moving a byte between adjacent fields must break the hash (length prefixes). */
    run_sql(path, "UPDATE audit_event SET actor = 'alic', on_behalf_of = 'e' || on_behalf_of WHERE id = 3");
    CHECK(verify(path, g_key, &res) == 1 && res.first_bad_id == 3, "shifted field boundary detected");
    remove_db("key");

    db_path(path, sizeof path, "head");
    fill(path, 5);
    run_sql(path, "UPDATE audit_head SET last_id = 4, last_hash = (SELECT hash FROM audit_event WHERE id = 4)");
    run_sql(path, "DELETE FROM audit_event WHERE id = 5");
    CHECK(verify(path, g_key, &res) == 1 && strstr(res.reason, "head MAC invalid") != NULL,
          "rewritten head detected: %s", res.reason);
    CHECK(audit_start(path, g_key) == 0, "writer after a rewritten head");
    log_one(1, "ok");
    audit_stop();
    CHECK(scalar(path, "SELECT count(*) FROM audit_event WHERE action = 'audit.head_invalid'") == 1,
          "writer recorded the invalid head in the chain");
    CHECK(verify(path, g_key, &res) == 1 && res.first_bad_id == 5 && strstr(res.reason, "audit_head tampered"),
          "verify still reports it, at the note (row 5)");
    remove_db("head");

    db_path(path, sizeof path, "nohead");
    fill(path, 5);
    run_sql(path, "DELETE FROM audit_head");
    CHECK(verify(path, g_key, &res) == 1 && res.first_bad_id == 6, "deleted head detected: %s", res.reason);
    remove_db("nohead");
}

/* The queue table: events are durable once audit_log returns; rows left by
 * a process that died are chained by the next writer; an event logged inside
 * the caller's transaction does not roll back with it. */
static void test_queue(void)
{
    char path[200];
    struct audit_verify_result res;
    db_path(path, sizeof path, "queue");
    fresh(path);
    /* Two events "left behind" by a process that died before its writer ran. */
    CHECK(run_sql(path, "INSERT INTO audit_queue (ts, action, result, object_id) VALUES"
                        " (1700000000000, 'left.behind', 'ok', 'a'), (1700000000001, 'left.behind', 'ok', 'b')") == DB_OK,
          "two rows waiting in audit_queue");
    db_configure(path);
    audit_configure(4, 20);
    CHECK(audit_start(path, g_key) == 0, "writer started");
    audit_flush();
    CHECK(scalar(path, "SELECT count(*) FROM audit_event WHERE action = 'left.behind'") == 2,
          "the rows left behind are chained");
    CHECK(scalar(path, "SELECT count(*) FROM audit_queue") == 0, "and gone from the queue");

    /* With the writer running, an event is a queue row until the writer moves it. */
    for (int i = 0; i < 10; i++) log_one(100 + i, "ok");
    audit_flush();
    CHECK(scalar(path, "SELECT count(*) FROM audit_event") == 12, "10 more after flush");

    /* Inside the caller's transaction: the ring, not the (rolled back) queue. */
    db_t *t = db_thread();
    CHECK(db_begin(t) == DB_OK, "caller transaction");
    log_one(200, "denied");
    CHECK(db_rollback(t) == DB_OK, "caller rolls back");
    audit_flush();
    CHECK(scalar(path, "SELECT count(*) FROM audit_event WHERE result = 'denied'") == 1,
          "the event logged inside a rolled-back transaction is kept");
    audit_stop();
    CHECK(verify(path, g_key, &res) == 0 && res.rows_checked == 13, "13 rows intact");
    CHECK(scalar(path, "SELECT max(id) FROM audit_event") == 13, "ids consecutive");
    db_thread_close();
    db_configure(NULL);
    audit_configure(256, 50);
    remove_db("queue");
}

int main(void)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/kantel-test-audit-XXXXXX");
    if (!mkdtemp(g_dir)) {
        perror("mkdtemp");
        return 1;
    }
    for (int i = 0; i < AUDIT_KEY_BYTES; i++) g_key[i] = (uint8_t)(i * 7 + 1);

    test_main_chain();
    test_tampering();
    test_queue();

    rmdir(g_dir);
    return t_done();
}
