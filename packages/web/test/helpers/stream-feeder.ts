// A scripted peer of the stream protocol (packages/api media-stream-protocol.ts) behind
// Playwright's routeWebSocket, so the player is exercised in Chromium with real fMP4 before and
// beside the server's own endpoints, including what a server rarely does on cue (drop the
// socket, report the camera offline). Frames follow the simulator's rule: clip frame
// floor(wallMs/40) mod 1500 at wall time wallMs, so the picture shows the wall-clock second.
import type { Page, WebSocketRoute } from 'playwright-core';
import { fragmentAt, type FragmentedClip } from './fmp4-clip.js';

const FRAME_MS = 40;
const GOP = 25;

export interface FeederConnection {
  url: URL;
  kind: 'live' | 'playback';
  cameraId: number;
  /** JSON frames the page sent (speed, pause, resume, seek). */
  received: Record<string, unknown>[];
  fragmentsSent: number;
  closedByPage: boolean;
  /** Drop the connection as a failing server would. */
  drop(): void;
  sendJson(message: unknown): void;
  /** Stop sending media (e.g. after an offline error) / start again with a new init. */
  pauseMedia(): void;
  restartMedia(): void;
}

export interface Feeder {
  connections: FeederConnection[];
  stop(): void;
}

export async function installFeeder(page: Page, clip: FragmentedClip): Promise<Feeder> {
  const connections: FeederConnection[] = [];
  const timers = new Set<ReturnType<typeof setInterval>>();
  let stopped = false;

  const handler = (ws: WebSocketRoute): void => {
    const url = new URL(ws.url());
    const m = /\/cameras\/(\d+)\/(live|playback)$/.exec(url.pathname);
    if (!m) return void ws.close({ code: 1008, reason: 'unknown path' });
    const kind = m[2] as 'live' | 'playback';
    let open = true;
    let media = true;
    let speed = Number(url.searchParams.get('speed') ?? '1');
    let paused = false;
    // frame index on the wall clock, the first frame's index (decode time 0), pacing origin
    let next = 0;
    let base = 0;
    let originWallMs = 0;
    let originAt = 0;

    const send = (data: string | Buffer): void => {
      if (open && !stopped) ws.send(data);
    };
    const sendInit = (reason: string): void => {
      send(
        JSON.stringify({
          type: 'init',
          mimeType: clip.mimeType,
          codecs: [clip.codec],
          width: clip.width,
          height: clip.height,
          stream: url.searchParams.get('stream') ?? 'main',
          reason,
        }),
      );
      send(clip.init);
    };
    const sendFrame = (g: number): void => {
      send(
        JSON.stringify({
          type: 'fragment',
          wallMs: g * FRAME_MS,
          decodeTime: (g - base) * clip.frameDuration,
          timescale: clip.timescale,
          isKey: g % GOP === 0,
        }),
      );
      send(fragmentAt(clip, g % clip.fragments.length, (g - base) * clip.frameDuration));
      conn.fragmentsSent++;
    };
    /** Live: from the latest keyframe. Playback: from the keyframe at or before startMs. */
    const startAt = (wallMs: number, reason: string): void => {
      const g = Math.floor(wallMs / FRAME_MS);
      base = next = g - (g % GOP);
      originWallMs = base * FRAME_MS;
      originAt = Date.now();
      sendInit(reason);
      if (kind === 'playback')
        send(
          JSON.stringify({
            type: 'position',
            startWallMs: originWallMs,
            skipSeconds: (wallMs - originWallMs) / 1000,
          }),
        );
    };
    const conn: FeederConnection = {
      url,
      kind,
      cameraId: Number(m[1]),
      received: [],
      fragmentsSent: 0,
      closedByPage: false,
      drop: () => {
        open = false;
        ws.close({ code: 1011, reason: 'test drop' });
      },
      sendJson: (message) => send(JSON.stringify(message)),
      pauseMedia: () => {
        media = false;
      },
      restartMedia: () => {
        media = true;
        startAt(Date.now(), 'start');
      },
    };
    connections.push(conn);
    ws.onMessage((message) => {
      const parsed = JSON.parse(String(message)) as Record<string, unknown>;
      conn.received.push(parsed);
      const playedMs = originWallMs + (Date.now() - originAt) * speed;
      if (parsed['type'] === 'speed') {
        originWallMs = playedMs;
        originAt = Date.now();
        speed = Number(parsed['speed']);
      } else if (parsed['type'] === 'pause') paused = true;
      else if (parsed['type'] === 'resume') {
        paused = false;
        originWallMs = next * FRAME_MS;
        originAt = Date.now();
      } else if (parsed['type'] === 'seek') startAt(Date.parse(String(parsed['start'])), 'seek');
    });
    ws.onClose(() => {
      open = false;
      conn.closedByPage = true;
    });

    startAt(kind === 'live' ? Date.now() : Date.parse(url.searchParams.get('start') ?? ''), 'start');
    const timer = setInterval(() => {
      if (!open || stopped) return void clearInterval(timer);
      if (!media || paused) return;
      // live: every frame up to now (the GOP since the keyframe goes at once); playback: up to
      // half a second ahead of the play position at the current speed
      const limitMs = kind === 'live' ? Date.now() : originWallMs + (Date.now() - originAt) * speed + 500;
      for (let i = 0; i < 100 && next * FRAME_MS <= limitMs; i++) sendFrame(next++);
    }, 10);
    timers.add(timer);
  };

  await page.routeWebSocket(/\/api\/v1\/cameras\/\d+\/(live|playback)/, handler);
  return {
    connections,
    stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
    },
  };
}
