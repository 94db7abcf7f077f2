// tests/http/assess.mjs - assessments (metingen) over HTTP against a real
// `kantel serve` on a demo database: the ZRM and Positieve Gezondheid forms,
// recording, progress between two measurements (JSON model, SVG charts and
// the data table with the same numbers), validation that keeps what was
// typed, outdated measurements, and ids of other households (IDOR).
//
//   KANTEL_BIN=build/kantel node tests/http/assess.mjs
//
// Accounts signed in once each: generalist (coordinator of demo households
// 1-3), generalist2 (Wijkteam Noord, to learn a person id of household 4)
// and beheerder (to read the audit trail).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { suite } from '../lib/harness.mjs';
import { Client, runDemo, startServer } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const PASSWORD = 'Kantel-demo-2026!';
const SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';
const JSON_HDR = { headers: { Accept: 'application/json' } };

const t = suite('http: assessments');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-assess-'));
let server = null;

// ---------------------------------------------------------------- helpers

/** 'YYYY-MM-DD' shifted by n days (UTC arithmetic on a calendar date). */
function shift(iso, n) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

async function getJson(c, url, status = 200) {
  const res = await c.get(url, JSON_HDR);
  assert.equal(res.status, status, `GET ${url}: ${res.status}`);
  return res.json();
}

async function getHtml(c, url, status = 200) {
  const res = await c.get(url);
  const html = await res.text();
  assert.equal(res.status, status, `GET ${url}: ${res.status}: ${html.slice(0, 300)}`);
  return html;
}

/** Attributes of every <tag ...> in html. */
function tags(html, tag) {
  const out = [];
  for (const m of String(html).matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'gi'))) {
    const a = {};
    for (const x of m[0].matchAll(/([\w:-]+)(?:\s*=\s*"([^"]*)")?/g)) a[x[1].toLowerCase()] = decode(x[2] ?? '');
    out.push(a);
  }
  return out;
}

const radios = (html, name) => tags(html, 'input').filter((a) => a.type === 'radio' && a.name === name);
const checkedValue = (html, name) => radios(html, name).find((a) => 'checked' in a)?.value;
/** Decodes the entities the template escaper writes. */
const decode = (s) => s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot);/gi, (m, e) => {
  const l = e.toLowerCase();
  if (l === 'amp') return '&';
  if (l === 'lt') return '<';
  if (l === 'gt') return '>';
  if (l === 'quot') return '"';
  return String.fromCodePoint(l.startsWith('#x') ? parseInt(l.slice(2), 16) : parseInt(l.slice(1), 10));
});
const textOf = (s) => decode(s.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();

/** The rows of the table whose caption contains `caption`: [[cell text, ...], ...]. */
function tableRows(html, caption) {
  for (const m of html.matchAll(/<table\b[\s\S]*?<\/table>/g)) {
    const cap = /<caption[^>]*>([\s\S]*?)<\/caption>/.exec(m[0]);
    if (!cap || !textOf(cap[1]).includes(caption)) continue;
    const rows = [];
    for (const r of m[0].matchAll(/<tr\b[\s\S]*?<\/tr>/g)) {
      rows.push([...r[0].matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => textOf(c[1])));
    }
    return rows;
  }
  return null;
}

let gen, today, hh1Members, hh2Person, hh4Person, csrf;

async function post(fields) {
  return gen.post('/huishoudens/1/metingen', { csrf, ...fields });
}

// ---------------------------------------------------------------- run

try {
  await runDemo(BIN, dir, ['--no-stages']); // households without requests, assessments or plans
  server = await startServer({ bin: BIN, dir });
  gen = new Client(server.url);
  await gen.login('generalist', PASSWORD, SECRET);

  await t.test('overview without assessments lists the members and offers new assessments', async () => {
    const m = await getJson(gen, '/huishoudens/1/metingen');
    today = m.today;
    assert.match(today, /^\d{4}-\d{2}-\d{2}$/);
    hh1Members = m.members.map((x) => x.id);
    assert.ok(hh1Members.length >= 3, `household 1 has ${hh1Members.length} members`);
    assert.equal(m.selected.person_id, hh1Members[0], 'the first member is chosen by default');
    assert.equal(m.selected.instrument, 'zrm', 'ZRM is the default instrument');
    assert.equal(m.progress.count, 0);
    for (const x of m.members) assert.equal(x.count, 0);
    const html = await getHtml(gen, '/huishoudens/1/metingen');
    assert.match(html, /Nog geen metingen/);
    const hrefs = tags(html, 'a').map((a) => a.href);
    assert.ok(hrefs.includes(`/huishoudens/1/metingen/nieuw?persoon=${hh1Members[1]}&instrument=positieve_gezondheid`),
      'a link to a new Positieve Gezondheid assessment for the second member');
    assert.ok(!/<svg/.test(html), 'no chart without data');
  });

  await t.test('ZRM form: a fieldset per domain with level texts, "niet gescoord" by default, today as date', async () => {
    const url = `/huishoudens/1/metingen/nieuw?persoon=${hh1Members[0]}&instrument=zrm`;
    const res = await gen.get(url);
    const html = await res.text();
    assert.equal(res.status, 200);
    csrf = gen.csrfFrom(html);
    assert.ok(csrf, 'the form carries a CSRF token');
    assert.equal((html.match(/<fieldset\b/g) || []).length, 13, '13 life domains');
    assert.match(html, /<legend[^>]*>Financiën<\/legend>/);
    assert.deepEqual(radios(html, 'financien').map((a) => a.value), ['', '1', '2', '3', '4', '5']);
    assert.equal(checkedValue(html, 'financien'), '', '"niet gescoord" is checked by default');
    assert.match(html, /Beperkt zelfredzaam/);
    const m = await getJson(gen, url);
    const fin = m.instrument.domains.find((d) => d.code === 'financien');
    assert.ok(fin.options[2].description && textOf(html).includes(fin.options[2].description),
      'the level description of the domain is on the form');
    const date = tags(html, 'input').find((a) => a.name === 'datum');
    assert.equal(date.value, today);
    assert.equal(date.max, today, 'no future dates');
    assert.equal(date.min, shift(today, 0).replace(/^(\d{4})/, (y) => String(Number(y) - 1)), 'one year back at most');
  });

  await t.test('two ZRM assessments: progress says improved, same and worse per domain', async () => {
    const p = hh1Members[0];
    let res = await post({ persoon: p, instrument: 'zrm', datum: shift(today, -20), financien: '2', huisvesting: '3',
      sociaal_netwerk: '4', toelichting: 'Eerste gesprek aan de keukentafel.' });
    assert.equal(res.status, 303, await res.text());
    assert.equal(res.headers.get('location'), `/huishoudens/1/metingen?persoon=${p}&instrument=zrm&opgeslagen=1#voortgang`);
    res = await post({ persoon: p, instrument: 'zrm', datum: shift(today, -5), financien: '4', huisvesting: '3',
      sociaal_netwerk: '2', justitie: '5' });
    assert.equal(res.status, 303, await res.text());

    const m = await getJson(gen, `/huishoudens/1/metingen?persoon=${p}&instrument=zrm`);
    const pr = m.progress;
    assert.equal(pr.count, 2);
    assert.deepEqual(pr.columns.map((c) => c.date), [shift(today, -20), shift(today, -5)], 'oldest first');
    assert.equal(pr.change.improved, 1);
    assert.equal(pr.change.same, 1);
    assert.equal(pr.change.worse, 1);
    assert.equal(pr.change.compared, 3, 'justitie was scored once and is not compared');
    const byCode = Object.fromEntries(pr.change.domains.map((d) => [d.code, d]));
    assert.deepEqual([byCode.financien.previous, byCode.financien.current, byCode.financien.trend, byCode.financien.trend_nl],
      [2, 4, 'improved', 'vooruitgegaan']);
    assert.equal(byCode.huisvesting.trend, 'same');
    assert.equal(byCode.sociaal_netwerk.trend, 'worse');
    assert.equal(byCode.sociaal_netwerk.diff_text, '-2');
    assert.equal(pr.latest_outdated, false);
    assert.equal(pr.charts.length, 4, 'one chart per scored domain');
    const fin = pr.rows.find((r) => r.code === 'financien');
    assert.deepEqual(fin.cells.map((c) => c.value), [2, 4]);
    const just = pr.rows.find((r) => r.code === 'justitie');
    assert.deepEqual(just.cells.map((c) => c.value), [null, 5]);
    const mine = m.members.find((x) => x.id === p);
    assert.equal(mine.count, 2);
    assert.equal(mine.assessments[0].date, shift(today, -5), 'newest first');
    assert.equal(mine.assessments[0].by, 'Fatima El Amrani', 'the recording professional');
    assert.equal(mine.assessments[1].note, 'Eerste gesprek aan de keukentafel.');
  });

  await t.test('the page has an SVG chart with role="img" and a table with the same numbers', async () => {
    const p = hh1Members[0];
    const m = await getJson(gen, `/huishoudens/1/metingen?persoon=${p}&instrument=zrm`);
    const html = await getHtml(gen, `/huishoudens/1/metingen?persoon=${p}&instrument=zrm&opgeslagen=1`);
    const svgs = tags(html, 'svg');
    assert.equal(svgs.length, 4);
    for (const s of svgs) {
      assert.equal(s.role, 'img');
      assert.ok(s['aria-labelledby'], 'the chart is labelled by its title');
    }
    assert.match(html, /<title id="voortgang-financien-title">Financiën: score per meting<\/title>/);
    assert.match(html, /role="status"[\s\S]*De meting is opgeslagen/);
    const rows = tableRows(html, 'score per domein per meting');
    assert.ok(rows, 'the data table is there, with a caption');
    assert.equal(rows.length, 1 + 13, 'a header row and one row per domain');
    assert.equal(rows[0].length, 1 + m.progress.columns.length, 'one column per measurement');
    for (const r of m.progress.rows) {
      const row = rows.find((x) => x[0] === r.name);
      assert.ok(row, `a row for ${r.name}`);
      assert.deepEqual(row.slice(1), r.cells.map((c) => (c.value === null ? '–' : String(c.value))), `row ${r.name}`);
    }
    const change = tableRows(html, 'Verschil per domein');
    const fin = change.find((x) => x[0] === 'Financiën');
    assert.deepEqual(fin.slice(1), ['2', '4', '+2', 'vooruitgegaan'], 'the change is in words, not colour only');
  });

  await t.test('nothing scored: 400, the message, and date and note kept', async () => {
    const p = hh1Members[0];
    const res = await post({ persoon: p, instrument: 'zrm', datum: shift(today, -1), toelichting: 'Niets ingevuld', financien: '' });
    const html = await res.text();
    assert.equal(res.status, 400);
    assert.match(html, /role="alert"[\s\S]*Vul voor minstens één onderdeel een score in/);
    assert.equal(tags(html, 'input').find((a) => a.name === 'datum').value, shift(today, -1));
    assert.match(html, /<textarea[^>]*name="toelichting"[^>]*>Niets ingevuld<\/textarea>/);
    assert.equal(checkedValue(html, 'financien'), '');
  });

  await t.test('out-of-range score: 400 at the field, the other chosen radios kept', async () => {
    const p = hh1Members[0];
    const res = await post({ persoon: p, instrument: 'zrm', datum: today, financien: '9', huisvesting: '4', verslaving: '5' });
    const html = await res.text();
    assert.equal(res.status, 400);
    assert.match(html, /De score voor Financiën moet tussen 1 en 5 liggen/);
    assert.match(html, /href="#financien-geen"/, 'the summary links to the field');
    assert.equal(checkedValue(html, 'huisvesting'), '4');
    assert.equal(checkedValue(html, 'verslaving'), '5');
    assert.equal(checkedValue(html, 'financien'), undefined, 'no radio pretends 9 was chosen');
    assert.ok(radios(html, 'financien').every((a) => a['aria-invalid'] === 'true'));
    assert.ok(radios(html, 'huisvesting').every((a) => !('aria-invalid' in a)));
    const m = await getJson(gen, `/huishoudens/1/metingen?persoon=${p}&instrument=zrm`);
    assert.equal(m.progress.count, 2, 'nothing was stored');
  });

  await t.test('a score that is no number, and a domain of the other instrument, are refused', async () => {
    const p = hh1Members[0];
    let res = await post({ persoon: p, instrument: 'zrm', datum: today, financien: 'veel' });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Kies een van de scores/);
    res = await post({ persoon: p, instrument: 'zrm', datum: today, financien: '3', zingeving: '7' });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /hoort niet bij Zelfredzaamheid/);
  });

  await t.test('future and too old dates are refused with a clear message', async () => {
    const p = hh1Members[0];
    let res = await post({ persoon: p, instrument: 'zrm', datum: shift(today, 1), financien: '3' });
    let html = await res.text();
    assert.equal(res.status, 400);
    assert.match(html, /De datum mag niet in de toekomst liggen/);
    assert.equal(checkedValue(html, 'financien'), '3');
    assert.equal(tags(html, 'input').find((a) => a.name === 'datum')['aria-invalid'], 'true');
    res = await post({ persoon: p, instrument: 'zrm', datum: shift(today, -400), financien: '3' });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /niet meer dan een jaar geleden/);
    res = await post({ persoon: p, instrument: 'zrm', datum: '2026-02-30', financien: '3' });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Deze datum bestaat niet/);
  });

  await t.test('unknown instrument: 404 on the form, the post and the overview', async () => {
    const p = hh1Members[0];
    assert.equal((await gen.get(`/huishoudens/1/metingen/nieuw?persoon=${p}&instrument=onbekend`)).status, 404);
    assert.equal((await post({ persoon: p, instrument: 'onbekend', datum: today, financien: '3' })).status, 404);
    assert.equal((await gen.get(`/huishoudens/1/metingen?persoon=${p}&instrument=onbekend`)).status, 404);
  });

  await t.test('a person of another household (IDOR) gets 404 everywhere', async () => {
    const m2 = await getJson(gen, '/huishoudens/2/metingen');
    hh2Person = m2.members[0].id;
    assert.ok(!hh1Members.includes(hh2Person));
    const g2 = new Client(server.url);
    await g2.login('generalist2', PASSWORD, SECRET);
    const m4 = await getJson(g2, '/huishoudens/4/metingen');
    hh4Person = m4.members[0].id;
    assert.equal((await gen.get('/huishoudens/4/metingen')).status, 403, 'household 4 is not for this team');
    for (const other of [hh2Person, hh4Person, 999999]) {
      assert.equal((await gen.get(`/huishoudens/1/metingen/nieuw?persoon=${other}&instrument=zrm`)).status, 404, `form for ${other}`);
      assert.equal((await gen.get(`/huishoudens/1/metingen?persoon=${other}`)).status, 404, `overview for ${other}`);
      assert.equal((await post({ persoon: other, instrument: 'zrm', datum: today, financien: '3' })).status, 404, `post for ${other}`);
    }
    assert.equal((await getJson(g2, '/huishoudens/4/metingen')).members[0].count, 0, 'nothing was written for household 4');
    // the same person through their own household's URL is fine
    assert.equal((await gen.get(`/huishoudens/2/metingen/nieuw?persoon=${hh2Person}&instrument=zrm`)).status, 200);
  });

  await t.test('Positieve Gezondheid: 0-10 per dimension with its explanation, stored and shown', async () => {
    const p = hh1Members[1];
    const url = `/huishoudens/1/metingen/nieuw?persoon=${p}&instrument=positieve_gezondheid`;
    const html = await getHtml(gen, url);
    assert.equal((html.match(/<fieldset\b/g) || []).length, 6, '6 dimensions');
    assert.deepEqual(radios(html, 'zingeving').map((a) => a.value), ['', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    assert.match(html, /Of uw leven zin heeft voor u/);
    assert.match(html, /Heel slecht/);
    let res = await post({ persoon: p, instrument: 'positieve_gezondheid', datum: shift(today, -3), zingeving: '11' });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /tussen 0 en 10/);
    res = await post({ persoon: p, instrument: 'positieve_gezondheid', datum: shift(today, -3), lichaamsfuncties: '0',
      zingeving: '10', meedoen: '6' });
    assert.equal(res.status, 303, await res.text());
    res = await post({ persoon: p, instrument: 'positieve_gezondheid', datum: today, lichaamsfuncties: '3', zingeving: '9',
      meedoen: '6' });
    assert.equal(res.status, 303);
    const m = await getJson(gen, `/huishoudens/1/metingen?persoon=${p}&instrument=positieve_gezondheid`);
    assert.equal(m.progress.instrument.code, 'positieve_gezondheid');
    assert.deepEqual(m.progress.rows.find((r) => r.code === 'lichaamsfuncties').cells.map((c) => c.value), [0, 3]);
    assert.deepEqual([m.progress.change.improved, m.progress.change.same, m.progress.change.worse], [1, 1, 1]);
    const mine = m.members.find((x) => x.id === p);
    assert.equal(mine.assessments[1].scores.find((s) => s.code === 'lichaamsfuncties').value, 0, 'a 0 is a score');
    assert.equal(mine.assessments[0].outdated, false);
    const page = await getHtml(gen, `/huishoudens/1/metingen?persoon=${p}&instrument=positieve_gezondheid`);
    assert.equal(tags(page, 'svg').length, 3);
  });

  await t.test('an assessment older than 30 days is flagged as verouderd', async () => {
    const p = hh1Members[2];
    const res = await post({ persoon: p, instrument: 'zrm', datum: shift(today, -40), basale_adl: '4' });
    assert.equal(res.status, 303);
    const m = await getJson(gen, `/huishoudens/1/metingen?persoon=${p}&instrument=zrm`);
    assert.equal(m.progress.latest_outdated, true);
    assert.equal(m.progress.columns[0].outdated, true);
    const mine = m.members.find((x) => x.id === p);
    assert.equal(mine.assessments[0].outdated, true);
    assert.equal(mine.assessments[0].age_days, 40);
    // the first member's measurements of 20 and 5 days ago still count
    const first = m.members.find((x) => x.id === hh1Members[0]);
    assert.ok(first.assessments.filter((a) => a.instrument === 'zrm').every((a) => !a.outdated));
    const html = await getHtml(gen, `/huishoudens/1/metingen?persoon=${p}&instrument=zrm`);
    assert.match(html, /De laatste meting \([^)]*\) is verouderd: ouder dan 30 dagen/);
    assert.match(html, /<span class="kantel-tag">verouderd<\/span>/);
  });

  await t.test('the form needs the CSRF token and the household is checked first', async () => {
    const p = hh1Members[0];
    const res = await gen.post('/huishoudens/1/metingen', { persoon: p, instrument: 'zrm', datum: today, financien: '3' });
    assert.notEqual(res.status, 303, 'no CSRF token, no assessment');
    assert.equal((await gen.post('/huishoudens/999999/metingen', { csrf, persoon: p, instrument: 'zrm', datum: today, financien: '3' })).status, 404);
    const m = await getJson(gen, `/huishoudens/1/metingen?persoon=${p}&instrument=zrm`);
    assert.equal(m.progress.count, 2);
  });

  await t.test('recording is in the audit trail as assessment.create', async () => {
    const admin = new Client(server.url);
    await admin.login('beheerder', PASSWORD, SECRET);
    let events = [];
    for (let i = 0; i < 50 && events.length < 5; i++) { // the audit writer commits in batches
      events = (await getJson(admin, '/beheer/audit?actie=assessment.create')).events;
    }
    assert.equal(events.length, 5, 'two ZRM and two PG for members 1 and 2, one ZRM for member 3');
    assert.ok(events.every((e) => e.actor === 'generalist' && e.object_type === 'assessment'));
  });
} catch (e) {
  await t.test('setup', () => { throw e; });
} finally {
  if (server) {
    const out = server.output();
    const code = await server.stop().catch((e) => e);
    await t.test('server stops cleanly (no sanitizer report)', () => {
      assert.equal(code, 0, `server exit: ${code}`);
      assert.doesNotMatch(server.output().stderr || out.stderr, /AddressSanitizer|LeakSanitizer|runtime error/);
    });
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
t.done();
