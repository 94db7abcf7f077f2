/* views.c - the registry of compiled templates (see views.h). */
#include "web/views.h"

#include <stdio.h>
#include <string.h>

#include "core/assets.h"
#include "core/buf.h"

#define MAX_VIEWS 128

static struct {
    char name[64];
    tpl_t *tpl;
} views[MAX_VIEWS];
static int n_views;

int views_init(char *err, size_t errlen)
{
    for (unsigned i = 0; i < kantel_assets_count; i++) {
        const struct asset *a = &kantel_assets[i];
        if (strncmp(a->name, "templates/", 10) != 0) continue;
        const char *base = a->name + 10;
        size_t n = strlen(base);
        if (n < 6 || strcmp(base + n - 5, ".html") != 0 || n - 5 >= sizeof views[0].name) continue;
        if (n_views == MAX_VIEWS) {
            snprintf(err, errlen, "too many templates");
            return -1;
        }
        char msg[256];
        tpl_t *t = tpl_compile(base, a->data, a->len, msg, sizeof msg);
        if (!t) {
            snprintf(err, errlen, "%s", msg);
            return -1;
        }
        snprintf(views[n_views].name, sizeof views[0].name, "%.*s", (int)(n - 5), base);
        views[n_views++].tpl = t;
    }
    return 0;
}

void views_free(void)
{
    for (int i = 0; i < n_views; i++) tpl_free(views[i].tpl);
    n_views = 0;
}

const tpl_t *views_get(const char *name)
{
    for (int i = 0; i < n_views; i++)
        if (strcmp(views[i].name, name) == 0) return views[i].tpl;
    return NULL;
}

static const tpl_t *partial(void *ud, const char *name)
{
    if (strcmp(name, "content") == 0) return views_get((const char *)ud);
    return views_get(name);
}

int views_render_page(const char *page, json_t *model, buf_t *out)
{
    const tpl_t *layout = views_get("layout");
    if (!layout || !views_get(page)) return TPL_E_PARTIAL;
    return tpl_render(layout, model, partial, (void *)page, out);
}
