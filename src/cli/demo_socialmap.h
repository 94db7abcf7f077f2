/* demo_socialmap.h - the fictional sociale kaart of the demo (demo_socialmap.c). */
#ifndef KANTEL_DEMO_SOCIALMAP_H
#define KANTEL_DEMO_SOCIALMAP_H

#include <stdint.h>

#include "db/db.h"

/* Adds services first .. first+count-1 of the demo catalogue (with their
 * organisations, locations, schedules, costs, languages and Kantel terms) to
 * gemeente's HSDS store, inside the caller's transaction; today is
 * "YYYY-MM-DD" (the assured date). 0, or -1 with a message on stderr. */
int demo_socialmap(db_t *db, const char *gemeente, int64_t first, int64_t count, const char *today);

/* Adds count services after those gemeente already has, in one transaction
 * (kantel demo: 320; kantel demo --services N for benchmarks). 0 or -1. */
int demo_socialmap_add(db_t *db, const char *gemeente, int64_t count);

/* The synthetic coordinate of a demo postcode ("8011AB"): the first four
 * characters pick an area within about 2.5 km of the town centre, the
 * letters a point within about 300 m of it (demo_volunteers.c). Only the
 * first four characters are read when pc is shorter. */
void demo_coord(const char *pc, int64_t *lat, int64_t *lon);

/* Links demo accounts to organisations of the sociale kaart (org_member):
 * wandelclub and organisatie approved, aanbieder waiting (demo_orgs.c).
 * Needs the demo accounts, postcodes and services. 0 or -1. */
int demo_orgs(db_t *db, const char *gemeente);

#endif
