/*
 * demo_stages.c - brings the demo households to every stage of the work
 * (issue 3, demo data): a fresh request, an overdue onderzoek, assessments
 * with progress, a plan in progress, a plan the resident agreed to, and a
 * closed request. Dates are relative to today so the demo always shows
 * deadlines that are due soon and overdue. Uses the same domain functions as
 * the pages; each step is its own transaction.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/util.h"
#include "domain/assess.h"
#include "domain/calendar.h"
#include "domain/plan.h"
#include "domain/request.h"

static int64_t id_of(db_t *db, const char *sql, const char *arg)
{
    db_stmt_t *st = db_prepare(db, sql);
    db_bind_text(st, 1, arg);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return id;
}

static int64_t household_id(db_t *db, const char *name)
{
    return id_of(db, "SELECT id FROM household WHERE name = ?", name);
}

/* The member of a household with this given name. */
static int64_t member(db_t *db, int64_t household, const char *given)
{
    db_stmt_t *st = db_prepare(db,
        "SELECT p.id FROM household_member m JOIN person p ON p.id = m.person_id"
        " WHERE m.household_id = ? AND p.given_names = ?");
    db_bind_int(st, 1, household);
    db_bind_text(st, 2, given);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return id;
}

static int64_t request(db_t *db, const char *gm, int64_t hh, int64_t person, enum request_law law, const char *channel,
                       const char *question, day_t received, int pp, int zoek, int64_t by)
{
    struct deadline_config cfg;
    deadline_config_load(db, gm, &cfg);
    struct request_in in = {.household_id = hh, .person_id = person, .law = law, .channel = channel,
                            .question = question, .received_on = received, .persoonlijk_plan = pp,
                            .zoektermijn = zoek, .created_by = by};
    return request_create(db, gm, &in, &cfg, now_s());
}

static int assessment(db_t *db, const char *gm, int64_t hh, int64_t person, day_t date, const char *scores_json,
                      int64_t by, day_t today)
{
    char d[11], err[200];
    day_format(date, d);
    json_t *scores = json_loads(scores_json, 0, NULL);
    struct assess_in in = {.household_id = hh, .person_id = person, .instrument = "zrm", .scores = scores,
                           .date = d, .note = "Demo", .assessed_by = by};
    int64_t id = assess_create(db, gm, &in, today, now_s(), err, sizeof err);
    json_decref(scores);
    if (id <= 0) fprintf(stderr, "kantel demo: assessment: %s\n", err);
    return id > 0 ? 0 : -1;
}

/* Plan contents as data: goals first, then actions (goal index into goals, -1 none). */
struct demo_goal { const char *domain; int current, target; const char *text; };
struct demo_action { const char *text; int level; const char *carrier_name; int goal; int due_in_days; };
struct demo_plan {
    const struct demo_goal *goals;
    int n_goals;
    const struct demo_action *actions;
    int n_actions;
    day_t today;
};

static int add_goal(json_t *body, void *arg, char *summary, size_t n)
{
    const struct demo_goal *g = arg;
    struct plan_goal_in in = {.domain = g->domain, .current = g->current, .target = g->target, .text = g->text};
    return plan_body_add_goal(body, &in, summary, n) > 0 ? PLAN_OK : PLAN_E_INVALID;
}

struct action_arg { const struct demo_action *a; int64_t goal_id; day_t today; };

static int add_action(json_t *body, void *arg, char *summary, size_t n)
{
    const struct action_arg *x = arg;
    char due[11] = "";
    if (x->a->due_in_days > 0) day_format(x->today + x->a->due_in_days, due);
    struct plan_action_in in = {.text = x->a->text, .level = x->a->level, .carrier_name = x->a->carrier_name,
                                .goal = x->goal_id, .due = due};
    return plan_body_add_action(body, &in, x->today, summary, n) > 0 ? PLAN_OK : PLAN_E_INVALID;
}

/* Builds the plan one change at a time (one version per change, as a
 * generalist would). Returns the last version or -1. */
static int plan(db_t *db, const char *gm, int64_t hh, int64_t by, const struct demo_plan *p)
{
    int version = -1;
    int64_t goal_ids[8] = {0};
    for (int i = 0; i < p->n_goals && i < 8; i++) {
        version = plan_change(db, gm, hh, by, now_s(), add_goal, (void *)&p->goals[i]);
        if (version < 1) return -1;
        goal_ids[i] = i + 1; /* goal ids start at 1 in a new plan */
    }
    for (int i = 0; i < p->n_actions; i++) {
        struct action_arg x = {&p->actions[i], p->actions[i].goal >= 0 ? goal_ids[p->actions[i].goal] : 0, p->today};
        version = plan_change(db, gm, hh, by, now_s(), add_action, &x);
        if (version < 1) return -1;
    }
    return version;
}

static const struct demo_goal devries_goals[] = {
    {"financien", 2, 4, "Rekeningen op tijd betalen en geen nieuwe schulden."},
    {"sociaal_netwerk", 2, 3, "Iemand in de buurt om op terug te vallen."},
};
static const struct demo_action devries_actions[] = {
    {"Sanne zet elke maandag de post en de rekeningen op een rij.", 1, NULL, 0, 14},
    {"Lars (14) doet op dinsdag en vrijdag de boodschappen.", 2, "Lars", -1, 0},
    {"Zus Marieke komt op woensdagavond helpen met de administratie.", 3, "zus Marieke", 0, 0},
    {"Sanne gaat naar de wandelgroep van Buurthuis De Kantel.", 4, "Buurthuis De Kantel", 1, 21},
    {"Inloopspreekuur schuldhulp in de bibliotheek.", 5, "Schuldhulp Kantelstad", 0, 30},
    {"Ambulante begeleiding thuis, 2 uur per week.", 6, "Zorggroep De Linde", 0, 42},
};
static const struct demo_goal bakker_goals[] = {
    {"basale_adl", 3, 4, "Kees kan weer zelf douchen."},
};
static const struct demo_action bakker_actions[] = {
    {"Riet helpt Kees 's ochtends bij het wassen.", 2, "Riet", 0, 0},
    {"Buurman Ahmed brengt Kees op donderdag naar de soos.", 3, "buurman Ahmed", -1, 0},
};

int demo_stages(db_t *db, const char *gm)
{
    int64_t now = now_s();
    day_t today = day_today_amsterdam(now);
    int64_t gen = id_of(db, "SELECT id FROM account WHERE username = ?", "generalist");
    int64_t gen2 = id_of(db, "SELECT id FROM account WHERE username = ?", "generalist2");
    int64_t vries = household_id(db, "Huishouden De Vries"), bakker = household_id(db, "Huishouden Bakker");
    int64_t idrissi = household_id(db, "Huishouden El Idrissi"), jansen = household_id(db, "Huishouden Jansen");
    int64_t visser = household_id(db, "Huishouden Visser");
    if (!gen || !gen2 || !vries || !bakker || !idrissi || !jansen || !visser) return -1;

    /* De Vries: request in onderzoek, two assessments, a plan the resident agreed to. */
    int64_t sanne = member(db, vries, "Sanne");
    int64_t r1 = request(db, gm, vries, sanne, LAW_WMO, "telefoon",
                         "Ik krijg de post en de rekeningen niet meer bijgehouden sinds mijn scheiding.", today - 10, 1,
                         0, gen);
    if (r1 <= 0 || request_set_status(db, gm, vries, r1, RS_ONDERZOEK, today, now, NULL) != REQ_OK) return -1;
    if (assessment(db, gm, vries, sanne, today - 40,
                   "{\"financien\":1,\"sociaal_netwerk\":2,\"huisvesting\":4,\"tijdsbesteding\":3}", gen, today) ||
        assessment(db, gm, vries, sanne, today - 5,
                   "{\"financien\":2,\"sociaal_netwerk\":2,\"huisvesting\":4,\"tijdsbesteding\":4}", gen, today))
        return -1;
    struct demo_plan pv = {devries_goals, 2, devries_actions, 6, today};
    int v = plan(db, gm, vries, gen, &pv);
    int current = 0;
    int64_t plan_id = v > 0 ? plan_find(db, vries, &current) : 0;
    if (plan_id <= 0 || plan_agree(db, plan_id, v, sanne, gen, now) != PLAN_OK) return -1;

    /* De Vries's network: sister Marieke (mantelzorger) and neighbour Joost,
     * who has the demo network account and sees the plan's actions. */
    int64_t joost = id_of(db, "SELECT id FROM account WHERE username = ?", "netwerk");
    db_stmt_t *st = db_prepare(db,
        "INSERT INTO network_member (gemeente, household_id, name, relation, roles, share_plan, account_id, created_at)"
        " VALUES (?, ?, 'Marieke de Vries', 'zus', 'mantelzorger', 1, NULL, ?),"
        " (?, ?, 'Joost Bakker', 'buurman', 'buur', 1, ?, ?)");
    db_bind_text(st, 1, gm);
    db_bind_int(st, 2, vries);
    db_bind_int(st, 3, now);
    db_bind_text(st, 4, gm);
    db_bind_int(st, 5, vries);
    if (joost) db_bind_int(st, 6, joost); else db_bind_null(st, 6);
    db_bind_int(st, 7, now);
    int nrc = db_step(st);
    db_done(st);
    if (nrc != DB_DONE) return -1;

    /* Bakker: the onderzoek is overdue; a plan in progress, not yet agreed. */
    int64_t kees = member(db, bakker, "Kees");
    int64_t r2 = request(db, gm, bakker, kees, LAW_WMO, "balie", "Mijn man kan zich niet meer zelf wassen.", today - 50,
                         0, 0, gen);
    if (r2 <= 0 || request_set_status(db, gm, bakker, r2, RS_ONDERZOEK, today, now, NULL) != REQ_OK) return -1;
    if (assessment(db, gm, bakker, kees, today - 20, "{\"basale_adl\":3,\"lichamelijke_gezondheid\":2}", gen, today))
        return -1;
    struct demo_plan pb = {bakker_goals, 1, bakker_actions, 2, today};
    if (plan(db, gm, bakker, gen, &pb) < 1) return -1;

    /* El Idrissi: a fresh Participatiewet request with the under-27 search period. */
    int64_t yasmina = member(db, idrissi, "Yasmina");
    if (request(db, gm, idrissi, yasmina, LAW_PARTICIPATIEWET, "portaal",
                "Ik ben mijn baan kwijt en heb geen inkomen meer.", today - 2, 0, 1, gen) <= 0)
        return -1;

    /* Jansen: a request that was handled and closed. */
    int64_t henk = member(db, jansen, "Henk");
    int64_t rid = request(db, gm, jansen, henk, LAW_WMO, "email", "Ik wil een traplift.", today - 70, 0, 0, gen2);
    if (rid <= 0 || request_set_status(db, gm, jansen, rid, RS_AFGEROND, today - 20, now, NULL) != REQ_OK) return -1;

    /* Visser: a Jeugdwet request for the youngest. */
    int64_t daan = member(db, visser, "Daan");
    if (request(db, gm, visser, daan, LAW_JEUGDWET, "verwijzing",
                "De huisarts verwijst: Daan slaapt slecht en is veel boos.", today - 20, 0, 0, gen2) <= 0)
        return -1;
    return 0;
}
