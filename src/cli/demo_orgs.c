/*
 * demo_orgs.c - who speaks for which organisation of the demo's sociale kaart
 * (org_member, orgmember.h): the walking club nearest to the demo resident
 * (account wandelclub) and the community centre nearest to her (account
 * organisatie) are approved, as the municipality's kaartbeheer would have
 * done; the provider (account aanbieder) has asked for a day centre and
 * waits for approval. Nearest means from the postcode of household De Vries,
 * so the demo's journey finds "its" walking club within a short walk.
 */
#include <stdio.h>
#include <string.h>

#include "cli/demo_socialmap.h"
#include "core/util.h"
#include "domain/geo.h"
#include "domain/orgmember.h"

#define DEMO_HOME_POSTCODE "8011AB"

/* The organisation of the service named like `pattern` (SQL LIKE) whose
 * location lies nearest to the demo household. 0 when found, -1 if not. */
static int nearest_org(db_t *db, const char *gm, const char *pattern, char org_id[ORG_ID_MAX])
{
    int64_t hlat = 0, hlon = 0;
    db_stmt_t *st = db_prepare(db, "SELECT lat_e7, lon_e7 FROM postcode_geo WHERE gemeente = ? AND postcode = ?");
    db_bind_text(st, 1, gm);
    db_bind_text(st, 2, DEMO_HOME_POSTCODE);
    int found = db_step(st) == DB_ROW;
    if (found) {
        hlat = db_col_int(st, 0);
        hlon = db_col_int(st, 1);
    }
    db_done(st);
    if (!found) return -1;
    st = db_prepare(db, "SELECT s.organization_id, l.latitude, l.longitude FROM hsds_service s"
                        " JOIN hsds_service_at_location sal ON sal.service_id = s.id"
                        " JOIN hsds_location l ON l.id = sal.location_id"
                        " WHERE s.gemeente = ? AND s.name LIKE ? AND s.organization_id IS NOT NULL ORDER BY s.id");
    db_bind_text(st, 1, gm);
    db_bind_text(st, 2, pattern);
    int64_t best = -1;
    while (db_step(st) == DB_ROW) {
        int64_t lat, lon;
        if (geo_parse_e7(db_col_text(st, 1), 1, &lat) || geo_parse_e7(db_col_text(st, 2), 0, &lon)) continue;
        int64_t d = geo_distance_m(hlat, hlon, lat, lon);
        if (best < 0 || d < best) {
            best = d;
            snprintf(org_id, ORG_ID_MAX, "%s", db_col_text(st, 0));
        }
    }
    db_done(st);
    return best < 0 ? -1 : 0;
}

static int put_member(db_t *db, const char *gm, const char *username, const char *org_id, const char *status,
                      const char *motivation, int64_t now)
{
    db_stmt_t *st = db_prepare(db, "INSERT INTO org_member (account_id, gemeente, organization_id, status, motivation,"
                                   " decided_by, decided_at, created_at, updated_at)"
                                   " SELECT a.id, ?, ?, ?, ?, CASE WHEN ? = 'goedgekeurd' THEN (SELECT id FROM account"
                                   " WHERE username = 'beleid') END, CASE WHEN ? = 'goedgekeurd' THEN CAST(? AS BIGINT) END, ?, ?"
                                   " FROM account a WHERE a.username = ?");
    db_bind_text(st, 1, gm);
    db_bind_text(st, 2, org_id);
    db_bind_text(st, 3, status);
    db_bind_text(st, 4, motivation);
    db_bind_text(st, 5, status);
    db_bind_text(st, 6, status);
    db_bind_int(st, 7, now);
    db_bind_int(st, 8, now);
    db_bind_int(st, 9, now);
    db_bind_text(st, 10, username);
    int rc = db_step(st);
    db_done(st);
    return rc == DB_DONE && db_changes(db) == 1 ? 0 : -1;
}

int demo_orgs(db_t *db, const char *gm)
{
    static const struct {
        const char *username, *pattern, *status, *motivation;
    } members[] = {
        {"wandelclub", "Wandelclub %", "goedgekeurd", "Secretaris van de wandelvereniging."},
        {"organisatie", "Eettafel %", "goedgekeurd", "Coördinator van het buurthuis."},
        {"aanbieder", "Inloop dagbesteding %", "aangevraagd",
         "Zorggroep De Linde voert de inloop uit in opdracht van de stichting."},
    };
    int64_t now = now_s();
    if (db_begin(db) != DB_OK) return -1;
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
        char org[ORG_ID_MAX];
        if (nearest_org(db, gm, members[i].pattern, org) != 0 ||
            put_member(db, gm, members[i].username, org, members[i].status, members[i].motivation, now) != 0) {
            fprintf(stderr, "kantel demo: organisation of %s: %s\n", members[i].username, db_errmsg(db));
            db_rollback(db);
            return -1;
        }
    }
    return db_commit(db) == DB_OK ? 0 : -1;
}
