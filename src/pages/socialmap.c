/*
 * socialmap.c - the public search of the sociale kaart (routes_socialmap.def):
 * what is there in the neighbourhood, for residents, their network and
 * professionals, without signing in.
 *
 * The search runs on the process's in-memory index (domain/search.h); the
 * page of one service adds what only the store has (phones, languages,
 * e-mail, website, how to apply) from the HSDS full object. A postcode is
 * looked up in postcode_geo; an unknown postcode of a known area (the four
 * digits) is measured from the middle of that area, and the page says so.
 *
 * A caseworker who opens the search from a plan action brings huishouden and
 * actie; the page then offers "Verwijzen" on every result. The search page
 * shows nothing of the household itself, so it needs no need-to-know check;
 * the referral form does that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/geo.h"
#include "domain/ident.h"
#include "domain/instrument.h"
#include "domain/plan.h"
#include "domain/search.h"
#include "domain/volunteer.h"
#include "hsds/hsds.h"
#include "pages/pages.h"

#define PER_PAGE 20
#define PAGE_MAX 500 /* 10,000 results deep is more than anyone reads */

static const char *const weekday_codes[] = {"ma", "di", "wo", "do", "vr", "za", "zo"};
static const char *const weekday_names[] = {"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag",
                                            "zondag"};
static const int km_options[] = {1, 2, 5, 10, 25};

static const char *gemeente_of(http_req_t *req)
{
    return req->user ? req->user->gemeente : http_cfg.gemeente;
}

static const char *param(http_req_t *req, const char *name)
{
    const char *v = http_param(req, name);
    return v ? v : "";
}

/* "1,2 km" or "350 m". */
static const char *distance_text(http_req_t *req, int64_t m)
{
    if (m < 0) return "";
    if (m < 1000) return arena_printf(req->arena, "%lld m", (long long)((m + 5) / 10 * 10));
    int64_t hm = (m + 50) / 100;
    return arena_printf(req->arena, "%lld,%lld km", (long long)(hm / 10), (long long)(hm % 10));
}

static const char *age_text(http_req_t *req, int min, int max)
{
    if (min >= 0 && max >= 0) return arena_printf(req->arena, "%d tot en met %d jaar", min, max);
    if (min >= 0) return arena_printf(req->arena, "Vanaf %d jaar", min);
    if (max >= 0) return arena_printf(req->arena, "Tot en met %d jaar", max);
    return "Alle leeftijden";
}

/* The resident's words for the life domains in mask. */
static json_t *domain_names(uint32_t mask)
{
    json_t *a = json_array();
    const struct instrument *zrm = instrument_find("zrm");
    for (int i = 0; zrm && i < zrm->n_domains && i < 32; i++)
        if (mask & (1u << i))
            json_array_append_new(a, json_string(zrm->domains[i].name_b1 ? zrm->domains[i].name_b1
                                                                          : zrm->domains[i].name));
    return a;
}

/* A caseworker's plan action the search is for: both ids, or 0. */
struct context {
    int64_t household, action;
};

static struct context context_of(http_req_t *req)
{
    struct context c = {0, 0};
    if (!req->user || !policy_may(req->user->role, CAP_CASEWORK)) return c;
    const char *h = http_param(req, "huishouden"), *a = http_param(req, "actie");
    if (!h || !a || json_object_get(req->errors, "huishouden") || json_object_get(req->errors, "actie")) return c;
    c.household = strtoll(h, NULL, 10);
    c.action = strtoll(a, NULL, 10);
    if (c.household <= 0 || c.action <= 0) c.household = c.action = 0;
    return c;
}

static const char *context_query(http_req_t *req, const struct context *c)
{
    if (!c->household) return "";
    return arena_printf(req->arena, "huishouden=%lld&actie=%lld", (long long)c->household, (long long)c->action);
}

static json_t *context_model(http_req_t *req, const struct context *c)
{
    if (!c->household) return json_null();
    return json_pack("{s:s, s:I, s:I}", "plan_href",
                     arena_printf(req->arena, "/huishoudens/%lld/plan", (long long)c->household), "household",
                     (json_int_t)c->household, "action", (json_int_t)c->action);
}

static const char *refer_href(http_req_t *req, const struct context *c, const char *service_id)
{
    if (!c->household) return NULL;
    return arena_printf(req->arena, "/huishoudens/%lld/plan/acties/%lld/verwijzen?dienst=%s", (long long)c->household,
                        (long long)c->action, service_id);
}

/* ---- the origin of distances ---------------------------------------------- */

/* Resolves a postcode to coordinates: exact, or the middle of the known
 * postcodes of its four-digit area (*approx = 1). 0, or -1 when unknown. */
static int origin_of(const char *gm, const char *pc, int64_t *lat, int64_t *lon, int *approx)
{
    *approx = 0;
    db_t *db = db_thread();
    int r = postcode_geo_find(db, gm, pc, lat, lon);
    if (r == 1) return 0;
    if (r < 0) return -1;
    char area[6];
    snprintf(area, sizeof area, "%.4s%%", pc);
    db_stmt_t *st = db_prepare(db, "SELECT lat_e7, lon_e7 FROM postcode_geo WHERE gemeente = ? AND postcode LIKE ?");
    if (!st) return -1;
    db_bind_text(st, 1, gm);
    db_bind_text(st, 2, area);
    int64_t slat = 0, slon = 0, n = 0;
    while (db_step(st) == DB_ROW && n < 100000) {
        slat += db_col_int(st, 0);
        slon += db_col_int(st, 1);
        n++;
    }
    db_done(st);
    if (n == 0) return -1;
    *lat = slat / n;
    *lon = slon / n;
    *approx = 1;
    return 0;
}

/* ---- the search form -------------------------------------------------------- */

struct form {
    const char *q, *domein, *leeftijd, *postcode, *km, *wanneer, *weekdag, *datum, *tijd, *sorteer;
    int gratis, page;
    int searched; /* any criterion given */
};

static void read_form(http_req_t *req, struct form *f)
{
    f->q = param(req, "q");
    f->domein = param(req, "domein");
    f->leeftijd = param(req, "leeftijd");
    f->postcode = param(req, "postcode");
    f->km = param(req, "km");
    f->wanneer = param(req, "wanneer");
    f->weekdag = param(req, "weekdag");
    f->datum = param(req, "datum");
    f->tijd = param(req, "tijd");
    f->sorteer = param(req, "sorteer");
    f->gratis = strcmp(param(req, "gratis"), "1") == 0;
    const char *p = http_param(req, "pagina");
    f->page = p && !json_object_get(req->errors, "pagina") ? atoi(p) : 1;
    if (f->page < 1) f->page = 1;
    if (f->page > PAGE_MAX) f->page = PAGE_MAX;
    if (!*f->wanneer) f->wanneer = "altijd";
    f->searched = *f->q || *f->domein || *f->leeftijd || *f->postcode || f->gratis || strcmp(f->wanneer, "altijd") != 0;
}

static void field_error(json_t *errors, const char *field, const char *msg)
{
    if (!json_object_get(errors, field)) json_object_set_new(errors, field, json_string(msg));
}

/* Turns the form into a query; problems go to errors (field -> Dutch). */
static void build_query(http_req_t *req, const struct form *f, struct search_query *q, json_t *errors, int *approx,
                        const char **origin_pc)
{
    memset(q, 0, sizeof *q);
    q->text = f->q;
    q->age = -1;
    q->limit = PER_PAGE;
    q->offset = (f->page - 1) * PER_PAGE;
    *approx = 0;
    *origin_pc = NULL;
    if (*f->domein) {
        q->domains = search_domain_bit(f->domein);
        if (!q->domains) field_error(errors, "domein", "Kies een onderwerp uit de lijst.");
    }
    if (*f->leeftijd) {
        char *end = NULL;
        long age = strtol(f->leeftijd, &end, 10);
        while (end && *end == ' ') end++;
        if (!end || *end || end == f->leeftijd || age < 0 || age > 120)
            field_error(errors, "leeftijd", "Vul een leeftijd in jaren in, van 0 tot en met 120.");
        else q->age = (int)age;
    }
    if (*f->postcode) {
        char pc[7];
        int64_t lat, lon;
        if (postcode_normalise(f->postcode, pc) != 0)
            field_error(errors, "postcode", "Vul een postcode in als 1234 AB.");
        else if (origin_of(gemeente_of(req), pc, &lat, &lon, approx) != 0)
            field_error(errors, "postcode", "Deze postcode kennen wij niet in deze gemeente. Controleer de postcode, "
                                            "of zoek zonder postcode.");
        else {
            q->has_origin = 1;
            q->lat_e7 = lat;
            q->lon_e7 = lon;
            *origin_pc = arena_strdup(req->arena, pc);
        }
    }
    if (*f->km && strcmp(f->km, "alle") != 0) {
        int km = atoi(f->km), ok = 0;
        for (size_t i = 0; i < sizeof km_options / sizeof km_options[0]; i++) ok |= km == km_options[i];
        if (!ok) field_error(errors, "km", "Kies een afstand uit de lijst.");
        else if (!*f->postcode) field_error(errors, "postcode", "Vul een postcode in om op afstand te zoeken.");
        else q->radius_m = (int64_t)km * 1000;
    }
    int64_t now = now_s();
    day_t today = day_today_amsterdam(now);
    int minute = -1;
    if (*f->tijd) {
        int h, m;
        char tail;
        if (sscanf(f->tijd, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
            field_error(errors, "tijd", "Vul een tijd in als 14:30.");
        else minute = h * 60 + m;
    }
    if (strcmp(f->wanneer, "nu") == 0) {
        q->when = SEARCH_OPEN_AT;
        q->day = today;
        q->minute = minute_amsterdam(now);
    } else if (strcmp(f->wanneer, "weekdag") == 0) {
        int wd = 0;
        for (int i = 0; i < 7; i++)
            if (strcmp(f->weekdag, weekday_codes[i]) == 0) wd = i + 1;
        if (!wd) field_error(errors, "weekdag", "Kies een dag van de week.");
        else {
            q->day = today + (wd - day_weekday(today) + 7) % 7; /* the coming such day, today included */
            q->when = minute >= 0 ? SEARCH_OPEN_AT : SEARCH_ON_DAY;
            q->minute = minute >= 0 ? minute : 0;
        }
    } else if (strcmp(f->wanneer, "datum") == 0) {
        day_t d;
        if (!*f->datum || json_object_get(req->errors, "datum") || day_parse(f->datum, &d) != 0)
            field_error(errors, "datum", "Vul een datum in als 24-11-2026.");
        else {
            q->day = d;
            q->when = minute >= 0 ? SEARCH_OPEN_AT : SEARCH_ON_DAY;
            q->minute = minute >= 0 ? minute : 0;
        }
    } else if (strcmp(f->wanneer, "altijd") != 0) {
        field_error(errors, "wanneer", "Kies wanneer het aanbod er moet zijn.");
    }
    q->free_only = f->gratis;
    if (!*f->sorteer) q->sort = q->has_origin && !*f->q ? SEARCH_SORT_DISTANCE : SEARCH_SORT_RELEVANCE;
    else if (strcmp(f->sorteer, "afstand") == 0) {
        if (!q->has_origin && !json_object_get(errors, "postcode"))
            field_error(errors, "sorteer", "Vul een postcode in om op afstand te sorteren.");
        q->sort = SEARCH_SORT_DISTANCE;
    } else if (strcmp(f->sorteer, "relevantie") == 0) q->sort = SEARCH_SORT_RELEVANCE;
    else field_error(errors, "sorteer", "Kies een volgorde uit de lijst.");
}

static const struct http_field search_fields[] = {
    {"q", "q", "sk-q", "Wat zoekt u?"},
    {"domein", "domein", "sk-domein", "Onderwerp"},
    {"leeftijd", "leeftijd", "sk-leeftijd", "Leeftijd"},
    {"postcode", "postcode", "sk-postcode", "Postcode"},
    {"km", "km", "sk-km", "Afstand"},
    {"wanneer", "wanneer", "sk-wanneer-altijd", "Wanneer"},
    {"weekdag", "weekdag", "sk-weekdag", "Dag van de week"},
    {"datum", "datum", "sk-datum", "Datum"},
    {"tijd", "tijd", "sk-tijd", "Tijd"},
    {"sorteer", "sorteer", "sk-sorteer", "Volgorde"},
    {"pagina", "pagina", "resultaten-kop", "Pagina"},
};

static json_t *form_model(http_req_t *req, const struct form *f)
{
    json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "q", f->q, "leeftijd", f->leeftijd, "postcode", f->postcode,
                          "datum", f->datum, "tijd", f->tijd, "gratis", f->gratis);
    json_t *domains = json_array();
    const struct instrument *zrm = instrument_find("zrm");
    for (int i = 0; zrm && i < zrm->n_domains; i++) {
        const struct instrument_domain *d = &zrm->domains[i];
        json_array_append_new(domains, json_pack("{s:s, s:s, s:b}", "code", d->code, "label",
                                                 d->name_b1 ? d->name_b1 : d->name, "selected",
                                                 strcmp(f->domein, d->code) == 0));
    }
    json_object_set_new(m, "domains", domains);
    json_t *kms = json_array();
    for (size_t i = 0; i < sizeof km_options / sizeof km_options[0]; i++) {
        char v[8];
        snprintf(v, sizeof v, "%d", km_options[i]);
        int sel = strcmp(f->km, v) == 0 || (!*f->km && km_options[i] == 5 && *f->postcode);
        json_array_append_new(kms, json_pack("{s:s, s:s, s:b}", "value", v, "label",
                                             arena_printf(req->arena, "Binnen %d km", km_options[i]), "selected", sel));
    }
    json_object_set_new(m, "kms", kms);
    json_object_set_new(m, "km_all", json_boolean(strcmp(f->km, "alle") == 0));
    json_t *days = json_array();
    for (int i = 0; i < 7; i++)
        json_array_append_new(days, json_pack("{s:s, s:s, s:b}", "code", weekday_codes[i], "label", weekday_names[i],
                                              "selected", strcmp(f->weekdag, weekday_codes[i]) == 0));
    json_object_set_new(m, "weekdays", days);
    json_object_set_new(m, "when_altijd", json_boolean(strcmp(f->wanneer, "altijd") == 0));
    json_object_set_new(m, "when_nu", json_boolean(strcmp(f->wanneer, "nu") == 0));
    json_object_set_new(m, "when_weekdag", json_boolean(strcmp(f->wanneer, "weekdag") == 0));
    json_object_set_new(m, "when_datum", json_boolean(strcmp(f->wanneer, "datum") == 0));
    json_object_set_new(m, "sort_afstand", json_boolean(strcmp(f->sorteer, "afstand") == 0));
    json_object_set_new(m, "sort_relevantie", json_boolean(strcmp(f->sorteer, "relevantie") == 0));
    return m;
}

/* The URL base?<this search>&pagina=page: paging links, a result's page (so
 * that its "Terug naar zoeken" returns to the same results). */
static const char *search_href(http_req_t *req, const char *base, const struct form *f, const struct context *c,
                               int page)
{
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s?", base);
    const char *names[] = {"q", "domein", "leeftijd", "postcode", "km", "wanneer", "weekdag", "datum", "tijd",
                           "sorteer"};
    const char *values[] = {f->q, f->domein, f->leeftijd, f->postcode, f->km, f->wanneer, f->weekdag, f->datum,
                            f->tijd, f->sorteer};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!*values[i]) continue;
        buf_printf(&b, "%s=", names[i]);
        buf_put_urlenc(&b, values[i]);
        buf_putc(&b, '&');
    }
    if (f->gratis) buf_puts(&b, "gratis=1&");
    if (c->household) buf_printf(&b, "%s&", context_query(req, c));
    buf_printf(&b, "pagina=%d", page);
    const char *s = arena_strdup(req->arena, buf_cstr(&b));
    buf_free(&b);
    return s;
}

static json_t *hit_model(http_req_t *req, const search_index_t *ix, const struct search_hit *h,
                         const struct form *f, const struct context *c)
{
    const struct search_service *s = search_service_at(ix, h->service);
    const char *address = "";
    if (h->location >= 0 && h->location < s->nlocations) address = s->locations[h->location].address;
    else if (s->nlocations > 0) address = s->locations[0].address;
    char desc[400];
    plan_text_clip(s->description, 180, desc, sizeof desc);
    json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", s->id, "href",
                          search_href(req, arena_printf(req->arena, "/sociale-kaart/diensten/%s", s->id), f, c, f->page),
                          "name", s->name, "org", s->org_name, "description", desc, "schedule", s->schedule_text,
                          "cost", s->cost_text, "address", address, "free", s->is_free);
    if (h->distance_m >= 0) json_object_set_new(m, "distance", json_string(distance_text(req, h->distance_m)));
    const char *rh = refer_href(req, c, s->id);
    if (rh) json_object_set_new(m, "refer_href", json_string(rh));
    return m;
}

void page_socialmap(http_req_t *req)
{
    struct form f;
    read_form(req, &f);
    struct context c = context_of(req);
    struct search_query q;
    json_t *errors = json_object();
    int approx = 0;
    const char *origin_pc = NULL;
    build_query(req, &f, &q, errors, &approx, &origin_pc);
    json_t *m = json_pack("{s:s}", "title", "Sociale kaart: wat is er in de buurt?");
    json_object_set_new(m, "form", form_model(req, &f));
    json_object_set_new(m, "context", context_model(req, &c));
    if (c.household) json_object_set_new(m, "context_query", json_string(context_query(req, &c)));

    if (json_object_size(errors) || json_object_size(req->errors)) {
        json_t *list = json_array();
        json_t *fe = http_form_errors(req, errors, search_fields, HTTP_NFIELDS(search_fields), HTTP_DOMAIN_FIRST, list);
        json_object_set_new(m, "errors", fe);
        json_object_set_new(m, "error", json_string("Pas de zoekvraag aan:"));
        json_object_set(m, "error_list", list);
        json_decref(list);
        json_decref(errors);
        req->status = 400;
        json_object_set_new(m, "title", json_string("Fout in de zoekvraag – Sociale kaart"));
        http_page(req, "socialmap", m);
        return;
    }
    json_decref(errors);
    json_object_set_new(m, "errors", json_object());

    search_index_t *ix = search_index_current(db_thread(), gemeente_of(req));
    if (!ix) {
        json_decref(m);
        http_error(req, 503, "De sociale kaart is even niet beschikbaar. Probeer het over een minuut opnieuw.");
        return;
    }
    struct search_result *res = arena_alloc(req->arena, sizeof *res);
    if (search_run(ix, &q, res) != 0) res->total = res->n = 0;
    json_t *hits = json_array();
    for (int i = 0; i < res->n; i++) json_array_append_new(hits, hit_model(req, ix, &res->hits[i], &f, &c));
    json_object_set_new(m, "results", hits);
    json_object_set_new(m, "has_results", json_boolean(res->n > 0));
    json_object_set_new(m, "searched", json_boolean(f.searched));
    json_object_set_new(m, "total", json_integer(res->total));
    json_object_set_new(m, "total_text",
                        json_string(res->total == 1 ? "1 resultaat" : arena_printf(req->arena, "%d resultaten", res->total)));
    json_object_set_new(m, "services", json_integer(search_index_count(ix)));
    int pages = (res->total + PER_PAGE - 1) / PER_PAGE;
    if (pages > PAGE_MAX) pages = PAGE_MAX;
    if (pages > 1) {
        json_object_set_new(m, "page_text", json_string(arena_printf(req->arena, "Pagina %d van %d", f.page, pages)));
        if (f.page > 1) json_object_set_new(m, "prev_href", json_string(search_href(req, "/sociale-kaart", &f, &c, f.page - 1)));
        if (f.page < pages) json_object_set_new(m, "next_href", json_string(search_href(req, "/sociale-kaart", &f, &c, f.page + 1)));
    }
    char origin_display[8] = "";
    if (origin_pc) postcode_format(origin_pc, origin_display);
    if (q.has_origin)
        json_object_set_new(m, "origin", json_pack("{s:s, s:b}", "postcode", origin_display, "approx", approx));
    if (q.sort == SEARCH_SORT_DISTANCE) json_object_set_new(m, "sorted_by_distance", json_true());
    if (f.searched && res->total)
        json_object_set_new(m, "title", json_string(arena_printf(req->arena, "%d gevonden – Sociale kaart", res->total)));
    search_index_release(ix);
    http_page(req, "socialmap", m);
}

/* ---- one service -------------------------------------------------------------- */

/* The strings of field `key` of every object in array `arr` of o. */
static json_t *strings_of(json_t *o, const char *arr, const char *key)
{
    json_t *out = json_array(), *item;
    size_t i;
    json_array_foreach(json_object_get(o, arr), i, item) {
        const char *s = json_string_value(json_object_get(item, key));
        if (s && *s) json_array_append_new(out, json_string(s));
    }
    return out;
}

/* A link only when it is an http(s) URL (no javascript: and the like). */
static const char *safe_url(const char *u)
{
    return u && (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0) ? u : NULL;
}

void page_socialmap_service(http_req_t *req)
{
    const char *id = req->path_params[0];
    struct context c = context_of(req);
    search_index_t *ix = search_index_current(db_thread(), gemeente_of(req));
    if (!ix) {
        http_error(req, 503, "De sociale kaart is even niet beschikbaar. Probeer het over een minuut opnieuw.");
        return;
    }
    int i = search_find(ix, id);
    if (i < 0) {
        search_index_release(ix);
        http_error(req, 404, "Dit aanbod staat niet (meer) op de sociale kaart.");
        return;
    }
    const struct search_service *s = search_service_at(ix, i);
    json_t *full = hsds_full(db_thread(), gemeente_of(req), HSDS_SERVICE, id);
    json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "title",
                          arena_printf(req->arena, "%s – Sociale kaart", s->name), "name", s->name, "org", s->org_name,
                          "description", s->description, "schedule", s->schedule_text, "cost", s->cost_text, "age",
                          age_text(req, s->min_age, s->max_age), "free", s->is_free);
    json_object_set_new(m, "domains", domain_names(s->domains));
    if (s->level) json_object_set_new(m, "level", json_string(s->level == 4 ? "Trede 4: in de buurt, met vrijwilligers"
                                                                            : "Trede 5: algemene voorziening"));
    json_t *locs = json_array();
    for (int k = 0; k < s->nlocations; k++) {
        const struct search_location *l = &s->locations[k];
        json_t *lm = json_pack("{s:s, s:s}", "name", l->name, "address", l->address);
        if (l->lat_e7 || l->lon_e7) {
            char la[16], lo[16];
            geo_format_e7(l->lat_e7, la);
            geo_format_e7(l->lon_e7, lo);
            json_object_set_new(lm, "map_href", json_string(arena_printf(
                req->arena, "https://www.openstreetmap.org/?mlat=%s&mlon=%s#map=17/%s/%s", la, lo, la, lo)));
        }
        json_array_append_new(locs, lm);
    }
    json_object_set_new(m, "locations", locs);
    if (full) {
        json_object_set_new(m, "phones", strings_of(full, "phones", "number"));
        json_object_set_new(m, "languages", strings_of(full, "languages", "name"));
        const char *email = json_string_value(json_object_get(full, "email"));
        if (email && *email) json_object_set_new(m, "email", json_string(email));
        const char *url = safe_url(json_string_value(json_object_get(full, "url")));
        if (url) json_object_set_new(m, "url", json_string(url));
        const char *apply = json_string_value(json_object_get(full, "application_process"));
        if (apply && *apply) json_object_set_new(m, "apply", json_string(apply));
        const char *assured = json_string_value(json_object_get(full, "assured_date"));
        day_t d;
        if (assured && day_parse(assured, &d) == 0) {
            char nl[48];
            day_format_nl(d, nl, sizeof nl);
            json_object_set_new(m, "assured", json_string(nl));
        }
        json_t *org = json_object_get(full, "organization");
        const char *site = safe_url(json_string_value(json_object_get(org, "website")));
        if (site) json_object_set_new(m, "org_url", json_string(site));
        json_decref(full);
    }
    const char *arrays[][2] = {{"phones", "has_phones"}, {"languages", "has_languages"}, {"domains", "has_domains"}};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++)
        json_object_set_new(m, arrays[k][1], json_boolean(json_array_size(json_object_get(m, arrays[k][0])) > 0));
    json_object_set_new(m, "context", context_model(req, &c));
    struct form f;
    read_form(req, &f);
    json_object_set_new(m, "back_href", json_string(search_href(req, "/sociale-kaart", &f, &c, f.page)));
    const char *rh = refer_href(req, &c, s->id);
    if (rh) json_object_set_new(m, "refer_href", json_string(rh));
    search_index_release(ix);
    http_page(req, "socialmap_service", m);
}
