// Incremental fragmented-MP4 reader (ISO/IEC 14496-12 §8.8): feed chunks as they arrive (a live
// feed, a file read in pieces during recovery) and get each fragment once it is whole. Memory is
// bounded by the largest box allowed; bytes already handed out are never overwritten.
import { MediaError } from '../media-error.js';
import type { Mp4FragmentInfo } from './fragment-assembler.js';
import { readBoxHeader } from './mp4-box-header.js';
import { ARGUS_ERR_MP4_UNSUPPORTED } from './mp4-error-codes.js';
import type { Mp4ReadLimits } from './mp4-sample.js';
import { Mp4TopLevel, type Mp4InitInfo } from './mp4-top-level.js';

export interface StreamEndResult {
  lastCompleteFragmentEnd: number;
  /** Set when buffered bytes after lastCompleteFragmentEnd never formed a whole fragment. */
  tornTailAtByte?: number;
}

export class Fmp4StreamReader {
  private readonly top: Mp4TopLevel;
  private buf = new Uint8Array(0);
  /** Absolute offset of buf[0]. */
  private bufStart = 0;
  /** Valid bytes in buf. */
  private len = 0;
  /** Absolute offset of the next box to parse. */
  private pos = 0;

  constructor(limits: Mp4ReadLimits = {}) {
    this.top = new Mp4TopLevel(limits);
  }

  /** The init section, once whole. */
  get init(): Mp4InitInfo | undefined {
    return this.top.init;
  }

  /** End of the last whole fragment (or of the init), as an absolute stream offset. */
  get lastCompleteFragmentEnd(): number {
    return this.top.lastCompleteEnd;
  }

  /** Bytes held while waiting for a box to complete. */
  get bufferedBytes(): number {
    return this.bufStart + this.len - this.pos;
  }

  /** Appends a chunk and returns the fragments it completed. Throws only MediaError. */
  push(chunk: Uint8Array): Mp4FragmentInfo[] {
    this.append(chunk);
    const out: Mp4FragmentInfo[] = [];
    for (;;) {
      const rel = this.pos - this.bufStart;
      const h = readBoxHeader(this.buf, rel, this.len, this.bufStart);
      if (h === null) break;
      this.top.checkSize(h);
      if (h.end > this.bufStart + this.len) break;
      const fragment = this.top.onBox(h, this.buf.subarray(rel, h.end - this.bufStart));
      if (h.type === 'moov' && this.top.init?.fragmented === false) {
        throw new MediaError(ARGUS_ERR_MP4_UNSUPPORTED, 'progressive MP4 cannot be read as a stream');
      }
      if (fragment !== null) out.push(fragment);
      this.pos = h.end;
    }
    return out;
  }

  /**
   * Continues at absolute offset `byteOffset` (a fragment start known from an index), dropping what
   * is buffered: playback reads the init section, then only the fragments it needs. Fragments carry
   * their own tfdt, so none depends on the skipped ones.
   */
  skipTo(byteOffset: number): void {
    if (this.top.init === undefined || this.top.pendingStart !== undefined || byteOffset < this.pos) {
      throw new MediaError(ARGUS_ERR_MP4_UNSUPPORTED, `cannot skip to ${byteOffset} from here`);
    }
    this.buf = new Uint8Array(0);
    this.len = 0;
    this.bufStart = byteOffset;
    this.pos = byteOffset;
    this.top.lastCompleteEnd = byteOffset;
  }

  /** Declares the end of input: whatever is left is a torn tail. */
  end(): StreamEndResult {
    const result: StreamEndResult = { lastCompleteFragmentEnd: this.top.lastCompleteEnd };
    if (this.bufStart + this.len > this.top.lastCompleteEnd || this.top.pendingStart !== undefined) {
      result.tornTailAtByte = this.top.lastCompleteEnd;
    }
    return result;
  }

  private append(chunk: Uint8Array): void {
    // Parsed boxes are no longer needed (a pending fragment keeps views of its own mdats); views
    // handed out keep their reference to the old buffer, so compaction copies into a new one.
    const keepFrom = this.pos - this.bufStart;
    const live = this.len - keepFrom;
    if (this.len + chunk.length <= this.buf.length) {
      this.buf.set(chunk, this.len);
      this.len += chunk.length;
      return;
    }
    const next = new Uint8Array(Math.max(64 * 1024, (live + chunk.length) * 2));
    next.set(this.buf.subarray(keepFrom, this.len), 0);
    next.set(chunk, live);
    this.buf = next;
    this.bufStart += keepFrom;
    this.len = live + chunk.length;
  }
}
