// RTSP message layer: captured GStreamer replies parse into the expected fields, requests serialize
// byte-exactly, interleaved frames are demultiplexed, and limits and malformed input give MediaError.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  RtspHeaders,
  RtspStreamParser,
  buildInterleavedFrame,
  createRequest,
  createResponse,
  isMediaError,
  parseRtspMessage,
  parseSdp,
  serializeRequest,
  serializeResponse,
} from '@argus/media';
import type { RtspMessage } from '@argus/media';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/rtsp/${name}`, import.meta.url));

function collect(chunks: Uint8Array[], opts: { maxHeaderBytes?: number; maxBodyBytes?: number } = {}) {
  const messages: RtspMessage[] = [];
  const frames: Array<[number, number[]]> = [];
  const parser = new RtspStreamParser({
    ...opts,
    onMessage: (m) => messages.push(m),
    onInterleaved: (channel, data) => frames.push([channel, Array.from(data)]),
  });
  for (const chunk of chunks) parser.push(chunk);
  return { messages, frames, parser };
}

function expectMediaError(fn: () => unknown, code: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(isMediaError(caught, code as `ARGUS_ERR_${string}`)).toBe(true);
}

describe('parseRtspMessage on captures', () => {
  it('parses a GStreamer DESCRIBE reply with headers and SDP body', () => {
    const bytes = fixture('gst-describe-av.bin');
    const msg = parseRtspMessage(bytes);
    expect(msg.kind).toBe('response');
    if (msg.kind !== 'response') return;
    expect(msg.statusCode).toBe(200);
    expect(msg.reason).toBe('OK');
    expect(msg.headers.get('cseq')).toBe('2');
    expect(msg.headers.get('Content-Type')).toBe('application/sdp');
    expect(msg.headers.get('content-base')).toMatch(/^rtsp:\/\/127\.0\.0\.1:\d+\/av\/$/);
    expect(msg.body.length).toBe(Number(msg.headers.get('Content-Length')));
    expect(parseSdp(msg.body).tracks).toHaveLength(2);
    // Serializing the parsed reply gives back the captured bytes.
    expect(Buffer.compare(serializeResponse(msg), bytes)).toBe(0);
  });

  it('parses the 401 Digest challenge', () => {
    const msg = parseRtspMessage(fixture('gst-describe-401-digest.bin'));
    expect(msg.kind === 'response' && msg.statusCode).toBe(401);
    expect(msg.headers.getAll('WWW-Authenticate')[0]).toMatch(
      /^Digest realm="GStreamer RTSP Server", nonce="/,
    );
  });
});

describe('serializeRequest', () => {
  it('writes the request line, headers in order and Content-Length for a body', () => {
    const req = createRequest(
      'SET_PARAMETER',
      'rtsp://h/x',
      { CSeq: 3, Session: 'abc' },
      Buffer.from('a: b\r\n'),
    );
    expect(serializeRequest(req).toString()).toBe(
      'SET_PARAMETER rtsp://h/x RTSP/1.0\r\nCSeq: 3\r\nSession: abc\r\nContent-Length: 6\r\n\r\na: b\r\n',
    );
  });

  it('rejects header injection and bad URLs', () => {
    expectMediaError(
      () => serializeRequest(createRequest('OPTIONS', 'rtsp://h/x', { CSeq: '1\r\nEvil: 1' })),
      'ARGUS_ERR_RTSP_PROTOCOL',
    );
    expectMediaError(
      () => serializeRequest(createRequest('OPTIONS', 'rtsp://h/ x')),
      'ARGUS_ERR_RTSP_PROTOCOL',
    );
  });
});

describe('RtspStreamParser', () => {
  const reply = serializeResponse(createResponse(200, { CSeq: 5, 'Content-Length': 3 }, Buffer.from('abc')));
  const request = serializeRequest(createRequest('GET_PARAMETER', 'rtsp://h/', { CSeq: 9 }));
  const frame = buildInterleavedFrame(1, Uint8Array.from([1, 2, 3, 4]));

  it('demultiplexes interleaved frames, responses and server requests, byte by byte too', () => {
    const stream = Buffer.concat([
      frame,
      reply,
      Buffer.from('\r\n'),
      request,
      buildInterleavedFrame(0, new Uint8Array(0)),
    ]);
    const whole = collect([stream]);
    const bytewise = collect([...stream].map((b) => Uint8Array.of(b)));
    for (const out of [whole, bytewise]) {
      expect(out.frames).toEqual([
        [1, [1, 2, 3, 4]],
        [0, []],
      ]);
      expect(out.messages.map((m) => m.kind)).toEqual(['response', 'request']);
      expect(Buffer.from(out.messages[0]!.body).toString()).toBe('abc');
      expect(out.messages[1]!.kind === 'request' && out.messages[1]!.method).toBe('GET_PARAMETER');
      expect(out.parser.bufferedBytes).toBe(0);
    }
  });

  it('accepts LF-only line ends and folded headers', () => {
    const out = collect([Buffer.from('RTSP/1.0 200 OK\nCSeq: 1\nPublic: OPTIONS,\n DESCRIBE\n\n')]);
    expect(out.messages[0]!.headers.get('public')).toBe('OPTIONS, DESCRIBE');
  });

  it('enforces header and body limits', () => {
    const bigHeader = Buffer.from(`RTSP/1.0 200 OK\r\nX: ${'a'.repeat(2000)}\r\n\r\n`);
    expectMediaError(() => collect([bigHeader], { maxHeaderBytes: 1024 }), 'ARGUS_ERR_RTSP_TOO_LARGE');
    // Never-ending header: rejected once the limit is passed, without waiting for the blank line.
    expectMediaError(
      () => collect([Buffer.from('RTSP/1.0 200 OK\r\n' + 'X: y\r\n'.repeat(400))], { maxHeaderBytes: 1024 }),
      'ARGUS_ERR_RTSP_TOO_LARGE',
    );
    const bigBody = Buffer.from('RTSP/1.0 200 OK\r\nContent-Length: 70000\r\n\r\n');
    expectMediaError(() => collect([bigBody]), 'ARGUS_ERR_RTSP_TOO_LARGE');
  });

  it('rejects malformed input and stays failed', () => {
    expectMediaError(() => collect([Buffer.from('HTTP/1.1 200 OK\r\n\r\n')]), 'ARGUS_ERR_RTSP_PROTOCOL');
    expectMediaError(
      () => collect([Buffer.from('RTSP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n')]),
      'ARGUS_ERR_RTSP_PROTOCOL',
    );
    expectMediaError(
      () => collect([Buffer.from('RTSP/1.0 200 OK\r\nnocolon\r\n\r\n')]),
      'ARGUS_ERR_RTSP_PROTOCOL',
    );
    const parser = new RtspStreamParser({ onMessage: () => undefined, onInterleaved: () => undefined });
    expectMediaError(() => parser.push(Buffer.from('garbage\r\n\r\n')), 'ARGUS_ERR_RTSP_PROTOCOL');
    expectMediaError(() => parser.push(reply), 'ARGUS_ERR_RTSP_PROTOCOL');
  });

  it('keeps frame data valid after later pushes reuse the caller buffer', () => {
    const frames: Uint8Array[] = [];
    const parser = new RtspStreamParser({
      onMessage: () => undefined,
      onInterleaved: (_c, d) => frames.push(d),
    });
    const buf = Buffer.alloc(6);
    buf.set([0x24, 0, 0, 4, 9, 9]); // frame split across pushes: copied out of the parser's queue
    parser.push(buf);
    buf.set([9, 9, 0x24, 0, 0, 0]);
    parser.push(buf.subarray(0, 2));
    expect(Array.from(frames[0]!)).toEqual([9, 9, 9, 9]);
  });

  it('headers keep repeated values apart', () => {
    const headers = new RtspHeaders([
      ['WWW-Authenticate', 'Digest realm="a"'],
      ['www-authenticate', 'Basic realm="a"'],
    ]);
    expect(headers.getAll('WWW-AUTHENTICATE')).toEqual(['Digest realm="a"', 'Basic realm="a"']);
  });
});
