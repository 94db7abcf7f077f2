/*
 * fuzz_config.c - libFuzzer target for the INI reader in src/core/config.c:
 * config_reset() and config_parse_ini() on arbitrary bytes. Whatever is
 * accepted must leave every key readable.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];

    config_reset();
    err[0] = '\0';
    if (config_parse_ini((const char *)data, size, "fuzz.conf", err, sizeof err) != 0) {
        if (strncmp(err, "fuzz.conf:", 10) != 0) abort(); /* errors name their line */
        return 0;
    }
    for (const struct config_key *k = config_keys; k->name; k++)
        if (config_get(k->name) == NULL || config_source(k->name) == NULL) abort();
    return 0;
}
