/*
 * chart.c - the SVG line chart of chart.h: validation first (so a refused
 * call appends nothing), then axes, grid, series and legend with integer
 * coordinates in a fixed viewBox (no floating point, so no locale effects).
 */
#include "web/chart.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* Layout of the viewBox (user units). */
enum {
    W = 640,
    PLOT_L = 56, /* left edge of the plot: y tick labels sit left of it */
    PLOT_R = 624,
    PLOT_T = 16,
    PLOT_B = 256,
    PAD_X = 40, /* keeps markers and x labels clear of the axis and the edge */
    XLABEL_Y = PLOT_B + 22,
    LEGEND_Y = PLOT_B + 52, /* baseline area of the first legend row */
    LEGEND_ROW = 24,
    MAX_X_LABELS = 7, /* more labels than this would overlap; thin them out */
    MAX_Y_TICKS = 10,
};

/* Per series: line colour (all at least 4.5:1 on white), dash pattern (all
 * distinct: the series differ without colour) and whether markers are
 * hollow (alternating, a second non-colour cue). */
static const struct {
    const char *colour;
    const char *dash;
    int hollow;
} styles[CHART_MAX_SERIES] = {
    /* clang-format off */
    {"#1d4f91", "none", 0},
    {"#a4262c", "8 4", 1},
    {"#2b6a2f", "2 4", 0},
    {"#6b2c91", "12 4 2 4", 1},
    {"#7a4a00", "4 4", 0},
    {"#00646e", "16 6", 1},
    {"#a3195b", "2 2", 0},
    {"#3c4a54", "8 3 2 3 2 3", 1},
    /* clang-format on */
};

static const char TEXT_COLOUR[] = "#1a1a1a";
static const char GRID_COLOUR[] = "#d9d9d9";

static atomic_uint next_id;

static int id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > CHART_ID_MAX) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return 0;
    }
    return 1;
}

static int args_ok(const buf_t *out, const char *id, const char *title, int ymin, int ymax, int n_points, int n_series,
                   const struct chart_series *series)
{
    if (!out || !title) return 0;
    if (id && !id_ok(id)) return 0;
    if (ymin < 0 || ymax <= ymin || ymax - ymin > 1000000) return 0;
    if (n_points < 1 || n_points > CHART_MAX_POINTS) return 0;
    if (n_series < 0 || n_series > CHART_MAX_SERIES || (n_series > 0 && !series)) return 0;
    for (int s = 0; s < n_series; s++) {
        const struct chart_series *se = &series[s];
        if (!se->label || se->n < 0 || (se->n > 0 && !se->values)) return 0;
        for (int i = 0; i < se->n && i < n_points; i++) {
            int v = se->values[i];
            if (v != -1 && (v < ymin || v > ymax)) return 0;
        }
    }
    return 1;
}

static void text(buf_t *out, const char *s)
{
    if (s) buf_html(out, s, strlen(s));
}

static int x_at(int i, int n_points)
{
    if (n_points == 1) return (PLOT_L + PLOT_R) / 2;
    int span = (PLOT_R - PAD_X) - (PLOT_L + PAD_X);
    return PLOT_L + PAD_X + (int)(((long long)i * span * 2 + (n_points - 1)) / (2LL * (n_points - 1)));
}

static int y_at(int v, int ymin, int ymax)
{
    long long span = PLOT_B - PLOT_T, range = (long long)ymax - ymin;
    return PLOT_B - (int)(((long long)(v - ymin) * span * 2 + range) / (2 * range));
}

/* The value of series se at point i, or -1. */
static int value_at(const struct chart_series *se, int i)
{
    return i < se->n ? se->values[i] : -1;
}

static void marker(buf_t *out, int x, int y, int s)
{
    buf_printf(out, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/>", x, y,
               styles[s].hollow ? "#ffffff" : styles[s].colour);
}

int chart_svg(buf_t *out, const char *id, const char *title, const char *desc, int ymin, int ymax, int n_points,
              const char *const *x_labels, int n_series, const struct chart_series *series)
{
    if (!args_ok(out, id, title, ymin, ymax, n_points, n_series, series)) return -1;

    char gen[32];
    if (!id) {
        snprintf(gen, sizeof gen, "chart-%u", atomic_fetch_add(&next_id, 1u) + 1u);
        id = gen;
    }
    int height = LEGEND_Y + n_series * LEGEND_ROW;

    /* id is [a-z0-9-] only, so it is safe in attributes without escaping */
    buf_printf(out,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" "
               "aria-labelledby=\"%s-title%s%s%s\" viewBox=\"0 0 %d %d\">",
               id, desc ? " " : "", desc ? id : "", desc ? "-desc" : "", W, height);
    buf_printf(out, "<title id=\"%s-title\">", id);
    text(out, title);
    buf_puts(out, "</title>");
    if (desc) {
        buf_printf(out, "<desc id=\"%s-desc\">", id);
        text(out, desc);
        buf_puts(out, "</desc>");
    }

    /* y ticks: at most MAX_Y_TICKS steps, whole numbers */
    int range = ymax - ymin;
    int step = (range + MAX_Y_TICKS - 1) / MAX_Y_TICKS;
    buf_printf(out, "<g class=\"chart-grid\" stroke=\"%s\" stroke-width=\"1\">", GRID_COLOUR);
    for (int v = ymin; v <= ymax; v += step)
        buf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", PLOT_L, y_at(v, ymin, ymax), PLOT_R,
                   y_at(v, ymin, ymax));
    buf_puts(out, "</g>");

    buf_printf(out, "<g class=\"chart-axes\" stroke=\"%s\" stroke-width=\"1.5\">", TEXT_COLOUR);
    buf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", PLOT_L, PLOT_T, PLOT_L, PLOT_B);
    buf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", PLOT_L, PLOT_B, PLOT_R, PLOT_B);
    buf_puts(out, "</g>");

    buf_printf(out, "<g class=\"chart-labels\" fill=\"%s\" font-size=\"13\">", TEXT_COLOUR);
    for (int v = ymin; v <= ymax; v += step)
        buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>", PLOT_L - 8, y_at(v, ymin, ymax) + 4,
                   v);
    int lstep = (n_points + MAX_X_LABELS - 1) / MAX_X_LABELS;
    for (int i = 0; i < n_points; i += lstep) {
        buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", x_at(i, n_points), XLABEL_Y);
        if (x_labels)
            text(out, x_labels[i]);
        else
            buf_printf(out, "%d", i + 1);
        buf_puts(out, "</text>");
    }
    buf_puts(out, "</g>");

    for (int s = 0; s < n_series; s++) {
        const struct chart_series *se = &series[s];
        buf_printf(out,
                   "<g class=\"chart-series\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" "
                   "stroke-dasharray=\"%s\" stroke-linejoin=\"round\">",
                   styles[s].colour, styles[s].dash);
        /* one polyline per run of two or more consecutive values */
        for (int i = 0; i < n_points;) {
            if (value_at(se, i) < 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < n_points && value_at(se, j) >= 0) j++;
            if (j - i >= 2) {
                buf_puts(out, "<polyline points=\"");
                for (int k = i; k < j; k++)
                    buf_printf(out, "%s%d,%d", k > i ? " " : "", x_at(k, n_points), y_at(value_at(se, k), ymin, ymax));
                buf_puts(out, "\"/>");
            }
            i = j;
        }
        buf_puts(out, "</g>");
        buf_printf(out, "<g class=\"chart-markers\" stroke=\"%s\" stroke-width=\"2\">", styles[s].colour);
        for (int i = 0; i < n_points; i++)
            if (value_at(se, i) >= 0) marker(out, x_at(i, n_points), y_at(value_at(se, i), ymin, ymax), s);
        buf_puts(out, "</g>");
    }

    if (n_series > 0) {
        buf_printf(out, "<g class=\"chart-legend\" font-size=\"13\">");
        for (int s = 0; s < n_series; s++) {
            int y = LEGEND_Y - 4 + s * LEGEND_ROW;
            buf_printf(out,
                       "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2.5\" "
                       "stroke-dasharray=\"%s\"/>",
                       PLOT_L, y, PLOT_L + 40, y, styles[s].colour, styles[s].dash);
            buf_printf(out, "<g stroke=\"%s\" stroke-width=\"2\">", styles[s].colour);
            marker(out, PLOT_L + 20, y, s);
            buf_puts(out, "</g>");
            buf_printf(out, "<text x=\"%d\" y=\"%d\" fill=\"%s\">", PLOT_L + 52, y + 4, TEXT_COLOUR);
            text(out, series[s].label);
            buf_puts(out, "</text>");
        }
        buf_puts(out, "</g>");
    }
    buf_puts(out, "</svg>");
    return 0;
}
