// Child process of the live benchmark: N simulated cameras on 127.0.0.1 (built simulator), their
// addresses sent to the parent over IPC; runs until the parent disconnects or kills it.
import { startSimulator } from '../../packages/simulator/dist/index.js';

const cameras = Number(process.argv[2] ?? 16);
const sim = await startSimulator({ cameras, motionSchedule: null, controlApi: false });
process.send?.({
  type: 'ready',
  cameras: sim.cameras.map((c) => ({
    name: c.name,
    main: c.rtsp.main,
    sub: c.rtsp.sub,
    user: c.user,
    password: c.password,
    httpUrl: c.httpUrl,
  })),
});
process.on('disconnect', () => void sim.close().finally(() => process.exit(0)));
