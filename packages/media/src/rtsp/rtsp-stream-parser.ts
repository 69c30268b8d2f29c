// Incremental parser for one RTSP TCP byte stream: requests and responses (RFC 2326 §4, §6, §7)
// demultiplexed from '$'-interleaved binary frames (RFC 2326 §10.12). Any split of the stream
// yields the same output; buffered bytes never exceed maxHeaderBytes + maxBodyBytes + 4.
import { MediaError } from '../media-error.js';
import { ERR_RTSP_PROTOCOL, ERR_RTSP_TOO_LARGE } from './rtsp-errors.js';
import { RtspHeaders } from './rtsp-headers.js';
import type { RtspMessage } from './rtsp-message.js';

export const RTSP_MAX_HEADER_BYTES = 16 * 1024;
export const RTSP_MAX_BODY_BYTES = 64 * 1024;

export interface RtspStreamParserOptions {
  onMessage: (message: RtspMessage) => void;
  /**
   * Frame data is a view into a received chunk or a private copy: callers may keep it (unless
   * transientFrames).
   */
  onInterleaved: (channel: number, data: Uint8Array) => void;
  /**
   * Frames are consumed during onInterleaved and never kept (the pushed chunks are reused): a frame
   * completed across chunks is then a view of the parser's own buffer instead of a fresh copy.
   */
  transientFrames?: boolean;
  maxHeaderBytes?: number;
  maxBodyBytes?: number;
}

interface PendingHead {
  message: RtspMessage;
  headBytes: number;
  bodyBytes: number;
}

const DOLLAR = 0x24;
const CR = 0x0d;
const LF = 0x0a;
const decoder = new TextDecoder('utf-8');

export class RtspStreamParser {
  private readonly maxHeaderBytes: number;
  private readonly maxBodyBytes: number;
  private readonly capacity: number;
  /** Bytes of an incomplete unit carried between chunks: queue[0, queued). */
  private queue: Uint8Array = new Uint8Array(0);
  private queued = 0;
  /** Where to resume searching for the end of the head, relative to the unit start. */
  private scanFrom = 0;
  private head: PendingHead | undefined;
  private failed: MediaError | undefined;

  constructor(private readonly options: RtspStreamParserOptions) {
    this.maxHeaderBytes = options.maxHeaderBytes ?? RTSP_MAX_HEADER_BYTES;
    this.maxBodyBytes = options.maxBodyBytes ?? RTSP_MAX_BODY_BYTES;
    this.capacity = Math.max(this.maxHeaderBytes + this.maxBodyBytes, 4 + 0xffff);
  }

  get bufferedBytes(): number {
    return this.queued;
  }

  /** Feeds received bytes; throws MediaError on malformed or oversize input (then stays failed). */
  push(chunk: Uint8Array): void {
    if (this.failed) throw this.failed;
    try {
      let offset = 0;
      while (offset < chunk.length) {
        if (this.queued === 0) {
          const stop = this.parse(chunk, offset, chunk.length, false);
          this.enqueue(chunk, stop, chunk.length);
          return;
        }
        // Take only what completes the pending unit, so the rest of the chunk is parsed in place.
        const take = Math.min(chunk.length - offset, this.capacity - this.queued, this.pendingNeed());
        if (take === 0) throw new MediaError(ERR_RTSP_PROTOCOL, 'RTSP parser made no progress');
        this.enqueue(chunk, offset, offset + take);
        offset += take;
        const stop = this.parse(this.queue, 0, this.queued, !this.options.transientFrames);
        this.queue.copyWithin(0, stop, this.queued);
        this.queued -= stop;
      }
    } catch (err) {
      this.failed =
        err instanceof MediaError
          ? err
          : new MediaError(ERR_RTSP_PROTOCOL, 'RTSP parse failed', { cause: err });
      this.queued = 0;
      this.queue = new Uint8Array(0);
      throw this.failed;
    }
  }

  /** Bytes still missing from the incomplete unit at queue[0] (unbounded while a head is incomplete). */
  private pendingNeed(): number {
    if (this.head) return this.head.headBytes + this.head.bodyBytes - this.queued;
    if (this.queue[0] !== DOLLAR) return Infinity;
    if (this.queued < 4) return 4 - this.queued;
    return 4 + ((this.queue[2]! << 8) | this.queue[3]!) - this.queued;
  }

  private enqueue(source: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (length === 0) return;
    if (this.queued + length > this.queue.length) {
      const grown = new Uint8Array(
        Math.min(this.capacity, Math.max(this.queue.length * 2, this.queued + length, 4096)),
      );
      grown.set(this.queue.subarray(0, this.queued));
      this.queue = grown;
    }
    this.queue.set(source.subarray(start, end), this.queued);
    this.queued += length;
  }

  /** Consumes whole units from buf[start, end); returns where the first incomplete unit starts. */
  private parse(buf: Uint8Array, start: number, end: number, copyFrames: boolean): number {
    let pos = start;
    while (pos < end) {
      if (this.head) {
        const unitEnd = pos + this.head.headBytes + this.head.bodyBytes;
        if (unitEnd > end) return pos;
        const message = this.head.message;
        message.body = buf.slice(pos + this.head.headBytes, unitEnd);
        this.head = undefined;
        this.scanFrom = 0;
        pos = unitEnd;
        this.options.onMessage(message);
        continue;
      }
      const first = buf[pos]!;
      if (first === DOLLAR) {
        if (end - pos < 4) return pos;
        const channel = buf[pos + 1]!;
        const length = (buf[pos + 2]! << 8) | buf[pos + 3]!;
        if (end - pos < 4 + length) return pos;
        // A plain Uint8Array view (Buffer#subarray goes through the slower species constructor).
        const data = copyFrames
          ? buf.slice(pos + 4, pos + 4 + length)
          : new Uint8Array(buf.buffer, buf.byteOffset + pos + 4, length);
        pos += 4 + length;
        this.options.onInterleaved(channel, data);
        continue;
      }
      if (first === CR || first === LF) {
        pos++; // stray line breaks between messages (some servers send CRLF after a body)
        continue;
      }
      const headEnd = this.findHeadEnd(buf, pos, end);
      if (headEnd < 0) {
        if (end - pos > this.maxHeaderBytes) throw this.tooLarge('header');
        return pos;
      }
      if (headEnd - pos > this.maxHeaderBytes) throw this.tooLarge('header');
      const message = parseHead(decoder.decode(buf.subarray(pos, headEnd)));
      const bodyBytes = contentLength(message.headers);
      if (bodyBytes > this.maxBodyBytes) throw this.tooLarge('body');
      this.head = { message, headBytes: headEnd - pos, bodyBytes };
    }
    return pos;
  }

  /** Index just past the blank line ending the head, or -1; remembers how far it looked. */
  private findHeadEnd(buf: Uint8Array, unitStart: number, end: number): number {
    const limit = Math.min(end, unitStart + this.maxHeaderBytes + 4);
    for (let i = Math.max(unitStart, unitStart + this.scanFrom - 3); i < limit; i++) {
      if (buf[i] !== LF) continue;
      if (buf[i + 1] === LF && i + 1 < end) return i + 2;
      if (buf[i + 1] === CR && buf[i + 2] === LF && i + 2 < end) return i + 3;
    }
    this.scanFrom = limit - unitStart;
    return -1;
  }

  private tooLarge(what: string): MediaError {
    const limit = what === 'header' ? this.maxHeaderBytes : this.maxBodyBytes;
    return new MediaError(ERR_RTSP_TOO_LARGE, `RTSP ${what} exceeds ${limit} bytes`);
  }
}

function contentLength(headers: RtspHeaders): number {
  const values = headers.getAll('Content-Length');
  if (values.length === 0) return 0;
  const text = values[0]!.trim();
  if (!/^\d{1,9}$/.test(text) || values.some((v) => v.trim() !== text)) {
    throw new MediaError(ERR_RTSP_PROTOCOL, 'invalid Content-Length');
  }
  return Number(text);
}

function parseHead(text: string): RtspMessage {
  const lines = text.split(/\r?\n/);
  const startLine = lines[0]!;
  const headers = new RtspHeaders();
  let last: [string, string] | undefined;
  const pairs: Array<[string, string]> = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    if ((line[0] === ' ' || line[0] === '\t') && last) {
      last[1] += ' ' + line.trim(); // obsolete line folding
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MediaError(ERR_RTSP_PROTOCOL, 'RTSP header line without a name');
    last = [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    pairs.push(last);
  }
  for (const [k, v] of pairs) headers.append(k, v);
  const response = /^RTSP\/(\d)\.(\d) (\d{3})(?: (.*))?$/.exec(startLine);
  if (response) {
    return {
      kind: 'response',
      version: `RTSP/${response[1]}.${response[2]}`,
      statusCode: Number(response[3]),
      reason: response[4] ?? '',
      headers,
      body: new Uint8Array(0),
    };
  }
  const request = /^([A-Za-z_-]{1,32}) (\S{1,4096}) (RTSP\/\d\.\d)$/.exec(startLine);
  if (request) {
    return {
      kind: 'request',
      method: request[1]!,
      url: request[2]!,
      version: request[3]!,
      headers,
      body: new Uint8Array(0),
    };
  }
  throw new MediaError(ERR_RTSP_PROTOCOL, 'malformed RTSP start line');
}

/** Parses exactly one message from a complete buffer (for tests and captured fixtures). */
export function parseRtspMessage(bytes: Uint8Array): RtspMessage {
  const messages: RtspMessage[] = [];
  const parser = new RtspStreamParser({ onMessage: (m) => messages.push(m), onInterleaved: () => undefined });
  parser.push(bytes);
  if (messages.length !== 1 || parser.bufferedBytes !== 0) {
    throw new MediaError(ERR_RTSP_PROTOCOL, `expected one complete RTSP message, got ${messages.length}`);
  }
  return messages[0]!;
}
