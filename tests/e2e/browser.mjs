// tests/e2e/browser.mjs - Kantel in a real browser (headless Chromium via
// playwright-core): sign-in through the labelled form, axe-core (WCAG 2.1 A
// and AA) on every GET page each role can reach plus the anonymous, error,
// enrolment and recovery-code pages, keyboard access to the skip link, and
// screenshots for a visual check (tests/e2e/screenshots/, git-ignored).
//
//   node tests/e2e/browser.mjs        (binary: $KANTEL_BIN, default build/kantel)
//
// Runs its own demo database and server in a temp dir. Every demo account
// signs in once (one TOTP step each), so the run never waits for a new step.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { suite } from '../lib/harness.mjs';
import { runDemo, startServer, totp } from '../lib/kantel.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const req = createRequire(join(ROOT, 'web/package.json'));
const { chromium } = req('playwright-core');
const AXE_SOURCE = readFileSync(req.resolve('axe-core/axe.min.js'), 'utf8');

const BIN = resolve(ROOT, process.env.KANTEL_BIN || 'build/kantel');
const SHOTS = join(ROOT, 'tests/e2e/screenshots');
const PASSWORD = 'Kantel-demo-2026!';
const SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';
const ROLES = ['inwoner', 'netwerk', 'generalist', 'teamleider', 'beleid', 'aanbieder', 'organisatie', 'beheerder'];
const ADMIN_PAGES = ['/beheer/gebruikers', '/beheer/audit', '/beheer/audit?gebruiker=beheerder'];
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic'];

const t = suite('e2e: browser and accessibility');
const dir = mkdtempSync(join(tmpdir(), 'kantel-e2e-'));
mkdirSync(SHOTS, { recursive: true });

let server = null, browser = null;
const contexts = {}; // role -> signed-in BrowserContext (bypassCSP, for axe)

// ------------------------------------------------------------------ helpers

/** A new browser session. bypassCSP lets axe be injected; the visual test
 *  uses real CSP so the screenshots show what users get. */
async function newContext({ bypassCSP = true, ...opts } = {}) {
  const ctx = await browser.newContext({ baseURL: server.url, bypassCSP, viewport: { width: 1280, height: 800 }, locale: 'nl-NL', ...opts });
  ctx._kantelBypass = bypassCSP;
  return ctx;
}

/** Goto and require the given HTTP status (the final response after redirects). */
async function visit(page, path, status = 200) {
  const res = await page.goto(path, { waitUntil: 'load' });
  assert.ok(res, `no response for ${path}`);
  assert.equal(res.status(), status, `GET ${path}: status ${res.status()}, want ${status} (at ${page.url()})`);
  return res;
}

/** Run axe-core (WCAG 2.1 A + AA) on the page; throw listing every violation. */
async function axeCheck(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    // A script tag needs bypassCSP (the server allows only nonce scripts);
    // in a context with the real CSP, evaluate the source through the protocol.
    if (page.context()._kantelBypass) await page.addScriptTag({ content: AXE_SOURCE });
    else await page.evaluate(AXE_SOURCE);
  }
  const r = await page.evaluate(async (tags) => {
    const res = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return {
      passes: res.passes.length,
      violations: res.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: (n.failureSummary || '').replace(/\s+/g, ' ') })),
      })),
    };
  }, WCAG_TAGS);
  if (r.violations.length) {
    const lines = [`${r.violations.length} axe violation(s) on ${page.url()}:`];
    for (const v of r.violations) {
      lines.push(`[${v.impact}] ${v.id}: ${v.help}`);
      for (const n of v.nodes) lines.push(`    ${n.target} -- ${n.summary.slice(0, 300)}`);
    }
    throw new Error(lines.join('\n'));
  }
  assert.ok(r.passes > 0, 'axe ran no rules at all'); // guards against a silently empty run
}

/** Password step through the labelled fields; returns the page at the next step. */
async function passwordStep(page, user, password = PASSWORD) {
  await visit(page, '/inloggen');
  await page.getByLabel('Gebruikersnaam').fill(user);
  await page.getByLabel('Wachtwoord').fill(password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Inloggen', exact: true }).click()]);
}

/** Full demo sign-in in a fresh context; returns {context, page} on the start page. */
async function signIn(user) {
  const context = await newContext();
  const page = await context.newPage();
  await passwordStep(page, user);
  assert.equal(new URL(page.url()).pathname, '/inloggen/code', `after the password ${user} is at ${page.url()}`);
  await page.getByLabel('Code', { exact: true }).fill(totp(SECRET));
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Inloggen', exact: true }).click()]);
  assert.equal(new URL(page.url()).pathname, '/', `after the code ${user} is at ${page.url()}`);
  return { context, page };
}

function staffUser(name, password) {
  execFileSync(BIN, ['user', 'add', name, '--role', 'generalist', '--name', 'Nieuwe Medewerker',
    '--database', join(dir, 'k.db'), '--key-file', join(dir, 'k.key')], { input: `${password}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
}

/** Page-level layout checks that can fail: no sideways scrolling, and the
 *  header, nav and main do not overlap. */
async function layoutCheck(page) {
  const m = await page.evaluate(() => {
    const box = (sel) => { const e = document.querySelector(sel); if (!e) return null; const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; };
    return {
      scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth,
      header: box('header'), nav: box('nav.kantel-nav'), main: box('main#inhoud'), footer: box('footer'),
    };
  });
  assert.ok(m.scrollWidth <= m.clientWidth, `page scrolls sideways: scrollWidth ${m.scrollWidth} > ${m.clientWidth} (${page.url()})`);
  const order = [m.header, m.nav, m.main, m.footer].filter(Boolean);
  for (let i = 1; i < order.length; i++) {
    assert.ok(order[i].top >= order[i - 1].bottom - 1, `page regions overlap at ${page.url()}: ${JSON.stringify(m)}`);
  }
  // One typeface for running text: labels, list items, nav and brand use the
  // theme's font like paragraphs do (not the browser's default serif).
  const fonts = await page.evaluate(() => {
    const f = (sel) => { const e = document.querySelector(sel); return e ? getComputedStyle(e).fontFamily : null; };
    return { paragraph: f('main .utrecht-paragraph'), body: f('body'), label: f('label'), item: f('main li'), nav: f('nav a'), brand: f('.kantel-brand') };
  });
  for (const [k, v] of Object.entries(fonts)) {
    if (v !== null) assert.equal(v, fonts.paragraph, `${k} font differs from paragraphs on ${page.url()}: ${JSON.stringify(fonts)}`);
  }
}

// ------------------------------------------------------------------ run

try {
  await runDemo(BIN, dir);
  staffUser('nieuwemedewerker', 'Nieuw-wachtwoord-2026!');
  server = await startServer({ bin: BIN, dir });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS });

  // 1 + 2: every role signs in through the form and is checked page by page.
  for (const role of ROLES) {
    await t.test(`sign in through the form as ${role}`, async () => {
      const { context, page } = await signIn(role);
      contexts[role] = context;
      const h1 = page.getByRole('heading', { level: 1 });
      assert.match((await h1.textContent()).trim(), /^Welkom, \S/);
      await page.screenshot({ path: join(SHOTS, `start-${role}.png`), fullPage: true });
    });
    if (!contexts[role]) {
      t.skip(`axe: pages as ${role}`, 'sign-in failed');
      continue;
    }
    const page = contexts[role].pages()[0];
    const paths = ['/', '/account', '/account/wachtwoord', ...(role === 'beheerder' ? ADMIN_PAGES : [])];
    for (const path of paths) {
      await t.test(`axe: ${path} as ${role}`, async () => {
        await visit(page, path);
        await axeCheck(page);
      });
    }
    if (role !== 'beheerder') {
      await t.test(`${role} cannot open /beheer/gebruikers`, async () => {
        const res = await page.goto('/beheer/gebruikers');
        assert.equal(res.status(), 403, `want 403, got ${res.status()}`);
        await axeCheck(page); // the refusal page is a page too
      });
    }
  }

  // Anonymous pages.
  const anon = await newContext();
  const anonPage = await anon.newPage();
  await t.test('axe: /inloggen (anonymous)', async () => {
    await visit(anonPage, '/inloggen');
    assert.equal(await anonPage.getByRole('heading', { level: 1 }).textContent(), 'Inloggen');
    await axeCheck(anonPage);
  });
  await t.test('axe: /inloggen with a wrong password', async () => {
    await passwordStep(anonPage, 'onbekend', 'fout-wachtwoord');
    assert.equal(new URL(anonPage.url()).pathname, '/inloggen');
    await anonPage.getByRole('alert').getByText('De gebruikersnaam of het wachtwoord klopt niet.').waitFor({ timeout: 2000 });
    assert.equal(await anonPage.getByLabel('Gebruikersnaam').inputValue(), 'onbekend', 'user name not kept');
    await axeCheck(anonPage);
  });
  await t.test('axe: 404 page', async () => {
    await visit(anonPage, '/bestaat-niet', 404);
    await axeCheck(anonPage);
  });

  // 3: keyboard.
  await t.test('keyboard: first Tab reaches the skip link, Enter moves focus to main#inhoud', async () => {
    await visit(anonPage, '/inloggen');
    await anonPage.keyboard.press('Tab');
    const focused = await anonPage.evaluate(() => {
      const a = document.activeElement;
      const r = a.getBoundingClientRect();
      return { tag: a.tagName, text: a.textContent.trim(), href: a.getAttribute('href'), w: r.width, h: r.height, top: r.top, left: r.left };
    });
    assert.equal(focused.tag, 'A', `first Tab focused ${JSON.stringify(focused)}`);
    assert.equal(focused.text, 'Direct naar de inhoud');
    assert.ok(focused.w > 10 && focused.h > 10 && focused.top >= 0 && focused.left >= 0,
      `focused skip link is not visible on screen: ${JSON.stringify(focused)}`);
    await anonPage.keyboard.press('Enter');
    await anonPage.waitForFunction(() => document.activeElement && document.activeElement.id === 'inhoud', null, { timeout: 2000 });
    assert.equal(await anonPage.evaluate(() => document.activeElement.tagName), 'MAIN');
    await anonPage.keyboard.press('Tab'); // the next Tab continues inside main, at the first field
    assert.equal(await anonPage.evaluate(() => document.activeElement.id), 'gebruikersnaam');
  });
  await anon.close();

  // The code page, reached with a password only (uses no TOTP step).
  await t.test('axe: /inloggen/code, plain and with a wrong code', async () => {
    const ctx = await newContext();
    try {
      const page = await ctx.newPage();
      await passwordStep(page, 'generalist');
      assert.equal(new URL(page.url()).pathname, '/inloggen/code');
      await axeCheck(page);
      await page.getByLabel('Code', { exact: true }).fill('000000' === totp(SECRET) ? '111111' : '000000');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Inloggen', exact: true }).click()]);
      await page.getByRole('alert').waitFor({ timeout: 2000 });
      await axeCheck(page);
    } finally {
      await ctx.close();
    }
  });

  // Enrolment of a staff account created on the command line, then its recovery codes.
  await t.test('axe: /inloggen/instellen and the recovery codes', async () => {
    const ctx = await newContext();
    try {
      const page = await ctx.newPage();
      await passwordStep(page, 'nieuwemedewerker', 'Nieuw-wachtwoord-2026!');
      assert.equal(new URL(page.url()).pathname, '/inloggen/instellen');
      await page.getByRole('img', { name: /QR-code/ }).waitFor({ timeout: 2000 });
      await axeCheck(page);
      await page.screenshot({ path: join(SHOTS, 'instellen.png'), fullPage: true });
      const secret = (await page.locator('code.kantel-secret').textContent()).replace(/\s+/g, '');
      assert.match(secret, /^[A-Z2-7]{16,}$/, 'secret shown on the enrolment page');
      await page.getByLabel('Code uit de app').fill(totp(secret));
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Bevestigen' }).click()]);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Uw herstelcodes');
      assert.ok((await page.locator('.kantel-codes code').count()) >= 5, 'recovery codes listed');
      await axeCheck(page);
      await page.screenshot({ path: join(SHOTS, 'herstelcodes.png'), fullPage: true });
    } finally {
      await ctx.close();
    }
  });

  // Forms re-shown with errors (admin).
  const admin = contexts.beheerder?.pages()[0];
  if (admin) {
    await t.test('axe: new-account form re-shown with a too-short password', async () => {
      await visit(admin, '/beheer/gebruikers');
      await admin.getByLabel('Gebruikersnaam').fill('kortwachtwoord');
      await admin.getByLabel('Naam', { exact: true }).fill('Kort Wachtwoord');
      await admin.getByLabel('Rol').selectOption({ index: 2 });
      await admin.getByLabel('Eerste wachtwoord').fill('kort');
      // The browser's own minlength check would stop the form; the server must refuse it too.
      await admin.locator('form.kantel-form').evaluate((f) => { f.noValidate = true; });
      await Promise.all([admin.waitForNavigation(), admin.getByRole('button', { name: 'Account aanmaken' }).click()]);
      await admin.getByRole('alert').waitFor({ timeout: 2000 });
      await admin.getByRole('alert').getByText(/minstens 8 tekens/).waitFor({ timeout: 2000 });
      assert.equal(await admin.getByLabel('Gebruikersnaam').inputValue(), 'kortwachtwoord', 'entered value kept');
      await axeCheck(admin);
    });
    await t.test('axe: new-account form re-shown with an invalid user name (field error at the field)', async () => {
      await visit(admin, '/beheer/gebruikers');
      await admin.getByLabel('Gebruikersnaam').fill('Geen Geldige Naam!');
      await admin.getByLabel('Naam', { exact: true }).fill('Iemand');
      await admin.getByLabel('Eerste wachtwoord').fill('Lang-genoeg-wachtwoord-2026');
      await Promise.all([admin.waitForNavigation(), admin.getByRole('button', { name: 'Account aanmaken' }).click()]);
      await admin.getByRole('alert').getByRole('link', { name: 'Gebruikersnaam' }).waitFor({ timeout: 2000 });
      const field = admin.getByLabel('Gebruikersnaam');
      assert.equal(await field.getAttribute('aria-invalid'), 'true', 'invalid field has aria-invalid');
      const described = await field.evaluate((e) => e.getAttribute('aria-describedby').split(' ').map((id) => document.getElementById(id)?.textContent ?? `(missing #${id})`).join(' | '));
      assert.match(described, /Kleine letters/, 'description still linked');
      assert.match(described, /\S/, 'error message linked');
      assert.equal(await admin.locator('#gebruikersnaam-fout').count(), 1, 'inline error message shown');
      assert.equal(await admin.getByLabel('Naam', { exact: true }).getAttribute('aria-invalid'), null, 'valid field not marked');
      // the error-summary link moves focus to the field
      await admin.getByRole('alert').getByRole('link', { name: 'Gebruikersnaam' }).click();
      assert.equal(await admin.evaluate(() => document.activeElement.id), 'gebruikersnaam');
      await axeCheck(admin);
      await admin.evaluate(() => window.scrollTo(0, 0)); // a scrolled full-page capture misplaces position:fixed (the skip link)
      await admin.screenshot({ path: join(SHOTS, 'gebruikers-fout.png'), fullPage: true });
    });
    await t.test('axe: audit filter re-shown with a wrong date', async () => {
      await visit(admin, '/beheer/audit?van=gisteren', 400);
      await admin.getByRole('alert').getByRole('link', { name: 'Vanaf' }).waitFor({ timeout: 2000 });
      assert.equal(await admin.getByLabel(/^Vanaf/).getAttribute('aria-invalid'), 'true');
      assert.equal(await admin.getByLabel(/^Tot en met/).getAttribute('aria-invalid'), null);
      await axeCheck(admin);
    });
    await t.test('axe itself: a planted violation is reported', async () => {
      await visit(admin, '/');
      await admin.evaluate(() => {
        const img = document.createElement('img');
        img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
        document.querySelector('main').append(img);
      });
      await assert.rejects(axeCheck(admin), /image-alt/);
    });
  } else {
    t.skip('axe: forms re-shown with errors', 'beheerder did not sign in');
  }

  // 4: screenshots with the real CSP, at desktop and phone width.
  await t.test('visual: /inloggen, start page, /beheer/gebruikers, /beheer/audit at 1280 and 360 px (real CSP): no errors, no sideways scroll, no overlap, one typeface', async () => {
    assert.ok(contexts.beheerder, 'beheerder did not sign in');
    const state = await contexts.beheerder.storageState();
    for (const [label, viewport] of [['', { width: 1280, height: 800 }], ['-smal', { width: 360, height: 740 }]]) {
      const anonCtx = await newContext({ bypassCSP: false, viewport });
      const adminCtx = await newContext({ bypassCSP: false, viewport, storageState: state });
      try {
        const problems = [];
        const favicon = (url) => new URL(url).pathname === '/favicon.ico'; // browser's own probe; no icon is served
        for (const ctx of [anonCtx, adminCtx]) {
          ctx.on('console', (msg) => { if (msg.type() === 'error' && !favicon(msg.location().url || server.url)) problems.push(msg.text()); });
          ctx.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
          ctx.on('response', (r) => { if (r.status() >= 400 && !favicon(r.url())) problems.push(`${r.status()} ${r.url()}`); });
        }
        const shots = [[anonCtx, '/inloggen', 'inloggen'], [adminCtx, '/', 'start'],
          [adminCtx, '/beheer/gebruikers', 'gebruikers'], [adminCtx, '/beheer/audit', 'audit']];
        for (const [ctx, path, name] of shots) {
          const page = await ctx.newPage();
          await visit(page, path);
          const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
          assert.doesNotMatch(font, /Times|^serif$/, `theme font not applied on ${path}: ${font}`);
          await layoutCheck(page);
          await page.screenshot({ path: join(SHOTS, `${name}${label}.png`), fullPage: true });
          if (label) await axeCheck(page); // narrow: wide tables scroll in a keyboard-reachable region
          await page.close();
        }
        assert.deepEqual(problems, [], 'console errors or failed requests (CSP?)');
      } finally {
        await anonCtx.close();
        await adminCtx.close();
      }
    }
  });
} catch (e) {
  await t.test('set-up', () => { throw e; });
} finally {
  if (browser) for (const c of browser.contexts()) await c.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  if (server) {
    const code = await server.stop().catch((e) => e);
    await t.test('server stops cleanly', () => assert.equal(code, 0, `server exit: ${code}`));
  }
  rmSync(dir, { recursive: true, force: true });
  t.done();
}
