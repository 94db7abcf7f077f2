/*
 * template.h - the mustache subset Kantel renders HTML with.
 *
 * Syntax (https://mustache.github.io/mustache.5.html, subset):
 *   {{name}} {{a.b.c}} {{.}}   value, HTML-escaped (buf_html)
 *   {{{name}}} {{& name}}      raw value - only for HTML the code built itself
 *   {{#name}}...{{/name}}      section: false/null/missing/""/[]/0 -> skipped;
 *                              array -> once per element (element pushed as
 *                              context); object -> once with it pushed; any
 *                              other truthy value -> once, context unchanged
 *   {{^name}}...{{/name}}      inverted section: rendered when the section
 *                              would be skipped
 *   {{> name}}                 partial, resolved through the partial callback
 *   {{! comment}}              nothing
 * Not supported: set-delimiter tags, lambdas. Standalone-line whitespace
 * rules are not applied (whitespace is copied as written).
 *
 * Name lookup walks the context stack from the innermost object outwards;
 * dotted names resolve the first part that way, then descend. Values render
 * as: string as is; integer in decimal; real with %g; true as "true";
 * false/null/missing as nothing; objects/arrays as nothing.
 *
 * Compiled templates are immutable and may be rendered from many threads at
 * once. Partial recursion is limited to depth 16 (deeper renders nothing and
 * returns TPL_E_DEPTH).
 */
#ifndef KANTEL_TEMPLATE_H
#define KANTEL_TEMPLATE_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"

typedef struct tpl tpl_t;

enum { TPL_OK = 0, TPL_E_SYNTAX = -1, TPL_E_DEPTH = -2, TPL_E_PARTIAL = -3 };

/* Compiles src[0..len). Returns NULL on a syntax error (unclosed tag, section
 * mismatch, empty name, nesting deeper than 64) with a message naming the line
 * in err. The template copies what it needs from src. */
tpl_t *tpl_compile(const char *name, const char *src, size_t len, char *err, size_t errlen);
void tpl_free(tpl_t *t);
const char *tpl_name(const tpl_t *t);

/* Returns the compiled partial called name, or NULL (-> TPL_E_PARTIAL). */
typedef const tpl_t *(*tpl_partial_fn)(void *ud, const char *name);

/* Appends the rendering of t over model to out. Returns TPL_OK or an error;
 * on error out holds what was rendered so far. */
int tpl_render(const tpl_t *t, json_t *model, tpl_partial_fn partial, void *ud, buf_t *out);

#endif
