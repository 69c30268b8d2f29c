// Reads the sample bytes of a download in file order with few system calls: blocks of the segment
// file are read ahead and samples sliced from them. One open file at a time; close() at the end.
import type { ProgressiveSample } from '@argus/media';
import type { SegmentRecord } from '../db/index.js';
import type { SegmentReader } from '../storage/index.js';
import type { SampleSource } from './mp4-download.js';

const BLOCK_BYTES = 1 << 20;

export class SampleReader {
  private current: { segment: number; reader: SegmentReader } | undefined;
  private block: { segment: number; start: number; bytes: Uint8Array } | undefined;

  constructor(
    private readonly segments: readonly SegmentRecord[],
    private readonly openFile: (seg: SegmentRecord) => Promise<SegmentReader>,
  ) {}

  read = async (sample: ProgressiveSample<SampleSource>): Promise<Uint8Array> => {
    const { segment, byteOffset } = sample.source;
    const size = sample.sizeBytes;
    const b = this.block;
    if (
      b !== undefined &&
      b.segment === segment &&
      byteOffset >= b.start &&
      byteOffset + size <= b.start + b.bytes.length
    )
      return b.bytes.subarray(byteOffset - b.start, byteOffset - b.start + size);
    const reader = await this.reader(segment);
    const fileEnd = this.segments[segment]!.sizeBytes;
    const length = Math.max(size, Math.min(BLOCK_BYTES, fileEnd - byteOffset));
    const bytes = await reader.read(byteOffset, length);
    this.block = { segment, start: byteOffset, bytes };
    return bytes.subarray(0, size);
  };

  async close(): Promise<void> {
    await this.current?.reader.close();
    this.current = undefined;
    this.block = undefined;
  }

  private async reader(segment: number): Promise<SegmentReader> {
    if (this.current?.segment === segment) return this.current.reader;
    await this.current?.reader.close();
    this.current = undefined;
    const reader = await this.openFile(this.segments[segment]!);
    this.current = { segment, reader };
    return reader;
  }
}
