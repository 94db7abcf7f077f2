/* assets.c - lookup in the embedded asset table (see assets.h). */
#include "core/assets.h"

#include <string.h>

const struct asset *asset_find(const char *name)
{
    for (unsigned i = 0; i < kantel_assets_count; i++)
        if (strcmp(kantel_assets[i].name, name) == 0) return &kantel_assets[i];
    return NULL;
}
