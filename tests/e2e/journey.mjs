// tests/e2e/journey.mjs - the acceptance journey of the casework in one
// browser run: a generalist takes a new request for a household through the
// assessment to a plan with actions on several ladder levels, sees its
// deadlines (an overdue one flagged), and the resident agrees to the plan in
// the portal; the generalist then sees the agreement. axe on every page on
// the way. Demo households without history (--no-stages); the resident
// account `inwoner` is Sanne de Vries of household 1.
//
//   node tests/e2e/journey.mjs     (binary: $KANTEL_BIN, default build/kantel)
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { axeCheck, BIN, finish, launchBrowser, newPage, shot, signIn, submit, visit } from '../lib/browser.mjs';
import { suite } from '../lib/harness.mjs';
import { runDemo, startServer } from '../lib/kantel.mjs';

const t = suite('e2e: journey from request to an agreed plan');
const dir = mkdtempSync(join(tmpdir(), 'kantel-e2e-journey-'));

/** A date n days before today in Amsterdam, YYYY-MM-DD. */
function daysAgo(n) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
  return new Date(Date.parse(today + 'T00:00:00Z') - n * 86_400_000).toISOString().slice(0, 10);
}

let server = null, browser = null;
try {
  await runDemo(BIN, dir, ['--no-stages']);
  server = await startServer({ bin: BIN, dir });
  browser = await launchBrowser();
  const gen = await newPage(browser, server.url);
  let version = 0;

  await t.test('the generalist files a request (received 8 weeks ago) for household 1', async () => {
    await signIn(gen, 'generalist');
    await visit(gen, '/huishoudens/1/meldingen/nieuw');
    await gen.getByLabel('Wmo', { exact: true }).check();
    await gen.getByLabel('Hoe kwam de melding binnen?').selectOption('telefoon');
    await gen.getByLabel('Datum van de melding').fill(daysAgo(56));
    await gen.getByLabel('Vraag van de inwoner').fill('Ik krijg de administratie niet meer rond.');
    await submit(gen, 'Melding opslaan');
    assert.equal(new URL(gen.url()).pathname, '/huishoudens/1');
    await axeCheck(gen);
  });

  await t.test('its deadlines show on the household page, the overdue onderzoek flagged', async () => {
    const overdue = gen.locator('.kantel-flag--overdue');
    assert.ok((await overdue.count()) >= 1, 'an overdue flag');
    assert.match((await overdue.first().textContent()).toLowerCase(), /te laat/);
    await visit(gen, '/termijnen');
    assert.ok(await gen.getByText('Huishouden De Vries').first().isVisible(), 'listed on /termijnen');
    await axeCheck(gen);
  });

  await t.test('the generalist records a ZRM assessment for Sanne', async () => {
    await visit(gen, '/huishoudens/1/metingen');
    await submit(gen, gen.getByRole('link', { name: 'Nieuwe meting Zelfredzaamheid voor Sanne de Vries' }).first());
    for (const [domain, value] of [['Financiën', 2], ['Sociaal netwerk', 3]]) {
      const group = gen.getByRole('group', { name: domain, exact: true });
      await group.getByRole('radio', { name: new RegExp(`^${value}\\b`) }).check();
    }
    await axeCheck(gen);
    await submit(gen, 'Meting opslaan');
    await gen.getByRole('status').getByText('De meting is opgeslagen.').waitFor({ timeout: 3000 });
    await axeCheck(gen);
  });

  await t.test('the generalist makes a plan: a goal and actions on ladder levels 1, 2, 3, 4 and 6', async () => {
    await visit(gen, '/huishoudens/1/plan');
    await gen.getByLabel('Levensgebied').selectOption({ label: 'Financiën' });
    await gen.getByLabel('Huidige score').selectOption('2');
    await gen.getByLabel('Doelscore').selectOption('4');
    await gen.getByLabel('Wat wil het huishouden bereiken?').fill('De rekeningen op tijd betalen');
    await submit(gen, 'Doel toevoegen');
    const actions = [
      ['Sanne zet de post elke maandag op een rij', 1, ''],
      ['Lars doet de boodschappen', 2, 'Lars'],
      ['Zus Marieke helpt met de administratie', 3, 'zus Marieke'],
      ['Sanne gaat naar de wandelgroep', 4, 'Buurthuis De Kantel'],
      ['Begeleiding thuis, 2 uur per week', 6, 'Zorggroep De Linde'],
    ];
    for (const [text, level, name] of actions) {
      await gen.getByLabel('Wat gebeurt er?').fill(text);
      await gen.getByLabel('Trede', { exact: true }).selectOption(String(level));
      if (name) await gen.getByLabel(/^Naam van de uitvoerder/).fill(name);
      await submit(gen, 'Actie toevoegen');
      await gen.getByRole('rowheader', { name: text }).waitFor({ timeout: 3000 });
    }
    const res = await gen.request.get('/huishoudens/1/plan', { headers: { Accept: 'application/json' } });
    const model = await res.json();
    version = model.current_version;
    assert.equal(version, 6, 'one version per change');
    assert.equal(model.kantel.percent, 80, '4 of 5 actions on levels 1-4');
    await axeCheck(gen);
    await shot(gen, 'journey-plan');
  });

  await t.test('the resident reads the plan in the portal and agrees to this version', async () => {
    const res = await newPage(browser, server.url);
    await signIn(res, 'inwoner');
    await visit(res, '/mijn/plan');
    await axeCheck(res);
    assert.ok(await res.locator('li', { hasText: /^Zus Marieke helpt met de administratie/ }).first().isVisible(),
      'the network action is in the plan');
    await submit(res, res.getByRole('button', { name: `Ik ga akkoord met dit plan (versie ${version})` }));
    await res.getByText(/U ging akkoord op/).first().waitFor({ timeout: 3000 });
    await axeCheck(res);
    await shot(res, 'journey-akkoord');
  });

  await t.test('the generalist sees the agreement on the plan', async () => {
    const res = await gen.request.get('/huishoudens/1/plan', { headers: { Accept: 'application/json' } });
    const model = await res.json();
    assert.ok(JSON.stringify(model.agreement).includes(`"version":${version}`), `agreement to version ${version}: ${JSON.stringify(model.agreement)}`);
    await visit(gen, '/huishoudens/1/plan');
    await axeCheck(gen);
  });
} catch (e) {
  await t.test('journey set-up', async () => { throw e; });
} finally {
  await finish(t, { browser, server, dir });
}
