// Benchmark child: Argus's in-process pipeline, ONE Node process for all N streams: openRtspStream
// (RTSP over TCP, depacketize, DTS) + recordToFmp4 (1 s fragments) into one file per stream.
// IPC: sends 'ready' once every stream plays; on 'stop' ends the recordings and reports counters.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { loadMedia } from './lib.mjs';

const [baseUrl, countArg, outDir] = process.argv.slice(2);
const count = Number(countArg);
const media = await loadMedia();
mkdirSync(outDir, { recursive: true });

const sessions = [];
for (let i = 0; i < count; i++) {
  const stream = media.openRtspStream(`${baseUrl}/s${i}`, { transport: 'tcp', dataTimeoutMs: 15_000 });
  const fd = openSync(path.join(outDir, `s${i}.mp4`), 'w');
  const recording = media.recordToFmp4(stream, fd, { fragmentDurationMs: 1000, fsync: 'none' });
  sessions.push({ stream, fd, recording });
}
const ready = await Promise.allSettled(sessions.map((s) => s.stream.ready));
const failed = ready.filter((r) => r.status === 'rejected');
process.send({ type: 'ready', failed: failed.length, error: failed[0]?.reason?.message });

process.on('message', async (msg) => {
  if (msg?.type === 'memory') process.send({ type: 'memory', usage: process.memoryUsage() });
  if (msg?.type !== 'stop') return;
  const results = await Promise.all(sessions.map((s) => s.recording.stop()));
  const totals = {
    lost: 0,
    accessUnits: 0,
    droppedAccessUnits: 0,
    packets: 0,
    bytesWritten: 0,
    fragments: 0,
    closed: 0,
  };
  for (const [i, s] of sessions.entries()) {
    const st = s.stream.stats;
    totals.lost += st.lost;
    totals.accessUnits += st.accessUnits;
    totals.droppedAccessUnits += st.droppedAccessUnits;
    totals.packets += st.packets;
    totals.bytesWritten += results[i].bytesWritten;
    totals.fragments += results[i].fragments;
    if (s.stream.isClosed) totals.closed++;
  }
  await Promise.all(sessions.map((s) => s.stream.close()));
  for (const s of sessions) closeSync(s.fd);
  process.send({ type: 'result', totals, endReasons: [...new Set(results.map((r) => r.endReason))] });
  process.exit(0);
});
process.on('disconnect', () => process.exit(0));
