// Benchmark child: the pipeline's own throughput on a file-backed source. Reads an RFC 4571 packet
// dump in 64 KiB chunks (as a socket delivers), feeds MediaTrackPipeline (RtpReceiver,
// depacketizer, DTS) and Fmp4RecordingWriter writing to a file, as fast as it goes; prints JSON
// with bytes, CPU seconds and MB/s per core. Usage: node throughput.mjs DUMP OUT.mp4 PASSES SPROP
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { loadMedia } from './lib.mjs';

const [dump, out, passesArg, sprop] = process.argv.slice(2);
const passes = Number(passesArg ?? 5);
const media = await loadMedia();
const CHUNK = 64 * 1024;

async function onePass() {
  const fd = openSync(dump, 'r');
  const outFd = openSync(out, 'w');
  let writer = null;
  const pipeline = new media.MediaTrackPipeline({
    trackIndex: 0,
    track: {
      mediaType: 'video',
      encodingName: 'H264',
      clockRate: 90000,
      fmtp: { 'packetization-mode': '1', 'sprop-parameter-sets': sprop },
    },
    onAccessUnit: (unit) => {
      if (writer === null) {
        writer = new media.Fmp4RecordingWriter(
          [{ trackIndex: 0, config: pipeline.config, timescale: 90000 }],
          media.fileDescriptorSink(outFd),
          { fragmentDurationMs: 1000, fsync: 'none' },
        );
      }
      writer.push(unit);
    },
  });
  let carry = new Uint8Array(0);
  let now = 0;
  for (;;) {
    const chunk = new Uint8Array(CHUNK);
    const n = readSync(fd, chunk, 0, CHUNK, null);
    if (n === 0) break;
    let data = chunk.subarray(0, n);
    if (carry.length > 0) {
      const joined = new Uint8Array(carry.length + n);
      joined.set(carry);
      joined.set(data, carry.length);
      data = joined;
    }
    let p = 0;
    while (p + 2 <= data.length) {
      const len = (data[p] << 8) | data[p + 1];
      if (p + 2 + len > data.length) break;
      pipeline.pushRtp(data.subarray(p + 2, p + 2 + len), now++);
      p += 2 + len;
    }
    carry = data.subarray(p);
    // Let queued file writes run, as the event loop does between socket reads.
    if (writer !== null && writer.bytesPending > 4 * 1024 * 1024) await new Promise((r) => setImmediate(r));
  }
  pipeline.end(now);
  const summary = writer ? await writer.finish() : null;
  closeSync(fd);
  closeSync(outFd);
  return { summary, lost: pipeline.stats.lost, accessUnits: pipeline.stats.accessUnits };
}

const size = statSync(dump).size;
await onePass(); // warm-up (JIT, page cache)
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let last;
for (let i = 0; i < passes; i++) last = await onePass();
const cpu = process.cpuUsage(cpu0);
const wallSec = (performance.now() - t0) / 1000;
const cpuSec = (cpu.user + cpu.system) / 1e6;
const mb = (size * passes) / 1e6;
console.log(
  JSON.stringify({
    inputMB: mb,
    cpuSec,
    wallSec,
    mbPerCoreSec: mb / cpuSec,
    mbPerWallSec: mb / wallSec,
    accessUnitsPerPass: last.accessUnits,
    lost: last.lost,
    outputBytesPerPass: last.summary?.bytesWritten ?? 0,
  }),
);
