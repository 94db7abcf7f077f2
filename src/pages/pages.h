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

/* pages/istd.c: the official iWmo/iJw schemas uploads are validated against
 * (istd_xsd_open, istd/istd.h); NULL (the default) skips the XSD layer and
 * each retour report says so. Set once by `kantel serve` before serving;
 * not owned: the caller closes it after the server has stopped. */
struct istd_xsd;
void pages_istd_set_xsd(struct istd_xsd *x);

#endif
