/* test_geo.c - e7 coordinates, distances and the search box. */
#include <stdint.h>
#include <string.h>

#include "domain/geo.h"
#include "test.h"

int main(void)
{
    int64_t v = 0;
    CHECK(geo_parse_e7("52.0907374", 1, &v) == 0 && v == 520907374, "latitude with 7 decimals");
    CHECK(geo_parse_e7("5.1214", 0, &v) == 0 && v == 51214000, "longitude with 4 decimals");
    CHECK(geo_parse_e7("-4", 0, &v) == 0 && v == -40000000, "whole negative degrees");
    CHECK(geo_parse_e7("52.09073745", 1, &v) == 0 && v == 520907375, "8th decimal rounds");
    CHECK(geo_parse_e7("90", 1, &v) == 0 && geo_parse_e7("90.0000001", 1, &v) == -1, "latitude limit 90");
    CHECK(geo_parse_e7("180", 0, &v) == 0 && geo_parse_e7("181", 0, &v) == -1, "longitude limit 180");
    CHECK(geo_parse_e7("5e1", 0, &v) == -1 && geo_parse_e7(" 5", 0, &v) == -1 && geo_parse_e7("5.", 0, &v) == -1 &&
              geo_parse_e7("", 0, &v) == -1 && geo_parse_e7("1.1234567891", 0, &v) == -1,
          "exponent, space, bare point, empty, 10 decimals refused");
    char out[16];
    geo_format_e7(520907374, out);
    CHECK_STR(out, "52.0907374", "format 7 decimals");
    geo_format_e7(51214000, out);
    CHECK_STR(out, "5.1214", "format trims zeros");
    geo_format_e7(-40000000, out);
    CHECK_STR(out, "-4", "format whole negative");

    /* Utrecht Dom tower (52.0907, 5.1214) to Amsterdam Dam square (52.3731, 4.8926): about 35.5 km. */
    int64_t d = geo_distance_m(520907000, 51214000, 523731000, 48926000);
    CHECK(d > 35000 && d < 36000, "Utrecht - Amsterdam about 35.5 km (%lld m)", (long long)d);
    CHECK(geo_distance_m(520907000, 51214000, 520907000, 51214000) == 0, "zero distance");
    /* 0.01 degree of latitude is 1,112 m everywhere. */
    d = geo_distance_m(520000000, 50000000, 520100000, 50000000);
    CHECK(d >= 1110 && d <= 1114, "0.01 degree latitude = 1,112 m (%lld)", (long long)d);

    struct geo_box b = geo_box_around(520907000, 51214000, 2000);
    int64_t north = geo_distance_m(520907000, 51214000, b.max_lat, 51214000);
    int64_t east = geo_distance_m(520907000, 51214000, 520907000, b.max_lon);
    CHECK(north >= 2000 && north < 2010 && east >= 2000 && east < 2010, "box edges just beyond 2 km (%lld, %lld)",
          (long long)north, (long long)east);
    CHECK(b.min_lat < 520907000 && b.min_lon < 51214000, "box surrounds the centre");
    return t_done();
}
