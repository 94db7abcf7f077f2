/*
 * calendar.h - dates, Dutch public holidays, working days and the legal
 * deadlines of the social domain (DOMAIN.md §4 and §6).
 *
 * Everything here is a pure function: no database, no HTTP, no global mutable
 * state, no allocation, and no dependence on the host time zone (the
 * Europe/Amsterdam offset is computed from the EU rule, not from TZ or
 * localtime). Nothing returned needs freeing; returned strings are static
 * constants.
 *
 * Dates are `day_t`: whole days since 1970-01-01 in the proleptic Gregorian
 * calendar (1970-01-01 = 0, 1969-12-31 = -1). Subtracting two day_t values
 * gives a number of calendar days; adding n gives the date n days later.
 * The functions are exact for years 1..9999; the rest of Kantel accepts
 * 1900..2200 (day_parse).
 *
 * Conventions (see also the comments at each function):
 *  - Holidays follow DOMAIN.md §4. Koningsdag is modelled from 2014 (27 April,
 *    26 April when the 27th is a Sunday); the earlier Koninginnedag is not
 *    modelled, so late April of years before 2014 has no holiday.
 *    Goede Vrijdag always counts as a holiday (DOMAIN.md lists it; it is also
 *    equated to a holiday by Algemene termijnenwet art. 3 lid 2).
 *    Bevrijdingsdag (5 May) is per municipality: never, lustrum years only
 *    (years divisible by 5, the collective-agreement default), or always.
 *  - A term of N days or N weeks is counted from the day after the start:
 *    the last day is start + N (days) or start + 7N (weeks), i.e. the same
 *    weekday N weeks later. Example: 6 weeks from Monday 2 March 2026 ends on
 *    Monday 13 April 2026.
 *  - Statutory terms are extended per the Algemene termijnenwet (Atw), see
 *    deadline_due().
 */
#ifndef KANTEL_CALENDAR_H
#define KANTEL_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t day_t;

/* ---- dates ------------------------------------------------------------ */

/* Day number of the date y-m-d. m must be 1..12; d may run past the end of
 * the month (d = 32 in January gives 1 February) or below 1 (d = 0 gives the
 * last day of the previous month). */
day_t day_from_ymd(int y, int m, int d);

/* Splits a day number into year, month (1..12) and day of month (1..31).
 * None of the pointers may be NULL. */
void day_to_ymd(day_t day, int *y, int *m, int *d);

/* Parses exactly "YYYY-MM-DD" (ten characters, nothing before or after, no
 * sign, no spaces) naming a real date with the year in 1900..2200. Returns 0
 * and sets *out, or -1 and leaves *out untouched. */
int day_parse(const char *s, day_t *out);

/* Writes "YYYY-MM-DD" and a NUL into out (11 bytes). Years outside 0..9999
 * are written as "0000-00-00". */
void day_format(day_t day, char out[11]);

/* ISO weekday: 1 = Monday ... 7 = Sunday. */
int day_weekday(day_t day);

/* The calendar date in Europe/Amsterdam at the instant unix_seconds (UTC).
 * Offset: CET (UTC+1), or CEST (UTC+2) from the last Sunday of March 01:00
 * UTC until the last Sunday of October 01:00 UTC (EU rule, applied to every
 * year; the Dutch rules before 1996 differed and are not modelled). */
day_t day_today_amsterdam(int64_t unix_seconds);
/* The local time of day in Europe/Amsterdam at that instant, in minutes
 * after midnight (0..1439). */
int minute_amsterdam(int64_t unix_seconds);

/* Dutch long form, e.g. "maandag 23 november 2026", NUL-terminated and
 * truncated to fit n bytes (40 is always enough). n == 0 writes nothing. */
void day_format_nl(day_t day, char *out, size_t n);

/* ---- holidays ---------------------------------------------------------- */

/* Easter Sunday of a Gregorian year (anonymous Gregorian algorithm of
 * Meeus/Jones/Butcher). Defined for years >= 1583. */
day_t easter_sunday(int year);

enum {
    BEVRIJDINGSDAG_NEVER = 0,
    BEVRIJDINGSDAG_LUSTRUM = 1, /* default: years divisible by 5 */
    BEVRIJDINGSDAG_ALWAYS = 2,
};

/* Per-municipality holiday choices. A NULL pointer wherever rules are taken
 * means the defaults (HOLIDAY_RULES_DEFAULT). */
struct holiday_rules {
    int bevrijdingsdag; /* BEVRIJDINGSDAG_* */
};
#define HOLIDAY_RULES_DEFAULT ((struct holiday_rules){ .bevrijdingsdag = BEVRIJDINGSDAG_LUSTRUM })

/* The Dutch name of the public holiday on day d ("Nieuwjaarsdag",
 * "Goede Vrijdag", "Eerste Paasdag", "Tweede Paasdag", "Koningsdag",
 * "Bevrijdingsdag", "Hemelvaartsdag", "Eerste Pinksterdag",
 * "Tweede Pinksterdag", "Eerste Kerstdag", "Tweede Kerstdag"), or NULL.
 * When 5 May is also Hemelvaartsdag (as in 2005 and 2016) the answer is
 * "Hemelvaartsdag". The string is a static constant. */
const char *nl_holiday(day_t d, const struct holiday_rules *r);

/* 1 when d is an "algemeen erkende feestdag" of Algemene termijnenwet art. 3
 * (lid 1 and 2): Nieuwjaarsdag, Goede Vrijdag, Tweede Paasdag, Koningsdag,
 * 5 May in EVERY year, Hemelvaartsdag, Tweede Pinksterdag and both
 * Kerstdagen (Eerste Paas- and Pinksterdag are Sundays anyway). Days the
 * government equates to holidays by decree (art. 3 lid 3, e.g. bridge days)
 * are not known here. Else 0. */
int is_atw_holiday(day_t d);

/* ---- working days ------------------------------------------------------ */

/* 1 when d is Monday..Friday and not a holiday under r, else 0. */
int is_working_day(day_t d, const struct holiday_rules *r);

/* The n-th working day after start (start itself never counts); n = 0
 * returns start unchanged; a negative n counts back to the |n|-th working
 * day before start. |n| must be at most 1,000,000. */
day_t add_working_days(day_t start, int n, const struct holiday_rules *r);

/* The number of working days d with a < d <= b, so that
 * working_days_between(a, add_working_days(a, n, r), r) == n for n >= 0.
 * When b < a the result is minus the count for (b, a]. Takes time
 * proportional to the number of years spanned, not the number of days. */
int working_days_between(day_t a, day_t b, const struct holiday_rules *r);

/* ---- legal deadlines --------------------------------------------------- */

enum deadline_kind {
    DL_WMO_ONDERZOEK,        /* Wmo onderzoek finished: 6 weeks after melding */
    DL_WMO_PERSOONLIJK_PLAN, /* persoonlijk plan: 7 days after melding */
    DL_WMO_BESLUIT,          /* Wmo decision: 2 weeks after aanvraag */
    DL_JEUGD_BESLUIT,        /* Jeugdwet decision: 8 weeks (Awb 4:13) */
    DL_PW_BESLUIT,           /* Participatiewet decision: 8 weeks (Awb 4:13) */
    DL_PW_ZOEKTERMIJN,       /* under-27 search period: 4 weeks */
    DL_ISTD_ANTWOORD,        /* iStandaarden answer: 3 working days */
    DL_NETWERK_OPVOLGING,    /* network meeting follow-up call: 4 weeks */
    DL_COUNT
};

enum deadline_unit { DL_UNIT_DAYS, DL_UNIT_WEEKS, DL_UNIT_WORKING_DAYS };

struct deadline_rule {
    const char *code;          /* stable ASCII code, e.g. "wmo_onderzoek" */
    const char *label_nl;      /* Dutch label for the UI */
    int amount;                /* >= 1 */
    enum deadline_unit unit;
    int extend_to_working_day; /* 1: apply Algemene termijnenwet art. 1-2 */
    const char *source;        /* legal source, e.g. "Wmo 2015 art. 2.3.2 lid 1" */
};

/* The default rule for kind (DOMAIN.md §4 and §6), or NULL when kind is out
 * of range. The table is static and read-only; copy a rule to change it. The
 * extension is on for the statutory terms within which someone must act
 * (onderzoek, persoonlijk plan, the three decisions) and off for the
 * Participatiewet search period (a waiting period: extending it would only
 * postpone the resident's right to apply), the iStandaarden answer (working
 * days already, and a standard's rule, not a statute) and the network
 * follow-up (practice, not law). */
const struct deadline_rule *deadline_default(enum deadline_kind kind);

/* The last day of the term that starts on day start (the melding, the
 * aanvraag, the received message ...); the term runs through the due day.
 * Days: start + amount. Weeks: start + 7 * amount (the same weekday).
 * Working days: add_working_days(start, amount, r).
 * When rule->extend_to_working_day is set, the Algemene termijnenwet applies
 * (only to terms of at most 90 days or 12 weeks, art. 4 lid 1):
 *  - art. 1: a term ending on a Saturday, Sunday or Atw holiday
 *    (is_atw_holiday) runs on through the next day that is none of these;
 *  - art. 2: a term of at least 3 days is extended until it holds at least
 *    two such days after the start day.
 * The Atw holidays are the legal list, not the municipality's working-day
 * choice: 5 May extends a term in every year, even when the municipality only
 * closes in lustrum years. Example: 2 weeks from Monday 23 March 2026 end on
 * Monday 6 April 2026 (Tweede Paasdag) and so run through Tuesday 7 April. */
day_t deadline_due(const struct deadline_rule *rule, day_t start, const struct holiday_rules *r);

/* Parses a per-municipality override "<n>d", "<n>w" or "<n>wd" (calendar
 * days, weeks, working days; lowercase; surrounding spaces or tabs allowed;
 * n a decimal number without sign, 1..3650 days, 1..520 weeks or 1..2600
 * working days). On success sets rule->amount and rule->unit and returns 0;
 * otherwise returns -1 and leaves *rule untouched. The other fields
 * (extension, labels) are kept. */
int deadline_parse_override(const char *text, struct deadline_rule *rule);

enum deadline_state { DL_OK = 0, DL_DUE_SOON = 1, DL_OVERDUE = 2 };

/* Calendar days from today to due: 0 = due today, 1 = due tomorrow,
 * negative = overdue by that many days. */
int days_left(day_t due, day_t today);

/* DL_OVERDUE when today is after due; DL_DUE_SOON when due is today or
 * within soon_days calendar days; else DL_OK. */
int deadline_status(day_t due, day_t today, int soon_days);

#endif
