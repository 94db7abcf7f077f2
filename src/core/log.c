/* log.c - structured JSON-line logging (see log.h). */
#include "core/log.h"
#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static enum log_level min_level = LOG_INFO;
static const char *const names[] = {"debug", "info", "warn", "error"};

void log_set_level(enum log_level lvl) { min_level = lvl; }

int log_level_from_name(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0) return i;
    return -1;
}

void log_msg(enum log_level lvl, const char *event, const char *fmt, ...)
{
    if (lvl < min_level) return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char ts[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    buf_t b = BUF_INIT;
    buf_printf(&b, "{\"ts\":\"%s\",\"level\":\"%s\",\"event\":", ts, names[lvl]);
    buf_json_str(&b, event);
    buf_puts(&b, ",\"msg\":");
    buf_json_str(&b, msg);
    buf_puts(&b, "}\n");
    fwrite(b.data, 1, b.len, stderr);
    buf_free(&b);
}
