/* volunteer.c - volunteer registry, postcode coordinates, volunteer requests
 * and proposals (see volunteer.h). */
#include "domain/volunteer.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fold.h"
#include "core/util.h"
#include "domain/ident.h"
#include "domain/plan.h"
#include "domain/volunteer_match.h"
#include "http/parse.h"

/* ---- helpers ----------------------------------------------------------- */

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

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

typedef int (*valid_fn)(const char *code);

static int valid_skill(const char *c) { return vm_skill_label(c) != NULL; }
static int valid_language(const char *c) { return vm_language_label(c) != NULL; }
static int valid_age(const char *c) { return vm_age_group_label(c) != NULL; }
static int valid_slot(const char *c) { return vm_slot_valid(c); }

/* 1 when every item of the comma list passes ok. */
static int list_ok(const char *list, valid_fn ok)
{
    for (const char *s = or_empty(list); *s;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        char item[64];
        if (len == 0 || len >= sizeof item) return 0;
        memcpy(item, s, len);
        item[len] = '\0';
        if (!ok(item)) return 0;
        s += len;
        if (*s == ',') s++;
    }
    return 1;
}

json_t *volunteer_labels(const char *kind, const char *list)
{
    char out[2048] = "";
    size_t len = 0;
    for (const char *s = or_empty(list); *s;) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        char item[64], slot[40];
        if (n > 0 && n < sizeof item) {
            memcpy(item, s, n);
            item[n] = '\0';
            const char *label = NULL;
            if (strcmp(kind, "skills") == 0) label = vm_skill_label(item);
            else if (strcmp(kind, "languages") == 0) label = vm_language_label(item);
            else if (strcmp(kind, "age_groups") == 0) label = vm_age_group_label(item);
            else if (strcmp(kind, "slots") == 0 && vm_slot_label(item, slot, sizeof slot) == 0) label = slot;
            if (!label) label = item;
            len += (size_t)snprintf(out + len, len < sizeof out ? sizeof out - len : 0, "%s%s", len ? ", " : "", label);
            if (len >= sizeof out) len = sizeof out - 1;
        }
        s += n;
        if (*s == ',') s++;
    }
    return json_string(out);
}

/* ---- postcode coordinates ---------------------------------------------- */

int postcode_geo_find(db_t *db, const char *gemeente, const char *postcode, int64_t *lat_e7, int64_t *lon_e7)
{
    if (!postcode || !*postcode) return 0;
    db_stmt_t *st = db_prepare(db, "SELECT lat_e7, lon_e7 FROM postcode_geo WHERE gemeente = ? AND postcode = ?");
    db_bind_text(st, 1, gemeente);
    db_bind_text(st, 2, postcode);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *lat_e7 = db_col_int(st, 0);
        *lon_e7 = db_col_int(st, 1);
    }
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int postcode_geo_put(db_t *db, const char *gemeente, const char *postcode, int64_t lat_e7, int64_t lon_e7,
                     const char *source)
{
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO postcode_geo (gemeente, postcode, lat_e7, lon_e7, source) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (gemeente, postcode) DO UPDATE SET lat_e7 = excluded.lat_e7, lon_e7 = excluded.lon_e7,"
        " source = excluded.source");
    db_bind_text(st, 1, gemeente);
    db_bind_text(st, 2, postcode);
    db_bind_int(st, 3, lat_e7);
    db_bind_int(st, 4, lon_e7);
    db_bind_text(st, 5, or_empty(source));
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* ---- volunteers --------------------------------------------------------- */

static void err(json_t *errors, const char *field, const char *msg, int *n)
{
    if (!json_object_get(errors, field)) json_object_set_new(errors, field, json_string(msg));
    (*n)++;
}

int volunteer_check(const struct volunteer_in *in, day_t today, json_t *errors)
{
    int n = 0;
    if (blank(in->name)) err(errors, "name", "Vul de naam van de vrijwilliger in.", &n);
    else if (chars(in->name) > VOL_NAME_MAX) err(errors, "name", "De naam is te lang (hoogstens 200 tekens).", &n);
    const char *ph = or_empty(in->phone);
    int digits = 0, bad = 0;
    for (const char *c = ph; *c; c++) {
        if (isdigit((unsigned char)*c)) digits++;
        else if (!strchr(" +-()", *c)) bad = 1;
    }
    if (*ph && (bad || digits < 6 || strlen(ph) > VOL_PHONE_MAX))
        err(errors, "phone", "Vul een telefoonnummer in met cijfers, bijvoorbeeld 06 12345678.", &n);
    if (!blank(in->postcode) && postcode_why(in->postcode))
        err(errors, "postcode", postcode_why(in->postcode), &n);
    if (!list_ok(in->languages, valid_language)) err(errors, "languages", "Kies talen uit de lijst.", &n);
    if (!list_ok(in->skills, valid_skill)) err(errors, "skills", "Kies vaardigheden uit de lijst.", &n);
    if (!list_ok(in->slots, valid_slot)) err(errors, "slots", "Kies dagdelen uit de lijst.", &n);
    if (!list_ok(in->age_groups, valid_age)) err(errors, "age_groups", "Kies leeftijdsgroepen uit de lijst.", &n);
    if (chars(in->areas) > VOL_NAME_MAX) err(errors, "areas", "Dat zijn te veel wijken (hoogstens 200 tekens).", &n);
    int64_t km;
    if (!blank(in->max_km) && parse_i64(in->max_km, 0, 200, &km) != 0)
        err(errors, "max_km", "Vul een heel aantal kilometers in van 0 tot 200 (0 of leeg: geen grens).", &n);
    const char *vs = or_empty(in->vog_status);
    if (strcmp(vs, "geen") && strcmp(vs, "aangevraagd") && strcmp(vs, "afgegeven"))
        err(errors, "vog_status", "Kies of er een VOG is.", &n);
    day_t d;
    if (!blank(in->vog_date)) {
        if (day_parse(in->vog_date, &d) != 0) err(errors, "vog_date", "Vul de datum in als jjjj-mm-dd.", &n);
        else if (d > today) err(errors, "vog_date", "De datum van de VOG ligt in de toekomst.", &n);
    } else if (strcmp(vs, "afgegeven") == 0) {
        err(errors, "vog_date", "Vul de datum van afgifte van de VOG in.", &n);
    }
    if (!in->consent)
        err(errors, "consent",
            "Vraag de vrijwilliger eerst om toestemming. Zonder toestemming kunt u de vrijwilliger niet registreren.", &n);
    if (chars(in->note) > VOL_TEXT_MAX) err(errors, "note", "De toelichting is te lang (hoogstens 1000 tekens).", &n);
    return n;
}

/* Binds the common columns 1..14 of a volunteer. */
static void bind_volunteer(db_stmt_t *st, const struct volunteer_in *in)
{
    char name[4 * VOL_NAME_MAX + 1], phone[VOL_PHONE_MAX + 1], pc[7] = "", areas[4 * VOL_NAME_MAX + 1];
    trim_copy(in->name, name, sizeof name);
    trim_copy(in->phone, phone, sizeof phone);
    trim_copy(in->areas, areas, sizeof areas);
    if (!blank(in->postcode) && postcode_normalise(in->postcode, pc) != 0) pc[0] = '\0';
    int64_t km = 0;
    if (!blank(in->max_km)) parse_i64(in->max_km, 0, 200, &km);
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, phone);
    db_bind_text(st, 3, or_empty(in->email));
    db_bind_text(st, 4, pc);
    db_bind_text(st, 5, or_empty(in->languages));
    db_bind_text(st, 6, or_empty(in->skills));
    db_bind_text(st, 7, or_empty(in->slots));
    db_bind_text(st, 8, areas);
    db_bind_int(st, 9, km);
    db_bind_text(st, 10, or_empty(in->age_groups));
    db_bind_text(st, 11, or_empty(in->vog_status));
    if (blank(in->vog_date)) db_bind_null(st, 12); else db_bind_text(st, 12, in->vog_date);
    db_bind_text(st, 13, or_empty(in->note));
}

int64_t volunteer_add(db_t *db, const char *gemeente, const struct volunteer_in *in, int64_t account_id, int64_t now)
{
    char today[11];
    day_format(day_today_amsterdam(now), today);
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO volunteer (name, phone, email, postcode, languages, skills, slots, areas, max_km, age_groups,"
        " vog_status, vog_date, note, gemeente, consent_on, created_by, created_at, updated_at, active)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id");
    bind_volunteer(st, in);
    db_bind_text(st, 14, gemeente);
    db_bind_text(st, 15, today);
    if (account_id > 0) db_bind_int(st, 16, account_id); else db_bind_null(st, 16);
    db_bind_int(st, 17, now);
    db_bind_int(st, 18, now);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : VOL_E_DB;
    db_done(st);
    return id;
}

int volunteer_update(db_t *db, const char *gemeente, int64_t id, const struct volunteer_in *in, int64_t now)
{
    db_stmt_t *st = db_prepare(db,
        "UPDATE volunteer SET name = ?, phone = ?, email = ?, postcode = ?, languages = ?, skills = ?, slots = ?,"
        " areas = ?, max_km = ?, age_groups = ?, vog_status = ?, vog_date = ?, note = ?, updated_at = ?"
        " WHERE id = ? AND gemeente = ?");
    bind_volunteer(st, in);
    db_bind_int(st, 14, now);
    db_bind_int(st, 15, id);
    db_bind_text(st, 16, gemeente);
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return VOL_E_DB;
    return db_changes(db) == 1 ? VOL_OK : VOL_E_NOT_FOUND;
}

int volunteer_set_active(db_t *db, const char *gemeente, int64_t id, int active, int64_t now)
{
    db_stmt_t *st = db_prepare(db, "UPDATE volunteer SET active = ?, updated_at = ? WHERE id = ? AND gemeente = ?");
    db_bind_int(st, 1, active ? 1 : 0);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, id);
    db_bind_text(st, 4, gemeente);
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return VOL_E_DB;
    return db_changes(db) == 1 ? VOL_OK : VOL_E_NOT_FOUND;
}

#define VOLUNTEER_COLS                                                                                         \
    "v.id, v.name, v.phone, v.email, v.postcode, v.languages, v.skills, v.slots, v.areas, v.max_km,"          \
    " v.age_groups, v.vog_status, v.vog_date, v.consent_on, v.note, v.active, v.created_at, v.updated_at,"    \
    " g.lat_e7 IS NOT NULL, coalesce(g.lat_e7, 0), coalesce(g.lon_e7, 0)"

static json_t *volunteer_row(db_stmt_t *st)
{
    char pc[8] = "";
    const char *postcode = db_col_text(st, 4);
    if (*postcode) postcode_format(postcode, pc);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:o, s:s, s:s, s:b,"
                          " s:I, s:I, s:b}",
        "id", (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "phone", db_col_text(st, 2),
        "email", db_col_text(st, 3), "postcode", postcode, "postcode_text", pc, "languages", db_col_text(st, 5),
        "skills", db_col_text(st, 6), "slots", db_col_text(st, 7), "areas", db_col_text(st, 8),
        "max_km", (int)db_col_int(st, 9), "age_groups", db_col_text(st, 10), "vog_status", db_col_text(st, 11),
        "vog_date", db_col_is_null(st, 12) ? json_null() : json_string(db_col_text(st, 12)),
        "consent_on", db_col_text(st, 13), "note", db_col_text(st, 14), "active", db_col_int(st, 15) != 0,
        "created_at", (json_int_t)db_col_int(st, 16), "updated_at", (json_int_t)db_col_int(st, 17),
        "has_geo", db_col_int(st, 18) != 0);
    json_object_set_new(o, "lat_e7", json_integer(db_col_int(st, 19)));
    json_object_set_new(o, "lon_e7", json_integer(db_col_int(st, 20)));
    return o;
}

json_t *volunteer_get(db_t *db, const char *gemeente, int64_t id)
{
    db_stmt_t *st = db_prepare(db,
        "SELECT " VOLUNTEER_COLS " FROM volunteer v LEFT JOIN postcode_geo g ON g.gemeente = v.gemeente"
        " AND g.postcode = v.postcode WHERE v.id = ? AND v.gemeente = ?");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, gemeente);
    json_t *o = db_step(st) == DB_ROW ? volunteer_row(st) : NULL;
    db_done(st);
    return o;
}

/* The folded text a search looks in: name, areas, postcode, labels. */
static int volunteer_matches(json_t *v, const char *q_folded)
{
    if (!*q_folded) return 1;
    char hay[4096];
    json_t *skills = volunteer_labels("skills", json_string_value(json_object_get(v, "skills")));
    json_t *langs = volunteer_labels("languages", json_string_value(json_object_get(v, "languages")));
    int n = snprintf(hay, sizeof hay, "%s %s %s %s %s", json_string_value(json_object_get(v, "name")),
                     json_string_value(json_object_get(v, "areas")), json_string_value(json_object_get(v, "postcode")),
                     json_string_value(skills), json_string_value(langs));
    json_decref(skills);
    json_decref(langs);
    char folded[8192];
    fold_text(hay, n > 0 && (size_t)n < sizeof hay ? (size_t)n : strlen(hay), folded, sizeof folded);
    /* every word of the query must occur */
    char q[512];
    snprintf(q, sizeof q, "%s", q_folded);
    for (char *save = NULL, *w = strtok_r(q, " ", &save); w; w = strtok_r(NULL, " ", &save))
        if (!strstr(folded, w)) return 0;
    return 1;
}

json_t *volunteer_list(db_t *db, const char *gemeente, const char *q, int with_inactive)
{
    char qf[512] = "";
    if (q) fold_text(q, strlen(q), qf, sizeof qf);
    db_stmt_t *st = db_prepare(db,
        "SELECT " VOLUNTEER_COLS " FROM volunteer v LEFT JOIN postcode_geo g ON g.gemeente = v.gemeente"
        " AND g.postcode = v.postcode WHERE v.gemeente = ? AND (v.active = 1 OR ? = 1)"
        " ORDER BY v.active DESC, v.name, v.id");
    db_bind_text(st, 1, gemeente);
    db_bind_int(st, 2, with_inactive ? 1 : 0);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *v = volunteer_row(st);
        if (volunteer_matches(v, qf)) json_array_append_new(list, v);
        else json_decref(v);
    }
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

/* ---- requests ------------------------------------------------------------ */

/* Age in whole years on today of a "YYYY-MM-DD" birth date; -1 when invalid. */
static int age_on(const char *birth, day_t today)
{
    day_t b;
    if (!birth || day_parse(birth, &b) != 0 || b > today) return -1;
    int by, bm, bd, ty, tm, td;
    day_to_ymd(b, &by, &bm, &bd);
    day_to_ymd(today, &ty, &tm, &td);
    int age = ty - by;
    if (tm < bm || (tm == bm && td < bd)) age--;
    return age;
}

/* The age of a current member of the household: >= 0, -1 when not a member
 * (or no birth date: -2), VOL_E_DB-ish -3 on error. */
static int member_age(db_t *db, int64_t household_id, int64_t person_id, day_t today)
{
    char t[11];
    day_format(today, t);
    db_stmt_t *st = db_prepare(db,
        "SELECT p.birth_date FROM household_member m JOIN person p ON p.id = m.person_id"
        " WHERE m.household_id = ? AND m.person_id = ? AND (m.until IS NULL OR m.until >= ?)");
    db_bind_int(st, 1, household_id);
    db_bind_int(st, 2, person_id);
    db_bind_text(st, 3, t);
    int rc = db_step(st), age = -1;
    if (rc == DB_ROW) age = db_col_is_null(st, 0) ? -2 : age_on(db_col_text(st, 0), today);
    if (rc == DB_ROW && age == -1) age = -2;
    db_done(st);
    return rc == DB_ROW || rc == DB_DONE ? age : -3;
}

/* The level of action action_id in the household's current plan: 1..6, 0
 * when there is no such action, -1 on error. */
static int action_level(db_t *db, int64_t household_id, int64_t action_id)
{
    int current = 0;
    int64_t plan_id = plan_find(db, household_id, &current);
    if (plan_id < 0) return -1;
    if (plan_id == 0 || current == 0) return 0;
    json_t *body = NULL;
    if (plan_version_load(db, plan_id, current, &body, NULL) != PLAN_OK) return -1;
    json_t *a = plan_body_action(body, action_id);
    int level = a ? (int)json_integer_value(json_object_get(a, "level")) : 0;
    json_decref(body);
    return level;
}

static int64_t open_request_for_action(db_t *db, int64_t household_id, int64_t action_id)
{
    db_stmt_t *st = db_prepare(db,
        "SELECT id FROM volunteer_request WHERE household_id = ? AND action_id = ?"
        " AND status IN ('zoeken', 'voorgesteld', 'gekoppeld') ORDER BY id DESC LIMIT 1");
    db_bind_int(st, 1, household_id);
    db_bind_int(st, 2, action_id);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return id;
}

int volunteer_request_check(db_t *db, int64_t household_id, const struct volunteer_request_in *in, day_t today,
                            json_t *errors)
{
    int n = 0;
    int level = action_level(db, household_id, in->action_id);
    if (level != 4) err(errors, "action", "Een vrijwilliger kunt u alleen zoeken bij een actie op trede 4.", &n);
    else if (open_request_for_action(db, household_id, in->action_id) > 0)
        err(errors, "action", "Voor deze actie loopt al een vraag om een vrijwilliger.", &n);
    if (blank(in->what)) err(errors, "what", "Beschrijf wat de vrijwilliger zou doen.", &n);
    else if (chars(in->what) > VOL_TEXT_MAX) err(errors, "what", "De omschrijving is te lang (hoogstens 1000 tekens).", &n);
    if (chars(in->when_text) > VOL_NAME_MAX) err(errors, "when_text", "Dat is te lang (hoogstens 200 tekens).", &n);
    if (!list_ok(in->slots, valid_slot)) err(errors, "slots", "Kies dagdelen uit de lijst.", &n);
    if (!list_ok(in->skills, valid_skill)) err(errors, "skills", "Kies vaardigheden uit de lijst.", &n);
    if (!blank(in->postcode) && postcode_why(in->postcode)) err(errors, "postcode", postcode_why(in->postcode), &n);
    if (!blank(in->language) && !vm_language_label(in->language)) err(errors, "language", "Kies een taal uit de lijst.", &n);
    int age = in->person_id > 0 ? member_age(db, household_id, in->person_id, today) : -1;
    if (age == -1) err(errors, "person", "Kies voor wie de vrijwilliger komt.", &n);
    else if (age == -2) err(errors, "person", "Van deze persoon is geen geboortedatum bekend. Vul die eerst in.", &n);
    else if (age < 0) err(errors, "person", "De gegevens konden niet worden gelezen.", &n);
    return n;
}

static void household_postcode(db_t *db, int64_t household_id, char out[7])
{
    out[0] = '\0';
    db_stmt_t *st = db_prepare(db,
        "SELECT a.postcode FROM household h JOIN address a ON a.id = h.address_id WHERE h.id = ?");
    db_bind_int(st, 1, household_id);
    if (db_step(st) == DB_ROW) snprintf(out, 7, "%s", db_col_text(st, 0));
    db_done(st);
}

int64_t volunteer_request_add(db_t *db, const char *gemeente, int64_t household_id,
                              const struct volunteer_request_in *in, day_t today, int64_t account_id, int64_t now)
{
    int age = member_age(db, household_id, in->person_id, today);
    if (age < 0) return VOL_E_INVALID;
    char pc[7] = "", what[4 * VOL_TEXT_MAX + 1], when[4 * VOL_NAME_MAX + 1];
    if (blank(in->postcode) || postcode_normalise(in->postcode, pc) != 0) household_postcode(db, household_id, pc);
    trim_copy(in->what, what, sizeof what);
    trim_copy(in->when_text, when, sizeof when);
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO volunteer_request (gemeente, household_id, action_id, what, when_text, slots, postcode, skills,"
        " language, person_age, status, created_by, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'zoeken', ?, ?, ?) RETURNING id");
    db_bind_text(st, 1, gemeente);
    db_bind_int(st, 2, household_id);
    db_bind_int(st, 3, in->action_id);
    db_bind_text(st, 4, what);
    db_bind_text(st, 5, when);
    db_bind_text(st, 6, or_empty(in->slots));
    db_bind_text(st, 7, pc);
    db_bind_text(st, 8, or_empty(in->skills));
    db_bind_text(st, 9, or_empty(in->language));
    db_bind_int(st, 10, age);
    if (account_id > 0) db_bind_int(st, 11, account_id); else db_bind_null(st, 11);
    db_bind_int(st, 12, now);
    db_bind_int(st, 13, now);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : VOL_E_DB;
    db_done(st);
    return id;
}

static json_t *answer_json(db_stmt_t *st, int col)
{
    return db_col_is_null(st, col) ? json_null() : json_string(db_col_text(st, col));
}

json_t *volunteer_request_get(db_t *db, int64_t household_id, int64_t request_id)
{
    db_stmt_t *st = db_prepare(db,
        "SELECT id, action_id, what, when_text, slots, postcode, skills, language, person_age, status, created_at,"
        " gemeente FROM volunteer_request WHERE id = ? AND household_id = ?");
    db_bind_int(st, 1, request_id);
    db_bind_int(st, 2, household_id);
    json_t *r = NULL;
    if (db_step(st) == DB_ROW)
        r = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:I, s:s, s:I}",
            "id", (json_int_t)db_col_int(st, 0), "action_id", (json_int_t)db_col_int(st, 1), "what",
            db_col_text(st, 2), "when_text", db_col_text(st, 3), "slots", db_col_text(st, 4), "postcode",
            db_col_text(st, 5), "skills", db_col_text(st, 6), "language", db_col_text(st, 7), "person_age",
            (int)db_col_int(st, 8), "status", db_col_text(st, 9), "created_at", (json_int_t)db_col_int(st, 10),
            "gemeente", db_col_text(st, 11), "household_id", (json_int_t)household_id);
    db_done(st);
    if (!r) return NULL;
    st = db_prepare(db,
        "SELECT p.id, p.volunteer_id, v.name, p.score, p.explanation, p.proposed_at, p.volunteer_answer,"
        " p.volunteer_reason, p.resident_answer, p.resident_reason, p.outcome FROM volunteer_proposal p"
        " JOIN volunteer v ON v.id = p.volunteer_id WHERE p.request_id = ? ORDER BY p.id DESC");
    db_bind_int(st, 1, request_id);
    json_t *props = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(props, json_pack("{s:I, s:I, s:s, s:i, s:s, s:I, s:o, s:s, s:o, s:s, s:s}",
            "id", (json_int_t)db_col_int(st, 0), "volunteer_id", (json_int_t)db_col_int(st, 1), "volunteer",
            db_col_text(st, 2), "score", (int)db_col_int(st, 3), "explanation", db_col_text(st, 4), "proposed_at",
            (json_int_t)db_col_int(st, 5), "volunteer_answer", answer_json(st, 6), "volunteer_reason",
            db_col_text(st, 7), "resident_answer", answer_json(st, 8), "resident_reason", db_col_text(st, 9),
            "outcome", db_col_text(st, 10)));
    db_done(st);
    json_object_set_new(r, "proposals", props);
    return r;
}

json_t *volunteer_requests_of(db_t *db, int64_t household_id)
{
    db_stmt_t *st = db_prepare(db,
        "SELECT id, action_id, status FROM volunteer_request WHERE household_id = ?"
        " AND status IN ('zoeken', 'voorgesteld', 'gekoppeld') ORDER BY id DESC");
    db_bind_int(st, 1, household_id);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(list, json_pack("{s:I, s:I, s:s}", "id", (json_int_t)db_col_int(st, 0), "action_id",
                                              (json_int_t)db_col_int(st, 1), "status", db_col_text(st, 2)));
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

/* The match input of a request object (volunteer_request_get). */
static void request_match_in(db_t *db, json_t *req, struct vm_request *r)
{
    memset(r, 0, sizeof *r);
    const char *gm = json_string_value(json_object_get(req, "gemeente"));
    r->has_geo = postcode_geo_find(db, gm, json_string_value(json_object_get(req, "postcode")), &r->lat_e7,
                                   &r->lon_e7) == 1;
    r->skills = json_string_value(json_object_get(req, "skills"));
    r->language = json_string_value(json_object_get(req, "language"));
    r->slots = json_string_value(json_object_get(req, "slots"));
    r->age = (int)json_integer_value(json_object_get(req, "person_age"));
}

static void volunteer_match_in(json_t *v, day_t today, struct vm_volunteer *out)
{
    memset(out, 0, sizeof *out);
    out->id = json_integer_value(json_object_get(v, "id"));
    out->active = json_is_true(json_object_get(v, "active"));
    out->vog = strcmp(json_string_value(json_object_get(v, "vog_status")), "afgegeven") == 0;
    day_t issued;
    const char *vog_date = json_string_value(json_object_get(v, "vog_date"));
    out->vog_days = vog_date && day_parse(vog_date, &issued) == 0 ? (int)(today - issued) : -1;
    out->has_geo = json_is_true(json_object_get(v, "has_geo"));
    out->lat_e7 = json_integer_value(json_object_get(v, "lat_e7"));
    out->lon_e7 = json_integer_value(json_object_get(v, "lon_e7"));
    out->max_km = (int)json_integer_value(json_object_get(v, "max_km"));
    out->skills = json_string_value(json_object_get(v, "skills"));
    out->languages = json_string_value(json_object_get(v, "languages"));
    out->slots = json_string_value(json_object_get(v, "slots"));
    out->age_groups = json_string_value(json_object_get(v, "age_groups"));
}

static json_t *parts_json(const struct vm_result *res)
{
    json_t *parts = json_array();
    for (int i = 0; i < VM_PARTS; i++)
        json_array_append_new(parts, json_pack("{s:s, s:s, s:i, s:i, s:s}", "code", res->part[i].code, "label",
                                               res->part[i].label, "points", res->part[i].points, "max",
                                               res->part[i].max, "text", res->part[i].text));
    return parts;
}

/* The explanation stored with a proposal: one line per part. */
static void explanation_text(const struct vm_result *res, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < VM_PARTS && len < n; i++)
        len += (size_t)snprintf(out + len, n - len, "%s%s: %d van %d punten. %s", i ? "\n" : "", res->part[i].label,
                                res->part[i].points, res->part[i].max, res->part[i].text);
}

json_t *volunteer_candidates(db_t *db, const char *gemeente, json_t *request)
{
    json_t *vols = volunteer_list(db, gemeente, NULL, 1);
    if (!vols) return NULL;
    struct vm_request r;
    request_match_in(db, request, &r);
    size_t n = json_array_size(vols);
    struct vm_result *res = calloc(n ? n : 1, sizeof *res);
    if (!res) {
        json_decref(vols);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        struct vm_volunteer v;
        volunteer_match_in(json_array_get(vols, i), day_today_amsterdam(now_s()), &v);
        vm_score(&v, &r, &res[i]);
    }
    vm_rank(res, n);
    json_t *declined = json_object();
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(request, "proposals"), i, p) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(p, "volunteer_id")));
        json_object_set(declined, key, json_object_get(p, "outcome"));
    }
    json_t *list = json_array();
    for (size_t k = 0; k < n; k++) {
        json_t *v = NULL;
        json_array_foreach(vols, i, p)
            if (json_integer_value(json_object_get(p, "id")) == res[k].volunteer_id) v = p;
        if (!v) continue;
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)res[k].volunteer_id);
        json_t *before = json_object_get(declined, key);
        json_array_append_new(list, json_pack("{s:I, s:O, s:o, s:o, s:O, s:b, s:b, s:i, s:o, s:b, s:s, s:o, s:o}",
            "volunteer_id", (json_int_t)res[k].volunteer_id, "name", json_object_get(v, "name"),
            "languages", volunteer_labels("languages", json_string_value(json_object_get(v, "languages"))),
            "skills", volunteer_labels("skills", json_string_value(json_object_get(v, "skills"))),
            "areas", json_object_get(v, "areas"),
            "vog", strcmp(json_string_value(json_object_get(v, "vog_status")), "afgegeven") == 0,
            "active", json_is_true(json_object_get(v, "active")), "score", res[k].score,
            "distance_m", res[k].distance_m >= 0 ? json_integer(res[k].distance_m) : json_null(),
            "excluded", res[k].excluded, "reason", res[k].reason, "parts", parts_json(&res[k]),
            "proposed_before", before ? json_incref(before) : json_null()));
    }
    free(res);
    json_decref(declined);
    json_decref(vols);
    return list;
}

int64_t volunteer_open_proposal(db_t *db, int64_t household_id, int64_t request_id)
{
    db_stmt_t *st = db_prepare(db,
        "SELECT p.id FROM volunteer_proposal p JOIN volunteer_request r ON r.id = p.request_id"
        " WHERE r.id = ? AND r.household_id = ? AND p.outcome = 'open' ORDER BY p.id DESC LIMIT 1");
    db_bind_int(st, 1, request_id);
    db_bind_int(st, 2, household_id);
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_DONE ? 0 : VOL_E_DB;
    db_done(st);
    return id;
}

int64_t volunteer_propose(db_t *db, const char *gemeente, int64_t household_id, int64_t request_id,
                          int64_t volunteer_id, int64_t account_id, int64_t now, json_t *errors)
{
    if (db_begin(db) != DB_OK) return VOL_E_DB;
    int64_t rc = VOL_E_DB;
    json_t *req = volunteer_request_get(db, household_id, request_id);
    json_t *v = volunteer_get(db, gemeente, volunteer_id);
    if (!req || !v) {
        rc = VOL_E_NOT_FOUND;
        if (req && !v) json_object_set_new(errors, "volunteer", json_string("Kies een vrijwilliger uit de lijst."));
        goto out;
    }
    if (strcmp(json_string_value(json_object_get(req, "status")), "zoeken") != 0) {
        rc = VOL_E_STATE;
        goto out;
    }
    struct vm_request r;
    struct vm_volunteer mv;
    struct vm_result res;
    request_match_in(db, req, &r);
    volunteer_match_in(v, day_today_amsterdam(now), &mv);
    vm_score(&mv, &r, &res);
    if (res.excluded) {
        json_object_set_new(errors, "volunteer", json_string(res.reason));
        rc = VOL_E_EXCLUDED;
        goto out;
    }
    char expl[VM_PARTS * (VM_TEXT + 64)];
    explanation_text(&res, expl, sizeof expl);
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO volunteer_proposal (gemeente, request_id, volunteer_id, score, explanation, proposed_by,"
        " proposed_at, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, 'open') RETURNING id");
    db_bind_text(st, 1, gemeente);
    db_bind_int(st, 2, request_id);
    db_bind_int(st, 3, volunteer_id);
    db_bind_int(st, 4, res.score);
    db_bind_text(st, 5, expl);
    if (account_id > 0) db_bind_int(st, 6, account_id); else db_bind_null(st, 6);
    db_bind_int(st, 7, now);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    if (id <= 0) goto out;
    st = db_prepare(db, "UPDATE volunteer_request SET status = 'voorgesteld', updated_at = ? WHERE id = ?");
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, request_id);
    int ok = db_step(st) == DB_DONE;
    db_done(st);
    if (ok) rc = id;
out:
    json_decref(req);
    json_decref(v);
    if (rc > 0 && db_commit(db) == DB_OK) return rc;
    db_rollback(db);
    return rc > 0 ? VOL_E_DB : rc;
}

/* ---- answers and the link ---------------------------------------------- */

struct prop_state {
    int64_t id, request_id, household_id, volunteer_id, action_id;
    char outcome[16], mine[8], other[8]; /* answers: "", "ja", "nee" */
    char status[16];
};

/* Reads a proposal; side decides which answer is "mine". household_id 0:
 * any household of gemeente. Returns 1 found, 0 not, -1 error. */
static int prop_read(db_t *db, const char *gemeente, int64_t household_id, int64_t proposal_id, int volunteer_side,
                     struct prop_state *ps)
{
    memset(ps, 0, sizeof *ps);
    db_stmt_t *st = db_prepare(db,
        "SELECT p.id, p.request_id, r.household_id, p.volunteer_id, r.action_id, p.outcome,"
        " coalesce(p.volunteer_answer, ''), coalesce(p.resident_answer, ''), r.status"
        " FROM volunteer_proposal p JOIN volunteer_request r ON r.id = p.request_id"
        " WHERE p.id = ? AND p.gemeente = ? AND (r.household_id = ? OR ? = 0)");
    db_bind_int(st, 1, proposal_id);
    db_bind_text(st, 2, gemeente);
    db_bind_int(st, 3, household_id);
    db_bind_int(st, 4, household_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        ps->id = db_col_int(st, 0);
        ps->request_id = db_col_int(st, 1);
        ps->household_id = db_col_int(st, 2);
        ps->volunteer_id = db_col_int(st, 3);
        ps->action_id = db_col_int(st, 4);
        snprintf(ps->outcome, sizeof ps->outcome, "%s", db_col_text(st, 5));
        snprintf(ps->mine, sizeof ps->mine, "%s", db_col_text(st, volunteer_side ? 6 : 7));
        snprintf(ps->other, sizeof ps->other, "%s", db_col_text(st, volunteer_side ? 7 : 6));
        snprintf(ps->status, sizeof ps->status, "%s", db_col_text(st, 8));
    }
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* Writes one side's answer; with no also ends the proposal and sends the
 * request back to searching. Inside the caller's transaction. */
static int write_answer(db_t *db, const struct prop_state *ps, int volunteer_side, int yes, const char *reason,
                        int64_t account_id, int64_t now)
{
    char why[4 * VOL_TEXT_MAX + 1];
    trim_copy(reason, why, sizeof why);
    db_stmt_t *st = volunteer_side
        ? db_prepare(db, "UPDATE volunteer_proposal SET volunteer_answer = ?, volunteer_reason = ?, volunteer_by = ?,"
                         " volunteer_at = ?, outcome = ? WHERE id = ? AND outcome = 'open' AND volunteer_answer IS NULL")
        : db_prepare(db, "UPDATE volunteer_proposal SET resident_answer = ?, resident_reason = ?, resident_by = ?,"
                         " resident_at = ?, outcome = ? WHERE id = ? AND outcome = 'open' AND resident_answer IS NULL");
    db_bind_text(st, 1, yes ? "ja" : "nee");
    db_bind_text(st, 2, why);
    if (account_id > 0) db_bind_int(st, 3, account_id); else db_bind_null(st, 3);
    db_bind_int(st, 4, now);
    db_bind_text(st, 5, yes ? "open" : "afgewezen");
    db_bind_int(st, 6, ps->id);
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE || db_changes(db) != 1) return VOL_E_DB;
    if (!yes) {
        st = db_prepare(db, "UPDATE volunteer_request SET status = 'zoeken', updated_at = ? WHERE id = ?");
        db_bind_int(st, 1, now);
        db_bind_int(st, 2, ps->request_id);
        rc = db_step(st);
        db_done(st);
        if (rc != DB_DONE) return VOL_E_DB;
    }
    return VOL_OK;
}

struct link_ctx {
    db_t *db;
    const char *gemeente;
    int64_t household_id, proposal_id, account_id, now;
    int volunteer_side;
    const char *reason;
    int state; /* VOL_* when fn failed for a reason of our own */
};

/* Inside plan_change: this side's yes, the network member, the carrier, the
 * proposal and request marked as linked. */
static int link_fn(json_t *body, void *arg, char *summary, size_t n)
{
    struct link_ctx *c = arg;
    struct prop_state ps;
    c->state = VOL_E_DB;
    int found = prop_read(c->db, c->gemeente, c->household_id, c->proposal_id, c->volunteer_side, &ps);
    if (found < 0) return PLAN_E_DB;
    if (!found) {
        c->state = VOL_E_NOT_FOUND;
        return PLAN_E_NOT_FOUND;
    }
    if (strcmp(ps.outcome, "open") != 0 || *ps.mine || strcmp(ps.other, "ja") != 0) {
        c->state = VOL_E_STATE;
        return PLAN_E_INVALID;
    }
    json_t *a = plan_body_action(body, ps.action_id);
    json_t *v = volunteer_get(c->db, c->gemeente, ps.volunteer_id);
    if (!a || !v) {
        json_decref(v);
        c->state = VOL_E_NOT_FOUND;
        return PLAN_E_NOT_FOUND;
    }
    if (write_answer(c->db, &ps, c->volunteer_side, 1, c->reason, c->account_id, c->now) != VOL_OK) {
        json_decref(v);
        return PLAN_E_DB;
    }
    const char *name = json_string_value(json_object_get(v, "name"));
    json_object_set_new(a, "carrier", json_string("community_service"));
    json_object_set_new(a, "carrier_name", json_string(name));
    char text[4 * 120 + 8], nm[4 * 60 + 8];
    plan_text_clip(json_string_value(json_object_get(a, "text")), 120, text, sizeof text);
    plan_text_clip(name, 60, nm, sizeof nm);
    snprintf(summary, n, "Vrijwilliger %s voert de actie uit: %s", nm, text);

    db_stmt_t *st = db_prepare(c->db,
        "INSERT INTO network_member (gemeente, household_id, name, relation, roles, phone, email, share_plan,"
        " created_at, volunteer_id) VALUES (?, ?, ?, 'vrijwilliger', 'vrijwilliger', ?, ?, 0, ?, ?) RETURNING id");
    db_bind_text(st, 1, c->gemeente);
    db_bind_int(st, 2, ps.household_id);
    db_bind_text(st, 3, name);
    db_bind_text(st, 4, json_string_value(json_object_get(v, "phone")));
    db_bind_text(st, 5, json_string_value(json_object_get(v, "email")));
    db_bind_int(st, 6, c->now);
    db_bind_int(st, 7, ps.volunteer_id);
    int64_t member = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    json_decref(v);
    if (member <= 0) return PLAN_E_DB;

    /* the version this change becomes: plan_change holds the write lock */
    st = db_prepare(c->db, "SELECT coalesce(max(current_version), 0) FROM plan WHERE household_id = ?");
    db_bind_int(st, 1, ps.household_id);
    int64_t version = db_step(st) == DB_ROW ? db_col_int(st, 0) + 1 : 0;
    db_done(st);
    st = db_prepare(c->db, "UPDATE volunteer_proposal SET outcome = 'gekoppeld', plan_version = ? WHERE id = ?");
    db_bind_int(st, 1, version);
    db_bind_int(st, 2, ps.id);
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE || version <= 0) return PLAN_E_DB;
    st = db_prepare(c->db, "UPDATE volunteer_request SET status = 'gekoppeld', updated_at = ? WHERE id = ?");
    db_bind_int(st, 1, c->now);
    db_bind_int(st, 2, ps.request_id);
    rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return PLAN_E_DB;
    c->state = VOL_OK;
    return PLAN_OK;
}

int volunteer_answer(db_t *db, const char *gemeente, int64_t household_id, int64_t proposal_id, const char *side,
                     int yes, const char *reason, int64_t account_id, int64_t now, int *linked, int *plan_version)
{
    int vside = strcmp(side, "volunteer") == 0;
    *linked = 0;
    if (plan_version) *plan_version = 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        struct prop_state ps;
        int found = prop_read(db, gemeente, household_id, proposal_id, vside, &ps);
        if (found < 0) return VOL_E_DB;
        if (!found) return VOL_E_NOT_FOUND;
        if (strcmp(ps.outcome, "open") != 0 || *ps.mine) return VOL_E_STATE;
        if (yes && strcmp(ps.other, "ja") == 0) {
            struct link_ctx c = {db, gemeente, ps.household_id, proposal_id, account_id, now, vside, reason, 0};
            int rc = plan_change(db, gemeente, ps.household_id, account_id, now, link_fn, &c);
            if (rc > 0) {
                *linked = 1;
                if (plan_version) *plan_version = rc;
                return VOL_OK;
            }
            return c.state != VOL_OK ? c.state : VOL_E_DB;
        }
        /* only this side's answer: re-check inside the write lock */
        if (db_begin(db) != DB_OK) return VOL_E_DB;
        found = prop_read(db, gemeente, household_id, proposal_id, vside, &ps);
        if (found != 1 || strcmp(ps.outcome, "open") != 0 || *ps.mine) {
            db_rollback(db);
            return found < 0 ? VOL_E_DB : found == 0 ? VOL_E_NOT_FOUND : VOL_E_STATE;
        }
        if (yes && strcmp(ps.other, "ja") == 0) { /* the other side said yes meanwhile: link */
            db_rollback(db);
            continue;
        }
        if (write_answer(db, &ps, vside, yes, reason, account_id, now) != VOL_OK || db_commit(db) != DB_OK) {
            db_rollback(db);
            return VOL_E_DB;
        }
        return VOL_OK;
    }
    return VOL_E_STATE;
}

json_t *volunteer_proposals_for_org(db_t *db, const char *gemeente)
{
    db_stmt_t *st = db_prepare(db,
        "SELECT p.id, p.volunteer_id, v.name, r.what, r.when_text, r.slots, r.postcode, r.skills, r.language,"
        " r.person_age, p.volunteer_answer, p.volunteer_reason, p.resident_answer, p.outcome, p.proposed_at"
        " FROM volunteer_proposal p JOIN volunteer_request r ON r.id = p.request_id"
        " JOIN volunteer v ON v.id = p.volunteer_id"
        " WHERE p.gemeente = ? AND r.status <> 'ingetrokken'"
        " ORDER BY CASE WHEN p.outcome = 'open' AND p.volunteer_answer IS NULL THEN 0 ELSE 1 END, p.id DESC"
        " LIMIT 200");
    db_bind_text(st, 1, gemeente);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        char area[5];
        snprintf(area, sizeof area, "%s", db_col_text(st, 6));
        const char *lang = vm_language_label(db_col_text(st, 8));
        json_array_append_new(list, json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:s, s:o, s:s, s:o,"
                                              " s:s, s:I}",
            "id", (json_int_t)db_col_int(st, 0), "volunteer_id", (json_int_t)db_col_int(st, 1), "volunteer",
            db_col_text(st, 2), "what", db_col_text(st, 3), "when_text", db_col_text(st, 4), "slots_text",
            volunteer_labels("slots", db_col_text(st, 5)), "area", area, "skills_text",
            volunteer_labels("skills", db_col_text(st, 7)), "language", lang ? lang : "", "age_group",
            vm_age_group_label(vm_age_group_of((int)db_col_int(st, 9))), "volunteer_answer", answer_json(st, 10),
            "volunteer_reason", db_col_text(st, 11), "resident_answer", answer_json(st, 12), "outcome",
            db_col_text(st, 13), "proposed_at", (json_int_t)db_col_int(st, 14)));
    }
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

json_t *volunteer_proposals_for_resident(db_t *db, int64_t household_id)
{
    db_stmt_t *st = db_prepare(db,
        "SELECT p.id, r.id, r.what, r.when_text, v.name, v.languages, v.skills, coalesce(p.volunteer_answer, '')"
        " FROM volunteer_proposal p JOIN volunteer_request r ON r.id = p.request_id"
        " JOIN volunteer v ON v.id = p.volunteer_id"
        " WHERE r.household_id = ? AND p.outcome = 'open' AND p.resident_answer IS NULL ORDER BY p.id");
    db_bind_int(st, 1, household_id);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(list, json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:b}",
            "id", (json_int_t)db_col_int(st, 0), "request_id", (json_int_t)db_col_int(st, 1), "what",
            db_col_text(st, 2), "when_text", db_col_text(st, 3), "volunteer", db_col_text(st, 4), "languages_text",
            volunteer_labels("languages", db_col_text(st, 5)), "skills_text",
            volunteer_labels("skills", db_col_text(st, 6)), "volunteer_agreed",
            strcmp(db_col_text(st, 7), "ja") == 0));
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}
