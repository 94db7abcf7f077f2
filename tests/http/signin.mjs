// tests/http/signin.mjs - sign-in, second factor, recovery codes, lockout,
// sign-out, sessions, blocking accounts and changing passwords, over HTTP
// against a real `kantel serve` on a demo database.
//
//   KANTEL_BIN=build/kantel node tests/http/signin.mjs
//
// TOTP codes are single-use per account and 30 s step: each demo account is
// signed in at most twice with TOTP here (the Client uses the current and the
// next step), so the suite never waits for a new step.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { suite } from '../lib/harness.mjs';
import { Client, dbTarget, runDemo, startServer, totp } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const PASSWORD = 'Kantel-demo-2026!';
const SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';
const WRONG_LOGIN = 'De gebruikersnaam of het wachtwoord klopt niet.';

// Extra accounts made with the CLI before the server starts.
const STAFF = { user: 'medewerker', role: 'generalist', name: 'Mila Medewerker', pw: 'Groene-Tafel-Lamp-71' };
const BLOCKED = { user: 'bewoner', role: 'resident', name: 'Bram Bewoner', pw: 'Blauwe-Fiets-Regen-42' };
const CHANGER = { user: 'wijzig', role: 'resident', name: 'Wim Wijzig', pw: 'Oude-Sleutel-Deur-33' };
const CHANGED_PW = 'Nieuwe-Sleutel-Raam-58';

const t = suite('http: sign-in');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-signin-'));
const db = dbTarget(dir);
const keyFile = path.join(dir, 'k.key');

// ---------------------------------------------------------------- helpers

function cli(args, input) {
  return execFileSync(BIN, [...args, '--database', db, '--key-file', keyFile],
    { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 });
}

/** Attributes of the first <tag ...> for which pred(attrs) holds, or null. */
function findTag(html, tag, pred) {
  for (const m of String(html).matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'gi'))) {
    const attrs = {};
    for (const a of m[0].matchAll(/([\w:-]+)(?:\s*=\s*"([^"]*)")?/g)) attrs[a[1].toLowerCase()] = a[2] ?? '';
    if (pred(attrs)) return attrs;
  }
  return null;
}

const inputNamed = (html, name) => findTag(html.replace(/^<!DOCTYPE[^>]*>/i, ''), 'input', (a) => a.name === name);

/** Text of the error alert (role="alert"), or null. */
function alertText(html) {
  const m = /role="alert"[^>]*>\s*<p[^>]*>([\s\S]*?)<\/p>/.exec(html);
  return m ? m[1].trim() : null;
}

const locPath = (res) => {
  const loc = res.headers.get('location');
  return loc === null ? null : new URL(loc, 'http://x/').pathname;
};

async function body(res) {
  return await res.text();
}

/** A 6-digit code that is valid for no step near now. */
function wrongCode(secret) {
  const now = Date.now() / 1000;
  const valid = new Set([-60, -30, 0, 30, 60].map((d) => totp(secret, now + d)));
  let n = Number(totp(secret, now));
  let c;
  do {
    n = (n + 137) % 1_000_000;
    c = String(n).padStart(6, '0');
  } while (valid.has(c));
  return c;
}

/** Password step only; returns the response. */
async function passwordStep(c, user, pw) {
  const f = await c.form('/inloggen');
  assert.equal(f.res.status, 200);
  assert.ok(f.csrf, 'login form has a csrf field');
  return c.post('/inloggen', { csrf: f.csrf, gebruikersnaam: user, wachtwoord: pw });
}

/** Sign-in of a CLI-made account. Every role needs a second factor, so the
 *  first sign-in sets up TOTP (secret from the page) and keeps the ten
 *  recovery codes; later sign-ins use one of those codes, so no test waits
 *  for a fresh TOTP step. */
const recoveryCodes = new Map(); // user -> unused recovery codes
async function passwordOnlyLogin(c, user, pw) {
  let res = await passwordStep(c, user, pw);
  await res.arrayBuffer();
  assert.equal(res.status, 303, `password step of ${user}`);
  const codes = recoveryCodes.get(user);
  if (!codes) {
    assert.equal(locPath(res), '/inloggen/instellen', `${user} has no second factor yet`);
    const f = await c.form('/inloggen/instellen');
    const m = /<code class="utrecht-code kantel-secret">([^<]+)<\/code>/.exec(f.html);
    assert.ok(m, 'the enrolment page shows the secret');
    res = await c.post('/inloggen/instellen', { csrf: f.csrf, code: totp(m[1].replace(/\s+/g, '')) });
    const html = await res.text();
    assert.equal(res.status, 200, `enrolment of ${user}`);
    const got = [...html.matchAll(/<code class="utrecht-code">([a-z0-9]{5}-[a-z0-9]{5})<\/code>/g)].map((x) => x[1]);
    assert.equal(got.length, 10, 'ten recovery codes');
    recoveryCodes.set(user, got);
  } else {
    assert.equal(locPath(res), '/inloggen/code');
    assert.ok(codes.length, `recovery codes of ${user} used up`);
    res = await codeStep(c, codes.shift());
    await res.arrayBuffer();
    assert.equal(res.status, 303, `recovery-code step of ${user}`);
    assert.equal(locPath(res), '/');
  }
  assert.ok(c.cookie('kantel_sid'));
}

/** GET / with nothing but the given session token. */
function getWithToken(url, token) {
  return fetch(url + '/', { headers: { Cookie: `kantel_sid=${token}` }, redirect: 'manual' });
}

async function codeStep(c, code) {
  const f = await c.form('/inloggen/code');
  assert.equal(f.res.status, 200, 'GET /inloggen/code');
  assert.ok(f.csrf);
  return c.post('/inloggen/code', { csrf: f.csrf, code });
}

/** Sessions listed on /account: [{id, current}]. */
function sessionsOf(html) {
  const out = [];
  const tbody = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(html);
  assert.ok(tbody, '/account has a sessions table');
  for (const row of tbody[1].split(/<tr\b/).slice(1)) {
    const inp = findTag(row, 'input', (a) => a.name === 'sessie');
    if (inp) out.push({ id: inp.value, current: row.includes('Deze sessie.') });
  }
  return out;
}

async function usersJson(admin) {
  const res = await admin.get('/beheer/gebruikers', { headers: { Accept: 'application/json' } });
  assert.equal(res.status, 200);
  const m = await res.json();
  assert.ok(Array.isArray(m.users), 'users list in the JSON model');
  return m.users;
}

// ---------------------------------------------------------------- tests

let srv = null;
let url = '';
let admin = null;

await t.test('setup: demo database, CLI accounts and server', async () => {
  await runDemo(BIN, dir);
  for (const a of [STAFF, BLOCKED, CHANGER]) {
    const out = cli(['user', 'add', a.user, '--role', a.role, '--name', a.name], `${a.pw}\n`);
    assert.match(out, /created/);
  }
  srv = await startServer({ bin: BIN, dir });
  url = srv.url;
});

if (srv) {
  await t.test('password + TOTP sign-in reaches / with the display name', async () => {
    const c = new Client(url);
    const res = await c.login('inwoner', PASSWORD, SECRET);
    assert.equal(res.status, 303);
    const home = await c.get('/');
    assert.equal(home.status, 200);
    const html = await body(home);
    assert.match(html, /Sanne de Vries/);
  });

  await t.test('the session cookie changes at the code step and the old token stops working', async () => {
    const c = new Client(url);
    let res = await passwordStep(c, 'netwerk', PASSWORD);
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    assert.equal(locPath(res), '/inloggen/code');
    const pending = c.cookie('kantel_sid');
    assert.ok(pending, 'a pending session cookie after the password step');
    res = await codeStep(c, totp(SECRET));
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    assert.equal(locPath(res), '/');
    const full = c.cookie('kantel_sid');
    assert.ok(full);
    assert.notEqual(full, pending, 'a new session id at sign-in');
    assert.equal((await c.get('/')).status, 200);
    const old = await getWithToken(url, pending);
    await old.arrayBuffer();
    assert.equal(old.status, 303, 'the pre-sign-in token must not give access');
    assert.equal(locPath(old), '/inloggen');
    const oldCode = await fetch(url + '/inloggen/code', { headers: { Cookie: `kantel_sid=${pending}` }, redirect: 'manual' });
    await oldCode.arrayBuffer();
    assert.equal(oldCode.status, 303, 'the old token is no longer a pending session either');
    assert.equal(locPath(oldCode), '/inloggen');
  });

  await t.test('signing in again from a pending session issues a new id and ends the old one', async () => {
    // After the password step the user goes back to /inloggen and signs in
    // again: the pending session of this browser ends, a fresh id is issued.
    const c = new Client(url);
    let res = await passwordStep(c, 'teamleider', PASSWORD);
    await res.arrayBuffer();
    assert.equal(locPath(res), '/inloggen/code');
    const first = c.cookie('kantel_sid');
    const f = await c.form('/inloggen');
    assert.equal(f.res.status, 200, 'a pending session may see the sign-in form');
    res = await c.post('/inloggen', { csrf: f.csrf, gebruikersnaam: 'teamleider', wachtwoord: PASSWORD });
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    assert.equal(locPath(res), '/inloggen/code');
    const second = c.cookie('kantel_sid');
    assert.ok(second);
    assert.notEqual(second, first);
    const old = await fetch(url + '/inloggen/code', { headers: { Cookie: `kantel_sid=${first}` }, redirect: 'manual' });
    await old.arrayBuffer();
    assert.equal(old.status, 303, 'the earlier pending session has ended');
    assert.equal(locPath(old), '/inloggen');
    const cur = await c.get('/inloggen/code');
    await cur.arrayBuffer();
    assert.equal(cur.status, 200, 'the new pending session works');
  });

  await t.test('wrong password: 401, user name kept, password not echoed', async () => {
    const c = new Client(url);
    const typed = 'Verkeerd-Wachtwoord-913';
    const res = await passwordStep(c, 'teamleider', typed);
    assert.equal(res.status, 401);
    const html = await body(res);
    assert.equal(alertText(html), WRONG_LOGIN);
    const name = inputNamed(html, 'gebruikersnaam');
    assert.ok(name, 'the form is shown again');
    assert.equal(name.value, 'teamleider');
    const pw = inputNamed(html, 'wachtwoord');
    assert.ok(pw);
    assert.ok(!pw.value, 'the password field is empty');
    assert.ok(!html.includes(typed), 'the typed password appears nowhere in the page');
    assert.equal(c.cookie('kantel_sid'), undefined, 'no session after a wrong password');
  });

  await t.test('wrong TOTP code: 401, and the right code still works afterwards', async () => {
    const c = new Client(url);
    let res = await passwordStep(c, 'teamleider', PASSWORD);
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    assert.equal(locPath(res), '/inloggen/code');
    res = await codeStep(c, wrongCode(SECRET));
    assert.equal(res.status, 401);
    assert.match(alertText(await body(res)), /code klopt niet/);
    assert.equal((await c.get('/')).status, 303, 'not signed in after a wrong code');
    res = await codeStep(c, totp(SECRET));
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    assert.equal(locPath(res), '/');
    assert.equal((await c.get('/')).status, 200);
  });

  await t.test('a TOTP code is refused the second time for the same account', async () => {
    const code = totp(SECRET);
    const a = new Client(url);
    let res = await passwordStep(a, 'beleid', PASSWORD);
    await res.arrayBuffer();
    res = await codeStep(a, code);
    await res.arrayBuffer();
    assert.equal(res.status, 303, 'first use of the code');
    assert.equal(locPath(res), '/');
    const b = new Client(url);
    res = await passwordStep(b, 'beleid', PASSWORD);
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    res = await codeStep(b, code);
    await res.arrayBuffer();
    assert.equal(res.status, 401, 'second use of the same code');
    assert.equal((await b.get('/')).status, 303);
  });

  await t.test('6 failed attempts lock the account (429), then even the right password gets 429', async () => {
    const c = new Client(url);
    const f = await c.form('/inloggen');
    for (let i = 1; i <= 5; i++) {
      const res = await c.post('/inloggen', { csrf: f.csrf, gebruikersnaam: 'aanbieder', wachtwoord: `Fout-${i}-wachtwoord` });
      await res.arrayBuffer();
      assert.equal(res.status, 401, `attempt ${i}`);
    }
    let res = await c.post('/inloggen', { csrf: f.csrf, gebruikersnaam: 'aanbieder', wachtwoord: 'Fout-6-wachtwoord' });
    await res.arrayBuffer();
    assert.equal(res.status, 429, 'attempt 6 locks the account');
    res = await c.post('/inloggen', { csrf: f.csrf, gebruikersnaam: 'aanbieder', wachtwoord: PASSWORD });
    const html = await body(res);
    assert.equal(res.status, 429, 'right password on a locked account');
    assert.match(alertText(html), /geblokkeerd/);
    assert.equal(c.cookie('kantel_sid'), undefined);
  });

  await t.test('unknown user: 401 with the same message as a wrong password', async () => {
    const c = new Client(url);
    const res = await passwordStep(c, 'niemand-bekend', 'Wat-dan-ook-2026');
    assert.equal(res.status, 401);
    const html = await body(res);
    assert.equal(alertText(html), WRONG_LOGIN);
    assert.equal(inputNamed(html, 'gebruikersnaam').value, 'niemand-bekend');
  });

  await t.test('an unknown user name locks after 6 attempts too (429), so the answer reveals no names', async () => {
    const c = new Client(url);
    const f = await c.form('/inloggen');
    const statuses = [];
    for (let i = 1; i <= 7; i++) {
      const res = await c.post('/inloggen', { csrf: f.csrf, gebruikersnaam: 'bestaat-niet', wachtwoord: `Fout-${i}-wachtwoord` });
      const html = await body(res);
      statuses.push(res.status);
      if (res.status === 429) assert.match(alertText(html), /geblokkeerd/);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
  });

  await t.test('logout: 303, and the old cookie then gets 303 to /inloggen', async () => {
    const c = new Client(url);
    await c.login('generalist', PASSWORD, SECRET);
    const token = c.cookie('kantel_sid');
    const f = await c.form('/');
    assert.equal(f.res.status, 200);
    assert.ok(f.csrf, 'the start page has the sign-out form');
    const res = await c.post('/uitloggen', { csrf: f.csrf });
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    assert.equal(locPath(res), '/inloggen');
    assert.equal(c.cookie('kantel_sid'), undefined, 'the cookie is cleared');
    const old = await getWithToken(url, token);
    await old.arrayBuffer();
    assert.equal(old.status, 303);
    assert.equal(locPath(old), '/inloggen');
  });

  let codes = [];
  await t.test('staff enrolment: secret from the page, TOTP, 10 recovery codes', async () => {
    const c = new Client(url);
    let res = await passwordStep(c, STAFF.user, STAFF.pw);
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    assert.equal(locPath(res), '/inloggen/instellen');
    assert.equal((await c.get('/')).status, 303, 'not signed in before enrolment');
    const f = await c.form('/inloggen/instellen');
    assert.equal(f.res.status, 200);
    const m = /<code class="utrecht-code kantel-secret">([^<]+)<\/code>/.exec(f.html);
    assert.ok(m, 'the enrol page shows the secret');
    assert.match(m[1], /^([A-Z2-7]{4} )*[A-Z2-7]{1,4}$/, 'secret grouped in fours');
    const secret = m[1].replace(/\s+/g, '');
    const before = c.cookie('kantel_sid');
    res = await c.post('/inloggen/instellen', { csrf: f.csrf, code: totp(secret) });
    assert.equal(res.status, 200);
    const html = await body(res);
    assert.notEqual(c.cookie('kantel_sid'), before, 'new session id after enrolment');
    const ul = /<ul class="[^"]*kantel-codes[^"]*">([\s\S]*?)<\/ul>/.exec(html);
    assert.ok(ul, 'recovery codes list');
    codes = [...ul[1].matchAll(/<code class="utrecht-code">([^<]+)<\/code>/g)].map((x) => x[1].trim());
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10, 'all different');
    const home = await c.get('/');
    assert.equal(home.status, 200);
    assert.match(await body(home), new RegExp(STAFF.name));
  });

  await t.test('sign-in with a recovery code instead of TOTP; the same code again is 401', async () => {
    assert.equal(codes.length, 10, 'needs the codes from the enrolment test');
    const a = new Client(url);
    let res = await passwordStep(a, STAFF.user, STAFF.pw);
    await res.arrayBuffer();
    assert.equal(locPath(res), '/inloggen/code');
    res = await codeStep(a, codes[3]);
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    assert.equal(locPath(res), '/');
    const home = await a.get('/');
    assert.equal(home.status, 200);
    assert.match(await body(home), new RegExp(STAFF.name));
    const b = new Client(url);
    res = await passwordStep(b, STAFF.user, STAFF.pw);
    await res.arrayBuffer();
    assert.equal(locPath(res), '/inloggen/code');
    res = await codeStep(b, codes[3]);
    await res.arrayBuffer();
    assert.equal(res.status, 401);
    assert.equal((await b.get('/')).status, 303);
  });

  await t.test('/account lists the sessions; ending another one signs that client out', async () => {
    const a = new Client(url);
    const b = new Client(url);
    await a.login('organisatie', PASSWORD, SECRET);
    await b.login('organisatie', PASSWORD, SECRET);
    let f = await a.form('/account');
    assert.equal(f.res.status, 200);
    let list = sessionsOf(f.html);
    assert.equal(list.length, 2, 'two sessions listed');
    assert.equal(list.filter((s) => s.current).length, 1, 'exactly one marked as this session');
    const other = list.find((s) => !s.current);
    const res = await a.post('/account/sessies/beeindigen', { csrf: f.csrf, sessie: other.id });
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    assert.equal(locPath(res), '/account');
    const gone = await b.get('/');
    await gone.arrayBuffer();
    assert.equal(gone.status, 303);
    assert.equal(locPath(gone), '/inloggen');
    assert.equal((await a.get('/')).status, 200, 'the own session goes on');
    f = await a.form('/account');
    list = sessionsOf(f.html);
    assert.equal(list.length, 1);
    assert.ok(list[0].current);
  });

  await t.test('a session of another user cannot be ended (404), it goes on', async () => {
    const owner = new Client(url);
    await passwordOnlyLogin(owner, CHANGER.user, CHANGER.pw);
    const mine = sessionsOf((await owner.form('/account')).html).find((s) => s.current);
    assert.ok(mine, 'the owner sees its own session');
    const other = new Client(url);
    await other.login('inwoner', PASSWORD, SECRET);
    const f = await other.form('/account');
    const res = await other.post('/account/sessies/beeindigen', { csrf: f.csrf, sessie: mine.id });
    await res.arrayBuffer();
    assert.equal(res.status, 404);
    assert.equal((await owner.get('/')).status, 200, 'the owner is still signed in');
    assert.equal((await other.get('/')).status, 200);
  });

  await t.test('admin blocking a user ends its sessions and blocks new sign-in', async () => {
    admin = new Client(url);
    await admin.login('beheerder', PASSWORD, SECRET);
    const victim = new Client(url);
    await passwordOnlyLogin(victim, BLOCKED.user, BLOCKED.pw);
    assert.equal((await victim.get('/')).status, 200);
    const user = (await usersJson(admin)).find((u) => u.username === BLOCKED.user);
    assert.ok(user, 'the user is listed');
    const f = await admin.form('/beheer/gebruikers');
    assert.equal(f.res.status, 200);
    assert.ok(findTag(f.html, 'form', (a) => a.action === `/beheer/gebruikers/${user.id}/blokkeren`),
      'a block button for the user');
    const res = await admin.post(`/beheer/gebruikers/${user.id}/blokkeren`, { csrf: f.csrf });
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    const after = await victim.get('/');
    await after.arrayBuffer();
    assert.equal(after.status, 303, 'the blocked user\'s session has ended');
    assert.equal(locPath(after), '/inloggen');
    const again = new Client(url);
    const r2 = await passwordStep(again, BLOCKED.user, BLOCKED.pw);
    await r2.arrayBuffer();
    assert.equal(r2.status, 401, 'sign-in of a blocked account');
    assert.equal(again.cookie('kantel_sid'), undefined);
    const listed = (await usersJson(admin)).find((u) => u.username === BLOCKED.user);
    assert.equal(listed.disabled, true);
    assert.equal(listed.sessions, 0);
  });

  await t.test('admin creating a user with a common password: 400, message, other fields kept', async () => {
    assert.ok(admin, 'needs the admin session of the previous test');
    const f = await admin.form('/beheer/gebruikers');
    assert.equal(f.res.status, 200);
    const res = await admin.post('/beheer/gebruikers', {
      csrf: f.csrf, gebruikersnaam: 'nieuwe.collega', naam: 'Nora Nieuw', email: 'nora@voorbeeld.nl',
      rol: 'teamlead', wachtwoord: 'wachtwoord123',
    });
    assert.equal(res.status, 400);
    const html = await body(res);
    assert.match(html, /role="alert"[\s\S]*?href="#wachtwoord"[^>]*>[^<]*<\/a>: [^<]*veelgebruikte wachtwoorden/,
      'the error summary links to the password field with the reason');
    assert.match(html, /id="wachtwoord-fout"[^>]*>[^<]*veelgebruikte wachtwoorden/, 'the message stands at the field');
    assert.match(html, /name="wachtwoord"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="wachtwoord"/, 'the field is marked invalid');
    assert.equal(inputNamed(html, 'gebruikersnaam')?.value, 'nieuwe.collega');
    assert.equal(inputNamed(html, 'naam')?.value, 'Nora Nieuw');
    assert.equal(inputNamed(html, 'email')?.value, 'nora@voorbeeld.nl');
    assert.match(html, /<option value="teamlead" selected>/, 'the chosen role stays selected');
    assert.ok(!inputNamed(html, 'wachtwoord')?.value, 'the password field is empty');
    assert.ok(!html.includes('wachtwoord123'), 'the password is not echoed');
    const users = await usersJson(admin);
    assert.ok(!users.some((u) => u.username === 'nieuwe.collega'), 'no account was created');
  });

  await t.test('password change: checks, success ends other sessions, new password works', async () => {
    const a = new Client(url);
    const b = new Client(url);
    await passwordOnlyLogin(a, CHANGER.user, CHANGER.pw);
    await passwordOnlyLogin(b, CHANGER.user, CHANGER.pw);
    let f = await a.form('/account/wachtwoord');
    assert.equal(f.res.status, 200);
    const csrf = f.csrf;
    let res = await a.post('/account/wachtwoord', { csrf, huidig: 'Niet-Mijn-Wachtwoord-1', nieuw: CHANGED_PW, herhaal: CHANGED_PW });
    assert.equal(res.status, 400, 'wrong current password');
    assert.match(alertText(await body(res)), /huidige wachtwoord klopt niet/);
    res = await a.post('/account/wachtwoord', { csrf, huidig: CHANGER.pw, nieuw: CHANGED_PW, herhaal: CHANGED_PW + 'x' });
    assert.equal(res.status, 400, 'repeat differs');
    assert.match(alertText(await body(res)), /niet gelijk/);
    res = await a.post('/account/wachtwoord', { csrf, huidig: CHANGER.pw, nieuw: 'wachtwoord123', herhaal: 'wachtwoord123' });
    assert.equal(res.status, 400, 'common password');
    assert.match(alertText(await body(res)), /veelgebruikte/);
    assert.equal((await b.get('/')).status, 200, 'refused changes end no session');
    res = await a.post('/account/wachtwoord', { csrf, huidig: CHANGER.pw, nieuw: CHANGED_PW, herhaal: CHANGED_PW });
    assert.equal(res.status, 200);
    assert.match(await body(res), /Uw wachtwoord is gewijzigd/);
    assert.equal((await a.get('/')).status, 200, 'the own session goes on');
    const other = await b.get('/');
    await other.arrayBuffer();
    assert.equal(other.status, 303, 'the other session has ended');
    const oldPw = new Client(url);
    res = await passwordStep(oldPw, CHANGER.user, CHANGER.pw);
    await res.arrayBuffer();
    assert.equal(res.status, 401, 'the old password no longer works');
    const newPw = new Client(url);
    await passwordOnlyLogin(newPw, CHANGER.user, CHANGED_PW);
    assert.equal((await newPw.get('/')).status, 200);
  });

  await t.test('server stops gracefully (exit 0)', async () => {
    const code = await srv.stop();
    srv = null;
    assert.equal(code, 0);
  });
}

if (srv) await srv.stop().catch(() => {});
fs.rmSync(dir, { recursive: true, force: true });
t.done();
