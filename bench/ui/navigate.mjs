// Times each web UI page in Chromium (Navigation Timing: request start → response end, and
// → load event) for a seeded hub, ROUNDS times per page after one warm-up, and prints a
// markdown table. Uses tests/browser's playwright-core and Debian's chromium.
//   env: HUB_URL, TOKEN, ROUNDS (10), CHROMIUM (/usr/bin/chromium)
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const hub = process.env.HUB_URL;
const rounds = Number(process.env.ROUNDS || 10);

const pages = [
  ['dashboard', '/ui/'],
  ['domains (page 1 of 200)', '/ui/domains'],
  ['domains sorted by expiry', '/ui/domains?sort=expiry'],
  ['domains search "d0999"', '/ui/domains?q=d0999'],
  ['domains search by SAN "www.d0999"', '/ui/domains?q=www.d0999'],
  ['domains of one machine', '/ui/domains?machine=web-0007'],
  ['domains page 150', '/ui/domains?page=150'],
  ['domain page', '/ui/domains/d00042.customer-042.bench.test'],
  ['add domain (1,000-machine picker)', '/ui/domains/new'],
  ['customers', '/ui/customers'],
  ['customer page', '/ui/customers/customer-042'],
  ['machines (1,000)', '/ui/machines'],
  ['machine page', '/ui/machines/web-0042'],
  ['audit log', '/ui/audit'],
  ['tokens', '/ui/tokens'],
];

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run'],
  headless: true,
});
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(hub + '/ui/login');
  await page.fill('#token', process.env.TOKEN);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/ui/login')), page.click('button[type=submit]')]);
  console.log('| page | document p50 | p95 | max | load event p50 | HTML KB |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [name, path] of pages) {
    const doc = [];
    const load = [];
    let kb = 0;
    for (let i = 0; i <= rounds; i += 1) {
      const response = await page.goto(hub + path, { waitUntil: 'load' });
      if (response.status() !== 200) throw new Error(`${path}: HTTP ${response.status()}`);
      const t = await page.evaluate(() => {
        const n = performance.getEntriesByType('navigation')[0];
        return { doc: n.responseEnd - n.requestStart, load: n.loadEventEnd - n.startTime, size: n.transferSize };
      });
      if (i === 0) continue;  // warm-up
      doc.push(t.doc);
      load.push(t.load);
      kb = t.size / 1024;
    }
    doc.sort((a, b) => a - b);
    load.sort((a, b) => a - b);
    console.log(`| ${name} | ${quantile(doc, 0.5).toFixed(1)} ms | ${quantile(doc, 0.95).toFixed(1)} ms | `
      + `${doc[doc.length - 1].toFixed(1)} ms | ${quantile(load, 0.5).toFixed(1)} ms | ${kb.toFixed(0)} |`);
  }
  // The machine picker with every machine: typing a name until only its row shows, then
  // ticking it and saving stores that machine (checked through the API).
  const last = `web-${String(Number(process.env.MACHINES || 1000) - 1).padStart(4, '0')}`;
  await page.goto(hub + '/ui/domains/new', { waitUntil: 'load' });
  const options = await page.locator('#machines label.option').count();
  const t0 = Date.now();
  await page.fill('#machines-search', last);
  await page.waitForFunction(() => document.querySelectorAll('#machines label.option:not([hidden])').length === 1);
  const filterMs = Date.now() - t0;
  await page.locator(`#machines-option-${last} input`).check();
  await page.fill('#name', 'picker.bench.test');
  await page.selectOption('#issuer', 'manual');
  await Promise.all([page.waitForURL(/\/ui\/domains\/picker\.bench\.test/), page.click('#save-domain')]);
  const stored = await (await fetch(`${hub}/api/v1/domains/picker.bench.test`,
    { headers: { Authorization: `Bearer ${process.env.TOKEN}` } })).json();
  if (JSON.stringify(stored.machines) !== JSON.stringify([last])) {
    throw new Error(`the picker stored ${JSON.stringify(stored.machines)}, not ${last}`);
  }
  console.log(`\nMachine picker: ${options} machines; typing "${last}" left its one row in ${filterMs} ms `
    + '(fill → one row visible, incl. the driver\'s round trip); ticking it and saving stored that machine.');
} finally {
  await browser.close();
}
