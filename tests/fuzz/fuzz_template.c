/*
 * fuzz_template.c - libFuzzer target for web/template.c.
 *
 * Each input is compiled as a template; when it compiles it is rendered over
 * a fixed model, with a partial callback that hands back the same template
 * (so {{>anything}} recurses into the partial depth limit). Once, at start-up,
 * the target checks that escaped variables never emit a raw '<'.
 *
 * Mustache sections over arrays nest, so rendering cost is exponential in
 * the number of sections; every array in the model has two elements and the
 * input is only rendered when (sections) 2^k * size stays small, and the
 * partial callback gives up after PARTIAL_CALLS calls. This bounds the work
 * per input without hiding parser bugs: every input is still compiled.
 */
#include "web/template.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PARTIAL_CALLS 20 /* more than the depth limit of 16 */
#define WORK_BUDGET ((size_t)1 << 15)

static json_t *g_model;

struct pstate {
    const tpl_t *self;
    int calls;
};

static const tpl_t *same_partial(void *ud, const char *name)
{
    struct pstate *p = ud;
    (void)name;
    if (++p->calls > PARTIAL_CALLS) return NULL;
    return p->self;
}

static json_t *make_model(void)
{
    json_error_t je;
    json_t *m = json_loads(
        "{\"x\":\"<script>alert('x&y')</script>\",\"y\":\"a\\\"b`c=d>e\","
        "\"leeg\":\"\",\"n\":42,\"neg\":-1,\"r\":2.5,\"z\":0,\"t\":true,\"f\":false,\"nul\":null,"
        "\"obj\":{\"x\":\"<i>inner</i>\",\"deep\":{\"v\":\"<b>\",\"t\":true}},"
        "\"items\":[{\"naam\":\"<a href='x'>\",\"n\":1,\"t\":true},"
        "{\"naam\":\"b&c\",\"n\":2,\"f\":true,\"sub\":[\"<1>\",\"<2>\"]}],"
        "\"tags\":[\"<x>\",\"y\"],\"e\":[],\"o\":{}}",
        0, &je);
    if (!m) {
        fprintf(stderr, "fuzz_template: bad model: %s\n", je.text);
        abort();
    }
    return m;
}

/* Escaped variables never produce a raw '<', whatever they hold. */
static void check_invariants(void)
{
    static const char *const srcs[] = {
        "{{x}}{{y}}{{obj.x}}{{obj.deep.v}}",
        "{{#items}}{{naam}}{{#sub}}{{.}}{{/sub}}{{/items}}",
        "{{#tags}}{{.}}{{/tags}}{{#obj}}{{x}}{{#deep}}{{v}}{{/deep}}{{/obj}}",
    };
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        char err[256];
        tpl_t *t = tpl_compile("invariant", srcs[i], strlen(srcs[i]), err, sizeof err);
        if (!t) {
            fprintf(stderr, "fuzz_template: %s\n", err);
            abort();
        }
        buf_t out = BUF_INIT;
        if (tpl_render(t, g_model, NULL, NULL, &out) != TPL_OK || out.len == 0 ||
            memchr(out.data, '<', out.len) != NULL) {
            fprintf(stderr, "fuzz_template: escaping invariant broken: %s\n", buf_cstr(&out));
            abort();
        }
        buf_free(&out);
        tpl_free(t);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_model) {
        g_model = make_model();
        check_invariants();
    }

    char err[128];
    tpl_t *t = tpl_compile("fuzz", (const char *)data, size, err, sizeof err);
    if (!t) {
        if (!memchr(err, ':', sizeof err)) abort(); /* errors always name a place */
        return 0;
    }

    size_t sections = 0;
    for (size_t i = 0; i < size; i++) sections += data[i] == '#';
    if (sections < 20 && ((size_t)1 << sections) * (size + 1) <= WORK_BUDGET) {
        struct pstate ps = {t, 0};
        buf_t out = BUF_INIT;
        int rc = tpl_render(t, g_model, same_partial, &ps, &out);
        if (rc != TPL_OK && rc != TPL_E_DEPTH && rc != TPL_E_PARTIAL) abort();
        if (out.data == NULL || out.data[out.len] != '\0') abort();
        buf_free(&out);
    }
    tpl_free(t);
    return 0;
}
