/* test_calendar.c - dates, Easter, Dutch holidays, working days, the
 * Amsterdam date of an instant and the legal deadlines (domain/calendar).
 * Expected dates are checked by hand against a calendar; the comments show
 * the reasoning. */
#include <stdint.h>
#include <string.h>

#include "domain/calendar.h"
#include "test.h"

/* "YYYY-MM-DD" -> day_t for expected values; a bad literal fails loudly. */
static day_t D(const char *s)
{
    day_t d = 0;
    if (day_parse(s, &d) < 0) CHECK(0, "test literal %s parses", s);
    return d;
}

static const char *fmt(day_t d)
{
    static char buf[8][11];
    static int i;
    i = (i + 1) % 8;
    day_format(d, buf[i]);
    return buf[i];
}

static void test_dates(void)
{
    CHECK(day_from_ymd(1970, 1, 1) == 0, "1970-01-01 is day 0");
    CHECK(day_from_ymd(1969, 12, 31) == -1, "1969-12-31 is day -1");
    CHECK(day_from_ymd(2000, 3, 1) == 11017, "2000-03-01 is day 11017");
    CHECK(day_from_ymd(2026, 11, 23) == 20780, "2026-11-23 is day 20780");
    CHECK(day_from_ymd(1900, 1, 1) == -25567, "1900-01-01 is day -25567");
    CHECK(day_from_ymd(2200, 12, 31) == 84370, "2200-12-31 is day 84370");
    CHECK(day_from_ymd(2026, 1, 32) == day_from_ymd(2026, 2, 1), "day 32 of January is 1 February");
    CHECK(day_from_ymd(2026, 3, 0) == day_from_ymd(2026, 2, 28), "day 0 of March is 28 February");

    CHECK(day_weekday(D("1970-01-01")) == 4, "1970-01-01 was a Thursday");
    CHECK(day_weekday(D("2026-11-23")) == 1, "2026-11-23 is a Monday");
    CHECK(day_weekday(D("1969-12-28")) == 7, "1969-12-28 was a Sunday (negative day)");
    CHECK(day_weekday(D("2000-02-29")) == 2, "2000-02-29 was a Tuesday");

    /* Every day 1900..2200: to_ymd/from_ymd and format/parse round trips,
     * consecutive dates and weekdays. */
    int ok = 1, prev_y = 1899, prev_m = 12, prev_d = 31;
    for (day_t d = D("1900-01-01"); d <= D("2200-12-31"); d++) {
        int y, m, dd;
        day_to_ymd(d, &y, &m, &dd);
        int next = (y == prev_y && m == prev_m && dd == prev_d + 1) ||
                   (y == prev_y && m == prev_m + 1 && dd == 1) || (y == prev_y + 1 && m == 1 && dd == 1);
        char s[11];
        day_t back = -1;
        day_format(d, s);
        if (!next || day_from_ymd(y, m, dd) != d || day_parse(s, &back) < 0 || back != d ||
            day_weekday(d) != (day_weekday(d - 1) % 7) + 1) {
            ok = 0;
            printf("# round trip broke at %s\n", s);
            break;
        }
        prev_y = y, prev_m = m, prev_d = dd;
    }
    CHECK(ok, "every day 1900..2200 round-trips through ymd and text and follows the previous one");

    char s[11];
    day_format(D("2026-03-02"), s);
    CHECK_STR(s, "2026-03-02", "format pads month and day");
    day_format(day_from_ymd(10000, 1, 1), s);
    CHECK_STR(s, "0000-00-00", "format of a year past 9999 is the zero date");

    day_t out = 12345;
    CHECK(day_parse("2026-02-29", &out) == -1 && out == 12345, "2026-02-29 refused, *out untouched");
    CHECK(day_parse("2028-02-29", &out) == 0 && out == day_from_ymd(2028, 2, 29), "2028-02-29 accepted");
    CHECK(day_parse("2000-02-29", &out) == 0, "2000-02-29 accepted (400-year leap)");
    CHECK(day_parse("2100-02-29", &out) == -1, "2100-02-29 refused (century)");
    CHECK(day_parse("1900-02-29", &out) == -1, "1900-02-29 refused (century)");
    CHECK(day_parse("2026-13-01", &out) == -1, "month 13 refused");
    CHECK(day_parse("2026-00-10", &out) == -1, "month 0 refused");
    CHECK(day_parse("2026-01-00", &out) == -1, "day 0 refused");
    CHECK(day_parse("2026-04-31", &out) == -1, "31 April refused");
    CHECK(day_parse("2026-1-01", &out) == -1, "one-digit month refused");
    CHECK(day_parse("2026-01-01x", &out) == -1, "trailing text refused");
    CHECK(day_parse("2026-01-01 ", &out) == -1, "trailing space refused");
    CHECK(day_parse(" 2026-01-01", &out) == -1, "leading space refused");
    CHECK(day_parse("2026/01/01", &out) == -1, "slashes refused");
    CHECK(day_parse("+026-01-01", &out) == -1, "sign refused");
    CHECK(day_parse("2026-01", &out) == -1, "short text refused");
    CHECK(day_parse("", &out) == -1 && day_parse(NULL, &out) == -1, "empty and NULL refused");
    CHECK(day_parse("1899-12-31", &out) == -1 && day_parse("2201-01-01", &out) == -1,
          "years outside 1900..2200 refused");
    CHECK(day_parse("1900-01-01", &out) == 0 && day_parse("2200-12-31", &out) == 0,
          "1900-01-01 and 2200-12-31 accepted");

    char nl[64];
    day_format_nl(D("2026-11-23"), nl, sizeof nl);
    CHECK_STR(nl, "maandag 23 november 2026", "Dutch long form");
    day_format_nl(D("1970-01-01"), nl, sizeof nl);
    CHECK_STR(nl, "donderdag 1 januari 1970", "Dutch long form, one-digit day");
    day_format_nl(D("2027-09-19"), nl, sizeof nl);
    CHECK_STR(nl, "zondag 19 september 2027", "Dutch long form, longest month name");
    day_format_nl(D("2026-11-23"), nl, 10);
    CHECK_STR(nl, "maandag 2", "Dutch long form truncates to the buffer");
}

static void test_amsterdam(void)
{
    /* Winter (CET, UTC+1): local midnight is 23:00 UTC. */
    CHECK_STR(fmt(day_today_amsterdam(1768517999)), "2026-01-15", "2026-01-15 22:59:59 UTC is still the 15th");
    CHECK_STR(fmt(day_today_amsterdam(1768518000)), "2026-01-16", "2026-01-15 23:00:00 UTC is the 16th");
    /* Summer (CEST, UTC+2): local midnight is 22:00 UTC. */
    CHECK_STR(fmt(day_today_amsterdam(1782943199)), "2026-07-01", "2026-07-01 21:59:59 UTC is still 1 July");
    CHECK_STR(fmt(day_today_amsterdam(1782943200)), "2026-07-02", "2026-07-01 22:00:00 UTC is 2 July");
    /* Summer time starts Sunday 29 March 2026 01:00 UTC: the midnight before
     * is still CET, the next midnight CEST. */
    CHECK_STR(fmt(day_today_amsterdam(1774738799)), "2026-03-28", "28 March 22:59:59 UTC (CET) is the 28th");
    CHECK_STR(fmt(day_today_amsterdam(1774738800)), "2026-03-29", "28 March 23:00:00 UTC (CET) is the 29th");
    CHECK_STR(fmt(day_today_amsterdam(1774738800 + 23 * 3600)), "2026-03-30",
              "29 March 22:00 UTC (first CEST evening) is the 30th");
    CHECK_STR(fmt(day_today_amsterdam(1774738800 + 23 * 3600 - 1)), "2026-03-29",
              "29 March 21:59:59 UTC is the 29th");
    /* Summer time ends Sunday 25 October 2026 01:00 UTC. */
    CHECK_STR(fmt(day_today_amsterdam(1792879199)), "2026-10-24", "24 October 21:59:59 UTC (CEST) is the 24th");
    CHECK_STR(fmt(day_today_amsterdam(1792879200)), "2026-10-25", "24 October 22:00:00 UTC (CEST) is the 25th");
    CHECK_STR(fmt(day_today_amsterdam(1792879200 + 24 * 3600 + 1800)), "2026-10-25",
              "25 October 22:30 UTC (CET again) is still the 25th");
    CHECK_STR(fmt(day_today_amsterdam(1792969200)), "2026-10-26", "25 October 23:00 UTC is the 26th");
    /* Year end and before the epoch. */
    CHECK_STR(fmt(day_today_amsterdam(1798757999)), "2026-12-31", "2026-12-31 22:59:59 UTC is New Year's Eve");
    CHECK_STR(fmt(day_today_amsterdam(1798758000)), "2027-01-01", "2026-12-31 23:00 UTC is 2027-01-01");
    CHECK_STR(fmt(day_today_amsterdam(-3600)), "1970-01-01", "1969-12-31 23:00 UTC is 1970-01-01");
    CHECK_STR(fmt(day_today_amsterdam(-3601)), "1969-12-31", "1969-12-31 22:59:59 UTC is 1969-12-31");
}

static void test_easter(void)
{
    CHECK_STR(fmt(easter_sunday(2019)), "2019-04-21", "Easter 2019");
    CHECK_STR(fmt(easter_sunday(2024)), "2024-03-31", "Easter 2024");
    CHECK_STR(fmt(easter_sunday(2025)), "2025-04-20", "Easter 2025");
    CHECK_STR(fmt(easter_sunday(2026)), "2026-04-05", "Easter 2026");
    CHECK_STR(fmt(easter_sunday(2027)), "2027-03-28", "Easter 2027");
    CHECK_STR(fmt(easter_sunday(2038)), "2038-04-25", "Easter 2038 (latest possible date)");
    CHECK_STR(fmt(easter_sunday(2008)), "2008-03-23", "Easter 2008");
    CHECK_STR(fmt(easter_sunday(2000)), "2000-04-23", "Easter 2000");
    CHECK_STR(fmt(easter_sunday(1900)), "1900-04-15", "Easter 1900");
    int ok = 1;
    for (int y = 1900; y <= 2200; y++) {
        day_t e = easter_sunday(y);
        if (day_weekday(e) != 7 || e < day_from_ymd(y, 3, 22) || e > day_from_ymd(y, 4, 25)) ok = 0;
    }
    CHECK(ok, "Easter 1900..2200 is always a Sunday between 22 March and 25 April");
}

static void test_holidays(void)
{
    static const struct {
        const char *day, *name;
    } want[] = {
        { "2026-01-01", "Nieuwjaarsdag" },  { "2026-04-03", "Goede Vrijdag" },
        { "2026-04-05", "Eerste Paasdag" }, { "2026-04-06", "Tweede Paasdag" },
        { "2026-04-27", "Koningsdag" },     { "2026-05-14", "Hemelvaartsdag" },
        { "2026-05-24", "Eerste Pinksterdag" }, { "2026-05-25", "Tweede Pinksterdag" },
        { "2026-12-25", "Eerste Kerstdag" }, { "2026-12-26", "Tweede Kerstdag" },
        { "2027-01-01", "Nieuwjaarsdag" },  { "2027-03-26", "Goede Vrijdag" },
        { "2027-03-28", "Eerste Paasdag" }, { "2027-03-29", "Tweede Paasdag" },
        { "2027-04-27", "Koningsdag" },     { "2027-05-06", "Hemelvaartsdag" },
        { "2027-05-16", "Eerste Pinksterdag" }, { "2027-05-17", "Tweede Pinksterdag" },
        { "2027-12-25", "Eerste Kerstdag" }, { "2027-12-26", "Tweede Kerstdag" },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        CHECK_STR(nl_holiday(D(want[i].day), NULL), want[i].name, "%s is %s", want[i].day, want[i].name);

    /* Nothing else in 2026 and 2027 (neither is a lustrum year). */
    int extra = 0, found = 0;
    for (day_t d = D("2026-01-01"); d <= D("2027-12-31"); d++) {
        if (!nl_holiday(d, NULL)) continue;
        found++;
        int listed = 0;
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
            if (D(want[i].day) == d) listed = 1;
        if (!listed) extra++;
    }
    CHECK(found == 20 && extra == 0, "2026-2027 have exactly the 20 listed holidays (%d found, %d extra)", found,
          extra);

    const struct holiday_rules never = { BEVRIJDINGSDAG_NEVER }, lustrum = { BEVRIJDINGSDAG_LUSTRUM },
                               always = { BEVRIJDINGSDAG_ALWAYS };
    CHECK_STR(nl_holiday(D("2025-04-26"), NULL), "Koningsdag", "Koningsdag 2025 is Saturday 26 April (27th is a Sunday)");
    CHECK(nl_holiday(D("2025-04-27"), NULL) == NULL, "Sunday 27 April 2025 is not Koningsdag");
    CHECK(nl_holiday(D("2013-04-27"), NULL) == NULL, "no Koningsdag before 2014 (not modelled)");
    CHECK_STR(nl_holiday(D("2025-05-05"), NULL), "Bevrijdingsdag", "Bevrijdingsdag 2025 (lustrum, default rules)");
    CHECK_STR(nl_holiday(D("2025-05-05"), &lustrum), "Bevrijdingsdag", "Bevrijdingsdag 2025 with lustrum rule");
    CHECK(nl_holiday(D("2026-05-05"), NULL) == NULL, "no Bevrijdingsdag in 2026 by default");
    CHECK(nl_holiday(D("2026-05-05"), &lustrum) == NULL, "no Bevrijdingsdag in 2026 with lustrum rule");
    CHECK_STR(nl_holiday(D("2026-05-05"), &always), "Bevrijdingsdag", "Bevrijdingsdag 2026 with rule 'always'");
    CHECK(nl_holiday(D("2025-05-05"), &never) == NULL, "no Bevrijdingsdag 2025 with rule 'never'");
    CHECK_STR(nl_holiday(D("2005-05-05"), NULL), "Hemelvaartsdag", "5 May 2005 was also Hemelvaartsdag: that name wins");
    CHECK_STR(nl_holiday(D("2030-05-05"), NULL), "Bevrijdingsdag", "2030 is a lustrum year");

    CHECK(is_atw_holiday(D("2026-05-05")), "5 May is an Atw holiday in every year");
    CHECK(is_atw_holiday(D("2026-04-03")), "Goede Vrijdag is an Atw holiday (art. 3 lid 2)");
    CHECK(!is_atw_holiday(D("2026-05-15")), "the Friday after Hemelvaartsdag is not (decree days not modelled)");
}

/* Day-by-day reference for add_working_days. */
static day_t slow_add(day_t start, int n, const struct holiday_rules *r)
{
    int step = n < 0 ? -1 : 1, left = n < 0 ? -n : n;
    while (left > 0) {
        start += step;
        if (is_working_day(start, r)) left--;
    }
    return start;
}

static void test_working_days(void)
{
    CHECK(!is_working_day(D("2026-12-25"), NULL) && !is_working_day(D("2026-12-26"), NULL) &&
              !is_working_day(D("2026-12-27"), NULL) && is_working_day(D("2026-12-24"), NULL),
          "Christmas 2026: Thu 24 works, Fri 25, Sat 26, Sun 27 do not");
    /* 24 Thu (1), 25 Fri holiday, 26 Sat, 27 Sun, 28 Mon (2), 29 Tue (3). */
    CHECK_STR(fmt(add_working_days(D("2026-12-23"), 3, NULL)), "2026-12-29", "3 working days after 2026-12-23");
    /* 31 Thu (1), 1 Jan holiday, 2-3 weekend, 4 Mon (2). */
    CHECK_STR(fmt(add_working_days(D("2026-12-30"), 2, NULL)), "2027-01-04", "2 working days after 2026-12-30");
    /* 3 Goede Vrijdag, 4-5 weekend, 6 Tweede Paasdag. */
    CHECK_STR(fmt(add_working_days(D("2026-04-02"), 1, NULL)), "2026-04-07", "1 working day after Thursday before Easter");
    CHECK_STR(fmt(add_working_days(D("2026-05-22"), 1, NULL)), "2026-05-26", "1 working day after Friday before Pentecost");
    CHECK_STR(fmt(add_working_days(D("2026-05-13"), 1, NULL)), "2026-05-15", "Hemelvaartsdag is skipped");
    CHECK_STR(fmt(add_working_days(D("2026-04-26"), 1, NULL)), "2026-04-28", "Koningsdag (Monday 27 April) is skipped");
    CHECK_STR(fmt(add_working_days(D("2026-12-27"), 0, NULL)), "2026-12-27", "0 working days returns the start, even on a Sunday");
    CHECK_STR(fmt(add_working_days(D("2026-04-07"), -1, NULL)), "2026-04-02", "-1 counts back over Easter");
    CHECK_STR(fmt(add_working_days(D("2026-05-04"), 1, NULL)), "2026-05-05", "5 May 2026 works by default");
    const struct holiday_rules always = { BEVRIJDINGSDAG_ALWAYS };
    CHECK_STR(fmt(add_working_days(D("2026-05-04"), 1, &always)), "2026-05-06", "5 May 2026 skipped with rule 'always'");

    CHECK(working_days_between(D("2026-12-23"), D("2026-12-29"), NULL) == 3, "3 working days in (23 Dec, 29 Dec]");
    CHECK(working_days_between(D("2026-12-29"), D("2026-12-23"), NULL) == -3, "reversed range is negative");
    CHECK(working_days_between(D("2026-12-23"), D("2026-12-23"), NULL) == 0, "empty range is 0");
    /* 2026: 261 weekdays minus 7 holidays on weekdays (1 Jan, 3 Apr, 6 Apr,
     * 27 Apr, 14 May, 25 May, 25 Dec) = 254; 5 May (Tuesday) too = 253. */
    CHECK(working_days_between(D("2025-12-31"), D("2026-12-31"), NULL) == 254, "2026 has 254 working days");
    CHECK(working_days_between(D("2025-12-31"), D("2026-12-31"), &always) == 253, "253 when 5 May always counts");
    /* 2025: 261 weekdays minus 1 Jan, 18 Apr, 21 Apr, 5 May, 29 May, 9 Jun,
     * 25 Dec, 26 Dec (Koningsdag is Saturday 26 April) = 253. */
    CHECK(working_days_between(D("2024-12-31"), D("2025-12-31"), NULL) == 253, "2025 has 253 working days");
    CHECK_STR(fmt(add_working_days(D("2025-12-31"), 254, NULL)), "2026-12-31", "254 working days after 2025-12-31");
    CHECK_STR(fmt(add_working_days(D("2026-12-31"), -254, NULL)), "2025-12-31", "and 254 back");

    /* The week-jumping and arithmetic versions agree with day-by-day counting. */
    int ok = 1;
    for (day_t s = D("2025-12-01"); s <= D("2026-01-31") && ok; s += 3) {
        for (int n = -700; n <= 700 && ok; n += 7) {
            day_t fast = add_working_days(s, n, NULL), slow = slow_add(s, n, NULL);
            /* forward: n working days in (s, fast]; back: -n in [fast, s) */
            int count = n >= 0 ? working_days_between(s, fast, NULL) : working_days_between(s - 1, fast - 1, NULL);
            if (fast != slow || count != n) {
                ok = 0;
                printf("# mismatch at %s n=%d: %s vs %s\n", fmt(s), n, fmt(fast), fmt(slow));
            }
        }
    }
    CHECK(ok, "add_working_days and working_days_between agree with day-by-day counting");
}

static void check_due(enum deadline_kind k, const char *start, const char *want, const char *why)
{
    CHECK_STR(fmt(deadline_due(deadline_default(k), D(start), NULL)), want, "%s: %s from %s", why,
              deadline_default(k)->code, start);
}

static void test_deadlines(void)
{
    int ok = 1;
    for (int k = 0; k < DL_COUNT; k++) {
        const struct deadline_rule *r = deadline_default((enum deadline_kind)k);
        if (!r || !r->code || !r->label_nl || !r->source || r->amount < 1) ok = 0;
    }
    CHECK(ok, "every deadline kind has a complete default rule");
    CHECK(deadline_default(DL_COUNT) == NULL, "out-of-range kind gives NULL");
    CHECK(deadline_default(DL_WMO_ONDERZOEK)->amount == 6 && deadline_default(DL_WMO_ONDERZOEK)->unit == DL_UNIT_WEEKS,
          "Wmo onderzoek is 6 weeks");
    CHECK(deadline_default(DL_ISTD_ANTWOORD)->unit == DL_UNIT_WORKING_DAYS, "iStandaarden answer is in working days");

    /* Wmo onderzoek, 6 weeks = 42 days, same weekday. */
    check_due(DL_WMO_ONDERZOEK, "2026-03-02", "2026-04-13", "Monday to Monday six weeks later");
    check_due(DL_WMO_ONDERZOEK, "2026-02-07", "2026-03-23", "ends Saturday 21 March, extended over the weekend");
    check_due(DL_WMO_ONDERZOEK, "2026-02-23", "2026-04-07", "ends on Tweede Paasdag, extended to Tuesday");
    /* Persoonlijk plan, 7 days. */
    check_due(DL_WMO_PERSOONLIJK_PLAN, "2026-03-04", "2026-03-11", "Wednesday to Wednesday");
    check_due(DL_WMO_PERSOONLIJK_PLAN, "2026-04-18", "2026-04-28", "ends Saturday 25 April, over Sunday and Koningsdag");
    /* Wmo besluit, 2 weeks after the aanvraag. */
    check_due(DL_WMO_BESLUIT, "2026-03-23", "2026-04-07", "ends Monday 6 April (Tweede Paasdag) -> Tuesday");
    check_due(DL_WMO_BESLUIT, "2026-03-20", "2026-04-07", "ends on Goede Vrijdag, over the Easter weekend");
    check_due(DL_WMO_BESLUIT, "2026-04-21", "2026-05-06", "ends on 5 May, an Atw holiday even outside a lustrum");
    /* Jeugdwet besluit, 8 weeks = 56 days. */
    check_due(DL_JEUGD_BESLUIT, "2026-10-29", "2026-12-24", "ends Thursday 24 December, a working day");
    check_due(DL_JEUGD_BESLUIT, "2026-10-30", "2026-12-28", "ends on Eerste Kerstdag, over Christmas and the weekend");
    /* Participatiewet besluit, 8 weeks, across the year end. */
    check_due(DL_PW_BESLUIT, "2026-11-09", "2027-01-04", "Monday to Monday across the year end");
    check_due(DL_PW_BESLUIT, "2026-11-06", "2027-01-04", "ends on Nieuwjaarsdag 2027, over the weekend");
    /* Zoektermijn, 4 weeks, a waiting period: never extended. */
    check_due(DL_PW_ZOEKTERMIJN, "2026-04-06", "2026-05-04", "starts on a holiday, ends four weeks later");
    check_due(DL_PW_ZOEKTERMIJN, "2026-09-12", "2026-10-10", "ends on a Saturday and stays there");
    /* iStandaarden answer, 3 working days. */
    check_due(DL_ISTD_ANTWOORD, "2026-12-23", "2026-12-29", "over Christmas");
    check_due(DL_ISTD_ANTWOORD, "2026-04-02", "2026-04-09", "over Easter: 7, 8, 9 April");
    /* Network follow-up, 4 weeks, practice not law: not extended. */
    check_due(DL_NETWERK_OPVOLGING, "2026-09-10", "2026-10-08", "Thursday to Thursday");
    check_due(DL_NETWERK_OPVOLGING, "2026-12-05", "2027-01-02", "ends Saturday 2 January and stays there");

    /* Overrides and the remaining Atw rules. */
    struct deadline_rule r = *deadline_default(DL_WMO_BESLUIT);
    CHECK(deadline_parse_override("3d", &r) == 0 && r.amount == 3 && r.unit == DL_UNIT_DAYS &&
              r.extend_to_working_day == 1,
          "'3d' sets 3 days and keeps the extension");
    /* Thursday 8 Jan + 3 = Sunday 11 -> Monday 12; Fri 9 and Mon 12 are the
     * two ordinary days art. 2 asks for. */
    CHECK_STR(fmt(deadline_due(&r, D("2026-01-08"), NULL)), "2026-01-12", "3 days from a Thursday end on Monday");
    /* Thursday 2 April + 3 = Easter Sunday -> Tuesday 7 (art. 1), but only
     * Tuesday is an ordinary day in the term, so art. 2 adds Wednesday 8. */
    CHECK_STR(fmt(deadline_due(&r, D("2026-04-02"), NULL)), "2026-04-08", "Atw art. 2: two ordinary days in the term");
    CHECK(deadline_parse_override("12w", &r) == 0, "'12w' parses");
    CHECK_STR(fmt(deadline_due(&r, D("2026-01-10"), NULL)), "2026-04-07", "12 weeks ending on Saturday 4 April is extended");
    CHECK(deadline_parse_override("13w", &r) == 0, "'13w' parses");
    CHECK_STR(fmt(deadline_due(&r, D("2026-01-03"), NULL)), "2026-04-04", "13 weeks: beyond 12 weeks the Atw does not apply");
    CHECK(deadline_parse_override("3wd", &r) == 0 && r.amount == 3 && r.unit == DL_UNIT_WORKING_DAYS, "'3wd' parses");
    CHECK(deadline_parse_override(" 10w\t", &r) == 0 && r.amount == 10 && r.unit == DL_UNIT_WEEKS,
          "surrounding blanks allowed");
    CHECK(deadline_parse_override("7d", &r) == 0 && r.amount == 7 && r.unit == DL_UNIT_DAYS, "'7d' parses");
    CHECK(deadline_parse_override("520w", &r) == 0 && deadline_parse_override("3650d", &r) == 0 &&
              deadline_parse_override("2600wd", &r) == 0,
          "upper limits accepted");
    struct deadline_rule before = r;
    const char *bad[] = { "", "w", "6", "0w", "6x", "6W", "-6w", "+6w", "6w extra", "6 w", "6wdd", "521w",
                          "3651d", "2601wd", "99999d", "6.5w", "6dw" };
    int refused = 1;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (deadline_parse_override(bad[i], &r) != -1) {
            refused = 0;
            printf("# accepted '%s'\n", bad[i]);
        }
    }
    CHECK(refused && memcmp(&before, &r, sizeof r) == 0, "bad overrides refused, rule untouched");
    CHECK(deadline_parse_override(NULL, &r) == -1 && deadline_parse_override("6w", NULL) == -1, "NULL refused");

    day_t due = D("2026-04-13");
    CHECK(days_left(due, D("2026-04-10")) == 3 && days_left(due, due) == 0 && days_left(due, D("2026-04-14")) == -1,
          "days_left counts calendar days");
    CHECK(deadline_status(due, D("2026-04-14"), 3) == DL_OVERDUE, "the day after the due day is overdue");
    CHECK(deadline_status(due, due, 3) == DL_DUE_SOON, "the due day itself is due soon, not overdue");
    CHECK(deadline_status(due, D("2026-04-10"), 3) == DL_DUE_SOON, "3 days left with soon = 3 is due soon");
    CHECK(deadline_status(due, D("2026-04-09"), 3) == DL_OK, "4 days left with soon = 3 is ok");
    CHECK(deadline_status(due, D("2026-04-12"), 0) == DL_OK, "soon = 0 only flags the due day");
}

int main(void)
{
    test_dates();
    test_amsterdam();
    test_easter();
    test_holidays();
    test_working_days();
    test_deadlines();
    return t_done();
}
