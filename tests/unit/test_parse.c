/* test_parse.c - unit tests for src/http/parse.c (query strings, form bodies,
 * cookies, UTF-8). */
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
    int codes[] = {PARSE_OK, PARSE_E_ESCAPE, PARSE_E_UTF8, PARSE_E_NUL, PARSE_E_TOO_MANY, PARSE_E_SYNTAX,
                   PARSE_E_DUPLICATE, -99};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *m = parse_strerror(codes[i]);
        CHECK(m && (codes[i] == PARSE_OK || strncmp(m, "Het verzoek ", 12) == 0),
              "parse_strerror(%d) is a Dutch sentence about the request", codes[i]);
        CHECK(m && m[strlen(m) - 1] == '.', "parse_strerror(%d) ends with a full stop", codes[i]);
    }
    CHECK_STR(parse_strerror(PARSE_E_UTF8), "Het verzoek bevat een ongeldige tekenreeks.", "UTF-8 message");
    CHECK(strcmp(parse_strerror(PARSE_E_ESCAPE), parse_strerror(PARSE_E_NUL)) != 0, "messages differ");
    CHECK(kv_get(NULL, "a") == NULL, "kv_get on NULL list");
    struct kvlist empty = {NULL, 0};
    CHECK(kv_get(&empty, "a") == NULL, "kv_get on empty list");
}

int main(void)
{
    A = arena_new(0);
    test_urlencoded();
    test_cookies();
    test_utf8();
    test_misc();
    arena_free(A);
    return t_done();
}
