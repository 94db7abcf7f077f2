/* arena.c - per-request bump allocator (see arena.h). */
#include "core/arena.h"
#include "core/buf.h"

#include <stdarg.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct chunk {
    struct chunk *next;
    size_t size, used;
    alignas(max_align_t) unsigned char mem[];
};

struct arena {
    struct chunk *head;  /* current chunk; the first chunk is last in the list */
    size_t chunk_size;
    size_t total;
};

static struct chunk *chunk_new(size_t size)
{
    struct chunk *c = xmalloc(sizeof *c + size);
    c->next = NULL;
    c->size = size;
    c->used = 0;
    return c;
}

arena_t *arena_new(size_t chunk_size)
{
    arena_t *a = xmalloc(sizeof *a);
    a->chunk_size = chunk_size ? chunk_size : 16384;
    a->head = chunk_new(a->chunk_size);
    a->total = 0;
    return a;
}

void arena_free(arena_t *a)
{
    if (!a) return;
    for (struct chunk *c = a->head, *n; c; c = n) {
        n = c->next;
        free(c);
    }
    free(a);
}

void arena_reset(arena_t *a)
{
    struct chunk *c = a->head;
    while (c->next) {
        struct chunk *n = c->next;
        free(c);
        c = n;
    }
    c->used = 0;
    a->head = c;
    a->total = 0;
}

void *arena_alloc(arena_t *a, size_t n)
{
    const size_t al = alignof(max_align_t);
    size_t need = (n + al - 1) & ~(al - 1);
    if (need == 0) need = al;
    struct chunk *c = a->head;
    if (c->size - c->used < need) {
        size_t size = need > a->chunk_size ? need : a->chunk_size;
        struct chunk *nc = chunk_new(size);
        /* keep the first chunk at the tail so reset can keep it */
        nc->next = c;
        a->head = c = nc;
    }
    void *p = c->mem + c->used;
    c->used += need;
    a->total += need;
    return p;
}

void *arena_calloc(arena_t *a, size_t n)
{
    void *p = arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *arena_strndup(arena_t *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena_t *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_printf(arena_t *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

size_t arena_used(const arena_t *a) { return a->total; }
