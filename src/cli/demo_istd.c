/*
 * demo_istd.c - the iStandaarden part of `kantel demo`: two providers, the
 * demo account `aanbieder` speaking for the first (Zorggroep De Linde, AGB
 * 12345678), assignments for demo residents under both laws, one export of
 * 301s (outgoing messages for the contract staff's page) and one claim (JW323)
 * received from De Linde through istd_receive, with one Prestatie over the
 * assigned volume so that its retour (JW325) carries a rejection (9321).
 *
 * Dates follow today (Europe/Amsterdam): the assignments start on the first
 * day of the month three months back, the claim covers the two previous
 * months; everything else is fixed, so two runs on the same day give the
 * same data. Each step looks first whether it was done (by ToewijzingNummer,
 * by the claim's Identificatie), so running it again adds nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/util.h"
#include "domain/calendar.h"
#include "domain/household.h"
#include "domain/ident.h"
#include "istd/istd.h"
#include "istd/process.h"
#include "istd/store.h"

#define LINDE_AGB "12345678"
#define ANKER_AGB "87654321"
#define CLAIM_ID "DEMO-JW-0001" /* Identificatie of the demo's JW323 (at most 12 characters) */

/* The demo residents by the index of their test BSN (demo.c creates them in
 * this order: Sanne 0, Lars 1, Noor 2, Kees 3, Riet 4, Yasmina 5, Henk 6 ...). */
enum { BSN_LARS = 1, BSN_KEES = 3, BSN_HENK = 6 };

static const struct {
    istd_law law;
    int64_t nummer;
    int bsn_index;
    const char *agb, *categorie, *code, *eenheid, *frequentie;
    int64_t volume, tarief;
} assignments[] = {
    /* Wmo begeleiding individueel, 3 hours a week */
    {ISTD_WMO, 100001, BSN_KEES, LINDE_AGB, "02", "02A01", "04", "2", 3, 6450},
    /* Jeugdwet ambulante jeugdhulp, 20 hours a month */
    {ISTD_JW, 200001, BSN_LARS, LINDE_AGB, "45", "45A53", "04", "4", 20, 8725},
    /* Wmo begeleiding at the second provider, 2 hours a week */
    {ISTD_WMO, 100002, BSN_HENK, ANKER_AGB, "02", "02A01", "04", "2", 2, 6200},
};

/* The first day of the month `back` months before the month of d. */
static day_t month_start(day_t d, int back)
{
    int y, m, dd;
    day_to_ymd(d, &y, &m, &dd);
    m -= back;
    while (m < 1) {
        m += 12;
        y--;
    }
    return day_from_ymd(y, m, 1);
}

static day_t month_end(day_t first)
{
    int y, m, d;
    day_to_ymd(first, &y, &m, &d);
    return m == 12 ? day_from_ymd(y, 12, 31) : day_from_ymd(y, m + 1, 1) - 1;
}

static int link_provider(db_t *db, const char *gm, int64_t provider_id, int64_t now)
{
    db_stmt_t *st = db_prepare(db, "SELECT id FROM account WHERE gemeente = ? AND username = 'aanbieder'");
    db_bind_text(st, 1, gm);
    int64_t account = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    if (!account) return -1;
    return istd_provider_link_account(db, account, provider_id, now) == ISTD_OK ? 0 : -1;
}

/* Providers, the account link and the assignments (one transaction). */
static int make_data(db_t *db, const char *gm, day_t today)
{
    int64_t now = now_s();
    int64_t linde = istd_provider_ensure(db, gm, LINDE_AGB, "Zorggroep De Linde", now);
    int64_t anker = istd_provider_ensure(db, gm, ANKER_AGB, "Thuiszorg Het Anker", now);
    if (linde <= 0 || anker <= 0 || link_provider(db, gm, linde, now) != 0) return -1;
    char from[11], until[11];
    day_format(month_start(today, 3), from);
    int y, m, d;
    day_to_ymd(today, &y, &m, &d);
    day_format(day_from_ymd(y + 1, 12, 31), until);
    for (size_t i = 0; i < sizeof assignments / sizeof assignments[0]; i++) {
        istd_assignment_t a, old;
        if (istd_assignment_get(db, gm, assignments[i].law, assignments[i].nummer, &old) == ISTD_OK) continue;
        char bsn[10];
        bsn_test_number((uint32_t)assignments[i].bsn_index, bsn);
        istd_assignment_init(&a);
        a.law = assignments[i].law;
        a.nummer = assignments[i].nummer;
        a.person_id = person_by_bsn(db, gm, bsn);
        if (a.person_id <= 0) return -1;
        snprintf(a.agb, sizeof a.agb, "%s", assignments[i].agb);
        snprintf(a.categorie, sizeof a.categorie, "%s", assignments[i].categorie);
        snprintf(a.code, sizeof a.code, "%s", assignments[i].code);
        snprintf(a.ingangsdatum, sizeof a.ingangsdatum, "%s", from);
        snprintf(a.einddatum, sizeof a.einddatum, "%s", until);
        a.volume = assignments[i].volume;
        snprintf(a.eenheid, sizeof a.eenheid, "%s", assignments[i].eenheid);
        snprintf(a.frequentie, sizeof a.frequentie, "%s", assignments[i].frequentie);
        a.tarief = assignments[i].tarief;
        json_t *errors = json_object();
        int64_t id = istd_assignment_save(db, gm, &a, now, errors);
        if (id <= 0) {
            char *s = json_dumps(errors, JSON_COMPACT);
            fprintf(stderr, "kantel demo: assignment %lld: %s\n", (long long)a.nummer, s ? s : "?");
            free(s);
        }
        json_decref(errors);
        if (id <= 0) return -1;
    }
    return 0;
}

/* 1 when the demo claim was received before, 0 if not, -1 on error. */
static int claim_received(db_t *db, const char *gm)
{
    db_stmt_t *st = db_prepare(db, "SELECT 1 FROM istd_message WHERE gemeente = ? AND direction = 'in' AND agb = ?"
                                   " AND identificatie = ?");
    db_bind_text(st, 1, gm);
    db_bind_text(st, 2, LINDE_AGB);
    db_bind_text(st, 3, CLAIM_ID);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* De Linde's claim for Lars (JW, assignment 200001) over the two previous
 * months: 16 hours (within the 20 a month) and 30 hours (over it: 9321). */
static int receive_claim(db_t *db, const char *gm, day_t today)
{
    int seen = claim_received(db, gm);
    if (seen != 0) return seen < 0 ? -1 : 0;
    arena_t *a = arena_new(0);
    char td[11], m1b[11], m1e[11], m2b[11], m2e[11], bsn[10];
    day_format(today, td);
    day_format(month_start(today, 1), m1b);
    day_format(month_end(month_start(today, 1)), m1e);
    day_format(month_start(today, 2), m2b);
    day_format(month_end(month_start(today, 2)), m2e);
    bsn_test_number(BSN_LARS, bsn);

    istd_msg_t m;
    istd_msg_init(&m, ISTD_JW, IK_323);
    istd_header_fill(&m);
    m.header.afzender = LINDE_AGB;
    m.header.ontvanger = (char *)gm;
    m.header.id.identificatie = CLAIM_ID;
    m.header.id.dagtekening = td;
    istd_declaratie_t *d = &m.declaratie;
    d->nummer = "DEMODECL1";
    d->periode.begindatum = m1b;
    d->periode.einddatum = m1e;
    d->dagtekening = td;
    d->clienten = istd_new(a, ISTD_C_CLIENT, 1);
    d->n_clienten = 1;
    istd_client_t *c = &d->clienten[0];
    c->bsn = bsn;
    c->prestaties = istd_new(a, ISTD_C_PRESTATIE, 2);
    c->n_prestaties = 2;
    static const struct { const char *ref; int64_t hours; } claims[2] = {{"DEMO-JW-P1", 16}, {"DEMO-JW-P2", 30}};
    int64_t total = 0;
    for (int i = 0; i < 2; i++) {
        istd_prestatie_t *p = &c->prestaties[i];
        p->referentie.nummer = (char *)claims[i].ref;
        p->toewijzingnummer = 200001;
        p->categorie = "45";
        p->code = "45A53";
        p->periode.begindatum = i == 0 ? m2b : m1b;
        p->periode.einddatum = i == 0 ? m2e : m1e;
        p->volume = claims[i].hours;
        p->eenheid = "04";
        p->tarief = 8725;
        p->bedrag.bedrag = p->volume * p->tarief;
        p->bedrag.dc = "D";
        total += p->bedrag.bedrag;
    }
    d->ingediend.bedrag = total;
    d->ingediend.dc = "D";
    buf_t xml = BUF_INIT;
    char err[512] = "";
    int rc = istd_write(&m, &xml, err, sizeof err);
    istd_xsd_t *xsd = NULL;
    const char *dir = config_get("istd_xsd_dir");
    if (rc == 0 && dir && *dir) xsd = istd_xsd_open(dir, err, sizeof err);
    if (rc == 0) {
        istd_env_t env = {.db = db, .gemeente = gm, .xsd = xsd, .today = td};
        istd_outcome_t out;
        istd_report_t r;
        istd_report_init(&r, a);
        rc = istd_receive(&env, xml.data, xml.len, "upload", LINDE_AGB, &out, &r, err, sizeof err);
        if (rc == ISTD_RECEIVED && (out.rejected || out.granted != 1)) {
            snprintf(err, sizeof err, "the demo claim was not assessed as planned (%d of %d granted%s)", out.granted,
                     out.prestaties, out.rejected ? ", refused" : "");
            rc = -1;
        }
    }
    if (rc != 0) fprintf(stderr, "kantel demo: the demo claim: %s\n", err);
    istd_xsd_close(xsd);
    buf_free(&xml);
    arena_free(a);
    return rc == 0 ? 0 : -1;
}

int demo_istd(db_t *db, const char *gemeente)
{
    day_t today = day_today_amsterdam(now_s());
    if (db_begin(db) != DB_OK) return -1;
    if (make_data(db, gemeente, today) != 0) {
        db_rollback(db);
        return -1;
    }
    if (db_commit(db) != DB_OK) return -1;
    char err[300];
    if (istd_export_301(db, gemeente, NULL, err, sizeof err) < 0 || err[0]) {
        fprintf(stderr, "kantel demo: the 301 export: %s\n", err);
        return -1;
    }
    return receive_claim(db, gemeente, today);
}
