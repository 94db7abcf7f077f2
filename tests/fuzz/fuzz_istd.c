/*
 * fuzz_istd.c - libFuzzer target for the iStandaarden reader and writer
 * (src/istd/xml.c over the tables of model.c) and the in-message rules
 * (src/istd/rules.c). Arbitrary bytes go to istd_sniff and istd_read:
 *  - a refusal must say why (err not empty);
 *  - a message that reads must have been recognised by istd_sniff as the
 *    same law and kind, and must be writable (istd_write);
 *  - what is written must read again and write to the identical bytes (the
 *    writer and the reader agree; the reader refuses empty elements, RS033,
 *    as the writer never writes one);
 *  - istd_check_message, with a fixed today, must not crash on it and must
 *    return the number of findings it recorded.
 * No database, no schemas: layer 1 (XSD) needs files and is exercised by the
 * unit tests; the cross-message rules need a database.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "istd/istd.h"
#include "istd/model.h"

#define TODAY "2026-11-20"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *xml = (const char *)data;
    istd_law sl = 0;
    istd_kind sk = 0;
    int sniffed = istd_sniff(xml, size, &sl, &sk) == 0;

    arena_t *a = arena_new(0);
    istd_msg_t m;
    char err[300] = "";
    if (istd_read(xml, size, a, &m, err, sizeof err) != 0) {
        if (err[0] == '\0') abort();
        arena_free(a);
        return 0;
    }
    if (!sniffed || sl != m.law || sk != m.kind) abort();

    buf_t w1 = BUF_INIT, w2 = BUF_INIT;
    char werr[200] = "";
    if (istd_write(&m, &w1, werr, sizeof werr) != 0) abort();
    istd_msg_t m2;
    char rerr[300] = "";
    if (istd_read(w1.data, w1.len, a, &m2, rerr, sizeof rerr) == 0) {
        if (istd_write(&m2, &w2, werr, sizeof werr) != 0) abort();
        if (w1.len != w2.len || memcmp(w1.data, w2.data, w1.len) != 0) abort();
    } else {
        abort();
    }

    istd_report_t r;
    istd_report_init(&r, a);
    int n = istd_check_message(&m, TODAY, &r);
    if (n != r.n) abort();

    buf_free(&w1);
    buf_free(&w2);
    arena_free(a);
    return 0;
}
