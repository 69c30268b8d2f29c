// Builds the live view, recorded video and snapshot services of a running server. Snapshots come
// from the camera's own endpoint when it speaks VAPIX (its Axis event URL names the HTTP base:
// /axis-cgi/jpg/image.cgi at the stream's resolution, Digest or Basic auth), else from the latest
// key frame decoded by ffmpeg.
import type { Clock, Logger } from '../base/index.js';
import type { Catalog } from '../db/index.js';
import { CameraHttpClient, type CameraService } from '../devices/index.js';
import type { MediaServices } from '../http/index.js';
import type { CameraManager } from '../ingest/index.js';
import { LiveHub, SnapshotService, isJpeg } from '../live/index.js';
import { PlaybackService } from '../playback/index.js';

const CAMERA_SNAPSHOT_TIMEOUT_MS = 3000;

export interface MediaServicesDeps {
  catalog: Catalog;
  clock: Clock;
  logger: Logger;
  ffmpegPath?: string;
}

export function createMediaServices(deps: MediaServicesDeps): {
  live: LiveHub;
  /** Completes the services once the cameras run (snapshots need them). */
  bind(cameras: CameraService, manager: CameraManager): MediaServices;
} {
  const live = new LiveHub({ clock: deps.clock, logger: deps.logger });
  const playback = new PlaybackService({ catalog: deps.catalog, clock: deps.clock, logger: deps.logger });
  return {
    live,
    bind(cameras, manager) {
      const clients = new Map<number, { key: string; client: CameraHttpClient }>();
      const snapshots = new SnapshotService({
        logger: deps.logger,
        ...(deps.ffmpegPath ? { ffmpegPath: deps.ffmpegPath } : {}),
        latestKeyFrame: (id, kind) => live.latestKeyFrame(id, kind),
        async fromCamera(cameraId, kind) {
          const view = await cameras.get(cameraId);
          const session = manager.session(cameraId);
          if (view.motionEvents.kind !== 'axis' || !view.motionEvents.url || session === undefined)
            return undefined;
          const status = session.status().streams[kind];
          const url = new URL('/axis-cgi/jpg/image.cgi', view.motionEvents.url);
          if (status?.width && status.height)
            url.searchParams.set('resolution', `${status.width}x${status.height}`);
          const creds = session.spec.credentials;
          const key = `${creds?.user ?? ''}\n${creds?.password ?? ''}`;
          let entry = clients.get(cameraId);
          if (entry === undefined || entry.key !== key) {
            entry = { key, client: new CameraHttpClient(creds) };
            clients.set(cameraId, entry);
          }
          const res = await entry.client.request(url.toString(), { timeoutMs: CAMERA_SNAPSHOT_TIMEOUT_MS });
          return res.status === 200 && isJpeg(res.bytes) ? new Uint8Array(res.bytes) : undefined;
        },
      });
      return { live, playback, snapshots };
    },
  };
}
