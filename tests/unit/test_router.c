/* test_router.c - the route table, path matching (404/405, captures, HEAD)
 * and the parameter validators behind the gate. */
#include <stdio.h>
#include <string.h>

#include "http/http.h"
#include "test.h"

static http_req_t *new_req(arena_t *a)
{
    http_req_t *r = arena_calloc(a, sizeof *r);
    r->arena = a;
    r->errors = json_object();
    return r;
}

static int match(const char *method, const char *path, const char **pattern, char *allow)
{
    arena_t *a = arena_new(0);
    http_req_t *r = new_req(a);
    char al[64];
    int rc = router_match(r, method, path, al, sizeof al);
    if (pattern) *pattern = rc == 0 ? r->route->pattern : NULL;
    if (allow) strcpy(allow, al);
    json_decref(r->errors);
    arena_free(a);
    return rc;
}

/* Runs the validators for route (method, path) over a query and a form. */
static int check(const char *method, const char *path, const char *query, const char *form, json_t **errors,
                 const char **reason)
{
    arena_t *a = arena_new(0);
    http_req_t *r = new_req(a);
    char allow[64];
    int rc = router_match(r, method, path, allow, sizeof allow);
    if (rc == 0) {
        parse_urlencoded(a, query, strlen(query), 64, &r->query);
        parse_urlencoded(a, form, strlen(form), 64, &r->form);
        *reason = NULL;
        rc = router_check_params(r, reason);
    }
    *errors = r->errors;
    arena_free(a);
    return rc;
}

static void test_matching(void)
{
    const char *pat;
    char allow[64];
    CHECK(match("GET", "/", &pat, NULL) == 0 && strcmp(pat, "/") == 0, "GET / matches");
    CHECK(match("HEAD", "/account", &pat, NULL) == 0 && strcmp(pat, "/account") == 0, "HEAD is served as GET");
    CHECK(match("GET", "/bestaat-niet", NULL, NULL) == 404, "unknown path -> 404");
    CHECK(match("GET", "/account/", NULL, NULL) == 404, "trailing slash is another path -> 404");
    CHECK(match("GET", "//account", NULL, NULL) == 404, "double slash -> 404");
    CHECK(match("DELETE", "/", NULL, allow) == 405 && strstr(allow, "GET"), "known path, other method -> 405 (Allow: %s)", allow);
    CHECK(match("GET", "/uitloggen", NULL, allow) == 405 && strcmp(allow, "POST") == 0, "GET on a POST-only route -> 405, Allow: POST");
    CHECK(match("POST", "/inloggen", &pat, NULL) == 0, "POST /inloggen matches");

    arena_t *a = arena_new(0);
    http_req_t *r = new_req(a);
    int rc = router_match(r, "POST", "/beheer/gebruikers/42/blokkeren", allow, sizeof allow);
    CHECK(rc == 0 && r->n_path_params == 1 && strcmp(r->path_params[0], "42") == 0, "{id} captured");
    json_decref(r->errors);
    arena_free(a);
    CHECK(match("POST", "/beheer/gebruikers/4x/blokkeren", NULL, NULL) == 404, "{id} must be digits");
    CHECK(match("POST", "/beheer/gebruikers/1234567890123456789/blokkeren", NULL, NULL) == 404, "{id} of 19 digits refused");
    CHECK(match("POST", "/beheer/gebruikers//blokkeren", NULL, NULL) == 404, "empty {id} refused");
    CHECK(match("GET", "/static/kantel.css", &pat, NULL) == 0, "{file} matches an asset name");
    CHECK(match("GET", "/static/.hidden", NULL, NULL) == 404, "{file} may not start with a dot");
    CHECK(match("GET", "/static/../kantel.db", NULL, NULL) == 404, "{file} cannot climb out");
    CHECK(match("GET", "/static/a%2Fb", NULL, NULL) == 404, "{file} refuses escapes");
}

static void test_params(void)
{
    json_t *e;
    const char *why;
    int rc = check("GET", "/", "x=1", "", &e, &why);
    CHECK(rc == 400 && why, "undeclared query parameter -> 400 (%s)", why ? why : "");
    json_decref(e);
    rc = check("POST", "/inloggen", "", "gebruikersnaam=a&wachtwoord=b&admin=1", &e, &why);
    CHECK(rc == 400, "undeclared form field -> 400");
    json_decref(e);
    rc = check("POST", "/inloggen", "", "csrf=abc&gebruikersnaam=anna&wachtwoord=geheim", &e, &why);
    CHECK(rc == 0 && json_object_size(e) == 0, "declared fields and csrf on a CSRF route pass");
    json_decref(e);
    rc = check("POST", "/inloggen", "", "gebruikersnaam=anna%0Abob&wachtwoord=x", &e, &why);
    CHECK(rc == 400, "a line break in a one-line field -> 400");
    json_decref(e);
    char longv[1200] = "gebruikersnaam=";
    memset(longv + strlen(longv), 'a', 900);
    strcat(longv, "&wachtwoord=x");
    rc = check("POST", "/inloggen", "", longv, &e, &why);
    CHECK(rc == 400, "a value longer than its maximum -> 400");
    json_decref(e);
    rc = check("POST", "/inloggen", "", "gebruikersnaam=&wachtwoord=+++", &e, &why);
    CHECK(rc == 0 && json_object_get(e, "gebruikersnaam") && json_object_get(e, "wachtwoord"),
          "blank required fields become field errors for the form");
    json_decref(e);
    rc = check("POST", "/beheer/gebruikers", "",
               "gebruikersnaam=Anna+B&naam=Anna&email=anna%40&rol=koning&wachtwoord=x", &e, &why);
    CHECK(rc == 0 && json_object_get(e, "gebruikersnaam") && json_object_get(e, "email") && json_object_get(e, "rol")
          && !json_object_get(e, "naam"), "format errors per field: user name, e-mail, role");
    json_decref(e);
    rc = check("POST", "/beheer/gebruikers", "",
               "gebruikersnaam=anna.b&naam=Anna&email=&rol=generalist&wachtwoord=x", &e, &why);
    CHECK(rc == 0 && json_object_size(e) == 0, "an empty optional e-mail is fine");
    json_decref(e);
    rc = check("GET", "/beheer/audit", "van=2026-02-29&tot=2024-02-29", "", &e, &why);
    CHECK(rc == 0 && json_object_get(e, "van") && !json_object_get(e, "tot"), "dates: 2026-02-29 refused, 2024-02-29 accepted");
    json_decref(e);
    rc = check("GET", "/beheer/audit", "van=23-11-2026&voor=abc", "", &e, &why);
    CHECK(rc == 0 && json_object_get(e, "van") && json_object_get(e, "voor"), "date format and integer checked");
    json_decref(e);
    rc = check("POST", "/account/sessies/beeindigen", "", "sessie=0123abcd", &e, &why);
    CHECK(rc == 0 && json_object_size(e) == 0, "hex validator accepts hex");
    json_decref(e);
    rc = check("POST", "/account/sessies/beeindigen", "", "sessie=xyz", &e, &why);
    CHECK(rc == 0 && json_object_get(e, "sessie"), "hex validator refuses non-hex");
    json_decref(e);
}

static void test_uuid_segment(void)
{
    const char *pat;
    const char *id = "ac148810-d857-441c-9679-408f346de14b";
    char path[160];
    snprintf(path, sizeof path, "/api/hsds/services/%s", id);
    arena_t *a = arena_new(0);
    http_req_t *r = new_req(a);
    char allow[64];
    int rc = router_match(r, "GET", path, allow, sizeof allow);
    CHECK(rc == 0 && strcmp(r->route->pattern, "/api/hsds/services/{uuid}") == 0 && r->n_path_params == 1 &&
          strcmp(r->path_params[0], id) == 0, "{uuid} matches and captures an HSDS id");
    CHECK(r->want_json, "a path under /api/ answers JSON");
    json_decref(r->errors);
    arena_free(a);
    char id64[65], id65[66];
    memset(id64, 'a', 64), id64[64] = '\0';
    memset(id65, 'a', 65), id65[65] = '\0';
    snprintf(path, sizeof path, "/api/hsds/services/%s", id64);
    CHECK(match("GET", path, &pat, NULL) == 0, "{uuid} of 64 characters matches");
    snprintf(path, sizeof path, "/api/hsds/services/%s", id65);
    CHECK(match("GET", path, NULL, NULL) == 404, "{uuid} of 65 characters -> 404");
    CHECK(match("GET", "/api/hsds/services/A_b-9", &pat, NULL) == 0, "{uuid}: letters, digits, - and _");
    CHECK(match("GET", "/api/hsds/services/", NULL, NULL) == 404, "empty {uuid} -> 404");
    CHECK(match("GET", "/api/hsds/services/a.b", NULL, NULL) == 404, "{uuid} refuses a dot");
    CHECK(match("GET", "/api/hsds/services/a%2Fb", NULL, NULL) == 404, "{uuid} refuses escapes");
    CHECK(match("GET", "/api/hsds/services/a b", NULL, NULL) == 404, "{uuid} refuses a space");
    CHECK(match("GET", "/api/hsds/services/..", NULL, NULL) == 404, "{uuid} cannot climb out");
    CHECK(match("GET", "/api/hsds/services/x/y", NULL, NULL) == 404, "{uuid} is one segment");
    CHECK(match("GET", "/api/hsds/", &pat, NULL) == 0 && strcmp(pat, "/api/hsds/") == 0, "GET /api/hsds/ matches");
    CHECK(match("POST", "/api/hsds/services", NULL, allow) == 405, "POST on the read API -> 405");

    a = arena_new(0);
    r = new_req(a);
    rc = router_match(r, "GET", "/api/hsds/bestaat-niet", allow, sizeof allow);
    CHECK(rc == 404 && r->want_json, "an unknown path under /api/ -> 404 in JSON");
    json_decref(r->errors);
    arena_free(a);
    a = arena_new(0);
    r = new_req(a);
    rc = router_match(r, "GET", "/account", allow, sizeof allow);
    CHECK(rc == 0 && !r->want_json, "other paths keep content negotiation");
    json_decref(r->errors);
    arena_free(a);
}

/* One query parameter of GET route path: 1 when accepted. */
static int accepts(const char *path, const char *query)
{
    json_t *e;
    const char *why;
    int rc = check("GET", path, query, "", &e, &why);
    int ok = rc == 0 && json_object_size(e) == 0;
    json_decref(e);
    return ok;
}

static void test_api_validators(void)
{
    const char *s = "/api/hsds/services", *sal = "/api/hsds/service_at_locations";
    CHECK(accepts(s, "organization_id=ac148810-d857-441c-9679-408f346de14b"), "uuid: a UUID");
    CHECK(accepts(s, "organization_id=abc_DEF-1"), "uuid: letters, digits, - and _");
    CHECK(!accepts(s, "organization_id=a.b") && !accepts(s, "organization_id=a%20b") &&
          !accepts(s, "organization_id=%7Bx%7D"), "uuid: refuses . space {");
    json_t *e;
    const char *why;
    char q[200] = "taxonomy_id=";
    memset(q + strlen(q), 'a', 65);
    CHECK(check("GET", s, q, "", &e, &why) == 400, "uuid: 65 characters -> 400");
    json_decref(e);
    CHECK(accepts(s, "full=true") && accepts(s, "minimal=false"), "bool: true and false");
    CHECK(!accepts(s, "full=1") && !accepts(s, "full=TRUE") && !accepts(s, "full=yes"), "bool: nothing else");
    CHECK(accepts(s, "page=1") && accepts(s, "per_page=100") && accepts(s, "page=1000000000"), "posint: 1 .. 10^9");
    CHECK(!accepts(s, "page=0") && !accepts(s, "page=-1") && !accepts(s, "page=1.5") && !accepts(s, "page=x") &&
          !accepts(s, "page=1000000001"), "posint: refuses 0, negative, fractions, words, > 10^9");
    CHECK(accepts(s, "modified_after=2024-01-21") && accepts(s, "modified_after=2024-01-21T12:00Z") &&
          accepts(s, "modified_after=2024-01-21T12:00:00Z") && accepts(s, "modified_after=2024-01-21T12:00:00.123Z") &&
          accepts(s, "modified_after=2024-01-21T12:00:00%2B02:00") && accepts(s, "modified_after=2024-01-21T12:00:00-05:30") &&
          accepts(s, "modified_after=2024-02-29T00:00:00"), "datetime: dates and times, fractions, Z and offsets");
    CHECK(!accepts(s, "modified_after=2024-02-30") && !accepts(s, "modified_after=2023-02-29T00:00:00Z") &&
          !accepts(s, "modified_after=2024-01-21T24:00:00Z") && !accepts(s, "modified_after=2024-01-21T12:60Z") &&
          !accepts(s, "modified_after=2024-01-21T12:00:00%2B2") && !accepts(s, "modified_after=2024-01-21X12:00") &&
          !accepts(s, "modified_after=2024-01-21T12:00:00.Z") && !accepts(s, "modified_after=gisteren") &&
          !accepts(s, "modified_after=2024-01-21T12:00:00Zx"), "datetime: refuses impossible and malformed values");
    CHECK(accepts(s, "format=json") && accepts(s, "format=ndjson") && !accepts(s, "format=xml"), "dataformat: json, ndjson");
    CHECK(accepts(sal, "postcode=3511AB") && accepts(sal, "postcode=3511+ab") && !accepts(sal, "postcode=0511AB") &&
          !accepts(sal, "postcode=3511A") && !accepts(sal, "postcode=AB3511") && !accepts(sal, "postcode=3511--AB"),
          "postcode: 1234AB");
    CHECK(check("GET", s, "postcode=3511AB", "", &e, &why) == 400, "a parameter of another API route -> 400");
    json_decref(e);
}

static void test_table(void)
{
    int ok = 1, csrf_ok = 1;
    for (int i = 0; i < http_routes_count; i++) {
        const struct route *r = &http_routes[i];
        if (r->pattern[0] != '/' || !r->handler) ok = 0;
        if (strcmp(r->method, "POST") == 0 && !(r->flags & RF_CSRF)) csrf_ok = 0;
        for (int j = 0; j < i; j++)
            if (!strcmp(http_routes[j].method, r->method) && !strcmp(http_routes[j].pattern, r->pattern)) ok = 0;
    }
    CHECK(ok, "every route has a path, a handler and is declared once");
    CHECK(csrf_ok, "every POST route requires the CSRF check");
}

int main(void)
{
    char err[256];
    CHECK(router_init(err, sizeof err) == 0, "route table parses (%s)", err);
    test_table();
    test_matching();
    test_params();
    test_uuid_segment();
    test_api_validators();
    return t_done();
}
