/*
 * schedule.h - when a service meets: the HSDS 3.0 schedule object (an iCal
 * RRULE subset) as data, and the questions the sociale kaart asks of it:
 * "does it meet on this day?" and "is it open at this moment?".
 *
 * Supported, as HSDS uses them: freq WEEKLY or MONTHLY; interval (every n
 * weeks/months, counted from dtstart); byday (MO..SU, and for MONTHLY with an
 * ordinal: 1TU = first Tuesday, -1FR = last Friday); bymonthday (1..31, -1 =
 * last day); dtstart, until, valid_from, valid_to (dates, inclusive);
 * opens_at/closes_at (HH:MM or HH:MM:SS, local time Europe/Amsterdam; closes
 * before opens means past midnight). count, byweekno and byyearday are not
 * evaluated: a schedule that uses them is parsed but reported as not
 * evaluable (sched.evaluable = 0) and never matches, rather than matching
 * wrongly. Pure functions: no database, no clock.
 */
#ifndef KANTEL_SCHEDULE_H
#define KANTEL_SCHEDULE_H

#include <stddef.h>

#include "domain/calendar.h"

enum sched_freq { SCHED_NONE = 0, SCHED_WEEKLY, SCHED_MONTHLY };

#define SCHED_MAX_BYDAY 14

struct sched {
    enum sched_freq freq;
    int interval;                 /* >= 1 */
    int nbyday;
    int byday_wd[SCHED_MAX_BYDAY];  /* ISO weekday 1..7 */
    int byday_ord[SCHED_MAX_BYDAY]; /* 0 = every; 1..5 = n-th; -1..-5 = n-th from the end (MONTHLY) */
    unsigned bymonthday;          /* bit d (1..31) set; bit 0 = last day of the month */
    day_t dtstart, until, valid_from, valid_to; /* -1 = not set */
    int opens, closes;            /* minutes after midnight; -1 = not given (all day) */
    int evaluable;                /* 0 when it uses parts not modelled here */
};

/* Text fields as HSDS gives them (NULL or "" = absent). Returns 0, or -1 with
 * a short English reason (the field and what is wrong) in err. */
struct sched_text {
    const char *freq, *interval, *byday, *bymonthday, *dtstart, *until, *valid_from, *valid_to, *opens_at,
        *closes_at, *count, *byweekno, *byyearday;
};
int sched_parse(const struct sched_text *in, struct sched *out, char *err, size_t errlen);

/* 1 when the schedule has an occurrence on day. */
int sched_meets_on(const struct sched *s, day_t day);
/* 1 when it is open at minute (0..1439, local time) of day, including an
 * evening that runs past midnight from the day before. */
int sched_open_at(const struct sched *s, day_t day, int minute);

/* Parses "HH:MM" or "HH:MM:SS" to minutes after midnight; -1 when invalid. */
int sched_time(const char *s);

#endif
