/*
 * search.c - the in-memory search index of the sociale kaart (see search.h):
 * how an index is laid out and built from rows, how a query runs, the Dutch
 * summaries of schedules and costs, and the process-wide cache. Loading the
 * rows from the store is in search_load.c (the builder API of search.h).
 *
 * Layout. Services are sorted by id (byte order, the same on both database
 * drivers), so search_find is a binary search; while building, a hash of the
 * ids joins the other rows to their service. Text is a sorted vocabulary of
 * the distinct folded words of all services with, per word, a posting list
 * of (service << 4 | fields) in service order, and per service the sorted
 * list of (word << 4 | fields) it contains. A query word is a prefix, so it
 * matches a contiguous range of the vocabulary (two binary searches); inside
 * words it is found through the sorted inner suffixes of the vocabulary
 * (again a range). The rarest query word walks its postings to find the
 * candidates; each further word either walks its own postings (when they are
 * few) or is looked up in each candidate's word list, so a query never scans
 * the text of every service.
 *
 * Filters run on the candidates cheapest first: a packed 48-byte record per
 * service (struct hot: domains, ages, free, weekday masks, a simple weekly
 * window, the first location) answers most of them from one cache line; only
 * then the term list, the full schedules and the distance. Distances are
 * ordered by the haversine value itself (it grows with the distance), and
 * only the metres of the hits shown are computed as geo_distance_m does. The
 * page is taken with a bounded heap (no full sort of all matches).
 *
 * Memory: everything of an index lives in its arena (strings packed in
 * 64 KiB blocks) and is freed at once when the last reference is released.
 * Building uses a second, temporary arena and malloc'd staging arrays, all
 * freed before the builder returns.
 */
#include "domain/search.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/fold.h"
#include "core/util.h"
#include "domain/geo.h"
#include "domain/ident.h"
#include "domain/instrument.h"
#include "domain/schedule.h"
#include "domain/socialmap.h"

#define F_NAME 1u
#define F_ORG  2u
#define F_TERM 4u
#define F_DESC 8u

#define MAX_FIELD_BYTES 65536     /* text beyond this (per field) is not indexed */
#define MAX_QUERY_BYTES 200       /* query text beyond this is ignored */
#define MIN_INFIX       4         /* a query word this long also matches inside a word */
#define MAX_SERVICES    (1 << 27) /* fits the 28 bits of a posting */
#define SHORT_TEXT      40        /* amount_description / option shown with the amount up to this */
#define MAX_FEES_TEXT   200       /* fees_description shown as cost_text up to this */

/* An inner suffix of a vocabulary word: vocab[word] + off, off >= 1, at
 * least MIN_INFIX bytes long. */
struct suffix {
    uint32_t word, off;
};

struct entry {
    struct search_service pub; /* first: search_service_at hands out &pub */
    const struct sched *sched;
    const uint32_t *words; /* (word << 4) | fields, ascending */
    const uint32_t *terms; /* term indices, ascending */
    int nsched, nwords, nterms;
    int rank;           /* position in (folded name, name, id) order */
    unsigned agemask;   /* bit g: Kantel age group g; 0 = no age-group terms */
    uint8_t meet, open; /* weekday bits (Monday = bit 0) it may meet / be open on */
    uint8_t nevaluable;
    const char *fees; /* fees_description (build only) */
};

/* What a query looks at per candidate, packed in one place so that most
 * candidates cost one cache line (48 bytes; 2.4 MB for 50,000 services). */
struct hot {
    double cos0;        /* cos(latitude) of the first location */
    int32_t lat0, lon0; /* the first location (e7; both 0 = none or no coordinates) */
    uint32_t domains;
    int32_t rank;
    uint32_t loc; /* first location in search_index.locs */
    uint16_t nloc;
    int16_t min_age, max_age;
    int16_t opens, closes; /* the window of a simple schedule (minutes) */
    uint8_t agemask, is_free;
    uint8_t meet, open; /* weekday bits (Monday = bit 0) it may meet / be open on */
    uint8_t simple;     /* 1: one weekly schedule, every week, no dates, not past midnight */
};

struct search_index {
    atomic_int refs;
    arena_t *arena;
    char *pool; /* current string block */
    size_t pool_left;
    char version[96]; /* settings 'socialmap_version' in the build's snapshot */
    int n;
    struct entry *e;
    int nvocab;
    const char **vocab;
    uint32_t *post_start; /* nvocab + 1 */
    uint32_t *post;       /* (service << 4) | fields */
    uint32_t nsuf;
    struct suffix *suf;                 /* inner suffixes of the vocabulary, sorted */
    struct hot *hot;                    /* per service */
    const struct search_location *locs; /* all locations, in service order */
    double *loc_cos;                    /* cos(latitude) per location */
    int nterm;
    const char **term_ids; /* ascending */
};

/* ---- small helpers ----------------------------------------------------- */

#define GROW(arr, n, cap)                                                                                              \
    do {                                                                                                               \
        if ((n) == (cap)) {                                                                                            \
            (cap) = (cap) ? 2 * (cap) : 64;                                                                            \
            (arr) = xrealloc((arr), (size_t)(cap) * sizeof *(arr));                                                    \
        }                                                                                                              \
    } while (0)

/* A string copied into the index: packed, not aligned. */
static const char *ix_strn(search_index_t *ix, const char *s, size_t n)
{
    if (n == 0) return "";
    if (n + 1 > 4096) return arena_strndup(ix->arena, s, n);
    if (ix->pool_left < n + 1) {
        ix->pool = arena_alloc(ix->arena, 65536);
        ix->pool_left = 65536;
    }
    char *p = ix->pool;
    memcpy(p, s, n);
    p[n] = '\0';
    ix->pool += n + 1;
    ix->pool_left -= n + 1;
    return p;
}

static const char *ix_str(search_index_t *ix, const char *s)
{
    return ix_strn(ix, s, s ? strlen(s) : 0);
}

/* As in geo.c: search computes geo_distance_m with the cosines kept. */
#define EARTH_RADIUS_M 6371008.8
static double rad(int64_t e7)
{
    return (double)e7 / (double)GEO_E7 * M_PI / 180.0;
}

/* n bytes of s cut back to a UTF-8 character boundary. */
static size_t utf8_cut(const char *s, size_t n)
{
    size_t len = strlen(s);
    if (len <= n) return len;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return n;
}

/* Folds s (at most MAX_FIELD_BYTES of it) into *out (grown as needed). */
static const char *fold_into(const char *s, char **out, size_t *cap)
{
    size_t n = utf8_cut(s ? s : "", MAX_FIELD_BYTES);
    if (*cap < 2 * n + 1) {
        *cap = 2 * n + 1;
        *out = xrealloc(*out, *cap);
    }
    fold_text(s ? s : "", n, *out, *cap);
    return *out;
}

/* qsort, but also for an empty (possibly NULL) array. */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1) qsort(base, n, size, cmp);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* ---- string map (open addressing) ---------------------------------------- */

struct smap {
    uint32_t *slot; /* index + 1; 0 = empty */
    uint32_t cap, n, kcap;
    const char **key;
    uint32_t *len;
};

/* A per-process seed, so ids crafted to collide do not make a build slow. */
static uint64_t hash_seed;
static pthread_once_t hash_once = PTHREAD_ONCE_INIT;
static void hash_init(void)
{
    rand_bytes(&hash_seed, sizeof hash_seed);
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL ^ hash_seed;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static void smap_free(struct smap *m)
{
    free(m->slot);
    free(m->key);
    free(m->len);
}

/* The index of s (n bytes) in m; added (copied into ix) when new. */
static uint32_t smap_put(struct smap *m, search_index_t *ix, const char *s, size_t n)
{
    if (2 * (m->n + 1) > m->cap) {
        uint32_t cap = m->cap ? 2 * m->cap : 1024;
        uint32_t *slot = xcalloc(cap, sizeof *slot);
        for (uint32_t i = 0; i < m->n; i++) {
            uint32_t h = (uint32_t)hash_bytes(m->key[i], m->len[i]) & (cap - 1);
            while (slot[h]) h = (h + 1) & (cap - 1);
            slot[h] = i + 1;
        }
        free(m->slot);
        m->slot = slot;
        m->cap = cap;
    }
    uint32_t h = (uint32_t)hash_bytes(s, n) & (m->cap - 1);
    while (m->slot[h]) {
        uint32_t i = m->slot[h] - 1;
        if (m->len[i] == n && memcmp(m->key[i], s, n) == 0) return i;
        h = (h + 1) & (m->cap - 1);
    }
    if (m->n == m->kcap) {
        m->kcap = m->kcap ? 2 * m->kcap : 1024;
        m->key = xrealloc(m->key, m->kcap * sizeof *m->key);
        m->len = xrealloc(m->len, m->kcap * sizeof *m->len);
    }
    m->key[m->n] = ix_strn(ix, s, n);
    m->len[m->n] = (uint32_t)n;
    m->slot[h] = m->n + 1;
    return m->n++;
}

/* ---- Kantel taxonomy ------------------------------------------------------- */

uint32_t search_domain_bit(const char *code)
{
    const struct instrument *zrm = instrument_find("zrm");
    for (int i = 0; code && zrm && i < zrm->n_domains && i < 32; i++)
        if (strcmp(zrm->domains[i].code, code) == 0) return 1u << i;
    return 0;
}

/* ---- the builder --------------------------------------------------------- */

struct loc_row {
    int svc, physical;
    const char *sal, *addr_id;
    struct search_location loc;
};
struct sched_row {
    int svc;
    const char *id, *desc;
    struct sched s;
};
struct cost_row {
    int svc;
    int64_t cents; /* -1 = no readable amount */
    const char *id, *option, *adesc, *currency;
};
struct term_row {
    int svc;
    uint32_t term;
};
struct term_info {
    const char *name; /* temporary */
    uint32_t domain;
    int level, age_group;
    uint32_t *wids; /* folded name's words (malloc'd), after first use */
    int nwids, done;
    int known; /* defined by search_builder_term (links to unknown terms are dropped) */
};

struct search_builder {
    search_index_t *ix;
    arena_t *tmp;
    struct entry *e;
    int n, cap, sorted;
    uint32_t *idslot; /* hash of service ids: index + 1, 0 = empty */
    uint32_t idcap;
    struct loc_row *loc;
    int nloc, caploc;
    struct sched_row *sch;
    int nsch, capsch;
    struct cost_row *cost;
    int ncost, capcost;
    struct term_row *tr;
    int ntr, captr;
    struct smap terms;
    struct term_info *ti;
    uint32_t capti;
};

search_builder_t *search_builder_new(void)
{
    pthread_once(&hash_once, hash_init);
    search_builder_t *b = xcalloc(1, sizeof *b);
    b->ix = xcalloc(1, sizeof *b->ix);
    atomic_init(&b->ix->refs, 1);
    b->ix->arena = arena_new(1 << 20);
    b->tmp = arena_new(1 << 20);
    return b;
}

void search_builder_free(search_builder_t *b)
{
    if (!b) return;
    search_index_release(b->ix);
    for (uint32_t i = 0; i < b->terms.n; i++) free(b->ti[i].wids);
    smap_free(&b->terms);
    free(b->ti);
    free(b->e);
    free(b->idslot);
    free(b->loc);
    free(b->sch);
    free(b->cost);
    free(b->tr);
    arena_free(b->tmp);
    free(b);
}

void search_builder_version(search_builder_t *b, const char *version)
{
    snprintf(b->ix->version, sizeof b->ix->version, "%s", version ? version : "");
}

/* "12", "12.0", " 12 " -> 12; a fraction rounds inwards (up for a minimum,
 * down for a maximum); anything else, or outside 0..150, is -1 (none). */
static int parse_age(const char *s, int is_min)
{
    if (!s) return -1;
    while (*s == ' ') s++;
    int v = 0, digits = 0, frac = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++) {
        if (digits >= 4) return -1;
        v = v * 10 + (*s - '0');
    }
    if (!digits) return -1;
    if (*s == '.' || *s == ',') {
        s++;
        if (!(*s >= '0' && *s <= '9')) return -1;
        for (; *s >= '0' && *s <= '9'; s++)
            if (*s != '0') frac = 1;
    }
    while (*s == ' ') s++;
    if (*s) return -1;
    if (frac && is_min) v++;
    return v <= 150 ? v : -1;
}

void search_builder_service(search_builder_t *b, const struct search_row_service *r)
{
    if (b->sorted || b->n >= MAX_SERVICES || !r->id || !*r->id || r->hidden) return; /* services come first */
    if (r->status && *r->status && strcmp(r->status, "active") != 0) return;
    search_index_t *ix = b->ix;
    GROW(b->e, b->n, b->cap);
    struct entry *e = &b->e[b->n++];
    memset(e, 0, sizeof *e);
    e->pub.id = ix_str(ix, r->id);
    e->pub.name = ix_str(ix, r->name);
    e->pub.description = ix_str(ix, r->description);
    e->pub.org_id = ix_str(ix, r->org_id);
    e->pub.org_name = ix_str(ix, r->org_name);
    e->pub.schedule_text = e->pub.cost_text = "";
    e->pub.min_age = parse_age(r->minimum_age, 1);
    e->pub.max_age = parse_age(r->maximum_age, 0);
    e->fees = arena_strdup(b->tmp, r->fees_description ? r->fees_description : "");
    b->sorted = 0;
}

static int cmp_entry_id(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->pub.id, ((const struct entry *)b)->pub.id);
}

/* The builder's index of service id, or -1 (sorting first when needed). */
static int builder_find(search_builder_t *b, const char *id)
{
    if (!b->sorted) {
        sort(b->e, (size_t)b->n, sizeof *b->e, cmp_entry_id);
        /* ids are unique in the store; drop repeats a caller might add */
        int w = 0;
        for (int i = 0; i < b->n; i++)
            if (w == 0 || strcmp(b->e[w - 1].pub.id, b->e[i].pub.id) != 0) b->e[w++] = b->e[i];
        b->n = w;
        b->sorted = 1;
        free(b->idslot);
        for (b->idcap = 1024; b->idcap < 2 * (uint32_t)b->n + 2;) b->idcap *= 2;
        b->idslot = xcalloc(b->idcap, sizeof *b->idslot);
        for (int i = 0; i < b->n; i++) {
            uint32_t h = (uint32_t)hash_bytes(b->e[i].pub.id, strlen(b->e[i].pub.id)) & (b->idcap - 1);
            while (b->idslot[h]) h = (h + 1) & (b->idcap - 1);
            b->idslot[h] = (uint32_t)i + 1;
        }
    }
    if (!id) return -1;
    uint32_t h = (uint32_t)hash_bytes(id, strlen(id)) & (b->idcap - 1);
    for (; b->idslot[h]; h = (h + 1) & (b->idcap - 1))
        if (strcmp(b->e[b->idslot[h] - 1].pub.id, id) == 0) return (int)b->idslot[h] - 1;
    return -1;
}

void search_builder_location(search_builder_t *b, const struct search_row_location *r)
{
    int svc = builder_find(b, r->service_id);
    if (svc < 0) return;
    GROW(b->loc, b->nloc, b->caploc);
    struct loc_row *l = &b->loc[b->nloc++];
    memset(l, 0, sizeof *l);
    l->svc = svc;
    l->sal = arena_strdup(b->tmp, r->sal_id ? r->sal_id : "");
    l->addr_id = arena_strdup(b->tmp, r->address_id ? r->address_id : "");
    l->physical = r->address_type && strcmp(r->address_type, "physical") == 0;
    int64_t lat, lon;
    if (r->latitude && r->longitude && geo_parse_e7(r->latitude, 1, &lat) == 0 &&
        geo_parse_e7(r->longitude, 0, &lon) == 0) {
        l->loc.lat_e7 = lat;
        l->loc.lon_e7 = lon;
    }
    l->loc.name = ix_str(b->ix, r->name);
    /* "Street 1, 1234 AB Town" */
    buf_t a = BUF_INIT;
    const char *street = r->address_1 ? r->address_1 : "", *pc = r->postal_code ? r->postal_code : "",
               *city = r->city ? r->city : "";
    char norm[7], shown[8];
    if (postcode_normalise(pc, norm) == 0) {
        postcode_format(norm, shown);
        pc = shown;
    }
    buf_puts(&a, street);
    if (*pc || *city) {
        if (*street) buf_puts(&a, ", ");
        buf_puts(&a, pc);
        if (*pc && *city) buf_putc(&a, ' ');
        buf_puts(&a, city);
    }
    l->loc.address = ix_strn(b->ix, buf_cstr(&a), a.len);
    buf_free(&a);
}

void search_builder_schedule(search_builder_t *b, const struct search_row_schedule *r)
{
    const char *owners[2] = {r->service_id, r->sal_service_id};
    for (int k = 0; k < 2; k++) {
        if (!owners[k] || !*owners[k]) continue;
        if (k == 1 && owners[0] && strcmp(owners[0], owners[1]) == 0) continue;
        int svc = builder_find(b, owners[k]);
        if (svc < 0) continue;
        GROW(b->sch, b->nsch, b->capsch);
        struct sched_row *s = &b->sch[b->nsch++];
        s->svc = svc;
        s->id = arena_strdup(b->tmp, r->id ? r->id : "");
        s->desc = arena_strdup(b->tmp, r->description ? r->description : "");
        char err[120];
        if (sched_parse(&r->text, &s->s, err, sizeof err) != 0) {
            memset(&s->s, 0, sizeof s->s);
            s->s.evaluable = 0;
        }
    }
}

/* "2.50", "2,5", "3" -> cents; -1 for anything else (negative, garbage). */
static int64_t parse_cents(const char *s)
{
    if (!s) return -1;
    while (*s == ' ') s++;
    int64_t v = 0;
    int digits = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++) {
        if (digits >= 10) return -1;
        v = v * 10 + (*s - '0');
    }
    if (!digits) return -1;
    v *= 100;
    if (*s == '.' || *s == ',') {
        s++;
        if (!(*s >= '0' && *s <= '9')) return -1;
        int d = 0;
        for (; *s >= '0' && *s <= '9'; s++, d++) {
            if (d == 0)
                v += 10 * (*s - '0');
            else if (d == 1)
                v += *s - '0';
        }
    }
    while (*s == ' ') s++;
    return *s ? -1 : v;
}

void search_builder_cost(search_builder_t *b, const struct search_row_cost *r)
{
    int svc = builder_find(b, r->service_id);
    if (svc < 0) return;
    GROW(b->cost, b->ncost, b->capcost);
    struct cost_row *c = &b->cost[b->ncost++];
    c->svc = svc;
    c->cents = parse_cents(r->amount);
    c->id = arena_strdup(b->tmp, r->id ? r->id : "");
    c->option = arena_strdup(b->tmp, r->option ? r->option : "");
    c->adesc = arena_strdup(b->tmp, r->amount_description ? r->amount_description : "");
    c->currency = arena_strdup(b->tmp, r->currency ? r->currency : "");
}

/* What a term means in Kantel's taxonomy (socialmap.h): only for terms with
 * Kantel's deterministic id for their code, or of the taxonomy "Kantel". */
static void kantel_meaning(struct term_info *t, const char *id, const char *code, const char *taxonomy)
{
    t->age_group = -1;
    if (!code || !*code || strlen(code) > 100) return;
    char want[37];
    socialmap_term_id(code, want);
    if (strcmp(want, id) != 0 && !(taxonomy && strcmp(taxonomy, SOCIALMAP_TAXONOMY) == 0)) return;
    if (strncmp(code, "levensdomein/", 13) == 0)
        t->domain = search_domain_bit(code + 13);
    else if (strcmp(code, "trede/4") == 0)
        t->level = 4;
    else if (strcmp(code, "trede/5") == 0)
        t->level = 5;
    else if (strncmp(code, "leeftijd/", 9) == 0)
        for (size_t g = 0; g < socialmap_age_group_count && g < 8; g++)
            if (strcmp(code + 9, socialmap_age_groups[g].code) == 0) t->age_group = (int)g;
}

/* The term table's index of id (a new, still unknown entry when new). */
static uint32_t term_index(search_builder_t *b, const char *id)
{
    uint32_t before = b->terms.n;
    uint32_t t = smap_put(&b->terms, b->ix, id, strlen(id));
    if (t == before) {
        if (b->terms.n > b->capti) {
            b->capti = b->capti ? 2 * b->capti : 256;
            b->ti = xrealloc(b->ti, b->capti * sizeof *b->ti);
        }
        memset(&b->ti[t], 0, sizeof b->ti[t]);
        b->ti[t].age_group = -1;
    }
    return t;
}

void search_builder_term(search_builder_t *b, const struct search_row_term *r)
{
    if (!r->term_id || !*r->term_id) return;
    uint32_t t = term_index(b, r->term_id); /* may move b->ti */
    struct term_info *ti = &b->ti[t];
    if (ti->known) return;
    ti->known = 1;
    ti->name = arena_strdup(b->tmp, r->name ? r->name : "");
    kantel_meaning(ti, r->term_id, r->code, r->taxonomy);
}

void search_builder_link(search_builder_t *b, const char *service_id, const char *term_id)
{
    int svc = builder_find(b, service_id);
    if (svc < 0 || !term_id || !*term_id) return;
    uint32_t t = term_index(b, term_id);
    GROW(b->tr, b->ntr, b->captr);
    b->tr[b->ntr++] = (struct term_row){svc, t};
}

/* ---- finishing: summaries -------------------------------------------------- */

static const char *const nl_day[] = {"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"};

static const char *nl_ordinal(int ord)
{
    static const char *const pos[] = {"eerste", "tweede", "derde", "vierde", "vijfde"};
    if (ord >= 1 && ord <= 5) return pos[ord - 1];
    if (ord == -1) return "laatste";
    if (ord == -2) return "voorlaatste";
    return NULL;
}

/* "a", "a en b", "a, b en c" */
static void join_nl(buf_t *b, const char *const *items, int n)
{
    for (int i = 0; i < n; i++) {
        if (i > 0) buf_puts(b, i == n - 1 ? " en " : ", ");
        buf_puts(b, items[i]);
    }
}

static void put_time(buf_t *b, int minutes)
{
    buf_printf(b, "%02d:%02d", minutes / 60, minutes % 60);
}

/* The weekdays of a mask in week order. */
static int day_list(unsigned days, const char **items)
{
    int n = 0;
    for (int d = 0; d < 7; d++)
        if (days & (1u << d)) items[n++] = nl_day[d];
    return n;
}

/* A Dutch summary of an evaluable schedule: "elke dinsdag 10:00–11:30",
 * "elke eerste zaterdag van de maand 10:00–13:00". 0, or -1 when it has no
 * simple summary (b is then undefined). */
static int sched_summary(const struct sched *s, buf_t *b)
{
    const char *items[SCHED_MAX_BYDAY + 32];
    if (!s->evaluable) return -1;
    if (s->freq == SCHED_WEEKLY) {
        if (s->bymonthday) return -1;
        unsigned days = 0;
        for (int i = 0; i < s->nbyday; i++) days |= 1u << (s->byday_wd[i] - 1);
        if (!s->nbyday) {
            if (s->dtstart < 0) return -1;
            days = 1u << (day_weekday(s->dtstart) - 1);
        }
        int n = day_list(days, items);
        if (s->interval == 1) {
            if (days == 0x7F)
                buf_puts(b, "elke dag");
            else if (days == 0x1F)
                buf_puts(b, "elke werkdag");
            else {
                buf_puts(b, "elke ");
                join_nl(b, items, n);
            }
        } else {
            if (s->interval == 2)
                buf_puts(b, "om de week op ");
            else
                buf_printf(b, "om de %d weken op ", s->interval);
            join_nl(b, items, n);
        }
    } else if (s->freq == SCHED_MONTHLY) {
        if (s->nbyday && s->bymonthday) return -1;
        if (s->nbyday) {
            int every = 0, nth = 0, same_day = 1;
            unsigned days = 0;
            for (int i = 0; i < s->nbyday; i++) {
                if (s->byday_ord[i] == 0)
                    every++;
                else if (!nl_ordinal(s->byday_ord[i]))
                    return -1;
                else
                    nth++;
                days |= 1u << (s->byday_wd[i] - 1);
                if (s->byday_wd[i] != s->byday_wd[0]) same_day = 0;
            }
            if (every && nth) return -1;
            if (every) {
                if (s->interval != 1) return -1;
                buf_puts(b, "elke ");
                join_nl(b, items, day_list(days, items));
            } else {
                buf_t what = BUF_INIT;
                char parts[SCHED_MAX_BYDAY][32];
                int n = 0;
                if (same_day) {
                    /* "eerste en derde zaterdag", ordinals in month order */
                    int ords[SCHED_MAX_BYDAY], m = 0;
                    for (int i = 0; i < s->nbyday; i++) {
                        int o = s->byday_ord[i], dup = 0;
                        for (int j = 0; j < m; j++) dup |= ords[j] == o;
                        if (!dup) ords[m++] = o;
                    }
                    for (int i = 1; i < m; i++) /* positive ascending, then -2, -1 */
                        for (int j = i; j > 0; j--) {
                            int a = ords[j - 1] < 0 ? 10 + ords[j - 1] : ords[j - 1];
                            int c = ords[j] < 0 ? 10 + ords[j] : ords[j];
                            if (a <= c) break;
                            int t = ords[j];
                            ords[j] = ords[j - 1];
                            ords[j - 1] = t;
                        }
                    for (int i = 0; i < m; i++) items[n++] = nl_ordinal(ords[i]);
                    join_nl(&what, items, n);
                    buf_printf(&what, " %s", nl_day[s->byday_wd[0] - 1]);
                } else {
                    for (int i = 0; i < s->nbyday; i++) {
                        snprintf(parts[i], sizeof parts[i], "%s %s", nl_ordinal(s->byday_ord[i]),
                                 nl_day[s->byday_wd[i] - 1]);
                        items[n++] = parts[i];
                    }
                    join_nl(&what, items, n);
                }
                if (s->interval == 1)
                    buf_printf(b, "elke %s van de maand", buf_cstr(&what));
                else
                    buf_printf(b, "om de %d maanden op de %s", s->interval, buf_cstr(&what));
                buf_free(&what);
            }
        } else {
            if (s->interval != 1) return -1;
            char parts[33][16];
            int n = 0;
            if (s->bymonthday) {
                for (int d = 1; d <= 31; d++)
                    if (s->bymonthday & (1u << d)) snprintf(parts[n++], sizeof parts[0], "%de", d);
                if (s->bymonthday & 1u) snprintf(parts[n++], sizeof parts[0], "laatste dag");
            } else {
                if (s->dtstart < 0) return -1;
                int y, m, d;
                day_to_ymd(s->dtstart, &y, &m, &d);
                snprintf(parts[n++], sizeof parts[0], "%de", d);
            }
            for (int i = 0; i < n; i++) items[i] = parts[i];
            buf_puts(b, "op de ");
            join_nl(b, items, n);
            buf_puts(b, " van de maand");
        }
    } else {
        return -1;
    }
    if (s->opens >= 0 && s->closes >= 0) {
        buf_putc(b, ' ');
        put_time(b, s->opens);
        buf_puts(b, "\xe2\x80\x93"); /* en dash */
        put_time(b, s->closes);
    } else if (s->opens >= 0) {
        buf_puts(b, " vanaf ");
        put_time(b, s->opens);
    } else if (s->closes >= 0) {
        buf_puts(b, " tot ");
        put_time(b, s->closes);
    }
    return 0;
}

/* The weekdays (bit 0 = Monday) a schedule may meet on, and may be open on
 * (an evening past midnight also opens the next day): a cheap superset
 * before the exact sched_meets_on / sched_open_at. */
static void weekdays(const struct sched *s, uint8_t *meet, uint8_t *open)
{
    if (!s->evaluable) return;
    unsigned days = 0;
    for (int i = 0; i < s->nbyday; i++) days |= 1u << (s->byday_wd[i] - 1);
    if (!s->nbyday) days = s->freq == SCHED_WEEKLY && !s->bymonthday ? 1u << (day_weekday(s->dtstart) - 1) : 0x7Fu;
    int opens = s->opens < 0 ? 0 : s->opens;
    int overnight = !(s->closes > opens || s->closes < 0);
    *meet |= (uint8_t)days;
    *open |= (uint8_t)(days | (overnight ? ((days << 1) | (days >> 6)) & 0x7Fu : 0));
}

static int cmp_sched_row(const void *a, const void *b)
{
    const struct sched_row *x = a, *y = b;
    if (x->svc != y->svc) return x->svc < y->svc ? -1 : 1;
    return strcmp(x->id, y->id);
}

static int cmp_loc_row(const void *a, const void *b)
{
    const struct loc_row *x = a, *y = b;
    if (x->svc != y->svc) return x->svc < y->svc ? -1 : 1;
    int c = strcmp(x->sal, y->sal);
    if (c) return c;
    if (x->physical != y->physical) return x->physical ? -1 : 1;
    return strcmp(x->addr_id, y->addr_id);
}

static int cmp_cost_row(const void *a, const void *b)
{
    const struct cost_row *x = a, *y = b;
    if (x->svc != y->svc) return x->svc < y->svc ? -1 : 1;
    return strcmp(x->id, y->id);
}

static int cmp_term_row(const void *a, const void *b)
{
    const struct term_row *x = a, *y = b;
    if (x->svc != y->svc) return x->svc < y->svc ? -1 : 1;
    return x->term < y->term ? -1 : x->term > y->term;
}

static void finish_locations(search_builder_t *b)
{
    sort(b->loc, (size_t)b->nloc, sizeof *b->loc, cmp_loc_row);
    struct search_location *all = arena_alloc(b->ix->arena, ((size_t)b->nloc + 1) * sizeof *all);
    b->ix->locs = all;
    int w = 0;
    for (int i = 0; i < b->nloc; i++) {
        struct loc_row *r = &b->loc[i];
        if (i > 0 && r->svc == b->loc[i - 1].svc && strcmp(r->sal, b->loc[i - 1].sal) == 0) continue;
        struct entry *e = &b->e[r->svc];
        if (!e->pub.nlocations) e->pub.locations = &all[w];
        e->pub.nlocations++;
        all[w++] = r->loc;
    }
    b->ix->loc_cos = arena_alloc(b->ix->arena, ((size_t)w + 1) * sizeof *b->ix->loc_cos);
    for (int i = 0; i < w; i++) b->ix->loc_cos[i] = cos(rad(all[i].lat_e7));
}

static void finish_schedules(search_builder_t *b)
{
    sort(b->sch, (size_t)b->nsch, sizeof *b->sch, cmp_sched_row);
    struct sched *all = arena_alloc(b->ix->arena, ((size_t)b->nsch + 1) * sizeof *all);
    buf_t t = BUF_INIT;
    for (int i = 0, j; i < b->nsch; i = j) {
        struct entry *e = &b->e[b->sch[i].svc];
        e->sched = &all[i];
        const char *text = NULL, *desc = NULL;
        for (j = i; j < b->nsch && b->sch[j].svc == b->sch[i].svc; j++) {
            all[j] = b->sch[j].s;
            weekdays(&all[j], &e->meet, &e->open);
            if (all[j].evaluable && e->nevaluable < 255) e->nevaluable++;
            if (!desc && *b->sch[j].desc) desc = b->sch[j].desc;
            if (!text && all[j].evaluable) {
                buf_reset(&t);
                text = sched_summary(&all[j], &t) == 0 ? buf_cstr(&t) : b->sch[j].desc;
                if (!*text) text = NULL;
            }
        }
        e->nsched = j - i;
        if (!text) text = desc;
        if (text) e->pub.schedule_text = ix_strn(b->ix, text, utf8_cut(text, MAX_FEES_TEXT));
    }
    buf_free(&t);
}

static int folds_to(const char *s, const char *want)
{
    char *f = NULL;
    size_t cap = 0;
    int eq = strcmp(fold_into(s, &f, &cap), want) == 0;
    free(f);
    return eq;
}

static void finish_costs(search_builder_t *b)
{
    sort(b->cost, (size_t)b->ncost, sizeof *b->cost, cmp_cost_row);
    buf_t t = BUF_INIT;
    int i = 0;
    for (int s = 0; s < b->n; s++) {
        struct entry *e = &b->e[s];
        int zero = 0, other = 0;
        const struct cost_row *paid = NULL;
        int first = i;
        for (; i < b->ncost && b->cost[i].svc == s; i++) {
            if (b->cost[i].cents == 0)
                zero = 1;
            else
                other = 1;
            if (!paid && b->cost[i].cents > 0) paid = &b->cost[i];
        }
        /* A cost option without a readable amount counts as not free. */
        if (i > first)
            e->pub.is_free = zero && !other;
        else
            e->pub.is_free = folds_to(e->fees, "gratis") || folds_to(e->fees, "geen kosten");
        if (e->pub.is_free) {
            e->pub.cost_text = "Gratis";
            continue;
        }
        if (paid) {
            buf_reset(&t);
            const char *cur = paid->currency;
            int code = strlen(cur) == 3 && cur[0] >= 'A' && cur[0] <= 'Z' && cur[1] >= 'A' && cur[1] <= 'Z' &&
                       cur[2] >= 'A' && cur[2] <= 'Z' && strcmp(cur, "EUR") != 0;
            buf_printf(&t, "%s %lld,%02lld", code ? cur : "\xe2\x82\xac", (long long)(paid->cents / 100),
                       (long long)(paid->cents % 100));
            size_t ad = strlen(paid->adesc), op = strlen(paid->option);
            if (ad && ad <= SHORT_TEXT)
                buf_printf(&t, " %s", paid->adesc);
            else if (op && op <= SHORT_TEXT)
                buf_printf(&t, " (%s)", paid->option);
            e->pub.cost_text = ix_strn(b->ix, buf_cstr(&t), t.len);
        } else if (*e->fees) {
            e->pub.cost_text = ix_strn(b->ix, e->fees, utf8_cut(e->fees, MAX_FEES_TEXT));
        }
    }
    buf_free(&t);
}

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(**(const char *const *const *)a, **(const char *const *const *)b);
}

/* Sorts the term table by id and gives each service its terms and what the
 * Kantel ones mean. */
static void finish_terms(search_builder_t *b)
{
    search_index_t *ix = b->ix;
    uint32_t nt = b->terms.n;
    const char ***order = xmalloc((nt + 1) * sizeof *order);
    for (uint32_t i = 0; i < nt; i++) order[i] = &b->terms.key[i];
    sort(order, nt, sizeof *order, cmp_str_ptr);
    uint32_t *newid = xmalloc((nt + 1) * sizeof *newid);
    ix->term_ids = arena_alloc(ix->arena, (nt + 1) * sizeof *ix->term_ids);
    for (uint32_t i = 0; i < nt; i++) {
        uint32_t old = (uint32_t)(order[i] - b->terms.key);
        newid[old] = i;
        ix->term_ids[i] = b->terms.key[old];
    }
    ix->nterm = (int)nt;
    for (int i = 0; i < b->ntr; i++) b->tr[i].term = newid[b->tr[i].term];
    /* term_info stays in old order: keep a map back */
    uint32_t *oldid = xmalloc((nt + 1) * sizeof *oldid);
    for (uint32_t i = 0; i < nt; i++) oldid[newid[i]] = i;
    sort(b->tr, (size_t)b->ntr, sizeof *b->tr, cmp_term_row);
    uint32_t *all = arena_alloc(ix->arena, ((size_t)b->ntr + 1) * sizeof *all);
    int w = 0;
    for (int i = 0; i < b->ntr; i++) {
        if (i > 0 && b->tr[i].svc == b->tr[i - 1].svc && b->tr[i].term == b->tr[i - 1].term) continue;
        if (!b->ti[oldid[b->tr[i].term]].known) continue;
        struct entry *e = &b->e[b->tr[i].svc];
        if (!e->nterms) e->terms = &all[w];
        e->nterms++;
        all[w++] = b->tr[i].term;
        const struct term_info *t = &b->ti[oldid[b->tr[i].term]];
        e->pub.domains |= t->domain;
        if (t->level && (!e->pub.level || t->level < e->pub.level)) e->pub.level = t->level;
        if (t->age_group >= 0) e->agemask |= 1u << t->age_group;
    }
    /* term_info indexed by the new ids from here on */
    struct term_info *ti = xmalloc((nt + 1) * sizeof *ti);
    for (uint32_t i = 0; i < nt; i++) ti[newid[i]] = b->ti[i];
    free(b->ti);
    b->ti = ti;
    b->capti = nt;
    free(order);
    free(newid);
    free(oldid);
}

/* ---- finishing: text ------------------------------------------------------- */

struct words {
    uint32_t *w;
    int n, cap;
};

static void add_words(struct smap *vocab, search_index_t *ix, const char *folded, uint32_t field, struct words *out)
{
    const char *p = folded;
    while (*p && vocab->n < MAX_SERVICES) { /* word ids, too, have 28 bits */
        const char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        if (len) {
            GROW(out->w, out->n, out->cap);
            out->w[out->n++] = smap_put(vocab, ix, p, len) << 4 | field;
        }
        p += len;
        while (*p == ' ') p++;
    }
}

struct rank_ctx {
    const struct entry *e;
    const char *const *fname;
};

/* (folded name, name, id): ids are unique, so the order is total. */
static int cmp_rank(const void *a, const void *b, void *ctx)
{
    const struct rank_ctx *rc = ctx;
    int x = *(const int *)a, y = *(const int *)b;
    int c = strcmp(rc->fname[x], rc->fname[y]);
    if (!c) c = strcmp(rc->e[x].pub.name, rc->e[y].pub.name);
    if (!c) c = strcmp(rc->e[x].pub.id, rc->e[y].pub.id);
    return c;
}

static int cmp_suffix(const void *a, const void *b, void *ctx)
{
    const search_index_t *ix = ctx;
    const struct suffix *x = a, *y = b;
    return strcmp(ix->vocab[x->word] + x->off, ix->vocab[y->word] + y->off);
}

/* The sorted inner suffixes of the vocabulary, so a query word is found
 * inside compounds ("cafe" in "taalcafe") with two binary searches. */
static void build_suffixes(search_index_t *ix)
{
    size_t n = 0, cap = 0;
    struct suffix *s = NULL;
    for (int w = 0; w < ix->nvocab; w++) {
        const char *v = ix->vocab[w];
        size_t len = strlen(v);
        for (size_t off = 1; off + MIN_INFIX <= len; off++) {
            if (((unsigned char)v[off] & 0xC0) == 0x80) continue; /* inside a UTF-8 character */
            if (n == cap) {
                cap = cap ? 2 * cap : 1024;
                s = xrealloc(s, cap * sizeof *s);
            }
            s[n++] = (struct suffix){(uint32_t)w, (uint32_t)off};
        }
    }
    if (n > 1) qsort_r(s, n, sizeof *s, cmp_suffix, ix);
    ix->suf = arena_alloc(ix->arena, (n + 1) * sizeof *ix->suf);
    if (n) memcpy(ix->suf, s, n * sizeof *s);
    ix->nsuf = (uint32_t)n;
    free(s);
}

static void finish_text(search_builder_t *b)
{
    search_index_t *ix = b->ix;
    struct smap vocab = {0};
    struct words w = {0};
    char *f = NULL;
    size_t fcap = 0;
    const char **fname = xmalloc(((size_t)b->n + 1) * sizeof *fname);
    for (int s = 0; s < b->n; s++) {
        struct entry *e = &b->e[s];
        w.n = 0;
        fold_into(e->pub.name, &f, &fcap);
        fname[s] = arena_strdup(b->tmp, f);
        add_words(&vocab, ix, f, F_NAME, &w);
        add_words(&vocab, ix, fold_into(e->pub.org_name, &f, &fcap), F_ORG, &w);
        add_words(&vocab, ix, fold_into(e->pub.description, &f, &fcap), F_DESC, &w);
        for (int k = 0; k < e->nterms; k++) {
            struct term_info *t = &b->ti[e->terms[k]];
            if (!t->done) {
                struct words tw = {0};
                add_words(&vocab, ix, fold_into(t->name, &f, &fcap), F_TERM, &tw);
                t->wids = tw.w;
                t->nwids = tw.n;
                t->done = 1;
            }
            for (int j = 0; j < t->nwids; j++) {
                GROW(w.w, w.n, w.cap);
                w.w[w.n++] = t->wids[j];
            }
        }
        sort(w.w, (size_t)w.n, sizeof *w.w, cmp_u32);
        int m = 0;
        for (int i = 0; i < w.n; i++) {
            if (m > 0 && (w.w[m - 1] >> 4) == (w.w[i] >> 4))
                w.w[m - 1] |= w.w[i] & 15u;
            else
                w.w[m++] = w.w[i];
        }
        uint32_t *keep = arena_alloc(ix->arena, ((size_t)m + 1) * sizeof *keep);
        if (m) memcpy(keep, w.w, (size_t)m * sizeof *keep);
        e->words = keep;
        e->nwords = m;
    }
    /* The sorted vocabulary, and every word list renumbered into it. */
    uint32_t nv = vocab.n;
    const char ***order = xmalloc((nv + 1) * sizeof *order);
    for (uint32_t i = 0; i < nv; i++) order[i] = &vocab.key[i];
    sort(order, nv, sizeof *order, cmp_str_ptr);
    uint32_t *newid = xmalloc((nv + 1) * sizeof *newid);
    ix->vocab = arena_alloc(ix->arena, (nv + 1) * sizeof *ix->vocab);
    for (uint32_t i = 0; i < nv; i++) {
        uint32_t old = (uint32_t)(order[i] - vocab.key);
        newid[old] = i;
        ix->vocab[i] = vocab.key[old];
    }
    ix->nvocab = (int)nv;
    build_suffixes(ix);
    ix->post_start = arena_calloc(ix->arena, (nv + 1) * sizeof *ix->post_start);
    size_t total = 0;
    for (int s = 0; s < b->n; s++) {
        struct entry *e = &b->e[s];
        uint32_t *ws = (uint32_t *)e->words;
        for (int i = 0; i < e->nwords; i++) {
            ws[i] = newid[ws[i] >> 4] << 4 | (ws[i] & 15u);
            ix->post_start[ws[i] >> 4]++;
        }
        sort(ws, (size_t)e->nwords, sizeof *ws, cmp_u32);
        total += (size_t)e->nwords;
    }
    uint32_t sum = 0;
    for (uint32_t i = 0; i < nv; i++) {
        uint32_t c = ix->post_start[i];
        ix->post_start[i] = sum;
        sum += c;
    }
    ix->post_start[nv] = sum;
    ix->post = arena_alloc(ix->arena, (total + 1) * sizeof *ix->post);
    uint32_t *fill = xmalloc((nv + 1) * sizeof *fill);
    memcpy(fill, ix->post_start, (nv + 1) * sizeof *fill);
    for (int s = 0; s < b->n; s++) {
        const struct entry *e = &b->e[s];
        for (int i = 0; i < e->nwords; i++) ix->post[fill[e->words[i] >> 4]++] = (uint32_t)s << 4 | (e->words[i] & 15u);
    }
    /* Name order for the tie-break. */
    int *idx = xmalloc(((size_t)b->n + 1) * sizeof *idx);
    for (int s = 0; s < b->n; s++) idx[s] = s;
    struct rank_ctx rc = {b->e, fname};
    if (b->n > 1) qsort_r(idx, (size_t)b->n, sizeof *idx, cmp_rank, &rc);
    for (int s = 0; s < b->n; s++) b->e[idx[s]].rank = s;
    free(idx);
    free(fill);
    free(order);
    free(newid);
    free(fname);
    free(f);
    free(w.w);
    smap_free(&vocab);
}

search_index_t *search_builder_finish(search_builder_t *b)
{
    builder_find(b, NULL); /* sorted by id, repeats dropped */
    finish_locations(b);
    finish_schedules(b);
    finish_costs(b);
    finish_terms(b);
    finish_text(b);
    search_index_t *ix = b->ix;
    ix->e = arena_alloc(ix->arena, ((size_t)b->n + 1) * sizeof *ix->e);
    if (b->n) memcpy(ix->e, b->e, (size_t)b->n * sizeof *ix->e);
    ix->hot = arena_alloc(ix->arena, ((size_t)b->n + 1) * sizeof *ix->hot);
    for (int s = 0; s < b->n; s++) {
        struct entry *e = &ix->e[s];
        e->fees = NULL;
        ix->hot[s] = (struct hot){
            .domains = e->pub.domains,
            .loc = e->pub.nlocations ? (uint32_t)(e->pub.locations - ix->locs) : 0,
            .nloc = (uint16_t)(e->pub.nlocations > 65535 ? 65535 : e->pub.nlocations),
            .min_age = (int16_t)e->pub.min_age,
            .max_age = (int16_t)e->pub.max_age,
            .agemask = (uint8_t)e->agemask,
            .is_free = (uint8_t)e->pub.is_free,
            .meet = e->meet,
            .open = e->open,
            .rank = e->rank,
        };
        struct hot *h = &ix->hot[s];
        if (h->nloc) {
            const struct search_location *L = &ix->locs[h->loc];
            h->lat0 = (int32_t)L->lat_e7;
            h->lon0 = (int32_t)L->lon_e7;
            h->cos0 = ix->loc_cos[h->loc];
        }
        /* The one evaluable schedule, when a weekday and a window say it all. */
        for (int k = 0; k < e->nsched && e->nevaluable == 1; k++) {
            const struct sched *c = &e->sched[k];
            if (!c->evaluable) continue;
            int opens = c->opens < 0 ? 0 : c->opens, closes = c->closes < 0 ? 24 * 60 : c->closes;
            if (c->freq == SCHED_WEEKLY && c->interval == 1 && c->nbyday > 0 && !c->bymonthday && c->dtstart < 0 &&
                c->until < 0 && c->valid_from < 0 && c->valid_to < 0 && closes > opens) {
                h->simple = 1;
                h->opens = (int16_t)opens;
                h->closes = (int16_t)closes;
            }
        }
    }
    ix->n = b->n;
    b->ix = NULL;
    search_builder_free(b);
    return ix;
}

/* ---- the index ------------------------------------------------------------- */

void search_index_release(search_index_t *ix)
{
    if (!ix) return;
    if (atomic_fetch_sub_explicit(&ix->refs, 1, memory_order_acq_rel) != 1) return;
    arena_free(ix->arena);
    free(ix);
}

static search_index_t *retain(search_index_t *ix)
{
    atomic_fetch_add_explicit(&ix->refs, 1, memory_order_relaxed);
    return ix;
}

int search_index_count(const search_index_t *ix)
{
    return ix ? ix->n : 0;
}

const struct search_service *search_service_at(const search_index_t *ix, int i)
{
    return ix && i >= 0 && i < ix->n ? &ix->e[i].pub : NULL;
}

int search_find(const search_index_t *ix, const char *id)
{
    if (!ix || !id) return -1;
    int lo = 0, hi = ix->n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2, c = strcmp(ix->e[mid].pub.id, id);
        if (c == 0) return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* ---- queries --------------------------------------------------------------- */

struct qword {
    const char *s;
    size_t len;
    uint32_t lo, hi;   /* vocabulary range with this prefix */
    uint32_t exact;    /* vocabulary id equal to the word, or UINT32_MAX */
    uint32_t slo, shi; /* suffix range: words that hold it inside (len >= MIN_INFIX) */
    uint8_t *inner;    /* bitmap of those words outside [lo, hi); NULL when none */
    uint32_t npost;    /* postings of all matching words */
};

/* First vocabulary index whose first len bytes compare >= (upper: >) q. */
static uint32_t vocab_bound(const search_index_t *ix, const char *q, size_t len, int upper)
{
    uint32_t lo = 0, hi = (uint32_t)ix->nvocab;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strncmp(ix->vocab[mid], q, len);
        if (c < 0 || (upper && c == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The same over the inner suffixes. */
static uint32_t suffix_bound(const search_index_t *ix, const char *q, size_t len, int upper)
{
    uint32_t lo = 0, hi = ix->nsuf;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strncmp(ix->vocab[ix->suf[mid].word] + ix->suf[mid].off, q, len);
        if (c < 0 || (upper && c == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

enum { M_INNER = 0, M_PREFIX = 1, M_EXACT = 2 };

/* Points for one query word by where it matched (search.h). */
static int field_score(uint32_t fields, int how)
{
    static const int name[] = {10, 20, 30};
    if (fields & F_NAME) return name[how];
    if (fields & (F_ORG | F_TERM)) return how == M_INNER ? 5 : 10;
    if (fields & F_DESC) return how == M_INNER ? 2 : 5;
    return 0;
}

static int is_inner(const struct qword *q, uint32_t wid)
{
    return q->inner && (q->inner[wid >> 3] >> (wid & 7)) & 1;
}

/* The best score of word q in service e, 0 when it has no matching word. */
static int word_in_service(const struct entry *e, const struct qword *q)
{
    int lo = 0, hi = e->nwords;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if ((e->words[mid] >> 4) < q->lo)
            lo = mid + 1;
        else
            hi = mid;
    }
    int best = 0;
    for (int i = lo; i < e->nwords && (e->words[i] >> 4) < q->hi; i++) {
        int sc = field_score(e->words[i] & 15u, (e->words[i] >> 4) == q->exact ? M_EXACT : M_PREFIX);
        if (sc > best) best = sc;
    }
    if (best >= 20 || !q->inner) return best; /* an inner match never beats a name prefix */
    for (int i = 0; i < e->nwords; i++)
        if (is_inner(q, e->words[i] >> 4)) {
            int sc = field_score(e->words[i] & 15u, M_INNER);
            if (sc > best) best = sc;
        }
    return best;
}

/* Finds where word q occurs in the vocabulary: the prefix range and, for a
 * word of MIN_INFIX or more bytes, the words holding it inside (a bitmap of
 * nvocab bits, malloc'd, NULL when there are none). */
static void locate_word(const search_index_t *ix, struct qword *q)
{
    q->lo = vocab_bound(ix, q->s, q->len, 0);
    q->hi = vocab_bound(ix, q->s, q->len, 1);
    q->exact = q->lo < q->hi && strlen(ix->vocab[q->lo]) == q->len ? q->lo : UINT32_MAX;
    q->npost = ix->post_start[q->hi] - ix->post_start[q->lo];
    q->inner = NULL;
    q->slo = q->shi = 0;
    if (q->len < MIN_INFIX) return;
    q->slo = suffix_bound(ix, q->s, q->len, 0);
    q->shi = suffix_bound(ix, q->s, q->len, 1);
    for (uint32_t i = q->slo; i < q->shi; i++) {
        uint32_t wid = ix->suf[i].word;
        if (wid >= q->lo && wid < q->hi) continue; /* already a prefix match */
        if (!q->inner) {
            q->inner = calloc((size_t)ix->nvocab / 8 + 1, 1);
            if (!q->inner) abort();
        }
        if (is_inner(q, wid)) continue;
        q->inner[wid >> 3] |= (uint8_t)(1u << (wid & 7));
        q->npost += ix->post_start[wid + 1] - ix->post_start[wid];
    }
}

/* Records the score of vocabulary word wid's postings in sc (the best per
 * service). */
static void mark(const search_index_t *ix, uint32_t wid, int how, uint8_t *sc)
{
    for (uint32_t p = ix->post_start[wid]; p < ix->post_start[wid + 1]; p++) {
        uint32_t s = ix->post[p] >> 4;
        int v = field_score(ix->post[p] & 15u, how);
        if (v > sc[s]) sc[s] = (uint8_t)v;
    }
}

/* Adds the postings of vocabulary word wid to the candidates. */
static void collect(const search_index_t *ix, uint32_t wid, int how, uint8_t *sc, int *cand, int *ncand)
{
    for (uint32_t p = ix->post_start[wid]; p < ix->post_start[wid + 1]; p++) {
        uint32_t s = ix->post[p] >> 4;
        int v = field_score(ix->post[p] & 15u, how); /* >= 2: fields is never 0 */
        if (!sc[s]) cand[(*ncand)++] = (int)s;
        if (v > sc[s]) sc[s] = (uint8_t)v;
    }
}

/* Splits the folded query into at most SEARCH_MAX_WORDS distinct words
 * (pointers into folded). Returns the number of words. */
static int query_words(const char *text, char *folded, size_t cap, struct qword *w)
{
    if (!text) return 0;
    size_t cut = utf8_cut(text, MAX_QUERY_BYTES);
    size_t flen = fold_text(text, cut, folded, cap);
    if (text[cut]) {
        /* Cut inside a word? Then that word is dropped. */
        char more[2 * (MAX_QUERY_BYTES + 16) + 1];
        size_t mlen = fold_text(text, utf8_cut(text, MAX_QUERY_BYTES + 16), more, sizeof more);
        if (mlen > flen && more[flen] != ' ') {
            while (flen > 0 && folded[flen - 1] != ' ') flen--;
            while (flen > 0 && folded[flen - 1] == ' ') flen--;
            folded[flen] = '\0';
        }
    }
    int n = 0;
    char *p = folded;
    while (*p && n < SEARCH_MAX_WORDS) {
        char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        int dup = 0;
        for (int i = 0; i < n; i++) dup |= w[i].len == len && memcmp(w[i].s, p, len) == 0;
        if (len && !dup) {
            memset(&w[n], 0, sizeof w[n]);
            w[n].s = p;
            w[n].len = len;
            n++;
        }
        if (!sp) break;
        *sp = '\0';
        p = sp + 1;
    }
    return n;
}

struct hk {
    int svc, score, rank, loc;
    double dkey; /* haversine_key of the nearest location, INFINITY when none */
};

struct order {
    int by_distance, has_origin;
};

/* 1 when a comes before b. */
static int before(const struct hk *a, const struct hk *b, const struct order *o)
{
    if (o->by_distance && a->dkey != b->dkey) return a->dkey < b->dkey;
    if (a->score != b->score) return a->score > b->score;
    if (o->has_origin && a->dkey != b->dkey) return a->dkey < b->dkey;
    return a->rank < b->rank;
}

/* Max-heap on "comes later": the root is the last of the heap. */
static void sift_down(struct hk *h, size_t n, size_t i, const struct order *o)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && before(&h[m], &h[l], o)) m = l;
        if (r < n && before(&h[m], &h[r], o)) m = r;
        if (m == i) return;
        struct hk t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* Puts the first k (in order) of h[0..n) into h[0..k), sorted. */
static void top_k(struct hk *h, size_t n, size_t k, const struct order *o)
{
    if (k == 0) return;
    for (size_t i = k / 2; i-- > 0;) sift_down(h, k, i, o);
    for (size_t i = k; i < n; i++)
        if (before(&h[i], &h[0], o)) {
            h[0] = h[i];
            sift_down(h, k, 0, o);
        }
    for (size_t end = k; end > 1; end--) {
        struct hk t = h[0];
        h[0] = h[end - 1];
        h[end - 1] = t;
        sift_down(h, end - 1, 0, o);
    }
}

/* The Kantel age groups (bits) that hold age. */
static unsigned age_groups_of(int age)
{
    unsigned m = 0;
    for (size_t g = 0; g < socialmap_age_group_count && g < 8; g++)
        if (age >= socialmap_age_groups[g].min_age &&
            (socialmap_age_groups[g].max_age < 0 || age <= socialmap_age_groups[g].max_age))
            m |= 1u << g;
    return m;
}

static int age_ok(const struct hot *h, int age, unsigned groups)
{
    if (h->min_age >= 0 && age < h->min_age) return 0;
    if (h->max_age >= 0 && age > h->max_age) return 0;
    return !h->agemask || (h->agemask & groups);
}

/* sin for the small angles of a municipality (|x| <= 0.05 rad, 300 km):
 * the Taylor series to x^9, within an ulp or two of libm and much cheaper. */
static inline double small_sin(double x)
{
    if (x > 0.05 || x < -0.05) return sin(x);
    double x2 = x * x;
    return x * (1.0 + x2 * (-1.0 / 6 + x2 * (1.0 / 120 + x2 * (-1.0 / 5040 + x2 * (1.0 / 362880)))));
}

/* The haversine h of two points (latitude cosines given): it grows with the
 * distance, so it orders by distance without the last asin; the metres
 * shown come from distance_m. */
static double haversine_key(int64_t lat1, int64_t lon1, double cos1, int64_t lat2, int64_t lon2, double cos2)
{
    const double half_rad = M_PI / 180.0 / (double)GEO_E7 / 2; /* e7 units to half radians */
    double sp = small_sin((double)(lat2 - lat1) * half_rad), sl = small_sin((double)(lon2 - lon1) * half_rad);
    return sp * sp + cos1 * cos2 * sl * sl;
}

/* geo_distance_m (geo.c) with the cosine of both latitudes given: the same
 * operations in the same order, so the same metres. */
static int64_t distance_m(int64_t lat1, int64_t lon1, double cos1, int64_t lat2, int64_t lon2, double cos2)
{
    double dp = rad(lat2 - lat1), dl = rad(lon2 - lon1);
    double sp = sin(dp / 2), sl = sin(dl / 2);
    double h = sp * sp + cos1 * cos2 * sl * sl;
    if (h > 1) h = 1;
    return (int64_t)llround(2 * EARTH_RADIUS_M * asin(sqrt(h)));
}

static int when_ok(const struct entry *e, const struct search_query *q)
{
    for (int i = 0; i < e->nsched; i++) {
        const struct sched *s = &e->sched[i];
        if (!s->evaluable) continue;
        if (q->when == SEARCH_OPEN_AT ? sched_open_at(s, q->day, q->minute) : sched_meets_on(s, q->day)) return 1;
    }
    return 0;
}

static int has_term(const struct entry *e, uint32_t t)
{
    for (int i = 0; i < e->nterms; i++)
        if (e->terms[i] == t) return 1;
    return 0;
}

struct later {
    const search_index_t *ix;
    const struct search_query *q;
    uint32_t term;
    int radius;
    struct geo_box box;
    double ocos, h_in, h_out; /* radius: haversine keys surely inside / outside */
};

/* The checks after the words: term, schedules, distance. 1 and *out filled
 * when service s (with text score) matches, else 0. */
static int later_checks(const struct later *lt, int s, int score, struct hk *out)
{
    const search_index_t *ix = lt->ix;
    const struct search_query *q = lt->q;
    const struct hot *h = &ix->hot[s];
    const struct entry *e = &ix->e[s];
    if (lt->term != UINT32_MAX && !has_term(e, lt->term)) return 0;
    if (q->when == SEARCH_OPEN_AT && h->simple) {
        if (q->minute < h->opens || q->minute >= h->closes) return 0;
    } else if (q->when != SEARCH_ANYTIME && !h->simple && !when_ok(e, q)) {
        return 0;
    }
    double best = INFINITY;
    int loc = h->nloc ? 0 : -1;
    if (q->has_origin) {
        loc = -1;
        for (uint32_t l = 0; l < h->nloc; l++) {
            int64_t lat = l ? ix->locs[h->loc + l].lat_e7 : h->lat0, lon = l ? ix->locs[h->loc + l].lon_e7 : h->lon0;
            double lcos = l ? ix->loc_cos[h->loc + l] : h->cos0;
            if (lat == 0 && lon == 0) continue;
            if (lt->radius &&
                (lat < lt->box.min_lat || lat > lt->box.max_lat || lon < lt->box.min_lon || lon > lt->box.max_lon))
                continue;
            double hv = haversine_key(q->lat_e7, q->lon_e7, lt->ocos, lat, lon, lcos);
            if (lt->radius && (hv >= lt->h_out || (hv > lt->h_in && distance_m(q->lat_e7, q->lon_e7, lt->ocos, lat, lon,
                                                                               lcos) > q->radius_m)))
                continue;
            if (hv < best) {
                best = hv;
                loc = (int)l;
            }
        }
        if (lt->radius && loc < 0) return 0;
    }
    for (uint32_t bits = h->domains & q->domains; bits; bits &= bits - 1) score += 5;
    *out = (struct hk){s, score, h->rank, loc, best};
    return 1;
}

int search_run(const search_index_t *ix, const struct search_query *q, struct search_result *out)
{
    if (!out) return -1;
    out->total = out->n = 0;
    if (!ix || !q || q->limit < 1 || q->limit > SEARCH_MAX_LIMIT || q->offset < 0) return -1;
    if (q->when != SEARCH_ANYTIME && q->when != SEARCH_OPEN_AT && q->when != SEARCH_ON_DAY) return -1;
    if (q->when == SEARCH_OPEN_AT && (q->minute < 0 || q->minute >= 24 * 60)) return -1;
    if (q->sort != SEARCH_SORT_RELEVANCE && q->sort != SEARCH_SORT_DISTANCE) return -1;
    if (q->has_origin && q->radius_m < 0) return -1;

    /* The term filter: one binary search. */
    uint32_t term = UINT32_MAX;
    if (q->term_id) {
        int lo = 0, hi = ix->nterm - 1;
        while (lo <= hi && term == UINT32_MAX) {
            int mid = lo + (hi - lo) / 2, c = strcmp(ix->term_ids[mid], q->term_id);
            if (c == 0)
                term = (uint32_t)mid;
            else if (c < 0)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        if (term == UINT32_MAX) return 0;
    }

    /* The words, and the rarest of them. */
    char folded[2 * MAX_QUERY_BYTES + 1];
    struct qword w[SEARCH_MAX_WORDS];
    int nw = query_words(q->text, folded, sizeof folded, w);
    int rare = -1, none = 0;
    for (int i = 0; i < nw; i++) {
        locate_word(ix, &w[i]);
        if (w[i].npost == 0) none = 1;
        if (rare < 0 || w[i].npost < w[rare].npost) rare = i;
    }

    /* Candidates: the services of the rarest word (sc holds its score), or
     * every service. */
    int ncand = 0;
    int *cand = NULL;
    uint8_t *sc = NULL;
    if (none) {
        cand = malloc(sizeof *cand);
    } else if (nw) {
        struct qword *r = &w[rare];
        sc = calloc((size_t)ix->n + 1, 1);
        cand = malloc((r->npost < (uint32_t)ix->n ? (size_t)r->npost : (size_t)ix->n) * sizeof *cand + 1);
        if (!sc || !cand) abort();
        for (uint32_t v = r->lo; v < r->hi; v++) collect(ix, v, v == r->exact ? M_EXACT : M_PREFIX, sc, cand, &ncand);
        /* A word may hold the query twice: its bit is cleared once it is
         * collected (the rarest word is not looked at again). */
        for (uint32_t i = r->slo; r->inner && i < r->shi; i++) {
            uint32_t v = ix->suf[i].word;
            if (!is_inner(r, v)) continue;
            collect(ix, v, M_INNER, sc, cand, &ncand);
            r->inner[v >> 3] &= (uint8_t) ~(1u << (v & 7));
        }
    } else {
        ncand = ix->n; /* every service: cand stays NULL */
    }
    int *score = nw > 1 ? malloc(((size_t)ncand + 1) * sizeof *score) : NULL;
    if ((nw && !cand) || (nw > 1 && !score)) abort();

    /* What step 3 needs (step 1 does it at once when there is no second word). */
    struct later lt = {.ix = ix, .q = q, .term = term};
    if (q->has_origin) {
        lt.radius = q->radius_m > 0;
        lt.ocos = cos(rad(q->lat_e7));
        lt.h_in = -1;
        lt.h_out = 2;
    }
    if (lt.radius) {
        lt.box = geo_box_around(q->lat_e7, q->lon_e7, q->radius_m);
        double a_in = sin((double)(q->radius_m - 1) / (2 * EARTH_RADIUS_M));
        double a_out = sin((double)(q->radius_m + 1) / (2 * EARTH_RADIUS_M));
        lt.h_in = q->radius_m > 1 ? a_in * a_in : -1;
        lt.h_out = a_out * a_out;
    }
    struct hk *hits = malloc(((size_t)ncand + 1) * sizeof *hits);
    if (!hits) abort();
    size_t m = 0;

    /* 1. The packed fields. */
    unsigned groups = q->age >= 0 ? age_groups_of(q->age) : 0;
    unsigned wd = q->when != SEARCH_ANYTIME ? (unsigned)day_weekday(q->day) - 1 : 0;
    int k = 0;
    for (int c = 0; c < ncand; c++) {
        int s = cand ? cand[c] : c;
        const struct hot *h = &ix->hot[s];
        if (q->domains && !(h->domains & q->domains)) continue;
        if (q->age >= 0 && !age_ok(h, q->age, groups)) continue;
        if (q->free_only && !h->is_free) continue;
        if (q->when == SEARCH_OPEN_AT && !((h->open >> wd) & 1u)) continue;
        if (q->when == SEARCH_ON_DAY && !((h->meet >> wd) & 1u)) continue;
        if (lt.radius && h->nloc <= 1 &&
            (h->lat0 < lt.box.min_lat || h->lat0 > lt.box.max_lat || h->lon0 < lt.box.min_lon ||
             h->lon0 > lt.box.max_lon || (h->lat0 == 0 && h->lon0 == 0)))
            continue; /* its one location (if any) is not near */
        if (nw <= 1) {
            m += (size_t)later_checks(&lt, s, nw ? sc[s] : 0, &hits[m]);
            continue;
        }
        score[k] = sc[s];
        cand[k++] = s;
    }
    ncand = k;

    /* 2. The other words, rarest first: through their postings when there
     * are few, else by a look into each candidate's words. */
    int order[SEARCH_MAX_WORDS], no = 0;
    for (int i = 0; i < nw; i++)
        if (i != rare) order[no++] = i;
    for (int i = 1; i < no; i++)
        for (int j = i; j > 0 && w[order[j]].npost < w[order[j - 1]].npost; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (int oi = 0; oi < no && ncand > 0; oi++) {
        struct qword *x = &w[order[oi]];
        k = 0;
        if ((uint64_t)x->npost <= 16 * (uint64_t)ncand) {
            memset(sc, 0, (size_t)ix->n + 1);
            for (uint32_t v = x->lo; v < x->hi; v++) mark(ix, v, v == x->exact ? M_EXACT : M_PREFIX, sc);
            for (uint32_t i = x->slo; x->inner && i < x->shi; i++) {
                uint32_t v = ix->suf[i].word;
                if (!is_inner(x, v)) continue;
                mark(ix, v, M_INNER, sc);
                x->inner[v >> 3] &= (uint8_t) ~(1u << (v & 7));
            }
            for (int c = 0; c < ncand; c++)
                if (sc[cand[c]]) {
                    score[k] = score[c] + sc[cand[c]];
                    cand[k++] = cand[c];
                }
        } else {
            for (int c = 0; c < ncand; c++) {
                int v = word_in_service(&ix->e[cand[c]], x);
                if (v) {
                    score[k] = score[c] + v;
                    cand[k++] = cand[c];
                }
            }
        }
        ncand = k;
    }

    /* 3. The term, the schedules, the distance. */
    for (int c = 0; c < ncand; c++) m += later_checks(&lt, cand[c], score[c], &hits[m]);
    out->total = (int)m;
    struct order o = {q->sort == SEARCH_SORT_DISTANCE, q->has_origin};
    if ((size_t)q->offset < m) {
        size_t end = (size_t)q->offset + (size_t)q->limit;
        if (end > m) end = m;
        top_k(hits, m, end, &o);
        for (size_t i = (size_t)q->offset; i < end; i++) {
            struct search_hit *sh = &out->hits[out->n++];
            const struct hot *h = &ix->hot[hits[i].svc];
            sh->service = hits[i].svc;
            sh->score = hits[i].score;
            sh->location = hits[i].loc;
            sh->distance_m = -1;
            if (q->has_origin && hits[i].loc >= 0) {
                uint32_t l = h->loc + (uint32_t)hits[i].loc;
                sh->distance_m =
                    distance_m(q->lat_e7, q->lon_e7, lt.ocos, ix->locs[l].lat_e7, ix->locs[l].lon_e7, ix->loc_cos[l]);
            }
        }
    }
    free(hits);
    free(score);
    free(cand);
    free(sc);
    for (int i = 0; i < nw; i++) free(w[i].inner);
    return 0;
}

/* ---- the process-wide cache -------------------------------------------------- */

#define CACHE_SLOTS 16

struct cache_slot {
    char gemeente[16];
    search_index_t *ix;
    int building;
};

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cache_cv = PTHREAD_COND_INITIALIZER;
static struct cache_slot cache[CACHE_SLOTS];

int search_version(db_t *db, const char *gemeente, char *out, size_t n)
{
    db_stmt_t *st = db_prepare(db, "SELECT value FROM settings WHERE gemeente = ? AND name = 'socialmap_version'");
    db_bind_text(st, 1, gemeente);
    int rc = db_step(st);
    snprintf(out, n, "%s", rc == DB_ROW ? db_col_text(st, 0) : "");
    db_done(st);
    return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

search_index_t *search_index_current(db_t *db, const char *gemeente)
{
    if (!db || !gemeente || strlen(gemeente) >= sizeof cache[0].gemeente) return NULL;
    char version[sizeof cache[0].ix->version];
    if (search_version(db, gemeente, version, sizeof version) != 0) return NULL;
    pthread_mutex_lock(&cache_mu);
    struct cache_slot *slot = NULL;
    for (;;) {
        slot = NULL;
        for (int i = 0; i < CACHE_SLOTS && !slot; i++)
            if (strcmp(cache[i].gemeente, gemeente) == 0) slot = &cache[i];
        for (int i = 0; i < CACHE_SLOTS && !slot; i++)
            if (!cache[i].gemeente[0]) {
                slot = &cache[i];
                snprintf(slot->gemeente, sizeof slot->gemeente, "%s", gemeente);
            }
        if (!slot) break; /* more municipalities than slots: build without caching */
        if (slot->ix && strcmp(slot->ix->version, version) == 0) {
            search_index_t *ix = retain(slot->ix);
            pthread_mutex_unlock(&cache_mu);
            return ix;
        }
        if (!slot->building) break;
        /* Another thread is building: use the index we have meanwhile, or
         * wait for the first one. */
        if (slot->ix) {
            search_index_t *ix = retain(slot->ix);
            pthread_mutex_unlock(&cache_mu);
            return ix;
        }
        pthread_cond_wait(&cache_cv, &cache_mu);
    }
    if (slot) slot->building = 1;
    pthread_mutex_unlock(&cache_mu);

    char err[256];
    search_index_t *fresh = search_index_build(db, gemeente, err, sizeof err);
    if (!slot) return fresh;
    search_index_t *old = NULL;
    pthread_mutex_lock(&cache_mu);
    slot->building = 0;
    if (fresh) {
        old = slot->ix;
        slot->ix = retain(fresh);
    }
    pthread_cond_broadcast(&cache_cv);
    pthread_mutex_unlock(&cache_mu);
    search_index_release(old);
    return fresh;
}

void search_index_cache_clear(void)
{
    search_index_t *old[CACHE_SLOTS] = {0};
    pthread_mutex_lock(&cache_mu);
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (!cache[i].building) {
            old[i] = cache[i].ix;
            cache[i].ix = NULL;
            cache[i].gemeente[0] = '\0';
        }
    pthread_mutex_unlock(&cache_mu);
    for (int i = 0; i < CACHE_SLOTS; i++) search_index_release(old[i]);
}

int search_touch(db_t *db, const char *gemeente)
{
    unsigned char r[6];
    rand_bytes(r, sizeof r);
    char value[64], hex[13];
    hex_encode(r, sizeof r, hex);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(value, sizeof value, "%lld%06ld-%s", (long long)ts.tv_sec, ts.tv_nsec / 1000, hex);
    db_stmt_t *st = db_prepare(db, "INSERT INTO settings (gemeente, name, value) VALUES (?, 'socialmap_version', ?)"
                                   " ON CONFLICT (gemeente, name) DO UPDATE SET value = excluded.value");
    db_bind_text(st, 1, gemeente);
    db_bind_text(st, 2, value);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}
