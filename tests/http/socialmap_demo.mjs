// tests/http/socialmap_demo.mjs - the demo's sociale kaart: at least 300
// services with everything the search needs (a located address, a schedule,
// costs, Kantel terms), valid HSDS 3.0 (its export imports cleanly into an
// empty database with the same counts), and `kantel demo --services N` for
// benchmarks. Runs on SQLite and, with KANTEL_TEST_PG, on PostgreSQL.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { suite } from '../lib/harness.mjs';
import { dbTarget, runDemo, sql } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const t = suite('http: the demo sociale kaart');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-socialmap-'));
const KEY = ['--key-file', path.join(dir, 'k.key')];
const run = (args, name = 'k') => spawnSync(BIN, [...args, '--database', dbTarget(dir, name), ...KEY],
  { encoding: 'utf8', timeout: 120_000 });
const n = (q, name = 'k') => Number(sql(dir, q, name));
const TABLES = ['hsds_organization', 'hsds_service', 'hsds_location', 'hsds_address', 'hsds_service_at_location',
  'hsds_schedule', 'hsds_cost_option', 'hsds_phone', 'hsds_language', 'hsds_attribute', 'hsds_taxonomy',
  'hsds_taxonomy_term'];

let services = 0;

await t.test('kantel demo creates a sociale kaart of at least 300 services', async () => {
  await runDemo(BIN, dir);
  services = n('SELECT count(*) FROM hsds_service');
  assert.ok(services >= 300, `${services} services`);
  assert.ok(n('SELECT count(*) FROM hsds_organization') >= 50, 'many organisations');
  assert.ok(n("SELECT count(DISTINCT name) FROM hsds_service") === services, 'every service has its own name');
});

await t.test('every service has a located address, a schedule, costs, a phone and Dutch', () => {
  assert.equal(n('SELECT count(*) FROM hsds_service s WHERE NOT EXISTS (SELECT 1 FROM hsds_service_at_location sl'
    + ' JOIN hsds_location l ON l.id = sl.location_id JOIN hsds_address a ON a.location_id = l.id'
    + " WHERE sl.service_id = s.id AND l.latitude <> '' AND l.longitude <> '')"), 0, 'no service without a place');
  for (const table of ['hsds_schedule', 'hsds_cost_option', 'hsds_phone']) {
    assert.equal(n(`SELECT count(*) FROM hsds_service s WHERE NOT EXISTS (SELECT 1 FROM ${table} x WHERE x.service_id = s.id)`),
      0, `every service has a row in ${table}`);
  }
  assert.equal(n("SELECT count(*) FROM hsds_service s WHERE NOT EXISTS (SELECT 1 FROM hsds_language x WHERE x.service_id = s.id AND x.code = 'nl')"),
    0, 'every service speaks Dutch');
  assert.ok(n("SELECT count(DISTINCT service_id) FROM hsds_language WHERE code = 'ar'") >= 20, 'some in Arabic');
  assert.ok(n("SELECT count(*) FROM hsds_cost_option WHERE amount = '0.00'") >= services / 2, 'most are free');
  assert.ok(n("SELECT count(*) FROM hsds_service WHERE name LIKE 'Wandelclub %'") >= 5, 'walking clubs');
  assert.ok(n("SELECT count(*) FROM hsds_schedule WHERE freq = 'WEEKLY' AND byday LIKE '%TU%'") >= 20,
    'services meeting on Tuesdays');
});

await t.test("Kantel's taxonomy: 13 life domains, levels 4-5, 5 age groups; every service linked", () => {
  assert.equal(n("SELECT count(*) FROM hsds_taxonomy_term WHERE code LIKE 'levensdomein/%'"), 13);
  assert.equal(n("SELECT count(*) FROM hsds_taxonomy_term WHERE code IN ('trede/4', 'trede/5')"), 2);
  assert.equal(n("SELECT count(*) FROM hsds_taxonomy_term WHERE code LIKE 'leeftijd/%'"), 5);
  assert.equal(n("SELECT count(*) FROM hsds_service s WHERE NOT EXISTS (SELECT 1 FROM hsds_attribute a"
    + " JOIN hsds_taxonomy_term tt ON tt.id = a.taxonomy_term_id WHERE a.link_id = s.id AND a.link_entity = 'service'"
    + " AND tt.code IN ('trede/4', 'trede/5'))"), 0, 'every service has its ladder level');
  assert.equal(n("SELECT count(*) FROM hsds_service s WHERE NOT EXISTS (SELECT 1 FROM hsds_attribute a"
    + " JOIN hsds_taxonomy_term tt ON tt.id = a.taxonomy_term_id WHERE a.link_id = s.id"
    + " AND tt.code LIKE 'levensdomein/%')"), 0, 'every service has a life domain');
  assert.equal(n('SELECT count(*) FROM hsds_attribute a WHERE NOT EXISTS (SELECT 1 FROM hsds_service s WHERE s.id = a.link_id)'),
    0, 'no attribute points nowhere');
});

await t.test('the demo data is valid HSDS 3.0: export, import into an empty database, same counts', () => {
  const out = path.join(dir, 'export');
  let r = run(['export', 'hsds', out]);
  assert.equal(r.status, 0, `export: ${r.stdout}${r.stderr}`);
  r = spawnSync(BIN, ['init', '--database', dbTarget(dir, 'b'), '--key-file', path.join(dir, 'b.key')],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, `init: ${r.stderr}`);
  r = spawnSync(BIN, ['import', 'hsds', out, '--database', dbTarget(dir, 'b'), '--key-file', path.join(dir, 'b.key')],
    { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `import of the export: ${r.stdout}${r.stderr.slice(0, 2000)}`);
  for (const table of TABLES) {
    assert.equal(n(`SELECT count(*) FROM ${table}`, 'b'), n(`SELECT count(*) FROM ${table}`), `${table}: same count`);
  }
});

await t.test('kantel demo --services 500 adds 500 more services with the same checks', () => {
  const r = run(['demo', '--services', '500']);
  assert.equal(r.status, 0, `demo --services: ${r.stdout}${r.stderr}`);
  assert.equal(n('SELECT count(*) FROM hsds_service'), services + 500);
  assert.equal(n('SELECT count(*) FROM hsds_service s WHERE NOT EXISTS (SELECT 1 FROM hsds_schedule x WHERE x.service_id = s.id)'), 0);
  const bad = run(['demo', '--services', '0']);
  assert.equal(bad.status, 2, 'a count of 0 is a usage error');
});

t.done();
