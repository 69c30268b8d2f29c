// Memory a recording writer recycles for the samples it queues until their fragment is written:
// each sample is copied once into a block, video NAL units behind their 4-byte lengths (the mdat
// form, ISO/IEC 14496-15 §5.3.2), and a block is reused once every sample in it was written. A
// second of queued media thus stays in a few long-lived blocks instead of fresh buffers that live
// long enough to reach V8's old generation and wait there for a full garbage collection.

/** One block: bytes [0, used) hold stored samples; refs counts those not yet released. */
export interface SampleBlock {
  readonly bytes: Uint8Array;
  used: number;
  refs: number;
}

/** A stored sample: its bytes (a view of its block) and the block to release it to. */
export interface StoredSample {
  data: Uint8Array;
  block: SampleBlock;
}

/** Default block size: about a quarter of a second of a 4 Mbit/s camera. */
export const SAMPLE_BLOCK_BYTES = 128 * 1024;
/** Free blocks kept for reuse beyond those in use (a long GOP's spike is given back). */
const MAX_FREE_BLOCKS = 8;

export class SampleStore {
  private current: SampleBlock | undefined;
  private readonly free: Uint8Array[] = [];

  constructor(private readonly blockBytes = SAMPLE_BLOCK_BYTES) {}

  /** Copies video NAL units, each behind its 4-byte big-endian length. */
  storeNalus(nalus: readonly Uint8Array[]): StoredSample {
    let size = 0;
    for (const nal of nalus) size += 4 + nal.length;
    const block = this.blockFor(size);
    const bytes = block.bytes;
    const start = block.used;
    let p = start;
    for (const nal of nalus) {
      const n = nal.length;
      bytes[p] = n >>> 24;
      bytes[p + 1] = (n >>> 16) & 0xff;
      bytes[p + 2] = (n >>> 8) & 0xff;
      bytes[p + 3] = n & 0xff;
      bytes.set(nal, p + 4);
      p += 4 + n;
    }
    block.used = p;
    block.refs++;
    return { data: bytes.subarray(start, p), block };
  }

  /** Copies bytes as they are (an audio frame). */
  storeData(data: Uint8Array): StoredSample {
    const block = this.blockFor(data.length);
    const start = block.used;
    block.bytes.set(data, start);
    block.used += data.length;
    block.refs++;
    return { data: block.bytes.subarray(start, block.used), block };
  }

  /** The sample was written (or dropped): its block is reused once nothing in it is pending. */
  release(block: SampleBlock): void {
    block.refs--;
    if (block.refs === 0 && block !== this.current) this.recycle(block);
  }

  /** The current block if `size` more bytes fit, else a reused or new one (larger for big samples). */
  private blockFor(size: number): SampleBlock {
    const cur = this.current;
    if (cur !== undefined) {
      if (cur.refs === 0) cur.used = 0; // everything stored in it was written: start over
      if (cur.used + size <= cur.bytes.length) return cur;
      if (cur.refs === 0) this.recycle(cur);
    }
    let bytes: Uint8Array | undefined;
    for (let i = 0; i < this.free.length; i++) {
      if (this.free[i]!.length >= size) {
        bytes = this.free[i]!;
        this.free.splice(i, 1);
        break;
      }
    }
    const block: SampleBlock = {
      bytes: bytes ?? new Uint8Array(Math.max(this.blockBytes, size)),
      used: 0,
      refs: 0,
    };
    this.current = block;
    return block;
  }

  private recycle(block: SampleBlock): void {
    if (this.free.length < MAX_FREE_BLOCKS) this.free.push(block.bytes);
  }
}
