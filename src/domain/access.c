/* access.c - need-to-know for household records (see access.h). */
#include "domain/access.h"

#include <string.h>

const char *hh_access_name(enum hh_access a)
{
    switch (a) {
    case HH_COORDINATOR: return "coordinator";
    case HH_TEAM: return "team";
    case HH_BREAK_GLASS: return "break-glass";
    case HH_DENIED: return "denied";
    default: return "not-found";
    }
}

enum hh_access household_access(db_t *db, const char *gemeente, int64_t account_id, int64_t household_id, int64_t now)
{
    /* One query: the household's team and coordinator, the account's team and
     * whether an unexpired grant exists. */
    db_stmt_t *st = db_prepare(db,
        "SELECT h.team_id, a.team_id,"
        " (SELECT account_id FROM coordinator c WHERE c.household_id = h.id AND c.end_at IS NULL),"
        " EXISTS (SELECT 1 FROM break_glass b WHERE b.household_id = h.id AND b.account_id = a.id AND b.expires_at > ?)"
        " FROM household h JOIN account a ON a.id = ?"
        " WHERE h.id = ? AND h.gemeente = ? AND a.gemeente = h.gemeente");
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, account_id);
    db_bind_int(st, 3, household_id);
    db_bind_text(st, 4, gemeente);
    enum hh_access r = HH_NOT_FOUND;
    if (db_step(st) == DB_ROW) {
        int64_t hh_team = db_col_int(st, 0), my_team = db_col_int(st, 1);
        int has_team = !db_col_is_null(st, 0) && !db_col_is_null(st, 1);
        if (!db_col_is_null(st, 2) && db_col_int(st, 2) == account_id) r = HH_COORDINATOR;
        else if (has_team && hh_team == my_team) r = HH_TEAM;
        else if (db_col_int(st, 3)) r = HH_BREAK_GLASS;
        else r = HH_DENIED;
    }
    db_done(st);
    return r;
}

int64_t break_glass_grant(db_t *db, const char *gemeente, int64_t account_id, int64_t household_id,
                          const char *reason, int64_t now)
{
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO break_glass (gemeente, household_id, account_id, reason, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(st, 1, gemeente);
    db_bind_int(st, 2, household_id);
    db_bind_int(st, 3, account_id);
    db_bind_text(st, 4, reason);
    db_bind_int(st, 5, now);
    db_bind_int(st, 6, now + BREAK_GLASS_SECONDS);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    return id;
}
