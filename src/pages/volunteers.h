/*
 * volunteers.h - what other pages take from the volunteer pages
 * (volunteers.c): the links of the plan page.
 */
#ifndef KANTEL_PAGES_VOLUNTEERS_H
#define KANTEL_PAGES_VOLUNTEERS_H

#include <jansson.h>
#include <stdint.h>

#include "http/http.h"

/* Adds to the plan page model m (of the current, editable version): on every
 * level-4 action of m.levels a "volunteer" object {href, label, status} (the
 * "Vrijwilliger zoeken" link, or the link to the request running for it),
 * and m.carrier_names: the active network members as [{name, roles_text}]
 * for the carrier name's suggestion list (a JIM shows as such). */
void volunteers_plan_model(http_req_t *req, int64_t household_id, json_t *m);

#endif
