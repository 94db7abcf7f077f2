/*
 * process.h - receiving iStandaarden messages and answering them.
 *
 * istd_receive takes the bytes of one message from a provider and, in one
 * database transaction, stores it, applies it (start, stop, request, claim),
 * and builds its retour (306, 308, 316, 318, 325) with RetourCodes at every
 * level. The three validation layers run in order: the official XSD (from
 * the configured directory), the in-message rules (rules.c) and the
 * cross-message rules against stored assignments and messages (store.c).
 *
 * Idempotent by content: the exact bytes of a message are received once;
 * receiving them again changes nothing and returns the same answer. Outgoing
 * messages (retours, 301s) are stored first and written to an outbox
 * directory afterwards (istd_outbox_flush), each file by write-to-temporary
 * and rename, so a crash at any point loses and doubles nothing: running
 * again writes what was not yet written, and overwrites a file that was
 * written just before the crash with the same bytes.
 */
#ifndef KANTEL_ISTD_PROCESS_H
#define KANTEL_ISTD_PROCESS_H

#include "db/db.h"
#include "istd/istd.h"

typedef struct istd_env {
    db_t *db;
    const char *gemeente;   /* this municipality's 4-digit code */
    istd_xsd_t *xsd;        /* NULL: the XSD layer is skipped (and said so) */
    const char *today;      /* "YYYY-MM-DD"; NULL = today in Europe/Amsterdam */
} istd_env_t;

typedef struct istd_outcome {
    int64_t message_id;     /* istd_message.id of the received message */
    int64_t retour_id;      /* istd_message.id of its retour; 0 when the kind has none */
    int duplicate;          /* these exact bytes were received before: nothing changed */
    int rejected;           /* the whole message was refused (0001, 8848, 9056 …) */
    istd_law law;
    istd_kind kind;
    char identificatie[16];
    char agb[12];
    int prestaties;         /* 323: Prestaties in the message */
    int granted;            /* 323: Prestaties granted */
    int64_t granted_cents;  /* 323: the amount granted (eurocents) */
} istd_outcome_t;

enum { ISTD_RECEIVED = 0, ISTD_REFUSED = 1, ISTD_ERROR = -1 };

/* Receives one message. agb_only, when not NULL, is the AGB code the
 * provider must have (an upload by a provider's account). The provider is
 * the Afzender of a 305 … 323 and the Ontvanger of a 302/320, which keep the
 * header of the gemeente's 301/319 (their schemas say so); the retours 306 …
 * 318 keep the heen's Afzender and Ontvanger, the 325 goes from the gemeente
 * to the provider. source is a file name or "upload" (kept with the message;
 * NULL is ""). Returns ISTD_RECEIVED (out filled, findings in r; for bytes
 * received before out->duplicate is set and out names the earlier message,
 * its retour, law, kind, Identificatie and AGB, the 323 counts stay 0);
 * ISTD_REFUSED when the bytes are no message this municipality can answer
 * (no iWmo/iJw 3.2 message, not addressed to it, not from agb_only - also
 * when received before -, a kind it does not receive, a header whose
 * Identificatie, Dagtekening or XsdVersie no valid retour could echo):
 * nothing is stored and err says why in Dutch; ISTD_ERROR on a database
 * failure (nothing stored). */
int istd_receive(istd_env_t *e, const char *bytes, size_t len, const char *source, const char *agb_only,
                 istd_outcome_t *out, istd_report_t *r, char *err, size_t errlen);

/* The file name of an outgoing message, e.g. "JW325_0999_12345678_K00000042.xml". */
void istd_outbox_name(istd_law law, istd_kind kind, const char *gemeente, const char *agb,
                      const char *identificatie, char *out, size_t n);

/* Writes every outgoing message not yet written to dir (only messages meant
 * for the outbox: those received by upload are fetched through the web).
 * Returns the number written, or -1 with err. */
int istd_outbox_flush(istd_env_t *e, const char *dir, char *err, size_t errlen);

/* The next Identificatie for a message this municipality sends: "K" and
 * eleven digits from a per-municipality counter (settings), inside the
 * caller's transaction. out >= 13 bytes. 0 or -1. */
int istd_next_identificatie(db_t *db, const char *gemeente, char *out, size_t n);

/* Lowercase hex SHA-256 of bytes into out (65 bytes). */
void istd_sha256_hex(const void *bytes, size_t len, char out[65]);

#endif
