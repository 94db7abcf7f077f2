/*
 * http.h - the request as handlers see it, the route table, and the few
 * calls a page handler makes to answer.
 *
 * Life of a request (server.c): libmicrohttpd hands over method, raw URI,
 * headers and body -> router.c matches a route (404/405) -> gate.c checks
 * parameters, session, capability and CSRF (400/303/401/403) -> the handler
 * builds a model and names a template, or redirects -> response.c renders
 * HTML in the layout, or the model as JSON when the client asked for JSON,
 * adds the security headers and queues the response.
 *
 * Memory: everything in http_req_t is allocated from req->arena and freed
 * when the response has been sent. req->model is a jansson reference owned by
 * the request (decref'd at the end). Handlers never free anything of req.
 */
#ifndef KANTEL_HTTP_H
#define KANTEL_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/policy.h"
#include "core/arena.h"
#include "core/buf.h"
#include "http/parse.h"

#define HTTP_MAX_PATH_PARAMS 4
#define HTTP_MAX_HEADERS 12

struct route;
struct asset;

/* The signed-in account behind a request (NULL when anonymous). */
struct http_user {
    int64_t id;
    const char *username;
    const char *display_name;
    const char *gemeente;
    enum role role;
    const char *state;       /* "mfa", "enrol" or "full" */
    const char *csrf;        /* the session's CSRF token */
    uint8_t token_hash[32];  /* the session's key */
    int64_t created_at;
};

typedef struct http_req {
    arena_t *arena;
    /* request */
    const char *method;      /* "GET", "HEAD" or "POST" (others end as 405) */
    const char *path;        /* URL path as sent (no query) */
    const char *raw_query;   /* after '?', "" when none */
    const char *origin_ip;   /* client address (X-Forwarded-For if trust_proxy) */
    const char *host;        /* Host header, "" when none */
    const char *user_agent;
    const char *origin_hdr;  /* Origin header, NULL when absent */
    const char *fetch_site;  /* Sec-Fetch-Site header, NULL when absent */
    int want_json;           /* Accept asks for application/json */
    struct kvlist query;
    struct kvlist form;      /* urlencoded body, or the ordinary parts of a multipart one */
    struct http_upload upload; /* the file of a multipart body (RF_UPLOAD routes);
                                  upload.field == NULL: none. data points into body */
    struct kvlist cookies;
    buf_t body;              /* raw request body (POST) */
    const struct route *route;
    const char *path_params[HTTP_MAX_PATH_PARAMS];
    int n_path_params;
    struct http_user *user;  /* NULL when anonymous */
    int session_expired;     /* the cookie named a session that timed out */
    json_t *errors;          /* field name -> Dutch message (gate validation) */
    char nonce[24];          /* CSP nonce of this response */
    /* response, filled by the handler */
    int status;              /* 0 = 200 */
    json_t *model;           /* page model (object) */
    const char *template;    /* template name without ".html" */
    const char *location;    /* redirect target (303) */
    const char *content_type;/* for raw bodies */
    buf_t out;               /* raw body when template == NULL */
    const char *hdr_name[HTTP_MAX_HEADERS];
    const char *hdr_value[HTTP_MAX_HEADERS];
    int n_headers;
    int cacheable;           /* static assets: long caching instead of no-store */
    const struct asset *asset; /* static asset to send as is (page_static) */
    const char *pre_csrf;    /* anonymous CSRF token set on this response */
    int64_t start_us;
    const char *audit_object_id; /* set by the handler for the personal-data event */
} http_req_t;

typedef void (*http_handler_fn)(http_req_t *req);

/* Route flags. */
enum {
    RF_CSRF = 1,     /* POST: same-origin and a valid CSRF token required */
    RF_PD_READ = 2,  /* reads personal data: audit event "pd.read" */
    RF_PD_WRITE = 4, /* writes personal data: audit event "pd.write" */
    RF_FORM = 8,     /* handler shows field errors itself (req->errors) */
    RF_UPLOAD = 16,  /* POST may be multipart/form-data (RFC 7578) with one file,
                        declared as a parameter of type "file"; the body limit is
                        max_upload instead of max_body. Needs RF_CSRF. */
};

struct route_param {
    const char *name;
    const char *type; /* validator name, see router.c */
    int required;
};

struct route {
    const char *method;
    const char *pattern;   /* "/beheer/gebruikers/{id}/blokkeren" */
    const char *name;      /* handler name, for docs and logs */
    http_handler_fn handler;
    enum capability cap;
    int flags;
    const char *params;    /* "name:type!,name:type" as declared */
    struct route_param p[64]; /* volunteer forms: 21 time slots, 11 skills, ... */
    int n_params;
};

/* The route table (routes.def) after router_init(). */
extern struct route http_routes[];
extern const int http_routes_count;

/* router.c */
int router_init(char *err, size_t errlen);
/* 0: found (req->route, path params set); 404; 405 (allow gets "GET, POST"). */
int router_match(http_req_t *req, const char *method, const char *path, char *allow, size_t allowlen);
/* Validates query/form/upload against the route's declared parameters. Returns
 * 0, or 400 with a Dutch reason for hostile input (undeclared, over-long,
 * control characters, a file other than the declared "file" parameter of an
 * RF_UPLOAD route, a "file" parameter sent as text); per-field problems of ordinary users (empty required field,
 * wrong format) go to req->errors, which the gate turns into a 400 after the
 * access checks unless the route is RF_FORM. */
int router_check_params(http_req_t *req, const char **reason);

/* Handler helpers (response.c). */
const char *http_param(http_req_t *req, const char *name); /* query or form, NULL if absent */
void http_page(http_req_t *req, const char *template, json_t *model); /* steals model */
void http_redirect(http_req_t *req, const char *location);          /* 303 */
void http_error(http_req_t *req, int status, const char *message);  /* Dutch message */
void http_header(http_req_t *req, const char *name, const char *value); /* copies nothing */
void http_set_cookie(http_req_t *req, const char *name, const char *value, int max_age);
/* The anonymous CSRF token (cookie kantel_pre), created when missing. */
const char *http_anon_csrf(http_req_t *req);
/* Writes an audit event for the user of req (anonymous when none): action,
 * object type and numeric id (0 = none), result ("ok" when NULL) and a
 * detail without personal data (may be NULL). gate.c. */
void http_audit(http_req_t *req, const char *action, const char *object_type, int64_t object_id, const char *result,
                const char *detail);
/* One form field for error reporting: its key in the domain's errors, its
 * name in the form (the gate's req->errors), its element id on the page and
 * its label in the error summary. */
struct http_field {
    const char *domain, *form, *id, *label;
};
enum http_err_order { HTTP_GATE_FIRST, HTTP_DOMAIN_FIRST };
/* Field errors of a form under form field names: per field the gate's message
 * or the domain's (order says which wins when both have one; domain_errors may
 * be NULL). Appends {href, label, message} summary entries to list. Returns a
 * new object. response.c. */
json_t *http_form_errors(http_req_t *req, json_t *domain_errors, const struct http_field *f, size_t n,
                         enum http_err_order order, json_t *list);
#define HTTP_NFIELDS(a) (sizeof(a) / sizeof((a)[0]))

/* Adds the common layout fields (user, csrf, nav, theme) to req->model. */
void http_layout_model(http_req_t *req);


/* Settings the HTTP layer reads on every request; set once before serving. */
struct http_settings {
    int64_t idle_timeout;      /* seconds */
    int64_t absolute_timeout;  /* seconds */
    int cookie_secure;
    int trust_proxy;
    size_t max_body;
    size_t max_upload;         /* body limit of RF_UPLOAD routes; 0: server_run
                                  takes config key max_upload */
    const char *theme_class;
    const char *gemeente;      /* this instance's municipality code */
    const char *gemeente_name; /* e.g. "Gemeente Kantelstad" */
    int demo;                  /* demo database: show the demo hint */
    volatile int shutting_down;
};
extern struct http_settings http_cfg;

/* gate.c: everything between routing and the handler. Returns 0 when the
 * handler may run; otherwise the response is already set in req. */
int gate_check(http_req_t *req);
/* After the handler: the personal-data audit event for RF_PD_* routes. */
void gate_after(http_req_t *req);

/* response.c: turns req's model/template/redirect/raw body into bytes. */
void response_build(http_req_t *req, const char **ctype);

#endif
