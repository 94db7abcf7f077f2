/*
 * xsd.c - validating messages against the official iWmo/iJw 3.2 schemas.
 *
 * istd_xsd_open() compiles DIR/iwmo-3.2/WMO301.xsd … and DIR/ijw-3.2/JW301.xsd
 * … once; a missing file is simply absent. While schemas load, libxml2's
 * external entity loader (a process-wide setting) is replaced by one that
 * only opens local files inside DIR, so an import can never reach the
 * network or the rest of the file system; the previous loader is restored
 * afterwards. Loading is serialised by a mutex.
 *
 * istd_xsd_validate() parses the document with the reader's safe options
 * (istd_xml_parse), picks the schema from the root namespace and validates
 * with a fresh xmlSchemaValidCtxt per call; the compiled schemas are only
 * read, so several threads may validate at once. Errors become lines
 * "regel N: text" in the caller's buffer; nothing is printed.
 */
#include "istd/model.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

struct istd_xsd {
    xmlSchemaPtr schema[2][IK_COUNT]; /* [law == ISTD_JW][kind] */
};

/* ---- the confined entity loader ------------------------------------------ */

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static char load_dir[PATH_MAX];          /* realpath of DIR, under load_lock */
static char load_refused[PATH_MAX + 64]; /* the first refused URL, under load_lock */

/* Opens URL only when it names an existing local file inside load_dir. */
static xmlParserInputPtr confined_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    char real[PATH_MAX];
    const char *path = url;
    if (!url) return NULL;
    if (strncmp(url, "file://", 7) == 0) path = url + 7;
    size_t dl = strlen(load_dir);
    if (strstr(path, "://") || !realpath(path, real) || strncmp(real, load_dir, dl) != 0 || real[dl] != '/') {
        if (!load_refused[0]) snprintf(load_refused, sizeof load_refused, "import geweigerd: %s", url);
        return NULL;
    }
    return xmlNoNetExternalEntityLoader(real, id, ctxt);
}

/* ---- errors ------------------------------------------------------------ */

#if LIBXML_VERSION >= 21200
static void on_error(void *ctx, const xmlError *e)
#else
static void on_error(void *ctx, xmlErrorPtr e)
#endif
{
    if (!e || e->level < XML_ERR_ERROR) return;
    istd_errsink_add(ctx, e->line, "%s", e->message ? e->message : "onbekende fout");
}

/* ---- loading ----------------------------------------------------------- */

static xmlSchemaPtr load_one(const char *path, istd_errsink_t *s)
{
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path);
    if (!pc) return NULL;
    xmlSchemaSetParserStructuredErrors(pc, on_error, s);
    xmlSchemaPtr sc = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    return sc;
}

istd_xsd_t *istd_xsd_open(const char *dir, char *err, size_t errlen)
{
    static const istd_law laws[2] = {ISTD_WMO, ISTD_JW};
    char real[PATH_MAX], path[PATH_MAX + 64], first[300] = "";
    struct stat st;
    if (err && errlen) err[0] = '\0';
    if (!dir || !realpath(dir, real) || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (err && errlen) snprintf(err, errlen, "schemamap %s bestaat niet", dir ? dir : "(geen)");
        return NULL;
    }
    istd_xml_init();
    istd_xsd_t *x = xcalloc(1, sizeof *x);
    int loaded = 0;

    pthread_mutex_lock(&load_lock);
    snprintf(load_dir, sizeof load_dir, "%s", real);
    xmlExternalEntityLoader prev_loader = xmlGetExternalEntityLoader();
    xmlStructuredErrorFunc prev_fn = xmlStructuredError;
    void *prev_ctx = xmlStructuredErrorContext;
    xmlSetExternalEntityLoader(confined_loader);
    for (int l = 0; l < 2; l++)
        for (int k = 0; k < IK_COUNT; k++) {
            snprintf(path, sizeof path, "%s/%s-3.2/%s.xsd", real, istd_law_name(laws[l]),
                     istd_message_name(laws[l], (istd_kind)k));
            if (stat(path, &st) != 0) continue;
            istd_errsink_t s = {.first = first[0] ? NULL : first, .firstlen = sizeof first};
            load_refused[0] = '\0';
            xmlSetStructuredErrorFunc(&s, on_error);
            x->schema[l][k] = load_one(path, &s);
            if (x->schema[l][k])
                loaded++;
            else if (err && errlen && !err[0])
                snprintf(err, errlen, "%s.xsd niet geladen: %s", istd_message_name(laws[l], (istd_kind)k),
                         load_refused[0] ? load_refused
                         : first[0]      ? first
                                         : "onbekende fout");
        }
    xmlSetStructuredErrorFunc(prev_ctx, prev_fn);
    xmlSetExternalEntityLoader(prev_loader);
    load_dir[0] = '\0';
    pthread_mutex_unlock(&load_lock);

    if (loaded == 0) {
        if (err && errlen && !err[0]) snprintf(err, errlen, "geen schema's gevonden in %s", dir);
        istd_xsd_close(x);
        return NULL;
    }
    return x;
}

void istd_xsd_close(istd_xsd_t *x)
{
    if (!x) return;
    for (int l = 0; l < 2; l++)
        for (int k = 0; k < IK_COUNT; k++)
            if (x->schema[l][k]) xmlSchemaFree(x->schema[l][k]);
    free(x);
}

static xmlSchemaPtr schema_of(const istd_xsd_t *x, istd_law law, istd_kind k)
{
    if (!x || (law != ISTD_WMO && law != ISTD_JW) || (unsigned)k >= IK_COUNT) return NULL;
    return x->schema[law == ISTD_JW][k];
}

int istd_xsd_has(const istd_xsd_t *x, istd_law law, istd_kind k)
{
    return schema_of(x, law, k) != NULL;
}

/* ---- validating ---------------------------------------------------------- */

int istd_xsd_validate(istd_xsd_t *x, const char *xml, size_t len, buf_t *report, int max)
{
    istd_errsink_t hard = {.out = report, .max = max > 0 ? max : 1};
    xmlDocPtr d = istd_xml_parse(xml, len, &hard);
    if (!d) return -1;
    int rc = istd_xsd_validate_doc(x, d, report, max);
    xmlFreeDoc(d);
    return rc;
}

int istd_read_validated(istd_xsd_t *x, const char *xml, size_t len, arena_t *a, istd_msg_t *m, char *err,
                        size_t errlen, buf_t *report, int max, int *xsd_rc)
{
    char dummy[8];
    istd_errsink_t s = {.first = err && errlen ? err : dummy, .firstlen = err && errlen ? errlen : sizeof dummy};
    *xsd_rc = -2;
    xmlDocPtr d = istd_xml_parse(xml, len, &s);
    if (!d) {
        *xsd_rc = -1;
        if (report) buf_printf(report, "%s\n", err && errlen ? err : "het bericht is onleesbaar");
        return -1;
    }
    xmlNodePtr root = xmlDocGetRootElement(d);
    istd_law law;
    istd_kind kind;
    if (x && root && root->ns && istd_kind_of_namespace((const char *)root->ns->href, &law, &kind) == 0 &&
        schema_of(x, law, kind))
        *xsd_rc = istd_xsd_validate_doc(x, d, report, max);
    int rc = istd_read_doc(d, a, m, &s);
    xmlFreeDoc(d);
    return rc;
}

int istd_xsd_validate_doc(istd_xsd_t *x, struct _xmlDoc *d, buf_t *report, int max)
{
    istd_errsink_t s = {.out = report, .max = max > 0 ? max : 0};
    istd_errsink_t hard = {.out = report, .max = max > 0 ? max : 1};
    istd_law law;
    istd_kind kind;
    xmlNodePtr root = xmlDocGetRootElement(d);
    xmlSchemaPtr sc = NULL;
    if (root && root->ns && strcmp((const char *)root->name, "Bericht") == 0 &&
        istd_kind_of_namespace((const char *)root->ns->href, &law, &kind) == 0)
        sc = schema_of(x, law, kind);
    if (!sc) {
        istd_errsink_add(&hard, root ? xmlGetLineNo(root) : 0, "geen schema voor dit bericht (%s)",
                         root && root->ns ? (const char *)root->ns->href : "geen namespace");
        return -1;
    }
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(sc);
    if (!vc) {
        istd_errsink_add(&hard, 0, "geen geheugen voor de validatie");
        return -1;
    }
    xmlSchemaSetValidStructuredErrors(vc, on_error, &s);
    xmlStructuredErrorFunc prev_fn = xmlStructuredError;
    void *prev_ctx = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(&s, on_error);
    int rc = xmlSchemaValidateDoc(vc, d);
    xmlSetStructuredErrorFunc(prev_ctx, prev_fn);
    xmlSchemaFreeValidCtxt(vc);
    if (rc < 0) {
        istd_errsink_add(&hard, 0, "interne fout van de validatie");
        return -1;
    }
    if (rc > 0 && s.n == 0) istd_errsink_add(&s, 0, "het bericht voldoet niet aan het schema");
    return rc > 0 ? 1 : 0;
}
