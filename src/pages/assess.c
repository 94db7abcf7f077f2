/*
 * assess.c - assessments (metingen) of household members with the
 * instruments of domain/instrument.h: the overview per member with the
 * progress of one member on one instrument (small SVG charts per domain plus
 * a full data table), the form for a new assessment and storing it.
 *
 * Routes: src/http/routes_assess.def. Every handler starts with hh_load()
 * (need-to-know; the two form handlers through form_subject()); person ids from the URL or form must belong to that
 * household, otherwise the answer is 404 (no hint that the person exists).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/assess.h"
#include "domain/calendar.h"
#include "domain/instrument.h"
#include "pages/hh.h"
#include "pages/pages.h"
#include "web/chart.h"

#define PROGRESS_POINTS    12 /* measurements shown in the progress view */
#define HOUSEHOLD_LIST_MAX 500
#define NOT_A_MEMBER       "Deze persoon hoort niet bij dit huishouden."

/* ---- small helpers ------------------------------------------------------ */

static day_t today_day(void)
{
    return day_today_amsterdam(now_s());
}

/* "2026-11-03" -> "3-11-2026" (arena); the input itself when malformed. */
static const char *short_date(http_req_t *req, const char *iso)
{
    day_t d;
    if (day_parse(iso, &d) != 0) return iso;
    int y, m, dd;
    day_to_ymd(d, &y, &m, &dd);
    return arena_printf(req->arena, "%d-%d-%d", dd, m, y);
}

/* "dinsdag 3 november 2026" (arena); the input itself when malformed. */
static const char *long_date(http_req_t *req, const char *iso)
{
    day_t d;
    if (day_parse(iso, &d) != 0) return iso;
    char s[48];
    day_format_nl(d, s, sizeof s);
    return arena_strdup(req->arena, s);
}

/* Whole days between the assessment date and today (-1 when malformed). */
static int age_days(const char *iso, day_t today)
{
    day_t d;
    return day_parse(iso, &d) == 0 ? (int)(today - d) : -1;
}

/* The name the page shows for a domain: residents' instruments use B1 names. */
static const char *domain_label(const struct instrument *inst, const struct instrument_domain *d)
{
    return strcmp(inst->audience, "resident") == 0 ? d->name_b1 : d->name;
}

/* Parses a person id (query or form value); 0 when absent or malformed. */
static int64_t person_param(const char *v)
{
    int64_t id;
    return v && parse_i64(v, 1, INT64_MAX / 2, &id) == 0 ? id : 0;
}

/* "/huishoudens/<household>/metingen<page>?persoon=<person>&instrument=<code>"
 * plus tail (arena): the overview with one person's progress (page "") or
 * the form for a new assessment (page "/nieuw"). */
static const char *assess_href(http_req_t *req, int64_t household_id, const char *page, int64_t person_id,
                               const char *instrument, const char *tail)
{
    return arena_printf(req->arena, "/huishoudens/%lld/metingen%s?persoon=%lld&instrument=%s%s",
                        (long long)household_id, page, (long long)person_id, instrument, tail);
}

static json_t *member_by_id(json_t *members, int64_t id)
{
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        if (json_integer_value(json_object_get(m, "id")) == id) return m;
    }
    return NULL;
}

static const char *relation_label(const char *code)
{
    static const char *const map[][2] = {
        {"hoofdbewoner", "hoofdbewoner"},
        {"partner", "partner"},
        {"kind", "kind"},
        {"ouder", "ouder"},
        {"pleegkind", "pleegkind"},
        {"broer_zus", "broer of zus"},
        {"grootouder", "grootouder"},
        {"overig", "overig"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], code) == 0) return map[i][1];
    return code;
}

/* [{code, name, value, label}] of the scored domains, in instrument order. */
static json_t *scores_list(const struct instrument *inst, json_t *scores)
{
    json_t *list = json_array();
    for (int i = 0; i < inst->n_domains; i++) {
        const struct instrument_domain *d = &inst->domains[i];
        json_t *v = json_object_get(scores, d->code);
        if (!json_is_integer(v)) continue;
        int value = (int)json_integer_value(v);
        const struct instrument_level *l = instrument_scale_level(inst, value);
        json_t *o = json_pack("{s:s, s:s, s:i}", "code", d->code, "name", domain_label(inst, d), "value", value);
        json_object_set_new(o, "label", l && l->label ? json_string(l->label) : json_null());
        json_array_append_new(list, o);
    }
    return list;
}

static void audit_assessment(http_req_t *req, int64_t id, const char *detail)
{
    http_audit(req, "assessment.create", "assessment", id, "ok", detail);
}

/* ---- the overview and the progress ------------------------------------- */

static const char *trend_nl(const char *trend)
{
    if (strcmp(trend, "improved") == 0) return "vooruitgegaan";
    if (strcmp(trend, "worse") == 0) return "achteruitgegaan";
    return "gelijk gebleven";
}

/* The change between the last two measurements (list ascending), or NULL. */
static json_t *change_model(http_req_t *req, const struct instrument *inst, json_t *list)
{
    size_t n = json_array_size(list);
    if (n < 2) return NULL;
    json_t *prev = json_array_get(list, n - 2), *cur = json_array_get(list, n - 1);
    json_t *p = NULL;
    if (instrument_progress(inst, json_object_get(prev, "scores"), json_object_get(cur, "scores"), &p) < 0) return NULL;
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(p, "domains"), i, d)
    {
        const char *trend = json_string_value(json_object_get(d, "trend"));
        json_int_t diff = json_integer_value(json_object_get(d, "diff"));
        const struct instrument_domain *dom = instrument_domain(inst, json_string_value(json_object_get(d, "code")));
        json_object_set_new(d, "label", json_string(dom ? domain_label(inst, dom) : ""));
        json_object_set_new(d, "trend_nl", json_string(trend_nl(trend)));
        json_object_set_new(d, "diff_text",
                            json_string(arena_printf(req->arena, "%s%lld", diff > 0 ? "+" : "", (long long)diff)));
    }
    const char *from = json_string_value(json_object_get(prev, "date"));
    const char *to = json_string_value(json_object_get(cur, "date"));
    json_object_set_new(p, "from", json_string(from));
    json_object_set_new(p, "to", json_string(to));
    json_object_set_new(p, "from_nl", json_string(long_date(req, from)));
    json_object_set_new(p, "to_nl", json_string(long_date(req, to)));
    json_object_set_new(p, "compared", json_integer((json_int_t)json_array_size(json_object_get(p, "domains"))));
    return p;
}

/* One chart per domain that has at least one score (small multiples: one
 * line per chart stays readable; 13 lines in one chart would not). */
static json_t *charts_model(http_req_t *req, const struct instrument *inst, json_t *list, const char *person_name)
{
    json_t *charts = json_array();
    size_t n = json_array_size(list);
    if (n == 0) return charts;
    const char **labels = arena_alloc(req->arena, n * sizeof *labels);
    int *values = arena_alloc(req->arena, n * sizeof *values);
    for (size_t k = 0; k < n; k++)
        labels[k] = short_date(req, json_string_value(json_object_get(json_array_get(list, k), "date")));
    const char *lo = inst->scale[0].label, *hi = inst->scale[instrument_levels(inst) - 1].label;
    for (int i = 0; i < inst->n_domains; i++) {
        const struct instrument_domain *d = &inst->domains[i];
        int scored = 0, first = -1, last = -1;
        buf_t desc = BUF_INIT;
        buf_printf(&desc, "%s van %s, schaal %d", inst->name, person_name, inst->min);
        if (lo) buf_printf(&desc, " (%s)", lo);
        buf_printf(&desc, " tot %d", inst->max);
        if (hi) buf_printf(&desc, " (%s)", hi);
        buf_puts(&desc, ". Scores:");
        for (size_t k = 0; k < n; k++) {
            json_t *v = json_object_get(json_object_get(json_array_get(list, k), "scores"), d->code);
            int ok = json_is_integer(v) && json_integer_value(v) >= inst->min && json_integer_value(v) <= inst->max;
            values[k] = ok ? (int)json_integer_value(v) : -1;
            if (ok) {
                if (first < 0) first = values[k];
                last = values[k];
                buf_printf(&desc, "%s %s: %d", scored ? ";" : "", labels[k], values[k]);
                scored++;
            }
        }
        buf_puts(&desc, ".");
        if (!scored) {
            buf_free(&desc);
            continue;
        }
        char id[CHART_ID_MAX + 1];
        snprintf(id, sizeof id, "voortgang-%s", d->code);
        for (char *c = id; *c; c++)
            if (*c == '_') *c = '-';
        struct chart_series s = {.label = domain_label(inst, d), .n = (int)n, .values = values};
        buf_t svg = BUF_INIT;
        const char *title = arena_printf(req->arena, "%s: score per meting", domain_label(inst, d));
        if (chart_svg(&svg, id, title, buf_cstr(&desc), inst->min, inst->max, (int)n, labels, 1, &s) == 0) {
            const char *summary =
                scored == 1    ? arena_printf(req->arena, "Eén meting: %d.", last)
                : last > first ? arena_printf(req->arena, "Van %d naar %d: vooruitgegaan.", first, last)
                : last < first ? arena_printf(req->arena, "Van %d naar %d: achteruitgegaan.", first, last)
                               : arena_printf(req->arena, "Van %d naar %d: gelijk gebleven.", first, last);
            json_array_append_new(charts, json_pack("{s:s, s:s, s:s, s:s}", "code", d->code, "name",
                                                    domain_label(inst, d), "svg", buf_cstr(&svg), "summary", summary));
        }
        buf_free(&svg);
        buf_free(&desc);
    }
    return charts;
}

/* The progress of one person on one instrument. */
static json_t *progress_model(http_req_t *req, int64_t household_id, json_t *person, const struct instrument *inst,
                              day_t today)
{
    db_t *db = db_thread();
    int64_t pid = json_integer_value(json_object_get(person, "id"));
    const char *pname = json_string_value(json_object_get(person, "name"));
    json_t *list = assess_list(db, household_id, pid, inst->code, 1, PROGRESS_POINTS);
    json_t *all = assess_list(db, household_id, pid, inst->code, 0, 0);
    size_t n = json_array_size(list), total = json_array_size(all);
    json_decref(all);

    json_t *p = json_object();
    json_object_set_new(p, "person_id", json_integer(pid));
    json_object_set_new(p, "person_name", json_string(pname));
    json_object_set_new(p, "instrument",
                        json_pack("{s:s, s:s, s:i, s:i, s:i}", "code", inst->code, "name", inst->name, "min", inst->min,
                                  "max", inst->max, "max_age_days", inst->max_age_days));
    json_object_set_new(p, "count", json_integer((json_int_t)n));
    json_object_set_new(p, "total", json_integer((json_int_t)total));
    json_object_set_new(p, "limited", json_boolean(total > n));
    json_object_set_new(p, "enough", json_boolean(n >= 2));
    json_object_set_new(p, "new_href", json_string(assess_href(req, household_id, "/nieuw", pid, inst->code, "")));

    json_t *columns = json_array();
    size_t k;
    json_t *a;
    json_array_foreach(list, k, a)
    {
        const char *date = json_string_value(json_object_get(a, "date"));
        int age = age_days(date, today);
        json_array_append_new(columns,
                              json_pack("{s:I, s:s, s:s, s:s, s:b}", "id", json_integer_value(json_object_get(a, "id")),
                                        "date", date, "date_short", short_date(req, date), "date_nl",
                                        long_date(req, date), "outdated", !instrument_is_current(inst, age)));
    }
    json_object_set_new(p, "columns", columns);

    json_t *rows = json_array();
    for (int i = 0; i < inst->n_domains; i++) {
        const struct instrument_domain *d = &inst->domains[i];
        json_t *cells = json_array();
        json_array_foreach(list, k, a)
        {
            json_t *v = json_object_get(json_object_get(a, "scores"), d->code);
            if (json_is_integer(v))
                json_array_append_new(cells,
                                      json_pack("{s:I, s:s}", "value", json_integer_value(v), "text",
                                                arena_printf(req->arena, "%lld", (long long)json_integer_value(v))));
            else
                json_array_append_new(cells, json_pack("{s:n, s:s}", "value", "text", "–"));
        }
        json_array_append_new(
            rows, json_pack("{s:s, s:s, s:o}", "code", d->code, "name", domain_label(inst, d), "cells", cells));
    }
    json_object_set_new(p, "rows", rows);
    json_object_set_new(p, "charts", charts_model(req, inst, list, pname));

    json_t *change = change_model(req, inst, list);
    json_object_set_new(p, "change", change ? change : json_null());
    if (n > 0) {
        const char *date = json_string_value(json_object_get(json_array_get(list, n - 1), "date"));
        int age = age_days(date, today);
        json_object_set_new(p, "latest", json_string(date));
        json_object_set_new(p, "latest_nl", json_string(long_date(req, date)));
        json_object_set_new(p, "latest_age_days", json_integer(age));
        json_object_set_new(p, "latest_outdated", json_boolean(!instrument_is_current(inst, age)));
    }
    json_decref(list);
    return p;
}

static json_t *instruments_model(const char *selected)
{
    json_t *list = json_array();
    for (int i = 0; i < instrument_count(); i++) {
        const struct instrument *in = instrument_at(i);
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b}", "code", in->code, "name", in->name, "audience",
                                              in->audience, "selected", selected && strcmp(selected, in->code) == 0));
    }
    return list;
}

void page_assessments(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    db_t *db = db_thread();
    day_t today = today_day();
    char today_s[11];
    day_format(today, today_s);

    const char *pv = kv_get(&req->query, "persoon"), *iv = kv_get(&req->query, "instrument");
    const struct instrument *inst = instrument_find(iv && *iv ? iv : "zrm");
    if (!inst || json_object_get(req->errors, "instrument")) {
        http_error(req, 404, "Dit meetinstrument bestaat niet.");
        return;
    }
    json_t *members = assess_members(db, h.id, today_s);
    int64_t pid = 0;
    if (pv && *pv) {
        pid = person_param(pv);
        if (!pid || !member_by_id(members, pid)) {
            json_decref(members);
            http_error(req, 404, NOT_A_MEMBER);
            return;
        }
    } else if (json_array_size(members) > 0) {
        pid = json_integer_value(json_object_get(json_array_get(members, 0), "id"));
    }

    /* All assessments of the household, newest first, spread over the members. */
    json_t *all = assess_list(db, h.id, 0, NULL, 0, HOUSEHOLD_LIST_MAX);
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        int64_t mid = json_integer_value(json_object_get(m, "id"));
        json_object_set_new(m, "relation_label",
                            json_string(relation_label(json_string_value(json_object_get(m, "relation")))));
        json_object_set_new(m, "selected", json_boolean(mid == pid));
        json_t *mine = json_array();
        size_t k;
        json_t *a;
        json_array_foreach(all, k, a)
        {
            if (json_integer_value(json_object_get(a, "person_id")) != mid) continue;
            const struct instrument *ai = instrument_find(json_string_value(json_object_get(a, "instrument")));
            if (!ai) continue;
            const char *date = json_string_value(json_object_get(a, "date"));
            int age = age_days(date, today);
            json_t *o = json_pack("{s:O, s:s, s:s, s:s, s:s, s:O, s:O, s:O, s:i, s:b}", "id", json_object_get(a, "id"),
                                  "instrument", ai->code, "instrument_name", ai->name, "date", date, "date_nl",
                                  long_date(req, date), "by", json_object_get(a, "by"), "by_resident",
                                  json_object_get(a, "by_resident"), "note", json_object_get(a, "note"), "age_days",
                                  age, "outdated", !instrument_is_current(ai, age));
            json_object_set_new(o, "scores", scores_list(ai, json_object_get(a, "scores")));
            json_object_set_new(o, "progress_href",
                                json_string(assess_href(req, h.id, "", mid, ai->code, "#voortgang")));
            json_array_append_new(mine, o);
        }
        json_object_set_new(m, "count", json_integer((json_int_t)json_array_size(mine)));
        json_object_set_new(m, "assessments", mine);
        json_t *links = json_array();
        for (int j = 0; j < instrument_count(); j++) {
            const struct instrument *in = instrument_at(j);
            json_array_append_new(
                links,
                json_pack("{s:s, s:s, s:s, s:s}", "instrument", in->code, "instrument_name", in->name, "new_href",
                          assess_href(req, h.id, "/nieuw", mid, in->code, ""), "progress_href",
                          assess_href(req, h.id, "", mid, in->code, "#voortgang")));
        }
        json_object_set_new(m, "links", links);
    }
    json_decref(all);

    const char *flag = kv_get(&req->query, "opgeslagen");
    int saved = flag && strcmp(flag, "1") == 0;
    json_t *model =
        json_pack("{s:s, s:{s:I, s:s}, s:s, s:b}", "title", arena_printf(req->arena, "Metingen – %s", h.name),
                  "household", "id", (json_int_t)h.id, "name", h.name, "today", today_s, "saved", saved);
    json_object_set_new(model, "instruments", instruments_model(inst->code));
    json_t *person = pid ? member_by_id(members, pid) : NULL;
    if (person) {
        json_object_set_new(model, "selected",
                            json_pack("{s:I, s:O, s:s, s:s}", "person_id", (json_int_t)pid, "person_name",
                                      json_object_get(person, "name"), "instrument", inst->code, "instrument_name",
                                      inst->name));
        json_object_set_new(model, "progress", progress_model(req, h.id, person, inst, today));
    } else {
        json_object_set_new(model, "progress", json_null());
    }
    json_object_set_new(model, "members", members);
    http_page(req, "assessments", model);
}

/* ---- the form ------------------------------------------------------------ */

/* Field ids and messages of a failed form, in the order of the page. */
struct form_errors {
    json_t *fields; /* name -> message */
    json_t *list;   /* [{href, label, message}] for the error summary */
};

static void add_error(struct form_errors *fe, const char *field, const char *href, const char *label, const char *msg)
{
    if (field && !json_object_get(fe->fields, field)) json_object_set_new(fe->fields, field, json_string(msg));
    json_array_append_new(fe->list, json_pack("{s:s, s:s, s:s}", "href", href, "label", label, "message", msg));
}

/* The form model. form_vals: the values sent (NULL for a fresh form). */
static json_t *form_model(http_req_t *req, const struct hh *h, json_t *person, const struct instrument *inst,
                          day_t today, int posted, const char *error, struct form_errors *fe)
{
    char today_s[11], min_s[11];
    day_format(today, today_s);
    day_format(assess_date_min(today), min_s);
    int64_t pid = json_integer_value(json_object_get(person, "id"));
    json_t *im = instrument_model(inst);
    json_object_set_new(im, "resident", json_boolean(strcmp(inst->audience, "resident") == 0));
    json_object_set_new(im, "first_domain", json_string(inst->domains[0].code));
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(im, "domains"), i, d)
    {
        const struct instrument_domain *dom = &inst->domains[i];
        const char *sent = posted ? kv_get(&req->form, dom->code) : NULL;
        if (sent && !*sent) sent = NULL;
        json_object_set_new(d, "label", json_string(domain_label(inst, dom)));
        json_object_set_new(d, "none_checked", json_boolean(sent == NULL));
        json_t *err = fe ? json_object_get(fe->fields, dom->code) : NULL;
        if (err) json_object_set(d, "domain_error", err);
        json_t *options = json_array();
        for (int v = inst->min; v <= inst->max; v++) {
            const struct instrument_level *sl = instrument_scale_level(inst, v);
            const char *desc = dom->levels ? dom->levels[v - inst->min].description : NULL;
            char vs[16];
            snprintf(vs, sizeof vs, "%d", v);
            json_t *o = json_pack("{s:i, s:s, s:b}", "value", v, "id", arena_printf(req->arena, "%s-%d", dom->code, v),
                                  "checked", sent && strcmp(sent, vs) == 0);
            json_object_set_new(o, "label", sl && sl->label ? json_string(sl->label) : json_null());
            json_object_set_new(o, "description", desc ? json_string(desc) : json_null());
            json_array_append_new(options, o);
        }
        json_object_set_new(d, "options", options);
    }
    const char *date = posted ? kv_get(&req->form, "datum") : NULL;
    const char *note = posted ? kv_get(&req->form, "toelichting") : NULL;
    json_t *m =
        json_pack("{s:s, s:{s:I, s:s}, s:O, s:o, s:{s:s, s:s}, s:s, s:s, s:s}", "title",
                  arena_printf(req->arena, "Nieuwe meting %s", inst->name), "household", "id", (json_int_t)h->id,
                  "name", h->name, "person", person, "instrument", im, "form", "datum", date ? date : today_s,
                  "toelichting", note ? note : "", "date_min", min_s, "date_max", today_s, "back_href",
                  assess_href(req, h->id, "", pid, inst->code, ""));
    json_object_set_new(m, "note_max", json_integer(ASSESS_NOTE_MAX));
    if (error) json_object_set_new(m, "error", json_string(error));
    if (fe && json_object_size(fe->fields)) json_object_set(m, "field_errors", fe->fields);
    if (fe && json_array_size(fe->list)) {
        json_object_set(m, "error_list", fe->list);
        json_object_set_new(m, "has_error_list", json_true());
    }
    return m;
}

/* What both form handlers start with: the household (hh_load), today, and
 * the person and instrument named by the request. Returns 0, or -1 after
 * answering (404 when either is unknown or the person is not a member of h
 * today). *members is the caller's (decref it); *person points into it. */
static int form_subject(http_req_t *req, struct hh *h, day_t *today, json_t **members, json_t **person,
                        const struct instrument **inst)
{
    if (hh_load(req, h) != 0) return -1;
    *today = today_day();
    char today_s[11];
    day_format(*today, today_s);
    *members = NULL;
    *inst = json_object_get(req->errors, "instrument") ? NULL : instrument_find(http_param(req, "instrument"));
    if (!*inst) {
        http_error(req, 404, "Dit meetinstrument bestaat niet.");
        return -1;
    }
    int64_t pid = json_object_get(req->errors, "persoon") ? 0 : person_param(http_param(req, "persoon"));
    if (pid && assess_is_member(db_thread(), h->id, pid, today_s)) {
        *members = assess_members(db_thread(), h->id, today_s);
        *person = member_by_id(*members, pid);
        if (*person) return 0;
        json_decref(*members);
        *members = NULL;
    }
    http_error(req, 404, NOT_A_MEMBER);
    return -1;
}

void page_assessment_new(http_req_t *req)
{
    struct hh h;
    day_t today;
    json_t *members, *person;
    const struct instrument *inst;
    if (form_subject(req, &h, &today, &members, &person, &inst) != 0) return;
    json_t *m = form_model(req, &h, person, inst, today, 0, NULL, NULL);
    json_decref(members);
    http_page(req, "assessment_new", m);
}

/* The first domain code of another instrument that the form scored, or NULL. */
static const char *foreign_domain(http_req_t *req, const struct instrument *inst)
{
    for (int j = 0; j < instrument_count(); j++) {
        const struct instrument *other = instrument_at(j);
        if (other == inst) continue;
        for (int i = 0; i < other->n_domains; i++) {
            const char *code = other->domains[i].code, *v = kv_get(&req->form, code);
            if (v && *v && !instrument_domain(inst, code)) return code;
        }
    }
    return NULL;
}

void page_assessment_create(http_req_t *req)
{
    struct hh h;
    day_t today;
    json_t *members, *person;
    const struct instrument *inst;
    if (form_subject(req, &h, &today, &members, &person, &inst) != 0) return;
    int64_t pid = json_integer_value(json_object_get(person, "id"));

    struct form_errors fe = {json_object(), json_array()};
    json_t *scores = json_object();

    /* The date first: it is the first field of the form. */
    const char *date = kv_get(&req->form, "datum");
    json_t *gate_err = json_object_get(req->errors, "datum");
    day_t dd;
    if (gate_err) {
        add_error(&fe, "datum", "#datum", "Datum", json_string_value(gate_err));
    } else if (!date || day_parse(date, &dd) != 0) {
        add_error(&fe, "datum", "#datum", "Datum", "Vul een datum in als jjjj-mm-dd, bijvoorbeeld 2026-11-23.");
    } else if (assess_date_check(dd, today) == ASSESS_DATE_FUTURE) {
        add_error(&fe, "datum", "#datum", "Datum", "De datum mag niet in de toekomst liggen.");
    } else if (assess_date_check(dd, today) == ASSESS_DATE_TOO_OLD) {
        add_error(&fe, "datum", "#datum", "Datum", "De datum mag niet meer dan een jaar geleden zijn.");
    }

    /* Scores: every domain on its own, so each message sits at its field. */
    for (int i = 0; i < inst->n_domains; i++) {
        const struct instrument_domain *d = &inst->domains[i];
        const char *v = kv_get(&req->form, d->code);
        if (!v || !*v) continue; /* niet gescoord */
        const char *href = arena_printf(req->arena, "#%s-geen", d->code);
        int64_t x;
        if (json_object_get(req->errors, d->code) || parse_i64(v, 0, 1000000, &x) != 0) {
            add_error(&fe, d->code, href, domain_label(inst, d), "Kies een van de scores of 'niet gescoord'.");
            continue;
        }
        json_t *one = json_pack("{s:I}", d->code, (json_int_t)x);
        char msg[200];
        if (instrument_validate(inst, one, msg, sizeof msg) != 0)
            add_error(&fe, d->code, href, domain_label(inst, d), msg);
        else
            json_object_set_new(scores, d->code, json_integer((json_int_t)x));
        json_decref(one);
    }
    /* Scores for domains of another instrument do not belong in this form. */
    const char *foreign = foreign_domain(req, inst);
    if (foreign) {
        char msg[200];
        json_t *one = json_pack("{s:i}", foreign, 0);
        instrument_validate(inst, one, msg, sizeof msg); /* names the domain that does not belong */
        json_decref(one);
        add_error(&fe, NULL, arena_printf(req->arena, "#%s-geen", inst->domains[0].code), "Scores", msg);
    }
    const char *note = kv_get(&req->form, "toelichting");
    if (json_object_get(req->errors, "toelichting")) {
        add_error(&fe, "toelichting", "#toelichting", "Toelichting",
                  json_string_value(json_object_get(req->errors, "toelichting")));
    } else if (note) {
        size_t chars = 0;
        for (const unsigned char *c = (const unsigned char *)note; *c; c++)
            if ((*c & 0xC0) != 0x80) chars++;
        if (chars > ASSESS_NOTE_MAX)
            add_error(&fe, "toelichting", "#toelichting", "Toelichting",
                      arena_printf(req->arena, "Schrijf de toelichting in hoogstens %d tekens.", ASSESS_NOTE_MAX));
    }
    /* The whole set: at least one domain scored. */
    if (json_object_size(fe.fields) == 0 && json_array_size(fe.list) == 0) {
        char msg[200];
        if (instrument_validate(inst, scores, msg, sizeof msg) != 0)
            add_error(&fe, NULL, arena_printf(req->arena, "#%s-geen", inst->domains[0].code), "Scores", msg);
    }

    int64_t id = 0;
    if (json_array_size(fe.list) == 0) {
        struct assess_in in = {.household_id = h.id,
                               .person_id = pid,
                               .instrument = inst->code,
                               .scores = scores,
                               .date = date,
                               .note = note,
                               .assessed_by = req->user->id,
                               .by_resident = 0};
        char msg[200];
        id = assess_create(db_thread(), req->user->gemeente, &in, today, now_s(), msg, sizeof msg);
        if (id == ASSESS_E_SCORES)
            add_error(&fe, NULL, arena_printf(req->arena, "#%s-geen", inst->domains[0].code), "Scores", msg);
        else if (id == ASSESS_E_DATE)
            add_error(&fe, "datum", "#datum", "Datum",
                      "Deze datum kan niet: niet in de toekomst en niet ouder dan een jaar.");
        else if (id == ASSESS_E_NOTE)
            add_error(&fe, "toelichting", "#toelichting", "Toelichting", "De toelichting is te lang.");
    }
    json_decref(scores);

    if (id > 0) {
        audit_assessment(req, id,
                         arena_printf(req->arena, "household %lld person %lld instrument %s", (long long)h.id,
                                      (long long)pid, inst->code));
        http_redirect(req, assess_href(req, h.id, "", pid, inst->code, "&opgeslagen=1#voortgang"));
    } else if (id == ASSESS_E_MEMBER) {
        http_error(req, 404, NOT_A_MEMBER);
    } else {
        int failed = id == ASSESS_E_DB || id == ASSESS_E_INSTRUMENT;
        req->status = failed ? 500 : 400;
        http_page(req, "assessment_new",
                  form_model(req, &h, person, inst, today, 1,
                             failed ? "De meting kon niet worden opgeslagen. Probeer het opnieuw."
                                    : "De meting is niet opgeslagen. Verbeter de gemarkeerde onderdelen.",
                             &fe));
    }
    json_decref(fe.fields);
    json_decref(fe.list);
    json_decref(members);
}
