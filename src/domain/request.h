/*
 * request.h - requests (meldingen) and their legal deadlines: database rules
 * without HTTP (DOMAIN.md §4).
 *
 * A request belongs to one household and usually one member; it is filed
 * under a law (or "onbekend" while that is not yet clear) and starts the
 * legal deadlines of that law on the day it was received:
 *
 *   wmo             onderzoek (6 weeks), persoonlijk plan (7 days) when the
 *                   resident wants to hand one in
 *   jeugdwet        besluit (8 weeks)
 *   participatiewet besluit (8 weeks), zoektermijn (4 weeks) for an under-27
 *                   who applies for bijstand
 *   onbekend        the Wmo onderzoek term (and the persoonlijk plan when
 *                   chosen): the term runs from the melding, whatever law
 *                   it turns out to be
 *
 * The terms come from domain/calendar.h and are configurable per
 * municipality in the settings table (deadline_config_load):
 *   name "deadline.<code>"  value "<n>d" | "<n>w" | "<n>wd"  (e.g. "6w")
 *       code: wmo_onderzoek, wmo_persoonlijk_plan, wmo_besluit, jeugd_besluit,
 *             pw_besluit, pw_zoektermijn, istd_antwoord, netwerk_opvolging
 *   name "bevrijdingsdag"   value "never" | "lustrum" | "always"
 * A missing or malformed row means the default.
 *
 * A request moves forward through nieuw -> onderzoek -> plan -> afgerond and
 * may be withdrawn (ingetrokken) while open. Closing it (afgerond or
 * ingetrokken) sets closed_at and marks its open deadlines done today with
 * the note "melding afgesloten". Deadlines are otherwise met explicitly
 * (deadline_mark_done).
 *
 * Every function that takes a household id also takes the municipality and
 * only touches rows of that household: an id of another household's request
 * or deadline is "not found" (IDOR). Callers check need-to-know first
 * (pages/hh.h) and write the audit events.
 *
 * Memory: returned json_t values are new references the caller decrefs;
 * returned strings are static constants.
 */
#ifndef KANTEL_REQUEST_H
#define KANTEL_REQUEST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/calendar.h"

/* ---- codes and labels (pure) ------------------------------------------ */

enum request_law { LAW_WMO = 0, LAW_JEUGDWET, LAW_PARTICIPATIEWET, LAW_ONBEKEND, LAW_COUNT };

enum request_status { RS_NIEUW = 0, RS_ONDERZOEK, RS_PLAN, RS_AFGEROND, RS_INGETROKKEN, RS_COUNT };

/* Stored code ("wmo", ...) and Dutch label ("Wmo", "Nog niet bekend"). */
const char *request_law_code(enum request_law law);
const char *request_law_label(enum request_law law);
/* The law of a code, or -1. */
int request_law_parse(const char *code);

#define REQUEST_CHANNEL_COUNT 7
/* Channel i (0 <= i < REQUEST_CHANNEL_COUNT): code ("email") and label
 * ("E-mail"); NULL when out of range. */
const char *request_channel_code(int i);
const char *request_channel_label(int i);
/* The index of a channel code, or -1. */
int request_channel_parse(const char *code);

const char *request_status_code(enum request_status s);
const char *request_status_label(enum request_status s);
int request_status_parse(const char *code); /* -1 when unknown */
/* 1 for afgerond and ingetrokken. */
int request_status_closed(enum request_status s);
/* 1 when a request may move from -> to: forward along nieuw, onderzoek,
 * plan, afgerond (steps may be skipped), or to ingetrokken from any open
 * status. Never out of a closed status, never to the same status. */
int request_status_allowed(enum request_status from, enum request_status to);

/* Completed years of age on day `on` of someone born on `birth`
 * (29 February birthdays count on 1 March in other years). */
int age_on(day_t birth, day_t on);

/* ---- deadlines of a municipality -------------------------------------- */

/* A request's deadline counts as "binnenkort" (due soon) from this many
 * calendar days before its due day; shown on /termijnen. */
#define DEADLINE_SOON_DAYS 7

struct deadline_config {
    struct deadline_rule rule[DL_COUNT];
    struct holiday_rules holidays;
};

/* The built-in defaults (calendar.h). */
void deadline_config_default(struct deadline_config *c);
/* Defaults with the municipality's settings applied (see header comment).
 * Malformed settings are ignored. Returns the number of ignored settings
 * (>= 0), or -1 on a database error (c then holds the defaults). */
int deadline_config_load(db_t *db, const char *gemeente, struct deadline_config *c);

/* The kind with this rule code, or -1. */
int deadline_kind_parse(const char *code);
/* The Dutch label of a stored kind code; the code itself when unknown. */
const char *deadline_kind_label(const char *code);
/* "6 weken", "7 dagen", "1 week", "3 werkdagen" into out. */
void deadline_term_text(const struct deadline_rule *rule, char *out, size_t n);

#define REQUEST_MAX_DEADLINES 3
/* The deadlines a new request starts, in display order, into out; returns
 * their number. persoonlijk_plan counts for wmo and onbekend only,
 * zoektermijn for participatiewet only (the caller validates). */
int request_deadline_kinds(enum request_law law, int persoonlijk_plan, int zoektermijn,
                           enum deadline_kind out[REQUEST_MAX_DEADLINES]);

/* ---- database --------------------------------------------------------- */

enum {
    REQ_OK = 0,
    REQ_E_DB = -1,
    REQ_E_NOT_FOUND = -2,  /* no such row in this household */
    REQ_E_TRANSITION = -3, /* status change not allowed */
};

/* A current member of household_id (until empty or later than today)?
 * Returns 1 and sets *birth (or *has_birth = 0 when unknown), 0 when not a
 * member (or no such person), REQ_E_DB on error. */
int request_member(db_t *db, int64_t household_id, int64_t person_id, day_t today, day_t *birth, int *has_birth);

/* The current members for the request form, hoofdbewoner first:
 * [{id, name, relation, age (when known), under_27, selected}], selected
 * being the member with id `selected` (or the first when 0). */
json_t *request_members_model(db_t *db, int64_t household_id, day_t today, int64_t selected);

struct request_in {
    int64_t household_id;
    int64_t person_id; /* 0 = none */
    enum request_law law;
    const char *channel;  /* a valid channel code */
    const char *question; /* non-empty */
    day_t received_on;
    int persoonlijk_plan; /* Wmo/onbekend: the resident hands in a persoonlijk plan */
    int zoektermijn;      /* Participatiewet: under 27 applying for bijstand */
    int64_t created_by;   /* account id */
};

/* Inserts the request and its deadlines (request_deadline_kinds, due dates by
 * deadline_due with cfg) in one transaction. Returns the request id, or
 * REQ_E_DB (nothing written). */
int64_t request_create(db_t *db, const char *gemeente, const struct request_in *in, const struct deadline_config *cfg,
                       int64_t now);

/* Moves request_id of household_id to `to`. On a close, sets closed_at = now
 * and marks its open deadlines done on `today` with "melding afgesloten", in
 * one transaction. *from gets the previous status when not NULL.
 * Returns REQ_OK, REQ_E_NOT_FOUND, REQ_E_TRANSITION or REQ_E_DB. */
int request_set_status(db_t *db, const char *gemeente, int64_t household_id, int64_t request_id, enum request_status to,
                       day_t today, int64_t now, enum request_status *from);

/* Marks deadline_id of household_id met on `today`. Returns REQ_OK (also
 * when it was already done: *changed = 0 then), REQ_E_NOT_FOUND or REQ_E_DB. */
int deadline_mark_done(db_t *db, const char *gemeente, int64_t household_id, int64_t deadline_id, day_t today,
                       int *changed);

/* One deadline row as a model:
 * {id, household_id, request_id, kind, label, start_on, due_on, due_nl,
 *  days_left, days_text, state ("te_laat"|"binnenkort"|"later"|"afgerond"),
 *  overdue, soon, done, done_on, done_nl, late_done, note}. */
json_t *deadline_item_model(int64_t id, int64_t household_id, int64_t request_id, const char *kind,
                            const char *start_on, const char *due_on, const char *done_on, const char *note,
                            day_t today);

/* Requests of a household with their deadlines, newest first, for the
 * household overview (partial template "request_overview"):
 * {household_id, requests: [{id, law, law_label, channel, channel_label,
 *   question, received_on, received_nl, person (name or ""), status,
 *   status_label, closed, closed_on_nl, moves: [{code, label}],
 *   deadlines: [deadline_item_model...]}],
 *  open_deadlines: [...open ones of all requests, by due date],
 *  count, open_count, overdue_count, soon_count}. NULL on a database error. */
json_t *request_household_model(db_t *db, const char *gemeente, int64_t household_id, day_t today);

/* The open deadlines of the households where account_id is the current
 * coordinator (team_id == 0), or of the households of team team_id
 * (team_id > 0), sorted by due date:
 * [deadline_item_model + {household_name, law, law_label, coordinator}].
 * NULL on a database error. */
json_t *deadline_open_list(db_t *db, const char *gemeente, int64_t account_id, int64_t team_id, day_t today);

#endif
