/* account.c - accounts, lockout and second factor (see account.h). */
#include "auth/account.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "auth/policy.h"
#include "auth/session.h"
#include "auth/totp.h"
#include "core/keys.h"
#include "core/util.h"

static int max_attempts = 6;
static int64_t lockout_seconds = 1800;

void account_set_lockout(int attempts, int64_t seconds)
{
    max_attempts = attempts;
    lockout_seconds = seconds;
}

static void copy(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", src ? src : ""); }

#define ACCOUNT_COLS "id, gemeente, username, display_name, email, role, totp_enabled, disabled," \
                     " locked_until, failed_logins, created_at"

static void read_account(db_stmt_t *st, struct account *a)
{
    a->id = db_col_int(st, 0);
    copy(a->gemeente, sizeof a->gemeente, db_col_text(st, 1));
    copy(a->username, sizeof a->username, db_col_text(st, 2));
    copy(a->display_name, sizeof a->display_name, db_col_text(st, 3));
    copy(a->email, sizeof a->email, db_col_text(st, 4));
    copy(a->role, sizeof a->role, db_col_text(st, 5));
    a->totp_enabled = (int)db_col_int(st, 6);
    a->disabled = (int)db_col_int(st, 7);
    a->locked_until = db_col_int(st, 8);
    a->failed_logins = (int)db_col_int(st, 9);
    a->created_at = db_col_int(st, 10);
}

int account_get(db_t *db, int64_t id, struct account *out)
{
    db_stmt_t *st = db_prepare(db, "SELECT " ACCOUNT_COLS " FROM account WHERE id = ?");
    db_bind_int(st, 1, id);
    int rc = db_step(st) == DB_ROW ? 0 : -1;
    if (rc == 0) read_account(st, out);
    db_done(st);
    return rc;
}

int account_by_name(db_t *db, const char *username, struct account *out)
{
    db_stmt_t *st = db_prepare(db, "SELECT " ACCOUNT_COLS " FROM account WHERE username = ?");
    db_bind_text(st, 1, username);
    int rc = db_step(st) == DB_ROW ? 0 : -1;
    if (rc == 0) read_account(st, out);
    db_done(st);
    return rc;
}

static int valid_username(const char *u)
{
    size_t n = strlen(u);
    if (n < 3 || n > 64) return 0;
    for (const char *p = u; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '.' || *p == '-' || *p == '_'))
            return 0;
    return 1;
}

/* Applies the password policy and hashes an acceptable password; -1 with a
 * Dutch message otherwise. */
static int hash_new_password(const char *password, const char *username, char hash[PASSWORD_HASH_MAX],
                             char *msg, size_t msglen)
{
    const char *why = password_policy(password, username);
    if (why) {
        snprintf(msg, msglen, "%s", why);
        return -1;
    }
    if (password_hash(password, hash) != 0) {
        snprintf(msg, msglen, "Het wachtwoord kon niet worden opgeslagen. Probeer het opnieuw.");
        return -1;
    }
    return 0;
}

int64_t account_create(db_t *db, const char *gemeente, const char *username, const char *display_name,
                       const char *email, const char *role, const char *password, char *msg, size_t msglen)
{
    if (!valid_username(username)) {
        snprintf(msg, msglen, "Een gebruikersnaam heeft 3 tot 64 tekens: kleine letters, cijfers, punt, streepje of liggend streepje.");
        return ACCOUNT_E_USERNAME;
    }
    if (role_from_code(role) == ROLE_NONE) {
        snprintf(msg, msglen, "Kies een bestaande rol.");
        return ACCOUNT_E_ROLE;
    }
    if (!display_name || !*display_name) {
        snprintf(msg, msglen, "Vul een naam in.");
        return ACCOUNT_E_NAME;
    }
    char hash[PASSWORD_HASH_MAX];
    if (hash_new_password(password, username, hash, msg, msglen) != 0) return ACCOUNT_E_PASSWORD;
    int64_t now = now_s();
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO account (gemeente, username, display_name, email, role, password_hash, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(st, 1, gemeente);
    db_bind_text(st, 2, username);
    db_bind_text(st, 3, display_name);
    db_bind_text(st, 4, email ? email : "");
    db_bind_text(st, 5, role);
    db_bind_text(st, 6, hash);
    db_bind_int(st, 7, now);
    db_bind_int(st, 8, now);
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_col_int(st, 0) : ACCOUNT_E_FAILED;
    db_done(st);
    if (id < 0 && rc == DB_CONSTRAINT) {
        snprintf(msg, msglen, "De gebruikersnaam %s bestaat al. Kies een andere.", username);
        id = ACCOUNT_E_USERNAME;
    } else if (id < 0) {
        snprintf(msg, msglen, "Het account kon niet worden opgeslagen (%s).", db_errmsg(db));
    }
    return id;
}

/* Records one failed attempt; locks the account when the limit is reached. */
static void record_failure(db_t *db, int64_t id, int64_t now)
{
    db_stmt_t *st = db_prepare(db,
        "UPDATE account SET failed_logins = failed_logins + 1,"
        " locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END,"
        " updated_at = ? WHERE id = ?");
    db_bind_int(st, 1, max_attempts);
    db_bind_int(st, 2, now + lockout_seconds);
    db_bind_int(st, 3, now);
    db_bind_int(st, 4, id);
    db_step(st);
    db_done(st);
}

static void record_success(db_t *db, int64_t id, int64_t now)
{
    db_stmt_t *st = db_prepare(db,
        "UPDATE account SET failed_logins = 0, locked_until = 0, updated_at = ? WHERE id = ?");
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, id);
    db_step(st);
    db_done(st);
}

/* Counts a failed attempt for a name without an account (login_failure). */
static enum auth_result unknown_name_failure(db_t *db, const char *username, int64_t now)
{
    db_stmt_t *st = db_prepare(db, "DELETE FROM login_failure WHERE updated_at < ? AND locked_until < ?");
    db_bind_int(st, 1, now - lockout_seconds);
    db_bind_int(st, 2, now);
    db_step(st);
    db_done(st);
    st = db_prepare(db,
        "INSERT INTO login_failure (username, failures, locked_until, updated_at) VALUES (?, 1, 0, ?)"
        " ON CONFLICT (username) DO UPDATE SET"
        " failures = CASE WHEN login_failure.locked_until > 0 AND login_failure.locked_until <= excluded.updated_at"
        "   THEN 1 ELSE login_failure.failures + 1 END,"
        " locked_until = CASE WHEN login_failure.locked_until > excluded.updated_at THEN login_failure.locked_until"
        "   WHEN login_failure.locked_until > 0 THEN 0"
        "   WHEN login_failure.failures + 1 >= ? THEN excluded.updated_at + ? ELSE 0 END,"
        " updated_at = excluded.updated_at"
        " RETURNING failures, locked_until");
    db_bind_textn(st, 1, username, strnlen(username, 200));
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, max_attempts);
    db_bind_int(st, 4, lockout_seconds);
    enum auth_result r = AUTH_BAD;
    if (db_step(st) == DB_ROW && db_col_int(st, 1) > now) r = AUTH_LOCKED;
    db_done(st);
    return r;
}

enum auth_result account_check_password(db_t *db, const char *username, const char *password,
                                        int64_t now, struct account *out)
{
    char hash[PASSWORD_HASH_MAX] = "";
    db_stmt_t *st = db_prepare(db, "SELECT " ACCOUNT_COLS ", password_hash FROM account WHERE username = ?");
    db_bind_text(st, 1, username);
    int found = db_step(st) == DB_ROW;
    if (found) {
        read_account(st, out);
        copy(hash, sizeof hash, db_col_text(st, 11));
    }
    db_done(st);
    if (!found) {
        /* Same work and the same lockout as for a real account, so neither
         * timing nor the answer reveals which names exist. */
        password_verify(password_dummy_hash(), password);
        memset(out, 0, sizeof *out);
        return unknown_name_failure(db, username, now);
    }
    if (out->locked_until > now) {
        password_verify(password_dummy_hash(), password);
        return AUTH_LOCKED;
    }
    if (out->locked_until && out->locked_until <= now && out->failed_logins >= max_attempts) {
        /* lock expired: start counting afresh */
        db_stmt_t *r = db_prepare(db, "UPDATE account SET failed_logins = 0, locked_until = 0 WHERE id = ?");
        db_bind_int(r, 1, out->id);
        db_step(r);
        db_done(r);
        out->failed_logins = 0;
    }
    if (password_verify(hash, password) != 0) {
        record_failure(db, out->id, now);
        return out->failed_logins + 1 >= max_attempts ? AUTH_LOCKED : AUTH_BAD;
    }
    if (out->disabled) return AUTH_DISABLED;
    return AUTH_OK;
}

static int load_secret(db_t *db, int64_t id, int want_enabled, uint8_t secret[TOTP_SECRET_BYTES],
                       int64_t *last_step)
{
    db_stmt_t *st = db_prepare(db, "SELECT totp_secret, totp_enabled, totp_last_step FROM account WHERE id = ?");
    db_bind_int(st, 1, id);
    int rc = -1;
    if (db_step(st) == DB_ROW && !db_col_is_null(st, 0) && db_col_int(st, 1) == want_enabled) {
        size_t n;
        const void *p = db_col_blob(st, 0, &n);
        if (keys_open(KEY_TOTP, p, n, secret, TOTP_SECRET_BYTES) == 0) rc = 0;
        *last_step = db_col_int(st, 2);
    }
    db_done(st);
    return rc;
}

static void normalise_recovery(const char *in, char *out, size_t outlen)
{
    size_t j = 0;
    for (const char *p = in; *p && j + 1 < outlen; p++)
        if (isalnum((unsigned char)*p)) out[j++] = (char)tolower((unsigned char)*p);
    out[j] = '\0';
}

static void recovery_hash(const char *norm, uint8_t out[32])
{
    uint8_t k[KEY_BYTES];
    keys_get(KEY_RECOVERY, k);
    crypto_generichash(out, 32, (const unsigned char *)norm, strlen(norm), k, sizeof k);
    sodium_memzero(k, sizeof k);
}

static int use_recovery_code(db_t *db, int64_t id, const char *code, int64_t now)
{
    char norm[32];
    normalise_recovery(code, norm, sizeof norm);
    if (strlen(norm) != 10) return -1;
    uint8_t h[32];
    recovery_hash(norm, h);
    db_stmt_t *st = db_prepare(db,
        "UPDATE recovery_code SET used_at = ? WHERE account_id = ? AND code_hash = ? AND used_at IS NULL");
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, id);
    db_bind_blob(st, 3, h, 32);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE && db_changes(db) == 1 ? 0 : -1;
}

enum auth_result account_check_code(db_t *db, int64_t id, const char *code, int64_t now)
{
    struct account a;
    if (account_get(db, id, &a) != 0 || a.disabled) return AUTH_BAD;
    if (a.locked_until > now) return AUTH_LOCKED;
    uint8_t secret[TOTP_SECRET_BYTES];
    int64_t last = 0;
    int ok = 0;
    if (load_secret(db, id, 1, secret, &last) == 0) {
        int64_t step = totp_verify(secret, sizeof secret, code, now, last);
        sodium_memzero(secret, sizeof secret);
        if (step >= 0) {
            /* Only advance: a concurrent sign-in with the same code loses. */
            db_stmt_t *st = db_prepare(db,
                "UPDATE account SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?");
            db_bind_int(st, 1, step);
            db_bind_int(st, 2, id);
            db_bind_int(st, 3, step);
            ok = db_step(st) == DB_DONE && db_changes(db) == 1;
            db_done(st);
        } else if (use_recovery_code(db, id, code, now) == 0) {
            ok = 1;
        }
    }
    if (!ok) {
        record_failure(db, id, now);
        return a.failed_logins + 1 >= max_attempts ? AUTH_LOCKED : AUTH_BAD;
    }
    record_success(db, id, now);
    return AUTH_OK;
}

static int store_secret(db_t *db, int64_t id, const uint8_t secret[TOTP_SECRET_BYTES], int enabled)
{
    uint8_t sealed[128];
    size_t n = keys_seal_len(TOTP_SECRET_BYTES);
    keys_seal(KEY_TOTP, secret, TOTP_SECRET_BYTES, sealed);
    db_stmt_t *st = db_prepare(db,
        "UPDATE account SET totp_secret = ?, totp_enabled = ?, totp_last_step = 0, updated_at = ? WHERE id = ?");
    db_bind_blob(st, 1, sealed, n);
    db_bind_int(st, 2, enabled);
    db_bind_int(st, 3, now_s());
    db_bind_int(st, 4, id);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}

int account_totp_pending(db_t *db, int64_t id, char *base32_out, size_t outlen)
{
    uint8_t secret[TOTP_SECRET_BYTES];
    int64_t last;
    if (load_secret(db, id, 0, secret, &last) != 0) {
        randombytes_buf(secret, sizeof secret);
        if (store_secret(db, id, secret, 0) != 0) return -1;
    }
    int rc = base32_encode(secret, sizeof secret, base32_out, outlen) < 0 ? -1 : 0;
    sodium_memzero(secret, sizeof secret);
    return rc;
}

enum auth_result account_totp_confirm(db_t *db, int64_t id, const char *code, int64_t now,
                                      char codes[RECOVERY_CODES][RECOVERY_CODE_LEN])
{
    uint8_t secret[TOTP_SECRET_BYTES];
    int64_t last;
    if (load_secret(db, id, 0, secret, &last) != 0) return AUTH_BAD;
    int64_t step = totp_verify(secret, sizeof secret, code, now, last);
    sodium_memzero(secret, sizeof secret);
    if (step < 0) {
        record_failure(db, id, now);
        return AUTH_BAD;
    }
    if (db_begin(db) != DB_OK) return AUTH_BAD;
    db_stmt_t *st = db_prepare(db,
        "UPDATE account SET totp_enabled = 1, totp_last_step = ?, failed_logins = 0, updated_at = ? WHERE id = ?");
    db_bind_int(st, 1, step);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, id);
    int ok = db_step(st) == DB_DONE;
    db_done(st);
    st = db_prepare(db, "DELETE FROM recovery_code WHERE account_id = ?");
    db_bind_int(st, 1, id);
    ok = ok && db_step(st) == DB_DONE;
    db_done(st);
    static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789"; /* no 0/o, 1/l/i */
    for (int i = 0; i < RECOVERY_CODES && ok; i++) {
        char norm[11];
        for (int j = 0; j < 10; j++) norm[j] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
        norm[10] = '\0';
        snprintf(codes[i], RECOVERY_CODE_LEN, "%.5s-%.5s", norm, norm + 5);
        uint8_t h[32];
        recovery_hash(norm, h);
        st = db_prepare(db, "INSERT INTO recovery_code (account_id, code_hash) VALUES (?, ?)");
        db_bind_int(st, 1, id);
        db_bind_blob(st, 2, h, 32);
        ok = db_step(st) == DB_DONE;
        db_done(st);
    }
    if (!ok) {
        db_rollback(db);
        return AUTH_BAD;
    }
    return db_commit(db) == DB_OK ? AUTH_OK : AUTH_BAD;
}

int account_totp_set(db_t *db, int64_t id, const char *base32_secret)
{
    uint8_t secret[64];
    int n = base32_decode(base32_secret, secret, sizeof secret);
    if (n != TOTP_SECRET_BYTES) return -1;
    return store_secret(db, id, secret, 1);
}

int account_mfa_reset(db_t *db, int64_t id)
{
    if (db_begin(db) != DB_OK) return -1;
    db_stmt_t *st = db_prepare(db,
        "UPDATE account SET totp_secret = NULL, totp_enabled = 0, totp_last_step = 0, updated_at = ? WHERE id = ?");
    db_bind_int(st, 1, now_s());
    db_bind_int(st, 2, id);
    int ok = db_step(st) == DB_DONE && db_changes(db) == 1;
    db_done(st);
    st = db_prepare(db, "DELETE FROM recovery_code WHERE account_id = ?");
    db_bind_int(st, 1, id);
    ok = ok && db_step(st) == DB_DONE;
    db_done(st);
    ok = ok && session_delete_account(db, id) >= 0;
    if (!ok) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db) == DB_OK ? 0 : -1;
}

int account_set_password(db_t *db, int64_t id, const char *password, char *msg, size_t msglen)
{
    struct account a;
    if (account_get(db, id, &a) != 0) {
        snprintf(msg, msglen, "Dit account bestaat niet.");
        return -1;
    }
    char hash[PASSWORD_HASH_MAX];
    if (hash_new_password(password, a.username, hash, msg, msglen) != 0) return -1;
    db_stmt_t *st = db_prepare(db, "UPDATE account SET password_hash = ?, updated_at = ? WHERE id = ?");
    db_bind_text(st, 1, hash);
    db_bind_int(st, 2, now_s());
    db_bind_int(st, 3, id);
    int rc = db_step(st) == DB_DONE ? 0 : -1;
    db_done(st);
    return rc;
}

int account_disable(db_t *db, int64_t id)
{
    if (db_begin(db) != DB_OK) return -1;
    db_stmt_t *st = db_prepare(db, "UPDATE account SET disabled = 1, updated_at = ? WHERE id = ?");
    db_bind_int(st, 1, now_s());
    db_bind_int(st, 2, id);
    int ok = db_step(st) == DB_DONE && db_changes(db) == 1;
    db_done(st);
    ok = ok && session_delete_account(db, id) >= 0;
    if (!ok) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db) == DB_OK ? 0 : -1;
}

int account_unlock(db_t *db, int64_t id)
{
    db_stmt_t *st = db_prepare(db, "UPDATE account SET failed_logins = 0, locked_until = 0 WHERE id = ?");
    db_bind_int(st, 1, id);
    int rc = db_step(st) == DB_DONE ? 0 : -1;
    db_done(st);
    return rc;
}
