/*
 * model.h - the descriptor tables of the iStandaarden model (internal to
 * src/istd and its tests).
 *
 * Every class of istd.h (Header, Client, Relatie, … Prestatie) and every
 * composite type of the basisschema (CDT_Omvang, CDT_Adres …) has a table of
 * its XML elements in schema order: the superset over the fourteen messages
 * of both laws, each element marked with the messages and laws it occurs in,
 * the messages in which it is required, the namespace it lives in and where
 * its value sits in the istd.h struct. The reader and the writer (xml.c) walk
 * these tables and nothing else; tests/unit/test_istd_xml.c checks them
 * against the official XSDs.
 *
 * Namespaces: an element declared in a message schema (the children of the
 * message's own complexTypes: Header, Client, Prestatie, RetourCodes …) is in
 * the message namespace (jw301, wmo323 …); the children of the CDT_* types
 * are declared in the basisschema, whose elementFormDefault is qualified, so
 * they are in the basisschema namespace (ijw / iwmo).
 */
#ifndef KANTEL_ISTD_MODEL_H
#define KANTEL_ISTD_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "istd/istd.h"

/* Bit of a message in istd_field.msgs / .req, and of a law in .laws. */
#define ISTD_MSG(k)   ((uint16_t)(1u << (k)))
#define ISTD_LAW(l)   ((uint8_t)(1u << (l)))
#define ISTD_ALL_MSGS ((uint16_t)((1u << IK_COUNT) - 1))
#define ISTD_ALL_LAWS ((uint8_t)(ISTD_LAW(ISTD_WMO) | ISTD_LAW(ISTD_JW)))

typedef enum istd_ftype {
    ISTD_F_TEXT,  /* char *, NULL = absent */
    ISTD_F_INT,   /* int64_t, ISTD_NONE = absent */
    ISTD_F_EMBED, /* an embedded struct described by sub: a CDT_* or a class */
    ISTD_F_LIST,  /* wrapper element (name) around items (item) of class sub:
                     a pointer at off and an int count at count_off */
    ISTD_F_CODES, /* RetourCodes/RetourCode: an istd_codes_t at off */
} istd_ftype;

typedef enum istd_ns { ISTD_NS_MSG, ISTD_NS_BASE } istd_ns;

typedef struct istd_class istd_class_t;

typedef struct istd_field {
    const char *name; /* XML element name (the wrapper for lists) */
    istd_ftype type;
    istd_ns ns;              /* namespace of the element itself */
    size_t off;              /* offset of the value in the class's struct */
    size_t count_off;        /* ISTD_F_LIST: offset of the int count */
    const char *item;        /* ISTD_F_LIST / ISTD_F_CODES: the repeating element */
    const istd_class_t *sub; /* ISTD_F_EMBED, ISTD_F_LIST: the class of the value */
    uint16_t msgs;           /* messages (ISTD_MSG(kind)) it occurs in */
    uint16_t req;            /* messages in which it is required (subset of msgs) */
    uint8_t laws;            /* laws (ISTD_LAW(law)) it occurs in */
} istd_field_t;

struct istd_class {
    const char *name; /* "Client", "CDT_Omvang" (for messages and tests) */
    const istd_field_t *fields;
    int n;
    size_t size;  /* sizeof the struct */
    int class_id; /* istd_class_id to initialise list items, or -1 */
};

/* The root element Bericht (Header, Client, Antwoord, Declaratie,
 * DeclaratieAntwoord) over istd_msg_t; everything else hangs below it. */
extern const istd_class_t istd_cls_bericht;

/* All tables (for tests and tools), NULL-terminated. */
extern const istd_class_t *const istd_classes[];

/* 1 when field f occurs in message kind k of law. */
static inline int istd_field_active(const istd_field_t *f, istd_law law, istd_kind k)
{
    return (f->msgs & ISTD_MSG(k)) && (f->laws & ISTD_LAW(law));
}

static inline int istd_field_required(const istd_field_t *f, istd_kind k)
{
    return (f->req & ISTD_MSG(k)) != 0;
}

/* 1 when the value of f in obj (a struct of f's class) is present: a
 * non-empty string, an integer other than ISTD_NONE, a list with items,
 * codes with n > 0, an embedded struct with any present value among the
 * fields active for law and k. */
int istd_field_present(const istd_field_t *f, const void *obj, istd_law law, istd_kind k);
int istd_class_present(const istd_class_t *c, const void *obj, istd_law law, istd_kind k);

/* The basisschema namespace of a law, e.g.
 * http://www.istandaarden.nl/ijw/3_2/basisschema/schema (out >= 64 bytes). */
void istd_base_namespace(istd_law law, char *out, size_t n);
/* Prefixes the writer uses: "ijw"/"iwmo" and "jw301"/"wmo301" (static). */
const char *istd_base_prefix(istd_law law);
const char *istd_msg_prefix(istd_law law, istd_kind k);
/* Law and kind of a message namespace URI; 0 or -1. */
int istd_kind_of_namespace(const char *uri, istd_law *law, istd_kind *kind);

/* ---- shared by xml.c and xsd.c ------------------------------------------ */

/* Where libxml2 and the walker put their errors: lines "regel N: text\n"
 * appended to out (up to max lines, when out is not NULL) and the first one
 * kept in first (when not NULL). */
typedef struct istd_errsink {
    buf_t *out;
    int max;
    int n; /* errors seen, also those beyond max */
    char *first;
    size_t firstlen;
} istd_errsink_t;

void istd_errsink_add(istd_errsink_t *s, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Calls xmlInitParser() once per process (thread-safe). */
void istd_xml_init(void);

struct _xmlDoc;
/* Parses a document the safe way: at most ISTD_MAX_BYTES, network off, no
 * entity substitution, no DTD loading; a document with a DOCTYPE is refused
 * as soon as the parser meets it, as is one with an entity reference. All
 * parse errors go to s, nothing to stderr. Returns the document (the caller
 * frees it with xmlFreeDoc) or NULL. */
struct _xmlDoc *istd_xml_parse(const char *xml, size_t len, istd_errsink_t *s);

/* istd_read and istd_xsd_validate on a document parsed by istd_xml_parse
 * (the document is not freed). Errors go to s. */
int istd_read_doc(struct _xmlDoc *d, arena_t *a, istd_msg_t *m, istd_errsink_t *s);
int istd_xsd_validate_doc(istd_xsd_t *x, struct _xmlDoc *d, buf_t *report, int max);

#endif
