/*
 * orgmember.h - which organisation of the sociale kaart an account speaks
 * for (table org_member, migration 0009). An account of a community
 * organisation or provider (CAP_ORG) claims one HSDS organisation; the
 * municipality's kaartbeheer approves the claim. Only an approved member
 * maintains the organisation's listings and sees its referral inbox.
 */
#ifndef KANTEL_ORGMEMBER_H
#define KANTEL_ORGMEMBER_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define ORG_ID_MAX 65 /* HSDS ids are 1..64 characters (router.c {uuid}) */

/* The organisation account_id speaks for. Returns 1 when its claim is
 * approved (org_id and, when name is not NULL, the organisation's name
 * filled), 0 when it has no approved claim, -1 on a database error. */
int orgmember_org(db_t *db, int64_t account_id, char org_id[ORG_ID_MAX], char *name, size_t namelen);

#endif
