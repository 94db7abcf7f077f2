/*
 * istd.h - the iStandaarden message model: iWmo 3.2 and iJw 3.2.
 *
 * One set of C structs serves all fourteen messages of both laws
 * (301/302, 305/306, 307/308, 315/316, 317/318, 319/320, 323/325), because
 * the standards build every message from the same classes: a retour is its
 * heen message with a longer Header and a RetourCodes element on each class,
 * and the two laws differ only in namespaces, BerichtCodes, code lists and
 * two optional elements (iJw 315 GezagsdragerBekend, iJw 319
 * Woonplaatsbeginsel). A struct holds the superset of its class's elements
 * over all messages; a descriptor table (model.c) says, per element, its XML
 * name, kind, place in the struct and in which messages and laws it occurs,
 * in schema order. One reader and one writer (xml.c) walk those tables.
 *
 * Values:
 *  - text (codes, dates "YYYY-MM-DD", times, names): char *, NULL = absent.
 *    Codes keep their lexical form ("04", "0200").
 *  - integers (numbers, volumes, amounts in eurocents): int64_t, ISTD_NONE =
 *    absent.
 *  - composite types (CDT_*): embedded structs; one is written when any value
 *    inside it is present.
 *  - repeating classes: a pointer to an array and a count.
 *
 * Every string of a message read by istd_read() lives in the arena given to
 * it; build messages to write the same way (or with static strings).
 */
#ifndef KANTEL_ISTD_H
#define KANTEL_ISTD_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"

#define ISTD_NONE INT64_MIN

typedef enum istd_law { ISTD_WMO = 1, ISTD_JW = 2 } istd_law;

/* The fourteen messages, in this order (the index of a bit in istd_field.msgs). */
typedef enum istd_kind {
    IK_301, IK_302, IK_305, IK_306, IK_307, IK_308, IK_315, IK_316,
    IK_317, IK_318, IK_319, IK_320, IK_323, IK_325, IK_COUNT
} istd_kind;

/* 301, 302 … for a kind; -1 for an invalid one. */
int istd_kind_number(istd_kind k);
/* The kind of message number 301 … 325, or -1. */
int istd_kind_of_number(int number);
/* BerichtCode (414 … 491) of a message of a law, and back (-1 when unknown;
 * *law and *kind are set on success). */
int istd_berichtcode(istd_law law, istd_kind k);
int istd_kind_of_berichtcode(int code, istd_law *law, istd_kind *kind);
/* "iwmo" / "ijw", and "WMO301", "JW325" … (static strings). */
const char *istd_law_name(istd_law law);
const char *istd_message_name(istd_law law, istd_kind k);
/* The namespace of a message, e.g. http://www.istandaarden.nl/ijw/3_2/jw301/schema,
 * written into out (>= 64 bytes). */
void istd_namespace(istd_law law, istd_kind k, char *out, size_t n);
/* 1 for the retours 302, 306, 308, 316, 318, 320 and 325. */
int istd_is_retour(istd_kind k);
/* The retour of a heen message (IK_305 -> IK_306, IK_323 -> IK_325), or -1. */
int istd_retour_of(istd_kind k);
/* 1 when the municipality sends this kind (301, 319, 306, 308, 316, 318, 325). */
int istd_sent_by_municipality(istd_kind k);

/* ---- classes ---------------------------------------------------------- */

#define ISTD_MAX_CODES 16
typedef struct istd_codes {
    int n;                         /* codes in use; more than ISTD_MAX_CODES are dropped */
    char code[ISTD_MAX_CODES][5];  /* "0200", "9321", "S300" */
} istd_codes_t;

/* Adds code to c unless it is already there. */
void istd_codes_add(istd_codes_t *c, const char *code);
int istd_codes_has(const istd_codes_t *c, const char *code);

typedef struct { char *identificatie; char *dagtekening; } istd_berichtid_t;   /* CDT_BerichtIdentificatie */
typedef struct { char *basis; char *bericht; } istd_xsdversie_t;                /* CDT_XsdVersie */
typedef struct { char *datum; char *gebruik; } istd_geboortedatum_t;           /* CDT_Geboortedatum */
typedef struct { char *achternaam; char *voorvoegsel; } istd_achternaam_t;     /* CDT_Achternaam */
/* CDT_VolledigeNaam (301/302) and CDT_VerkorteNaam (305 … 316) share it. */
typedef struct {
    istd_achternaam_t geslachtsnaam;
    istd_achternaam_t partnernaam;   /* VolledigeNaam only */
    char *voornamen;
    char *voorletters;
    char *naamgebruik;               /* VolledigeNaam only, required there */
} istd_naam_t;
typedef struct { char *vorm; char *taal; } istd_communicatie_t;
typedef struct {
    int64_t huisnummer;
    char *huisletter, *toevoeging, *aanduiding;
} istd_huis_t;
typedef struct {
    istd_huis_t huis;
    char *postcode, *straatnaam, *plaatsnaam, *landcode;
} istd_adres_t;
typedef struct { char *telefoonnummer; char *landnummer; } istd_telefoon_t;
typedef struct { istd_telefoon_t t1, t2; } istd_telefoons_t;
typedef struct { char *begindatum; char *einddatum; } istd_periode_t;  /* Open- and GeslotenPeriode */
typedef struct { char *categorie; char *code; } istd_product_t;
typedef struct { int64_t volume; char *eenheid; char *frequentie; } istd_omvang_t;
typedef struct { int64_t bedrag; char *dc; } istd_bedrag_t;             /* BedragMetDC and TotaalBedragMetDC */
typedef struct { char *nummer; char *vorig; } istd_referentie_t;        /* CDT_Referentie */
typedef struct { char *type; char *naam; char *zorgverlenercode; } istd_verwijzer_t;

typedef struct istd_contact {
    char *soort;
    istd_adres_t adres;
    char *organisatie;
    istd_telefoons_t telefoon;
    char *email;
    istd_periode_t periode;
    istd_codes_t codes;
} istd_contact_t;

typedef struct istd_relatie {
    char *nummer;                    /* LDT_Persoonsid: 1-20 characters */
    int64_t volgorde;
    char *soort;
    istd_geboortedatum_t geboortedatum;
    char *geslacht;
    istd_naam_t naam;
    istd_contact_t contact;
    istd_codes_t codes;
} istd_relatie_t;

/* 301/302 ToegewezenProduct. */
typedef struct istd_toegewezen {
    int64_t toewijzingnummer;
    char *referentie_aanbieder;
    istd_product_t product;
    char *toewijzingsdatum, *toewijzingstijd;
    char *ingangsdatum, *einddatum;
    char *reden_wijziging;
    istd_omvang_t omvang;
    int64_t budget;
    char *commentaar;
    istd_codes_t codes;
} istd_toegewezen_t;

/* 305/306 StartProduct and 307/308 StopProduct. */
typedef struct istd_startstop {
    int64_t toewijzingnummer;
    istd_product_t product;
    char *toewijzing_ingangsdatum;
    char *begindatum;
    char *reden_beeindiging;         /* stop only, required there */
    char *einddatum;                 /* stop only, required there */
    char *status_aanlevering;
    istd_codes_t codes;
} istd_startstop_t;

/* 315/316 AangevraagdProduct. */
typedef struct istd_aangevraagd {
    char *referentie_aanbieder;
    int64_t beschikkingnummer;
    istd_product_t product;
    char *beschikking_ingangsdatum;
    char *toewijzing_ingangsdatum, *toewijzing_einddatum;
    istd_omvang_t omvang;
    int64_t budget;
    istd_verwijzer_t verwijzer;
    char *raamcontract;
    char *commentaar;
    istd_codes_t codes;
} istd_aangevraagd_t;

/* 317/318 OngewijzigdProduct, TeWijzigenProduct and NieuwProduct. */
typedef struct istd_vowproduct {
    int64_t toewijzingnummer;        /* Ongewijzigd, TeWijzigen */
    istd_product_t product;          /* Nieuw */
    char *gewenste_ingangsdatum;     /* TeWijzigen, Nieuw */
    char *einddatum;
    istd_omvang_t omvang;
    int64_t budget;
    istd_codes_t codes;
} istd_vowproduct_t;

typedef struct istd_verzoek {
    char *referentie_aanbieder;
    char *reden_verzoek;
    istd_vowproduct_t *ongewijzigd; int n_ongewijzigd;
    istd_vowproduct_t *tewijzigen;  int n_tewijzigen;
    istd_vowproduct_t *nieuw;       int n_nieuw;
    istd_codes_t codes;
} istd_verzoek_t;

/* 323/325 Prestatie. */
typedef struct istd_prestatie {
    istd_referentie_t referentie;    /* ProductReferentie */
    int64_t toewijzingnummer;
    char *categorie;                 /* ProductCategorie */
    char *code;                      /* ProductCode */
    istd_periode_t periode;          /* ProductPeriode */
    int64_t volume;                  /* GeleverdVolume */
    char *eenheid;
    int64_t tarief;                  /* ProductTarief, eurocents */
    istd_bedrag_t bedrag;            /* IngediendBedrag, eurocents */
    istd_codes_t codes;
} istd_prestatie_t;

/* The Client class of every message (the superset). */
typedef struct istd_client {
    char *bsn;
    istd_geboortedatum_t geboortedatum;
    char *geslacht;
    istd_naam_t naam;
    istd_communicatie_t communicatie;
    char *juridische_status;
    char *wettelijke_vertegenwoordiging;
    char *gezagsdrager_bekend;       /* iJw 315/316 */
    char *commentaar;
    istd_relatie_t *relaties;           int n_relaties;
    istd_contact_t *contacten;          int n_contacten;      /* Contactgegevens */
    istd_toegewezen_t *toegewezen;      int n_toegewezen;     /* 301/302 */
    istd_startstop_t *starts;           int n_starts;         /* 305/306 */
    istd_startstop_t *stops;            int n_stops;          /* 307/308 */
    istd_aangevraagd_t *aangevraagd;    int n_aangevraagd;    /* 315/316 */
    istd_verzoek_t verzoek;                                   /* 317/318 */
    istd_prestatie_t *prestaties;       int n_prestaties;     /* 323/325 */
    istd_codes_t codes;
} istd_client_t;

/* 323 Declaratie and 325 DeclaratieAntwoord. */
typedef struct istd_declaratie {
    char *nummer;                    /* DeclaratieNummer */
    istd_periode_t periode;          /* 323 */
    char *dagtekening;               /* 323 DeclaratieDagtekening */
    istd_bedrag_t ingediend;         /* TotaalIngediendBedrag */
    istd_bedrag_t toegekend;         /* 325 TotaalToegekendBedrag */
    istd_client_t *clienten; int n_clienten;
    istd_codes_t codes;              /* 325 */
} istd_declaratie_t;

/* 319/320 Antwoord. */
typedef struct istd_antwoord {
    char *referentie_aanbieder;
    char *verzoek_antwoord;
    char *reden_afwijzing;
    struct { char *gemeente; istd_codes_t codes; } woonplaatsbeginsel;  /* iJw only */
    istd_codes_t codes;
} istd_antwoord_t;

typedef struct istd_header {
    int64_t berichtcode, versie, subversie;
    char *afzender, *ontvanger;
    istd_berichtid_t id;             /* BerichtIdentificatie */
    istd_xsdversie_t xsd;            /* XsdVersie */
    char *id_retour;                 /* 302 … 320 IdentificatieRetour */
    char *dagtekening_retour;        /* 302 … 320 DagtekeningRetour */
    istd_berichtid_t declaratie_id;  /* 325 DeclaratieIdentificatie */
    char *xslt_versie;               /* retours, optional */
    istd_xsdversie_t xsd_retour;     /* 302 … 320 XsdVersieRetour */
    istd_xsdversie_t xsd_declaratie; /* 325 XsdVersieDeclaratie */
    istd_codes_t codes;
} istd_header_t;

typedef struct istd_msg {
    istd_law law;
    istd_kind kind;
    istd_header_t header;
    istd_client_t client;            /* 301 … 318 (optional in a retour) */
    istd_antwoord_t antwoord;        /* 319/320 */
    istd_declaratie_t declaratie;    /* 323 Declaratie, 325 DeclaratieAntwoord */
} istd_msg_t;

/* Sets every integer of m to ISTD_NONE and everything else to zero/NULL,
 * and sets law and kind. Always use it before filling a message by hand. */
void istd_msg_init(istd_msg_t *m, istd_law law, istd_kind kind);
/* The same for one element of a repeating class, e.g.
 * istd_init(ISTD_C_PRESTATIE, &p). */
typedef enum istd_class_id {
    ISTD_C_CONTACT, ISTD_C_RELATIE, ISTD_C_TOEGEWEZEN, ISTD_C_STARTSTOP,
    ISTD_C_AANGEVRAAGD, ISTD_C_VOWPRODUCT, ISTD_C_PRESTATIE, ISTD_C_CLIENT
} istd_class_id;
void istd_init(istd_class_id c, void *obj);
/* Allocates n initialised elements of class c in the arena. */
void *istd_new(arena_t *a, istd_class_id c, int n);

/* The XsdVersie values of the schemas of release 3.2 for a law (written by
 * istd_header_fill). */
const char *istd_xsd_version(istd_law law);
/* Fills the fixed header fields of m for its law and kind: BerichtCode,
 * BerichtVersie 3, BerichtSubversie 2 and XsdVersie. */
void istd_header_fill(istd_msg_t *m);

/* ---- XML ---------------------------------------------------------------- */

/* Limits of the reader. */
#define ISTD_MAX_BYTES (64u * 1024 * 1024)   /* a file: 10,000 Prestaties take about 9 MB */

/* Writes m as an XML document (UTF-8, the standard namespaces and prefixes
 * of its law and kind) to out. Absent values are left out; no empty
 * elements are written. Returns 0, or -1 with a reason in err when m cannot
 * be written (e.g. an invalid law or kind). */
int istd_write(const istd_msg_t *m, buf_t *out, char *err, size_t errlen);

/* Reads an XML message: network access off, no DTD (a document with one is
 * refused), no entity expansion, at most ISTD_MAX_BYTES. Recognises law and
 * kind from the root namespace and fills *m (strings in arena a). Returns 0;
 * or -1 with a reason in err (Dutch, e.g. "regel 12: onbekend element
 * Foo in Client") when the document is not a message of one of the 28
 * schemas as far as structure goes (element names, order and nesting;
 * values are checked by istd_xsd_validate and the rules). */
int istd_read(const char *xml, size_t len, arena_t *a, istd_msg_t *m, char *err, size_t errlen);

/* Law and kind of a document from its root namespace without building the
 * model. 0 or -1. */
int istd_sniff(const char *xml, size_t len, istd_law *law, istd_kind *kind);

/* ---- XSD --------------------------------------------------------------- */

/* The official schemas, loaded from DIR/iwmo-3.2/WMO301.xsd … and
 * DIR/ijw-3.2/JW301.xsd … (the layout of ../shared/istd/). Schemas missing
 * from the directory are reported by istd_xsd_has. Thread-safe to use once
 * opened. */
typedef struct istd_xsd istd_xsd_t;
istd_xsd_t *istd_xsd_open(const char *dir, char *err, size_t errlen);
void istd_xsd_close(istd_xsd_t *x);
int istd_xsd_has(const istd_xsd_t *x, istd_law law, istd_kind k);
/* Validates a document against the schema of its law and kind. Returns 0
 * when valid; 1 when invalid, with up to max errors (each "regel N: text")
 * appended to report, one per line; -1 when no schema is loaded for it or
 * the document cannot be parsed (reason in report). */
int istd_xsd_validate(istd_xsd_t *x, const char *xml, size_t len, buf_t *report, int max);
/* Both layers on one parse, as a receiver needs them: validates against the
 * schema of the document's law and kind (*xsd_rc as istd_xsd_validate: 0
 * valid, 1 invalid with lines in report; -1 unparsable; -2 no schema loaded
 * for it or x NULL) and reads the model (the return value and err as
 * istd_read). */
int istd_read_validated(istd_xsd_t *x, const char *xml, size_t len, arena_t *a, istd_msg_t *m, char *err,
                        size_t errlen, buf_t *report, int max, int *xsd_rc);

/* ---- rules and reports ------------------------------------------------- */

/* One finding of validation: the rule, the retour code it gives, where
 * (a readable path such as "Client/StartProducten/StartProduct[2]"), and a
 * Dutch explanation. */
typedef struct istd_issue {
    char rule[8];      /* "TR002", "CS338", "XSD" */
    char code[5];      /* "0001", "9321" */
    char *path;
    char *text;
} istd_issue_t;

typedef struct istd_report {
    arena_t *arena;
    istd_issue_t *issues;
    int n, cap;
    int rejected;      /* 1 once a finding rejects the whole message (0001, 8848, 9056 …) */
} istd_report_t;

void istd_report_init(istd_report_t *r, arena_t *a);
/* Records a finding; codes is the RetourCodes of the class concerned (or
 * NULL) and receives code. Codes 0001, 8848 and 9056 set r->rejected and go
 * on the message header as well. */
void istd_report_add(istd_report_t *r, istd_msg_t *m, istd_codes_t *codes, const char *rule,
                     const char *code, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* The in-message rules (technical "bericht inhoud", conditional CD and
 * constraint CS rules, and TR135 with today's date): everything that can be
 * decided from the message alone. today is "YYYY-MM-DD" in Europe/Amsterdam.
 * Findings go to r; returns the number of findings. */
int istd_check_message(istd_msg_t *m, const char *today, istd_report_t *r);

/* 1 when s is a valid BSN (9 digits, elfproef, not 000000000). */
int istd_bsn_valid(const char *s);

#endif
