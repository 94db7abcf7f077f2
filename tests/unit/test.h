/*
 * test.h - the tiny unit-test harness. Each check prints one TAP-like line
 * ("ok - ..." or "not ok - ...") that tests/run counts; t_done() prints the
 * suite total and returns the exit status.
 */
#ifndef KANTEL_TEST_H
#define KANTEL_TEST_H

#include <stdio.h>
#include <string.h>

static int t_pass_, t_fail_;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (cond) {                                                        \
            t_pass_++;                                                     \
            printf("ok - ");                                               \
        } else {                                                           \
            t_fail_++;                                                     \
            printf("not ok - %s:%d: ", __FILE__, __LINE__);               \
        }                                                                  \
        printf(__VA_ARGS__);                                               \
        printf("\n");                                                      \
    } while (0)

#define CHECK_STR(got, want, ...)                                          \
    do {                                                                   \
        const char *g_ = (got), *w_ = (want);                              \
        int eq_ = g_ && w_ && strcmp(g_, w_) == 0;                         \
        CHECK(eq_, __VA_ARGS__);                                           \
        if (!eq_) printf("#   got:  %s\n#   want: %s\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
    } while (0)

static inline int t_done(void)
{
    printf("# %d passed, %d failed\n", t_pass_, t_fail_);
    return t_fail_ ? 1 : 0;
}

#endif
