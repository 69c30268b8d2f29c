// Seeded fuzzing of the MP4 readers on mutated fixtures: whatever the bytes, they return a result
// (possibly with a torn tail) or throw a MediaError, finish quickly, and allocate within bounds.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Fmp4StreamReader,
  isMediaError,
  parseAvcC,
  parseEsds,
  parseHvcC,
  readMp4,
  type Mp4ReadLimits,
} from '@argus/media';

const load = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`./fixtures/mp4/${name}`, import.meta.url))));
const FIXTURES = ['argus-h264-aac.mp4', 'h264-aac-frag.mp4', 'h265-aac-frag.mp4', 'h264-aac-prog.mp4'].map(
  load,
);
const LIMITS: Mp4ReadLimits = {
  maxBoxSizeBytes: 1 << 20,
  maxSamplesPerFragment: 5000,
  maxSamplesPerTrack: 50_000,
};

/** Offsets of every box header in a fixture (where mutations hurt most). */
function headerOffsets(file: Uint8Array): number[] {
  const out: number[] = [];
  const containers = new Set([
    'moov',
    'trak',
    'mdia',
    'minf',
    'stbl',
    'mvex',
    'moof',
    'traf',
    'edts',
    'dinf',
  ]);
  const dv = new DataView(file.buffer, file.byteOffset, file.length);
  const walk = (start: number, end: number, depth: number): void => {
    for (let p = start; p + 8 <= end && depth < 8;) {
      const size = dv.getUint32(p);
      const type = String.fromCharCode(...file.subarray(p + 4, p + 8));
      out.push(p);
      if (size < 8 || p + size > end) return;
      if (containers.has(type)) walk(p + 8, p + size, depth + 1);
      if (type === 'stsd') walk(p + 16, p + size, depth + 1);
      if (type === 'avc1' || type === 'hvc1') walk(p + 86, p + size, depth + 1);
      if (type === 'mp4a') walk(p + 36, p + size, depth + 1);
      p += size;
    }
  };
  walk(0, file.length, 0);
  return out;
}
const HEADERS = FIXTURES.map(headerOffsets);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('field' as const),
    header: fc.nat(),
    delta: fc.integer({ min: 0, max: 40 }),
    value: fc.oneof(
      fc.constantFrom(0, 1, 7, 8, 9, 16, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff),
      fc.integer({ min: 0, max: 0xffff_ffff }),
    ),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }),
  }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(file: Uint8Array, headers: number[], ms: Mutation[]): Uint8Array {
  let b = file.slice();
  for (const m of ms) {
    if (b.length === 0) break;
    if (m.kind === 'byte') b[m.at % b.length] = m.value;
    else if (m.kind === 'field') {
      const at = (headers[m.header % headers.length] ?? 0) + m.delta;
      if (at + 4 <= b.length) new DataView(b.buffer).setUint32(at, m.value);
    } else if (m.kind === 'truncate') b = b.slice(0, m.at % (b.length + 1));
    else if (m.kind === 'delete') {
      const at = m.at % b.length;
      b = new Uint8Array([...b.subarray(0, at), ...b.subarray(at + m.length)]);
    } else {
      const at = m.at % (b.length + 1);
      b = new Uint8Array([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
    }
  }
  return b;
}

/** Runs `run`; a MediaError is an accepted outcome, anything else fails. Returns the error code. */
function onlyMediaErrors(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    if (!isMediaError(err)) throw err;
    return err.code;
  }
}

describe('MP4 reader fuzz', () => {
  it('throws only MediaError, stays fast and bounded on mutated fixtures', () => {
    const heapBefore = process.memoryUsage().heapUsed;
    let slowest = 0;
    const outcomes = new Map<string, number>();
    const count = (k: string): void => void outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
    fc.assert(
      fc.property(
        fc.nat(FIXTURES.length - 1),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 9000 }),
        (which, ms, chunk) => {
          const input = mutate(FIXTURES[which]!, HEADERS[which]!, ms);
          const t0 = performance.now();
          const code = onlyMediaErrors(() => {
            const r = readMp4(input, LIMITS);
            count(r.tornTailAtByte === undefined ? 'whole' : 'torn');
            expect(r.samples.length).toBeLessThanOrEqual(
              LIMITS.maxSamplesPerTrack! * r.tracks.length +
                LIMITS.maxSamplesPerFragment! * r.fragments.length,
            );
            for (const s of r.samples) expect(s.byteOffset + s.data.length).toBeLessThanOrEqual(input.length);
            if (r.tornTailAtByte !== undefined) expect(r.tornTailAtByte).toBeLessThanOrEqual(input.length);
          });
          if (code !== undefined) count(code);
          onlyMediaErrors(() => readMp4(input, { ...LIMITS, malformedTail: 'report' }));
          onlyMediaErrors(() => {
            const reader = new Fmp4StreamReader(LIMITS);
            for (let p = 0; p < input.length; p += chunk) reader.push(input.subarray(p, p + chunk));
            reader.end();
          });
          slowest = Math.max(slowest, performance.now() - t0);
        },
      ),
      { seed: 42, numRuns: 1500 },
    );
    expect(slowest).toBeLessThan(1000);
    // The mutations reach every outcome: whole files, torn tails, and typed errors.
    for (const k of ['whole', 'torn', 'ARGUS_ERR_MP4_MALFORMED'])
      expect(outcomes.get(k) ?? 0).toBeGreaterThan(20);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
  });

  it('config box parsers throw only MediaError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(1, 0x11), (bytes, first) => {
        const b =
          bytes.length > 0 ? Uint8Array.from([first === 0x11 ? 1 : first, ...bytes.subarray(1)]) : bytes;
        onlyMediaErrors(() => parseAvcC(b));
        onlyMediaErrors(() => parseHvcC(b));
        onlyMediaErrors(() => parseEsds(bytes));
        onlyMediaErrors(() => parseEsds(Uint8Array.from([3, ...bytes])));
      }),
      { seed: 42, numRuns: 3000 },
    );
  });
});
