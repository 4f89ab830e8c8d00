// The support staff's web UI in a real browser (Debian's chromium, driven by playwright-core).
//
// Run by browser_test.cc, which starts Pebble and certfleet-hub and passes (environment):
//   HUB_URL       http://127.0.0.1:PORT of the hub (Pebble validates HTTP-01 against it)
//   ADMIN_TOKEN   the hub's bootstrap admin token
//   OUT_DIR       where screenshots go (dashboard.png, domain-page.png, ...)
//   MANUAL_CHAIN  PEM file: a certificate for manual.browser.test
//   OTHER_KEY     PEM file: a private key that does NOT belong to that certificate
//   CHROMIUM      the browser binary (default /usr/bin/chromium)
// Every wait is on a condition with a generous deadline (debug + ASan builds on a loaded
// machine); nothing sleeps for a fixed time. Exit code 0 = every step passed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const hub = process.env.HUB_URL;
const adminToken = process.env.ADMIN_TOKEN;
const outDir = process.env.OUT_DIR;
const wait = { timeout: 30_000 };
const issueTimeout = 180_000;
const goodName = 'shop.browser.test';
const badName = 'bad..name.browser.test';
const manualName = 'manual.browser.test';

function step(text) {
  console.log(`[${new Date().toISOString()}] ${text}`);
}

async function api(method, route, body, token = adminToken) {
  const response = await fetch(hub + route, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, json, text };
}

async function seed() {
  step('seeding a customer (support expired), a machine and a readonly token through the API');
  let r = await api('POST', '/api/v1/customers', { name: 'acme-shop', contact: 'ops@acme.test', support_expires: '2020-01-31' });
  assert.equal(r.status, 201, `create customer: ${r.text}`);
  r = await api('POST', '/api/v1/machines', { name: 'web-1', address: '127.0.0.1', customer: 'acme-shop' });
  assert.equal(r.status, 201, `create machine: ${r.text}`);
  r = await api('POST', '/api/v1/tokens', { name: 'viewer', role: 'readonly' });
  assert.equal(r.status, 201, `create readonly token: ${r.text}`);
  return r.json.secret;
}

// Fails the run on any request that leaves the hub (fonts, CDNs...).
function watchRequests(page, offSite) {
  page.on('request', (request) => {
    if (!request.url().startsWith(hub) && !request.url().startsWith('data:')) offSite.push(request.url());
  });
}

async function signIn(page, token) {
  await page.goto(hub + '/ui/');
  await page.waitForURL(/\/ui\/login/, wait);
  await page.fill('#token', token);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/ui/login'), wait), page.click('button[type=submit]')]);
}

async function textOf(page, selector) {
  return (await page.locator(selector).first().textContent(wait)).trim();
}

async function wrongTokenIsRefused(page) {
  step('sign-in with a wrong token shows an error');
  await page.goto(hub + '/ui/login');
  await page.fill('#token', 'cf_not-a-real-token');
  await page.click('button[type=submit]');
  await page.waitForSelector('#sign-in-error', wait);
  assert.match(await textOf(page, '#sign-in-error'), /not valid/);
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
  assert.equal(await page.inputValue('#name'), badName, 'the typed name must be kept');
}

async function addDomain(page, name, issuer) {
  step(`add domain ${name} (issuer ${issuer})`);
  await page.goto(hub + '/ui/domains/new');
  await page.fill('#name', name);
  await page.selectOption('#customer', 'acme-shop');
  await page.check('#machine-web-1');
  await page.selectOption('#issuer', issuer);
  await Promise.all([page.waitForURL(new RegExp(`/ui/domains/${name.replaceAll('.', '\\.')}`), wait), page.click('#save-domain')]);
  assert.equal(await textOf(page, 'h1'), name);
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
  assert.ok(!(await page.content()).includes('PRIVATE KEY'), 'the page must never show key material');
  await page.screenshot({ path: path.join(outDir, 'domain-page.png'), fullPage: true });
}

async function uploadMismatchedKey(page) {
  step('upload a manual certificate with a key that does not match: the form shows why');
  await page.click('#upload-certificate');
  await page.waitForSelector('#chain_pem', wait);
  await page.fill('#chain_pem', fs.readFileSync(process.env.MANUAL_CHAIN, 'utf8'));
  await page.fill('#key_pem', fs.readFileSync(process.env.OTHER_KEY, 'utf8'));
  await page.click('#upload-submit');
  await page.waitForSelector('#upload-error', wait);
  assert.match(await textOf(page, '#upload-error'), /private key does not match the certificate/);
  assert.equal(await page.inputValue('#key_pem'), '', 'the key must not be echoed back');
  await page.screenshot({ path: path.join(outDir, 'upload-error.png'), fullPage: true });
}

async function searchDomains(page) {
  step('domains table: server-side search swaps the rows');
  await page.goto(hub + '/ui/domains');
  await page.fill('#search', 'manual');
  await page.waitForFunction(() => {
    const table = document.querySelector('#domain-table');
    return table && table.textContent.includes('manual.browser.test') && !table.textContent.includes('shop.browser.test');
  }, null, wait);
  assert.match(page.url(), /q=manual/, 'the search is in the address bar');
}

async function dashboard(page) {
  step('dashboard: counts, chart, events; screenshot');
  await page.goto(hub + '/ui/');
  await page.waitForSelector('#expiry-chart svg', wait);
  assert.ok(Number(await textOf(page, '#count-valid b')) >= 1, 'one valid domain is counted');
  await page.screenshot({ path: path.join(outDir, 'dashboard.png'), fullPage: true });
  await page.goto(hub + '/ui/customers');
  await page.waitForSelector('#customers .support-expired', wait);
  await page.goto(hub + '/ui/machines');
  await page.waitForSelector('#machines', wait);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(hub + '/ui/domains');
  await page.screenshot({ path: path.join(outDir, 'domains-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
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

async function readonlySeesNoButtons(browser, readonlyToken, offSite) {
  step('a readonly token sees no buttons and its POSTs are refused');
  const context = await browser.newContext();
  const page = await context.newPage();
  watchRequests(page, offSite);
  await signIn(page, readonlyToken);
  await page.goto(`${hub}/ui/domains/${goodName}`);
  await page.waitForSelector('#domain-details', wait);
  assert.equal(await page.locator('#issue-now, #edit-domain, #upload-certificate').count(), 0);
  await page.goto(`${hub}/ui/domains`);
  assert.equal(await page.locator('#add-domain').count(), 0);
  const csrf = JSON.parse(await page.getAttribute('body', 'hx-headers'))['X-CSRF-Token'];
  const r = await page.request.post(`${hub}/ui/domains/${goodName}/issue`, { form: { csrf_token: csrf }, maxRedirects: 0 });
  assert.equal(r.status(), 403, `readonly POST answered ${r.status()}`);
  await context.close();
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
  const offSite = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    watchRequests(page, offSite);
    await wrongTokenIsRefused(page);
    await signIn(page, adminToken);
    assert.equal(await textOf(page, 'h1'), 'Dashboard');
    await addDomainWithBadName(page);
    await addDomain(page, goodName, 'pebble');
    await issueNowAndWatchValid(page);
    await addDomain(page, manualName, 'manual');
    await uploadMismatchedKey(page);
    await searchDomains(page);
    await dashboard(page);
    await csrfLessPostIsRefused(page);
    await readonlySeesNoButtons(browser, readonlyToken, offSite);
    await signOut(page);
    assert.deepEqual(offSite, [], 'the UI must make no requests outside the hub');
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
