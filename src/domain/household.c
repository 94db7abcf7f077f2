/* household.c - persons, addresses, households, members and the coordinator
 * (see household.h). */
#include "domain/household.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/ident.h"

int64_t person_by_bsn(db_t *db, const char *gemeente, const char *bsn)
{
    uint8_t h[32];
    bsn_lookup_hash(bsn, h);
    db_stmt_t *st = db_prepare(db, "SELECT id FROM person WHERE gemeente = ? AND bsn_hash = ?");
    db_bind_text(st, 1, gemeente);
    db_bind_blob(st, 2, h, sizeof h);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return id;
}

int64_t person_create(db_t *db, const char *gemeente, const struct person_in *p, int64_t *existing)
{
    uint8_t h[32], sealed[128];
    size_t sealed_len = bsn_seal_len();
    if (existing) *existing = 0;
    if (p->bsn) {
        int64_t have = person_by_bsn(db, gemeente, p->bsn);
        if (have) {
            if (existing) *existing = have;
            return -2;
        }
        bsn_lookup_hash(p->bsn, h);
        bsn_seal(p->bsn, sealed);
    }
    int64_t now = now_s();
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO person (gemeente, bsn_sealed, bsn_hash, given_names, prefix, family_name, birth_date, gender,"
        " phone, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(st, 1, gemeente);
    if (p->bsn) {
        db_bind_blob(st, 2, sealed, sealed_len);
        db_bind_blob(st, 3, h, sizeof h);
    } else {
        db_bind_null(st, 2);
        db_bind_null(st, 3);
    }
    db_bind_text(st, 4, p->given_names);
    db_bind_text(st, 5, p->prefix ? p->prefix : "");
    db_bind_text(st, 6, p->family_name);
    if (p->birth_date && *p->birth_date) db_bind_text(st, 7, p->birth_date); else db_bind_null(st, 7);
    db_bind_text(st, 8, p->gender && *p->gender ? p->gender : "onbekend");
    db_bind_text(st, 9, p->phone ? p->phone : "");
    db_bind_text(st, 10, p->email ? p->email : "");
    db_bind_int(st, 11, now);
    db_bind_int(st, 12, now);
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    return id;
}

int64_t address_get(db_t *db, const char *gemeente, const char *postcode, int house_number,
                    const char *addition, const char *street, const char *city, int64_t area_id)
{
    const char *add = addition ? addition : "";
    db_stmt_t *st = db_prepare(db,
        "SELECT id FROM address WHERE gemeente = ? AND postcode = ? AND house_number = ? AND house_addition = ?");
    db_bind_text(st, 1, gemeente);
    db_bind_text(st, 2, postcode);
    db_bind_int(st, 3, house_number);
    db_bind_text(st, 4, add);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    if (id) {
        /* Fill in what was unknown before; never overwrite with blanks. */
        st = db_prepare(db,
            "UPDATE address SET street = CASE WHEN ? <> '' THEN ? ELSE street END,"
            " city = CASE WHEN ? <> '' THEN ? ELSE city END,"
            " area_id = CASE WHEN ? > 0 THEN ? ELSE area_id END WHERE id = ?");
        db_bind_text(st, 1, street ? street : "");
        db_bind_text(st, 2, street ? street : "");
        db_bind_text(st, 3, city ? city : "");
        db_bind_text(st, 4, city ? city : "");
        db_bind_int(st, 5, area_id);
        db_bind_int(st, 6, area_id);
        db_bind_int(st, 7, id);
        int rc = db_step(st);
        db_done(st);
        return rc == DB_DONE ? id : -1;
    }
    st = db_prepare(db,
        "INSERT INTO address (gemeente, postcode, house_number, house_addition, street, city, area_id, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(st, 1, gemeente);
    db_bind_text(st, 2, postcode);
    db_bind_int(st, 3, house_number);
    db_bind_text(st, 4, add);
    db_bind_text(st, 5, street ? street : "");
    db_bind_text(st, 6, city ? city : "");
    if (area_id > 0) db_bind_int(st, 7, area_id); else db_bind_null(st, 7);
    db_bind_int(st, 8, now_s());
    id = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    return id;
}

int64_t team_for_area(db_t *db, int64_t buurt_id)
{
    /* The team of the wijk that holds the buurt (or of the area itself). */
    db_stmt_t *st = db_prepare(db,
        "SELECT t.id FROM area b JOIN team t ON t.area_id = COALESCE(b.parent_id, b.id) WHERE b.id = ?"
        " ORDER BY t.id LIMIT 1");
    db_bind_int(st, 1, buurt_id);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return id;
}

int64_t household_create(db_t *db, const char *gemeente, const char *name, int64_t address_id, int64_t team_id)
{
    if (!team_id && address_id > 0) {
        db_stmt_t *st = db_prepare(db, "SELECT area_id FROM address WHERE id = ?");
        db_bind_int(st, 1, address_id);
        int64_t area = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
        db_done(st);
        if (area) team_id = team_for_area(db, area);
    }
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO household (gemeente, name, address_id, team_id, status, created_at) VALUES (?, ?, ?, ?, 'open', ?)"
        " RETURNING id");
    db_bind_text(st, 1, gemeente);
    db_bind_text(st, 2, name);
    if (address_id > 0) db_bind_int(st, 3, address_id); else db_bind_null(st, 3);
    if (team_id > 0) db_bind_int(st, 4, team_id); else db_bind_null(st, 4);
    db_bind_int(st, 5, now_s());
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
    db_done(st);
    return id;
}

int household_add_member(db_t *db, int64_t household_id, int64_t person_id, const char *relation, const char *since)
{
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO household_member (household_id, person_id, relation, since) VALUES (?, ?, ?, ?)");
    db_bind_int(st, 1, household_id);
    db_bind_int(st, 2, person_id);
    db_bind_text(st, 3, relation);
    if (since && *since) db_bind_text(st, 4, since); else db_bind_null(st, 4);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}

int64_t coordinator_current(db_t *db, int64_t household_id)
{
    db_stmt_t *st = db_prepare(db, "SELECT account_id FROM coordinator WHERE household_id = ? AND end_at IS NULL");
    db_bind_int(st, 1, household_id);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return id;
}

int coordinator_set(db_t *db, int64_t household_id, int64_t account_id, const char *reason, int64_t by, int64_t now)
{
    int64_t cur = coordinator_current(db, household_id);
    if (cur == account_id) return -2;
    db_stmt_t *st = db_prepare(db,
        "UPDATE coordinator SET end_at = ?, reason = CASE WHEN reason = '' THEN ? ELSE reason END"
        " WHERE household_id = ? AND end_at IS NULL");
    /* the reason of a transfer is kept on both rows: why the old one ended
     * (if it had none) and why the new one started */
    db_bind_int(st, 1, now);
    db_bind_text(st, 2, reason);
    db_bind_int(st, 3, household_id);
    int ok = db_step(st) == DB_DONE;
    db_done(st);
    st = db_prepare(db,
        "INSERT INTO coordinator (household_id, account_id, team_id, start_at, reason, assigned_by)"
        " SELECT ?, a.id, a.team_id, ?, ?, ? FROM account a WHERE a.id = ?");
    db_bind_int(st, 1, household_id);
    db_bind_int(st, 2, now);
    db_bind_text(st, 3, reason);
    if (by > 0) db_bind_int(st, 4, by); else db_bind_null(st, 4);
    db_bind_int(st, 5, account_id);
    ok = ok && db_step(st) == DB_DONE && db_changes(db) == 1;
    db_done(st);
    return ok ? 0 : -1;
}

void person_display_name(const char *given, const char *prefix, const char *family, char *out, size_t n)
{
    snprintf(out, n, "%s%s%s%s%s", given ? given : "", given && *given ? " " : "", prefix && *prefix ? prefix : "",
             prefix && *prefix ? " " : "", family ? family : "");
}

const char *household_relation_label(const char *code)
{
    static const struct { const char *code, *label; } rel[] = {
        {"hoofdbewoner", "Hoofdbewoner"}, {"partner", "Partner"}, {"kind", "Kind"}, {"ouder", "Ouder"},
        {"pleegkind", "Pleegkind"}, {"broer_zus", "Broer of zus"}, {"grootouder", "Grootouder"},
        {"overig", "Ander familielid of huisgenoot"},
    };
    for (size_t i = 0; code && i < sizeof rel / sizeof rel[0]; i++)
        if (strcmp(rel[i].code, code) == 0) return rel[i].label;
    return code ? code : "";
}
