// tests/e2e/browser.mjs - Kantel in a real browser (headless Chromium via
// playwright-core): sign-in through the labelled form, axe-core (WCAG 2.1 A
// and AA) on every GET page each role can reach plus the anonymous, error,
// enrolment and recovery-code pages, keyboard access to the skip link, and
// screenshots for a visual check (tests/e2e/screenshots/, git-ignored).
//
//   node tests/e2e/browser.mjs        (binary: $KANTEL_BIN, default build/kantel)
//
// Runs its own demo database and server in a temp dir. Every demo account
// signs in once (one TOTP step each), so the run never waits for a new step.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { axeCheck, BIN, DESKTOP, finish, launchBrowser, layoutCheck, newContext, newPage, passwordStep, PHONE, SECRET, shot, signIn, submit, visit } from '../lib/browser.mjs';
import { suite } from '../lib/harness.mjs';
import { dbTarget, runDemo, startServer, totp } from '../lib/kantel.mjs';

const ROLES = ['inwoner', 'netwerk', 'generalist', 'teamleider', 'beleid', 'aanbieder', 'organisatie', 'beheerder'];
const ADMIN_PAGES = ['/beheer/gebruikers', '/beheer/audit', '/beheer/audit?gebruiker=beheerder'];

const t = suite('e2e: browser and accessibility');
const dir = mkdtempSync(join(tmpdir(), 'kantel-e2e-'));

let server = null, browser = null;
const contexts = {}; // role -> signed-in BrowserContext

function staffUser(name, password) {
  execFileSync(BIN, ['user', 'add', name, '--role', 'generalist', '--name', 'Nieuwe Medewerker',
    '--database', dbTarget(dir), '--key-file', join(dir, 'k.key')], { input: `${password}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
}

// ------------------------------------------------------------------ run

try {
  await runDemo(BIN, dir);
  staffUser('nieuwemedewerker', 'Nieuw-wachtwoord-2026!');
  server = await startServer({ bin: BIN, dir });
  browser = await launchBrowser();

  // 1 + 2: every role signs in through the form and is checked page by page.
  for (const role of ROLES) {
    await t.test(`sign in through the form as ${role}`, async () => {
      const page = await newPage(browser, server.url);
      await signIn(page, role);
      contexts[role] = page.context();
      const h1 = page.getByRole('heading', { level: 1 });
      assert.match((await h1.textContent()).trim(), /^Welkom, \S/);
      await shot(page, `start-${role}`);
    });
    if (!contexts[role]) {
      t.skip(`axe: pages as ${role}`, 'sign-in failed');
      continue;
    }
    const page = contexts[role].pages()[0];
    const paths = ['/', '/account', '/account/wachtwoord', ...(role === 'beheerder' ? ADMIN_PAGES : [])];
    for (const path of paths) {
      await t.test(`axe: ${path} as ${role}`, async () => {
        await visit(page, path);
        await axeCheck(page);
      });
    }
    if (role !== 'beheerder') {
      await t.test(`${role} cannot open /beheer/gebruikers`, async () => {
        await visit(page, '/beheer/gebruikers', 403);
        await axeCheck(page); // the refusal page is a page too
      });
    }
  }

  // Anonymous pages.
  const anonPage = await newPage(browser, server.url);
  await t.test('axe: /inloggen (anonymous)', async () => {
    await visit(anonPage, '/inloggen');
    assert.equal(await anonPage.getByRole('heading', { level: 1 }).textContent(), 'Inloggen');
    await axeCheck(anonPage);
  });
  await t.test('axe: /inloggen with a wrong password', async () => {
    await passwordStep(anonPage, 'onbekend', 'fout-wachtwoord', 401);
    assert.equal(new URL(anonPage.url()).pathname, '/inloggen');
    await anonPage.getByRole('alert').getByText('De gebruikersnaam of het wachtwoord klopt niet.').waitFor({ timeout: 2000 });
    assert.equal(await anonPage.getByLabel('Gebruikersnaam').inputValue(), 'onbekend', 'user name not kept');
    await axeCheck(anonPage);
  });
  await t.test('axe: 404 page', async () => {
    await visit(anonPage, '/bestaat-niet', 404);
    await axeCheck(anonPage);
  });

  // 3: keyboard.
  await t.test('keyboard: first Tab reaches the skip link, Enter moves focus to main#inhoud', async () => {
    await visit(anonPage, '/inloggen');
    await anonPage.keyboard.press('Tab');
    const focused = await anonPage.evaluate(() => {
      const a = document.activeElement;
      const r = a.getBoundingClientRect();
      return { tag: a.tagName, text: a.textContent.trim(), href: a.getAttribute('href'), w: r.width, h: r.height, top: r.top, left: r.left };
    });
    assert.equal(focused.tag, 'A', `first Tab focused ${JSON.stringify(focused)}`);
    assert.equal(focused.text, 'Direct naar de inhoud');
    assert.ok(focused.w > 10 && focused.h > 10 && focused.top >= 0 && focused.left >= 0,
      `focused skip link is not visible on screen: ${JSON.stringify(focused)}`);
    await anonPage.keyboard.press('Enter');
    await anonPage.waitForFunction(() => document.activeElement && document.activeElement.id === 'inhoud', null, { timeout: 2000 });
    assert.equal(await anonPage.evaluate(() => document.activeElement.tagName), 'MAIN');
    await anonPage.keyboard.press('Tab'); // the next Tab continues inside main, at the first field
    assert.equal(await anonPage.evaluate(() => document.activeElement.id), 'gebruikersnaam');
  });
  await anonPage.context().close();

  // The code page, reached with a password only (uses no TOTP step).
  await t.test('axe: /inloggen/code, plain and with a wrong code', async () => {
    const page = await newPage(browser, server.url);
    try {
      await passwordStep(page, 'generalist');
      assert.equal(new URL(page.url()).pathname, '/inloggen/code');
      await axeCheck(page);
      await page.getByLabel('Code', { exact: true }).fill('000000' === totp(SECRET) ? '111111' : '000000');
      await submit(page, 'Inloggen', 401);
      await page.getByRole('alert').waitFor({ timeout: 2000 });
      await axeCheck(page);
    } finally {
      await page.context().close();
    }
  });

  // Enrolment of a staff account created on the command line, then its recovery codes.
  await t.test('axe: /inloggen/instellen and the recovery codes', async () => {
    const page = await newPage(browser, server.url);
    try {
      await passwordStep(page, 'nieuwemedewerker', 'Nieuw-wachtwoord-2026!');
      assert.equal(new URL(page.url()).pathname, '/inloggen/instellen');
      await page.getByRole('img', { name: /QR-code/ }).waitFor({ timeout: 2000 });
      await axeCheck(page);
      await shot(page, 'instellen');
      const secret = (await page.locator('code.kantel-secret').textContent()).replace(/\s+/g, '');
      assert.match(secret, /^[A-Z2-7]{16,}$/, 'secret shown on the enrolment page');
      await page.getByLabel('Code uit de app').fill(totp(secret));
      await submit(page, 'Bevestigen');
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Uw herstelcodes');
      assert.ok((await page.locator('.kantel-codes code').count()) >= 5, 'recovery codes listed');
      await axeCheck(page);
      await shot(page, 'herstelcodes');
    } finally {
      await page.context().close();
    }
  });

  // Forms re-shown with errors (admin).
  const admin = contexts.beheerder?.pages()[0];
  if (admin) {
    await t.test('axe: new-account form re-shown with a too-short password', async () => {
      await visit(admin, '/beheer/gebruikers');
      await admin.getByLabel('Gebruikersnaam').fill('kortwachtwoord');
      await admin.getByLabel('Naam', { exact: true }).fill('Kort Wachtwoord');
      await admin.getByLabel('Rol').selectOption({ index: 2 });
      await admin.getByLabel('Eerste wachtwoord').fill('kort');
      // The browser's own minlength check would stop the form; the server must refuse it too.
      await admin.locator('form.kantel-form').evaluate((f) => { f.noValidate = true; });
      await submit(admin, 'Account aanmaken', 400);
      await admin.getByRole('alert').waitFor({ timeout: 2000 });
      await admin.getByRole('alert').getByText(/minstens 8 tekens/).waitFor({ timeout: 2000 });
      assert.equal(await admin.getByLabel('Gebruikersnaam').inputValue(), 'kortwachtwoord', 'entered value kept');
      await axeCheck(admin);
    });
    await t.test('axe: new-account form re-shown with an invalid user name (field error at the field)', async () => {
      await visit(admin, '/beheer/gebruikers');
      await admin.getByLabel('Gebruikersnaam').fill('Geen Geldige Naam!');
      await admin.getByLabel('Naam', { exact: true }).fill('Iemand');
      await admin.getByLabel('Eerste wachtwoord').fill('Lang-genoeg-wachtwoord-2026');
      await submit(admin, 'Account aanmaken', 400);
      await admin.getByRole('alert').getByRole('link', { name: 'Gebruikersnaam' }).waitFor({ timeout: 2000 });
      const field = admin.getByLabel('Gebruikersnaam');
      assert.equal(await field.getAttribute('aria-invalid'), 'true', 'invalid field has aria-invalid');
      const described = await field.evaluate((e) => e.getAttribute('aria-describedby').split(' ').map((id) => document.getElementById(id)?.textContent ?? `(missing #${id})`).join(' | '));
      assert.match(described, /Kleine letters/, 'description still linked');
      assert.match(described, /\S/, 'error message linked');
      assert.equal(await admin.locator('#gebruikersnaam-fout').count(), 1, 'inline error message shown');
      assert.equal(await admin.getByLabel('Naam', { exact: true }).getAttribute('aria-invalid'), null, 'valid field not marked');
      // the error-summary link moves focus to the field
      await admin.getByRole('alert').getByRole('link', { name: 'Gebruikersnaam' }).click();
      assert.equal(await admin.evaluate(() => document.activeElement.id), 'gebruikersnaam');
      await axeCheck(admin);
      await shot(admin, 'gebruikers-fout'); // from the top: the page was scrolled to the field
    });
    await t.test('axe: audit filter re-shown with a wrong date', async () => {
      await visit(admin, '/beheer/audit?van=gisteren', 400);
      await admin.getByRole('alert').getByRole('link', { name: 'Vanaf' }).waitFor({ timeout: 2000 });
      assert.equal(await admin.getByLabel(/^Vanaf/).getAttribute('aria-invalid'), 'true');
      assert.equal(await admin.getByLabel(/^Tot en met/).getAttribute('aria-invalid'), null);
      await axeCheck(admin);
    });
    await t.test('axe itself: a planted violation is reported', async () => {
      await visit(admin, '/');
      await admin.evaluate(() => {
        const img = document.createElement('img');
        img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
        document.querySelector('main').append(img);
      });
      await assert.rejects(axeCheck(admin), /image-alt/);
    });
  } else {
    t.skip('axe: forms re-shown with errors', 'beheerder did not sign in');
  }

  // 4: screenshots with the real CSP, at desktop and phone width.
  await t.test('visual: /inloggen, start page, /beheer/gebruikers, /beheer/audit at 1280 and 360 px (real CSP): no errors, no sideways scroll, no overlap, one typeface', async () => {
    assert.ok(contexts.beheerder, 'beheerder did not sign in');
    const state = await contexts.beheerder.storageState();
    for (const [label, viewport] of [['', DESKTOP], ['-smal', PHONE]]) {
      const anonCtx = await newContext(browser, server.url, { viewport });
      const adminCtx = await newContext(browser, server.url, { viewport, storageState: state });
      try {
        const problems = [];
        const favicon = (url) => new URL(url).pathname === '/favicon.ico'; // browser's own probe; no icon is served
        for (const ctx of [anonCtx, adminCtx]) {
          ctx.on('console', (msg) => { if (msg.type() === 'error' && !favicon(msg.location().url || server.url)) problems.push(msg.text()); });
          ctx.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
          ctx.on('response', (r) => { if (r.status() >= 400 && !favicon(r.url())) problems.push(`${r.status()} ${r.url()}`); });
        }
        const shots = [[anonCtx, '/inloggen', 'inloggen'], [adminCtx, '/', 'start'],
          [adminCtx, '/beheer/gebruikers', 'gebruikers'], [adminCtx, '/beheer/audit', 'audit']];
        for (const [ctx, path, name] of shots) {
          const page = await ctx.newPage();
          await visit(page, path);
          const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
          assert.doesNotMatch(font, /Times|^serif$/, `theme font not applied on ${path}: ${font}`);
          await layoutCheck(page);
          await shot(page, `${name}${label}`);
          if (label) await axeCheck(page); // narrow: wide tables scroll in a keyboard-reachable region
          await page.close();
        }
        assert.deepEqual(problems, [], 'console errors or failed requests (CSP?)');
      } finally {
        await anonCtx.close();
        await adminCtx.close();
      }
    }
  });
} catch (e) {
  await t.test('set-up', () => { throw e; });
} finally {
  await finish(t, { browser, server, dir });
}
