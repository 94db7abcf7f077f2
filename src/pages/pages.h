/*
 * pages.h - the page handlers named in http/routes.def. One file per area
 * under src/pages/; each handler builds a model and names a template (or
 * redirects). The gate has already checked session, role, CSRF and params.
 */
#ifndef KANTEL_PAGES_H
#define KANTEL_PAGES_H

#include "http/http.h"

#define ROUTE(m, pattern, handler, cap, flags, params) void handler(http_req_t *req);
#include "http/routes.def"
#undef ROUTE

#endif
