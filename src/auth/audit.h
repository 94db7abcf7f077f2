/*
 * audit.h - the audit trail (BIO 8.15.01, NEN 7513).
 *
 * Every sign-in attempt, authorization failure and read or write of personal
 * data becomes one row in audit_event: when, who (actor and on whose behalf),
 * what (action, object type and id), result and origin. audit_log() puts the
 * event in table audit_queue (one small insert; durable when it returns), and
 * a writer thread in every serve process moves queued rows into the chain in
 * batched transactions, so the chain is never written per request and events
 * of a process that died are chained by the others.
 *
 * The rows form a keyed hash chain: hash = BLAKE2b-256 keyed with the audit
 * key over (prev_hash, id, every field). Ids are consecutive from 1. The
 * latest id and hash are also kept in audit_head, authenticated with the key.
 * audit_verify() therefore detects an altered row (hash mismatch), a deleted
 * row (gap in ids, or head mismatch for the last rows) and an inserted row
 * (hash mismatch / id out of sequence), and names the first such row.
 */
#ifndef KANTEL_AUDIT_H
#define KANTEL_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define AUDIT_KEY_BYTES 32

struct audit_event {
    const char *action;       /* dotted verb, e.g. "auth.login", "authz.denied", "user.read" */
    const char *object_type;  /* e.g. "user", "session", "route"; NULL allowed */
    const char *object_id;    /* id within that type; never a BSN or a name */
    const char *result;       /* "ok", "fail", "denied", "locked" ... */
    const char *origin;       /* client IP address, or "cli" */
    int64_t actor_id;         /* user id, 0 when anonymous/unknown */
    const char *actor;        /* user name as typed/known, may be NULL */
    const char *on_behalf_of; /* responsible user (NEN 7513), may be NULL */
    const char *gemeente;     /* municipality code */
    const char *detail;       /* short free text without personal data, may be NULL */
};

/* Starts the writer thread on its own connection to db_target. The key is
 * copied. Returns 0 or -1 (message on stderr). */
int audit_start(const char *db_target, const uint8_t key[AUDIT_KEY_BYTES]);
/* Batch size (events per transaction) and the longest wait before a partial
 * batch is written; call before audit_start (defaults 256 and 50 ms). */
void audit_configure(int batch, int flush_ms);
/* Copies the event (NULL fields allowed), stamps the time (UTC, ms) and
 * queues it: a row in audit_queue through db_thread(), or, when that
 * connection is inside a transaction, the in-memory ring. If the writer is
 * not running (CLI use) the event is written to the chain at once through
 * db_thread() with the key given to audit_set_key(). Blocks only when the
 * ring is full (back-pressure; events are never dropped). */
void audit_log(const struct audit_event *ev);
void audit_set_key(const uint8_t key[AUDIT_KEY_BYTES]);
/* Waits until every event queued before the call is in the chain. */
void audit_flush(void);
/* Flushes and stops the writer thread. */
void audit_stop(void);

struct audit_verify_result {
    int64_t rows_checked;
    int64_t first_bad_id;   /* 0 when intact */
    char reason[200];       /* English, e.g. "row 17: hash mismatch (altered)" */
};

/* Walks the chain. Returns 0 when intact, 1 when tampering was found (res
 * names the first bad row), < 0 on a database error. */
int audit_verify(db_t *db, const uint8_t key[AUDIT_KEY_BYTES], struct audit_verify_result *res);

#endif
