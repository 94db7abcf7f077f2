/* test_istd_rules.c - the in-message rules of iWmo/iJw 3.2 (src/istd/rules.c)
 * and the report. Every rule has a function test_<rule> with a valid message
 * (no finding at all) and a violating one built by hand (exactly that rule,
 * its retour code and path, and the code on the right class: the header for
 * 0001 and 8848, the Prestatie for 9346). The base messages msg_301() …
 * msg_325() are valid; each test changes one thing. "Today" is fixed. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "istd/istd.h"
#include "test.h"

#define TODAY   "2025-06-16"
#define DAG     "2025-06-02" /* Dagtekening of the base messages */
#define BSN_OK  "999900006"
#define BSN_BAD "999900007" /* 270 - 7 = 263 = 23*11 + 10 */

static arena_t *A;

/* ---- base messages (all valid) ------------------------------------------- */

static istd_msg_t *new_msg(istd_law law, istd_kind k)
{
    istd_msg_t *m = arena_alloc(A, sizeof *m);
    istd_msg_init(m, law, k);
    istd_header_fill(m);
    m->header.afzender = istd_sent_by_municipality(k) ? "0599" : "12345678";
    m->header.ontvanger = istd_sent_by_municipality(k) ? "12345678" : "0599";
    m->header.id.identificatie = "T1";
    m->header.id.dagtekening = DAG;
    return m;
}

static void client_person(istd_client_t *c)
{
    c->bsn = BSN_OK;
    c->geboortedatum.datum = "1980-04-12";
    c->geslacht = "2";
    c->naam.geslachtsnaam.achternaam = "Jansen";
    c->naam.voorletters = "A";
}

/* A product with a code, an Omvang of 4 hours per week (frequency 4 per
 * month when the period is open: CD076) and no Budget. */
static void omvang_hours(istd_omvang_t *o, const char *end)
{
    o->volume = 4;
    o->eenheid = "04";
    o->frequentie = end ? "2" : "4";
}

static void set_toegewezen(istd_toegewezen_t *t, int64_t nr, char *cat, char *code, char *begin, char *end)
{
    t->toewijzingnummer = nr;
    t->product.categorie = cat;
    t->product.code = code;
    t->toewijzingsdatum = "2024-12-20";
    t->ingangsdatum = begin;
    t->einddatum = end;
    if (code) omvang_hours(&t->omvang, end);
}

static istd_msg_t *msg_301_law(istd_law law)
{
    istd_msg_t *m = new_msg(law, IK_301);
    istd_client_t *c = &m->client;
    client_person(c);
    c->naam.naamgebruik = "1";
    c->n_relaties = 1;
    c->relaties = istd_new(A, ISTD_C_RELATIE, 1);
    c->relaties[0].nummer = "1";
    c->relaties[0].soort = "02";
    c->relaties[0].geboortedatum.datum = "1975-01-01";
    c->relaties[0].contact.soort = "01";
    c->relaties[0].contact.telefoon.t1.telefoonnummer = "0612345678";
    c->n_contacten = 1;
    c->contacten = istd_new(A, ISTD_C_CONTACT, 1);
    c->contacten[0].soort = "01";
    c->contacten[0].adres.huis.huisnummer = 12;
    c->contacten[0].adres.postcode = "1234AB";
    c->contacten[0].adres.landcode = "NL";
    c->n_toegewezen = 2;
    c->toegewezen = istd_new(A, ISTD_C_TOEGEWEZEN, 2);
    set_toegewezen(&c->toegewezen[0], 1001, "45", "45A01", "2025-01-01", "2025-12-31");
    set_toegewezen(&c->toegewezen[1], 1002, "54", NULL, "2025-03-01", "2025-12-31");
    c->toegewezen[1].budget = 500000;
    return m;
}

static istd_msg_t *msg_301(void)
{
    return msg_301_law(ISTD_JW);
}

static void set_startstop(istd_startstop_t *s, int stop)
{
    s->toewijzingnummer = 1001;
    s->product.categorie = "45";
    s->product.code = "45A01";
    s->toewijzing_ingangsdatum = "2025-01-01";
    s->begindatum = "2025-01-06";
    s->status_aanlevering = "1";
    if (stop) {
        s->reden_beeindiging = "19";
        s->einddatum = "2025-05-30";
    }
}

static istd_msg_t *msg_305_law(istd_law law)
{
    istd_msg_t *m = new_msg(law, IK_305);
    client_person(&m->client);
    m->client.n_starts = 1;
    m->client.starts = istd_new(A, ISTD_C_STARTSTOP, 1);
    set_startstop(&m->client.starts[0], 0);
    return m;
}

static istd_msg_t *msg_307_law(istd_law law)
{
    istd_msg_t *m = new_msg(law, IK_307);
    client_person(&m->client);
    m->client.n_stops = 1;
    m->client.stops = istd_new(A, ISTD_C_STARTSTOP, 1);
    set_startstop(&m->client.stops[0], 1);
    return m;
}

static istd_msg_t *msg_305(void)
{
    return msg_305_law(ISTD_JW);
}
static istd_msg_t *msg_307(void)
{
    return msg_307_law(ISTD_JW);
}

static istd_msg_t *msg_315_law(istd_law law)
{
    istd_msg_t *m = new_msg(law, IK_315);
    istd_client_t *c = &m->client;
    client_person(c);
    c->n_aangevraagd = 2;
    c->aangevraagd = istd_new(A, ISTD_C_AANGEVRAAGD, 2);
    istd_aangevraagd_t *a = c->aangevraagd;
    a[0].referentie_aanbieder = "R1";
    a[0].product.categorie = "45";
    a[0].product.code = "45A01";
    a[0].toewijzing_ingangsdatum = "2025-07-01";
    a[0].toewijzing_einddatum = "2025-12-31";
    omvang_hours(&a[0].omvang, "2025-12-31");
    a[1].referentie_aanbieder = "R2";
    a[1].product.categorie = "54";
    a[1].budget = 100000;
    a[1].toewijzing_ingangsdatum = "2025-07-01";
    a[1].toewijzing_einddatum = "2025-12-31";
    return m;
}

static istd_msg_t *msg_315(void)
{
    return msg_315_law(ISTD_JW);
}

static istd_msg_t *msg_317_law(istd_law law)
{
    istd_msg_t *m = new_msg(law, IK_317);
    istd_client_t *c = &m->client;
    istd_verzoek_t *v = &c->verzoek;
    c->bsn = BSN_OK;
    v->referentie_aanbieder = "V1";
    v->reden_verzoek = "1";
    v->n_ongewijzigd = 1;
    v->ongewijzigd = istd_new(A, ISTD_C_VOWPRODUCT, 1);
    v->ongewijzigd[0].toewijzingnummer = 1001;
    v->n_tewijzigen = 1;
    v->tewijzigen = istd_new(A, ISTD_C_VOWPRODUCT, 1);
    v->tewijzigen[0].toewijzingnummer = 1002;
    v->tewijzigen[0].gewenste_ingangsdatum = "2025-07-01";
    v->tewijzigen[0].einddatum = "2026-06-30";
    omvang_hours(&v->tewijzigen[0].omvang, "2026-06-30");
    v->n_nieuw = 1;
    v->nieuw = istd_new(A, ISTD_C_VOWPRODUCT, 1);
    v->nieuw[0].product.categorie = "45";
    v->nieuw[0].product.code = "45A02";
    v->nieuw[0].gewenste_ingangsdatum = "2025-07-01";
    v->nieuw[0].einddatum = "2025-12-31";
    omvang_hours(&v->nieuw[0].omvang, "2025-12-31");
    return m;
}

static istd_msg_t *msg_317(void)
{
    return msg_317_law(ISTD_JW);
}

static istd_msg_t *msg_319_law(istd_law law)
{
    istd_msg_t *m = new_msg(law, IK_319);
    m->antwoord.referentie_aanbieder = "V1";
    m->antwoord.verzoek_antwoord = "1";
    m->antwoord.reden_afwijzing = "3";
    return m;
}

static istd_msg_t *msg_319(void)
{
    return msg_319_law(ISTD_JW);
}

static void set_prestatie(istd_prestatie_t *p, char *nummer, char *vorig, char *begin, char *end, int64_t volume,
                          int64_t tarief, char *dc)
{
    p->referentie.nummer = nummer;
    p->referentie.vorig = vorig;
    p->toewijzingnummer = 1001;
    p->categorie = "45";
    p->code = "45A01";
    p->periode.begindatum = begin;
    p->periode.einddatum = end;
    p->volume = volume;
    p->eenheid = "04";
    p->tarief = tarief;
    p->bedrag.bedrag = volume * tarief;
    p->bedrag.dc = dc;
}

/* TotaalIngediendBedrag from the Prestaties (TR358 holds afterwards). */
static void fix_total(istd_msg_t *m)
{
    int64_t s = 0;
    istd_declaratie_t *d = &m->declaratie;
    for (int i = 0; i < d->n_clienten; i++)
        for (int j = 0; j < d->clienten[i].n_prestaties; j++) {
            istd_bedrag_t *b = &d->clienten[i].prestaties[j].bedrag;
            s += strcmp(b->dc, "C") == 0 ? -b->bedrag : b->bedrag;
        }
    d->ingediend.bedrag = s < 0 ? -s : s;
    d->ingediend.dc = s < 0 ? "C" : "D";
}

/* A claim for May 2025: 16 hours debit, and a credit of 2 hours for April. */
static istd_msg_t *msg_323_law(istd_law law)
{
    istd_msg_t *m = new_msg(law, IK_323);
    istd_declaratie_t *d = &m->declaratie;
    d->nummer = "D1";
    d->periode.begindatum = "2025-05-01";
    d->periode.einddatum = "2025-05-31";
    d->dagtekening = DAG;
    d->n_clienten = 1;
    d->clienten = istd_new(A, ISTD_C_CLIENT, 1);
    d->clienten[0].bsn = BSN_OK;
    d->clienten[0].n_prestaties = 2;
    d->clienten[0].prestaties = istd_new(A, ISTD_C_PRESTATIE, 2);
    set_prestatie(&d->clienten[0].prestaties[0], "P1", NULL, "2025-05-01", "2025-05-31", 16, 6500, "D");
    set_prestatie(&d->clienten[0].prestaties[1], "P2", "P0", "2025-04-01", "2025-04-30", 2, 6500, "C");
    fix_total(m);
    return m;
}

static istd_msg_t *msg_323(void)
{
    return msg_323_law(ISTD_JW);
}

static istd_prestatie_t *prestatie(istd_msg_t *m, int j)
{
    return &m->declaratie.clienten[0].prestaties[j];
}

static istd_msg_t *msg_325_law(istd_law law)
{
    istd_msg_t *m = new_msg(law, IK_325);
    istd_declaratie_t *d = &m->declaratie;
    m->header.id.identificatie = "K00000000001";
    m->header.id.dagtekening = "2025-06-05";
    m->header.declaratie_id.identificatie = "T1";
    m->header.declaratie_id.dagtekening = DAG;
    d->nummer = "D1";
    d->ingediend.bedrag = 91000;
    d->ingediend.dc = "D";
    d->toegekend.bedrag = 78000;
    d->toegekend.dc = "D";
    d->n_clienten = 1;
    d->clienten = istd_new(A, ISTD_C_CLIENT, 1);
    d->clienten[0].bsn = BSN_OK;
    d->clienten[0].n_prestaties = 1;
    d->clienten[0].prestaties = istd_new(A, ISTD_C_PRESTATIE, 1);
    set_prestatie(&d->clienten[0].prestaties[0], "P2", NULL, "2025-04-01", "2025-04-30", 2, 6500, "D");
    istd_codes_add(&d->clienten[0].prestaties[0].codes, "9346");
    return m;
}

static istd_msg_t *msg_325(void)
{
    return msg_325_law(ISTD_JW);
}

/* ---- expectations -------------------------------------------------------- */

static istd_report_t check_at(istd_msg_t *m, const char *today)
{
    istd_report_t r;
    istd_report_init(&r, A);
    int n = istd_check_message(m, today, &r);
    CHECK(n == r.n, "istd_check_message returns the number of findings (%d)", n);
    return r;
}

static void dump(const istd_report_t *r)
{
    for (int i = 0; i < r->n; i++)
        printf("#   %s %s %s: %s\n", r->issues[i].rule, r->issues[i].code, r->issues[i].path, r->issues[i].text);
}

static int refusing(const char *code)
{
    return strcmp(code, "0001") == 0 || strcmp(code, "8848") == 0;
}

/* A valid message: no finding at all, so none for rule. */
static void clean_at(istd_msg_t *m, const char *today, const char *rule, const char *what)
{
    istd_report_t r = check_at(m, today);
    CHECK(r.n == 0 && !r.rejected && m->header.codes.n == 0, "%s: %s gives no finding", rule, what);
    if (r.n) dump(&r);
}

static void clean(istd_msg_t *m, const char *rule, const char *what)
{
    clean_at(m, TODAY, rule, what);
}

typedef struct want {
    const char *rule, *code, *path;
} want_t;

/* Exactly the findings w[0..n) (in any order); refusing codes on the header
 * and the message refused; other codes not. */
static istd_report_t expect_n_at(istd_msg_t *m, const char *today, const char *what, int n, const want_t *w)
{
    istd_report_t r = check_at(m, today);
    int ok = r.n == n;
    for (int k = 0; ok && k < n; k++) {
        int found = 0;
        for (int i = 0; i < r.n; i++)
            found |= strcmp(r.issues[i].rule, w[k].rule) == 0 && strcmp(r.issues[i].code, w[k].code) == 0 &&
                     strcmp(r.issues[i].path, w[k].path) == 0 && r.issues[i].text && r.issues[i].text[0];
        ok = found;
    }
    CHECK(ok, "%s: %s gives %s %s at %s%s", w[0].rule, what, w[0].rule, w[0].code, w[0].path,
          n > 1 ? " (and its twin)" : "");
    if (!ok) dump(&r);
    for (int k = 0; k < n; k++) {
        if (refusing(w[k].code))
            CHECK(r.rejected && istd_codes_has(&m->header.codes, w[k].code), "%s: %s on the header, message refused",
                  w[k].rule, w[k].code);
        else
            CHECK(!r.rejected && !istd_codes_has(&m->header.codes, w[k].code),
                  "%s: %s not on the header, message not refused", w[k].rule, w[k].code);
    }
    return r;
}

static istd_report_t expect_at(istd_msg_t *m, const char *today, const char *what, const char *rule, const char *code,
                               const char *path)
{
    want_t w = {rule, code, path};
    return expect_n_at(m, today, what, 1, &w);
}

static istd_report_t expect(istd_msg_t *m, const char *what, const char *rule, const char *code, const char *path)
{
    return expect_at(m, TODAY, what, rule, code, path);
}

static void expect_reject(istd_msg_t *m, const char *what, const char *rule, const char *path)
{
    expect(m, what, rule, "0001", path);
}

#define TP "Client/ToegewezenProducten/ToegewezenProduct"
#define AP "Client/AangevraagdeProducten/AangevraagdProduct"
#define NP "Client/Verzoek/NieuweProducten/NieuwProduct"
#define WP "Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct"
#define PP "Declaratie/Clienten/Client[1]/Prestaties/Prestatie"
#define PA "DeclaratieAntwoord/Clienten/Client[1]/Prestaties/Prestatie"

/* ---- the report ---------------------------------------------------------- */

static void test_report(void)
{
    istd_report_t r;
    istd_msg_t *m = msg_323();
    istd_report_init(&r, A);
    CHECK(r.n == 0 && !r.rejected && r.arena == A, "report_init: empty");

    istd_report_add(&r, NULL, NULL, "XSD", "", "", "Het schema %s.xsd is niet geladen.", "JW323");
    CHECK(r.n == 1 && !r.rejected && strcmp(r.issues[0].text, "Het schema JW323.xsd is niet geladen.") == 0,
          "a note without code: formatted, refuses nothing");

    istd_prestatie_t *p = prestatie(m, 0);
    istd_report_add(&r, m, &p->codes, "TR346", "9346", "x", "bedrag");
    CHECK(istd_codes_has(&p->codes, "9346") && !istd_codes_has(&m->header.codes, "9346") && !r.rejected,
          "9346 lands on the class only");

    istd_report_add(&r, m, NULL, "TR358", "0001", "Declaratie", "som");
    CHECK(r.rejected && istd_codes_has(&m->header.codes, "0001") && m->header.codes.n == 1,
          "0001 refuses and goes on the header");
    istd_report_add(&r, m, &m->header.codes, "XSD", "0001", "", "nog eens");
    CHECK(m->header.codes.n == 1, "0001 twice on the header is kept once");

    istd_msg_t *m2 = msg_301();
    istd_report_t r2;
    istd_report_init(&r2, A);
    istd_report_add(&r2, m2, NULL, "TR056", "9056", "Header", "dubbel");
    CHECK(r2.rejected && istd_codes_has(&m2->header.codes, "9056"), "9056 refuses and goes on the header");
    istd_report_add(&r2, NULL, NULL, "TR135", "8848", "Header", "toekomst");
    CHECK(r2.rejected, "8848 refuses, also without a message");

    for (int i = 0; i < 40; i++) istd_report_add(&r2, NULL, NULL, "X", "0200", "p", "nummer %d", i);
    CHECK(r2.n == 42 && strcmp(r2.issues[0].text, "dubbel") == 0 && strcmp(r2.issues[41].text, "nummer 39") == 0 &&
              strcmp(r2.issues[41].path, "p") == 0,
          "the issue array grows and keeps every finding");

    istd_report_add(&r2, NULL, NULL, "TOOLONGRULE", "123456", NULL, "%s", "x");
    CHECK(strcmp(r2.issues[r2.n - 1].rule, "TOOLONG") == 0 && strcmp(r2.issues[r2.n - 1].code, "1234") == 0 &&
              strcmp(r2.issues[r2.n - 1].path, "") == 0,
          "rule and code are cut to their fields, a NULL path is empty");
}

static void test_bsn_valid(void)
{
    CHECK(istd_bsn_valid("999900006") && istd_bsn_valid("123456782"), "istd_bsn_valid: elfproef holds");
    CHECK(!istd_bsn_valid("999900007") && !istd_bsn_valid("000000000") && !istd_bsn_valid(NULL) &&
              !istd_bsn_valid("12345678") && !istd_bsn_valid("1234567820") && !istd_bsn_valid("12345678a"),
          "istd_bsn_valid: wrong check digit, zeros, NULL and other lengths fail");
}

static void test_valid_messages(void)
{
    const istd_law laws[2] = {ISTD_WMO, ISTD_JW};
    for (int i = 0; i < 2; i++) {
        istd_law l = laws[i];
        const char *n = istd_law_name(l);
        clean(msg_301_law(l), n, "301 base");
        clean(msg_305_law(l), n, "305 base");
        clean(msg_307_law(l), n, "307 base");
        clean(msg_315_law(l), n, "315 base");
        clean(msg_317_law(l), n, "317 base");
        clean(msg_319_law(l), n, "319 base");
        clean(msg_323_law(l), n, "323 base");
        clean(msg_325_law(l), n, "325 base");
    }
    /* Retours 302 … 320 are not checked: their content is the heen message's. */
    istd_msg_t *m = msg_301();
    m->kind = IK_302;
    m->client.bsn = BSN_BAD;
    m->header.id.dagtekening = "2099-01-01";
    clean(m, "retour", "a 302 with a wrong BSN and a future date (retours are not checked)");
}

/* ---- DATUM and TR135 ---------------------------------------------------- */

static void test_datum(void)
{
    istd_msg_t *m = msg_301();
    m->client.toegewezen[0].toewijzingsdatum = "2024-02-29";
    clean(m, "DATUM", "29 February of a leap year");

    m = msg_301();
    m->client.toegewezen[0].toewijzingsdatum = "2025-02-29";
    expect_reject(m, "29 February 2025", "DATUM", TP "[1]/Toewijzingsdatum");

    const char *bad[] = {"2025-04-31", "0000-01-01", "2025-01-01 ", "25-01-01", "2025/01/01", ""};
    for (int i = 0; i < 6; i++) {
        m = msg_301();
        m->client.toegewezen[0].toewijzingsdatum = (char *)bad[i];
        expect_reject(m, bad[i], "DATUM", TP "[1]/Toewijzingsdatum");
    }

    m = msg_301();
    m->client.geboortedatum.datum = "1980-13-01";
    expect_reject(m, "month 13 in a birth date (TR002 skips it)", "DATUM", "Client/Geboortedatum");

    m = msg_323();
    prestatie(m, 1)->periode.begindatum = "2025-4-01";
    expect_reject(m, "a date without leading zero", "DATUM", PP "[2]/ProductPeriode/Begindatum");

    m = msg_307();
    m->client.stops[0].einddatum = "2025-05-30+01:00";
    expect_reject(m, "a date with a time zone (TR018 skips it)", "DATUM",
                  "Client/StopProducten/StopProduct[1]/Einddatum");
}

static void test_tr135(void)
{
    istd_msg_t *m = msg_301();
    m->header.id.dagtekening = TODAY;
    clean(m, "TR135", "Dagtekening today");
    clean_at(msg_323(), NULL, "TR135", "no today given: only the date itself is checked");

    m = msg_301();
    m->header.id.dagtekening = "2025-06-17";
    expect(m, "Dagtekening tomorrow", "TR135", "8848", "Header/BerichtIdentificatie/Dagtekening");
    CHECK(!istd_codes_has(&m->header.codes, "0001"), "TR135: no 0001 besides 8848");

    m = msg_319();
    m->header.id.dagtekening = "2025-02-30";
    expect(m, "30 February", "TR135", "8848", "Header/BerichtIdentificatie/Dagtekening");

    m = msg_323();
    m->header.id.dagtekening = NULL;
    expect(m, "no Dagtekening", "TR135", "8848", "Header/BerichtIdentificatie/Dagtekening");

    m = msg_325();
    m->header.id.dagtekening = "2026-01-01";
    expect(m, "a 325 dated in the future", "TR135", "8848", "Header/BerichtIdentificatie/Dagtekening");
}

/* ---- technical rules ---------------------------------------------------- */

static void test_tr002(void)
{
    istd_msg_t *m = msg_301();
    m->client.geboortedatum.datum = "1905-06-02";
    clean(m, "TR002", "born exactly 120 years before the Dagtekening");

    m = msg_301();
    m->client.geboortedatum.datum = "1900-01-01";
    m->client.geboortedatum.gebruik = "3";
    clean(m, "TR002", "an unknown birth date (DatumGebruik 3)");

    m = msg_305();
    m->client.geboortedatum.datum = "1905-01-01";
    m->client.geboortedatum.gebruik = "2";
    clean(m, "TR002", "only the year known (1905 may be after 2 June)");

    m = msg_301();
    m->client.geboortedatum.datum = "1905-06-01";
    expect_reject(m, "301 client born 120 years and a day before", "TR002", "Client/Geboortedatum");

    m = msg_301();
    m->client.relaties[0].geboortedatum.datum = "1880-01-01";
    expect_reject(m, "301 Relatie born in 1880", "TR002", "Client/Relaties/Relatie[1]/Geboortedatum");

    m = msg_305();
    m->client.geboortedatum.datum = "1905-05-01";
    m->client.geboortedatum.gebruik = "1";
    expect_reject(m, "305, month known: May 1905 ends before 2 June", "TR002", "Client/Geboortedatum");

    m = msg_307();
    m->client.geboortedatum.datum = "1901-03-03";
    expect_reject(m, "307 client born 1901", "TR002", "Client/Geboortedatum");

    m = msg_315();
    m->client.geboortedatum.datum = "1904-12-31";
    m->client.geboortedatum.gebruik = "2";
    expect_reject(m, "315 client, only the year 1904 known", "TR002", "Client/Geboortedatum");
}

static void test_tr006(void)
{
    istd_msg_t *m = msg_301();
    m->client.contacten[0].adres.huis.huisnummer = ISTD_NONE;
    m->client.contacten[0].telefoon.t1.telefoonnummer = "0201234567";
    clean(m, "TR006", "a contact with a phone number and no house number");

    m = msg_301();
    m->client.contacten[0].adres.huis.huisnummer = ISTD_NONE;
    expect_reject(m, "a postcode without house number nor phone", "TR006", "Client/Contactgegevens/Contact[1]");

    m = msg_301();
    m->client.relaties[0].contact.telefoon.t1.telefoonnummer = NULL;
    expect_reject(m, "a Relatie contact with neither", "TR006", "Client/Relaties/Relatie[1]/Contact");
}

static void test_tr018(void)
{
    istd_msg_t *m = msg_307();
    m->client.stops[0].einddatum = m->client.stops[0].begindatum;
    clean(m, "TR018", "Einddatum equal to Begindatum");

    m = msg_307();
    m->client.stops[0].einddatum = "2025-01-05";
    expect_reject(m, "Einddatum a day before Begindatum", "TR018", "Client/StopProducten/StopProduct[1]/Einddatum");
}

static void test_tr061(void)
{
    istd_msg_t *m = msg_301();
    istd_client_t *c = &m->client;
    c->contacten = istd_new(A, ISTD_C_CONTACT, 2);
    c->n_contacten = 2;
    for (int i = 0; i < 2; i++) c->contacten[i].telefoon.t1.telefoonnummer = "0201234567";
    c->contacten[0].soort = "04";
    c->contacten[1].soort = "03";
    clean(m, "TR061", "a temporary and a residential address");

    m = msg_301();
    m->client.contacten[0].soort = "04";
    expect_reject(m, "only a temporary address", "TR061", "Client/Contactgegevens");
}

static void test_tr137(void)
{
    istd_msg_t *m = msg_323();
    prestatie(m, 0)->periode.begindatum = "2025-06-01";
    prestatie(m, 0)->periode.einddatum = DAG;
    clean(m, "TR137", "a ProductPeriode ending on the Dagtekening");

    m = msg_323();
    prestatie(m, 0)->periode.begindatum = "2025-06-01";
    prestatie(m, 0)->periode.einddatum = "2025-06-03";
    expect_reject(m, "a ProductPeriode ending after the Dagtekening", "TR137", PP "[1]/ProductPeriode/Einddatum");

    m = msg_323();
    prestatie(m, 0)->periode.begindatum = "2025-05-31";
    prestatie(m, 0)->periode.einddatum = "2025-05-01";
    expect_reject(m, "a ProductPeriode ending before it begins", "TR137", PP "[1]/ProductPeriode/Einddatum");

    m = msg_323();
    m->declaratie.periode.begindatum = "2025-06-01";
    m->declaratie.periode.einddatum = "2025-06-30";
    expect_reject(m, "a DeclaratiePeriode ending after the Dagtekening", "TR137",
                  "Declaratie/DeclaratiePeriode/Einddatum");

    m = msg_325();
    prestatie(m, 0)->periode.einddatum = "2025-03-31";
    expect_reject(m, "325: a ProductPeriode ending before it begins", "TR137", PA "[1]/ProductPeriode/Einddatum");
}

/* 301 with n products of the given categories, codes and periods. */
static istd_msg_t *msg_301_products(int n, char **cat, char **code, char **begin, char **end)
{
    istd_msg_t *m = msg_301();
    m->client.n_toegewezen = n;
    m->client.toegewezen = istd_new(A, ISTD_C_TOEGEWEZEN, n);
    for (int i = 0; i < n; i++) {
        set_toegewezen(&m->client.toegewezen[i], 2001 + i, cat[i], code[i], begin[i], end[i]);
        if (!cat[i] && !code[i]) m->client.toegewezen[i].budget = 1000; /* CD079 */
    }
    return m;
}

static void test_tr302(void)
{
    char *c45[] = {"45", "45"}, *same[] = {"45A01", "45A01"}, *diff[] = {"45A01", "45A02"};
    char *b1[] = {"2025-01-01", "2025-04-01"}, *e1[] = {"2025-03-31", "2025-12-31"};
    clean(msg_301_products(2, c45, same, b1, e1), "TR302", "one product in two adjacent periods");

    char *b2[] = {"2025-01-01", "2025-06-30"}, *e2[] = {"2025-06-30", "2025-12-31"};
    clean(msg_301_products(2, c45, diff, b2, e2), "TR302", "two codes of one category overlapping");
    expect_reject(msg_301_products(2, c45, same, b2, e2), "one product overlapping on one day", "TR302", TP "[2]");

    char *b3[] = {"2025-01-01", "2024-01-01"}, *e3[] = {NULL, "2024-12-31"};
    clean(msg_301_products(2, c45, same, b3, e3), "TR302", "an open period after a closed one");
    char *e4[] = {NULL, "2025-01-01"};
    expect_reject(msg_301_products(2, c45, same, b3, e4), "a closed period reaching into an open one", "TR302",
                  TP "[1]");

    /* Without a code: every product of the category; reported at the one
     * without code, whether it starts first or last. */
    char *nocode[] = {"45A01", NULL}, *b5[] = {"2025-01-01", "2025-05-01"}, *e5[] = {"2025-12-31", NULL};
    expect_reject(msg_301_products(2, c45, nocode, b5, e5), "a category without code inside a coded product", "TR302",
                  TP "[2]");
    char *nocode1[] = {NULL, "45A01"}, *b6[] = {"2025-01-01", "2025-05-01"}, *e6[] = {"2025-12-31", "2025-12-31"};
    expect_reject(msg_301_products(2, c45, nocode1, b6, e6), "a category without code starting first", "TR302",
                  TP "[1]");
    char *c4554[] = {"45", "54"};
    clean(msg_301_products(2, c4554, nocode1, b6, e6), "TR302", "a category without code and another category");

    /* Without a category (a Budget only): every product. */
    char *nocat[] = {"45", NULL}, *nocatcode[] = {"45A01", NULL}, *e8[] = {"2025-12-31", "2025-12-31"};
    expect_reject(msg_301_products(2, nocat, nocatcode, b5, e8), "a budget without product overlapping", "TR302",
                  TP "[2]");

    /* Removed assignments (RedenWijziging 13, one day) do not count. */
    char *b7[] = {"2025-03-01", "2025-01-01"}, *e7[] = {"2025-03-01", "2025-12-31"};
    istd_msg_t *m = msg_301_products(2, c45, same, b7, e7);
    m->client.toegewezen[0].reden_wijziging = "13";
    clean(m, "TR302", "a removed assignment inside a current one");
}

static void test_tr386(void)
{
    istd_msg_t *m = msg_315();
    m->client.aangevraagd[1].toewijzing_ingangsdatum = "2026-01-01";
    m->client.aangevraagd[1].toewijzing_einddatum = "2026-06-30";
    clean(m, "TR386", "two products in different periods");

    m = msg_315();
    istd_aangevraagd_t *a = &m->client.aangevraagd[1];
    a->product.code = "45A01";
    a->product.categorie = "45";
    a->budget = ISTD_NONE;
    omvang_hours(&a->omvang, "2025-12-31");
    a->toewijzing_ingangsdatum = "2025-12-01";
    expect_reject(m, "the same product asked twice, overlapping", "TR386", AP "[2]");
}

static void test_tr410(void)
{
    istd_msg_t *m = msg_317();
    istd_verzoek_t *v = &m->client.verzoek;
    v->n_nieuw = 2;
    istd_vowproduct_t *n = istd_new(A, ISTD_C_VOWPRODUCT, 2);
    n[0] = v->nieuw[0];
    n[1] = v->nieuw[0];
    n[1].gewenste_ingangsdatum = "2026-01-01";
    n[1].einddatum = "2026-03-31";
    v->nieuw = n;
    clean(m, "TR410", "one new product in two consecutive periods");

    n[1].gewenste_ingangsdatum = "2025-12-31";
    expect_reject(m, "one new product in overlapping periods", "TR410", NP "[2]");
}

static void test_tr315(void)
{
    istd_msg_t *m = msg_323();
    istd_client_t *c = &m->declaratie.clienten[0];
    c->n_prestaties = 3;
    istd_prestatie_t *p = istd_new(A, ISTD_C_PRESTATIE, 3);
    p[0] = c->prestaties[0];
    p[1] = c->prestaties[1];
    set_prestatie(&p[2], "P3", "P00", "2025-03-01", "2025-03-31", 1, 6500, "C");
    c->prestaties = p;
    fix_total(m);
    clean(m, "TR315", "two credits of different earlier Prestaties");

    p[2].referentie.vorig = "P0";
    expect_reject(m, "two credits of the same earlier Prestatie", "TR315",
                  PP "[3]/ProductReferentie/VorigReferentieNummer");
}

static void test_tr316(void)
{
    clean(msg_323(), "TR316", "a credit of a Prestatie of an earlier message");

    istd_msg_t *m = msg_323();
    prestatie(m, 1)->referentie.vorig = "P1";
    expect_reject(m, "a credit of a Prestatie in the same message", "TR316",
                  PP "[2]/ProductReferentie/VorigReferentieNummer");
}

static void test_tr416(void)
{
    istd_msg_t *m = msg_323();
    set_prestatie(prestatie(m, 1), "P2", "P0", "2025-05-01", "2025-05-31", 16, 6500, "C");
    fix_total(m);
    clean(m, "TR416", "a credit and a debit of one product and period");

    m = msg_323();
    set_prestatie(prestatie(m, 1), "P2", NULL, "2025-05-01", "2025-05-31", 3, 6500, "D");
    fix_total(m);
    expect_reject(m, "two debits of one assignment, product and period", "TR416", PP "[2]");

    m = msg_323();
    set_prestatie(prestatie(m, 1), "P2", NULL, "2025-05-01", "2025-05-31", 3, 6500, "D");
    prestatie(m, 1)->toewijzingnummer = 1002;
    fix_total(m);
    clean(m, "TR416", "two debits of one product and period on two assignments");
}

/* A 323 dated January 2027 claiming December 2026 (TR335 needs a
 * DeclaratieDagtekening more than five years after 2021). */
static istd_msg_t *msg_323_2027(char *begin, char *end)
{
    istd_msg_t *m = msg_323();
    m->header.id.dagtekening = "2027-01-05";
    m->declaratie.dagtekening = "2027-01-05";
    m->declaratie.periode.begindatum = "2026-12-01";
    m->declaratie.periode.einddatum = "2026-12-31";
    prestatie(m, 0)->periode.begindatum = begin;
    prestatie(m, 0)->periode.einddatum = end;
    return m;
}

static void test_tr335(void)
{
    clean_at(msg_323_2027("2022-01-01", "2022-01-31"), "2027-01-10", "TR335",
             "a ProductPeriode ending less than five years before");
    expect_at(msg_323_2027("2021-12-01", "2021-12-31"), "2027-01-10", "a ProductPeriode ending over five years before",
              "TR335", "0001", PP "[1]/ProductPeriode/Einddatum");
}

static void test_tr346(void)
{
    istd_msg_t *m = msg_323();
    istd_prestatie_t *p = prestatie(m, 0);
    p->eenheid = "01";
    p->volume = 45;
    p->tarief = 83; /* € 50,00 an hour, € 0,8333 a minute (IV081) */
    p->bedrag.bedrag = 3750;
    fix_total(m);
    clean(m, "TR346", "45 minutes of an hourly tariff of € 50,00: € 37,50, not 45 × € 0,83");

    m = msg_323();
    p = prestatie(m, 0);
    p->bedrag.bedrag = 104001;
    fix_total(m);
    expect(m, "16 × € 65,00 claimed as € 1040,01", "TR346", "9346", PP "[1]/IngediendBedrag");
    CHECK(istd_codes_has(&p->codes, "9346") && !istd_codes_has(&prestatie(m, 1)->codes, "9346") &&
              m->header.codes.n == 0,
          "TR346: 9346 on this Prestatie only, nothing on the header");

    m = msg_323();
    p = prestatie(m, 0);
    p->eenheid = "01";
    p->volume = 45;
    p->tarief = 83;
    p->bedrag.bedrag = 3800;
    fix_total(m);
    expect(m, "45 minutes claimed as € 38,00 (no hourly tariff gives it)", "TR346", "9346", PP "[1]/IngediendBedrag");

    m = msg_323();
    p = prestatie(m, 0);
    p->volume = 99999999;
    p->tarief = 99999999;
    p->bedrag.bedrag = 99999999;
    fix_total(m);
    istd_report_t r =
        expect(m, "the largest volume and tariff (no overflow)", "TR346", "9346", PP "[1]/IngediendBedrag");
    CHECK(r.n == 1 && strstr(r.issues[0].text, "€ 99999998000000,01") != NULL, "TR346: the product is exact: %s",
          r.n ? r.issues[0].text : "");

    m = msg_323();
    p = prestatie(m, 0);
    p->volume = -16;
    clean(m, "TR346", "a negative volume is left to the XSD layer");
}

static void test_tr352(void)
{
    istd_msg_t *m = msg_317();
    m->client.verzoek.n_ongewijzigd = 0;
    clean(m, "TR352", "a TeWijzigenProduct without OngewijzigdProduct");

    m = msg_317();
    m->client.verzoek.n_ongewijzigd = 0;
    m->client.verzoek.n_tewijzigen = 0;
    expect_reject(m, "only a NieuwProduct", "TR352", "Client/Verzoek");
}

static void test_tr353(void)
{
    istd_msg_t *m = msg_317();
    m->client.verzoek.n_tewijzigen = 0;
    clean(m, "TR353", "an OngewijzigdProduct and a NieuwProduct");

    m = msg_317();
    m->client.verzoek.n_tewijzigen = 0;
    m->client.verzoek.n_nieuw = 0;
    expect_reject(m, "only an OngewijzigdProduct", "TR353", "Client/Verzoek");
}

static void test_tr358(void)
{
    istd_msg_t *m = msg_323();
    prestatie(m, 0)->bedrag.dc = "C";
    prestatie(m, 0)->referentie.vorig = "P00";
    fix_total(m);
    CHECK(strcmp(m->declaratie.ingediend.dc, "C") == 0, "TR358: a credit total is built");
    clean(m, "TR358", "two credits and a credit total");

    m = msg_323();
    m->declaratie.ingediend.bedrag = 91001;
    expect_reject(m, "a total one cent off", "TR358", "Declaratie/TotaalIngediendBedrag");

    m = msg_323();
    m->declaratie.ingediend.dc = "C";
    expect_reject(m, "the right amount as credit", "TR358", "Declaratie/TotaalIngediendBedrag");
}

static void test_tr377(void)
{
    istd_msg_t *m = msg_319();
    m->antwoord.reden_afwijzing = "8";
    m->antwoord.woonplaatsbeginsel.gemeente = "0363";
    clean(m, "TR377", "reason 8 with the Woonplaatsbeginsel");
    m = msg_319_law(ISTD_WMO);
    m->antwoord.reden_afwijzing = "8";
    clean(m, "TR377", "iWmo: reason 8 has no Woonplaatsbeginsel class");

    m = msg_319();
    m->antwoord.reden_afwijzing = "8";
    expect_reject(m, "iJw reason 8 without Woonplaatsbeginsel", "TR377", "Antwoord/Woonplaatsbeginsel");
}

static void test_tr409(void)
{
    clean(msg_319(), "TR409", "reason 3 without Woonplaatsbeginsel");

    istd_msg_t *m = msg_319();
    m->antwoord.woonplaatsbeginsel.gemeente = "0363";
    expect_reject(m, "reason 3 with a Woonplaatsbeginsel", "TR409", "Antwoord/Woonplaatsbeginsel");
}

static void test_tr380(void)
{
    istd_msg_t *m = msg_317();
    m->client.verzoek.nieuw[0].gewenste_ingangsdatum = "2025-06-03";
    clean(m, "TR380", "a new product from the day after the Dagtekening");
    m = msg_317();
    m->client.verzoek.tewijzigen[0].gewenste_ingangsdatum = "2025-05-01";
    clean(m, "TR380", "a change from a past date (TeWijzigenProduct: TR357, not TR380)");

    m = msg_317();
    m->client.verzoek.nieuw[0].gewenste_ingangsdatum = DAG;
    expect_reject(m, "a new product from the Dagtekening itself", "TR380", NP "[1]/GewensteIngangsdatum");
}

static void test_tr383(void)
{
    clean(msg_315(), "TR383", "R1 and R2");

    istd_msg_t *m = msg_315();
    m->client.aangevraagd[1].referentie_aanbieder = "R1";
    expect_reject(m, "R1 twice", "TR383", AP "[2]/ReferentieAanbieder");
}

/* ---- conditions (CD) ---------------------------------------------------- */

static void test_cd041(void)
{
    clean(msg_301(), "CD041", "a product code with an Omvang");

    istd_msg_t *m = msg_301();
    istd_init(ISTD_C_TOEGEWEZEN, &m->client.toegewezen[0]);
    set_toegewezen(&m->client.toegewezen[0], 1001, "45", "45A01", "2025-01-01", "2025-12-31");
    m->client.toegewezen[0].omvang.volume = ISTD_NONE;
    m->client.toegewezen[0].omvang.eenheid = m->client.toegewezen[0].omvang.frequentie = NULL;
    expect_reject(m, "301: a product code without Omvang", "CD041", TP "[1]/Omvang");

    m = msg_315();
    m->client.aangevraagd[0].omvang.volume = ISTD_NONE;
    m->client.aangevraagd[0].omvang.eenheid = m->client.aangevraagd[0].omvang.frequentie = NULL;
    expect_reject(m, "315: a product code without Omvang", "CD041", AP "[1]/Omvang");

    m = msg_317();
    m->client.verzoek.nieuw[0].omvang.volume = ISTD_NONE;
    m->client.verzoek.nieuw[0].omvang.eenheid = m->client.verzoek.nieuw[0].omvang.frequentie = NULL;
    expect_reject(m, "317: a new product code without Omvang", "CD041", NP "[1]/Omvang");
}

static void test_cd043(void)
{
    istd_msg_t *m = msg_315();
    m->client.aangevraagd[0].beschikkingnummer = 77;
    m->client.aangevraagd[0].beschikking_ingangsdatum = "2025-05-01";
    clean(m, "CD043", "a BeschikkingNummer with its date");

    m = msg_315();
    m->client.aangevraagd[0].beschikkingnummer = 77;
    expect_reject(m, "a BeschikkingNummer without date", "CD043", AP "[1]/BeschikkingIngangsdatum");

    m = msg_315();
    m->client.aangevraagd[1].beschikking_ingangsdatum = "2025-05-01";
    expect_reject(m, "a date without BeschikkingNummer", "CD043", AP "[2]/BeschikkingIngangsdatum");
}

static void test_cd060(void)
{
    clean(msg_323(), "CD060", "a debit without and a credit with VorigReferentieNummer");

    istd_msg_t *m = msg_323();
    prestatie(m, 1)->referentie.vorig = NULL;
    expect_reject(m, "a credit without VorigReferentieNummer", "CD060",
                  PP "[2]/ProductReferentie/VorigReferentieNummer");

    m = msg_323();
    prestatie(m, 0)->referentie.vorig = "P00";
    expect_reject(m, "a debit with VorigReferentieNummer", "CD060", PP "[1]/ProductReferentie/VorigReferentieNummer");

    m = msg_325();
    prestatie(m, 0)->bedrag.dc = "C";
    expect_reject(m, "325: a credit without VorigReferentieNummer", "CD060",
                  PA "[1]/ProductReferentie/VorigReferentieNummer");
}

static void test_cd075(void)
{
    clean(msg_301(), "CD075", "a Budget with Einddatum");

    istd_msg_t *m = msg_301();
    m->client.toegewezen[1].einddatum = NULL;
    expect_reject(m, "301: a Budget without Einddatum", "CD075", TP "[2]/Einddatum");

    m = msg_315();
    m->client.aangevraagd[1].toewijzing_einddatum = NULL;
    expect_reject(m, "315: a Budget without ToewijzingEinddatum", "CD075", AP "[2]/ToewijzingEinddatum");

    m = msg_317();
    istd_vowproduct_t *w = &m->client.verzoek.tewijzigen[0];
    w->omvang.volume = ISTD_NONE;
    w->omvang.eenheid = w->omvang.frequentie = NULL;
    w->budget = 90000;
    w->einddatum = NULL;
    expect_reject(m, "317: a changed Budget without Einddatum", "CD075", WP "[1]/Einddatum");
}

static void test_cd076(void)
{
    istd_msg_t *m = msg_301();
    m->client.toegewezen[0].einddatum = NULL;
    m->client.toegewezen[0].omvang.frequentie = "4";
    clean(m, "CD076", "an open period with 4 hours a month");

    m = msg_301();
    m->client.toegewezen[0].einddatum = NULL;
    expect_reject(m, "301: per week without Einddatum", "CD076", TP "[1]/Einddatum");

    m = msg_315();
    m->client.aangevraagd[0].toewijzing_einddatum = NULL;
    expect_reject(m, "315: per week without ToewijzingEinddatum", "CD076", AP "[1]/ToewijzingEinddatum");

    m = msg_317();
    m->client.verzoek.nieuw[0].einddatum = NULL;
    expect_reject(m, "317: per week without Einddatum", "CD076", NP "[1]/Einddatum");
}

static void test_cd077(void)
{
    clean(msg_301(), "CD077", "Omvang and Budget on different products");

    /* CD077 and CD078 are one condition seen from each element: both fire. */
    istd_msg_t *m = msg_301();
    m->client.toegewezen[0].budget = 1000;
    want_t w[2] = {{"CD077", "0001", TP "[1]/Omvang"}, {"CD078", "0001", TP "[1]/Budget"}};
    expect_n_at(m, TODAY, "301: Omvang and Budget together", 2, w);

    m = msg_317();
    m->client.verzoek.tewijzigen[0].budget = 1000;
    want_t w2[2] = {{"CD077", "0001", WP "[1]/Omvang"}, {"CD078", "0001", WP "[1]/Budget"}};
    expect_n_at(m, TODAY, "317: Omvang and Budget together", 2, w2);
}

static void test_cd078(void)
{
    clean(msg_315(), "CD078", "Omvang and Budget on different products");

    istd_msg_t *m = msg_315();
    m->client.aangevraagd[0].budget = 1000;
    want_t w[2] = {{"CD078", "0001", AP "[1]/Budget"}, {"CD077", "0001", AP "[1]/Omvang"}};
    expect_n_at(m, TODAY, "315: Budget and Omvang together", 2, w);
}

static void test_cd079(void)
{
    char *cat[] = {NULL}, *code[] = {NULL}, *b[] = {"2025-01-01"}, *e[] = {"2025-12-31"};
    clean(msg_301_products(1, cat, code, b, e), "CD079", "a Budget without product");

    istd_msg_t *m = msg_301_products(1, cat, code, b, e);
    m->client.toegewezen[0].budget = ISTD_NONE;
    expect_reject(m, "301: neither Budget nor Product", "CD079", TP "[1]/Product");

    m = msg_317();
    istd_vowproduct_t *n = &m->client.verzoek.nieuw[0];
    n->product.categorie = n->product.code = NULL;
    n->omvang.volume = ISTD_NONE;
    n->omvang.eenheid = n->omvang.frequentie = NULL;
    expect_reject(m, "317: a new product with neither", "CD079", NP "[1]/Product");
}

static void test_cd080(void)
{
    istd_msg_t *m = msg_301();
    istd_toegewezen_t *t = &m->client.toegewezen[1];
    t->budget = ISTD_NONE;
    t->ingangsdatum = "2020-01-01";
    t->einddatum = "2020-12-31";
    omvang_hours(&t->omvang, t->einddatum);
    clean(m, "CD080", "a category with Omvang ending in 2020");

    m = msg_301();
    t = &m->client.toegewezen[1];
    t->budget = ISTD_NONE;
    omvang_hours(&t->omvang, t->einddatum);
    expect_reject(m, "a category with Omvang ending in 2025", "CD080", TP "[2]/Omvang");
}

static void test_cd095(void)
{
    istd_msg_t *m = msg_315();
    istd_aangevraagd_t *a = &m->client.aangevraagd[1];
    a->budget = ISTD_NONE;
    omvang_hours(&a->omvang, a->toewijzing_einddatum);
    expect_reject(m, "a category with Omvang asked from 2025", "CD095", AP "[2]/Omvang");

    a->toewijzing_ingangsdatum = "2020-07-01";
    a->toewijzing_einddatum = "2020-12-31";
    m = msg_315();
    m->client.aangevraagd[1] = *a;
    clean(m, "CD095", "the same ending in 2020");
}

static void test_cd096(void)
{
    clean(msg_317(), "CD096", "a new product with a code and Omvang");

    istd_msg_t *m = msg_317();
    m->client.verzoek.nieuw[0].product.code = NULL;
    expect_reject(m, "a new category without code with Omvang", "CD096", NP "[1]/Omvang");
}

static void test_cd085(void)
{
    clean(msg_319(), "CD085", "rejected with a reason");

    istd_msg_t *m = msg_319();
    m->antwoord.reden_afwijzing = NULL;
    expect_reject(m, "rejected without reason", "CD085", "Antwoord/RedenAfwijzingVerzoek");
}

static void test_cd086(void)
{
    istd_msg_t *m = msg_319();
    m->antwoord.verzoek_antwoord = "2";
    m->antwoord.reden_afwijzing = NULL;
    clean(m, "CD086", "in onderzoek without reason");

    m = msg_319();
    m->antwoord.verzoek_antwoord = "2";
    expect_reject(m, "in onderzoek with a reason", "CD086", "Antwoord/RedenAfwijzingVerzoek");
}

static void test_cd087(void)
{
    istd_msg_t *m = msg_323();
    istd_prestatie_t *p = prestatie(m, 0);
    p->eenheid = "83";
    p->tarief = ISTD_NONE;
    p->volume = p->bedrag.bedrag;
    clean(m, "CD087", "euros without tariff");

    m = msg_323();
    prestatie(m, 0)->tarief = ISTD_NONE;
    expect_reject(m, "hours without tariff", "CD087", PP "[1]/ProductTarief");

    m = msg_323();
    p = prestatie(m, 0);
    p->eenheid = "83";
    p->volume = p->bedrag.bedrag;
    expect_reject(m, "euros with a tariff", "CD087", PP "[1]/ProductTarief");
}

/* ---- constraints (CS) --------------------------------------------------- */

static void test_cs002(void)
{
    clean(msg_317(), "CS002", "a valid BSN");

    istd_msg_t *m = msg_301();
    m->client.bsn = BSN_BAD;
    istd_report_t r = expect(m, "301", "CS002", "0001", "Client/Bsn");
    CHECK(r.n == 1 && !strstr(r.issues[0].text, BSN_BAD), "CS002: the text does not repeat the BSN");

    m = msg_317();
    m->client.bsn = "000000000";
    expect_reject(m, "317: 000000000", "CS002", "Client/Bsn");

    m = msg_323();
    m->declaratie.clienten[0].bsn = BSN_BAD;
    expect_reject(m, "323", "CS002", "Declaratie/Clienten/Client[1]/Bsn");

    m = msg_325();
    m->declaratie.clienten[0].bsn = "12345678";
    expect_reject(m, "325: eight digits", "CS002", "DeclaratieAntwoord/Clienten/Client[1]/Bsn");
}

static void test_cs003(void)
{
    istd_msg_t *m = msg_301();
    m->client.toegewezen[0].einddatum = "2025-01-01";
    clean(m, "CS003", "Einddatum equal to Ingangsdatum");

    m = msg_301();
    m->client.toegewezen[0].einddatum = "2024-12-31";
    expect_reject(m, "301: Einddatum before Ingangsdatum", "CS003", TP "[1]/Einddatum");

    m = msg_301();
    m->client.contacten[0].periode.begindatum = "2025-02-01";
    m->client.contacten[0].periode.einddatum = "2025-01-31";
    expect_reject(m, "301: a contact period ending before it begins", "CS003",
                  "Client/Contactgegevens/Contact[1]/Periode/Einddatum");

    m = msg_315();
    m->client.aangevraagd[0].toewijzing_einddatum = "2025-06-30";
    expect_reject(m, "315: ToewijzingEinddatum before ToewijzingIngangsdatum", "CS003", AP "[1]/ToewijzingEinddatum");

    m = msg_317();
    m->client.verzoek.tewijzigen[0].einddatum = "2025-06-30";
    expect_reject(m, "317: Einddatum before GewensteIngangsdatum", "CS003", WP "[1]/Einddatum");
}

static void test_cs058(void)
{
    istd_msg_t *m = msg_307();
    m->client.stops[0].status_aanlevering = "3";
    clean(m, "CS058", "StatusAanlevering 3");

    m = msg_305();
    m->client.starts[0].status_aanlevering = "2";
    expect_reject(m, "StatusAanlevering 2", "CS058", "Client/StartProducten/StartProduct[1]/StatusAanlevering");
}

static void test_cs089(void)
{
    istd_msg_t *m = msg_301();
    m->client.contacten[0].adres.postcode = "1234ab";
    clean(m, "CS089", "NL, lower-case letters");
    m = msg_301();
    m->client.contacten[0].adres.landcode = "BE";
    m->client.contacten[0].adres.postcode = "1000";
    clean(m, "CS089", "a Belgian postcode");

    const char *bad[] = {"0234AB", "1234 AB", "12345A", "1234ABC"};
    for (int i = 0; i < 4; i++) {
        m = msg_301();
        m->client.contacten[0].adres.postcode = (char *)bad[i];
        expect_reject(m, bad[i], "CS089", "Client/Contactgegevens/Contact[1]/Adres/Postcode");
    }
}

static void test_cs100(void)
{
    istd_msg_t *m = msg_323();
    prestatie(m, 1)->periode.begindatum = "2021-01-01";
    prestatie(m, 1)->periode.einddatum = "2021-01-31";
    clean(m, "CS100", "January 2021");

    m = msg_323();
    prestatie(m, 1)->periode.begindatum = "2020-12-01";
    prestatie(m, 1)->periode.einddatum = "2020-12-31";
    expect_reject(m, "a Prestatie for December 2020", "CS100", PP "[2]/ProductPeriode/Begindatum");

    m = msg_323();
    m->declaratie.periode.begindatum = "2020-12-01";
    m->declaratie.periode.einddatum = "2020-12-31";
    expect_reject(m, "a DeclaratiePeriode of December 2020", "CS100", "Declaratie/DeclaratiePeriode/Begindatum");
}

static void test_cs325(void)
{
    istd_msg_t *m = msg_323();
    set_prestatie(prestatie(m, 1), "P2", NULL, "2025-04-01", "2025-04-30", 0, 6500, "D");
    fix_total(m);
    clean(m, "CS325", "a zero debit Prestatie");

    m = msg_323();
    set_prestatie(prestatie(m, 1), "P2", "P0", "2025-04-01", "2025-04-30", 0, 6500, "C");
    fix_total(m);
    expect_reject(m, "a zero credit Prestatie", "CS325", PP "[2]/IngediendBedrag");

    m = msg_323();
    set_prestatie(prestatie(m, 0), "P1", NULL, "2025-05-01", "2025-05-31", 0, 6500, "D");
    set_prestatie(prestatie(m, 1), "P2", NULL, "2025-04-01", "2025-04-30", 0, 6500, "D");
    m->declaratie.ingediend.bedrag = 0;
    m->declaratie.ingediend.dc = "C";
    expect_reject(m, "a zero credit total", "CS325", "Declaratie/TotaalIngediendBedrag");

    m = msg_325();
    m->declaratie.toegekend.bedrag = 0;
    m->declaratie.toegekend.dc = "C";
    expect_reject(m, "325: a zero credit TotaalToegekendBedrag", "CS325", "DeclaratieAntwoord/TotaalToegekendBedrag");
}

static void test_cs335(void)
{
    char *cat[] = {"45"}, *code[] = {"45A01"}, *b[] = {"2025-03-01"}, *e[] = {"2025-03-01"};
    istd_msg_t *m = msg_301_products(1, cat, code, b, e);
    m->client.toegewezen[0].reden_wijziging = "13";
    clean(m, "CS335", "reason 13 with Ingangsdatum = Einddatum");

    m = msg_301();
    m->client.toegewezen[0].reden_wijziging = "13";
    expect_reject(m, "reason 13 on a year", "CS335", TP "[1]/RedenWijziging");
}

static void test_cs336(void)
{
    istd_msg_t *m = msg_301();
    m->client.toegewezen[0].reden_wijziging = "04";
    clean(m, "CS336", "reason 04");

    m = msg_301();
    m->client.toegewezen[0].reden_wijziging = "01";
    expect_reject(m, "reason 01", "CS336", TP "[1]/RedenWijziging");
}

static void test_cs337(void)
{
    clean(msg_323(), "CS337", "whole months");

    istd_msg_t *m = msg_323();
    prestatie(m, 0)->periode.begindatum = "2025-04-15";
    prestatie(m, 0)->periode.einddatum = "2025-05-10";
    expect_reject(m, "15 April to 10 May", "CS337", PP "[1]/ProductPeriode");

    m = msg_323();
    prestatie(m, 0)->periode.begindatum = "2024-05-01";
    prestatie(m, 0)->periode.einddatum = "2025-05-31";
    expect_reject(m, "May to May a year later", "CS337", PP "[1]/ProductPeriode");
}

static void test_cs338(void)
{
    istd_msg_t *m = msg_301();
    m->client.toegewezen[0].omvang.eenheid = "14";
    clean(m, "CS338", "unit 14 per week");
    m = msg_301();
    istd_toegewezen_t *t = &m->client.toegewezen[0];
    t->ingangsdatum = "2020-01-01";
    t->einddatum = "2020-12-31";
    t->omvang.eenheid = "14";
    t->omvang.frequentie = "1";
    clean(m, "CS338", "unit 14 per day, ending in 2020");

    m = msg_301();
    m->client.toegewezen[0].omvang.eenheid = "14";
    m->client.toegewezen[0].omvang.frequentie = "1";
    expect_reject(m, "301: unit 14 per day", "CS338", TP "[1]/Omvang/Frequentie");

    m = msg_317();
    m->client.verzoek.tewijzigen[0].omvang.eenheid = "84";
    m->client.verzoek.tewijzigen[0].omvang.frequentie = "1";
    expect_reject(m, "317: a change to unit 84 per day", "CS338", WP "[1]/Omvang/Frequentie");

    m = msg_317();
    m->client.verzoek.nieuw[0].omvang.eenheid = "16";
    m->client.verzoek.nieuw[0].omvang.frequentie = NULL;
    expect_reject(m, "317: a new unit 16 without frequency", "CS338", NP "[1]/Omvang/Frequentie");
}

static void test_cs343(void)
{
    istd_msg_t *m = msg_315();
    m->client.aangevraagd[0].omvang.eenheid = "16";
    m->client.aangevraagd[0].omvang.frequentie = "6";
    clean(m, "CS343", "unit 16 in total");

    m = msg_315();
    m->client.aangevraagd[0].omvang.eenheid = "16";
    m->client.aangevraagd[0].omvang.frequentie = "1";
    expect_reject(m, "unit 16 per day", "CS343", AP "[1]/Omvang/Frequentie");
}

static void test_cs339(void)
{
    istd_msg_t *m = msg_323();
    istd_prestatie_t *p = prestatie(m, 0);
    p->eenheid = "83";
    p->tarief = ISTD_NONE;
    p->volume = p->bedrag.bedrag;
    clean(m, "CS339", "euros: amount = volume");

    p->bedrag.bedrag = p->volume + 1;
    fix_total(m);
    expect_reject(m, "euros: amount one cent above volume", "CS339", PP "[1]/IngediendBedrag");
}

static void test_cs340(void)
{
    istd_msg_t *m = msg_323();
    m->declaratie.periode.begindatum = "2024-02-01";
    m->declaratie.periode.einddatum = "2024-02-29";
    clean(m, "CS340", "February of a leap year");

    m = msg_323();
    m->declaratie.periode.begindatum = "2025-05-02";
    expect_reject(m, "from the 2nd", "CS340", "Declaratie/DeclaratiePeriode");

    m = msg_323();
    m->declaratie.periode.begindatum = "2025-04-01";
    expect_reject(m, "two months", "CS340", "Declaratie/DeclaratiePeriode");

    m = msg_323();
    m->declaratie.periode.begindatum = "2023-02-01";
    m->declaratie.periode.einddatum = "2023-02-28";
    clean(m, "CS340", "February 2023");
    m->declaratie.periode.einddatum = "2023-02-27";
    expect_reject(m, "February 2023 without its last day", "CS340", "Declaratie/DeclaratiePeriode");
}

/* ---- size --------------------------------------------------------------- */

static void test_large(void)
{
    enum { N = 20000 };
    istd_msg_t *m = msg_301();
    m->client.n_toegewezen = N;
    m->client.toegewezen = istd_new(A, ISTD_C_TOEGEWEZEN, N);
    for (int i = 0; i < N; i++)
        set_toegewezen(&m->client.toegewezen[i], i + 1, "45", arena_printf(A, "%05d", i), "2025-01-01", "2025-12-31");
    clean(m, "TR302", "20,000 different products in one period (sorted, not compared in pairs)");
    m = msg_301();
    m->client.n_toegewezen = N;
    m->client.toegewezen = istd_new(A, ISTD_C_TOEGEWEZEN, N);
    for (int i = 0; i < N; i++)
        set_toegewezen(&m->client.toegewezen[i], i + 1, "45", arena_printf(A, "%05d", i), "2025-01-01", "2025-12-31");
    istd_init(ISTD_C_TOEGEWEZEN, &m->client.toegewezen[N / 2]);
    set_toegewezen(&m->client.toegewezen[N / 2], 1, NULL, NULL, "2025-06-01", "2025-06-30");
    m->client.toegewezen[N / 2].budget = 100;
    expect_reject(m, "one budget without product among them", "TR302", arena_printf(A, TP "[%d]", N / 2 + 1));

    istd_msg_t *d = msg_323();
    istd_client_t *c = &d->declaratie.clienten[0];
    c->n_prestaties = N / 2; /* 10,000 x the largest amount: the largest total (RS040) */
    c->prestaties = istd_new(A, ISTD_C_PRESTATIE, N / 2);
    for (int i = 0; i < N / 2; i++) {
        set_prestatie(&c->prestaties[i], arena_printf(A, "P%d", i), NULL, "2025-05-01", "2025-05-31", 99999999, 1, "D");
        c->prestaties[i].toewijzingnummer = i + 1;
    }
    fix_total(d);
    CHECK(d->declaratie.ingediend.bedrag == (int64_t)(N / 2) * 99999999, "the large total is exact");
    clean(d, "TR358", "10,000 Prestaties of the largest amount");
}

int main(void)
{
    A = arena_new(0);
    test_report();
    test_bsn_valid();
    test_valid_messages();
    test_datum();
    test_tr135();
    test_tr002();
    test_tr006();
    test_tr018();
    test_tr061();
    test_tr137();
    test_tr302();
    test_tr386();
    test_tr410();
    test_tr315();
    test_tr316();
    test_tr416();
    test_tr335();
    test_tr346();
    test_tr352();
    test_tr353();
    test_tr358();
    test_tr377();
    test_tr409();
    test_tr380();
    test_tr383();
    test_cd041();
    test_cd043();
    test_cd060();
    test_cd075();
    test_cd076();
    test_cd077();
    test_cd078();
    test_cd079();
    test_cd080();
    test_cd095();
    test_cd096();
    test_cd085();
    test_cd086();
    test_cd087();
    test_cs002();
    test_cs003();
    test_cs058();
    test_cs089();
    test_cs100();
    test_cs325();
    test_cs335();
    test_cs336();
    test_cs337();
    test_cs338();
    test_cs343();
    test_cs339();
    test_cs340();
    test_large();
    arena_free(A);
    return t_done();
}
