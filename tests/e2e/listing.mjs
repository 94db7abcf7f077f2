// tests/e2e/listing.mjs - listings that stay current, in a real browser
// (headless Chromium via playwright-core): the walking club (demo
// `wandelclub`) sees the banner for a listing awaiting confirmation,
// confirms it ("Nog actueel"), edits its other listing (first with
// mistakes) and finds the change in the listing's history; the provider
// (demo `aanbieder`, its claim removed first) searches its organisation and
// claims it (first without a motivation); kaartbeheer (demo `beleid`) tries to
// refuse the claim without a reason, then approves it, and opens a listing
// nobody claimed. axe-core (WCAG 2.1 A and AA) on every new page, error
// states included, each also at 360 px wide; screenshots in
// tests/e2e/screenshots/.
//
//   node tests/e2e/listing.mjs     (binary: $KANTEL_BIN, default build/kantel)

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { atViewport, axeCheck, BIN, finish, launchBrowser, layoutCheck, newPage, PHONE, shot, signIn, submit, visit }
  from '../lib/browser.mjs';
import { suite } from '../lib/harness.mjs';
import { runDemo, sql, startServer } from '../lib/kantel.mjs';

const t = suite('e2e: listings that stay current in the browser');
const dir = mkdtempSync(join(tmpdir(), 'kantel-e2e-listing-'));
let server = null, browser = null;

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
  const idOf = (name) => sql(dir, `SELECT id FROM hsds_service WHERE name = '${name}'`);
  const evening = idOf('Avondwandeling Havenkwartier');
  const town = sql(dir, "SELECT s.id FROM hsds_service s WHERE NOT EXISTS (SELECT 1 FROM org_member m"
    + " WHERE m.organization_id = s.organization_id) AND s.name LIKE 'Taalcaf%' ORDER BY s.id LIMIT 1");
  // As the job "socialmap.currency" does after 6 months without confirmation:
  sql(dir, `UPDATE hsds_service SET assured_date = '2025-01-10' WHERE id = '${evening}'`);
  sql(dir, `INSERT INTO listing (service_id, gemeente, seen_at, flagged_at) SELECT id, gemeente, 0, ${Math.floor(Date.now() / 1000) - 86400 * 20}`
    + ` FROM hsds_service WHERE id = '${evening}'`);
  // The provider starts without a claim.
  sql(dir, "DELETE FROM org_member WHERE account_id = (SELECT id FROM account WHERE username = 'aanbieder')");
  server = await startServer({ bin: BIN, dir });
  browser = await launchBrowser();
  const club = await newPage(browser, server.url);
  const prov = await newPage(browser, server.url);
  const map = await newPage(browser, server.url);

  await t.test('axe: the walking club sees its listings and the banner for the one awaiting confirmation', async () => {
    await signIn(club, 'wandelclub');
    await visit(club, '/organisatie');
    await club.getByRole('heading', { name: /^Wandelvereniging Havenkwartier/, level: 1 }).waitFor({ timeout: 2000 });
    assert.match(await club.locator('#bevestigen').textContent(), /Eén vermelding wacht op uw bevestiging/);
    const row = club.locator(`#dienst-${evening}`);
    assert.match(await row.textContent(), /Bevestigen gevraagd sinds/);
    await checkBoth(club, 'organisatie-bevestigen');
  });

  await t.test('"Nog actueel" confirms it: a message, no banner', async () => {
    await submit(club, club.getByRole('button', { name: /^Nog actueel\W+Avondwandeling Havenkwartier$/ }));
    await club.getByRole('status').waitFor({ timeout: 2000 });
    assert.match(await club.getByRole('status').textContent(), /„Avondwandeling Havenkwartier” is bevestigd als actueel/);
    assert.equal(await club.locator('#bevestigen').count(), 0, 'the banner is gone');
    assert.match(await club.locator(`#dienst-${evening}`).textContent(), /Actueel/);
    await checkBoth(club, 'organisatie-bevestigd');
  });

  await t.test('axe: editing a listing, first with mistakes that are shown and kept', async () => {
    await submit(club, club.getByRole('link', { name: /^Wijzigen\W+Wandelclub Havenkwartier$/ }));
    await club.getByRole('heading', { name: /^Wandelclub Havenkwartier/, level: 1 }).waitFor({ timeout: 2000 });
    await checkBoth(club, 'organisatie-dienst');
    await club.getByLabel('Naam', { exact: true }).fill('');
    await club.getByLabel(/^E-mailadres/).fill('wandelclub-at-example');
    await club.getByLabel('Vanaf leeftijd').fill('150');
    await club.getByLabel('donderdag').check();
    await submit(club, 'Opslaan en bevestigen', 400);
    const alert = club.getByRole('alert');
    await alert.waitFor({ timeout: 2000 });
    const text = await alert.textContent();
    assert.match(text, /Naam: Vul de naam van het aanbod in/);
    assert.match(text, /E-mailadres: Vul een geldig e-mailadres in/);
    assert.match(text, /Vanaf leeftijd: Vul een leeftijd in/);
    assert.equal(await club.getByLabel('Naam', { exact: true }).getAttribute('aria-invalid'), 'true');
    assert.equal(await club.getByLabel(/^E-mailadres/).inputValue(), 'wandelclub-at-example');
    assert.equal(await club.getByLabel('donderdag').isChecked(), true);
    await checkBoth(club, 'organisatie-dienst-fout');
    await alert.getByRole('link', { name: 'Naam' }).click();
    assert.equal(await club.evaluate(() => document.activeElement && document.activeElement.id), 'dienst-naam',
      'the summary link moves focus to the field');
  });

  await t.test('saving the corrected form confirms the listing; the history shows the change', async () => {
    await club.getByLabel('Naam', { exact: true }).fill('Wandelclub Havenkwartier');
    await club.getByLabel(/^E-mailadres/).fill('wandelclub@example.org');
    await club.getByLabel('Vanaf leeftijd').fill('');
    await club.getByLabel(/^Begintijd/).fill('09:30');
    await submit(club, 'Opslaan en bevestigen');
    assert.equal(new URL(club.url()).pathname, '/organisatie');
    assert.match(await club.getByRole('status').textContent(), /zijn opgeslagen/);
    await submit(club, club.getByRole('link', { name: /^Wijzigen\W+Wandelclub Havenkwartier$/ }));
    const history = club.locator('section', { has: club.getByRole('heading', { name: 'Wat is er gewijzigd?' }) });
    const rows = await history.locator('li').allTextContents();
    assert.ok(rows.some((r) => /^Begintijd gewijzigd van „10:00” naar „09:30”\s*\d+ \w+ \d{4}, \d\d:\d\d, door wandelclub$/
      .test(r)), rows.join(' / '));
    assert.ok(rows.some((r) => /^Dagen gewijzigd van „dinsdag” naar „dinsdag, donderdag”/.test(r)));
    assert.ok(rows.some((r) => /^E-mailadres ingevuld: „wandelclub@example\.org”/.test(r)));
    assert.ok(rows.some((r) => /^Bevestigd als actueel/.test(r) && /door wandelclub/.test(r)));
    await checkBoth(club, 'organisatie-dienst-geschiedenis');
  });

  await t.test('axe: the provider searches its organisation and claims it (first without a motivation)', async () => {
    await signIn(prov, 'aanbieder');
    await visit(prov, '/organisatie');
    await checkBoth(prov, 'organisatie-aanvragen');
    await prov.getByLabel('Naam van de organisatie').fill('dagbesteding binnenstad');
    await submit(prov, 'Zoeken');
    await prov.getByLabel(/^Stichting Dagbesteding Binnenstad/).check();
    await checkBoth(prov, 'organisatie-aanvragen-gevonden');
    await prov.locator('form[action="/organisatie/aanvraag"]').evaluate((f) => { f.noValidate = true; });
    await submit(prov, 'Aanvraag versturen', 400);
    await prov.getByRole('alert').waitFor({ timeout: 2000 });
    assert.match(await prov.getByRole('alert').textContent(), /Toelichting: Schrijf waarom u namens deze organisatie spreekt/);
    assert.equal(await prov.getByLabel(/^Stichting Dagbesteding Binnenstad/).isChecked(), true, 'the choice is kept');
    await checkBoth(prov, 'organisatie-aanvragen-fout');
    await prov.getByLabel('Waarom spreekt u namens deze organisatie?').fill('Ik coördineer de inloop namens de stichting.');
    await submit(prov, 'Aanvraag versturen');
    await prov.getByText(/wacht op goedkeuring door de gemeente/).waitFor({ timeout: 2000 });
    await checkBoth(prov, 'organisatie-aanvraag-verstuurd');
  });

  await t.test('axe: kaartbeheer refuses without a reason (an error), then approves the claim', async () => {
    await signIn(map, 'beleid');
    await visit(map, '/kaartbeheer');
    const claim = map.locator('article', { hasText: 'Stichting Dagbesteding Binnenstad' });
    await claim.waitFor({ timeout: 2000 });
    assert.match(await claim.textContent(), /Ik coördineer de inloop/);
    await checkBoth(map, 'kaartbeheer');
    await submit(map, claim.getByRole('button', { name: /^Afwijzen/ }), 400);
    await map.getByRole('alert').waitFor({ timeout: 2000 });
    assert.match(await map.getByRole('alert').textContent(), /Reden van de afwijzing: Schrijf de reden/);
    await checkBoth(map, 'kaartbeheer-fout');
    const again = map.locator('article', { hasText: 'Stichting Dagbesteding Binnenstad' });
    await submit(map, again.getByRole('button', { name: /^Goedkeuren/ }));
    assert.match(await map.getByRole('status').textContent(), /De aanvraag is goedgekeurd/);
    await visit(prov, '/organisatie');
    await prov.getByRole('heading', { name: /^Stichting Dagbesteding Binnenstad/, level: 1 }).waitFor({ timeout: 2000 });
  });

  await t.test('axe: kaartbeheer lists all listings and opens one nobody claimed', async () => {
    await visit(map, '/kaartbeheer?staat=alle&zoek=taalcaf%C3%A9');
    await map.getByRole('heading', { name: /\d+ gevonden/ }).waitFor({ timeout: 2000 });
    await checkBoth(map, 'kaartbeheer-alle');
    await visit(map, `/kaartbeheer/diensten/${town}`);
    await map.getByRole('button', { name: /^Nog actueel/ }).waitFor({ timeout: 2000 });
    await checkBoth(map, 'kaartbeheer-dienst');
  });
} catch (e) {
  await t.test('set-up', () => { throw e; });
} finally {
  await finish(t, { browser, server, dir });
}
