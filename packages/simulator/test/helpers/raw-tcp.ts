// Test helper: a raw TCP exchange (connect, write, collect bytes for a while) to observe faults
// below HTTP/RTSP: refused connections, silence, and slow drips.
import net from 'node:net';

export interface RawResult {
  connected: boolean;
  error?: string;
  bytes: Buffer;
  /** Milliseconds from the write to the first byte and to the last byte received. */
  firstByteMs?: number;
  lastByteMs?: number;
}

export function rawExchange(
  host: string,
  port: number,
  request: string,
  listenMs: number,
): Promise<RawResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let connected = false;
    let sentAt = 0;
    let firstByteMs: number | undefined;
    let lastByteMs: number | undefined;
    const socket = net.connect({ host, port }, () => {
      connected = true;
      sentAt = Date.now();
      socket.write(request);
    });
    const finish = (error?: string): void => {
      clearTimeout(timer);
      socket.destroy();
      const result: RawResult = { connected, bytes: Buffer.concat(chunks) };
      if (error !== undefined) result.error = error;
      if (firstByteMs !== undefined) result.firstByteMs = firstByteMs;
      if (lastByteMs !== undefined) result.lastByteMs = lastByteMs;
      resolve(result);
    };
    const timer = setTimeout(() => finish(), listenMs);
    socket.on('data', (c: Buffer) => {
      const t = Date.now() - sentAt;
      firstByteMs ??= t;
      lastByteMs = t;
      chunks.push(c);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
    socket.on('close', () => finish());
  });
}
