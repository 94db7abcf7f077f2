/*
 * parse.h - strict parsers for what arrives in a request: query strings and
 * application/x-www-form-urlencoded bodies, Cookie headers, UTF-8.
 *
 * All output is allocated from the caller's arena; nothing needs freeing.
 * Input is hostile: a parser either accepts the whole input or rejects it
 * with a PARSE_E_* code; it never reads past len and never writes past what
 * it allocated.
 */
#ifndef KANTEL_PARSE_H
#define KANTEL_PARSE_H

#include <stddef.h>

#include "core/arena.h"

enum {
    PARSE_OK = 0,
    PARSE_E_ESCAPE = -1,  /* bad %XX escape */
    PARSE_E_UTF8 = -2,    /* decoded key or value is not valid UTF-8 */
    PARSE_E_NUL = -3,     /* decoded key or value contains NUL or another C0 control
                             except TAB, LF, CR (values only) */
    PARSE_E_TOO_MANY = -4,/* more than max pairs */
    PARSE_E_SYNTAX = -5,  /* empty key, or cookie without '=' */
    PARSE_E_DUPLICATE = -6/* a key occurs twice */
};

struct kv {
    const char *key;  /* NUL-terminated, decoded */
    const char *val;  /* NUL-terminated, decoded ("" when absent) */
    size_t val_len;
};

struct kvlist {
    struct kv *items; /* arena */
    size_t n;
};

/* "a=1&b=x%20y&c" -> {a:"1", b:"x y", c:""}. '+' decodes to space. Empty
 * segments ("a=1&&b=2", trailing '&') are skipped. Duplicate keys are
 * rejected. len 0 yields n = 0. */
int parse_urlencoded(arena_t *a, const char *s, size_t len, size_t max_pairs, struct kvlist *out);

/* Cookie header (RFC 6265 §4.2.1): "a=1; b=2". Values are not %-decoded;
 * surrounding double quotes are removed; names must be RFC 7230 tokens.
 * Duplicate names keep the first (browsers send the most specific first). */
int parse_cookies(arena_t *a, const char *s, size_t len, size_t max_pairs, struct kvlist *out);

/* 1 when s[0..n) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8 s[0..n). */
size_t utf8_len(const char *s, size_t n);

/* Value for key, or NULL. */
const char *kv_get(const struct kvlist *l, const char *key);

/* Dutch one-line description of a PARSE_E_* code for the 400 page. */
const char *parse_strerror(int code);

#endif
