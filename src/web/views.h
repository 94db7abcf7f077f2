/*
 * views.h - the compiled page templates (templates/NAME.html, embedded).
 * views_init() compiles them all once at start-up; afterwards lookups are
 * read-only and thread-safe. The page is rendered as the partial "content"
 * inside templates/layout.html.
 */
#ifndef KANTEL_VIEWS_H
#define KANTEL_VIEWS_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "web/template.h"

int views_init(char *err, size_t errlen);
void views_free(void);
const tpl_t *views_get(const char *name); /* name without "templates/" and ".html" */
/* Renders layout + page template over model into out. 0 or a TPL_E_* code. */
int views_render_page(const char *page, json_t *model, buf_t *out);

#endif
