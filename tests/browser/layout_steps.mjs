// Phone width (390 × 844, an iPhone 12-14): every page fits the screen without sideways
// scrolling of the page, each table's state column (its badges) is on screen without
// scrolling the table, and a badge never breaks over two lines. One screenshot per page
// (phone-*.png) to look at.
import assert from 'node:assert/strict';

import { hub, shot, step } from './lib.mjs';

const phone = { width: 390, height: 844 };

// What the page looks like at phone width, measured in the browser.
function measure() {
  const width = window.innerWidth;
  const outside = (el) => {
    const r = el.getBoundingClientRect();
    return r.left < -1 || r.right > width + 1;
  };
  const describe = (el) => `${el.className} "${el.textContent.trim()}"`;
  const badges = [...document.querySelectorAll('main .badge')];
  return {
    pageWidth: document.documentElement.scrollWidth,
    width,
    badges: badges.length,
    badgesOffScreen: badges.filter(outside).map(describe),
    badgesWrapped: badges.filter((b) => b.getClientRects().length > 1 || b.getBoundingClientRect().height > 28)
      .map(describe),
    tablesScrolling: [...document.querySelectorAll('main .table-wrap')]
      .filter((w) => w.scrollWidth > w.clientWidth + 1)
      .map((w) => `${w.querySelector('table')?.id}: ${w.scrollWidth} px in ${w.clientWidth} px`),
    headerOffScreen: [...document.querySelectorAll('header a, header button')].filter(outside).map(describe),
  };
}

// `path` at phone width: the checks above; `badgesExpected` when the page must show some.
async function checkPage(page, path, name, { badgesExpected = false, tableMayScroll = [] } = {}) {
  await page.goto(hub + path);
  const m = await page.evaluate(measure);
  await shot(page, `phone-${name}`);
  assert.ok(m.pageWidth <= m.width + 1, `${path}: the page is ${m.pageWidth} px wide on a ${m.width} px phone`);
  assert.deepEqual(m.headerOffScreen, [], `${path}: header links off screen`);
  if (badgesExpected) assert.ok(m.badges > 0, `${path}: no state badge shown`);
  assert.deepEqual(m.badgesOffScreen, [], `${path}: state badges off screen (the table must be scrolled to see them)`);
  assert.deepEqual(m.badgesWrapped, [], `${path}: a state badge breaks over two lines`);
  const scrolling = m.tablesScrolling.filter((t) => !tableMayScroll.some((id) => t.startsWith(`${id}:`)));
  assert.deepEqual(scrolling, [], `${path}: tables wider than the phone`);
}

export async function phoneWidth(page, { domain, manualDomain, machine, customer }) {
  step('phone width (390 px): no page scrolls sideways, state badges on screen and on one line');
  const desktop = page.viewportSize();
  await page.setViewportSize(phone);
  try {
    await checkPage(page, '/ui/', 'dashboard');
    await checkPage(page, '/ui/domains', 'domains', { badgesExpected: true });
    await checkPage(page, `/ui/domains?q=${encodeURIComponent(manualDomain)}`, 'domains-search', { badgesExpected: true });
    await checkPage(page, `/ui/domains/${domain}`, 'domain-page', { badgesExpected: true });
    await checkPage(page, `/ui/domains/${manualDomain}`, 'manual-domain-page', { badgesExpected: true });
    await checkPage(page, '/ui/domains/new', 'domain-form');
    await checkPage(page, '/ui/machines', 'machines');
    await checkPage(page, `/ui/machines/${machine}`, 'machine-page', { badgesExpected: true });
    await checkPage(page, '/ui/customers', 'customers');
    await checkPage(page, `/ui/customers/${customer}`, 'customer-page');
    await checkPage(page, '/ui/audit', 'audit', { tableMayScroll: ['audit'] });
    await checkPage(page, '/ui/tokens', 'tokens');
  } finally {
    await page.setViewportSize(desktop);
  }
}
