// The I/O half of a RecordingWriter: the run row, the open segment file and its row, appends, and
// commits. A commit fsyncs the file and only then updates the row with what was appended before
// the fsync; at most one commit is in flight and later appends coalesce into the next one.
import type { Catalog } from '../db/index.js';
import {
  ARGUS_ERR_STORAGE_MISSING,
  StorageError,
  packFragmentEntries,
  type FragmentEntry,
  type SegmentFile,
} from '../storage/index.js';
import type { RecordingWriterDeps, RecordingWriterOptions } from './recording-writer-options.js';
import type { FragmentOp, OpenFileOp } from './segment-builder.js';

interface OpenSegment {
  file: SegmentFile;
  segmentId: number;
  fragmentCount: number;
  endWall90k: number;
  fileEnd90k: number;
  pending: FragmentEntry[];
  committedEnd90k: number;
  committedSize: number;
}

export class WriterFiles {
  committing: Promise<void> | undefined;
  private commitAgain = false;
  private commitError: unknown;
  private runId: number | undefined;
  private runEnd90k = 0;
  private cur: OpenSegment | undefined;
  private segmentsOpened = 0;
  private fragmentsCommitted = 0;
  private bytesCommitted = 0;
  private committedUntil90k: number | undefined;

  constructor(
    private readonly deps: RecordingWriterDeps,
    private readonly options: RecordingWriterOptions,
  ) {}

  stats() {
    return {
      runId: this.runId,
      segmentsOpened: this.segmentsOpened,
      fragmentsCommitted: this.fragmentsCommitted,
      bytesCommitted: this.bytesCommitted,
      committedUntil90k: this.committedUntil90k,
    };
  }

  private get catalog(): Catalog {
    return this.deps.catalog;
  }

  async startRun(startWall90k: number, startedAtMs: number): Promise<number> {
    const { streamId } = this.options;
    this.runId = await this.catalog.recordings.startRun({
      streamId,
      startTime90k: startWall90k,
      startedAtMs,
    });
    this.runEnd90k = startWall90k;
    await this.catalog.gaps.closeOpen(streamId, startWall90k);
    return this.runId;
  }

  async open(op: OpenFileOp): Promise<void> {
    const { registry } = this.deps;
    const { cameraId, streamId, streamKind, locationId } = this.options;
    if (this.runId === undefined)
      throw new StorageError('ARGUS_ERR_STORAGE_IO', 'segment opened outside a run');
    const location = registry.location(locationId);
    if (location === undefined) {
      const status = registry.status(locationId);
      throw new StorageError(ARGUS_ERR_STORAGE_MISSING, 'message' in status ? status.message : 'not open');
    }
    await location.verify();
    const { relPath, file } = await location.createSegmentFile(
      cameraId,
      Math.floor(op.startWall90k / 90),
      streamKind,
      op.init,
    );
    let segmentId: number;
    try {
      segmentId = await this.catalog.recordings.insertSegment(
        {
          streamId,
          runId: this.runId,
          locationId,
          path: relPath,
          startTime90k: op.startWall90k,
          endTime90k: op.startWall90k,
          mediaStart90k: op.mediaStart90k,
          mediaDuration90k: 0,
          sizeBytes: op.init.length,
          fragmentCount: 0,
          codec: op.codec,
          width: op.width,
          height: op.height,
        },
        new Uint8Array(0),
      );
    } catch (err) {
      await file.close();
      await location.remove(relPath).catch(() => undefined);
      throw err;
    }
    this.segmentsOpened++;
    this.bytesCommitted += op.init.length;
    this.cur = {
      file,
      segmentId,
      fragmentCount: 0,
      endWall90k: op.startWall90k,
      fileEnd90k: 0,
      pending: [],
      committedEnd90k: op.startWall90k,
      committedSize: op.init.length,
    };
  }

  async append(op: FragmentOp): Promise<void> {
    this.throwCommitError();
    const cur = this.cur;
    if (cur === undefined) return;
    const startByte = cur.file.sizeBytes;
    await cur.file.append(op.bytes);
    if (op.entry !== undefined) {
      cur.pending.push({ ...op.entry, startByte });
      cur.fragmentCount++;
    }
    cur.endWall90k = Math.max(cur.endWall90k, op.endWall90k);
    cur.fileEnd90k = Math.max(cur.fileEnd90k, op.fileEnd90k);
    this.scheduleCommit();
  }

  /** Closes the open file; with finalCommit its row is committed and marked closed first. */
  async close(_endWall90k: number | undefined, finalCommit: boolean): Promise<void> {
    const cur = this.cur;
    if (cur === undefined) return;
    await this.committing?.catch(() => undefined);
    this.cur = undefined;
    try {
      if (finalCommit) {
        this.throwCommitError();
        await this.commitOnce(cur, true);
      }
    } finally {
      this.runEnd90k = Math.max(this.runEnd90k, cur.committedEnd90k);
      await cur.file.close();
      if (cur.fragmentCount === 0) await this.discard(cur);
    }
  }

  /** A file that never got a fragment holds no footage and would not play: row and file go. */
  private async discard(cur: OpenSegment): Promise<void> {
    const location = this.deps.registry.location(this.options.locationId);
    const garbage = await this.catalog.recordings.deleteSegments([cur.segmentId], 'empty');
    if (location === undefined) return; // the garbage queue removes it later
    for (const g of garbage) await location.remove(g.path);
    await this.catalog.recordings.removeGarbage(garbage.map((g) => g.id));
  }

  /** Ends the run row at the end of its last committed footage. */
  async endRun(reason: Parameters<Catalog['recordings']['endRun']>[2]) {
    const runId = this.runId;
    if (runId === undefined) return undefined;
    this.runId = undefined;
    await this.catalog.recordings.endRun(runId, this.runEnd90k, reason);
    return { runId, endTime90k: this.runEnd90k };
  }

  private throwCommitError(): void {
    if (this.commitError === undefined) return;
    const err = this.commitError;
    this.commitError = undefined;
    throw err;
  }

  private scheduleCommit(): void {
    if (this.committing !== undefined) {
      this.commitAgain = true;
      return;
    }
    this.committing = this.commitLoop().finally(() => (this.committing = undefined));
  }

  private async commitLoop(): Promise<void> {
    try {
      do {
        this.commitAgain = false;
        const cur = this.cur;
        if (cur === undefined) return;
        await this.commitOnce(cur, false);
      } while (this.commitAgain);
    } catch (err) {
      this.commitError = err;
    }
  }

  /** fsync, then commit exactly what had been appended before the fsync began. */
  private async commitOnce(cur: OpenSegment, close: boolean): Promise<void> {
    const sizeBytes = cur.file.sizeBytes;
    const entries = cur.pending.splice(0);
    const snapshot = {
      endTime90k: cur.endWall90k,
      mediaDuration90k: cur.fileEnd90k,
      sizeBytes,
      fragmentCount: cur.fragmentCount,
    };
    try {
      await cur.file.sync();
      await this.catalog.recordings.commitSegment(cur.segmentId, {
        ...snapshot,
        appendFragments: packFragmentEntries(entries),
        close,
      });
    } catch (err) {
      cur.pending.unshift(...entries);
      throw err;
    }
    this.fragmentsCommitted += entries.length;
    this.bytesCommitted += sizeBytes - cur.committedSize;
    cur.committedSize = sizeBytes;
    cur.committedEnd90k = snapshot.endTime90k;
    this.committedUntil90k = snapshot.endTime90k;
  }
}
