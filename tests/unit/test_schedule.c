/* test_schedule.c - HSDS schedules: parsing and "meets on" / "open at". */
#include <string.h>

#include "domain/schedule.h"
#include "test.h"

static day_t D(const char *s)
{
    day_t d = -1;
    day_parse(s, &d);
    return d;
}

static int parse(struct sched *s, struct sched_text t)
{
    char err[120] = "";
    int rc = sched_parse(&t, s, err, sizeof err);
    if (rc) printf("# parse: %s\n", err);
    return rc;
}

static const char *parse_err(struct sched_text t)
{
    static char err[120];
    struct sched s;
    err[0] = '\0';
    return sched_parse(&t, &s, err, sizeof err) == 0 ? "" : err;
}

int main(void)
{
    struct sched s;
    /* 2026-11-24 is a Tuesday. */
    CHECK(day_weekday(D("2026-11-24")) == 2, "fixture: 24 November 2026 is a Tuesday");

    CHECK(parse(&s, (struct sched_text){.freq = "WEEKLY", .byday = "TU,TH", .opens_at = "19:00", .closes_at = "21:00:00"}) == 0,
          "weekly on Tuesday and Thursday evening");
    CHECK(sched_meets_on(&s, D("2026-11-24")) && sched_meets_on(&s, D("2026-11-26")), "meets Tue and Thu");
    CHECK(!sched_meets_on(&s, D("2026-11-25")) && !sched_meets_on(&s, D("2026-11-29")), "not Wed or Sun");
    CHECK(sched_open_at(&s, D("2026-11-24"), 19 * 60) && sched_open_at(&s, D("2026-11-24"), 20 * 60 + 59),
          "open from 19:00 until 20:59");
    CHECK(!sched_open_at(&s, D("2026-11-24"), 21 * 60) && !sched_open_at(&s, D("2026-11-24"), 18 * 60 + 59),
          "closed at 21:00 and at 18:59");

    CHECK(parse(&s, (struct sched_text){.freq = "WEEKLY", .interval = "2", .byday = "WE", .dtstart = "2026-11-04"}) == 0,
          "every other Wednesday from 4 November");
    CHECK(sched_meets_on(&s, D("2026-11-04")) && sched_meets_on(&s, D("2026-11-18")) && sched_meets_on(&s, D("2026-12-02")),
          "4 and 18 November, 2 December");
    CHECK(!sched_meets_on(&s, D("2026-11-11")) && !sched_meets_on(&s, D("2026-11-25")), "not 11 or 25 November");
    CHECK(!sched_meets_on(&s, D("2026-10-21")), "not before dtstart");
    CHECK(sched_open_at(&s, D("2026-11-18"), 3), "no times given: open all day");

    CHECK(parse(&s, (struct sched_text){.freq = "MONTHLY", .byday = "1TU,-1FR", .opens_at = "10:00", .closes_at = "12:00"}) == 0,
          "monthly: first Tuesday and last Friday");
    CHECK(sched_meets_on(&s, D("2026-12-01")) && sched_meets_on(&s, D("2026-11-27")), "1 December (Tue), 27 November (Fri)");
    CHECK(!sched_meets_on(&s, D("2026-12-08")) && !sched_meets_on(&s, D("2026-11-20")), "not the second Tuesday or an earlier Friday");

    CHECK(parse(&s, (struct sched_text){.freq = "MONTHLY", .bymonthday = "15,-1"}) == 0, "monthly on the 15th and the last day");
    CHECK(sched_meets_on(&s, D("2026-02-15")) && sched_meets_on(&s, D("2026-02-28")) && sched_meets_on(&s, D("2028-02-29")),
          "15 Feb, 28 Feb 2026, 29 Feb 2028 (leap year)");
    CHECK(!sched_meets_on(&s, D("2028-02-28")), "not 28 Feb in a leap year");
    CHECK(sched_meets_on(&s, D("2026-12-31")) && !sched_meets_on(&s, D("2026-12-30")), "last day of December");
    CHECK(parse(&s, (struct sched_text){.freq = "MONTHLY", .byday = "-1FR"}) == 0 && sched_meets_on(&s, D("2026-12-25")) &&
              !sched_meets_on(&s, D("2026-12-18")),
          "last Friday of December (found by fuzz_schedule)");

    CHECK(parse(&s, (struct sched_text){.freq = "WEEKLY", .byday = "FR,SA", .opens_at = "22:00", .closes_at = "02:00",
                                        .valid_from = "2026-11-01", .valid_to = "2026-12-31"}) == 0,
          "Friday and Saturday night past midnight, this season");
    CHECK(sched_open_at(&s, D("2026-11-27"), 23 * 60) && sched_open_at(&s, D("2026-11-28"), 60),
          "open Friday 23:00 and Saturday 01:00");
    CHECK(sched_open_at(&s, D("2026-11-29"), 90), "and Sunday 01:30 (Saturday night)");
    CHECK(!sched_open_at(&s, D("2026-11-30"), 60), "not Monday 01:00");
    CHECK(!sched_meets_on(&s, D("2027-01-01")), "not after valid_to");

    CHECK(parse(&s, (struct sched_text){.freq = "WEEKLY", .byday = "TH", .count = "3"}) == 0 && !s.evaluable &&
              !sched_meets_on(&s, D("2026-11-26")),
          "count is not modelled: parsed, never matches");
    CHECK(parse(&s, (struct sched_text){.freq = "WEEKLY", .byday = "MO", .until = "2026-11-30"}) == 0 &&
              sched_meets_on(&s, D("2026-11-30")) && !sched_meets_on(&s, D("2026-12-07")),
          "until is inclusive");

    CHECK(strstr(parse_err((struct sched_text){.freq = "DAILY"}), "freq") != NULL, "DAILY refused");
    CHECK(strstr(parse_err((struct sched_text){.freq = "WEEKLY", .byday = "XX"}), "byday") != NULL, "bad weekday refused");
    CHECK(strstr(parse_err((struct sched_text){.freq = "WEEKLY", .byday = "1TU"}), "MONTHLY") != NULL,
          "ordinal needs MONTHLY");
    CHECK(strstr(parse_err((struct sched_text){.freq = "MONTHLY", .byday = "6TU"}), "byday") != NULL, "6TU refused");
    CHECK(strstr(parse_err((struct sched_text){.freq = "MONTHLY", .bymonthday = "32"}), "bymonthday") != NULL,
          "day 32 refused");
    CHECK(strstr(parse_err((struct sched_text){.freq = "WEEKLY", .byday = "MO", .opens_at = "25:00"}), "opens_at") != NULL,
          "25:00 refused");
    CHECK(strstr(parse_err((struct sched_text){.freq = "WEEKLY", .byday = "MO", .dtstart = "2026-02-30"}), "dtstart") != NULL,
          "30 February refused");
    CHECK(strstr(parse_err((struct sched_text){.freq = "WEEKLY", .interval = "0", .byday = "MO"}), "interval") != NULL,
          "interval 0 refused");
    CHECK(sched_time("10:00:00") == 600 && sched_time("24:00") == 1440 && sched_time("9:00") == -1 &&
              sched_time("10:60") == -1,
          "times");
    return t_done();
}
