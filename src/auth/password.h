/*
 * password.h - password hashing (argon2id via libsodium crypto_pwhash_str)
 * and the password policy of OWASP ASVS 5.0 level 2: at least 8 characters
 * (code points), at most 128 allowed, checked against a list of common
 * passwords (data/common-passwords.txt, embedded), not equal to or containing
 * the user name, no composition rules, no forced rotation.
 */
#ifndef KANTEL_PASSWORD_H
#define KANTEL_PASSWORD_H

#include <stddef.h>

#define PASSWORD_HASH_MAX 128 /* crypto_pwhash_STRBYTES */
#define PASSWORD_MIN_CHARS 8
#define PASSWORD_MAX_CHARS 128

/* Hashes pw into out (NUL-terminated). Returns 0, or -1 if the system is out
 * of memory for argon2id. Costs: OPSLIMIT/MEMLIMIT_INTERACTIVE unless
 * password_set_cost_for_tests() lowered them. */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
/* 0 when pw matches hash, -1 otherwise (also for malformed hashes). */
int password_verify(const char *hash, const char *pw);
/* A hash in Kantel's fixed format, valid for no password: used to spend the
 * same time on unknown user names as on known ones. */
const char *password_dummy_hash(void);

/* NULL when acceptable, else a Dutch sentence for the form (B1 level).
 * username may be NULL. */
const char *password_policy(const char *pw, const char *username);
/* 1 when pw (compared case-insensitively) is on the common-password list. */
int password_is_common(const char *pw);

#endif
