// Helpers shared by the browser test steps (ui_flow.mjs, pages_steps.mjs).
import assert from 'node:assert/strict';
import path from 'node:path';

export const hub = process.env.HUB_URL;
export const adminToken = process.env.ADMIN_TOKEN;
export const outDir = process.env.OUT_DIR;
export const wait = { timeout: 30_000 };

export function step(text) {
  console.log(`[${new Date().toISOString()}] ${text}`);
}

export async function api(method, route, body, token = adminToken) {
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

export async function textOf(page, selector) {
  return (await page.locator(selector).first().textContent(wait)).trim();
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
}

// Fails the run on any request that leaves the hub (fonts, CDNs...), and records every
// Content-Security-Policy violation the browser reports (inline styles, inline script).
export function watch(page, problems) {
  page.on('request', (request) => {
    if (!request.url().startsWith(hub) && !request.url().startsWith('data:')) problems.offSite.push(request.url());
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) problems.csp.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.scriptErrors.push(`${page.url()}: ${error.message}`));
}

export async function signIn(page, token) {
  await page.goto(hub + '/ui/');
  await page.waitForURL(/\/ui\/login/, wait);
  await page.fill('#token', token);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/ui/login'), wait), page.click('button[type=submit]')]);
}

// Clicks `selector` and waits for the navigation it starts to settle.
export async function clickAndLoad(page, selector) {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(wait), page.click(selector)]);
}

// The session's CSRF token (htmx sends it as a header; forms carry it as a field).
export async function csrfOf(page) {
  return JSON.parse(await page.getAttribute('body', 'hx-headers'))['X-CSRF-Token'];
}

export function assertNoScriptRan(page) {
  return page.evaluate(() => window.__xss === undefined).then((clean) => assert.ok(clean, `a script from data ran on ${page.url()}`));
}
