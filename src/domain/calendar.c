/* calendar.c - see calendar.h. Pure date arithmetic: no I/O, no allocation,
 * no global mutable state; only read-only tables. */
#include "domain/calendar.h"

#include "core/util.h"

#include <assert.h>
#include <stdio.h>

/* Floor division and the matching non-negative remainder (b > 0). */
static int64_t fdiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b) != 0 && a < 0) q--;
    return q;
}

static int64_t fmod_pos(int64_t a, int64_t b) { return a - fdiv(a, b) * b; }

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_length(int y, int m)
{
    static const unsigned char len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return (m == 2 && is_leap(y)) ? 29 : len[m - 1];
}

/* ---- dates ------------------------------------------------------------ */

/* Counting from 1 March of year 0 keeps the leap day at the end of each
 * counted year: a March-based year yy spans March yy .. February yy+1, the
 * months before the one asked for add up to (153 * mi + 2) / 5 days (mi = 0
 * for March), and the leap days before it are those of years 1..yy. The
 * constant moves the origin to 1970-01-01. */
#define DAYS_0000_03_01_TO_EPOCH 719468

day_t day_from_ymd(int y, int m, int d)
{
    assert(m >= 1 && m <= 12);
    int64_t yy = (int64_t)y - (m <= 2 ? 1 : 0);
    int64_t mi = (m + 9) % 12;
    int64_t doy = (153 * mi + 2) / 5 + d - 1;
    int64_t days = 365 * yy + fdiv(yy, 4) - fdiv(yy, 100) + fdiv(yy, 400) + doy;
    return (day_t)(days - DAYS_0000_03_01_TO_EPOCH);
}

void day_to_ymd(day_t day, int *y, int *m, int *d)
{
    /* Estimate the year from the mean Gregorian year (146097 days per 400
     * years), then correct the estimate against real year starts. */
    int year = (int)(1970 + fdiv((int64_t)day * 400, 146097));
    while (day_from_ymd(year + 1, 1, 1) <= day) year++;
    while (day_from_ymd(year, 1, 1) > day) year--;
    int left = day - day_from_ymd(year, 1, 1);
    int month = 1;
    while (left >= month_length(year, month)) {
        left -= month_length(year, month);
        month++;
    }
    *y = year;
    *m = month;
    *d = left + 1;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int day_parse(const char *s, day_t *out)
{
    int y, m, d;
    if (!s || !out) return -1;
    /* Checked left to right, so a short string stops at its NUL. */
    if (digits(s, 4, &y) < 0 || s[4] != '-' || digits(s + 5, 2, &m) < 0 || s[7] != '-' ||
        digits(s + 8, 2, &d) < 0 || s[10] != '\0')
        return -1;
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > month_length(y, m)) return -1;
    *out = day_from_ymd(y, m, d);
    return 0;
}

static void put_digits(char *p, int v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void day_format(day_t day, char out[11])
{
    int y, m, d;
    day_to_ymd(day, &y, &m, &d);
    if (y < 0 || y > 9999) y = m = d = 0;
    put_digits(out, y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    out[10] = '\0';
}

/* 1970-01-01 was a Thursday (ISO 4). */
int day_weekday(day_t day) { return (int)fmod_pos((int64_t)day + 3, 7) + 1; }

day_t day_today_amsterdam(int64_t unix_seconds)
{
    int64_t offset = amsterdam_utc_offset(unix_seconds);
    return (day_t)fdiv(unix_seconds + offset, 86400);
}

int minute_amsterdam(int64_t unix_seconds)
{
    int64_t local = unix_seconds + amsterdam_utc_offset(unix_seconds);
    return (int)((local - fdiv(local, 86400) * 86400) / 60);
}

void day_format_nl(day_t day, char *out, size_t n)
{
    static const char *const wd[7] = { "maandag", "dinsdag", "woensdag", "donderdag",
                                       "vrijdag", "zaterdag", "zondag" };
    static const char *const mon[12] = { "januari", "februari", "maart",     "april",
                                         "mei",     "juni",     "juli",      "augustus",
                                         "september", "oktober", "november", "december" };
    int y, m, d;
    if (!out || n == 0) return;
    day_to_ymd(day, &y, &m, &d);
    snprintf(out, n, "%s %d %s %d", wd[day_weekday(day) - 1], d, mon[m - 1], y);
}

/* ---- holidays ---------------------------------------------------------- */

/* Anonymous Gregorian algorithm (Meeus/Jones/Butcher): the Paschal full moon
 * from the 19-year lunar cycle with the century corrections for leap days
 * dropped (skipped) and the lunar drift, then the Sunday after it. */
day_t easter_sunday(int year)
{
    int golden = year % 19;           /* position in the Metonic cycle */
    int century = year / 100;
    int in_century = year % 100;
    int skipped_leaps = century / 4;  /* century years that are leap years */
    int century_rest = century % 4;
    int moon_fix = (century + 8) / 25;
    int moon_drift = (century - moon_fix + 1) / 3;
    /* days from 21 March to the Paschal full moon, before the late fix */
    int moon = (19 * golden + century - skipped_leaps - moon_drift + 15) % 30;
    int leap_quads = in_century / 4;
    int year_rest = in_century % 4;
    int to_sunday = (32 + 2 * century_rest + 2 * leap_quads - moon - year_rest) % 7;
    int late_fix = (golden + 11 * moon + 22 * to_sunday) / 451;
    int n = moon + to_sunday - 7 * late_fix + 114;
    return day_from_ymd(year, n / 31, n % 31 + 1);
}

struct holiday {
    day_t day;
    const char *name;
};

#define MAX_HOLIDAYS 11

static int bevrijdingsdag_in(int y, const struct holiday_rules *r)
{
    int rule = r ? r->bevrijdingsdag : BEVRIJDINGSDAG_LUSTRUM;
    if (rule == BEVRIJDINGSDAG_ALWAYS) return 1;
    if (rule == BEVRIJDINGSDAG_NEVER) return 0;
    return y % 5 == 0; /* lustrum, also for unknown values */
}

/* Fills out with the holidays of year y, without duplicate days; where two
 * fall on one day the first listed wins (movable feasts before 5 May).
 * Returns the count. */
static int year_holidays(int y, const struct holiday_rules *r, struct holiday out[MAX_HOLIDAYS])
{
    day_t easter = easter_sunday(y);
    struct holiday all[MAX_HOLIDAYS];
    int n = 0;
    all[n++] = (struct holiday){ day_from_ymd(y, 1, 1), "Nieuwjaarsdag" };
    all[n++] = (struct holiday){ easter - 2, "Goede Vrijdag" };
    all[n++] = (struct holiday){ easter, "Eerste Paasdag" };
    all[n++] = (struct holiday){ easter + 1, "Tweede Paasdag" };
    if (y >= 2014) {
        day_t k = day_from_ymd(y, 4, 27);
        if (day_weekday(k) == 7) k--;
        all[n++] = (struct holiday){ k, "Koningsdag" };
    }
    all[n++] = (struct holiday){ easter + 39, "Hemelvaartsdag" };
    all[n++] = (struct holiday){ easter + 49, "Eerste Pinksterdag" };
    all[n++] = (struct holiday){ easter + 50, "Tweede Pinksterdag" };
    if (bevrijdingsdag_in(y, r)) all[n++] = (struct holiday){ day_from_ymd(y, 5, 5), "Bevrijdingsdag" };
    all[n++] = (struct holiday){ day_from_ymd(y, 12, 25), "Eerste Kerstdag" };
    all[n++] = (struct holiday){ day_from_ymd(y, 12, 26), "Tweede Kerstdag" };

    int kept = 0;
    for (int i = 0; i < n; i++) {
        int dup = 0;
        for (int j = 0; j < kept; j++)
            if (out[j].day == all[i].day) dup = 1;
        if (!dup) out[kept++] = all[i];
    }
    return kept;
}

const char *nl_holiday(day_t d, const struct holiday_rules *r)
{
    int y, m, dd;
    struct holiday h[MAX_HOLIDAYS];
    day_to_ymd(d, &y, &m, &dd);
    int n = year_holidays(y, r, h);
    for (int i = 0; i < n; i++)
        if (h[i].day == d) return h[i].name;
    return NULL;
}

int is_atw_holiday(day_t d)
{
    /* Atw art. 3 lid 1-2 is the same list with 5 May in every year. */
    const struct holiday_rules atw = { .bevrijdingsdag = BEVRIJDINGSDAG_ALWAYS };
    return nl_holiday(d, &atw) != NULL;
}

/* ---- working days ------------------------------------------------------ */

int is_working_day(day_t d, const struct holiday_rules *r)
{
    return day_weekday(d) <= 5 && nl_holiday(d, r) == NULL;
}

/* Monday to Friday from the Monday 1970-01-05 (day 4) through day x, as a
 * signed count, so weekdays in (a, b] = weekdays_to(b) - weekdays_to(a). */
static int64_t weekdays_to(day_t x)
{
    int64_t k = (int64_t)x - 4;
    int64_t weeks = fdiv(k, 7);
    int64_t rest = k - 7 * weeks; /* 0 = Monday */
    return 5 * weeks + (rest < 5 ? rest + 1 : 5);
}

int working_days_between(day_t a, day_t b, const struct holiday_rules *r)
{
    if (b < a) return -working_days_between(b, a, r);
    if (a == b) return 0;
    int64_t count = weekdays_to(b) - weekdays_to(a);
    int ya, yb, m, d;
    day_to_ymd(a, &ya, &m, &d);
    day_to_ymd(b, &yb, &m, &d);
    for (int y = ya; y <= yb; y++) {
        struct holiday h[MAX_HOLIDAYS];
        int n = year_holidays(y, r, h);
        for (int i = 0; i < n; i++)
            if (h[i].day > a && h[i].day <= b && day_weekday(h[i].day) <= 5) count--;
    }
    return (int)count;
}

day_t add_working_days(day_t start, int n, const struct holiday_rules *r)
{
    assert(n >= -1000000 && n <= 1000000);
    int step = n < 0 ? -1 : 1;
    int left = n < 0 ? -n : n;
    day_t cur = start;
    /* Jump whole weeks while far away. A jump of w weeks passes at most 5w
     * working days, and w = (left - 1) / 5 keeps at least one to find day by
     * day, so the answer is never jumped over. */
    while (left > 10) {
        int weeks = (left - 1) / 5;
        day_t next = cur + step * 7 * weeks;
        int got = step > 0 ? working_days_between(cur, next, r)
                           : working_days_between(next - 1, cur - 1, r);
        cur = next;
        left -= got;
    }
    while (left > 0) {
        cur += step;
        if (is_working_day(cur, r)) left--;
    }
    return cur;
}

/* ---- legal deadlines --------------------------------------------------- */

static const struct deadline_rule default_rules[DL_COUNT] = {
    [DL_WMO_ONDERZOEK] = { "wmo_onderzoek", "Onderzoek Wmo afronden", 6, DL_UNIT_WEEKS, 1,
                           "Wmo 2015 art. 2.3.2 lid 1" },
    [DL_WMO_PERSOONLIJK_PLAN] = { "wmo_persoonlijk_plan", "Persoonlijk plan inleveren", 7,
                                  DL_UNIT_DAYS, 1, "Wmo 2015 art. 2.3.2 lid 2" },
    [DL_WMO_BESLUIT] = { "wmo_besluit", "Besluit op Wmo-aanvraag", 2, DL_UNIT_WEEKS, 1,
                         "Wmo 2015 art. 2.3.5 lid 1" },
    [DL_JEUGD_BESLUIT] = { "jeugd_besluit", "Besluit Jeugdwet", 8, DL_UNIT_WEEKS, 1,
                           "Awb art. 4:13 (Jeugdwet)" },
    [DL_PW_BESLUIT] = { "pw_besluit", "Besluit op bijstandsaanvraag", 8, DL_UNIT_WEEKS, 1,
                        "Awb art. 4:13 (Participatiewet)" },
    [DL_PW_ZOEKTERMIJN] = { "pw_zoektermijn", "Zoektermijn jongere onder 27 voorbij", 4,
                            DL_UNIT_WEEKS, 0, "Participatiewet art. 41 lid 4" },
    [DL_ISTD_ANTWOORD] = { "istd_antwoord", "Bericht iStandaarden beantwoorden", 3,
                           DL_UNIT_WORKING_DAYS, 0, "iStandaarden regel OP090" },
    [DL_NETWERK_OPVOLGING] = { "netwerk_opvolging", "Netwerkberaad nabellen", 4, DL_UNIT_WEEKS, 0,
                               "Werkwijze netwerkberaad (Eigen Kracht-conferentie)" },
};

const struct deadline_rule *deadline_default(enum deadline_kind kind)
{
    if ((int)kind < 0 || kind >= DL_COUNT) return NULL;
    return &default_rules[kind];
}

static int atw_free(day_t d) { return day_weekday(d) >= 6 || is_atw_holiday(d); }

/* Algemene termijnenwet art. 1 and 2 for a term (start, due]. */
static day_t atw_extend(day_t start, day_t due)
{
    int long_enough = due - start >= 3; /* art. 2 is for terms of 3+ days */
    int open = 0;                       /* days in (start, due] that are not free */
    if (long_enough)
        for (day_t d = start + 1; d <= due; d++) open += !atw_free(d);
    while (atw_free(due) || (long_enough && open < 2)) {
        due++;
        open += !atw_free(due);
    }
    return due;
}

day_t deadline_due(const struct deadline_rule *rule, day_t start, const struct holiday_rules *r)
{
    assert(rule);
    day_t due;
    int atw_applies = rule->extend_to_working_day;
    switch (rule->unit) {
    case DL_UNIT_DAYS:
        due = start + rule->amount;
        if (rule->amount > 90) atw_applies = 0; /* Atw art. 4 lid 1 */
        break;
    case DL_UNIT_WEEKS:
        due = start + 7 * rule->amount;
        if (rule->amount > 12) atw_applies = 0; /* Atw art. 4 lid 1 */
        break;
    case DL_UNIT_WORKING_DAYS:
    default:
        due = add_working_days(start, rule->amount, r);
        break;
    }
    return atw_applies ? atw_extend(start, due) : due;
}

int deadline_parse_override(const char *text, struct deadline_rule *rule)
{
    if (!text || !rule) return -1;
    const char *p = text;
    while (*p == ' ' || *p == '\t') p++;
    int amount = 0, ndigits = 0;
    while (*p >= '0' && *p <= '9') {
        if (++ndigits > 4) return -1;
        amount = amount * 10 + (*p++ - '0');
    }
    if (ndigits == 0) return -1;
    enum deadline_unit unit;
    int max;
    if (p[0] == 'w' && p[1] == 'd') {
        unit = DL_UNIT_WORKING_DAYS;
        max = 2600;
        p += 2;
    } else if (p[0] == 'w') {
        unit = DL_UNIT_WEEKS;
        max = 520;
        p += 1;
    } else if (p[0] == 'd') {
        unit = DL_UNIT_DAYS;
        max = 3650;
        p += 1;
    } else {
        return -1;
    }
    while (*p == ' ' || *p == '\t') p++;
    if (*p != '\0' || amount < 1 || amount > max) return -1;
    rule->amount = amount;
    rule->unit = unit;
    return 0;
}

int days_left(day_t due, day_t today) { return (int)((int64_t)due - today); }

int deadline_status(day_t due, day_t today, int soon_days)
{
    int left = days_left(due, today);
    if (left < 0) return DL_OVERDUE;
    if (left <= soon_days) return DL_DUE_SOON;
    return DL_OK;
}
