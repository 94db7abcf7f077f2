/* listing.c - listings of the sociale kaart that stay current: owner, claims,
 * confirmation, edits with a change log, and the currency job (see
 * listing.h). */
#include "domain/listing.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth/policy.h"
#include "core/buf.h"
#include "core/fold.h"
#include "core/util.h"
#include "domain/schedule.h"
#include "domain/search.h"
#include "http/parse.h"

/* ---- small helpers ------------------------------------------------------------ */

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static int blank(const char *s)
{
    for (; s && *s; s++)
        if (!isspace((unsigned char)*s)) return 0;
    return 1;
}

static size_t chars(const char *s)
{
    return s ? utf8_len(s, strlen(s)) : 0;
}

/* A malloc'd copy of s without leading and trailing white space, with CR LF
 * and lone CR turned into LF (textareas send CR LF). */
static char *clean(const char *s)
{
    s = or_empty(s);
    while (isspace((unsigned char)*s)) s++;
    size_t len = strlen(s);
    while (len > 0 && isspace((unsigned char)s[len - 1])) len--;
    char *out = xcalloc(len + 1, 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\r') {
            out[o++] = '\n';
            if (i + 1 < len && s[i + 1] == '\n') i++;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return out;
}

static void err(json_t *errors, const char *field, const char *msg, int *n)
{
    if (errors && !json_object_get(errors, field)) json_object_set_new(errors, field, json_string(msg));
    (*n)++;
}

/* "YYYY-MM-DDTHH:MM:SSZ" of unix seconds (UTC). out: 21 bytes. */
static void iso_utc(int64_t t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int exec_done(db_stmt_t *st)
{
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}

/* ---- pure rules ------------------------------------------------------------ */

day_t listing_months_before(day_t day, int months)
{
    int y, m, d;
    day_to_ymd(day, &y, &m, &d);
    if (months < 0) months = 0;
    int total = y * 12 + (m - 1) - months;
    int ny = total / 12, nm = total % 12 + 1;
    day_t first = day_from_ymd(ny, nm, 1);
    day_t last = day_from_ymd(nm == 12 ? ny + 1 : ny, nm == 12 ? 1 : nm + 1, 1) - 1;
    day_t want = first + (d - 1);
    return want > last ? last : want;
}

int listing_effective_day(const char *assured_date, int64_t seen_at, day_t *out)
{
    const char *a = or_empty(assured_date);
    size_t len = strlen(a);
    if (len >= 10 && (len == 10 || a[10] == 'T' || a[10] == 't' || a[10] == ' ')) {
        char date[11];
        memcpy(date, a, 10);
        date[10] = '\0';
        if (day_parse(date, out) == 0) return 1;
    }
    *out = day_today_amsterdam(seen_at);
    return 0;
}

enum listing_state listing_state_for(day_t eff, day_t today, int flag_months, int hide_months)
{
    if (eff < listing_months_before(today, hide_months)) return LISTING_HIDDEN;
    if (eff < listing_months_before(today, flag_months)) return LISTING_FLAGGED;
    return LISTING_CURRENT;
}

static pthread_mutex_t g_uuid_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t g_uuid_ms = -1;
static unsigned g_uuid_seq;

void listing_uuid(int64_t now, char out[37])
{
    int64_t ms = now_ms();
    if (ms / 1000 > now + 300 || ms / 1000 < now - 300) ms = now * 1000; /* a test's or a job's own clock */
    unsigned char b[16];
    rand_bytes(b, sizeof b);
    pthread_mutex_lock(&g_uuid_mu);
    unsigned seq;
    if (ms <= g_uuid_ms) { /* same millisecond (or the clock went back): count on */
        ms = g_uuid_ms;
        seq = ++g_uuid_seq;
        if (seq > 0xFFF) {
            ms++;
            seq = g_uuid_seq = 0;
        }
    } else {
        seq = g_uuid_seq = 0;
    }
    g_uuid_ms = ms;
    pthread_mutex_unlock(&g_uuid_mu);
    for (int i = 0; i < 6; i++) b[i] = (unsigned char)((uint64_t)ms >> (8 * (5 - i)));
    b[6] = (unsigned char)(0x70 | ((seq >> 8) & 0x0F)); /* version 7, rand_a = sequence */
    b[7] = (unsigned char)(seq & 0xFF);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* variant 10 */
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o] = '\0';
}

int64_t listing_uuid_ms(const char *id)
{
    if (!id || strlen(id) != 36 || id[8] != '-' || id[13] != '-' || id[14] != '7') return -1;
    int64_t ms = 0;
    for (int i = 0; i < 13; i++) {
        if (i == 8) continue;
        int c = tolower((unsigned char)id[i]);
        int v = isdigit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
        if (v < 0) return -1;
        ms = ms * 16 + v;
    }
    return ms;
}

/* ---- the change log ------------------------------------------------------------ */

struct logctx {
    db_t *db;
    const char *gemeente;
    const char *by;
    int64_t now;
    char date[11]; /* Amsterdam date of now */
};

static void logctx_init(struct logctx *c, db_t *db, const char *gemeente, const char *by, int64_t now)
{
    c->db = db;
    c->gemeente = gemeente;
    c->by = by;
    c->now = now;
    day_format(day_today_amsterdam(now), c->date);
}

/* One hsds_metadata row. 0 or -1. */
static int meta_put(const struct logctx *c, const char *resource_id, const char *resource_type, const char *action,
                    const char *field, const char *prev, const char *repl)
{
    char id[37];
    listing_uuid(c->now, id);
    db_stmt_t *st = db_prepare(c->db,
        "INSERT INTO hsds_metadata (id, gemeente, resource_id, resource_type, last_action_date, last_action_type,"
        " field_name, previous_value, replacement_value, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, c->gemeente);
    db_bind_text(st, 3, resource_id);
    db_bind_text(st, 4, resource_type);
    db_bind_text(st, 5, c->date);
    db_bind_text(st, 6, action);
    db_bind_text(st, 7, field);
    db_bind_text(st, 8, *or_empty(prev) ? prev : LISTING_NO_VALUE);
    db_bind_text(st, 9, *or_empty(repl) ? repl : LISTING_NO_VALUE);
    db_bind_text(st, 10, c->by);
    return exec_done(st);
}

/* ---- who acts and who owns ---------------------------------------------------------- */

int listing_actor_load(db_t *db, const char *gemeente, int64_t account_id, int as_org, struct listing_actor *out)
{
    memset(out, 0, sizeof *out);
    db_stmt_t *st = db_prepare(db, "SELECT username, email FROM account WHERE id = ? AND gemeente = ?");
    db_bind_int(st, 1, account_id);
    db_bind_text(st, 2, gemeente);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->account_id = account_id;
        snprintf(out->username, sizeof out->username, "%s", db_col_text(st, 0));
        snprintf(out->email, sizeof out->email, "%s", db_col_text(st, 1));
    }
    db_done(st);
    if (rc != DB_ROW) return rc == DB_DONE ? LST_E_NOT_FOUND : LST_E_DB;
    if (!as_org) return LST_OK;
    int found = orgmember_org(db, account_id, out->org_id, NULL, 0);
    return found == 1 ? LST_OK : found == 0 ? LST_E_NOT_FOUND : LST_E_DB;
}

#define OWNER_IS_ORG                                                                                   \
    "CASE WHEN EXISTS (SELECT 1 FROM org_member m WHERE m.organization_id = s.organization_id"         \
    " AND m.gemeente = s.gemeente AND m.status = 'goedgekeurd') THEN 1 ELSE 0 END"

int listing_owner(db_t *db, const char *gemeente, const char *service_id, struct listing_owner *out)
{
    memset(out, 0, sizeof *out);
    db_stmt_t *st = db_prepare(db, "SELECT COALESCE(s.organization_id, ''), COALESCE(o.name, ''), " OWNER_IS_ORG
                                   " FROM hsds_service s LEFT JOIN hsds_organization o ON o.id = s.organization_id"
                                   " WHERE s.id = ? AND s.gemeente = ?");
    db_bind_text(st, 1, service_id);
    db_bind_text(st, 2, gemeente);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        snprintf(out->org_id, sizeof out->org_id, "%s", db_col_text(st, 0));
        snprintf(out->org_name, sizeof out->org_name, "%s", db_col_text(st, 1));
        out->is_org = db_col_int(st, 2) != 0;
    }
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int listing_may_maintain(db_t *db, const char *gemeente, const struct listing_actor *a, const char *service_id)
{
    struct listing_owner o;
    int rc = listing_owner(db, gemeente, service_id, &o);
    if (rc < 0) return LST_E_DB;
    if (rc == 0) return LST_E_NOT_FOUND;
    if (a->org_id[0]) return strcmp(o.org_id, a->org_id) == 0 ? LST_OK : LST_E_NOT_FOUND;
    return o.is_org ? LST_E_STATE : LST_OK;
}

/* ---- claims ---------------------------------------------------------------------------- */

json_t *listing_claim_get(db_t *db, const char *gemeente, int64_t account_id)
{
    db_stmt_t *st = db_prepare(db, "SELECT m.status, m.organization_id, COALESCE(o.name, ''), m.motivation, m.reason,"
                                   " m.created_at, m.decided_at FROM org_member m"
                                   " LEFT JOIN hsds_organization o ON o.id = m.organization_id"
                                   " WHERE m.account_id = ? AND m.gemeente = ?");
    db_bind_int(st, 1, account_id);
    db_bind_text(st, 2, gemeente);
    json_t *o = NULL;
    if (db_step(st) == DB_ROW)
        o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:o}", "status", db_col_text(st, 0), "organization_id",
                      db_col_text(st, 1), "organization_name", db_col_text(st, 2), "motivation", db_col_text(st, 3),
                      "reason", db_col_text(st, 4), "created_at", (json_int_t)db_col_int(st, 5), "decided_at",
                      db_col_is_null(st, 6) ? json_null() : json_integer(db_col_int(st, 6)));
    db_done(st);
    return o;
}

int listing_claim(db_t *db, const char *gemeente, int64_t account_id, const char *org_id, const char *motivation,
                  int64_t now, json_t *errors)
{
    int n = 0;
    char *mot = clean(motivation);
    if (!*mot) err(errors, "motivation", "Schrijf waarom u namens deze organisatie spreekt.", &n);
    else if (chars(mot) > LISTING_MOTIVATION_MAX)
        err(errors, "motivation", "De toelichting is te lang (hoogstens 1000 tekens).", &n);
    if (blank(org_id)) err(errors, "organization", "Kies de organisatie waarvoor u spreekt.", &n);
    if (db_begin(db) != DB_OK) {
        free(mot);
        return LST_E_DB;
    }
    int rc = LST_OK;
    db_stmt_t *st = db_prepare(db, "SELECT a.role, m.status FROM account a LEFT JOIN org_member m ON m.account_id = a.id"
                                   " WHERE a.id = ? AND a.gemeente = ?");
    db_bind_int(st, 1, account_id);
    db_bind_text(st, 2, gemeente);
    int step = db_step(st);
    if (step == DB_ROW) {
        const char *status = db_col_text(st, 1);
        if (!policy_may(role_from_code(db_col_text(st, 0)), CAP_ORG)) rc = LST_E_NOT_FOUND;
        else if (strcmp(status, "aangevraagd") == 0 || strcmp(status, "goedgekeurd") == 0) rc = LST_E_STATE;
    } else {
        rc = step == DB_DONE ? LST_E_NOT_FOUND : LST_E_DB;
    }
    db_done(st);
    if (rc == LST_OK && !blank(org_id)) {
        st = db_prepare(db, "SELECT 1 FROM hsds_organization WHERE id = ? AND gemeente = ?");
        db_bind_text(st, 1, org_id);
        db_bind_text(st, 2, gemeente);
        step = db_step(st);
        db_done(st);
        if (step == DB_DONE)
            err(errors, "organization",
                "Deze organisatie staat niet op de sociale kaart van de gemeente. Zoek opnieuw en kies er een uit de lijst.",
                &n);
        else if (step != DB_ROW) rc = LST_E_DB;
    }
    if (rc == LST_OK && n) rc = LST_E_INVALID;
    if (rc == LST_OK) {
        st = db_prepare(db, "INSERT INTO org_member (account_id, gemeente, organization_id, status, motivation,"
                            " created_at, updated_at) VALUES (?, ?, ?, 'aangevraagd', ?, ?, ?)"
                            " ON CONFLICT (account_id) DO UPDATE SET organization_id = excluded.organization_id,"
                            " status = 'aangevraagd', motivation = excluded.motivation, decided_by = NULL,"
                            " decided_at = NULL, reason = '', created_at = excluded.created_at,"
                            " updated_at = excluded.updated_at");
        db_bind_int(st, 1, account_id);
        db_bind_text(st, 2, gemeente);
        db_bind_text(st, 3, org_id);
        db_bind_text(st, 4, mot);
        db_bind_int(st, 5, now);
        db_bind_int(st, 6, now);
        if (exec_done(st) != 0) rc = LST_E_DB;
    }
    free(mot);
    if (rc == LST_OK && db_commit(db) == DB_OK) return LST_OK;
    db_rollback(db);
    return rc == LST_OK ? LST_E_DB : rc;
}

int listing_claim_decide(db_t *db, const char *gemeente, int64_t member_id, int64_t decided_by, int approve,
                         const char *reason, int64_t now, json_t *errors)
{
    int n = 0;
    char *why = clean(reason);
    if (!approve && !*why) err(errors, "reason", "Schrijf de reden van de afwijzing. De aanvrager ziet die.", &n);
    else if (!approve && chars(why) > LISTING_REASON_MAX)
        err(errors, "reason", "De reden is te lang (hoogstens 1000 tekens).", &n);
    if (db_begin(db) != DB_OK) {
        free(why);
        return LST_E_DB;
    }
    int rc = LST_OK;
    db_stmt_t *st = db_prepare(db, "SELECT status FROM org_member WHERE account_id = ? AND gemeente = ?");
    db_bind_int(st, 1, member_id);
    db_bind_text(st, 2, gemeente);
    int step = db_step(st);
    if (step == DB_ROW) {
        if (strcmp(db_col_text(st, 0), "aangevraagd") != 0) rc = LST_E_STATE;
    } else {
        rc = step == DB_DONE ? LST_E_NOT_FOUND : LST_E_DB;
    }
    db_done(st);
    if (rc == LST_OK && n) rc = LST_E_INVALID;
    if (rc == LST_OK) {
        st = db_prepare(db, "UPDATE org_member SET status = ?, decided_by = ?, decided_at = ?, reason = ?, updated_at = ?"
                            " WHERE account_id = ? AND gemeente = ? AND status = 'aangevraagd'");
        db_bind_text(st, 1, approve ? "goedgekeurd" : "afgewezen");
        db_bind_int(st, 2, decided_by);
        db_bind_int(st, 3, now);
        db_bind_text(st, 4, approve ? "" : why);
        db_bind_int(st, 5, now);
        db_bind_int(st, 6, member_id);
        db_bind_text(st, 7, gemeente);
        if (exec_done(st) != 0 || db_changes(db) != 1) rc = LST_E_DB;
    }
    free(why);
    if (rc == LST_OK && db_commit(db) == DB_OK) return LST_OK;
    db_rollback(db);
    return rc == LST_OK ? LST_E_DB : rc;
}

json_t *listing_claims_waiting(db_t *db, const char *gemeente)
{
    db_stmt_t *st = db_prepare(db,
        "SELECT m.account_id, a.username, a.display_name, a.role, m.organization_id, COALESCE(o.name, ''),"
        " m.motivation, m.created_at, (SELECT count(*) FROM org_member x WHERE x.organization_id = m.organization_id"
        " AND x.gemeente = m.gemeente AND x.status = 'goedgekeurd')"
        " FROM org_member m JOIN account a ON a.id = m.account_id"
        " LEFT JOIN hsds_organization o ON o.id = m.organization_id"
        " WHERE m.gemeente = ? AND m.status = 'aangevraagd' ORDER BY m.created_at, m.account_id");
    db_bind_text(st, 1, gemeente);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "account_id",
            (json_int_t)db_col_int(st, 0), "username", db_col_text(st, 1), "display_name", db_col_text(st, 2), "role",
            db_col_text(st, 3), "organization_id", db_col_text(st, 4), "organization_name", db_col_text(st, 5),
            "motivation", db_col_text(st, 6), "created_at", (json_int_t)db_col_int(st, 7), "members",
            (json_int_t)db_col_int(st, 8)));
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

/* 1 when every word of the folded query occurs in the folded text. */
static int words_in(const char *folded_q, const char *text)
{
    if (!*folded_q) return 1;
    size_t n = strlen(text);
    char *hay = xcalloc(2 * n + 2, 1);
    fold_text(text, n, hay, 2 * n + 2);
    char *q = xstrdup(folded_q);
    int ok = 1;
    for (char *save = NULL, *w = strtok_r(q, " ", &save); w && ok; w = strtok_r(NULL, " ", &save))
        ok = strstr(hay, w) != NULL;
    free(q);
    free(hay);
    return ok;
}

static char *fold_query(const char *q)
{
    size_t n = strlen(or_empty(q));
    char *f = xcalloc(2 * n + 2, 1);
    fold_text(or_empty(q), n, f, 2 * n + 2);
    return f;
}

json_t *listing_org_search(db_t *db, const char *gemeente, const char *q, int limit)
{
    char *fq = fold_query(q);
    json_t *list = json_array();
    if (!*fq) {
        free(fq);
        return list;
    }
    db_stmt_t *st = db_prepare(db, "SELECT id, COALESCE(name, '') FROM hsds_organization WHERE gemeente = ?"
                                   " ORDER BY COALESCE(name, ''), id");
    db_bind_text(st, 1, gemeente);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if ((int)json_array_size(list) >= limit) continue; /* drain: the statement stays consistent */
        if (words_in(fq, db_col_text(st, 1)))
            json_array_append_new(list, json_pack("{s:s, s:s}", "id", db_col_text(st, 0), "name", db_col_text(st, 1)));
    }
    db_done(st);
    free(fq);
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) {
        st = db_prepare(db, "SELECT count(*) FROM hsds_service WHERE organization_id = ? AND gemeente = ?");
        db_bind_text(st, 1, json_string_value(json_object_get(o, "id")));
        db_bind_text(st, 2, gemeente);
        json_object_set_new(o, "services", json_integer(db_step(st) == DB_ROW ? db_col_int(st, 0) : 0));
        db_done(st);
    }
    return list;
}

/* ---- one listing -------------------------------------------------------------------- */

static const char *state_code(int flagged, int hidden)
{
    return hidden ? "hidden" : flagged ? "flagged" : "current";
}

static json_t *int_or_null(db_stmt_t *st, int col)
{
    return db_col_is_null(st, col) ? json_null() : json_integer(db_col_int(st, col));
}

json_t *listing_service_get(db_t *db, const char *gemeente, const char *service_id)
{
    db_stmt_t *st = db_prepare(db,
        "SELECT s.id, s.name, s.description, s.email, s.url, s.status, s.fees_description, s.minimum_age,"
        " s.maximum_age, s.assured_date, s.assurer_email, s.last_modified, COALESCE(s.organization_id, ''),"
        " COALESCE(o.name, ''), " OWNER_IS_ORG ", l.seen_at, l.flagged_at, l.hidden_at"
        " FROM hsds_service s LEFT JOIN hsds_organization o ON o.id = s.organization_id"
        " LEFT JOIN listing l ON l.service_id = s.id WHERE s.id = ? AND s.gemeente = ?");
    db_bind_text(st, 1, service_id);
    db_bind_text(st, 2, gemeente);
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return NULL;
    }
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
        "id", db_col_text(st, 0), "name", db_col_text(st, 1), "description", db_col_text(st, 2), "email",
        db_col_text(st, 3), "url", db_col_text(st, 4), "status", db_col_text(st, 5), "fees_description",
        db_col_text(st, 6), "minimum_age", db_col_text(st, 7), "maximum_age", db_col_text(st, 8), "assured_date",
        db_col_text(st, 9), "assurer_email", db_col_text(st, 10), "last_modified", db_col_text(st, 11),
        "organization_id", db_col_text(st, 12), "organization_name", db_col_text(st, 13), "owner_is_org",
        db_col_int(st, 14) != 0);
    json_object_set_new(o, "seen_at", int_or_null(st, 15));
    json_object_set_new(o, "flagged_at", int_or_null(st, 16));
    json_object_set_new(o, "hidden_at", int_or_null(st, 17));
    json_object_set_new(o, "state", json_string(state_code(!db_col_is_null(st, 16), !db_col_is_null(st, 17))));
    db_done(st);

    st = db_prepare(db, "SELECT id, number FROM hsds_phone WHERE service_id = ? AND gemeente = ? ORDER BY id LIMIT 1");
    db_bind_text(st, 1, service_id);
    db_bind_text(st, 2, gemeente);
    int found = db_step(st) == DB_ROW;
    json_object_set_new(o, "phone_id", json_string(found ? db_col_text(st, 0) : ""));
    json_object_set_new(o, "phone", json_string(found ? db_col_text(st, 1) : ""));
    db_done(st);

    st = db_prepare(db, "SELECT id, freq, byday, opens_at, closes_at, description FROM hsds_schedule"
                        " WHERE service_id = ? AND gemeente = ? ORDER BY id LIMIT 1");
    db_bind_text(st, 1, service_id);
    db_bind_text(st, 2, gemeente);
    json_t *sched = json_null();
    if (db_step(st) == DB_ROW) {
        const char *freq = db_col_text(st, 1), *byday = db_col_text(st, 2);
        /* weekly: the days are plain MO..SU, so the form's day choices hold them exactly */
        int weekly = strcasecmp(freq, "WEEKLY") == 0 || !*freq;
        for (const char *p = byday; *p && weekly; p++)
            if (!(isupper((unsigned char)*p) || *p == ',' || *p == ' ')) weekly = 0;
        sched = json_pack("{s:s, s:s, s:b, s:s, s:s, s:s, s:s}", "id", db_col_text(st, 0), "freq", freq, "weekly",
                          weekly, "byday", byday, "opens_at", db_col_text(st, 3), "closes_at", db_col_text(st, 4),
                          "description", db_col_text(st, 5));
    }
    db_done(st);
    json_object_set_new(o, "schedule", sched);
    return o;
}

/* Confirms inside the caller's transaction: assured_date today, assurer
 * e-mail, last_modified, the listing released, one metadata row. */
static int confirm_in(const struct logctx *c, const struct listing_actor *a, const char *service_id)
{
    db_stmt_t *st = db_prepare(c->db, "SELECT assured_date FROM hsds_service WHERE id = ? AND gemeente = ?");
    db_bind_text(st, 1, service_id);
    db_bind_text(st, 2, c->gemeente);
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return -1;
    }
    char *old = xstrdup(db_col_text(st, 0));
    db_done(st);
    char modified[21];
    iso_utc(c->now, modified);
    st = db_prepare(c->db, "UPDATE hsds_service SET assured_date = ?, assurer_email = CASE WHEN ? = '' THEN"
                           " assurer_email ELSE ? END, last_modified = ? WHERE id = ? AND gemeente = ?");
    db_bind_text(st, 1, c->date);
    db_bind_text(st, 2, a->email);
    db_bind_text(st, 3, a->email);
    db_bind_text(st, 4, modified);
    db_bind_text(st, 5, service_id);
    db_bind_text(st, 6, c->gemeente);
    int rc = exec_done(st);
    if (!rc) {
        st = db_prepare(c->db, "INSERT INTO listing (service_id, gemeente, seen_at) VALUES (?, ?, ?)"
                               " ON CONFLICT (service_id) DO UPDATE SET flagged_at = NULL, hidden_at = NULL");
        db_bind_text(st, 1, service_id);
        db_bind_text(st, 2, c->gemeente);
        db_bind_int(st, 3, c->now);
        rc = exec_done(st);
    }
    if (!rc) rc = meta_put(c, service_id, "service", "confirm", "assured_date", old, c->date);
    if (!rc) rc = search_touch(c->db, c->gemeente);
    free(old);
    return rc;
}

int listing_confirm(db_t *db, const char *gemeente, const struct listing_actor *a, const char *service_id,
                    int64_t now)
{
    if (db_begin(db) != DB_OK) return LST_E_DB;
    int rc = listing_may_maintain(db, gemeente, a, service_id);
    struct logctx c;
    logctx_init(&c, db, gemeente, a->username, now);
    if (rc == LST_OK && confirm_in(&c, a, service_id) != 0) rc = LST_E_DB;
    if (rc == LST_OK && db_commit(db) == DB_OK) return LST_OK;
    db_rollback(db);
    return rc == LST_OK ? LST_E_DB : rc;
}

/* ---- edits -------------------------------------------------------------------------- */

static const char *const statuses[] = {"active", "inactive", "defunct", "temporarily closed"};
static const char *const weekdays[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
static const char *const weekday_nl[] = {"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag",
                                         "zondag"};

static int day_index(const char *s, size_t n)
{
    for (int i = 0; i < 7; i++)
        if (n == 2 && strncmp(s, weekdays[i], 2) == 0) return i;
    return -1;
}

/* The days of a comma list of MO..SU as bits (bit i = weekdays[i]); -1 when
 * an item is no plain weekday. */
static int days_mask(const char *list)
{
    int mask = 0;
    for (const char *s = or_empty(list); *s;) {
        while (*s == ' ') s++;
        const char *e = s;
        while (*e && *e != ',' && *e != ' ') e++;
        if (e > s) {
            int d = day_index(s, (size_t)(e - s));
            if (d < 0) return -1;
            mask |= 1 << d;
        }
        while (*e == ' ') e++;
        if (*e == ',') e++;
        else if (*e) return -1;
        s = e;
    }
    return mask;
}

/* "MO,WE" of a mask. out: 21 bytes. */
static void days_text(int mask, char out[21])
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < 7; i++)
        if (mask & (1 << i)) o += (size_t)snprintf(out + o, 21 - o, "%s%s", o ? "," : "", weekdays[i]);
}

/* "H:MM", "HH:MM" or "HH:MM:SS" as canonical "HH:MM"; -1 when it is none. */
static int canon_time(const char *s, char out[6])
{
    char buf[9];
    size_t n = strlen(or_empty(s));
    if (n == 4 && s[1] == ':') {
        snprintf(buf, sizeof buf, "0%s", s);
        s = buf;
        n = 5;
    }
    if (n != 5 && !(n == 8 && s[5] == ':' && isdigit((unsigned char)s[6]) && isdigit((unsigned char)s[7]) &&
                    (s[6] - '0') * 10 + (s[7] - '0') < 60))
        return -1;
    char hm[6];
    memcpy(hm, s, 5);
    hm[5] = '\0';
    int m = sched_time(hm);
    if (m < 0 || m >= 24 * 60) return -1;
    snprintf(out, 6, "%02u:%02u", (unsigned)(m / 60) % 24u, (unsigned)(m % 60));
    return m;
}

/* An age: "" or a whole number 0..120, canonical in out (4 bytes). 0 or -1. */
static int canon_age(const char *s, char out[4])
{
    out[0] = '\0';
    if (!*s) return 0;
    int64_t v;
    if (parse_i64(s, 0, 120, &v) != 0) return -1;
    snprintf(out, 4, "%d", (int)v);
    return 0;
}

static int email_ok(const char *v)
{
    const char *at = strchr(v, '@');
    if (!at || at == v || !strchr(at, '.') || strchr(v, ' ') || strchr(at + 1, '@') || at[1] == '.' ||
        v[strlen(v) - 1] == '.' || strlen(v) > 254)
        return 0;
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p < 0x21 || strchr("<>\"(),;:[]\\", *p)) return 0;
    return 1;
}

static int url_ok(const char *v)
{
    const char *rest = strncmp(v, "https://", 8) == 0 ? v + 8 : strncmp(v, "http://", 7) == 0 ? v + 7 : NULL;
    if (!rest || !*rest || *rest == '/' || *rest == '.' || strlen(v) > LISTING_URL_MAX) return 0;
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == '"' || *p == '<' || *p == '>' || *p == '\\' || (unsigned char)*p == 0x7F)
            return 0;
    return 1;
}

static int phone_ok(const char *v)
{
    int digits = 0;
    for (const char *c = v; *c; c++) {
        if (isdigit((unsigned char)*c)) digits++;
        else if (!strchr(" +-()", *c)) return 0;
    }
    return digits >= 6 && digits <= 20 && strlen(v) <= LISTING_PHONE_MAX;
}

/* The edit, cleaned: every field malloc'd (free with norm_free). */
struct norm {
    char *name, *description, *email, *url, *status, *fees, *phone;
    char min_age[4], max_age[4];
    char opens[6], closes[6];
    int opens_m, closes_m; /* -1 when empty or invalid */
    int days;              /* mask, -1 when invalid */
};

static void norm_free(struct norm *n)
{
    free(n->name);
    free(n->description);
    free(n->email);
    free(n->url);
    free(n->status);
    free(n->fees);
    free(n->phone);
}

/* Cleans and checks; returns the number of problems (in errors when not NULL). */
static int normalise(const struct listing_service_in *in, int weekly, int has_schedule, struct norm *o,
                     json_t *errors)
{
    int n = 0;
    memset(o, 0, sizeof *o);
    o->name = clean(in->name);
    o->description = clean(in->description);
    o->email = clean(in->email);
    o->url = clean(in->url);
    o->status = clean(in->status);
    o->fees = clean(in->fees_description);
    o->phone = clean(in->phone);
    if (!*o->name) err(errors, "name", "Vul de naam van het aanbod in.", &n);
    else if (chars(o->name) > LISTING_NAME_MAX || strchr(o->name, '\n'))
        err(errors, "name", "De naam is te lang (hoogstens 200 tekens op één regel).", &n);
    if (chars(o->description) > LISTING_DESCRIPTION_MAX)
        err(errors, "description", "De beschrijving is te lang (hoogstens 4000 tekens).", &n);
    if (*o->email && !email_ok(o->email))
        err(errors, "email", "Vul een geldig e-mailadres in, zoals info@voorbeeld.nl, of laat het veld leeg.", &n);
    if (*o->url && !url_ok(o->url))
        err(errors, "url", "Vul een webadres in dat begint met https://, zoals https://www.voorbeeld.nl, of laat het veld leeg.",
            &n);
    int st_ok = 0;
    for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++) st_ok |= strcmp(o->status, statuses[i]) == 0;
    if (!st_ok) err(errors, "status", "Kies of het aanbod doorgaat, tijdelijk gesloten is of is gestopt.", &n);
    if (chars(o->fees) > LISTING_FEES_MAX || strchr(o->fees, '\n'))
        err(errors, "fees_description", "De kosten zijn te lang beschreven (hoogstens 500 tekens op één regel).", &n);
    char *min = clean(in->minimum_age), *max = clean(in->maximum_age);
    int min_ok = canon_age(min, o->min_age) == 0, max_ok = canon_age(max, o->max_age) == 0;
    free(min);
    free(max);
    if (!min_ok) err(errors, "minimum_age", "Vul een leeftijd in van 0 tot en met 120 jaar, of laat het veld leeg.", &n);
    if (!max_ok) err(errors, "maximum_age", "Vul een leeftijd in van 0 tot en met 120 jaar, of laat het veld leeg.", &n);
    if (min_ok && max_ok && *o->min_age && *o->max_age && atoi(o->max_age) < atoi(o->min_age))
        err(errors, "maximum_age", "De hoogste leeftijd is lager dan de laagste leeftijd.", &n);
    if (*o->phone && !phone_ok(o->phone))
        err(errors, "phone", "Vul een telefoonnummer in met cijfers, bijvoorbeeld 0570 123456, of laat het veld leeg.", &n);
    char *op = clean(in->opens_at), *cl = clean(in->closes_at);
    o->opens_m = *op ? canon_time(op, o->opens) : -1;
    o->closes_m = *cl ? canon_time(cl, o->closes) : -1;
    if (*op && o->opens_m < 0) err(errors, "opens_at", "Vul een tijd in als uu:mm, bijvoorbeeld 09:30.", &n);
    if (*cl && o->closes_m < 0) err(errors, "closes_at", "Vul een tijd in als uu:mm, bijvoorbeeld 12:00.", &n);
    if (!*op && *cl) err(errors, "opens_at", "Vul ook de begintijd in.", &n);
    if (*op && !*cl) err(errors, "closes_at", "Vul ook de eindtijd in.", &n);
    if (o->opens_m >= 0 && o->closes_m >= 0 && o->opens_m == o->closes_m)
        err(errors, "closes_at", "De eindtijd is gelijk aan de begintijd.", &n);
    o->days = weekly ? days_mask(in->byday) : 0;
    if (weekly && o->days < 0) err(errors, "byday", "Kies dagen uit de lijst.", &n);
    else if (weekly && o->days == 0 && (has_schedule || *op || *cl))
        err(errors, "byday", "Kies op welke dagen het aanbod er is.", &n);
    free(op);
    free(cl);
    return n;
}

int listing_service_check(const struct listing_service_in *in, int weekly, int has_schedule, json_t *errors)
{
    struct norm o;
    int n = normalise(in, weekly, has_schedule, &o, errors);
    norm_free(&o);
    return n;
}

/* "dinsdag en donderdag", "de eerste zaterdag" of a byday list (weekly
 * days or monthly ordinals); "" when it has items it does not know. */
static void byday_nl(const char *byday, char *out, size_t cap)
{
    static const char *const ord[] = {"", "eerste", "tweede", "derde", "vierde", "vijfde"};
    char items[14][40];
    int n = 0;
    out[0] = '\0';
    for (const char *s = or_empty(byday); *s && n < 14;) {
        while (*s == ' ' || *s == ',') s++;
        const char *e = s;
        while (*e && *e != ',') e++;
        if (e == s) break;
        int neg = *s == '-', k = 0;
        const char *p = s + neg;
        while (p < e && isdigit((unsigned char)*p)) k = k * 10 + (*p++ - '0');
        int d = day_index(p, (size_t)(e - p));
        if (d < 0 || k > 5 || (neg && k != 1)) return;
        if (neg) snprintf(items[n++], 40, "de laatste %s", weekday_nl[d]);
        else if (k) snprintf(items[n++], 40, "de %s %s", ord[k], weekday_nl[d]);
        else snprintf(items[n++], 40, "%s", weekday_nl[d]);
        s = e;
    }
    size_t o = 0;
    for (int i = 0; i < n && o < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%s%s", i == 0 ? "" : i == n - 1 ? " en " : ", ", items[i]);
}

/* The Dutch description of a schedule after an edit, e.g. "Wekelijks op
 * dinsdag en donderdag van 10:00 tot 11:30". */
static void schedule_description(const char *freq, const char *byday, const char *opens, const char *closes, char *out,
                                 size_t cap)
{
    char days[400];
    byday_nl(byday, days, sizeof days);
    const char *f = strcasecmp(or_empty(freq), "MONTHLY") == 0 ? "Maandelijks" : "Wekelijks";
    size_t o = (size_t)snprintf(out, cap, "%s", f);
    if (*days && o < cap) o += (size_t)snprintf(out + o, cap - o, " op %s", days);
    if (*opens && *closes && o < cap) snprintf(out + o, cap - o, " van %s tot %s", opens, closes);
}

/* Old and new value of one service column. */
struct col {
    const char *name;   /* column and field_name */
    char *old;          /* malloc'd, "" when NULL */
    int old_null;
    const char *neu;    /* the cleaned new value, "" = none */
};

/* 1 when the new value differs from the stored one (NULL and "" are alike;
 * ages compare as numbers). */
static int changed(const struct col *c, int numeric)
{
    if (numeric && *c->old && *c->neu) {
        char o[4];
        if (canon_age(c->old, o) == 0) return strcmp(o, c->neu) != 0;
    }
    return strcmp(c->old, c->neu) != 0;
}

static int phone_update(const struct logctx *c, const char *service_id, const char *new_number)
{
    db_stmt_t *st = db_prepare(c->db, "SELECT id, number FROM hsds_phone WHERE service_id = ? AND gemeente = ?"
                                      " ORDER BY id LIMIT 1");
    db_bind_text(st, 1, service_id);
    db_bind_text(st, 2, c->gemeente);
    char id[ORG_ID_MAX] = "";
    char *old = NULL;
    int step = db_step(st);
    if (step == DB_ROW) {
        snprintf(id, sizeof id, "%s", db_col_text(st, 0));
        old = xstrdup(db_col_text(st, 1));
    }
    db_done(st);
    if (step != DB_ROW && step != DB_DONE) return -1;
    int rc = 0;
    if (old && strcmp(old, new_number) != 0 && *new_number) {
        st = db_prepare(c->db, "UPDATE hsds_phone SET number = ? WHERE id = ? AND gemeente = ?");
        db_bind_text(st, 1, new_number);
        db_bind_text(st, 2, id);
        db_bind_text(st, 3, c->gemeente);
        rc = exec_done(st);
        if (!rc) rc = meta_put(c, id, "phone", "update", "number", old, new_number);
    } else if (old && !*new_number) {
        /* languages spoken on this number lose the link, not their row */
        st = db_prepare(c->db, "SELECT id FROM hsds_language WHERE phone_id = ? AND gemeente = ? ORDER BY id");
        db_bind_text(st, 1, id);
        db_bind_text(st, 2, c->gemeente);
        char **langs = NULL;
        size_t nl = 0;
        while (db_step(st) == DB_ROW) {
            langs = xrealloc(langs, (nl + 1) * sizeof *langs);
            langs[nl++] = xstrdup(db_col_text(st, 0));
        }
        db_done(st);
        for (size_t i = 0; i < nl; i++) {
            if (!rc) {
                st = db_prepare(c->db, "UPDATE hsds_language SET phone_id = NULL WHERE id = ?");
                db_bind_text(st, 1, langs[i]);
                rc = exec_done(st);
                if (!rc) rc = meta_put(c, langs[i], "language", "update", "phone_id", id, "");
            }
            free(langs[i]);
        }
        free(langs);
        if (!rc) {
            st = db_prepare(c->db, "DELETE FROM hsds_phone WHERE id = ? AND gemeente = ?");
            db_bind_text(st, 1, id);
            db_bind_text(st, 2, c->gemeente);
            rc = exec_done(st);
        }
        if (!rc) rc = meta_put(c, id, "phone", "delete", "number", old, "");
    } else if (!old && *new_number) {
        char nid[37];
        listing_uuid(c->now, nid);
        st = db_prepare(c->db, "INSERT INTO hsds_phone (id, gemeente, service_id, number, type) VALUES (?, ?, ?, ?, 'voice')");
        db_bind_text(st, 1, nid);
        db_bind_text(st, 2, c->gemeente);
        db_bind_text(st, 3, service_id);
        db_bind_text(st, 4, new_number);
        rc = exec_done(st);
        if (!rc) rc = meta_put(c, nid, "phone", "create", "number", "", new_number);
    }
    free(old);
    return rc;
}

static int schedule_update(const struct logctx *c, const char *service_id, const struct norm *n)
{
    db_stmt_t *st = db_prepare(c->db, "SELECT id, freq, byday, opens_at, closes_at, description FROM hsds_schedule"
                                      " WHERE service_id = ? AND gemeente = ? ORDER BY id LIMIT 1");
    db_bind_text(st, 1, service_id);
    db_bind_text(st, 2, c->gemeente);
    int step = db_step(st);
    if (step != DB_ROW && step != DB_DONE) {
        db_done(st);
        return -1;
    }
    const char *opens = n->opens_m >= 0 ? n->opens : "", *closes = n->closes_m >= 0 ? n->closes : "";
    char days[21];
    days_text(n->days > 0 ? n->days : 0, days);
    int rc = 0;
    if (step == DB_DONE) {
        db_done(st);
        if (!n->days) return 0; /* nothing asked for */
        char id[37], desc[600];
        listing_uuid(c->now, id);
        schedule_description("WEEKLY", days, opens, closes, desc, sizeof desc);
        st = db_prepare(c->db, "INSERT INTO hsds_schedule (id, gemeente, service_id, freq, interval, byday, opens_at,"
                               " closes_at, description) VALUES (?, ?, ?, 'WEEKLY', '1', ?, ?, ?, ?)");
        db_bind_text(st, 1, id);
        db_bind_text(st, 2, c->gemeente);
        db_bind_text(st, 3, service_id);
        db_bind_text(st, 4, days);
        db_bind_text(st, 5, *opens ? opens : NULL);
        db_bind_text(st, 6, *closes ? closes : NULL);
        db_bind_text(st, 7, desc);
        rc = exec_done(st);
        static const char *const fields[] = {"freq", "byday", "opens_at", "closes_at", "description"};
        const char *vals[] = {"WEEKLY", days, opens, closes, desc};
        for (size_t i = 0; i < 5 && !rc; i++)
            if (*vals[i]) rc = meta_put(c, id, "schedule", "create", fields[i], "", vals[i]);
        return rc;
    }
    char id[ORG_ID_MAX];
    snprintf(id, sizeof id, "%s", db_col_text(st, 0));
    char *freq = xstrdup(db_col_text(st, 1)), *old_days = xstrdup(db_col_text(st, 2));
    char *old_opens = xstrdup(db_col_text(st, 3)), *old_closes = xstrdup(db_col_text(st, 4));
    char *old_desc = xstrdup(db_col_text(st, 5));
    db_done(st);
    int weekly = (strcasecmp(freq, "WEEKLY") == 0 || !*freq) && days_mask(old_days) >= 0;
    char oo[6] = "", oc[6] = "";
    int om = *old_opens ? canon_time(old_opens, oo) : -1, cm = *old_closes ? canon_time(old_closes, oc) : -1;
    int opens_changed = om >= 0 ? strcmp(oo, opens) != 0 : strcmp(old_opens, opens) != 0;
    int closes_changed = cm >= 0 ? strcmp(oc, closes) != 0 : strcmp(old_closes, closes) != 0;
    int days_changed = weekly && days_mask(old_days) != n->days;
    const char *new_days = days_changed ? days : old_days;
    if (opens_changed || closes_changed || days_changed) {
        char desc[600];
        schedule_description(freq, new_days, opens, closes, desc, sizeof desc);
        st = db_prepare(c->db, "UPDATE hsds_schedule SET byday = ?, opens_at = ?, closes_at = ?, description = ?"
                               " WHERE id = ? AND gemeente = ?");
        db_bind_text(st, 1, *new_days ? new_days : NULL);
        db_bind_text(st, 2, opens_changed ? (*opens ? opens : NULL) : (*old_opens ? old_opens : NULL));
        db_bind_text(st, 3, closes_changed ? (*closes ? closes : NULL) : (*old_closes ? old_closes : NULL));
        db_bind_text(st, 4, desc);
        db_bind_text(st, 5, id);
        db_bind_text(st, 6, c->gemeente);
        rc = exec_done(st);
        if (!rc && days_changed) rc = meta_put(c, id, "schedule", "update", "byday", old_days, days);
        if (!rc && opens_changed) rc = meta_put(c, id, "schedule", "update", "opens_at", old_opens, opens);
        if (!rc && closes_changed) rc = meta_put(c, id, "schedule", "update", "closes_at", old_closes, closes);
        if (!rc && strcmp(old_desc, desc) != 0) rc = meta_put(c, id, "schedule", "update", "description", old_desc, desc);
    }
    free(freq);
    free(old_days);
    free(old_opens);
    free(old_closes);
    free(old_desc);
    return rc;
}

int listing_service_update(db_t *db, const char *gemeente, const struct listing_actor *a, const char *service_id,
                           const struct listing_service_in *in, int64_t now, json_t *errors)
{
    if (db_begin(db) != DB_OK) return LST_E_DB;
    int rc = listing_may_maintain(db, gemeente, a, service_id);
    json_t *cur = rc == LST_OK ? listing_service_get(db, gemeente, service_id) : NULL;
    if (rc == LST_OK && !cur) rc = LST_E_DB;
    struct norm n;
    memset(&n, 0, sizeof n);
    if (rc == LST_OK) {
        json_t *sched = json_object_get(cur, "schedule");
        int has = json_is_object(sched);
        int weekly = !has || json_is_true(json_object_get(sched, "weekly"));
        if (normalise(in, weekly, has, &n, errors) > 0) rc = LST_E_INVALID;
    }
    struct logctx c;
    logctx_init(&c, db, gemeente, a->username, now);
    if (rc == LST_OK) {
        struct col cols[] = {
            {"name", NULL, 0, n.name},
            {"description", NULL, 0, n.description},
            {"email", NULL, 0, n.email},
            {"url", NULL, 0, n.url},
            {"status", NULL, 0, n.status},
            {"fees_description", NULL, 0, n.fees},
            {"minimum_age", NULL, 0, n.min_age},
            {"maximum_age", NULL, 0, n.max_age},
        };
        const size_t ncols = sizeof cols / sizeof cols[0];
        db_stmt_t *st = db_prepare(db, "SELECT name, description, email, url, status, fees_description, minimum_age,"
                                       " maximum_age FROM hsds_service WHERE id = ? AND gemeente = ?");
        db_bind_text(st, 1, service_id);
        db_bind_text(st, 2, gemeente);
        if (db_step(st) == DB_ROW) {
            for (size_t i = 0; i < ncols; i++) {
                cols[i].old = xstrdup(db_col_text(st, (int)i));
                cols[i].old_null = db_col_is_null(st, (int)i);
            }
        } else {
            rc = LST_E_DB;
        }
        db_done(st);
        if (rc == LST_OK) {
            st = db_prepare(db, "UPDATE hsds_service SET name = ?, description = ?, email = ?, url = ?, status = ?,"
                                " fees_description = ?, minimum_age = ?, maximum_age = ? WHERE id = ? AND gemeente = ?");
            for (size_t i = 0; i < ncols; i++) {
                int ch = changed(&cols[i], i >= 6);
                const char *v = ch ? (*cols[i].neu ? cols[i].neu : NULL) : (cols[i].old_null ? NULL : cols[i].old);
                db_bind_text(st, (int)i + 1, v);
            }
            db_bind_text(st, 9, service_id);
            db_bind_text(st, 10, gemeente);
            if (exec_done(st) != 0) rc = LST_E_DB;
            for (size_t i = 0; i < ncols && rc == LST_OK; i++)
                if (changed(&cols[i], i >= 6) &&
                    meta_put(&c, service_id, "service", "update", cols[i].name, cols[i].old, cols[i].neu) != 0)
                    rc = LST_E_DB;
        }
        for (size_t i = 0; i < ncols; i++) free(cols[i].old);
    }
    if (rc == LST_OK && phone_update(&c, service_id, n.phone) != 0) rc = LST_E_DB;
    if (rc == LST_OK && schedule_update(&c, service_id, &n) != 0) rc = LST_E_DB;
    if (rc == LST_OK && confirm_in(&c, a, service_id) != 0) rc = LST_E_DB;
    norm_free(&n);
    json_decref(cur);
    if (rc == LST_OK && db_commit(db) == DB_OK) return LST_OK;
    db_rollback(db);
    return rc == LST_OK ? LST_E_DB : rc;
}

json_t *listing_history(db_t *db, const char *gemeente, const char *service_id, int limit)
{
    db_stmt_t *st = db_prepare(db,
        "SELECT id, COALESCE(resource_type, ''), COALESCE(last_action_type, ''), COALESCE(field_name, ''),"
        " COALESCE(previous_value, ''), COALESCE(replacement_value, ''), COALESCE(updated_by, ''),"
        " COALESCE(last_action_date, '') FROM hsds_metadata WHERE gemeente = ? AND (resource_id = ?"
        " OR resource_id IN (SELECT id FROM hsds_phone WHERE service_id = ? AND gemeente = ?)"
        " OR resource_id IN (SELECT id FROM hsds_schedule WHERE service_id = ? AND gemeente = ?))"
        " ORDER BY COALESCE(last_action_date, '') DESC, id DESC LIMIT ?");
    db_bind_text(st, 1, gemeente);
    db_bind_text(st, 2, service_id);
    db_bind_text(st, 3, service_id);
    db_bind_text(st, 4, gemeente);
    db_bind_text(st, 5, service_id);
    db_bind_text(st, 6, gemeente);
    db_bind_int(st, 7, limit);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t ms = listing_uuid_ms(db_col_text(st, 0));
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "id",
            db_col_text(st, 0), "resource_type", db_col_text(st, 1), "action", db_col_text(st, 2), "field",
            db_col_text(st, 3), "previous", db_col_text(st, 4), "replacement", db_col_text(st, 5), "by",
            db_col_text(st, 6), "date", db_col_text(st, 7), "ms", ms >= 0 ? json_integer(ms) : json_null()));
    }
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

/* ---- lists --------------------------------------------------------------------------- */

json_t *listing_services_of_org(db_t *db, const char *gemeente, const char *org_id)
{
    db_stmt_t *st = db_prepare(db, "SELECT s.id, COALESCE(s.name, ''), COALESCE(s.status, ''),"
                                   " COALESCE(s.assured_date, ''), l.seen_at, l.flagged_at, l.hidden_at"
                                   " FROM hsds_service s LEFT JOIN listing l ON l.service_id = s.id"
                                   " WHERE s.gemeente = ? AND s.organization_id = ? ORDER BY COALESCE(s.name, ''), s.id");
    db_bind_text(st, 1, gemeente);
    db_bind_text(st, 2, org_id);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", db_col_text(st, 0), "name", db_col_text(st, 1),
                              "status", db_col_text(st, 2), "assured_date", db_col_text(st, 3), "state",
                              state_code(!db_col_is_null(st, 5), !db_col_is_null(st, 6)));
        json_object_set_new(o, "seen_at", int_or_null(st, 4));
        json_object_set_new(o, "flagged_at", int_or_null(st, 5));
        json_object_set_new(o, "hidden_at", int_or_null(st, 6));
        json_array_append_new(list, o);
    }
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

json_t *listing_overview(db_t *db, const char *gemeente, enum listing_which which, const char *q, int offset,
                         int limit, int *total)
{
    *total = 0;
    char *fq = fold_query(q);
    db_stmt_t *st = db_prepare(db,
        "SELECT s.id, COALESCE(s.name, ''), COALESCE(o.name, ''), " OWNER_IS_ORG ", COALESCE(s.assured_date, ''),"
        " l.seen_at, l.flagged_at, l.hidden_at"
        " FROM hsds_service s LEFT JOIN hsds_organization o ON o.id = s.organization_id"
        " LEFT JOIN listing l ON l.service_id = s.id WHERE s.gemeente = ? AND (? = 3"
        " OR (? = 0 AND (l.flagged_at IS NOT NULL OR l.hidden_at IS NOT NULL))"
        " OR (? = 1 AND l.flagged_at IS NOT NULL AND l.hidden_at IS NULL) OR (? = 2 AND l.hidden_at IS NOT NULL))"
        " ORDER BY COALESCE(s.name, ''), s.id");
    db_bind_text(st, 1, gemeente);
    for (int i = 2; i <= 5; i++) db_bind_int(st, i, (int)which);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*fq) {
            char both[1200];
            snprintf(both, sizeof both, "%s %s", db_col_text(st, 1), db_col_text(st, 2));
            if (!words_in(fq, both)) continue;
        }
        int at = (*total)++;
        if (at < offset || at >= offset + limit) continue;
        json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:s, s:s}", "id", db_col_text(st, 0), "name", db_col_text(st, 1),
                              "organization_name", db_col_text(st, 2), "owner_is_org", db_col_int(st, 3) != 0,
                              "assured_date", db_col_text(st, 4), "state",
                              state_code(!db_col_is_null(st, 6), !db_col_is_null(st, 7)));
        json_object_set_new(o, "seen_at", int_or_null(st, 5));
        json_object_set_new(o, "flagged_at", int_or_null(st, 6));
        json_object_set_new(o, "hidden_at", int_or_null(st, 7));
        json_array_append_new(list, o);
    }
    db_done(st);
    free(fq);
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

static int count_of(db_t *db, const char *sql, const char *gemeente, int *out)
{
    db_stmt_t *st = db_prepare(db, sql);
    db_bind_text(st, 1, gemeente);
    int rc = db_step(st);
    *out = rc == DB_ROW ? (int)db_col_int(st, 0) : 0;
    db_done(st);
    return rc == DB_ROW ? 0 : -1;
}

int listing_counts(db_t *db, const char *gemeente, int *flagged, int *hidden)
{
    int a = count_of(db, "SELECT count(*) FROM listing WHERE gemeente = ? AND flagged_at IS NOT NULL"
                         " AND hidden_at IS NULL", gemeente, flagged);
    int b = count_of(db, "SELECT count(*) FROM listing WHERE gemeente = ? AND hidden_at IS NOT NULL", gemeente, hidden);
    return a || b ? -1 : 0;
}

/* ---- the job ---------------------------------------------------------------------------- */

struct cand {
    char *id, *gemeente, *assured; /* assured: as stored, "" for NULL */
    int keep_flag;                 /* release: still older than the flag date */
};

struct cands {
    struct cand *v;
    int n, cap, limit, more;
};

static void cands_add(struct cands *c, const char *id, const char *gemeente, const char *assured, int keep_flag)
{
    if (c->n >= c->limit) {
        c->more = 1;
        return;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->v = xrealloc(c->v, (size_t)c->cap * sizeof *c->v);
    }
    c->v[c->n++] = (struct cand){xstrdup(id), xstrdup(gemeente), xstrdup(assured), keep_flag};
}

static void cands_free(struct cands *c)
{
    for (int i = 0; i < c->n; i++) {
        free(c->v[i].id);
        free(c->v[i].gemeente);
        free(c->v[i].assured);
    }
    free(c->v);
}

/* The municipalities whose search index must be rebuilt. */
struct gms {
    char **v;
    int n;
};

static void gms_add(struct gms *g, const char *gemeente)
{
    for (int i = 0; i < g->n; i++)
        if (strcmp(g->v[i], gemeente) == 0) return;
    g->v = xrealloc(g->v, (size_t)(g->n + 1) * sizeof *g->v);
    g->v[g->n++] = xstrdup(gemeente);
}

static int gms_touch_free(db_t *db, struct gms *g, int ok)
{
    for (int i = 0; i < g->n; i++) {
        if (ok && search_touch(db, g->v[i]) != 0) ok = 0;
        free(g->v[i]);
    }
    free(g->v);
    g->v = NULL;
    g->n = 0;
    return ok ? 0 : -1;
}

/* The listing's service still has the assured date the scan saw. */
#define SAME_DATE " AND EXISTS (SELECT 1 FROM hsds_service s WHERE s.id = listing.service_id" \
                  " AND COALESCE(s.assured_date, '') = ?)"

static int step_add(db_t *db, int64_t now, int limit, struct listing_run *out)
{
    if (db_begin(db) != DB_OK) return -1;
    db_stmt_t *st = db_prepare(db, "INSERT INTO listing (service_id, gemeente, seen_at) SELECT s.id, s.gemeente, ?"
                                   " FROM hsds_service s WHERE NOT EXISTS (SELECT 1 FROM listing l"
                                   " WHERE l.service_id = s.id) ORDER BY s.id LIMIT ?");
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, limit);
    int rc = exec_done(st);
    int added = rc == 0 ? (int)db_changes(db) : 0;
    if (rc == 0 && db_commit(db) == DB_OK) {
        out->added = added;
        if (added >= limit) out->more = 1;
        return 0;
    }
    db_rollback(db);
    return -1;
}

static int step_release(db_t *db, int64_t now, const struct cands *c, struct listing_run *out)
{
    if (!c->n) return 0;
    if (db_begin(db) != DB_OK) return -1;
    struct logctx lc;
    struct gms g = {0};
    int rc = 0, n = 0;
    for (int i = 0; i < c->n && !rc; i++) {
        const struct cand *x = &c->v[i];
        db_stmt_t *st = db_prepare(db, "SELECT CASE WHEN hidden_at IS NULL THEN 0 ELSE 1 END FROM listing"
                                       " WHERE service_id = ?");
        db_bind_text(st, 1, x->id);
        int was_hidden = db_step(st) == DB_ROW && db_col_int(st, 0) == 1;
        db_done(st);
        st = db_prepare(db, "UPDATE listing SET hidden_at = NULL, flagged_at = CASE WHEN ? = 1 THEN"
                            " COALESCE(flagged_at, ?) ELSE NULL END WHERE service_id = ?"
                            " AND (hidden_at IS NOT NULL OR flagged_at IS NOT NULL)" SAME_DATE);
        db_bind_int(st, 1, x->keep_flag);
        db_bind_int(st, 2, now);
        db_bind_text(st, 3, x->id);
        db_bind_text(st, 4, x->assured);
        rc = exec_done(st);
        if (rc || db_changes(db) != 1) continue;
        n++;
        if (was_hidden) {
            logctx_init(&lc, db, x->gemeente, LISTING_UPDATED_BY, now);
            rc = meta_put(&lc, x->id, "service", "update", "kantel:hidden", "true", "false");
            gms_add(&g, x->gemeente);
        }
    }
    rc = gms_touch_free(db, &g, rc == 0);
    if (rc == 0 && db_commit(db) == DB_OK) {
        out->released = n;
        return 0;
    }
    db_rollback(db);
    return -1;
}

static int step_flag(db_t *db, int64_t now, const struct cands *c, struct listing_run *out)
{
    if (!c->n) return 0;
    if (db_begin(db) != DB_OK) return -1;
    int rc = 0, n = 0;
    for (int i = 0; i < c->n && !rc; i++) {
        db_stmt_t *st = db_prepare(db, "UPDATE listing SET flagged_at = ? WHERE service_id = ? AND flagged_at IS NULL"
                                       " AND hidden_at IS NULL" SAME_DATE);
        db_bind_int(st, 1, now);
        db_bind_text(st, 2, c->v[i].id);
        db_bind_text(st, 3, c->v[i].assured);
        rc = exec_done(st);
        if (!rc) n += (int)db_changes(db);
    }
    if (rc == 0 && db_commit(db) == DB_OK) {
        out->flagged = n;
        return 0;
    }
    db_rollback(db);
    return -1;
}

static int step_hide(db_t *db, int64_t now, const struct cands *c, struct listing_run *out)
{
    if (!c->n) return 0;
    if (db_begin(db) != DB_OK) return -1;
    struct logctx lc;
    struct gms g = {0};
    int rc = 0, n = 0;
    for (int i = 0; i < c->n && !rc; i++) {
        const struct cand *x = &c->v[i];
        db_stmt_t *st = db_prepare(db, "UPDATE listing SET hidden_at = ?, flagged_at = COALESCE(flagged_at, ?)"
                                       " WHERE service_id = ? AND hidden_at IS NULL" SAME_DATE);
        db_bind_int(st, 1, now);
        db_bind_int(st, 2, now);
        db_bind_text(st, 3, x->id);
        db_bind_text(st, 4, x->assured);
        rc = exec_done(st);
        if (rc || db_changes(db) != 1) continue;
        n++;
        logctx_init(&lc, db, x->gemeente, LISTING_UPDATED_BY, now);
        rc = meta_put(&lc, x->id, "service", "update", "kantel:hidden", "false", "true");
        gms_add(&g, x->gemeente);
    }
    rc = gms_touch_free(db, &g, rc == 0);
    if (rc == 0 && db_commit(db) == DB_OK) {
        out->hidden = n;
        return 0;
    }
    db_rollback(db);
    return -1;
}

int listing_currency_slice(db_t *db, int64_t now, int flag_months, int hide_months, int limit,
                           struct listing_run *out, char *detail, size_t n)
{
    memset(out, 0, sizeof *out);
    if (limit < 1) limit = 1;
    if (step_add(db, now, limit, out) != 0) {
        snprintf(detail, n, "new listings: %s", db_errmsg(db));
        return -1;
    }
    /* One pass over every listing decides what each step does; the updates
     * re-check the state and the assured date, so a confirmation between the
     * pass and the update wins. */
    day_t today = day_today_amsterdam(now);
    struct cands rel = {.limit = limit}, flag = {.limit = limit}, hide = {.limit = limit};
    db_stmt_t *st = db_prepare(db, "SELECT l.service_id, l.gemeente, COALESCE(s.assured_date, ''), l.seen_at,"
                                   " CASE WHEN l.flagged_at IS NULL THEN 0 ELSE 1 END,"
                                   " CASE WHEN l.hidden_at IS NULL THEN 0 ELSE 1 END"
                                   " FROM listing l JOIN hsds_service s ON s.id = l.service_id ORDER BY l.service_id");
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        day_t eff;
        const char *assured = db_col_text(st, 2);
        listing_effective_day(assured, db_col_int(st, 3), &eff);
        enum listing_state want = listing_state_for(eff, today, flag_months, hide_months);
        int flagged = db_col_int(st, 4) == 1, hidden = db_col_int(st, 5) == 1;
        int old_for_flag = eff < listing_months_before(today, flag_months);
        const char *id = db_col_text(st, 0), *gm = db_col_text(st, 1);
        if (want == LISTING_HIDDEN) {
            if (!hidden) cands_add(&hide, id, gm, assured, 1);
        } else if (hidden || (flagged && !old_for_flag)) {
            cands_add(&rel, id, gm, assured, old_for_flag);
        } else if (want == LISTING_FLAGGED && !flagged) {
            cands_add(&flag, id, gm, assured, 1);
        }
    }
    db_done(st);
    int ok = rc == DB_DONE;
    const char *what = "scan";
    if (ok && step_release(db, now, &rel, out) != 0) ok = 0, what = "release";
    if (ok && step_flag(db, now, &flag, out) != 0) ok = 0, what = "flag";
    if (ok && step_hide(db, now, &hide, out) != 0) ok = 0, what = "hide";
    if (rel.more || flag.more || hide.more) out->more = 1;
    cands_free(&rel);
    cands_free(&flag);
    cands_free(&hide);
    if (!ok) {
        snprintf(detail, n, "%s: %s", what, db_errmsg(db));
        return -1;
    }
    snprintf(detail, n, "%d new, %d released, %d flagged, %d hidden%s", out->added, out->released, out->flagged,
             out->hidden, out->more ? " (more in the next run)" : "");
    return 0;
}

int listing_currency_run(db_t *db, int64_t now, int flag_months, int hide_months, char *detail, size_t n)
{
    struct listing_run r;
    return listing_currency_slice(db, now, flag_months, hide_months, LISTING_SLICE, &r, detail, n);
}
