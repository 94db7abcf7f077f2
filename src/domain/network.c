/* network.c - the household's network: members, meetings and the network
 * member's own view (see network.h). */
#include "domain/network.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/ladder.h"
#include "domain/plan.h"
#include "http/parse.h"

/* ---- vocabulary -------------------------------------------------------- */

static const struct network_role roles[] = {
    {"mantelzorger", "Mantelzorger"},
    {"mentor", "Informele mentor"},
    {"jim", "JIM (eigen gekozen mentor)"},
    {"buur", "Buur"},
    {"vrijwilliger", "Vrijwilliger"},
    {"steunfiguur", "Steunfiguur"},
};
#define N_ROLES ((int)(sizeof roles / sizeof roles[0]))

int network_role_count(void)
{
    return N_ROLES;
}

const struct network_role *network_role_at(int i)
{
    return i >= 0 && i < N_ROLES ? &roles[i] : NULL;
}

const char *network_role_label(const char *code)
{
    for (int i = 0; code && i < N_ROLES; i++)
        if (strcmp(roles[i].code, code) == 0) return roles[i].label;
    return NULL;
}

json_t *network_roles_model(const char *stored)
{
    json_t *list = json_array();
    const char *s = stored ? stored : "";
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        if (len > 0 && len < 64) {
            char code[64];
            memcpy(code, s, len);
            code[len] = '\0';
            const char *label = network_role_label(code);
            json_array_append_new(list, json_pack("{s:s, s:s}", "code", code, "label", label ? label : code));
        }
        s += len;
        if (*s == ',') s++;
    }
    return list;
}

/* ---- helpers ----------------------------------------------------------- */

static size_t chars(const char *s)
{
    return s ? utf8_len(s, strlen(s)) : 0;
}

static int blank(const char *s)
{
    for (; s && *s; s++)
        if (!isspace((unsigned char)*s)) return 0;
    return 1;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* The next agreement of an outcome text starting at *p: trimmed, a leading
 * list mark ("-", "*", "•") removed, copied into out (NUL-terminated,
 * clipped to n - 1 bytes; *len gets the full length). Returns 0 at the end
 * of the text; empty lines are skipped. */
static int next_line(const char **p, char *out, size_t n, size_t *len)
{
    while (**p) {
        const char *s = *p, *nl = strchr(s, '\n');
        const char *e = nl ? nl : s + strlen(s);
        *p = nl ? nl + 1 : e;
        while (s < e && isspace((unsigned char)*s)) s++;
        while (e > s && isspace((unsigned char)e[-1])) e--;
        if (s < e && (*s == '-' || *s == '*')) s++;
        else if (e - s >= 3 && memcmp(s, "\xe2\x80\xa2", 3) == 0) s += 3;
        while (s < e && isspace((unsigned char)*s)) s++;
        if (s == e) continue;
        *len = (size_t)(e - s);
        size_t k = *len < n - 1 ? *len : n - 1;
        memcpy(out, s, k);
        out[k] = '\0';
        return 1;
    }
    return 0;
}

int network_outcome_lines(const char *outcome)
{
    const char *p = or_empty(outcome);
    char line[8];
    size_t len;
    int n = 0;
    while (next_line(&p, line, sizeof line, &len)) n++;
    return n;
}

/* ---- members ----------------------------------------------------------- */

int network_check_member(const struct network_member_in *m, json_t *errors)
{
    int n = 0;
    if (blank(m->name)) {
        json_object_set_new(errors, "name", json_string("Vul de naam in."));
        n++;
    } else if (chars(m->name) > NET_NAME_MAX) {
        json_object_set_new(errors, "name", json_string("De naam is te lang (hoogstens 200 tekens)."));
        n++;
    }
    if (chars(m->relation) > NET_RELATION_MAX) {
        json_object_set_new(errors, "relation", json_string("De relatie is te lang (hoogstens 100 tekens)."));
        n++;
    }
    const char *s = or_empty(m->roles);
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        int known = 0;
        for (int i = 0; i < N_ROLES; i++)
            if (strlen(roles[i].code) == len && memcmp(roles[i].code, s, len) == 0) known = 1;
        if (!known) {
            json_object_set_new(errors, "roles", json_string("Kies rollen uit de lijst."));
            n++;
            break;
        }
        s += len;
        if (*s == ',') s++;
    }
    const char *ph = or_empty(m->phone);
    int digits = 0, bad = 0;
    for (const char *c = ph; *c; c++) {
        if (isdigit((unsigned char)*c)) digits++;
        else if (!strchr(" +-()", *c)) bad = 1;
    }
    if (*ph && (bad || digits < 6 || strlen(ph) > NET_PHONE_MAX)) {
        json_object_set_new(errors, "phone",
                            json_string("Vul een telefoonnummer in met cijfers, bijvoorbeeld 06 12345678."));
        n++;
    }
    return n;
}

int network_check_jim(db_t *db, int64_t household_id, const struct network_member_in *m, day_t today,
                      json_t *errors)
{
    int jim = 0;
    const char *s = or_empty(m->roles);
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        if (len == 3 && memcmp(s, "jim", 3) == 0) jim = 1;
        s += len;
        if (*s == ',') s++;
    }
    if (!jim && m->mentee_person_id <= 0) return 0;
    if (!jim) {
        json_object_set_new(errors, "mentee", json_string("Kies alleen een jongere bij de rol JIM."));
        return 1;
    }
    if (m->mentee_person_id <= 0) {
        json_object_set_new(errors, "mentee", json_string("Kies de jongere die deze JIM zelf koos."));
        return 1;
    }
    char t[11];
    day_format(today, t);
    db_stmt_t *st = db_prepare(db,
        "SELECT p.birth_date FROM household_member hm JOIN person p ON p.id = hm.person_id"
        " WHERE hm.household_id = ? AND hm.person_id = ? AND (hm.until IS NULL OR hm.until >= ?)");
    db_bind_int(st, 1, household_id);
    db_bind_int(st, 2, m->mentee_person_id);
    db_bind_text(st, 3, t);
    int rc = db_step(st), age = -1;
    day_t b;
    if (rc == DB_ROW && !db_col_is_null(st, 0) && day_parse(db_col_text(st, 0), &b) == 0 && b <= today) {
        int by, bm, bd, ty, tm, td;
        day_to_ymd(b, &by, &bm, &bd);
        day_to_ymd(today, &ty, &tm, &td);
        age = ty - by - (tm < bm || (tm == bm && td < bd));
    }
    db_done(st);
    if (rc != DB_ROW || age < 0) {
        json_object_set_new(errors, "mentee", json_string("Kies een jongere uit dit huishouden."));
        return 1;
    }
    if (age >= NET_JIM_AGE) {
        json_object_set_new(errors, "mentee",
                            json_string("Een JIM is er voor een jongere onder de 23. Kies een jongere of een andere rol."));
        return 1;
    }
    return 0;
}

/* Copies s without surrounding white space into the arena-free buffer out. */
static void trim_copy(const char *s, char *out, size_t n)
{
    s = or_empty(s);
    while (isspace((unsigned char)*s)) s++;
    size_t len = strlen(s);
    while (len > 0 && isspace((unsigned char)s[len - 1])) len--;
    if (len >= n) len = n - 1;
    memcpy(out, s, len);
    out[len] = '\0';
}

int64_t network_member_add(db_t *db, const char *gemeente, int64_t household_id, const struct network_member_in *m,
                           int64_t now)
{
    char name[4 * NET_NAME_MAX + 1], relation[4 * NET_RELATION_MAX + 1], phone[NET_PHONE_MAX + 1];
    trim_copy(m->name, name, sizeof name);
    trim_copy(m->relation, relation, sizeof relation);
    trim_copy(m->phone, phone, sizeof phone);
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO network_member (gemeente, household_id, name, relation, roles, phone, email, share_plan, created_at,"
        " mentee_person_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(st, 1, gemeente);
    db_bind_int(st, 2, household_id);
    db_bind_text(st, 3, name);
    db_bind_text(st, 4, relation);
    db_bind_text(st, 5, or_empty(m->roles));
    db_bind_text(st, 6, phone);
    db_bind_text(st, 7, or_empty(m->email));
    db_bind_int(st, 8, m->share_plan ? 1 : 0);
    db_bind_int(st, 9, now);
    if (m->mentee_person_id > 0) db_bind_int(st, 10, m->mentee_person_id); else db_bind_null(st, 10);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : NET_E_DB;
    db_done(st);
    return id;
}

json_t *network_members(db_t *db, int64_t household_id)
{
    db_stmt_t *st = db_prepare(db,
        "SELECT n.id, n.name, n.relation, n.roles, n.phone, n.email, n.share_plan, n.account_id IS NOT NULL,"
        " n.created_at, n.ended_at, p.given_names, n.volunteer_id IS NOT NULL"
        " FROM network_member n LEFT JOIN person p ON p.id = n.mentee_person_id"
        " WHERE n.household_id = ? ORDER BY n.ended_at IS NOT NULL, n.created_at, n.id");
    db_bind_int(st, 1, household_id);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int ended = !db_col_is_null(st, 9);
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:b, s:b, s:b, s:I, s:o}",
            "id", (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "relation", db_col_text(st, 2),
            "roles", network_roles_model(db_col_text(st, 3)), "phone", db_col_text(st, 4), "email",
            db_col_text(st, 5), "share_plan", (int)db_col_int(st, 6), "has_account", (int)db_col_int(st, 7),
            "active", !ended, "created_at", (json_int_t)db_col_int(st, 8), "ended_at",
            ended ? json_integer(db_col_int(st, 9)) : json_null()));
        json_t *last = json_array_get(list, json_array_size(list) - 1);
        json_object_set_new(last, "mentee", db_col_is_null(st, 10) ? json_null() : json_string(db_col_text(st, 10)));
        json_object_set_new(last, "from_registry", json_boolean(db_col_int(st, 11) != 0));
    }
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

int network_member_update(db_t *db, int64_t household_id, int64_t member_id, int share_plan, int end, int64_t now)
{
    db_stmt_t *st = end ? db_prepare(db, "UPDATE network_member SET ended_at = ?"
                                         " WHERE id = ? AND household_id = ? AND ended_at IS NULL")
                        : db_prepare(db, "UPDATE network_member SET share_plan = ?"
                                         " WHERE id = ? AND household_id = ? AND ended_at IS NULL");
    db_bind_int(st, 1, end ? now : (share_plan ? 1 : 0));
    db_bind_int(st, 2, member_id);
    db_bind_int(st, 3, household_id);
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return NET_E_DB;
    return db_changes(db) == 1 ? NET_OK : NET_E_NOT_FOUND;
}

/* ---- meetings ---------------------------------------------------------- */

int network_check_meeting(const struct network_meeting_in *in, day_t today, json_t *errors)
{
    int n = 0;
    day_t held;
    if (!in->held_on || day_parse(in->held_on, &held) != 0) {
        json_object_set_new(errors, "held_on", json_string("Vul de datum van het netwerkberaad in als jjjj-mm-dd."));
        n++;
    } else if (held > today) {
        json_object_set_new(errors, "held_on",
                            json_string("De datum ligt in de toekomst. Leg een netwerkberaad vast als het geweest is."));
        n++;
    }
    if (blank(in->participants)) {
        json_object_set_new(errors, "participants", json_string("Schrijf op wie er meededen."));
        n++;
    }
    const char *p = or_empty(in->outcome);
    size_t cap = strlen(p) + 1, len;
    char *line = malloc(cap);
    if (!line) return n + 1;
    int lines = 0, too_long = 0;
    while (next_line(&p, line, cap, &len)) {
        lines++;
        if (chars(line) > PLAN_TEXT_MAX) too_long = 1;
    }
    free(line);
    if (lines == 0) {
        json_object_set_new(errors, "outcome",
                            json_string("Schrijf het plan van het netwerk op: één afspraak per regel (wie doet wat wanneer)."));
        n++;
    } else if (lines > NET_MEETING_LINES) {
        json_object_set_new(errors, "outcome", json_string("Dat zijn te veel afspraken: hoogstens 50 regels."));
        n++;
    } else if (too_long) {
        json_object_set_new(errors, "outcome", json_string("Een afspraak is te lang: hoogstens 1000 tekens per regel."));
        n++;
    }
    return n;
}

struct meeting_ctx {
    db_t *db;
    const char *gemeente;
    int64_t household_id, account_id, now;
    const struct network_meeting_in *in;
    const struct deadline_rule *rule;
    const struct holiday_rules *hr;
    json_t *errors;
    int64_t meeting_id;
    int failed_db;
};

/* Runs inside plan_change's transaction: the actions, then the deadline and
 * the meeting row on the same connection, so all of it commits or none. */
static int meeting_fn(json_t *body, void *arg, char *summary, size_t n)
{
    struct meeting_ctx *c = arg;
    day_t held;
    if (day_parse(c->in->held_on, &held) != 0) return PLAN_E_INVALID;
    day_t today = day_today_amsterdam(c->now);
    const char *p = or_empty(c->in->outcome);
    size_t cap = strlen(p) + 1, len;
    char *line = malloc(cap);
    if (!line) return PLAN_E_DB;
    int count = 0;
    char one[PLAN_SUMMARY_MAX];
    while (next_line(&p, line, cap, &len)) {
        struct plan_action_in a = {.text = line, .level = 3, .carrier = "network_member"};
        if (plan_check_action(body, &a, today, c->errors) != 0 ||
            plan_body_add_action(body, &a, today, one, sizeof one) <= 0) {
            free(line);
            return PLAN_E_INVALID;
        }
        count++;
    }
    free(line);
    if (count == 0) return PLAN_E_INVALID;

    char held_nl[40], due_s[11];
    day_format_nl(held, held_nl, sizeof held_nl);
    day_format(deadline_due(c->rule, held, c->hr), due_s);
    snprintf(summary, n, "Plan van het netwerkberaad van %s: %d %s", held_nl, count, count == 1 ? "actie" : "acties");

    c->failed_db = 1; /* until both rows are in */
    db_stmt_t *st = db_prepare(c->db,
        "INSERT INTO deadline (gemeente, household_id, request_id, kind, start_on, due_on, note, created_at)"
        " VALUES (?, ?, NULL, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(st, 1, c->gemeente);
    db_bind_int(st, 2, c->household_id);
    db_bind_text(st, 3, c->rule->code);
    db_bind_text(st, 4, c->in->held_on);
    db_bind_text(st, 5, due_s);
    char note[80];
    snprintf(note, sizeof note, "Netwerkberaad van %s nabellen", held_nl);
    db_bind_text(st, 6, note);
    db_bind_int(st, 7, c->now);
    int64_t deadline_id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    if (deadline_id <= 0) return PLAN_E_DB;

    int safety = !blank(c->in->safety);
    st = db_prepare(c->db,
        "INSERT INTO network_meeting (gemeente, household_id, held_on, participants, outcome, safety, safety_by,"
        " followup_deadline_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(st, 1, c->gemeente);
    db_bind_int(st, 2, c->household_id);
    db_bind_text(st, 3, c->in->held_on);
    db_bind_text(st, 4, or_empty(c->in->participants));
    db_bind_text(st, 5, or_empty(c->in->outcome));
    db_bind_text(st, 6, safety ? c->in->safety : "");
    if (safety && c->account_id > 0) db_bind_int(st, 7, c->account_id); else db_bind_null(st, 7);
    db_bind_int(st, 8, deadline_id);
    if (c->account_id > 0) db_bind_int(st, 9, c->account_id); else db_bind_null(st, 9);
    db_bind_int(st, 10, c->now);
    c->meeting_id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    if (c->meeting_id <= 0) return PLAN_E_DB;
    c->failed_db = 0;
    return PLAN_OK;
}

int network_meeting_add(db_t *db, const char *gemeente, int64_t household_id, int64_t account_id, int64_t now,
                        const struct network_meeting_in *in, const struct deadline_rule *rule,
                        const struct holiday_rules *hr, json_t *errors, int64_t *meeting_id)
{
    struct meeting_ctx c = {db, gemeente, household_id, account_id, now, in, rule, hr, errors, 0, 0};
    int rc = plan_change(db, gemeente, household_id, account_id, now, meeting_fn, &c);
    if (rc > 0) {
        if (meeting_id) *meeting_id = c.meeting_id;
        return rc;
    }
    if (rc == PLAN_E_INVALID) {
        if (json_object_size(errors) && !json_object_get(errors, "outcome")) { /* a plan rule refused a line */
            json_t *msg = json_object_get(errors, "text");
            json_object_set_new(errors, "outcome",
                                msg ? json_string(json_string_value(msg)) : json_string("Een afspraak is ongeldig."));
        }
        return NET_E_INVALID;
    }
    return NET_E_DB;
}

json_t *network_meetings(db_t *db, int64_t household_id)
{
    db_stmt_t *st = db_prepare(db,
        "SELECT m.id, m.held_on, m.participants, m.outcome, m.safety, coalesce(s.display_name, ''),"
        " coalesce(c.display_name, ''), m.created_at, d.due_on, d.done_on, d.id IS NOT NULL"
        " FROM network_meeting m LEFT JOIN account s ON s.id = m.safety_by LEFT JOIN account c ON c.id = m.created_by"
        " LEFT JOIN deadline d ON d.id = m.followup_deadline_id AND d.household_id = m.household_id"
        " WHERE m.household_id = ? ORDER BY m.held_on DESC, m.id DESC");
    db_bind_int(st, 1, household_id);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *agreements = json_array();
        const char *p = db_col_text(st, 3);
        size_t cap = strlen(p) + 1, len;
        char *line = malloc(cap);
        while (line && next_line(&p, line, cap, &len)) json_array_append_new(agreements, json_string(line));
        free(line);
        json_t *followup = db_col_int(st, 10)
            ? json_pack("{s:s, s:o}", "due_on", db_col_text(st, 8), "done_on",
                        db_col_is_null(st, 9) ? json_null() : json_string(db_col_text(st, 9)))
            : json_null();
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:I, s:o}",
            "id", (json_int_t)db_col_int(st, 0), "held_on", db_col_text(st, 1), "participants", db_col_text(st, 2),
            "outcome", db_col_text(st, 3), "agreements", agreements, "safety", db_col_text(st, 4), "safety_by",
            db_col_text(st, 5), "created_by", db_col_text(st, 6), "created_at", (json_int_t)db_col_int(st, 7),
            "followup", followup));
    }
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

/* ---- the network member's own view ------------------------------------ */

int network_membership(db_t *db, const char *gemeente, int64_t account_id, int64_t household_id,
                       struct network_membership *out)
{
    memset(out, 0, sizeof *out);
    db_stmt_t *st = db_prepare(db,
        "SELECT id, name, share_plan FROM network_member WHERE account_id = ? AND household_id = ? AND gemeente = ?"
        " AND ended_at IS NULL ORDER BY id LIMIT 1");
    db_bind_int(st, 1, account_id);
    db_bind_int(st, 2, household_id);
    db_bind_text(st, 3, gemeente);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->member_id = db_col_int(st, 0);
        out->household_id = household_id;
        snprintf(out->name, sizeof out->name, "%s", db_col_text(st, 1));
        out->share_plan = db_col_int(st, 2) != 0;
    }
    db_done(st);
    return rc == DB_ROW ? NET_OK : rc == DB_DONE ? NET_E_NOT_FOUND : NET_E_DB;
}

json_t *network_households(db_t *db, const char *gemeente, int64_t account_id)
{
    db_stmt_t *st = db_prepare(db,
        "SELECT n.household_id, n.id, n.share_plan,"
        " coalesce((SELECT p.given_names FROM household_member hm JOIN person p ON p.id = hm.person_id"
        "   WHERE hm.household_id = n.household_id AND hm.relation = 'hoofdbewoner'"
        "   ORDER BY hm.until IS NOT NULL, p.id LIMIT 1), '')"
        " FROM network_member n WHERE n.account_id = ? AND n.gemeente = ? AND n.ended_at IS NULL"
        " ORDER BY n.household_id, n.id");
    db_bind_int(st, 1, account_id);
    db_bind_text(st, 2, gemeente);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        char first[256];
        const char *g = db_col_text(st, 3);
        size_t k = strcspn(g, " ");
        if (k >= sizeof first) k = sizeof first - 1;
        memcpy(first, g, k);
        first[k] = '\0';
        json_array_append_new(list, json_pack("{s:I, s:I, s:b, s:s}", "household_id", (json_int_t)db_col_int(st, 0),
                                              "member_id", (json_int_t)db_col_int(st, 1), "share_plan",
                                              (int)db_col_int(st, 2), "resident", first));
    }
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

struct take_ctx {
    db_t *db;
    const char *gemeente;
    int64_t account_id;
    const struct network_membership *m;
    struct plan_action_in a;
    day_t today;
    json_t *errors;
    int gone;
};

static int take_fn(json_t *body, void *arg, char *summary, size_t n)
{
    struct take_ctx *c = arg;
    struct network_membership again;
    int rc = network_membership(c->db, c->gemeente, c->account_id, c->m->household_id, &again);
    if (rc != NET_OK || again.member_id != c->m->member_id) { /* ended since the page was loaded */
        c->gone = rc == NET_E_NOT_FOUND || rc == NET_OK;
        return PLAN_E_NOT_FOUND;
    }
    char one[PLAN_SUMMARY_MAX];
    if (plan_check_action(body, &c->a, c->today, c->errors) != 0 ||
        plan_body_add_action(body, &c->a, c->today, one, sizeof one) <= 0)
        return PLAN_E_INVALID;
    char text[4 * 120 + 8];
    plan_text_clip(c->a.text, 120, text, sizeof text);
    char name[4 * 60 + 8];
    plan_text_clip(c->m->name, 60, name, sizeof name);
    snprintf(summary, n, "%s neemt een actie op zich: %s", name, text);
    return PLAN_OK;
}

int network_take_action(db_t *db, const char *gemeente, int64_t account_id, const struct network_membership *m,
                        const char *text, const char *due, day_t today, int64_t now, json_t *errors)
{
    struct take_ctx c = {.db = db, .gemeente = gemeente, .account_id = account_id, .m = m,
                         .a = {.text = text, .level = 3, .carrier = "network_member", .carrier_name = m->name,
                               .due = due && *due ? due : NULL},
                         .today = today, .errors = errors};
    if (plan_check_action(NULL, &c.a, today, errors) != 0) return NET_E_INVALID;
    int rc = plan_change(db, gemeente, m->household_id, account_id, now, take_fn, &c);
    if (rc > 0) return rc;
    if (rc == PLAN_E_INVALID) return NET_E_INVALID;
    if (rc == PLAN_E_NOT_FOUND && c.gone) return NET_E_NOT_FOUND;
    return NET_E_DB;
}
