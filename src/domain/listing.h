/*
 * listing.h - listings of the sociale kaart that stay current (stub: to be
 * written; see docs/hsds.md).
 */
#ifndef KANTEL_LISTING_H
#define KANTEL_LISTING_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* Background job "socialmap.currency": flags listings not confirmed for
 * flag_months to their owner and hides those not confirmed for hide_months.
 * One bounded slice per run. 0 or -1, with a short result in detail. */
int listing_currency_run(db_t *db, int64_t now, int flag_months, int hide_months, char *detail, size_t n);

#endif
