/*
 * chart.h - an accessible SVG line chart (scores over time) for the progress
 * view.
 *
 * The SVG is self-contained: no scripts, no external references, no style
 * attributes (the CSP forbids inline styles), only presentation attributes.
 * It carries role="img" with aria-labelledby pointing at its <title> and
 * <desc>; each series differs in stroke-dasharray and marker fill, not only
 * in colour (WCAG 1.4.1); text is #1a1a1a and lines are at least 3:1 against
 * white. Sizes are fixed in the viewBox so the chart scales with its box.
 * The page should offer the same data as a table next to it (a template over
 * the same model).
 */
#ifndef KANTEL_CHART_H
#define KANTEL_CHART_H

#include "core/buf.h"

#define CHART_MAX_SERIES 8
#define CHART_MAX_POINTS 1000
#define CHART_ID_MAX     64

struct chart_series {
    const char *label; /* legend text (required) */
    int n;             /* number of values; points beyond n have no value */
    const int *values; /* values[i] for x point i; -1 = no value */
};

/*
 * Appends an <svg> element to out. Arguments:
 *   id        element id prefix, 1..CHART_ID_MAX chars of [a-z0-9-]; the SVG
 *             uses "<id>-title" and "<id>-desc". NULL generates a
 *             process-unique "chart-N".
 *   title     accessible name (required); desc accessible description or NULL.
 *   ymin,ymax value range, 0 <= ymin < ymax (-1 is reserved for "no value").
 *   n_points  1..CHART_MAX_POINTS points on the x axis; x_labels NULL (points
 *             are numbered 1..n) or n_points strings (a NULL entry is blank).
 *   series    n_series (0..CHART_MAX_SERIES) series; every value must be -1
 *             or in [ymin, ymax].
 * A missing value breaks the line: no marker there, and the polyline resumes
 * at the next value. All caller text is HTML-escaped.
 * Returns 0, or -1 on any invalid argument, in which case nothing is
 * appended. out stays owned by the caller.
 */
int chart_svg(buf_t *out, const char *id, const char *title, const char *desc, int ymin, int ymax, int n_points,
              const char *const *x_labels, int n_series, const struct chart_series *series);

#endif
