// tests/http/network.mjs - the household's network over HTTP against a real
// `kantel serve` on a demo database: members with roles, sharing and ending a
// membership, IDOR with another household's member ids, the netwerkberaad
// whose agreements become level-3 actions in ONE new plan version with a
// follow-up deadline 4 weeks later, validation that keeps what was typed, and
// the network member's own view (demo account `netwerk`, Joost Bakker in
// household 1): only the shared actions, never goals; taking on an action;
// nothing when sharing is off; 404 for other households and after the end.
//
//   KANTEL_BIN=build/kantel node tests/http/network.mjs

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

const t = suite('http: household network');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-network-'));

// ---------------------------------------------------------------- helpers

/** 'YYYY-MM-DD' of the Amsterdam calendar day, shifted by days. */
function amsDate(days = 0) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function addDays(iso, days) {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const locOf = (res) => {
  const loc = res.headers.get('location');
  return loc === null ? null : new URL(loc, 'http://x/');
};

const decode = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function textareaValue(html, id) {
  const m = new RegExp(`<textarea\\b[^>]*id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  return m ? decode(m[1]) : null;
}

function inputTag(html, id) {
  const m = new RegExp(`<input\\b[^>]*id="${id}"[^>]*>`).exec(html);
  return m ? m[0] : null;
}

let srv = null;
let gen = null;   // generalist: coordinator of households 1-3
let joost = null; // demo `netwerk`: Joost Bakker, network member of household 1
let csrf = '';
let joostCsrf = '';

async function model(c, p) {
  const res = await c.get(p, JSON_ACCEPT);
  assert.equal(res.status, 200, `GET ${p} (JSON): ${res.status}`);
  return res.json();
}

async function status(c, p) {
  const res = await c.get(p);
  await res.arrayBuffer();
  return res.status;
}

/** POST that must answer 303 to path; returns the Location. */
async function post303(c, p, fields, to, token = csrf) {
  const res = await c.post(p, { csrf: token, ...fields });
  const body = await res.text();
  assert.equal(res.status, 303, `POST ${p}: ${res.status} ${body.slice(0, 400)}`);
  assert.equal(locOf(res).pathname, to);
  return locOf(res);
}

const NET = (hh) => `/huishoudens/${hh}/netwerk`;
const actionsOf = (m) => m.levels.flatMap((l) => l.actions);
const memberNamed = (m, name) => m.members.find((x) => x.name === name);

let joostId = 0;

await t.test('setup: demo database, server, generalist and network member signed in', async () => {
  await runDemo(BIN, dir);
  srv = await startServer({ bin: BIN, dir });
  gen = new Client(srv.url);
  await gen.login('generalist', PASSWORD, SECRET);
  joost = new Client(srv.url);
  await joost.login('netwerk', PASSWORD, SECRET);
  const f = await gen.form(NET(1));
  assert.equal(f.res.status, 200, `GET ${NET(1)}`);
  assert.ok(f.csrf, 'the network page has forms with a csrf token');
  csrf = f.csrf;
});

if (srv) {
  await t.test('the demo network of household 1: Marieke (no account) and Joost (account)', async () => {
    const m = await model(gen, NET(1));
    const marieke = memberNamed(m, 'Marieke de Vries');
    const j = memberNamed(m, 'Joost Bakker');
    assert.ok(marieke && j, 'both demo members are listed');
    assert.equal(marieke.relation, 'zus');
    assert.deepEqual(marieke.roles, [{ code: 'mantelzorger', label: 'Mantelzorger' }]);
    assert.equal(marieke.has_account, false);
    assert.equal(j.has_account, true);
    assert.equal(j.share_plan, true);
    joostId = j.id;
    const html = await (await gen.get(NET(1))).text();
    // an invitation button for Marieke only, posting to the invitations route
    const invites = [...html.matchAll(/<form method="post" action="\/huishoudens\/1\/uitnodigingen"[\s\S]*?<\/form>/g)].map((x) => x[0]);
    assert.equal(invites.length, 1, 'one invitation form (members without an account)');
    assert.match(invites[0], new RegExp(`name="netwerklid" value="${marieke.id}"`));
    assert.match(invites[0], /name="csrf" value="[^"]+"/);
    assert.match(invites[0], /Uitnodigingslink maken/);
    // the household overview links here
    const ov = await (await gen.get('/huishoudens/1')).text();
    assert.match(ov, /href="\/huishoudens\/1\/netwerk"/);
  });

  let added = 0;
  await t.test('a caseworker adds a member with several roles, contact and sharing', async () => {
    await post303(gen, NET(1), { naam: 'Ayla Yilmaz', relatie: 'vriendin', rol_mantelzorger: '1', rol_mentor: '1',
      telefoon: '06 12345678', email: 'ayla@example.nl', delen: '1' }, NET(1));
    const m = await model(gen, NET(1));
    const a = memberNamed(m, 'Ayla Yilmaz');
    assert.ok(a, 'the new member is listed');
    added = a.id;
    assert.deepEqual(a.roles.map((r) => r.code), ['mantelzorger', 'mentor']);
    assert.equal(a.roles_text, 'Mantelzorger, Informele mentor');
    assert.equal(a.relation, 'vriendin');
    assert.equal(a.phone, '06 12345678');
    assert.equal(a.email, 'ayla@example.nl');
    assert.equal(a.share_plan, true);
    assert.equal(a.has_account, false);
    assert.equal(a.active, true);
  });

  await t.test('bad input is refused with Dutch messages and keeps what was typed', async () => {
    const before = (await model(gen, NET(1))).members.length;
    const res = await gen.post(NET(1), { csrf, naam: '', relatie: 'oom <b>', rol_buur: '1', telefoon: 'bel maar', email: 'geen-mail' });
    const html = await res.text();
    assert.equal(res.status, 400);
    assert.match(html, /Het netwerklid is niet toegevoegd/);
    assert.match(html, /href="#lid-naam"/, 'the summary links to the field');
    assert.match(inputTag(html, 'lid-naam'), /aria-invalid="true"/);
    assert.match(inputTag(html, 'lid-telefoon'), /aria-invalid="true"/);
    assert.match(inputTag(html, 'lid-email'), /aria-invalid="true"/);
    assert.match(inputTag(html, 'lid-relatie'), /value="oom &lt;b&gt;"/, 'escaped and kept');
    assert.match(inputTag(html, 'lid-rol-buur'), / checked/, 'ticked role kept');
    assert.match(inputTag(html, 'lid-telefoon'), /value="bel maar"/);
    assert.match(html, /Vul een telefoonnummer in/);
    assert.equal((await model(gen, NET(1))).members.length, before, 'nothing stored');
    // an unknown role field is hostile input: the gate refuses it
    const bad = await gen.post(NET(1), { csrf, naam: 'X', rol_baas: '1' });
    await bad.arrayBuffer();
    assert.equal(bad.status, 400);
  });

  await t.test('sharing can be turned off and on again', async () => {
    await post303(gen, `${NET(1)}/${added}`, {}, NET(1));
    assert.equal(memberNamed(await model(gen, NET(1)), 'Ayla Yilmaz').share_plan, false);
    await post303(gen, `${NET(1)}/${added}`, { delen: '1' }, NET(1));
    assert.equal(memberNamed(await model(gen, NET(1)), 'Ayla Yilmaz').share_plan, true);
  });

  await t.test('IDOR: a member id of another household is 404 and changes nothing', async () => {
    await post303(gen, NET(2), { naam: 'Buurvrouw Els', rol_buur: '1' }, NET(2));
    const els = memberNamed(await model(gen, NET(2)), 'Buurvrouw Els');
    assert.ok(els, 'member added to household 2');
    assert.equal(els.share_plan, false);
    for (const fields of [{ delen: '1' }, { beeindigen: '1' }]) {
      const res = await gen.post(`${NET(1)}/${els.id}`, { csrf, ...fields });
      await res.arrayBuffer();
      assert.equal(res.status, 404, `household 1 with household 2's member (${Object.keys(fields)})`);
    }
    const again = memberNamed(await model(gen, NET(2)), 'Buurvrouw Els');
    assert.equal(again.share_plan, false);
    assert.equal(again.active, true);
    const nf = await gen.post(`${NET(1)}/999999`, { csrf, delen: '1' });
    await nf.arrayBuffer();
    assert.equal(nf.status, 404);
    assert.ok(!(await model(gen, NET(1))).members.some((x) => x.id === els.id), 'not listed in household 1');
  });

  await t.test('ending a membership moves the member to the former members', async () => {
    await post303(gen, `${NET(1)}/${added}`, { beeindigen: '1' }, NET(1));
    const m = await model(gen, NET(1));
    assert.ok(!memberNamed(m, 'Ayla Yilmaz'), 'no longer an active member');
    const f = m.former.find((x) => x.id === added);
    assert.ok(f && f.active === false && f.ended, 'listed as former member with the end time');
    const res = await gen.post(`${NET(1)}/${added}`, { csrf, delen: '1' });
    await res.arrayBuffer();
    assert.equal(res.status, 404, 'an ended membership cannot be changed');
  });

  let heldOn = '';
  await t.test('a netwerkberaad turns its agreements into level-3 actions in ONE version, with a follow-up deadline', async () => {
    const before = await model(gen, '/huishoudens/1/plan');
    const nBefore = actionsOf(before).length;
    heldOn = amsDate(-3);
    const lines = ['Marieke doet elke dinsdag de boodschappen', 'Joost rijdt donderdag mee naar de huisarts',
      'Oom Henk helpt in mei met de belastingaangifte'];
    const loc = await post303(gen, `/huishoudens/1/netwerkberaad`, {
      datum: heldOn, deelnemers: 'Sanne, Marieke, Joost, oom Henk',
      uitkomst: `- ${lines[0]}\n\n  ${lines[1]}  \r\n   \n* ${lines[2]}\n`, veiligheid: '' }, NET(1));
    assert.match(loc.hash, /^#beraad-\d+$/);
    const after = await model(gen, '/huishoudens/1/plan');
    assert.equal(after.current_version, before.current_version + 1, 'exactly one new version');
    const acts = actionsOf(after);
    assert.equal(acts.length, nBefore + 3);
    for (const text of lines) {
      const a = acts.find((x) => x.text === text);
      assert.ok(a, `action "${text}"`);
      assert.equal(a.level, 3);
      assert.equal(a.carrier, 'network_member');
      assert.equal(a.status, 'open');
    }
    assert.match(after.versions[0].summary, /^Plan van het netwerkberaad van .+: 3 acties$/);
    assert.equal(after.versions[0].by, 'Fatima El Amrani');
    const m = await model(gen, NET(1));
    const meeting = m.meetings[0];
    assert.equal(`#beraad-${meeting.id}`, loc.hash);
    assert.equal(meeting.held_on, heldOn);
    assert.deepEqual(meeting.agreements, lines);
    assert.equal(meeting.safety, '');
    assert.equal(meeting.safety_by, '', 'no safety conditions, nobody recorded');
    assert.ok(meeting.followup, 'a follow-up deadline is linked');
    assert.equal(meeting.followup.due_on, addDays(heldOn, 28), 'follow-up 4 weeks after the meeting');
    assert.equal(meeting.followup.done_on, null);
    assert.equal(meeting.created_by, 'Fatima El Amrani');
    // the follow-up is an ordinary household deadline: it shows on the due lists
    const dl = await gen.get('/termijnen');
    const dlHtml = await dl.text();
    assert.equal(dl.status, 200);
    assert.match(dlHtml, /Netwerkberaad nabellen/);
  });

  await t.test('safety conditions record who set them', async () => {
    await post303(gen, `/huishoudens/1/netwerkberaad`, { datum: amsDate(0), deelnemers: 'Sanne en Marieke',
      uitkomst: 'Marieke belt Sanne elke avond', veiligheid: 'Geen contact met de ex-partner zonder begeleiding.' }, NET(1));
    const m = await model(gen, NET(1));
    const meeting = m.meetings.find((x) => x.agreements[0] === 'Marieke belt Sanne elke avond');
    assert.ok(meeting);
    assert.equal(meeting.safety, 'Geen contact met de ex-partner zonder begeleiding.');
    assert.equal(meeting.safety_by, 'Fatima El Amrani');
    const plan = await model(gen, '/huishoudens/1/plan');
    assert.match(plan.versions[0].summary, /: 1 actie$/);
  });

  await t.test('a meeting in the future or without agreements is refused, keeping what was typed', async () => {
    const before = (await model(gen, '/huishoudens/1/plan')).current_version;
    const nMeetings = (await model(gen, NET(1))).meetings.length;
    let res = await gen.post('/huishoudens/1/netwerkberaad', { csrf, datum: amsDate(2), deelnemers: 'Sanne',
      uitkomst: 'Iemand doet iets', veiligheid: 'Let op <dit>' });
    let html = await res.text();
    assert.equal(res.status, 400);
    assert.match(html, /Het netwerkberaad is niet opgeslagen/);
    assert.match(html, /De datum ligt in de toekomst/);
    assert.match(inputTag(html, 'beraad-datum'), /aria-invalid="true"/);
    assert.match(inputTag(html, 'beraad-datum'), new RegExp(`value="${amsDate(2)}"`));
    assert.equal(textareaValue(html, 'beraad-uitkomst'), 'Iemand doet iets');
    assert.equal(textareaValue(html, 'beraad-veiligheid'), 'Let op <dit>');
    res = await gen.post('/huishoudens/1/netwerkberaad', { csrf, datum: amsDate(-1), deelnemers: 'Sanne', uitkomst: ' \n - \n' });
    html = await res.text();
    assert.equal(res.status, 400);
    assert.match(html, /één afspraak per regel/);
    assert.match(html, /href="#beraad-uitkomst"/);
    res = await gen.post('/huishoudens/1/netwerkberaad', { csrf, datum: 'gisteren', deelnemers: '', uitkomst: 'x' });
    html = await res.text();
    assert.equal(res.status, 400);
    assert.match(html, /jjjj-mm-dd/);
    assert.match(html, /href="#beraad-deelnemers"/);
    assert.equal((await model(gen, '/huishoudens/1/plan')).current_version, before, 'no new plan version');
    assert.equal((await model(gen, NET(1))).meetings.length, nMeetings, 'no meeting stored');
  });

  let goals = [];
  await t.test('the network member sees their households with the first name only', async () => {
    const m = await model(joost, '/netwerk');
    assert.equal(m.households.length, 1);
    assert.equal(m.households[0].household_id, 1);
    assert.equal(m.households[0].resident, 'Sanne');
    assert.equal(m.households[0].href, '/netwerk/1');
    assert.ok(!JSON.stringify(m).includes('de Vries'), 'no family name');
    goals = (await model(gen, '/huishoudens/1/plan')).goals;
    assert.ok(goals.length > 0, 'household 1 has goals in its plan (demo)');
  });

  await t.test('the network member sees the shared actions but not the goals', async () => {
    const m = await model(joost, '/netwerk/1');
    assert.equal(m.share_plan, true);
    const texts = m.actions.map((a) => a.text);
    assert.ok(texts.includes('Marieke doet elke dinsdag de boodschappen'), 'the meeting\'s actions are shared');
    const caseworker = actionsOf(await model(gen, '/huishoudens/1/plan')).filter((a) => a.status !== 'gestopt');
    assert.equal(m.actions.length, caseworker.length, 'every action that is not stopped');
    for (const a of m.actions) assert.deepEqual(Object.keys(a).sort(),
      ['carrier_label', 'due', 'id', 'level', 'status', 'status_label', 'text', 'who']);
    const json = JSON.stringify(m);
    assert.ok(!('goals' in m) && !json.includes('"goal'), 'no goals in the model');
    for (const g of goals) assert.ok(!json.includes(g.text), `goal text "${g.text}" is not shared`);
    assert.ok(!/bsn|score|meting|melding/i.test(json), 'no BSN, scores, assessments or requests');
    assert.ok(!json.includes('Marieke de Vries'), 'no other members\' data');
    const f = await joost.form('/netwerk/1');
    assert.equal(f.res.status, 200);
    assert.ok(f.csrf, 'the take-on form has a csrf token');
    joostCsrf = f.csrf;
  });

  await t.test('the network member gets 404 for other households (existing or not)', async () => {
    for (const p of ['/netwerk/2', '/netwerk/999999']) assert.equal(await status(joost, p), 404, p);
    const res = await joost.post('/netwerk/2/acties', { csrf: joostCsrf, omschrijving: 'Ik help' });
    await res.arrayBuffer();
    assert.equal(res.status, 404);
    assert.equal(await status(joost, '/huishoudens/1/netwerk'), 403, 'no caseworker pages');
    assert.equal(await status(joost, '/huishoudens/1/plan'), 403);
  });

  await t.test('the network member takes on an action; it appears in the caseworker\'s plan', async () => {
    const before = await model(gen, '/huishoudens/1/plan');
    const due = amsDate(10);
    await post303(joost, '/netwerk/1/acties', { omschrijving: 'Ik maai elke maand het gras', uiterlijk: due }, '/netwerk/1', joostCsrf);
    const after = await model(gen, '/huishoudens/1/plan');
    assert.equal(after.current_version, before.current_version + 1);
    const a = actionsOf(after).find((x) => x.text === 'Ik maai elke maand het gras');
    assert.ok(a, 'the action is in the plan');
    assert.equal(a.level, 3);
    assert.equal(a.carrier, 'network_member');
    assert.equal(a.carrier_name, 'Joost Bakker');
    assert.equal(a.due.date, due);
    assert.equal(after.versions[0].summary, 'Joost Bakker neemt een actie op zich: Ik maai elke maand het gras');
    assert.equal(after.versions[0].by, 'Joost Bakker');
    const mine = (await model(joost, '/netwerk/1')).actions.find((x) => x.text === 'Ik maai elke maand het gras');
    assert.equal(mine.who, 'Joost Bakker');
  });

  await t.test('taking on an action validates and keeps what was typed', async () => {
    const before = (await model(gen, '/huishoudens/1/plan')).current_version;
    let res = await joost.post('/netwerk/1/acties', { csrf: joostCsrf, omschrijving: '  ', uiterlijk: amsDate(3) });
    let html = await res.text();
    assert.equal(res.status, 400);
    assert.match(html, /href="#actie-omschrijving"/);
    assert.match(inputTag(html, 'actie-uiterlijk'), new RegExp(`value="${amsDate(3)}"`));
    res = await joost.post('/netwerk/1/acties', { csrf: joostCsrf, omschrijving: 'Koken <op> zondag', uiterlijk: amsDate(-5) });
    html = await res.text();
    assert.equal(res.status, 400);
    assert.match(html, /in het verleden/);
    assert.equal(textareaValue(html, 'actie-omschrijving'), 'Koken <op> zondag');
    assert.equal((await model(gen, '/huishoudens/1/plan')).current_version, before, 'nothing stored');
  });

  await t.test('with sharing turned off the network member sees no actions and cannot add any', async () => {
    await post303(gen, `${NET(1)}/${joostId}`, {}, NET(1));
    const m = await model(joost, '/netwerk/1');
    assert.equal(m.share_plan, false);
    assert.deepEqual(m.actions, []);
    assert.equal(m.action_form, null);
    const html = await (await joost.get('/netwerk/1')).text();
    assert.match(html, /deelt het plan nu niet met u/);
    assert.ok(!html.includes('Marieke doet elke dinsdag'), 'no action text on the page');
    const res = await joost.post('/netwerk/1/acties', { csrf: joostCsrf, omschrijving: 'Toch helpen' });
    await res.arrayBuffer();
    assert.equal(res.status, 403);
    assert.equal((await model(joost, '/netwerk')).households[0].share_plan, false);
  });

  await t.test('after the membership ended the network member gets 404', async () => {
    await post303(gen, `${NET(1)}/${joostId}`, { beeindigen: '1' }, NET(1));
    assert.equal(await status(joost, '/netwerk/1'), 404);
    assert.deepEqual((await model(joost, '/netwerk')).households, []);
    const res = await joost.post('/netwerk/1/acties', { csrf: joostCsrf, omschrijving: 'Nog één keer' });
    await res.arrayBuffer();
    assert.equal(res.status, 404);
  });

  await t.test('the changes are in the audit trail', async () => {
    const admin = new Client(srv.url);
    await admin.login('beheerder', PASSWORD, SECRET);
    const want = { 'network.add': 'generalist', 'network.update': 'generalist', 'network.meeting': 'generalist',
      'network.action': 'netwerk' };
    for (const [action, actor] of Object.entries(want)) {
      let events = [];
      // the audit writer commits in batches: ask again until the event is in
      for (let i = 0; i < 50 && !events.length; i++)
        events = (await model(admin, `/beheer/audit?actie=${action}`)).events.filter((e) => e.action === action);
      assert.ok(events.some((e) => e.actor === actor && e.object_id === '1'), `${action} by ${actor}`);
    }
    const reads = (await model(admin, '/beheer/audit?actie=pd.read')).events;
    assert.ok(reads.some((e) => e.actor === 'netwerk'), 'the network member\'s reads are audited');
  });
}

if (srv) {
  const code = await srv.stop();
  await t.test('server stops cleanly', async () => assert.equal(code, 0));
}
fs.rmSync(dir, { recursive: true, force: true });
t.done();
