/*
 * qr.h - QR codes (libqrencode) rendered as inline SVG, for TOTP enrolment.
 */
#ifndef KANTEL_QR_H
#define KANTEL_QR_H

#include "core/buf.h"

/* Appends an <svg> element (with role="img" and the Dutch aria-label given,
 * HTML-escaped) showing text as a QR code, error correction level M, a 4-module
 * quiet zone, black on white. Returns 0, or -1 when text does not fit a QR code. */
int qr_svg(const char *text, const char *label, buf_t *out);

#endif
