/*
 * server.c - libmicrohttpd glue: one request context per request (arena,
 * raw URI), body collection with a size limit (max_body, or max_upload for
 * RF_UPLOAD routes), dispatch through the router,
 * the gate and the handler, security headers, access log, and a graceful
 * shutdown that lets in-flight requests finish.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/assets.h"
#include "core/config.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "http/http.h"

static const struct server_opts *opts;
static atomic_int inflight;
static atomic_ullong request_seq;

struct ctx {
    http_req_t req;
    int stage;       /* 0: headers seen, 1: receiving body, 2: answered */
    int too_large;
    size_t limit;    /* body limit of this request, set on the first call */
    const char *content_type;
};

static void *uri_cb(void *cls, const char *uri, struct MHD_Connection *con)
{
    (void)cls;
    (void)con;
    arena_t *a = arena_new(0);
    struct ctx *c = arena_calloc(a, sizeof *c);
    http_req_t *r = &c->req;
    r->arena = a;
    r->start_us = mono_us();
    const char *q = strchr(uri, '?');
    r->path = q ? arena_strndup(a, uri, (size_t)(q - uri)) : arena_strdup(a, uri);
    r->raw_query = q ? arena_strdup(a, q + 1) : "";
    buf_init(&r->body);
    buf_init(&r->out);
    r->errors = json_object();
    atomic_fetch_add(&inflight, 1);
    return c;
}

static const char *hdr(struct MHD_Connection *con, const char *name)
{
    return MHD_lookup_connection_value(con, MHD_HEADER_KIND, name);
}

static const char *client_ip(struct MHD_Connection *con, arena_t *a)
{
    if (http_cfg.trust_proxy) {
        const char *xff = hdr(con, "X-Forwarded-For");
        if (xff && *xff) {
            const char *comma = strchr(xff, ',');
            size_t n = comma ? (size_t)(comma - xff) : strlen(xff);
            if (n > 45) n = 45;
            return arena_strndup(a, xff, n);
        }
    }
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char buf[INET6_ADDRSTRLEN] = "?";
    if (ci && ci->client_addr) {
        if (ci->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, buf, sizeof buf);
        else if (ci->client_addr->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, buf, sizeof buf);
    }
    return arena_strdup(a, buf);
}

static void add_security_headers(struct MHD_Response *resp, http_req_t *r)
{
    char csp[256];
    snprintf(csp, sizeof csp,
             "default-src 'none'; script-src 'nonce-%s'; style-src 'self'; img-src 'self' data:; "
             "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
             r->nonce);
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    /* The HSDS API is public open data: any site may read it (no cookies are
     * involved: Access-Control-Allow-Origin * never carries credentials). */
    int open_data = r->path && strncmp(r->path, "/api/hsds/", 10) == 0;
    MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", open_data ? "cross-origin" : "same-origin");
    if (open_data) MHD_add_response_header(resp, "Access-Control-Allow-Origin", "*");
    MHD_add_response_header(resp, "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if (http_cfg.cookie_secure)
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    if (r->cacheable)
        MHD_add_response_header(resp, "Cache-Control", "public, max-age=31536000, immutable");
    else
        MHD_add_response_header(resp, "Cache-Control", "no-store");
}

static enum MHD_Result reply(struct MHD_Connection *con, struct ctx *c, const char *allow)
{
    http_req_t *r = &c->req;
    const char *ctype = "text/plain; charset=utf-8";
    response_build(r, &ctype);
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->out.len, r->out.data ? r->out.data : (void *)"", MHD_RESPMEM_MUST_COPY);
    if (!resp) return MHD_NO;
    add_security_headers(resp, r);
    MHD_add_response_header(resp, "Content-Type", ctype);
    if (r->location) MHD_add_response_header(resp, "Location", r->location);
    if (allow && *allow) MHD_add_response_header(resp, "Allow", allow);
    for (int i = 0; i < r->n_headers; i++) MHD_add_response_header(resp, r->hdr_name[i], r->hdr_value[i]);
    if (c->too_large || r->status == 413) MHD_add_response_header(resp, "Connection", "close");
    int status = r->status ? r->status : 200;
    enum MHD_Result ret = MHD_queue_response(con, (unsigned)status, resp);
    MHD_destroy_response(resp);
    c->stage = 2;
    return ret;
}

/* Static assets are served straight from the embedded table. */
static enum MHD_Result send_static(struct MHD_Connection *con, struct ctx *c, const struct asset *a)
{
    http_req_t *r = &c->req;
    const char *inm = hdr(con, "If-None-Match");
    /* If-None-Match may list several tags, weak ones included (W/"..."). */
    int not_modified = inm && (strcmp(inm, "*") == 0 || strstr(inm, a->etag) != NULL);
    struct MHD_Response *resp = MHD_create_response_from_buffer(not_modified ? 0 : a->len, (void *)a->data,
                                                                MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    r->cacheable = 1;
    add_security_headers(resp, r);
    MHD_add_response_header(resp, "ETag", a->etag);
    MHD_add_response_header(resp, "Content-Type", r->content_type);
    r->status = not_modified ? 304 : 200;
    enum MHD_Result ret = MHD_queue_response(con, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    c->stage = 2;
    return ret;
}

/* The body limit of a request, from its method and path alone (the first
 * call, before any body arrives): max_upload for a route that takes a file,
 * max_body for every other route and for paths that match none (they end as
 * 404/405). Matches on a scratch request, so r itself is left as it was. */
static size_t body_limit(const http_req_t *r)
{
    http_req_t probe = {.arena = r->arena};
    char allow[64];
    if (http_cfg.max_upload && router_match(&probe, r->method, r->path, allow, sizeof allow) == 0 &&
        (probe.route->flags & RF_UPLOAD))
        return http_cfg.max_upload;
    return http_cfg.max_body;
}

/* "multipart/form-data" with or without parameters; parse_multipart checks them. */
static int multipart_content_type(const char *ct)
{
    static const char want[] = "multipart/form-data";
    if (!ct || strncasecmp(ct, want, sizeof want - 1) != 0) return 0;
    const char *rest = ct + sizeof want - 1;
    return *rest == '\0' || *rest == ';' || *rest == ' ' || *rest == '\t';
}

static int form_content_type(const char *ct)
{
    static const char want[] = "application/x-www-form-urlencoded";
    if (!ct) return 0;
    if (strncasecmp(ct, want, sizeof want - 1) != 0) return 0;
    const char *rest = ct + sizeof want - 1;
    return *rest == '\0' || *rest == ';';
}

static enum MHD_Result dispatch(struct MHD_Connection *con, struct ctx *c)
{
    http_req_t *r = &c->req;
    char allow[64];
    unsigned char nb[16];
    rand_bytes(nb, sizeof nb);
    b64url_encode(nb, sizeof nb, r->nonce);

    if (c->too_large) {
        http_error(r, 413, "Wat u verstuurde is te groot. Maak het kleiner en probeer het opnieuw.");
        return reply(con, c, NULL);
    }
    int rc = router_match(r, r->method, r->path, allow, sizeof allow);
    if (rc == 404) {
        http_error(r, 404, "Deze pagina bestaat niet (meer). Controleer het adres of ga naar de startpagina.");
        return reply(con, c, NULL);
    }
    if (rc == 405) {
        http_error(r, 405, "Deze pagina kan niet op deze manier worden opgevraagd.");
        return reply(con, c, allow);
    }
    int prc = parse_urlencoded(r->arena, r->raw_query, strlen(r->raw_query), 64, &r->query);
    if (prc == PARSE_OK && strcmp(r->method, "POST") == 0) {
        const char *body = r->body.data ? r->body.data : "";
        if (r->body.len && (r->route->flags & RF_UPLOAD) && multipart_content_type(c->content_type)) {
            /* ordinary parts go to r->form (CSRF included), the file to r->upload */
            prc = parse_multipart(r->arena, c->content_type, body, r->body.len, 64, &r->form, &r->upload);
        } else if (r->body.len && !form_content_type(c->content_type)) {
            http_error(r, 415, "Dit soort inhoud wordt niet ondersteund. Gebruik het formulier op de website.");
            return reply(con, c, NULL);
        } else {
            prc = parse_urlencoded(r->arena, body, r->body.len, 64, &r->form);
        }
    }
    if (prc != PARSE_OK) {
        http_error(r, 400, parse_strerror(prc));
        return reply(con, c, NULL);
    }
    if (gate_check(r) == 0) {
        r->route->handler(r);
        gate_after(r);
        if (r->asset) return send_static(con, c, r->asset);
    }
    return reply(con, c, NULL);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *con, const char *url, const char *method,
                               const char *version, const char *upload_data, size_t *upload_data_size,
                               void **con_cls)
{
    (void)cls;
    (void)url;
    (void)version;
    struct ctx *c = *con_cls;
    if (!c) return MHD_NO;
    http_req_t *r = &c->req;
    if (c->stage == 2) return MHD_YES;
    if (c->stage == 0 && !r->method) {
        r->method = arena_strdup(r->arena, method);
        r->origin_ip = client_ip(con, r->arena);
        const char *h = hdr(con, "Host");
        r->host = arena_strdup(r->arena, h ? h : "");
        h = hdr(con, "User-Agent");
        r->user_agent = arena_strndup(r->arena, h ? h : "", h ? strnlen(h, 200) : 0);
        h = hdr(con, "Accept");
        r->want_json = h && strstr(h, "application/json") && !strstr(h, "text/html");
        h = hdr(con, "Origin");
        r->origin_hdr = h ? arena_strdup(r->arena, h) : NULL;
        h = hdr(con, "Sec-Fetch-Site");
        r->fetch_site = h ? arena_strdup(r->arena, h) : NULL;
        h = hdr(con, "Content-Type");
        c->content_type = h ? arena_strdup(r->arena, h) : NULL;
        h = hdr(con, "Cookie");
        if (h && parse_cookies(r->arena, h, strlen(h), 32, &r->cookies) != PARSE_OK) r->cookies.n = 0;
        c->limit = body_limit(r);
        h = hdr(con, "Content-Length");
        if (h) {
            int64_t len;
            if (parse_i64(h, 0, INT64_MAX / 2, &len) != 0 || (size_t)len > c->limit) {
                c->too_large = 1;
                return dispatch(con, c);
            }
        }
        /* Answer on a later call: libmicrohttpd closes the connection when a
         * response is queued on the first call, before it knows the request
         * body (if any) has been read. */
        c->stage = 1;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (*upload_data_size > c->limit - r->body.len)
            c->too_large = 1;
        else
            buf_append(&r->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return dispatch(con, c);
}

static void completed(void *cls, struct MHD_Connection *con, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)con;
    struct ctx *c = *con_cls;
    if (!c) return;
    http_req_t *r = &c->req;
    if (opts->access_log && r->method) {
        /* No personal data: the route pattern, not the path; no address. */
        char line[512];
        int n = snprintf(line, sizeof line,
                         "{\"ts\":%lld,\"req\":%llu,\"method\":\"%s\",\"route\":\"%s\",\"status\":%d,"
                         "\"bytes\":%zu,\"us\":%lld,\"user\":%lld%s}\n",
                         (long long)now_ms(), (unsigned long long)atomic_fetch_add(&request_seq, 1),
                         strlen(r->method) < 10 ? r->method : "?",
                         r->route ? r->route->pattern : (r->status == 404 ? "(none)" : "(refused)"),
                         r->status ? r->status : 200, r->out.len, (long long)(mono_us() - r->start_us),
                         (long long)(r->user ? r->user->id : 0),
                         toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : ",\"aborted\":true");
        if (n > 0) fwrite(line, 1, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1, opts->access_log);
    }
    db_thread_end_request();
    if (r->model) json_decref(r->model);
    json_decref(r->errors);
    buf_free(&r->body);
    buf_free(&r->out);
    arena_free(r->arena);
    *con_cls = NULL;
    atomic_fetch_sub(&inflight, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r')) msg[--n] = '\0';
    log_msg(LOG_WARN, "http.mhd", "%s", msg);
}

/* Resolves "host:port" / "[v6]:port" into a socket address. */
static int resolve_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len)
{
    char host[256];
    const char *port;
    if (listen[0] == '[') {
        const char *end = strchr(listen, ']');
        if (!end || end[1] != ':' || (size_t)(end - listen - 1) >= sizeof host) return -1;
        snprintf(host, sizeof host, "%.*s", (int)(end - listen - 1), listen + 1);
        port = end + 2;
    } else {
        const char *colon = strrchr(listen, ':');
        if (!colon || (size_t)(colon - listen) >= sizeof host) return -1;
        snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
        port = colon + 1;
    }
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV}, *res;
    if (getaddrinfo(host, port, &hints, &res) != 0) return -1;
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

void server_block_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int server_run(const struct server_opts *o)
{
    opts = o;
    if (!http_cfg.max_upload) http_cfg.max_upload = (size_t)config_int("max_upload");
    struct sockaddr_storage ss;
    socklen_t sslen;
    if (resolve_listen(o->listen, &ss, &sslen) != 0) {
        log_error("server.listen", "cannot use listen address %s", o->listen);
        return -1;
    }
    int threads = o->threads > 0 ? o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1) threads = 1;

    sigset_t set;
    server_block_signals(&set);

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, handler, NULL,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)o->max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->connection_timeout,
        MHD_OPTION_URI_LOG_CALLBACK, uri_cb, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_END);
    if (!d) {
        log_error("server.start", "cannot listen on %s: %s", o->listen, strerror(errno));
        return -1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = di ? di->port : 0;
    char shown[300];
    if (ss.ss_family == AF_INET6) {
        char h[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, h, sizeof h);
        snprintf(shown, sizeof shown, "http://[%s]:%u", h, port);
    } else {
        char h[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, h, sizeof h);
        snprintf(shown, sizeof shown, "http://%s:%u", h, port);
    }
    printf("kantel: listening on %s\n", shown);
    fflush(stdout);
    log_info("server.start", "listening on %s with %d threads", shown, threads);

    int sig = 0;
    while (sigwait(&set, &sig) != 0) {
    }
    log_info("server.stop", "signal %d: no new connections; finishing %d in-flight requests", sig,
             atomic_load(&inflight));
    http_cfg.shutting_down = 1;
    MHD_socket ls = MHD_quiesce_daemon(d);
    int64_t deadline = mono_us() + (int64_t)o->shutdown_grace * 1000000;
    while (atomic_load(&inflight) > 0 && mono_us() < deadline) usleep(10000);
    int left = atomic_load(&inflight);
    MHD_stop_daemon(d);
    if (ls != MHD_INVALID_SOCKET) close(ls);
    if (left) log_warn("server.stop", "%d requests still running at the end of the grace period", left);
    log_info("server.stop", "stopped");
    return 0;
}
