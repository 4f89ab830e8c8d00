// The support staff's web UI in a real browser (Debian's chromium, driven by playwright-core).
//
// Run by browser_test.cc, which starts Pebble and certfleet-hub and passes (environment):
//   HUB_URL       http://127.0.0.1:PORT of the hub (Pebble validates HTTP-01 against it)
//   ADMIN_TOKEN   the hub's bootstrap admin token
//   OUT_DIR       where screenshots go (one per page: dashboard.png, domain-page.png, ...)
//   MANUAL_CHAIN  PEM file: a certificate for manual.browser.test
//   OTHER_KEY     PEM file: a private key that does NOT belong to that certificate
//   CHALLTESTSRV_URL  http://127.0.0.1:PORT of Pebble's DNS (pebble-challtestsrv) management API
//   CHROMIUM      the browser binary (default /usr/bin/chromium)
// Every wait is on a condition with a generous deadline (debug + ASan builds on a loaded
// machine); nothing sleeps for a fixed time. Exit code 0 = every step passed. The pages
// added for issue 17 (customers, machines, tokens, audit, bulk, delete) are in pages_steps.mjs,
// keyboard use and control names in a11y_steps.mjs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { api, adminToken, clickAndLoad, csrfOf, hub, outDir, shot, signIn, step, textOf, wait, watch } from './lib.mjs';
import * as a11y from './a11y_steps.mjs';
import * as attention from './attention_steps.mjs';
import * as layout from './layout_steps.mjs';
import * as pages from './pages_steps.mjs';

const issueTimeout = 180_000;
const goodName = 'shop.browser.test';
const badName = 'bad..name.browser.test';
const manualName = 'manual.browser.test';

async function seed() {
  step('seeding a customer (support expired), 40 machines and a readonly token through the API');
  let r = await api('POST', '/api/v1/customers', { name: 'acme-shop', contact: 'ops@acme.test', support_expires: '2020-01-31' });
  assert.equal(r.status, 201, `create customer: ${r.text}`);
  for (let i = 1; i <= 40; i += 1) {
    r = await api('POST', '/api/v1/machines', { name: `web-${i}`, address: `10.0.0.${i}`, customer: 'acme-shop' });
    assert.equal(r.status, 201, `create machine: ${r.text}`);
  }
  r = await api('POST', '/api/v1/tokens', { name: 'viewer', role: 'readonly' });
  assert.equal(r.status, 201, `create readonly token: ${r.text}`);
  return r.json.secret;
}

async function wrongTokenIsRefused(page) {
  step('sign-in with a wrong token shows an error; the card is a centred card (no inline style)');
  await page.goto(hub + '/ui/login');
  await page.fill('#token', 'cf_not-a-real-token');
  await page.click('button[type=submit]');
  await page.waitForSelector('#sign-in-error', wait);
  assert.match(await textOf(page, '#sign-in-error'), /not valid/);
  const card = await page.locator('.card.sign-in').boundingBox();
  assert.ok(card.width < 600, `the sign-in card must not stretch full width (${card.width}px)`);
  await shot(page, 'sign-in');
}

async function addDomainWithBadName(page) {
  step('add a domain with a bad name: the form shows the API\'s message beside the name');
  await page.goto(hub + '/ui/domains/new');
  await page.fill('#name', badName);
  await page.click('#save-domain');
  await page.waitForSelector('#error-name', wait);
  const shown = await textOf(page, '#error-name');
  const viaApi = await api('POST', '/api/v1/domains', { name: badName });
  assert.equal(viaApi.status, 400, `the API accepted ${badName}: ${viaApi.text}`);
  assert.equal(shown, viaApi.json.error.message, 'the UI and the API must give the same message');
  assert.match(shown, /^Domain name: /, 'the message names the field in the form\'s words');
  assert.equal(await page.inputValue('#name'), badName, 'the typed name must be kept');
}

// Picks `machine` in the searchable picker by typing part of its name.
async function pickMachine(page, machine) {
  await page.fill('#machines-search', machine);
  const option = page.locator(`#machines-option-${machine}`);
  await option.waitFor({ state: 'visible', ...wait });
  await option.locator('input').check();
}

async function addDomain(page, name, issuer, machine) {
  step(`add domain ${name} (issuer ${issuer}) on ${machine}, picked by searching`);
  await page.goto(hub + '/ui/domains/new');
  await page.fill('#name', name);
  await page.selectOption('#customer', 'acme-shop');
  await pickMachine(page, machine);
  await page.selectOption('#issuer', issuer);
  await Promise.all([page.waitForURL(new RegExp(`/ui/domains/${name.replaceAll('.', '\\.')}`), wait), page.click('#save-domain')]);
  assert.equal(await textOf(page, 'h1'), name);
  const stored = await api('GET', `/api/v1/domains/${name}`);
  assert.deepEqual(stored.json.machines, [machine], 'the machine chosen in the picker is the one stored');
}

async function pickerFiltersAThousandWay(page) {
  step('machine picker: typing narrows 40 machines to the matches; the chosen one stays on top');
  await page.goto(hub + '/ui/domains/new');
  await page.fill('#machines-search', 'web-3');
  await page.waitForFunction(() => document.querySelectorAll('#machines label.option:not([hidden])').length === 11, null, wait);
  await page.locator('#machines-option-web-33 input').check();
  await page.fill('#machines-search', 'web-1');
  const visible = await page.locator('#machines label.option:not([hidden])').allTextContents();
  assert.match(visible[0], /web-33/, 'the chosen machine is listed first and stays visible');
  assert.ok(visible.slice(1).every((t) => /web-1/.test(t)), `only matches are shown: ${visible}`);
  assert.equal(await textOf(page, '#machines .picker-count'), '1 chosen');
  await shot(page, 'domain-form-picker');
}

async function issueNowAndWatchValid(page) {
  step('push "Issue / renew now" and watch the domain become valid (Pebble validates HTTP-01 against the hub)');
  await page.click('#issue-now');
  await page.waitForFunction(
    () => document.querySelector('#domain-status')?.textContent.trim() === 'valid',
    null, { timeout: issueTimeout, polling: 250 });
  await page.waitForSelector('#current-certificate', wait);
  const facts = await textOf(page, '#current-certificate');
  assert.match(facts, /shop\.browser\.test/, 'the certificate names the domain');
  assert.match(facts, /Pebble/i, 'the issuer is Pebble');
  assert.match(facts, /[0-9a-f]{64}/, 'the SHA-256 fingerprint is shown');
  assert.match(await textOf(page, '#domain-state'), /deploying/, 'no agent reported it yet: not plain "valid"');
  assert.ok(!(await page.content()).includes('PRIVATE KEY'), 'the page must never show key material');
  await shot(page, 'domain-page');
}

async function manualDomainAwaitsUpload(page) {
  step('a manual domain says it waits for an upload; a mismatched key is refused with the reason');
  assert.equal(await textOf(page, '#domain-state'), 'awaiting upload');
  assert.match(await textOf(page, '#domain-problems'), /not ordered or renewed/);
  await page.click('#upload-certificate');
  await page.waitForSelector('#chain_pem', wait);
  await page.fill('#chain_pem', fs.readFileSync(process.env.MANUAL_CHAIN, 'utf8'));
  await page.fill('#key_pem', fs.readFileSync(process.env.OTHER_KEY, 'utf8'));
  await page.click('#upload-submit');
  await page.waitForSelector('#upload-error', wait);
  assert.match(await textOf(page, '#upload-error'), /private key does not match the certificate/);
  assert.equal(await page.inputValue('#key_pem'), '', 'the key must not be echoed back');
  await shot(page, 'upload-error');
}

async function searchAndSortDomains(page) {
  step('domains table: server-side search swaps the rows; a column header sorts');
  await page.goto(hub + '/ui/domains');
  await page.fill('#search', 'manual');
  await page.waitForFunction(() => {
    const table = document.querySelector('#domain-table');
    return table && table.textContent.includes('manual.browser.test') && !table.textContent.includes('shop.browser.test');
  }, null, wait);
  assert.match(page.url(), /q=manual/, 'the search is in the address bar');
  await page.goto(hub + '/ui/domains');
  await page.click('#domains th a.sort >> text=domain');
  await page.waitForFunction(() => document.querySelector('#domains th[aria-sort]')?.getAttribute('aria-sort') === 'descending', null, wait);
  const names = await page.locator('#domains tbody tr td:nth-child(2)').allTextContents();
  assert.deepEqual(names, [...names].sort().reverse(), `sorted descending: ${names}`);
  await shot(page, 'domains');
}

async function csrfLessPostIsRefused(page) {
  step('a POST without the CSRF token is refused, with the session cookie');
  const before = (await api('GET', `/api/v1/domains/${goodName}`)).json.version;
  const r = await page.request.post(`${hub}/ui/domains/${goodName}/issue`, { form: { x: '1' }, maxRedirects: 0 });
  assert.equal(r.status(), 403, `CSRF-less POST answered ${r.status()}`);
  assert.match(await r.text(), /CSRF/);
  const after = (await api('GET', `/api/v1/domains/${goodName}`)).json.version;
  assert.equal(after, before, 'the refused POST must change nothing');
}

async function signOut(page) {
  step('sign out: the session ends');
  await page.goto(hub + '/ui/');
  await Promise.all([page.waitForURL(/\/ui\/login/, wait), page.click('#sign-out')]);
  await page.goto(hub + '/ui/domains');
  await page.waitForURL(/\/ui\/login/, wait);
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const readonlyToken = await seed();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--no-first-run'],
    headless: true,
    timeout: 60_000,
  });
  const problems = { offSite: [], csp: [], scriptErrors: [] };
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    watch(page, problems);
    await wrongTokenIsRefused(page);
    await signIn(page, adminToken);
    assert.equal(await textOf(page, 'h1'), 'Dashboard');
    await addDomainWithBadName(page);
    await pickerFiltersAThousandWay(page);
    await addDomain(page, goodName, 'pebble', 'web-1');
    await issueNowAndWatchValid(page);
    await addDomain(page, manualName, 'manual', 'web-17');
    await manualDomainAwaitsUpload(page);
    await searchAndSortDomains(page);
    await a11y.keyboardOnly(page);
    await pages.customers(page);
    await pages.machines(page);
    await pages.bulkMove(page);
    await pages.deleteDomain(page);
    await pages.tokens(page);
    await pages.audit(page);
    await pages.dashboard(page);
    await attention.needsAttention(page, { domain: goodName, machine: 'web-1', issueTimeout });
    await pages.csvExport(page);
    await a11y.everyControlIsNamed(page, ['/ui/', '/ui/domains', '/ui/domains/new', `/ui/domains/${goodName}`,
      `/ui/domains/${goodName}/edit`, `/ui/domains/${manualName}/upload`, '/ui/customers', '/ui/customers/new',
      '/ui/customers/acme-shop', '/ui/customers/acme-shop/edit', '/ui/machines', '/ui/machines/new',
      '/ui/machines/web-1', '/ui/machines/web-1/edit', '/ui/audit', '/ui/tokens', '/ui/tokens/new']);
    await layout.phoneWidth(page, { domain: goodName, manualDomain: manualName, machine: 'web-1', customer: 'acme-shop' });
    await csrfLessPostIsRefused(page);
    await pages.readonlySeesNoControls(browser, readonlyToken, problems);
    await signOut(page);
    assert.deepEqual(problems.offSite, [], 'the UI must make no requests outside the hub');
    assert.deepEqual(problems.csp, [], 'the page\'s own CSP must block nothing (no inline styles or scripts)');
    assert.deepEqual(problems.scriptErrors, [], 'no script error on any page');
    step('all steps passed');
  } catch (e) {
    for (const p of browser.contexts().flatMap((c) => c.pages())) {
      await p.screenshot({ path: path.join(outDir, 'failure.png'), fullPage: true }).catch(() => {});
      console.error(`page at failure: ${p.url()}`);
    }
    throw e;
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
