/*
 * socialmap.h - Kantel's own taxonomy on the sociale kaart (HSDS 3.0).
 *
 * Services are linked (hsds_attribute rows with link_entity 'service') to
 * terms of one HSDS taxonomy, "Kantel", whose terms are:
 *   levensdomein/<code>  the 13 life domains of the zelfredzaamheid
 *                        instrument (domain/instrument.c), so a plan goal in
 *                        a domain finds the services for that domain;
 *   trede/4, trede/5     the ladder levels a service sits on (4 neighbourhood
 *                        and volunteers, 5 general provisions);
 *   leeftijd/<group>     age groups (kinderen 0-11, jongeren 12-17,
 *                        jongvolwassenen 18-26, volwassenen 27-64, ouderen 65+; the
 *                        same bounds as the volunteer matching's groups).
 * Term ids are deterministic UUIDs (RFC 9562 version 8, from a hash of the
 * code), the same in every municipality's data, so exports of different
 * municipalities use the same ids for the same term.
 */
#ifndef KANTEL_SOCIALMAP_H
#define KANTEL_SOCIALMAP_H

#include <stddef.h>

#include "db/db.h"

#define SOCIALMAP_TAXONOMY "Kantel"

struct socialmap_age_group {
    const char *code, *name;
    int min_age, max_age; /* inclusive; max -1 = no upper bound */
};

extern const struct socialmap_age_group socialmap_age_groups[];
extern const size_t socialmap_age_group_count;

/* A UUID-shaped id (36 characters + NUL) derived from a name: the same name
 * always gives the same id. */
void socialmap_uuid(const char *name, char out[37]);

/* The id of a Kantel term, e.g. "levensdomein/financien", "trede/4". */
void socialmap_term_id(const char *code, char out[37]);

/* Makes sure the Kantel taxonomy and all its terms exist for gemeente (inside
 * the caller's transaction if one is open). 0, or -1 on a database error. */
int socialmap_taxonomy_ensure(db_t *db, const char *gemeente);

#endif
