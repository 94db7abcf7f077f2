/*
 * model.c - the descriptor tables of the iStandaarden model: per class and
 * per basisschema composite, its elements in schema order with the messages
 * and laws they occur in. Built from the XSDs of iWmo 3.2 and iJw 3.2
 * (../shared/istd); tests/unit/test_istd_xml.c compares every table with
 * every message schema. See model.h.
 */
#include "istd/model.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* clang-format off */

/* ---- message sets --------------------------------------------------------- */

#define M(n) ISTD_MSG(IK_##n)
#define ALL ISTD_ALL_MSGS
#define LAWS ISTD_ALL_LAWS
#define JW ISTD_LAW(ISTD_JW)

#define P301 (M(301) | M(302))
#define P305 (M(305) | M(306))
#define P307 (M(307) | M(308))
#define P315 (M(315) | M(316))
#define P317 (M(317) | M(318))
#define P319 (M(319) | M(320))
#define P323 (M(323) | M(325))
/* The retours with IdentificatieRetour … XsdVersieRetour, and all seven. */
#define RET6 (M(302) | M(306) | M(308) | M(316) | M(318) | M(320))
#define RET7 (RET6 | M(325))
/* Messages whose root holds a Client; those that send it as heen message. */
#define ROOTCLI (P301 | P305 | P307 | P315 | P317)
#define HEENCLI (M(301) | M(305) | M(307) | M(315) | M(317))
/* The Client class: every message but 319/320 (323/325 inside Clienten). */
#define CLIENT (ROOTCLI | P323)
/* Messages with the personal data (Geboortedatum, Geslacht, Naam). */
#define PERSOON (P301 | P305 | P307 | P315)

/* ---- field macros ------------------------------------------------------ */
/* Each table defines T (its struct) and NS (the namespace of its elements).
 * ms: the messages an element occurs in; rq: those in which it is required. */

#define TXT(nm, fld, ms, rq) {nm, ISTD_F_TEXT, NS, offsetof(T, fld), 0, NULL, NULL, ms, rq, LAWS}
#define INT(nm, fld, ms, rq) {nm, ISTD_F_INT, NS, offsetof(T, fld), 0, NULL, NULL, ms, rq, LAWS}
#define EMB(nm, fld, cls, ms, rq) {nm, ISTD_F_EMBED, NS, offsetof(T, fld), 0, NULL, &cls, ms, rq, LAWS}
#define LST(nm, it, fld, cnt, cls, ms, rq) \
    {nm, ISTD_F_LIST, NS, offsetof(T, fld), offsetof(T, cnt), it, &cls, ms, rq, LAWS}
#define CODES(ms, rq) {"RetourCodes", ISTD_F_CODES, ISTD_NS_MSG, offsetof(T, codes), 0, "RetourCode", NULL, ms, rq, LAWS}

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define CLASS(var, nm, tbl, sz, id) const istd_class_t var = {nm, tbl, COUNT(tbl), sz, id}

/* ---- basisschema composites (all in the basisschema namespace) ---------- */

#define NS ISTD_NS_BASE

#define T istd_berichtid_t
static const istd_field_t f_berichtid[] = {
    TXT("Identificatie", identificatie, ALL, ALL),
    TXT("Dagtekening", dagtekening, ALL, ALL),
};
static CLASS(c_berichtid, "CDT_BerichtIdentificatie", f_berichtid, sizeof(T), -1);
#undef T

#define T istd_xsdversie_t
static const istd_field_t f_xsdversie[] = {
    TXT("BasisschemaXsdVersie", basis, ALL, ALL),
    TXT("BerichtXsdVersie", bericht, ALL, ALL),
};
static CLASS(c_xsdversie, "CDT_XsdVersie", f_xsdversie, sizeof(T), -1);
#undef T

#define T istd_geboortedatum_t
static const istd_field_t f_geboortedatum[] = {
    TXT("Datum", datum, ALL, ALL),
    TXT("DatumGebruik", gebruik, ALL, 0),
};
static CLASS(c_geboortedatum, "CDT_Geboortedatum", f_geboortedatum, sizeof(T), -1);
#undef T

#define T istd_achternaam_t
static const istd_field_t f_achternaam[] = {
    TXT("Achternaam", achternaam, ALL, ALL),
    TXT("Voorvoegsel", voorvoegsel, ALL, 0),
};
static CLASS(c_achternaam, "CDT_Achternaam", f_achternaam, sizeof(T), -1);
#undef T

/* CDT_VolledigeNaam in 301/302, CDT_VerkorteNaam in 305 … 316. */
#define T istd_naam_t
static const istd_field_t f_naam[] = {
    EMB("Geslachtsnaam", geslachtsnaam, c_achternaam, ALL, ALL),
    EMB("Partnernaam", partnernaam, c_achternaam, P301, 0),
    TXT("Voornamen", voornamen, ALL, 0),
    TXT("Voorletters", voorletters, ALL, 0),
    TXT("NaamGebruik", naamgebruik, P301, P301),
};
static CLASS(c_naam, "CDT_VolledigeNaam/CDT_VerkorteNaam", f_naam, sizeof(T), -1);
#undef T

#define T istd_communicatie_t
static const istd_field_t f_communicatie[] = {
    TXT("Vorm", vorm, ALL, ALL),
    TXT("Taal", taal, ALL, 0),
};
static CLASS(c_communicatie, "CDT_Communicatie", f_communicatie, sizeof(T), -1);
#undef T

#define T istd_huis_t
static const istd_field_t f_huis[] = {
    INT("Huisnummer", huisnummer, ALL, ALL),
    TXT("Huisletter", huisletter, ALL, 0),
    TXT("HuisnummerToevoeging", toevoeging, ALL, 0),
    TXT("AanduidingWoonadres", aanduiding, ALL, 0),
};
static CLASS(c_huis, "CDT_Huis", f_huis, sizeof(T), -1);
#undef T

#define T istd_adres_t
static const istd_field_t f_adres[] = {
    EMB("Huis", huis, c_huis, ALL, 0),
    TXT("Postcode", postcode, ALL, 0),
    TXT("Straatnaam", straatnaam, ALL, 0),
    TXT("Plaatsnaam", plaatsnaam, ALL, 0),
    TXT("LandCode", landcode, ALL, 0),
};
static CLASS(c_adres, "CDT_Adres", f_adres, sizeof(T), -1);
#undef T

#define T istd_telefoon_t
static const istd_field_t f_telefoon[] = {
    TXT("Telefoonnummer", telefoonnummer, ALL, ALL),
    TXT("Landnummer", landnummer, ALL, ALL),
};
static CLASS(c_telefoon, "CDT_Telefoon", f_telefoon, sizeof(T), -1);
#undef T

#define T istd_telefoons_t
static const istd_field_t f_telefoons[] = {
    EMB("Telefoon01", t1, c_telefoon, ALL, ALL),
    EMB("Telefoon02", t2, c_telefoon, ALL, 0),
};
static CLASS(c_telefoons, "CDT_Telefoonnummers", f_telefoons, sizeof(T), -1);
#undef T

#define T istd_periode_t
static const istd_field_t f_openperiode[] = {
    TXT("Begindatum", begindatum, ALL, 0),
    TXT("Einddatum", einddatum, ALL, 0),
};
static CLASS(c_openperiode, "CDT_OpenPeriode", f_openperiode, sizeof(T), -1);
static const istd_field_t f_geslotenperiode[] = {
    TXT("Begindatum", begindatum, ALL, ALL),
    TXT("Einddatum", einddatum, ALL, ALL),
};
static CLASS(c_geslotenperiode, "CDT_GeslotenPeriode", f_geslotenperiode, sizeof(T), -1);
#undef T

#define T istd_product_t
static const istd_field_t f_product[] = {
    TXT("Categorie", categorie, ALL, ALL),
    TXT("Code", code, ALL, 0),
};
static CLASS(c_product, "CDT_Product", f_product, sizeof(T), -1);
#undef T

#define T istd_omvang_t
static const istd_field_t f_omvang[] = {
    INT("Volume", volume, ALL, ALL),
    TXT("Eenheid", eenheid, ALL, ALL),
    TXT("Frequentie", frequentie, ALL, ALL),
};
static CLASS(c_omvang, "CDT_Omvang", f_omvang, sizeof(T), -1);
#undef T

#define T istd_bedrag_t
static const istd_field_t f_bedragdc[] = {
    INT("Bedrag", bedrag, ALL, ALL),
    TXT("DebetCredit", dc, ALL, ALL),
};
static CLASS(c_bedragdc, "CDT_BedragMetDC", f_bedragdc, sizeof(T), -1);
static const istd_field_t f_totaalbedragdc[] = {
    INT("TotaalBedrag", bedrag, ALL, ALL),
    TXT("DebetCredit", dc, ALL, ALL),
};
static CLASS(c_totaalbedragdc, "CDT_TotaalBedragMetDC", f_totaalbedragdc, sizeof(T), -1);
#undef T

#define T istd_referentie_t
static const istd_field_t f_referentie[] = {
    TXT("ReferentieNummer", nummer, ALL, ALL),
    TXT("VorigReferentieNummer", vorig, ALL, 0),
};
static CLASS(c_referentie, "CDT_Referentie", f_referentie, sizeof(T), -1);
#undef T

#define T istd_verwijzer_t
static const istd_field_t f_verwijzer[] = {
    TXT("Type", type, ALL, ALL),
    TXT("Naam", naam, ALL, 0),
    TXT("ZorgverlenerCode", zorgverlenercode, ALL, 0),
};
static CLASS(c_verwijzer, "CDT_Verwijzer", f_verwijzer, sizeof(T), -1);
#undef T

#undef NS

/* ---- message classes (all in the message namespace) -------------------- */

#define NS ISTD_NS_MSG

#define T istd_contact_t
static const istd_field_t f_contact[] = {
    TXT("Soort", soort, P301, P301),
    EMB("Adres", adres, c_adres, P301, 0),
    TXT("Organisatie", organisatie, P301, 0),
    EMB("Telefoon", telefoon, c_telefoons, P301, 0),
    TXT("Emailadres", email, P301, 0),
    EMB("Periode", periode, c_openperiode, P301, 0),
    CODES(M(302), M(302)),
};
static CLASS(c_contact, "Contact", f_contact, sizeof(T), ISTD_C_CONTACT);
#undef T

#define T istd_relatie_t
static const istd_field_t f_relatie[] = {
    TXT("Nummer", nummer, P301, P301),
    INT("Volgorde", volgorde, P301, 0),
    TXT("Soort", soort, P301, P301),
    EMB("Geboortedatum", geboortedatum, c_geboortedatum, P301, 0),
    TXT("Geslacht", geslacht, P301, 0),
    EMB("Naam", naam, c_naam, P301, P301),
    EMB("Contact", contact, c_contact, P301, P301),
    CODES(M(302), M(302)),
};
static CLASS(c_relatie, "Relatie", f_relatie, sizeof(T), ISTD_C_RELATIE);
#undef T

#define T istd_toegewezen_t
static const istd_field_t f_toegewezen[] = {
    INT("ToewijzingNummer", toewijzingnummer, P301, P301),
    TXT("ReferentieAanbieder", referentie_aanbieder, P301, 0),
    EMB("Product", product, c_product, P301, 0),
    TXT("Toewijzingsdatum", toewijzingsdatum, P301, P301),
    TXT("Toewijzingstijd", toewijzingstijd, P301, P301),
    TXT("Ingangsdatum", ingangsdatum, P301, P301),
    TXT("Einddatum", einddatum, P301, 0),
    TXT("RedenWijziging", reden_wijziging, P301, 0),
    EMB("Omvang", omvang, c_omvang, P301, 0),
    INT("Budget", budget, P301, 0),
    TXT("Commentaar", commentaar, P301, 0),
    CODES(M(302), M(302)),
};
static CLASS(c_toegewezen, "ToegewezenProduct", f_toegewezen, sizeof(T), ISTD_C_TOEGEWEZEN);
#undef T

#define T istd_startstop_t
static const istd_field_t f_start[] = {
    INT("ToewijzingNummer", toewijzingnummer, P305, 0),
    EMB("Product", product, c_product, P305, 0),
    TXT("ToewijzingIngangsdatum", toewijzing_ingangsdatum, P305, 0),
    TXT("Begindatum", begindatum, P305, P305),
    TXT("StatusAanlevering", status_aanlevering, P305, P305),
    CODES(M(306), M(306)),
};
static CLASS(c_start, "StartProduct", f_start, sizeof(T), ISTD_C_STARTSTOP);
static const istd_field_t f_stop[] = {
    INT("ToewijzingNummer", toewijzingnummer, P307, 0),
    EMB("Product", product, c_product, P307, 0),
    TXT("ToewijzingIngangsdatum", toewijzing_ingangsdatum, P307, 0),
    TXT("Begindatum", begindatum, P307, P307),
    TXT("RedenBeeindiging", reden_beeindiging, P307, P307),
    TXT("Einddatum", einddatum, P307, P307),
    TXT("StatusAanlevering", status_aanlevering, P307, P307),
    CODES(M(308), M(308)),
};
static CLASS(c_stop, "StopProduct", f_stop, sizeof(T), ISTD_C_STARTSTOP);
#undef T

#define T istd_aangevraagd_t
static const istd_field_t f_aangevraagd[] = {
    TXT("ReferentieAanbieder", referentie_aanbieder, P315, P315),
    INT("BeschikkingNummer", beschikkingnummer, P315, 0),
    EMB("Product", product, c_product, P315, 0),
    TXT("BeschikkingIngangsdatum", beschikking_ingangsdatum, P315, 0),
    TXT("ToewijzingIngangsdatum", toewijzing_ingangsdatum, P315, P315),
    TXT("ToewijzingEinddatum", toewijzing_einddatum, P315, 0),
    EMB("Omvang", omvang, c_omvang, P315, 0),
    INT("Budget", budget, P315, 0),
    EMB("Verwijzer", verwijzer, c_verwijzer, P315, P315),
    TXT("Raamcontract", raamcontract, P315, 0),
    TXT("Commentaar", commentaar, P315, 0),
    CODES(M(316), M(316)),
};
static CLASS(c_aangevraagd, "AangevraagdProduct", f_aangevraagd, sizeof(T), ISTD_C_AANGEVRAAGD);
#undef T

/* One struct, three element lists (317/318). */
#define T istd_vowproduct_t
static const istd_field_t f_ongewijzigd[] = {
    INT("ToewijzingNummer", toewijzingnummer, P317, P317),
    CODES(M(318), M(318)),
};
static CLASS(c_ongewijzigd, "OngewijzigdProduct", f_ongewijzigd, sizeof(T), ISTD_C_VOWPRODUCT);
static const istd_field_t f_tewijzigen[] = {
    INT("ToewijzingNummer", toewijzingnummer, P317, P317),
    TXT("GewensteIngangsdatum", gewenste_ingangsdatum, P317, P317),
    TXT("Einddatum", einddatum, P317, 0),
    EMB("Omvang", omvang, c_omvang, P317, 0),
    INT("Budget", budget, P317, 0),
    CODES(M(318), M(318)),
};
static CLASS(c_tewijzigen, "TeWijzigenProduct", f_tewijzigen, sizeof(T), ISTD_C_VOWPRODUCT);
static const istd_field_t f_nieuw[] = {
    EMB("Product", product, c_product, P317, 0),
    TXT("GewensteIngangsdatum", gewenste_ingangsdatum, P317, P317),
    TXT("Einddatum", einddatum, P317, 0),
    EMB("Omvang", omvang, c_omvang, P317, 0),
    INT("Budget", budget, P317, 0),
    CODES(M(318), M(318)),
};
static CLASS(c_nieuw, "NieuwProduct", f_nieuw, sizeof(T), ISTD_C_VOWPRODUCT);
#undef T

#define T istd_verzoek_t
static const istd_field_t f_verzoek[] = {
    TXT("ReferentieAanbieder", referentie_aanbieder, P317, P317),
    TXT("RedenVerzoek", reden_verzoek, P317, P317),
    LST("OngewijzigdeProducten", "OngewijzigdProduct", ongewijzigd, n_ongewijzigd, c_ongewijzigd, P317, 0),
    LST("TeWijzigenProducten", "TeWijzigenProduct", tewijzigen, n_tewijzigen, c_tewijzigen, P317, 0),
    LST("NieuweProducten", "NieuwProduct", nieuw, n_nieuw, c_nieuw, P317, 0),
    CODES(M(318), M(318)),
};
static CLASS(c_verzoek, "Verzoek", f_verzoek, sizeof(T), -1);
#undef T

#define T istd_prestatie_t
static const istd_field_t f_prestatie[] = {
    EMB("ProductReferentie", referentie, c_referentie, P323, P323),
    INT("ToewijzingNummer", toewijzingnummer, P323, P323),
    TXT("ProductCategorie", categorie, P323, P323),
    TXT("ProductCode", code, P323, P323),
    EMB("ProductPeriode", periode, c_geslotenperiode, P323, P323),
    INT("GeleverdVolume", volume, P323, P323),
    TXT("Eenheid", eenheid, P323, P323),
    INT("ProductTarief", tarief, P323, 0),
    EMB("IngediendBedrag", bedrag, c_bedragdc, P323, P323),
    CODES(M(325), M(325)),
};
static CLASS(c_prestatie, "Prestatie", f_prestatie, sizeof(T), ISTD_C_PRESTATIE);
#undef T

#define T istd_client_t
static const istd_field_t f_client[] = {
    TXT("Bsn", bsn, CLIENT, CLIENT),
    EMB("Geboortedatum", geboortedatum, c_geboortedatum, PERSOON, PERSOON),
    TXT("Geslacht", geslacht, PERSOON, PERSOON),
    EMB("Naam", naam, c_naam, PERSOON, PERSOON),
    EMB("Communicatie", communicatie, c_communicatie, P301, 0),
    TXT("JuridischeStatus", juridische_status, P301, 0),
    TXT("WettelijkeVertegenwoordiging", wettelijke_vertegenwoordiging, P301, 0),
    {"GezagsdragerBekend", ISTD_F_TEXT, NS, offsetof(T, gezagsdrager_bekend), 0, NULL, NULL, P315, 0, JW},
    TXT("Commentaar", commentaar, P301 | P315, 0),
    LST("Relaties", "Relatie", relaties, n_relaties, c_relatie, P301, 0),
    LST("Contactgegevens", "Contact", contacten, n_contacten, c_contact, P301, P301),
    LST("ToegewezenProducten", "ToegewezenProduct", toegewezen, n_toegewezen, c_toegewezen, P301, P301),
    LST("StartProducten", "StartProduct", starts, n_starts, c_start, P305, P305),
    LST("StopProducten", "StopProduct", stops, n_stops, c_stop, P307, P307),
    LST("AangevraagdeProducten", "AangevraagdProduct", aangevraagd, n_aangevraagd, c_aangevraagd, P315, P315),
    EMB("Verzoek", verzoek, c_verzoek, P317, P317),
    LST("Prestaties", "Prestatie", prestaties, n_prestaties, c_prestatie, P323, P323),
    CODES(RET7 & ~M(320), RET7 & ~M(320)),
};
static CLASS(c_client, "Client", f_client, sizeof(T), ISTD_C_CLIENT);
#undef T

/* 323 Declaratie and 325 DeclaratieAntwoord. */
#define T istd_declaratie_t
static const istd_field_t f_declaratie[] = {
    TXT("DeclaratieNummer", nummer, P323, P323),
    EMB("DeclaratiePeriode", periode, c_geslotenperiode, M(323), M(323)),
    TXT("DeclaratieDagtekening", dagtekening, M(323), M(323)),
    EMB("TotaalIngediendBedrag", ingediend, c_totaalbedragdc, P323, P323),
    EMB("TotaalToegekendBedrag", toegekend, c_totaalbedragdc, M(325), M(325)),
    LST("Clienten", "Client", clienten, n_clienten, c_client, P323, M(323)),
    CODES(M(325), M(325)),
};
static CLASS(c_declaratie, "Declaratie", f_declaratie, sizeof(T), -1);
#undef T

/* iJw 319/320 only; the struct inside istd_antwoord_t has no name. */
#define WPB_OFF(fld) \
    (offsetof(istd_antwoord_t, woonplaatsbeginsel.fld) - offsetof(istd_antwoord_t, woonplaatsbeginsel))
static const istd_field_t f_woonplaatsbeginsel[] = {
    {"Gemeente", ISTD_F_TEXT, NS, WPB_OFF(gemeente), 0, NULL, NULL, P319, P319, JW},
    {"RetourCodes", ISTD_F_CODES, NS, WPB_OFF(codes), 0, "RetourCode", NULL, M(320), M(320), JW},
};
static CLASS(c_woonplaatsbeginsel, "Woonplaatsbeginsel", f_woonplaatsbeginsel,
             sizeof(((istd_antwoord_t *)0)->woonplaatsbeginsel), -1);

#define T istd_antwoord_t
static const istd_field_t f_antwoord[] = {
    TXT("ReferentieAanbieder", referentie_aanbieder, P319, P319),
    TXT("VerzoekAntwoord", verzoek_antwoord, P319, P319),
    TXT("RedenAfwijzingVerzoek", reden_afwijzing, P319, 0),
    {"Woonplaatsbeginsel", ISTD_F_EMBED, NS, offsetof(T, woonplaatsbeginsel), 0, NULL, &c_woonplaatsbeginsel,
     P319, 0, JW},
    CODES(M(320), M(320)),
};
static CLASS(c_antwoord, "Antwoord", f_antwoord, sizeof(T), -1);
#undef T

#define T istd_header_t
static const istd_field_t f_header[] = {
    INT("BerichtCode", berichtcode, ALL, ALL),
    INT("BerichtVersie", versie, ALL, ALL),
    INT("BerichtSubversie", subversie, ALL, ALL),
    TXT("Afzender", afzender, ALL, ALL),
    TXT("Ontvanger", ontvanger, ALL, ALL),
    EMB("BerichtIdentificatie", id, c_berichtid, ALL, ALL),
    EMB("XsdVersie", xsd, c_xsdversie, ALL, ALL),
    TXT("IdentificatieRetour", id_retour, RET6, RET6),
    TXT("DagtekeningRetour", dagtekening_retour, RET6, RET6),
    EMB("DeclaratieIdentificatie", declaratie_id, c_berichtid, M(325), M(325)),
    TXT("XsltVersie", xslt_versie, RET7, 0),
    EMB("XsdVersieRetour", xsd_retour, c_xsdversie, RET6, RET6),
    EMB("XsdVersieDeclaratie", xsd_declaratie, c_xsdversie, M(325), M(325)),
    CODES(RET7, M(325)),
};
static CLASS(c_header, "Header", f_header, sizeof(T), -1);
#undef T

#define T istd_msg_t
static const istd_field_t f_bericht[] = {
    EMB("Header", header, c_header, ALL, ALL),
    EMB("Client", client, c_client, ROOTCLI, HEENCLI),
    EMB("Antwoord", antwoord, c_antwoord, P319, M(319)),
    EMB("Declaratie", declaratie, c_declaratie, M(323), M(323)),
    EMB("DeclaratieAntwoord", declaratie, c_declaratie, M(325), 0),
};
CLASS(istd_cls_bericht, "Bericht", f_bericht, sizeof(T), -1);
#undef T

#undef NS

const istd_class_t *const istd_classes[] = {
    &istd_cls_bericht, &c_header, &c_client, &c_relatie, &c_contact, &c_toegewezen, &c_start, &c_stop,
    &c_aangevraagd, &c_verzoek, &c_ongewijzigd, &c_tewijzigen, &c_nieuw, &c_antwoord,
    &c_woonplaatsbeginsel, &c_declaratie, &c_prestatie, &c_berichtid, &c_xsdversie, &c_geboortedatum,
    &c_achternaam, &c_naam, &c_communicatie, &c_huis, &c_adres, &c_telefoon, &c_telefoons,
    &c_openperiode, &c_geslotenperiode, &c_product, &c_omvang, &c_bedragdc, &c_totaalbedragdc,
    &c_referentie, &c_verwijzer, NULL,
};

/* clang-format on */

/* ---- presence ------------------------------------------------------------ */

int istd_field_present(const istd_field_t *f, const void *obj, istd_law law, istd_kind k)
{
    const char *p = (const char *)obj + f->off;
    switch (f->type) {
    case ISTD_F_TEXT: {
        const char *s = *(char *const *)(const void *)p;
        return s && *s;
    }
    case ISTD_F_INT:
        return *(const int64_t *)(const void *)p != ISTD_NONE;
    case ISTD_F_EMBED:
        return istd_class_present(f->sub, p, law, k);
    case ISTD_F_LIST:
        return *(void *const *)(const void *)p && *(const int *)(const void *)((const char *)obj + f->count_off) > 0;
    case ISTD_F_CODES:
        return ((const istd_codes_t *)(const void *)p)->n > 0;
    }
    return 0;
}

int istd_class_present(const istd_class_t *c, const void *obj, istd_law law, istd_kind k)
{
    for (int i = 0; i < c->n; i++)
        if (istd_field_active(&c->fields[i], law, k) && istd_field_present(&c->fields[i], obj, law, k)) return 1;
    return 0;
}

/* ---- namespaces ---------------------------------------------------------- */

void istd_base_namespace(istd_law law, char *out, size_t n)
{
    snprintf(out, n, "http://www.istandaarden.nl/%s/3_2/basisschema/schema", istd_law_name(law));
}

const char *istd_base_prefix(istd_law law)
{
    return istd_law_name(law);
}

const char *istd_msg_prefix(istd_law law, istd_kind k)
{
    static const char *wmo[IK_COUNT] = {
        "wmo301", "wmo302", "wmo305", "wmo306", "wmo307", "wmo308", "wmo315",
        "wmo316", "wmo317", "wmo318", "wmo319", "wmo320", "wmo323", "wmo325",
    };
    static const char *jw[IK_COUNT] = {
        "jw301", "jw302", "jw305", "jw306", "jw307", "jw308", "jw315",
        "jw316", "jw317", "jw318", "jw319", "jw320", "jw323", "jw325",
    };
    if ((unsigned)k >= IK_COUNT || (law != ISTD_WMO && law != ISTD_JW)) return "?";
    return law == ISTD_WMO ? wmo[k] : jw[k];
}

int istd_kind_of_namespace(const char *uri, istd_law *law, istd_kind *kind)
{
    static const istd_law laws[] = {ISTD_WMO, ISTD_JW};
    char ns[96];
    if (!uri) return -1;
    for (int l = 0; l < 2; l++)
        for (int k = 0; k < IK_COUNT; k++) {
            istd_namespace(laws[l], (istd_kind)k, ns, sizeof ns);
            if (strcmp(ns, uri) == 0) {
                *law = laws[l];
                *kind = (istd_kind)k;
                return 0;
            }
        }
    return -1;
}

/* ---- errors -------------------------------------------------------------- */

void istd_errsink_add(istd_errsink_t *s, long line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == ' ')) msg[--n] = '\0';
    if (s->n == 0 && s->first && s->firstlen > 0) snprintf(s->first, s->firstlen, "regel %ld: %s", line, msg);
    if (s->out && s->n < s->max) buf_printf(s->out, "regel %ld: %s\n", line, msg);
    s->n++;
}
