/* test_parse.c - unit tests for src/http/parse.c (query strings, form bodies,
 * multipart bodies, cookies, UTF-8). */
#include "http/http.h"
#include "http/parse.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

static arena_t *A;

/* Parses a C string as urlencoded input with room for 16 pairs. */
static int url(const char *s, struct kvlist *l)
{
    return parse_urlencoded(A, s, strlen(s), 16, l);
}

static int cookies(const char *s, struct kvlist *l)
{
    return parse_cookies(A, s, strlen(s), 16, l);
}

static void test_urlencoded(void)
{
    struct kvlist l;

    CHECK(url("a=1&b=x%20y&c", &l) == PARSE_OK && l.n == 3, "basic query parses into 3 pairs");
    CHECK_STR(kv_get(&l, "a"), "1", "a=1");
    CHECK_STR(kv_get(&l, "b"), "x y", "%%20 decodes to space");
    CHECK_STR(kv_get(&l, "c"), "", "key without '=' has empty value");
    CHECK(l.items[2].val_len == 0, "absent value has length 0");
    CHECK(kv_get(&l, "d") == NULL, "missing key gives NULL");
    CHECK(strcmp(l.items[0].key, "a") == 0 && strcmp(l.items[1].key, "b") == 0, "pairs keep input order");

    CHECK(url("q=hallo+wereld&r=a%2Bb", &l) == PARSE_OK, "plus and %%2B parse");
    CHECK_STR(kv_get(&l, "q"), "hallo wereld", "'+' decodes to space");
    CHECK_STR(kv_get(&l, "r"), "a+b", "%%2B decodes to '+'");

    CHECK(url("na%6De=J%c3%A9r%C3%B4me", &l) == PARSE_OK, "escaped key and mixed-case hex");
    CHECK_STR(kv_get(&l, "name"), "J\xc3\xa9r\xc3\xb4me", "UTF-8 value decoded");
    CHECK(l.items[0].val_len == 8, "val_len counts bytes");

    CHECK(url("a=1&&b=2&", &l) == PARSE_OK && l.n == 2, "empty segments are skipped");
    CHECK(url("&&&", &l) == PARSE_OK && l.n == 0, "only separators give no pairs");
    CHECK(parse_urlencoded(A, NULL, 0, 16, &l) == PARSE_OK && l.n == 0, "len 0 gives n = 0");
    CHECK(url("a=", &l) == PARSE_OK && l.n == 1 && strcmp(kv_get(&l, "a"), "") == 0, "a= gives empty value");
    CHECK(url("a=b=c", &l) == PARSE_OK && strcmp(kv_get(&l, "a"), "b=c") == 0, "only the first '=' splits");
    CHECK(url("k%3Dx=1", &l) == PARSE_OK && kv_get(&l, "k=x") != NULL, "encoded '=' stays in key");
    CHECK(url("t=a%09b%0Ac%0Dd", &l) == PARSE_OK && strcmp(kv_get(&l, "t"), "a\tb\nc\rd") == 0,
          "TAB, LF, CR allowed in values");
    CHECK(url("e=%F0%9F%98%80", &l) == PARSE_OK && l.items[0].val_len == 4, "4-byte emoji accepted");
    CHECK(url("m=%F4%8F%BF%BF", &l) == PARSE_OK, "U+10FFFF accepted");
    CHECK(url("d=%7F", &l) == PARSE_OK, "DEL is not a C0 control");

    /* escapes */
    CHECK(url("a=%4", &l) == PARSE_E_ESCAPE, "truncated escape %%4 rejected");
    CHECK(url("a=%", &l) == PARSE_E_ESCAPE, "lone %% rejected");
    CHECK(url("a=%zz", &l) == PARSE_E_ESCAPE, "non-hex escape %%zz rejected");
    CHECK(url("a=%4g", &l) == PARSE_E_ESCAPE, "half-hex escape %%4g rejected");
    CHECK(url("%=1", &l) == PARSE_E_ESCAPE, "bad escape in key rejected");
    CHECK(url("a=1&b=%", &l) == PARSE_E_ESCAPE && l.n == 0 && l.items == NULL, "error leaves empty list");
    /* "%4" must not read the byte after len */
    CHECK(parse_urlencoded(A, "a=%41", 4, 16, &l) == PARSE_E_ESCAPE, "escape cut by len is rejected");
    CHECK(parse_urlencoded(A, "a=1&b=2", 3, 16, &l) == PARSE_OK && l.n == 1, "input ends at len");

    /* UTF-8 */
    CHECK(url("a=%C0%AF", &l) == PARSE_E_UTF8, "overlong %%C0%%AF rejected");
    CHECK(url("a=%E0%80%AF", &l) == PARSE_E_UTF8, "overlong 3-byte rejected");
    CHECK(url("a=%F0%80%80%AF", &l) == PARSE_E_UTF8, "overlong 4-byte rejected");
    CHECK(url("a=%ED%A0%80", &l) == PARSE_E_UTF8, "surrogate %%ED%%A0%%80 rejected");
    CHECK(url("a=%ED%BF%BF", &l) == PARSE_E_UTF8, "low surrogate rejected");
    CHECK(url("a=%F4%90%80%80", &l) == PARSE_E_UTF8, "above U+10FFFF rejected");
    CHECK(url("a=%FF", &l) == PARSE_E_UTF8, "0xFF rejected");
    CHECK(url("a=%C3", &l) == PARSE_E_UTF8, "truncated sequence rejected");
    CHECK(url("a=%80", &l) == PARSE_E_UTF8, "stray continuation byte rejected");
    CHECK(url("%C3%28=1", &l) == PARSE_E_UTF8, "invalid UTF-8 in key rejected");
    CHECK(url("a=\xc3\xa9", &l) == PARSE_OK, "raw UTF-8 accepted");
    CHECK(url("a=\xc3", &l) == PARSE_E_UTF8, "raw broken UTF-8 rejected");

    /* control characters */
    CHECK(url("a=%00", &l) == PARSE_E_NUL, "NUL %%00 in value rejected");
    CHECK(url("%00=1", &l) == PARSE_E_NUL, "NUL in key rejected");
    CHECK(url("a=%01", &l) == PARSE_E_NUL, "SOH in value rejected");
    CHECK(url("a=%1B", &l) == PARSE_E_NUL, "ESC in value rejected");
    CHECK(url("a%09=1", &l) == PARSE_E_NUL, "TAB in key rejected");
    CHECK(url("a%0A=1", &l) == PARSE_E_NUL, "LF in key rejected");
    CHECK(parse_urlencoded(A, "a=x\0y", 5, 16, &l) == PARSE_E_NUL, "raw NUL byte rejected");

    /* syntax, duplicates, limits */
    CHECK(url("=1", &l) == PARSE_E_SYNTAX, "empty key rejected");
    CHECK(url("a=1&=2", &l) == PARSE_E_SYNTAX, "empty key later rejected");
    CHECK(url("a=1&a=2", &l) == PARSE_E_DUPLICATE, "duplicate key rejected");
    CHECK(url("a=1&%61=2", &l) == PARSE_E_DUPLICATE, "duplicate after decoding rejected");
    CHECK(url("a&a", &l) == PARSE_E_DUPLICATE, "duplicate bare key rejected");
    CHECK(parse_urlencoded(A, "a=1&b=2&c=3", 11, 3, &l) == PARSE_OK && l.n == 3, "exactly max pairs accepted");
    CHECK(parse_urlencoded(A, "a=1&b=2&c=3&d", 13, 3, &l) == PARSE_E_TOO_MANY, "max + 1 pairs rejected");
    CHECK(parse_urlencoded(A, "a=1&&&b=2", 9, 2, &l) == PARSE_OK, "empty segments do not count");
    CHECK(parse_urlencoded(A, "a", 1, 0, &l) == PARSE_E_TOO_MANY, "max_pairs 0 rejects any pair");
    CHECK(parse_urlencoded(A, "&", 1, 0, &l) == PARSE_OK && l.n == 0, "max_pairs 0 accepts empty input");

    /* many pairs */
    char big[16000];
    size_t n = 0;
    for (int i = 0; i < 1000; i++) n += (size_t)snprintf(big + n, sizeof big - n, "%sk%d=%d", i ? "&" : "", i, i);
    CHECK(parse_urlencoded(A, big, n, 1000, &l) == PARSE_OK && l.n == 1000, "1000 pairs parse");
    CHECK_STR(kv_get(&l, "k999"), "999", "last of 1000 pairs found");
    CHECK(parse_urlencoded(A, big, n, 999, &l) == PARSE_E_TOO_MANY, "1000 pairs over a limit of 999");
}

/* ---- multipart/form-data ---------------------------------------------- */

#define CT "multipart/form-data; boundary=XyZ"
#define CD "Content-Disposition: form-data; "

static struct kvlist mf;
static struct http_upload mu;

/* parse_multipart over s[0..len) with room for 16 parts. */
static int mpn(const char *ct, const char *s, size_t len)
{
    return parse_multipart(A, ct, s, len, 16, &mf, &mu);
}

/* The same for a string literal body, NUL bytes included. */
#define MPL(ct, lit) mpn(ct, lit, sizeof lit - 1)

/* The same for a C string body. */
static int mp(const char *ct, const char *s)
{
    return mpn(ct, s, strlen(s));
}

static int mp_empty(void)
{
    return mf.n == 0 && mf.items == NULL && mu.field == NULL && mu.filename == NULL && mu.data == NULL && mu.len == 0;
}

static void test_multipart_valid(void)
{
    CHECK(mp(CT, "--XyZ\r\n" CD "name=\"csrf\"\r\n\r\nabc\r\n--XyZ--\r\n") == PARSE_OK, "one field, CRLF");
    CHECK(mf.n == 1 && mu.field == NULL, "one form field, no file");
    CHECK_STR(kv_get(&mf, "csrf"), "abc", "field value");
    CHECK(mf.items[0].val_len == 3, "val_len");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=csrf\r\n\r\nabc\r\n--XyZ--") == PARSE_OK && mf.n == 1,
          "unquoted name, no CRLF after the closing delimiter");

    CHECK(mp("multipart/form-data; boundary=\"a b'()+_,-./:=?z\"",
             "--a b'()+_,-./:=?z\r\n" CD "name=\"x\"\r\n\r\n1\r\n--a b'()+_,-./:=?z--\r\n") == PARSE_OK,
          "quoted boundary with every bchar and a space");
    CHECK_STR(kv_get(&mf, "x"), "1", "field under quoted boundary");
    CHECK(mp("Multipart/Form-Data ; charset=utf-8;BOUNDARY=XyZ", "--XyZ\r\n" CD "name=\"x\"\r\n\r\n2\r\n--XyZ--\r\n") ==
              PARSE_OK,
          "case-insensitive type and parameter name, other parameters ignored");
    CHECK(mp("multipart/form-data; boundary=----WebKitFormBoundaryu7dXbF2Q3mKzB9aE",
             "------WebKitFormBoundaryu7dXbF2Q3mKzB9aE\r\n" CD "name=\"x\"\r\n\r\n3\r\n"
             "------WebKitFormBoundaryu7dXbF2Q3mKzB9aE--\r\n") == PARSE_OK,
          "a browser's boundary");

    /* two ordinary fields and a file */
    static const char body[] = "--XyZ\r\n" CD "name=\"csrf\"\r\n\r\ntok123\r\n"
                               "--XyZ\r\n" CD "name=\"toelichting\"\r\n\r\nregel 1\r\nregel 2\r\n"
                               "--XyZ\r\n" CD "name=\"bericht\"; filename=\"JW315.xml\"\r\n"
                               "Content-Type: text/xml\r\n\r\n<?xml version=\"1.0\"?>\r\n<Bericht/>\r\n"
                               "--XyZ--\r\n";
    CHECK(mpn(CT, body, sizeof body - 1) == PARSE_OK, "two fields and a file");
    CHECK(mf.n == 2, "two form fields (got %zu)", mf.n);
    CHECK_STR(kv_get(&mf, "csrf"), "tok123", "csrf arrives as an ordinary field");
    CHECK_STR(kv_get(&mf, "toelichting"), "regel 1\r\nregel 2", "CRLF inside a value kept");
    CHECK(kv_get(&mf, "bericht") == NULL, "the file is not a form field");
    CHECK_STR(mu.field, "bericht", "upload field");
    CHECK_STR(mu.filename, "JW315.xml", "upload filename");
    CHECK_STR(mu.content_type, "text/xml", "upload content type");
    CHECK(mu.len == strlen("<?xml version=\"1.0\"?>\r\n<Bericht/>") &&
              memcmp(mu.data, "<?xml version=\"1.0\"?>\r\n<Bericht/>", mu.len) == 0,
          "upload data without the CRLF before the delimiter");
    CHECK(mu.data > body && mu.data + mu.len < body + sizeof body, "upload data points into the body");

    /* binary data: NUL, high bytes, and lines that look like the boundary */
    static const char bin[] = "--XyZ\r\n" CD "name=\"f\"; filename=\"a.bin\"\r\n\r\n"
                              "\0\x01\xff\xfe"
                              "\r\n--XyY\r\n"  /* another boundary */
                              "\r\n--Xy\r\n"   /* a prefix of it */
                              "\r\n- -XyZ\r\n" /* not dash-dash */
                              "\n--XyZ\r\n"    /* LF without CR */
                              "a--XyZ--\r\n"   /* not at a line start */
                              "\r--XyZ\r\n\0"
                              "\r\n--XyZ--\r\n";
    size_t binlen = sizeof bin - 1;
    size_t datalen =
        binlen - strlen("--XyZ\r\n" CD "name=\"f\"; filename=\"a.bin\"\r\n\r\n") - strlen("\r\n--XyZ--\r\n");
    CHECK(mpn(CT, bin, binlen) == PARSE_OK, "binary file with NUL and boundary-like lines");
    CHECK(mu.len == datalen, "binary length %zu (want %zu)", mu.len, datalen);
    CHECK(mu.len >= 4 && memcmp(mu.data, "\0\x01\xff\xfe", 4) == 0 && mu.data[mu.len - 1] == '\0',
          "binary bytes intact, NUL at both ends");
    CHECK_STR(mu.content_type, "", "no Content-Type: empty string");

    /* file names */
    CHECK(mp(CT, "--XyZ\r\n" CD "name=\"f\"; filename=\"C:\\x\\y.xml\"\r\n\r\nd\r\n--XyZ--\r\n") == PARSE_OK,
          "Windows path as file name");
    CHECK_STR(mu.filename, "y.xml", "C:\\x\\y.xml reduced to y.xml");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=\"f\"; filename=\"../../etc/passwd\"\r\n\r\nd\r\n--XyZ--\r\n") == PARSE_OK,
          "relative path as file name");
    CHECK_STR(mu.filename, "passwd", "../../etc/passwd reduced to passwd");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=\"f\"; filename=\"b\xc3\xa9richt.xml\"\r\n\r\nd\r\n--XyZ--\r\n") == PARSE_OK,
          "UTF-8 file name");
    CHECK_STR(mu.filename, "b\xc3\xa9richt.xml", "UTF-8 file name kept");
    CHECK(mp(CT, "--XyZ\r\n" CD "filename=\"x.xml\"; name=\"f\"; size=3\r\n\r\nd\r\n--XyZ--\r\n") == PARSE_OK &&
              strcmp(mu.field, "f") == 0,
          "parameters in any order, unknown ones ignored");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=\"f\"; filename=\"leeg.xml\"\r\n\r\n\r\n--XyZ--\r\n") == PARSE_OK && mu.field &&
              mu.len == 0,
          "an empty file is still a file");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=\"f\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                 "\r\n--XyZ\r\n" CD "name=\"g\"\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_OK &&
              mu.field == NULL && mf.n == 1,
          "a file input left empty is skipped");

    /* headers */
    CHECK(mp(CT, "--XyZ\r\ncontent-disposition:FORM-DATA;NAME=x\r\ncontent-transfer-encoding: binary\r\n"
                 "X-Other: ignored\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_OK &&
              kv_get(&mf, "x"),
          "header and parameter names case-insensitive, identity encoding and other headers accepted");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=\"x\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nv\r\n--XyZ--\r\n") ==
                  PARSE_OK &&
              mu.field == NULL,
          "Content-Type on an ordinary field ignored");
    char line[PARSE_MP_MAX_HEADER_LINE + 200];
    int start = snprintf(line, sizeof line, "--XyZ\r\n" CD "name=\"x\"\r\n");
    int k = start + snprintf(line + start, sizeof line - (size_t)start, "X-Pad: ");
    while (k < start + (int)PARSE_MP_MAX_HEADER_LINE) line[k++] = 'p';
    snprintf(line + k, sizeof line - (size_t)k, "\r\n\r\nv\r\n--XyZ--\r\n");
    CHECK(mp(CT, line) == PARSE_OK, "header line of exactly %d bytes accepted", PARSE_MP_MAX_HEADER_LINE);

    /* empty content, empty value, no parts */
    CHECK(mp(CT, "--XyZ\r\n" CD "name=\"a\"\r\n\r\n\r\n--XyZ\r\n" CD "name=\"b\"\r\n\r\n--XyZ--\r\n") == PARSE_OK &&
              mf.n == 2 && strcmp(kv_get(&mf, "a"), "") == 0 && strcmp(kv_get(&mf, "b"), "") == 0,
          "empty values, also when the delimiter follows the empty line at once");
    CHECK(mp(CT, "--XyZ--\r\n") == PARSE_OK && mp_empty(), "no parts at all");

    /* limits that are just met */
    CHECK(parse_multipart(A, CT,
                          "--XyZ\r\n" CD "name=a\r\n\r\n1\r\n--XyZ\r\n" CD "name=b\r\n\r\n2\r\n"
                          "--XyZ\r\n" CD "name=c\r\n\r\n3\r\n--XyZ--\r\n",
                          strlen("--XyZ\r\n" CD "name=a\r\n\r\n1\r\n--XyZ\r\n" CD "name=b\r\n\r\n2\r\n"
                                 "--XyZ\r\n" CD "name=c\r\n\r\n3\r\n--XyZ--\r\n"),
                          3, &mf, &mu) == PARSE_OK &&
              mf.n == 3,
          "exactly max_parts parts accepted");
    char b70[80], ct70[120], body70[300];
    memset(b70, 'b', 70);
    b70[70] = '\0';
    snprintf(ct70, sizeof ct70, "multipart/form-data; boundary=%s", b70);
    snprintf(body70, sizeof body70, "--%s\r\n" CD "name=x\r\n\r\nv\r\n--%s--\r\n", b70, b70);
    CHECK(mp(ct70, body70) == PARSE_OK, "boundary of 70 characters accepted");
    CHECK(mp("multipart/form-data; boundary=1", "--1\r\n" CD "name=x\r\n\r\nv\r\n--1--\r\n") == PARSE_OK,
          "boundary of 1 character accepted");
}

static void test_multipart_refused(void)
{
    /* boundary */
    const char *ok = "--XyZ\r\n" CD "name=x\r\n\r\nv\r\n--XyZ--\r\n";
    CHECK(mp("multipart/form-data", ok) == PARSE_E_MP_BOUNDARY && mp_empty(), "no boundary");
    CHECK(mp(NULL, ok) == PARSE_E_MP_BOUNDARY, "no Content-Type");
    CHECK(mp("multipart/form-data; boundary=", ok) == PARSE_E_MP_BOUNDARY, "empty boundary");
    CHECK(mp("multipart/form-data; boundary=\"\"", ok) == PARSE_E_MP_BOUNDARY, "empty quoted boundary");
    CHECK(mp("multipart/form-data; boundary=XyZ; boundary=XyZ", ok) == PARSE_E_MP_BOUNDARY, "two boundaries");
    CHECK(mp("multipart/mixed; boundary=XyZ", ok) == PARSE_E_MP_BOUNDARY, "multipart/mixed");
    CHECK(mp("multipart/form-dataX; boundary=XyZ", ok) == PARSE_E_MP_BOUNDARY, "longer type name");
    CHECK(mp("multipart/form-data; boundary=\"Xy@\"", ok) == PARSE_E_MP_BOUNDARY, "'@' is no bchar");
    CHECK(mp("multipart/form-data; boundary=\"XyZ \"", ok) == PARSE_E_MP_BOUNDARY, "boundary ending in space");
    CHECK(mp("multipart/form-data; boundary=\"XyZ", ok) == PARSE_E_MP_BOUNDARY, "unterminated quote");
    CHECK(mp("multipart/form-data; boundary = XyZ", ok) == PARSE_E_MP_BOUNDARY, "spaces around '='");
    CHECK(mp("multipart/form-data; boundary=XyZ;", ok) == PARSE_E_MP_BOUNDARY, "trailing ';'");
    char b71[80], ct71[120], body71[300];
    memset(b71, 'b', 71);
    b71[71] = '\0';
    snprintf(ct71, sizeof ct71, "multipart/form-data; boundary=%s", b71);
    snprintf(body71, sizeof body71, "--%s\r\n" CD "name=x\r\n\r\nv\r\n--%s--\r\n", b71, b71);
    CHECK(mp(ct71, body71) == PARSE_E_MP_BOUNDARY, "boundary of 71 characters refused");

    /* end */
    CHECK(mpn(CT, NULL, 0) == PARSE_E_MP_END && mp_empty(), "empty body");
    CHECK(mp(CT, "--Xy") == PARSE_E_MP_END, "body cut inside the first delimiter");
    CHECK(mp(CT, "--XyZ") == PARSE_E_MP_END, "body of only the first delimiter");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\n\r\nv") == PARSE_E_MP_END, "missing closing delimiter");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\n\r\nv\r\n--XyZ") == PARSE_E_MP_END, "closing delimiter without --");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\n\r\nv\r\n--XyZ-") == PARSE_E_MP_END, "closing delimiter cut");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\n\r\nv\r\n--XyZ\r\n") == PARSE_E_MP_END, "last part without headers");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x") == PARSE_E_MP_END, "body cut inside a header line");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\n") == PARSE_E_MP_END, "body cut before the empty line");

    /* structure */
    CHECK(mp(CT, "preamble\r\n--XyZ\r\n" CD "name=x\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_SYNTAX, "preamble");
    CHECK(mp(CT, "--XyZ\n" CD "name=x\n\nv\n--XyZ--\n") == PARSE_E_SYNTAX, "LF line ends");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\n\r\nv\r\n--XyZ--\r\nepilogue") == PARSE_E_SYNTAX, "epilogue");
    CHECK(mp(CT, "--XyZ \r\n" CD "name=x\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_SYNTAX, "padding after delimiter");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\n\r\nv\r\n--XyZx\r\n--XyZ--\r\n") == PARSE_E_SYNTAX,
          "the boundary followed by more characters inside a part");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\n--XyZ: 1\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_SYNTAX,
          "the boundary at the start of a header line");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\n\r\n--XyZx\r\n--XyZ--\r\n") == PARSE_E_SYNTAX,
          "content that starts with the boundary and more");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\n Content-Type: text/plain\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_SYNTAX,
          "folded header line");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\nno colon\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_SYNTAX,
          "header line without ':'");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\n" CD "name=y\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_SYNTAX,
          "two Content-Disposition lines");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x; name=y\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_SYNTAX, "two names");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x; filename=a; filename=b\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_SYNTAX,
          "two file names");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\nContent-Type: a/b\r\nContent-Type: c/d\r\n\r\nv\r\n--XyZ--\r\n") ==
              PARSE_E_SYNTAX,
          "two Content-Type lines");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\nContent-Transfer-Encoding: base64\r\n\r\ndg==\r\n--XyZ--\r\n") ==
              PARSE_E_SYNTAX,
          "base64 transfer encoding");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=\"a\\\"b\"\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_SYNTAX,
          "backslash does not escape a quote");

    /* Content-Disposition */
    CHECK(mp(CT, "--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_MP_NAME,
          "part without Content-Disposition");
    CHECK(mp(CT, "--XyZ\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_MP_NAME, "part without headers");
    CHECK(mp(CT, "--XyZ\r\nContent-Disposition: attachment; name=x\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_MP_NAME,
          "disposition attachment");
    CHECK(mp(CT, "--XyZ\r\n" CD "filename=\"a.xml\"\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_MP_NAME,
          "form-data without name");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=\"\"\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_MP_NAME, "empty name");
    CHECK(mp(CT, "--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_MP_NAME,
          "form-data without parameters");

    /* headers too long or too many */
    char line[PARSE_MP_MAX_HEADER_LINE + 200];
    int start = snprintf(line, sizeof line, "--XyZ\r\n" CD "name=\"x\"\r\n");
    int k = start + snprintf(line + start, sizeof line - (size_t)start, "X-Pad: ");
    while (k < start + (int)PARSE_MP_MAX_HEADER_LINE + 1) line[k++] = 'p';
    snprintf(line + k, sizeof line - (size_t)k, "\r\n\r\nv\r\n--XyZ--\r\n");
    CHECK(mp(CT, line) == PARSE_E_MP_HEADER, "header line of %d bytes refused", PARSE_MP_MAX_HEADER_LINE + 1);
    char longname[2100];
    k = snprintf(longname, sizeof longname, "--XyZ\r\n" CD "name=\"f\"; filename=\"");
    while (k < 2000) longname[k++] = 'n';
    snprintf(longname + k, sizeof longname - (size_t)k, ".xml\"\r\n\r\nv\r\n--XyZ--\r\n");
    CHECK(mp(CT, longname) == PARSE_E_MP_HEADER, "a 2000-byte file name is a header line too long");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\nG: 7\r\nH: 8\r\n\r\n"
                 "v\r\n--XyZ--\r\n") == PARSE_E_MP_HEADER,
          "nine header lines refused");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\nG: 7\r\n\r\n"
                 "v\r\n--XyZ--\r\n") == PARSE_OK,
          "eight header lines accepted");
    CHECK(MPL(CT, "--XyZ\r\n" CD "name=x\r\nA: \0\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_NUL, "NUL in a header line");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\nA: \xc3\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_UTF8,
          "invalid UTF-8 in a header line");

    /* files */
    CHECK(mp(CT, "--XyZ\r\n" CD "name=a; filename=a.xml\r\n\r\n1\r\n--XyZ\r\n" CD
                 "name=b; filename=b.xml\r\n\r\n2\r\n--XyZ--\r\n") == PARSE_E_MP_FILES &&
              mp_empty(),
          "two files refused");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=a; filename=\"\"\r\n\r\ndata\r\n--XyZ--\r\n") == PARSE_E_MP_FILENAME,
          "empty file name with data");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=a; filename=\"map/\"\r\n\r\ndata\r\n--XyZ--\r\n") == PARSE_E_MP_FILENAME,
          "file name that is a directory");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=a; filename=\"a\\..\"\r\n\r\ndata\r\n--XyZ--\r\n") == PARSE_E_MP_FILENAME,
          "file name ..");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=a; filename=\".\"\r\n\r\ndata\r\n--XyZ--\r\n") == PARSE_E_MP_FILENAME,
          "file name .");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=a; filename=\"a\tb.xml\"\r\n\r\ndata\r\n--XyZ--\r\n") == PARSE_E_MP_FILENAME,
          "TAB in a file name");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=a; filename=\"a\x7f.xml\"\r\n\r\ndata\r\n--XyZ--\r\n") == PARSE_E_NUL,
          "DEL in a file name (header line)");
    char fn256[400];
    k = snprintf(fn256, sizeof fn256, "--XyZ\r\n" CD "name=a; filename=\"");
    for (int j = 0; j < 256; j++) fn256[k++] = 'f';
    snprintf(fn256 + k, sizeof fn256 - (size_t)k, "\"\r\n\r\nd\r\n--XyZ--\r\n");
    CHECK(mp(CT, fn256) == PARSE_E_MP_FILENAME, "file name of 256 bytes refused");

    /* fields */
    CHECK(MPL(CT, "--XyZ\r\n" CD "name=x\r\n\r\na\0b\r\n--XyZ--\r\n") == PARSE_E_NUL && mp_empty(),
          "NUL in an ordinary field refused");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\n\r\na\x01\r\n--XyZ--\r\n") == PARSE_E_NUL, "control in a field");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\n\r\n\xc0\xaf\r\n--XyZ--\r\n") == PARSE_E_UTF8, "overlong in a field");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=\"a\tb\"\r\n\r\nv\r\n--XyZ--\r\n") == PARSE_E_NUL, "TAB in a name");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\n\r\n1\r\n--XyZ\r\n" CD "name=x\r\n\r\n2\r\n--XyZ--\r\n") ==
              PARSE_E_DUPLICATE,
          "duplicate field");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x; filename=a\r\n\r\n1\r\n--XyZ\r\n" CD "name=x\r\n\r\n2\r\n--XyZ--\r\n") ==
              PARSE_E_DUPLICATE,
          "field with the file's name");
    CHECK(mp(CT, "--XyZ\r\n" CD "name=x\r\n\r\n1\r\n--XyZ\r\n" CD "name=x; filename=a\r\n\r\n2\r\n--XyZ--\r\n") ==
              PARSE_E_DUPLICATE,
          "file with a field's name");

    /* too many parts */
    char many[2000];
    size_t n = 0;
    for (int j = 0; j < 17; j++)
        n += (size_t)snprintf(many + n, sizeof many - n, "--XyZ\r\n" CD "name=k%d\r\n\r\n%d\r\n", j, j);
    n += (size_t)snprintf(many + n, sizeof many - n, "--XyZ--\r\n");
    CHECK(mpn(CT, many, n) == PARSE_E_TOO_MANY && mp_empty(), "17 parts over a limit of 16");
    CHECK(parse_multipart(A, CT, many, n, 17, &mf, &mu) == PARSE_OK && mf.n == 17, "17 parts within 17");
    CHECK_STR(kv_get(&mf, "k16"), "16", "last of 17 parts");
    CHECK(parse_multipart(A, CT, ok, strlen(ok), 0, &mf, &mu) == PARSE_E_TOO_MANY, "max_parts 0");
}

/* An iStandaarden-sized upload: 8 MiB of claim lines next to the CSRF field. */
static void test_multipart_large(void)
{
    static const char head[] = "--XyZ\r\n" CD "name=\"csrf\"\r\n\r\ntok\r\n"
                               "--XyZ\r\n" CD "name=\"bericht\"; filename=\"declaratie.xml\"\r\n"
                               "Content-Type: application/xml\r\n\r\n";
    static const char tail[] = "\r\n--XyZ--\r\n";
    size_t size = 8u << 20, hl = sizeof head - 1, tl = sizeof tail - 1;
    char *body = malloc(hl + size + tl);
    memcpy(body, head, hl);
    for (size_t j = 0; j < size; j++) body[hl + j] = (j % 100 == 98) ? '\r' : (j % 100 == 99) ? '\n' : '-';
    memcpy(body + hl + size, tail, tl);
    CHECK(mpn(CT, body, hl + size + tl) == PARSE_OK && mu.len == size && mu.data == body + hl,
          "8 MiB file of lines of dashes parses in place");
    CHECK_STR(kv_get(&mf, "csrf"), "tok", "csrf next to a large file");
    free(body);
}

/* A multipart form through the gate's parameter check (router.c), on a route
 * declared here: upload routes are not in the table yet. */
static int mp_params(const struct route *rt, const char *query, const char *body, json_t **errors, const char **reason)
{
    http_req_t req = {.arena = A, .method = "POST", .route = rt, .errors = json_object()};
    *reason = NULL;
    if (parse_urlencoded(A, query, strlen(query), 16, &req.query) != PARSE_OK ||
        parse_multipart(A, CT, body, strlen(body), 16, &req.form, &req.upload) != PARSE_OK) {
        json_decref(req.errors);
        return -1;
    }
    int rc = router_check_params(&req, reason);
    *errors = req.errors;
    return rc;
}

static void test_multipart_params(void)
{
    struct route up = {.method = "POST",
                       .pattern = "/test/upload",
                       .flags = RF_CSRF | RF_UPLOAD,
                       .p = {{"bericht", "file", 1}, {"toelichting", "text", 0}},
                       .n_params = 2};
    struct route plain = up;
    plain.flags = RF_CSRF;
    json_t *e = NULL;
    const char *why;
    const char *csrf = "--XyZ\r\n" CD "name=csrf\r\n\r\ntok\r\n";
    char body[600];

    snprintf(body, sizeof body,
             "%s--XyZ\r\n" CD "name=toelichting\r\n\r\nzie bijlage\r\n--XyZ\r\n" CD
             "name=bericht; filename=\"a.xml\"\r\n\r\n<a/>\r\n--XyZ--\r\n",
             csrf);
    CHECK(mp_params(&up, "", body, &e, &why) == 0 && json_object_size(e) == 0, "declared file and field pass");
    json_decref(e);
    CHECK(mp_params(&plain, "", body, &e, &why) == 400 && why && strstr(why, "bestand"),
          "a file on a route without RF_UPLOAD refused (%s)", why ? why : "");
    json_decref(e);

    snprintf(body, sizeof body, "%s--XyZ\r\n" CD "name=bijlage; filename=\"a.xml\"\r\n\r\n<a/>\r\n--XyZ--\r\n", csrf);
    CHECK(mp_params(&up, "", body, &e, &why) == 400 && why && strstr(why, "onbekend bestand"),
          "undeclared file field refused (%s)", why ? why : "");
    json_decref(e);
    snprintf(body, sizeof body, "%s--XyZ\r\n" CD "name=toelichting; filename=\"a.xml\"\r\n\r\n<a/>\r\n--XyZ--\r\n",
             csrf);
    CHECK(mp_params(&up, "", body, &e, &why) == 400, "a text field sent as a file refused");
    json_decref(e);
    snprintf(body, sizeof body, "%s--XyZ\r\n" CD "name=bericht\r\n\r\n<a/>\r\n--XyZ--\r\n", csrf);
    CHECK(mp_params(&up, "", body, &e, &why) == 400 && why && strstr(why, "niet als bestand"),
          "the file field sent as text refused (%s)", why ? why : "");
    json_decref(e);
    snprintf(body, sizeof body, "%s--XyZ--\r\n", csrf);
    CHECK(mp_params(&up, "bericht=a.xml", body, &e, &why) == 400, "the file field in the query refused");
    json_decref(e);

    CHECK(mp_params(&up, "", body, &e, &why) == 0 && json_is_string(json_object_get(e, "bericht")),
          "required file missing: a field error");
    json_decref(e);
    snprintf(body, sizeof body, "%s--XyZ\r\n" CD "name=bericht; filename=\"\"\r\n\r\n\r\n--XyZ--\r\n", csrf);
    CHECK(mp_params(&up, "", body, &e, &why) == 0 && json_is_string(json_object_get(e, "bericht")),
          "file input left empty: a field error");
    json_decref(e);
    snprintf(body, sizeof body, "%s--XyZ\r\n" CD "name=bericht; filename=\"leeg.xml\"\r\n\r\n\r\n--XyZ--\r\n", csrf);
    CHECK(mp_params(&up, "", body, &e, &why) == 0 &&
              strcmp(json_string_value(json_object_get(e, "bericht")), "Het gekozen bestand is leeg.") == 0,
          "empty file: a field error");
    json_decref(e);
}

static void test_cookies(void)
{
    struct kvlist l;

    CHECK(cookies("a=1; b=2", &l) == PARSE_OK && l.n == 2, "two cookies");
    CHECK_STR(kv_get(&l, "a"), "1", "cookie a");
    CHECK_STR(kv_get(&l, "b"), "2", "cookie b");
    CHECK(cookies("sid=abc%20def", &l) == PARSE_OK, "percent in value");
    CHECK_STR(kv_get(&l, "sid"), "abc%20def", "cookie values are not %%-decoded");
    CHECK(cookies("x=a+b", &l) == PARSE_OK && strcmp(kv_get(&l, "x"), "a+b") == 0, "'+' stays '+' in cookies");
    CHECK(cookies("q=\"quoted\"", &l) == PARSE_OK, "quoted value");
    CHECK_STR(kv_get(&l, "q"), "quoted", "surrounding quotes removed");
    CHECK(l.items[0].val_len == 6, "val_len without quotes");
    CHECK(cookies("q=\"\"", &l) == PARSE_OK && strcmp(kv_get(&l, "q"), "") == 0, "empty quoted value");
    CHECK(cookies("q=\"", &l) == PARSE_OK && strcmp(kv_get(&l, "q"), "\"") == 0, "single quote char kept");
    CHECK(cookies("q=\"half", &l) == PARSE_OK && strcmp(kv_get(&l, "q"), "\"half") == 0, "unbalanced quote kept");
    CHECK(cookies("  a=1 ;b=2;   c = 3  ;", &l) == PARSE_OK && l.n == 3, "spaces around pairs and '='");
    CHECK_STR(kv_get(&l, "c"), "3", "value trimmed");
    CHECK(cookies("a=x y", &l) == PARSE_OK && strcmp(kv_get(&l, "a"), "x y") == 0, "inner space kept");
    CHECK(cookies("a=\t1\t", &l) == PARSE_OK && strcmp(kv_get(&l, "a"), "1") == 0, "tabs trimmed");
    CHECK(cookies("e=", &l) == PARSE_OK && l.n == 1 && strcmp(kv_get(&l, "e"), "") == 0, "empty value");
    CHECK(cookies(";;  ; ", &l) == PARSE_OK && l.n == 0, "only separators");
    CHECK(parse_cookies(A, NULL, 0, 4, &l) == PARSE_OK && l.n == 0, "empty header");
    CHECK(cookies("a=1; a=2", &l) == PARSE_OK && l.n == 1, "duplicate name not an error");
    CHECK_STR(kv_get(&l, "a"), "1", "duplicate keeps the first");
    CHECK(cookies("__Host-sid=v; x.y_z~!=1", &l) == PARSE_OK && l.n == 2, "token characters in names");
    CHECK(cookies("tok=a=b==", &l) == PARSE_OK && strcmp(kv_get(&l, "tok"), "a=b==") == 0, "'=' inside value");
    CHECK(cookies("u=\xc3\xa9", &l) == PARSE_OK, "UTF-8 value accepted");

    CHECK(cookies("a", &l) == PARSE_E_SYNTAX, "cookie without '=' rejected");
    CHECK(cookies("a=1; b", &l) == PARSE_E_SYNTAX, "second cookie without '=' rejected");
    CHECK(cookies("=1", &l) == PARSE_E_SYNTAX, "empty name rejected");
    CHECK(cookies("a b=1", &l) == PARSE_E_SYNTAX, "space in name rejected");
    CHECK(cookies("a(b)=1", &l) == PARSE_E_SYNTAX, "parentheses in name rejected");
    CHECK(cookies("\"a\"=1", &l) == PARSE_E_SYNTAX, "quoted name rejected");
    CHECK(cookies("a,b=1", &l) == PARSE_E_SYNTAX, "comma in name rejected");
    CHECK(cookies("\xc3\xa9=1", &l) == PARSE_E_SYNTAX, "non-ASCII name rejected");
    CHECK(parse_cookies(A, "a\0=1", 4, 4, &l) == PARSE_E_SYNTAX, "NUL in name rejected");
    CHECK(cookies("a=\xc0\xaf", &l) == PARSE_E_UTF8, "overlong in value rejected");
    CHECK(cookies("a=\xed\xa0\x80", &l) == PARSE_E_UTF8, "surrogate in value rejected");
    CHECK(parse_cookies(A, "a=x\0y", 5, 4, &l) == PARSE_E_NUL, "NUL in value rejected");
    CHECK(cookies("a=\x01", &l) == PARSE_E_NUL, "control in value rejected");
    CHECK(parse_cookies(A, "a=1; b=2; c=3", 13, 2, &l) == PARSE_E_TOO_MANY, "too many cookies");
    CHECK(parse_cookies(A, "a=1; ; b=2", 10, 2, &l) == PARSE_OK && l.n == 2, "blank fields do not count");
    CHECK(parse_cookies(A, "a=1; b=2", 3, 4, &l) == PARSE_OK && l.n == 1, "cookie input ends at len");
}

static void test_utf8(void)
{
    CHECK(utf8_valid("", 0), "empty is valid");
    CHECK(utf8_valid("abc", 3), "ASCII valid");
    CHECK(utf8_valid("\xc2\x80", 2), "U+0080 valid");
    CHECK(utf8_valid("\xdf\xbf", 2), "U+07FF valid");
    CHECK(utf8_valid("\xe0\xa0\x80", 3), "U+0800 valid");
    CHECK(utf8_valid("\xed\x9f\xbf", 3), "U+D7FF valid");
    CHECK(utf8_valid("\xee\x80\x80", 3), "U+E000 valid");
    CHECK(utf8_valid("\xef\xbf\xbf", 3), "U+FFFF valid");
    CHECK(utf8_valid("\xf0\x90\x80\x80", 4), "U+10000 valid");
    CHECK(utf8_valid("\xf4\x8f\xbf\xbf", 4), "U+10FFFF valid");
    CHECK(utf8_valid("a\0b", 3), "NUL is valid UTF-8 (checked elsewhere)");
    CHECK(!utf8_valid("\xc1\xbf", 2), "overlong 2-byte invalid");
    CHECK(!utf8_valid("\xe0\x9f\xbf", 3), "overlong 3-byte invalid");
    CHECK(!utf8_valid("\xf0\x8f\xbf\xbf", 4), "overlong 4-byte invalid");
    CHECK(!utf8_valid("\xed\xa0\x80", 3), "high surrogate invalid");
    CHECK(!utf8_valid("\xf4\x90\x80\x80", 4), "U+110000 invalid");
    CHECK(!utf8_valid("\xf5\x80\x80\x80", 4), "lead 0xF5 invalid");
    CHECK(!utf8_valid("\xf8\x88\x80\x80\x80", 5), "5-byte form invalid");
    CHECK(!utf8_valid("\xe2\x82", 2), "truncated 3-byte invalid");
    CHECK(!utf8_valid("\xe2\x82\xac", 2), "sequence cut by n invalid");
    CHECK(utf8_valid("\xe2\x82\xac", 3), "euro sign valid");
    CHECK(!utf8_valid("\xe2\x28\xa1", 3), "bad continuation invalid");
    CHECK(!utf8_valid("\xf0\x9f\x98", 3), "truncated 4-byte invalid");
    CHECK(utf8_len("", 0) == 0, "utf8_len empty");
    CHECK(utf8_len("abc", 3) == 3, "utf8_len ASCII");
    CHECK(utf8_len("J\xc3\xa9r\xc3\xb4me", 8) == 6, "utf8_len Jérôme");
    CHECK(utf8_len("\xe2\x82\xac\xf0\x9f\x98\x80", 7) == 2, "utf8_len euro + emoji");
}

static void test_misc(void)
{
    int codes[] = {PARSE_OK,
                   PARSE_E_ESCAPE,
                   PARSE_E_UTF8,
                   PARSE_E_NUL,
                   PARSE_E_TOO_MANY,
                   PARSE_E_SYNTAX,
                   PARSE_E_DUPLICATE,
                   PARSE_E_MP_BOUNDARY,
                   PARSE_E_MP_END,
                   PARSE_E_MP_HEADER,
                   PARSE_E_MP_NAME,
                   PARSE_E_MP_FILES,
                   PARSE_E_MP_FILENAME,
                   -99};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *m = parse_strerror(codes[i]);
        CHECK(m && (codes[i] == PARSE_OK || strncmp(m, "Het verzoek ", 12) == 0),
              "parse_strerror(%d) is a Dutch sentence about the request", codes[i]);
        CHECK(m && m[strlen(m) - 1] == '.', "parse_strerror(%d) ends with a full stop", codes[i]);
    }
    CHECK_STR(parse_strerror(PARSE_E_UTF8), "Het verzoek bevat een ongeldige tekenreeks.", "UTF-8 message");
    CHECK(strcmp(parse_strerror(PARSE_E_ESCAPE), parse_strerror(PARSE_E_NUL)) != 0, "messages differ");
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(parse_strerror(codes[i]), parse_strerror(codes[j])) != 0, "messages %d and %d differ",
                  codes[i], codes[j]);
    CHECK(kv_get(NULL, "a") == NULL, "kv_get on NULL list");
    struct kvlist empty = {NULL, 0};
    CHECK(kv_get(&empty, "a") == NULL, "kv_get on empty list");
}

int main(void)
{
    A = arena_new(0);
    test_urlencoded();
    test_multipart_valid();
    test_multipart_refused();
    test_multipart_large();
    test_multipart_params();
    test_cookies();
    test_utf8();
    test_misc();
    arena_free(A);
    return t_done();
}
