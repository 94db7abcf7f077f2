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
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { atViewport, axeCheck, BIN, finish, launchBrowser, newPage, noSidewaysScroll, PHONE, shot, signIn, submit, visit } from '../lib/browser.mjs';
import { suite } from '../lib/harness.mjs';
import { runDemo, startServer } from '../lib/kantel.mjs';

const t = suite('e2e: assessments');
const dir = mkdtempSync(join(tmpdir(), 'kantel-e2e-assess-'));

let server = null, browser = null, page = null;

// ------------------------------------------------------------------ helpers

function shift(iso, n) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Chooses score `value` in the fieldset (radio group) named `domain`. */
async function score(domain, value) {
  const group = page.getByRole('group', { name: domain, exact: true });
  await group.getByRole('radio', { name: new RegExp(`^${value}\\b`) }).check();
}

/** Sends the assessment form; `status` is that of the page shown after it. */
async function save(status = 200) {
  await submit(page, 'Meting opslaan', status);
}

// ------------------------------------------------------------------ run

try {
  await runDemo(BIN, dir, ['--no-stages']); // households without requests, assessments or plans
  server = await startServer({ bin: BIN, dir });
  browser = await launchBrowser();
  page = await newPage(browser, server.url);
  await signIn(page, 'generalist');

  const model = await (await page.context().request.get('/huishoudens/1/metingen', { headers: { Accept: 'application/json' } })).json();
  const today = model.today;
  const [first, second] = model.members;

  await t.test('axe: overview without assessments', async () => {
    await visit(page, '/huishoudens/1/metingen');
    assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Metingen');
    assert.ok((await page.getByText('Nog geen metingen.').count()) >= 1);
    assert.equal(await page.getByRole('img').count(), 0, 'no chart yet');
    await axeCheck(page);
  });

  await t.test('axe: the ZRM form, reached through the link', async () => {
    await visit(page, '/huishoudens/1/metingen');
    await submit(page, page.getByRole('link', { name: `Nieuwe meting Zelfredzaamheid voor ${first.name}` }).first());
    assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Nieuwe meting: Zelfredzaamheid');
    assert.equal(await page.getByRole('group').count(), 13);
    assert.ok(await page.getByRole('group', { name: 'Financiën' }).getByRole('radio', { name: 'Niet gescoord' }).isChecked());
    await axeCheck(page);
    await shot(page, 'meting-zrm');
  });

  await t.test('axe: the form re-shown with errors keeps the chosen radios and links to the field', async () => {
    // nothing scored: the browser lets it through, the server refuses it
    await save(400);
    const alert = page.getByRole('alert');
    await alert.getByText('Vul voor minstens één onderdeel een score in.').waitFor({ timeout: 3000 });
    await axeCheck(page);
    // an invalid date (the browser's own check is switched off to reach the server)
    await score('Huisvesting', 4);
    await page.getByLabel('Datum van de meting').fill(shift(today, 3));
    await page.locator('form.kantel-assess').evaluate((f) => { f.noValidate = true; });
    await save(400);
    await page.getByRole('alert').getByRole('link', { name: 'Datum' }).waitFor({ timeout: 3000 });
    assert.equal(await page.getByLabel('Datum van de meting').getAttribute('aria-invalid'), 'true');
    assert.ok(await page.getByRole('group', { name: 'Huisvesting' }).getByRole('radio', { name: /^4\b/ }).isChecked(), 'choice kept');
    await page.getByRole('alert').getByRole('link', { name: 'Datum' }).click();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'datum', 'the summary link moves focus to the field');
    await axeCheck(page);
    await shot(page, 'meting-fout');
  });

  await t.test('a generalist records two ZRM assessments and sees the chart, the change and the table', async () => {
    await page.getByLabel('Datum van de meting').fill(shift(today, -14));
    await score('Financiën', 2);
    await score('Huisvesting', 3);
    await score('Sociaal netwerk', 2);
    await page.getByLabel('Toelichting (niet verplicht)').fill('Keukentafelgesprek met Sanne.');
    await save();
    assert.equal(new URL(page.url()).pathname, '/huishoudens/1/metingen');
    await page.getByRole('status').getByText('De meting is opgeslagen.').waitFor({ timeout: 3000 });

    await submit(page, page.getByRole('link', { name: `Nieuwe meting Zelfredzaamheid voor ${first.name}` }).first());
    await score('Financiën', 3);
    await score('Huisvesting', 3);
    await score('Sociaal netwerk', 4);
    await save();
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
    await noSidewaysScroll(page);
  });

  await t.test('axe: overview with data (desktop and 360 px wide)', async () => {
    await visit(page, `/huishoudens/1/metingen?persoon=${first.id}&instrument=zrm`);
    await axeCheck(page);
    await shot(page, 'metingen');
    await atViewport(page, PHONE, async () => {
      await visit(page, `/huishoudens/1/metingen?persoon=${first.id}&instrument=zrm`);
      await noSidewaysScroll(page);
      await axeCheck(page);
      await shot(page, 'metingen-smal');
    });
  });

  await t.test('axe: the Positieve Gezondheid form', async () => {
    await visit(page, `/huishoudens/1/metingen/nieuw?persoon=${second.id}&instrument=positieve_gezondheid`);
    assert.equal(await page.getByRole('group').count(), 6);
    assert.equal(await page.getByRole('group', { name: 'Zingeving' }).getByRole('radio').count(), 12, 'niet gescoord + 0..10');
    await axeCheck(page);
    await score('Zingeving', 7);
    await save();
    await page.getByRole('status').getByText('De meting is opgeslagen.').waitFor({ timeout: 3000 });
    assert.equal((await page.getByLabel('Instrument', { exact: true }).inputValue()), 'positieve_gezondheid');
  });
} catch (e) {
  await t.test('set-up', () => { throw e; });
} finally {
  await finish(t, { browser, server, dir });
}
