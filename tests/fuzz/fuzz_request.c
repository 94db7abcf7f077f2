/*
 * fuzz_request.c - libFuzzer target for src/http/parse.c.
 *
 * The first byte chooses the parser (urlencoded, cookies, utf8_valid); the
 * rest is its input. Besides "no crash", it checks what the parsers promise:
 * accepted output is valid UTF-8 without NUL, val_len matches the value, no
 * duplicate keys in urlencoded output, and at most max_pairs pairs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "http/parse.h"

#define MAX_PAIRS 64

static void check_list(const struct kvlist *l)
{
    if (l->n > MAX_PAIRS) abort();
    for (size_t i = 0; i < l->n; i++) {
        const struct kv *kv = &l->items[i];
        size_t klen = strlen(kv->key);
        if (klen == 0 || !utf8_valid(kv->key, klen)) abort();
        if (strlen(kv->val) != kv->val_len || !utf8_valid(kv->val, kv->val_len)) abort();
        if (kv_get(l, kv->key) != kv->val) abort();
        for (size_t j = 0; j < i; j++)
            if (strcmp(l->items[j].key, kv->key) == 0) abort(); /* both parsers keep keys unique */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    arena_t *a = arena_new(0);
    struct kvlist l;
    int rc;

    switch (data[0] % 3) {
    case 0:
        rc = parse_urlencoded(a, s, n, MAX_PAIRS, &l);
        if (rc == PARSE_OK) check_list(&l);
        else if (l.n != 0 || parse_strerror(rc) == NULL) abort();
        break;
    case 1:
        rc = parse_cookies(a, s, n, MAX_PAIRS, &l);
        if (rc == PARSE_OK) check_list(&l);
        else if (l.n != 0) abort();
        break;
    default:
        if (utf8_valid(s, n) && utf8_len(s, n) > n) abort();
        break;
    }
    arena_free(a);
    return 0;
}
