// Types of the part of the `ws` client (a dependency of @fastify/websocket) the media tests use.
declare module 'ws' {
  import type { EventEmitter } from 'node:events';
  import type { IncomingMessage } from 'node:http';

  export class WebSocket extends EventEmitter {
    constructor(
      url: string,
      options?: {
        ca?: string;
        servername?: string;
        headers?: Record<string, string>;
        perMessageDeflate?: boolean;
      },
    );
    readonly readyState: number;
    readonly bufferedAmount: number;
    send(data: string | Uint8Array, cb?: (err?: Error) => void): void;
    close(code?: number, reason?: string): void;
    terminate(): void;
    pause(): void;
    resume(): void;
    on(event: 'open', listener: () => void): this;
    on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
    on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
    on(event: 'unexpected-response', listener: (req: unknown, res: IncomingMessage) => void): this;
  }
  export default WebSocket;
}
