/*
 * socialmap.c - Kantel's taxonomy on the sociale kaart (see socialmap.h).
 */
#include "domain/socialmap.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/instrument.h"

const struct socialmap_age_group socialmap_age_groups[] = {
    {"kinderen", "Kinderen (0-11 jaar)", 0, 11},
    {"jongeren", "Jongeren (12-17 jaar)", 12, 17},
    {"jongvolwassenen", "Jongvolwassenen (18-26 jaar)", 18, 26},
    {"volwassenen", "Volwassenen (27-64 jaar)", 27, 64},
    {"ouderen", "Ouderen (65 jaar en ouder)", 65, -1},
};
const size_t socialmap_age_group_count = sizeof socialmap_age_groups / sizeof socialmap_age_groups[0];

void socialmap_uuid(const char *name, char out[37])
{
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)name, strlen(name),
                       (const unsigned char *)"kantel-uuid-v8", 14);
    h[6] = (unsigned char)((h[6] & 0x0F) | 0x80); /* version 8 */
    h[8] = (unsigned char)((h[8] & 0x3F) | 0x80); /* variant 10 */
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
        out[o++] = hex[h[i] >> 4];
        out[o++] = hex[h[i] & 15];
    }
    out[o] = '\0';
}

void socialmap_term_id(const char *code, char out[37])
{
    char name[160];
    snprintf(name, sizeof name, "kantel-term:%s", code);
    socialmap_uuid(name, out);
}

static int put_term(db_t *db, const char *gemeente, const char *taxonomy_id, const char *code, const char *name,
                    const char *description, const char *parent_code)
{
    char id[37], parent[37];
    socialmap_term_id(code, id);
    if (parent_code) socialmap_term_id(parent_code, parent);
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO hsds_taxonomy_term (id, gemeente, code, name, description, parent_id, taxonomy, language,"
        " taxonomy_id) VALUES (?, ?, ?, ?, ?, ?, ?, 'nl', ?)"
        " ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, gemeente);
    db_bind_text(st, 3, code);
    db_bind_text(st, 4, name);
    db_bind_text(st, 5, description);
    db_bind_text(st, 6, parent_code ? parent : NULL);
    db_bind_text(st, 7, SOCIALMAP_TAXONOMY);
    db_bind_text(st, 8, taxonomy_id);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}

int socialmap_taxonomy_ensure(db_t *db, const char *gemeente)
{
    char tax[37];
    socialmap_uuid("kantel-taxonomy", tax);
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO hsds_taxonomy (id, gemeente, name, description, version) VALUES (?, ?, ?, ?, '1')"
        " ON CONFLICT (id) DO NOTHING");
    db_bind_text(st, 1, tax);
    db_bind_text(st, 2, gemeente);
    db_bind_text(st, 3, SOCIALMAP_TAXONOMY);
    db_bind_text(st, 4, "Levensdomeinen, treden van de kantelladder en leeftijdsgroepen van Kantel");
    int rc = db_step(st) == DB_DONE ? 0 : -1;
    db_done(st);
    if (rc) return -1;

    rc |= put_term(db, gemeente, tax, "levensdomein", "Levensdomein", "Het levensdomein waar het aanbod bij helpt",
                   NULL);
    const struct instrument *zrm = instrument_find("zrm");
    for (int i = 0; zrm && i < zrm->n_domains; i++) {
        char code[80];
        snprintf(code, sizeof code, "levensdomein/%s", zrm->domains[i].code);
        rc |= put_term(db, gemeente, tax, code, zrm->domains[i].name, zrm->domains[i].name, "levensdomein");
    }
    rc |= put_term(db, gemeente, tax, "trede", "Trede", "De trede van de kantelladder", NULL);
    rc |= put_term(db, gemeente, tax, "trede/4", "Buurt en vrijwilligers",
                   "Trede 4: wat de buurt, verenigingen en vrijwilligers bieden", "trede");
    rc |= put_term(db, gemeente, tax, "trede/5", "Algemene voorziening",
                   "Trede 5: vrij toegankelijk aanbod zonder indicatie", "trede");
    rc |= put_term(db, gemeente, tax, "leeftijd", "Leeftijdsgroep", "Voor wie het aanbod is", NULL);
    for (size_t i = 0; i < socialmap_age_group_count; i++) {
        char code[80];
        snprintf(code, sizeof code, "leeftijd/%s", socialmap_age_groups[i].code);
        rc |= put_term(db, gemeente, tax, code, socialmap_age_groups[i].name, socialmap_age_groups[i].name,
                       "leeftijd");
    }
    return rc ? -1 : 0;
}
