/* fuzz_fold.c - search folding never writes past its buffer, always ends in
 * NUL, and folding is idempotent (folding a folded text changes nothing). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/fold.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t cap = 2 * size + 1;
    char *out = malloc(cap);
    size_t n = fold_text((const char *)data, size, out, cap);
    if (n >= cap || out[n] != '\0' || strlen(out) != n) abort();
    char *again = malloc(cap);
    size_t m = fold_text(out, n, again, cap);
    if (m != n || memcmp(out, again, n) != 0) abort();
    size_t small = size / 3 + 1;
    char *tiny = malloc(small);
    size_t k = fold_text((const char *)data, size, tiny, small);
    if (k >= small || tiny[k] != '\0') abort();
    free(out);
    free(again);
    free(tiny);
    return 0;
}
