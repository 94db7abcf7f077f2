/*
 * invite.h - one-time invitation links for residents and network members.
 *
 * A coordinator creates an invitation for a member of a household (kind
 * "resident") or for one of its network members (kind "network"). The link
 * carries a random token of 32 bytes (base64url); the database keeps only its
 * BLAKE2b-256 hash, so a copy of the database yields no usable links. An
 * invitation expires INVITE_TTL seconds after creation and can be redeemed
 * once: redeeming creates the account, links it (account.person_id for a
 * resident, network_member.account_id for a network member) and marks the
 * invitation used, all in one transaction.
 *
 * Callers audit ("invite.create", "invite.redeem"; ids only, never the
 * token) and check need-to-know for the household (pages/hh.h).
 */
#ifndef KANTEL_INVITE_H
#define KANTEL_INVITE_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define INVITE_TTL (7 * 24 * 3600)
#define INVITE_TOKEN_LEN 48 /* base64url of 32 bytes + NUL, rounded */

enum {
    INVITE_OK = 0,
    INVITE_E_DB = -1,          /* database error; nothing written */
    INVITE_E_NOT_FOUND = -2,   /* person / network member not of this household */
    INVITE_E_HAS_ACCOUNT = -3, /* the person or network member already has an account */
    INVITE_E_INVALID = -4,     /* unknown, used or expired code */
    INVITE_E_USERNAME = -5,    /* user name malformed or taken (message in msg) */
    INVITE_E_PASSWORD = -6,    /* password policy (message in msg) */
};

struct invite_info {
    int64_t id;
    char kind[12];            /* "resident" or "network" */
    int64_t household_id;
    int64_t person_id;        /* kind resident, else 0 */
    int64_t network_member_id;/* kind network, else 0 */
    char gemeente[8];
    char first_name[200];     /* for the greeting on the activation page */
    char full_name[400];      /* the new account's display name */
    int64_t expires_at;
};

/* Creates an invitation for person_id (a current member of household_id) when
 * network_member_id is 0, else for that network member of household_id.
 * Writes the token for the link into token_out and returns the invitation id
 * (> 0), or INVITE_E_NOT_FOUND, INVITE_E_HAS_ACCOUNT or INVITE_E_DB. */
int64_t invite_create(db_t *db, const char *gemeente, int64_t household_id, int64_t person_id,
                      int64_t network_member_id, int64_t created_by, int64_t now,
                      char token_out[INVITE_TOKEN_LEN]);

/* Looks up an unused, unexpired invitation of gemeente by its token. Returns
 * INVITE_OK (out filled), INVITE_E_INVALID or INVITE_E_DB. */
int invite_lookup(db_t *db, const char *gemeente, const char *token, int64_t now, struct invite_info *out);

/* Redeems: in one transaction checks the invitation again, creates the
 * account (role resident or network, the household's municipality), links
 * it and marks the invitation used. Returns the new account id (> 0), or
 * INVITE_E_INVALID, INVITE_E_USERNAME / INVITE_E_PASSWORD (Dutch message in
 * msg), INVITE_E_HAS_ACCOUNT or INVITE_E_DB. info (may be NULL) receives the
 * invitation on success. */
int64_t invite_redeem(db_t *db, const char *gemeente, const char *token, const char *username, const char *password,
                      int64_t now, struct invite_info *info, char *msg, size_t msglen);

#endif
