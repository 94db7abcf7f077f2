/*
 * postcodes.c - `kantel import postcodes FILE.csv`: coordinates of postcodes
 * for distances (volunteer matching, "near me").
 *
 * The file has a header line "postcode,lat,lon" and one postcode per line:
 * "8011AB,52.5123,6.0945" (WGS84 decimal degrees, a point as decimal
 * separator). The format is this simple three-column file, read with a plain
 * line and comma split: no quoting, no commas inside fields (a quoted field is
 * reported as an error). A UTF-8 byte order mark, CRLF line ends, surrounding
 * spaces and empty lines are accepted. Postcodes are checked with the rules
 * of domain/ident.h ("1234 AB" and "1234ab" are normalised), coordinates with
 * geo_parse_e7.
 *
 * All or nothing: every bad line is reported (file:line: field: why) and
 * nothing is written; otherwise all rows are inserted or replaced in one
 * transaction, for the municipality of config key gemeente, with the file's
 * name as source.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/config.h"
#include "domain/geo.h"
#include "domain/ident.h"
#include "domain/volunteer.h"

#define MAX_ERRORS_SHOWN 50

struct row {
    char postcode[7];
    int64_t lat, lon;
    long line;
};

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) s[--n] = '\0';
    return s;
}

static int errors_shown;

static void bad(const char *file, long line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void bad(const char *file, long line, const char *field, const char *fmt, ...)
{
    if (errors_shown++ >= MAX_ERRORS_SHOWN) return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%ld: %s: ", file, line, field);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Usage: cli_import_postcodes(argc, argv) with argv[0] = FILE.csv (the
 * arguments after "import postcodes"). */
int cli_import_postcodes(int argc, char **argv)
{
    if (argc != 1) return cli_usage_error("import", "import postcodes needs exactly one FILE.csv");
    const char *path = argv[0];
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "kantel import postcodes: cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    size_t cap = 1024, n = 0;
    struct row *rows = malloc(cap * sizeof *rows);
    char *line = NULL;
    size_t linecap = 0;
    long lineno = 0, nerr = 0;
    int header = 0;
    errors_shown = 0;
    ssize_t len;
    while (rows && (len = getline(&line, &linecap, f)) >= 0) {
        lineno++;
        char *s = line;
        if (lineno == 1 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
            s += 3;
        if ((size_t)len != strlen(line)) {
            bad(path, lineno, "line", "%s", "contains a NUL byte");
            nerr++;
            continue;
        }
        s = trim(s);
        if (!*s) continue;
        char *fields[4] = {0};
        int nf = 0;
        for (char *p = s; nf < 4;) {
            fields[nf++] = p;
            char *comma = strchr(p, ',');
            if (!comma) break;
            *comma = '\0';
            p = comma + 1;
        }
        for (int i = 0; i < nf; i++) fields[i] = trim(fields[i]);
        if (!header) {
            header = 1;
            if (nf != 3 || strcasecmp(fields[0], "postcode") || strcasecmp(fields[1], "lat") ||
                strcasecmp(fields[2], "lon")) {
                bad(path, lineno, "header", "%s", "want the header line postcode,lat,lon");
                nerr++;
                break;
            }
            continue;
        }
        if (nf != 3) {
            bad(path, lineno, "line", "want 3 fields (postcode,lat,lon), got %s", nf > 3 ? "more" : "fewer");
            nerr++;
            continue;
        }
        struct row r = {.line = lineno};
        int ok = 1;
        const char *why = postcode_why(fields[0]);
        if (strchr(fields[0], '"')) why = "quoted fields are not supported";
        if (why || postcode_normalise(fields[0], r.postcode) != 0) {
            bad(path, lineno, "postcode", "%s", why ? why : "invalid postcode");
            ok = 0;
        }
        if (geo_parse_e7(fields[1], 1, &r.lat) != 0) {
            bad(path, lineno, "lat", "'%s' is not a latitude in decimal degrees (-90 to 90)", fields[1]);
            ok = 0;
        }
        if (geo_parse_e7(fields[2], 0, &r.lon) != 0) {
            bad(path, lineno, "lon", "'%s' is not a longitude in decimal degrees (-180 to 180)", fields[2]);
            ok = 0;
        }
        for (size_t i = 0; ok && i < n; i++)
            if (strcmp(rows[i].postcode, r.postcode) == 0) {
                bad(path, lineno, "postcode", "%s occurs twice (first on line %ld)", r.postcode, rows[i].line);
                ok = 0;
            }
        if (!ok) {
            nerr++;
            continue;
        }
        if (n == cap) {
            struct row *more = realloc(rows, 2 * cap * sizeof *rows);
            if (!more) {
                free(rows);
                rows = NULL;
                break;
            }
            rows = more;
            cap *= 2;
        }
        rows[n++] = r;
    }
    int read_error = ferror(f);
    free(line);
    fclose(f);
    if (!rows || read_error) {
        fprintf(stderr, "kantel import postcodes: cannot read %s\n", path);
        free(rows);
        return 1;
    }
    if (!header && nerr == 0) {
        bad(path, 1, "header", "%s", "the file is empty; want the header line postcode,lat,lon");
        nerr++;
    }
    if (nerr) {
        if (errors_shown > MAX_ERRORS_SHOWN)
            fprintf(stderr, "... and %d more\n", errors_shown - MAX_ERRORS_SHOWN);
        fprintf(stderr, "kantel import postcodes: %ld bad %s in %s; nothing was imported\n", nerr,
                nerr == 1 ? "line" : "lines", path);
        free(rows);
        return 1;
    }
    db_t *db = cli_open(0);
    if (!db) {
        free(rows);
        return 1;
    }
    const char *gm = config_get("gemeente");
    const char *source = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    int ok = db_begin(db) == DB_OK;
    for (size_t i = 0; ok && i < n; i++) ok = postcode_geo_put(db, gm, rows[i].postcode, rows[i].lat, rows[i].lon, source) == DB_OK;
    if (!ok || db_commit(db) != DB_OK) {
        fprintf(stderr, "kantel import postcodes: could not store the postcodes (%s); nothing was imported\n",
                db_errmsg(db));
        db_rollback(db);
        free(rows);
        return 1;
    }
    printf("imported %zu postcodes for municipality %s from %s\n", n, gm, path);
    free(rows);
    return 0;
}
