/*
 * policy.h - roles and capabilities: who may do what (DESIGN.md §1).
 *
 * A route requires one capability; policy_may() is the single place that
 * decides whether a role holds it. Later areas add capabilities here.
 */
#ifndef KANTEL_POLICY_H
#define KANTEL_POLICY_H

enum role {
    ROLE_NONE = 0, /* anonymous */
    ROLE_RESIDENT,
    ROLE_NETWORK,
    ROLE_GENERALIST,
    ROLE_TEAMLEAD,
    ROLE_POLICY,
    ROLE_PROVIDER,
    ROLE_COMMUNITY,
    ROLE_ADMIN,
    ROLE_COUNT
};

enum capability {
    CAP_PUBLIC = 0,     /* anyone, with or without a session */
    CAP_PENDING_MFA,    /* password accepted, second factor outstanding */
    CAP_PENDING_ENROL,  /* password accepted, must set up a second factor */
    CAP_SIGNED_IN,      /* any fully signed-in account */
    CAP_ADMIN_USERS,    /* manage accounts */
    CAP_AUDIT_READ,     /* search the audit trail */
    CAP_CASEWORK,       /* households, requests, assessments, plans (need-to-know applies per household) */
    CAP_TEAM_OVERVIEW,  /* the caseload of a whole team */
    CAP_PORTAL,         /* a resident's own household, plan and data */
    CAP_NETWORK_VIEW,   /* a network member: what residents share with them */
    CAP_VOLUNTEERS,     /* the volunteer registry and the answers of volunteers (community organisations) */
    CAP_ORG,            /* speak for an organisation of the sociale kaart: claim it, keep its listings current,
                           its referral inbox (community organisations and providers; orgmember.h) */
    CAP_SOCIALMAP_ADMIN,/* kaartbeheer: approve claims, every listing and its currency (policy staff) */
    CAP_ISTD_PROVIDER,  /* iStandaarden: upload messages and fetch retours for the AGB codes the account
                           speaks for (istd_provider_account; providers) */
    CAP_ISTD_ADMIN,     /* iStandaarden: every message of the municipality, in and out, with its deadlines
                           (contract staff: policy) */
    CAP_COUNT
};

struct role_info {
    const char *code;   /* stored in account.role */
    const char *label;  /* Dutch, for the UI */
    int mfa_required;   /* 1: a second factor is required (every role: BIO 5.17.01, portal included) */
};

const struct role_info *role_info(enum role r);
enum role role_from_code(const char *code); /* ROLE_NONE when unknown */
const char *capability_name(enum capability c);
int policy_may(enum role r, enum capability c);

#endif
