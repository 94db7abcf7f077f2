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

#endif
