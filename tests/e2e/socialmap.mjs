// tests/e2e/socialmap.mjs - the public search of the sociale kaart in a real
// browser (headless Chromium via playwright-core), without signing in: a
// resident looks for something free to do near home on a weekday, opens a
// result, and goes back; a mistake in the postcode is shown with the error
// summary and the field kept. axe-core (WCAG 2.1 A and AA) on every page and
// state, at desktop width and 360 px (no sideways scrolling); screenshots in
// tests/e2e/screenshots/. The caseworker's journey from a plan action to a
// referral is in tests/e2e/referrals.mjs.
//
//   node tests/e2e/socialmap.mjs     (binary: $KANTEL_BIN, default build/kantel)

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { atViewport, axeCheck, BIN, finish, launchBrowser, layoutCheck, newPage, PHONE, shot, submit, visit }
  from '../lib/browser.mjs';
import { suite } from '../lib/harness.mjs';
import { runDemo, startServer } from '../lib/kantel.mjs';

const t = suite('e2e: the public sociale kaart in the browser');
const dir = mkdtempSync(join(tmpdir(), 'kantel-e2e-socialmap-'));
let server = null, browser = null;

async function checkBoth(page, name) {
  await axeCheck(page);
  await layoutCheck(page);
  await atViewport(page, PHONE, async () => {
    await axeCheck(page);
    await layoutCheck(page);
    await shot(page, `${name}-360`);
  });
  await shot(page, name);
}

try {
  await runDemo(BIN, dir);
  server = await startServer({ bin: BIN, dir });
  browser = await launchBrowser();
  const page = await newPage(browser, server.url);

  await t.test('axe: anyone opens the sociale kaart without signing in', async () => {
    await visit(page, '/sociale-kaart');
    await page.getByRole('heading', { name: 'Sociale kaart', level: 1 }).waitFor({ timeout: 2000 });
    assert.match(await page.locator('#resultaten-kop').textContent(), /^Alle aanbod \(\d+ resultaten\)$/);
    assert.equal(await page.getByRole('button', { name: 'Uitloggen' }).count(), 0, 'not signed in');
    await checkBoth(page, 'sociale-kaart');
  });

  await t.test('axe: a wrong postcode is shown in the summary and at the field, the rest is kept', async () => {
    await page.getByLabel('Wat zoekt u?').fill('koken');
    await page.getByLabel('Postcode (niet verplicht)').fill('80 11');
    await submit(page, page.getByRole('button', { name: 'Zoeken' }), 400);
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 2000 });
    assert.match(await alert.textContent(), /Postcode: Vul een postcode in als 1234 AB\./);
    assert.equal(await page.getByLabel('Postcode (niet verplicht)').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Wat zoekt u?').inputValue(), 'koken');
    assert.equal(await page.locator('#resultaten-kop').count(), 0, 'no results under an error');
    await checkBoth(page, 'sociale-kaart-fout');
    await alert.getByRole('link', { name: 'Postcode' }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'sk-postcode', 'the summary link reaches the field');
  });

  await t.test('axe: free things to do within 5 km on Saturday, nearest first', async () => {
    await page.getByLabel('Wat zoekt u?').fill('');
    await page.getByLabel('Postcode (niet verplicht)').fill('8011 AB');
    await page.getByLabel('Afstand').selectOption('5');
    await page.getByLabel('Op een dag van de week').check();
    await page.getByLabel('Dag van de week', { exact: true }).selectOption('za');
    await page.getByLabel('Alleen gratis').check();
    await page.getByLabel('Volgorde').selectOption('afstand');
    await submit(page, page.getByRole('button', { name: 'Zoeken' }));
    const items = page.locator('li.kantel-result');
    assert.ok(await items.count() > 0);
    const texts = await items.allTextContents();
    for (const x of texts) {
      assert.match(x, /Gratis/);
      assert.match(x, /zaterdag/);
    }
    await checkBoth(page, 'sociale-kaart-resultaten');
  });

  await t.test('axe: a result in full, and back to the same results', async () => {
    const first = page.locator('li.kantel-result').first();
    const name = (await first.getByRole('heading').textContent()).trim();
    await submit(page, first.getByRole('link', { name }));
    await page.getByRole('heading', { name, level: 1 }).waitFor({ timeout: 2000 });
    const facts = await page.locator('dl.kantel-facts').textContent();
    assert.match(facts, /Wanneer/);
    assert.match(facts, /Kosten\s*Gratis/);
    assert.equal(await page.getByRole('link', { name: /^Verwijzen/ }).count(), 0, 'no referral for visitors');
    await checkBoth(page, 'sociale-kaart-dienst');
    await submit(page, page.getByRole('link', { name: 'Terug naar zoeken' }));
    await page.getByRole('heading', { name: 'Sociale kaart', level: 1 }).waitFor({ timeout: 2000 });
    assert.equal(await page.getByLabel('Postcode (niet verplicht)').inputValue(), '8011 AB', 'the same search');
    assert.equal(await page.getByLabel('Alleen gratis').isChecked(), true);
    assert.equal((await page.locator('li.kantel-result h3').first().textContent()).trim(), name, 'the same results');
  });
} finally {
  await finish(t, { browser, server, dir });
}
