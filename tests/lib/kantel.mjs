// tests/lib/kantel.mjs - small helpers for tests and benchmarks that talk to
// a real `kantel serve` over HTTP. Node 20, no dependencies.
//
//   totp(secretBase32, timeSeconds = now, digits = 6) -> code string
//       RFC 6238 / RFC 4226, HMAC-SHA1, 30 s steps. base32Decode(s) -> Buffer.
//
//   new Client(baseUrl)
//       One browser-like session: a cookie jar (Set-Cookie read with
//       headers.getSetCookie(); Max-Age<=0 or a past Expires deletes) and
//       fetch with redirect:'manual', so a 303 comes back as a 303.
//       get(path, {headers})            -> Response
//       post(path, fields, {headers})   -> Response; fields (object or
//                                          [[k, v], ...]) sent urlencoded,
//                                          with Origin: <origin of baseUrl>
//                                          (override it via headers)
//       csrfFrom(html)                  -> value of <input name="csrf">, or null
//       form(path)                      -> {res, html, csrf} (GET)
//       login(user, password, secret)   -> the final 303 Response of the
//                                          sign-in flow (password, then TOTP);
//                                          throws on any unexpected status
//       cookie(name)                    -> value in the jar, or undefined
//
//   startServer({bin, dir, args, env}) -> {url, port, proc, stop(), output()}
//       Runs `bin serve` on dir/k.db + dir/k.key on 127.0.0.1:0 and resolves
//       on its "listening on" line (20 s limit). stop() sends SIGTERM and
//       resolves with the exit code (rejects if it has not exited 10 s later).
//
//   runDemo(bin, dir, args = []) -> {stdout, stderr}
//       Runs `bin demo` on dir's database + dir/k.key; rejects unless it exits 0.
//
//   Database backend: with KANTEL_TEST_PG=postgresql://user@host:port set
//   (scripts/check starts a private server), every test directory gets its
//   own PostgreSQL database instead of dir/k.db:
//   dbTarget(dir, name = 'k')  -> the --database value for dir
//   sql(dir, statement, name)  -> stdout of running statement on that
//                                 database (sqlite3 or psql, '|' between
//                                 columns, one row per line), trimmed
//   backend                    -> 'postgres' or 'sqlite'
//
//   sharedDir() -> the directory with the official conformance material
//                  (hsds/, istd/): KANTEL_SHARED (scripts/check finds it),
//                  else ../shared next to the repository
//
// TOTP codes are single-use per account and time step on the server. login()
// remembers, per user name in this process, the last step it used: it uses
// the current step, or the next one (the server accepts +-1 step) when the
// current one is taken; when both are taken it WAITS until the next step
// begins (up to 30 s). That is the only wait in this module. The memory is
// per process: two processes signing the same account into the same database
// within one step can still collide.

import { createHash, createHmac } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// ---------------------------------------------------------------- TOTP

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(s) {
  const clean = String(s).toUpperCase().replace(/[\s=-]/g, '');
  const out = [];
  let bits = 0, acc = 0;
  for (const ch of clean) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new Error(`base32Decode: invalid character '${ch}'`);
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >>> bits) & 0xff);
    }
    acc &= 0xff; // keep only bits not yet emitted (at most 7 are pending)
  }
  return Buffer.from(out);
}

/** HOTP value for one counter (RFC 4226), key as a Buffer. */
function hotp(key, counter, digits) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

export const TOTP_STEP = 30;

/** RFC 6238 TOTP (SHA-1, 30 s) for a base32 secret at timeSeconds. */
export function totp(secretBase32, timeSeconds = Date.now() / 1000, digits = 6) {
  return hotp(base32Decode(secretBase32), Math.floor(timeSeconds / TOTP_STEP), digits);
}

const lastStep = new Map(); // user -> last TOTP step used in this process

/** Reserve a step for `user` and return its code (see header comment). */
async function nextCode(user, secret) {
  for (;;) {
    const now = Date.now() / 1000;
    const cur = Math.floor(now / TOTP_STEP);
    const last = lastStep.get(user) ?? -Infinity;
    let step = null;
    if (last < cur) step = cur;
    else if (last === cur) step = cur + 1;
    if (step !== null) {
      lastStep.set(user, step); // synchronous: concurrent logins get distinct steps
      return hotp(base32Decode(secret), step, 6);
    }
    // Both the current and the next step are used: wait for the next one.
    await sleep(Math.max(1, ((cur + 1) * TOTP_STEP - now) * 1000 + 20));
  }
}

// ---------------------------------------------------------------- cookies

function splitSetCookie(headers) {
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
  const joined = headers.get('set-cookie');
  return joined ? joined.split(/,(?=\s*[^;,=\s]+=)/) : [];
}

function parseSetCookie(line) {
  const [pair, ...attrs] = line.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return null;
  const c = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), path: '/', expires: null };
  if (c.value.length >= 2 && c.value.startsWith('"') && c.value.endsWith('"')) c.value = c.value.slice(1, -1);
  let maxAge = null;
  for (const a of attrs) {
    const i = a.indexOf('=');
    const k = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
    const v = i < 0 ? '' : a.slice(i + 1).trim();
    if (k === 'max-age' && /^-?\d+$/.test(v)) maxAge = Number(v);
    else if (k === 'expires') {
      const t = Date.parse(v);
      if (!Number.isNaN(t)) c.expires = t;
    } else if (k === 'path' && v.startsWith('/')) c.path = v;
  }
  if (maxAge !== null) c.expires = maxAge <= 0 ? 0 : Date.now() + maxAge * 1000; // Max-Age wins
  return c;
}

function pathMatches(reqPath, cookiePath) {
  if (reqPath === cookiePath) return true;
  if (!reqPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || reqPath[cookiePath.length] === '/';
}

// ---------------------------------------------------------------- client

function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (m, e) => {
    const l = e.toLowerCase();
    if (l === 'amp') return '&';
    if (l === 'lt') return '<';
    if (l === 'gt') return '>';
    if (l === 'quot') return '"';
    if (l === 'apos') return "'";
    return String.fromCodePoint(l.startsWith('#x') ? parseInt(l.slice(2), 16) : parseInt(l.slice(1), 10));
  });
}

function attrsOf(tag) {
  const attrs = {};
  const re = /([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const m of tag.replace(/^<\s*\w+/, '').replace(/\/?>$/, '').matchAll(re)) {
    attrs[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

async function snippet(res) {
  try {
    const t = (await res.text()).replace(/\s+/g, ' ').trim();
    return t.length > 300 ? t.slice(0, 300) + '...' : t;
  } catch {
    return '';
  }
}

export class Client {
  constructor(baseUrl) {
    this.baseUrl = String(baseUrl).replace(/\/+$/, '');
    this.origin = new URL(this.baseUrl).origin;
    this.jar = new Map(); // name -> {name, value, path, expires}
  }

  cookie(name) {
    const c = this.jar.get(name);
    if (!c) return undefined;
    if (c.expires !== null && c.expires <= Date.now()) {
      this.jar.delete(name);
      return undefined;
    }
    return c.value;
  }

  cookieHeader(path) {
    const now = Date.now();
    const parts = [];
    for (const [name, c] of this.jar) {
      if (c.expires !== null && c.expires <= now) this.jar.delete(name);
      else if (pathMatches(path, c.path)) parts.push(`${c.name}=${c.value}`);
    }
    return parts.join('; ');
  }

  storeCookies(res) {
    for (const line of splitSetCookie(res.headers)) {
      const c = parseSetCookie(line);
      if (!c) continue;
      if (c.expires !== null && c.expires <= Date.now()) this.jar.delete(c.name);
      else this.jar.set(c.name, c);
    }
  }

  async request(method, path, { headers = {}, body } = {}) {
    const url = new URL(path, this.baseUrl + '/');
    const h = new Headers();
    const cookies = this.cookieHeader(url.pathname);
    if (cookies) h.set('Cookie', cookies);
    if (body !== undefined) {
      h.set('Content-Type', 'application/x-www-form-urlencoded');
      h.set('Origin', this.origin);
    }
    for (const [k, v] of Object.entries(headers)) {
      if (v === null || v === undefined) h.delete(k); // {Origin: null} sends none
      else h.set(k, v);
    }
    const res = await fetch(url, { method, headers: h, body, redirect: 'manual' });
    this.storeCookies(res);
    return res;
  }

  get(path, { headers } = {}) {
    return this.request('GET', path, { headers });
  }

  post(path, fields = {}, { headers } = {}) {
    return this.request('POST', path, { headers, body: new URLSearchParams(fields).toString() });
  }

  csrfFrom(html) {
    for (const m of String(html).matchAll(/<input\b[^>]*>/gi)) {
      const a = attrsOf(m[0]);
      if (a.name === 'csrf' && 'value' in a) return a.value;
    }
    return null;
  }

  async form(path) {
    const res = await this.get(path);
    const html = await res.text();
    return { res, html, csrf: this.csrfFrom(html) };
  }

  async login(user, password, secret) {
    const fail = async (step, res, want) => {
      const loc = res.headers.get('location');
      throw new Error(`login ${user}: ${step}: got ${res.status}${loc ? ` -> ${loc}` : ''}, want ${want}: ${await snippet(res)}`);
    };
    const redirectsTo = (res, path) => {
      const loc = res.headers.get('location');
      return res.status === 303 && loc !== null && new URL(loc, this.baseUrl + '/').pathname === path;
    };

    let f = await this.form('/inloggen');
    if (f.res.status !== 200 || !f.csrf) {
      throw new Error(`login ${user}: GET /inloggen: status ${f.res.status}, csrf ${f.csrf ? 'found' : 'missing'}`);
    }
    let res = await this.post('/inloggen', { csrf: f.csrf, gebruikersnaam: user, wachtwoord: password });
    if (!redirectsTo(res, '/inloggen/code')) await fail('POST /inloggen', res, '303 -> /inloggen/code');
    await res.arrayBuffer();
    if (!this.cookie('kantel_sid')) throw new Error(`login ${user}: POST /inloggen set no kantel_sid cookie`);

    f = await this.form('/inloggen/code');
    if (f.res.status !== 200 || !f.csrf) {
      throw new Error(`login ${user}: GET /inloggen/code: status ${f.res.status}, csrf ${f.csrf ? 'found' : 'missing'}`);
    }
    const before = this.cookie('kantel_sid');
    res = await this.post('/inloggen/code', { csrf: f.csrf, code: await nextCode(user, secret) });
    if (!redirectsTo(res, '/')) await fail('POST /inloggen/code', res, '303 -> /');
    await res.arrayBuffer();
    const after = this.cookie('kantel_sid');
    if (!after) throw new Error(`login ${user}: POST /inloggen/code left no kantel_sid cookie`);
    if (after === before) throw new Error(`login ${user}: POST /inloggen/code did not issue a new kantel_sid`);
    return res;
  }
}

// ---------------------------------------------------------------- processes

const live = new Set();

export function sharedDir() {
  if (process.env.KANTEL_SHARED) return process.env.KANTEL_SHARED;
  return resolve(new URL('../../..', import.meta.url).pathname, 'shared');
}

// ---------------------------------------------------------------- backend

const PG = (process.env.KANTEL_TEST_PG || '').replace(/\/+$/, '');
export const backend = PG ? 'postgres' : 'sqlite';
const created = new Set();

/** The --database value for a test directory (and an optional name in it). */
export function dbTarget(dir, name = 'k') {
  if (!PG) return join(dir, `${name}.db`);
  const db = 'k_' + createHash('sha256').update(resolve(dir) + '\0' + name).digest('hex').slice(0, 24);
  if (!created.has(db)) {
    const exists = execFileSync('psql', [`${PG}/postgres`, '-qAt', '-c',
      `SELECT count(*) FROM pg_database WHERE datname = '${db}'`], { encoding: 'utf8' }).trim();
    if (exists === '0') {
      execFileSync('psql', [`${PG}/postgres`, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${db}`],
        { stdio: ['ignore', 'ignore', 'pipe'] });
    }
    created.add(db);
  }
  return `${PG}/${db}`;
}

/** Runs one SQL statement on dir's database; returns its output, trimmed. */
export function sql(dir, statement, name = 'k') {
  if (PG) {
    return execFileSync('psql', [dbTarget(dir, name), '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', statement],
      { encoding: 'utf8', timeout: 30_000 }).trim();
  }
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', dbTarget(dir, name), statement],
    { encoding: 'utf8', timeout: 30_000 }).trim();
}
process.on('exit', () => {
  for (const p of live) {
    try { p.kill('SIGTERM'); } catch { /* already gone */ }
  }
});

function exitCode(code, signal) {
  if (code !== null) return code;
  return 128 + ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15 }[signal] ?? 0);
}

function tail(s, n = 4000) {
  return s.length > n ? '...' + s.slice(-n) : s;
}

export function startServer({ bin, dir, args = [], env = {} }) {
  const argv = ['serve', '--database', dbTarget(dir), '--key-file', join(dir, 'k.key'),
    '--listen', '127.0.0.1:0', '--access-log', 'off', ...args];
  const proc = spawn(bin, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  let stdout = '', stderr = '';
  let exited = null; // exit code once it has exited
  const exitWaiters = [];
  proc.on('exit', (code, signal) => {
    live.delete(proc);
    exited = exitCode(code, signal);
    for (const w of exitWaiters) w(exited);
  });
  // Keep draining both pipes for the server's whole life, so it never blocks.
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => { stderr = tail(stderr + d, 64 * 1024); });

  const stop = () => new Promise((resolve, reject) => {
    if (exited !== null) return resolve(exited);
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${bin} serve did not exit within 10 s of SIGTERM; stderr: ${tail(stderr)}`));
    }, 10_000);
    exitWaiters.push((code) => { clearTimeout(timer); resolve(code); });
    proc.kill('SIGTERM');
  });

  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      proc.kill('SIGTERM');
      reject(new Error(`${bin} serve printed no "listening on" line within 20 s; stderr: ${tail(stderr)}`));
    }, 20_000);
    proc.stdout.on('data', (d) => {
      stdout = tail(stdout + d, 64 * 1024);
      if (done) return;
      const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(stdout);
      if (!m) return;
      done = true;
      clearTimeout(timer);
      resolve({ url: m[1], port: Number(m[2]), proc, stop, output: () => ({ stdout, stderr }) });
    });
    proc.on('error', (e) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(new Error(`cannot run ${bin}: ${e.message}`));
    });
    proc.on('close', (code, signal) => { // after 'exit' and the pipes' last data
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(new Error(`${bin} serve exited (${signal ?? code}) before listening; stderr: ${tail(stderr)}`));
    });
  });
}

export function runDemo(bin, dir, args = []) {
  mkdirSync(dir, { recursive: true });
  const argv = ['demo', '--database', dbTarget(dir), '--key-file', join(dir, 'k.key'), ...args];
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(proc);
    let stdout = '', stderr = '';
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    proc.on('error', (e) => { live.delete(proc); reject(new Error(`cannot run ${bin}: ${e.message}`)); });
    proc.on('close', (code, signal) => {
      live.delete(proc);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${bin} demo failed (${signal ?? `exit ${code}`}):\n${tail(stdout)}\n${tail(stderr)}`));
    });
  });
}
