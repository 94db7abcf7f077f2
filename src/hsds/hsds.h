/*
 * hsds.h - the sociale kaart as Open Referral HSDS 3.0: the store (tables
 * hsds_<resource>, migration 0007), full objects, import and export.
 *
 * Full objects (hsds_full.c) are built from the store as the examples in
 * 3.0/examples/ show them: the object's fields, then its nested objects per
 * hsds_rels[] (arrays of children, single objects for the ids it refers to),
 * recursively; a nested object leaves out its link columns (the nesting says
 * them) and the relation back to the object it is nested in; a field without
 * a value and an empty array are left out; numbers are JSON numbers. The HSDS
 * read API builds its answers from hsds_full() and hsds_list_ids().
 *
 * Import (hsds_import*.c) stages every record of a JSON file or a tabular
 * directory in memory, merges the records that share an id, validates them
 * all (required fields, types, enums, ids, links to staged or stored rows,
 * unknown fields) and writes them only when there is no problem at all, in
 * one transaction, as upserts. With drop_dangling set, a link that names a
 * row neither in the import nor in the store is written as empty and
 * reported as a warning instead of a problem (not for required fields). Export (hsds_export.c) writes both forms.
 * See docs/hsds.md.
 */
#ifndef KANTEL_HSDS_H
#define KANTEL_HSDS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "hsds/hsds_schema.h"

/* The full object of a kind with that id in the municipality's store, or
 * NULL when there is none (or on a database error). New reference. */
json_t *hsds_full(db_t *db, const char *gemeente, enum hsds_kind kind, const char *id);

/* The ids of a kind, ordered by id: at most limit (limit < 0: all) from
 * offset, in *ids (n of them; free with hsds_free_ids) and the number of all
 * of them in *total. 0, or -1 on a database error. */
int hsds_list_ids(db_t *db, const char *gemeente, enum hsds_kind kind, int64_t offset, int64_t limit, char ***ids,
                  size_t *n, int64_t *total);
void hsds_free_ids(char **ids, size_t n);

/* ---- import ---------------------------------------------------------------- */

typedef struct hsds_import hsds_import_t;

hsds_import_t *hsds_import_new(db_t *db, const char *gemeente);
void hsds_import_free(hsds_import_t *imp);
/* on != 0 (`--drop-dangling`; off by default): a link that names a row
 * neither staged in this import nor stored for this municipality is not a
 * problem but a warning, and the field is written as empty (NULL). A link
 * in a field the datapackage requires (HSDS_REQUIRED) stays a problem. Set
 * before hsds_import_commit. */
void hsds_import_set_drop_dangling(hsds_import_t *imp, int on);
/* Stages a JSON file: one object, an array of objects or a list page with
 * "contents". kind: enum hsds_kind, or -1 to infer it from the file name
 * (service_full.json, services.json, ...) or else from the first object's
 * fields. Problems are collected; returns their number so far. */
size_t hsds_stage_json(hsds_import_t *imp, const char *path, int kind);
/* Stages a tabular directory: DIR/datapackage.json names the CSV files. */
size_t hsds_stage_dir(hsds_import_t *imp, const char *dir);
/* Validates what is staged and, when there is no problem, writes it in one
 * transaction (rolled back at the first database error). 0 when written;
 * -1 when nothing was written (see the problems). */
int hsds_import_commit(hsds_import_t *imp);
size_t hsds_import_problems(const hsds_import_t *imp);
/* Problem i: "WHERE: FIELD: MESSAGE", WHERE being FILE:LINE (CSV) or FILE:
 * RECORD-PATH (JSON). */
const char *hsds_import_problem(const hsds_import_t *imp, size_t i);
/* After hsds_import_commit: the dangling links that are not in a required
 * field, i.e. those drop_dangling leaves empty; without it they are among the
 * problems. */
size_t hsds_import_dangling(const hsds_import_t *imp);
/* Warnings: with drop_dangling, one per link left empty, in the format of the
 * problems ("WHERE: FIELD: links to ...; dropped (--drop-dangling)"). */
size_t hsds_import_warnings(const hsds_import_t *imp);
const char *hsds_import_warning(const hsds_import_t *imp, size_t i);
/* Records staged for resource r (after merging equal ids). */
size_t hsds_import_count(const hsds_import_t *imp, const struct hsds_resource *r);

/* ---- export ---------------------------------------------------------------- */

/* Writes DIR/datapackage.json, DIR/<resource>.csv for every resource and
 * DIR/json/<kinds>.json. DIR must not exist or be empty. 0, or -1 with a
 * message in err. */
int hsds_export(db_t *db, const char *gemeente, const char *dir, char *err, size_t errlen);

#endif
