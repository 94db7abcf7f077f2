/*
 * arena.h - per-request bump allocator.
 *
 * Everything allocated from an arena lives until arena_reset()/arena_free();
 * nothing is freed individually. One arena belongs to one request and one
 * thread. Allocation never fails (out-of-memory aborts).
 */
#ifndef KANTEL_ARENA_H
#define KANTEL_ARENA_H

#include <stddef.h>

typedef struct arena arena_t;

arena_t *arena_new(size_t chunk_size);  /* chunk_size 0 = 16 KiB */
void arena_free(arena_t *a);
/* Frees every chunk but the first, and makes the arena empty again. */
void arena_reset(arena_t *a);
/* Memory aligned to max_align_t; n == 0 returns a valid unique pointer. */
void *arena_alloc(arena_t *a, size_t n);
void *arena_calloc(arena_t *a, size_t n);
char *arena_strdup(arena_t *a, const char *s);
char *arena_strndup(arena_t *a, const char *s, size_t n);
char *arena_printf(arena_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Total bytes handed out since the last reset (for limits and tests). */
size_t arena_used(const arena_t *a);

#endif
