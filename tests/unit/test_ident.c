/* test_ident.c - BSN (normalise, elfproef, check messages, test numbers,
 * seal/open, lookup hash, mask), postcode, CBS codes, AGB code and house
 * numbers (src/domain/ident.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/keys.h"
#include "domain/ident.h"
#include "test.h"

/* Normalises in and compares the result (NULL want = must be refused). */
static void norm_is(const char *in, const char *want)
{
    char out[10] = "x";
    int rc = bsn_normalise(in, out);
    if (want)
        CHECK(rc == 0 && strcmp(out, want) == 0, "bsn_normalise(\"%s\") = %s (got rc %d, \"%s\")", in, want, rc, out);
    else
        CHECK(rc == -1 && out[0] == '\0', "bsn_normalise(\"%s\") refused (got rc %d, \"%s\")", in, rc, out);
}

static void test_bsn_valid(void)
{
    /* Worked by hand, weights 9 8 7 6 5 4 3 2 -1:
     * 111222333: 9+8+7+12+10+8+9+6 = 69; 69-3 = 66 = 6*11           -> valid
     * 123456782: 9+16+21+24+25+24+21+16 = 156; 156-2 = 154 = 14*11   -> valid
     * 999900006: 81+72+63+54 = 270; 270-6 = 264 = 24*11             -> valid
     * 999900018: 270+2*1 = 272; 272-8 = 264                          -> valid
     * 999900031: 270+2*3 = 276; 276-1 = 275 = 25*11                  -> valid
     * 999990019: 270+5*9+2*1 = 317; 317-9 = 308 = 28*11              -> valid
     * 999999990: 270+9*(5+4+3+2) = 396 = 36*11; 396-0                -> valid
     * 012345672: 0+8+14+18+20+20+18+14 = 112; 112-2 = 110 = 10*11    -> valid */
    const char *good[] = {"111222333", "123456782", "999900006", "999900018",
                          "999900031", "999990019", "999999990", "012345672"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        CHECK(bsn_valid(good[i]) == 1, "bsn_valid(%s) holds", good[i]);

    /* One digit changed: 123456783 -> 156-3 = 153 = 13*11+10; 111222334 -> 65 = 5*11+10.
     * Adjacent digits swapped: 213456782 -> sum 155-2 = 153 (a swap of d1,d2 moves
     * the sum by d1-d2); 123456728 -> 144-8 = 136 = 12*11+4 (d8,d9 weights 2,-1
     * move it by 3*(d8-d9)). 999900020: prefix residue 274 mod 11 = 10, so no
     * check digit exists for 99990002x at all. */
    const char *bad[] = {"123456783", "111222334", "213456782", "123456728",
                         "999900020", "999900029", "999900007", "100000000"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(bsn_valid(bad[i]) == 0, "bsn_valid(%s) fails the elfproef", bad[i]);

    CHECK(bsn_valid("000000000") == 0, "000000000 refused (CS002) though 0 mod 11 = 0");
    CHECK(bsn_valid("12345678") == 0, "8 digits are not valid unnormalised");
    CHECK(bsn_valid("1234567820") == 0, "10 digits refused");
    CHECK(bsn_valid("12345678a") == 0, "a letter refused");
    CHECK(bsn_valid(" 123456782") == 0, "bsn_valid does not trim");
    CHECK(bsn_valid("") == 0 && bsn_valid(NULL) == 0, "empty and NULL refused");

    /* Every single-digit change of a valid BSN is caught (weights are 1..9 mod 11,
     * all invertible): exhaustive over 123456782. */
    int caught = 1;
    for (int pos = 0; pos < 9; pos++)
        for (char c = '0'; c <= '9'; c++) {
            char s[10] = "123456782";
            if (s[pos] == c) continue;
            s[pos] = c;
            if (bsn_valid(s)) caught = 0;
        }
    CHECK(caught, "every one-digit change of 123456782 fails the elfproef");
}

static void test_bsn_normalise(void)
{
    norm_is("123456782", "123456782");
    norm_is("  123456782 ", "123456782");
    norm_is("\t123456782\t", "123456782");
    norm_is("12345672", "012345672");    /* legacy: left-padded */
    norm_is(" 1234567 2 ", "012345672"); /* legacy with a space */
    norm_is("1234.56.782", "123456782");
    norm_is("123.456.782", "123456782");
    norm_is("123 456 782", "123456782");
    norm_is(" 123 456 782 ", "123456782");
    norm_is("1234 56 782", "123456782");
    norm_is("123456783", "123456783"); /* elfproef is not normalise's job */
    norm_is("000000000", "000000000");

    norm_is("", NULL);
    norm_is("   ", NULL);
    norm_is(NULL, NULL);
    norm_is("1234567", NULL);    /* 7 digits */
    norm_is("1234567820", NULL); /* 10 digits */
    norm_is("12345678201234", NULL);
    norm_is("12345678a", NULL);
    norm_is("a23456782", NULL);
    norm_is("12345678O", NULL); /* letter O for zero */
    norm_is("123-456-782", NULL);
    norm_is("123..456782", NULL);
    norm_is("123  456782", NULL);
    norm_is(".123456782", NULL);
    norm_is("123456782.", NULL);
    norm_is("123.456 782", NULL); /* mixed separators */
    norm_is("123\t456782", NULL);
    norm_is("+123456782", NULL);
    norm_is("-123456782", NULL);
    {
        char out[10];
        CHECK(bsn_normalise("123456782\n", out) == -1, "trailing newline refused");
    }
}

static void test_bsn_check(void)
{
    char out[10];
    const char *why = "unset";
    CHECK(bsn_check(" 1234.56.782 ", out, &why) == 0 && why == NULL, "check accepts a dotted valid BSN");
    CHECK_STR(out, "123456782", "check writes the normalised BSN");
    CHECK(bsn_check("12345672", out, &why) == 0 && why == NULL, "check accepts a legacy 8-digit BSN");
    CHECK_STR(out, "012345672", "legacy BSN is padded");

    CHECK(bsn_check("123456783", out, &why) == -1 && out[0] == '\0', "check refuses a failed elfproef");
    CHECK_STR(why, "Dit BSN klopt niet. Controleer de cijfers.", "elfproef message");
    CHECK(bsn_check("000000000", out, &why) == -1, "check refuses 000000000");
    CHECK_STR(why, "Dit BSN klopt niet. Controleer de cijfers.", "zero BSN message");
    CHECK(bsn_check("1234567", out, &why) == -1, "check refuses 7 digits");
    CHECK_STR(why, "Een BSN heeft 9 cijfers.", "length message");
    CHECK(bsn_check("1234567820", out, &why) == -1, "check refuses 10 digits");
    CHECK_STR(why, "Een BSN heeft 9 cijfers.", "length message for too long");
    CHECK(bsn_check("12345678x", out, &why) == -1, "check refuses a letter");
    CHECK_STR(why, "Een BSN bestaat alleen uit cijfers.", "letters message");
    CHECK(bsn_check("  ", out, &why) == -1, "check refuses blank input");
    CHECK_STR(why, "Vul een BSN in.", "empty message");
    CHECK(bsn_check("123456782", out, NULL) == 0, "why may be NULL");
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void test_bsn_test_number(void)
{
    char s[10];
    bsn_test_number(0, s);
    CHECK_STR(s, "999900006", "test number 0 (hand-computed above)");
    bsn_test_number(1, s);
    CHECK_STR(s, "999900018", "test number 1");
    bsn_test_number(2, s);
    CHECK_STR(s, "999900031", "test number 2 (99990002x has no check digit)");
    bsn_test_number(9090, s);
    CHECK_STR(s, "999999990", "test number 9090 is the last of the 9999 range");
    bsn_test_number(9091, s);
    CHECK(strncmp(s, "9998", 4) == 0 && bsn_valid(s), "test number 9091 continues in 9998xxxxx (%s)", s);
    bsn_test_number(BSN_TEST_COUNT - 1, s);
    CHECK(strncmp(s, "9900", 4) == 0 && bsn_valid(s), "last test number is in 9900xxxxx (%s)", s);

    /* The whole 9999 range equals the brute-force enumeration of candidates. */
    uint32_t n = 0;
    int same = 1, first1000 = 1;
    for (uint32_t x = 999900000u; x <= 999999999u; x++) {
        char cand[10];
        snprintf(cand, sizeof cand, "%09u", (unsigned)x);
        if (!bsn_valid(cand)) continue;
        bsn_test_number(n, s);
        if (strcmp(s, cand) != 0) {
            same = 0;
            if (n < 1000) first1000 = 0;
        }
        n++;
    }
    CHECK(first1000, "first 1000 test numbers are the first 1000 valid 9999xxxxx candidates");
    CHECK(same && n == 9091, "all %u valid 9999xxxxx numbers, in order, match bsn_test_number", (unsigned)n);

    /* 0 .. 200,000 (every one, not just a sample): valid, 9 digits, start 99, distinct. */
    const uint32_t count = 200001;
    uint32_t *v = malloc(count * sizeof *v);
    int ok = v != NULL;
    for (uint32_t i = 0; ok && i < count; i++) {
        memset(s, 'x', sizeof s);
        bsn_test_number(i, s);
        if (strlen(s) != 9 || !bsn_valid(s) || s[0] != '9' || s[1] != '9') ok = 0;
        v[i] = (uint32_t)strtoul(s, NULL, 10);
    }
    CHECK(ok, "test numbers 0..200000 are 9-digit, elfproef-valid and start with 99");
    int distinct = ok;
    if (ok) {
        qsort(v, count, sizeof *v, cmp_u32);
        for (uint32_t i = 1; i < count; i++)
            if (v[i] == v[i - 1]) distinct = 0;
    }
    CHECK(distinct, "test numbers 0..200000 are all distinct");
    free(v);

    /* Deterministic. */
    char a[10], b[10];
    bsn_test_number(123456, a);
    bsn_test_number(123456, b);
    CHECK_STR(a, b, "same n gives the same number");
}

static void test_bsn_crypto(void)
{
    char dir[] = "/tmp/kantel-test-ident-XXXXXX";
    char path[64] = "";
    char err[256] = "";
    int have = mkdtemp(dir) != NULL;
    if (have) {
        snprintf(path, sizeof path, "%s/key", dir);
        have = keys_load(path, 1, err, sizeof err) == 0;
    }
    CHECK(have, "temporary key file loaded (%s)", err);
    if (!have) return;

    size_t len = bsn_seal_len();
    CHECK(len == 24 + 16 + 9, "sealed BSN is nonce + MAC + 9 bytes (%zu)", len);
    uint8_t sealed[64], sealed2[64];
    bsn_seal("123456782", sealed);
    bsn_seal("123456782", sealed2);
    CHECK(memcmp(sealed, sealed2, len) != 0, "two seals of the same BSN differ (random nonce)");
    CHECK(memmem(sealed, len, "123456782", 9) == NULL, "sealed bytes do not contain the digits");

    char out[10] = "x";
    CHECK(bsn_open(sealed, len, out) == 0, "open a sealed BSN");
    CHECK_STR(out, "123456782", "round trip gives the BSN back");
    CHECK(bsn_open(sealed2, len, out) == 0 && strcmp(out, "123456782") == 0, "second seal opens too");

    int tamper_caught = 1;
    for (size_t i = 0; i < len; i++) {
        uint8_t t[64];
        memcpy(t, sealed, len);
        t[i] ^= 0x01;
        if (bsn_open(t, len, out) != -1 || out[0] != '\0') tamper_caught = 0;
    }
    CHECK(tamper_caught, "flipping any bit of nonce, MAC or ciphertext is detected");
    CHECK(bsn_open(sealed, len - 1, out) == -1, "truncated sealed BSN refused");
    CHECK(bsn_open(sealed, len + 1, out) == -1, "over-long sealed BSN refused");
    CHECK(bsn_open(NULL, len, out) == -1, "NULL refused");

    uint8_t odd[64];
    keys_seal(KEY_BSN_ENC, "12345678x", 9, odd);
    CHECK(bsn_open(odd, len, out) == -1, "authentic box that holds no 9 digits refused");
    keys_seal(KEY_TOTP, "123456782", 9, odd);
    CHECK(bsn_open(odd, len, out) == -1, "box sealed with another purpose key refused");

    uint8_t h1[32], h2[32], h3[32];
    bsn_lookup_hash("123456782", h1);
    bsn_lookup_hash("123456782", h2);
    bsn_lookup_hash("111222333", h3);
    CHECK(memcmp(h1, h2, 32) == 0, "lookup hash equal for equal BSNs");
    CHECK(memcmp(h1, h3, 32) != 0, "lookup hash differs for different BSNs");
    char n1[10], n2[10];
    bsn_normalise("1234.56.782", n1);
    bsn_normalise(" 123 456 782", n2);
    bsn_lookup_hash(n1, h2);
    bsn_lookup_hash(n2, h3);
    CHECK(memcmp(h1, h2, 32) == 0 && memcmp(h2, h3, 32) == 0, "written forms hash alike after normalising");
    static const uint8_t zero[32];
    CHECK(memcmp(h1, zero, 32) != 0, "hash is not all zero");

    unlink(path);
    rmdir(dir);
}

static void test_bsn_mask(void)
{
    char m[12];
    bsn_mask("123456782", m);
    CHECK_STR(m, "******782", "mask keeps the last 3 digits");
    bsn_mask("012345672", m);
    CHECK_STR(m, "******672", "mask of a padded BSN");
    char shortbsn[10] = "12345";
    bsn_mask(shortbsn, m);
    CHECK_STR(m, "*********", "mask of malformed input shows nothing");
}

static void pc_is(const char *in, const char *want)
{
    char out[7] = "x";
    int rc = postcode_normalise(in, out);
    if (want) {
        CHECK(rc == 0 && strcmp(out, want) == 0, "postcode \"%s\" -> %s (got rc %d, \"%s\")", in, want, rc, out);
        CHECK(postcode_why(in) == NULL, "postcode_why(\"%s\") is NULL", in);
    } else {
        CHECK(rc == -1 && out[0] == '\0', "postcode \"%s\" refused (got rc %d, \"%s\")", in, rc, out);
        CHECK(postcode_why(in) != NULL, "postcode_why(\"%s\") explains", in);
    }
}

static void test_postcode(void)
{
    pc_is("1234AB", "1234AB");
    pc_is("1234 AB", "1234AB");
    pc_is("1234 ab", "1234AB");
    pc_is(" 1234ab ", "1234AB");
    pc_is("\t9999zz", "9999ZZ");
    pc_is("1000AA", "1000AA");
    pc_is("1234Sb", "1234SB"); /* only SA, SD, SS are unused */
    pc_is("1234AS", "1234AS");

    pc_is("0123AB", NULL);
    pc_is("1234SA", NULL);
    pc_is("1234SD", NULL);
    pc_is("1234ss", NULL);
    pc_is("1234 sd", NULL);
    pc_is("1234 A", NULL);
    pc_is("1234A", NULL);
    pc_is("12345AB", NULL);
    pc_is("123AB", NULL);
    pc_is("1234  AB", NULL);
    pc_is("1234-AB", NULL);
    pc_is("1234A1", NULL);
    pc_is("1234ÄB", NULL);
    pc_is("ABCD12", NULL);
    pc_is("1234ABC", NULL);
    pc_is("", NULL);
    pc_is(NULL, NULL);

    CHECK_STR(postcode_why("12"), "Een postcode is 4 cijfers en 2 letters, bijvoorbeeld 1234 AB.", "form message");
    CHECK_STR(postcode_why(" "), "Vul een postcode in.", "empty message");
    CHECK(postcode_why("0123AB") != NULL && strstr(postcode_why("0123AB"), "0") != NULL, "leading zero message");
    CHECK(postcode_why("1234SS") != NULL && strstr(postcode_why("1234SS"), "letters") != NULL, "SA/SD/SS message");

    char f[8];
    postcode_format("1234AB", f);
    CHECK_STR(f, "1234 AB", "format inserts the space");
    char n[7];
    postcode_normalise(" 9711 lm", n);
    postcode_format(n, f);
    CHECK_STR(f, "9711 LM", "normalise then format");
}

static void test_codes(void)
{
    CHECK(gemeente_code_valid("0363") && gemeente_code_valid("0599"), "gemeente codes 0363, 0599");
    CHECK(!gemeente_code_valid("363") && !gemeente_code_valid("03630") && !gemeente_code_valid("03a3") &&
              !gemeente_code_valid("GM0363") && !gemeente_code_valid("") && !gemeente_code_valid(NULL),
          "gemeente code must be exactly 4 digits");

    CHECK(cbs_area_code_valid("GM0363", 'G'), "GM0363");
    CHECK(cbs_area_code_valid("WK036301", 'W'), "WK036301");
    CHECK(cbs_area_code_valid("BU03630101", 'B'), "BU03630101");
    CHECK(!cbs_area_code_valid("gm0363", 'G'), "lower-case prefix refused");
    CHECK(!cbs_area_code_valid("GM363", 'G') && !cbs_area_code_valid("GM03630", 'G'), "GM needs 4 digits");
    CHECK(!cbs_area_code_valid("WK0363", 'W') && !cbs_area_code_valid("WK0363010", 'W'), "WK needs 6 digits");
    CHECK(!cbs_area_code_valid("BU036301", 'B') && !cbs_area_code_valid("BU036301010", 'B'), "BU needs 8 digits");
    CHECK(!cbs_area_code_valid("GM0363", 'W') && !cbs_area_code_valid("WK036301", 'B') &&
              !cbs_area_code_valid("BU03630101", 'G'),
          "prefix must match the kind");
    CHECK(!cbs_area_code_valid("GM0363", 'X') && !cbs_area_code_valid("GM0363", 'g'), "unknown kind refused");
    CHECK(!cbs_area_code_valid("G", 'G') && !cbs_area_code_valid("", 'G') && !cbs_area_code_valid(NULL, 'G'),
          "short, empty and NULL refused");
    CHECK(!cbs_area_code_valid("BU0363010a", 'B'), "letter in area digits refused");

    CHECK(agb_code_valid("12345678") && agb_code_valid("00000001"), "AGB 8 digits");
    CHECK(!agb_code_valid("1234567") && !agb_code_valid("123456789") && !agb_code_valid("1234567a") &&
              !agb_code_valid(" 12345678") && !agb_code_valid(NULL),
          "AGB must be exactly 8 digits");
}

static void test_house_number(void)
{
    CHECK(house_number_valid("1", NULL), "1");
    CHECK(house_number_valid("99999", ""), "99999 with empty addition");
    CHECK(house_number_valid("12", "A"), "12 A");
    CHECK(house_number_valid("12", "bis"), "12 bis");
    CHECK(house_number_valid("12", "2-3"), "12 2-3");
    CHECK(house_number_valid("7", "A-1b"), "addition of 4 characters");
    CHECK(!house_number_valid("0", NULL), "0 refused");
    CHECK(!house_number_valid("012", NULL), "leading zero refused");
    CHECK(!house_number_valid("100000", NULL), "6 digits refused");
    CHECK(!house_number_valid("", NULL) && !house_number_valid(NULL, NULL), "empty and NULL refused");
    CHECK(!house_number_valid("12a", NULL), "letter in the number refused");
    CHECK(!house_number_valid(" 12", NULL) && !house_number_valid("-12", NULL), "space or sign refused");
    CHECK(!house_number_valid("12", "ABCDE"), "addition of 5 characters refused");
    CHECK(!house_number_valid("12", "A B"), "space in addition refused");
    CHECK(!house_number_valid("12", "A/B") && !house_number_valid("12", "é"), "other characters refused");
}

int main(void)
{
    test_bsn_valid();
    test_bsn_normalise();
    test_bsn_check();
    test_bsn_test_number();
    test_bsn_crypto();
    test_bsn_mask();
    test_postcode();
    test_codes();
    test_house_number();
    return t_done();
}
