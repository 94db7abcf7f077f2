/*
 * config.h - Kantel's configuration: one table of keys with defaults.
 *
 * Sources, lowest precedence first: built-in defaults, the INI file
 * (kantel.conf in the working directory, or --config PATH / KANTEL_CONFIG),
 * KANTEL_* environment variables, command-line flags.
 *
 * Naming: a key's full name is lower_snake_case, e.g. session_idle_timeout.
 * In the INI file it may be written at top level (session_idle_timeout = 60)
 * or as key "idle_timeout" under the heading [session]: a section name is
 * joined to the key with '_'. Environment: KANTEL_SESSION_IDLE_TIMEOUT.
 * Flag: --session-idle-timeout=60 or --session-idle-timeout 60.
 *
 * The configuration is written at start-up (single thread) and read-only
 * afterwards; strings returned by config_get() live until config_reset().
 */
#ifndef KANTEL_CONFIG_H
#define KANTEL_CONFIG_H

#include <stddef.h>

enum config_type { CFG_STRING, CFG_INT, CFG_BOOL, CFG_LISTEN, CFG_ENUM };

struct config_key {
    const char *name;   /* full name, e.g. "session_idle_timeout" */
    enum config_type type;
    const char *def;    /* default as text */
    long long min, max; /* CFG_INT range */
    const char *choices;/* CFG_ENUM: "a|b|c" */
    const char *help;   /* one line, English, for docs and --help */
};

extern const struct config_key config_keys[]; /* terminated by {NULL} */

/* Resets to defaults, then applies file, environment and flags. Flags that
 * name a config key (and --config) are removed from argv and *argc updated;
 * everything else stays in order for the subcommand. Returns 0, or -1 with a
 * message naming the source (file:line, variable or flag) in err. */
int config_init(int *argc, char **argv, char *err, size_t errlen);

/* Pieces of config_init, for tests and the fuzzer. source names the origin in
 * messages. Unknown keys, malformed lines and invalid values are errors. */
int config_parse_ini(const char *text, size_t len, const char *source, char *err, size_t errlen);
int config_set(const char *name, const char *value, const char *source, char *err, size_t errlen);
void config_reset(void);

/* Readers. name must be a key of the table (else abort: a programming error). */
const char *config_get(const char *name);
long long config_int(const char *name);
int config_bool(const char *name);
/* Where the value came from: "default", a file path, "environment", "flag". */
const char *config_source(const char *name);

#endif
