/*
 * rules.c - validation layer 2 of the iStandaarden engine: the rules that
 * can be decided from one message and today's date (istd_check_message), and
 * the report that collects the findings of all three layers (istd_report_*).
 *
 * The rules work on the structs of istd.h, not on XML, so a message read by
 * istd_read() and one built in memory are checked alike. docs/istandaarden.md
 * lists every rule with its messages, retour code and test. Levels:
 *  - "bericht inhoud" TR rules, and all CD and CS rules: 0001 on the header,
 *    the whole message is refused;
 *  - TR135 (Dagtekening an existing date, not after today): 8848 on the
 *    header, also a refusal;
 *  - TR346 (amount = volume x tariff): 9346 on that Prestatie only.
 * A date that is not "YYYY-MM-DD" naming a real day is a finding of its own
 * (rule "DATUM", 0001); the rules that need that date skip it.
 * Values out of the XSD ranges (negative amounts, > 8 digits) are left to the
 * XSD layer: the rules that would compute with them skip them.
 *
 * Retours 302 ... 320 echo their heen message and no rule is stated for them:
 * they are not checked. Of a 325 the dates, BSNs and amounts are.
 *
 * Memory: paths, texts and the issue array of a report live in its arena;
 * nothing here is freed. Time: O(n log n) in the size of the message; the
 * uniqueness and overlap rules sort instead of comparing all pairs.
 */
#include "istd/istd.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/calendar.h"
#include "domain/ident.h"

#define MAX_AMOUNT 99999999LL     /* RS005: largest volume, tariff and amount */
#define MAX_TOTAL  999999999999LL /* RS040: largest TotaalBedrag */
#define OPEN_END   INT32_MAX      /* the end of a period without Einddatum */
#define PATH_LEN   160            /* a class: "Declaratie/Clienten/Client[9]/Prestaties/Prestatie[99999]" */
#define SUB_LEN    224            /* a class and an element of it */

/* ---- the report ---------------------------------------------------------- */

static int refuses_message(const char *code)
{
    return strcmp(code, "0001") == 0 || strcmp(code, "8848") == 0 || strcmp(code, "9056") == 0;
}

void istd_report_init(istd_report_t *r, arena_t *a)
{
    assert(r && a);
    memset(r, 0, sizeof *r);
    r->arena = a;
}

static void report_v(istd_report_t *r, istd_msg_t *m, istd_codes_t *codes, const char *rule, const char *code,
                     const char *path, const char *fmt, va_list ap) __attribute__((format(printf, 7, 0)));

static void report_v(istd_report_t *r, istd_msg_t *m, istd_codes_t *codes, const char *rule, const char *code,
                     const char *path, const char *fmt, va_list ap)
{
    if (r->n == r->cap) {
        int cap = r->cap ? r->cap * 2 : 16;
        istd_issue_t *v = arena_alloc(r->arena, sizeof *v * (size_t)cap);
        if (r->n) memcpy(v, r->issues, sizeof *v * (size_t)r->n);
        r->issues = v;
        r->cap = cap;
    }
    istd_issue_t *it = &r->issues[r->n++];
    snprintf(it->rule, sizeof it->rule, "%s", rule ? rule : "");
    snprintf(it->code, sizeof it->code, "%s", code ? code : "");
    it->path = arena_strdup(r->arena, path ? path : "");
    va_list aq;
    va_copy(aq, ap);
    int len = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (len < 0) len = 0;
    it->text = arena_alloc(r->arena, (size_t)len + 1);
    it->text[0] = '\0';
    vsnprintf(it->text, (size_t)len + 1, fmt, ap);
    if (codes) istd_codes_add(codes, it->code);
    if (refuses_message(it->code)) {
        r->rejected = 1;
        if (m) istd_codes_add(&m->header.codes, it->code);
    }
}

void istd_report_add(istd_report_t *r, istd_msg_t *m, istd_codes_t *codes, const char *rule, const char *code,
                     const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_v(r, m, codes, rule, code, path, fmt, ap);
    va_end(ap);
}

int istd_bsn_valid(const char *s)
{
    return bsn_valid(s);
}

/* ---- helpers ------------------------------------------------------------- */

typedef struct ctx {
    istd_msg_t *m;
    istd_report_t *r;
    int has_dag; /* the header's Dagtekening is a date ... */
    day_t dag;   /* ... this one */
    day_t y2021; /* 2021-01-01: CS100, and "after 31-12-2020" of CS338 and CD080 */
} ctx_t;

static void at_v(ctx_t *c, istd_codes_t *codes, const char *rule, const char *code, const char *base, const char *leaf,
                 const char *fmt, va_list ap) __attribute__((format(printf, 7, 0)));

static void at_v(ctx_t *c, istd_codes_t *codes, const char *rule, const char *code, const char *base, const char *leaf,
                 const char *fmt, va_list ap)
{
    char path[SUB_LEN + 64];
    if (leaf)
        snprintf(path, sizeof path, "%s/%s", base, leaf);
    else
        snprintf(path, sizeof path, "%s", base);
    report_v(c->r, c->m, codes, rule, code, path, fmt, ap);
}

/* A finding that refuses the whole message: 0001 on the header. */
static void reject(ctx_t *c, const char *rule, const char *base, const char *leaf, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void reject(ctx_t *c, const char *rule, const char *base, const char *leaf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    at_v(c, NULL, rule, "0001", base, leaf, fmt, ap);
    va_end(ap);
}

/* A finding with its own code on the class concerned (codes). */
static void finding(ctx_t *c, istd_codes_t *codes, const char *rule, const char *code, const char *base,
                    const char *leaf, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
static void finding(ctx_t *c, istd_codes_t *codes, const char *rule, const char *code, const char *base,
                    const char *leaf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    at_v(c, codes, rule, code, base, leaf, fmt, ap);
    va_end(ap);
}

static int is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* 1 and *d when s is present and exactly "YYYY-MM-DD" naming a real day of
 * the years 1 ... 9999; absent and invalid dates give 0. Not day_parse():
 * its 1900 ... 2200 is Kantel's range for typed dates, while a message may
 * carry an older birth date, which is for TR002 to judge. */
static int day_of(const char *s, day_t *d)
{
    int v[3] = {0, 0, 0};
    const int len[3] = {4, 2, 2};
    if (!s) return 0;
    const char *p = s;
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < len[k]; i++, p++) {
            if (*p < '0' || *p > '9') return 0;
            v[k] = v[k] * 10 + (*p - '0');
        }
        if (*p != (k < 2 ? '-' : '\0')) return 0;
        p++;
    }
    if (v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31) return 0;
    day_t day = day_from_ymd(v[0], v[1], v[2]);
    int y, m, dd;
    day_to_ymd(day, &y, &m, &dd);
    if (y != v[0] || m != v[1] || dd != v[2]) return 0; /* 31 April, 29 February 2025 */
    *d = day;
    return 1;
}

static day_t month_end(day_t d)
{
    int y, m, dd;
    day_to_ymd(d, &y, &m, &dd);
    return m == 12 ? day_from_ymd(y, 12, 31) : day_from_ymd(y, m + 1, 0);
}

static int month_first(day_t d)
{
    int y, m, dd;
    day_to_ymd(d, &y, &m, &dd);
    return dd == 1;
}

/* The same day `years` years earlier (29 February may become 1 March). */
static day_t years_before(day_t d, int years)
{
    int y, m, dd;
    day_to_ymd(d, &y, &m, &dd);
    return day_from_ymd(y - years, m, dd);
}

/* "Einddatum groter dan 31-12-2020 of leeg": 1 when end is absent or a date
 * from 2021 on; 0 when earlier or not a date. */
static int open_or_after_2020(const ctx_t *c, const char *end)
{
    day_t e;
    return !end || (day_of(end, &e) && e >= c->y2021);
}

static int in_range(int64_t v, int64_t max)
{
    return v != ISTD_NONE && v >= 0 && v <= max;
}

/* "€ 12,34" for 0 <= cents <= MAX_TOTAL. */
static const char *euro(char *buf, size_t n, int64_t cents)
{
    uint64_t v = cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;
    snprintf(buf, n, "%s€ %" PRIu64 ",%02" PRIu64, cents < 0 ? "-" : "", v / 100, v % 100);
    return buf;
}

/* "€ 12,34 debet" or "€ 12,34 credit" for a signed amount. */
static const char *euro_dc(char *buf, size_t n, int64_t signed_cents)
{
    char e[40];
    snprintf(buf, n, "%s %s", euro(e, sizeof e, signed_cents < 0 ? -signed_cents : signed_cents),
             signed_cents < 0 ? "credit" : "debet");
    return buf;
}

/* DATUM: a present date must be a real day. */
static void date_ok(ctx_t *c, const char *s, const char *base, const char *leaf)
{
    day_t d;
    if (s && !day_of(s, &d))
        reject(c, "DATUM", base, leaf, "'%.24s' is geen bestaande datum in de vorm JJJJ-MM-DD.", s);
}

/* ---- header and client ------------------------------------------------- */

/* TR135: the Dagtekening is an existing date, not after today (8848). */
static void check_tr135(ctx_t *c, const char *today)
{
    const char *s = c->m->header.id.dagtekening;
    day_t d, t;
    if (!s) {
        finding(c, &c->m->header.codes, "TR135", "8848", "Header/BerichtIdentificatie", "Dagtekening",
                "Dagtekening ontbreekt.");
        return;
    }
    if (!day_of(s, &d)) {
        finding(c, &c->m->header.codes, "TR135", "8848", "Header/BerichtIdentificatie", "Dagtekening",
                "Dagtekening '%.24s' is geen bestaande datum.", s);
        return;
    }
    c->has_dag = 1;
    c->dag = d;
    if (day_of(today, &t) && d > t)
        finding(c, &c->m->header.codes, "TR135", "8848", "Header/BerichtIdentificatie", "Dagtekening",
                "Dagtekening %s ligt na vandaag (%s).", s, today);
}

/* CS002: every Bsn passes the elfproef (the number itself is not repeated in
 * the text: reports may be shown and stored). */
static void check_bsn(ctx_t *c, const char *bsn, const char *base)
{
    if (bsn && !istd_bsn_valid(bsn)) reject(c, "CS002", base, "Bsn", "Het BSN voldoet niet aan de elfproef.");
}

/* TR002: at most 120 years before the Dagtekening, unless unknown
 * (DatumGebruik 3). With only the month or year known (1, 2) the latest day
 * the date can stand for is used. */
static void check_birth(ctx_t *c, const istd_geboortedatum_t *g, const char *base)
{
    day_t b;
    date_ok(c, g->datum, base, "Geboortedatum");
    if (!c->has_dag || is(g->gebruik, "3") || !day_of(g->datum, &b)) return;
    int y, m, d;
    day_to_ymd(b, &y, &m, &d);
    if (is(g->gebruik, "1"))
        b = month_end(b);
    else if (is(g->gebruik, "2"))
        b = day_from_ymd(y, 12, 31);
    if (b < years_before(c->dag, 120))
        reject(c, "TR002", base, "Geboortedatum", "Geboortedatum %s ligt meer dan 120 jaar voor de dagtekening %s.",
               g->datum, c->m->header.id.dagtekening);
}

/* [1-9][0-9]{3}[a-zA-Z]{2} */
static int nl_postcode(const char *s)
{
    if (strlen(s) != 6 || s[0] < '1' || s[0] > '9') return 0;
    for (int i = 1; i < 4; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    for (int i = 4; i < 6; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) return 0;
    return 1;
}

/* One Contact of a 301 (of the client or of a Relatie). */
static void check_contact(ctx_t *c, const istd_contact_t *k, const char *base)
{
    char per[SUB_LEN];
    day_t b, e;
    snprintf(per, sizeof per, "%s/Periode", base);
    date_ok(c, k->periode.begindatum, per, "Begindatum");
    date_ok(c, k->periode.einddatum, per, "Einddatum");
    if (day_of(k->periode.begindatum, &b) && day_of(k->periode.einddatum, &e) && e < b)
        reject(c, "CS003", per, "Einddatum", "Einddatum %s ligt voor begindatum %s.", k->periode.einddatum,
               k->periode.begindatum);
    if (is(k->adres.landcode, "NL") && k->adres.postcode && !nl_postcode(k->adres.postcode))
        reject(c, "CS089", base, "Adres/Postcode",
               "Postcode '%.8s' is geen Nederlandse postcode: vier cijfers (niet beginnend met 0) en twee letters, "
               "zoals 1234AB.",
               k->adres.postcode);
    int phone = k->telefoon.t1.telefoonnummer || k->telefoon.t2.telefoonnummer;
    int house = k->adres.huis.huisnummer != ISTD_NONE && k->adres.postcode;
    if (!phone && !house)
        reject(c, "TR006", base, NULL, "Een contact heeft een telefoonnummer of een huisnummer met postcode nodig.");
}

/* TR061: at least one BRP-, correspondence or residential address. */
static void check_tr061(ctx_t *c, const istd_client_t *cl)
{
    for (int i = 0; i < cl->n_contacten; i++) {
        const char *s = cl->contacten[i].soort;
        if (is(s, "01") || is(s, "02") || is(s, "03")) return;
    }
    reject(c, "TR061", "Client", "Contactgegevens",
           "De cliënt heeft geen BRP-adres, correspondentieadres of verblijfadres (Soort 01, 02 of 03).");
}

/* ---- products: Omvang, Budget, periods ----------------------------------- */

/* The product part shared by ToegewezenProduct, AangevraagdProduct,
 * TeWijzigenProduct and NieuwProduct. */
typedef struct pview {
    const char *base;              /* path of the class */
    const istd_product_t *product; /* NULL: the class has no Product */
    const istd_omvang_t *omvang;
    int64_t budget;
    const char *begin, *end; /* the period assigned or asked for */
    const char *begin_leaf, *end_leaf;
    const char *rule_no_code; /* CD080, CD095, CD096, or NULL */
    const char *rule_freq;    /* CS338 or CS343 */
} pview_t;

static int omvang_filled(const istd_omvang_t *o)
{
    return o->volume != ISTD_NONE || o->eenheid || o->frequentie;
}

static void check_period(ctx_t *c, const pview_t *p)
{
    day_t b, e;
    date_ok(c, p->begin, p->base, p->begin_leaf);
    date_ok(c, p->end, p->base, p->end_leaf);
    if (day_of(p->begin, &b) && day_of(p->end, &e) && e < b)
        reject(c, "CS003", p->base, p->end_leaf, "%s %s ligt voor %s %s.", p->end_leaf, p->end, p->begin_leaf,
               p->begin);
    if (p->budget != ISTD_NONE && !p->end)
        reject(c, "CD075", p->base, p->end_leaf, "Bij een Budget is %s verplicht.", p->end_leaf);
    if (is(p->omvang->frequentie, "2") && !p->end)
        reject(c, "CD076", p->base, p->end_leaf, "Bij frequentie 2 (per week) is %s verplicht.", p->end_leaf);
}

/* CD041, CD077, CD078, CD079 and CD080/CD095/CD096: Product, Omvang, Budget. */
static void check_omvang_budget(ctx_t *c, const pview_t *p)
{
    int omvang = omvang_filled(p->omvang), budget = p->budget != ISTD_NONE;
    const char *code = p->product ? p->product->code : NULL;
    if (code && !omvang) reject(c, "CD041", p->base, "Omvang", "Bij productcode %.5s hoort een Omvang.", code);
    if (budget && omvang) {
        reject(c, "CD077", p->base, "Omvang", "Omvang blijft leeg als er een Budget is.");
        reject(c, "CD078", p->base, "Budget", "Budget blijft leeg als er een Omvang is.");
    }
    if (p->product && !budget && !p->product->categorie && !p->product->code)
        reject(c, "CD079", p->base, "Product", "Zonder Budget is een Product verplicht.");
    if (p->rule_no_code && !code && omvang && open_or_after_2020(c, p->end))
        reject(c, p->rule_no_code, p->base, "Omvang",
               "Zonder productcode blijft Omvang leeg als %s leeg is of na 31-12-2020 ligt.", p->end_leaf);
}

/* CS338/CS343: units 14, 16, 83, 84 from 2021 on go with frequency 2, 4 or 6. */
static void check_frequency(ctx_t *c, const pview_t *p)
{
    const char *u = p->omvang->eenheid, *f = p->omvang->frequentie;
    if (!(is(u, "14") || is(u, "16") || is(u, "83") || is(u, "84")) || !open_or_after_2020(c, p->end)) return;
    if (!(is(f, "2") || is(f, "4") || is(f, "6")))
        reject(c, p->rule_freq, p->base, "Omvang/Frequentie",
               "Bij eenheid %s hoort frequentie 2 (per week), 4 (per maand) of 6 (totaal binnen de geldigheidsduur).",
               u);
}

static void check_product(ctx_t *c, const pview_t *p)
{
    check_period(c, p);
    check_omvang_budget(c, p);
    check_frequency(c, p);
}

/* ---- TR302, TR386, TR410: one product, periods not overlapping ------------ */

typedef struct span {
    const char *cat, *code; /* NULL: not given */
    day_t begin, end;       /* end OPEN_END: open */
    int idx;                /* 0-based place in its list */
    int done;               /* already reported */
} span_t;

typedef struct spans {
    const char *rule;
    const char *list, *item; /* "Client/ToegewezenProducten", "ToegewezenProduct" */
    span_t *v;
    int n;
} spans_t;

static spans_t spans_new(ctx_t *c, int cap, const char *rule, const char *list, const char *item)
{
    spans_t s = {rule, list, item, arena_alloc(c->r->arena, sizeof(span_t) * (size_t)(cap > 0 ? cap : 0)), 0};
    return s;
}

/* Adds a product with its period, when the period is valid (otherwise the
 * DATUM or CS003 finding says so). */
static void spans_add(spans_t *s, int idx, const char *cat, const char *code, const char *begin, const char *end)
{
    day_t b, e = OPEN_END;
    if (!day_of(begin, &b) || (end && !day_of(end, &e)) || e < b) return;
    s->v[s->n++] = (span_t){cat, code, b, e, idx, 0};
}

static int cmp_str(const char *a, const char *b)
{
    if (!a || !b) return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int cmp_begin(const span_t *a, const span_t *b)
{
    if (a->begin != b->begin) return a->begin < b->begin ? -1 : 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

static int by_begin(const void *x, const void *y)
{
    return cmp_begin(*(span_t *const *)x, *(span_t *const *)y);
}

static int by_category(const void *x, const void *y)
{
    const span_t *a = *(span_t *const *)x, *b = *(span_t *const *)y;
    int d = cmp_str(a->cat, b->cat);
    return d ? d : cmp_begin(a, b);
}

static int by_product(const void *x, const void *y)
{
    const span_t *a = *(span_t *const *)x, *b = *(span_t *const *)y;
    int d = cmp_str(a->cat, b->cat);
    if (!d) d = cmp_str(a->code, b->code);
    return d ? d : cmp_begin(a, b);
}

static void report_overlap(ctx_t *c, const spans_t *s, span_t *x, const span_t *o)
{
    char base[PATH_LEN], what[48];
    x->done = 1;
    snprintf(base, sizeof base, "%s/%s[%d]", s->list, s->item, x->idx + 1);
    if (x->code)
        snprintf(what, sizeof what, "Product %.5s (categorie %.2s)", x->code, x->cat ? x->cat : "");
    else if (x->cat)
        snprintf(what, sizeof what, "Productcategorie %.2s", x->cat);
    else
        snprintf(what, sizeof what, "Een product zonder categorie");
    reject(c, s->rule, base, NULL,
           "%s heeft een periode die overlapt met %s[%d]. Hetzelfde product mag alleen in aparte periodes voorkomen.",
           what, s->item, o->idx + 1);
}

enum { PROBE_ALL, PROBE_NO_CODE, PROBE_NO_CAT };

static int probed(const span_t *s, int probe)
{
    return probe == PROBE_NO_CODE ? !s->code : probe == PROBE_NO_CAT ? !s->cat : 1;
}

/* v[0..n) sorted by begin. PROBE_ALL: reports each span that overlaps one
 * starting earlier (every overlapping pair has such a member). Otherwise
 * only probed spans are reported, against any span, earlier (the largest end
 * so far) or later (the next begin). */
static void sweep(ctx_t *c, const spans_t *s, span_t **v, int n, int probe)
{
    int best = -1;
    for (int k = 0; k < n; k++) {
        span_t *x = v[k];
        const span_t *o = NULL;
        if (!x->done && probed(x, probe)) {
            if (best >= 0 && v[best]->end >= x->begin)
                o = v[best];
            else if (probe != PROBE_ALL && k + 1 < n && v[k + 1]->begin <= x->end)
                o = v[k + 1];
        }
        if (o) report_overlap(c, s, x, o);
        if (best < 0 || x->end > v[best]->end) best = k;
    }
}

/* "The same product": equal category and code; without a code every product
 * of the category; without a category every product (TR302 Toelichting). */
static void check_overlaps(ctx_t *c, const spans_t *s)
{
    int n = s->n;
    if (n < 2) return;
    span_t **v = arena_alloc(c->r->arena, sizeof *v * (size_t)n);
    for (int i = 0; i < n; i++) v[i] = &s->v[i];
    qsort(v, (size_t)n, sizeof *v, by_product);
    for (int i = 0; i < n;) {
        int j = i + 1;
        while (j < n && cmp_str(v[j]->cat, v[i]->cat) == 0 && cmp_str(v[j]->code, v[i]->code) == 0) j++;
        if (v[i]->cat && v[i]->code) sweep(c, s, v + i, j - i, PROBE_ALL);
        i = j;
    }
    qsort(v, (size_t)n, sizeof *v, by_category);
    for (int i = 0; i < n;) {
        int j = i + 1;
        while (j < n && cmp_str(v[j]->cat, v[i]->cat) == 0) j++;
        if (v[i]->cat) sweep(c, s, v + i, j - i, PROBE_NO_CODE);
        i = j;
    }
    qsort(v, (size_t)n, sizeof *v, by_begin);
    sweep(c, s, v, n, PROBE_NO_CAT);
}

/* ---- uniqueness by sorting --------------------------------------------- */

typedef struct keyed {
    const char *key;
    int ord;  /* order in the message */
    int i, j; /* where: (product) or (client, prestatie) */
} keyed_t;

static int by_key(const void *x, const void *y)
{
    const keyed_t *a = x, *b = y;
    int d = strcmp(a->key, b->key);
    return d ? d : (a->ord > b->ord) - (a->ord < b->ord);
}

static int by_key_only(const void *x, const void *y)
{
    return strcmp(((const keyed_t *)x)->key, ((const keyed_t *)y)->key);
}

/* ---- 301 ----------------------------------------------------------------- */

static int deleted(const istd_toegewezen_t *t)
{
    return (is(t->reden_wijziging, "13") || is(t->reden_wijziging, "01")) && is(t->ingangsdatum, t->einddatum);
}

static void check_toegewezen(ctx_t *c, const istd_toegewezen_t *t, const char *base)
{
    pview_t p = {base,         &t->product,    &t->omvang,  t->budget, t->ingangsdatum,
                 t->einddatum, "Ingangsdatum", "Einddatum", "CD080",   "CS338"};
    date_ok(c, t->toewijzingsdatum, base, "Toewijzingsdatum");
    check_product(c, &p);
    if (is(t->reden_wijziging, "13") && !is(t->ingangsdatum, t->einddatum))
        reject(c, "CS335", base, "RedenWijziging",
               "RedenWijziging 13 (verwijderd) mag alleen als Ingangsdatum en Einddatum gelijk zijn.");
    if (is(t->reden_wijziging, "01"))
        reject(c, "CS336", base, "RedenWijziging", "RedenWijziging 01 (administratieve correctie) is vervallen.");
}

static void check_301(ctx_t *c)
{
    istd_client_t *cl = &c->m->client;
    char base[PATH_LEN];
    check_bsn(c, cl->bsn, "Client");
    check_birth(c, &cl->geboortedatum, "Client");
    for (int i = 0; i < cl->n_relaties; i++) {
        snprintf(base, sizeof base, "Client/Relaties/Relatie[%d]", i + 1);
        check_birth(c, &cl->relaties[i].geboortedatum, base);
        snprintf(base, sizeof base, "Client/Relaties/Relatie[%d]/Contact", i + 1);
        check_contact(c, &cl->relaties[i].contact, base);
    }
    for (int i = 0; i < cl->n_contacten; i++) {
        snprintf(base, sizeof base, "Client/Contactgegevens/Contact[%d]", i + 1);
        check_contact(c, &cl->contacten[i], base);
    }
    check_tr061(c, cl);
    spans_t s = spans_new(c, cl->n_toegewezen, "TR302", "Client/ToegewezenProducten", "ToegewezenProduct");
    for (int i = 0; i < cl->n_toegewezen; i++) {
        const istd_toegewezen_t *t = &cl->toegewezen[i];
        snprintf(base, sizeof base, "Client/ToegewezenProducten/ToegewezenProduct[%d]", i + 1);
        check_toegewezen(c, t, base);
        if (!deleted(t)) spans_add(&s, i, t->product.categorie, t->product.code, t->ingangsdatum, t->einddatum);
    }
    check_overlaps(c, &s);
}

/* ---- 305, 307 ------------------------------------------------------------ */

static void check_startstop(ctx_t *c, const istd_startstop_t *s, const char *base, int stop)
{
    day_t b, e;
    date_ok(c, s->toewijzing_ingangsdatum, base, "ToewijzingIngangsdatum");
    date_ok(c, s->begindatum, base, "Begindatum");
    if (stop) {
        date_ok(c, s->einddatum, base, "Einddatum");
        if (day_of(s->begindatum, &b) && day_of(s->einddatum, &e) && e < b)
            reject(c, "TR018", base, "Einddatum", "Einddatum %s ligt voor begindatum %s.", s->einddatum, s->begindatum);
    }
    if (s->status_aanlevering && !is(s->status_aanlevering, "1") && !is(s->status_aanlevering, "3"))
        reject(c, "CS058", base, "StatusAanlevering",
               "StatusAanlevering moet 1 (eerste aanlevering) of 3 (verwijderen aanlevering) zijn, niet %.2s.",
               s->status_aanlevering);
}

static void check_305_307(ctx_t *c, int stop)
{
    istd_client_t *cl = &c->m->client;
    char base[PATH_LEN];
    check_bsn(c, cl->bsn, "Client");
    check_birth(c, &cl->geboortedatum, "Client");
    int n = stop ? cl->n_stops : cl->n_starts;
    for (int i = 0; i < n; i++) {
        snprintf(base, sizeof base,
                 stop ? "Client/StopProducten/StopProduct[%d]" : "Client/StartProducten/StartProduct[%d]", i + 1);
        check_startstop(c, stop ? &cl->stops[i] : &cl->starts[i], base, stop);
    }
}

/* ---- 315 ----------------------------------------------------------------- */

static void check_aangevraagd(ctx_t *c, const istd_aangevraagd_t *a, const char *base)
{
    pview_t p = {base,
                 &a->product,
                 &a->omvang,
                 a->budget,
                 a->toewijzing_ingangsdatum,
                 a->toewijzing_einddatum,
                 "ToewijzingIngangsdatum",
                 "ToewijzingEinddatum",
                 "CD095",
                 "CS343"};
    date_ok(c, a->beschikking_ingangsdatum, base, "BeschikkingIngangsdatum");
    if ((a->beschikkingnummer != ISTD_NONE) != (a->beschikking_ingangsdatum != NULL))
        reject(c, "CD043", base, "BeschikkingIngangsdatum",
               a->beschikking_ingangsdatum ? "Zonder BeschikkingNummer blijft BeschikkingIngangsdatum leeg."
                                           : "Bij een BeschikkingNummer is BeschikkingIngangsdatum verplicht.");
    check_product(c, &p);
}

/* TR383: ReferentieAanbieder unique per AangevraagdProduct. */
static void check_tr383(ctx_t *c, const istd_client_t *cl)
{
    keyed_t *v = arena_alloc(c->r->arena, sizeof *v * (size_t)(cl->n_aangevraagd > 0 ? cl->n_aangevraagd : 0));
    int n = 0;
    for (int i = 0; i < cl->n_aangevraagd; i++)
        if (cl->aangevraagd[i].referentie_aanbieder)
            v[n++] = (keyed_t){cl->aangevraagd[i].referentie_aanbieder, i, i, 0};
    qsort(v, (size_t)n, sizeof *v, by_key);
    for (int k = 1; k < n; k++) {
        if (strcmp(v[k].key, v[k - 1].key) != 0) continue;
        char base[PATH_LEN];
        snprintf(base, sizeof base, "Client/AangevraagdeProducten/AangevraagdProduct[%d]", v[k].i + 1);
        reject(c, "TR383", base, "ReferentieAanbieder",
               "ReferentieAanbieder %.36s komt ook voor bij AangevraagdProduct[%d].", v[k].key, v[k - 1].i + 1);
    }
}

static void check_315(ctx_t *c)
{
    istd_client_t *cl = &c->m->client;
    char base[PATH_LEN];
    check_bsn(c, cl->bsn, "Client");
    check_birth(c, &cl->geboortedatum, "Client");
    spans_t s = spans_new(c, cl->n_aangevraagd, "TR386", "Client/AangevraagdeProducten", "AangevraagdProduct");
    for (int i = 0; i < cl->n_aangevraagd; i++) {
        const istd_aangevraagd_t *a = &cl->aangevraagd[i];
        snprintf(base, sizeof base, "Client/AangevraagdeProducten/AangevraagdProduct[%d]", i + 1);
        check_aangevraagd(c, a, base);
        spans_add(&s, i, a->product.categorie, a->product.code, a->toewijzing_ingangsdatum, a->toewijzing_einddatum);
    }
    check_tr383(c, cl);
    check_overlaps(c, &s);
}

/* ---- 317 ----------------------------------------------------------------- */

static void check_nieuw(ctx_t *c, const istd_vowproduct_t *v, const char *base)
{
    pview_t p = {
        base,        &v->product, &v->omvang, v->budget, v->gewenste_ingangsdatum, v->einddatum, "GewensteIngangsdatum",
        "Einddatum", "CD096",     "CS338"};
    day_t g;
    check_product(c, &p);
    if (c->has_dag && day_of(v->gewenste_ingangsdatum, &g) && g <= c->dag)
        reject(c, "TR380", base, "GewensteIngangsdatum",
               "GewensteIngangsdatum %s van een nieuw product ligt niet na de dagtekening %s.",
               v->gewenste_ingangsdatum, c->m->header.id.dagtekening);
}

static void check_317(ctx_t *c)
{
    istd_client_t *cl = &c->m->client;
    istd_verzoek_t *vz = &cl->verzoek;
    char base[PATH_LEN];
    check_bsn(c, cl->bsn, "Client");
    if (vz->n_ongewijzigd + vz->n_tewijzigen == 0)
        reject(c, "TR352", "Client/Verzoek", NULL,
               "Een verzoek om wijziging bevat minstens één OngewijzigdProduct of TeWijzigenProduct.");
    if (vz->n_tewijzigen + vz->n_nieuw == 0)
        reject(c, "TR353", "Client/Verzoek", NULL,
               "Een verzoek om wijziging bevat minstens één TeWijzigenProduct of NieuwProduct.");
    for (int i = 0; i < vz->n_tewijzigen; i++) {
        const istd_vowproduct_t *v = &vz->tewijzigen[i];
        snprintf(base, sizeof base, "Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct[%d]", i + 1);
        pview_t p = {
            base,        NULL, &v->omvang, v->budget, v->gewenste_ingangsdatum, v->einddatum, "GewensteIngangsdatum",
            "Einddatum", NULL, "CS338"};
        check_product(c, &p);
    }
    spans_t s = spans_new(c, vz->n_nieuw, "TR410", "Client/Verzoek/NieuweProducten", "NieuwProduct");
    for (int i = 0; i < vz->n_nieuw; i++) {
        const istd_vowproduct_t *v = &vz->nieuw[i];
        snprintf(base, sizeof base, "Client/Verzoek/NieuweProducten/NieuwProduct[%d]", i + 1);
        check_nieuw(c, v, base);
        spans_add(&s, i, v->product.categorie, v->product.code, v->gewenste_ingangsdatum, v->einddatum);
    }
    check_overlaps(c, &s);
}

/* ---- 319 ----------------------------------------------------------------- */

static void check_319(ctx_t *c)
{
    const istd_antwoord_t *a = &c->m->antwoord;
    if (is(a->verzoek_antwoord, "1") && !a->reden_afwijzing)
        reject(c, "CD085", "Antwoord", "RedenAfwijzingVerzoek",
               "Bij VerzoekAntwoord 1 (verzoek afgewezen) is RedenAfwijzingVerzoek verplicht.");
    if (is(a->verzoek_antwoord, "2") && a->reden_afwijzing)
        reject(c, "CD086", "Antwoord", "RedenAfwijzingVerzoek",
               "Bij VerzoekAntwoord 2 (aanvraag in onderzoek) blijft RedenAfwijzingVerzoek leeg.");
    if (c->m->law != ISTD_JW) return; /* Woonplaatsbeginsel exists in iJw only */
    int wpb = a->woonplaatsbeginsel.gemeente != NULL;
    if (is(a->reden_afwijzing, "8") && !wpb)
        reject(c, "TR377", "Antwoord", "Woonplaatsbeginsel",
               "Bij RedenAfwijzingVerzoek 8 (woonplaatsbeginsel) hoort de klasse Woonplaatsbeginsel.");
    if (!is(a->reden_afwijzing, "8") && wpb)
        reject(c, "TR409", "Antwoord", "Woonplaatsbeginsel",
               "Woonplaatsbeginsel alleen opnemen bij RedenAfwijzingVerzoek 8 (woonplaatsbeginsel).");
}

/* ---- 323, 325 ------------------------------------------------------------ */

/* CS325: an amount of 0 is debit. */
static void check_zero_debit(ctx_t *c, const istd_bedrag_t *b, const char *base, const char *leaf)
{
    if (b->bedrag == 0 && !is(b->dc, "D"))
        reject(c, "CS325", base, leaf, "Bij een bedrag van € 0,00 moet DebetCredit D (debet) zijn.");
}

/* TR137 on a GeslotenPeriode: end >= begin and not after the Dagtekening.
 * Returns 1 when both dates are valid and in order. */
static int check_closed_period(ctx_t *c, const istd_periode_t *p, const char *per, day_t *b, day_t *e)
{
    date_ok(c, p->begindatum, per, "Begindatum");
    date_ok(c, p->einddatum, per, "Einddatum");
    int hb = day_of(p->begindatum, b), he = day_of(p->einddatum, e);
    if (he && c->has_dag && *e > c->dag)
        reject(c, "TR137", per, "Einddatum", "Einddatum %s ligt na de dagtekening van het bericht (%s).", p->einddatum,
               c->m->header.id.dagtekening);
    if (hb && he && *e < *b) {
        reject(c, "TR137", per, "Einddatum", "Einddatum %s ligt voor begindatum %s.", p->einddatum, p->begindatum);
        return 0;
    }
    return hb && he;
}

/* CS100: not before 2021-01-01 (one finding per period). */
static void check_cs100(ctx_t *c, const istd_periode_t *p, const char *per)
{
    day_t b, e;
    if (day_of(p->begindatum, &b) && b < c->y2021)
        reject(c, "CS100", per, "Begindatum", "Begindatum %s ligt voor 1 januari 2021.", p->begindatum);
    else if (day_of(p->einddatum, &e) && e < c->y2021)
        reject(c, "CS100", per, "Einddatum", "Einddatum %s ligt voor 1 januari 2021.", p->einddatum);
}

static int64_t ceil_div(int64_t a, int64_t b)
{
    return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* IV081: an hourly tariff claimed in minutes (unit 01) that is not divisible
 * by 60 has no whole cents per minute; the amount is then hourly tariff x
 * minutes / 60 rounded to cents, and ProductTarief the tariff per minute
 * rounded. Fits when some hourly tariff H (whole cents) has
 * |H/60 - tarief| <= 1/2 and |volume x H/60 - bedrag| <= 1/2.
 * All values are in 0..MAX_AMOUNT, so nothing here overflows. */
static int minute_amount_fits(int64_t volume, int64_t tarief, int64_t bedrag)
{
    if (volume == 0) return bedrag == 0;
    int64_t hlo = 60 * tarief - 30, hhi = 60 * tarief + 30;
    int64_t qlo = ceil_div(60 * bedrag - 30, volume), qhi = floor_div(60 * bedrag + 30, volume);
    if (qlo > hlo) hlo = qlo;
    if (qhi < hhi) hhi = qhi;
    return hlo <= hhi;
}

/* CD087, CS339 and TR346 (323). */
static void check_amounts(ctx_t *c, istd_prestatie_t *p, const char *base)
{
    char e1[40], e2[40], e3[40];
    int euros = is(p->eenheid, "83");
    if (p->eenheid && !euros && p->tarief == ISTD_NONE)
        reject(c, "CD087", base, "ProductTarief", "Bij eenheid %.2s is ProductTarief verplicht.", p->eenheid);
    if (euros && p->tarief != ISTD_NONE)
        reject(c, "CD087", base, "ProductTarief", "Bij eenheid 83 (euro's) blijft ProductTarief leeg.");
    int64_t v = p->volume, t = p->tarief, b = p->bedrag.bedrag;
    if (!in_range(v, MAX_AMOUNT) || !in_range(b, MAX_AMOUNT)) return;
    if (euros && b != v)
        reject(c, "CS339", base, "IngediendBedrag",
               "Bij eenheid 83 (euro's) moet IngediendBedrag (%s) gelijk zijn aan GeleverdVolume (%s).",
               euro(e1, 40, b), euro(e2, 40, v));
    if (euros || !p->eenheid || !in_range(t, MAX_AMOUNT)) return;
    if (b == v * t || (is(p->eenheid, "01") && minute_amount_fits(v, t, b))) return;
    finding(c, &p->codes, "TR346", "9346", base, "IngediendBedrag",
            "IngediendBedrag %s is niet gelijk aan GeleverdVolume %" PRId64 " × ProductTarief %s = %s.",
            euro(e1, 40, b), v, euro(e2, 40, t), euro(e3, 40, v * t));
}

/* CD060: VorigReferentieNummer filled for credit, empty for debit. */
static void check_cd060(ctx_t *c, const istd_prestatie_t *p, const char *base)
{
    if (is(p->bedrag.dc, "C") && !p->referentie.vorig)
        reject(c, "CD060", base, "ProductReferentie/VorigReferentieNummer",
               "Bij een creditprestatie is VorigReferentieNummer verplicht.");
    if (is(p->bedrag.dc, "D") && p->referentie.vorig)
        reject(c, "CD060", base, "ProductReferentie/VorigReferentieNummer",
               "Bij een debetprestatie blijft VorigReferentieNummer leeg.");
}

static void check_prestatie(ctx_t *c, istd_prestatie_t *p, const char *base, int heen, int has_decl_dag, day_t decl_dag)
{
    char per[SUB_LEN];
    day_t b, e;
    snprintf(per, sizeof per, "%s/ProductPeriode", base);
    int ordered = check_closed_period(c, &p->periode, per, &b, &e);
    if (heen) {
        int y1, m1, d1, y2, m2, d2;
        if (ordered) {
            day_to_ymd(b, &y1, &m1, &d1);
            day_to_ymd(e, &y2, &m2, &d2);
            if (y1 != y2 || m1 != m2)
                reject(c, "CS337", per, NULL,
                       "De ProductPeriode (%s tot en met %s) valt niet binnen één kalendermaand.",
                       p->periode.begindatum, p->periode.einddatum);
        }
        check_cs100(c, &p->periode, per);
        if (has_decl_dag && day_of(p->periode.einddatum, &e) && e < years_before(decl_dag, 5))
            reject(c, "TR335", per, "Einddatum", "Einddatum %s ligt meer dan 5 jaar voor de DeclaratieDagtekening.",
                   p->periode.einddatum);
        check_amounts(c, p, base);
    }
    check_zero_debit(c, &p->bedrag, base, "IngediendBedrag");
    check_cd060(c, p, base);
}

static void prestatie_path(char *out, size_t n, const char *root, int i, int j)
{
    snprintf(out, n, "%s/Clienten/Client[%d]/Prestaties/Prestatie[%d]", root, i + 1, j + 1);
}

static int count_prestaties(const istd_declaratie_t *d)
{
    int n = 0;
    for (int i = 0; i < d->n_clienten; i++) n += d->clienten[i].n_prestaties;
    return n;
}

/* TR358: TotaalIngediendBedrag = the signed sum of the Prestaties. */
static void check_tr358(ctx_t *c, const istd_declaratie_t *d)
{
    const istd_bedrag_t *t = &d->ingediend;
    if (!in_range(t->bedrag, MAX_TOTAL) || !(is(t->dc, "D") || is(t->dc, "C"))) return;
    int64_t sum = 0;
    for (int i = 0; i < d->n_clienten; i++)
        for (int j = 0; j < d->clienten[i].n_prestaties; j++) {
            const istd_bedrag_t *b = &d->clienten[i].prestaties[j].bedrag;
            if (!in_range(b->bedrag, MAX_AMOUNT) || !(is(b->dc, "D") || is(b->dc, "C"))) return;
            if (__builtin_add_overflow(sum, is(b->dc, "C") ? -b->bedrag : b->bedrag, &sum)) return;
        }
    int64_t total = is(t->dc, "C") ? -t->bedrag : t->bedrag;
    if (sum == total) return;
    char e1[64], e2[64];
    reject(c, "TR358", "Declaratie", "TotaalIngediendBedrag",
           "TotaalIngediendBedrag is %s, maar de som van de prestaties is %s.", euro_dc(e1, 64, total),
           euro_dc(e2, 64, sum));
}

/* TR315 (VorigReferentieNummer unique in the message), TR316 (no Prestatie
 * of this message credited in it) and TR416 (one debit per product, period
 * and assignment). */
static void check_refs(ctx_t *c, const istd_declaratie_t *d)
{
    arena_t *a = c->r->arena;
    size_t total = (size_t)count_prestaties(d);
    keyed_t *vorig = arena_alloc(a, sizeof *vorig * total), *nummer = arena_alloc(a, sizeof *nummer * total),
            *debit = arena_alloc(a, sizeof *debit * total);
    int nv = 0, nn = 0, nd = 0, ord = 0;
    char base[PATH_LEN];
    for (int i = 0; i < d->n_clienten; i++)
        for (int j = 0; j < d->clienten[i].n_prestaties; j++, ord++) {
            const istd_prestatie_t *p = &d->clienten[i].prestaties[j];
            if (p->referentie.vorig) vorig[nv++] = (keyed_t){p->referentie.vorig, ord, i, j};
            if (p->referentie.nummer) nummer[nn++] = (keyed_t){p->referentie.nummer, ord, i, j};
            if (is(p->bedrag.dc, "D"))
                debit[nd++] = (keyed_t){arena_printf(a, "%" PRId64 "\x1f%s\x1f%s\x1f%s\x1f%s", p->toewijzingnummer,
                                                     p->periode.begindatum ? p->periode.begindatum : "",
                                                     p->periode.einddatum ? p->periode.einddatum : "",
                                                     p->categorie ? p->categorie : "", p->code ? p->code : ""),
                                        ord, i, j};
        }
    qsort(vorig, (size_t)nv, sizeof *vorig, by_key);
    qsort(nummer, (size_t)nn, sizeof *nummer, by_key);
    qsort(debit, (size_t)nd, sizeof *debit, by_key);
    for (int k = 0; k < nv; k++) {
        prestatie_path(base, sizeof base, "Declaratie", vorig[k].i, vorig[k].j);
        if (k > 0 && strcmp(vorig[k].key, vorig[k - 1].key) == 0)
            reject(c, "TR315", base, "ProductReferentie/VorigReferentieNummer",
                   "VorigReferentieNummer %.20s komt meer dan eens voor in dit bericht.", vorig[k].key);
        if (nn && bsearch(&vorig[k], nummer, (size_t)nn, sizeof *nummer, by_key_only))
            reject(c, "TR316", base, "ProductReferentie/VorigReferentieNummer",
                   "De prestatie %.20s wordt in hetzelfde bericht gecrediteerd.", vorig[k].key);
    }
    for (int k = 1; k < nd; k++) {
        if (strcmp(debit[k].key, debit[k - 1].key) != 0) continue;
        prestatie_path(base, sizeof base, "Declaratie", debit[k].i, debit[k].j);
        reject(c, "TR416", base, NULL,
               "Er is in dit bericht al een debetprestatie voor dezelfde toewijzing, hetzelfde product en dezelfde "
               "ProductPeriode (Client[%d]/Prestatie[%d]).",
               debit[k - 1].i + 1, debit[k - 1].j + 1);
    }
}

static void check_323(ctx_t *c)
{
    istd_declaratie_t *d = &c->m->declaratie;
    const char *per = "Declaratie/DeclaratiePeriode";
    char base[PATH_LEN];
    day_t b, e, dd = 0;
    if (check_closed_period(c, &d->periode, per, &b, &e) && (!month_first(b) || e != month_end(b)))
        reject(c, "CS340", per, NULL, "De DeclaratiePeriode (%s tot en met %s) is niet precies één hele kalendermaand.",
               d->periode.begindatum, d->periode.einddatum);
    check_cs100(c, &d->periode, per);
    date_ok(c, d->dagtekening, "Declaratie", "DeclaratieDagtekening");
    int has_dd = day_of(d->dagtekening, &dd);
    check_zero_debit(c, &d->ingediend, "Declaratie", "TotaalIngediendBedrag");
    check_tr358(c, d);
    for (int i = 0; i < d->n_clienten; i++) {
        istd_client_t *cl = &d->clienten[i];
        snprintf(base, sizeof base, "Declaratie/Clienten/Client[%d]", i + 1);
        check_bsn(c, cl->bsn, base);
        for (int j = 0; j < cl->n_prestaties; j++) {
            prestatie_path(base, sizeof base, "Declaratie", i, j);
            check_prestatie(c, &cl->prestaties[j], base, 1, has_dd, dd);
        }
    }
    check_refs(c, d);
}

static void check_325(ctx_t *c)
{
    istd_declaratie_t *d = &c->m->declaratie;
    char base[PATH_LEN];
    date_ok(c, c->m->header.declaratie_id.dagtekening, "Header/DeclaratieIdentificatie", "Dagtekening");
    check_zero_debit(c, &d->ingediend, "DeclaratieAntwoord", "TotaalIngediendBedrag");
    check_zero_debit(c, &d->toegekend, "DeclaratieAntwoord", "TotaalToegekendBedrag");
    for (int i = 0; i < d->n_clienten; i++) {
        istd_client_t *cl = &d->clienten[i];
        snprintf(base, sizeof base, "DeclaratieAntwoord/Clienten/Client[%d]", i + 1);
        check_bsn(c, cl->bsn, base);
        for (int j = 0; j < cl->n_prestaties; j++) {
            prestatie_path(base, sizeof base, "DeclaratieAntwoord", i, j);
            check_prestatie(c, &cl->prestaties[j], base, 0, 0, 0);
        }
    }
}

/* ---- entry --------------------------------------------------------------- */

int istd_check_message(istd_msg_t *m, const char *today, istd_report_t *r)
{
    assert(m && r && r->arena);
    int before = r->n;
    if (istd_is_retour(m->kind) && m->kind != IK_325) return 0;
    ctx_t c = {.m = m, .r = r, .y2021 = day_from_ymd(2021, 1, 1)};
    check_tr135(&c, today);
    switch (m->kind) {
    case IK_301:
        check_301(&c);
        break;
    case IK_305:
        check_305_307(&c, 0);
        break;
    case IK_307:
        check_305_307(&c, 1);
        break;
    case IK_315:
        check_315(&c);
        break;
    case IK_317:
        check_317(&c);
        break;
    case IK_319:
        check_319(&c);
        break;
    case IK_323:
        check_323(&c);
        break;
    case IK_325:
        check_325(&c);
        break;
    default:
        break;
    }
    return r->n - before;
}
