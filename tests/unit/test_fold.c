/* test_fold.c - search folding. */
#include <string.h>

#include "core/fold.h"
#include "test.h"

static const char *F(const char *s)
{
    static char out[256];
    fold_text(s, strlen(s), out, sizeof out);
    return out;
}

int main(void)
{
    CHECK_STR(F("Café Öztürk-Één"), "cafe ozturk een", "accents, hyphen, capitals");
    CHECK_STR(F("  Wandelclub   De Kantel!  "), "wandelclub de kantel", "spaces collapsed and trimmed");
    CHECK_STR(F("IJsselmonde ĳs"), "ijsselmonde ijs", "ĳ ligature");
    CHECK_STR(F("Straße Æbleskiver Ørsted"), "strasse aebleskiver orsted", "ß æ ø");
    CHECK_STR(F("Şükrü Ilıca Ğ"), "sukru ilica g", "Turkish letters");
    CHECK_STR(F("koor 50+ (gratis) €5,-"), "koor 50 gratis 5", "symbols are separators");
    CHECK_STR(F("مركز الحي"), "مركز الحي", "Arabic kept");
    CHECK_STR(F("a\xff" "b\xc3"), "a b", "invalid UTF-8 separates");
    CHECK_STR(F("\xc0\xaf" "x"), "x", "overlong encoding refused");
    CHECK_STR(F(""), "", "empty");
    char small[6];
    size_t n = fold_text("Ëlectrique", 10 + 1, small, sizeof small);
    CHECK(n == 5 && strcmp(small, "elect") == 0, "truncated to the buffer (%s)", small);
    n = fold_text("éé éé", strlen("éé éé"), small, 4);
    CHECK(n <= 3 && strlen(small) == n, "never beyond cap");
    return t_done();
}
