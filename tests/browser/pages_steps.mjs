// Browser steps for the pages of issue 17: customers, machines, bulk actions, deleting,
// tokens, the audit log, the dashboard's attention list, CSV export and the readonly role.
// Each destructive action is checked to ask first (a confirmation page whose Cancel keeps
// everything), and every new free-text field carries an XSS probe that must show as text.
import assert from 'node:assert/strict';

import { api, assertNoScriptRan, csrfOf, hub, shot, signIn, step, textOf, wait, watch } from './lib.mjs';

const xss = '<img src=x onerror="window.__xss=1">';

async function submit(page, selector, urlPattern) {
  await Promise.all([page.waitForURL(urlPattern, wait), page.click(selector)]);
}

export async function customers(page) {
  step('customers: add one (bad date first: the message sits beside the field), page, edit, delete asks first');
  await page.goto(hub + '/ui/customers');
  await page.click('#add-customer');
  await page.waitForSelector('#customer-form', wait);
  await page.fill('#name', 'Müller Hosting');
  await page.fill('#contact', xss);
  await page.fill('#support_expires', '31.12.2027');
  await page.click('#save-customer');
  await page.waitForSelector('#error-support_expires', wait);
  assert.match(await textOf(page, '#error-support_expires'), /^Support until: use a date like 2027-03-31/);
  assert.equal(await page.inputValue('#contact'), xss, 'typed values are kept');
  await shot(page, 'customer-form-error');
  await page.fill('#support_expires', '2027-12-31');
  await submit(page, '#save-customer', /\/ui\/customers\/M%C3%BCller%20Hosting\?saved=1/);
  assert.equal(await textOf(page, 'h1'), 'Müller Hosting');
  assert.ok((await page.content()).includes('&lt;img src=x'), 'the contact is shown as text');
  await assertNoScriptRan(page);
  await page.goto(hub + '/ui/customers/acme-shop');
  assert.match(await textOf(page, '#customer-machines'), /web-1\b/);
  await shot(page, 'customer-page');
  await page.goto(hub + '/ui/customers');
  await shot(page, 'customers');
  await page.goto(hub + '/ui/customers/M%C3%BCller%20Hosting');
  await page.click('#delete-customer');
  await page.waitForSelector('#confirm', wait);
  await shot(page, 'confirm-delete');
  await submit(page, '#cancel', /\/ui\/customers\/M%C3%BCller/);
  assert.equal((await api('GET', '/api/v1/customers/M%C3%BCller%20Hosting')).status, 200, 'Cancel keeps it');
  await page.click('#delete-customer');
  await submit(page, '#confirm', /\/ui\/customers\?deleted=/);
  assert.equal((await api('GET', '/api/v1/customers/M%C3%BCller%20Hosting')).status, 404, 'Confirm deletes it');
}

export async function machines(page) {
  step('machines: add one with an XSS address, its page; deleting one that hosts domains is refused with the reason');
  await page.goto(hub + '/ui/machines/new');
  await page.fill('#name', 'web-new');
  await page.fill('#address', xss);
  await page.selectOption('#customer', 'acme-shop');
  await submit(page, '#save-machine', /\/ui\/machines\/web-new\?saved=1/);
  assert.ok((await page.content()).includes('&lt;img src=x'), 'the address is shown as text');
  await assertNoScriptRan(page);
  assert.match(await textOf(page, '#agent-last-seen'), /never/);
  await page.goto(hub + '/ui/machines/web-1');
  assert.match(await textOf(page, '#machine-domains'), /shop\.browser\.test/, 'the machine page lists what it serves');
  await shot(page, 'machine-page');
  await page.click('#delete-machine');
  await page.waitForSelector('#confirm', wait);
  await page.click('#confirm');
  await page.waitForSelector('.flash', wait);
  assert.match(await textOf(page, '.flash'), /still hosts/, 'a machine in use is not deleted, and the page says why');
  await page.goto(hub + '/ui/machines');
  await shot(page, 'machines');
}

export async function bulkMove(page) {
  step('bulk: select both domains, move them to web-2 (asks first), and the store has the new machine');
  await page.goto(hub + '/ui/domains');
  await page.check('input[name=selected][value="shop.browser.test"]');
  await page.check('input[name=selected][value="manual.browser.test"]');
  await page.selectOption('#bulk-to', 'web-2');
  await submit(page, '#bulk-move', /\/ui\/domains\/bulk/);
  assert.match(await textOf(page, 'h1'), /Move 2 domains to web-2/);
  assert.deepEqual((await api('GET', '/api/v1/domains/shop.browser.test')).json.machines, ['web-1'], 'nothing moved before the confirmation');
  await page.click('#confirm');
  await page.waitForSelector('#bulk-summary', wait);
  assert.match(await textOf(page, '#bulk-summary'), /2 done/);
  assert.deepEqual((await api('GET', '/api/v1/domains/shop.browser.test')).json.machines, ['web-1', 'web-2']);
  await shot(page, 'bulk-result');
}

export async function deleteDomain(page) {
  step('deleting a domain asks first and says what goes with it');
  assert.equal((await api('POST', '/api/v1/domains', { name: 'gone.browser.test', issuer: 'manual' })).status, 201);
  await page.goto(hub + '/ui/domains/gone.browser.test');
  await page.click('#delete-domain');
  await page.waitForSelector('#confirm', wait);
  assert.match(await textOf(page, '.card.confirm'), /cannot be undone/);
  await page.click('#confirm');
  await page.waitForURL(/\/ui\/domains\?deleted=/, wait);
  assert.equal((await api('GET', '/api/v1/domains/gone.browser.test')).status, 404);
}

export async function tokens(page) {
  step('tokens: an agent token for a machine shows its secret once; revoking asks first');
  await page.goto(hub + '/ui/machines/web-3');
  await page.click('#agent-token');
  await page.waitForSelector('#token-form', wait);
  assert.equal(await page.inputValue('#machine'), 'web-3');
  await page.fill('#name', xss);
  await page.click('#create-token');
  await page.waitForSelector('#token-secret', wait);
  const secret = await textOf(page, '#token-secret');
  assert.match(secret, /^cf_/);
  await assertNoScriptRan(page);
  await shot(page, 'token-created');
  const works = await api('GET', '/api/v1/agent/desired', undefined, secret);
  assert.equal(works.status, 200, `the new agent token works: ${works.text}`);
  await page.goto(hub + '/ui/tokens');
  assert.ok(!(await page.content()).includes(secret), 'the token list never shows a secret');
  await shot(page, 'tokens');
  const row = page.locator('#tokens tr', { hasText: 'web-3' });
  await row.locator('a', { hasText: 'Revoke' }).click();
  await page.waitForSelector('#confirm', wait);
  await page.click('#confirm');
  await page.waitForURL(/\/ui\/tokens\?revoked=/, wait);
  assert.equal((await api('GET', '/api/v1/agent/desired', undefined, secret)).status, 401, 'revoked');
}

export async function audit(page) {
  step('audit log: who changed what, in words, filtered by domain');
  await page.goto(hub + '/ui/audit?domain=shop.browser.test');
  const text = await textOf(page, '#audit');
  assert.match(text, /added domain shop\.browser\.test/);
  assert.ok(!/manual\.browser\.test/.test(text), 'the filter keeps other domains out');
  await shot(page, 'audit');
}

export async function dashboard(page) {
  step('dashboard: needs attention first (the manual domain awaits its upload), coloured tiles, chart, feed');
  await page.goto(hub + '/ui/');
  await page.waitForSelector('#expiry-chart svg', wait);
  assert.match(await textOf(page, 'ul.attention'), /manual\.browser\.test.*waiting for a certificate upload/);
  assert.equal(await page.locator('#count-awaiting.tone-warn').count(), 1, 'the awaiting tile is coloured');
  assert.ok(Number(await textOf(page, '#count-valid b')) >= 1, 'one valid domain is counted');
  assert.match(await textOf(page, '#activity'), /added domain/);
  assert.match(await page.locator('#expiry-chart').innerHTML(), /20\d\d/, 'the chart names the year');
  await shot(page, 'dashboard');
}

export async function csvExport(page) {
  step('CSV export of the current filter');
  const r = await page.request.get(`${hub}/ui/domains.csv?issuer=manual`);
  assert.equal(r.status(), 200);
  assert.match(r.headers()['content-type'], /text\/csv/);
  const lines = (await r.text()).trim().split('\r\n');
  assert.equal(lines[0], 'name,other_names,customer,machines,issuer,status,state,expires,days_left');
  assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]), ['manual.browser.test']);
}

export async function readonlySeesNoControls(browser, readonlyToken, problems) {
  step('a readonly token sees no control that changes anything, and its forced POSTs are refused');
  const context = await browser.newContext();
  const page = await context.newPage();
  watch(page, problems);
  await signIn(page, readonlyToken);
  const controls = '#issue-now, #edit-domain, #delete-domain, #upload-certificate, #add-domain, #add-customer, '
    + '#edit-customer, #delete-customer, #add-machine, #edit-machine, #delete-machine, #agent-token, '
    + 'input[name=selected], #bulk-form';
  for (const url of ['/ui/domains/shop.browser.test', '/ui/domains', '/ui/customers', '/ui/customers/acme-shop',
                     '/ui/machines', '/ui/machines/web-1', '/ui/']) {
    await page.goto(hub + url);
    assert.equal(await page.locator(controls).count(), 0, `readonly sees a control on ${url}`);
  }
  assert.equal(await page.locator('header nav a', { hasText: 'Tokens' }).count(), 0, 'no Tokens entry for readonly');
  assert.equal((await page.goto(hub + '/ui/tokens')).status(), 403);
  await page.goto(hub + '/ui/');
  const csrf = await csrfOf(page);
  for (const [url, form] of [[`/ui/domains/shop.browser.test/issue`, {}],
                             ['/ui/customers/new', { name: 'sneaky' }],
                             ['/ui/machines/web-1/delete', { confirm: 'yes' }],
                             ['/ui/domains/bulk', { action: 'issue', selected: 'shop.browser.test', confirm: 'yes' }],
                             ['/ui/tokens/new', { name: 'x', role: 'admin' }]]) {
    const r = await page.request.post(hub + url, { form: { csrf_token: csrf, ...form }, maxRedirects: 0 });
    assert.equal(r.status(), 403, `readonly POST ${url} answered ${r.status()}`);
  }
  assert.equal((await api('GET', '/api/v1/customers/sneaky')).status, 404, 'the refused POST created nothing');
  await context.close();
}
