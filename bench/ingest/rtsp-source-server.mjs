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

/** Copies of a loop's packets with sequence numbers and timestamps continued (header patched). */
function loopFrames(loop) {
  if (loop === 0) return clip.frames;
  const seqOffset = loop * clip.packets;
  const tsOffset = loop * clip.frames.length * FRAME_90K;
  return clip.frames.map((packets) =>
    packets.map((p) => {
      const c = Uint8Array.from(p);
      const v = new DataView(c.buffer);
      v.setUint16(2, (v.getUint16(2) + seqOffset) & 0xffff);
      v.setUint32(4, (v.getUint32(4) + tsOffset) >>> 0);
      return c;
    }),
  );
}

const active = new Set();
function cameraMount() {
  const listeners = new Set();
  const cam = { startMs: 0, sent: 0, frames: clip.frames, loop: 0, listeners };
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
const ticker = setInterval(() => {
  const now = performance.now();
  for (const cam of active) {
    while (cam.startMs + cam.sent * FRAME_MS <= now) {
      const index = cam.sent % clip.frames.length;
      if (index === 0 && cam.sent > 0) cam.frames = loopFrames(++cam.loop);
      for (const packet of cam.frames[index]) for (const l of cam.listeners) l(0, packet);
      cam.sent++;
    }
  }
}, 5);

process.on('message', async (msg) => {
  if (msg?.type === 'stats')
    process.send({ type: 'stats', stats: { ...server.stats }, cameras: active.size });
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
