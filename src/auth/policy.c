/* policy.c - the role table and the capability matrix (see policy.h). */
#include "auth/policy.h"

#include <string.h>

static const struct role_info roles[ROLE_COUNT] = {
    [ROLE_NONE] = {"", "Niet ingelogd", 0},
    [ROLE_RESIDENT] = {"resident", "Inwoner", 1},
    [ROLE_NETWORK] = {"network", "Netwerklid of mentor", 1},
    [ROLE_GENERALIST] = {"generalist", "Generalist wijkteam", 1},
    [ROLE_TEAMLEAD] = {"teamlead", "Teamleider", 1},
    [ROLE_POLICY] = {"policy", "Beleid en contractbeheer", 1},
    [ROLE_PROVIDER] = {"provider", "Zorgaanbieder", 1},
    [ROLE_COMMUNITY] = {"community", "Maatschappelijke organisatie", 1},
    [ROLE_ADMIN] = {"admin", "Beheerder", 1},
};

static const char *const cap_names[CAP_COUNT] = {
    [CAP_PUBLIC] = "public",
    [CAP_PENDING_MFA] = "pending-mfa",
    [CAP_PENDING_ENROL] = "pending-enrol",
    [CAP_SIGNED_IN] = "signed-in",
    [CAP_ADMIN_USERS] = "admin-users",
    [CAP_AUDIT_READ] = "audit-read",
    [CAP_CASEWORK] = "casework",
    [CAP_TEAM_OVERVIEW] = "team-overview",
    [CAP_PORTAL] = "portal",
    [CAP_NETWORK_VIEW] = "network-view",
    [CAP_VOLUNTEERS] = "volunteers",
    [CAP_ORG] = "org",
    [CAP_SOCIALMAP_ADMIN] = "socialmap-admin",
    [CAP_ISTD_PROVIDER] = "istd-provider",
    [CAP_ISTD_ADMIN] = "istd-admin",
};

const struct role_info *role_info(enum role r)
{
    return (r >= 0 && r < ROLE_COUNT) ? &roles[r] : &roles[ROLE_NONE];
}

enum role role_from_code(const char *code)
{
    if (!code || !*code) return ROLE_NONE;
    for (int r = 1; r < ROLE_COUNT; r++)
        if (strcmp(roles[r].code, code) == 0) return (enum role)r;
    return ROLE_NONE;
}

const char *capability_name(enum capability c)
{
    return (c >= 0 && c < CAP_COUNT) ? cap_names[c] : "?";
}

/* The session state (pending/full) is checked by the gate; this decides only
 * by role, for fully signed-in accounts. */
int policy_may(enum role r, enum capability c)
{
    switch (c) {
    case CAP_PUBLIC: return 1;
    case CAP_PENDING_MFA:
    case CAP_PENDING_ENROL:
    case CAP_SIGNED_IN: return r != ROLE_NONE;
    case CAP_ADMIN_USERS:
    case CAP_AUDIT_READ: return r == ROLE_ADMIN;
    case CAP_CASEWORK: return r == ROLE_GENERALIST || r == ROLE_TEAMLEAD;
    case CAP_TEAM_OVERVIEW: return r == ROLE_TEAMLEAD;
    case CAP_PORTAL: return r == ROLE_RESIDENT;
    case CAP_NETWORK_VIEW: return r == ROLE_NETWORK;
    case CAP_VOLUNTEERS: return r == ROLE_COMMUNITY;
    case CAP_ORG: return r == ROLE_COMMUNITY || r == ROLE_PROVIDER;
    case CAP_SOCIALMAP_ADMIN: return r == ROLE_POLICY;
    case CAP_ISTD_PROVIDER: return r == ROLE_PROVIDER;
    case CAP_ISTD_ADMIN: return r == ROLE_POLICY;
    case CAP_COUNT: break;
    }
    return 0;
}
