// End to end in headless Chromium: the real server records a simulated camera; the recordings tab
// plays from a clicked time over the playback socket and downloads a selected range.
// What is verified about time, exactly:
//  1. the socket asks for the clicked instant (start = the time under the pointer, within a pixel);
//  2. the server's `position` says playback begins at that instant (startWallMs + skipSeconds);
//  3. the first time the page shows is that instant within one second (it is computed from the
//     fragments' wallMs plus the video's currentTime, not copied from the request);
//  4. the picture's burnt-in clock (the simulator draws the wall-clock second into every frame)
//     shows the same second as the displayed time, within one second, at several moments;
//  5. at 2x the displayed time advances about twice as fast as the wall clock; paused it stands,
//     and then picture and displayed time agree within 0.2 s (the digits show tenths; a tenth
//     spans up to three 40 ms frames).
// The downloaded range is checked with ffprobe (H.264, the selected duration within a GOP) and
// decoded by ffmpeg without an error.
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import type { WebSocket as PwWebSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArgusSite, type ArgusSite } from './helpers/argus-site.js';
import { decodeErrors, probeFile } from './helpers/ffprobe.js';
import { grabPicture, loadReferenceFrames, pictureSecond, secondsApart } from './helpers/picture-clock.js';
import { ARTEFACTS, SCREENSHOTS, UPDATE_SCREENSHOTS, patientBrowserTimeouts } from './helpers/web-browser.js';

patientBrowserTimeouts();
let site: ArgusSite;
const refs = loadReferenceFrames();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let rec: { startMs: number; endMs: number };

async function recorded(): Promise<{ startMs: number; endMs: number } | undefined> {
  const now = Date.now();
  const res = await site.context.request.get(
    `${site.base}/api/v1/cameras/${site.cameraIds[0]}/timeline?start=${now - 600_000}&end=${now + 60_000}&resolutionMs=100`,
  );
  return ((await res.json()) as { recorded: { startMs: number; endMs: number }[] }).recorded[0];
}

beforeAll(async () => {
  site = await startArgusSite({
    cameras: 1,
    recording: 'both',
    motionEvents: true,
    viewport: { width: 1200, height: 760 },
  });
  // about three seconds of motion in the middle of the recording, for the timeline
  const motion = site.sim.control.camera(site.sim.cameras[0]!.name);
  const waitRecorded = async (ms: number): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      const r = await recorded();
      if (r && r.endMs - r.startMs >= ms) return;
      await sleep(250);
    }
  };
  await waitRecorded(4000);
  motion.setMotion(true);
  await sleep(3000);
  motion.setMotion(false);
  await waitRecorded(11_000);
  rec = (await recorded())!;
}, 60_000);
afterAll(async () => {
  await site?.close();
});

const clockMs = async (): Promise<number> =>
  Number(await site.page.locator('.played-time').getAttribute('data-wall-ms'));

describe('recordings against the real server', () => {
  it('plays from the clicked time: request, server position, displayed time and picture agree', async () => {
    const { page } = site;
    expect(rec.endMs - rec.startMs).toBeGreaterThanOrEqual(10_000);
    const frames: Record<string, unknown>[] = [];
    let playbackUrl = '';
    page.on('websocket', (ws: PwWebSocket) => {
      if (!ws.url().includes('/playback')) return;
      playbackUrl = ws.url();
      ws.on('framereceived', (f) => {
        if (typeof f.payload === 'string') frames.push(JSON.parse(f.payload) as Record<string, unknown>);
      });
    });
    await page.goto(`${site.base}/#/recordings?camera=${site.cameraIds[0]}`);
    await page.click('button:has-text("1 h")');
    for (let i = 0; i < 5; i++) await page.click('button[aria-label="Zoom in"]');
    await page.click('button:has-text("Now")');
    await sleep(500); // the timeline of the new window is fetched after a short pause
    await expect
      .poll(() => page.locator('main.recordings').getAttribute('data-recorded-spans'), { timeout: 10_000 })
      .toBe('1');
    const tl = page.locator('.timeline');
    const v = {
      startMs: Number(await tl.getAttribute('data-start-ms')),
      endMs: Number(await tl.getAttribute('data-end-ms')),
    };
    const box = (await page.locator('.timeline-canvas').boundingBox())!;
    const msPerPx = (v.endMs - v.startMs) / box.width;
    const x = Math.round(((rec.startMs + 2500 - v.startMs) / (v.endMs - v.startMs)) * box.width);
    const clickedMs = v.startMs + x * msPerPx;
    await page.mouse.click(box.x + x, box.y + 60);

    // 1. the socket asks for the clicked instant
    await expect.poll(() => playbackUrl).not.toBe('');
    const requested = Date.parse(new URL(playbackUrl).searchParams.get('start')!);
    expect(Math.abs(requested - clickedMs)).toBeLessThanOrEqual(msPerPx + 1);
    // 2. the server begins at that instant: keyframe at or before it, plus the skip
    await expect.poll(() => frames.find((f) => f['type'] === 'position'), { timeout: 10_000 }).toBeDefined();
    const position = frames.find((f) => f['type'] === 'position') as {
      startWallMs: number;
      skipSeconds: number;
    };
    expect(position.startWallMs).toBeLessThanOrEqual(requested);
    expect(Math.abs(position.startWallMs + position.skipSeconds * 1000 - requested)).toBeLessThan(50);
    expect(frames.find((f) => f['type'] === 'init')).toMatchObject({ width: 640, height: 360 });
    // 3. the first time shown is the requested one
    await expect
      .poll(() => page.locator('.played-time').getAttribute('data-wall-ms'), { timeout: 10_000 })
      .not.toBeNull();
    const firstShown = await clockMs();
    expect(Math.abs(firstShown - requested)).toBeLessThan(1000);
    // 4. the picture shows the displayed second, now and a little later
    for (let i = 0; i < 3; i++) {
      const before = await clockMs();
      const picture = pictureSecond(refs, await grabPicture(page, '.video-wrap video'));
      const after = await clockMs();
      expect(picture.distance).toBeLessThan(0.05); // it is a frame of the clock clip
      expect(picture.margin).toBeGreaterThan(0.01); // and clearly not one a second away
      expect(
        Math.min(
          secondsApart(picture.seconds, (before / 1000) % 60),
          secondsApart(picture.seconds, (after / 1000) % 60),
        ),
      ).toBeLessThan(1);
      // the text on screen is the same instant in the server's zone (seconds are zone-free)
      const text = (await page.locator('.played-time').textContent())!;
      expect(secondsApart(Number(text.slice(-2)), Math.floor(after / 1000) % 60)).toBeLessThanOrEqual(1);
      await sleep(400);
    }
    // the fragments the server sent carry the wall clock the page shows
    const fragments = frames.filter((f) => f['type'] === 'fragment') as { wallMs: number }[];
    expect(fragments.length).toBeGreaterThanOrEqual(2); // recorded fragments last up to a GOP
    expect(Math.abs(fragments[0]!.wallMs - position.startWallMs)).toBeLessThanOrEqual(5); // ms rounding
    const shown = await clockMs();
    expect(shown).toBeGreaterThanOrEqual(fragments[0]!.wallMs);
    expect(shown).toBeLessThanOrEqual(fragments.at(-1)!.wallMs + 1000);
    expect(Number(await page.locator('.video-wrap video').getAttribute('data-mse-errors'))).toBe(0);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${ARTEFACTS}web-recordings-tab.png` });
    if (UPDATE_SCREENSHOTS) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      copyFileSync(`${ARTEFACTS}web-recordings-tab.png`, `${SCREENSHOTS}recordings.png`);
    }

    // 5. speed and pause
    await page.selectOption('select[name=speed]', '2');
    await sleep(300);
    const t0 = await clockMs();
    const w0 = Date.now();
    await sleep(1600);
    const advanced = ((await clockMs()) - t0) / (Date.now() - w0);
    expect(advanced).toBeGreaterThan(1.4);
    expect(advanced).toBeLessThan(2.6);
    await page.click('button:has-text("Pause")');
    await sleep(400);
    const paused = await clockMs();
    // paused, the picture and the time shown are the same frame: they agree within the clock's resolution
    const still = pictureSecond(refs, await grabPicture(page, '.video-wrap video'));
    expect(secondsApart(still.seconds, (paused / 1000) % 60)).toBeLessThan(0.2);
    await sleep(800);
    expect(Math.abs((await clockMs()) - paused)).toBeLessThan(50); // stands still (the element may settle a frame)
    expect(site.errors).toEqual([]);
  });

  it('draws the motion interval and names it on hover', async () => {
    const { page } = site;
    const now = Date.now();
    const res = await site.context.request.get(
      `${site.base}/api/v1/cameras/${site.cameraIds[0]}/timeline?start=${now - 600_000}&end=${now}&resolutionMs=100`,
    );
    const motion = ((await res.json()) as { motion: { startMs: number; endMs: number }[] }).motion;
    expect(motion).toHaveLength(1);
    const m = motion[0]!;
    expect(m.endMs - m.startMs).toBeGreaterThan(2000);
    expect(m.endMs - m.startMs).toBeLessThan(8000);
    const tl = page.locator('.timeline');
    const v = {
      startMs: Number(await tl.getAttribute('data-start-ms')),
      endMs: Number(await tl.getAttribute('data-end-ms')),
    };
    const box = (await page.locator('.timeline-canvas').boundingBox())!;
    const x = Math.round((((m.startMs + m.endMs) / 2 - v.startMs) / (v.endMs - v.startMs)) * box.width);
    const pixel = (px: number, py: number): Promise<number[]> =>
      page.evaluate(
        ([a, b]) => {
          const c = document.querySelector<HTMLCanvasElement>('.timeline-canvas')!;
          const dpr = c.width / c.getBoundingClientRect().width;
          return [...c.getContext('2d')!.getImageData(Math.round(a! * dpr), Math.round(b! * dpr), 1, 1).data];
        },
        [px, py],
      );
    // motion is the orange strip on top of the recorded band; below it the band stays blue
    expect(await pixel(x, 32)).toEqual([0xf5, 0x9e, 0x0b, 255]);
    expect(await pixel(x, 70)).toEqual([0x25, 0x63, 0xeb, 255]);
    await page.mouse.move(box.x + x, box.y + 32);
    expect(await page.textContent('.timeline-tip')).toMatch(
      /^Motion · \d{2}:\d{2}:\d{2}–\d{2}:\d{2}:\d{2} \(\d s\)$/,
    );
    await page.mouse.move(0, 0);
  });

  it('downloads a selected range as an MP4 that ffprobe and ffmpeg accept', async () => {
    const { page } = site;
    const tl = page.locator('.timeline');
    const v = {
      startMs: Number(await tl.getAttribute('data-start-ms')),
      endMs: Number(await tl.getAttribute('data-end-ms')),
    };
    const box = (await page.locator('.timeline-canvas').boundingBox())!;
    const xOf = (ms: number): number => Math.round(((ms - v.startMs) / (v.endMs - v.startMs)) * box.width);
    const x0 = xOf(rec.startMs + 1500);
    const x1 = xOf(rec.startMs + 6500);
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + x0, box.y + 60);
    await page.mouse.down();
    await page.mouse.move(box.x + x1, box.y + 60, { steps: 4 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const link = page.locator('a', { hasText: 'Download MP4' });
    await link.waitFor({ timeout: 10_000 });
    // the size comes from the server's HEAD answer
    await expect.poll(() => link.textContent()).toMatch(/^Download MP4 \(\d+(\.\d)? (kB|MB)\)$/);
    const shown = /\((\d+(?:\.\d)?) (kB|MB)\)/.exec((await link.textContent())!)!;
    const href = new URL((await link.getAttribute('href'))!, site.base);
    const selectedS =
      (Date.parse(href.searchParams.get('end')!) - Date.parse(href.searchParams.get('start')!)) / 1000;
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const file = `${ARTEFACTS}web-download.mp4`;
    await download.saveAs(file);
    const sizeBytes = statSync(file).size;
    const unit = shown[2] === 'MB' ? 1e6 : 1e3;
    expect(Math.abs(Number(shown[1]) * unit - sizeBytes)).toBeLessThanOrEqual(unit / 2 + 1);
    const probe = probeFile(file);
    expect(probe).toMatchObject({ codec: 'h264', width: 640, height: 360 });
    expect(probe.formatName).toContain('mp4');
    // starts within one GOP of the selection (an edit list trims to the exact start)
    expect(Math.abs(probe.durationS - selectedS)).toBeLessThan(1.05);
    expect(probe.frames).toBeGreaterThanOrEqual(Math.floor(selectedS * 25) - 2);
    expect(decodeErrors(file)).toBe('');
  });

  it('jumps to live for the same camera', async () => {
    const { page } = site;
    await page.click('button:has-text("Jump to live")');
    await expect.poll(() => page.url()).toContain(`#/live?layout=1&cams=${site.cameraIds[0]}`);
    await expect
      .poll(() => page.locator('.tile').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('playing');
    expect(await page.locator('.tile').getAttribute('data-stream')).toBe('main');
    expect(site.errors).toEqual([]);
  });
});
