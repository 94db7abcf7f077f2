/*
 * referral.c - closed-loop referrals from a plan action to a service of the
 * sociale kaart: the rules (consent, transitions, who may do what, no BSN in
 * what is shared), the plan action following the referral in the same
 * transaction, the views per side and the reminder job. See referral.h.
 */
#include "domain/referral.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/household.h"
#include "domain/ident.h"
#include "domain/plan.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define REMINDER_SLICE 500

/* ---- vocabulary ---------------------------------------------------------- */

static const struct { const char *code, *label, *word; } statuses[] = {
    {"verstuurd", "Verstuurd", "verstuurd"},
    {"contact", "Contact gehad", "contact gehad"},
    {"gestart", "Gestart", "gestart"},
    {"afgewezen", "Afgewezen", "afgewezen"},
    {"beeindigd", "Beëindigd", "beëindigd"},
    {"ingetrokken", "Ingetrokken", "ingetrokken"},
};

static const struct { const char *code, *label; } consent_by[] = {
    {"inwoner", "De inwoner zelf"},
    {"vertegenwoordiger", "Een ouder, voogd of wettelijk vertegenwoordiger"},
};

static const struct { const char *code, *label; } consent_how[] = {
    {"mondeling", "Mondeling"},
    {"schriftelijk", "Schriftelijk"},
    {"portaal", "Via het portaal"},
};

const char *referral_status_label(const char *status)
{
    for (int i = 0; status && i < COUNT(statuses); i++)
        if (strcmp(statuses[i].code, status) == 0) return statuses[i].label;
    return NULL;
}

static const char *status_word(const char *status)
{
    for (int i = 0; status && i < COUNT(statuses); i++)
        if (strcmp(statuses[i].code, status) == 0) return statuses[i].word;
    return "";
}

const char *referral_status_at(int i)
{
    return i >= 0 && i < COUNT(statuses) ? statuses[i].code : NULL;
}

int referral_status_open(const char *status)
{
    return status && (strcmp(status, "verstuurd") == 0 || strcmp(status, "contact") == 0 ||
                      strcmp(status, "gestart") == 0);
}

const char *referral_consent_by_label(const char *code)
{
    for (int i = 0; code && i < COUNT(consent_by); i++)
        if (strcmp(consent_by[i].code, code) == 0) return consent_by[i].label;
    return NULL;
}

const char *referral_consent_how_label(const char *code)
{
    for (int i = 0; code && i < COUNT(consent_how); i++)
        if (strcmp(consent_how[i].code, code) == 0) return consent_how[i].label;
    return NULL;
}

/* ---- pure rules ------------------------------------------------------------ */

static int is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

const char *referral_transition_why(const char *from, const char *to, enum referral_side side, int *forbidden)
{
    if (forbidden) *forbidden = 0;
    if (!referral_status_label(to) || is(to, "verstuurd")) return "Kies een geldige status.";
    if (!referral_status_open(from))
        return "Deze verwijzing is al afgesloten. De status kan niet meer veranderen.";
    if (is(from, to)) return "De verwijzing heeft deze status al.";
    if (is(to, "ingetrokken")) {
        if (side == REF_SIDE_ORG) {
            if (forbidden) *forbidden = 1;
            return "Alleen de inwoner of de regisseur kan een verwijzing intrekken. Wijst u de verwijzing af? "
                   "Kies dan Afgewezen.";
        }
        return NULL;
    }
    if (side != REF_SIDE_ORG) {
        if (forbidden) *forbidden = 1;
        return "Alleen de organisatie zet deze status. U kunt de verwijzing wel intrekken.";
    }
    if (is(to, "contact")) return is(from, "verstuurd") ? NULL : "Er is al contact geweest: de verwijzing is al gestart.";
    if (is(to, "gestart")) return NULL; /* from verstuurd or contact */
    if (is(to, "afgewezen"))
        return is(from, "gestart") ? "Een gestarte verwijzing wijst u niet meer af. Kies Beëindigd." : NULL;
    /* beeindigd */
    return is(from, "gestart") ? NULL : "Alleen een gestarte verwijzing kan eindigen. Kies Gestart of Afgewezen.";
}

const char *referral_consent_why(const char *by, int age)
{
    if (!referral_consent_by_label(by)) return "Kies wie de toestemming gaf.";
    if (age < 0)
        return "De geboortedatum van dit gezinslid is niet bekend. Leg die eerst vast: onder de 16 geeft een ouder "
               "of voogd toestemming.";
    if (age < REF_ADULT_CONSENT_AGE && strcmp(by, "vertegenwoordiger") != 0)
        return "Dit gezinslid is jonger dan 16 jaar. Een ouder, voogd of wettelijk vertegenwoordiger moet "
               "toestemming geven.";
    if (age >= REF_ADULT_CONSENT_AGE && strcmp(by, "inwoner") != 0)
        return "Vanaf 16 jaar geeft de inwoner zelf toestemming.";
    return NULL;
}

int referral_text_has_bsn(const char *text)
{
    if (!text) return 0;
    const char *p = text;
    while (*p) {
        if (!isdigit((unsigned char)*p) || (p > text && isdigit((unsigned char)p[-1]))) {
            p++;
            continue;
        }
        /* a run of digits joined by single separators, starting at p */
        char joined[64];
        size_t nj = 0, group = 0;
        const char *q = p, *group_start = p;
        for (;;) {
            if (isdigit((unsigned char)*q)) {
                if (nj < sizeof joined - 1) joined[nj++] = *q;
                group++;
                q++;
                continue;
            }
            /* a group of exactly nine digits is checked on its own */
            if (group == 9) {
                char nine[10];
                memcpy(nine, group_start, 9);
                nine[9] = '\0';
                if (bsn_valid(nine)) return 1;
            }
            if ((*q == ' ' || *q == '.' || *q == '-') && isdigit((unsigned char)q[1])) {
                q++;
                group = 0;
                group_start = q;
                continue;
            }
            break;
        }
        joined[nj] = '\0';
        if (nj == 9 && bsn_valid(joined)) return 1;
        p = q;
    }
    return 0;
}

const char *referral_contact_why(const char *s)
{
    if (!s || !*s) return NULL;
    const char *at = strchr(s, '@');
    if (at) {
        if (at == s || !strchr(at, '.') || strchr(at + 1, '@') || at[1] == '.' || s[strlen(s) - 1] == '.' ||
            strpbrk(s, " \t<>\"'"))
            return "Vul een telefoonnummer of een e-mailadres in, zoals 06 12345678 of naam@voorbeeld.nl.";
        return NULL;
    }
    int digits = 0;
    for (const char *p = s; *p; p++) {
        if (isdigit((unsigned char)*p)) digits++;
        else if (!strchr(" +-()", *p))
            return "Vul een telefoonnummer of een e-mailadres in, zoals 06 12345678 of naam@voorbeeld.nl.";
    }
    if (digits < 8 || digits > 15)
        return "Een telefoonnummer heeft 8 tot 15 cijfers, zoals 06 12345678 of 0570 123456.";
    return NULL;
}

int referral_age(const char *birth, day_t today)
{
    day_t b;
    if (!birth || day_parse(birth, &b) != 0 || b > today) return -1;
    int by, bm, bd, ty, tm, td;
    day_to_ymd(b, &by, &bm, &bd);
    day_to_ymd(today, &ty, &tm, &td);
    return ty - by - (tm < bm || (tm == bm && td < bd));
}

int referral_resident_may(int64_t person_id, int64_t referred_person, int referred_age)
{
    if (person_id <= 0) return 0;
    return referred_person == person_id || (referred_age >= 0 && referred_age < REF_ADULT_CONSENT_AGE);
}

/* ---- small helpers --------------------------------------------------------- */

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* s without surrounding white space, into out (n bytes). */
static void trim_copy(const char *s, char *out, size_t n)
{
    s = s ? s : "";
    while (isspace((unsigned char)*s)) s++;
    size_t len = strlen(s);
    while (len > 0 && isspace((unsigned char)s[len - 1])) len--;
    if (len >= n) len = n - 1;
    memcpy(out, s, len);
    out[len] = '\0';
}

static void set_err(json_t *errors, const char *field, const char *msg)
{
    if (errors && !json_object_get(errors, field)) json_object_set_new(errors, field, json_string(msg));
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The current body of a household's plan (new reference), NULL when there is
 * none. *err set on a database error. */
static json_t *current_body(db_t *db, int64_t household_id, int *err)
{
    int current = 0;
    *err = 0;
    int64_t plan_id = plan_find(db, household_id, &current);
    if (plan_id < 0) {
        *err = 1;
        return NULL;
    }
    if (plan_id == 0 || current == 0) return NULL;
    json_t *body = NULL;
    if (plan_version_load(db, plan_id, current, &body, NULL) != PLAN_OK) {
        *err = 1;
        return NULL;
    }
    return body;
}

/* ---- the service ------------------------------------------------------------ */

static const char *day_name(const char *code)
{
    static const char *codes[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    static const char *names[] = {"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"};
    for (int i = 0; i < 7; i++)
        if (strncmp(code, codes[i], 2) == 0 && (code[2] == '\0' || code[2] == ',')) return names[i];
    return NULL;
}

static const char *ordinal_name(int o)
{
    if (o >= 1 && o <= 5) {
        static const char *names[] = {"eerste", "tweede", "derde", "vierde", "vijfde"};
        return names[o - 1];
    }
    if (o == -1) return "laatste";
    if (o == -2) return "een-na-laatste";
    return NULL;
}

/* "10:00" of "10:00:00"; "" when s is not a time. */
static void hhmm(const char *s, char out[6])
{
    out[0] = '\0';
    if (s && strlen(s) >= 5 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) && s[2] == ':' &&
        isdigit((unsigned char)s[3]) && isdigit((unsigned char)s[4])) {
        memcpy(out, s, 5);
        out[5] = '\0';
    }
}

/* One schedule in Dutch, e.g. "Elke dinsdag van 10:00 tot 11:30". Falls back
 * to the schedule's description when the rule is not a simple one. */
static void schedule_text(const char *freq, const char *byday, const char *interval, const char *opens,
                          const char *closes, const char *desc, char *out, size_t n)
{
    char days[200] = "", o[6], c[6], times[40] = "";
    int ok = *byday != '\0';
    int monthly = strcmp(freq, "MONTHLY") == 0, weekly = strcmp(freq, "WEEKLY") == 0;
    int every = !*interval || strcmp(interval, "1") == 0;
    if (!monthly && !weekly) ok = 0;
    /* the days: "dinsdag", "maandag en donderdag", "eerste dinsdag" */
    const char *p = byday;
    int count = 0, total = 1;
    for (const char *q = byday; *q; q++) total += *q == ',';
    while (ok && *p) {
        int ord = 0, sign = 1;
        if (*p == '-') sign = -1, p++;
        else if (*p == '+') p++;
        while (isdigit((unsigned char)*p)) ord = ord * 10 + (*p++ - '0');
        ord *= sign;
        const char *d = day_name(p);
        if (!d || (ord && !monthly) || (ord && !ordinal_name(ord))) {
            ok = 0;
            break;
        }
        size_t l = strlen(days);
        snprintf(days + l, sizeof days - l, "%s%s%s%s", count == 0 ? "" : count == total - 1 ? " en " : ", ",
                 ord ? ordinal_name(ord) : "", ord ? " " : "", d);
        count++;
        p += 2;
        if (*p == ',') p++;
    }
    hhmm(opens, o);
    hhmm(closes, c);
    if (*o && *c) snprintf(times, sizeof times, " van %s tot %s", o, c);
    else if (*o) snprintf(times, sizeof times, " vanaf %s", o);
    if (ok && every && weekly) snprintf(out, n, "Elke %s%s", days, times);
    else if (ok && every && monthly) snprintf(out, n, "Elke %s van de maand%s", days, times);
    else if (ok && weekly && strcmp(interval, "2") == 0) snprintf(out, n, "Om de week op %s%s", days, times);
    else if (*desc) snprintf(out, n, "%s", desc);
    else snprintf(out, n, "Zie de informatie van de organisatie");
}

/* "€ 5,00" from an HSDS amount "5.00" / "5" / "5.5"; "" when not a number. */
static void euros(const char *amount, char *out, size_t n)
{
    out[0] = '\0';
    long long whole = 0;
    int cents = 0, seen = 0;
    const char *p = amount;
    if (!*p) return;
    while (isdigit((unsigned char)*p) && whole < 100000000) whole = whole * 10 + (*p++ - '0'), seen = 1;
    if (*p == '.' || *p == ',') {
        int digits = 0;
        p++;
        while (isdigit((unsigned char)*p) && digits < 2) cents = cents * 10 + (*p++ - '0'), digits++, seen = 1;
        if (digits == 1) cents *= 10;
        while (isdigit((unsigned char)*p)) p++;
    }
    if (*p || !seen) return;
    if (whole == 0 && cents == 0) snprintf(out, n, "Gratis");
    else snprintf(out, n, "€ %lld,%02d", whole, cents);
}

json_t *referral_service(db_t *db, const char *gemeente, const char *service_id)
{
    db_stmt_t *st = db_prepare(db,
        "SELECT s.id, coalesce(s.name, ''), coalesce(s.description, ''), coalesce(s.organization_id, ''),"
        " coalesce(o.name, ''), coalesce(s.status, ''), l.hidden_at, coalesce(s.email, ''), coalesce(s.url, ''),"
        " coalesce(s.minimum_age, ''), coalesce(s.maximum_age, ''), coalesce(s.fees_description, ''),"
        " CASE WHEN o.id IS NULL THEN 0 ELSE 1 END"
        " FROM hsds_service s LEFT JOIN hsds_organization o ON o.id = s.organization_id"
        " LEFT JOIN listing l ON l.service_id = s.id WHERE s.id = ? AND s.gemeente = ?");
    db_bind_text(st, 1, service_id);
    db_bind_text(st, 2, gemeente);
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return NULL;
    }
    const char *status = db_col_text(st, 5);
    int hidden = !db_col_is_null(st, 6);
    int has_org = db_col_int(st, 12) == 1 && *db_col_text(st, 3);
    const char *why = NULL;
    if (hidden) why = "Deze dienst staat niet meer zichtbaar op de sociale kaart: de gegevens zijn niet op tijd bevestigd.";
    else if (strcmp(status, "inactive") == 0 || strcmp(status, "defunct") == 0)
        why = "Deze dienst is gestopt of niet actief. Kies een andere dienst.";
    else if (!has_org) why = "Bij deze dienst staat geen organisatie die verwijzingen kan ontvangen.";
    char ages[80] = "";
    int64_t mn = -1, mx = -1;
    if (*db_col_text(st, 9)) mn = atoll(db_col_text(st, 9));
    if (*db_col_text(st, 10)) mx = atoll(db_col_text(st, 10));
    if (mn > 0 && mx >= 0) snprintf(ages, sizeof ages, "Van %lld tot en met %lld jaar", (long long)mn, (long long)mx);
    else if (mn > 0) snprintf(ages, sizeof ages, "Vanaf %lld jaar", (long long)mn);
    else if (mx >= 0) snprintf(ages, sizeof ages, "Tot en met %lld jaar", (long long)mx);
    json_t *svc = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:b, s:b, s:o, s:s, s:s, s:s}",
        "id", db_col_text(st, 0), "name", db_col_text(st, 1), "description", db_col_text(st, 2),
        "organization_id", has_org ? json_string(db_col_text(st, 3)) : json_null(), "organization", db_col_text(st, 4),
        "status", status, "hidden", hidden, "referable", why == NULL, "why", why ? json_string(why) : json_null(),
        "email", db_col_text(st, 7), "url", db_col_text(st, 8), "ages", ages);
    char fees[400];
    snprintf(fees, sizeof fees, "%s", db_col_text(st, 11));
    db_done(st);

    /* address: the first physical address of a location of the service */
    st = db_prepare(db,
        "SELECT coalesce(a.address_1, ''), coalesce(a.postal_code, ''), coalesce(a.city, ''), coalesce(loc.name, '')"
        " FROM hsds_service_at_location sal JOIN hsds_location loc ON loc.id = sal.location_id"
        " LEFT JOIN hsds_address a ON a.location_id = loc.id WHERE sal.service_id = ?"
        " ORDER BY CASE WHEN a.address_type = 'physical' THEN 0 ELSE 1 END, sal.id, a.id LIMIT 1");
    db_bind_text(st, 1, service_id);
    char address[600] = "";
    if (db_step(st) == DB_ROW) {
        const char *street = db_col_text(st, 0), *pc = db_col_text(st, 1), *city = db_col_text(st, 2);
        char pcf[8] = "", norm[7];
        if (postcode_normalise(pc, norm) == 0) postcode_format(norm, pcf);
        else snprintf(pcf, sizeof pcf, "%.7s", pc);
        snprintf(address, sizeof address, "%s%s%s%s%s", street, *street && (*pcf || *city) ? ", " : "", pcf,
                 *pcf && *city ? " " : "", city);
        if (!*address) snprintf(address, sizeof address, "%s", db_col_text(st, 3));
    }
    db_done(st);
    json_object_set_new(svc, "address", json_string(address));

    /* when */
    json_t *when = json_array();
    st = db_prepare(db,
        "SELECT coalesce(freq, ''), coalesce(byday, ''), coalesce(\"interval\", ''), coalesce(opens_at, ''),"
        " coalesce(closes_at, ''), coalesce(description, '') FROM hsds_schedule WHERE service_id = ?"
        " OR service_at_location_id IN (SELECT id FROM hsds_service_at_location WHERE service_id = ?)"
        " ORDER BY id LIMIT 10");
    db_bind_text(st, 1, service_id);
    db_bind_text(st, 2, service_id);
    while (db_step(st) == DB_ROW) {
        char line[400];
        schedule_text(db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3),
                      db_col_text(st, 4), db_col_text(st, 5), line, sizeof line);
        json_array_append_new(when, json_string(line));
    }
    db_done(st);
    json_object_set_new(svc, "when", when);

    /* costs */
    json_t *costs = json_array();
    st = db_prepare(db,
        "SELECT coalesce(\"option\", ''), coalesce(amount, ''), coalesce(amount_description, '')"
        " FROM hsds_cost_option WHERE service_id = ? ORDER BY id LIMIT 5");
    db_bind_text(st, 1, service_id);
    while (db_step(st) == DB_ROW) {
        char eur[40], line[800];
        euros(db_col_text(st, 1), eur, sizeof eur);
        const char *opt = db_col_text(st, 0), *desc = db_col_text(st, 2);
        int free_ = strcmp(eur, "Gratis") == 0;
        if (free_) snprintf(line, sizeof line, "Gratis");
        else snprintf(line, sizeof line, "%s%s%s", eur, *eur && *opt ? ": " : "", opt);
        if (*desc && !(free_ && strcmp(desc, "Geen kosten") == 0)) {
            size_t l = strlen(line);
            snprintf(line + l, sizeof line - l, "%s%s", *line ? " (" : "", desc);
            if (l) {
                l = strlen(line);
                snprintf(line + l, sizeof line - l, ")");
            }
        }
        if (*line) json_array_append_new(costs, json_string(line));
    }
    db_done(st);
    if (json_array_size(costs) == 0)
        json_array_append_new(costs, json_string(*fees ? fees : "Niet bekend: vraag het de organisatie."));
    json_object_set_new(svc, "costs", costs);

    /* phone */
    st = db_prepare(db, "SELECT coalesce(\"number\", '') FROM hsds_phone WHERE service_id = ? ORDER BY id LIMIT 1");
    db_bind_text(st, 1, service_id);
    json_object_set_new(svc, "phone", json_string(db_step(st) == DB_ROW ? db_col_text(st, 0) : ""));
    db_done(st);
    return svc;
}

/* ---- checking a new referral ----------------------------------------------- */

/* What the check found, for the create step. */
struct facts {
    char person_name[700];
    char service_name[400];
    char organization[400];
    char org_id[80];
    int age;
    int duplicate; /* an open referral of the action to the service exists */
};

/* The check against body (the current plan body, may be NULL). */
static int check_in(db_t *db, const char *gemeente, int64_t household_id, const struct referral_in *in, day_t today,
                    json_t *body, json_t *errors, struct facts *f)
{
    int n = 0;
    memset(f, 0, sizeof *f);
    f->age = -1;
    /* the action */
    json_t *a = body && in->action_id > 0 ? plan_body_action(body, in->action_id) : NULL;
    if (!a) {
        set_err(errors, "action", "Deze actie staat niet (meer) in het plan.");
        n++;
    } else if (is(jstr(a, "status"), "gedaan") || is(jstr(a, "status"), "gestopt")) {
        set_err(errors, "action", "Deze actie is al gedaan of gestopt. Verwijs vanuit een actie die nog loopt.");
        n++;
    }
    /* the person */
    char t[11];
    day_format(today, t);
    int found_person = 0;
    if (in->person_id > 0) {
        db_stmt_t *st = db_prepare(db,
            "SELECT p.given_names, p.prefix, p.family_name, p.birth_date FROM household_member m"
            " JOIN person p ON p.id = m.person_id WHERE m.household_id = ? AND m.person_id = ? AND p.gemeente = ?"
            " AND (m.until IS NULL OR m.until >= ?)");
        db_bind_int(st, 1, household_id);
        db_bind_int(st, 2, in->person_id);
        db_bind_text(st, 3, gemeente);
        db_bind_text(st, 4, t);
        if (db_step(st) == DB_ROW) {
            found_person = 1;
            person_display_name(db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2), f->person_name,
                                sizeof f->person_name);
            f->age = db_col_is_null(st, 3) ? -1 : referral_age(db_col_text(st, 3), today);
        }
        db_done(st);
    }
    if (!found_person) {
        set_err(errors, "person", "Kies het gezinslid dat u verwijst.");
        n++;
    }
    /* the service */
    json_t *svc = in->service_id && *in->service_id ? referral_service(db, gemeente, in->service_id) : NULL;
    if (!svc) {
        set_err(errors, "service", "Deze dienst staat niet op de sociale kaart.");
        n++;
    } else if (!json_is_true(json_object_get(svc, "referable"))) {
        set_err(errors, "service", jstr(svc, "why"));
        n++;
    } else {
        snprintf(f->service_name, sizeof f->service_name, "%s", jstr(svc, "name"));
        snprintf(f->organization, sizeof f->organization, "%s", jstr(svc, "organization"));
        snprintf(f->org_id, sizeof f->org_id, "%s", jstr(svc, "organization_id"));
        if (a) {
            db_stmt_t *st = db_prepare(db,
                "SELECT count(*) FROM referral WHERE household_id = ? AND action_id = ? AND service_id = ?"
                " AND status IN ('verstuurd', 'contact', 'gestart')");
            db_bind_int(st, 1, household_id);
            db_bind_int(st, 2, in->action_id);
            db_bind_text(st, 3, in->service_id);
            int64_t open = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
            db_done(st);
            if (open > 0) {
                f->duplicate = 1;
                set_err(errors, "service", "Er loopt al een verwijzing van deze actie naar deze dienst.");
                n++;
            }
        }
    }
    json_decref(svc);
    /* consent */
    if (!referral_consent_by_label(in->consent_by)) {
        set_err(errors, "consent_by", "Kies wie de toestemming gaf.");
        n++;
    } else if (found_person) {
        const char *why = referral_consent_why(in->consent_by, f->age);
        if (why) {
            set_err(errors, "consent_by", why);
            n++;
        }
    }
    if (!referral_consent_how_label(in->consent_how)) {
        set_err(errors, "consent_how", "Kies hoe de toestemming is gegeven.");
        n++;
    }
    day_t d;
    if (!in->consent_on || !*in->consent_on) {
        set_err(errors, "consent_on", "Vul de datum in waarop de toestemming is gegeven.");
        n++;
    } else if (day_parse(in->consent_on, &d) != 0) {
        set_err(errors, "consent_on", "Vul een datum in als jjjj-mm-dd, bijvoorbeeld 2026-11-23.");
        n++;
    } else if (d > today) {
        set_err(errors, "consent_on", "De datum van de toestemming kan niet in de toekomst liggen.");
        n++;
    } else if (today - d > REF_CONSENT_MAX_DAYS) {
        set_err(errors, "consent_on", "Deze toestemming is meer dan een jaar oud. Vraag opnieuw toestemming.");
        n++;
    }
    if (!in->consent_confirmed) {
        set_err(errors, "consent", "Vink aan dat de inwoner toestemming gaf om deze gegevens te delen.");
        n++;
    }
    /* what is shared */
    char contact[4 * REF_CONTACT_MAX + 1];
    trim_copy(in->contact, contact, sizeof contact);
    const char *why = referral_contact_why(contact);
    if (utf8_chars(in->contact) > REF_CONTACT_MAX) why = "Gebruik hoogstens 200 tekens.";
    if (why) {
        set_err(errors, "contact", why);
        n++;
    } else if (referral_text_has_bsn(contact)) {
        set_err(errors, "contact", "Dit lijkt een BSN. Deel nooit een BSN met een organisatie.");
        n++;
    }
    if (utf8_chars(in->message) > REF_TEXT_MAX) {
        set_err(errors, "message", "Gebruik hoogstens 1000 tekens.");
        n++;
    } else if (referral_text_has_bsn(in->message)) {
        set_err(errors, "message", "Haal het BSN uit het bericht. Een organisatie op de sociale kaart krijgt nooit "
                                   "een BSN.");
        n++;
    }
    return n;
}

int referral_check(db_t *db, const char *gemeente, int64_t household_id, const struct referral_in *in, day_t today,
                   json_t *errors)
{
    int err = 0;
    json_t *body = current_body(db, household_id, &err);
    struct facts f;
    int n = check_in(db, gemeente, household_id, in, today, body, errors, &f);
    json_decref(body);
    return n;
}

/* ---- one change, with the plan action following ------------------------------ */

enum op_kind { OP_CREATE, OP_STATUS };

/* The referral row a status change works on. */
struct row {
    int64_t id, household_id, action_id;
    char status[16];
    char service_name[400];
};

struct op {
    enum op_kind kind;
    db_t *db;
    const char *gemeente;
    int64_t household_id, account_id, now;
    day_t today;
    json_t *errors;
    /* OP_CREATE */
    const struct referral_in *in;
    struct facts f;
    int64_t new_id;
    /* OP_STATUS */
    int64_t id;
    const struct referral_actor *who;
    const char *status;
    char reason[4 * REF_TEXT_MAX + 1];
    struct row r;
    /* results */
    int rc;    /* REF_* of the last prepare/write */
    int retry; /* plan mode found nothing to change in the plan */
};

/* Reads referral id in who's scope. 1 found, 0 not, -1 error. */
static int row_read(db_t *db, const char *gemeente, int64_t id, const struct referral_actor *who, struct row *r)
{
    memset(r, 0, sizeof *r);
    db_stmt_t *st = db_prepare(db,
        "SELECT id, household_id, action_id, status, service_name FROM referral WHERE id = ? AND gemeente = ?"
        " AND ((? = 1 AND organization_id = ?) OR (? <> 1 AND household_id = ?))");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, gemeente);
    db_bind_int(st, 3, who->side == REF_SIDE_ORG);
    db_bind_text(st, 4, who->org_id ? who->org_id : "");
    db_bind_int(st, 5, who->side == REF_SIDE_ORG);
    db_bind_int(st, 6, who->household_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        r->id = db_col_int(st, 0);
        r->household_id = db_col_int(st, 1);
        r->action_id = db_col_int(st, 2);
        snprintf(r->status, sizeof r->status, "%s", db_col_text(st, 3));
        snprintf(r->service_name, sizeof r->service_name, "%s", db_col_text(st, 4));
    }
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* The age of the referred person today, -1 when unknown. */
static int referred_age(db_t *db, int64_t id, day_t today, int64_t *person_id)
{
    db_stmt_t *st = db_prepare(db, "SELECT p.id, p.birth_date FROM referral r JOIN person p ON p.id = r.person_id"
                                   " WHERE r.id = ?");
    db_bind_int(st, 1, id);
    int age = -1;
    *person_id = 0;
    if (db_step(st) == DB_ROW) {
        *person_id = db_col_int(st, 0);
        age = db_col_is_null(st, 1) ? -1 : referral_age(db_col_text(st, 1), today);
    }
    db_done(st);
    return age;
}

/* Runs a count query with nargs integer parameters; -1 on error. */
static int64_t count_of(db_t *db, const char *sql, int nargs, int64_t a, int64_t b, int64_t c)
{
    db_stmt_t *st = db_prepare(db, sql);
    int64_t args[3] = {a, b, c};
    for (int i = 0; i < nargs && i < 3; i++) db_bind_int(st, i + 1, args[i]);
    int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    return n;
}

static void summary_of(const char *service, const char *status, char *summary, size_t n)
{
    char name[4 * 100 + 8];
    plan_text_clip(service, 100, name, sizeof name);
    snprintf(summary, n, "Verwijzing naar %s: %s", name, status_word(status));
}

/* Checks the change inside the write lock and applies what the plan action
 * must do to body (may be NULL: no plan), setting *changed. REF_* */
static int prepare(struct op *o, json_t *body, int *changed, char *summary, size_t n)
{
    *changed = 0;
    if (o->kind == OP_CREATE) {
        if (check_in(o->db, o->gemeente, o->household_id, o->in, o->today, body, o->errors, &o->f) > 0)
            return o->f.duplicate ? REF_E_DUPLICATE : REF_E_INVALID;
        json_t *a = plan_body_action(body, o->in->action_id);
        summary_of(o->f.service_name, "verstuurd", summary, n);
        if (!*jstr(a, "carrier_name")) {
            char name[1000], clipped[4 * PLAN_NAME_MAX + 8];
            if (*o->f.organization && strcmp(o->f.organization, o->f.service_name) != 0)
                snprintf(name, sizeof name, "%s (%s)", o->f.service_name, o->f.organization);
            else
                snprintf(name, sizeof name, "%s", o->f.service_name);
            plan_text_clip(name, PLAN_NAME_MAX, clipped, sizeof clipped);
            json_object_set_new(a, "carrier_name", json_string(clipped));
            *changed = 1;
        }
        return REF_OK;
    }
    /* OP_STATUS */
    int found = row_read(o->db, o->gemeente, o->id, o->who, &o->r);
    if (found < 0) return REF_E_DB;
    if (!found || o->r.household_id != o->household_id) return REF_E_NOT_FOUND;
    if (o->who->side == REF_SIDE_RESIDENT) {
        int64_t person = 0;
        int age = referred_age(o->db, o->id, o->today, &person);
        if (!referral_resident_may(o->who->person_id, person, age)) return REF_E_NOT_FOUND;
    }
    int forbidden = 0;
    const char *why = referral_transition_why(o->r.status, o->status, o->who->side, &forbidden);
    if (why) {
        set_err(o->errors, "status", why);
        return forbidden ? REF_E_FORBIDDEN : REF_E_STATE;
    }
    if (is(o->status, "afgewezen") && !*o->reason) {
        set_err(o->errors, "reason", "Schrijf op waarom de verwijzing is afgewezen. De inwoner en de regisseur zien "
                                     "de reden.");
        return REF_E_INVALID;
    }
    if (utf8_chars(o->reason) > REF_TEXT_MAX) {
        set_err(o->errors, "reason", "Gebruik hoogstens 1000 tekens.");
        return REF_E_INVALID;
    }
    if (referral_text_has_bsn(o->reason)) {
        set_err(o->errors, "reason", "Haal het BSN uit de toelichting.");
        return REF_E_INVALID;
    }
    summary_of(o->r.service_name, o->status, summary, n);
    json_t *a = body ? plan_body_action(body, o->r.action_id) : NULL;
    if (!a) return REF_OK;
    const char *st = jstr(a, "status");
    const char *to = NULL;
    if (is(o->status, "gestart") && is(st, "open")) {
        to = "bezig";
    } else if (is(o->status, "beeindigd") && (is(st, "open") || is(st, "bezig"))) {
        int64_t others = count_of(o->db,
            "SELECT count(*) FROM referral WHERE household_id = ? AND action_id = ? AND id <> ?"
            " AND status IN ('verstuurd', 'contact', 'gestart')", 3, o->household_id, o->r.action_id, o->id);
        if (others < 0) return REF_E_DB;
        if (others == 0) to = "gedaan";
    } else if (is(o->status, "ingetrokken") && is(o->r.status, "gestart") && is(st, "bezig")) {
        int64_t made = count_of(o->db,
            "SELECT count(*) FROM referral_event WHERE referral_id = ? AND status = 'gestart'"
            " AND plan_version IS NOT NULL", 1, o->id, 0, 0);
        int64_t others = count_of(o->db,
            "SELECT count(*) FROM referral WHERE household_id = ? AND action_id = ? AND id <> ?"
            " AND status = 'gestart'", 3, o->household_id, o->r.action_id, o->id);
        if (made < 0 || others < 0) return REF_E_DB;
        if (made > 0 && others == 0) to = "open";
    }
    if (to) {
        char ignored[PLAN_SUMMARY_MAX];
        if (plan_body_set_status(body, o->r.action_id, to, ignored, sizeof ignored) == PLAN_OK) *changed = 1;
    }
    return REF_OK;
}

static int64_t insert_event(db_t *db, int64_t referral_id, const char *status, const char *reason, int64_t account_id,
                            int64_t now, int plan_version)
{
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO referral_event (referral_id, status, reason, by_account, at, plan_version)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_int(st, 1, referral_id);
    db_bind_text(st, 2, status);
    db_bind_text(st, 3, reason);
    if (account_id > 0) db_bind_int(st, 4, account_id); else db_bind_null(st, 4);
    db_bind_int(st, 5, now);
    if (plan_version > 0) db_bind_int(st, 6, plan_version); else db_bind_null(st, 6);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return id;
}

/* Writes the referral's change (inside the transaction). REF_* */
static int op_write(struct op *o, int plan_version)
{
    db_t *db = o->db;
    if (o->kind == OP_CREATE) {
        const struct referral_in *in = o->in;
        char contact[4 * REF_CONTACT_MAX + 1], message[4 * REF_TEXT_MAX + 1], consent_on[11];
        trim_copy(in->contact, contact, sizeof contact);
        trim_copy(in->message, message, sizeof message);
        trim_copy(in->consent_on, consent_on, sizeof consent_on);
        db_stmt_t *st = db_prepare(db,
            "INSERT INTO referral (gemeente, household_id, action_id, person_id, service_id, organization_id,"
            " service_name, consent_by, consent_how, consent_on, consent_recorded_by, shared_name, shared_contact,"
            " message, status, reason, status_at, status_by, created_by, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'verstuurd', '', ?, ?, ?, ?, ?) RETURNING id");
        db_bind_text(st, 1, o->gemeente);
        db_bind_int(st, 2, o->household_id);
        db_bind_int(st, 3, in->action_id);
        db_bind_int(st, 4, in->person_id);
        db_bind_text(st, 5, in->service_id);
        db_bind_text(st, 6, o->f.org_id);
        db_bind_text(st, 7, o->f.service_name);
        db_bind_text(st, 8, in->consent_by);
        db_bind_text(st, 9, in->consent_how);
        db_bind_text(st, 10, consent_on);
        if (o->account_id > 0) db_bind_int(st, 11, o->account_id); else db_bind_null(st, 11);
        db_bind_text(st, 12, o->f.person_name);
        db_bind_text(st, 13, contact);
        db_bind_text(st, 14, message);
        db_bind_int(st, 15, o->now);
        if (o->account_id > 0) db_bind_int(st, 16, o->account_id); else db_bind_null(st, 16);
        if (o->account_id > 0) db_bind_int(st, 17, o->account_id); else db_bind_null(st, 17);
        db_bind_int(st, 18, o->now);
        db_bind_int(st, 19, o->now);
        o->new_id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
        db_done(st);
        if (o->new_id <= 0) return REF_E_DB;
        return insert_event(db, o->new_id, "verstuurd", "", o->account_id, o->now, plan_version) > 0 ? REF_OK
                                                                                                     : REF_E_DB;
    }
    db_stmt_t *st = db_prepare(db,
        "UPDATE referral SET status = ?, reason = ?, status_at = ?, status_by = ?, reminded_at = NULL, updated_at = ?"
        " WHERE id = ? AND status = ?");
    db_bind_text(st, 1, o->status);
    db_bind_text(st, 2, o->reason);
    db_bind_int(st, 3, o->now);
    if (o->account_id > 0) db_bind_int(st, 4, o->account_id); else db_bind_null(st, 4);
    db_bind_int(st, 5, o->now);
    db_bind_int(st, 6, o->id);
    db_bind_text(st, 7, o->r.status);
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE || db_changes(db) != 1) return REF_E_DB;
    return insert_event(db, o->id, o->status, o->reason, o->account_id, o->now, plan_version) > 0 ? REF_OK : REF_E_DB;
}

/* Inside plan_change: the same check and change, then the referral's write
 * with the version this change becomes. */
static int plan_fn(json_t *body, void *arg, char *summary, size_t n)
{
    struct op *o = arg;
    int changed = 0;
    o->rc = prepare(o, body, &changed, summary, n);
    if (o->rc != REF_OK) return o->rc == REF_E_DB ? PLAN_E_DB : PLAN_E_INVALID;
    if (!changed) { /* the plan moved on since the first look: do it without a plan version */
        o->retry = 1;
        return PLAN_E_UNCHANGED;
    }
    /* the version this change becomes: plan_change holds the write lock */
    db_stmt_t *st = db_prepare(o->db, "SELECT current_version FROM plan WHERE household_id = ?");
    db_bind_int(st, 1, o->household_id);
    int version = db_step(st) == DB_ROW ? (int)db_col_int(st, 0) + 1 : 0;
    db_done(st);
    if (version <= 0) {
        o->rc = REF_E_DB;
        return PLAN_E_DB;
    }
    o->rc = op_write(o, version);
    return o->rc == REF_OK ? PLAN_OK : PLAN_E_DB;
}

/* Runs o: one transaction without a plan version when the plan action stays
 * as it is, else one plan_change. REF_* with *plan_version set. */
static int run(struct op *o, int *plan_version)
{
    *plan_version = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
        o->retry = 0;
        if (db_begin(o->db) != DB_OK) return REF_E_DB;
        int err = 0;
        json_t *body = current_body(o->db, o->household_id, &err);
        if (err) {
            db_rollback(o->db);
            return REF_E_DB;
        }
        int changed = 0;
        char summary[PLAN_SUMMARY_MAX];
        o->rc = prepare(o, body, &changed, summary, sizeof summary);
        json_decref(body);
        if (o->rc != REF_OK) {
            db_rollback(o->db);
            return o->rc;
        }
        if (!changed) {
            o->rc = op_write(o, 0);
            if (o->rc == REF_OK && db_commit(o->db) == DB_OK) return REF_OK;
            db_rollback(o->db);
            return o->rc != REF_OK ? o->rc : REF_E_DB;
        }
        db_rollback(o->db);
        int v = plan_change(o->db, o->gemeente, o->household_id, o->account_id, o->now, plan_fn, o);
        if (v > 0) {
            *plan_version = v;
            return REF_OK;
        }
        if (!o->retry) return o->rc != REF_OK ? o->rc : REF_E_DB;
    }
    return REF_E_DB;
}

int64_t referral_create(db_t *db, const char *gemeente, int64_t household_id, const struct referral_in *in,
                        int64_t account_id, int64_t now, json_t *errors, int *plan_version)
{
    struct op *o = calloc(1, sizeof *o);
    if (!o) abort();
    *o = (struct op){.kind = OP_CREATE, .db = db, .gemeente = gemeente, .household_id = household_id,
                     .account_id = account_id, .now = now, .today = day_today_amsterdam(now), .errors = errors,
                     .in = in};
    int v = 0;
    int rc = run(o, &v);
    int64_t id = rc == REF_OK ? o->new_id : rc;
    free(o);
    if (plan_version) *plan_version = v;
    return id;
}

int referral_set_status(db_t *db, const char *gemeente, int64_t id, const struct referral_actor *who,
                        const char *status, const char *reason, int64_t now, json_t *errors, int *plan_version)
{
    if (plan_version) *plan_version = 0;
    struct row r;
    int found = row_read(db, gemeente, id, who, &r);
    if (found < 0) return REF_E_DB;
    if (!found) return REF_E_NOT_FOUND;
    struct op *o = calloc(1, sizeof *o);
    if (!o) abort();
    *o = (struct op){.kind = OP_STATUS, .db = db, .gemeente = gemeente, .household_id = r.household_id,
                     .account_id = who->account_id, .now = now, .today = day_today_amsterdam(now),
                     .errors = errors, .id = id, .who = who, .status = status};
    trim_copy(reason, o->reason, sizeof o->reason);
    int v = 0;
    int rc = run(o, &v);
    free(o);
    if (plan_version) *plan_version = v;
    return rc;
}

/* ---- reading ------------------------------------------------------------------ */

static json_t *int_or_null(db_stmt_t *st, int col)
{
    return db_col_is_null(st, col) ? json_null() : json_integer(db_col_int(st, col));
}

/* The events of a referral, oldest first; with_names: the display names of
 * who changed it (staff views), else "". */
static json_t *events_of(db_t *db, int64_t id, int with_names)
{
    json_t *list = json_array();
    db_stmt_t *st = db_prepare(db,
        "SELECT e.status, e.reason, coalesce(a.display_name, ''), coalesce(a.role, ''), e.at, e.plan_version"
        " FROM referral_event e LEFT JOIN account a ON a.id = e.by_account WHERE e.referral_id = ?"
        " ORDER BY e.at, e.id");
    db_bind_int(st, 1, id);
    while (db_step(st) == DB_ROW) {
        const char *role = db_col_text(st, 3);
        const char *side = !*role ? ""
                         : strcmp(role, "resident") == 0 ? "resident"
                         : strcmp(role, "community") == 0 || strcmp(role, "provider") == 0 ? "org"
                                                                                              : "staff";
        const char *s = db_col_text(st, 0);
        json_t *e = json_pack("{s:s, s:s, s:s, s:s, s:I}", "status", s, "status_label",
                              referral_status_label(s) ? referral_status_label(s) : s, "reason", db_col_text(st, 1),
                              "by_side", side, "at", (json_int_t)db_col_int(st, 4));
        if (with_names) {
            json_object_set_new(e, "by", json_string(db_col_text(st, 2)));
            json_object_set_new(e, "plan_version", int_or_null(st, 5));
        }
        json_array_append_new(list, e);
    }
    db_done(st);
    return list;
}

#define FULL_COLS                                                                                                   \
    "r.id, r.household_id, r.action_id, r.person_id, p.birth_date, r.service_id, r.organization_id,"               \
    " coalesce(o.name, ''), r.service_name, r.consent_by, r.consent_how, r.consent_on,"                            \
    " coalesce(ca.display_name, ''), r.shared_name, r.shared_contact, r.message, r.status, r.reason, r.status_at," \
    " r.reminded_at, r.created_at, coalesce(cb.display_name, '')"
#define FULL_FROM                                                                                                   \
    " FROM referral r JOIN person p ON p.id = r.person_id"                                                         \
    " LEFT JOIN hsds_organization o ON o.id = r.organization_id"                                                   \
    " LEFT JOIN account ca ON ca.id = r.consent_recorded_by LEFT JOIN account cb ON cb.id = r.created_by"

static json_t *full_row(db_stmt_t *st, day_t today)
{
    const char *status = db_col_text(st, 16), *by = db_col_text(st, 9), *how = db_col_text(st, 10);
    json_t *r = json_pack("{s:I, s:I, s:I, s:I, s:i, s:s, s:s, s:s, s:s}",
        "id", (json_int_t)db_col_int(st, 0), "household_id", (json_int_t)db_col_int(st, 1),
        "action_id", (json_int_t)db_col_int(st, 2), "person_id", (json_int_t)db_col_int(st, 3),
        "person_age", db_col_is_null(st, 4) ? -1 : referral_age(db_col_text(st, 4), today),
        "service_id", db_col_text(st, 5), "organization_id", db_col_text(st, 6), "organization", db_col_text(st, 7),
        "service_name", db_col_text(st, 8));
    json_object_set_new(r, "consent_by", json_string(by));
    json_object_set_new(r, "consent_by_label", json_string(referral_consent_by_label(by) ? referral_consent_by_label(by) : by));
    json_object_set_new(r, "consent_how", json_string(how));
    json_object_set_new(r, "consent_how_label",
                        json_string(referral_consent_how_label(how) ? referral_consent_how_label(how) : how));
    json_object_set_new(r, "consent_on", json_string(db_col_text(st, 11)));
    json_object_set_new(r, "consent_recorded_by", json_string(db_col_text(st, 12)));
    json_object_set_new(r, "shared_name", json_string(db_col_text(st, 13)));
    json_object_set_new(r, "shared_contact", json_string(db_col_text(st, 14)));
    json_object_set_new(r, "message", json_string(db_col_text(st, 15)));
    json_object_set_new(r, "status", json_string(status));
    json_object_set_new(r, "status_label",
                        json_string(referral_status_label(status) ? referral_status_label(status) : status));
    json_object_set_new(r, "open", json_boolean(referral_status_open(status)));
    json_object_set_new(r, "reason", json_string(db_col_text(st, 17)));
    json_object_set_new(r, "status_at", json_integer(db_col_int(st, 18)));
    json_object_set_new(r, "reminded_at", int_or_null(st, 19));
    json_object_set_new(r, "created_at", json_integer(db_col_int(st, 20)));
    json_object_set_new(r, "created_by", json_string(db_col_text(st, 21)));
    return r;
}

json_t *referral_get(db_t *db, const char *gemeente, int64_t household_id, int64_t id)
{
    db_stmt_t *st = db_prepare(db, "SELECT " FULL_COLS FULL_FROM " WHERE r.id = ? AND r.household_id = ?"
                                   " AND r.gemeente = ?");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, household_id);
    db_bind_text(st, 3, gemeente);
    json_t *r = db_step(st) == DB_ROW ? full_row(st, day_today_amsterdam(now_s())) : NULL;
    db_done(st);
    if (r) json_object_set_new(r, "events", events_of(db, id, 1));
    return r;
}

json_t *referral_list(db_t *db, const char *gemeente, int64_t household_id)
{
    db_stmt_t *st = db_prepare(db, "SELECT " FULL_COLS FULL_FROM " WHERE r.household_id = ? AND r.gemeente = ?"
                                   " ORDER BY r.id DESC");
    db_bind_int(st, 1, household_id);
    db_bind_text(st, 2, gemeente);
    json_t *list = json_array();
    day_t today = day_today_amsterdam(now_s());
    int rc;
    while ((rc = db_step(st)) == DB_ROW) json_array_append_new(list, full_row(st, today));
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

#define ORG_COLS                                                                                                   \
    "r.id, r.service_id, r.service_name, r.shared_name, r.shared_contact, r.message, r.consent_on, r.status,"     \
    " r.reason, r.status_at, r.reminded_at, r.created_at"

static json_t *org_row(db_stmt_t *st, int with_message)
{
    const char *status = db_col_text(st, 7);
    json_t *r = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:I, s:o, s:I}",
        "id", (json_int_t)db_col_int(st, 0), "service_id", db_col_text(st, 1), "service_name", db_col_text(st, 2),
        "shared_name", db_col_text(st, 3), "shared_contact", db_col_text(st, 4), "consent_on", db_col_text(st, 6),
        "status", status, "status_label", referral_status_label(status) ? referral_status_label(status) : status,
        "open", referral_status_open(status), "reason", db_col_text(st, 8), "status_at",
        (json_int_t)db_col_int(st, 9), "reminded_at", int_or_null(st, 10), "created_at",
        (json_int_t)db_col_int(st, 11));
    if (with_message) json_object_set_new(r, "message", json_string(db_col_text(st, 5)));
    return r;
}

json_t *referral_org_get(db_t *db, const char *gemeente, const char *org_id, int64_t id)
{
    if (!org_id || !*org_id) return NULL;
    db_stmt_t *st = db_prepare(db, "SELECT " ORG_COLS " FROM referral r WHERE r.id = ? AND r.gemeente = ?"
                                   " AND r.organization_id = ?");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, gemeente);
    db_bind_text(st, 3, org_id);
    json_t *r = db_step(st) == DB_ROW ? org_row(st, 1) : NULL;
    db_done(st);
    if (r) json_object_set_new(r, "events", events_of(db, id, 0));
    return r;
}

json_t *referral_inbox(db_t *db, const char *gemeente, const char *org_id, int limit)
{
    json_t *counts = json_object();
    for (int i = 0; i < COUNT(statuses); i++) json_object_set_new(counts, statuses[i].code, json_integer(0));
    db_stmt_t *st = db_prepare(db, "SELECT status, count(*) FROM referral WHERE gemeente = ? AND organization_id = ?"
                                   " GROUP BY status");
    db_bind_text(st, 1, gemeente);
    db_bind_text(st, 2, org_id);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        if (referral_status_label(db_col_text(st, 0)))
            json_object_set_new(counts, db_col_text(st, 0), json_integer(db_col_int(st, 1)));
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(counts);
        return NULL;
    }
    st = db_prepare(db,
        "SELECT " ORG_COLS " FROM referral r WHERE r.gemeente = ? AND r.organization_id = ?"
        " ORDER BY CASE WHEN r.status IN ('verstuurd', 'contact', 'gestart') THEN 0 ELSE 1 END,"
        " CASE WHEN r.status IN ('verstuurd', 'contact', 'gestart') THEN r.status_at ELSE -r.status_at END, r.id"
        " LIMIT ?");
    db_bind_text(st, 1, gemeente);
    db_bind_text(st, 2, org_id);
    db_bind_int(st, 3, limit);
    json_t *list = json_array();
    while ((rc = db_step(st)) == DB_ROW) json_array_append_new(list, org_row(st, 0));
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(list);
        json_decref(counts);
        return NULL;
    }
    return json_pack("{s:o, s:o}", "referrals", list, "counts", counts);
}

/* ---- reminders ------------------------------------------------------------------ */

int referral_reminder_run(db_t *db, int64_t now, int days, char *detail, size_t n)
{
    if (days < 1) days = 1;
    int64_t before = now - (int64_t)days * 86400;
    if (db_begin(db) != DB_OK) {
        snprintf(detail, n, "database busy");
        return -1;
    }
    db_stmt_t *st = db_prepare(db,
        "UPDATE referral SET reminded_at = ? WHERE id IN (SELECT id FROM referral"
        " WHERE status IN ('verstuurd', 'contact') AND status_at < ? AND (reminded_at IS NULL OR reminded_at < status_at)"
        " ORDER BY status_at, id LIMIT ?)");
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, before);
    db_bind_int(st, 3, REMINDER_SLICE);
    int rc = db_step(st);
    db_done(st);
    int64_t marked = db_changes(db);
    if (rc != DB_DONE || db_commit(db) != DB_OK) {
        db_rollback(db);
        snprintf(detail, n, "database error");
        return -1;
    }
    snprintf(detail, n, "%lld referral%s marked for a reminder (no update for %d days)", (long long)marked,
             marked == 1 ? "" : "s", days);
    return 0;
}
