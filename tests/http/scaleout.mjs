// tests/http/scaleout.mjs - two `kantel serve` processes on one database (a
// PostgreSQL database in the -pg suites, one SQLite file otherwise): a session
// started on one continues on the other, writes through both at once all land
// exactly once with consecutive plan versions, the audit chain stays one
// verifiable chain, and each due background job runs in exactly one process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { suite } from '../lib/harness.mjs';
import { backend, Client, dbTarget, runDemo, sql, startServer } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const PASSWORD = 'Kantel-demo-2026!';
const SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';
const JSON_ACCEPT = { headers: { Accept: 'application/json' } };

const t = suite(`http: two serve processes on one ${backend} database`);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-scaleout-'));
const P = '/huishoudens/1/plan';

let a = null, b = null;   // the two servers
let onA = null;           // generalist signed in on A

/** A client for server `srv` that carries the cookies of `from`. */
function sameSession(from, srv) {
  const c = new Client(srv.url);
  for (const [k, v] of from.jar) c.jar.set(k, { ...v });
  return c;
}

async function planModel(c) {
  const res = await c.get(P, JSON_ACCEPT);
  assert.equal(res.status, 200, `GET ${P}: ${res.status}`);
  return res.json();
}

await t.test('setup: demo database, two servers with a 1 s job interval', async () => {
  await runDemo(BIN, dir);
  const args = ['--jobs-interval', '1'];
  a = await startServer({ bin: BIN, dir, args });
  b = await startServer({ bin: BIN, dir, args });
  assert.notEqual(a.port, b.port);
});

if (a && b) {
  await t.test('a session started on one process continues on the other (CSRF too)', async () => {
    onA = new Client(a.url);
    await onA.login('generalist', PASSWORD, SECRET);
    const onB = sameSession(onA, b);
    const res = await onB.get('/huishoudens/1', JSON_ACCEPT);
    assert.equal(res.status, 200, 'B knows the session A created');
    // A form token from A is accepted by B.
    const f = await onA.form(P);
    assert.ok(f.csrf, 'CSRF token on the plan page of A');
    const post = await onB.post(`${P}/acties`, { csrf: f.csrf, omschrijving: 'Via proces B', trede: '1' });
    assert.equal(post.status, 303, `POST through B with A's token: ${post.status}`);
    const m = await planModel(onA);
    assert.ok(m.levels.flatMap((l) => l.actions).some((x) => x.title === 'Via proces B' || x.text === 'Via proces B'
      || JSON.stringify(x).includes('Via proces B')), 'A sees what was written through B');
  });

  await t.test('signing out on one process ends the session on the other', async () => {
    const c = new Client(a.url);
    await c.login('teamleider', PASSWORD, SECRET);
    const onB = sameSession(c, b);
    assert.equal((await onB.get('/')).status, 200, 'signed in on B');
    const f = await onB.form('/');
    const out = await onB.post('/uitloggen', { csrf: f.csrf });
    assert.equal(out.status, 303);
    const res = await c.get('/huishoudens');
    assert.equal(res.status, 303, 'A no longer accepts the cookie');
    assert.match(res.headers.get('location'), /\/inloggen/);
  });

  await t.test('40 plan changes through both processes at once: all stored, versions consecutive', async () => {
    const before = (await planModel(onA)).current_version;
    const onB = sameSession(onA, b);
    const token = (await onA.form(P)).csrf;
    const jobs = [];
    for (let i = 0; i < 20; i++) {
      jobs.push(onA.post(`${P}/acties`, { csrf: token, omschrijving: `Gelijktijdig A${i}`, trede: '2' }));
      jobs.push(onB.post(`${P}/acties`, { csrf: token, omschrijving: `Gelijktijdig B${i}`, trede: '3' }));
    }
    const statuses = (await Promise.all(jobs)).map((r) => r.status);
    assert.deepEqual([...new Set(statuses)], [303], `every change answered 303: ${statuses.join(',')}`);
    const after = (await planModel(onB)).current_version;
    assert.equal(after, before + 40, 'one new version per change');
    const versions = sql(dir, 'SELECT v.version FROM plan_version v JOIN plan p ON p.id = v.plan_id'
      + ' WHERE p.household_id = 1 ORDER BY v.version').split('\n').map(Number);
    assert.deepEqual(versions, Array.from({ length: after }, (_, i) => i + 1), 'versions 1..n, no gap, no double');
    const body = sql(dir, 'SELECT v.body FROM plan_version v JOIN plan p ON p.id = v.plan_id'
      + ` WHERE p.household_id = 1 AND v.version = ${after}`);
    for (let i = 0; i < 20; i++) {
      assert.ok(body.includes(`Gelijktijdig A${i}`) && body.includes(`Gelijktijdig B${i}`), `change ${i} of both kept`);
    }
  });

  await t.test('each due background job runs in exactly one process; expired sessions are removed', async () => {
    // An expired session (idle since 1970) and jobs due every second.
    sql(dir, "INSERT INTO session (token_hash, account_id, gemeente, state, csrf, created_at, last_seen_at)"
      + (backend === 'postgres'
        ? " VALUES ('\\x" + 'ab'.repeat(32) + "'::bytea, 1, '9999', 'full', 'x', 0, 0)"
        : " VALUES (X'" + 'ab'.repeat(32) + "', 1, '9999', 'full', 'x', 0, 0)"));
    sql(dir, 'UPDATE job SET every_s = 1, next_at = 0');
    let runs = 0;
    for (let i = 0; i < 40 && runs < 12; i++) {
      await sleep(250);
      runs = Number(sql(dir, "SELECT count(*) FROM job_run WHERE name = 'session.purge'"));
    }
    assert.ok(runs >= 4, `session.purge ran repeatedly (${runs} runs)`);
    const doubles = sql(dir, 'SELECT name, due_at, count(*) FROM job_run GROUP BY name, due_at HAVING count(*) > 1');
    assert.equal(doubles, '', 'no due run was taken twice');
    const owners = sql(dir, 'SELECT count(DISTINCT owner) FROM job_run');
    assert.ok(Number(owners) >= 1, `runs recorded with their process (${owners} distinct)`);
    const left = sql(dir, 'SELECT count(*) FROM session WHERE last_seen_at = 0');
    assert.equal(left, '0', 'the expired session is gone');
    const failed = sql(dir, "SELECT count(*) FROM job_run WHERE result = 'fail'");
    assert.equal(failed, '0', 'no job failed');
  });

  await t.test('kill -9 of a process loses no audit event: its queued events are chained by the other', async () => {
    // A third process whose own writer would wait 10 s before moving anything.
    const c = await startServer({ bin: BIN, dir, args: ['--audit-flush-ms', '10000', '--audit-batch', '10000'] });
    const onC = sameSession(onA, c);
    const count = () => Number(sql(dir, 'SELECT (SELECT count(*) FROM audit_event) + (SELECT count(*) FROM audit_queue)'));
    const before = count();
    for (let i = 0; i < 5; i++) assert.equal((await onC.get('/huishoudens/1', JSON_ACCEPT)).status, 200);
    c.proc.kill('SIGKILL');
    assert.equal(await c.stop(), 137, 'killed');
    assert.ok(count() >= before + 5, 'the five reads were recorded before their answers were sent');
    let waiting = -1;
    for (let i = 0; i < 40 && waiting !== 0; i++) {
      await sleep(100);
      waiting = Number(sql(dir, 'SELECT count(*) FROM audit_queue'));
    }
    assert.equal(waiting, 0, 'the queue was emptied by the surviving processes');
    const chained = Number(sql(dir, 'SELECT count(*) FROM audit_event'));
    assert.ok(chained >= before + 5, `the killed process's events are in the chain (${chained} >= ${before + 5})`);
  });

  await t.test('both stop cleanly; the audit chain written by both verifies', async () => {
    assert.equal(await a.stop(), 0);
    assert.equal(await b.stop(), 0);
    const r = spawnSync(BIN, ['audit', 'verify', '--database', dbTarget(dir), '--key-file', path.join(dir, 'k.key')],
      { encoding: 'utf8' });
    assert.equal(r.status, 0, `audit verify: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /intact/);
    const gaps = sql(dir, 'SELECT count(*), min(id), max(id) FROM audit_event').split('|').map(Number);
    assert.equal(gaps[0], gaps[2] - gaps[1] + 1, 'audit ids consecutive');
    assert.ok(gaps[0] > 40, `events from both processes (${gaps[0]})`);
    const list = spawnSync(BIN, ['jobs', 'list', '--database', dbTarget(dir), '--key-file', path.join(dir, 'k.key')],
      { encoding: 'utf8' });
    assert.equal(list.status, 0, `jobs list: ${list.stderr}`);
    assert.match(list.stdout, /session\.purge/);
  });

  await t.test('a database from a newer kantel is refused at start, with a clear message', async () => {
    sql(dir, "INSERT INTO schema_version (version, name, applied_at) VALUES (9999, '9999_future.sql', 0)");
    const r = spawnSync(BIN, ['serve', '--database', dbTarget(dir), '--key-file', path.join(dir, 'k.key'),
      '--listen', '127.0.0.1:0'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 1, `serve exit ${r.status}: ${r.stderr}`);
    assert.match(r.stderr, /schema version 9999, newer than this kantel/);
    sql(dir, 'DELETE FROM schema_version WHERE version = 9999');
  });
}

await t.test('an unreachable PostgreSQL server: serve stops at once with a clear message, no password', async () => {
  const r = spawnSync(BIN, ['serve', '--database', 'postgresql://kantel:geheim-wachtwoord@127.0.0.1:1/kantel',
    '--key-file', path.join(dir, 'k.key'), '--listen', '127.0.0.1:0'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 1, `exit ${r.status}`);
  assert.match(r.stderr, /cannot connect to PostgreSQL/);
  assert.match(r.stderr, /kantel:\*\*\*@127\.0\.0\.1:1/, 'the target is shown with the password masked');
  assert.ok(!r.stdout.includes('geheim') && !r.stderr.includes('geheim'), 'the password is never printed');
});

t.done();
