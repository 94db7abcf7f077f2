/*
 * instrument.c - the built-in instrument tables and the generic code that
 * interprets them (lookup, validation, page/API model, progress). See
 * instrument.h for the contracts.
 *
 * The level descriptions are Kantel's own short B1 sentences. They are
 * deliberately not the ZRM matrix texts (those are (c) GGD Amsterdam); keep
 * it that way when editing. Each description is one plain sentence, well
 * under 160 characters (tests/unit/test_instrument.c checks this).
 */
#include "domain/instrument.h"

#include <stdio.h>
#include <string.h>

/* ---- Zelfredzaamheid (2017 layout, 13 domains, 1-5) ---------------------- */

/* clang-format off */
static const struct instrument_level zrm_scale[] = {
    {1, "Acute problematiek", NULL},
    {2, "Niet zelfredzaam", NULL},
    {3, "Beperkt zelfredzaam", NULL},
    {4, "Voldoende zelfredzaam", NULL},
    {5, "Volledig zelfredzaam", NULL},
};
/* clang-format on */

static const struct instrument_level zrm_financien[] = {
    {1, NULL, "Er zijn grote schulden die snel groeien of er is geen inkomen."},
    {2, NULL, "Het inkomen is te laag of onzeker en er zijn schulden zonder regeling."},
    {3, NULL, "Er zijn schulden, maar er is een regeling of hulp bij geldzaken."},
    {4, NULL, "Het geld is genoeg voor de vaste lasten en afspraken over schulden worden nagekomen."},
    {5, NULL, "Er is genoeg inkomen, er zijn geen schulden en de inwoner regelt geldzaken zelf."},
};

static const struct instrument_level zrm_werk[] = {
    {1, NULL, "Geen werk of opleiding en geen contact met werkgever, school of klantmanager."},
    {2, NULL, "Geen werk of opleiding; de inwoner zoekt niet of kan nog niet beginnen."},
    {3, NULL, "De inwoner zoekt werk of een opleiding, of werkt met veel begeleiding."},
    {4, NULL, "De inwoner heeft werk, vrijwilligerswerk of een opleiding, soms met wat hulp."},
    {5, NULL, "De inwoner heeft werk of een opleiding en regelt dat helemaal zelf."},
};

static const struct instrument_level zrm_tijd[] = {
    {1, NULL, "De dagen hebben geen vast ritme en er is bijna niets te doen."},
    {2, NULL, "Er is weinig te doen en de inwoner vindt zelf geen invulling voor de dag."},
    {3, NULL, "De dag heeft wat invulling, maar die hangt vooral af van anderen."},
    {4, NULL, "De dag heeft een ritme met bezigheden, soms met wat steun."},
    {5, NULL, "De inwoner vult de dagen zelf in op een manier die goed past."},
};

static const struct instrument_level zrm_huisvesting[] = {
    {1, NULL, "De inwoner is dakloos of moet binnenkort de woning uit."},
    {2, NULL, "De inwoner slaapt tijdelijk bij anderen of in een opvang, of de woning is onveilig."},
    {3, NULL, "Er is een eigen woonplek, maar met problemen zoals huurachterstand of overlast."},
    {4, NULL, "Er is een vaste en veilige woning; kleine problemen worden opgelost."},
    {5, NULL, "Er is een vaste, veilige en passende woning die de inwoner zelf onderhoudt."},
};

static const struct instrument_level zrm_relaties[] = {
    {1, NULL, "Er is huiselijk geweld of het is thuis op dit moment niet veilig."},
    {2, NULL, "Er zijn thuis vaak ernstige ruzies of spanningen die niet vanzelf overgaan."},
    {3, NULL, "Er zijn spanningen thuis, maar de gezinsleden praten er wel over."},
    {4, NULL, "De sfeer thuis is meestal goed en problemen worden samen opgelost."},
    {5, NULL, "De relaties thuis zijn goed en geven steun."},
};

static const struct instrument_level zrm_geest[] = {
    {1, NULL, "Er is een psychische crisis of gevaar voor de inwoner zelf of voor anderen."},
    {2, NULL, "Ernstige psychische klachten maken het dagelijks leven heel zwaar en passende hulp ontbreekt."},
    {3, NULL, "Er zijn psychische klachten; met behandeling of steun lukt het dagelijks leven deels."},
    {4, NULL, "Er zijn weinig psychische klachten, of ze zijn met hulp onder controle."},
    {5, NULL, "De inwoner voelt zich psychisch goed en heeft geen hulp nodig."},
};

static const struct instrument_level zrm_lichaam[] = {
    {1, NULL, "Er is een ernstig lichamelijk probleem en er is nu geen zorg voor."},
    {2, NULL, "Lichamelijke klachten beperken het dagelijks leven sterk en de zorg is niet genoeg."},
    {3, NULL, "Er zijn lichamelijke klachten; met zorg is het leven deels goed te doen."},
    {4, NULL, "Er zijn weinig klachten, of ze zijn met zorg goed onder controle."},
    {5, NULL, "De inwoner is lichamelijk gezond of gaat zelf goed om met een ziekte."},
};

static const struct instrument_level zrm_verslaving[] = {
    {1, NULL, "Het gebruik van middelen of het gokken is uit de hand en geeft direct gevaar."},
    {2, NULL, "Het gebruik geeft ernstige problemen thuis, met geld of op het werk."},
    {3, NULL, "Het gebruik heeft gevolgen, maar de inwoner werkt aan minderen of stoppen."},
    {4, NULL, "Er is soms gebruik zonder grote gevolgen, of de inwoner is met steun gestopt."},
    {5, NULL, "Er is geen gebruik, of gebruik zonder enig probleem."},
};

static const struct instrument_level zrm_badl[] = {
    {1, NULL, "De inwoner kan zich niet zelf wassen, aankleden of eten en krijgt geen hulp."},
    {2, NULL, "Voor veel persoonlijke verzorging is hulp nodig, maar die is er niet genoeg."},
    {3, NULL, "Een deel van de persoonlijke verzorging lukt zelf; voor de rest is er hulp."},
    {4, NULL, "De persoonlijke verzorging lukt zelf, soms met hulpmiddelen."},
    {5, NULL, "Wassen, aankleden, eten en naar het toilet gaan lukt allemaal zelf."},
};

static const struct instrument_level zrm_iadl[] = {
    {1, NULL, "Huishouden, boodschappen en koken lukken niet en niemand helpt."},
    {2, NULL, "Veel taken in het huishouden blijven liggen; de hulp is niet genoeg."},
    {3, NULL, "Een deel van het huishouden lukt zelf; voor de rest is er hulp."},
    {4, NULL, "Het huishouden lukt zelf, soms met een beetje hulp of hulpmiddelen."},
    {5, NULL, "Huishouden, boodschappen, post en vervoer regelt de inwoner helemaal zelf."},
};

static const struct instrument_level zrm_netwerk[] = {
    {1, NULL, "De inwoner heeft geen contact met anderen, of het contact doet kwaad."},
    {2, NULL, "Er is weinig contact en bijna niemand om op terug te vallen."},
    {3, NULL, "Er is contact met een paar mensen, maar steun is niet altijd te vinden."},
    {4, NULL, "Er zijn mensen om op terug te vallen en het contact is meestal goed."},
    {5, NULL, "Er is een stevig netwerk van familie, vrienden of buren dat steun geeft."},
};

static const struct instrument_level zrm_participatie[] = {
    {1, NULL, "De inwoner komt bijna nooit buiten de deur en doet nergens aan mee."},
    {2, NULL, "De inwoner doet bijna nergens aan mee en zoekt dat ook niet op."},
    {3, NULL, "De inwoner doet soms mee aan activiteiten, vooral als iemand helpt."},
    {4, NULL, "De inwoner doet mee aan activiteiten in de buurt of bij een club."},
    {5, NULL, "De inwoner doet actief mee en zet zich ook in voor anderen."},
};

static const struct instrument_level zrm_justitie[] = {
    {1, NULL, "Er loopt nu een ernstige strafzaak, of de inwoner pleegt vaak strafbare feiten."},
    {2, NULL, "Er lopen zaken bij politie of justitie, of er is een straf die nog moet beginnen."},
    {3, NULL, "Er is een straf of toezicht en de inwoner houdt zich aan de afspraken."},
    {4, NULL, "Er is een strafblad, maar al lange tijd geen nieuw contact met politie of justitie."},
    {5, NULL, "Er is geen contact met politie of justitie."},
};

static const struct instrument_domain zrm_domains[] = {
    {"financien", "Financiën", "Geldzaken", NULL, zrm_financien},
    {"werk_opleiding", "Werk & opleiding", "Werk en school", NULL, zrm_werk},
    {"tijdsbesteding", "Tijdsbesteding", "Dagbesteding", NULL, zrm_tijd},
    {"huisvesting", "Huisvesting", "Woning", NULL, zrm_huisvesting},
    {"huiselijke_relaties", "Huiselijke relaties", "Relaties thuis", NULL, zrm_relaties},
    {"geestelijke_gezondheid", "Geestelijke gezondheid", "Mentale gezondheid", NULL, zrm_geest},
    {"lichamelijke_gezondheid", "Lichamelijke gezondheid", "Lichamelijke gezondheid", NULL, zrm_lichaam},
    {"verslaving", "Verslaving", "Verslaving", NULL, zrm_verslaving},
    {"basale_adl", "Basale ADL", "Zelfzorg", NULL, zrm_badl},
    {"instrumentele_adl", "Instrumentele ADL", "Dagelijkse activiteiten", NULL, zrm_iadl},
    {"sociaal_netwerk", "Sociaal netwerk", "Mensen om u heen", NULL, zrm_netwerk},
    {"maatschappelijke_participatie", "Maatschappelijke participatie", "Inzet voor de maatschappij", NULL,
     zrm_participatie},
    {"justitie", "Justitie", "Politie en justitie", NULL, zrm_justitie},
};

/* ---- Positieve Gezondheid (6 dimensions, 0-10) --------------------------- */

/* clang-format off */
static const struct instrument_level pg_scale[] = {
    {0, "Heel slecht", NULL},
    {1, NULL, NULL}, {2, NULL, NULL}, {3, NULL, NULL}, {4, NULL, NULL}, {5, NULL, NULL},
    {6, NULL, NULL}, {7, NULL, NULL}, {8, NULL, NULL}, {9, NULL, NULL},
    {10, "Heel goed", NULL},
};
/* clang-format on */

static const struct instrument_domain pg_domains[] = {
    {"lichaamsfuncties", "Lichaamsfuncties", "Lichaamsfuncties",
     "Hoe uw lichaam werkt: slapen, eten, bewegen en hoe fit u zich voelt.", NULL},
    {"mentaal_welbevinden", "Mentaal welbevinden", "Mentaal welbevinden",
     "Hoe u zich voelt in uw hoofd: rustig en blij, of juist gespannen en somber.", NULL},
    {"zingeving", "Zingeving", "Zingeving",
     "Of uw leven zin heeft voor u: wat u belangrijk vindt en waar u naar uitkijkt.", NULL},
    {"kwaliteit_van_leven", "Kwaliteit van leven", "Kwaliteit van leven",
     "Hoe tevreden u bent met uw leven zoals het nu is.", NULL},
    {"meedoen", "Meedoen", "Meedoen",
     "Of u contact heeft met anderen en mee kunt doen in de buurt, op het werk of bij een club.", NULL},
    {"dagelijks_functioneren", "Dagelijks functioneren", "Dagelijks functioneren",
     "Of u de dingen van elke dag zelf kunt doen, zoals het huishouden, werk en geldzaken.", NULL},
};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct instrument instruments[] = {
    {"zrm", "Zelfredzaamheid", "professional", 1, 5, zrm_scale, COUNT(zrm_domains), zrm_domains, 30},
    {"positieve_gezondheid", "Positieve Gezondheid", "resident", 0, 10, pg_scale, COUNT(pg_domains), pg_domains, 0},
};

_Static_assert(COUNT(zrm_scale) == 5, "ZRM scale has 5 points");
_Static_assert(COUNT(zrm_domains) == 13, "ZRM has 13 domains");
_Static_assert(COUNT(pg_scale) == 11, "Positieve Gezondheid scale has 11 points");
_Static_assert(COUNT(pg_domains) == 6, "Positieve Gezondheid has 6 dimensions");

/* ---- generic code -------------------------------------------------------- */

int instrument_count(void)
{
    return COUNT(instruments);
}

const struct instrument *instrument_at(int i)
{
    if (i < 0 || i >= COUNT(instruments)) return NULL;
    return &instruments[i];
}

const struct instrument *instrument_find(const char *code)
{
    if (!code) return NULL;
    for (int i = 0; i < COUNT(instruments); i++)
        if (strcmp(instruments[i].code, code) == 0) return &instruments[i];
    return NULL;
}

const struct instrument_domain *instrument_domain(const struct instrument *inst, const char *code)
{
    if (!inst || !code) return NULL;
    for (int i = 0; i < inst->n_domains; i++)
        if (strcmp(inst->domains[i].code, code) == 0) return &inst->domains[i];
    return NULL;
}

int instrument_levels(const struct instrument *inst)
{
    return inst->max - inst->min + 1;
}

const struct instrument_level *instrument_scale_level(const struct instrument *inst, int value)
{
    if (!inst || value < inst->min || value > inst->max) return NULL;
    return &inst->scale[value - inst->min];
}

int instrument_is_current(const struct instrument *inst, int age_days)
{
    if (inst->max_age_days <= 0) return 1;
    return age_days >= 0 && age_days <= inst->max_age_days;
}

/* The name the instrument's audience reads. */
static const char *display_name(const struct instrument *inst, const struct instrument_domain *d)
{
    return strcmp(inst->audience, "resident") == 0 ? d->name_b1 : d->name;
}

/* Copies a user-supplied key for an error message: at most 40 bytes, and
 * anything outside [A-Za-z0-9_-] becomes '?', so the message stays one
 * harmless line whatever the client sent. */
static void sanitize_key(const char *key, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = key; *p && o + 1 < n && o < 40; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        out[o++] = ok ? c : '?';
    }
    out[o] = '\0';
}

#define FAIL(...)                                                                                                      \
    do {                                                                                                               \
        if (err && errlen) snprintf(err, errlen, __VA_ARGS__);                                                         \
        return -1;                                                                                                     \
    } while (0)

int instrument_validate(const struct instrument *inst, json_t *scores, char *err, size_t errlen)
{
    if (err && errlen) err[0] = '\0';
    if (!inst) FAIL("Onbekend instrument.");
    if (!json_is_object(scores)) FAIL("De scores ontbreken of zijn onleesbaar.");
    if (json_object_size(scores) == 0) FAIL("Vul voor minstens één onderdeel een score in.");

    const char *key;
    json_t *val;
    json_object_foreach(scores, key, val)
    {
        if (!instrument_domain(inst, key)) {
            char safe[48];
            sanitize_key(key, safe, sizeof safe);
            FAIL("Het onderdeel \"%s\" hoort niet bij %s.", safe, inst->name);
        }
    }
    for (int i = 0; i < inst->n_domains; i++) {
        const struct instrument_domain *d = &inst->domains[i];
        val = json_object_get(scores, d->code);
        if (!val) continue;
        if (!json_is_integer(val)) FAIL("De score voor %s moet een heel getal zijn.", display_name(inst, d));
        json_int_t v = json_integer_value(val);
        if (v < inst->min || v > inst->max)
            FAIL("De score voor %s moet tussen %d en %d liggen.", display_name(inst, d), inst->min, inst->max);
    }
    return 0;
}

/* json_string of s, or json null when s is NULL. */
static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *instrument_model(const struct instrument *inst)
{
    if (!inst) return NULL;
    int n = instrument_levels(inst);
    json_t *m = json_object();
    json_object_set_new(m, "code", json_string(inst->code));
    json_object_set_new(m, "name", json_string(inst->name));
    json_object_set_new(m, "audience", json_string(inst->audience));
    json_object_set_new(m, "min", json_integer(inst->min));
    json_object_set_new(m, "max", json_integer(inst->max));
    json_object_set_new(m, "max_age_days", json_integer(inst->max_age_days));

    json_t *scale = json_array();
    for (int i = 0; i < n; i++) {
        json_t *s = json_object();
        json_object_set_new(s, "value", json_integer(inst->scale[i].value));
        json_object_set_new(s, "label", str_or_null(inst->scale[i].label));
        json_array_append_new(scale, s);
    }
    json_object_set_new(m, "scale", scale);

    json_t *domains = json_array();
    for (int i = 0; i < inst->n_domains; i++) {
        const struct instrument_domain *d = &inst->domains[i];
        json_t *o = json_object();
        json_object_set_new(o, "code", json_string(d->code));
        json_object_set_new(o, "name", json_string(d->name));
        json_object_set_new(o, "name_b1", json_string(d->name_b1));
        json_object_set_new(o, "description", str_or_null(d->description));
        json_t *levels = json_array();
        for (int j = 0; d->levels && j < n; j++) {
            json_t *l = json_object();
            json_object_set_new(l, "value", json_integer(d->levels[j].value));
            json_object_set_new(l, "label", str_or_null(inst->scale[j].label));
            json_object_set_new(l, "description", str_or_null(d->levels[j].description));
            json_array_append_new(levels, l);
        }
        json_object_set_new(o, "levels", levels);
        json_array_append_new(domains, o);
    }
    json_object_set_new(m, "domains", domains);
    return m;
}

int instrument_progress(const struct instrument *inst, json_t *previous, json_t *current, json_t **out)
{
    if (out) *out = NULL;
    if (!inst || !out || !json_is_object(previous) || !json_is_object(current)) return -1;
    int improved = 0, same = 0, worse = 0, compared = 0;
    json_t *list = json_array();
    for (int i = 0; i < inst->n_domains; i++) {
        const struct instrument_domain *d = &inst->domains[i];
        json_t *p = json_object_get(previous, d->code);
        json_t *c = json_object_get(current, d->code);
        if (!json_is_integer(p) || !json_is_integer(c)) continue;
        json_int_t pv = json_integer_value(p), cv = json_integer_value(c);
        if (pv < inst->min || pv > inst->max || cv < inst->min || cv > inst->max) continue;
        json_int_t diff = cv - pv;
        const char *trend;
        if (diff > 0) {
            trend = "improved";
            improved++;
        } else if (diff < 0) {
            trend = "worse";
            worse++;
        } else {
            trend = "same";
            same++;
        }
        compared++;
        json_t *o = json_object();
        json_object_set_new(o, "code", json_string(d->code));
        json_object_set_new(o, "name", json_string(d->name));
        json_object_set_new(o, "name_b1", json_string(d->name_b1));
        json_object_set_new(o, "previous", json_integer(pv));
        json_object_set_new(o, "current", json_integer(cv));
        json_object_set_new(o, "diff", json_integer(diff));
        json_object_set_new(o, "trend", json_string(trend));
        json_array_append_new(list, o);
    }
    json_t *r = json_object();
    json_object_set_new(r, "improved", json_integer(improved));
    json_object_set_new(r, "same", json_integer(same));
    json_object_set_new(r, "worse", json_integer(worse));
    json_object_set_new(r, "domains", list);
    *out = r;
    return compared;
}
