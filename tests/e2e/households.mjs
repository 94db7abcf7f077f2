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
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { axeCheck, BIN, finish, launchBrowser, newPage, noSidewaysScroll, PHONE, signIn, submit, visit } from '../lib/browser.mjs';
import { suite } from '../lib/harness.mjs';
import { runDemo, startServer } from '../lib/kantel.mjs';

const t = suite('e2e: households in the browser');
const dir = mkdtempSync(join(tmpdir(), 'kantel-e2e-hh-'));
let server = null, browser = null;

/** A new session signed in as `user` (once per user: TOTP); returns its page. */
async function signedIn(user, viewport) {
  const page = await newPage(browser, server.url, viewport ? { viewport } : {});
  await signIn(page, user);
  return page;
}

try {
  await runDemo(BIN, dir);
  server = await startServer({ bin: BIN, dir });
  browser = await launchBrowser();
  const gen = await signedIn('generalist');
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
    await submit(gen, 'Huishouden aanmaken', 400);
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
    await submit(gen, 'Gezinslid toevoegen', 400);
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
    const lead = await signedIn('teamleider', PHONE);
    await visit(lead, '/caseload');
    await lead.getByRole('rowheader', { name: 'Fatima El Amrani' }).waitFor({ timeout: 2000 });
    await axeCheck(lead);
    await noSidewaysScroll(lead);
    await visit(lead, overviewPath);
    await axeCheck(lead); // with the transfer form (team lead of the household's team)
    await noSidewaysScroll(lead);
  });

  await t.test('axe: 403 with the break-the-glass form for another team\'s generalist', async () => {
    const other = await signedIn('generalist2');
    await visit(other, '/huishoudens/1', 403);
    assert.equal((await other.getByRole('heading', { level: 1 }).textContent()).trim(), 'Geen toegang tot dit huishouden');
    await axeCheck(other);
  });
} catch (e) {
  await t.test('set-up', () => { throw e; });
} finally {
  await finish(t, { browser, server, dir });
}
