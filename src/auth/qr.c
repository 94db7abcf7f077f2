/*
 * qr.c - QR codes (libqrencode, level M, 8-bit, case-sensitive) as one
 * inline <svg>: a white background <rect> and one <path> whose d draws every
 * horizontal run of dark modules as a single rectangle. Coordinates are in
 * modules (viewBox), each module is 6 CSS pixels; a 4-module quiet zone.
 */
#include "auth/qr.h"

#include <qrencode.h>
#include <string.h>

#define QR_QUIET 4
#define QR_PIXELS 6

int qr_svg(const char *text, const char *label, buf_t *out)
{
    if (!text || !*text) return -1;
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) return -1; /* ERANGE: too long; ENOMEM; EINVAL */

    int w = qr->width;
    int n = w + 2 * QR_QUIET;
    if (!label) label = "";
    buf_printf(out,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
               "height=\"%d\" role=\"img\" aria-label=\"",
               n, n, n * QR_PIXELS, n * QR_PIXELS);
    buf_html(out, label, strlen(label));
    buf_puts(out, "\" shape-rendering=\"crispEdges\">"
                  "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
    for (int y = 0; y < w; y++) {
        const unsigned char *row = qr->data + (size_t)y * (size_t)w;
        int x = 0;
        while (x < w) {
            if (!(row[x] & 1)) {
                x++;
                continue;
            }
            int start = x;
            while (x < w && (row[x] & 1)) x++;
            int run = x - start;
            buf_printf(out, "M%d %dh%dv1h-%dz", start + QR_QUIET, y + QR_QUIET, run, run);
        }
    }
    buf_puts(out, "\"/></svg>");
    QRcode_free(qr);
    return 0;
}
