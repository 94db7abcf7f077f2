// tests/e2e/assess.mjs - assessments in a real browser (headless Chromium via
// playwright-core): a generalist records two ZRM assessments for a member of
// demo household 1 through the labelled form, sees the progress chart, the
// change in words and the data table; axe-core (WCAG 2.1 A and AA) finds 0
// violations on the overview without and with data, the ZRM form, the
// Positieve Gezondheid form and the form re-shown with errors. Screenshots go
// to tests/e2e/screenshots/ (git-ignored).
//
//   node tests/e2e/assess.mjs        (binary: $KANTEL_BIN, default build/kantel)
//
// Own demo database and server in a temp dir; one sign-in (one TOTP step).

import assert from 'node:assert/strict';
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
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic'];

const t = suite('e2e: assessments');
const dir = mkdtempSync(join(tmpdir(), 'kantel-e2e-assess-'));
mkdirSync(SHOTS, { recursive: true });

let server = null, browser = null, page = null;

// ------------------------------------------------------------------ helpers

async function visit(path, status = 200) {
  const res = await page.goto(path, { waitUntil: 'load' });
  assert.ok(res, `no response for ${path}`);
  assert.equal(res.status(), status, `GET ${path}: status ${res.status()}, want ${status}`);
  return res;
}

/** axe-core, WCAG 2.1 A + AA; throws listing every violation. */
async function axeCheck() {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: AXE_SOURCE });
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
      for (const n of v.nodes.slice(0, 5)) lines.push(`    ${n.target} -- ${n.summary.slice(0, 300)}`);
    }
    throw new Error(lines.join('\n'));
  }
  assert.ok(r.passes > 0, 'axe ran no rules at all');
}

async function noSidewaysScroll() {
  const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
  assert.ok(m.sw <= m.cw, `page scrolls sideways: ${m.sw} > ${m.cw} (${page.url()})`);
}

function shift(iso, n) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Chooses score `value` in the fieldset (radio group) named `domain`. */
async function score(domain, value) {
  const group = page.getByRole('group', { name: domain, exact: true });
  await group.getByRole('radio', { name: new RegExp(`^${value}\\b`) }).check();
}

async function submit(label = 'Meting opslaan') {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: label, exact: true }).click()]);
}

// ------------------------------------------------------------------ run

try {
  await runDemo(BIN, dir);
  server = await startServer({ bin: BIN, dir });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS });
  // bypassCSP only so that axe can be injected as a script tag.
  const context = await browser.newContext({ baseURL: server.url, bypassCSP: true, viewport: { width: 1280, height: 800 }, locale: 'nl-NL' });
  page = await context.newPage();

  await visit('/inloggen');
  await page.getByLabel('Gebruikersnaam').fill('generalist');
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await submit('Inloggen');
  await page.getByLabel('Code', { exact: true }).fill(totp(SECRET));
  await submit('Inloggen');
  assert.equal(new URL(page.url()).pathname, '/', 'signed in');

  const model = await (await context.request.get('/huishoudens/1/metingen', { headers: { Accept: 'application/json' } })).json();
  const today = model.today;
  const [first, second] = model.members;

  await t.test('axe: overview without assessments', async () => {
    await visit('/huishoudens/1/metingen');
    assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Metingen');
    assert.ok((await page.getByText('Nog geen metingen.').count()) >= 1);
    assert.equal(await page.getByRole('img').count(), 0, 'no chart yet');
    await axeCheck();
  });

  await t.test('axe: the ZRM form, reached through the link', async () => {
    await visit('/huishoudens/1/metingen');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('link', { name: `Nieuwe meting Zelfredzaamheid voor ${first.name}` }).first().click()]);
    assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Nieuwe meting: Zelfredzaamheid');
    assert.equal(await page.getByRole('group').count(), 13);
    assert.ok(await page.getByRole('group', { name: 'Financiën' }).getByRole('radio', { name: 'Niet gescoord' }).isChecked());
    await axeCheck();
    await page.screenshot({ path: join(SHOTS, 'meting-zrm.png'), fullPage: true });
  });

  await t.test('axe: the form re-shown with errors keeps the chosen radios and links to the field', async () => {
    // nothing scored: the browser lets it through, the server refuses it
    await submit();
    const alert = page.getByRole('alert');
    await alert.getByText('Vul voor minstens één onderdeel een score in.').waitFor({ timeout: 3000 });
    await axeCheck();
    // an invalid date (the browser's own check is switched off to reach the server)
    await score('Huisvesting', 4);
    await page.getByLabel('Datum van de meting').fill(shift(today, 3));
    await page.locator('form.kantel-assess').evaluate((f) => { f.noValidate = true; });
    await submit();
    await page.getByRole('alert').getByRole('link', { name: 'Datum' }).waitFor({ timeout: 3000 });
    assert.equal(await page.getByLabel('Datum van de meting').getAttribute('aria-invalid'), 'true');
    assert.ok(await page.getByRole('group', { name: 'Huisvesting' }).getByRole('radio', { name: /^4\b/ }).isChecked(), 'choice kept');
    await page.getByRole('alert').getByRole('link', { name: 'Datum' }).click();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'datum', 'the summary link moves focus to the field');
    await axeCheck();
    await page.screenshot({ path: join(SHOTS, 'meting-fout.png'), fullPage: true });
  });

  await t.test('a generalist records two ZRM assessments and sees the chart, the change and the table', async () => {
    await page.getByLabel('Datum van de meting').fill(shift(today, -14));
    await score('Financiën', 2);
    await score('Huisvesting', 3);
    await score('Sociaal netwerk', 2);
    await page.getByLabel('Toelichting (niet verplicht)').fill('Keukentafelgesprek met Sanne.');
    await submit();
    assert.equal(new URL(page.url()).pathname, '/huishoudens/1/metingen');
    await page.getByRole('status').getByText('De meting is opgeslagen.').waitFor({ timeout: 3000 });

    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('link', { name: `Nieuwe meting Zelfredzaamheid voor ${first.name}` }).first().click()]);
    await score('Financiën', 3);
    await score('Huisvesting', 3);
    await score('Sociaal netwerk', 4);
    await submit();
    await page.getByRole('status').getByText('De meting is opgeslagen.').waitFor({ timeout: 3000 });

    const chart = page.getByRole('img', { name: 'Financiën: score per meting' });
    await chart.waitFor({ timeout: 3000 });
    assert.ok(await chart.isVisible(), 'the chart is visible');
    assert.equal(await page.getByRole('img', { name: /: score per meting/ }).count(), 3, 'one chart per scored domain');
    const table = page.getByRole('table', { name: /score per domein per meting/ });
    const row = table.getByRole('row', { name: /^Financiën/ });
    assert.deepEqual((await row.getByRole('cell').allTextContents()).map((s) => s.trim()), ['2', '3']);
    const change = page.getByRole('table', { name: /^Verschil per domein/ });
    assert.match(await change.getByRole('row', { name: /^Sociaal netwerk/ }).textContent(), /vooruitgegaan/);
    assert.match(await change.getByRole('row', { name: /^Huisvesting/ }).textContent(), /gelijk gebleven/);
    await noSidewaysScroll();
  });

  await t.test('axe: overview with data (desktop and 360 px wide)', async () => {
    await visit(`/huishoudens/1/metingen?persoon=${first.id}&instrument=zrm`);
    await axeCheck();
    await page.screenshot({ path: join(SHOTS, 'metingen.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 740 });
    try {
      await visit(`/huishoudens/1/metingen?persoon=${first.id}&instrument=zrm`);
      await noSidewaysScroll();
      await axeCheck();
      await page.screenshot({ path: join(SHOTS, 'metingen-smal.png'), fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  await t.test('axe: the Positieve Gezondheid form', async () => {
    await visit(`/huishoudens/1/metingen/nieuw?persoon=${second.id}&instrument=positieve_gezondheid`);
    assert.equal(await page.getByRole('group').count(), 6);
    assert.equal(await page.getByRole('group', { name: 'Zingeving' }).getByRole('radio').count(), 12, 'niet gescoord + 0..10');
    await axeCheck();
    await score('Zingeving', 7);
    await submit();
    await page.getByRole('status').getByText('De meting is opgeslagen.').waitFor({ timeout: 3000 });
    assert.equal((await page.getByLabel('Instrument', { exact: true }).inputValue()), 'positieve_gezondheid');
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
