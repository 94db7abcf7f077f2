/*
 * test_template.c - the mustache subset of web/template.h: escaping, raw
 * output, sections, inverted sections, dotted names, context fallback,
 * partials and their limits, syntax errors with line numbers, value
 * formatting, repeated rendering and concurrent rendering from threads.
 */
#include "web/template.h"
#include "test.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ----------------------------------------------------------- */

struct ptab {
    const char *names[24];
    tpl_t *tpls[24];
    int n;
    int calls;
};

static const tpl_t *ptab_get(void *ud, const char *name)
{
    struct ptab *p = ud;
    p->calls++;
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->names[i], name) == 0) return p->tpls[i];
    return NULL;
}

/* Lookup without the call counter, for use from several threads. */
static const tpl_t *ptab_get_noc(void *ud, const char *name)
{
    const struct ptab *p = ud;
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->names[i], name) == 0) return p->tpls[i];
    return NULL;
}

static void ptab_add(struct ptab *p, const char *name, const char *src)
{
    char err[256];
    tpl_t *t = tpl_compile(name, src, strlen(src), err, sizeof err);
    if (!t) {
        printf("# partial %s: %s\n", name, err);
        abort();
    }
    p->names[p->n] = name;
    p->tpls[p->n++] = t;
}

static void ptab_free(struct ptab *p)
{
    for (int i = 0; i < p->n; i++) tpl_free(p->tpls[i]);
    p->n = 0;
}

static json_t *model(const char *text)
{
    json_error_t je;
    json_t *m = json_loads(text, 0, &je);
    if (!m) {
        printf("# bad test model: %s\n", je.text);
        abort();
    }
    return m;
}

/* Renders src over the JSON model text; returns a static copy of the output
 * (or "<compile error: ...>"), and the render status in *rc if given. */
static const char *render_rc(const char *src, const char *json, struct ptab *pt, int *rc)
{
    static char res[4096];
    char err[256];
    tpl_t *t = tpl_compile("t", src, strlen(src), err, sizeof err);
    if (!t) {
        snprintf(res, sizeof res, "<compile error: %s>", err);
        if (rc) *rc = TPL_E_SYNTAX;
        return res;
    }
    json_t *m = model(json);
    buf_t out = BUF_INIT;
    int r = tpl_render(t, m, pt ? ptab_get : NULL, pt, &out);
    if (rc) *rc = r;
    snprintf(res, sizeof res, "%s", buf_cstr(&out));
    buf_free(&out);
    json_decref(m);
    tpl_free(t);
    return res;
}

static const char *render(const char *src, const char *json)
{
    return render_rc(src, json, NULL, NULL);
}

/* Compiles src expecting a syntax error; returns the message ("" if none). */
static const char *compile_err(const char *name, const char *src)
{
    static char err[256];
    tpl_t *t = tpl_compile(name, src, strlen(src), err, sizeof err);
    if (t) {
        tpl_free(t);
        return "";
    }
    return err;
}

/* ---- tests ------------------------------------------------------------- */

static void test_text_and_vars(void)
{
    CHECK_STR(render("", "{}"), "", "empty template");
    CHECK_STR(render("plain text { } }} {x", "{}"), "plain text { } }} {x", "text without tags");
    CHECK_STR(render("Hallo {{naam}}!", "{\"naam\":\"Anna\"}"), "Hallo Anna!", "variable");
    CHECK_STR(render("[{{ naam }}][{{naam\t}}][{{\nnaam\n}}]", "{\"naam\":\"A\"}"), "[A][A][A]",
              "whitespace inside tags");
    CHECK_STR(render("[{{missing}}]", "{}"), "[]", "missing renders nothing");
    CHECK_STR(render("a{{! a comment }}b", "{}"), "ab", "comment");
    CHECK_STR(render("a{{! multi\nline\n comment }}b{{x}}", "{\"x\":1}"), "ab1",
              "comment spanning lines");
    CHECK_STR(render("{{a-b}}{{c_d}}{{E9}}", "{\"a-b\":1,\"c_d\":2,\"E9\":3}"), "123",
              "name characters - _ digits");
}

static void test_escaping(void)
{
    const char *m = "{\"x\":\"&<>\\\"'`=\",\"h\":\"<b>vet</b>\"}";
    CHECK_STR(render("{{x}}", m), "&amp;&lt;&gt;&quot;&#39;&#96;&#61;", "escapes & < > \" ' ` =");
    CHECK_STR(render("{{{x}}}", m), "&<>\"'`=", "triple mustache is raw");
    CHECK_STR(render("{{&x}}", m), "&<>\"'`=", "{{&x}} is raw");
    CHECK_STR(render("{{& x }}|{{{ x }}}", m), "&<>\"'`=|&<>\"'`=", "raw with whitespace");
    CHECK_STR(render("<p>{{h}}</p>", m), "<p>&lt;b&gt;vet&lt;/b&gt;</p>", "template text is not escaped");
    CHECK_STR(render("<a title=\"{{x}}\">", m), "<a title=\"&amp;&lt;&gt;&quot;&#39;&#96;&#61;\">",
              "attribute context");
    CHECK_STR(render("{{x}}", "{\"x\":\"caf\\u00e9 \\u20ac\"}"), "caf\xc3\xa9 \xe2\x82\xac",
              "UTF-8 passes through");
}

static void test_values(void)
{
    const char *m = "{\"i\":42,\"n\":-7,\"big\":9223372036854775807,\"min\":-9223372036854775808,"
                    "\"z\":0,\"r\":1.5,\"r2\":0.1,\"t\":true,\"f\":false,\"nul\":null,"
                    "\"o\":{\"a\":1},\"arr\":[1,2]}";
    CHECK_STR(render("{{i}} {{n}} {{z}}", m), "42 -7 0", "integers");
    CHECK_STR(render("{{big}} {{min}}", m), "9223372036854775807 -9223372036854775808",
              "integer extremes");
    CHECK_STR(render("{{r}} {{r2}}", m), "1.5 0.1", "reals with %%g");
    CHECK_STR(render("[{{t}}][{{f}}][{{nul}}]", m), "[true][][]", "true, false, null");
    CHECK_STR(render("[{{o}}][{{arr}}]", m), "[][]", "objects and arrays render nothing");
    CHECK_STR(render("{{{i}}}{{&t}}", m), "42true", "raw numbers and booleans");
}

static void test_sections(void)
{
    const char *m = "{\"items\":[{\"naam\":\"a<\",\"n\":1},{\"naam\":\"b\",\"n\":2}],"
                    "\"tags\":[\"x\",\"<y>\"],\"ok\":true,\"no\":false,\"s\":\"\",\"e\":[],"
                    "\"z\":0,\"one\":1,\"obj\":{\"naam\":\"inner\"},\"naam\":\"outer\","
                    "\"groups\":[{\"g\":\"G1\",\"rows\":[{\"v\":1},{\"v\":2}]},"
                    "{\"g\":\"G2\",\"rows\":[{\"v\":3}]}]}";
    CHECK_STR(render("{{#items}}<li>{{naam}}={{n}}</li>{{/items}}", m),
              "<li>a&lt;=1</li><li>b=2</li>", "section over array of objects");
    CHECK_STR(render("{{#tags}}[{{.}}]{{/tags}}", m), "[x][&lt;y&gt;]", "{{.}} over array of strings");
    CHECK_STR(render("{{#tags}}[{{{.}}}]{{/tags}}", m), "[x][<y>]", "raw {{{.}}}");
    CHECK_STR(render("{{#ok}}yes {{naam}}{{/ok}}", m), "yes outer", "true section keeps context");
    CHECK_STR(render("{{#one}}1{{/one}}{{#z}}0{{/z}}", m), "1", "integer 1 truthy, 0 falsy");
    CHECK_STR(render("{{#obj}}{{naam}}{{/obj}}", m), "inner", "object section pushes context");
    CHECK_STR(render("{{#no}}x{{/no}}{{#s}}x{{/s}}{{#e}}x{{/e}}{{#missing}}x{{/missing}}", m), "",
              "falsy sections skipped");
    CHECK_STR(render("{{#groups}}{{g}}:{{#rows}}{{v}}{{g}},{{/rows}};{{/groups}}", m),
              "G1:1G1,2G1,;G2:3G2,;", "nested sections over arrays of objects");
    CHECK_STR(render("{{#items}}{{naam}}@{{#obj}}{{naam}}{{/obj}} {{/items}}", m),
              "a&lt;@inner b@inner ", "outer lookup from inside a loop");
    CHECK_STR(render("{{#obj}}{{ok}} {{#items}}{{n}}{{/items}}{{/obj}}", m), "true 12",
              "lookup falls back to outer contexts");
    CHECK_STR(render("{{#items}}{{#ok}}{{naam}}{{/ok}}{{/items}}", m), "a&lt;b",
              "truthy scalar inside loop keeps element context");
    CHECK_STR(render("{{# items }}x{{/ items }}", m), "xx", "whitespace in section tags");
    CHECK_STR(render("{{#.}}{{naam}}{{/.}}", m), "outer", "section on {{.}}");
}

static void test_inverted(void)
{
    const char *m = "{\"f\":false,\"nul\":null,\"e\":[],\"s\":\"\",\"z\":0,\"t\":true,"
                    "\"a\":[1],\"str\":\"x\",\"o\":{}}";
    CHECK_STR(render("{{^missing}}M{{/missing}}", m), "M", "inverted on missing");
    CHECK_STR(render("{{^f}}F{{/f}}", m), "F", "inverted on false");
    CHECK_STR(render("{{^nul}}N{{/nul}}", m), "N", "inverted on null");
    CHECK_STR(render("{{^e}}E{{/e}}", m), "E", "inverted on empty array");
    CHECK_STR(render("{{^s}}S{{/s}}", m), "S", "inverted on empty string");
    CHECK_STR(render("{{^z}}Z{{/z}}", m), "Z", "inverted on 0");
    CHECK_STR(render("{{^t}}x{{/t}}{{^a}}x{{/a}}{{^str}}x{{/str}}{{^o}}x{{/o}}", m), "",
              "inverted skipped for truthy values");
    CHECK_STR(render("{{#e}}li{{/e}}{{^e}}geen{{/e}}", m), "geen", "section/inverted pair");
}

static void test_dotted(void)
{
    const char *m = "{\"a\":{\"b\":{\"c\":\"abc\",\"n\":5}},\"x\":{\"y\":\"<xy>\"},"
                    "\"c\":\"top\",\"list\":[{\"p\":{\"q\":\"q1\"}},{\"p\":{\"q\":\"q2\"}}]}";
    CHECK_STR(render("{{a.b.c}} {{a.b.n}}", m), "abc 5", "dotted names");
    CHECK_STR(render("{{x.y}}|{{{x.y}}}", m), "&lt;xy&gt;|<xy>", "dotted escaped and raw");
    CHECK_STR(render("[{{a.b.missing}}][{{a.zz.c}}][{{c.d}}]", m), "[][][]", "dotted misses");
    CHECK_STR(render("{{#a.b}}{{c}}{{/a.b}}", m), "abc", "dotted section pushes object");
    CHECK_STR(render("{{#list}}{{p.q}},{{/list}}", m), "q1,q2,", "dotted inside loop");
    CHECK_STR(render("{{#a}}{{x.y}}{{/a}}", m), "&lt;xy&gt;", "dotted first part from outer context");
    /* The first part resolves to a.b (inner); descending fails: no fallback. */
    CHECK_STR(render("{{#a}}{{b.zz}}{{/a}}", "{\"a\":{\"b\":{}},\"b\":{\"zz\":\"outer\"}}"), "",
              "dotted name does not fall back after first part resolved");
    CHECK_STR(render("{{^a.b.missing}}none{{/a.b.missing}}", m), "none", "dotted inverted");
}

static void test_partials(void)
{
    struct ptab pt = {0};
    int rc;
    ptab_add(&pt, "kop", "<h1>{{titel}}</h1>");
    ptab_add(&pt, "rij", "<li>{{naam}}</li>");
    ptab_add(&pt, "self", "x{{>self}}");
    ptab_add(&pt, "broken", "a{{>nope}}b");
    const char *m = "{\"titel\":\"T&T\",\"items\":[{\"naam\":\"a\"},{\"naam\":\"b\"}]}";

    CHECK_STR(render_rc("{{>kop}}<ul>{{#items}}{{> rij }}{{/items}}</ul>", m, &pt, &rc),
              "<h1>T&amp;T</h1><ul><li>a</li><li>b</li></ul>", "partials with context");
    CHECK(rc == TPL_OK, "partials render ok (%d)", rc);

    CHECK_STR(render_rc("A{{>missing}}B", m, &pt, &rc), "A", "missing partial stops rendering");
    CHECK(rc == TPL_E_PARTIAL, "missing partial -> TPL_E_PARTIAL (%d)", rc);
    CHECK_STR(render_rc("A{{>broken}}B", m, &pt, &rc), "Aa", "missing nested partial");
    CHECK(rc == TPL_E_PARTIAL, "missing nested partial -> TPL_E_PARTIAL (%d)", rc);
    render_rc("{{>x}}", m, NULL, &rc);
    CHECK(rc == TPL_E_PARTIAL, "no partial callback -> TPL_E_PARTIAL (%d)", rc);

    pt.calls = 0;
    const char *out = render_rc("{{>self}}", m, &pt, &rc);
    CHECK(rc == TPL_E_DEPTH, "self-recursive partial -> TPL_E_DEPTH (%d)", rc);
    CHECK(strcmp(out, "xxxxxxxxxxxxxxxx") == 0, "recursion stops after 16 levels (%s)", out);
    CHECK(pt.calls == 16, "partial callback called 16 times (%d)", pt.calls);
    render_rc("{{#items}}{{>self}}{{/items}}", m, &pt, &rc);
    CHECK(rc == TPL_E_DEPTH, "recursive partial inside a loop -> TPL_E_DEPTH (%d)", rc);

    /* A chain of exactly 16 nested partials is allowed. */
    struct ptab chain = {0};
    static char names[17][16], srcs[17][48];
    for (int i = 1; i <= 16; i++) {
        snprintf(names[i], sizeof names[i], "p%d", i);
        if (i < 16) snprintf(srcs[i], sizeof srcs[i], "%d{{>p%d}}", i, i + 1);
        else snprintf(srcs[i], sizeof srcs[i], "{{#items}}{{naam}}{{/items}}");
        ptab_add(&chain, names[i], srcs[i]);
    }
    CHECK_STR(render_rc("{{>p1}}", m, &chain, &rc), "123456789101112131415ab",
              "16 nested partials render");
    CHECK(rc == TPL_OK, "16 nested partials ok (%d)", rc);
    ptab_free(&chain);
    /* One more level fails. */
    ptab_add(&chain, "p0", "{{>p1}}");
    for (int i = 1; i <= 16; i++) ptab_add(&chain, names[i], srcs[i]);
    CHECK_STR(render_rc("{{>p0}}", m, &chain, &rc), "123456789101112131415",
              "17 nested partials stop at the limit");
    CHECK(rc == TPL_E_DEPTH, "17 nested partials -> TPL_E_DEPTH (%d)", rc);
    ptab_free(&chain);

    /* Partials see the caller's context stack and may open sections. */
    struct ptab deep = {0};
    ptab_add(&deep, "loop", "{{#rows}}({{v}}{{k}}){{/rows}}");
    CHECK_STR(render_rc("{{#o}}{{>loop}}{{/o}}", "{\"k\":\"K\",\"o\":{\"rows\":[{\"v\":1},{\"v\":2}]}}",
                        &deep, &rc),
              "(1K)(2K)", "partial inside a section");
    ptab_free(&deep);
    ptab_free(&pt);
}

static void test_syntax_errors(void)
{
    const char *e;
    e = compile_err("pagina.html", "regel1\nregel2 {{naam");
    CHECK(strstr(e, "pagina.html:2:") && strstr(e, "unclosed"), "unclosed tag: %s", e);
    e = compile_err("p", "{{");
    CHECK(strstr(e, "p:1:") && strstr(e, "unclosed"), "bare {{ at end: %s", e);
    e = compile_err("p", "a\n\n{{{x}}");
    CHECK(strstr(e, "p:3:") != NULL, "unclosed triple: %s", e);
    e = compile_err("p", "a\n{{! never closed\n");
    CHECK(strstr(e, "p:2:") && strstr(e, "comment"), "unclosed comment: %s", e);
    e = compile_err("p", "{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}");
    CHECK(strstr(e, "p:3:") && strstr(e, "{{/a}}") && strstr(e, "line 2"), "mismatched close: %s", e);
    e = compile_err("p", "x\ny\n{{/x}}");
    CHECK(strstr(e, "p:3:") && strstr(e, "{{/x}}"), "stray close: %s", e);
    e = compile_err("p", "{{#a}}\n{{^b}}{{/b}}\n");
    CHECK(strstr(e, "p:1:") && strstr(e, "never closed"), "unclosed section: %s", e);
    e = compile_err("p", "\n{{}}");
    CHECK(strstr(e, "p:2:") && strstr(e, "empty"), "empty name: %s", e);
    e = compile_err("p", "{{# }}");
    CHECK(strstr(e, "p:1:") && strstr(e, "empty"), "empty section name: %s", e);
    e = compile_err("p", "{{{ }}}");
    CHECK(strstr(e, "empty") != NULL, "empty raw name: %s", e);
    e = compile_err("p", "{{>}}");
    CHECK(strstr(e, "empty") != NULL, "empty partial name: %s", e);
    e = compile_err("p", "\n\n\n{{na me}}");
    CHECK(strstr(e, "p:4:") && strstr(e, "unexpected 'm' after tag name 'na'"), "space in name: %s", e);
    e = compile_err("p", "{{a<b}}");
    CHECK(strstr(e, "bad character '<'") != NULL, "'<' in name: %s", e);
    e = compile_err("p", "{{=<% %>=}}");
    CHECK(strstr(e, "bad character") != NULL, "set delimiters unsupported: %s", e);
    e = compile_err("p", "{{>a/b}}");
    CHECK(strstr(e, "bad character '/'") != NULL, "'/' in partial name: %s", e);
    e = compile_err("p", "{{x\x01}}");
    CHECK(strstr(e, "0x01") != NULL, "control character in name: %s", e);
    e = compile_err("p", "{{{x}}");
    CHECK(strstr(e, "}}}") != NULL, "triple closed with }}: %s", e);
    e = compile_err("p", "{{a..b}}{{.a}}");
    CHECK(strstr(e, "empty part") != NULL, "empty name part: %s", e);
    e = compile_err("p", "{{a.}}");
    CHECK(strstr(e, "empty part") != NULL, "trailing dot: %s", e);
    e = compile_err(NULL, "{{");
    CHECK(strstr(e, ":1:") != NULL, "NULL name still gives a message: %s", e);

    /* A short err buffer is truncated, never overflowed. */
    char small[8];
    tpl_t *t = tpl_compile("lange-naam", "{{", 2, small, sizeof small);
    CHECK(!t && strlen(small) == 7, "err truncated to its buffer (%s)", small);
    t = tpl_compile("x", "{{", 2, NULL, 0);
    CHECK(t == NULL, "NULL err buffer accepted");

    /* Nesting limit: 64 levels compile, 65 do not. */
    char src[2048];
    size_t n = 0;
    for (int i = 0; i < 64; i++) n += (size_t)snprintf(src + n, sizeof src - n, "{{#a}}");
    n += (size_t)snprintf(src + n, sizeof src - n, "{{b}}");
    for (int i = 0; i < 64; i++) n += (size_t)snprintf(src + n, sizeof src - n, "{{/a}}");
    CHECK_STR(render(src, "{\"a\":{\"b\":\"deep\"}}"), "deep", "64 nested sections");
    n = 0;
    for (int i = 0; i < 65; i++) n += (size_t)snprintf(src + n, sizeof src - n, "{{#a}}\n");
    for (int i = 0; i < 65; i++) n += (size_t)snprintf(src + n, sizeof src - n, "{{/a}}");
    e = compile_err("p", src);
    CHECK(strstr(e, "p:65:") && strstr(e, "64"), "65 nested sections rejected: %s", e);

    /* Embedded NUL bytes are text, the length is what counts. */
    t = tpl_compile("nul", "a\0b{{x}}", 8, NULL, 0);
    buf_t out = BUF_INIT;
    json_t *m = model("{\"x\":\"y\"}");
    CHECK(t && tpl_render(t, m, NULL, NULL, &out) == TPL_OK && out.len == 4 &&
              memcmp(out.data, "a\0by", 4) == 0,
          "NUL byte in text");
    CHECK_STR(tpl_name(t), "nul", "tpl_name");
    buf_free(&out);
    json_decref(m);
    tpl_free(t);
    tpl_free(NULL);
}

static const char *page_src =
    "<!doctype html><title>{{titel}}</title>\n"
    "{{! hoofdstuk }}<h1>{{kop.tekst}}</h1>\n"
    "<ul>{{#items}}<li class=\"{{#actief}}actief{{/actief}}\">{{naam}} ({{n}})"
    "{{#tags}}<i>{{.}}</i>{{/tags}}{{^tags}}-{{/tags}}</li>\n{{/items}}</ul>\n"
    "{{^items}}<p>Geen</p>{{/items}}{{{html}}}\n";

static json_t *page_model(void)
{
    json_t *items = json_array();
    for (int i = 0; i < 20; i++) {
        json_t *it = json_pack("{s:s, s:i, s:b}", "naam", "Jan & <Piet>", "n", i, "actief", i % 3 == 0);
        if (i % 2) json_object_set_new(it, "tags", json_pack("[s,s]", "a\"b", "c"));
        json_array_append_new(items, it);
    }
    return json_pack("{s:s, s:{s:s}, s:o, s:s}", "titel", "Zorg & \"Welzijn\"", "kop", "tekst",
                     "Overzicht", "items", items, "html", "<hr>");
}

static void test_repeat(void)
{
    char err[256];
    tpl_t *t = tpl_compile("page", page_src, strlen(page_src), err, sizeof err);
    CHECK(t != NULL, "page compiles (%s)", t ? "" : err);
    if (!t) return;
    json_t *m = page_model();
    buf_t first = BUF_INIT, out = BUF_INIT;
    CHECK(tpl_render(t, m, NULL, NULL, &first) == TPL_OK, "page renders");
    CHECK(strstr(first.data, "Jan &amp; &lt;Piet&gt; (19)<i>a&quot;b</i><i>c</i></li>") != NULL,
          "page content");
    CHECK(strstr(first.data, "<li class=\"actief\">Jan &amp; &lt;Piet&gt; (0)-</li>") != NULL,
          "page first item");
    CHECK(strstr(first.data, "<hr>") && !strstr(first.data, "Geen"), "raw html and inverted");
    int same = 0;
    for (int i = 0; i < 1000; i++) {
        buf_reset(&out);
        if (tpl_render(t, m, NULL, NULL, &out) == TPL_OK && out.len == first.len &&
            memcmp(out.data, first.data, out.len) == 0)
            same++;
    }
    CHECK(same == 1000, "1000 renders identical (%d)", same);
    /* Rendering appends. */
    buf_t two = BUF_INIT;
    tpl_render(t, m, NULL, NULL, &two);
    tpl_render(t, m, NULL, NULL, &two);
    CHECK(two.len == 2 * first.len && memcmp(two.data + first.len, first.data, first.len) == 0,
          "render appends to out");
    buf_free(&two);
    buf_free(&first);
    buf_free(&out);
    json_decref(m);
    tpl_free(t);
}

struct thr {
    const tpl_t *t;
    json_t *m;
    struct ptab *pt;
    const buf_t *want;
    int same;
};

static void *thr_main(void *arg)
{
    struct thr *a = arg;
    buf_t out = BUF_INIT;
    for (int i = 0; i < 300; i++) {
        buf_reset(&out);
        if (tpl_render(a->t, a->m, ptab_get_noc, a->pt, &out) == TPL_OK &&
            out.len == a->want->len && memcmp(out.data, a->want->data, out.len) == 0)
            a->same++;
    }
    buf_free(&out);
    return NULL;
}

static void test_threads(void)
{
    struct ptab pt = {0};
    ptab_add(&pt, "page", page_src);
    const char *src = "{{>page}}{{#items}}{{>row}}{{/items}}";
    ptab_add(&pt, "row", "[{{naam}}]");
    tpl_t *t = tpl_compile("outer", src, strlen(src), NULL, 0);
    json_t *m = page_model();
    buf_t want = BUF_INIT;
    CHECK(t && tpl_render(t, m, ptab_get_noc, &pt, &want) == TPL_OK, "threaded template renders");
    pthread_t th[4];
    struct thr args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (struct thr){t, m, &pt, &want, 0};
        pthread_create(&th[i], NULL, thr_main, &args[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK(args[i].same == 300, "thread %d: 300 identical renders (%d)", i, args[i].same);
    }
    buf_free(&want);
    json_decref(m);
    tpl_free(t);
    ptab_free(&pt);
}

int main(void)
{
    test_text_and_vars();
    test_escaping();
    test_values();
    test_sections();
    test_inverted();
    test_dotted();
    test_partials();
    test_syntax_errors();
    test_repeat();
    test_threads();
    return t_done();
}
