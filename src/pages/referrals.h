/*
 * referrals.h - what other pages take from the referral pages
 * (referrals.c): the plan page's per-action referral links and the portal's
 * summary.
 */
#ifndef KANTEL_PAGES_REFERRALS_H
#define KANTEL_PAGES_REFERRALS_H

#include <jansson.h>
#include <stdint.h>

#include "http/http.h"

/* Adds to the plan page model m (of the current, editable version), on each
 * action of m.levels: "referral_search" ({href} of the sociale kaart search
 * from this action, on open and "bezig" actions of levels 4 and 5, else
 * null), "referrals" ([{href, service_name, status, status_label, open,
 * reminder (Dutch marker or null)}], newest first) and "new_step" (a Dutch
 * sentence when the action still runs but its last referral was declined or
 * withdrawn and none runs, else null). */
void referrals_plan_model(http_req_t *req, int64_t household_id, json_t *m);

/* The portal's summary for the resident whose person is person_id in
 * household_id: {count, open, href} over the referrals the resident sees
 * (referral_resident_may). New reference. */
json_t *referrals_portal_summary(http_req_t *req, int64_t household_id, int64_t person_id);

/* The same referrals for the resident's data export (AVG art. 15):
 * [{service_name, organization, for, status, status_label, consent_on,
 * consent_by, consent_how, shared_contact, message, events: [{status_label,
 * when, by, reason}]}], newest first. New reference. */
json_t *referrals_portal_export(http_req_t *req, int64_t household_id, int64_t person_id);

#endif
