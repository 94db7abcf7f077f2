/*
 * assets.h - files compiled into the binary at build time (tools/embed.c):
 * templates/NAME.html, migrations/NNNN_name.sql, static/FILE, data/FILE.
 * The bytes are static and NUL-terminated; nobody frees them.
 */
#ifndef KANTEL_ASSETS_H
#define KANTEL_ASSETS_H

#include <stddef.h>

struct asset {
    const char *name;
    const char *data;
    size_t len;
    const char *etag; /* quoted, ready for an ETag header */
};

extern const struct asset kantel_assets[];
extern const unsigned kantel_assets_count;

/* NULL when there is no asset of that name. */
const struct asset *asset_find(const char *name);

#endif
