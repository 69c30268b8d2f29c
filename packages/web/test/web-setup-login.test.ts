// The web client in headless Chromium against the real server: first-run setup, the signed-in
// page with the certificate ID, logout, a wrong password in plain words, login, an API token.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';

const WEB_ROOT = fileURLToPath(new URL('../dist', import.meta.url));
const ARTEFACTS = fileURLToPath(new URL('../../../test-output/', import.meta.url));
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

let t: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(`${WEB_ROOT}/index.html`))
    throw new Error('packages/web/dist is missing: run `npm run build` first');
  mkdirSync(ARTEFACTS, { recursive: true });
  t = await startTestServer({ webRoot: WEB_ROOT });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  // The self-signed certificate is accepted here as a user does after comparing the certificate ID.
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  page = await context.newPage();
  page.on('pageerror', (err) => {
    throw err;
  });
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const base = (): string => `https://127.0.0.1:${t.port}`;

describe('web client', () => {
  it('runs first-run setup and shows the server with its certificate ID', async () => {
    await page.goto(base());
    await page.getByRole('heading', { name: 'Set up this server' }).waitFor();
    await page.fill('input[name=serverName]', 'Harbour gate');
    await page.fill('input[name=timeZone]', 'Europe/Oslo');
    await page.fill('input[name=password]', 'harbour-admin-pw');
    await page.fill('input[name=password2]', 'harbour-admin-pw');
    await page.getByRole('button', { name: 'Finish setup' }).click();
    // the signed-in shell opens on the live view; the server card is under Settings
    await page.locator('a.tab[aria-current=page]', { hasText: 'Live view' }).waitFor();
    await page.click('a.tab[data-tab=settings]');
    await page.getByRole('heading', { name: 'Server' }).waitFor();
    const text = await page.textContent('main');
    expect(text).toContain('Harbour gate');
    expect(text).toContain('Europe/Oslo');
    expect(text).toContain(t.server.certificateId);
    await page.screenshot({ path: `${ARTEFACTS}web-server-page.png`, fullPage: true });
  });

  it('logs out, explains a wrong password, logs in, and creates an API token', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    expect(await page.textContent('form')).toContain(t.server.certificateId);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.textContent('[role=alert]')).toContain('The username or password is wrong.');
    await page.screenshot({ path: `${ARTEFACTS}web-login-page.png` });
    await page.fill('input[name=password]', 'harbour-admin-pw');
    await page.getByRole('button', { name: 'Log in' }).click();
    // a reload of the same address after login keeps the tab it was on
    await page.getByRole('heading', { name: 'API tokens for scripts' }).waitFor();
    expect(page.url()).toMatch(/#\/settings$/);
    await page.fill('input[name=tokenName]', 'nightly export');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect
      .poll(() =>
        page.locator('section', { hasText: 'API tokens for scripts' }).locator('.notice').textContent(),
      )
      .toMatch(/argus_[A-Za-z0-9_-]{40,}/);
    expect(
      await page.locator('section', { hasText: 'API tokens for scripts' }).locator('table').textContent(),
    ).toContain('nightly export');
  });
});
