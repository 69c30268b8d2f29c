// Ingest benchmark (issue 3): N concurrent 1080p H.264 ~4 Mbit/s streams from OUR RTSP server (a
// child process) on 127.0.0.1, recorded two ways in the same run: (a) Argus's pipeline, one Node
// process for all N streams; (b) one `ffmpeg -c copy -f segment` process per stream (Frigate,
// Shinobi). Prints CPU (% of a core) and resident memory per stream, the Argus/ffmpeg ratios, lost
// packets, and the pipeline's file-backed throughput against `cat FILE > /dev/null`.
// Run after `npm run build`:  node bench/ingest/run.mjs [--streams 1,16,64,128] [--seconds 20]
//   [--warmup 3] [--clip 40] [--passes 5] [--repeat 1] [--no-ffmpeg] [--cpu-prof]
// --repeat R alternates R Argus/ffmpeg runs per N and sums them (steadier on a busy host);
// --cpu-prof writes V8 profiles of the Argus child to bench/out/ingest/profiles/;
// ARGUS_BENCH_NODE_FLAGS="..." passes extra Node flags to the Argus child (e.g. --trace-gc).
// Everything stays on 127.0.0.1; only processes started here are signalled, each by its PID.
import { execFileSync, fork, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  BENCH_DIR,
  cpuSeconds,
  cpuSplit,
  ensureClip,
  loadMedia,
  OUT_DIR,
  packetizeClip,
  rssBytes,
  sleep,
  writePacketDump,
} from './lib.mjs';
import { killAll, killChildrenOnExit, nextMessage, track, waitExit } from '../lib/child-processes.mjs';

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '1,16,64,128' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    clip: { type: 'string', default: '40' },
    passes: { type: 'string', default: '5' },
    'no-ffmpeg': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    repeat: { type: 'string', default: '1' },
  },
});
const COUNTS = values.streams.split(',').map(Number);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const CLIP = Number(values.clip);
const REPEAT = Math.max(1, Number(values.repeat));
killChildrenOnExit();

const serverStats = async (server) =>
  (await Promise.all([nextMessage(server, 'stats', 5000), server.send({ type: 'stats' })]))[0];

/** Samples CPU seconds of `pids` now and RSS every second for `seconds`; returns the deltas. */
async function measure(pids, seconds) {
  const cpu = () => pids.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
  const split = () =>
    pids.reduce(
      (acc, pid) => {
        const c = cpuSplit(pid);
        return c ? { user: acc.user + c.user, system: acc.system + c.system } : acc;
      },
      { user: 0, system: 0 },
    );
  const cpu0 = cpu();
  const split0 = split();
  const t0 = performance.now();
  const rss = [];
  for (let i = 0; i < seconds; i++) {
    await sleep(1000);
    rss.push(pids.reduce((sum, pid) => sum + rssBytes(pid), 0));
  }
  const wall = (performance.now() - t0) / 1000;
  const split1 = split();
  return {
    userSec: split1.user - split0.user,
    systemSec: split1.system - split0.system,
    cpuSec: cpu() - cpu0,
    wall,
    rssAvg: rss.reduce((a, b) => a + b, 0) / rss.length,
    rssMax: Math.max(...rss),
  };
}

function dirBytes(dir) {
  let n = 0;
  for (const f of readdirSync(dir)) n += statSync(path.join(dir, f)).size;
  return n;
}

async function runArgus(server, baseUrl, n) {
  const out = path.join(OUT_DIR, `argus-${n}`);
  rmSync(out, { recursive: true, force: true });
  const before = (await serverStats(server)).stats;
  const execArgv = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', path.join(OUT_DIR, 'profiles')] : [];
  if (process.env.ARGUS_BENCH_NODE_FLAGS) execArgv.push(...process.env.ARGUS_BENCH_NODE_FLAGS.split(' '));
  const child = track(
    fork(path.join(BENCH_DIR, 'argus-recorder.mjs'), [baseUrl, String(n), out], { execArgv }),
  );
  const ready = await nextMessage(child, 'ready', 60_000);
  if (ready.failed > 0) throw new Error(`${ready.failed} Argus streams failed: ${ready.error}`);
  await sleep(WARMUP * 1000);
  const m = await measure([child.pid], SECONDS);
  const [{ usage }] = await Promise.all([nextMessage(child, 'memory', 5000), child.send({ type: 'memory' })]);
  m.memory = usage;
  const [result] = await Promise.all([nextMessage(child, 'result', 30_000), child.send({ type: 'stop' })]);
  await waitExit(child, 10_000);
  const after = (await serverStats(server)).stats;
  const bytes = dirBytes(out);
  rmSync(out, { recursive: true, force: true });
  return {
    ...m,
    n,
    lost: result.totals.lost,
    dropped: result.totals.droppedAccessUnits,
    serverDrops: after.packetsDropped - before.packetsDropped,
    bytes,
    closed: result.totals.closed,
  };
}

async function runFfmpeg(server, baseUrl, n) {
  const out = path.join(OUT_DIR, `ffmpeg-${n}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const before = (await serverStats(server)).stats;
  const procs = [];
  for (let i = 0; i < n; i++) {
    // prettier-ignore
    const args = [
      '-nostdin', '-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', `${baseUrl}/s${i}`,
      '-c', 'copy', '-f', 'segment', '-segment_time', '10', '-reset_timestamps', '1',
      path.join(out, `s${i}-%03d.mp4`),
    ];
    procs.push(track(spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] })));
  }
  let errors = '';
  for (const p of procs) p.stderr.on('data', (d) => (errors = (errors + d).slice(-2000)));
  const deadline = Date.now() + 60_000;
  while ((await serverStats(server)).stats.sessions < before.sessions + n) {
    if (Date.now() > deadline) throw new Error(`ffmpeg sessions did not all start: ${errors}`);
    await sleep(200);
  }
  await sleep(WARMUP * 1000);
  const m = await measure(
    procs.map((p) => p.pid),
    SECONDS,
  );
  for (const p of procs) p.kill('SIGINT'); // ffmpeg finishes the segment it is writing
  await Promise.all(procs.map((p) => waitExit(p, 15_000)));
  const after = (await serverStats(server)).stats;
  const bytes = dirBytes(out);
  rmSync(out, { recursive: true, force: true });
  return { ...m, n, serverDrops: after.packetsDropped - before.packetsDropped, bytes, errors };
}

/** CPU and wall seconds of `cat FILE > /dev/null`, `passes` times from the page cache (bash time). */
function catTimes(file, passes) {
  spawnSync('cat', [file], { stdio: ['ignore', 'ignore', 'ignore'] });
  const loop = `TIMEFORMAT='%3U %3S %3R'; time (for i in $(seq ${passes}); do cat "${file}" > /dev/null; done)`;
  const r = spawnSync('bash', ['-c', loop], { encoding: 'utf8' });
  const [user, sys, real] = r.stderr.trim().split(/\s+/).map(Number);
  return { cpuSec: user + sys, wallSec: real };
}

/** Repeated runs of one configuration as one: CPU and wall summed, memory averaged, losses summed. */
function merge(runs) {
  const sum = (k) => runs.reduce((a, r) => a + (r[k] ?? 0), 0);
  return {
    ...runs[0],
    cpuSec: sum('cpuSec'),
    userSec: sum('userSec'),
    systemSec: sum('systemSec'),
    wall: sum('wall'),
    rssAvg: sum('rssAvg') / runs.length,
    rssMax: Math.max(...runs.map((r) => r.rssMax)),
    lost: sum('lost'),
    serverDrops: sum('serverDrops'),
  };
}

const pct = (x) => `${(x * 100).toFixed(3)}%`;
const mb = (x) => `${(x / 1e6).toFixed(1)} MB`;

async function main() {
  const media = await loadMedia();
  const clipFile = ensureClip(CLIP);
  const clip = packetizeClip(media, clipFile);
  const bitrate = (clip.bytes * 8) / clip.durationSec / 1e6;
  console.log(
    `clip: ${path.relative(process.cwd(), clipFile)}, 1920x1080 25 fps, ${clip.durationSec} s, ${bitrate.toFixed(2)} Mbit/s RTP, ${clip.packets} packets`,
  );
  const server = track(fork(path.join(BENCH_DIR, 'rtsp-source-server.mjs'), [String(CLIP)]));
  const { port } = await nextMessage(server, 'ready', 120_000);
  const baseUrl = `rtsp://127.0.0.1:${port}`;
  console.log(
    `host: ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (other work on the host skews CPU figures)`,
  );
  console.log(
    `our RTSP server (child ${server.pid}) on ${baseUrl}; ${SECONDS} s measured per run after ${WARMUP} s warm-up`,
  );

  const rows = [];
  for (const n of COUNTS) {
    const argusRuns = [];
    const ffRuns = [];
    for (let r = 0; r < REPEAT; r++) {
      const argus = await runArgus(server, baseUrl, n);
      argusRuns.push(argus);
      console.log(
        `  N=${n} argus: ${pct(argus.cpuSec / argus.wall / n)}/stream (user ${pct(argus.userSec / argus.wall / n)}), RSS ${mb(argus.rssAvg)} total, lost ${argus.lost}, server drops ${argus.serverDrops}; heap ${mb(argus.memory.heapUsed)}/${mb(argus.memory.heapTotal)}, array buffers ${mb(argus.memory.arrayBuffers)}`,
      );
      if (!values['no-ffmpeg']) {
        const ff = await runFfmpeg(server, baseUrl, n);
        ffRuns.push(ff);
        console.log(
          `  N=${n} ffmpeg: ${pct(ff.cpuSec / ff.wall / n)}/stream (user ${pct(ff.userSec / ff.wall / n)}), RSS ${mb(ff.rssAvg)} total, server drops ${ff.serverDrops}${ff.errors ? `, errors: ${ff.errors.trim().slice(0, 200)}` : ''}`,
        );
      }
    }
    rows.push({ n, argus: merge(argusRuns), ff: ffRuns.length > 0 ? merge(ffRuns) : null });
  }

  const dump = writePacketDump(clip.frames, path.join(OUT_DIR, 'clip.rtp4571'));
  const passes = Number(values.passes);
  const tp = JSON.parse(
    execFileSync(
      process.execPath,
      [
        path.join(BENCH_DIR, 'throughput.mjs'),
        dump,
        path.join(OUT_DIR, 'throughput.mp4'),
        String(passes),
        clip.sprop,
      ],
      { encoding: 'utf8' },
    ),
  );
  rmSync(path.join(OUT_DIR, 'throughput.mp4'), { force: true });
  const cat = catTimes(dump, passes * 20);
  const catMb = (statSync(dump).size * passes * 20) / 1e6;

  console.log('\nPer stream (1080p H.264 ~4 Mbit/s, RTSP/TCP interleaved from 127.0.0.1):');
  console.log(
    '    N | Argus CPU | Argus RSS | ffmpeg CPU | ffmpeg RSS | CPU ratio | RSS ratio | Argus lost | server drops A/F',
  );
  for (const { n, argus, ff } of rows) {
    const aCpu = argus.cpuSec / argus.wall / n;
    const aRss = argus.rssAvg / n;
    const fCpu = ff ? ff.cpuSec / ff.wall / n : NaN;
    const fRss = ff ? ff.rssAvg / n : NaN;
    console.log(
      `${String(n).padStart(5)} | ${pct(aCpu).padStart(9)} | ${mb(aRss).padStart(9)} | ${(ff ? pct(fCpu) : '-').padStart(10)} | ${(ff ? mb(fRss) : '-').padStart(10)} | ${(ff ? (aCpu / fCpu).toFixed(3) : '-').padStart(9)} | ${(ff ? (aRss / fRss).toFixed(4) : '-').padStart(9)} | ${String(argus.lost).padStart(10)} | ${argus.serverDrops}/${ff ? ff.serverDrops : '-'}`,
    );
  }
  const last = rows.find((r) => r.n === 128) ?? rows[rows.length - 1];
  console.log(
    `\nArgus at N=${last.n}: ${(last.argus.cpuSec / last.argus.wall).toFixed(3)} cores, RSS avg ${mb(last.argus.rssAvg)} (max ${mb(last.argus.rssMax)}) for the whole process`,
  );
  console.log(
    '\nFile-backed throughput (RFC 4571 dump in 64 KiB reads -> receiver -> depacketizer -> DTS -> fMP4 -> file):',
  );
  console.log(
    `  Argus pipeline: ${tp.mbPerCoreSec.toFixed(1)} MB/s per core (${tp.mbPerWallSec.toFixed(1)} MB/s wall, ${tp.inputMB.toFixed(0)} MB, lost ${tp.lost})`,
  );
  console.log(
    `  cat FILE > /dev/null: ${(catMb / cat.cpuSec).toFixed(1)} MB/s per core (${(catMb / cat.wallSec).toFixed(1)} MB/s wall, ${catMb.toFixed(0)} MB)`,
  );
  console.log(
    `  one 4 Mbit/s stream = 0.5 MB/s: the pipeline alone handles ~${Math.floor(tp.mbPerCoreSec / 0.5)} streams per core`,
  );

  server.send({ type: 'stop' });
  await waitExit(server, 5000);
}

main().catch((err) => {
  console.error(err);
  killAll();
  process.exit(1);
});
