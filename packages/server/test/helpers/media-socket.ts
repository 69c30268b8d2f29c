// A WebSocket client for the live and playback sockets in tests: pins the server's certificate,
// authenticates with a Bearer token (or cookie), records every frame with its arrival time, pairs
// the JSON announcements with their binary frames, and writes the received fMP4 to a file.
import { writeFileSync } from 'node:fs';
import type { StreamServerMessage } from '@argus/api';
import WebSocket from 'ws';

export interface ReceivedFrame {
  atMs: number;
  message?: StreamServerMessage;
  bytes?: Uint8Array;
}

export interface MediaSocketClient {
  ws: WebSocket;
  frames: ReceivedFrame[];
  /** Messages (text frames) so far. */
  messages(): StreamServerMessage[];
  /** Announced frames with their binary data, in order. */
  media(): Array<{ atMs: number; message: StreamServerMessage; bytes: Uint8Array }>;
  waitFor(pred: (c: MediaSocketClient) => boolean, timeoutMs: number): Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  close(): void;
}

export function openMediaSocket(
  port: number,
  ca: string,
  path: string,
  headers: Record<string, string>,
): Promise<MediaSocketClient> {
  const ws = new WebSocket(`wss://127.0.0.1:${port}${path}`, {
    ca,
    servername: 'localhost',
    headers,
    perMessageDeflate: false,
  });
  const frames: ReceivedFrame[] = [];
  let resolveClosed!: (v: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
  ws.on('message', (data, isBinary) => {
    const atMs = performance.now();
    if (isBinary) frames.push({ atMs, bytes: new Uint8Array(data) });
    else frames.push({ atMs, message: JSON.parse(data.toString('utf8')) as StreamServerMessage });
  });
  ws.on('close', (code, reason) => resolveClosed({ code, reason: reason.toString('utf8') }));
  const client: MediaSocketClient = {
    ws,
    frames,
    closed,
    messages: () => frames.flatMap((f) => (f.message ? [f.message] : [])),
    media() {
      const out: Array<{ atMs: number; message: StreamServerMessage; bytes: Uint8Array }> = [];
      for (let i = 0; i + 1 < frames.length; i++) {
        const m = frames[i]!.message;
        const b = frames[i + 1]!.bytes;
        if ((m?.type === 'init' || m?.type === 'fragment') && b)
          out.push({ atMs: frames[i + 1]!.atMs, message: m, bytes: b });
      }
      return out;
    },
    async waitFor(pred, timeoutMs) {
      const end = performance.now() + timeoutMs;
      while (!pred(client)) {
        if (performance.now() > end)
          throw new Error(`timed out after ${timeoutMs} ms (${frames.length} frames)`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    send: (message) => ws.send(JSON.stringify(message)),
    close: () => ws.close(1000, 'done'),
  };
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve(client));
    ws.on('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })),
    );
    ws.on('error', (err) => reject(err));
  });
}

/** The HTTP status of a refused upgrade, or 101 when it was accepted. */
export async function upgradeStatus(
  port: number,
  ca: string,
  path: string,
  headers: Record<string, string>,
): Promise<number> {
  try {
    const c = await openMediaSocket(port, ca, path, headers);
    c.close();
    return 101;
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === undefined) throw err;
    return status;
  }
}

/** Writes the init and fragments received after the n-th init (0-based) to one fMP4 file. */
export function writeReceived(client: MediaSocketClient, file: string, initIndex = 0): number {
  const media = client.media();
  const inits = media.map((m, i) => (m.message.type === 'init' ? i : -1)).filter((i) => i >= 0);
  const from = inits[initIndex];
  if (from === undefined) throw new Error('no init received');
  const to = inits[initIndex + 1] ?? media.length;
  const parts = media.slice(from, to).map((m) => m.bytes);
  writeFileSync(file, Buffer.concat(parts));
  return parts.length - 1;
}
