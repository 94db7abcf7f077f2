/* request.c - requests (meldingen) and their legal deadlines (see request.h). */
#include "domain/request.h"

#include <stdio.h>
#include <string.h>

/* ---- codes and labels -------------------------------------------------- */

static const char *const law_codes[LAW_COUNT] = {"wmo", "jeugdwet", "participatiewet", "onbekend"};
static const char *const law_labels[LAW_COUNT] = {"Wmo", "Jeugdwet", "Participatiewet", "Nog niet bekend"};

const char *request_law_code(enum request_law law)
{
    return (int)law >= 0 && law < LAW_COUNT ? law_codes[law] : NULL;
}

const char *request_law_label(enum request_law law)
{
    return (int)law >= 0 && law < LAW_COUNT ? law_labels[law] : NULL;
}

int request_law_parse(const char *code)
{
    for (int i = 0; code && i < LAW_COUNT; i++)
        if (strcmp(code, law_codes[i]) == 0) return i;
    return -1;
}

static const char *const channel_codes[REQUEST_CHANNEL_COUNT] = {"telefoon", "balie",      "email",   "brief",
                                                                 "portaal",  "verwijzing", "wijkteam"};
static const char *const channel_labels[REQUEST_CHANNEL_COUNT] = {"Telefoon",
                                                                  "Balie",
                                                                  "E-mail",
                                                                  "Brief",
                                                                  "Portaal",
                                                                  "Verwijzing (huisarts, school of andere organisatie)",
                                                                  "Wijkteam (zelf gesignaleerd)"};

const char *request_channel_code(int i)
{
    return i >= 0 && i < REQUEST_CHANNEL_COUNT ? channel_codes[i] : NULL;
}
const char *request_channel_label(int i)
{
    return i >= 0 && i < REQUEST_CHANNEL_COUNT ? channel_labels[i] : NULL;
}

int request_channel_parse(const char *code)
{
    for (int i = 0; code && i < REQUEST_CHANNEL_COUNT; i++)
        if (strcmp(code, channel_codes[i]) == 0) return i;
    return -1;
}

static const char *const status_codes[RS_COUNT] = {"nieuw", "onderzoek", "plan", "afgerond", "ingetrokken"};
static const char *const status_labels[RS_COUNT] = {"Nieuw", "In onderzoek", "Plan in de maak", "Afgerond",
                                                    "Ingetrokken"};

const char *request_status_code(enum request_status s)
{
    return (int)s >= 0 && s < RS_COUNT ? status_codes[s] : NULL;
}

const char *request_status_label(enum request_status s)
{
    return (int)s >= 0 && s < RS_COUNT ? status_labels[s] : NULL;
}

int request_status_parse(const char *code)
{
    for (int i = 0; code && i < RS_COUNT; i++)
        if (strcmp(code, status_codes[i]) == 0) return i;
    return -1;
}

int request_status_closed(enum request_status s)
{
    return s == RS_AFGEROND || s == RS_INGETROKKEN;
}

int request_status_allowed(enum request_status from, enum request_status to)
{
    if ((int)from < 0 || from >= RS_COUNT || (int)to < 0 || to >= RS_COUNT) return 0;
    if (request_status_closed(from) || from == to) return 0;
    if (to == RS_INGETROKKEN) return 1;
    return to > from; /* nieuw < onderzoek < plan < afgerond */
}

int age_on(day_t birth, day_t on)
{
    int by, bm, bd, y, m, d;
    day_to_ymd(birth, &by, &bm, &bd);
    day_to_ymd(on, &y, &m, &d);
    int age = y - by;
    if (m < bm || (m == bm && d < bd)) age--; /* 29 Feb: birthday counts from 1 March */
    return age;
}

/* ---- deadline configuration ------------------------------------------- */

void deadline_config_default(struct deadline_config *c)
{
    for (int k = 0; k < DL_COUNT; k++) c->rule[k] = *deadline_default((enum deadline_kind)k);
    c->holidays = HOLIDAY_RULES_DEFAULT;
}

int deadline_kind_parse(const char *code)
{
    for (int k = 0; code && k < DL_COUNT; k++)
        if (strcmp(code, deadline_default((enum deadline_kind)k)->code) == 0) return k;
    return -1;
}

const char *deadline_kind_label(const char *code)
{
    int k = deadline_kind_parse(code);
    return k >= 0 ? deadline_default((enum deadline_kind)k)->label_nl : code;
}

int deadline_config_load(db_t *db, const char *gemeente, struct deadline_config *c)
{
    deadline_config_default(c);
    db_stmt_t *st = db_prepare(
        db,
        "SELECT name, value FROM settings WHERE gemeente = ? AND (name = 'bevrijdingsdag' OR name LIKE 'deadline.%')");
    db_bind_text(st, 1, gemeente);
    int ignored = 0, rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *name = db_col_text(st, 0), *value = db_col_text(st, 1);
        if (strcmp(name, "bevrijdingsdag") == 0) {
            if (strcmp(value, "never") == 0)
                c->holidays.bevrijdingsdag = BEVRIJDINGSDAG_NEVER;
            else if (strcmp(value, "lustrum") == 0)
                c->holidays.bevrijdingsdag = BEVRIJDINGSDAG_LUSTRUM;
            else if (strcmp(value, "always") == 0)
                c->holidays.bevrijdingsdag = BEVRIJDINGSDAG_ALWAYS;
            else
                ignored++;
            continue;
        }
        int k = deadline_kind_parse(name + strlen("deadline."));
        if (k < 0 || deadline_parse_override(value, &c->rule[k]) != 0) ignored++;
    }
    db_done(st);
    if (rc != DB_DONE) {
        deadline_config_default(c);
        return -1;
    }
    return ignored;
}

void deadline_term_text(const struct deadline_rule *rule, char *out, size_t n)
{
    const char *unit;
    switch (rule->unit) {
    case DL_UNIT_DAYS:
        unit = rule->amount == 1 ? "dag" : "dagen";
        break;
    case DL_UNIT_WEEKS:
        unit = rule->amount == 1 ? "week" : "weken";
        break;
    default:
        unit = rule->amount == 1 ? "werkdag" : "werkdagen";
        break;
    }
    snprintf(out, n, "%d %s", rule->amount, unit);
}

int request_deadline_kinds(enum request_law law, int persoonlijk_plan, int zoektermijn,
                           enum deadline_kind out[REQUEST_MAX_DEADLINES])
{
    int n = 0;
    switch (law) {
    case LAW_WMO:
    case LAW_ONBEKEND: /* the term runs from the melding, whatever the law turns out to be */
        out[n++] = DL_WMO_ONDERZOEK;
        if (persoonlijk_plan) out[n++] = DL_WMO_PERSOONLIJK_PLAN;
        break;
    case LAW_JEUGDWET:
        out[n++] = DL_JEUGD_BESLUIT;
        break;
    case LAW_PARTICIPATIEWET:
        if (zoektermijn) out[n++] = DL_PW_ZOEKTERMIJN;
        out[n++] = DL_PW_BESLUIT;
        break;
    default:
        break;
    }
    return n;
}

/* ---- members ------------------------------------------------------------ */

static void display_name(const char *given, const char *prefix, const char *family, char *out, size_t n)
{
    snprintf(out, n, "%s%s%s %s", given, *prefix ? " " : "", prefix, family);
}

int request_member(db_t *db, int64_t household_id, int64_t person_id, day_t today, day_t *birth, int *has_birth)
{
    char t[11];
    day_format(today, t);
    db_stmt_t *st = db_prepare(
        db, "SELECT p.birth_date FROM household_member m JOIN person p ON p.id = m.person_id"
            " WHERE m.household_id = ? AND m.person_id = ? AND (m.until IS NULL OR m.until = '' OR m.until > ?)");
    db_bind_int(st, 1, household_id);
    db_bind_int(st, 2, person_id);
    db_bind_text(st, 3, t);
    int rc = db_step(st), r;
    if (rc == DB_ROW) {
        r = 1;
        *has_birth = day_parse(db_col_text(st, 0), birth) == 0;
    } else {
        r = rc == DB_DONE ? 0 : REQ_E_DB;
    }
    db_done(st);
    return r;
}

json_t *request_members_model(db_t *db, int64_t household_id, day_t today, int64_t selected)
{
    char t[11];
    day_format(today, t);
    json_t *list = json_array();
    db_stmt_t *st =
        db_prepare(db, "SELECT p.id, p.given_names, p.prefix, p.family_name, p.birth_date, m.relation"
                       " FROM household_member m JOIN person p ON p.id = m.person_id"
                       " WHERE m.household_id = ? AND (m.until IS NULL OR m.until = '' OR m.until > ?)"
                       " ORDER BY m.relation <> 'hoofdbewoner', m.relation <> 'partner', p.birth_date, p.id");
    db_bind_int(st, 1, household_id);
    db_bind_text(st, 2, t);
    int first = 1;
    while (db_step(st) == DB_ROW) {
        char name[400];
        int64_t id = db_col_int(st, 0);
        display_name(db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3), name, sizeof name);
        json_t *m = json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)id, "name", name, "relation",
                              db_col_text(st, 5), "selected", selected ? id == selected : first);
        day_t birth;
        if (day_parse(db_col_text(st, 4), &birth) == 0) {
            int age = age_on(birth, today);
            json_object_set_new(m, "age", json_integer(age));
            json_object_set_new(m, "under_27", json_boolean(age < 27));
        }
        json_array_append_new(list, m);
        first = 0;
    }
    db_done(st);
    return list;
}

/* ---- writes ------------------------------------------------------------- */

int64_t request_create(db_t *db, const char *gemeente, const struct request_in *in, const struct deadline_config *cfg,
                       int64_t now)
{
    enum deadline_kind kinds[REQUEST_MAX_DEADLINES];
    int n = request_deadline_kinds(in->law, in->persoonlijk_plan, in->zoektermijn, kinds);
    char received[11];
    day_format(in->received_on, received);
    if (db_begin(db) != DB_OK) return REQ_E_DB;
    db_stmt_t *st = db_prepare(
        db, "INSERT INTO request (gemeente, household_id, person_id, law, channel, question, received_on, status,"
            " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'nieuw', ?, ?) RETURNING id");
    db_bind_text(st, 1, gemeente);
    db_bind_int(st, 2, in->household_id);
    if (in->person_id > 0)
        db_bind_int(st, 3, in->person_id);
    else
        db_bind_null(st, 3);
    db_bind_text(st, 4, request_law_code(in->law));
    db_bind_text(st, 5, in->channel);
    db_bind_text(st, 6, in->question);
    db_bind_text(st, 7, received);
    db_bind_int(st, 8, in->created_by);
    db_bind_int(st, 9, now);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : REQ_E_DB;
    db_done(st);
    for (int i = 0; id > 0 && i < n; i++) {
        char due[11];
        day_format(deadline_due(&cfg->rule[kinds[i]], in->received_on, &cfg->holidays), due);
        st = db_prepare(db,
                        "INSERT INTO deadline (gemeente, household_id, request_id, kind, start_on, due_on, created_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)");
        db_bind_text(st, 1, gemeente);
        db_bind_int(st, 2, in->household_id);
        db_bind_int(st, 3, id);
        db_bind_text(st, 4, cfg->rule[kinds[i]].code);
        db_bind_text(st, 5, received);
        db_bind_text(st, 6, due);
        db_bind_int(st, 7, now);
        if (db_step(st) != DB_DONE) id = REQ_E_DB;
        db_done(st);
    }
    if (id < 0 || db_commit(db) != DB_OK) {
        db_rollback(db);
        return REQ_E_DB;
    }
    return id;
}

int request_set_status(db_t *db, const char *gemeente, int64_t household_id, int64_t request_id, enum request_status to,
                       day_t today, int64_t now, enum request_status *from)
{
    if (db_begin(db) != DB_OK) return REQ_E_DB;
    db_stmt_t *st = db_prepare(db, "SELECT status FROM request WHERE id = ? AND household_id = ? AND gemeente = ?");
    db_bind_int(st, 1, request_id);
    db_bind_int(st, 2, household_id);
    db_bind_text(st, 3, gemeente);
    int rc = db_step(st);
    int cur = rc == DB_ROW ? request_status_parse(db_col_text(st, 0)) : -1;
    db_done(st);
    int r = REQ_OK;
    if (rc != DB_ROW)
        r = rc == DB_DONE ? REQ_E_NOT_FOUND : REQ_E_DB;
    else if (!request_status_allowed((enum request_status)cur, to))
        r = REQ_E_TRANSITION;
    if (from && cur >= 0) *from = (enum request_status)cur;
    if (r == REQ_OK) {
        int closing = request_status_closed(to);
        st = db_prepare(db, "UPDATE request SET status = ?, closed_at = ? WHERE id = ? AND household_id = ?");
        db_bind_text(st, 1, request_status_code(to));
        if (closing)
            db_bind_int(st, 2, now);
        else
            db_bind_null(st, 2);
        db_bind_int(st, 3, request_id);
        db_bind_int(st, 4, household_id);
        if (db_step(st) != DB_DONE) r = REQ_E_DB;
        db_done(st);
        if (r == REQ_OK && closing) {
            char t[11];
            day_format(today, t);
            st = db_prepare(db, "UPDATE deadline SET done_on = ?, note = 'melding afgesloten'"
                                " WHERE request_id = ? AND household_id = ? AND done_on IS NULL");
            db_bind_text(st, 1, t);
            db_bind_int(st, 2, request_id);
            db_bind_int(st, 3, household_id);
            if (db_step(st) != DB_DONE) r = REQ_E_DB;
            db_done(st);
        }
    }
    if (r == REQ_OK) {
        if (db_commit(db) != DB_OK) {
            db_rollback(db);
            return REQ_E_DB;
        }
        return REQ_OK;
    }
    db_rollback(db);
    return r;
}

int deadline_mark_done(db_t *db, const char *gemeente, int64_t household_id, int64_t deadline_id, day_t today,
                       int *changed)
{
    char t[11];
    day_format(today, t);
    *changed = 0;
    db_stmt_t *st =
        db_prepare(db, "SELECT done_on IS NULL FROM deadline WHERE id = ? AND household_id = ? AND gemeente = ?");
    db_bind_int(st, 1, deadline_id);
    db_bind_int(st, 2, household_id);
    db_bind_text(st, 3, gemeente);
    int rc = db_step(st);
    int open = rc == DB_ROW && db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc == DB_DONE ? REQ_E_NOT_FOUND : REQ_E_DB;
    if (!open) return REQ_OK;
    st = db_prepare(db, "UPDATE deadline SET done_on = ? WHERE id = ? AND household_id = ? AND done_on IS NULL");
    db_bind_text(st, 1, t);
    db_bind_int(st, 2, deadline_id);
    db_bind_int(st, 3, household_id);
    rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return REQ_E_DB;
    *changed = db_changes(db) > 0;
    return REQ_OK;
}

/* ---- models ------------------------------------------------------------- */

json_t *deadline_item_model(int64_t id, int64_t household_id, int64_t request_id, const char *kind,
                            const char *start_on, const char *due_on, const char *done_on, const char *note,
                            day_t today)
{
    char due_nl[40] = "", done_nl[40] = "", text[64] = "";
    day_t due = today, done = 0;
    int has_due = day_parse(due_on, &due) == 0;
    int is_done = done_on && day_parse(done_on, &done) == 0;
    if (has_due) day_format_nl(due, due_nl, sizeof due_nl);
    if (is_done) day_format_nl(done, done_nl, sizeof done_nl);
    int left = days_left(due, today);
    int st = deadline_status(due, today, DEADLINE_SOON_DAYS);
    const char *state = is_done             ? "afgerond"
                        : st == DL_OVERDUE  ? "te_laat"
                        : st == DL_DUE_SOON ? "binnenkort"
                                            : "later";
    if (left == 0)
        snprintf(text, sizeof text, "vandaag");
    else if (left == 1)
        snprintf(text, sizeof text, "morgen");
    else if (left > 1)
        snprintf(text, sizeof text, "nog %d dagen", left);
    else if (left == -1)
        snprintf(text, sizeof text, "1 dag te laat");
    else
        snprintf(text, sizeof text, "%d dagen te laat", -left);
    json_t *m = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:b, s:b, s:b, s:s}", "id",
                          (json_int_t)id, "household_id", (json_int_t)household_id, "kind", kind, "label",
                          deadline_kind_label(kind), "start_on", start_on, "due_on", due_on, "due_nl", due_nl,
                          "days_left", left, "days_text", text, "state", state, "overdue", !is_done && st == DL_OVERDUE,
                          "soon", !is_done && st == DL_DUE_SOON, "done", is_done, "note", note ? note : "");
    if (request_id > 0) json_object_set_new(m, "request_id", json_integer(request_id));
    if (is_done) {
        json_object_set_new(m, "done_on", json_string(done_on));
        json_object_set_new(m, "done_nl", json_string(done_nl));
        json_object_set_new(m, "late_done", json_boolean(has_due && done > due));
    }
    return m;
}

static json_t *row_deadline(db_stmt_t *st, int c, day_t today)
{
    /* columns c..c+7: id, household_id, request_id, kind, start_on, due_on, done_on, note */
    return deadline_item_model(db_col_int(st, c), db_col_int(st, c + 1), db_col_int(st, c + 2), db_col_text(st, c + 3),
                               db_col_text(st, c + 4), db_col_text(st, c + 5),
                               db_col_is_null(st, c + 6) ? NULL : db_col_text(st, c + 6), db_col_text(st, c + 7),
                               today);
}

json_t *request_household_model(db_t *db, const char *gemeente, int64_t household_id, day_t today)
{
    json_t *m = json_pack("{s:I}", "household_id", (json_int_t)household_id);
    json_t *requests = json_array();
    db_stmt_t *st =
        db_prepare(db, "SELECT r.id, r.law, r.channel, r.question, r.received_on, r.status, r.closed_at,"
                       " p.given_names, p.prefix, p.family_name, p.id IS NOT NULL"
                       " FROM request r LEFT JOIN person p ON p.id = r.person_id"
                       " WHERE r.household_id = ? AND r.gemeente = ? ORDER BY r.received_on DESC, r.id DESC");
    db_bind_int(st, 1, household_id);
    db_bind_text(st, 2, gemeente);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int law = request_law_parse(db_col_text(st, 1));
        int ch = request_channel_parse(db_col_text(st, 2));
        int status = request_status_parse(db_col_text(st, 5));
        if (law < 0 || ch < 0 || status < 0) continue; /* the schema's CHECKs make this impossible */
        char received_nl[40] = "", person[400] = "";
        day_t received;
        if (day_parse(db_col_text(st, 4), &received) == 0) day_format_nl(received, received_nl, sizeof received_nl);
        if (db_col_int(st, 10))
            display_name(db_col_text(st, 7), db_col_text(st, 8), db_col_text(st, 9), person, sizeof person);
        json_t *moves = json_array();
        for (int to = 0; to < RS_COUNT; to++)
            if (request_status_allowed((enum request_status)status, (enum request_status)to))
                json_array_append_new(moves,
                                      json_pack("{s:s, s:s}", "code", status_codes[to], "label", status_labels[to]));
        json_t *r = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "id",
                              (json_int_t)db_col_int(st, 0), "law", law_codes[law], "law_label", law_labels[law],
                              "channel", channel_codes[ch], "channel_label", channel_labels[ch], "question",
                              db_col_text(st, 3), "received_on", db_col_text(st, 4), "received_nl", received_nl,
                              "person", person, "status", status_codes[status], "status_label", status_labels[status],
                              "closed", request_status_closed((enum request_status)status), "moves", moves);
        json_object_set_new(r, "has_moves", json_boolean(json_array_size(moves) > 0));
        if (!db_col_is_null(st, 6)) {
            char closed_on[40];
            int64_t t = db_col_int(st, 6);
            day_format_nl(day_today_amsterdam(t), closed_on, sizeof closed_on);
            json_object_set_new(r, "closed_on_nl", json_string(closed_on));
        }
        json_object_set_new(r, "deadlines", json_array());
        /* explicit false: a missing key would be looked up in the page's outer context */
        json_object_set_new(r, "has_deadlines", json_false());
        json_array_append_new(requests, r);
    }
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(requests);
        json_decref(m);
        return NULL;
    }
    /* Deadlines of this household, attached to their request. */
    json_t *open = json_array();
    int overdue = 0, soon = 0;
    st = db_prepare(db, "SELECT id, household_id, request_id, kind, start_on, due_on, done_on, note FROM deadline"
                        " WHERE household_id = ? AND gemeente = ? ORDER BY due_on, id");
    db_bind_int(st, 1, household_id);
    db_bind_text(st, 2, gemeente);
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *d = row_deadline(st, 0, today);
        int64_t rid = db_col_int(st, 2);
        size_t i;
        json_t *r;
        json_array_foreach(requests, i, r)
        {
            if (json_integer_value(json_object_get(r, "id")) == rid) {
                json_object_set_new(d, "law_label", json_string(json_string_value(json_object_get(r, "law_label"))));
                json_array_append(json_object_get(r, "deadlines"), d);
                json_object_set_new(r, "has_deadlines", json_true());
                break;
            }
        }
        if (!json_is_true(json_object_get(d, "done"))) {
            overdue += json_is_true(json_object_get(d, "overdue"));
            soon += json_is_true(json_object_get(d, "soon"));
            json_array_append(open, d);
        }
        json_decref(d);
    }
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(open);
        json_decref(requests);
        json_decref(m);
        return NULL;
    }
    json_object_set_new(m, "count", json_integer((json_int_t)json_array_size(requests)));
    json_object_set_new(m, "requests", requests);
    json_object_set_new(m, "open_count", json_integer((json_int_t)json_array_size(open)));
    json_object_set_new(m, "overdue_count", json_integer(overdue));
    json_object_set_new(m, "soon_count", json_integer(soon));
    json_object_set_new(m, "open_deadlines", open);
    return m;
}

json_t *deadline_open_list(db_t *db, const char *gemeente, int64_t account_id, int64_t team_id, day_t today)
{
    /* One statement for both scopes: (team_id > 0 AND h.team_id = team) OR
     * (team_id = 0 AND the account is the current coordinator). */
    db_stmt_t *st =
        db_prepare(db, "SELECT d.id, d.household_id, d.request_id, d.kind, d.start_on, d.due_on, d.done_on, d.note,"
                       " h.name, r.law, a.display_name"
                       " FROM deadline d JOIN household h ON h.id = d.household_id"
                       " LEFT JOIN request r ON r.id = d.request_id"
                       " LEFT JOIN coordinator c ON c.household_id = h.id AND c.end_at IS NULL"
                       " LEFT JOIN account a ON a.id = c.account_id"
                       " WHERE d.gemeente = ? AND h.gemeente = d.gemeente AND d.done_on IS NULL"
                       " AND ((? > 0 AND h.team_id = ?) OR (? = 0 AND c.account_id = ?))"
                       " ORDER BY d.due_on, d.id");
    db_bind_text(st, 1, gemeente);
    db_bind_int(st, 2, team_id);
    db_bind_int(st, 3, team_id);
    db_bind_int(st, 4, team_id);
    db_bind_int(st, 5, account_id);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *d = row_deadline(st, 0, today);
        int law = request_law_parse(db_col_text(st, 9));
        json_object_set_new(d, "household_name", json_string(db_col_text(st, 8)));
        json_object_set_new(d, "law", json_string(law >= 0 ? law_codes[law] : ""));
        json_object_set_new(d, "law_label", json_string(law >= 0 ? law_labels[law] : ""));
        json_object_set_new(d, "coordinator", json_string(db_col_text(st, 10)));
        json_array_append_new(list, d);
    }
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}
