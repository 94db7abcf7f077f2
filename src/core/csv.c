/*
 * csv.c - the RFC 4180 reader and writer of csv.h.
 *
 * The reader is a small state machine over the buffer: a record is a list of
 * fields; each field is either quoted (read up to the closing quote, "" is one
 * quote, line breaks are data and advance the line count) or unquoted (read
 * up to ',' or a line break). Field bytes go into one buffer, NUL-separated,
 * with offsets, so one record costs no allocation once the buffers have grown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

void csv_init(csv_reader_t *r, const char *data, size_t len)
{
    memset(r, 0, sizeof *r);
    r->data = data;
    r->len = len;
    r->line = 1;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) r->pos = 3;
}

void csv_free(csv_reader_t *r)
{
    buf_free(&r->text);
    free(r->offs);
    free(r->lens);
    r->offs = r->lens = NULL;
    r->n = r->cap = 0;
}

size_t csv_count(const csv_reader_t *r) { return r->n; }
const char *csv_field(const csv_reader_t *r, size_t i) { return r->text.data + r->offs[i]; }
size_t csv_field_len(const csv_reader_t *r, size_t i) { return r->lens[i]; }

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80) return 1;
    size_t k = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (k == 0 || s[0] > 0xF4 || k > n) return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    if (k == 3 && s[0] == 0xE0 && s[1] < 0xA0) return 0;  /* overlong */
    if (k == 3 && s[0] == 0xED && s[1] >= 0xA0) return 0; /* surrogates */
    if (k == 4 && s[0] == 0xF0 && s[1] < 0x90) return 0;  /* overlong */
    if (k == 4 && s[0] == 0xF4 && s[1] >= 0x90) return 0; /* above U+10FFFF */
    return k;
}

static int fail(csv_reader_t *r, char *err, size_t errlen, long line, const char *what)
{
    snprintf(err, errlen, "%s", what);
    r->err_line = line;
    r->err_field = r->n;
    r->pos = r->len + 1; /* stay failed */
    return -1;
}

static void push_field(csv_reader_t *r, size_t start)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->offs = xrealloc(r->offs, r->cap * sizeof *r->offs);
        r->lens = xrealloc(r->lens, r->cap * sizeof *r->lens);
    }
    r->offs[r->n] = start;
    r->lens[r->n] = r->text.len - start;
    r->n++;
    buf_putc(&r->text, '\0');
}

/* Checks the field just read for NUL and UTF-8. */
static int check_field(csv_reader_t *r, size_t start, char *err, size_t errlen)
{
    size_t n = r->text.len - start;
    if (n == 0) return 0; /* empty (the buffer may not be allocated yet) */
    const unsigned char *s = (const unsigned char *)r->text.data + start;
    for (size_t i = 0; i < n;) {
        if (s[i] == 0) return fail(r, err, errlen, r->line, "NUL byte in a field");
        size_t k = utf8_len(s + i, n - i);
        if (!k) return fail(r, err, errlen, r->line, "invalid UTF-8 in a field");
        i += k;
    }
    return 0;
}

static int read_quoted(csv_reader_t *r, char *err, size_t errlen)
{
    long open = r->line;
    r->pos++;
    for (;;) {
        if (r->pos >= r->len) return fail(r, err, errlen, open, "quoted field is not closed");
        char c = r->data[r->pos];
        if (c == '"') {
            if (r->pos + 1 < r->len && r->data[r->pos + 1] == '"') {
                buf_putc(&r->text, '"');
                r->pos += 2;
                continue;
            }
            r->pos++;
            break;
        }
        if (c == '\n' || (c == '\r' && !(r->pos + 1 < r->len && r->data[r->pos + 1] == '\n'))) r->line++;
        buf_putc(&r->text, c);
        r->pos++;
    }
    if (r->pos < r->len && !strchr(",\r\n", r->data[r->pos]))
        return fail(r, err, errlen, r->line, "unexpected character after a closing quote");
    return 0;
}

static int read_plain(csv_reader_t *r, char *err, size_t errlen)
{
    while (r->pos < r->len) {
        char c = r->data[r->pos];
        if (c == ',' || c == '\r' || c == '\n') break;
        if (c == '"') return fail(r, err, errlen, r->line, "quote inside an unquoted field");
        buf_putc(&r->text, c);
        r->pos++;
    }
    return 0;
}

/* Consumes a line break at pos, if any; 1 when there was one. */
static int line_break(csv_reader_t *r)
{
    if (r->pos >= r->len) return 0;
    char c = r->data[r->pos];
    if (c != '\r' && c != '\n') return 0;
    r->pos++;
    if (c == '\r' && r->pos < r->len && r->data[r->pos] == '\n') r->pos++;
    r->line++;
    return 1;
}

int csv_next(csv_reader_t *r, char *err, size_t errlen)
{
    if (r->pos > r->len) return -1;
    while (line_break(r)) {} /* empty lines */
    if (r->pos >= r->len) return 0;
    r->rec_line = r->line;
    r->n = 0;
    buf_reset(&r->text);
    for (;;) {
        size_t start = r->text.len;
        int rc = r->data[r->pos] == '"' ? read_quoted(r, err, errlen) : read_plain(r, err, errlen);
        if (rc == 0) rc = check_field(r, start, err, errlen);
        if (rc != 0) return -1;
        push_field(r, start);
        if (r->pos < r->len && r->data[r->pos] == ',') {
            r->pos++;
            if (r->pos >= r->len) { /* "a," at the very end: one more, empty field */
                push_field(r, r->text.len);
                return 1;
            }
            continue;
        }
        line_break(r);
        return 1;
    }
}

void csv_put_field(buf_t *b, const char *s, size_t n)
{
    int quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ' || (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0));
    for (size_t i = 0; i < n && !quote; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n') quote = 1;
    if (!quote) {
        buf_append(b, s, n);
        return;
    }
    buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') buf_putc(b, '"');
        buf_putc(b, s[i]);
    }
    buf_putc(b, '"');
}

void csv_put_record(buf_t *b, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) buf_putc(b, ',');
        if (fields[i]) csv_put_field(b, fields[i], strlen(fields[i]));
    }
    if (n == 1 && (!fields[0] || !*fields[0])) buf_puts(b, "\"\""); /* not an empty line */
    buf_puts(b, "\r\n");
}
