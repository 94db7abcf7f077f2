/*
 * password.c - argon2id password hashes (libsodium crypto_pwhash_str_alg) and
 * the password policy of ASVS 5.0 level 2 (see password.h).
 *
 * Global state, each set up once and never freed:
 *  - the common-password list: the embedded asset data/common-passwords.txt
 *    copied once (pthread_once), lower-cased, split into a sorted array of
 *    strings and searched with bsearch;
 *  - the dummy hash: argon2id of 32 random bytes, computed once (pthread_once);
 *  - the hash costs, lowered only by password_set_cost_for_tests(), which must
 *    run before any other thread uses this module.
 */
#include "auth/password.h"

#include "core/assets.h"
#include "core/buf.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(PASSWORD_HASH_MAX == crypto_pwhash_STRBYTES, "PASSWORD_HASH_MAX");

#define ARGON2ID_PREFIX "$argon2id$"

static unsigned long long hash_opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t hash_memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

/* Not declared in password.h (which names it): tests declare it themselves. */
void password_set_cost_for_tests(void);
void password_set_cost_for_tests(void)
{
    hash_opslimit = crypto_pwhash_OPSLIMIT_MIN;
    hash_memlimit = crypto_pwhash_MEMLIMIT_MIN;
}

/* ---- hashing ---- */

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
    out[0] = '\0';
    if (!pw || sodium_init() < 0) return -1;
    if (crypto_pwhash_str_alg(out, pw, strlen(pw), hash_opslimit, hash_memlimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

int password_verify(const char *hash, const char *pw)
{
    if (!hash || !pw || sodium_init() < 0) return -1;
    /* Only Kantel's format, and a NUL within the buffer size libsodium reads. */
    if (strnlen(hash, PASSWORD_HASH_MAX) >= PASSWORD_HASH_MAX) return -1;
    if (strncmp(hash, ARGON2ID_PREFIX, sizeof ARGON2ID_PREFIX - 1) != 0) return -1;
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0 ? 0 : -1;
}

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[PASSWORD_HASH_MAX];

static void dummy_init(void)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "password: libsodium failed to initialise\n");
        abort();
    }
    unsigned char raw[32];
    char pw[sizeof raw * 2 + 1];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(pw, sizeof pw, raw, sizeof raw);
    if (password_hash(pw, dummy_hash) != 0) {
        /* Out of memory for argon2id: the house rule is to abort. */
        fprintf(stderr, "password: out of memory computing the dummy hash\n");
        abort();
    }
    sodium_memzero(raw, sizeof raw);
    sodium_memzero(pw, sizeof pw);
}

const char *password_dummy_hash(void)
{
    pthread_once(&dummy_once, dummy_init);
    return dummy_hash;
}

/* ---- common-password list ---- */

static pthread_once_t common_once = PTHREAD_ONCE_INIT;
static char *common_text;    /* the lower-cased copy of the asset */
static char **common_list;   /* sorted, lower case; points into common_text */
static size_t common_count;
static size_t common_maxlen; /* longest entry, in bytes */

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void common_init(void)
{
    const struct asset *a = asset_find("data/common-passwords.txt");
    if (!a) {
        /* The Makefile always embeds the list: its absence is a build bug. */
        fprintf(stderr, "password: data/common-passwords.txt is not embedded\n");
        abort();
    }
    char *text = common_text = xmalloc(a->len + 1);
    size_t lines = 1;
    for (size_t i = 0; i < a->len; i++) {
        text[i] = ascii_lower(a->data[i]);
        if (text[i] == '\n') lines++;
    }
    text[a->len] = '\0';

    common_list = xmalloc(lines * sizeof *common_list);
    char *p = text;
    while (*p) {
        char *nl = strchr(p, '\n');
        char *end = nl ? nl : p + strlen(p);
        if (end > p && end[-1] == '\r') end--;
        char *next = nl ? nl + 1 : end;
        *end = '\0';
        size_t len = (size_t)(end - p);
        if (len > 0) {
            common_list[common_count++] = p;
            if (len > common_maxlen) common_maxlen = len;
        }
        p = next;
    }
    qsort(common_list, common_count, sizeof *common_list, cmp_str);
}

int password_is_common(const char *pw)
{
    if (!pw) return 0;
    pthread_once(&common_once, common_init);
    size_t len = strlen(pw);
    if (len == 0 || len > common_maxlen) return 0;
    char *low = xmalloc(len + 1);
    for (size_t i = 0; i <= len; i++) low[i] = ascii_lower(pw[i]);
    const char *key = low;
    int found = bsearch(&key, common_list, common_count, sizeof *common_list, cmp_str) != NULL;
    free(low);
    return found;
}

/* ---- policy ---- */

/* Number of code points in the valid UTF-8 string s, or -1 when s is not
 * valid UTF-8 (overlong forms, surrogates and values above U+10FFFF included). */
static long utf8_count(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    long n = 0;
    while (*p) {
        unsigned c = *p;
        int extra;
        uint32_t cp, min;
        if (c < 0x80) {
            p++;
            n++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            extra = 1, cp = c & 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            extra = 2, cp = c & 0x0f, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            extra = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return -1;
        }
        p++;
        for (int i = 0; i < extra; i++, p++) {
            if ((*p & 0xc0) != 0x80) return -1; /* also stops at the NUL */
            cp = (cp << 6) | (*p & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
        n++;
    }
    return n;
}

/* 1 when needle occurs in hay, ASCII letters compared case-insensitively. */
static int contains_nocase(const char *hay, const char *needle)
{
    size_t hn = strlen(hay), nn = strlen(needle);
    if (nn == 0 || nn > hn) return 0;
    for (size_t i = 0; i + nn <= hn; i++) {
        size_t j = 0;
        while (j < nn && ascii_lower(hay[i + j]) == ascii_lower(needle[j])) j++;
        if (j == nn) return 1;
    }
    return 0;
}

const char *password_policy(const char *pw, const char *username)
{
    if (!pw) pw = "";
    long chars = utf8_count(pw);
    if (chars < 0)
        return "Het wachtwoord bevat tekens die we niet kunnen lezen. Typ het wachtwoord opnieuw.";
    if (chars < PASSWORD_MIN_CHARS) return "Kies een wachtwoord van minstens 8 tekens.";
    if (chars > PASSWORD_MAX_CHARS) return "Een wachtwoord mag hoogstens 128 tekens hebben.";
    if (password_is_common(pw))
        return "Dit wachtwoord komt voor in lijsten van veelgebruikte wachtwoorden. "
               "Kies een ander wachtwoord.";
    if (username && utf8_count(username) >= 3) {
        if (strlen(pw) == strlen(username) && contains_nocase(pw, username))
            return "Uw wachtwoord mag niet hetzelfde zijn als uw gebruikersnaam.";
        if (contains_nocase(pw, username))
            return "Uw wachtwoord mag uw gebruikersnaam niet bevatten.";
    }
    return NULL;
}
