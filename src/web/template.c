/*
 * template.c - the mustache subset of template.h: compile once, render often.
 *
 * tpl_compile() turns the source into a flat, immutable array of nodes:
 *
 *   N_TEXT      a span of literal bytes in t->text
 *   N_VAR       {{name}}, HTML-escaped
 *   N_RAW       {{{name}}} / {{& name}}
 *   N_SECTION   {{#name}}; .end is the index of its N_END node
 *   N_INVERTED  {{^name}}; .end likewise
 *   N_END       {{/name}}
 *   N_PARTIAL   {{> name}}
 *
 * Names are split on '.' at compile time into NUL-terminated parts stored in
 * t->names and indexed through t->parts; a name with zero parts is ".".
 *
 * tpl_render() walks the array with an explicit frame stack (sections nest at
 * most TPL_MAX_NEST deep, checked at compile time) and one context stack on
 * the C stack shared by all partial levels; only partials recurse, at most
 * TPL_MAX_PARTIAL deep. Rendering never allocates except to grow the output
 * buffer and touches no global state, so a compiled template may be rendered
 * from any number of threads at once (the model must not be mutated
 * meanwhile; jansson lookups are read-only).
 *
 * Memory: the tpl_t owns everything it points to; tpl_free() releases it.
 */
#include "web/template.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TPL_MAX_NEST 64     /* section nesting inside one template */
#define TPL_MAX_PARTIAL 16  /* partial recursion at render time */
#define TPL_MAX_SRC ((size_t)1 << 28)
/* Root model plus at most one push per open section on every partial level. */
#define TPL_MAX_CTX (1 + (TPL_MAX_PARTIAL + 1) * TPL_MAX_NEST)

enum node_kind { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_END, N_PARTIAL };

struct node {
    uint8_t kind;
    uint16_t nparts; /* name parts (0 = "."); unused for text */
    uint32_t a;      /* text: offset in t->text; names: index in t->parts;
                        partial: offset of its name in t->names */
    uint32_t b;      /* text: length; section/inverted: index of N_END */
};

struct tpl {
    char *name;
    struct node *nodes;
    uint32_t nnodes;
    char *text;         /* literal text, concatenated */
    char *names;        /* NUL-terminated name parts and partial names */
    const char **parts; /* pointers into names */
};

/* ---- compiler ---------------------------------------------------------- */

struct open_sec {
    uint32_t node;    /* index of the N_SECTION / N_INVERTED node */
    size_t name_off;  /* name as written, in the source */
    size_t name_len;
    unsigned line;
};

struct cstate {
    const char *name;
    const char *src;
    size_t len;
    size_t pos;
    /* incremental line counting: line number at lpos */
    size_t lpos;
    unsigned line;
    struct node *nodes;
    size_t nnodes, cap;
    buf_t text;
    buf_t names;
    size_t nparts_total;
    struct open_sec open[TPL_MAX_NEST];
    int nopen;
    char *err;
    size_t errlen;
};

static unsigned line_at(struct cstate *c, size_t pos)
{
    assert(pos >= c->lpos);
    for (size_t i = c->lpos; i < pos && i < c->len; i++)
        if (c->src[i] == '\n') c->line++;
    c->lpos = pos;
    return c->line;
}

static void cerror(struct cstate *c, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void cerror(struct cstate *c, unsigned line, const char *fmt, ...)
{
    if (!c->err || !c->errlen) return;
    int n = snprintf(c->err, c->errlen, "%s:%u: ", c->name, line);
    if (n < 0 || (size_t)n >= c->errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

static struct node *add_node(struct cstate *c, uint8_t kind)
{
    if (c->nnodes == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 32;
        c->nodes = xrealloc(c->nodes, c->cap * sizeof *c->nodes);
    }
    struct node *n = &c->nodes[c->nnodes++];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    return n;
}

static void add_text(struct cstate *c, size_t from, size_t to)
{
    if (to <= from) return;
    size_t off = c->text.len;
    buf_append(&c->text, c->src + from, to - from);
    struct node *last = c->nnodes ? &c->nodes[c->nnodes - 1] : NULL;
    if (last && last->kind == N_TEXT && last->a + last->b == off) {
        last->b += (uint32_t)(to - from); /* merge across comments */
        return;
    }
    struct node *n = add_node(c, N_TEXT);
    n->a = (uint32_t)off;
    n->b = (uint32_t)(to - from);
}

static int is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

static int is_name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '.' || ch == '-';
}

static void skip_space(struct cstate *c)
{
    while (c->pos < c->len && is_space(c->src[c->pos])) c->pos++;
}

/* Reads a name at c->pos, then optional whitespace, then the closing
 * delimiter close ("}}" or "}}}"). Returns 0 or -1 (error set). */
static int read_name(struct cstate *c, unsigned line, const char *close, size_t *off, size_t *nlen)
{
    skip_space(c);
    *off = c->pos;
    while (c->pos < c->len && is_name_char(c->src[c->pos])) c->pos++;
    *nlen = c->pos - *off;
    skip_space(c);
    size_t cl = strlen(close);
    if (c->pos >= c->len) {
        cerror(c, line, "unclosed tag '{{'");
        return -1;
    }
    if (c->len - c->pos < cl || memcmp(c->src + c->pos, close, cl) != 0) {
        unsigned char ch = (unsigned char)c->src[c->pos];
        if (ch == '}')
            cerror(c, line, "tag must end with '%s'", close);
        else if (is_name_char((char)ch) && *nlen)
            cerror(c, line, "unexpected '%c' after tag name '%.*s'", ch, (int)*nlen, c->src + *off);
        else if (ch > 0x20 && ch < 0x7f)
            cerror(c, line, "bad character '%c' in tag name", ch);
        else
            cerror(c, line, "bad character 0x%02x in tag name", ch);
        return -1;
    }
    c->pos += cl;
    if (*nlen == 0) {
        cerror(c, line, "empty tag name");
        return -1;
    }
    return 0;
}

/* Splits a validated name into parts stored in c->names; fills n->a/nparts. */
static int add_name(struct cstate *c, struct node *n, size_t off, size_t nlen, unsigned line)
{
    const char *s = c->src + off;
    if (nlen == 1 && s[0] == '.') {
        n->nparts = 0;
        return 0;
    }
    size_t count = 1;
    for (size_t i = 0; i < nlen; i++) {
        if (s[i] != '.') continue;
        if (i == 0 || i + 1 == nlen || s[i + 1] == '.') {
            cerror(c, line, "empty part in name '%.*s'", (int)nlen, s);
            return -1;
        }
        count++;
    }
    if (count > UINT16_MAX) {
        cerror(c, line, "name too long");
        return -1;
    }
    n->a = (uint32_t)c->nparts_total;
    n->nparts = (uint16_t)count;
    c->nparts_total += count;
    for (size_t i = 0; i < nlen; i++) buf_putc(&c->names, s[i] == '.' ? '\0' : s[i]);
    buf_putc(&c->names, '\0');
    return 0;
}

static int compile_tag(struct cstate *c)
{
    size_t start = c->pos; /* at "{{" */
    unsigned line = line_at(c, start);
    size_t off, nlen;
    c->pos += 2;

    if (c->pos < c->len && c->src[c->pos] == '{') { /* {{{name}}} */
        c->pos++;
        if (read_name(c, line, "}}}", &off, &nlen)) return -1;
        return add_name(c, add_node(c, N_RAW), off, nlen, line);
    }
    skip_space(c);
    if (c->pos >= c->len) {
        cerror(c, line, "unclosed tag '{{'");
        return -1;
    }
    char sigil = c->src[c->pos];
    switch (sigil) {
    case '!': {
        const char *end = NULL;
        for (size_t i = c->pos; i + 1 < c->len; i++)
            if (c->src[i] == '}' && c->src[i + 1] == '}') {
                end = c->src + i;
                break;
            }
        if (!end) {
            cerror(c, line, "unclosed comment");
            return -1;
        }
        c->pos = (size_t)(end - c->src) + 2;
        return 0;
    }
    case '&':
        c->pos++;
        if (read_name(c, line, "}}", &off, &nlen)) return -1;
        return add_name(c, add_node(c, N_RAW), off, nlen, line);
    case '#':
    case '^': {
        c->pos++;
        if (read_name(c, line, "}}", &off, &nlen)) return -1;
        if (c->nopen == TPL_MAX_NEST) {
            cerror(c, line, "sections nested deeper than %d", TPL_MAX_NEST);
            return -1;
        }
        struct node *n = add_node(c, sigil == '#' ? N_SECTION : N_INVERTED);
        if (add_name(c, n, off, nlen, line)) return -1;
        struct open_sec *o = &c->open[c->nopen++];
        o->node = (uint32_t)(c->nnodes - 1);
        o->name_off = off;
        o->name_len = nlen;
        o->line = line;
        return 0;
    }
    case '/': {
        c->pos++;
        if (read_name(c, line, "}}", &off, &nlen)) return -1;
        if (c->nopen == 0) {
            cerror(c, line, "'{{/%.*s}}' without an open section", (int)nlen, c->src + off);
            return -1;
        }
        struct open_sec *o = &c->open[c->nopen - 1];
        if (o->name_len != nlen || memcmp(c->src + o->name_off, c->src + off, nlen) != 0) {
            cerror(c, line, "'{{/%.*s}}' does not close '{{%c%.*s}}' opened on line %u",
                   (int)nlen, c->src + off, c->nodes[o->node].kind == N_SECTION ? '#' : '^',
                   (int)o->name_len, c->src + o->name_off, o->line);
            return -1;
        }
        c->nopen--;
        c->nodes[o->node].b = (uint32_t)c->nnodes;
        add_node(c, N_END);
        return 0;
    }
    case '>': {
        c->pos++;
        if (read_name(c, line, "}}", &off, &nlen)) return -1;
        struct node *n = add_node(c, N_PARTIAL);
        n->a = (uint32_t)c->names.len;
        buf_append(&c->names, c->src + off, nlen);
        buf_putc(&c->names, '\0');
        return 0;
    }
    default:
        if (read_name(c, line, "}}", &off, &nlen)) return -1;
        return add_name(c, add_node(c, N_VAR), off, nlen, line);
    }
}

tpl_t *tpl_compile(const char *name, const char *src, size_t len, char *err, size_t errlen)
{
    struct cstate c;
    memset(&c, 0, sizeof c);
    c.name = name ? name : "(template)";
    c.src = src ? src : "";
    c.len = src ? len : 0;
    c.line = 1;
    c.err = err;
    c.errlen = errlen;
    if (err && errlen) err[0] = '\0';
    buf_init(&c.text);
    buf_init(&c.names);

    if (c.len > TPL_MAX_SRC) {
        cerror(&c, 1, "template larger than %zu bytes", TPL_MAX_SRC);
        return NULL;
    }

    int rc = 0;
    size_t text_from = 0;
    while (c.pos < c.len) {
        const char *p = memchr(c.src + c.pos, '{', c.len - c.pos);
        if (!p) break;
        size_t at = (size_t)(p - c.src);
        if (at + 1 < c.len && p[1] == '{') {
            add_text(&c, text_from, at);
            c.pos = at;
            if ((rc = compile_tag(&c)) != 0) break;
            text_from = c.pos;
        } else {
            c.pos = at + 1;
        }
    }
    if (rc == 0) {
        add_text(&c, text_from, c.len);
        if (c.nopen) {
            struct open_sec *o = &c.open[c.nopen - 1];
            cerror(&c, o->line, "section '{{%c%.*s}}' is never closed",
                   c.nodes[o->node].kind == N_SECTION ? '#' : '^', (int)o->name_len,
                   c.src + o->name_off);
            rc = -1;
        }
    }
    if (rc != 0) {
        free(c.nodes);
        buf_free(&c.text);
        buf_free(&c.names);
        return NULL;
    }

    tpl_t *t = xcalloc(1, sizeof *t);
    t->name = xstrdup(c.name);
    t->nodes = c.nodes;
    t->nnodes = (uint32_t)c.nnodes;
    t->text = buf_detach(&c.text);
    t->names = buf_detach(&c.names);
    t->parts = xmalloc((c.nparts_total ? c.nparts_total : 1) * sizeof *t->parts);
    /* Parts were appended in node order; partial names are interleaved, so
     * walk the nodes again to fix up the pointers. */
    const char *s = t->names;
    size_t k = 0;
    for (uint32_t i = 0; i < t->nnodes; i++) {
        struct node *n = &t->nodes[i];
        if (n->kind == N_PARTIAL) {
            assert(s == t->names + n->a);
            s += strlen(s) + 1;
        } else if (n->kind != N_TEXT && n->kind != N_END && n->nparts) {
            assert(n->a == k);
            for (uint16_t j = 0; j < n->nparts; j++) {
                t->parts[k++] = s;
                s += strlen(s) + 1;
            }
        }
    }
    assert(k == c.nparts_total);
    return t;
}

void tpl_free(tpl_t *t)
{
    if (!t) return;
    free(t->name);
    free(t->nodes);
    free(t->text);
    free(t->names);
    free(t->parts);
    free(t);
}

const char *tpl_name(const tpl_t *t) { return t ? t->name : NULL; }

/* ---- renderer ---------------------------------------------------------- */

struct rstate {
    json_t *ctx[TPL_MAX_CTX];
    size_t nctx;
    tpl_partial_fn partial;
    void *ud;
    buf_t *out;
};

struct frame {
    json_t *arr; /* array being iterated, or NULL */
    size_t i, n;
    uint32_t body; /* first node of the section body */
    int pushed;    /* 1 if this section pushed a context */
};

static json_t *lookup(const tpl_t *t, const struct rstate *st, const struct node *nd)
{
    if (nd->nparts == 0) return st->nctx ? st->ctx[st->nctx - 1] : NULL;
    const char *const *parts = t->parts + nd->a;
    json_t *v = NULL;
    for (size_t i = st->nctx; i-- > 0;) {
        json_t *c = st->ctx[i];
        if (json_is_object(c) && (v = json_object_get(c, parts[0])) != NULL) break;
    }
    for (uint16_t j = 1; v && j < nd->nparts; j++)
        v = json_is_object(v) ? json_object_get(v, parts[j]) : NULL;
    return v;
}

static int truthy(const json_t *v)
{
    if (!v) return 0;
    switch (json_typeof(v)) {
    case JSON_OBJECT: return 1;
    case JSON_ARRAY: return json_array_size(v) > 0;
    case JSON_STRING: return json_string_length(v) > 0;
    case JSON_INTEGER: return json_integer_value(v) != 0;
    case JSON_REAL: return json_real_value(v) != 0.0;
    case JSON_TRUE: return 1;
    default: return 0;
    }
}

static void put_int(buf_t *out, json_int_t v)
{
    char tmp[24];
    char *p = tmp + sizeof tmp;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    buf_append(out, p, (size_t)(tmp + sizeof tmp - p));
}

static void emit(buf_t *out, const json_t *v, int escape)
{
    if (!v) return;
    switch (json_typeof(v)) {
    case JSON_STRING:
        if (escape)
            buf_html(out, json_string_value(v), json_string_length(v));
        else
            buf_append(out, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER: put_int(out, json_integer_value(v)); break;
    case JSON_REAL: buf_printf(out, "%g", json_real_value(v)); break;
    case JSON_TRUE: buf_append(out, "true", 4); break;
    default: break;
    }
}

static int render(const tpl_t *t, struct rstate *st, int depth)
{
    struct frame fr[TPL_MAX_NEST];
    int nf = 0;
    const struct node *nodes = t->nodes;
    uint32_t i = 0, n = t->nnodes;
    buf_t *out = st->out;

    while (i < n) {
        const struct node *nd = &nodes[i];
        switch (nd->kind) {
        case N_TEXT:
            buf_append(out, t->text + nd->a, nd->b);
            i++;
            break;
        case N_VAR:
        case N_RAW:
            emit(out, lookup(t, st, nd), nd->kind == N_VAR);
            i++;
            break;
        case N_SECTION: {
            json_t *v = lookup(t, st, nd);
            if (!truthy(v)) {
                i = nd->b + 1;
                break;
            }
            assert(nf < TPL_MAX_NEST && st->nctx < TPL_MAX_CTX);
            struct frame *f = &fr[nf++];
            f->body = i + 1;
            f->arr = NULL;
            f->pushed = 0;
            if (json_is_array(v)) {
                f->arr = v;
                f->i = 0;
                f->n = json_array_size(v);
                st->ctx[st->nctx++] = json_array_get(v, 0);
                f->pushed = 1;
            } else if (json_is_object(v)) {
                st->ctx[st->nctx++] = v;
                f->pushed = 1;
            }
            i++;
            break;
        }
        case N_INVERTED:
            if (truthy(lookup(t, st, nd))) {
                i = nd->b + 1;
                break;
            }
            assert(nf < TPL_MAX_NEST);
            fr[nf].arr = NULL;
            fr[nf].pushed = 0;
            nf++;
            i++;
            break;
        case N_END: {
            assert(nf > 0);
            struct frame *f = &fr[nf - 1];
            if (f->arr && ++f->i < f->n) {
                st->ctx[st->nctx - 1] = json_array_get(f->arr, f->i);
                i = f->body;
                break;
            }
            if (f->pushed) st->nctx--;
            nf--;
            i++;
            break;
        }
        case N_PARTIAL: {
            if (depth >= TPL_MAX_PARTIAL) return TPL_E_DEPTH;
            const tpl_t *p = st->partial ? st->partial(st->ud, t->names + nd->a) : NULL;
            if (!p) return TPL_E_PARTIAL;
            int rc = render(p, st, depth + 1);
            if (rc != TPL_OK) return rc;
            i++;
            break;
        }
        default:
            assert(0 && "bad template node");
            return TPL_E_SYNTAX;
        }
    }
    return TPL_OK;
}

int tpl_render(const tpl_t *t, json_t *model, tpl_partial_fn partial, void *ud, buf_t *out)
{
    struct rstate st;
    st.ctx[0] = model;
    st.nctx = 1;
    st.partial = partial;
    st.ud = ud;
    st.out = out;
    buf_cstr(out); /* out is a valid string even if nothing is rendered */
    return render(t, &st, 0);
}
