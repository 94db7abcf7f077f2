/*
 * fold.h - text folded for searching: "Café Öztürk-Één" and "cafe ozturk een"
 * must find each other. Lower case; Latin letters with diacritics become
 * their base letters (é -> e, ü -> u, ĳ -> ij, ß -> ss, æ -> ae, ø -> o,
 * ş -> s, ı -> i); other scripts stay as they are; everything that is not a
 * letter or digit becomes one space; no leading or trailing space. Invalid
 * UTF-8 bytes count as separators. Pure; the result is never longer than
 * twice the input.
 */
#ifndef KANTEL_FOLD_H
#define KANTEL_FOLD_H

#include <stddef.h>

/* Writes the folded form of s (n bytes) into out (cap bytes, NUL-terminated,
 * truncated at a character boundary when it does not fit). Returns the
 * length written. */
size_t fold_text(const char *s, size_t n, char *out, size_t cap);

#endif
