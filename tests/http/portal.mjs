// tests/http/portal.mjs - the resident portal and invitations over HTTP
// against a real `kantel serve` on a demo database: a coordinator invites a
// household member, the one-time link activates an account (weak password
// keeps the user name, the code works once, expired/used/unknown codes get
// one generic message), the new account sets up TOTP and sees its household;
// the demo resident agrees to the plan, sees "not yet agreed" after a newer
// version, adds an own action and a comment, fills in Positieve Gezondheid,
// reads who accessed the record and downloads all data; and a resident stays
// inside their own household.
//
//   KANTEL_BIN=build/kantel node tests/http/portal.mjs

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { suite } from '../lib/harness.mjs';
import { Client, backend, runDemo, sql as sqlOn, startServer, totp } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const PASSWORD = 'Kantel-demo-2026!';
const SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';
const JSON_ACCEPT = { headers: { Accept: 'application/json' } };
const GENERIC = 'Deze link werkt niet \\(meer\\)';

const t = suite('http: resident portal and invitations');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-portal-'));

const sql = (q) => sqlOn(dir, q);
// Position of a substring (1-based, 0 = absent): instr() on SQLite, strpos() on PostgreSQL.
const instr = backend === 'postgres' ? 'strpos' : 'instr';
// SQL that is > 0 when the BLOB column holds the bytes of the string s.
const blobFind = (col, s) => (backend === 'postgres'
  ? `position(convert_to('${s}', 'UTF8') in ${col})` : `instr(${col}, CAST('${s}' AS BLOB))`);
const locPath = (res) => {
  const loc = res.headers.get('location');
  return loc === null ? null : new URL(loc, 'http://x/').pathname;
};
const today = () => {
  const d = new Date(Date.now() + 3600 * 1000); // Europe/Amsterdam is ahead of UTC
  return d.toISOString().slice(0, 10);
};

let srv, gen, res, inw;
let genCsrf = '', inwCsrf = '';
let code = '';
let larsId = 0, noorId = 0;

async function model(c, p, status = 200) {
  const r = await c.get(p, JSON_ACCEPT);
  assert.equal(r.status, status, `GET ${p} (JSON): ${r.status}`);
  return r.json();
}

async function activateForm(c, token) {
  const f = await c.form(`/activeren?code=${encodeURIComponent(token)}`);
  return f;
}

try {
  await runDemo(BIN, dir);
  srv = await startServer({ bin: BIN, dir });
  gen = new Client(srv.url);
  await gen.login('generalist', PASSWORD, SECRET);
  genCsrf = (await gen.form('/')).csrf;
  larsId = Number(sql("SELECT p.id FROM person p JOIN household_member m ON m.person_id = p.id WHERE m.household_id = 1 AND p.given_names = 'Lars'"));
  noorId = Number(sql("SELECT p.id FROM person p JOIN household_member m ON m.person_id = p.id WHERE m.household_id = 1 AND p.given_names = 'Noor'"));

  await t.test('coordinator invites a member without an account; the link is shown once, only its hash stored', async () => {
    assert.ok(larsId > 0 && noorId > 0, 'demo has Lars and Noor in household 1');
    const r = await gen.post('/huishoudens/1/uitnodigingen', { csrf: genCsrf, persoon: String(larsId) });
    assert.equal(r.status, 200);
    const html = (await r.text()).replace(/&#61;/g, '=');
    const m = /http:\/\/([^/<]+)\/activeren\?code=([A-Za-z0-9_-]{40,})/.exec(html);
    assert.ok(m, 'page shows the link');
    assert.equal(m[1], new URL(srv.url).host, 'link built from the Host header');
    code = m[2];
    assert.equal(sql(`SELECT count(*) FROM invite WHERE kind = 'resident' AND person_id = ${larsId} AND used_at IS NULL`), '1');
    assert.equal(sql(`SELECT count(*) FROM invite WHERE ${blobFind('token_hash', code)} > 0`), '0', 'token not stored');
    const ttl = Number(sql(`SELECT expires_at - created_at FROM invite WHERE person_id = ${larsId}`));
    assert.equal(ttl, 7 * 24 * 3600, 'expires after 7 days');
  });

  await t.test('invite: refused for a person with an account, another household, or nothing chosen', async () => {
    const sanne = sql("SELECT person_id FROM account WHERE username = 'inwoner'");
    let r = await gen.post('/huishoudens/1/uitnodigingen', { csrf: genCsrf, persoon: sanne });
    assert.equal(r.status, 409);
    assert.match(await r.text(), /al een account/);
    const other = sql('SELECT person_id FROM household_member WHERE household_id = 2 ORDER BY person_id LIMIT 1');
    r = await gen.post('/huishoudens/1/uitnodigingen', { csrf: genCsrf, persoon: other });
    assert.equal(r.status, 404, 'person of another household (IDOR)');
    r = await gen.post('/huishoudens/1/uitnodigingen', { csrf: genCsrf });
    assert.equal(r.status, 400);
    r = await gen.post('/huishoudens/4/uitnodigingen', { csrf: genCsrf, persoon: String(larsId) });
    assert.equal(r.status, 403, 'no need-to-know for household 4');
    r = await gen.post('/huishoudens/999999/uitnodigingen', { csrf: genCsrf, persoon: String(larsId) });
    assert.equal(r.status, 404);
  });

  await t.test('network invite: a network member of this household; not one with an account or of another household', async () => {
    const marieke = sql("SELECT id FROM network_member WHERE household_id = 1 AND account_id IS NULL ORDER BY id LIMIT 1");
    const joost = sql("SELECT id FROM network_member WHERE household_id = 1 AND account_id IS NOT NULL ORDER BY id LIMIT 1");
    let r = await gen.post('/huishoudens/1/uitnodigingen', { csrf: genCsrf, netwerklid: marieke }, JSON_ACCEPT);
    assert.equal(r.status, 200);
    const m = await r.json();
    assert.equal(m.invite.kind, 'network');
    assert.match(m.invite.link, /\/activeren\?code=/);
    r = await gen.post('/huishoudens/1/uitnodigingen', { csrf: genCsrf, netwerklid: joost });
    assert.equal(r.status, 409);
    r = await gen.post('/huishoudens/1/uitnodigingen', { csrf: genCsrf, netwerklid: '999999' });
    assert.equal(r.status, 404);
  });

  const anon = new Client(srv.url);
  await t.test('activation page greets by first name; a weak password keeps the user name', async () => {
    const f = await activateForm(anon, code);
    assert.equal(f.res.status, 200);
    assert.match(f.html, /Welkom Lars/);
    assert.doesNotMatch(f.html, /Vries/, 'first name only');
    const r = await anon.post('/activeren', { csrf: f.csrf, code, gebruikersnaam: 'lars.devries', wachtwoord: 'welkom', herhaal: 'welkom' });
    assert.equal(r.status, 400);
    const html = await r.text();
    assert.match(html, /value="lars\.devries"/);
    assert.match(html, /aria-invalid="true"/);
    const r2 = await anon.post('/activeren', { csrf: f.csrf, code, gebruikersnaam: 'lars.devries', wachtwoord: 'Fiets-Boom-Lamp-42', herhaal: 'Fiets-Boom-Lamp-43' });
    assert.equal(r2.status, 400);
    assert.match(await r2.text(), /niet gelijk/);
    assert.equal(sql("SELECT count(*) FROM account WHERE username = 'lars.devries'"), '0', 'nothing created');
  });

  await t.test('activation creates the account linked to the person; the code works once', async () => {
    const f = await activateForm(anon, code);
    let r = await anon.post('/activeren', { csrf: f.csrf, code, gebruikersnaam: 'lars.devries', wachtwoord: 'Fiets-Boom-Lamp-42', herhaal: 'Fiets-Boom-Lamp-42' });
    assert.equal(r.status, 200);
    assert.match(await r.text(), /Uw account is klaar/);
    assert.equal(sql("SELECT role || ':' || person_id FROM account WHERE username = 'lars.devries'"), `resident:${larsId}`);
    assert.equal(sql(`SELECT CASE WHEN used_at IS NOT NULL THEN 1 ELSE 0 END FROM invite WHERE person_id = ${larsId}`), '1');
    r = await anon.post('/activeren', { csrf: f.csrf, code, gebruikersnaam: 'lars2', wachtwoord: 'Fiets-Boom-Lamp-42', herhaal: 'Fiets-Boom-Lamp-42' });
    assert.equal(r.status, 400);
    assert.match(await r.text(), new RegExp(GENERIC));
    assert.equal(sql("SELECT count(*) FROM account WHERE username = 'lars2'"), '0');
  });

  await t.test('expired, used and unknown codes: one generic message', async () => {
    const r1 = await anon.get(`/activeren?code=${code}`);
    assert.equal(r1.status, 400);
    const used = await r1.text();
    const r2 = await anon.get('/activeren?code=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(r2.status, 400);
    const unknown = await r2.text();
    const inv = await gen.post('/huishoudens/1/uitnodigingen', { csrf: genCsrf, persoon: String(noorId) }, JSON_ACCEPT);
    assert.equal(inv.status, 200);
    const link = (await inv.json()).invite.link;
    const expCode = new URL(link).searchParams.get('code');
    sql(`UPDATE invite SET expires_at = 1000 WHERE person_id = ${noorId}`);
    const r3 = await anon.get(`/activeren?code=${expCode}`);
    assert.equal(r3.status, 400);
    const expired = await r3.text();
    for (const h of [used, unknown, expired]) assert.match(h, new RegExp(GENERIC));
    const msg = (h) => /<main[\s\S]*<\/main>/.exec(h)[0];
    assert.equal(msg(used), msg(unknown));
    assert.equal(msg(expired), msg(unknown));
  });

  const lars = new Client(srv.url);
  await t.test('the new account sets up TOTP at first sign-in, then sees household 1', async () => {
    let f = await lars.form('/inloggen');
    let r = await lars.post('/inloggen', { csrf: f.csrf, gebruikersnaam: 'lars.devries', wachtwoord: 'Fiets-Boom-Lamp-42' });
    assert.equal(r.status, 303);
    assert.equal(locPath(r), '/inloggen/instellen');
    f = await lars.form('/inloggen/instellen');
    const m = /<code class="utrecht-code kantel-secret">([^<]+)<\/code>/.exec(f.html);
    assert.ok(m, 'secret shown');
    r = await lars.post('/inloggen/instellen', { csrf: f.csrf, code: totp(m[1].replace(/\s+/g, '')) });
    assert.ok([200, 303].includes(r.status), `enrol: ${r.status}`);
    const p = await model(lars, '/mijn');
    assert.equal(p.household.id, 1);
    assert.equal(p.first_name, 'Lars');
    assert.ok(p.household.members.some((x) => x.me && x.first_name === 'Lars'));
  });

  inw = new Client(srv.url);
  await inw.login('inwoner', PASSWORD, SECRET);
  inwCsrf = (await inw.form('/')).csrf;

  await t.test('overview: household, coordinator, open deadlines in plain words', async () => {
    const p = await model(inw, '/mijn');
    assert.equal(p.household.name, 'Huishouden De Vries');
    assert.equal(p.coordinator, 'Fatima El Amrani');
    for (const d of p.deadlines) assert.match(d.sentence, /^(Uiterlijk|Tot) .* 20\d\d /);
    const html = await (await inw.get('/mijn')).text();
    assert.match(html, /Fatima El Amrani/);
  });

  let current = 0;
  await t.test('a newer version (generalist adds an action) shows "not yet agreed"; the resident agrees', async () => {
    let r = await gen.post('/huishoudens/1/plan/acties', { csrf: genCsrf, omschrijving: 'Buurvrouw haalt op dinsdag de boodschappen', trede: '2' });
    assert.equal(r.status, 303);
    let p = await model(inw, '/mijn/plan');
    current = p.current_version;
    assert.equal(p.agreed, null);
    assert.equal(p.can_agree, true);
    const html = await (await inw.get('/mijn/plan')).text();
    assert.ok(html.includes(`Ik ga akkoord met dit plan (versie ${current})`));
    r = await inw.post('/mijn/plan/akkoord', { csrf: inwCsrf, versie: String(current - 1) });
    assert.equal(r.status, 409, 'an older version cannot be agreed to');
    r = await inw.post('/mijn/plan/akkoord', { csrf: inwCsrf, versie: String(current + 5) });
    assert.equal(r.status, 404, 'a version that does not exist');
    r = await inw.post('/mijn/plan/akkoord', { csrf: inwCsrf, versie: String(current) });
    assert.equal(r.status, 303);
    p = await model(inw, '/mijn/plan');
    assert.equal(p.agreed.version, current);
    assert.equal(p.can_agree, false);
    assert.match(await (await inw.get('/mijn/plan')).text(), /U ging akkoord op \w+ \d+ \w+ 20\d\d/);
    const sanne = sql("SELECT person_id FROM account WHERE username = 'inwoner'");
    assert.equal(sql(`SELECT account_id FROM plan_agreement WHERE plan_id = 1 AND version = ${current} AND person_id = ${sanne}`),
      sql("SELECT id FROM account WHERE username = 'inwoner'"));
    r = await gen.post('/huishoudens/1/plan/acties', { csrf: genCsrf, omschrijving: 'Nog een afspraak', trede: '1' });
    assert.equal(r.status, 303);
    p = await model(inw, '/mijn/plan');
    assert.equal(p.agreed, null);
    assert.equal(p.agreed_earlier.version, current);
    assert.equal(p.can_agree, true);
  });

  await t.test('own action creates a version on level 1 carried by the resident; empty is refused', async () => {
    const before = (await model(inw, '/mijn/plan')).current_version;
    let r = await inw.post('/mijn/plan/acties', { csrf: inwCsrf, omschrijving: '', uiterlijk: '' });
    assert.equal(r.status, 400);
    r = await inw.post('/mijn/plan/acties', { csrf: inwCsrf, omschrijving: 'Ik bel zelf de woningcorporatie', uiterlijk: '2020-01-01' });
    assert.equal(r.status, 400, 'due date in the past');
    assert.match(await r.text(), /Ik bel zelf de woningcorporatie/, 'text kept');
    r = await inw.post('/mijn/plan/acties', { csrf: inwCsrf, omschrijving: 'Ik bel zelf de woningcorporatie' });
    assert.equal(r.status, 303);
    const p = await model(inw, '/mijn/plan');
    assert.equal(p.current_version, before + 1);
    assert.match(p.versions[0].summary, /inwoner/);
    const lvl1 = p.plan.levels.find((l) => l.level === 1);
    assert.ok(lvl1.actions.some((a) => a.text === 'Ik bel zelf de woningcorporatie' && a.who === 'Sanne'));
    const staff = await model(gen, '/huishoudens/1/plan');
    assert.equal(staff.current_version, before + 1);
  });

  await t.test('comment is stored and shown newest first', async () => {
    let r = await inw.post('/mijn/plan/opmerkingen', { csrf: inwCsrf, opmerking: '   ' });
    assert.equal(r.status, 400);
    r = await inw.post('/mijn/plan/opmerkingen', { csrf: inwCsrf, opmerking: 'Eerste opmerking' });
    assert.equal(r.status, 303);
    r = await inw.post('/mijn/plan/opmerkingen', { csrf: inwCsrf, opmerking: 'Ik wil graag <b>vaker</b> bellen' });
    assert.equal(r.status, 303);
    const p = await model(inw, '/mijn/plan');
    assert.equal(p.comments[0].text, 'Ik wil graag <b>vaker</b> bellen');
    assert.equal(p.comments[1].text, 'Eerste opmerking');
    const html = await (await inw.get('/mijn/plan')).text();
    assert.ok(html.includes('Ik wil graag &lt;b&gt;vaker&lt;/b&gt; bellen'), 'escaped');
    // the coordinator reads them on the plan page
    const staff = await model(gen, '/huishoudens/1/plan');
    assert.deepEqual(staff.comments.slice(0, 2).map((c) => c.text), ['Ik wil graag <b>vaker</b> bellen', 'Eerste opmerking']);
    const staffHtml = await (await gen.get('/huishoudens/1/plan')).text();
    assert.ok(staffHtml.includes('Ik wil graag &lt;b&gt;vaker&lt;/b&gt; bellen'), 'shown escaped on the staff plan page');
  });

  await t.test('Positieve Gezondheid: stored with by_resident, visible to the caseworker; bad input kept', async () => {
    let r = await inw.post('/mijn/gezondheid', { csrf: inwCsrf, datum: today(), lichaamsfuncties: '11', zingeving: '6' });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /<option value="6" selected>/, 'kept');
    r = await inw.post('/mijn/gezondheid', { csrf: inwCsrf, datum: today() });
    assert.equal(r.status, 400, 'nothing scored');
    r = await inw.post('/mijn/gezondheid', { csrf: inwCsrf, datum: today(), lichaamsfuncties: '7', mentaal_welbevinden: '5',
      zingeving: '8', kwaliteit_van_leven: '6', meedoen: '4', dagelijks_functioneren: '7' });
    assert.equal(r.status, 303);
    const p = await model(inw, '/mijn/gezondheid');
    assert.ok(p.earlier.length >= 1);
    assert.ok(p.earlier[0].scores.some((s) => s.code === 'meedoen' && s.score === 4));
    const m = await model(gen, '/huishoudens/1/metingen');
    const mine = m.members.flatMap((x) => x.assessments).filter((a) => a.instrument === 'positieve_gezondheid' && a.by_resident);
    assert.ok(mine.length >= 1, 'caseworker sees the self-assessment with by_resident');
  });

  await t.test('inzage lists the generalist reading household 1, newest first', async () => {
    await gen.get('/huishoudens/1');
    const p = await model(inw, '/mijn/inzage');
    assert.ok(p.events.length > 0);
    assert.ok(p.events.some((e) => e.who === 'Fatima El Amrani' && /bekeek het dossier/.test(e.what)));
    assert.ok(p.events.some((e) => /wijzigde het plan/.test(e.what)));
    assert.ok(!p.events.some((e) => e.who === 'Sanne de Vries'), 'own actions left out');
    assert.ok(p.events.length <= 100);
  });

  await t.test('export: JSON download with the plan, no full BSN; printable page; audited', async () => {
    const r = await inw.get('/mijn/gegevens?formaat=json');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /application\/json/);
    assert.match(r.headers.get('content-disposition'), /attachment; filename="mijn-gegevens.json"/);
    const text = await r.text();
    const d = JSON.parse(text);
    assert.ok(d.plan && d.plan.version >= 1 && Array.isArray(d.plan.body.actions));
    assert.ok(d.plan.agreements.length >= 1);
    assert.ok(d.comments.length >= 2);
    assert.ok(d.network.length >= 1);
    assert.ok(d.household.members.length >= 3);
    assert.match(d.person.bsn, /^\*{6}\d{3}$/);
    assert.doesNotMatch(text, /(?<!\d)\d{9}(?!\d)/, 'no 9-digit number anywhere');
    const page = await inw.get('/mijn/gegevens');
    assert.equal(page.status, 200);
    assert.match(await page.text(), /AVG, artikel 15/);
  });

  await t.test('a resident stays in their own household', async () => {
    assert.equal((await inw.get('/mijn/plan?versie=999')).status, 404);
    assert.equal((await inw.get('/huishoudens/1')).status, 403);
    assert.equal((await inw.get('/huishoudens/4')).status, 403);
    const r = await inw.post('/mijn/plan/akkoord', { csrf: inwCsrf, versie: '99' });
    assert.equal(r.status, 404);
    const hh2 = sql('SELECT count(*) FROM plan_comment WHERE household_id <> 1');
    assert.equal(hh2, '0', 'comments only in household 1');
    const p = await model(inw, '/mijn/gegevens');
    assert.equal(p.household.name, 'Huishouden De Vries');
    // A resident without a household gets a friendly page, not an error.
    sql(`UPDATE household_member SET until = '2000-01-01' WHERE person_id = ${larsId}`);
    const l = await model(lars, '/mijn');
    assert.equal(l.household, null);
    assert.match(await (await lars.get('/mijn')).text(), /nog niets/);
    assert.equal((await lars.get('/mijn/plan')).status, 200);
  });

  await t.test('JSON models of the portal pages', async () => {
    for (const p of ['/mijn', '/mijn/plan', '/mijn/gezondheid', '/mijn/inzage', '/mijn/gegevens']) {
      const m = await model(inw, p);
      assert.equal(typeof m.title, 'string', p);
    }
  });
} finally {
  if (srv) {
    const codeExit = await srv.stop().catch((e) => e);
    await t.test('server stops cleanly', () => assert.equal(codeExit, 0));
    await t.test('audit: invite.create, invite.redeem, portal.export and plan.agree, never the token', () => {
      assert.ok(Number(sql("SELECT count(*) FROM audit_event WHERE action = 'invite.create' AND object_id = '1'")) >= 3);
      assert.equal(sql("SELECT count(*) FROM audit_event WHERE action = 'invite.redeem'"), '1');
      assert.ok(Number(sql("SELECT count(*) FROM audit_event WHERE action = 'portal.export' AND object_id = '1'")) >= 2);
      assert.ok(Number(sql("SELECT count(*) FROM audit_event WHERE action = 'plan.agree' AND detail LIKE '%by resident%'")) >= 1);
      assert.ok(code.length > 40);
      assert.equal(sql(`SELECT count(*) FROM audit_event WHERE ${instr}(detail, '${code}') > 0 OR ${instr}(object_id, '${code}') > 0`), '0');
    });
  }
  fs.rmSync(dir, { recursive: true, force: true });
  t.done();
}
