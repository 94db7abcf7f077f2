// tests/http/istd_upload.mjs - the iStandaarden exchange over HTTP against a
// real `kantel serve` on a demo database (SQLite, or PostgreSQL with
// KANTEL_TEST_PG), validating against the official XSDs (sharedDir()/istd):
// the provider (demo `aanbieder`, Zorggroep De Linde, AGB 12345678) uploads
// a WMO323 claim for a demo assignment (multipart/form-data) and gets the
// detail page with the granted amount and the findings of the retour
// (one Prestatie over the assigned volume: 9321); the message and the retour
// (a WMO325 answering that claim) download as XML; the same file again is
// "al eerder ontvangen" and stores nothing; a message from another AGB code,
// a file that is no message, an empty file, a DTD with an entity bomb and
// an external entity are refused cleanly with nothing stored; no CSRF token
// is 403; messages of another provider are 404 (never 403); an account that
// speaks for several codes and one that speaks for none; a generalist gets
// 403; contract staff (demo `beleid`) see every message with the answer
// deadline, counts and a "te laat" marker (a received message past its
// answer_due, a 301 without 302 after 3 working days), filters, and a
// detail page without any BSN; the audit trail has the uploads.
//
//   KANTEL_BIN=build/kantel node tests/http/istd_upload.mjs

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { suite } from '../lib/harness.mjs';
import { Client, runDemo, sharedDir, sql, startServer } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const XSD = path.join(sharedDir(), 'istd');
const PASSWORD = 'Kantel-demo-2026!';
const SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';
const JSON_ACCEPT = { headers: { Accept: 'application/json' } };
const GM = '9999';
const LINDE = '12345678';
const ANKER = '87654321';

const t = suite('http: iStandaarden upload and retours');

// ---------------------------------------------------------------- helpers

/** The n-th test BSN (as bsn_test_number in src/domain/ident.c: 9999xxxxx passing the elfproef, ascending). */
function testBsn(n) {
  for (let v = 999900000, seen = 0; v <= 999999999; v++) {
    const d = String(v).split('').map(Number);
    const sum = d.slice(0, 8).reduce((s, x, i) => s + (9 - i) * x, 0) - d[8];
    if (sum % 11 === 0 && seen++ === n) return String(v);
  }
  throw new Error('no test BSN');
}

const ymd = (d) => d.toISOString().slice(0, 10);
/** Today in Europe/Amsterdam as a UTC-midnight Date. */
function todayAms() {
  const s = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
  return new Date(`${s}T00:00:00Z`);
}
/** [first, last] day of the month `back` months before today's month. */
function monthBack(back) {
  const t0 = todayAms();
  const first = new Date(Date.UTC(t0.getUTCFullYear(), t0.getUTCMonth() - back, 1));
  const last = new Date(Date.UTC(t0.getUTCFullYear(), t0.getUTCMonth() - back + 1, 0));
  return [ymd(first), ymd(last)];
}

/**
 * A WMO323 of De Linde for Kees Bakker (demo assignment 100001: 3 hours a
 * week, tariff 64,50): per entry of `lines` one Prestatie {ref, months back,
 * hours}. Valid against WMO323.xsd and the rules.
 */
function wmo323({ ident, nummer, afzender = LINDE, lines, bsn = testBsn(3) }) {
  const today = ymd(todayAms());
  const [pb, pe] = monthBack(1);
  const tariff = 6450;
  let total = 0;
  const prest = lines.map(({ ref, back, hours }) => {
    const [b, e] = monthBack(back);
    const amount = hours * tariff;
    total += amount;
    return `
          <wmo323:Prestatie>
            <wmo323:ProductReferentie><iwmo:ReferentieNummer>${ref}</iwmo:ReferentieNummer></wmo323:ProductReferentie>
            <wmo323:ToewijzingNummer>100001</wmo323:ToewijzingNummer>
            <wmo323:ProductCategorie>02</wmo323:ProductCategorie>
            <wmo323:ProductCode>02A01</wmo323:ProductCode>
            <wmo323:ProductPeriode><iwmo:Begindatum>${b}</iwmo:Begindatum><iwmo:Einddatum>${e}</iwmo:Einddatum></wmo323:ProductPeriode>
            <wmo323:GeleverdVolume>${hours}</wmo323:GeleverdVolume>
            <wmo323:Eenheid>04</wmo323:Eenheid>
            <wmo323:ProductTarief>${tariff}</wmo323:ProductTarief>
            <wmo323:IngediendBedrag><iwmo:Bedrag>${amount}</iwmo:Bedrag><iwmo:DebetCredit>D</iwmo:DebetCredit></wmo323:IngediendBedrag>
          </wmo323:Prestatie>`;
  }).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<wmo323:Bericht xmlns:wmo323="http://www.istandaarden.nl/iwmo/3_2/wmo323/schema" xmlns:iwmo="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema">
  <wmo323:Header>
    <wmo323:BerichtCode>484</wmo323:BerichtCode>
    <wmo323:BerichtVersie>3</wmo323:BerichtVersie>
    <wmo323:BerichtSubversie>2</wmo323:BerichtSubversie>
    <wmo323:Afzender>${afzender}</wmo323:Afzender>
    <wmo323:Ontvanger>${GM}</wmo323:Ontvanger>
    <wmo323:BerichtIdentificatie><iwmo:Identificatie>${ident}</iwmo:Identificatie><iwmo:Dagtekening>${today}</iwmo:Dagtekening></wmo323:BerichtIdentificatie>
    <wmo323:XsdVersie><iwmo:BasisschemaXsdVersie>1.0.0</iwmo:BasisschemaXsdVersie><iwmo:BerichtXsdVersie>1.0.0</iwmo:BerichtXsdVersie></wmo323:XsdVersie>
  </wmo323:Header>
  <wmo323:Declaratie>
    <wmo323:DeclaratieNummer>${nummer}</wmo323:DeclaratieNummer>
    <wmo323:DeclaratiePeriode><iwmo:Begindatum>${pb}</iwmo:Begindatum><iwmo:Einddatum>${pe}</iwmo:Einddatum></wmo323:DeclaratiePeriode>
    <wmo323:DeclaratieDagtekening>${today}</wmo323:DeclaratieDagtekening>
    <wmo323:TotaalIngediendBedrag><iwmo:TotaalBedrag>${total}</iwmo:TotaalBedrag><iwmo:DebetCredit>D</iwmo:DebetCredit></wmo323:TotaalIngediendBedrag>
    <wmo323:Clienten>
      <wmo323:Client>
        <wmo323:Bsn>${bsn}</wmo323:Bsn>
        <wmo323:Prestaties>${prest}
        </wmo323:Prestaties>
      </wmo323:Client>
    </wmo323:Clienten>
  </wmo323:Declaratie>
</wmo323:Bericht>
`;
}

const c = {};
const csrf = {};
let srv = null;
let dir = null;

/** POST /aanbieder/berichten as multipart/form-data with one file (or none). */
async function upload(who, name, content, { token = csrf[who], headers = {}, file = true } = {}) {
  const cl = c[who];
  const fd = new FormData();
  if (token !== null) fd.append('csrf', token);
  if (file) fd.append('bericht', new Blob([content], { type: 'text/xml' }), name);
  const url = new URL('/aanbieder/berichten', cl.baseUrl + '/');
  const h = new Headers({ Origin: cl.origin });
  const ck = cl.cookieHeader(url.pathname);
  if (ck) h.set('Cookie', ck);
  for (const [k, v] of Object.entries(headers)) {
    if (v === null) h.delete(k);
    else h.set(k, v);
  }
  const res = await fetch(url, { method: 'POST', headers: h, body: fd, redirect: 'manual' });
  cl.storeCookies(res);
  const loc = res.headers.get('location');
  return { status: res.status, body: await res.text(), loc: loc === null ? null : new URL(loc, 'http://x/') };
}

async function get(who, p, opts) {
  const res = await c[who].get(p, opts);
  const body = await res.text();
  return { status: res.status, body, res };
}

async function model(who, p) {
  const r = await get(who, p, JSON_ACCEPT);
  assert.equal(r.status, 200, `GET ${p} as ${who} (JSON): ${r.status} ${r.body.slice(0, 300)}`);
  return JSON.parse(r.body);
}

const count = (where = '1 = 1') => Number(sql(dir, `SELECT count(*) FROM istd_message WHERE ${where}`));

/** The refused upload: 400, the form with the reason as its field error, nothing stored. */
async function refused(who, name, content, reason) {
  const before = count();
  const r = await upload(who, name, content);
  assert.equal(r.status, 400, `${name}: ${r.status} ${r.body.slice(0, 400)}`);
  assert.match(r.body, /Het bericht is niet ontvangen\. Er is niets opgeslagen\./);
  assert.match(r.body, reason);
  assert.match(r.body, /<input[^>]*id="bericht"[^>]*aria-invalid="true"/, 'the file field is marked invalid');
  assert.match(r.body, /id="bericht-fout"/);
  assert.equal(count(), before, `${name}: nothing stored`);
  return r;
}

// ---------------------------------------------------------------- scenarios

if (!fs.existsSync(path.join(XSD, 'iwmo-3.2', 'WMO323.xsd'))) {
  t.skip('iStandaarden upload', `the official XSDs are not in ${XSD} (set KANTEL_SHARED)`);
  t.done();
} else {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-istd-upload-'));
  try {
    await runDemo(BIN, dir, ['--istd-xsd-dir', XSD]);
    srv = await startServer({ bin: BIN, dir, args: ['--istd-xsd-dir', XSD] });
    for (const u of ['aanbieder', 'beleid', 'generalist']) {
      c[u] = new Client(srv.url);
      await c[u].login(u, PASSWORD, SECRET);
      csrf[u] = (await c[u].form('/account')).csrf;
    }
  } catch (e) {
    await t.test('set-up', async () => { throw e; });
  }

  const claim = wmo323({ ident: 'UPL-0001', nummer: 'UPL1', lines: [
    { ref: 'UPL-P1', back: 1, hours: 12 },  // within 3 hours a week
    { ref: 'UPL-P2', back: 2, hours: 20 },  // over it: 9321
  ] });
  let msgId = 0, retourId = 0;

  await t.test('the demo: De Linde is linked to aanbieder; its claim and the 301s are there', async () => {
    const m = await model('aanbieder', '/aanbieder/berichten');
    assert.equal(m.linked, true);
    assert.deepEqual(m.providers.map((p) => p.agb), [LINDE]);
    assert.ok(m.form, 'the upload form');
    const demo = m.messages.find((x) => x.ident === 'DEMO-JW-0001');
    assert.ok(demo, 'the demo JW323 is listed');
    assert.equal(demo.label, 'JW323 declaratie');
    assert.equal(demo.amounts.toegekend, '€ 1.396,00');
    assert.equal(demo.amounts.ingediend, '€ 4.013,50');
    assert.ok(demo.retour && demo.retour.xml_href.endsWith('/retour.xml'));
    assert.equal(count("direction = 'uit' AND kind = 301"), 3, 'three 301s exported');
    const { body } = await get('aanbieder', '/aanbieder/berichten');
    assert.match(body, /enctype="multipart\/form-data"/);
    assert.match(body, /<label class="utrecht-form-label" for="bericht">Bericht \(XML-bestand\)<\/label>/);
    assert.match(body, /<input type="hidden" name="csrf"/);
  });

  await t.test('a valid WMO323 is received: 303 to its page with the granted amount and the 9321', async () => {
    const r = await upload('aanbieder', 'declaratie.xml', claim);
    assert.equal(r.status, 303, r.body.slice(0, 600));
    assert.match(r.loc.pathname, /^\/aanbieder\/berichten\/\d+$/);
    assert.equal(r.loc.search, '?ontvangen=1');
    msgId = Number(r.loc.pathname.split('/').pop());
    assert.equal(sql(dir, `SELECT direction || ' ' || kind || ' ' || status || ' ' || agb || ' ' || source FROM istd_message WHERE id = ${msgId}`),
      `in 323 verwerkt ${LINDE} upload`);
    const page = await get('aanbieder', `${r.loc.pathname}${r.loc.search}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Uw bericht is ontvangen en verwerkt/);
    assert.match(page.body, /WMO323 declaratie/);
    const m = await model('aanbieder', r.loc.pathname);
    assert.equal(m.message.claim.toegekend, '€ 774,00');
    assert.equal(m.message.claim.ingediend, '€ 2.064,00');
    assert.equal(m.message.claim.granted_text, '1 van 2 prestaties toegekend');
    assert.equal(m.findings.toegekend, '€ 774,00');
    const row = m.findings.rows.find((x) => x.code === '9321');
    assert.ok(row, `9321 among ${JSON.stringify(m.findings.rows)}`);
    assert.equal(row.class, 'Prestatie');
    assert.match(row.where, /BSN \*{6}\d{3}/, 'the client by masked BSN');
    assert.match(row.where, /referentie UPL-P2/);
    assert.equal(row.text, 'Het ingediende volume overschrijdt het toegewezen volume.');
    assert.ok(!page.body.includes(testBsn(3)), 'no full BSN on the page');
    assert.equal(m.message.due.long.length > 0, true, 'the answer deadline');
    retourId = Number(m.retour.href.split('/').pop());
    assert.ok(retourId > msgId);
  });

  await t.test('the message and its retour download as XML (a WMO325 answering this claim)', async () => {
    let r = await get('aanbieder', `/aanbieder/berichten/${msgId}/xml`);
    assert.equal(r.status, 200);
    assert.equal(r.res.headers.get('content-type'), 'application/xml; charset=utf-8');
    assert.match(r.res.headers.get('content-disposition'), /^attachment; filename="WMO323_9999_12345678_UPL0001\.xml"$/);
    assert.equal(r.res.headers.get('cache-control'), 'no-store');
    assert.equal(r.body, claim, 'the exact bytes');
    r = await get('aanbieder', `/aanbieder/berichten/${msgId}/retour.xml`);
    assert.equal(r.status, 200);
    assert.equal(r.res.headers.get('content-type'), 'application/xml; charset=utf-8');
    const name = /filename="([^"]+)"/.exec(r.res.headers.get('content-disposition'))[1];
    assert.match(name, /^WMO325_9999_12345678_K\d{11}\.xml$/);
    assert.match(r.body, /xmlns:wmo325="http:\/\/www\.istandaarden\.nl\/iwmo\/3_2\/wmo325\/schema"/);
    assert.match(r.body, /<wmo325:BerichtCode>485<\/wmo325:BerichtCode>/);
    assert.match(r.body, /<wmo325:Afzender>9999<\/wmo325:Afzender>\s*<wmo325:Ontvanger>12345678<\/wmo325:Ontvanger>/);
    const decl = /<wmo325:DeclaratieIdentificatie>([\s\S]*?)<\/wmo325:DeclaratieIdentificatie>/.exec(r.body);
    assert.ok(decl, 'DeclaratieIdentificatie');
    assert.match(decl[1], /<iwmo:Identificatie>UPL-0001<\/iwmo:Identificatie>/);
    assert.match(decl[1], new RegExp(`<iwmo:Dagtekening>${ymd(todayAms())}</iwmo:Dagtekening>`));
    assert.match(r.body, /<iwmo:ReferentieNummer>UPL-P2<\/iwmo:ReferentieNummer>/, 'the rejected Prestatie is listed');
    assert.ok(!r.body.includes('UPL-P1'), 'the granted one is not (TR342)');
    assert.match(r.body, /9321/);
    assert.equal(r.body.trim(), sql(dir, `SELECT body FROM istd_message WHERE id = ${retourId}`), 'the stored bytes');
    // the retour has its own page, answering the claim; it has no retour itself
    const m = await model('aanbieder', `/aanbieder/berichten/${retourId}`);
    assert.equal(m.reply_to.href, `/aanbieder/berichten/${msgId}`);
    assert.ok(m.findings.rows.some((x) => x.code === '9321'));
    assert.equal((await get('aanbieder', `/aanbieder/berichten/${retourId}/retour.xml`)).status, 404);
  });

  await t.test('the same file again: "al eerder ontvangen", the earlier page, still one row', async () => {
    const r = await upload('aanbieder', 'nogmaals.xml', claim);
    assert.equal(r.status, 303, r.body.slice(0, 400));
    assert.equal(r.loc.pathname, `/aanbieder/berichten/${msgId}`);
    assert.equal(r.loc.search, '?dubbel=1');
    const page = await get('aanbieder', `${r.loc.pathname}${r.loc.search}`);
    assert.match(page.body, /al eerder ontvangen/);
    assert.equal(count("identificatie = 'UPL-0001'"), 1);
    assert.equal(count(`reply_to = ${msgId}`), 1, 'one retour');
  });

  await t.test('the list shows the upload newest first with its amounts and retour', async () => {
    const m = await model('aanbieder', '/aanbieder/berichten');
    assert.equal(m.messages[0].id, msgId);
    assert.equal(m.messages[0].status, 'Verwerkt');
    assert.equal(m.messages[0].amounts.toegekend, '€ 774,00');
    assert.equal(m.messages[0].amounts.ingediend, '€ 2.064,00');
    assert.equal(m.messages[0].retour.href, `/aanbieder/berichten/${retourId}`);
    assert.equal(m.messages[0].dagtekening.length, 10);
    assert.ok(m.messages.every((x) => x.agb === LINDE));
  });

  await t.test('a message from another AGB code is refused with the Dutch reason; nothing stored', async () => {
    const other = wmo323({ ident: 'ANK-0001', nummer: 'ANK1', afzender: ANKER, lines: [{ ref: 'ANK-P1', back: 1, hours: 2 }] });
    await refused('aanbieder', 'anker.xml', other,
      /De afzender van het bericht \(87654321\) is niet uw AGB-code \(12345678\)\./);
    assert.equal(count(`agb = '${ANKER}' AND direction = 'in'`), 0);
  });

  await t.test('no message, an empty file, a DTD entity bomb and an external entity are refused cleanly', async () => {
    await refused('aanbieder', 'brief.txt', 'Beste gemeente, hierbij onze declaratie.',
      /Dit is geen iWmo- of iJw-bericht van release 3\.2/);
    await refused('aanbieder', 'leeg.xml', '', /Het gekozen bestand is leeg\./);
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE wmo323:Bericht [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
${claim.replace(/^<\?xml[^>]*>\n/, '').replace('UPL-0001', 'BOM-0001').replace('<wmo323:Afzender>12345678', '<wmo323:Afzender>&f;')}`;
    const t0 = Date.now();
    await refused('aanbieder', 'bom.xml', bomb, /Het bestand bevat een DTD/);
    assert.ok(Date.now() - t0 < 5000, 'answered at once');
    const xxe = `<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
${claim.replace(/^<\?xml[^>]*>\n/, '').replace('UPL-0001', 'XXE-0001').replace('<wmo323:Afzender>12345678', '<wmo323:Afzender>&xxe;')}`;
    const r = await refused('aanbieder', 'xxe.xml', xxe, /Het bestand bevat een DTD/);
    assert.ok(!/root:/.test(r.body), 'no file contents');
    // a message to another municipality, and one that breaks the schema: stored with a 0001 retour
    await refused('aanbieder', 'elders.xml', claim.replace(`<wmo323:Ontvanger>${GM}`, '<wmo323:Ontvanger>0363')
      .replace('UPL-0001', 'ELD-0001'), /niet aan deze gemeente \(9999\) gericht maar aan 0363/);
  });

  await t.test('a message against the schema is received but refused as a whole, and the page says why', async () => {
    const bad = claim.replace('UPL-0001', 'BAD-0001').replace('<wmo323:DeclaratieNummer>UPL1', '<wmo323:DeclaratieNummer>UPL-2');
    const r = await upload('aanbieder', 'fout.xml', bad);
    assert.equal(r.status, 303, r.body.slice(0, 400));
    const page = await get('aanbieder', `${r.loc.pathname}${r.loc.search}`);
    assert.match(page.body, /maar afgekeurd/);
    const m = await model('aanbieder', r.loc.pathname);
    assert.equal(m.message.rejected, true);
    assert.ok(m.findings.rows.some((x) => x.code === '0001' && x.class === 'Bericht'), JSON.stringify(m.findings.rows));
    assert.ok(m.explain.some((x) => x.rule === 'XSD' && /DeclaratieNummer/.test(x.text)), JSON.stringify(m.explain));
    assert.equal(m.message.claim, null, 'no claim assessed');
  });

  await t.test('the form without a file, or without a CSRF token, or from another origin', async () => {
    const r = await upload('aanbieder', '', '', { file: false });
    assert.equal(r.status, 400);
    assert.match(r.body, /Kies een bestand\./);
    const before = count();
    assert.equal((await upload('aanbieder', 'declaratie.xml', claim.replace('UPL-0001', 'CSR-0001'), { token: null })).status, 403);
    assert.equal((await upload('aanbieder', 'declaratie.xml', claim.replace('UPL-0001', 'CSR-0002'),
      { headers: { Origin: 'https://evil.example' } })).status, 403);
    assert.equal(count(), before);
  });

  await t.test('messages of another provider answer 404, never 403', async () => {
    const anker301 = Number(sql(dir, `SELECT id FROM istd_message WHERE agb = '${ANKER}' AND kind = 301`));
    assert.ok(anker301 > 0);
    for (const p of ['', '/xml', '/retour.xml'])
      assert.equal((await get('aanbieder', `/aanbieder/berichten/${anker301}${p}`)).status, 404, p);
    assert.equal((await get('aanbieder', '/aanbieder/berichten/987654321')).status, 404);
    // its own 301 (De Linde is its receiver) is reachable
    const linde301 = Number(sql(dir, `SELECT min(id) FROM istd_message WHERE agb = '${LINDE}' AND kind = 301`));
    assert.equal((await get('aanbieder', `/aanbieder/berichten/${linde301}`)).status, 200);
  });

  await t.test('a generalist gets 403 on the provider pages; the provider 403 on /berichten', async () => {
    assert.equal((await get('generalist', '/aanbieder/berichten')).status, 403);
    assert.equal((await get('generalist', `/aanbieder/berichten/${msgId}`)).status, 403);
    assert.equal((await get('aanbieder', '/berichten')).status, 403);
    assert.equal((await get('aanbieder', `/berichten/${msgId}`)).status, 403);
  });

  await t.test('contract staff: every message, the answer deadline, counts and "te laat"', async () => {
    // a received 305 whose answer is overdue, and a 301 without its 302 for two weeks
    const old = Math.floor(Date.now() / 1000) - 20 * 86400;
    sql(dir, `INSERT INTO istd_message (gemeente, wet, kind, direction, agb, identificatie, dagtekening, sha256, source,
      status, body, received_at, answer_due) VALUES ('${GM}', 'wmo', 305, 'in', '${LINDE}', 'LATE-305', '2026-01-05',
      'aa${'0'.repeat(62)}', 'upload', 'verwerkt', '<x/>', ${old}, '2026-01-08')`);
    const lateId = Number(sql(dir, "SELECT id FROM istd_message WHERE identificatie = 'LATE-305'"));
    const anker301 = Number(sql(dir, `SELECT id FROM istd_message WHERE agb = '${ANKER}' AND kind = 301`));
    sql(dir, `UPDATE istd_message SET received_at = ${old} WHERE id = ${anker301}`);
    const page = await get('beleid', '/berichten');
    assert.equal(page.status, 200);
    assert.match(page.body, /<th class="utrecht-table__header-cell" scope="col">Antwoord uiterlijk<\/th>/);
    const row = new RegExp(`<tr class="utrecht-table__row" id="bericht-${lateId}">[\\s\\S]*?</tr>`).exec(page.body)[0];
    assert.match(row, /08-01-2026<\/span><br><strong class="kantel-istd-late">te laat<\/strong>/);
    const m = await model('beleid', '/berichten');
    assert.ok(m.counts.late >= 2, `late: ${m.counts.late}`);
    assert.ok(m.counts.open >= 3, `open: ${m.counts.open}`);
    assert.ok(m.counts.today >= 1, `received today: ${m.counts.today}`);
    const byId = new Map(m.messages.map((x) => [x.id, x]));
    assert.equal(byId.get(lateId).due.flag, 'te laat');
    assert.equal(byId.get(anker301).due.flag, 'te laat', 'the 301 without 302');
    assert.equal(byId.get(anker301).direction, 'verstuurd');
    assert.equal(byId.get(msgId).due.flag, null, 'answered at once');
    assert.equal(byId.get(msgId).due.open, false);
    assert.ok(m.messages.some((x) => x.label === 'JW325 declaratie-antwoord'), 'retours too');
    // filters
    const late = await model('beleid', '/berichten?status=te_laat');
    assert.deepEqual(late.messages.map((x) => x.id).sort(), [lateId, anker301].sort());
    const anker = await model('beleid', `/berichten?agb=${ANKER}`);
    assert.ok(anker.messages.length >= 1 && anker.messages.every((x) => x.agb === ANKER));
    const claims = await model('beleid', '/berichten?richting=in&soort=323&wet=wmo');
    assert.ok(claims.messages.length >= 2 && claims.messages.every((x) => x.label.startsWith('WMO323')));
    const bad = await get('beleid', '/berichten?agb=12ab&status=foo');
    assert.equal(bad.status, 400);
    assert.match(bad.body, /Een AGB-code heeft 8 cijfers/);
    assert.match(bad.body, /Kies een status uit de lijst/);
    assert.match(bad.body, /role="alert"/);
    assert.match(bad.body, /Verbeter eerst het filter/);
    assert.ok(!/id="bericht-\d+"/.test(bad.body), 'no unfiltered list under a wrong filter');
  });

  await t.test('contract staff open a message: the same page, no BSN, no download', async () => {
    const r = await get('beleid', `/berichten/${msgId}`);
    assert.equal(r.status, 200);
    assert.match(r.body, /Het ingediende volume overschrijdt het toegewezen volume\./);
    assert.ok(!r.body.includes(testBsn(3)) && !/\*{6}\d{3}/.test(r.body), 'no BSN, not even masked');
    assert.ok(!/\/xml"/.test(r.body), 'no download links');
    const m = await model('beleid', `/berichten/${msgId}`);
    assert.equal(m.message.claim.toegekend, '€ 774,00');
    assert.equal(m.provider_view, false);
    assert.equal((await get('beleid', '/berichten/987654321')).status, 404);
  });

  await t.test('an account speaking for two codes; an account speaking for none', async () => {
    sql(dir, `INSERT INTO istd_provider_account (account_id, provider_id, created_at) SELECT a.id, p.id, 0
      FROM account a, istd_provider p WHERE a.username = 'aanbieder' AND p.agb = '${ANKER}'`);
    const other = wmo323({ ident: 'ANK-0002', nummer: 'ANK2', afzender: '11223344', lines: [{ ref: 'X-P1', back: 1, hours: 1 }] });
    await refused('aanbieder', 'vreemd.xml', other,
      /De afzender van het bericht \(11223344\) is niet een van uw AGB-codes \(12345678, 87654321\)\./);
    // Het Anker's claim is now accepted (its client has no assignment with 100001 there: 9338 and more)
    const anker = wmo323({ ident: 'ANK-0003', nummer: 'ANK3', afzender: ANKER, lines: [{ ref: 'ANK-P3', back: 1, hours: 1 }] });
    const r = await upload('aanbieder', 'anker.xml', anker);
    assert.equal(r.status, 303, r.body.slice(0, 400));
    assert.equal(sql(dir, `SELECT agb FROM istd_message WHERE id = ${r.loc.pathname.split('/').pop()}`), ANKER);
    sql(dir, "DELETE FROM istd_provider_account WHERE account_id = (SELECT id FROM account WHERE username = 'aanbieder')");
    const page = await get('aanbieder', '/aanbieder/berichten');
    assert.equal(page.status, 200);
    assert.match(page.body, /nog niet gekoppeld aan een AGB-code/);
    assert.ok(!/type="file"/.test(page.body), 'no form');
    assert.equal((await get('aanbieder', `/aanbieder/berichten/${msgId}`)).status, 404);
    assert.equal((await upload('aanbieder', 'declaratie.xml', claim)).status, 403);
  });

  if (srv) {
    await t.test('server stops cleanly; the uploads are in the audit trail', async () => {
      assert.equal(await srv.stop(), 0);
      srv = null;
      const ok = sql(dir, `SELECT count(*) FROM audit_event WHERE action = 'istd.upload' AND object_type = 'istd_message'
        AND object_id = '${msgId}' AND result = 'ok' AND actor = 'aanbieder'`);
      assert.equal(ok, '2', 'the upload and the duplicate');
      assert.ok(Number(sql(dir, "SELECT count(*) FROM audit_event WHERE action = 'istd.upload' AND result = 'refused'")) >= 5);
      assert.ok(Number(sql(dir, `SELECT count(*) FROM audit_event WHERE action = 'pd.read' AND object_id = '${msgId}'
        AND actor = 'beleid'`)) >= 1, 'the staff\'s read is audited');
      const details = sql(dir, "SELECT detail FROM audit_event WHERE action = 'istd.upload'");
      assert.ok(!details.includes(testBsn(3)), 'no BSN in the audit details');
    });
  }
  if (srv) await srv.stop().catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
  t.done();
}
