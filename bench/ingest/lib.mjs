// Shared by the ingest benchmark scripts: the 1080p H.264 clip (made once with ffmpeg into
// bench/out/), its access units and RTP packets (our packetizer), RFC 4571 packet dumps, and
// per-process CPU time / resident memory from /proc. Imports the BUILT @argus/media (npm run build).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const OUT_DIR = path.resolve(BENCH_DIR, '../out/ingest');
export const MEDIA_DIST = path.resolve(BENCH_DIR, '../../packages/media/dist/index.js');

export async function loadMedia() {
  if (!existsSync(MEDIA_DIST)) throw new Error('packages/media/dist is missing: run `npm run build` first');
  return import(MEDIA_DIST);
}

export const FPS = 25;
export const FRAME_90K = 90_000 / FPS;

/**
 * 1080p25 H.264 Main at about 4 Mbit/s, GOP 2 s, no B-frames (what IP cameras send): testsrc2 with
 * temporal noise so the encoder has to spend the bits. Made once; reused while it exists.
 */
export function ensureClip(seconds) {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = path.join(OUT_DIR, `clip-1080p-${seconds}s.h264`);
  if (existsSync(file) && statSync(file).size > 0) return file;
  console.error(`making ${path.relative(process.cwd(), file)} with ffmpeg (once)...`);
  // prettier-ignore
  execFileSync('ffmpeg', [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=${FPS}`,
    '-t', String(seconds), '-vf', 'noise=alls=10:allf=t',
    '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'main', '-bf', '0', '-g', String(2 * FPS),
    '-b:v', '4M', '-maxrate', '4M', '-bufsize', '4M', '-pix_fmt', 'yuv420p',
    '-f', 'h264', file,
  ], { stdio: ['ignore', 'inherit', 'inherit'] });
  return file;
}

const nalType = (n) => n[0] & 0x1f;
const isVcl = (t) => t >= 1 && t <= 5;

/** Access units of an Annex B H.264 stream (a picture starts at first_mb_in_slice = 0). */
export function accessUnits(media, file) {
  const nalus = media.splitAnnexB(new Uint8Array(readFileSync(file)));
  const units = [];
  let cur = [];
  let sawVcl = false;
  for (const n of nalus) {
    const t = nalType(n);
    const startsPicture = isVcl(t) ? (n[1] & 0x80) !== 0 : t === 9 || t === 7 || t === 8 || t === 6;
    if (sawVcl && startsPicture) {
      units.push(cur);
      cur = [];
      sawVcl = false;
    }
    cur.push(n);
    if (isVcl(t)) sawVcl = true;
  }
  if (cur.length > 0) units.push(cur);
  return units.map((nalus, i) => ({
    kind: 'video',
    codec: 'h264',
    pts90k: i * FRAME_90K,
    isKey: nalus.some((n) => nalType(n) === 5),
    nalus,
  }));
}

/** RTP packets per picture (our packetizer, 1400-byte payloads) and the SDP sprop of the clip. */
export function packetizeClip(media, file) {
  const units = accessUnits(media, file);
  const packetizer = media.createPacketizer('h264', {
    ssrc: 0x4a52,
    payloadType: 96,
    initialSequenceNumber: 1000,
  });
  const frames = units.map((au) => packetizer.packetize(au));
  const first = units[0].nalus;
  const sps = first.find((n) => nalType(n) === 7);
  const pps = first.find((n) => nalType(n) === 8);
  const sprop = `${Buffer.from(sps).toString('base64')},${Buffer.from(pps).toString('base64')}`;
  let bytes = 0;
  let packets = 0;
  for (const f of frames) {
    for (const p of f) {
      bytes += p.length;
      packets++;
    }
  }
  return { frames, sprop, bytes, packets, durationSec: units.length / FPS };
}

/** Writes the packets as RFC 4571 framing (2-byte length + packet): the file-backed source. */
export function writePacketDump(frames, file) {
  const parts = [];
  for (const f of frames) {
    for (const p of f) {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(p.length);
      parts.push(len, p);
    }
  }
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

const CLK_TCK = 100;

/** CPU seconds (user + system) of a live process, or undefined when it is gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is state (field 3): utime is field 14, stime 15, cutime 16, cstime 17.
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    return ticks / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** User and system CPU seconds of a live process (without children), or undefined when gone. */
export function cpuSplit(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]) / CLK_TCK, system: Number(fields[12]) / CLK_TCK };
  } catch {
    return undefined;
  }
}

/** Resident memory in bytes (VmRSS), or 0 when the process is gone. */
export function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
