// MSB-first bit reader over an RBSP with Exp-Golomb codes (ITU-T H.264 §7.2 / §9.1, H.265 §9.2),
// plus emulation-prevention removal (H.264 §7.4.1, H.265 §7.4.2): every read is bounds-checked.
import { MediaError } from '../media-error.js';

export const ERR_CODEC_BITSTREAM = 'ARGUS_ERR_CODEC_BITSTREAM' as const;

/** Returns the RBSP of a NAL unit: every 0x000003 has its 0x03 removed (a copy only when needed). */
export function removeEmulationPrevention(nal: Uint8Array): Uint8Array {
  let first = -1;
  for (let i = 2; i < nal.length; i++) {
    if (nal[i] === 3 && nal[i - 1] === 0 && nal[i - 2] === 0) {
      first = i;
      break;
    }
  }
  if (first < 0) return nal;
  const out = new Uint8Array(nal.length);
  out.set(nal.subarray(0, first), 0);
  let n = first;
  let zeros = 0;
  for (let i = first + 1; i < nal.length; i++) {
    const b = nal[i]!;
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    out[n++] = b;
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, n);
}

export class BitReader {
  private bitPos = 0;
  private readonly bitLength: number;

  constructor(private readonly data: Uint8Array) {
    this.bitLength = data.length * 8;
  }

  get bitsLeft(): number {
    return this.bitLength - this.bitPos;
  }

  get position(): number {
    return this.bitPos;
  }

  private need(bits: number): void {
    if (bits > this.bitLength - this.bitPos)
      throw new MediaError(ERR_CODEC_BITSTREAM, 'bitstream ended early');
  }

  readBit(): number {
    this.need(1);
    const byte = this.data[this.bitPos >> 3]!;
    const bit = (byte >> (7 - (this.bitPos & 7))) & 1;
    this.bitPos++;
    return bit;
  }

  readFlag(): boolean {
    return this.readBit() === 1;
  }

  /** Reads up to 32 bits as an unsigned integer. */
  readBits(count: number): number {
    if (count === 0) return 0;
    this.need(count);
    let value = 0;
    for (let i = 0; i < count; i++) {
      const byte = this.data[this.bitPos >> 3]!;
      value = value * 2 + ((byte >> (7 - (this.bitPos & 7))) & 1);
      this.bitPos++;
    }
    return value;
  }

  skipBits(count: number): void {
    this.need(count);
    this.bitPos += count;
  }

  /** ue(v): unsigned Exp-Golomb; values past 2^32-2 are rejected as corrupt. */
  readUe(): number {
    let leadingZeros = 0;
    while (this.readBit() === 0) {
      leadingZeros++;
      if (leadingZeros > 31) throw new MediaError(ERR_CODEC_BITSTREAM, 'Exp-Golomb code longer than 32 bits');
    }
    return 2 ** leadingZeros - 1 + this.readBits(leadingZeros);
  }

  /** se(v): signed Exp-Golomb (H.264 §9.1.1). */
  readSe(): number {
    const k = this.readUe();
    return k % 2 === 1 ? (k + 1) / 2 : -(k / 2);
  }

  /** ue(v) that must not exceed max (a syntax element's legal range); guards loop counts. */
  readUeMax(max: number, what: string): number {
    const v = this.readUe();
    if (v > max) throw new MediaError(ERR_CODEC_BITSTREAM, `${what} ${v} exceeds ${max}`);
    return v;
  }
}
