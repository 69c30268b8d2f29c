// Adapts a server-side WebSocket (the `ws` package under @fastify/websocket) to the transport the
// live and playback streams write to: text and binary frames, the bytes still queued, close.
import type { StreamTransport } from '../live/index.js';
import type { PlaybackTransport } from '../playback/index.js';

/** The part of a `ws` WebSocket the media sockets use. */
export interface MediaSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string | Uint8Array, options: { binary: boolean }, cb?: (err?: Error) => void): void;
  close(code?: number, reason?: string): void;
  on(event: 'close', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
}

const OPEN = 1;

export function wsTransport(socket: MediaSocket): StreamTransport & PlaybackTransport {
  return {
    sendText(text) {
      if (socket.readyState === OPEN) socket.send(text, { binary: false });
    },
    sendBinary(bytes, onFlushed?: () => void) {
      if (socket.readyState !== OPEN) {
        onFlushed?.();
        return;
      }
      socket.send(bytes, { binary: true }, onFlushed === undefined ? undefined : () => onFlushed());
    },
    get bufferedBytes() {
      return socket.bufferedAmount;
    },
    close(code, reason) {
      if (socket.readyState <= OPEN) socket.close(code, reason);
    },
  };
}
