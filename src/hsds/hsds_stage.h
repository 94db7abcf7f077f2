/*
 * hsds_stage.h - inside the HSDS import: the staging area shared by the JSON
 * reader (hsds_import_json.c), the tabular reader (hsds_import_csv.c) and
 * validation and writing (hsds_import.c). Not for use outside src/hsds/.
 *
 * A staged row is one record of one resource: a value per field (malloc'd
 * text or NULL when absent) and where it came from, for messages. Rows are
 * found by (resource, id) through a hash table, so a record that appears
 * several times (the same phone nested under a service and a location) is
 * merged into one row.
 */
#ifndef KANTEL_HSDS_STAGE_H
#define KANTEL_HSDS_STAGE_H

#include "hsds/hsds.h"

#define HSDS_ID_MAX 64

struct hsds_row {
    int res;      /* index into hsds_resources */
    char **vals;  /* n_fields values, NULL = absent */
    char *origin; /* "FILE:LINE" or "FILE: PATH" of the first occurrence */
};

struct hsds_import {
    db_t *db;
    char *gemeente;
    int json; /* JSON input: JSON Schema required fields; an upsert keeps stored links the record leaves empty */
    struct hsds_row *rows;
    size_t n, cap;
    long *slots; /* hash table of row indexes, -1 = empty */
    size_t nslots;
    int drop_dangling; /* --drop-dangling: a dangling link that is not required is left empty, with a warning */
    size_t dangling;   /* dangling links --drop-dangling leaves (or would leave) empty */
    char **problems;
    size_t np, pcap;
    char **warnings; /* "origin: field: message" of each dropped link */
    size_t nw, wcap;
};

/* Records a problem "origin: field: message" (field may be NULL). */
void hsds_problem(hsds_import_t *imp, const char *origin, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Checks an id value: non-empty, at most HSDS_ID_MAX bytes. 0 or -1 after recording a problem. */
int hsds_check_id(hsds_import_t *imp, const char *origin, const char *id);
/* The staged row of resource r with that id, or -1. */
long hsds_find(const hsds_import_t *imp, int res, const char *id);
/* Stages a record (takes vals; the id field must be set). An earlier row with
 * the same id: when dup_is_error, a problem; otherwise merged - a field set
 * in both must have the same value. Returns the row index or -1. */
long hsds_stage(hsds_import_t *imp, const struct hsds_resource *r, char **vals, const char *origin, int dup_is_error);
/* Reads a whole file (NUL-terminated, *len bytes). NULL with errno set. */
char *hsds_read_file(const char *path, size_t *len);

#endif
