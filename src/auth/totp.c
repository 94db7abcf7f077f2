/*
 * totp.c - base32 (RFC 4648), HOTP (RFC 4226) and TOTP (RFC 6238) with
 * HMAC-SHA-1 from OpenSSL libcrypto. No allocation,
 * no global state; see totp.h for the contracts.
 */
#include "auth/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int base32_encode(const uint8_t *in, size_t n, char *out, size_t outlen)
{
    size_t need = (n * 8 + 4) / 5; /* characters, no padding */
    if (outlen < need + 1) return -1;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8) | in[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out[o++] = b32_alphabet[(acc >> bits) & 31];
        }
    }
    if (bits > 0) out[o++] = b32_alphabet[(acc << (5 - bits)) & 31];
    out[o] = '\0';
    return (int)o;
}

/* The 5-bit value of a base32 character, or -1. */
static int b32_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a';
    if (c >= '2' && c <= '7') return c - '2' + 26;
    return -1;
}

int base32_decode(const char *in, uint8_t *out, size_t outlen)
{
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        if (*p == ' ' || *p == '=') continue;
        int v = b32_value(*p);
        if (v < 0) return -1;
        acc = (acc << 5) | (uint32_t)v;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            if (o >= outlen) return -1;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    /* Leftover bits (< 8) are the zero fill of the last character. */
    return o > (size_t)INT32_MAX ? -1 : (int)o;
}

uint32_t hotp(const uint8_t *key, size_t keylen, uint64_t counter, int digits)
{
    uint8_t msg[8];
    for (int i = 7; i >= 0; i--) {
        msg[i] = (uint8_t)(counter & 0xff);
        counter >>= 8;
    }
    uint8_t mac[EVP_MAX_MD_SIZE];
    unsigned maclen = 0;
    if (!HMAC(EVP_sha1(), key, (int)keylen, msg, sizeof msg, mac, &maclen) || maclen < 20)
        return 0; /* libcrypto failure: no code will match a typed one reliably */
    unsigned off = mac[maclen - 1] & 0x0f;
    uint32_t bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
                   ((uint32_t)mac[off + 2] << 8) | (uint32_t)mac[off + 3];
    if (digits < 6) digits = 6;
    if (digits > 8) digits = 8;
    uint32_t mod = 1;
    for (int i = 0; i < digits; i++) mod *= 10;
    return bin % mod;
}

void totp_code(const uint8_t *key, size_t keylen, int64_t t, int digits, char *out)
{
    if (digits < 6) digits = 6;
    if (digits > 8) digits = 8;
    uint64_t step = t < 0 ? 0 : (uint64_t)t / TOTP_STEP;
    uint32_t v = hotp(key, keylen, step, digits);
    for (int i = digits - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
    out[digits] = '\0';
}

/* Constant-time equality of two n-byte strings. */
static int ct_equal(const char *a, const char *b, size_t n)
{
    volatile unsigned char d = 0;
    for (size_t i = 0; i < n; i++) d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}

int64_t totp_verify(const uint8_t *key, size_t keylen, const char *code, int64_t now,
                    int64_t last_step)
{
    if (!code || now < 0) return -1;
    while (*code == ' ') code++;
    size_t n = 0;
    while (code[n] >= '0' && code[n] <= '9') n++;
    if (n != TOTP_DIGITS) return -1;
    for (const char *p = code + n; *p; p++)
        if (*p != ' ') return -1;

    int64_t cur = now / TOTP_STEP;
    int64_t found = -1;
    /* Check all three windows regardless of an early match, so the time
     * taken does not reveal which step matched. */
    for (int64_t s = cur - 1; s <= cur + 1; s++) {
        if (s < 0) continue;
        char want[TOTP_DIGITS + 1];
        uint32_t v = hotp(key, keylen, (uint64_t)s, TOTP_DIGITS);
        for (int i = TOTP_DIGITS - 1; i >= 0; i--) {
            want[i] = (char)('0' + v % 10);
            v /= 10;
        }
        want[TOTP_DIGITS] = '\0';
        int eq = ct_equal(want, code, TOTP_DIGITS);
        if (eq && s > last_step && found < 0) found = s;
    }
    return found;
}
