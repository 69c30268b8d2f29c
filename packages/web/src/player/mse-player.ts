// The MSE player of one video: one WebSocket (live or playback, packages/api
// media-stream-protocol.ts), fMP4 into a SourceBuffer (W3C Media Source Extensions), a bounded
// buffer, live tiles kept near the live edge, reconnect with back-off, latency per presented frame.
import type { StreamClientMessage, StreamServerMessage } from '@argus/api';
import { streamErrorAction, type VideoState } from '../messages.js';
import {
  bufferedAhead,
  gapJumpTarget,
  livePolicy,
  liveRate,
  liveSeekTarget,
  trimRange,
} from './buffer-policy.js';
import { watchPresentedFrames, type FrameWatch } from './frame-watch.js';
import { createLatencyStats, createMediaClock } from './media-clock.js';
import { backoffDelayMs } from './reconnect-backoff.js';
import { createSourceBufferQueue, type SourceBufferQueue } from './source-buffer-queue.js';
import { codecLabel, createStreamFraming, type StreamEvent } from './stream-framing.js';

export interface PlayerStats {
  fragments: number;
  bytes: number;
  framesPresented: number;
  latencyP50Ms: number | undefined;
  latencyP95Ms: number | undefined;
  reconnects: number;
  /** Media errors of the element or the SourceBuffer; a healthy player has none. */
  mseErrors: number;
  droppedGops: number;
  skippedFragments: number;
  protocolErrors: number;
  lastError: string | undefined;
}

export interface MsePlayerOptions {
  video: HTMLVideoElement;
  mode: 'live' | 'playback';
  /** The socket address, asked again on every reconnect (playback resumes where it was). */
  url: () => string;
  onState?: (state: VideoState, detail?: string) => void;
  onMessage?: (message: StreamServerMessage) => void;
  /** Every presented frame with its wall time (the readout then matches the picture exactly). */
  onFrame?: (wallMs: number) => void;
  /** Seconds kept behind the play position; older media is removed from the buffer. */
  keepBehindS?: number;
  now?: () => number;
  random?: () => number;
  createSocket?: (url: string) => WebSocket;
}

export interface MsePlayer {
  readonly stats: PlayerStats;
  /** Wall time of the picture at the play position; undefined until the first fragment. */
  wallTimeNow(): number | undefined;
  send(message: StreamClientMessage): void;
  setSpeed(speed: number): void;
  pause(): void;
  resume(): void;
  /** Playback: play from this wall time (a `seek` on the open socket, else a new socket). */
  seek(startMs: number): void;
  close(): void;
}

interface Session {
  mediaSource: MediaSource;
  objectUrl: string;
  queue: SourceBufferQueue | undefined;
  backlog: StreamEvent[];
  offsetS: number | undefined;
  firstMediaS: number | undefined;
  lastMediaS: number | undefined;
  /** Seek to the first fragment (+ the playback position's skip) before playing. */
  needsStart: boolean;
}

const MAX_QUEUED_APPENDS = 30;
const STALL_NOTICE_MS = 6000;
const STALL_RECONNECT_MS = 20_000;
const INIT_TIMEOUT_MS = 10_000;

export function createMsePlayer(o: MsePlayerOptions): MsePlayer {
  const { video, mode } = o;
  const now = o.now ?? Date.now;
  const random = o.random ?? Math.random;
  const keepBehindS = o.keepBehindS ?? 10;
  const createSocket = o.createSocket ?? ((url: string) => new WebSocket(url));
  const framing = createStreamFraming();
  const clock = createMediaClock();
  const latency = createLatencyStats(100);
  const listeners = new AbortController();
  const stats: PlayerStats = {
    fragments: 0,
    bytes: 0,
    framesPresented: 0,
    latencyP50Ms: undefined,
    latencyP95Ms: undefined,
    reconnects: 0,
    mseErrors: 0,
    droppedGops: 0,
    skippedFragments: 0,
    protocolErrors: 0,
    lastError: undefined,
  };
  let ws: WebSocket | undefined;
  let session: Session | undefined;
  let attempt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let initTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let terminal = false;
  let ended = false;
  let userPaused = false;
  let speed = 1;
  let waitForKey = false;
  let fragmentDurationS = Number.NaN;
  let skipSeconds = 0;
  let lastDataAt = now();
  let state: VideoState | undefined;
  let serverSaysOffline = false;
  let frameWatch: FrameWatch | undefined;

  const setState = (next: VideoState, detail?: string): void => {
    if (next === state && next !== 'error') return;
    state = next;
    video.dataset['state'] = next;
    o.onState?.(next, detail);
  };

  const fail = (error: unknown): void => {
    stats.mseErrors++;
    stats.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    setState('error', 'The picture could not be shown. Reconnecting…');
    restartSocket();
  };

  const teardownSession = (): void => {
    if (!session) return;
    session.queue?.close();
    URL.revokeObjectURL(session.objectUrl);
    session = undefined;
    clock.reset();
  };

  const startSession = (event: Extract<StreamEvent, { kind: 'init' }>): void => {
    const mime = event.message.mimeType;
    if (!MediaSource.isTypeSupported(mime)) {
      terminal = true;
      setState('unsupported', codecLabel(mime));
      ws?.close();
      return;
    }
    teardownSession();
    serverSaysOffline = false; // a new init: the camera is back
    fragmentDurationS = Number.NaN;
    waitForKey = false;
    // a position message belongs to a start or a seek; a new init mid-stream starts at its first fragment
    if (event.message.reason === 'codec-change' || event.message.reason === 'jump-to-live') skipSeconds = 0;
    const mediaSource = new MediaSource();
    const s: Session = {
      mediaSource,
      objectUrl: URL.createObjectURL(mediaSource),
      queue: undefined,
      backlog: [],
      offsetS: undefined,
      firstMediaS: undefined,
      lastMediaS: undefined,
      needsStart: true,
    };
    session = s;
    mediaSource.addEventListener(
      'sourceopen',
      () => {
        if (session !== s) return;
        try {
          const sb = mediaSource.addSourceBuffer(mime);
          sb.mode = 'segments';
          s.queue = createSourceBufferQueue(sb, {
            onDone: (kind) => kind === 'append' && afterAppend(),
            onQuotaExceeded: () => {
              const ranges = s.queue?.buffered() ?? [];
              const start = ranges[0]?.start;
              const end = video.currentTime - 1;
              return start !== undefined && end > start ? { start, end } : null;
            },
            onError: fail,
          });
          s.queue.append(event.data);
          const backlog = s.backlog;
          s.backlog = [];
          for (const e of backlog) handleEvent(e);
        } catch (err) {
          fail(err);
        }
      },
      { once: true },
    );
    video.src = s.objectUrl;
    video.defaultPlaybackRate = speed;
    video.playbackRate = speed;
  };

  const appendFragment = (event: Extract<StreamEvent, { kind: 'fragment' }>): void => {
    const s = session;
    if (!s) return;
    if (!s.queue) {
      if (s.backlog.length < 100) s.backlog.push(event);
      return;
    }
    const m = event.message;
    if (mode === 'live' && s.queue.pendingAppends >= MAX_QUEUED_APPENDS) {
      // the browser cannot keep up: skip to the next keyframe rather than fall further behind
      stats.skippedFragments += s.queue.dropPendingAppends();
      waitForKey = true;
    }
    if (waitForKey && !m.isKey) {
      stats.skippedFragments++;
      return;
    }
    waitForKey = false;
    const decodeS = m.decodeTime / m.timescale;
    if (s.offsetS === undefined) s.offsetS = -decodeS;
    const offsetS = s.offsetS;
    const mediaS = decodeS + offsetS;
    if (s.lastMediaS !== undefined && mediaS > s.lastMediaS) {
      const d = mediaS - s.lastMediaS;
      fragmentDurationS = Number.isNaN(fragmentDurationS) ? d : 0.7 * fragmentDurationS + 0.3 * d;
    }
    s.lastMediaS = mediaS;
    s.firstMediaS ??= mediaS;
    clock.addAnchor(mediaS, m.wallMs);
    stats.fragments++;
    stats.bytes += event.data.byteLength;
    lastDataAt = now();
    s.queue.append(event.data, (sb) => {
      if (sb.timestampOffset !== offsetS) sb.timestampOffset = offsetS;
    });
  };

  const seekTo = (t: number): void => {
    if (Math.abs(video.currentTime - t) > 0.01) video.currentTime = t;
  };

  const afterAppend = (): void => {
    const s = session;
    if (!s?.queue) return;
    attempt = 0;
    const ranges = s.queue.buffered();
    if (s.needsStart && s.firstMediaS !== undefined) {
      const target = s.firstMediaS + (mode === 'playback' ? skipSeconds : 0);
      if (!ranges.some((r) => target >= r.start - 0.05 && target < r.end)) return;
      s.needsStart = false;
      seekTo(Math.max(target, ranges[0]?.start ?? target));
    }
    keepPosition();
    const cut = trimRange(ranges, video.currentTime, keepBehindS);
    if (cut) {
      s.queue.remove(cut.start, cut.end);
      clock.trimBefore(cut.end);
    }
    if (!userPaused && video.paused) void video.play().catch(() => undefined);
  };

  /** Live: stay near the edge. Both: step over holes MSE will not play through. */
  const keepPosition = (): void => {
    const s = session;
    if (!s?.queue || s.needsStart) return;
    const ranges = s.queue.buffered();
    if (mode === 'playback') {
      const target = gapJumpTarget(ranges, video.currentTime);
      if (target !== null) seekTo(target);
      return;
    }
    const policy = livePolicy(fragmentDurationS);
    const target =
      liveSeekTarget(ranges, video.currentTime, policy) ?? gapJumpTarget(ranges, video.currentTime);
    if (target !== null) seekTo(target);
    const end = ranges[ranges.length - 1]?.end;
    const rate = end === undefined ? 1 : liveRate(end - video.currentTime, policy);
    if (video.playbackRate !== rate) video.playbackRate = rate;
  };

  const handleEvent = (event: StreamEvent): void => {
    switch (event.kind) {
      case 'init':
        return startSession(event);
      case 'fragment':
        return appendFragment(event);
      case 'protocol-error':
        stats.protocolErrors++;
        stats.lastError = event.detail;
        return;
      case 'message':
        return handleMessage(event.message);
    }
  };

  const handleMessage = (m: StreamServerMessage): void => {
    o.onMessage?.(m);
    switch (m.type) {
      case 'position':
        skipSeconds = Math.max(0, m.skipSeconds);
        if (session && !session.needsStart && session.firstMediaS !== undefined)
          seekTo(session.firstMediaS + skipSeconds);
        return;
      case 'dropped':
        stats.droppedGops += m.gops;
        return;
      case 'end':
        ended = true;
        terminal = true;
        if (m.reason === 'camera-removed') setState('error', 'This camera was removed.');
        return;
      case 'error': {
        stats.lastError = `${m.code}: ${m.message}`;
        const action = streamErrorAction(m.code, m.message);
        if (action.terminal) terminal = true;
        if (action.slow) attempt = Math.max(attempt, 8);
        if (action.keepsSocket) {
          // the socket stays open and a new init follows when the camera is back
          clearTimeout(initTimer);
          serverSaysOffline = true;
        }
        setState(action.state, action.text);
        return;
      }
      default:
        return;
    }
  };

  const connect = (): void => {
    reconnectTimer = undefined;
    if (closed || terminal) return;
    framing.reset();
    serverSaysOffline = false;
    if (state === undefined) setState('connecting');
    let socket: WebSocket;
    try {
      socket = createSocket(o.url());
    } catch (err) {
      stats.lastError = String(err);
      scheduleReconnect();
      return;
    }
    ws = socket;
    socket.binaryType = 'arraybuffer';
    lastDataAt = now();
    clearTimeout(initTimer);
    initTimer = setTimeout(() => {
      if (ws === socket && !session) socket.close();
    }, INIT_TIMEOUT_MS);
    socket.onmessage = (e: MessageEvent<string | ArrayBuffer>) => {
      if (ws !== socket) return;
      const event = framing.push(e.data);
      if (event) handleEvent(event);
    };
    socket.onclose = () => {
      if (ws !== socket) return;
      ws = undefined;
      scheduleReconnect();
    };
  };

  const scheduleReconnect = (): void => {
    if (closed || terminal || reconnectTimer !== undefined) return;
    stats.reconnects++;
    // keep what an error frame said (offline, disabled…); otherwise say the connection was lost
    if (state === 'playing' || state === 'connecting' || state === 'waiting') setState('reconnecting');
    reconnectTimer = setTimeout(connect, backoffDelayMs(attempt++, random));
  };

  const restartSocket = (): void => {
    const old = ws;
    ws = undefined;
    old?.close();
    teardownSession();
    scheduleReconnect();
  };

  const tick = (): void => {
    if (closed) return;
    keepPosition();
    if (session?.queue && ended && bufferedAhead(session.queue.buffered(), video.currentTime) < 0.1)
      setState('ended');
    const quiet = now() - lastDataAt;
    if (ws && !terminal && !userPaused && !ended && !serverSaysOffline) {
      if (quiet > STALL_RECONNECT_MS) restartSocket();
      else if (quiet > STALL_NOTICE_MS && state === 'playing') setState('waiting');
    }
    stats.latencyP50Ms = latency.percentile(50);
    stats.latencyP95Ms = latency.percentile(95);
    const wall = clock.wallAt(video.currentTime);
    video.dataset['fragments'] = String(stats.fragments);
    video.dataset['frames'] = String(stats.framesPresented);
    video.dataset['mseErrors'] = String(stats.mseErrors);
    video.dataset['reconnects'] = String(stats.reconnects);
    if (stats.latencyP50Ms !== undefined)
      video.dataset['latencyP50Ms'] = String(Math.round(stats.latencyP50Ms));
    if (wall !== undefined && session && !session.needsStart)
      video.dataset['wallMs'] = String(Math.round(wall));
  };
  const ticker = setInterval(tick, 250);

  const { signal } = listeners;
  video.muted = true;
  video.playsInline = true;
  video.addEventListener(
    'error',
    () => {
      if (!session) return; // src removed on teardown
      fail(new Error(video.error?.message || `media error ${video.error?.code ?? ''}`));
    },
    { signal },
  );
  video.addEventListener('waiting', keepPosition, { signal });
  frameWatch = watchPresentedFrames(
    video,
    (mediaTimeS, presentedAtMs) => {
      stats.framesPresented++;
      const wall = session?.needsStart ? undefined : clock.wallAt(mediaTimeS);
      if (wall !== undefined && mode === 'live') latency.add(presentedAtMs - wall);
      if (wall !== undefined) o.onFrame?.(wall);
      if (state !== 'playing' && !ended && !serverSaysOffline) setState('playing');
    },
    now,
  );

  connect();

  const send = (message: StreamClientMessage): void => {
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  };

  return {
    stats,
    send,
    wallTimeNow() {
      if (!session || session.needsStart) return undefined;
      return clock.wallAt(video.currentTime);
    },
    setSpeed(next) {
      speed = next;
      video.defaultPlaybackRate = next;
      video.playbackRate = next;
      send({ type: 'speed', speed: next });
    },
    pause() {
      userPaused = true;
      video.pause();
      send({ type: 'pause' });
    },
    resume() {
      userPaused = false;
      send({ type: 'resume' });
      void video.play().catch(() => undefined);
    },
    seek(startMs) {
      ended = false;
      terminal = false;
      skipSeconds = 0;
      if (userPaused) {
        // a new time means play from there: the server resumes sending, the element plays
        userPaused = false;
        send({ type: 'resume' });
      }
      if (session) session.needsStart = true;
      video.pause();
      setState('connecting');
      if (ws?.readyState === WebSocket.OPEN) send({ type: 'seek', start: new Date(startMs).toISOString() });
      else {
        const old = ws;
        ws = undefined;
        old?.close();
        clearTimeout(reconnectTimer);
        reconnectTimer = undefined;
        connect();
      }
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(ticker);
      clearTimeout(reconnectTimer);
      clearTimeout(initTimer);
      frameWatch?.stop();
      frameWatch = undefined;
      listeners.abort();
      const old = ws;
      ws = undefined;
      old?.close();
      teardownSession();
      video.removeAttribute('src');
      video.load();
    },
  };
}
