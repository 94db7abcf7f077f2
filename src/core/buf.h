/*
 * buf.h - the one growable byte buffer of Kantel.
 *
 * A buf_t owns its heap memory; buf_free() releases it. Out-of-memory aborts
 * the process (see xmalloc), so no function here reports allocation failure.
 * data is always NUL-terminated after any append (len excludes the NUL), so
 * buf.data can be handed to C string functions once len > 0 or after buf_cstr().
 */
#ifndef KANTEL_BUF_H
#define KANTEL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char *data;  /* NULL until the first append */
    size_t len;  /* bytes used, excluding the terminating NUL */
    size_t cap;  /* bytes allocated */
} buf_t;

#define BUF_INIT {NULL, 0, 0}

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

void buf_init(buf_t *b);
void buf_free(buf_t *b);
/* Sets len to 0 and keeps the allocation for reuse. */
void buf_reset(buf_t *b);
void buf_reserve(buf_t *b, size_t extra);
void buf_append(buf_t *b, const void *p, size_t n);
void buf_puts(buf_t *b, const char *s);
void buf_putc(buf_t *b, char c);
void buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf_t *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Always returns a NUL-terminated string (an empty "" for an empty buffer). */
const char *buf_cstr(buf_t *b);
/* Appends s percent-encoded for a URL query value (RFC 3986: everything but
 * A-Z a-z 0-9 - . _ ~ becomes %XX; a space too). */
void buf_put_urlenc(buf_t *b, const char *s);
/* Hands the heap string to the caller (who frees it) and empties b. */
char *buf_detach(buf_t *b);

/* Context-specific escapers (cgit style): append s escaped for the target. */
void buf_html(buf_t *b, const char *s, size_t n);  /* & < > " ' ` = */
void buf_json_str(buf_t *b, const char *s);        /* quoted JSON string */

#endif
