// The same client on a phone and for a viewer, against the real server with a simulated camera:
// on a 390 px wide touch screen nothing scrolls sideways, every control is at least 44 px tall and
// the live tile fills the width; the dark scheme is dark; a viewer (live video only, as in the
// manual) sees no Recordings tab and no camera administration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArgusSite, type ArgusSite } from './helpers/argus-site.js';
import {
  ARTEFACTS,
  ADMIN,
  loggedInPage,
  patientBrowserTimeouts,
  type SignedIn,
} from './helpers/web-browser.js';

patientBrowserTimeouts();

let site: ArgusSite;
let phone: SignedIn;
const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  colorScheme: 'dark' as const,
};

beforeAll(async () => {
  site = await startArgusSite({ cameras: 1, recording: 'motion' });
  phone = await loggedInPage(site.browser, site.base, ADMIN, PHONE);
});
afterAll(async () => {
  await site?.close();
});

/** Visible controls smaller than 44 px in either direction (checkboxes excepted: their row is the target). */
const smallTargets = (s: SignedIn): Promise<string[]> =>
  s.page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, a.tab, a.button, input:not([type=checkbox]), select')]
      .filter((el) => el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden')
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.height < 43.5 || r.width < 43.5)
      .map(
        ({ el, r }) =>
          `${el.tagName} "${el.textContent?.trim() || el.getAttribute('aria-label') || el.getAttribute('name')}" ${Math.round(r.width)}x${Math.round(r.height)}`,
      ),
  );
const sidewaysOverflow = (s: SignedIn): Promise<number> =>
  s.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('on a phone', () => {
  it('live view: one column, the tile fills the width, touch-sized controls, dark scheme', async () => {
    const { page } = phone;
    await page.goto(`${site.base}/#/live`);
    await expect.poll(() => page.locator('.tile').getAttribute('data-state')).toBe('playing');
    expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
    expect(await smallTargets(phone)).toEqual([]);
    const tile = (await page.locator('.tile').boundingBox())!;
    expect(tile.width).toBeGreaterThan(360);
    // the tabs take a row of their own, each at least 44 px tall
    const tabs = await page
      .locator('a.tab')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    expect(tabs).toHaveLength(3);
    for (const h of tabs) expect(h).toBeGreaterThanOrEqual(44);
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const [r, g, b] = background.match(/\d+/g)!.map(Number) as [number, number, number];
    expect(r + g + b).toBeLessThan(120); // dark
    await page.screenshot({ path: `${ARTEFACTS}web-phone-live.png` });
  });

  it('recordings and settings fit the width too', async () => {
    const { page } = phone;
    await page.click('a.tab[data-tab=recordings]');
    await page.locator('.timeline-canvas').waitFor();
    expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
    expect(await smallTargets(phone)).toEqual([]);
    expect((await page.locator('.timeline-canvas').boundingBox())!.width).toBeGreaterThan(340);
    await page.screenshot({ path: `${ARTEFACTS}web-phone-recordings.png`, fullPage: true });
    await page.click('a.tab[data-tab=settings]');
    await page.getByRole('heading', { name: 'Cameras' }).waitFor();
    expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
    expect(await smallTargets(phone)).toEqual([]);
    expect(phone.errors).toEqual([]);
  });
});

describe('as a viewer', () => {
  it('has live video and settings, but no recordings and no camera administration', async () => {
    const csrf = (
      (await (await site.context.request.get(`${site.base}/api/v1/auth/session`)).json()) as {
        csrfToken: string;
      }
    ).csrfToken;
    const viewer = { username: 'guard', password: 'night-shift-pw' };
    const created = await site.context.request.post(`${site.base}/api/v1/users`, {
      headers: { 'x-csrf-token': csrf },
      data: { ...viewer, role: 'viewer' },
    });
    expect(created.status(), await created.text()).toBe(201);
    const v = await loggedInPage(site.browser, site.base, viewer);
    await v.page.goto(`${site.base}/#/live`);
    await expect.poll(() => v.page.locator('.tile').getAttribute('data-state')).toBe('playing');
    expect(await v.page.locator('a.tab').allTextContents()).toEqual(['Live view', 'Settings']);
    // no manual recording for a viewer (the manual's privilege is the operator's)
    expect(await v.page.locator('.tile button.record').isHidden()).toBe(true);
    await v.page.goto(`${site.base}/#/recordings`);
    await expect
      .poll(() => v.page.textContent('main'))
      .toContain('Your role does not include recorded video.');
    await v.page.click('a.tab[data-tab=settings]');
    await v.page.getByRole('heading', { name: 'API tokens for scripts' }).waitFor();
    expect(await v.page.locator('#cameras-settings').count()).toBe(0);
    expect(v.errors).toEqual([]);
    await v.context.close();
  });
});
