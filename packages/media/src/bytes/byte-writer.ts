// Growable big-endian writer over Uint8Array + DataView (no Node Buffer), with ISOBMFF box
// start/end helpers that back-patch the 32-bit size (ISO/IEC 14496-12 §4.2, Box and FullBox).
import { MediaError } from '../media-error.js';
import { ARGUS_ERR_BYTES_OUT_OF_RANGE } from './byte-error-codes.js';

const TWO_POW_32 = 0x1_0000_0000;

function outOfRange(what: string, value: number | bigint): MediaError {
  return new MediaError(ARGUS_ERR_BYTES_OUT_OF_RANGE, `${what} out of range: ${String(value)}`);
}

export class ByteWriter {
  private buf: Uint8Array;
  private dv: DataView;
  private pos = 0;

  constructor(initialCapacityBytes = 1024) {
    this.buf = new Uint8Array(Math.max(16, initialCapacityBytes));
    this.dv = new DataView(this.buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /** Forget the content but keep the allocation, so one writer serves many fragments. */
  reset(): void {
    this.pos = 0;
  }

  private reserve(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }

  u8(v: number): this {
    if (!(v >= 0 && v <= 0xff && Number.isInteger(v))) throw outOfRange('u8', v);
    this.reserve(1);
    this.buf[this.pos++] = v;
    return this;
  }

  u16(v: number): this {
    if (!(v >= 0 && v <= 0xffff && Number.isInteger(v))) throw outOfRange('u16', v);
    this.reserve(2);
    this.dv.setUint16(this.pos, v);
    this.pos += 2;
    return this;
  }

  i16(v: number): this {
    if (!(v >= -0x8000 && v <= 0x7fff && Number.isInteger(v))) throw outOfRange('i16', v);
    this.reserve(2);
    this.dv.setInt16(this.pos, v);
    this.pos += 2;
    return this;
  }

  u24(v: number): this {
    if (!(v >= 0 && v <= 0xffffff && Number.isInteger(v))) throw outOfRange('u24', v);
    this.reserve(3);
    this.buf[this.pos] = v >>> 16;
    this.buf[this.pos + 1] = (v >>> 8) & 0xff;
    this.buf[this.pos + 2] = v & 0xff;
    this.pos += 3;
    return this;
  }

  u32(v: number): this {
    if (!(v >= 0 && v < TWO_POW_32 && Number.isInteger(v))) throw outOfRange('u32', v);
    this.reserve(4);
    this.dv.setUint32(this.pos, v);
    this.pos += 4;
    return this;
  }

  i32(v: number): this {
    if (!(v >= -0x8000_0000 && v <= 0x7fff_ffff && Number.isInteger(v))) throw outOfRange('i32', v);
    this.reserve(4);
    this.dv.setInt32(this.pos, v);
    this.pos += 4;
    return this;
  }

  /** Unsigned 64-bit from a safe integer number or a bigint. */
  u64(v: number | bigint): this {
    this.reserve(8);
    if (typeof v === 'bigint') {
      if (v < 0n || v > 0xffff_ffff_ffff_ffffn) throw outOfRange('u64', v);
      this.dv.setBigUint64(this.pos, v);
    } else {
      if (!(v >= 0 && Number.isSafeInteger(v))) throw outOfRange('u64', v);
      this.dv.setUint32(this.pos, Math.floor(v / TWO_POW_32));
      this.dv.setUint32(this.pos + 4, v >>> 0);
    }
    this.pos += 8;
    return this;
  }

  /** Signed 64-bit from a safe integer (elst media_time -1 for an empty edit). */
  i64(v: number): this {
    if (!Number.isSafeInteger(v)) throw outOfRange('i64', v);
    this.reserve(8);
    this.dv.setBigInt64(this.pos, BigInt(v));
    this.pos += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  zeros(n: number): this {
    this.reserve(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
    return this;
  }

  /** Four ASCII characters (a box type or brand). */
  fourcc(s: string): this {
    if (s.length !== 4) throw outOfRange('fourcc length', s.length);
    this.reserve(4);
    for (let i = 0; i < 4; i++) {
      const c = s.charCodeAt(i);
      if (c > 0xff) throw outOfRange('fourcc char', c);
      this.buf[this.pos + i] = c;
    }
    this.pos += 4;
    return this;
  }

  /** Overwrite a u32 already written at `at` (back-patching offsets and sizes). */
  setU32At(at: number, v: number): void {
    if (at < 0 || at + 4 > this.pos) throw outOfRange('patch position', at);
    if (!(v >= 0 && v < TWO_POW_32 && Number.isInteger(v))) throw outOfRange('u32', v);
    this.dv.setUint32(at, v);
  }

  /** Opens a box: writes a placeholder size and the type; returns the box start for endBox. */
  startBox(type: string): number {
    const start = this.pos;
    this.u32(0).fourcc(type);
    return start;
  }

  /** Opens a FullBox (version + 24-bit flags after the type). */
  startFullBox(type: string, version: number, flags: number): number {
    const start = this.startBox(type);
    this.u8(version).u24(flags);
    return start;
  }

  /** Closes the box opened at `start` by patching its size. */
  endBox(start: number): void {
    this.setU32At(start, this.pos - start);
  }

  /** A view of the written bytes (no copy); valid until the next write or reset. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** A copy of the written bytes, safe to keep. */
  toUint8Array(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
