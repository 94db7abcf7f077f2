// tests/http/cli.mjs - the kantel command line: usage errors, --help of every
// subcommand, config validation, init/migrate, user management, backup and
// the audit-trail check, including tampering with the database.
//
//   KANTEL_BIN=build/kantel node tests/http/cli.mjs
//
// Runs on the backend tests/lib/kantel.mjs picks (KANTEL_TEST_PG): SQLite
// files or a PostgreSQL database per directory. Tampering goes through sql()
// (the sqlite3 CLI or psql); on PostgreSQL each tampered copy is a database
// created from the demo database as its template.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { suite } from '../lib/harness.mjs';
import { Client, backend, dbTarget, runDemo, sql, startServer } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const PASSWORD = 'Kantel-demo-2026!';

const t = suite('http: cli');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-cli-'));
const demoDir = path.join(dir, 'demo');
const DB = dbTarget(demoDir);
const KEY = path.join(demoDir, 'k.key');
const DBFLAGS = ['--database', DB, '--key-file', KEY];

// The environment without KANTEL_* (no config from the caller's shell), and
// the temp dir as working directory (no kantel.conf).
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KANTEL_')));

function run(args, { input = '', timeout = 30_000, cwd = dir } = {}) {
  const r = spawnSync(BIN, args, { cwd, env: ENV, input, encoding: 'utf8', timeout, killSignal: 'SIGKILL' });
  if (r.error && r.error.code !== 'ETIMEDOUT') throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const show = (r) => `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

function expectExit(r, code, what) {
  assert.equal(r.status, code, `${what}: ${show(r)}`);
}

/** The database name in a postgresql:// URI from dbTarget(). */
const pgName = (uri) => decodeURIComponent(new URL(uri).pathname.slice(1));

/**
 * A copy of the demo database under `name` in demoDir: on SQLite the file
 * (with its WAL, if one is left), on PostgreSQL a database created with the
 * demo database as template (nobody is connected to it between tests).
 * Returns the --database value; query it with sql(demoDir, ..., name).
 */
function copyDb(name) {
  if (backend === 'postgres') {
    const to = dbTarget(demoDir, name); // created empty on first use: replace it
    sql(demoDir, `DROP DATABASE ${pgName(to)}`, 'admin');
    sql(demoDir, `CREATE DATABASE ${pgName(to)} TEMPLATE ${pgName(DB)}`, 'admin');
    return to;
  }
  const to = dbTarget(demoDir, name);
  fs.copyFileSync(DB, to);
  for (const ext of ['-wal', '-shm']) if (fs.existsSync(DB + ext)) fs.copyFileSync(DB + ext, to + ext);
  return to;
}

/** Rows of `kantel user list` as {username: {role, totp, status, name}}. */
function userList() {
  const r = run(['user', 'list', ...DBFLAGS]);
  expectExit(r, 0, 'user list');
  const rows = {};
  for (const line of r.stdout.split('\n').slice(1)) {
    const m = /^(\d+)\s+(\S+)\s+(\S+)\s+(yes|no)\s+(\S+)\s+(.*)$/.exec(line.trim());
    if (m) rows[m[2]] = { id: Number(m[1]), role: m[3], totp: m[4], status: m[5], name: m[6] };
  }
  return rows;
}

// ---------------------------------------------------------------- usage

await t.test('kantel without arguments: exit 2, usage on stderr', () => {
  const r = run([]);
  expectExit(r, 2, 'kantel');
  assert.match(r.stderr, /usage/i);
  assert.equal(r.stdout, '', 'nothing on stdout');
});

await t.test('unknown command: exit 2', () => {
  const r = run(['frobnicate']);
  expectExit(r, 2, 'kantel frobnicate');
  assert.match(r.stderr, /frobnicate/);
});

await t.test('every command in kantel --help accepts --help (exit 0, "usage")', () => {
  const h = run(['--help']);
  expectExit(h, 0, 'kantel --help');
  const block = /commands:\n([\s\S]*?)(?:\n\s*\n|$)/.exec(h.stdout);
  assert.ok(block, `a commands list in: ${h.stdout}`);
  const names = [...block[1].matchAll(/^ {2}([a-z][a-z0-9-]*)\s+\S/gm)].map((m) => m[1]);
  for (const want of ['serve', 'init', 'demo', 'migrate', 'user', 'backup', 'audit', 'db', 'jobs', 'version', 'routes'])
    assert.ok(names.includes(want), `--help lists ${want}: ${names}`);
  for (const name of names) {
    const r = run([name, '--help'], { timeout: 15_000 });
    expectExit(r, 0, `kantel ${name} --help`);
    assert.match(r.stdout, /usage/i, `kantel ${name} --help prints usage`);
  }
  assert.deepEqual(fs.readdirSync(dir), [], '--help creates no files');
});

await t.test('kantel user without a subcommand: exit 2', () => {
  const r = run(['user']);
  expectExit(r, 2, 'kantel user');
  assert.match(r.stderr, /subcommand/);
});

await t.test('kantel user add without --role: exit 2', () => {
  const r = run(['user', 'add', 'piet', '--name', 'Piet', ...DBFLAGS], { input: 'Lang-Genoeg-Wachtwoord-1\n' });
  expectExit(r, 2, 'user add without --role');
  assert.match(r.stderr, /--role/);
  const u = run(['user', 'add', 'piet', '--role', 'koning', '--name', 'Piet', ...DBFLAGS], { input: 'Lang-Genoeg-Wachtwoord-1\n' });
  expectExit(u, 2, 'user add with an unknown role');
});

await t.test('kantel serve with an extra argument: exit 2', () => {
  const r = run(['serve', 'extra', '--listen', '127.0.0.1:0', ...DBFLAGS], { timeout: 15_000 });
  expectExit(r, 2, 'serve extra');
  assert.match(r.stderr, /extra/);
});

await t.test('a bad config value (--threads 999): exit 2 naming threads', () => {
  const r = run(['serve', '--threads', '999', '--listen', '127.0.0.1:0', ...DBFLAGS], { timeout: 15_000 });
  expectExit(r, 2, 'serve --threads 999');
  assert.match(r.stderr, /threads/);
  const e = run(['version', '--threads', 'many']);
  expectExit(e, 2, 'version --threads many');
  assert.match(e.stderr, /threads/);
});

await t.test('kantel version prints "kantel "', () => {
  const r = run(['version']);
  expectExit(r, 0, 'version');
  assert.match(r.stdout, /^kantel \d+\.\d+/);
});

await t.test('kantel demo --scale N adds N residents in households; bad N is a usage error', () => {
  const d = path.join(dir, 'scale');
  fs.mkdirSync(d);
  const flags = ['--database', dbTarget(d), '--key-file', path.join(d, 'k.key')];
  let r = run(['demo', '--scale', 'veel', ...flags]);
  expectExit(r, 2, 'demo --scale veel');
  assert.match(r.stderr, /--scale/);
  r = run(['demo', '--scale', '250', ...flags], { timeout: 120_000 });
  expectExit(r, 0, 'demo --scale 250');
  assert.match(r.stdout, /household 1: Huishouden De Vries/);
  const m = /Added (\d+) residents in (\d+) households/.exec(r.stdout);
  assert.ok(m, `scale summary in: ${r.stdout}`);
  assert.equal(Number(m[1]), 250);
  assert.ok(Number(m[2]) >= 250 / 4 && Number(m[2]) <= 250, `households: ${m[2]}`);
});

await t.test('docs/api.md lists exactly the route table (kantel routes --markdown)', () => {
  const r = run(['routes', '--markdown']);
  expectExit(r, 0, 'routes --markdown');
  const doc = fs.readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
  const table = doc.slice(doc.indexOf('| method |')).trim();
  assert.equal(table, r.stdout.trim(), 'regenerate the table in docs/api.md with: build/kantel routes --markdown');
});

await t.test('kantel init, then kantel migrate applies 0 migrations', () => {
  const d = path.join(dir, 'init');
  fs.mkdirSync(d);
  const flags = ['--database', dbTarget(d, 'i'), '--key-file', path.join(d, 'i.key')];
  let r = run(['init', '--naam', 'Gemeente Proefstad', ...flags]);
  expectExit(r, 0, 'init');
  if (backend === 'sqlite') assert.ok(fs.existsSync(path.join(d, 'i.db')), 'database file created');
  assert.ok(Number(sql(d, 'SELECT count(*) FROM schema_version', 'i')) >= 1, 'database created with its schema');
  assert.equal(sql(d, "SELECT count(*) FROM municipality WHERE name = 'Gemeente Proefstad'", 'i'), '1', 'municipality created');
  const st = fs.statSync(path.join(d, 'i.key'));
  assert.equal(st.mode & 0o777, 0o600, 'key file is 0600');
  r = run(['migrate', ...flags]);
  expectExit(r, 0, 'migrate');
  assert.match(r.stdout, /applied 0 migrations/);
  r = run(['init', ...flags]);
  expectExit(r, 0, 'init again is safe');
  r = run(['migrate', 'extra', ...flags]);
  expectExit(r, 2, 'migrate extra');
});

// ---------------------------------------------------------------- accounts

// Audit rows written below, in order: 1 account.create (proef), 2
// account.create (collega), 3 auth.login fail (server), 4 account.disable,
// 5 account.password, 6 account.mfa-reset, 7 account.unlock.
let demoOk = false;
await t.test('setup: demo database', async () => {
  await runDemo(BIN, demoDir);
  demoOk = true;
});

if (demoOk) {
  await t.test('kantel demo brings its households to every stage of the work', () => {
    const q = (s) => sql(demoDir, s);
    const statuses = q('SELECT DISTINCT status FROM request ORDER BY status').split('\n').join(',');
    for (const s of ['nieuw', 'onderzoek', 'afgerond']) assert.ok(statuses.split(',').includes(s), `a request in ${s}: ${statuses}`);
    const today = new Date().toISOString().slice(0, 10); // UTC, as date('now') was
    assert.ok(Number(q(`SELECT count(*) FROM deadline WHERE done_on IS NULL AND due_on < '${today}'`)) >= 1, 'an overdue deadline');
    assert.ok(Number(q(`SELECT count(*) FROM deadline WHERE done_on IS NULL AND due_on >= '${today}'`)) >= 1, 'a deadline still to come');
    assert.ok(Number(q('SELECT count(*) FROM assessment')) >= 2, 'assessments to show progress');
    assert.equal(q('SELECT count(*) FROM plan'), '2', 'two households have a plan');
    assert.equal(q('SELECT count(*) FROM plan_agreement a JOIN plan p ON p.id = a.plan_id AND a.version = p.current_version'), '1',
      'one plan is agreed in its current version');
    assert.ok(Number(q("SELECT count(*) FROM household h WHERE NOT EXISTS (SELECT 1 FROM request r WHERE r.household_id = h.id)")) >= 1,
      'a household without requests yet');
  });
}
if (demoOk) {
  await t.test('kantel user add creates accounts; list shows them', () => {
    let r = run(['user', 'add', 'proef', '--role', 'resident', '--name', 'Piet Proef', ...DBFLAGS],
      { input: 'Zomer-Regen-Paraplu-8\n' });
    expectExit(r, 0, 'user add proef');
    assert.match(r.stdout, /created/);
    r = run(['user', 'add', 'collega', '--role', 'generalist', '--name', 'Cor Collega', '--email', 'cor@voorbeeld.nl',
      ...DBFLAGS], { input: 'Winter-Sneeuw-Slee-19\n' });
    expectExit(r, 0, 'user add collega');
    r = run(['user', 'add', 'proef', '--role', 'resident', '--name', 'Nog Een', ...DBFLAGS], { input: 'Herfst-Blad-Wind-27\n' });
    expectExit(r, 1, 'user add of an existing name');
    r = run(['user', 'add', 'zwak', '--role', 'resident', '--name', 'Zwak', ...DBFLAGS], { input: 'wachtwoord123\n' });
    expectExit(r, 1, 'user add with a common password');
    const list = userList();
    assert.deepEqual(list.proef && { role: list.proef.role, status: list.proef.status, name: list.proef.name },
      { role: 'resident', status: 'active', name: 'Piet Proef' });
    assert.equal(list.collega?.role, 'generalist');
    assert.equal(list.collega?.totp, 'no', 'staff set up TOTP at first sign-in');
    assert.equal(list.zwak, undefined, 'the refused account does not exist');
    assert.equal(list.beheerder?.totp, 'yes');
  });

  await t.test('a failed sign-in on the server (audit row 3); server stops with 0', async () => {
    // One failed attempt locks with --login-max-attempts 1: for `user unlock`.
    const srv = await startServer({ bin: BIN, dir: demoDir, args: ['--login-max-attempts', '1'] });
    let code;
    try {
      const c = new Client(srv.url);
      const f = await c.form('/inloggen');
      const res = await c.post('/inloggen', { csrf: f.csrf, gebruikersnaam: 'inwoner', wachtwoord: 'Fout-Fout-Fout-1' });
      await res.arrayBuffer();
      assert.ok(res.status === 401 || res.status === 429, `failed sign-in: ${res.status}`);
    } finally {
      code = await srv.stop();
    }
    assert.equal(code, 0);
    assert.equal(userList().inwoner?.status, 'locked');
  });

  await t.test('kantel user disable marks the account disabled', () => {
    const r = run(['user', 'disable', 'proef', ...DBFLAGS]);
    expectExit(r, 0, 'user disable');
    assert.equal(userList().proef?.status, 'disabled');
    expectExit(run(['user', 'disable', 'niemand', ...DBFLAGS]), 1, 'user disable of an unknown name');
    expectExit(run(['user', 'disable', ...DBFLAGS]), 2, 'user disable without a name');
  });

  await t.test('kantel user passwd changes the password (policy applies)', () => {
    let r = run(['user', 'passwd', 'collega', ...DBFLAGS], { input: 'Lente-Zon-Bloesem-64\n' });
    expectExit(r, 0, 'user passwd');
    r = run(['user', 'passwd', 'collega', ...DBFLAGS], { input: 'wachtwoord123\n' });
    expectExit(r, 1, 'user passwd with a common password');
    r = run(['user', 'passwd', 'collega', ...DBFLAGS], { input: '' });
    expectExit(r, 1, 'user passwd without a password on stdin');
  });

  await t.test('kantel user mfa-reset removes the second factor', () => {
    assert.equal(userList().generalist?.totp, 'yes');
    const r = run(['user', 'mfa-reset', 'generalist', ...DBFLAGS]);
    expectExit(r, 0, 'user mfa-reset');
    assert.equal(userList().generalist?.totp, 'no');
  });

  await t.test('kantel user unlock clears a lockout', () => {
    const r = run(['user', 'unlock', 'inwoner', ...DBFLAGS]);
    expectExit(r, 0, 'user unlock');
    assert.equal(userList().inwoner?.status, 'active');
  });

  if (backend === 'postgres') {
    await t.test('kantel backup FILE on PostgreSQL: refused (exit 1), points to pg_dump, writes nothing', () => {
      const file = path.join(dir, 'backup.db');
      const r = run(['backup', file, ...DBFLAGS]);
      expectExit(r, 1, 'backup on PostgreSQL');
      assert.match(r.stderr, /pg_dump/, `names pg_dump: ${show(r)}`);
      assert.doesNotMatch(r.stdout, /backup written/);
      assert.equal(fs.existsSync(file), false, 'no file written');
      expectExit(run(['backup', ...DBFLAGS]), 2, 'backup without FILE');
    });
  } else await t.test('kantel backup FILE writes a copy that audit verify accepts', () => {
    const file = path.join(dir, 'backup.db');
    let r = run(['backup', file, ...DBFLAGS]);
    expectExit(r, 0, 'backup');
    assert.ok(fs.statSync(file).size > 0);
    r = run(['audit', 'verify', '--database', file, '--key-file', KEY]);
    expectExit(r, 0, 'audit verify of the backup');
    assert.match(r.stdout, /intact/);
    const before = fs.readFileSync(file);
    r = run(['backup', file, ...DBFLAGS]);
    assert.notEqual(r.status, 0, `backup onto an existing file must fail: ${show(r)}`);
    assert.ok(before.equals(fs.readFileSync(file)), 'the existing file is left alone');
    expectExit(run(['backup', ...DBFLAGS]), 2, 'backup without FILE');
  });

  await t.test('kantel audit verify on the demo with events: exit 0, intact', () => {
    const r = run(['audit', 'verify', ...DBFLAGS]);
    expectExit(r, 0, 'audit verify');
    assert.match(r.stdout, /intact/);
    const n = /(\d+) rows checked/.exec(r.stdout);
    assert.ok(n && Number(n[1]) >= 7, `all events checked: ${r.stdout}`);
    expectExit(run(['audit', ...DBFLAGS]), 2, 'audit without verify');
  });

  // ------------------------------------------------------------ tampering

  await t.test('tampered audit row 3 (UPDATE ... SET result=\'ok\') is reported', () => {
    const db = copyDb('update');
    assert.notEqual(sql(demoDir, 'SELECT result FROM audit_event WHERE id=3', 'update'), 'ok', 'row 3 is the failed sign-in');
    sql(demoDir, "UPDATE audit_event SET result='ok' WHERE id=3", 'update');
    assert.equal(sql(demoDir, 'SELECT result FROM audit_event WHERE id=3', 'update'), 'ok');
    const r = run(['audit', 'verify', '--database', db, '--key-file', KEY]);
    assert.notEqual(r.status, 0, `verify must fail: ${show(r)}`);
    assert.match(r.stdout + r.stderr, /\brow 3\b/, `names row 3: ${show(r)}`);
    assert.doesNotMatch(r.stdout, /intact/);
  });

  await t.test('deleted audit row 2 is reported', () => {
    const db = copyDb('delete2');
    sql(demoDir, 'DELETE FROM audit_event WHERE id=2', 'delete2');
    const r = run(['audit', 'verify', '--database', db, '--key-file', KEY]);
    assert.notEqual(r.status, 0, `verify must fail: ${show(r)}`);
    assert.match(r.stdout + r.stderr, /\brow 2\b/, `names row 2: ${show(r)}`);
  });

  await t.test('deleted last audit row is reported', () => {
    const db = copyDb('deletelast');
    const last = Number(sql(demoDir, 'SELECT max(id) FROM audit_event', 'deletelast'));
    assert.ok(last >= 7);
    sql(demoDir, `DELETE FROM audit_event WHERE id=${last}`, 'deletelast');
    const r = run(['audit', 'verify', '--database', db, '--key-file', KEY]);
    assert.notEqual(r.status, 0, `verify must fail: ${show(r)}`);
    assert.match(r.stdout + r.stderr, new RegExp(`\\b${last}\\b`), `names row ${last}: ${show(r)}`);
  });
}

fs.rmSync(dir, { recursive: true, force: true });
t.done();
