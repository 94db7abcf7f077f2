/*
 * istd.c - the iStandaarden exchange over the web (routes_istd.def):
 *  - the provider's page (/aanbieder/berichten): an upload form for one
 *    iWmo/iJw message and the messages it sent, newest first, paged, with
 *    status, amounts and a link to the retour; an account without a provider
 *    link sees why and no form;
 *  - the upload (POST): istd_receive (istd/process.h) for one of the AGB
 *    codes the account speaks for, decided before anything is stored;
 *  - one message (/aanbieder/berichten/{id}) with the findings of its retour
 *    in words, and the stored bytes of the message and of its retour;
 *  - contract staff (/berichten): every message of the municipality, in and
 *    out, filtered, with answer deadlines (OP090) and counts; one message
 *    (/berichten/{id}) through the same function as the provider's.
 *
 * Need-to-know: a provider reaches a message only when its AGB code is one
 * the account speaks for (istd_provider_account); anything else answers 404,
 * like an id that does not exist, so ids of others are not revealed. Pages
 * show no BSN: the provider's findings name a client by bsn_mask(), contract
 * staff see no client at all (DESIGN.md §1: policy views hold no personal
 * records) and have no download (the XML carries full BSNs).
 *
 * Memory: everything lives in req->arena or in the request's model; the
 * schemas handed over by pages_istd_set_xsd are owned by the caller (serve).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/ident.h"
#include "istd/istd.h"
#include "istd/process.h"
#include "istd/store.h"
#include "pages/pages.h"

#define PAGE_SIZE 50
#define MAX_PROVIDERS 32             /* AGB codes one account speaks for */
#define MAX_FINDINGS 500             /* rows of the findings table */
#define EXPLAIN_MAX_BYTES (4u << 20) /* re-validate a refused message up to this size */
#define PROVIDER_BASE "/aanbieder/berichten"
#define ADMIN_BASE "/berichten"

static istd_xsd_t *xsd_schemas; /* set once before serving; read-only afterwards */

void pages_istd_set_xsd(struct istd_xsd *x)
{
    xsd_schemas = x;
}

/* ---- words ------------------------------------------------------------- */

/* What a message of each kind is, in Dutch. */
static const char *kind_word(int number)
{
    switch (number) {
    case 301: return "toewijzing";
    case 302: return "retour toewijzing";
    case 305: return "start zorg";
    case 306: return "retour start zorg";
    case 307: return "stop zorg";
    case 308: return "retour stop zorg";
    case 315: return "verzoek om toewijzing";
    case 316: return "retour verzoek om toewijzing";
    case 317: return "verzoek om wijziging";
    case 318: return "retour verzoek om wijziging";
    case 319: return "antwoord op verzoek";
    case 320: return "retour antwoord";
    case 323: return "declaratie";
    case 325: return "declaratie-antwoord";
    default: return "bericht";
    }
}

static const int kinds[] = {301, 302, 305, 306, 307, 308, 315, 316, 317, 318, 319, 320, 323, 325};

/* written: an outgoing message was written to the outbox or offered for
 * download (written_at set). */
static const char *status_word(const char *s, int written)
{
    if (!strcmp(s, "verwerkt")) return "Verwerkt";
    if (!strcmp(s, "afgekeurd")) return "Afgekeurd";
    if (!strcmp(s, "klaar")) return written ? "Verstuurd" : "Klaar, nog niet verstuurd";
    if (!strcmp(s, "retour_ok")) return "Retour ontvangen: akkoord";
    if (!strcmp(s, "retour_fout")) return "Retour ontvangen: met fouten";
    return s;
}

static const char *source_word(const char *s)
{
    if (!strcmp(s, "upload")) return "Geüpload via Kantel";
    if (!strcmp(s, "retour")) return "Retour, gemaakt door Kantel";
    if (!strcmp(s, "export")) return "Export van toewijzingen";
    return "Bestand";
}

/* The retour codes of WJ001 (../shared/istd/RULES.md), as published. */
static const struct {
    const char *code, *text;
} code_texts[] = {
    {"0001", "Bericht is afgekeurd om technische redenen."},
    {"0200", "Geen opmerking over deze berichtklasse."},
    {"0233", "Berichtklasse is niet beoordeeld."},
    {"0611", "Het ingediende tarief komt niet overeen met het contractuele tarief."},
    {"8001", "Declaratie is volledig toegewezen."},
    {"8017", "Van deze credit prestatie is geen debet prestatie bekend."},
    {"8021", "Referentienummer prestatie is reeds aangeleverd."},
    {"8187", "De prestatie hoort niet bij deze cliënt."},
    {"8214", "DeclaratiePeriode is niet de kalendermaand die volgt op de voorgaande DeclaratiePeriode."},
    {"8848", "Dagtekening moet gelijk zijn aan of voor de systeemdatum liggen."},
    {"9019", "Het regiebericht kan niet gekoppeld worden aan een toewijzing."},
    {"9056", "Identificatie moet uniek zijn."},
    {"9063", "Het bericht kan niet verwerkt worden omdat geen eerder bericht ontvangen is."},
    {"9069", "Er is geen actueel startbericht met dezelfde sleutel."},
    {"9071", "Het eerdere startbericht kan niet verwijderd worden omdat de zorg al beëindigd is."},
    {"9074", "Er is al een eerder bericht ontvangen met dezelfde sleutel."},
    {"9307", "Begindatum prestatie ligt niet tussen de ingangsdatum en einddatum toewijzing."},
    {"9308", "Einddatum prestatie ligt niet tussen de ingangsdatum en einddatum toewijzing."},
    {"9319", "De ProductPeriode valt niet geheel binnen een DeclaratiePeriode."},
    {"9321", "Het ingediende volume overschrijdt het toegewezen volume."},
    {"9322", "De som van de ingediende volumes overschrijdt het toegewezen volume."},
    {"9326", "De actuele levering is nog niet gestopt met een Stopbericht."},
    {"9332", "Toewijzing heeft geen uniek nummer binnen wettelijk domein."},
    {"9333", "Declaratienummer is niet uniek."},
    {"9338", "De prestatie is niet gerelateerd aan een toegewezen product op basis van het toewijzingnummer."},
    {"9339", "ProductCategorie in de prestatie is niet gelijk aan ProductCategorie in het ToegewezenProduct."},
    {"9340", "ProductCode in de Prestatie is niet gelijk aan ProductCode in het ToegewezenProduct."},
    {"9341", "Eenheid in de Prestatie past niet bij Eenheid in het ToegewezenProduct."},
    {"9346", "IngediendBedrag is niet gelijk aan GeleverdVolume vermenigvuldigd met ProductTarief."},
    {"9347", "ReferentieAanbieder is niet uniek voor de aanbieder binnen het wettelijk domein."},
    {"9349", "Het verzoek om wijziging bevat niet alle actuele toegewezen producten van de cliënt."},
    {"9350", "OngewijzigdProduct is niet gerelateerd aan een actueel toegewezen product."},
    {"9351", "TeWijzigenProduct is niet gerelateerd aan een actuele toewijzing."},
    {"9357", "GewensteIngangsdatum ligt op of voor de dagtekening, maar is niet de ingangsdatum van de toewijzing."},
    {"9359", "Er is al een toewijzing gestuurd met deze ReferentieAanbieder."},
    {"9360", "Er is al een antwoordbericht met deze ReferentieAanbieder."},
    {"9361", "Het product komt vaker voor met overlappende zorgperiodes."},
    {"9365", "Er is al een antwoordbericht met dezelfde ReferentieAanbieder."},
    {"9366", "ProductReferentie komt niet voor in een Declaratiebericht."},
    {"9367", "De waarde komt niet overeen met de waarde uit het heenbericht met gelijke ProductReferentie."},
    {"9369", "De som van de ingediende prestaties past niet binnen het toegewezen Budget."},
    {"9373", "Budget is gewijzigd, maar GewensteIngangsdatum is niet gelijk aan die in de actuele toewijzing."},
    {"9374", "Er is al een verzoek onderhanden."},
    {"9375", "Omvang is gevuld, terwijl Product in de toewijzing leeg is."},
    {"9379", "ReferentieAanbieder verwijst niet naar een verzoek om toewijzing of verzoek om wijziging."},
    {"9384", "Declaratie op een toewijzing met RedenWijziging 13 (verwijderd)."},
    {"9385", "Toewijzing heeft goedgekeurde declaratieregels."},
    {"9387", "Begindatum van de ProductPeriode is niet de eerste dag van de kalendermaand."},
    {"9388", "Einddatum van de ProductPeriode is niet de laatste dag van de kalendermaand."},
    {"9389", "Deze prestatie heeft een debetprestatie zonder bijbehorende creditprestatie."},
    {"9390", "Er is al een Prestatie met gelijk ProductReferentie met waarde Credit."},
    {"9411", "Omvang is leeg, terwijl Code in Product bij de toewijzing gevuld is."},
    {"9412", "Omvang is niet leeg, terwijl Code in Product bij de toewijzing leeg is."},
    {"9413", "Er is al een tijdelijke stop (reden 20) voor deze levering."},
    {"9414", "Einddatum ligt voor de Einddatum van de actuele stop."},
    {"9415", "Er is al een definitieve stop voor deze levering."},
    {"S300", "Gemeentecode ongeldig."},
    {"S329", "ProductCode ongeldig."},
};

static const char *code_text(const char *code)
{
    for (size_t i = 0; i < sizeof code_texts / sizeof code_texts[0]; i++)
        if (!strcmp(code_texts[i].code, code)) return code_texts[i].text;
    return "Zie de retourcodelijst WJ001 van de iStandaarden.";
}

/* "23-11-2026" of "YYYY-MM-DD" (other text as is). */
static const char *date_text(http_req_t *req, const char *ymd)
{
    day_t d;
    if (!ymd || !*ymd) return "";
    if (day_parse(ymd, &d) != 0) return arena_strdup(req->arena, ymd);
    int y, m, dd;
    day_to_ymd(d, &y, &m, &dd);
    return arena_printf(req->arena, "%02d-%02d-%04d", dd, m, y);
}

static const char *day_text(http_req_t *req, day_t d)
{
    char s[48];
    day_format_nl(d, s, sizeof s);
    return arena_strdup(req->arena, s);
}

/* "23-11-2026 15:21" in Europe/Amsterdam. */
static const char *time_text(http_req_t *req, int64_t t)
{
    char s[24];
    fmt_local_time(t, s, sizeof s);
    s[10] = '\0';
    return arena_printf(req->arena, "%s %s", date_text(req, s), s + 11);
}

/* "€ 1.234,56" (a minus sign for credit). */
static const char *money_text(http_req_t *req, int64_t cents)
{
    char digits[32], grouped[48];
    uint64_t v = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)(v / 100));
    size_t n = strlen(digits), j = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) grouped[j++] = '.';
        grouped[j++] = digits[i];
    }
    grouped[j] = '\0';
    return arena_printf(req->arena, "%s€ %s,%02llu", cents < 0 ? "-" : "", grouped, (unsigned long long)(v % 100));
}

/* Unix seconds of 00:00 in Europe/Amsterdam on day d. */
static int64_t day_start(day_t d)
{
    int64_t t = (int64_t)d * 86400 - 7200; /* CEST */
    if (day_today_amsterdam(t) != d) t += 3600; /* CET */
    return t;
}

static day_t today(void)
{
    return day_today_amsterdam(now_s());
}

/* ---- who speaks for which provider ---------------------------------------- */

struct provider {
    int64_t id;
    char agb[12];
    const char *name;
};

struct mine {
    int n;
    struct provider p[MAX_PROVIDERS];
};

/* The providers the signed-in account speaks for. 0, or -1 on a database
 * error. */
static int mine_load(http_req_t *req, struct mine *me)
{
    memset(me, 0, sizeof *me);
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT p.id, p.agb, p.name FROM istd_provider_account pa JOIN istd_provider p ON p.id = pa.provider_id"
        " WHERE pa.account_id = ? AND p.gemeente = ? ORDER BY p.agb LIMIT 32");
    db_bind_int(st, 1, req->user->id);
    db_bind_text(st, 2, req->user->gemeente);
    int rc;
    while ((rc = db_step(st)) == DB_ROW && me->n < MAX_PROVIDERS) {
        struct provider *p = &me->p[me->n++];
        p->id = db_col_int(st, 0);
        snprintf(p->agb, sizeof p->agb, "%s", db_col_text(st, 1));
        p->name = arena_strdup(req->arena, db_col_text(st, 2));
    }
    db_done(st);
    return rc == DB_ERROR || rc == DB_BUSY || rc == DB_CONSTRAINT ? -1 : 0;
}

static int mine_has(const struct mine *me, const char *agb)
{
    for (int i = 0; agb && i < me->n; i++)
        if (!strcmp(me->p[i].agb, agb)) return 1;
    return 0;
}

/* "12345678, 23456789" */
static const char *mine_agbs(http_req_t *req, const struct mine *me)
{
    buf_t b = BUF_INIT;
    for (int i = 0; i < me->n; i++) {
        if (i) buf_puts(&b, ", ");
        buf_puts(&b, me->p[i].agb);
    }
    const char *s = arena_strdup(req->arena, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* ---- one stored message ---------------------------------------------------- */

struct msg {
    int64_t id;
    istd_law law;
    int number;           /* 301 ... 325 */
    istd_kind kind;
    int in;               /* direction 'in' */
    const char *agb, *provider, *ident, *dagtekening, *status, *source, *answer_due, *retour_codes;
    int64_t received_at, answered_at, reply_to, retour_id;
    int written;          /* outgoing: written_at set */
};

/* Loads message id of this municipality. 1 found, 0 not, -1 error. */
static int msg_load(http_req_t *req, int64_t id, struct msg *m)
{
    memset(m, 0, sizeof *m);
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT m.id, m.wet, m.kind, m.direction, m.agb, COALESCE(p.name, ''), m.identificatie,"
        " COALESCE(m.dagtekening, ''), m.status, m.source, COALESCE(m.answer_due, ''), COALESCE(m.retour_codes, ''),"
        " m.received_at, COALESCE(m.answered_at, 0), COALESCE(m.reply_to, 0), COALESCE(m.retour_id, 0),"
        " CASE WHEN m.written_at IS NULL THEN 0 ELSE 1 END"
        " FROM istd_message m LEFT JOIN istd_provider p ON p.gemeente = m.gemeente AND p.agb = m.agb"
        " WHERE m.id = ? AND m.gemeente = ?");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, req->user->gemeente);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        arena_t *a = req->arena;
        m->id = db_col_int(st, 0);
        if (istd_wet_law(db_col_text(st, 1), &m->law) != 0) m->law = ISTD_WMO;
        m->number = (int)db_col_int(st, 2);
        int k = istd_kind_of_number(m->number);
        m->kind = k < 0 ? IK_301 : (istd_kind)k;
        m->in = !strcmp(db_col_text(st, 3), "in");
        m->agb = arena_strdup(a, db_col_text(st, 4));
        m->provider = arena_strdup(a, db_col_text(st, 5));
        m->ident = arena_strdup(a, db_col_text(st, 6));
        m->dagtekening = arena_strdup(a, db_col_text(st, 7));
        m->status = arena_strdup(a, db_col_text(st, 8));
        m->source = arena_strdup(a, db_col_text(st, 9));
        m->answer_due = arena_strdup(a, db_col_text(st, 10));
        m->retour_codes = arena_strdup(a, db_col_text(st, 11));
        m->received_at = db_col_int(st, 12);
        m->answered_at = db_col_int(st, 13);
        m->reply_to = db_col_int(st, 14);
        m->retour_id = db_col_int(st, 15);
        m->written = db_col_int(st, 16) != 0;
    }
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* The message of path parameter 0 as the requester may see it: 1 when
 * found (m filled); otherwise 0 after answering (404 for anything that does
 * not exist or is not the provider's, 500 on a database error). scope NULL:
 * contract staff (every message). */
static int msg_open(http_req_t *req, const struct mine *scope, int64_t id, struct msg *m)
{
    int rc = id > 0 ? msg_load(req, id, m) : 0;
    if (rc < 0) {
        http_error(req, 500, "Het bericht kon niet worden geladen. Probeer het opnieuw.");
        return 0;
    }
    if (rc == 0 || (scope && !mine_has(scope, m->agb))) {
        http_error(req, 404, "Dit bericht bestaat niet, of het is niet van uw organisatie.");
        return 0;
    }
    req->audit_object_id = arena_printf(req->arena, "%lld", (long long)m->id);
    return 1;
}

static int64_t path_id(http_req_t *req)
{
    int64_t id;
    if (req->n_path_params < 1 || parse_i64(req->path_params[0], 1, INT64_MAX / 2, &id) != 0) return 0;
    return id;
}

/* The stored bytes of message id (arena copy, NUL-terminated), or NULL. */
static const char *msg_body(http_req_t *req, int64_t id, size_t *len)
{
    db_stmt_t *st = db_prepare(db_thread(), "SELECT body FROM istd_message WHERE id = ? AND gemeente = ?");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, req->user->gemeente);
    const char *out = NULL;
    *len = 0;
    if (db_step(st) == DB_ROW) {
        size_t n = 0;
        const char *p = db_col_blob(st, 0, &n);
        char *copy = arena_alloc(req->arena, n + 1);
        if (n) memcpy(copy, p, n);
        copy[n] = '\0';
        out = copy;
        *len = n;
    }
    db_done(st);
    return out;
}

static const char *kind_label(http_req_t *req, istd_law law, int number)
{
    int k = istd_kind_of_number(number);
    return arena_printf(req->arena, "%s %s", k < 0 ? "?" : istd_message_name(law, (istd_kind)k), kind_word(number));
}

/* ---- deadlines (OP090) ------------------------------------------------------- */

struct due {
    int has;       /* the message has an answer deadline */
    day_t day;     /* the last day of it */
    int open;      /* no answer yet */
    int late;      /* open and past it, or answered after it */
};

/* Received 305, 307, 315, 317 and 323 are answered within 3 working days
 * (answer_due, set on receipt); a sent 301 or 319 expects its 302/320 within
 * 3 working days after it was made. */
static void due_of(int in, int number, const char *status, const char *answer_due, int64_t received_at,
                   int64_t answered_at, day_t now, struct due *d)
{
    memset(d, 0, sizeof *d);
    if (in && answer_due && *answer_due) {
        if (day_parse(answer_due, &d->day) != 0) return;
    } else if (!in && (number == 301 || number == 319)) {
        d->day = add_working_days(day_today_amsterdam(received_at), 3, NULL);
    } else {
        return;
    }
    d->has = 1;
    d->open = in ? answered_at == 0 : !strcmp(status, "klaar");
    if (d->open) d->late = now > d->day;
    else d->late = answered_at != 0 && day_today_amsterdam(answered_at) > d->day;
}

/* The last day a 301/319 made on it is not yet late today: a message made on
 * a day up to this one is late when still unanswered. */
static day_t last_late_day(day_t now)
{
    day_t d = now;
    for (int i = 0; i < 60 && add_working_days(d, 3, NULL) >= now; i++) d--;
    return d;
}

static json_t *due_model(http_req_t *req, const struct due *d)
{
    if (!d->has) return json_null();
    const char *flag = !d->late ? NULL : d->open ? "te laat" : "te laat beantwoord";
    char ds[11];
    day_format(d->day, ds);
    return json_pack("{s:s, s:s, s:b, s:b, s:s?}", "date", date_text(req, ds), "long", day_text(req, d->day), "open",
                     d->open, "late", d->late, "flag", flag);
}

/* ---- findings of a retour -------------------------------------------------- */

struct findings {
    http_req_t *req;
    json_t *rows;
    int quiet;        /* classes with 0200 only */
    int show_clients; /* name clients by masked BSN (the provider's own view) */
};

static void codes_rows(struct findings *f, const char *klasse, const char *where, const istd_codes_t *c)
{
    for (int i = 0; i < c->n; i++) {
        const char *code = c->code[i];
        if (!strcmp(code, "0200")) {
            f->quiet++;
            continue;
        }
        if (json_array_size(f->rows) >= MAX_FINDINGS) return;
        json_array_append_new(f->rows, json_pack("{s:s, s:s, s:s, s:s, s:b}", "class", klasse, "where",
                                                 where ? where : "", "code", code, "text", code_text(code),
                                                 "rejects", strcmp(code, "8001") != 0));
    }
}

static const char *client_where(struct findings *f, const istd_client_t *c)
{
    if (!f->show_clients || !c->bsn) return "";
    char bsn[10], masked[12];
    snprintf(bsn, sizeof bsn, "%s", c->bsn);
    bsn_mask(bsn, masked);
    return arena_printf(f->req->arena, "BSN %s", masked);
}

static const char *nummer_where(struct findings *f, const char *prefix, int64_t nummer, const char *extra)
{
    arena_t *a = f->req->arena;
    const char *n = nummer != ISTD_NONE ? arena_printf(a, "toewijzing %lld", (long long)nummer) : "";
    return arena_printf(a, "%s%s%s%s%s", prefix, *prefix && *n ? ", " : "", n, extra && *extra ? ", " : "",
                        extra ? extra : "");
}

static void client_rows(struct findings *f, const istd_client_t *c)
{
    arena_t *a = f->req->arena;
    const char *who = client_where(f, c);
    codes_rows(f, "Cliënt", who, &c->codes);
    for (int i = 0; i < c->n_relaties; i++) {
        codes_rows(f, "Relatie", who, &c->relaties[i].codes);
        codes_rows(f, "Contact van relatie", who, &c->relaties[i].contact.codes);
    }
    for (int i = 0; i < c->n_contacten; i++) codes_rows(f, "Contactgegevens", who, &c->contacten[i].codes);
    for (int i = 0; i < c->n_toegewezen; i++)
        codes_rows(f, "Toegewezen product", nummer_where(f, who, c->toegewezen[i].toewijzingnummer, NULL),
                   &c->toegewezen[i].codes);
    for (int i = 0; i < c->n_starts; i++)
        codes_rows(f, "Start zorg", nummer_where(f, who, c->starts[i].toewijzingnummer,
                   c->starts[i].begindatum ? arena_printf(a, "begindatum %s", c->starts[i].begindatum) : NULL),
                   &c->starts[i].codes);
    for (int i = 0; i < c->n_stops; i++)
        codes_rows(f, "Stop zorg", nummer_where(f, who, c->stops[i].toewijzingnummer,
                   c->stops[i].einddatum ? arena_printf(a, "einddatum %s", c->stops[i].einddatum) : NULL),
                   &c->stops[i].codes);
    for (int i = 0; i < c->n_aangevraagd; i++)
        codes_rows(f, "Aangevraagd product", nummer_where(f, who, ISTD_NONE, c->aangevraagd[i].referentie_aanbieder
                   ? arena_printf(a, "referentie %s", c->aangevraagd[i].referentie_aanbieder) : NULL),
                   &c->aangevraagd[i].codes);
    const istd_verzoek_t *v = &c->verzoek;
    codes_rows(f, "Verzoek", who, &v->codes);
    for (int i = 0; i < v->n_ongewijzigd; i++)
        codes_rows(f, "Ongewijzigd product", nummer_where(f, who, v->ongewijzigd[i].toewijzingnummer, NULL),
                   &v->ongewijzigd[i].codes);
    for (int i = 0; i < v->n_tewijzigen; i++)
        codes_rows(f, "Te wijzigen product", nummer_where(f, who, v->tewijzigen[i].toewijzingnummer, NULL),
                   &v->tewijzigen[i].codes);
    for (int i = 0; i < v->n_nieuw; i++) codes_rows(f, "Nieuw product", who, &v->nieuw[i].codes);
    for (int i = 0; i < c->n_prestaties; i++) {
        const istd_prestatie_t *p = &c->prestaties[i];
        const char *what = arena_printf(a, "referentie %s%s%s%s%s", p->referentie.nummer ? p->referentie.nummer : "?",
                                        p->periode.begindatum ? ", periode " : "",
                                        p->periode.begindatum ? date_text(f->req, p->periode.begindatum) : "",
                                        p->periode.einddatum ? " t/m " : "",
                                        p->periode.einddatum ? date_text(f->req, p->periode.einddatum) : "");
        codes_rows(f, "Prestatie", nummer_where(f, who, p->toewijzingnummer, what), &p->codes);
    }
}

/* Reads a retour (or any message carrying RetourCodes) and lists its codes.
 * Returns the number of rows, or -1 when the XML does not read. */
static int findings_of(struct findings *f, const char *xml, size_t len, istd_msg_t *out)
{
    char err[300];
    if (istd_read(xml, len, f->req->arena, out, err, sizeof err) != 0) return -1;
    codes_rows(f, "Bericht", "", &out->header.codes);
    client_rows(f, &out->client);
    codes_rows(f, "Antwoord", "", &out->antwoord.codes);
    codes_rows(f, "Declaratie", out->declaratie.nummer ? arena_printf(f->req->arena, "declaratienummer %s",
                                                                      out->declaratie.nummer) : "",
               &out->declaratie.codes);
    for (int i = 0; i < out->declaratie.n_clienten; i++) client_rows(f, &out->declaratie.clienten[i]);
    return (int)json_array_size(f->rows);
}

/* text with every run of exactly nine digits (a BSN, as a schema error may
 * quote it) replaced by asterisks (arena copy). */
static const char *mask_nines(http_req_t *req, const char *text)
{
    char *out = arena_strdup(req->arena, text);
    for (char *p = out; *p;) {
        if (*p < '0' || *p > '9') {
            p++;
            continue;
        }
        char *q = p;
        while (*q >= '0' && *q <= '9') q++;
        if (q - p == 9) memset(p, '*', 9);
        p = q;
    }
    return out;
}

/* Why a received message was refused as a whole, in words: the schema's
 * findings (layer 1) and the rules inside the message (layer 2) run again on
 * the stored bytes (the retour holds only the codes). The cross-message
 * codes (9056, ...) are in the retour itself. */
static json_t *explain_refusal(http_req_t *req, const struct msg *m, int mask)
{
    json_t *list = json_array();
    size_t len = 0;
    const char *body = msg_body(req, m->id, &len);
    if (!body || len > EXPLAIN_MAX_BYTES) return list;
    int schema_bad = 0;
    if (xsd_schemas && istd_xsd_has(xsd_schemas, m->law, m->kind)) {
        buf_t rep = BUF_INIT;
        int rc = istd_xsd_validate(xsd_schemas, body, len, &rep, 10);
        if (rc != 0) {
            schema_bad = 1;
            const char *p = buf_cstr(&rep);
            while (*p) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t)(nl - p) : strlen(p);
                if (n) json_array_append_new(list, json_pack("{s:s, s:s%}", "rule", "XSD", "text", p, n));
                p += n + (nl ? 1 : 0);
            }
        }
        buf_free(&rep);
    }
    istd_msg_t *msg = arena_calloc(req->arena, sizeof *msg);
    char err[300] = "";
    if (istd_read(body, len, req->arena, msg, err, sizeof err) != 0) {
        if (!schema_bad) json_array_append_new(list, json_pack("{s:s, s:s}", "rule", "XML", "text", err));
        goto out;
    }
    if (schema_bad) goto out;
    char day[11];
    day_format(day_today_amsterdam(m->received_at), day);
    istd_report_t r;
    istd_report_init(&r, req->arena);
    istd_check_message(msg, day, &r);
    for (int i = 0; i < r.n && json_array_size(list) < 20; i++) {
        const istd_issue_t *s = &r.issues[i];
        if (strcmp(s->code, "0001") != 0 && strcmp(s->code, "8848") != 0) continue;
        json_array_append_new(list, json_pack("{s:s, s:s}", "rule", s->rule, "text",
            s->path && *s->path ? arena_printf(req->arena, "%s: %s", s->path, s->text ? s->text : "")
                                : s->text ? s->text : ""));
    }
out:
    if (mask) {
        size_t i;
        json_t *e;
        json_array_foreach(list, i, e)
            json_object_set_new(e, "text", json_string(mask_nines(req, json_string_value(json_object_get(e, "text")))));
    }
    return list;
}

/* The claim of a received 323 (istd_declaratie), or NULL. */
static json_t *claim_model(http_req_t *req, const struct msg *m)
{
    if (!m->in || m->number != 323) return NULL;
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT nummer, COALESCE(begindatum, ''), COALESCE(einddatum, ''), ingediend, toegekend, prestaties, granted"
        " FROM istd_declaratie WHERE gemeente = ? AND wet = ? AND agb = ? AND bericht = ? ORDER BY id DESC LIMIT 1");
    db_bind_text(st, 1, req->user->gemeente);
    db_bind_text(st, 2, istd_wet(m->law));
    db_bind_text(st, 3, m->agb);
    db_bind_text(st, 4, m->ident);
    json_t *c = NULL;
    if (!strcmp(m->status, "verwerkt") && db_step(st) == DB_ROW) {
        int64_t n = db_col_int(st, 5), g = db_col_int(st, 6);
        c = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "nummer", db_col_text(st, 0), "periode",
                      arena_printf(req->arena, "%s t/m %s", date_text(req, db_col_text(st, 1)),
                                   date_text(req, db_col_text(st, 2))),
                      "ingediend", money_text(req, db_col_int(st, 3)), "toegekend", money_text(req, db_col_int(st, 4)),
                      "prestaties", (json_int_t)n, "granted", (json_int_t)g, "granted_text",
                      n == g ? arena_printf(req->arena, "alle %lld prestatie%s toegekend", (long long)n,
                                            n == 1 ? "" : "s")
                             : arena_printf(req->arena, "%lld van %lld prestaties toegekend", (long long)g,
                                            (long long)n));
    }
    db_done(st);
    return c;
}

/* The page of one message, for the provider (scope: its providers, with the
 * downloads) or for contract staff (scope NULL). */
static void message_page(http_req_t *req, const struct mine *scope)
{
    const char *base = scope ? PROVIDER_BASE : ADMIN_BASE;
    struct msg m;
    if (!msg_open(req, scope, path_id(req), &m)) return;
    const char *label = kind_label(req, m.law, m.number);
    json_t *model = json_pack("{s:s, s:s, s:s, s:b}", "title", arena_printf(req->arena, "%s %s", label, m.ident),
                              "back", base, "back_label",
                              scope ? "Terug naar uw berichten" : "Terug naar alle berichten",
                              "provider_view", scope != NULL);
    struct due d;
    due_of(m.in, m.number, m.status, m.answer_due, m.received_at, m.answered_at, today(), &d);
    json_t *msgm = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
        "id", (json_int_t)m.id, "label", label, "law", m.law == ISTD_WMO ? "Wmo 2015 (iWmo 3.2)" : "Jeugdwet (iJw 3.2)",
        "direction", m.in ? "Ontvangen van de aanbieder" : "Verstuurd door de gemeente",
        "agb", m.agb, "provider", *m.provider ? m.provider : "onbekende aanbieder", "ident", m.ident,
        "dagtekening", date_text(req, m.dagtekening), "received", time_text(req, m.received_at),
        "received_label", m.in ? "Ontvangen op" : "Gemaakt op", "status", status_word(m.status, m.written),
        "source", source_word(m.source), "rejected", !strcmp(m.status, "afgekeurd"));
    json_object_set_new(msgm, "due", due_model(req, &d));
    json_object_set_new(msgm, "answered", m.answered_at ? json_string(time_text(req, m.answered_at)) : json_null());
    json_object_set_new(msgm, "answered_label", json_string(m.in ? "Beantwoord op" : "Retour ontvangen op"));
    json_t *claim = claim_model(req, &m);
    json_object_set_new(msgm, "claim", claim ? claim : json_null());
    if (scope) {
        json_object_set_new(msgm, "xml_href",
                            json_string(arena_printf(req->arena, "%s/%lld/xml", base, (long long)m.id)));
        char name[128];
        istd_outbox_name(m.law, m.kind, req->user->gemeente, m.agb, m.ident, name, sizeof name);
        json_object_set_new(msgm, "xml_name", json_string(name));
    }
    /* the message it answers, or its retour */
    struct msg other;
    json_object_set_new(model, "reply_to", json_null());
    json_object_set_new(model, "retour", json_null());
    if (m.reply_to && msg_load(req, m.reply_to, &other) == 1 && (!scope || mine_has(scope, other.agb)))
        json_object_set_new(model, "reply_to", json_pack("{s:s, s:s}", "label",
            arena_printf(req->arena, "%s %s", kind_label(req, other.law, other.number), other.ident), "href",
            arena_printf(req->arena, "%s/%lld", base, (long long)other.id)));
    int have_retour = m.retour_id && msg_load(req, m.retour_id, &other) == 1 && (!scope || mine_has(scope, other.agb));
    if (have_retour) {
        json_t *rt = json_pack("{s:s, s:s, s:s}", "label",
            arena_printf(req->arena, "%s %s", kind_label(req, other.law, other.number), other.ident), "href",
            arena_printf(req->arena, "%s/%lld", base, (long long)other.id), "made", time_text(req, other.received_at));
        if (scope) {
            char name[128];
            istd_outbox_name(other.law, other.kind, req->user->gemeente, other.agb, other.ident, name, sizeof name);
            json_object_set_new(rt, "xml_href",
                json_string(arena_printf(req->arena, "%s/%lld/retour.xml", base, (long long)m.id)));
            json_object_set_new(rt, "xml_name", json_string(name));
        }
        json_object_set_new(model, "retour", rt);
    }
    /* findings: of the retour of a received message; of the message itself
     * when it is a retour (a 302/320 received, a 306 ... 325 made) */
    struct findings f = {.req = req, .rows = json_array(), .show_clients = scope != NULL};
    int64_t codes_from = have_retour ? other.id : istd_is_retour(m.kind) ? m.id : 0;
    int readable = 1;
    istd_msg_t *rmsg = arena_calloc(req->arena, sizeof *rmsg);
    if (codes_from) {
        size_t len = 0;
        const char *xml = msg_body(req, codes_from, &len);
        readable = xml && findings_of(&f, xml, len, rmsg) >= 0;
    }
    json_t *fm = json_pack("{s:b, s:b, s:o, s:b, s:i, s:b, s:s}", "any", codes_from != 0, "readable", readable, "rows",
                           f.rows, "has_rows", json_array_size(f.rows) > 0, "quiet", f.quiet, "has_quiet", f.quiet > 0,
                           "quiet_text", f.quiet == 1 ? "1 onderdeel"
                                                      : arena_printf(req->arena, "%d onderdelen", f.quiet));
    if (codes_from && readable && rmsg->kind == IK_325 && rmsg->declaratie.toegekend.bedrag != ISTD_NONE) {
        int64_t t = rmsg->declaratie.toegekend.bedrag;
        if (rmsg->declaratie.toegekend.dc && !strcmp(rmsg->declaratie.toegekend.dc, "C")) t = -t;
        json_object_set_new(fm, "toegekend", json_string(money_text(req, t)));
    }
    json_object_set_new(model, "findings", fm);
    json_object_set_new(model, "no_retour",
        json_string(m.in && (m.number == 302 || m.number == 320)
                        ? "Op een retour stuurt de gemeente geen antwoord."
                    : !m.in && (m.number == 301 || m.number == 319)
                        ? (*m.retour_codes ? "" : "De retour van de aanbieder is er nog niet.")
                    : m.in ? "Er is (nog) geen retour op dit bericht."
                           : "Op dit bericht volgt geen retour."));
    /* a sent 301/319: the codes its 302/320 brought back, as the store keeps them */
    json_object_set_new(model, "retour_codes", *m.retour_codes ? json_string(m.retour_codes) : json_null());
    int refused = m.in && !strcmp(m.status, "afgekeurd");
    json_object_set_new(model, "explain", refused ? explain_refusal(req, &m, scope == NULL) : json_array());
    json_object_set_new(model, "has_explain", json_boolean(json_array_size(json_object_get(model, "explain")) > 0));
    json_object_set_new(model, "message", msgm);
    /* the answer to an upload (303 from the form) */
    int fresh = http_param(req, "ontvangen") != NULL, again = http_param(req, "dubbel") != NULL;
    json_t *notice = json_null();
    if (scope && again)
        notice = json_pack("{s:s, s:b}", "text",
                           arena_printf(req->arena, "Dit bericht is al eerder ontvangen, op %s. Er is niets veranderd; "
                                        "hieronder staat het eerdere antwoord.", time_text(req, m.received_at)),
                           "ok", 1);
    else if (scope && fresh)
        notice = json_pack("{s:s, s:b}", "text", !strcmp(m.status, "afgekeurd")
            ? "Uw bericht is ontvangen, maar afgekeurd: het hele bericht is geweigerd. De retour zegt waarom."
            : "Uw bericht is ontvangen en verwerkt. De retour staat hieronder en is klaar om te downloaden.",
            "ok", strcmp(m.status, "afgekeurd") != 0);
    json_object_set_new(model, "notice", notice);
    http_page(req, "istd_message", model);
}

/* ---- the provider's list and form -------------------------------------------- */

static const char *no_link_text =
    "Uw account is nog niet gekoppeld aan een AGB-code. De gemeente koppelt de accounts van zorgaanbieders aan hun "
    "AGB-code. Neem contact op met de afdeling contractbeheer van de gemeente. Daarna stuurt u hier iWmo- en "
    "iJw-berichten in en haalt u de retourberichten op.";

/* The messages the provider sent, newest first, page p (from 1). */
static json_t *provider_messages(http_req_t *req, int64_t p, int *more)
{
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT m.id, m.wet, m.kind, m.identificatie, COALESCE(m.dagtekening, ''), m.received_at, m.status,"
        " COALESCE(m.retour_id, 0), m.agb, d.ingediend, d.toegekend, COALESCE(d.prestaties, 0), COALESCE(d.granted, 0)"
        " FROM istd_message m LEFT JOIN istd_declaratie d ON m.kind = 323 AND m.status = 'verwerkt'"
        " AND d.gemeente = m.gemeente AND d.wet = m.wet AND d.agb = m.agb AND d.bericht = m.identificatie"
        " WHERE m.gemeente = ? AND m.direction = 'in' AND m.agb IN (SELECT p.agb FROM istd_provider_account pa"
        " JOIN istd_provider p ON p.id = pa.provider_id WHERE pa.account_id = ? AND p.gemeente = ?)"
        " ORDER BY m.id DESC LIMIT ? OFFSET ?");
    db_bind_text(st, 1, req->user->gemeente);
    db_bind_int(st, 2, req->user->id);
    db_bind_text(st, 3, req->user->gemeente);
    db_bind_int(st, 4, PAGE_SIZE + 1);
    db_bind_int(st, 5, (p - 1) * PAGE_SIZE);
    json_t *list = json_array();
    *more = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (json_array_size(list) == PAGE_SIZE) {
            *more = 1;
            continue;
        }
        int64_t id = db_col_int(st, 0), retour = db_col_int(st, 7);
        istd_law law;
        if (istd_wet_law(db_col_text(st, 1), &law) != 0) law = ISTD_WMO;
        const char *status = db_col_text(st, 6);
        json_t *it = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "id", (json_int_t)id, "href",
            arena_printf(req->arena, PROVIDER_BASE "/%lld", (long long)id), "label",
            kind_label(req, law, (int)db_col_int(st, 2)), "ident", db_col_text(st, 3), "dagtekening",
            date_text(req, db_col_text(st, 4)), "received", time_text(req, db_col_int(st, 5)), "status",
            status_word(status, 1), "rejected", !strcmp(status, "afgekeurd"), "agb", db_col_text(st, 8));
        json_object_set_new(it, "amounts", db_col_is_null(st, 9) ? json_null()
            : json_pack("{s:s, s:s, s:I, s:I}", "ingediend", money_text(req, db_col_int(st, 9)), "toegekend",
                        money_text(req, db_col_int(st, 10)), "prestaties", (json_int_t)db_col_int(st, 11), "granted",
                        (json_int_t)db_col_int(st, 12)));
        json_object_set_new(it, "retour", retour ? json_pack("{s:s, s:s}", "href",
            arena_printf(req->arena, PROVIDER_BASE "/%lld", (long long)retour), "xml_href",
            arena_printf(req->arena, PROVIDER_BASE "/%lld/retour.xml", (long long)id)) : json_null());
        json_array_append_new(list, it);
    }
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

static int64_t page_param(http_req_t *req)
{
    const char *p = http_param(req, "pagina");
    int64_t v;
    if (!p || json_object_get(req->errors, "pagina") || parse_i64(p, 1, 1000000, &v) != 0) return 1;
    return v;
}

/* The provider's page: the form (with a refusal when reason is set) and the
 * list. status: the HTTP status to answer with. */
static void provider_page(http_req_t *req, const struct mine *me, const char *reason, int status)
{
    json_t *m = json_pack("{s:s, s:b}", "title", "Berichten uitwisselen", "linked", me->n > 0);
    if (me->n == 0) {
        json_object_set_new(m, "why", json_string(no_link_text));
        req->status = status;
        http_page(req, "istd_provider", m);
        return;
    }
    json_t *provs = json_array();
    for (int i = 0; i < me->n; i++)
        json_array_append_new(provs, json_pack("{s:s, s:s}", "agb", me->p[i].agb, "name",
                                               *me->p[i].name ? me->p[i].name : "naam onbekend"));
    json_object_set_new(m, "providers", provs);
    json_object_set_new(m, "several", json_boolean(me->n > 1));
    json_object_set_new(m, "agbs", json_string(mine_agbs(req, me)));
    json_t *errors = json_object();
    if (reason) {
        json_object_set_new(errors, "bericht", json_string(reason));
        json_object_set_new(m, "error", json_string("Het bericht is niet ontvangen. Er is niets opgeslagen."));
        json_object_set_new(m, "error_list", json_pack("[{s:s, s:s, s:s}]", "href", "#bericht", "label",
                                                       "Bericht (XML-bestand)", "message", reason));
    }
    json_object_set_new(m, "form", json_pack("{s:s, s:o}", "action", PROVIDER_BASE, "errors", errors));
    int64_t p = reason ? 1 : page_param(req);
    int more = 0;
    json_t *list = provider_messages(req, p, &more);
    if (!list) {
        json_decref(m);
        http_error(req, 500, "Uw berichten konden niet worden geladen. Probeer het opnieuw.");
        return;
    }
    json_object_set_new(m, "has_messages", json_boolean(json_array_size(list) > 0));
    json_object_set_new(m, "messages", list);
    json_object_set_new(m, "page", json_integer(p));
    json_object_set_new(m, "prev_href", p > 1 ? json_string(arena_printf(req->arena, PROVIDER_BASE "?pagina=%lld",
                                                                         (long long)(p - 1))) : json_null());
    json_object_set_new(m, "next_href", more ? json_string(arena_printf(req->arena, PROVIDER_BASE "?pagina=%lld",
                                                                        (long long)(p + 1))) : json_null());
    req->status = status;
    http_page(req, "istd_provider", m);
}

/* Loads the account's providers; -1 after a 500. */
static int mine_open(http_req_t *req, struct mine *me)
{
    if (mine_load(req, me) == 0) return 0;
    http_error(req, 500, "De gegevens konden niet worden geladen. Probeer het opnieuw.");
    return -1;
}

void page_istd_provider(http_req_t *req)
{
    struct mine me;
    if (mine_open(req, &me) != 0) return;
    provider_page(req, &me, NULL, 200);
}

/* The Afzender of a message, when it reads as one (scratch arena); else "". */
static void sender_of(const char *bytes, size_t len, char out[16])
{
    out[0] = '\0';
    arena_t *a = arena_new(0);
    istd_msg_t *m = arena_calloc(a, sizeof *m);
    char err[300];
    if (istd_read(bytes, len, a, m, err, sizeof err) == 0 && m->header.afzender)
        snprintf(out, 16, "%s", m->header.afzender);
    arena_free(a);
}


static void refuse(http_req_t *req, const struct mine *me, const char *reason, const char *why)
{
    http_audit(req, "istd.upload", "istd_message", 0, "refused", why);
    provider_page(req, me, reason, 400);
}

void page_istd_upload(http_req_t *req)
{
    struct mine me;
    if (mine_open(req, &me) != 0) return;
    if (me.n == 0) {
        provider_page(req, &me, NULL, 403);
        return;
    }
    json_t *gate = json_object_get(req->errors, "bericht");
    if (gate || !req->upload.field) {
        refuse(req, &me, gate ? json_string_value(gate) : "Kies een bestand.", "no file");
        return;
    }
    const char *bytes = req->upload.data;
    size_t len = req->upload.len;
    /* Whose message is it? Decided before anything is stored: with one AGB
     * code istd_receive checks the Afzender itself; with several the
     * Afzender is read first, and a message that does not read is tried
     * for each code (istd_receive refuses a wrong one without storing). */
    const char *only[MAX_PROVIDERS];
    int n_only = 0;
    if (me.n == 1) {
        only[n_only++] = me.p[0].agb;
    } else {
        char afz[16];
        sender_of(bytes, len, afz);
        if (*afz && !mine_has(&me, afz)) {
            refuse(req, &me,
                   arena_printf(req->arena, "De afzender van het bericht (%s) is niet een van uw AGB-codes (%s).", afz,
                                mine_agbs(req, &me)),
                   "not our AGB");
            return;
        }
        if (*afz) only[n_only++] = arena_strdup(req->arena, afz);
        else
            for (int i = 0; i < me.n; i++) only[n_only++] = me.p[i].agb;
    }
    istd_env_t env = {.db = db_thread(), .gemeente = req->user->gemeente, .xsd = xsd_schemas, .today = NULL};
    istd_outcome_t out;
    istd_report_t r;
    char err[512] = "", first_err[512] = "";
    int rc = ISTD_REFUSED, differ = 0;
    for (int i = 0; i < n_only && rc == ISTD_REFUSED; i++) {
        istd_report_init(&r, req->arena);
        rc = istd_receive(&env, bytes, len, "upload", only[i], &out, &r, err, sizeof err);
        if (rc == ISTD_REFUSED) {
            if (i == 0) snprintf(first_err, sizeof first_err, "%s", err);
            else differ |= strcmp(first_err, err) != 0;
        }
    }
    if (rc == ISTD_ERROR) {
        log_error("istd.upload", "receiving failed: %s", err);
        http_audit(req, "istd.upload", "istd_message", 0, "fail", "database");
        http_error(req, 500, "Het bericht kon niet worden opgeslagen. Probeer het over een paar minuten opnieuw.");
        return;
    }
    if (rc == ISTD_REFUSED) {
        /* tried for several codes: a refusal that differs per code was about the Afzender */
        refuse(req, &me,
               differ ? arena_printf(req->arena, "De afzender van het bericht is niet een van uw AGB-codes (%s).",
                                     mine_agbs(req, &me))
                      : arena_strdup(req->arena, first_err),
               "refused");
        return;
    }
    /* A duplicate is found by its bytes before the sender is checked: it is
     * this provider's answer only when the earlier message was its own. */
    struct msg earlier;
    int known = out.duplicate && msg_load(req, out.message_id, &earlier) == 1;
    if (out.duplicate && (!known || !mine_has(&me, earlier.agb))) {
        refuse(req, &me, me.n == 1 ? arena_printf(req->arena, "De afzender van het bericht is niet uw AGB-code (%s).",
                                                  me.p[0].agb)
                                   : arena_printf(req->arena, "De afzender van het bericht is niet een van uw "
                                                  "AGB-codes (%s).", mine_agbs(req, &me)), "not our AGB");
        return;
    }
    req->audit_object_id = arena_printf(req->arena, "%lld", (long long)out.message_id);
    http_audit(req, "istd.upload", "istd_message", out.message_id, "ok",
               arena_printf(req->arena, "%s %s%s, retour %lld",
                            known ? istd_message_name(earlier.law, earlier.kind) : istd_message_name(out.law, out.kind),
                            out.duplicate ? "al eerder ontvangen" : out.rejected ? "afgekeurd" : "verwerkt",
                            out.kind == IK_323 && !out.duplicate
                                ? arena_printf(req->arena, " (%d van %d prestaties toegekend)", out.granted,
                                               out.prestaties)
                                : "",
                            (long long)out.retour_id));
    http_redirect(req, arena_printf(req->arena, PROVIDER_BASE "/%lld?%s", (long long)out.message_id,
                                    out.duplicate ? "dubbel=1" : "ontvangen=1"));
}

void page_istd_provider_message(http_req_t *req)
{
    struct mine me;
    if (mine_open(req, &me) != 0) return;
    message_page(req, &me);
}

/* The stored bytes of message m as an XML download (straight from the
 * statement into the response: a message may be tens of megabytes). */
static void send_xml(http_req_t *req, const struct msg *m)
{
    db_stmt_t *st = db_prepare(db_thread(), "SELECT body FROM istd_message WHERE id = ? AND gemeente = ?");
    db_bind_int(st, 1, m->id);
    db_bind_text(st, 2, req->user->gemeente);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        size_t n = 0;
        const char *p = db_col_blob(st, 0, &n);
        if (n) buf_append(&req->out, p, n);
    }
    db_done(st);
    if (rc != DB_ROW) {
        buf_reset(&req->out);
        http_error(req, rc == DB_DONE ? 404 : 500, "Het bericht kon niet worden geladen.");
        return;
    }
    char name[128];
    istd_outbox_name(m->law, m->kind, req->user->gemeente, m->agb, m->ident, name, sizeof name);
    req->template = NULL;
    req->content_type = "application/xml; charset=utf-8";
    http_header(req, "Content-Disposition", arena_printf(req->arena, "attachment; filename=\"%s\"", name));
}

void page_istd_provider_xml(http_req_t *req)
{
    struct mine me;
    struct msg m;
    if (mine_open(req, &me) != 0 || !msg_open(req, &me, path_id(req), &m)) return;
    send_xml(req, &m);
}

void page_istd_provider_retour_xml(http_req_t *req)
{
    struct mine me;
    struct msg m, rt;
    if (mine_open(req, &me) != 0 || !msg_open(req, &me, path_id(req), &m)) return;
    if (!m.retour_id || msg_load(req, m.retour_id, &rt) != 1 || !mine_has(&me, rt.agb)) {
        http_error(req, 404, "Bij dit bericht hoort (nog) geen retourbericht.");
        return;
    }
    send_xml(req, &rt);
}

/* ---- contract staff ------------------------------------------------------------- */

struct filter {
    const char *richting, *wet, *status, *agb;
    int64_t soort;
    int64_t page;
};

static const char *const statuses[][2] = {
    {"open", "Wacht op antwoord"},
    {"te_laat", "Te laat (nog geen antwoord)"},
    {"verwerkt", "Verwerkt"},
    {"afgekeurd", "Afgekeurd"},
    {"klaar", "Gemaakt of verstuurd"},
    {"retour_ok", "Retour ontvangen: akkoord"},
    {"retour_fout", "Retour ontvangen: met fouten"},
};

/* Reads and checks the filter; field errors go to errors (form names). */
static void filter_read(http_req_t *req, struct filter *f, json_t *errors)
{
    memset(f, 0, sizeof *f);
    const char *v;
    f->richting = f->wet = f->status = f->agb = "";
    if ((v = http_param(req, "richting")) && *v) {
        if (!strcmp(v, "in") || !strcmp(v, "uit")) f->richting = v;
        else json_object_set_new(errors, "richting", json_string("Kies ontvangen of verstuurd."));
    }
    if ((v = http_param(req, "wet")) && *v) {
        if (!strcmp(v, "wmo") || !strcmp(v, "jw")) f->wet = v;
        else json_object_set_new(errors, "wet", json_string("Kies Wmo of Jeugdwet."));
    }
    if ((v = http_param(req, "soort")) && *v) {
        int64_t k = 0;
        if (json_object_get(req->errors, "soort") || parse_i64(v, 0, 999, &k) != 0 || istd_kind_of_number((int)k) < 0)
            json_object_set_new(errors, "soort", json_string("Kies een berichtsoort uit de lijst."));
        else f->soort = k;
    }
    if ((v = http_param(req, "status")) && *v) {
        int ok = 0;
        for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) ok |= !strcmp(v, statuses[i][0]);
        if (ok) f->status = v;
        else json_object_set_new(errors, "status", json_string("Kies een status uit de lijst."));
    }
    if ((v = http_param(req, "agb")) && *v) {
        if (agb_code_valid(v)) f->agb = v;
        else json_object_set_new(errors, "agb", json_string("Een AGB-code heeft 8 cijfers, bijvoorbeeld 12345678."));
    }
    f->page = page_param(req);
}

static const char *filter_query(http_req_t *req, const struct filter *f, int64_t page)
{
    const char *q = arena_printf(req->arena, "richting=%s&wet=%s&soort=%s&status=%s&agb=%s", f->richting, f->wet,
                                 f->soort ? arena_printf(req->arena, "%lld", (long long)f->soort) : "", f->status,
                                 f->agb);
    return arena_printf(req->arena, ADMIN_BASE "?%s&pagina=%lld", q, (long long)page);
}

static json_t *options(const char *const (*list)[2], size_t n, const char *chosen)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", list[i][0], "label", list[i][1], "selected",
                                           !strcmp(list[i][0], chosen)));
    return a;
}

static const struct http_field filter_fields[] = {
    {"richting", "richting", "f-richting", "Richting"},
    {"wet", "wet", "f-wet", "Wet"},
    {"soort", "soort", "f-soort", "Soort bericht"},
    {"status", "status", "f-status", "Status"},
    {"agb", "agb", "f-agb", "AGB-code"},
};

void page_istd_admin(http_req_t *req)
{
    json_t *errors = json_object();
    struct filter f;
    filter_read(req, &f, errors);
    day_t now = today();
    char today_s[11];
    day_format(now, today_s);
    int64_t late_before = day_start(last_late_day(now) + 1); /* a 301/319 made before this is late while open */

    json_t *m = json_pack("{s:s, s:s}", "title", "Berichten iWmo en iJw", "late_rule",
                          "Een ontvangen bericht krijgt binnen 3 werkdagen een retour (OP090). Een verstuurde "
                          "toewijzing (301) of antwoord (319) krijgt binnen 3 werkdagen een retour van de aanbieder.");
    /* counts over everything, whatever the filter */
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT COALESCE(sum(CASE WHEN direction = 'in' AND received_at >= ? THEN 1 ELSE 0 END), 0),"
        " COALESCE(sum(CASE WHEN (direction = 'in' AND answer_due IS NOT NULL AND answered_at IS NULL)"
        " OR (direction = 'uit' AND kind IN (301, 319) AND status = 'klaar') THEN 1 ELSE 0 END), 0),"
        " COALESCE(sum(CASE WHEN (direction = 'in' AND answer_due IS NOT NULL AND answered_at IS NULL"
        " AND answer_due < ?)"
        " OR (direction = 'uit' AND kind IN (301, 319) AND status = 'klaar' AND received_at < ?) THEN 1 ELSE 0 END), 0)"
        " FROM istd_message WHERE gemeente = ?");
    db_bind_int(st, 1, day_start(now));
    db_bind_text(st, 2, today_s);
    db_bind_int(st, 3, late_before);
    db_bind_text(st, 4, req->user->gemeente);
    int rc = db_step(st);
    if (rc == DB_ROW)
        json_object_set_new(m, "counts", json_pack("{s:I, s:I, s:I, s:b}", "today", (json_int_t)db_col_int(st, 0),
                                                  "open", (json_int_t)db_col_int(st, 1), "late",
                                                  (json_int_t)db_col_int(st, 2), "any_late", db_col_int(st, 2) > 0));
    db_done(st);
    if (rc != DB_ROW) {
        json_decref(m);
        json_decref(errors);
        http_error(req, 500, "De berichten konden niet worden geladen. Probeer het opnieuw.");
        return;
    }
    /* the filter form */
    static const char *const dirs[][2] = {{"in", "Ontvangen"}, {"uit", "Verstuurd"}};
    static const char *const laws[][2] = {{"wmo", "Wmo 2015 (iWmo)"}, {"jw", "Jeugdwet (iJw)"}};
    json_t *ks = json_array();
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        json_array_append_new(ks, json_pack("{s:i, s:s, s:b}", "value", kinds[i], "label",
                                            arena_printf(req->arena, "%d %s", kinds[i], kind_word(kinds[i])),
                                            "selected", f.soort == kinds[i]));
    json_t *list = json_array();
    json_t *fe = http_form_errors(req, errors, filter_fields, HTTP_NFIELDS(filter_fields), HTTP_GATE_FIRST, list);
    json_object_set_new(m, "filter", json_pack("{s:o, s:o, s:o, s:o, s:s, s:o}", "directions",
        options(dirs, 2, f.richting), "laws", options(laws, 2, f.wet), "kinds", ks, "statuses",
        options(statuses, sizeof statuses / sizeof statuses[0], f.status), "agb",
        json_object_get(errors, "agb") ? (http_param(req, "agb") ? http_param(req, "agb") : "") : f.agb,
        "errors", fe));
    int bad_filter = json_array_size(list) > 0;
    if (bad_filter) {
        json_object_set_new(m, "error", json_string("Het filter klopt niet. Verbeter de gemarkeerde velden."));
        json_object_set_new(m, "error_list", list);
        req->status = 400;
    } else {
        json_decref(list);
    }
    json_decref(errors);
    if (bad_filter) { /* no list that looks filtered but is not */
        json_object_set_new(m, "has_messages", json_false());
        json_object_set_new(m, "messages", json_array());
        http_page(req, "istd_admin", m);
        return;
    }
    /* the messages */
    st = db_prepare(db_thread(),
        "SELECT m.id, m.wet, m.kind, m.direction, m.agb, COALESCE(p.name, ''), m.identificatie,"
        " COALESCE(m.dagtekening, ''), m.received_at, m.status, COALESCE(m.answer_due, ''), COALESCE(m.answered_at, 0),"
        " CASE WHEN m.written_at IS NULL THEN 0 ELSE 1 END"
        " FROM istd_message m LEFT JOIN istd_provider p ON p.gemeente = m.gemeente AND p.agb = m.agb"
        " WHERE m.gemeente = ? AND (? = '' OR m.direction = ?) AND (? = '' OR m.wet = ?) AND (? = 0 OR m.kind = ?)"
        " AND (? = '' OR m.agb = ?) AND (? = '' OR m.status = ?"
        " OR (? = 'open' AND ((m.direction = 'in' AND m.answer_due IS NOT NULL AND m.answered_at IS NULL)"
        " OR (m.direction = 'uit' AND m.kind IN (301, 319) AND m.status = 'klaar')))"
        " OR (? = 'te_laat' AND ((m.direction = 'in' AND m.answer_due IS NOT NULL AND m.answered_at IS NULL"
        " AND m.answer_due < ?) OR (m.direction = 'uit' AND m.kind IN (301, 319) AND m.status = 'klaar'"
        " AND m.received_at < ?))))"
        " ORDER BY m.id DESC LIMIT ? OFFSET ?");
    int i = 1;
    db_bind_text(st, i++, req->user->gemeente);
    db_bind_text(st, i++, f.richting);
    db_bind_text(st, i++, f.richting);
    db_bind_text(st, i++, f.wet);
    db_bind_text(st, i++, f.wet);
    db_bind_int(st, i++, f.soort);
    db_bind_int(st, i++, f.soort);
    db_bind_text(st, i++, f.agb);
    db_bind_text(st, i++, f.agb);
    db_bind_text(st, i++, f.status);
    db_bind_text(st, i++, f.status);
    db_bind_text(st, i++, f.status);
    db_bind_text(st, i++, f.status);
    db_bind_text(st, i++, today_s);
    db_bind_int(st, i++, late_before);
    db_bind_int(st, i++, PAGE_SIZE + 1);
    db_bind_int(st, i++, (f.page - 1) * PAGE_SIZE);
    json_t *rows = json_array();
    int more = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (json_array_size(rows) == PAGE_SIZE) {
            more = 1;
            continue;
        }
        int64_t id = db_col_int(st, 0);
        istd_law law;
        if (istd_wet_law(db_col_text(st, 1), &law) != 0) law = ISTD_WMO;
        int number = (int)db_col_int(st, 2), in = !strcmp(db_col_text(st, 3), "in");
        const char *status = db_col_text(st, 9);
        struct due d;
        due_of(in, number, status, db_col_text(st, 10), db_col_int(st, 8), db_col_int(st, 11), now, &d);
        json_t *it = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)id, "href",
            arena_printf(req->arena, ADMIN_BASE "/%lld", (long long)id), "label", kind_label(req, law, number),
            "direction", in ? "ontvangen" : "verstuurd", "agb", db_col_text(st, 4), "provider", db_col_text(st, 5),
            "ident", db_col_text(st, 6), "dagtekening", date_text(req, db_col_text(st, 7)), "received",
            time_text(req, db_col_int(st, 8)), "status", status_word(status, db_col_int(st, 12) != 0), "rejected",
            !strcmp(status, "afgekeurd") || !strcmp(status, "retour_fout"));
        json_object_set_new(it, "due", due_model(req, &d));
        json_array_append_new(rows, it);
    }
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(rows);
        json_decref(m);
        http_error(req, 500, "De berichten konden niet worden geladen. Probeer het opnieuw.");
        return;
    }
    json_object_set_new(m, "has_messages", json_boolean(json_array_size(rows) > 0));
    json_object_set_new(m, "messages", rows);
    json_object_set_new(m, "page", json_integer(f.page));
    json_object_set_new(m, "prev_href", f.page > 1 ? json_string(filter_query(req, &f, f.page - 1)) : json_null());
    json_object_set_new(m, "next_href", more ? json_string(filter_query(req, &f, f.page + 1)) : json_null());
    http_page(req, "istd_admin", m);
}

void page_istd_admin_message(http_req_t *req)
{
    message_page(req, NULL);
}
