/*
 * ident.c - Dutch identifiers: BSN (normalise, elfproef, test numbers,
 * sealing, lookup hash, mask), postcode, CBS codes, AGB code, house numbers.
 * See ident.h for the contracts; nothing here allocates.
 */
#include "domain/ident.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/keys.h"

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}
static int is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}
static int is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}
static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* 1 when s is exactly n ASCII digits followed by NUL. */
static int all_digits(const char *s, size_t n)
{
    if (!s) return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i])) return 0;
    return s[n] == '\0';
}

/* ---- BSN ----------------------------------------------------------------- */

/* Weights of d1..d8 in the elfproef; d9 has weight -1. */
static const int bsn_weight[8] = {9, 8, 7, 6, 5, 4, 3, 2};

/* Outcome of parsing, so bsn_check can say what was wrong. */
enum bsn_parse { BSN_OK = 0, BSN_EMPTY, BSN_CHARS, BSN_LENGTH };

static enum bsn_parse bsn_parse(const char *in, char out[10])
{
    out[0] = '\0';
    if (!in) return BSN_EMPTY;
    while (is_blank(*in)) in++;
    size_t end = strlen(in);
    while (end > 0 && is_blank(in[end - 1])) end--;
    if (end == 0) return BSN_EMPTY;

    char digits[10];
    size_t nd = 0;
    char sep = 0; /* the one separator kind used in this number, if any */
    for (size_t i = 0; i < end; i++) {
        char c = in[i];
        if (is_digit(c)) {
            if (nd == 9) return BSN_LENGTH;
            digits[nd++] = c;
        } else if (c == '.' || c == ' ') {
            /* a single separator, between two digits, always the same kind */
            if (i == 0 || !is_digit(in[i - 1]) || i + 1 >= end || !is_digit(in[i + 1])) return BSN_CHARS;
            if (sep && sep != c) return BSN_CHARS;
            sep = c;
        } else {
            return BSN_CHARS;
        }
    }
    if (nd == 8) {
        out[0] = '0';
        memcpy(out + 1, digits, 8);
    } else if (nd == 9) {
        memcpy(out, digits, 9);
    } else {
        return BSN_LENGTH;
    }
    out[9] = '\0';
    return BSN_OK;
}

int bsn_normalise(const char *in, char out[10])
{
    return bsn_parse(in, out) == BSN_OK ? 0 : -1;
}

int bsn_valid(const char *nine_digits)
{
    if (!all_digits(nine_digits, 9)) return 0;
    int sum = 0, nonzero = 0;
    for (int i = 0; i < 8; i++) {
        int d = nine_digits[i] - '0';
        sum += bsn_weight[i] * d;
        nonzero |= d;
    }
    int d9 = nine_digits[8] - '0';
    nonzero |= d9;
    sum -= d9; /* may be negative only in theory (sum >= -9): keep it non-negative */
    int rem = ((sum % 11) + 11) % 11;
    return rem == 0 && nonzero;
}

int bsn_check(const char *in, char out[10], const char **why)
{
    const char *msg = NULL;
    switch (bsn_parse(in, out)) {
    case BSN_OK:
        if (!bsn_valid(out)) msg = "Dit BSN klopt niet. Controleer de cijfers.";
        break;
    case BSN_EMPTY:
        msg = "Vul een BSN in.";
        break;
    case BSN_CHARS:
        msg = "Een BSN bestaat alleen uit cijfers.";
        break;
    case BSN_LENGTH:
        msg = "Een BSN heeft 9 cijfers.";
        break;
    }
    if (msg) out[0] = '\0';
    if (why) *why = msg;
    return msg ? -1 : 0;
}

/*
 * Test numbers. For a prefix d1..d8 the check digit is d9 = S mod 11 with
 * S = sum of the weighted first 8 digits; the prefix yields a valid BSN
 * unless that residue is 10. cnt[k][r] counts the ways to fill the last k
 * of the 8 prefix digits (weights k+1 … 2) so that, starting from partial
 * residue r, the final residue is not 10. With it we can skip whole blocks
 * and pick the n-th valid number digit by digit, in ascending order, without
 * enumerating candidates.
 */
#define TEST_FREE   4   /* free digits d5..d8 per block */
#define TEST_BLOCKS 100 /* blocks 9999, 9998, …, 9900 */

static void test_counts(uint32_t cnt[TEST_FREE + 1][11])
{
    for (int r = 0; r < 11; r++) cnt[0][r] = r != 10;
    for (int k = 1; k <= TEST_FREE; k++) {
        int w = k + 1;
        for (int r = 0; r < 11; r++) {
            uint32_t c = 0;
            for (int d = 0; d < 10; d++) c += cnt[k - 1][(r + w * d) % 11];
            cnt[k][r] = c;
        }
    }
}

void bsn_test_number(uint32_t n, char out[10])
{
    uint32_t cnt[TEST_FREE + 1][11];
    test_counts(cnt);

    for (int b = 0; b < TEST_BLOCKS; b++) {
        int block = 9999 - b;
        char pre[5];
        snprintf(pre, sizeof pre, "%04d", block);
        int r = 0;
        for (int i = 0; i < 4; i++) r += bsn_weight[i] * (pre[i] - '0');
        r %= 11;
        if (n >= cnt[TEST_FREE][r]) {
            n -= cnt[TEST_FREE][r];
            continue;
        }
        memcpy(out, pre, 4);
        for (int k = TEST_FREE; k >= 1; k--) {
            int w = k + 1, d;
            for (d = 0; d < 10; d++) {
                uint32_t c = cnt[k - 1][(r + w * d) % 11];
                if (n < c) break;
                n -= c;
            }
            assert(d < 10); /* n < cnt[k][r] guarantees a digit is found */
            out[4 + TEST_FREE - k] = (char)('0' + d);
            r = (r + w * d) % 11;
        }
        assert(r != 10);
        out[8] = (char)('0' + r);
        out[9] = '\0';
        return;
    }
    fprintf(stderr, "kantel: bsn_test_number(%u) beyond BSN_TEST_COUNT\n", (unsigned)n);
    abort();
}

size_t bsn_seal_len(void)
{
    return keys_seal_len(9);
}

void bsn_seal(const char bsn[10], uint8_t *out)
{
    assert(all_digits(bsn, 9));
    keys_seal(KEY_BSN_ENC, bsn, 9, out);
}

int bsn_open(const uint8_t *sealed, size_t n, char out[10])
{
    char plain[9];
    out[0] = '\0';
    if (!sealed || n != bsn_seal_len()) return -1;
    if (keys_open(KEY_BSN_ENC, sealed, n, plain, sizeof plain) != 0) return -1;
    int ok = 1;
    for (int i = 0; i < 9; i++) ok &= is_digit(plain[i]);
    if (ok) {
        memcpy(out, plain, 9);
        out[9] = '\0';
    }
    sodium_memzero(plain, sizeof plain);
    return ok ? 0 : -1;
}

void bsn_lookup_hash(const char bsn[10], uint8_t out[32])
{
    assert(all_digits(bsn, 9));
    uint8_t k[KEY_BYTES];
    keys_get(KEY_BSN_HASH, k);
    crypto_generichash(out, 32, (const unsigned char *)bsn, 9, k, sizeof k);
    sodium_memzero(k, sizeof k);
}

void bsn_mask(const char bsn[10], char out[12])
{
    memcpy(out, "*********", 10);
    if (all_digits(bsn, 9)) memcpy(out + 6, bsn + 6, 3);
}

/* ---- Postcode ------------------------------------------------------------ */

enum pc_parse { PC_OK = 0, PC_EMPTY, PC_FORM, PC_ZERO, PC_PAIR };

static enum pc_parse pc_parse(const char *in, char out[7])
{
    out[0] = '\0';
    if (!in) return PC_EMPTY;
    while (is_blank(*in)) in++;
    size_t end = strlen(in);
    while (end > 0 && is_blank(in[end - 1])) end--;
    if (end == 0) return PC_EMPTY;
    if (end != 6 && end != 7) return PC_FORM;
    for (int i = 0; i < 4; i++)
        if (!is_digit(in[i])) return PC_FORM;
    size_t at = 4;
    if (end == 7) {
        if (in[4] != ' ') return PC_FORM;
        at = 5;
    }
    char l[2];
    for (int i = 0; i < 2; i++) {
        char c = in[at + (size_t)i];
        if (is_lower(c)) c = (char)(c - 'a' + 'A');
        if (!is_upper(c)) return PC_FORM;
        l[i] = c;
    }
    if (in[0] == '0') return PC_ZERO;
    if (l[0] == 'S' && (l[1] == 'A' || l[1] == 'D' || l[1] == 'S')) return PC_PAIR;
    memcpy(out, in, 4);
    out[4] = l[0];
    out[5] = l[1];
    out[6] = '\0';
    return PC_OK;
}

int postcode_normalise(const char *in, char out[7])
{
    return pc_parse(in, out) == PC_OK ? 0 : -1;
}

void postcode_format(const char in[7], char out[8])
{
    if (strlen(in) == 6) {
        memcpy(out, in, 4);
        out[4] = ' ';
        memcpy(out + 5, in + 4, 3); /* two letters + NUL */
    } else {
        snprintf(out, 8, "%s", in);
    }
}

const char *postcode_why(const char *in)
{
    char tmp[7];
    switch (pc_parse(in, tmp)) {
    case PC_OK:
        return NULL;
    case PC_EMPTY:
        return "Vul een postcode in.";
    case PC_ZERO:
        return "Een postcode begint niet met een 0. Controleer de cijfers.";
    case PC_PAIR:
        return "Deze postcode bestaat niet. Controleer de letters.";
    case PC_FORM:
        break;
    }
    return "Een postcode is 4 cijfers en 2 letters, bijvoorbeeld 1234 AB.";
}

/* ---- CBS, AGB, house numbers -------------------------------------------- */

int gemeente_code_valid(const char *s)
{
    return all_digits(s, 4);
}

int cbs_area_code_valid(const char *s, char kind)
{
    const char *prefix;
    size_t n;
    switch (kind) {
    case 'G':
        prefix = "GM";
        n = 4;
        break;
    case 'W':
        prefix = "WK";
        n = 6;
        break;
    case 'B':
        prefix = "BU";
        n = 8;
        break;
    default:
        return 0;
    }
    if (!s || s[0] != prefix[0] || s[1] != prefix[1]) return 0;
    return all_digits(s + 2, n);
}

int agb_code_valid(const char *s)
{
    return all_digits(s, 8);
}

int house_number_valid(const char *number, const char *addition)
{
    if (!number || number[0] < '1' || number[0] > '9') return 0;
    size_t n = 1;
    while (is_digit(number[n])) {
        if (++n > 5) return 0;
    }
    if (number[n] != '\0') return 0;
    if (!addition) return 1;
    for (size_t i = 0; addition[i]; i++) {
        char c = addition[i];
        if (i >= 4) return 0;
        if (!is_digit(c) && !is_upper(c) && !is_lower(c) && c != '-') return 0;
    }
    return 1;
}
