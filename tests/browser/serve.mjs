// The classroom view end to end in headless Chromium: load the page, step 10 days, move a
// lever, fork, inject an event in the fork, play, hover a district, export both branches, then
// run each exported scenario with `peacesim run` and check its timeseries.csv against what the
// page showed (the server's CSV byte for byte; the page's own rows to the CSV's six decimals).
// Also uploads a broken scenario and expects its problems with line numbers. Screenshots go to
// OUT/serve*.png.
//
//   node tests/browser/serve.mjs http://127.0.0.1:PORT/ target/release/peacesim OUT
//
// Needs Debian's chromium and playwright-core installed in tests/browser (.ci/run does both).
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [url, bin, out] = process.argv.slice(2);
if (!url || !bin || !out) {
  console.error('usage: node serve.mjs URL PEACESIM_BINARY OUT_DIR');
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });
const origin = new URL(url).origin;
const problems = [];
const check = (ok, what) => { if (!ok) problems.push(what); return ok; };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
page.on('request', (r) => { if (!r.url().startsWith(origin)) problems.push(`request off the server: ${r.url()}`); });

const state = () => page.evaluate(() => window.peacesim.branches.map(b => ({
  id: b.id, name: b.name, tick: b.tick, added: b.added, forkedAt: b.forkedAt, rows: b.rows,
})));
const waitFor = async (f, arg) => {
  try {
    await page.waitForFunction(f, arg, { timeout: 30000 });
  } catch (e) {
    await page.screenshot({ path: path.join(out, 'serve-timeout.png') });
    const s = await page.evaluate(() => JSON.stringify({
      playing: window.peacesim.playing, busy: window.peacesim.busy,
      branches: window.peacesim.branches.map(b => [b.name, b.tick, b.added.length]),
      error: document.getElementById('error').textContent,
    }));
    console.error(`timed out waiting for ${f}; page: ${s}; so far: ${problems.join('; ')}`);
    throw e;
  }
};

await page.goto(url, { waitUntil: 'load' });
await waitFor(() => window.peacesim && window.peacesim.ready);

// 1. Step ten days.
for (let i = 1; i <= 10; i++) {
  await page.click('#step');
  await waitFor(t => window.peacesim.branches[0].tick === t && !window.peacesim.busy, i);
}
check((await state())[0].rows.length === 10, 'ten rows after ten steps');
// Series drawn where they mean something: the baseline has partners and aid teams.
const shown = () => page.evaluate(() => window.peacesim.shown);
let series = await shown();
check(series.trust.includes('between partners') && series.coverage.includes('aid (last 30 days)'),
  'the baseline draws partner trust and aid coverage: ' + JSON.stringify(series));
check(series.stability.length === 7, 'one branch draws stability and its six components');

// 2. A lever: the regional force's posture.
await page.selectOption('[data-partner="regional_force"] select >> nth=1', 'restrained');
await waitFor(() => window.peacesim.branches[0].added.length === 1 && !window.peacesim.busy);
// The lever keeps the chosen value, marked with the day it acts from (it snapped back to the
// value still in force until the next step: a teacher took the click for a failure).
const lever = await page.locator('[data-partner="regional_force"] select').nth(1).inputValue();
check(lever === 'restrained', 'the posture lever shows the chosen value before it acts, not ' + lever);
const note = await page.locator('[data-partner="regional_force"] .pending').first().textContent();
check(/from day 11/.test(note), 'the lever says from which day the change acts: ' + note);

// 3. Fork at day 10, then 4. inject an attack in the fork.
await page.click('#fork');
await waitFor(() => window.peacesim.branches.length === 2 && !window.peacesim.busy);
// Two branches: each chart draws only its headline series per branch.
series = await shown();
check(JSON.stringify(series.stability) === '["stability"]' && !series.coverage.includes('hotspots known'),
  'with a fork only the headline series are drawn: ' + JSON.stringify(series));
await page.selectOption('#ev-kind', 'attack');
await page.selectOption('#ev-district', 'east');
await page.$eval('#ev-amount', (e) => { e.value = '8'; e.dispatchEvent(new Event('input')); });
await page.click('#ev-go');
await waitFor(() => window.peacesim.branches[1].added.length === 2 && !window.peacesim.busy);

// 5. Play both branches to day 60, then pause.
await page.$eval('#speed', (e) => { e.value = '60'; e.dispatchEvent(new Event('input')); });
await page.click('#play');
await waitFor(() => window.peacesim.branches.every(b => b.tick >= 60));
await page.click('#play');
await waitFor(() => !window.peacesim.playing && !window.peacesim.busy);

// 6. Hover the east district of branch B for its details.
await page.evaluate(() => window.scrollTo(0, 0));
const canvas = await page.$('canvas[data-branch="B"]');
const box = await canvas.boundingBox();
await page.mouse.move(box.x + box.width * 0.85, box.y + box.height * 0.5);
await waitFor(() => !document.getElementById('tooltip').hidden);
const tip = await page.$eval('#tooltip', (e) => e.textContent);
check(tip.includes('east') && tip.includes('trust in the mission'), `district tooltip: ${tip}`);
await page.screenshot({ path: path.join(out, 'serve.png'), fullPage: false });
await page.screenshot({ path: path.join(out, 'serve-full.png'), fullPage: true });

// 7. Export each branch and run it with peacesim run.
const branches = await state();
check(branches[1].forkedAt === 10, `fork at day 10 (got ${branches[1].forkedAt})`);
const same = JSON.stringify(branches[0].rows.slice(0, 10)) === JSON.stringify(branches[1].rows.slice(0, 10));
check(same, 'the branches share their first 10 days (exact branch point)');
check(JSON.stringify(branches[0].rows.slice(10)) !== JSON.stringify(branches[1].rows.slice(10)),
  'the attack changed branch B after day 10');
const get = (p) => page.evaluate(async (p) => (await fetch(p)).text(), p);
for (const b of branches) {
  const toml = await get(`/api/sessions/${b.id}/export.toml`);
  const shown = await get(`/api/sessions/${b.id}/timeseries.csv`);
  const file = path.join(out, `branch-${b.name}.toml`);
  fs.writeFileSync(file, toml);
  const runDir = path.join(out, `run-${b.name}`);
  fs.rmSync(runDir, { recursive: true, force: true });
  execFileSync(bin, ['run', file, '--out', runDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [folder] = fs.readdirSync(runDir);
  const ran = fs.readFileSync(path.join(runDir, folder, 'timeseries.csv'), 'utf8');
  const lines = ran.split('\n');
  const shownLines = shown.trimEnd().split('\n');
  check(shownLines.length === b.tick + 1, `branch ${b.name}: the page's CSV has ${b.tick} days`);
  check(lines.slice(0, shownLines.length).join('\n') === shownLines.join('\n'),
    `branch ${b.name}: peacesim run of the export gives the page's timeseries.csv byte for byte`);
  // The rows the page drew, to the CSV's six decimals.
  const header = lines[0].split(',');
  let worst = 0;
  b.rows.forEach((r, i) => {
    const f = lines[i + 1].split(',');
    header.forEach((h, k) => {
      if (h in r && typeof r[h] === 'number') worst = Math.max(worst, Math.abs(Number(f[k]) - r[h]));
    });
  });
  check(worst <= 6e-7, `branch ${b.name}: the page's rows differ from the run by ${worst}`);
  console.log(`branch ${b.name}: ${b.tick} days, ${b.added.length} changes; run of the export matches (largest difference ${worst.toExponential(1)})`);
}

// 8. A broken upload: problems shown with their lines.
await page.setInputFiles('#upload', {
  name: 'broken.toml', mimeType: 'text/plain',
  buffer: Buffer.from('[scenario]\nname = "broken"\nticks = 10\n\n[map]\nwidth = 10\nheight = 10\n\n[[districts]]\nname = "d"\ndensity = 7\n'),
});
await waitFor(() => !document.getElementById('error').hidden);
const err = await page.$eval('#error', (e) => e.textContent);
check(/line \d+, column \d+/.test(err), `upload error names lines: ${err}`);
await page.screenshot({ path: path.join(out, 'serve-error.png') });
// The failed upload left the running branches alone.
check((await state()).length === 2, 'a failed upload keeps the branches');
const consoleErrors = problems.filter(p => p.startsWith('console error') && p.includes('400'));
// The refused upload's 400 is logged by Chromium as a failed resource; it is expected.
for (const e of consoleErrors) problems.splice(problems.indexOf(e), 1);

// 9. A good upload stays in the scenario picker, and Setup restarts it with the seed field (it
// used to load the bundled scenario and drop the upload).
await page.setInputFiles('#upload', {
  name: 'mine.toml', mimeType: 'text/plain',
  buffer: Buffer.from('[scenario]\nname = "mine"\nticks = 10\n\n[map]\nwidth = 10\nheight = 10\n\n[[districts]]\nname = "d"\ndensity = 0.5\n'),
});
await waitFor(() => window.peacesim.info && window.peacesim.info.name === 'mine' && !window.peacesim.busy);
check(await page.locator('#scenario').inputValue() === 'upload:mine.toml', 'the upload is selected in the picker');
await page.fill('#seed', '7');
await page.click('#setup');
await waitFor(() => !window.peacesim.busy && window.peacesim.branches[0].seed === 7);
check(await page.evaluate(() => window.peacesim.info.name) === 'mine', 'Setup restarts the uploaded scenario');
// A world without partners or aid teams draws no partner-trust or aid line.
series = await shown();
check(!series.trust.includes('between partners') && !series.coverage.includes('aid (last 30 days)'),
  'no partner trust or aid line without partners: ' + JSON.stringify(series));

// 10. A partner that left through home politics is not offered "join" (it would leave again
// the next day); its card says why. withdrawal-shock: the regional force's politics at day 120.
await page.selectOption('#scenario', 'withdrawal-shock');
await page.click('#setup');
await waitFor(() => window.peacesim.info && window.peacesim.info.name === 'withdrawal-shock' && !window.peacesim.busy);
await page.$eval('#speed', (e) => { e.value = '60'; e.dispatchEvent(new Event('input')); });
await page.click('#play');
await waitFor(() => window.peacesim.branches[0].tick >= 125);
await page.click('#play');
await waitFor(() => !window.peacesim.playing && !window.peacesim.busy);
const card = page.locator('[data-partner="regional_force"]');
check(/cannot rejoin/.test(await card.textContent()), 'the card says the regional force cannot rejoin');
check(await card.locator('button, select, input').count() === 0,
  'no join button nor any other lever for a partner that left through home politics');
await card.screenshot({ path: path.join(out, 'serve-left.png') });

await browser.close();
if (problems.length) {
  console.error('FAIL classroom view:\n  ' + problems.join('\n  '));
  console.log('browser check: classroom view failed');
  process.exit(1);
}
console.log(`browser check: classroom view ok; screenshots in ${out}`);
