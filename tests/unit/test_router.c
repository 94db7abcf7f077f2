/* test_router.c - the route table, path matching (404/405, captures, HEAD)
 * and the parameter validators behind the gate. */
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
    return t_done();
}
