/*
 * istd.c - `kantel istd`: the iStandaarden exchange from the command line.
 *
 *   validate FILE…        a readable report per message (layers 1 and 2; with
 *                         --volledig also layer 3, rolled back afterwards)
 *   process INBOX OUTBOX  receives every file of INBOX (istd/process.h), moves
 *                         it to INBOX/verwerkt or INBOX/geweigerd, and writes
 *                         the retours to OUTBOX
 *   export OUTBOX         builds 301s for new and changed assignments and
 *                         writes them (and anything else still unwritten)
 *
 * The XSDs come from --xsd DIR or config key istd_xsd_dir (a directory with
 * iwmo-3.2/ and ijw-3.2/, as ../shared/istd/).
 */
#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/util.h"
#include "domain/calendar.h"
#include "istd/istd.h"
#include "istd/process.h"
#include "istd/store.h"

#define CMD "istd"

struct opts {
    const char *xsd_dir;
    const char *today;
    int full;                 /* validate --volledig */
    const char *pos[4096];
    int npos;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof *o);
    o->xsd_dir = config_get("istd_xsd_dir");
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--xsd") || !strcmp(a, "--vandaag")) {
            if (i + 1 >= argc) return cli_usage_error(CMD, "%s needs a value", a);
            if (!strcmp(a, "--xsd")) o->xsd_dir = argv[++i];
            else {
                day_t d;
                o->today = argv[++i];
                if (day_parse(o->today, &d) != 0) return cli_usage_error(CMD, "--vandaag: '%s' is not a date YYYY-MM-DD", o->today);
            }
        } else if (!strcmp(a, "--volledig")) {
            o->full = 1;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error(CMD, "unknown option %s", a);
        } else {
            if (o->npos >= (int)(sizeof o->pos / sizeof o->pos[0])) return cli_usage_error(CMD, "too many files");
            o->pos[o->npos++] = a;
        }
    }
    return 0;
}

static istd_xsd_t *open_xsd(const struct opts *o)
{
    if (!o->xsd_dir || !*o->xsd_dir) {
        fprintf(stderr, "kantel istd: no XSD directory (--xsd DIR or config istd_xsd_dir): the schema check is skipped\n");
        return NULL;
    }
    char err[512];
    istd_xsd_t *x = istd_xsd_open(o->xsd_dir, err, sizeof err);
    if (!x) fprintf(stderr, "kantel istd: %s\n", err);
    return x;
}

/* Reads a whole file of at most ISTD_MAX_BYTES. */
static char *slurp(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(err, errlen, "%s", strerror(errno)); return NULL; }
    buf_t b = BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > ISTD_MAX_BYTES) {
            snprintf(err, errlen, "groter dan %u MB", ISTD_MAX_BYTES / (1024 * 1024));
            fclose(f);
            buf_free(&b);
            return NULL;
        }
        buf_append(&b, chunk, n);
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) { snprintf(err, errlen, "leesfout"); buf_free(&b); return NULL; }
    *len = b.len;
    buf_cstr(&b);
    return buf_detach(&b);
}

static void print_findings(const istd_report_t *r)
{
    for (int i = 0; i < r->n; i++) {
        const istd_issue_t *s = &r->issues[i];
        printf("  %-6s %-4s %s%s%s\n", s->rule, s->code[0] ? s->code : "-", s->path && *s->path ? s->path : "",
               s->path && *s->path ? ": " : "", s->text ? s->text : "");
    }
}

static const char *today_or(const struct opts *o, char buf[11])
{
    if (o->today) return o->today;
    day_format(day_today_amsterdam(now_s()), buf);
    return buf;
}

/* ---- validate ------------------------------------------------------------ */

static int validate_one(const char *path, const struct opts *o, istd_xsd_t *xsd, db_t *db)
{
    char err[512], tbuf[11];
    size_t len = 0;
    char *bytes = slurp(path, &len, err, sizeof err);
    if (!bytes) {
        printf("%s: niet te lezen: %s\n", path, err);
        return 1;
    }
    arena_t *a = arena_new(0);
    istd_report_t r;
    istd_report_init(&r, a);
    istd_law law;
    istd_kind kind;
    int bad = 0;
    if (istd_sniff(bytes, len, &law, &kind) != 0) {
        printf("%s: geen iWmo- of iJw-bericht van release 3.2\n", path);
        bad = 1;
        goto done;
    }
    istd_msg_t *m = arena_calloc(a, sizeof *m);
    char rerr[300] = "";
    int readable = istd_read(bytes, len, a, m, rerr, sizeof rerr) == 0;
    if (!readable) istd_msg_init(m, law, kind);
    const istd_header_t *h = &m->header;
    printf("%s: %s van %s aan %s, Identificatie %s (%s)\n", path, istd_message_name(law, kind),
           h->afzender ? h->afzender : "?", h->ontvanger ? h->ontvanger : "?",
           h->id.identificatie ? h->id.identificatie : "?", h->id.dagtekening ? h->id.dagtekening : "?");
    if (xsd && istd_xsd_has(xsd, law, kind)) {
        buf_t rep = BUF_INIT;
        int rc = istd_xsd_validate(xsd, bytes, len, &rep, 20);
        if (rc == 0) printf("  XSD    geldig (%s.xsd)\n", istd_message_name(law, kind));
        else {
            printf("  XSD    0001 ongeldig volgens %s.xsd:\n", istd_message_name(law, kind));
            const char *p = buf_cstr(&rep);
            while (*p) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t)(nl - p) : strlen(p);
                if (n) printf("         %.*s\n", (int)n, p);
                p += n + (nl ? 1 : 0);
            }
            bad = 1;
        }
        buf_free(&rep);
    } else {
        printf("  XSD    overgeslagen (%s.xsd niet geladen)\n", istd_message_name(law, kind));
    }
    if (!readable) {
        printf("  XSD    0001 %s\n", rerr);
        bad = 1;
        goto done;
    }
    istd_check_message(m, today_or(o, tbuf), &r);
    if (db && !r.rejected) {
        if (db_begin(db) == 0) {
            if (istd_apply(db, config_get("gemeente"), m, today_or(o, tbuf), &r) != 0)
                printf("  databasefout: %s\n", db_errmsg(db));
            db_rollback(db);
        }
    }
    print_findings(&r);
    for (int i = 0; i < r.n; i++)
        if (r.issues[i].code[0]) bad = 1;
    if (!bad) printf("  geen bevindingen\n");
    else if (r.rejected) printf("  afgekeurd: het hele bericht (%s)\n", m->header.codes.n ? m->header.codes.code[0] : "0001");
done:
    arena_free(a);
    free(bytes);
    return bad;
}

static int istd_validate(int argc, char **argv)
{
    struct opts o;
    if (parse_opts(argc, argv, &o)) return 2;
    if (o.npos == 0) return cli_usage_error(CMD, "validate needs at least one FILE");
    istd_xsd_t *xsd = open_xsd(&o);
    if (o.xsd_dir && *o.xsd_dir && !xsd) return 1;
    db_t *db = NULL;
    if (o.full && !(db = cli_open(0))) {
        istd_xsd_close(xsd);
        return 1;
    }
    int bad = 0;
    for (int i = 0; i < o.npos; i++) bad += validate_one(o.pos[i], &o, xsd, db);
    istd_xsd_close(xsd);
    printf("%d bericht%s, %d zonder bevindingen, %d met bevindingen\n", o.npos, o.npos == 1 ? "" : "en", o.npos - bad, bad);
    return bad ? 1 : 0;
}

/* ---- process --------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ensure_dir(const char *path)
{
    if (mkdir(path, 0750) == 0 || errno == EEXIST) {
        struct stat st;
        return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
    }
    return -1;
}

/* Moves INBOX/name to INBOX/sub/name (replacing an earlier file of that name). */
static int move_to(const char *inbox, const char *sub, const char *name)
{
    char from[4096], dir[4096], to[8200];
    snprintf(from, sizeof from, "%s/%s", inbox, name);
    snprintf(dir, sizeof dir, "%s/%s", inbox, sub);
    if ((size_t)snprintf(to, sizeof to, "%s/%s", dir, name) >= sizeof to) return -1;
    if (ensure_dir(dir) != 0 || rename(from, to) != 0) {
        fprintf(stderr, "kantel istd: %s -> %s: %s\n", from, to, strerror(errno));
        return -1;
    }
    return 0;
}

static void write_reason(const char *inbox, const char *name, const char *why)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/geweigerd/%s.reden.txt", inbox, name);
    FILE *f = fopen(path, "w");
    if (!f) return;
    fprintf(f, "%s\n", why);
    fclose(f);
}

static int list_inbox(const char *inbox, char ***names, int *n)
{
    DIR *d = opendir(inbox);
    if (!d) return -1;
    int cap = 64;
    *names = xmalloc(sizeof(char *) * (size_t)cap);
    *n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;  /* also a provider's half-written .tmp */
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", inbox, de->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
        if (*n == cap) {
            cap *= 2;
            *names = xrealloc(*names, sizeof(char *) * (size_t)cap);
        }
        (*names)[(*n)++] = xstrdup(de->d_name);
    }
    closedir(d);
    qsort(*names, (size_t)*n, sizeof(char *), cmp_str);
    return 0;
}

static int istd_process(int argc, char **argv)
{
    struct opts o;
    if (parse_opts(argc, argv, &o)) return 2;
    if (o.npos != 2) return cli_usage_error(CMD, "process needs INBOX and OUTBOX");
    const char *inbox = o.pos[0], *outbox = o.pos[1];
    if (ensure_dir(outbox) != 0) {
        fprintf(stderr, "kantel istd: %s is no directory that can be made\n", outbox);
        return 1;
    }
    char **names = NULL;
    int n = 0;
    if (list_inbox(inbox, &names, &n) != 0) {
        fprintf(stderr, "kantel istd: %s: %s\n", inbox, strerror(errno));
        return 1;
    }
    db_t *db = cli_open(0);
    istd_xsd_t *xsd = db ? open_xsd(&o) : NULL;
    int rc = 0, received = 0, refused = 0, dups = 0;
    long long prestaties = 0;
    int64_t t0 = mono_us();
    if (!db || (o.xsd_dir && *o.xsd_dir && !xsd)) { rc = 1; goto out; }
    istd_env_t env = {.db = db, .gemeente = config_get("gemeente"), .xsd = xsd, .today = o.today};
    /* Each file allocates and frees tens of megabytes (the parsed document,
     * the model, the retour): keep that memory in the process for the next
     * file instead of returning it to the kernel and faulting it in again. */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    arena_t *a = arena_new(1 << 20);
    for (int i = 0; i < n && rc == 0; i++) {
        char path[4096], err[512];
        snprintf(path, sizeof path, "%s/%s", inbox, names[i]);
        size_t len = 0;
        char *bytes = slurp(path, &len, err, sizeof err);
        if (!bytes) {
            printf("%s: geweigerd: %s\n", names[i], err);
            if (move_to(inbox, "geweigerd", names[i]) == 0) write_reason(inbox, names[i], err);
            refused++;
            continue;
        }
        arena_reset(a);
        istd_report_t r;
        istd_report_init(&r, a);
        istd_outcome_t out;
        int res = istd_receive(&env, bytes, len, names[i], NULL, &out, &r, err, sizeof err);
        free(bytes);
        if (res == ISTD_ERROR) {
            fprintf(stderr, "kantel istd: %s: %s\n", names[i], err);
            rc = 1;
            break;
        }
        if (res == ISTD_REFUSED) {
            printf("%s: geweigerd: %s\n", names[i], err);
            if (move_to(inbox, "geweigerd", names[i]) == 0) write_reason(inbox, names[i], err);
            refused++;
            continue;
        }
        if (out.duplicate) dups++;
        else received++;
        prestaties += out.prestaties;
        if (out.kind == IK_323 && !out.rejected && !out.duplicate)
            printf("%s: %s %s: %d van %d prestaties toegekend, %lld,%02lld euro\n", names[i],
                   istd_message_name(out.law, out.kind), out.identificatie, out.granted, out.prestaties,
                   (long long)(out.granted_cents / 100), (long long)llabs(out.granted_cents % 100));
        else
            printf("%s: %s %s: %s\n", names[i], istd_message_name(out.law, out.kind), out.identificatie,
                   out.duplicate ? "al eerder ontvangen, niets veranderd" : out.rejected ? "afgekeurd" : "verwerkt");
        if (move_to(inbox, "verwerkt", names[i]) != 0) { rc = 1; break; }
        crash_point("istd.process.moved");
    }
    arena_free(a);
    char err[512];
    int w = istd_outbox_flush(&env, outbox, err, sizeof err);
    if (w < 0) {
        fprintf(stderr, "kantel istd: %s\n", err);
        rc = 1;
    }
    double secs = (double)(mono_us() - t0) / 1e6;
    printf("%d verwerkt, %d al eerder ontvangen, %d geweigerd, %d bestand%s naar %s; %lld prestaties in %.2f s\n",
           received, dups, refused, w < 0 ? 0 : w, w == 1 ? "" : "en", outbox, prestaties, secs);
out:
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
    istd_xsd_close(xsd);
    return rc;
}

/* ---- export ---------------------------------------------------------------- */

static int istd_export(int argc, char **argv)
{
    struct opts o;
    if (parse_opts(argc, argv, &o)) return 2;
    if (o.npos != 1) return cli_usage_error(CMD, "export needs OUTBOX");
    if (ensure_dir(o.pos[0]) != 0) {
        fprintf(stderr, "kantel istd: %s is no directory that can be made\n", o.pos[0]);
        return 1;
    }
    db_t *db = cli_open(0);
    if (!db) return 1;
    char err[512] = "", tbuf[11];
    istd_env_t env = {.db = db, .gemeente = config_get("gemeente"), .today = o.today};
    int made = istd_export_301(db, env.gemeente, today_or(&o, tbuf), err, sizeof err);
    if (made < 0) {
        fprintf(stderr, "kantel istd: %s\n", err);
        return 1;
    }
    if (err[0]) fprintf(stderr, "kantel istd: %s\n", err);
    int w = istd_outbox_flush(&env, o.pos[0], err, sizeof err);
    if (w < 0) {
        fprintf(stderr, "kantel istd: %s\n", err);
        return 1;
    }
    printf("%d toewijzingsbericht%s (301) gemaakt, %d bestand%s geschreven naar %s\n", made, made == 1 ? "" : "en", w,
           w == 1 ? "" : "en", o.pos[0]);
    return 0;
}

int istd_synth(int argc, char **argv); /* istd_synth.c */

int cmd_istd(int argc, char **argv)
{
    if (argc < 1) return cli_usage_error(CMD, "which one: validate, process or export?");
    if (!strcmp(argv[0], "validate")) return istd_validate(argc - 1, argv + 1);
    if (!strcmp(argv[0], "process")) return istd_process(argc - 1, argv + 1);
    if (!strcmp(argv[0], "export")) return istd_export(argc - 1, argv + 1);
    if (!strcmp(argv[0], "synth")) return istd_synth(argc - 1, argv + 1);
    return cli_usage_error(CMD, "unknown subcommand '%s' (validate, process, export or synth)", argv[0]);
}
