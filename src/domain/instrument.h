/*
 * instrument.h - assessment instruments as data.
 *
 * An instrument is a table: a scale (min..max with labels) and a list of
 * domains, each with a code, a professional name, a plain-language (B1) name
 * and optionally a short description per scale level or a one-sentence
 * explanation of the domain itself. Generic code here validates scores,
 * builds page/API models and compares two measurements; adding an instrument
 * means adding a table in instrument.c, not code.
 *
 * Built in (see DOMAIN.md section 5):
 *   "zrm"                  Zelfredzaamheid, 13 life domains, 1-5, professional.
 *                          Level texts are Kantel's own wording, not the
 *                          ZRM matrix texts (those are (c) GGD Amsterdam).
 *   "positieve_gezondheid" Positieve Gezondheid, 6 dimensions, 0-10, resident.
 *
 * Scores travel as a JSON object {domain_code: integer}; a missing domain
 * means "not assessed". Higher is better on every built-in instrument.
 *
 * All tables are static and immutable: pointers returned here stay valid for
 * the life of the process and are never freed. Functions that return a
 * json_t hand a new reference to the caller, who json_decref()s it. Pure
 * functions: no I/O, no global mutable state, safe from any thread.
 */
#ifndef KANTEL_INSTRUMENT_H
#define KANTEL_INSTRUMENT_H

#include <jansson.h>
#include <stddef.h>

struct instrument_level {
    int value;
    const char *label;       /* scale label; NULL when the point has only its number */
    const char *description; /* per-domain text for this level; NULL when none */
};

struct instrument_domain {
    const char *code;        /* [a-z_], unique within the instrument */
    const char *name;        /* professional name */
    const char *name_b1;     /* plain-language name for residents */
    const char *description; /* one-sentence B1 explanation, or NULL */
    /* NULL, or exactly (max - min + 1) entries in ascending value order with
     * a description each */
    const struct instrument_level *levels;
};

struct instrument {
    const char *code;
    const char *name;
    const char *audience; /* "professional" or "resident" */
    int min, max;
    /* exactly (max - min + 1) entries in ascending value order */
    const struct instrument_level *scale;
    int n_domains;
    const struct instrument_domain *domains;
    int max_age_days; /* information older than this does not count; 0 = no limit */
};

/* The instrument with this code, or NULL (also for code == NULL). */
const struct instrument *instrument_find(const char *code);
/* Number of built-in instruments, and the i-th (NULL when out of range). */
int instrument_count(void);
const struct instrument *instrument_at(int i);
/* The domain with this code in inst, or NULL. */
const struct instrument_domain *instrument_domain(const struct instrument *inst, const char *code);
/* Number of points on the scale: max - min + 1. */
int instrument_levels(const struct instrument *inst);
/* The scale entry for value, or NULL when value is outside [min, max]. */
const struct instrument_level *instrument_scale_level(const struct instrument *inst, int value);
/* 1 when information that is age_days old still counts for inst (no limit,
 * or 0 <= age_days <= max_age_days), else 0. */
int instrument_is_current(const struct instrument *inst, int age_days);

/* Checks scores (a JSON object domain_code -> integer): every key must be a
 * domain of inst, every value an integer in [min, max], and at least one
 * domain must be scored. Returns 0, or -1 with a Dutch message for the user
 * in err (naming the domain; always NUL-terminated when errlen > 0; err may
 * be NULL). scores is only read; the caller keeps its reference. */
int instrument_validate(const struct instrument *inst, json_t *scores, char *err, size_t errlen);

/* A new JSON object describing inst (caller decrefs):
 *   {code, name, audience, min, max, max_age_days,
 *    scale: [{value, label}],                       label null when none
 *    domains: [{code, name, name_b1, description,   description null when none
 *               levels: [{value, label, description}]}]}   [] when none */
json_t *instrument_model(const struct instrument *inst);

/* Compares two measurements (both score objects as for instrument_validate;
 * only read). For every domain of inst, in instrument order, that has a
 * valid score (an integer in [min, max]) in both, *out lists the change:
 *   {improved: n, same: n, worse: n,
 *    domains: [{code, name, name_b1, previous, current, diff, trend}]}
 * with diff = current - previous and trend "improved" | "same" | "worse".
 * Domains missing or invalid on either side are left out. Returns the number of
 * domains compared (>= 0) with a new object in *out that the caller decrefs,
 * or -1 (and *out = NULL) when inst is NULL or either side is not an object. */
int instrument_progress(const struct instrument *inst, json_t *previous, json_t *current, json_t **out);

#endif
