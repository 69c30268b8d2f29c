// fast-check properties (seeded, bounded) of the incremental RTSP parser: any split of a stream
// gives the same messages and frames; any input throws only MediaError; buffering stays bounded.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MediaError,
  RTSP_MAX_BODY_BYTES,
  RTSP_MAX_HEADER_BYTES,
  RtspStreamParser,
  buildInterleavedFrame,
  createRequest,
  createResponse,
  serializeRequest,
  serializeResponse,
} from '@argus/media';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/rtsp/${name}`, import.meta.url));
const captures = ['gst-describe-av.bin', 'gst-describe-h265.bin', 'gst-describe-401-digest.bin'].map(fixture);
const BOUND = Math.max(RTSP_MAX_HEADER_BYTES + RTSP_MAX_BODY_BYTES, 65539);

interface Output {
  events: string[];
  error?: string;
  maxBuffered: number;
}

function run(chunks: Uint8Array[]): Output {
  const out: Output = { events: [], maxBuffered: 0 };
  const parser = new RtspStreamParser({
    onMessage: (m) => {
      const head = m.kind === 'response' ? `${m.statusCode} ${m.reason}` : `${m.method} ${m.url}`;
      out.events.push(
        `${m.kind} ${head} ${JSON.stringify([...m.headers])} ${Buffer.from(m.body).toString('hex')}`,
      );
    },
    onInterleaved: (channel, data) =>
      out.events.push(`frame ${channel} ${Buffer.from(data).toString('hex')}`),
  });
  try {
    for (const chunk of chunks) {
      parser.push(chunk);
      out.maxBuffered = Math.max(out.maxBuffered, parser.bufferedBytes);
    }
  } catch (err) {
    if (!(err instanceof MediaError)) throw err;
    out.error = err.code;
  }
  return out;
}

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let last = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.subarray(last, p));
    last = p;
  }
  return chunks;
}

const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,10}$/);
const headerValue = fc.stringMatching(/^[ -~]{0,30}$/).map((s) => s.trim());
const unit: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc
    .tuple(fc.nat(255), fc.uint8Array({ maxLength: 300 }))
    .map(([ch, data]) => buildInterleavedFrame(ch, data)),
  fc
    .tuple(
      fc.constantFrom(200, 401, 454, 302),
      fc.array(fc.tuple(token, headerValue), { maxLength: 4 }),
      fc.uint8Array({ maxLength: 200 }),
    )
    .map(([code, headers, body]) => serializeResponse(createResponse(code, headers, body))),
  fc
    .tuple(
      fc.constantFrom('OPTIONS', 'GET_PARAMETER', 'ANNOUNCE'),
      fc.array(fc.tuple(token, headerValue), { maxLength: 3 }),
    )
    .map(([method, headers]) => serializeRequest(createRequest(method, 'rtsp://127.0.0.1/x', headers))),
  fc.constantFrom(...captures),
  fc.constant(Buffer.from('\r\n')),
);

describe('RtspStreamParser properties', () => {
  it('any split of a valid stream yields the same messages and frames as one push', () => {
    fc.assert(
      fc.property(
        fc.array(unit, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (units, cuts) => {
          const stream = Buffer.concat(units);
          const whole = run([stream]);
          expect(whole.error).toBeUndefined();
          const pieces = run(split(stream, cuts));
          expect(pieces).toEqual({ ...whole, maxBuffered: pieces.maxBuffered });
          expect(pieces.maxBuffered).toBeLessThanOrEqual(BOUND);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('mutated and random streams throw only MediaError, consistently across splits, within the bound', () => {
    const mutated = fc
      .tuple(
        fc.array(unit, { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 5 }),
      )
      .map(([units, edits]) => {
        const stream = Buffer.concat(units);
        for (const [at, value] of edits) stream[at % stream.length] = value;
        return new Uint8Array(stream);
      });
    fc.assert(
      fc.property(
        fc.oneof(mutated, fc.uint8Array({ maxLength: 2000 })),
        fc.array(fc.nat(), { maxLength: 20 }),
        (stream, cuts) => {
          const whole = run([stream]);
          const pieces = run(split(stream, cuts));
          // Split chunks may surface a late error after more output, but never different output before it.
          expect(pieces.events.slice(0, whole.events.length)).toEqual(
            whole.events.slice(0, pieces.events.length),
          );
          expect(pieces.maxBuffered).toBeLessThanOrEqual(BOUND);
        },
      ),
      { seed: 42, numRuns: 400 },
    );
  });

  it('a slow stream of a huge header is cut off at the limit; a 64 KiB body completes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('header', 'body'),
        fc.integer({ min: 500, max: 5000 }),
        (kind, chunkBytes) => {
          let messages = 0;
          const parser = new RtspStreamParser({
            onMessage: () => messages++,
            onInterleaved: () => undefined,
          });
          const start =
            kind === 'header' ? 'RTSP/1.0 200 OK\r\n' : 'RTSP/1.0 200 OK\r\nContent-Length: 65536\r\n\r\n';
          let caught: unknown;
          try {
            parser.push(Buffer.from(start));
            let remaining = kind === 'header' ? 1_000_000 : 65536;
            for (let i = 0; i < 1000 && remaining > 0; i++) {
              const n = Math.min(chunkBytes, remaining);
              parser.push(Buffer.alloc(n, kind === 'header' ? 'x' : 0));
              remaining -= n;
              expect(parser.bufferedBytes).toBeLessThanOrEqual(BOUND);
            }
          } catch (err) {
            caught = err;
          }
          if (kind === 'header') expect((caught as MediaError).code).toBe('ARGUS_ERR_RTSP_TOO_LARGE');
          else expect([caught, messages, parser.bufferedBytes]).toEqual([undefined, 1, 0]);
        },
      ),
      { seed: 42, numRuns: 20 },
    );
  });
});
