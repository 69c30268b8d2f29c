// Bounds-checked big-endian reader over a window of a Uint8Array. Every overrun throws a
// MediaError (TRUNCATED at the end of the input, MALFORMED inside a box whose size is known).
import { MediaError, type MediaErrorCode } from '../media-error.js';
import { ARGUS_ERR_MP4_MALFORMED, ARGUS_ERR_MP4_TRUNCATED } from './byte-error-codes.js';

const TWO_POW_32 = 0x1_0000_0000;

export class ByteReader {
  private readonly dv: DataView;
  private p: number;

  /**
   * @param bytes the backing bytes (never copied)
   * @param start first readable offset in `bytes`
   * @param end offset after the last readable byte
   * @param overrunCode code thrown when a read passes `end`
   */
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end: number = bytes.length,
    private readonly overrunCode: MediaErrorCode = ARGUS_ERR_MP4_TRUNCATED,
  ) {
    if (start < 0 || end > bytes.length || start > end) {
      throw new MediaError(overrunCode, `reader window ${start}..${end} outside ${bytes.length} bytes`);
    }
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.p = start;
  }

  /** Current offset within `bytes`. */
  get pos(): number {
    return this.p;
  }

  get remaining(): number {
    return this.end - this.p;
  }

  /** Throws unless `n` more bytes are readable; call before allocating from a count field. */
  ensure(n: number, what = 'field'): void {
    if (!(n >= 0) || n > this.end - this.p) {
      throw new MediaError(
        this.overrunCode,
        `${what} needs ${n} bytes at offset ${this.p}, only ${this.end - this.p} left`,
      );
    }
  }

  seek(pos: number): void {
    if (pos < 0 || pos > this.end) throw new MediaError(this.overrunCode, `seek to ${pos} outside window`);
    this.p = pos;
  }

  skip(n: number): void {
    this.ensure(n, 'skip');
    this.p += n;
  }

  u8(): number {
    this.ensure(1);
    return this.dv.getUint8(this.p++);
  }

  u16(): number {
    this.ensure(2);
    const v = this.dv.getUint16(this.p);
    this.p += 2;
    return v;
  }

  i16(): number {
    this.ensure(2);
    const v = this.dv.getInt16(this.p);
    this.p += 2;
    return v;
  }

  u24(): number {
    this.ensure(3);
    const v = (this.dv.getUint8(this.p) << 16) | this.dv.getUint16(this.p + 1);
    this.p += 3;
    return v;
  }

  u32(): number {
    this.ensure(4);
    const v = this.dv.getUint32(this.p);
    this.p += 4;
    return v;
  }

  i32(): number {
    this.ensure(4);
    const v = this.dv.getInt32(this.p);
    this.p += 4;
    return v;
  }

  /** Unsigned 64-bit as a number; values beyond 2^53 are MALFORMED (no real file needs them). */
  u64(): number {
    this.ensure(8);
    const hi = this.dv.getUint32(this.p);
    const lo = this.dv.getUint32(this.p + 4);
    if (hi >= 0x20_0000) {
      throw new MediaError(ARGUS_ERR_MP4_MALFORMED, `64-bit value at offset ${this.p} exceeds 2^53`);
    }
    this.p += 8;
    return hi * TWO_POW_32 + lo;
  }

  /** Unsigned 64-bit as a bigint (NTP timestamps use all 64 bits). */
  u64Big(): bigint {
    this.ensure(8);
    const v = this.dv.getBigUint64(this.p);
    this.p += 8;
    return v;
  }

  /** Signed 64-bit as a number; magnitudes beyond 2^53 are MALFORMED. */
  i64(): number {
    this.ensure(8);
    const v = this.dv.getBigInt64(this.p);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new MediaError(ARGUS_ERR_MP4_MALFORMED, `64-bit value at offset ${this.p} exceeds 2^53`);
    }
    this.p += 8;
    return Number(v);
  }

  /** Four bytes as a latin-1 string (box types and brands). */
  fourcc(): string {
    this.ensure(4);
    const b = this.bytes;
    const p = this.p;
    this.p += 4;
    return String.fromCharCode(b[p] ?? 0, b[p + 1] ?? 0, b[p + 2] ?? 0, b[p + 3] ?? 0);
  }

  /** The next `n` bytes as a view (no copy). */
  bytesView(n: number): Uint8Array {
    this.ensure(n, 'bytes');
    const v = this.bytes.subarray(this.p, this.p + n);
    this.p += n;
    return v;
  }

  /** A reader over the next `n` bytes (advancing past them), throwing `code` on overrun. */
  sub(n: number, code: MediaErrorCode = this.overrunCode): ByteReader {
    this.ensure(n, 'sub-structure');
    const r = new ByteReader(this.bytes, this.p, this.p + n, code);
    this.p += n;
    return r;
  }
}
