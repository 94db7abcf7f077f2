/*
 * search.h - the public search of the sociale kaart: an in-memory index per
 * process over the HSDS store of one municipality, so a search with text,
 * life domain, distance and opening times answers in well under a
 * millisecond at 50,000 services without touching the database.
 *
 * What is indexed: every service of the municipality whose status is
 * 'active' (or empty) and that is not hidden for want of confirmation
 * (listing.hidden_at). Per service: name, organisation name, description
 * and taxonomy term names (folded, fold.h: accent-insensitive, lower case);
 * the Kantel terms (socialmap.h): life domains, ladder level, age groups;
 * minimum_age/maximum_age; each location with coordinates (via
 * service_at_location); schedules (of the service or of its
 * service_at_locations; schedule.h); cost options (free when the service
 * has a cost option with amount 0 and none with a higher amount - an
 * option without a readable amount counts as a higher one - or, without
 * cost options, when fees_description folds to "gratis" or "geen kosten").
 *
 * Text: every word of the query (folded) must be a prefix of some word of
 * the service (AND); "wandel" finds "Wandelclub" and "wandelen". Because
 * Dutch writes compounds as one word, a query word of 4 or more characters
 * also matches inside a word: "cafe" finds "Taalcafé", "zorg" finds
 * "Mantelzorgcafé" (scored lower, below). Only the first 200 bytes of the
 * query are read (a word cut there is dropped) and only its first
 * SEARCH_MAX_WORDS distinct words count; of each service field the first
 * 64 KiB are indexed.
 * Relevance score (higher first): per query word the best of: 30 when it is
 * a whole word of the name, 20 a prefix of a word of the name, 10 inside a
 * word of the name, 10 a prefix of a word of the organisation or a term
 * name, 5 inside one of those, 5 a prefix of a word of the description, 2
 * inside one; +5 per requested life domain the service has. Ties: nearer
 * first (when there is an origin), then name (folded), then id.
 * Distance sort: nearest location first; services without coordinates last;
 * ties as for relevance.
 *
 * Life domains are numbered in the order of the "zrm" instrument's domains
 * (instrument.h); bit i of a mask is domain i.
 *
 * Memory: an index is immutable once built and shared between threads with
 * a reference count. Strings of search_service live as long as the index.
 */
#ifndef KANTEL_SEARCH_H
#define KANTEL_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/calendar.h"
#include "domain/schedule.h"

#define SEARCH_MAX_LIMIT 100
#define SEARCH_MAX_WORDS 8

enum search_when { SEARCH_ANYTIME = 0, SEARCH_OPEN_AT, SEARCH_ON_DAY };
enum search_sort { SEARCH_SORT_RELEVANCE = 0, SEARCH_SORT_DISTANCE };

struct search_query {
    const char *text;      /* free text (not yet folded); NULL or "" = any */
    uint32_t domains;      /* life domains (any of them); 0 = any */
    const char *term_id;   /* an HSDS taxonomy_term id the service must carry; NULL = any */
    int age;               /* the person's age in years; -1 = any */
    int has_origin;        /* 1: lat_e7/lon_e7 are set (distance shown and sortable) */
    int64_t lat_e7, lon_e7;
    int64_t radius_m;      /* only with an origin: 0 = no limit */
    enum search_when when; /* OPEN_AT: open at day/minute; ON_DAY: meets on day */
    day_t day;
    int minute;            /* 0..1439 local time, for OPEN_AT */
    int free_only;         /* 1: only services free of charge */
    enum search_sort sort;
    int offset, limit;     /* limit 1..SEARCH_MAX_LIMIT */
};

struct search_location {
    int64_t lat_e7, lon_e7; /* both 0 = no coordinates */
    const char *name;       /* location name, "" when none */
    const char *address;    /* "Street 1, 1234 AB Town", "" when none */
};

/* One indexed service (read-only view). */
struct search_service {
    const char *id, *name, *description;
    const char *org_id, *org_name;
    const char *schedule_text; /* Dutch, e.g. "elke dinsdag 10:00–11:30" or the schedule's description; "" */
    const char *cost_text;     /* "Gratis", or the cost options / fees description; "" */
    int is_free;
    int min_age, max_age;      /* -1 = none */
    uint32_t domains;          /* life-domain mask */
    int level;                 /* ladder level 4 or 5 from the Kantel terms; 0 = none */
    int nlocations;
    const struct search_location *locations;
};

struct search_hit {
    int service;          /* index for search_service_at */
    int score;            /* relevance */
    int64_t distance_m;   /* to the nearest location; -1 without origin or coordinates */
    int location;         /* index of that location in the service (without an origin:
                           * the first); -1 = none */
};

struct search_result {
    int total;            /* all matches */
    int n;                /* hits filled (from offset, at most limit) */
    struct search_hit hits[SEARCH_MAX_LIMIT];
};

typedef struct search_index search_index_t;

/* Builds an index of gemeente's services from the store (one read snapshot;
 * inside the caller's transaction when one is open). NULL on a database error
 * (message in err). Reference count 1. About 1 s at 50,000 services. */
search_index_t *search_index_build(db_t *db, const char *gemeente, char *err, size_t errlen);
void search_index_release(search_index_t *ix); /* NULL is ignored */
int search_index_count(const search_index_t *ix);
const struct search_service *search_service_at(const search_index_t *ix, int i);
/* Index of the service with this HSDS id, or -1. */
int search_find(const search_index_t *ix, const char *id);

/* Runs a query. Returns 0, or -1 for an invalid query (limit out of range,
 * negative offset, minute out of range, negative radius, unknown when/sort)
 * with out->total = 0. Pure: safe from any thread. */
int search_run(const search_index_t *ix, const struct search_query *q, struct search_result *out);

/* The process-wide current index of gemeente: reused while the store's
 * sociale-kaart version (settings 'socialmap_version', one SELECT per call)
 * is unchanged, rebuilt when another process or thread changed it. One
 * thread builds at a time; while it does, other callers get the previous
 * index (or wait for the first one). A new reference (release it), or NULL
 * on a database error. */
search_index_t *search_index_current(db_t *db, const char *gemeente);

/* Records that gemeente's sociale kaart changed (inside the caller's
 * transaction when one is open): every process rebuilds its index on its
 * next search. Every writer of hsds_* or listing calls this. 0 or -1. */
int search_touch(db_t *db, const char *gemeente);

/* The life-domain bit of a zrm domain code ("financien"), or 0 when unknown. */
uint32_t search_domain_bit(const char *code);

/* The store's sociale-kaart version of gemeente (settings
 * 'socialmap_version'; "" when never touched) into out. 0, or -1 on a
 * database error. */
int search_version(db_t *db, const char *gemeente, char *out, size_t n);

/* Releases the indexes search_index_current keeps (readers that still hold
 * one keep it until they release it). For tests and an orderly exit. */
void search_index_cache_clear(void);

/* ---- building an index from rows -------------------------------------------
 * search_index_build reads the store with a few set-based queries and feeds
 * the rows to a builder (search_load.c); the builder is pure, so tests and
 * fuzzers can feed rows directly. All strings are copied; NULL counts as "".
 * Feed every service first, then locations, schedules, costs and terms in
 * any order (rows of services that were not fed, or were left out, are
 * ignored). The order of rows does not matter: the index is the same. */
typedef struct search_builder search_builder_t;

struct search_row_service {
    const char *id, *name, *description, *org_id, *org_name;
    const char *status;           /* kept when 'active', "" or NULL */
    int hidden;                   /* 1: listing.hidden_at is set: left out */
    const char *minimum_age, *maximum_age; /* HSDS text; unreadable = none */
    const char *fees_description;
};
/* One service_at_location with its location and one of its addresses (a
 * location with several addresses gives several rows: a 'physical' one wins,
 * then the smallest address id). */
struct search_row_location {
    const char *service_id, *sal_id, *name, *latitude, *longitude;
    const char *address_id, *address_type, *address_1, *postal_code, *city;
};
/* A schedule of a service (service_id) and/or of one of its
 * service_at_locations (sal_service_id: that one's service). */
struct search_row_schedule {
    const char *id, *service_id, *sal_service_id, *description;
    struct sched_text text;
};
struct search_row_cost {
    const char *service_id, *id, *option, *amount, *amount_description, *currency;
};
/* A taxonomy term (hsds_taxonomy_term; any municipality's: terms are shared
 * by id), and a link of one to a service (hsds_attribute with link_entity
 * 'service'); links to terms never given are ignored. */
struct search_row_term {
    const char *term_id, *code, *name, *taxonomy;
};

search_builder_t *search_builder_new(void);
void search_builder_version(search_builder_t *b, const char *version);
void search_builder_service(search_builder_t *b, const struct search_row_service *r);
void search_builder_location(search_builder_t *b, const struct search_row_location *r);
void search_builder_schedule(search_builder_t *b, const struct search_row_schedule *r);
void search_builder_cost(search_builder_t *b, const struct search_row_cost *r);
void search_builder_term(search_builder_t *b, const struct search_row_term *r);
void search_builder_link(search_builder_t *b, const char *service_id, const char *term_id);
/* The finished index (reference count 1); frees the builder. */
search_index_t *search_builder_finish(search_builder_t *b);
/* Frees a builder that will not be finished (NULL is ignored). */
void search_builder_free(search_builder_t *b);

#endif
