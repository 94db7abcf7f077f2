/* system.c - health, readiness and the embedded static assets. */
#include <string.h>

#include "core/assets.h"
#include "db/db.h"
#include "pages/pages.h"

/* A municipality's own design tokens (config theme_css), loaded at start-up. */
struct asset pages_theme_override;

void page_healthz(http_req_t *req)
{
    req->content_type = "text/plain; charset=utf-8";
    buf_puts(&req->out, "ok\n");
}

void page_readyz(http_req_t *req)
{
    req->content_type = "text/plain; charset=utf-8";
    db_stmt_t *st = db_prepare_try(db_thread(), "SELECT 1");
    int ok = st && db_step(st) == DB_ROW && !http_cfg.shutting_down;
    if (st) db_done(st);
    if (!ok) req->status = 503;
    buf_puts(&req->out, ok ? "ready\n" : "not ready\n");
}

static const char *mime(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot) return "application/octet-stream";
    if (!strcmp(dot, ".css")) return "text/css; charset=utf-8";
    if (!strcmp(dot, ".js")) return "text/javascript; charset=utf-8";
    if (!strcmp(dot, ".svg")) return "image/svg+xml";
    if (!strcmp(dot, ".png")) return "image/png";
    if (!strcmp(dot, ".ico")) return "image/x-icon";
    if (!strcmp(dot, ".woff2")) return "font/woff2";
    if (!strcmp(dot, ".txt")) return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

void page_static(http_req_t *req)
{
    const char *file = req->path_params[0];
    const struct asset *a = NULL;
    if (strcmp(file, "theme.css") == 0 && pages_theme_override.data) a = &pages_theme_override;
    if (!a) a = asset_find(arena_printf(req->arena, "static/%s", file));
    if (!a) {
        http_error(req, 404, "Dit bestand bestaat niet.");
        return;
    }
    req->asset = a;
    req->content_type = mime(file);
}
