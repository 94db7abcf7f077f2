// tests/e2e/plan.mjs - the household plan in a real browser (headless
// Chromium via playwright-core): a generalist builds a plan through the
// labelled forms, starting from the empty state, with a goal and actions on
// several ladder levels (one form first sent with a mistake), changes a
// status, compares two versions and opens the print view (navigation hidden
// when printing). axe-core (WCAG 2.1 A and AA) on the plan page empty, filled
// and with a form error, an earlier version, the comparison and the print
// view; screenshots in tests/e2e/screenshots/.
//
//   node tests/e2e/plan.mjs     (binary: $KANTEL_BIN, default build/kantel)
//
// Own demo database and server in a temp dir; the generalist signs in once.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { atViewport, axeCheck, BIN, finish, launchBrowser, newPage, noSidewaysScroll, PHONE, shot, signIn, submit, visit } from '../lib/browser.mjs';
import { suite } from '../lib/harness.mjs';
import { runDemo, sql, startServer } from '../lib/kantel.mjs';

const t = suite('e2e: the household plan in the browser');
const dir = mkdtempSync(join(tmpdir(), 'kantel-e2e-plan-'));
let server = null, browser = null;

function isoDate(daysFromNow) {
  return new Date(Date.now() + daysFromNow * 86400000).toISOString().slice(0, 10);
}

/** Adds an action through the labelled form and waits for the plan again. */
async function addAction(page, { text, level, name, goal, due }) {
  await page.getByLabel('Wat gebeurt er?').fill(text);
  await page.getByLabel('Trede', { exact: true }).selectOption(String(level));
  if (name) await page.getByLabel(/^Naam van de uitvoerder/).fill(name);
  if (goal) await page.getByLabel(/^Bij welk doel/).selectOption({ label: goal });
  if (due) await page.getByLabel(/^Uiterlijk klaar op/).fill(due);
  await submit(page, 'Actie toevoegen');
  await page.getByRole('rowheader', { name: text }).waitFor({ timeout: 3000 });
}

try {
  await runDemo(BIN, dir);
  server = await startServer({ bin: BIN, dir });
  browser = await launchBrowser();
  const page = await newPage(browser, server.url);
  const context = page.context();

  await t.test('the generalist signs in through the form', async () => {
    await signIn(page, 'generalist');
  });

  // A household of the generalist's team without a plan yet (the demo may
  // give some households a plan); made with the CLI database tool if none.
  let hh = 0;
  await t.test('a household without a plan', async () => {
    for (const id of [1, 2, 3]) {
      const res = await context.request.get(`/huishoudens/${id}/plan`, { headers: { Accept: 'application/json' } });
      assert.equal(res.status(), 200);
      if ((await res.json()).current_version === 0) { hh = id; break; }
    }
    if (!hh) {
      sql(dir, "INSERT INTO household (gemeente, name, team_id, created_at) SELECT gemeente, 'Huishouden Proef', team_id, created_at FROM household WHERE id = 1");
      const id = Number(sql(dir, "SELECT max(id) FROM household WHERE name = 'Huishouden Proef'"));
      sql(dir, `INSERT INTO coordinator (household_id, account_id, team_id, start_at) SELECT ${id}, account_id, team_id, start_at FROM coordinator WHERE household_id = 1 AND end_at IS NULL`);
      hh = Number(sql(dir, `SELECT household_id FROM coordinator WHERE household_id = ${id} AND end_at IS NULL`));
    }
    assert.ok(hh > 0);
  });
  const P = `/huishoudens/${hh}/plan`;

  await t.test('axe: the empty plan invites to start from eigen kracht', async () => {
    await visit(page, P);
    await page.getByText('Wat kan de inwoner zelf?', { exact: true }).waitFor({ timeout: 2000 });
    assert.equal(await page.getByLabel('Trede', { exact: true }).inputValue(), '1', 'eigen kracht is the default level');
    await axeCheck(page);
    await noSidewaysScroll(page);
    await shot(page, 'plan-leeg');
  });

  await t.test('a goal, and actions on levels 1, 3 and 6 through the forms', async () => {
    await page.getByLabel('Levensgebied').selectOption({ label: 'Financiën' });
    await page.getByLabel('Huidige score').selectOption('2');
    await page.getByLabel('Doelscore').selectOption('4');
    await page.getByLabel('Wat wil het huishouden bereiken?').fill('Schulden op een rij');
    await submit(page, 'Doel toevoegen');
    await page.getByRole('rowheader', { name: 'Financiën' }).waitFor({ timeout: 3000 });
    await addAction(page, { text: 'Ik doe op dinsdag de boodschappen', level: 1 });
    await addAction(page, { text: 'Zus helpt met de post', level: 3, name: 'zus Marieke', goal: 'Financiën: Schulden op een rij', due: isoDate(10) });
    await addAction(page, { text: 'Schuldhulp via de wijkcoach', level: 6, name: 'Zorg BV' });
    await page.getByRole('heading', { name: /^Trede 3: Netwerk/ }).waitFor();
    const row = page.locator('#acties').getByRole('row', { name: /Zus helpt met de post/ });
    assert.match(await row.textContent(), /Iemand uit het netwerk: zus Marieke/);
    assert.match(await row.textContent(), /Financiën/);
    assert.match(await page.locator('.kantel-plan-index').textContent(), /67%[\s\S]*2 van de 3 acties \(67%\)/);
  });

  await t.test('axe: a form error is shown at the field, with the typed values kept', async () => {
    await page.getByLabel('Wat gebeurt er?').fill('   ');
    await page.getByLabel('Trede', { exact: true }).selectOption('4');
    await page.getByLabel(/^Naam van de uitvoerder/).fill('Buurthuis De Kantel');
    await submit(page, 'Actie toevoegen', 400);
    const alert = page.getByRole('alert');
    await alert.getByRole('link', { name: 'Wat gebeurt er?' }).waitFor({ timeout: 2000 });
    const field = page.getByLabel('Wat gebeurt er?');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel(/^Naam van de uitvoerder/).inputValue(), 'Buurthuis De Kantel', 'name kept');
    assert.equal(await page.getByLabel('Trede', { exact: true }).inputValue(), '4', 'level kept');
    await alert.getByRole('link', { name: 'Wat gebeurt er?' }).click();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'actie-omschrijving', 'the summary link moves focus');
    await axeCheck(page);
    await shot(page, 'plan-fout');
    await field.fill('Wandelclub op woensdag');
    await submit(page, 'Actie toevoegen');
    await page.getByRole('rowheader', { name: 'Wandelclub op woensdag' }).waitFor({ timeout: 3000 });
  });

  await t.test('a status change through the small form', async () => {
    const row = page.locator('#acties').getByRole('row', { name: /Ik doe op dinsdag de boodschappen/ });
    await row.getByRole('combobox').selectOption('gedaan');
    await submit(page, row.getByRole('button', { name: /Opslaan/ }));
    const again = page.locator('#acties').getByRole('row', { name: /Ik doe op dinsdag de boodschappen/ });
    assert.equal(await again.getByRole('combobox').inputValue(), 'gedaan');
    assert.match(await page.locator('#versies').textContent(), /Status gewijzigd: Ik doe op dinsdag de boodschappen, van Open naar Gedaan/);
  });

  await t.test('axe: the filled plan', async () => {
    assert.match(await page.locator('.kantel-plan-index').textContent(), /75%/);
    await axeCheck(page);
    await noSidewaysScroll(page);
    await shot(page, 'plan');
  });

  await t.test('axe: the filled plan at phone width (360 px) does not scroll sideways', async () => {
    await atViewport(page, PHONE, async () => {
      await visit(page, P);
      await noSidewaysScroll(page);
      await axeCheck(page);
      await shot(page, 'plan-smal');
    });
  });

  await t.test('axe: an earlier version, read-only', async () => {
    await page.getByRole('link', { name: 'Versie 2 bekijken' }).click();
    await page.waitForLoadState('load');
    await page.getByText(/een eerdere versie/).waitFor({ timeout: 2000 });
    assert.equal(await page.getByRole('button', { name: 'Actie toevoegen' }).count(), 0, 'no forms on an old version');
    await axeCheck(page);
  });

  await t.test('axe: comparing two versions tells the change in words', async () => {
    await visit(page, P);
    await page.getByRole('link', { name: /^Vergelijk met versie 5/ }).click();
    await page.waitForLoadState('load');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Versies vergelijken');
    await page.getByRole('heading', { name: 'Gewijzigde acties' }).waitFor({ timeout: 2000 });
    assert.match(await page.locator('main').textContent(), /Status: was „Open”, is nu „Gedaan”/);
    await axeCheck(page);
    // another pair through the form on the page
    await page.getByLabel('Van versie').selectOption('1');
    await page.getByLabel('Tot versie').selectOption('3');
    await submit(page, 'Vergelijken');
    await page.getByRole('heading', { name: 'Toegevoegde acties' }).waitFor({ timeout: 2000 });
    assert.match(await page.locator('main').textContent(), /Ik doe op dinsdag de boodschappen/);
    await axeCheck(page);
    await shot(page, 'plan-vergelijk');
  });

  await t.test('axe: the print view, without navigation when printed', async () => {
    await visit(page, P);
    await page.getByRole('link', { name: /^Afdrukversie/ }).click();
    await page.waitForLoadState('load');
    const main = page.locator('main');
    assert.match(await main.textContent(), /Trede 6: Maatwerkvoorziening/);
    assert.equal(await main.locator('nav, form').count(), 0, 'no navigation or forms in the printed part');
    await axeCheck(page);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('nav.kantel-nav').isVisible(), false, 'navigation hidden when printing');
    assert.equal(await page.locator('header').isVisible(), false, 'header hidden when printing');
    assert.equal(await page.locator('.kantel-noprint').isVisible(), false, 'back link hidden when printing');
    assert.equal(await page.getByRole('heading', { level: 1 }).isVisible(), true, 'the plan itself is printed');
    await shot(page, 'plan-afdruk');
    await page.emulateMedia({ media: 'screen' });
    assert.equal(await page.locator('nav.kantel-nav').isVisible(), true, 'on screen the navigation stays');
  });
} catch (e) {
  await t.test('set-up', () => { throw e; });
} finally {
  await finish(t, { browser, server, dir });
}
