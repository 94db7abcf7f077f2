/* serve.c - `kantel serve`: start-up checks, then the HTTP server. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/account.h"
#include "auth/audit.h"
#include "cli/cli.h"
#include "core/assets.h"
#include "core/config.h"
#include "jobs/jobs.h"
#include "core/keys.h"
#include "core/log.h"
#include "http/http.h"
#include "http/server.h"
#include "istd/istd.h"
#include "pages/pages.h"
#include "web/views.h"

extern struct asset pages_theme_override;

/* Reads the municipality's token CSS named by theme_css into the override. */
static int load_theme(const char *path)
{
    if (!path || !*path) return 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "kantel serve: cannot read theme_css %s\n", path);
        return -1;
    }
    buf_t b = BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, n);
    fclose(f);
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < b.len; i++) h = (h ^ (unsigned char)b.data[i]) * 1099511628211ULL;
    char *etag = xmalloc(24);
    snprintf(etag, 24, "\"%016llx\"", (unsigned long long)h);
    pages_theme_override.name = "static/theme.css";
    pages_theme_override.len = b.len;
    pages_theme_override.data = buf_detach(&b); /* lives for the process */
    pages_theme_override.etag = etag;
    return 0;
}

/* The official iWmo/iJw schemas of istd_xsd_dir, loaded once (uploads are
 * validated against them, pages/istd.c). Without them uploads are still
 * received, and each retour report says the XSD layer was skipped: a
 * warning, not a reason to refuse to start. */
static istd_xsd_t *open_istd_xsd(const char *dir)
{
    if (!dir || !*dir) {
        log_warn("istd.xsd", "istd_xsd_dir is not set: uploaded iWmo/iJw messages are not checked against the XSDs");
        return NULL;
    }
    char err[512] = "";
    istd_xsd_t *x = istd_xsd_open(dir, err, sizeof err);
    if (!x)
        log_warn("istd.xsd", "istd_xsd_dir %s: %s; uploaded iWmo/iJw messages are not checked against the XSDs", dir,
                 err);
    else if (err[0])
        log_warn("istd.xsd", "istd_xsd_dir %s: %s", dir, err);
    return x;
}

int cmd_serve(int argc, char **argv)
{
    if (argc > 0) return cli_usage_error("serve", "unexpected argument '%s'", argv[0]);
    sigset_t sigs;
    server_block_signals(&sigs); /* before any thread starts */
    /* Requests allocate and free in every worker thread; without these glibc
     * trims and re-grows the per-thread heaps on every request (munmap +
     * TLB shootdowns across cores), which cost more than the request itself. */
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
    mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
    db_t *db = cli_open(1);
    if (!db || cli_ensure_municipality(db, NULL) != 0) return 1;
    /* Connections opened from now on (workers, audit writer) get the limit. */
    db_set_statement_timeout((int)config_int("db_statement_timeout"));
    char err[512];
    if (router_init(err, sizeof err) != 0 || views_init(err, sizeof err) != 0) {
        fprintf(stderr, "kantel serve: %s\n", err);
        return 1;
    }
    if (load_theme(config_get("theme_css")) != 0) return 1;
    istd_xsd_t *xsd = open_istd_xsd(config_get("istd_xsd_dir"));
    pages_istd_set_xsd(xsd);

    http_cfg.idle_timeout = config_int("session_idle_timeout");
    http_cfg.absolute_timeout = config_int("session_absolute_timeout");
    http_cfg.cookie_secure = config_bool("cookie_secure");
    http_cfg.trust_proxy = config_bool("trust_proxy");
    http_cfg.max_body = (size_t)config_int("max_body");
    http_cfg.theme_class = config_get("theme_class");
    http_cfg.gemeente = config_get("gemeente");
    account_set_lockout((int)config_int("login_max_attempts"), config_int("login_lockout"));

    static char name[200];
    db_stmt_t *st = db_prepare(db, "SELECT name FROM municipality WHERE gemeente = ?");
    db_bind_text(st, 1, http_cfg.gemeente);
    if (db_step(st) == DB_ROW) snprintf(name, sizeof name, "%s", db_col_text(st, 0));
    db_done(st);
    http_cfg.gemeente_name = name;
    st = db_prepare(db, "SELECT value FROM settings WHERE gemeente = ? AND name = 'demo'");
    db_bind_text(st, 1, http_cfg.gemeente);
    http_cfg.demo = db_step(st) == DB_ROW && strcmp(db_col_text(st, 0), "1") == 0;
    db_done(st);

    uint8_t key[KEY_BYTES];
    keys_get(KEY_AUDIT, key);
    audit_configure((int)config_int("audit_batch"), (int)config_int("audit_flush_ms"));
    if (audit_start(config_get("database"), key) != 0) return 1;
    jobs_set_session_limits(http_cfg.idle_timeout, http_cfg.absolute_timeout);
    int jobs_every = (int)config_int("jobs_interval");
    if (jobs_every > 0 && jobs_start(config_get("database"), jobs_every) != 0) {
        audit_stop();
        return 1;
    }

    FILE *access = NULL;
    const char *al = config_get("access_log");
    if (strcmp(al, "-") == 0) {
        access = stderr;
    } else if (strcmp(al, "off") != 0) {
        access = fopen(al, "a");
        if (!access) {
            fprintf(stderr, "kantel serve: cannot open access_log %s\n", al);
            return 1;
        }
    }
    struct server_opts o = {
        .listen = config_get("listen"),
        .threads = (int)config_int("threads"),
        .max_connections = (int)config_int("max_connections"),
        .connection_timeout = (int)config_int("connection_timeout"),
        .shutdown_grace = (int)config_int("shutdown_grace"),
        .access_log = access,
    };
    int rc = server_run(&o);
    jobs_stop();
    audit_stop();
    if (access && access != stderr) fclose(access);
    views_free();
    pages_istd_set_xsd(NULL);
    istd_xsd_close(xsd);
    db_thread_close();
    return rc == 0 ? 0 : 1;
}
