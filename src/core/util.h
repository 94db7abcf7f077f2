/*
 * util.h - small shared helpers: clock, random tokens, hex/base64url,
 * constant-time comparison, strict integer parsing.
 */
#ifndef KANTEL_UTIL_H
#define KANTEL_UTIL_H

#include <stddef.h>
#include <stdint.h>

int64_t now_s(void);   /* unix seconds, UTC */
int64_t now_ms(void);  /* unix milliseconds, UTC */
int64_t mono_us(void); /* monotonic microseconds, for durations */

/* Writes n random bytes (libsodium). */
void rand_bytes(void *p, size_t n);
/* Writes a NUL-terminated base64url (no padding) of nbytes random bytes into
 * out, which must hold at least 4*nbytes/3+3 bytes. */
void rand_token(char *out, size_t nbytes);

void hex_encode(const void *p, size_t n, char *out); /* out: 2n+1 bytes */
/* Returns bytes decoded or -1. */
int hex_decode(const char *s, void *out, size_t outlen);
void b64url_encode(const void *p, size_t n, char *out); /* out: 4n/3+3 bytes */

/* 1 when equal, in time independent of where they differ. */
int ct_streq(const char *a, const char *b);

/* Parses a whole decimal string into [min,max]. Returns 0 or -1. */
int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Seconds east of UTC in Europe/Amsterdam at unix time t: 3600 or 7200. */
int amsterdam_utc_offset(int64_t t);
/* Formats unix seconds as "YYYY-MM-DD HH:MM" in Europe/Amsterdam. out >= 20. */
void fmt_local_time(int64_t t, char *out, size_t outlen);

/* A crash-test hook: when the environment variable KANTEL_CRASH_AT is
 * "NAME:N", the N-th time (1-based) the process passes crash_point("NAME")
 * it kills itself with SIGKILL, as a power cut would. Without the variable
 * it costs one cached getenv. Used by the tests of work that must survive a
 * crash at any point (kantel istd process). */
void crash_point(const char *name);

#endif
