// tests/http/referrals.mjs - closed-loop referrals over HTTP against a real
// `kantel serve` on a demo database (SQLite, or PostgreSQL with
// KANTEL_TEST_PG): the plan page's "Aanbod zoeken" links; the referral form
// (the service as the sociale kaart shows it, consent rules: under 16 only a
// representative, from 16 the person; the date; the tick; no BSN in what is
// shared; one open referral per action and service; hidden services and
// finished actions); the full loop generalist -> walking club (wandelclub)
// -> statuses visible to the resident and the generalist, with the plan
// action following in new plan versions; withdrawal by the resident and by
// the generalist; a refusal with a reason and "a new step is needed"; an
// ending that makes the action done; need-to-know (another team's
// generalist, another organisation, an account whose claim is not approved,
// IDOR); reminders via `kantel jobs run referral.reminder` after aging
// status_at; the audit trail.
//
//   KANTEL_BIN=build/kantel node tests/http/referrals.mjs

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { suite } from '../lib/harness.mjs';
import { Client, dbTarget, runDemo, sql, startServer } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const PASSWORD = 'Kantel-demo-2026!';
const SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';
const JSON_ACCEPT = { headers: { Accept: 'application/json' } };
const VALID_BSN = '999900006'; // a test BSN that passes the elfproef

const t = suite('http: closed-loop referrals');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-referrals-'));

const locOf = (res) => {
  const loc = res.headers.get('location');
  return loc === null ? null : new URL(loc, 'http://x/');
};

function cli(args) {
  return spawnSync(BIN, [...args, '--database', dbTarget(dir), '--key-file', path.join(dir, 'k.key')],
    { encoding: 'utf8', timeout: 60_000 });
}

function inputTag(html, id) {
  const m = new RegExp(`<(?:input|textarea)\\b[^>]*id="${id}"[^>]*>`).exec(html);
  return m ? m[0] : null;
}

let srv = null;
const c = {}; // clients by demo user
const csrf = {};

async function model(who, p) {
  const res = await c[who].get(p, JSON_ACCEPT);
  assert.equal(res.status, 200, `GET ${p} as ${who} (JSON): ${res.status}`);
  return res.json();
}

async function status(who, p) {
  const res = await c[who].get(p);
  await res.arrayBuffer();
  return res.status;
}

async function post(who, p, fields) {
  const res = await c[who].post(p, { csrf: csrf[who], ...fields });
  const body = await res.text();
  return { res, body, status: res.status, loc: locOf(res) };
}

async function post303(who, p, fields, to) {
  const r = await post(who, p, fields);
  assert.equal(r.status, 303, `POST ${p} as ${who}: ${r.status} ${r.body.slice(0, 800)}`);
  if (to) assert.equal(r.loc.pathname, to);
  return r.loc;
}

const actionsOf = (m) => m.levels.flatMap((l) => l.actions);
const ymd = (ms) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam' }).format(new Date(ms));
const today = () => ymd(Date.now());
const daysAgo = (n) => ymd(Date.now() - n * 86400e3);

let club = '', eettafel = '', hiddenSvc = '', orphanSvc = '';
let sanne = 0, lars = 0;

await t.test('setup: demo database, server (jobs every second), the accounts signed in', async () => {
  await runDemo(BIN, dir);
  srv = await startServer({ bin: BIN, dir, env: { KANTEL_JOBS_INTERVAL: '1' } });
  for (const who of ['generalist', 'generalist2', 'wandelclub', 'organisatie', 'aanbieder', 'inwoner', 'beheerder']) {
    c[who] = new Client(srv.url);
    await c[who].login(who, PASSWORD, SECRET);
    csrf[who] = (await c[who].form('/account')).csrf;
    assert.ok(csrf[who], `csrf token for ${who}`);
  }
  club = sql(dir, "SELECT id FROM hsds_service WHERE name = 'Wandelclub Havenkwartier'");
  eettafel = sql(dir, "SELECT id FROM hsds_service WHERE name = 'Eettafel Binnenstad'");
  hiddenSvc = sql(dir, "SELECT id FROM hsds_service WHERE name = 'Wandelclub Stationsbuurt'");
  orphanSvc = sql(dir, "SELECT id FROM hsds_service WHERE name = 'Jeu de boules Molenwijk'");
  assert.match(club, /^[0-9a-f-]{36}$/);
  assert.match(eettafel, /^[0-9a-f-]{36}$/);
  const now = Math.floor(Date.now() / 1000);
  sql(dir, `INSERT INTO listing (service_id, gemeente, seen_at, hidden_at) SELECT id, gemeente, ${now}, ${now}`
    + ` FROM hsds_service WHERE id = '${hiddenSvc}'`);
  sql(dir, `UPDATE hsds_service SET organization_id = NULL WHERE id = '${orphanSvc}'`);
  sanne = Number(sql(dir, "SELECT p.id FROM person p JOIN household_member m ON m.person_id = p.id"
    + " WHERE m.household_id = 1 AND p.given_names = 'Sanne'"));
  lars = Number(sql(dir, "SELECT p.id FROM person p JOIN household_member m ON m.person_id = p.id"
    + " WHERE m.household_id = 1 AND p.given_names = 'Lars'"));
  sql(dir, `UPDATE person SET phone = '06 12345678', email = 'sanne@example.nl' WHERE id = ${sanne}`);
});

if (srv) {
  let walkId = 0, mealId = 0;
  await t.test('the plan: "Aanbod zoeken" on running actions of levels 4 and 5 only', async () => {
    await post303('generalist', '/huishoudens/1/plan/acties', { omschrijving: 'Sanne wandelt elke week met anderen',
      trede: '4' }, '/huishoudens/1/plan');
    await post303('generalist', '/huishoudens/1/plan/acties', { omschrijving: 'Sanne eet mee met de buurt', trede: '4' },
      '/huishoudens/1/plan');
    const m = await model('generalist', '/huishoudens/1/plan');
    const acts = actionsOf(m);
    walkId = acts.find((a) => a.text === 'Sanne wandelt elke week met anderen').id;
    mealId = acts.find((a) => a.text === 'Sanne eet mee met de buurt').id;
    for (const a of acts) {
      const want = (a.level === 4 || a.level === 5) && (a.status === 'open' || a.status === 'bezig');
      if (want) assert.equal(a.referral_search.href, `/sociale-kaart?huishouden=1&actie=${a.id}`, `level ${a.level}`);
      else assert.equal(a.referral_search, null, `no search link on level ${a.level} (${a.status})`);
      assert.deepEqual(a.referrals, []);
      assert.equal(a.new_step, null);
    }
    const html = await (await c.generalist.get('/huishoudens/1/plan')).text();
    assert.ok(html.includes(`href="/sociale-kaart?huishouden&#61;1&amp;actie&#61;${walkId}">Aanbod zoeken`),
      'the link is shown');
  });

  const form = () => `/huishoudens/1/plan/acties/${walkId}/verwijzen`;

  await t.test('the form without a service sends to the search; unknown or malformed services are 404', async () => {
    const m = await model('generalist', form());
    assert.equal(m.no_service, true);
    assert.equal(m.form, null);
    assert.equal(m.search_href, `/sociale-kaart?huishouden=1&actie=${walkId}`);
    assert.equal(await status('generalist', `${form()}?dienst=00000000-0000-0000-0000-000000000000`), 404);
    assert.equal(await status('generalist', `${form()}?dienst=x%20y`), 404);
    assert.equal(await status('generalist', `/huishoudens/1/plan/acties/9999/verwijzen?dienst=${club}`), 404);
    const r = await c.generalist.get(`${form()}?dienst=${club}&extra=1`);
    assert.equal(r.status, 400, 'an undeclared parameter is refused');
  });

  await t.test('the form shows the service (organisation, address, Tuesday 10:00-11:30, free) and the household', async () => {
    const m = await model('generalist', `${form()}?dienst=${club}`);
    assert.equal(m.service.name, 'Wandelclub Havenkwartier');
    assert.equal(m.service.organization, 'Wandelvereniging Havenkwartier');
    assert.deepEqual(m.service.when, ['Elke dinsdag van 10:00 tot 11:30']);
    assert.deepEqual(m.service.costs, ['Gratis']);
    assert.match(m.service.address, /, 80\d\d [A-Z]{2} Kantelstad$/);
    assert.equal(m.service.referable, true);
    assert.equal(m.plan_action.text, 'Sanne wandelt elke week met anderen');
    assert.deepEqual(m.form.members.map((x) => x.value).sort(), [sanne, lars,
      Number(sql(dir, "SELECT id FROM person WHERE given_names = 'Noor'"))].sort());
    assert.match(m.form.members.find((x) => x.value === lars).label, /\d+ jaar: toestemming van ouder of voogd/);
    const values = m.form.contacts.map((x) => x.value);
    assert.deepEqual(values, ['geen', `p${sanne}-telefoon`, `p${sanne}-email`, 'anders']);
    assert.equal(m.form.datum, today());
    assert.equal(m.form.organization, 'Wandelvereniging Havenkwartier');
    const html = await (await c.generalist.get(`${form()}?dienst=${club}`)).text();
    assert.match(html, /De inwoner heeft toestemming gegeven om deze gegevens met Wandelvereniging Havenkwartier te delen/);
  });

  await t.test('validation: every missing answer with a summary; nothing stored; what was typed is kept', async () => {
    const r = await post('generalist', form(), { dienst: club, bericht: 'Graag <b>bellen</b>', contact: 'anders',
      contact_anders: 'bel mij' });
    assert.equal(r.status, 400);
    assert.match(r.body, /De verwijzing is niet verstuurd/);
    for (const id of ['vz-persoon', 'vz-door', 'vz-hoe', 'vz-contact', 'vz-akkoord'])
      assert.match(r.body, new RegExp(`href="#${id}"`), `summary links to ${id}`);
    assert.match(r.body, /Kies het gezinslid dat u verwijst/);
    assert.match(r.body, /Vink aan dat de inwoner toestemming gaf/);
    assert.match(r.body, /Vul een telefoonnummer of een e-mailadres in/);
    assert.match(r.body, />Graag &lt;b&gt;bellen&lt;\/b&gt;<\/textarea>/, 'the message is kept, escaped');
    assert.match(inputTag(r.body, 'vz-contact-tekst'), /value="bel mij"/);
    assert.equal(sql(dir, 'SELECT count(*) FROM referral'), '0');
  });

  const good = (extra = {}) => ({ dienst: club, persoon: String(sanne), toestemming_door: 'inwoner',
    toestemming_hoe: 'mondeling', toestemming_datum: today(), contact: `p${sanne}-telefoon`, akkoord: '1',
    bericht: 'Sanne wil graag wandelen in een rustig tempo. Bel haar gerust overdag.', ...extra });

  await t.test('consent rules: under 16 only a representative, from 16 the person; the date; no BSN anywhere', async () => {
    let r = await post('generalist', form(), good({ persoon: String(lars) }));
    assert.equal(r.status, 400);
    assert.match(r.body, /jonger dan 16 jaar\. Een ouder, voogd of wettelijk vertegenwoordiger moet toestemming geven/);
    r = await post('generalist', form(), good({ toestemming_door: 'vertegenwoordiger' }));
    assert.equal(r.status, 400);
    assert.match(r.body, /Vanaf 16 jaar geeft de inwoner zelf toestemming/);
    r = await post('generalist', form(), good({ toestemming_datum: '2099-01-01' }));
    assert.match(r.body, /kan niet in de toekomst liggen/);
    r = await post('generalist', form(), good({ toestemming_datum: daysAgo(400) }));
    assert.match(r.body, /meer dan een jaar oud/);
    r = await post('generalist', form(), good({ toestemming_datum: '2026-02-30' }));
    assert.equal(r.status, 400);
    assert.match(r.body, /Deze datum bestaat niet/);
    r = await post('generalist', form(), good({ bericht: `Haar BSN is ${VALID_BSN.slice(0, 4)}.${VALID_BSN.slice(4, 6)}.${VALID_BSN.slice(6)}` }));
    assert.equal(r.status, 400);
    assert.match(r.body, /Haal het BSN uit het bericht/);
    r = await post('generalist', form(), good({ contact: 'anders', contact_anders: VALID_BSN }));
    assert.equal(r.status, 400, 'a BSN is no phone number');
    r = await post('generalist', form(), good({ contact: 'p999-telefoon' }));
    assert.match(r.body, /Kies een contactgegeven uit de lijst/);
    r = await post('generalist', form(), good({ bericht: 'x'.repeat(1001) }));
    assert.match(r.body, /hoogstens 1000 tekens/);
    r = await post('generalist', form(), good({ toestemming_hoe: 'telepathie' }));
    assert.match(r.body, /Kies hoe de toestemming is gegeven/);
    assert.equal(sql(dir, 'SELECT count(*) FROM referral'), '0');
    r = await post('generalist', form(), good({ bericht: 'Telefoon 0570 123456, lidnummer 123456789.', akkoord: '' }));
    assert.equal(r.status, 400);
    assert.ok(!/Haal het BSN/.test(r.body), 'numbers that are no valid BSN are fine');
    assert.match(r.body, /Vink aan dat de inwoner toestemming gaf/);
    assert.equal(sql(dir, 'SELECT count(*) FROM referral'), '0');
  });

  await t.test('a hidden service, one without an organisation, a finished action: no referral', async () => {
    let m = await model('generalist', `${form()}?dienst=${hiddenSvc}`);
    assert.equal(m.form, null);
    assert.match(m.service.why, /niet meer zichtbaar/);
    let r = await post('generalist', form(), good({ dienst: hiddenSvc }));
    assert.equal(r.status, 409);
    m = await model('generalist', `${form()}?dienst=${orphanSvc}`);
    assert.match(m.service.why, /geen organisatie/);
    await post303('generalist', '/huishoudens/1/plan/acties', { omschrijving: 'Klaar', trede: '5' });
    const done = actionsOf(await model('generalist', '/huishoudens/1/plan')).find((a) => a.text === 'Klaar');
    await post303('generalist', `/huishoudens/1/plan/acties/${done.id}`, { status: 'gedaan' });
    assert.equal(await status('generalist', `/huishoudens/1/plan/acties/${done.id}/verwijzen?dienst=${club}`), 409);
    r = await post('generalist', `/huishoudens/1/plan/acties/${done.id}/verwijzen`, good());
    assert.equal(r.status, 409);
  });

  let ref1 = 0, versionBefore = 0;
  await t.test('referring Sanne: one new plan version, the walking club becomes the carrier', async () => {
    versionBefore = (await model('generalist', '/huishoudens/1/plan')).current_version;
    const loc = await post303('generalist', form(), good());
    assert.match(loc.pathname, /^\/huishoudens\/1\/verwijzingen\/\d+$/);
    ref1 = Number(loc.pathname.split('/').pop());
    const plan = await model('generalist', '/huishoudens/1/plan');
    assert.equal(plan.current_version, versionBefore + 1, 'exactly one new version');
    assert.equal(plan.versions[0].summary, 'Verwijzing naar Wandelclub Havenkwartier: verstuurd');
    const a = actionsOf(plan).find((x) => x.id === walkId);
    assert.equal(a.carrier_name, 'Wandelclub Havenkwartier (Wandelvereniging Havenkwartier)');
    assert.equal(a.status, 'open');
    assert.deepEqual(a.referrals.map((x) => [x.service_name, x.status_label, x.reminder]),
      [['Wandelclub Havenkwartier', 'Verstuurd', null]]);
    const m = await model('generalist', loc.pathname);
    assert.equal(m.referral.status, 'verstuurd');
    assert.equal(m.referral.shared_name, 'Sanne de Vries');
    assert.equal(m.referral.shared_contact, '06 12345678');
    assert.equal(m.referral.consent_by, 'De inwoner zelf');
    assert.equal(m.referral.consent_how, 'Mondeling');
    assert.equal(m.referral.consent_recorded_by, 'Fatima El Amrani');
    assert.equal(m.referral.events.length, 1);
    assert.equal(m.referral.events[0].plan_version, versionBefore + 1);
    assert.ok(m.withdraw_form, 'it can be withdrawn');
    assert.equal(sql(dir, `SELECT consent_on, consent_by, status FROM referral WHERE id = ${ref1}`),
      `${today()}|inwoner|verstuurd`);
  });

  await t.test('one open referral per action and service', async () => {
    const r = await post('generalist', form(), good());
    assert.equal(r.status, 400);
    assert.match(r.body, /Er loopt al een verwijzing van deze actie naar deze dienst/);
    const m = await model('generalist', `${form()}?dienst=${club}`);
    assert.equal(m.form, null);
    assert.equal(m.existing.href, `/huishoudens/1/verwijzingen/${ref1}`);
    assert.equal(sql(dir, 'SELECT count(*) FROM referral'), '1');
  });

  await t.test('the walking club\'s inbox: only what the consent covers', async () => {
    const m = await model('wandelclub', '/organisatie/verwijzingen');
    assert.equal(m.approved, true);
    assert.equal(m.organization, 'Wandelvereniging Havenkwartier');
    assert.equal(m.open.length, 1);
    assert.equal(m.open[0].shared_name, 'Sanne de Vries');
    assert.equal(m.open[0].service_name, 'Wandelclub Havenkwartier');
    assert.equal(m.counts.find((x) => x.status === 'verstuurd').count, 1);
    const d = await model('wandelclub', `/organisatie/verwijzingen/${ref1}`);
    assert.equal(d.referral.shared_contact, '06 12345678');
    assert.match(d.referral.message, /rustig tempo/);
    assert.deepEqual(d.status_form.options.map((o) => o.value), ['contact', 'gestart', 'afgewezen']);
    const json = JSON.stringify([m, d]);
    for (const bad of ['household', 'huishouden', 'plan', 'person_id', 'Kerkstraat', '8011', 'bsn', 'Lars', 'action_id',
      'actie', 'sanne@example.nl', 'Fatima', 'consent_by', 'wandelt elke week'])
      assert.ok(!json.toLowerCase().includes(bad.toLowerCase()), `nothing about ${bad}`);
  });

  await t.test('need-to-know: other organisation 404, unapproved claim sees why, other team 403, IDOR 404', async () => {
    const other = await model('organisatie', '/organisatie/verwijzingen');
    assert.equal(other.approved, true);
    assert.equal(other.open.length + other.done.length, 0, 'Buurthuis Binnenstad sees none of them');
    assert.equal(await status('organisatie', `/organisatie/verwijzingen/${ref1}`), 404);
    assert.equal((await post('organisatie', `/organisatie/verwijzingen/${ref1}/status`, { status: 'gestart' })).status, 404);
    const pend = await c.aanbieder.get('/organisatie/verwijzingen');
    const html = await pend.text();
    assert.equal(pend.status, 200);
    assert.match(html, /wacht nog op goedkeuring door de gemeente/);
    assert.match(html, /href="\/organisatie"/);
    assert.ok(!html.includes('Sanne'), 'no data');
    const pj = await model('aanbieder', '/organisatie/verwijzingen');
    assert.deepEqual(Object.keys(pj).sort(), ['approved', 'layout', 'title', 'why'].filter((k) => k in pj).sort());
    assert.equal(pj.open, undefined);
    assert.equal(await status('aanbieder', `/organisatie/verwijzingen/${ref1}`), 403);
    assert.equal((await post('aanbieder', `/organisatie/verwijzingen/${ref1}/status`, { status: 'gestart' })).status, 403);
    assert.equal(await status('generalist2', `/huishoudens/1/verwijzingen/${ref1}`), 403);
    assert.equal(await status('generalist2', `${form()}?dienst=${club}`), 403);
    assert.equal((await post('generalist2', `/huishoudens/1/verwijzingen/${ref1}/intrekken`, {})).status, 403);
    assert.equal(await status('generalist', `/huishoudens/2/verwijzingen/${ref1}`), 404, 'IDOR by household');
    assert.equal((await post('generalist', `/huishoudens/2/verwijzingen/${ref1}/intrekken`, {})).status, 404);
    assert.equal(await status('wandelclub', `/huishoudens/1/verwijzingen/${ref1}`), 403);
    assert.equal(await status('inwoner', '/organisatie/verwijzingen'), 403);
    assert.equal(await status('generalist', '/organisatie/verwijzingen'), 403);
  });

  await t.test('the organisation\'s status form: only possible statuses; a refusal needs a reason', async () => {
    let r = await post('wandelclub', `/organisatie/verwijzingen/${ref1}/status`, { status: 'beeindigd' });
    assert.equal(r.status, 400);
    assert.match(r.body, /Alleen een gestarte verwijzing kan eindigen/);
    r = await post('wandelclub', `/organisatie/verwijzingen/${ref1}/status`, { status: 'ingetrokken' });
    assert.equal(r.status, 400);
    assert.match(r.body, /Alleen de inwoner of de regisseur kan een verwijzing intrekken/);
    r = await post('wandelclub', `/organisatie/verwijzingen/${ref1}/status`, { status: 'afgewezen', reden: '  ' });
    assert.equal(r.status, 400);
    assert.match(r.body, /Schrijf op waarom de verwijzing is afgewezen/);
    r = await post('wandelclub', `/organisatie/verwijzingen/${ref1}/status`, {});
    assert.equal(r.status, 400);
    assert.match(r.body, /Kies de nieuwe status/);
    r = await post('wandelclub', `/organisatie/verwijzingen/${ref1}/status`, { status: 'gestart', onbekend: '1' });
    assert.equal(r.status, 400, 'undeclared field');
    assert.equal(sql(dir, `SELECT status FROM referral WHERE id = ${ref1}`), 'verstuurd');
  });

  await t.test('contact: no new plan version; started: the action is busy in ONE new version', async () => {
    const v0 = (await model('generalist', '/huishoudens/1/plan')).current_version;
    await post303('wandelclub', `/organisatie/verwijzingen/${ref1}/status`, { status: 'contact',
      reden: 'Gebeld, ze komt dinsdag kijken.' }, `/organisatie/verwijzingen/${ref1}`);
    assert.equal((await model('generalist', '/huishoudens/1/plan')).current_version, v0, 'contact leaves the plan');
    await post303('wandelclub', `/organisatie/verwijzingen/${ref1}/status`, { status: 'gestart' });
    const plan = await model('generalist', '/huishoudens/1/plan');
    assert.equal(plan.current_version, v0 + 1);
    assert.equal(plan.versions[0].summary, 'Verwijzing naar Wandelclub Havenkwartier: gestart');
    assert.equal(plan.versions[0].by, 'Wandelvereniging (secretaris)');
    const a = actionsOf(plan).find((x) => x.id === walkId);
    assert.equal(a.status, 'bezig');
    assert.equal(a.referrals[0].status_label, 'Gestart');
    const d = await model('wandelclub', `/organisatie/verwijzingen/${ref1}`);
    assert.deepEqual(d.status_form.options.map((o) => o.value), ['beeindigd']);
    assert.deepEqual(d.referral.events.map((e) => [e.status_label, e.by]),
      [['Verstuurd', 'De gemeente'], ['Contact gehad', 'Uw organisatie'], ['Gestart', 'Uw organisatie']]);
  });

  await t.test('the resident and the generalist see the new status', async () => {
    const g = await model('generalist', `/huishoudens/1/verwijzingen/${ref1}`);
    assert.equal(g.referral.status_label, 'Gestart');
    assert.deepEqual(g.referral.events.map((e) => e.status_label), ['Verstuurd', 'Contact gehad', 'Gestart']);
    assert.equal(g.referral.events[1].reason, 'Gebeld, ze komt dinsdag kijken.');
    assert.match(g.referral.events[2].by, /\(Wandelvereniging Havenkwartier\)$/);
    const mine = await model('inwoner', '/mijn/verwijzingen');
    assert.equal(mine.referrals.length, 1);
    assert.equal(mine.referrals[0].service_name, 'Wandelclub Havenkwartier');
    assert.equal(mine.referrals[0].status_label, 'Gestart');
    assert.ok(mine.referrals[0].withdraw, 'the resident may withdraw');
    const home = await model('inwoner', '/mijn');
    assert.deepEqual(home.referrals, { count: 1, open: 1, one_open: true, href: '/mijn/verwijzingen' });
    const html = await (await c.inwoner.get('/mijn')).text();
    assert.match(html, /Er loopt 1 verwijzing/);
    const exp = await c.inwoner.get('/mijn/gegevens?formaat=json');
    const data = JSON.parse(await exp.text());
    assert.deepEqual(data.referrals.map((x) => [x.service_name, x.status_label, x.for]),
      [['Wandelclub Havenkwartier', 'Gestart', 'Sanne de Vries']], 'in the data export (AVG art. 15)');
    assert.deepEqual(data.referrals[0].events.map((e) => e.by),
      ['Fatima El Amrani', 'Wandelvereniging Havenkwartier', 'Wandelvereniging Havenkwartier']);
    assert.match(await (await c.inwoner.get('/mijn/gegevens')).text(), /Wandelclub Havenkwartier \(Wandelvereniging Havenkwartier\) voor Sanne de Vries: Gestart/);
  });

  await t.test('the resident withdraws: the action is open again, a new step is needed', async () => {
    const v0 = (await model('generalist', '/huishoudens/1/plan')).current_version;
    const r = await post('inwoner', '/mijn/verwijzingen/999999/intrekken', {});
    assert.equal(r.status, 404);
    await post303('inwoner', `/mijn/verwijzingen/${ref1}/intrekken`, { reden: 'Ik heb een andere club gevonden' },
      '/mijn/verwijzingen');
    const plan = await model('generalist', '/huishoudens/1/plan');
    assert.equal(plan.current_version, v0 + 1);
    assert.equal(plan.versions[0].summary, 'Verwijzing naar Wandelclub Havenkwartier: ingetrokken');
    assert.equal(plan.versions[0].by, 'Sanne de Vries');
    const a = actionsOf(plan).find((x) => x.id === walkId);
    assert.equal(a.status, 'open', 'back to open: the referral made it busy');
    assert.equal(a.new_step, 'Verwijzing naar Wandelclub Havenkwartier ingetrokken. Een nieuwe stap is nodig.');
    const d = await model('wandelclub', `/organisatie/verwijzingen/${ref1}`);
    assert.equal(d.referral.status_label, 'Ingetrokken');
    assert.equal(d.referral.reason, 'Ik heb een andere club gevonden');
    assert.equal(d.status_form, null);
    assert.equal(d.referral.events.at(-1).by, 'De inwoner');
    const again = await post('inwoner', `/mijn/verwijzingen/${ref1}/intrekken`, {});
    assert.equal(again.status, 409, 'a closed referral stays closed');
    assert.equal((await post('wandelclub', `/organisatie/verwijzingen/${ref1}/status`, { status: 'beeindigd' })).status, 409);
  });

  let ref2 = 0;
  await t.test('a refusal with a reason: the action stays, the plan shows that a new step is needed', async () => {
    const loc = await post303('generalist', form(), good({ contact: 'geen', bericht: '' }));
    ref2 = Number(loc.pathname.split('/').pop());
    const v0 = (await model('generalist', '/huishoudens/1/plan')).current_version;
    await post303('wandelclub', `/organisatie/verwijzingen/${ref2}/status`, { status: 'afgewezen',
      reden: 'De groep is vol tot de zomer.' });
    const plan = await model('generalist', '/huishoudens/1/plan');
    assert.equal(plan.current_version, v0, 'a refusal leaves the plan');
    const a = actionsOf(plan).find((x) => x.id === walkId);
    assert.equal(a.status, 'open');
    assert.equal(a.new_step, 'Verwijzing naar Wandelclub Havenkwartier afgewezen: De groep is vol tot de zomer. '
      + 'Een nieuwe stap is nodig.');
    assert.deepEqual(a.referrals.map((x) => x.status_label), ['Afgewezen', 'Ingetrokken']);
    const html = await (await c.generalist.get('/huishoudens/1/plan')).text();
    assert.match(html, /Een nieuwe stap is nodig/);
    const g = await model('generalist', `/huishoudens/1/verwijzingen/${ref2}`);
    assert.equal(g.referral.new_step, true);
    assert.equal(g.withdraw_form, null);
    const mine = await model('inwoner', '/mijn/verwijzingen');
    assert.equal(mine.referrals.find((x) => x.id === ref2).status_label, 'Afgewezen');
  });

  let ref3 = 0;
  await t.test('Lars with a representative\'s consent; the generalist withdraws it; the resident sees it', async () => {
    const loc = await post303('generalist', form(), good({ persoon: String(lars), toestemming_door: 'vertegenwoordiger',
      toestemming_hoe: 'schriftelijk', contact: 'geen', toestemming_datum: daysAgo(3) }));
    ref3 = Number(loc.pathname.split('/').pop());
    assert.equal(sql(dir, `SELECT shared_name, consent_by FROM referral WHERE id = ${ref3}`),
      'Lars de Vries|vertegenwoordiger');
    const mine = await model('inwoner', '/mijn/verwijzingen');
    assert.ok(mine.referrals.some((x) => x.id === ref3 && x.for === 'Lars de Vries' && x.withdraw),
      'the parent sees and may withdraw the referral of a child under 16');
    const r = await post('generalist', `/huishoudens/1/verwijzingen/${ref3}/intrekken`, { reden: 'x'.repeat(1001) });
    assert.equal(r.status, 400);
    assert.match(r.body, /hoogstens 1000 tekens/);
    await post303('generalist', `/huishoudens/1/verwijzingen/${ref3}/intrekken`, { reden: 'Lars wil liever voetballen' },
      `/huishoudens/1/verwijzingen/${ref3}`);
    const g = await model('generalist', `/huishoudens/1/verwijzingen/${ref3}`);
    assert.equal(g.referral.status, 'ingetrokken');
    assert.equal(g.referral.events.at(-1).plan_version, null, 'the action was not busy because of it');
  });

  await t.test('an ending makes the action done in a new version (Buurthuis Binnenstad, another organisation)', async () => {
    const loc = await post303('generalist', `/huishoudens/1/plan/acties/${mealId}/verwijzen`,
      good({ dienst: eettafel, bericht: '' }));
    const id = Number(loc.pathname.split('/').pop());
    const m = await model('organisatie', '/organisatie/verwijzingen');
    assert.deepEqual(m.open.map((x) => x.id), [id]);
    assert.equal(await status('wandelclub', `/organisatie/verwijzingen/${id}`), 404, 'not for the walking club');
    await post303('organisatie', `/organisatie/verwijzingen/${id}/status`, { status: 'gestart' });
    let plan = await model('generalist', '/huishoudens/1/plan');
    assert.equal(actionsOf(plan).find((x) => x.id === mealId).status, 'bezig');
    const v0 = plan.current_version;
    await post303('organisatie', `/organisatie/verwijzingen/${id}/status`, { status: 'beeindigd',
      reden: 'Sanne eet nu elke week mee en kookt zelf mee.' });
    plan = await model('generalist', '/huishoudens/1/plan');
    assert.equal(plan.current_version, v0 + 1);
    assert.equal(plan.versions[0].summary, 'Verwijzing naar Eettafel Binnenstad: beëindigd');
    const a = actionsOf(plan).find((x) => x.id === mealId);
    assert.equal(a.status, 'gedaan');
    assert.equal(a.referral_search, null, 'a done action needs no search');
    const inbox = await model('organisatie', '/organisatie/verwijzingen');
    assert.equal(inbox.done[0].status_label, 'Beëindigd');
    assert.equal(inbox.counts.find((x) => x.status === 'beeindigd').count, 1);
  });

  let ref4 = 0;
  await t.test('reminders: after N days without an update, once, in the inbox and on the plan; cleared by an update', async () => {
    const loc = await post303('generalist', form(), good({ contact: 'geen' }));
    ref4 = Number(loc.pathname.split('/').pop());
    const old = Math.floor(Date.now() / 1000) - 6 * 86400;
    sql(dir, `UPDATE referral SET status_at = ${old} WHERE id = ${ref4}`);
    // Every run through the CLI (`kantel jobs run` makes the job due; repeated runs each get their own due_at).
    const runJob = async () => {
      const before = Number(sql(dir, "SELECT count(*) FROM job_run WHERE name = 'referral.reminder' AND finished_at IS NOT NULL"));
      const r = cli(['jobs', 'run', 'referral.reminder']);
      assert.equal(r.status, 0, r.stderr);
      for (let i = 0; i < 200; i++) {
        const n = Number(sql(dir, "SELECT count(*) FROM job_run WHERE name = 'referral.reminder' AND finished_at IS NOT NULL"));
        if (n > before) return sql(dir, "SELECT detail FROM job_run WHERE name = 'referral.reminder' ORDER BY id DESC LIMIT 1");
        await sleep(50);
      }
      throw new Error('the job did not run within 10 s');
    };
    let detail = await runJob();
    assert.match(detail, /^1 referral marked for a reminder \(no update for 5 days\)/);
    const at = sql(dir, `SELECT reminded_at FROM referral WHERE id = ${ref4}`);
    assert.ok(Number(at) > old);
    detail = await runJob();
    assert.match(detail, /^0 referrals marked/, 'idempotent');
    assert.equal(sql(dir, `SELECT reminded_at FROM referral WHERE id = ${ref4}`), at);
    const inbox = await model('wandelclub', '/organisatie/verwijzingen');
    const item = inbox.open.find((x) => x.id === ref4);
    assert.match(item.reminder, /^Herinnering: geen update sinds \w+ \d+ \w+ \d{4}$/);
    assert.match(inbox.reminders_text, /1 verwijzing wacht al lang op een update/);
    const a = actionsOf(await model('generalist', '/huishoudens/1/plan')).find((x) => x.id === walkId);
    assert.match(a.referrals.find((x) => x.status === 'verstuurd').reminder, /^Herinnering: geen update sinds/);
    const html = await (await c.generalist.get(`/huishoudens/1/verwijzingen/${ref4}`)).text();
    assert.match(html, /Herinnering: geen update sinds/);
    await post303('wandelclub', `/organisatie/verwijzingen/${ref4}/status`, { status: 'contact' });
    assert.equal(sql(dir, `SELECT coalesce(reminded_at, 0) FROM referral WHERE id = ${ref4}`), '0', 'cleared');
    const after = await model('wandelclub', '/organisatie/verwijzingen');
    assert.equal(after.open.find((x) => x.id === ref4).reminder, null);
  });

  await t.test('hostile input: markup is escaped on the organisation\'s page', async () => {
    await post303('generalist', `/huishoudens/1/verwijzingen/${ref4}/intrekken`, {});
    const loc = await post303('generalist', form(), good({ contact: 'geen',
      bericht: '<script>alert(1)</script> & "quotes"' }));
    const id = Number(loc.pathname.split('/').pop());
    const html = await (await c.wandelclub.get(`/organisatie/verwijzingen/${id}`)).text();
    assert.ok(!html.includes('<script>alert(1)</script>'));
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;quotes&quot;/);
    const r = await c.generalist.post(`/huishoudens/1/verwijzingen/${id}/intrekken`, { reden: 'x' });
    assert.equal(r.status, 403, 'no CSRF token');
  });

  await t.test('the changes are in the audit trail', async () => {
    const want = { 'referral.create': 'generalist', 'referral.status': 'wandelclub' };
    for (const [action, actor] of Object.entries(want)) {
      let events = [];
      for (let i = 0; i < 50 && !events.some((e) => e.actor === actor); i++)
        events = (await model('beheerder', `/beheer/audit?actie=${action}`)).events.filter((e) => e.action === action);
      assert.ok(events.some((e) => e.actor === actor), `${action} by ${actor}`);
    }
    let events = [];
    for (let i = 0; i < 50 && !events.some((e) => e.actor === 'inwoner'); i++)
      events = (await model('beheerder', '/beheer/audit?actie=referral.status')).events;
    assert.ok(events.some((e) => e.actor === 'inwoner'), 'the resident\'s withdrawal');
    let reads = [];
    for (let i = 0; i < 50 && !reads.some((e) => e.actor === 'wandelclub'); i++)
      reads = (await model('beheerder', '/beheer/audit?actie=pd.read')).events;
    assert.ok(reads.some((e) => e.actor === 'wandelclub'), 'the organisation\'s reads are audited');
  });
}

if (srv) {
  const code = await srv.stop();
  await t.test('server stops cleanly', async () => assert.equal(code, 0));
}
fs.rmSync(dir, { recursive: true, force: true });
t.done();
