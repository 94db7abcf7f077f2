// tests/http/listing.mjs - listings of the sociale kaart that stay current
// (issue 6) over HTTP against a real `kantel serve` on a demo database
// (SQLite, or PostgreSQL with KANTEL_TEST_PG): the claim flow (the provider's
// waiting claim refused with a reason, field errors on a new claim, then
// approved by kaartbeheer); the walking club confirms and edits its own
// listing (field errors first; one hsds_metadata row per changed field,
// visible in the HSDS API); another organisation's service is 404; the job
// "socialmap.currency" flags an old listing (the organisation sees a
// banner), hides an older one (gone from the HSDS API, 404 on its id) and a
// confirmation makes it visible again; kaartbeheer confirms and edits the
// listings nobody claimed, searches and pages; role checks; the audit trail.
//
//   KANTEL_BIN=build/kantel node tests/http/listing.mjs

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

const t = suite('http: listings that stay current');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-listing-'));

const locOf = (res) => {
  const loc = res.headers.get('location');
  return loc === null ? null : new URL(loc, 'http://x/');
};

function tag(html, id) {
  const m = new RegExp(`<(?:input|textarea|select)\\b[^>]*id="${id}"[^>]*>`).exec(html);
  return m ? m[0] : null;
}

function cli(args) {
  return spawnSync(BIN, [...args, '--database', dbTarget(dir), '--key-file', path.join(dir, 'k.key')],
    { encoding: 'utf8', timeout: 60_000 });
}

/** The Amsterdam date `days` days before now, YYYY-MM-DD. */
function daysAgo(days) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' })
    .format(new Date(Date.now() - days * 86400_000));
}
const TODAY = daysAgo(0);
const q = (s) => s.replaceAll("'", "''");

let srv = null;
const c = {};
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
  assert.equal(r.status, 303, `POST ${p} as ${who}: ${r.status} ${r.body.slice(0, 500)}`);
  if (to) assert.equal(r.loc.pathname + r.loc.search, to);
  return r.loc;
}

async function api(p) {
  const res = await fetch(srv.url + p);
  return { status: res.status, body: await res.json() };
}

/** Makes the currency job due with `kantel jobs run` (which can be repeated: each manual run gets its
 * own due_at) and waits until a run that started after this call has finished. */
async function runJob() {
  const before = Number(sql(dir, "SELECT COALESCE(MAX(id), 0) FROM job_run WHERE name = 'socialmap.currency'"));
  const r = cli(['jobs', 'run', 'socialmap.currency']);
  assert.equal(r.status, 0, r.stderr);
  for (let i = 0; i < 200; i++) {
    const done = sql(dir, `SELECT result || ' ' || COALESCE(detail, '') FROM job_run WHERE name = 'socialmap.currency'
      AND id > ${before} AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1`);
    if (done) {
      assert.match(done, /^ok /, `the job ran: ${done}`);
      return done;
    }
    await sleep(100);
  }
  throw new Error('the job did not run within 20 s');
}

const metaCount = () => Number(sql(dir, 'SELECT count(*) FROM hsds_metadata'));

await t.test('setup: demo database, server (jobs every second), the accounts signed in', async () => {
  await runDemo(BIN, dir);
  srv = await startServer({ bin: BIN, dir, args: ['--jobs-interval', '1'] });
  for (const who of ['wandelclub', 'organisatie', 'aanbieder', 'beleid', 'inwoner', 'beheerder']) {
    c[who] = new Client(srv.url);
    await c[who].login(who, PASSWORD, SECRET);
    csrf[who] = (await c[who].form('/account')).csrf;
    assert.ok(csrf[who], `csrf token for ${who}`);
  }
});

let walk = null, evening = null, other = null, town = null, wandelOrg = null;
if (srv) {
  await t.test('the walking club sees its organisation and its two listings, all current', async () => {
    const m = await model('wandelclub', '/organisatie');
    assert.equal(m.approved, true);
    assert.equal(m.organization.name, 'Wandelvereniging Havenkwartier');
    wandelOrg = m.organization.id;
    assert.deepEqual(m.services.map((s) => s.name), ['Avondwandeling Havenkwartier', 'Wandelclub Havenkwartier']);
    for (const s of m.services) {
      assert.equal(s.state, 'current');
      assert.equal(s.state_text, 'Actueel');
      assert.equal(s.confirm_action, `/organisatie/diensten/${s.id}/bevestigen`);
    }
    assert.equal(m.attention, 0);
    assert.ok(!m.banner, 'no banner');
    evening = m.services[0].id;
    walk = m.services[1].id;
    const html = await (await c.wandelclub.get('/organisatie')).text();
    assert.match(html, /Nog actueel<span class="kantel-sr">: Wandelclub Havenkwartier<\/span>/);
    assert.match(html, new RegExp(`href="/organisatie/diensten/${walk}">Wijzigen`));
    other = sql(dir, "SELECT s.id FROM hsds_service s JOIN org_member m ON m.organization_id = s.organization_id"
      + " JOIN account a ON a.id = m.account_id WHERE a.username = 'organisatie' ORDER BY s.id LIMIT 1");
    town = sql(dir, 'SELECT s.id FROM hsds_service s WHERE NOT EXISTS (SELECT 1 FROM org_member m'
      + " WHERE m.organization_id = s.organization_id) AND s.name LIKE 'Taalcaf%' ORDER BY s.id LIMIT 1");
    assert.ok(other && town);
  });

  await t.test('only its own organisation: another organisation\'s service and an unknown id are 404', async () => {
    assert.equal(await status('wandelclub', `/organisatie/diensten/${other}`), 404);
    assert.equal(await status('wandelclub', `/organisatie/diensten/${town}`), 404);
    assert.equal(await status('wandelclub', '/organisatie/diensten/00000000-0000-4000-8000-000000000000'), 404);
    const before = metaCount();
    assert.equal((await post('wandelclub', `/organisatie/diensten/${other}/bevestigen`, {})).status, 404);
    assert.equal((await post('wandelclub', `/organisatie/diensten/${other}`, { naam: 'Overgenomen', status: 'active' }))
      .status, 404);
    assert.equal(metaCount(), before, 'nothing recorded');
    assert.notEqual(sql(dir, `SELECT name FROM hsds_service WHERE id = '${other}'`), 'Overgenomen');
    assert.equal(await status('wandelclub', `/organisatie/diensten/${walk}`), 200, 'its own is there');
  });

  await t.test('roles: residents and policy staff have no /organisatie; organisations no /kaartbeheer', async () => {
    assert.equal(await status('inwoner', '/organisatie'), 403);
    assert.equal(await status('beleid', '/organisatie'), 403);
    assert.equal(await status('beleid', `/organisatie/diensten/${walk}`), 403);
    assert.equal(await status('wandelclub', '/kaartbeheer'), 403);
    assert.equal(await status('inwoner', `/kaartbeheer/diensten/${town}`), 403);
    assert.equal((await post('wandelclub', `/kaartbeheer/diensten/${town}/bevestigen`, {})).status, 403);
    const anon = new Client(srv.url);
    const r = await anon.get(`/organisatie/diensten/${walk}`);
    assert.equal(r.status, 303, 'anonymous: to sign-in');
  });

  await t.test('the provider\'s claim waits; it cannot claim twice', async () => {
    const m = await model('aanbieder', '/organisatie');
    assert.equal(m.approved, false);
    assert.equal(m.claim.is_waiting, true);
    assert.equal(m.claim.organization, 'Stichting Dagbesteding Binnenstad');
    assert.equal(m.can_claim, false);
    const html = await (await c.aanbieder.get('/organisatie')).text();
    assert.match(html, /wacht op goedkeuring door de gemeente/);
    const r = await post('aanbieder', '/organisatie/aanvraag', { organisatie: wandelOrg, motivatie: 'Nog een' });
    assert.equal(r.status, 409);
    assert.equal(await status('aanbieder', `/organisatie/diensten/${walk}`), 404, 'no approved claim: nothing to edit');
  });

  let provider = 0;
  await t.test('kaartbeheer sees the claim; refusing needs a reason; refused with a reason', async () => {
    const m = await model('beleid', '/kaartbeheer');
    const claim = m.claims.find((x) => x.username === 'aanbieder');
    assert.ok(claim, 'the provider\'s claim is listed');
    provider = claim.account_id;
    assert.equal(claim.organization_name, 'Stichting Dagbesteding Binnenstad');
    assert.match(claim.motivation, /Zorggroep De Linde/);
    assert.equal(claim.refuse_action, `/kaartbeheer/aanvragen/${provider}/afwijzen`);
    let r = await post('beleid', claim.refuse_action, { reden: '   ' });
    assert.equal(r.status, 400);
    assert.match(r.body, /Schrijf de reden van de afwijzing/);
    assert.match(r.body, new RegExp(`href="#reden-${provider}"`));
    assert.match(tag(r.body, `reden-${provider}`), /aria-invalid="true"/);
    assert.equal(sql(dir, `SELECT status FROM org_member WHERE account_id = ${provider}`), 'aangevraagd');
    await post303('beleid', claim.refuse_action, { reden: 'Vraag de stichting zelf om een account <aan>.' },
      '/kaartbeheer?besluit=afgewezen');
    r = await post('beleid', claim.refuse_action, { reden: 'Nog eens' });
    assert.equal(r.status, 409, 'decided already');
    assert.equal((await post('beleid', '/kaartbeheer/aanvragen/999999/goedkeuren', {})).status, 404);
    const mine = await model('aanbieder', '/organisatie');
    assert.equal(mine.claim.is_refused, true);
    assert.equal(mine.claim.reason, 'Vraag de stichting zelf om een account <aan>.');
    assert.equal(mine.can_claim, true);
    const html = await (await c.aanbieder.get('/organisatie')).text();
    assert.match(html, /Reden: Vraag de stichting zelf om een account &lt;aan&gt;\./, 'shown, escaped');
  });

  await t.test('a new claim: search, field errors with a summary, then sent', async () => {
    let m = await model('aanbieder', '/organisatie?zoek=dagbesteding%20binnenstad');
    assert.equal(m.results.length, 1);
    const org = m.results[0];
    assert.equal(org.name, 'Stichting Dagbesteding Binnenstad');
    m = await model('aanbieder', '/organisatie?zoek=onbestaand');
    assert.equal(m.results.length, 0);
    let r = await post('aanbieder', '/organisatie/aanvraag', { zoek: 'dagbesteding binnenstad', motivatie: '' });
    assert.equal(r.status, 400);
    assert.match(r.body, /Uw aanvraag is niet verstuurd/);
    assert.match(r.body, new RegExp(`href="#org-${org.id}"`), 'summary links to the first organisation');
    assert.match(r.body, /href="#claim-motivatie"/);
    assert.match(r.body, /Kies de organisatie waarvoor u spreekt/);
    assert.match(r.body, /Schrijf waarom u namens deze organisatie spreekt/);
    assert.match(tag(r.body, 'claim-motivatie'), /aria-invalid="true"/);
    r = await post('aanbieder', '/organisatie/aanvraag', { zoek: 'x', organisatie: 'not a uuid!', motivatie: 'Ik' });
    assert.equal(r.status, 400);
    r = await post('aanbieder', '/organisatie/aanvraag', { zoek: 'dagbesteding binnenstad', organisatie: org.id,
      motivatie: 'x'.repeat(1001) });
    assert.equal(r.status, 400);
    assert.match(r.body, /hoogstens 1000 tekens/);
    assert.match(tag(r.body, `org-${org.id}`), / checked/, 'the choice is kept');
    assert.equal(sql(dir, `SELECT status FROM org_member WHERE account_id = ${provider}`), 'afgewezen');
    await post303('aanbieder', '/organisatie/aanvraag', { zoek: 'dagbesteding binnenstad', organisatie: org.id,
      motivatie: 'Ik ben coördinator van de inloop.' }, '/organisatie');
    m = await model('aanbieder', '/organisatie');
    assert.equal(m.claim.is_waiting, true);
    assert.equal(m.claim.reason, '', 'the old refusal is gone');
  });

  await t.test('kaartbeheer approves; the provider then maintains its listing', async () => {
    await post303('beleid', `/kaartbeheer/aanvragen/${provider}/goedkeuren`, {}, '/kaartbeheer?besluit=goedgekeurd');
    const html = await (await c.beleid.get('/kaartbeheer?besluit=goedgekeurd')).text();
    assert.match(html, /De aanvraag is goedgekeurd/);
    const m = await model('aanbieder', '/organisatie');
    assert.equal(m.approved, true);
    assert.equal(m.organization.name, 'Stichting Dagbesteding Binnenstad');
    assert.equal(m.services.length, 1);
    assert.equal(sql(dir, `SELECT decided_by FROM org_member WHERE account_id = ${provider}`),
      sql(dir, "SELECT id FROM account WHERE username = 'beleid'"));
    assert.equal((await model('beleid', '/kaartbeheer')).claims.length, 0, 'no claims wait');
  });

  await t.test('the walking club confirms a listing: assured today, one metadata row, in the HSDS API', async () => {
    sql(dir, `UPDATE hsds_service SET assured_date = '${daysAgo(30)}' WHERE id = '${walk}'`);
    const before = metaCount();
    await post303('wandelclub', `/organisatie/diensten/${walk}/bevestigen`, {}, `/organisatie?bevestigd=${walk}`);
    assert.equal(sql(dir, `SELECT assured_date FROM hsds_service WHERE id = '${walk}'`), TODAY);
    assert.match(sql(dir, `SELECT last_modified FROM hsds_service WHERE id = '${walk}'`), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(metaCount(), before + 1);
    assert.equal(sql(dir, `SELECT last_action_type || '|' || field_name || '|' || previous_value || '|' ||
      replacement_value || '|' || updated_by || '|' || last_action_date FROM hsds_metadata WHERE resource_id = '${walk}'`),
    `confirm|assured_date|${daysAgo(30)}|${TODAY}|wandelclub|${TODAY}`);
    const m = await model('wandelclub', `/organisatie?bevestigd=${walk}`);
    assert.match(m.done, /„Wandelclub Havenkwartier” is bevestigd als actueel/);
    const s = await api(`/api/hsds/services/${walk}`);
    assert.equal(s.status, 200);
    assert.equal(s.body.assured_date, TODAY);
    assert.ok(s.body.metadata.some((x) => x.last_action_type === 'confirm' && x.field_name === 'assured_date'),
      'the confirmation is in the full service');
  });

  await t.test('editing: field errors with a summary keep what was typed and change nothing', async () => {
    const before = metaCount();
    const f = await model('wandelclub', `/organisatie/diensten/${walk}`);
    assert.equal(f.can_edit, true);
    assert.equal(f.form.naam, 'Wandelclub Havenkwartier');
    assert.equal(f.form.open, '10:00');
    assert.deepEqual(f.form.days.filter((d) => d.checked).map((d) => d.field), ['dag_di']);
    const r = await post('wandelclub', `/organisatie/diensten/${walk}`, { naam: ' ', email: 'geen-adres',
      website: 'javascript:alert(1)', status: 'active', leeftijd_van: '200', telefoon: 'bel <mij>', open: '10:00',
      dicht: '', dag_di: '1' });
    assert.equal(r.status, 400);
    assert.match(r.body, /De wijzigingen zijn niet opgeslagen/);
    for (const id of ['dienst-naam', 'dienst-email', 'dienst-website', 'dienst-leeftijd-van', 'dienst-telefoon',
      'dienst-dicht'])
      assert.match(tag(r.body, id), /aria-invalid="true"/, `${id} marked`);
    assert.match(r.body, /href="#dienst-naam">Naam<\/a>: Vul de naam van het aanbod in\./);
    assert.match(r.body, /Vul een leeftijd in van 0 tot en met 120 jaar/);
    assert.match(tag(r.body, 'dienst-telefoon'), /value="bel &lt;mij&gt;"/);
    assert.match(tag(r.body, 'dienst-dag-di'), / checked/);
    assert.equal(metaCount(), before, 'nothing recorded');
    assert.equal(sql(dir, `SELECT name FROM hsds_service WHERE id = '${walk}'`), 'Wandelclub Havenkwartier');
    const hostile = await post('wandelclub', `/organisatie/diensten/${walk}`, { naam: 'X', organization_id: 'x' });
    assert.equal(hostile.status, 400, 'an undeclared field is refused by the gate');
  });

  await t.test('editing: one metadata row per changed field, saved as a confirmation, in the API', async () => {
    const before = metaCount();
    const phoneId = sql(dir, `SELECT id FROM hsds_phone WHERE service_id = '${walk}' ORDER BY id LIMIT 1`);
    const oldNumber = sql(dir, `SELECT number FROM hsds_phone WHERE id = '${phoneId}'`);
    await post303('wandelclub', `/organisatie/diensten/${walk}`, { naam: 'Wandelclub Havenkwartier & Zeeheldenbuurt',
      beschrijving: 'Samen wandelen in een rustig tempo.\r\nIedereen is welkom.', status: 'active',
      telefoon: '0570-123456', email: 'wandel@example.org', website: 'https://wandel.example.org', kosten: 'Gratis; koffie € 1',
      leeftijd_van: '', leeftijd_tot: '', open: '09:30', dicht: '11:30', dag_di: '1', dag_do: '1' },
    `/organisatie?opgeslagen=${walk}`);
    assert.equal(sql(dir, `SELECT name || '|' || email || '|' || url FROM hsds_service WHERE id = '${walk}'`),
      'Wandelclub Havenkwartier & Zeeheldenbuurt|wandel@example.org|https://wandel.example.org');
    assert.equal(sql(dir, `SELECT description FROM hsds_service WHERE id = '${walk}'`),
      'Samen wandelen in een rustig tempo.\nIedereen is welkom.');
    assert.equal(sql(dir, `SELECT number FROM hsds_phone WHERE id = '${phoneId}'`), '0570-123456');
    assert.equal(sql(dir, `SELECT byday || ' ' || opens_at || ' ' || closes_at FROM hsds_schedule WHERE service_id = '${walk}'`),
      'TU,TH 09:30 11:30');
    const rows = sql(dir, `SELECT resource_type || ':' || field_name FROM hsds_metadata WHERE last_action_date = '${TODAY}'
      AND updated_by = 'wandelclub' ORDER BY id`).split('\n').slice(1); // the first is the confirmation above
    assert.deepEqual(rows.sort(), ['phone:number', 'schedule:byday', 'schedule:description', 'schedule:opens_at',
      'service:assured_date', 'service:description', 'service:email', 'service:fees_description', 'service:name',
      'service:url'].sort());
    assert.equal(metaCount(), before + 10);
    const s = await api(`/api/hsds/services/${walk}`);
    assert.equal(s.body.name, 'Wandelclub Havenkwartier & Zeeheldenbuurt');
    assert.ok(s.body.metadata.some((x) => x.field_name === 'name' && x.previous_value === 'Wandelclub Havenkwartier'
      && x.replacement_value === 'Wandelclub Havenkwartier & Zeeheldenbuurt' && x.updated_by === 'wandelclub'));
    assert.ok(s.body.phones.some((p) => p.metadata && p.metadata.some((x) => x.field_name === 'number')),
      'the phone\'s row is nested in its phone');
    const m = await model('wandelclub', `/organisatie?opgeslagen=${walk}`);
    assert.match(m.done, /De wijzigingen in „Wandelclub Havenkwartier & Zeeheldenbuurt” zijn opgeslagen/);
    const page = await model('wandelclub', `/organisatie/diensten/${walk}`);
    assert.ok(page.history.length >= 11);
    const named = page.history.find((h) => h.field === 'Naam');
    assert.equal(named.who, 'wandelclub');
    assert.equal(named.text, 'Naam gewijzigd van „Wandelclub Havenkwartier” naar „Wandelclub Havenkwartier & Zeeheldenbuurt”');
    assert.equal(page.history.find((h) => h.field === 'Telefoonnummer').text,
      `Telefoonnummer gewijzigd van „${oldNumber}” naar „0570-123456”`);
    assert.match(page.history[0].when, /^\d+ \w+ \d{4}, \d\d:\d\d$/, 'with the time of the change');
    assert.equal(page.history[0].text, 'Bevestigd als actueel', 'newest first');
    const html = await (await c.wandelclub.get(`/organisatie/diensten/${walk}`)).text();
    assert.match(html, /Wandelclub Havenkwartier &amp; Zeeheldenbuurt/, 'escaped');
    assert.match(html, /<span class="kantel-question">Kosten gewijzigd van „Gratis” naar „Gratis; koffie € 1”<\/span>/);
  });

  await t.test('the job flags a listing not confirmed for 6 months: the organisation sees a banner', async () => {
    sql(dir, `UPDATE hsds_service SET assured_date = '${daysAgo(210)}' WHERE id = '${evening}'`);
    const detail = await runJob();
    assert.match(detail, /1 flagged/);
    const m = await model('wandelclub', '/organisatie');
    const s = m.services.find((x) => x.id === evening);
    assert.equal(s.state, 'flagged');
    assert.match(s.state_text, /^Bevestigen gevraagd sinds \d+ \w+ \d{4}$/);
    assert.equal(m.attention, 1);
    assert.match(m.banner, /Eén vermelding wacht op uw bevestiging/);
    const html = await (await c.wandelclub.get('/organisatie')).text();
    assert.match(html, /<strong>Bevestigen gevraagd\.<\/strong>/);
    assert.equal((await api(`/api/hsds/services/${evening}`)).status, 200, 'still public');
    const adm = await model('beleid', '/kaartbeheer');
    const row = adm.listings.find((x) => x.id === evening);
    assert.ok(row, 'kaartbeheer sees the flagged listing');
    assert.equal(row.owner_text, 'Organisatie');
    assert.equal(row.can_confirm, false, 'the organisation confirms it, not kaartbeheer');
    assert.equal((await post('beleid', `/kaartbeheer/diensten/${evening}/bevestigen`, {})).status, 409);
  });

  await t.test('after 12 months it is hidden: gone from the HSDS API, 404 on its id; confirming brings it back', async () => {
    const org = sql(dir, `SELECT organization_id FROM hsds_service WHERE id = '${evening}'`);
    const sal = sql(dir, `SELECT id FROM hsds_service_at_location WHERE service_id = '${evening}' LIMIT 1`);
    const total = (await api(`/api/hsds/services?organization_id=${org}`)).body.total_items;
    assert.equal(total, 2);
    sql(dir, `UPDATE hsds_service SET assured_date = '${daysAgo(400)}' WHERE id = '${evening}'`);
    const detail = await runJob();
    assert.match(detail, /1 hidden/);
    assert.equal(sql(dir, `SELECT field_name || '|' || previous_value || '|' || replacement_value || '|' || updated_by
      FROM hsds_metadata WHERE resource_id = '${evening}' ORDER BY id DESC LIMIT 1`), 'kantel:hidden|false|true|Kantel');
    let list = await api(`/api/hsds/services?organization_id=${org}`);
    assert.equal(list.body.total_items, 1, 'left out of the list');
    assert.ok(!list.body.contents.some((x) => x.id === evening));
    const one = await api(`/api/hsds/services/${evening}`);
    assert.equal(one.status, 404);
    assert.equal(one.body.status, 404);
    assert.equal((await api(`/api/hsds/service_at_locations/${sal}`)).status, 404);
    const sals = await api(`/api/hsds/service_at_locations?organization_id=${org}`);
    assert.ok(!sals.body.contents.some((x) => x.id === sal), 'nor among the service_at_locations');
    const o = await api(`/api/hsds/organizations/${org}`);
    assert.ok(!(o.body.services || []).some((x) => x.id === evening), 'nor among the organisation\'s services');
    const m = await model('wandelclub', '/organisatie');
    assert.equal(m.services.find((x) => x.id === evening).state, 'hidden');
    assert.match(m.hidden_text, /Eén daarvan is verborgen/);
    const adm = await model('beleid', '/kaartbeheer?staat=verborgen');
    assert.deepEqual(adm.listings.map((x) => x.id), [evening]);
    await post303('wandelclub', `/organisatie/diensten/${evening}/bevestigen`, {}, `/organisatie?bevestigd=${evening}`);
    assert.equal((await api(`/api/hsds/services/${evening}`)).status, 200, 'visible again at once');
    list = await api(`/api/hsds/services?organization_id=${org}`);
    assert.equal(list.body.total_items, 2);
    assert.equal((await model('wandelclub', '/organisatie')).attention, 0, 'no banner');
    assert.equal(sql(dir, `SELECT count(*) FROM listing WHERE service_id = '${evening}' AND (flagged_at IS NOT NULL
      OR hidden_at IS NOT NULL)`), '0');
  });

  await t.test('kaartbeheer confirms and edits a listing nobody claimed; searches and pages', async () => {
    sql(dir, `UPDATE hsds_service SET assured_date = '${daysAgo(220)}' WHERE id = '${town}'`);
    await runJob();
    let m = await model('beleid', '/kaartbeheer?staat=gevraagd');
    const row = m.listings.find((x) => x.id === town);
    assert.ok(row);
    assert.equal(row.owner_text, 'Gemeente');
    assert.equal(row.can_confirm, true);
    await post303('beleid', row.confirm_action, {}, `/kaartbeheer?bevestigd=${town}`);
    assert.equal(sql(dir, `SELECT assured_date FROM hsds_service WHERE id = '${town}'`), TODAY);
    m = await model('beleid', `/kaartbeheer?bevestigd=${town}`);
    assert.match(m.done, /is bevestigd als actueel/);
    const page = await model('beleid', `/kaartbeheer/diensten/${town}`);
    assert.equal(page.can_edit, true);
    assert.equal(page.form.weekly, true);
    const name = sql(dir, `SELECT name FROM hsds_service WHERE id = '${town}'`);
    await post303('beleid', `/kaartbeheer/diensten/${town}`, { naam: name, status: 'temporarily closed',
      open: page.form.open, dicht: page.form.dicht, dag_vr: '1' }, `/kaartbeheer?opgeslagen=${town}`);
    assert.equal(sql(dir, `SELECT status || '|' || updated_by FROM hsds_service s JOIN hsds_metadata m
      ON m.resource_id = s.id AND m.field_name = 'status' WHERE s.id = '${town}'`), 'temporarily closed|beleid');
    const orgPage = await model('beleid', `/kaartbeheer/diensten/${walk}`);
    assert.equal(orgPage.can_edit, false, 'the organisation\'s own listing is read-only for kaartbeheer');
    assert.ok(orgPage.history.length > 0, 'with its change log');
    assert.equal((await post('beleid', `/kaartbeheer/diensten/${walk}`, { naam: 'X', status: 'active' })).status, 409);
    m = await model('beleid', '/kaartbeheer?staat=alle');
    assert.equal(m.total, 320);
    assert.equal(m.listings.length, 50);
    assert.equal(m.page_text, 'Pagina 1 van 7');
    assert.equal(m.next_href, '/kaartbeheer?staat=alle&pagina=2#vermeldingen');
    m = await model('beleid', '/kaartbeheer?staat=alle&pagina=7');
    assert.equal(m.listings.length, 20);
    assert.ok(m.prev_href && !m.next_href);
    m = await model('beleid', '/kaartbeheer?staat=alle&zoek=wandelvereniging%20havenkwartier');
    assert.deepEqual(m.listings.map((x) => x.id).sort(), [walk, evening].sort());
    const html = await (await c.beleid.get('/kaartbeheer?staat=alle&zoek=a%26b%20%3Cx%3E')).text();
    assert.match(html, /value="a&amp;b &lt;x&gt;"/, 'the search is escaped');
  });

  await t.test('the change log survives an HSDS export and import (valid HSDS: no empty values)', async () => {
    const exp = path.join(dir, 'export');
    let r = cli(['export', 'hsds', exp]);
    assert.equal(r.status, 0, r.stderr);
    const csv = fs.readFileSync(path.join(exp, 'metadata.csv'), 'utf8');
    assert.match(csv, /,phone,\d{4}-\d\d-\d\d,update,number,/);
    assert.match(csv, /,service,\d{4}-\d\d-\d\d,update,email,\(geen\),wandel@example\.org,wandelclub/);
    const other = path.join(dir, 'other');
    fs.mkdirSync(other);
    const flags = ['--database', dbTarget(other), '--key-file', path.join(other, 'k.key')];
    r = spawnSync(BIN, ['init', ...flags], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    r = spawnSync(BIN, ['import', 'hsds', exp, ...flags], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.equal(sql(other, 'SELECT count(*) FROM hsds_metadata'), sql(dir, 'SELECT count(*) FROM hsds_metadata'));
  });

  await t.test('the changes are in the audit trail', async () => {
    const want = { 'listing.confirm': 'wandelclub', 'listing.update': 'wandelclub', 'listing.claim': 'aanbieder',
      'listing.claim.approve': 'beleid', 'listing.claim.refuse': 'beleid' };
    for (const [action, actor] of Object.entries(want)) {
      let events = [];
      for (let i = 0; i < 50 && !events.some((e) => e.actor === actor); i++)
        events = (await model('beheerder', `/beheer/audit?actie=${action}`)).events.filter((e) => e.action === action);
      assert.ok(events.some((e) => e.actor === actor), `${action} by ${actor}`);
    }
    const ids = (await model('beheerder', '/beheer/audit?actie=listing.confirm')).events
      .filter((e) => e.actor === 'wandelclub').map((e) => e.object_id);
    assert.ok(ids.includes(walk) && ids.includes(evening), `with the service ids: ${ids}`);
  });
}

if (srv) {
  const code = await srv.stop();
  await t.test('server stops cleanly', async () => assert.equal(code, 0));
}
fs.rmSync(dir, { recursive: true, force: true });
t.done();
