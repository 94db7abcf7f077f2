/*
 * plan.h - the one living plan per household (DOMAIN.md section 3): goals per
 * life domain and actions on the ladder, every change a complete new version,
 * and the resident's agreement to a version.
 *
 * A plan body is a JSON object:
 *   {"goals":   [{"id": 1, "domain": "financien", "current": 2, "target": 4,
 *                 "text": "..."}],
 *    "actions": [{"id": 1, "goal": 1 | null, "text": "...", "level": 1..6,
 *                 "carrier": "resident" | ... | "provider",
 *                 "carrier_name": "..." , "due": "YYYY-MM-DD" | null,
 *                 "status": "open" | "bezig" | "gedaan" | "gestopt"}]}
 * Goal and action ids are per plan and start at 1; a new item gets the
 * highest id so far plus one. Changes never remove an item (an action ends
 * as "gedaan" or "gestopt"), so an id always names the same item. Goal
 * domains are the domains of the "zrm" instrument (instrument.h); levels and
 * carrier kinds come from ladder.h.
 *
 * Two halves:
 *  - pure functions over a body (check, apply a change, diff two bodies,
 *    kantel index): no I/O, no globals, safe from any thread;
 *  - database rules (plan_change, plan_agree, loading versions): one
 *    transaction per change, so concurrent writers never lose an update.
 *
 * Memory: functions returning json_t* hand a new reference to the caller, who
 * json_decref()s it. Bodies passed in are only read unless the function says
 * it changes the body. Returned strings are static.
 */
#ifndef KANTEL_PLAN_H
#define KANTEL_PLAN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/calendar.h"
#include "domain/ladder.h"

enum {
    PLAN_OK = 0,
    PLAN_E_INVALID = -1,   /* field errors (see the errors object) */
    PLAN_E_NOT_FOUND = -2, /* no such plan, version or action */
    PLAN_E_PERSON = -3,    /* the person is not a member of the household */
    PLAN_E_UNCHANGED = -4, /* the change would change nothing */
    PLAN_E_DB = -5,        /* database error */
};

#define PLAN_TEXT_MAX 1000    /* characters in a goal or action text */
#define PLAN_NAME_MAX 200     /* characters in a carrier name */
#define PLAN_SUMMARY_MAX 400  /* bytes in a version summary, NUL included */

/* ---- vocabulary -------------------------------------------------------- */

/* Dutch label of a carrier kind ("Inwoner zelf" ...), or NULL. */
const char *plan_carrier_label(const char *carrier);
/* Number of action statuses, the i-th code ("open", "bezig", "gedaan",
 * "gestopt"; NULL out of range) and the Dutch label of a code (or NULL). */
int plan_status_count(void);
const char *plan_status_at(int i);
const char *plan_status_label(const char *status);

/* Copies s into out (n bytes, always NUL-terminated when n > 0) on one line
 * (line breaks and tabs become spaces), at most max_chars characters; a
 * clipped text ends in an ellipsis. Never splits a UTF-8 sequence. */
void plan_text_clip(const char *s, size_t max_chars, char *out, size_t n);

/* ---- pure operations on a body ---------------------------------------- */

struct plan_goal_in {
    const char *domain; /* zrm domain code */
    int current;        /* 1..5 */
    int target;         /* 1..5 */
    const char *text;   /* what the household wants to reach */
};

struct plan_action_in {
    const char *text;
    int level;                /* 1..6 */
    const char *carrier;      /* carrier kind; NULL or "" = the level's carrier */
    const char *carrier_name; /* who exactly, e.g. "zus Marieke"; may be NULL */
    int64_t goal;             /* goal id in the body, 0 = none */
    const char *due;          /* "YYYY-MM-DD" or NULL/"" */
};

/* A new empty body {"goals": [], "actions": []}. */
json_t *plan_body_new(void);
/* Parses a stored body; NULL when it is not an object with the two arrays. */
json_t *plan_body_parse(const char *text);

/* Check a goal or an action against body before adding it. Every problem is
 * set in errors (an object, field -> Dutch message) under the field names
 * "domain", "current", "target", "text" (goal) or "text", "level",
 * "carrier", "carrier_name", "goal", "due" (action). today: the date a due
 * date may not lie before. Returns the number of problems found. */
int plan_check_goal(json_t *body, const struct plan_goal_in *g, json_t *errors);
int plan_check_action(json_t *body, const struct plan_action_in *a, day_t today, json_t *errors);

/* Add a checked goal or action to body (changed in place; texts are trimmed,
 * a new action is "open"). Write a Dutch summary of the change into summary
 * (n bytes, always NUL-terminated when n > 0). Return the new id, or
 * PLAN_E_INVALID when the input does not pass the check (body unchanged). */
int64_t plan_body_add_goal(json_t *body, const struct plan_goal_in *g, char *summary, size_t n);
int64_t plan_body_add_action(json_t *body, const struct plan_action_in *a, day_t today, char *summary, size_t n);
/* Set the status of action action_id. Returns PLAN_OK (summary written),
 * PLAN_E_NOT_FOUND, PLAN_E_INVALID (unknown status) or PLAN_E_UNCHANGED. */
int plan_body_set_status(json_t *body, int64_t action_id, const char *status, char *summary, size_t n);

/* The goal or action with this id in body (borrowed), or NULL. */
json_t *plan_body_goal(json_t *body, int64_t id);
json_t *plan_body_action(json_t *body, int64_t id);

/* Counts the actions of body for the kantel index (ladder.h). Actions that
 * were stopped ("gestopt") no longer count. k is reset first. */
void plan_body_kantel(json_t *body, struct kantel_index *k);

/* What changed from body a to body b (both only read), by id:
 *   {"goals":   {"added": [ITEM], "removed": [ITEM], "changed": [CHANGED]},
 *    "actions": {...same...},
 *    "count": number of added + removed + changed items}
 * ITEM = {"id", "title", "details"}: the item in words;
 * CHANGED = {"id", "title", "changes": [{"field", "label", "old", "new"}]}
 * with old and new as Dutch display text (never colour alone). */
json_t *plan_body_diff(json_t *a, json_t *b);

/* ---- the database ------------------------------------------------------ */

struct plan_version_meta {
    int version;
    int64_t created_by;            /* account id, 0 when unknown */
    int64_t created_at;            /* unix seconds */
    char by[256];                  /* display name of created_by, "" when unknown */
    char summary[PLAN_SUMMARY_MAX];
};

/* The plan of a household: its id (0 when there is none yet, PLAN_E_DB on
 * error) and, when current is not NULL, its current version. */
int64_t plan_find(db_t *db, int64_t household_id, int *current);

/* Loads version (0 = the current one) of plan plan_id: a new reference to its
 * body in *body (may be NULL when not needed) and meta. Returns PLAN_OK or
 * PLAN_E_NOT_FOUND / PLAN_E_DB. */
int plan_version_load(db_t *db, int64_t plan_id, int version, json_t **body, struct plan_version_meta *meta);

/* All versions of a plan, newest first:
 * [{"version", "summary", "by", "created_at"}]. */
json_t *plan_versions(db_t *db, int64_t plan_id);

/* A change: called inside the write transaction with the current body (an
 * empty body when the plan has no version yet), which it changes in place.
 * Returns PLAN_OK with a summary written, or an error that aborts the change. */
typedef int (*plan_change_fn)(json_t *body, void *arg, char *summary, size_t n);

/* Applies fn to the household's plan in one transaction (BEGIN IMMEDIATE):
 * creates the plan on the first change, re-reads the current body, applies
 * fn, stores version N+1 with its summary, who and when, and moves
 * plan.current_version. Returns the new version number (>= 1), or fn's error
 * (nothing written), or PLAN_E_DB. */
int plan_change(db_t *db, const char *gemeente, int64_t household_id, int64_t account_id, int64_t now,
                plan_change_fn fn, void *arg);

/* Records that person_id agreed to version of plan plan_id, recorded by
 * account_id (the resident's own account, or staff on their behalf) at now.
 * The person must be a current member of the plan's household. Returns
 * PLAN_OK (also when that agreement was already recorded: the first one is
 * kept), PLAN_E_NOT_FOUND (no such plan or version), PLAN_E_PERSON or
 * PLAN_E_DB. */
int plan_agree(db_t *db, int64_t plan_id, int version, int64_t person_id, int64_t account_id, int64_t now);

/* The agreements of a plan, newest version first:
 * [{"version", "person_id", "person", "agreed_at", "recorded_by"}]. */
json_t *plan_agreements(db_t *db, int64_t plan_id);

/* Comments on a household's plan (plan_comment), newest first, at most
 * limit: [{"id", "version" (or null), "text", "when" (local time), "by",
 * "mine" (written by viewer_account_id)}]. Caller owns the reference. */
json_t *plan_comments(db_t *db, int64_t household_id, int64_t viewer_account_id, int limit);

#endif
