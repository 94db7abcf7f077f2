/*
 * parse.h - strict parsers for what arrives in a request: query strings,
 * application/x-www-form-urlencoded and multipart/form-data bodies, Cookie
 * headers, UTF-8.
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
    PARSE_E_DUPLICATE = -6,/* a key occurs twice */
    /* multipart/form-data only */
    PARSE_E_MP_BOUNDARY = -7, /* Content-Type without a valid boundary parameter */
    PARSE_E_MP_END = -8,      /* body ends before the closing boundary */
    PARSE_E_MP_HEADER = -9,   /* a part header line too long, or too many of them */
    PARSE_E_MP_NAME = -10,    /* a part without Content-Disposition: form-data; name="..." */
    PARSE_E_MP_FILES = -11,   /* more than one file */
    PARSE_E_MP_FILENAME = -12 /* file name empty, too long, or with control characters */
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

/* The one file of a multipart/form-data body. field == NULL: no file. */
struct http_upload {
    const char *field;        /* form field name (arena, NUL-terminated) */
    const char *filename;     /* last path component of the sent name (arena):
                                 1..255 bytes of UTF-8, no control characters,
                                 not "." or ".."; never trust it as a path */
    const char *content_type; /* the part's Content-Type as sent, "" when none
                                 (arena); the client's claim, not a fact */
    const char *data;         /* the file's bytes, binary (may hold NUL); points
                                 into the body passed in, not NUL-terminated */
    size_t len;
};

/* Limits of parse_multipart (RFC 2046 allows boundaries of 1..70 chars). */
#define PARSE_MP_MAX_BOUNDARY    70
#define PARSE_MP_MAX_HEADER_LINE 1024 /* bytes of one part header line, CRLF excluded */
#define PARSE_MP_MAX_HEADERS     8    /* header lines of one part */
#define PARSE_MP_MAX_FILENAME    255  /* bytes of the reduced file name */

/* multipart/form-data (RFC 7578) body s[0..len) sent with the Content-Type
 * header value content_type ("multipart/form-data; boundary=..." with the
 * boundary as a token or quoted string, 1..70 characters of RFC 2046 bchars).
 *
 * Strict: lines end in CRLF; the body starts with the first delimiter (no
 * preamble) and ends with the closing one, optionally followed by one CRLF
 * (no epilogue); a delimiter line carries no padding; a delimiter followed by
 * anything but CRLF or "--" (the boundary inside a part), or a header line
 * that starts with "--boundary", is refused. Content that starts with the
 * delimiter right after the empty line is empty (RFC 2046 grammar). Each
 * part has at most PARSE_MP_MAX_HEADERS header lines of at most
 * PARSE_MP_MAX_HEADER_LINE bytes, no folding, exactly one
 * Content-Disposition "form-data" with one name parameter (and at most one
 * filename), at most one Content-Type, and no Content-Transfer-Encoding;
 * other header fields are ignored (RFC 7578 §4.8). Parameter values may be
 * quoted; a backslash in a quoted value is an ordinary character, as browsers
 * send it ('"' itself arrives as %22), so "C:\x\y.xml" stays intact.
 *
 * Parts without a filename parameter are ordinary fields: they go to *form
 * with the same rules as parse_urlencoded (valid UTF-8, no NUL or control
 * characters except TAB/LF/CR in values, no duplicate names; values are
 * copied and NUL-terminated). A part with a filename is the file: at most one
 * per body, its name reduced to the part after the last '/' or '\'; its data
 * points into s. A file part with an empty filename and no data (a file input
 * left empty) is skipped. max_parts bounds the number of parts, file
 * included (PARSE_E_TOO_MANY). On any error *form is empty and *upload zero.
 * Allocations are from a; nothing needs freeing; s must outlive the result. */
int parse_multipart(arena_t *a, const char *content_type, const char *s, size_t len, size_t max_parts,
                    struct kvlist *form, struct http_upload *upload);

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
