/*
 * search_load.c - search_index_build: reads one municipality's sociale kaart
 * from the store in one read snapshot, with one set-based query per kind of
 * row (services, locations, schedules, cost options, taxonomy terms), and
 * feeds the rows to the pure builder in search.c. No query per service: the
 * cost is a handful of scans, whatever the number of services.
 *
 * The queries do not sort: the builder orders everything by id in byte order
 * itself, so both drivers (whose collations differ) give the same index.
 *
 * "(gemeente || '') = ?" instead of "gemeente = ?" on purpose: it keeps
 * SQLite from walking the (gemeente, id) index, which visits the rows in
 * random id order (every row a page read: 2.5 s instead of 0.5 s at 50,000
 * services); a plain scan reads the table in storage order. A municipality
 * usually has the database to itself, so the scan reads little else.
 */
#include <stdio.h>
#include <string.h>

#include "domain/search.h"

/* NULL for an SQL NULL, else the text (valid until the next step). */
static const char *col(db_stmt_t *st, int i)
{
    return db_col_is_null(st, i) ? NULL : db_col_text(st, i);
}

static int finish(db_t *db, db_stmt_t *st, int rc, const char *what, char *err, size_t errlen)
{
    if (rc != DB_DONE) snprintf(err, errlen, "search index: reading %s: %s", what, db_errmsg(db));
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}

static int load_services(db_t *db, const char *gm, search_builder_t *b, char *err, size_t errlen)
{
    db_stmt_t *st = db_prepare(
        db, "SELECT s.id, s.name, s.description, s.organization_id, o.name, s.status,"
            " CASE WHEN l.hidden_at IS NULL THEN 0 ELSE 1 END, s.minimum_age, s.maximum_age, s.fees_description"
            " FROM hsds_service s"
            " LEFT JOIN hsds_organization o ON o.id = s.organization_id"
            " LEFT JOIN listing l ON l.service_id = s.id"
            " WHERE (s.gemeente || '') = ?");
    db_bind_text(st, 1, gm);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct search_row_service r = {
            .id = col(st, 0),
            .name = col(st, 1),
            .description = col(st, 2),
            .org_id = col(st, 3),
            .org_name = col(st, 4),
            .status = col(st, 5),
            .hidden = (int)db_col_int(st, 6),
            .minimum_age = col(st, 7),
            .maximum_age = col(st, 8),
            .fees_description = col(st, 9),
        };
        search_builder_service(b, &r);
    }
    return finish(db, st, rc, "services", err, errlen);
}

static int load_locations(db_t *db, const char *gm, search_builder_t *b, char *err, size_t errlen)
{
    db_stmt_t *st = db_prepare(
        db, "SELECT sal.service_id, sal.id, l.name, l.latitude, l.longitude, a.id, a.address_type, a.address_1,"
            " a.postal_code, a.city"
            " FROM hsds_service_at_location sal"
            " JOIN hsds_location l ON l.id = sal.location_id"
            " LEFT JOIN hsds_address a ON a.location_id = l.id"
            " WHERE (sal.gemeente || '') = ?");
    db_bind_text(st, 1, gm);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct search_row_location r = {
            .service_id = col(st, 0),
            .sal_id = col(st, 1),
            .name = col(st, 2),
            .latitude = col(st, 3),
            .longitude = col(st, 4),
            .address_id = col(st, 5),
            .address_type = col(st, 6),
            .address_1 = col(st, 7),
            .postal_code = col(st, 8),
            .city = col(st, 9),
        };
        search_builder_location(b, &r);
    }
    return finish(db, st, rc, "locations", err, errlen);
}

static int load_schedules(db_t *db, const char *gm, search_builder_t *b, char *err, size_t errlen)
{
    db_stmt_t *st = db_prepare(
        db, "SELECT sc.id, sc.service_id, sal.service_id, sc.description, sc.freq, sc.\"interval\", sc.byday,"
            " sc.bymonthday, sc.dtstart, sc.\"until\", sc.valid_from, sc.valid_to, sc.opens_at, sc.closes_at,"
            " sc.\"count\", sc.byweekno, sc.byyearday"
            " FROM hsds_schedule sc"
            " LEFT JOIN hsds_service_at_location sal ON sal.id = sc.service_at_location_id"
            " WHERE (sc.gemeente || '') = ? AND (sc.service_id IS NOT NULL OR sc.service_at_location_id IS NOT NULL)");
    db_bind_text(st, 1, gm);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct search_row_schedule r = {
            .id = col(st, 0),
            .service_id = col(st, 1),
            .sal_service_id = col(st, 2),
            .description = col(st, 3),
            .text = {.freq = col(st, 4),
                     .interval = col(st, 5),
                     .byday = col(st, 6),
                     .bymonthday = col(st, 7),
                     .dtstart = col(st, 8),
                     .until = col(st, 9),
                     .valid_from = col(st, 10),
                     .valid_to = col(st, 11),
                     .opens_at = col(st, 12),
                     .closes_at = col(st, 13),
                     .count = col(st, 14),
                     .byweekno = col(st, 15),
                     .byyearday = col(st, 16)},
        };
        search_builder_schedule(b, &r);
    }
    return finish(db, st, rc, "schedules", err, errlen);
}

static int load_costs(db_t *db, const char *gm, search_builder_t *b, char *err, size_t errlen)
{
    db_stmt_t *st = db_prepare(db, "SELECT service_id, id, \"option\", amount, amount_description, currency"
                                   " FROM hsds_cost_option WHERE (gemeente || '') = ? AND service_id IS NOT NULL");
    db_bind_text(st, 1, gm);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct search_row_cost r = {
            .service_id = col(st, 0),
            .id = col(st, 1),
            .option = col(st, 2),
            .amount = col(st, 3),
            .amount_description = col(st, 4),
            .currency = col(st, 5),
        };
        search_builder_cost(b, &r);
    }
    return finish(db, st, rc, "cost options", err, errlen);
}

/* Terms of every municipality (a small table; the Kantel terms are shared
 * by id), then this municipality's links, joined by the builder. */
static int load_terms(db_t *db, const char *gm, search_builder_t *b, char *err, size_t errlen)
{
    db_stmt_t *st = db_prepare(db, "SELECT id, code, name, taxonomy FROM hsds_taxonomy_term");
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct search_row_term r = {
            .term_id = col(st, 0), .code = col(st, 1), .name = col(st, 2), .taxonomy = col(st, 3)};
        search_builder_term(b, &r);
    }
    if (finish(db, st, rc, "taxonomy terms", err, errlen)) return -1;
    st = db_prepare(db, "SELECT link_id, taxonomy_term_id FROM hsds_attribute"
                        " WHERE (gemeente || '') = ? AND link_entity = 'service'");
    db_bind_text(st, 1, gm);
    while ((rc = db_step(st)) == DB_ROW) search_builder_link(b, col(st, 0), col(st, 1));
    return finish(db, st, rc, "attributes", err, errlen);
}

search_index_t *search_index_build(db_t *db, const char *gemeente, char *err, size_t errlen)
{
    if (!db || !gemeente) {
        snprintf(err, errlen, "search index: no database or municipality");
        return NULL;
    }
    int own = !db_in_transaction(db);
    if (own && db_begin_read(db) != DB_OK) {
        snprintf(err, errlen, "search index: cannot begin a read transaction: %s", db_errmsg(db));
        return NULL;
    }
    search_builder_t *b = search_builder_new();
    char version[96];
    int rc = search_version(db, gemeente, version, sizeof version);
    if (rc)
        snprintf(err, errlen, "search index: reading the version: %s", db_errmsg(db));
    else
        search_builder_version(b, version);
    if (!rc) rc = load_services(db, gemeente, b, err, errlen);
    if (!rc) rc = load_locations(db, gemeente, b, err, errlen);
    if (!rc) rc = load_schedules(db, gemeente, b, err, errlen);
    if (!rc) rc = load_costs(db, gemeente, b, err, errlen);
    if (!rc) rc = load_terms(db, gemeente, b, err, errlen);
    if (own) db_rollback(db); /* read only: nothing to keep */
    if (rc) {
        search_builder_free(b);
        return NULL;
    }
    return search_builder_finish(b);
}
