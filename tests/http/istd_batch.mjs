// tests/http/istd_batch.mjs - `kantel istd process` survives kill -9 at any
// point: after a crash, running it again neither loses nor doubles anything.
//
//   KANTEL_BIN=build/kantel node tests/http/istd_batch.mjs
//
// Every scenario starts from the same data: a new municipality, `kantel istd
// synth` (providers, clients, assignments and 323 claim files), plus one file
// that is no message at all. A reference run processes the inbox without
// interruption. Each crash scenario kills the process (SIGKILL, by the
// crash hook KANTEL_CRASH_AT at a named point, or from outside after a
// delay), then runs it again until it finishes, and must end in exactly the
// reference's state: the same received and sent messages, claims and
// amounts in the database, and byte for byte the same retour files in the
// outbox, with nothing left in the inbox and no temporary files.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { suite } from '../lib/harness.mjs';
import { dbTarget, sharedDir, sql } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const XSD = path.join(sharedDir(), 'istd');
const TODAY = '2026-11-23';
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KANTEL_')));

const t = suite('http: istd batch processing survives kill -9');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-istd-batch-'));

function flags(dir) {
  return ['--database', dbTarget(dir), '--key-file', path.join(dir, 'k.key'), '--gemeente', '0999'];
}

function run(dir, args, env = {}) {
  const r = spawnSync(BIN, [...args, ...flags(dir)], { cwd: dir, env: { ...ENV, ...env }, encoding: 'utf8',
    timeout: 300_000, killSignal: 'SIGKILL' });
  if (r.error && r.error.code !== 'ETIMEDOUT') throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
const show = (r) => `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}\nstdout: ${r.stdout.slice(-2000)}\nstderr: ${r.stderr.slice(-2000)}`;

/** A new municipality with synthetic claims in DIR/in; returns the number of claim files. */
function prepare(name) {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  let r = run(dir, ['init', '--naam', 'Gemeente Proef']);
  assert.equal(r.status, 0, `init: ${show(r)}`);
  r = run(dir, ['istd', 'synth', path.join(dir, 'in'), '--prestaties', '1200', '--per-bestand', '7']);
  assert.equal(r.status, 0, `synth: ${show(r)}`);
  fs.writeFileSync(path.join(dir, 'in', 'zzz-kapot.xml'), '<Bericht>geen iStandaarden-bericht</Bericht>');
  return dir;
}

const processArgs = (dir) => ['istd', 'process', path.join(dir, 'in'), path.join(dir, 'uit'), '--xsd', XSD,
  '--vandaag', TODAY];

function listFiles(d) {
  if (!fs.existsSync(d)) return [];
  return fs.readdirSync(d).sort();
}

/** Everything the processing leaves behind, in a comparable form. */
function state(dir) {
  const q = (s) => sql(dir, s);
  const outbox = path.join(dir, 'uit');
  const files = listFiles(outbox).map((f) => {
    const bytes = fs.readFileSync(path.join(outbox, f));
    return `${f} ${createHash('sha256').update(bytes).digest('hex')}`;
  });
  return {
    messages: q("SELECT direction || ' ' || kind || ' ' || status || ' ' || count(*) FROM istd_message" +
      ' GROUP BY direction, kind, status ORDER BY direction, kind, status'),
    duplicates: q('SELECT count(*) FROM (SELECT sha256 FROM istd_message GROUP BY gemeente, direction, sha256' +
      ' HAVING count(*) > 1) d'),
    unanswered: q("SELECT count(*) FROM istd_message WHERE direction = 'in' AND kind = 323 AND retour_id IS NULL"),
    unwritten: q("SELECT count(*) FROM istd_message WHERE direction = 'uit' AND written_at IS NULL"),
    claims: q('SELECT count(*) || \' \' || COALESCE(sum(granted), 0) || \' \' ||' +
      ' COALESCE(sum(CASE WHEN granted = 1 THEN bedrag ELSE 0 END), 0) FROM istd_claim'),
    inbox: listFiles(path.join(dir, 'in')).filter((f) => f !== 'verwerkt' && f !== 'geweigerd'),
    processed: listFiles(path.join(dir, 'in', 'verwerkt')).length,
    refused: listFiles(path.join(dir, 'in', 'geweigerd')),
    outbox: files,
    temporary: listFiles(outbox).filter((f) => f.startsWith('.')),
  };
}

let reference;
let claimFiles = 0;

await t.test('reference: the whole inbox in one run', async () => {
  const dir = prepare('ref');
  claimFiles = listFiles(path.join(dir, 'in')).length - 1;
  assert.ok(claimFiles > 100, `enough files to crash in between (${claimFiles})`);
  const r = run(dir, processArgs(dir));
  assert.equal(r.status, 0, show(r));
  reference = state(dir);
  assert.deepEqual(reference.inbox, [], 'inbox empty');
  assert.equal(reference.processed, claimFiles, 'every claim file moved to verwerkt');
  assert.deepEqual(reference.refused, ['zzz-kapot.xml', 'zzz-kapot.xml.reden.txt'], 'the non-message refused with a reason');
  assert.equal(reference.outbox.length, claimFiles, 'one retour file per claim file');
  assert.equal(reference.duplicates, '0');
  assert.equal(reference.unanswered, '0');
  assert.equal(reference.unwritten, '0');
  const [n, granted] = reference.claims.split(' ').map(Number);
  assert.equal(n, 1200, 'every Prestatie stored once');
  assert.ok(granted > 1100 && granted < 1200, `most granted, some refused (9321): ${granted}`);
  assert.match(r.stdout, /verwerkt, 0 al eerder ontvangen, 1 geweigerd/);
});

await t.test('running it again on the processed inbox changes nothing', async () => {
  const dir = path.join(root, 'ref');
  // put every processed file back: each is recognised by its content
  for (const f of listFiles(path.join(dir, 'in', 'verwerkt')))
    fs.renameSync(path.join(dir, 'in', 'verwerkt', f), path.join(dir, 'in', f));
  const r = run(dir, processArgs(dir));
  assert.equal(r.status, 0, show(r));
  assert.match(r.stdout, new RegExp(`0 verwerkt, ${claimFiles} al eerder ontvangen`));
  assert.deepEqual(state(dir), reference);
});

/** Runs the processing with crash hook `at` (or a kill after `afterMs`) until it is killed, then reruns it to the end. */
async function crashThenRerun(name, { at, afterMs }) {
  const dir = prepare(name);
  let killed = 0;
  if (at) {
    const r = run(dir, processArgs(dir), { KANTEL_CRASH_AT: at });
    assert.equal(r.signal, 'SIGKILL', `the hook ${at} fired: ${show(r)}`);
    killed++;
  } else {
    for (const ms of afterMs) {
      const proc = spawn(BIN, [...processArgs(dir), ...flags(dir)], { cwd: dir, env: ENV, stdio: 'ignore' });
      const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })));
      const timer = setTimeout(() => proc.kill('SIGKILL'), ms);
      const { signal } = await exited;
      clearTimeout(timer);
      if (signal === 'SIGKILL') killed++;
    }
  }
  assert.ok(killed > 0, 'the process was killed at least once');
  const r = run(dir, processArgs(dir));
  assert.equal(r.status, 0, `rerun: ${show(r)}`);
  assert.deepEqual(state(dir), reference, 'after the rerun the state equals the reference');
}

const hooks = [
  ['istd.receive.commit:1', 'inside the first transaction, before commit'],
  ['istd.receive.commit:60', 'inside a transaction midway'],
  ['istd.receive.done:1', 'right after the first commit, before the file moves'],
  ['istd.receive.done:75', 'after a commit midway'],
  ['istd.process.moved:40', 'after a file moved, before the next'],
  ['istd.outbox.rename:1', 'writing the outbox: a temporary file, not yet renamed'],
  ['istd.outbox.rename:50', 'writing the outbox midway: temporary file'],
  ['istd.outbox.written:30', 'writing the outbox: renamed, not yet marked written'],
];
for (const [at, what] of hooks) {
  await t.test(`kill -9 ${what} (${at}): the rerun ends in the reference state`, async () => {
    assert.ok(reference, 'reference run');
    await crashThenRerun(at.replace(/[^a-z0-9]/g, '-'), { at });
  });
}

await t.test('kill -9 from outside at arbitrary moments, three times, then a rerun', async () => {
  assert.ok(reference, 'reference run');
  await crashThenRerun('timed', { afterMs: [150, 400, 700] });
});

t.done();
