// bench/plan-fixture.mjs URL - makes the plan page of demo household 1 the
// size issue 3 benchmarks: 20 actions, 5 assessments, 10+ versions. Signs in
// as teamleider (same team as the household; bench/login.mjs uses
// generalist, and TOTP codes are single-use per account) and adds through
// the normal forms what `kantel demo` did not already create. Prints the
// plan's action and version counts.
import { Client } from '../tests/lib/kantel.mjs';

const url = process.argv[2];
const c = new Client(url);
await c.login('teamleider', 'Kantel-demo-2026!', 'KANTELDEMOKANTELDEMOKANTELDEMO22');
const json = async (path) => (await c.get(path, { headers: { Accept: 'application/json' } })).json();
const fail = (what, res) => { throw new Error(`${what}: HTTP ${res.status}`); };

let { csrf } = await c.form('/huishoudens/1/plan');
let model = await json('/huishoudens/1/plan');
const actions = () => (model.levels || []).reduce((n, l) => n + (l.actions || []).length, 0);
const levels = [1, 2, 3, 4, 5, 6];
for (let i = actions(); i < 20; i++) {
  const res = await c.post('/huishoudens/1/plan/acties', {
    csrf, omschrijving: `Afspraak ${i + 1} voor de benchmark`, trede: String(levels[i % 6]), uitvoerder: '',
    naam_uitvoerder: '', doel: '', uiterlijk: '',
  });
  if (res.status !== 303) fail('adding an action', res);
  await res.arrayBuffer();
  model = await json('/huishoudens/1/plan');
}
const members = await json('/huishoudens/1/metingen');
const person = String(members.selected.person_id);
({ csrf } = await c.form(`/huishoudens/1/metingen/nieuw?persoon=${person}&instrument=zrm`));
const existing = await json(`/huishoudens/1/metingen?persoon=${person}&instrument=zrm`);
const count = JSON.stringify(existing).match(/"instrument":"zrm"/g)?.length ?? 0;
for (let i = count; i < 5; i++) {
  const day = new Date(Date.now() - (60 - i * 10) * 86400000).toISOString().slice(0, 10);
  const res = await c.post('/huishoudens/1/metingen', {
    csrf, persoon: person, instrument: 'zrm', datum: day, toelichting: '',
    financien: String(1 + (i % 5)), huisvesting: '4', sociaal_netwerk: String(2 + (i % 3)),
  });
  if (res.status !== 303) fail('adding an assessment', res);
  await res.arrayBuffer();
}
model = await json('/huishoudens/1/plan');
console.log(`actions=${actions()} versions=${(model.versions || []).length}`);
