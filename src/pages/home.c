/* home.c - the start page: who you are and where to go from here. */
#include <string.h>

#include "pages/pages.h"

/* What each role finds in Kantel; the areas arrive with later work. */
static const char *role_intro(enum role r)
{
    switch (r) {
    case ROLE_RESIDENT: return "Hier vraagt u hulp, ziet u uw plan en nodigt u mensen uit uw netwerk uit.";
    case ROLE_NETWORK: return "Hier ziet u wat een inwoner met u deelt en welke afspraken u samen heeft gemaakt.";
    case ROLE_GENERALIST: return "Hier werkt u aan meldingen, gesprekken en het ene plan per huishouden.";
    case ROLE_TEAMLEAD: return "Hier ziet u de caseload van uw team en keurt u besluiten boven het mandaat goed.";
    case ROLE_POLICY: return "Hier beheert u producten, contracten en budgetten en ziet u overzichten zonder persoonsgegevens.";
    case ROLE_PROVIDER: return "Hier ziet u uw toewijzingen, meldt u start en stop en dient u declaraties in.";
    case ROLE_COMMUNITY: return "Hier beheert u uw aanbod op de sociale kaart en ziet u de verwijzingen naar u.";
    case ROLE_ADMIN: return "Hier beheert u gebruikers, rollen en de audittrail.";
    default: return "";
    }
}

void page_home(http_req_t *req)
{
    struct http_user *u = req->user;
    json_t *m = json_pack("{s:s, s:s, s:s, s:s}", "title", "Start", "name", u->display_name, "role",
                          role_info(u->role)->label, "intro", role_intro(u->role));
    static const struct {
        const char *href, *label, *text;
        enum capability cap;
    } items[] = {
        {"/account", "Mijn account", "Uw gegevens, uw actieve sessies en uw wachtwoord.", CAP_SIGNED_IN},
        {"/huishoudens", "Huishoudens", "Zoeken, een huishouden aanmaken, het plan en de metingen.", CAP_CASEWORK},
        {"/termijnen", "Termijnen", "Wettelijke termijnen die binnenkort verlopen of te laat zijn.", CAP_CASEWORK},
        {"/caseload", "Caseload", "Uw huishoudens en die van uw team.", CAP_CASEWORK},
        {"/mijn", "Mijn huishouden", "Uw regisseur, uw meldingen en wat er afgesproken is.", CAP_PORTAL},
        {"/mijn/plan", "Mijn plan", "Het plan lezen, er iets aan toevoegen en akkoord geven.", CAP_PORTAL},
        {"/netwerk", "Mijn netwerk", "Wat de mensen die u helpt met u delen.", CAP_NETWORK_VIEW},
        {"/vrijwilligers", "Vrijwilligers", "De vrijwilligers die u registreert en hun antwoorden op voorstellen.",
         CAP_VOLUNTEERS},
        {"/organisatie", "Onze organisatie", "Uw aanbod op de sociale kaart: bevestigen dat het klopt en wijzigen.",
         CAP_ORG},
        {"/organisatie/verwijzingen", "Verwijzingen", "Inwoners die naar uw aanbod zijn verwezen, en hoe het loopt.",
         CAP_ORG},
        {"/aanbieder/berichten", "Berichten iWmo en iJw",
         "Berichten insturen (declaraties, start en stop, verzoeken) en de retourberichten ophalen.",
         CAP_ISTD_PROVIDER},
        {"/kaartbeheer", "Kaartbeheer", "Aanvragen van organisaties en aanbod dat niet meer is bevestigd.",
         CAP_SOCIALMAP_ADMIN},
        {"/berichten", "Berichten iWmo en iJw",
         "Alle berichten met zorgaanbieders, de antwoordtermijnen en wat te laat is.", CAP_ISTD_ADMIN},
        {"/sociale-kaart", "Sociale kaart", "Wat er in de buurt is: clubs, ontmoeting, vrijwilligers en hulp.",
         CAP_SIGNED_IN},
        {"/beheer/gebruikers", "Gebruikers", "Accounts aanmaken, blokkeren en tweestapsverificatie herstellen.",
         CAP_ADMIN_USERS},
        {"/beheer/audit", "Audittrail", "Zoeken in wie wat wanneer heeft gedaan.", CAP_AUDIT_READ},
    };
    json_t *links = json_array();
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        if (policy_may(u->role, items[i].cap))
            json_array_append_new(links, json_pack("{s:s, s:s, s:s}", "href", items[i].href, "label", items[i].label,
                                                   "text", items[i].text));
    json_object_set_new(m, "links", links);
    http_page(req, "home", m);
}
