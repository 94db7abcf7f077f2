/*
 * parse.c - strict parsers for query strings, urlencoded and multipart bodies,
 * Cookie headers and UTF-8 (see parse.h).
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
#include <strings.h>

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

/* ---- multipart/form-data ---------------------------------------------- */

/* One ';'-separated "name=value" parameter of a header value. */
struct hparam {
    const char *name, *val;
    size_t nlen, vlen;
};

/* Reads the next parameter of header value s[0..n) from *i: 1 with *p set, 0
 * at the end, PARSE_E_SYNTAX when malformed. OWS is allowed around ';' only;
 * a value is a token or a quoted string without escapes (see parse.h). */
static int next_param(const char *s, size_t n, size_t *i, struct hparam *p)
{
    size_t k = *i;
    while (k < n && is_ows(s[k])) k++;
    if (k == n) {
        *i = k;
        return 0;
    }
    if (s[k] != ';') return PARSE_E_SYNTAX;
    k++;
    while (k < n && is_ows(s[k])) k++;
    size_t start = k;
    while (k < n && is_tchar((unsigned char)s[k])) k++;
    if (k == start || k == n || s[k] != '=') return PARSE_E_SYNTAX;
    p->name = s + start;
    p->nlen = k - start;
    k++;
    if (k < n && s[k] == '"') {
        start = ++k;
        while (k < n && s[k] != '"') k++;
        if (k == n) return PARSE_E_SYNTAX;
        p->val = s + start;
        p->vlen = k - start;
        k++;
    } else {
        start = k;
        while (k < n && is_tchar((unsigned char)s[k])) k++;
        if (k == start) return PARSE_E_SYNTAX;
        p->val = s + start;
        p->vlen = k - start;
    }
    *i = k;
    return 1;
}

static int word_is(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

/* RFC 2046 bchars: DIGIT / ALPHA / "'()+_,-./:=? " (not ending in a space). */
static int is_bchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return 1;
    return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

/* The boundary of a "multipart/form-data; boundary=..." header value. */
static int mp_boundary(const char *ct, const char **b, size_t *blen)
{
    static const char type[] = "multipart/form-data";
    struct hparam hp;
    size_t n, i = sizeof type - 1;
    int rc;

    *b = NULL;
    *blen = 0;
    if (!ct) return PARSE_E_MP_BOUNDARY;
    n = strlen(ct);
    if (n < i || strncasecmp(ct, type, i) != 0) return PARSE_E_MP_BOUNDARY;
    while ((rc = next_param(ct, n, &i, &hp)) == 1) {
        if (!word_is(hp.name, hp.nlen, "boundary")) continue;
        if (*b) return PARSE_E_MP_BOUNDARY; /* two boundaries: ambiguous */
        *b = hp.val;
        *blen = hp.vlen;
    }
    if (rc < 0 || !*b || *blen < 1 || *blen > PARSE_MP_MAX_BOUNDARY || (*b)[*blen - 1] == ' ')
        return PARSE_E_MP_BOUNDARY;
    for (size_t k = 0; k < *blen; k++)
        if (!is_bchar((unsigned char)(*b)[k])) return PARSE_E_MP_BOUNDARY;
    return PARSE_OK;
}

/* What the header lines of one part said; pointers into the body. */
struct mp_part {
    const char *name, *filename, *ctype; /* NULL when absent */
    size_t nlen, fnlen, ctlen;
    int has_disposition;
};

/* Content-Disposition: form-data; name="..."[; filename="..."]. */
static int mp_disposition(const char *v, size_t n, struct mp_part *p)
{
    struct hparam hp;
    size_t k = 0;
    int rc;

    while (k < n && is_tchar((unsigned char)v[k])) k++;
    if (!word_is(v, k, "form-data")) return PARSE_E_MP_NAME;
    while ((rc = next_param(v, n, &k, &hp)) == 1) {
        if (word_is(hp.name, hp.nlen, "name")) {
            if (p->name) return PARSE_E_SYNTAX;
            p->name = hp.val;
            p->nlen = hp.vlen;
        } else if (word_is(hp.name, hp.nlen, "filename")) {
            if (p->filename) return PARSE_E_SYNTAX;
            p->filename = hp.val;
            p->fnlen = hp.vlen;
        }
        /* other parameters (filename* among them, RFC 7578 §4.2) are ignored */
    }
    if (rc < 0) return rc;
    if (!p->name || p->nlen == 0) return PARSE_E_MP_NAME;
    return PARSE_OK;
}

/* One header line of a part, CRLF excluded. */
static int mp_header(const char *line, size_t n, struct mp_part *p)
{
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)line[k];
        if ((c < 0x20 && c != '\t') || c == 0x7F) return PARSE_E_NUL;
    }
    if (!utf8_valid(line, n)) return PARSE_E_UTF8;
    const char *colon = memchr(line, ':', n);
    size_t nl = colon ? (size_t)(colon - line) : 0;
    if (nl == 0) return PARSE_E_SYNTAX; /* also a folded line: it starts with OWS */
    for (size_t k = 0; k < nl; k++)
        if (!is_tchar((unsigned char)line[k])) return PARSE_E_SYNTAX;
    const char *v = colon + 1;
    size_t vn = n - nl - 1;
    while (vn > 0 && is_ows(v[0])) v++, vn--;
    while (vn > 0 && is_ows(v[vn - 1])) vn--;

    if (word_is(line, nl, "Content-Disposition")) {
        if (p->has_disposition) return PARSE_E_SYNTAX;
        p->has_disposition = 1;
        return mp_disposition(v, vn, p);
    }
    if (word_is(line, nl, "Content-Type")) {
        if (p->ctype) return PARSE_E_SYNTAX;
        p->ctype = v;
        p->ctlen = vn;
        return PARSE_OK;
    }
    if (word_is(line, nl, "Content-Transfer-Encoding")) {
        /* only the identity encodings: anything else would be read wrongly */
        int identity = word_is(v, vn, "binary") || word_is(v, vn, "8bit") || word_is(v, vn, "7bit");
        return identity ? PARSE_OK : PARSE_E_SYNTAX;
    }
    return PARSE_OK; /* RFC 7578 §4.8: other header fields are ignored */
}

/* The last path component of a sent file name, copied; see parse.h. */
static int mp_filename(arena_t *a, const char *f, size_t n, const char **out)
{
    size_t start = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)f[k];
        if (c < 0x20 || c == 0x7F) return PARSE_E_MP_FILENAME;
        if (c == '/' || c == '\\') start = k + 1;
    }
    if (!utf8_valid(f, n)) return PARSE_E_MP_FILENAME;
    const char *base = f + start;
    size_t bn = n - start;
    if (bn == 0 || bn > PARSE_MP_MAX_FILENAME || (bn == 1 && base[0] == '.') ||
        (bn == 2 && base[0] == '.' && base[1] == '.'))
        return PARSE_E_MP_FILENAME;
    *out = arena_strndup(a, base, bn);
    return PARSE_OK;
}

int parse_multipart(arena_t *a, const char *content_type, const char *s, size_t len, size_t max_parts,
                    struct kvlist *form, struct http_upload *upload)
{
    char delim[4 + PARSE_MP_MAX_BOUNDARY]; /* CRLF "--" boundary */
    const char *b;
    size_t blen, dlen, i, n = 0, cap = 0, parts = 0;
    struct kv *items = NULL;
    struct http_upload up = {0};
    int rc;

    form->items = NULL;
    form->n = 0;
    memset(upload, 0, sizeof *upload);
    if ((rc = mp_boundary(content_type, &b, &blen))) return rc;
    memcpy(delim, "\r\n--", 4);
    memcpy(delim + 4, b, blen);
    dlen = 4 + blen;

    /* The body opens with the first delimiter, without its CRLF. */
    if (len < dlen - 2) return memcmp(s ? s : "", delim + 2, len) == 0 ? PARSE_E_MP_END : PARSE_E_SYNTAX;
    if (memcmp(s, delim + 2, dlen - 2) != 0) return PARSE_E_SYNTAX;
    i = dlen - 2;

    for (;;) {
        /* After a delimiter: "--" closes the body, CRLF opens a part. */
        size_t left = len - i;
        if (left >= 2 && s[i] == '-' && s[i + 1] == '-') {
            i += 2;
            if (i == len || (len - i == 2 && s[i] == '\r' && s[i + 1] == '\n')) break;
            return PARSE_E_SYNTAX;
        }
        if (left == 0 || (left == 1 && (s[i] == '\r' || s[i] == '-'))) return PARSE_E_MP_END;
        if (s[i] != '\r' || s[i + 1] != '\n') return PARSE_E_SYNTAX; /* boundary inside a part */
        i += 2;
        if (++parts > max_parts) return PARSE_E_TOO_MANY;

        /* Header lines up to the empty one. */
        struct mp_part p = {0};
        int lines = 0;
        for (;;) {
            size_t window = len - i < PARSE_MP_MAX_HEADER_LINE + 2 ? len - i : PARSE_MP_MAX_HEADER_LINE + 2;
            const char *crlf = memmem(s + i, window, "\r\n", 2);
            if (!crlf) return window == PARSE_MP_MAX_HEADER_LINE + 2 ? PARSE_E_MP_HEADER : PARSE_E_MP_END;
            const char *line = s + i;
            size_t ll = (size_t)(crlf - line);
            i += ll + 2;
            if (ll == 0) break;
            /* a delimiter among the headers: a lenient reader would end the part here */
            if (ll >= dlen - 2 && memcmp(line, delim + 2, dlen - 2) == 0) return PARSE_E_SYNTAX;
            if (++lines > PARSE_MP_MAX_HEADERS) return PARSE_E_MP_HEADER;
            if ((rc = mp_header(line, ll, &p))) return rc;
        }
        if (!p.name) return PARSE_E_MP_NAME;

        /* The content runs to the next delimiter. The search starts at the
         * CRLF of the empty line: by RFC 2046 content that starts with
         * "--boundary" is no content, and that delimiter ends the part. */
        const char *from = s + i - 2;
        const char *end = memmem(from, len - (i - 2), delim, dlen);
        if (!end) return PARSE_E_MP_END;
        const char *data = s + i;
        size_t dl = end == from ? 0 : (size_t)(end - data);
        i = (size_t)(end - s) + dlen;

        if ((rc = check_text(p.name, p.nlen, 0))) return rc;
        char *name = arena_strndup(a, p.name, p.nlen);
        if (p.filename) {
            if (p.fnlen == 0 && dl == 0) continue; /* a file input left empty */
            if (up.field) return PARSE_E_MP_FILES;
            if (seen_key(items, n, name)) return PARSE_E_DUPLICATE;
            if ((rc = mp_filename(a, p.filename, p.fnlen, &up.filename))) return rc;
            up.field = name;
            up.content_type = p.ctype ? arena_strndup(a, p.ctype, p.ctlen) : "";
            up.data = data;
            up.len = dl;
            continue;
        }
        if ((rc = check_text(data, dl, 1))) return rc;
        if (seen_key(items, n, name) || (up.field && strcmp(up.field, name) == 0)) return PARSE_E_DUPLICATE;
        if (n == cap) { /* grow; the arena keeps the old array until the request ends */
            size_t ncap = cap ? 2 * cap : 8;
            if (ncap > max_parts) ncap = max_parts;
            struct kv *grown = arena_alloc(a, ncap * sizeof *grown);
            if (n) memcpy(grown, items, n * sizeof *items);
            items = grown;
            cap = ncap;
        }
        items[n].key = name;
        items[n].val = arena_strndup(a, data, dl);
        items[n].val_len = dl;
        n++;
    }
    form->items = items;
    form->n = n;
    *upload = up;
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
    case PARSE_E_MP_BOUNDARY:
        return "Het verzoek is niet goed opgebouwd: de scheidingsregel (boundary) ontbreekt of is ongeldig.";
    case PARSE_E_MP_END:
        return "Het verzoek is onvolledig: de afsluitende scheidingsregel ontbreekt. Verstuur het formulier opnieuw.";
    case PARSE_E_MP_HEADER: return "Het verzoek bevat een formulierdeel met te lange of te veel kopregels.";
    case PARSE_E_MP_NAME: return "Het verzoek bevat een formulierdeel zonder veldnaam (Content-Disposition: form-data).";
    case PARSE_E_MP_FILES: return "Het verzoek bevat meer dan één bestand. Verstuur één bestand tegelijk.";
    case PARSE_E_MP_FILENAME:
        return "Het verzoek bevat een ongeldige bestandsnaam. Geef het bestand een gewone naam en probeer het opnieuw.";
    default: return "Het verzoek is ongeldig.";
    }
}
