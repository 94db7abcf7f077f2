/*
 * parse.c - strict parsers for query strings, urlencoded bodies, Cookie
 * headers and UTF-8 (see parse.h).
 *
 * Every pair goes through the same two steps: copy (and for urlencoded
 * input, %-decode) into arena memory, then validate the copy as UTF-8 and
 * for control characters. Any failure rejects the whole input; *out is only
 * filled in on success. Nothing outside s[0..len) is ever read.
 *
 * Duplicate detection compares each key with the earlier ones, so the work
 * is quadratic in the number of pairs; callers bound it with max_pairs.
 */
#include "http/parse.h"

#include <stdint.h>
#include <string.h>

/* ---- UTF-8 ------------------------------------------------------------ */

int utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        unsigned c = p[i];
        size_t more;               /* continuation bytes after the lead byte */
        unsigned lo = 0x80, hi = 0xBF; /* allowed range of the first one */

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            more = 1;
        } else if (c == 0xE0) {
            more = 2, lo = 0xA0;   /* no overlong 3-byte forms */
        } else if (c == 0xED) {
            more = 2, hi = 0x9F;   /* no surrogates U+D800..U+DFFF */
        } else if (c >= 0xE1 && c <= 0xEF) {
            more = 2;
        } else if (c == 0xF0) {
            more = 3, lo = 0x90;   /* no overlong 4-byte forms */
        } else if (c >= 0xF1 && c <= 0xF3) {
            more = 3;
        } else if (c == 0xF4) {
            more = 3, hi = 0x8F;   /* nothing above U+10FFFF */
        } else {
            return 0;              /* 0x80..0xC1 (stray or overlong), 0xF5.. */
        }
        if (n - i <= more) return 0;
        if (p[i + 1] < lo || p[i + 1] > hi) return 0;
        for (size_t k = 2; k <= more; k++)
            if ((p[i + k] & 0xC0) != 0x80) return 0;
        i += more + 1;
    }
    return 1;
}

size_t utf8_len(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) count++;
    return count;
}

/* ---- helpers ---------------------------------------------------------- */

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes s[0..n) (%XX always, '+' as space) into a new NUL-terminated
 * arena string. The result is never longer than the input. */
static int url_decode(arena_t *a, const char *s, size_t n, char **out, size_t *outlen)
{
    char *d = arena_alloc(a, n + 1);
    size_t j = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            if (n - i < 3) return PARSE_E_ESCAPE;
            int h = hexval((unsigned char)s[i + 1]), l = hexval((unsigned char)s[i + 2]);
            if (h < 0 || l < 0) return PARSE_E_ESCAPE;
            d[j++] = (char)(h << 4 | l);
            i += 2;
        } else if (c == '+') {
            d[j++] = ' ';
        } else {
            d[j++] = (char)c;
        }
    }
    d[j] = '\0';
    *out = d;
    *outlen = j;
    return PARSE_OK;
}

/* Valid UTF-8 without NUL or C0 controls; values may hold TAB, LF and CR. */
static int check_text(const char *s, size_t n, int is_value)
{
    if (!utf8_valid(s, n)) return PARSE_E_UTF8;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20) continue;
        if (is_value && (c == '\t' || c == '\n' || c == '\r')) continue;
        return PARSE_E_NUL;
    }
    return PARSE_OK;
}

static int is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* Number of fields between separators that are not empty (or, with
 * skip_blank, not only spaces and tabs). */
static size_t count_fields(const char *s, size_t len, char sep, int skip_blank)
{
    size_t count = 0;
    int content = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == sep) {
            count += content;
            content = 0;
        } else if (!skip_blank || !is_ows(s[i])) {
            content = 1;
        }
    }
    return count;
}

static int seen_key(const struct kv *items, size_t n, const char *key)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(items[k].key, key) == 0) return 1;
    return 0;
}

/* Allocates room for `fields` pairs, or reports PARSE_E_TOO_MANY. */
static int alloc_items(arena_t *a, size_t fields, size_t max_pairs, struct kv **items)
{
    if (fields > max_pairs || fields > SIZE_MAX / sizeof **items) return PARSE_E_TOO_MANY;
    *items = arena_alloc(a, fields * sizeof **items);
    return PARSE_OK;
}

/* ---- application/x-www-form-urlencoded -------------------------------- */

int parse_urlencoded(arena_t *a, const char *s, size_t len, size_t max_pairs, struct kvlist *out)
{
    struct kv *items;
    size_t n = 0, i = 0;
    int rc;

    out->items = NULL;
    out->n = 0;
    if (len == 0) return PARSE_OK;
    rc = alloc_items(a, count_fields(s, len, '&', 0), max_pairs, &items);
    if (rc) return rc;

    while (i < len) {
        const char *seg = s + i;
        const char *amp = memchr(seg, '&', len - i);
        size_t seglen = amp ? (size_t)(amp - seg) : len - i;
        i += seglen + 1;
        if (amp == seg) continue; /* empty segment */

        const char *eq = memchr(seg, '=', seglen);
        size_t klen = eq ? (size_t)(eq - seg) : seglen;
        if (klen == 0) return PARSE_E_SYNTAX;

        char *key, *val;
        size_t keylen, vallen;
        if ((rc = url_decode(a, seg, klen, &key, &keylen))) return rc;
        if (eq) {
            rc = url_decode(a, eq + 1, seglen - klen - 1, &val, &vallen);
            if (rc) return rc;
        } else {
            val = arena_strdup(a, "");
            vallen = 0;
        }
        if ((rc = check_text(key, keylen, 0))) return rc;
        if ((rc = check_text(val, vallen, 1))) return rc;
        if (seen_key(items, n, key)) return PARSE_E_DUPLICATE;
        items[n].key = key;
        items[n].val = val;
        items[n].val_len = vallen;
        n++;
    }
    out->items = items;
    out->n = n;
    return PARSE_OK;
}

/* ---- Cookie header ---------------------------------------------------- */

/* RFC 7230 tchar. */
static int is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return 1;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

int parse_cookies(arena_t *a, const char *s, size_t len, size_t max_pairs, struct kvlist *out)
{
    struct kv *items;
    size_t n = 0, i = 0;
    int rc;

    out->items = NULL;
    out->n = 0;
    if (len == 0) return PARSE_OK;
    rc = alloc_items(a, count_fields(s, len, ';', 1), max_pairs, &items);
    if (rc) return rc;

    while (i < len) {
        const char *seg = s + i;
        const char *semi = memchr(seg, ';', len - i);
        size_t seglen = semi ? (size_t)(semi - seg) : len - i;
        i += seglen + 1;

        while (seglen > 0 && is_ows(seg[0])) seg++, seglen--;
        while (seglen > 0 && is_ows(seg[seglen - 1])) seglen--;
        if (seglen == 0) continue;

        const char *eq = memchr(seg, '=', seglen);
        if (!eq) return PARSE_E_SYNTAX;
        size_t nlen = (size_t)(eq - seg);
        while (nlen > 0 && is_ows(seg[nlen - 1])) nlen--;
        if (nlen == 0) return PARSE_E_SYNTAX;
        for (size_t k = 0; k < nlen; k++)
            if (!is_tchar((unsigned char)seg[k])) return PARSE_E_SYNTAX;

        const char *val = eq + 1;
        size_t vlen = seglen - (size_t)(val - seg);
        while (vlen > 0 && is_ows(val[0])) val++, vlen--;
        if (vlen >= 2 && val[0] == '"' && val[vlen - 1] == '"') val++, vlen -= 2;
        if ((rc = check_text(val, vlen, 1))) return rc;

        char *name = arena_strndup(a, seg, nlen);
        if (seen_key(items, n, name)) continue; /* the first one wins */
        items[n].key = name;
        items[n].val = arena_strndup(a, val, vlen);
        items[n].val_len = vlen;
        n++;
    }
    out->items = items;
    out->n = n;
    return PARSE_OK;
}

/* ---- lookup and messages ---------------------------------------------- */

const char *kv_get(const struct kvlist *l, const char *key)
{
    if (!l || !key) return NULL;
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].key, key) == 0) return l->items[i].val;
    return NULL;
}

const char *parse_strerror(int code)
{
    switch (code) {
    case PARSE_OK: return "Er is geen fout opgetreden.";
    case PARSE_E_ESCAPE: return "Het verzoek bevat een ongeldige procentcodering.";
    case PARSE_E_UTF8: return "Het verzoek bevat een ongeldige tekenreeks.";
    case PARSE_E_NUL: return "Het verzoek bevat niet-toegestane stuurtekens.";
    case PARSE_E_TOO_MANY: return "Het verzoek bevat te veel velden.";
    case PARSE_E_SYNTAX: return "Het verzoek is niet goed opgebouwd.";
    case PARSE_E_DUPLICATE: return "Het verzoek bevat een veld dat twee keer voorkomt.";
    default: return "Het verzoek is ongeldig.";
    }
}
