/*
 * household.h - persons, addresses, households, their members and the one
 * coordinator. Database rules without HTTP: callers validate input with
 * domain/ident.h first, wrap several calls in a transaction when they belong
 * together, and write audit events.
 *
 * Invariants kept here:
 *  - a BSN is stored only sealed (bsn_sealed) plus its keyed lookup hash;
 *  - a household has at most one current coordinator (end_at IS NULL, a
 *    unique index) and a transfer ends the current one and starts the next
 *    (inside the caller's transaction), with the reason kept in the history;
 *  - a household belongs to the team of its area (the team whose wijk holds
 *    the buurt of its address), unless set explicitly.
 */
#ifndef KANTEL_HOUSEHOLD_H
#define KANTEL_HOUSEHOLD_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct person_in {
    const char *bsn;          /* 9 normalised digits (ident.h), or NULL when unknown */
    const char *given_names;
    const char *prefix;       /* tussenvoegsel, may be NULL */
    const char *family_name;
    const char *birth_date;   /* YYYY-MM-DD or NULL */
    const char *gender;       /* man, vrouw, anders, onbekend (NULL = onbekend) */
    const char *phone, *email;/* may be NULL */
};

/* Inserts a person; returns the id, or -2 when a person with this BSN exists
 * in the municipality (then *existing gets its id), or -1 on another error. */
int64_t person_create(db_t *db, const char *gemeente, const struct person_in *p, int64_t *existing);
/* The id of the person with this BSN (normalised) in the municipality, or 0. */
int64_t person_by_bsn(db_t *db, const char *gemeente, const char *bsn);

/* Finds or creates the address; postcode normalised ("1234AB"). area_id is
 * the buurt (0 = unknown). Returns the id or -1. */
int64_t address_get(db_t *db, const char *gemeente, const char *postcode, int house_number,
                    const char *addition, const char *street, const char *city, int64_t area_id);

/* The team responsible for a buurt (via its wijk), or 0. */
int64_t team_for_area(db_t *db, int64_t buurt_id);

/* Creates an open household; team_id 0 = derive from the address's area.
 * Returns the id or -1. */
int64_t household_create(db_t *db, const char *gemeente, const char *name, int64_t address_id, int64_t team_id);

/* Adds a person with a relation (hoofdbewoner, partner, kind, ouder,
 * pleegkind, broer_zus, grootouder, overig). since may be NULL. 0 or -1. */
int household_add_member(db_t *db, int64_t household_id, int64_t person_id, const char *relation, const char *since);

/* Makes account_id the coordinator: ends the current one (if any) with the
 * reason and starts the new one. by = who decided. The caller holds a
 * transaction (db_begin ... db_commit) so both rows land together, and rolls
 * back on failure. Returns 0, -2 when account_id already is the coordinator,
 * -1 on error. */
int coordinator_set(db_t *db, int64_t household_id, int64_t account_id, const char *reason, int64_t by, int64_t now);
/* The current coordinator's account id, or 0. */
int64_t coordinator_current(db_t *db, int64_t household_id);

/* Dutch label of a member relation code ("broer_zus" -> "Broer of zus");
 * the code itself when unknown. */
const char *household_relation_label(const char *code);

/* Dutch display name "Given prefix Family" into out. */
void person_display_name(const char *given, const char *prefix, const char *family, char *out, size_t n);

#endif
