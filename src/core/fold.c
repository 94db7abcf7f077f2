/*
 * fold.c - search folding (see fold.h). Latin-1 Supplement (U+00C0..U+00FF)
 * and Latin Extended-A (U+0100..U+017F) are mapped through two tables; every
 * other code point is copied (lower-cased only for ASCII).
 */
#include "core/fold.h"

#include <stdint.h>
#include <string.h>

/* U+00C0..U+00FF; "" = separator (× ÷). */
static const char *const latin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",  /* C0-CF */
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "ss", /* D0-DF */
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",  /* E0-EF */
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "y",  /* F0-FF */
};

/* U+0100..U+017F in pairs (upper, lower) mostly; listed one by one. */
static const char *const ext_a[128] = {
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",   /* 0100 */
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",   /* 0110 */
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",   /* 0120 */
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l", /* 0130 */
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",   /* 0140 */
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s", /* 0150 */
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",   /* 0160 */
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",   /* 0170 */
};

/* Decodes one UTF-8 sequence; returns its length, or 0 when invalid. */
static size_t utf8_next(const unsigned char *p, size_t n, uint32_t *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    size_t len = (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3 : (p[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || len > n) return 0;
    uint32_t v = p[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (p[i] & 0x3F);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

struct out {
    char *p;
    size_t len, cap;
    int space; /* a separator is pending */
};

static int put(struct out *o, const char *s, size_t n)
{
    if (n == 0) {
        o->space = 1;
        return 1;
    }
    size_t need = n + (o->space && o->len ? 1 : 0);
    if (o->len + need + 1 > o->cap) return 0;
    if (o->space && o->len) o->p[o->len++] = ' ';
    o->space = 0;
    memcpy(o->p + o->len, s, n);
    o->len += n;
    return 1;
}

size_t fold_text(const char *s, size_t n, char *out, size_t cap)
{
    if (cap == 0) return 0;
    struct out o = {out, 0, cap, 0};
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    int ok = 1;
    while (ok && i < n) {
        uint32_t cp = 0;
        size_t len = utf8_next(p + i, n - i, &cp);
        if (len == 0) {
            ok = put(&o, "", 0);
            i++;
            continue;
        }
        if (cp < 0x80) {
            char c = (char)cp;
            if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
            int word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            ok = word ? put(&o, &c, 1) : put(&o, "", 0);
        } else if (cp >= 0xC0 && cp <= 0xFF) {
            ok = put(&o, latin1[cp - 0xC0], strlen(latin1[cp - 0xC0]));
        } else if (cp >= 0x100 && cp <= 0x17F) {
            ok = put(&o, ext_a[cp - 0x100], strlen(ext_a[cp - 0x100]));
        } else if (cp < 0xC0 || (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F)) {
            ok = put(&o, "", 0); /* Latin-1 punctuation, general punctuation, symbols */
        } else {
            ok = put(&o, (const char *)p + i, len); /* other scripts as they are */
        }
        i += len;
    }
    out[o.len] = '\0';
    return o.len;
}
