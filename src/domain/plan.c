/*
 * plan.c - the household plan: pure operations on a plan body (check, add,
 * change status, diff, kantel index) and the versions and agreements in the
 * database. See plan.h for the contracts.
 */
#include "domain/plan.h"

#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/household.h"
#include "domain/instrument.h"

/* ---- vocabulary -------------------------------------------------------- */

static const struct { const char *code, *label; } carriers[] = {
    {"resident", "Inwoner zelf"},
    {"household_member", "Iemand uit het huishouden"},
    {"network_member", "Iemand uit het netwerk"},
    {"community_service", "Buurt of vrijwilligers"},
    {"general_provision", "Algemene voorziening"},
    {"provider", "Zorgaanbieder (maatwerk)"},
};

static const struct { const char *code, *label; } statuses[] = {
    {"open", "Open"},
    {"bezig", "Bezig"},
    {"gedaan", "Gedaan"},
    {"gestopt", "Gestopt"},
};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

const char *plan_carrier_label(const char *carrier)
{
    if (!carrier) return NULL;
    for (int i = 0; i < COUNT(carriers); i++)
        if (strcmp(carriers[i].code, carrier) == 0) return carriers[i].label;
    return NULL;
}

int plan_status_count(void)
{
    return COUNT(statuses);
}

const char *plan_status_at(int i)
{
    return i >= 0 && i < COUNT(statuses) ? statuses[i].code : NULL;
}

const char *plan_status_label(const char *status)
{
    if (!status) return NULL;
    for (int i = 0; i < COUNT(statuses); i++)
        if (strcmp(statuses[i].code, status) == 0) return statuses[i].label;
    return NULL;
}

static const struct instrument *zrm(void)
{
    return instrument_find("zrm");
}

static const char *domain_name(const char *code)
{
    const struct instrument_domain *d = code ? instrument_domain(zrm(), code) : NULL;
    return d ? d->name : NULL;
}

/* ---- small text helpers ------------------------------------------------ */

/* Number of UTF-8 characters in s. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* s without leading and trailing white space, as a new JSON string. */
static json_t *trimmed(const char *s)
{
    if (!s) return json_string("");
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
    return json_stringn(s, n);
}

static int blank(const char *s)
{
    if (!s) return 1;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return 0;
    return 1;
}

void plan_text_clip(const char *s, size_t max_chars, char *out, size_t n)
{
    if (n == 0) return;
    size_t o = 0, chars = 0, fit = 0; /* fit: last cut that leaves room for "…" */
    int clipped = 0;
    while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t') s++;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
        size_t have = 1;
        while (have < len && p[have]) have++; /* a truncated sequence ends at the NUL */
        if (chars == max_chars || o + have > n - 1) {
            clipped = 1;
            break;
        }
        for (size_t i = 0; i < have; i++, p++) out[o++] = (char)((*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : *p);
        chars++;
        if (o + 3 <= n - 1) fit = o;
    }
    if (clipped) o = fit;
    while (o > 0 && out[o - 1] == ' ') o--;
    if (clipped && o + 3 <= n - 1) {
        memcpy(out + o, "\xE2\x80\xA6", 3); /* … */
        o += 3;
    }
    out[o] = '\0';
}

/* Copies s into out (n > 0 bytes), cut short on a character boundary. */
static void copy_utf8(char *out, size_t n, const char *s)
{
    size_t len = strlen(s);
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80) len--; /* s[len] starts the cut character */
    }
    memcpy(out, s, len);
    out[len] = '\0';
}

static const char *str_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int64_t int_of(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

/* ---- bodies ------------------------------------------------------------ */

json_t *plan_body_new(void)
{
    return json_pack("{s:[], s:[]}", "goals", "actions");
}

json_t *plan_body_parse(const char *text)
{
    json_t *b = text ? json_loads(text, 0, NULL) : NULL;
    if (!json_is_object(b) || !json_is_array(json_object_get(b, "goals")) ||
        !json_is_array(json_object_get(b, "actions"))) {
        json_decref(b);
        return NULL;
    }
    return b;
}

static json_t *find_by_id(json_t *list, int64_t id)
{
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
        if (int_of(it, "id") == id) return it;
    return NULL;
}

json_t *plan_body_goal(json_t *body, int64_t id)
{
    return find_by_id(json_object_get(body, "goals"), id);
}

json_t *plan_body_action(json_t *body, int64_t id)
{
    return find_by_id(json_object_get(body, "actions"), id);
}

static int64_t next_id(json_t *list)
{
    int64_t max = 0;
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
        if (int_of(it, "id") > max) max = int_of(it, "id");
    return max + 1;
}

static void set_err(json_t *errors, const char *field, const char *msg)
{
    if (errors && !json_object_get(errors, field)) json_object_set_new(errors, field, json_string(msg));
}

static int check_text(const char *text, json_t *errors, const char *what)
{
    if (blank(text)) {
        set_err(errors, "text", what);
        return 1;
    }
    if (utf8_chars(text) > PLAN_TEXT_MAX) {
        set_err(errors, "text", "Gebruik hoogstens 1000 tekens.");
        return 1;
    }
    return 0;
}

int plan_check_goal(json_t *body, const struct plan_goal_in *g, json_t *errors)
{
    (void)body;
    int n = 0;
    if (!domain_name(g->domain)) {
        set_err(errors, "domain", "Kies een levensgebied uit de lijst.");
        n++;
    }
    if (g->current < 1 || g->current > 5) {
        set_err(errors, "current", "Kies de huidige score: 1 tot en met 5.");
        n++;
    }
    if (g->target < 1 || g->target > 5) {
        set_err(errors, "target", "Kies de doelscore: 1 tot en met 5.");
        n++;
    }
    n += check_text(g->text, errors, "Beschrijf wat het huishouden wil bereiken.");
    return n;
}

int plan_check_action(json_t *body, const struct plan_action_in *a, day_t today, json_t *errors)
{
    int n = check_text(a->text, errors, "Beschrijf de actie: wat gebeurt er?");
    if (!ladder_valid(a->level)) {
        set_err(errors, "level", "Kies een trede van 1 tot en met 6.");
        n++;
    }
    if (a->carrier && *a->carrier && !plan_carrier_label(a->carrier)) {
        set_err(errors, "carrier", "Kies een uitvoerder uit de lijst.");
        n++;
    }
    if (a->carrier_name && utf8_chars(a->carrier_name) > PLAN_NAME_MAX) {
        set_err(errors, "carrier_name", "Gebruik hoogstens 200 tekens.");
        n++;
    }
    if (a->goal != 0 && !plan_body_goal(body, a->goal)) {
        set_err(errors, "goal", "Kies een doel uit de lijst, of geen doel.");
        n++;
    }
    if (a->due && *a->due) {
        day_t d;
        if (day_parse(a->due, &d) != 0) {
            set_err(errors, "due", "Vul een datum in als jjjj-mm-dd, bijvoorbeeld 2026-11-23.");
            n++;
        } else if (d < today) {
            set_err(errors, "due", "Deze datum ligt in het verleden. Kies vandaag of een latere datum.");
            n++;
        }
    }
    return n;
}

int64_t plan_body_add_goal(json_t *body, const struct plan_goal_in *g, char *summary, size_t n)
{
    if (plan_check_goal(body, g, NULL) != 0) return PLAN_E_INVALID;
    json_t *goals = json_object_get(body, "goals");
    int64_t id = next_id(goals);
    json_t *text = trimmed(g->text);
    json_array_append_new(goals, json_pack("{s:I, s:s, s:i, s:i, s:o}", "id", (json_int_t)id, "domain", g->domain,
                                           "current", g->current, "target", g->target, "text", text));
    char line[200];
    plan_text_clip(json_string_value(text), 80, line, sizeof line);
    if (n) snprintf(summary, n, "Doel toegevoegd: %s (van %d naar %d): %s", domain_name(g->domain), g->current,
                    g->target, line);
    return id;
}

int64_t plan_body_add_action(json_t *body, const struct plan_action_in *a, day_t today, char *summary, size_t n)
{
    if (plan_check_action(body, a, today, NULL) != 0) return PLAN_E_INVALID;
    json_t *actions = json_object_get(body, "actions");
    int64_t id = next_id(actions);
    const char *carrier = a->carrier && *a->carrier ? a->carrier : ladder_carrier(a->level);
    json_t *text = trimmed(a->text);
    json_t *name = trimmed(a->carrier_name);
    json_t *act = json_pack("{s:I, s:o, s:o, s:i, s:s, s:o, s:o, s:s}", "id", (json_int_t)id, "goal",
                            a->goal ? json_integer(a->goal) : json_null(), "text", text, "level", a->level,
                            "carrier", carrier, "carrier_name", name, "due",
                            a->due && *a->due ? json_string(a->due) : json_null(), "status", "open");
    json_array_append_new(actions, act);
    char line[200];
    plan_text_clip(json_string_value(text), 80, line, sizeof line);
    if (n) snprintf(summary, n, "Actie toegevoegd: %s (trede %d)", line, a->level);
    return id;
}

int plan_body_set_status(json_t *body, int64_t action_id, const char *status, char *summary, size_t n)
{
    json_t *act = plan_body_action(body, action_id);
    if (!act) return PLAN_E_NOT_FOUND;
    const char *label = plan_status_label(status);
    if (!label) return PLAN_E_INVALID;
    const char *old = str_of(act, "status");
    if (strcmp(old, status) == 0) return PLAN_E_UNCHANGED;
    const char *old_label = plan_status_label(old);
    char line[200];
    plan_text_clip(str_of(act, "text"), 80, line, sizeof line);
    if (n) snprintf(summary, n, "Status gewijzigd: %s, van %s naar %s", line, old_label ? old_label : old, label);
    json_object_set_new(act, "status", json_string(status));
    return PLAN_OK;
}

void plan_body_kantel(json_t *body, struct kantel_index *k)
{
    memset(k, 0, sizeof *k);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(body, "actions"), i, it) {
        if (strcmp(str_of(it, "status"), "gestopt") == 0) continue;
        kantel_index_add(k, (int)int_of(it, "level"));
    }
}

/* ---- diff -------------------------------------------------------------- */

/* Display text of a field of an item (goal or action) of body, in Dutch. */
static void field_text(json_t *body, json_t *item, const char *field, char *dst, size_t dstlen)
{
    char out[1600];
    size_t n = sizeof out;
    json_t *v = json_object_get(item, field);
    if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
        snprintf(out, n, "(geen)");
    } else if (strcmp(field, "domain") == 0) {
        const char *d = domain_name(json_string_value(v));
        plan_text_clip(d ? d : str_of(item, field), 100, out, n);
    } else if (strcmp(field, "level") == 0) {
        const char *l = ladder_label((int)json_integer_value(v));
        snprintf(out, n, "%d (%s)", (int)json_integer_value(v), l ? l : "onbekend");
    } else if (strcmp(field, "carrier") == 0) {
        const char *l = plan_carrier_label(json_string_value(v));
        plan_text_clip(l ? l : str_of(item, field), 100, out, n);
    } else if (strcmp(field, "status") == 0) {
        const char *l = plan_status_label(json_string_value(v));
        plan_text_clip(l ? l : str_of(item, field), 100, out, n);
    } else if (strcmp(field, "due") == 0) {
        day_t d;
        if (json_is_string(v) && day_parse(json_string_value(v), &d) == 0) day_format_nl(d, out, n);
        else plan_text_clip(str_of(item, field), 20, out, n);
    } else if (strcmp(field, "goal") == 0) {
        json_t *g = plan_body_goal(body, json_integer_value(v));
        const char *d = g ? domain_name(str_of(g, "domain")) : NULL;
        char line[300], dom[300];
        plan_text_clip(g ? str_of(g, "text") : "", 60, line, sizeof line);
        plan_text_clip(d ? d : g ? str_of(g, "domain") : "", 60, dom, sizeof dom);
        if (g) snprintf(out, n, "%s: %s", dom, line);
        else snprintf(out, n, "doel %lld", (long long)json_integer_value(v));
    } else if (json_is_integer(v)) {
        snprintf(out, n, "%lld", (long long)json_integer_value(v));
    } else {
        plan_text_clip(json_string_value(v) ? json_string_value(v) : "", 300, out, n);
    }
    copy_utf8(dst, dstlen, out);
}

struct field_def {
    const char *field, *label;
};
static const struct field_def goal_fields[] = {
    {"domain", "Levensgebied"}, {"current", "Huidige score"}, {"target", "Doelscore"}, {"text", "Omschrijving"},
};
static const struct field_def action_fields[] = {
    {"text", "Omschrijving"}, {"level", "Trede"}, {"carrier", "Uitvoerder"}, {"carrier_name", "Naam uitvoerder"},
    {"goal", "Doel"}, {"due", "Uiterlijk"}, {"status", "Status"},
};

static json_t *item_title(json_t *body, json_t *item, int is_goal)
{
    char line[420], buf[600];
    plan_text_clip(str_of(item, "text"), 100, line, sizeof line);
    if (is_goal) {
        char d[160];
        field_text(body, item, "domain", d, sizeof d);
        snprintf(buf, sizeof buf, "%s: %s", d, line);
        return json_string(buf);
    }
    return json_string(line);
}

static json_t *item_details(json_t *body, json_t *item, int is_goal)
{
    char buf[2000];
    if (is_goal) {
        snprintf(buf, sizeof buf, "huidige score %lld, doelscore %lld", (long long)int_of(item, "current"),
                 (long long)int_of(item, "target"));
        return json_string(buf);
    }
    char level[160], carrier[160], goal[400], due[80], status[160];
    field_text(body, item, "level", level, sizeof level);
    field_text(body, item, "carrier", carrier, sizeof carrier);
    field_text(body, item, "goal", goal, sizeof goal);
    field_text(body, item, "due", due, sizeof due);
    field_text(body, item, "status", status, sizeof status);
    char name[240] = "";
    if (*str_of(item, "carrier_name")) {
        char nm[220];
        plan_text_clip(str_of(item, "carrier_name"), 100, nm, sizeof nm);
        snprintf(name, sizeof name, " (%s)", nm);
    }
    snprintf(buf, sizeof buf, "trede %s, uitvoerder: %s%s, doel: %s, uiterlijk: %s, status: %s", level, carrier,
             name, goal, due, status);
    return json_string(buf);
}

static json_t *item_model(json_t *body, json_t *item, int is_goal)
{
    return json_pack("{s:I, s:o, s:o}", "id", (json_int_t)int_of(item, "id"), "title", item_title(body, item, is_goal),
                     "details", item_details(body, item, is_goal));
}

static json_t *diff_list(json_t *a, json_t *b, const char *key, const struct field_def *fields, int nfields,
                         int is_goal, int *count)
{
    json_t *added = json_array(), *removed = json_array(), *changed = json_array();
    json_t *la = json_object_get(a, key), *lb = json_object_get(b, key);
    size_t i;
    json_t *it;
    json_array_foreach(la, i, it) {
        json_t *other = find_by_id(lb, int_of(it, "id"));
        if (!other) {
            json_array_append_new(removed, item_model(a, it, is_goal));
            continue;
        }
        json_t *changes = json_array();
        for (int f = 0; f < nfields; f++) {
            json_t *va = json_object_get(it, fields[f].field), *vb = json_object_get(other, fields[f].field);
            if (json_equal(va, vb) || (!va && json_is_null(vb)) || (json_is_null(va) && !vb)) continue;
            char old[1600], new[1600];
            field_text(a, it, fields[f].field, old, sizeof old);
            field_text(b, other, fields[f].field, new, sizeof new);
            json_array_append_new(changes, json_pack("{s:s, s:s, s:s, s:s}", "field", fields[f].field, "label",
                                                     fields[f].label, "old", old, "new", new));
        }
        if (json_array_size(changes))
            json_array_append_new(changed, json_pack("{s:I, s:o, s:o}", "id", (json_int_t)int_of(other, "id"),
                                                     "title", item_title(b, other, is_goal), "changes", changes));
        else
            json_decref(changes);
    }
    json_array_foreach(lb, i, it)
        if (!find_by_id(la, int_of(it, "id"))) json_array_append_new(added, item_model(b, it, is_goal));
    *count += (int)(json_array_size(added) + json_array_size(removed) + json_array_size(changed));
    return json_pack("{s:o, s:o, s:o}", "added", added, "removed", removed, "changed", changed);
}

json_t *plan_body_diff(json_t *a, json_t *b)
{
    int count = 0;
    json_t *goals = diff_list(a, b, "goals", goal_fields, COUNT(goal_fields), 1, &count);
    json_t *actions = diff_list(a, b, "actions", action_fields, COUNT(action_fields), 0, &count);
    return json_pack("{s:o, s:o, s:i}", "goals", goals, "actions", actions, "count", count);
}

/* ---- the database ------------------------------------------------------ */

int64_t plan_find(db_t *db, int64_t household_id, int *current)
{
    db_stmt_t *st = db_prepare(db, "SELECT id, current_version FROM plan WHERE household_id = ?");
    db_bind_int(st, 1, household_id);
    int rc = db_step(st);
    int64_t id = 0;
    if (rc == DB_ROW) {
        id = db_col_int(st, 0);
        if (current) *current = (int)db_col_int(st, 1);
    } else if (rc != DB_DONE) {
        id = PLAN_E_DB;
    } else if (current) {
        *current = 0;
    }
    db_done(st);
    return id;
}

int plan_version_load(db_t *db, int64_t plan_id, int version, json_t **body, struct plan_version_meta *meta)
{
    if (body) *body = NULL;
    db_stmt_t *st = db_prepare(db,
        "SELECT v.version, v.body, v.summary, coalesce(v.created_by, 0), v.created_at, coalesce(a.display_name, '')"
        " FROM plan p JOIN plan_version v ON v.plan_id = p.id"
        " AND v.version = CASE WHEN ? > 0 THEN ? ELSE p.current_version END"
        " LEFT JOIN account a ON a.id = v.created_by WHERE p.id = ?");
    db_bind_int(st, 1, version);
    db_bind_int(st, 2, version);
    db_bind_int(st, 3, plan_id);
    int rc = db_step(st), ret = PLAN_OK;
    if (rc == DB_ROW) {
        json_t *b = plan_body_parse(db_col_text(st, 1));
        if (!b) {
            ret = PLAN_E_DB; /* a stored body is always valid: broken data */
        } else {
            if (meta) {
                meta->version = (int)db_col_int(st, 0);
                meta->created_by = db_col_int(st, 3);
                meta->created_at = db_col_int(st, 4);
                copy_utf8(meta->by, sizeof meta->by, db_col_text(st, 5));
                copy_utf8(meta->summary, sizeof meta->summary, db_col_text(st, 2));
            }
            if (body) *body = b;
            else json_decref(b);
        }
    } else {
        ret = rc == DB_DONE ? PLAN_E_NOT_FOUND : PLAN_E_DB;
    }
    db_done(st);
    return ret;
}

json_t *plan_versions(db_t *db, int64_t plan_id)
{
    json_t *list = json_array();
    db_stmt_t *st = db_prepare(db,
        "SELECT v.version, v.summary, coalesce(a.display_name, ''), v.created_at FROM plan_version v"
        " LEFT JOIN account a ON a.id = v.created_by WHERE v.plan_id = ? ORDER BY v.version DESC");
    db_bind_int(st, 1, plan_id);
    while (db_step(st) == DB_ROW)
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:I}", "version", (json_int_t)db_col_int(st, 0),
                                              "summary", db_col_text(st, 1), "by", db_col_text(st, 2), "created_at",
                                              (json_int_t)db_col_int(st, 3)));
    db_done(st);
    return list;
}

int plan_change(db_t *db, const char *gemeente, int64_t household_id, int64_t account_id, int64_t now,
                plan_change_fn fn, void *arg)
{
    if (db_begin(db) != DB_OK) return PLAN_E_DB;
    int current = 0, ret = PLAN_E_DB, rc;
    json_t *body = NULL;
    char *text = NULL;
    db_stmt_t *st;
    char summary[PLAN_SUMMARY_MAX] = "";
    /* Read inside the write transaction: another writer cannot slip in
     * between reading the current body and storing the next version. */
    int64_t plan_id = plan_find(db, household_id, &current);
    if (plan_id == 0) {
        st = db_prepare(db,
            "INSERT INTO plan (gemeente, household_id, current_version, created_at, updated_at)"
            " VALUES (?, ?, 0, ?, ?) RETURNING id");
        db_bind_text(st, 1, gemeente);
        db_bind_int(st, 2, household_id);
        db_bind_int(st, 3, now);
        db_bind_int(st, 4, now);
        plan_id = db_step(st) == DB_ROW ? db_col_int(st, 0) : PLAN_E_DB;
        db_done(st);
    }
    if (plan_id < 0) goto fail;
    if (current > 0) {
        if (plan_version_load(db, plan_id, current, &body, NULL) != PLAN_OK) goto fail;
    } else {
        body = plan_body_new();
    }
    ret = fn(body, arg, summary, sizeof summary);
    if (ret != PLAN_OK) goto fail;
    ret = PLAN_E_DB;
    text = json_dumps(body, JSON_COMPACT);
    if (!text) goto fail;
    st = db_prepare(db,
        "INSERT INTO plan_version (plan_id, version, body, summary, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    db_bind_int(st, 1, plan_id);
    db_bind_int(st, 2, current + 1);
    db_bind_text(st, 3, text);
    db_bind_text(st, 4, summary);
    if (account_id > 0) db_bind_int(st, 5, account_id); else db_bind_null(st, 5);
    db_bind_int(st, 6, now);
    rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) goto fail;
    st = db_prepare(db, "UPDATE plan SET current_version = ?, updated_at = ? WHERE id = ? AND current_version = ?");
    db_bind_int(st, 1, current + 1);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, plan_id);
    db_bind_int(st, 4, current);
    rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE || db_changes(db) != 1) goto fail;
    if (db_commit(db) != DB_OK) goto fail;
    free(text);
    json_decref(body);
    return current + 1;
fail:
    db_rollback(db);
    free(text);
    json_decref(body);
    return ret;
}

int plan_agree(db_t *db, int64_t plan_id, int version, int64_t person_id, int64_t account_id, int64_t now)
{
    db_stmt_t *st = db_prepare(db,
        "SELECT p.household_id FROM plan p JOIN plan_version v ON v.plan_id = p.id AND v.version = ? WHERE p.id = ?");
    db_bind_int(st, 1, version);
    db_bind_int(st, 2, plan_id);
    int rc = db_step(st);
    int64_t household_id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    if (rc != DB_ROW) return rc == DB_DONE ? PLAN_E_NOT_FOUND : PLAN_E_DB;
    char today[11];
    day_format(day_today_amsterdam(now), today);
    st = db_prepare(db,
        "SELECT 1 FROM household_member WHERE household_id = ? AND person_id = ? AND (until IS NULL OR until >= ?)");
    db_bind_int(st, 1, household_id);
    db_bind_int(st, 2, person_id);
    db_bind_text(st, 3, today);
    rc = db_step(st);
    db_done(st);
    if (rc != DB_ROW) return rc == DB_DONE ? PLAN_E_PERSON : PLAN_E_DB;
    st = db_prepare(db,
        "INSERT INTO plan_agreement (plan_id, version, person_id, account_id, agreed_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (plan_id, version, person_id) DO NOTHING");
    db_bind_int(st, 1, plan_id);
    db_bind_int(st, 2, version);
    db_bind_int(st, 3, person_id);
    if (account_id > 0) db_bind_int(st, 4, account_id); else db_bind_null(st, 4);
    db_bind_int(st, 5, now);
    rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? PLAN_OK : PLAN_E_DB;
}

json_t *plan_agreements(db_t *db, int64_t plan_id)
{
    json_t *list = json_array();
    db_stmt_t *st = db_prepare(db,
        "SELECT g.version, g.person_id, p.given_names, p.prefix, p.family_name, g.agreed_at,"
        " coalesce(a.display_name, '') FROM plan_agreement g JOIN person p ON p.id = g.person_id"
        " LEFT JOIN account a ON a.id = g.account_id WHERE g.plan_id = ? ORDER BY g.version DESC, g.agreed_at DESC");
    db_bind_int(st, 1, plan_id);
    while (db_step(st) == DB_ROW) {
        char name[1024];
        person_display_name(db_col_text(st, 2), db_col_text(st, 3), db_col_text(st, 4), name, sizeof name);
        json_array_append_new(list, json_pack("{s:I, s:I, s:s, s:I, s:s}", "version", (json_int_t)db_col_int(st, 0),
                                              "person_id", (json_int_t)db_col_int(st, 1), "person", name,
                                              "agreed_at", (json_int_t)db_col_int(st, 5), "recorded_by",
                                              db_col_text(st, 6)));
    }
    db_done(st);
    return list;
}

json_t *plan_comments(db_t *db, int64_t household_id, int64_t viewer_account_id, int limit)
{
    json_t *list = json_array();
    db_stmt_t *st = db_prepare(db,
        "SELECT c.id, c.version, c.body, c.created_at, COALESCE(a.display_name, ''), c.account_id FROM plan_comment c"
        " LEFT JOIN account a ON a.id = c.account_id WHERE c.household_id = ? ORDER BY c.created_at DESC, c.id DESC"
        " LIMIT ?");
    db_bind_int(st, 1, household_id);
    db_bind_int(st, 2, limit);
    while (db_step(st) == DB_ROW) {
        char when[24];
        fmt_local_time(db_col_int(st, 3), when, sizeof when);
        json_array_append_new(list, json_pack("{s:I, s:o, s:s, s:s, s:s, s:b}", "id", (json_int_t)db_col_int(st, 0),
            "version", db_col_is_null(st, 1) ? json_null() : json_integer(db_col_int(st, 1)), "text",
            db_col_text(st, 2), "when", when, "by", db_col_text(st, 4), "mine",
            db_col_int(st, 5) == viewer_account_id));
    }
    db_done(st);
    return list;
}
