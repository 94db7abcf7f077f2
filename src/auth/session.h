/*
 * session.h - server-side sessions. The browser holds a 256-bit random token
 * (cookie kantel_sid); the database holds only its BLAKE2b-256 hash, so a
 * database copy does not yield usable sessions. States: "mfa" (password ok,
 * code outstanding), "enrol" (password ok, must set up a second factor),
 * "full". Every change of state issues a new token (no fixation).
 */
#ifndef KANTEL_SESSION_H
#define KANTEL_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define SESSION_TOKEN_LEN 44 /* base64url of 32 bytes + NUL, rounded */

struct session_row {
    uint8_t token_hash[32];
    int64_t account_id;
    char gemeente[8];
    char state[8];
    char csrf[48];
    int64_t created_at, last_seen_at;
    /* joined from account */
    char username[72];
    char display_name[200];
    char role[16];
};

enum { SESSION_OK = 0, SESSION_NONE = 1, SESSION_EXPIRED = 2 };

void session_hash(const char *token, uint8_t out[32]);
/* Creates a session; writes the token (to send as cookie) into token_out. */
int session_create(db_t *db, int64_t account_id, const char *gemeente, const char *state,
                   const char *origin, const char *user_agent, char token_out[SESSION_TOKEN_LEN]);
/* Looks the token up, enforces idle/absolute timeouts (deleting expired
 * rows) and refreshes last_seen_at at most every few seconds. */
int session_lookup(db_t *db, const char *token, int64_t now, int64_t idle, int64_t absolute,
                   struct session_row *out);
/* Moves a session to a new state under a NEW token (old one deleted). */
int session_rotate(db_t *db, const uint8_t old_hash[32], const char *state,
                   char token_out[SESSION_TOKEN_LEN]);
int session_delete(db_t *db, const uint8_t hash[32]);
/* Ends every session of an account; returns how many. */
int session_delete_account(db_t *db, int64_t account_id);

#endif
