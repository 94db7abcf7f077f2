// tests/http/households.mjs - households over HTTP: creating one (validation
// that keeps what was typed, elfproef, duplicate BSN), searching by BSN, name,
// postcode and birth date within need-to-know only, the overview and its JSON
// model, adding members, transferring the coordinator role, the caseload, and
// another team's generalist (IDOR: 403, audited, then break-the-glass).
//
//   KANTEL_BIN=build/kantel node tests/http/households.mjs
//
// Demo data (kantel demo): households 1-3 in Wijkteam Centrum with
// "generalist" as coordinator, 4-6 in other teams with "generalist2". Demo
// BSNs are bsn_test_number(0, 1, ...) in member order: 0 = Sanne de Vries
// (household 1), 6 = Henk Jansen (household 4). Every account signs in once.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { suite } from '../lib/harness.mjs';
import { Client, backend, runDemo, sql as sqlOn, startServer } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const PASSWORD = 'Kantel-demo-2026!';
const SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';
const NOT_FOUND = 'Geen huishouden gevonden waar u toegang toe heeft.';
const JSON_ACCEPT = { Accept: 'application/json' };

const t = suite('http: households, members, coordinator and caseload');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-households-'));

// ---------------------------------------------------------------- helpers

/** 1 when the 9 digits pass the elfproef (and are not all zero). */
function elfproef(s) {
  if (!/^\d{9}$/.test(s) || s === '000000000') return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(s[i]);
  sum -= Number(s[8]);
  return sum % 11 === 0;
}

/** The n-th valid BSN of the test range 9999xxxxx (like bsn_test_number). */
function testBsn(n) {
  for (let x = 999900000, k = 0; x <= 999999999; x++) {
    const s = String(x);
    if (elfproef(s) && k++ === n) return s;
  }
  throw new Error('out of range');
}

/** One SQL statement (or several, ';'-separated) on the test database. */
const sql = (statement) => sqlOn(dir, statement);

/** SQL text of a BLOB column's bytes, so LIKE can look for plaintext in it. */
const blobText = (col) => (backend === 'postgres' ? `encode(${col}, 'escape')` : `CAST(${col} AS TEXT)`);

/** Today and today + n in Europe/Amsterdam, as YYYY-MM-DD. */
function amsterdamDay(plus = 0) {
  const d = new Date(Date.now() + plus * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(d);
}

async function json(client, p, status = 200) {
  const res = await client.get(p, { headers: JSON_ACCEPT });
  const text = await res.text();
  assert.equal(res.status, status, `GET ${p}: ${res.status}, want ${status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

async function html(client, p, status = 200) {
  const res = await client.get(p);
  const text = await res.text();
  assert.equal(res.status, status, `GET ${p}: ${res.status}, want ${status}: ${text.slice(0, 300)}`);
  return text;
}

const csrfs = new Map();
async function csrfOf(client) {
  if (!csrfs.has(client)) {
    const f = await client.form('/huishoudens/nieuw');
    assert.ok(f.csrf, 'no csrf token on /huishoudens/nieuw');
    csrfs.set(client, f.csrf);
  }
  return csrfs.get(client);
}

/** POST with the session's CSRF token; asJson asks for the model back. */
async function post(client, p, fields, { asJson = false } = {}) {
  const res = await client.post(p, { csrf: await csrfOf(client), ...fields }, { headers: asJson ? JSON_ACCEPT : {} });
  const text = await res.text();
  return { res, status: res.status, text, model: asJson && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null };
}

const locPath = (res) => {
  const loc = res.headers.get('location');
  return loc === null ? null : new URL(loc, 'http://x/').pathname;
};

const ids = (list) => list.map((h) => h.id).sort((a, b) => a - b);

/** Polls the audit trail (as beheerder) until pred holds for some event. */
async function auditEvent(actie, pred) {
  let last = [];
  for (let i = 0; i < 200; i++) {
    const m = await json(admin, `/beheer/audit?actie=${encodeURIComponent(actie)}`);
    last = m.events;
    const ev = m.events.find(pred);
    if (ev) return ev;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`no ${actie} event matched; last: ${JSON.stringify(last.slice(0, 5))}`);
}

// A complete, valid "new household" form.
function newForm(over = {}) {
  return {
    naam: '', postcode: '8011 ab', huisnummer: '21', toevoeging: 'b', straat: 'Lindelaan', plaats: 'Kantelstad',
    buurt: String(buurtCentrum), voornamen: 'Anna', tussenvoegsel: 'van der', achternaam: 'Berg', bsn: '',
    geboortedatum: '1988-04-02', geslacht: 'vrouw', telefoon: '06 12345678', email: 'anna@example.org', ...over,
  };
}

// ---------------------------------------------------------------- set-up

let server, gen, gen2, lead, admin;
let buurtCentrum = 0, buurtNoord = 0, created = 0;
const BSN_SANNE = testBsn(0), BSN_HENK = testBsn(6), BSN_ANNA = testBsn(100), BSN_KID = testBsn(101);

await t.test('set-up: demo database with households, server, four accounts signed in', async () => {
  await runDemo(BIN, dir, ['--no-stages']); // households without requests, assessments or plans
  server = await startServer({ bin: BIN, dir, env: { KANTEL_AUDIT_FLUSH_MS: '5' } });
  gen = new Client(server.url);
  gen2 = new Client(server.url);
  lead = new Client(server.url);
  admin = new Client(server.url);
  await gen.login('generalist', PASSWORD, SECRET);
  await gen2.login('generalist2', PASSWORD, SECRET);
  await lead.login('teamleider', PASSWORD, SECRET);
  await admin.login('beheerder', PASSWORD, SECRET);
  const mine = await json(gen, '/huishoudens');
  assert.deepEqual(ids(mine.households), [1, 2, 3]);
});

// ---------------------------------------------------------------- create

await t.test('new household form: buurten grouped by wijk with the team, gender select', async () => {
  const m = await json(gen, '/huishoudens/nieuw');
  assert.deepEqual(m.wijken.map((w) => w.wijk), ['Centrum', 'Noord', 'Oost', 'Zuid']);
  assert.equal(m.wijken[0].label, 'Centrum (Wijkteam Centrum)');
  assert.equal(m.wijken[0].buurten.length, 3);
  buurtCentrum = m.wijken[0].buurten.find((b) => b.name === 'Binnenstad').id;
  buurtNoord = m.wijken[1].buurten[0].id;
  assert.ok(buurtCentrum > 0 && buurtNoord > 0);
  assert.deepEqual(m.genders.map((g) => g.code).sort(), ['anders', 'man', 'onbekend', 'vrouw']);
  const page = await html(gen, '/huishoudens/nieuw');
  assert.match(page, /<optgroup label="Centrum \(Wijkteam Centrum\)">/);
  assert.match(page, /<label class="utrecht-form-label" for="buurt">Buurt<\/label>/);
});

await t.test('create with missing fields: 400, Dutch messages, typed values kept, nothing stored', async () => {
  const before = sql('SELECT count(*) FROM household');
  const r = await post(gen, '/huishoudens', newForm({ huisnummer: '', achternaam: ' ', buurt: '', voornamen: 'Anna-Lotte' }));
  assert.equal(r.status, 400);
  assert.match(r.text, /Het huishouden is niet aangemaakt/);
  assert.match(r.text, /href="#huisnummer">Huisnummer<\/a>: Vul het huisnummer in\./);
  assert.match(r.text, /href="#achternaam">Achternaam<\/a>: Vul de achternaam in\./);
  assert.match(r.text, /href="#buurt">Buurt<\/a>: Kies de buurt uit de lijst\./);
  assert.match(r.text, /id="achternaam"[^>]*aria-invalid="true"/);
  assert.match(r.text, /id="voornamen"[^>]*value="Anna-Lotte"/);
  assert.match(r.text, /id="postcode"[^>]*value="8011 ab"/);
  assert.match(r.text, /id="telefoon"[^>]*value="06 12345678"/);
  assert.match(r.text, /<option value="vrouw" selected>/);
  const j = await post(gen, '/huishoudens', {}, { asJson: true });
  assert.equal(j.status, 400);
  assert.ok(j.model.field_errors.postcode && j.model.field_errors.voornamen);
  assert.equal(sql('SELECT count(*) FROM household'), before);
});

await t.test('create with a BSN failing the elfproef and a bad postcode: 400 with field messages', async () => {
  const r = await post(gen, '/huishoudens', newForm({ bsn: '123456789', postcode: '0123 AB', huisnummer: '12x' }),
    { asJson: true });
  assert.equal(r.status, 400);
  const fe = r.model.field_errors;
  assert.match(fe.bsn, /BSN|elfproef|klopt/i);
  assert.match(fe.postcode, /postcode/i);
  assert.match(fe.huisnummer, /huisnummer/i);
  assert.equal(r.model.form.bsn, '123456789');
  assert.equal(r.model.form.postcode, '0123 AB');
  const h = await post(gen, '/huishoudens', newForm({ bsn: '123456789', geboortedatum: '2100-01-01' }));
  assert.equal(h.status, 400);
  assert.match(h.text, /id="bsn"[^>]*value="123456789"/);
  assert.match(h.text, /id="bsn-fout"/);
  assert.match(h.text, /kan niet in de toekomst liggen/);
});

await t.test('create: 303 to the overview; team from the buurt, creator is coordinator ("Aangemaakt"), audited', async () => {
  const r = await post(gen, '/huishoudens', newForm({ bsn: BSN_ANNA.replace(/(\d{4})(\d{2})(\d{3})/, '$1.$2.$3') }));
  assert.equal(r.status, 303, r.text.slice(0, 400));
  const m = /^\/huishoudens\/(\d+)$/.exec(locPath(r.res));
  assert.ok(m, `redirect to ${locPath(r.res)}`);
  created = Number(m[1]);
  const o = await json(gen, `/huishoudens/${created}`);
  assert.equal(o.household.name, 'Huishouden Van der Berg');
  assert.equal(o.household.team, 'Wijkteam Centrum');
  assert.equal(o.household.buurt, 'Binnenstad');
  assert.equal(o.household.address, 'Lindelaan 21 B, 8011 AB Kantelstad');
  assert.equal(o.coordinator.who, 'Fatima El Amrani');
  assert.equal(o.coordinator.reason, 'Aangemaakt');
  assert.equal(o.access.code, 'coordinator');
  assert.equal(o.members.length, 1);
  const a = o.members[0];
  assert.equal(a.name, 'Anna van der Berg');
  assert.equal(a.relation_code, 'hoofdbewoner');
  assert.equal(a.bsn, `******${BSN_ANNA.slice(6)}`);
  assert.equal(a.birth_date, '2 april 1988');
  assert.ok(a.age >= 37 && a.age <= 40, `age ${a.age}`);
  // stored sealed with a lookup hash, never in clear
  assert.equal(sql(`SELECT count(*) FROM person WHERE ${blobText('bsn_sealed')} LIKE '%${BSN_ANNA}%'`), '0');
  const ev = await auditEvent('household.create', (e) => e.object_id === String(created));
  assert.equal(ev.actor, 'generalist');
  assert.ok(!JSON.stringify(ev).includes('Berg'), 'no names in the audit event');
});

await t.test('duplicate BSN: clear message, with a link only when the user may see that household', async () => {
  const before = sql('SELECT count(*) FROM household');
  const r = await post(gen, '/huishoudens', newForm({ bsn: BSN_SANNE }), { asJson: true });
  assert.equal(r.status, 400);
  assert.match(r.model.field_errors.bsn, /al een inwoner met dit BSN/);
  assert.equal(r.model.duplicate_href, '/huishoudens/1');
  const h = await post(gen, '/huishoudens', newForm({ bsn: BSN_SANNE }));
  assert.match(h.text, /<a class="utrecht-link" href="\/huishoudens\/1">Bekijk het huishouden van deze inwoner<\/a>/);
  const other = await post(gen, '/huishoudens', newForm({ bsn: BSN_HENK }), { asJson: true });
  assert.equal(other.status, 400);
  assert.match(other.model.field_errors.bsn, /al een inwoner met dit BSN/);
  assert.equal(other.model.duplicate_href, undefined);
  const oh = await post(gen, '/huishoudens', newForm({ bsn: BSN_HENK }));
  assert.ok(!oh.text.includes('/huishoudens/4'), 'no link to a household outside need-to-know');
  assert.equal(sql('SELECT count(*) FROM household'), before);
});

// ---------------------------------------------------------------- search

await t.test('search by BSN (any notation), name prefix, postcode and birth date', async () => {
  const spaced = BSN_SANNE.replace(/(\d{3})(\d{3})(\d{3})/, '$1 $2 $3');
  assert.deepEqual(ids((await json(gen, `/huishoudens?bsn=${BSN_SANNE}`)).households), [1]);
  assert.deepEqual(ids((await json(gen, `/huishoudens?bsn=${encodeURIComponent(spaced)}`)).households), [1]);
  assert.deepEqual(ids((await json(gen, '/huishoudens?zoek=vri')).households), [1]);
  assert.deepEqual(ids((await json(gen, '/huishoudens?zoek=LARS')).households), [1]);
  assert.deepEqual(ids((await json(gen, '/huishoudens?zoek=van%20der%20b')).households), [created]);
  assert.deepEqual(ids((await json(gen, '/huishoudens?zoek=bak')).households), [2]);
  assert.deepEqual(ids((await json(gen, '/huishoudens?postcode=8011%20ab')).households), [1, created]);
  assert.deepEqual(ids((await json(gen, '/huishoudens?geboortedatum=1951-11-02')).households), [2]);
  assert.deepEqual(ids((await json(gen, '/huishoudens?zoek=kees&postcode=8011CD')).households), [2]);
  assert.deepEqual(ids((await json(gen, '/huishoudens?zoek=kees&postcode=8011AB')).households), []);
  // LIKE wildcards are literal
  assert.deepEqual(ids((await json(gen, '/huishoudens?zoek=%25')).households), []);
  const page = await html(gen, '/huishoudens?zoek=vri');
  assert.match(page, /Huishouden De Vries/);
  assert.match(page, /Sanne de Vries, geboren 12 mei 1984/);
  assert.match(page, /Kerkstraat 12, 8011 AB Kantelstad/);
  assert.match(page, /Fatima El Amrani/);
  assert.match(page, /Wijkteam Centrum/);
  assert.match(page, /id="zoek"[^>]*value="vri"/);
});

await t.test('search never shows another team\'s households: same message, nothing else', async () => {
  for (const q of [`bsn=${BSN_HENK}`, 'zoek=jansen', 'zoek=%C3%B6zt', 'postcode=8021GH', 'geboortedatum=1967-01-21',
    `bsn=${testBsn(9000)}`]) {
    const m = await json(gen, `/huishoudens?${q}`);
    assert.deepEqual(m.households, [], q);
    assert.equal(m.empty_message, NOT_FOUND, q);
    const page = await html(gen, `/huishoudens?${q}`);
    assert.ok(page.includes(NOT_FOUND), q);
    assert.ok(!/Jansen|Öztürk|&#214;zt|\/huishoudens\/[456]\b/.test(page.replace(/Pieter Jansen/g, '')), q);
  }
  // the other team sees its own and not ours
  assert.deepEqual(ids((await json(gen2, '/huishoudens')).households), [4, 5, 6]);
  assert.deepEqual((await json(gen2, `/huishoudens?bsn=${BSN_SANNE}`)).households, []);
  // the team lead of Centrum sees the team's households
  assert.deepEqual(ids((await json(lead, '/huishoudens')).households), [1, 2, 3, created]);
});

await t.test('search with a bad BSN or postcode: 400, Dutch message on the field, value kept', async () => {
  let r = await gen.get('/huishoudens?bsn=123456789');
  let body = await r.text();
  assert.equal(r.status, 400);
  assert.match(body, /href="#bsn">BSN<\/a>/);
  assert.match(body, /id="bsn"[^>]*aria-invalid="true"[^>]*value="123456789"/);
  r = await gen.get('/huishoudens?postcode=12AB', { headers: JSON_ACCEPT });
  body = await r.json();
  assert.equal(r.status, 400);
  assert.match(body.field_errors.postcode, /postcode/i);
  assert.deepEqual(body.households, []);
  r = await gen.get('/huishoudens?geboortedatum=2026-02-30', { headers: JSON_ACCEPT });
  assert.equal(r.status, 400);
});

await t.test('search terms (BSN) stay out of the audit trail and the server output', async () => {
  await auditEvent('pd.read', (e) => e.object_type === '/huishoudens');
  const all = await json(admin, '/beheer/audit?actie=pd');
  const text = JSON.stringify(all);
  for (const b of [BSN_SANNE, BSN_HENK, BSN_ANNA]) assert.ok(!text.includes(b), `audit contains ${b}`);
  assert.ok(!text.includes('vri') || !/zoek=vri/.test(text));
  const out = server.output();
  for (const b of [BSN_SANNE, BSN_HENK]) assert.ok(!(out.stdout + out.stderr).includes(b), 'BSN in server output');
});

// ---------------------------------------------------------------- overview

await t.test('overview: facts, members with masked BSN and age, open requests and deadlines with flags, links', async () => {
  const soon = amsterdamDay(2);
  sql(`INSERT INTO request (gemeente, household_id, law, channel, question, received_on, status, created_at)
       SELECT gemeente, 1, 'wmo', 'telefoon', 'Hulp in huis', '2026-01-05', 'onderzoek', 0 FROM household WHERE id = 1;
       INSERT INTO request (gemeente, household_id, law, channel, question, received_on, status, created_at)
       SELECT gemeente, 1, 'jeugdwet', 'balie', 'Klaar', '2026-01-06', 'afgerond', 0 FROM household WHERE id = 1;
       INSERT INTO deadline (gemeente, household_id, kind, start_on, due_on, created_at)
       SELECT gemeente, 1, 'wmo_onderzoek', '2020-01-01', '2020-02-12', 0 FROM household WHERE id = 1;
       INSERT INTO deadline (gemeente, household_id, kind, start_on, due_on, created_at)
       SELECT gemeente, 1, 'wmo_persoonlijk_plan', '${soon}', '${soon}', 0 FROM household WHERE id = 1;
       INSERT INTO deadline (gemeente, household_id, kind, start_on, due_on, done_on, created_at)
       SELECT gemeente, 1, 'wmo_besluit', '2020-01-01', '2020-01-15', '2020-01-10', 0 FROM household WHERE id = 1;`);
  const o = await json(gen, '/huishoudens/1');
  assert.equal(o.household.name, 'Huishouden De Vries');
  assert.equal(o.household.team, 'Wijkteam Centrum');
  assert.deepEqual(o.members.map((m) => m.name), ['Sanne de Vries', 'Lars de Vries', 'Noor de Vries']);
  assert.equal(o.members[0].bsn, `******${BSN_SANNE.slice(6)}`);
  assert.ok(!JSON.stringify(o).includes(BSN_SANNE), 'full BSN in the overview model');
  assert.equal(o.members[1].relation, 'Kind');
  assert.equal(typeof o.members[1].age, 'number');
  assert.equal(o.requests.length, 1);
  assert.equal(o.requests[0].law, 'Wmo');
  assert.equal(o.requests[0].received_iso, '2026-01-05');
  assert.equal(o.deadlines.length, 2);
  const [late, near] = o.deadlines;
  assert.equal(late.overdue, true);
  assert.equal(late.soon, false);
  assert.equal(near.soon, true);
  assert.equal(near.overdue, false);
  assert.equal(near.due_iso, soon);
  assert.deepEqual(o.links, { request_new: '/huishoudens/1/meldingen/nieuw', assessments: '/huishoudens/1/metingen',
    plan: '/huishoudens/1/plan' });
  assert.equal(o.access.code, 'coordinator');
  assert.equal(o.show_break_glass, true);
  assert.equal(o.can_transfer, true);
  const page = await html(gen, '/huishoudens/1');
  // the overdue and due-soon deadlines are flagged in words (request_overview partial)
  assert.match(page, /kantel-flag--overdue">[^<]*te laat/i);
  assert.match(page, /kantel-flag--soon">[^<]+</);
  assert.match(page, /href="\/huishoudens\/1\/plan"/);
  assert.match(page, /Toegang buiten het team/);
  assert.match(page, /U bent de regisseur van dit huishouden\./);
  const viaTeam = await json(lead, '/huishoudens/1');
  assert.equal(viaTeam.access.code, 'team');
  await json(gen, '/huishoudens/999999', 404);
});

// ---------------------------------------------------------------- members

await t.test('add member: errors re-show the overview with the values kept', async () => {
  const r = await post(gen, `/huishoudens/${created}/leden`, { relatie: '', voornamen: 'Mees', achternaam: 'Berg',
    tussenvoegsel: 'van der', bsn: '111222334', geboortedatum: '2015-06-01', geslacht: 'man', telefoon: '', email: '' });
  assert.equal(r.status, 400);
  assert.match(r.text, /Het gezinslid is niet toegevoegd/);
  assert.match(r.text, /href="#lid-relatie">Relatie<\/a>/);
  assert.match(r.text, /href="#lid-bsn">BSN<\/a>/);
  assert.match(r.text, /id="lid-voornamen"[^>]*value="Mees"/);
  assert.match(r.text, /id="lid-bsn"[^>]*aria-invalid="true"[^>]*value="111222334"/);
  assert.match(r.text, /<option value="man" selected>/);
  const j = await post(gen, `/huishoudens/${created}/leden`, { relatie: 'neef', voornamen: 'X', achternaam: 'Y' },
    { asJson: true });
  assert.equal(j.status, 400);
  assert.match(j.model.field_errors.relatie, /relatie/i);
  assert.equal(j.model.member_form.voornamen, 'X');
  assert.equal((await json(gen, `/huishoudens/${created}`)).members.length, 1);
});

await t.test('add member: created with relation; a person known by BSN is linked, not duplicated', async () => {
  let r = await post(gen, `/huishoudens/${created}/leden`, { relatie: 'kind', voornamen: 'Mees', tussenvoegsel: 'van der',
    achternaam: 'Berg', bsn: BSN_KID, geboortedatum: '2015-06-01', geslacht: 'man' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(locPath(r.res), `/huishoudens/${created}`);
  const persons = sql('SELECT count(*) FROM person');
  r = await post(gen, `/huishoudens/${created}/leden`, { relatie: 'overig', voornamen: 'Sanne', tussenvoegsel: 'de',
    achternaam: 'Vries', bsn: BSN_SANNE });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(sql('SELECT count(*) FROM person'), persons, 'a second person with the same BSN was created');
  const o = await json(gen, `/huishoudens/${created}`);
  const kid = o.members.find((m) => m.name === 'Mees van der Berg');
  assert.ok(kid);
  assert.equal(kid.relation, 'Kind');
  assert.equal(kid.bsn, `******${BSN_KID.slice(6)}`);
  const linked = o.members.find((m) => m.name === 'Sanne de Vries');
  assert.equal(linked.person_id, 1);
  assert.equal(o.members.length, 3);
  const again = await post(gen, `/huishoudens/${created}/leden`, { relatie: 'kind', voornamen: 'Mees',
    achternaam: 'Berg', bsn: BSN_KID }, { asJson: true });
  assert.equal(again.status, 400);
  assert.match(again.model.field_errors.bsn, /hoort al bij dit huishouden/);
  await auditEvent('household.member-add', (e) => e.object_id === String(created));
});

// ---------------------------------------------------------------- coordinator

async function history(client, id) {
  const o = await json(client, `/huishoudens/${id}`);
  return o.coordinator_history;
}

await t.test('transfer needs a caseworker and a reason of at least 10 characters', async () => {
  const o = await json(gen, `/huishoudens/${created}`);
  const options = o.transfer.groups.flatMap((g) => g.options);
  assert.equal(o.transfer.groups[0].label, 'Team van dit huishouden');
  assert.ok(options.some((x) => /Pieter Jansen, teamleider/.test(x.label)));
  assert.ok(options.some((x) => /Sem de Boer/.test(x.label)));
  assert.ok(!options.some((x) => /Fatima/.test(x.label)), 'the current coordinator is not offered');
  const leadId = options.find((x) => /Pieter Jansen/.test(x.label)).id;
  let r = await post(gen, `/huishoudens/${created}/regisseur`, { medewerker: String(leadId), reden: '' }, { asJson: true });
  assert.equal(r.status, 400);
  assert.ok(r.model.field_errors.reden);
  r = await post(gen, `/huishoudens/${created}/regisseur`, { medewerker: String(leadId), reden: 'te kort' });
  assert.equal(r.status, 400);
  assert.match(r.text, /minstens 10 tekens/);
  assert.match(r.text, /te kort<\/textarea>/);
  r = await post(gen, `/huishoudens/${created}/regisseur`, { medewerker: '1', reden: 'Naar de bewoner zelf overdragen' },
    { asJson: true }); // account 1 is the resident "inwoner"
  assert.equal(r.status, 400);
  assert.match(r.model.field_errors.medewerker, /Kies een medewerker/);
  assert.equal((await history(gen, created)).length, 1);
});

await t.test('transfer: history kept, exactly one coordinator; only coordinator or team lead may transfer (403)', async () => {
  const o = await json(gen, `/huishoudens/${created}`);
  const options = o.transfer.groups.flatMap((g) => g.options);
  const leadId = options.find((x) => /Pieter Jansen/.test(x.label)).id;
  const gen2Id = options.find((x) => /Sem de Boer/.test(x.label)).id;
  const genId = o.coordinator.account_id;
  let r = await post(gen, `/huishoudens/${created}/regisseur`, { medewerker: String(leadId),
    reden: 'Complexe situatie, teamleider neemt het over' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  // the former coordinator is a team member, neither coordinator nor team lead now
  const mo = await json(gen, `/huishoudens/${created}`);
  assert.equal(mo.can_transfer, false);
  assert.equal(mo.access.code, 'team');
  r = await post(gen, `/huishoudens/${created}/regisseur`, { medewerker: String(genId), reden: 'Ik wil het terug hebben' });
  assert.equal(r.status, 403);
  assert.match(r.text, /Alleen de regisseur van dit huishouden of een teamleider/);
  // the team lead hands it to another team's generalist, then (still team lead of the household's team) back
  r = await post(lead, `/huishoudens/${created}/regisseur`, { medewerker: String(gen2Id), reden: 'Gezin verhuist binnenkort naar Noord' });
  assert.equal(r.status, 303);
  const viaCoord = await json(gen2, `/huishoudens/${created}`);
  assert.equal(viaCoord.access.code, 'coordinator');
  r = await post(lead, `/huishoudens/${created}/regisseur`, { medewerker: String(genId), reden: 'Verhuizing gaat toch niet door' });
  assert.equal(r.status, 303);
  const h = await history(gen, created);
  assert.equal(h.length, 4);
  assert.equal(h.filter((x) => x.current).length, 1);
  assert.equal(h[0].who, 'Fatima El Amrani');
  assert.equal(h[0].reason, 'Verhuizing gaat toch niet door');
  assert.equal(h[0].by, 'Pieter Jansen');
  assert.deepEqual(h.map((x) => x.reason).slice(1),
    ['Gezin verhuist binnenkort naar Noord', 'Complexe situatie, teamleider neemt het over', 'Aangemaakt']);
  assert.ok(h.slice(1).every((x) => x.until !== ''));
  assert.equal(sql(`SELECT count(*) FROM coordinator WHERE household_id = ${created} AND end_at IS NULL`), '1');
  const ev = await auditEvent('household.coordinator-transfer',
    (e) => e.object_id === String(created) && e.detail === `from ${leadId} to ${gen2Id}`);
  assert.equal(ev.actor, 'teamleider');
  await auditEvent('authz.denied', (e) => e.object_id === String(created) && e.actor === 'generalist');
});

// ---------------------------------------------------------------- IDOR, break-the-glass

await t.test('IDOR: another team\'s generalist gets 403 on household 1 (all routes), audited', async () => {
  const page = await html(gen2, '/huishoudens/1', 403);
  assert.match(page, /Geen toegang tot dit huishouden/);
  assert.ok(!page.includes('Sanne'), 'no personal data on the refusal page');
  const j = await gen2.get('/huishoudens/1', { headers: JSON_ACCEPT });
  assert.equal(j.status, 403);
  assert.ok(!(await j.text()).includes('Vries'));
  let r = await post(gen2, '/huishoudens/1/leden', { relatie: 'kind', voornamen: 'Indringer', achternaam: 'Test' });
  assert.equal(r.status, 403);
  r = await post(gen2, '/huishoudens/1/regisseur', { medewerker: '9', reden: 'Ik neem dit gezin over' });
  assert.equal(r.status, 403);
  assert.equal(sql("SELECT count(*) FROM person WHERE given_names = 'Indringer'"), '0');
  assert.equal(sql('SELECT count(*) FROM coordinator WHERE household_id = 1'), '1');
  const ev = await auditEvent('authz.denied', (e) => e.object_id === '1' && e.actor === 'generalist2');
  assert.equal(ev.result, 'denied');
});

await t.test('break-the-glass with a reason gives access; the coordinator sees who, when and why', async () => {
  let r = await post(gen2, '/huishoudens/1/doorbreken', { reden: 'kort' });
  assert.equal(r.status, 400);
  r = await post(gen2, '/huishoudens/1/doorbreken', { reden: 'Crisismelding buiten kantoortijd, regisseur onbereikbaar' });
  assert.equal(r.status, 303);
  assert.equal(locPath(r.res), '/huishoudens/1');
  const o = await json(gen2, '/huishoudens/1');
  assert.equal(o.access.code, 'break-glass');
  assert.equal(o.show_break_glass, false);
  assert.equal(o.break_glass, undefined);
  assert.equal(o.can_transfer, false);
  // still not listed or found by search for them
  assert.ok(!ids((await json(gen2, '/huishoudens')).households).includes(1));
  const c = await json(gen, '/huishoudens/1');
  assert.equal(c.break_glass.length, 1);
  assert.equal(c.break_glass[0].who, 'Sem de Boer');
  assert.equal(c.break_glass[0].reason, 'Crisismelding buiten kantoortijd, regisseur onbereikbaar');
  assert.equal(c.break_glass[0].active, true);
  const page = await html(gen, '/huishoudens/1');
  assert.match(page, /Sem de Boer/);
  assert.match(page, /Crisismelding buiten kantoortijd/);
});

// ---------------------------------------------------------------- caseload

await t.test('caseload: generalist sees own households with request and deadline counts', async () => {
  const m = await json(gen, '/caseload');
  assert.equal(m.is_teamlead, false);
  assert.equal(m.team, undefined);
  assert.deepEqual(ids(m.mine), [1, 2, 3, created]);
  const one = m.mine.find((h) => h.id === 1);
  assert.equal(one.open_requests, 1);
  assert.equal(one.overdue, 1);
  assert.equal(one.due_soon, 1);
  assert.equal(m.mine.find((h) => h.id === 2).overdue, 0);
  const g2 = await json(gen2, '/caseload');
  assert.deepEqual(ids(g2.mine), [4, 5, 6]);
});

await t.test('caseload: team lead sees per caseworker of the own team and households without coordinator', async () => {
  sql(`INSERT INTO household (gemeente, name, team_id, status, created_at)
       SELECT gemeente, 'Huishouden Zonder Regie', team_id, 'open', 0 FROM household WHERE id = 1;
       INSERT INTO household (gemeente, name, team_id, status, created_at)
       SELECT gemeente, 'Huishouden Noord Zonder Regie', team_id, 'open', 0 FROM household WHERE id = 4;`);
  const m = await json(lead, '/caseload');
  assert.equal(m.is_teamlead, true);
  assert.equal(m.team.name, 'Wijkteam Centrum');
  const byName = Object.fromEntries(m.team.workers.map((w) => [w.name, w]));
  assert.deepEqual(Object.keys(byName).sort(), ['Fatima El Amrani', 'Pieter Jansen']);
  assert.equal(byName['Fatima El Amrani'].households, 4);
  assert.equal(byName['Fatima El Amrani'].open_requests, 1);
  assert.equal(byName['Fatima El Amrani'].overdue, 1);
  assert.equal(byName['Pieter Jansen'].households, 0);
  assert.deepEqual(m.team.unassigned.map((h) => h.name), ['Huishouden Zonder Regie']);
  const page = await html(lead, '/caseload');
  assert.match(page, /Huishoudens zonder regisseur/);
  assert.ok(!page.includes('Noord Zonder Regie'));
  assert.ok(!page.includes('Sem de Boer'));
});

await t.test('tear-down: server stops cleanly', async () => {
  assert.equal(await server.stop(), 0);
  fs.rmSync(dir, { recursive: true, force: true });
});

t.done();
