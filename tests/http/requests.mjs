// tests/http/requests.mjs - requests (meldingen) and legal deadlines over
// HTTP against a real `kantel serve` on a demo database: creating a request
// per law with due dates computed here independently (weeks, days, working
// days, Dutch holidays and the Algemene termijnenwet), validation that keeps
// what was typed, ids of other households (IDOR), status transitions,
// marking deadlines met, the /termijnen groups, team scoping, per-municipality
// settings and the JSON models.
//
//   KANTEL_BIN=build/kantel node tests/http/requests.mjs
//
// Demo households 1-3 are in Wijkteam Centrum (coordinator generalist),
// 4-5 in Wijkteam Noord and 6 in Wijkteam Oost (coordinator generalist2).
// Each account signs in once.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { suite } from '../lib/harness.mjs';
import { Client, runDemo, sql as sqlOn, startServer } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const PASSWORD = 'Kantel-demo-2026!';
const SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';
const JSON_HDR = { headers: { Accept: 'application/json' } };

const t = suite('http: requests and deadlines');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-requests-'));

// ------------------------------------------------------------ calendar (independent)

const DAY = 86_400_000;
const toDay = (iso) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY;
const toIso = (d) => new Date(d * DAY).toISOString().slice(0, 10);
const weekday = (d) => ((new Date(d * DAY).getUTCDay() + 6) % 7) + 1; // 1 = Monday

/** Easter Sunday after Oudin (Explanatory Supplement), as a day number. */
function easter(y) {
  const c = Math.floor(y / 100), n = y - 19 * Math.floor(y / 19), k = Math.floor((c - 17) / 25);
  let i = c - Math.floor(c / 4) - Math.floor((c - k) / 3) + 19 * n + 15;
  i -= 30 * Math.floor(i / 30);
  i -= Math.floor(i / 28) * (1 - Math.floor(i / 28) * Math.floor(29 / (i + 1)) * Math.floor((21 - n) / 11));
  let j = y + Math.floor(y / 4) + i + 2 - c + Math.floor(c / 4);
  j -= 7 * Math.floor(j / 7);
  const l = i - j, m = 3 + Math.floor((l + 40) / 44), d = l + 28 - 31 * Math.floor(m / 4);
  return Date.UTC(y, m - 1, d) / DAY;
}

/** The holidays of the Algemene termijnenwet art. 3 in year y (5 May every year). */
function atwHolidays(y) {
  const e = easter(y);
  const king = Date.UTC(y, 3, 27) / DAY;
  return new Set([Date.UTC(y, 0, 1) / DAY, e - 2, e + 1, weekday(king) === 7 ? king - 1 : king,
    Date.UTC(y, 4, 5) / DAY, e + 39, e + 50, Date.UTC(y, 11, 25) / DAY, Date.UTC(y, 11, 26) / DAY]);
}
const atwFree = (d) => weekday(d) >= 6 || atwHolidays(new Date(d * DAY).getUTCFullYear()).has(d);

/** Last day of a statutory term of `days` calendar days from start, extended
 *  per Atw art. 1 (not on a free day) and art. 2 (two non-free days). */
function statutory(startIso, days) {
  const start = toDay(startIso);
  let due = start + days;
  const count = () => { let n = 0; for (let d = start + 1; d <= due; d++) n += !atwFree(d); return n; };
  while (atwFree(due) || (days >= 3 && count() < 2)) due++;
  return toIso(due);
}
const plain = (startIso, days) => toIso(toDay(startIso) + days);

/** Working days (Mon-Fri, municipality holidays incl. 5 May when `bevrijding`). */
function addWorkingDays(startIso, n, bevrijding) {
  let d = toDay(startIso);
  const free = (x) => {
    const y = new Date(x * DAY).getUTCFullYear(), e = easter(y);
    const king = Date.UTC(y, 3, 27) / DAY;
    const hol = new Set([Date.UTC(y, 0, 1) / DAY, e - 2, e + 1, weekday(king) === 7 ? king - 1 : king, e + 39, e + 50,
      Date.UTC(y, 11, 25) / DAY, Date.UTC(y, 11, 26) / DAY]);
    if (bevrijding) hol.add(Date.UTC(y, 4, 5) / DAY);
    return weekday(x) >= 6 || hol.has(x);
  };
  while (n > 0) { d++; if (!free(d)) n--; }
  return toIso(d);
}

/** Today in Europe/Amsterdam as YYYY-MM-DD. */
const todayAms = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
const shift = (iso, n) => toIso(toDay(iso) + n);

// ------------------------------------------------------------ helpers

const locPath = (res) => {
  const loc = res.headers.get('location');
  return loc === null ? null : new URL(loc, 'http://x/').pathname + new URL(loc, 'http://x/').search;
};

/** One SQL statement on the test database (SQLite or PostgreSQL, see tests/lib/kantel.mjs). */
const sql = (statement) => sqlOn(dir, statement);

async function getJson(c, p) {
  const res = await c.get(p, JSON_HDR);
  const body = await res.text();
  assert.equal(res.status, 200, `GET ${p}: ${res.status} ${body.slice(0, 200)}`);
  return JSON.parse(body);
}

/** The CSRF token of a session (from the request form of household hid). */
async function csrfOf(c, hid) {
  const f = await c.form(`/huishoudens/${hid}/meldingen/nieuw`);
  assert.equal(f.res.status, 200, `GET form of household ${hid}`);
  assert.ok(f.csrf);
  return f.csrf;
}

/** POSTs a new request; returns the response. */
async function create(c, csrf, hid, fields, opts) {
  return c.post(`/huishoudens/${hid}/meldingen`, { csrf, kanaal: 'telefoon', vraag: 'Ik red het niet meer alleen.', ...fields }, opts);
}

/** Open deadlines of household hid that started on `start`, from /termijnen?team=1. */
async function deadlinesOf(c, hid, start) {
  const m = await getJson(c, '/termijnen?team=1');
  return m.groups.flatMap((g) => g.items).filter((d) => d.household_id === hid && d.start_on === start);
}
const byKind = (list) => Object.fromEntries(list.map((d) => [d.kind, d]));

// ------------------------------------------------------------ set-up

let server;
const gen = { c: null, csrf: null }, lead = { c: null }, gen2 = { c: null, csrf: null };
let created = 0; // requests created successfully (for the audit check)

await t.test('set-up: demo database, server, three caseworkers signed in', async () => {
  await runDemo(BIN, dir, ['--no-stages']); // households without requests, assessments or plans
  server = await startServer({ bin: BIN, dir });
  gen.c = new Client(server.url);
  lead.c = new Client(server.url);
  gen2.c = new Client(server.url);
  await gen.c.login('generalist', PASSWORD, SECRET);
  await lead.c.login('teamleider', PASSWORD, SECRET);
  await gen2.c.login('generalist2', PASSWORD, SECRET);
  gen.csrf = await csrfOf(gen.c, 1);
  gen2.csrf = await csrfOf(gen2.c, 4);
});

// ------------------------------------------------------------ the form

await t.test('request form: members of the household, laws, channels, today as default (JSON model)', async () => {
  const m = await getJson(gen.c, '/huishoudens/1/meldingen/nieuw');
  assert.equal(m.household.id, 1);
  assert.deepEqual(m.members.map((p) => p.name), ['Sanne de Vries', 'Lars de Vries', 'Noor de Vries']);
  assert.equal(m.members[0].selected, true, 'hoofdbewoner preselected');
  assert.equal(typeof m.members[0].age, 'number');
  assert.deepEqual(m.laws.map((l) => l.code), ['wmo', 'jeugdwet', 'participatiewet', 'onbekend']);
  assert.equal(m.laws.find((l) => l.code === 'onbekend').label, 'Nog niet bekend');
  assert.deepEqual(m.channels.map((l) => l.code), ['telefoon', 'balie', 'email', 'brief', 'portaal', 'verwijzing', 'wijkteam']);
  assert.equal(m.form.ontvangen, todayAms());
  assert.equal(m.today, todayAms());
  assert.equal(m.terms.wmo_onderzoek, '6 weken');
  assert.equal(m.terms.wmo_persoonlijk_plan, '7 dagen');
  assert.equal(m.terms.pw_zoektermijn, '4 weken');
  const html = await (await gen.c.get('/huishoudens/1/meldingen/nieuw')).text();
  assert.match(html, /<textarea[^>]*name="vraag"/);
  assert.match(html, /type="date"[^>]*max="\d{4}-\d\d-\d\d"/);
  assert.match(html, /loopt vanaf de melding/);
});

// ------------------------------------------------------------ due dates per law

await t.test('Wmo with persoonlijk plan, received Mon 23 March 2026: onderzoek 4 May, plan 30 March', async () => {
  const res = await create(gen.c, gen.csrf, 1, { persoon: '1', wet: 'wmo', ontvangen: '2026-03-23', persoonlijk_plan: '1' });
  assert.equal(res.status, 303, await res.text());
  assert.equal(locPath(res), '/huishoudens/1');
  created++;
  const d = byKind(await deadlinesOf(gen.c, 1, '2026-03-23'));
  assert.deepEqual(Object.keys(d).sort(), ['wmo_onderzoek', 'wmo_persoonlijk_plan']);
  assert.equal(d.wmo_onderzoek.due_on, statutory('2026-03-23', 42));
  assert.equal(d.wmo_onderzoek.due_on, '2026-05-04');
  assert.equal(d.wmo_persoonlijk_plan.due_on, statutory('2026-03-23', 7));
  assert.equal(d.wmo_persoonlijk_plan.due_on, '2026-03-30');
  assert.equal(d.wmo_onderzoek.due_nl, 'maandag 4 mei 2026');
  assert.equal(d.wmo_onderzoek.law, 'wmo');
  assert.equal(d.wmo_onderzoek.household_name, 'Huishouden De Vries');
});

await t.test('Wmo ending on a holiday moves to the next working day (Tweede Pinksterdag, Koningsdag)', async () => {
  for (const [start, naive, want] of [['2026-04-13', '2026-05-25', '2026-05-26'], ['2026-03-16', '2026-04-27', '2026-04-28']]) {
    assert.equal(plain(start, 42), naive);
    assert.equal(statutory(start, 42), want, 'independent calculation');
    const res = await create(gen.c, gen.csrf, 1, { persoon: '2', wet: 'wmo', ontvangen: start, kanaal: 'email' });
    assert.equal(res.status, 303);
    created++;
    const d = byKind(await deadlinesOf(gen.c, 1, start));
    assert.deepEqual(Object.keys(d), ['wmo_onderzoek'], 'no persoonlijk plan unless chosen');
    assert.equal(d.wmo_onderzoek.due_on, want);
  }
});

await t.test('Jeugdwet: besluit within 8 weeks', async () => {
  const start = '2026-03-24';
  const res = await create(gen.c, gen.csrf, 1, { persoon: '3', wet: 'jeugdwet', ontvangen: start, kanaal: 'verwijzing' });
  assert.equal(res.status, 303);
  created++;
  const d = byKind(await deadlinesOf(gen.c, 1, start));
  assert.deepEqual(Object.keys(d), ['jeugd_besluit']);
  assert.equal(d.jeugd_besluit.due_on, statutory(start, 56));
  assert.equal(d.jeugd_besluit.due_on, '2026-05-19');
  assert.equal(d.jeugd_besluit.law_label, 'Jeugdwet');
});

await t.test('Participatiewet for an under-27 applying for bijstand: besluit 8 weeks and zoektermijn 4 weeks', async () => {
  const start = '2026-03-25';
  const csrf = gen.csrf;
  const res = await create(gen.c, csrf, 3, { persoon: '6', wet: 'participatiewet', ontvangen: start, jonger_dan_27: '1', kanaal: 'balie' });
  assert.equal(res.status, 303, await res.text());
  assert.equal(locPath(res), '/huishoudens/3');
  created++;
  const d = byKind(await deadlinesOf(gen.c, 3, start));
  assert.deepEqual(Object.keys(d).sort(), ['pw_besluit', 'pw_zoektermijn']);
  assert.equal(d.pw_besluit.due_on, statutory(start, 56));
  assert.equal(d.pw_besluit.due_on, '2026-05-20');
  assert.equal(d.pw_zoektermijn.due_on, plain(start, 28), 'a waiting period is not extended');
  assert.equal(d.pw_zoektermijn.due_on, '2026-04-22');
});

await t.test('law not yet known: the Wmo onderzoek term runs from the melding', async () => {
  const start = '2026-03-26';
  const res = await create(gen.c, gen.csrf, 1, { persoon: '1', wet: 'onbekend', ontvangen: start, kanaal: 'wijkteam' });
  assert.equal(res.status, 303);
  created++;
  const d = byKind(await deadlinesOf(gen.c, 1, start));
  assert.deepEqual(Object.keys(d), ['wmo_onderzoek']);
  assert.equal(d.wmo_onderzoek.due_on, statutory(start, 42));
  assert.equal(d.wmo_onderzoek.law_label, 'Nog niet bekend');
});

// ------------------------------------------------------------ validation

await t.test('a received date in the future is refused and everything typed is kept', async () => {
  const tomorrow = shift(todayAms(), 1);
  const res = await create(gen.c, gen.csrf, 1, { persoon: '2', wet: 'wmo', ontvangen: tomorrow, persoonlijk_plan: '1', vraag: 'Hulp bij <het> huishouden' });
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.match(html, /role="alert"/);
  assert.match(html, /kan niet in de toekomst liggen/);
  assert.match(html, /<a class="utrecht-link" href="#ontvangen">/);
  assert.match(html, new RegExp(`id="ontvangen"[^>]*aria-invalid="true"[^>]*value="${tomorrow}"`));
  assert.match(html, />Hulp bij &lt;het&gt; huishouden<\/textarea>/);
  assert.match(html, /id="wet-wmo"[^>]*checked/);
  assert.match(html, /<option value="2" selected>/);
  assert.match(html, /id="persoonlijk_plan"[^>]*checked/);
  assert.equal((await deadlinesOf(gen.c, 1, tomorrow)).length, 0, 'nothing written');
});

await t.test('an empty question keeps the other fields (HTML and JSON)', async () => {
  const fields = { persoon: '3', wet: 'jeugdwet', ontvangen: '2026-02-02', kanaal: 'brief', vraag: '   ' };
  const res = await create(gen.c, gen.csrf, 1, fields);
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.match(html, /href="#vraag"/);
  assert.match(html, /Schrijf de vraag op zoals de inwoner die stelt/);
  assert.match(html, /id="vraag"[^>]*aria-invalid="true"/);
  assert.match(html, /id="wet-jeugdwet"[^>]*checked/);
  assert.match(html, /<option value="brief" selected>/);
  assert.match(html, /<option value="3" selected>/);
  assert.match(html, /value="2026-02-02"/);
  const j = await create(gen.c, gen.csrf, 1, fields, JSON_HDR);
  assert.equal(j.status, 400);
  const m = await j.json();
  assert.deepEqual(Object.keys(m.field_errors), ['vraag']);
  assert.equal(m.form.ontvangen, '2026-02-02');
  assert.equal(m.laws.find((l) => l.selected).code, 'jeugdwet');
  assert.equal(m.channels.find((l) => l.selected).code, 'brief');
  assert.equal(m.members.find((p) => p.selected).id, 3);
  assert.equal((await deadlinesOf(gen.c, 1, '2026-02-02')).length, 0);
});

await t.test('missing law and channel, and options that do not fit the law, are field errors', async () => {
  let res = await gen.c.post('/huishoudens/1/meldingen', { csrf: gen.csrf, persoon: '1', vraag: 'x', ontvangen: '2026-02-03' }, JSON_HDR);
  assert.equal(res.status, 400);
  let m = await res.json();
  assert.deepEqual(Object.keys(m.field_errors).sort(), ['kanaal', 'wet']);
  res = await create(gen.c, gen.csrf, 1, { persoon: '1', wet: 'jeugdwet', ontvangen: '2026-02-03', persoonlijk_plan: '1', jonger_dan_27: '1' }, JSON_HDR);
  m = await res.json();
  assert.equal(res.status, 400);
  assert.deepEqual(Object.keys(m.field_errors).sort(), ['jonger_dan_27', 'persoonlijk_plan']);
  res = await create(gen.c, gen.csrf, 1, { persoon: '1', wet: 'kinderbijslag', ontvangen: '2026-02-03', kanaal: 'fax' }, JSON_HDR);
  m = await res.json();
  assert.deepEqual(Object.keys(m.field_errors).sort(), ['kanaal', 'wet']);
  assert.equal((await deadlinesOf(gen.c, 1, '2026-02-03')).length, 0);
});

await t.test('zoektermijn refused for someone aged 27 or over on the day of the melding', async () => {
  // Sanne (person 1) was born in 1984.
  const res = await create(gen.c, gen.csrf, 1, { persoon: '1', wet: 'participatiewet', ontvangen: '2026-02-04', jonger_dan_27: '1' });
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.match(html, /href="#jonger_dan_27"/);
  assert.match(html, /geldt alleen onder de 27/);
  assert.match(html, /id="jonger_dan_27"[^>]*checked/);
  // The same melding without the option is fine: only the besluit term.
  const ok = await create(gen.c, gen.csrf, 1, { persoon: '1', wet: 'participatiewet', ontvangen: '2026-02-04' });
  assert.equal(ok.status, 303);
  created++;
  assert.deepEqual(Object.keys(byKind(await deadlinesOf(gen.c, 1, '2026-02-04'))), ['pw_besluit']);
});

// ------------------------------------------------------------ IDOR

await t.test('IDOR: a person of another household is refused with 404 and nothing is written', async () => {
  for (const pid of ['6', '7', '999999']) { // household 3 (same team), household 4 (other team), nobody
    const res = await create(gen.c, gen.csrf, 1, { persoon: pid, wet: 'wmo', ontvangen: '2026-02-05' });
    assert.equal(res.status, 404, `persoon ${pid}`);
    await res.arrayBuffer();
  }
  // Even when the rest of the form is wrong the foreign id is a 404.
  const res = await create(gen.c, gen.csrf, 1, { persoon: '6', wet: '', vraag: '', ontvangen: '2026-02-05' });
  assert.equal(res.status, 404);
  assert.equal((await deadlinesOf(gen.c, 1, '2026-02-05')).length, 0);
});

let ownReq, ownPlan, otherReq, otherDeadline, foreignTeamReq, foreignTeamDeadline;

await t.test('IDOR: a request or deadline id of another household is 404 on status and deadline routes', async () => {
  const own = byKind(await deadlinesOf(gen.c, 1, '2026-03-23'));
  ownReq = own.wmo_onderzoek.request_id;
  ownPlan = own.wmo_persoonlijk_plan.id;
  const other = byKind(await deadlinesOf(gen.c, 3, '2026-03-25'));
  otherReq = other.pw_besluit.request_id;
  otherDeadline = other.pw_zoektermijn.id;
  // generalist2 files a request in household 4 (Wijkteam Noord).
  const r = await create(gen2.c, gen2.csrf, 4, { persoon: '7', wet: 'wmo', ontvangen: '2026-03-27', persoonlijk_plan: '1' });
  assert.equal(r.status, 303);
  created++;
  const foreign = byKind(await deadlinesOf(gen2.c, 4, '2026-03-27'));
  foreignTeamReq = foreign.wmo_onderzoek.request_id;
  foreignTeamDeadline = foreign.wmo_persoonlijk_plan.id;

  for (const [p, body] of [
    [`/huishoudens/1/meldingen/${otherReq}/status`, { status: 'onderzoek' }],
    [`/huishoudens/1/meldingen/${foreignTeamReq}/status`, { status: 'ingetrokken' }],
    [`/huishoudens/1/meldingen/999999/status`, { status: 'onderzoek' }],
    [`/huishoudens/1/termijnen/${otherDeadline}/afgerond`, {}],
    [`/huishoudens/1/termijnen/${foreignTeamDeadline}/afgerond`, {}],
    [`/huishoudens/1/termijnen/999999/afgerond`, {}],
  ]) {
    const res = await gen.c.post(p, { csrf: gen.csrf, ...body });
    assert.equal(res.status, 404, p);
    await res.arrayBuffer();
  }
  // The household of another team itself: 403 (need-to-know).
  const res = await gen.c.post(`/huishoudens/4/termijnen/${foreignTeamDeadline}/afgerond`, { csrf: gen.csrf });
  assert.equal(res.status, 403);
  await res.arrayBuffer();
  // Nothing changed.
  assert.equal(byKind(await deadlinesOf(gen.c, 3, '2026-03-25')).pw_zoektermijn.id, otherDeadline);
  assert.equal(byKind(await deadlinesOf(gen2.c, 4, '2026-03-27')).wmo_persoonlijk_plan.id, foreignTeamDeadline);
});

// ------------------------------------------------------------ status and deadlines

await t.test('marking a deadline met removes it from the open list; again is harmless', async () => {
  let res = await gen.c.post(`/huishoudens/1/termijnen/${ownPlan}/afgerond`, { csrf: gen.csrf });
  assert.equal(res.status, 303);
  assert.equal(locPath(res), '/huishoudens/1');
  assert.deepEqual(Object.keys(byKind(await deadlinesOf(gen.c, 1, '2026-03-23'))), ['wmo_onderzoek']);
  res = await gen.c.post(`/huishoudens/1/termijnen/${ownPlan}/afgerond`, { csrf: gen.csrf, terug: 'termijnen' });
  assert.equal(res.status, 303);
  assert.equal(locPath(res), '/termijnen');
  res = await gen.c.post(`/huishoudens/1/termijnen/${ownPlan}/afgerond`, { csrf: gen.csrf, terug: 'https://evil.example/' });
  assert.equal(res.status, 303);
  assert.equal(locPath(res), '/huishoudens/1', 'terug picks from fixed targets, never a URL from the form');
});

await t.test('status moves forward, never back, and closing marks the open deadlines done', async () => {
  const post = (status, rid = ownReq) => gen.c.post(`/huishoudens/1/meldingen/${rid}/status`, { csrf: gen.csrf, status });
  let res = await post('onderzoek');
  assert.equal(res.status, 303);
  assert.equal(locPath(res), '/huishoudens/1');
  res = await post('nieuw');
  assert.equal(res.status, 409, 'back to nieuw');
  assert.match(await res.text(), /In onderzoek/);
  res = await post('onderzoek');
  assert.equal(res.status, 409, 'same status');
  await res.arrayBuffer();
  res = await post('kapot');
  assert.equal(res.status, 400);
  await res.arrayBuffer();
  res = await post('');
  assert.equal(res.status, 400);
  await res.arrayBuffer();
  assert.equal((await deadlinesOf(gen.c, 1, '2026-03-23')).length, 1, 'still open while in onderzoek');
  res = await post('plan');
  assert.equal(res.status, 303);
  res = await post('afgerond');
  assert.equal(res.status, 303);
  assert.equal((await deadlinesOf(gen.c, 1, '2026-03-23')).length, 0, 'closing ended its deadlines');
  res = await post('ingetrokken');
  assert.equal(res.status, 409, 'a closed request stays closed');
  assert.match(await res.text(), /al afgesloten/);
  const rows = sql(`SELECT kind, done_on, note FROM deadline WHERE request_id = ${ownReq} ORDER BY kind`).split('\n');
  assert.deepEqual(rows, [`wmo_onderzoek|${todayAms()}|melding afgesloten`, `wmo_persoonlijk_plan|${todayAms()}|`]);
  assert.notEqual(sql(`SELECT closed_at FROM request WHERE id = ${ownReq}`), '');
});

await t.test('withdrawing a new request closes it and its deadlines', async () => {
  const d = byKind(await deadlinesOf(gen.c, 1, '2026-03-24'));
  const res = await gen.c.post(`/huishoudens/1/meldingen/${d.jeugd_besluit.request_id}/status`, { csrf: gen.csrf, status: 'ingetrokken' });
  assert.equal(res.status, 303);
  assert.equal((await deadlinesOf(gen.c, 1, '2026-03-24')).length, 0);
});

// ------------------------------------------------------------ /termijnen

let expectSoonDue;

await t.test('/termijnen groups overdue, due soon (7 days) and later deadlines', async () => {
  const today = todayAms();
  const overdueStart = shift(today, -56); // 8 weeks ago: the Wmo onderzoek ended ~2 weeks ago
  const soonStart = shift(today, -40);    // due in ~2 days (or a little later over a weekend)
  for (const [hid, pid, wet, start] of [[2, '4', 'wmo', overdueStart], [2, '5', 'wmo', soonStart], [2, '4', 'jeugdwet', today]]) {
    const res = await create(gen.c, gen.csrf, hid, { persoon: pid, wet, ontvangen: start });
    assert.equal(res.status, 303, `${wet} ${start}`);
    created++;
  }
  expectSoonDue = statutory(soonStart, 42);
  const m = await getJson(gen.c, '/termijnen');
  assert.equal(m.team, false);
  assert.equal(m.soon_days, 7);
  assert.deepEqual(m.groups.map((g) => g.key), ['te_laat', 'binnenkort', 'later']);
  assert.deepEqual(m.groups.map((g) => g.title), ['Te laat', 'Binnenkort', 'Later']);
  const group = (key) => m.groups.find((g) => g.key === key).items.filter((d) => d.household_id === 2);
  const over = group('te_laat');
  assert.equal(over.length, 1);
  assert.equal(over[0].due_on, statutory(overdueStart, 42));
  assert.equal(over[0].overdue, true);
  const left = toDay(over[0].due_on) - toDay(today);
  assert.equal(over[0].days_left, left);
  assert.equal(over[0].days_text, left === -1 ? '1 dag te laat' : `${-left} dagen te laat`);
  const soonLeft = toDay(expectSoonDue) - toDay(today);
  assert.ok(soonLeft >= 0 && soonLeft <= 7, `test set-up: due in ${soonLeft} days`);
  const soon = group('binnenkort');
  assert.equal(soon.length, 1);
  assert.equal(soon[0].due_on, expectSoonDue);
  assert.equal(soon[0].soon, true);
  const later = group('later');
  assert.equal(later.length, 1);
  assert.equal(later[0].kind, 'jeugd_besluit');
  assert.equal(later[0].due_on, statutory(today, 56));
  // Every group is sorted by due date, and the whole list covers only households 1-3.
  for (const g of m.groups) {
    const dues = g.items.map((d) => d.due_on);
    assert.deepEqual(dues, [...dues].sort());
  }
  assert.ok(m.groups.flatMap((g) => g.items).every((d) => [1, 2, 3].includes(d.household_id)));
  // HTML: the overdue one is under "Te laat" and flagged.
  const html = await (await gen.c.get('/termijnen')).text();
  const section = html.slice(html.indexOf('id="groep-te_laat"'), html.indexOf('id="groep-binnenkort"'));
  assert.match(section, new RegExp(`data-deadline="${over[0].id}"[\\s\\S]*?<strong class="kantel-flag kantel-flag--overdue">${over[0].days_text}</strong>`));
  assert.match(section, /href="\/huishoudens\/2">Huishouden Bakker<\/a>/);
  assert.match(html, /komende 7 dagen/);
});

await t.test('another team\'s deadlines are never listed; team view for team lead and generalist', async () => {
  // generalist2 also files one in household 6 (Wijkteam Oost, generalist2 is its coordinator).
  const r = await create(gen2.c, gen2.csrf, 6, { persoon: '10', wet: 'wmo', ontvangen: '2026-03-30' });
  assert.equal(r.status, 303);
  created++;
  const ids = (m) => new Set(m.groups.flatMap((g) => g.items).map((d) => d.household_id));
  const genOwn = ids(await getJson(gen.c, '/termijnen'));
  const genTeam = await getJson(gen.c, '/termijnen?team=1');
  assert.equal(genTeam.team, true);
  assert.equal(genTeam.team_name, 'Wijkteam Centrum');
  assert.ok(![...genOwn].some((h) => h > 3) && ![...ids(genTeam)].some((h) => h > 3), 'no Noord/Oost households');
  const leadOwn = await getJson(lead.c, '/termijnen');
  assert.equal(leadOwn.count, 0, 'the team lead coordinates no household');
  const leadTeam = ids(await getJson(lead.c, '/termijnen?team=1'));
  assert.deepEqual([...leadTeam].sort(), [1, 2, 3]);
  const g2Own = ids(await getJson(gen2.c, '/termijnen'));
  assert.deepEqual([...g2Own].sort(), [4, 6], 'coordinator of 4 and 6');
  const g2Team = ids(await getJson(gen2.c, '/termijnen?team=1'));
  assert.deepEqual([...g2Team].sort(), [4], 'team Noord: household 6 is Oost');
  const html = await (await lead.c.get('/termijnen?team=1')).text();
  assert.match(html, /<th class="utrecht-table__header-cell" scope="col">Regisseur<\/th>/);
  assert.doesNotMatch(html, /Huishouden Jansen|Huishouden Öztürk/);
});

await t.test('/termijnen deadline item JSON model', async () => {
  const m = await getJson(gen.c, '/termijnen');
  const d = m.groups.find((g) => g.key === 'binnenkort').items.find((x) => x.due_on === expectSoonDue);
  for (const k of ['id', 'household_id', 'request_id', 'kind', 'label', 'law', 'law_label', 'start_on', 'due_on', 'due_nl',
    'days_left', 'days_text', 'state', 'overdue', 'soon', 'household_name', 'coordinator'])
    assert.ok(k in d, `item has ${k}`);
  assert.equal(d.state, 'binnenkort');
  assert.equal(d.label, 'Onderzoek Wmo afronden');
  assert.equal(d.coordinator, 'Fatima El Amrani');
  assert.equal(m.count, m.groups.reduce((n, g) => n + g.count, 0));
});

// ------------------------------------------------------------ per-municipality settings

await t.test('per-municipality settings: a term override and Bevrijdingsdag every year', async (tt) => {
  sql("INSERT INTO settings (gemeente, name, value) VALUES ('9999', 'deadline.wmo_persoonlijk_plan', '3wd'), ('9999', 'bevrijdingsdag', 'always'), ('9999', 'deadline.jeugd_besluit', 'kapot')");
  try {
    const m = await getJson(gen.c, '/huishoudens/1/meldingen/nieuw');
    assert.equal(m.terms.wmo_persoonlijk_plan, '3 werkdagen');
    assert.equal(m.terms.jeugd_besluit, '8 weken', 'a malformed setting falls back to the default');
    const start = '2026-05-01'; // Friday; 5 May 2026 counts only with 'always'
    const res = await create(gen.c, gen.csrf, 1, { persoon: '1', wet: 'wmo', ontvangen: start, persoonlijk_plan: '1' });
    assert.equal(res.status, 303);
    created++;
    const d = byKind(await deadlinesOf(gen.c, 1, start));
    assert.equal(d.wmo_persoonlijk_plan.due_on, addWorkingDays(start, 3, true));
    assert.equal(d.wmo_persoonlijk_plan.due_on, '2026-05-07');
    assert.equal(d.wmo_onderzoek.due_on, statutory(start, 42));
  } finally {
    sql("DELETE FROM settings WHERE gemeente = '9999' AND name IN ('deadline.wmo_persoonlijk_plan', 'bevrijdingsdag', 'deadline.jeugd_besluit')");
  }
});

// ------------------------------------------------------------ end

await t.test('server stops cleanly; the audit trail holds request.create, request.status, deadline.done and the IDOR refusals', async () => {
  const code = await server.stop();
  server = null;
  assert.equal(code, 0);
  assert.equal(Number(sql("SELECT count(*) FROM audit_event WHERE action = 'request.create'")), created);
  assert.equal(Number(sql("SELECT count(*) FROM request")), created);
  assert.ok(Number(sql("SELECT count(*) FROM audit_event WHERE action = 'request.status'")) >= 4);
  assert.equal(Number(sql("SELECT count(*) FROM audit_event WHERE action = 'deadline.done'")), 1);
  assert.ok(Number(sql("SELECT count(*) FROM audit_event WHERE action = 'authz.denied' AND object_type IN ('person', 'request', 'deadline')")) >= 9);
  assert.equal(sql("SELECT count(*) FROM audit_event WHERE action = 'request.create' AND detail LIKE '%Vries%'"), '0', 'no names in the audit detail');
});

if (server) await server.stop();
t.done();
