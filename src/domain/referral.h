/*
 * referral.h - closed-loop referrals from a plan action to a service of the
 * sociale kaart (stub: to be written; see docs/hsds.md).
 */
#ifndef KANTEL_REFERRAL_H
#define KANTEL_REFERRAL_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* Background job "referral.reminder": marks open referrals (verstuurd,
 * contact) whose status was not updated for days days. 0 or -1, with a short
 * result in detail. */
int referral_reminder_run(db_t *db, int64_t now, int days, char *detail, size_t n);

#endif
