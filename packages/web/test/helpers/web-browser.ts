// Headless Debian Chromium for the web client tests, a signed-in context on a real server (setup
// done over the API from loopback, so the context holds the administrator's session cookie), and
// the artefact folder for screenshots.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { vi } from 'vitest';

export const WEB_ROOT = fileURLToPath(new URL('../../dist', import.meta.url));
export const ARTEFACTS = fileURLToPath(new URL('../../../../test-output/', import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];
/** Screenshots for docs/screenshots/ are rewritten only when asked: ARGUS_UPDATE_SCREENSHOTS=1. */
export const UPDATE_SCREENSHOTS = process.env['ARGUS_UPDATE_SCREENSHOTS'] === '1';
export const ADMIN = { username: 'admin', password: 'harbour-admin-pw' };

/**
 * Browser tests share two cores with the rest of the suite: a test may take up to a minute and a
 * polled condition up to ten seconds before it counts as failed (normally both take a fraction).
 */
export function patientBrowserTimeouts(): void {
  vi.setConfig({
    testTimeout: 60_000,
    hookTimeout: 90_000,
    expect: { poll: { timeout: 10_000, interval: 50 } },
  });
}

export function requireBuiltClient(): void {
  if (!existsSync(`${WEB_ROOT}/index.html`))
    throw new Error('packages/web/dist is missing: run `npm run build -w @argus/web` first');
  mkdirSync(ARTEFACTS, { recursive: true });
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface SignedIn {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors, for "no errors" assertions. */
  errors: string[];
}

/** First-run setup over the API (the server accepts it from loopback), then a page in that session. */
export async function signedInPage(
  browser: Browser,
  base: string,
  options: {
    timeZone?: string;
    viewport?: { width: number; height: number };
    colorScheme?: 'light' | 'dark';
  } = {},
): Promise<SignedIn> {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const res = await context.request.post(`${base}/api/v1/setup`, {
    data: { serverName: 'Harbour gate', timeZone: options.timeZone ?? 'Europe/Oslo', administrator: ADMIN },
  });
  if (res.status() !== 201) throw new Error(`setup failed: ${res.status()} ${await res.text()}`);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  return { context, page, errors };
}

/** A new browser context logged in as `user` on a server that is already set up. */
export async function loggedInPage(
  browser: Browser,
  base: string,
  user: { username: string; password: string },
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<SignedIn> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, ...options });
  const res = await context.request.post(`${base}/api/v1/auth/login`, { data: user });
  if (res.status() !== 200) throw new Error(`login failed: ${res.status()} ${await res.text()}`);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  return { context, page, errors };
}
