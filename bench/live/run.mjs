// Live view benchmark (issue 6), in headless Chromium against the real server and simulator:
//  1. time to first frame after opening a live tile (main stream),
//  2. glass-to-glass latency: simulator send time (the fragment's prft/wallMs) to the frame's
//     presentation (requestVideoFrameCallback expectedDisplayTime), same host clock, p50/p95,
//  3. playback seek: request to the first presented frame at the requested time,
//  4. sixteen live tiles (sub stream) for a bounded time, sampling server RSS and browser memory.
// Run after `npm run build`:  node bench/live/run.mjs [--latency-seconds 60] [--tiles-seconds 180]
//   [--tiles 16] [--first-frame-runs 10] [--seeks 10]
// Everything stays on 127.0.0.1; only processes started here are signalled, each by its PID.
/* global window -- inside page.evaluate callbacks, which run in the page */
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(here, '..', 'out', 'live');
const { values } = parseArgs({
  options: {
    'latency-seconds': { type: 'string', default: '60' },
    'tiles-seconds': { type: 'string', default: '180' },
    tiles: { type: 'string', default: '16' },
    'first-frame-runs': { type: 'string', default: '10' },
    seeks: { type: 'string', default: '10' },
  },
});
const LATENCY_S = Number(values['latency-seconds']);
const TILES_S = Number(values['tiles-seconds']);
const TILES = Number(values.tiles);
const FIRST_RUNS = Number(values['first-frame-runs']);
const SEEKS = Number(values.seeks);
const TARGETS = { latencyP50Ms: 300, firstFrameMs: 500, seekMs: 400 };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const children = [];
function child(script, args) {
  const c = fork(path.join(here, script), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(c);
  return c;
}
const next = (c, type, timeoutMs = 60_000) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} from child in ${timeoutMs} ms`)), timeoutMs);
    const on = (m) => {
      if (m.type !== type) return;
      clearTimeout(timer);
      c.off('message', on);
      resolve(m);
    };
    c.on('message', on);
  });
function stopChildren() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
process.on('exit', stopChildren);

const pct = (xs, p) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
const mib = (b) => (b / 1048576).toFixed(1);

/** Proportional memory (PSS) of every Chromium process started under this one (browser, GPU, renderers). */
function chromiumRss() {
  const info = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      info.set(Number(d), { comm, ppid });
    } catch {
      /* gone */
    }
  }
  const underUs = (pid) => {
    for (let p = pid, i = 0; p > 1 && i < 64; i++) {
      if (p === process.pid) return true;
      p = info.get(p)?.ppid ?? 0;
    }
    return false;
  };
  let total = 0;
  for (const [pid, { comm }] of info) {
    if (!/chrom/i.test(comm) || !underUs(pid)) continue;
    try {
      // PSS: shared pages split among the processes sharing them, so the sum is not inflated.
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      /* gone */
    }
  }
  return total;
}

async function main() {
  const started = Date.now();
  console.log(
    `live benchmark on ${os.cpus().length} cores (${os.cpus()[0]?.model}), load ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const cameraCount = Math.max(TILES, 2);
  const sim = child('sim-child.mjs', [String(cameraCount)]);
  const simReady = await next(sim, 'ready');
  const server = child('server-child.mjs', []);
  const ready = await next(server, 'ready');
  server.send({ type: 'cameras', cameras: simReady.cameras });
  const { ids } = await next(server, 'cameras');
  const stats = async () => {
    server.send({ type: 'stats' });
    return next(server, 'stats');
  };
  await sleep(4000);

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 720 },
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const jsHeap = async () =>
    (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(`https://127.0.0.1:${ready.port}/index.html`);
  const login = await page.evaluate(
    ([u, p]) => window.bench.login(u, p),
    [ready.admin.username, ready.admin.password],
  );
  if (login !== 200) throw new Error(`login failed: ${login}`);
  const results = {
    startedAt: new Date(started).toISOString(),
    host: { cores: os.cpus().length, load: os.loadavg() },
  };

  // 1. Time to first frame.
  const first = [];
  for (let i = 0; i < FIRST_RUNS; i++) {
    const cam = ids[i % ids.length];
    const tile = await page.evaluate((c) => window.bench.openLive(c, 'main'), cam);
    for (let k = 0; k < 100; k++) {
      const s = await page.evaluate((t) => window.bench.stats(t), tile);
      if (s.firstFrameMs !== undefined) {
        first.push(s.firstFrameMs);
        break;
      }
      await sleep(50);
    }
    await page.evaluate((t) => window.bench.close(t), tile);
    await sleep(300);
  }
  results.firstFrame = {
    runs: first.length,
    p50Ms: pct(first, 50),
    p95Ms: pct(first, 95),
    maxMs: Math.max(...first),
  };
  console.log(
    `first frame (main 1920x1080, ${first.length} opens): p50 ${fmt(results.firstFrame.p50Ms)} ms, p95 ${fmt(results.firstFrame.p95Ms)} ms (target < ${TARGETS.firstFrameMs} ms)`,
  );

  // 2. Glass-to-glass latency over LATENCY_S.
  const tile = await page.evaluate((c) => window.bench.openLive(c, 'main'), ids[0]);
  await sleep(3000);
  await page.evaluate((t) => window.bench.stats(t), tile); // drop the warm-up
  const lat = [];
  let errors = [];
  for (let s = 0; s < LATENCY_S; s += 5) {
    await sleep(5000);
    const st = await page.evaluate((t) => window.bench.stats(t), tile);
    lat.push(...st.latencies);
    errors = st.errors;
  }
  await page.evaluate((t) => window.bench.close(t), tile);
  results.latency = {
    frames: lat.length,
    p50Ms: pct(lat, 50),
    p95Ms: pct(lat, 95),
    minMs: Math.min(...lat),
    errors,
  };
  console.log(
    `glass-to-glass latency (main, ${LATENCY_S} s, ${lat.length} frames): p50 ${fmt(results.latency.p50Ms)} ms, p95 ${fmt(results.latency.p95Ms)} ms, min ${fmt(results.latency.minMs)} ms (target p50 < ${TARGETS.latencyP50Ms} ms)${errors.length ? ` errors: ${errors.join(',')}` : ''}`,
  );

  // 3. Playback seek: random times in the recorded past of camera 1.
  const seeks = [];
  const seekErrorsMs = [];
  const recordedFrom = started + 8000;
  for (let i = 0; i < SEEKS; i++) {
    const span = Math.max(5000, Date.now() - 8000 - recordedFrom);
    const target = Math.round(recordedFrom + ((i + 0.5) / SEEKS) * span);
    const t = await page.evaluate(([c, s]) => window.bench.openPlayback(c, s), [ids[0], target]);
    for (let k = 0; k < 100; k++) {
      const s = await page.evaluate((x) => window.bench.stats(x), t);
      if (s.firstFrameMs !== undefined) {
        seeks.push(s.firstFrameMs);
        seekErrorsMs.push(Math.abs(s.seekFrameWallMs - target));
        break;
      }
      await sleep(50);
    }
    await page.evaluate((x) => window.bench.close(x), t);
    await sleep(200);
  }
  results.seek = {
    runs: seeks.length,
    p50Ms: pct(seeks, 50),
    p95Ms: pct(seeks, 95),
    maxFrameOffsetMs: Math.max(...seekErrorsMs),
  };
  console.log(
    `playback seek (${seeks.length} of ${SEEKS}): p50 ${fmt(results.seek.p50Ms)} ms, p95 ${fmt(results.seek.p95Ms)} ms (target < ${TARGETS.seekMs} ms); first frame within ${fmt(results.seek.maxFrameOffsetMs)} ms of the requested time`,
  );

  // 4. Sixteen tiles for TILES_S, memory sampled every 10 s.
  const tileIds = [];
  for (let i = 0; i < TILES; i++)
    tileIds.push(await page.evaluate((c) => window.bench.openLive(c, 'sub'), ids[i % ids.length]));
  const samples = [];
  const tileLat = [];
  const tileFrames = new Array(TILES).fill(0);
  let tileErrors = [];
  for (let s = 0; s <= TILES_S; s += 10) {
    if (s > 0) await sleep(10_000);
    const sv = await stats();
    const per = await page.evaluate((ts) => ts.map((t) => window.bench.stats(t)), tileIds);
    per.forEach((p, i) => {
      tileFrames[i] = p.frames;
      tileLat.push(...p.latencies);
    });
    tileErrors = per.flatMap((p) => p.errors);
    samples.push({
      s,
      serverRss: sv.rssBytes,
      serverHeap: sv.heapUsedBytes,
      serverBuffers: sv.arrayBuffersBytes,
      held: sv.heldBytes,
      queued: sv.queuedBytes,
      dropped: sv.droppedGops,
      browserRss: chromiumRss(),
      jsHeap: await jsHeap(),
    });
    const last = samples.at(-1);
    console.log(
      `  t=${String(s).padStart(4)} s  server RSS ${mib(last.serverRss)} heap ${mib(last.serverHeap)} buffers ${mib(last.serverBuffers)} live held ${mib(last.held)} queued ${mib(last.queued)} MiB  browser PSS ${mib(last.browserRss)} MiB JS heap ${mib(last.jsHeap)} MiB  frames/tile min ${Math.min(...tileFrames)}`,
    );
  }
  for (const t of tileIds) await page.evaluate((x) => window.bench.close(x), t);
  const warm = samples.filter((x) => x.s >= 30);
  const base = warm[0] ?? samples[0];
  const end = samples.at(-1);
  const maxOf = (k) => Math.max(...warm.map((x) => x[k]));
  results.tiles = {
    tiles: TILES,
    seconds: TILES_S,
    serverRssStartMiB: +mib(base.serverRss),
    serverRssEndMiB: +mib(end.serverRss),
    serverRssMaxMiB: +mib(maxOf('serverRss')),
    browserRssStartMiB: +mib(base.browserRss),
    browserRssEndMiB: +mib(end.browserRss),
    browserRssMaxMiB: +mib(maxOf('browserRss')),
    jsHeapStartMiB: +mib(base.jsHeap),
    jsHeapEndMiB: +mib(end.jsHeap),
    minFramesPerTile: Math.min(...tileFrames),
    expectedFrames: TILES_S * 25,
    latencyP50Ms: pct(tileLat, 50),
    latencyP95Ms: pct(tileLat, 95),
    droppedGops: end.dropped,
    errors: tileErrors,
    samples,
  };
  const serverGrowth = end.serverRss - base.serverRss;
  const browserGrowth = end.browserRss - base.browserRss;
  results.tiles.bounds = { serverGrowthMiB: 32, browserGrowthMiB: 128 };
  results.tiles.pass = serverGrowth <= 32 * 1048576 && browserGrowth <= 128 * 1048576;
  console.log(
    `${TILES} tiles (sub 640x360) for ${TILES_S} s: server RSS ${mib(base.serverRss)} -> ${mib(end.serverRss)} MiB (max ${results.tiles.serverRssMaxMiB}), browser PSS ${mib(base.browserRss)} -> ${mib(end.browserRss)} MiB (max ${results.tiles.browserRssMaxMiB}), JS heap ${mib(base.jsHeap)} -> ${mib(end.jsHeap)} MiB; frames per tile >= ${results.tiles.minFramesPerTile} of ~${TILES_S * 25}; latency p50 ${fmt(results.tiles.latencyP50Ms)} ms p95 ${fmt(results.tiles.latencyP95Ms)} ms; dropped GOPs ${end.dropped}; growth bound server 32 MiB, browser 128 MiB after 30 s warm-up: ${results.tiles.pass ? 'PASS' : 'FAIL'}`,
  );

  results.pageErrors = pageErrors;
  console.log('\nagainst the targets:');
  console.log(
    `  latency p50   ${fmt(results.latency.p50Ms).padStart(5)} ms  < ${TARGETS.latencyP50Ms} ms  ${results.latency.p50Ms < TARGETS.latencyP50Ms ? 'MET' : 'MISSED'}`,
  );
  console.log(
    `  first frame   ${fmt(results.firstFrame.p50Ms).padStart(5)} ms  < ${TARGETS.firstFrameMs} ms  ${results.firstFrame.p50Ms < TARGETS.firstFrameMs ? 'MET' : 'MISSED'} (p95 ${fmt(results.firstFrame.p95Ms)} ms)`,
  );
  console.log(
    `  seek          ${fmt(results.seek.p50Ms).padStart(5)} ms  < ${TARGETS.seekMs} ms  ${results.seek.p50Ms < TARGETS.seekMs ? 'MET' : 'MISSED'} (p95 ${fmt(results.seek.p95Ms)} ms)`,
  );
  console.log(`  16 tiles memory growth: ${results.tiles.pass ? 'within bounds' : 'BEYOND bounds'}`);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${path.join(OUT, 'results.json')}`);
  await browser.close();
}

try {
  await main();
} finally {
  for (const c of children) c.disconnect?.();
  await sleep(1500);
  stopChildren();
}
