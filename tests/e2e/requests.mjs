// tests/e2e/requests.mjs - a generalist files a request (melding) in the
// browser for demo household 1, sees its deadlines on the household overview
// and in /termijnen with the overdue one flagged, and marks one met; axe-core
// (WCAG 2.1 A and AA) finds no violations on the request form (empty, with
// errors) and on /termijnen (own and team view).
//
//   node tests/e2e/requests.mjs        (binary: $KANTEL_BIN, default build/kantel)
//
// Own demo database and server in a temp dir; one sign-in (one TOTP step).

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { axeCheck, BIN, finish, launchBrowser, newPage, shot, signIn, submit, visit } from '../lib/browser.mjs';
import { suite } from '../lib/harness.mjs';
import { runDemo, startServer } from '../lib/kantel.mjs';

const QUESTION = 'Ik kan de trap niet meer op en wil graag beneden slapen.';

const t = suite('e2e: requests and deadlines');
const dir = mkdtempSync(join(tmpdir(), 'kantel-e2e-req-'));

/** Today in Europe/Amsterdam minus n days, as YYYY-MM-DD. */
function daysAgo(n) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
  return new Date(Date.parse(today + 'T00:00:00Z') - n * 86_400_000).toISOString().slice(0, 10);
}

let server = null, browser = null;
try {
  await runDemo(BIN, dir, ['--no-stages']); // households without requests, assessments or plans
  server = await startServer({ bin: BIN, dir });
  browser = await launchBrowser();
  const page = await newPage(browser, server.url);

  await t.test('generalist signs in', async () => {
    await signIn(page, 'generalist');
  });

  await t.test('request form: labelled fields, extra terms offered only for their law, axe', async () => {
    await visit(page, '/huishoudens/1/meldingen/nieuw');
    assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).replace(/\s+/g, ' ').trim(), 'Nieuwe melding Huishouden De Vries');
    assert.equal(await page.getByLabel('Datum van de melding').inputValue(), daysAgo(0));
    const plan = page.getByLabel('De inwoner wil een persoonlijk plan inleveren');
    const young = page.getByLabel('Jonger dan 27 en vraagt bijstand aan');
    assert.equal(await plan.isVisible(), false, 'no law chosen: no extra terms');
    await page.getByLabel('Participatiewet', { exact: true }).check();
    assert.equal(await young.isVisible(), true);
    assert.equal(await plan.isVisible(), false);
    await page.getByLabel('Wmo', { exact: true }).check();
    assert.equal(await plan.isVisible(), true);
    assert.equal(await young.isVisible(), false);
    await axeCheck(page);
  });

  await t.test('an empty question is refused; the error summary links to it and the rest is kept; axe', async () => {
    await page.getByLabel('Hoe kwam de melding binnen?').selectOption('telefoon');
    await page.getByLabel('Datum van de melding').fill(daysAgo(56));
    await page.getByLabel('De inwoner wil een persoonlijk plan inleveren').check();
    await submit(page, 'Melding opslaan', 400);
    const alert = page.getByRole('alert');
    await alert.getByText('Schrijf de vraag op zoals de inwoner die stelt.').waitFor({ timeout: 3000 });
    assert.equal(await page.getByLabel('Wmo', { exact: true }).isChecked(), true);
    assert.equal(await page.getByLabel('Hoe kwam de melding binnen?').inputValue(), 'telefoon');
    assert.equal(await page.getByLabel('Datum van de melding').inputValue(), daysAgo(56));
    assert.equal(await page.getByLabel('De inwoner wil een persoonlijk plan inleveren').isChecked(), true);
    assert.equal(await page.getByLabel('Vraag van de inwoner').getAttribute('aria-invalid'), 'true');
    await alert.getByRole('link', { name: 'Vraag van de inwoner' }).click();
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'vraag');
    await axeCheck(page);
    await shot(page, 'request-new-errors');
  });

  await t.test('the request is saved and its deadlines show on the household overview', async () => {
    await page.getByLabel('Vraag van de inwoner').fill(QUESTION);
    await submit(page, 'Melding opslaan');
    assert.equal(new URL(page.url()).pathname, '/huishoudens/1');
    const main = page.locator('main');
    await main.getByText('Onderzoek Wmo afronden').first().waitFor({ timeout: 3000 });
    await main.getByText('Persoonlijk plan inleveren').first().waitFor({ timeout: 3000 });
    assert.ok((await main.getByText(/te laat/i).count()) > 0, 'the overdue deadline is flagged on the overview');
  });

  await t.test('/termijnen lists the overdue deadline under "Te laat", flagged; axe', async () => {
    await visit(page, '/termijnen');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Mijn termijnen');
    const overdue = page.getByRole('region', { name: /Te laat/ });
    const row = overdue.getByRole('row').filter({ hasText: 'Onderzoek Wmo afronden' });
    assert.equal(await row.count(), 1);
    assert.match(await row.textContent(), /Huishouden De Vries[\s\S]*Wmo[\s\S]*\d+ dagen te laat/);
    const flag = row.locator('strong.kantel-flag--overdue');
    assert.match(await flag.textContent(), /^\d+ dagen te laat$/);
    assert.equal(await flag.evaluate((e) => getComputedStyle(e).borderInlineStartStyle), 'solid', 'the overdue flag is marked visually');
    await row.getByRole('link', { name: 'Huishouden De Vries' }).waitFor();
    await axeCheck(page);
    await shot(page, 'deadlines');
  });

  await t.test('marking a deadline met from /termijnen returns there without it', async () => {
    const row = page.getByRole('region', { name: /Te laat/ }).getByRole('row').filter({ hasText: 'Persoonlijk plan inleveren' });
    await submit(page, row.getByRole('button', { name: /^Afgerond/ }));
    assert.equal(new URL(page.url()).pathname, '/termijnen');
    assert.equal(await page.getByRole('row').filter({ hasText: 'Persoonlijk plan inleveren' }).count(), 0);
    assert.equal(await page.getByRole('row').filter({ hasText: 'Onderzoek Wmo afronden' }).count(), 1);
  });

  await t.test('team view of /termijnen; axe', async () => {
    await page.getByRole('link', { name: 'Termijnen van het hele team' }).click();
    await page.waitForLoadState('load');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Termijnen van het team');
    assert.ok(await page.getByRole('columnheader', { name: 'Regisseur' }).count() > 0);
    await axeCheck(page);
  });
} catch (e) {
  await t.test('e2e set-up', () => { throw e; });
} finally {
  await finish(t, { browser, server, dir, checkExit: false }); // this suite has no 'server stops cleanly' test
}
