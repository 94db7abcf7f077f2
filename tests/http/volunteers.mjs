// tests/http/volunteers.mjs - volunteers and informal mentors over HTTP
// against a real `kantel serve` on a demo database (SQLite, or PostgreSQL
// with KANTEL_TEST_PG): `kantel import postcodes` (all or nothing, line
// numbers); the community organisation's registry (register with field
// errors, edit, deactivate, search); a volunteer request on a level-4 plan
// action with explained, ranked candidates (no VOG for a minor, inactive,
// too far); proposals answered by the organisation (a no keeps the reason)
// and by the resident in the portal; when both said yes the volunteer is a
// network member (role vrijwilliger) and the action's carrier in ONE new plan
// version; the generalist answering on the resident's behalf; need-to-know
// (other generalists, the organisation, IDOR); the JIM rule (under 23).
//
//   KANTEL_BIN=build/kantel node tests/http/volunteers.mjs

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { suite } from '../lib/harness.mjs';
import { Client, dbTarget, runDemo, sql, startServer } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const PASSWORD = 'Kantel-demo-2026!';
const SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';
const JSON_ACCEPT = { headers: { Accept: 'application/json' } };

const t = suite('http: volunteers and informal mentors');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-volunteers-'));

const locOf = (res) => {
  const loc = res.headers.get('location');
  return loc === null ? null : new URL(loc, 'http://x/');
};

function inputTag(html, id) {
  const m = new RegExp(`<input\\b[^>]*id="${id}"[^>]*>`).exec(html);
  return m ? m[0] : null;
}

function cli(args) {
  return spawnSync(BIN, [...args, '--database', dbTarget(dir), '--key-file', path.join(dir, 'k.key')],
    { encoding: 'utf8', timeout: 60_000 });
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
  assert.equal(r.status, 303, `POST ${p} as ${who}: ${r.status} ${r.body.slice(0, 500)}`);
  if (to) assert.equal(r.loc.pathname, to);
  return r.loc;
}

const actionsOf = (m) => m.levels.flatMap((l) => l.actions);

await t.test('setup: demo database, server, the accounts signed in', async () => {
  await runDemo(BIN, dir);
  srv = await startServer({ bin: BIN, dir });
  for (const who of ['generalist', 'generalist2', 'organisatie', 'inwoner', 'beheerder']) {
    c[who] = new Client(srv.url);
    await c[who].login(who, PASSWORD, SECRET);
    csrf[who] = (await c[who].form('/account')).csrf;
    assert.ok(csrf[who], `csrf token for ${who}`);
  }
});

if (srv) {
  await t.test('kantel import postcodes: every bad line with its number and field, nothing imported', async () => {
    const before = sql(dir, 'SELECT count(*) FROM postcode_geo');
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'postcode,lat,lon\n7411AB,52.25,6.16\n1234 SA,52.2,6.1\n7411CD,abc,6.1\n7411ab,52.2,6.0\n'
      + '7411EF,52.2\n7411GH,52.2,200\n');
    const r = cli(['import', 'postcodes', bad]);
    assert.equal(r.status, 1, `exit 1: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /bad\.csv:3: postcode: /);
    assert.match(r.stderr, /bad\.csv:4: lat: 'abc'/);
    assert.match(r.stderr, /bad\.csv:5: postcode: 7411AB occurs twice \(first on line 2\)/);
    assert.match(r.stderr, /bad\.csv:6: line: want 3 fields/);
    assert.match(r.stderr, /bad\.csv:7: lon: '200'/);
    assert.match(r.stderr, /5 bad lines in .*nothing was imported/);
    assert.equal(sql(dir, 'SELECT count(*) FROM postcode_geo'), before, 'nothing imported');
    const noHeader = path.join(dir, 'nohead.csv');
    fs.writeFileSync(noHeader, '7411AB,52.25,6.16\n');
    const r2 = cli(['import', 'postcodes', noHeader]);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /nohead\.csv:1: header: want the header line postcode,lat,lon/);
  });

  await t.test('kantel import postcodes: a good file (BOM, CRLF, spaces, lower case) is imported and replaces', async () => {
    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, '\ufeffpostcode,lat,lon\r\n7411 ab , 52.2500001 ,6.16\r\n\r\n8011AB,52.5123,6.0945\r\n');
    const r = cli(['import', 'postcodes', good]);
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /imported 2 postcodes/);
    assert.equal(sql(dir, "SELECT lat_e7, lon_e7, source FROM postcode_geo WHERE postcode = '7411AB'"),
      '522500001|61600000|good.csv');
    assert.equal(sql(dir, "SELECT lat_e7, lon_e7 FROM postcode_geo WHERE postcode = '8011AB'"), '525123000|60945000',
      'the demo coordinate was replaced');
  });

  await t.test('the demo: 25 volunteers with Arabic, Turkish and Polish, some with a VOG; every demo postcode has a coordinate', async () => {
    const m = await model('organisatie', '/vrijwilligers');
    assert.equal(m.count, 25);
    const langs = m.volunteers.map((v) => v.languages).join(', ');
    for (const l of ['Arabisch', 'Turks', 'Pools']) assert.ok(langs.includes(l), `someone speaks ${l}`);
    assert.ok(m.volunteers.some((v) => v.vog === 'Ja') && m.volunteers.some((v) => v.vog === 'Nee'), 'VOG varies');
    assert.equal(sql(dir, "SELECT count(*) FROM volunteer v WHERE v.postcode <> '' AND NOT EXISTS"
      + ' (SELECT 1 FROM postcode_geo g WHERE g.gemeente = v.gemeente AND g.postcode = v.postcode)'), '0');
    assert.equal(sql(dir, 'SELECT count(*) FROM household h JOIN address a ON a.id = h.address_id WHERE NOT EXISTS'
      + ' (SELECT 1 FROM postcode_geo g WHERE g.gemeente = h.gemeente AND g.postcode = a.postcode)'), '0');
    assert.equal(sql(dir, "SELECT count(*) FROM volunteer_request WHERE status = 'zoeken'"), '1', 'one open demo request');
    const home = await (await c.organisatie.get('/')).text();
    assert.match(home, /href="\/vrijwilligers"[^>]*>Vrijwilligers</, 'nav link for the community organisation');
    const gen = await (await c.generalist.get('/')).text();
    assert.ok(!/href="\/vrijwilligers"/.test(gen), 'no registry link for a generalist');
  });

  await t.test('search is accent-insensitive and finds languages and skills', async () => {
    let m = await model('organisatie', '/vrijwilligers?zoek=yildiz');
    assert.deepEqual(m.volunteers.map((v) => v.name), ['Emre Yıldız']);
    m = await model('organisatie', '/vrijwilligers?zoek=Pools');
    assert.ok(m.volunteers.length >= 3 && m.volunteers.every((v) => v.languages.includes('Pools')));
    m = await model('organisatie', '/vrijwilligers?zoek=huiswerk%20arabisch');
    assert.ok(m.volunteers.some((v) => v.name === 'Mohamed Bouzid'));
  });

  let newId = 0;
  await t.test('registering: field errors with a summary, what was typed is kept, nothing stored', async () => {
    const before = sql(dir, 'SELECT count(*) FROM volunteer');
    const r = await post('organisatie', '/vrijwilligers', { naam: '', postcode: '1234 SA', telefoon: 'bel <mij>',
      max_km: 'ver', vog: 'afgegeven', taal_tr: '1', tijd_wo_a: '1', email: 'geen-mail' });
    assert.equal(r.status, 400);
    assert.match(r.body, /De vrijwilliger is niet geregistreerd/);
    for (const id of ['vw-naam', 'vw-postcode', 'vw-telefoon', 'vw-max-km', 'vw-vog-datum', 'vw-toestemming', 'vw-email'])
      assert.match(inputTag(r.body, id), /aria-invalid="true"/, `${id} marked`);
    assert.match(r.body, /href="#vw-toestemming"/);
    assert.match(r.body, /Vraag de vrijwilliger eerst om toestemming/);
    assert.match(r.body, /Vul de datum van afgifte van de VOG in/);
    assert.match(inputTag(r.body, 'vw-telefoon'), /value="bel &lt;mij&gt;"/);
    assert.match(inputTag(r.body, 'vw-taal-tr'), / checked/);
    assert.match(inputTag(r.body, 'vw-tijd-wo-a'), / checked/);
    assert.match(inputTag(r.body, 'vw-vog-afgegeven'), / checked/);
    assert.equal(sql(dir, 'SELECT count(*) FROM volunteer'), before);
    const hostile = await post('organisatie', '/vrijwilligers', { naam: 'X', vog: 'geen', taal_xx: '1' });
    assert.equal(hostile.status, 400, 'an undeclared field is refused by the gate');
  });

  await t.test('registering a volunteer; editing; deactivating and activating again', async () => {
    const loc = await post303('organisatie', '/vrijwilligers', { naam: 'Wendy Testers', telefoon: '06 99887766',
      email: 'wendy@example.nl', postcode: '8011 ab', taal_nl: '1', taal_pl: '1', vaardigheid_huiswerk: '1',
      vaardigheid_maatje: '1', tijd_di_m: '1', tijd_do_m: '1', leeftijd_tiener: '1', max_km: '3', vog: 'afgegeven',
      vog_datum: '2025-01-15', toestemming: '1', wijken: 'Centrum' });
    newId = Number(loc.pathname.split('/').pop());
    assert.ok(newId > 0);
    let m = await model('organisatie', `/vrijwilligers/${newId}`);
    assert.equal(m.volunteer.name, 'Wendy Testers');
    assert.equal(m.form.postcode, '8011 AB');
    assert.equal(m.form.max_km, '3');
    assert.deepEqual(m.form.languages.filter((l) => l.checked).map((l) => l.code), ['nl', 'pl']);
    assert.equal(sql(dir, `SELECT slots, skills, age_groups, vog_status, vog_date, active FROM volunteer WHERE id = ${newId}`),
      'di-m,do-m|huiswerk,maatje|tiener|afgegeven|2025-01-15|1');
    await post303('organisatie', `/vrijwilligers/${newId}`, { naam: 'Wendy Testers', postcode: '8011AB', taal_nl: '1',
      taal_pl: '1', taal_ar: '1', vaardigheid_huiswerk: '1', vaardigheid_maatje: '1', tijd_di_m: '1', tijd_do_m: '1',
      leeftijd_tiener: '1', max_km: '3', vog: 'afgegeven', vog_datum: '2025-01-15', toestemming: '1' },
    `/vrijwilligers/${newId}`);
    m = await model('organisatie', `/vrijwilligers/${newId}`);
    assert.ok(m.form.languages.find((l) => l.code === 'ar').checked, 'Arabic added');
    await post303('organisatie', `/vrijwilligers/${newId}/actief`, {}, `/vrijwilligers/${newId}`);
    assert.equal((await model('organisatie', `/vrijwilligers/${newId}`)).volunteer.active, false);
    assert.ok(!(await model('organisatie', '/vrijwilligers')).volunteers.some((v) => v.id === newId), 'hidden by default');
    assert.ok((await model('organisatie', '/vrijwilligers?inactief=1')).volunteers.some((v) => v.id === newId));
    assert.equal((await post('organisatie', '/vrijwilligers/999999/actief', {})).status, 404);
    assert.equal(await status('organisatie', '/vrijwilligers/999999'), 404);
  });

  let actionId = 0, requestId = 0, lars = 0;
  await t.test('a level-4 action gets a "Vrijwilliger zoeken" link; other levels do not', async () => {
    await post303('generalist', '/huishoudens/1/plan/acties', { omschrijving: 'Huiswerkbegeleiding voor Lars', trede: '4' },
      '/huishoudens/1/plan');
    const m = await model('generalist', '/huishoudens/1/plan');
    const a = actionsOf(m).find((x) => x.text === 'Huiswerkbegeleiding voor Lars');
    actionId = a.id;
    assert.equal(a.volunteer.label, 'Vrijwilliger zoeken');
    assert.equal(a.volunteer.href, `/huishoudens/1/plan/acties/${actionId}/vrijwilliger`);
    const demoAction = actionsOf(m).find((x) => x.level === 4 && x.id !== actionId);
    assert.equal(demoAction.volunteer.label, 'Vrijwilliger wordt gezocht', 'the demo request shows');
    for (const x of actionsOf(m).filter((y) => y.level !== 4)) assert.ok(!x.volunteer, `no link on level ${x.level}`);
    const level3 = actionsOf(m).find((x) => x.level === 3);
    assert.equal(await status('generalist', `/huishoudens/1/plan/acties/${level3.id}/vrijwilliger`), 404);
    const html = await (await c.generalist.get('/huishoudens/1/plan')).text();
    assert.match(html, new RegExp(`href="/huishoudens/1/plan/acties/${actionId}/vrijwilliger">Vrijwilliger zoeken`));
  });

  await t.test('the request form: errors are shown per field and keep what was typed', async () => {
    const f = await model('generalist', `/huishoudens/1/plan/acties/${actionId}/vrijwilliger`);
    lars = f.form.members.find((x) => x.name.startsWith('Lars')).id;
    assert.match(f.form.members.find((x) => x.id === lars).label, /\(\d+ jaar\)/);
    const r = await post('generalist', `/huishoudens/1/plan/acties/${actionId}/vrijwilliger`, { wat: '  ',
      postcode: '99', tijd_ma_o: '1', taal: 'ar' });
    assert.equal(r.status, 400);
    assert.match(r.body, /De vraag is niet opgeslagen/);
    assert.match(r.body, /href="#vv-persoon"/);
    assert.match(r.body, /href="#vv-wat"/);
    assert.match(inputTag(r.body, 'vv-postcode'), /aria-invalid="true"/);
    assert.match(inputTag(r.body, 'vv-tijd-ma-o'), / checked/);
    assert.match(r.body, /<option value="ar" selected>/);
    assert.equal(sql(dir, `SELECT count(*) FROM volunteer_request WHERE action_id = ${actionId}`), '0');
  });

  await t.test('asking for a volunteer for Lars (a minor): ranked, explained candidates; no VOG is excluded', async () => {
    const loc = await post303('generalist', `/huishoudens/1/plan/acties/${actionId}/vrijwilliger`, {
      wat: 'Twee middagen per week huiswerkbegeleiding voor Lars', wanneer: 'Dinsdag en donderdag na school',
      tijd_di_m: '1', tijd_do_m: '1', vaardigheid_huiswerk: '1', taal: 'ar', persoon: String(lars) });
    requestId = Number(loc.pathname.split('/').pop());
    assert.equal(loc.pathname, `/huishoudens/1/vrijwilligersvragen/${requestId}`);
    const m = await model('generalist', loc.pathname);
    assert.equal(m.request.status, 'zoeken');
    assert.equal(m.request.minor, true);
    assert.equal(m.request.postcode, '8011 AB', 'the household\'s postcode');
    const cands = m.candidates;
    assert.equal(cands.length, 26, 'every volunteer is listed, active or not');
    const firstExcluded = cands.findIndex((x) => x.excluded);
    assert.ok(firstExcluded > 0 && cands.slice(firstExcluded).every((x) => x.excluded), 'excluded ones last');
    const eligible = cands.slice(0, firstExcluded);
    for (let i = 1; i < eligible.length; i++) assert.ok(eligible[i - 1].score >= eligible[i].score, 'by score');
    assert.equal(m.eligible, eligible.length);
    for (const x of cands) {
      assert.deepEqual(x.parts.map((p) => p.code), ['afstand', 'vaardigheden', 'beschikbaarheid', 'taal', 'leeftijd']);
      assert.equal(x.score, x.parts.reduce((s, p) => s + p.points, 0));
      for (const p of x.parts) assert.ok(p.text.length > 5, 'each part is explained');
    }
    for (const x of eligible) assert.equal(x.vog, true, `${x.name} has a VOG`);
    const noVog = cands.find((x) => x.name === 'Agnieszka Nowak');
    assert.ok(noVog.excluded && /Geen VOG/.test(noVog.reason), noVog.reason);
    const wendy = cands.find((x) => x.name === 'Wendy Testers');
    assert.ok(wendy.excluded && /Niet actief/.test(wendy.reason), 'inactive is excluded');
    const top = eligible[0];
    assert.equal(top.name, 'Mohamed Bouzid');
    assert.match(top.parts[3].text, /Spreekt Arabisch/);
    assert.match(top.parts[0].text, /Woont \d+,\d km van de plek van de vraag/);
    const html = await (await c.generalist.get(loc.pathname)).text();
    assert.match(html, /Mohamed Bouzid: \d+ punten/);
    assert.match(html, /Geen VOG: voor een match met iemand onder de 18/);
  });

  await t.test('too far: a maximum travel distance excludes, an unknown postcode gives no distance points', async () => {
    sql(dir, "UPDATE volunteer SET max_km = 1, postcode = '8031LN' WHERE name = 'Marja Hoekstra'");
    sql(dir, "UPDATE volunteer SET postcode = '' WHERE name = 'Zeynep Demir'");
    const m = await model('generalist', `/huishoudens/1/vrijwilligersvragen/${requestId}`);
    const marja = m.candidates.find((x) => x.name === 'Marja Hoekstra');
    if (marja.distance_m > 1000) assert.ok(marja.excluded && /Te ver/.test(marja.reason), marja.reason);
    else assert.ok(!marja.excluded);
    const zeynep = m.candidates.find((x) => x.name === 'Zeynep Demir');
    assert.equal(zeynep.distance_m, null);
    assert.equal(zeynep.parts[0].points, 0);
    assert.match(zeynep.parts[0].text, /Afstand onbekend/);
  });

  await t.test('need-to-know: another team\'s generalist, the organisation, the resident; IDOR by household', async () => {
    const p = `/huishoudens/1/vrijwilligersvragen/${requestId}`;
    assert.equal(await status('generalist2', p), 403, 'not the coordinator or team');
    assert.equal(await status('organisatie', p), 403);
    assert.equal(await status('inwoner', p), 403);
    assert.equal(await status('organisatie', '/huishoudens/1/plan'), 403, 'the organisation never sees plans');
    assert.equal(await status('generalist', `/huishoudens/2/vrijwilligersvragen/${requestId}`), 404, 'IDOR');
    assert.equal((await post('generalist', `/huishoudens/2/vrijwilligersvragen/${requestId}/voorstel`,
      { vrijwilliger: '1' })).status, 404);
    assert.equal(await status('inwoner', '/vrijwilligers'), 403);
    assert.equal(await status('generalist', '/vrijwilligers'), 403);
  });

  let mohamed = 0, proposal1 = 0;
  await t.test('proposing: an excluded volunteer is refused with the reason; the top candidate is proposed', async () => {
    const m = await model('generalist', `/huishoudens/1/vrijwilligersvragen/${requestId}`);
    const noVog = m.candidates.find((x) => x.name === 'Agnieszka Nowak');
    const r = await post('generalist', `/huishoudens/1/vrijwilligersvragen/${requestId}/voorstel`,
      { vrijwilliger: String(noVog.volunteer_id) });
    assert.equal(r.status, 400);
    assert.match(r.body, /Geen VOG/);
    mohamed = m.candidates[0].volunteer_id;
    await post303('generalist', `/huishoudens/1/vrijwilligersvragen/${requestId}/voorstel`, { vrijwilliger: String(mohamed) },
      `/huishoudens/1/vrijwilligersvragen/${requestId}`);
    const after = await model('generalist', `/huishoudens/1/vrijwilligersvragen/${requestId}`);
    assert.equal(after.request.status, 'voorgesteld');
    assert.equal(after.searching, false);
    assert.deepEqual(after.candidates, []);
    assert.equal(after.proposals.length, 1);
    proposal1 = after.proposals[0].id;
    const again = await post('generalist', `/huishoudens/1/vrijwilligersvragen/${requestId}/voorstel`,
      { vrijwilliger: String(mohamed) });
    assert.equal(again.status, 409, 'one proposal at a time');
    const plan = await model('generalist', '/huishoudens/1/plan');
    assert.equal(actionsOf(plan).find((x) => x.id === actionId).volunteer.label, 'Vrijwilliger voorgesteld');
  });

  await t.test('the organisation sees what the volunteer must know, never names of residents, plans or BSNs', async () => {
    const m = await model('organisatie', '/vrijwilligers/antwoorden');
    const p = m.waiting.find((x) => x.id === proposal1);
    assert.ok(p, 'the proposal waits for the volunteer\'s answer');
    assert.equal(p.volunteer, 'Mohamed Bouzid');
    assert.equal(p.what, 'Twee middagen per week huiswerkbegeleiding voor Lars');
    assert.equal(p.area, '8011');
    assert.equal(p.age_group, 'Tieners (12 tot 18 jaar)');
    assert.match(p.slots_text, /dinsdagmiddag, donderdagmiddag/);
    const json = JSON.stringify(m);
    assert.ok(!/De Vries|household|huishoud|bsn|8011 ?AB/i.test(json), 'no household, name, BSN or exact address');
  });

  await t.test('the volunteer says no: the reason is kept and the request is searching again', async () => {
    let r = await post('organisatie', `/vrijwilligers/antwoorden/${proposal1}`, { reden: 'x' });
    assert.equal(r.status, 400, 'an answer is required');
    assert.match(r.body, /Kies ja of nee/);
    assert.equal((await post('organisatie', '/vrijwilligers/antwoorden/999999', { antwoord: 'ja' })).status, 404);
    await post303('organisatie', `/vrijwilligers/antwoorden/${proposal1}`,
      { antwoord: 'nee', reden: 'Heeft op dinsdag geen tijd meer' }, '/vrijwilligers/antwoorden');
    r = await post('organisatie', `/vrijwilligers/antwoorden/${proposal1}`, { antwoord: 'ja' });
    assert.equal(r.status, 409, 'answered once');
    const m = await model('generalist', `/huishoudens/1/vrijwilligersvragen/${requestId}`);
    assert.equal(m.request.status, 'zoeken');
    assert.equal(m.proposals[0].outcome, 'afgewezen');
    assert.equal(m.proposals[0].volunteer_reason, 'Heeft op dinsdag geen tijd meer');
    const again = m.candidates.find((x) => x.volunteer_id === mohamed);
    assert.equal(again.declined_before, true, 'marked as declined before');
    assert.deepEqual((await model('inwoner', '/mijn/vrijwilliger')).proposals, [], 'nothing left for the resident');
  });

  let proposal2 = 0, chosen = null;
  await t.test('both accept (organisation first, then the resident in the portal): member and carrier in ONE version', async () => {
    let m = await model('generalist', `/huishoudens/1/vrijwilligersvragen/${requestId}`);
    chosen = m.candidates.find((x) => !x.excluded && x.volunteer_id !== mohamed);
    await post303('generalist', `/huishoudens/1/vrijwilligersvragen/${requestId}/voorstel`,
      { vrijwilliger: String(chosen.volunteer_id) });
    m = await model('generalist', `/huishoudens/1/vrijwilligersvragen/${requestId}`);
    proposal2 = m.proposals[0].id;
    await post303('organisatie', `/vrijwilligers/antwoorden/${proposal2}`, { antwoord: 'ja' }, '/vrijwilligers/antwoorden');
    const mine = await model('inwoner', '/mijn/vrijwilliger');
    assert.equal(mine.proposals.length, 1);
    assert.equal(mine.proposals[0].volunteer, chosen.name);
    assert.equal(mine.proposals[0].volunteer_agreed, true);
    let r = await post('inwoner', `/mijn/vrijwilliger/${proposal2}`, {});
    assert.equal(r.status, 400);
    assert.match(r.body, /Kies ja of nee/);
    assert.equal((await post('inwoner', '/mijn/vrijwilliger/999999', { antwoord: 'ja' })).status, 404);
    const before = await model('generalist', '/huishoudens/1/plan');
    await post303('inwoner', `/mijn/vrijwilliger/${proposal2}`, { antwoord: 'ja' }, '/mijn/vrijwilliger');
    const after = await model('generalist', '/huishoudens/1/plan');
    assert.equal(after.current_version, before.current_version + 1, 'exactly one new version');
    const a = actionsOf(after).find((x) => x.id === actionId);
    assert.equal(a.carrier_name, chosen.name);
    assert.equal(a.carrier, 'community_service');
    assert.equal(a.level, 4);
    assert.equal(a.volunteer.label, 'Vrijwilliger gekoppeld');
    assert.equal(after.versions[0].summary, `Vrijwilliger ${chosen.name} voert de actie uit: Huiswerkbegeleiding voor Lars`);
    assert.equal(after.versions[0].by, 'Sanne de Vries', 'the resident\'s answer made the change');
    const net = await model('generalist', '/huishoudens/1/netwerk');
    const member = net.members.find((x) => x.name === chosen.name);
    assert.ok(member, 'the volunteer is a network member');
    assert.deepEqual(member.roles.map((x) => x.code), ['vrijwilliger']);
    assert.equal(member.from_registry, true);
    assert.equal(member.share_plan, false, 'nothing shared until the resident decides');
    assert.ok(after.carrier_names.some((x) => x.name === chosen.name), 'offered as a carrier name');
    m = await model('generalist', `/huishoudens/1/vrijwilligersvragen/${requestId}`);
    assert.equal(m.request.status, 'gekoppeld');
    assert.equal(m.proposals[0].outcome, 'gekoppeld');
    assert.equal(sql(dir, `SELECT plan_version FROM volunteer_proposal WHERE id = ${proposal2}`), String(after.current_version));
    r = await post('inwoner', `/mijn/vrijwilliger/${proposal2}`, { antwoord: 'nee' });
    assert.equal(r.status, 404, 'answered proposals are gone for the resident');
    assert.equal((await model('organisatie', '/vrijwilligers/antwoorden')).done.find((x) => x.id === proposal2).outcome, 'gekoppeld');
  });

  await t.test('the generalist records the resident\'s answers; resident first, then the volunteer links', async () => {
    const plan = await model('generalist', '/huishoudens/1/plan');
    const demo = actionsOf(plan).find((x) => x.level === 4 && x.id !== actionId);
    const reqPath = demo.volunteer.href;
    let m = await model('generalist', reqPath);
    assert.equal(m.request.status, 'zoeken');
    const first = m.candidates.find((x) => !x.excluded);
    await post303('generalist', `${reqPath}/voorstel`, { vrijwilliger: String(first.volunteer_id) });
    let r = await post('generalist', `${reqPath}/inwoner`, { antwoord: 'misschien' });
    assert.equal(r.status, 400);
    await post303('generalist', `${reqPath}/inwoner`, { antwoord: 'nee', reden: 'Sanne kent deze persoon al van school' }, reqPath);
    m = await model('generalist', reqPath);
    assert.equal(m.request.status, 'zoeken');
    assert.equal(m.proposals[0].resident_reason, 'Sanne kent deze persoon al van school');
    const other = m.candidates.find((x) => !x.excluded && x.volunteer_id !== first.volunteer_id);
    await post303('generalist', `${reqPath}/voorstel`, { vrijwilliger: String(other.volunteer_id) });
    await post303('generalist', `${reqPath}/inwoner`, { antwoord: 'ja' }, reqPath);
    m = await model('generalist', reqPath);
    assert.equal(m.request.status, 'voorgesteld', 'waits for the volunteer');
    const before = (await model('generalist', '/huishoudens/1/plan')).current_version;
    const pid = m.proposals[0].id;
    await post303('organisatie', `/vrijwilligers/antwoorden/${pid}`, { antwoord: 'ja', reden: 'Graag!' });
    const after = await model('generalist', '/huishoudens/1/plan');
    assert.equal(after.current_version, before + 1);
    assert.equal(after.versions[0].by, 'Buurthuis De Kantel');
    assert.equal(actionsOf(after).find((x) => x.id === demo.id).carrier_name, other.name);
    r = await post('generalist', `${reqPath}/voorstel`, { vrijwilliger: String(first.volunteer_id) });
    assert.equal(r.status, 409, 'a linked request takes no more proposals');
  });

  await t.test('JIM: only for a household member under 23, shown as such in the network and the plan', async () => {
    const net = await model('generalist', '/huishoudens/1/netwerk');
    const youth = net.member_form.youth;
    assert.ok(youth.some((y) => y.name.startsWith('Lars')) && !youth.some((y) => y.name.startsWith('Sanne')),
      'only the young members are offered');
    const sanne = sql(dir, "SELECT p.id FROM person p JOIN household_member m ON m.person_id = p.id"
      + " WHERE m.household_id = 1 AND p.given_names = 'Sanne'");
    let r = await post('generalist', '/huishoudens/1/netwerk', { naam: 'Coach Karim', rol_jim: '1', jongere: sanne });
    assert.equal(r.status, 400);
    assert.match(r.body, /onder de 23/);
    r = await post('generalist', '/huishoudens/1/netwerk', { naam: 'Coach Karim', rol_jim: '1' });
    assert.equal(r.status, 400);
    assert.match(r.body, /Kies de jongere die deze JIM zelf koos/);
    r = await post('generalist', '/huishoudens/1/netwerk', { naam: 'Coach Karim', rol_buur: '1', jongere: String(lars) });
    assert.equal(r.status, 400, 'a young person only with the role JIM');
    const other = sql(dir, "SELECT p.id FROM person p JOIN household_member m ON m.person_id = p.id"
      + " WHERE m.household_id = 5 AND p.given_names = 'Daan'");
    r = await post('generalist', '/huishoudens/1/netwerk', { naam: 'Coach Karim', rol_jim: '1', jongere: other });
    assert.equal(r.status, 400, 'a young person of another household is refused');
    await post303('generalist', '/huishoudens/1/netwerk', { naam: 'Coach Karim', relatie: 'trainer', rol_jim: '1',
      jongere: String(lars) }, '/huishoudens/1/netwerk');
    const m = await model('generalist', '/huishoudens/1/netwerk');
    const karim = m.members.find((x) => x.name === 'Coach Karim');
    assert.deepEqual(karim.roles, [{ code: 'jim', label: 'JIM (eigen gekozen mentor)' }]);
    assert.equal(karim.mentee, 'Lars');
    const html = await (await c.generalist.get('/huishoudens/1/netwerk')).text();
    assert.match(html, /JIM \(eigen gekozen mentor\): gekozen door Lars/);
    const plan = await model('generalist', '/huishoudens/1/plan');
    assert.deepEqual(plan.carrier_names.find((x) => x.name === 'Coach Karim'),
      { name: 'Coach Karim', roles_text: 'JIM (eigen gekozen mentor)' });
    const planHtml = await (await c.generalist.get('/huishoudens/1/plan')).text();
    assert.match(planHtml, /<option value="Coach Karim" label="Coach Karim – JIM \(eigen gekozen mentor\)">/);
  });

  await t.test('the changes are in the audit trail', async () => {
    const want = { 'volunteer.add': 'organisatie', 'volunteer.update': 'organisatie', 'volunteer.active': 'organisatie',
      'volunteer.request': 'generalist', 'volunteer.propose': 'generalist', 'volunteer.answer': 'inwoner' };
    for (const [action, actor] of Object.entries(want)) {
      let events = [];
      for (let i = 0; i < 50 && !events.some((e) => e.actor === actor); i++)
        events = (await model('beheerder', `/beheer/audit?actie=${action}`)).events.filter((e) => e.action === action);
      assert.ok(events.some((e) => e.actor === actor), `${action} by ${actor}`);
    }
    let reads = [];
    for (let i = 0; i < 50 && !reads.some((e) => e.actor === 'organisatie'); i++)
      reads = (await model('beheerder', '/beheer/audit?actie=pd.read')).events;
    assert.ok(reads.some((e) => e.actor === 'organisatie'), 'the organisation\'s reads are audited');
  });
}

if (srv) {
  const code = await srv.stop();
  await t.test('server stops cleanly', async () => assert.equal(code, 0));
}
fs.rmSync(dir, { recursive: true, force: true });
t.done();
