/*
 * account.h - accounts: creation, sign-in checks with lockout, the second
 * factor (TOTP enrolment, verification, recovery codes), disabling.
 * No HTTP here; callers write the audit events.
 */
#ifndef KANTEL_ACCOUNT_H
#define KANTEL_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define RECOVERY_CODES 10
#define RECOVERY_CODE_LEN 12 /* "xxxxx-xxxxx" + NUL */

struct account {
    int64_t id;
    char gemeente[8];
    char username[72];
    char display_name[200];
    char email[256];
    char role[16];
    int totp_enabled;
    int disabled;
    int64_t locked_until;
    int failed_logins;
    int64_t created_at;
};

enum auth_result {
    AUTH_OK = 0,
    AUTH_BAD = 1,      /* unknown user or wrong password/code (indistinguishable) */
    AUTH_LOCKED = 2,   /* too many failures; try again later */
    AUTH_DISABLED = 3, /* account disabled (reported like AUTH_BAD to the user) */
};

/* Lockout policy, from configuration (defaults 6 attempts, 1800 s). */
void account_set_lockout(int max_attempts, int64_t lockout_seconds);

/* Why account_create refused: each names the field at fault. */
enum {
    ACCOUNT_E_FAILED = -1,   /* database error */
    ACCOUNT_E_USERNAME = -2, /* malformed or already taken */
    ACCOUNT_E_NAME = -3,     /* display name empty */
    ACCOUNT_E_ROLE = -4,     /* unknown role */
    ACCOUNT_E_PASSWORD = -5, /* password policy */
};

/* Creates an account after the password policy; returns the new id (> 0), or
 * an ACCOUNT_E_* code with a Dutch message in msg. */
int64_t account_create(db_t *db, const char *gemeente, const char *username, const char *display_name,
                       const char *email, const char *role, const char *password, char *msg, size_t msglen);
int account_get(db_t *db, int64_t id, struct account *out);          /* 0 or -1 */
int account_by_name(db_t *db, const char *username, struct account *out);

/* Password step of sign-in. Counts failures and locks after max attempts. */
enum auth_result account_check_password(db_t *db, const char *username, const char *password,
                                        int64_t now, struct account *out);
/* Second step: a 6-digit TOTP code or an unused recovery code. Failures count
 * towards the same lockout. */
enum auth_result account_check_code(db_t *db, int64_t id, const char *code, int64_t now);

/* Enrolment: makes (or returns the pending) secret of an account without an
 * active second factor; writes its base32 form (>= 40 bytes). */
int account_totp_pending(db_t *db, int64_t id, char *base32_out, size_t outlen);
/* Confirms enrolment with a code from the app; on success enables TOTP and
 * writes RECOVERY_CODES fresh recovery codes. Returns AUTH_OK or AUTH_BAD. */
enum auth_result account_totp_confirm(db_t *db, int64_t id, const char *code, int64_t now,
                                      char codes[RECOVERY_CODES][RECOVERY_CODE_LEN]);
/* Sets a known TOTP secret directly (demo and tests); enables it. */
int account_totp_set(db_t *db, int64_t id, const char *base32_secret);
/* Removes the second factor and recovery codes; ends the sessions. */
int account_mfa_reset(db_t *db, int64_t id);

int account_set_password(db_t *db, int64_t id, const char *password, char *msg, size_t msglen);
/* Disables the account and ends its sessions. */
int account_disable(db_t *db, int64_t id);
int account_unlock(db_t *db, int64_t id);

#endif
