/*
 * test_password.c - argon2id hashing (round trip, wrong password, malformed
 * hashes, the dummy hash) and each rule of the password policy. Hashing runs
 * at the production cost (about 0.1 s each), so only a few hashes are made.
 */
#include "auth/password.h"
#include "test.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_hashing(void)
{
    char h[PASSWORD_HASH_MAX];
    double t0 = now_s();
    int rc = password_hash("correct horse battery staple", h);
    double dt = now_s() - t0;
    printf("# one password_hash: %.3f s\n", dt);
    CHECK(rc == 0, "password_hash returns 0");
    CHECK(strncmp(h, "$argon2id$v=19$", 15) == 0, "hash is argon2id v1.3: %s", h);
    CHECK(strlen(h) < PASSWORD_HASH_MAX, "hash fits PASSWORD_HASH_MAX");
    CHECK(password_verify(h, "correct horse battery staple") == 0, "right password verifies");
    CHECK(password_verify(h, "correct horse battery stapl") == -1, "wrong password fails");
    CHECK(password_verify(h, "") == -1, "empty password fails");

    char h2[PASSWORD_HASH_MAX];
    CHECK(password_hash("correct horse battery staple", h2) == 0 && strcmp(h, h2) != 0,
          "same password hashes differently (random salt)");

    /* Malformed hashes. */
    CHECK(password_verify("", "x") == -1, "empty hash fails");
    CHECK(password_verify("not a hash", "x") == -1, "garbage hash fails");
    CHECK(password_verify("$argon2id$v=19$m=65536,t=2,p=1$", "x") == -1, "truncated hash fails");
    char cut[PASSWORD_HASH_MAX];
    snprintf(cut, sizeof cut, "%.*s", (int)strlen(h) - 5, h);
    CHECK(password_verify(cut, "correct horse battery staple") == -1, "shortened hash fails");
    char flip[PASSWORD_HASH_MAX];
    memcpy(flip, h, sizeof flip);
    size_t last = strlen(flip) - 2;
    flip[last] = flip[last] == 'A' ? 'B' : 'A';
    CHECK(password_verify(flip, "correct horse battery staple") == -1, "altered hash fails");
    char unterminated[PASSWORD_HASH_MAX + 8];
    memset(unterminated, 'a', sizeof unterminated - 1);
    memcpy(unterminated, "$argon2id$", 10);
    unterminated[sizeof unterminated - 1] = '\0';
    CHECK(password_verify(unterminated, "x") == -1, "overlong hash fails");
    CHECK(password_verify(NULL, "x") == -1, "NULL hash fails");
    CHECK(password_verify(h, NULL) == -1, "NULL password fails");

    /* The dummy hash: well formed, stable, verifies nothing. */
    const char *d = password_dummy_hash();
    CHECK(d && strncmp(d, "$argon2id$v=19$", 15) == 0, "dummy hash is argon2id");
    CHECK(password_dummy_hash() == d, "dummy hash is computed once");
    CHECK(d && password_verify(d, "") == -1, "dummy hash refuses the empty password");
    CHECK(d && password_verify(d, "correct horse battery staple") == -1,
          "dummy hash refuses a real password");
}

static void test_policy(void)
{
    CHECK_STR(password_policy("a7#kQz!", NULL), "Kies een wachtwoord van minstens 8 tekens.",
              "7 characters rejected");
    CHECK(password_policy("a7#kQz!p", NULL) == NULL, "8 characters accepted");
    CHECK_STR(password_policy("", NULL), "Kies een wachtwoord van minstens 8 tekens.",
              "empty rejected");
    CHECK_STR(password_policy(NULL, NULL), "Kies een wachtwoord van minstens 8 tekens.",
              "NULL rejected");
    /* 8 two-byte characters: 16 bytes, 8 code points. */
    CHECK(password_policy("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
                          NULL) == NULL,
          "8 multibyte characters (e-acute) accepted");
    CHECK_STR(password_policy("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", NULL),
              "Kies een wachtwoord van minstens 8 tekens.",
              "7 multibyte characters (14 bytes) rejected");

    char pw[300];
    memset(pw, 'x', sizeof pw);
    for (int i = 0; i < 129; i++) pw[i] = (char)('a' + (i * 7) % 26);
    pw[129] = '\0';
    CHECK_STR(password_policy(pw, NULL), "Een wachtwoord mag hoogstens 128 tekens hebben.",
              "129 characters rejected");
    pw[128] = '\0';
    CHECK(password_policy(pw, NULL) == NULL, "128 characters accepted");
    pw[64] = '\0';
    CHECK(password_policy(pw, NULL) == NULL, "64 characters accepted");
    /* 100 three-byte characters: 300 bytes but only 100 code points. */
    char euro[301];
    for (int i = 0; i < 100; i++) memcpy(euro + 3 * i, "\xe2\x82\xac", 3);
    euro[300] = '\0';
    CHECK(password_policy(euro, NULL) == NULL, "100 euro signs (300 bytes) accepted");

    /* Invalid UTF-8. */
    const char *bad[] = {"abcdefgh\xff", "abcdefgh\xc3", "abcdefgh\xc0\xaf",
                         "abcdefgh\xed\xa0\x80", "abcdefgh\xf4\x90\x80\x80", "abcdefgh\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *m = password_policy(bad[i], NULL);
        CHECK(m != NULL && strstr(m, "tekens") != NULL, "invalid UTF-8 #%zu rejected", i);
    }

    /* Common passwords, case-insensitively. */
    const char *common_msg = "Dit wachtwoord komt voor in lijsten van veelgebruikte "
                             "wachtwoorden. Kies een ander wachtwoord.";
    CHECK(password_is_common("wachtwoord1"), "wachtwoord1 is common");
    CHECK(password_is_common("Wachtwoord1"), "Wachtwoord1 is common (case-insensitive)");
    CHECK(password_is_common("PASSWORD"), "PASSWORD is common");
    CHECK(password_is_common("12345678"), "12345678 is common");
    CHECK(password_is_common("Zomer2024"), "Zomer2024 is common");
    CHECK(!password_is_common("Wachtwoord1x9"), "a variation not on the list is not common");
    CHECK(!password_is_common(""), "empty string is not common");
    CHECK_STR(password_policy("Wachtwoord1", NULL), common_msg, "policy: Wachtwoord1 rejected");
    CHECK_STR(password_policy("iloveyou", NULL), common_msg, "policy: iloveyou rejected");
    CHECK_STR(password_policy("Welkom01", NULL), common_msg, "policy: Welkom01 rejected");
    CHECK_STR(password_policy("QWERTYUIOP", NULL), common_msg, "policy: QWERTYUIOP rejected");

    /* The user name. */
    const char *m = password_policy("jdevries", "JDeVries");
    CHECK(m != NULL && strstr(m, "gebruikersnaam") != NULL, "equal to user name rejected");
    m = password_policy("mijn-jdevries-pw", "jdevries");
    CHECK(m != NULL && strstr(m, "gebruikersnaam") != NULL, "containing user name rejected");
    m = password_policy("XXJDEVRIESXX", "jdevries");
    CHECK(m != NULL && strstr(m, "gebruikersnaam") != NULL,
          "containing user name in other case rejected");
    CHECK(password_policy("bobbelbad-zon", "bob") != NULL, "3-character user name checked");
    CHECK(password_policy("joplin-rivier", "jo") == NULL, "2-character user name ignored");
    CHECK(password_policy("zonnige-dag", "jdevries") == NULL, "unrelated user name accepted");
    CHECK(password_policy("zonnige-dag", NULL) == NULL, "NULL user name accepted");

    /* The demo password, in any case, is not on the list and passes. */
    CHECK(!password_is_common("Kantel-demo-2026!"), "demo password not common");
    CHECK(!password_is_common("kantel-demo-2026!"), "demo password (lower) not common");
    CHECK(!password_is_common("KANTEL-DEMO-2026!"), "demo password (upper) not common");
    CHECK(password_policy("Kantel-demo-2026!", NULL) == NULL, "demo password accepted");
    CHECK(password_policy("Kantel-demo-2026!", "jdevries") == NULL,
          "demo password accepted with a user name");
    CHECK(password_policy("Kantel-demo-2026!", "DEMO") != NULL,
          "demo password refused for user name demo (contains it)");
}

int main(void)
{
    test_hashing();
    test_policy();
    return t_done();
}
