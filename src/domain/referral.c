/* referral.c - closed-loop referrals (stub). */
#include "domain/referral.h"

#include <stdio.h>

int referral_reminder_run(db_t *db, int64_t now, int days, char *detail, size_t n)
{
    snprintf(detail, n, "not yet implemented");
    return 0;
}
