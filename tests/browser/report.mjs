// Loads peacesim report pages in headless Chromium and fails on any console error, any failed
// request (the pages must be self-contained) or any chart/map that does not render; saves a
// full-page screenshot of each page beside it as report.png.
//
//   node tests/browser/report.mjs output/baseline/report.html [more.html …]
//
// Needs Debian's chromium (/usr/bin/chromium, or $CHROMIUM) and playwright-core installed in
// tests/browser (`npm install --no-save playwright-core@1`); .ci/run does both.
import { chromium } from 'playwright-core';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const pages = process.argv.slice(2);
if (pages.length === 0) {
  console.error('usage: node report.mjs PAGE.html...');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
});
let failures = 0;
for (const file of pages) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url().slice(0, 80)}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) {
      problems.push(`network request (the page must be self-contained): ${r.url()}`);
    }
  });
  await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
  const figures = await page.evaluate(() =>
    [...document.querySelectorAll('svg, img')].map((el, i) => {
      const r = el.getBoundingClientRect();
      const broken = el.tagName === 'IMG' && (!el.complete || el.naturalWidth === 0);
      return { i, tag: el.tagName, w: r.width, h: r.height, broken, alt: el.getAttribute('alt') || '' };
    }));
  if (figures.length === 0) problems.push('no chart or map on the page');
  for (const f of figures) {
    if (f.broken || f.w < 10 || f.h < 10) {
      problems.push(`${f.tag} #${f.i} ${f.alt} did not render (${f.w}×${f.h}${f.broken ? ', broken' : ''})`);
    }
  }
  const shot = path.join(path.dirname(file), 'report.png');
  await page.screenshot({ path: shot, fullPage: true });
  if (problems.length) {
    failures += 1;
    console.error(`FAIL ${file}:\n  ${problems.join('\n  ')}`);
  } else {
    console.log(`ok ${file}: ${figures.length} charts and images rendered; screenshot ${shot}`);
  }
  await page.close();
}
await browser.close();
console.log(failures ? `browser check: ${failures} of ${pages.length} pages failed` : `browser check: all ${pages.length} pages ok`);
process.exit(failures ? 1 : 0);
