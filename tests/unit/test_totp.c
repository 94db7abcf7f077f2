/*
 * test_totp.c - base32 (RFC 4648 vectors), HOTP (RFC 4226 Appendix D),
 * TOTP (RFC 6238 Appendix B, SHA-1) and totp_verify windows and reuse.
 */
#include "auth/totp.h"
#include "test.h"

#include <stdint.h>
#include <string.h>

static void test_base32(void)
{
    static const struct { const char *in, *out; } v[] = {
        {"", ""},           {"f", "MY"},          {"fo", "MZXQ"},
        {"foo", "MZXW6"},   {"foob", "MZXW6YQ"},  {"fooba", "MZXW6YTB"},
        {"foobar", "MZXW6YTBOI"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char enc[32];
        int n = base32_encode((const uint8_t *)v[i].in, strlen(v[i].in), enc, sizeof enc);
        CHECK(n == (int)strlen(v[i].out), "base32_encode(\"%s\") length %d", v[i].in, n);
        CHECK_STR(enc, v[i].out, "base32_encode(\"%s\")", v[i].in);
        uint8_t dec[32];
        int m = base32_decode(v[i].out, dec, sizeof dec);
        CHECK(m == (int)strlen(v[i].in) && memcmp(dec, v[i].in, (size_t)m) == 0,
              "base32_decode(\"%s\") round trip", v[i].out);
    }

    /* Padded form, lower case and spaces are accepted. */
    uint8_t dec[32];
    int m = base32_decode("MZXW6YQ=", dec, sizeof dec);
    CHECK(m == 4 && memcmp(dec, "foob", 4) == 0, "decode ignores '=' padding");
    m = base32_decode("mzxw 6ytb oi", dec, sizeof dec);
    CHECK(m == 6 && memcmp(dec, "foobar", 6) == 0, "decode accepts lower case and spaces");

    /* Invalid characters. */
    CHECK(base32_decode("MZXW1", dec, sizeof dec) == -1, "decode refuses '1'");
    CHECK(base32_decode("MZXW8", dec, sizeof dec) == -1, "decode refuses '8'");
    CHECK(base32_decode("MZ-XW", dec, sizeof dec) == -1, "decode refuses '-'");
    CHECK(base32_decode("MZXW\xc3\xa9", dec, sizeof dec) == -1, "decode refuses non-ASCII");

    /* Buffer sizes. */
    char small[10];
    CHECK(base32_encode((const uint8_t *)"foobar", 6, small, sizeof small) == -1,
          "encode refuses an out buffer without room for the NUL");
    char exact[11];
    CHECK(base32_encode((const uint8_t *)"foobar", 6, exact, sizeof exact) == 10,
          "encode fits an exact out buffer");
    CHECK(base32_decode("MZXW6YTBOI", dec, 5) == -1, "decode refuses a too small out");

    /* A random-looking 20-byte secret round trips. */
    uint8_t secret[TOTP_SECRET_BYTES];
    for (int i = 0; i < TOTP_SECRET_BYTES; i++) secret[i] = (uint8_t)(i * 37 + 11);
    char s32[64];
    int n = base32_encode(secret, sizeof secret, s32, sizeof s32);
    CHECK(n == 32, "20-byte secret encodes to 32 characters");
    uint8_t back[TOTP_SECRET_BYTES];
    m = base32_decode(s32, back, sizeof back);
    CHECK(m == TOTP_SECRET_BYTES && memcmp(back, secret, sizeof secret) == 0,
          "20-byte secret round trips");
}

static const uint8_t rfc_key[] = "12345678901234567890";
#define RFC_KEYLEN 20

static void test_hotp(void)
{
    static const uint32_t want[10] = {755224, 287082, 359152, 969429, 338314,
                                      254676, 287922, 162583, 399871, 520489};
    for (uint64_t c = 0; c < 10; c++) {
        uint32_t got = hotp(rfc_key, RFC_KEYLEN, c, 6);
        CHECK(got == want[c], "RFC 4226 HOTP counter %u: %06u (want %06u)", (unsigned)c,
              (unsigned)got, (unsigned)want[c]);
    }
}

static void test_totp_code(void)
{
    static const struct { int64_t t; const char *code; } v[] = {
        {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
        {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char out[9];
        totp_code(rfc_key, RFC_KEYLEN, v[i].t, 8, out);
        CHECK_STR(out, v[i].code, "RFC 6238 TOTP SHA-1 t=%lld", (long long)v[i].t);
    }
    char six[7];
    totp_code(rfc_key, RFC_KEYLEN, 59, 6, six);
    CHECK_STR(six, "287082", "6-digit TOTP at t=59 is HOTP counter 1");
}

static void test_verify(void)
{
    const int64_t now = 1700000015; /* step 56666667, 15 s into it */
    const int64_t step = now / TOTP_STEP;
    char cur[7], prev[7], next[7], far[7], far_back[7];
    totp_code(rfc_key, RFC_KEYLEN, now, 6, cur);
    totp_code(rfc_key, RFC_KEYLEN, now - 30, 6, prev);
    totp_code(rfc_key, RFC_KEYLEN, now + 30, 6, next);
    totp_code(rfc_key, RFC_KEYLEN, now + 60, 6, far);
    totp_code(rfc_key, RFC_KEYLEN, now - 60, 6, far_back);

    CHECK(totp_verify(rfc_key, RFC_KEYLEN, cur, now, -1) == step, "current step accepted");
    CHECK(totp_verify(rfc_key, RFC_KEYLEN, prev, now, -1) == step - 1, "previous step accepted");
    CHECK(totp_verify(rfc_key, RFC_KEYLEN, next, now, -1) == step + 1, "next step accepted");
    /* The codes of distinct steps might collide by chance; these do not. */
    CHECK(strcmp(far, cur) && strcmp(far, prev) && strcmp(far, next), "test codes differ");
    CHECK(totp_verify(rfc_key, RFC_KEYLEN, far, now, -1) == -1, "two steps ahead refused");
    CHECK(totp_verify(rfc_key, RFC_KEYLEN, far_back, now, -1) == -1, "two steps back refused");

    /* Reuse: once step is stored as last_step, the same and older codes fail. */
    CHECK(totp_verify(rfc_key, RFC_KEYLEN, cur, now, step) == -1, "reused code refused");
    CHECK(totp_verify(rfc_key, RFC_KEYLEN, prev, now, step) == -1, "older code after use refused");
    CHECK(totp_verify(rfc_key, RFC_KEYLEN, next, now, step) == step + 1,
          "newer code after use accepted");
    CHECK(totp_verify(rfc_key, RFC_KEYLEN, cur, now, step - 1) == step,
          "code newer than last_step accepted");

    /* Format. */
    char spaced[16];
    snprintf(spaced, sizeof spaced, "  %s ", cur);
    CHECK(totp_verify(rfc_key, RFC_KEYLEN, spaced, now, -1) == step, "surrounding spaces allowed");
    char five[6];
    memcpy(five, cur, 5);
    five[5] = '\0';
    CHECK(totp_verify(rfc_key, RFC_KEYLEN, five, now, -1) == -1, "5 digits refused");
    char seven[8];
    memcpy(seven, cur, 6);
    seven[6] = '0';
    seven[7] = '\0';
    CHECK(totp_verify(rfc_key, RFC_KEYLEN, seven, now, -1) == -1, "7 digits refused");
    char letter[7];
    memcpy(letter, cur, 7);
    letter[2] = 'a';
    CHECK(totp_verify(rfc_key, RFC_KEYLEN, letter, now, -1) == -1, "non-digit refused");
    char inner[8];
    memcpy(inner, cur, 3);
    inner[3] = ' ';
    memcpy(inner + 4, cur + 3, 4);
    CHECK(totp_verify(rfc_key, RFC_KEYLEN, inner, now, -1) == -1, "inner space refused");
    CHECK(totp_verify(rfc_key, RFC_KEYLEN, "", now, -1) == -1, "empty code refused");
    CHECK(totp_verify(rfc_key, RFC_KEYLEN, NULL, now, -1) == -1, "NULL code refused");

    /* A different key does not accept the code. */
    static const uint8_t other[] = "abcdefghijabcdefghij";
    int64_t r = totp_verify(other, 20, cur, now, -1);
    char o_cur[7], o_prev[7], o_next[7];
    totp_code(other, 20, now, 6, o_cur);
    totp_code(other, 20, now - 30, 6, o_prev);
    totp_code(other, 20, now + 30, 6, o_next);
    int collides = !strcmp(o_cur, cur) || !strcmp(o_prev, cur) || !strcmp(o_next, cur);
    CHECK(collides || r == -1, "other key refuses the code");
}

int main(void)
{
    test_base32();
    test_hotp();
    test_totp_code();
    test_verify();
    return t_done();
}
