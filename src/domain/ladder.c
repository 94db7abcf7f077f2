/*
 * ladder.c - the ladder table (levels, labels, carrier kinds) and the kantel
 * index arithmetic and sentence. See ladder.h for the contracts.
 */
#include "domain/ladder.h"

#include <stdio.h>
#include <string.h>

struct ladder_step {
    int level;
    const char *code;
    const char *label; /* Dutch, B1 */
    const char *carrier;
};

static const struct ladder_step steps[] = {
    {1, "eigen_kracht", "Eigen kracht", "resident"},
    {2, "huishouden", "Huishouden", "household_member"},
    {3, "netwerk", "Netwerk", "network_member"},
    {4, "buurt", "Buurt en vrijwilligers", "community_service"},
    {5, "algemene_voorziening", "Algemene voorziening", "general_provision"},
    {6, "maatwerk", "Maatwerkvoorziening", "provider"},
};

_Static_assert(sizeof steps / sizeof steps[0] == LADDER_MAX - LADDER_MIN + 1, "one step per level");

int ladder_valid(int level)
{
    return level >= LADDER_MIN && level <= LADDER_MAX;
}

const char *ladder_label(int level)
{
    return ladder_valid(level) ? steps[level - LADDER_MIN].label : NULL;
}

const char *ladder_code(int level)
{
    return ladder_valid(level) ? steps[level - LADDER_MIN].code : NULL;
}

const char *ladder_carrier(int level)
{
    return ladder_valid(level) ? steps[level - LADDER_MIN].carrier : NULL;
}

int ladder_level_for_code(const char *code)
{
    if (!code) return -1;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (strcmp(steps[i].code, code) == 0) return steps[i].level;
    return -1;
}

int ladder_level_for_carrier(const char *carrier)
{
    if (!carrier) return -1;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (strcmp(steps[i].carrier, carrier) == 0) return steps[i].level;
    return -1;
}

void kantel_index_add(struct kantel_index *k, int level)
{
    if (!ladder_valid(level)) return;
    k->total++;
    if (level <= LADDER_LOW_MAX) k->low++;
    k->per_level[level]++;
}

int kantel_index_percent(const struct kantel_index *k)
{
    if (k->total <= 0) return -1;
    /* integer rounding half up; long long so huge counts cannot overflow */
    return (int)(((long long)k->low * 200 + k->total) / (2LL * k->total));
}

void kantel_index_text(const struct kantel_index *k, char *out, size_t n)
{
    if (!out || n == 0) return;
    static const char where[] = "bij de inwoner, het huishouden, het netwerk of de buurt.";
    int pct = kantel_index_percent(k);
    if (pct < 0)
        snprintf(out, n, "Nog geen acties.");
    else if (k->total == 1)
        snprintf(out, n, "De enige actie (%d%%) ligt %s%s", pct, k->low ? "" : "niet ", where);
    else
        snprintf(out, n, "%d van de %d acties (%d%%) %s %s", k->low, k->total, pct, k->low == 1 ? "ligt" : "liggen",
                 where);
}
