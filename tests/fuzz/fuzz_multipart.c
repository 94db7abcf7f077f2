/*
 * fuzz_multipart.c - libFuzzer target for parse_multipart (src/http/parse.c).
 *
 * Input: the first byte chooses the Content-Type. Even: the fixed
 * "multipart/form-data; boundary=XyZ" and the rest is the body. Odd: the
 * bytes up to the first '\n' (at most 200) are the Content-Type header value
 * and what follows is the body.
 *
 * Besides "no crash", it checks what parse_multipart promises: on success the
 * fields are valid UTF-8 without NUL (keys without any control character),
 * unique, at most MAX_PARTS with the file; the file's name is a non-empty last
 * path component without control characters and its data lies inside the
 * body; on failure nothing is returned and the message is Dutch. With the
 * fixed boundary, the result written out again as a canonical body parses to
 * the same fields and file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "http/parse.h"

#define MAX_PARTS 8
#define FIXED_CT  "multipart/form-data; boundary=XyZ"

static void check_text(const char *s, size_t n, int is_value)
{
    if (!utf8_valid(s, n)) abort();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20) continue;
        if (is_value && (c == '\t' || c == '\n' || c == '\r')) continue;
        abort();
    }
}

static void check_result(const struct kvlist *f, const struct http_upload *u, const char *body, size_t len)
{
    if (f->n + (u->field != NULL) > MAX_PARTS) abort();
    for (size_t i = 0; i < f->n; i++) {
        const struct kv *kv = &f->items[i];
        size_t klen = strlen(kv->key);
        if (klen == 0) abort();
        check_text(kv->key, klen, 0);
        if (strlen(kv->val) != kv->val_len) abort();
        check_text(kv->val, kv->val_len, 1);
        if (kv_get(f, kv->key) != kv->val) abort();
        if (u->field && strcmp(u->field, kv->key) == 0) abort();
    }
    if (!u->field) {
        if (u->filename || u->content_type || u->data || u->len) abort();
        return;
    }
    size_t flen = strlen(u->field), nlen = strlen(u->filename);
    if (flen == 0) abort();
    check_text(u->field, flen, 0);
    if (nlen == 0 || nlen > PARSE_MP_MAX_FILENAME) abort();
    if (strcmp(u->filename, ".") == 0 || strcmp(u->filename, "..") == 0) abort();
    if (strchr(u->filename, '/') || strchr(u->filename, '\\')) abort();
    check_text(u->filename, nlen, 0);
    if (!u->content_type || strchr(u->content_type, '\r') || strchr(u->content_type, '\n')) abort();
    if (u->len > len || u->data < body || u->data > body + len - u->len) abort();
}

static void put(buf_t *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

static void part_head(buf_t *b, const char *name)
{
    put(b, "--XyZ\r\nContent-Disposition: form-data; name=\"");
    put(b, name);
    put(b, "\"");
}

/* Writes f and u as a canonical body with boundary XyZ and parses it again. */
static void round_trip(arena_t *a, const struct kvlist *f, const struct http_upload *u)
{
    for (size_t i = 0; i < f->n; i++)
        if (strlen(f->items[i].key) > 900) return; /* canonical header line could grow past the limit */
    if (u->field && strlen(u->field) + strlen(u->filename) > 700) return;
    if (u->field && strlen(u->content_type) > 1000) return;

    buf_t b;
    buf_init(&b);
    for (size_t i = 0; i < f->n; i++) {
        part_head(&b, f->items[i].key);
        put(&b, "\r\n\r\n");
        buf_append(&b, f->items[i].val, f->items[i].val_len);
        put(&b, "\r\n");
    }
    if (u->field) {
        part_head(&b, u->field);
        put(&b, "; filename=\"");
        put(&b, u->filename);
        put(&b, "\"\r\n");
        if (*u->content_type) {
            put(&b, "Content-Type: ");
            put(&b, u->content_type);
            put(&b, "\r\n");
        }
        put(&b, "\r\n");
        buf_append(&b, u->data, u->len);
        put(&b, "\r\n");
    }
    put(&b, "--XyZ--\r\n");

    struct kvlist f2;
    struct http_upload u2;
    if (parse_multipart(a, FIXED_CT, b.data, b.len, MAX_PARTS, &f2, &u2) != PARSE_OK) abort();
    if (f2.n != f->n) abort();
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f2.items[i].key, f->items[i].key) != 0 || f2.items[i].val_len != f->items[i].val_len ||
            memcmp(f2.items[i].val, f->items[i].val, f->items[i].val_len) != 0)
            abort();
    if ((u2.field == NULL) != (u->field == NULL)) abort();
    if (u->field &&
        (strcmp(u2.field, u->field) != 0 || strcmp(u2.filename, u->filename) != 0 ||
         strcmp(u2.content_type, u->content_type) != 0 || u2.len != u->len || memcmp(u2.data, u->data, u->len) != 0))
        abort();
    buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    const char *in = (const char *)data + 1;
    size_t n = size - 1;
    char ct[201];
    const char *ctype = FIXED_CT;
    int fixed = data[0] % 2 == 0;

    if (!fixed) {
        const char *nl = memchr(in, '\n', n < 200 ? n : 200);
        if (!nl) return 0;
        size_t cl = (size_t)(nl - in);
        memcpy(ct, in, cl);
        ct[cl] = '\0';
        ctype = ct;
        n -= cl + 1;
        in = nl + 1;
    }
    /* A copy of exactly n bytes, so ASan sees any read past the body. */
    char *body = malloc(n ? n : 1);
    if (n) memcpy(body, in, n);

    arena_t *a = arena_new(0);
    struct kvlist f;
    struct http_upload u;
    int rc = parse_multipart(a, ctype, body, n, MAX_PARTS, &f, &u);
    if (rc == PARSE_OK) {
        check_result(&f, &u, body, n);
        if (fixed) round_trip(a, &f, &u);
    } else {
        if (f.n != 0 || f.items != NULL || u.field || u.filename || u.data || u.len) abort();
        const char *m = parse_strerror(rc);
        if (!m || strncmp(m, "Het verzoek ", 12) != 0) abort();
    }
    arena_free(a);
    free(body);
    return 0;
}
