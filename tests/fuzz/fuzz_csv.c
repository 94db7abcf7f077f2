/*
 * fuzz_csv.c - libFuzzer target for the RFC 4180 reader in src/core/csv.c.
 * Arbitrary bytes are read record by record; an error must name a line
 * within the input. Every record that was read is written again with
 * csv_put_record() and read back: it must give the same fields (the writer
 * and the reader agree on quoting).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

static void roundtrip(const csv_reader_t *r)
{
    size_t n = csv_count(r);
    const char **fields = malloc((n ? n : 1) * sizeof *fields);
    for (size_t i = 0; i < n; i++) fields[i] = csv_field(r, i);
    buf_t b = BUF_INIT;
    csv_put_record(&b, fields, n);
    csv_reader_t again;
    csv_init(&again, b.data, b.len);
    char err[128];
    if (csv_next(&again, err, sizeof err) != 1 || csv_count(&again) != n) abort();
    for (size_t i = 0; i < n; i++)
        if (csv_field_len(&again, i) != csv_field_len(r, i) ||
            memcmp(csv_field(&again, i), fields[i], csv_field_len(r, i)) != 0)
            abort();
    if (csv_next(&again, err, sizeof err) != 0) abort();
    csv_free(&again);
    buf_free(&b);
    free(fields);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csv_reader_t r;
    csv_init(&r, (const char *)data, size);
    char err[128];
    int rc;
    long lines = 1;
    for (size_t i = 0; i < size; i++) lines += data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
    while ((rc = csv_next(&r, err, sizeof err)) > 0) {
        if (r.rec_line < 1 || r.rec_line > lines) abort();
        roundtrip(&r);
    }
    if (rc < 0 && (r.err_line < 1 || r.err_line > lines || err[0] == '\0')) abort();
    csv_free(&r);
    return 0;
}
