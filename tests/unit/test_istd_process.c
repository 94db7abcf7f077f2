/*
 * test_istd_process.c - receiving iStandaarden messages end to end
 * (istd/process.h): bytes -> XSD -> in-message rules -> cross-message rules
 * -> stored message and retour; and the outbox. Runs on a fresh SQLite file
 * and, when KANTEL_TEST_PG=postgresql://user@host:port names a server (as
 * scripts/check does), again on a fresh PostgreSQL database.
 *
 * Set-up: municipality 0999, providers, persons with test BSNs and
 * assignments under both laws. Then, for iWmo and iJw alike, heen messages
 * are built with the model (istd_msg_init, istd_header_fill, istd_new),
 * written with istd_write and fed to istd_receive as bytes:
 *  - 305, 307, 315, 317 and 323, each accepted and with a rule's code on one
 *    class: the stored retour (306 … 325) validates against the official
 *    XSD (iJw) or the derived one (iWmo, see istd_fixture.h), reads back,
 *    is addressed as the schemas say (306 … 318 keep the heen's Afzender,
 *    the AGB code, and Ontvanger, the gemeente; the 325 goes from the
 *    gemeente to the AGB code), has the heen's Identificatie as
 *    IdentificatieRetour (325: DeclaratieIdentificatie), and 0200 on every
 *    class without a finding; the 325 lists only the refused Prestaties
 *    (TR342), 8001 when everything was granted, TotaalToegekendBedrag the
 *    granted sum;
 *  - refused whole (XSD by value and by structure, CS002, TR135 8848,
 *    TR056 9056): a header-only retour that is still valid;
 *  - idempotence (the same bytes twice) and refusals (ISTD_REFUSED, nothing
 *    stored): another gemeente, agb_only, a 301, garbage, empty, a DTD, a
 *    header no retour can be made on;
 *  - 302 and 320 received (Afzender the gemeente, Ontvanger the provider,
 *    as in the 301/319 they answer): stored, no retour, their codes on the
 *    sent 301 (made with istd_export_301, and valid against the XSD) and 319;
 *  - answer_due (3 working days after a Friday) and answered_at;
 *  - istd_outbox_flush: files named by istd_outbox_name holding the stored
 *    bodies, written_at set, nothing the second time, uploads left out.
 *
 * Run from the repository root (the schemas are in ../shared/istd), or set
 * KANTEL_SHARED to the shared directory. Without the schemas the suite says
 * so with one "skip" line.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/keys.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/household.h"
#include "domain/ident.h"
#include "istd/istd.h"
#include "istd/process.h"
#include "istd/store.h"
#include "istd_fixture.h"
#include "test.h"

#define GEM   "0999"
#define AGB1  "12345678"   /* Zorg BV: starts, stops, requests for change, claims */
#define AGB2  "87654321"   /* Hulp BV: requests (315), answers (319/320) */
#define TODAY "2026-11-20" /* a Friday: answers are due on Wednesday 25 November */
#define DUE   "2026-11-25"
#define DAG   "2026-11-19" /* Dagtekening of the heen messages */
#define N     ISTD_NONE
#define S(x)  ((char *)(x))

static const char *g_name = "sqlite";
static int64_t NOW;
static arena_t *A;    /* messages, reports and retours of the current run */
static istd_xsd_t *X; /* both laws, with the derived iWmo retours */
static int g_seq;     /* Identificaties, references */
static int64_t P_ANNA, P_BOB;
static char BSN_ANNA[10], BSN_BOB[10], BSN_CARL[10];

/* What differs per law: product codes and ToewijzingNummers. */
typedef struct lawdef {
    istd_law law;
    const char *cat, *code1, *code2;
    int64_t n1; /* Anna at AGB1: 4 hours per week, tariff 50 euro */
    int64_t n2; /* Anna at AGB1: 10 hours per month, tariff 30 euro */
    int64_t n3; /* Bob at AGB1: 4 hours per week, tariff 50 euro */
} lawdef_t;

static const lawdef_t LAWS[2] = {
    {ISTD_WMO, "02", "02A01", "02B01", 1001, 1002, 1003},
    {ISTD_JW, "45", "45A01", "45B01", 2001, 2002, 2003},
};

/* ---- database helpers --------------------------------------------------------- */

static void exec_ok(db_t *db, const char *sql)
{
    if (db_exec(db, sql) != DB_OK) {
        printf("not ok - setup SQL failed on %s: %s: %s\n", g_name, sql, db_errmsg(db));
        exit(1);
    }
}

/* The first column of the first row as an integer (NULL = 0, no row = -1);
 * a '?' in sql is bound to id. */
static int64_t scalar(db_t *db, const char *sql, int64_t id)
{
    db_stmt_t *st = db_prepare(db, sql);
    if (!st) return -2;
    if (strchr(sql, '?')) db_bind_int(st, 1, id);
    int64_t v = db_step(st) == DB_ROW ? (db_col_is_null(st, 0) ? 0 : db_col_int(st, 0)) : -1;
    db_done(st);
    return v;
}

/* The same as text in the arena ("(null)" for NULL, "(none)" without a row). */
static const char *text(db_t *db, const char *sql, int64_t id)
{
    db_stmt_t *st = db_prepare(db, sql);
    if (!st) return "(error)";
    if (strchr(sql, '?')) db_bind_int(st, 1, id);
    const char *v = "(none)";
    if (db_step(st) == DB_ROW) v = db_col_is_null(st, 0) ? "(null)" : arena_strdup(A, db_col_text(st, 0));
    db_done(st);
    return v;
}

/* Every row the exchange keeps: a refusal must leave this unchanged. */
static int64_t rows(db_t *db)
{
    return scalar(db,
                  "SELECT (SELECT COUNT(*) FROM istd_message) + (SELECT COUNT(*) FROM istd_delivery)"
                  " + (SELECT COUNT(*) FROM istd_request) + (SELECT COUNT(*) FROM istd_declaratie)"
                  " + (SELECT COUNT(*) FROM istd_claim)",
                  0);
}

/* ---- fixtures ------------------------------------------------------------------- */

static const char *SETUP =
    "INSERT INTO municipality (gemeente, name, created_at) VALUES ('0999', 'Testgemeente', 0), ('0888', 'Andere', 0);"
    "INSERT INTO address (id, gemeente, postcode, house_number, house_addition, street, city, created_at) VALUES"
    " (1, '0999', '8011AB', 7, '', 'Kerkstraat', 'Kantelstad', 0);"
    "INSERT INTO household (id, gemeente, name, address_id, created_at) VALUES (1, '0999', 'Huishouden Visser', 1, 0);";

static int64_t person(db_t *db, const char *bsn, const char *given, const char *family, const char *birth,
                      const char *gender)
{
    struct person_in p = {
        .bsn = bsn, .given_names = given, .family_name = family, .birth_date = birth, .gender = gender};
    int64_t id = person_create(db, GEM, &p, NULL);
    if (id <= 0) {
        printf("not ok - person %s on %s: %s\n", given, g_name, db_errmsg(db));
        exit(1);
    }
    return id;
}

static void asg(db_t *db, istd_law law, int64_t nummer, int64_t person_id, const char *cat, const char *code,
                int64_t vol, const char *freq, int64_t tarief)
{
    istd_assignment_t a;
    istd_assignment_init(&a);
    a.law = law;
    a.nummer = nummer;
    a.person_id = person_id;
    snprintf(a.agb, sizeof a.agb, "%s", AGB1);
    snprintf(a.categorie, sizeof a.categorie, "%s", cat);
    snprintf(a.code, sizeof a.code, "%s", code);
    snprintf(a.ingangsdatum, sizeof a.ingangsdatum, "2026-01-01");
    snprintf(a.einddatum, sizeof a.einddatum, "2026-12-31");
    a.volume = vol;
    snprintf(a.eenheid, sizeof a.eenheid, "04");
    snprintf(a.frequentie, sizeof a.frequentie, "%s", freq);
    a.tarief = tarief;
    json_t *e = json_object();
    db_begin(db);
    int64_t id = istd_assignment_save(db, GEM, &a, NOW, e);
    if (id > 0)
        db_commit(db);
    else
        db_rollback(db);
    char *s = json_dumps(e, 0);
    CHECK(id > 0, "%s: %s assignment %lld saved %s", g_name, istd_law_name(law), (long long)nummer, id > 0 ? "" : s);
    free(s);
    json_decref(e);
}

static void seed(db_t *db)
{
    exec_ok(db, SETUP);
    P_ANNA = person(db, BSN_ANNA, "Anna", "Visser", "1984-05-12", "vrouw");
    P_BOB = person(db, BSN_BOB, "Bob", "Visser", "1982-02-03", "man");
    char sql[300];
    snprintf(sql, sizeof sql,
             "INSERT INTO household_member (household_id, person_id, relation) VALUES"
             " (1, %lld, 'hoofdbewoner'), (1, %lld, 'partner')",
             (long long)P_ANNA, (long long)P_BOB);
    exec_ok(db, sql);
    CHECK(istd_provider_ensure(db, GEM, AGB1, "Zorg BV", NOW) > 0 &&
              istd_provider_ensure(db, GEM, AGB2, "Hulp BV", NOW) > 0,
          "%s: providers", g_name);
    for (int l = 0; l < 2; l++) {
        const lawdef_t *L = &LAWS[l];
        asg(db, L->law, L->n1, P_ANNA, L->cat, L->code1, 4, "2", 5000);
        asg(db, L->law, L->n2, P_ANNA, L->cat, L->code2, 10, "4", 3000);
        asg(db, L->law, L->n3, P_BOB, L->cat, L->code1, 4, "2", 5000);
    }
}

/* ---- messages ------------------------------------------------------------------- */

static istd_msg_t *heen(istd_law law, istd_kind k, const char *agb)
{
    istd_msg_t *m = arena_calloc(A, sizeof *m);
    istd_msg_init(m, law, k);
    istd_header_fill(m);
    m->header.afzender = S(agb);
    m->header.ontvanger = S(GEM);
    m->header.id.identificatie = arena_printf(A, "P%06d", ++g_seq);
    m->header.id.dagtekening = S(DAG);
    return m;
}

static void person_data(istd_client_t *c, const char *bsn)
{
    c->bsn = S(bsn);
    c->geboortedatum.datum = S("1984-05-12");
    c->geslacht = S("2");
    c->naam.geslachtsnaam.achternaam = S("Visser");
    c->naam.voorletters = S("A");
}

static istd_msg_t *msg_305(const lawdef_t *L, const char *bsn, int64_t nummer, const char *code, const char *begin)
{
    istd_msg_t *m = heen(L->law, IK_305, AGB1);
    person_data(&m->client, bsn);
    m->client.starts = istd_new(A, ISTD_C_STARTSTOP, 1);
    m->client.n_starts = 1;
    istd_startstop_t *s = &m->client.starts[0];
    s->toewijzingnummer = nummer;
    s->product.categorie = S(L->cat);
    s->product.code = S(code);
    s->toewijzing_ingangsdatum = S("2026-01-01");
    s->begindatum = S(begin);
    s->status_aanlevering = S("1");
    return m;
}

static istd_msg_t *msg_307(const lawdef_t *L, int64_t nummer, const char *code, const char *begin, const char *eind)
{
    istd_msg_t *m = heen(L->law, IK_307, AGB1);
    person_data(&m->client, BSN_ANNA);
    m->client.stops = istd_new(A, ISTD_C_STARTSTOP, 1);
    m->client.n_stops = 1;
    istd_startstop_t *s = &m->client.stops[0];
    s->toewijzingnummer = nummer;
    s->product.categorie = S(L->cat);
    s->product.code = S(code);
    s->toewijzing_ingangsdatum = S("2026-01-01");
    s->begindatum = S(begin);
    s->reden_beeindiging = S("02");
    s->einddatum = S(eind);
    s->status_aanlevering = S("1");
    return m;
}

static istd_msg_t *msg_315(const lawdef_t *L, const char *bsn)
{
    istd_msg_t *m = heen(L->law, IK_315, AGB2);
    person_data(&m->client, bsn);
    m->client.aangevraagd = istd_new(A, ISTD_C_AANGEVRAAGD, 1);
    m->client.n_aangevraagd = 1;
    istd_aangevraagd_t *a = &m->client.aangevraagd[0];
    a->referentie_aanbieder = arena_printf(A, "VOT-%d", ++g_seq);
    a->product.categorie = S(L->cat);
    a->product.code = S(L->code1);
    a->toewijzing_ingangsdatum = S("2026-12-01");
    a->toewijzing_einddatum = S("2026-12-31");
    a->omvang.volume = 4;
    a->omvang.eenheid = S("04");
    a->omvang.frequentie = S("2");
    a->verwijzer.type = S("01");
    return m;
}

static istd_msg_t *msg_317(const lawdef_t *L, const char *bsn)
{
    istd_msg_t *m = heen(L->law, IK_317, AGB1);
    m->client.bsn = S(bsn);
    istd_verzoek_t *v = &m->client.verzoek;
    v->referentie_aanbieder = arena_printf(A, "VOW-%d", ++g_seq);
    v->reden_verzoek = S("1");
    v->ongewijzigd = istd_new(A, ISTD_C_VOWPRODUCT, 1);
    v->n_ongewijzigd = 1;
    v->ongewijzigd[0].toewijzingnummer = L->n1;
    v->tewijzigen = istd_new(A, ISTD_C_VOWPRODUCT, 1);
    v->n_tewijzigen = 1;
    istd_vowproduct_t *t = &v->tewijzigen[0];
    t->toewijzingnummer = L->n2;
    t->gewenste_ingangsdatum = S("2026-12-01");
    t->einddatum = S("2026-12-31");
    t->omvang.volume = 12;
    t->omvang.eenheid = S("04");
    t->omvang.frequentie = S("4");
    return m;
}

/* One Prestatie in hours. */
typedef struct ps {
    const char *bsn;
    int64_t nummer;
    const char *code;
    const char *begin, *end;
    int64_t hours, tarief;
} ps_t;

/* A 323 for October 2026 with n Prestaties (clients in order of ps). */
static istd_msg_t *msg_323(const lawdef_t *L, const ps_t *ps, int n)
{
    istd_msg_t *m = heen(L->law, IK_323, AGB1);
    istd_declaratie_t *d = &m->declaratie;
    d->nummer = arena_printf(A, "D%05d", ++g_seq);
    d->periode.begindatum = S("2026-10-01");
    d->periode.einddatum = S("2026-10-31");
    d->dagtekening = S(DAG);
    d->clienten = istd_new(A, ISTD_C_CLIENT, n);
    int64_t total = 0;
    for (int i = 0; i < n; i++) {
        istd_client_t *c = d->n_clienten && strcmp(d->clienten[d->n_clienten - 1].bsn, ps[i].bsn) == 0
                               ? &d->clienten[d->n_clienten - 1]
                               : &d->clienten[d->n_clienten++];
        if (!c->bsn) {
            c->bsn = S(ps[i].bsn);
            c->prestaties = istd_new(A, ISTD_C_PRESTATIE, n);
        }
        istd_prestatie_t *p = &c->prestaties[c->n_prestaties++];
        p->referentie.nummer = arena_printf(A, "R%05d", ++g_seq);
        p->toewijzingnummer = ps[i].nummer;
        p->categorie = S(L->cat);
        p->code = S(ps[i].code);
        p->periode.begindatum = S(ps[i].begin);
        p->periode.einddatum = S(ps[i].end);
        p->volume = ps[i].hours;
        p->eenheid = S("04");
        p->tarief = ps[i].tarief;
        p->bedrag.bedrag = ps[i].hours * ps[i].tarief;
        p->bedrag.dc = S("D");
        total += p->bedrag.bedrag;
    }
    d->ingediend.bedrag = total;
    d->ingediend.dc = S("D");
    return m;
}

static const char *xml_of(const istd_msg_t *m, size_t *len)
{
    buf_t b = BUF_INIT;
    char err[200] = "";
    int rc = istd_write(m, &b, err, sizeof err);
    if (rc != 0) CHECK(0, "%s: istd_write: %s", g_name, err);
    char *s = arena_strndup(A, b.data ? b.data : "", b.len);
    *len = b.len;
    buf_free(&b);
    return s;
}

/* Validates xml against its schema; the report (one line) in the arena. */
static int valid(const char *xml, size_t len, const char **report)
{
    buf_t rep = BUF_INIT;
    int rc = istd_xsd_validate(X, xml, len, &rep, 5);
    for (size_t i = 0; i < rep.len; i++)
        if (rep.data[i] == '\n') rep.data[i] = '|';
    *report = arena_strdup(A, buf_cstr(&rep));
    buf_free(&rep);
    return rc == 0;
}

static const char *codes_of(const istd_codes_t *c)
{
    buf_t b = BUF_INIT;
    for (int i = 0; i < c->n; i++) buf_printf(&b, "%s%s", i ? " " : "", c->code[i]);
    const char *s = arena_strdup(A, c->n ? buf_cstr(&b) : "(none)");
    buf_free(&b);
    return s;
}

static int codes_are(const istd_codes_t *c, const char *want)
{
    return strcmp(codes_of(c), want) == 0;
}

/* ---- receiving -------------------------------------------------------------------- */

typedef struct got {
    int rc;
    istd_outcome_t out;
    istd_report_t r;
    char err[400];
    const char *xml; /* the bytes sent */
    size_t len;
    const char *body; /* the stored retour, or NULL */
    size_t blen;
    int valid; /* the retour is valid against its schema */
    const char *vreport;
    int read_ok; /* it reads back into rt */
    istd_msg_t rt;
} got_t;

static got_t *receive_as(db_t *db, istd_xsd_t *x, const char *xml, size_t len, const char *source, const char *agb_only)
{
    got_t *g = arena_calloc(A, sizeof *g);
    istd_env_t e = {.db = db, .gemeente = GEM, .xsd = x, .today = TODAY};
    g->xml = xml;
    g->len = len;
    istd_report_init(&g->r, A);
    g->rc = istd_receive(&e, xml, len, source, agb_only, &g->out, &g->r, g->err, sizeof g->err);
    if (g->rc == ISTD_RECEIVED && g->out.retour_id > 0) {
        db_stmt_t *st = db_prepare(db, "SELECT body FROM istd_message WHERE id = ?");
        db_bind_int(st, 1, g->out.retour_id);
        if (db_step(st) == DB_ROW) {
            g->body = arena_strdup(A, db_col_text(st, 0));
            g->blen = strlen(g->body);
        }
        db_done(st);
    }
    if (g->body) {
        g->valid = valid(g->body, g->blen, &g->vreport);
        char rerr[300] = "";
        g->read_ok = istd_read(g->body, g->blen, A, &g->rt, rerr, sizeof rerr) == 0;
        if (!g->read_ok) printf("#   the retour does not read back: %s\n", rerr);
    }
    return g;
}

static got_t *receive(db_t *db, const char *xml, size_t len)
{
    return receive_as(db, X, xml, len, "inbox", NULL);
}

static got_t *send(db_t *db, const istd_msg_t *m)
{
    size_t len;
    const char *xml = xml_of(m, &len);
    return receive(db, xml, len);
}

static void dump(const got_t *g)
{
    if (g->err[0]) printf("#   err: %s\n", g->err);
    for (int i = 0; i < g->r.n; i++)
        printf("#   %s %s %s: %s\n", g->r.issues[i].rule, g->r.issues[i].code, g->r.issues[i].path,
               g->r.issues[i].text);
}

static int has_rule(const got_t *g, const char *rule)
{
    for (int i = 0; i < g->r.n; i++)
        if (strcmp(g->r.issues[i].rule, rule) == 0) return 1;
    return 0;
}

/* The checks every retour passes: received, valid against its schema, reads
 * back as the retour of m, addressed as its schema says, echoing m's
 * identification and XsdVersie; stored as the answer to m. Returns 1 when
 * all held. */
static int retour_ok(db_t *db, const istd_msg_t *m, const got_t *g, const char *what)
{
    const char *ln = istd_law_name(m->law);
    int ok = 1;
#define RCHECK(c, ...)                                                                                                 \
    do {                                                                                                               \
        int c_ = (c);                                                                                                  \
        ok &= c_;                                                                                                      \
        CHECK(c_, __VA_ARGS__);                                                                                        \
    } while (0)
    RCHECK(g->rc == ISTD_RECEIVED && g->out.message_id > 0 && g->out.retour_id > 0 && !g->out.duplicate,
           "%s %s %s: received with a retour (rc %d)", g_name, ln, what, g->rc);
    if (g->rc != ISTD_RECEIVED || !g->body) {
        dump(g);
        return 0;
    }
    RCHECK(g->valid, "%s %s %s: the retour is valid against %s.xsd %s", g_name, ln, what,
           istd_message_name(m->law, (istd_kind)istd_retour_of(m->kind)), g->vreport);
    RCHECK(g->read_ok && g->rt.law == m->law && (int)g->rt.kind == istd_retour_of(m->kind),
           "%s %s %s: it reads back as %s", g_name, ln, what,
           istd_message_name(m->law, (istd_kind)istd_retour_of(m->kind)));
    if (!g->read_ok) return 0;
    const istd_header_t *h = &g->rt.header;
    /* JW306 … JW318.xsd: a retour keeps the heen's Afzender (the provider)
     * and Ontvanger (the gemeente); JW325.xsd: the gemeente sends the 325. */
    const char *want_from = m->kind == IK_323 ? GEM : m->header.afzender;
    const char *want_to = m->kind == IK_323 ? m->header.afzender : GEM;
    RCHECK(h->afzender && strcmp(h->afzender, want_from) == 0 && h->ontvanger && strcmp(h->ontvanger, want_to) == 0,
           "%s %s %s: Afzender %s, Ontvanger %s (%s -> %s)", g_name, ln, what, want_from, want_to, h->afzender,
           h->ontvanger);
    const istd_berichtid_t *echo = &h->declaratie_id;
    istd_berichtid_t r6 = {h->id_retour, h->dagtekening_retour};
    if (m->kind != IK_323) echo = &r6;
    RCHECK(echo->identificatie && strcmp(echo->identificatie, m->header.id.identificatie) == 0 && echo->dagtekening &&
               strcmp(echo->dagtekening, m->header.id.dagtekening) == 0,
           "%s %s %s: %s is the heen's Identificatie %s", g_name, ln, what,
           m->kind == IK_323 ? "DeclaratieIdentificatie" : "IdentificatieRetour", m->header.id.identificatie);
    const istd_xsdversie_t *xv = m->kind == IK_323 ? &h->xsd_declaratie : &h->xsd_retour;
    RCHECK(xv->basis && strcmp(xv->basis, m->header.xsd.basis) == 0 && xv->bericht &&
               strcmp(xv->bericht, m->header.xsd.bericht) == 0,
           "%s %s %s: the heen's XsdVersie echoed", g_name, ln, what);
    RCHECK(h->id.identificatie && h->id.identificatie[0] == 'K' && strlen(h->id.identificatie) == 12 &&
               h->id.dagtekening && strcmp(h->id.dagtekening, TODAY) == 0,
           "%s %s %s: the retour's own Identificatie %s, Dagtekening today", g_name, ln, what, h->id.identificatie);
    RCHECK(scalar(db, "SELECT retour_id FROM istd_message WHERE id = ?", g->out.message_id) == g->out.retour_id &&
               scalar(db, "SELECT reply_to FROM istd_message WHERE id = ?", g->out.retour_id) == g->out.message_id &&
               strcmp(text(db,
                           "SELECT direction || ' ' || agb || ' ' || kind || ' ' || source FROM istd_message"
                           " WHERE id = ?",
                           g->out.retour_id),
                      arena_printf(A, "uit %s %d retour", m->header.afzender,
                                   istd_kind_number((istd_kind)istd_retour_of(m->kind)))) == 0,
           "%s %s %s: stored as the answer (reply_to, retour_id)", g_name, ln, what);
#undef RCHECK
    if (!ok) dump(g);
    return ok;
}

/* A message refused whole: a header-only retour with code on the header. */
static void refused_whole(db_t *db, const istd_msg_t *m, const got_t *g, const char *code, const char *what)
{
    const char *ln = istd_law_name(m->law);
    if (!retour_ok(db, m, g, what)) return;
    CHECK(g->out.rejected && g->r.rejected, "%s %s %s: refused whole", g_name, ln, what);
    CHECK(codes_are(&g->rt.header.codes, code), "%s %s %s: header RetourCodes %s (%s)", g_name, ln, what, code,
          codes_of(&g->rt.header.codes));
    CHECK(!g->rt.client.bsn && g->rt.client.codes.n == 0 && g->rt.client.n_starts == 0 &&
              g->rt.declaratie.n_clienten == 0 && g->rt.declaratie.codes.n == 0 && !g->rt.declaratie.nummer,
          "%s %s %s: the retour has the header only", g_name, ln, what);
    CHECK(strcmp(text(db, "SELECT status FROM istd_message WHERE id = ?", g->out.message_id), "afgekeurd") == 0,
          "%s %s %s: stored as afgekeurd", g_name, ln, what);
}

/* ---- 305 / 307 ---------------------------------------------------------------------- */

/* The first 305 of each law: its bytes and answer, for TR056 and idempotence. */
static istd_msg_t *G_305[2];
static got_t *G_305_GOT[2];

static void test_305(db_t *db, int l)
{
    const lawdef_t *L = &LAWS[l];
    const char *ln = istd_law_name(L->law);
    istd_msg_t *m = msg_305(L, BSN_ANNA, L->n1, L->code1, "2026-02-01");
    got_t *g = send(db, m);
    G_305[l] = m;
    G_305_GOT[l] = g;
    if (retour_ok(db, m, g, "305")) {
        const istd_client_t *c = &g->rt.client;
        CHECK(!g->out.rejected && g->r.n == 0, "%s %s 305: accepted without findings (%d)", g_name, ln, g->r.n);
        CHECK(codes_are(&g->rt.header.codes, "0200") && codes_are(&c->codes, "0200") && c->n_starts == 1 &&
                  codes_are(&c->starts[0].codes, "0200"),
              "%s %s 305: 0200 on Header, Client and StartProduct (%s / %s)", g_name, ln, codes_of(&c->codes),
              c->n_starts ? codes_of(&c->starts[0].codes) : "-");
        CHECK(c->bsn && strcmp(c->bsn, BSN_ANNA) == 0 && c->starts[0].toewijzingnummer == L->n1 &&
                  c->naam.geslachtsnaam.achternaam && strcmp(c->naam.geslachtsnaam.achternaam, "Visser") == 0,
              "%s %s 306: echoes the 305's content", g_name, ln);
        CHECK(g->out.law == L->law && g->out.kind == IK_305 &&
                  strcmp(g->out.identificatie, m->header.id.identificatie) == 0 && strcmp(g->out.agb, AGB1) == 0,
              "%s %s 305: the outcome names law, kind, Identificatie and AGB", g_name, ln);
    }
    /* the answer is due 3 working days after today (a Friday) */
    day_t td, due;
    char want[11];
    day_parse(TODAY, &td);
    due = add_working_days(td, 3, NULL);
    day_format(due, want);
    CHECK(strcmp(want, DUE) == 0 && day_weekday(td) == 5, "%s: add_working_days(Friday %s, 3) = %s", g_name, TODAY,
          want);
    CHECK(strcmp(text(db, "SELECT answer_due FROM istd_message WHERE id = ?", g->out.message_id), want) == 0,
          "%s %s 305: answer_due %s", g_name, ln, want);
    int64_t at = scalar(db, "SELECT answered_at FROM istd_message WHERE id = ?", g->out.message_id);
    CHECK(at > 0 && at <= now_s() + 1, "%s %s 305: answered_at set (%lld)", g_name, ln, (long long)at);
    CHECK(strcmp(text(db, "SELECT status || ' ' || direction || ' ' || source FROM istd_message WHERE id = ?",
                      g->out.message_id),
                 "verwerkt in inbox") == 0,
          "%s %s 305: stored as received and applied", g_name, ln);
    CHECK(scalar(db, "SELECT COUNT(*) FROM istd_message WHERE id = ? AND written_at IS NULL AND answer_due IS NULL",
                 g->out.retour_id) == 1,
          "%s %s 306: waits for the outbox", g_name, ln);
    CHECK(scalar(db,
                 "SELECT COUNT(*) FROM istd_delivery d JOIN istd_assignment a ON a.id = d.assignment_id"
                 " WHERE a.nummer = ? AND d.status = 'gestart'",
                 L->n1) == 1,
          "%s %s 305: the start is recorded", g_name, ln);

    /* two starts: one on an assignment, one on none (TR019) */
    m = msg_305(L, BSN_ANNA, L->n2, L->code2, "2026-03-01");
    istd_startstop_t *two = istd_new(A, ISTD_C_STARTSTOP, 2);
    two[0] = m->client.starts[0];
    two[1] = m->client.starts[0];
    two[1].toewijzingnummer = 9999;
    m->client.starts = two;
    m->client.n_starts = 2;
    g = send(db, m);
    if (retour_ok(db, m, g, "305 with TR019")) {
        const istd_client_t *c = &g->rt.client;
        CHECK(!g->out.rejected && codes_are(&g->rt.header.codes, "0200") && codes_are(&c->codes, "0200"),
              "%s %s 305 with TR019: Header and Client 0200", g_name, ln);
        CHECK(c->n_starts == 2 && codes_are(&c->starts[0].codes, "0200") && codes_are(&c->starts[1].codes, "9019"),
              "%s %s 305 with TR019: 0200 on the first StartProduct, 9019 on the second (%s / %s)", g_name, ln,
              c->n_starts > 0 ? codes_of(&c->starts[0].codes) : "-",
              c->n_starts > 1 ? codes_of(&c->starts[1].codes) : "-");
    }
}

static void test_307(db_t *db, int l)
{
    const lawdef_t *L = &LAWS[l];
    const char *ln = istd_law_name(L->law);
    istd_msg_t *m = msg_307(L, L->n1, L->code1, "2026-02-01", "2026-10-31");
    got_t *g = send(db, m);
    if (retour_ok(db, m, g, "307")) {
        const istd_client_t *c = &g->rt.client;
        CHECK(!g->out.rejected && codes_are(&g->rt.header.codes, "0200") && codes_are(&c->codes, "0200") &&
                  c->n_stops == 1 && codes_are(&c->stops[0].codes, "0200") &&
                  strcmp(c->stops[0].einddatum, "2026-10-31") == 0,
              "%s %s 307: 0200 on Header, Client and StopProduct (%s)", g_name, ln,
              c->n_stops ? codes_of(&c->stops[0].codes) : "-");
        CHECK(strcmp(text(db, "SELECT answer_due FROM istd_message WHERE id = ?", g->out.message_id), DUE) == 0,
              "%s %s 307: answer_due %s", g_name, ln, DUE);
    }
    m = msg_307(L, L->n2, L->code2, "2026-01-15", "2026-10-31");
    g = send(db, m);
    if (retour_ok(db, m, g, "307 with TR069")) {
        const istd_client_t *c = &g->rt.client;
        CHECK(codes_are(&c->codes, "0200") && c->n_stops == 1 && codes_are(&c->stops[0].codes, "9069"),
              "%s %s 307 with TR069: 9069 on the StopProduct without a start (%s)", g_name, ln,
              c->n_stops ? codes_of(&c->stops[0].codes) : "-");
    }
}

/* ---- 315 / 317 ------------------------------------------------------------------------- */

static const char *G_VOT[2]; /* the ReferentieAanbieder of the first 315 per law (for the 319) */

static void test_315(db_t *db, int l)
{
    const lawdef_t *L = &LAWS[l];
    const char *ln = istd_law_name(L->law);
    istd_msg_t *m = msg_315(L, BSN_BOB);
    G_VOT[l] = m->client.aangevraagd[0].referentie_aanbieder;
    got_t *g = send(db, m);
    if (retour_ok(db, m, g, "315")) {
        const istd_client_t *c = &g->rt.client;
        CHECK(!g->out.rejected && codes_are(&g->rt.header.codes, "0200") && codes_are(&c->codes, "0200") &&
                  c->n_aangevraagd == 1 && codes_are(&c->aangevraagd[0].codes, "0200"),
              "%s %s 315: 0200 on Header, Client and AangevraagdProduct", g_name, ln);
        CHECK(strcmp(text(db, "SELECT answer_due FROM istd_message WHERE id = ?", g->out.message_id), DUE) == 0,
              "%s %s 315: answer_due %s", g_name, ln, DUE);
    }
    m = msg_315(L, BSN_BOB);
    g = send(db, m);
    if (retour_ok(db, m, g, "315 with TR374")) {
        const istd_client_t *c = &g->rt.client;
        CHECK(codes_are(&c->codes, "9374") && codes_are(&g->rt.header.codes, "0200"),
              "%s %s 315 with TR374: 9374 on the Client, a request is still open (%s)", g_name, ln,
              codes_of(&c->codes));
    }
}

static void test_317(db_t *db, int l)
{
    const lawdef_t *L = &LAWS[l];
    const char *ln = istd_law_name(L->law);
    istd_msg_t *m = msg_317(L, BSN_ANNA);
    got_t *g = send(db, m);
    if (retour_ok(db, m, g, "317")) {
        const istd_client_t *c = &g->rt.client;
        const istd_verzoek_t *v = &c->verzoek;
        CHECK(!g->out.rejected && codes_are(&g->rt.header.codes, "0200") && codes_are(&c->codes, "0200") &&
                  codes_are(&v->codes, "0200") && v->n_ongewijzigd == 1 &&
                  codes_are(&v->ongewijzigd[0].codes, "0200") && v->n_tewijzigen == 1 &&
                  codes_are(&v->tewijzigen[0].codes, "0200"),
              "%s %s 317: 0200 on Header, Client, Verzoek, OngewijzigdProduct and TeWijzigenProduct (%s / %s)", g_name,
              ln, codes_of(&c->codes), codes_of(&v->codes));
        if (g->r.n) dump(g);
    }
    m = msg_317(L, BSN_CARL);
    g = send(db, m);
    if (retour_ok(db, m, g, "317 with TR304")) {
        CHECK(codes_are(&g->rt.client.codes, "8187"),
              "%s %s 317 with TR304: 8187 on the Client, not a client here (%s)", g_name, ln,
              codes_of(&g->rt.client.codes));
    }
}

/* ---- 323 -------------------------------------------------------------------------------- */

static void test_323(db_t *db, int l)
{
    const lawdef_t *L = &LAWS[l];
    const char *ln = istd_law_name(L->law);
    ps_t all[1] = {{BSN_ANNA, L->n1, L->code1, "2026-09-01", "2026-09-30", 16, 5000}};
    istd_msg_t *m = msg_323(L, all, 1);
    got_t *g = send(db, m);
    if (retour_ok(db, m, g, "323 granted")) {
        const istd_declaratie_t *d = &g->rt.declaratie;
        CHECK(!g->out.rejected && codes_are(&g->rt.header.codes, "0200"), "%s %s 323 granted: header 0200", g_name, ln);
        CHECK(codes_are(&d->codes, "8001") && d->n_clienten == 0,
              "%s %s 323 granted: DeclaratieAntwoord 8001 and no Clienten (%s, %d)", g_name, ln, codes_of(&d->codes),
              d->n_clienten);
        CHECK(d->nummer && strcmp(d->nummer, m->declaratie.nummer) == 0 && d->ingediend.bedrag == 80000 &&
                  strcmp(d->ingediend.dc, "D") == 0 && d->toegekend.bedrag == 80000 &&
                  strcmp(d->toegekend.dc, "D") == 0,
              "%s %s 323 granted: DeclaratieNummer, TotaalIngediendBedrag and TotaalToegekendBedrag 800 euro (%lld)",
              g_name, ln, (long long)d->toegekend.bedrag);
        CHECK(g->out.prestaties == 1 && g->out.granted == 1 && g->out.granted_cents == 80000,
              "%s %s 323 granted: the outcome counts 1 of 1, 800 euro", g_name, ln);
    }

    /* Anna: 10 h on n1 (granted), 11 h on n2 of 10 h per month (TR321); Bob: 8 h on n3 (granted) */
    ps_t mixed[3] = {{BSN_ANNA, L->n1, L->code1, "2026-10-01", "2026-10-31", 10, 5000},
                     {BSN_ANNA, L->n2, L->code2, "2026-10-01", "2026-10-31", 11, 3000},
                     {BSN_BOB, L->n3, L->code1, "2026-10-01", "2026-10-31", 8, 5000}};
    m = msg_323(L, mixed, 3);
    g = send(db, m);
    if (retour_ok(db, m, g, "323 with TR321")) {
        const istd_declaratie_t *d = &g->rt.declaratie;
        CHECK(!g->out.rejected && codes_are(&g->rt.header.codes, "0200") && codes_are(&d->codes, "0200"),
              "%s %s 323 with TR321: header and DeclaratieAntwoord 0200 (%s)", g_name, ln, codes_of(&d->codes));
        const istd_client_t *c = d->n_clienten ? &d->clienten[0] : NULL;
        CHECK(d->n_clienten == 1 && c->bsn && strcmp(c->bsn, BSN_ANNA) == 0 && codes_are(&c->codes, "0200") &&
                  c->n_prestaties == 1,
              "%s %s 323 with TR321: TR342 only the client with a refused Prestatie, only that Prestatie (%d clients)",
              g_name, ln, d->n_clienten);
        if (c && c->n_prestaties == 1) {
            const istd_prestatie_t *p = &c->prestaties[0];
            const istd_prestatie_t *sent = &m->declaratie.clienten[0].prestaties[1];
            CHECK(strcmp(p->referentie.nummer, sent->referentie.nummer) == 0 && p->toewijzingnummer == L->n2 &&
                      p->volume == 11 && p->bedrag.bedrag == 33000 && codes_are(&p->codes, "9321"),
                  "%s %s 323 with TR321: 9321 on the Prestatie over its volume (%s)", g_name, ln, codes_of(&p->codes));
        }
        CHECK(d->ingediend.bedrag == 123000 && d->toegekend.bedrag == 90000 && strcmp(d->toegekend.dc, "D") == 0,
              "%s %s 323 with TR321: TotaalToegekendBedrag 900 euro, the granted sum (%lld)", g_name, ln,
              (long long)d->toegekend.bedrag);
        CHECK(g->out.prestaties == 3 && g->out.granted == 2 && g->out.granted_cents == 90000,
              "%s %s 323 with TR321: the outcome counts 2 of 3, 900 euro (%d %d %lld)", g_name, ln, g->out.prestaties,
              g->out.granted, (long long)g->out.granted_cents);
        CHECK(scalar(db,
                     "SELECT toegekend FROM istd_declaratie WHERE bericht = (SELECT identificatie FROM istd_message"
                     " WHERE id = ?)",
                     g->out.message_id) == 90000,
              "%s %s 323 with TR321: the declaration is stored", g_name, ln);
    }

    /* a code from the in-message rules on one Prestatie (TR346: amount is not volume x tariff) */
    ps_t two[2] = {{BSN_ANNA, L->n1, L->code1, "2026-08-01", "2026-08-31", 3, 5000},
                   {BSN_BOB, L->n3, L->code1, "2026-08-01", "2026-08-31", 2, 5000}};
    m = msg_323(L, two, 2);
    istd_prestatie_t *bad = &m->declaratie.clienten[1].prestaties[0];
    bad->bedrag.bedrag += 1;
    m->declaratie.ingediend.bedrag += 1;
    g = send(db, m);
    if (retour_ok(db, m, g, "323 with TR346")) {
        const istd_declaratie_t *d = &g->rt.declaratie;
        const istd_client_t *c = d->n_clienten ? &d->clienten[0] : NULL;
        CHECK(codes_are(&d->codes, "0200") && d->n_clienten == 1 && strcmp(c->bsn, BSN_BOB) == 0 &&
                  c->n_prestaties == 1 && codes_are(&c->prestaties[0].codes, "9346") && d->toegekend.bedrag == 15000,
              "%s %s 323 with TR346: 9346 on Bob's Prestatie only, Anna's 150 euro granted (%lld)", g_name, ln,
              (long long)d->toegekend.bedrag);
    }
}

/* ---- refused whole --------------------------------------------------------------------- */

/* Inserts ins right after the first occurrence of after in xml. */
static const char *insert_after(const char *xml, const char *after, const char *ins, size_t *len)
{
    const char *p = strstr(xml, after);
    if (!p) return xml;
    p += strlen(after);
    char *s = arena_printf(A, "%.*s%s%s", (int)(p - xml), xml, ins, p);
    *len = strlen(s);
    return s;
}

static void test_refused_whole(db_t *db, int l)
{
    const lawdef_t *L = &LAWS[l];
    const char *ln = istd_law_name(L->law);

    /* layer 1 by value: Geslacht 7 is no code of the list */
    istd_msg_t *m = msg_305(L, BSN_ANNA, L->n1, L->code1, "2026-05-01");
    m->client.geslacht = S("7");
    int64_t deliveries = scalar(db, "SELECT COUNT(*) FROM istd_delivery", 0);
    got_t *g = send(db, m);
    refused_whole(db, m, g, "0001", "305 with an XSD error");
    CHECK(has_rule(g, "XSD") && !has_rule(g, "CS002"), "%s %s 305 with an XSD error: found by the XSD layer", g_name,
          ln);
    CHECK(scalar(db, "SELECT COUNT(*) FROM istd_delivery", 0) == deliveries, "%s %s 305 with an XSD error: not applied",
          g_name, ln);

    /* layer 1 by structure: an element the schema does not know */
    m = msg_305(L, BSN_ANNA, L->n1, L->code1, "2026-05-01");
    size_t len;
    const char *xml = xml_of(m, &len);
    char close[40];
    snprintf(close, sizeof close, "</%s305:Bsn>", L->law == ISTD_WMO ? "wmo" : "jw");
    xml = insert_after(xml, close, "<Onbekend>1</Onbekend>", &len);
    g = receive(db, xml, len);
    refused_whole(db, m, g, "0001", "305 with an unknown element");

    /* layer 2: CS002, a BSN failing the elfproef */
    m = msg_305(L, "123456789", L->n1, L->code1, "2026-05-01");
    g = send(db, m);
    refused_whole(db, m, g, "0001", "305 with CS002");
    CHECK(has_rule(g, "CS002"), "%s %s 305 with CS002: found by the in-message rules", g_name, ln);

    /* TR135: a Dagtekening after today */
    m = msg_305(L, BSN_ANNA, L->n1, L->code1, "2026-05-01");
    m->header.id.dagtekening = S("2026-11-21");
    g = send(db, m);
    refused_whole(db, m, g, "8848", "305 with TR135");

    /* TR056: another message with an Identificatie used before */
    m = msg_305(L, BSN_ANNA, L->n2, L->code2, "2026-06-01");
    m->header.id.identificatie = G_305[l]->header.id.identificatie;
    g = send(db, m);
    refused_whole(db, m, g, "9056", "305 with TR056");
    CHECK(scalar(db, "SELECT COUNT(*) FROM istd_delivery", 0) == deliveries, "%s %s 305 with TR056: not applied",
          g_name, ln);

    /* a 323 refused whole: a 325 without DeclaratieAntwoord, nothing granted */
    ps_t one[1] = {{BSN_ANNA, L->n1, L->code1, "2026-08-01", "2026-08-31", 2, 5000}};
    m = msg_323(L, one, 1);
    m->header.id.dagtekening = S("2026-12-01");
    g = send(db, m);
    refused_whole(db, m, g, "8848", "323 with TR135");
    CHECK(g->out.prestaties == 1 && g->out.granted == 0 && g->out.granted_cents == 0,
          "%s %s 323 with TR135: the outcome grants nothing (%d of %d)", g_name, ln, g->out.granted, g->out.prestaties);

    /* every kind refused whole has a valid header-only retour */
    istd_msg_t *kinds[3] = {msg_307(L, L->n1, L->code1, "2026-02-01", "2026-10-31"), msg_315(L, BSN_BOB),
                            msg_317(L, BSN_ANNA)};
    for (int i = 0; i < 3; i++) {
        kinds[i]->header.id.dagtekening = S("2026-11-23");
        refused_whole(db, kinds[i], send(db, kinds[i]), "8848",
                      arena_printf(A, "%d with TR135", istd_kind_number(kinds[i]->kind)));
    }

    /* the same bytes of a refused message again: the same answer */
    got_t *again = receive(db, g->xml, g->len);
    CHECK(again->rc == ISTD_RECEIVED && again->out.duplicate && again->out.rejected &&
              again->out.message_id == g->out.message_id && again->out.retour_id == g->out.retour_id,
          "%s %s 323 with TR135 again: a duplicate, still refused", g_name, ln);
}

/* A header a valid retour cannot be made on: refused, nothing stored. */
static void test_bad_header(db_t *db, int l)
{
    const lawdef_t *L = &LAWS[l];
    const char *ln = istd_law_name(L->law);
    static const struct {
        const char *what, *ident, *dag;
    } cases[] = {
        {"an Identificatie of 13 characters", "P234567890123", DAG},
        {"an Identificatie of spaces", "   ", DAG},
        {"a Dagtekening that is no day", NULL, "2026-02-30"},
        {"a Dagtekening with a time zone", NULL, "2026-11-19+01:00"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        istd_msg_t *m = msg_305(L, BSN_ANNA, L->n1, L->code1, "2026-05-01");
        if (cases[i].ident) m->header.id.identificatie = S(cases[i].ident);
        m->header.id.dagtekening = S(cases[i].dag);
        int64_t before = rows(db);
        got_t *g = send(db, m);
        CHECK(g->rc == ISTD_REFUSED && g->err[0] && rows(db) == before,
              "%s %s 305 with %s: refused, nothing stored (rc %d: %s)", g_name, ln, cases[i].what, g->rc, g->err);
        if (g->rc == ISTD_RECEIVED && g->body) printf("#   retour valid: %d %s\n", g->valid, g->vreport);
    }
    /* no XsdVersie: the retour could not echo it */
    istd_msg_t *m = msg_305(L, BSN_ANNA, L->n1, L->code1, "2026-05-01");
    size_t len;
    const char *xml = xml_of(m, &len);
    const char *a = strstr(xml, "<ijw:BasisschemaXsdVersie>");
    if (!a) a = strstr(xml, "<iwmo:BasisschemaXsdVersie>");
    const char *b = a ? strstr(a, "BerichtXsdVersie>") : NULL;
    b = b ? strstr(b + 1, "BerichtXsdVersie>") : NULL;
    if (a && b) {
        b += strlen("BerichtXsdVersie>");
        xml = arena_printf(A, "%.*s%s", (int)(a - xml), xml, b);
        len = strlen(xml);
    }
    int64_t before = rows(db);
    got_t *g = receive(db, xml, len);
    CHECK(a && b && g->rc == ISTD_REFUSED && rows(db) == before,
          "%s %s 305 without XsdVersie values: refused (rc %d: %s)", g_name, ln, g->rc, g->err);
}

/* ---- idempotence and refusals ------------------------------------------------------------ */

static void refused(db_t *db, const char *xml, size_t len, const char *agb_only, const char *what)
{
    int64_t before = rows(db);
    got_t *g = receive_as(db, X, xml, len, "inbox", agb_only);
    CHECK(g->rc == ISTD_REFUSED && g->err[0] && g->out.message_id == 0 && rows(db) == before,
          "%s: %s: ISTD_REFUSED, nothing stored (%s)", g_name, what, g->err);
}

static void test_idempotence(db_t *db, int l)
{
    const lawdef_t *L = &LAWS[l];
    const char *ln = istd_law_name(L->law);
    got_t *first = G_305_GOT[l];
    int64_t before = rows(db);
    got_t *g = receive(db, first->xml, first->len);
    CHECK(g->rc == ISTD_RECEIVED && g->out.duplicate == 1 && !g->out.rejected &&
              g->out.message_id == first->out.message_id && g->out.retour_id == first->out.retour_id &&
              rows(db) == before,
          "%s %s 305 twice: a duplicate with the same message and retour, no new rows", g_name, ln);
    CHECK(g->out.law == L->law && g->out.kind == IK_305 &&
              strcmp(g->out.identificatie, first->out.identificatie) == 0 && strcmp(g->out.agb, AGB1) == 0,
          "%s %s 305 twice: the outcome still names law, kind, Identificatie and AGB", g_name, ln);
    CHECK(g->body && strcmp(g->body, first->body) == 0, "%s %s 305 twice: the same retour", g_name, ln);
    refused(db, first->xml, first->len, AGB2, arena_printf(A, "%s 305 twice, uploaded by another provider", ln));
    got_t *own = receive_as(db, X, first->xml, first->len, "upload", AGB1);
    CHECK(own->rc == ISTD_RECEIVED && own->out.duplicate && own->out.retour_id == first->out.retour_id,
          "%s %s 305 twice, uploaded by its sender: the duplicate answer", g_name, ln);
}

static void test_refusals(db_t *db, int l)
{
    const lawdef_t *L = &LAWS[l];
    const char *ln = istd_law_name(L->law);
    size_t len;
    const char *xml;

    istd_msg_t *m = msg_305(L, BSN_ANNA, L->n1, L->code1, "2026-07-01");
    m->header.ontvanger = S("0888");
    xml = xml_of(m, &len);
    refused(db, xml, len, NULL, arena_printf(A, "%s a 305 for another gemeente", ln));

    m = msg_305(L, BSN_ANNA, L->n1, L->code1, "2026-07-01");
    xml = xml_of(m, &len);
    refused(db, xml, len, AGB2, arena_printf(A, "%s a 305 uploaded by another provider (agb_only)", ln));

    m = msg_305(L, BSN_ANNA, L->n1, L->code1, "2026-07-01");
    m->header.afzender = S("1234");
    xml = xml_of(m, &len);
    refused(db, xml, len, NULL, arena_printf(A, "%s a 305 whose Afzender is no AGB code", ln));

    m = msg_305(L, BSN_ANNA, L->n1, L->code1, "2026-07-01");
    m->header.id.identificatie = NULL;
    xml = xml_of(m, &len);
    refused(db, xml, len, NULL, arena_printf(A, "%s a 305 without Identificatie", ln));

    /* a 301 (and a 306) is what the municipality sends itself */
    m = heen(L->law, IK_301, AGB1);
    person_data(&m->client, BSN_ANNA);
    xml = xml_of(m, &len);
    refused(db, xml, len, NULL, arena_printf(A, "%s a 301", ln));
    m = heen(L->law, IK_306, AGB1);
    xml = xml_of(m, &len);
    refused(db, xml, len, NULL, arena_printf(A, "%s a 306", ln));

    /* a DTD, however small */
    m = msg_305(L, BSN_ANNA, L->n1, L->code1, "2026-07-01");
    xml = xml_of(m, &len);
    const char *root = strstr(xml, "?>");
    root = root ? root + 2 : xml;
    xml = arena_printf(A, "<?xml version=\"1.0\"?>\n<!DOCTYPE Bericht [<!ENTITY e \"x\">]>%s", root);
    refused(db, xml, strlen(xml), NULL, arena_printf(A, "%s a 305 with a DTD", ln));
}

static void test_garbage(db_t *db)
{
    refused(db, "", 0, NULL, "empty");
    refused(db, "dit is geen XML", 15, NULL, "garbage");
    const char junk[] = "\x00\xff<Bericht>\x01";
    refused(db, junk, sizeof junk - 1, NULL, "binary");
    refused(db, "<Bericht xmlns=\"http://www.istandaarden.nl/ijw/3_2/jw305/schema\">", 63, NULL, "a truncated 305");
    const char *other = "<?xml version=\"1.0\"?><Bericht xmlns=\"http://www.istandaarden.nl/ijw/3_1/jw305/schema\"/>";
    refused(db, other, strlen(other), NULL, "release 3.1");
}

/* Without schemas the XSD layer is skipped, and says so. */
static void test_no_xsd(db_t *db, int l)
{
    const lawdef_t *L = &LAWS[l];
    istd_msg_t *m = msg_305(L, BSN_ANNA, L->n2, L->code2, "2026-11-02");
    size_t len;
    const char *xml = xml_of(m, &len);
    got_t *g = receive_as(db, NULL, xml, len, "inbox", NULL);
    CHECK(g->rc == ISTD_RECEIVED && !g->out.rejected && g->r.n >= 1 && strcmp(g->r.issues[0].rule, "XSD") == 0 &&
              g->r.issues[0].code[0] == 0 && g->valid,
          "%s %s without schemas: received, the XSD layer skipped and reported", g_name, istd_law_name(L->law));
}

/* ---- 301 / 302, 319 / 320 ---------------------------------------------------------------- */

static void test_export(db_t *db)
{
    char err[300] = "";
    int made = istd_export_301(db, GEM, TODAY, err, sizeof err);
    CHECK(made == 4 && err[0] == 0, "%s: istd_export_301 makes a 301 per client and law (%d) %s", g_name, made, err);
    db_stmt_t *st = db_prepare(db, "SELECT wet, body FROM istd_message WHERE kind = 301 ORDER BY id");
    int n = 0;
    while (db_step(st) == DB_ROW) {
        const char *body = db_col_text(st, 1);
        const char *rep;
        istd_law law;
        istd_wet_law(db_col_text(st, 0), &law);
        CHECK(valid(body, strlen(body), &rep), "%s: the %s 301 is valid against %s %s", g_name, istd_law_name(law),
              istd_message_name(law, IK_301), rep);
        n++;
    }
    db_done(st);
    CHECK(n == 4, "%s: 4 301s stored", g_name);
}

/* The 302 a provider sends back on the stored 301 id: its content with
 * 0200 everywhere, refusing ToegewezenProduct 1 with code when not NULL. */
static istd_msg_t *msg_302(db_t *db, int64_t id, const char *code)
{
    const char *body = text(db, "SELECT body FROM istd_message WHERE id = ?", id);
    istd_msg_t *m = arena_calloc(A, sizeof *m);
    char err[300] = "";
    if (istd_read(body, strlen(body), A, m, err, sizeof err) != 0) {
        CHECK(0, "%s: the 301 reads: %s", g_name, err);
        return NULL;
    }
    istd_header_t h301 = m->header;
    m->kind = IK_302;
    istd_header_fill(m);
    istd_header_t *h = &m->header;
    /* the 301's Afzender (the gemeente) and Ontvanger (the provider) stay */
    h->id.identificatie = arena_printf(A, "P%06d", ++g_seq);
    h->id.dagtekening = S(TODAY);
    h->id_retour = h301.id.identificatie;
    h->dagtekening_retour = h301.id.dagtekening;
    h->xsd_retour = h301.xsd;
    istd_codes_add(&h->codes, "0200");
    istd_client_t *c = &m->client;
    istd_codes_add(&c->codes, "0200");
    for (int i = 0; i < c->n_relaties; i++) {
        istd_codes_add(&c->relaties[i].codes, "0200");
        istd_codes_add(&c->relaties[i].contact.codes, "0200");
    }
    for (int i = 0; i < c->n_contacten; i++) istd_codes_add(&c->contacten[i].codes, "0200");
    for (int i = 0; i < c->n_toegewezen; i++) istd_codes_add(&c->toegewezen[i].codes, i == 0 && code ? code : "0200");
    return m;
}

static void test_302(db_t *db, int l)
{
    const lawdef_t *L = &LAWS[l];
    const char *ln = istd_law_name(L->law);
    int64_t first = scalar(db,
                           L->law == ISTD_WMO ? "SELECT MIN(id) FROM istd_message WHERE kind = 301 AND wet = 'wmo'"
                                              : "SELECT MIN(id) FROM istd_message WHERE kind = 301 AND wet = 'jw'",
                           0);
    int64_t second = scalar(db,
                            L->law == ISTD_WMO ? "SELECT MAX(id) FROM istd_message WHERE kind = 301 AND wet = 'wmo'"
                                               : "SELECT MAX(id) FROM istd_message WHERE kind = 301 AND wet = 'jw'",
                            0);
    istd_msg_t *m = msg_302(db, first, NULL);
    if (!m) return;
    size_t len;
    const char *xml = xml_of(m, &len);
    const char *rep;
    CHECK(valid(xml, len, &rep), "%s %s: the test's 302 is valid itself %s", g_name, ln, rep);
    got_t *g = receive(db, xml, len);
    CHECK(g->rc == ISTD_RECEIVED && g->out.message_id > 0 && g->out.retour_id == 0 && !g->out.rejected &&
              g->out.kind == IK_302 && g->r.n == 0,
          "%s %s 302: received and stored, no retour (rc %d, %s)", g_name, ln, g->rc, g->err);
    if (g->r.n) dump(g);
    CHECK(scalar(db, "SELECT COUNT(*) FROM istd_message WHERE reply_to = ?", g->out.message_id) == 0 &&
              strcmp(text(db, "SELECT COALESCE(answer_due, '-') FROM istd_message WHERE id = ?", g->out.message_id),
                     "-") == 0,
          "%s %s 302: nothing is owed on it", g_name, ln);
    CHECK(strcmp(text(db, "SELECT status FROM istd_message WHERE id = ?", first), "retour_ok") == 0 &&
              strstr(text(db, "SELECT retour_codes FROM istd_message WHERE id = ?", first), "0200") &&
              scalar(db, "SELECT answered_at FROM istd_message WHERE id = ?", first) > 0,
          "%s %s 302: the 301 is accepted (%s)", g_name, ln,
          text(db, "SELECT retour_codes FROM istd_message WHERE id = ?", first));

    m = msg_302(db, second, "9332");
    if (!m) return;
    /* a 302 names the provider as Ontvanger, the gemeente as Afzender */
    const char *afz = m->header.afzender;
    m->header.afzender = S("0888");
    xml = xml_of(m, &len);
    refused(db, xml, len, NULL, arena_printf(A, "%s a 302 on another gemeente's 301", ln));
    m->header.afzender = (char *)afz;
    xml = xml_of(m, &len);
    refused(db, xml, len, AGB2, arena_printf(A, "%s a 302 uploaded by another provider than its Ontvanger", ln));
    g = receive_as(db, X, xml, len, "upload", m->header.ontvanger);
    CHECK(g->rc == ISTD_RECEIVED && g->out.retour_id == 0 && !g->out.rejected, "%s %s 302 with a refusal: received",
          g_name, ln);
    CHECK(strcmp(text(db, "SELECT status FROM istd_message WHERE id = ?", second), "retour_fout") == 0 &&
              strstr(text(db, "SELECT retour_codes FROM istd_message WHERE id = ?", second), "9332"),
          "%s %s 302 with a refusal: 9332 stored with the 301 (%s)", g_name, ln,
          text(db, "SELECT retour_codes FROM istd_message WHERE id = ?", second));
    int64_t nummer = m->client.toegewezen[0].toewijzingnummer;
    istd_assignment_t a;
    CHECK(istd_assignment_get(db, GEM, L->law, nummer, &a) == ISTD_OK && strcmp(a.retour_codes, "9332") == 0,
          "%s %s 302 with a refusal: and with assignment %lld (%s)", g_name, ln, (long long)nummer, a.retour_codes);
}

static void test_320(db_t *db, int l)
{
    const lawdef_t *L = &LAWS[l];
    const char *ln = istd_law_name(L->law);
    /* a 319 refusing the 315, as the municipality would send it */
    istd_msg_t *a = arena_calloc(A, sizeof *a);
    istd_msg_init(a, L->law, IK_319);
    istd_header_fill(a);
    a->header.afzender = S(GEM);
    a->header.ontvanger = S(AGB2);
    a->header.id.identificatie = arena_printf(A, "K319%07d", ++g_seq);
    a->header.id.dagtekening = S(TODAY);
    a->antwoord.referentie_aanbieder = S(G_VOT[l]);
    a->antwoord.verzoek_antwoord = S("1");
    a->antwoord.reden_afwijzing = S("3");
    size_t len;
    const char *xml = xml_of(a, &len);
    const char *rep;
    CHECK(valid(xml, len, &rep), "%s %s: the test's 319 is valid %s", g_name, ln, rep);
    db_stmt_t *st =
        db_prepare(db, "INSERT INTO istd_message (gemeente, wet, kind, direction, agb, identificatie, dagtekening,"
                       " sha256, source, status, body, received_at) VALUES (?, ?, 319, 'uit', ?, ?, ?, ?, 'test',"
                       " 'klaar', ?, ?) RETURNING id");
    char sha[65];
    istd_sha256_hex(xml, len, sha);
    db_bind_text(st, 1, GEM);
    db_bind_text(st, 2, istd_wet(L->law));
    db_bind_text(st, 3, AGB2);
    db_bind_text(st, 4, a->header.id.identificatie);
    db_bind_text(st, 5, TODAY);
    db_bind_text(st, 6, sha);
    db_bind_text(st, 7, xml);
    db_bind_int(st, 8, NOW);
    int64_t id319 = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    CHECK(id319 > 0, "%s %s: a 319 stored as sent", g_name, ln);

    istd_msg_t *m = arena_calloc(A, sizeof *m);
    istd_msg_init(m, L->law, IK_320);
    istd_header_fill(m);
    m->header.afzender = S(GEM); /* as in the 319 (JW320.xsd) */
    m->header.ontvanger = S(AGB2);
    m->header.id.identificatie = arena_printf(A, "P%06d", ++g_seq);
    m->header.id.dagtekening = S(TODAY);
    m->header.id_retour = a->header.id.identificatie;
    m->header.dagtekening_retour = a->header.id.dagtekening;
    m->header.xsd_retour = a->header.xsd;
    istd_codes_add(&m->header.codes, "0200");
    m->antwoord = a->antwoord;
    istd_codes_add(&m->antwoord.codes, "0200");
    xml = xml_of(m, &len);
    CHECK(valid(xml, len, &rep), "%s %s: the test's 320 is valid %s", g_name, ln, rep);
    got_t *g = receive(db, xml, len);
    CHECK(g->rc == ISTD_RECEIVED && g->out.message_id > 0 && g->out.retour_id == 0 && !g->out.rejected &&
              g->out.kind == IK_320,
          "%s %s 320: received and stored, no retour (rc %d, %s)", g_name, ln, g->rc, g->err);
    CHECK(strcmp(text(db, "SELECT status FROM istd_message WHERE id = ?", id319), "retour_ok") == 0 &&
              strstr(text(db, "SELECT retour_codes FROM istd_message WHERE id = ?", id319), "Antwoord 0200"),
          "%s %s 320: its codes stored with the 319 (%s)", g_name, ln,
          text(db, "SELECT retour_codes FROM istd_message WHERE id = ?", id319));
}

/* ---- the outbox ----------------------------------------------------------------------------- */

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
    closedir(d);
    return n;
}

static void test_outbox(db_t *db)
{
    char name[128];
    istd_outbox_name(ISTD_JW, IK_325, "0999", "12345678", "K00000000042", name, sizeof name);
    CHECK_STR(name, "JW325_0999_12345678_K00000000042.xml", "istd_outbox_name");
    istd_outbox_name(ISTD_WMO, IK_306, "0999", "1234/../5678", "K0/../1", name, sizeof name);
    CHECK_STR(name, "WMO306_0999_12345678_K01.xml", "istd_outbox_name keeps letters and digits only");

    /* an upload's retour is fetched through the web, not written */
    istd_msg_t *m = msg_305(&LAWS[1], BSN_ANNA, LAWS[1].n1, LAWS[1].code1, "2026-11-02");
    size_t len;
    const char *xml = xml_of(m, &len);
    got_t *up = receive_as(db, X, xml, len, "upload", AGB1);
    CHECK(up->rc == ISTD_RECEIVED && up->out.retour_id > 0 &&
              scalar(db, "SELECT written_at FROM istd_message WHERE id = ?", up->out.retour_id) > 0,
          "%s: an uploaded message's retour is not for the outbox", g_name);
    char upname[128];
    istd_outbox_name(ISTD_JW, IK_306, GEM, AGB1, up->read_ok ? up->rt.header.id.identificatie : "?", upname,
                     sizeof upname);

    int64_t pending = scalar(db,
                             "SELECT COUNT(*) FROM istd_message WHERE gemeente = '" GEM "' AND direction = 'uit'"
                             " AND written_at IS NULL",
                             0);
    CHECK(pending >= 20, "%s: retours and 301s wait for the outbox (%lld)", g_name, (long long)pending);
    char dir[] = "/tmp/istd_outbox_XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0, "mkdtemp");
        return;
    }
    istd_env_t e = {.db = db, .gemeente = GEM, .xsd = X, .today = TODAY};
    char err[300] = "";
    int n = istd_outbox_flush(&e, dir, err, sizeof err);
    CHECK(n == pending, "%s: istd_outbox_flush writes every pending message (%d of %lld) %s", g_name, n,
          (long long)pending, err);
    CHECK(count_files(dir) == n, "%s: one file each, no temporary files left (%d)", g_name, count_files(dir));
    CHECK(scalar(db, "SELECT COUNT(*) FROM istd_message WHERE direction = 'uit' AND written_at IS NULL", 0) == 0,
          "%s: all marked written", g_name);

    /* each file holds the stored body */
    db_stmt_t *st = db_prepare(db, "SELECT wet, kind, agb, identificatie, body, source FROM istd_message"
                                   " WHERE gemeente = '" GEM "' AND direction = 'uit' ORDER BY id");
    int same = 0, files = 0, bad = 0, uploads = 0;
    while (db_step(st) == DB_ROW) {
        istd_law law;
        istd_wet_law(db_col_text(st, 0), &law);
        istd_outbox_name(law, (istd_kind)istd_kind_of_number((int)db_col_int(st, 1)), GEM, db_col_text(st, 2),
                         db_col_text(st, 3), name, sizeof name);
        char path[300];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        buf_t b = BUF_INIT;
        int exists = read_file(path, &b) == 0;
        if (strcmp(name, upname) == 0) {
            uploads++;
            if (exists) bad++;
        } else if (exists) {
            files++;
            const char *body = db_col_text(st, 4);
            if (b.len == strlen(body) && memcmp(b.data, body, b.len) == 0)
                same++;
            else
                bad++;
        } else {
            bad++;
        }
        buf_free(&b);
    }
    db_done(st);
    CHECK(files == n && same == n && bad == 0 && uploads == 1,
          "%s: the files are the stored bodies, the upload's retour is not among them (%d files, %d same, %d bad)",
          g_name, files, same, bad);
    n = istd_outbox_flush(&e, dir, err, sizeof err);
    CHECK(n == 0 && count_files(dir) == files, "%s: a second flush writes nothing (%d)", g_name, n);
    rm_tree(dir);
    n = istd_outbox_flush(&e, "/nonexistent/outbox", err, sizeof err);
    CHECK(n == 0, "%s: nothing pending, nothing to fail on (%d)", g_name, n);
}

static void test_outbox_error(db_t *db)
{
    istd_msg_t *m = msg_305(&LAWS[0], BSN_ANNA, LAWS[0].n1, LAWS[0].code1, "2026-11-03");
    got_t *g = send(db, m);
    CHECK(g->rc == ISTD_RECEIVED && g->out.retour_id > 0, "%s: one more retour", g_name);
    istd_env_t e = {.db = db, .gemeente = GEM, .xsd = X, .today = TODAY};
    char err[300] = "";
    int n = istd_outbox_flush(&e, "/nonexistent/outbox", err, sizeof err);
    CHECK(n == -1 && err[0] &&
              scalar(db, "SELECT COUNT(*) FROM istd_message WHERE id = ? AND written_at IS NULL", g->out.retour_id) ==
                  1,
          "%s: a directory that is not there: -1, the retour stays pending (%s)", g_name, err);
}

/* ---- runs ------------------------------------------------------------------------------------ */

static void run_all(const char *target)
{
    db_t *db = NULL;
    char err[256];
    if (db_open(target, &db, err, sizeof err) != DB_OK || db_migrate(db, err, sizeof err) < 0) {
        CHECK(0, "%s: database: %s", g_name, err);
        if (db) db_close(db);
        return;
    }
    A = arena_new(0);
    g_seq = 0;
    seed(db);
    test_export(db);
    for (int l = 0; l < 2; l++) {
        test_305(db, l);
        test_307(db, l);
        test_315(db, l);
        test_317(db, l);
        test_323(db, l);
        test_refused_whole(db, l);
        test_bad_header(db, l);
        test_idempotence(db, l);
        test_refusals(db, l);
        test_no_xsd(db, l);
        test_302(db, l);
        test_320(db, l);
    }
    test_garbage(db);
    test_outbox(db);
    test_outbox_error(db);
    arena_free(A);
    db_close(db);
}

int main(void)
{
    NOW = (int64_t)day_from_ymd(2026, 11, 20) * 86400 + 11 * 3600; /* 12:00 in Amsterdam */
    bsn_test_number(10, BSN_ANNA);
    bsn_test_number(11, BSN_BOB);
    bsn_test_number(12, BSN_CARL);

    char schemas[256];
    if (make_schema_dir(schemas, sizeof schemas) < 0) {
        printf("skip - the official iStandaarden schemas are not in %s\n", istd_dir());
        return t_done();
    }
    char xerr[512] = "";
    X = istd_xsd_open(schemas, xerr, sizeof xerr);
    CHECK(X && xerr[0] == 0, "the schemas of both laws load %s", xerr);
    if (!X) {
        rm_tree(schemas);
        return t_done();
    }

    char dir[] = "/tmp/kantel-test-istdp-XXXXXX";
    if (!mkdtemp(dir)) return 2;
    char key[80], path[80], target[100], side[100], kerr[256] = "";
    snprintf(key, sizeof key, "%s/key", dir);
    if (keys_load(key, 1, kerr, sizeof kerr) != 0) {
        printf("not ok - key file: %s\n", kerr);
        return 1;
    }
    snprintf(path, sizeof path, "%s/db", dir);
    snprintf(target, sizeof target, "sqlite:%s", path);
    run_all(target);
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    unlink(key);
    rmdir(dir);

    const char *pg = getenv("KANTEL_TEST_PG");
    if (pg && *pg) {
        char name[64], admin[300], err[256] = "", sql[200], pgt[300];
        snprintf(name, sizeof name, "kantel_unit_istdp_%ld", (long)getpid());
        snprintf(admin, sizeof admin, "%s/postgres", pg);
        db_t *a = NULL;
        CHECK(db_open(admin, &a, err, sizeof err) == DB_OK, "connect to the test server: %s", err);
        if (a) {
            snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
            db_exec(a, sql);
            snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
            CHECK(db_exec(a, sql) == DB_OK, "create database %s: %s", name, db_errmsg(a));
            g_name = "postgres";
            snprintf(pgt, sizeof pgt, "%s/%s", pg, name);
            run_all(pgt);
            snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", name);
            CHECK(db_exec(a, sql) == DB_OK, "drop database %s: %s", name, db_errmsg(a));
            db_close(a);
        }
    }
    istd_xsd_close(X);
    rm_tree(schemas);
    return t_done();
}
