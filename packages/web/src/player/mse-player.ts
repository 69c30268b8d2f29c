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
import { openMediaSession, type MediaSession } from './media-session.js';
import {
  emptyStats,
  publishStats,
  type MsePlayer,
  type MsePlayerOptions,
  type PlayerStats,
} from './player-types.js';
import { backoffDelayMs } from './reconnect-backoff.js';
import { codecLabel, createStreamFraming, type StreamEvent } from './stream-framing.js';

export type { MsePlayer, MsePlayerOptions, PlayerStats } from './player-types.js';

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
  const stats: PlayerStats = emptyStats();
  let ws: WebSocket | undefined;
  let session: MediaSession | undefined;
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
  /** An init arrived on the open socket: presented frames mean the stream is playing. */
  let streaming = false;
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
    session?.close();
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
    streaming = true;
    serverSaysOffline = false; // a new init: the camera is back
    fragmentDurationS = Number.NaN;
    waitForKey = false;
    // a position message belongs to a start or a seek; a new init mid-stream starts at its first fragment
    if (event.message.reason === 'codec-change' || event.message.reason === 'jump-to-live') skipSeconds = 0;
    const s = openMediaSession(video, mime, event.data, {
      onAppended: () => {
        if (session === s) afterAppend();
      },
      onError: (err) => {
        if (session === s) fail(err);
      },
    });
    session = s;
    video.defaultPlaybackRate = speed;
    video.playbackRate = speed;
  };

  const appendFragment = (event: Extract<StreamEvent, { kind: 'fragment' }>): void => {
    const s = session;
    if (!s) return;
    const m = event.message;
    if (mode === 'live' && s.pendingAppends >= MAX_QUEUED_APPENDS) {
      // the browser cannot keep up: skip to the next keyframe rather than fall further behind
      stats.skippedFragments += s.dropPendingAppends();
      waitForKey = true;
    }
    if (waitForKey && !m.isKey) {
      stats.skippedFragments++;
      return;
    }
    waitForKey = false;
    const previousS = s.lastMediaS;
    const mediaS = s.appendFragment(event.data, m.decodeTime / m.timescale);
    if (previousS !== undefined && mediaS > previousS) {
      const d = mediaS - previousS;
      fragmentDurationS = Number.isNaN(fragmentDurationS) ? d : 0.7 * fragmentDurationS + 0.3 * d;
    }
    clock.addAnchor(mediaS, m.wallMs);
    stats.fragments++;
    stats.bytes += event.data.byteLength;
    lastDataAt = now();
  };

  const seekTo = (t: number): void => {
    if (Math.abs(video.currentTime - t) > 0.01) video.currentTime = t;
  };

  const afterAppend = (): void => {
    const s = session;
    if (!s) return;
    attempt = 0;
    const ranges = s.buffered();
    if (s.needsStart && s.firstMediaS !== undefined) {
      const target = s.firstMediaS + (mode === 'playback' ? skipSeconds : 0);
      if (!ranges.some((r) => target >= r.start - 0.05 && target < r.end)) return;
      s.needsStart = false;
      seekTo(Math.max(target, ranges[0]?.start ?? target));
    }
    keepPosition();
    const cut = trimRange(ranges, video.currentTime, keepBehindS);
    if (cut) {
      s.remove(cut.start, cut.end);
      clock.trimBefore(cut.end);
    }
    if (!userPaused && video.paused) void video.play().catch(() => undefined);
  };

  /** Live: stay near the edge. Both: step over holes MSE will not play through. */
  const keepPosition = (): void => {
    const s = session;
    if (!s || s.needsStart) return;
    const ranges = s.buffered();
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
      streaming = false;
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
    streaming = false;
    old?.close();
    teardownSession();
    scheduleReconnect();
  };

  const tick = (): void => {
    if (closed) return;
    keepPosition();
    if (session && ended && bufferedAhead(session.buffered(), video.currentTime) < 0.1) setState('ended');
    const quiet = now() - lastDataAt;
    if (ws && !terminal && !userPaused && !ended && !serverSaysOffline) {
      if (quiet > STALL_RECONNECT_MS) restartSocket();
      else if (quiet > STALL_NOTICE_MS && state === 'playing') setState('waiting');
    }
    stats.latencyP50Ms = latency.percentile(50);
    stats.latencyP95Ms = latency.percentile(95);
    publishStats(video, stats, session && !session.needsStart ? clock.wallAt(video.currentTime) : undefined);
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
      // frames still buffered after a drop do not hide "Reconnecting…"
      if (state !== 'playing' && !ended && !serverSaysOffline && streaming) setState('playing');
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
      // show exactly the frame at the paused position (a loaded machine may be a few frames behind)
      if (session && !session.needsStart) {
        const at = video.currentTime;
        video.currentTime = at;
      }
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
      streaming = false; // until the init of the new position arrives
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
