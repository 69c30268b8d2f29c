// Benchmark child: OUR RTSP server (@argus/media createRtspServer) on 127.0.0.1 serving the
// pre-packetized 1080p clip at real time on every path /s<N>, each path its own camera (starts at
// the clip's first key frame when its client plays; loops with continued seq/timestamps). Talks to
// run.mjs over IPC: 'ready' {port}; on 'stats' replies with the server's counters; 'stop' exits.
import { ensureClip, FRAME_90K, loadMedia, packetizeClip } from './lib.mjs';

const clipSeconds = Number(process.argv[2] ?? 40);
const media = await loadMedia();
const clip = packetizeClip(media, ensureClip(clipSeconds));
const FRAME_MS = 1000 / 25;

const TRACKS = [
  {
    mediaType: 'video',
    payloadType: 96,
    encodingName: 'H264',
    clockRate: 90000,
    framerate: 25,
    fmtp: { 'packetization-mode': '1', 'sprop-parameter-sets': clip.sprop },
  },
];

/**
 * One packet of a later loop, its sequence number and timestamp continued (header patched in a copy).
 * Copied per packet as it is sent: copying a whole 40 s clip per camera at the loop point stalled this
 * process for seconds at N=64 and then sent the backlog in one burst.
 */
function loopPacket(p, loop) {
  if (loop === 0) return p;
  const c = Uint8Array.from(p);
  const v = new DataView(c.buffer);
  v.setUint16(2, (v.getUint16(2) + loop * clip.packets) & 0xffff);
  v.setUint32(4, (v.getUint32(4) + loop * clip.frames.length * FRAME_90K) >>> 0);
  return c;
}

const active = new Set();
function cameraMount() {
  const listeners = new Set();
  const cam = { startMs: 0, sent: 0, listeners };
  return {
    tracks: TRACKS,
    subscribe(onPacket) {
      listeners.add(onPacket);
      if (listeners.size === 1) {
        cam.startMs = performance.now();
        cam.sent = 0;
        active.add(cam);
      }
      return () => {
        listeners.delete(onPacket);
        if (listeners.size === 0) active.delete(cam);
      };
    },
  };
}

const mounts = new Map();
const server = await media.createRtspServer({
  host: '127.0.0.1',
  port: 0,
  maxSocketBufferBytes: 8 * 1024 * 1024,
  resolveMount: (p) => {
    if (!/^\/s\d+$/.test(p)) return null;
    if (!mounts.has(p)) mounts.set(p, cameraMount());
    return mounts.get(p);
  },
});

// One ticker for every camera: sends each picture when its time has come (no drift, no burst).
// maxLateMs: the longest a picture waited past its time (a stalled source would send a burst).
let maxLateMs = 0;
const ticker = setInterval(() => {
  const now = performance.now();
  for (const cam of active) {
    maxLateMs = Math.max(maxLateMs, now - (cam.startMs + cam.sent * FRAME_MS));
    while (cam.startMs + cam.sent * FRAME_MS <= now) {
      const index = cam.sent % clip.frames.length;
      const loop = Math.floor(cam.sent / clip.frames.length);
      for (const p of clip.frames[index]) {
        const packet = loopPacket(p, loop);
        for (const l of cam.listeners) l(0, packet);
      }
      cam.sent++;
    }
  }
}, 5);

process.on('message', async (msg) => {
  if (msg?.type === 'stats')
    process.send({ type: 'stats', stats: { ...server.stats }, cameras: active.size, maxLateMs });
  if (msg?.type === 'stop') {
    clearInterval(ticker);
    await server.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.send({
  type: 'ready',
  port: server.port,
  clip: { bytes: clip.bytes, packets: clip.packets, seconds: clip.durationSec },
});
