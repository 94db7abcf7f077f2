/*
 * store.c - providers, assignments, the 301 export and the cross-message
 * rules of received messages (see store.h; tables in 0010_istd.sql).
 *
 * The claim path (323) is the hot one: one Declaratie may hold 10,000
 * Prestaties. Per Prestatie it costs one lookup of the ReferentieNummer
 * (TR314), one of an open debit for the same period (TR389) and one insert;
 * assignments and their granted sums are read once per message and kept in
 * a small hash table (asg_cache), so a file touches each assignment once.
 * Every statement comes from the connection's statement cache (db_prepare),
 * so it is compiled once per connection and reused for every Prestatie.
 */
#include "istd/store.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/calendar.h"
#include "domain/ident.h"
#include "istd/process.h"

#define MAX_VOLUME 99999999
#define MAX_NUMMER 999999999

/* ---- small helpers --------------------------------------------------------- */

const char *istd_wet(istd_law law)
{
    return law == ISTD_JW ? "jw" : law == ISTD_WMO ? "wmo" : "?";
}

int istd_wet_law(const char *wet, istd_law *law)
{
    if (wet && strcmp(wet, "wmo") == 0) *law = ISTD_WMO;
    else if (wet && strcmp(wet, "jw") == 0) *law = ISTD_JW;
    else return -1;
    return 0;
}

static int is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static int empty(const char *s)
{
    return !s || !*s;
}

static int all_digits(const char *s, size_t n)
{
    if (!s || strlen(s) != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return 0;
    return 1;
}

static int in_list(const char *s, const char *const *list)
{
    for (; s && *list; list++)
        if (strcmp(s, *list) == 0) return 1;
    return 0;
}

/* The value for a bind: NULL for "" (absent). */
static const char *opt(const char *s)
{
    return empty(s) ? NULL : s;
}

static void bind_opt_int(db_stmt_t *st, int idx, int64_t v)
{
    if (v == ISTD_NONE) db_bind_null(st, idx);
    else db_bind_int(st, idx, v);
}

static void col_copy(db_stmt_t *st, int col, char *out, size_t n)
{
    snprintf(out, n, "%s", db_col_text(st, col));
}

static int64_t col_opt_int(db_stmt_t *st, int col)
{
    return db_col_is_null(st, col) ? ISTD_NONE : db_col_int(st, col);
}

static void field_err(json_t *errors, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void field_err(json_t *errors, const char *field, const char *fmt, ...)
{
    if (!errors || json_object_get(errors, field)) return;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_object_set_new(errors, field, json_string(msg));
}

static day_t today_of(const char *today)
{
    day_t d;
    if (today && day_parse(today, &d) == 0) return d;
    return day_today_amsterdam(now_s());
}

static int parse_opt_day(const char *s, day_t *d)
{
    return s && day_parse(s, d) == 0;
}

static day_t month_first(day_t d)
{
    int y, m, dd;
    day_to_ymd(d, &y, &m, &dd);
    return day_from_ymd(y, m, 1);
}

static day_t month_last(day_t d)
{
    int y, m, dd;
    day_to_ymd(d, &y, &m, &dd);
    return m == 12 ? day_from_ymd(y + 1, 1, 0) : day_from_ymd(y, m + 1, 0);
}

/* Calendar months the period [b, e] touches (>= 1). */
static int64_t months_touched(day_t b, day_t e)
{
    int yb, mb, db_, ye, me, de;
    day_to_ymd(b, &yb, &mb, &db_);
    day_to_ymd(e, &ye, &me, &de);
    int64_t n = (int64_t)(ye * 12 + me) - (yb * 12 + mb) + 1;
    return n < 1 ? 1 : n;
}

/* 1 when s is a 9-digit string bsn_lookup_hash accepts. */
static int bsn_hashable(const char *s)
{
    return all_digits(s, 9);
}

static void bsn_hash_of(const char *bsn, uint8_t out[32])
{
    char b[10];
    memcpy(b, bsn, 9);
    b[9] = '\0';
    bsn_lookup_hash(b, out);
}

/* ---- providers ------------------------------------------------------------- */

int64_t istd_provider_find(db_t *db, const char *gemeente, const char *agb)
{
    if (!agb_code_valid(agb)) return 0;
    db_stmt_t *st = db_prepare(db, "SELECT id FROM istd_provider WHERE gemeente = ? AND agb = ?");
    db_bind_text(st, 1, gemeente);
    db_bind_text(st, 2, agb);
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_DONE ? 0 : ISTD_E_DB;
    db_done(st);
    return id;
}

int64_t istd_provider_ensure(db_t *db, const char *gemeente, const char *agb, const char *name, int64_t now)
{
    if (!agb_code_valid(agb)) return ISTD_E_INVALID;
    db_stmt_t *st = db_prepare(db, "INSERT INTO istd_provider (gemeente, agb, name, created_at) VALUES (?, ?, ?, ?)"
                                   " ON CONFLICT (gemeente, agb) DO UPDATE SET name = CASE WHEN istd_provider.name = ''"
                                   " THEN excluded.name ELSE istd_provider.name END RETURNING id");
    db_bind_text(st, 1, gemeente);
    db_bind_text(st, 2, agb);
    db_bind_text(st, 3, name ? name : "");
    db_bind_int(st, 4, now);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : ISTD_E_DB;
    db_done(st);
    return id;
}

int istd_provider_link_account(db_t *db, int64_t account_id, int64_t provider_id, int64_t now)
{
    db_stmt_t *st = db_prepare(db, "SELECT 1 FROM account a JOIN istd_provider p ON p.gemeente = a.gemeente"
                                   " WHERE a.id = ? AND p.id = ? AND a.role = 'provider'");
    db_bind_int(st, 1, account_id);
    db_bind_int(st, 2, provider_id);
    int rc = db_step(st);
    db_done(st);
    if (rc == DB_DONE) return ISTD_E_NOT_FOUND;
    if (rc != DB_ROW) return ISTD_E_DB;
    st = db_prepare(db, "INSERT INTO istd_provider_account (account_id, provider_id, created_at) VALUES (?, ?, ?)"
                        " ON CONFLICT (account_id, provider_id) DO NOTHING");
    db_bind_int(st, 1, account_id);
    db_bind_int(st, 2, provider_id);
    db_bind_int(st, 3, now);
    rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? ISTD_OK : ISTD_E_DB;
}

int istd_provider_account_may(db_t *db, int64_t account_id, int64_t provider_id)
{
    db_stmt_t *st = db_prepare(db, "SELECT 1 FROM istd_provider_account WHERE account_id = ? AND provider_id = ?");
    db_bind_int(st, 1, account_id);
    db_bind_int(st, 2, provider_id);
    int ok = db_step(st) == DB_ROW;
    db_done(st);
    return ok;
}

/* ---- assignments: pure checks ------------------------------------------------ */

static const char *const UNITS[] = {"01", "04", "14", "16", "82", "83", "84", NULL};
static const char *const FREQS[] = {"1", "2", "4", "6", NULL};

void istd_assignment_init(istd_assignment_t *a)
{
    memset(a, 0, sizeof *a);
    a->law = ISTD_WMO;
    a->nummer = a->volume = a->budget = a->tarief = ISTD_NONE;
}

static int category_ok(istd_law law, const char *c)
{
    if (!all_digits(c, 2)) return 0;
    int v = (c[0] - '0') * 10 + (c[1] - '0');
    return law == ISTD_WMO ? v >= 1 && v <= 18 : law == ISTD_JW ? v >= 40 && v <= 55 : 0;
}

int istd_assignment_check(const istd_assignment_t *a, json_t *errors)
{
    int n = 0;
#define BAD(field, ...) do { field_err(errors, field, __VA_ARGS__); n++; } while (0)
    if (a->law != ISTD_WMO && a->law != ISTD_JW) BAD("wet", "Kies de wet: Wmo of Jeugdwet.");
    if (!agb_code_valid(a->agb)) BAD("agb", "Een AGB-code heeft precies 8 cijfers.");
    if (a->nummer != ISTD_NONE && a->nummer != 0 && (a->nummer < 1 || a->nummer > MAX_NUMMER))
        BAD("nummer", "Een toewijzingnummer is een getal van 1 tot en met 999999999.");
    if (!category_ok(a->law, a->categorie))
        BAD("categorie", a->law == ISTD_JW ? "Kies een productcategorie van de Jeugdwet (40 tot en met 55)."
                                           : "Kies een productcategorie van de Wmo (01 tot en met 18).");
    size_t cl = strlen(a->code);
    if (cl > 5 || (cl && (isspace((unsigned char)a->code[0]) || isspace((unsigned char)a->code[cl - 1]))))
        BAD("code", "Een productcode heeft 1 tot 5 tekens, zonder spaties aan het begin of eind.");
    day_t ing = 0, eind = 0;
    int has_ing = day_parse(a->ingangsdatum, &ing) == 0;
    if (!has_ing) BAD("ingangsdatum", "Vul de ingangsdatum in als JJJJ-MM-DD.");
    int has_eind = 0;
    if (!empty(a->einddatum)) {
        has_eind = day_parse(a->einddatum, &eind) == 0;
        if (!has_eind) BAD("einddatum", "Vul de einddatum in als JJJJ-MM-DD, of laat hem leeg.");
        else if (has_ing && eind < ing) BAD("einddatum", "De einddatum ligt voor de ingangsdatum.");
    }
    int omvang = a->volume != ISTD_NONE;
    int budget = a->budget != ISTD_NONE;
    if (omvang && budget) BAD("budget", "Geef een omvang óf een budget, niet allebei.");
    if (cl && !omvang) BAD("volume", "Met een productcode hoort een omvang (volume, eenheid en frequentie).");
    /* CD080: no code, Einddatum after 2020 or open: no Omvang. */
    if (!cl && omvang && (!has_eind || strcmp(a->einddatum, "2020-12-31") > 0))
        BAD("volume", "Zonder productcode geeft u geen omvang: laat volume, eenheid en frequentie leeg.");
    if (budget && empty(a->einddatum)) BAD("einddatum", "Met een budget hoort een einddatum.");
    if (omvang) {
        if (a->volume < 0 || a->volume > MAX_VOLUME) BAD("volume", "Het volume is een heel getal van 0 tot 99999999.");
        if (!in_list(a->eenheid, UNITS)) BAD("eenheid", "Kies een eenheid: 01, 04, 14, 16, 82, 83 of 84.");
        if (!in_list(a->frequentie, FREQS)) BAD("frequentie", "Kies een frequentie: 1, 2, 4 of 6.");
        else if (in_list(a->eenheid, (const char *const[]){"14", "16", "83", "84", NULL}) && is(a->frequentie, "1"))
            BAD("frequentie", "Bij eenheid %s is de frequentie per week, per maand of totaal (2, 4 of 6).", a->eenheid);
        if (is(a->frequentie, "2") && empty(a->einddatum))
            BAD("einddatum", "Met een volume per week hoort een einddatum.");
    } else if (!empty(a->eenheid) || !empty(a->frequentie)) {
        BAD("volume", "Vul bij een eenheid en frequentie ook het volume in.");
    }
    if (budget && (a->budget < 0 || a->budget > MAX_VOLUME))
        BAD("budget", "Het budget is een bedrag in centen van 0 tot 99999999.");
    if (a->tarief != ISTD_NONE && (a->tarief < 0 || a->tarief > MAX_VOLUME))
        BAD("tarief", "Het tarief is een bedrag in centen van 0 tot 99999999.");
    if (!empty(a->reden_wijziging)) {
        const char *r = a->reden_wijziging;
        int v = all_digits(r, 2) ? (r[0] - '0') * 10 + (r[1] - '0') : -1;
        if (v == 1) BAD("reden_wijziging", "Reden 01 (administratieve correctie) is vervallen; kies een andere reden.");
        else if (v < 2 || v > 14) BAD("reden_wijziging", "Kies een reden van wijziging van 02 tot en met 14.");
        else if (v == 13 && (!has_eind || !has_ing || eind != ing))
            BAD("reden_wijziging", "Reden 13 (verwijderd) kan alleen als de einddatum gelijk is aan de ingangsdatum.");
    }
    if (strlen(a->referentie_aanbieder) > 36) BAD("referentie_aanbieder", "Een referentie heeft ten hoogste 36 tekens.");
#undef BAD
    return n;
}

/* ---- assignments: reading ------------------------------------------------------ */

#define ASG_COLS                                                                                              \
    "a.id, a.wet, a.nummer, a.person_id, p.agb, a.categorie, a.code, a.ingangsdatum, a.einddatum, a.volume," \
    " a.eenheid, a.frequentie, a.budget, a.tarief, a.reden_wijziging, a.referentie_aanbieder, a.toewijzing_at," \
    " a.version, a.exported_version, a.retour_codes, a.created_at, a.updated_at"                             \
    " FROM istd_assignment a JOIN istd_provider p ON p.id = a.provider_id"

static void read_assignment(db_stmt_t *st, istd_assignment_t *a)
{
    istd_assignment_init(a);
    a->id = db_col_int(st, 0);
    istd_wet_law(db_col_text(st, 1), &a->law);
    a->nummer = db_col_int(st, 2);
    a->person_id = db_col_int(st, 3);
    col_copy(st, 4, a->agb, sizeof a->agb);
    col_copy(st, 5, a->categorie, sizeof a->categorie);
    col_copy(st, 6, a->code, sizeof a->code);
    col_copy(st, 7, a->ingangsdatum, sizeof a->ingangsdatum);
    col_copy(st, 8, a->einddatum, sizeof a->einddatum);
    a->volume = col_opt_int(st, 9);
    col_copy(st, 10, a->eenheid, sizeof a->eenheid);
    col_copy(st, 11, a->frequentie, sizeof a->frequentie);
    a->budget = col_opt_int(st, 12);
    a->tarief = col_opt_int(st, 13);
    col_copy(st, 14, a->reden_wijziging, sizeof a->reden_wijziging);
    col_copy(st, 15, a->referentie_aanbieder, sizeof a->referentie_aanbieder);
    a->toewijzing_at = db_col_int(st, 16);
    a->version = (int)db_col_int(st, 17);
    a->exported_version = (int)db_col_int(st, 18);
    col_copy(st, 19, a->retour_codes, sizeof a->retour_codes);
    a->created_at = db_col_int(st, 20);
    a->updated_at = db_col_int(st, 21);
}

int istd_assignment_get(db_t *db, const char *gemeente, istd_law law, int64_t nummer, istd_assignment_t *out)
{
    db_stmt_t *st = db_prepare(db, "SELECT " ASG_COLS " WHERE a.gemeente = ? AND a.wet = ? AND a.nummer = ?");
    db_bind_text(st, 1, gemeente);
    db_bind_text(st, 2, istd_wet(law));
    db_bind_int(st, 3, nummer);
    int rc = db_step(st);
    if (rc == DB_ROW) read_assignment(st, out);
    db_done(st);
    return rc == DB_ROW ? ISTD_OK : rc == DB_DONE ? ISTD_E_NOT_FOUND : ISTD_E_DB;
}

static int assignment_by_id(db_t *db, const char *gemeente, int64_t id, istd_assignment_t *out)
{
    db_stmt_t *st = db_prepare(db, "SELECT " ASG_COLS " WHERE a.id = ? AND a.gemeente = ?");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, gemeente);
    int rc = db_step(st);
    if (rc == DB_ROW) read_assignment(st, out);
    db_done(st);
    return rc == DB_ROW ? ISTD_OK : rc == DB_DONE ? ISTD_E_NOT_FOUND : ISTD_E_DB;
}

/* Reads every row of a prepared, bound statement selecting ASG_COLS into a
 * malloc'd array. */
static int read_all(db_stmt_t *st, istd_assignment_t **out, int *n)
{
    *out = NULL;
    *n = 0;
    int cap = 0, rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, (size_t)cap * sizeof **out);
        }
        read_assignment(st, &(*out)[(*n)++]);
    }
    db_done(st);
    if (rc != DB_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return ISTD_E_DB;
    }
    return ISTD_OK;
}

int istd_assignment_list(db_t *db, const char *gemeente, int64_t person_id, istd_assignment_t **out, int *n)
{
    db_stmt_t *st = db_prepare(db, "SELECT " ASG_COLS " WHERE a.gemeente = ? AND a.person_id = ? ORDER BY a.wet, a.nummer");
    db_bind_text(st, 1, gemeente);
    db_bind_int(st, 2, person_id);
    return read_all(st, out, n);
}

/* ---- assignments: saving ---------------------------------------------------------- */

/* TR385: granted debit claims on the assignment that no granted credit
 * cancels. -1 on error. */
static int64_t open_debits(db_t *db, int64_t assignment_id)
{
    db_stmt_t *st = db_prepare(db, "SELECT COUNT(*) FROM istd_claim c WHERE c.assignment_id = ? AND c.granted = 1"
                                   " AND c.dc = 'D' AND NOT EXISTS (SELECT 1 FROM istd_claim k WHERE k.gemeente = c.gemeente"
                                   " AND k.wet = c.wet AND k.agb = c.agb AND k.vorig_referentie = c.referentie"
                                   " AND k.dc = 'C' AND k.granted = 1)");
    db_bind_int(st, 1, assignment_id);
    int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    return n;
}

/* TR379: the request the ReferentieAanbieder names. Returns its id (> 0),
 * 0 with a field error, or ISTD_E_DB. */
static int64_t check_request_ref(db_t *db, const char *gemeente, const istd_assignment_t *a, const uint8_t *hash,
                                 size_t hash_len, json_t *errors)
{
    db_stmt_t *st = db_prepare(db, "SELECT id, bsn_hash, status FROM istd_request WHERE gemeente = ? AND wet = ?"
                                   " AND agb = ? AND referentie_aanbieder = ?");
    db_bind_text(st, 1, gemeente);
    db_bind_text(st, 2, istd_wet(a->law));
    db_bind_text(st, 3, a->agb);
    db_bind_text(st, 4, a->referentie_aanbieder);
    int rc = db_step(st);
    int64_t id = 0;
    if (rc == DB_ROW) {
        size_t n = 0;
        const void *h = db_col_blob(st, 1, &n);
        if (!h || n != hash_len || memcmp(h, hash, n) != 0)
            field_err(errors, "referentie_aanbieder", "Het verzoek met deze referentie gaat over een andere cliënt.");
        else if (is(db_col_text(st, 2), "afgewezen"))
            field_err(errors, "referentie_aanbieder", "Het verzoek met deze referentie is al afgewezen.");
        else id = db_col_int(st, 0);
    } else if (rc == DB_DONE) {
        field_err(errors, "referentie_aanbieder",
                  "Deze aanbieder heeft geen verzoek om toewijzing of wijziging met deze referentie gestuurd. "
                  "Laat de referentie leeg als de toewijzing geen antwoord op een verzoek is.");
    } else {
        id = ISTD_E_DB;
    }
    db_done(st);
    return id;
}

static int same_mutable(const istd_assignment_t *a, const istd_assignment_t *o)
{
    return strcmp(a->einddatum, o->einddatum) == 0 && a->volume == o->volume && strcmp(a->eenheid, o->eenheid) == 0 &&
           strcmp(a->frequentie, o->frequentie) == 0 && a->budget == o->budget && a->tarief == o->tarief &&
           strcmp(a->reden_wijziging, o->reden_wijziging) == 0 &&
           strcmp(a->referentie_aanbieder, o->referentie_aanbieder) == 0;
}

static void bind_mutable(db_stmt_t *st, int i, const istd_assignment_t *a)
{
    db_bind_text(st, i, opt(a->einddatum));
    bind_opt_int(st, i + 1, a->volume);
    db_bind_text(st, i + 2, a->volume == ISTD_NONE ? NULL : a->eenheid);
    db_bind_text(st, i + 3, a->volume == ISTD_NONE ? NULL : a->frequentie);
    bind_opt_int(st, i + 4, a->budget);
    bind_opt_int(st, i + 5, a->tarief);
    db_bind_text(st, i + 6, opt(a->reden_wijziging));
    db_bind_text(st, i + 7, opt(a->referentie_aanbieder));
}

int64_t istd_assignment_save(db_t *db, const char *gemeente, istd_assignment_t *a, int64_t now, json_t *errors)
{
    if (istd_assignment_check(a, errors) > 0) return ISTD_E_INVALID;
    int64_t provider = istd_provider_find(db, gemeente, a->agb);
    if (provider < 0) return ISTD_E_DB;
    if (provider == 0) {
        field_err(errors, "agb", "Er is geen aanbieder met AGB-code %s bekend in deze gemeente.", a->agb);
        return ISTD_E_INVALID;
    }
    /* the client */
    uint8_t hash[32];
    size_t hash_len = 0;
    db_stmt_t *st = db_prepare(db, "SELECT bsn_hash FROM person WHERE id = ? AND gemeente = ?");
    db_bind_int(st, 1, a->person_id);
    db_bind_text(st, 2, gemeente);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        const void *h = db_col_blob(st, 0, &hash_len);
        if (h && hash_len == sizeof hash) memcpy(hash, h, hash_len);
        else hash_len = 0;
    }
    db_done(st);
    if (rc == DB_DONE) {
        field_err(errors, "person", "Deze persoon is niet gevonden.");
        return ISTD_E_NOT_FOUND;
    }
    if (rc != DB_ROW) return ISTD_E_DB;
    if (hash_len == 0) {
        field_err(errors, "person", "Van deze persoon is geen BSN bekend. Een toewijzing via iWmo of iJw kan niet zonder BSN.");
        return ISTD_E_INVALID;
    }

    istd_assignment_t old;
    int changing = a->id > 0;
    if (changing) {
        rc = assignment_by_id(db, gemeente, a->id, &old);
        if (rc == ISTD_E_NOT_FOUND) field_err(errors, "id", "Deze toewijzing is niet gevonden.");
        if (rc != ISTD_OK) return rc;
        if (a->nummer == ISTD_NONE || a->nummer == 0) a->nummer = old.nummer;
        if (a->law != old.law || a->nummer != old.nummer || a->person_id != old.person_id || strcmp(a->agb, old.agb) != 0 ||
            strcmp(a->categorie, old.categorie) != 0 || strcmp(a->code, old.code) != 0 ||
            strcmp(a->ingangsdatum, old.ingangsdatum) != 0) {
            field_err(errors, "id",
                      "Wet, toewijzingnummer, cliënt, aanbieder, product en ingangsdatum van een toewijzing veranderen "
                      "niet. Beëindig deze toewijzing en maak een nieuwe.");
            return ISTD_E_INVALID;
        }
        if (same_mutable(a, &old)) {
            *a = old;
            return a->id;
        }
        if (old.exported_version > 0 && empty(a->reden_wijziging)) {
            field_err(errors, "reden_wijziging", "De aanbieder heeft deze toewijzing al ontvangen: kies de reden van de wijziging.");
            return ISTD_E_INVALID;
        }
        if (is(a->reden_wijziging, "13")) {
            int64_t n = open_debits(db, a->id);
            if (n < 0) return ISTD_E_DB;
            if (n > 0) {
                field_err(errors, "reden_wijziging",
                          "Op deze toewijzing zijn al declaraties goedgekeurd; verwijderen (reden 13) kan niet. "
                          "Beëindig de toewijzing met een einddatum.");
                return ISTD_E_INVALID;
            }
        }
    } else if (a->nummer == ISTD_NONE || a->nummer == 0) {
        st = db_prepare(db, "SELECT COALESCE(MAX(nummer), 0) + 1 FROM istd_assignment WHERE gemeente = ? AND wet = ?");
        db_bind_text(st, 1, gemeente);
        db_bind_text(st, 2, istd_wet(a->law));
        int64_t next = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
        db_done(st);
        if (next < 0) return ISTD_E_DB;
        if (next > MAX_NUMMER) {
            field_err(errors, "nummer", "Er is geen vrij toewijzingnummer meer; kies er zelf een.");
            return ISTD_E_INVALID;
        }
        a->nummer = next;
    } else {
        /* TR332 */
        st = db_prepare(db, "SELECT 1 FROM istd_assignment WHERE gemeente = ? AND wet = ? AND nummer = ?");
        db_bind_text(st, 1, gemeente);
        db_bind_text(st, 2, istd_wet(a->law));
        db_bind_int(st, 3, a->nummer);
        rc = db_step(st);
        db_done(st);
        if (rc == DB_ROW) {
            field_err(errors, "nummer",
                      "Toewijzingnummer %lld bestaat al voor de %s in deze gemeente. Ieder toegewezen product krijgt een "
                      "eigen nummer (TR332).",
                      (long long)a->nummer, a->law == ISTD_JW ? "Jeugdwet" : "Wmo");
            return ISTD_E_DUPLICATE;
        }
        if (rc != DB_DONE) return ISTD_E_DB;
    }

    int64_t request = 0;
    if (!empty(a->referentie_aanbieder) && (!changing || strcmp(a->referentie_aanbieder, old.referentie_aanbieder) != 0)) {
        request = check_request_ref(db, gemeente, a, hash, hash_len, errors);
        if (request < 0) return ISTD_E_DB;
        if (request == 0) return ISTD_E_INVALID;
    }

    int64_t id;
    if (changing) {
        st = db_prepare(db, "UPDATE istd_assignment SET einddatum = ?, volume = ?, eenheid = ?, frequentie = ?, budget = ?,"
                            " tarief = ?, reden_wijziging = ?, referentie_aanbieder = ?, toewijzing_at = ?,"
                            " version = version + 1, updated_at = ? WHERE id = ?");
        bind_mutable(st, 1, a);
        db_bind_int(st, 9, now);
        db_bind_int(st, 10, now);
        db_bind_int(st, 11, a->id);
        id = db_step(st) == DB_DONE ? a->id : ISTD_E_DB;
        db_done(st);
    } else {
        st = db_prepare(db, "INSERT INTO istd_assignment (gemeente, wet, nummer, person_id, provider_id, categorie, code,"
                            " ingangsdatum, einddatum, volume, eenheid, frequentie, budget, tarief, reden_wijziging,"
                            " referentie_aanbieder, toewijzing_at, created_at, updated_at)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
        db_bind_text(st, 1, gemeente);
        db_bind_text(st, 2, istd_wet(a->law));
        db_bind_int(st, 3, a->nummer);
        db_bind_int(st, 4, a->person_id);
        db_bind_int(st, 5, provider);
        db_bind_text(st, 6, a->categorie);
        db_bind_text(st, 7, opt(a->code));
        db_bind_text(st, 8, a->ingangsdatum);
        bind_mutable(st, 9, a);
        db_bind_int(st, 17, now);
        db_bind_int(st, 18, now);
        db_bind_int(st, 19, now);
        id = db_step(st) == DB_ROW ? db_col_int(st, 0) : ISTD_E_DB;
        db_done(st);
    }
    if (id < 0) return ISTD_E_DB;
    if (request > 0) {
        st = db_prepare(db, "UPDATE istd_request SET status = 'toegewezen', decided_at = ?,"
                            " person_id = COALESCE(person_id, ?) WHERE id = ? AND status = 'open'");
        db_bind_int(st, 1, now);
        db_bind_int(st, 2, a->person_id);
        db_bind_int(st, 3, request);
        rc = db_step(st);
        db_done(st);
        if (rc != DB_DONE) return ISTD_E_DB;
    }
    if (assignment_by_id(db, gemeente, id, a) != ISTD_OK) return ISTD_E_DB;
    return id;
}

/* ---- the 301 ------------------------------------------------------------------------- */

/* s cut to at most max characters (UTF-8), in a; NULL for an empty s. */
static char *cut(arena_t *a, const char *s, size_t max)
{
    while (s && (*s == ' ' || *s == '\t')) s++;
    if (empty(s)) return NULL;
    size_t chars = 0, i = 0;
    while (s[i] && chars < max) {
        i++;
        while ((s[i] & 0xC0) == 0x80) i++;
        chars++;
    }
    while (i > 0 && s[i - 1] == ' ') i--;
    return i ? arena_strndup(a, s, i) : NULL;
}

/* Initials of the given names: the first letter of each name, at most 6. */
static char *initials(arena_t *a, const char *given)
{
    char out[32];
    size_t n = 0;
    int letters = 0;
    for (const char *p = given; p && *p && letters < 6;) {
        while (*p == ' ' || *p == '-' || *p == '.') p++;
        if (!*p) break;
        unsigned char c = (unsigned char)*p;
        if (c < 0x80) {
            if (isalpha(c)) {
                out[n++] = (char)toupper(c);
                letters++;
            }
            p++;
        } else if (c >= 0xC0) { /* a non-ASCII letter: copy the whole sequence */
            size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (n + len >= sizeof out) break;
            for (size_t k = 0; k < len && p[k]; k++) out[n++] = p[k];
            letters++;
            p += len;
        } else {
            p++;
        }
        while (*p && *p != ' ' && *p != '-') p++;
    }
    out[n] = '\0';
    return n ? arena_strdup(a, out) : NULL;
}

/* A phone number as CDT_Telefoon: national digits ("+31 6 1234 5678" ->
 * "0612345678") with Landnummer 0031. Numbers of other countries are left
 * out (the length of a country code is not known here). 0 when none. */
static int phone_of(arena_t *a, const char *s, istd_telefoon_t *t)
{
    char out[24];
    size_t n = 0;
    const char *p = s ? s : "";
    while (*p == ' ') p++;
    if (p[0] == '+' || (p[0] == '0' && p[1] == '0')) {
        p += p[0] == '+' ? 1 : 2;
        if (p[0] != '3' || p[1] != '1') return 0;
        out[n++] = '0';
        p += 2;
    }
    for (; *p && n < sizeof out - 1; p++)
        if (isdigit((unsigned char)*p)) out[n++] = *p;
    out[n] = '\0';
    if (n < 10 || n > 15) return 0;
    t->telefoonnummer = arena_strdup(a, out);
    t->landnummer = "0031";
    return 1;
}

static const char *gender_code(const char *g)
{
    return is(g, "man") ? "1" : is(g, "vrouw") ? "2" : "0";
}

static void set_err(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t n, const char *fmt, ...)
{
    if (!err || !n) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
}

/* Client data of a 301 from person and the current household address. */
static int fill_client(db_t *db, const char *gemeente, int64_t person_id, const char *today, arena_t *a,
                       istd_client_t *c, char *err, size_t errlen)
{
    db_stmt_t *st = db_prepare(db, "SELECT bsn_sealed, birth_date, gender, given_names, prefix, family_name, phone, email"
                                   " FROM person WHERE id = ? AND gemeente = ?");
    db_bind_int(st, 1, person_id);
    db_bind_text(st, 2, gemeente);
    int rc = db_step(st);
    if (rc != DB_ROW) {
        db_done(st);
        if (rc == DB_DONE) set_err(err, errlen, "persoon %lld bestaat niet", (long long)person_id);
        return rc == DB_DONE ? ISTD_E_INVALID : ISTD_E_DB;
    }
    size_t n = 0;
    const void *sealed = db_col_blob(st, 0, &n);
    char bsn[10] = "";
    if (!sealed || bsn_open(sealed, n, bsn) != 0) {
        db_done(st);
        set_err(err, errlen, "persoon %lld: geen (leesbaar) BSN", (long long)person_id);
        return ISTD_E_INVALID;
    }
    c->bsn = arena_strdup(a, bsn);
    day_t birth;
    if (day_parse(db_col_text(st, 1), &birth) == 0) {
        c->geboortedatum.datum = arena_strdup(a, db_col_text(st, 1));
    } else {
        /* unknown: DatumGebruik 3 with a placeholder date (CS139) */
        c->geboortedatum.datum = "1900-01-01";
        c->geboortedatum.gebruik = "3";
    }
    c->geslacht = (char *)gender_code(db_col_text(st, 2));
    c->naam.voornamen = cut(a, db_col_text(st, 3), 200);
    c->naam.voorletters = initials(a, db_col_text(st, 3));
    c->naam.geslachtsnaam.voorvoegsel = cut(a, db_col_text(st, 4), 10);
    c->naam.geslachtsnaam.achternaam = cut(a, db_col_text(st, 5), 200);
    c->naam.naamgebruik = "1";
    istd_telefoon_t phone = {NULL, NULL};
    phone_of(a, db_col_text(st, 6), &phone);
    const char *email = db_col_text(st, 7);
    char *mail = strchr(email, '@') ? cut(a, email, 80) : NULL;
    db_done(st);
    if (!c->naam.geslachtsnaam.achternaam) c->naam.geslachtsnaam.achternaam = "Onbekend";

    st = db_prepare(db, "SELECT ad.postcode, ad.house_number, ad.house_addition, ad.street, ad.city"
                        " FROM household_member hm JOIN household h ON h.id = hm.household_id"
                        " JOIN address ad ON ad.id = h.address_id"
                        " WHERE hm.person_id = ? AND (hm.until IS NULL OR hm.until > ?) AND h.status = 'open'"
                        " ORDER BY h.id DESC LIMIT 1");
    db_bind_int(st, 1, person_id);
    db_bind_text(st, 2, today);
    rc = db_step(st);
    if (rc != DB_ROW) {
        db_done(st);
        if (rc == DB_DONE) set_err(err, errlen, "persoon %lld: geen huidig adres", (long long)person_id);
        return rc == DB_DONE ? ISTD_E_INVALID : ISTD_E_DB;
    }
    istd_contact_t *ct = istd_new(a, ISTD_C_CONTACT, 1);
    ct->soort = "01";
    ct->adres.postcode = arena_strdup(a, db_col_text(st, 0));
    ct->adres.huis.huisnummer = db_col_int(st, 1);
    const char *add = db_col_text(st, 2);
    if (strlen(add) == 1 && isalpha((unsigned char)add[0])) ct->adres.huis.huisletter = arena_strdup(a, add);
    else ct->adres.huis.toevoeging = cut(a, add, 4);
    ct->adres.straatnaam = cut(a, db_col_text(st, 3), 24);
    ct->adres.plaatsnaam = cut(a, db_col_text(st, 4), 80);
    ct->adres.landcode = "NL";
    ct->telefoon.t1 = phone;
    ct->email = mail;
    db_done(st);
    c->contacten = ct;
    c->n_contacten = 1;
    return ISTD_OK;
}

static void fill_toegewezen(arena_t *a, const istd_assignment_t *s, istd_toegewezen_t *t)
{
    t->toewijzingnummer = s->nummer;
    t->referentie_aanbieder = opt(s->referentie_aanbieder) ? arena_strdup(a, s->referentie_aanbieder) : NULL;
    t->product.categorie = arena_strdup(a, s->categorie);
    t->product.code = opt(s->code) ? arena_strdup(a, s->code) : NULL;
    char d[11];
    day_format(day_today_amsterdam(s->toewijzing_at), d);
    t->toewijzingsdatum = arena_strdup(a, d);
    int min = minute_amsterdam(s->toewijzing_at);
    int sec = (int)(((s->toewijzing_at % 60) + 60) % 60);
    t->toewijzingstijd = arena_printf(a, "%02d:%02d:%02d", min / 60, min % 60, sec);
    t->ingangsdatum = arena_strdup(a, s->ingangsdatum);
    t->einddatum = opt(s->einddatum) ? arena_strdup(a, s->einddatum) : NULL;
    t->reden_wijziging = opt(s->reden_wijziging) ? arena_strdup(a, s->reden_wijziging) : NULL;
    if (s->volume != ISTD_NONE) {
        t->omvang.volume = s->volume;
        t->omvang.eenheid = arena_strdup(a, s->eenheid);
        t->omvang.frequentie = arena_strdup(a, s->frequentie);
    }
    t->budget = s->budget;
}

int istd_build_301(db_t *db, const char *gemeente, int64_t person_id, int64_t provider_id, istd_law law,
                   const char *today, arena_t *a, istd_msg_t *m, char *err, size_t errlen)
{
    char td[11];
    day_format(today_of(today), td);
    db_stmt_t *st = db_prepare(db, "SELECT agb FROM istd_provider WHERE id = ? AND gemeente = ?");
    db_bind_int(st, 1, provider_id);
    db_bind_text(st, 2, gemeente);
    int rc = db_step(st);
    char agb[12] = "";
    if (rc == DB_ROW) col_copy(st, 0, agb, sizeof agb);
    db_done(st);
    if (rc != DB_ROW) {
        if (rc == DB_DONE) set_err(err, errlen, "aanbieder %lld bestaat niet", (long long)provider_id);
        return rc == DB_DONE ? ISTD_E_INVALID : ISTD_E_DB;
    }
    st = db_prepare(db, "SELECT " ASG_COLS " WHERE a.gemeente = ? AND a.person_id = ? AND a.provider_id = ? AND a.wet = ?"
                        " AND (a.version > a.exported_version OR ((a.einddatum IS NULL OR a.einddatum >= ?)"
                        " AND (a.reden_wijziging IS NULL OR a.reden_wijziging <> '13'))) ORDER BY a.nummer");
    db_bind_text(st, 1, gemeente);
    db_bind_int(st, 2, person_id);
    db_bind_int(st, 3, provider_id);
    db_bind_text(st, 4, istd_wet(law));
    db_bind_text(st, 5, td);
    istd_assignment_t *list;
    int n;
    if (read_all(st, &list, &n) != ISTD_OK) return ISTD_E_DB;
    if (n == 0) return 0;

    istd_msg_init(m, law, IK_301);
    istd_header_fill(m);
    m->header.afzender = arena_strdup(a, gemeente);
    m->header.ontvanger = arena_strdup(a, agb);
    m->header.id.dagtekening = arena_strdup(a, td);
    rc = fill_client(db, gemeente, person_id, td, a, &m->client, err, errlen);
    if (rc != ISTD_OK) {
        free(list);
        return rc;
    }
    m->client.toegewezen = istd_new(a, ISTD_C_TOEGEWEZEN, n);
    m->client.n_toegewezen = n;
    for (int i = 0; i < n; i++) fill_toegewezen(a, &list[i], &m->client.toegewezen[i]);
    free(list);
    return n;
}

struct group {
    int64_t person, provider;
    istd_law law;
};

int istd_export_301(db_t *db, const char *gemeente, const char *today, char *err, size_t errlen)
{
    char dummy[1];
    if (!err || !errlen) {
        err = dummy;
        errlen = sizeof dummy;
    }
    err[0] = '\0';
    char td[11];
    day_format(today_of(today), td);
    int own = !db_in_transaction(db);
    if (own && db_begin(db) != DB_OK) {
        set_err(err, errlen, "databasefout: %s", db_errmsg(db));
        return ISTD_E_DB;
    }
    struct group *groups = NULL;
    int ng = 0, cap = 0, rc;
    db_stmt_t *st = db_prepare(db, "SELECT DISTINCT person_id, provider_id, wet FROM istd_assignment"
                                   " WHERE gemeente = ? AND version > exported_version ORDER BY person_id, provider_id, wet");
    db_bind_text(st, 1, gemeente);
    while ((rc = db_step(st)) == DB_ROW) {
        if (ng == cap) {
            cap = cap ? cap * 2 : 16;
            groups = xrealloc(groups, (size_t)cap * sizeof *groups);
        }
        groups[ng].person = db_col_int(st, 0);
        groups[ng].provider = db_col_int(st, 1);
        istd_wet_law(db_col_text(st, 2), &groups[ng].law);
        ng++;
    }
    db_done(st);
    int made = 0, skipped = 0;
    arena_t *a = arena_new(0);
    buf_t xml = BUF_INIT;
    char why[200] = "", first_skip[200] = "";
    if (rc != DB_DONE) goto dberr;
    for (int g = 0; g < ng; g++) {
        arena_reset(a);
        istd_msg_t m;
        int n = istd_build_301(db, gemeente, groups[g].person, groups[g].provider, groups[g].law, td, a, &m, why,
                               sizeof why);
        if (n == ISTD_E_INVALID) {
            if (!skipped++) snprintf(first_skip, sizeof first_skip, "%s", why);
            continue;
        }
        if (n < 0) goto dberr;
        if (n == 0) continue;
        char ident[16];
        if (istd_next_identificatie(db, gemeente, ident, sizeof ident) != 0) goto dberr;
        m.header.id.identificatie = ident;
        buf_reset(&xml);
        char werr[200] = "";
        if (istd_write(&m, &xml, werr, sizeof werr) != 0) {
            set_err(err, errlen, "het toewijzingsbericht kon niet worden geschreven: %s", werr);
            goto fail;
        }
        char sha[65];
        istd_sha256_hex(xml.data, xml.len, sha);
        char summary[120];
        snprintf(summary, sizeof summary, "Toewijzing: %d toegewezen product%s", n, n == 1 ? "" : "en");
        st = db_prepare(db, "INSERT INTO istd_message (gemeente, wet, kind, direction, agb, identificatie, dagtekening,"
                            " sha256, source, status, body, received_at, summary)"
                            " VALUES (?, ?, 301, 'uit', ?, ?, ?, ?, 'export', 'klaar', ?, ?, ?)");
        db_bind_text(st, 1, gemeente);
        db_bind_text(st, 2, istd_wet(groups[g].law));
        db_bind_text(st, 3, m.header.ontvanger);
        db_bind_text(st, 4, ident);
        db_bind_text(st, 5, td);
        db_bind_text(st, 6, sha);
        db_bind_textn(st, 7, xml.data ? xml.data : "", xml.len);
        db_bind_int(st, 8, now_s());
        db_bind_text(st, 9, summary);
        rc = db_step(st);
        db_done(st);
        if (rc != DB_DONE) goto dberr;
        st = db_prepare(db, "UPDATE istd_assignment SET exported_version = version WHERE gemeente = ? AND person_id = ?"
                            " AND provider_id = ? AND wet = ? AND version > exported_version");
        db_bind_text(st, 1, gemeente);
        db_bind_int(st, 2, groups[g].person);
        db_bind_int(st, 3, groups[g].provider);
        db_bind_text(st, 4, istd_wet(groups[g].law));
        rc = db_step(st);
        db_done(st);
        if (rc != DB_DONE) goto dberr;
        made++;
    }
    if (own && db_commit(db) != DB_OK) goto dberr;
    if (skipped)
        set_err(err, errlen, "%d cliënt%s overgeslagen (%s)", skipped, skipped == 1 ? "" : "en", first_skip);
    free(groups);
    arena_free(a);
    buf_free(&xml);
    return made;
dberr:
    set_err(err, errlen, "databasefout: %s", db_errmsg(db));
fail:
    if (own) db_rollback(db);
    free(groups);
    arena_free(a);
    buf_free(&xml);
    return ISTD_E_DB;
}

/* ---- received messages: shared ------------------------------------------------------ */

struct ctx {
    db_t *db;
    const char *gemeente;
    const char *wet;
    const char *agb;       /* the sender */
    const char *ident;     /* its Identificatie */
    istd_msg_t *m;
    istd_report_t *r;
    day_t today;
    char today_s[11];
    int64_t now;
};

/* A finding on a class. */
#define FIND(c, codes, rule, code, path, ...) istd_report_add((c)->r, (c)->m, (codes), rule, code, path, __VA_ARGS__)

static char *pathf(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *pathf(struct ctx *c, const char *fmt, ...)
{
    char buf[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return arena_strdup(c->r->arena, buf);
}

/* TR056: 1 when the Identificatie was used before for this kind by this
 * sender, 0 when not, -1 on error. */
static int tr056_seen(struct ctx *c)
{
    db_stmt_t *st = db_prepare(c->db, "SELECT 1 FROM istd_message WHERE gemeente = ? AND wet = ? AND kind = ?"
                                      " AND agb = ? AND identificatie = ? AND direction = 'in' LIMIT 1");
    db_bind_text(st, 1, c->gemeente);
    db_bind_text(st, 2, c->wet);
    db_bind_int(st, 3, istd_kind_number(c->m->kind));
    db_bind_text(st, 4, c->agb);
    db_bind_text(st, 5, c->ident);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static void codes_text(const istd_codes_t *k, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < k->n && len + 6 < n; i++)
        len += (size_t)snprintf(out + len, n - len, "%s%s", i ? " " : "", k->code[i]);
}

/* An assignment as the start/stop/claim rules see it. */
struct asg {
    int64_t nummer;
    int state;                 /* 0 free slot, 1 found, 2 no such assignment */
    int64_t id, person_id;
    char agb[12];
    uint8_t hash[32];
    int has_hash;
    char categorie[4], code[8], eenheid[4], freq[4], reden[4], ingang[12], eind[12];
    int64_t volume, budget, tarief;
    /* granted sums, loaded on first use in a message */
    int sums;
    int64_t sum_norm, sum_amount;
    char max_end[12];
};

#define ASG_SQL                                                                                                    \
    "SELECT a.id, a.person_id, p.agb, per.bsn_hash, a.categorie, a.code, a.eenheid, a.frequentie, a.reden_wijziging," \
    " a.ingangsdatum, a.einddatum, a.volume, a.budget, a.tarief, a.nummer"                                           \
    " FROM istd_assignment a JOIN istd_provider p ON p.id = a.provider_id JOIN person per ON per.id = a.person_id"

static void read_asg(db_stmt_t *st, struct asg *x)
{
    x->state = 1;
    x->id = db_col_int(st, 0);
    x->person_id = db_col_int(st, 1);
    col_copy(st, 2, x->agb, sizeof x->agb);
    size_t n = 0;
    const void *h = db_col_blob(st, 3, &n);
    x->has_hash = h && n == sizeof x->hash;
    if (x->has_hash) memcpy(x->hash, h, n);
    col_copy(st, 4, x->categorie, sizeof x->categorie);
    col_copy(st, 5, x->code, sizeof x->code);
    col_copy(st, 6, x->eenheid, sizeof x->eenheid);
    col_copy(st, 7, x->freq, sizeof x->freq);
    col_copy(st, 8, x->reden, sizeof x->reden);
    col_copy(st, 9, x->ingang, sizeof x->ingang);
    col_copy(st, 10, x->eind, sizeof x->eind);
    x->volume = col_opt_int(st, 11);
    x->budget = col_opt_int(st, 12);
    x->tarief = col_opt_int(st, 13);
    x->nummer = db_col_int(st, 14);
}

/* The assignment (gemeente, law, nummer) into x. 0, or -1 on error. */
static int asg_load(struct ctx *c, int64_t nummer, struct asg *x)
{
    memset(x, 0, sizeof *x);
    x->nummer = nummer;
    x->state = 2;
    db_stmt_t *st = db_prepare(c->db, ASG_SQL " WHERE a.gemeente = ? AND a.wet = ? AND a.nummer = ?");
    db_bind_text(st, 1, c->gemeente);
    db_bind_text(st, 2, c->wet);
    db_bind_int(st, 3, nummer);
    int rc = db_step(st);
    if (rc == DB_ROW) read_asg(st, x);
    db_done(st);
    return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

/* 1 when x is an assignment of the sender for the client with this hash. */
static int asg_matches(struct ctx *c, const struct asg *x, const uint8_t *hash)
{
    return x->state == 1 && strcmp(x->agb, c->agb) == 0 && hash && x->has_hash && memcmp(x->hash, hash, 32) == 0;
}

/* ---- 302 / 320 ------------------------------------------------------------------------ */

static void append_codes(buf_t *b, const char *what, const istd_codes_t *k, int *all_ok)
{
    if (k->n == 0) return;
    if (b->len) buf_puts(b, "; ");
    buf_puts(b, what);
    for (int i = 0; i < k->n; i++) {
        buf_printf(b, " %s", k->code[i]);
        if (strcmp(k->code[i], "0200") != 0) *all_ok = 0;
    }
}

static int apply_retour(struct ctx *c)
{
    istd_msg_t *m = c->m;
    int sent = m->kind == IK_302 ? 301 : 319;
    const char *idr = m->header.id_retour;
    db_stmt_t *st = db_prepare(c->db, "SELECT id FROM istd_message WHERE gemeente = ? AND wet = ? AND kind = ? AND agb = ?"
                                      " AND identificatie = ? AND direction = 'uit' ORDER BY id DESC LIMIT 1");
    db_bind_text(st, 1, c->gemeente);
    db_bind_text(st, 2, c->wet);
    db_bind_int(st, 3, sent);
    db_bind_text(st, 4, c->agb);
    db_bind_text(st, 5, idr ? idr : "");
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    if (rc != DB_ROW && rc != DB_DONE) return -1;
    if (!id) {
        FIND(c, NULL, "RETOUR", "", "Header/IdentificatieRetour",
             "Er is geen verzonden %d met Identificatie %s aan aanbieder %s; de retour is niet gekoppeld.", sent,
             idr ? idr : "(leeg)", c->agb);
        return 0;
    }
    buf_t b = BUF_INIT;
    int all_ok = 1;
    append_codes(&b, "Header", &m->header.codes, &all_ok);
    if (m->kind == IK_302) {
        append_codes(&b, "Client", &m->client.codes, &all_ok);
        for (int i = 0; i < m->client.n_contacten; i++) append_codes(&b, "Contact", &m->client.contacten[i].codes, &all_ok);
        for (int i = 0; i < m->client.n_relaties; i++) append_codes(&b, "Relatie", &m->client.relaties[i].codes, &all_ok);
        for (int i = 0; i < m->client.n_toegewezen; i++) {
            istd_toegewezen_t *t = &m->client.toegewezen[i];
            char what[40];
            snprintf(what, sizeof what, "ToegewezenProduct %lld",
                     t->toewijzingnummer == ISTD_NONE ? 0LL : (long long)t->toewijzingnummer);
            append_codes(&b, what, &t->codes, &all_ok);
            if (t->toewijzingnummer == ISTD_NONE || t->codes.n == 0) continue;
            char codes[96];
            codes_text(&t->codes, codes, sizeof codes);
            st = db_prepare(c->db, "UPDATE istd_assignment SET retour_codes = ? WHERE gemeente = ? AND wet = ? AND nummer = ?"
                                   " AND provider_id IN (SELECT id FROM istd_provider WHERE gemeente = ? AND agb = ?)");
            db_bind_text(st, 1, codes);
            db_bind_text(st, 2, c->gemeente);
            db_bind_text(st, 3, c->wet);
            db_bind_int(st, 4, t->toewijzingnummer);
            db_bind_text(st, 5, c->gemeente);
            db_bind_text(st, 6, c->agb);
            rc = db_step(st);
            db_done(st);
            if (rc != DB_DONE) {
                buf_free(&b);
                return -1;
            }
        }
    } else {
        append_codes(&b, "Antwoord", &m->antwoord.codes, &all_ok);
        append_codes(&b, "Woonplaatsbeginsel", &m->antwoord.woonplaatsbeginsel.codes, &all_ok);
    }
    st = db_prepare(c->db, "UPDATE istd_message SET retour_codes = ?, status = ?, answered_at = ? WHERE id = ?");
    db_bind_text(st, 1, buf_cstr(&b));
    db_bind_text(st, 2, all_ok ? "retour_ok" : "retour_fout");
    db_bind_int(st, 3, c->now);
    db_bind_int(st, 4, id);
    rc = db_step(st);
    db_done(st);
    buf_free(&b);
    return rc == DB_DONE ? 0 : -1;
}

/* ---- 305 / 307 ---------------------------------------------------------------------------- */

/* The assignment a StartProduct/StopProduct relates to (TR019): by
 * ToewijzingNummer, or without one by Product and ToewijzingIngangsdatum.
 * 1 found (x filled), 0 not, -1 error. */
static int find_for_delivery(struct ctx *c, const istd_startstop_t *s, const uint8_t *hash, struct asg *x)
{
    if (!hash) return 0;
    if (s->toewijzingnummer != ISTD_NONE) {
        if (asg_load(c, s->toewijzingnummer, x) != 0) return -1;
        return asg_matches(c, x, hash);
    }
    if (empty(s->product.categorie) || empty(s->toewijzing_ingangsdatum)) return 0;
    db_stmt_t *st = db_prepare(c->db, ASG_SQL " WHERE a.gemeente = ? AND a.wet = ? AND p.agb = ? AND per.bsn_hash = ?"
                                              " AND a.categorie = ? AND a.ingangsdatum = ?"
                                              " AND (? = '' OR a.code = ?) ORDER BY a.nummer LIMIT 1");
    db_bind_text(st, 1, c->gemeente);
    db_bind_text(st, 2, c->wet);
    db_bind_text(st, 3, c->agb);
    db_bind_blob(st, 4, hash, 32);
    db_bind_text(st, 5, s->product.categorie);
    db_bind_text(st, 6, s->toewijzing_ingangsdatum);
    db_bind_text(st, 7, s->product.code ? s->product.code : "");
    db_bind_text(st, 8, s->product.code ? s->product.code : "");
    memset(x, 0, sizeof *x);
    int rc = db_step(st);
    if (rc == DB_ROW) read_asg(st, x);
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

struct delivery {
    int64_t id;
    char status[12], einddatum[12], reden[4];
};

/* The delivery (assignment, begindatum) that is not deleted. 1, 0, -1. */
static int find_delivery(struct ctx *c, int64_t assignment, const char *begin, struct delivery *d)
{
    db_stmt_t *st = db_prepare(c->db, "SELECT id, status, einddatum, reden_beeindiging FROM istd_delivery"
                                      " WHERE assignment_id = ? AND begindatum = ? AND status <> 'verwijderd'"
                                      " ORDER BY id DESC LIMIT 1");
    db_bind_int(st, 1, assignment);
    db_bind_text(st, 2, begin ? begin : "");
    int rc = db_step(st);
    if (rc == DB_ROW) {
        d->id = db_col_int(st, 0);
        col_copy(st, 1, d->status, sizeof d->status);
        col_copy(st, 2, d->einddatum, sizeof d->einddatum);
        col_copy(st, 3, d->reden, sizeof d->reden);
    }
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int exec_delivery_status(struct ctx *c, int64_t id, const char *status)
{
    db_stmt_t *st = db_prepare(c->db, "UPDATE istd_delivery SET status = ?, updated_at = ? WHERE id = ?");
    db_bind_text(st, 1, status);
    db_bind_int(st, 2, c->now);
    db_bind_int(st, 3, id);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}

static int client_hash(const istd_client_t *cl, uint8_t out[32])
{
    if (!bsn_hashable(cl->bsn)) return 0;
    bsn_hash_of(cl->bsn, out);
    return 1;
}

/* The part of a start (305) or stop (307) line every rule needs: its
 * assignment (TR019: else 9019 on the line) and the delivery with its key
 * (assignment, Begindatum). Returns 1 to go on (*x, *d and *has set), 0 when
 * the line got its code, -1 on a database error. */
static int delivery_of(struct ctx *c, istd_startstop_t *s, const uint8_t *hash, const char *path, const char *what,
                       struct asg *x, struct delivery *d, int *has)
{
    int f = find_for_delivery(c, s, hash, x);
    if (f < 0) return -1;
    if (!f) {
        FIND(c, &s->codes, "TR019", "9019", path,
             "Er is geen toewijzing %lld voor deze cliënt bij deze aanbieder; de %s hoort bij een toewijzing.",
             s->toewijzingnummer == ISTD_NONE ? 0LL : (long long)s->toewijzingnummer, what);
        return 0;
    }
    *has = find_delivery(c, x->id, s->begindatum, d);
    return *has < 0 ? -1 : 1;
}

static int apply_starts(struct ctx *c)
{
    istd_client_t *cl = &c->m->client;
    uint8_t hash[32];
    int have = client_hash(cl, hash);
    for (int i = 0; i < cl->n_starts; i++) {
        istd_startstop_t *s = &cl->starts[i];
        if (s->codes.n) continue;
        char *path = pathf(c, "Client/StartProducten/StartProduct[%d]", i + 1);
        struct asg x;
        struct delivery d;
        int has = 0, go = delivery_of(c, s, have ? hash : NULL, path, "start", &x, &d, &has);
        if (go < 0) return -1;
        if (!go) continue;
        if (is(s->status_aanlevering, "3")) {
            if (!has) {
                FIND(c, &s->codes, "TR063", "9063", path,
                     "Er is geen eerdere start op %s voor toewijzing %lld om te verwijderen.", s->begindatum,
                     (long long)x.nummer);
            } else if (strcmp(d.status, "gestopt") == 0) {
                FIND(c, &s->codes, "TR071", "9071", path,
                     "De start op %s van toewijzing %lld is al gestopt en kan niet meer verwijderd worden.", s->begindatum,
                     (long long)x.nummer);
            } else if (exec_delivery_status(c, d.id, "verwijderd") != 0) {
                return -1;
            }
            continue;
        }
        if (has) {
            FIND(c, &s->codes, "TR074", "9074", path, "Er is al een start op %s voor toewijzing %lld ontvangen.",
                 s->begindatum, (long long)x.nummer);
            continue;
        }
        db_stmt_t *st = db_prepare(c->db, "SELECT begindatum FROM istd_delivery WHERE assignment_id = ? AND status = 'gestart'"
                                          " LIMIT 1");
        db_bind_int(st, 1, x.id);
        int rc = db_step(st);
        char other[12] = "";
        if (rc == DB_ROW) col_copy(st, 0, other, sizeof other);
        db_done(st);
        if (rc != DB_ROW && rc != DB_DONE) return -1;
        if (rc == DB_ROW) {
            FIND(c, &s->codes, "TR326", "9326", path,
                 "De levering van toewijzing %lld die op %s startte, is nog niet gestopt.", (long long)x.nummer, other);
            continue;
        }
        st = db_prepare(c->db, "INSERT INTO istd_delivery (gemeente, wet, agb, assignment_id, begindatum, status,"
                               " start_bericht, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'gestart', ?, ?, ?)");
        db_bind_text(st, 1, c->gemeente);
        db_bind_text(st, 2, c->wet);
        db_bind_text(st, 3, c->agb);
        db_bind_int(st, 4, x.id);
        db_bind_text(st, 5, s->begindatum ? s->begindatum : "");
        db_bind_text(st, 6, c->ident);
        db_bind_int(st, 7, c->now);
        db_bind_int(st, 8, c->now);
        rc = db_step(st);
        db_done(st);
        if (rc != DB_DONE) return -1;
    }
    return 0;
}

static int apply_stops(struct ctx *c)
{
    istd_client_t *cl = &c->m->client;
    uint8_t hash[32];
    int have = client_hash(cl, hash);
    for (int i = 0; i < cl->n_stops; i++) {
        istd_startstop_t *s = &cl->stops[i];
        if (s->codes.n) continue;
        char *path = pathf(c, "Client/StopProducten/StopProduct[%d]", i + 1);
        struct asg x;
        struct delivery d;
        int has = 0, go = delivery_of(c, s, have ? hash : NULL, path, "stop", &x, &d, &has);
        if (go < 0) return -1;
        if (!go) continue;
        int del = is(s->status_aanlevering, "3");
        if (!has) {
            if (del)
                FIND(c, &s->codes, "TR063", "9063", path, "Er is geen eerdere stop voor de start op %s van toewijzing %lld.",
                     s->begindatum ? s->begindatum : "", (long long)x.nummer);
            else
                FIND(c, &s->codes, "TR069", "9069", path,
                     "Er is geen start op %s voor toewijzing %lld; neem de sleutel van de start ongewijzigd over.",
                     s->begindatum ? s->begindatum : "", (long long)x.nummer);
            continue;
        }
        int stopped = strcmp(d.status, "gestopt") == 0;
        db_stmt_t *st;
        if (del) {
            if (!stopped || strcmp(d.einddatum, s->einddatum ? s->einddatum : "") != 0) {
                FIND(c, &s->codes, "TR063", "9063", path,
                     "Er is geen eerdere stop op %s voor de start op %s van toewijzing %lld om te verwijderen.",
                     s->einddatum ? s->einddatum : "", s->begindatum, (long long)x.nummer);
                continue;
            }
            st = db_prepare(c->db, "UPDATE istd_delivery SET status = 'gestart', einddatum = NULL, reden_beeindiging = NULL,"
                                   " stop_bericht = NULL, updated_at = ? WHERE id = ?");
            db_bind_int(st, 1, c->now);
            db_bind_int(st, 2, d.id);
        } else {
            if (stopped) {
                int bad = 0;
                if (strcmp(d.reden, "20") != 0) {
                    FIND(c, &s->codes, "TR415", "9415", path,
                         "De start op %s van toewijzing %lld is al definitief gestopt (reden %s).", s->begindatum,
                         (long long)x.nummer, d.reden);
                    bad = 1;
                } else {
                    if (is(s->reden_beeindiging, "20")) {
                        FIND(c, &s->codes, "TR413", "9413", path,
                             "De levering is al tijdelijk gestopt (reden 20); een volgende stop heeft een andere reden.");
                        bad = 1;
                    }
                    if (s->einddatum && strcmp(s->einddatum, d.einddatum) < 0) {
                        FIND(c, &s->codes, "TR414", "9414", path,
                             "De einddatum %s ligt voor de einddatum %s van de eerdere stop.", s->einddatum, d.einddatum);
                        bad = 1;
                    }
                }
                if (bad) continue;
            }
            st = db_prepare(c->db, "UPDATE istd_delivery SET status = 'gestopt', einddatum = ?, reden_beeindiging = ?,"
                                   " stop_bericht = ?, updated_at = ? WHERE id = ?");
            db_bind_text(st, 1, s->einddatum);
            db_bind_text(st, 2, s->reden_beeindiging);
            db_bind_text(st, 3, c->ident);
            db_bind_int(st, 4, c->now);
            db_bind_int(st, 5, d.id);
        }
        int rc = db_step(st);
        db_done(st);
        if (rc != DB_DONE) return -1;
    }
    return 0;
}

/* ---- 315 / 317 ------------------------------------------------------------------------------ */

static int64_t person_of_hash(struct ctx *c, const uint8_t *hash)
{
    db_stmt_t *st = db_prepare(c->db, "SELECT id FROM person WHERE gemeente = ? AND bsn_hash = ?");
    db_bind_text(st, 1, c->gemeente);
    db_bind_blob(st, 2, hash, 32);
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_DONE ? 0 : -1;
    db_done(st);
    return id;
}

/* TR374: 1 when this provider has an open request for the client. */
static int open_request(struct ctx *c, const uint8_t *hash)
{
    db_stmt_t *st = db_prepare(c->db, "SELECT 1 FROM istd_request WHERE gemeente = ? AND wet = ? AND agb = ?"
                                      " AND bsn_hash = ? AND status = 'open' LIMIT 1");
    db_bind_text(st, 1, c->gemeente);
    db_bind_text(st, 2, c->wet);
    db_bind_text(st, 3, c->agb);
    db_bind_blob(st, 4, hash, 32);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* TR347: 1 when the ReferentieAanbieder was used before by this provider. */
static int referentie_used(struct ctx *c, const char *ref)
{
    db_stmt_t *st = db_prepare(c->db, "SELECT 1 FROM istd_request WHERE gemeente = ? AND wet = ? AND agb = ?"
                                      " AND referentie_aanbieder = ?");
    db_bind_text(st, 1, c->gemeente);
    db_bind_text(st, 2, c->wet);
    db_bind_text(st, 3, c->agb);
    db_bind_text(st, 4, ref ? ref : "");
    int rc = db_step(st);
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int insert_request(struct ctx *c, int kind, const char *ref, int64_t person, const uint8_t *hash,
                          const istd_product_t *product)
{
    db_stmt_t *st = db_prepare(c->db, "INSERT INTO istd_request (gemeente, wet, kind, agb, referentie_aanbieder, person_id,"
                                      " bsn_hash, categorie, code, status, bericht, created_at)"
                                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)");
    db_bind_text(st, 1, c->gemeente);
    db_bind_text(st, 2, c->wet);
    db_bind_int(st, 3, kind);
    db_bind_text(st, 4, c->agb);
    db_bind_text(st, 5, ref ? ref : "");
    if (person > 0) db_bind_int(st, 6, person);
    else db_bind_null(st, 6);
    db_bind_blob(st, 7, hash, 32);
    db_bind_text(st, 8, product ? product->categorie : NULL);
    db_bind_text(st, 9, product ? product->code : NULL);
    db_bind_text(st, 10, c->ident);
    db_bind_int(st, 11, c->now);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}

static int apply_vot(struct ctx *c)
{
    istd_client_t *cl = &c->m->client;
    uint8_t hash[32];
    if (cl->codes.n || !client_hash(cl, hash)) return 0;
    int open = open_request(c, hash);
    if (open < 0) return -1;
    if (open) {
        FIND(c, &cl->codes, "TR374", "9374", "Client",
             "Er is nog een verzoek van deze aanbieder voor deze cliënt in behandeling.");
        return 0;
    }
    int64_t person = person_of_hash(c, hash);
    if (person < 0) return -1;
    for (int i = 0; i < cl->n_aangevraagd; i++) {
        istd_aangevraagd_t *p = &cl->aangevraagd[i];
        if (p->codes.n) continue;
        int used = referentie_used(c, p->referentie_aanbieder);
        if (used < 0) return -1;
        if (used) {
            FIND(c, &p->codes, "TR347", "9347", pathf(c, "Client/AangevraagdeProducten/AangevraagdProduct[%d]", i + 1),
                 "ReferentieAanbieder %s is al eerder gebruikt door deze aanbieder.",
                 p->referentie_aanbieder ? p->referentie_aanbieder : "");
            continue;
        }
        if (insert_request(c, 315, p->referentie_aanbieder, person, hash, &p->product) != 0) return -1;
    }
    return 0;
}

static int vow_has(const istd_vowproduct_t *v, int n, int64_t nummer)
{
    for (int i = 0; i < n; i++)
        if (v[i].toewijzingnummer == nummer) return 1;
    return 0;
}

static const istd_assignment_t *find_nummer(const istd_assignment_t *list, int n, int64_t nummer)
{
    for (int i = 0; i < n; i++)
        if (list[i].nummer == nummer) return &list[i];
    return NULL;
}

static int apply_vow(struct ctx *c)
{
    istd_client_t *cl = &c->m->client;
    istd_verzoek_t *v = &cl->verzoek;
    uint8_t hash[32];
    if (cl->codes.n || !client_hash(cl, hash)) return 0;
    int64_t person = person_of_hash(c, hash);
    if (person < 0) return -1;
    /* TR304: a client of this provider under this law */
    int64_t known = 0;
    if (person > 0) {
        db_stmt_t *st = db_prepare(c->db, "SELECT COUNT(*) FROM istd_assignment a JOIN istd_provider p ON p.id = a.provider_id"
                                          " WHERE a.gemeente = ? AND a.wet = ? AND a.person_id = ? AND p.agb = ?");
        db_bind_text(st, 1, c->gemeente);
        db_bind_text(st, 2, c->wet);
        db_bind_int(st, 3, person);
        db_bind_text(st, 4, c->agb);
        known = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
        db_done(st);
        if (known < 0) return -1;
    }
    if (!known) {
        FIND(c, &cl->codes, "TR304", "8187", "Client/Bsn", "Deze cliënt heeft geen toewijzing bij deze aanbieder.");
        return 0;
    }
    if (v->codes.n) return 0;
    int open = open_request(c, hash);
    if (open < 0) return -1;
    if (open)
        FIND(c, &v->codes, "TR374", "9374", "Client/Verzoek",
             "Er is nog een verzoek van deze aanbieder voor deze cliënt in behandeling.");
    int used = referentie_used(c, v->referentie_aanbieder);
    if (used < 0) return -1;
    if (used)
        FIND(c, &v->codes, "TR347", "9347", "Client/Verzoek/ReferentieAanbieder",
             "ReferentieAanbieder %s is al eerder gebruikt door deze aanbieder.",
             v->referentie_aanbieder ? v->referentie_aanbieder : "");
    /* the client's current assignments at this provider */
    db_stmt_t *st = db_prepare(c->db, "SELECT " ASG_COLS " WHERE a.gemeente = ? AND a.wet = ? AND a.person_id = ?"
                                      " AND p.agb = ? AND (a.einddatum IS NULL OR a.einddatum >= ?)"
                                      " AND (a.reden_wijziging IS NULL OR a.reden_wijziging <> '13') ORDER BY a.nummer");
    db_bind_text(st, 1, c->gemeente);
    db_bind_text(st, 2, c->wet);
    db_bind_int(st, 3, person);
    db_bind_text(st, 4, c->agb);
    db_bind_text(st, 5, c->today_s);
    istd_assignment_t *cur;
    int ncur;
    if (read_all(st, &cur, &ncur) != ISTD_OK) return -1;
    int bad = v->codes.n > 0;
    for (int i = 0; i < v->n_ongewijzigd; i++) {
        istd_vowproduct_t *p = &v->ongewijzigd[i];
        if (p->codes.n) { bad = 1; continue; }
        if (!find_nummer(cur, ncur, p->toewijzingnummer)) {
            FIND(c, &p->codes, "TR350", "9350", pathf(c, "Client/Verzoek/OngewijzigdeProducten/OngewijzigdProduct[%d]", i + 1),
                 "Toewijzing %lld is geen actuele toewijzing van deze cliënt bij deze aanbieder.",
                 p->toewijzingnummer == ISTD_NONE ? 0LL : (long long)p->toewijzingnummer);
            bad = 1;
        }
    }
    const char *dagtekening = c->m->header.id.dagtekening;
    for (int i = 0; i < v->n_tewijzigen; i++) {
        istd_vowproduct_t *p = &v->tewijzigen[i];
        if (p->codes.n) { bad = 1; continue; }
        char *path = pathf(c, "Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct[%d]", i + 1);
        const istd_assignment_t *a = find_nummer(cur, ncur, p->toewijzingnummer);
        if (!a) {
            FIND(c, &p->codes, "TR351", "9351", path,
                 "Toewijzing %lld is geen actuele toewijzing van deze cliënt bij deze aanbieder.",
                 p->toewijzingnummer == ISTD_NONE ? 0LL : (long long)p->toewijzingnummer);
            bad = 1;
            continue;
        }
        int has_omvang = p->omvang.volume != ISTD_NONE;
        if (!empty(a->code) && !has_omvang)
            FIND(c, &p->codes, "TR411", "9411", path, "Toewijzing %lld heeft een productcode: vul de omvang in.",
                 (long long)a->nummer);
        if (empty(a->code) && has_omvang && (empty(p->einddatum) || strcmp(p->einddatum, "2020-12-31") > 0))
            FIND(c, &p->codes, "TR412", "9412", path, "Toewijzing %lld heeft geen productcode: laat de omvang leeg.",
                 (long long)a->nummer);
        int at_start = is(p->gewenste_ingangsdatum, a->ingangsdatum);
        if (p->gewenste_ingangsdatum && dagtekening && strcmp(p->gewenste_ingangsdatum, dagtekening) <= 0 && !at_start)
            FIND(c, &p->codes, "TR357", "9357", path,
                 "Een gewenste ingangsdatum die niet na de dagtekening ligt, is de ingangsdatum %s van de toewijzing.",
                 a->ingangsdatum);
        int budget_changed = p->budget != ISTD_NONE && p->budget != a->budget;
        int total_changed = is(a->frequentie, "6") && has_omvang && p->omvang.volume != a->volume;
        if ((budget_changed || total_changed) && !at_start)
            FIND(c, &p->codes, "TR373", "9373", path,
                 "Een gewijzigd budget of totaalvolume gaat in op de ingangsdatum %s van de toewijzing.", a->ingangsdatum);
        if (p->codes.n) bad = 1;
    }
    /* TR349: all current assignments are in the request */
    char missing[200] = "";
    size_t ml = 0;
    for (int i = 0; i < ncur; i++)
        if (!vow_has(v->ongewijzigd, v->n_ongewijzigd, cur[i].nummer) && !vow_has(v->tewijzigen, v->n_tewijzigen, cur[i].nummer) &&
            ml + 12 < sizeof missing)
            ml += (size_t)snprintf(missing + ml, sizeof missing - ml, "%s%lld", ml ? ", " : "", (long long)cur[i].nummer);
    free(cur);
    if (ml) {
        FIND(c, &v->codes, "TR349", "9349", "Client/Verzoek",
             "Het verzoek noemt niet alle actuele toewijzingen van de cliënt; ontbreekt: %s.", missing);
        bad = 1;
    }
    for (int i = 0; i < v->n_nieuw; i++)
        if (v->nieuw[i].codes.n) bad = 1;
    if (bad || v->codes.n) return 0;
    return insert_request(c, 317, v->referentie_aanbieder, person, hash, NULL);
}

int istd_request_decide(db_t *db, const char *gemeente, istd_law law, const char *agb, const char *referentie,
                        const char *status, int64_t now)
{
    if (!is(status, "toegewezen") && !is(status, "afgewezen")) return ISTD_E_NOT_FOUND;
    db_stmt_t *st = db_prepare(db, "UPDATE istd_request SET status = ?, decided_at = ? WHERE gemeente = ? AND wet = ?"
                                   " AND agb = ? AND referentie_aanbieder = ? AND status = 'open'");
    db_bind_text(st, 1, status);
    db_bind_int(st, 2, now);
    db_bind_text(st, 3, gemeente);
    db_bind_text(st, 4, istd_wet(law));
    db_bind_text(st, 5, agb);
    db_bind_text(st, 6, referentie);
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return ISTD_E_DB;
    return db_changes(db) > 0 ? ISTD_OK : ISTD_E_NOT_FOUND;
}

/* ---- 323 ------------------------------------------------------------------------------------ */

/* Assignments of one message by ToewijzingNummer (open addressing). */
struct asg_cache {
    struct asg *slot;
    size_t cap; /* power of two */
};

static struct asg *cache_get(struct ctx *c, struct asg_cache *k, int64_t nummer, int *err)
{
    size_t i = (size_t)((uint64_t)nummer * 0x9E3779B97F4A7C15ull) & (k->cap - 1);
    while (k->slot[i].state && k->slot[i].nummer != nummer) i = (i + 1) & (k->cap - 1);
    struct asg *x = &k->slot[i];
    if (!x->state && asg_load(c, nummer, x) != 0) *err = 1;
    return x;
}

/* The granted sums of x (credits subtracted), once per message. 0 or -1. */
static int load_sums(struct ctx *c, struct asg *x)
{
    if (x->sums) return 0;
    db_stmt_t *st = db_prepare(c->db, "SELECT COALESCE(SUM(CASE WHEN dc = 'C' THEN -norm_volume ELSE norm_volume END), 0),"
                                      " COALESCE(SUM(CASE WHEN dc = 'C' THEN -bedrag ELSE bedrag END), 0), MAX(einddatum)"
                                      " FROM istd_claim WHERE assignment_id = ? AND granted = 1");
    db_bind_int(st, 1, x->id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        x->sum_norm = db_col_int(st, 0);
        x->sum_amount = db_col_int(st, 1);
        col_copy(st, 2, x->max_end, sizeof x->max_end);
        x->sums = 1;
    }
    db_done(st);
    return rc == DB_ROW ? 0 : -1;
}

static int minute_unit(const char *u)
{
    return is(u, "01") || is(u, "04");
}

/* A volume in the measure of comparison with an assignment of unit
 * asg_unit: minutes when both are minutes/hours, else as it is. */
static int64_t norm(int64_t v, const char *unit, const char *asg_unit)
{
    if (v == ISTD_NONE) return 0;
    if (minute_unit(asg_unit) && minute_unit(unit) && is(unit, "04")) return v * 60;
    return v;
}

/* The volume an Omvang of vnorm per freq allows over [b, e] (TR321/TR322);
 * INT64_MAX when the frequency is unknown. */
static int64_t allowed(int64_t vnorm, const char *freq, day_t b, day_t e)
{
    int64_t days = (int64_t)e - b + 1;
    if (days < 1) days = 1;
    if (is(freq, "1")) return vnorm * days;
    if (is(freq, "2")) return (vnorm * days + 6) / 7;
    if (is(freq, "4")) return vnorm * months_touched(b, e);
    if (is(freq, "6")) return vnorm;
    return INT64_MAX;
}

struct claimrun {
    struct ctx *c;
    struct asg_cache cache;
    int64_t declaratie_id;
    int64_t granted_signed;
    int granted, total;
    int err;
};

static int claim_exists(struct ctx *c, const char *ref)
{
    db_stmt_t *st = db_prepare(c->db, "SELECT 1 FROM istd_claim WHERE gemeente = ? AND wet = ? AND agb = ? AND referentie = ?");
    db_bind_text(st, 1, c->gemeente);
    db_bind_text(st, 2, c->wet);
    db_bind_text(st, 3, c->agb);
    db_bind_text(st, 4, ref ? ref : "");
    int rc = db_step(st);
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int insert_claim(struct claimrun *run, const istd_prestatie_t *p, const struct asg *x, int64_t normv, int granted)
{
    struct ctx *c = run->c;
    char codes[96];
    codes_text(&p->codes, codes, sizeof codes);
    db_stmt_t *st = db_prepare(c->db, "INSERT INTO istd_claim (gemeente, wet, agb, referentie, vorig_referentie, declaratie_id,"
                                      " assignment_id, toewijzingnummer, categorie, code, begindatum, einddatum, volume,"
                                      " eenheid, norm_volume, tarief, bedrag, dc, granted, codes, created_at)"
                                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_text(st, 1, c->gemeente);
    db_bind_text(st, 2, c->wet);
    db_bind_text(st, 3, c->agb);
    db_bind_text(st, 4, p->referentie.nummer ? p->referentie.nummer : "");
    db_bind_text(st, 5, p->referentie.vorig);
    db_bind_int(st, 6, run->declaratie_id);
    if (x && x->state == 1) db_bind_int(st, 7, x->id);
    else db_bind_null(st, 7);
    bind_opt_int(st, 8, p->toewijzingnummer);
    db_bind_text(st, 9, p->categorie);
    db_bind_text(st, 10, p->code);
    db_bind_text(st, 11, p->periode.begindatum);
    db_bind_text(st, 12, p->periode.einddatum);
    bind_opt_int(st, 13, p->volume);
    db_bind_text(st, 14, p->eenheid);
    db_bind_int(st, 15, normv);
    bind_opt_int(st, 16, p->tarief);
    bind_opt_int(st, 17, p->bedrag.bedrag);
    db_bind_text(st, 18, is(p->bedrag.dc, "C") ? "C" : "D");
    db_bind_int(st, 19, granted);
    db_bind_text(st, 20, granted ? NULL : codes);
    db_bind_int(st, 21, c->now);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}

/* TR323: the granted debit a credit cancels, with the same key fields. */
static int credit_target(struct ctx *c, const istd_prestatie_t *p)
{
    if (empty(p->referentie.vorig)) return 0;
    db_stmt_t *st = db_prepare(c->db, "SELECT toewijzingnummer, categorie, code, begindatum, einddatum FROM istd_claim"
                                      " WHERE gemeente = ? AND wet = ? AND agb = ? AND referentie = ? AND dc = 'D' AND granted = 1");
    db_bind_text(st, 1, c->gemeente);
    db_bind_text(st, 2, c->wet);
    db_bind_text(st, 3, c->agb);
    db_bind_text(st, 4, p->referentie.vorig);
    int rc = db_step(st);
    int ok = 0;
    if (rc == DB_ROW)
        ok = db_col_int(st, 0) == p->toewijzingnummer && is(db_col_text(st, 1), p->categorie ? p->categorie : "") &&
             is(db_col_text(st, 2), p->code ? p->code : "") && is(db_col_text(st, 3), p->periode.begindatum) &&
             is(db_col_text(st, 4), p->periode.einddatum);
    db_done(st);
    return rc == DB_ROW ? ok : rc == DB_DONE ? 0 : -1;
}

/* TR390: a granted credit for the same debit exists. */
static int credited_before(struct ctx *c, const char *vorig)
{
    db_stmt_t *st = db_prepare(c->db, "SELECT 1 FROM istd_claim WHERE gemeente = ? AND wet = ? AND agb = ?"
                                      " AND vorig_referentie = ? AND dc = 'C' AND granted = 1");
    db_bind_text(st, 1, c->gemeente);
    db_bind_text(st, 2, c->wet);
    db_bind_text(st, 3, c->agb);
    db_bind_text(st, 4, vorig);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* TR389: a granted debit for the same assignment, period and product that
 * no granted credit cancels. */
static int open_debit(struct ctx *c, const struct asg *x, const istd_prestatie_t *p)
{
    db_stmt_t *st = db_prepare(c->db, "SELECT c.referentie FROM istd_claim c WHERE c.assignment_id = ? AND c.begindatum = ?"
                                      " AND c.einddatum = ? AND c.categorie = ? AND c.code = ? AND c.dc = 'D' AND c.granted = 1"
                                      " AND NOT EXISTS (SELECT 1 FROM istd_claim k WHERE k.gemeente = c.gemeente"
                                      " AND k.wet = c.wet AND k.agb = c.agb AND k.vorig_referentie = c.referentie"
                                      " AND k.dc = 'C' AND k.granted = 1) LIMIT 1");
    db_bind_int(st, 1, x->id);
    db_bind_text(st, 2, p->periode.begindatum);
    db_bind_text(st, 3, p->periode.einddatum);
    db_bind_text(st, 4, p->categorie);
    db_bind_text(st, 5, p->code);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* One Prestatie (credit = 1 in the first pass, 0 in the second). */
static int one_prestatie(struct claimrun *run, int ci, int pi, const uint8_t *hash)
{
    struct ctx *c = run->c;
    istd_prestatie_t *p = &c->m->declaratie.clienten[ci].prestaties[pi];
    int credit = is(p->bedrag.dc, "C");
    char *path = NULL;
#define PATH() (path ? path : (path = pathf(c, "Declaratie/Clienten/Client[%d]/Prestaties/Prestatie[%d]", ci + 1, pi + 1)))
    run->total++;
    int dup = claim_exists(c, p->referentie.nummer);
    if (dup < 0) return -1;
    if (dup) {
        FIND(c, &p->codes, "TR314", "8021", PATH(), "ReferentieNummer %s is al eerder aangeleverd.",
             p->referentie.nummer ? p->referentie.nummer : "");
        return 0; /* not stored: the number is taken */
    }
    if (p->codes.n) /* refused by an earlier layer: stored to keep its number */
        return insert_claim(run, p, NULL, 0, 0);

    int64_t nummer = p->toewijzingnummer;
    struct asg *x = cache_get(c, &run->cache, nummer, &run->err);
    if (run->err) return -1;
    int unit_ok = 1;
    if (credit) {
        int t = credit_target(c, p);
        if (t < 0) return -1;
        if (!t) {
            FIND(c, &p->codes, "TR323", "8017", PATH(),
                 "Er is geen goedgekeurde debetprestatie %s met dezelfde toewijzing, product en periode om te crediteren.",
                 p->referentie.vorig ? p->referentie.vorig : "");
        } else {
            int twice = credited_before(c, p->referentie.vorig);
            if (twice < 0) return -1;
            if (twice)
                FIND(c, &p->codes, "TR390", "9390", PATH(), "Prestatie %s is al eerder gecrediteerd.", p->referentie.vorig);
        }
    }
    if (x->state != 1 || strcmp(x->agb, c->agb) != 0) {
        FIND(c, &p->codes, "TR338", "9338", PATH(), "Er is geen toewijzing %lld van deze aanbieder onder deze wet.",
             nummer == ISTD_NONE ? 0LL : (long long)nummer);
        return insert_claim(run, p, NULL, norm(p->volume, p->eenheid, NULL), 0);
    }
    if (!hash || !x->has_hash || memcmp(hash, x->hash, 32) != 0)
        FIND(c, &p->codes, "TR304", "8187", PATH(), "Toewijzing %lld hoort niet bij de cliënt met dit BSN.", (long long)nummer);
    if (!is(p->categorie, x->categorie))
        FIND(c, &p->codes, "TR339", "9339", PATH(), "Productcategorie %s is niet die van toewijzing %lld (%s).",
             p->categorie ? p->categorie : "", (long long)nummer, x->categorie);
    if (!empty(x->code) && !is(p->code, x->code))
        FIND(c, &p->codes, "TR340", "9340", PATH(), "Productcode %s is niet die van toewijzing %lld (%s).",
             p->code ? p->code : "", (long long)nummer, x->code);
    if (x->volume != ISTD_NONE && !is(p->eenheid, x->eenheid) && !(minute_unit(p->eenheid) && minute_unit(x->eenheid))) {
        FIND(c, &p->codes, "TR341", "9341", PATH(), "Eenheid %s past niet bij eenheid %s van toewijzing %lld.",
             p->eenheid ? p->eenheid : "", x->eenheid, (long long)nummer);
        unit_ok = 0;
    }
    int64_t nv = norm(p->volume, p->eenheid, x->volume != ISTD_NONE ? x->eenheid : NULL);
    day_t pb = 0, pe = 0, ab = 0, ae = 0;
    int dates = parse_opt_day(p->periode.begindatum, &pb) && parse_opt_day(p->periode.einddatum, &pe) &&
                parse_opt_day(x->ingang, &ab);
    int has_end = parse_opt_day(x->eind, &ae);
    if (!credit) {
        if (is(x->reden, "13"))
            FIND(c, &p->codes, "TR384", "9384", PATH(), "Toewijzing %lld is verwijderd (reden 13).", (long long)nummer);
        if (dates) {
            if (pb < ab)
                FIND(c, &p->codes, "TR307", "9307", PATH(), "De periode begint voor de ingangsdatum %s van toewijzing %lld.",
                     x->ingang, (long long)nummer);
            if (has_end && pe > ae)
                FIND(c, &p->codes, "TR308", "9308", PATH(), "De periode eindigt na de einddatum %s van toewijzing %lld.",
                     x->eind, (long long)nummer);
            day_t first = month_first(pb), last = month_last(pe);
            if (pb != first && !(ab > first && month_first(ab) == first))
                FIND(c, &p->codes, "TR387", "9387", PATH(),
                     "De periode begint niet op de eerste dag van de maand, en de toewijzing begint niet later in die maand.");
            if (pe != last && !(has_end && ae < last && month_first(ae) == month_first(pe)))
                FIND(c, &p->codes, "TR388", "9388", PATH(),
                     "De periode eindigt niet op de laatste dag van de maand, en de toewijzing eindigt niet eerder in die maand.");
        }
        if (x->tarief != ISTD_NONE && is(p->eenheid, x->eenheid) && !is(p->eenheid, "83") && p->tarief != ISTD_NONE &&
            p->tarief != x->tarief)
            FIND(c, &p->codes, "TR418", "0611", PATH(), "Het tarief %lld is niet het contracttarief %lld (centen).",
                 (long long)p->tarief, (long long)x->tarief);
    }
    const char *dend = c->m->declaratie.periode.einddatum;
    if (dend && p->periode.einddatum && strcmp(p->periode.einddatum, dend) > 0)
        FIND(c, &p->codes, "TR319", "9319", PATH(), "De periode valt na de declaratieperiode (tot en met %s).", dend);
    if (!credit) {
        int od = open_debit(c, x, p);
        if (od < 0) return -1;
        if (od)
            FIND(c, &p->codes, "TR389", "9389", PATH(),
                 "Voor deze toewijzing, dit product en deze periode is al een debetprestatie goedgekeurd; crediteer die eerst.");
    }
    if (load_sums(c, x) != 0) return -1;
    int64_t amount = p->bedrag.bedrag == ISTD_NONE ? 0 : p->bedrag.bedrag;
    if (!credit && x->volume != ISTD_NONE && unit_ok && dates) {
        int64_t vnorm = norm(x->volume, x->eenheid, x->eenheid);
        int64_t one = allowed(vnorm, x->freq, pb, pe);
        if (nv > one)
            FIND(c, &p->codes, "TR321", "9321", PATH(),
                 "Het volume %lld%s is meer dan de toewijzing voor deze periode toestaat (%lld%s).", (long long)nv,
                 minute_unit(x->eenheid) ? " minuten" : "", (long long)one, minute_unit(x->eenheid) ? " minuten" : "");
        day_t horizon = ae, seen;
        if (!has_end) {
            horizon = pe;
            if (parse_opt_day(x->max_end, &seen) && seen > horizon) horizon = seen;
        }
        int64_t total = allowed(vnorm, x->freq, ab, horizon);
        if (x->sum_norm + nv > total)
            FIND(c, &p->codes, "TR322", "9322", PATH(),
                 "Met deze prestatie komt het gedeclareerde volume boven de toegewezen omvang (%lld van %lld%s).",
                 (long long)(x->sum_norm + nv), (long long)total, minute_unit(x->eenheid) ? " minuten" : "");
    }
    if (!credit && x->budget != ISTD_NONE && x->sum_amount + amount > x->budget)
        FIND(c, &p->codes, "TR369", "9369", PATH(),
             "Met deze prestatie komt het gedeclareerde bedrag boven het budget (%lld van %lld centen).",
             (long long)(x->sum_amount + amount), (long long)x->budget);
#undef PATH
    int granted = p->codes.n == 0;
    if (insert_claim(run, p, x, nv, granted) != 0) return -1;
    if (granted) {
        int64_t sign = credit ? -1 : 1;
        x->sum_norm += sign * nv;
        x->sum_amount += sign * amount;
        if (!credit && p->periode.einddatum && strcmp(p->periode.einddatum, x->max_end) > 0)
            snprintf(x->max_end, sizeof x->max_end, "%s", p->periode.einddatum);
        run->granted++;
        run->granted_signed += sign * amount;
    }
    return 0;
}

/* Marks every Prestatie without a code of the declaration "not assessed". */
static void not_assessed(istd_declaratie_t *d, int only_client)
{
    for (int i = 0; i < d->n_clienten; i++) {
        if (only_client >= 0 && i != only_client) continue;
        for (int j = 0; j < d->clienten[i].n_prestaties; j++)
            if (d->clienten[i].prestaties[j].codes.n == 0) istd_codes_add(&d->clienten[i].prestaties[j].codes, "0233");
    }
}

static int apply_claims(struct ctx *c)
{
    istd_declaratie_t *d = &c->m->declaratie;
    /* TR333 */
    db_stmt_t *st = db_prepare(c->db, "SELECT 1 FROM istd_declaratie WHERE gemeente = ? AND wet = ? AND agb = ? AND nummer = ?");
    db_bind_text(st, 1, c->gemeente);
    db_bind_text(st, 2, c->wet);
    db_bind_text(st, 3, c->agb);
    db_bind_text(st, 4, d->nummer ? d->nummer : "");
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_ROW && rc != DB_DONE) return -1;
    d->toegekend.bedrag = 0;
    d->toegekend.dc = "D";
    if (rc == DB_ROW) {
        FIND(c, &d->codes, "TR333", "9333", "Declaratie/DeclaratieNummer",
             "DeclaratieNummer %s is al eerder gebruikt door deze aanbieder.", d->nummer ? d->nummer : "");
        not_assessed(d, -1);
        return 0;
    }
    int64_t ingediend = d->ingediend.bedrag == ISTD_NONE ? 0 : d->ingediend.bedrag;
    if (is(d->ingediend.dc, "C")) ingediend = -ingediend;
    st = db_prepare(c->db, "INSERT INTO istd_declaratie (gemeente, wet, agb, nummer, bericht, begindatum, einddatum,"
                           " ingediend, toegekend, prestaties, granted, created_at)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?) RETURNING id");
    db_bind_text(st, 1, c->gemeente);
    db_bind_text(st, 2, c->wet);
    db_bind_text(st, 3, c->agb);
    db_bind_text(st, 4, d->nummer ? d->nummer : "");
    db_bind_text(st, 5, c->ident);
    db_bind_text(st, 6, d->periode.begindatum);
    db_bind_text(st, 7, d->periode.einddatum);
    db_bind_int(st, 8, ingediend);
    db_bind_int(st, 9, c->now);
    struct claimrun run = {.c = c};
    run.declaratie_id = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    if (run.declaratie_id < 0) return -1;

    int n = 0;
    for (int i = 0; i < d->n_clienten; i++) n += d->clienten[i].n_prestaties;
    run.cache.cap = 16;
    while (run.cache.cap < (size_t)n * 2) run.cache.cap *= 2;
    run.cache.slot = xcalloc(run.cache.cap, sizeof *run.cache.slot);
    int result = 0;
    for (int pass = 1; pass >= 0 && !result; pass--) {  /* credits first */
        for (int i = 0; i < d->n_clienten && !result; i++) {
            istd_client_t *cl = &d->clienten[i];
            if (cl->codes.n) {
                if (pass == 0) not_assessed(d, i);
                continue;
            }
            uint8_t hash[32];
            int have = client_hash(cl, hash);
            for (int j = 0; j < cl->n_prestaties && !result; j++) {
                if (is(cl->prestaties[j].bedrag.dc, "C") != pass) continue;
                if (one_prestatie(&run, i, j, have ? hash : NULL) != 0) result = -1;
            }
        }
    }
    free(run.cache.slot);
    if (result) return -1;
    d->toegekend.bedrag = run.granted_signed < 0 ? -run.granted_signed : run.granted_signed;
    d->toegekend.dc = run.granted_signed < 0 ? "C" : "D";
    st = db_prepare(c->db, "UPDATE istd_declaratie SET toegekend = ?, prestaties = ?, granted = ? WHERE id = ?");
    db_bind_int(st, 1, run.granted_signed);
    db_bind_int(st, 2, run.total);
    db_bind_int(st, 3, run.granted);
    db_bind_int(st, 4, run.declaratie_id);
    rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}

/* ---- the entry point ------------------------------------------------------------------------ */

int istd_apply(db_t *db, const char *gemeente, istd_msg_t *m, const char *today, istd_report_t *r)
{
    if (r->rejected) return 0;
    struct ctx c = {.db = db, .gemeente = gemeente, .wet = istd_wet(m->law), .m = m, .r = r, .now = now_s()};
    /* The provider: the sender, except in a 302/320, which keeps the header
     * of the 301/319 it answers (Afzender the gemeente, Ontvanger the AGB). */
    const char *prov = m->kind == IK_302 || m->kind == IK_320 ? m->header.ontvanger : m->header.afzender;
    c.agb = prov ? prov : "";
    c.ident = m->header.id.identificatie ? m->header.id.identificatie : "";
    c.today = today_of(today);
    day_format(c.today, c.today_s);
    switch (m->kind) {
    case IK_305: case IK_307: case IK_315: case IK_317: case IK_323: {
        int seen = tr056_seen(&c);
        if (seen < 0) return -1;
        if (seen) {
            FIND(&c, &m->header.codes, "TR056", "9056", "Header/BerichtIdentificatie/Identificatie",
                 "Identificatie %s is al eerder gebruikt voor een %s van deze aanbieder.", c.ident,
                 istd_message_name(m->law, m->kind));
            r->rejected = 1;
            return 0;
        }
        break;
    }
    default:
        break;
    }
    switch (m->kind) {
    case IK_302: case IK_320: return apply_retour(&c);
    case IK_305: return apply_starts(&c);
    case IK_307: return apply_stops(&c);
    case IK_315: return apply_vot(&c);
    case IK_317: return apply_vow(&c);
    case IK_323: return apply_claims(&c);
    default: return 0;
    }
}
