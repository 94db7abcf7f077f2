/*
 * test_qr.c - qr_svg: the element shape, the escaped label, one <path>, the
 * module count for a known size, the drawn modules against libqrencode's
 * matrix, and the refusal of text too long for any QR code.
 */
#include "auth/qr.h"
#include "test.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

static int count_of(const char *hay, const char *needle)
{
    int c = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) c++;
    return c;
}

/* Fills grid (n*n) from the d attribute "M x y h w v 1 h -w z ...";
 * returns 0, or -1 on anything unexpected (overlap included). */
static int parse_path(const char *d, unsigned char *grid, int n)
{
    const char *p = d;
    while (*p && *p != '"') {
        int x, y, w, v, back, used = 0;
        if (sscanf(p, "M%d %dh%dv%dh-%dz%n", &x, &y, &w, &v, &back, &used) != 5 || used == 0)
            return -1;
        if (v != 1 || back != w || w < 1 || x < 0 || y < 0 || x + w > n || y >= n) return -1;
        for (int i = x; i < x + w; i++) {
            if (grid[y * n + i]) return -1;
            grid[y * n + i] = 1;
        }
        p += used;
    }
    return 0;
}

int main(void)
{
    /* An otpauth URI of exactly 100 characters: 8-bit mode at level M needs
     * version 6 (capacity 106 bytes; version 5 holds 84), 41 modules. */
    char uri[128];
    snprintf(uri, sizeof uri, "%s",
             "otpauth://totp/Kantel:j.de.vries%40gemeente.nl?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
             "&issuer=Kantel");
    size_t ulen = strlen(uri);
    while (ulen < 100) uri[ulen++] = 'x';
    uri[100] = '\0';
    CHECK(strlen(uri) == 100, "test URI is 100 characters");

    buf_t b = BUF_INIT;
    int rc = qr_svg(uri, "QR-code voor <Kantel> & de app", &b);
    CHECK(rc == 0, "qr_svg returns 0");
    const char *s = buf_cstr(&b);
    CHECK(strncmp(s, "<svg", 4) == 0, "output starts with <svg");
    CHECK(strstr(s, "xmlns=\"http://www.w3.org/2000/svg\"") != NULL, "has the SVG namespace");
    CHECK(strstr(s, "role=\"img\"") != NULL, "has role=\"img\"");
    CHECK(strstr(s, "aria-label=\"QR-code voor &lt;Kantel&gt; &amp; de app\"") != NULL,
          "label is HTML-escaped");
    CHECK(strstr(s, "<Kantel>") == NULL, "raw label does not appear");
    CHECK(count_of(s, "<path") == 1, "exactly one <path>");
    CHECK(count_of(s, "<rect") == 1, "exactly one background <rect>");
    CHECK(count_of(s, "<") == 4, "no other elements (svg, rect, path, </svg>)");
    CHECK(strstr(s, "crispEdges") != NULL, "crispEdges rendering");
    size_t slen = strlen(s);
    CHECK(slen >= 6 && strcmp(s + slen - 6, "</svg>") == 0, "ends with </svg>");

    int n = 0, n2 = 0;
    const char *vb = strstr(s, "viewBox=\"0 0 ");
    CHECK(vb && sscanf(vb, "viewBox=\"0 0 %d %d\"", &n, &n2) == 2 && n == n2,
          "square viewBox");
    CHECK(n == 6 * 4 + 17 + 8, "100-character URI: N = version 6 size (41) + 8, got %d", n);
    char wh[64];
    snprintf(wh, sizeof wh, "width=\"%d\" height=\"%d\"", n * 6, n * 6);
    CHECK(strstr(s, wh) != NULL, "width and height are 6 px per module");

    /* The drawn modules equal libqrencode's matrix inside a 4-module margin. */
    const char *d = strstr(s, " d=\"");
    CHECK(d != NULL, "path has a d attribute");
    if (d && n > 8) {
        unsigned char *grid = calloc((size_t)n * (size_t)n, 1);
        int prc = parse_path(d + 4, grid, n);
        CHECK(prc == 0, "d is a list of non-overlapping 1-module-high rectangles");
        QRcode *qr = QRcode_encodeString(uri, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
        int same = qr && qr->width + 8 == n;
        for (int y = 0; same && y < n; y++)
            for (int x = 0; same && x < n; x++) {
                int inside = x >= 4 && y >= 4 && x < n - 4 && y < n - 4;
                int dark = inside && (qr->data[(y - 4) * qr->width + (x - 4)] & 1);
                if (grid[y * n + x] != dark) same = 0;
            }
        CHECK(same, "modules match the QR matrix and the quiet zone is white");
        /* Runs are merged: no rectangle touches another on the same row. */
        int merged = 1;
        for (const char *p = d + 4; *p && *p != '"';) {
            int x, y, w, used = 0;
            if (sscanf(p, "M%d %dh%dv1h-%*dz%n", &x, &y, &w, &used) != 3 || !used) break;
            if (x > 0 && grid[y * n + x - 1]) merged = 0; /* a dark left neighbour */
            if (x + w < n && grid[y * n + x + w]) merged = 0;
            p += used;
        }
        CHECK(merged, "horizontal runs are merged into one rectangle each");
        if (qr) QRcode_free(qr);
        free(grid);
    }

    /* A NULL label gives an empty aria-label; appending keeps earlier bytes. */
    buf_reset(&b);
    buf_puts(&b, "<p>");
    CHECK(qr_svg("otpauth://totp/x?s=A", NULL, &b) == 0, "short text encodes");
    CHECK(strncmp(buf_cstr(&b), "<p><svg", 7) == 0, "qr_svg appends to the buffer");
    CHECK(strstr(buf_cstr(&b), "aria-label=\"\"") != NULL, "NULL label is empty");
    CHECK(strstr(buf_cstr(&b), "viewBox=\"0 0 33 33\"") != NULL,
          "20 bytes at level M: version 2 (25 modules) + 8");

    /* Too long for any QR code (version 40-M holds 2331 bytes). */
    char *big = malloc(8001);
    memset(big, 'a', 8000);
    big[8000] = '\0';
    buf_reset(&b);
    CHECK(qr_svg(big, "te lang", &b) == -1, "8000 characters return -1");
    CHECK(b.len == 0, "nothing appended on failure");
    big[2332] = '\0';
    CHECK(qr_svg(big, "te lang", &b) == -1, "2332 bytes (over 40-M capacity) return -1");
    big[2331] = '\0';
    buf_reset(&b);
    CHECK(qr_svg(big, "net", &b) == 0, "2331 bytes (40-M capacity) fit");
    CHECK(strstr(buf_cstr(&b), "viewBox=\"0 0 185 185\"") != NULL, "version 40: 177 + 8");
    free(big);
    buf_free(&b);
    return t_done();
}
