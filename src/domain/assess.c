/*
 * assess.c - storing and listing assessments (see assess.h).
 */
#include "domain/assess.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/household.h"

day_t assess_date_min(day_t today)
{
    int y, m, d;
    day_to_ymd(today, &y, &m, &d);
    /* day_from_ymd normalises 29 February of a non-leap year to 1 March */
    return day_from_ymd(y - 1, m, d);
}

int assess_date_check(day_t date, day_t today)
{
    if (date > today) return ASSESS_DATE_FUTURE;
    if (date < assess_date_min(today)) return ASSESS_DATE_TOO_OLD;
    return ASSESS_DATE_OK;
}

int assess_is_member(db_t *db, int64_t household_id, int64_t person_id, const char *on_date)
{
    if (household_id <= 0 || person_id <= 0) return 0;
    db_stmt_t *st = db_prepare(db, "SELECT 1 FROM household_member WHERE household_id = ? AND person_id = ?"
                                   " AND (? = '' OR until IS NULL OR until = '' OR until >= ?)");
    db_bind_int(st, 1, household_id);
    db_bind_int(st, 2, person_id);
    db_bind_text(st, 3, on_date ? on_date : "");
    db_bind_text(st, 4, on_date ? on_date : "");
    int found = db_step(st) == DB_ROW;
    db_done(st);
    return found;
}

json_t *assess_members(db_t *db, int64_t household_id, const char *today_s)
{
    json_t *list = json_array();
    db_stmt_t *st =
        db_prepare(db, "SELECT p.id, p.given_names, p.prefix, p.family_name, COALESCE(p.birth_date, ''), m.relation,"
                       " CASE WHEN m.until IS NOT NULL AND m.until <> '' AND m.until < ? THEN 1 ELSE 0 END"
                       " FROM household_member m JOIN person p ON p.id = m.person_id"
                       " WHERE m.household_id = ?"
                       " ORDER BY CASE m.relation WHEN 'hoofdbewoner' THEN 0 WHEN 'partner' THEN 1 ELSE 2 END,"
                       " COALESCE(p.birth_date, '9999'), p.id");
    db_bind_text(st, 1, today_s ? today_s : "");
    db_bind_int(st, 2, household_id);
    while (db_step(st) == DB_ROW) {
        char name[400];
        person_display_name(db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3), name, sizeof name);
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:b}", "id", (json_int_t)db_col_int(st, 0), "name",
                                              name, "relation", db_col_text(st, 5), "birth_date", db_col_text(st, 4),
                                              "former", (int)db_col_int(st, 6)));
    }
    db_done(st);
    return list;
}

/* Number of UTF-8 code points in s. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) n++;
    return n;
}

int64_t assess_create(db_t *db, const char *gemeente, const struct assess_in *in, day_t today, int64_t now, char *err,
                      size_t errlen)
{
    if (err && errlen) err[0] = '\0';
    const struct instrument *inst = instrument_find(in->instrument);
    if (!inst) return ASSESS_E_INSTRUMENT;
    day_t date;
    if (!in->date || day_parse(in->date, &date) != 0 || assess_date_check(date, today) != ASSESS_DATE_OK)
        return ASSESS_E_DATE;
    if (in->note && utf8_chars(in->note) > ASSESS_NOTE_MAX) return ASSESS_E_NOTE;
    if (instrument_validate(inst, in->scores, err, errlen) != 0) return ASSESS_E_SCORES;
    char today_s[11];
    day_format(today, today_s);

    char *scores = json_dumps(in->scores, JSON_COMPACT | JSON_SORT_KEYS);
    if (!scores) return ASSESS_E_DB;
    if (db_begin(db) != DB_OK) {
        free(scores);
        return ASSESS_E_DB;
    }
    /* Membership is checked inside the transaction that writes. */
    if (!assess_is_member(db, in->household_id, in->person_id, today_s)) {
        db_rollback(db);
        free(scores);
        return ASSESS_E_MEMBER;
    }
    db_stmt_t *st = db_prepare(
        db, "INSERT INTO assessment (gemeente, household_id, person_id, instrument, scores, assessed_on, assessed_by,"
            " by_resident, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(st, 1, gemeente);
    db_bind_int(st, 2, in->household_id);
    db_bind_int(st, 3, in->person_id);
    db_bind_text(st, 4, inst->code);
    db_bind_text(st, 5, scores);
    db_bind_text(st, 6, in->date);
    if (in->assessed_by > 0)
        db_bind_int(st, 7, in->assessed_by);
    else
        db_bind_null(st, 7);
    db_bind_int(st, 8, in->by_resident ? 1 : 0);
    db_bind_text(st, 9, in->note ? in->note : "");
    db_bind_int(st, 10, now);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    free(scores);
    if (id <= 0 || db_commit(db) != DB_OK) {
        db_rollback(db);
        return ASSESS_E_DB;
    }
    return id;
}

json_t *assess_list(db_t *db, int64_t household_id, int64_t person_id, const char *instrument, int ascending, int limit)
{
    json_t *list = json_array();
    db_stmt_t *st =
        db_prepare(db, "SELECT a.id, a.person_id, a.instrument, a.scores, a.assessed_on, COALESCE(ac.display_name, ''),"
                       " a.by_resident, a.note, a.created_at"
                       " FROM assessment a LEFT JOIN account ac ON ac.id = a.assessed_by"
                       " WHERE a.household_id = ? AND (? = 0 OR a.person_id = ?) AND (? = '' OR a.instrument = ?)"
                       " ORDER BY a.assessed_on DESC, a.id DESC LIMIT ?");
    db_bind_int(st, 1, household_id);
    db_bind_int(st, 2, person_id > 0 ? person_id : 0);
    db_bind_int(st, 3, person_id > 0 ? person_id : 0);
    db_bind_text(st, 4, instrument ? instrument : "");
    db_bind_text(st, 5, instrument ? instrument : "");
    db_bind_int(st, 6, limit > 0 ? limit : 1000000000);
    while (db_step(st) == DB_ROW) {
        json_t *scores = json_loads(db_col_text(st, 3), 0, NULL);
        if (!json_is_object(scores)) {
            json_decref(scores);
            scores = json_object();
        }
        json_t *o =
            json_pack("{s:I, s:I, s:s, s:o, s:s, s:s, s:b, s:s, s:I}", "id", (json_int_t)db_col_int(st, 0), "person_id",
                      (json_int_t)db_col_int(st, 1), "instrument", db_col_text(st, 2), "scores", scores, "date",
                      db_col_text(st, 4), "by", db_col_text(st, 5), "by_resident", (int)db_col_int(st, 6), "note",
                      db_col_text(st, 7), "created_at", (json_int_t)db_col_int(st, 8));
        if (!o) continue; /* invalid UTF-8 in stored text: leave the row out rather than abort */
        if (ascending)
            json_array_insert_new(list, 0, o);
        else
            json_array_append_new(list, o);
    }
    db_done(st);
    return list;
}

json_t *assess_latest(db_t *db, int64_t household_id, int64_t person_id, const char *instrument)
{
    json_t *list = assess_list(db, household_id, person_id, instrument, 0, 1);
    json_t *a = json_array_get(list, 0);
    if (a) json_incref(a);
    json_decref(list);
    return a;
}
