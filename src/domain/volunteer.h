/*
 * volunteer.h - the volunteer registry of the community organisation
 * (vrijwilligerscentrale), postcode coordinates, volunteer requests on
 * level-4 plan actions and the proposals that answer them (DOMAIN.md §1
 * principle 4, ladder level 4).
 *
 * The flow: a generalist asks for a volunteer on a level-4 action of the
 * household's plan (a request, status "zoeken"); sees the candidates ranked
 * and explained (volunteer_match.h) and proposes one ("voorgesteld"); the
 * community organisation records the volunteer's answer and the resident
 * answers in the portal (or the generalist records it on their behalf). When
 * both said yes, ONE plan change (plan_change) makes the volunteer a network
 * member of the household with role vrijwilliger and the carrier of the
 * action, and the request is "gekoppeld". A no from either side ends the
 * proposal ("afgewezen", the reason kept) and the request is back to
 * "zoeken".
 *
 * Need-to-know: functions taking a household id only touch that household's
 * requests (IDOR: other ids are "not found"); everything is per gemeente. What
 * the community organisation sees of a request (volunteer_proposals_for_org)
 * holds no names, BSNs, plans or exact addresses: what, when, the postcode's
 * digits, skills, language and the person's age group.
 *
 * Memory: json_t* results are new references for the caller.
 */
#ifndef KANTEL_VOLUNTEER_H
#define KANTEL_VOLUNTEER_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/calendar.h"

enum {
    VOL_OK = 0,
    VOL_E_INVALID = -1,   /* field errors (see the errors object) */
    VOL_E_NOT_FOUND = -2, /* no such volunteer, request, proposal or action */
    VOL_E_DB = -3,
    VOL_E_STATE = -4,     /* not possible in the current state (already answered, not searching ...) */
    VOL_E_EXCLUDED = -5,  /* the volunteer is excluded by a hard rule (reason in errors "volunteer") */
};

#define VOL_NAME_MAX 200
#define VOL_TEXT_MAX 1000
#define VOL_PHONE_MAX 40

/* ---- postcode coordinates ---------------------------------------------- */

/* 1 and the coordinates when postcode ('1234AB') is in postcode_geo of
 * gemeente, 0 when not, -1 on error. */
int postcode_geo_find(db_t *db, const char *gemeente, const char *postcode, int64_t *lat_e7, int64_t *lon_e7);
/* Inserts or replaces one postcode's coordinates. DB_OK or an error. */
int postcode_geo_put(db_t *db, const char *gemeente, const char *postcode, int64_t lat_e7, int64_t lon_e7,
                     const char *source);

/* ---- volunteers --------------------------------------------------------- */

struct volunteer_in {
    const char *name, *phone, *email;
    const char *postcode;   /* any accepted form or "" */
    const char *languages;  /* comma lists of codes (volunteer_match.h) */
    const char *skills;
    const char *slots;
    const char *areas;      /* free text */
    const char *max_km;     /* "" or a whole number 0..200 */
    const char *age_groups;
    const char *vog_status; /* "geen", "aangevraagd", "afgegeven" */
    const char *vog_date;   /* "YYYY-MM-DD" or ""; required with "afgegeven" */
    int consent;            /* the volunteer agreed to be registered */
    const char *note;
};

/* Checks a volunteer; problems go to errors under "name", "phone",
 * "postcode", "languages", "skills", "slots", "max_km", "age_groups",
 * "vog_status", "vog_date", "consent", "note". Returns the number. */
int volunteer_check(const struct volunteer_in *in, day_t today, json_t *errors);

/* Inserts / updates a checked volunteer (consent_on = today on insert).
 * add returns the id or VOL_E_DB; update VOL_OK, VOL_E_NOT_FOUND, VOL_E_DB. */
int64_t volunteer_add(db_t *db, const char *gemeente, const struct volunteer_in *in, int64_t account_id, int64_t now);
int volunteer_update(db_t *db, const char *gemeente, int64_t id, const struct volunteer_in *in, int64_t now);
int volunteer_set_active(db_t *db, const char *gemeente, int64_t id, int active, int64_t now);

/* One volunteer: {id, name, phone, email, postcode, postcode_text, languages,
 * skills, slots, areas, max_km, age_groups, vog_status, vog_date, consent_on,
 * note, active, has_geo, created_at, updated_at} with the lists as comma
 * strings. NULL when not found (or on error). */
json_t *volunteer_get(db_t *db, const char *gemeente, int64_t id);

/* Volunteers of gemeente, active ones first, by name; q (may be NULL/"")
 * matches, accent-insensitively, the name, areas, postcode and the labels of
 * skills and languages. Same objects as volunteer_get. NULL on error. */
json_t *volunteer_list(db_t *db, const char *gemeente, const char *q, int with_inactive);

/* ---- requests ------------------------------------------------------------ */

struct volunteer_request_in {
    int64_t action_id;
    const char *what;
    const char *when_text; /* free text, may be "" */
    const char *slots;     /* comma list */
    const char *postcode;  /* "" = the household's address */
    const char *skills;    /* comma list */
    const char *language;  /* one code or "" */
    int64_t person_id;     /* the household member it is for */
};

/* Checks a request against the household: the action exists in the current
 * plan on level 4 with no open request yet, the person is a current member
 * with a birth date, the texts and codes are valid. Problems go to errors
 * under "what", "when_text", "postcode", "language", "person", "action".
 * Returns the number of problems. */
int volunteer_request_check(db_t *db, int64_t household_id, const struct volunteer_request_in *in, day_t today,
                            json_t *errors);

/* Inserts a checked request (postcode: the given one normalised, else the
 * household's; person_age computed today). Returns the id or VOL_E_*. */
int64_t volunteer_request_add(db_t *db, const char *gemeente, int64_t household_id,
                              const struct volunteer_request_in *in, day_t today, int64_t account_id, int64_t now);

/* A request of household_id: {id, action_id, what, when_text, slots,
 * postcode, skills, language, person_age, status, created_at, proposals:
 * [{id, volunteer_id, volunteer, score, explanation, proposed_at,
 *   volunteer_answer, volunteer_reason, resident_answer, resident_reason,
 *   outcome}] (newest first)}. NULL when not found. */
json_t *volunteer_request_get(db_t *db, int64_t household_id, int64_t request_id);

/* The open (zoeken/voorgesteld) or linked requests of a household by action:
 * [{id, action_id, status}], newest first. NULL on error. */
json_t *volunteer_requests_of(db_t *db, int64_t household_id);

/* The candidates for a request, ranked (volunteer_match.h): [{volunteer_id,
 * name, languages, skills, areas, vog, score, distance_m | null, excluded,
 * reason, parts: [{code, label, points, max, text}], proposed_before}].
 * Volunteers proposed before for this request and declined are marked
 * proposed_before. NULL on error. */
json_t *volunteer_candidates(db_t *db, const char *gemeente, json_t *request);

/* Proposes a volunteer for a request that is searching: the volunteer must
 * exist, and not be excluded (VOL_E_EXCLUDED, reason in errors
 * "volunteer"). Stores the score and explanation. Returns the proposal id or
 * VOL_E_NOT_FOUND / VOL_E_STATE / VOL_E_EXCLUDED / VOL_E_DB. */
int64_t volunteer_propose(db_t *db, const char *gemeente, int64_t household_id, int64_t request_id,
                          int64_t volunteer_id, int64_t account_id, int64_t now, json_t *errors);

/* The open proposal of a household's request (0 when none, < 0 on error). */
int64_t volunteer_open_proposal(db_t *db, int64_t household_id, int64_t request_id);

/* Records an answer: side "volunteer" (by the community organisation, any
 * open proposal of gemeente; household_id 0) or "resident" (by the resident
 * or the generalist; the proposal must belong to household_id). yes = 0
 * needs no reason but keeps it. When both sides said yes, the link is made
 * in the same transaction as the plan change (see the top of this file).
 * Returns VOL_OK (and *linked = 1 when the link was made, *plan_version set),
 * VOL_E_NOT_FOUND, VOL_E_STATE (already answered or no longer open) or
 * VOL_E_DB. */
int volunteer_answer(db_t *db, const char *gemeente, int64_t household_id, int64_t proposal_id, const char *side,
                     int yes, const char *reason, int64_t account_id, int64_t now, int *linked, int *plan_version);

/* Proposals the community organisation must answer or answered, newest
 * first: [{id, volunteer_id, volunteer, what, when_text, slots_text, area
 * (postcode digits), skills_text, language, age_group, volunteer_answer,
 * volunteer_reason, resident_answer, outcome, proposed_at}]. Only requests
 * that are not withdrawn. NULL on error. */
json_t *volunteer_proposals_for_org(db_t *db, const char *gemeente);

/* Open proposals waiting for the resident's answer in household_id:
 * [{id, request_id, what, when_text, volunteer, languages_text,
 *   skills_text}]. NULL on error. */
json_t *volunteer_proposals_for_resident(db_t *db, int64_t household_id);

/* A comma list as the Dutch labels joined with ", " into a json string
 * (kind: "skills", "languages", "slots", "age_groups"). */
json_t *volunteer_labels(const char *kind, const char *list);

#endif
