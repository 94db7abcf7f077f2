// tests/e2e/referrals.mjs - closed-loop referrals in a real browser
// (headless Chromium via playwright-core), the acceptance journey of issue 8:
// the generalist adds a level-4 action to the plan of De Vries, follows
// "Aanbod zoeken" on it, and refers Sanne with her consent to the walking
// club that meets on Tuesdays about 360 m from her home (first with
// mistakes); the club's account (demo `wandelclub`) finds the referral in its
// inbox and marks it started (first without a status); an account whose
// claim is not approved (demo `aanbieder`) sees why and no data; the resident
// (demo `inwoner`) and the generalist see the new status, the plan action is
// busy; the resident withdraws (first with a BSN in the reason) and the plan
// shows that a new step is needed. The journey starts from the plan action's
// "Aanbod zoeken": the public search of the sociale kaart with text, 2 km
// from her postcode and Tuesday, then "Verwijzen" on the club. axe-core (WCAG 2.1 A and AA) on every new page, error states
// included, and each at 360 px wide; screenshots in tests/e2e/screenshots/.
//
//   node tests/e2e/referrals.mjs     (binary: $KANTEL_BIN, default build/kantel)

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { atViewport, axeCheck, BIN, finish, launchBrowser, layoutCheck, newPage, PHONE, shot, signIn, submit, visit }
  from '../lib/browser.mjs';
import { suite } from '../lib/harness.mjs';
import { runDemo, sql, startServer } from '../lib/kantel.mjs';

const t = suite('e2e: closed-loop referrals in the browser');
const dir = mkdtempSync(join(tmpdir(), 'kantel-e2e-referrals-'));
let server = null, browser = null;

const ACTION = 'Sanne wandelt op dinsdag met een club';
const CLUB = 'Wandelclub Havenkwartier';

/** axe and the layout checks at desktop and at 360 px. */
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
  const gen = await newPage(browser, server.url);
  const club = await newPage(browser, server.url);
  const res = await newPage(browser, server.url);
  const pending = await newPage(browser, server.url);
  const serviceId = sql(dir, `SELECT id FROM hsds_service WHERE name = '${CLUB}'`);
  let actionId = 0, referralPath = '';

  await t.test('the generalist adds a level-4 action; it offers "Aanbod zoeken" on the sociale kaart', async () => {
    await signIn(gen, 'generalist');
    await visit(gen, '/huishoudens/1/plan');
    await gen.getByLabel('Wat gebeurt er?').fill(ACTION);
    await gen.getByLabel('Trede', { exact: true }).selectOption('4');
    await submit(gen, 'Actie toevoegen');
    const row = gen.locator('tr[id^="actie-"]', { hasText: ACTION });
    await row.waitFor({ timeout: 3000 });
    actionId = Number((await row.getAttribute('id')).replace('actie-', ''));
    const link = row.getByRole('link', { name: /^Aanbod zoeken/ });
    assert.equal(await link.getAttribute('href'), `/sociale-kaart?huishouden=1&actie=${actionId}`);
    await submit(gen, link);
    await gen.getByRole('heading', { name: 'Sociale kaart', level: 1 }).waitFor({ timeout: 2000 });
    assert.match(await gen.locator('main').textContent(), /U zoekt aanbod bij een actie in een plan/);
  });

  await t.test('axe: on the sociale kaart the generalist finds a walking club within 2 km that meets on Tuesdays', async () => {
    await gen.getByLabel('Wat zoekt u?').fill('wandelclub');
    await gen.getByLabel('Postcode (niet verplicht)').fill('8011 AB');
    await gen.getByLabel('Afstand').selectOption('2');
    await gen.getByLabel('Op een dag van de week').check();
    await gen.getByLabel('Dag van de week', { exact: true }).selectOption('di');
    await submit(gen, gen.getByRole('button', { name: 'Zoeken' }));
    const result = gen.locator('li.kantel-result', { has: gen.getByRole('heading', { name: CLUB }) });
    await result.waitFor({ timeout: 2000 });
    const text = await result.textContent();
    assert.match(text, /elke dinsdag 10:00–11:30/);
    const m = /\((\d+) m\)|\((\d),(\d) km\)/.exec(text);
    assert.ok(m, `a distance in ${text}`);
    const metres = m[1] ? Number(m[1]) : Number(m[2]) * 1000 + Number(m[3]) * 100;
    assert.ok(metres <= 2000, `within 2 km: ${metres} m`);
    for (const li of await gen.locator('li.kantel-result').all())
      assert.match(await li.textContent(), /dinsdag|werkdag/, 'every result meets on Tuesdays');
    await checkBoth(gen, 'sociale-kaart-verwijzen');
    await submit(gen, result.getByRole('link', { name: new RegExp(`^Verwijzen\\s+naar ${CLUB}$`) }));
    assert.equal(new URL(gen.url()).pathname, `/huishoudens/1/plan/acties/${actionId}/verwijzen`);
    assert.equal(new URL(gen.url()).searchParams.get('dienst'), serviceId);
  });

  await t.test('axe: the referral form shows the walking club (Tuesday 10:00-11:30) and the consent form', async () => {
    await gen.getByRole('heading', { name: `Verwijzen naar ${CLUB}`, level: 1 }).waitFor({ timeout: 2000 });
    const facts = await gen.locator('#dienst').textContent();
    assert.match(facts, /Wandelvereniging Havenkwartier/);
    assert.match(facts, /Elke dinsdag van 10:00 tot 11:30/);
    assert.match(facts, /Gratis/);
    await checkBoth(gen, 'verwijzing-formulier');
  });

  await t.test('axe: sending without consent shows every problem and keeps what was typed', async () => {
    await gen.getByLabel(/^Bericht aan/).fill('Sanne wil graag wandelen in een rustig tempo.');
    await gen.getByLabel(/^Sanne de Vries/).check();
    await submit(gen, 'Verwijzing versturen', 400);
    const alert = gen.getByRole('alert');
    await alert.waitFor({ timeout: 2000 });
    const text = await alert.textContent();
    assert.match(text, /Wie gaf toestemming\?/);
    assert.match(text, /Hoe is de toestemming gegeven\?/);
    assert.match(text, /Toestemming om te delen/);
    assert.equal(await gen.getByLabel(/^Sanne de Vries/).isChecked(), true);
    assert.equal(await gen.getByLabel(/^Bericht aan/).inputValue(), 'Sanne wil graag wandelen in een rustig tempo.');
    assert.equal(await gen.getByLabel(/De inwoner heeft toestemming gegeven/).getAttribute('aria-invalid'), 'true');
    await checkBoth(gen, 'verwijzing-formulier-fout');
  });

  await t.test('with Sanne\'s consent the referral is sent; the referral page shows it', async () => {
    await gen.getByLabel('De inwoner zelf').check();
    await gen.getByLabel('Mondeling').check();
    await gen.getByLabel(/De inwoner heeft toestemming gegeven om deze gegevens met Wandelvereniging Havenkwartier te delen/)
      .check();
    await submit(gen, 'Verwijzing versturen');
    referralPath = new URL(gen.url()).pathname;
    assert.match(referralPath, /^\/huishoudens\/1\/verwijzingen\/\d+$/);
    assert.match(await gen.locator('#stand').textContent(), /Status: Verstuurd/);
    await checkBoth(gen, 'verwijzing');
  });

  await t.test('axe: an account whose claim is not approved sees why, and no referrals', async () => {
    await signIn(pending, 'aanbieder');
    await visit(pending, '/organisatie/verwijzingen');
    assert.match(await pending.locator('main').textContent(), /wacht nog op goedkeuring door de gemeente/);
    assert.ok(!/Sanne/.test(await pending.locator('main').textContent()));
    await checkBoth(pending, 'org-verwijzingen-niet-goedgekeurd');
  });

  await t.test('axe: the walking club finds the referral in its inbox (from the start page)', async () => {
    await signIn(club, 'wandelclub');
    await submit(club, club.getByRole('main').getByRole('link', { name: 'Verwijzingen' }));
    assert.equal(new URL(club.url()).pathname, '/organisatie/verwijzingen');
    await club.getByRole('link', { name: 'Sanne de Vries' }).waitFor({ timeout: 2000 });
    await checkBoth(club, 'org-verwijzingen');
    await submit(club, club.getByRole('link', { name: 'Sanne de Vries' }));
    await club.getByRole('heading', { name: 'Verwijzing van Sanne de Vries', level: 1 }).waitFor({ timeout: 2000 });
    const main = await club.locator('main').textContent();
    assert.match(main, /rustig tempo/);
    for (const bad of ['Kerkstraat', '8011', 'Lars', 'plan', 'BSN'])
      assert.ok(!main.includes(bad), `the organisation does not see ${bad}`);
    await checkBoth(club, 'org-verwijzing');
  });

  await t.test('axe: the club marks it started (after forgetting to choose)', async () => {
    await submit(club, 'Status opslaan', 400);
    await club.getByRole('alert').waitFor({ timeout: 2000 });
    assert.match(await club.getByRole('alert').textContent(), /Kies de nieuwe status/);
    await checkBoth(club, 'org-verwijzing-fout');
    await club.getByLabel(/^Gestart/).check();
    await submit(club, 'Status opslaan');
    assert.match(await club.locator('#stand').textContent(), /Status: Gestart/);
    assert.match(await club.locator('main').textContent(), /Gestart op .* door Uw organisatie/);
  });

  await t.test('axe: the resident sees the new status in the portal', async () => {
    await signIn(res, 'inwoner');
    await visit(res, '/mijn');
    await submit(res, res.getByRole('link', { name: 'Bekijk mijn verwijzingen' }));
    const card = res.locator('article', { has: res.getByRole('heading', { name: CLUB }) });
    await card.waitFor({ timeout: 2000 });
    assert.match(await card.textContent(), /Status: Gestart\./);
    await checkBoth(res, 'mijn-verwijzingen');
  });

  await t.test('the generalist sees the new status; the plan action is busy', async () => {
    await visit(gen, referralPath);
    assert.match(await gen.locator('#stand').textContent(), /Status: Gestart/);
    await visit(gen, '/huishoudens/1/plan');
    const row = gen.locator('tr[id^="actie-"]', { hasText: ACTION });
    const text = await row.textContent();
    assert.match(text, new RegExp(`Verwijzing naar ${CLUB}.*: Gestart`));
    assert.equal(await row.getByLabel(/^Status van de actie/).inputValue(), 'bezig');
    await checkBoth(gen, 'verwijzing-plan');
  });

  await t.test('axe: the resident withdraws (a BSN in the reason is refused); the plan asks for a new step', async () => {
    const card = res.locator('article', { has: res.getByRole('heading', { name: CLUB }) });
    await card.getByLabel('Waarom? (niet verplicht)').fill('Mijn BSN is 999900006');
    await submit(res, card.getByRole('button', { name: /^Toestemming intrekken/ }), 400);
    await res.getByRole('alert').waitFor({ timeout: 2000 });
    assert.match(await res.getByRole('alert').textContent(), /BSN/);
    await checkBoth(res, 'mijn-verwijzingen-fout');
    const again = res.locator('article', { has: res.getByRole('heading', { name: CLUB }) });
    await again.getByLabel('Waarom? (niet verplicht)').fill('Ik wandel liever met mijn buurvrouw');
    await submit(res, again.getByRole('button', { name: /^Toestemming intrekken/ }));
    assert.match(await res.locator('main').textContent(), /Status: Ingetrokken\./);
    await visit(gen, '/huishoudens/1/plan');
    const row = gen.locator('tr[id^="actie-"]', { hasText: ACTION });
    assert.match(await row.textContent(), /Een nieuwe stap is nodig/);
    assert.equal(await row.getByLabel(/^Status van de actie/).inputValue(), 'open');
  });
} catch (e) {
  await t.test('set-up', () => { throw e; });
} finally {
  await finish(t, { browser, server, dir });
}
