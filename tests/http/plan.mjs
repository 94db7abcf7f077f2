// tests/http/plan.mjs - the household plan over HTTP against a real `kantel
// serve` on a demo database: goals and actions as versions, viewing and
// comparing versions, status changes, the resident's agreement and the
// warning when the plan changed afterwards, validation that keeps what was
// typed, IDOR (actions and persons of other households), the print view, the
// audit trail and concurrent changes that must not lose an update.
//
//   KANTEL_BIN=build/kantel node tests/http/plan.mjs
//
// The demo may already hold a plan for a household: every expectation here is
// relative to the version and the actions found at the start.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { suite } from '../lib/harness.mjs';
import { Client, runDemo, startServer } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const PASSWORD = 'Kantel-demo-2026!';
const SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';
const JSON_ACCEPT = { headers: { Accept: 'application/json' } };

const t = suite('http: household plan');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-plan-'));

// ---------------------------------------------------------------- helpers

function isoDate(daysFromNow) {
  const d = new Date(Date.now() + daysFromNow * 86400000);
  return d.toISOString().slice(0, 10);
}

const locOf = (res) => {
  const loc = res.headers.get('location');
  return loc === null ? null : new URL(loc, 'http://x/');
};

/** Attributes of the first <tag ...> for which pred(attrs) holds, or null. */
function findTag(html, tag, pred) {
  for (const m of String(html).matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'gi'))) {
    const attrs = {};
    for (const a of m[0].matchAll(/([\w:-]+)(?:\s*=\s*"([^"]*)")?/g)) attrs[a[1].toLowerCase()] = a[2] ?? '';
    if (pred(attrs)) return attrs;
  }
  return null;
}

const decode = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The text inside <textarea id="id">, decoded, or null. */
function textareaValue(html, id) {
  const m = new RegExp(`<textarea\\b[^>]*id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  return m ? decode(m[1]) : null;
}

/** The <main> of a page. */
function mainOf(html) {
  const m = /<main\b[^>]*>([\s\S]*)<\/main>/.exec(html);
  assert.ok(m, 'page has a <main>');
  return m[1];
}

let srv = null;
let gen = null;     // generalist: coordinator of households 1-3
let gen2 = null;    // generalist2: another team
let csrf = '';

async function model(c, p) {
  const res = await c.get(p, JSON_ACCEPT);
  assert.equal(res.status, 200, `GET ${p} (JSON): ${res.status}`);
  return res.json();
}

async function post(c, p, fields, token = csrf) {
  return c.post(p, { csrf: token, ...fields });
}

/** POST that must answer 303 back to the plan; returns the new model. */
async function change(hh, what, fields) {
  const res = await post(gen, `/huishoudens/${hh}/plan/${what}`, fields);
  const body = await res.text();
  assert.equal(res.status, 303, `POST ${what}: ${res.status} ${body.slice(0, 400)}`);
  assert.equal(locOf(res).pathname, `/huishoudens/${hh}/plan`);
  return model(gen, `/huishoudens/${hh}/plan`);
}

/** All actions of a model, flat. */
const actionsOf = (m) => m.levels.flatMap((l) => l.actions);
const maxActionId = (m) => Math.max(0, ...actionsOf(m).map((a) => a.id));

// ---------------------------------------------------------------- state

let base = 0;          // current version of household 1 at the start
let baseK = null;      // its kantel counts at the start
const ids = {};        // our action ids in household 1 by level
const HH = 1;
const P = `/huishoudens/${HH}/plan`;

await t.test('setup: demo database, server, generalists signed in', async () => {
  await runDemo(BIN, dir);
  srv = await startServer({ bin: BIN, dir });
  gen = new Client(srv.url);
  await gen.login('generalist', PASSWORD, SECRET);
  gen2 = new Client(srv.url);
  await gen2.login('generalist2', PASSWORD, SECRET);
  const f = await gen.form(P);
  assert.equal(f.res.status, 200, `GET ${P}`);
  assert.ok(f.csrf, 'the plan page has forms with a csrf token');
  csrf = f.csrf;
  const m = await model(gen, P);
  base = m.current_version;
  baseK = { total: m.kantel.total, low: m.kantel.low };
  assert.equal(m.household.id, HH);
});

if (srv) {
  await t.test('an empty plan invites to start from eigen kracht; a plan shows its forms', async () => {
    const html = await (await gen.get(P)).text();
    if (base === 0) {
      assert.match(html, /Wat kan de inwoner zelf\?/);
      assert.match(html, /Nog niet bekend/);
    }
    assert.ok(findTag(html, 'form', (a) => a.action === `${P}/acties`), 'add-action form');
    assert.ok(findTag(html, 'form', (a) => a.action === `${P}/doelen`), 'add-goal form');
    const level = findTag(html, 'select', (a) => a.id === 'actie-trede');
    assert.ok(level && level.name === 'trede', 'ladder level select');
    assert.match(html, /<option value="1" selected>1 – Eigen kracht<\/option>/, 'eigen kracht is the default level');
    assert.match(html, /<option value="6"[^>]*>6 – Maatwerkvoorziening<\/option>/);
    const domains = html.match(/<select[^>]*id="doel-domein"[\s\S]*?<\/select>/)[0].match(/<option value="[a-z_]+"/g);
    assert.equal(domains.length, 13, '13 life domains to choose from');
  });

  await t.test('a goal and actions on levels 1, 2, 3, 4 and 6 each make a new version', async () => {
    let m = await change(HH, 'doelen', { domein: 'financien', huidig: '2', doel: '4', omschrijving: 'Schulden op een rij' });
    assert.equal(m.current_version, base + 1);
    const goal = m.goals.find((g) => g.text === 'Schulden op een rij');
    assert.ok(goal, 'the goal is in the plan');
    assert.equal(goal.domain_name, 'Financiën');
    assert.equal(goal.current.value, 2);
    assert.equal(goal.target.value, 4);
    const add = [
      { omschrijving: 'Boodschappen op dinsdag', trede: '1' },
      { omschrijving: 'Partner doet de was', trede: '2' },
      { omschrijving: 'Zus komt twee keer per week langs', trede: '3', naam_uitvoerder: 'zus Marieke', doel: String(goal.id), uiterlijk: isoDate(14) },
      { omschrijving: 'Wandelclub op woensdag', trede: '4', naam_uitvoerder: 'Buurthuis De Kantel' },
      { omschrijving: 'Begeleiding 3 uur per week', trede: '6', uitvoerder: 'provider', naam_uitvoerder: 'Zorg BV' },
    ];
    for (const [i, a] of add.entries()) {
      m = await change(HH, 'acties', a);
      assert.equal(m.current_version, base + 2 + i, `version after action ${i + 1}`);
      const found = actionsOf(m).find((x) => x.text === a.omschrijving);
      assert.ok(found, `action "${a.omschrijving}" in the plan`);
      assert.equal(found.level, Number(a.trede));
      assert.equal(found.status, 'open');
      ids[a.trede] = found.id;
    }
    const lvl3 = actionsOf(m).find((x) => x.id === ids[3]);
    assert.equal(lvl3.carrier, 'network_member', 'the carrier follows the level by default');
    assert.equal(lvl3.carrier_name, 'zus Marieke');
    assert.equal(lvl3.goal.id, goal.id);
    assert.equal(lvl3.due.date, isoDate(14));
    assert.equal(actionsOf(m).find((x) => x.id === ids[1]).carrier, 'resident');
    assert.equal(actionsOf(m).find((x) => x.id === ids[6]).carrier_name, 'Zorg BV');
    const levels = m.levels.map((l) => l.level);
    for (const l of [1, 2, 3, 4, 6]) assert.ok(levels.includes(l), `level ${l} shown`);
    assert.deepEqual(levels, [...levels].sort((a, b) => a - b), 'levels in ladder order');
  });

  await t.test('versions 1..N exist with who, when and a summary in words', async () => {
    const m = await model(gen, P);
    assert.equal(m.versions.length, base + 6);
    assert.deepEqual(m.versions.map((v) => v.version), Array.from({ length: base + 6 }, (_, i) => base + 6 - i));
    const byNumber = Object.fromEntries(m.versions.map((v) => [v.version, v]));
    assert.equal(byNumber[base + 1].summary, 'Doel toegevoegd: Financiën (van 2 naar 4): Schulden op een rij');
    assert.equal(byNumber[base + 2].summary, 'Actie toegevoegd: Boodschappen op dinsdag (trede 1)');
    assert.equal(byNumber[base + 6].summary, 'Actie toegevoegd: Begeleiding 3 uur per week (trede 6)');
    assert.equal(byNumber[base + 2].by, 'Fatima El Amrani');
    assert.match(byNumber[base + 2].when, /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    assert.equal(m.version.number, base + 6);
    assert.equal(byNumber[base + 3].compare_href, `${P}/vergelijk?van=${base + 2}&tot=${base + 3}`);
  });

  await t.test('the kantel index in the model counts the actions on levels 1-4', async () => {
    const m = await model(gen, P);
    const total = baseK.total + 5, low = baseK.low + 4;
    assert.equal(m.kantel.total, total);
    assert.equal(m.kantel.low, low);
    assert.equal(m.kantel.percent, Math.floor((low * 200 + total) / (2 * total)));
    if (base === 0) {
      assert.equal(m.kantel.percent, 80);
      assert.equal(m.kantel.text, '4 van de 5 acties (80%) liggen bij de inwoner, het huishouden, het netwerk of de buurt.');
    }
    const html = await (await gen.get(P)).text();
    assert.ok(html.includes(`${m.kantel.percent}%`), 'the index is on the page');
    assert.ok(html.includes(m.kantel.text), 'with its sentence');
  });

  await t.test('an earlier version is shown read-only', async () => {
    const v = base + 2;
    const m = await model(gen, `${P}?versie=${v}`);
    assert.equal(m.read_only, true);
    assert.equal(m.version.number, v);
    assert.equal(m.current_version, base + 6);
    assert.equal(m.action_form, null);
    assert.equal(m.goal_form, null);
    assert.equal(actionsOf(m).length, baseK.total + 1);
    assert.ok(actionsOf(m).some((a) => a.text === 'Boodschappen op dinsdag'));
    const html = await (await gen.get(`${P}?versie=${v}`)).text();
    assert.match(html, /een eerdere versie/);
    assert.ok(!/<form[^>]*method="post"[^>]*action="\/huishoudens\/1\/plan\//.test(mainOf(html)), 'no change forms on an old version');
    for (const bad of ['9999', '0']) {
      const r = await gen.get(`${P}?versie=${bad}`);
      await r.arrayBuffer();
      assert.equal(r.status, 404, `version ${bad}`);
    }
    const r = await gen.get(`${P}?versie=abc`);
    await r.arrayBuffer();
    assert.equal(r.status, 400);
  });

  await t.test('comparing version 1 -> 3 lists what was added, in words', async () => {
    const a = base + 1, b = base + 3;
    const m = await model(gen, `${P}/vergelijk?van=${a}&tot=${b}`);
    assert.equal(m.from.number, a);
    assert.equal(m.to.number, b);
    assert.equal(m.diff.count, 2);
    assert.deepEqual(m.diff.actions.added.map((x) => x.title).sort(), ['Boodschappen op dinsdag', 'Partner doet de was']);
    assert.equal(m.diff.goals.added.length, 0);
    assert.match(m.diff.actions.added.find((x) => x.title === 'Partner doet de was').details, /trede 2 \(Huishouden\)/);
    const html = await (await gen.get(`${P}/vergelijk?van=${a}&tot=${b}`)).text();
    assert.match(html, /Toegevoegde acties/);
    assert.match(html, /Boodschappen op dinsdag/);
    const back = await model(gen, `${P}/vergelijk?van=${b}&tot=${a}`);
    assert.equal(back.diff.actions.removed.length, 2, 'the other way round they are removed');
    const same = await (await gen.get(`${P}/vergelijk?van=${a}&tot=${a}`)).text();
    assert.match(same, /geen verschillen/);
  });

  await t.test('comparing unknown versions is 404, missing ones 400', async () => {
    for (const q of [`van=1&tot=${base + 999}`, `van=${base + 999}&tot=1`, 'van=0&tot=1']) {
      const r = await gen.get(`${P}/vergelijk?${q}`);
      await r.arrayBuffer();
      assert.equal(r.status, 404, q);
    }
    const r = await gen.get(`${P}/vergelijk?van=1`);
    const html = await r.text();
    assert.equal(r.status, 400);
    assert.match(html, /Kies twee versies/);
    assert.ok(findTag(html, 'select', (a) => a.id === 'tot' && a['aria-invalid'] === 'true'), 'the missing field is marked');
  });

  await t.test('a status change makes a new version; the same status makes none', async () => {
    let m = await change(HH, `acties/${ids[1]}`, { status: 'gedaan' });
    assert.equal(m.current_version, base + 7);
    assert.equal(actionsOf(m).find((a) => a.id === ids[1]).status, 'gedaan');
    assert.equal(m.versions[0].summary, 'Status gewijzigd: Boodschappen op dinsdag, van Open naar Gedaan');
    const d = await model(gen, `${P}/vergelijk?van=${base + 6}&tot=${base + 7}`);
    assert.equal(d.diff.count, 1);
    const ch = d.diff.actions.changed[0];
    assert.equal(ch.id, ids[1]);
    assert.deepEqual(ch.changes, [{ field: 'status', label: 'Status', old: 'Open', new: 'Gedaan' }]);
    const html = await (await gen.get(`${P}/vergelijk?van=${base + 6}&tot=${base + 7}`)).text();
    assert.match(html, /Status: was „Open”, is nu „Gedaan”/, 'the change is told in words');
    m = await change(HH, `acties/${ids[1]}`, { status: 'gedaan' });
    assert.equal(m.current_version, base + 7, 'no version for no change');
  });

  await t.test('an unknown status is refused with the plan re-shown', async () => {
    const res = await post(gen, `${P}/acties/${ids[2]}`, { status: 'klaar' });
    const html = await res.text();
    assert.equal(res.status, 400);
    assert.match(html, /Kies een status uit de lijst/);
    assert.ok(findTag(html, 'select', (a) => a.id === `status-${ids[2]}` && a['aria-invalid'] === 'true'));
    assert.equal((await model(gen, P)).current_version, base + 7);
  });

  let person = 0;
  await t.test('the resident agrees to a version; a newer version brings a warning', async () => {
    let m = await model(gen, P);
    if (base === 0) assert.equal(m.agreement.latest, null, 'a new plan has no agreement yet');
    assert.ok(m.agree_form.members.length >= 1, 'members to choose from');
    person = m.agree_form.members[0].id;
    let res = await post(gen, `${P}/akkoord`, { versie: String(base + 7), persoon: String(person) });
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    m = await model(gen, P);
    assert.equal(m.agreement.latest.version, base + 7);
    assert.equal(m.agreement.latest.person, m.agree_form.members[0].name);
    assert.equal(m.agreement.latest.recorded_by, 'Fatima El Amrani');
    assert.equal(m.agreement.outdated, false);
    let html = await (await gen.get(P)).text();
    assert.ok(!html.includes('gewijzigd na het akkoord'), 'no warning while the agreed version is current');
    assert.match(html, new RegExp(`akkoord met versie ${base + 7}`));

    m = await change(HH, `acties/${ids[2]}`, { status: 'bezig' });
    assert.equal(m.current_version, base + 8);
    assert.equal(m.agreement.agreed_version, base + 7);
    assert.equal(m.agreement.outdated, true);
    assert.equal(m.agreement.compare_href, `${P}/vergelijk?van=${base + 7}&tot=${base + 8}`);
    html = await (await gen.get(P)).text();
    assert.match(html, /gewijzigd na het akkoord/);

    res = await post(gen, `${P}/akkoord`, { versie: String(base + 999), persoon: String(person) });
    await res.arrayBuffer();
    assert.equal(res.status, 404, 'agreeing to a version that does not exist');
    res = await post(gen, `${P}/akkoord`, { versie: String(base + 8) });
    html = await res.text();
    assert.equal(res.status, 400, 'no person chosen');
    assert.ok(findTag(html, 'select', (a) => a.id === 'akkoord-persoon' && a['aria-invalid'] === 'true'));
  });

  await t.test('validation errors keep what was typed (action)', async () => {
    const fields = { omschrijving: 'Vrijwilligerswerk <zoeken> & "proberen"', trede: '9', uitvoerder: 'resident', naam_uitvoerder: 'Buurman Piet', uiterlijk: isoDate(-3) };
    const res = await post(gen, `${P}/acties`, fields);
    const html = await res.text();
    assert.equal(res.status, 400);
    assert.match(html, /role="alert"/);
    assert.match(html, /href="#actie-trede"/, 'the summary links to the level field');
    assert.match(html, /href="#actie-uiterlijk"/, 'and to the date field');
    assert.match(html, /in het verleden/);
    assert.equal(textareaValue(html, 'actie-omschrijving'), fields.omschrijving, 'text kept (and escaped)');
    assert.ok(!html.includes('<zoeken>'), 'typed text is escaped');
    assert.equal(findTag(html, 'input', (a) => a.id === 'actie-naam').value, 'Buurman Piet');
    assert.equal(findTag(html, 'input', (a) => a.id === 'actie-uiterlijk').value, isoDate(-3));
    assert.ok(findTag(html, 'select', (a) => a.id === 'actie-trede' && a['aria-invalid'] === 'true'));
    assert.match(html, /<option value="resident" selected>/, 'chosen carrier kept');
    assert.equal((await model(gen, P)).current_version, base + 8, 'nothing stored');
    assert.equal((await model(gen, P)).action_form.text, '', 'a fresh page starts empty again');
  });

  await t.test('validation errors keep what was typed (goal) and blank text is refused', async () => {
    let res = await post(gen, `${P}/doelen`, { domein: '', huidig: '2', doel: '3', omschrijving: 'Huur op tijd betalen' });
    let html = await res.text();
    assert.equal(res.status, 400);
    assert.match(html, /href="#doel-domein"/);
    assert.equal(textareaValue(html, 'doel-omschrijving'), 'Huur op tijd betalen');
    assert.match(html, /<select[^>]*id="doel-huidig"[\s\S]*?<option value="2" selected>/, 'score kept');
    res = await post(gen, `${P}/acties`, { omschrijving: '   ', trede: '1' });
    html = await res.text();
    assert.equal(res.status, 400);
    assert.match(html, /Beschrijf de actie/);
    res = await post(gen, `${P}/acties`, { omschrijving: 'Iets', trede: '2', doel: '999' });
    html = await res.text();
    assert.equal(res.status, 400, 'a goal that is not in this plan');
    assert.match(html, /href="#actie-doel"/);
    assert.equal((await model(gen, P)).current_version, base + 8);
  });

  await t.test('IDOR: another household\'s action id, person or plan is refused', async () => {
    // Household 2 gets more actions than household 1 has, so its highest
    // action id does not exist in household 1's plan.
    const m1 = await model(gen, P);
    const top = maxActionId(m1);
    let m2 = await model(gen, '/huishoudens/2/plan');
    while (maxActionId(m2) <= top) m2 = await change(2, 'acties', { omschrijving: `Actie ${maxActionId(m2) + 1}`, trede: '1' });
    const foreign = maxActionId(m2);
    let res = await post(gen, `${P}/acties/${foreign}`, { status: 'gedaan' });
    await res.arrayBuffer();
    assert.equal(res.status, 404, 'an action id of household 2 on household 1');
    res = await post(gen, `${P}/acties/999999`, { status: 'gedaan' });
    await res.arrayBuffer();
    assert.equal(res.status, 404, 'an unknown action id');
    assert.equal((await model(gen, '/huishoudens/2/plan')).current_version, m2.current_version, 'household 2 unchanged');

    const other = m2.agree_form.members[0].id;
    assert.ok(!m1.agree_form.members.some((x) => x.id === other));
    res = await post(gen, `${P}/akkoord`, { versie: String(base + 8), persoon: String(other) });
    await res.arrayBuffer();
    assert.equal(res.status, 404, 'a person of household 2 cannot agree to household 1\'s plan');
    assert.equal((await model(gen, P)).agreement.latest.version, base + 7, 'no agreement recorded');

    for (const [c, who] of [[gen2, 'generalist2']]) {
      const r = await c.get(P);
      await r.arrayBuffer();
      assert.equal(r.status, 403, `${who} has no need-to-know for household 1`);
      const f2 = await c.form('/');
      const w = await c.post(`${P}/acties`, { csrf: f2.csrf, omschrijving: 'Niet van mij', trede: '1' });
      await w.arrayBuffer();
      assert.equal(w.status, 403, `${who} cannot add an action`);
    }
    const r = await gen.get('/huishoudens/4/plan');
    await r.arrayBuffer();
    assert.equal(r.status, 403, 'generalist has no access to household 4');
    const w = await post(gen, '/huishoudens/4/plan/acties/1', { status: 'gedaan' });
    await w.arrayBuffer();
    assert.equal(w.status, 403);
    const nf = await gen.get('/huishoudens/999999/plan');
    await nf.arrayBuffer();
    assert.equal(nf.status, 404);
    assert.equal((await model(gen, P)).current_version, base + 8);
  });

  await t.test('the print view has the plan and no navigation or forms', async () => {
    const m = await model(gen, `${P}/afdrukken`);
    assert.equal(m.version.number, base + 8);
    assert.ok(m.members.length >= 1);
    assert.equal(m.kantel.total, baseK.total + 5);
    const res = await gen.get(`${P}/afdrukken?versie=${base + 7}`);
    const html = await res.text();
    assert.equal(res.status, 200);
    const main = mainOf(html);
    assert.ok(!/<nav\b/i.test(main), 'no navigation in the printed part');
    assert.ok(!/<form\b/i.test(main), 'no forms in the printed part');
    assert.match(main, /kantel-print/);
    assert.match(main, /Huishouden De Vries/);
    for (const mem of m.members) assert.ok(main.includes(mem.name), `member ${mem.name} listed`);
    assert.match(main, /Boodschappen op dinsdag/);
    assert.match(main, /Trede 6: Maatwerkvoorziening/);
    assert.match(main, /Kantelindex/);
    assert.match(main, new RegExp(`ging akkoord met versie ${base + 7}`), 'the agreement to the printed version');
    const css = await (await gen.get('/static/kantel.css')).text();
    const print = /@media print\s*\{([\s\S]*?)\n\}/.exec(css);
    assert.ok(print, 'kantel.css has print rules');
    assert.match(print[1], /\.kantel-nav[^{]*\{[^}]*display:\s*none/, 'the navigation is hidden when printing');
    assert.match(print[1], /\.kantel-header/, 'and the header');
    const nf = await gen.get(`${P}/afdrukken?versie=${base + 999}`);
    await nf.arrayBuffer();
    assert.equal(nf.status, 404);
  });

  await t.test('concurrent changes do not lose an update', async () => {
    const hh = 3;
    const before = await model(gen, `/huishoudens/${hh}/plan`);
    const n = 8;
    const results = await Promise.all(Array.from({ length: n }, (_, i) =>
      post(gen, `/huishoudens/${hh}/plan/acties`, { omschrijving: `Gelijktijdig ${i}`, trede: String((i % 6) + 1) })
        .then(async (r) => { await r.arrayBuffer(); return r.status; })));
    assert.deepEqual(results, Array(n).fill(303));
    const after = await model(gen, `/huishoudens/${hh}/plan`);
    assert.equal(after.current_version, before.current_version + n);
    assert.equal(after.versions.length, before.current_version + n);
    const texts = new Set(actionsOf(after).map((a) => a.text));
    for (let i = 0; i < n; i++) assert.ok(texts.has(`Gelijktijdig ${i}`), `action ${i} kept`);
    assert.equal(new Set(actionsOf(after).map((a) => a.id)).size, actionsOf(after).length, 'action ids unique');
  });

  await t.test('changes and agreements are in the audit trail', async () => {
    const admin = new Client(srv.url);
    await admin.login('beheerder', PASSWORD, SECRET);
    // The audit writer commits in batches: ask again until the last event is in.
    let versions = [];
    for (let i = 0; i < 50 && !versions.includes(`version ${base + 8}`); i++) {
      const ch = await model(admin, '/beheer/audit?actie=plan.change&object=1');
      versions = ch.events.filter((e) => e.action === 'plan.change' && e.object_id === '1').map((e) => e.detail);
    }
    for (let v = base + 1; v <= base + 8; v++) assert.ok(versions.includes(`version ${v}`), `plan.change version ${v}`);
    const ag = await model(admin, '/beheer/audit?actie=plan.agree');
    assert.ok(ag.events.some((e) => e.object_id === '1' && e.detail === `version ${base + 7}, person ${person}` && e.actor === 'generalist'));
  });
}

if (srv) {
  const code = await srv.stop();
  await t.test('server stops cleanly', async () => assert.equal(code, 0));
}
fs.rmSync(dir, { recursive: true, force: true });
t.done();
