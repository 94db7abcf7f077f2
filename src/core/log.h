/*
 * log.h - structured logging: one JSON object per line on stderr, e.g.
 *   {"ts":"2026-11-23T04:00:00Z","level":"info","event":"server.start","msg":"..."}
 * Never pass BSNs, names, tokens or passwords: log ids and counts.
 */
#ifndef KANTEL_LOG_H
#define KANTEL_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level lvl);
int log_level_from_name(const char *name); /* -1 when unknown */
void log_msg(enum log_level lvl, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_info(ev, ...) log_msg(LOG_INFO, ev, __VA_ARGS__)
#define log_warn(ev, ...) log_msg(LOG_WARN, ev, __VA_ARGS__)
#define log_error(ev, ...) log_msg(LOG_ERROR, ev, __VA_ARGS__)

#endif
