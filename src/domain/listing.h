/*
 * listing.h - listings of the sociale kaart that stay current (issue 6; see
 * docs/hsds.md, "Listings that stay current"). No HTTP here.
 *
 * A listing is an HSDS service (hsds_service) with its currency state in
 * table listing (migration 0009): seen_at (when Kantel first saw it),
 * flagged_at (its owner was asked to confirm it) and hidden_at (left out of
 * search and the public API).
 *
 * Owner: the organisation of the service (hsds_service.organization_id) when
 * an account speaks for it (an approved org_member); otherwise the
 * municipality's kaartbeheer. Only the owner maintains a listing: confirms it
 * ("nog actueel") or edits it; saving an edit also confirms it.
 *
 * Claims (org_member): an account that may speak for an organisation
 * (CAP_ORG) and has no claim, or a refused one, asks for one organisation of
 * its municipality with a motivation; kaartbeheer approves or refuses it (a
 * refusal has a reason). Several accounts may speak for one organisation; an
 * account speaks for one organisation at most (aangevraagd -> goedgekeurd |
 * afgewezen; afgewezen -> aangevraagd by a new claim).
 *
 * Currency: the effective assured date of a listing is hsds_service.
 * assured_date when it is a date (YYYY-MM-DD, or a date-time starting with
 * one), else the Amsterdam date of listing.seen_at. A listing whose effective
 * date lies before "today minus flag_months" (the same day of the month that
 * many months earlier, clamped to the month's end) is flagged; before "today
 * minus hide_months" it is hidden. The state always follows the date: a
 * listing whose date became recent again (an import, a changed setting) is
 * released by the next run. A confirmation sets the date to today and
 * releases the listing at once.
 *
 * Change log: every change is a row in hsds_metadata (HSDS 3.0): one per
 * changed field, with previous and replacement value (LISTING_NO_VALUE for
 * none), resource id and type
 * (service, phone, schedule), last_action_type create/update/delete, or
 * 'confirm' with field_name assured_date for a confirmation; hiding and
 * releasing by the job are 'update' rows of field 'kantel:hidden' by
 * "Kantel". last_action_date is the Amsterdam date (the HSDS datapackage
 * types it as a date, and Kantel's own import checks that). Ids are UUID
 * version 7 (RFC 9562): time-ordered, so the log sorts by id within a date.
 * updated_by is the account's user name (never the person's name: the
 * metadata is public through the HSDS API and export).
 *
 * Every function that changes hsds_* rows or listing.hidden_at runs in one
 * write transaction and calls search_touch() in it.
 *
 * Memory: json_t* results are new references for the caller.
 */
#ifndef KANTEL_LISTING_H
#define KANTEL_LISTING_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/calendar.h"
#include "domain/orgmember.h"

enum {
    LST_OK = 0,
    LST_E_INVALID = -1,   /* field errors (see the errors object) */
    LST_E_NOT_FOUND = -2, /* no such service / organisation / claim (or not the actor's: IDOR) */
    LST_E_DB = -3,
    LST_E_STATE = -4,     /* not possible now: a claim already running or decided, a listing the
                             organisation maintains itself (for kaartbeheer) */
};

#define LISTING_SLICE 5000          /* rows per step of a job run at most */
#define LISTING_MOTIVATION_MAX 1000 /* characters */
#define LISTING_REASON_MAX 1000
#define LISTING_NAME_MAX 200
#define LISTING_DESCRIPTION_MAX 4000
#define LISTING_FEES_MAX 500
#define LISTING_URL_MAX 500
#define LISTING_PHONE_MAX 40
#define LISTING_UPDATED_BY "Kantel" /* updated_by of the job's rows (no user name has capitals) */
/* previous_value / replacement_value of a field without a value (a created
 * or deleted phone, a field filled or emptied): HSDS requires both, and an
 * empty CSV cell counts as missing, so the export stays valid HSDS. */
#define LISTING_NO_VALUE "(geen)"

/* ---- pure rules ------------------------------------------------------------ */

/* The same day of the month `months` months before day (months >= 0),
 * clamped to the last day of that month: 2026-08-31 minus 6 = 2026-02-28. */
day_t listing_months_before(day_t day, int months);

/* The effective assured date: assured_date when it is "YYYY-MM-DD" or starts
 * with one followed by 'T', 't' or ' ' (a date-time), else the Amsterdam date
 * of seen_at. Returns 1 when taken from assured_date, 0 from seen_at. */
int listing_effective_day(const char *assured_date, int64_t seen_at, day_t *out);

enum listing_state { LISTING_CURRENT = 0, LISTING_FLAGGED = 1, LISTING_HIDDEN = 2 };

/* What the currency rule says for a listing with effective date eff on
 * today: hidden when eff < today - hide_months, flagged when eff < today -
 * flag_months, else current. */
enum listing_state listing_state_for(day_t eff, day_t today, int flag_months, int hide_months);

/* A new metadata id: UUID version 7 from the current time (or from now_s when
 * the clock is far from it, as in tests), strictly increasing within the
 * process. out: 37 bytes. */
void listing_uuid(int64_t now_s, char out[37]);

/* The unix milliseconds of a version-7 UUID, or -1 when id is none. */
int64_t listing_uuid_ms(const char *id);

/* ---- who acts ---------------------------------------------------------------- */

struct listing_actor {
    int64_t account_id;
    char username[65];         /* updated_by in hsds_metadata */
    char email[255];           /* the account's e-mail address, "" when none (assurer_email) */
    char org_id[ORG_ID_MAX];   /* the organisation it speaks for; "" = the municipality's kaartbeheer */
};

/* Loads the account of gemeente as an actor: as_org = 1 for an organisation
 * (its approved claim; LST_E_NOT_FOUND without one), 0 for kaartbeheer.
 * LST_OK, LST_E_NOT_FOUND or LST_E_DB. */
int listing_actor_load(db_t *db, const char *gemeente, int64_t account_id, int as_org, struct listing_actor *out);

/* ---- owner ------------------------------------------------------------------ */

struct listing_owner {
    int is_org;                    /* 1: the organisation; 0: the municipality */
    char org_id[ORG_ID_MAX];       /* the service's organisation ("" when none) */
    char org_name[256];
};

/* The owner of a service of gemeente: 1 (filled), 0 when there is no such
 * service, -1 on a database error. */
int listing_owner(db_t *db, const char *gemeente, const char *service_id, struct listing_owner *out);

/* LST_OK when the actor maintains the service: an organisation its own
 * organisation's services, kaartbeheer the services the municipality owns.
 * LST_E_NOT_FOUND for a service not in gemeente or (an organisation) not of
 * its organisation; LST_E_STATE for kaartbeheer on a service its
 * organisation maintains; LST_E_DB. */
int listing_may_maintain(db_t *db, const char *gemeente, const struct listing_actor *a, const char *service_id);

/* ---- claims --------------------------------------------------------------------- */

/* The claim of account_id: {status, organization_id, organization_name,
 * motivation, reason, created_at, decided_at (or null)}; NULL when it has
 * none (or on error). */
json_t *listing_claim_get(db_t *db, const char *gemeente, int64_t account_id);

/* Account account_id (of gemeente, a role that may speak for an
 * organisation) asks to speak for org_id with a motivation (required, at
 * most LISTING_MOTIVATION_MAX characters). A refused claim is replaced.
 * Problems go to errors under "organization" and "motivation". Returns
 * LST_OK, LST_E_INVALID, LST_E_STATE (a claim is waiting or approved),
 * LST_E_NOT_FOUND (no such account) or LST_E_DB. */
int listing_claim(db_t *db, const char *gemeente, int64_t account_id, const char *org_id, const char *motivation,
                  int64_t now, json_t *errors);

/* Kaartbeheer (decided_by) approves or refuses the waiting claim of account
 * member_id; a refusal needs a reason (errors "reason"). LST_OK,
 * LST_E_INVALID, LST_E_NOT_FOUND (no claim in gemeente), LST_E_STATE (not
 * waiting) or LST_E_DB. */
int listing_claim_decide(db_t *db, const char *gemeente, int64_t member_id, int64_t decided_by, int approve,
                         const char *reason, int64_t now, json_t *errors);

/* Waiting claims of gemeente, oldest first: [{account_id, username,
 * display_name, role, organization_id, organization_name, motivation,
 * created_at, members (accounts already approved for it)}]. NULL on error. */
json_t *listing_claims_waiting(db_t *db, const char *gemeente);

/* Organisations of gemeente whose name holds every word of q (folded,
 * core/fold.h), by name: [{id, name, services}] (at most limit). An empty
 * q gives []. NULL on error. */
json_t *listing_org_search(db_t *db, const char *gemeente, const char *q, int limit);

/* ---- one listing ------------------------------------------------------------------ */

/* A service of gemeente as its owner maintains it: {id, name, description,
 * email, url, status, fees_description, minimum_age, maximum_age,
 * assured_date, assurer_email, last_modified, organization_id,
 * organization_name, owner_is_org, phone, phone_id, schedule: {id, freq,
 * weekly, byday, opens_at, closes_at, description} | null, seen_at (or null),
 * flagged_at (or null), hidden_at (or null), state ("current", "flagged",
 * "hidden")}; absent texts are "". NULL when there is none (or on error). */
json_t *listing_service_get(db_t *db, const char *gemeente, const char *service_id);

/* Confirms a listing the actor maintains: assured_date = today
 * (Amsterdam), assurer_email = the actor's e-mail when it has one,
 * last_modified = now, flagged and hidden cleared, one metadata row.
 * LST_OK or as listing_may_maintain. */
int listing_confirm(db_t *db, const char *gemeente, const struct listing_actor *a, const char *service_id,
                    int64_t now);

/* What an owner edits (NULL = ""). byday: comma list of MO..SU (weekly
 * schedules only). */
struct listing_service_in {
    const char *name, *description, *email, *url, *status, *fees_description, *minimum_age, *maximum_age;
    const char *phone;
    const char *opens_at, *closes_at, *byday;
};

/* Checks an edit; problems go to errors under "name", "description",
 * "email", "url", "status", "fees_description", "minimum_age",
 * "maximum_age", "phone", "opens_at", "closes_at", "byday". weekly: the
 * days apply (a weekly or a new schedule); has_schedule: the service has a
 * schedule already. Returns the number of problems. */
int listing_service_check(const struct listing_service_in *in, int weekly, int has_schedule, json_t *errors);

/* Saves a checked edit of a listing the actor maintains and confirms it
 * (as listing_confirm): only changed fields are written, each with a
 * metadata row; the first phone of the service is updated, created or (when
 * emptied) deleted; the first schedule's times and (weekly) days are
 * updated, or a weekly schedule is created, its description rewritten. On
 * problems LST_E_INVALID with errors filled. Otherwise as listing_confirm. */
int listing_service_update(db_t *db, const char *gemeente, const struct listing_actor *a, const char *service_id,
                           const struct listing_service_in *in, int64_t now, json_t *errors);

/* The change log of a service, its phones and its schedules, newest first
 * (at most limit): [{id, resource_type, action, field, previous, replacement,
 * by, date, ms (UUID v7 time, or null)}]. NULL on error. */
json_t *listing_history(db_t *db, const char *gemeente, const char *service_id, int limit);

/* ---- lists ------------------------------------------------------------------------- */

/* The services of an organisation, by name: [{id, name, status,
 * assured_date, state, flagged_at, hidden_at (or null)}]. NULL on error. */
json_t *listing_services_of_org(db_t *db, const char *gemeente, const char *org_id);

enum listing_which { LISTING_ASK = 0, LISTING_ONLY_FLAGGED, LISTING_ONLY_HIDDEN, LISTING_ALL };

/* Kaartbeheer's overview: services of gemeente in state `which` (ASK =
 * flagged or hidden) whose name or organisation holds every word of q
 * (folded), by name; from offset at most limit, with the number of all in
 * *total: [{id, name, organization_name, owner_is_org, assured_date, state,
 * flagged_at, hidden_at}]. NULL on error. */
json_t *listing_overview(db_t *db, const char *gemeente, enum listing_which which, const char *q, int offset,
                         int limit, int *total);

/* Counts of gemeente's listings: flagged (not hidden) and hidden. 0 or -1. */
int listing_counts(db_t *db, const char *gemeente, int *flagged, int *hidden);

/* ---- the job ------------------------------------------------------------------------ */

struct listing_run {
    int added, released, flagged, hidden;
    int more; /* 1 when a step stopped at its limit: the next run goes on */
};

/* One run of the currency rule over every municipality, each step at most
 * limit rows in its own write transaction: (1) listing rows for services
 * without one (seen_at = now); (2) releases listings whose effective date is
 * recent again; (3) flags; (4) hides (with a metadata row each and
 * search_touch per municipality). Idempotent. 0, or -1 with the database's
 * message in detail. */
int listing_currency_slice(db_t *db, int64_t now, int flag_months, int hide_months, int limit,
                           struct listing_run *out, char *detail, size_t n);

/* Background job "socialmap.currency": listing_currency_slice with
 * LISTING_SLICE. 0 or -1, with a short result in detail. */
int listing_currency_run(db_t *db, int64_t now, int flag_months, int hide_months, char *detail, size_t n);

#endif
