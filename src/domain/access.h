/*
 * access.h - need-to-know for household records (DESIGN.md §3, BIO 8.03.02).
 *
 * A generalist or team lead may open a household when they are its current
 * coordinator, when they belong to the household's team, or when they broke
 * the glass for it (a reason, a limited time, audited, shown to the
 * coordinator). Everyone else is refused. Residents and network members get
 * their own, narrower views (portal), decided elsewhere. Pure database rules:
 * no HTTP, no audit writing (callers audit).
 */
#ifndef KANTEL_ACCESS_H
#define KANTEL_ACCESS_H

#include <stdint.h>

#include "db/db.h"

enum hh_access {
    HH_NOT_FOUND = 0,   /* no such household in this municipality */
    HH_DENIED,          /* exists, no need-to-know */
    HH_COORDINATOR,     /* the current coordinator */
    HH_TEAM,            /* member of the household's team */
    HH_BREAK_GLASS,     /* an unexpired break-the-glass grant */
};

#define BREAK_GLASS_SECONDS (8 * 3600) /* one working day */

/* Decides access of account_id (of municipality gemeente) to household_id at
 * time now. */
enum hh_access household_access(db_t *db, const char *gemeente, int64_t account_id, int64_t household_id, int64_t now);
const char *hh_access_name(enum hh_access a); /* "coordinator", "team", "break-glass", ... */

/* Records a break-the-glass grant (reason already validated, non-empty).
 * Returns the grant id or -1. */
int64_t break_glass_grant(db_t *db, const char *gemeente, int64_t account_id, int64_t household_id,
                          const char *reason, int64_t now);

#endif
