/* orgmember.c - the organisation an account speaks for (see orgmember.h). */
#include "domain/orgmember.h"

#include <stdio.h>
#include <string.h>

int orgmember_org(db_t *db, int64_t account_id, char org_id[ORG_ID_MAX], char *name, size_t namelen)
{
    org_id[0] = '\0';
    if (name && namelen) name[0] = '\0';
    db_stmt_t *st = db_prepare(db, "SELECT m.organization_id, COALESCE(o.name, '') FROM org_member m"
                                   " JOIN hsds_organization o ON o.id = m.organization_id"
                                   " WHERE m.account_id = ? AND m.status = 'goedgekeurd'");
    if (!st) return -1;
    db_bind_int(st, 1, account_id);
    int rc = db_step(st);
    int found = 0;
    if (rc == DB_ROW) {
        snprintf(org_id, ORG_ID_MAX, "%s", db_col_text(st, 0));
        if (name && namelen) snprintf(name, namelen, "%s", db_col_text(st, 1));
        found = 1;
    }
    db_done(st);
    return rc == DB_ROW || rc == DB_DONE ? found : -1;
}
