/*
 * geo.c - parsing, formatting and distances of e7 coordinates (see geo.h).
 */
#include "domain/geo.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define EARTH_RADIUS_M 6371008.8 /* mean radius (IUGG) */

int geo_parse_e7(const char *s, int is_lat, int64_t *out)
{
    if (!s || !*s) return -1;
    const char *p = s;
    int neg = 0;
    if (*p == '-' || *p == '+') neg = *p++ == '-';
    int64_t whole = 0;
    int nd = 0;
    while (*p >= '0' && *p <= '9') {
        whole = whole * 10 + (*p++ - '0');
        if (++nd > 3) return -1;
    }
    if (nd == 0) return -1;
    int64_t frac = 0;
    int nf = 0;
    int round_up = 0;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            if (nf < 7) frac = frac * 10 + (*p - '0');
            else if (nf == 7) round_up = *p >= '5';
            if (++nf > 9) return -1;
            p++;
        }
        if (nf == 0) return -1;
    }
    if (*p) return -1;
    for (int i = nf < 7 ? nf : 7; i < 7; i++) frac *= 10;
    int64_t v = whole * GEO_E7 + frac + round_up;
    int64_t limit = (is_lat ? 90 : 180) * GEO_E7;
    if (v > limit) return -1;
    *out = neg ? -v : v;
    return 0;
}

void geo_format_e7(int64_t v, char out[16])
{
    int64_t a = v < 0 ? -v : v;
    int n = snprintf(out, 16, "%s%lld.%07lld", v < 0 ? "-" : "", (long long)(a / GEO_E7), (long long)(a % GEO_E7));
    while (n > 0 && out[n - 1] == '0') out[--n] = '\0';
    if (n > 0 && out[n - 1] == '.') out[--n] = '\0';
}

static double rad(int64_t e7) { return (double)e7 / (double)GEO_E7 * M_PI / 180.0; }

int64_t geo_distance_m(int64_t lat1, int64_t lon1, int64_t lat2, int64_t lon2)
{
    double p1 = rad(lat1), p2 = rad(lat2), dp = rad(lat2 - lat1), dl = rad(lon2 - lon1);
    double h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    if (h > 1) h = 1;
    return (int64_t)llround(2 * EARTH_RADIUS_M * asin(sqrt(h)));
}

struct geo_box geo_box_around(int64_t lat, int64_t lon, int64_t radius_m)
{
    double dlat = (double)radius_m / EARTH_RADIUS_M * 180.0 / M_PI;
    double c = cos(rad(lat));
    double dlon = c > 1e-6 ? dlat / c : 180.0;
    int64_t a = (int64_t)ceil(dlat * (double)GEO_E7) + 1, b = (int64_t)ceil(dlon * (double)GEO_E7) + 1;
    struct geo_box box = {lat - a, lat + a, lon - b, lon + b};
    return box;
}
