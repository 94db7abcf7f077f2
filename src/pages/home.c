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
    json_t *links = json_array();
    json_array_append_new(links, json_pack("{s:s, s:s, s:s}", "href", "/account", "label", "Mijn account",
                                           "text", "Uw gegevens, uw actieve sessies en uw wachtwoord."));
    if (policy_may(u->role, CAP_CASEWORK)) {
        json_array_append_new(links, json_pack("{s:s, s:s, s:s}", "href", "/huishoudens", "label", "Huishoudens",
                                               "text", "Zoeken, een huishouden aanmaken, het plan en de metingen."));
        json_array_append_new(links, json_pack("{s:s, s:s, s:s}", "href", "/termijnen", "label", "Termijnen",
                                               "text", "Wettelijke termijnen die binnenkort verlopen of te laat zijn."));
        json_array_append_new(links, json_pack("{s:s, s:s, s:s}", "href", "/caseload", "label", "Caseload",
                                               "text", "Uw huishoudens en die van uw team."));
    }
    if (policy_may(u->role, CAP_PORTAL)) {
        json_array_append_new(links, json_pack("{s:s, s:s, s:s}", "href", "/mijn", "label", "Mijn huishouden",
                                               "text", "Uw regisseur, uw meldingen en wat er afgesproken is."));
        json_array_append_new(links, json_pack("{s:s, s:s, s:s}", "href", "/mijn/plan", "label", "Mijn plan",
                                               "text", "Het plan lezen, er iets aan toevoegen en akkoord geven."));
    }
    if (policy_may(u->role, CAP_NETWORK_VIEW))
        json_array_append_new(links, json_pack("{s:s, s:s, s:s}", "href", "/netwerk", "label", "Mijn netwerk",
                                               "text", "Wat de mensen die u helpt met u delen."));
    if (policy_may(u->role, CAP_ADMIN_USERS))
        json_array_append_new(links, json_pack("{s:s, s:s, s:s}", "href", "/beheer/gebruikers", "label",
                                               "Gebruikers", "text", "Accounts aanmaken, blokkeren en tweestapsverificatie herstellen."));
    if (policy_may(u->role, CAP_AUDIT_READ))
        json_array_append_new(links, json_pack("{s:s, s:s, s:s}", "href", "/beheer/audit", "label", "Audittrail",
                                               "text", "Zoeken in wie wat wanneer heeft gedaan."));
    json_object_set_new(m, "links", links);
    http_page(req, "home", m);
}
