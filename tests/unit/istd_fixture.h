/*
 * istd_fixture.h - test helpers shared by the iStandaarden unit tests
 * (test_istd_xml.c, test_istd_process.c): where the official schemas are
 * (KANTEL_SHARED or ../shared, as scripts/check sets it), small file helpers,
 * and a temporary schema directory in which the iWmo retour schemas are
 * derived.
 *
 * The iWmo retour schemas (WMO302, 306, 308, 316, 318, 320, 325) are not
 * published in ../shared/istd. make_schema_dir() copies both laws into a
 * fresh /tmp/istd_xsd_XXXXXX and DERIVES them there from the iJw ones
 * (namespaces ijw -> iwmo and jwNNN -> wmoNNN, the iWmo BerichtCode in the
 * pattern, without the iJw-only elements GezagsdragerBekend and
 * Woonplaatsbeginsel), as DOMAIN.md §8 and the README say they mirror them.
 * Validation of iWmo retours is therefore only as good as that derivation.
 * rm_tree() removes the directory again (only paths under /tmp/istd_).
 *
 * Everything is static inline: a test uses what it needs, without warnings
 * for the rest. Buffers returned by istd_dir() are static.
 */
#ifndef KANTEL_TEST_ISTD_FIXTURE_H
#define KANTEL_TEST_ISTD_FIXTURE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "istd/istd.h"

/* The directory with ijw-3.2/ and iwmo-3.2/ (official material, read only). */
static inline const char *istd_dir(void)
{
    static char buf[512];
    const char *shared = getenv("KANTEL_SHARED");
    snprintf(buf, sizeof buf, "%s/istd", shared && *shared ? shared : "../shared");
    return buf;
}

static inline int read_file(const char *path, buf_t *out)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(out, chunk, n);
    fclose(f);
    return 0;
}

static inline int write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t n = fwrite(data, 1, len, f);
    return fclose(f) == 0 && n == len ? 0 : -1;
}

/* Copies every regular file of src into dst. */
static inline int copy_dir(const char *src, const char *dst)
{
    DIR *d = opendir(src);
    if (!d) return -1;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        char from[2048], to[2048];
        if (e->d_name[0] == '.') continue;
        snprintf(from, sizeof from, "%s/%s", src, e->d_name);
        snprintf(to, sizeof to, "%s/%s", dst, e->d_name);
        buf_t b = BUF_INIT;
        if (read_file(from, &b) < 0 || write_file(to, b.data ? b.data : "", b.len) < 0) rc = -1;
        buf_free(&b);
    }
    closedir(d);
    return rc;
}

static inline void rm_tree(const char *dir)
{
    char cmd[1200];
    if (strncmp(dir, "/tmp/istd_", 10) != 0) return; /* only what mkdtemp made here */
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) printf("# could not remove %s\n", dir);
}

/* Appends in with every from replaced by to. */
static inline void replace_all(buf_t *out, const char *in, const char *from, const char *to)
{
    size_t fl = strlen(from);
    const char *p;
    while ((p = strstr(in, from))) {
        buf_append(out, in, (size_t)(p - in));
        buf_puts(out, to);
        in = p + fl;
    }
    buf_puts(out, in);
}

/* Removes from s the first block from the line holding open up to and
 * including the line holding the first close after it. */
static inline void cut_block(buf_t *s, const char *open, const char *close)
{
    char *start = strstr(buf_cstr(s), open);
    if (!start) return;
    char *end = strstr(start, close);
    if (!end) return;
    while (start > s->data && start[-1] != '\n') start--;
    end += strlen(close);
    while (*end && *end != '\n') end++;
    if (*end) end++;
    memmove(start, end, strlen(end) + 1);
    s->len = strlen(s->data);
}

/* WMOnnn.xsd of an iWmo retour, derived from JWnnn.xsd (see the top). */
static inline int derive_wmo(const char *shared, const char *dir, istd_kind k)
{
    char path[1024];
    buf_t src = BUF_INIT, a = BUF_INIT, b = BUF_INIT, c = BUF_INIT;
    snprintf(path, sizeof path, "%s/ijw-3.2/%s.xsd", shared, istd_message_name(ISTD_JW, k));
    int rc = read_file(path, &src);
    if (rc == 0) {
        replace_all(&a, buf_cstr(&src), "ijw", "iwmo");
        replace_all(&b, buf_cstr(&a), "jw3", "wmo3");
        char from[32], to[32];
        snprintf(from, sizeof from, "<xs:pattern value=\"%d\"/>", istd_berichtcode(ISTD_JW, k));
        snprintf(to, sizeof to, "<xs:pattern value=\"%d\"/>", istd_berichtcode(ISTD_WMO, k));
        buf_reset(&a);
        replace_all(&a, buf_cstr(&b), from, to);
        replace_all(&c, buf_cstr(&a), ">0.1.0<", ">1.0.0<");
        cut_block(&c, "<xs:element name=\"GezagsdragerBekend\"", "</xs:element>");
        cut_block(&c, "<xs:element name=\"Woonplaatsbeginsel\"", "</xs:element>");
        cut_block(&c, "<xs:complexType name=\"Woonplaatsbeginsel\"", "</xs:complexType>");
        snprintf(path, sizeof path, "%s/iwmo-3.2/%s.xsd", dir, istd_message_name(ISTD_WMO, k));
        rc = write_file(path, c.data, c.len);
    }
    buf_free(&src);
    buf_free(&a);
    buf_free(&b);
    buf_free(&c);
    return rc;
}

/* A temporary schema directory: both laws copied, the iWmo retours derived. */
static inline int make_schema_dir(char *tmp, size_t n)
{
    char sub[1024], src[1024];
    snprintf(tmp, n, "/tmp/istd_xsd_XXXXXX");
    if (!mkdtemp(tmp)) return -1;
    for (int l = 0; l < 2; l++) {
        snprintf(sub, sizeof sub, "%s/%s-3.2", tmp, istd_law_name(l == 0 ? ISTD_WMO : ISTD_JW));
        snprintf(src, sizeof src, "%s/%s-3.2", istd_dir(), istd_law_name(l == 0 ? ISTD_WMO : ISTD_JW));
        if (mkdir(sub, 0700) < 0 || copy_dir(src, sub) < 0) return -1;
    }
    for (int k = 0; k < IK_COUNT; k++)
        if (istd_is_retour((istd_kind)k) && derive_wmo(istd_dir(), tmp, (istd_kind)k) < 0) return -1;
    return 0;
}

#endif
