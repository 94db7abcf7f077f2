/*
 * assess.h - assessments (metingen): a household member scored on one of the
 * instruments of domain/instrument.h at a date. Database rules without HTTP.
 *
 * Invariants kept here:
 *  - an assessment belongs to a household and to a person who is a member of
 *    that household on the day it is recorded (checked on every write);
 *  - its scores pass instrument_validate() (at least one domain scored, every
 *    value on the instrument's scale) and are stored as a compact JSON object
 *    {domain_code: integer} in assessment.scores;
 *  - its date lies within [today - 1 year, today] (Europe/Amsterdam), so the
 *    history stays about the recent, real situation.
 * Callers audit ("assessment.create") and check need-to-know (pages/hh.h).
 *
 * Memory: functions returning json_t hand a new reference to the caller, who
 * json_decref()s it. Nothing else is allocated for the caller.
 */
#ifndef KANTEL_ASSESS_H
#define KANTEL_ASSESS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/calendar.h"
#include "domain/instrument.h"

#define ASSESS_NOTE_MAX 2000 /* characters (code points) in a note */

enum {
    ASSESS_OK = 0,
    ASSESS_E_DB = -1,         /* database error; nothing written */
    ASSESS_E_MEMBER = -2,     /* the person is not a member of the household */
    ASSESS_E_INSTRUMENT = -3, /* unknown instrument */
    ASSESS_E_SCORES = -4,     /* instrument_validate() refused the scores */
    ASSESS_E_DATE = -5,       /* date malformed, in the future or over a year old */
    ASSESS_E_NOTE = -6,       /* note longer than ASSESS_NOTE_MAX characters */
};

/* Result of assess_date_check(). */
enum { ASSESS_DATE_OK = 0, ASSESS_DATE_FUTURE = 1, ASSESS_DATE_TOO_OLD = 2 };

/* Whether an assessment dated `date` may be recorded on `today`: not after
 * today and not before the same calendar day one year earlier (29 February
 * counts from 1 March of the year before). Pure. */
int assess_date_check(day_t date, day_t today);

/* The earliest date assess_date_check() accepts on today. Pure. */
day_t assess_date_min(day_t today);

/* 1 when person_id is a member of household_id, else 0. on_date NULL: ever
 * a member (for viewing the history); a date YYYY-MM-DD: still a member on
 * that date (membership without an end, or ending on or after it). */
int assess_is_member(db_t *db, int64_t household_id, int64_t person_id, const char *on_date);

/* The members of a household (also former ones): main resident first, then
 * by birth date: [{id, name, relation, birth_date, former}] (birth_date ""
 * when unknown; former true when the membership ended before today_s, a
 * YYYY-MM-DD date). */
json_t *assess_members(db_t *db, int64_t household_id, const char *today_s);

struct assess_in {
    int64_t household_id;
    int64_t person_id;
    const char *instrument; /* instrument code */
    json_t *scores;         /* only read; the caller keeps its reference */
    const char *date;       /* YYYY-MM-DD */
    const char *note;       /* may be NULL */
    int64_t assessed_by;    /* account id, 0 = none */
    int by_resident;        /* 1 when the resident filled it in */
};

/* Checks everything above again and inserts the assessment in one
 * transaction. today is the current date (day_today_amsterdam), now the
 * current unix time. Returns the new id (> 0) or an ASSESS_E_* code; on
 * ASSESS_E_SCORES the reason (Dutch) is in err when err is not NULL. */
int64_t assess_create(db_t *db, const char *gemeente, const struct assess_in *in, day_t today, int64_t now, char *err,
                      size_t errlen);

/* The assessments of a household, optionally only of one person (person_id
 * > 0) and/or one instrument (instrument != NULL). Order: newest first
 * (assessed_on, then id), or oldest first when ascending; limit <= 0 means no
 * limit (when limited, the newest `limit` are returned, still in the asked
 * order). Each element:
 *   {id, person_id, instrument, scores: {..}, date, by, by_resident, note, created_at}
 * with `by` the recording account's display name ("" when unknown). A stored
 * scores text that does not parse becomes {}. */
json_t *assess_list(db_t *db, int64_t household_id, int64_t person_id, const char *instrument, int ascending,
                    int limit);

/* The newest assessment of person_id in household_id with instrument (same
 * shape as an assess_list() element), or NULL when there is none. For other
 * pages, e.g. the current score of a plan goal. */
json_t *assess_latest(db_t *db, int64_t household_id, int64_t person_id, const char *instrument);

#endif
