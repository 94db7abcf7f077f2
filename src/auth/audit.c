/*
 * audit.c - the hash-chained audit trail (see audit.h).
 *
 * Queue: while the writer runs, audit_log() stamps the event with the wall
 * clock in milliseconds and inserts it into table audit_queue on the calling
 * thread's connection (autocommit): once audit_log() returns, the event is in
 * the database and survives a crash of this process. Writers of every serve
 * process on the database move queued rows into the chain, up to audit_batch
 * rows per transaction under the database's write lock, at least every
 * audit_flush_ms; a process that died leaves its rows to the others. When the
 * calling thread is inside its own transaction (which may roll back) or the
 * insert fails, the event goes to a bounded in-memory ring of
 * AUDIT_QUEUE_CAP events instead (the caller waits when it is full: an event
 * is never dropped), which the same writer empties. A failed batch is retried
 * until it is written.
 *
 * Flushing: audit_flush() waits until the ring events queued before the call
 * are committed (enq_seq/commit_seq) and until the writer has completed a
 * drain of audit_queue that started after the call (flush_req/flush_done).
 *
 * Chain: rows get consecutive ids. For each row
 *   hash = BLAKE2b-256(key = audit key,
 *                      "kantel-audit-row-v1" || prev_hash[32] || u64be(id) ||
 *                      u64be(ts) || for each text field in a fixed order:
 *                      u64be(length) || bytes || u64be(actor_id))
 * so no field boundary can be shifted. audit_head holds (last_id, last_hash)
 * and mac = BLAKE2b-256(key = head key, "kantel-audit-head-v1" || u64be(last_id)
 * || last_hash) with head key = BLAKE2b-256(key = audit key,
 * "kantel-audit-head-key-v1"), a key the row hashes never use.
 *
 * The writer continues the chain from the head, not from the last row, so a
 * deletion of the last rows stays visible as a gap after later writes. If the
 * head is missing while rows exist, or its MAC is wrong, the writer continues
 * after the highest id and records that fact as an "audit.head_invalid" event
 * in the chain itself, so the repair cannot hide the tampering: audit_verify()
 * reports such a note as tampering.
 *
 * Without a running writer (CLI use) audit_log() writes the event at once
 * through db_thread() with the same code: its own write transaction (db_begin),
 * or, when the calling thread is already inside a transaction, a savepoint in
 * that transaction (the event then commits or rolls back with it).
 */
#include "auth/audit.h"

#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"

#define AUDIT_QUEUE_CAP 65536 /* ring events waiting at most; then audit_log waits */
#define AUDIT_BATCH_MAX 10000 /* upper bound of audit_batch */

static int g_batch = 256;     /* events per transaction (audit_batch) */
static int g_flush_ms = 50;   /* longest wait before a partial batch is written (audit_flush_ms) */

#define HASH_BYTES 32
#define HEAD_NOTE "audit.head_invalid" /* action of the writer's own note, origin "kantel" */

/* Text fields in hash and column order. */
enum { F_GEMEENTE, F_ACTOR, F_ON_BEHALF_OF, F_ACTION, F_OBJECT_TYPE, F_OBJECT_ID, F_RESULT,
       F_ORIGIN, F_DETAIL, NFIELDS };

/* One event as hashed and stored. Text fields are never NULL (NULL -> ""). */
struct rec {
    int64_t ts;
    int64_t actor_id;
    const char *f[NFIELDS];
    size_t n[NFIELDS];
};

/* A queued event: the rec points into data[] of the same heap block. */
struct qev {
    struct rec r;
    char data[];
};

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_wake;                                 /* writer: work to do (monotonic clock) */
static pthread_cond_t g_space = PTHREAD_COND_INITIALIZER;     /* producers: room in the ring */
static pthread_cond_t g_committed = PTHREAD_COND_INITIALIZER; /* flushers: commit_seq moved */

static struct qev **g_ring; /* AUDIT_QUEUE_CAP slots, allocated by audit_start */
static size_t g_head, g_count;
static uint64_t g_enq_seq, g_commit_seq;
static uint64_t g_flush_req, g_flush_done; /* drains of audit_queue asked for / completed */
static size_t g_db_count;                  /* events put in audit_queue since the last drain */
static int g_running, g_stopping;
static pthread_t g_thread;
static db_t *g_wdb;                     /* the writer's connection */
static char *g_wtarget;                 /* its database: audit_queue is used when db_thread() is on the same */
static uint8_t g_wkey[AUDIT_KEY_BYTES]; /* the writer's key */

static uint8_t g_key[AUDIT_KEY_BYTES];  /* key of the synchronous path */
static int g_key_set;

static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void setup(void)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "kantel: audit: libsodium failed to initialise\n");
        abort();
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&g_wake, &ca);
    pthread_condattr_destroy(&ca);
}

/* ---- hashing ------------------------------------------------------------ */

static void put_u64(uint8_t out[8], uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        out[i] = (uint8_t)v;
        v >>= 8;
    }
}

static void hash_u64(crypto_generichash_state *s, uint64_t v)
{
    uint8_t b[8];
    put_u64(b, v);
    crypto_generichash_update(s, b, sizeof b);
}

static void row_hash(const uint8_t key[AUDIT_KEY_BYTES], const uint8_t prev[HASH_BYTES], int64_t id,
                     const struct rec *r, uint8_t out[HASH_BYTES])
{
    static const char tag[] = "kantel-audit-row-v1";
    crypto_generichash_state s;
    crypto_generichash_init(&s, key, AUDIT_KEY_BYTES, HASH_BYTES);
    crypto_generichash_update(&s, (const unsigned char *)tag, sizeof tag - 1);
    crypto_generichash_update(&s, prev, HASH_BYTES);
    hash_u64(&s, (uint64_t)id);
    hash_u64(&s, (uint64_t)r->ts);
    for (int i = 0; i < NFIELDS; i++) {
        hash_u64(&s, (uint64_t)r->n[i]);
        if (r->n[i]) crypto_generichash_update(&s, (const unsigned char *)r->f[i], r->n[i]);
    }
    hash_u64(&s, (uint64_t)r->actor_id);
    crypto_generichash_final(&s, out, HASH_BYTES);
    sodium_memzero(&s, sizeof s);
}

static void head_mac(const uint8_t key[AUDIT_KEY_BYTES], int64_t last_id, const uint8_t last_hash[HASH_BYTES],
                     uint8_t out[HASH_BYTES])
{
    static const char key_ctx[] = "kantel-audit-head-key-v1";
    static const char tag[] = "kantel-audit-head-v1";
    uint8_t hkey[HASH_BYTES];
    crypto_generichash(hkey, sizeof hkey, (const unsigned char *)key_ctx, sizeof key_ctx - 1, key,
                       AUDIT_KEY_BYTES);
    crypto_generichash_state s;
    crypto_generichash_init(&s, hkey, sizeof hkey, HASH_BYTES);
    crypto_generichash_update(&s, (const unsigned char *)tag, sizeof tag - 1);
    hash_u64(&s, (uint64_t)last_id);
    crypto_generichash_update(&s, last_hash, HASH_BYTES);
    crypto_generichash_final(&s, out, HASH_BYTES);
    sodium_memzero(&s, sizeof s);
    sodium_memzero(hkey, sizeof hkey);
}

/* ---- writing ------------------------------------------------------------ */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void rec_set(struct rec *r, int field, const char *s)
{
    r->f[field] = s;
    r->n[field] = strlen(s);
}

static int insert_row(db_t *db, const uint8_t key[AUDIT_KEY_BYTES], int64_t id, const uint8_t prev[HASH_BYTES],
                      const struct rec *r, uint8_t hash[HASH_BYTES])
{
    row_hash(key, prev, id, r, hash);
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO audit_event (id, ts, gemeente, actor, on_behalf_of, action, object_type,"
        " object_id, result, origin, detail, actor_id, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, r->ts);
    for (int i = 0; i < NFIELDS; i++) db_bind_textn(st, 3 + i, r->f[i], r->n[i]);
    db_bind_int(st, 3 + NFIELDS, r->actor_id);
    db_bind_blob(st, 4 + NFIELDS, prev, HASH_BYTES);
    db_bind_blob(st, 5 + NFIELDS, hash, HASH_BYTES);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Finds where the chain continues: *last_id and *last_hash. Sets *problem to
 * a description when the head cannot be trusted (then the caller records it). */
static int chain_end(db_t *db, const uint8_t key[AUDIT_KEY_BYTES], int64_t *last_id,
                     uint8_t last_hash[HASH_BYTES], char *problem, size_t plen)
{
    int64_t head_id = 0, row_id = 0;
    int have_head = 0, have_row = 0, head_ok = 0;
    uint8_t head_hash[HASH_BYTES] = {0}, row_h[HASH_BYTES] = {0};
    problem[0] = '\0';

    db_stmt_t *st = db_prepare(db, "SELECT last_id, last_hash, mac FROM audit_head WHERE one = 1");
    int rc = db_step(st);
    if (rc == DB_ROW) {
        size_t hl = 0, ml = 0;
        const void *h = db_col_blob(st, 1, &hl);
        const void *m = db_col_blob(st, 2, &ml);
        have_head = 1;
        head_id = db_col_int(st, 0);
        if (hl == HASH_BYTES) memcpy(head_hash, h, HASH_BYTES);
        uint8_t want[HASH_BYTES];
        head_mac(key, head_id, head_hash, want);
        head_ok = hl == HASH_BYTES && ml == HASH_BYTES && sodium_memcmp(want, m, HASH_BYTES) == 0;
    }
    db_done(st);
    if (rc != DB_ROW && rc != DB_DONE) return rc;

    st = db_prepare(db, "SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1");
    rc = db_step(st);
    if (rc == DB_ROW) {
        size_t hl = 0;
        const void *h = db_col_blob(st, 1, &hl);
        have_row = 1;
        row_id = db_col_int(st, 0);
        if (hl == HASH_BYTES) memcpy(row_h, h, HASH_BYTES);
    }
    db_done(st);
    if (rc != DB_ROW && rc != DB_DONE) return rc;

    if (have_head && !head_ok)
        snprintf(problem, plen, "audit_head MAC invalid (head said row %lld); chain continued after row %lld",
                 (long long)head_id, (long long)(row_id > head_id ? row_id : head_id));
    else if (!have_head && have_row)
        snprintf(problem, plen, "audit_head missing; chain continued after row %lld", (long long)row_id);

    /* Normally the head. Rows beyond the head (forged, or a head rolled back)
     * must not block new ids; verify reports them anyway. */
    if (have_row && (!have_head || row_id > head_id)) {
        *last_id = row_id;
        memcpy(last_hash, row_h, HASH_BYTES);
    } else {
        *last_id = head_id;
        memcpy(last_hash, head_hash, HASH_BYTES);
    }
    if (*last_id < 0) *last_id = 0;
    return DB_OK;
}

/* Appends n events to the chain; the caller holds a write transaction. */
static int append_chain(db_t *db, const uint8_t key[AUDIT_KEY_BYTES], struct rec *const *evs, size_t n)
{
    int64_t id = 0;
    uint8_t prev[HASH_BYTES], hash[HASH_BYTES];
    char problem[160];
    int rc = chain_end(db, key, &id, prev, problem, sizeof problem);
    if (rc == DB_OK && problem[0]) {
        fprintf(stderr, "kantel: audit: %s\n", problem);
        struct rec note = {.ts = now_ms(), .actor_id = 0};
        for (int i = 0; i < NFIELDS; i++) rec_set(&note, i, "");
        rec_set(&note, F_ACTION, HEAD_NOTE);
        rec_set(&note, F_RESULT, "fail");
        rec_set(&note, F_ORIGIN, "kantel");
        rec_set(&note, F_DETAIL, problem);
        rc = insert_row(db, key, ++id, prev, &note, hash);
        memcpy(prev, hash, HASH_BYTES);
    }
    for (size_t i = 0; rc == DB_OK && i < n; i++) {
        rc = insert_row(db, key, ++id, prev, evs[i], hash);
        memcpy(prev, hash, HASH_BYTES);
    }
    if (rc == DB_OK) {
        uint8_t mac[HASH_BYTES];
        head_mac(key, id, prev, mac);
        db_stmt_t *st = db_prepare(db,
            "INSERT INTO audit_head (one, last_id, last_hash, mac) VALUES (1, ?, ?, ?)"
            " ON CONFLICT(one) DO UPDATE SET last_id = excluded.last_id,"
            " last_hash = excluded.last_hash, mac = excluded.mac");
        db_bind_int(st, 1, id);
        db_bind_blob(st, 2, prev, HASH_BYTES);
        db_bind_blob(st, 3, mac, HASH_BYTES);
        rc = db_step(st);
        db_done(st);
        if (rc == DB_DONE) rc = DB_OK;
    }
    return rc;
}

/* Writes n events in one transaction (or a savepoint when nested). */
static int write_events(db_t *db, const uint8_t key[AUDIT_KEY_BYTES], struct rec *const *evs, size_t n,
                        int nested)
{
    int rc = nested ? db_exec(db, "SAVEPOINT kantel_audit") : db_begin(db);
    if (rc != DB_OK) return rc;
    rc = append_chain(db, key, evs, n);
    if (rc == DB_OK) rc = nested ? db_exec(db, "RELEASE kantel_audit") : db_commit(db);
    if (rc != DB_OK) {
        if (nested)
            db_exec(db, "ROLLBACK TO kantel_audit; RELEASE kantel_audit");
        else
            db_rollback(db);
    }
    return rc;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Retries until written. Errors other than busy are logged, with a growing pause. */
static void write_until_done(db_t *db, const uint8_t key[AUDIT_KEY_BYTES], struct rec *const *evs, size_t n,
                             int may_nest)
{
    int pause = 10, nested = may_nest && db_in_transaction(db);
    for (;;) {
        int rc = write_events(db, key, evs, n, nested);
        if (rc == DB_OK) return;
        if (rc == DB_BUSY) {
            sleep_ms(10);
            continue;
        }
        fprintf(stderr, "kantel: audit: writing %zu event(s) failed, will retry: %s\n", n, db_errmsg(db));
        sleep_ms(pause);
        if (pause < 2000) pause *= 2;
        nested = may_nest && db_in_transaction(db);
    }
}

/* ---- queue and writer thread -------------------------------------------- */

/* One heap block holding a rec and copies of its fields (len[i] bytes each). */
static struct qev *qev_new(const char *const src[NFIELDS], const size_t len[NFIELDS], int64_t actor_id, int64_t ts)
{
    size_t total = 0;
    for (int i = 0; i < NFIELDS; i++) total += len[i] + 1;
    struct qev *q = xmalloc(sizeof *q + total);
    char *p = q->data;
    for (int i = 0; i < NFIELDS; i++) {
        if (len[i]) memcpy(p, src[i], len[i]);
        p[len[i]] = '\0';
        q->r.f[i] = p;
        q->r.n[i] = len[i];
        p += len[i] + 1;
    }
    q->r.actor_id = actor_id;
    q->r.ts = ts;
    return q;
}

static struct qev *copy_event(const struct audit_event *ev)
{
    const char *src[NFIELDS] = {0};
    src[F_GEMEENTE] = ev->gemeente;
    src[F_ACTOR] = ev->actor;
    src[F_ON_BEHALF_OF] = ev->on_behalf_of;
    src[F_ACTION] = ev->action;
    src[F_OBJECT_TYPE] = ev->object_type;
    src[F_OBJECT_ID] = ev->object_id;
    src[F_RESULT] = ev->result;
    src[F_ORIGIN] = ev->origin;
    src[F_DETAIL] = ev->detail;
    size_t len[NFIELDS];
    for (int i = 0; i < NFIELDS; i++) len[i] = src[i] ? strlen(src[i]) : 0;
    return qev_new(src, len, ev->actor_id, now_ms());
}

/* ---- the queue table ------------------------------------------------------ */

/* Columns of audit_queue in field order (F_*), after id and ts. */
#define QUEUE_FIELDS "gemeente, actor, on_behalf_of, action, object_type, object_id, result, origin, detail"

static int queue_insert(db_t *db, const struct rec *r)
{
    db_stmt_t *st = db_prepare(db, "INSERT INTO audit_queue (ts, " QUEUE_FIELDS ", actor_id)"
                                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(st, 1, r->ts);
    for (int i = 0; i < NFIELDS; i++) db_bind_textn(st, 2 + i, r->f[i], r->n[i]);
    db_bind_int(st, 2 + NFIELDS, r->actor_id);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Moves up to g_batch queued rows into the chain in one write transaction.
 * Returns how many (0: the queue was empty) or < 0 on an error. */
static int drain_once(db_t *db, const uint8_t key[AUDIT_KEY_BYTES])
{
    /* Look before taking the write lock: usually there is nothing. */
    db_stmt_t *st = db_prepare(db, "SELECT id FROM audit_queue ORDER BY id LIMIT 1");
    int rc = db_step(st);
    db_done(st);
    if (rc == DB_DONE) return 0;
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;

    if ((rc = db_begin(db)) != DB_OK) return rc;
    struct qev *qs[AUDIT_BATCH_MAX];
    struct rec *recs[AUDIT_BATCH_MAX];
    int64_t ids[AUDIT_BATCH_MAX];
    size_t n = 0;
    st = db_prepare(db, "SELECT id, ts, actor_id, " QUEUE_FIELDS " FROM audit_queue ORDER BY id LIMIT ?");
    db_bind_int(st, 1, g_batch);
    while (n < (size_t)g_batch && (rc = db_step(st)) == DB_ROW) {
        const char *src[NFIELDS];
        size_t len[NFIELDS];
        for (int i = 0; i < NFIELDS; i++) {
            const char *v = db_col_blob(st, 3 + i, &len[i]); /* exact bytes */
            src[i] = v ? v : "";
        }
        ids[n] = db_col_int(st, 0);
        qs[n] = qev_new(src, len, db_col_int(st, 2), db_col_int(st, 1));
        recs[n] = &qs[n]->r;
        n++;
    }
    db_done(st);
    if (rc == DB_ROW || rc == DB_DONE) rc = append_chain(db, key, recs, n);
    /* Delete exactly the rows moved (not a range: on PostgreSQL a row with a
     * lower id may commit later), 16 ids per statement, the last repeated. */
    for (size_t i = 0; rc == DB_OK && i < n; i += 16) {
        st = db_prepare(db, "DELETE FROM audit_queue WHERE id IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        for (size_t k = 0; k < 16; k++) db_bind_int(st, (int)k + 1, ids[i + k < n ? i + k : n - 1]);
        rc = db_step(st) == DB_DONE ? DB_OK : DB_ERROR;
        db_done(st);
    }
    if (rc == DB_OK) rc = db_commit(db);
    if (rc != DB_OK) db_rollback(db);
    for (size_t i = 0; i < n; i++) free(qs[i]);
    return rc == DB_OK ? (int)n : rc;
}

/* Drains the queue table until it is empty (or an error: then the rows stay
 * for the next round). */
static void drain_all(db_t *db, const uint8_t key[AUDIT_KEY_BYTES])
{
    int n;
    while ((n = drain_once(db, key)) >= g_batch) {
    }
    if (n < 0) fprintf(stderr, "kantel: audit: moving queued events failed, will retry: %s\n", db_errmsg(db));
}

static void deadline_in(struct timespec *ts, int ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_nsec += (long)ms * 1000000L;
    ts->tv_sec += ts->tv_nsec / 1000000000L;
    ts->tv_nsec %= 1000000000L;
}

static void *writer_main(void *arg)
{
    struct qev *batch[AUDIT_BATCH_MAX];
    struct rec *recs[AUDIT_BATCH_MAX];

    pthread_mutex_lock(&g_mu);
    for (;;) {
        if (!g_stopping && g_count + g_db_count < (size_t)g_batch && g_flush_req == g_flush_done) {
            /* Let a batch gather, but not for longer than audit_flush_ms; then
             * look at the queue table (other processes' rows too). */
            struct timespec until;
            deadline_in(&until, g_flush_ms);
            while (!g_stopping && g_count + g_db_count < (size_t)g_batch && g_flush_req == g_flush_done)
                if (pthread_cond_timedwait(&g_wake, &g_mu, &until) != 0) break;
        }
        uint64_t req = g_flush_req;
        int stopping = g_stopping;
        size_t n = g_count < (size_t)g_batch ? g_count : (size_t)g_batch;
        for (size_t i = 0; i < n; i++) {
            batch[i] = g_ring[g_head];
            recs[i] = &batch[i]->r;
            g_ring[g_head] = NULL;
            g_head = (g_head + 1) % AUDIT_QUEUE_CAP;
        }
        g_count -= n;
        g_db_count = 0;
        pthread_cond_broadcast(&g_space);
        pthread_mutex_unlock(&g_mu);

        if (n) write_until_done(g_wdb, g_wkey, recs, n, 0);
        for (size_t i = 0; i < n; i++) free(batch[i]);
        drain_all(g_wdb, g_wkey);

        pthread_mutex_lock(&g_mu);
        g_commit_seq += n;
        if (g_count == 0) g_flush_done = req;
        pthread_cond_broadcast(&g_committed);
        if (stopping && g_count == 0) break;
    }
    g_running = 0;
    pthread_cond_broadcast(&g_space);     /* producers still waiting go synchronous */
    pthread_cond_broadcast(&g_committed);
    pthread_mutex_unlock(&g_mu);
    return NULL;
}

void audit_configure(int batch, int flush_ms)
{
    pthread_mutex_lock(&g_mu);
    g_batch = batch < 1 ? 1 : batch > AUDIT_BATCH_MAX ? AUDIT_BATCH_MAX : batch;
    g_flush_ms = flush_ms < 1 ? 1 : flush_ms;
    pthread_mutex_unlock(&g_mu);
}

int audit_start(const char *db_target, const uint8_t key[AUDIT_KEY_BYTES])
{
    pthread_once(&g_once, setup);
    pthread_mutex_lock(&g_mu);
    int busy = g_running;
    pthread_mutex_unlock(&g_mu);
    if (busy) {
        fprintf(stderr, "kantel: audit_start: the audit writer is already running\n");
        return -1;
    }
    char err[600];
    db_t *db = NULL;
    if (db_open(db_target, &db, err, sizeof err) != DB_OK) {
        fprintf(stderr, "kantel: audit_start: %s\n", err);
        return -1;
    }
    db_stmt_t *st = db_prepare_try(db, "SELECT count(*) FROM audit_head");
    if (!st) {
        fprintf(stderr, "kantel: audit_start: audit tables unusable (migrations not applied?): %s\n",
                db_errmsg(db));
        db_close(db);
        return -1;
    }
    db_done(st);

    pthread_mutex_lock(&g_mu);
    if (!g_ring) g_ring = xcalloc(AUDIT_QUEUE_CAP, sizeof *g_ring);
    g_head = g_count = 0;
    g_wdb = db;
    memcpy(g_wkey, key, AUDIT_KEY_BYTES);
    if (!g_key_set) { /* the synchronous path after audit_stop uses it too */
        memcpy(g_key, key, AUDIT_KEY_BYTES);
        g_key_set = 1;
    }
    g_stopping = 0;
    free(g_wtarget);
    g_wtarget = xstrdup(db_target);
    g_flush_done = g_flush_req;
    g_db_count = 0;
    g_running = 1;
    int rc = pthread_create(&g_thread, NULL, writer_main, NULL);
    if (rc != 0) {
        g_running = 0;
        g_wdb = NULL;
        pthread_mutex_unlock(&g_mu);
        fprintf(stderr, "kantel: audit_start: cannot start the writer thread: %s\n", strerror(rc));
        db_close(db);
        return -1;
    }
    pthread_mutex_unlock(&g_mu);
    return 0;
}

void audit_set_key(const uint8_t key[AUDIT_KEY_BYTES])
{
    pthread_once(&g_once, setup);
    pthread_mutex_lock(&g_mu);
    memcpy(g_key, key, AUDIT_KEY_BYTES);
    g_key_set = 1;
    pthread_mutex_unlock(&g_mu);
}

void audit_log(const struct audit_event *ev)
{
    pthread_once(&g_once, setup);
    struct qev *q = copy_event(ev);

    pthread_mutex_lock(&g_mu);
    int running = g_running && !g_stopping;
    const char *thread_db = db_target();
    int same_db = running && thread_db && g_wtarget && strcmp(thread_db, g_wtarget) == 0;
    pthread_mutex_unlock(&g_mu);
    if (same_db) {
        /* Durable at once: a row in audit_queue, unless the caller's own
         * transaction (which may roll back) is open on this connection. */
        db_t *db = db_thread();
        if (!db_in_transaction(db) && queue_insert(db, &q->r) == DB_OK) {
            free(q);
            pthread_mutex_lock(&g_mu);
            if (++g_db_count + g_count >= (size_t)g_batch) pthread_cond_signal(&g_wake);
            pthread_mutex_unlock(&g_mu);
            return;
        }
    }

    pthread_mutex_lock(&g_mu);
    while (g_running && g_count == AUDIT_QUEUE_CAP) pthread_cond_wait(&g_space, &g_mu);
    if (g_running) {
        g_ring[(g_head + g_count) % AUDIT_QUEUE_CAP] = q;
        g_count++;
        g_enq_seq++;
        if (g_count == 1 || g_count == (size_t)g_batch) pthread_cond_signal(&g_wake);
        pthread_mutex_unlock(&g_mu);
        return;
    }
    /* No writer: write now on this thread's connection. */
    if (!g_key_set) {
        pthread_mutex_unlock(&g_mu);
        fprintf(stderr, "kantel: audit_log: no audit key (call audit_set_key or audit_start first)\n");
        abort();
    }
    uint8_t key[AUDIT_KEY_BYTES];
    memcpy(key, g_key, sizeof key);
    pthread_mutex_unlock(&g_mu);

    struct rec *r = &q->r;
    write_until_done(db_thread(), key, &r, 1, 1);
    sodium_memzero(key, sizeof key);
    free(q);
}

void audit_flush(void)
{
    pthread_mutex_lock(&g_mu);
    if (g_running) {
        uint64_t target = g_enq_seq;
        uint64_t mine = ++g_flush_req;
        pthread_cond_signal(&g_wake);
        while (g_running && (g_commit_seq < target || g_flush_done < mine)) pthread_cond_wait(&g_committed, &g_mu);
    }
    pthread_mutex_unlock(&g_mu);
}

void audit_stop(void)
{
    pthread_mutex_lock(&g_mu);
    if (!g_running || g_stopping) {
        pthread_mutex_unlock(&g_mu);
        return;
    }
    g_stopping = 1;
    pthread_cond_signal(&g_wake);
    pthread_mutex_unlock(&g_mu);

    pthread_join(g_thread, NULL); /* the writer drains the ring before it ends */

    pthread_mutex_lock(&g_mu);
    db_close(g_wdb);
    g_wdb = NULL;
    sodium_memzero(g_wkey, sizeof g_wkey);
    g_stopping = 0;
    free(g_ring);
    g_ring = NULL;
    pthread_mutex_unlock(&g_mu);
}

/* ---- verification ------------------------------------------------------- */

static int bad(struct audit_verify_result *res, int64_t id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(struct audit_verify_result *res, int64_t id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->reason, sizeof res->reason, fmt, ap);
    va_end(ap);
    res->first_bad_id = id;
    return 1;
}

static int walk(db_t *db, const uint8_t key[AUDIT_KEY_BYTES], struct audit_verify_result *res)
{
    db_stmt_t *st = db_prepare_try(db,
        "SELECT id, ts, gemeente, actor, on_behalf_of, action, object_type, object_id, result,"
        " origin, detail, actor_id, prev_hash, hash FROM audit_event ORDER BY id");
    if (!st) {
        snprintf(res->reason, sizeof res->reason, "cannot read audit_event: %s", db_errmsg(db));
        return DB_ERROR;
    }
    int64_t expect = 1;
    uint8_t prev[HASH_BYTES] = {0}, hash[HASH_BYTES];
    int rc, found = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        if (id > expect) {
            found = bad(res, expect, "row %lld: missing (deleted); next row is %lld", (long long)expect,
                        (long long)id);
            break;
        }
        if (id < expect) {
            found = bad(res, expect, "row %lld: id out of sequence before row %lld (inserted)", (long long)id,
                        (long long)expect);
            break;
        }
        struct rec r;
        r.ts = db_col_int(st, 1);
        for (int i = 0; i < NFIELDS; i++) {
            const char *p = db_col_blob(st, 2 + i, &r.n[i]); /* exact bytes, NULs included */
            r.f[i] = p ? p : "";
        }
        r.actor_id = db_col_int(st, 2 + NFIELDS);
        size_t pl = 0, hl = 0;
        const void *ph = db_col_blob(st, 3 + NFIELDS, &pl);
        const void *hh = db_col_blob(st, 4 + NFIELDS, &hl);
        uint8_t stored_prev[HASH_BYTES] = {0};
        if (pl == HASH_BYTES) memcpy(stored_prev, ph, HASH_BYTES);
        row_hash(key, stored_prev, id, &r, hash);
        if (pl != HASH_BYTES || hl != HASH_BYTES || sodium_memcmp(hash, hh, HASH_BYTES) != 0) {
            found = bad(res, id, "row %lld: hash mismatch (altered or inserted)", (long long)id);
            break;
        }
        if (sodium_memcmp(stored_prev, prev, HASH_BYTES) != 0) {
            if (id == 1)
                found = bad(res, id, "row 1: prev_hash is not the chain start (rows before it deleted?)");
            else
                found = bad(res, id, "row %lld: prev_hash does not link to row %lld", (long long)id,
                            (long long)(id - 1));
            break;
        }
        if (r.n[F_ACTION] == sizeof HEAD_NOTE - 1 && memcmp(r.f[F_ACTION], HEAD_NOTE, r.n[F_ACTION]) == 0 &&
            r.n[F_ORIGIN] == 6 && memcmp(r.f[F_ORIGIN], "kantel", 6) == 0) {
            /* Authentic note of the writer: the head had been tampered with. */
            found = bad(res, id, "row %lld: the writer found audit_head tampered with: %.*s", (long long)id,
                        (int)(r.n[F_DETAIL] > 100 ? 100 : r.n[F_DETAIL]), r.f[F_DETAIL]);
            break;
        }
        memcpy(prev, hash, HASH_BYTES);
        res->rows_checked++;
        expect++;
    }
    db_done(st);
    if (found) return 1;
    if (rc != DB_DONE) {
        snprintf(res->reason, sizeof res->reason, "reading audit_event: %s", db_errmsg(db));
        return rc < 0 ? rc : DB_ERROR;
    }
    int64_t last = expect - 1;

    st = db_prepare_try(db, "SELECT last_id, last_hash, mac FROM audit_head WHERE one = 1");
    if (!st) {
        snprintf(res->reason, sizeof res->reason, "cannot read audit_head: %s", db_errmsg(db));
        return DB_ERROR;
    }
    rc = db_step(st);
    if (rc == DB_DONE) {
        db_done(st);
        if (last == 0) return 0; /* empty trail */
        return bad(res, last + 1, "audit_head missing (deleted) after row %lld", (long long)last);
    }
    if (rc != DB_ROW) {
        db_done(st);
        snprintf(res->reason, sizeof res->reason, "reading audit_head: %s", db_errmsg(db));
        return rc < 0 ? rc : DB_ERROR;
    }
    int64_t head_id = db_col_int(st, 0);
    size_t hl = 0, ml = 0;
    const void *hh = db_col_blob(st, 1, &hl);
    const void *mh = db_col_blob(st, 2, &ml);
    uint8_t head_hash[HASH_BYTES] = {0}, mac[HASH_BYTES];
    if (hl == HASH_BYTES) memcpy(head_hash, hh, HASH_BYTES);
    head_mac(key, head_id, head_hash, mac);
    int mac_ok = hl == HASH_BYTES && ml == HASH_BYTES && sodium_memcmp(mac, mh, HASH_BYTES) == 0;
    db_done(st);

    if (!mac_ok) return bad(res, last + 1, "head MAC invalid");
    if (head_id > last)
        return bad(res, last + 1, "rows after %lld missing (deleted): head says %lld", (long long)last,
                   (long long)head_id);
    if (head_id < last)
        return bad(res, head_id + 1, "row %lld: beyond the head (inserted): head says %lld",
                   (long long)(head_id + 1), (long long)head_id);
    if (sodium_memcmp(head_hash, prev, HASH_BYTES) != 0)
        return bad(res, last, "row %lld: hash differs from the head (altered)", (long long)last);
    return 0;
}

int audit_verify(db_t *db, const uint8_t key[AUDIT_KEY_BYTES], struct audit_verify_result *res)
{
    pthread_once(&g_once, setup);
    memset(res, 0, sizeof *res);
    /* One read transaction, so rows and head come from the same snapshot while
     * writers (in this or other processes) keep appending. If the caller is
     * already inside a transaction, that transaction gives the snapshot. */
    int own = !db_in_transaction(db) && db_begin_read(db) == DB_OK;
    int rc = walk(db, key, res);
    if (own) db_commit(db);
    if (rc == 0) snprintf(res->reason, sizeof res->reason, "intact: %lld rows", (long long)res->rows_checked);
    return rc;
}
