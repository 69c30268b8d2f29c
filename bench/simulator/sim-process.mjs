// Benchmark helper: runs the simulator (compiled dist of @argus/simulator) in its own process so
// its CPU and memory can be measured alone. Prints one JSON line with the cameras, then serves
// until SIGTERM. Usage: node bench/simulator/sim-process.mjs CAMERAS [MAIN_KBPS]
import { startSimulator } from '../../packages/simulator/dist/index.js';

const cameras = Number(process.argv[2] ?? '16');
const main = Number(process.argv[3] ?? '4000');
const sim = await startSimulator({ cameras, controlApi: false, videoBitrateKbps: { main } });
process.stdout.write(
  JSON.stringify({
    pid: process.pid,
    cameras: sim.cameras.map((c) => ({ name: c.name, url: c.rtsp.main, user: c.user, password: c.password })),
  }) + '\n',
);
process.on('SIGTERM', () => {
  void sim.close().then(() => process.exit(0));
});
