// tests/e2e/istd.mjs - the iStandaarden exchange in a real browser (headless
// Chromium via playwright-core): the provider (demo `aanbieder`, Zorggroep De
// Linde) finds "Berichten iWmo en iJw" on the start page, first sends a file
// with another provider's AGB code through the form (refused: error summary,
// field error, nothing stored), then a valid WMO323 claim, sees the result
// with the granted amount and opens the retour (WMO325) with its finding
// 9321; contract staff (demo `beleid`) open all messages with the answer
// deadlines and counts, filter on "Wacht op antwoord" and open a message.
// axe-core (WCAG 2.1 A and AA) on every page, error state included, each also
// at 360 px wide; screenshots in tests/e2e/screenshots/istd-*.png.
//
//   node tests/e2e/istd.mjs     (binary: $KANTEL_BIN, default build/kantel)

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { atViewport, axeCheck, BIN, finish, launchBrowser, layoutCheck, newPage, PHONE, shot, signIn, submit, visit }
  from '../lib/browser.mjs';
import { suite } from '../lib/harness.mjs';
import { runDemo, sharedDir, sql, startServer } from '../lib/kantel.mjs';

const t = suite('e2e: iStandaarden exchange in the browser');
const dir = mkdtempSync(join(tmpdir(), 'kantel-e2e-istd-'));
const XSD = join(sharedDir(), 'istd');
const XSD_ARGS = existsSync(join(XSD, 'iwmo-3.2', 'WMO323.xsd')) ? ['--istd-xsd-dir', XSD] : [];
let server = null, browser = null;

/** axe and the layout checks at desktop and at 360 px, with screenshots. */
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

/** The test BSN n (bsn_test_number: 9999xxxxx passing the elfproef, ascending). */
function testBsn(n) {
  for (let v = 999900000, seen = 0; v <= 999999999; v++) {
    const d = String(v).split('').map(Number);
    if ((d.slice(0, 8).reduce((s, x, i) => s + (9 - i) * x, 0) - d[8]) % 11 === 0 && seen++ === n) return String(v);
  }
  throw new Error('no test BSN');
}

function monthBack(back) {
  const s = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
  const t0 = new Date(`${s}T00:00:00Z`);
  const iso = (d) => d.toISOString().slice(0, 10);
  return [iso(new Date(Date.UTC(t0.getUTCFullYear(), t0.getUTCMonth() - back, 1))),
    iso(new Date(Date.UTC(t0.getUTCFullYear(), t0.getUTCMonth() - back + 1, 0))), s];
}

/** A WMO323 of `afzender` for Kees Bakker (demo assignment 100001, 3 hours a week at € 64,50). */
function wmo323(ident, afzender, lines) {
  const [pb, pe, today] = monthBack(1);
  let total = 0;
  const prest = lines.map(([ref, back, hours]) => {
    const [b, e] = monthBack(back);
    total += hours * 6450;
    return `<wmo323:Prestatie><wmo323:ProductReferentie><iwmo:ReferentieNummer>${ref}</iwmo:ReferentieNummer></wmo323:ProductReferentie>
<wmo323:ToewijzingNummer>100001</wmo323:ToewijzingNummer><wmo323:ProductCategorie>02</wmo323:ProductCategorie><wmo323:ProductCode>02A01</wmo323:ProductCode>
<wmo323:ProductPeriode><iwmo:Begindatum>${b}</iwmo:Begindatum><iwmo:Einddatum>${e}</iwmo:Einddatum></wmo323:ProductPeriode>
<wmo323:GeleverdVolume>${hours}</wmo323:GeleverdVolume><wmo323:Eenheid>04</wmo323:Eenheid><wmo323:ProductTarief>6450</wmo323:ProductTarief>
<wmo323:IngediendBedrag><iwmo:Bedrag>${hours * 6450}</iwmo:Bedrag><iwmo:DebetCredit>D</iwmo:DebetCredit></wmo323:IngediendBedrag></wmo323:Prestatie>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<wmo323:Bericht xmlns:wmo323="http://www.istandaarden.nl/iwmo/3_2/wmo323/schema" xmlns:iwmo="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema">
<wmo323:Header><wmo323:BerichtCode>484</wmo323:BerichtCode><wmo323:BerichtVersie>3</wmo323:BerichtVersie><wmo323:BerichtSubversie>2</wmo323:BerichtSubversie>
<wmo323:Afzender>${afzender}</wmo323:Afzender><wmo323:Ontvanger>9999</wmo323:Ontvanger>
<wmo323:BerichtIdentificatie><iwmo:Identificatie>${ident}</iwmo:Identificatie><iwmo:Dagtekening>${today}</iwmo:Dagtekening></wmo323:BerichtIdentificatie>
<wmo323:XsdVersie><iwmo:BasisschemaXsdVersie>1.0.0</iwmo:BasisschemaXsdVersie><iwmo:BerichtXsdVersie>1.0.0</iwmo:BerichtXsdVersie></wmo323:XsdVersie></wmo323:Header>
<wmo323:Declaratie><wmo323:DeclaratieNummer>${ident.replace(/[^A-Za-z0-9]/g, '')}</wmo323:DeclaratieNummer>
<wmo323:DeclaratiePeriode><iwmo:Begindatum>${pb}</iwmo:Begindatum><iwmo:Einddatum>${pe}</iwmo:Einddatum></wmo323:DeclaratiePeriode>
<wmo323:DeclaratieDagtekening>${today}</wmo323:DeclaratieDagtekening>
<wmo323:TotaalIngediendBedrag><iwmo:TotaalBedrag>${total}</iwmo:TotaalBedrag><iwmo:DebetCredit>D</iwmo:DebetCredit></wmo323:TotaalIngediendBedrag>
<wmo323:Clienten><wmo323:Client><wmo323:Bsn>${testBsn(3)}</wmo323:Bsn><wmo323:Prestaties>
${prest}
</wmo323:Prestaties></wmo323:Client></wmo323:Clienten></wmo323:Declaratie>
</wmo323:Bericht>
`;
}

const file = (name, text) => ({ name, mimeType: 'text/xml', buffer: Buffer.from(text, 'utf8') });

try {
  await runDemo(BIN, dir, XSD_ARGS);
  server = await startServer({ bin: BIN, dir, args: XSD_ARGS });
  browser = await launchBrowser();
  const prov = await newPage(browser, server.url);
  const staff = await newPage(browser, server.url);
  let detailPath = '';

  await t.test('axe: the provider finds the exchange from the start page; the form and the demo claim', async () => {
    await signIn(prov, 'aanbieder');
    await submit(prov, prov.getByRole('main').getByRole('link', { name: 'Berichten iWmo en iJw' }));
    assert.equal(new URL(prov.url()).pathname, '/aanbieder/berichten');
    await prov.getByRole('heading', { name: 'Berichten uitwisselen', level: 1 }).waitFor({ timeout: 2000 });
    assert.match(await prov.locator('main').textContent(), /Zorggroep De Linde \(AGB-code 12345678\)/);
    await prov.getByRole('row', { name: /DEMO-JW-0001/ }).waitFor({ timeout: 2000 });
    assert.equal(await prov.getByRole('link', { name: 'Berichten iWmo/iJw' }).getAttribute('aria-current'), 'page');
    await checkBoth(prov, 'istd-aanbieder');
  });

  await t.test('axe: a file with another AGB code is refused with an error summary; nothing stored', async () => {
    const before = sql(dir, 'SELECT count(*) FROM istd_message');
    await prov.getByLabel('Bericht (XML-bestand)').setInputFiles(
      file('anker.xml', wmo323('E2E-ANK-1', '87654321', [['E2E-A1', 1, 2]])));
    await submit(prov, 'Bericht insturen', 400);
    const alert = prov.getByRole('alert');
    await alert.waitFor({ timeout: 2000 });
    assert.match(await alert.textContent(), /Het bericht is niet ontvangen/);
    assert.match(await alert.textContent(), /De afzender van het bericht \(87654321\) is niet uw AGB-code \(12345678\)/);
    assert.equal(await prov.getByLabel('Bericht (XML-bestand)').getAttribute('aria-invalid'), 'true');
    // the summary's link leads to the field
    assert.equal(await alert.getByRole('link', { name: 'Bericht (XML-bestand)' }).getAttribute('href'), '#bericht');
    assert.equal(sql(dir, 'SELECT count(*) FROM istd_message'), before);
    await checkBoth(prov, 'istd-aanbieder-fout');
  });

  await t.test('axe: a valid claim is received; the page shows the granted amount', async () => {
    await prov.getByLabel('Bericht (XML-bestand)').setInputFiles(
      file('declaratie.xml', wmo323('E2E-0001', '12345678', [['E2E-P1', 1, 12], ['E2E-P2', 2, 20]])));
    await submit(prov, 'Bericht insturen');
    detailPath = new URL(prov.url()).pathname;
    assert.match(detailPath, /^\/aanbieder\/berichten\/\d+$/);
    assert.match(await prov.locator('#uitkomst').textContent(), /Uw bericht is ontvangen en verwerkt/);
    assert.match(await prov.locator('#toegekend').textContent(), /€ 774,00 \(1 van 2 prestaties toegekend\)/);
    await prov.getByRole('heading', { name: /WMO323 declaratie/, level: 1 }).waitFor({ timeout: 2000 });
    await checkBoth(prov, 'istd-bericht');
  });

  await t.test('axe: the provider opens the retour (WMO325) and reads the finding 9321', async () => {
    await submit(prov, prov.getByRole('link', { name: /^WMO325 declaratie-antwoord K\d+$/ }));
    await prov.getByRole('heading', { name: /WMO325 declaratie-antwoord/, level: 1 }).waitFor({ timeout: 2000 });
    const table = prov.getByRole('table', { name: 'Bevindingen in de retour' });
    const row = table.getByRole('row', { name: /9321/ });
    await row.waitFor({ timeout: 2000 });
    assert.match(await row.textContent(), /Het ingediende volume overschrijdt het toegewezen volume/);
    assert.match(await row.textContent(), /BSN \*{6}\d{3}/);
    assert.ok(!(await prov.locator('main').textContent()).includes(testBsn(3)), 'no full BSN');
    assert.equal(new URL(await prov.getByRole('link', { name: /^WMO323 declaratie E2E-0001$/ }).getAttribute('href'),
      server.url).pathname, detailPath);
    await checkBoth(prov, 'istd-retour');
  });

  await t.test('axe: contract staff see every message with deadlines and counts, filter and open one', async () => {
    await signIn(staff, 'beleid');
    await submit(staff, staff.getByRole('main').getByRole('link', { name: 'Berichten iWmo en iJw' }));
    assert.equal(new URL(staff.url()).pathname, '/berichten');
    await staff.getByRole('columnheader', { name: 'Antwoord uiterlijk' }).waitFor({ timeout: 2000 });
    assert.ok(Number(await staff.locator('#telling-vandaag').textContent()) >= 1, 'received today');
    assert.equal((await staff.locator('#telling-open').textContent()).trim(), '3');
    await checkBoth(staff, 'istd-berichten');
    await staff.getByLabel('Status').selectOption('open');
    await submit(staff, 'Filteren');
    const rows = staff.locator('tbody tr');
    assert.equal(await rows.count(), 3, 'the three 301s wait for their 302');
    for (const r of await rows.all()) assert.match(await r.textContent(), /301 toewijzing/);
    await axeCheck(staff);
    await visit(staff, '/berichten?agb=12ab', 400);
    assert.match(await staff.getByRole('alert').textContent(), /Een AGB-code heeft 8 cijfers/);
    await checkBoth(staff, 'istd-berichten-fout');
    await visit(staff, '/berichten?richting=in&soort=323');
    await submit(staff, staff.getByRole('link', { name: 'WMO323 declaratie' }));
    await staff.getByRole('heading', { name: /WMO323 declaratie/, level: 1 }).waitFor({ timeout: 2000 });
    const main = await staff.locator('main').textContent();
    assert.match(main, /Het ingediende volume overschrijdt het toegewezen volume/);
    assert.ok(!/\*{6}\d{3}/.test(main) && !main.includes(testBsn(3)), 'no BSN for contract staff');
    await checkBoth(staff, 'istd-berichten-detail');
  });
} catch (e) {
  await t.test('set-up', async () => { throw e; });
} finally {
  await finish(t, { browser, server, dir });
}
