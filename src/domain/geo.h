/*
 * geo.h - coordinates and distances for "near me" on the sociale kaart.
 *
 * Coordinates are WGS84 degrees stored as integers in units of 1e-7 degree
 * (about 1 cm), so they sort, index and compare exactly on both database
 * drivers. Distance is the great-circle (haversine) distance on a sphere of
 * the mean Earth radius: within a municipality it differs from the ellipsoid
 * by well under 0.5%, far less than the walk to the door. Pure functions.
 */
#ifndef KANTEL_GEO_H
#define KANTEL_GEO_H

#include <stdint.h>

#define GEO_E7 10000000LL

/* Parses decimal degrees ("52.0907", "-4.5", "5") into 1e-7 degree units,
 * rounded to the nearest unit. is_lat selects the range (lat -90..90,
 * lon -180..180). Returns 0, or -1 for anything else (exponents, spaces,
 * more than 9 decimals, out of range). */
int geo_parse_e7(const char *s, int is_lat, int64_t *out);

/* Writes the shortest decimal form of an e7 value ("52.0907", "5"). */
void geo_format_e7(int64_t v, char out[16]);

/* Great-circle distance in metres. */
int64_t geo_distance_m(int64_t lat1, int64_t lon1, int64_t lat2, int64_t lon2);

/* The box (in e7 units) that contains every point within radius_m of the
 * centre: a cheap range filter before the exact distance. */
struct geo_box {
    int64_t min_lat, max_lat, min_lon, max_lon;
};
struct geo_box geo_box_around(int64_t lat, int64_t lon, int64_t radius_m);

#endif
