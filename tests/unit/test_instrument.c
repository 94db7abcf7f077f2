/* test_instrument.c - the instrument tables (ZRM, Positieve Gezondheid),
 * validation of score objects, the page/API model and progress counts. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "domain/instrument.h"
#include "test.h"

static void test_tables(void)
{
    CHECK(instrument_count() == 2, "two built-in instruments");
    CHECK(instrument_at(-1) == NULL && instrument_at(instrument_count()) == NULL, "instrument_at out of range");
    CHECK(instrument_find(NULL) == NULL && instrument_find("nope") == NULL, "unknown instrument is NULL");

    const struct instrument *z = instrument_find("zrm");
    CHECK(z != NULL, "zrm found");
    if (!z) return;
    CHECK(z->n_domains == 13, "ZRM has 13 domains");
    CHECK(z->min == 1 && z->max == 5 && instrument_levels(z) == 5, "ZRM scale 1-5");
    CHECK_STR(z->audience, "professional", "ZRM is for professionals");
    CHECK(z->max_age_days == 30, "ZRM information expires after 30 days");
    CHECK(instrument_is_current(z, 30) && !instrument_is_current(z, 31) && !instrument_is_current(z, -1),
          "instrument_is_current honours max_age_days");
    CHECK_STR(z->scale[0].label, "Acute problematiek", "ZRM level 1 label");
    CHECK_STR(z->scale[4].label, "Volledig zelfredzaam", "ZRM level 5 label");
    CHECK(instrument_scale_level(z, 3) && instrument_scale_level(z, 3)->value == 3, "scale level lookup");
    CHECK(instrument_scale_level(z, 0) == NULL && instrument_scale_level(z, 6) == NULL, "scale level out of range");

    int distinct = 1, five = 1, nonempty = 1, shortish = 1, named = 1, ordered = 1;
    for (int i = 0; i < z->n_domains; i++) {
        const struct instrument_domain *d = &z->domains[i];
        for (int j = i + 1; j < z->n_domains; j++)
            if (strcmp(d->code, z->domains[j].code) == 0) distinct = 0;
        if (!d->name[0] || !d->name_b1[0]) named = 0;
        if (instrument_domain(z, d->code) != d) distinct = 0;
        if (!d->levels) {
            five = 0;
            continue;
        }
        for (int l = 0; l < 5; l++) {
            const char *t = d->levels[l].description;
            if (d->levels[l].value != l + 1) ordered = 0;
            if (!t || !t[0]) {
                nonempty = 0;
                continue;
            }
            if (strlen(t) >= 160) shortish = 0;
        }
    }
    CHECK(distinct, "ZRM domain codes are distinct and found by instrument_domain");
    CHECK(five, "every ZRM domain has level descriptions");
    CHECK(ordered, "level descriptions are in value order 1..5");
    CHECK(nonempty, "no empty level description");
    CHECK(shortish, "every level description is shorter than 160 characters");
    CHECK(named, "every ZRM domain has a professional and a B1 name");
    const struct instrument_domain *fin = instrument_domain(z, "financien");
    CHECK(fin && strcmp(fin->name, "Financiën") == 0 && strcmp(fin->name_b1, "Geldzaken") == 0,
          "financien: Financiën / Geldzaken");
    CHECK(instrument_domain(z, "justitie") != NULL && instrument_domain(z, "Justitie") == NULL,
          "domain codes are case-sensitive");

    const struct instrument *pg = instrument_find("positieve_gezondheid");
    CHECK(pg != NULL, "positieve_gezondheid found");
    if (!pg) return;
    CHECK(pg->n_domains == 6, "Positieve Gezondheid has 6 dimensions");
    CHECK(pg->min == 0 && pg->max == 10 && instrument_levels(pg) == 11, "PG scale 0-10");
    CHECK_STR(pg->audience, "resident", "PG is for residents");
    CHECK(pg->max_age_days == 0 && instrument_is_current(pg, 10000), "PG has no age limit");
    int explained = 1;
    for (int i = 0; i < pg->n_domains; i++) {
        const char *t = pg->domains[i].description;
        if (!t || !t[0] || strlen(t) >= 160) explained = 0;
    }
    CHECK(explained, "every PG dimension has a short explanation");
    CHECK(instrument_domain(pg, "zingeving") && instrument_domain(pg, "dagelijks_functioneren"), "PG dimension codes");
}

/* Validates the JSON text js against inst; returns the result, err in err. */
static int validate(const struct instrument *inst, const char *js, char *err, size_t n)
{
    json_error_t je;
    json_t *v = json_loads(js, JSON_DECODE_ANY, &je);
    int r = instrument_validate(inst, v, err, n);
    json_decref(v);
    return r;
}

static void test_validate(void)
{
    const struct instrument *z = instrument_find("zrm"), *pg = instrument_find("positieve_gezondheid");
    char err[200];
    CHECK(validate(z, "{\"financien\": 2, \"huisvesting\": 5}", err, sizeof err) == 0 && err[0] == '\0',
          "good ZRM scores");
    CHECK(validate(pg, "{\"zingeving\": 0, \"meedoen\": 10}", err, sizeof err) == 0, "good PG scores at the edges");

    CHECK(validate(z, "{\"financien\": 2, \"geluk\": 3}", err, sizeof err) == -1, "unknown domain refused");
    CHECK(strstr(err, "geluk") != NULL, "message names the unknown domain: %s", err);
    CHECK(validate(z, "{\"<script>\": 3}", err, sizeof err) == -1 && strchr(err, '<') == NULL,
          "unknown key is sanitised in the message: %s", err);

    CHECK(validate(z, "{\"financien\": 6}", err, sizeof err) == -1, "6 out of range");
    CHECK(strstr(err, "Financiën") && strstr(err, "tussen 1 en 5"), "range message names domain: %s", err);
    CHECK(validate(z, "{\"financien\": 0}", err, sizeof err) == -1, "0 out of range for ZRM");
    CHECK(validate(pg, "{\"meedoen\": 11}", err, sizeof err) == -1, "11 out of range for PG");
    CHECK(validate(pg, "{\"meedoen\": -1}", err, sizeof err) == -1 && strstr(err, "Meedoen"),
          "-1 out of range for PG: %s", err);

    CHECK(validate(z, "{\"verslaving\": 2.5}", err, sizeof err) == -1, "real refused");
    CHECK(strstr(err, "Verslaving") && strstr(err, "heel getal"), "non-integer message: %s", err);
    CHECK(validate(z, "{\"verslaving\": \"3\"}", err, sizeof err) == -1, "string refused");
    CHECK(validate(z, "{\"verslaving\": true}", err, sizeof err) == -1, "boolean refused");
    CHECK(validate(z, "{\"verslaving\": null}", err, sizeof err) == -1, "null refused");

    CHECK(validate(z, "{}", err, sizeof err) == -1 && strstr(err, "minstens"), "empty object refused: %s", err);
    CHECK(validate(z, "[1,2]", err, sizeof err) == -1, "array refused");
    CHECK(instrument_validate(z, NULL, err, sizeof err) == -1, "NULL scores refused");
    CHECK(instrument_validate(NULL, NULL, NULL, 0) == -1, "NULL err buffer is fine");
    char tiny[8];
    CHECK(validate(z, "{\"financien\": 9}", tiny, sizeof tiny) == -1 && strlen(tiny) == 7,
          "message truncated to the buffer");
}

static void test_model(void)
{
    const struct instrument *z = instrument_find("zrm");
    json_t *m = instrument_model(z);
    CHECK(json_is_object(m), "model is an object");
    CHECK_STR(json_string_value(json_object_get(m, "code")), "zrm", "model code");
    CHECK_STR(json_string_value(json_object_get(m, "name")), "Zelfredzaamheid", "model name");
    CHECK_STR(json_string_value(json_object_get(m, "audience")), "professional", "model audience");
    CHECK(json_integer_value(json_object_get(m, "min")) == 1 && json_integer_value(json_object_get(m, "max")) == 5,
          "model min/max");
    json_t *scale = json_object_get(m, "scale");
    CHECK(json_array_size(scale) == 5, "model scale has 5 entries");
    CHECK(json_integer_value(json_object_get(json_array_get(scale, 1), "value")) == 2 &&
              strcmp(json_string_value(json_object_get(json_array_get(scale, 1), "label")), "Niet zelfredzaam") == 0,
          "scale entry {value, label}");
    json_t *domains = json_object_get(m, "domains");
    CHECK(json_array_size(domains) == 13, "model has 13 domains");
    json_t *d0 = json_array_get(domains, 0);
    CHECK_STR(json_string_value(json_object_get(d0, "code")), "financien", "first domain code");
    CHECK(json_is_string(json_object_get(d0, "name")) && json_is_string(json_object_get(d0, "name_b1")),
          "domain has name and name_b1");
    json_t *lv = json_object_get(d0, "levels");
    CHECK(json_array_size(lv) == 5, "domain has 5 levels");
    json_t *l0 = json_array_get(lv, 0);
    CHECK(json_integer_value(json_object_get(l0, "value")) == 1 && json_is_string(json_object_get(l0, "description")),
          "level {value, description}");
    char *dump = json_dumps(m, JSON_COMPACT);
    CHECK(dump && strlen(dump) > 1000, "model serialises");
    free(dump);
    json_decref(m);

    m = instrument_model(instrument_find("positieve_gezondheid"));
    CHECK(json_array_size(json_object_get(m, "scale")) == 11, "PG model scale has 11 entries");
    CHECK(json_is_null(json_object_get(json_array_get(json_object_get(m, "scale"), 5), "label")),
          "unlabelled PG point has label null");
    json_t *pd = json_array_get(json_object_get(m, "domains"), 0);
    CHECK(json_is_string(json_object_get(pd, "description")) && json_array_size(json_object_get(pd, "levels")) == 0,
          "PG dimension has a description and no level texts");
    json_decref(m);
    CHECK(instrument_model(NULL) == NULL, "model of NULL is NULL");
}

static void test_progress(void)
{
    const struct instrument *z = instrument_find("zrm");
    json_t *prev = json_pack("{s:i, s:i, s:i, s:i, s:i}", "financien", 2, "huisvesting", 3, "verslaving", 4, "justitie",
                             5, "basale_adl", 3);
    json_t *cur = json_pack("{s:i, s:i, s:i, s:i, s:i}", "financien", 4, "huisvesting", 3, "verslaving", 2,
                            "sociaal_netwerk", 4, "basale_adl", 99);
    json_t *out = NULL;
    int n = instrument_progress(z, prev, cur, &out);
    CHECK(n == 3, "three domains compared (both present and valid): %d", n);
    CHECK(json_integer_value(json_object_get(out, "improved")) == 1, "one improved");
    CHECK(json_integer_value(json_object_get(out, "same")) == 1, "one same");
    CHECK(json_integer_value(json_object_get(out, "worse")) == 1, "one worse");
    json_t *ds = json_object_get(out, "domains");
    CHECK(json_array_size(ds) == 3, "three domain entries");
    json_t *f = json_array_get(ds, 0);
    CHECK(strcmp(json_string_value(json_object_get(f, "code")), "financien") == 0 &&
              json_integer_value(json_object_get(f, "diff")) == 2 &&
              strcmp(json_string_value(json_object_get(f, "trend")), "improved") == 0,
          "financien +2 improved, in instrument order");
    json_t *v = json_array_get(ds, 2);
    CHECK(json_integer_value(json_object_get(v, "diff")) == -2 &&
              strcmp(json_string_value(json_object_get(v, "trend")), "worse") == 0,
          "verslaving -2 worse");
    json_decref(out);

    json_t *empty = json_object();
    CHECK(instrument_progress(z, empty, cur, &out) == 0 && json_array_size(json_object_get(out, "domains")) == 0,
          "nothing to compare gives 0 and an empty list");
    json_decref(out);
    json_t *arr = json_array();
    CHECK(instrument_progress(z, arr, cur, &out) == -1 && out == NULL, "non-object refused");
    json_decref(arr);
    json_decref(empty);
    json_decref(prev);
    json_decref(cur);
}

int main(void)
{
    test_tables();
    test_validate();
    test_model();
    test_progress();
    return t_done();
}
