/*
 * hh.h - what every page under /huishoudens/{id}/ starts with: loading the
 * household named by the first path parameter with need-to-know
 * (domain/access.h), and the break-the-glass grants shown to the coordinator.
 */
#ifndef KANTEL_PAGES_HH_H
#define KANTEL_PAGES_HH_H

#include <stdint.h>

#include "domain/access.h"
#include "http/http.h"

struct hh {
    int64_t id;
    const char *name;       /* arena */
    int64_t team_id;        /* 0 when none */
    enum hh_access access;  /* HH_COORDINATOR, HH_TEAM or HH_BREAK_GLASS */
};

/* Loads the household of req->path_params[0] for req->user. Returns 0 and
 * fills out (and req->audit_object_id), or -1 after answering: 404 when it
 * does not exist in this municipality, 403 with the break-the-glass form when
 * the user has no need-to-know (audited as authz.denied). Every use of a
 * break-the-glass grant is audited as access.break-glass. Call it before
 * looking at req->errors, so that a missing household is a 404 first. */
int hh_load(http_req_t *req, struct hh *out);

/* The break-the-glass grants of a household, newest first, for its overview:
 * [{who, when, until, reason, active}]. Caller owns the reference. */
json_t *hh_break_glass_model(int64_t household_id);

/* Parses path parameter i as an id (> 0); 0 when malformed. */
int64_t hh_path_id(http_req_t *req, int i);

#endif
