/* util.c - see util.h. */
#include "core/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

int64_t now_s(void) { return (int64_t)time(NULL); }

int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void rand_bytes(void *p, size_t n) { randombytes_buf(p, n); }

void b64url_encode(const void *p, size_t n, char *out)
{
    sodium_bin2base64(out, sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                      p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void rand_token(char *out, size_t nbytes)
{
    unsigned char tmp[64];
    if (nbytes > sizeof tmp) abort();
    randombytes_buf(tmp, nbytes);
    b64url_encode(tmp, nbytes, out);
    sodium_memzero(tmp, sizeof tmp);
}

void hex_encode(const void *p, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[b[i] >> 4];
        out[2 * i + 1] = hx[b[i] & 15];
    }
    out[2 * n] = '\0';
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int hex_decode(const char *s, void *out, size_t outlen)
{
    size_t n = strlen(s);
    if (n % 2 || n / 2 > outlen) return -1;
    unsigned char *o = out;
    for (size_t i = 0; i < n; i += 2) {
        int h = hexval(s[i]), l = hexval(s[i + 1]);
        if (h < 0 || l < 0) return -1;
        o[i / 2] = (unsigned char)(h << 4 | l);
    }
    return (int)(n / 2);
}

int ct_streq(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb || la == 0) return 0;
    return sodium_memcmp(a, b, la) == 0;
}

int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    if (!s || !*s || strlen(s) > 19) return -1;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        v = v * 10 + (*p - '0');
    }
    if (v < min || v > max) return -1;
    *out = v;
    return 0;
}

int amsterdam_utc_offset(int64_t t)
{
    /* Europe/Amsterdam: CET (UTC+1), CEST (UTC+2) from the last Sunday of
     * March 01:00 UTC to the last Sunday of October 01:00 UTC (EU rule).
     * Computed here so the server does not depend on the host's TZ setting. */
    time_t tt = (time_t)t;
    struct tm u;
    gmtime_r(&tt, &u);
    struct tm m = {0};
    m.tm_year = u.tm_year;
    m.tm_mon = 2;
    m.tm_mday = 31;
    m.tm_hour = 1;
    time_t mar = timegm(&m);
    struct tm mt;
    gmtime_r(&mar, &mt);
    mar -= (time_t)mt.tm_wday * 86400;
    m.tm_mon = 9;
    time_t oct = timegm(&m);
    gmtime_r(&oct, &mt);
    oct -= (time_t)mt.tm_wday * 86400;
    return (tt >= mar && tt < oct) ? 7200 : 3600;
}

void fmt_local_time(int64_t t, char *out, size_t outlen)
{
    time_t tt = (time_t)(t + amsterdam_utc_offset(t));
    struct tm l;
    gmtime_r(&tt, &l);
    strftime(out, outlen, "%Y-%m-%d %H:%M", &l);
}

static char crash_want[64];
static long crash_at;
static pthread_once_t crash_once = PTHREAD_ONCE_INIT;

static void crash_init(void)
{
    const char *e = getenv("KANTEL_CRASH_AT");
    const char *colon = e ? strrchr(e, ':') : NULL;
    if (colon && (size_t)(colon - e) < sizeof crash_want) {
        memcpy(crash_want, e, (size_t)(colon - e));
        crash_want[colon - e] = 0;
        crash_at = strtol(colon + 1, NULL, 10);
    }
}

void crash_point(const char *name)
{
    static _Atomic long seen;
    pthread_once(&crash_once, crash_init);
    if (crash_at > 0 && strcmp(name, crash_want) == 0 && ++seen == crash_at) raise(SIGKILL);
}
