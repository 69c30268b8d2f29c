// One recorded segment file opened for reading through its index: the init section (tracks and
// their configurations), the fragment index (byte offset, decode time, key flag of each fragment)
// and the fragments themselves, whole (playback) or moof only (download layout: sample times,
// sizes and offsets without reading the media bytes). Offsets come from the catalog, never a scan.
import {
  Fmp4StreamReader,
  isVideoConfig,
  readBoxHeader,
  type Mp4FragmentInfo,
  type Mp4InitInfo,
  type TrackConfig,
} from '@argus/media';
import type { SegmentRecord } from '../db/index.js';
import { SegmentReader, unpackFragmentEntries, type FragmentEntry } from '../storage/index.js';

export interface SegmentTrack {
  trackId: number;
  timescale: number;
  config: TrackConfig;
}

/** Where a segment's fragment i lies: [startByte, endByte). */
export interface FragmentSpan extends FragmentEntry {
  index: number;
  endByte: number;
}

const HEAD_READ_BYTES = 16 * 1024;

function spansOf(record: SegmentRecord, entriesBlob: Uint8Array): FragmentSpan[] {
  const entries = unpackFragmentEntries(entriesBlob).slice(0, record.fragmentCount);
  return entries.map((e, i): FragmentSpan => ({
    ...e,
    index: i,
    endByte: entries[i + 1]?.startByte ?? record.sizeBytes,
  }));
}

export class SegmentMedia {
  private reader: SegmentReader | undefined;
  private initInfo: Mp4InitInfo | undefined;
  private stream: Fmp4StreamReader | undefined;
  private zeros = new Uint8Array(0);
  private initBytes: Uint8Array | undefined;

  private constructor(
    private rec: SegmentRecord,
    private spanList: FragmentSpan[],
    private readonly root: string,
  ) {}

  static fromIndex(record: SegmentRecord, entriesBlob: Uint8Array, root: string): SegmentMedia {
    return new SegmentMedia(record, spansOf(record, entriesBlob), root);
  }

  get record(): SegmentRecord {
    return this.rec;
  }

  get spans(): readonly FragmentSpan[] {
    return this.spanList;
  }

  /** The segment grew (it is being written) or was closed: its newer row and index. */
  grow(record: SegmentRecord, entriesBlob: Uint8Array): void {
    this.rec = record;
    this.spanList = spansOf(record, entriesBlob);
  }

  /** Bytes of the init section (before the first fragment). */
  get initEndByte(): number {
    return this.spans[0]?.startByte ?? 0;
  }

  /** Opens the file and parses the init section. */
  async open(): Promise<Mp4InitInfo> {
    if (this.initInfo !== undefined) return this.initInfo;
    this.reader = await SegmentReader.open(this.root, this.record.path);
    const bytes = await this.reader.read(0, this.initEndByte);
    const stream = new Fmp4StreamReader();
    stream.push(bytes);
    if (stream.init === undefined) throw new Error(`segment ${this.record.id}: no init section`);
    this.initInfo = stream.init;
    this.initBytes = bytes;
    this.stream = stream;
    return stream.init;
  }

  tracks(): SegmentTrack[] {
    const out: SegmentTrack[] = [];
    for (const t of this.initInfo?.tracks ?? [])
      if (t.config !== undefined) out.push({ trackId: t.trackId, timescale: t.timescale, config: t.config });
    return out;
  }

  videoTrack(): SegmentTrack | undefined {
    return this.tracks().find((t) => isVideoConfig(t.config));
  }

  /** The last key fragment starting at or before file time t90k (else the first fragment). */
  keyIndexAt(fileTime90k: number): number {
    let best = 0;
    for (const s of this.spans) {
      if (s.mediaOffset90k > fileTime90k) break;
      if (s.startsWithKey) best = s.index;
    }
    return best;
  }

  /** Fragments [from, to) whole, with their sample bytes. Reads must go forward. */
  async readFragments(from: number, to: number): Promise<Mp4FragmentInfo[]> {
    await this.open();
    const first = this.spans[from];
    const last = this.spans[to - 1];
    if (first === undefined || last === undefined) return [];
    const bytes = await this.reader!.read(first.startByte, last.endByte - first.startByte);
    const s = this.streamAt(first.startByte);
    return s.push(bytes);
  }

  /**
   * Fragment `index` from its moof alone: samples with times, sizes and file offsets (the mdat
   * payload is stood in by zeros, so the media bytes are not read; sample data must be ignored).
   */
  async readMoof(index: number): Promise<Mp4FragmentInfo | undefined> {
    await this.open();
    const span = this.spans[index];
    if (span === undefined) return undefined;
    const length = span.endByte - span.startByte;
    let head = await this.reader!.read(span.startByte, Math.min(length, HEAD_READ_BYTES));
    // Walk the top-level boxes to the first mdat header; reread when the moof is larger.
    let pos = 0;
    for (let guard = 0; guard < 16; guard++) {
      const h = readBoxHeader(head, pos, head.length, span.startByte);
      if (h === null) {
        if (head.length >= length) return undefined;
        head = await this.reader!.read(span.startByte, Math.min(length, head.length * 4));
        continue;
      }
      if (h.type === 'mdat') {
        const headerEnd = h.payloadStart - span.startByte;
        const s = this.streamAt(span.startByte);
        s.push(head.subarray(0, headerEnd));
        const found = s.push(this.zeroes(h.end - h.payloadStart));
        return found[0];
      }
      pos = h.end - span.startByte;
      if (pos >= head.length) {
        if (pos >= length) return undefined;
        head = await this.reader!.read(span.startByte, Math.min(length, pos + HEAD_READ_BYTES));
      }
    }
    return undefined;
  }

  async close(): Promise<void> {
    await this.reader?.close();
    this.reader = undefined;
  }

  private streamAt(byte: number): Fmp4StreamReader {
    let s = this.stream!;
    if (s.lastCompleteFragmentEnd !== byte) {
      if (byte < s.lastCompleteFragmentEnd) {
        // Going back (a second pass): a fresh reader over the same init.
        s = new Fmp4StreamReader();
        s.push(this.initBytes!);
        this.stream = s;
      }
      if (byte !== s.lastCompleteFragmentEnd) s.skipTo(byte);
    }
    return s;
  }

  private zeroes(n: number): Uint8Array {
    if (this.zeros.length < n) this.zeros = new Uint8Array(Math.max(n, this.zeros.length * 2));
    return this.zeros.subarray(0, n);
  }
}
