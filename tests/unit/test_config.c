/* test_config.c - unit tests for src/core/config.c: defaults, the INI reader,
 * validation, environment and flag precedence, argv compaction, and that
 * docs/configuration.md documents every key (run from the repo root). */
#include "core/buf.h"
#include "core/config.h"
#include "test.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char err[512];

static int ini(const char *text)
{
    err[0] = '\0';
    config_reset();
    return config_parse_ini(text, strlen(text), "test.conf", err, sizeof err);
}

static int set(const char *name, const char *value)
{
    err[0] = '\0';
    return config_set(name, value, "test", err, sizeof err);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *s = NULL;
    size_t cap = 0, n = 0, r;
    do {
        if (n + 4096 + 1 > cap) s = xrealloc(s, cap = (cap ? 2 * cap : 8192));
        r = fread(s + n, 1, cap - n - 1, f);
        n += r;
    } while (r > 0);
    fclose(f);
    s[n] = '\0';
    *len = n;
    return s;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void clear_env(void)
{
    char var[96];
    unsetenv("KANTEL_CONFIG");
    for (const struct config_key *k = config_keys; k->name; k++) {
        snprintf(var, sizeof var, "KANTEL_%s", k->name);
        for (char *p = var; *p; p++)
            if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
        unsetenv(var);
    }
}

static void test_defaults(void)
{
    config_reset();
    CHECK_STR(config_get("listen"), "127.0.0.1:8080", "default listen");
    CHECK_STR(config_get("database"), "kantel.db", "default database");
    CHECK_STR(config_get("key_file"), "kantel.key", "default key_file");
    CHECK_STR(config_get("gemeente"), "9999", "default gemeente");
    CHECK_STR(config_get("theme_css"), "", "default theme_css is empty");
    CHECK_STR(config_get("theme_class"), "voorbeeld-theme", "default theme_class");
    CHECK_STR(config_get("log_level"), "info", "default log_level");
    CHECK_STR(config_get("access_log"), "-", "default access_log");
    CHECK(config_int("threads") == 0, "default threads 0");
    CHECK(config_int("max_connections") == 1024, "default max_connections");
    CHECK(config_int("max_body") == 1048576, "default max_body");
    CHECK(config_int("max_upload") == 33554432, "default max_upload 32 MiB");
    CHECK(config_int("connection_timeout") == 30, "default connection_timeout");
    CHECK(config_int("shutdown_grace") == 10, "default shutdown_grace");
    CHECK(config_int("session_idle_timeout") == 1800, "default session_idle_timeout");
    CHECK(config_int("session_absolute_timeout") == 43200, "default session_absolute_timeout");
    CHECK(config_int("login_max_attempts") == 6, "default login_max_attempts");
    CHECK(config_int("login_lockout") == 1800, "default login_lockout");
    CHECK(config_int("audit_batch") == 256, "default audit_batch");
    CHECK(config_int("audit_flush_ms") == 50, "default audit_flush_ms");
    CHECK(config_bool("cookie_secure") == 0, "default cookie_secure false");
    CHECK(config_bool("trust_proxy") == 0, "default trust_proxy false");
    CHECK_STR(config_source("threads"), "default", "source of a default");

    int n = 0, helps = 1;
    for (const struct config_key *k = config_keys; k->name; k++) {
        n++;
        helps &= k->help && strlen(k->help) > 10 && strchr(k->help, '\n') == NULL;
        CHECK_STR(config_get(k->name), k->def, "config_get(%s) returns its default", k->name);
    }
    CHECK(n == 28, "28 keys in the table (got %d)", n);
    CHECK_STR(config_get("istd_xsd_dir"), "", "default istd_xsd_dir: none (no schema check)");
    CHECK(helps, "every key has a one-line help text");
}

static void test_ini(void)
{
    CHECK(ini("") == 0, "empty file");
    CHECK(ini("# only a comment\n; another\n\n   \n") == 0, "comments and blank lines");
    CHECK(ini("threads = 4\n") == 0 && config_int("threads") == 4, "top-level key");
    CHECK_STR(config_source("threads"), "test.conf", "source is the file name");
    CHECK_STR(config_source("listen"), "default", "untouched key keeps default source");
    CHECK(ini("threads=5") == 0 && config_int("threads") == 5, "no spaces, no final newline");
    CHECK(ini("  \tthreads \t=\t 6  \r\n") == 0 && config_int("threads") == 6, "whitespace and CRLF trimmed");
    CHECK(ini("\xEF\xBB\xBFthreads = 7\n") == 0 && config_int("threads") == 7, "UTF-8 BOM skipped");
    CHECK(ini("[session]\nidle_timeout = 60\nabsolute_timeout = 120\n[login]\nmax_attempts = 3\n") == 0,
          "sections");
    CHECK(config_int("session_idle_timeout") == 60, "[session] idle_timeout");
    CHECK(config_int("session_absolute_timeout") == 120, "[session] absolute_timeout");
    CHECK(config_int("login_max_attempts") == 3, "[login] max_attempts");
    CHECK(ini("[ audit ]\nflush-ms = 9\n") == 0 && config_int("audit_flush_ms") == 9,
          "spaces in heading, dash in key");
    CHECK(ini("threads = 4\nthreads = 8\n") == 0 && config_int("threads") == 8, "last duplicate wins");
    CHECK(ini("database = \"my data.db\"\n") == 0, "quoted value");
    CHECK_STR(config_get("database"), "my data.db", "quotes removed, inner space kept");
    CHECK(ini("theme_css = \"\"\n") == 0 && strcmp(config_get("theme_css"), "") == 0, "empty quoted value");
    CHECK(ini("theme_css = \" x \"\n") == 0 && strcmp(config_get("theme_css"), " x ") == 0, "quotes keep spaces");
    CHECK(ini("theme_css =\n") == 0 && strcmp(config_get("theme_css"), "") == 0, "empty value");
    CHECK(ini("access_log = a=b\n") == 0 && strcmp(config_get("access_log"), "a=b") == 0, "'=' in value");
    CHECK(ini("cookie_secure = yes\ntrust_proxy = ON\n") == 0 && config_bool("cookie_secure") == 1 &&
              config_bool("trust_proxy") == 1,
          "bool yes / ON");

    CHECK(ini("threads = 4\nthis is not a setting\n") == -1, "line without '=' rejected");
    CHECK(strstr(err, "test.conf:2:") != NULL, "error names file:line (%s)", err);
    CHECK(ini("# c\n\nbogus = 1\n") == -1, "unknown key rejected");
    CHECK(strstr(err, "test.conf:3:") && strstr(err, "bogus"), "unknown key message (%s)", err);
    CHECK(ini("[session]\ntimeout = 1\n") == -1 && strstr(err, "session_timeout"), "unknown key in section (%s)",
          err);
    CHECK(ini("threads = 65\n") == -1, "int above range rejected");
    CHECK(strstr(err, "test.conf:1:") && strstr(err, "between 0 and 64"), "range message (%s)", err);
    CHECK(ini("threads = -1\n") == -1, "int below range rejected");
    CHECK(ini("threads = 4x\n") == -1, "int with garbage rejected");
    CHECK(ini("threads = \n") == -1, "empty int rejected");
    CHECK(ini("threads = 0x10\n") == -1, "hex int rejected");
    CHECK(ini("max_body = 99999999999999999999999\n") == -1, "overflowing int rejected");
    CHECK(ini("threads = 4 # four\n") == -1, "inline comment is part of the value");
    CHECK(ini("cookie_secure = maybe\n") == -1 && strstr(err, "cookie_secure"), "bad bool rejected (%s)", err);
    CHECK(ini("database = \"open\n") == -1, "unterminated quote rejected");
    CHECK(ini("database = \"\n") == -1, "lone quote rejected");
    CHECK(ini("[session\n") == -1, "heading without ']' rejected");
    CHECK(ini("[]\n") == -1, "empty heading rejected");
    CHECK(ini("[Session]\n") == -1, "upper-case heading rejected");
    CHECK(ini(" = 1\n") == -1, "empty key rejected");
    CHECK(ini("Threads = 1\n") == -1, "upper-case key rejected");
    CHECK(config_parse_ini("threads = 1\0\n", 13, "nul.conf", err, sizeof err) == -1 && strstr(err, "nul.conf:1"),
          "NUL byte rejected (%s)", err);
    CHECK(config_parse_ini("threads = 3\nthreads = 9", 12, "t", err, sizeof err) == 0 && config_int("threads") == 3,
          "reading stops at len");
    CHECK(config_parse_ini("x", 1, "t", NULL, 0) == -1, "NULL err buffer tolerated");
}

static void test_values(void)
{
    config_reset();
    CHECK(set("listen", "0.0.0.0:80") == 0, "IPv4 any");
    CHECK_STR(config_get("listen"), "0.0.0.0:80", "listen stored");
    CHECK(set("listen", "[::1]:8443") == 0, "IPv6 in brackets");
    CHECK(set("listen", "[::]:1") == 0, "IPv6 any, port 1");
    CHECK(set("listen", "localhost:65535") == 0, "hostname, port 65535");
    CHECK(set("listen", "127.0.0.1:0") == 0, "port 0 (any free port)");
    CHECK(set("listen", "kantel.gemeente-x.nl:8080") == 0, "dotted hostname");
    CHECK(set("listen", "127.0.0.1") == -1, "missing port");
    CHECK(set("listen", "127.0.0.1:") == -1, "empty port");
    CHECK(set("listen", "127.0.0.1:65536") == -1, "port 65536");
    CHECK(set("listen", "127.0.0.1:80a") == -1, "port with letters");
    CHECK(set("listen", "127.0.0.1:+80") == -1, "port with sign");
    CHECK(set("listen", "256.0.0.1:80") == -1, "IPv4 octet 256");
    CHECK(set("listen", "1.2.3:80") == -1, "IPv4 with three parts");
    CHECK(set("listen", "::1:80") == -1 && strstr(err, "brackets"), "IPv6 without brackets (%s)", err);
    CHECK(set("listen", "[::1]80") == -1, "no colon after ]");
    CHECK(set("listen", "[::g]:80") == -1, "bad IPv6");
    CHECK(set("listen", "[1.2.3.4]:80") == -1, "IPv4 in brackets");
    CHECK(set("listen", ":8080") == -1, "empty host");
    CHECK(set("listen", "-bad-:80") == -1, "hostname with leading dash");
    CHECK(set("listen", "a..b:80") == -1, "hostname with empty label");
    CHECK(set("listen", "a_b:80") == -1, "hostname with underscore");
    CHECK_STR(config_get("listen"), "kantel.gemeente-x.nl:8080", "failed sets leave the old value");

    CHECK(set("gemeente", "0344") == 0, "gemeente 0344");
    CHECK(set("gemeente", "344") == -1, "gemeente of 3 digits");
    CHECK(set("gemeente", "03444") == -1, "gemeente of 5 digits");
    CHECK(set("gemeente", "03a4") == -1, "gemeente with a letter");
    CHECK(set("theme_class", "utrecht-theme2") == 0, "theme_class ok");
    CHECK(set("theme_class", "Utrecht") == -1, "theme_class upper case");
    CHECK(set("theme_class", "a b") == -1, "theme_class space");
    CHECK(set("theme_class", "") == -1, "theme_class empty");
    CHECK(set("theme_class", "x\"><script") == -1, "theme_class injection");
    CHECK(set("log_level", "debug") == 0 && set("log_level", "error") == 0, "log_level choices");
    CHECK(set("log_level", "verbose") == -1 && strstr(err, "debug|info|warn|error"), "bad log_level (%s)", err);
    CHECK(set("log_level", "") == -1, "empty log_level");
    CHECK(set("log_level", "inf") == -1, "prefix of a choice");
    CHECK(set("log_level", "info|warn") == -1, "two choices");
    CHECK(set("database", "postgresql://kantel@db:5432/kantel") == 0, "PostgreSQL URI accepted");
    CHECK(set("database", "postgres://kantel@db/kantel?sslmode=verify-full") == 0, "postgres:// URI accepted");
    CHECK(set("database", "") == -1, "empty database");
    CHECK(set("database", "/var/lib/kantel/kantel.db") == 0, "database path");
    CHECK(set("access_log", "off") == 0, "access_log off");
    CHECK(set("access_log", "a\nb") == -1, "control character rejected");
    CHECK(set("nope", "1") == -1 && strstr(err, "nope"), "config_set unknown key (%s)", err);
    CHECK(set("max_body", "1023") == -1 && set("max_body", "1024") == 0, "max_body lower bound");
    CHECK(set("max_body", "104857600") == 0 && set("max_body", "104857601") == -1, "max_body upper bound");
    CHECK(set("max_upload", "1048575") == -1 && set("max_upload", "1048576") == 0, "max_upload lower bound");
    CHECK(set("max_upload", "268435456") == 0 && set("max_upload", "268435457") == -1, "max_upload upper bound");
    CHECK(set("session_absolute_timeout", "59") == -1, "session_absolute_timeout lower bound");
    CHECK(set("shutdown_grace", "0") == 0, "shutdown_grace 0");

    static const char *const yes[] = {"true", "yes", "on", "1", "TRUE", "Yes"};
    static const char *const no[] = {"false", "no", "off", "0", "False", "OFF"};
    for (size_t i = 0; i < 6; i++) {
        CHECK(set("cookie_secure", yes[i]) == 0 && config_bool("cookie_secure") == 1, "bool %s", yes[i]);
        CHECK(set("cookie_secure", no[i]) == 0 && config_bool("cookie_secure") == 0, "bool %s", no[i]);
    }
    CHECK(set("cookie_secure", "2") == -1 && set("cookie_secure", "") == -1 && set("cookie_secure", "y") == -1,
          "bad bools");
    CHECK_STR(config_source("cookie_secure"), "test", "config_set records its source");
}

/* Runs config_init on a NULL-terminated copy of args. */
static int init(int *argc, char **argv, const char *const *args)
{
    int n = 0;
    while (args[n]) argv[n] = (char *)args[n], n++;
    argv[n] = NULL;
    *argc = n;
    err[0] = '\0';
    return config_init(argc, argv, err, sizeof err);
}

static void test_init(void)
{
    char dir[] = "/tmp/kantel-config-XXXXXX", path[512], cwd[4096];
    char *argv[32];
    int argc;

    if (!mkdtemp(dir) || !getcwd(cwd, sizeof cwd)) {
        CHECK(0, "temporary directory");
        return;
    }
    snprintf(path, sizeof path, "%s/test.conf", dir);
    write_file(path, "threads = 2\nmax_connections = 50\n[login]\nlockout = 77\n");
    clear_env();

    /* no file at all: defaults, arguments untouched */
    CHECK(chdir(dir) == 0, "chdir to empty temp dir");
    CHECK(init(&argc, argv, (const char *const[]){"kantel", "serve", NULL}) == 0, "no kantel.conf is fine (%s)", err);
    CHECK(argc == 2 && strcmp(argv[1], "serve") == 0 && argv[2] == NULL, "argv unchanged");
    CHECK(config_int("threads") == 0, "defaults without file");

    /* kantel.conf in the working directory */
    write_file("kantel.conf", "threads = 3\n");
    CHECK(init(&argc, argv, (const char *const[]){"kantel", NULL}) == 0 && config_int("threads") == 3,
          "kantel.conf in cwd read");
    CHECK_STR(config_source("threads"), "kantel.conf", "source kantel.conf");
    write_file("kantel.conf", "threads = many\n");
    CHECK(init(&argc, argv, (const char *const[]){"kantel", NULL}) == -1 && strstr(err, "kantel.conf:1"),
          "bad kantel.conf reported (%s)", err);
    unlink("kantel.conf");
    CHECK(chdir(cwd) == 0, "back to repo root");

    /* --config and KANTEL_CONFIG */
    CHECK(init(&argc, argv, (const char *const[]){"kantel", "--config", path, "serve", NULL}) == 0,
          "--config PATH (%s)", err);
    CHECK(config_int("threads") == 2 && config_int("login_lockout") == 77, "--config file applied");
    CHECK_STR(config_source("threads"), path, "source is the file path");
    CHECK(argc == 2 && strcmp(argv[1], "serve") == 0, "--config removed from argv");
    char flag[600];
    snprintf(flag, sizeof flag, "--config=%s", path);
    CHECK(init(&argc, argv, (const char *const[]){"kantel", flag, NULL}) == 0 && config_int("threads") == 2,
          "--config=PATH");
    setenv("KANTEL_CONFIG", path, 1);
    CHECK(init(&argc, argv, (const char *const[]){"kantel", NULL}) == 0 && config_int("threads") == 2,
          "KANTEL_CONFIG");
    unsetenv("KANTEL_CONFIG");
    CHECK(init(&argc, argv, (const char *const[]){"kantel", "--config", "/nonexistent/k.conf", NULL}) == -1 &&
              strstr(err, "/nonexistent/k.conf"),
          "missing explicit file is an error (%s)", err);
    setenv("KANTEL_CONFIG", "/nonexistent/k.conf", 1);
    CHECK(init(&argc, argv, (const char *const[]){"kantel", NULL}) == -1, "missing KANTEL_CONFIG file is an error");
    unsetenv("KANTEL_CONFIG");
    CHECK(init(&argc, argv, (const char *const[]){"kantel", "--config", NULL}) == -1, "--config without path");
    CHECK(init(&argc, argv, (const char *const[]){"kantel", "--config", dir, NULL}) == -1,
          "a directory as config file (%s)", err);

    /* precedence: file < environment < flag */
    setenv("KANTEL_THREADS", "5", 1);
    setenv("KANTEL_MAX_CONNECTIONS", "60", 1);
    setenv("KANTEL_SESSION_IDLE_TIMEOUT", "61", 1);
    CHECK(init(&argc, argv, (const char *const[]){"kantel", "--config", path, "--threads=7", NULL}) == 0,
          "file + env + flag (%s)", err);
    CHECK(config_int("threads") == 7, "flag overrides environment");
    CHECK_STR(config_source("threads"), "flag", "source flag");
    CHECK(config_int("max_connections") == 60, "environment overrides file");
    CHECK_STR(config_source("max_connections"), "environment", "source environment");
    CHECK(config_int("session_idle_timeout") == 61, "environment sets a key the file lacks");
    CHECK(config_int("login_lockout") == 77, "file value kept where nothing overrides it");
    setenv("KANTEL_THREADS", "500", 1);
    CHECK(init(&argc, argv, (const char *const[]){"kantel", NULL}) == -1 && strstr(err, "KANTEL_THREADS"),
          "bad environment value names the variable (%s)", err);
    clear_env();

    /* flags and argv compaction */
    const char *const args[] = {"kantel", "serve",       "--threads", "4",     "--help", "-v",
                                "--listen=0.0.0.0:80",   "x",         "--cookie-secure", "--trust_proxy", "yes",
                                "--max-body", "2048",    "--",        "--threads", "9",   NULL};
    CHECK(init(&argc, argv, args) == 0, "many flags (%s)", err);
    CHECK(argc == 8, "8 arguments left (got %d)", argc);
    const char *const left[] = {"kantel", "serve", "--help", "-v", "x", "--", "--threads", "9"};
    int same = argc == 8;
    for (int i = 0; same && i < 8; i++) same = strcmp(argv[i], left[i]) == 0;
    CHECK(same, "other arguments stay in order, '--' and what follows stay");
    CHECK(argv[argc] == NULL, "argv stays NULL-terminated");
    CHECK(config_int("threads") == 4, "--threads 4 (not the 9 after --)");
    CHECK_STR(config_get("listen"), "0.0.0.0:80", "--listen=...");
    CHECK(config_bool("cookie_secure") == 1, "bare boolean flag means true");
    CHECK(config_bool("trust_proxy") == 1, "underscore flag with boolean word");
    CHECK(config_int("max_body") == 2048, "--max-body 2048");

    CHECK(init(&argc, argv, (const char *const[]){"kantel", "--cookie-secure", "false", "run", NULL}) == 0 &&
              config_bool("cookie_secure") == 0 && argc == 2 && strcmp(argv[1], "run") == 0,
          "boolean flag takes a following boolean word");
    CHECK(init(&argc, argv, (const char *const[]){"kantel", "--cookie-secure=off", NULL}) == 0 &&
              config_bool("cookie_secure") == 0,
          "--cookie-secure=off");
    CHECK(init(&argc, argv, (const char *const[]){"kantel", "--access-log", "-", NULL}) == 0 &&
              strcmp(config_get("access_log"), "-") == 0 && argc == 1,
          "a value may be '-'");
    CHECK(init(&argc, argv, (const char *const[]){"kantel", "--threads", NULL}) == -1 && strstr(err, "--threads"),
          "flag without value (%s)", err);
    CHECK(init(&argc, argv, (const char *const[]){"kantel", "--threads", "--", "x", NULL}) == -1,
          "'--' is not a value");
    CHECK(init(&argc, argv, (const char *const[]){"kantel", "--threads=99", NULL}) == -1 &&
              strstr(err, "--threads:") && strstr(err, "between 0 and 64"),
          "bad flag value names the flag (%s)", err);
    CHECK(init(&argc, argv, (const char *const[]){"kantel", "--log-level", "loud", NULL}) == -1, "bad enum flag");
    CHECK(init(&argc, argv, (const char *const[]){"kantel", "--Threads=1", "--unknown=3", NULL}) == 0 && argc == 3,
          "unknown flags stay");
    CHECK(init(&argc, argv, (const char *const[]){NULL}) == 0 && argc == 0, "empty argv");

    unlink(path);
    rmdir(dir);
}

static void test_abort(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) _exit(1);
        config_get("no_such_key");
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "config_get on an unknown key aborts");
}

static void test_docs(void)
{
    size_t len = 0;
    char *doc = read_all("docs/configuration.md", &len);
    CHECK(doc != NULL, "docs/configuration.md readable from the working directory");
    if (!doc) return;
    for (const struct config_key *k = config_keys; k->name; k++) {
        char want[96], var[96];
        snprintf(want, sizeof want, "| `%s` |", k->name);
        snprintf(var, sizeof var, "KANTEL_%s", k->name);
        for (char *p = var; *p; p++)
            if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
        CHECK(strstr(doc, want) != NULL, "docs table has a row for %s", k->name);
        CHECK(strstr(doc, var) != NULL, "docs name %s", var);
    }

    /* The example file in the docs parses and sets every key to its default. */
    char *start = strstr(doc, "```ini\n"), *end = start ? strstr(start + 7, "```") : NULL;
    CHECK(start && end, "docs contain an ini example");
    if (start && end) {
        config_reset();
        CHECK(config_parse_ini(start + 7, (size_t)(end - start - 7), "docs", err, sizeof err) == 0,
              "docs example parses (%s)", err);
        int all = 1;
        for (const struct config_key *k = config_keys; k->name; k++) {
            int set_here = strcmp(config_source(k->name), "docs") == 0;
            int is_def = strcmp(config_get(k->name), k->def) == 0;
            if (!set_here || !is_def) printf("# docs example: %s\n", k->name);
            all &= set_here && is_def;
        }
        CHECK(all, "docs example names every key with its default");
    }
    free(doc);
}

int main(void)
{
    test_defaults();
    test_ini();
    test_values();
    test_init();
    test_abort();
    test_docs();
    config_reset();
    return t_done();
}
