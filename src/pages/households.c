/*
 * households.c - finding households, creating one with its first member, the
 * household overview, adding members, transferring the coordinator role, and
 * the caseload of a generalist and of a team (issue 3, items 1 and 3).
 *
 * Need-to-know: lists only show households the user coordinates or whose team
 * the user belongs to; every /huishoudens/{id}/... handler starts with
 * hh_load(). Search terms (a BSN!) never reach a log line or an audit detail:
 * the gate audits the route pattern, and the audit events written here carry
 * ids only. BSNs are looked up through their keyed hash (person_by_bsn), never
 * by decrypting; the overview decrypts only to show the masked form.
 *
 * Memory: models are jansson objects handed to http_page (which steals them);
 * strings kept between statements are copied into req->arena.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth/audit.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/household.h"
#include "domain/request.h"
#include "domain/ident.h"
#include "pages/hh.h"
#include "pages/pages.h"

#define LIST_LIMIT 100
#define SOON_DAYS 5
#define REASON_MIN 10

/* ---- code tables --------------------------------------------------------- */

struct code_label {
    const char *code, *label;
};

static const struct code_label relations[] = {
    {"hoofdbewoner", "Hoofdbewoner"}, {"partner", "Partner"},       {"kind", "Kind"},
    {"pleegkind", "Pleegkind"},       {"ouder", "Ouder"},           {"broer_zus", "Broer of zus"},
    {"grootouder", "Grootouder"},     {"overig", "Ander familielid of huisgenoot"},
};
static const struct code_label genders[] = {
    {"onbekend", "Onbekend"}, {"vrouw", "Vrouw"}, {"man", "Man"}, {"anders", "Anders"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *label_of(const struct code_label *t, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (code && strcmp(t[i].code, code) == 0) return t[i].label;
    return NULL;
}

/* [{code, label, selected}] for a select. */
static json_t *options(const struct code_label *t, size_t n, const char *selected)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "code", t[i].code, "label", t[i].label, "selected",
                                              selected && strcmp(selected, t[i].code) == 0));
    return list;
}

/* ---- small helpers ------------------------------------------------------- */

/* The parameter without surrounding white space, copied into the arena; ""
 * when absent. */
static const char *field(http_req_t *req, const char *name)
{
    const char *v = http_param(req, name);
    if (!v) return "";
    while (isspace((unsigned char)*v)) v++;
    size_t n = strlen(v);
    while (n && isspace((unsigned char)v[n - 1])) n--;
    return arena_strndup(req->arena, v, n);
}

static void field_error(http_req_t *req, const char *name, const char *msg)
{
    json_object_set_new(req->errors, name, json_string(msg));
}

/* Checks a BSN as typed (elfproef) into out (9 digits); a problem goes to the
 * bsn field. Returns 0 when valid. */
static int check_bsn(http_req_t *req, const char *bsn, char out[10])
{
    const char *why = NULL;
    if (bsn_check(bsn, out, &why) == 0) return 0;
    field_error(req, "bsn", why ? why : "Dit BSN klopt niet.");
    return -1;
}

/* Checks a postcode as typed into out ("1234AB"); a problem goes to the
 * postcode field. */
static void check_postcode(http_req_t *req, const char *pc, char out[7])
{
    const char *why = postcode_why(pc);
    if (why || postcode_normalise(pc, out) != 0) field_error(req, "postcode", why ? why : "Deze postcode klopt niet.");
}

/* Replaces the gate's generic "Vul dit veld in." with a clearer sentence. */
static void required_message(http_req_t *req, const char *name, const char *msg)
{
    if (json_object_get(req->errors, name) && !*field(req, name)) field_error(req, name, msg);
}

static int64_t account_team(int64_t account_id)
{
    db_stmt_t *st = db_prepare(db_thread(), "SELECT team_id FROM account WHERE id = ?");
    db_bind_int(st, 1, account_id);
    int64_t t = db_step(st) == DB_ROW && !db_col_is_null(st, 0) ? db_col_int(st, 0) : 0;
    db_done(st);
    return t;
}

static day_t today(void) { return day_today_amsterdam(now_s()); }

/* "23 november 1980" (day_format_nl without the weekday); "" for no date. */
static const char *date_nl(http_req_t *req, const char *iso)
{
    day_t d;
    if (!iso || day_parse(iso, &d) != 0) return "";
    char s[48];
    day_format_nl(d, s, sizeof s);
    const char *sp = strchr(s, ' ');
    return arena_strdup(req->arena, sp ? sp + 1 : s);
}

/* Whole years from birth to today, or -1 without a date. */
static int age_years(const char *iso)
{
    day_t b;
    if (!iso || day_parse(iso, &b) != 0) return -1;
    int by, bm, bd, ty, tm, td;
    day_to_ymd(b, &by, &bm, &bd);
    day_to_ymd(today(), &ty, &tm, &td);
    int age = ty - by - ((tm < bm || (tm == bm && td < bd)) ? 1 : 0);
    return age < 0 ? 0 : age;
}

/* "Dorpsstraat 12 a, 1234 AB Kantelstad" from the address columns. */
static const char *address_line(http_req_t *req, const char *street, int64_t number, const char *addition,
                                const char *postcode, const char *city)
{
    if (!*postcode) return "";
    char pc[8];
    postcode_format(postcode, pc);
    return arena_printf(req->arena, "%s%s%lld%s%s, %s%s%s", street, *street ? " " : "", (long long)number,
                        *addition ? " " : "", addition, pc, *city ? " " : "", city);
}

static const char *display_name(http_req_t *req, const char *given, const char *prefix, const char *family)
{
    char n[640];
    person_display_name(given, prefix, family, n, sizeof n);
    return arena_strdup(req->arena, n);
}

/* "/huishoudens/<id><tail>" (arena): the overview, or tail's part of it. */
static const char *household_href(http_req_t *req, int64_t id, const char *tail)
{
    return arena_printf(req->arena, "/huishoudens/%lld%s", (long long)id, tail);
}

static void audit_household(http_req_t *req, const char *action, const char *result, int64_t household_id,
                            const char *detail)
{
    http_audit(req, action, "household", household_id, result, detail);
}

/* {name: typed value} for the named fields, so a form is re-shown with what
 * was typed; every value "" when !keep (a fresh form). New reference. */
static json_t *form_values(http_req_t *req, const char *const *names, size_t n, int keep)
{
    json_t *form = json_object();
    for (size_t i = 0; i < n; i++) {
        const char *v = keep ? http_param(req, names[i]) : NULL;
        json_object_set_new(form, names[i], json_string(v ? v : ""));
    }
    return form;
}

struct field_name {
    const char *name, *label;
};

/* The error summary: [{href, label, message}] in form order, plus the
 * per-field messages (field_errors) and the general sentence (error). */
static void error_summary(http_req_t *req, json_t *m, const char *error, const char *id_prefix,
                          const struct field_name *fields, size_t n)
{
    json_object_set_new(m, "error", json_string(error));
    json_object_set(m, "field_errors", req->errors);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *msg = json_object_get(req->errors, fields[i].name);
        if (!msg) continue;
        json_array_append_new(list, json_pack("{s:s, s:s, s:O}", "href",
                                              arena_printf(req->arena, "#%s%s", id_prefix, fields[i].name), "label",
                                              fields[i].label, "message", msg));
    }
    json_object_set_new(m, "has_error_list", json_boolean(json_array_size(list) > 0));
    json_object_set_new(m, "error_list", list);
}

/* ---- person fields (shared by "new household" and "add member") --------- */

/* Checks the person fields beyond what the gate did and fills p (strings in
 * the arena, bsn into bsn_buf when given). Problems go to req->errors. */
static void read_person(http_req_t *req, struct person_in *p, char bsn_buf[10])
{
    required_message(req, "voornamen", "Vul de voornamen in.");
    required_message(req, "achternaam", "Vul de achternaam in.");
    memset(p, 0, sizeof *p);
    p->given_names = field(req, "voornamen");
    p->prefix = field(req, "tussenvoegsel");
    p->family_name = field(req, "achternaam");
    const char *bsn = field(req, "bsn");
    if (*bsn && check_bsn(req, bsn, bsn_buf) == 0) p->bsn = bsn_buf;
    const char *bd = field(req, "geboortedatum");
    if (*bd && !json_object_get(req->errors, "geboortedatum")) {
        day_t d;
        if (day_parse(bd, &d) != 0) field_error(req, "geboortedatum", "Deze datum bestaat niet.");
        else if (d > today()) field_error(req, "geboortedatum", "Een geboortedatum kan niet in de toekomst liggen.");
        else p->birth_date = bd;
    }
    const char *g = field(req, "geslacht");
    if (*g && !label_of(genders, COUNT(genders), g)) field_error(req, "geslacht", "Kies een geslacht uit de lijst.");
    p->gender = *g ? g : "onbekend";
    const char *tel = field(req, "telefoon");
    if (*tel) {
        int digits = 0, bad = 0;
        for (const char *c = tel; *c; c++) {
            if (isdigit((unsigned char)*c)) digits++;
            else if (!strchr(" +-()", *c)) bad = 1;
        }
        if (bad || digits < 6 || digits > 15)
            field_error(req, "telefoon", "Vul een telefoonnummer in met 6 tot 15 cijfers, bijvoorbeeld 06 12345678.");
    }
    p->phone = tel;
    p->email = field(req, "email");
}

/* A household of person_id the user may open (coordinator, team or an active
 * break-the-glass grant), or 0. */
static int64_t visible_household_of(http_req_t *req, int64_t person_id)
{
    int64_t found = 0, now = now_s();
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT household_id FROM household_member WHERE person_id = ? ORDER BY household_id");
    db_bind_int(st, 1, person_id);
    int64_t ids[20];
    int n = 0;
    while (n < 20 && db_step(st) == DB_ROW) ids[n++] = db_col_int(st, 0);
    db_done(st);
    for (int i = 0; i < n && !found; i++) {
        enum hh_access a = household_access(db_thread(), req->user->gemeente, req->user->id, ids[i], now);
        if (a == HH_COORDINATOR || a == HH_TEAM || a == HH_BREAK_GLASS) found = ids[i];
    }
    return found;
}

#define DUPLICATE_BSN "Er staat al een inwoner met dit BSN in deze gemeente."

/* The duplicate-BSN message on the bsn field, and a link to the household
 * of that person when the user may see it. */
static void duplicate_bsn(http_req_t *req, json_t *m, int64_t person_id)
{
    field_error(req, "bsn", DUPLICATE_BSN);
    int64_t hid = visible_household_of(req, person_id);
    if (hid) json_object_set_new(m, "duplicate_href", json_string(household_href(req, hid, "")));
}

/* ---- GET /huishoudens ---------------------------------------------------- */

/* Lower-case ASCII LIKE pattern "term%" with \ % _ escaped. */
static const char *like_prefix(http_req_t *req, const char *term)
{
    size_t n = strlen(term);
    char *out = arena_alloc(req->arena, 2 * n + 2), *o = out;
    for (const char *c = term; *c; c++) {
        if (*c == '\\' || *c == '%' || *c == '_') *o++ = '\\';
        *o++ = (char)tolower((unsigned char)*c);
    }
    *o++ = '%';
    *o = 0;
    return out;
}

/* Current members of a household: [{name, relation, birth_date}]. */
static json_t *member_summaries(http_req_t *req, int64_t household_id)
{
    json_t *list = json_array();
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT p.given_names, p.prefix, p.family_name, COALESCE(p.birth_date, ''), m.relation"
        " FROM household_member m JOIN person p ON p.id = m.person_id"
        " WHERE m.household_id = ? AND m.until IS NULL"
        " ORDER BY CASE m.relation WHEN 'hoofdbewoner' THEN 0 WHEN 'partner' THEN 1 ELSE 2 END,"
        " p.birth_date, p.id");
    db_bind_int(st, 1, household_id);
    while (db_step(st) == DB_ROW) {
        const char *rel = label_of(relations, COUNT(relations), db_col_text(st, 4));
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "name",
            display_name(req, db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2)), "relation",
            rel ? rel : "", "birth_date", date_nl(req, db_col_text(st, 3)), "birth_date_iso", db_col_text(st, 3)));
    }
    db_done(st);
    return list;
}

static const struct field_name search_fields[] = {
    {"zoek", "Naam"}, {"bsn", "BSN"}, {"postcode", "Postcode"}, {"geboortedatum", "Geboortedatum"},
};

void page_households(http_req_t *req)
{
    db_t *db = db_thread();
    json_t *m = json_pack("{s:s}", "title", "Huishoudens");
    const char *names[] = {"zoek", "bsn", "postcode", "geboortedatum"};
    json_object_set_new(m, "form", form_values(req, names, COUNT(names), 1));
    const char *name = field(req, "zoek"), *bsn = field(req, "bsn"), *pc = field(req, "postcode");
    const char *birth = field(req, "geboortedatum");
    int searched = *name || *bsn || *pc || *birth;
    char bsn9[10] = "", pc6[7] = "";
    if (*bsn) check_bsn(req, bsn, bsn9);
    if (*pc) check_postcode(req, pc, pc6);
    json_object_set_new(m, "searched", json_boolean(searched));
    if (json_object_size(req->errors)) {
        error_summary(req, m, "Er is niet gezocht. Verbeter de gemarkeerde velden.", "", search_fields,
                      COUNT(search_fields));
        json_object_set_new(m, "households", json_array());
        req->status = 400;
        http_page(req, "households", m);
        return;
    }
    int64_t person = 0;
    int nothing = 0;
    if (*bsn9) { /* keyed hash lookup; an unknown BSN reads the same as one outside the team */
        person = person_by_bsn(db, req->user->gemeente, bsn9);
        if (!person) nothing = 1;
    }
    int64_t team = account_team(req->user->id);
    json_t *list = json_array();
    int n = 0, more = 0;
    if (!nothing) {
        int member_filter = person || *name || *birth;
        const char *like = *name ? like_prefix(req, name) : "";
        db_stmt_t *st = db_prepare(db,
            "SELECT h.id, h.name, h.status, COALESCE(a.postcode, ''), COALESCE(a.house_number, 0),"
            " COALESCE(a.house_addition, ''), COALESCE(a.street, ''), COALESCE(a.city, ''), COALESCE(t.name, ''),"
            " COALESCE(c.account_id, 0), COALESCE(ca.display_name, '')"
            " FROM household h"
            " LEFT JOIN address a ON a.id = h.address_id"
            " LEFT JOIN team t ON t.id = h.team_id"
            " LEFT JOIN coordinator c ON c.household_id = h.id AND c.end_at IS NULL"
            " LEFT JOIN account ca ON ca.id = c.account_id"
            " WHERE h.gemeente = ? AND (c.account_id = ? OR h.team_id = ?)"
            " AND (? = '' OR a.postcode = ?)"
            " AND (? = 0 OR EXISTS (SELECT 1 FROM household_member m JOIN person p ON p.id = m.person_id"
            "   WHERE m.household_id = h.id AND m.until IS NULL AND (? = 0 OR p.id = ?)"
            "   AND (? = '' OR p.birth_date = ?)"
            "   AND (? = '' OR lower(p.family_name) LIKE ? ESCAPE '\\' OR lower(p.given_names) LIKE ? ESCAPE '\\'"
            "     OR lower(p.prefix || ' ' || p.family_name) LIKE ? ESCAPE '\\'"
            "     OR lower(p.given_names || ' ' || CASE WHEN p.prefix = '' THEN '' ELSE p.prefix || ' ' END"
            "        || p.family_name) LIKE ? ESCAPE '\\')))"
            " ORDER BY CASE WHEN c.account_id = ? THEN 0 ELSE 1 END, CASE WHEN h.status = 'open' THEN 0 ELSE 1 END,"
            " lower(h.name), h.id LIMIT ?");
        int k = 1;
        db_bind_text(st, k++, req->user->gemeente);
        db_bind_int(st, k++, req->user->id);
        db_bind_int(st, k++, team);
        db_bind_text(st, k++, pc6);
        db_bind_text(st, k++, pc6);
        db_bind_int(st, k++, member_filter);
        db_bind_int(st, k++, person);
        db_bind_int(st, k++, person);
        db_bind_text(st, k++, birth);
        db_bind_text(st, k++, birth);
        for (int i = 0; i < 5; i++) db_bind_text(st, k++, like);
        db_bind_int(st, k++, req->user->id);
        db_bind_int(st, k++, LIST_LIMIT + 1);
        while (db_step(st) == DB_ROW) {
            if (n == LIST_LIMIT) {
                more = 1;
                break;
            }
            int64_t id = db_col_int(st, 0);
            int64_t coord = db_col_int(st, 9);
            json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:b, s:s, s:s, s:s, s:b}",
                "id", (json_int_t)id, "href", household_href(req, id, ""),
                "name", db_col_text(st, 1), "closed", strcmp(db_col_text(st, 2), "closed") == 0,
                "address", address_line(req, db_col_text(st, 6), db_col_int(st, 4), db_col_text(st, 5),
                                        db_col_text(st, 3), db_col_text(st, 7)),
                "team", db_col_text(st, 8), "coordinator", db_col_text(st, 10), "mine", coord == req->user->id));
            n++;
        }
        db_done(st);
        /* members after the list statement is done (one statement at a time) */
        size_t i;
        json_t *hh;
        json_array_foreach(list, i, hh)
            json_object_set_new(hh, "members", member_summaries(req, json_integer_value(json_object_get(hh, "id"))));
    }
    json_object_set_new(m, "households", list);
    json_object_set_new(m, "count", json_integer(n));
    json_object_set_new(m, "more", json_boolean(more));
    json_object_set_new(m, "limit", json_integer(LIST_LIMIT));
    if (!n)
        json_object_set_new(m, "empty_message", json_string(searched
            ? "Geen huishouden gevonden waar u toegang toe heeft."
            : "U heeft nog geen huishoudens: u bent nergens regisseur en uw team heeft er nog geen."));
    http_page(req, "households", m);
}

/* ---- GET /huishoudens/nieuw, POST /huishoudens --------------------------- */

/* The buurten of the municipality grouped by wijk:
 * [{wijk, team, buurten: [{id, name, selected}]}]. */
static json_t *area_groups(http_req_t *req, int64_t selected)
{
    json_t *groups = json_array();
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT b.id, b.name, COALESCE(w.id, 0), COALESCE(w.name, ''),"
        " COALESCE((SELECT t.name FROM team t WHERE t.area_id = COALESCE(w.id, b.id) ORDER BY t.id LIMIT 1), '')"
        " FROM area b LEFT JOIN area w ON w.id = b.parent_id"
        " WHERE b.gemeente = ? AND b.kind = 'buurt' ORDER BY w.name, w.id, b.name");
    db_bind_text(st, 1, req->user->gemeente);
    int64_t last_wijk = -1;
    json_t *cur = NULL;
    while (db_step(st) == DB_ROW) {
        int64_t wijk = db_col_int(st, 2);
        if (!cur || wijk != last_wijk) {
            const char *wname = *db_col_text(st, 3) ? db_col_text(st, 3) : "Overig";
            const char *tname = db_col_text(st, 4);
            cur = json_pack("{s:s, s:s, s:[]}", "wijk", wname, "label",
                            *tname ? arena_printf(req->arena, "%s (%s)", wname, tname) : wname, "buurten");
            json_array_append_new(groups, cur);
            last_wijk = wijk;
        }
        int64_t id = db_col_int(st, 0);
        json_array_append_new(json_object_get(cur, "buurten"), json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id,
                                                                          "name", db_col_text(st, 1), "selected",
                                                                          id == selected));
    }
    db_done(st);
    return groups;
}

static const char *const new_names[] = {"naam", "postcode", "huisnummer", "toevoeging", "straat", "plaats", "buurt",
                                        "voornamen", "tussenvoegsel", "achternaam", "bsn", "geboortedatum", "geslacht",
                                        "telefoon", "email"};
static const struct field_name new_fields[] = {
    {"postcode", "Postcode"}, {"huisnummer", "Huisnummer"}, {"toevoeging", "Toevoeging"}, {"straat", "Straat"},
    {"plaats", "Plaats"},     {"buurt", "Buurt"},           {"voornamen", "Voornamen"},   {"tussenvoegsel", "Tussenvoegsel"},
    {"achternaam", "Achternaam"}, {"bsn", "BSN"},           {"geboortedatum", "Geboortedatum"}, {"geslacht", "Geslacht"},
    {"telefoon", "Telefoon"}, {"email", "E-mailadres"},     {"naam", "Naam van het huishouden"},
};

static json_t *new_model(http_req_t *req)
{
    json_t *m = json_pack("{s:s}", "title", "Nieuw huishouden");
    json_object_set_new(m, "form", form_values(req, new_names, COUNT(new_names), 1));
    int64_t buurt = 0;
    const char *b = http_param(req, "buurt");
    if (b) parse_i64(b, 1, INT64_MAX / 2, &buurt);
    json_object_set_new(m, "wijken", area_groups(req, buurt));
    json_object_set_new(m, "genders", options(genders, COUNT(genders), http_param(req, "geslacht")));
    return m;
}

void page_household_new(http_req_t *req)
{
    http_page(req, "household_new", new_model(req));
}

static void new_failed(http_req_t *req, json_t *m, int status, const char *error)
{
    error_summary(req, m, error, "", new_fields, COUNT(new_fields));
    req->status = status;
    http_page(req, "household_new", m);
}

/* The buurt id when it is a buurt of this municipality, else 0. */
static int64_t buurt_of_gemeente(http_req_t *req, const char *value)
{
    int64_t id;
    if (!value || parse_i64(value, 1, INT64_MAX / 2, &id) != 0) return 0;
    db_stmt_t *st = db_prepare(db_thread(), "SELECT id FROM area WHERE id = ? AND gemeente = ? AND kind = 'buurt'");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, req->user->gemeente);
    int64_t r = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return r;
}

void page_household_create(http_req_t *req)
{
    db_t *db = db_thread();
    required_message(req, "postcode", "Vul de postcode in.");
    required_message(req, "huisnummer", "Vul het huisnummer in.");
    /* address */
    const char *pc = field(req, "postcode"), *nr = field(req, "huisnummer"), *add = field(req, "toevoeging");
    char pc6[7] = "";
    if (*pc) check_postcode(req, pc, pc6);
    int64_t number = 0;
    if (*nr) {
        if (!house_number_valid(nr, NULL) || parse_i64(nr, 1, 99999, &number) != 0)
            field_error(req, "huisnummer", "Vul een huisnummer in van 1 tot 99999, zonder letters.");
        else if (!house_number_valid(nr, add))
            field_error(req, "toevoeging", "Een toevoeging heeft hoogstens 4 letters of cijfers, bijvoorbeeld A of 2-hoog.");
    }
    /* "21b" and "21B" are one address: additions are stored in capitals */
    char *add_upper = arena_strdup(req->arena, add);
    for (char *c = add_upper; *c; c++) *c = (char)toupper((unsigned char)*c);
    add = add_upper;
    int64_t buurt = buurt_of_gemeente(req, http_param(req, "buurt"));
    if (!buurt) field_error(req, "buurt", "Kies de buurt uit de lijst.");
    /* first member */
    struct person_in p;
    char bsn9[10] = "";
    read_person(req, &p, bsn9);
    json_t *m = new_model(req);
    if (p.bsn && !json_object_get(req->errors, "bsn")) {
        int64_t existing = person_by_bsn(db, req->user->gemeente, p.bsn);
        if (existing) duplicate_bsn(req, m, existing);
    }
    if (json_object_size(req->errors)) {
        new_failed(req, m, 400, "Het huishouden is niet aangemaakt. Verbeter de gemarkeerde velden.");
        return;
    }
    const char *name = field(req, "naam");
    if (!*name) {
        /* "Huishouden Van der Berg": a tussenvoegsel starts with a capital when no given name precedes it */
        char *pre = arena_strdup(req->arena, p.prefix);
        if (*pre) pre[0] = (char)toupper((unsigned char)pre[0]);
        name = arena_printf(req->arena, "Huishouden %s%s%s", pre, *pre ? " " : "", p.family_name);
    }
    int64_t now = now_s();
    char day[11];
    day_format(today(), day);
    int64_t hid = -1, pid = -1, existing = 0;
    if (db_begin(db) != DB_OK) {
        new_failed(req, m, 503, "Het huishouden is niet aangemaakt: de database is even bezet. Probeer het opnieuw.");
        return;
    }
    int64_t addr = address_get(db, req->user->gemeente, pc6, (int)number, add, field(req, "straat"),
                               field(req, "plaats"), buurt);
    if (addr > 0) hid = household_create(db, req->user->gemeente, name, addr, team_for_area(db, buurt));
    if (hid > 0) pid = person_create(db, req->user->gemeente, &p, &existing);
    int ok = pid > 0 && household_add_member(db, hid, pid, "hoofdbewoner", day) == 0 &&
             coordinator_set(db, hid, req->user->id, "Aangemaakt", req->user->id, now) == 0;
    if (!ok || db_commit(db) != DB_OK) {
        db_rollback(db);
        if (pid == -2) {
            duplicate_bsn(req, m, existing);
            new_failed(req, m, 400, "Het huishouden is niet aangemaakt. Verbeter de gemarkeerde velden.");
        } else {
            new_failed(req, m, 500, "Het huishouden kon niet worden opgeslagen. Er is niets bewaard; probeer het opnieuw.");
        }
        return;
    }
    json_decref(m);
    audit_household(req, "household.create", "ok", hid, NULL);
    req->audit_object_id = arena_printf(req->arena, "%lld", (long long)hid);
    http_redirect(req, household_href(req, hid, ""));
}

/* ---- GET /huishoudens/{id} ----------------------------------------------- */

/* May the user hand the coordinator role on: the current coordinator, or a
 * team lead of the household's team. */
static int may_transfer(http_req_t *req, const struct hh *h)
{
    if (coordinator_current(db_thread(), h->id) == req->user->id) return 1;
    return req->user->role == ROLE_TEAMLEAD && h->team_id && account_team(req->user->id) == h->team_id;
}

static const char *access_label(enum hh_access a)
{
    switch (a) {
    case HH_COORDINATOR: return "U bent de regisseur van dit huishouden.";
    case HH_TEAM: return "U hoort bij het team van dit huishouden.";
    case HH_BREAK_GLASS: return "U heeft tijdelijk toegang buiten het team (met een reden, vastgelegd en zichtbaar voor de regisseur).";
    default: return "";
    }
}

static void overview_facts(http_req_t *req, const struct hh *h, json_t *m)
{
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT h.name, h.status, h.created_at, COALESCE(a.postcode, ''), COALESCE(a.house_number, 0),"
        " COALESCE(a.house_addition, ''), COALESCE(a.street, ''), COALESCE(a.city, ''), COALESCE(b.name, ''),"
        " COALESCE(w.name, ''), COALESCE(t.name, '')"
        " FROM household h LEFT JOIN address a ON a.id = h.address_id LEFT JOIN area b ON b.id = a.area_id"
        " LEFT JOIN area w ON w.id = b.parent_id LEFT JOIN team t ON t.id = h.team_id WHERE h.id = ?");
    db_bind_int(st, 1, h->id);
    if (db_step(st) == DB_ROW) {
        char created[24];
        fmt_local_time(db_col_int(st, 2), created, sizeof created);
        json_object_set_new(m, "household", json_pack("{s:I, s:s, s:b, s:s, s:s, s:s, s:s, s:s}",
            "id", (json_int_t)h->id, "name", db_col_text(st, 0), "closed", strcmp(db_col_text(st, 1), "closed") == 0,
            "created", created,
            "address", address_line(req, db_col_text(st, 6), db_col_int(st, 4), db_col_text(st, 5),
                                    db_col_text(st, 3), db_col_text(st, 7)),
            "buurt", db_col_text(st, 8), "wijk", db_col_text(st, 9), "team", db_col_text(st, 10)));
    }
    db_done(st);
}

static void overview_coordinators(http_req_t *req, const struct hh *h, json_t *m)
{
    json_t *hist = json_array();
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT c.account_id, a.display_name, c.start_at, c.end_at, c.reason, COALESCE(b.display_name, ''),"
        " COALESCE(t.name, '')"
        " FROM coordinator c JOIN account a ON a.id = c.account_id LEFT JOIN account b ON b.id = c.assigned_by"
        " LEFT JOIN team t ON t.id = c.team_id WHERE c.household_id = ? ORDER BY c.start_at DESC, c.id DESC");
    db_bind_int(st, 1, h->id);
    while (db_step(st) == DB_ROW) {
        char from[24], until[24] = "";
        fmt_local_time(db_col_int(st, 2), from, sizeof from);
        int current = db_col_is_null(st, 3);
        if (!current) fmt_local_time(db_col_int(st, 3), until, sizeof until);
        json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "account_id",
                                (json_int_t)db_col_int(st, 0), "who", db_col_text(st, 1), "team", db_col_text(st, 6),
                                "from", from, "until", until, "reason", db_col_text(st, 4), "by", db_col_text(st, 5),
                                "current", current);
        if (current) json_object_set(m, "coordinator", row);
        json_array_append_new(hist, row);
    }
    db_done(st);
    json_object_set_new(m, "coordinator_history", hist);
}

static void overview_members(http_req_t *req, const struct hh *h, json_t *m)
{
    json_t *list = json_array();
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT p.id, p.given_names, p.prefix, p.family_name, COALESCE(p.birth_date, ''), p.gender, p.phone, p.email,"
        " p.bsn_sealed, m.relation, COALESCE(m.since, ''),"
        " EXISTS (SELECT 1 FROM account a WHERE a.person_id = p.id)"
        " FROM household_member m JOIN person p ON p.id = m.person_id"
        " WHERE m.household_id = ? AND m.until IS NULL"
        " ORDER BY CASE m.relation WHEN 'hoofdbewoner' THEN 0 WHEN 'partner' THEN 1 ELSE 2 END, p.birth_date, p.id");
    db_bind_int(st, 1, h->id);
    while (db_step(st) == DB_ROW) {
        char masked[12] = "";
        size_t n = 0;
        const void *sealed = db_col_blob(st, 8, &n);
        if (sealed && n) {
            char bsn[10];
            if (bsn_open(sealed, n, bsn) == 0) bsn_mask(bsn, masked);
            else snprintf(masked, sizeof masked, "%s", "*********");
            sodium_memzero(bsn, sizeof bsn);
        }
        const char *birth = db_col_text(st, 4);
        int age = age_years(birth);
        const char *rel = label_of(relations, COUNT(relations), db_col_text(st, 9));
        const char *gender = label_of(genders, COUNT(genders), db_col_text(st, 5));
        json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
            "person_id", (json_int_t)db_col_int(st, 0),
            "name", display_name(req, db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3)),
            "relation", rel ? rel : "", "relation_code", db_col_text(st, 9), "birth_date", date_nl(req, birth),
            "birth_date_iso", birth, "gender", gender ? gender : "", "phone", db_col_text(st, 6),
            "email", db_col_text(st, 7), "bsn", masked);
        if (age >= 0) json_object_set_new(row, "age", json_integer(age));
        /* residents get a portal account through an invitation link (invite.h) */
        json_object_set_new(row, "has_account", json_boolean(db_col_int(st, 11)));
        json_array_append_new(list, row);
    }
    db_done(st);
    json_object_set_new(m, "members", list);
}

/* The open requests (oldest first) and open deadlines (by due date) in the
 * short form the overview's JSON model has always had (requests, deadlines),
 * taken from meldingen = request_household_model(), which the page renders
 * (partial request_overview): one query, one set of labels. "soon" keeps
 * this model's own horizon of SOON_DAYS, as the caseload counts do. */
static void overview_requests(http_req_t *req, json_t *m, json_t *meldingen)
{
    json_t *list = json_array();
    json_t *all = json_object_get(meldingen, "requests"); /* newest first */
    for (size_t i = json_array_size(all); i-- > 0;) {
        json_t *r = json_array_get(all, i);
        if (json_is_true(json_object_get(r, "closed"))) continue;
        const char *received = json_string_value(json_object_get(r, "received_on"));
        json_array_append_new(list, json_pack("{s:O, s:O, s:O, s:s, s:s, s:O}", "id", json_object_get(r, "id"),
            "law", json_object_get(r, "law_label"), "law_code", json_object_get(r, "law"),
            "received_on", date_nl(req, received), "received_iso", received,
            "status", json_object_get(r, "status_label")));
    }
    json_object_set_new(m, "has_requests", json_boolean(json_array_size(list) > 0));
    json_object_set_new(m, "requests", list);

    list = json_array();
    day_t now = today();
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(meldingen, "open_deadlines"), i, d) {
        day_t due;
        const char *iso = json_string_value(json_object_get(d, "due_on"));
        if (!iso || day_parse(iso, &due) != 0) continue;
        int state = deadline_status(due, now, SOON_DAYS);
        json_array_append_new(list, json_pack("{s:O, s:I, s:O, s:s, s:s, s:b, s:b, s:O}",
            "id", json_object_get(d, "id"), "request_id", json_integer_value(json_object_get(d, "request_id")),
            "label", json_object_get(d, "label"), "due_on", date_nl(req, iso), "due_iso", iso,
            "overdue", state == DL_OVERDUE, "soon", state == DL_DUE_SOON,
            "days_left", json_object_get(d, "days_left")));
    }
    json_object_set_new(m, "has_deadlines", json_boolean(json_array_size(list) > 0));
    json_object_set_new(m, "deadlines", list);
}

/* Caseworkers the role can go to, the household's team first:
 * [{label, options: [{id, name, team, selected}]}]. */
static json_t *caseworker_groups(http_req_t *req, const struct hh *h, int64_t selected)
{
    json_t *own = json_array(), *other = json_array();
    int64_t current = coordinator_current(db_thread(), h->id);
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT a.id, a.display_name, COALESCE(t.name, ''), COALESCE(a.team_id, 0), a.role FROM account a"
        " LEFT JOIN team t ON t.id = a.team_id"
        " WHERE a.gemeente = ? AND a.role IN ('generalist', 'teamlead') AND a.disabled = 0 AND a.id <> ?"
        " ORDER BY t.name, a.display_name, a.id");
    db_bind_text(st, 1, req->user->gemeente);
    db_bind_int(st, 2, current);
    while (db_step(st) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        const char *team = db_col_text(st, 2);
        int lead = strcmp(db_col_text(st, 4), "teamlead") == 0;
        const char *label = arena_printf(req->arena, "%s%s%s%s%s", db_col_text(st, 1), lead ? ", teamleider" : "",
                                         *team ? " (" : "", team, *team ? ")" : "");
        json_t *row = json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id, "label", label, "selected", id == selected);
        json_array_append_new(h->team_id && db_col_int(st, 3) == h->team_id ? own : other, row);
    }
    db_done(st);
    json_t *groups = json_array();
    if (json_array_size(own)) json_array_append_new(groups, json_pack("{s:s, s:o}", "label", "Team van dit huishouden", "options", own));
    else json_decref(own);
    if (json_array_size(other)) json_array_append_new(groups, json_pack("{s:s, s:o}", "label", "Andere teams", "options", other));
    else json_decref(other);
    return groups;
}

static const char *const member_names[] = {"relatie", "voornamen", "tussenvoegsel", "achternaam", "bsn",
                                           "geboortedatum", "geslacht", "telefoon", "email"};
static const struct field_name member_fields[] = {
    {"relatie", "Relatie"},         {"voornamen", "Voornamen"},         {"tussenvoegsel", "Tussenvoegsel"},
    {"achternaam", "Achternaam"},   {"bsn", "BSN"},                     {"geboortedatum", "Geboortedatum"},
    {"geslacht", "Geslacht"},       {"telefoon", "Telefoon"},           {"email", "E-mailadres"},
};
static const struct field_name transfer_fields[] = {{"medewerker", "Nieuwe regisseur"}, {"reden", "Reden"}};

/* A form on the overview: its name (overview_model keeps its values; the
 * page's error_form), the id prefix of its fields and its fields in order. */
struct overview_form {
    const char *name, *id_prefix;
    const struct field_name *fields;
    size_t n_fields;
};
static const struct overview_form member_form = {"lid", "lid-", member_fields, COUNT(member_fields)};
static const struct overview_form transfer_form = {"regisseur", "", transfer_fields, COUNT(transfer_fields)};

/* The overview model. form: which form's values to keep ("lid", "regisseur"
 * or NULL). */
static json_t *overview_model(http_req_t *req, const struct hh *h, const char *form)
{
    json_t *m = json_pack("{s:s}", "title", h->name);
    overview_facts(req, h, m);
    overview_coordinators(req, h, m);
    overview_members(req, h, m);
    /* requests with their deadlines and the forms to move them on
     * (templates/request_overview.html, domain/request.h) */
    json_t *meldingen = request_household_model(db_thread(), req->user->gemeente, h->id, today());
    overview_requests(req, m, meldingen);
    json_object_set_new(m, "meldingen", meldingen);
    json_object_set_new(m, "access", json_pack("{s:s, s:s}", "code", hh_access_name(h->access), "label",
                                               access_label(h->access)));
    int inside = h->access == HH_COORDINATOR || h->access == HH_TEAM;
    json_object_set_new(m, "show_break_glass", json_boolean(inside));
    if (inside) {
        json_t *grants = hh_break_glass_model(h->id);
        json_object_set_new(m, "has_break_glass", json_boolean(json_array_size(grants) > 0));
        json_object_set_new(m, "break_glass", grants);
    }
    json_object_set_new(m, "links", json_pack("{s:s, s:s, s:s}",
        "request_new", household_href(req, h->id, "/meldingen/nieuw"),
        "assessments", household_href(req, h->id, "/metingen"), "plan", household_href(req, h->id, "/plan")));
    /* add-member form */
    int keep_member = form && strcmp(form, "lid") == 0;
    json_object_set_new(m, "member_form", form_values(req, member_names, COUNT(member_names), keep_member));
    json_object_set_new(m, "relations", options(relations, COUNT(relations), keep_member ? http_param(req, "relatie") : NULL));
    json_object_set_new(m, "genders", options(genders, COUNT(genders), keep_member ? http_param(req, "geslacht") : NULL));
    /* transfer form */
    int can = may_transfer(req, h);
    json_object_set_new(m, "can_transfer", json_boolean(can));
    if (can) {
        int keep_transfer = form && strcmp(form, "regisseur") == 0;
        int64_t sel = 0;
        const char *v = keep_transfer ? http_param(req, "medewerker") : NULL;
        if (v) parse_i64(v, 1, INT64_MAX / 2, &sel);
        const char *reason = keep_transfer ? http_param(req, "reden") : NULL;
        json_object_set_new(m, "transfer", json_pack("{s:o, s:s}", "groups", caseworker_groups(req, h, sel), "reden",
                                                     reason ? reason : ""));
    }
    return m;
}

void page_household(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    http_page(req, "household", overview_model(req, &h, NULL));
}

/* ---- POST /huishoudens/{id}/leden ---------------------------------------- */

/* The overview again (status) with error and the problems of form f. */
static void overview_failed(http_req_t *req, const struct hh *h, const struct overview_form *f, int status,
                            const char *error)
{
    json_t *m = overview_model(req, h, f->name);
    error_summary(req, m, error, f->id_prefix, f->fields, f->n_fields);
    json_object_set_new(m, "error_form", json_string(f->name));
    req->status = status;
    http_page(req, "household", m);
}

static int is_member(int64_t household_id, int64_t person_id)
{
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT 1 FROM household_member WHERE household_id = ? AND person_id = ? AND until IS NULL");
    db_bind_int(st, 1, household_id);
    db_bind_int(st, 2, person_id);
    int r = db_step(st) == DB_ROW;
    db_done(st);
    return r;
}

void page_household_member_add(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    db_t *db = db_thread();
    required_message(req, "relatie", "Kies hoe deze persoon bij het huishouden hoort.");
    const char *rel = field(req, "relatie");
    if (*rel && !label_of(relations, COUNT(relations), rel)) field_error(req, "relatie", "Kies een relatie uit de lijst.");
    struct person_in p;
    char bsn9[10] = "";
    read_person(req, &p, bsn9);
    int64_t existing = 0;
    if (p.bsn && !json_object_get(req->errors, "bsn")) {
        existing = person_by_bsn(db, req->user->gemeente, p.bsn);
        if (existing && is_member(h.id, existing))
            field_error(req, "bsn", "Iemand met dit BSN hoort al bij dit huishouden.");
    }
    if (json_object_size(req->errors)) {
        overview_failed(req, &h, &member_form, 400,
                        "Het gezinslid is niet toegevoegd. Verbeter de gemarkeerde velden.");
        return;
    }
    char day[11];
    day_format(today(), day);
    if (db_begin(db) != DB_OK) {
        overview_failed(req, &h, &member_form, 503,
                        "Het gezinslid is niet toegevoegd: de database is even bezet. Probeer het opnieuw.");
        return;
    }
    /* A person already known in the municipality by BSN is linked, not copied. */
    int64_t pid = existing;
    if (!pid) pid = person_create(db, req->user->gemeente, &p, &existing);
    if (pid == -2) pid = existing; /* registered in the meantime */
    int ok = pid > 0 && !is_member(h.id, pid) && household_add_member(db, h.id, pid, rel, day) == 0;
    if (!ok || db_commit(db) != DB_OK) {
        db_rollback(db);
        overview_failed(req, &h, &member_form, 500,
                        "Het gezinslid kon niet worden opgeslagen. Er is niets bewaard; probeer het opnieuw.");
        return;
    }
    audit_household(req, "household.member-add", "ok", h.id,
                    arena_printf(req->arena, "person %lld%s", (long long)pid, existing ? " (linked)" : ""));
    http_redirect(req, household_href(req, h.id, "#leden"));
}

/* ---- POST /huishoudens/{id}/regisseur ------------------------------------ */

/* The account when it is an active generalist or team lead of this
 * municipality, else 0. */
static int64_t caseworker(http_req_t *req, const char *value)
{
    int64_t id;
    if (!value || parse_i64(value, 1, INT64_MAX / 2, &id) != 0) return 0;
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT id FROM account WHERE id = ? AND gemeente = ? AND role IN ('generalist', 'teamlead') AND disabled = 0");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, req->user->gemeente);
    int64_t r = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return r;
}

void page_household_transfer(http_req_t *req)
{
    struct hh h;
    if (hh_load(req, &h) != 0) return;
    db_t *db = db_thread();
    if (!may_transfer(req, &h)) {
        audit_household(req, "authz.denied", "denied", h.id, "coordinator-transfer");
        http_error(req, 403, "Alleen de regisseur van dit huishouden of een teamleider van het team kan de regie "
                             "overdragen. Vraag het de regisseur of uw teamleider.");
        return;
    }
    required_message(req, "medewerker", "Kies aan wie u de regie overdraagt.");
    required_message(req, "reden", "Schrijf op waarom u de regie overdraagt.");
    int64_t from = coordinator_current(db, h.id);
    int64_t to = 0;
    if (!json_object_get(req->errors, "medewerker")) {
        to = caseworker(req, http_param(req, "medewerker"));
        if (!to) field_error(req, "medewerker", "Kies een medewerker uit de lijst.");
        else if (to == from) field_error(req, "medewerker", "Deze medewerker is al de regisseur. Kies iemand anders.");
    }
    const char *reason = field(req, "reden");
    if (!json_object_get(req->errors, "reden") && utf8_len(reason, strlen(reason)) < REASON_MIN)
        field_error(req, "reden", "Schrijf de reden in minstens 10 tekens, zodat het team later begrijpt waarom.");
    if (json_object_size(req->errors)) {
        overview_failed(req, &h, &transfer_form, 400, "De regie is niet overgedragen. Verbeter de gemarkeerde velden.");
        return;
    }
    if (db_begin(db) != DB_OK) {
        overview_failed(req, &h, &transfer_form, 503,
                        "De regie is niet overgedragen: de database is even bezet. Probeer het opnieuw.");
        return;
    }
    int rc = coordinator_set(db, h.id, to, reason, req->user->id, now_s());
    if (rc != 0 || db_commit(db) != DB_OK) {
        db_rollback(db);
        overview_failed(req, &h, &transfer_form, 500,
                        "De regie kon niet worden overgedragen. Er is niets veranderd; probeer het opnieuw.");
        return;
    }
    audit_household(req, "household.coordinator-transfer", "ok", h.id,
                    arena_printf(req->arena, "from %lld to %lld", (long long)from, (long long)to));
    /* Without team membership the former coordinator may no longer open it. */
    enum hh_access a = household_access(db, req->user->gemeente, req->user->id, h.id, now_s());
    http_redirect(req, a == HH_DENIED ? "/huishoudens" : household_href(req, h.id, "#regie"));
}

/* ---- GET /caseload ------------------------------------------------------- */

/* Open households with request and deadline counts. who = coordinator
 * account (0 = without coordinator, then team must be set). */
static json_t *household_counts(http_req_t *req, int64_t who, int64_t team, const char *today_iso,
                                const char *soon_iso)
{
    json_t *list = json_array();
    db_stmt_t *st = db_prepare(db_thread(),
        "SELECT h.id, h.name, COALESCE(t.name, ''),"
        " (SELECT count(*) FROM request r WHERE r.household_id = h.id AND r.status NOT IN ('afgerond', 'ingetrokken')),"
        " (SELECT count(*) FROM deadline d WHERE d.household_id = h.id AND d.done_on IS NULL AND d.due_on < ?),"
        " (SELECT count(*) FROM deadline d WHERE d.household_id = h.id AND d.done_on IS NULL AND d.due_on >= ?"
        "   AND d.due_on <= ?)"
        " FROM household h LEFT JOIN team t ON t.id = h.team_id"
        " LEFT JOIN coordinator c ON c.household_id = h.id AND c.end_at IS NULL"
        " WHERE h.gemeente = ? AND h.status = 'open'"
        " AND ((? > 0 AND c.account_id = ?) OR (? = 0 AND c.id IS NULL AND h.team_id = ?))"
        " ORDER BY lower(h.name), h.id LIMIT 500");
    int k = 1;
    db_bind_text(st, k++, today_iso);
    db_bind_text(st, k++, today_iso);
    db_bind_text(st, k++, soon_iso);
    db_bind_text(st, k++, req->user->gemeente);
    db_bind_int(st, k++, who);
    db_bind_int(st, k++, who);
    db_bind_int(st, k++, who);
    db_bind_int(st, k++, team);
    while (db_step(st) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I}", "id", (json_int_t)id, "href",
            household_href(req, id, ""), "name", db_col_text(st, 1), "team", db_col_text(st, 2), "open_requests",
            (json_int_t)db_col_int(st, 3), "overdue", (json_int_t)db_col_int(st, 4), "due_soon",
            (json_int_t)db_col_int(st, 5)));
    }
    db_done(st);
    return list;
}

void page_caseload(http_req_t *req)
{
    db_t *db = db_thread();
    day_t now = today();
    char today_iso[11], soon_iso[11];
    day_format(now, today_iso);
    day_format(now + SOON_DAYS, soon_iso);
    json_t *m = json_pack("{s:s}", "title", "Caseload");
    json_t *mine = household_counts(req, req->user->id, 0, today_iso, soon_iso);
    json_object_set_new(m, "mine_count", json_integer((json_int_t)json_array_size(mine)));
    json_object_set_new(m, "mine_plural", json_boolean(json_array_size(mine) != 1));
    json_object_set_new(m, "has_mine", json_boolean(json_array_size(mine) > 0));
    json_object_set_new(m, "mine", mine);
    int lead = req->user->role == ROLE_TEAMLEAD;
    json_object_set_new(m, "is_teamlead", json_boolean(lead));
    int64_t team = account_team(req->user->id);
    if (lead && team) {
        json_t *t = json_object();
        db_stmt_t *st = db_prepare(db, "SELECT name FROM team WHERE id = ?");
        db_bind_int(st, 1, team);
        json_object_set_new(t, "name", json_string(db_step(st) == DB_ROW ? db_col_text(st, 0) : ""));
        db_done(st);
        /* per caseworker of the team: open households of the team they coordinate */
        json_t *workers = json_array();
        st = db_prepare(db,
            "SELECT a.id, a.display_name, a.role,"
            " (SELECT count(*) FROM coordinator c JOIN household h ON h.id = c.household_id"
            "   WHERE c.account_id = a.id AND c.end_at IS NULL AND h.status = 'open' AND h.team_id = ?),"
            " (SELECT count(*) FROM coordinator c JOIN household h ON h.id = c.household_id"
            "   JOIN request r ON r.household_id = h.id"
            "   WHERE c.account_id = a.id AND c.end_at IS NULL AND h.status = 'open' AND h.team_id = ?"
            "   AND r.status NOT IN ('afgerond', 'ingetrokken')),"
            " (SELECT count(*) FROM coordinator c JOIN household h ON h.id = c.household_id"
            "   JOIN deadline d ON d.household_id = h.id"
            "   WHERE c.account_id = a.id AND c.end_at IS NULL AND h.status = 'open' AND h.team_id = ?"
            "   AND d.done_on IS NULL AND d.due_on < ?)"
            " FROM account a WHERE a.gemeente = ? AND a.team_id = ? AND a.role IN ('generalist', 'teamlead')"
            " AND a.disabled = 0 ORDER BY a.display_name, a.id");
        int k = 1;
        db_bind_int(st, k++, team);
        db_bind_int(st, k++, team);
        db_bind_int(st, k++, team);
        db_bind_text(st, k++, today_iso);
        db_bind_text(st, k++, req->user->gemeente);
        db_bind_int(st, k++, team);
        json_int_t total = 0;
        while (db_step(st) == DB_ROW) {
            json_int_t n = (json_int_t)db_col_int(st, 3);
            total += n;
            json_array_append_new(workers, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:b}", "id",
                (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "role",
                strcmp(db_col_text(st, 2), "teamlead") == 0 ? "Teamleider" : "Generalist", "households", n,
                "open_requests", (json_int_t)db_col_int(st, 4), "overdue", (json_int_t)db_col_int(st, 5), "self",
                db_col_int(st, 0) == req->user->id));
        }
        db_done(st);
        json_object_set_new(t, "workers", workers);
        json_object_set_new(t, "households_total", json_integer(total));
        json_t *free_list = household_counts(req, 0, team, today_iso, soon_iso);
        json_object_set_new(t, "unassigned_count", json_integer((json_int_t)json_array_size(free_list)));
        json_object_set_new(t, "has_unassigned", json_boolean(json_array_size(free_list) > 0));
        json_object_set_new(t, "unassigned", free_list);
        json_object_set_new(m, "team", t);
    }
    http_page(req, "caseload", m);
}
