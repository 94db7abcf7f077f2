// tests/http/istd_cli.mjs - `kantel istd validate` and the usage of `kantel
// istd`: the readable report per message (XSD, in-message rules, and with
// --volledig the rules against the database, which it does not change), exit
// codes, and clear refusals of wrong usage.
//
//   KANTEL_BIN=build/kantel node tests/http/istd_cli.mjs

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { suite } from '../lib/harness.mjs';
import { dbTarget, sharedDir, sql } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const XSD = path.join(sharedDir(), 'istd');
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KANTEL_')));

const t = suite('http: kantel istd validate');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-istd-cli-'));
const FLAGS = ['--database', dbTarget(dir), '--key-file', path.join(dir, 'k.key'), '--gemeente', '0999'];

function run(args) {
  const r = spawnSync(BIN, [...args, ...FLAGS], { cwd: dir, env: ENV, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
const show = (r) => `exit ${r.status}\nstdout: ${r.stdout.slice(-1500)}\nstderr: ${r.stderr.slice(-1500)}`;

let files = [];
await t.test('set-up: a municipality with synthetic claims', async () => {
  let r = run(['init', '--naam', 'Gemeente Proef']);
  assert.equal(r.status, 0, show(r));
  r = run(['istd', 'synth', path.join(dir, 'in'), '--prestaties', '400', '--per-bestand', '10']);
  assert.equal(r.status, 0, show(r));
  assert.match(r.stdout, /100 clients, 200 assignments/);
  files = fs.readdirSync(path.join(dir, 'in')).sort().map((f) => path.join(dir, 'in', f));
  assert.ok(files.length >= 40, `files: ${files.length}`);
});

await t.test('a valid claim: XSD valid, no findings, exit 0', async () => {
  const r = run(['istd', 'validate', files[0], '--xsd', XSD]);
  assert.equal(r.status, 0, show(r));
  assert.match(r.stdout, /JW323 van 9\d{7} aan 0999, Identificatie \S+ \(2026-11-02\)/);
  assert.match(r.stdout, /XSD {4}geldig \(JW323\.xsd\)/);
  assert.match(r.stdout, /geen bevindingen/);
  assert.match(r.stdout, /1 bericht, 1 zonder bevindingen, 0 met bevindingen/);
});

await t.test('a BSN that fails the elfproef: CS002 0001 with its place, exit 1', async () => {
  const bad = path.join(dir, 'bad-bsn.xml');
  const xml = fs.readFileSync(files[0], 'utf8');
  fs.writeFileSync(bad, xml.replace(/(<jw323:Bsn>)\d{9}(<\/jw323:Bsn>)/, '$1123456789$2'));
  const r = run(['istd', 'validate', bad, '--xsd', XSD]);
  assert.equal(r.status, 1, show(r));
  assert.match(r.stdout, /CS002 +0001 Declaratie\/Clienten\/Client\[1\]\/Bsn: Het BSN voldoet niet aan de elfproef\./);
  assert.match(r.stdout, /afgekeurd: het hele bericht \(0001\)/);
});

await t.test('a value the XSD refuses: the schema errors with their line, exit 1', async () => {
  const bad = path.join(dir, 'bad-xsd.xml');
  const xml = fs.readFileSync(files[0], 'utf8');
  fs.writeFileSync(bad, xml.replace(/<jw323:Ontvanger>0999</, '<jw323:Ontvanger>99<'));
  const r = run(['istd', 'validate', bad, '--xsd', XSD]);
  assert.equal(r.status, 1, show(r));
  assert.match(r.stdout, /XSD {4}0001 ongeldig volgens JW323\.xsd:\n {9}regel \d+: /);
});

await t.test('not a message, and a missing file: said per file, exit 1', async () => {
  const junk = path.join(dir, 'junk.xml');
  fs.writeFileSync(junk, '<html><body>hallo</body></html>');
  const r = run(['istd', 'validate', junk, path.join(dir, 'nope.xml'), files[1], '--xsd', XSD]);
  assert.equal(r.status, 1, show(r));
  assert.match(r.stdout, /junk\.xml: geen iWmo- of iJw-bericht van release 3\.2/);
  assert.match(r.stdout, /nope\.xml: niet te lezen: /);
  assert.match(r.stdout, /3 berichten, 1 zonder bevindingen, 2 met bevindingen/);
});

await t.test('--volledig checks against the database and changes nothing', async () => {
  // The synthetic data claims too much for one Prestatie in a hundred (9321);
  // find a file with one, validate it fully, and check nothing was stored.
  let hit = null;
  for (const f of files) {
    const r = run(['istd', 'validate', f, '--xsd', XSD, '--volledig', '--vandaag', '2026-11-23']);
    if (/9321/.test(r.stdout)) { hit = r; break; }
  }
  assert.ok(hit, 'a file with a claim over the assigned volume');
  assert.equal(hit.status, 1, show(hit));
  assert.match(hit.stdout, /TR321 +9321 Declaratie\/Clienten\/Client\[\d+\]\/Prestaties\/Prestatie\[\d+\]: /);
  assert.equal(sql(dir, 'SELECT count(*) FROM istd_message'), '0', 'no message stored');
  assert.equal(sql(dir, 'SELECT count(*) FROM istd_claim'), '0', 'no claim stored');
});

await t.test('wrong usage is refused with exit 2 and a reason', async () => {
  for (const [args, re] of [
    [['istd'], /which one: validate, process or export/],
    [['istd', 'bogus'], /unknown subcommand 'bogus'/],
    [['istd', 'validate'], /validate needs at least one FILE/],
    [['istd', 'process', 'a'], /process needs INBOX and OUTBOX/],
    [['istd', 'validate', 'x.xml', '--vandaag', '23-11-2026'], /--vandaag: '23-11-2026' is not a date YYYY-MM-DD/],
    [['istd', 'validate', 'x.xml', '--onbekend'], /unknown option --onbekend/],
    [['istd', 'synth', 'd', '--per-bestand', '20000'], /at most 10,000 Prestaties per file/],
  ]) {
    const r = run(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${show(r)}`);
    assert.match(r.stderr, re, args.join(' '));
  }
  const h = run(['istd', '--help']);
  assert.equal(h.status, 0, show(h));
  assert.match(h.stdout, /kantel istd process INBOX OUTBOX/);
});

t.done();
