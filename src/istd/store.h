/*
 * store.h - what the iStandaarden exchange keeps in the database (migration
 * 0010_istd.sql): providers, assignments (ToegewezenProduct), the 301s built
 * from them, and the cross-message ("berichtoverstijgende") rules applied to
 * received messages with their effects: deliveries (305/307), requests
 * (315/317), declarations and claims (323), retour codes of 302/320.
 *
 * Transactions: istd_assignment_save and istd_apply work inside the caller's
 * transaction (db_begin ... db_commit, rolled back by the caller on any
 * error); istd_export_301 runs in a transaction of its own (or in the
 * caller's when one is open). On PostgreSQL a failed statement aborts the
 * transaction, so nothing here relies on a constraint error: every rule is
 * checked with a query first.
 *
 * The cross-message rules of istd_apply, with the retour code and the class
 * that gets it (each finding is also a line in the report; RULES.md):
 *
 *   all heen   TR056 9056 Header      Identificatie unique per kind and sender
 *   302 / 320  -                      retour codes stored with the sent 301 /
 *                                     319 found by IdentificatieRetour, and on
 *                                     each assignment (by ToewijzingNummer)
 *   305        TR019 9019 StartProduct  an assignment of this provider, law and
 *                                     client with that ToewijzingNummer (or,
 *                                     without one, Product + ToewijzingIngangsdatum)
 *              TR063 9063 StartProduct  StatusAanlevering 3 needs an earlier start
 *                                     with the same key (assignment, Begindatum)
 *              TR071 9071 StartProduct  no deleting a start that has a stop
 *              TR074 9074 StartProduct  StatusAanlevering 1: the key is new
 *              TR326 9326 StartProduct  no new start while another start of the
 *                                     assignment has no stop
 *   307        TR019 9019 StopProduct   as for 305
 *              TR069 9069 StopProduct   a start with the same key exists (TR382)
 *              TR063 9063 StopProduct   StatusAanlevering 3 needs that stop
 *              TR413 9413 StopProduct   after a stop with reden 20, not reden 20 again
 *              TR414 9414 StopProduct   after a stop, Einddatum >= its Einddatum
 *              TR415 9415 StopProduct   no second stop after one with reden <> 20
 *   315        TR374 9374 Client        no request of this provider still open
 *                                     for the client
 *              TR347 9347 AangevraagdProduct  ReferentieAanbieder new for the
 *                                     provider and law
 *   317        TR304 8187 Client        the Bsn is a client of this provider
 *              TR374 9374 Verzoek, TR347 9347 Verzoek
 *              TR349 9349 Verzoek       every current assignment of the client at
 *                                     this provider is Ongewijzigd or TeWijzigen
 *              TR350 9350 OngewijzigdProduct, TR351 9351 TeWijzigenProduct:
 *                                     relates to a current assignment
 *              TR357 9357, TR373 9373, TR411 9411, TR412 9412 TeWijzigenProduct
 *   323        TR333 9333 Declaratie    DeclaratieNummer new for provider and law
 *                                     (then no Prestatie is assessed: 0233)
 *              per Prestatie: TR314 8021, TR323 8017, TR390 9390, TR338 9338,
 *              TR304 8187, TR339 9339, TR340 9340, TR341 9341, TR384 9384,
 *              TR307 9307, TR308 9308, TR387 9387, TR388 9388, TR319 9319,
 *              TR418 0611, TR389 9389, TR321 9321, TR322 9322, TR369 9369
 *
 * "Current" assignment (TR349-TR351): Einddatum empty or >= today, and not
 * withdrawn (RedenWijziging 13).
 *
 * Volumes (TR321, TR322). Minutes (01) and hours (04) fit each other
 * (TR341); both are compared in minutes. With an Omvang of Volume V per
 * Frequentie:
 *   TR321 (one Prestatie, period of d days): per day V*d; per week
 *         ceil(V*d/7); per month V for each calendar month the period
 *         touches (CS337 makes it one); total within validity V.
 *   TR322 (granted Prestaties of the assignment, credits subtracted, plus
 *         this one): the same formulas over the assignment's validity from
 *         Ingangsdatum to Einddatum; when Einddatum is open, up to the
 *         latest ProductPeriode end claimed so far (this one included).
 *   TR369: with a Budget, the granted amounts (credits subtracted) plus this
 *         one stay within the Budget.
 * An assignment without Omvang (Budget, or category only) takes any unit.
 *
 * Claims are processed credits first, then debits (within a message, a
 * credit and its replacing debit are a correction: TR389 must see the
 * credit). A refused Prestatie does not count towards any sum.
 *
 * Memory: istd_assignment_t holds its strings inline; istd_assignment_list
 * returns a malloc'd array the caller frees with free(). Nothing else
 * allocates for the caller.
 */
#ifndef KANTEL_ISTD_STORE_H
#define KANTEL_ISTD_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "istd/istd.h"

enum {
    ISTD_OK = 0,
    ISTD_E_INVALID = -1,   /* field errors (see the errors object) */
    ISTD_E_NOT_FOUND = -2, /* no such assignment, person or provider in this gemeente */
    ISTD_E_DB = -3,
    ISTD_E_DUPLICATE = -4, /* TR332: the ToewijzingNummer is taken (errors "nummer") */
};

/* "wmo" / "jw" (the wet column), and back (-1 when neither). */
const char *istd_wet(istd_law law);
int istd_wet_law(const char *wet, istd_law *law);

/* ---- providers --------------------------------------------------------- */

/* The provider with this AGB code in gemeente, created (with name, may be
 * NULL) when missing; an existing provider keeps its name unless it had
 * none. Returns the id, or ISTD_E_INVALID (agb not 8 digits) / ISTD_E_DB. */
int64_t istd_provider_ensure(db_t *db, const char *gemeente, const char *agb, const char *name, int64_t now);
/* The provider's id, 0 when gemeente has none with this AGB, < 0 on error. */
int64_t istd_provider_find(db_t *db, const char *gemeente, const char *agb);
/* account_id speaks for provider_id from now on (idempotent). ISTD_OK,
 * ISTD_E_NOT_FOUND (no provider account of the provider's gemeente) or
 * ISTD_E_DB. */
int istd_provider_link_account(db_t *db, int64_t account_id, int64_t provider_id, int64_t now);
/* 1 when account_id speaks for provider_id, else 0. */
int istd_provider_account_may(db_t *db, int64_t account_id, int64_t provider_id);

/* ---- assignments -------------------------------------------------------- */

/* One assigned product. Text fields are inline, "" = absent; they are
 * larger than the longest valid value so that over-long input is caught by
 * validation rather than silently cut. Integers: ISTD_NONE = absent. */
typedef struct istd_assignment {
    int64_t id;                     /* 0 = a new assignment */
    istd_law law;
    int64_t nummer;                 /* ToewijzingNummer; ISTD_NONE or 0 on insert = next free */
    int64_t person_id;              /* the client (a person with a BSN) */
    char agb[12];                   /* the provider (must exist: istd_provider_ensure) */
    char categorie[4];
    char code[8];                   /* "" = category only */
    char ingangsdatum[12];
    char einddatum[12];             /* "" = open-ended */
    int64_t volume;                 /* Omvang; ISTD_NONE = none */
    char eenheid[4];
    char frequentie[4];
    int64_t budget;                 /* eurocents; ISTD_NONE = none */
    int64_t tarief;                 /* contract tariff per unit, eurocents; ISTD_NONE = unknown */
    char reden_wijziging[4];        /* required when changing an assignment already sent */
    char referentie_aanbieder[40];  /* the 315/317 this assignment honours, or "" */
    /* kept by the store (ignored by save) */
    int64_t toewijzing_at;
    int version, exported_version;
    char retour_codes[96];          /* codes of the last 302 for it, e.g. "0200" */
    int64_t created_at, updated_at;
} istd_assignment_t;

/* Empties a: zero / "" everywhere, ISTD_NONE for nummer, volume, budget and
 * tarief, law ISTD_WMO. */
void istd_assignment_init(istd_assignment_t *a);

/* Checks a against the rules that need no database (DOMAIN.md §8, RULES.md):
 * law; AGB 8 digits; category in the law's list (WMO 01-18, JW 40-55);
 * ProductCode 1-5 characters; Ingangsdatum a date, Einddatum empty or a
 * date >= Ingangsdatum (CS003); Omvang xor Budget (CD077/CD078); a
 * ProductCode needs an Omvang (CD041), no ProductCode no Omvang (CD080);
 * a Budget needs an Einddatum (CD075), as does frequency per week (CD076);
 * Volume 0-99999999 with unit 01/04/14/16/82/83/84 and frequency 1/2/4/6,
 * units 14/16/83/84 only with frequency 2/4/6 (CS338); Budget and tarief
 * 0-99999999; RedenWijziging 02-14 (CS336: not 01), 13 only with
 * Ingangsdatum = Einddatum (CS335). Dutch messages go to errors (may be
 * NULL) under the field's name. Returns the number of problems. */
int istd_assignment_check(const istd_assignment_t *a, json_t *errors);

/* Inserts (a->id == 0) or changes (a->id > 0) an assignment, inside the
 * caller's transaction, after istd_assignment_check and these rules:
 *  - the person belongs to gemeente and has a BSN; the provider exists;
 *  - TR332: the ToewijzingNummer is unique in gemeente and law - another
 *    assignment with it is refused (ISTD_E_DUPLICATE, errors "nummer");
 *  - TR379: a ReferentieAanbieder names a request (315/317) of this provider
 *    for this client; that request becomes "toegewezen";
 *  - a change keeps law, nummer, person, provider, product and
 *    Ingangsdatum (otherwise: end this one and make a new one), needs a
 *    RedenWijziging once the assignment was sent, and bumps version (an
 *    identical save changes nothing); TR385: no RedenWijziging 13 while
 *    granted, uncredited claims exist on it.
 * now is the Toewijzingsdatum/-tijd of a new or changed assignment. On
 * success returns the id and fills a->id, a->nummer and the stored fields;
 * else ISTD_E_INVALID / ISTD_E_DUPLICATE (errors filled), ISTD_E_NOT_FOUND
 * (a->id not in gemeente; errors "id") or ISTD_E_DB. */
int64_t istd_assignment_save(db_t *db, const char *gemeente, istd_assignment_t *a, int64_t now, json_t *errors);

/* The assignment (gemeente, law, nummer) into *out: ISTD_OK,
 * ISTD_E_NOT_FOUND or ISTD_E_DB. */
int istd_assignment_get(db_t *db, const char *gemeente, istd_law law, int64_t nummer, istd_assignment_t *out);

/* The assignments of a person (both laws), by law and nummer, as a malloc'd
 * array in *out (NULL when none) and its length in *n. ISTD_OK or ISTD_E_DB. */
int istd_assignment_list(db_t *db, const char *gemeente, int64_t person_id, istd_assignment_t **out, int *n);

/* ---- 301 ----------------------------------------------------------------- */

/* Builds into *m the 301 for one client at one provider under one law:
 * every current assignment (Einddatum empty or >= today, not withdrawn)
 * plus every assignment changed since the last 301 (version >
 * exported_version), client data from person (BSN, birth date, gender,
 * VolledigeNaam, the current household address as Contact soort 01). The
 * header gets Afzender gemeente, Ontvanger the AGB code, Dagtekening today;
 * the Identificatie is left NULL. Strings live in arena a. Returns the
 * number of ToegewezenProducten (0: nothing to send), ISTD_E_INVALID with a
 * Dutch reason in err when the client lacks a BSN or an address, or
 * ISTD_E_DB. */
int istd_build_301(db_t *db, const char *gemeente, int64_t person_id, int64_t provider_id, istd_law law,
                   const char *today, arena_t *a, istd_msg_t *m, char *err, size_t errlen);

/* For every (client, provider, law) with an assignment changed since the
 * last 301: builds the 301 (istd_build_301) with the next Identificatie
 * (istd_next_identificatie, process.h), writes it (istd_write), stores it as
 * an outgoing istd_message (status 'klaar', written_at NULL: the outbox
 * writes it) and marks the assignments exported - everything in one
 * transaction. today "YYYY-MM-DD" (NULL = today in Europe/Amsterdam).
 * Returns the number of messages made; a client that cannot be sent
 * (no BSN, no address) is left for later and named in err (err is "" when
 * none was). < 0 on a database or writer failure (nothing stored, reason in
 * err). */
int istd_export_301(db_t *db, const char *gemeente, const char *today, char *err, size_t errlen);

/* ---- received messages ----------------------------------------------------- */

/* Applies the cross-message rules (see the top of this file) to m, a
 * message received by gemeente and already through the in-message rules,
 * and records its effects, inside the caller's transaction. Call it before
 * the message itself is stored (TR056 compares with stored messages).
 * Classes that already carry a code from earlier layers are not applied;
 * nothing is done when r->rejected is set. Findings go to r and to the
 * RetourCodes of the class concerned; for a 323 m->declaratie.toegekend
 * gets the granted total. today "YYYY-MM-DD" (NULL = today in
 * Europe/Amsterdam). Returns 0, or -1 on a database error (the caller rolls
 * back). */
int istd_apply(db_t *db, const char *gemeente, istd_msg_t *m, const char *today, istd_report_t *r);

/* Marks a request (315/317) of a provider as 'toegewezen' or 'afgewezen'
 * (e.g. after a 319 refusing it). ISTD_OK, ISTD_E_NOT_FOUND (no open
 * request with that referentie) or ISTD_E_DB. */
int istd_request_decide(db_t *db, const char *gemeente, istd_law law, const char *agb, const char *referentie,
                        const char *status, int64_t now);

#endif
