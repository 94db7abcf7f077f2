/*
 * volunteer_match.h - the vocabulary of the volunteer registry and the
 * matching of volunteers to a volunteer request (a level-4 plan action that
 * asks for a volunteer). Pure: no I/O, no allocation, no globals that change;
 * safe from any thread. The caller (domain/volunteer.c) loads the data.
 *
 * Score: at most 100 points in five explained parts, each with its points,
 * its maximum and one Dutch sentence saying why:
 *   distance      30  (from postcode coordinates; unknown -> 0, said so)
 *                     <= 1 km 30, <= 2 km 25, <= 3 km 20, <= 5 km 15,
 *                     <= 10 km 5, further 0
 *   skills        30  30 x (wanted skills the volunteer has) / (wanted);
 *                     nothing asked -> 0
 *   availability  20  20 x (asked slots the volunteer is free) / (asked);
 *                     nothing asked -> 0
 *   language      10  the volunteer speaks the language asked; nothing asked
 *                     -> 0
 *   age group     10  the person's age group is one the volunteer wants to
 *                     work with; no preference -> 5
 * Integer points, rounded down.
 *
 * Hard rules (the candidate is excluded, with the reason; the parts are still
 * filled in): not active; the person is under 18 and the volunteer has no
 * VOG (status "afgegeven"); the distance is known and larger than the
 * volunteer's maximum travel distance.
 *
 * Order (vm_rank): candidates before excluded ones; then higher score first;
 * then the known, shorter distance first (unknown last); then lower id.
 */
#ifndef KANTEL_VOLUNTEER_MATCH_H
#define KANTEL_VOLUNTEER_MATCH_H

#include <stddef.h>
#include <stdint.h>

/* ---- vocabulary -------------------------------------------------------- */

struct vm_term {
    const char *code;  /* stored in comma lists; also the form field suffix */
    const char *label; /* Dutch, for the UI */
};

/* Skills ("boodschappen", ...), languages ("nl", "ar", "tr", "pl", ...), age
 * groups ("kind" 0-11, "tiener" 12-17, "jongvolwassene" 18-26, "volwassene"
 * 27-64, "oudere" 65+), weekdays ("ma" .. "zo") and parts of the day ("o"
 * ochtend, "m" middag, "a" avond). _at(i) is NULL out of range. */
int vm_skill_count(void);
const struct vm_term *vm_skill_at(int i);
int vm_language_count(void);
const struct vm_term *vm_language_at(int i);
int vm_age_group_count(void);
const struct vm_term *vm_age_group_at(int i);
int vm_day_count(void);
const struct vm_term *vm_day_at(int i);
int vm_part_count(void);
const struct vm_term *vm_part_at(int i);

/* The label of a code, NULL when unknown. */
const char *vm_skill_label(const char *code);
const char *vm_language_label(const char *code);
const char *vm_age_group_label(const char *code);
/* The code of the age group of a person of this age (>= 0). */
const char *vm_age_group_of(int age);
/* "ma-o" -> "maandagochtend" into out (n bytes); -1 for an unknown slot. */
int vm_slot_label(const char *slot, char *out, size_t n);
/* 1 when slot is "<day>-<part>" of the vocabulary. */
int vm_slot_valid(const char *slot);

/* 1 when the comma list has code as one of its items. */
int vm_list_has(const char *list, const char *code);
/* Number of items in a comma list. */
int vm_list_count(const char *list);

/* ---- matching ---------------------------------------------------------- */

#define VM_VOG_AGE 18    /* under this age a VOG is required */
#define VM_VOG_MAX_DAYS 1095 /* ... and not older than three years (the renewal term organisations use) */
#define VM_TEXT 256      /* bytes of one explanation sentence */

struct vm_volunteer {
    int64_t id;
    int active;
    int vog;              /* 1: a VOG was issued (status "afgegeven") */
    int vog_days;         /* how many days ago it was issued; -1 = date unknown (counts as current) */
    int has_geo;          /* 1 when lat/lon are known (postcode found) */
    int64_t lat_e7, lon_e7;
    int max_km;           /* 0 = no limit */
    const char *skills;   /* comma lists of codes; NULL = "" */
    const char *languages;
    const char *slots;
    const char *age_groups;
};

struct vm_request {
    int has_geo;
    int64_t lat_e7, lon_e7;
    const char *skills;   /* wanted, comma list; NULL = "" */
    const char *language; /* one code or NULL/"" */
    const char *slots;    /* asked, comma list */
    int age;              /* of the person concerned */
};

enum { VM_DISTANCE, VM_SKILLS, VM_AVAILABILITY, VM_LANGUAGE, VM_AGE, VM_PARTS };

struct vm_part {
    const char *code;     /* "afstand", "vaardigheden", "beschikbaarheid", "taal", "leeftijd" */
    const char *label;    /* "Afstand", ... */
    int points, max;
    char text[VM_TEXT];
};

struct vm_result {
    int64_t volunteer_id;
    int score;            /* sum of the parts' points */
    int64_t distance_m;   /* -1 when unknown */
    int excluded;         /* a hard rule applies */
    char reason[VM_TEXT]; /* why excluded ("" otherwise) */
    struct vm_part part[VM_PARTS];
};

/* Scores one volunteer for one request into out. Never fails. */
void vm_score(const struct vm_volunteer *v, const struct vm_request *r, struct vm_result *out);

/* Sorts results in the order described above (stable for equal keys by id). */
void vm_rank(struct vm_result *list, size_t n);

#endif
