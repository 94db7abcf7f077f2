/* volunteer_match.c - vocabulary and explainable matching of volunteers (see
 * volunteer_match.h). Pure. */
#include "domain/volunteer_match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/geo.h"
#include "domain/socialmap.h"

/* ---- vocabulary -------------------------------------------------------- */

static const struct vm_term skills[] = {
    {"boodschappen", "Boodschappen doen"},
    {"vervoer", "Vervoer en mee naar afspraken"},
    {"gezelschap", "Gezelschap en een luisterend oor"},
    {"administratie", "Hulp bij post en administratie"},
    {"taalmaatje", "Taalmaatje (Nederlands oefenen)"},
    {"huiswerk", "Huiswerkbegeleiding"},
    {"klussen", "Klussen in en om het huis"},
    {"digitaal", "Digitale hulp (computer, telefoon)"},
    {"koken", "Samen koken"},
    {"sport", "Sporten en bewegen"},
    {"maatje", "Maatje voor een jongere"},
};

static const struct vm_term languages[] = {
    {"nl", "Nederlands"}, {"en", "Engels"},   {"ar", "Arabisch"},    {"tr", "Turks"},     {"pl", "Pools"},
    {"ber", "Berbers"},   {"ti", "Tigrinya"}, {"uk", "Oekraïens"},   {"so", "Somalisch"}, {"fa", "Farsi"},
};

/* Same order and bounds as the sociale kaart's groups (socialmap_age_groups,
 * the one place the bounds are kept); only the stored codes differ. */
static const struct vm_term age_groups[] = {
    {"kind", "Kinderen (tot 12 jaar)"},
    {"tiener", "Tieners (12 tot 18 jaar)"},
    {"jongvolwassene", "Jongvolwassenen (18 tot 27 jaar)"},
    {"volwassene", "Volwassenen (27 tot 65 jaar)"},
    {"oudere", "Ouderen (65 jaar en ouder)"},
};

static const struct vm_term days[] = {
    {"ma", "maandag"}, {"di", "dinsdag"},  {"wo", "woensdag"}, {"do", "donderdag"},
    {"vr", "vrijdag"}, {"za", "zaterdag"}, {"zo", "zondag"},
};

static const struct vm_term parts[] = {{"o", "ochtend"}, {"m", "middag"}, {"a", "avond"}};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

int vm_skill_count(void) { return COUNT(skills); }
const struct vm_term *vm_skill_at(int i) { return i >= 0 && i < COUNT(skills) ? &skills[i] : NULL; }
int vm_language_count(void) { return COUNT(languages); }
const struct vm_term *vm_language_at(int i) { return i >= 0 && i < COUNT(languages) ? &languages[i] : NULL; }
int vm_age_group_count(void) { return COUNT(age_groups); }
const struct vm_term *vm_age_group_at(int i) { return i >= 0 && i < COUNT(age_groups) ? &age_groups[i] : NULL; }
int vm_day_count(void) { return COUNT(days); }
const struct vm_term *vm_day_at(int i) { return i >= 0 && i < COUNT(days) ? &days[i] : NULL; }
int vm_part_count(void) { return COUNT(parts); }
const struct vm_term *vm_part_at(int i) { return i >= 0 && i < COUNT(parts) ? &parts[i] : NULL; }

static const char *label_in(const struct vm_term *t, int n, const char *code)
{
    for (int i = 0; code && i < n; i++)
        if (strcmp(t[i].code, code) == 0) return t[i].label;
    return NULL;
}

const char *vm_skill_label(const char *code) { return label_in(skills, COUNT(skills), code); }
const char *vm_language_label(const char *code) { return label_in(languages, COUNT(languages), code); }
const char *vm_age_group_label(const char *code) { return label_in(age_groups, COUNT(age_groups), code); }

_Static_assert(sizeof age_groups / sizeof age_groups[0] == 5, "one volunteer age group per sociale-kaart group");

const char *vm_age_group_of(int age)
{
    for (size_t i = 0; i < socialmap_age_group_count && i < (size_t)COUNT(age_groups); i++) {
        const struct socialmap_age_group *g = &socialmap_age_groups[i];
        if (age <= g->max_age || g->max_age < 0) return age_groups[i].code;
    }
    return age_groups[COUNT(age_groups) - 1].code;
}

int vm_slot_label(const char *slot, char *out, size_t n)
{
    if (n) out[0] = '\0';
    if (!slot) return -1;
    const char *dash = strchr(slot, '-');
    if (!dash || dash - slot != 2) return -1;
    char day[3] = {slot[0], slot[1], '\0'};
    const char *d = label_in(days, COUNT(days), day), *p = label_in(parts, COUNT(parts), dash + 1);
    if (!d || !p) return -1;
    snprintf(out, n, "%s%s", d, p);
    return 0;
}

int vm_slot_valid(const char *slot)
{
    char tmp[40];
    return vm_slot_label(slot, tmp, sizeof tmp) == 0;
}

int vm_list_has(const char *list, const char *code)
{
    size_t cl = code ? strlen(code) : 0;
    if (!list || !cl) return 0;
    for (const char *s = list; *s;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        if (len == cl && memcmp(s, code, cl) == 0) return 1;
        s += len;
        if (*s == ',') s++;
    }
    return 0;
}

int vm_list_count(const char *list)
{
    int n = 0;
    for (const char *s = list ? list : ""; *s;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        if (len) n++;
        s += len;
        if (*s == ',') s++;
    }
    return n;
}

/* Calls fn for every non-empty item of a comma list (copied, NUL-terminated,
 * items longer than 63 bytes skipped). */
static void each_item(const char *list, void (*fn)(const char *item, void *arg), void *arg)
{
    for (const char *s = list ? list : ""; *s;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        if (len > 0 && len < 64) {
            char item[64];
            memcpy(item, s, len);
            item[len] = '\0';
            fn(item, arg);
        }
        s += len;
        if (*s == ',') s++;
    }
}

/* ---- sentences ---------------------------------------------------------- */

/* Appends to a sentence buffer without overflowing. */
struct sb {
    char *p;
    size_t n, len;
};

static void sb_add(struct sb *b, const char *s)
{
    size_t k = strlen(s);
    if (b->len + 1 >= b->n) return;
    if (k > b->n - 1 - b->len) k = b->n - 1 - b->len;
    memcpy(b->p + b->len, s, k);
    b->len += k;
    b->p[b->len] = '\0';
}

/* "a", "a en b", "a, b en c" from collected labels. */
struct names {
    const char *label[32];
    int n;
};

static void names_join(const struct names *nm, struct sb *b)
{
    for (int i = 0; i < nm->n; i++) {
        if (i > 0) sb_add(b, i == nm->n - 1 ? " en " : ", ");
        sb_add(b, nm->label[i]);
    }
}

static void km_text(int64_t m, char *out, size_t n)
{
    int64_t tenths = (m + 50) / 100;
    snprintf(out, n, "%lld,%lld km", (long long)(tenths / 10), (long long)(tenths % 10));
}

/* ---- parts -------------------------------------------------------------- */

static void part_init(struct vm_part *p, const char *code, const char *label, int max)
{
    p->code = code;
    p->label = label;
    p->points = 0;
    p->max = max;
    p->text[0] = '\0';
}

static void score_distance(const struct vm_volunteer *v, const struct vm_request *r, struct vm_result *out)
{
    struct vm_part *p = &out->part[VM_DISTANCE];
    part_init(p, "afstand", "Afstand", 30);
    out->distance_m = -1;
    if (!r->has_geo || !v->has_geo) {
        snprintf(p->text, sizeof p->text, "Afstand onbekend: %s. Daarom geen punten voor afstand.",
                 !r->has_geo && !v->has_geo ? "van beide postcodes zijn geen coördinaten bekend"
                 : !r->has_geo ? "van de postcode van de vraag zijn geen coördinaten bekend"
                               : "van de postcode van de vrijwilliger zijn geen coördinaten bekend");
        return;
    }
    int64_t m = geo_distance_m(v->lat_e7, v->lon_e7, r->lat_e7, r->lon_e7);
    out->distance_m = m;
    p->points = m <= 1000 ? 30 : m <= 2000 ? 25 : m <= 3000 ? 20 : m <= 5000 ? 15 : m <= 10000 ? 5 : 0;
    char km[32];
    km_text(m, km, sizeof km);
    snprintf(p->text, sizeof p->text, "Woont %s van de plek van de vraag.", km);
}

struct skill_ctx {
    const char *have;
    struct names yes, no;
    int wanted;
};

static void skill_item(const char *code, void *arg)
{
    struct skill_ctx *c = arg;
    const char *label = vm_skill_label(code);
    if (!label) return;
    c->wanted++;
    struct names *nm = vm_list_has(c->have, code) ? &c->yes : &c->no;
    if (nm->n < 32) nm->label[nm->n++] = label;
}

static void score_skills(const struct vm_volunteer *v, const struct vm_request *r, struct vm_result *out)
{
    struct vm_part *p = &out->part[VM_SKILLS];
    part_init(p, "vaardigheden", "Vaardigheden", 30);
    struct skill_ctx c = {.have = v->skills};
    each_item(r->skills, skill_item, &c);
    if (c.wanted == 0) {
        snprintf(p->text, sizeof p->text, "Er zijn geen vaardigheden gevraagd.");
        return;
    }
    p->points = 30 * c.yes.n / c.wanted;
    struct sb b = {p->text, sizeof p->text, 0};
    if (c.yes.n) {
        sb_add(&b, "Kan: ");
        names_join(&c.yes, &b);
        sb_add(&b, ".");
    }
    if (c.no.n) {
        sb_add(&b, c.yes.n ? " Niet: " : "Heeft geen van de gevraagde vaardigheden: ");
        names_join(&c.no, &b);
        sb_add(&b, ".");
    }
}

struct slot_ctx {
    const char *have;
    struct names yes;
    char buf[32][24];
    int asked;
};

static void slot_item(const char *code, void *arg)
{
    struct slot_ctx *c = arg;
    if (!vm_slot_valid(code)) return;
    c->asked++;
    if (vm_list_has(c->have, code) && c->yes.n < 32) {
        vm_slot_label(code, c->buf[c->yes.n], sizeof c->buf[0]);
        c->yes.label[c->yes.n] = c->buf[c->yes.n];
        c->yes.n++;
    }
}

static void score_availability(const struct vm_volunteer *v, const struct vm_request *r, struct vm_result *out)
{
    struct vm_part *p = &out->part[VM_AVAILABILITY];
    part_init(p, "beschikbaarheid", "Beschikbaarheid", 20);
    struct slot_ctx c = {.have = v->slots};
    each_item(r->slots, slot_item, &c);
    if (c.asked == 0) {
        snprintf(p->text, sizeof p->text, "Er is geen dagdeel gevraagd.");
        return;
    }
    p->points = 20 * c.yes.n / c.asked;
    struct sb b = {p->text, sizeof p->text, 0};
    if (c.yes.n == 0) {
        sb_add(&b, "Kan op geen van de gevraagde dagdelen.");
        return;
    }
    char head[80];
    snprintf(head, sizeof head, "Kan op %d van de %d gevraagde dagdelen: ", c.yes.n, c.asked);
    sb_add(&b, head);
    names_join(&c.yes, &b);
    sb_add(&b, ".");
}

static void score_language(const struct vm_volunteer *v, const struct vm_request *r, struct vm_result *out)
{
    struct vm_part *p = &out->part[VM_LANGUAGE];
    part_init(p, "taal", "Taal", 10);
    const char *label = r->language && *r->language ? vm_language_label(r->language) : NULL;
    if (!label) {
        snprintf(p->text, sizeof p->text, "Er is geen taal gevraagd.");
        return;
    }
    if (vm_list_has(v->languages, r->language)) {
        p->points = 10;
        snprintf(p->text, sizeof p->text, "Spreekt %s.", label);
    } else {
        snprintf(p->text, sizeof p->text, "Spreekt geen %s.", label);
    }
}

static void score_age(const struct vm_volunteer *v, const struct vm_request *r, struct vm_result *out)
{
    struct vm_part *p = &out->part[VM_AGE];
    part_init(p, "leeftijd", "Leeftijdsgroep", 10);
    const char *group = vm_age_group_of(r->age < 0 ? 0 : r->age);
    const char *label = vm_age_group_label(group);
    if (vm_list_count(v->age_groups) == 0) {
        p->points = 5;
        snprintf(p->text, sizeof p->text, "Heeft geen voorkeur voor een leeftijdsgroep.");
    } else if (vm_list_has(v->age_groups, group)) {
        p->points = 10;
        snprintf(p->text, sizeof p->text, "Wil graag werken met %s.", label);
    } else {
        snprintf(p->text, sizeof p->text, "Werkt liever met een andere leeftijdsgroep dan %s.", label);
    }
}

void vm_score(const struct vm_volunteer *v, const struct vm_request *r, struct vm_result *out)
{
    memset(out, 0, sizeof *out);
    out->volunteer_id = v->id;
    score_distance(v, r, out);
    score_skills(v, r, out);
    score_availability(v, r, out);
    score_language(v, r, out);
    score_age(v, r, out);
    for (int i = 0; i < VM_PARTS; i++) out->score += out->part[i].points;

    if (!v->active) {
        out->excluded = 1;
        snprintf(out->reason, sizeof out->reason, "Niet actief: de vrijwilliger staat op non-actief.");
    } else if (r->age < VM_VOG_AGE && !v->vog) {
        out->excluded = 1;
        snprintf(out->reason, sizeof out->reason,
                 "Geen VOG: voor een match met iemand onder de 18 is een Verklaring Omtrent het Gedrag nodig.");
    } else if (r->age < VM_VOG_AGE && v->vog_days > VM_VOG_MAX_DAYS) {
        out->excluded = 1;
        snprintf(out->reason, sizeof out->reason,
                 "VOG te oud: afgegeven %d jaar geleden; voor een match met iemand onder de 18 mag de VOG niet ouder "
                 "zijn dan 3 jaar. Vraag een nieuwe aan.", v->vog_days / 365);
    } else if (v->max_km > 0 && out->distance_m >= 0 && out->distance_m > (int64_t)v->max_km * 1000) {
        char km[32];
        km_text(out->distance_m, km, sizeof km);
        out->excluded = 1;
        snprintf(out->reason, sizeof out->reason, "Te ver: woont %s weg en reist hoogstens %d km.", km, v->max_km);
    }
    if (!out->excluded && v->max_km > 0 && out->distance_m < 0) {
        struct sb b = {out->part[VM_DISTANCE].text, sizeof out->part[VM_DISTANCE].text,
                       strlen(out->part[VM_DISTANCE].text)};
        char more[96];
        snprintf(more, sizeof more, " Of de vraag binnen de %d km ligt die de vrijwilliger wil reizen, is niet na te gaan.",
                 v->max_km);
        sb_add(&b, more);
    }
}

static int cmp_result(const void *pa, const void *pb)
{
    const struct vm_result *a = pa, *b = pb;
    if (a->excluded != b->excluded) return a->excluded - b->excluded;
    if (!a->excluded) {
        if (a->score != b->score) return b->score - a->score;
        int ak = a->distance_m >= 0, bk = b->distance_m >= 0;
        if (ak != bk) return bk - ak;
        if (ak && a->distance_m != b->distance_m) return a->distance_m < b->distance_m ? -1 : 1;
    }
    return a->volunteer_id < b->volunteer_id ? -1 : a->volunteer_id > b->volunteer_id;
}

void vm_rank(struct vm_result *list, size_t n)
{
    if (n > 1) qsort(list, n, sizeof list[0], cmp_result);
}
