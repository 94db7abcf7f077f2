/*
 * network.h - the household's network (DOMAIN.md section 6): the people
 * around a household with their roles, what the resident shares with them,
 * network meetings (netwerkberaad / Eigen Kracht-conferentie) whose plan
 * becomes actions on ladder level 3 with a follow-up after 4 weeks, and the
 * network member's own, limited view.
 *
 * Every function that takes a household id only ever touches rows of that
 * household: a member id of another household is "not found" (IDOR). Callers
 * check need-to-know first (pages/hh.h) or, for a network member's own view,
 * network_membership().
 *
 * Memory: json_t* results are new references for the caller. Returned
 * strings are static.
 */
#ifndef KANTEL_NETWORK_H
#define KANTEL_NETWORK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/calendar.h"

enum {
    NET_OK = 0,
    NET_E_INVALID = -1,   /* field errors (see the errors object) */
    NET_E_NOT_FOUND = -2, /* no such (active) member or household */
    NET_E_DB = -3,
    NET_E_PLAN = -4,      /* the plan change was refused (see errors) */
};

#define NET_NAME_MAX 200     /* characters in a member's name */
#define NET_RELATION_MAX 100 /* characters in a relation ("zus", "buurman") */
#define NET_PHONE_MAX 40
#define NET_MEETING_LINES 50 /* agreements in one meeting's plan */

/* ---- vocabulary -------------------------------------------------------- */

/* Roles a network member can have (several at once): code and Dutch label.
 * The i-th role (NULL out of range), the number of roles, and the label of a
 * code (NULL when unknown). */
struct network_role {
    const char *code;  /* "mantelzorger", "mentor", "jim", "buur", "vrijwilliger", "steunfiguur" */
    const char *label; /* "Mantelzorger", "Informele mentor", "JIM (eigen gekozen mentor)", ... */
};
int network_role_count(void);
const struct network_role *network_role_at(int i);
const char *network_role_label(const char *code);

/* The stored comma list of roles as [{code, label}] (unknown codes are
 * shown as they are). */
json_t *network_roles_model(const char *stored);

/* ---- members ----------------------------------------------------------- */

struct network_member_in {
    const char *name;
    const char *relation; /* may be NULL */
    const char *roles;    /* comma list of role codes, may be NULL/"" */
    const char *phone;    /* may be NULL */
    const char *email;    /* may be NULL (the gate checked the format) */
    int share_plan;
    int64_t mentee_person_id; /* role "jim": the young person (household member under 23) who chose them; 0 = none */
};

#define NET_JIM_AGE 23 /* a JIM (Jouw Ingebrachte Mentor) is for a young person under this age */

/* The JIM rule (DOMAIN.md §6): with role "jim" the member names a current
 * member of household_id under 23 (mentee_person_id), and only then. A
 * problem goes to errors under "mentee". Returns the number (0 or 1). */
int network_check_jim(db_t *db, int64_t household_id, const struct network_member_in *m, day_t today,
                      json_t *errors);

/* Checks a new member; problems go to errors under "name", "relation",
 * "roles", "phone". Returns the number of problems. */
int network_check_member(const struct network_member_in *m, json_t *errors);

/* Inserts a checked member. Returns the new id (> 0) or NET_E_DB. */
int64_t network_member_add(db_t *db, const char *gemeente, int64_t household_id, const struct network_member_in *m,
                           int64_t now);

/* The members of a household, oldest first, active ones first:
 * [{id, name, relation, roles: [{code, label}], phone, email, share_plan,
 *   has_account, active, created_at, ended_at | null, mentee (given names of
 *   the young person of a JIM) | null, from_registry (a volunteer from the
 *   registry)}]. NULL on error. */
json_t *network_members(db_t *db, int64_t household_id);

/* Changes an active member of household_id: end != 0 ends the membership
 * (ended_at = now; sharing is left as it was), else sets share_plan.
 * Returns NET_OK, NET_E_NOT_FOUND (not a member of this household, or
 * already ended) or NET_E_DB. */
int network_member_update(db_t *db, int64_t household_id, int64_t member_id, int share_plan, int end, int64_t now);

/* ---- meetings ---------------------------------------------------------- */

struct network_meeting_in {
    const char *held_on;      /* "YYYY-MM-DD", not after today */
    const char *participants;
    const char *outcome;      /* one agreement per line: who does what when */
    const char *safety;       /* may be NULL/"" */
};

/* Checks a meeting; problems go to errors under "held_on", "participants",
 * "outcome" (no agreement, too many, or a line too long). Returns the
 * number of problems. */
int network_check_meeting(const struct network_meeting_in *in, day_t today, json_t *errors);

/* The number of agreements (non-empty lines) in an outcome text. */
int network_outcome_lines(const char *outcome);

/* Records a checked meeting in ONE transaction (the plan change's, see
 * plan_change in plan.h): the meeting row (safety_by = account_id when
 * safety is filled), each agreement as a plan action on level 3 (network),
 * carried by the network, all in one new plan version with the summary
 * "Plan van het netwerkberaad van <date>: N acties", and the follow-up
 * deadline (kind netwerk_opvolging, due after rule from start held_on)
 * linked in network_meeting.followup_deadline_id. Returns the new plan
 * version (>= 1) and sets *meeting_id, or NET_E_INVALID / NET_E_DB (nothing
 * written). */
int network_meeting_add(db_t *db, const char *gemeente, int64_t household_id, int64_t account_id, int64_t now,
                        const struct network_meeting_in *in, const struct deadline_rule *rule,
                        const struct holiday_rules *hr, json_t *errors, int64_t *meeting_id);

/* The meetings of a household, newest first: [{id, held_on, participants,
 * outcome, agreements: [text], safety, safety_by, created_by, created_at,
 * followup: {due_on, done_on} | null}]. NULL on error. */
json_t *network_meetings(db_t *db, int64_t household_id);

/* ---- the network member's own view ------------------------------------ */

struct network_membership {
    int64_t member_id;
    int64_t household_id;
    char name[4 * NET_NAME_MAX + 1];
    int share_plan;
};

/* The active membership of account_id in household_id (gemeente checked).
 * Returns NET_OK and fills out, NET_E_NOT_FOUND or NET_E_DB. */
int network_membership(db_t *db, const char *gemeente, int64_t account_id, int64_t household_id,
                       struct network_membership *out);

/* The households where account_id is an active network member, by id:
 * [{household_id, member_id, resident (first name of the hoofdbewoner, ""
 *   when unknown), share_plan}]. NULL on error. */
json_t *network_households(db_t *db, const char *gemeente, int64_t account_id);

/* A network member takes on an action: in one plan change, checks that the
 * membership is still active and adds an action on level 3, carrier
 * network_member, carrier name = the member's name, with the summary
 * "<name> neemt een actie op zich: <text>". due may be NULL/"". Returns the
 * new version, NET_E_NOT_FOUND (membership ended meanwhile), NET_E_INVALID
 * (errors under "text", "due") or NET_E_DB. */
int network_take_action(db_t *db, const char *gemeente, int64_t account_id, const struct network_membership *m,
                        const char *text, const char *due, day_t today, int64_t now, json_t *errors);

#endif
