/*
 * core.c - the fixed facts of the iStandaarden model: message numbers,
 * BerichtCodes, namespaces, XSD versions, and initialising structs so that
 * every integer starts absent (ISTD_NONE).
 */
#include "istd/istd.h"

#include <stdio.h>
#include <string.h>

static const int kind_numbers[IK_COUNT] = {
    301, 302, 305, 306, 307, 308, 315, 316, 317, 318, 319, 320, 323, 325,
};
/* DOMAIN.md §8: BerichtCode per kind, iWmo and iJw. */
static const int codes_wmo[IK_COUNT] = {
    414, 415, 418, 419, 420, 421, 444, 445, 480, 481, 482, 483, 484, 485,
};
static const int codes_jw[IK_COUNT] = {
    436, 437, 438, 439, 440, 441, 446, 447, 486, 487, 488, 489, 490, 491,
};

int istd_kind_number(istd_kind k)
{
    return (unsigned)k < IK_COUNT ? kind_numbers[k] : -1;
}

int istd_kind_of_number(int number)
{
    for (int k = 0; k < IK_COUNT; k++)
        if (kind_numbers[k] == number) return k;
    return -1;
}

static int law_ok(istd_law law) { return law == ISTD_WMO || law == ISTD_JW; }

int istd_berichtcode(istd_law law, istd_kind k)
{
    if (!law_ok(law) || (unsigned)k >= IK_COUNT) return -1;
    return law == ISTD_WMO ? codes_wmo[k] : codes_jw[k];
}

int istd_kind_of_berichtcode(int code, istd_law *law, istd_kind *kind)
{
    for (int k = 0; k < IK_COUNT; k++) {
        if (codes_wmo[k] == code) { *law = ISTD_WMO; *kind = (istd_kind)k; return 0; }
        if (codes_jw[k] == code) { *law = ISTD_JW; *kind = (istd_kind)k; return 0; }
    }
    return -1;
}

const char *istd_law_name(istd_law law)
{
    return law == ISTD_WMO ? "iwmo" : law == ISTD_JW ? "ijw" : "?";
}

const char *istd_message_name(istd_law law, istd_kind k)
{
    static const char *wmo[IK_COUNT] = {
        "WMO301", "WMO302", "WMO305", "WMO306", "WMO307", "WMO308", "WMO315",
        "WMO316", "WMO317", "WMO318", "WMO319", "WMO320", "WMO323", "WMO325",
    };
    static const char *jw[IK_COUNT] = {
        "JW301", "JW302", "JW305", "JW306", "JW307", "JW308", "JW315",
        "JW316", "JW317", "JW318", "JW319", "JW320", "JW323", "JW325",
    };
    if (!law_ok(law) || (unsigned)k >= IK_COUNT) return "?";
    return law == ISTD_WMO ? wmo[k] : jw[k];
}

void istd_namespace(istd_law law, istd_kind k, char *out, size_t n)
{
    snprintf(out, n, "http://www.istandaarden.nl/%s/3_2/%s%d/schema", istd_law_name(law),
             law == ISTD_WMO ? "wmo" : "jw", istd_kind_number(k));
}

int istd_is_retour(istd_kind k)
{
    switch (k) {
    case IK_302: case IK_306: case IK_308: case IK_316: case IK_318: case IK_320: case IK_325:
        return 1;
    default:
        return 0;
    }
}

int istd_retour_of(istd_kind k)
{
    switch (k) {
    case IK_301: return IK_302;
    case IK_305: return IK_306;
    case IK_307: return IK_308;
    case IK_315: return IK_316;
    case IK_317: return IK_318;
    case IK_319: return IK_320;
    case IK_323: return IK_325;
    default: return -1;
    }
}

int istd_sent_by_municipality(istd_kind k)
{
    switch (k) {
    case IK_301: case IK_319: case IK_306: case IK_308: case IK_316: case IK_318: case IK_325:
        return 1;
    default:
        return 0;
    }
}

void istd_codes_add(istd_codes_t *c, const char *code)
{
    if (!code || !*code || istd_codes_has(c, code) || c->n >= ISTD_MAX_CODES) return;
    snprintf(c->code[c->n], sizeof c->code[0], "%s", code);
    c->n++;
}

int istd_codes_has(const istd_codes_t *c, const char *code)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->code[i], code) == 0) return 1;
    return 0;
}

/* ---- initialising ----------------------------------------------------- */

static void init_contact(istd_contact_t *c)
{
    memset(c, 0, sizeof *c);
    c->adres.huis.huisnummer = ISTD_NONE;
}

static void init_omvang(istd_omvang_t *o)
{
    memset(o, 0, sizeof *o);
    o->volume = ISTD_NONE;
}

static void init_bedrag(istd_bedrag_t *b)
{
    memset(b, 0, sizeof *b);
    b->bedrag = ISTD_NONE;
}

void istd_init(istd_class_id c, void *obj)
{
    switch (c) {
    case ISTD_C_CONTACT:
        init_contact(obj);
        break;
    case ISTD_C_RELATIE: {
        istd_relatie_t *r = obj;
        memset(r, 0, sizeof *r);
        r->volgorde = ISTD_NONE;
        init_contact(&r->contact);
        break;
    }
    case ISTD_C_TOEGEWEZEN: {
        istd_toegewezen_t *t = obj;
        memset(t, 0, sizeof *t);
        t->toewijzingnummer = t->budget = ISTD_NONE;
        init_omvang(&t->omvang);
        break;
    }
    case ISTD_C_STARTSTOP: {
        istd_startstop_t *s = obj;
        memset(s, 0, sizeof *s);
        s->toewijzingnummer = ISTD_NONE;
        break;
    }
    case ISTD_C_AANGEVRAAGD: {
        istd_aangevraagd_t *a = obj;
        memset(a, 0, sizeof *a);
        a->beschikkingnummer = a->budget = ISTD_NONE;
        init_omvang(&a->omvang);
        break;
    }
    case ISTD_C_VOWPRODUCT: {
        istd_vowproduct_t *v = obj;
        memset(v, 0, sizeof *v);
        v->toewijzingnummer = v->budget = ISTD_NONE;
        init_omvang(&v->omvang);
        break;
    }
    case ISTD_C_PRESTATIE: {
        istd_prestatie_t *p = obj;
        memset(p, 0, sizeof *p);
        p->toewijzingnummer = p->volume = p->tarief = ISTD_NONE;
        init_bedrag(&p->bedrag);
        break;
    }
    case ISTD_C_CLIENT:
        memset(obj, 0, sizeof(istd_client_t));
        break;
    }
}

static size_t class_size(istd_class_id c)
{
    switch (c) {
    case ISTD_C_CONTACT: return sizeof(istd_contact_t);
    case ISTD_C_RELATIE: return sizeof(istd_relatie_t);
    case ISTD_C_TOEGEWEZEN: return sizeof(istd_toegewezen_t);
    case ISTD_C_STARTSTOP: return sizeof(istd_startstop_t);
    case ISTD_C_AANGEVRAAGD: return sizeof(istd_aangevraagd_t);
    case ISTD_C_VOWPRODUCT: return sizeof(istd_vowproduct_t);
    case ISTD_C_PRESTATIE: return sizeof(istd_prestatie_t);
    case ISTD_C_CLIENT: return sizeof(istd_client_t);
    }
    return 0;
}

void *istd_new(arena_t *a, istd_class_id c, int n)
{
    size_t sz = class_size(c);
    char *p = arena_alloc(a, sz * (size_t)(n > 0 ? n : 0));
    for (int i = 0; i < n; i++) istd_init(c, p + sz * (size_t)i);
    return p;
}

void istd_msg_init(istd_msg_t *m, istd_law law, istd_kind kind)
{
    memset(m, 0, sizeof *m);
    m->law = law;
    m->kind = kind;
    m->header.berichtcode = m->header.versie = m->header.subversie = ISTD_NONE;
    init_bedrag(&m->declaratie.ingediend);
    init_bedrag(&m->declaratie.toegekend);
}

/* The appinfo BerichtXsdVersie/BasisschemaXsdVersie of the schemas in
 * ../shared/istd/ (iWmo 1.0.0, iJw 0.1.0). */
const char *istd_xsd_version(istd_law law)
{
    return law == ISTD_WMO ? "1.0.0" : "0.1.0";
}

void istd_header_fill(istd_msg_t *m)
{
    m->header.berichtcode = istd_berichtcode(m->law, m->kind);
    m->header.versie = 3;
    m->header.subversie = 2;
    m->header.xsd.basis = m->header.xsd.bericht = (char *)istd_xsd_version(m->law);
}
