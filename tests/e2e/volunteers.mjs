// tests/e2e/volunteers.mjs - volunteers in a real browser (headless Chromium
// via playwright-core), the whole journey: the generalist adds a level-4
// action, clicks "Vrijwilliger zoeken", sends the request (first with a
// mistake), sees the explained candidates and proposes the first; the
// community organisation (demo `organisatie`) finds the proposal under
// "Vrijwilligers" and records the volunteer's yes (first without an answer);
// it also registers a volunteer (first with mistakes); the resident (demo
// `inwoner`) accepts in the portal (first without an answer); the volunteer
// then is a network member and the action's carrier.
// axe-core (WCAG 2.1 A and AA) on every new page, error states included,
// and each at 360 px wide (no sideways scrolling); screenshots in
// tests/e2e/screenshots/.
//
//   node tests/e2e/volunteers.mjs     (binary: $KANTEL_BIN, default build/kantel)

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { atViewport, axeCheck, BIN, finish, launchBrowser, layoutCheck, newPage, PHONE, shot, signIn, submit, visit }
  from '../lib/browser.mjs';
import { suite } from '../lib/harness.mjs';
import { runDemo, startServer } from '../lib/kantel.mjs';

const t = suite('e2e: volunteers and informal mentors in the browser');
const dir = mkdtempSync(join(tmpdir(), 'kantel-e2e-volunteers-'));
let server = null, browser = null;

const ACTION = 'Huiswerkbegeleiding voor Lars op dinsdag';

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
  const org = await newPage(browser, server.url);
  const res = await newPage(browser, server.url);
  let volunteer = '';

  await t.test('the generalist adds a level-4 action and clicks "Vrijwilliger zoeken"', async () => {
    await signIn(gen, 'generalist');
    await visit(gen, '/huishoudens/1/plan');
    await gen.getByLabel('Wat gebeurt er?').fill(ACTION);
    await gen.getByLabel('Trede', { exact: true }).selectOption('4');
    await submit(gen, 'Actie toevoegen');
    const row = gen.locator('tr[id^="actie-"]', { hasText: ACTION });
    await row.waitFor({ timeout: 3000 });
    await submit(gen, row.getByRole('link', { name: /^Vrijwilliger zoeken/ }));
    assert.match(new URL(gen.url()).pathname, /^\/huishoudens\/1\/plan\/acties\/\d+\/vrijwilliger$/);
    await gen.getByRole('heading', { name: 'Vrijwilliger zoeken', level: 1 }).waitFor({ timeout: 2000 });
    await checkBoth(gen, 'vrijwilliger-vraag');
  });

  await t.test('axe: the request with a mistake keeps what was typed', async () => {
    await gen.locator('form[action$="/vrijwilliger"]').evaluate((f) => { f.noValidate = true; });
    await gen.getByLabel(/^Wanneer\?/).fill('Dinsdagmiddag na school');
    await gen.getByLabel('dinsdagmiddag').first().check();
    await gen.getByLabel('Huiswerkbegeleiding').check();
    await gen.getByLabel(/^Taal die de vrijwilliger spreekt/).selectOption('ar');
    await submit(gen, 'Vrijwilligers zoeken', 400);
    await gen.getByRole('alert').waitFor({ timeout: 2000 });
    assert.match(await gen.getByRole('alert').textContent(), /Voor wie\?/);
    assert.equal(await gen.getByLabel('Voor wie?').getAttribute('aria-invalid'), 'true');
    assert.equal(await gen.getByLabel(/^Wanneer\?/).inputValue(), 'Dinsdagmiddag na school');
    assert.equal(await gen.getByLabel('dinsdagmiddag').first().isChecked(), true);
    await checkBoth(gen, 'vrijwilliger-vraag-fout');
  });

  await t.test('the generalist sees the explained candidates and proposes the first', async () => {
    const lars = await gen.getByLabel('Voor wie?').locator('option', { hasText: 'Lars' }).getAttribute('value');
    await gen.getByLabel('Voor wie?').selectOption(lars);
    await submit(gen, 'Vrijwilligers zoeken');
    assert.match(new URL(gen.url()).pathname, /^\/huishoudens\/1\/vrijwilligersvragen\/\d+$/);
    const first = gen.locator('li.kantel-candidate').first();
    await first.waitFor({ timeout: 2000 });
    const text = await first.textContent();
    assert.match(text, /\d+ punten/);
    assert.match(text, /Afstand: \d+ van 30 punten/);
    assert.match(text, /Spreekt Arabisch/);
    assert.match(await gen.locator('#kandidaten').textContent(), /Geen VOG: voor een match met iemand onder de 18/);
    volunteer = (await first.getByRole('heading').textContent()).split(':')[0].trim();
    await checkBoth(gen, 'vrijwilliger-kandidaten');
    await submit(gen, first.getByRole('button', { name: new RegExp(`^Voorstellen\\W+${volunteer}$`) }));
    await gen.getByText(/Voorgesteld: wacht op de antwoorden/).waitFor({ timeout: 2000 });
    await checkBoth(gen, 'vrijwilliger-voorgesteld');
  });

  await t.test('axe: the organisation finds the registry in the navigation and registers a volunteer (after mistakes)', async () => {
    await signIn(org, 'organisatie');
    await submit(org, org.getByRole('navigation').getByRole('link', { name: 'Vrijwilligers' }));
    assert.equal(new URL(org.url()).pathname, '/vrijwilligers');
    await org.getByRole('link', { name: 'Mohamed Bouzid' }).waitFor({ timeout: 2000 });
    await checkBoth(org, 'vrijwilligers');
    await submit(org, org.getByRole('link', { name: 'Vrijwilliger registreren' }));
    await checkBoth(org, 'vrijwilliger-nieuw');
    await org.locator('form[action="/vrijwilligers"]').evaluate((f) => { f.noValidate = true; });
    await org.getByLabel('Naam', { exact: true }).fill('Nadia Testers');
    await org.getByLabel(/^Postcode/).fill('1234 SA');
    await org.getByLabel('Arabisch').check();
    await org.getByLabel('woensdagavond').check();
    await org.getByLabel('Ja, de VOG is afgegeven').check();
    await submit(org, 'Vrijwilliger registreren', 400);
    await org.getByRole('alert').waitFor({ timeout: 2000 });
    const alert = await org.getByRole('alert').textContent();
    assert.match(alert, /Toestemming/);
    assert.match(alert, /Datum van de VOG/);
    assert.equal(await org.getByLabel(/^Postcode/).getAttribute('aria-invalid'), 'true');
    assert.equal(await org.getByLabel('woensdagavond').isChecked(), true);
    await checkBoth(org, 'vrijwilliger-nieuw-fout');
    await org.getByLabel(/^Postcode/).fill('8011 AB');
    await org.getByLabel(/^Datum van afgifte van de VOG/).fill('2025-02-01');
    await org.getByLabel(/toestemming om geregistreerd te worden/).check();
    await submit(org, 'Vrijwilliger registreren');
    await org.getByRole('heading', { name: 'Nadia Testers', level: 1 }).waitFor({ timeout: 2000 });
    await checkBoth(org, 'vrijwilliger-bewerken');
  });

  await t.test('axe: the organisation records the volunteer\'s yes (after forgetting the answer)', async () => {
    await visit(org, '/vrijwilligers');
    await submit(org, org.getByRole('link', { name: /^Antwoorden van vrijwilligers/ }));
    const card = org.locator('article', { has: org.getByRole('heading', { name: new RegExp(`^${volunteer}:`) }) });
    await card.waitFor({ timeout: 2000 });
    assert.ok(!/De Vries/.test(await org.locator('main').textContent()), 'no resident\'s name');
    await checkBoth(org, 'vrijwilliger-antwoorden');
    await submit(org, card.getByRole('button', { name: /^Antwoord vastleggen/ }), 400);
    await org.getByRole('alert').waitFor({ timeout: 2000 });
    await checkBoth(org, 'vrijwilliger-antwoorden-fout');
    const again = org.locator('article', { has: org.getByRole('heading', { name: new RegExp(`^${volunteer}:`) }) });
    await again.getByLabel(`Ja, ${volunteer} wil helpen`).check();
    await submit(org, again.getByRole('button', { name: /^Antwoord vastleggen/ }));
    await org.getByText('Er wachten geen voorstellen op een antwoord.').waitFor({ timeout: 2000 });
  });

  await t.test('axe: the resident accepts in the portal (after forgetting the answer)', async () => {
    await signIn(res, 'inwoner');
    await visit(res, '/mijn/vrijwilliger');
    await res.getByRole('heading', { name: volunteer }).waitFor({ timeout: 2000 });
    await checkBoth(res, 'mijn-vrijwilliger');
    await submit(res, res.getByRole('button', { name: new RegExp(`^Antwoord geven\\s+over ${volunteer}$`) }), 400);
    await res.getByRole('alert').waitFor({ timeout: 2000 });
    await checkBoth(res, 'mijn-vrijwilliger-fout');
    await res.getByLabel('Ja, graag').check();
    await submit(res, res.getByRole('button', { name: new RegExp(`^Antwoord geven\\s+over ${volunteer}$`) }));
    await res.getByText('Er wacht nu geen vrijwilliger op uw antwoord.').waitFor({ timeout: 2000 });
  });

  await t.test('the volunteer is in the network and carries the action', async () => {
    await visit(gen, '/huishoudens/1/netwerk');
    const card = gen.locator('article', { has: gen.getByRole('heading', { name: volunteer }) });
    await card.waitFor({ timeout: 2000 });
    assert.match(await card.textContent(), /Vrijwilliger \(uit de vrijwilligerscentrale\)/);
    await visit(gen, '/huishoudens/1/plan');
    const row = gen.locator('tr[id^="actie-"]', { hasText: ACTION });
    assert.match(await row.textContent(), new RegExp(`Buurt: ${volunteer}|: ${volunteer}`));
    assert.match(await row.textContent(), /Vrijwilliger gekoppeld/);
    await axeCheck(gen);
  });
} catch (e) {
  await t.test('set-up', () => { throw e; });
} finally {
  await finish(t, { browser, server, dir });
}
