// ByteWriter/ByteReader: big-endian layout, growth, box size back-patching, and typed errors for
// every overrun (TRUNCATED at the input's end, MALFORMED inside a sized structure).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ARGUS_ERR_BYTES_OUT_OF_RANGE,
  ARGUS_ERR_MP4_MALFORMED,
  ARGUS_ERR_MP4_TRUNCATED,
  ByteReader,
  ByteWriter,
  isMediaError,
} from '@argus/media';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return isMediaError(err) ? err.code : `not a MediaError: ${String(err)}`;
  }
  return 'no error';
}

describe('ByteWriter', () => {
  it('writes big-endian integers, fourccs and bytes', () => {
    const w = new ByteWriter(16);
    w.u8(0x01).u16(0x0203).u24(0x040506).u32(0x0708090a).i16(-2).i32(-3).fourcc('moov');
    w.u64(2 ** 40 + 5)
      .u64(0x0102030405060708n)
      .i64(-1)
      .bytes(Uint8Array.of(9, 9))
      .zeros(2);
    expect(Array.from(w.view())).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xfd, 0x6d, 0x6f, 0x6f, 0x76,
      0, 0, 1, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 9, 9, 0, 0,
    ]); // prettier-ignore
  });

  it('back-patches nested box sizes and FullBox headers', () => {
    const w = new ByteWriter(8);
    const outer = w.startBox('moof');
    const inner = w.startFullBox('mfhd', 1, 0x020000);
    w.u32(7);
    w.endBox(inner);
    w.endBox(outer);
    const b = w.toUint8Array();
    const dv = new DataView(b.buffer);
    expect([dv.getUint32(0), dv.getUint32(8), dv.getUint32(16), dv.getUint32(20)]).toEqual([
      24, 16, 0x01020000, 7,
    ]);
  });

  it('grows from a tiny buffer, and reset keeps working', () => {
    const w = new ByteWriter(1);
    for (let i = 0; i < 10_000; i++) w.u32(i);
    expect(w.length).toBe(40_000);
    expect(new DataView(w.view().buffer).getUint32(4 * 9999)).toBe(9999);
    const copy = w.toUint8Array();
    w.reset();
    w.u8(0xaa);
    expect(w.length).toBe(1);
    expect(copy[3]).toBe(0); // the copy is unaffected by later writes
  });

  it('refuses values that do not fit', () => {
    const w = new ByteWriter();
    for (const bad of [
      () => w.u8(256),
      () => w.u8(-1),
      () => w.u16(0x10000),
      () => w.u24(0x1000000),
      () => w.u32(2 ** 32),
      () => w.u32(1.5),
      () => w.i32(2 ** 31),
      () => w.u64(-1),
      () => w.u64(2 ** 53),
      () => w.u64(1n << 64n),
      () => w.fourcc('abc'),
      () => w.setU32At(100, 1),
    ]) {
      expect(codeOf(bad)).toBe(ARGUS_ERR_BYTES_OUT_OF_RANGE);
    }
  });
});

describe('ByteReader', () => {
  it('reads what the writer wrote (property)', () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant('u8' as const), v: fc.integer({ min: 0, max: 0xff }) }),
      fc.record({ t: fc.constant('u16' as const), v: fc.integer({ min: 0, max: 0xffff }) }),
      fc.record({ t: fc.constant('u24' as const), v: fc.integer({ min: 0, max: 0xffffff }) }),
      fc.record({ t: fc.constant('u32' as const), v: fc.integer({ min: 0, max: 0xffff_ffff }) }),
      fc.record({ t: fc.constant('i32' as const), v: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }),
      fc.record({ t: fc.constant('u64' as const), v: fc.maxSafeNat() }),
      fc.record({ t: fc.constant('i64' as const), v: fc.maxSafeInteger() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 50 }), (ops) => {
        const w = new ByteWriter(4);
        for (const o of ops) w[o.t](o.v);
        const r = new ByteReader(w.toUint8Array());
        for (const o of ops) expect(r[o.t]()).toBe(o.v);
        expect(r.remaining).toBe(0);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('throws TRUNCATED at the end of the input and the chosen code inside a sub-structure', () => {
    const r = new ByteReader(Uint8Array.of(0, 0, 0, 9, 1, 2));
    expect(codeOf(() => r.u64())).toBe(ARGUS_ERR_MP4_TRUNCATED);
    expect(r.pos).toBe(0); // a failed read does not move
    const sub = r.sub(4, ARGUS_ERR_MP4_MALFORMED);
    expect(sub.u16()).toBe(0);
    expect(codeOf(() => sub.u32())).toBe(ARGUS_ERR_MP4_MALFORMED);
    expect(r.pos).toBe(4);
    expect(codeOf(() => r.bytesView(3))).toBe(ARGUS_ERR_MP4_TRUNCATED);
    expect(codeOf(() => r.ensure(2 ** 40, 'table'))).toBe(ARGUS_ERR_MP4_TRUNCATED);
    expect(codeOf(() => r.seek(7))).toBe(ARGUS_ERR_MP4_TRUNCATED);
    expect(codeOf(() => new ByteReader(new Uint8Array(4), 2, 8))).toBe(ARGUS_ERR_MP4_TRUNCATED);
  });

  it('refuses 64-bit values beyond 2^53 as MALFORMED, but reads them as bigint', () => {
    const b = Uint8Array.of(0xff, 0, 0, 0, 0, 0, 0, 1);
    expect(codeOf(() => new ByteReader(b).u64())).toBe(ARGUS_ERR_MP4_MALFORMED);
    expect(codeOf(() => new ByteReader(Uint8Array.of(0x80, 0, 0, 0, 0, 0, 0, 0)).i64())).toBe(
      ARGUS_ERR_MP4_MALFORMED,
    );
    expect(new ByteReader(b).u64Big()).toBe(0xff00_0000_0000_0001n);
  });

  it('returns views, not copies, over a window of a larger array', () => {
    const backing = Uint8Array.of(9, 9, 0x66, 0x74, 0x79, 0x70, 5, 9);
    const r = new ByteReader(backing, 2, 7);
    expect(r.fourcc()).toBe('ftyp');
    const v = r.bytesView(1);
    backing[6] = 6;
    expect(v[0]).toBe(6);
    expect(r.remaining).toBe(0);
    expect(codeOf(() => r.u8())).toBe(ARGUS_ERR_MP4_TRUNCATED);
  });
});
