// tests/e2e/households.mjs - households in a real browser (headless Chromium
// via playwright-core): a generalist creates a household through the labelled
// form (first with mistakes), adds a member and sees the overview; axe-core
// (WCAG 2.1 A and AA) on /huishoudens (list, results, errors), the new
// household form (also with errors), the overview (also with a member form
// error), /caseload for generalist and teamleider, and the 403 page with the
// break-the-glass form for another team's generalist.
//
//   node tests/e2e/households.mjs     (binary: $KANTEL_BIN, default build/kantel)
//
// Own demo database and server in a temp dir; three accounts sign in once.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
const PASSWORD = 'Kantel-demo-2026!';
const SECRET = 'KANTELDEMOKANTELDEMOKANTELDEMO22';
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic'];

const t = suite('e2e: households in the browser');
const dir = mkdtempSync(join(tmpdir(), 'kantel-e2e-hh-'));
let server = null, browser = null;

async function visit(page, path, status = 200) {
  const res = await page.goto(path, { waitUntil: 'load' });
  assert.ok(res, `no response for ${path}`);
  assert.equal(res.status(), status, `GET ${path}: status ${res.status()}, want ${status}`);
  return res;
}

/** axe-core WCAG 2.1 A + AA; throws listing every violation. */
async function axeCheck(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: AXE_SOURCE });
  const r = await page.evaluate(async (tags) => {
    const res = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return {
      passes: res.passes.length,
      violations: res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => `${n.target.join(' ')} -- ${(n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 300)}`) })),
    };
  }, WCAG_TAGS);
  if (r.violations.length) {
    const lines = [`${r.violations.length} axe violation(s) on ${page.url()}:`];
    for (const v of r.violations) lines.push(`[${v.impact}] ${v.id}: ${v.help}`, ...v.nodes.map((n) => `    ${n}`));
    throw new Error(lines.join('\n'));
  }
  assert.ok(r.passes > 0, 'axe ran no rules');
}

/** No sideways scrolling of the whole page (WCAG 1.4.10). */
async function noSidewaysScroll(page) {
  const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
  assert.ok(m.sw <= m.cw, `page scrolls sideways at ${page.url()}: ${m.sw} > ${m.cw}`);
}

async function submit(page, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: button, exact: true }).click()]);
}

/** Signs in through the form; returns the page (bypassCSP so axe can be injected). */
async function signIn(user, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ baseURL: server.url, bypassCSP: true, viewport, locale: 'nl-NL' });
  const page = await context.newPage();
  await visit(page, '/inloggen');
  await page.getByLabel('Gebruikersnaam').fill(user);
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await submit(page, 'Inloggen');
  await page.getByLabel('Code', { exact: true }).fill(totp(SECRET));
  await submit(page, 'Inloggen');
  assert.equal(new URL(page.url()).pathname, '/', `${user} is at ${page.url()} after signing in`);
  return page;
}

try {
  await runDemo(BIN, dir);
  server = await startServer({ bin: BIN, dir });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS });
  const gen = await signIn('generalist');
  let overviewPath = null;

  await t.test('axe: /huishoudens (own list, search result, search with a bad BSN)', async () => {
    await visit(gen, '/huishoudens');
    assert.equal(await gen.getByRole('link', { name: 'Huishouden De Vries' }).count(), 1);
    await axeCheck(gen);
    await gen.getByLabel('Naam').fill('vri');
    await submit(gen, 'Zoeken');
    assert.match(new URL(gen.url()).search, /zoek=vri/);
    assert.equal(await gen.getByRole('link', { name: 'Huishouden Bakker' }).count(), 0);
    await axeCheck(gen);
    await visit(gen, '/huishoudens?bsn=123456789', 400);
    assert.equal(await gen.getByLabel('BSN').getAttribute('aria-invalid'), 'true');
    await axeCheck(gen);
  });

  await t.test('create a household: mistakes first (values kept, axe), then saved; lands on the overview', async () => {
    await visit(gen, '/huishoudens/nieuw');
    await axeCheck(gen);
    await gen.getByLabel('Postcode').fill('8011 ab');
    await gen.getByLabel('Huisnummer').fill('5');
    await gen.getByLabel('Straat (niet verplicht)').fill('Lindelaan');
    await gen.getByLabel('Voornamen').fill('Mirjam');
    await gen.getByLabel('BSN (niet verplicht)').fill('123456789');
    await submit(gen, 'Huishouden aanmaken');
    assert.equal(new URL(gen.url()).pathname, '/huishoudens');
    await gen.getByRole('alert').getByText('Het huishouden is niet aangemaakt').waitFor({ timeout: 2000 });
    assert.equal(await gen.getByLabel('Voornamen').inputValue(), 'Mirjam');
    assert.equal(await gen.getByLabel('Achternaam').getAttribute('aria-invalid'), 'true');
    await axeCheck(gen);
    // the summary links to the field
    await gen.getByRole('alert').getByRole('link', { name: 'Achternaam' }).click();
    assert.equal(await gen.evaluate(() => location.hash), '#achternaam');
    await gen.getByLabel('Achternaam').fill('Jansma');
    await gen.getByLabel('BSN (niet verplicht)').fill('');
    await gen.getByLabel('Buurt').selectOption({ label: 'Havenkwartier' });
    await gen.getByLabel('Geboortedatum (niet verplicht)').fill('1979-08-17');
    await gen.getByLabel('Geslacht (niet verplicht)').selectOption('vrouw');
    await submit(gen, 'Huishouden aanmaken');
    overviewPath = new URL(gen.url()).pathname;
    assert.match(overviewPath, /^\/huishoudens\/\d+$/);
    assert.equal((await gen.getByRole('heading', { level: 1 }).textContent()).trim(), 'Huishouden Jansma');
    await gen.getByText('U bent de regisseur van dit huishouden.').waitFor({ timeout: 2000 });
  });

  await t.test('add a member on the overview (error state first); overview shows members, regie and links; axe', async () => {
    assert.ok(overviewPath, 'no household created');
    await gen.getByLabel('Voornamen').fill('Tim');
    await gen.getByLabel('Achternaam').fill('Jansma');
    await submit(gen, 'Gezinslid toevoegen');
    await gen.getByRole('alert').getByText('Het gezinslid is niet toegevoegd').waitFor({ timeout: 2000 });
    assert.equal(await gen.getByLabel('Voornamen').inputValue(), 'Tim');
    assert.equal(await gen.getByLabel('Relatie').getAttribute('aria-invalid'), 'true');
    await axeCheck(gen);
    await gen.getByLabel('Relatie').selectOption({ label: 'Kind' });
    await gen.getByLabel('Geboortedatum (niet verplicht)').fill('2014-01-09');
    await submit(gen, 'Gezinslid toevoegen');
    assert.equal(new URL(gen.url()).pathname, overviewPath);
    const members = gen.getByRole('region', { name: 'Gezinsleden' });
    await members.getByRole('rowheader', { name: 'Tim Jansma' }).waitFor({ timeout: 2000 });
    await members.getByRole('rowheader', { name: 'Mirjam Jansma' }).waitFor({ timeout: 2000 });
    assert.equal(await gen.getByRole('link', { name: 'Plan' }).getAttribute('href'), `${overviewPath}/plan`);
    assert.equal(await gen.getByRole('link', { name: 'Nieuwe melding' }).getAttribute('href'), `${overviewPath}/meldingen/nieuw`);
    await gen.getByRole('heading', { name: 'Toegang buiten het team' }).waitFor({ timeout: 2000 });
    await gen.getByRole('table', { name: 'Geschiedenis van de regie' }).getByText('Aangemaakt').waitFor({ timeout: 2000 });
    await axeCheck(gen);
    await noSidewaysScroll(gen);
  });

  await t.test('axe: overview of a demo household and /caseload as generalist', async () => {
    await visit(gen, '/huishoudens/1');
    await axeCheck(gen);
    await visit(gen, '/caseload');
    assert.equal(await gen.getByRole('link', { name: 'Huishouden Jansma' }).count(), 1);
    await axeCheck(gen);
  });

  await t.test('axe: /caseload as teamleider (per caseworker), at 360 px without sideways scrolling', async () => {
    const lead = await signIn('teamleider', { width: 360, height: 740 });
    await visit(lead, '/caseload');
    await lead.getByRole('rowheader', { name: 'Fatima El Amrani' }).waitFor({ timeout: 2000 });
    await axeCheck(lead);
    await noSidewaysScroll(lead);
    await visit(lead, overviewPath);
    await axeCheck(lead); // with the transfer form (team lead of the household's team)
    await noSidewaysScroll(lead);
  });

  await t.test('axe: 403 with the break-the-glass form for another team\'s generalist', async () => {
    const other = await signIn('generalist2');
    await visit(other, '/huishoudens/1', 403);
    assert.equal((await other.getByRole('heading', { level: 1 }).textContent()).trim(), 'Geen toegang tot dit huishouden');
    await axeCheck(other);
  });
} catch (e) {
  await t.test('set-up', () => { throw e; });
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) {
    const code = await server.stop().catch((e) => e);
    await t.test('server stops cleanly', () => assert.equal(code, 0, `server exit: ${code}`));
  }
  rmSync(dir, { recursive: true, force: true });
  t.done();
}
