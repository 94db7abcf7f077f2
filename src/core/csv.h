/*
 * csv.h - RFC 4180 CSV: a strict reader over a buffer and a writer.
 *
 * Reader: fields separated by ',', records by CRLF, LF or a lone CR; a field
 * may be enclosed in double quotes, and then may contain ',', line breaks and
 * doubled quotes ("" for one "). A UTF-8 byte order mark at the start is
 * skipped; empty lines are skipped; a final line break is optional. Refused,
 * with the line in the message: a quote inside an unquoted field, anything but
 * a separator after a closing quote, a quoted field still open at the end,
 * NUL bytes and invalid UTF-8. Every record reports the line it starts on.
 *
 * Writer: a field is quoted when it contains ',', '"', CR or LF (quotes
 * doubled), starts or ends with a space or starts with a byte order mark;
 * records end in CRLF. A record of one empty field is written as "" (an
 * empty line would be skipped).
 *
 * Pure module (no database, no I/O): used by the HSDS import and fuzzed by
 * tests/fuzz/fuzz_csv.c.
 */
#ifndef KANTEL_CSV_H
#define KANTEL_CSV_H

#include <stddef.h>

#include "core/buf.h"

typedef struct csv_reader {
    const char *data;
    size_t len, pos;
    long line;        /* line of the next byte (1-based) */
    long rec_line;    /* first line of the record returned last */
    buf_t text;       /* the fields of the record, each NUL-terminated */
    size_t *offs;     /* start of field i in text */
    size_t *lens;     /* length of field i */
    size_t n, cap;    /* fields in the record, allocated slots */
    long err_line;    /* after -1: the line of the error */
    size_t err_field; /* after -1: the index of the field being read */
} csv_reader_t;

/* The reader keeps a pointer to data (len bytes; need not be NUL-terminated). */
void csv_init(csv_reader_t *r, const char *data, size_t len);
void csv_free(csv_reader_t *r);
/* The next record: 1 (fields via csv_field), 0 at the end, -1 on malformed
 * input: what is wrong in err, the line in err_line, the field's index in
 * err_field. After -1 every call returns -1. */
int csv_next(csv_reader_t *r, char *err, size_t errlen);
size_t csv_count(const csv_reader_t *r);
const char *csv_field(const csv_reader_t *r, size_t i); /* NUL-terminated */
size_t csv_field_len(const csv_reader_t *r, size_t i);

/* Appends one field (n bytes of s), quoted when needed. */
void csv_put_field(buf_t *b, const char *s, size_t n);
/* Appends a record: n fields (NULL is written as an empty field) and CRLF. */
void csv_put_record(buf_t *b, const char *const *fields, size_t n);

#endif
