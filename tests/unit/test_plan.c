/* test_plan.c - the pure half of the household plan: checking and applying a
 * change to a plan body, ids that only increase, the diff between two bodies
 * and the kantel index of a body. */
#include <string.h>

#include <jansson.h>

#include "domain/plan.h"
#include "test.h"

static day_t today;

static json_t *errs(void)
{
    return json_object();
}

static void test_goals(void)
{
    json_t *b = plan_body_new();
    char sum[PLAN_SUMMARY_MAX];
    struct plan_goal_in g = {"financien", 2, 4, "  Schulden op een rij  "};
    int64_t id = plan_body_add_goal(b, &g, sum, sizeof sum);
    CHECK(id == 1, "first goal gets id 1 (got %lld)", (long long)id);
    json_t *goal = plan_body_goal(b, 1);
    CHECK(goal && strcmp(json_string_value(json_object_get(goal, "text")), "Schulden op een rij") == 0,
          "goal text is trimmed");
    CHECK(goal && json_integer_value(json_object_get(goal, "current")) == 2 &&
              json_integer_value(json_object_get(goal, "target")) == 4,
          "scores stored");
    CHECK_STR(sum, "Doel toegevoegd: Financiën (van 2 naar 4): Schulden op een rij", "goal summary");
    struct plan_goal_in g2 = {"werk_opleiding", 1, 3, "Vrijwilligerswerk vinden"};
    CHECK(plan_body_add_goal(b, &g2, sum, sizeof sum) == 2, "second goal gets id 2");

    json_t *e = errs();
    struct plan_goal_in bad = {"sterrenkunde", 0, 6, "   "};
    CHECK(plan_check_goal(b, &bad, e) == 4, "four problems in a bad goal");
    CHECK(json_object_get(e, "domain") && json_object_get(e, "current") && json_object_get(e, "target") &&
              json_object_get(e, "text"),
          "each problem names its field");
    CHECK(plan_body_add_goal(b, &bad, sum, sizeof sum) == PLAN_E_INVALID && json_array_size(json_object_get(b, "goals")) == 2,
          "a bad goal is refused and leaves the body alone");
    json_decref(e);

    char longtext[1200];
    memset(longtext, 'x', 1001);
    longtext[1001] = 0;
    struct plan_goal_in lg = {"financien", 2, 3, longtext};
    e = errs();
    CHECK(plan_check_goal(b, &lg, e) == 1 && json_object_get(e, "text"), "more than 1000 characters is refused");
    json_decref(e);
    json_decref(b);
}

static void test_actions(void)
{
    json_t *b = plan_body_new();
    char sum[PLAN_SUMMARY_MAX];
    struct plan_goal_in g = {"financien", 2, 4, "Schulden op een rij"};
    plan_body_add_goal(b, &g, sum, sizeof sum);

    struct plan_action_in a = {.text = "Boodschappen op dinsdag", .level = 1};
    int64_t id = plan_body_add_action(b, &a, today, sum, sizeof sum);
    CHECK(id == 1, "first action gets id 1");
    CHECK_STR(sum, "Actie toegevoegd: Boodschappen op dinsdag (trede 1)", "action summary");
    json_t *act = plan_body_action(b, 1);
    CHECK_STR(json_string_value(json_object_get(act, "carrier")), "resident", "carrier defaults to the level's");
    CHECK_STR(json_string_value(json_object_get(act, "status")), "open", "a new action is open");
    CHECK(json_is_null(json_object_get(act, "goal")) && json_is_null(json_object_get(act, "due")),
          "no goal and no due date are null");

    char due[11];
    day_format(today + 14, due);
    struct plan_action_in a2 = {.text = "Zus Marieke komt op bezoek", .level = 3, .carrier = "network_member",
                                .carrier_name = "zus Marieke", .goal = 1, .due = due};
    CHECK(plan_body_add_action(b, &a2, today, sum, sizeof sum) == 2, "second action gets id 2");
    act = plan_body_action(b, 2);
    CHECK(json_integer_value(json_object_get(act, "goal")) == 1 &&
              strcmp(json_string_value(json_object_get(act, "due")), due) == 0 &&
              strcmp(json_string_value(json_object_get(act, "carrier_name")), "zus Marieke") == 0,
          "goal, due date and carrier name stored");
    struct plan_action_in a3 = {.text = "Begeleiding", .level = 6, .carrier = "resident"};
    CHECK(plan_body_add_action(b, &a3, today, sum, sizeof sum) == 3, "ids increase");
    CHECK_STR(json_string_value(json_object_get(plan_body_action(b, 3), "carrier")), "resident",
              "an explicit carrier is kept even when it differs from the level's");

    json_t *e = errs();
    char past[11];
    day_format(today - 1, past);
    struct plan_action_in bad = {.text = "", .level = 7, .carrier = "marsmannetje", .goal = 9, .due = past};
    CHECK(plan_check_action(b, &bad, today, e) == 5, "five problems in a bad action");
    CHECK(json_object_get(e, "text") && json_object_get(e, "level") && json_object_get(e, "carrier") &&
              json_object_get(e, "goal") && json_object_get(e, "due"),
          "each problem names its field");
    CHECK(plan_body_add_action(b, &bad, today, sum, sizeof sum) == PLAN_E_INVALID &&
              json_array_size(json_object_get(b, "actions")) == 3,
          "a bad action is refused and leaves the body alone");
    json_decref(e);
    char today_s[11];
    day_format(today, today_s);
    struct plan_action_in now_due = {.text = "Vandaag bellen", .level = 2, .due = today_s};
    e = errs();
    CHECK(plan_check_action(b, &now_due, today, e) == 0, "today is not in the past");
    struct plan_action_in odd = {.text = "x", .level = 2, .due = "2026-02-30"};
    CHECK(plan_check_action(b, &odd, today, e) == 1 && json_object_get(e, "due"), "a date that does not exist");
    json_decref(e);

    /* status */
    CHECK(plan_body_set_status(b, 2, "gedaan", sum, sizeof sum) == PLAN_OK, "status changes");
    CHECK_STR(sum, "Status gewijzigd: Zus Marieke komt op bezoek, van Open naar Gedaan", "status summary");
    CHECK_STR(json_string_value(json_object_get(plan_body_action(b, 2), "status")), "gedaan", "status stored");
    CHECK(plan_body_set_status(b, 2, "gedaan", sum, sizeof sum) == PLAN_E_UNCHANGED, "same status: unchanged");
    CHECK(plan_body_set_status(b, 2, "klaar", sum, sizeof sum) == PLAN_E_INVALID, "unknown status refused");
    CHECK(plan_body_set_status(b, 99, "bezig", sum, sizeof sum) == PLAN_E_NOT_FOUND, "unknown action: not found");

    /* a long text is clipped in the summary without splitting a character */
    char longtext[400] = "";
    for (int i = 0; i < 60; i++) strcat(longtext, "é");
    strcat(longtext, " en verder met nog veel meer woorden die niet in de samenvatting passen");
    struct plan_action_in la = {.text = longtext, .level = 4};
    plan_body_add_action(b, &la, today, sum, sizeof sum);
    CHECK(strstr(sum, "\xE2\x80\xA6 (trede 4)") != NULL, "long text clipped with an ellipsis: %s", sum);
    json_decref(b);
}

static void test_diff(void)
{
    json_t *a = plan_body_new();
    char sum[PLAN_SUMMARY_MAX];
    struct plan_goal_in g1 = {"financien", 2, 4, "Schulden op een rij"};
    struct plan_goal_in g2 = {"financien", 3, 4, "Geld voor de huur"};
    plan_body_add_goal(a, &g1, sum, sizeof sum);
    plan_body_add_goal(a, &g2, sum, sizeof sum);
    struct plan_action_in x1 = {.text = "Boodschappen op dinsdag", .level = 1};
    struct plan_action_in x2 = {.text = "Wandelclub", .level = 4, .carrier_name = "Buurthuis De Kantel"};
    plan_body_add_action(a, &x1, today, sum, sizeof sum);
    plan_body_add_action(a, &x2, today, sum, sizeof sum);

    json_t *b = json_deep_copy(a);
    json_t *same = plan_body_diff(a, b);
    CHECK(json_integer_value(json_object_get(same, "count")) == 0, "equal bodies: no differences");
    json_decref(same);

    /* b: goal 1 removed (by hand: the app never removes), goal 3 added,
     * action 1 level and status changed, action 3 added */
    json_array_remove(json_object_get(b, "goals"), 0);
    struct plan_goal_in g3 = {"huisvesting", 1, 2, "Een eigen woning"};
    plan_body_add_goal(b, &g3, sum, sizeof sum);
    plan_body_set_status(b, 1, "bezig", sum, sizeof sum);
    json_object_set_new(plan_body_action(b, 1), "level", json_integer(2));
    struct plan_action_in x3 = {.text = "Dagbesteding", .level = 6, .carrier_name = "Zorg BV"};
    plan_body_add_action(b, &x3, today, sum, sizeof sum);

    json_t *d = plan_body_diff(a, b);
    json_t *dg = json_object_get(d, "goals"), *da = json_object_get(d, "actions");
    CHECK(json_integer_value(json_object_get(d, "count")) == 4, "four differences (got %lld)",
          (long long)json_integer_value(json_object_get(d, "count")));
    CHECK(json_array_size(json_object_get(dg, "removed")) == 1 &&
              json_integer_value(json_object_get(json_array_get(json_object_get(dg, "removed"), 0), "id")) == 1,
          "goal 1 removed");
    CHECK(json_array_size(json_object_get(dg, "added")) == 1 &&
              json_integer_value(json_object_get(json_array_get(json_object_get(dg, "added"), 0), "id")) == 3,
          "goal 3 added");
    CHECK(json_array_size(json_object_get(dg, "changed")) == 0, "goal 2 unchanged");
    json_t *ch = json_array_get(json_object_get(da, "changed"), 0);
    CHECK(json_array_size(json_object_get(da, "changed")) == 1 && json_integer_value(json_object_get(ch, "id")) == 1,
          "action 1 changed");
    json_t *changes = json_object_get(ch, "changes");
    CHECK(json_array_size(changes) == 2, "two fields changed");
    json_t *lvl = json_array_get(changes, 0), *st = json_array_get(changes, 1);
    CHECK_STR(json_string_value(json_object_get(lvl, "label")), "Trede", "level change label");
    CHECK_STR(json_string_value(json_object_get(lvl, "old")), "1 (Eigen kracht)", "old level in words");
    CHECK_STR(json_string_value(json_object_get(lvl, "new")), "2 (Huishouden)", "new level in words");
    CHECK_STR(json_string_value(json_object_get(st, "old")), "Open", "old status in words");
    CHECK_STR(json_string_value(json_object_get(st, "new")), "Bezig", "new status in words");
    json_t *added = json_array_get(json_object_get(da, "added"), 0);
    CHECK(added && strstr(json_string_value(json_object_get(added, "details")), "Zorgaanbieder (maatwerk) (Zorg BV)"),
          "an added action is described in words");
    CHECK(json_array_size(json_object_get(da, "removed")) == 0, "no action removed");
    json_decref(d);
    json_decref(a);
    json_decref(b);
}

static void test_kantel(void)
{
    json_t *b = plan_body_new();
    char sum[PLAN_SUMMARY_MAX], txt[200];
    struct kantel_index k;
    plan_body_kantel(b, &k);
    CHECK(kantel_index_percent(&k) == -1, "empty plan: no index");
    int levels[] = {1, 3, 6};
    for (int i = 0; i < 3; i++) {
        struct plan_action_in a = {.text = "Actie", .level = levels[i]};
        plan_body_add_action(b, &a, today, sum, sizeof sum);
    }
    plan_body_kantel(b, &k);
    CHECK(k.total == 3 && k.low == 2, "3 actions, 2 on levels 1-4");
    CHECK(kantel_index_percent(&k) == 67, "levels 1, 3, 6 -> 67%% (got %d)", kantel_index_percent(&k));
    kantel_index_text(&k, txt, sizeof txt);
    CHECK(strstr(txt, "2 van de 3 acties (67%)") != NULL, "sentence: %s", txt);
    plan_body_set_status(b, 3, "gestopt", sum, sizeof sum);
    plan_body_kantel(b, &k);
    CHECK(k.total == 2 && kantel_index_percent(&k) == 100, "a stopped action no longer counts");
    json_decref(b);
}

static void test_parse(void)
{
    json_t *b = plan_body_parse("{\"goals\":[],\"actions\":[{\"id\":4,\"level\":2,\"status\":\"open\"}]}");
    CHECK(b != NULL, "a stored body parses");
    char sum[PLAN_SUMMARY_MAX];
    struct plan_action_in a = {.text = "Nog een", .level = 2};
    CHECK(b && plan_body_add_action(b, &a, today, sum, sizeof sum) == 5, "next id follows the highest id");
    json_decref(b);
    CHECK(plan_body_parse("[]") == NULL && plan_body_parse("{\"goals\":[]}") == NULL && plan_body_parse("{") == NULL,
          "broken bodies are refused");
    CHECK_STR(plan_carrier_label("network_member"), "Iemand uit het netwerk", "carrier label");
    CHECK(plan_carrier_label("x") == NULL && plan_status_label("x") == NULL, "unknown codes have no label");
    CHECK(plan_status_count() == 4 && strcmp(plan_status_at(3), "gestopt") == 0 && plan_status_at(4) == NULL,
          "four statuses");
}

static void test_long_texts(void)
{
    /* 1000 two-byte characters: every text shown in a summary, title or
     * change is clipped on a character boundary and stays valid UTF-8. */
    char big[2100] = "";
    for (int i = 0; i < 1000; i++) strcat(big, "\xC3\xA9");
    json_t *a = plan_body_new();
    char sum[PLAN_SUMMARY_MAX];
    struct plan_goal_in g = {"financien", 1, 5, big};
    CHECK(plan_body_add_goal(a, &g, sum, sizeof sum) == 1, "a goal of 1000 characters is allowed");
    struct plan_action_in x = {.text = big, .level = 3, .carrier_name = "zus Marieke", .goal = 1};
    CHECK(plan_body_add_action(a, &x, today, sum, sizeof sum) == 1, "an action of 1000 characters is allowed");
    json_t *b = json_deep_copy(a);
    plan_body_set_status(b, 1, "bezig", sum, sizeof sum);
    json_object_set_new(plan_body_action(b, 1), "text", json_string("Kort"));
    json_t *empty = plan_body_new();
    json_t *d = plan_body_diff(empty, b);
    json_decref(empty);
    json_t *added = json_array_get(json_object_get(json_object_get(d, "actions"), "added"), 0);
    CHECK(added && json_string_value(json_object_get(added, "details")) &&
              json_string_value(json_object_get(json_array_get(json_object_get(json_object_get(d, "goals"), "added"), 0), "title")),
          "titles and details of long items are valid strings");
    json_decref(d);
    d = plan_body_diff(a, b);
    json_t *ch = json_object_get(json_array_get(json_object_get(json_object_get(d, "actions"), "changed"), 0), "changes");
    const char *old = json_string_value(json_object_get(json_array_get(ch, 0), "old"));
    CHECK(old && strlen(old) <= 300 * 2 + 3 && strstr(old, "\xE2\x80\xA6"), "a long old text is clipped with an ellipsis");
    json_decref(d);
    json_decref(a);
    json_decref(b);

    char out[8];
    plan_text_clip("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 10, out, sizeof out);
    CHECK(strcmp(out, "\xC3\xA9\xC3\xA9\xE2\x80\xA6") == 0, "clipped by buffer size without splitting a character");
    plan_text_clip("a\nb\tc", 10, out, sizeof out);
    CHECK_STR(out, "a b c", "one line");
}

int main(void)
{
    today = day_from_ymd(2026, 5, 20);
    test_goals();
    test_actions();
    test_diff();
    test_kantel();
    test_parse();
    test_long_texts();
    return t_done();
}
