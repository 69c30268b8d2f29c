// The MSE player in headless Chromium against a scripted peer of the stream protocol (routed
// WebSockets carrying the simulator clip as real fMP4 from ffmpeg), with the real server for
// everything else (login, cameras, timeline). It proves what the server half cannot provoke on
// cue: four live tiles decode with no media errors, their picture shows the wall clock that the
// fragments' wallMs announce, latency is measured, the buffer stays bounded, a dropped socket
// reconnects and an offline report is shown in words; playback starts at the clicked time, and
// speed, pause and "go to time" reach the server.
import { startSimulator, type RunningSimulator } from '@argus/simulator';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import { loadFragmentedClip } from './helpers/fmp4-clip.js';
import { grabPicture, loadReferenceFrames, pictureSecond, secondsApart } from './helpers/picture-clock.js';
import { installFeeder, type Feeder } from './helpers/stream-feeder.js';
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
let feeder: Feeder;
const refs = loadReferenceFrames();
const clip = loadFragmentedClip();
const ids: number[] = [];
const base = (): string => `https://127.0.0.1:${t.port}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  requireBuiltClient();
  sim = await startSimulator({ cameras: 1, motionSchedule: null });
  t = await startTestServer({ webRoot: WEB_ROOT });
  browser = await launchBrowser();
  s = await signedInPage(browser, base());
  page = s.page;
  const cam = sim.cameras[0]!;
  // one recording camera (for the timeline) and three that only stream; every live picture in the
  // page comes from the routed sockets
  for (let i = 0; i < 4; i++) {
    const res = await s.context.request.post(`${base()}/api/v1/cameras`, {
      headers: { 'x-csrf-token': await csrf() },
      data: {
        name: `Dock ${i + 1}`,
        mainUrl: cam.rtsp.sub,
        subUrl: cam.rtsp.sub,
        credentials: { username: cam.user, password: cam.password },
        recording: { mode: i === 0 ? 'continuous' : 'off' },
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    ids.push(((await res.json()) as { id: number }).id);
  }
  feeder = await installFeeder(page, clip);
});
afterAll(async () => {
  feeder?.stop();
  await browser?.close();
  await t?.stop();
  await sim?.close();
});

async function csrf(): Promise<string> {
  const res = await s.context.request.get(`${base()}/api/v1/auth/session`);
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}

interface VideoProbe {
  cameraId: string;
  currentTime: number;
  frames: number;
  mseErrors: number;
  latencyMs: number;
  wallMs: number;
  bufferedStart: number;
  message: string;
}
const probe = (): Promise<VideoProbe[]> =>
  page.locator('.tile[data-camera-id]').evaluateAll((tiles) =>
    tiles.map((tile) => {
      const v = tile.querySelector('video')!;
      return {
        cameraId: tile.getAttribute('data-camera-id')!,
        currentTime: v.currentTime,
        frames: Number(v.dataset['frames'] ?? 0),
        mseErrors: Number(v.dataset['mseErrors'] ?? 0) + (v.error ? 1 : 0),
        latencyMs: Number(v.dataset['latencyP50Ms'] ?? NaN),
        wallMs: Number(v.dataset['wallMs'] ?? NaN),
        bufferedStart: v.buffered.length ? v.buffered.start(0) : NaN,
        message: tile.querySelector('.tile-message')?.hasAttribute('hidden')
          ? ''
          : (tile.querySelector('.tile-message')?.textContent ?? ''),
      };
    }),
  );
const liveConnections = (cameraId: number) =>
  feeder.connections.filter((c) => c.kind === 'live' && c.cameraId === cameraId);

describe('player against the stream protocol', () => {
  it('plays four live tiles: time advances, frames decode, no media errors, picture shows the announced wall clock', async () => {
    await page.goto(`${base()}/#/live?layout=4&cams=${ids.join(',')}`);
    await expect
      .poll(async () => (await probe()).map((p) => p.frames > 25), { timeout: 30_000 })
      .toEqual([true, true, true, true]);
    const first = await probe();
    await sleep(1000);
    const second = await probe();
    for (let i = 0; i < 4; i++) {
      expect(second[i]!.currentTime - first[i]!.currentTime).toBeGreaterThan(0.5);
      expect(second[i]!.frames).toBeGreaterThan(first[i]!.frames);
      expect(second[i]!.mseErrors).toBe(0);
    }
    // every tile asked for the sub stream of its camera
    expect(ids.map((id) => liveConnections(id).map((c) => c.url.searchParams.get('stream')))).toEqual(
      ids.map(() => ['sub']),
    );
    // the picture's burnt-in clock agrees with the wall time the player maps the frame to
    for (let i = 0; i < 3; i++) {
      const wallBefore = Number(
        await page.locator('.tile').first().locator('video').getAttribute('data-wall-ms'),
      );
      const picture = pictureSecond(refs, await grabPicture(page, '.tile video'));
      const wallAfter = Number(
        await page.locator('.tile').first().locator('video').getAttribute('data-wall-ms'),
      );
      expect(picture.distance).toBeLessThan(0.05); // it is a frame of the clock clip
      expect(picture.margin).toBeGreaterThan(0.01); // and clearly not one a second away
      const apart = Math.min(
        secondsApart(picture.seconds, (wallBefore / 1000) % 60),
        secondsApart(picture.seconds, (wallAfter / 1000) % 60),
      );
      expect(apart).toBeLessThan(1);
    }
    // latency readout: measured per presented frame, small on loopback
    await expect
      .poll(async () => (await probe()).every((p) => p.latencyMs >= 0 && p.latencyMs < 1500))
      .toBe(true);
    expect(await page.locator('.tile .latency').first().textContent()).toMatch(/^\d+(\.\d+)? s$/);
    await page.screenshot({ path: `${ARTEFACTS}web-live-contract.png` });
  });

  it('says when the connection is lost, reconnects with back-off, and shows an offline camera in words', async () => {
    const [, second, third] = ids as [number, number, number];
    const before = liveConnections(second).length;
    // every text the tile shows from now on, however briefly
    await page.evaluate((id) => {
      const el = document.querySelector(`.tile[data-camera-id="${id}"] .tile-message`)!;
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => seen.push(el.hasAttribute('hidden') ? '' : (el.textContent ?? ''))).observe(
        el,
        {
          childList: true,
          characterData: true,
          subtree: true,
          attributes: true,
        },
      );
    }, second);
    liveConnections(second).at(-1)!.drop();
    const tile2 = page.locator(`.tile[data-camera-id="${second}"]`);
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { seen: string[] }).seen))
      .toContain('Connection lost. Reconnecting…');
    await expect.poll(() => liveConnections(second).length, { timeout: 30_000 }).toBe(before + 1);
    await expect.poll(() => tile2.getAttribute('data-state'), { timeout: 30_000 }).toBe('playing');
    expect(await tile2.locator('.tile-message').isHidden()).toBe(true);

    const conn = liveConnections(third).at(-1)!;
    conn.pauseMedia();
    conn.sendJson({ type: 'error', code: 'ARGUS_ERR_STREAM_OFFLINE', message: 'no media from the camera' });
    const tile3 = page.locator(`.tile[data-camera-id="${third}"]`);
    await expect
      .poll(() => tile3.locator('.tile-message').textContent())
      .toBe('Camera offline. The picture returns when the camera is back.');
    await sleep(1500);
    expect(liveConnections(third)).toHaveLength(1); // the socket stays open: no reconnect storm
    conn.restartMedia();
    await expect.poll(() => tile3.getAttribute('data-state'), { timeout: 30_000 }).toBe('playing');
    expect((await probe()).every((p) => p.mseErrors === 0)).toBe(true);
  });

  it('keeps at most about ten seconds behind the play position', async () => {
    await expect
      .poll(async () => (await probe())[0]!.currentTime, { timeout: 20_000, interval: 500 })
      .toBeGreaterThan(13);
    const p = (await probe())[0]!;
    expect(p.currentTime - p.bufferedStart).toBeLessThan(12.5);
    expect(p.bufferedStart).toBeGreaterThan(0.5);
  });

  it('enlarges a tile on the main stream and closes every socket when leaving the tab', async () => {
    const [first] = ids as [number];
    await page.locator(`.tile[data-camera-id="${first}"]`).dblclick();
    await expect.poll(() => liveConnections(first).at(-1)!.url.searchParams.get('stream')).toBe('main');
    await expect.poll(() => page.locator('.tile').getAttribute('data-state')).toBe('playing');
    // the three tiles that left the screen closed their sockets
    for (const id of ids.slice(1)) expect(liveConnections(id).every((c) => c.closedByPage)).toBe(true);
    await page.click('a.tab[data-tab=settings]');
    await expect.poll(() => feeder.connections.every((c) => c.closedByPage)).toBe(true);
    expect(s.errors).toEqual([]);
  });

  it('plays recordings from the clicked time; the time shown matches the request and the picture', async () => {
    const [first] = ids as [number];
    await page.click('a.tab[data-tab=recordings]');
    await expect
      .poll(() => page.locator('main.recordings').getAttribute('data-recorded-spans'), { timeout: 30_000 })
      .toBe('1');
    for (let i = 0; i < 5; i++) await page.click('button[aria-label="Zoom in"]');
    await page.click('button:has-text("Now")');
    await sleep(500); // the timeline of the new window is fetched after a short pause
    const tl = page.locator('.timeline');
    const v = {
      startMs: Number(await tl.getAttribute('data-start-ms')),
      endMs: Number(await tl.getAttribute('data-end-ms')),
    };
    const box = (await page.locator('.timeline-canvas').boundingBox())!;
    const res = await s.context.request.get(
      `${base()}/api/v1/cameras/${first}/timeline?start=${v.startMs}&end=${v.endMs}`,
    );
    const rec = ((await res.json()) as { recorded: { startMs: number; endMs: number }[] }).recorded[0]!;
    const clickMs = rec.startMs + 2500;
    const x = ((clickMs - v.startMs) / (v.endMs - v.startMs)) * box.width;
    await page.mouse.click(box.x + x, box.y + 60);

    await expect.poll(() => feeder.connections.filter((c) => c.kind === 'playback').length).toBe(1);
    const conn = feeder.connections.find((c) => c.kind === 'playback')!;
    const requested = Date.parse(conn.url.searchParams.get('start')!);
    const msPerPx = (v.endMs - v.startMs) / box.width;
    expect(Math.abs(requested - clickMs)).toBeLessThanOrEqual(msPerPx + 1);
    expect(conn.url.searchParams.get('speed')).toBe('1');

    // the first time shown once the picture is up is the requested time (not the keyframe before it)
    const clock = page.locator('.played-time');
    await expect.poll(() => clock.getAttribute('data-wall-ms'), { timeout: 10_000 }).not.toBeNull();
    const shownMs = Number(await clock.getAttribute('data-wall-ms'));
    expect(Math.abs(shownMs - requested)).toBeLessThan(1000);
    // the displayed text is that instant in the server's zone, and the picture shows its second
    const shownText = (await clock.textContent())!;
    const picture = pictureSecond(refs, await grabPicture(page, '.video-wrap video'));
    const textSecond = Number(shownText.slice(-2));
    expect(secondsApart(picture.seconds, textSecond)).toBeLessThanOrEqual(1);
    expect(
      secondsApart(picture.seconds, (Number(await clock.getAttribute('data-wall-ms')) / 1000) % 60),
    ).toBeLessThan(1);

    // speed and pause go to the server and to the video element
    await page.selectOption('select[name=speed]', '4');
    await expect.poll(() => conn.received.map((m) => m['type'])).toContain('speed');
    expect(conn.received.find((m) => m['type'] === 'speed')).toEqual({ type: 'speed', speed: 4 });
    expect(await page.locator('.video-wrap video').evaluate((el: HTMLVideoElement) => el.playbackRate)).toBe(
      4,
    );
    await page.click('button:has-text("Pause")');
    await expect.poll(() => conn.received.map((m) => m['type'])).toContain('pause');
    await sleep(300); // the readout refreshes five times a second
    const pausedAt = await clock.getAttribute('data-wall-ms');
    await sleep(600);
    expect(Math.abs(Number(await clock.getAttribute('data-wall-ms')) - Number(pausedAt))).toBeLessThan(50);

    // go to a typed time: a seek on the same socket, and the clock shows that time
    await page.selectOption('select[name=speed]', '1');
    const target = rec.startMs + 1200;
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Oslo',
      dateStyle: 'short',
      timeStyle: 'medium',
    })
      .format(new Date(target))
      .replace(' ', 'T');
    await page.fill('input[name=goto]', local);
    await page.click('button:has-text("Go to time")');
    await expect.poll(() => conn.received.filter((m) => m['type'] === 'seek').length).toBe(1);
    const seek = conn.received.find((m) => m['type'] === 'seek')!;
    expect(Date.parse(String(seek['start']))).toBe(Math.floor(target / 1000) * 1000);
    await expect
      .poll(
        async () =>
          Math.abs(Number(await clock.getAttribute('data-wall-ms')) - Math.floor(target / 1000) * 1000),
        { timeout: 30_000 },
      )
      .toBeLessThan(1000);
    expect(
      await page
        .locator('.video-wrap video')
        .evaluate((el: HTMLVideoElement) => Number(el.dataset['mseErrors'])),
    ).toBe(0);
    await page.screenshot({ path: `${ARTEFACTS}web-recordings-contract.png` });
    expect(s.errors).toEqual([]);
  });
});
