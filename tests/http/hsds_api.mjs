// tests/http/hsds_api.mjs - the HSDS 3.0 read API under /api/hsds against the
// official Open Referral material in ../shared/hsds/3.0 (never copied here):
//
//   - set-up: `kantel init`, `kantel import hsds` of every examples/*.json
//     that holds objects of the six kinds, plus a generated set of 60
//     services (3 organizations, 3 taxonomy terms in 2 taxonomies, 12
//     service_at_locations at known distances from a postcode); a service,
//     organization, attribute and service_at_location of another
//     municipality (0001) inserted with SQL;
//   - every response body is validated with ajv against the schema the
//     openapi.json names for its path (list pages: the Page schema with the
//     compiled list schema for contents; objects: the object schemas);
//   - every path, the paging arithmetic, every query parameter (exact ids),
//     400 with a JSON body for bad or unknown parameters, 404 with a JSON
//     body for unknown ids, no Set-Cookie and no session, and that the other
//     municipality never shows.
//
// Schemas: the openapi refers to raw.githubusercontent.com URLs; each local
// schema file is registered under that URL. compiled/service.json is not in
// the published 3.0 material: compiled/service_with_definitions.json (the
// same compiled service) stands in for it, and schema/organization.json for
// compiled/organization.json. /service_at_locations/{id} names
// compiled/service.json in the openapi (a copy-paste slip: the body is a
// service_at_location); it is validated against service_at_location.json.
//
//   KANTEL_BIN=build/kantel node tests/http/hsds_api.mjs
//
// Runs on SQLite, or on PostgreSQL with KANTEL_TEST_PG set (tests/lib/kantel.mjs).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { suite } from '../lib/harness.mjs';
import { dbTarget, sharedDir, sql, startServer } from '../lib/kantel.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const HSDS = path.join(sharedDir(), 'hsds/3.0');
const SCHEMA = path.join(HSDS, 'schema');
const EX = path.join(HSDS, 'examples');

const req = createRequire(path.join(ROOT, 'web/package.json'));
const Ajv2020 = req('ajv/dist/2020').default;
const addFormats = req('ajv-formats').default;

const t = suite('http: hsds read api');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-hsdsapi-'));
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KANTEL_')));

// ---------------------------------------------------------------- schemas

const BASE = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/';
const OPENAPI = JSON.parse(fs.readFileSync(path.join(SCHEMA, 'openapi.json'), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
const readSchema = (rel) => ({ ...JSON.parse(fs.readFileSync(path.join(SCHEMA, rel), 'utf8')) });
for (const f of fs.readdirSync(SCHEMA).filter((f) => f.endsWith('.json') && f !== 'openapi.json')) {
  ajv.addSchema({ ...readSchema(f), $id: BASE + f });
}
for (const f of ['service_list.json', 'organization_list.json', 'service_at_location_list.json']) {
  ajv.addSchema({ ...readSchema(`compiled/${f}`), $id: `${BASE}compiled/${f}` });
}
ajv.addSchema({ ...readSchema('compiled/service_with_definitions.json'), $id: `${BASE}compiled/service.json` });
ajv.addSchema({ $id: `${BASE}compiled/organization.json`, $ref: `${BASE}organization.json` });

/** The openapi's 200 schema of path p, with #/components/... refs inlined. */
function responseSchema(p) {
  const s = structuredClone(OPENAPI.paths[p].get.responses['200'].content['application/json'].schema);
  const inline = (o) => {
    if (Array.isArray(o)) return o.map(inline);
    if (o && typeof o === 'object') {
      if (typeof o.$ref === 'string' && o.$ref.startsWith('#/components/schemas/')) {
        return inline(structuredClone(OPENAPI.components.schemas[o.$ref.split('/').pop()]));
      }
      return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, inline(v)]));
    }
    return o;
  };
  return inline(s);
}
const validators = {};
for (const p of Object.keys(OPENAPI.paths)) validators[p] = ajv.compile(responseSchema(p));
validators['/service_at_locations/{id}'] = ajv.getSchema(BASE + 'service_at_location.json');
// List items alone (format=ndjson lines).
const itemValidators = {};
for (const p of Object.keys(OPENAPI.paths)) {
  const items = OPENAPI.paths[p].get.responses['200'].content['application/json'].schema.properties?.contents?.items;
  if (items) itemValidators[p] = ajv.getSchema(items.$ref);
}

function assertValid(p, body) {
  const v = validators[p];
  assert.ok(v, `no schema for ${p}`);
  if (!v(body)) assert.fail(`${p}: response does not match the HSDS schema: ${ajv.errorsText(v.errors)}`);
}

// ---------------------------------------------------------------- data

const G = '9999';
const uuid = (prefix, n) => `${prefix}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ORG = [1, 2, 3].map((k) => uuid('a', k));
const SVC = (i) => uuid('b', i);
const SAL = (i) => uuid('c', i);
const LOC = (i) => uuid('d', i);
const T1 = uuid('e', 1), T2 = uuid('e', 2), T3 = uuid('e', 3);
const X1 = uuid('f', 1), X2 = uuid('f', 2);
const N = 60;
const range = (a, b) => Array.from({ length: b - a + 1 }, (_, k) => a + k);
const ALL = range(1, N);
const orgOf = (i) => ORG[(i - 1) % 3];
const CENTRE = { lat: 52.0907, lon: 5.1214 }; // postcode 3511AB in this test
const lastModified = (i) => {
  if (i === 30) return undefined;
  if (i === 20) return '2024-01-21T13:30:00+02:00'; // 11:30 UTC, before 12:00 UTC that day
  return new Date(Date.UTC(2024, 0, 1 + i, 12)).toISOString();
};

// the ids in the store from the examples
const EX_SERVICE = 'ac148810-d857-441c-9679-408f346de14b';
const EX_ORG = 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610';
const EX_SAL = 'e94c9f38-1e8f-4564-91d4-d53501ab1765';
const EX_TAXONOMY = '5c4d79d7-cc55-470e-9f1f-8cad074e4892';
const EX_TERM = '3f7b145d-84af-42d7-8fae-eaca714b02b2';

// another municipality
const OTHER_ORG = uuid('9', 1), OTHER_SVC = uuid('9', 2), OTHER_LOC = uuid('9', 3), OTHER_SAL = uuid('9', 4);

function terms() {
  const tax = (id, name) => ({ id, name, description: `Taxonomie ${name}` });
  return [
    { id: T1, code: 'T1', name: 'Maaltijden', description: 'Eten en drinken', taxonomy_detail: tax(X1, 'Kantel') },
    { id: T2, code: 'T2', name: 'Vervoer', description: 'Van deur tot deur', taxonomy_detail: tax(X2, 'Ander') },
    { id: T3, code: 'T3', name: 'Warme maaltijd', description: 'Aan huis', parent_id: T1, taxonomy_detail: tax(X1, 'Kantel') },
  ];
}

function service(i) {
  const s = {
    id: SVC(i),
    name: `Dienst ${i}`,
    description: `Beschrijving van dienst ${i}`,
    status: i % 10 === 0 ? 'inactive' : 'active',
    organization: { id: orgOf(i), name: `Organisatie ${ORG.indexOf(orgOf(i)) + 1}`, description: 'Een aanbieder' },
  };
  if (i === 7) s.name = 'Café Öztürk maaltijden';
  if (i === 8) s.description = 'Koken met ÖZTÜRK';
  if (i === 9) s.alternate_name = 'Eetcafé';
  const lm = lastModified(i);
  if (lm) s.last_modified = lm;
  const attrs = [];
  if (i % 3 === 0) attrs.push({ id: uuid('7', i * 10 + 1), taxonomy_term_id: T1, link_entity: 'service' });
  if (i % 4 === 0) attrs.push({ id: uuid('7', i * 10 + 2), taxonomy_term_id: T2, link_entity: 'service' });
  if (i % 5 === 0) attrs.push({ id: uuid('7', i * 10 + 3), taxonomy_term_id: T3, link_entity: 'service' });
  if (attrs.length) s.attributes = attrs;
  if (i <= 12) {
    // location i lies i*150 m north of the centre
    const lat = (CENTRE.lat + (i * 150) / 111194.93).toFixed(7);
    s.service_at_locations = [{
      id: SAL(i),
      description: `Spreekuur ${i}`,
      location: { id: LOC(i), location_type: 'physical', name: `Buurthuis ${i}`, latitude: Number(lat), longitude: CENTRE.lon },
    }];
  }
  return s;
}

function run(args) {
  const r = spawnSync(BIN, args, { cwd: root, env: ENV, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' });
  if (r.error) throw r.error;
  return r;
}

const dir = path.join(root, 'db');
fs.mkdirSync(dir);
const FLAGS = ['--database', dbTarget(dir), '--key-file', path.join(dir, 'k.key')];
let server;

function setUp() {
  let r = run(['init', ...FLAGS]);
  assert.equal(r.status, 0, `init: ${r.stdout}${r.stderr}`);
  const kinds = /^(organization|service|service_at_location|location|taxonomy|taxonomy_term)(_full|_list)?\.json$/;
  const files = fs.readdirSync(EX).filter((f) => kinds.test(f)).sort();
  assert.ok(files.length >= 10, `examples found: ${files}`);
  for (const f of files) {
    r = run(['import', 'hsds', path.join(EX, f), ...FLAGS]);
    assert.equal(r.status, 0, `import ${f}: ${r.stdout}${r.stderr}`);
  }
  const tf = path.join(root, 'taxonomy_terms.json');
  fs.writeFileSync(tf, JSON.stringify(terms()));
  r = run(['import', 'hsds', tf, '--type', 'taxonomy_term', ...FLAGS]);
  assert.equal(r.status, 0, `import terms: ${r.stdout}${r.stderr}`);
  const sf = path.join(root, 'services.json');
  fs.writeFileSync(sf, JSON.stringify(ALL.map(service)));
  r = run(['import', 'hsds', sf, '--type', 'service', ...FLAGS]);
  assert.equal(r.status, 0, `import services: ${r.stdout}${r.stderr}`);

  sql(dir, `INSERT INTO postcode_geo (gemeente, postcode, lat_e7, lon_e7, source) VALUES ('${G}', '3511AB', 520907000, 51214000, 'test')`);
  // Another municipality: matches every filter and search, yet never shows.
  sql(dir, "INSERT INTO municipality (gemeente, name, created_at) VALUES ('0001', 'Gemeente Elders', 0)");
  sql(dir, `INSERT INTO postcode_geo (gemeente, postcode, lat_e7, lon_e7, source) VALUES ('0001', '3511AB', 520907000, 51214000, 'test')`);
  sql(dir, `INSERT INTO hsds_organization (id, gemeente, "name", description) VALUES ('${OTHER_ORG}', '0001', 'Café Öztürk elders', 'Dienst elders')`);
  sql(dir, `INSERT INTO hsds_service (id, gemeente, organization_id, "name", description, status, last_modified) VALUES ('${OTHER_SVC}', '0001', '${ORG[0]}', 'Café Öztürk Dienst', 'Dienst elders', 'active', '2030-01-01T00:00:00Z')`);
  sql(dir, `INSERT INTO hsds_attribute (id, gemeente, link_id, taxonomy_term_id) VALUES ('${uuid('9', 5)}', '0001', '${OTHER_SVC}', '${T1}')`);
  // an attribute of 0001 on a service of ours must not make it match either
  sql(dir, `INSERT INTO hsds_attribute (id, gemeente, link_id, taxonomy_term_id) VALUES ('${uuid('9', 6)}', '0001', '${SVC(1)}', '${T2}')`);
  sql(dir, `INSERT INTO hsds_location (id, gemeente, location_type, "name", latitude, longitude) VALUES ('${OTHER_LOC}', '0001', 'physical', 'Buurthuis elders', '52.0907', '5.1214')`);
  sql(dir, `INSERT INTO hsds_service_at_location (id, gemeente, service_id, location_id, description) VALUES ('${OTHER_SAL}', '0001', '${OTHER_SVC}', '${OTHER_LOC}', 'Spreekuur elders')`);
  sql(dir, `INSERT INTO hsds_taxonomy (id, gemeente, "name", description) VALUES ('${uuid('9', 7)}', '0001', 'Maaltijden elders', 'Elders')`);
  sql(dir, `INSERT INTO hsds_taxonomy_term (id, gemeente, "name", description, taxonomy_id) VALUES ('${uuid('9', 8)}', '0001', 'Maaltijden elders', 'Elders', '${X1}')`);
}

// ---------------------------------------------------------------- requests

const OTHER_IDS = [OTHER_ORG, OTHER_SVC, OTHER_LOC, OTHER_SAL, uuid('9', 7), uuid('9', 8)];

/** GET an API path; checks status, JSON content type, no cookie, and no id of 0001. */
async function get(p, status = 200) {
  const res = await fetch(server.url + '/api/hsds' + p, { headers: { Accept: '*/*' }, redirect: 'manual' });
  const text = await res.text();
  assert.equal(res.status, status, `GET ${p}: status ${res.status}, want ${status}: ${text.slice(0, 300)}`);
  assert.equal(res.headers.get('set-cookie'), null, `GET ${p} set a cookie`);
  const ct = res.headers.get('content-type') || '';
  if (status === 200 && !/format=ndjson/.test(p)) assert.equal(ct, 'application/json; charset=utf-8', `GET ${p}`);
  else assert.match(ct, /^application\/(x-nd)?json/, `GET ${p}: content type ${ct}`);
  for (const id of OTHER_IDS) assert.ok(!text.includes(id), `GET ${p} shows ${id} of municipality 0001`);
  return { res, text, body: /ndjson/.test(ct) ? null : JSON.parse(text) };
}

/** A list page: validated against the path's schema; returns the body. */
async function list(p, pathKey) {
  const { body } = await get(p);
  assertValid(pathKey, body);
  for (const k of ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents']) {
    assert.ok(k in body, `GET ${p}: no ${k}`);
  }
  assert.equal(body.size, body.contents.length, `GET ${p}: size`);
  return body;
}

/** All ids of a filtered list, walking every page. */
async function ids(p, pathKey, perPage = 100) {
  const sep = p.includes('?') ? '&' : '?';
  const out = [];
  for (let page = 1; ; page++) {
    const b = await list(`${p}${sep}per_page=${perPage}&page=${page}`, pathKey);
    out.push(...b.contents.map((c) => c.id));
    if (b.last_page) {
      assert.equal(out.length, b.total_items, `GET ${p}: total_items`);
      return out;
    }
  }
}

const svcIds = (nums, extra = []) => [...nums.map(SVC), ...extra].sort();
const errBody = (body, names) => {
  assert.equal(body.status, 400);
  assert.equal(typeof body.message, 'string');
  for (const n of names) assert.ok(body.errors && body.errors[n], `error names ${n}: ${JSON.stringify(body)}`);
};

// ---------------------------------------------------------------- tests

try {
  setUp();
  server = await startServer({ bin: BIN, dir });

  await t.test('GET /api/hsds/: the API metadata object', async () => {
    const { body } = await get('/');
    assertValid('/', body);
    assert.equal(body.version, '3.0');
    assert.match(body.openapi_url, /^https:\/\//);
    assert.match(body.profile, /^https:\/\//);
  });

  await t.test('services: list page shape (service_list) and default page size 50', async () => {
    const b = await list('/services', '/services');
    assert.equal(b.total_items, N + 1);
    assert.equal(b.size, 50);
    assert.equal(b.total_pages, 2);
    assert.equal(b.page_number, 1);
    assert.deepEqual([b.first_page, b.last_page, b.empty], [true, false, false]);
    const all = [...ALL.map(SVC), EX_SERVICE].sort();
    assert.deepEqual(b.contents.map((c) => c.id), all.slice(0, 50), 'ordered by id');
    assert.equal((await ids('/services', '/services')).length, N + 1);
    // the list shape: one-to-one fields and the nested organization, no arrays
    const one = b.contents.find((c) => c.id === SVC(3));
    assert.equal(one.organization.id, ORG[2]);
    assert.ok(!('attributes' in one) && !('service_at_locations' in one), 'no arrays in list items');
    assert.ok(!('organization_id' in one), 'organization_id is replaced by organization');
    for (const c of b.contents) for (const v of Object.values(c)) assert.ok(!Array.isArray(v));
  });

  await t.test('paging arithmetic: first, middle, last, beyond the end, per_page limits', async () => {
    let b = await list('/services?per_page=10', '/services');
    assert.deepEqual([b.total_items, b.total_pages, b.page_number, b.size, b.first_page, b.last_page, b.empty],
      [61, 7, 1, 10, true, false, false]);
    b = await list('/services?per_page=10&page=4', '/services');
    assert.deepEqual([b.page_number, b.size, b.first_page, b.last_page, b.empty], [4, 10, false, false, false]);
    b = await list('/services?page=7&per_page=10', '/services');
    assert.deepEqual([b.page_number, b.size, b.first_page, b.last_page, b.empty], [7, 1, false, true, false]);
    b = await list('/services?page=8&per_page=10', '/services');
    assert.deepEqual([b.total_items, b.total_pages, b.page_number, b.size, b.first_page, b.last_page, b.empty, b.contents],
      [61, 7, 8, 0, false, true, true, []]);
    b = await list('/services?per_page=100', '/services');
    assert.deepEqual([b.total_pages, b.size, b.first_page, b.last_page], [1, 61, true, true]);
    b = await list('/services?per_page=1&page=61', '/services');
    assert.deepEqual([b.total_pages, b.size, b.last_page], [61, 1, true]);
    // pages do not overlap and cover everything
    const walked = await ids('/services', '/services', 7);
    assert.equal(new Set(walked).size, 61);
    assert.deepEqual(walked, [...walked].sort());
    // an empty result
    b = await list(`/services?organization_id=${uuid('a', 9)}`, '/services');
    assert.deepEqual([b.total_items, b.total_pages, b.page_number, b.size, b.first_page, b.last_page, b.empty],
      [0, 0, 1, 0, true, true, true]);
    for (const q of ['per_page=101', 'per_page=0', 'page=0', 'page=-1', 'page=x', 'per_page=1.5', 'page=']) {
      const { body } = await get(`/services?${q}`, q === 'page=' ? 200 : 400);
      if (q !== 'page=') errBody(body, [q.split('=')[0]]);
    }
  });

  await t.test('services/{id}: the full service (compiled service schema); 404 JSON for unknown ids', async () => {
    const { body } = await get(`/services/${EX_SERVICE}`);
    assertValid('/services/{id}', body);
    const example = JSON.parse(fs.readFileSync(path.join(EX, 'service_full.json'), 'utf8'));
    assert.equal(body.name, example.name);
    assert.ok(Array.isArray(body.phones) && body.phones.length > 0, 'nested phones');
    const { body: s3 } = await get(`/services/${SVC(3)}`);
    assertValid('/services/{id}', s3);
    assert.deepEqual(s3.attributes.map((a) => a.taxonomy_term.id), [T1]);
    let r = await get(`/services/${uuid('b', 999)}`, 404);
    assert.equal(r.body.status, 404);
    assert.equal(typeof r.body.message, 'string');
    r = await get(`/services/${OTHER_SVC}`, 404); // another municipality's service
    r = await get('/services/not.an.id', 404);
    assert.equal(r.body.status, 404);
    r = await get(`/services/${'x'.repeat(65)}`, 404);
    r = await get(`/services/${EX_SERVICE}?full=true`, 400);
    assert.equal(r.body.status, 400);
  });

  await t.test('services: search matches name, alternate name and description, accents and case ignored', async () => {
    assert.deepEqual(await ids('/services?search=ozturk', '/services'), svcIds([7, 8]));
    assert.deepEqual(await ids('/services?search=CAFÉ+%C3%B6zt%C3%BCrk', '/services'), svcIds([7]));
    assert.deepEqual(await ids('/services?search=cafe', '/services'), svcIds([7, 9]));
    assert.deepEqual(await ids('/services?search=dienst+12', '/services'), svcIds([12]));
    assert.deepEqual(await ids('/services?search=counselling', '/services'), [EX_SERVICE]);
    assert.deepEqual(await ids('/services?search=geen-treffer-xyz', '/services'), []);
    assert.deepEqual(await ids('/services?search=', '/services'), svcIds(ALL, [EX_SERVICE]));
  });

  await t.test('services: organization_id, taxonomy_term_id, taxonomy_id (and combined)', async () => {
    assert.deepEqual(await ids(`/services?organization_id=${ORG[0]}`, '/services'), svcIds(ALL.filter((i) => i % 3 === 1)));
    assert.deepEqual(await ids(`/services?organization_id=${EX_ORG}`, '/services'), [EX_SERVICE]);
    assert.deepEqual(await ids(`/services?taxonomy_term_id=${T1}`, '/services'), svcIds(ALL.filter((i) => i % 3 === 0)));
    assert.deepEqual(await ids(`/services?taxonomy_term_id=${T2}`, '/services'), svcIds(ALL.filter((i) => i % 4 === 0)));
    assert.deepEqual(await ids(`/services?taxonomy_id=${X1}`, '/services'), svcIds(ALL.filter((i) => i % 3 === 0 || i % 5 === 0)));
    assert.deepEqual(await ids(`/services?taxonomy_id=${X2}`, '/services'), svcIds(ALL.filter((i) => i % 4 === 0)));
    assert.deepEqual(await ids(`/services?taxonomy_id=${EX_TAXONOMY}`, '/services'), [EX_SERVICE]);
    assert.deepEqual(await ids(`/services?taxonomy_term_id=${T1}&organization_id=${ORG[2]}`, '/services'),
      svcIds(ALL.filter((i) => i % 3 === 0)));
    assert.deepEqual(await ids(`/services?taxonomy_term_id=${T2}&organization_id=${ORG[1]}&search=dienst`, '/services'),
      svcIds(ALL.filter((i) => i % 4 === 0 && i % 3 === 2)));
    assert.deepEqual(await ids(`/services?taxonomy_term_id=${uuid('e', 99)}`, '/services'), []);
    for (const q of ['organization_id=a.b', 'taxonomy_term_id=%7Bx%7D']) {
      errBody((await get(`/services?${q}`, 400)).body, [q.split('=')[0]]);
    }
    // longer than an id can be: refused by the gate as hostile, without field details
    assert.equal((await get(`/services?taxonomy_id=${'a'.repeat(65)}`, 400)).body.status, 400);
  });

  await t.test('services: modified_after compares instants (offsets, dates)', async () => {
    const want = ALL.filter((i) => i >= 21 && i !== 30);
    assert.deepEqual(await ids('/services?modified_after=2024-01-21T12:00:00Z', '/services'), svcIds(want));
    assert.deepEqual(await ids('/services?modified_after=2024-01-21T11:30:00Z', '/services'), svcIds([20, ...want]));
    assert.deepEqual(await ids('/services?modified_after=2024-01-21T13:30:00%2B02:00', '/services'), svcIds([20, ...want]));
    assert.deepEqual(await ids('/services?modified_after=2024-03-01', '/services'), svcIds([60]));
    assert.deepEqual(await ids('/services?modified_after=2023-01-01T00:00:00.000Z', '/services'),
      svcIds(ALL.filter((i) => i !== 30), [EX_SERVICE]));
    for (const q of ['2024-13-01', '2024-02-30T00:00:00Z', 'gisteren', '2024-01-01T25:00:00Z', '2024-01-01T10:00:00+2']) {
      errBody((await get(`/services?modified_after=${encodeURIComponent(q)}`, 400)).body, ['modified_after']);
    }
  });

  await t.test('services: minimal and full', async () => {
    let b = await list(`/services?minimal=true&organization_id=${ORG[1]}&per_page=100`, '/services');
    assert.equal(b.total_items, 20);
    for (const c of b.contents) {
      assert.deepEqual(Object.keys(c).filter((k) => !['id', 'name', 'status', 'last_modified'].includes(k)), []);
    }
    assert.deepEqual(b.contents.find((c) => c.id === SVC(20)),
      { id: SVC(20), name: 'Dienst 20', status: 'inactive', last_modified: '2024-01-21T13:30:00+02:00' });
    b = await list(`/services?full=true&taxonomy_term_id=${T1}&per_page=5`, '/services');
    assert.equal(b.size, 5);
    for (const c of b.contents) {
      assertValid('/services/{id}', c);
      assert.ok(Array.isArray(c.attributes), 'full services carry their arrays');
    }
    b = await list('/services?full=false&minimal=false&per_page=3', '/services');
    assert.equal(b.size, 3);
    for (const q of ['minimal=1', 'full=yes', 'full=TRUE']) errBody((await get(`/services?${q}`, 400)).body, [q.split('=')[0]]);
  });

  await t.test('format=ndjson: every matching item, one per line, no paging', async () => {
    const { res, text } = await get(`/services?format=ndjson&organization_id=${ORG[0]}`);
    assert.match(res.headers.get('content-type'), /^application\/x-ndjson/);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.id), svcIds(ALL.filter((i) => i % 3 === 1)));
    for (const l of lines) assert.ok(itemValidators['/services'](l), ajv.errorsText(itemValidators['/services'].errors));
    const j = await list('/services?format=json&per_page=2', '/services');
    assert.equal(j.size, 2);
    errBody((await get('/services?format=xml', 400)).body, ['format']);
    errBody((await get('/services?format=ndjson&page=2', 400)).body, ['page']);
  });

  await t.test('organizations: list (organization_list), full, full_service, search', async () => {
    const b = await list('/organizations', '/organizations');
    assert.deepEqual(b.contents.map((c) => c.id), [...ORG, EX_ORG].sort());
    for (const c of b.contents) for (const v of Object.values(c)) assert.ok(!Array.isArray(v), 'list items have no arrays');
    let f = await list('/organizations?full=true', '/organizations');
    const a = f.contents.find((c) => c.id === ORG[0]);
    assertValid('/organizations/{id}', a);
    assert.equal(a.services.length, 20);
    for (const s of a.services) {
      assert.ok(!('attributes' in s) && !('service_at_locations' in s), 'services are simple without full_service');
      assert.ok(ajv.getSchema(BASE + 'service.json')(s));
    }
    f = await list('/organizations?full_service=true', '/organizations');
    const full = f.contents.find((c) => c.id === ORG[2]);
    assert.ok(full.services.some((s) => Array.isArray(s.attributes)), 'full_service nests full services');
    assert.deepEqual(await ids('/organizations?search=organisatie+2', '/organizations'), [ORG[1]]);
    assert.deepEqual(await ids('/organizations?search=example+org', '/organizations'), [EX_ORG]);
    errBody((await get('/organizations?full_service=ja', 400)).body, ['full_service']);
    await get('/organizations?taxonomy_id=' + X1, 400);
  });

  await t.test('organizations/{id}: full organization, services simple unless full_service', async () => {
    let { body } = await get(`/organizations/${EX_ORG}`);
    assertValid('/organizations/{id}', body);
    assert.ok(Array.isArray(body.phones));
    ({ body } = await get(`/organizations/${ORG[1]}`));
    assertValid('/organizations/{id}', body);
    assert.equal(body.services.length, 20);
    assert.ok(body.services.every((s) => !('attributes' in s)));
    ({ body } = await get(`/organizations/${ORG[1]}?full_service=true`));
    assertValid('/organizations/{id}', body);
    assert.ok(body.services.some((s) => Array.isArray(s.attributes)));
    await get(`/organizations/${OTHER_ORG}`, 404);
    await get(`/organizations/${uuid('a', 9)}`, 404);
    errBody((await get(`/organizations/${ORG[1]}?full_service=1`, 400)).body, ['full_service']);
  });

  await t.test('service_at_locations: list (service_at_location_list) and filters', async () => {
    const all = [...range(1, 12).map(SAL), EX_SAL].sort();
    const b = await list('/service_at_locations', '/service_at_locations');
    assert.deepEqual(b.contents.map((c) => c.id), all);
    const s3 = b.contents.find((c) => c.id === SAL(3));
    assert.equal(s3.service.id, SVC(3));
    assert.equal(s3.location.id, LOC(3));
    assert.equal(s3.service.organization.id, ORG[2]);
    const sal = (nums) => nums.map(SAL).sort();
    assert.deepEqual(await ids(`/service_at_locations?organization_id=${ORG[0]}`, '/service_at_locations'), sal([1, 4, 7, 10]));
    assert.deepEqual(await ids(`/service_at_locations?taxonomy_term_id=${T1}`, '/service_at_locations'), sal([3, 6, 9, 12]));
    assert.deepEqual(await ids(`/service_at_locations?taxonomy_id=${X1}`, '/service_at_locations'), sal([3, 5, 6, 9, 10, 12]));
    assert.deepEqual(await ids('/service_at_locations?search=buurthuis+11', '/service_at_locations'), sal([11]));
    assert.deepEqual(await ids('/service_at_locations?search=spreekuur', '/service_at_locations'), sal(range(1, 12)));
    assert.deepEqual(await ids('/service_at_locations?search=ozturk', '/service_at_locations'), sal([7, 8]));
    assert.deepEqual(await ids('/service_at_locations?modified_after=2024-01-10T00:00:00Z', '/service_at_locations'), sal([9, 10, 11, 12]));
    const f = await list('/service_at_locations?full=true&per_page=2', '/service_at_locations');
    for (const c of f.contents) assertValid('/service_at_locations/{id}', c);
  });

  await t.test('service_at_locations: postcode + proximity (metres from the postcode centroid)', async () => {
    const sal = (nums) => nums.map(SAL).sort();
    assert.deepEqual(await ids('/service_at_locations?postcode=3511AB&proximity=1000', '/service_at_locations'), sal(range(1, 6)));
    assert.deepEqual(await ids('/service_at_locations?postcode=3511+ab&proximity=200', '/service_at_locations'), sal([1]));
    assert.deepEqual(await ids('/service_at_locations?postcode=3511AB&proximity=100', '/service_at_locations'), []);
    assert.deepEqual(await ids(`/service_at_locations?postcode=3511AB&proximity=1000&organization_id=${ORG[1]}`, '/service_at_locations'), sal([2, 5]));
    errBody((await get('/service_at_locations?postcode=9999ZZ&proximity=1000', 400)).body, ['postcode']);
    errBody((await get('/service_at_locations?postcode=3511AB', 400)).body, ['proximity']);
    errBody((await get('/service_at_locations?proximity=10', 400)).body, ['postcode']);
    errBody((await get('/service_at_locations?postcode=AB3511&proximity=10', 400)).body, ['postcode']);
    errBody((await get('/service_at_locations?postcode=3511AB&proximity=-5', 400)).body, ['proximity']);
  });

  await t.test('service_at_locations/{id}: the full object; 404 JSON', async () => {
    const { body } = await get(`/service_at_locations/${EX_SAL}`);
    assertValid('/service_at_locations/{id}', body);
    assert.ok(Array.isArray(body.phones) && body.location && body.location.id);
    const r = await get(`/service_at_locations/${SAL(2)}`);
    assertValid('/service_at_locations/{id}', r.body);
    assert.equal(r.body.location.name, 'Buurthuis 2');
    await get(`/service_at_locations/${OTHER_SAL}`, 404);
  });

  await t.test('taxonomies: list, search, by id', async () => {
    const b = await list('/taxonomies', '/taxonomies');
    assert.deepEqual(b.contents.map((c) => c.id), [EX_TAXONOMY, X1, X2].sort());
    assert.deepEqual(await ids('/taxonomies?search=kantel', '/taxonomies'), [X1]);
    const { body } = await get(`/taxonomies/${X2}`);
    assertValid('/taxonomies/{id}', body);
    assert.equal(body.name, 'Ander');
    await get(`/taxonomies/${uuid('9', 7)}`, 404);
    await get('/taxonomies?taxonomy_id=' + X1, 400);
  });

  await t.test('taxonomy_terms: list, taxonomy_id, parent_id, top_only, search, by id', async () => {
    const b = await list('/taxonomy_terms', '/taxonomy_terms');
    assert.deepEqual(b.contents.map((c) => c.id), [EX_TERM, T1, T2, T3].sort());
    const t3 = b.contents.find((c) => c.id === T3);
    assert.equal(t3.taxonomy_detail.id, X1);
    assert.deepEqual(await ids(`/taxonomy_terms?taxonomy_id=${X1}`, '/taxonomy_terms'), [T1, T3]);
    assert.deepEqual(await ids(`/taxonomy_terms?parent_id=${T1}`, '/taxonomy_terms'), [T3]);
    assert.deepEqual(await ids('/taxonomy_terms?top_only=true', '/taxonomy_terms'), [T1, T2]);
    assert.deepEqual(await ids('/taxonomy_terms?top_only=false', '/taxonomy_terms'), [EX_TERM, T1, T2, T3].sort());
    assert.deepEqual(await ids(`/taxonomy_terms?top_only=true&taxonomy_id=${X1}`, '/taxonomy_terms'), [T1]);
    assert.deepEqual(await ids('/taxonomy_terms?search=maaltijd', '/taxonomy_terms'), [T1, T3]);
    assert.deepEqual(await ids('/taxonomy_terms?search=warme', '/taxonomy_terms'), [T3]);
    assert.deepEqual(await ids('/taxonomy_terms?search=maaltijden', '/taxonomy_terms'), [T1]);
    const { body } = await get(`/taxonomy_terms/${EX_TERM}`);
    assertValid('/taxonomy_terms/{id}', body);
    await get(`/taxonomy_terms/${uuid('9', 8)}`, 404);
    errBody((await get('/taxonomy_terms?top_only=ja', 400)).body, ['top_only']);
    errBody((await get('/taxonomy_terms?parent_id=x%20y', 400)).body, ['parent_id']);
  });

  await t.test('refusals are JSON: unknown parameter, unknown path, POST, bad id segment', async () => {
    for (const p of ['/services?bogus=1', '/taxonomies?page=1&x=', '/services/' + SVC(1) + '?page=1']) {
      const { body } = await get(p, 400);
      assert.equal(body.status, 400);
    }
    let r = await get('/bestaat-niet', 404);
    assert.equal(r.body.status, 404);
    r = await get('/services/', 404);
    assert.equal(r.body.status, 404);
    const res = await fetch(server.url + '/api/hsds/services', { method: 'POST', body: 'a=b',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.status, 405);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.equal((await res.json()).status, 405);
    const head = await fetch(server.url + '/api/hsds/services', { method: 'HEAD' });
    assert.equal(head.status, 200);
  });

  await t.test('no session needed; a signed-out request never gets a cookie', async () => {
    // get() already checks every answer above for Set-Cookie; here the headers once more.
    const res = await fetch(server.url + '/api/hsds/services?per_page=1');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('set-cookie'), null);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    await res.arrayBuffer();
  });

  await t.test('another municipality: nothing of 0001 in any list, search or ndjson', async () => {
    // get() asserts this for every response; these requests would match 0001's rows.
    for (const p of ['/services?search=elders', '/services?per_page=100', `/services?taxonomy_term_id=${T1}&per_page=100`,
      '/organizations?search=elders', '/service_at_locations?search=elders', '/service_at_locations?postcode=3511AB&proximity=10',
      '/taxonomies?search=elders', '/taxonomy_terms?search=elders', `/taxonomy_terms?taxonomy_id=${X1}`,
      '/services?format=ndjson', '/organizations?full=true&per_page=100']) {
      const { body } = await get(p);
      if (body && /elders/.test(p)) assert.equal(body.total_items, 0, p);
    }
    assert.deepEqual(await ids(`/services?taxonomy_term_id=${T2}`, '/services'), svcIds(ALL.filter((i) => i % 4 === 0)),
      'an attribute of 0001 on our service does not count');
  });

  await t.test('open data: any site may read the API (CORS, CORP); other pages stay same-origin', async () => {
    const res = await fetch(server.url + '/api/hsds/services', { headers: { Origin: 'https://elders.example' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal(res.headers.get('access-control-allow-credentials'), null, 'never with credentials');
    const bad = await fetch(server.url + '/api/hsds/services?bogus=1');
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get('content-type'), 'application/json; charset=utf-8', 'errors are JSON in UTF-8');
    assert.equal(bad.headers.get('access-control-allow-origin'), '*');
    const page = await fetch(server.url + '/inloggen');
    assert.equal(page.headers.get('cross-origin-resource-policy'), 'same-origin');
    assert.equal(page.headers.get('access-control-allow-origin'), null);
  });

  await t.test('server stops gracefully', async () => {
    assert.equal(await server.stop(), 0);
    server = null;
  });
} catch (e) {
  await t.test('set-up', async () => { throw e; });
} finally {
  if (server) await server.stop().catch(() => {});
  fs.rmSync(root, { recursive: true, force: true });
  t.done();
}
