/*
 * config.c - the configuration table, its INI reader and the environment and
 * flag overrides (see config.h and docs/configuration.md).
 *
 * Values live in a static table of heap strings owned by this file; they are
 * replaced by config_set() and released by config_reset(). Every value is
 * validated when it is set, so readers never see an invalid one. Not thread
 * safe: configure at start-up, read afterwards.
 */
#include "core/config.h"
#include "core/buf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct config_key config_keys[] = {
    {"listen", CFG_LISTEN, "127.0.0.1:8080", 0, 0, NULL, "Address to listen on: IPv4:port, [IPv6]:port or name:port."},
    {"database", CFG_STRING, "kantel.db", 0, 0, NULL,
     "SQLite file (a path or sqlite:PATH) or a PostgreSQL URI postgresql://user@host:port/dbname."},
    {"db_statement_timeout", CFG_INT, "30000", 0, 3600000, NULL,
     "PostgreSQL: milliseconds a statement may run (0 = no limit); SQLite waits at most 5 s for its lock."},
    {"key_file", CFG_STRING, "kantel.key", 0, 0, NULL, "32-byte master key file, created with mode 0600 if missing."},
    {"gemeente", CFG_STRING, "9999", 0, 0, NULL, "CBS code (4 digits) of the municipality this instance serves."},
    {"threads", CFG_INT, "0", 0, 64, NULL, "Worker threads; 0 means one per CPU core."},
    {"max_connections", CFG_INT, "1024", 1, 100000, NULL, "Maximum number of open client connections."},
    {"max_body", CFG_INT, "1048576", 1024, 104857600, NULL, "Maximum size of a request body in bytes."},
    {"max_upload", CFG_INT, "33554432", 1048576, 268435456, NULL,
     "Maximum size of a request body in bytes on file-upload routes (instead of max_body)."},
    {"connection_timeout", CFG_INT, "30", 1, 3600, NULL, "Seconds an idle connection is kept open."},
    {"shutdown_grace", CFG_INT, "10", 0, 300, NULL, "Seconds to let in-flight requests finish after SIGTERM."},
    {"session_idle_timeout", CFG_INT, "1800", 1, 86400, NULL, "Seconds of inactivity that end a session."},
    {"session_absolute_timeout", CFG_INT, "43200", 60, 604800, NULL, "Seconds after login that end a session."},
    {"login_max_attempts", CFG_INT, "6", 1, 100, NULL, "Failed logins allowed before an account is locked."},
    {"login_lockout", CFG_INT, "1800", 1, 86400, NULL, "Seconds an account stays locked after too many failures."},
    {"cookie_secure", CFG_BOOL, "false", 0, 0, NULL, "Mark cookies Secure; set this when served over TLS."},
    {"trust_proxy", CFG_BOOL, "false", 0, 0, NULL, "Take the client address from X-Forwarded-For."},
    {"access_log", CFG_STRING, "-", 0, 0, NULL, "Access log: \"-\" for stderr, \"off\", or a file path."},
    {"log_level", CFG_ENUM, "info", 0, 0, "debug|info|warn|error", "Lowest level of messages that are logged."},
    {"theme_css", CFG_STRING, "", 0, 0, NULL, "Design-token CSS of a municipality; empty = built-in voorbeeld."},
    {"theme_class", CFG_STRING, "voorbeeld-theme", 0, 0, NULL, "CSS class of that theme, set on <html>."},
    {"jobs_interval", CFG_INT, "30", 0, 86400, NULL,
     "Seconds between looks for due background jobs; 0 = this process runs none."},
    {"audit_batch", CFG_INT, "256", 1, 10000, NULL, "Audit events written per database transaction."},
    {"audit_flush_ms", CFG_INT, "50", 1, 10000, NULL, "Milliseconds before a partial audit batch is written."},
    {"socialmap_flag_months", CFG_INT, "6", 1, 120, NULL,
     "Months without confirmation after which a listing's owner is asked to confirm it."},
    {"socialmap_hide_months", CFG_INT, "12", 1, 240, NULL,
     "Months without confirmation after which a listing is hidden from search and the API."},
    {"referral_reminder_days", CFG_INT, "5", 1, 90, NULL,
     "Days without a status update after which a referral is marked for a reminder."},
    {"istd_xsd_dir", CFG_STRING, "", 0, 0, NULL,
     "Directory with the official iStandaarden XSDs (iwmo-3.2/ and ijw-3.2/); empty = no schema check."},
    {NULL, CFG_STRING, NULL, 0, 0, NULL, NULL},
};

#define NKEYS (sizeof config_keys / sizeof config_keys[0] - 1)

struct slot {
    char *val;     /* validated text */
    long long num; /* CFG_INT value, or 0/1 for CFG_BOOL */
    char *source;  /* "default", a file path, "environment" or "flag" */
};

static struct slot slots[NKEYS];
static int ready;

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Copies at most 40 bytes of s for an error message; non-printable bytes
 * become '?' so hostile input cannot reach the terminal or a log raw. */
static const char *shown(const char *s, char out[48])
{
    size_t i = 0;
    for (; i < 40 && s[i]; i++) out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    snprintf(out + i, 48 - i, "%s", s[i] ? "..." : "");
    return out;
}

static int key_index(const char *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(config_keys[i].name, name) == 0) return (int)i;
    return -1;
}

static int bool_word(const char *v, long long *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"}, *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) return *out = 1, 1;
        if (strcasecmp(v, no[i]) == 0) return *out = 0, 1;
    }
    return 0;
}

static int valid_hostname(const char *h, size_t n)
{
    size_t label = 0;
    if (n == 0 || n > 253) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = h[i];
        if (c == '.') {
            if (label == 0 || h[i - 1] == '-') return 0;
            label = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
            if (c == '-' && label == 0) return 0;
            if (++label > 63) return 0;
        } else {
            return 0;
        }
    }
    return label > 0 && h[n - 1] != '-';
}

/* host:port, [IPv6]:port or hostname:port with port 0..65535 (0: any free port, printed at start). */
static int check_listen(const char *v, char *why, size_t wn)
{
    char host[256];
    const char *start = v, *port, *end;
    int six = v[0] == '[';
    struct in6_addr addr; /* large enough for either family */

    if (six) {
        start = v + 1;
        end = strchr(start, ']');
        if (!end || end[1] != ':') return fail(why, wn, "expected [IPv6 address]:port");
        port = end + 2;
    } else {
        end = strrchr(v, ':');
        if (!end) return fail(why, wn, "expected host:port, e.g. 127.0.0.1:8080");
        if (memchr(v, ':', (size_t)(end - v))) return fail(why, wn, "write IPv6 in brackets, e.g. [::1]:8080");
        port = end + 1;
    }
    size_t hlen = (size_t)(end - start);
    if (hlen == 0) return fail(why, wn, "missing host (use 0.0.0.0 for all interfaces)");
    if (hlen >= sizeof host) return fail(why, wn, "host too long");
    memcpy(host, start, hlen);
    host[hlen] = '\0';
    if (six) {
        if (inet_pton(AF_INET6, host, &addr) != 1) return fail(why, wn, "invalid IPv6 address");
    } else if (strspn(host, "0123456789.") == hlen) {
        if (inet_pton(AF_INET, host, &addr) != 1) return fail(why, wn, "invalid IPv4 address");
    } else if (!valid_hostname(host, hlen)) {
        return fail(why, wn, "invalid host name");
    }
    size_t plen = strlen(port);
    if (plen == 0 || plen > 5 || strspn(port, "0123456789") != plen) return fail(why, wn, "invalid port");
    long p = strtol(port, NULL, 10);
    if (p < 0 || p > 65535) return fail(why, wn, "port must be between 0 and 65535");
    return 0;
}

/* Rules for particular string keys beyond "no control characters". */
static int check_string(const char *name, const char *v, char *why, size_t wn)
{
    if (strcmp(name, "gemeente") == 0 && (strlen(v) != 4 || strspn(v, "0123456789") != 4))
        return fail(why, wn, "must be a 4-digit CBS municipality code, e.g. 0344");
    if (strcmp(name, "theme_class") == 0 && (!*v || strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(v)))
        return fail(why, wn, "must consist of lower-case letters, digits and dashes");
    if (!*v && (strcmp(name, "database") == 0 || strcmp(name, "key_file") == 0 || strcmp(name, "access_log") == 0))
        return fail(why, wn, "must not be empty");
    return 0;
}

/* Validates v for key k; on success stores the number (if any) in *num. */
static int validate(const struct config_key *k, const char *v, long long *num, char *why, size_t wn)
{
    *num = 0;
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) return fail(why, wn, "contains a control character");

    switch (k->type) {
    case CFG_STRING:
        return check_string(k->name, v, why, wn);
    case CFG_LISTEN:
        return check_listen(v, why, wn);
    case CFG_BOOL:
        if (!bool_word(v, num)) return fail(why, wn, "expected true/false, yes/no, on/off or 1/0");
        return 0;
    case CFG_ENUM: {
        size_t n = strlen(v);
        for (const char *c = k->choices; *c;) {
            size_t cl = strcspn(c, "|");
            if (cl == n && n > 0 && strncmp(c, v, n) == 0) return 0;
            c += cl + (c[cl] == '|');
        }
        return fail(why, wn, "must be one of %s", k->choices);
    }
    case CFG_INT: {
        char *end;
        if (!(v[0] >= '0' && v[0] <= '9') && !(v[0] == '-' && v[1] >= '0' && v[1] <= '9'))
            return fail(why, wn, "expected a whole number");
        errno = 0;
        long long x = strtoll(v, &end, 10);
        if (*end) return fail(why, wn, "expected a whole number");
        if (errno == ERANGE || x < k->min || x > k->max)
            return fail(why, wn, "must be between %lld and %lld", k->min, k->max);
        *num = x;
        return 0;
    }
    }
    return fail(why, wn, "unknown type");
}

/* Validates and stores; origin is kept for config_source(), where prefixes
 * error messages. */
static int set_value(int idx, const char *value, const char *origin, const char *where, char *err, size_t errlen)
{
    const struct config_key *k = &config_keys[idx];
    char why[160];
    long long num;

    if (validate(k, value, &num, why, sizeof why) != 0) {
        char show[48];
        return fail(err, errlen, "%s: %s = \"%s\": %s", where, k->name, shown(value, show), why);
    }
    free(slots[idx].val);
    free(slots[idx].source);
    slots[idx].val = xstrdup(value);
    slots[idx].num = num;
    slots[idx].source = xstrdup(origin);
    return 0;
}

void config_reset(void)
{
    char err[256];
    for (size_t i = 0; i < NKEYS; i++) {
        if (set_value((int)i, config_keys[i].def, "default", "default", err, sizeof err) != 0) {
            fprintf(stderr, "kantel: bad built-in default: %s\n", err);
            abort();
        }
    }
    ready = 1;
}

static void ensure_ready(void)
{
    if (!ready) config_reset();
}

int config_set(const char *name, const char *value, const char *source, char *err, size_t errlen)
{
    ensure_ready();
    int idx = key_index(name);
    if (idx < 0) return fail(err, errlen, "%s: unknown key '%s'", source, name);
    return set_value(idx, value, source, source, err, errlen);
}

/* Copies a key name of up to cap-1 bytes, '-' becoming '_'. Returns 0 if
 * it has other characters than [a-z0-9_-] or does not fit. */
static int copy_name(char *dst, size_t cap, const char *s, size_t n)
{
    if (n == 0 || n >= cap) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return 0;
        dst[i] = c == '-' ? '_' : c;
    }
    dst[n] = '\0';
    return 1;
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r')) (*n)--;
}

int config_parse_ini(const char *text, size_t len, const char *source, char *err, size_t errlen)
{
    char section[64] = "", where[300], key[64], full[130];
    size_t pos = 0, lineno = 0;

    ensure_ready();
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) pos = 3; /* UTF-8 BOM */
    while (pos < len) {
        const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        pos += n + 1;
        snprintf(where, sizeof where, "%s:%zu", source, ++lineno);

        if (memchr(line, '\0', n)) return fail(err, errlen, "%s: NUL byte in line", where);
        trim(&line, &n);
        if (n == 0 || line[0] == '#' || line[0] == ';') continue;

        if (line[0] == '[') {
            const char *name = line + 1;
            size_t nn = n - 1;
            if (line[n - 1] != ']') return fail(err, errlen, "%s: section heading without ']'", where);
            nn--;
            trim(&name, &nn);
            if (!copy_name(section, sizeof section, name, nn))
                return fail(err, errlen, "%s: invalid section name", where);
            continue;
        }

        const char *eq = memchr(line, '=', n), *k = line, *v;
        if (!eq) return fail(err, errlen, "%s: expected 'key = value'", where);
        size_t kn = (size_t)(eq - line), vn = n - kn - 1;
        v = eq + 1;
        trim(&k, &kn);
        trim(&v, &vn);
        if (!copy_name(key, sizeof key, k, kn)) return fail(err, errlen, "%s: invalid key name", where);
        if (vn > 0 && v[0] == '"') {
            if (vn < 2 || v[vn - 1] != '"') return fail(err, errlen, "%s: missing closing '\"'", where);
            v++, vn -= 2;
        }
        if (section[0])
            snprintf(full, sizeof full, "%s_%s", section, key);
        else
            snprintf(full, sizeof full, "%s", key);

        int idx = key_index(full);
        if (idx < 0) return fail(err, errlen, "%s: unknown key '%s'", where, full);
        char *value = xmalloc(vn + 1);
        memcpy(value, v, vn);
        value[vn] = '\0';
        int rc = set_value(idx, value, source, where, err, errlen);
        free(value);
        if (rc) return rc;
    }
    return 0;
}

static int load_file(const char *path, int must_exist, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (!must_exist && errno == ENOENT) return 0;
        return fail(err, errlen, "%s: %s", path, strerror(errno));
    }
    buf_t b = BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= (1u << 20)) buf_append(&b, chunk, n);
    int bad = ferror(f), big = b.len > (1u << 20), saved = errno;
    fclose(f);
    int rc = bad   ? fail(err, errlen, "%s: %s", path, strerror(saved))
             : big ? fail(err, errlen, "%s: file larger than 1 MiB", path)
                   : config_parse_ini(b.len ? b.data : "", b.len, path, err, errlen);
    buf_free(&b);
    return rc;
}

/* Recognises argv[i] as "--key", "--key=value" or "--config[=PATH]".
 * Returns 0 if it is no such flag, 1 with *idx (-1 for --config), *val and
 * *used (1 or 2 arguments) set, or -1 when the value is missing. A boolean
 * flag takes the next argument only if it is a boolean word; alone it means
 * true. */
static int match_flag(int argc, char **argv, int i, int *idx, const char **val, int *used)
{
    const char *arg = argv[i], *eq;
    char name[64];
    long long dummy;

    if (strncmp(arg, "--", 2) != 0) return 0;
    eq = strchr(arg, '=');
    if (!copy_name(name, sizeof name, arg + 2, eq ? (size_t)(eq - arg - 2) : strlen(arg + 2))) return 0;
    if (strcmp(name, "config") == 0)
        *idx = -1;
    else if ((*idx = key_index(name)) < 0)
        return 0;
    *used = 1;
    if (eq) {
        *val = eq + 1;
    } else if (*idx >= 0 && config_keys[*idx].type == CFG_BOOL) {
        *val = "true";
        if (i + 1 < argc && bool_word(argv[i + 1], &dummy)) *val = argv[i + 1], *used = 2;
    } else {
        if (i + 1 >= argc || strcmp(argv[i + 1], "--") == 0) return -1;
        *val = argv[i + 1];
        *used = 2;
    }
    return 1;
}

int config_init(int *argc, char **argv, char *err, size_t errlen)
{
    const char *path = NULL, *val;
    int idx, used, j = *argc > 0 ? 1 : 0, rc;

    config_reset();

    for (int i = 1; i < *argc; i += used) {
        used = 1;
        if (strcmp(argv[i], "--") == 0) break;
        rc = match_flag(*argc, argv, i, &idx, &val, &used);
        if (rc < 0) return fail(err, errlen, "%s: missing value", argv[i]);
        if (rc > 0 && idx == -1) path = val;
    }
    if (!path && (path = getenv("KANTEL_CONFIG")) && !*path) path = NULL;
    if (path ? load_file(path, 1, err, errlen) : load_file("kantel.conf", 0, err, errlen)) return -1;

    for (size_t k = 0; k < NKEYS; k++) {
        char var[80];
        size_t n = (size_t)snprintf(var, sizeof var, "KANTEL_%s", config_keys[k].name);
        for (size_t c = 7; c < n && c < sizeof var; c++)
            if (var[c] >= 'a' && var[c] <= 'z') var[c] = (char)(var[c] - 'a' + 'A');
        const char *e = getenv(var);
        if (e && set_value((int)k, e, "environment", var, err, errlen)) return -1;
    }

    for (int i = 1; i < *argc; i += used) {
        used = 1;
        if (strcmp(argv[i], "--") == 0) {
            while (i < *argc) argv[j++] = argv[i++];
            break;
        }
        rc = match_flag(*argc, argv, i, &idx, &val, &used);
        if (rc < 0) return fail(err, errlen, "%s: missing value", argv[i]);
        if (rc == 0) {
            argv[j++] = argv[i];
        } else if (idx >= 0) {
            char where[80];
            const char *eq = strchr(argv[i], '=');
            snprintf(where, sizeof where, "%.*s", eq ? (int)(eq - argv[i]) : 70, argv[i]);
            if (set_value(idx, val, "flag", where, err, errlen)) return -1;
        }
    }
    *argc = j;
    argv[j] = NULL;
    return 0;
}

static int lookup(const char *name, int want_type)
{
    ensure_ready();
    int idx = key_index(name);
    if (idx < 0 || (want_type >= 0 && (int)config_keys[idx].type != want_type)) {
        fprintf(stderr, "kantel: config key '%s' %s\n", name, idx < 0 ? "does not exist" : "has another type");
        abort();
    }
    return idx;
}

const char *config_get(const char *name)
{
    return slots[lookup(name, -1)].val;
}

long long config_int(const char *name)
{
    return slots[lookup(name, CFG_INT)].num;
}

int config_bool(const char *name)
{
    return (int)slots[lookup(name, CFG_BOOL)].num;
}

const char *config_source(const char *name)
{
    return slots[lookup(name, -1)].source;
}
