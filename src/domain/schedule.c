/*
 * schedule.c - HSDS schedules (RRULE subset) evaluated for a day and a
 * moment. See schedule.h.
 */
#include "domain/schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const WD[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

static int present(const char *s) { return s && *s; }

int sched_time(const char *s)
{
    if (!s) return -1;
    size_t n = strlen(s);
    if (n != 5 && n != 8) return -1;
    for (size_t i = 0; i < n; i++) {
        int colon = i == 2 || i == 5;
        if (colon ? s[i] != ':' : (s[i] < '0' || s[i] > '9')) return -1;
    }
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    int sec = n == 8 ? (s[6] - '0') * 10 + (s[7] - '0') : 0;
    if (h > 24 || m > 59 || sec > 59 || (h == 24 && (m || sec))) return -1;
    return h * 60 + m;
}

static int fail(char *err, size_t n, const char *field, const char *why)
{
    snprintf(err, n, "%s: %s", field, why);
    return -1;
}

/* "1TU" / "-1FR" / "+2WE" / "MO": ordinal and ISO weekday. */
static int parse_day(const char *t, size_t len, int *ord, int *wd)
{
    if (len < 2 || len > 4) return -1;
    const char *name = t + len - 2;
    *wd = 0;
    for (int i = 0; i < 7; i++)
        if (strncmp(name, WD[i], 2) == 0) *wd = i + 1;
    if (!*wd) return -1;
    *ord = 0;
    if (len == 2) return 0;
    const char *p = t;
    int sign = 1;
    if (*p == '-' || *p == '+') sign = *p++ == '-' ? -1 : 1;
    if (p + 1 != name || *p < '1' || *p > '5') return -1;
    *ord = sign * (*p - '0');
    return 0;
}

static int parse_byday(const char *s, struct sched *out)
{
    const char *p = s;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && *p == ' ') p++, len--;
        while (len && p[len - 1] == ' ') len--;
        if (out->nbyday == SCHED_MAX_BYDAY) return -1;
        if (parse_day(p, len, &out->byday_ord[out->nbyday], &out->byday_wd[out->nbyday]) != 0) return -1;
        out->nbyday++;
        if (!e) break;
        p = e + 1;
    }
    return out->nbyday ? 0 : -1;
}

static int parse_monthdays(const char *s, unsigned *mask)
{
    const char *p = s;
    while (*p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || !((v >= 1 && v <= 31) || v == -1)) return -1;
        *mask |= v == -1 ? 1u : 1u << v;
        while (*end == ' ') end++;
        if (*end == '\0') break;
        if (*end != ',') return -1;
        p = end + 1;
    }
    return *mask ? 0 : -1;
}

static int parse_date_field(const char *v, day_t *out, const char *field, char *err, size_t n)
{
    *out = -1;
    if (!present(v)) return 0;
    if (day_parse(v, out) != 0) return fail(err, n, field, "not a date YYYY-MM-DD");
    return 0;
}

int sched_parse(const struct sched_text *in, struct sched *out, char *err, size_t n)
{
    memset(out, 0, sizeof *out);
    out->interval = 1;
    out->opens = out->closes = -1;
    out->evaluable = 1;
    if (!present(in->freq)) out->freq = SCHED_NONE;
    else if (!strcmp(in->freq, "WEEKLY")) out->freq = SCHED_WEEKLY;
    else if (!strcmp(in->freq, "MONTHLY")) out->freq = SCHED_MONTHLY;
    else return fail(err, n, "freq", "must be WEEKLY or MONTHLY");
    if (present(in->interval)) {
        char *end;
        long v = strtol(in->interval, &end, 10);
        if (*end || v < 1 || v > 52) return fail(err, n, "interval", "must be a whole number 1..52");
        out->interval = (int)v;
    }
    if (present(in->byday) && parse_byday(in->byday, out) != 0)
        return fail(err, n, "byday", "must be a list like MO,TU or (monthly) 1TU,-1FR");
    if (out->freq == SCHED_WEEKLY)
        for (int i = 0; i < out->nbyday; i++)
            if (out->byday_ord[i]) return fail(err, n, "byday", "an ordinal such as 1TU needs freq MONTHLY");
    if (present(in->bymonthday) && parse_monthdays(in->bymonthday, &out->bymonthday) != 0)
        return fail(err, n, "bymonthday", "must be a list of days 1..31 or -1");
    if (parse_date_field(in->dtstart, &out->dtstart, "dtstart", err, n) ||
        parse_date_field(in->until, &out->until, "until", err, n) ||
        parse_date_field(in->valid_from, &out->valid_from, "valid_from", err, n) ||
        parse_date_field(in->valid_to, &out->valid_to, "valid_to", err, n))
        return -1;
    if (present(in->opens_at) && (out->opens = sched_time(in->opens_at)) < 0)
        return fail(err, n, "opens_at", "not a time HH:MM or HH:MM:SS");
    if (present(in->closes_at) && (out->closes = sched_time(in->closes_at)) < 0)
        return fail(err, n, "closes_at", "not a time HH:MM or HH:MM:SS");
    if (out->freq == SCHED_NONE || present(in->count) || present(in->byweekno) || present(in->byyearday))
        out->evaluable = 0;
    if (out->freq == SCHED_WEEKLY && out->nbyday == 0 && out->dtstart < 0) out->evaluable = 0;
    return 0;
}

static int days_in_month(int y, int m)
{
    if (m == 12) return 31;
    return (int)(day_from_ymd(y, m + 1, 1) - day_from_ymd(y, m, 1));
}

/* Does day match byday entry i in a month (MONTHLY ordinals)? */
static int ordinal_match(day_t day, int ord, int wd)
{
    if (day_weekday(day) != wd) return 0;
    if (ord == 0) return 1;
    int y, m, d;
    day_to_ymd(day, &y, &m, &d);
    if (ord > 0) return (d - 1) / 7 + 1 == ord;
    return (days_in_month(y, m) - d) / 7 + 1 == -ord;
}

/* Whole weeks / months between dtstart and day fit the interval. */
static int interval_ok(const struct sched *s, day_t day)
{
    if (s->interval == 1 || s->dtstart < 0) return 1;
    if (s->freq == SCHED_WEEKLY) {
        day_t monday_start = s->dtstart - (day_weekday(s->dtstart) - 1);
        day_t monday_day = day - (day_weekday(day) - 1);
        return ((monday_day - monday_start) / 7) % s->interval == 0;
    }
    int y0, m0, d0, y, m, d;
    day_to_ymd(s->dtstart, &y0, &m0, &d0);
    day_to_ymd(day, &y, &m, &d);
    return ((y - y0) * 12 + (m - m0)) % s->interval == 0;
}

int sched_meets_on(const struct sched *s, day_t day)
{
    if (!s->evaluable) return 0;
    if ((s->dtstart >= 0 && day < s->dtstart) || (s->until >= 0 && day > s->until)) return 0;
    if ((s->valid_from >= 0 && day < s->valid_from) || (s->valid_to >= 0 && day > s->valid_to)) return 0;
    if (!interval_ok(s, day)) return 0;
    int y, m, d;
    day_to_ymd(day, &y, &m, &d);
    if (s->bymonthday) {
        int last = d == days_in_month(y, m);
        if (!((s->bymonthday >> d) & 1u) && !(last && (s->bymonthday & 1u))) return 0;
    }
    if (s->nbyday) {
        for (int i = 0; i < s->nbyday; i++)
            if (ordinal_match(day, s->freq == SCHED_MONTHLY ? s->byday_ord[i] : 0, s->byday_wd[i])) return 1;
        return 0;
    }
    if (s->bymonthday) return 1;
    /* No byday/bymonthday: the weekday (weekly) or day of month (monthly) of dtstart. */
    if (s->freq == SCHED_WEEKLY) return day_weekday(day) == day_weekday(s->dtstart);
    int y0, m0, d0;
    day_to_ymd(s->dtstart >= 0 ? s->dtstart : day, &y0, &m0, &d0);
    return d == d0;
}

int sched_open_at(const struct sched *s, day_t day, int minute)
{
    if (minute < 0 || minute >= 24 * 60) return 0;
    int opens = s->opens < 0 ? 0 : s->opens;
    int closes = s->closes < 0 ? 24 * 60 : s->closes;
    if (closes > opens || s->closes < 0) return sched_meets_on(s, day) && minute >= opens && minute < closes;
    /* Past midnight: open from opens until the end of day, and the next
     * morning until closes. */
    if (minute >= opens && sched_meets_on(s, day)) return 1;
    return minute < closes && sched_meets_on(s, day - 1);
}
