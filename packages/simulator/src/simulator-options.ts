// Options of startSimulator, matching `argus sim --cameras N [--ptz K] [--h265] [--audio]
// [--bind ADDR] [--base-port P] [--scenario FILE] [--bitrate-main KBPS] [--bitrate-sub KBPS]`, and
// their validation with defaults applied.
import { MediaError } from '@argus/media';
import type { SimulatorClock } from './simulator-clock.js';
import { systemClock } from './simulator-clock.js';
import { ERR_SIM_OPTIONS } from './simulator-errors.js';
import type { MotionSchedule } from './camera/motion-controller.js';
import { DEFAULT_VIDEO_BITRATE_KBPS, type VideoBitrateKbps } from './media/clip-library.js';
import type { Scenario } from './scenario/scenario-file.js';

export interface DiscoveryOptions {
  /** Answer WS-Discovery probes (UDP 3702). Default false. */
  wsDiscovery?: boolean;
  /** Answer mDNS/DNS-SD queries for _axis-video._tcp (UDP 5353). Default false. */
  mdns?: boolean;
  /**
   * IPv4 address of the interface to listen on and answer from (multicast membership and
   * outgoing multicast use this interface only). Default: the simulator's bind address.
   */
  interfaceAddress?: string;
  /** Ports, for tests; default 3702 and 5353. */
  wsDiscoveryPort?: number;
  mdnsPort?: number;
}

export interface SimulatorOptions {
  /** Number of cameras (1..256). Default 1. */
  cameras?: number;
  /** The first K cameras are PTZ cameras. Default 0. */
  ptz?: number;
  /** Cameras are configured for H.265 (profiles and default stream); H.264 stays available. */
  h265?: boolean;
  /** Add an AAC audio track to every stream. */
  audio?: boolean;
  /**
   * Video bitrate per stream in kbit/s, reached by adding filler NAL units to the fixture clips
   * (which are ~150/~50 kbit/s as encoded). Default main 4000, sub 512; 0 = no filler.
   */
  videoBitrateKbps?: { main?: number; sub?: number };
  /** Address every camera listens on. Default 127.0.0.1. */
  bind?: string;
  /** Host name or address put in URLs; default the bind address (or 127.0.0.1 for 0.0.0.0). */
  advertiseHost?: string;
  /**
   * First port: the control API listens on P, camera i (0-based) on P+1+2i (HTTP: Axis API and
   * ONVIF) and P+2+2i (RTSP). Default 0: every port is chosen by the system.
   */
  basePort?: number;
  /** Start the local control API (HTTP JSON). Default true; it always binds to 127.0.0.1. */
  controlApi?: boolean;
  /** A scenario: a path to a JSON file or an already parsed object. */
  scenario?: string | Scenario;
  /**
   * Automatic motion; default 10 s of motion every 60 s, offset per camera. null turns it off.
   * A scenario may override it.
   */
  motionSchedule?: MotionSchedule | null;
  /** User name of every camera. Default 'root'. */
  user?: string;
  /** Password of every camera; default a random password per camera. */
  password?: string;
  /** Camera name prefix; names are `${prefix}-01`, ... Default 'sim-cam'. */
  namePrefix?: string;
  discovery?: DiscoveryOptions;
  /** Folder of the fixture clips; default fixtures/simulator at the repository root. */
  fixturesDir?: string;
  clock?: SimulatorClock;
  /** Diagnostic lines (never credentials). */
  log?: (line: string) => void;
}

export interface ResolvedSimulatorOptions {
  cameras: number;
  ptz: number;
  h265: boolean;
  audio: boolean;
  videoBitrateKbps: VideoBitrateKbps;
  bind: string;
  advertiseHost: string;
  basePort: number;
  controlApi: boolean;
  scenario: string | Scenario | undefined;
  motionSchedule: MotionSchedule | null | undefined;
  user: string;
  password: string | undefined;
  namePrefix: string;
  discovery: Required<Omit<DiscoveryOptions, 'interfaceAddress'>> & { interfaceAddress: string };
  fixturesDir: string | undefined;
  clock: SimulatorClock;
  log: (line: string) => void;
}

export const MAX_CAMERAS = 256;
/** Highest padded bitrate per stream (kbit/s). */
export const MAX_VIDEO_BITRATE_KBPS = 50_000;

function fail(message: string): never {
  throw new MediaError(ERR_SIM_OPTIONS, message);
}

function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

export function resolveSimulatorOptions(options: SimulatorOptions = {}): ResolvedSimulatorOptions {
  const cameras = options.cameras ?? 1;
  if (!Number.isInteger(cameras) || cameras < 1 || cameras > MAX_CAMERAS) {
    fail(`cameras must be an integer from 1 to ${MAX_CAMERAS}`);
  }
  const ptz = options.ptz ?? 0;
  if (!Number.isInteger(ptz) || ptz < 0 || ptz > cameras) fail('ptz must be an integer from 0 to cameras');
  const bind = options.bind ?? '127.0.0.1';
  if (!isIpv4(bind)) fail('bind must be an IPv4 address');
  const basePort = options.basePort ?? 0;
  if (!Number.isInteger(basePort) || basePort < 0 || basePort + 2 * cameras + 1 > 65535) {
    fail('basePort must leave room for 2 ports per camera plus the control port below 65536');
  }
  const user = options.user ?? 'root';
  if (!/^[A-Za-z0-9._-]{1,32}$/.test(user))
    fail('user must be 1-32 letters, digits, dot, dash or underscore');
  if (options.password !== undefined && !/^[\x21-\x7e]{1,64}$/.test(options.password)) {
    fail('password must be 1-64 printable ASCII characters without spaces');
  }
  const namePrefix = options.namePrefix ?? 'sim-cam';
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(namePrefix))
    fail('namePrefix must be lowercase letters, digits and dashes');
  const d = options.discovery ?? {};
  const interfaceAddress = d.interfaceAddress ?? bind;
  if (!isIpv4(interfaceAddress)) fail('discovery.interfaceAddress must be an IPv4 address');
  const advertiseHost = options.advertiseHost ?? (bind === '0.0.0.0' ? '127.0.0.1' : bind);
  const videoBitrateKbps: VideoBitrateKbps = {
    main: options.videoBitrateKbps?.main ?? DEFAULT_VIDEO_BITRATE_KBPS.main,
    sub: options.videoBitrateKbps?.sub ?? DEFAULT_VIDEO_BITRATE_KBPS.sub,
  };
  for (const [stream, kbps] of Object.entries(videoBitrateKbps)) {
    if (!Number.isInteger(kbps) || kbps < 0 || kbps > MAX_VIDEO_BITRATE_KBPS) {
      fail(`videoBitrateKbps.${stream} must be an integer from 0 to ${MAX_VIDEO_BITRATE_KBPS}`);
    }
  }
  return {
    cameras,
    ptz,
    h265: options.h265 ?? false,
    audio: options.audio ?? false,
    videoBitrateKbps,
    bind,
    advertiseHost,
    basePort,
    controlApi: options.controlApi ?? true,
    scenario: options.scenario,
    motionSchedule: options.motionSchedule,
    user,
    password: options.password,
    namePrefix,
    discovery: {
      wsDiscovery: d.wsDiscovery ?? false,
      mdns: d.mdns ?? false,
      interfaceAddress,
      wsDiscoveryPort: d.wsDiscoveryPort ?? 3702,
      mdnsPort: d.mdnsPort ?? 5353,
    },
    fixturesDir: options.fixturesDir,
    clock: options.clock ?? systemClock,
    log: options.log ?? (() => {}),
  };
}
