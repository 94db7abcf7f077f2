/*
 * db_pg.c - the PostgreSQL driver behind db.h (libpq; db.c holds the shared parts).
 *
 * Connection: one PGconn per db_t (one per worker thread), opened from a libpq
 * URI ("postgresql://user@host:port/db?..."), with application_name=kantel,
 * a 10 s connect timeout (both overridable in the URI), client_min_messages
 * = warning and the statement timeout set by db_set_statement_timeout().
 *
 * Statements: the portable SQL's ? placeholders become $1..$n (outside string
 * literals, quoted names and comments). A cached statement is prepared on the
 * server once per connection (PQprepare, parameter types left to the server,
 * except a ? directly before IS [NOT] NULL, which is declared text). Where the
 * server still cannot infer a type, the statement runs unprepared with the
 * types of the bound values (int8, text, bytea); inside a transaction that
 * first prepare is tried in a savepoint, so its failure cannot abort the
 * caller's transaction. Uncached duplicates (nested use of one SQL text) run
 * unprepared.
 * Values are sent as text, blobs in binary; results come back as text, and
 * db_col_blob() unescapes bytea. A result is fetched whole at the first
 * db_step(), so statements may nest on one connection as they do on SQLite.
 *
 * Transactions: db_begin() = BEGIN plus pg_advisory_xact_lock(WRITE_LOCK_KEY):
 * one writer transaction at a time per database, across all processes, like
 * SQLite's BEGIN IMMEDIATE. Reads never wait for it. db_begin_read() =
 * BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY (one snapshot).
 *
 * Lost connections: when a statement finds the connection broken, the driver
 * reconnects with backoff (0.1, 0.2, 0.4, 0.8, 1.6 s), re-prepares lazily and,
 * if no transaction was open, runs the statement again; inside a transaction
 * the transaction is gone, so the statement fails (DB_ERROR) and the caller
 * rolls back.
 *
 * Errors (SQLSTATE): class 23 -> DB_CONSTRAINT; 40001 serialization failure,
 * 40P01 deadlock, 55P03 lock not available, 57014 statement timeout ->
 * DB_BUSY; the rest, including a lost connection, -> DB_ERROR.
 */
#include "db/db_driver.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"

/* Type OIDs (server catalog pg_type; stable since PostgreSQL 7). */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25
#define OID_OID 26
#define OID_NUMERIC 1700

#define WRITE_LOCK_KEY 4604201501 /* pg_advisory_xact_lock key of db_begin */

struct param {
    char *val; /* NULL = SQL NULL */
    int len;
    int fmt;   /* 0 text, 1 binary */
    Oid type;  /* of the bound value, for unprepared typed runs */
    char *buf; /* own storage */
    size_t cap;
};

struct pg_stmt {
    struct db_stmt base;
    char *text; /* with $n placeholders */
    Oid *decl;  /* declared parameter types (0 = left to the server) */
    int nparams;
    int persistent;
    int typed;  /* the server needs the bound types: run unprepared */
    unsigned gen; /* connection generation it was prepared in; 0 = not prepared */
    char name[24];
    struct param *p;
    PGresult *res;
    int row, nrows; /* row = index of the current row after a DB_ROW */
    /* Unescaped bytea of the current row, per column: every pointer handed
     * out stays valid until the next step or reset, as on SQLite. */
    unsigned char **blob;
    size_t *blob_len;
    int blob_cols;
};

struct pg_db {
    struct db base;
    PGconn *c;
    unsigned gen;  /* bumped at every (re)connect; prepared statements belong to one */
    unsigned next_name;
    int64_t changes;
};

#define PG(db) (((struct pg_db *)(db))->c)
#define PS(s) ((struct pg_stmt *)(s))

static const struct db_ops pg_ops;
static int g_timeout_ms; /* statement timeout for new connections; 0 = none */

void db_set_statement_timeout(int ms) { g_timeout_ms = ms > 0 ? ms : 0; }

/* ---- errors --------------------------------------------------------------- */

static int map_state(const char *state)
{
    if (!state) return DB_ERROR;
    if (strncmp(state, "23", 2) == 0) return DB_CONSTRAINT;
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03") || !strcmp(state, "57014"))
        return DB_BUSY;
    return DB_ERROR;
}

/* Records the error of res (or of the connection) and returns its code. */
static int result_err(db_t *db, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!msg || !*msg) msg = PQerrorMessage(PG(db));
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    char clean[400];
    snprintf(clean, sizeof clean, "%s", msg ? msg : "unknown error");
    size_t n = strlen(clean);
    while (n && (clean[n - 1] == '\n' || clean[n - 1] == ' ')) clean[--n] = '\0';
    if (detail && *detail)
        db_set_err(db, "%s (%s) [%s]", clean, detail, state ? state : "connection");
    else
        db_set_err(db, "%s [%s]", clean, state ? state : "connection");
    return map_state(state);
}

/* ---- connection ------------------------------------------------------------ */

static void notice(void *arg, const char *message)
{
    fprintf(stderr, "kantel: postgres: %s", message);
}

/* Session settings after every (re)connect. */
static int setup_session(PGconn *c, char *err, size_t errlen)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SET client_min_messages = warning; SET statement_timeout = %d", g_timeout_ms);
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) db_put_err(err, errlen, "cannot set up the PostgreSQL session: %s", PQresultErrorMessage(r));
    PQclear(r);
    return ok ? DB_OK : DB_ERROR;
}

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ')) s[--n] = '\0';
}

int db_pg_open(const char *conninfo, db_t **out, char *err, size_t errlen)
{
    *out = NULL;
    /* Defaults first: values from the URI (expanded in place of dbname) override them. */
    const char *keys[] = {"application_name", "connect_timeout", "dbname", NULL};
    const char *vals[] = {"kantel", "10", conninfo, NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (!c) {
        db_put_err(err, errlen, "cannot connect to PostgreSQL: out of memory");
        return DB_ERROR;
    }
    if (PQstatus(c) != CONNECTION_OK) {
        /* libpq's message names host and port, never the password. */
        char msg[400];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(c));
        chomp(msg);
        db_put_err(err, errlen, "cannot connect to PostgreSQL: %s", msg);
        PQfinish(c);
        return DB_ERROR;
    }
    PQsetNoticeProcessor(c, notice, NULL);
    if (setup_session(c, err, errlen) != DB_OK) {
        PQfinish(c);
        return DB_ERROR;
    }
    struct pg_db *db = xcalloc(1, sizeof *db);
    db_init_base(&db->base, &pg_ops);
    db->c = c;
    db->gen = 1;
    *out = &db->base;
    return DB_OK;
}

static void pg_close(db_t *db)
{
    PQfinish(PG(db));
    free(db);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Reconnects a broken connection with backoff. DB_OK when it is back. */
static int reconnect(db_t *db)
{
    struct pg_db *p = (struct pg_db *)db;
    int wait = 100;
    for (int i = 0; i < 5; i++) {
        sleep_ms(wait);
        wait *= 2;
        PQreset(p->c);
        if (PQstatus(p->c) == CONNECTION_OK && setup_session(p->c, NULL, 0) == DB_OK) {
            p->gen++; /* every prepared statement is gone with the old session */
            fprintf(stderr, "kantel: postgres: reconnected after a lost connection\n");
            return DB_OK;
        }
    }
    db_set_err(db, "the connection to PostgreSQL was lost and could not be restored [connection]");
    return DB_ERROR;
}

/* ---- statements -------------------------------------------------------------- */

/* When s starts a string literal, a quoted name or a comment: the end of it;
 * otherwise NULL. Text inside these is never rewritten. */
static const char *skip_inert(const char *s)
{
    if (*s == '\'' || *s == '"') {
        char q = *s;
        const char *e = s + 1;
        while (*e && !(*e == q && e[1] != q)) e += (*e == q) ? 2 : 1;
        return *e ? e + 1 : e;
    }
    if (s[0] == '-' && s[1] == '-') {
        const char *e = strchr(s, '\n');
        return e ? e : s + strlen(s);
    }
    if (s[0] == '/' && s[1] == '*') {
        const char *e = strstr(s + 2, "*/");
        return e ? e + 2 : s + strlen(s);
    }
    return NULL;
}

/* 1 when p (just after a ?) continues with IS [NOT] NULL: the server cannot
 * infer that parameter's type from its use, so it is declared text. */
static int before_is_null(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\t') p++;
    if (strncasecmp(p, "IS", 2) != 0 || (p[2] != ' ' && p[2] != '\n')) return 0;
    p += 3;
    while (*p == ' ' || *p == '\n') p++;
    if (strncasecmp(p, "NOT", 3) == 0 && (p[3] == ' ' || p[3] == '\n')) {
        p += 4;
        while (*p == ' ' || *p == '\n') p++;
    }
    return strncasecmp(p, "NULL", 4) == 0;
}

/* Rewrites ? to $n outside literals, quoted names and comments; *types gets
 * one entry per parameter: OID_TEXT before IS [NOT] NULL, else 0 (inferred). */
static char *convert(const char *sql, int *nparams, Oid **types)
{
    buf_t b = BUF_INIT;
    int n = 0, cap = 0;
    *types = NULL;
    for (const char *s = sql; *s;) {
        const char *e = skip_inert(s);
        if (e) {
            buf_append(&b, s, (size_t)(e - s));
            s = e;
        } else if (*s == '?') {
            if (n == cap) {
                cap = cap ? cap * 2 : 8;
                *types = xrealloc(*types, (size_t)cap * sizeof **types);
            }
            (*types)[n] = before_is_null(s + 1) ? OID_TEXT : 0;
            buf_printf(&b, "$%d", ++n);
            s++;
        } else {
            buf_append(&b, s, 1);
            s++;
        }
    }
    *nparams = n;
    return buf_detach(&b);
}

static int is_indeterminate(const PGresult *r)
{
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    return state && (!strcmp(state, "42P18") || !strcmp(state, "42P08") || !strcmp(state, "42725"));
}

/* Prepares st on the server for the current connection generation. */
static int server_prepare(struct pg_stmt *s)
{
    struct pg_db *p = (struct pg_db *)s->base.db;
    /* Inside a transaction a failed prepare (e.g. a parameter whose type the
     * server cannot infer) would abort the caller's transaction: try it in a
     * savepoint. Only the first use of a statement per connection pays this. */
    int in_tx = PQtransactionStatus(p->c) == PQTRANS_INTRANS;
    if (in_tx) PQclear(PQexec(p->c, "SAVEPOINT kantel_prepare"));
    PGresult *r = PQprepare(p->c, s->name, s->text, s->nparams, s->decl);
    if (in_tx)
        PQclear(PQexec(p->c, PQresultStatus(r) == PGRES_COMMAND_OK
                                 ? "RELEASE SAVEPOINT kantel_prepare"
                                 : "ROLLBACK TO SAVEPOINT kantel_prepare; RELEASE SAVEPOINT kantel_prepare"));
    int rc = DB_OK;
    if (PQresultStatus(r) == PGRES_COMMAND_OK) {
        s->gen = p->gen;
    } else if (is_indeterminate(r)) {
        s->typed = 1; /* runs unprepared with the bound types */
    } else {
        rc = result_err(s->base.db, r);
        if (rc >= 0) rc = DB_ERROR;
    }
    PQclear(r);
    return rc;
}

static db_stmt_t *pg_compile(db_t *db, const char *sql, int persistent)
{
    struct pg_db *p = (struct pg_db *)db;
    struct pg_stmt *s = xcalloc(1, sizeof *s);
    s->base.db = db;
    s->text = convert(sql, &s->nparams, &s->decl);
    s->persistent = persistent;
    if (s->nparams) s->p = xcalloc((size_t)s->nparams, sizeof *s->p);
    if (persistent) {
        snprintf(s->name, sizeof s->name, "k%u", ++p->next_name);
        if (server_prepare(s) != DB_OK) {
            free(s->text);
            free(s->decl);
            free(s->p);
            free(s);
            return NULL;
        }
    } else {
        s->typed = 1; /* never prepared: checked by the server when it runs */
    }
    return &s->base;
}

static void clear_blobs(struct pg_stmt *s)
{
    for (int i = 0; i < s->blob_cols; i++) {
        if (s->blob[i]) PQfreemem(s->blob[i]);
        s->blob[i] = NULL;
    }
}

static void clear_result(struct pg_stmt *s)
{
    PQclear(s->res);
    s->res = NULL;
    s->row = s->nrows = 0;
    clear_blobs(s);
}

static void pg_reset_stmt(db_stmt_t *st)
{
    struct pg_stmt *s = PS(st);
    clear_result(s);
    for (int i = 0; i < s->nparams; i++) {
        s->p[i].val = NULL;
        s->p[i].type = 0;
        s->p[i].fmt = 0;
        s->p[i].len = 0;
    }
}

static void pg_finalize(db_stmt_t *st)
{
    struct pg_stmt *s = PS(st);
    clear_result(s);
    free(s->blob);
    free(s->blob_len);
    /* Cached statements are finalized only when the connection closes, which
     * drops them on the server too: no DEALLOCATE round trip. */
    for (int i = 0; i < s->nparams; i++) free(s->p[i].buf);
    free(s->p);
    free(s->text);
    free(s->decl);
    free(s);
}

static int pg_end_request(db_t *db)
{
    int n = 0;
    for (size_t i = 0; i < db->cap; i++) {
        struct pg_stmt *s = PS(db->slots[i]);
        if (!s || !s->res) continue;
        fprintf(stderr, "kantel: db: statement left active (missing db_done): %.200s\n", s->base.sql);
        clear_result(s);
        n++;
    }
    if (PQtransactionStatus(PG(db)) != PQTRANS_IDLE && PQstatus(PG(db)) == CONNECTION_OK) {
        fprintf(stderr, "kantel: db: transaction left open at the end of a request; rolled back\n");
        PQclear(PQexec(PG(db), "ROLLBACK"));
        n++;
    }
    return n;
}

/* ---- binding -------------------------------------------------------------------- */

static struct param *slot(db_stmt_t *st, int idx)
{
    struct pg_stmt *s = PS(st);
    if (idx < 1 || idx > s->nparams) {
        db_set_err(st->db, "bind: parameter %d out of range (statement has %d)", idx, s->nparams);
        return NULL;
    }
    if (s->res) clear_result(s); /* binding after stepping starts a new run */
    return &s->p[idx - 1];
}

static void store(struct param *p, const void *v, size_t n, int fmt, Oid type)
{
    if (p->cap < n + 1) {
        p->cap = n + 1 < 32 ? 32 : n + 1;
        free(p->buf);
        p->buf = xcalloc(1, p->cap);
    }
    if (n) memcpy(p->buf, v, n);
    p->buf[n] = '\0';
    p->val = p->buf;
    p->len = (int)n;
    p->fmt = fmt;
    p->type = type;
}

static int pg_bind_int(db_stmt_t *st, int idx, int64_t v)
{
    struct param *p = slot(st, idx);
    if (!p) return DB_ERROR;
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    store(p, tmp, (size_t)n, 0, OID_INT8);
    return DB_OK;
}

static int pg_bind_text(db_stmt_t *st, int idx, const char *v, size_t n)
{
    struct param *p = slot(st, idx);
    if (!p) return DB_ERROR;
    if (memchr(v, '\0', n)) {
        db_set_err(st->db, "bind: text with a NUL byte");
        return DB_ERROR;
    }
    store(p, v, n, 0, OID_TEXT);
    return DB_OK;
}

static int pg_bind_blob(db_stmt_t *st, int idx, const void *v, size_t n)
{
    struct param *p = slot(st, idx);
    if (!p) return DB_ERROR;
    if (n && !v) {
        db_set_err(st->db, "bind: blob without data");
        return DB_ERROR;
    }
    if (n > (size_t)1 << 30) {
        db_set_err(st->db, "bind: blob too large");
        return DB_ERROR;
    }
    store(p, v, n, 1, OID_BYTEA);
    return DB_OK;
}

static int pg_bind_null(db_stmt_t *st, int idx)
{
    struct param *p = slot(st, idx);
    if (!p) return DB_ERROR;
    p->val = NULL;
    p->len = 0;
    p->fmt = 0;
    p->type = 0;
    return DB_OK;
}

/* ---- running ---------------------------------------------------------------------- */

static PGresult *run_once(struct pg_stmt *s)
{
    struct pg_db *p = (struct pg_db *)s->base.db;
    int n = s->nparams;
    const char *vals[n ? n : 1];
    int lens[n ? n : 1], fmts[n ? n : 1];
    Oid types[n ? n : 1];
    for (int i = 0; i < n; i++) {
        vals[i] = s->p[i].val;
        lens[i] = s->p[i].len;
        fmts[i] = s->p[i].fmt;
        types[i] = s->p[i].type ? s->p[i].type : s->decl ? s->decl[i] : 0;
    }
    if (s->typed || !s->persistent)
        return PQexecParams(p->c, s->text, n, types, vals, lens, fmts, 0);
    if (s->gen != p->gen) {
        if (server_prepare(s) != DB_OK) return NULL;
        if (s->typed) return PQexecParams(p->c, s->text, n, types, vals, lens, fmts, 0);
    }
    return PQexecPrepared(p->c, s->name, n, vals, lens, fmts, 0);
}

static int pg_step(db_stmt_t *st)
{
    struct pg_stmt *s = PS(st);
    struct pg_db *p = (struct pg_db *)st->db;
    if (s->res) {
        clear_blobs(s);
        if (s->row + 1 < s->nrows) {
            s->row++;
            return DB_ROW;
        }
        s->row = s->nrows;
        return DB_DONE;
    }
    PGTransactionStatusType before = PQtransactionStatus(p->c);
    PGresult *r = run_once(s);
    if (PQstatus(p->c) == CONNECTION_BAD) {
        PQclear(r);
        if (reconnect(st->db) != DB_OK) return DB_ERROR;
        if (before != PQTRANS_IDLE) {
            db_set_err(st->db, "the connection to PostgreSQL was lost inside a transaction [connection]");
            return DB_ERROR;
        }
        r = run_once(s);
    }
    if (!r) {
        if (st->db->err[0] == '\0') db_set_err(st->db, "%s", PQerrorMessage(p->c));
        return DB_ERROR;
    }
    ExecStatusType es = PQresultStatus(r);
    if (es == PGRES_TUPLES_OK || es == PGRES_COMMAND_OK) {
        const char *ct = PQcmdTuples(r);
        p->changes = ct && *ct ? strtoll(ct, NULL, 10) : 0;
        s->res = r;
        s->nrows = es == PGRES_TUPLES_OK ? PQntuples(r) : 0;
        s->row = 0;
        if (s->nrows > 0) return DB_ROW;
        s->row = s->nrows;
        return DB_DONE;
    }
    int rc = result_err(st->db, r);
    PQclear(r);
    return rc >= 0 ? DB_ERROR : rc;
}

static int pg_col_count(db_stmt_t *st) { return PS(st)->res ? PQnfields(PS(st)->res) : 0; }

static int valid(struct pg_stmt *s, int col)
{
    return s->res && s->row < s->nrows && col >= 0 && col < PQnfields(s->res);
}

static int pg_col_type(db_stmt_t *st, int col)
{
    struct pg_stmt *s = PS(st);
    if (!valid(s, col) || PQgetisnull(s->res, s->row, col)) return DB_T_NULL;
    switch (PQftype(s->res, col)) {
    case OID_BOOL:
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_OID:
    case OID_NUMERIC: return DB_T_INT;
    case OID_BYTEA: return DB_T_BLOB;
    default: return DB_T_TEXT;
    }
}

static int64_t pg_col_int(db_stmt_t *st, int col)
{
    struct pg_stmt *s = PS(st);
    if (!valid(s, col) || PQgetisnull(s->res, s->row, col)) return 0;
    const char *v = PQgetvalue(s->res, s->row, col);
    if (PQftype(s->res, col) == OID_BOOL) return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static const char *pg_col_text(db_stmt_t *st, int col)
{
    struct pg_stmt *s = PS(st);
    if (!valid(s, col) || PQgetisnull(s->res, s->row, col)) return "";
    return PQgetvalue(s->res, s->row, col);
}

static const void *pg_col_blob(db_stmt_t *st, int col, size_t *len)
{
    struct pg_stmt *s = PS(st);
    if (len) *len = 0;
    if (!valid(s, col) || PQgetisnull(s->res, s->row, col)) return NULL;
    const char *v = PQgetvalue(s->res, s->row, col);
    if (PQftype(s->res, col) != OID_BYTEA) {
        if (len) *len = (size_t)PQgetlength(s->res, s->row, col);
        return v;
    }
    int ncols = PQnfields(s->res);
    if (s->blob_cols < ncols) {
        s->blob = xrealloc(s->blob, (size_t)ncols * sizeof *s->blob);
        s->blob_len = xrealloc(s->blob_len, (size_t)ncols * sizeof *s->blob_len);
        for (int i = s->blob_cols; i < ncols; i++) s->blob[i] = NULL;
        s->blob_cols = ncols;
    }
    if (!s->blob[col]) {
        size_t n = 0;
        s->blob[col] = PQunescapeBytea((const unsigned char *)v, &n);
        if (!s->blob[col]) return NULL;
        s->blob_len[col] = n;
    }
    if (len) *len = s->blob_len[col];
    return s->blob[col];
}

static const char *pg_col_name(db_stmt_t *st, int col)
{
    struct pg_stmt *s = PS(st);
    if (!s->res || col < 0 || col >= PQnfields(s->res)) return "";
    return PQfname(s->res, col);
}

/* ---- whole statements and transactions ------------------------------------------------- */

static int pg_exec(db_t *db, const char *sql)
{
    PGresult *r = PQexec(PG(db), sql);
    ExecStatusType es = PQresultStatus(r);
    int rc = DB_OK;
    if (es != PGRES_COMMAND_OK && es != PGRES_TUPLES_OK && es != PGRES_EMPTY_QUERY) {
        rc = result_err(db, r);
        if (rc >= 0) rc = DB_ERROR;
    }
    PQclear(r);
    return rc;
}

static int pg_begin(db_t *db)
{
    if (PQtransactionStatus(PG(db)) != PQTRANS_IDLE) {
        db_set_err(db, "a transaction is already open on this connection");
        return DB_ERROR;
    }
    char sql[96];
    snprintf(sql, sizeof sql, "BEGIN; SELECT pg_advisory_xact_lock(%lld)", (long long)WRITE_LOCK_KEY);
    int rc = pg_exec(db, sql);
    if (rc != DB_OK && PQtransactionStatus(PG(db)) != PQTRANS_IDLE) PQclear(PQexec(PG(db), "ROLLBACK"));
    return rc;
}

static int pg_begin_read(db_t *db)
{
    if (PQtransactionStatus(PG(db)) != PQTRANS_IDLE) {
        db_set_err(db, "a transaction is already open on this connection");
        return DB_ERROR;
    }
    return pg_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

static int pg_commit(db_t *db)
{
    PGTransactionStatusType ts = PQtransactionStatus(PG(db));
    if (ts == PQTRANS_INERROR) {
        /* COMMIT of a failed transaction rolls back and reports success: say it. */
        PQclear(PQexec(PG(db), "ROLLBACK"));
        db_set_err(db, "commit of a failed transaction: rolled back");
        return DB_ERROR;
    }
    if (ts == PQTRANS_IDLE) {
        db_set_err(db, "commit without a transaction");
        return DB_ERROR;
    }
    return pg_exec(db, "COMMIT");
}

static int pg_rollback(db_t *db)
{
    PGTransactionStatusType ts = PQtransactionStatus(PG(db));
    if (ts == PQTRANS_IDLE || ts == PQTRANS_UNKNOWN) return DB_OK;
    return pg_exec(db, "ROLLBACK");
}

static int pg_in_transaction(db_t *db)
{
    PGTransactionStatusType ts = PQtransactionStatus(PG(db));
    return ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR || ts == PQTRANS_ACTIVE;
}

static int64_t pg_changes(db_t *db) { return ((struct pg_db *)db)->changes; }

static int64_t pg_last_id(db_t *db)
{
    PGresult *r = PQexec(PG(db), "SELECT lastval()");
    int64_t id = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? strtoll(PQgetvalue(r, 0, 0), NULL, 10)
                                                                          : 0;
    PQclear(r);
    return id;
}

static int pg_backup(db_t *db, const char *dest, char *err, size_t errlen)
{
    db_put_err(err, errlen,
               "backup: on PostgreSQL use pg_dump or pg_basebackup with WAL archiving (docs/operations.md)");
    return DB_ERROR;
}

/* ---- dialect: portable migration DDL -> PostgreSQL ---------------------------------------- */

static int word_at(const char *s, const char *w)
{
    size_t n = strlen(w);
    if (strncasecmp(s, w, n) != 0) return 0;
    char c = s[n];
    return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
}

static int ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static char *pg_dialect(const char *sql)
{
    buf_t b = BUF_INIT;
    for (const char *s = sql; *s;) {
        const char *e = skip_inert(s);
        if (e) {
            buf_append(&b, s, (size_t)(e - s));
            s = e;
        } else if (ident_char(*s) && (s == sql || !ident_char(s[-1]))) {
            if (word_at(s, "INTEGER")) {
                const char *t = s + 7;
                while (*t == ' ') t++;
                if (word_at(t, "PRIMARY")) {
                    const char *k = t + 7;
                    while (*k == ' ') k++;
                    if (word_at(k, "KEY")) {
                        buf_puts(&b, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
                        s = k + 3;
                        continue;
                    }
                }
                buf_puts(&b, "BIGINT");
                s += 7;
            } else if (word_at(s, "BLOB")) {
                buf_puts(&b, "BYTEA");
                s += 4;
            } else {
                const char *w = s;
                while (ident_char(*w)) w++;
                buf_append(&b, s, (size_t)(w - s));
                s = w;
            }
        } else {
            buf_append(&b, s, 1);
            s++;
        }
    }
    return buf_detach(&b);
}

/* ---- schema introspection (db copy) ----------------------------------------------------- */

static int pg_tables(db_t *db, char ***names, size_t *n)
{
    return db_read_names(db,
                         "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                         " AND table_type = 'BASE TABLE' AND table_name <> 'schema_version' ORDER BY 1",
                         NULL, names, n);
}

static int pg_refs(db_t *db, const char *table, char ***names, size_t *n)
{
    return db_read_names(db,
                         "SELECT DISTINCT r.relname FROM pg_constraint co"
                         " JOIN pg_class t ON t.oid = co.conrelid JOIN pg_class r ON r.oid = co.confrelid"
                         " JOIN pg_namespace ns ON ns.oid = t.relnamespace"
                         " WHERE co.contype = 'f' AND ns.nspname = current_schema() AND t.relname = ? ORDER BY 1",
                         table, names, n);
}

static int pg_after_load(db_t *db, const char *table)
{
    char **cols = NULL;
    size_t ncols = 0;
    int rc = db_read_names(db,
                           "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
                           " AND table_name = ? AND is_identity = 'YES'",
                           table, &cols, &ncols);
    for (size_t i = 0; rc == DB_OK && i < ncols; i++) {
        char *qt = PQescapeIdentifier(PG(db), table, strlen(table));
        char *qc = PQescapeIdentifier(PG(db), cols[i], strlen(cols[i]));
        char *lt = qt ? PQescapeLiteral(PG(db), qt, strlen(qt)) : NULL;
        char *lc = PQescapeLiteral(PG(db), cols[i], strlen(cols[i]));
        if (!qt || !qc || !lt || !lc) {
            db_set_err(db, "cannot quote the name %s", table);
            rc = DB_ERROR;
        } else {
            buf_t b = BUF_INIT;
            buf_printf(&b, "SELECT setval(pg_get_serial_sequence(%s, %s), coalesce(max(%s), 0) + 1, false) FROM %s",
                       lt, lc, qc, qt);
            rc = pg_exec(db, buf_cstr(&b));
            buf_free(&b);
        }
        PQfreemem(qt);
        PQfreemem(qc);
        PQfreemem(lt);
        PQfreemem(lc);
    }
    db_free_list(cols, ncols);
    return rc;
}

static const struct db_ops pg_ops = {
    .name = "postgres",
    .compile = pg_compile,
    .finalize = pg_finalize,
    .reset = pg_reset_stmt,
    .end_request = pg_end_request,
    .close = pg_close,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_count = pg_col_count,
    .col_type = pg_col_type,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .col_name = pg_col_name,
    .exec = pg_exec,
    .begin = pg_begin,
    .begin_read = pg_begin_read,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .in_transaction = pg_in_transaction,
    .changes = pg_changes,
    .last_id = pg_last_id,
    .backup = pg_backup,
    .dialect = pg_dialect,
    .tables = pg_tables,
    .refs = pg_refs,
    .after_load = pg_after_load,
};
