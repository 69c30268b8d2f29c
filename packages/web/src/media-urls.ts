// Addresses of the media endpoints (packages/api media-stream-protocol.ts and issue 6): the live
// and playback WebSockets, snapshot JPEG and MP4 download. Pure; the page origin is passed in.
import { LIVE_WS_PATH, PLAYBACK_WS_PATH } from '@argus/api';

export interface PageOrigin {
  /** `https:` or `http:` */
  protocol: string;
  /** host[:port] */
  host: string;
}

export type StreamKind = 'main' | 'sub';

const cameraPath = (template: string, cameraId: number): string =>
  template.replace(':id', encodeURIComponent(String(cameraId)));

const wsBase = (o: PageOrigin): string => `${o.protocol === 'https:' ? 'wss:' : 'ws:'}//${o.host}`;

export function liveSocketUrl(o: PageOrigin, cameraId: number, stream: StreamKind): string {
  return `${wsBase(o)}${cameraPath(LIVE_WS_PATH, cameraId)}?stream=${stream}`;
}

/** Without `stream` the server plays the stream the camera records. */
export function playbackSocketUrl(
  o: PageOrigin,
  cameraId: number,
  startMs: number,
  speed: number,
  stream?: StreamKind,
): string {
  const q = new URLSearchParams({ start: new Date(startMs).toISOString(), speed: String(speed) });
  if (stream) q.set('stream', stream);
  return `${wsBase(o)}${cameraPath(PLAYBACK_WS_PATH, cameraId)}?${q.toString()}`;
}

export function snapshotUrl(cameraId: number, stream?: StreamKind): string {
  const path = `/api/v1/cameras/${encodeURIComponent(String(cameraId))}/snapshot.jpg`;
  return stream ? `${path}?stream=${stream}` : path;
}

export function downloadUrl(cameraId: number, startMs: number, endMs: number): string {
  const q = new URLSearchParams({
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
  });
  return `/api/v1/cameras/${encodeURIComponent(String(cameraId))}/download.mp4?${q.toString()}`;
}

/** A file name that sorts by time and survives every file system: `Gate-2024-03-12_14-05-33`. */
export function mediaFileName(cameraName: string, localDateTime: string, extension: string): string {
  const safeName = cameraName.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'camera';
  return `${safeName}-${localDateTime.replace(' ', '_').replace(/:/g, '-')}.${extension}`;
}

/** The server's longest download (packages/server handlers-media MAX_MEDIA_SPAN_MS). */
export const MAX_DOWNLOAD_MS = 6 * 3_600_000;

export interface TimeRange {
  startMs: number;
  endMs: number;
}

/** Orders two marks into a range; undefined when shorter than `minMs` (a click, not a drag). */
export function rangeOf(aMs: number, bMs: number, minMs = 1000): TimeRange | undefined {
  const startMs = Math.round(Math.min(aMs, bMs));
  const endMs = Math.round(Math.max(aMs, bMs));
  return endMs - startMs >= minMs ? { startMs, endMs } : undefined;
}
