/* test_ladder.c - ladder levels, labels and carrier kinds; the kantel index
 * (percentage, rounding, Dutch sentence). */
#include <string.h>

#include "domain/ladder.h"
#include "test.h"

static void test_levels(void)
{
    CHECK(!ladder_valid(0) && ladder_valid(1) && ladder_valid(6) && !ladder_valid(7) && !ladder_valid(-1),
          "valid levels are 1..6");
    CHECK_STR(ladder_label(1), "Eigen kracht", "level 1 label");
    CHECK_STR(ladder_label(6), "Maatwerkvoorziening", "level 6 label");
    CHECK(ladder_label(0) == NULL && ladder_label(7) == NULL, "no label outside 1..6");
    int all = 1;
    for (int l = 1; l <= 6; l++)
        if (!ladder_label(l) || !ladder_label(l)[0] || ladder_level_for_code(ladder_code(l)) != l ||
            ladder_level_for_carrier(ladder_carrier(l)) != l)
            all = 0;
    CHECK(all, "every level has a label, and code and carrier map back to it");

    CHECK(ladder_level_for_carrier("resident") == 1, "resident -> 1");
    CHECK(ladder_level_for_carrier("household_member") == 2, "household member -> 2");
    CHECK(ladder_level_for_carrier("network_member") == 3, "network member -> 3");
    CHECK(ladder_level_for_carrier("community_service") == 4, "community service -> 4");
    CHECK(ladder_level_for_carrier("general_provision") == 5, "general provision -> 5");
    CHECK(ladder_level_for_carrier("provider") == 6, "provider -> 6");
    CHECK(ladder_level_for_carrier("martian") == -1 && ladder_level_for_carrier(NULL) == -1, "unknown carrier -> -1");
    CHECK(ladder_level_for_code("maatwerk") == 6 && ladder_level_for_code("x") == -1, "codes");
}

static void test_index(void)
{
    char txt[200];
    struct kantel_index k = {0};
    CHECK(kantel_index_percent(&k) == -1, "empty index -> -1");
    kantel_index_text(&k, txt, sizeof txt);
    CHECK_STR(txt, "Nog geen acties.", "empty index text");

    static const int levels[10] = {1, 2, 3, 4, 1, 3, 4, 5, 6, 6};
    for (int i = 0; i < 10; i++) kantel_index_add(&k, levels[i]);
    CHECK(k.total == 10 && k.low == 7, "7 of 10 low");
    CHECK(k.per_level[1] == 2 && k.per_level[6] == 2 && k.per_level[5] == 1, "per-level counts");
    CHECK(kantel_index_percent(&k) == 70, "7 of 10 -> 70");
    kantel_index_text(&k, txt, sizeof txt);
    CHECK_STR(txt, "7 van de 10 acties (70%) liggen bij de inwoner, het huishouden, het netwerk of de buurt.",
              "sentence for 7 of 10");
    kantel_index_add(&k, 0);
    kantel_index_add(&k, 7);
    CHECK(k.total == 10, "invalid levels are ignored");

    struct kantel_index t = {0};
    kantel_index_add(&t, 1);
    kantel_index_add(&t, 3);
    kantel_index_add(&t, 5);
    CHECK(kantel_index_percent(&t) == 67, "2 of 3 -> 67 (rounded)");
    struct kantel_index e = {0};
    for (int i = 0; i < 7; i++) kantel_index_add(&e, 6);
    kantel_index_add(&e, 2);
    CHECK(kantel_index_percent(&e) == 13, "1 of 8 = 12.5 -> 13 (half up)");
    kantel_index_text(&e, txt, sizeof txt);
    CHECK(strncmp(txt, "1 van de 8 acties (13%) ligt bij", 32) == 0, "singular verb for one action: %s", txt);

    struct kantel_index six = {0};
    kantel_index_add(&six, 6);
    kantel_index_add(&six, 6);
    CHECK(kantel_index_percent(&six) == 0, "level 6 only -> 0");
    kantel_index_text(&six, txt, sizeof txt);
    CHECK(strncmp(txt, "0 van de 2 acties (0%) liggen", 29) == 0, "sentence for 0 of 2: %s", txt);

    struct kantel_index one = {0};
    kantel_index_add(&one, 5);
    kantel_index_text(&one, txt, sizeof txt);
    CHECK_STR(txt, "De enige actie (0%) ligt niet bij de inwoner, het huishouden, het netwerk of de buurt.",
              "one action, not low");
    kantel_index_add(&one, 1);
    CHECK(kantel_index_percent(&one) == 50, "1 of 2 -> 50");

    char small[10];
    kantel_index_text(&k, small, sizeof small);
    CHECK(strlen(small) == 9, "text truncated to the buffer");
}

int main(void)
{
    test_levels();
    test_index();
    return t_done();
}
