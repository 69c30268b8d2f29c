// startSimulator: builds N virtual cameras with their ports, clips, motion schedule, scenario,
// control API and (optional) discovery responders, and returns their descriptions, a control object
// and close(). This is the entry `argus sim` and `argus demo` call.
import { access } from 'node:fs/promises';
import path from 'node:path';
import { MediaError } from '@argus/media';
import { makeIdentity } from './camera/camera-identity.js';
import type { MotionSchedule } from './camera/motion-controller.js';
import { SimulatedCamera, type SimulatedCameraInfo } from './camera/simulated-camera.js';
import { CameraControl } from './control/camera-control.js';
import { ControlServer } from './control/control-server.js';
import { startDiscovery, type DiscoveryResponders } from './discovery/start-discovery.js';
import { AUDIO_CLIP_FILE, ClipLibrary, defaultFixturesDir, videoClipFile } from './media/clip-library.js';
import { SnapshotCache } from './media/snapshot-cache.js';
import { loadScenarioFile, parseScenario } from './scenario/scenario-file.js';
import { ScenarioRunner } from './scenario/scenario-runner.js';
import { ERR_SIM_FIXTURE, ERR_SIM_UNKNOWN_CAMERA } from './simulator-errors.js';
import { resolveSimulatorOptions, type SimulatorOptions } from './simulator-options.js';

export interface SimulatorControl {
  /** Every camera, in order. */
  readonly cameras: CameraControl[];
  /** The camera with this name; throws MediaError(ARGUS_ERR_SIM_UNKNOWN_CAMERA) otherwise. */
  camera(name: string): CameraControl;
  /** Base URL of the control HTTP API (http://127.0.0.1:P), when it runs. */
  readonly url: string | undefined;
}

export interface RunningSimulator {
  cameras: SimulatedCameraInfo[];
  control: SimulatorControl;
  close(): Promise<void>;
}

/** Default motion: 10 s every minute, cameras offset by 13 s each so they do not all move at once. */
export function defaultMotionSchedule(index: number): MotionSchedule {
  return { periodMs: 60_000, durationMs: 10_000, offsetMs: (index * 13_000) % 60_000 };
}

async function checkFixtures(dir: string, codecs: Array<'h264' | 'h265'>, audio: boolean): Promise<void> {
  const files = codecs.flatMap((codec) =>
    (['main', 'sub'] as const).flatMap((stream) => [
      videoClipFile(stream, codec, false),
      videoClipFile(stream, codec, true),
    ]),
  );
  if (audio) files.push(AUDIO_CLIP_FILE);
  for (const file of files) {
    try {
      await access(path.join(dir, file));
    } catch {
      throw new MediaError(ERR_SIM_FIXTURE, `fixture clip ${file} is missing in ${dir}`);
    }
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const o = resolveSimulatorOptions(options);
  const fixturesDir = o.fixturesDir ?? defaultFixturesDir();
  const codec = o.h265 ? 'h265' : 'h264';
  await checkFixtures(fixturesDir, [codec], o.audio);
  const library = new ClipLibrary(fixturesDir, o.videoBitrateKbps);
  // Packetize the default clips now, so the first client does not wait.
  await Promise.all([
    ...(['main', 'sub'] as const).flatMap((s) => [
      library.video(s, codec, false),
      library.video(s, codec, true),
    ]),
    ...(o.audio ? [library.audio()] : []),
  ]);
  const snapshots = new SnapshotCache();
  const instanceTag = o.basePort > 0 ? o.basePort & 0xff : Math.floor(Math.random() * 256);
  const cameras: SimulatedCamera[] = [];
  let controlServer: ControlServer | undefined;
  let runner: ScenarioRunner | undefined;
  let discovery: DiscoveryResponders | undefined;
  const closeAll = async (): Promise<void> => {
    runner?.stop();
    await discovery?.close();
    await controlServer?.close();
    await Promise.all(cameras.map((c) => c.close()));
    snapshots.dispose();
  };
  try {
    for (let i = 0; i < o.cameras; i++) {
      const identity = makeIdentity({
        index: i,
        namePrefix: o.namePrefix,
        user: o.user,
        password: o.password,
        ptz: i < o.ptz,
        audio: o.audio,
        h265: o.h265,
        instanceTag,
      });
      const camera = new SimulatedCamera({
        identity,
        clock: o.clock,
        bind: o.bind,
        advertiseHost: o.advertiseHost,
        httpPort: o.basePort > 0 ? o.basePort + 1 + 2 * i : 0,
        rtspPort: o.basePort > 0 ? o.basePort + 2 + 2 * i : 0,
        library,
        snapshots,
        log: o.log,
      });
      cameras.push(camera);
      await camera.start();
    }
    const controls = cameras.map((c) => new CameraControl(c));
    const scenario =
      o.scenario === undefined
        ? undefined
        : typeof o.scenario === 'string'
          ? await loadScenarioFile(o.scenario)
          : parseScenario(o.scenario);
    if (scenario !== undefined) runner = new ScenarioRunner(scenario, controls, o.clock, o.log);
    controls.forEach((c, i) => {
      const chosen = scenario?.motionSchedule !== undefined ? scenario.motionSchedule : o.motionSchedule;
      const schedule = chosen === undefined ? defaultMotionSchedule(i) : chosen;
      if (schedule !== null) c.setMotionSchedule(schedule);
    });
    runner?.start();
    let url: string | undefined;
    if (o.controlApi) {
      controlServer = new ControlServer(controls);
      url = `http://127.0.0.1:${await controlServer.listen(o.basePort)}`;
    }
    if (o.discovery.wsDiscovery || o.discovery.mdns) {
      discovery = await startDiscovery(o.discovery, cameras, o.log);
    }
    const control: SimulatorControl = {
      cameras: controls,
      url,
      camera(name: string): CameraControl {
        const c = controls.find((x) => x.name === name);
        if (c === undefined) throw new MediaError(ERR_SIM_UNKNOWN_CAMERA, `no camera named ${name}`);
        return c;
      },
    };
    let closing: Promise<void> | undefined;
    return {
      cameras: cameras.map((c) => c.info()),
      control,
      close: () => (closing ??= closeAll()),
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
