// tests/http/dbcopy.mjs - `kantel db copy` and `kantel db check`: a demo
// municipality with sessions and audit events (one sign-in through a real
// server) is copied from its SQLite file into an empty target; every table is
// reported "ok", counts agree table by table, the audit chain of the copy
// verifies with the source's key, a server on the copy lets the demo user sign
// in and shows household 1. A second copy into the now non-empty target is
// refused and changes nothing; `db check` finds one changed row and names its
// table; the copy goes back into a new SQLite file identical to the original.
// Failures: a missing source (no file created), a source at an older schema
// version, a cycle of foreign keys, a foreign-key violation half-way (all or
// nothing: the target stays empty), usage errors, no password in messages.
//
//   KANTEL_BIN=build/kantel node tests/http/dbcopy.mjs
//   KANTEL_TEST_PG=postgresql://kantel@127.0.0.1:55432 KANTEL_BIN=build/kantel node tests/http/dbcopy.mjs
//
// The source is always a SQLite file. Without KANTEL_TEST_PG the targets are
// SQLite files; with it they are PostgreSQL databases (dbTarget(dir, name)),
// and the way back is PostgreSQL -> SQLite.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { suite } from '../lib/harness.mjs';
import { Client, backend, dbTarget, runDemo, sql, startServer } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const PASSWORD = 'Kantel-demo-2026!';
const SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';

const t = suite(`http: db copy and db check (target: ${backend})`);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-dbcopy-'));
const dirA = path.join(dir, 'a');
const KEY = path.join(dirA, 'k.key');
// The SQLite source: runDemo's database on SQLite; on PostgreSQL runDemo
// would write to PostgreSQL, so the demo goes into a file of its own.
const SRC = backend === 'sqlite' ? dbTarget(dirA) : path.join(dirA, 'src.db');
const B = dbTarget(dir, 'b');

// The environment without KANTEL_* (no config from the caller's shell), and
// the temp dir as working directory (no kantel.conf).
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KANTEL_')));

function run(args, { timeout = 120_000 } = {}) {
  const r = spawnSync(BIN, args, { cwd: dir, env: ENV, encoding: 'utf8', timeout, killSignal: 'SIGKILL' });
  if (r.error && r.error.code !== 'ETIMEDOUT') throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const show = (r) => `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

function expectExit(r, code, what) {
  assert.equal(r.status, code, `${what}: ${show(r)}`);
}

/** One statement on a SQLite file (the source side in both modes). */
function sqlite(file, statement) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', file, statement], { encoding: 'utf8', timeout: 30_000 }).trim();
}

/** A copy of the source file (with its WAL, if one is left). */
function sourceCopy(name) {
  const to = path.join(dir, `${name}.db`);
  fs.copyFileSync(SRC, to);
  for (const ext of ['-wal', '-shm']) if (fs.existsSync(SRC + ext)) fs.copyFileSync(SRC + ext, to + ext);
  return to;
}

/** Per-table lines of copy/check output: {table: {rows, sum, verdict}}. */
function tableLines(stdout) {
  const out = {};
  for (const line of stdout.split('\n')) {
    const m = /^([a-z_][a-z0-9_]*)\s+(\d+)\s+([0-9a-f]{32})\s+(ok|DIFFERS.*)$/.exec(line);
    if (m) out[m[1]] = { rows: Number(m[2]), sum: m[3], verdict: m[4] };
  }
  return out;
}

const copy = (from, to) => run(['db', 'copy', '--from', from, '--to', to]);
const check = (a, b) => run(['db', 'check', '--from', a, '--to', b]);

let copied = null; // per-table lines of the first copy

await t.test('setup: demo source in SQLite, one sign-in through a server (sessions, audit events)', async () => {
  if (backend === 'sqlite') await runDemo(BIN, dirA);
  else {
    fs.mkdirSync(dirA, { recursive: true });
    expectExit(run(['demo', '--database', SRC, '--key-file', KEY]), 0, 'demo into the SQLite source');
  }
  const srv = await startServer({ bin: BIN, dir: dirA, args: ['--database', SRC] });
  try {
    const c = new Client(srv.url);
    await c.login('generalist', PASSWORD, SECRET);
    const res = await c.get('/huishoudens/1');
    await res.arrayBuffer();
    assert.equal(res.status, 200);
  } finally {
    assert.equal(await srv.stop(), 0, 'server exits 0');
  }
  assert.ok(Number(sqlite(SRC, 'SELECT count(*) FROM session')) >= 1, 'a session in the source');
  assert.ok(Number(sqlite(SRC, 'SELECT count(*) FROM audit_event')) >= 2, 'audit events in the source');
});

await t.test(`kantel db copy SQLite -> ${backend}: exit 0, every table ok, summary line`, () => {
  const r = copy(SRC, B);
  expectExit(r, 0, 'db copy');
  copied = tableLines(r.stdout);
  const names = Object.keys(copied);
  assert.ok(names.length >= 20, `a line per table: ${r.stdout}`);
  for (const n of ['account', 'area', 'audit_event', 'household', 'person', 'session', 'plan_version'])
    assert.ok(copied[n], `a line for ${n}`);
  for (const [n, l] of Object.entries(copied)) assert.equal(l.verdict, 'ok', `table ${n}: ${l.verdict}`);
  const rows = Object.values(copied).reduce((s, l) => s + l.rows, 0);
  assert.match(r.stdout, new RegExp(`^copied ${names.length} tables, ${rows} rows; counts and checksums match$`, 'm'));
  assert.ok(copied.session.rows >= 1 && copied.audit_event.rows >= 2, 'sessions and audit events copied');
});

await t.test('every table has the same row count in source and target (SQL)', () => {
  assert.ok(copied, 'the copy ran');
  for (const [n, l] of Object.entries(copied)) {
    const src = Number(sqlite(SRC, `SELECT count(*) FROM ${n}`));
    const dst = Number(sql(dir, `SELECT count(*) FROM ${n}`, 'b'));
    assert.equal(src, l.rows, `${n}: source count vs reported`);
    assert.equal(dst, src, `${n}: target count`);
  }
});

await t.test('kantel db check source vs copy: exit 0, same checksums as the copy reported', () => {
  const r = check(SRC, B);
  expectExit(r, 0, 'db check');
  assert.match(r.stdout, /counts and checksums match/);
  assert.deepEqual(tableLines(r.stdout), copied);
});

await t.test('a second copy into the now non-empty target: exit 1, names a table and its rows, target unchanged', () => {
  const r = copy(SRC, B);
  expectExit(r, 1, 'copy into a non-empty target');
  assert.match(r.stderr, /not empty: table [a-z_]+ has \d+ rows?/, show(r));
  assert.doesNotMatch(r.stdout, /counts and checksums match/);
  const c = check(SRC, B);
  expectExit(c, 0, 'the target still equals the source');
});

await t.test('kantel db check after one changed row in the target: exit 1 naming that table; 0 again once undone', () => {
  const name = sql(dir, 'SELECT name FROM household WHERE id = 2', 'b');
  sql(dir, "UPDATE household SET name = name || ' (gewijzigd)' WHERE id = 2", 'b');
  let r = check(SRC, B);
  expectExit(r, 1, 'db check after a change');
  const lines = tableLines(r.stdout);
  assert.match(lines.household.verdict, /^DIFFERS/, r.stdout);
  const others = Object.entries(lines).filter(([n]) => n !== 'household');
  for (const [n, l] of others) assert.equal(l.verdict, 'ok', `only household differs, not ${n}`);
  assert.match(r.stdout, /1 difference/);
  sql(dir, `UPDATE household SET name = '${name.replace(/'/g, "''")}' WHERE id = 2`, 'b');
  r = check(SRC, B);
  expectExit(r, 0, 'db check after undoing the change');
});

await t.test(`the way back: ${backend} -> a new SQLite file, identical to the original SQLite source`, () => {
  const back = path.join(dir, 'back.db');
  let r = copy(B, back);
  expectExit(r, 0, 'copy back');
  assert.deepEqual(tableLines(r.stdout), copied, 'same counts and checksums as the first copy');
  r = check(SRC, back);
  expectExit(r, 0, 'db check original vs copied back');
  assert.match(r.stdout, /counts and checksums match/);
});

await t.test('kantel audit verify on the copy with the source key file: intact', () => {
  const r = run(['audit', 'verify', '--database', B, '--key-file', KEY]);
  expectExit(r, 0, 'audit verify');
  assert.match(r.stdout, new RegExp(`intact: ${copied.audit_event.rows} rows checked`), show(r));
});

await t.test('a server on the copy: the demo user signs in and sees household 1 with its members', async () => {
  const srv = await startServer({ bin: BIN, dir, args: ['--database', B, '--key-file', KEY] });
  try {
    const c = new Client(srv.url);
    await c.login('generalist', PASSWORD, SECRET);
    const res = await c.get('/huishoudens/1', { headers: { Accept: 'application/json' } });
    assert.equal(res.status, 200);
    const o = await res.json();
    assert.equal(o.household.name, 'Huishouden De Vries');
    assert.deepEqual(o.members.map((m) => m.name), ['Sanne de Vries', 'Lars de Vries', 'Noor de Vries']);
    assert.match(o.members[0].bsn, /^\*{6}\d{3}$/, 'the sealed BSN (a blob) opens with the key');
  } finally {
    assert.equal(await srv.stop(), 0, 'server exits 0');
  }
  const r = run(['audit', 'verify', '--database', B, '--key-file', KEY]);
  expectExit(r, 0, 'audit verify after new events on the copy');
});

await t.test('new rows in the copy get fresh ids after the copied ones', () => {
  const max = Number(sql(dir, 'SELECT max(id) FROM household', 'b'));
  const id = Number(sql(dir, "INSERT INTO household (gemeente, name, created_at) SELECT gemeente, 'Nieuw', 0 FROM municipality RETURNING id", 'b'));
  assert.ok(id > max, `new id ${id} after ${max}`);
});

await t.test('a missing SQLite source: exit 1, clear message, no file created', () => {
  const missing = path.join(dir, 'missing.db');
  const target = path.join(dir, 'never.db');
  const r = copy(missing, target);
  expectExit(r, 1, 'copy from a missing file');
  assert.match(r.stderr, /does not exist/, show(r));
  assert.equal(fs.existsSync(missing), false, 'no source file created');
  assert.equal(fs.existsSync(target), false, 'no target file created');
  const c = check(missing, SRC);
  expectExit(c, 1, 'check with a missing file');
  assert.equal(fs.existsSync(missing), false, 'still no file');
});

await t.test('a source at an older schema version: exit 1, says to migrate it, source unchanged', () => {
  const old = sourceCopy('old');
  sqlite(old, 'DELETE FROM schema_version WHERE version = (SELECT max(version) FROM schema_version)');
  const before = fs.readFileSync(old);
  const r = copy(old, dbTarget(dir, 'old_target'));
  expectExit(r, 1, 'copy from an old schema');
  assert.match(r.stderr, /kantel migrate/, show(r));
  assert.ok(before.equals(fs.readFileSync(old)), 'the source file is unchanged');
});

await t.test('a cycle of foreign keys: exit 1 naming the tables of the cycle', () => {
  const cyc = sourceCopy('cycle');
  sqlite(cyc, `CREATE TABLE cyc_a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES cyc_b(id));
               CREATE TABLE cyc_b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES cyc_a(id));`);
  const r = copy(cyc, path.join(dir, 'cycle-target.db'));
  expectExit(r, 1, 'copy with a cycle');
  assert.match(r.stderr, /cycle \(cyc_a -> cyc_b -> cyc_a\)/, show(r));
  assert.equal(fs.existsSync(path.join(dir, 'cycle-target.db')), false, 'no target created');
});

await t.test('a table name that is not a plain lower-case name: refused, named', () => {
  const bad = sourceCopy('badname');
  sqlite(bad, 'CREATE TABLE "Bad Name" (id INTEGER)');
  const r = copy(bad, path.join(dir, 'bad-target.db'));
  expectExit(r, 1, 'copy with a strange table name');
  assert.match(r.stderr, /'Bad Name' is not a plain lower-case name/, show(r));
});

await t.test('all or nothing: a foreign-key violation half-way rolls back, the target holds no rows', () => {
  const fk = sourceCopy('fk');
  sqlite(fk, "PRAGMA foreign_keys = OFF; INSERT INTO household_member (household_id, person_id, relation) VALUES (1, 999999, 'kind')");
  const target = dbTarget(dir, 'fk_target');
  const r = copy(fk, target);
  expectExit(r, 1, 'copy with a broken foreign key');
  assert.match(r.stderr, /household_member/, show(r));
  assert.match(r.stderr, /rolled back/, show(r));
  for (const n of Object.keys(copied)) assert.equal(sql(dir, `SELECT count(*) FROM ${n}`, 'fk_target'), '0', `${n} is empty`);
});

await t.test('a password in a target URI is never printed', () => {
  const r = copy(SRC, 'postgresql://kantel:s3cr3t-pw@127.0.0.1:1/nowhere?connect_timeout=2');
  expectExit(r, 1, 'copy to an unreachable server');
  assert.doesNotMatch(r.stdout + r.stderr, /s3cr3t-pw/, show(r));
  assert.match(r.stderr, /kantel:\*\*\*@127\.0\.0\.1:1/, show(r));
});

await t.test('usage: exit 2 for wrong arguments; --help describes copy and check', () => {
  for (const args of [['db'], ['db', 'frob'], ['db', 'copy'], ['db', 'copy', '--from', SRC],
    ['db', 'copy', '--from', SRC, '--to'], ['db', 'check', '--to', B], ['db', 'copy', '--from', SRC, '--to', B, 'x'],
    ['db', 'copy', '--from', SRC, '--from', SRC, '--to', B]]) {
    const r = run(args);
    expectExit(r, 2, args.join(' '));
    assert.match(r.stderr, /kantel db/, show(r));
  }
  const h = run(['db', '--help']);
  expectExit(h, 0, 'db --help');
  assert.match(h.stdout, /kantel db copy --from SOURCE --to TARGET/);
  assert.match(h.stdout, /kantel db check --from A --to B/);
});

fs.rmSync(dir, { recursive: true, force: true });
t.done();
