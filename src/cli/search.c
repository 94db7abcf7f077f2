/*
 * search.c - `kantel search`: the public search of the sociale kaart from the
 * command line, on an index built from the store (domain/search.h), and an
 * in-process benchmark of search_run (--herhaal N: the same query N times,
 * with the build time of the index and p50/p99 of the query alone).
 *
 * The postcode of --postcode resolves through postcode_geo of the
 * municipality of config key gemeente (kantel import postcodes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/util.h"
#include "domain/calendar.h"
#include "domain/ident.h"
#include "domain/schedule.h"
#include "domain/search.h"
#include "domain/volunteer.h"

#define CMD "search"

/* "5", "2.5", "0,8" kilometres -> metres (0 < km <= 1000). 0 or -1. */
static int parse_km(const char *s, int64_t *metres)
{
    int64_t whole = 0, frac = 0, scale = 1000;
    int digits = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        if (digits >= 4) return -1;
        whole = whole * 10 + (*p - '0');
    }
    if (!digits) return -1;
    if (*p == '.' || *p == ',') {
        p++;
        if (!(*p >= '0' && *p <= '9')) return -1;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (scale == 1) return -1; /* more precise than a metre */
            scale /= 10;
            frac += (*p - '0') * scale;
        }
    }
    if (*p) return -1;
    *metres = whole * 1000 + frac;
    return *metres > 0 && *metres <= 1000000 ? 0 : -1;
}

static int parse_int(const char *s, int64_t min, int64_t max, int *out)
{
    int64_t v;
    if (parse_i64(s, min, max, &v) != 0) return -1;
    *out = (int)v;
    return 0;
}

/* "YYYY-MM-DD HH:MM" -> day and minute. */
static int parse_moment(const char *s, day_t *day, int *minute)
{
    char d[11];
    if (strlen(s) != 16 || s[10] != ' ') return -1;
    memcpy(d, s, 10);
    d[10] = '\0';
    int m = sched_time(s + 11);
    if (day_parse(d, day) != 0 || m < 0 || m >= 24 * 60) return -1;
    *minute = m;
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Resident set size in MiB from /proc (Linux), or -1. */
static long rss_mib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb < 0 ? -1 : kb / 1024;
}

static void print_hits(const search_index_t *ix, const struct search_query *q, const struct search_result *r)
{
    if (r->total == 0) {
        printf("no services found\n");
        return;
    }
    printf("%d %s found", r->total, r->total == 1 ? "service" : "services");
    if (r->n < r->total) printf(", showing %d-%d", q->offset + 1, q->offset + r->n);
    printf("\n");
    for (int i = 0; i < r->n; i++) {
        const struct search_hit *h = &r->hits[i];
        const struct search_service *s = search_service_at(ix, h->service);
        printf("%3d. %s", q->offset + i + 1, s->name);
        if (*s->org_name) printf(" (%s)", s->org_name);
        printf("\n     ");
        const char *sep = "";
        if (h->distance_m >= 0) {
            if (h->distance_m < 1000)
                printf("%lld m", (long long)h->distance_m);
            else
                printf("%.1f km", (double)h->distance_m / 1000.0);
            sep = " | ";
        }
        if (*s->schedule_text) {
            printf("%s%s", sep, s->schedule_text);
            sep = " | ";
        }
        if (*s->cost_text) printf("%s%s", sep, s->cost_text);
        printf("\n");
        if (h->location >= 0 && h->location < s->nlocations && *s->locations[h->location].address)
            printf("     %s\n", s->locations[h->location].address);
    }
}

int cmd_search(int argc, char **argv)
{
    struct search_query q = {.age = -1, .limit = 10};
    buf_t text = BUF_INIT;
    const char *postcode = NULL;
    int64_t radius = 0;
    int herhaal = 0, whens = 0, rc = 2;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        const char *v = has_value ? argv[i + 1] : "";
        if (a[0] != '-' || a[1] == '\0') {
            if (text.len) buf_putc(&text, ' ');
            buf_puts(&text, a);
            continue;
        }
        int flag = !strcmp(a, "--open-nu") || !strcmp(a, "--gratis");
        if (!flag && !has_value &&
            (!strcmp(a, "--domein") || !strcmp(a, "--leeftijd") || !strcmp(a, "--postcode") || !strcmp(a, "--km") ||
             !strcmp(a, "--open") || !strcmp(a, "--dag") || !strcmp(a, "--sorteer") || !strcmp(a, "--max") ||
             !strcmp(a, "--herhaal"))) {
            cli_usage_error(CMD, "%s needs a value", a);
            goto out;
        }
        if (!strcmp(a, "--domein")) {
            uint32_t bit = search_domain_bit(v);
            if (!bit) {
                cli_usage_error(CMD, "--domein: unknown life domain '%s' (a zrm domain code such as financien)", v);
                goto out;
            }
            q.domains |= bit;
        } else if (!strcmp(a, "--leeftijd")) {
            if (parse_int(v, 0, 130, &q.age)) {
                cli_usage_error(CMD, "--leeftijd: '%s' is not an age in years (0 to 130)", v);
                goto out;
            }
        } else if (!strcmp(a, "--postcode")) {
            postcode = v;
        } else if (!strcmp(a, "--km")) {
            if (parse_km(v, &radius)) {
                cli_usage_error(CMD, "--km: '%s' is not a distance in kilometres (more than 0, at most 1000)", v);
                goto out;
            }
        } else if (!strcmp(a, "--open-nu")) {
            int64_t now = now_s();
            q.when = SEARCH_OPEN_AT;
            q.day = day_today_amsterdam(now);
            q.minute = (int)(((now + amsterdam_utc_offset(now)) % 86400 + 86400) % 86400 / 60);
            whens++;
        } else if (!strcmp(a, "--open")) {
            if (parse_moment(v, &q.day, &q.minute)) {
                cli_usage_error(CMD, "--open: '%s' is not a moment 'YYYY-MM-DD HH:MM'", v);
                goto out;
            }
            q.when = SEARCH_OPEN_AT;
            whens++;
        } else if (!strcmp(a, "--dag")) {
            if (day_parse(v, &q.day)) {
                cli_usage_error(CMD, "--dag: '%s' is not a date YYYY-MM-DD", v);
                goto out;
            }
            q.when = SEARCH_ON_DAY;
            whens++;
        } else if (!strcmp(a, "--gratis")) {
            q.free_only = 1;
        } else if (!strcmp(a, "--sorteer")) {
            if (!strcmp(v, "relevantie"))
                q.sort = SEARCH_SORT_RELEVANCE;
            else if (!strcmp(v, "afstand"))
                q.sort = SEARCH_SORT_DISTANCE;
            else {
                cli_usage_error(CMD, "--sorteer: '%s' is not relevantie or afstand", v);
                goto out;
            }
        } else if (!strcmp(a, "--max")) {
            if (parse_int(v, 1, SEARCH_MAX_LIMIT, &q.limit)) {
                cli_usage_error(CMD, "--max: '%s' is not a number from 1 to %d", v, SEARCH_MAX_LIMIT);
                goto out;
            }
        } else if (!strcmp(a, "--herhaal")) {
            if (parse_int(v, 1, 1000000, &herhaal)) {
                cli_usage_error(CMD, "--herhaal: '%s' is not a number from 1 to 1000000", v);
                goto out;
            }
        } else {
            cli_usage_error(CMD, "unknown option %s", a);
            goto out;
        }
        if (!flag) i++;
    }
    if (whens > 1) {
        cli_usage_error(CMD, "use only one of --open-nu, --open and --dag");
        goto out;
    }
    char pc[7] = "";
    if (postcode && postcode_normalise(postcode, pc) != 0) {
        cli_usage_error(CMD, "--postcode: '%s' is not a Dutch postcode such as 1234AB", postcode);
        goto out;
    }
    if (radius && !postcode) {
        cli_usage_error(CMD, "--km needs --postcode (the distance from where)");
        goto out;
    }
    if (q.sort == SEARCH_SORT_DISTANCE && !postcode) {
        cli_usage_error(CMD, "--sorteer afstand needs --postcode");
        goto out;
    }

    rc = 1;
    db_t *db = cli_open(0);
    if (!db) goto out;
    const char *gm = config_get("gemeente");
    if (postcode) {
        int found = postcode_geo_find(db, gm, pc, &q.lat_e7, &q.lon_e7);
        if (found < 0) {
            fprintf(stderr, "kantel search: %s\n", db_errmsg(db));
            goto out;
        }
        if (!found) {
            rc = cli_usage_error(CMD, "--postcode: %s has no coordinates in municipality %s (kantel import postcodes)",
                                 pc, gm);
            goto out;
        }
        q.has_origin = 1;
        q.radius_m = radius;
    }
    q.text = buf_cstr(&text);

    char err[512];
    long rss0 = rss_mib();
    int64_t t0 = now_ns();
    search_index_t *ix = search_index_build(db, gm, err, sizeof err);
    int64_t built = now_ns() - t0;
    if (!ix) {
        fprintf(stderr, "kantel search: %s\n", err);
        goto out;
    }
    struct search_result *res = xmalloc(sizeof *res);
    if (search_run(ix, &q, res) != 0) {
        fprintf(stderr, "kantel search: the query was refused\n");
        free(res);
        search_index_release(ix);
        goto out;
    }
    print_hits(ix, &q, res);
    if (herhaal) {
        int64_t *ns = xmalloc((size_t)herhaal * sizeof *ns);
        for (int i = 0; i < herhaal; i++) {
            int64_t a = now_ns();
            search_run(ix, &q, res);
            ns[i] = now_ns() - a;
        }
        qsort(ns, (size_t)herhaal, sizeof *ns, cmp_i64);
        long rss1 = rss_mib();
        printf("index: %d services, built in %.1f ms", search_index_count(ix), (double)built / 1e6);
        if (rss0 >= 0 && rss1 >= 0) printf(", process RSS %ld MiB (%ld MiB before the build)", rss1, rss0);
        printf("\nsearch_run x %d (%d matches): p50 %.1f \xc2\xb5s, p99 %.1f \xc2\xb5s, max %.1f \xc2\xb5s\n", herhaal,
               res->total, (double)ns[(size_t)herhaal / 2] / 1e3,
               (double)ns[(size_t)((int64_t)herhaal * 99 / 100)] / 1e3, (double)ns[herhaal - 1] / 1e3);
        free(ns);
    }
    free(res);
    search_index_release(ix);
    rc = 0;
out:
    buf_free(&text);
    return rc;
}
