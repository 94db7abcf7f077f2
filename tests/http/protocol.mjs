// tests/http/protocol.mjs - HTTP protocol behaviour of `kantel serve`:
// security headers, cookies, error pages and statuses (404, 405, 413, 400,
// 415), the JSON model, CSRF and same-origin checks, health checks, session
// expiry and graceful shutdown.
//
//   KANTEL_BIN=build/kantel node tests/http/protocol.mjs

import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { suite } from '../lib/harness.mjs';
import { Client, runDemo, startServer } from '../lib/kantel.mjs';

const BIN = path.resolve(process.env.KANTEL_BIN || 'build/kantel');
const PASSWORD = 'Kantel-demo-2026!';
const SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';

const t = suite('http: protocol');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kantel-protocol-'));

// ---------------------------------------------------------------- helpers

const locFull = (res) => {
  const loc = res.headers.get('location');
  if (loc === null) return null;
  const u = new URL(loc, 'http://x/');
  return u.pathname + u.search;
};

function setCookies(res) {
  return res.headers.getSetCookie();
}

function cookieLine(res, name) {
  return setCookies(res).find((l) => l.startsWith(`${name}=`));
}

function assertCookieFlags(line, name) {
  assert.ok(line, `Set-Cookie ${name} present`);
  const attrs = line.split(';').slice(1).map((a) => a.trim().toLowerCase());
  assert.ok(attrs.includes('httponly'), `${name} is HttpOnly: ${line}`);
  assert.ok(attrs.includes('samesite=strict'), `${name} is SameSite=Strict: ${line}`);
  assert.ok(attrs.includes('path=/'), `${name} has Path=/: ${line}`);
}

/** Checks the headers every response carries; returns the CSP nonce. */
function assertSecurityHeaders(res, what) {
  const csp = res.headers.get('content-security-policy');
  assert.ok(csp, `${what}: Content-Security-Policy`);
  const directives = new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [k, ...v] = d.split(/\s+/);
    return [k.toLowerCase(), v];
  }));
  assert.deepEqual(directives.get('frame-ancestors'), ["'none'"], `${what}: frame-ancestors 'none'`);
  assert.deepEqual(directives.get('default-src'), ["'none'"], `${what}: default-src 'none'`);
  const script = directives.get('script-src') ?? [];
  const nonce = script.map((s) => /^'nonce-([A-Za-z0-9+/_=-]{16,})'$/.exec(s)).find(Boolean);
  assert.ok(nonce, `${what}: script-src with a nonce: ${csp}`);
  assert.ok(!script.includes("'unsafe-inline'"), `${what}: no unsafe-inline scripts`);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.equal(res.headers.get('referrer-policy'), 'same-origin', `${what}: Referrer-Policy`);
  return nonce[1];
}

async function signedIn(url, user) {
  const c = new Client(url);
  await c.login(user, PASSWORD, SECRET);
  return c;
}

// ---------------------------------------------------------------- tests

let srv = null;
let url = '';
let user = null; // signed-in client (inwoner)

await t.test('setup: demo database and server', async () => {
  await runDemo(BIN, dir);
  srv = await startServer({ bin: BIN, dir });
  url = srv.url;
  user = await signedIn(url, 'inwoner');
});

if (srv && user) {
  await t.test('security headers on an HTML page, with a fresh CSP nonce per response', async () => {
    const c = new Client(url);
    const a = await c.get('/inloggen');
    assert.equal(a.status, 200);
    assert.match(a.headers.get('content-type'), /^text\/html; charset=utf-8/i);
    const n1 = assertSecurityHeaders(a, 'GET /inloggen');
    assert.equal(a.headers.get('cache-control'), 'no-store');
    await a.arrayBuffer();
    const b = await c.get('/inloggen');
    const n2 = assertSecurityHeaders(b, 'GET /inloggen again');
    await b.arrayBuffer();
    assert.notEqual(n1, n2, 'a new nonce for each response');
    const home = await user.get('/');
    assert.equal(home.status, 200);
    assertSecurityHeaders(home, 'GET / signed in');
    assert.equal(home.headers.get('cache-control'), 'no-store', 'signed-in pages are not stored');
    await home.arrayBuffer();
  });

  await t.test('security headers and a Dutch page on a 404', async () => {
    const res = await user.get('/bestaat/niet');
    assert.equal(res.status, 404);
    assertSecurityHeaders(res, '404');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.headers.get('content-type'), /^text\/html/);
    const html = await res.text();
    assert.match(html, /<html lang="nl"/);
    assert.match(html, /Pagina niet gevonden/);
    const anon = await fetch(url + '/ook/niet', { redirect: 'manual' });
    assert.equal(anon.status, 404, 'also for anonymous visitors');
    assert.match(await anon.text(), /Pagina niet gevonden/);
  });

  await t.test('static asset: security headers, long max-age, ETag and 304', async () => {
    const page = await fetch(url + '/inloggen', { redirect: 'manual' });
    const html = await page.text();
    const m = /href="(\/static\/utrecht\.css\?v=[^"]+)"/.exec(html);
    assert.ok(m, 'the layout links /static/utrecht.css?v=...');
    const res = await fetch(url + m[1], { redirect: 'manual' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/css/);
    assertSecurityHeaders(res, 'static');
    const cc = res.headers.get('cache-control') ?? '';
    const maxAge = /max-age=(\d+)/.exec(cc);
    assert.ok(maxAge && Number(maxAge[1]) >= 31_536_000, `long max-age: ${cc}`);
    assert.ok(!/no-store/.test(cc));
    const etag = res.headers.get('etag');
    assert.ok(etag, 'ETag on a static asset');
    assert.ok((await res.arrayBuffer()).byteLength > 0);
    const again = await fetch(url + m[1], { headers: { 'If-None-Match': etag }, redirect: 'manual' });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('etag'), etag);
    assert.equal((await again.arrayBuffer()).byteLength, 0, 'a 304 has no body');
    const other = await fetch(url + m[1], { headers: { 'If-None-Match': '"nicht-dieses"' }, redirect: 'manual' });
    assert.equal(other.status, 200, 'another ETag gets the full asset');
    await other.arrayBuffer();
  });

  await t.test('cookies are HttpOnly and SameSite=Strict', async () => {
    const c = new Client(url);
    const page = await c.get('/inloggen');
    assertCookieFlags(cookieLine(page, 'kantel_pre'), 'kantel_pre');
    const csrf = c.csrfFrom(await page.text());
    const res = await c.post('/inloggen', { csrf, gebruikersnaam: 'netwerk', wachtwoord: PASSWORD });
    assert.equal(res.status, 303);
    assertCookieFlags(cookieLine(res, 'kantel_sid'), 'kantel_sid');
    await res.arrayBuffer();
  });

  await t.test('405 with an Allow header (DELETE /, POST /account)', async () => {
    let res = await user.request('DELETE', '/');
    assert.equal(res.status, 405);
    let allow = (res.headers.get('allow') ?? '').split(',').map((s) => s.trim());
    assert.ok(allow.includes('GET'), `Allow lists GET: ${allow}`);
    assert.ok(!allow.includes('DELETE'));
    assertSecurityHeaders(res, '405');
    await res.arrayBuffer();
    res = await user.post('/account', { csrf: 'x' });
    assert.equal(res.status, 405);
    allow = (res.headers.get('allow') ?? '').split(',').map((s) => s.trim());
    assert.ok(allow.includes('GET'), `Allow lists GET: ${allow}`);
    assert.ok(!allow.includes('POST'));
    await res.arrayBuffer();
  });

  await t.test('400 for an undeclared parameter', async () => {
    let res = await user.get('/?x=1');
    assert.equal(res.status, 400, 'GET /?x=1 signed in');
    assert.match(await res.text(), /<html lang="nl"/);
    res = await fetch(url + '/inloggen?foo=1', { redirect: 'manual' });
    assert.equal(res.status, 400, 'GET /inloggen?foo=1');
    await res.arrayBuffer();
    res = await fetch(url + '/inloggen?verlopen=1', { redirect: 'manual' });
    assert.equal(res.status, 200, 'a declared parameter is fine');
    await res.arrayBuffer();
  });

  await t.test('400 for invalid UTF-8 and for a bad %-escape', async () => {
    for (const q of ['verlopen=%C0%AF', '%C0%AF=1', 'verlopen=%zz', 'verlopen=%4', 'verlopen=%']) {
      const res = await fetch(`${url}/inloggen?${q}`, { redirect: 'manual' });
      assert.equal(res.status, 400, `GET /inloggen?${q}`);
      await res.arrayBuffer();
    }
    const c = new Client(url);
    const f = await c.form('/inloggen');
    for (const body of [`csrf=${f.csrf}&gebruikersnaam=%C0%AF&wachtwoord=x`,
      `csrf=${f.csrf}&gebruikersnaam=a%G1&wachtwoord=x`]) {
      const res = await c.request('POST', '/inloggen', { body });
      assert.equal(res.status, 400, `POST ${body}`);
      await res.arrayBuffer();
    }
  });

  await t.test('415 for a POST with another content type', async () => {
    const c = new Client(url);
    const f = await c.form('/inloggen');
    const body = new URLSearchParams({ csrf: f.csrf, gebruikersnaam: 'netwerk', wachtwoord: PASSWORD }).toString();
    for (const ct of ['text/plain', 'application/json', 'multipart/form-data; boundary=x',
      'application/x-www-form-urlencodedx']) {
      const res = await c.request('POST', '/inloggen', { body, headers: { 'Content-Type': ct } });
      assert.equal(res.status, 415, `Content-Type ${ct}`);
      await res.arrayBuffer();
    }
    const ok = await c.request('POST', '/inloggen',
      { body, headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' } });
    assert.equal(ok.status, 303, 'the form type with a charset is accepted');
    await ok.arrayBuffer();
  });

  await t.test('JSON model of / matches the HTML; anonymous JSON gets 401', async () => {
    const res = await user.get('/', { headers: { Accept: 'application/json' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    const m = await res.json();
    assert.equal(typeof m.name, 'string');
    assert.equal(typeof m.role, 'string');
    assert.equal(m.name, 'Sanne de Vries');
    const html = await (await user.get('/')).text();
    const name = /<h1[^>]*>Welkom, ([^<]+)<\/h1>/.exec(html);
    assert.ok(name, 'the page greets by name');
    assert.equal(name[1], m.name);
    const role = /U bent ingelogd als <strong>([^<]+)<\/strong>/.exec(html);
    assert.ok(role);
    assert.equal(role[1], m.role);
    assert.ok(!('layout' in m), 'no layout data in the JSON model');
    const anon = await fetch(url + '/', { headers: { Accept: 'application/json' }, redirect: 'manual' });
    assert.equal(anon.status, 401);
    assert.match(anon.headers.get('content-type'), /^application\/json/);
    await anon.json();
  });

  await t.test('CSRF: sign-out without, with a wrong token, cross-origin or cross-site is 403', async () => {
    const c = await signedIn(url, 'netwerk');
    const f = await c.form('/');
    assert.ok(f.csrf);
    const tries = [
      ['no token', {}, {}],
      ['wrong token', { csrf: f.csrf.slice(0, -2) + (f.csrf.endsWith('AA') ? 'BB' : 'AA') }, {}],
      ['Origin http://evil.example', { csrf: f.csrf }, { Origin: 'http://evil.example' }],
      ['Sec-Fetch-Site: cross-site', { csrf: f.csrf }, { 'Sec-Fetch-Site': 'cross-site' }],
      ['Sec-Fetch-Site: same-site', { csrf: f.csrf }, { 'Sec-Fetch-Site': 'same-site' }],
    ];
    for (const [what, fields, headers] of tries) {
      const res = await c.post('/uitloggen', fields, { headers });
      assert.equal(res.status, 403, what);
      await res.arrayBuffer();
      const still = await c.get('/');
      assert.equal(still.status, 200, `still signed in after: ${what}`);
      await still.arrayBuffer();
    }
    const res = await c.post('/uitloggen', { csrf: f.csrf }, { headers: { 'Sec-Fetch-Site': 'same-origin' } });
    assert.equal(res.status, 303, 'the right token, same origin');
    assert.equal(locFull(res), '/inloggen?uitgelogd=1');
    await res.arrayBuffer();
  });

  await t.test('anonymous sign-in POST without the kantel_pre cookie is 403', async () => {
    const c = new Client(url);
    const f = await c.form('/inloggen');
    assert.ok(c.cookie('kantel_pre'));
    c.jar.delete('kantel_pre');
    let res = await c.post('/inloggen', { csrf: f.csrf, gebruikersnaam: 'netwerk', wachtwoord: PASSWORD });
    assert.equal(res.status, 403, 'no kantel_pre cookie');
    await res.arrayBuffer();
    assert.equal(c.cookie('kantel_sid'), undefined);
    const other = new Client(url);
    await (await other.get('/inloggen')).arrayBuffer();
    res = await other.post('/inloggen', { csrf: f.csrf, gebruikersnaam: 'netwerk', wachtwoord: PASSWORD });
    assert.equal(res.status, 403, 'a token that is not the one of this cookie');
    await res.arrayBuffer();
    assert.equal(other.cookie('kantel_sid'), undefined);
  });

  await t.test('/healthz and /readyz', async () => {
    let res = await fetch(url + '/healthz');
    assert.equal(res.status, 200);
    assert.equal((await res.text()).trim(), 'ok');
    res = await fetch(url + '/readyz');
    assert.equal(res.status, 200);
    assert.equal((await res.text()).trim(), 'ready');
  });

  await t.test('graceful shutdown: an in-flight request completes, stop() resolves with 0', async () => {
    // A sign-in POST whose body is only half sent when SIGTERM arrives: the
    // server stops accepting, lets it finish, answers it, then exits 0.
    const c = new Client(url);
    const f = await c.form('/inloggen');
    const body = new URLSearchParams({ csrf: f.csrf, gebruikersnaam: 'beleid', wachtwoord: 'Fout-Tijdens-Stoppen-1' }).toString();
    const half = Math.floor(body.length / 2);
    const { port } = new URL(url);
    const sock = net.connect(Number(port), '127.0.0.1');
    sock.setEncoding('latin1');
    let answer = '';
    const closed = new Promise((resolve, reject) => {
      sock.on('data', (d) => { answer += d; });
      sock.on('end', resolve);
      sock.on('error', reject);
    });
    await new Promise((resolve) => sock.once('connect', resolve));
    sock.write(`POST /inloggen HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: kantel_pre=${c.cookie('kantel_pre')}\r\n` +
      `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n` +
      body.slice(0, half));
    // A full round trip on another connection: the half request has arrived.
    assert.equal((await fetch(url + '/healthz')).status, 200);
    const stopping = new Promise((resolve) => {
      const seen = () => {
        const m = /finishing (\d+) in-flight/.exec(srv.output().stderr);
        if (m) { srv.proc.stderr.off('data', onData); resolve(Number(m[1])); }
      };
      const onData = () => seen();
      srv.proc.stderr.on('data', onData);
      seen();
    });
    const exited = srv.stop();
    const inflight = await stopping;
    assert.ok(inflight >= 1, `the half request counts as in flight (${inflight})`);
    sock.end(body.slice(half));
    await closed;
    assert.match(answer, /^HTTP\/1\.1 401 /, `the in-flight request is answered: ${answer.slice(0, 200)}`);
    const code = await exited;
    srv = null;
    assert.equal(code, 0);
  });
}
if (srv) await srv.stop().catch(() => {});
srv = null;

// A second server on the same database with a small body limit and a short
// idle timeout. The server counts whole seconds, so with 4 s the two steps of
// a sign-in (a pending session) have at least 3 s even on a slow sanitizer
// build, and waiting 4.2 s after the last request always expires the session.
let small = null;
await t.test('setup: server with --max-body 2048 --session-idle-timeout 4', async () => {
  small = await startServer({ bin: BIN, dir, args: ['--max-body', '2048', '--session-idle-timeout', '4'] });
});

if (small) {
  await t.test('413 for a body over --max-body', async () => {
    const c = new Client(small.url);
    const f = await c.form('/inloggen');
    const res = await c.post('/inloggen', { csrf: f.csrf, gebruikersnaam: 'netwerk', wachtwoord: 'x'.repeat(10 * 1024) });
    assert.equal(res.status, 413);
    assertSecurityHeaders(res, '413');
    assert.match(await res.text(), /<html lang="nl"/);
    assert.equal(c.cookie('kantel_sid'), undefined);
    // The same without Content-Length (chunked): counted while it arrives.
    const enc = new TextEncoder();
    const chunks = [`csrf=${f.csrf}&gebruikersnaam=netwerk&wachtwoord=`, ...Array(10).fill('y'.repeat(1024))];
    const body = new ReadableStream({
      start(ctl) {
        for (const ch of chunks) ctl.enqueue(enc.encode(ch));
        ctl.close();
      },
    });
    const chunked = await fetch(small.url + '/inloggen', {
      method: 'POST', body, duplex: 'half', redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `kantel_pre=${c.cookie('kantel_pre')}` },
    });
    assert.equal(chunked.status, 413, 'chunked body over the limit');
    await chunked.arrayBuffer();
    const ok = await c.post('/inloggen', { csrf: f.csrf, gebruikersnaam: 'netwerk', wachtwoord: 'x'.repeat(1000) });
    assert.equal(ok.status, 401, 'a body under the limit is handled');
    await ok.arrayBuffer();
  });

  await t.test('session expiry after the idle timeout: 303 to /inloggen?verlopen=1', async () => {
    const c = await signedIn(small.url, 'teamleider');
    const home = await c.get('/');
    assert.equal(home.status, 200);
    await home.arrayBuffer();
    await sleep(4200); // > 4 s idle, in whole seconds as the server counts
    const res = await c.get('/');
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    assert.equal(locFull(res), '/inloggen?verlopen=1');
    const line = cookieLine(res, 'kantel_sid');
    assert.ok(line && /max-age=0/i.test(line), 'the stale cookie is removed');
    const page = await fetch(small.url + '/inloggen?verlopen=1');
    assert.match(await page.text(), /Uw sessie is verlopen/);
  });

  await t.test('second server stops gracefully (exit 0)', async () => {
    const code = await small.stop();
    small = null;
    assert.equal(code, 0);
  });
}
if (small) await small.stop().catch(() => {});

fs.rmSync(dir, { recursive: true, force: true });
t.done();
