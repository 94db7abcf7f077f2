/* session.c - server-side sessions (see session.h). */
#include "auth/session.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"

void session_hash(const char *token, uint8_t out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

/* A fresh token (for the cookie), its hash (for the database) and a CSRF token. */
static void new_token(char token[SESSION_TOKEN_LEN], uint8_t hash[32], char csrf[48])
{
    rand_token(token, 32);
    rand_token(csrf, 32);
    session_hash(token, hash);
}

int session_create(db_t *db, int64_t account_id, const char *gemeente, const char *state,
                   const char *origin, const char *user_agent, char token_out[SESSION_TOKEN_LEN])
{
    char csrf[48];
    uint8_t h[32];
    new_token(token_out, h, csrf);
    int64_t now = now_s();
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO session (token_hash, account_id, gemeente, state, csrf, created_at, last_seen_at,"
        " origin, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_blob(st, 1, h, 32);
    db_bind_int(st, 2, account_id);
    db_bind_text(st, 3, gemeente);
    db_bind_text(st, 4, state);
    db_bind_text(st, 5, csrf);
    db_bind_int(st, 6, now);
    db_bind_int(st, 7, now);
    db_bind_textn(st, 8, origin ? origin : "", origin ? strnlen(origin, 64) : 0);
    db_bind_textn(st, 9, user_agent ? user_agent : "", user_agent ? strnlen(user_agent, 200) : 0);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}

static void copy(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", src ? src : ""); }

int session_lookup(db_t *db, const char *token, int64_t now, int64_t idle, int64_t absolute,
                   struct session_row *out)
{
    if (!token || strlen(token) < 40 || strlen(token) > 50) return SESSION_NONE;
    session_hash(token, out->token_hash);
    db_stmt_t *st = db_prepare(db,
        "SELECT s.account_id, s.gemeente, s.state, s.csrf, s.created_at, s.last_seen_at,"
        " a.username, a.display_name, a.role, a.disabled"
        " FROM session s JOIN account a ON a.id = s.account_id WHERE s.token_hash = ?");
    db_bind_blob(st, 1, out->token_hash, 32);
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return SESSION_NONE;
    }
    out->account_id = db_col_int(st, 0);
    copy(out->gemeente, sizeof out->gemeente, db_col_text(st, 1));
    copy(out->state, sizeof out->state, db_col_text(st, 2));
    copy(out->csrf, sizeof out->csrf, db_col_text(st, 3));
    out->created_at = db_col_int(st, 4);
    out->last_seen_at = db_col_int(st, 5);
    copy(out->username, sizeof out->username, db_col_text(st, 6));
    copy(out->display_name, sizeof out->display_name, db_col_text(st, 7));
    copy(out->role, sizeof out->role, db_col_text(st, 8));
    int disabled = (int)db_col_int(st, 9);
    db_done(st);

    /* Pending (mfa/enrol) sessions get at most 10 minutes. */
    int64_t abs_limit = strcmp(out->state, "full") == 0 ? absolute : (absolute < 600 ? absolute : 600);
    if (disabled || now - out->last_seen_at >= idle || now - out->created_at >= abs_limit) {
        session_delete(db, out->token_hash);
        return SESSION_EXPIRED;
    }
    /* Refresh last_seen_at only when it moved noticeably: a page view should
     * not cost a write. The step is small relative to the idle timeout. */
    int64_t step = idle / 30;
    if (step > 60) step = 60;
    if (now - out->last_seen_at > step) {
        db_stmt_t *up = db_prepare(db, "UPDATE session SET last_seen_at = ? WHERE token_hash = ?");
        db_bind_int(up, 1, now);
        db_bind_blob(up, 2, out->token_hash, 32);
        db_step(up);
        db_done(up);
        out->last_seen_at = now;
    }
    return SESSION_OK;
}

int session_rotate(db_t *db, const uint8_t old_hash[32], const char *state,
                   char token_out[SESSION_TOKEN_LEN])
{
    uint8_t h[32];
    char csrf[48];
    new_token(token_out, h, csrf);
    int64_t now = now_s();
    db_stmt_t *st = db_prepare(db,
        "UPDATE session SET token_hash = ?, state = ?, csrf = ?, created_at = ?, last_seen_at = ?"
        " WHERE token_hash = ?");
    db_bind_blob(st, 1, h, 32);
    db_bind_text(st, 2, state);
    db_bind_text(st, 3, csrf);
    db_bind_int(st, 4, now);
    db_bind_int(st, 5, now);
    db_bind_blob(st, 6, old_hash, 32);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE && db_changes(db) == 1 ? 0 : -1;
}

int session_delete(db_t *db, const uint8_t hash[32])
{
    db_stmt_t *st = db_prepare(db, "DELETE FROM session WHERE token_hash = ?");
    db_bind_blob(st, 1, hash, 32);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}

int session_delete_account(db_t *db, int64_t account_id)
{
    db_stmt_t *st = db_prepare(db, "DELETE FROM session WHERE account_id = ?");
    db_bind_int(st, 1, account_id);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? (int)db_changes(db) : -1;
}
