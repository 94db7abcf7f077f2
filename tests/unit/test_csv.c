/*
 * test_csv.c - the RFC 4180 reader and writer (src/core/csv.c): quoted fields,
 * doubled quotes, embedded line breaks, CRLF/LF/CR, the UTF-8 BOM, empty
 * lines and fields, record line numbers, every refusal with its line and
 * field, and writer -> reader round trips.
 */
#include <stdlib.h>

#include "core/csv.h"
#include "test.h"

/* Reads all of s; fields joined with '|', records with '/'; "ERR@line:field:msg" on error. */
static char *read_all(const char *s, size_t n)
{
    csv_reader_t r;
    csv_init(&r, s, n);
    buf_t out = BUF_INIT;
    char err[128];
    int rc;
    while ((rc = csv_next(&r, err, sizeof err)) > 0) {
        if (out.len) buf_putc(&out, '/');
        buf_printf(&out, "%ld:", r.rec_line);
        for (size_t i = 0; i < csv_count(&r); i++) {
            if (i) buf_putc(&out, '|');
            buf_append(&out, csv_field(&r, i), csv_field_len(&r, i));
        }
    }
    if (rc < 0) buf_printf(&out, "%sERR@%ld:%zu:%s", out.len ? "/" : "", r.err_line, r.err_field, err);
    csv_free(&r);
    buf_cstr(&out);
    return buf_detach(&out);
}

static void expect(const char *in, const char *want, const char *what)
{
    char *got = read_all(in, strlen(in));
    CHECK_STR(got, want, "csv: %s", what);
    free(got);
}

static void test_reader(void)
{
    expect("a,b,c\r\n1,2,3\r\n", "1:a|b|c/2:1|2|3", "CRLF records");
    expect("a,b\n1,2", "1:a|b/2:1|2", "LF, no final line break");
    expect("a,b\r1,2\r", "1:a|b/2:1|2", "lone CR");
    expect("\xEF\xBB\xBFid,name\r\nx,y\r\n", "1:id|name/2:x|y", "UTF-8 BOM skipped");
    expect("\"a,b\",\"say \"\"hi\"\"\"\r\n", "1:a,b|say \"hi\"", "quoted comma and doubled quotes");
    expect("id,text\r\n1,\"two\r\nlines\"\r\n2,x\r\n", "1:id|text/2:1|two\r\nlines/4:2|x", "embedded CRLF; next record's line");
    expect("a,,c\r\n,,\r\n", "1:a||c/2:||", "empty fields");
    expect("a,b,\r\n", "1:a|b|", "trailing empty field");
    expect("a,b,", "1:a|b|", "trailing empty field at the end");
    expect("a\r\n\r\n\r\nb\r\n", "1:a/4:b", "empty lines skipped, lines still counted");
    expect("\"\"\r\n", "1:", "one quoted empty field");
    expect("", "", "empty input");
    expect("\xEF\xBB\xBF", "", "only a BOM");
    expect("caf\xC3\xA9,\xE2\x82\xAC\r\n", "1:caf\xC3\xA9|\xE2\x82\xAC", "UTF-8 text");
}

static void test_refusals(void)
{
    expect("a,b\r\n1,\"open\r\n", "1:a|b/ERR@2:1:quoted field is not closed", "unclosed quote: line it opened, field");
    expect("a,b\r\n1,\"x\"y\r\n", "1:a|b/ERR@2:1:unexpected character after a closing quote", "text after closing quote");
    expect("a,b\r\n1,x\"y\r\n", "1:a|b/ERR@2:1:quote inside an unquoted field", "stray quote");
    expect("a\r\n\"x\r\ny\"z\r\n", "1:a/ERR@3:0:unexpected character after a closing quote", "error line inside a multi-line field");
    expect("a,\xFF\r\n", "ERR@1:1:invalid UTF-8 in a field", "invalid UTF-8");
    expect("a,\xC0\xAF\r\n", "ERR@1:1:invalid UTF-8 in a field", "overlong UTF-8");
    expect("a,\xED\xA0\x80\r\n", "ERR@1:1:invalid UTF-8 in a field", "UTF-16 surrogate");
    char nul[] = {'a', ',', 'b', '\0', 'c', '\r', '\n'};
    char *got = read_all(nul, sizeof nul);
    CHECK_STR(got, "ERR@1:1:NUL byte in a field", "csv: NUL byte refused");
    free(got);
    csv_reader_t r;
    csv_init(&r, "\"x", 2);
    char err[64];
    int first = csv_next(&r, err, sizeof err), again = csv_next(&r, err, sizeof err);
    CHECK(first == -1 && again == -1, "csv: a failed reader stays failed");
    csv_free(&r);
}

static void roundtrip(const char *const *fields, size_t n, const char *what)
{
    buf_t b = BUF_INIT;
    csv_put_record(&b, fields, n);
    csv_reader_t r;
    csv_init(&r, b.data, b.len);
    char err[64];
    int ok = csv_next(&r, err, sizeof err) == 1 && csv_count(&r) == n;
    for (size_t i = 0; ok && i < n; i++) ok = strcmp(csv_field(&r, i), fields[i] ? fields[i] : "") == 0;
    ok = ok && csv_next(&r, err, sizeof err) == 0;
    CHECK(ok, "csv: writer -> reader round trip: %s", what);
    csv_free(&r);
    buf_free(&b);
}

static void test_writer(void)
{
    buf_t b = BUF_INIT;
    const char *rec[] = {"plain", "a,b", "say \"hi\"", "two\nlines", NULL, " pad"};
    csv_put_record(&b, rec, 6);
    CHECK(strcmp(buf_cstr(&b), "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\" pad\"\r\n") == 0,
          "csv: writer quotes only when needed");
    buf_free(&b);
    roundtrip(rec, 6, "mixed");
    const char *empty[] = {""};
    roundtrip(empty, 1, "one empty field");
    const char *cr[] = {"a\rb", "\r\n", "\"", ","};
    roundtrip(cr, 4, "CR, CRLF, lone quote, lone comma");
}

int main(void)
{
    test_reader();
    test_refusals();
    test_writer();
    return t_done();
}
