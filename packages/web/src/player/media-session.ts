// One MediaSource with one SourceBuffer for one `init` of a stream (a new init, e.g. after a seek
// or a codec change, gets a new session). Media times are moved to start near zero with
// timestampOffset (W3C MSE §3.1, 'segments' mode), so 90 kHz RTP-sized decode times stay small.
import type { Range } from './buffer-policy.js';
import { createSourceBufferQueue, type SourceBufferQueue } from './source-buffer-queue.js';

export interface MediaSessionHooks {
  /** After every append completes (the player then trims, seeks and plays). */
  onAppended(): void;
  onError(error: unknown): void;
}

export interface MediaSession {
  /** Until the first start seek is done, the session's time is not shown. */
  needsStart: boolean;
  readonly firstMediaS: number | undefined;
  readonly lastMediaS: number | undefined;
  /** Appends a fragment decoding from `decodeS` (seconds); returns its media time on the element. */
  appendFragment(data: ArrayBuffer, decodeS: number): number;
  readonly pendingAppends: number;
  dropPendingAppends(): number;
  buffered(): Range[];
  remove(start: number, end: number): void;
  close(): void;
}

const MAX_BACKLOG = 100;

export function openMediaSession(
  video: HTMLVideoElement,
  mimeType: string,
  init: ArrayBuffer,
  hooks: MediaSessionHooks,
): MediaSession {
  const mediaSource = new MediaSource();
  const objectUrl = URL.createObjectURL(mediaSource);
  let queue: SourceBufferQueue | undefined;
  let backlog: ArrayBuffer[] = [];
  let offsetS: number | undefined;
  let firstMediaS: number | undefined;
  let lastMediaS: number | undefined;
  let closed = false;

  const setOffset = (sb: SourceBuffer): void => {
    if (offsetS !== undefined && sb.timestampOffset !== offsetS) sb.timestampOffset = offsetS;
  };

  mediaSource.addEventListener(
    'sourceopen',
    () => {
      if (closed) return;
      try {
        const sb = mediaSource.addSourceBuffer(mimeType);
        sb.mode = 'segments';
        queue = createSourceBufferQueue(sb, {
          onDone: (kind) => {
            if (kind === 'append') hooks.onAppended();
          },
          // a full buffer: free what is more than a second behind the play position, then retry
          onQuotaExceeded: () => {
            const start = queue?.buffered()[0]?.start;
            const end = video.currentTime - 1;
            return start !== undefined && end > start ? { start, end } : null;
          },
          onError: hooks.onError,
        });
        queue.append(init);
        for (const data of backlog) queue.append(data, setOffset);
        backlog = [];
      } catch (err) {
        hooks.onError(err);
      }
    },
    { once: true },
  );
  video.src = objectUrl;

  return {
    needsStart: true,
    get firstMediaS() {
      return firstMediaS;
    },
    get lastMediaS() {
      return lastMediaS;
    },
    appendFragment(data, decodeS) {
      offsetS ??= -decodeS;
      const mediaS = decodeS + offsetS;
      firstMediaS ??= mediaS;
      lastMediaS = mediaS;
      if (queue) queue.append(data, setOffset);
      else if (backlog.length < MAX_BACKLOG) backlog.push(data);
      return mediaS;
    },
    get pendingAppends() {
      return (queue?.pendingAppends ?? 0) + backlog.length;
    },
    dropPendingAppends() {
      const dropped = backlog.length + (queue?.dropPendingAppends() ?? 0);
      backlog = [];
      return dropped;
    },
    buffered: () => queue?.buffered() ?? [],
    remove(start, end) {
      queue?.remove(start, end);
    },
    close() {
      closed = true;
      queue?.close();
      backlog = [];
      URL.revokeObjectURL(objectUrl);
    },
  };
}
