/* fuzz_schedule.c - HSDS schedule parsing and evaluation on arbitrary field
 * values: never crashes; a parsed schedule answers for any day and minute. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/schedule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Fields separated by '|': freq|interval|byday|bymonthday|dtstart|until|opens|closes */
    char *buf = malloc(size + 1);
    memcpy(buf, data, size);
    buf[size] = '\0';
    const char *f[8] = {0};
    char *p = buf;
    for (int i = 0; i < 8 && p; i++) {
        f[i] = p;
        p = strchr(p, '|');
        if (p) *p++ = '\0';
    }
    struct sched_text t = {.freq = f[0], .interval = f[1], .byday = f[2], .bymonthday = f[3], .dtstart = f[4],
                           .until = f[5], .opens_at = f[6], .closes_at = f[7]};
    struct sched s;
    char err[120];
    if (sched_parse(&t, &s, err, sizeof err) == 0) {
        day_t base = day_from_ymd(2026, 1, 1);
        for (int d = 0; d < 70; d += 3)
            for (int m = 0; m < 1440; m += 317) (void)sched_open_at(&s, base + d, m);
    }
    free(buf);
    return 0;
}
