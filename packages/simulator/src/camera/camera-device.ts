// The view of one simulated camera that its HTTP, ONVIF and RTSP front ends work against: identity,
// URLs, streams, state (motion, I/O, parameters, PTZ) and credentials. Kept as an interface so each
// service can be tested on its own.
import type { CameraAuth } from '../http/camera-auth.js';
import type { SimulatorClock } from '../simulator-clock.js';
import type { CameraEventBus } from './camera-events.js';
import type { CameraIdentity } from './camera-identity.js';
import type { IoState } from './io-state.js';
import type { MotionController } from './motion-controller.js';
import type { ParamStore } from './param-store.js';
import type { PtzState } from './ptz-state.js';

export type StreamName = 'main' | 'sub';
export type VideoCodecName = 'h264' | 'h265';

export const STREAM_SIZE: Record<StreamName, { width: number; height: number }> = {
  main: { width: 1920, height: 1080 },
  sub: { width: 640, height: 360 },
};

export const FRAME_RATE = 25;
/** Keyframe interval of every clip (25 frames): a GOP boundary at each whole wall-clock second. */
export const GOP_MS = 1000;

/** One ONVIF media profile = one RTSP stream. */
export interface StreamProfile {
  token: string;
  name: string;
  stream: StreamName;
  codec: VideoCodecName;
  width: number;
  height: number;
  fps: number;
  /**
   * What the encoder configuration advertises: the configured stream bitrate (filler brings the
   * clips to it), or the 4000/512 limits when padding is off (the clips are far below them).
   */
  bitrateKbps: number;
  rtspUrl: string;
}

export interface CameraUrls {
  /** http://host:port */
  httpBase: string;
  onvifDevice: string;
  rtspBase: string;
}

export interface CameraDevice {
  readonly identity: CameraIdentity;
  readonly clock: SimulatorClock;
  readonly urls: CameraUrls;
  readonly profiles: StreamProfile[];
  readonly events: CameraEventBus;
  readonly motion: MotionController;
  readonly io: IoState;
  readonly params: ParamStore;
  readonly ptz: PtzState | undefined;
  readonly auth: CameraAuth;
  /** JPEG of the picture for the current second at a stream's size. */
  snapshot(stream: StreamName): Promise<Uint8Array>;
}

/** Axis-style RTSP path and query for a stream. */
export function rtspPathFor(stream: StreamName, codec: VideoCodecName, audio: boolean): string {
  const { width, height } = STREAM_SIZE[stream];
  const q = [`resolution=${width}x${height}`, `videocodec=${codec}`];
  if (audio) q.push('audio=1');
  return `/axis-media/media.amp?${q.join('&')}`;
}

/** Bitrate limits advertised when a stream is not padded (kbit/s). */
export const ADVERTISED_BITRATE_KBPS: Record<StreamName, number> = { main: 4000, sub: 512 };

export function makeProfiles(
  rtspBase: string,
  codec: VideoCodecName,
  audio: boolean,
  bitrateKbps: Readonly<Record<StreamName, number>> = ADVERTISED_BITRATE_KBPS,
): StreamProfile[] {
  return (['main', 'sub'] as const).map((stream, i) => ({
    token: `profile_${i + 1}`,
    name: stream === 'main' ? 'Main stream' : 'Sub stream',
    stream,
    codec,
    ...STREAM_SIZE[stream],
    fps: FRAME_RATE,
    bitrateKbps: bitrateKbps[stream] > 0 ? bitrateKbps[stream] : ADVERTISED_BITRATE_KBPS[stream],
    rtspUrl: `${rtspBase}${rtspPathFor(stream, codec, audio)}`,
  }));
}
