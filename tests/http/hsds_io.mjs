// tests/http/hsds_io.mjs - HSDS 3.0 import and export (`kantel import hsds`,
// `kantel export hsds`) against the official material in ../shared/hsds/3.0:
//
//   - examples/csv as published is refused: four of its links point to rows
//     that are not there (contacts.organization_id, contacts.service_at_location_id,
//     locations.organization_id, taxonomy_terms.taxonomy_id); each is named,
//     and the summary points at --drop-dangling.
//   - with --drop-dangling it imports (exit 0) with one warning per dropped
//     link (file:line: field) and a summary; exporting again gives every
//     record and field of the input except exactly those four, now empty.
//     A dangling required link stays a problem with the flag; any other
//     problem still means nothing is imported. The same for a JSON file.
//   - the same files with those four links pointed at the rows that are there
//     (copied to a temp dir) round-trip: import -> export gives the same set
//     of records in every CSV (by header name, any column order).
//   - each examples/*.json (full objects and list pages) imported into a fresh
//     database comes back from the JSON export deep-equal (key order ignored).
//   - importing twice leaves the same store.
//   - broken input (missing required field, bad date, bad enum value,
//     dangling link, broken quote, unknown column; bad JSON records and JSON
//     syntax) gives exit 1, messages naming file, line or record path and
//     field, and an unchanged store.
//
//   KANTEL_BIN=build/kantel node tests/http/hsds_io.mjs
//
// Runs on SQLite, or on PostgreSQL with KANTEL_TEST_PG set (tests/lib/kantel.mjs).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { suite } from '../lib/harness.mjs';
import { dbTarget, sharedDir, sql } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const HSDS = path.join(sharedDir(), 'hsds/3.0');
const EX = path.join(HSDS, 'examples');
const PKG = JSON.parse(fs.readFileSync(path.join(HSDS, 'datapackage.json'), 'utf8'));
const RESOURCES = PKG.resources.map((r) => r.name);

const t = suite('http: hsds import/export');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-hsds-'));
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KANTEL_')));

function run(args) {
  const r = spawnSync(BIN, args, { cwd: root, env: ENV, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
const show = (r) => `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

let nDb = 0;
/** A fresh, initialised database; returns the flags to reach it. */
function freshDb(name) {
  const dir = path.join(root, `db-${++nDb}-${name}`);
  fs.mkdirSync(dir);
  const flags = ['--database', dbTarget(dir), '--key-file', path.join(dir, 'k.key')];
  const r = run(['init', ...flags]);
  assert.equal(r.status, 0, `init: ${show(r)}`);
  return { dir, flags };
}

const kimport = (db, p, ...extra) => run(['import', 'hsds', p, ...extra, ...db.flags]);
const kexport = (db, dir) => run(['export', 'hsds', dir, ...db.flags]);

/** Rows per hsds table, as {resource: n}. */
function counts(db) {
  const q = RESOURCES.map((r) => `SELECT '${r}', count(*) FROM hsds_${r}`).join(' UNION ALL ');
  const out = {};
  for (const line of sql(db.dir, q).split('\n')) {
    const [name, n] = line.split('|');
    out[name] = Number(n);
  }
  return out;
}

// ---------------------------------------------------------------- CSV

/** RFC 4180 parse: array of records (arrays of strings). */
function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const recs = [];
  let rec = [], field = '', i = 0, quoted = false, any = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; any = true; i++; continue; }
    if (c === ',') { rec.push(field); field = ''; any = true; i++; continue; }
    if (c === '\r' || c === '\n') {
      if (any || field !== '' || rec.length) { rec.push(field); recs.push(rec); }
      rec = []; field = ''; any = false;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += c; any = true; i++;
  }
  if (any || field !== '' || rec.length) { rec.push(field); recs.push(rec); }
  return recs;
}

const quote = (v) => (/[",\r\n]/.test(v) || /^ | $/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const toCsv = (recs) => recs.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';

/** A CSV as a set of records: each record a canonical string by header name. */
function recordSet(file) {
  const [head, ...rows] = parseCsv(fs.readFileSync(file, 'utf8'));
  return new Set(rows.map((r) => JSON.stringify(head.map((h, i) => [h, r[i] ?? '']).sort())));
}

/**
 * examples/csv copied to dir with the links that point nowhere pointed at the
 * first row of the table they name (the official data has four such links).
 */
function repairedExamples(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const tables = {};
  for (const r of PKG.resources) tables[r.name] = parseCsv(fs.readFileSync(path.join(EX, 'csv', r.path), 'utf8'));
  const ids = (name) => tables[name].slice(1).map((row) => row[tables[name][0].indexOf('id')]);
  const repaired = [];
  for (const r of PKG.resources) {
    const [head, ...rows] = tables[r.name];
    for (const fk of r.schema.foreignKeys ?? []) {
      const col = head.indexOf(fk.fields);
      const have = ids(fk.reference.resource);
      for (const row of rows) {
        if (col >= 0 && row[col] && !have.includes(row[col])) {
          repaired.push(`${r.path}:${fk.fields}`);
          row[col] = have[0];
        }
      }
    }
    fs.writeFileSync(path.join(dir, r.path), toCsv([head, ...rows]));
  }
  fs.copyFileSync(path.join(HSDS, 'datapackage.json'), path.join(dir, 'datapackage.json'));
  return repaired.sort();
}

const goodDir = path.join(root, 'examples-repaired');
const repaired = repairedExamples(goodDir);

// ---------------------------------------------------------------- tabular

await t.test('the official examples/csv is refused: its four dangling links are named, nothing is stored', () => {
  const db = freshDb('official');
  const r = kimport(db, path.join(EX, 'csv'));
  assert.equal(r.status, 1, show(r));
  for (const re of [/locations\.csv:2: organization_id: links to organization "985e4a42/,
    /contacts\.csv:2: organization_id: links to organization "ae67a707/,
    /contacts\.csv:2: service_at_location_id: links to service_at_location "93eaf18d/,
    /taxonomy_terms\.csv:2: taxonomy_id: links to taxonomy "07ff6aee/, /nothing imported: 4 problems/,
    /4 of them are links to rows that are neither in this import nor in the store; --drop-dangling imports the rest with those links left empty/])
    assert.match(r.stderr, re);
  assert.deepEqual(repaired, ['contacts.csv:organization_id', 'contacts.csv:service_at_location_id',
    'locations.csv:organization_id', 'taxonomy_terms.csv:taxonomy_id']);
  assert.ok(Object.values(counts(db)).every((n) => n === 0), 'empty store');
});

/** A CSV as a Map id -> {column: value}. */
function recordsById(file) {
  const [head, ...rows] = parseCsv(fs.readFileSync(file, 'utf8'));
  const id = head.indexOf('id');
  return new Map(rows.map((r) => [r[id], Object.fromEntries(head.map((h, i) => [h, r[i] ?? '']))]));
}

const DANGLING = [
  ['locations.csv', 'organization_id', 'organization', '985e4a42'],
  ['contacts.csv', 'organization_id', 'organization', 'ae67a707'],
  ['contacts.csv', 'service_at_location_id', 'service_at_location', '93eaf18d'],
  ['taxonomy_terms.csv', 'taxonomy_id', 'taxonomy', '07ff6aee'],
];

await t.test('the official examples/csv with --drop-dangling: imported, four warnings, export = input but those four links', () => {
  const db = freshDb('official-drop');
  const r = kimport(db, path.join(EX, 'csv'), '--drop-dangling');
  assert.equal(r.status, 0, show(r));
  assert.match(r.stdout, /imported 21 records/);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 5, show(r));
  for (const [file, field, target, id] of DANGLING)
    assert.ok(lines.some((l) => l.startsWith(`${path.join(EX, 'csv', file)}:2: ${field}: links to ${target} "${id}`) &&
      l.endsWith('", which is neither in this import nor in the store; dropped (--drop-dangling)')), `${file} ${field}\n${r.stderr}`);
  assert.equal(lines[4], 'kantel import: 4 dangling links dropped');
  const out = path.join(root, 'export-official-drop');
  const e = kexport(db, out);
  assert.equal(e.status, 0, show(e));
  const diffs = [];
  for (const res of PKG.resources) {
    const want = recordsById(path.join(EX, 'csv', res.path));
    const got = recordsById(path.join(out, res.path));
    assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), `${res.path}: the same ids`);
    for (const [id, w] of want) {
      const g = got.get(id);
      for (const col of new Set([...Object.keys(w), ...Object.keys(g)]))
        if ((w[col] ?? '') !== (g[col] ?? '')) diffs.push(`${res.path}:${col}:${g[col] ?? ''}`);
    }
  }
  assert.deepEqual(diffs.sort(), DANGLING.map(([file, field]) => `${file}:${field}:`).sort());
  // importing the export (links now empty) needs no flag
  const again = kimport(db, out);
  assert.equal(again.status, 0, show(again));
  assert.equal(again.stderr, '');
});

let tabDb;
await t.test('examples/csv (links repaired): import -> export gives the same records in every CSV', () => {
  tabDb = freshDb('tabular');
  const r = kimport(tabDb, goodDir);
  assert.equal(r.status, 0, show(r));
  assert.match(r.stdout, /imported 21 records/);
  const out = path.join(root, 'export-tabular');
  const e = kexport(tabDb, out);
  assert.equal(e.status, 0, show(e));
  for (const res of PKG.resources) {
    const want = recordSet(path.join(goodDir, res.path));
    const got = recordSet(path.join(out, res.path));
    assert.deepEqual(got, want, res.path);
    const head = parseCsv(fs.readFileSync(path.join(out, res.path), 'utf8'))[0];
    assert.deepEqual(head, res.schema.fields.map((f) => f.name), `${res.path} header in datapackage order`);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(out, 'datapackage.json'), 'utf8'));
  assert.deepEqual(pkg.resources.map((r2) => r2.name).sort(), [...RESOURCES].sort());
  for (const res of pkg.resources) {
    const off = PKG.resources.find((r2) => r2.name === res.name);
    assert.deepEqual(res.schema.fields.map((f) => [f.name, f.type, f.constraints.required]),
      off.schema.fields.map((f) => [f.name, f.type, f.constraints.required]), `${res.name} fields`);
  }
  for (const k of ['organizations', 'services', 'locations', 'service_at_locations', 'taxonomies', 'taxonomy_terms'])
    assert.ok(Array.isArray(JSON.parse(fs.readFileSync(path.join(out, 'json', `${k}.json`), 'utf8'))), k);
});

await t.test('importing the tabular form twice leaves the same store', () => {
  const before = counts(tabDb);
  const r = kimport(tabDb, goodDir);
  assert.equal(r.status, 0, show(r));
  assert.deepEqual(counts(tabDb), before);
  const a = path.join(root, 'export-twice');
  assert.equal(kexport(tabDb, a).status, 0);
  for (const res of PKG.resources)
    assert.equal(fs.readFileSync(path.join(a, res.path), 'utf8'),
      fs.readFileSync(path.join(root, 'export-tabular', res.path), 'utf8'), res.path);
});

await t.test('export refuses a directory that already holds files', () => {
  const e = kexport(tabDb, path.join(root, 'export-tabular'));
  assert.equal(e.status, 1, show(e));
  assert.match(e.stderr, /not empty/);
});

// ---------------------------------------------------------------- JSON

/** The example without keys whose value is null (a missing key counts the same there). */
function dropNulls(v) {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, dropNulls(x)]));
  return v;
}

const JSON_FILES = [
  ['service_full.json', 'services'], ['organization_full.json', 'organizations'],
  ['service_at_location_full.json', 'service_at_locations'], ['location.json', 'locations'],
  ['taxonomy.json', 'taxonomies'], ['taxonomy_term.json', 'taxonomy_terms'],
  ['service_list.json', 'services'], ['organization_list.json', 'organizations'],
  ['service_at_location_list.json', 'service_at_locations'], ['taxonomy_list.json', 'taxonomies'],
  ['taxonomy_term_list.json', 'taxonomy_terms'],
];

for (const [file, plural] of JSON_FILES) {
  await t.test(`${file}: import -> JSON export deep-equals the example; twice = same store`, () => {
    const db = freshDb(file.replace('.json', ''));
    const r = kimport(db, path.join(EX, file));
    assert.equal(r.status, 0, show(r));
    const once = counts(db);
    const again = kimport(db, path.join(EX, file));
    assert.equal(again.status, 0, show(again));
    assert.deepEqual(counts(db), once, 'same counts after a second import');
    const out = path.join(root, `export-${file}`);
    const e = kexport(db, out);
    assert.equal(e.status, 0, show(e));
    const doc = JSON.parse(fs.readFileSync(path.join(EX, file), 'utf8'));
    const wants = doc.contents ?? [doc];
    const got = JSON.parse(fs.readFileSync(path.join(out, 'json', `${plural}.json`), 'utf8'));
    for (const want of wants) {
      const obj = got.find((o) => o.id === want.id);
      assert.ok(obj, `${want.id} in json/${plural}.json`);
      assert.deepEqual(obj, dropNulls(want));
    }
  });
}

await t.test('--type names the kind of a file whose name does not', () => {
  const db = freshDb('type');
  const f = path.join(root, 'thing.json');
  fs.copyFileSync(path.join(EX, 'location.json'), f);
  const r = kimport(db, f, '--type', 'location');
  assert.equal(r.status, 0, show(r));
  assert.equal(counts(db).location, 1);
  const bad = kimport(db, f, '--type', 'dragon');
  assert.equal(bad.status, 2, show(bad));
});

// ---------------------------------------------------------------- refusals

/** A store holding the repaired examples, and a snapshot of it. */
const failDb = freshDb('failures');
assert.equal(kimport(failDb, goodDir).status, 0);
const snapshot = () => ({ counts: counts(failDb), names: sql(failDb.dir, 'SELECT id, name, status FROM hsds_service ORDER BY id') });
const baseline = snapshot();

/**
 * goodDir copied with services.csv extended by a valid new service whose
 * description spans two lines (lines 3-4) and then `bad` (line 5), plus
 * edit(dir) for anything else. The valid rows must not be stored either.
 */
function badDir(name, bad, edit = () => {}) {
  const dir = path.join(root, `bad-${name}`);
  fs.cpSync(goodDir, dir, { recursive: true });
  const file = path.join(dir, 'services.csv');
  const [head, row] = parseCsv(fs.readFileSync(file, 'utf8'));
  const col = (n) => head.indexOf(n);
  const fresh = [...row];
  fresh[col('id')] = 'new-service-1';
  fresh[col('name')] = 'Changed name';
  fresh[col('description')] = 'two\nlines';
  const extra = [...row];
  extra[col('id')] = 'new-service-2';
  for (const [k, v] of Object.entries(bad)) extra[col(k)] = v;
  const changed = [...row];
  changed[col('name')] = 'Renamed in a failed import';
  fs.writeFileSync(file, toCsv([head, changed, fresh, extra]));
  edit(dir);
  return dir;
}

function expectRefused(dir, patterns, ...extra) {
  const r = kimport(failDb, dir, ...extra);
  assert.equal(r.status, 1, show(r));
  for (const re of patterns) assert.match(r.stderr, re);
  assert.match(r.stderr, /nothing imported/);
  assert.deepEqual(snapshot(), baseline, 'store unchanged');
}

await t.test('CSV: a missing required field -> exit 1, file:line: field, store unchanged', () => {
  expectRefused(badDir('required', { status: '' }), [/services\.csv:5: status: required field is missing/]);
});

await t.test('CSV: a bad date -> exit 1, file:line: field, store unchanged', () => {
  expectRefused(badDir('date', { assured_date: '2021-02-30' }),
    [/services\.csv:5: assured_date: "2021-02-30" is not a date \(YYYY-MM-DD\)/]);
});

await t.test('CSV: a value outside the enum -> exit 1, file:line: field, store unchanged', () => {
  expectRefused(badDir('enum', { status: 'open' }), [/services\.csv:5: status: "open" is not one of "active"/]);
});

await t.test('CSV: a dangling link -> exit 1, file:line: field, store unchanged', () => {
  expectRefused(badDir('link', { organization_id: 'no-such-organization' }),
    [/services\.csv:5: organization_id: links to organization "no-such-organization", which is neither/]);
});

await t.test('CSV: a dangling link in a required field stays a problem with --drop-dangling', () => {
  expectRefused(badDir('link-required', { organization_id: 'no-such-organization' }),
    [/services\.csv:5: organization_id: links to organization "no-such-organization", which is neither in this import nor in the store; a required field, so --drop-dangling cannot leave it empty/,
      /nothing imported: 1 problem\n$/], '--drop-dangling');
});

await t.test('CSV: --drop-dangling with another problem: nothing imported, store unchanged', () => {
  const dir = badDir('link-and-enum', { status: 'open' }, (d) => {
    const f = path.join(d, 'locations.csv');
    const [head, ...rows] = parseCsv(fs.readFileSync(f, 'utf8'));
    rows[0][head.indexOf('organization_id')] = 'no-such-organization';
    fs.writeFileSync(f, toCsv([head, ...rows]));
  });
  expectRefused(dir, [/services\.csv:5: status: "open" is not one of/, /nothing imported: 1 problem\n$/], '--drop-dangling');
});

await t.test('CSV: a broken quote -> exit 1, file:line: field, store unchanged', () => {
  const dir = badDir('quote', {}, (d) => {
    const f = path.join(d, 'services.csv');
    const text = fs.readFileSync(f, 'utf8').replace(/new-service-2,([^,]*),([^,]*),/, 'new-service-2,$1,$2,"Bad "quote,');
    fs.writeFileSync(f, text);
  });
  expectRefused(dir, [/services\.csv:5: name: unexpected character after a closing quote/]);
});

await t.test('CSV: unknown columns and wrong field counts are reported', () => {
  const dir = badDir('column', {}, (d) => {
    const f = path.join(d, 'taxonomies.csv');
    const [head, ...rows] = parseCsv(fs.readFileSync(f, 'utf8'));
    fs.writeFileSync(f, toCsv([[...head, 'colour'], ...rows.map((r) => [...r, 'blue']), ['x', 'y']]));
  });
  expectRefused(dir, [/taxonomies\.csv:1: colour: unknown column for taxonomy/,
    /taxonomies\.csv:3: the record has 2 fields, the header 6/]);
});

await t.test('JSON: bad records -> exit 1 naming file, record path and field; store unchanged', () => {
  const doc = JSON.parse(fs.readFileSync(path.join(EX, 'service_list.json'), 'utf8'));
  const good = doc.contents[0];
  const bad = structuredClone(good);
  bad.id = 'new-service-json';
  bad.status = 'closed';
  bad.colour = 'blue';
  bad.phones = [{ id: 'p-1', extension: '12' }];
  bad.schedules = [{ id: 's-1', opens_at: '25:00' }];
  bad.organization = { ...good.organization, name: 'Renamed in a failed import' };
  doc.contents = [good, bad];
  const f = path.join(root, 'service_bad.json');
  fs.writeFileSync(f, JSON.stringify(doc));
  const r = kimport(failDb, f);
  assert.equal(r.status, 1, show(r));
  for (const re of [/service_bad\.json: contents\[1\]: status: "closed" is not one of/,
    /service_bad\.json: contents\[1\]: colour: unknown field for service/,
    /service_bad\.json: contents\[1\]\.phones\[0\]: number: required field is missing/,
    /service_bad\.json: contents\[1\]\.phones\[0\]: extension: expected a number/,
    /service_bad\.json: contents\[1\]\.schedules\[0\]: opens_at: "25:00" is not a time/,
    /service_bad\.json: contents\[1\]\.organization: name: organization d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610 appears again with a different value/])
    assert.match(r.stderr, re);
  assert.deepEqual(snapshot(), baseline, 'store unchanged');
});

await t.test('JSON: a dangling link is refused with a hint; --drop-dangling imports it empty', () => {
  const doc = JSON.parse(fs.readFileSync(path.join(EX, 'location.json'), 'utf8'));
  const f = path.join(root, 'location_dangling.json');
  fs.writeFileSync(f, JSON.stringify({ ...doc, organization_id: 'no-such-organization' }, null, 2));
  const db = freshDb('json-drop');
  const r = kimport(db, f);
  assert.equal(r.status, 1, show(r));
  assert.match(r.stderr, /location_dangling\.json: top level: organization_id: links to organization "no-such-organization", which is neither in this import nor in the store\n/);
  assert.match(r.stderr, /1 of them is a link to a row that is neither in this import nor in the store; --drop-dangling imports the rest with that link left empty/);
  assert.ok(Object.values(counts(db)).every((n) => n === 0), 'empty store');
  const d = kimport(db, f, '--drop-dangling');
  assert.equal(d.status, 0, show(d));
  assert.match(d.stderr, /location_dangling\.json: top level: organization_id: links to organization "no-such-organization", which is neither in this import nor in the store; dropped \(--drop-dangling\)\nkantel import: 1 dangling link dropped\n$/);
  const out = path.join(root, 'export-json-drop');
  assert.equal(kexport(db, out).status, 0);
  const got = JSON.parse(fs.readFileSync(path.join(out, 'json', 'locations.json'), 'utf8'));
  assert.deepEqual(got, [dropNulls(doc)]);
});

await t.test('JSON: a syntax error -> exit 1 naming file and line; store unchanged', () => {
  const f = path.join(root, 'service_broken.json');
  fs.writeFileSync(f, '{\n  "id": "x",\n  "name": oops\n}\n');
  const r = kimport(failDb, f);
  assert.equal(r.status, 1, show(r));
  assert.match(r.stderr, /service_broken\.json:3: not valid JSON/);
  assert.deepEqual(snapshot(), baseline, 'store unchanged');
});

fs.rmSync(root, { recursive: true, force: true });
t.done();
