// The dashboard's "needs attention" list with real failures, in a support person's words:
// an order the CA failed (its words and the next try), a deployment an agent reported as
// failed (nginx's words, shown as text), and the activity feed saying what happened with
// names, not event types or "machine:web-1" subjects.
import assert from 'node:assert/strict';

import { api, assertNoScriptRan, hub, shot, step, textOf, wait } from './lib.mjs';

const failName = 'fail.browser.test';
const nginxError = 'nginx: [emerg] cannot load certificate "/etc/nginx/certfleet/x.pem" <img src=x onerror="window.__xss=1">';

// Points failName at 127.0.0.2 in Pebble's DNS (challtestsrv): nothing listens there, so
// the CA's HTTP-01 check fails with its own words.
async function failingOrder(issueTimeout) {
  const r = await fetch(`${process.env.CHALLTESTSRV_URL}/add-a`, {
    method: 'POST',
    body: JSON.stringify({ host: failName, addresses: ['127.0.0.2'] }),
  });
  assert.equal(r.status, 200, `challtestsrv add-a: ${r.status}`);
  const created = await api('POST', '/api/v1/domains', { name: failName, issuer: 'pebble', machines: ['web-5'] });
  assert.equal(created.status, 201, created.text);
  const deadline = Date.now() + issueTimeout;
  for (;;) {
    const d = (await api('GET', `/api/v1/domains/${failName}`)).json;
    if (d.status === 'failed') return d;
    assert.ok(Date.now() < deadline, `${failName} did not fail in time: ${JSON.stringify(d)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// An agent token for `machine` reports the current certificate of `domain` as failed.
async function failedDeployment(machine, domain) {
  const token = await api('POST', '/api/v1/tokens', { name: `${machine} agent`, role: 'agent', machine });
  assert.equal(token.status, 201, token.text);
  const desired = await api('GET', '/api/v1/agent/desired', undefined, token.json.secret);
  assert.equal(desired.status, 200, desired.text);
  const cert = desired.json.certificates.find((c) => c.domain === domain);
  assert.ok(cert?.certificate_id, `${machine} is not told to serve ${domain}: ${desired.text}`);
  const report = await api('POST', '/api/v1/agent/deployments',
    { certificate_id: cert.certificate_id, status: 'failed', error: nginxError }, token.json.secret);
  assert.equal(report.status, 201, report.text);
}

function item(page, kind, domain) {
  return page.locator(`ul.attention li[data-kind=${kind}]`, { hasText: domain });
}

export async function needsAttention(page, { domain, machine, issueTimeout }) {
  step('needs attention: a failed order with the CA\'s words and the next try, a failed deployment with nginx\'s words');
  const failed = await failingOrder(issueTimeout);
  assert.ok(failed.last_error, 'the API gives the CA\'s error');
  await failedDeployment(machine, domain);
  await page.goto(hub + '/ui/');
  const order = item(page, 'order_failed', failName);
  assert.equal(await order.count(), 1, 'the failed order is listed on its own line');
  const orderText = (await order.textContent()).replace(/\s+/g, ' ');
  assert.ok(orderText.includes(failed.last_error.slice(0, 60)), `the CA's words are shown: ${orderText}`);
  assert.match(orderText, /next try (in |just now)/, `the next try is said in words: ${orderText}`);
  const deploy = item(page, 'deploy_failed', domain);
  assert.equal(await deploy.count(), 1, 'the failed deployment is listed');
  const deployText = (await deploy.textContent()).replace(/\s+/g, ' ');
  assert.ok(deployText.includes(`${machine} could not deploy it: nginx: [emerg] cannot load certificate`), deployText);
  assert.ok(deployText.includes('<img src=x'), 'nginx\'s words are shown as text');
  await assertNoScriptRan(page);
  const first = await page.locator('ul.attention > li').first().getAttribute('class');
  assert.equal(first, 'tone-bad', 'the worst comes first');
  assert.equal(await page.locator('#count-deploy-failed.tone-bad b').textContent(), '1', 'the tile counts it in red');
  assert.equal(await page.locator('#count-failed.tone-bad b').textContent(), '1');
  await shot(page, 'dashboard-attention');

  step('activity feed: what happened in words, with names and who did it');
  const feed = (await textOf(page, '#activity')).replace(/\s+/g, ' ');
  assert.match(feed, new RegExp(`${machine} could not deploy ${domain.replaceAll('.', '\\.')}`));
  assert.match(feed, /fail\.browser\.test/, 'the failed order is in the feed');
  assert.doesNotMatch(feed, /\b(machine|domain|customer|token):[a-z0-9]/, 'no raw "kind:name" subjects');
  assert.doesNotMatch(feed, /\b[a-z]+\.(created|updated|deleted|reported|issued|status)\b/, 'no raw event types');
}
