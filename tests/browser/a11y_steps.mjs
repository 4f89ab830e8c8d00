// Keyboard and accessibility steps of the browser test: a support person who works with the
// keyboard alone (skip link, visible focus, the machine picker as one Tab stop with arrow
// keys), and every control on every page has a name a screen reader can read out.
import assert from 'node:assert/strict';

import { api, hub, shot, step, wait } from './lib.mjs';

const focusedId = (page) => page.evaluate(() => document.activeElement?.id || '');
const focusedValue = (page) => page.evaluate(() => document.activeElement?.value ?? '');

// Presses Tab until the element with `id` has the focus; fails after `limit` presses.
async function tabTo(page, id, limit) {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    if ((await focusedId(page)) === id) return i + 1;
  }
  assert.fail(`#${id} not reached with ${limit} Tab presses (focus on #${await focusedId(page)})`);
}

export async function keyboardOnly(page) {
  step('keyboard only: Skip to content first, a visible focus ring, a domain added with the picker by keys');
  const name = 'keys.browser.test';
  await page.goto(hub + '/ui/domains/new');
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'skip-to-content', 'the first Tab stop skips the menu');
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(ring, 'none', 'the focused control shows a ring');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => document.activeElement.closest('main') !== null),
    'after the skip link, Tab lands in the page\'s content, not the menu');
  if ((await focusedId(page)) !== 'name') await tabTo(page, 'name', 2);
  await page.keyboard.type(name);
  await tabTo(page, 'machines-search', 3);
  await page.keyboard.type('web-3');
  await page.keyboard.press('ArrowDown');
  const first = await focusedValue(page);
  assert.match(first, /^web-3/, 'Down from the search box enters the list of matches');
  await page.keyboard.press('ArrowDown');
  const picked = await focusedValue(page);
  assert.match(picked, /^web-3/);
  assert.notEqual(picked, first, 'Down moves through the matches');
  await page.keyboard.press('Space');
  assert.equal(await page.locator('#machines .picker-count').textContent(), '1 chosen');
  assert.equal(await focusedValue(page), picked, 'ticking keeps the focus');
  await shot(page, 'keyboard-picker');
  assert.equal(await tabTo(page, 'issuer', 1), 1, 'the machine list is one Tab stop, not 40');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focusedId(page), 'machines-search');
  await page.keyboard.type('web-2');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#machines .picker-count').textContent(), '2 chosen', 'Enter picks the first match');
  await tabTo(page, 'save-domain', 8);
  await Promise.all([page.waitForURL(new RegExp(`/ui/domains/${name.replaceAll('.', '\\.')}`), wait),
                     page.keyboard.press('Enter')]);
  const stored = await api('GET', `/api/v1/domains/${name}`);
  assert.equal(stored.status, 200, stored.text);
  assert.deepEqual([...stored.json.machines].sort(), [picked, 'web-2'].sort(), 'the machines picked by keys are stored');
  assert.equal((await api('DELETE', `/api/v1/domains/${name}`)).status, 204);
}

// Every visible input, select, textarea and button has an accessible name (a <label>,
// aria-label or its text), each page has one <h1> and the page language is set.
export async function everyControlIsNamed(page, urls) {
  step(`every control has a name, one h1 per page (${urls.length} pages)`);
  for (const url of urls) {
    const response = await page.goto(hub + url);
    assert.equal(response.status(), 200, url);
    const found = await page.evaluate(() => {
      const unnamed = [];
      for (const el of document.querySelectorAll('input, select, textarea, button')) {
        if (el.type === 'hidden' || el.closest('[hidden]')) continue;
        const named = el.labels?.length > 0 || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
          || (el.tagName === 'BUTTON' && el.textContent.trim());
        if (!named) unnamed.push(el.outerHTML.slice(0, 100));
      }
      return { unnamed, h1: document.querySelectorAll('h1').length, lang: document.documentElement.lang };
    });
    assert.deepEqual(found.unnamed, [], `controls without a name on ${url}: ${found.unnamed.join(" ")}`);
    assert.equal(found.h1, 1, `one h1 on ${url}`);
    assert.equal(found.lang, 'en', `lang on ${url}`);
  }
}
