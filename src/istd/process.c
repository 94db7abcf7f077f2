/*
 * process.c - from the bytes of a received message to its stored effects and
 * its retour (see process.h), and the outbox of outgoing messages.
 */
#include "istd/process.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/util.h"
#include "domain/calendar.h"
#include "istd/store.h"

void istd_sha256_hex(const void *bytes, size_t len, char out[65])
{
    /* OpenSSL's SHA-256 uses the CPU's SHA extensions: a 10 MB claim file
     * hashes in a few milliseconds instead of twenty. */
    unsigned char h[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(bytes, len, h, &n, EVP_sha256(), NULL) != 1 || n != 32) {
        crypto_hash_sha256(h, bytes, len);
        n = crypto_hash_sha256_BYTES;
    }
    hex_encode(h, n, out);
}

int istd_next_identificatie(db_t *db, const char *gemeente, char *out, size_t n)
{
    db_stmt_t *st = db_prepare(db, "INSERT INTO settings (gemeente, name, value) VALUES (?, 'istd_seq', '1')"
                                   " ON CONFLICT (gemeente, name) DO UPDATE"
                                   " SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT)"
                                   " RETURNING value");
    if (!st) return -1;
    db_bind_text(st, 1, gemeente);
    int64_t seq = 0;
    int ok = db_step(st) == DB_ROW && parse_i64(db_col_text(st, 0), 1, 99999999999LL, &seq) == 0;
    db_done(st);
    if (!ok) return -1;
    snprintf(out, n, "K%011lld", (long long)seq);
    return 0;
}

void istd_outbox_name(istd_law law, istd_kind kind, const char *gemeente, const char *agb,
                      const char *identificatie, char *out, size_t n)
{
    /* Only [A-Za-z0-9] of the parts reach the name: they come from the
     * database, but a file name is no place to trust anything. */
    char id[16] = "", ag[12] = "";
    size_t j = 0;
    for (const char *p = identificatie ? identificatie : ""; *p && j + 1 < sizeof id; p++)
        if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) id[j++] = *p;
    id[j] = 0;
    j = 0;
    for (const char *p = agb ? agb : ""; *p && j + 1 < sizeof ag; p++)
        if (*p >= '0' && *p <= '9') ag[j++] = *p;
    ag[j] = 0;
    snprintf(out, n, "%s_%s_%s_%s.xml", istd_message_name(law, kind), gemeente, ag[0] ? ag : "0", id[0] ? id : "0");
}

/* ---- the header of a message that does not read ------------------------ */

static const xmlNode *child_named(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0) return c;
    return NULL;
}

static char *text_of(arena_t *a, const xmlNode *n)
{
    if (!n) return NULL;
    xmlChar *s = xmlNodeGetContent(n);
    if (!s) return NULL;
    char *r = arena_strndup(a, (const char *)s, strnlen((const char *)s, 64));
    xmlFree(s);
    return r;
}

static void silent(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }

/* When istd_read refuses a message, its retour still needs the sender, the
 * Identificatie and Dagtekening of the header: read just those, with the
 * same safe options (no network, no DTD, no entities). */
static void header_lenient(const char *xml, size_t len, arena_t *a, istd_header_t *h)
{
    if (len > ISTD_MAX_BYTES) return;
    xmlSetGenericErrorFunc(NULL, silent);
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, "bericht.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) return;
    if (!doc->intSubset && !doc->extSubset) {
        const xmlNode *hdr = child_named(xmlDocGetRootElement(doc), "Header");
        const xmlNode *id = child_named(hdr, "BerichtIdentificatie");
        const xmlNode *xsd = child_named(hdr, "XsdVersie");
        h->afzender = text_of(a, child_named(hdr, "Afzender"));
        h->ontvanger = text_of(a, child_named(hdr, "Ontvanger"));
        h->id.identificatie = text_of(a, child_named(id, "Identificatie"));
        h->id.dagtekening = text_of(a, child_named(id, "Dagtekening"));
        h->xsd.basis = text_of(a, child_named(xsd, "BasisschemaXsdVersie"));
        h->xsd.bericht = text_of(a, child_named(xsd, "BerichtXsdVersie"));
    }
    xmlFreeDoc(doc);
}

/* ---- retours ------------------------------------------------------------- */

static void ok_if_empty(istd_codes_t *c)
{
    if (c->n == 0) istd_codes_add(c, "0200");
}

static int codes_reject(const istd_codes_t *c)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->code[i], "0200") != 0 && strcmp(c->code[i], "8001") != 0) return 1;
    return 0;
}

static void ok_vow(istd_vowproduct_t *v, int n)
{
    for (int i = 0; i < n; i++) ok_if_empty(&v[i].codes);
}

/* Puts 0200 on every class of the echoed message without a code. */
static void mark_ok(istd_msg_t *m)
{
    istd_client_t *c = &m->client;
    ok_if_empty(&c->codes);
    for (int i = 0; i < c->n_relaties; i++) {
        ok_if_empty(&c->relaties[i].codes);
        ok_if_empty(&c->relaties[i].contact.codes);
    }
    for (int i = 0; i < c->n_contacten; i++) ok_if_empty(&c->contacten[i].codes);
    for (int i = 0; i < c->n_toegewezen; i++) ok_if_empty(&c->toegewezen[i].codes);
    for (int i = 0; i < c->n_starts; i++) ok_if_empty(&c->starts[i].codes);
    for (int i = 0; i < c->n_stops; i++) ok_if_empty(&c->stops[i].codes);
    for (int i = 0; i < c->n_aangevraagd; i++) ok_if_empty(&c->aangevraagd[i].codes);
    if (m->kind == IK_317 || m->kind == IK_318) {
        ok_if_empty(&c->verzoek.codes);
        ok_vow(c->verzoek.ongewijzigd, c->verzoek.n_ongewijzigd);
        ok_vow(c->verzoek.tewijzigen, c->verzoek.n_tewijzigen);
        ok_vow(c->verzoek.nieuw, c->verzoek.n_nieuw);
    }
}

/* The 325 lists only the rejected Prestaties (TR342), under their clients. */
static void keep_rejected(istd_declaratie_t *d, arena_t *a)
{
    int nc = 0;
    istd_client_t *out = istd_new(a, ISTD_C_CLIENT, d->n_clienten);
    for (int i = 0; i < d->n_clienten; i++) {
        istd_client_t *c = &d->clienten[i];
        int np = 0;
        for (int j = 0; j < c->n_prestaties; j++)
            if (codes_reject(&c->prestaties[j].codes)) c->prestaties[np++] = c->prestaties[j];
        if (!np) continue;
        out[nc] = *c;
        out[nc].n_prestaties = np;
        ok_if_empty(&out[nc].codes);
        nc++;
    }
    d->clienten = out;
    d->n_clienten = nc;
}

/* Builds the retour of m (already checked and applied) into *rt. */
static int build_retour(istd_env_t *e, const istd_msg_t *m, int rejected, const char *today, arena_t *a,
                        istd_msg_t *rt)
{
    char id[16];
    if (istd_next_identificatie(e->db, e->gemeente, id, sizeof id) != 0) return -1;
    istd_kind rk = (istd_kind)istd_retour_of(m->kind);
    *rt = *m;  /* the echo: the retour carries the heen's content */
    rt->kind = rk;
    istd_header_t *h = &rt->header;
    istd_header_fill(rt);
    /* 306 … 318 keep the heen's Afzender (the provider) and Ontvanger (the
     * gemeente), as JW306 … JW318.xsd say; the 325 is sent by the gemeente. */
    if (rk == IK_325) {
        h->afzender = arena_strdup(a, e->gemeente);
        h->ontvanger = m->header.afzender;
    }
    h->id.identificatie = arena_strdup(a, id);
    h->id.dagtekening = arena_strdup(a, today);
    if (rk == IK_325) {
        h->declaratie_id = m->header.id;
        h->xsd_declaratie = m->header.xsd;
    } else {
        h->id_retour = m->header.id.identificatie;
        h->dagtekening_retour = m->header.id.dagtekening;
        h->xsd_retour = m->header.xsd;
    }
    h->codes = m->header.codes;
    if (rejected) {
        /* A refused message is answered with its header only. */
        istd_init(ISTD_C_CLIENT, &rt->client);
        memset(&rt->antwoord, 0, sizeof rt->antwoord);
        istd_msg_t blank;
        istd_msg_init(&blank, rt->law, rt->kind);
        rt->declaratie = blank.declaratie;
        if (h->codes.n == 0) istd_codes_add(&h->codes, "0001");
        return 0;
    }
    ok_if_empty(&h->codes);
    if (rk == IK_325) {
        istd_declaratie_t *d = &rt->declaratie;
        int any = 0;
        for (int i = 0; i < d->n_clienten; i++)
            for (int j = 0; j < d->clienten[i].n_prestaties; j++)
                any |= codes_reject(&d->clienten[i].prestaties[j].codes);
        keep_rejected(d, a);
        d->periode.begindatum = d->periode.einddatum = NULL;
        d->dagtekening = NULL;
        if (d->codes.n == 0) istd_codes_add(&d->codes, any ? "0200" : "8001");
    } else {
        mark_ok(rt);
    }
    return 0;
}

/* ---- receiving ----------------------------------------------------------- */

static int fail(char *err, size_t n, const char *msg)
{
    snprintf(err, n, "%s", msg);
    return ISTD_REFUSED;
}

static int receivable(istd_kind k)
{
    return k == IK_302 || k == IK_305 || k == IK_307 || k == IK_315 || k == IK_317 || k == IK_320 || k == IK_323;
}

static int digits(const char *s, size_t n)
{
    if (!s || strlen(s) != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

/* The earlier receipt of these bytes, if any, into out (law, kind,
 * Identificatie and AGB as stored). 1 found, 0 not, -1 error. */
static int find_duplicate(istd_env_t *e, const char *sha, istd_outcome_t *out)
{
    db_stmt_t *st = db_prepare(e->db, "SELECT m.id, m.status, COALESCE((SELECT r.id FROM istd_message r"
                                      " WHERE r.reply_to = m.id ORDER BY r.id LIMIT 1), 0), m.wet, m.kind,"
                                      " m.identificatie, m.agb"
                                      " FROM istd_message m WHERE m.gemeente = ? AND m.direction = 'in' AND m.sha256 = ?");
    if (!st) return -1;
    db_bind_text(st, 1, e->gemeente);
    db_bind_text(st, 2, sha);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->duplicate = 1;
        out->message_id = db_col_int(st, 0);
        out->rejected = strcmp(db_col_text(st, 1), "afgekeurd") == 0;
        out->retour_id = db_col_int(st, 2);
        out->law = strcmp(db_col_text(st, 3), "wmo") == 0 ? ISTD_WMO : ISTD_JW;
        int k = istd_kind_of_number((int)db_col_int(st, 4));
        out->kind = (istd_kind)(k < 0 ? 0 : k);
        snprintf(out->identificatie, sizeof out->identificatie, "%s", db_col_text(st, 5));
        snprintf(out->agb, sizeof out->agb, "%s", db_col_text(st, 6));
    }
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* ---- the header ------------------------------------------------------------ */

/* A 302 or 320 answers the gemeente's own 301 or 319 and keeps that
 * message's header: Afzender the gemeente, Ontvanger the provider (JW302.xsd,
 * JW320.xsd). Every other message received comes from the provider
 * (Afzender) to the gemeente (Ontvanger). */
static int answers_own(istd_kind k)
{
    return k == IK_302 || k == IK_320;
}

static const char *gemeente_of(const istd_msg_t *m)
{
    return answers_own(m->kind) ? m->header.afzender : m->header.ontvanger;
}

static const char *provider_of(const istd_msg_t *m)
{
    return answers_own(m->kind) ? m->header.ontvanger : m->header.afzender;
}

/* LDT_Datum: YYYY-MM-DD naming a real day (xs:date without a time zone). */
static int date_ok(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
    int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8);
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1]) return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(mo == 2 && d == 29 && !leap);
}

/* LDT_IdentificatieBericht: 1 to 12 characters, not only white space. */
static int identificatie_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 12) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') return 1;
    return 0;
}

/* LDT_Versie: (0|[1-9][0-9]*) three times, separated by dots. */
static int versie_ok(const char *s)
{
    if (!s) return 0;
    for (int part = 0; part < 3; part++) {
        if (*s < '0' || *s > '9') return 0;
        if (*s == '0' && s[1] >= '0' && s[1] <= '9') return 0;
        while (*s >= '0' && *s <= '9') s++;
        if (part < 2 && *s++ != '.') return 0;
    }
    return *s == 0;
}

/* The retour echoes the heen's Identificatie, Dagtekening and XsdVersie
 * (IdentificatieRetour, DagtekeningRetour, XsdVersieRetour; in a 325
 * DeclaratieIdentificatie and XsdVersieDeclaratie). When one of them would
 * make the retour itself invalid, no retour can be made: the reason in
 * why, or NULL when all is well. */
static const char *unanswerable(const istd_header_t *h)
{
    if (!identificatie_ok(h->id.identificatie))
        return "De Identificatie van het bericht is leeg of langer dan 12 tekens";
    if (!date_ok(h->id.dagtekening)) return "De Dagtekening van het bericht is geen datum (JJJJ-MM-DD)";
    if (!versie_ok(h->xsd.basis) || !versie_ok(h->xsd.bericht))
        return "De XsdVersie van het bericht ontbreekt of is geen versienummer";
    return NULL;
}

/* Layer 1 into the report: rc and lines from istd_read_validated. */
/* These bytes received before? 0 no; -1 database error (err); else
 * 1 + ISTD_RECEIVED (out describes the earlier receipt) or 1 + ISTD_REFUSED
 * (they came from another provider than agb_only: not this one's to see). */
static int known_bytes(istd_env_t *e, const char *sha, const char *agb_only, istd_outcome_t *out, char *err,
                       size_t errlen)
{
    int dup = find_duplicate(e, sha, out);
    if (dup < 0) {
        snprintf(err, errlen, "databasefout: %s", db_errmsg(e->db));
        return -1;
    }
    if (!dup) return 0;
    if (agb_only && strcmp(out->agb, agb_only) != 0) {
        snprintf(err, errlen, "De afzender van het bericht (%s) is niet uw AGB-code (%s).", out->agb, agb_only);
        memset(out, 0, sizeof *out);
        return 1 + ISTD_REFUSED;
    }
    return 1 + ISTD_RECEIVED;
}

static int xsd_layer(int rc, const char *lines, istd_msg_t *m, istd_report_t *r)
{
    if (rc == -2) {
        istd_report_add(r, NULL, NULL, "XSD", "", "", "Het schema %s.xsd is niet geladen; de XSD-controle is overgeslagen.",
                        istd_message_name(m->law, m->kind));
        return 0;
    }
    if (rc != 0) {
        const char *p = lines;
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            if (n) istd_report_add(r, m, &m->header.codes, "XSD", "0001", "", "%.*s", (int)n, p);
            p += n + (nl ? 1 : 0);
        }
        if (!r->rejected) istd_report_add(r, m, &m->header.codes, "XSD", "0001", "", "Het bericht voldoet niet aan het schema.");
    }
    return rc;
}

static int64_t insert_message(istd_env_t *e, const istd_msg_t *m, const char *direction, const char *agb,
                              const char *sha, const char *source, const char *status, const char *body, size_t blen,
                              const char *answer_due, int64_t reply_to, int written)
{
    int64_t now = now_s();
    db_stmt_t *st = db_prepare(e->db,
        "INSERT INTO istd_message (gemeente, wet, kind, direction, agb, identificatie, dagtekening, sha256, source,"
        " status, body, received_at, answer_due, reply_to, written_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st) return -1;
    db_bind_text(st, 1, e->gemeente);
    db_bind_text(st, 2, m->law == ISTD_WMO ? "wmo" : "jw");
    db_bind_int(st, 3, istd_kind_number(m->kind));
    db_bind_text(st, 4, direction);
    db_bind_text(st, 5, agb);
    db_bind_text(st, 6, m->header.id.identificatie ? m->header.id.identificatie : "");
    db_bind_text(st, 7, m->header.id.dagtekening);
    db_bind_text(st, 8, sha);
    db_bind_text(st, 9, source);
    db_bind_text(st, 10, status);
    db_bind_textn(st, 11, body, blen);
    db_bind_int(st, 12, now);
    db_bind_text(st, 13, answer_due);
    if (reply_to) db_bind_int(st, 14, reply_to); else db_bind_null(st, 14);
    if (written) db_bind_int(st, 15, now); else db_bind_null(st, 15);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    return id;
}

static int mark_answered(istd_env_t *e, int64_t id, int64_t retour_id)
{
    db_stmt_t *st = db_prepare(e->db, "UPDATE istd_message SET answered_at = ?, retour_id = ? WHERE id = ?");
    if (!st) return -1;
    db_bind_int(st, 1, now_s());
    if (retour_id) db_bind_int(st, 2, retour_id); else db_bind_null(st, 2);
    db_bind_int(st, 3, id);
    int rc = db_step(st) == DB_DONE ? 0 : -1;
    db_done(st);
    return rc;
}

/* A message refused whole grants nothing (its Prestaties carry no codes). */
static void count_claims(const istd_msg_t *m, int rejected, istd_outcome_t *out)
{
    for (int i = 0; i < m->declaratie.n_clienten; i++) {
        const istd_client_t *c = &m->declaratie.clienten[i];
        out->prestaties += c->n_prestaties;
        for (int j = 0; j < c->n_prestaties && !rejected; j++)
            if (!codes_reject(&c->prestaties[j].codes)) out->granted++;
    }
    if (rejected) return;
    int64_t t = m->declaratie.toegekend.bedrag;
    out->granted_cents = t == ISTD_NONE ? 0 : (m->declaratie.toegekend.dc && strcmp(m->declaratie.toegekend.dc, "C") == 0 ? -t : t);
}

int istd_receive(istd_env_t *e, const char *bytes, size_t len, const char *source, const char *agb_only,
                 istd_outcome_t *out, istd_report_t *r, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    err[0] = 0;
    if (len == 0) return fail(err, errlen, "Het bestand is leeg.");
    if (len > ISTD_MAX_BYTES) return fail(err, errlen, "Het bestand is groter dan 64 MB; splits het bericht.");
    char today[11];
    if (e->today) snprintf(today, sizeof today, "%s", e->today);
    else day_format(day_today_amsterdam(now_s()), today);

    char sha[65];
    istd_sha256_hex(bytes, len, sha);
    int dup = known_bytes(e, sha, agb_only, out, err, errlen);
    if (dup != 0) return dup == -1 ? ISTD_ERROR : dup - 1;

    istd_law law;
    istd_kind kind;
    if (memmem(bytes, len, "<!DOCTYPE", 9))
        return fail(err, errlen, "Het bestand bevat een DTD (<!DOCTYPE …>); een iStandaarden-bericht mag dat niet.");
    if (istd_sniff(bytes, len, &law, &kind) != 0)
        return fail(err, errlen, "Dit is geen iWmo- of iJw-bericht van release 3.2 (onbekende of ontbrekende namespace).");
    if (!receivable(kind)) {
        snprintf(err, errlen, "Een %s stuurt de gemeente zelf; dit bericht kan zij niet ontvangen.",
                 istd_message_name(law, kind));
        return ISTD_REFUSED;
    }

    arena_t *a = r->arena;
    istd_msg_t *m = arena_calloc(a, sizeof *m);
    char rerr[300] = "";
    /* One parse for the schema (layer 1) and the model. */
    buf_t xrep = BUF_INIT;
    int xsd_rc;
    int readable = istd_read_validated(e->xsd, bytes, len, a, m, rerr, sizeof rerr, &xrep, 10, &xsd_rc) == 0;
    const char *xsd_lines = arena_strdup(a, buf_cstr(&xrep));
    buf_free(&xrep);
    if (!readable) {
        istd_msg_init(m, law, kind);
        header_lenient(bytes, len, a, &m->header);
    }
    out->law = m->law = law;
    out->kind = m->kind = kind;
    const istd_header_t *h = &m->header;
    const char *gem = gemeente_of(m), *agb = provider_of(m);
    if (!gem || strcmp(gem, e->gemeente) != 0) {
        if (answers_own(kind))
            snprintf(err, errlen, "Deze retour hoort bij een bericht van %s%s, niet van deze gemeente (%s).",
                     gem ? "gemeente " : "een onbekende afzender", gem ? gem : "", e->gemeente);
        else
            snprintf(err, errlen, "Dit bericht is niet aan deze gemeente (%s) gericht%s%s.", e->gemeente,
                     gem ? " maar aan " : "", gem ? gem : "");
        return ISTD_REFUSED;
    }
    if (!digits(agb, 8))
        return fail(err, errlen, answers_own(kind) ? "De ontvanger van de retour is geen AGB-code van 8 cijfers."
                                                   : "De afzender van het bericht is geen AGB-code van 8 cijfers; er kan"
                                                     " geen retour naar toe.");
    if (agb_only && strcmp(agb, agb_only) != 0) {
        snprintf(err, errlen, "De %s (%s) is niet uw AGB-code (%s).",
                 answers_own(kind) ? "ontvanger van de retour" : "afzender van het bericht", agb, agb_only);
        return ISTD_REFUSED;
    }
    if (!h->id.identificatie || !*h->id.identificatie || !h->id.dagtekening)
        return fail(err, errlen, "De header mist de BerichtIdentificatie; er kan geen retour op worden gemaakt.");
    int has_retour = istd_retour_of(kind) >= 0 && !answers_own(kind);
    const char *why = has_retour ? unanswerable(h) : NULL;
    if (why) {
        snprintf(err, errlen, "%s; er kan geen geldige retour op worden gemaakt.", why);
        return ISTD_REFUSED;
    }
    snprintf(out->identificatie, sizeof out->identificatie, "%s", h->id.identificatie);
    snprintf(out->agb, sizeof out->agb, "%s", agb);
    if (!source) source = "";

    /* Layer 1: the schema; the model reader's verdict counts as well. */
    int xsd_bad = xsd_layer(xsd_rc, xsd_lines, m, r) != 0;
    if (!readable && !r->rejected)
        istd_report_add(r, m, &m->header.codes, "XSD", "0001", "", "%s", rerr[0] ? rerr : "Het bericht is onleesbaar.");
    /* Layer 2: the rules inside the message. */
    if (readable && !xsd_bad) istd_check_message(m, today, r);

    day_t td;
    char due[11] = "";
    if (day_parse(today, &td) == 0) day_format(add_working_days(td, 3, NULL), due);

    if (db_begin(e->db) != 0) { snprintf(err, errlen, "databasefout: %s", db_errmsg(e->db)); return ISTD_ERROR; }
    /* Layer 3: against what is stored (TR056, assignments, earlier claims). */
    if (!r->rejected) {
        if (istd_apply(e->db, e->gemeente, m, today, r) != 0) goto dberr;
    }
    out->rejected = r->rejected;
    int64_t in_id = insert_message(e, m, "in", agb, sha, source, r->rejected ? "afgekeurd" : "verwerkt", bytes,
                                   len, has_retour ? due : NULL, 0, 1);
    if (in_id < 0) goto dberr;
    out->message_id = in_id;
    if (kind == IK_323) count_claims(m, r->rejected, out);
    if (has_retour) {
        istd_msg_t rt;
        if (build_retour(e, m, r->rejected, today, a, &rt) != 0) goto dberr;
        buf_t xml = BUF_INIT;
        char werr[200];
        if (istd_write(&rt, &xml, werr, sizeof werr) != 0) {
            buf_free(&xml);
            snprintf(err, errlen, "de retour kon niet worden geschreven: %s", werr);
            db_rollback(e->db);
            return ISTD_ERROR;
        }
        char rsha[65];
        istd_sha256_hex(xml.data, xml.len, rsha);
        int uploaded = strcmp(source, "upload") == 0;
        int64_t rid = insert_message(e, &rt, "uit", agb, rsha, "retour", "klaar", xml.data, xml.len, NULL, in_id,
                                     uploaded);
        buf_free(&xml);
        if (rid < 0 || mark_answered(e, in_id, rid) != 0) goto dberr;
        out->retour_id = rid;
    }
    crash_point("istd.receive.commit");
    if (db_commit(e->db) != 0) goto dberr;
    crash_point("istd.receive.done");
    return ISTD_RECEIVED;
dberr:
    snprintf(err, errlen, "databasefout: %s", db_errmsg(e->db));
    db_rollback(e->db);
    memset(out, 0, sizeof *out);
    /* The same bytes received at the same moment by another process or
     * thread: its transaction won the unique key; answer as for a repeat. */
    char dberr_text[256];
    snprintf(dberr_text, sizeof dberr_text, "%s", err);
    dup = known_bytes(e, sha, agb_only, out, err, errlen);
    if (dup > 0) return dup - 1;
    snprintf(err, errlen, "%s", dberr_text);
    memset(out, 0, sizeof *out);
    return ISTD_ERROR;
}

/* ---- the outbox ---------------------------------------------------------- */

static int write_file_atomic(const char *dir, const char *name, const char *data, size_t len, char *err, size_t errlen)
{
    char tmp[4096], path[4096];
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) { snprintf(err, errlen, "%s: %s", tmp, strerror(errno)); return -1; }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
            close(fd);
            unlink(tmp);
            return -1;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        unlink(tmp);
        return -1;
    }
    crash_point("istd.outbox.rename");
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

int istd_outbox_flush(istd_env_t *e, const char *dir, char *err, size_t errlen)
{
    int written = 0;
    for (;;) {
        /* One at a time: a message is marked written right after its file. */
        db_stmt_t *st = db_prepare(e->db, "SELECT id, wet, kind, agb, identificatie, body FROM istd_message"
                                          " WHERE gemeente = ? AND direction = 'uit' AND written_at IS NULL"
                                          " ORDER BY id LIMIT 1");
        if (!st) { snprintf(err, errlen, "databasefout: %s", db_errmsg(e->db)); return -1; }
        db_bind_text(st, 1, e->gemeente);
        int rc = db_step(st);
        if (rc != DB_ROW) {
            db_done(st);
            if (rc == DB_DONE) return written;
            snprintf(err, errlen, "databasefout: %s", db_errmsg(e->db));
            return -1;
        }
        int64_t id = db_col_int(st, 0);
        istd_law law = strcmp(db_col_text(st, 1), "wmo") == 0 ? ISTD_WMO : ISTD_JW;
        int kind = istd_kind_of_number((int)db_col_int(st, 2));
        char name[128];
        istd_outbox_name(law, (istd_kind)(kind < 0 ? 0 : kind), e->gemeente, db_col_text(st, 3), db_col_text(st, 4), name,
                         sizeof name);
        const char *body = db_col_text(st, 5);
        if (!body) body = "";
        int wrc = write_file_atomic(dir, name, body, strlen(body), err, errlen);
        db_done(st);
        if (wrc != 0) return -1;
        crash_point("istd.outbox.written");
        st = db_prepare(e->db, "UPDATE istd_message SET written_at = ? WHERE id = ?");
        if (!st) { snprintf(err, errlen, "databasefout: %s", db_errmsg(e->db)); return -1; }
        db_bind_int(st, 1, now_s());
        db_bind_int(st, 2, id);
        rc = db_step(st);
        db_done(st);
        if (rc != DB_DONE) { snprintf(err, errlen, "databasefout: %s", db_errmsg(e->db)); return -1; }
        written++;
    }
}
