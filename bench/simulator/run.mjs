#!/usr/bin/env node
// Simulator benchmark (issue 4): N simulated cameras (default 16), each main stream pulled by one
// RTSP client in a separate process; reports the simulator process's CPU (% of one core, total and
// per camera) and RSS over a bounded window. Target: under 1% of a core per camera.
// Usage: node bench/simulator/run.mjs [--cameras 16] [--seconds 30] [--client argus|ffmpeg]
//          [--bitrate-main 4000] (kbit/s the main stream is padded to with filler NAL units; 0 = none)
//          [--cpu-prof DIR] (write a V8 CPU profile of the simulator process into DIR)
// Builds packages/simulator (tsc -b) first; every child is killed by PID at the end.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const { values } = parseArgs({
  options: {
    cameras: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '30' },
    client: { type: 'string', default: 'argus' },
    'bitrate-main': { type: 'string', default: '4000' },
    'cpu-prof': { type: 'string' },
  },
});
const cameraCount = Number(values.cameras);
const seconds = Math.min(120, Number(values.seconds));
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const root = here('../../');
execFileSync('npx', ['tsc', '-b', 'packages/simulator'], { cwd: root, stdio: 'inherit' });

const clkTck = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const cpuTicks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15 of stat)
};
const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const children = [];
const lines = (child) => {
  const queue = [];
  let buf = '';
  const waiters = [];
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(line);
      else queue.push(line);
    }
  });
  return () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((r) => waiters.push(r)));
};

try {
  const bitrateMain = Number(values['bitrate-main']);
  const prof = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : [];
  const simArgs = [...prof, here('./sim-process.mjs'), String(cameraCount), String(bitrateMain)];
  const sim = spawn(process.execPath, simArgs, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(sim);
  const simLine = lines(sim);
  const info = JSON.parse(await simLine());
  const idleRss = rssKb(sim.pid);
  let readCounts;
  if (values.client === 'ffmpeg') {
    for (const c of info.cameras) {
      const u = new URL(c.url);
      u.username = c.user;
      u.password = c.password;
      children.push(
        spawn(
          'ffmpeg',
          ['-v', 'error', '-rtsp_transport', 'tcp', '-i', u.toString(), '-c', 'copy', '-f', 'null', '-'],
          { stdio: 'ignore' },
        ),
      );
    }
  } else {
    const clients = spawn(process.execPath, [here('./clients-process.mjs')], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(clients);
    const clientLine = lines(clients);
    clients.stdin.end(JSON.stringify(info));
    await clientLine();
    readCounts = async () => {
      clients.kill('SIGUSR1');
      return JSON.parse(await clientLine());
    };
  }
  await sleep(5000); // warm-up: every client at its first keyframe
  const before = readCounts ? await readCounts() : undefined;
  const t0 = cpuTicks(sim.pid);
  const w0 = Date.now();
  await sleep(seconds * 1000);
  const cpuS = (cpuTicks(sim.pid) - t0) / clkTck;
  const wallS = (Date.now() - w0) / 1000;
  const after = readCounts ? await readCounts() : undefined;
  const rss = rssKb(sim.pid);
  const pct = (100 * cpuS) / wallS;
  console.log(
    `simulator benchmark: ${cameraCount} cameras, main stream (1920x1080 25 fps, padded to ${bitrateMain} kbit/s) to one ${values.client} client each, ${wallS.toFixed(1)} s`,
  );
  console.log(
    `  CPU: ${pct.toFixed(2)}% of one core in total, ${(pct / cameraCount).toFixed(3)}% per camera (target < 1%)`,
  );
  console.log(
    `  RSS: ${(rss / 1024).toFixed(1)} MB (${(idleRss / 1024).toFixed(1)} MB before clients), ${((rss - idleRss) / 1024 / cameraCount).toFixed(2)} MB per streamed camera`,
  );
  if (before && after) {
    const kbps = after.map((a, i) => ((a.bytes - before[i].bytes) * 8) / 1000 / wallS);
    const pps = after.map((a, i) => (a.packets - before[i].packets) / wallS);
    const closed = after.filter((a) => a.closed).length;
    console.log(
      `  received per camera: ${Math.min(...kbps).toFixed(0)}-${Math.max(...kbps).toFixed(0)} kbit/s, ${(pps.reduce((a, b) => a + b, 0) / pps.length).toFixed(1)} RTP packets/s; sessions closed early: ${closed}`,
    );
  }
} finally {
  for (const child of children.reverse()) if (child.exitCode === null) child.kill('SIGTERM');
  await sleep(500);
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
}
