// tests/lib/browser.mjs - shared helpers for the browser suites in tests/e2e/:
// headless Chromium through playwright-core, and axe-core, both loaded from
// web/node_modules (the browser is the system's /usr/bin/chromium). Node 20.
//
//   ROOT          the repository root
//   BIN           the kantel binary: $KANTEL_BIN (relative to ROOT), default
//                 build/kantel
//   SHOTS         tests/e2e/screenshots/ (git-ignored), made on first shot()
//   PASSWORD, SECRET   password and TOTP secret of every demo account
//   WCAG_TAGS     the axe rule tags checked: WCAG 2.0 and 2.1, A and AA
//   DESKTOP, PHONE     viewports: 1280x800 (every context's default), 360x740
//
//   launchBrowser()                      -> Browser (headless, no sandbox,
//                                           no background network traffic)
//   newContext(browser, baseURL, opts)   -> BrowserContext: DESKTOP, nl-NL;
//                                           opts are Playwright context
//                                           options (viewport, storageState)
//   newPage(browser, baseURL, opts)      -> a Page in its own new context
//   atViewport(page, viewport, fn)       -> fn()'s result, run with the page
//                                           resized to viewport; the earlier
//                                           size is restored after, also when
//                                           fn throws
//
//   visit(page, path, status = 200)      -> Response. goto; asserts the final
//                                           status (after redirects)
//   submit(page, button, status = 200)   -> Response. Clicks `button` (the
//                                           exact accessible name of a button,
//                                           or any Locator, a link too), waits
//                                           for the navigation it starts and
//                                           asserts that one's final status
//   passwordStep(page, user, password = PASSWORD, status = 200)
//                                           the labelled password form of
//                                           /inloggen, submitted
//   signIn(page, user)                   the whole demo sign-in (password,
//                                           then the TOTP code); asserts the
//                                           page is at /inloggen/code, then /
//
//   axeCheck(page)        axe-core (WCAG_TAGS) on the page; throws listing
//                         every violation with every node, and asserts that
//                         axe ran some rules (no silently empty run)
//   noSidewaysScroll(page)  the page does not scroll sideways (WCAG 1.4.10)
//   layoutCheck(page)     noSidewaysScroll, header/nav/main/footer do not
//                         overlap, and running text uses one typeface
//   shot(page, name)      full-page screenshot SHOTS/name.png, taken from the
//                         top (a scrolled full-page capture misplaces
//                         position:fixed elements such as the skip link)
//
//   finish(t, {browser, server, dir, checkExit = true})
//       For a suite's `finally`: closes every context and the browser,
//       stops the server (with checkExit, a test 'server stops cleanly'
//       asserts exit code 0), removes dir and calls t.done().
//
// CSP: no context bypasses the server's Content-Security-Policy. axeCheck
// injects axe-core with page.evaluate, which runs through the DevTools
// protocol and is not subject to the page's CSP (a <script> tag would be
// refused: the server allows only nonce scripts). So every page is checked,
// and every screenshot taken, as users get it; pass bypassCSP: true to
// newContext only for a test that truly needs it, and say why there.
//
// TOTP codes are single-use per account and 30 s step on the server, and
// signIn uses the current step's code. So signIn refuses to sign the same
// user in twice in one process (it throws): sign each account in once and
// keep its page or context (storageState copies a session into a new
// context) - then a run never waits for a new step and never collides.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { totp } from './kantel.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = resolve(ROOT, process.env.KANTEL_BIN || 'build/kantel');
export const SHOTS = join(ROOT, 'tests/e2e/screenshots');
export const PASSWORD = 'Kantel-demo-2026!';
export const SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export const DESKTOP = Object.freeze({ width: 1280, height: 800 });
export const PHONE = Object.freeze({ width: 360, height: 740 });

const req = createRequire(join(ROOT, 'web/package.json'));
const { chromium } = req('playwright-core');
const AXE_SOURCE = readFileSync(req.resolve('axe-core/axe.min.js'), 'utf8');
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic'];

// ---------------------------------------------------------------- browser

export function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS });
}

export function newContext(browser, baseURL, opts = {}) {
  return browser.newContext({ baseURL, viewport: { ...DESKTOP }, locale: 'nl-NL', ...opts });
}

export async function newPage(browser, baseURL, opts = {}) {
  return (await newContext(browser, baseURL, opts)).newPage();
}

export async function atViewport(page, viewport, fn) {
  const before = page.viewportSize();
  await page.setViewportSize(viewport);
  try {
    return await fn();
  } finally {
    await page.setViewportSize(before);
  }
}

// ---------------------------------------------------------------- navigation

export async function visit(page, path, status = 200) {
  const res = await page.goto(path, { waitUntil: 'load' });
  assert.ok(res, `no response for ${path}`);
  assert.equal(res.status(), status, `GET ${path}: status ${res.status()}, want ${status} (at ${page.url()})`);
  return res;
}

export async function submit(page, button, status = 200) {
  const target = typeof button === 'string' ? page.getByRole('button', { name: button, exact: true }) : button;
  const what = typeof button === 'string' ? `"${button}"` : String(button);
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), target.click()]);
  assert.ok(res, `after ${what}: no response (at ${page.url()})`);
  assert.equal(res.status(), status, `after ${what}: status ${res.status()}, want ${status} (at ${page.url()})`);
  return res;
}

export async function passwordStep(page, user, password = PASSWORD, status = 200) {
  await visit(page, '/inloggen');
  await page.getByLabel('Gebruikersnaam').fill(user);
  await page.getByLabel('Wachtwoord').fill(password);
  await submit(page, 'Inloggen', status);
}

const signedIn = new Set(); // users signed in by this process (see the header)

export async function signIn(page, user) {
  assert.ok(!signedIn.has(user), `${user} signs in a second time: TOTP codes are single-use per step; reuse the first session`);
  signedIn.add(user);
  await passwordStep(page, user);
  assert.equal(new URL(page.url()).pathname, '/inloggen/code', `after the password ${user} is at ${page.url()}`);
  await page.getByLabel('Code', { exact: true }).fill(totp(SECRET));
  await submit(page, 'Inloggen');
  assert.equal(new URL(page.url()).pathname, '/', `after the code ${user} is at ${page.url()}`);
}

// ---------------------------------------------------------------- checks

export async function axeCheck(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE); // see CSP above
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
  assert.ok(r.passes > 0, `axe ran no rules at all on ${page.url()}`);
}

export async function noSidewaysScroll(page) {
  const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
  assert.ok(m.sw <= m.cw, `page scrolls sideways: scrollWidth ${m.sw} > ${m.cw} (${page.url()})`);
}

export async function layoutCheck(page) {
  await noSidewaysScroll(page);
  const m = await page.evaluate(() => {
    const box = (sel) => { const e = document.querySelector(sel); if (!e) return null; const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; };
    return { header: box('header'), nav: box('nav.kantel-nav'), main: box('main#inhoud'), footer: box('footer') };
  });
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

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

// ---------------------------------------------------------------- teardown

export async function finish(t, { browser = null, server = null, dir = null, checkExit = true }) {
  if (browser) {
    for (const c of browser.contexts()) await c.close().catch(() => {});
    await browser.close().catch(() => {});
  }
  if (server) {
    const code = await server.stop().catch((e) => e);
    if (checkExit) await t.test('server stops cleanly', () => assert.equal(code, 0, `server exit: ${code}`));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
  t.done();
}
