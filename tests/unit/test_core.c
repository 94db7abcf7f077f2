/* test_core.c - buf (growth, printf, escapers), arena (alignment, reset,
 * large blocks) and util (hex, tokens, constant-time compare, integers, time). */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/util.h"
#include "test.h"

static void test_buf(void)
{
    buf_t b = BUF_INIT;
    CHECK_STR(buf_cstr(&b), "", "empty buffer gives an empty string");
    for (int i = 0; i < 10000; i++) buf_putc(&b, (char)('a' + i % 26));
    CHECK(b.len == 10000 && b.data[10000] == '\0', "10000 putc: length and NUL terminator");
    CHECK(b.data[9999] == 'a' + 9999 % 26, "last byte kept across growth");
    buf_reset(&b);
    CHECK(b.len == 0 && b.cap >= 10000, "reset keeps the allocation");
    buf_printf(&b, "%s-%d-%05.1f", "x", 42, 3.14159);
    CHECK_STR(b.data, "x-42-003.1", "printf formats");
    char big[1000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    buf_printf(&b, "%s", big);
    CHECK(b.len == 10 + 999 && b.data[b.len] == '\0', "printf longer than the stack buffer");
    buf_reset(&b);
    buf_append(&b, "a\0b", 3);
    CHECK(b.len == 3 && b.data[1] == '\0' && b.data[2] == 'b', "append keeps embedded NUL bytes");
    char *s = buf_detach(&b);
    CHECK(b.data == NULL && b.len == 0 && s[2] == 'b', "detach hands over the memory");
    free(s);

    { const char *h = "<a href=\"x\" title='y'>&`=</a>"; buf_html(&b, h, strlen(h)); }
    CHECK_STR(b.data, "&lt;a href&#61;&quot;x&quot; title&#61;&#39;y&#39;&gt;&amp;&#96;&#61;&lt;/a&gt;",
              "html escaper covers & < > \" ' ` =");
    buf_reset(&b);
    buf_html(&b, "plain text é", strlen("plain text é"));
    CHECK_STR(b.data, "plain text é", "html escaper leaves ordinary text and UTF-8 alone");
    buf_reset(&b);
    buf_json_str(&b, "a\"b\\c\n\x01");
    CHECK_STR(b.data, "\"a\\\"b\\\\c\\n\\u0001\"", "json string escaper");
    buf_free(&b);
}

static void test_arena(void)
{
    arena_t *a = arena_new(256);
    int aligned = 1;
    for (int i = 1; i < 200; i++) {
        void *p = arena_alloc(a, (size_t)i);
        if ((uintptr_t)p % alignof(max_align_t)) aligned = 0;
        memset(p, 0xAB, (size_t)i);
    }
    CHECK(aligned, "every allocation is aligned to max_align_t");
    CHECK(arena_used(a) >= 199 * 200 / 2, "arena_used counts what was handed out (%zu)", arena_used(a));
    char *big = arena_alloc(a, 100000);
    memset(big, 1, 100000);
    CHECK(big != NULL, "a block larger than the chunk size");
    char *s = arena_printf(a, "%s/%d", "pad", 7);
    CHECK_STR(s, "pad/7", "arena_printf");
    CHECK_STR(arena_strndup(a, "abcdef", 3), "abc", "arena_strndup");
    char *z = arena_calloc(a, 64);
    int zero = 1;
    for (int i = 0; i < 64; i++) zero &= z[i] == 0;
    CHECK(zero, "arena_calloc zeroes");
    arena_reset(a);
    CHECK(arena_used(a) == 0, "reset empties the arena");
    void *p1 = arena_alloc(a, 16), *p2 = arena_alloc(a, 16);
    CHECK(p1 != p2, "allocations after reset are distinct");
    CHECK(arena_alloc(a, 0) != arena_alloc(a, 0), "zero-size allocations are unique pointers");
    arena_free(a);
}

static void test_util(void)
{
    char hex[9];
    hex_encode("\x01\xab\xff\x00", 4, hex);
    CHECK_STR(hex, "01abff00", "hex encode");
    unsigned char back[4];
    CHECK(hex_decode("01ABff00", back, sizeof back) == 4 && memcmp(back, "\x01\xab\xff\x00", 4) == 0,
          "hex decode, either case");
    CHECK(hex_decode("0g", back, sizeof back) == -1, "hex decode refuses non-hex");
    CHECK(hex_decode("012", back, sizeof back) == -1, "hex decode refuses odd length");
    CHECK(hex_decode("0102030405", back, sizeof back) == -1, "hex decode refuses overflow");

    char t1[48], t2[48];
    rand_token(t1, 32);
    rand_token(t2, 32);
    CHECK(strlen(t1) == 43 && strcmp(t1, t2) != 0, "tokens: 43 base64url characters, different each time");
    CHECK(strspn(t1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == 43,
          "tokens use the URL-safe alphabet");
    CHECK(ct_streq("abc", "abc") && !ct_streq("abc", "abd") && !ct_streq("abc", "ab") && !ct_streq("", ""),
          "constant-time compare: equal, different, prefix, empty");

    int64_t v;
    CHECK(parse_i64("12345", 0, 100000, &v) == 0 && v == 12345, "parse_i64 accepts a number in range");
    CHECK(parse_i64("123456", 0, 100000, &v) == -1, "parse_i64 refuses out of range");
    CHECK(parse_i64("-1", -5, 5, &v) == -1 && parse_i64("1a", 0, 9, &v) == -1 && parse_i64("", 0, 9, &v) == -1,
          "parse_i64 refuses signs, letters and empty");
    CHECK(parse_i64("99999999999999999999", 0, INT64_MAX, &v) == -1, "parse_i64 refuses overflow");

    char when[24];
    fmt_local_time(1767225600, when, sizeof when); /* 2026-01-01 00:00 UTC: winter time */
    CHECK_STR(when, "2026-01-01 01:00", "Europe/Amsterdam in winter is UTC+1");
    fmt_local_time(1782864000, when, sizeof when); /* 2026-07-01 00:00 UTC: summer time */
    CHECK_STR(when, "2026-07-01 02:00", "Europe/Amsterdam in summer is UTC+2");
    fmt_local_time(1774746000, when, sizeof when); /* 2026-03-29 01:00 UTC: DST starts */
    CHECK_STR(when, "2026-03-29 03:00", "summer time starts on the last Sunday of March at 01:00 UTC");
    fmt_local_time(1774745999, when, sizeof when);
    CHECK_STR(when, "2026-03-29 01:59", "one second earlier it is still winter time");
    fmt_local_time(1792890000, when, sizeof when); /* 2026-10-25 01:00 UTC: DST ends */
    CHECK_STR(when, "2026-10-25 02:00", "winter time returns on the last Sunday of October at 01:00 UTC");
}

int main(void)
{
    test_buf();
    test_arena();
    test_util();
    return t_done();
}
