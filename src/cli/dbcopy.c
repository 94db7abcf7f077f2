/*
 * dbcopy.c - `kantel db copy --from SOURCE --to TARGET` moves a whole Kantel
 * database to another storage backend (SQLite -> PostgreSQL when a region
 * outgrows one machine; also PostgreSQL -> SQLite and SQLite -> SQLite) and
 * proves that nothing was lost; `kantel db check --from A --to B` only
 * compares two existing databases.
 *
 * Method of copy:
 *  1. Both ends are opened with db_open(); a SQLite source must already exist
 *     (it is never created empty). Targets appear in messages only through
 *     db_display(), so a URI password is never printed.
 *  2. The source must be at this binary's schema version; it is only read.
 *     A target holding any row in any table is refused before anything is
 *     changed; then the target is migrated.
 *  3. Tables, columns and foreign keys come from introspection (db_table_list,
 *     db_table_refs, a "SELECT * ... LIMIT 0" probe). Only names matching
 *     ^[a-z_][a-z0-9_]*$ are accepted, and they are double-quoted in the SQL.
 *     Both ends must have the same tables with the same columns. Tables are
 *     copied in topological order of their foreign keys (self references
 *     ignored); rows are read ordered by the first column (id), so in a
 *     self-referencing table such as area the parents come first. A cycle of
 *     foreign keys is an error that names it.
 *  4. The source is read in one read snapshot (db_begin_read) and everything
 *     is written in ONE write transaction on the target (db_begin): rows go in
 *     as multi-row INSERT ... VALUES (...), (...) of up to 200 rows (under
 *     30,000 parameters per statement), each value bound by the type the
 *     source reports. Text is read with its exact length (db_col_blob), so a
 *     NUL byte inside text is copied or refused, never silently cut short.
 *     db_after_load() then moves PostgreSQL's identity sequences past the
 *     copied ids. Any failure rolls back: the target stays empty.
 *  5. After the commit every table is verified (as `db check` does).
 *
 * Verification: per table the row count and an order-independent checksum,
 * computed the same way on both ends from the columns of the source (or of A)
 * in its order. Each row is encoded canonically - per column one tag byte
 * (the DB_T_* value: 0 NULL, 1 INT, 2 TEXT, 3 BLOB), then for INT the int64 as
 * 8 bytes big-endian, for TEXT and BLOB the length as u64 big-endian and the
 * bytes, for NULL nothing - and hashed with BLAKE2b to 16 bytes (libsodium
 * crypto_generichash). The two big-endian 64-bit halves of all row hashes are
 * added up modulo 2^64 (two lanes), so the sum does not depend on row order.
 * Each table gets one line: name, rows, checksum (32 hex digits), and "ok" or
 * "DIFFERS"; exit 0 only when every table matches.
 */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/util.h"

#define BATCH_ROWS 200      /* rows per INSERT statement */
#define MAX_PARAMS 30000    /* parameters per statement (SQLite allows 32766, PostgreSQL 65535) */
#define PROGRESS_ROWS 50000 /* progress on a terminal every this many rows */

struct table {
    char *name;
    char **cols;
    size_t ncols;
    char **refs; /* tables its foreign keys point to */
    size_t nrefs;
};

struct schema {
    struct table *t; /* in name order, as db_table_list gives them */
    size_t n;
};

struct sum {
    int64_t rows;
    uint64_t lane[2];
};

static const char *g_cmd = "db"; /* "db copy" or "db check", for messages */

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "kantel %s: ", g_cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* ---- names and opening ---------------------------------------------------- */

/* 1 when s matches ^[a-z_][a-z0-9_]*$ (safe to use double-quoted in SQL). */
static int plain_name(const char *s)
{
    if (!s || !((*s >= 'a' && *s <= 'z') || *s == '_')) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

static int is_pg(const char *target)
{
    return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0;
}

/* The file of a SQLite target, as db_open() reads it. */
static const char *sqlite_path(const char *target)
{
    if (strncmp(target, "sqlite:", 7) != 0) return target;
    target += 7;
    return strncmp(target, "//", 2) == 0 ? target + 2 : target;
}

/* Opens target; an existing SQLite file is required when must_exist. NULL
 * after printing why. role: "source", "target", "A" or "B". */
static db_t *open_db(const char *target, int must_exist, const char *role)
{
    char shown[512], err[600];
    db_display(target, shown, sizeof shown);
    struct stat sb;
    if (must_exist && !is_pg(target) && *sqlite_path(target) && stat(sqlite_path(target), &sb) != 0) {
        fail("%s database %s does not exist (a SQLite file must exist; nothing was created)", role, shown);
        return NULL;
    }
    db_t *db = NULL;
    if (db_open(target, &db, err, sizeof err) != DB_OK) {
        fail("cannot open %s database %s: %s", role, shown, err);
        return NULL;
    }
    return db;
}

/* ---- schema ------------------------------------------------------------------ */

static void free_schema(struct schema *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->t[i].name);
        db_free_list(s->t[i].cols, s->t[i].ncols);
        db_free_list(s->t[i].refs, s->t[i].nrefs);
    }
    free(s->t);
    s->t = NULL;
    s->n = 0;
}

/* The column names of table, from a probe that returns no rows. */
static int read_columns(db_t *db, const char *role, struct table *t)
{
    buf_t b = BUF_INIT;
    buf_printf(&b, "SELECT * FROM \"%s\" LIMIT 0", t->name);
    db_stmt_t *st = db_prepare_try(db, buf_cstr(&b));
    buf_free(&b);
    if (!st || db_step(st) < 0) {
        fail("%s: cannot read the columns of table %s: %s", role, t->name, db_errmsg(db));
        db_done(st);
        return -1;
    }
    int n = db_col_count(st);
    t->cols = xcalloc((size_t)n + 1, sizeof *t->cols);
    for (int i = 0; i < n; i++) t->cols[t->ncols++] = xstrdup(db_col_name(st, i));
    db_done(st);
    for (size_t i = 0; i < t->ncols; i++)
        if (!plain_name(t->cols[i])) {
            fail("%s: column '%s' of table %s is not a plain lower-case name; refusing to copy it", role,
                 t->cols[i], t->name);
            return -1;
        }
    if (t->ncols == 0) {
        fail("%s: table %s has no columns", role, t->name);
        return -1;
    }
    return 0;
}

static int read_table(db_t *db, const char *role, struct table *t)
{
    if (!plain_name(t->name)) {
        fail("%s: table name '%s' is not a plain lower-case name; refusing to copy it", role, t->name);
        return -1;
    }
    if (db_table_refs(db, t->name, &t->refs, &t->nrefs) != DB_OK) {
        fail("%s: cannot read the foreign keys of table %s: %s", role, t->name, db_errmsg(db));
        return -1;
    }
    return read_columns(db, role, t);
}

/* Tables with columns and foreign keys. -1 after printing why. */
static int load_schema(db_t *db, const char *role, struct schema *s)
{
    char **names = NULL;
    size_t n = 0;
    s->t = NULL;
    s->n = 0;
    if (db_table_list(db, &names, &n) != DB_OK) {
        fail("%s: cannot list the tables: %s", role, db_errmsg(db));
        return -1;
    }
    s->t = xcalloc(n + 1, sizeof *s->t);
    for (size_t i = 0; i < n; i++) {
        s->t[s->n++].name = names[i];
        names[i] = NULL;
    }
    db_free_list(names, n);
    for (size_t i = 0; i < s->n; i++)
        if (read_table(db, role, &s->t[i]) != 0) return -1;
    return 0;
}

static const struct table *find_table(const struct schema *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->t[i].name, name) == 0) return &s->t[i];
    return NULL;
}

static int has_col(const struct table *t, const char *col)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i], col) == 0) return 1;
    return 0;
}

/* "" when b has exactly a's columns (any order); otherwise why, in why. */
static const char *column_diff(const struct table *a, const struct table *b, char *why, size_t n)
{
    why[0] = '\0';
    for (size_t i = 0; i < a->ncols && !why[0]; i++)
        if (!has_col(b, a->cols[i])) snprintf(why, n, "column %s is missing", a->cols[i]);
    for (size_t i = 0; i < b->ncols && !why[0]; i++)
        if (!has_col(a, b->cols[i])) snprintf(why, n, "extra column %s", b->cols[i]);
    return why;
}

/* ---- copy order ----------------------------------------------------------------- */

/* 1 when every table t refers to (other than itself and unknown ones) is done. */
static int ready(const struct schema *s, const struct table *t, const char *done)
{
    for (size_t r = 0; r < t->nrefs; r++) {
        if (strcmp(t->refs[r], t->name) == 0) continue;
        for (size_t j = 0; j < s->n; j++)
            if (!done[j] && strcmp(s->t[j].name, t->refs[r]) == 0) return 0;
    }
    return 1;
}

/* Names one cycle among the tables not done: each has a reference to another
 * one not done, so following the first such reference must come back. */
static void report_cycle(const struct schema *s, const char *done)
{
    size_t *path = xcalloc(s->n + 1, sizeof *path), len = 0, cur = 0;
    while (done[cur]) cur++;
    for (;;) {
        for (size_t k = 0; k < len; k++) {
            if (path[k] != cur) continue;
            buf_t b = BUF_INIT;
            for (size_t m = k; m < len; m++) buf_printf(&b, "%s -> ", s->t[path[m]].name);
            buf_puts(&b, s->t[cur].name);
            fail("the foreign keys form a cycle (%s); no table order can satisfy them", buf_cstr(&b));
            buf_free(&b);
            free(path);
            return;
        }
        path[len++] = cur;
        const struct table *t = &s->t[cur];
        for (size_t r = 0; r < t->nrefs; r++) {
            if (strcmp(t->refs[r], t->name) == 0) continue;
            const struct table *next = find_table(s, t->refs[r]);
            if (next && !done[next - s->t]) {
                cur = (size_t)(next - s->t);
                break;
            }
        }
    }
}

/* order[i]: index into s->t of the i-th table to copy (parents before
 * children; by name among equals). -1 on a cycle, after printing it. */
static int copy_order(const struct schema *s, size_t *order)
{
    char *done = xcalloc(s->n + 1, 1);
    size_t placed = 0;
    while (placed < s->n) {
        size_t i = 0;
        while (i < s->n && (done[i] || !ready(s, &s->t[i], done))) i++;
        if (i == s->n) {
            report_cycle(s, done);
            free(done);
            return -1;
        }
        done[i] = 1;
        order[placed++] = i;
    }
    free(done);
    return 0;
}

/* ---- the target must be empty ----------------------------------------------------- */

/* Rows in table, or -1 after printing why. */
static int64_t count_rows(db_t *db, const char *role, const char *table)
{
    buf_t b = BUF_INIT;
    buf_printf(&b, "SELECT count(*) FROM \"%s\"", table);
    db_stmt_t *st = db_prepare_try(db, buf_cstr(&b));
    buf_free(&b);
    int64_t n = -1;
    if (st && db_step(st) == DB_ROW) n = db_col_int(st, 0);
    if (n < 0) fail("%s: cannot count the rows of %s: %s", role, table, db_errmsg(db));
    db_done(st);
    return n;
}

/* 0 when no table of db has a row; -1 after naming the first that has. */
static int require_empty(db_t *db, const char *shown)
{
    char **names = NULL;
    size_t n = 0;
    if (db_table_list(db, &names, &n) != DB_OK) {
        fail("target: cannot list the tables: %s", db_errmsg(db));
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (!plain_name(names[i])) {
            fail("target: table name '%s' is not a plain lower-case name", names[i]);
            rc = -1;
            break;
        }
        int64_t rows = count_rows(db, "target", names[i]);
        if (rows != 0) rc = -1;
        if (rows > 0)
            fail("the target %s is not empty: table %s has %lld row%s; copy only into an empty database", shown,
                 names[i], (long long)rows, rows == 1 ? "" : "s");
    }
    db_free_list(names, n);
    return rc;
}

/* ---- copying rows --------------------------------------------------------------------- */

/* "col1", "col2", ... */
static void put_columns(buf_t *b, const struct table *t)
{
    for (size_t i = 0; i < t->ncols; i++) buf_printf(b, "%s\"%s\"", i ? ", " : "", t->cols[i]);
}

/* INSERT INTO "t" (...) VALUES (?, ...), ... for rows rows. */
static char *insert_sql(const struct table *t, size_t rows)
{
    buf_t b = BUF_INIT;
    buf_printf(&b, "INSERT INTO \"%s\" (", t->name);
    put_columns(&b, t);
    buf_puts(&b, ") VALUES ");
    for (size_t r = 0; r < rows; r++) {
        buf_puts(&b, r ? ", (" : "(");
        for (size_t c = 0; c < t->ncols; c++) buf_puts(&b, c ? ", ?" : "?");
        buf_putc(&b, ')');
    }
    return buf_detach(&b);
}

/* SELECT "c1", ... FROM "t" [ORDER BY "c1"]: the columns in t's order. */
static db_stmt_t *select_rows(db_t *db, const struct table *t, int ordered)
{
    buf_t b = BUF_INIT;
    buf_puts(&b, "SELECT ");
    put_columns(&b, t);
    buf_printf(&b, " FROM \"%s\"", t->name);
    if (ordered) buf_printf(&b, " ORDER BY \"%s\"", t->cols[0]);
    db_stmt_t *st = db_prepare_try(db, buf_cstr(&b));
    buf_free(&b);
    return st;
}

/* Binds column col of the current row of from to parameter idx of to. */
static int bind_value(db_stmt_t *from, int col, db_stmt_t *to, int idx)
{
    size_t len = 0;
    const void *p;
    switch (db_col_type(from, col)) {
    case DB_T_INT: return db_bind_int(to, idx, db_col_int(from, col));
    case DB_T_TEXT:
        p = db_col_blob(from, col, &len); /* exact bytes and length of the text */
        return db_bind_textn(to, idx, p ? p : "", len);
    case DB_T_BLOB:
        p = db_col_blob(from, col, &len);
        return db_bind_blob(to, idx, p ? p : "", len);
    default: return db_bind_null(to, idx);
    }
}

/* On a terminal: how far a large table is. */
static void progress(const char *table, int64_t before, int64_t after, int64_t total)
{
    if (total < PROGRESS_ROWS || !isatty(STDERR_FILENO)) return;
    if (before / PROGRESS_ROWS != after / PROGRESS_ROWS || after == total)
        fprintf(stderr, "\r  %s: %lld of %lld rows%s", table, (long long)after, (long long)total,
                after == total ? "\n" : "");
}

/* Reads k rows from sel (the source) and inserts them as one statement. */
static int insert_batch(db_t *src, db_t *dst, const struct table *t, db_stmt_t *sel, size_t k)
{
    char *sql = insert_sql(t, k);
    db_stmt_t *ins = db_prepare_try(dst, sql);
    free(sql);
    if (!ins) {
        fail("target: cannot prepare the insert into %s: %s", t->name, db_errmsg(dst));
        return -1;
    }
    int rc = 0;
    for (size_t r = 0; r < k && rc == 0; r++) {
        int s = db_step(sel);
        if (s != DB_ROW) {
            fail("source: reading table %s: %s", t->name,
                 s == DB_DONE ? "fewer rows than counted" : db_errmsg(src));
            rc = -1;
        }
        for (size_t c = 0; c < t->ncols && rc == 0; c++)
            if (bind_value(sel, (int)c, ins, (int)(r * t->ncols + c + 1)) != DB_OK) {
                fail("target: table %s, column %s: %s", t->name, t->cols[c], db_errmsg(dst));
                rc = -1;
            }
    }
    if (rc == 0 && db_step(ins) != DB_DONE) {
        fail("target: inserting into %s: %s", t->name, db_errmsg(dst));
        rc = -1;
    }
    db_done(ins);
    return rc;
}

/* Copies every row of t, ordered by its first column. -1 after printing why. */
static int copy_table(db_t *src, db_t *dst, const struct table *t, int64_t *copied)
{
    *copied = 0;
    int64_t total = count_rows(src, "source", t->name);
    if (total < 0) return -1;
    db_stmt_t *sel = select_rows(src, t, 1);
    if (!sel) {
        fail("source: cannot read table %s: %s", t->name, db_errmsg(src));
        return -1;
    }
    size_t per = t->ncols * BATCH_ROWS <= MAX_PARAMS ? BATCH_ROWS : MAX_PARAMS / t->ncols;
    if (per == 0) per = 1;
    int rc = 0;
    while (rc == 0 && *copied < total) {
        size_t k = (size_t)(total - *copied) < per ? (size_t)(total - *copied) : per;
        rc = insert_batch(src, dst, t, sel, k);
        progress(t->name, *copied, *copied + (int64_t)k, total);
        *copied += (int64_t)k;
    }
    if (rc == 0 && db_step(sel) != DB_DONE) {
        fail("source: table %s has more rows than counted", t->name);
        rc = -1;
    }
    db_done(sel);
    return rc;
}

/* All tables in order in ONE write transaction; on failure the target is
 * rolled back (still empty). */
static int copy_all(db_t *src, db_t *dst, const struct schema *s, const size_t *order, const char *shown,
                    int64_t *rows)
{
    *rows = 0;
    if (db_begin(dst) != DB_OK) {
        fail("target: cannot start a write transaction: %s", db_errmsg(dst));
        return -1;
    }
    int rc = require_empty(dst, shown); /* again, now under the target's write lock */
    for (size_t i = 0; i < s->n && rc == 0; i++) {
        int64_t n = 0;
        rc = copy_table(src, dst, &s->t[order[i]], &n);
        *rows += n;
    }
    /* Identity sequences last: PostgreSQL does not roll back setval(). */
    for (size_t i = 0; i < s->n && rc == 0; i++)
        if (db_after_load(dst, s->t[order[i]].name) != DB_OK) {
            fail("target: cannot move the id sequence of %s: %s", s->t[order[i]].name, db_errmsg(dst));
            rc = -1;
        }
    if (rc == 0 && db_commit(dst) != DB_OK) {
        fail("target: commit failed: %s", db_errmsg(dst));
        rc = -1;
    }
    if (rc != 0) {
        db_rollback(dst);
        fail("nothing was copied: the target %s was rolled back and holds no rows", shown);
    }
    return rc;
}

/* ---- checksums ------------------------------------------------------------------------ */

static void put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8) p[i] = (uint8_t)(v & 0xff);
}

static uint64_t get_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
    return v;
}

/* Appends the canonical encoding of column col of the current row. */
static void encode_value(buf_t *b, db_stmt_t *st, int col)
{
    uint8_t head[9];
    int type = db_col_type(st, col);
    head[0] = (uint8_t)type;
    if (type == DB_T_NULL) {
        buf_append(b, head, 1);
    } else if (type == DB_T_INT) {
        put_be64(head + 1, (uint64_t)db_col_int(st, col));
        buf_append(b, head, 9);
    } else { /* TEXT, BLOB: length and bytes */
        size_t len = 0;
        const void *p = db_col_blob(st, col, &len);
        put_be64(head + 1, (uint64_t)len);
        buf_append(b, head, 9);
        if (len) buf_append(b, p, len);
    }
}

/* Row count and checksum of the rows of table t->name, over cols in that order. */
static int table_sum(db_t *db, const char *role, const struct table *t, struct sum *out)
{
    memset(out, 0, sizeof *out);
    db_stmt_t *st = select_rows(db, t, 0);
    if (!st) {
        fail("%s: cannot read table %s: %s", role, t->name, db_errmsg(db));
        return -1;
    }
    buf_t row = BUF_INIT;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        buf_reset(&row);
        for (size_t c = 0; c < t->ncols; c++) encode_value(&row, st, (int)c);
        uint8_t h[16];
        crypto_generichash(h, sizeof h, (const unsigned char *)row.data, row.len, NULL, 0);
        out->lane[0] += get_be64(h);
        out->lane[1] += get_be64(h + 8);
        out->rows++;
    }
    buf_free(&row);
    if (rc != DB_DONE) fail("%s: reading table %s: %s", role, t->name, db_errmsg(db));
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}

static void sum_hex(const struct sum *s, char out[33])
{
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)s->lane[0], (unsigned long long)s->lane[1]);
}

static int same_sum(const struct sum *a, const struct sum *b)
{
    return a->rows == b->rows && a->lane[0] == b->lane[0] && a->lane[1] == b->lane[1];
}

/* ---- verification ----------------------------------------------------------------------- */

struct side {
    db_t *db;
    const char *role; /* "source"/"target" or "A"/"B" */
    struct schema s;
};

struct tally {
    size_t tables, differ;
    int64_t rows;
};

static void print_line(const char *name, const struct sum *s, const char *verdict)
{
    char hex[33];
    sum_hex(s, hex);
    printf("%-24s %10lld  %s  %s\n", name, (long long)s->rows, hex, verdict);
}

/* Compares one table of a with the same table in b and prints its line.
 * -1 on a database error. */
static int verify_table(const struct side *a, const struct side *b, const struct table *ta, struct tally *n)
{
    struct sum sa, sb;
    char why[200], verdict[300];
    const struct table *tb = find_table(&b->s, ta->name);
    if (table_sum(a->db, a->role, ta, &sa) != 0) return -1;
    n->tables++;
    n->rows += sa.rows;
    if (!tb || *column_diff(ta, tb, why, sizeof why)) {
        snprintf(verdict, sizeof verdict, "DIFFERS (%s: %s)", b->role, tb ? why : "no such table");
    } else {
        if (table_sum(b->db, b->role, ta, &sb) != 0) return -1;
        char hex[33];
        sum_hex(&sb, hex);
        if (same_sum(&sa, &sb))
            snprintf(verdict, sizeof verdict, "ok");
        else
            snprintf(verdict, sizeof verdict, "DIFFERS (%s: %lld rows, %s)", b->role, (long long)sb.rows, hex);
    }
    if (strcmp(verdict, "ok") != 0) n->differ++;
    print_line(ta->name, &sa, verdict);
    return 0;
}

/* Every table of a against b, then the tables only b has. -1 on a database error. */
static int verify(const struct side *a, const struct side *b, struct tally *n)
{
    memset(n, 0, sizeof *n);
    for (size_t i = 0; i < a->s.n; i++)
        if (verify_table(a, b, &a->s.t[i], n) != 0) return -1;
    for (size_t i = 0; i < b->s.n; i++) {
        const struct table *tb = &b->s.t[i];
        if (find_table(&a->s, tb->name)) continue;
        struct sum sb;
        if (table_sum(b->db, b->role, tb, &sb) != 0) return -1;
        char verdict[100];
        snprintf(verdict, sizeof verdict, "DIFFERS (only in %s)", b->role);
        print_line(tb->name, &sb, verdict);
        n->tables++;
        n->differ++;
    }
    return 0;
}

/* Read snapshots on both, verify, end the snapshots. -1 on a database error. */
static int verify_in_snapshots(struct side *a, struct side *b, struct tally *n)
{
    int a_open = db_in_transaction(a->db);
    if (!a_open && db_begin_read(a->db) != DB_OK) {
        fail("%s: cannot start a read transaction: %s", a->role, db_errmsg(a->db));
        return -1;
    }
    if (db_begin_read(b->db) != DB_OK) {
        fail("%s: cannot start a read transaction: %s", b->role, db_errmsg(b->db));
        db_rollback(a->db);
        return -1;
    }
    int rc = verify(a, b, n);
    db_rollback(b->db);
    db_rollback(a->db);
    return rc;
}

/* ---- the commands ------------------------------------------------------------------------- */

/* --from X --to Y (also --from=X). 0, or the usage error's exit code. */
static int parse_args(const char *cmd, int argc, char **argv, const char **from, const char **to)
{
    *from = *to = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        int is_from = strncmp(a, "--from", 6) == 0 && (a[6] == '\0' || a[6] == '=');
        int is_to = strncmp(a, "--to", 4) == 0 && (a[4] == '\0' || a[4] == '=');
        if (!is_from && !is_to) return cli_usage_error(cmd, "unexpected argument '%s'", a);
        const char *eq = strchr(a, '=');
        if (eq) val = eq + 1;
        else if (i + 1 < argc) val = argv[++i];
        else return cli_usage_error(cmd, "%s needs a database", a);
        const char **slot = is_from ? from : to;
        if (*slot) return cli_usage_error(cmd, "%s given twice", is_from ? "--from" : "--to");
        if (!*val) return cli_usage_error(cmd, "%s needs a database, not an empty value", is_from ? "--from" : "--to");
        *slot = val;
    }
    if (!*from || !*to) return cli_usage_error(cmd, "needs --from DATABASE and --to DATABASE");
    return 0;
}

/* The source is at this binary's schema version. */
static int source_current(db_t *src, const char *shown)
{
    int have = db_schema_version(src), latest = db_schema_latest();
    if (have == latest) return 0;
    if (have == 0)
        fail("the source %s is not a Kantel database (no schema version)", shown);
    else if (have < latest)
        fail("the source %s has schema version %d, this kantel %d: run 'kantel migrate --database %s' first (db"
             " copy never changes its source)", shown, have, latest, shown);
    else
        fail("the source %s has schema version %d, newer than this kantel (%d): use the newer kantel", shown, have,
             latest);
    return -1;
}

/* Same tables with the same columns on both ends (before copying). */
static int same_tables(const struct side *a, const struct side *b)
{
    char why[200];
    for (size_t i = 0; i < a->s.n; i++) {
        const struct table *tb = find_table(&b->s, a->s.t[i].name);
        if (!tb) {
            fail("table %s of the source does not exist in the target", a->s.t[i].name);
            return -1;
        }
        if (*column_diff(&a->s.t[i], tb, why, sizeof why)) {
            fail("table %s differs in the target: %s", tb->name, why);
            return -1;
        }
    }
    return 0;
}

/* Opens, checks and migrates the target: -1 after printing why. */
static int prepare_target(struct side *dst, const char *shown)
{
    char err[600];
    if (require_empty(dst->db, shown) != 0) return -1; /* before migrating: a full target stays untouched */
    if (db_migrate(dst->db, err, sizeof err) < 0) {
        fail("cannot migrate the target %s: %s", shown, err);
        return -1;
    }
    return load_schema(dst->db, "target", &dst->s);
}

/* Source checks before the target is touched: schema version, tables and
 * their copy order (malloc'd into *order). -1 after printing why. */
static int plan_copy(struct side *src, const char *shown, size_t **order)
{
    *order = NULL;
    if (source_current(src->db, shown) != 0 || load_schema(src->db, "source", &src->s) != 0) return -1;
    *order = xcalloc(src->s.n + 1, sizeof **order);
    return copy_order(&src->s, *order);
}

/* The summary of a copy; returns the exit code. */
static int report_copy(const struct tally *n, int64_t rows, int64_t t0, int64_t t1)
{
    double secs = (double)(t1 - t0) / 1e6;
    fprintf(stderr, "kantel db copy: %lld rows in %.2f s (%.0f rows/s), verified in %.2f s\n", (long long)rows,
            secs, secs > 0 ? (double)rows / secs : 0.0, (double)(mono_us() - t1) / 1e6);
    if (n->differ == 0) {
        printf("copied %zu tables, %lld rows; counts and checksums match\n", n->tables, (long long)n->rows);
        return 0;
    }
    printf("copied %zu tables, %lld rows; %zu table%s DIFFER%s: see the lines above\n", n->tables,
           (long long)n->rows, n->differ, n->differ == 1 ? "" : "s", n->differ == 1 ? "S" : "");
    return 1;
}

/* Prepares the open target, copies in one transaction from one source
 * snapshot, verifies. Returns the exit code. */
static int run_copy(struct side *src, struct side *dst, const size_t *order, const char *dst_shown)
{
    if (prepare_target(dst, dst_shown) != 0 || same_tables(src, dst) != 0) return 1;
    if (db_begin_read(src->db) != DB_OK) {
        fail("source: cannot start a read transaction: %s", db_errmsg(src->db));
        return 1;
    }
    int64_t rows = 0, t0 = mono_us();
    if (copy_all(src->db, dst->db, &src->s, order, dst_shown, &rows) != 0) {
        db_rollback(src->db);
        return 1;
    }
    int64_t t1 = mono_us();
    struct tally n;
    if (verify_in_snapshots(src, dst, &n) != 0) return 1;
    return report_copy(&n, rows, t0, t1);
}

static int db_copy(const char *from, const char *to)
{
    char src_shown[512], dst_shown[512];
    db_display(from, src_shown, sizeof src_shown);
    db_display(to, dst_shown, sizeof dst_shown);
    struct side src = {open_db(from, 1, "source"), "source", {NULL, 0}};
    if (!src.db) return 1;
    struct side dst = {NULL, "target", {NULL, 0}};
    size_t *order = NULL;
    int rc = 1;
    if (plan_copy(&src, src_shown, &order) == 0 && (dst.db = open_db(to, 0, "target")) != NULL)
        rc = run_copy(&src, &dst, order, dst_shown);
    free(order);
    free_schema(&src.s);
    free_schema(&dst.s);
    db_close(dst.db);
    db_close(src.db);
    return rc;
}

/* Schema versions of both; a difference counts as one differing table. */
static void compare_versions(const struct side *a, const struct side *b, struct tally *n)
{
    int va = db_schema_version(a->db), vb = db_schema_version(b->db);
    if (va == vb) return;
    printf("%-24s  %s %d, %s %d  DIFFERS\n", "schema_version", a->role, va, b->role, vb);
    n->differ++;
}

static int run_check(struct side *a, struct side *b)
{
    if (load_schema(a->db, a->role, &a->s) != 0 || load_schema(b->db, b->role, &b->s) != 0) return 1;
    struct tally n;
    if (verify_in_snapshots(a, b, &n) != 0) return 1;
    compare_versions(a, b, &n);
    if (n.differ == 0) {
        printf("compared %zu tables, %lld rows; counts and checksums match\n", n.tables, (long long)n.rows);
        return 0;
    }
    printf("compared %zu tables, %lld rows; %zu difference%s: see the lines above\n", n.tables, (long long)n.rows,
           n.differ, n.differ == 1 ? "" : "s");
    return 1;
}

static int db_check(const char *from, const char *to)
{
    struct side a = {open_db(from, 1, "A"), "A", {NULL, 0}};
    if (!a.db) return 1;
    struct side b = {open_db(to, 1, "B"), "B", {NULL, 0}};
    int rc = b.db ? run_check(&a, &b) : 1;
    free_schema(&a.s);
    free_schema(&b.s);
    db_close(b.db);
    db_close(a.db);
    return rc;
}

int cmd_db(int argc, char **argv)
{
    if (argc < 1) return cli_usage_error("db", "needs a subcommand: copy or check");
    const char *from, *to;
    if (strcmp(argv[0], "copy") == 0) g_cmd = "db copy";
    else if (strcmp(argv[0], "check") == 0) g_cmd = "db check";
    else return cli_usage_error("db", "unknown subcommand '%s' (want copy or check)", argv[0]);
    int rc = parse_args(g_cmd, argc - 1, argv + 1, &from, &to);
    if (rc != 0) return rc;
    if (sodium_init() < 0) {
        fail("libsodium could not be initialised");
        return 1;
    }
    return strcmp(argv[0], "copy") == 0 ? db_copy(from, to) : db_check(from, to);
}
