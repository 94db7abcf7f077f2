/*
 * xml.c - reading and writing iWmo/iJw messages by walking the descriptor
 * tables of model.c, and the one safe way this module parses XML.
 *
 * Writer: one pass over the tables into a buf_t; UTF-8; the message and
 * basisschema namespaces declared once on the root (jw301/ijw, wmo301/iwmo);
 * absent values and composites without any present value are left out.
 *
 * Reader: libxml2 with network off, no entity substitution, no DTD loading;
 * a DOCTYPE stops the parser the moment it is seen (so no internal subset or
 * entity is ever parsed), input above ISTD_MAX_BYTES is refused unread, and
 * libxml2's errors are collected, never printed. The tree is then walked
 * against the tables: namespace, name, order, nesting and presence of the
 * required elements must match the message; values are copied into the
 * caller's arena (lists allocated exactly, after counting their items).
 */
#include "istd/model.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_BIG_LINES)
#define XSI_NS        "http://www.w3.org/2001/XMLSchema-instance"

/* ---- parsing safely -------------------------------------------------- */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_parser(void)
{
    xmlInitParser();
}

void istd_xml_init(void)
{
    pthread_once(&init_once, init_parser);
}

/* The state of the parse running on this thread, for the SAX hooks. */
struct parse_state {
    istd_errsink_t *sink;
    int refused; /* a DOCTYPE or an entity reference was met */
    int sniff;   /* stop at the root element and record it */
    int root_seen;
    istd_law law;
    istd_kind kind;
    int root_ok;
};

static _Thread_local struct parse_state *tl_parse;

static long ctxt_line(void *ctx)
{
    xmlParserCtxtPtr c = ctx;
    return c && c->input ? c->input->line : 0;
}

static void refuse(void *ctx, const char *what)
{
    struct parse_state *st = tl_parse;
    if (st && !st->refused) {
        st->refused = 1;
        istd_errsink_add(st->sink, ctxt_line(ctx), "%s is niet toegestaan", what);
    }
    xmlStopParser(ctx);
}

static void deny_subset(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    refuse(ctx, "een DTD (<!DOCTYPE>)");
}

static void deny_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *pub, const xmlChar *sys,
                             xmlChar *content)
{
    refuse(ctx, "een entiteitsdeclaratie");
}

static void deny_reference(void *ctx, const xmlChar *name)
{
    refuse(ctx, "een entiteitsverwijzing");
}

static void sniff_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nb_ns,
                        const xmlChar **ns, int nb_attr, int nb_def, const xmlChar **attrs)
{
    struct parse_state *st = tl_parse;
    if (st && !st->root_seen) {
        st->root_seen = 1;
        st->root_ok = uri && strcmp((const char *)local, "Bericht") == 0 &&
                      istd_kind_of_namespace((const char *)uri, &st->law, &st->kind) == 0;
    }
    xmlStopParser(ctx);
}

#if LIBXML_VERSION >= 21200
static void on_error(void *ctx, const xmlError *e)
#else
static void on_error(void *ctx, xmlErrorPtr e)
#endif
{
    if (!e || e->level < XML_ERR_ERROR) return;
    istd_errsink_add(ctx, e->line, "ongeldige XML: %s", e->message ? e->message : "onbekende fout");
}

/* Parses with every libxml2 error of this thread going to st->sink. */
static xmlDocPtr parse(const char *xml, size_t len, struct parse_state *st)
{
    istd_errsink_t *s = st->sink;
    int before = s->n;
    istd_xml_init();
    if (!xml || len == 0) {
        istd_errsink_add(s, 0, "leeg document");
        return NULL;
    }
    if (len > ISTD_MAX_BYTES) {
        istd_errsink_add(s, 0, "document groter dan %u bytes", ISTD_MAX_BYTES);
        return NULL;
    }
    xmlParserCtxtPtr c = xmlNewParserCtxt();
    if (!c) {
        istd_errsink_add(s, 0, "geen geheugen voor de XML-parser");
        return NULL;
    }
    c->sax->internalSubset = deny_subset;
    c->sax->externalSubset = deny_subset;
    c->sax->entityDecl = deny_entity_decl;
    c->sax->reference = deny_reference;
    if (st->sniff) c->sax->startElementNs = sniff_start;

    struct parse_state *prev = tl_parse;
    xmlStructuredErrorFunc prev_fn = xmlStructuredError;
    void *prev_ctx = xmlStructuredErrorContext;
    tl_parse = st;
    xmlSetStructuredErrorFunc(s, on_error);
    xmlDocPtr d = xmlCtxtReadMemory(c, xml, (int)len, NULL, NULL, PARSE_OPTIONS);
    xmlSetStructuredErrorFunc(prev_ctx, prev_fn);
    tl_parse = prev;

    int bad = st->refused || !c->wellFormed || s->n > before;
    xmlFreeParserCtxt(c);
    if (d && !st->sniff && (d->intSubset || d->extSubset)) {
        if (!bad) istd_errsink_add(s, 0, "een DTD (<!DOCTYPE>) is niet toegestaan");
        bad = 1;
    }
    if (bad || st->sniff) {
        if (d) xmlFreeDoc(d);
        d = NULL;
    }
    if (!d && !st->sniff && s->n == before) istd_errsink_add(s, 0, "ongeldige XML");
    return d;
}

struct _xmlDoc *istd_xml_parse(const char *xml, size_t len, istd_errsink_t *s)
{
    struct parse_state st = {.sink = s};
    return parse(xml, len, &st);
}

int istd_sniff(const char *xml, size_t len, istd_law *law, istd_kind *kind)
{
    istd_errsink_t s = {0};
    struct parse_state st = {.sink = &s, .sniff = 1};
    parse(xml, len, &st);
    if (!st.root_ok || st.refused) return -1;
    if (law) *law = st.law;
    if (kind) *kind = st.kind;
    return 0;
}

/* ---- writing --------------------------------------------------------- */

typedef struct wr {
    buf_t *out;
    istd_law law;
    istd_kind kind;
    const char *pm, *pb; /* prefixes: message, basisschema */
    const char *bad;     /* the element with unwritable text */
} wr_t;

static void indent(buf_t *b, int depth)
{
    static const char spaces[] = "                                        ";
    size_t n = (size_t)depth * 2;
    buf_append(b, spaces, n < sizeof spaces - 1 ? n : sizeof spaces - 1);
}

static void tag(wr_t *w, const istd_field_t *f, const char *name, int close)
{
    buf_append(w->out, close ? "</" : "<", close ? 2 : 1);
    buf_puts(w->out, f->ns == ISTD_NS_BASE ? w->pb : w->pm);
    buf_putc(w->out, ':');
    buf_puts(w->out, name);
    buf_putc(w->out, '>');
}

/* Length of the UTF-8 sequence at s (n bytes left) when it is one XML Char,
 * else 0. */
static size_t utf8_char(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80) return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1 : 0;
    size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (len == 0 || n < len) return 0;
    uint32_t cp = c & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) return 0;
    return len;
}

/* The entity for an ASCII character that is escaped in element content. A
 * CR is written as &#13; so that it survives the parser's line-end
 * normalisation. */
static const char *escape_of(unsigned char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&apos;";
    case '\r':
        return "&#13;";
    default:
        return NULL;
    }
}

/* Appends s escaped for element content; -1 when s is not UTF-8 text that
 * XML 1.0 can carry. */
static int put_text(buf_t *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;
    while (i < n) {
        size_t l = utf8_char(p + i, n - i);
        if (l == 0) return -1;
        const char *esc = l == 1 ? escape_of(p[i]) : NULL;
        if (esc) {
            buf_append(b, s + run, i - run);
            buf_puts(b, esc);
            run = i + 1;
        }
        i += l;
    }
    buf_append(b, s + run, n - run);
    return 0;
}

static int write_leaf(wr_t *w, const istd_field_t *f, const char *name, const char *s, size_t n, int depth)
{
    indent(w->out, depth);
    tag(w, f, name, 0);
    if (put_text(w->out, s, n) < 0) {
        w->bad = name;
        return -1;
    }
    tag(w, f, name, 1);
    buf_putc(w->out, '\n');
    return 0;
}

static int write_class(wr_t *w, const istd_class_t *c, const void *obj, int depth);

static int write_item(wr_t *w, const istd_field_t *f, const char *name, const istd_class_t *c, const void *obj,
                      int depth)
{
    indent(w->out, depth);
    tag(w, f, name, 0);
    buf_putc(w->out, '\n');
    if (write_class(w, c, obj, depth + 1) < 0) return -1;
    indent(w->out, depth);
    tag(w, f, name, 1);
    buf_putc(w->out, '\n');
    return 0;
}

static int write_list(wr_t *w, const istd_field_t *f, const void *obj, int depth)
{
    const char *items = *(char *const *)(const void *)((const char *)obj + f->off);
    int n = *(const int *)(const void *)((const char *)obj + f->count_off);
    indent(w->out, depth);
    tag(w, f, f->name, 0);
    buf_putc(w->out, '\n');
    for (int i = 0; i < n; i++)
        if (write_item(w, f, f->item, f->sub, items + (size_t)i * f->sub->size, depth + 1) < 0) return -1;
    indent(w->out, depth);
    tag(w, f, f->name, 1);
    buf_putc(w->out, '\n');
    return 0;
}

static int write_codes(wr_t *w, const istd_field_t *f, const istd_codes_t *codes, int depth)
{
    int n = codes->n < ISTD_MAX_CODES ? codes->n : ISTD_MAX_CODES;
    indent(w->out, depth);
    tag(w, f, f->name, 0);
    buf_putc(w->out, '\n');
    for (int i = 0; i < n; i++) {
        size_t len = strnlen(codes->code[i], sizeof codes->code[i]);
        if (len > 0 && write_leaf(w, f, f->item, codes->code[i], len, depth + 1) < 0) return -1;
    }
    indent(w->out, depth);
    tag(w, f, f->name, 1);
    buf_putc(w->out, '\n');
    return 0;
}

static int write_field(wr_t *w, const istd_field_t *f, const void *obj, int depth)
{
    const char *p = (const char *)obj + f->off;
    switch (f->type) {
    case ISTD_F_TEXT: {
        const char *s = *(char *const *)(const void *)p;
        return write_leaf(w, f, f->name, s, strlen(s), depth);
    }
    case ISTD_F_INT: {
        char num[24];
        int n = snprintf(num, sizeof num, "%" PRId64, *(const int64_t *)(const void *)p);
        return write_leaf(w, f, f->name, num, (size_t)n, depth);
    }
    case ISTD_F_EMBED:
        return write_item(w, f, f->name, f->sub, p, depth);
    case ISTD_F_LIST:
        return write_list(w, f, obj, depth);
    case ISTD_F_CODES:
        return write_codes(w, f, (const istd_codes_t *)(const void *)p, depth);
    }
    return 0;
}

static int write_class(wr_t *w, const istd_class_t *c, const void *obj, int depth)
{
    for (int i = 0; i < c->n; i++) {
        const istd_field_t *f = &c->fields[i];
        if (!istd_field_active(f, w->law, w->kind) || !istd_field_present(f, obj, w->law, w->kind)) continue;
        if (write_field(w, f, obj, depth) < 0) return -1;
    }
    return 0;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

int istd_write(const istd_msg_t *m, buf_t *out, char *err, size_t errlen)
{
    if (!m || (m->law != ISTD_WMO && m->law != ISTD_JW) || (unsigned)m->kind >= IK_COUNT) {
        set_err(err, errlen, "onbekende wet of onbekend berichttype");
        return -1;
    }
    wr_t w = {out, m->law, m->kind, istd_msg_prefix(m->law, m->kind), istd_base_prefix(m->law), NULL};
    char nsm[96], nsb[96];
    istd_namespace(m->law, m->kind, nsm, sizeof nsm);
    istd_base_namespace(m->law, nsb, sizeof nsb);
    size_t start = out->len;
    buf_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%s:Bericht xmlns:%s=\"%s\" xmlns:%s=\"%s\">\n", w.pm,
               w.pm, nsm, w.pb, nsb);
    if (write_class(&w, &istd_cls_bericht, m, 1) < 0) {
        out->len = start;
        if (out->data) out->data[start] = '\0';
        set_err(err, errlen, "%s bevat tekst die geen geldige UTF-8 is of een teken dat XML niet toestaat", w.bad);
        return -1;
    }
    buf_printf(out, "</%s:Bericht>\n", w.pm);
    return 0;
}

/* ---- reading --------------------------------------------------------- */

typedef struct rd {
    arena_t *a;
    istd_law law;
    istd_kind kind;
    char ns_msg[96], ns_base[96];
    istd_errsink_t *s;
} rd_t;

static int fail(rd_t *r, xmlNodePtr n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(rd_t *r, xmlNodePtr n, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    istd_errsink_add(r->s, n ? xmlGetLineNo(n) : 0, "%s", msg);
    return -1;
}

#define NAME(n) ((const char *)(n)->name)

static int is_ws(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int all_ws(const xmlChar *s)
{
    for (; s && *s; s++)
        if (!is_ws(*s)) return 0;
    return 1;
}

/* What a child node of a complex element is: 1 an element, 0 something to
 * skip (whitespace, a comment, a processing instruction), -1 an error. */
static int child_kind(rd_t *r, xmlNodePtr c, xmlNodePtr parent)
{
    switch (c->type) {
    case XML_ELEMENT_NODE:
        return 1;
    case XML_TEXT_NODE:
        if (all_ws(c->content)) return 0;
        return fail(r, c, "tekst is niet toegestaan in %s", NAME(parent));
    case XML_COMMENT_NODE:
    case XML_PI_NODE:
        return 0;
    case XML_ENTITY_REF_NODE:
        return fail(r, c, "een entiteitsverwijzing is niet toegestaan");
    default:
        return fail(r, c, "onverwachte inhoud in %s", NAME(parent));
    }
}

/* Attributes are not part of any message; only xsi: ones on the root. */
static int check_attrs(rd_t *r, xmlNodePtr el, int root)
{
    for (xmlAttrPtr at = el->properties; at; at = at->next) {
        if (root && at->ns && strcmp((const char *)at->ns->href, XSI_NS) == 0) continue;
        return fail(r, el, "attribuut %s is niet toegestaan op %s", (const char *)at->name, NAME(el));
    }
    return 0;
}

/* The text of a leaf element: the string itself when it is one text node
 * and copy is 0, else a copy in the arena. NULL (after an error) when the
 * element holds elements. */
static const char *leaf_value(rd_t *r, xmlNodePtr el, int copy)
{
    xmlNodePtr only = NULL;
    size_t total = 0;
    int texts = 0;
    if (check_attrs(r, el, 0) < 0) return NULL;
    for (xmlNodePtr c = el->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE) {
            only = c;
            texts++;
            total += strlen((const char *)c->content);
        } else if (c->type == XML_ELEMENT_NODE) {
            fail(r, c, "onbekend element %s in %s", NAME(c), NAME(el));
            return NULL;
        } else if (c->type != XML_COMMENT_NODE && c->type != XML_PI_NODE) {
            fail(r, c, "onverwachte inhoud in %s", NAME(el));
            return NULL;
        }
    }
    /* RS033: no empty elements in a message (the writer leaves an absent
     * value out, so an empty one would not survive a round trip). */
    if (total == 0) {
        fail(r, el, "leeg element %s (lege elementen zijn niet toegestaan)", NAME(el));
        return NULL;
    }
    if (texts == 1) return copy ? arena_strndup(r->a, (const char *)only->content, total) : (const char *)only->content;
    char *s = arena_alloc(r->a, total + 1), *p = s;
    for (xmlNodePtr c = el->children; c; c = c->next)
        if (c->type == XML_TEXT_NODE) {
            size_t n = strlen((const char *)c->content);
            memcpy(p, c->content, n);
            p += n;
        }
    *p = '\0';
    return s;
}

/* xs:integer: surrounding whitespace, an optional sign, digits. 0, or -1
 * when s is no integer, -2 when it does not fit (ISTD_NONE is taken). */
static int parse_integer(const char *s, int64_t *out)
{
    while (is_ws((unsigned char)*s)) s++;
    int neg = *s == '-';
    if (*s == '+' || *s == '-') s++;
    if (*s < '0' || *s > '9') return -1;
    uint64_t v = 0;
    int big = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        unsigned d = (unsigned)(*s - '0');
        big |= v > ((uint64_t)INT64_MAX - d) / 10;
        if (!big) v = v * 10 + d;
    }
    while (is_ws((unsigned char)*s)) s++;
    if (*s) return -1;
    if (big) return -2;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
}

static int ns_ok(rd_t *r, const istd_field_t *f, xmlNodePtr el)
{
    const char *want = f->ns == ISTD_NS_BASE ? r->ns_base : r->ns_msg;
    return el->ns && el->ns->href && strcmp((const char *)el->ns->href, want) == 0;
}

static int ns_fail(rd_t *r, const istd_field_t *f, xmlNodePtr el, xmlNodePtr parent)
{
    return fail(r, el, "element %s in %s heeft namespace %s, verwacht %s", NAME(el), NAME(parent),
                el->ns && el->ns->href ? (const char *)el->ns->href : "(geen)",
                f->ns == ISTD_NS_BASE ? r->ns_base : r->ns_msg);
}

static int read_class(rd_t *r, const istd_class_t *c, xmlNodePtr el, void *obj);

static int read_int(rd_t *r, const istd_field_t *f, xmlNodePtr el, int64_t *out)
{
    const char *v = leaf_value(r, el, 0);
    if (!v) return -1;
    int rc = parse_integer(v, out);
    if (rc == -1) return fail(r, el, "%s is geen geheel getal: \"%.24s\"", f->name, v);
    if (rc == -2) return fail(r, el, "%s valt buiten het bereik van een geheel getal", f->name);
    return 0;
}

/* Counts the items of a list or RetourCodes element; -1 on anything else. */
static int count_items(rd_t *r, const istd_field_t *f, xmlNodePtr el)
{
    int n = 0;
    if (check_attrs(r, el, 0) < 0) return -1;
    for (xmlNodePtr c = el->children; c; c = c->next) {
        int k = child_kind(r, c, el);
        if (k < 0) return -1;
        if (k == 0) continue;
        if (strcmp(NAME(c), f->item) != 0) return fail(r, c, "onbekend element %s in %s", NAME(c), f->name);
        if (!ns_ok(r, f, c)) return ns_fail(r, f, c, el);
        n++;
    }
    if (n == 0) return fail(r, el, "%s bevat geen %s", f->name, f->item);
    return n;
}

static int read_list(rd_t *r, const istd_field_t *f, xmlNodePtr el, void *obj)
{
    int n = count_items(r, f, el);
    if (n < 0) return -1;
    char *items = istd_new(r->a, (istd_class_id)f->sub->class_id, n);
    int i = 0;
    for (xmlNodePtr c = el->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (read_class(r, f->sub, c, items + (size_t)i * f->sub->size) < 0) return -1;
        i++;
    }
    *(char **)(void *)((char *)obj + f->off) = items;
    *(int *)(void *)((char *)obj + f->count_off) = n;
    return 0;
}

static int read_codes(rd_t *r, const istd_field_t *f, xmlNodePtr el, istd_codes_t *codes)
{
    int n = count_items(r, f, el);
    if (n < 0) return -1;
    if (n > ISTD_MAX_CODES) return fail(r, el, "meer dan %d RetourCodes", ISTD_MAX_CODES);
    codes->n = 0;
    for (xmlNodePtr c = el->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        const char *v = leaf_value(r, c, 0);
        if (!v) return -1;
        if (strlen(v) >= sizeof codes->code[0]) return fail(r, c, "RetourCode is langer dan 4 tekens");
        memcpy(codes->code[codes->n], v, strlen(v) + 1);
        codes->n++;
    }
    return 0;
}

static int read_field(rd_t *r, const istd_field_t *f, xmlNodePtr el, void *obj)
{
    char *p = (char *)obj + f->off;
    switch (f->type) {
    case ISTD_F_TEXT: {
        const char *v = leaf_value(r, el, 1);
        if (!v) return -1;
        *(const char **)(void *)p = v;
        return 0;
    }
    case ISTD_F_INT:
        return read_int(r, f, el, (int64_t *)(void *)p);
    case ISTD_F_EMBED:
        return read_class(r, f->sub, el, p);
    case ISTD_F_LIST:
        return read_list(r, f, el, obj);
    case ISTD_F_CODES:
        return read_codes(r, f, el, (istd_codes_t *)(void *)p);
    }
    return -1;
}

/* The active field of c named name, or -1. */
static int find_field(rd_t *r, const istd_class_t *c, const char *name)
{
    for (int i = 0; i < c->n; i++)
        if (istd_field_active(&c->fields[i], r->law, r->kind) && strcmp(c->fields[i].name, name) == 0) return i;
    return -1;
}

/* The first required active field in [from, to), or -1. */
static int missing(rd_t *r, const istd_class_t *c, int from, int to)
{
    for (int i = from; i < to; i++)
        if (istd_field_active(&c->fields[i], r->law, r->kind) && istd_field_required(&c->fields[i], r->kind)) return i;
    return -1;
}

static int read_class(rd_t *r, const istd_class_t *c, xmlNodePtr el, void *obj)
{
    int next = 0, m;
    uint32_t seen = 0;
    if (check_attrs(r, el, el->parent && el->parent->type == XML_DOCUMENT_NODE) < 0) return -1;
    for (xmlNodePtr ch = el->children; ch; ch = ch->next) {
        int k = child_kind(r, ch, el);
        if (k < 0) return -1;
        if (k == 0) continue;
        int j = find_field(r, c, NAME(ch));
        if (j < 0) return fail(r, ch, "onbekend element %s in %s", NAME(ch), NAME(el));
        const istd_field_t *f = &c->fields[j];
        if (!ns_ok(r, f, ch)) return ns_fail(r, f, ch, el);
        if (j < next)
            return fail(r, ch,
                        (seen >> j) & 1 ? "element %s komt meer dan eens voor in %s"
                                        : "element %s staat op de verkeerde plaats in %s",
                        NAME(ch), NAME(el));
        if ((m = missing(r, c, next, j)) >= 0)
            return fail(r, ch, "verplicht element %s ontbreekt in %s (voor %s)", c->fields[m].name, NAME(el), NAME(ch));
        if (read_field(r, f, ch, obj) < 0) return -1;
        seen |= 1u << j;
        next = j + 1;
    }
    if ((m = missing(r, c, next, c->n)) >= 0)
        return fail(r, el, "verplicht element %s ontbreekt in %s", c->fields[m].name, NAME(el));
    return 0;
}

int istd_read(const char *xml, size_t len, arena_t *a, istd_msg_t *m, char *err, size_t errlen)
{
    char dummy[8];
    istd_errsink_t s = {.first = err && errlen ? err : dummy, .firstlen = err && errlen ? errlen : sizeof dummy};
    xmlDocPtr d = istd_xml_parse(xml, len, &s);
    if (!d) return -1;
    int rc = istd_read_doc(d, a, m, &s);
    xmlFreeDoc(d);
    return rc;
}

int istd_read_doc(struct _xmlDoc *d, arena_t *a, istd_msg_t *m, istd_errsink_t *sink)
{
    istd_errsink_t s = *sink;
    rd_t r = {.a = a, .s = &s};
    int rc = -1;
    xmlNodePtr root = xmlDocGetRootElement(d);
    if (!root) {
        istd_errsink_add(&s, 0, "geen hoofdelement");
    } else if (strcmp(NAME(root), "Bericht") != 0 || !root->ns ||
               istd_kind_of_namespace((const char *)root->ns->href, &r.law, &r.kind) < 0) {
        fail(&r, root, "hoofdelement %s%s%s is geen iWmo- of iJw-bericht van release 3.2", NAME(root),
             root->ns ? " in namespace " : "", root->ns ? (const char *)root->ns->href : "");
    } else {
        istd_namespace(r.law, r.kind, r.ns_msg, sizeof r.ns_msg);
        istd_base_namespace(r.law, r.ns_base, sizeof r.ns_base);
        istd_msg_init(m, r.law, r.kind);
        rc = read_class(&r, &istd_cls_bericht, root, m);
    }
    *sink = s;
    return rc;
}
