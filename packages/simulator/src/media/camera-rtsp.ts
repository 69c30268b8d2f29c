// RTSP for one camera: an @argus/media RTSP server on a private loopback port, reached through the
// camera's FrontDoor (which applies stall, drip, drop and reboot at the TCP level). Axis-style
// paths: /axis-media/media.amp?resolution=1920x1080|640x360[&videocodec=h264|h265][&audio=0|1].
import { createRtspServer, type RtspServer, type RtspServerMount } from '@argus/media';
import type { CameraDevice, StreamName, VideoCodecName } from '../camera/camera-device.js';
import { STREAM_SIZE } from '../camera/camera-device.js';
import type { CameraStreamer, MountKey } from './camera-streamer.js';

export const AXIS_MEDIA_PATH = '/axis-media/media.amp';

/** Maps an Axis-style request to a mount key; null when the request names nothing we serve. */
export function mountKeyFor(
  path: string,
  query: URLSearchParams,
  defaults: { codec: VideoCodecName; audio: boolean },
): MountKey | null {
  if (path !== AXIS_MEDIA_PATH && path !== `${AXIS_MEDIA_PATH}/`) return null;
  const resolution = query.get('resolution') ?? '1920x1080';
  const stream = (Object.keys(STREAM_SIZE) as StreamName[]).find(
    (s) => `${STREAM_SIZE[s].width}x${STREAM_SIZE[s].height}` === resolution,
  );
  const codecText = (query.get('videocodec') ?? defaults.codec).toLowerCase();
  const audioText = query.get('audio');
  if (stream === undefined || (codecText !== 'h264' && codecText !== 'h265')) return null;
  if (audioText !== null && audioText !== '0' && audioText !== '1') return null;
  const audio = audioText === null ? defaults.audio : audioText === '1';
  return { stream, codec: codecText, audio };
}

export class CameraRtsp {
  private server: RtspServer | undefined;
  private starting: Promise<void> | undefined;

  constructor(
    private readonly device: CameraDevice,
    private readonly streamer: CameraStreamer,
    private readonly log: (line: string) => void,
  ) {}

  /** Starts (or restarts, e.g. after a credential change) the private server. */
  async start(): Promise<void> {
    await this.starting;
    this.starting = this.open();
    await this.starting;
  }

  private async open(): Promise<void> {
    const old = this.server;
    this.server = undefined;
    await old?.close();
    const d = this.device;
    const defaults = { codec: d.identity.videoCodec, audio: d.identity.audio };
    this.server = await createRtspServer({
      host: '127.0.0.1',
      port: 0,
      realm: d.auth.realm,
      users: { [d.identity.user]: d.auth.currentPassword() },
      clock: d.clock,
      log: (m) => this.log(`${d.identity.name} rtsp: ${m}`),
      resolveMount: async (path, query): Promise<RtspServerMount | null> => {
        const key = mountKeyFor(path, query, defaults);
        return key === null ? null : this.streamer.mount(key);
      },
    });
  }

  get backend(): { host: string; port: number } | undefined {
    return this.server === undefined ? undefined : { host: '127.0.0.1', port: this.server.port };
  }

  /** Ends every RTSP session (drop fault, reboot). */
  endSessions(): void {
    this.server?.closeAllSessions();
  }

  get stats(): RtspServer['stats'] | undefined {
    return this.server?.stats;
  }

  async close(): Promise<void> {
    await this.starting?.catch(() => {});
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }
}
