// tests/http/socialmap.mjs - the public search of the sociale kaart over HTTP
// against a real `kantel serve` on the demo (SQLite, or PostgreSQL with
// KANTEL_TEST_PG): no sign-in needed; free text (accent-insensitive prefix,
// every word), life domain, age, distance from a postcode (exact, or the
// middle of its area), a weekday, opening time, free of charge, sorting and
// paging, each checked against the demo data read back with SQL; field
// errors in Dutch; escaping; a hidden listing disappears in every process
// once the store says so; the caseworker's "Verwijzen" links only for
// caseworkers; one service in full, 404 for unknown ids.
//
//   KANTEL_BIN=build/kantel node tests/http/socialmap.mjs

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { suite } from '../lib/harness.mjs';
import { Client, runDemo, sql, startServer } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const PASSWORD = 'Kantel-demo-2026!';
const SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';
const JSON_ACCEPT = { headers: { Accept: 'application/json' } };

const t = suite('http: sociale kaart search');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-socialmap-'));
let srv = null, srv2 = null;
let anon = null, gen = null;

async function search(query, client = anon, status = 200) {
  const res = await client.get(`/sociale-kaart?${new URLSearchParams(query)}`, JSON_ACCEPT);
  assert.equal(res.status, status, `GET /sociale-kaart?${new URLSearchParams(query)}: ${res.status}`);
  return res.json();
}

// Every result of a search (all pages).
async function all(query, client = anon) {
  const out = [];
  for (let page = 1; page < 50; page++) {
    const m = await search({ ...query, pagina: page }, client);
    out.push(...m.results);
    if (!m.next_href) return { total: m.total, results: out, first: m };
  }
  throw new Error('too many pages');
}

const names = (r) => r.results.map((x) => x.name);
// Distance in metres between two e7 points (haversine, as the server does).
function metres(lat1, lon1, lat2, lon2) {
  const rad = (d) => (d / 1e7) * Math.PI / 180;
  const a = Math.sin((rad(lat2) - rad(lat1)) / 2) ** 2
    + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin((rad(lon2) - rad(lon1)) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(a));
}

await t.test('setup: demo database, two server processes, a caseworker signed in', async () => {
  await runDemo(BIN, dir);
  srv = await startServer({ bin: BIN, dir });
  srv2 = await startServer({ bin: BIN, dir });
  anon = new Client(srv.url);
  gen = new Client(srv.url);
  await gen.login('generalist', PASSWORD, SECRET);
});

if (srv) {
  await t.test('anonymous: the page answers without a session, lists everything when nothing is asked', async () => {
    const res = await anon.get('/sociale-kaart');
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<h1 class="utrecht-heading-1">Sociale kaart<\/h1>/);
    assert.match(html, /<label class="utrecht-form-label" for="sk-q">Wat zoekt u\?<\/label>/);
    const m = await search({});
    const count = Number(sql(dir, "SELECT count(*) FROM hsds_service WHERE status = 'active'"));
    assert.equal(m.total, count, 'every active service');
    assert.equal(m.results.length, 20, 'first page of 20');
    assert.ok(m.next_href, 'a next page');
    assert.equal(m.searched, false);
  });

  await t.test('text: accent-insensitive, prefix, every word must match', async () => {
    const want = sql(dir, "SELECT count(*) FROM hsds_service WHERE name LIKE 'Taalcaf%'");
    const r = await all({ q: 'taalcafe' });
    assert.equal(r.total, Number(want));
    assert.ok(r.results.every((x) => x.name.startsWith('Taalcafé')), names(r).join(', '));
    const prefix = await all({ q: 'wandel' });
    const walking = Number(sql(dir, "SELECT count(*) FROM hsds_service WHERE name LIKE 'Wandelclub%' OR name LIKE"
      + " 'Avondwandeling%' OR description LIKE '%wandel%' OR description LIKE '%Wandel%'"));
    assert.ok(prefix.total >= walking - 0 && prefix.total > 0, `wandel: ${prefix.total} vs ${walking}`);
    assert.ok(names(prefix).some((n) => n.startsWith('Wandelclub')));
    assert.ok(names(prefix).some((n) => n.startsWith('Avondwandeling')));
    const two = await all({ q: 'WANDELCLUB havenkwart' });
    assert.deepEqual(names(two), ['Wandelclub Havenkwartier']);
    const none = await search({ q: 'wandelclub zwembad' });
    assert.equal(none.total, 0);
    assert.equal(none.has_results, false);
  });

  await t.test('relevance: a hit in the name comes before a hit in the description only', async () => {
    const r = await all({ q: 'schulden' });
    // "Schuldhulp spreekuur" has "schulden" only in its description; nothing has it in the name.
    assert.ok(r.total > 0);
    const s = await all({ q: 'schuld' });
    const firstDesc = s.results.findIndex((x) => !/schuld/i.test(x.name));
    const lastName = s.results.map((x) => /schuld/i.test(x.name)).lastIndexOf(true);
    assert.ok(firstDesc === -1 || lastName < firstDesc, 'all name hits first');
  });

  await t.test('life domain, age and free of charge filter on the demo offer', async () => {
    const fin = await all({ domein: 'financien' });
    const want = Number(sql(dir, "SELECT count(DISTINCT a.link_id) FROM hsds_attribute a JOIN hsds_taxonomy_term tt"
      + " ON tt.id = a.taxonomy_term_id WHERE tt.code = 'levensdomein/financien'"));
    assert.equal(fin.total, want);
    assert.ok(names(fin).some((n) => n.startsWith('Schuldhulp spreekuur')));
    assert.ok(!names(fin).some((n) => n.startsWith('Wandelclub')));
    const child = await all({ leeftijd: '8' });
    assert.ok(names(child).some((n) => n.startsWith('Huiswerkbegeleiding')), 'homework help is for 8-17');
    assert.ok(!names(child).some((n) => n.startsWith('Bewegen voor ouderen')), 'not the 60+ gym');
    assert.ok(!names(child).some((n) => n.startsWith('Schuldhulp')), 'not the 18+ debt advice');
    const free = await all({ q: 'koor', gratis: '1' });
    assert.equal(free.total, 0, 'the choir costs 2.50');
    const paid = await all({ q: 'koor' });
    assert.ok(paid.total > 0 && paid.results.every((x) => /2,50/.test(x.cost)), paid.results.map((x) => x.cost).join());
    const freeWalk = await all({ q: 'wandelclub', gratis: '1' });
    assert.ok(freeWalk.total > 0 && freeWalk.results.every((x) => x.free && x.cost === 'Gratis'));
  });

  await t.test('distance: within 2 km of 8011AB is exactly what the coordinates say, nearest first', async () => {
    const [hlat, hlon] = sql(dir, "SELECT lat_e7, lon_e7 FROM postcode_geo WHERE postcode = '8011AB'").split('|').map(Number);
    const rows = sql(dir, "SELECT s.name, l.latitude, l.longitude FROM hsds_service s JOIN hsds_service_at_location x"
      + " ON x.service_id = s.id JOIN hsds_location l ON l.id = x.location_id WHERE s.name LIKE 'Wandelclub%'")
      .split('\n').map((l) => l.split('|'));
    const within = rows.filter(([, la, lo]) => metres(hlat, hlon, Math.round(la * 1e7), Math.round(lo * 1e7)) <= 2000)
      .map(([n]) => n).sort();
    assert.ok(within.length >= 1, 'the demo has a walking club within 2 km of De Vries');
    const r = await all({ q: 'wandelclub', postcode: '8011 ab', km: '2' });
    assert.deepEqual(names(r).sort(), within);
    assert.equal(r.first.origin.postcode, '8011 AB');
    assert.equal(r.first.sorted_by_distance, undefined, 'with text: relevance unless asked');
    const near = await all({ postcode: '8011AB', km: '5', sorteer: 'afstand' });
    const ds = near.results.map((x) => {
      const m = /^(\d+)(?:,(\d))? (k?m)$/.exec(x.distance);
      assert.ok(m, `distance text ${x.distance}`);
      return m[3] === 'km' ? Number(m[1]) * 1000 + Number(m[2] || 0) * 100 : Number(m[1]);
    });
    for (let i = 1; i < ds.length; i++) assert.ok(ds[i - 1] <= ds[i] + 100, `sorted: ${ds[i - 1]} then ${ds[i]}`);
    assert.ok(ds.every((d) => d <= 5100));
  });

  await t.test('postcode: unknown in a known area is measured from the area, unknown at all is a field error', async () => {
    const known = sql(dir, "SELECT postcode FROM postcode_geo WHERE postcode LIKE '8011%' ORDER BY postcode LIMIT 1");
    assert.ok(known);
    let unknown = null;
    for (const l of ['ZZ', 'ZY', 'ZX', 'YZ']) {
      if (!sql(dir, `SELECT count(*) FROM postcode_geo WHERE postcode = '8011${l}'`).startsWith('1')) { unknown = `8011${l}`; break; }
    }
    const m = await search({ postcode: unknown });
    assert.equal(m.origin.approx, true);
    const bad = await search({ postcode: '9999ZZ' }, anon, 400);
    assert.match(bad.errors.postcode, /kennen wij niet/);
    assert.equal(bad.error_list[0].href, '#sk-postcode');
    const html = await (await anon.get('/sociale-kaart?postcode=12')).text();
    assert.match(html, /Vul een postcode in als 1234 AB\./);
    assert.match(html, /aria-invalid="true"/);
  });

  await t.test('when: on a weekday, at a time, now', async () => {
    const tue = await all({ q: 'wandel', wanneer: 'weekdag', weekdag: 'di' });
    // "wandel" also finds the buddy projects ("een wandeling"), which meet on weekdays.
    assert.ok(names(tue).some((n) => n.startsWith('Wandelclub')), 'the Tuesday clubs');
    assert.ok(!names(tue).some((n) => n.startsWith('Avondwandeling')), `not the Thursday walk: ${names(tue)}`);
    assert.ok(names(tue).every((n) => /^(Wandelclub|Maatjesproject)/.test(n)), names(tue).join());
    const thu = await all({ q: 'wandel', wanneer: 'weekdag', weekdag: 'do' });
    assert.ok(names(thu).some((n) => n.startsWith('Avondwandeling')), 'the Thursday evening walks');
    assert.ok(!names(thu).some((n) => n.startsWith('Wandelclub')), `not the Tuesday club: ${names(thu)}`);
    const clubs = await all({ q: 'wandelclub', wanneer: 'weekdag', weekdag: 'di' });
    const at = await all({ q: 'wandelclub', wanneer: 'weekdag', weekdag: 'di', tijd: '10:30' });
    assert.equal(at.total, clubs.total, 'open at 10:30');
    const late = await all({ q: 'wandelclub', wanneer: 'weekdag', weekdag: 'di', tijd: '12:00' });
    assert.equal(late.total, 0, 'closed at 12:00');
    assert.match(at.results[0].schedule, /dinsdag/);
    const now = await search({ wanneer: 'nu' });
    assert.equal(typeof now.total, 'number');
    const noDay = await search({ wanneer: 'weekdag' }, anon, 400);
    assert.match(noDay.errors.weekdag, /Kies een dag/);
    const badTime = await search({ wanneer: 'weekdag', weekdag: 'di', tijd: '25:00' }, anon, 400);
    assert.match(badTime.errors.tijd, /14:30/);
    const date = await search({ wanneer: 'datum', datum: '2026-12-01', q: 'wandelclub' }); // a Tuesday
    assert.equal(date.total, clubs.total);
  });

  await t.test('field errors: age, distance without postcode, unknown domain, hostile text is escaped', async () => {
    const age = await search({ leeftijd: '200' }, anon, 400);
    assert.match(age.errors.leeftijd, /0 tot en met 120/);
    const km = await search({ km: '2' }, anon, 400);
    assert.match(km.errors.postcode, /postcode in om op afstand/);
    const dom = await search({ domein: 'onzin' }, anon, 400);
    assert.match(dom.errors.domein, /Kies een onderwerp/);
    const html = await (await anon.get('/sociale-kaart?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E')).text();
    assert.ok(!html.includes('<script>alert(1)'), 'not echoed raw');
    assert.match(html, /&lt;script&gt;alert\(1\)/);
    const undeclared = await anon.get('/sociale-kaart?foo=1');
    assert.equal(undeclared.status, 400);
  });

  await t.test('paging: pages do not overlap and together give the total', async () => {
    const r = await all({ domein: 'sociaal_netwerk' });
    assert.equal(r.results.length, r.total);
    assert.equal(new Set(r.results.map((x) => x.id)).size, r.total);
    const p2 = await search({ domein: 'sociaal_netwerk', pagina: 2 });
    assert.match(p2.page_text, /^Pagina 2 van \d+$/);
    assert.match(p2.prev_href, /pagina=1/);
    assert.match(p2.prev_href, /domein=sociaal_netwerk/);
  });

  await t.test('one service: the detail page, and 404 for an unknown id', async () => {
    const id = sql(dir, "SELECT id FROM hsds_service WHERE name = 'Wandelclub Havenkwartier'");
    const res = await anon.get(`/sociale-kaart/diensten/${id}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<h1 class="utrecht-heading-1">Wandelclub Havenkwartier<\/h1>/);
    assert.match(html, /Wandelvereniging Havenkwartier/);
    assert.match(html, /dinsdag/);
    assert.match(html, /href="tel:0570-\d{6}"/);
    const m = await (await anon.get(`/sociale-kaart/diensten/${id}`, JSON_ACCEPT)).json();
    assert.equal(m.cost, 'Gratis');
    assert.ok(m.domains.length >= 2);
    assert.equal(m.refer_href, undefined);
    const missing = await anon.get('/sociale-kaart/diensten/00000000-0000-0000-0000-000000000000');
    assert.equal(missing.status, 404);
  });

  await t.test('caseworker context: "Verwijzen" only for a caseworker, pointing at the referral form', async () => {
    const m = await search({ q: 'wandelclub havenkwartier', huishouden: '1', actie: '1' }, gen);
    const id = sql(dir, "SELECT id FROM hsds_service WHERE name = 'Wandelclub Havenkwartier'");
    assert.equal(m.results[0].refer_href, `/huishoudens/1/plan/acties/1/verwijzen?dienst=${id}`);
    assert.match(m.results[0].href, /^\/sociale-kaart\/diensten\/[0-9a-f-]{36}\?q=wandelclub%20havenkwartier&wanneer=altijd&huishouden=1&actie=1&pagina=1$/);
    assert.equal(m.context.plan_href, '/huishoudens/1/plan');
    const a = await search({ q: 'wandelclub havenkwartier', huishouden: '1', actie: '1' });
    assert.equal(a.results[0].refer_href, undefined, 'not for anonymous visitors');
    assert.equal(a.context, null);
  });

  await t.test('a hidden or inactive listing leaves the search of every process', async () => {
    const id = sql(dir, "SELECT id FROM hsds_service WHERE name = 'Wandelclub Binnenstad'");
    const other = new Client(srv2.url);
    const before = await all({ q: 'wandelclub binnenstad' }, other);
    assert.deepEqual(names(before), ['Wandelclub Binnenstad']);
    sql(dir, `INSERT INTO listing (service_id, gemeente, seen_at, hidden_at) SELECT id, gemeente, 0, 1 FROM hsds_service`
      + ` WHERE id = '${id}'`);
    sql(dir, "UPDATE settings SET value = 'changed-by-test' WHERE name = 'socialmap_version'");
    for (const client of [anon, other]) {
      const after = await search({ q: 'wandelclub binnenstad' }, client);
      assert.equal(after.total, 0, 'hidden');
      assert.equal((await client.get(`/sociale-kaart/diensten/${id}`)).status, 404);
    }
    sql(dir, `DELETE FROM listing WHERE service_id = '${id}'`);
    sql(dir, `UPDATE hsds_service SET status = 'inactive' WHERE id = '${id}'`);
    sql(dir, "UPDATE settings SET value = 'changed-again' WHERE name = 'socialmap_version'");
    assert.equal((await search({ q: 'wandelclub binnenstad' }, other)).total, 0, 'inactive');
    sql(dir, `UPDATE hsds_service SET status = 'active' WHERE id = '${id}'`);
    sql(dir, "UPDATE settings SET value = 'and-back' WHERE name = 'socialmap_version'");
    assert.equal((await search({ q: 'wandelclub binnenstad' }, other)).total, 1, 'back');
  });
}

for (const [name, s] of [['first', srv], ['second', srv2]]) {
  if (!s) continue;
  const code = await s.stop();
  await t.test(`the ${name} server stops cleanly`, async () => assert.equal(code, 0));
}
fs.rmSync(dir, { recursive: true, force: true });
t.done();
