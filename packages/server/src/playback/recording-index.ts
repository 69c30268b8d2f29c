// The catalog side of playback: which segments of a stream cover a time, the one after a segment
// (across gaps of any length, searched in bounded windows), why a gap happened, and a segment's
// file opened through its fragment index. Times are wall-clock 90 kHz (`*90k`).
import type { Catalog, SegmentRecord } from '../db/index.js';
import { SegmentReader } from '../storage/index.js';
import { SegmentMedia } from './segment-media.js';

/** Segments are looked up in windows of this span, so a long gap costs a few bounded queries. */
const SEARCH_WINDOW_90K = 6 * 3600 * 90_000;

export class RecordingIndex {
  private readonly roots = new Map<number, string>();

  constructor(private readonly catalog: Catalog) {}

  /** The segment containing t90k, else the first one starting after it and before until90k. */
  async segmentAt(streamId: number, t90k: number, until90k: number): Promise<SegmentRecord | undefined> {
    for (let from = t90k; from < until90k; from += SEARCH_WINDOW_90K) {
      const to = Math.min(until90k, from + SEARCH_WINDOW_90K);
      const found = (await this.catalog.recordings.segmentsInRange(streamId, from, to)).filter(
        (s) => s.endTime90k > t90k || s.open,
      );
      if (found.length > 0) return found[0];
    }
    return undefined;
  }

  /** The segment that follows `seg` (starting at or after its start, another file). */
  async segmentAfter(seg: SegmentRecord, until90k: number): Promise<SegmentRecord | undefined> {
    for (let from = seg.endTime90k - 1; from < until90k; from += SEARCH_WINDOW_90K) {
      const to = Math.min(until90k, from + SEARCH_WINDOW_90K);
      const rows = await this.catalog.recordings.segmentsInRange(seg.streamId, from, to);
      const next = rows.find(
        (s) =>
          s.id !== seg.id &&
          (s.startTime90k > seg.startTime90k || (s.startTime90k === seg.startTime90k && s.id > seg.id)),
      );
      if (next !== undefined) return next;
    }
    return undefined;
  }

  /** Rereads an open segment's row and index (it grows); false when the row is gone. */
  async refresh(media: SegmentMedia): Promise<boolean> {
    const row = await this.catalog.recordings.segmentById(media.record.id);
    if (row === undefined) return false;
    media.grow(row, await this.catalog.recordings.segmentFragments(row.id));
    return true;
  }

  async open(seg: SegmentRecord): Promise<SegmentMedia> {
    const entries = await this.catalog.recordings.segmentFragments(seg.id);
    return SegmentMedia.fromIndex(seg, entries, await this.root(seg.locationId));
  }

  /** The segment's file for reading. */
  async openFile(seg: SegmentRecord): Promise<SegmentReader> {
    return SegmentReader.open(await this.root(seg.locationId), seg.path);
  }

  /** The recorded cause of a hole between two instants ('unknown' when none is recorded). */
  async gapCause(streamId: number, from90k: number, to90k: number): Promise<string> {
    const gaps = await this.catalog.gaps.list(streamId, from90k, to90k);
    return gaps[0]?.cause ?? 'unknown';
  }

  private async root(locationId: number): Promise<string> {
    let root = this.roots.get(locationId);
    if (root === undefined) {
      const location = await this.catalog.storageLocations.findById(locationId);
      if (location === undefined) throw new Error(`storage location ${locationId} is not in the catalog`);
      root = location.path;
      this.roots.set(locationId, root);
    }
    return root;
  }
}
