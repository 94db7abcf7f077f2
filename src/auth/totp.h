/*
 * totp.h - one-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238) with
 * HMAC-SHA-1 (OpenSSL libcrypto), and base32 (RFC 4648) for secrets.
 * Pure functions: no allocation, no global state.
 */
#ifndef KANTEL_TOTP_H
#define KANTEL_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define TOTP_STEP 30
#define TOTP_DIGITS 6
#define TOTP_SECRET_BYTES 20 /* 160-bit secrets, as RFC 4226 recommends */

/* Base32 without padding, upper case. Returns the length written (excluding
 * the NUL) or -1 when out is too small. */
int base32_encode(const uint8_t *in, size_t n, char *out, size_t outlen);
/* Accepts upper/lower case, ignores spaces and '=' padding. Returns the
 * number of bytes written or -1 on an invalid character / too small out. */
int base32_decode(const char *in, uint8_t *out, size_t outlen);

/* HOTP value truncated to digits (6..8) decimal digits. */
uint32_t hotp(const uint8_t *key, size_t keylen, uint64_t counter, int digits);

/* Writes the zero-padded code for time t (unix seconds, step 30 s) into out
 * (>= digits+1 bytes). */
void totp_code(const uint8_t *key, size_t keylen, int64_t t, int digits, char *out);

/* Checks a user-typed code (exactly 6 ASCII digits, surrounding spaces
 * allowed) against steps now-1, now, now+1. A step <= last_step was already
 * used and is refused (no reuse). Returns the matching step (>= 0) which the
 * caller stores as the new last_step, or -1. Comparison is constant-time. */
int64_t totp_verify(const uint8_t *key, size_t keylen, const char *code, int64_t now,
                    int64_t last_step);

#endif
