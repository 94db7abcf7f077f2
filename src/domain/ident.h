/*
 * ident.h - Dutch identifiers: BSN, postcode, CBS area codes, AGB code and
 * house numbers (DOMAIN.md §9).
 *
 * Pure functions: no database, no HTTP, no allocation. Every output goes into
 * a caller-supplied fixed-size array, so nothing here needs freeing. The BSN
 * helpers that touch secrets (bsn_seal, bsn_open, bsn_lookup_hash) need a
 * successful keys_load() first; all other functions work without keys.
 *
 * Conventions: *_normalise returns 0 or -1; *_valid returns 1 or 0; the Dutch
 * sentences returned for forms are static strings (B1 level), never freed.
 * Functions taking "bsn[10]" expect a normalised BSN: exactly 9 ASCII digits
 * and a NUL, as written by bsn_normalise(); anything else is a programming
 * error and aborts (assert).
 */
#ifndef KANTEL_IDENT_H
#define KANTEL_IDENT_H

#include <stddef.h>
#include <stdint.h>

/* ---- BSN (burgerservicenummer) ------------------------------------------ */

/* Normalises typed input to 9 digits + NUL in out. Accepted: optional
 * surrounding spaces/tabs around 9 digits, or 8 digits (legacy sofinummer,
 * left-padded with 0); the digits may be grouped with single dots or single
 * spaces between them ("1234.56.782", "123 456 782"), one kind of separator
 * per number. Anything else (letters, other punctuation, doubled or leading
 * separators, 7 or 10+ digits) returns -1 and leaves out as "". The elfproef
 * is NOT checked here: see bsn_valid / bsn_check. */
int bsn_normalise(const char *in, char out[10]);

/* 1 when nine_digits is exactly 9 digits (NUL-terminated) that pass the
 * 11-proof (9·d1 + 8·d2 + … + 2·d8 − 1·d9 ≡ 0 mod 11) and are not 000000000
 * (iStandaarden rule CS002); 0 otherwise, including for NULL. */
int bsn_valid(const char *nine_digits);

/* bsn_normalise + bsn_valid. Returns 0 with the normalised BSN in out and
 * *why = NULL, or -1 with out = "" and *why a static Dutch sentence for the
 * form. why may be NULL when the caller does not need the reason. */
int bsn_check(const char *in, char out[10], const char **why);

/* Number of distinct test BSNs bsn_test_number can produce. */
#define BSN_TEST_COUNT 909091u

/* Writes the n-th fictional test BSN (9 digits + NUL), for demo data and
 * tests; deterministic, distinct for distinct n, always elfproef-valid, a
 * few hundred integer operations per call.
 *   n = 0 … 9090:  the conventional test range 9999xxxxx in ascending order,
 *                  i.e. 999900006, 999900018, 999900031, … 999999990 - exactly
 *                  the candidates 9999xxxxx that pass the elfproef.
 *   n = 9091 … :   continues in the neighbouring blocks 9998xxxxx, 9997xxxxx,
 *                  … 9900xxxxx (block by block downwards, ascending inside a
 *                  block), so all test BSNs start with 99 and stay next to the
 *                  test range. Unlike 9999xxxxx these blocks are not a known
 *                  test convention; they were picked only to stay adjacent
 *                  to it, so keep demo data below n = 9091 where possible.
 * n must be < BSN_TEST_COUNT (aborts otherwise). */
void bsn_test_number(uint32_t n, char out[10]);

/* Size of a sealed BSN (nonce || secretbox of the 9 digits). */
size_t bsn_seal_len(void);
/* Encrypts bsn with the KEY_BSN_ENC key into out (bsn_seal_len() bytes).
 * A fresh random nonce per call, so equal BSNs give different ciphertexts. */
void bsn_seal(const char bsn[10], uint8_t *out);
/* Decrypts a sealed BSN into out (9 digits + NUL). Returns 0, or -1 (out = "")
 * when n is not bsn_seal_len(), the data was tampered with or was sealed with
 * another key, or the plaintext is not 9 digits. */
int bsn_open(const uint8_t *sealed, size_t n, char out[10]);
/* Keyed BLAKE2b-256 of the 9 digits with the KEY_BSN_HASH key. For equality
 * lookup only ("is this BSN already registered?"): it is deterministic, so it
 * must never be shown, exported or logged, and it is not a substitute for
 * bsn_seal when the number itself is needed back. */
void bsn_lookup_hash(const char bsn[10], uint8_t out[32]);

/* Writes "******782": the last 3 digits only, for screens where the full
 * number is not needed. Input that is not 9 digits gives "*********". */
void bsn_mask(const char bsn[10], char out[12]);

/* ---- Postcode ----------------------------------------------------------- */

/* Normalises to "1234AB" + NUL: accepts surrounding spaces/tabs, one optional
 * space between digits and letters, lower-case letters. Valid is a first
 * digit 1-9, three more digits and two letters A-Z, except the unused letter
 * pairs SA, SD and SS. Returns 0, or -1 with out = "". */
int postcode_normalise(const char *in, char out[7]);
/* "1234AB" -> "1234 AB". in must be normalised (postcode_normalise); other
 * input is copied unchanged (truncated to 7 characters). */
void postcode_format(const char in[7], char out[8]);
/* NULL when in is a valid postcode (any accepted form), else a static Dutch
 * sentence for the form. */
const char *postcode_why(const char *in);

/* ---- CBS, AGB, house numbers -------------------------------------------- */

/* 1 when s is a CBS municipality code: exactly 4 digits ("0363"). */
int gemeente_code_valid(const char *s);
/* 1 when s is a CBS area code of the given kind: 'G' gemeente "GM0363",
 * 'W' wijk "WK036301", 'B' buurt "BU03630101" (upper-case prefix); 0 for any
 * other kind or form. */
int cbs_area_code_valid(const char *s, char kind);
/* 1 when s is an AGB code (care provider): exactly 8 digits. */
int agb_code_valid(const char *s);
/* 1 when number is 1..99999 written without leading zeros and addition is
 * NULL, "" or up to 4 characters from A-Z, a-z, 0-9 and '-'. */
int house_number_valid(const char *number, const char *addition);

#endif
