// One RTSP control connection of the client (RFC 2326 §9, §10.12): TCP connect with a timeout,
// CSeq-matched requests each with its own timeout, interleaved frames handed on, and requests
// from the server (e.g. GET_PARAMETER, OPTIONS) answered so the server keeps the session.
import net from 'node:net';
import { MediaError } from '../media-error.js';
import type { RtspTimers } from './rtsp-clock.js';
import {
  ERR_RTSP_ABORTED,
  ERR_RTSP_CLOSED,
  ERR_RTSP_CONNECT,
  ERR_RTSP_PROTOCOL,
  ERR_RTSP_TIMEOUT,
} from './rtsp-errors.js';
import { type RtspHeaderInit, RtspHeaders } from './rtsp-headers.js';
import {
  type RtspMessage,
  type RtspResponse,
  createRequest,
  createResponse,
  serializeRequest,
  serializeResponse,
} from './rtsp-message.js';
import { RtspStreamParser } from './rtsp-stream-parser.js';

export interface RtspClientConnectionOptions {
  host: string;
  port: number;
  timers: RtspTimers;
  connectTimeoutMs: number;
  userAgent: string;
  signal?: AbortSignal | undefined;
  /**
   * Frame data is safe to keep, unless transientFrames: then it is a view of a read buffer the
   * socket reuses (no allocation per read), valid only during the call.
   */
  onInterleaved: (channel: number, data: Uint8Array) => void;
  transientFrames?: boolean | undefined;
  /** Called once when the connection ends; err is undefined for a close we asked for. */
  onClose: (err: MediaError | undefined) => void;
}

/** Size of the reused read buffer of a connection with transient frames. */
const READ_BUFFER_BYTES = 32 * 1024;

/** Where reads into the reused buffer go (set once the connection object exists). */
interface ReadTarget {
  push: ((chunk: Uint8Array) => void) | undefined;
}

interface Pending {
  resolve: (response: RtspResponse) => void;
  reject: (err: MediaError) => void;
  timer: unknown;
  method: string;
}

export class RtspClientConnection {
  private readonly pending = new Map<number, Pending>();
  private nextCseq = 1;
  private closed = false;
  private readonly parser: RtspStreamParser;

  private constructor(
    private readonly socket: net.Socket,
    private readonly options: RtspClientConnectionOptions,
    reads: ReadTarget,
  ) {
    this.parser = new RtspStreamParser({
      onMessage: (message) => this.onMessage(message),
      onInterleaved: options.onInterleaved,
      transientFrames: options.transientFrames ?? false,
    });
    socket.setNoDelay(true);
    const onData = (chunk: Uint8Array): void => {
      try {
        this.parser.push(chunk);
      } catch (err) {
        this.close(err instanceof MediaError ? err : new MediaError(ERR_RTSP_PROTOCOL, 'RTSP stream error'));
      }
    };
    if (options.transientFrames) reads.push = onData;
    else socket.on('data', onData);
    socket.on('error', () => this.close(new MediaError(ERR_RTSP_CLOSED, 'RTSP connection failed')));
    socket.on('close', () =>
      this.close(new MediaError(ERR_RTSP_CLOSED, 'RTSP connection closed by the server')),
    );
  }

  static connect(options: RtspClientConnectionOptions): Promise<RtspClientConnection> {
    return new Promise((resolve, reject) => {
      const reads: ReadTarget = { push: undefined };
      const socket = net.connect({
        host: options.host,
        port: options.port,
        // One read buffer per connection, reused for every read (the parser copies what must outlive it).
        ...(options.transientFrames
          ? {
              onread: {
                buffer: new Uint8Array(READ_BUFFER_BYTES),
                callback: (bytes: number, buf: Uint8Array): boolean => {
                  reads.push?.(buf.subarray(0, bytes));
                  return true;
                },
              },
            }
          : {}),
      });
      const where = `${options.host}:${options.port}`;
      const onAbort = (): void => {
        options.timers.clear(timer);
        socket.destroy();
        reject(new MediaError(ERR_RTSP_ABORTED, `RTSP connect to ${where} aborted`));
      };
      const timer = options.timers.set(() => {
        options.signal?.removeEventListener('abort', onAbort);
        socket.destroy();
        reject(new MediaError(ERR_RTSP_TIMEOUT, `RTSP connect to ${where} timed out`));
      }, options.connectTimeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('error', (err: NodeJS.ErrnoException) => {
        options.timers.clear(timer);
        options.signal?.removeEventListener('abort', onAbort);
        reject(new MediaError(ERR_RTSP_CONNECT, `RTSP connect to ${where} failed: ${err.code ?? 'error'}`));
      });
      socket.once('connect', () => {
        options.timers.clear(timer);
        options.signal?.removeEventListener('abort', onAbort);
        socket.removeAllListeners('error');
        resolve(new RtspClientConnection(socket, options, reads));
      });
    });
  }

  get localAddress(): string {
    return this.socket.localAddress ?? '127.0.0.1';
  }

  get remoteAddress(): string {
    return this.socket.remoteAddress ?? this.options.host;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  request(
    method: string,
    url: string,
    headers: RtspHeaderInit,
    timeoutMs: number,
    body?: Uint8Array,
  ): Promise<RtspResponse> {
    if (this.closed)
      return Promise.reject(new MediaError(ERR_RTSP_CLOSED, `RTSP connection closed before ${method}`));
    const cseq = this.nextCseq++;
    const request = createRequest(method, url, undefined, body);
    request.headers.append('CSeq', String(cseq));
    for (const [k, v] of new RtspHeaders(headers)) request.headers.append(k, v);
    request.headers.append('User-Agent', this.options.userAgent);
    const bytes = serializeRequest(request);
    return new Promise((resolve, reject) => {
      const timer = this.options.timers.set(() => {
        this.pending.delete(cseq);
        reject(new MediaError(ERR_RTSP_TIMEOUT, `RTSP ${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(cseq, { resolve, reject, timer, method });
      this.socket.write(bytes);
    });
  }

  /** Writes an interleaved frame (client RTCP over TCP); dropped if the socket is backed up. */
  writeFrame(frame: Uint8Array): void {
    if (!this.closed && this.socket.writableLength < 256 * 1024) this.socket.write(frame);
  }

  private onMessage(message: RtspMessage): void {
    if (message.kind === 'request') {
      // RFC 2326 §10: the server may send OPTIONS/GET_PARAMETER/SET_PARAMETER/ANNOUNCE; answer them.
      const ok = message.method === 'OPTIONS' || message.method === 'GET_PARAMETER';
      const reply = createResponse(ok ? 200 : 501, [['CSeq', message.headers.get('CSeq') ?? '0']]);
      if (!this.closed) this.socket.write(serializeResponse(reply));
      return;
    }
    const cseqText = message.headers.get('CSeq');
    let cseq = cseqText !== undefined && /^\d+$/.test(cseqText.trim()) ? Number(cseqText.trim()) : undefined;
    if (cseq === undefined || !this.pending.has(cseq)) {
      // Some cameras omit or garble CSeq: give the reply to the oldest outstanding request.
      if (cseqText !== undefined && cseq !== undefined) return; // a late reply to a timed-out request
      cseq = this.pending.keys().next().value;
      if (cseq === undefined) return;
    }
    const pending = this.pending.get(cseq)!;
    this.pending.delete(cseq);
    this.options.timers.clear(pending.timer);
    pending.resolve(message);
  }

  /** Closes the socket and fails outstanding requests; idempotent. */
  close(err?: MediaError): void {
    if (this.closed) return;
    this.closed = true;
    const failure = err ?? new MediaError(ERR_RTSP_CLOSED, 'RTSP connection closed');
    for (const pending of this.pending.values()) {
      this.options.timers.clear(pending.timer);
      pending.reject(failure);
    }
    this.pending.clear();
    this.socket.destroy();
    this.options.onClose(err);
  }
}
