// The signed-in shell in headless Chromium against the real server recording two simulated
// cameras: tabs and hash routes survive a reload, an administrator adds cameras in Settings (one
// with credentials pasted in its URL), the live view lists them with status and lays out the split
// with the right stream per tile, and the recordings timeline shows the real recorded interval.
import { readFileSync } from 'node:fs';
import { startSimulator, type RunningSimulator } from '@argus/simulator';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import {
  ARTEFACTS,
  WEB_ROOT,
  launchBrowser,
  requireBuiltClient,
  signedInPage,
  type SignedIn,
  patientBrowserTimeouts,
} from './helpers/web-browser.js';

patientBrowserTimeouts();
let sim: RunningSimulator;
let t: TestServer;
let browser: Browser;
let s: SignedIn;
let page: Page;
const base = (): string => `https://127.0.0.1:${t.port}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  requireBuiltClient();
  sim = await startSimulator({ cameras: 2, motionSchedule: null });
  t = await startTestServer({ webRoot: WEB_ROOT });
  browser = await launchBrowser();
  s = await signedInPage(browser, base());
  page = s.page;
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await sim?.close();
});

interface ApiCamera {
  id: number;
  name: string;
  mainUrl: string;
  subUrl: string | null;
  hasCredentials: boolean;
  enabled: boolean;
  retentionDays: number;
  recording: { mode: string };
}
const cameras = async (): Promise<ApiCamera[]> =>
  ((await (await s.context.request.get(`${base()}/api/v1/cameras`)).json()) as { cameras: ApiCamera[] })
    .cameras;

describe('signed-in shell', () => {
  it('opens on the live tab and explains that there are no cameras yet', async () => {
    await page.goto(base());
    await page.locator('a.tab[aria-current=page]', { hasText: 'Live view' }).waitFor();
    expect(page.url()).toMatch(/#\/live/);
    await expect.poll(() => page.textContent('.camera-list')).toContain('No cameras yet');
  });

  it('adds cameras in Settings, moving credentials out of a pasted URL', async () => {
    await page.click('a.tab[data-tab=settings]');
    await page.getByRole('heading', { name: 'Cameras' }).waitFor();
    expect(page.url()).toMatch(/#\/settings$/);
    // the server card moved here with the tokens and password cards
    await page.getByRole('heading', { name: 'API tokens for scripts' }).waitFor();
    expect(await page.textContent('main')).toContain(t.server.certificateId);

    const [a, b] = sim.cameras as [(typeof sim.cameras)[0], (typeof sim.cameras)[0]];
    // a mistake first: explained, nothing sent
    await page.fill('input[name=cameraName]', 'Quay north');
    await page.fill('input[name=mainUrl]', a.host);
    await page.click('button:has-text("Add camera")');
    await expect
      .poll(() => page.textContent('#cameras-settings [role=status]'))
      .toContain('must start with rtsp://');
    expect(await cameras()).toHaveLength(0);

    const withCredentials = a.rtsp.sub.replace(
      'rtsp://',
      `rtsp://${a.user}:${encodeURIComponent(a.password)}@`,
    );
    await page.fill('input[name=mainUrl]', withCredentials);
    await page.click('button:has-text("Add camera")');
    await expect
      .poll(() => page.textContent('#cameras-settings [role=status]'))
      .toContain('Quay north added');

    await page.fill('input[name=cameraName]', 'Quay south');
    await page.fill('input[name=mainUrl]', b.rtsp.main);
    await page.fill('input[name=subUrl]', b.rtsp.sub);
    await page.fill('input[name=cameraUser]', b.user);
    await page.fill('input[name=cameraPassword]', b.password);
    await page.fill('input[name=newRetentionDays]', '14');
    await page.click('button:has-text("Add camera")');
    await expect
      .poll(() => page.textContent('#cameras-settings [role=status]'))
      .toContain('Quay south added');

    const list = await cameras();
    expect(
      list.map((c) => [c.name, c.mainUrl, c.subUrl, c.hasCredentials, c.retentionDays, c.recording.mode]),
    ).toEqual([
      ['Quay north', a.rtsp.sub, null, true, 30, 'continuous'],
      ['Quay south', b.rtsp.main, b.rtsp.sub, true, 14, 'continuous'],
    ]);
    // both connect with the credentials given and record
    await expect
      .poll(() => page.locator('#cameras-settings td.status').allTextContents(), { timeout: 30_000 })
      .toEqual(['OnlineREC', 'OnlineREC']);
  });

  it('changes recording method, retention and enabled state from the list', async () => {
    const row = page.locator('#cameras-settings tr', { hasText: 'Quay south' });
    await row.locator('select[name=mode]').selectOption('both');
    await expect.poll(async () => (await cameras())[1]!.recording.mode).toBe('both');
    await row.locator('input[name=retentionDays]').fill('7');
    await row.locator('input[name=retentionDays]').press('Enter');
    await expect.poll(async () => (await cameras())[1]!.retentionDays).toBe(7);
    await page
      .locator('#cameras-settings tr', { hasText: 'Quay south' })
      .locator('input[name=enabled]')
      .uncheck();
    await expect.poll(async () => (await cameras())[1]!.enabled).toBe(false);
    await expect
      .poll(() =>
        page.locator('#cameras-settings tr', { hasText: 'Quay south' }).locator('td.status').textContent(),
      )
      .toBe('Disabled');
    await page
      .locator('#cameras-settings tr', { hasText: 'Quay south' })
      .locator('input[name=enabled]')
      .check();
    await expect.poll(async () => (await cameras())[1]!.enabled).toBe(true);
    await page.screenshot({ path: `${ARTEFACTS}web-settings-tab.png`, fullPage: true });
  });

  it('lists cameras with status in the live view and picks the stream per tile size', async () => {
    await page.click('a.tab[data-tab=live]');
    await expect
      .poll(
        () =>
          page
            .locator('.camera-item')
            .evaluateAll((els) => els.map((e) => `${e.textContent}|${(e as HTMLElement).dataset['state']}`)),
        {
          timeout: 30_000,
        },
      )
      .toEqual(['Quay northOnlineREC|online', 'Quay southOnlineREC|online']);
    // two cameras: a split of four, sub stream where the camera has one
    await expect.poll(() => page.locator('.split').getAttribute('data-layout')).toBe('4');
    const streams = (): Promise<string[]> =>
      page
        .locator('.split .tile[data-camera-id]')
        .evaluateAll((els) =>
          els.map((e) => `${e.getAttribute('data-camera-id')}:${e.getAttribute('data-stream')}`),
        );
    const [north, south] = (await cameras()).map((c) => c.id) as [number, number];
    expect(await streams()).toEqual([`${north}:main`, `${south}:sub`]);
    expect(await page.locator('.split .tile.empty').count()).toBe(2);
    expect(page.url()).toContain(`#/live?layout=4&cams=${north},${south},,`);
    expect(await page.locator(`.tile[data-camera-id="${south}"] .tile-name`).textContent()).toBe(
      'Quay south',
    );
    // a snapshot is saved as a JPEG of the camera's current picture
    await page.locator(`.tile[data-camera-id="${south}"]`).hover();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`button[aria-label="Snapshot of Quay south"]`),
    ]);
    expect(download.suggestedFilename()).toMatch(/^Quay_south-\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.jpg$/);
    const jpeg = readFileSync((await download.path())!);
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);

    // double-click enlarges with the main stream, and back
    await page.locator(`.tile[data-camera-id="${south}"]`).dblclick();
    expect(await streams()).toEqual([`${south}:main`]);
    await page.locator(`.tile[data-camera-id="${south}"]`).dblclick();
    expect(await streams()).toEqual([`${north}:main`, `${south}:sub`]);

    // the split of one keeps the first camera; picking another replaces it
    await page.click('.split-button[data-layout="1"]');
    expect(await streams()).toEqual([`${north}:main`]);
    await page.click(`.camera-item[data-camera-id="${south}"]`);
    expect(await streams()).toEqual([`${south}:main`]);
    // back to four: the other camera fills an empty tile; remove it again
    await page.click('.split-button[data-layout="4"]');
    expect(await streams()).toEqual([`${south}:sub`, `${north}:main`]);
    await page.locator(`.tile[data-camera-id="${north}"]`).hover();
    await page.click(
      `.tile[data-camera-id="${north}"] button[aria-label="Remove Quay north from the split"]`,
    );
    expect(await streams()).toEqual([`${south}:sub`]);
    // an empty tile chosen first receives the next pick
    await page.locator('.split .tile.empty').nth(2).click();
    await page.click(`.camera-item[data-camera-id="${north}"]`);
    expect(
      await page.locator('.split > *').evaluateAll((els) => els.map((e) => e.getAttribute('data-camera-id'))),
    ).toEqual([String(south), null, null, String(north)]);

    // a reload keeps the tab and the split
    await page.reload();
    await expect.poll(streams).toEqual([`${south}:sub`, `${north}:main`]);
    expect(await page.locator('a.tab[aria-current=page]').textContent()).toBe('Live view');
    // leaving the tab closes every tile
    await page.click('a.tab[data-tab=settings]');
    await expect.poll(() => page.locator('video').count()).toBe(0);
  });

  it('shows the real recorded interval on the timeline, its labels in the server time zone, and a range to download', async () => {
    const [north] = (await cameras()).map((c) => c.id) as [number];
    await page.click('a.tab[data-tab=recordings]');
    await expect.poll(() => page.inputValue('select[name=camera]')).toBe(String(north));
    expect(page.url()).toContain(`#/recordings?camera=${north}`);
    // zoom in on the last minutes so the recorded interval spans many pixels
    for (let i = 0; i < 5; i++) await page.click('button[aria-label="Zoom in"]');
    await page.click('button:has-text("Now")');
    await sleep(500); // the timeline of the new window is fetched after a short pause
    await expect
      .poll(() => page.locator('main.recordings').getAttribute('data-recorded-spans'), { timeout: 30_000 })
      .toBe('1');
    const now = Date.now();
    const tl = (await (
      await s.context.request.get(
        `${base()}/api/v1/cameras/${north}/timeline?start=${now - 3_600_000}&end=${now + 60_000}`,
      )
    ).json()) as { recorded: { startMs: number; endMs: number }[] };
    expect(tl.recorded).toHaveLength(1);
    const rec = tl.recorded[0]!;

    const timeline = page.locator('.timeline');
    const box = (await page.locator('.timeline-canvas').boundingBox())!;
    const view = async (): Promise<{ startMs: number; endMs: number }> => ({
      startMs: Number(await timeline.getAttribute('data-start-ms')),
      endMs: Number(await timeline.getAttribute('data-end-ms')),
    });
    const v = await view();
    expect(v.endMs - v.startMs).toBeLessThanOrEqual(10 * 60_000);
    const xOf = (ms: number): number => ((ms - v.startMs) / (v.endMs - v.startMs)) * box.width;
    const msOf = (x: number): number => v.startMs + (x / box.width) * (v.endMs - v.startMs);
    const oslo = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Oslo',
      dateStyle: 'short',
      timeStyle: 'medium',
    });
    const bandY = box.y + 60;
    // the band is drawn in the recorded colour inside the interval and not before it
    const pixel = (x: number): Promise<number[]> =>
      page.evaluate(
        ([px, py]) => {
          const c = document.querySelector<HTMLCanvasElement>('.timeline-canvas')!;
          const dpr = c.width / c.getBoundingClientRect().width;
          return [
            ...c.getContext('2d')!.getImageData(Math.round(px! * dpr), Math.round(py! * dpr), 1, 1).data,
          ];
        },
        [x, 60],
      );
    const midX = Math.round(xOf((rec.startMs + rec.endMs) / 2));
    expect(await pixel(midX)).toEqual([0x25, 0x63, 0xeb, 255]); // --recorded in the light scheme
    const beforeX = Math.round(xOf(rec.startMs) - 20);
    expect(beforeX).toBeGreaterThan(0);
    expect(await pixel(beforeX)).not.toEqual([0x25, 0x63, 0xeb, 255]);
    // pointing shows what is there, with the time in the server's zone (Europe/Oslo)
    await page.mouse.move(box.x + midX, bandY);
    const tip = (await page.textContent('.timeline-tip'))!;
    expect(tip).toMatch(/^Recorded · \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const shown = tip.replace('Recorded · ', '');
    const candidates = [-1000, 0, 1000].map((d) => oslo.format(new Date(msOf(midX) + d)));
    expect(candidates).toContain(shown);
    await page.mouse.move(box.x + beforeX, bandY);
    expect(await page.textContent('.timeline-tip')).toMatch(/^(No footage|Not recorded|Camera|Server)/);

    // shift-drag inside the interval selects a range; the link asks for exactly that range as MP4
    const x0 = Math.round(xOf(rec.startMs) + 10);
    const x1 = Math.round(xOf(rec.endMs) - 10);
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + x0, bandY);
    await page.mouse.down();
    await page.mouse.move(box.x + (x0 + x1) / 2, bandY, { steps: 3 });
    await page.mouse.move(box.x + x1, bandY, { steps: 3 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const link = page.locator('a:has-text("Download MP4")');
    await link.waitFor();
    const href = new URL((await link.getAttribute('href'))!, base());
    expect(href.pathname).toBe(`/api/v1/cameras/${north}/download.mp4`);
    const msPerPx = (v.endMs - v.startMs) / box.width;
    expect(Math.abs(Date.parse(href.searchParams.get('start')!) - msOf(x0))).toBeLessThanOrEqual(msPerPx + 1);
    expect(Math.abs(Date.parse(href.searchParams.get('end')!) - msOf(x1))).toBeLessThanOrEqual(msPerPx + 1);
    expect(await link.getAttribute('download')).toMatch(
      /^Quay_north-\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.mp4$/,
    );
    expect(await page.textContent('.range-text')).toMatch(
      /^Selected \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} – \d{2}:\d{2}:\d{2} \(\d+ s\)$/,
    );
    await page.screenshot({ path: `${ARTEFACTS}web-recordings-tab.png` });

    // the wheel zooms around the pointer: the time under it stays put, the span shrinks
    const pointerX = Math.round(box.width * 0.7);
    const under = msOf(pointerX);
    await page.mouse.move(box.x + pointerX, bandY);
    await page.mouse.wheel(0, -300);
    await expect
      .poll(async () => (await view()).endMs - (await view()).startMs)
      .toBeLessThan((v.endMs - v.startMs) * 0.7);
    const z = await view();
    const underAfter = z.startMs + (pointerX / box.width) * (z.endMs - z.startMs);
    expect(Math.abs(underAfter - under)).toBeLessThanOrEqual(msPerPx);
    // a drag pans: the content follows the pointer
    await page.mouse.move(box.x + 300, bandY);
    await page.mouse.down();
    await page.mouse.move(box.x + 400, bandY, { steps: 5 });
    await page.mouse.up();
    const p = await view();
    const zMsPerPx = (z.endMs - z.startMs) / box.width;
    expect(Math.abs(z.startMs - p.startMs - 100 * zMsPerPx)).toBeLessThanOrEqual(2 * zMsPerPx);

    // a reload keeps the tab and the camera
    await page.reload();
    await expect.poll(() => page.inputValue('select[name=camera]')).toBe(String(north));
    expect(await page.locator('a.tab[aria-current=page]').textContent()).toBe('Recordings');
    expect(s.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
