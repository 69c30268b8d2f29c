// End to end in headless Chromium: the real server's live sockets for four simulated cameras in a
// split of four. Every video's currentTime advances and frames are presented with no media error;
// each picture's burnt-in clock agrees with the wall time of the frame (the fragments' wallMs);
// the latency readout is measured; an enlarged tile switches to the main stream; "Jump to live"
// from recordings opens the camera alone. Screenshot of the tab for test-output/ and the docs.
import { copyFileSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grabPicture, loadReferenceFrames, pictureSecond, secondsApart } from './helpers/picture-clock.js';
import { startArgusSite, type ArgusSite } from './helpers/argus-site.js';
import { ARTEFACTS, SCREENSHOTS, UPDATE_SCREENSHOTS, patientBrowserTimeouts } from './helpers/web-browser.js';

patientBrowserTimeouts();
let site: ArgusSite;
const refs = loadReferenceFrames();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  // motion mode without motion: the cameras stream but do not record (live needs no recording)
  site = await startArgusSite({ cameras: 4, recording: 'motion', viewport: { width: 1200, height: 720 } });
});
afterAll(async () => {
  await site?.close();
});

interface TileProbe {
  stream: string;
  state: string;
  currentTime: number;
  frames: number;
  mseErrors: number;
  latencyMs: number;
  width: number;
}
const probe = (): Promise<TileProbe[]> =>
  site.page.locator('.tile[data-camera-id]').evaluateAll((tiles) =>
    tiles.map((tile) => {
      const v = tile.querySelector('video')!;
      return {
        stream: tile.getAttribute('data-stream')!,
        state: tile.getAttribute('data-state')!,
        currentTime: v.currentTime,
        frames: Number(v.dataset['frames'] ?? 0),
        mseErrors: Number(v.dataset['mseErrors'] ?? 0) + (v.error ? 1 : 0),
        latencyMs: Number(v.dataset['latencyP50Ms'] ?? NaN),
        width: v.videoWidth,
      };
    }),
  );

describe('live view against the real server', () => {
  it('plays four cameras: time advances, frames decode, no media errors, the picture shows the wall clock', async () => {
    const { page } = site;
    await page.goto(`${site.base}/#/live?layout=4&cams=${site.cameraIds.join(',')}`);
    await expect
      .poll(async () => (await probe()).map((p) => p.frames > 25 && p.state === 'playing'), {
        timeout: 30_000,
      })
      .toEqual([true, true, true, true]);
    const first = await probe();
    await sleep(1500);
    const second = await probe();
    for (let i = 0; i < 4; i++) {
      expect(second[i]!.stream).toBe('sub');
      expect(second[i]!.width).toBe(640);
      expect(second[i]!.currentTime - first[i]!.currentTime).toBeGreaterThan(0.8);
      // about 25 frames a second presented (loose: a loaded test machine drops some)
      expect(second[i]!.frames - first[i]!.frames).toBeGreaterThan(15);
      expect(second[i]!.mseErrors).toBe(0);
    }
    // each tile: the second in the picture is the second of the frame's wall time
    for (let i = 0; i < 4; i++) {
      const video = page.locator('.tile video').nth(i);
      const before = Number(await video.getAttribute('data-wall-ms'));
      const picture = pictureSecond(refs, await grabPicture(page, `.tile:nth-child(${i + 1}) video`));
      const after = Number(await video.getAttribute('data-wall-ms'));
      expect(picture.distance).toBeLessThan(0.05); // it is a frame of the clock clip
      expect(picture.margin).toBeGreaterThan(0.01); // and clearly not one a second away
      expect(
        Math.min(
          secondsApart(picture.seconds, (before / 1000) % 60),
          secondsApart(picture.seconds, (after / 1000) % 60),
        ),
      ).toBeLessThan(1);
      // and live means now: that wall time is within two seconds of this host's clock
      expect(Math.abs(Date.now() - after)).toBeLessThan(2000);
    }
    await expect
      .poll(async () => (await probe()).every((p) => p.latencyMs >= 0 && p.latencyMs < 1500))
      .toBe(true);
    const readouts = await page.locator('.tile .latency').allTextContents();
    for (const r of readouts) expect(r).toMatch(/^\d+(\.\d+)? s$/);
    expect(site.errors).toEqual([]);
    await sleep(300);
    await page.screenshot({ path: `${ARTEFACTS}web-live-tab.png` });
    if (UPDATE_SCREENSHOTS) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      copyFileSync(`${ARTEFACTS}web-live-tab.png`, `${SCREENSHOTS}live-view.png`);
    }
  });

  it('an enlarged tile switches to the main stream and back', async () => {
    const { page } = site;
    const id = site.cameraIds[1]!;
    await page.locator(`.tile[data-camera-id="${id}"]`).dblclick();
    await expect
      .poll(async () => (await probe()).map((p) => [p.stream, p.state, p.width]), { timeout: 10_000 })
      .toEqual([['main', 'playing', 1920]]);
    await page.locator(`.tile[data-camera-id="${id}"]`).dblclick();
    await expect
      .poll(async () => (await probe()).map((p) => p.state), { timeout: 10_000 })
      .toEqual(['playing', 'playing', 'playing', 'playing']);
    expect((await probe()).every((p) => p.mseErrors === 0)).toBe(true);
    expect(site.errors).toEqual([]);
  });

  it('records by hand from a tile until stopped, as the server reports', async () => {
    const { page } = site;
    const id = site.cameraIds[2]!;
    const manual = async (): Promise<boolean> =>
      (
        (await (await page.context().request.get(`${site.base}/api/v1/cameras/${id}/status`)).json()) as {
          recording: { manual: boolean };
        }
      ).recording.manual;
    const button = page.locator(`.tile[data-camera-id="${id}"] button.record`);
    expect(await button.textContent()).toBe('Record');
    await button.click();
    await expect.poll(() => button.textContent()).toBe('Stop recording');
    expect(await button.getAttribute('aria-pressed')).toBe('true');
    expect(await manual()).toBe(true);
    await button.click();
    await expect.poll(() => button.textContent()).toBe('Record');
    expect(await manual()).toBe(false);
    expect(site.errors).toEqual([]);
  });
});
