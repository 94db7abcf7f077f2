/*
 * test_istd_xml.c - the iStandaarden descriptor tables, writer, reader and
 * XSD validation against the official schemas in ../shared/istd (read,
 * never copied into the repository).
 *
 * 1. The tables of model.c against every message schema: for each of the
 *    28 messages, walking from the root element, every class's active
 *    fields must be exactly the xs:sequence of its complexType (names, order,
 *    minOccurs, namespace, text/integer, list wrappers and items).
 * 2. For both laws and all 14 kinds a richly filled sample (every element of
 *    the message's schema present at least once, lists with two items) is
 *    written, validated with istd_xsd_validate (and for a few with
 *    `xmllint --schema`), read back, and written again byte for byte.
 * 3. The reader refuses DTDs and entities (billion laughs, an external
 *    SYSTEM entity), unknown, misplaced, duplicated and wrongly namespaced
 *    elements, malformed, empty and oversized input and integers out of
 *    range; the validator reports bad values with "regel N"; the entity
 *    loader keeps schema imports inside the schema directory.
 * 4. Scale: a 323 with 10,000 Prestaties writes, validates and reads back.
 *
 * The iWmo retour schemas (WMO302, 306, 308, 316, 318, 320, 325) are not
 * published in ../shared/istd. This test DERIVES them (istd_fixture.h) in a
 * temporary directory from the iJw ones (namespaces ijw -> iwmo and jwNNN -> wmoNNN,
 * the iWmo BerichtCode in the pattern, without the iJw-only elements
 * GezagsdragerBekend and Woonplaatsbeginsel), as DOMAIN.md §8 and the
 * README say they mirror them. Validation of iWmo retours is therefore only
 * as good as that derivation.
 *
 * Run from the repository root (the schemas are in ../shared/istd), or set
 * KANTEL_SHARED to the shared directory.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/arena.h"
#include "core/buf.h"
#include "istd/istd.h"
#include "istd/model.h"
#include "istd_fixture.h"
#include "test.h"

#define S(x)  ((char *)(x))
#define XS_NS "http://www.w3.org/2001/XMLSchema"

static const istd_law laws[2] = {ISTD_WMO, ISTD_JW};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A report on one line (for CHECK messages). */
static const char *oneline(buf_t *b)
{
    for (size_t i = 0; i < b->len; i++)
        if (b->data[i] == '\n') b->data[i] = i + 1 == b->len ? ' ' : '|';
    return buf_cstr(b);
}

/* ---- samples ------------------------------------------------------------------ */

static const char COMMENT[] = "Zorg & \"begeleiding\" <tijdelijk> 'ok'\r\nTweede regel\tmet één — tab";

static const char *cat(istd_law l, int i)
{
    return l == ISTD_WMO ? (i ? "07" : "02") : (i ? "54" : "45");
}

static const char *pcode(istd_law l, int i)
{
    return l == ISTD_WMO ? (i ? "07A03" : "02A01") : (i ? "54001" : "45A48");
}

static void codes(istd_codes_t *c, int ret, const char *a, const char *b)
{
    if (!ret) return;
    istd_codes_add(c, a);
    if (b) istd_codes_add(c, b);
}

static void fill_naam(istd_naam_t *n, const char *achternaam)
{
    n->geslachtsnaam.achternaam = S(achternaam);
    n->geslachtsnaam.voorvoegsel = S("van der");
    n->partnernaam.achternaam = S("Bakker");
    n->partnernaam.voorvoegsel = S("de");
    n->voornamen = S("Pieter Émile");
    n->voorletters = S("PÉ");
    n->naamgebruik = S("1");
}

static void fill_contact(istd_contact_t *c, int i, int ret)
{
    c->soort = S(i ? "02" : "01");
    c->adres.huis.huisnummer = 12 + i;
    c->adres.huis.huisletter = S("A");
    c->adres.huis.toevoeging = S("bis");
    c->adres.huis.aanduiding = S("TO");
    c->adres.postcode = S("3511AB");
    c->adres.straatnaam = S("Oudegracht");
    c->adres.plaatsnaam = S("Utrecht");
    c->adres.landcode = S("NL");
    c->organisatie = S("Zorgboerderij 't Hof");
    c->telefoon.t1.telefoonnummer = S("0301234567");
    c->telefoon.t1.landnummer = S("0031");
    c->telefoon.t2.telefoonnummer = S("0612345678");
    c->telefoon.t2.landnummer = S("0031");
    c->email = S("client@example.nl");
    c->periode.begindatum = S("2024-01-01");
    c->periode.einddatum = S("2024-12-31");
    codes(&c->codes, ret, "0200", NULL);
}

static void fill_person(istd_client_t *c)
{
    c->geboortedatum.datum = S("2012-05-17");
    c->geboortedatum.gebruik = S("1");
    c->geslacht = S("2");
    fill_naam(&c->naam, "Jansen & Zn");
}

static void fill_301(arena_t *a, istd_msg_t *m, int ret)
{
    istd_law l = m->law;
    istd_client_t *c = &m->client;
    fill_person(c);
    c->communicatie.vorm = S("1");
    c->communicatie.taal = S("Nederlands");
    c->juridische_status = S("01");
    c->wettelijke_vertegenwoordiging = S("06");
    c->commentaar = S(COMMENT);
    c->n_relaties = 2;
    c->relaties = istd_new(a, ISTD_C_RELATIE, 2);
    for (int i = 0; i < 2; i++) {
        istd_relatie_t *r = &c->relaties[i];
        r->nummer = arena_printf(a, "R-%02d", 1 + i);
        r->volgorde = 1 + i;
        r->soort = S(i ? "05" : "03");
        r->geboortedatum.datum = S("1980-02-29");
        r->geboortedatum.gebruik = S("2");
        r->geslacht = S("1");
        fill_naam(&r->naam, i ? "Visser" : "Jansen");
        fill_contact(&r->contact, i, ret);
        codes(&r->codes, ret, "0200", NULL);
    }
    c->n_contacten = 2;
    c->contacten = istd_new(a, ISTD_C_CONTACT, 2);
    fill_contact(&c->contacten[0], 0, ret);
    fill_contact(&c->contacten[1], 1, ret);
    c->n_toegewezen = 2;
    c->toegewezen = istd_new(a, ISTD_C_TOEGEWEZEN, 2);
    for (int i = 0; i < 2; i++) {
        istd_toegewezen_t *t = &c->toegewezen[i];
        t->toewijzingnummer = 12345 + i;
        t->referentie_aanbieder = S(i ? "REF-B2" : "REF-A1");
        t->product.categorie = S(cat(l, i));
        t->product.code = S(pcode(l, i));
        t->toewijzingsdatum = S("2024-02-28");
        t->toewijzingstijd = S("14:30:00");
        t->ingangsdatum = S("2024-03-01");
        t->einddatum = S("2024-12-31");
        t->reden_wijziging = S("02");
        if (i == 0) {
            t->omvang.volume = 10;
            t->omvang.eenheid = S("04");
            t->omvang.frequentie = S("2");
        } else {
            t->budget = 150000;
        }
        t->commentaar = S("Toewijzing met <opmerking>");
        codes(&t->codes, ret, "0200", i ? "9321" : NULL);
    }
    codes(&c->codes, ret, "0200", NULL);
}

static void fill_startstop(arena_t *a, istd_msg_t *m, int ret, int stop)
{
    istd_client_t *c = &m->client;
    fill_person(c);
    istd_startstop_t *s = istd_new(a, ISTD_C_STARTSTOP, 2);
    for (int i = 0; i < 2; i++) {
        s[i].toewijzingnummer = 12345 + i;
        s[i].product.categorie = S(cat(m->law, i));
        s[i].product.code = S(pcode(m->law, i));
        s[i].toewijzing_ingangsdatum = S("2024-03-01");
        s[i].begindatum = S("2024-03-04");
        if (stop) {
            s[i].reden_beeindiging = S(i ? "20" : "02");
            s[i].einddatum = S("2024-06-30");
        }
        s[i].status_aanlevering = S(i ? "2" : "1");
        codes(&s[i].codes, ret, "0200", NULL);
    }
    if (stop)
        c->stops = s, c->n_stops = 2;
    else
        c->starts = s, c->n_starts = 2;
    codes(&c->codes, ret, "0200", NULL);
}

static void fill_315(arena_t *a, istd_msg_t *m, int ret)
{
    istd_client_t *c = &m->client;
    fill_person(c);
    c->gezagsdrager_bekend = S("1");
    c->commentaar = S(COMMENT);
    c->n_aangevraagd = 2;
    c->aangevraagd = istd_new(a, ISTD_C_AANGEVRAAGD, 2);
    for (int i = 0; i < 2; i++) {
        istd_aangevraagd_t *p = &c->aangevraagd[i];
        p->referentie_aanbieder = S(i ? "VOT-2" : "VOT-1");
        p->beschikkingnummer = 777 + i;
        p->product.categorie = S(cat(m->law, i));
        p->product.code = S(pcode(m->law, i));
        p->beschikking_ingangsdatum = S("2024-02-01");
        p->toewijzing_ingangsdatum = S("2024-03-01");
        p->toewijzing_einddatum = S("2024-08-31");
        if (i == 0) {
            p->omvang.volume = 3;
            p->omvang.eenheid = S("14");
            p->omvang.frequentie = S("4");
        } else {
            p->budget = 50000;
        }
        p->verwijzer.type = S(i ? "02" : "01");
        p->verwijzer.naam = S("Huisarts De Vries");
        p->verwijzer.zorgverlenercode = S("01234567");
        p->raamcontract = S("1");
        p->commentaar = S("Aanvraag");
        codes(&p->codes, ret, "0200", NULL);
    }
    codes(&c->codes, ret, "0200", NULL);
}

static void fill_vow(istd_vowproduct_t *v, int i, int kind, istd_law l, int ret)
{
    if (kind < 2) v->toewijzingnummer = 111 + i + 2 * kind;
    if (kind == 2) {
        v->product.categorie = S(cat(l, i));
        v->product.code = S(pcode(l, i));
    }
    if (kind > 0) {
        v->gewenste_ingangsdatum = S("2024-04-01");
        v->einddatum = S("2024-12-31");
        if (i == 0) {
            v->omvang.volume = 16;
            v->omvang.eenheid = S("16");
            v->omvang.frequentie = S("6");
        } else {
            v->budget = 99999;
        }
    }
    codes(&v->codes, ret, "0200", NULL);
}

static void fill_317(arena_t *a, istd_msg_t *m, int ret)
{
    istd_verzoek_t *v = &m->client.verzoek;
    m->client.bsn = S("999990019");
    v->referentie_aanbieder = S("VOW-1");
    v->reden_verzoek = S("1");
    istd_vowproduct_t **lists[3] = {&v->ongewijzigd, &v->tewijzigen, &v->nieuw};
    int *counts[3] = {&v->n_ongewijzigd, &v->n_tewijzigen, &v->n_nieuw};
    for (int k = 0; k < 3; k++) {
        *lists[k] = istd_new(a, ISTD_C_VOWPRODUCT, 2);
        *counts[k] = 2;
        for (int i = 0; i < 2; i++) fill_vow(&(*lists[k])[i], i, k, m->law, ret);
    }
    codes(&v->codes, ret, "0200", NULL);
    codes(&m->client.codes, ret, "0200", NULL);
}

static void fill_319(istd_msg_t *m, int ret)
{
    istd_antwoord_t *w = &m->antwoord;
    w->referentie_aanbieder = S("VOT-1");
    w->verzoek_antwoord = S("2");
    w->reden_afwijzing = S("3");
    w->woonplaatsbeginsel.gemeente = S("0344");
    codes(&w->woonplaatsbeginsel.codes, ret, "0200", NULL);
    codes(&w->codes, ret, "0200", NULL);
}

static void fill_prestaties(arena_t *a, istd_client_t *c, istd_law l, int n, int ret)
{
    c->n_prestaties = n;
    c->prestaties = istd_new(a, ISTD_C_PRESTATIE, n);
    for (int i = 0; i < n; i++) {
        istd_prestatie_t *p = &c->prestaties[i];
        int euro = i % 2;
        p->referentie.nummer = arena_printf(a, "PR-%d", i + 1);
        p->referentie.vorig = i == 0 ? S("PR-0") : NULL;
        p->toewijzingnummer = 12345 + i % 2;
        p->categorie = S(cat(l, euro));
        p->code = S(pcode(l, euro));
        p->periode.begindatum = S("2024-03-01");
        p->periode.einddatum = S("2024-03-31");
        p->volume = euro ? 25000 : 10;
        p->eenheid = S(euro ? "83" : "04");
        if (!euro) p->tarief = 6000;
        p->bedrag.bedrag = euro ? 25000 : 60000;
        p->bedrag.dc = S(euro && i == 1 ? "C" : "D");
        codes(&p->codes, ret, euro ? "8001" : "0200", NULL);
    }
}

static void fill_323(arena_t *a, istd_msg_t *m, int ret, int per_client)
{
    istd_declaratie_t *d = &m->declaratie;
    d->nummer = S("D20240301");
    d->periode.begindatum = S("2024-03-01");
    d->periode.einddatum = S("2024-03-31");
    d->dagtekening = S("2024-04-02");
    d->ingediend.bedrag = 170000;
    d->ingediend.dc = S("D");
    d->toegekend.bedrag = 170000;
    d->toegekend.dc = S("D");
    int nc = per_client > 2 ? 1 : 2;
    d->n_clienten = nc;
    d->clienten = istd_new(a, ISTD_C_CLIENT, nc);
    for (int i = 0; i < nc; i++) {
        d->clienten[i].bsn = S(i ? "999990020" : "999999990");
        fill_prestaties(a, &d->clienten[i], m->law, per_client, ret);
        codes(&d->clienten[i].codes, ret, "0200", NULL);
    }
    codes(&d->codes, ret, "0200", NULL);
}

static void build(arena_t *a, istd_msg_t *m, istd_law law, istd_kind k)
{
    int ret = istd_is_retour(k);
    /* The header of a retour copies the heen message's Afzender/Ontvanger,
     * except 325, which the municipality sends. */
    int gem = k == IK_301 || k == IK_302 || k == IK_319 || k == IK_320 || k == IK_325;
    istd_msg_init(m, law, k);
    istd_header_fill(m);
    istd_header_t *h = &m->header;
    h->afzender = S(gem ? "0363" : "12345678");
    h->ontvanger = S(gem ? "12345678" : "0363");
    h->id.identificatie = S("MSG-000001");
    h->id.dagtekening = S("2024-03-01");
    if (ret) {
        h->id_retour = S("RET-000001");
        h->dagtekening_retour = S("2024-03-02");
        h->declaratie_id.identificatie = S("B-323-01");
        h->declaratie_id.dagtekening = S("2024-04-02");
        h->xslt_versie = S("1.0.0");
        h->xsd_retour = h->xsd;
        h->xsd_declaratie = h->xsd;
        codes(&h->codes, 1, "0200", NULL);
    }
    m->client.bsn = S("999999990");
    switch (k) {
    case IK_301:
    case IK_302:
        fill_301(a, m, ret);
        break;
    case IK_305:
    case IK_306:
        fill_startstop(a, m, ret, 0);
        break;
    case IK_307:
    case IK_308:
        fill_startstop(a, m, ret, 1);
        break;
    case IK_315:
    case IK_316:
        fill_315(a, m, ret);
        break;
    case IK_317:
    case IK_318:
        fill_317(a, m, ret);
        break;
    case IK_319:
    case IK_320:
        fill_319(m, ret);
        break;
    case IK_323:
    case IK_325:
        fill_323(a, m, ret, 2);
        break;
    default:
        break;
    }
}

/* ---- coverage: every element of the message is in its sample -------------- */

static const istd_field_t *cov_seen[1024];
static int cov_n;

static int cov_has(const istd_field_t *f)
{
    for (int i = 0; i < cov_n; i++)
        if (cov_seen[i] == f) return 1;
    return 0;
}

static void cov_mark(const istd_class_t *c, const void *obj, istd_law law, istd_kind k)
{
    for (int i = 0; i < c->n; i++) {
        const istd_field_t *f = &c->fields[i];
        if (!istd_field_active(f, law, k) || !istd_field_present(f, obj, law, k)) continue;
        if (!cov_has(f) && cov_n < (int)(sizeof cov_seen / sizeof cov_seen[0])) cov_seen[cov_n++] = f;
        const char *p = (const char *)obj + f->off;
        if (f->type == ISTD_F_EMBED) cov_mark(f->sub, p, law, k);
        if (f->type == ISTD_F_LIST) {
            const char *items = *(char *const *)(const void *)p;
            int n = *(const int *)(const void *)((const char *)obj + f->count_off);
            for (int j = 0; j < n; j++) cov_mark(f->sub, items + (size_t)j * f->sub->size, law, k);
        }
    }
}

/* Names of active fields never seen, below class c, appended to out. */
static void cov_missing(const istd_class_t *c, istd_law law, istd_kind k, buf_t *out, int depth)
{
    if (depth > 8) return;
    for (int i = 0; i < c->n; i++) {
        const istd_field_t *f = &c->fields[i];
        if (!istd_field_active(f, law, k)) continue;
        if (!cov_has(f))
            buf_printf(out, " %s/%s", c->name, f->name);
        else if (f->type == ISTD_F_EMBED || f->type == ISTD_F_LIST)
            cov_missing(f->sub, law, k, out, depth + 1);
    }
}

/* ---- the tables against the XSDs ------------------------------------------- */

typedef struct cmp {
    xmlDocPtr msg, base;
    istd_law law;
    istd_kind kind;
    int bad;
} cmp_t;

static int is_xs(xmlNodePtr n, const char *local)
{
    return n->type == XML_ELEMENT_NODE && n->ns && strcmp((const char *)n->ns->href, XS_NS) == 0 &&
           strcmp((const char *)n->name, local) == 0;
}

static xmlNodePtr xs_child(xmlNodePtr n, const char *local)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (is_xs(c, local)) return c;
    return NULL;
}

static xmlNodePtr xs_named(xmlDocPtr d, const char *what, const char *name)
{
    for (xmlNodePtr c = xmlDocGetRootElement(d)->children; c; c = c->next) {
        if (!is_xs(c, what)) continue;
        xmlChar *nm = xmlGetProp(c, BAD_CAST "name");
        int eq = nm && strcmp((const char *)nm, name) == 0;
        xmlFree(nm);
        if (eq) return c;
    }
    return NULL;
}

static void cmp_bad(cmp_t *c, const char *path, const char *what, const char *detail)
{
    c->bad++;
    printf("#   %s %s: %s %s\n", istd_message_name(c->law, c->kind), path, what, detail ? detail : "");
}

/* Resolves "pfx:Name" to the document holding it; local name in *local. */
static xmlDocPtr type_doc(cmp_t *c, const char *qname, const char **local)
{
    const char *colon = strchr(qname, ':');
    *local = colon ? colon + 1 : qname;
    size_t pl = colon ? (size_t)(colon - qname) : 0;
    const char *bp = istd_base_prefix(c->law);
    return strlen(bp) == pl && strncmp(qname, bp, pl) == 0 ? c->base : c->msg;
}

/* 1 when the simple type resolves to xs:integer. */
static int simple_is_integer(cmp_t *c, xmlNodePtr st, int depth)
{
    xmlNodePtr r = xs_child(st, "restriction");
    if (!r || depth > 5) return 0;
    xmlChar *base = xmlGetProp(r, BAD_CAST "base");
    int rc = 0;
    if (base && strncmp((const char *)base, "xs:", 3) == 0) {
        rc = strcmp((const char *)base, "xs:integer") == 0;
    } else if (base) {
        const char *local = NULL;
        xmlDocPtr d = type_doc(c, (const char *)base, &local);
        xmlNodePtr t = xs_named(d, "simpleType", local);
        rc = t ? simple_is_integer(c, t, depth + 1) : 0;
    }
    xmlFree(base);
    return rc;
}

static void cmp_class(cmp_t *c, const istd_class_t *cls, xmlNodePtr ctype, int in_base, const char *path);

/* The complexType of element e (named type), or NULL; *tb says whether it
 * lives in the basisschema. */
static xmlNodePtr elem_ctype(cmp_t *c, xmlNodePtr e, int *tb)
{
    xmlChar *type = xmlGetProp(e, BAD_CAST "type");
    if (!type) return NULL;
    const char *local = NULL;
    xmlDocPtr d = type_doc(c, (const char *)type, &local);
    xmlNodePtr t = xs_named(d, "complexType", local);
    *tb = d == c->base;
    xmlFree(type);
    return t;
}

/* The one repeating element of a wrapper type, checked against f. */
static xmlNodePtr list_item(cmp_t *c, const istd_field_t *f, xmlNodePtr wrapper, const char *path)
{
    xmlNodePtr seq = xs_child(wrapper, "sequence"), item = NULL;
    int n = 0;
    for (xmlNodePtr e = seq ? seq->children : NULL; e; e = e->next)
        if (is_xs(e, "element")) item = e, n++;
    if (n != 1) {
        cmp_bad(c, path, "wrapper does not hold exactly one element", f->name);
        return NULL;
    }
    xmlChar *nm = xmlGetProp(item, BAD_CAST "name"), *mx = xmlGetProp(item, BAD_CAST "maxOccurs"),
            *mn = xmlGetProp(item, BAD_CAST "minOccurs");
    if (!nm || strcmp((const char *)nm, f->item) != 0) cmp_bad(c, path, "item name differs", (const char *)nm);
    if (!mx || strcmp((const char *)mx, "unbounded") != 0) cmp_bad(c, path, "item not unbounded", f->item);
    if (mn && strcmp((const char *)mn, "1") != 0) cmp_bad(c, path, "item minOccurs not 1", f->item);
    xmlFree(nm);
    xmlFree(mx);
    xmlFree(mn);
    return item;
}

static void cmp_field(cmp_t *c, const istd_field_t *f, xmlNodePtr e, int in_base, const char *path)
{
    char sub[512];
    snprintf(sub, sizeof sub, "%s/%s", path, f->name);
    xmlChar *mn = xmlGetProp(e, BAD_CAST "minOccurs"), *mx = xmlGetProp(e, BAD_CAST "maxOccurs");
    int req = !(mn && strcmp((const char *)mn, "0") == 0);
    if (req != istd_field_required(f, c->kind))
        cmp_bad(c, sub, "required differs", req ? "(xsd: required)" : "(xsd: optional)");
    if (mx && strcmp((const char *)mx, "1") != 0) cmp_bad(c, sub, "maxOccurs", (const char *)mx);
    xmlFree(mn);
    xmlFree(mx);
    if ((f->ns == ISTD_NS_BASE) != in_base) cmp_bad(c, sub, "namespace differs", NULL);
    int tb = 0;
    xmlNodePtr ct = elem_ctype(c, e, &tb);
    switch (f->type) {
    case ISTD_F_TEXT:
    case ISTD_F_INT: {
        if (ct) {
            cmp_bad(c, sub, "complex in xsd, simple in model", NULL);
            break;
        }
        xmlNodePtr st = xs_child(e, "simpleType");
        xmlChar *type = xmlGetProp(e, BAD_CAST "type");
        if (type) {
            const char *local = NULL;
            xmlDocPtr d = type_doc(c, (const char *)type, &local);
            st = xs_named(d, "simpleType", local);
        }
        xmlFree(type);
        int integer = st ? simple_is_integer(c, st, 0) : 0;
        /* BerichtCode is a string with a numeric pattern in the XSD; the
         * model keeps it as an integer (istd_header_t.berichtcode). */
        if (strcmp(f->name, "BerichtCode") == 0)
            integer = 1;
        if (integer != (f->type == ISTD_F_INT)) cmp_bad(c, sub, "integer/text differs", NULL);
        break;
    }
    case ISTD_F_EMBED:
        if (!ct)
            cmp_bad(c, sub, "no complexType", NULL);
        else
            cmp_class(c, f->sub, ct, tb, sub);
        break;
    case ISTD_F_LIST: {
        xmlNodePtr item = ct ? list_item(c, f, ct, sub) : NULL;
        int itb = 0;
        xmlNodePtr ict = item ? elem_ctype(c, item, &itb) : NULL;
        if (!ict)
            cmp_bad(c, sub, "list item type not found", NULL);
        else
            cmp_class(c, f->sub, ict, itb, sub);
        break;
    }
    case ISTD_F_CODES: {
        xmlNodePtr item = ct ? list_item(c, f, ct, sub) : NULL;
        xmlChar *type = item ? xmlGetProp(item, BAD_CAST "type") : NULL;
        if (!type || !strstr((const char *)type, ":LDT_RetourCode")) cmp_bad(c, sub, "RetourCode type", NULL);
        xmlFree(type);
        break;
    }
    }
}

static void cmp_class(cmp_t *c, const istd_class_t *cls, xmlNodePtr ctype, int in_base, const char *path)
{
    xmlNodePtr seq = xs_child(ctype, "sequence");
    xmlNodePtr e = seq ? seq->children : NULL;
    if (cls->n > 32) cmp_bad(c, path, "more than 32 fields", cls->name);
    for (int i = 0; i < cls->n; i++) {
        const istd_field_t *f = &cls->fields[i];
        if (!istd_field_active(f, c->law, c->kind)) continue;
        while (e && !is_xs(e, "element")) e = e->next;
        xmlChar *nm = e ? xmlGetProp(e, BAD_CAST "name") : NULL;
        if (!nm || strcmp((const char *)nm, f->name) != 0) {
            char got[128];
            snprintf(got, sizeof got, "model %s, xsd %s", f->name, nm ? (const char *)nm : "(end)");
            cmp_bad(c, path, "element differs:", got);
            xmlFree(nm);
            return;
        }
        xmlFree(nm);
        cmp_field(c, f, e, in_base, path);
        e = e->next;
    }
    while (e && !is_xs(e, "element")) e = e->next;
    if (e) {
        xmlChar *nm = xmlGetProp(e, BAD_CAST "name");
        cmp_bad(c, path, "element missing from the model:", (const char *)nm);
        xmlFree(nm);
    }
}

/* Invariants the reader and writer rely on. */
static void test_table_shape(void)
{
    int bad = 0, n = 0;
    for (const istd_class_t *const *c = istd_classes; *c; c++, n++) {
        if ((*c)->n > 32) bad++, printf("#   %s has more than 32 fields\n", (*c)->name);
        for (int i = 0; i < (*c)->n; i++) {
            const istd_field_t *f = &(*c)->fields[i];
            int ok = (f->req & ~f->msgs) == 0 && f->msgs && f->laws && (f->laws & ~ISTD_ALL_LAWS) == 0;
            if (f->type == ISTD_F_EMBED) ok &= f->sub != NULL;
            if (f->type == ISTD_F_LIST) ok &= f->sub && f->item && f->sub->class_id >= 0 && f->sub->size > 0;
            if (f->type == ISTD_F_CODES) ok &= f->item && strcmp(f->name, "RetourCodes") == 0 && f->ns == ISTD_NS_MSG;
            if (!ok) bad++, printf("#   %s/%s is malformed\n", (*c)->name, f->name);
        }
    }
    CHECK(bad == 0 && n == 35, "tables: %d classes, required within occurs, lists initialisable", n);
}

static void test_tables(const char *dir)
{
    for (int l = 0; l < 2; l++)
        for (int k = 0; k < IK_COUNT; k++) {
            char p1[1024], p2[1024];
            cmp_t c = {.law = laws[l], .kind = (istd_kind)k};
            snprintf(p1, sizeof p1, "%s/%s-3.2/%s.xsd", dir, istd_law_name(laws[l]),
                     istd_message_name(laws[l], (istd_kind)k));
            snprintf(p2, sizeof p2, "%s/%s-3.2/basisschema.xsd", dir, istd_law_name(laws[l]));
            c.msg = xmlReadFile(p1, NULL, XML_PARSE_NONET);
            c.base = xmlReadFile(p2, NULL, XML_PARSE_NONET);
            xmlNodePtr root = c.msg ? xs_named(c.msg, "element", "Bericht") : NULL;
            int tb = 0;
            xmlNodePtr ct = root && c.base ? elem_ctype(&c, root, &tb) : NULL;
            if (ct) cmp_class(&c, &istd_cls_bericht, ct, tb, "Bericht");
            CHECK(ct && c.bad == 0, "tables match %s.xsd", istd_message_name(laws[l], (istd_kind)k));
            if (c.msg) xmlFreeDoc(c.msg);
            if (c.base) xmlFreeDoc(c.base);
        }
}

/* ---- round trips ------------------------------------------------------------ */

static int xmllint_ok(const char *dir, istd_law law, istd_kind k, const buf_t *xml)
{
    char file[] = "/tmp/istd_msg_XXXXXX";
    int fd = mkstemp(file);
    if (fd < 0) return 0;
    close(fd);
    if (write_file(file, xml->data, xml->len) < 0) return 0;
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "xmllint --noout --nonet --schema '%s/%s-3.2/%s.xsd' '%s' >/dev/null 2>&1", dir,
             istd_law_name(law), istd_message_name(law, k), file);
    int rc = system(cmd);
    unlink(file);
    return rc == 0;
}

static void field_checks(istd_msg_t *r, istd_law law, istd_kind k, const char *name)
{
    CHECK(r->law == law && r->kind == k, "%s: law and kind from the namespace", name);
    CHECK(r->header.berichtcode == istd_berichtcode(law, k) && r->header.versie == 3 && r->header.subversie == 2,
          "%s: BerichtCode, versie, subversie", name);
    CHECK_STR(r->header.id.identificatie, "MSG-000001", "%s: BerichtIdentificatie", name);
    if (istd_is_retour(k))
        CHECK(r->header.codes.n == 1 && strcmp(r->header.codes.code[0], "0200") == 0, "%s: header RetourCodes", name);
    else
        CHECK(r->header.codes.n == 0 && r->header.id_retour == NULL, "%s: no retour header", name);
    switch (k) {
    case IK_301:
    case IK_302:
        CHECK_STR(r->client.commentaar, COMMENT, "%s: Commentaar with & < > quotes CR survives", name);
        CHECK_STR(r->client.naam.geslachtsnaam.achternaam, "Jansen & Zn", "%s: Achternaam", name);
        CHECK_STR(r->client.naam.voorletters, "PÉ", "%s: UTF-8 Voorletters", name);
        CHECK(r->client.n_relaties == 2 && r->client.relaties[1].nummer && strcmp(r->client.relaties[1].nummer, "R-02") == 0 &&
                  r->client.relaties[1].contact.adres.huis.huisnummer == 13,
              "%s: Relaties", name);
        CHECK(r->client.n_toegewezen == 2 && r->client.toegewezen[0].omvang.volume == 10 &&
                  r->client.toegewezen[0].budget == ISTD_NONE && r->client.toegewezen[1].budget == 150000,
              "%s: ToegewezenProducten", name);
        CHECK_STR(r->client.toegewezen[0].product.categorie, cat(law, 0), "%s: product category", name);
        if (k == IK_302)
            CHECK(r->client.toegewezen[1].codes.n == 2 && strcmp(r->client.toegewezen[1].codes.code[1], "9321") == 0,
                  "%s: two RetourCodes", name);
        break;
    case IK_305:
    case IK_306:
        CHECK(r->client.n_starts == 2 && r->client.n_stops == 0, "%s: StartProducten", name);
        CHECK(r->client.naam.naamgebruik == NULL && r->client.naam.partnernaam.achternaam == NULL,
              "%s: VerkorteNaam has no NaamGebruik/Partnernaam", name);
        break;
    case IK_307:
    case IK_308:
        CHECK(r->client.n_stops == 2 && r->client.stops[1].reden_beeindiging &&
                  !strcmp(r->client.stops[1].reden_beeindiging, "20"),
              "%s: StopProducten", name);
        break;
    case IK_315:
    case IK_316:
        CHECK(r->client.n_aangevraagd == 2 && r->client.aangevraagd[0].beschikkingnummer == 777,
              "%s: AangevraagdeProducten", name);
        if (law == ISTD_JW)
            CHECK_STR(r->client.gezagsdrager_bekend, "1", "%s: GezagsdragerBekend", name);
        else
            CHECK(r->client.gezagsdrager_bekend == NULL, "%s: no GezagsdragerBekend in iWmo", name);
        break;
    case IK_317:
    case IK_318:
        CHECK(r->client.verzoek.n_ongewijzigd == 2 && r->client.verzoek.n_tewijzigen == 2 &&
                  r->client.verzoek.n_nieuw == 2 && r->client.verzoek.tewijzigen[1].budget == 99999,
              "%s: Verzoek lists", name);
        break;
    case IK_319:
    case IK_320:
        CHECK_STR(r->antwoord.verzoek_antwoord, "2", "%s: VerzoekAntwoord", name);
        if (law == ISTD_JW)
            CHECK_STR(r->antwoord.woonplaatsbeginsel.gemeente, "0344", "%s: Woonplaatsbeginsel", name);
        else
            CHECK(r->antwoord.woonplaatsbeginsel.gemeente == NULL, "%s: no Woonplaatsbeginsel in iWmo", name);
        break;
    case IK_323:
    case IK_325:
        CHECK(r->declaratie.n_clienten == 2 && r->declaratie.clienten[1].n_prestaties == 2 &&
                  r->declaratie.clienten[1].prestaties[0].bedrag.bedrag == 60000 &&
                  r->declaratie.clienten[1].prestaties[1].tarief == ISTD_NONE,
              "%s: Clienten and Prestaties", name);
        CHECK(r->declaratie.ingediend.bedrag == 170000, "%s: TotaalIngediendBedrag", name);
        if (k == IK_325)
            CHECK(r->declaratie.toegekend.bedrag == 170000 && r->declaratie.periode.begindatum == NULL &&
                      r->header.declaratie_id.identificatie && r->header.id_retour == NULL,
                  "%s: DeclaratieAntwoord", name);
        break;
    default:
        break;
    }
}

static buf_t samples[2][IK_COUNT];

static void test_roundtrips(istd_xsd_t *x, const char *dir)
{
    int lint = system("command -v xmllint >/dev/null 2>&1") == 0;
    for (int l = 0; l < 2; l++)
        for (int k = 0; k < IK_COUNT; k++) {
            istd_law law = laws[l];
            const char *name = istd_message_name(law, (istd_kind)k);
            arena_t *a = arena_new(0), *ra = arena_new(0);
            istd_msg_t m, r;
            char err[256] = "";
            buf_t *xml = &samples[l][k], again = BUF_INIT, rep = BUF_INIT;
            build(a, &m, law, (istd_kind)k);

            cov_n = 0;
            cov_mark(&istd_cls_bericht, &m, law, (istd_kind)k);
            buf_t miss = BUF_INIT;
            cov_missing(&istd_cls_bericht, law, (istd_kind)k, &miss, 0);
            CHECK(miss.len == 0, "%s: the sample holds every element of the schema%s", name, buf_cstr(&miss));
            buf_free(&miss);

            CHECK(istd_write(&m, xml, err, sizeof err) == 0, "%s: written (%zu bytes) %s", name, xml->len, err);
            istd_law sl;
            istd_kind sk;
            CHECK(istd_sniff(xml->data, xml->len, &sl, &sk) == 0 && sl == law && sk == (istd_kind)k, "%s: sniffed",
                  name);
            CHECK(istd_xsd_has(x, law, (istd_kind)k), "%s: schema loaded", name);
            int v = istd_xsd_validate(x, xml->data, xml->len, &rep, 10);
            CHECK(v == 0, "%s: valid against the XSD", name);
            if (v != 0) printf("#   %s\n", oneline(&rep));
            if (lint && (k == IK_301 || k == IK_315 || k == IK_319 || k == IK_325 || (law == ISTD_WMO && k == IK_318)))
                CHECK(xmllint_ok(dir, law, (istd_kind)k, xml), "%s: xmllint --schema agrees", name);

            int rc = istd_read(xml->data, xml->len, ra, &r, err, sizeof err);
            CHECK(rc == 0, "%s: read back %s", name, rc ? err : "");
            if (rc == 0) {
                CHECK(istd_write(&r, &again, err, sizeof err) == 0 && again.len == xml->len &&
                          memcmp(again.data, xml->data, xml->len) == 0,
                      "%s: writing what was read gives the same bytes", name);
                field_checks(&r, law, (istd_kind)k, name);
            }
            buf_free(&again);
            buf_free(&rep);
            arena_free(a);
            arena_free(ra);
        }
}

/* ---- writer details ----------------------------------------------------------- */

static void test_writer(void)
{
    arena_t *a = arena_new(0);
    istd_msg_t m;
    buf_t out = BUF_INIT;
    char err[256] = "";
    build(a, &m, ISTD_JW, IK_301);
    m.client.communicatie.vorm = NULL;
    m.client.communicatie.taal = S(""); /* empty counts as absent */
    m.client.toegewezen[0].omvang.volume = ISTD_NONE;
    m.client.toegewezen[0].omvang.eenheid = NULL;
    m.client.toegewezen[0].omvang.frequentie = NULL;
    istd_codes_add(&m.client.codes, "0200"); /* not a retour: never written */
    CHECK(istd_write(&m, &out, err, sizeof err) == 0, "writer: 301 written");
    const char *s = buf_cstr(&out);
    const char *head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<jw301:Bericht "
                       "xmlns:jw301=\"http://www.istandaarden.nl/ijw/3_2/jw301/schema\" "
                       "xmlns:ijw=\"http://www.istandaarden.nl/ijw/3_2/basisschema/schema\">\n  <jw301:Header>\n";
    CHECK(strncmp(s, head, strlen(head)) == 0, "writer: declaration and both namespaces once, on the root");
    CHECK(strstr(s, "Omvang") == NULL, "writer: a composite without values is left out");
    CHECK(strstr(s, "Communicatie") == NULL, "writer: no empty elements (Communicatie with only \"\")");
    CHECK(strstr(s, "RetourCodes") == NULL, "writer: no RetourCodes in a heen message");
    CHECK(strstr(s, "<ijw:Achternaam>Jansen &amp; Zn</ijw:Achternaam>") != NULL,
          "writer: & escaped, CDT child in basisschema namespace");
    CHECK(strstr(s, "Zorg &amp; &quot;begeleiding&quot; &lt;tijdelijk&gt; &apos;ok&apos;&#13;\nTweede") != NULL,
          "writer: < > quotes escaped, CR as &#13;");
    CHECK(strstr(s, "<jw301:Contactgegevens>\n      <jw301:Contact>") != NULL, "writer: list wrapper and items");

    size_t before = out.len;
    m.client.commentaar = S("ongeldig \xff teken");
    CHECK(istd_write(&m, &out, err, sizeof err) == -1 && out.len == before && strstr(err, "Commentaar"),
          "writer: invalid UTF-8 refused, buffer unchanged (%s)", err);
    m.client.commentaar = S("stuurteken \x01");
    CHECK(istd_write(&m, &out, err, sizeof err) == -1, "writer: control character refused");
    m.client.commentaar = S("surrogaat \xed\xa0\x80");
    CHECK(istd_write(&m, &out, err, sizeof err) == -1, "writer: UTF-8 surrogate refused");
    m.client.commentaar = S(COMMENT);
    m.law = (istd_law)7;
    CHECK(istd_write(&m, &out, err, sizeof err) == -1, "writer: invalid law refused (%s)", err);
    m.law = ISTD_JW;
    m.kind = IK_COUNT;
    CHECK(istd_write(&m, &out, err, sizeof err) == -1, "writer: invalid kind refused");
    buf_free(&out);
    arena_free(a);
}

/* ---- reader: refusals ------------------------------------------------------------ */

/* Reads text; expects -1 with want in the error (and "regel"). */
static void refuse(const char *text, size_t len, const char *want, const char *what)
{
    arena_t *a = arena_new(0);
    istd_msg_t m;
    char err[512] = "";
    int rc = istd_read(text, len, a, &m, err, sizeof err);
    CHECK(rc == -1 && strstr(err, want) && strncmp(err, "regel ", 6) == 0, "reader refuses %s: %s", what, err);
    arena_free(a);
}

/* s with the first occurrence of from replaced by to. */
static char *subst(const char *s, const char *from, const char *to)
{
    const char *p = strstr(s, from);
    buf_t b = BUF_INIT;
    if (!p) {
        printf("# subst: %s not found\n", from);
        return buf_detach(&b);
    }
    buf_append(&b, s, (size_t)(p - s));
    buf_puts(&b, to);
    buf_puts(&b, p + strlen(from));
    return buf_detach(&b);
}

static void refuse_subst(const char *base, const char *from, const char *to, const char *want, const char *what)
{
    char *t = subst(base, from, to);
    refuse(t, strlen(t), want, what);
    free(t);
}

static void test_reader_refusals(void)
{
    const char *x301 = buf_cstr(&samples[1][IK_301]);
    const char *x323 = buf_cstr(&samples[0][IK_323]);
    const char *lol =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n]>\n"
        "<jw301:Bericht xmlns:jw301=\"http://www.istandaarden.nl/ijw/3_2/jw301/schema\">&lol9;</jw301:Bericht>\n";
    refuse(lol, strlen(lol), "DTD", "billion laughs");
    const char *xxe =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE Bericht [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
        "<jw301:Bericht xmlns:jw301=\"http://www.istandaarden.nl/ijw/3_2/jw301/schema\">&xxe;</jw301:Bericht>\n";
    refuse(xxe, strlen(xxe), "DTD", "an external SYSTEM entity");
    const char *ext = "<?xml version=\"1.0\"?>\n<!DOCTYPE Bericht SYSTEM \"http://127.0.0.1:9/x.dtd\">\n"
                      "<jw301:Bericht xmlns:jw301=\"http://www.istandaarden.nl/ijw/3_2/jw301/schema\"/>\n";
    refuse(ext, strlen(ext), "DTD", "an external DTD");
    refuse_subst(x301, "<jw301:Bsn>999999990</jw301:Bsn>", "<jw301:Bsn>&foo;</jw301:Bsn>", "regel",
                 "an undeclared entity");
    istd_law law;
    istd_kind kind;
    CHECK(istd_sniff(xxe, strlen(xxe), &law, &kind) == -1, "sniff refuses a DTD");
    CHECK(istd_sniff("<a/>", 4, &law, &kind) == -1, "sniff refuses another root");
    CHECK(istd_sniff("", 0, &law, &kind) == -1, "sniff refuses empty input");

    refuse_subst(x301, "<jw301:Geslacht>", "<jw301:Onbekend>x</jw301:Onbekend><jw301:Geslacht>",
                 "onbekend element Onbekend in Client", "an unknown element");
    refuse_subst(x301, "<jw301:Bsn>999999990</jw301:Bsn>",
                 "<jw301:Bsn>999999990</jw301:Bsn><jw301:Bsn>999999990</jw301:Bsn>", "komt meer dan eens voor",
                 "a duplicated element");
    /* Client/Commentaar moved behind Relaties. */
    {
        char *t1 = subst(x301, "    <jw301:Commentaar>", "    <jw301:X>");
        char *cut = strstr(t1, "    <jw301:X>");
        char *eol = cut ? strstr(cut, "</jw301:Commentaar>\n") : NULL;
        if (cut && eol) {
            eol += strlen("</jw301:Commentaar>\n");
            buf_t line = BUF_INIT, doc = BUF_INIT;
            buf_append(&line, cut, (size_t)(eol - cut));
            buf_append(&doc, t1, (size_t)(cut - t1));
            const char *rest = eol, *after = strstr(rest, "    </jw301:Relaties>\n");
            after = after ? after + strlen("    </jw301:Relaties>\n") : rest + strlen(rest);
            buf_append(&doc, rest, (size_t)(after - rest));
            char *moved = subst(buf_cstr(&line), "<jw301:X>", "<jw301:Commentaar>");
            buf_puts(&doc, moved);
            buf_puts(&doc, after);
            refuse(doc.data, doc.len, "staat op de verkeerde plaats in Client", "an element in the wrong order");
            free(moved);
            buf_free(&line);
            buf_free(&doc);
        }
        free(t1);
    }
    refuse_subst(x301, "<ijw:Volume>10</ijw:Volume>", "<jw301:Volume>10</jw301:Volume>",
                 "heeft namespace http://www.istandaarden.nl/ijw/3_2/jw301/schema",
                 "a CDT child in the message namespace");
    refuse_subst(x301, "<jw301:Bsn>999999990</jw301:Bsn>", "<ijw:Bsn>999999990</ijw:Bsn>",
                 "verwacht http://www.istandaarden.nl/ijw/3_2/jw301/schema",
                 "a message element in the basisschema namespace");
    refuse_subst(x301, "jw301=\"http://www.istandaarden.nl/ijw/3_2/jw301/schema\"",
                 "jw301=\"http://www.istandaarden.nl/ijw/3_1/jw301/schema\"", "geen iWmo- of iJw-bericht",
                 "another release's namespace");
    refuse_subst(x301, "<jw301:Bsn>999999990</jw301:Bsn>\n", "", "verplicht element Bsn ontbreekt in Client",
                 "a missing required element");
    refuse_subst(x301, "<jw301:Bsn>999999990</jw301:Bsn>", "<jw301:Bsn a=\"1\">999999990</jw301:Bsn>", "attribuut a",
                 "an attribute");
    refuse_subst(x301, "<jw301:Bsn>", "los<jw301:Bsn>", "tekst is niet toegestaan", "text between elements");
    refuse_subst(x301, "<jw301:Bsn>999999990</jw301:Bsn>", "<jw301:Bsn><jw301:X/></jw301:Bsn>",
                 "onbekend element X in Bsn", "an element in a leaf");
    refuse_subst(x301, "<jw301:ToewijzingNummer>12345</jw301:ToewijzingNummer>",
                 "<jw301:ToewijzingNummer>99999999999999999999</jw301:ToewijzingNummer>", "buiten het bereik",
                 "an integer out of range");
    refuse_subst(x301, "<jw301:ToewijzingNummer>12345</jw301:ToewijzingNummer>",
                 "<jw301:ToewijzingNummer>-9223372036854775808</jw301:ToewijzingNummer>", "buiten het bereik",
                 "INT64_MIN (ISTD_NONE)");
    refuse_subst(x301, "<jw301:ToewijzingNummer>12345</jw301:ToewijzingNummer>",
                 "<jw301:ToewijzingNummer>12a</jw301:ToewijzingNummer>", "geen geheel getal", "a non-integer");
    refuse_subst(x301, "<jw301:ToewijzingNummer>12345</jw301:ToewijzingNummer>",
                 "<jw301:ToewijzingNummer></jw301:ToewijzingNummer>", "leeg element ToewijzingNummer", "an empty integer");
    /* RS033: an empty text element is refused too (the writer never writes one) */
    refuse_subst(x301, "<jw301:Commentaar>", "<jw301:Commentaar></jw301:Commentaar><jw301:Commentaar>",
                 "leeg element Commentaar", "an empty text element");
    refuse_subst(x323, "<wmo323:Prestatie>", "<wmo323:Prestatie><wmo323:Prestatie/>",
                 "onbekend element Prestatie in Prestatie", "nesting a Prestatie in a Prestatie");
    refuse_subst(x323, "<wmo323:Prestaties>", "<wmo323:Prestaties><wmo323:Client/>",
                 "onbekend element Client in Prestaties", "a foreign element in a list");

    /* xs:integer allows whitespace, a sign and leading zeros. */
    {
        char *t = subst(x301, "<jw301:ToewijzingNummer>12345</jw301:ToewijzingNummer>",
                        "<jw301:ToewijzingNummer>\n  +0012345 </jw301:ToewijzingNummer>");
        arena_t *a = arena_new(0);
        istd_msg_t m;
        char err[256] = "";
        CHECK(istd_read(t, strlen(t), a, &m, err, sizeof err) == 0 && m.client.toegewezen[0].toewijzingnummer == 12345,
              "reader: xs:integer with whitespace, sign and leading zeros %s", err);
        arena_free(a);
        free(t);
    }
    /* Comments are skipped; a CDATA section is text. */
    {
        char *t = subst(x301, "<jw301:Bsn>999999990</jw301:Bsn>",
                        "<!-- c --><jw301:Bsn><![CDATA[9999]]>99990<!-- x --></jw301:Bsn>");
        arena_t *a = arena_new(0);
        istd_msg_t m;
        char err[256] = "";
        CHECK(istd_read(t, strlen(t), a, &m, err, sizeof err) == 0 && m.client.bsn &&
                  strcmp(m.client.bsn, "999999990") == 0,
              "reader: comments skipped, CDATA is text %s", err);
        arena_free(a);
        free(t);
    }

    size_t half = strlen(x301) / 2;
    refuse(x301, half, "ongeldige XML", "a truncated document");
    refuse("<a><b></a>", 10, "ongeldige XML", "malformed XML");
    refuse("", 0, "leeg document", "empty input");
    refuse("<jw301:Bericht xmlns:jw301=\"urn:x\"/>", 36, "geen iWmo- of iJw-bericht", "an unknown namespace");
    size_t big = (size_t)ISTD_MAX_BYTES + 1;
    char *huge = malloc(big);
    if (huge) {
        memset(huge, ' ', big);
        memcpy(huge, "<a>", 3);
        refuse(huge, big, "groter dan", "input larger than ISTD_MAX_BYTES");
        free(huge);
    }
}

/* ---- XSD -------------------------------------------------------------------------- */

static void test_xsd_errors(istd_xsd_t *x)
{
    arena_t *a = arena_new(0);
    istd_msg_t m;
    buf_t out = BUF_INIT, rep = BUF_INIT;
    char err[256];
    build(a, &m, ISTD_JW, IK_301);
    m.header.berichtcode = 999;
    istd_write(&m, &out, err, sizeof err);
    int rc = istd_xsd_validate(x, out.data, out.len, &rep, 5);
    CHECK(rc == 1 && strncmp(buf_cstr(&rep), "regel 4: ", 9) == 0 && strstr(rep.data, "BerichtCode"),
          "xsd: a wrong BerichtCode is invalid: %s", oneline(&rep));
    buf_reset(&out);
    buf_reset(&rep);
    m.header.berichtcode = istd_berichtcode(ISTD_JW, IK_301);
    m.header.afzender = S("12");
    m.client.bsn = S("12345");
    m.client.toegewezen[1].product.categorie = S("02"); /* an iWmo category in iJw */
    istd_write(&m, &out, err, sizeof err);
    rc = istd_xsd_validate(x, out.data, out.len, &rep, 2);
    int lines = 0;
    for (const char *p = buf_cstr(&rep); (p = strchr(p, '\n')); p++) lines++;
    CHECK(rc == 1 && strstr(rep.data, "regel 7: ") && strstr(rep.data, "Afzender") && lines == 2,
          "xsd: Gemeente \"12\" is invalid, at most max lines: %s", oneline(&rep));
    buf_reset(&rep);
    CHECK(istd_xsd_validate(x, out.data, out.len / 2, &rep, 5) == -1 && strncmp(buf_cstr(&rep), "regel ", 6) == 0,
          "xsd: a malformed document gives -1: %s", oneline(&rep));
    buf_reset(&rep);
    const char *xxe =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE Bericht [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
        "<jw301:Bericht xmlns:jw301=\"http://www.istandaarden.nl/ijw/3_2/jw301/schema\">&xxe;</jw301:Bericht>\n";
    CHECK(istd_xsd_validate(x, xxe, strlen(xxe), &rep, 5) == -1 && strstr(buf_cstr(&rep), "DTD"),
          "xsd: a document with a DTD gives -1: %s", oneline(&rep));
    buf_reset(&rep);
    CHECK(istd_xsd_validate(x, "<a/>", 4, &rep, 5) == -1 && strstr(buf_cstr(&rep), "geen schema"),
          "xsd: a document of no message gives -1: %s", oneline(&rep));
    buf_free(&out);
    buf_free(&rep);
    arena_free(a);
}

/* Imports may only load files inside the schema directory. */
static void test_xsd_confined(const char *tmp)
{
    char inner[1200], outer[1200], path[1400], err[512] = "";
    buf_t src = BUF_INIT, b = BUF_INIT;
    snprintf(inner, sizeof inner, "%s/inner", tmp);
    snprintf(outer, sizeof outer, "%s/outside", tmp);
    snprintf(path, sizeof path, "%s/ijw-3.2", inner);
    mkdir(inner, 0700);
    mkdir(outer, 0700);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/ijw-3.2/basisschema.xsd", tmp);
    read_file(path, &src);
    snprintf(path, sizeof path, "%s/basisschema.xsd", outer);
    write_file(path, src.data, src.len);
    snprintf(path, sizeof path, "%s/ijw-3.2/basisschema.xsd", inner);
    write_file(path, src.data, src.len);
    static const struct {
        istd_kind k;
        const char *loc;
    } cases[] = {
        {IK_301, "../../outside/basisschema.xsd"},
        {IK_305, "http://127.0.0.1:9/basisschema.xsd"},
        {IK_307, "basisschema.xsd"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_reset(&src);
        buf_reset(&b);
        snprintf(path, sizeof path, "%s/ijw-3.2/%s.xsd", tmp, istd_message_name(ISTD_JW, cases[i].k));
        read_file(path, &src);
        char to[200];
        snprintf(to, sizeof to, "schemaLocation=\"%s\"", cases[i].loc);
        replace_all(&b, buf_cstr(&src), "schemaLocation=\"basisschema.xsd\"", to);
        snprintf(path, sizeof path, "%s/ijw-3.2/%s.xsd", inner, istd_message_name(ISTD_JW, cases[i].k));
        write_file(path, b.data, b.len);
    }
    xmlExternalEntityLoader before = xmlGetExternalEntityLoader();
    istd_xsd_t *x = istd_xsd_open(inner, err, sizeof err);
    CHECK(x && istd_xsd_has(x, ISTD_JW, IK_307), "xsd: a local import inside the directory loads");
    CHECK(x && !istd_xsd_has(x, ISTD_JW, IK_301) && strstr(err, "import geweigerd"),
          "xsd: an import outside the directory is refused: %s", err);
    CHECK(x && !istd_xsd_has(x, ISTD_JW, IK_305), "xsd: an import over the network is refused");
    CHECK(x && !istd_xsd_has(x, ISTD_WMO, IK_301), "xsd: a missing schema is absent");
    CHECK(xmlGetExternalEntityLoader() == before, "xsd: the previous entity loader is restored");
    istd_xsd_close(x);
    CHECK(istd_xsd_open("/nonexistent/istd", err, sizeof err) == NULL && err[0], "xsd: a missing directory: %s", err);
    buf_free(&src);
    buf_free(&b);
}

/* Several threads validate and read at once. */
struct thread_arg {
    istd_xsd_t *x;
    int bad;
};

static void *worker(void *p)
{
    struct thread_arg *t = p;
    for (int round = 0; round < 3; round++)
        for (int l = 0; l < 2; l++)
            for (int k = 0; k < IK_COUNT; k++) {
                buf_t rep = BUF_INIT;
                arena_t *a = arena_new(0);
                istd_msg_t m;
                char err[128];
                if (istd_xsd_validate(t->x, samples[l][k].data, samples[l][k].len, &rep, 3) != 0) t->bad++;
                if (istd_read(samples[l][k].data, samples[l][k].len, a, &m, err, sizeof err) != 0) t->bad++;
                buf_free(&rep);
                arena_free(a);
            }
    return NULL;
}

static void test_threads(istd_xsd_t *x)
{
    pthread_t th[4];
    struct thread_arg args[4];
    int started = 0, bad = 0;
    for (int i = 0; i < 4; i++) {
        args[i] = (struct thread_arg){x, 0};
        if (pthread_create(&th[i], NULL, worker, &args[i]) == 0) started++;
    }
    for (int i = 0; i < started; i++) {
        pthread_join(th[i], NULL);
        bad += args[i].bad;
    }
    CHECK(started == 4 && bad == 0, "4 threads validate and read all 28 samples 3 times (%d failures)", bad);
}

/* ---- scale ------------------------------------------------------------------------ */

static void test_scale(istd_xsd_t *x)
{
    const int n = 10000;
    arena_t *a = arena_new(0), *ra = arena_new(0);
    istd_msg_t m, r;
    buf_t out = BUF_INIT, rep = BUF_INIT;
    char err[256] = "";
    build(a, &m, ISTD_WMO, IK_323);
    fill_323(a, &m, 0, n);
    double t0 = now_ms();
    int wrc = istd_write(&m, &out, err, sizeof err);
    double t1 = now_ms();
    int vrc = istd_xsd_validate(x, out.data, out.len, &rep, 5);
    double t2 = now_ms();
    int rrc = istd_read(out.data, out.len, ra, &r, err, sizeof err);
    double t3 = now_ms();
    CHECK(wrc == 0 && vrc == 0, "scale: 323 with %d Prestaties written (%zu bytes) and valid %s", n, out.len,
          oneline(&rep));
    CHECK(rrc == 0 && r.declaratie.n_clienten == 1 && r.declaratie.clienten[0].n_prestaties == n,
          "scale: read back with %d Prestaties %s", n, err);
    CHECK(rrc == 0 && strcmp(r.declaratie.clienten[0].prestaties[n - 1].referentie.nummer, "PR-10000") == 0,
          "scale: the last Prestatie is intact");
    printf("# 10,000 Prestaties, %zu bytes: write %.1f ms, validate %.1f ms, read %.1f ms\n", out.len, t1 - t0, t2 - t1,
           t3 - t2);

    /* Line numbers past 65535 are right (XML_PARSE_BIG_LINES): a bad unit
     * for the validator, an unknown element for the reader, on one line. */
    static const char unit[] = "<wmo323:Eenheid>83</wmo323:Eenheid>";
    const char *last = strstr(out.data + out.len - 2000, unit);
    if (last) {
        size_t at = (size_t)(last - out.data);
        long line = 1;
        for (size_t i = 0; i < at; i++) line += out.data[i] == '\n';
        char want[64];
        snprintf(want, sizeof want, "regel %ld: ", line);
        buf_t bad = BUF_INIT, dup = BUF_INIT;
        buf_append(&bad, out.data, at);
        buf_puts(&bad, "<wmo323:Eenheid>93</wmo323:Eenheid>");
        buf_puts(&bad, last + strlen(unit));
        buf_reset(&rep);
        vrc = istd_xsd_validate(x, bad.data, bad.len, &rep, 5);
        CHECK(vrc == 1 && strncmp(buf_cstr(&rep), want, strlen(want)) == 0,
              "scale: an error on line %ld is reported there: %s", line, oneline(&rep));
        buf_append(&dup, out.data, at);
        buf_puts(&dup, "<wmo323:Foo/>");
        buf_puts(&dup, last);
        arena_reset(ra);
        CHECK(istd_read(dup.data, dup.len, ra, &r, err, sizeof err) == -1 && strncmp(err, want, strlen(want)) == 0,
              "scale: the reader reports line %ld too: %s", line, err);
        buf_free(&bad);
        buf_free(&dup);
    }
    buf_free(&out);
    buf_free(&rep);
    arena_free(a);
    arena_free(ra);
}

int main(void)
{
    char tmp[256];
    if (make_schema_dir(tmp, sizeof tmp) < 0) {
        printf("not ok - cannot prepare the schemas from %s\n", istd_dir());
        return 1;
    }
    test_table_shape();
    test_tables(tmp);

    char err[512] = "";
    double t0 = now_ms();
    istd_xsd_t *x = istd_xsd_open(tmp, err, sizeof err);
    printf("# 28 schemas loaded in %.0f ms\n", now_ms() - t0);
    CHECK(x != NULL && err[0] == '\0', "xsd: all schemas open %s", err);
    if (!x) return t_done();

    test_roundtrips(x, tmp);
    test_writer();
    test_reader_refusals();
    test_xsd_errors(x);
    test_threads(x);
    test_scale(x);
    test_xsd_confined(tmp);

    istd_xsd_close(x);
    for (int l = 0; l < 2; l++)
        for (int k = 0; k < IK_COUNT; k++) buf_free(&samples[l][k]);
    rm_tree(tmp);
    return t_done();
}
