// One virtual camera: state (motion, I/O, parameters, PTZ, faults), its HTTP (Axis API + ONVIF) and
// RTSP services behind two public TCP ports, and the fault effects that act across them.
import { CameraHttpServer } from '../http/camera-http-server.js';
import { CameraAuth } from '../http/camera-auth.js';
import { CameraRtsp } from '../media/camera-rtsp.js';
import { CameraStreamer } from '../media/camera-streamer.js';
import { CLIP_DURATION_MS, type ClipLibrary } from '../media/clip-library.js';
import type { SnapshotCache } from '../media/snapshot-cache.js';
import { FrontDoor } from '../net/front-door.js';
import { VIDEO_SOURCE_TOKEN } from '../onvif/media-service.js';
import type { SimulatorClock } from '../simulator-clock.js';
import {
  GOP_MS,
  makeProfiles,
  type CameraDevice,
  type CameraUrls,
  type StreamName,
  type StreamProfile,
} from './camera-device.js';
import { CameraEventBus, TOPIC_MOTION } from './camera-events.js';
import type { CameraIdentity } from './camera-identity.js';
import { FaultState, scopeCovers, type ActiveFault } from './fault-model.js';
import { IoState } from './io-state.js';
import { MotionController } from './motion-controller.js';
import { defaultParams, ParamStore } from './param-store.js';
import { PtzState } from './ptz-state.js';

export interface SimulatedCameraOptions {
  identity: CameraIdentity;
  clock: SimulatorClock;
  bind: string;
  advertiseHost: string;
  httpPort: number;
  rtspPort: number;
  library: ClipLibrary;
  snapshots: SnapshotCache;
  log: (line: string) => void;
}

/** What `argus sim` prints and what tests and the demo use to reach a camera. */
export interface SimulatedCameraInfo {
  name: string;
  host: string;
  httpPort: number;
  rtspPort: number;
  httpUrl: string;
  onvifDeviceUrl: string;
  /** RTSP URLs without credentials, in the camera's configured codec. */
  rtsp: { main: string; sub: string };
  /** Every stream the camera offers: its ONVIF profiles, then the other codec (tokens suffixed). */
  streams: StreamProfile[];
  user: string;
  password: string;
  manufacturer: string;
  model: string;
  serial: string;
  mac: string;
  firmwareVersion: string;
  ptz: boolean;
  audio: boolean;
  videoCodec: 'h264' | 'h265';
}

export class SimulatedCamera implements CameraDevice {
  readonly identity: CameraIdentity;
  readonly clock: SimulatorClock;
  urls: CameraUrls;
  profiles: StreamProfile[] = [];
  readonly events = new CameraEventBus();
  readonly motion: MotionController;
  readonly io: IoState;
  readonly params: ParamStore;
  readonly ptz: PtzState | undefined;
  readonly auth: CameraAuth;
  readonly faults: FaultState;
  readonly streamer: CameraStreamer;
  private readonly http: CameraHttpServer;
  private readonly rtsp: CameraRtsp;
  private readonly httpDoor: FrontDoor;
  private readonly rtspDoor: FrontDoor;
  private closed = false;

  constructor(private readonly options: SimulatedCameraOptions) {
    const { identity: id, clock } = options;
    this.identity = id;
    this.clock = clock;
    const host = options.advertiseHost;
    this.urls = {
      httpBase: `http://${host}:${options.httpPort}`,
      onvifDevice: '',
      rtspBase: `rtsp://${host}:${options.rtspPort}`,
    };
    this.auth = new CameraAuth(`AXIS_${id.serial}`, id.user, id.password, clock);
    this.motion = new MotionController(clock, GOP_MS, (on, atMs) => {
      this.events.set(
        TOPIC_MOTION,
        { name: 'Source', value: VIDEO_SOURCE_TOKEN },
        { name: 'State', value: String(on) },
        atMs,
      );
    });
    this.events.init(
      TOPIC_MOTION,
      { name: 'Source', value: VIDEO_SOURCE_TOKEN },
      { name: 'State', value: 'false' },
      clock.nowMs(),
    );
    this.io = new IoState(id.inputCount, id.outputCount, this.events, clock);
    this.params = new ParamStore(defaultParams(id));
    this.ptz = id.ptz ? new PtzState(clock) : undefined;
    this.faults = new FaultState(clock, {
      onStart: (f) => this.faultStarted(f),
      onEnd: (f) => this.faultEnded(f),
    });
    this.streamer = new CameraStreamer({
      clock,
      library: options.library,
      motionAt: (ms) => this.motion.isOnAt(ms),
      stalled: () => this.faults.isStalled('rtsp'),
      lowResolution: () => this.faults.lowResolution(),
      timestampOffsetMs: () => this.faults.timestampOffsetMs,
    });
    this.http = new CameraHttpServer(this);
    this.rtsp = new CameraRtsp(this, this.streamer, options.log);
    this.httpDoor = new FrontDoor({
      host: options.bind,
      port: options.httpPort,
      handoff: (socket) => this.http.handoff(socket),
      backend: () => this.http.backend,
      stalled: () => this.faults.isStalled('http'),
      dripBytesPerSecond: () => this.faults.dripBytesPerSecond('http'),
      clock,
    });
    this.rtspDoor = new FrontDoor({
      host: options.bind,
      port: options.rtspPort,
      backend: () => this.rtsp.backend,
      stalled: () => this.faults.isStalled('rtsp'),
      dripBytesPerSecond: () => this.faults.dripBytesPerSecond('rtsp'),
      clock,
    });
  }

  async start(): Promise<void> {
    await this.http.listenPrivate();
    await this.rtsp.start();
    const httpPort = await this.httpDoor.listen();
    const rtspPort = await this.rtspDoor.listen();
    const host = this.options.advertiseHost;
    const httpBase = `http://${host}:${httpPort}`;
    const rtspBase = `rtsp://${host}:${rtspPort}`;
    this.urls = { httpBase, onvifDevice: `${httpBase}/onvif/device_service`, rtspBase };
    this.profiles = this.makeProfiles(rtspBase, this.identity.videoCodec);
  }

  info(): SimulatedCameraInfo {
    const id = this.identity;
    const other = id.videoCodec === 'h264' ? 'h265' : 'h264';
    const main = this.profiles.find((p) => p.stream === 'main');
    const sub = this.profiles.find((p) => p.stream === 'sub');
    return {
      name: id.name,
      host: this.options.advertiseHost,
      httpPort: this.httpDoor.port,
      rtspPort: this.rtspDoor.port,
      httpUrl: this.urls.httpBase,
      onvifDeviceUrl: this.urls.onvifDevice,
      rtsp: { main: main?.rtspUrl ?? '', sub: sub?.rtspUrl ?? '' },
      streams: [
        ...this.profiles,
        ...this.makeProfiles(this.urls.rtspBase, other).map((p) => ({
          ...p,
          token: `${p.token}_${other}`,
        })),
      ],
      user: id.user,
      password: id.password,
      manufacturer: id.manufacturer,
      model: id.model,
      serial: id.serial,
      mac: id.mac,
      firmwareVersion: id.firmwareVersion,
      ptz: id.ptz,
      audio: id.audio,
      videoCodec: id.videoCodec,
    };
  }

  private makeProfiles(rtspBase: string, codec: 'h264' | 'h265'): StreamProfile[] {
    return makeProfiles(rtspBase, codec, this.identity.audio, this.options.library.videoBitrateKbps);
  }

  snapshot(stream: StreamName): Promise<Uint8Array> {
    const now = this.clock.nowMs();
    const second = Math.floor((now % CLIP_DURATION_MS) / 1000);
    const file = this.options.library.videoPath(stream, this.identity.videoCodec, this.motion.isOnAt(now));
    return this.options.snapshots.jpeg(file, second);
  }

  private faultStarted(fault: ActiveFault): void {
    const spec = fault.spec;
    this.options.log(`${this.identity.name}: fault ${spec.type} started`);
    switch (spec.type) {
      case 'drop':
        if (scopeCovers(spec.scope, 'rtsp')) {
          this.rtspDoor.dropAll();
          this.rtsp.endSessions();
        }
        if (scopeCovers(spec.scope, 'http')) {
          this.http.endSessions();
          this.httpDoor.dropAll();
        }
        break;
      case 'reboot':
        void this.goDown();
        break;
      case 'wrong-credentials':
        this.auth.setFaulted(true);
        void this.rtsp
          .start()
          .catch((err: Error) => this.options.log(`${this.identity.name}: ${err.message}`));
        break;
      default:
        break;
    }
  }

  private faultEnded(fault: ActiveFault): void {
    this.options.log(`${this.identity.name}: fault ${fault.spec.type} ended`);
    if (this.closed) return;
    switch (fault.spec.type) {
      case 'stall':
        if (!this.faults.isStalled('http')) this.httpDoor.releaseHeld();
        if (!this.faults.isStalled('rtsp')) this.rtspDoor.releaseHeld();
        break;
      case 'reboot':
        if (!this.faults.isRebooting()) void this.comeUp();
        break;
      case 'wrong-credentials':
        if (!this.faults.wrongCredentials()) {
          this.auth.setFaulted(false);
          void this.rtsp
            .start()
            .catch((err: Error) => this.options.log(`${this.identity.name}: ${err.message}`));
        }
        break;
      default:
        break;
    }
  }

  private async goDown(): Promise<void> {
    this.http.endSessions();
    this.rtsp.endSessions();
    await Promise.all([this.httpDoor.close(), this.rtspDoor.close()]);
  }

  private async comeUp(): Promise<void> {
    try {
      await this.httpDoor.listen();
      await this.rtspDoor.listen();
    } catch (err) {
      this.options.log(
        `${this.identity.name}: could not reopen ports after reboot: ${(err as Error).message}`,
      );
    }
  }

  /** Whether the public ports are listening (false during a reboot fault). */
  get up(): boolean {
    return this.httpDoor.listening && this.rtspDoor.listening;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.motion.stop();
    this.faults.dispose();
    this.io.dispose();
    this.streamer.close();
    await Promise.all([this.httpDoor.close(), this.rtspDoor.close()]);
    await this.http.close();
    await this.rtsp.close();
    this.events.clearListeners();
  }
}
