// Recording benchmark (issue 5): N file-backed 1080p H.264 ~4 Mbit/s streams from OUR RTSP server
// (bench/ingest/rtsp-source-server.mjs, a child process) recorded by the REAL Argus server (another
// child: startServer + putCamera, continuous recording of the main stream). Measures the server
// process only: CPU (utime + stime from /proc) per stream, RSS per stream, bytes on disk per second
// against N x 4 Mbit/s, and RSS every 5 s to show growth. Run after `npm run build`:
//   node bench/recording/run.mjs [--streams 64] [--seconds 30] [--warmup 10]
// Everything stays on 127.0.0.1; only processes started here are signalled, each by its PID.
import { fork } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuSplit, rssBytes, sleep } from '../ingest/lib.mjs';
import { killChildrenOnExit, nextMessage, track, waitExit } from '../lib/child-processes.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '64' },
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '10' },
  },
});
const N = Math.max(1, Math.min(256, Math.floor(Number(values.streams))));
const SECONDS = Math.max(5, Math.min(300, Number(values.seconds)));
const WARMUP = Math.max(1, Math.min(120, Number(values.warmup)));
const SAMPLE_MS = 5000;
killChildrenOnExit();
const ask = async (child, type, extra = {}, timeoutMs = 10_000) =>
  (await Promise.all([nextMessage(child, type, timeoutMs), child.send({ type, ...extra })]))[0];

/** Bytes and count of the files under `dir` (bounded walk; files may vanish while we look). */
function diskUsage(dir, depth = 0) {
  let bytes = 0;
  let files = 0;
  if (depth > 8) return { bytes, files };
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return { bytes, files };
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const sub = diskUsage(p, depth + 1);
      bytes += sub.bytes;
      files += sub.files;
    } else if (e.isFile()) {
      try {
        bytes += statSync(p).size;
        files++;
      } catch {
        // removed between readdir and stat
      }
    }
  }
  return { bytes, files };
}

/** write_bytes (reached the block layer) and wchar (write calls) of a process, when readable. */
function ioBytes(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/io`, 'utf8');
    const get = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
    return { writeBytes: get('write_bytes'), wchar: get('wchar') };
  } catch {
    return undefined;
  }
}

const cpuOf = (pid) => {
  const c = cpuSplit(pid);
  return c ? c.user + c.system : NaN;
};
const MiB = (b) => (b / 1024 / 1024).toFixed(1);
const pct = (x) => (x * 100).toFixed(2);

console.log(`recording benchmark: ${N} streams, ${SECONDS} s measured, host ${os.cpus().length} cores`);
console.log(
  `load average before: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

const source = track(fork(path.join(here, '../ingest/rtsp-source-server.mjs'), ['40'], { stdio: 'inherit' }));
const ready = await nextMessage(source, 'ready', 180_000);
const sourceMbps = (ready.clip.bytes * 8) / ready.clip.seconds / 1e6;
console.log(`source: rtsp://127.0.0.1:${ready.port}/s1..s${N}, clip ${sourceMbps.toFixed(2)} Mbit/s RTP`);

const server = track(fork(path.join(here, 'server-child.mjs'), [], { stdio: 'inherit' }));
const { dataDir } = await nextMessage(server, 'ready', 60_000);
const pid = server.pid;
await sleep(3000); // let start-up allocations settle before the 0-camera figure
const rssIdle = rssBytes(pid);
console.log(`server pid ${pid}: RSS with 0 cameras ${MiB(rssIdle)} MiB`);

const urls = Array.from({ length: N }, (_, i) => `rtsp://127.0.0.1:${ready.port}/s${i + 1}`);
await ask(server, 'cameras', { urls }, 60_000);

// Recording is running once the source is streaming to all N paths; then a fixed warm-up.
const waitStart = performance.now();
let playing = 0;
while (performance.now() - waitStart < 60_000) {
  playing = (await ask(source, 'stats')).cameras;
  if (playing >= N) break;
  await sleep(500);
}
console.log(
  `source streaming to ${playing}/${N} paths after ${((performance.now() - waitStart) / 1000).toFixed(1)} s; warm-up ${WARMUP} s`,
);
if (playing < N) throw new Error('not every camera started streaming within 60 s');
await sleep(WARMUP * 1000);

const disk0 = diskUsage(dataDir);
const io0 = ioBytes(pid);
const cpu0 = cpuOf(pid);
const srcCpu0 = cpuOf(source.pid);
const t0 = performance.now();
const sample = async (t) => ({ t, rss: rssBytes(pid), mem: await ask(server, 'mem') });
const samples = [await sample(0)];
while (performance.now() - t0 < SECONDS * 1000) {
  const left = SECONDS * 1000 - (performance.now() - t0);
  await sleep(Math.min(SAMPLE_MS, left));
  samples.push(await sample((performance.now() - t0) / 1000));
}
const elapsed = (performance.now() - t0) / 1000;
const cpu = cpuOf(pid) - cpu0;
const srcCpu = cpuOf(source.pid) - srcCpu0;
const disk1 = diskUsage(dataDir);
const io1 = ioBytes(pid);
const srcReply = await ask(source, 'stats');
const srcStats = srcReply.stats;

const rssEnd = samples.at(-1).rss;
const rssMax = Math.max(...samples.map((s) => s.rss));
const diskRate = (disk1.bytes - disk0.bytes) / elapsed;
const expectedRate = (N * 4e6) / 8;
console.log('');
console.log(`window ${elapsed.toFixed(1)} s, ${N} cameras recording (continuous, main stream)`);
console.log(
  `server CPU: ${cpu.toFixed(2)} s = ${pct(cpu / elapsed)} % of one core total, ${pct(cpu / elapsed / N)} % per stream`,
);
console.log(
  `server RSS: ${MiB(rssEnd)} MiB total (max ${MiB(rssMax)}), ${MiB(rssEnd / N)} MiB per stream (total / N), ${MiB((rssEnd - rssIdle) / N)} MiB per stream ((RSS - idle ${MiB(rssIdle)}) / N)`,
);
console.log(
  `disk: ${MiB(disk1.bytes - disk0.bytes)} MiB written (data dir holds ${disk1.files} files) = ${(diskRate / 1e6).toFixed(2)} MB/s (${((diskRate * 8) / 1e6 / N).toFixed(2)} Mbit/s per stream) vs expected N x 4 Mbit/s = ${(expectedRate / 1e6).toFixed(2)} MB/s (${pct(diskRate / expectedRate)} %); source clip ${sourceMbps.toFixed(2)} Mbit/s RTP`,
);
if (io0 && io1)
  console.log(
    `server /proc io: write_bytes ${((io1.writeBytes - io0.writeBytes) / elapsed / 1e6).toFixed(2)} MB/s, wchar ${((io1.wchar - io0.wchar) / elapsed / 1e6).toFixed(2)} MB/s`,
  );
console.log(
  `source child CPU ${pct(srcCpu / elapsed)} % of one core, longest send delay ${srcReply.maxLateMs.toFixed(0)} ms; source stats ${JSON.stringify(srcStats)}`,
);
console.log('RSS every 5 s (s: MiB):', samples.map((s) => `${s.t.toFixed(0)}: ${MiB(s.rss)}`).join(', '));
console.log(
  'V8 heap used / ArrayBuffers every 5 s (MiB):',
  samples.map((s) => `${MiB(s.mem.heapUsed)}/${MiB(s.mem.arrayBuffers)}`).join(', '),
);
const growth = rssEnd - samples[0].rss;
console.log(
  `RSS change over the window: ${growth >= 0 ? '+' : ''}${MiB(growth)} MiB (${pct(growth / samples[0].rss)} %)`,
);
console.log(
  `load average after: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

server.send({ type: 'stop' });
source.send({ type: 'stop' });
await Promise.all([waitExit(server, 15_000), waitExit(source, 10_000)]);
const left = diskUsage(dataDir);
if (left.files > 0) console.log(`warning: ${left.files} files left in ${dataDir}`);
process.exit(0);
