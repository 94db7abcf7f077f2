/*
 * referral.h - closed-loop referrals from a plan action to a service of the
 * sociale kaart (DOMAIN.md §6 "Closed-loop referral", docs/hsds.md
 * "Referrals"). Tables referral and referral_event (migration 0009).
 *
 * The loop: a generalist refers a household member from an open action of
 * the household's plan to an HSDS service, only with recorded consent; the
 * organisation behind the service (its approved org_member accounts,
 * orgmember.h) sees the referral in its inbox and sets the status; the
 * resident (portal) and the generalist see every status, and either may
 * withdraw. The plan action follows the referral:
 *
 *   verstuurd    (created)  the action gets the service as carrier_name when it
 *                           had none
 *   contact                 -
 *   gestart                 an "open" action becomes "bezig"
 *   afgewezen               - (the plan page shows that a new step is needed)
 *   beeindigd               an open or "bezig" action becomes "gedaan", unless
 *                           another referral of the action still runs
 *   ingetrokken             a "bezig" action this referral made "bezig" is
 *                           "open" again, unless another started referral of
 *                           the action keeps it busy
 *
 * Each change of the action is a new plan version (plan_change) written in
 * the same transaction as the referral's change and its event (the event
 * keeps that version number); a status change that leaves the plan as it is
 * is one transaction of its own. Nothing is ever half written.
 *
 * Transitions (referral_transition_why): verstuurd -> contact -> gestart ->
 * beeindigd, verstuurd -> gestart, verstuurd/contact -> afgewezen (reason
 * required), any open status (verstuurd, contact, gestart) -> ingetrokken
 * (reason optional). The organisation sets contact, gestart, afgewezen and
 * beeindigd; the generalist (need-to-know on the household) and the resident
 * (portal) only withdraw.
 *
 * Consent (referral_consent_why): who gave it - "inwoner" (the person) or
 * "vertegenwoordiger" (a parent, guardian or other legal representative).
 * Under 16 (AVG art. 8, UAVG art. 5) only a representative's consent counts;
 * from 16 only the person's own. How: mondeling, schriftelijk or portaal.
 * When: a date, not in the future and at most REF_CONSENT_MAX_DAYS ago.
 *
 * What the organisation sees (referral_org_get, referral_inbox): the shared
 * name, the shared contact (phone or e-mail, may be empty), the message, the
 * service, dates and statuses. Never the household, plan, person id, BSN or
 * address. No text a referral carries may contain a valid BSN.
 *
 * Reminders: referral_reminder_run() marks open referrals (verstuurd,
 * contact) without an update for N days (reminded_at); the mark shows in the
 * organisation's inbox and on the generalist's pages. It is in-app only.
 *
 * Need-to-know: functions that take a household id only touch that
 * household's referrals; functions that take an organisation id only that
 * organisation's; everything is per gemeente (other ids are "not found").
 *
 * Memory: json_t* results are new references for the caller. Returned
 * strings are static.
 */
#ifndef KANTEL_REFERRAL_H
#define KANTEL_REFERRAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/calendar.h"

enum {
    REF_OK = 0,
    REF_E_INVALID = -1,   /* field errors (see the errors object) */
    REF_E_NOT_FOUND = -2, /* no such referral, action, person or service (in this scope) */
    REF_E_DB = -3,
    REF_E_STATE = -4,     /* not possible in the current status (message in errors "status") */
    REF_E_DUPLICATE = -5, /* an open referral of this action to this service exists (errors "service") */
    REF_E_FORBIDDEN = -6, /* this side may not set this status (message in errors "status") */
};

#define REF_TEXT_MAX 1000        /* characters in a message or a reason */
#define REF_CONTACT_MAX 200      /* characters in the shared contact */
#define REF_CONSENT_MAX_DAYS 365 /* older consent must be asked again */
#define REF_ADULT_CONSENT_AGE 16 /* from this age the person's own consent counts */

/* Who changes a referral. */
enum referral_side {
    REF_SIDE_ORG = 1,  /* an approved member of the referral's organisation */
    REF_SIDE_STAFF,    /* a generalist with need-to-know on the household */
    REF_SIDE_RESIDENT, /* the resident in the portal */
};

/* ---- vocabulary and pure rules ------------------------------------------ */

/* Dutch label of a status ("Verstuurd", "Contact gehad", "Gestart",
 * "Afgewezen", "Beëindigd", "Ingetrokken"), or NULL when unknown. */
const char *referral_status_label(const char *status);
/* The status codes in their order (NULL past the end). */
const char *referral_status_at(int i);
/* 1 for verstuurd, contact and gestart (the referral still runs). */
int referral_status_open(const char *status);
/* Dutch labels of consent_by and consent_how codes, or NULL. */
const char *referral_consent_by_label(const char *code);
const char *referral_consent_how_label(const char *code);

/* NULL when side may move a referral from status `from` to `to`, else a
 * Dutch sentence saying why not. *forbidden (may be NULL) is set to 1 when
 * the reason is the side rather than the state. */
const char *referral_transition_why(const char *from, const char *to, enum referral_side side, int *forbidden);

/* NULL when consent given by `by` for a person of age years (-1 unknown)
 * counts, else a Dutch sentence. */
const char *referral_consent_why(const char *by, int age);

/* 1 when text holds a number that is a valid BSN: nine digits in a row, or
 * nine digits grouped with single spaces, dots or hyphens ("1234.56.782"). */
int referral_text_has_bsn(const char *text);

/* NULL when s is a phone number (8 to 15 digits with spaces, +, -, (, ))
 * or an e-mail address, else a Dutch sentence. "" is fine (no contact). */
const char *referral_contact_why(const char *s);

/* Age in whole years on today of a person born on birth ("YYYY-MM-DD");
 * -1 when birth is NULL, malformed or after today. */
int referral_age(const char *birth, day_t today);

/* ---- the service --------------------------------------------------------- */

/* The service as a referral shows it, or NULL when gemeente has no such
 * service: {id, name, description, organization_id (null when none),
 * organization, status, hidden (bool), referable (bool), why (Dutch sentence
 * when not referable, else null), address, when: [Dutch lines], costs:
 * [Dutch lines], phone, email, url, ages (Dutch, "" when open to all)}. */
json_t *referral_service(db_t *db, const char *gemeente, const char *service_id);

/* ---- creating ------------------------------------------------------------ */

struct referral_in {
    int64_t action_id;       /* in the household's current plan */
    int64_t person_id;       /* a current member of the household */
    const char *service_id;
    const char *consent_by;  /* "inwoner" | "vertegenwoordiger" */
    const char *consent_how; /* "mondeling" | "schriftelijk" | "portaal" */
    const char *consent_on;  /* "YYYY-MM-DD" */
    int consent_confirmed;   /* the generalist ticked that consent covers sharing this */
    const char *contact;     /* phone or e-mail to share, or "" */
    const char *message;     /* what the organisation needs to know, or "" */
};

/* Checks a referral against the household (see the top of this file).
 * Problems go to errors under "action", "person", "service", "consent_by",
 * "consent_how", "consent_on", "consent", "contact", "message". Returns the
 * number of problems (an open referral of the action to the service counts
 * under "service"). */
int referral_check(db_t *db, const char *gemeente, int64_t household_id, const struct referral_in *in, day_t today,
                   json_t *errors);

/* Creates a checked referral (status verstuurd, the first event) and makes
 * the plan action follow, in one transaction; the check runs again inside
 * it. Returns the new id (> 0) with *plan_version the plan version made (0
 * when the plan did not change), or REF_E_INVALID / REF_E_DUPLICATE (errors
 * filled), REF_E_NOT_FOUND or REF_E_DB. */
int64_t referral_create(db_t *db, const char *gemeente, int64_t household_id, const struct referral_in *in,
                        int64_t account_id, int64_t now, json_t *errors, int *plan_version);

/* ---- changing the status ------------------------------------------------- */

struct referral_actor {
    enum referral_side side;
    const char *org_id;   /* REF_SIDE_ORG: the organisation the account speaks for */
    int64_t household_id; /* REF_SIDE_STAFF / REF_SIDE_RESIDENT: the household */
    int64_t person_id;    /* REF_SIDE_RESIDENT: the resident's own person (see referral_resident_may) */
    int64_t account_id;
};

/* Moves referral id to status (with reason, may be NULL) for who, and makes
 * the plan action follow, in one transaction. Returns REF_OK (*plan_version:
 * the plan version made or 0), REF_E_NOT_FOUND (not in who's scope),
 * REF_E_STATE / REF_E_FORBIDDEN (errors "status"), REF_E_INVALID (errors
 * "reason") or REF_E_DB. */
int referral_set_status(db_t *db, const char *gemeente, int64_t id, const struct referral_actor *who,
                        const char *status, const char *reason, int64_t now, json_t *errors, int *plan_version);

/* 1 when the resident whose person is person_id sees and may withdraw a
 * referral for referred_person of age referred_age: their own, or one of a
 * household member under REF_ADULT_CONSENT_AGE. */
int referral_resident_may(int64_t person_id, int64_t referred_person, int referred_age);

/* ---- reading -------------------------------------------------------------- */

/* One referral of household_id, in full for the generalist: {id,
 * household_id, action_id, person_id, person_age, service_id,
 * organization_id, organization, service_name, consent_by, consent_by_label,
 * consent_how, consent_how_label, consent_on, consent_recorded_by,
 * shared_name, shared_contact, message, status, status_label, open, reason,
 * status_at, reminded_at (or null), created_at, created_by, events: [{status,
 * status_label, reason, by, by_side ("org", "staff", "resident", ""), at,
 * plan_version (or null)}] (oldest first)}. NULL when not found. */
json_t *referral_get(db_t *db, const char *gemeente, int64_t household_id, int64_t id);

/* The referrals of a household, newest first, each as referral_get without
 * events ("reason" is the reason of the last status). NULL on error. */
json_t *referral_list(db_t *db, const char *gemeente, int64_t household_id);

/* What the organisation sees of one of its referrals: {id, service_id,
 * service_name, shared_name, shared_contact, message, consent_on, status,
 * status_label, open, reason, status_at, reminded_at (or null), created_at,
 * events: [{status, status_label, reason, by_side, at}]}. NULL when
 * org_id has no such referral. */
json_t *referral_org_get(db_t *db, const char *gemeente, const char *org_id, int64_t id);

/* The organisation's inbox: {referrals: [as referral_org_get without events
 * and message], counts: {status: n}}; open referrals first (oldest update
 * first), then the others (newest first); at most limit. NULL on error. */
json_t *referral_inbox(db_t *db, const char *gemeente, const char *org_id, int limit);

/* ---- reminders ------------------------------------------------------------ */

/* Background job "referral.reminder": marks open referrals (verstuurd,
 * contact) whose status was not updated for days days and that were not
 * reminded since (reminded_at = now). At most 500 per run, in one
 * transaction. 0 or -1, with a short result in detail. */
int referral_reminder_run(db_t *db, int64_t now, int days, char *detail, size_t n);

#endif
