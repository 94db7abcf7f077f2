// tests/e2e/portal.mjs - the resident portal and activation in a real browser
// (headless Chromium via playwright-core). The generalist adds an action to
// the plan of household 1 (a new version) and creates an invitation for a
// member; the invited person activates an account (first with a weak
// password); the resident (inwoner) signs in, reads the plan, agrees to it
// with the button (the acceptance line of issue 3) and fills in Positieve
// Gezondheid (first without any score). axe-core (WCAG 2.1 A and AA) on every
// portal page, the activation form (also with errors), the invalid-link
// page, the done page and the invitation link page.
//
//   node tests/e2e/portal.mjs     (binary: $KANTEL_BIN, default build/kantel)

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { axeCheck, BIN, finish, launchBrowser, newPage, shot, signIn, submit, visit } from '../lib/browser.mjs';
import { suite } from '../lib/harness.mjs';
import { runDemo, startServer } from '../lib/kantel.mjs';

const t = suite('e2e: the resident portal in the browser');
const dir = mkdtempSync(join(tmpdir(), 'kantel-e2e-portal-'));
let server = null, browser = null;

/** Posts a form built in the page (fields plus the page's csrf) and waits for the answer. */
async function postFrom(page, action, fields, status = 200) {
  const [res] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.evaluate(({ action, fields }) => {
      const f = document.createElement('form');
      f.method = 'post';
      f.action = action;
      const all = { csrf: document.querySelector('input[name="csrf"]').value, ...fields };
      for (const [k, v] of Object.entries(all)) {
        const i = document.createElement('input');
        i.type = 'hidden';
        i.name = k;
        i.value = v;
        f.appendChild(i);
      }
      document.body.appendChild(f);
      f.submit();
    }, { action, fields }),
  ]);
  assert.equal(res.status(), status, `POST ${action}: ${res.status()}`);
  return res;
}

try {
  await runDemo(BIN, dir);
  server = await startServer({ bin: BIN, dir });
  browser = await launchBrowser();
  const staff = await newPage(browser, server.url);
  let link = '';

  await t.test('the generalist changes the plan and creates an invitation; the link page passes axe', async () => {
    await signIn(staff, 'generalist');
    await visit(staff, '/huishoudens/1/plan');
    await staff.getByLabel('Wat gebeurt er?').fill('Zus Marieke kookt op woensdag');
    await staff.getByLabel('Trede', { exact: true }).selectOption('2');
    await submit(staff, 'Actie toevoegen');
    const members = await (await staff.context().request.get('/huishoudens/1/plan', { headers: { Accept: 'application/json' } })).json();
    assert.ok(members.current_version >= 2);
    const person = (await (await staff.context().request.get('/huishoudens/1/metingen', { headers: { Accept: 'application/json' } })).json())
      .members.find((m) => /^Lars/.test(m.name));
    assert.ok(person, 'Lars is a member');
    await visit(staff, '/huishoudens/1');
    await postFrom(staff, '/huishoudens/1/uitnodigingen', { persoon: String(person.id) });
    link = await staff.locator('#uitnodiging-link').innerText();
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/activeren\?code=[A-Za-z0-9_-]{40,}$/);
    await axeCheck(staff);
    await shot(staff, 'portal-invite-link');
  });

  await t.test('activation: the form, a weak password (errors), done; an unknown link', async () => {
    const anon = await newPage(browser, server.url);
    await visit(anon, new URL(link).pathname + new URL(link).search);
    await anon.getByRole('heading', { name: 'Account activeren' }).waitFor();
    assert.match(await anon.locator('main').innerText(), /Welkom Lars/);
    await axeCheck(anon);
    await anon.getByLabel('Gebruikersnaam').fill('lars.devries');
    await anon.getByLabel('Wachtwoord', { exact: true }).fill('wachtwoord');
    await anon.getByLabel('Herhaal het wachtwoord').fill('wachtwoord');
    await submit(anon, 'Account maken', 400);
    assert.equal(await anon.getByLabel('Gebruikersnaam').inputValue(), 'lars.devries');
    assert.equal(await anon.getByLabel('Wachtwoord', { exact: true }).getAttribute('aria-invalid'), 'true');
    await axeCheck(anon);
    await shot(anon, 'portal-activate-error');
    await anon.getByLabel('Wachtwoord', { exact: true }).fill('Fiets-Boom-Lamp-42');
    await anon.getByLabel('Herhaal het wachtwoord').fill('Fiets-Boom-Lamp-42');
    await submit(anon, 'Account maken');
    assert.match(await anon.locator('main').innerText(), /Uw account is klaar/);
    await axeCheck(anon);
    await visit(anon, new URL(link).pathname + new URL(link).search, 400);
    assert.match(await anon.locator('main').innerText(), /Deze link werkt niet \(meer\)/);
    await axeCheck(anon);
  });

  const page = await newPage(browser, server.url);
  await t.test('the resident signs in and sees the household overview', async () => {
    await signIn(page, 'inwoner');
    await visit(page, '/mijn');
    assert.match(await page.locator('main').innerText(), /Fatima El Amrani/);
    await axeCheck(page);
    await shot(page, 'portal-overview');
  });

  await t.test('the resident reads the plan and agrees to it (acceptance)', async () => {
    await visit(page, '/mijn/plan');
    assert.match(await page.locator('main').innerText(), /Zus Marieke kookt op woensdag/);
    await axeCheck(page);
    const button = page.getByRole('button', { name: /^Ik ga akkoord met dit plan \(versie \d+\)$/ });
    await submit(page, button);
    assert.match(await page.locator('main').innerText(), /U ging akkoord op \w+ \d+ \w+ 20\d\d/);
    assert.equal(await button.count(), 0, 'no button after agreeing');
    await axeCheck(page);
    await shot(page, 'portal-plan-agreed');
  });

  await t.test('own action with a mistake (only spaces), then a comment', async () => {
    await page.getByLabel('Wat gaat u doen?').fill('   ');
    await submit(page, 'Actie toevoegen', 400);
    assert.equal(await page.getByLabel('Wat gaat u doen?').getAttribute('aria-invalid'), 'true');
    await axeCheck(page);
    await shot(page, 'portal-plan-error');
    await page.getByLabel('Wat gaat u doen?').fill('Ik bel zelf de huisarts');
    await submit(page, 'Actie toevoegen');
    assert.match(await page.locator('main').innerText(), /Ik bel zelf de huisarts/);
    await page.getByLabel('Uw opmerking over het plan').fill('Dank voor het gesprek.');
    await submit(page, 'Opmerking plaatsen');
    assert.match(await page.locator('main').innerText(), /Dank voor het gesprek\./);
    await axeCheck(page);
  });

  await t.test('Positieve Gezondheid: no score first (error), then stored', async () => {
    await visit(page, '/mijn/gezondheid');
    await axeCheck(page);
    await submit(page, 'Antwoorden opslaan', 400);
    await axeCheck(page);
    await shot(page, 'portal-health-error');
    await page.getByLabel('Lichaamsfuncties').selectOption('7');
    await page.getByLabel('Meedoen').selectOption('5');
    await submit(page, 'Antwoorden opslaan');
    assert.match(await page.locator('main').innerText(), /Uw antwoorden zijn opgeslagen/);
    assert.match(await page.locator('main').innerText(), /Meedoen: 5/);
    await axeCheck(page);
  });

  await t.test('inzage and all my data pass axe', async () => {
    await visit(page, '/mijn/inzage');
    assert.match(await page.locator('main').innerText(), /Fatima El Amrani/);
    await axeCheck(page);
    await visit(page, '/mijn/gegevens');
    assert.match(await page.locator('main').innerText(), /AVG, artikel 15/);
    await axeCheck(page);
    await shot(page, 'portal-export');
  });
} finally {
  await finish(t, { browser, server, dir });
}
