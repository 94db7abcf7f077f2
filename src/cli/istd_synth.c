/*
 * istd_synth.c - `kantel istd synth DIR`: a synthetic month of claims for a
 * large municipality, for the benchmark and the crash test of
 * `kantel istd process` (bench/run, tests/http/istd_batch.mjs).
 *
 * In the database of config key gemeente it makes (deterministically, the
 * same arguments giving the same data) a number of providers, fictional
 * clients with test BSNs, and for each client one assignment under the Wmo
 * and one under the Jeugdwet; in DIR it writes the 323 files of those
 * providers for two months (September and October 2026, declared in the
 * October declaration period), each file with at most --per-bestand
 * Prestaties. About one Prestatie in a hundred claims more than assigned,
 * so the answer has rejections to carry (9321).
 *
 * Amounts are eurocents; every file is a valid message (XSD and rules).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/util.h"
#include "domain/household.h"
#include "domain/ident.h"
#include "istd/istd.h"
#include "istd/store.h"

#define CMD "istd"
#define SYNTH_PROVIDERS 40
#define SYNTH_BSN_BASE 200000u /* test BSNs above the demo's */
#define SYNTH_MONTHS 2

static const char *const months[SYNTH_MONTHS][2] = {
    {"2026-09-01", "2026-09-30"},
    {"2026-10-01", "2026-10-31"},
};

struct product {
    istd_law law;
    const char *categorie, *code, *eenheid, *frequentie;
    int64_t volume;   /* assigned per frequency unit */
    int64_t claim;    /* claimed per month */
    int64_t tarief;   /* eurocents per unit */
};

/* Wmo begeleiding, 3 hours a week; Jeugdwet ambulant, 20 hours a month. */
static const struct product products[2] = {
    {ISTD_WMO, "02", "02A01", "04", "2", 3, 12, 6450},
    {ISTD_JW, "45", "45A53", "04", "4", 20, 16, 8725},
};

static void agb_of(int p, char out[9])
{
    unsigned v = (unsigned)(1000 + p);
    out[0] = '9';
    for (int i = 7; i >= 1; i--, v /= 10) out[i] = (char)('0' + v % 10);
    out[8] = 0;
}

static int make_data(db_t *db, const char *gm, int clients, int64_t **nummers)
{
    int64_t now = now_s();
    int64_t prov[SYNTH_PROVIDERS];
    for (int p = 0; p < SYNTH_PROVIDERS; p++) {
        char agb[9], name[64];
        agb_of(p, agb);
        snprintf(name, sizeof name, "Zorgaanbieder Synth %d", p + 1);
        prov[p] = istd_provider_ensure(db, gm, agb, name, now);
        if (prov[p] <= 0) return -1;
    }
    *nummers = xcalloc((size_t)clients * 2, sizeof(int64_t));
    for (int c = 0; c < clients; c++) {
        char bsn[10];
        bsn_test_number(SYNTH_BSN_BASE + (uint32_t)c, bsn);
        char given[32];
        snprintf(given, sizeof given, "Client%d", c + 1);
        struct person_in pin = {.bsn = bsn, .given_names = given, .family_name = "Synthetisch",
                                .birth_date = c % 2 ? "2012-05-17" : "1958-03-09", .gender = c % 2 ? "vrouw" : "man"};
        int64_t existing = 0, pid = person_create(db, gm, &pin, &existing);
        if (pid == -2) pid = existing;
        if (pid <= 0) return -1;
        for (int k = 0; k < 2; k++) {
            const struct product *pr = &products[k];
            istd_assignment_t a;
            istd_assignment_init(&a);
            a.law = pr->law;
            a.nummer = 500000 + (int64_t)c * 2 + k;
            a.person_id = pid;
            agb_of(c % SYNTH_PROVIDERS, a.agb);
            snprintf(a.categorie, sizeof a.categorie, "%s", pr->categorie);
            snprintf(a.code, sizeof a.code, "%s", pr->code);
            snprintf(a.ingangsdatum, sizeof a.ingangsdatum, "2026-01-01");
            snprintf(a.einddatum, sizeof a.einddatum, "2026-12-31");
            a.volume = pr->volume;
            snprintf(a.eenheid, sizeof a.eenheid, "%s", pr->eenheid);
            snprintf(a.frequentie, sizeof a.frequentie, "%s", pr->frequentie);
            a.tarief = pr->tarief;
            istd_assignment_t old;
            if (istd_assignment_get(db, gm, a.law, a.nummer, &old) == ISTD_OK) {
                (*nummers)[c * 2 + k] = old.nummer;
                continue;
            }
            json_t *errors = json_object();
            int64_t id = istd_assignment_save(db, gm, &a, now, errors);
            if (id <= 0) {
                char *s = json_dumps(errors, JSON_COMPACT);
                fprintf(stderr, "kantel istd synth: assignment %lld: %s\n", (long long)a.nummer, s ? s : "?");
                free(s);
                json_decref(errors);
                return -1;
            }
            json_decref(errors);
            (*nummers)[c * 2 + k] = a.nummer;
        }
    }
    return 0;
}

/* One 323 for provider p under law k with the Prestaties [from, to) of the
 * list of (client, month) pairs of that provider. */
static int write_file(const char *dir, const char *gm, int p, int k, int seq, const int *cl, const int *mo, int n,
                      const int64_t *nummers, arena_t *a)
{
    const struct product *pr = &products[k];
    istd_msg_t m;
    istd_msg_init(&m, pr->law, IK_323);
    istd_header_fill(&m);
    char agb[9];
    agb_of(p, agb);
    m.header.afzender = arena_strdup(a, agb);
    m.header.ontvanger = (char *)gm;
    m.header.id.identificatie = arena_printf(a, "S%c%02d%05d", k ? 'J' : 'W', p, seq);
    m.header.id.dagtekening = "2026-11-02";
    istd_declaratie_t *d = &m.declaratie;
    d->nummer = arena_printf(a, "D%c%02d%05d", k ? 'J' : 'W', p, seq);
    d->periode.begindatum = (char *)months[SYNTH_MONTHS - 1][0];
    d->periode.einddatum = (char *)months[SYNTH_MONTHS - 1][1];
    d->dagtekening = "2026-11-02";
    /* one Client per client, its Prestaties (months) together */
    d->clienten = istd_new(a, ISTD_C_CLIENT, n);
    int64_t total = 0;
    for (int i = 0; i < n; i++) {
        if (d->n_clienten == 0 || cl[i] != cl[i - 1]) {
            istd_client_t *c = &d->clienten[d->n_clienten++];
            char bsn[10];
            bsn_test_number(SYNTH_BSN_BASE + (uint32_t)cl[i], bsn);
            c->bsn = arena_strdup(a, bsn);
            int cnt = 0;
            for (int j = i; j < n && cl[j] == cl[i]; j++) cnt++;
            c->prestaties = istd_new(a, ISTD_C_PRESTATIE, cnt);
        }
        istd_client_t *c = &d->clienten[d->n_clienten - 1];
        istd_prestatie_t *ps = &c->prestaties[c->n_prestaties++];
        ps->referentie.nummer = arena_printf(a, "R%c%07d%d", k ? 'J' : 'W', cl[i], mo[i]);
        ps->toewijzingnummer = nummers[cl[i] * 2 + k];
        ps->categorie = (char *)pr->categorie;
        ps->code = (char *)pr->code;
        ps->periode.begindatum = (char *)months[mo[i]][0];
        ps->periode.einddatum = (char *)months[mo[i]][1];
        /* one in a hundred claims more than the month allows (9321) */
        ps->volume = (cl[i] * 7 + mo[i]) % 100 == 3 ? pr->claim * 10 : pr->claim;
        ps->eenheid = (char *)pr->eenheid;
        ps->tarief = pr->tarief;
        ps->bedrag.bedrag = ps->volume * ps->tarief;
        ps->bedrag.dc = "D";
        total += ps->bedrag.bedrag;
    }
    d->ingediend.bedrag = total;
    d->ingediend.dc = "D";
    buf_t xml = BUF_INIT;
    char err[200], path[4096];
    if (istd_write(&m, &xml, err, sizeof err) != 0) {
        fprintf(stderr, "kantel istd synth: %s\n", err);
        buf_free(&xml);
        return -1;
    }
    snprintf(path, sizeof path, "%s/%s_%s_%s.xml", dir, istd_message_name(pr->law, IK_323), agb,
             m.header.id.identificatie);
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(xml.data, 1, xml.len, f) == xml.len;
    if (f && fclose(f) != 0) ok = 0;
    buf_free(&xml);
    if (!ok) fprintf(stderr, "kantel istd synth: %s: %s\n", path, strerror(errno));
    return ok ? 0 : -1;
}

int istd_synth(int argc, char **argv)
{
    const char *dir = NULL;
    int64_t total = 1000, per = 10000;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--prestaties") || !strcmp(argv[i], "--per-bestand")) {
            if (i + 1 >= argc) return cli_usage_error(CMD, "%s needs a value", argv[i]);
            int64_t *dst = !strcmp(argv[i], "--prestaties") ? &total : &per;
            if (parse_i64(argv[i + 1], 1, 10000000, dst) != 0)
                return cli_usage_error(CMD, "%s: '%s' is not a number from 1 to 10,000,000", argv[i], argv[i + 1]);
            i++;
        } else if (argv[i][0] == '-') {
            return cli_usage_error(CMD, "unknown option %s", argv[i]);
        } else if (!dir) {
            dir = argv[i];
        } else {
            return cli_usage_error(CMD, "synth takes one DIR");
        }
    }
    if (!dir) return cli_usage_error(CMD, "synth needs DIR");
    if (per > 10000) return cli_usage_error(CMD, "--per-bestand: at most 10,000 Prestaties per file");
    if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
        fprintf(stderr, "kantel istd synth: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    /* two assignments per client, two months each */
    int clients = (int)((total + 2 * SYNTH_MONTHS - 1) / (2 * SYNTH_MONTHS));
    if ((uint32_t)clients + SYNTH_BSN_BASE > BSN_TEST_COUNT)
        return cli_usage_error(CMD, "--prestaties: at most %u", (BSN_TEST_COUNT - SYNTH_BSN_BASE) * 2 * SYNTH_MONTHS);
    db_t *db = cli_open(0);
    if (!db) return 1;
    const char *gm = config_get("gemeente");
    int64_t t0 = mono_us();
    int64_t *nummers = NULL;
    if (db_begin(db) != 0 || make_data(db, gm, clients, &nummers) != 0 || db_commit(db) != 0) {
        fprintf(stderr, "kantel istd synth: %s\n", db_errmsg(db));
        db_rollback(db);
        free(nummers);
        return 1;
    }
    int64_t t1 = mono_us();
    /* per provider and law: its clients (c % SYNTH_PROVIDERS == p) x months */
    int *cl = xmalloc(sizeof(int) * (size_t)per), *mo = xmalloc(sizeof(int) * (size_t)per);
    arena_t *a = arena_new(1 << 20);
    int64_t written = 0;
    int files = 0, rc = 0;
    for (int p = 0; p < SYNTH_PROVIDERS && rc == 0; p++)
        for (int k = 0; k < 2 && rc == 0; k++) {
            int n = 0, seq = 0;
            for (int c = p; c < clients && rc == 0; c += SYNTH_PROVIDERS)
                for (int mth = 0; mth < SYNTH_MONTHS && rc == 0; mth++) {
                    if (written >= total) break;
                    /* keep a client's months in one file */
                    if (n + SYNTH_MONTHS - mth > per && mth == 0 && n > 0) {
                        arena_reset(a);
                        rc = write_file(dir, gm, p, k, ++seq, cl, mo, n, nummers, a);
                        files++;
                        n = 0;
                    }
                    cl[n] = c;
                    mo[n] = mth;
                    n++;
                    written++;
                }
            if (n > 0 && rc == 0) {
                arena_reset(a);
                rc = write_file(dir, gm, p, k, ++seq, cl, mo, n, nummers, a);
                files++;
            }
        }
    arena_free(a);
    free(cl);
    free(mo);
    free(nummers);
    if (rc != 0) return 1;
    printf("%d clients, %d assignments in %.1f s; %lld Prestaties in %d files in %s (%.1f s)\n", clients, clients * 2,
           (double)(t1 - t0) / 1e6, (long long)written, files, dir, (double)(mono_us() - t1) / 1e6);
    return 0;
}
