/* listing.c - listings that stay current (stub). */
#include "domain/listing.h"

#include <stdio.h>

int listing_currency_run(db_t *db, int64_t now, int flag_months, int hide_months, char *detail, size_t n)
{
    snprintf(detail, n, "not yet implemented");
    return 0;
}
