/*
 * ladder.h - the ladder of the Wmo onderzoek (DOMAIN.md section 3) and the
 * kantel index.
 *
 * Every plan action sits on one ladder level, 1 (the resident's own strength)
 * to 6 (a maatwerkvoorziening). Levels 1-4 are carried by the resident, the
 * household, the network or the community; the share of actions there is the
 * kantel index.
 *
 * Pure functions over a static table: no allocation, no I/O, thread-safe.
 * Returned strings are static and never freed.
 */
#ifndef KANTEL_LADDER_H
#define KANTEL_LADDER_H

#include <stddef.h>

enum {
    LADDER_MIN = 1,
    LADDER_MAX = 6,
    LADDER_LOW_MAX = 4 /* levels 1..4 count towards the kantel index */
};

/* 1 when level is in [LADDER_MIN, LADDER_MAX], else 0. */
int ladder_valid(int level);
/* Dutch label for the UI ("Eigen kracht" ... "Maatwerkvoorziening"), or NULL
 * for an invalid level. */
const char *ladder_label(int level);
/* Stable machine code ("eigen_kracht" ... "maatwerk"), or NULL. */
const char *ladder_code(int level);
/* The level for a machine code, or -1. */
int ladder_level_for_code(const char *code);
/* The carrier kind of a level ("resident", "household_member",
 * "network_member", "community_service", "general_provision", "provider"),
 * or NULL. */
const char *ladder_carrier(int level);
/* The level for a carrier kind as above, or -1 (also for NULL). */
int ladder_level_for_carrier(const char *carrier);

/* Counts of plan actions per level. Zero-initialise ({0}) before use. */
struct kantel_index {
    int total;        /* valid actions added */
    int low;          /* of which on levels 1-4 */
    int per_level[7]; /* per_level[1..6]; [0] unused */
};

/* Counts one action on level; an invalid level is ignored. */
void kantel_index_add(struct kantel_index *k, int level);
/* Share of actions on levels 1-4 as a percentage 0..100 rounded half up, or
 * -1 when there are no actions. */
int kantel_index_percent(const struct kantel_index *k);
/* Writes a Dutch sentence for the UI into out (truncated to n, always
 * NUL-terminated when n > 0), e.g. "7 van de 10 acties (70%) liggen bij de
 * inwoner, het huishouden, het netwerk of de buurt." or "Nog geen acties." */
void kantel_index_text(const struct kantel_index *k, char *out, size_t n);

#endif
