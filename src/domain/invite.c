/* invite.c - one-time invitation links (see invite.h). */
#include "domain/invite.h"

#include <stdio.h>
#include <string.h>

#include "auth/account.h"
#include "auth/password.h"
#include "auth/session.h"
#include "core/util.h"
#include "domain/calendar.h"
#include "domain/household.h"

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

/* The first given name of "Anna Maria" is "Anna". */
static void first_name(const char *given, char *out, size_t n)
{
    size_t len = strcspn(given ? given : "", " ");
    if (len >= n) len = n - 1;
    memcpy(out, given ? given : "", len);
    out[len] = '\0';
}

/* 1 when person_id is a current member of household_id of gemeente. */
static int is_current_member(db_t *db, const char *gemeente, int64_t household_id, int64_t person_id, int64_t now)
{
    char today[11];
    day_format(day_today_amsterdam(now), today);
    db_stmt_t *st = db_prepare(db,
        "SELECT 1 FROM household_member m JOIN household h ON h.id = m.household_id"
        " WHERE m.household_id = ? AND m.person_id = ? AND h.gemeente = ? AND (m.until IS NULL OR m.until >= ?)");
    db_bind_int(st, 1, household_id);
    db_bind_int(st, 2, person_id);
    db_bind_text(st, 3, gemeente);
    db_bind_text(st, 4, today);
    int ok = db_step(st) == DB_ROW;
    db_done(st);
    return ok;
}

/* 1 when an account is linked to person_id, 0 when not, -1 on error. */
static int person_has_account(db_t *db, int64_t person_id)
{
    db_stmt_t *st = db_prepare(db, "SELECT 1 FROM account WHERE person_id = ? LIMIT 1");
    db_bind_int(st, 1, person_id);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int64_t invite_create(db_t *db, const char *gemeente, int64_t household_id, int64_t person_id,
                      int64_t network_member_id, int64_t created_by, int64_t now,
                      char token_out[INVITE_TOKEN_LEN])
{
    token_out[0] = '\0';
    if (network_member_id > 0) {
        db_stmt_t *st = db_prepare(db,
            "SELECT account_id IS NOT NULL FROM network_member WHERE id = ? AND household_id = ? AND gemeente = ?"
            " AND ended_at IS NULL");
        db_bind_int(st, 1, network_member_id);
        db_bind_int(st, 2, household_id);
        db_bind_text(st, 3, gemeente);
        int rc = db_step(st);
        int has = rc == DB_ROW ? (int)db_col_int(st, 0) : 0;
        db_done(st);
        if (rc != DB_ROW) return rc == DB_DONE ? INVITE_E_NOT_FOUND : INVITE_E_DB;
        if (has) return INVITE_E_HAS_ACCOUNT;
        person_id = 0;
    } else {
        if (person_id <= 0 || !is_current_member(db, gemeente, household_id, person_id, now)) return INVITE_E_NOT_FOUND;
        int has = person_has_account(db, person_id);
        if (has < 0) return INVITE_E_DB;
        if (has) return INVITE_E_HAS_ACCOUNT;
    }
    char token[INVITE_TOKEN_LEN];
    uint8_t hash[32];
    rand_token(token, 32);
    session_hash(token, hash);
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO invite (gemeente, kind, household_id, person_id, network_member_id, token_hash, created_by,"
        " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(st, 1, gemeente);
    db_bind_text(st, 2, network_member_id > 0 ? "network" : "resident");
    db_bind_int(st, 3, household_id);
    if (person_id > 0) db_bind_int(st, 4, person_id);
    else db_bind_null(st, 4);
    if (network_member_id > 0) db_bind_int(st, 5, network_member_id);
    else db_bind_null(st, 5);
    db_bind_blob(st, 6, hash, sizeof hash);
    if (created_by > 0) db_bind_int(st, 7, created_by);
    else db_bind_null(st, 7);
    db_bind_int(st, 8, now);
    db_bind_int(st, 9, now + INVITE_TTL);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : INVITE_E_DB;
    db_done(st);
    if (id > 0) memcpy(token_out, token, INVITE_TOKEN_LEN);
    return id;
}

int invite_lookup(db_t *db, const char *gemeente, const char *token, int64_t now, struct invite_info *out)
{
    memset(out, 0, sizeof *out);
    if (!token || !*token || strlen(token) > 64) return INVITE_E_INVALID;
    uint8_t hash[32];
    session_hash(token, hash);
    db_stmt_t *st = db_prepare(db,
        "SELECT i.id, i.kind, i.household_id, COALESCE(i.person_id, 0), COALESCE(i.network_member_id, 0),"
        " i.gemeente, i.expires_at, p.given_names, p.prefix, p.family_name, n.name FROM invite i"
        " LEFT JOIN person p ON p.id = i.person_id LEFT JOIN network_member n ON n.id = i.network_member_id"
        " WHERE i.token_hash = ? AND i.gemeente = ? AND i.used_at IS NULL AND i.expires_at > ?");
    db_bind_blob(st, 1, hash, sizeof hash);
    db_bind_text(st, 2, gemeente);
    db_bind_int(st, 3, now);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->id = db_col_int(st, 0);
        copy(out->kind, sizeof out->kind, db_col_text(st, 1));
        out->household_id = db_col_int(st, 2);
        out->person_id = db_col_int(st, 3);
        out->network_member_id = db_col_int(st, 4);
        copy(out->gemeente, sizeof out->gemeente, db_col_text(st, 5));
        out->expires_at = db_col_int(st, 6);
        if (out->person_id > 0) {
            first_name(db_col_text(st, 7), out->first_name, sizeof out->first_name);
            person_display_name(db_col_text(st, 7), db_col_text(st, 8), db_col_text(st, 9), out->full_name,
                                sizeof out->full_name);
        } else {
            first_name(db_col_text(st, 10), out->first_name, sizeof out->first_name);
            copy(out->full_name, sizeof out->full_name, db_col_text(st, 10));
        }
    }
    db_done(st);
    return rc == DB_ROW ? INVITE_OK : rc == DB_DONE ? INVITE_E_INVALID : INVITE_E_DB;
}

/* Inside the transaction: links the new account and marks the invitation.
 * Returns INVITE_OK, INVITE_E_HAS_ACCOUNT, INVITE_E_INVALID or INVITE_E_DB. */
static int link_account(db_t *db, const struct invite_info *in, int64_t account_id, int64_t now)
{
    db_stmt_t *st;
    if (in->person_id > 0) {
        int has = person_has_account(db, in->person_id);
        if (has != 0) return has < 0 ? INVITE_E_DB : INVITE_E_HAS_ACCOUNT;
        st = db_prepare(db, "UPDATE account SET person_id = ? WHERE id = ?");
        db_bind_int(st, 1, in->person_id);
        db_bind_int(st, 2, account_id);
    } else {
        st = db_prepare(db, "UPDATE network_member SET account_id = ? WHERE id = ? AND account_id IS NULL");
        db_bind_int(st, 1, account_id);
        db_bind_int(st, 2, in->network_member_id);
    }
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return INVITE_E_DB;
    if (db_changes(db) != 1) return INVITE_E_HAS_ACCOUNT;
    st = db_prepare(db, "UPDATE invite SET used_at = ?, account_id = ? WHERE id = ? AND used_at IS NULL");
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, account_id);
    db_bind_int(st, 3, in->id);
    rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return INVITE_E_DB;
    return db_changes(db) == 1 ? INVITE_OK : INVITE_E_INVALID;
}

int64_t invite_redeem(db_t *db, const char *gemeente, const char *token, const char *username, const char *password,
                      int64_t now, struct invite_info *info, char *msg, size_t msglen)
{
    if (msglen) msg[0] = '\0';
    struct invite_info in;
    /* Cheap checks first, outside the write lock. */
    int rc = invite_lookup(db, gemeente, token, now, &in);
    if (rc != INVITE_OK) return rc;
    const char *why = password_policy(password ? password : "", username);
    if (why) {
        copy(msg, msglen, why);
        return INVITE_E_PASSWORD;
    }
    if (db_begin(db) != DB_OK) return INVITE_E_DB;
    rc = invite_lookup(db, gemeente, token, now, &in); /* again, under the lock */
    if (rc != INVITE_OK) {
        db_rollback(db);
        return rc;
    }
    int64_t id = account_create(db, in.gemeente, username, in.full_name[0] ? in.full_name : username, NULL,
                                in.person_id > 0 ? "resident" : "network", password, msg, msglen);
    if (id <= 0) {
        db_rollback(db);
        return id == ACCOUNT_E_USERNAME ? INVITE_E_USERNAME : id == ACCOUNT_E_PASSWORD ? INVITE_E_PASSWORD : INVITE_E_DB;
    }
    rc = link_account(db, &in, id, now);
    if (rc != INVITE_OK || db_commit(db) != DB_OK) {
        db_rollback(db);
        return rc != INVITE_OK ? rc : INVITE_E_DB;
    }
    if (info) *info = in;
    return id;
}
