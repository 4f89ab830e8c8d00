import { chromium } from 'playwright-core';
import { signIn } from './lib.mjs';
const hub = process.env.HUB_URL;
function measure() {
  const width = window.innerWidth;
  const outside = (el) => { const r = el.getBoundingClientRect(); return r.left < -1 || r.right > width + 1; };
  const describe = (el) => `${el.className} "${el.textContent.trim()}" ${JSON.stringify(el.getBoundingClientRect())}`;
  const badges = [...document.querySelectorAll('main .badge')];
  return { pageWidth: document.documentElement.scrollWidth, width, badges: badges.length,
    badgesOffScreen: badges.filter(outside).map(describe),
    badgesWrapped: badges.filter((b) => b.getClientRects().length > 1 || b.getBoundingClientRect().height > 28).map(describe),
    tablesScrolling: [...document.querySelectorAll('main .table-wrap')].filter((w) => w.scrollWidth > w.clientWidth + 1).map((w) => `${w.querySelector('table')?.id}: ${w.scrollWidth} in ${w.clientWidth}`),
    wide: [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-wrap')).slice(0, 5).map((e) => `${e.tagName}.${e.className}#${e.id} ${Math.round(e.getBoundingClientRect().right)}`),
  };
}
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'], headless: true });
const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
await signIn(page, process.env.ADMIN_TOKEN);
for (const p of (process.env.PAGES || '/ui/').split(' ')) {
  await page.goto(hub + p);
  console.log(p, JSON.stringify(await page.evaluate(measure), null, 1));
  await page.screenshot({ path: `/tmp/uiexp/phone-${p.replace(/[^a-z0-9]/gi, '_')}.png`, fullPage: true });
}
await browser.close();
