/* test_chart.c - the accessible SVG line chart: structure, ARIA ids,
 * escaping, argument checks, gaps for missing values, CSP-safe output and
 * distinct dash patterns per series. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "test.h"
#include "web/chart.h"

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    return n;
}

/* Copies the attribute value after the first occurrence of attr="..." at or
 * after from into out; returns a pointer past it, or NULL. */
static const char *attr(const char *from, const char *attr_name, char *out, size_t n)
{
    char key[64];
    snprintf(key, sizeof key, "%s=\"", attr_name);
    const char *p = strstr(from, key);
    if (!p) return NULL;
    p += strlen(key);
    const char *q = strchr(p, '"');
    if (!q || (size_t)(q - p) >= n) return NULL;
    memcpy(out, p, (size_t)(q - p));
    out[q - p] = '\0';
    return q + 1;
}

static const char *const dates[4] = {"2025-01-10", "2025-02-10", "2025-03-10", "2025-04-10"};

static void test_basic(void)
{
    static const int a[4] = {2, 3, 3, 4}, b[4] = {1, 2, 4, 5}, c[4] = {5, 4, 3, 2};
    const struct chart_series s[3] = {{"Geldzaken", 4, a}, {"Woning", 4, b}, {"Zelfzorg", 4, c}};
    buf_t out = BUF_INIT;
    int r = chart_svg(&out, "zrm-1", "Zelfredzaamheid", "Scores per domein over vier metingen.", 1, 5, 4, dates, 3, s);
    CHECK(r == 0, "chart rendered");
    const char *svg = buf_cstr(&out);
    CHECK(strncmp(svg, "<svg ", 5) == 0, "starts with <svg");
    CHECK(strlen(svg) > 6 && strcmp(svg + strlen(svg) - 6, "</svg>") == 0, "ends with </svg>");
    CHECK(strstr(svg, "role=\"img\"") != NULL, "role=img");
    CHECK(strstr(svg, "viewBox=\"0 0 ") != NULL, "has a viewBox");

    char ids[200], tid[80], did[80];
    CHECK(attr(svg, "aria-labelledby", ids, sizeof ids) != NULL, "aria-labelledby present");
    CHECK_STR(ids, "zrm-1-title zrm-1-desc", "aria-labelledby names title and desc ids");
    const char *t = strstr(svg, "<title ");
    const char *d = strstr(svg, "<desc ");
    CHECK(t && attr(t, "id", tid, sizeof tid) && strcmp(tid, "zrm-1-title") == 0, "title id matches");
    CHECK(d && attr(d, "id", did, sizeof did) && strcmp(did, "zrm-1-desc") == 0, "desc id matches");
    CHECK(strstr(svg, ">Zelfredzaamheid</title>") != NULL, "title text");
    CHECK(strstr(svg, ">2025-03-10</text>") != NULL, "x tick label");
    CHECK(strstr(svg, ">5</text>") != NULL && strstr(svg, ">1</text>") != NULL, "y tick labels");
    CHECK(strstr(svg, ">Woning</text>") != NULL, "legend text");

    CHECK(strstr(svg, "style=") == NULL, "no style attribute");
    CHECK(strstr(svg, "<style") == NULL, "no style element");
    CHECK(strstr(svg, "<script") == NULL, "no script");
    CHECK(strstr(svg, "href") == NULL, "no external references");
    CHECK(count(svg, "<polyline") == 3, "one polyline per series");
    CHECK(count(svg, "<circle") == 3 * 4 + 3, "a marker per value plus one per legend entry");

    /* every series group has its own dash pattern */
    char dash[3][40];
    const char *p = svg;
    int found = 0;
    for (int i = 0; i < 3; i++) {
        p = strstr(p, "class=\"chart-series\"");
        if (!p || !attr(p, "stroke-dasharray", dash[i], sizeof dash[i])) break;
        p++;
        found++;
    }
    CHECK(found == 3, "three series groups with stroke-dasharray");
    CHECK(found == 3 && strcmp(dash[0], dash[1]) && strcmp(dash[0], dash[2]) && strcmp(dash[1], dash[2]),
          "stroke-dasharray differs per series (%s | %s | %s)", found > 0 ? dash[0] : "", found > 1 ? dash[1] : "",
          found > 2 ? dash[2] : "");
    buf_free(&out);
}

static void test_escaping_and_ids(void)
{
    static const int a[2] = {1, 2};
    const struct chart_series s[1] = {{"A <b> & \"c\"", 2, a}};
    const char *const xl[2] = {"<x>", NULL};
    buf_t out = BUF_INIT;
    CHECK(chart_svg(&out, "c", "Score <script>&</script>", "d&d", 0, 10, 2, xl, 1, s) == 0, "renders");
    const char *svg = buf_cstr(&out);
    CHECK(strstr(svg, "Score &lt;script&gt;&amp;&lt;/script&gt;</title>") != NULL, "title escaped");
    CHECK(strstr(svg, "<script") == NULL, "no raw script tag");
    CHECK(strstr(svg, ">d&amp;d</desc>") != NULL, "desc escaped");
    CHECK(strstr(svg, "&lt;x&gt;") != NULL && strstr(svg, "<x>") == NULL, "x label escaped");
    CHECK(strstr(svg, "A &lt;b&gt; &amp; &quot;c&quot;") != NULL, "legend label escaped");
    buf_reset(&out);

    const char *bad[] = {"",    "Chart", "a b", "a\"b",
                         "x_y", "é",     "a<b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
    int refused = 1;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (chart_svg(&out, bad[i], "t", NULL, 0, 10, 2, xl, 1, s) != -1) refused = 0;
    CHECK(refused, "ids outside [a-z0-9-]{1,64} refused");
    CHECK(out.len == 0, "a refused call appends nothing");

    CHECK(chart_svg(&out, NULL, "t", NULL, 0, 10, 2, NULL, 1, s) == 0, "NULL id generates one");
    char ids[100], tid[100];
    CHECK(attr(buf_cstr(&out), "aria-labelledby", ids, sizeof ids) && strncmp(ids, "chart-", 6) == 0 &&
              strchr(ids, ' ') == NULL,
          "generated id, title only without desc: %s", ids);
    const char *t = strstr(buf_cstr(&out), "<title ");
    CHECK(t && attr(t, "id", tid, sizeof tid) && strcmp(tid, ids) == 0, "generated title id matches");
    CHECK(strstr(buf_cstr(&out), "<desc") == NULL, "no desc element when desc is NULL");
    CHECK(strstr(buf_cstr(&out), ">1</text>") && strstr(buf_cstr(&out), ">2</text>"),
          "points numbered without x labels");
    char first[100];
    snprintf(first, sizeof first, "%s", ids);
    buf_reset(&out);
    chart_svg(&out, NULL, "t", NULL, 0, 10, 2, NULL, 1, s);
    attr(buf_cstr(&out), "aria-labelledby", ids, sizeof ids);
    CHECK(strcmp(first, ids) != 0, "generated ids differ between calls");
    buf_free(&out);
}

static void test_gaps_and_args(void)
{
    static const int a[5] = {1, -1, 3, 4, -1};
    static const int b[5] = {-1, 2, -1, -1, 5};
    const struct chart_series s[2] = {{"Een", 5, a}, {"Twee", 5, b}};
    buf_t out = BUF_INIT;
    CHECK(chart_svg(&out, "gap", "t", "d", 1, 5, 5, NULL, 2, s) == 0, "renders with gaps");
    const char *svg = buf_cstr(&out);
    CHECK(count(svg, "<circle") == 3 + 2 + 2, "no marker where a value is missing");
    CHECK(count(svg, "<polyline") == 1, "only the run 3,4 of series one forms a line");
    /* series one: points 3 and 4 only */
    char pts[200];
    CHECK(attr(svg, "points", pts, sizeof pts) && count(pts, ",") == 2, "the line has two points: %s", pts);
    buf_reset(&out);

    static const int one[1] = {3};
    const struct chart_series s1[1] = {{"Enkel", 1, one}};
    const char *const xl[1] = {"Nu"};
    CHECK(chart_svg(&out, "one", "t", "d", 1, 5, 1, xl, 1, s1) == 0, "n_points 1 works");
    CHECK(count(buf_cstr(&out), "<circle") == 2 && count(buf_cstr(&out), "<polyline") == 0,
          "single point: one marker, no line");
    buf_reset(&out);

    static const int shortv[1] = {4};
    const struct chart_series ss[1] = {{"Kort", 1, shortv}};
    CHECK(chart_svg(&out, "short", "t", "d", 1, 5, 3, NULL, 1, ss) == 0, "series shorter than n_points");
    CHECK(count(buf_cstr(&out), "<circle") == 2, "points beyond n have no value");
    buf_reset(&out);

    CHECK(chart_svg(&out, "x", "t", "d", 0, 10, 0, NULL, 1, s1) == -1, "n_points 0 refused");
    CHECK(chart_svg(&out, "x", "t", "d", 5, 5, 1, NULL, 1, s1) == -1, "ymax == ymin refused");
    CHECK(chart_svg(&out, "x", "t", "d", -2, 5, 1, NULL, 1, s1) == -1, "negative ymin refused");
    CHECK(chart_svg(&out, "x", NULL, "d", 1, 5, 1, NULL, 1, s1) == -1, "NULL title refused");
    static const int big[1] = {6};
    const struct chart_series sb[1] = {{"Te hoog", 1, big}};
    CHECK(chart_svg(&out, "x", "t", "d", 1, 5, 1, NULL, 1, sb) == -1, "value above ymax refused");
    const struct chart_series sn[1] = {{NULL, 1, one}};
    CHECK(chart_svg(&out, "x", "t", "d", 1, 5, 1, NULL, 1, sn) == -1, "series without label refused");
    struct chart_series many[CHART_MAX_SERIES + 1];
    for (int i = 0; i <= CHART_MAX_SERIES; i++) many[i] = (struct chart_series){"s", 1, one};
    CHECK(chart_svg(&out, "x", "t", "d", 1, 5, 1, NULL, CHART_MAX_SERIES + 1, many) == -1, "too many series refused");
    CHECK(out.len == 0, "refused calls appended nothing");

    CHECK(chart_svg(&out, "max", "t", "d", 1, 5, 1, NULL, CHART_MAX_SERIES, many) == 0, "max series rendered");
    const char *p = buf_cstr(&out);
    char dash[CHART_MAX_SERIES][40];
    int n = 0;
    while (n < CHART_MAX_SERIES && (p = strstr(p, "class=\"chart-series\"")) &&
           attr(p, "stroke-dasharray", dash[n], 40)) {
        p++;
        n++;
    }
    int distinct = n == CHART_MAX_SERIES;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (strcmp(dash[i], dash[j]) == 0) distinct = 0;
    CHECK(distinct, "all %d dash patterns distinct", CHART_MAX_SERIES);
    buf_reset(&out);

    static const int pg[3] = {0, 10, 7};
    const struct chart_series sp[1] = {{"Meedoen", 3, pg}};
    CHECK(chart_svg(&out, "pg", "Positieve Gezondheid", "d", 0, 10, 3, NULL, 1, sp) == 0, "0-10 range rendered");
    CHECK(strstr(buf_cstr(&out), ">0</text>") && strstr(buf_cstr(&out), ">10</text>"), "0 and 10 ticks");
    buf_free(&out);
}

int main(void)
{
    test_basic();
    test_escaping_and_ids();
    test_gaps_and_args();
    return t_done();
}
