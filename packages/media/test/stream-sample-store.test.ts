// The recording writer's sample store against a model: a stored sample keeps its bytes (video in
// the 4-byte length-prefixed mdat form) until it is released, whatever is stored or released in
// between, and released memory is reused instead of allocated again.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SampleStore, type StoredSample } from '../src/stream/sample-store.js';

const filled = (n: number, seed: number): Uint8Array => new Uint8Array(n).fill(seed & 0xff);
const pattern = (n: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (seed * 17 + i) & 0xff);

function lengthPrefixed(nalus: Uint8Array[]): Uint8Array {
  const out: number[] = [];
  for (const n of nalus)
    out.push(n.length >>> 24, (n.length >>> 16) & 0xff, (n.length >>> 8) & 0xff, n.length & 0xff, ...n);
  return Uint8Array.from(out);
}

const op = fc.oneof(
  fc.record({
    kind: fc.constant('nalus' as const),
    sizes: fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('data' as const), size: fc.integer({ min: 0, max: 20_000 }) }),
  fc.record({ kind: fc.constant('release' as const), count: fc.integer({ min: 1, max: 4 }) }),
);

describe('SampleStore', () => {
  it('keeps every stored sample intact until released, in any interleaving', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const store = new SampleStore(16 * 1024);
        const live: { stored: StoredSample; expected: Uint8Array }[] = [];
        let seed = 0;
        for (const o of ops) {
          if (o.kind === 'release') {
            for (const s of live.splice(0, o.count)) store.release(s.stored.block);
          } else if (o.kind === 'nalus') {
            const nalus = o.sizes.map((n) => pattern(n, seed++));
            live.push({ stored: store.storeNalus(nalus), expected: lengthPrefixed(nalus) });
          } else {
            const data = pattern(o.size, seed++);
            live.push({ stored: store.storeData(data), expected: data.slice() });
          }
          for (const s of live) expect(Buffer.from(s.stored.data).equals(Buffer.from(s.expected))).toBe(true);
        }
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it('reuses released blocks: a steady stream of fragments allocates a bounded set of blocks', () => {
    const store = new SampleStore(64 * 1024);
    const buffers = new Set<ArrayBufferLike>();
    const queued: StoredSample[] = [];
    for (let fragment = 0; fragment < 200; fragment++) {
      // One key picture (up to 100 KB, larger than a block) then 9 pictures of 10-20 KB.
      const key = store.storeNalus([filled(60_000 + (fragment % 5) * 10_000, fragment)]);
      queued.push(key);
      for (let i = 0; i < 9; i++)
        queued.push(store.storeNalus([filled(10_000 + ((fragment * 7 + i) % 10) * 1000, i)]));
      for (const s of queued) buffers.add(s.data.buffer);
      // The fragment is written: all but the newest (held back) sample are released.
      for (const s of queued.splice(0, queued.length - 1)) store.release(s.block);
    }
    expect(buffers.size).toBeLessThanOrEqual(12);
  });
});
