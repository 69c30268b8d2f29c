// Benchmark helper: one RTSP client (@argus/media RtspClient, TCP interleaved) per camera, all in
// this process, counting packets and bytes; prints a JSON line of totals when told to stop (SIGTERM).
// Usage: node bench/simulator/clients-process.mjs < cameras.json
import { RtspClient } from '../../packages/media/dist/index.js';

const input = await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (d) => (text += d));
  process.stdin.on('end', () => resolve(text));
});
const { cameras } = JSON.parse(input);
const counts = cameras.map(() => ({ packets: 0, bytes: 0, closed: false }));
const clients = cameras.map((c, i) => {
  const client = new RtspClient({
    url: c.url,
    user: c.user,
    password: c.password,
    transport: 'tcp',
    onPacket: (p) => {
      if (p.channel !== 'rtp') return;
      counts[i].packets++;
      counts[i].bytes += p.data.length;
    },
  });
  client.on('error', () => {});
  client.on('close', () => (counts[i].closed = true));
  return client;
});
await Promise.all(clients.map((c) => c.play()));
process.stdout.write('playing\n');
process.on('SIGUSR1', () => {
  process.stdout.write(JSON.stringify(counts) + '\n');
});
process.on('SIGTERM', () => {
  void Promise.all(clients.map((c) => c.close().catch(() => {}))).then(() => process.exit(0));
});
