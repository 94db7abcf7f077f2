// tests/http/authz.mjs - the authorization matrix: every route of the route
// table (`kantel routes --json`) x anonymous, a half-signed-in session and
// every role -> the status in tests/http/authz.tsv. A route without a row, or
// a row without a route, fails.
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { Client, startServer, runDemo } from '../lib/kantel.mjs';
import { suite } from '../lib/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const bin = process.env.KANTEL_BIN || 'build/kantel';
const PASSWORD = 'Kantel-demo-2026!';
const SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';
const ACCOUNTS = {
  resident: 'inwoner', network: 'netwerk', generalist: 'generalist', teamlead: 'teamleider',
  policy: 'beleid', provider: 'aanbieder', community: 'organisatie', admin: 'beheerder',
};

const t = suite('http: authorization matrix');
const dir = mkdtempSync(join(tmpdir(), 'kantel-authz-'));
let server;
try {
  // authz.tsv and every authz-AREA.tsv next to it, all with the same columns.
  const files = readdirSync(here).filter((f) => /^authz(-[a-z]+)?\.tsv$/.test(f)).sort();
  const header = readFileSync(join(here, 'authz.tsv'), 'utf8').split('\n').find((l) => l.startsWith('# method'));
  const columns = header.slice(2).split('\t').slice(2);
  const rows = new Map();
  const duplicates = [];
  for (const file of files) {
    const text = readFileSync(join(here, file), 'utf8');
    const h = text.split('\n').find((l) => l.startsWith('# method'));
    if (h !== header) throw new Error(`${file}: its column header differs from authz.tsv`);
    for (const l of text.split('\n').filter((x) => x.trim() && !x.startsWith('#'))) {
      const f = l.split('\t');
      const key = `${f[0]} ${f[1]}`;
      if (rows.has(key)) duplicates.push(`${file}: ${key}`);
      rows.set(key, Object.fromEntries(columns.map((c, i) => [c, Number(f[i + 2])])));
    }
  }
  if (duplicates.length) throw new Error(`rows declared twice: ${duplicates.join(', ')}`);
  const routes = JSON.parse(execFileSync(bin, ['routes', '--json'], { encoding: 'utf8' }));

  await t.test('every route has a row and every row a route', async () => {
    const missing = routes.filter((r) => !rows.has(`${r.method} ${r.pattern}`)).map((r) => `${r.method} ${r.pattern}`);
    const stale = [...rows.keys()].filter((k) => !routes.some((r) => `${r.method} ${r.pattern}` === k));
    assert.deepEqual({ missing, stale }, { missing: [], stale: [] });
  });

  await runDemo(bin, dir);
  server = await startServer({ bin, dir });
  const clients = {};
  const csrf = {};
  clients.anon = new Client(server.url);
  csrf.anon = (await clients.anon.form('/inloggen')).csrf;
  clients.pending = new Client(server.url);
  {
    const f = await clients.pending.form('/inloggen');
    const r = await clients.pending.post('/inloggen', { csrf: f.csrf, gebruikersnaam: 'generalist', wachtwoord: PASSWORD });
    assert.equal(r.status, 303);
    csrf.pending = (await clients.pending.form('/inloggen/code')).csrf;
  }
  for (const [role, user] of Object.entries(ACCOUNTS)) {
    clients[role] = new Client(server.url);
    await clients[role].login(user, PASSWORD, SECRET);
    csrf[role] = (await clients[role].form('/account')).csrf;
  }
  // Signing out ends the session, so it goes last.
  const ordered = [...routes].sort((a, b) => (a.pattern === '/uitloggen') - (b.pattern === '/uitloggen'));
  for (const who of columns) {
    for (const r of ordered) {
      const want = rows.get(`${r.method} ${r.pattern}`)?.[who];
      if (want === undefined) continue;
      const path = r.pattern.replaceAll('{id}', '999999').replaceAll('{uuid}', '00000000-0000-4000-8000-000000000000')
        .replace('{file}', 'kantel.css');
      await t.test(`${r.method} ${r.pattern} as ${who} -> ${want}`, async () => {
        const c = clients[who];
        const res = r.method === 'GET' ? await c.get(path) : await c.post(path, { csrf: csrf[who] });
        await res.arrayBuffer();
        assert.equal(res.status, want, `${r.method} ${path} as ${who}: got ${res.status}, want ${want}`);
      });
    }
  }
  await t.test('server stops gracefully', async () => {
    assert.equal(await server.stop(), 0);
    server = null;
  });
} catch (e) {
  await t.test('matrix set-up', async () => { throw e; });
} finally {
  if (server) await server.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
  t.done();
}
