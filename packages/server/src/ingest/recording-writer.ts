// Records one stream: access units -> SegmentBuilder -> files on a storage location, with index rows
// that only ever describe fsynced bytes (append, fsync, then commit; commits coalesce to one in
// flight). A crash loses at most the fragment being assembled (<= maxFragmentDurationMs). Runs,
// gaps and "stop recording there" follow the location's status; see docs/design/storage.md.
import type { AccessUnit, Mp4TrackSpec } from '@argus/media';
import type { GapCause, RunEndReason } from '../db/index.js';
import { ARGUS_ERR_STORAGE_FULL, StorageError, isStorageError } from '../storage/index.js';
import { RunClock } from './run-clock.js';
import { SegmentBuilder, type FileOp } from './segment-builder.js';
import { WriterFiles } from './writer-files.js';
import type { RecordingWriterDeps, RecordingWriterOptions } from './recording-writer-options.js';

export type { RecordingWriterDeps, RecordingWriterOptions } from './recording-writer-options.js';

export type WriterState = 'idle' | 'recording' | 'blocked';

export interface RecordingWriterStats {
  state: WriterState;
  runId: number | undefined;
  segmentsOpened: number;
  fragmentsCommitted: number;
  bytesCommitted: number;
  droppedAccessUnits: number;
  /** Wall time (90 kHz) up to which footage is durable and indexed. */
  committedUntil90k: number | undefined;
}

type QueuedOp =
  | (FileOp & { gen: number })
  | { kind: 'startRun'; gen: number; startWall90k: number; startedAtMs: number }
  | { kind: 'endRun'; gen: number; reason: RunEndReason; gapCause: GapCause | undefined; at?: number }
  | { kind: 'switchGap'; gen: number; gapCause: GapCause; at: number };

const MAX_SEGMENT_DURATION_MS = 3_600_000;

export class RecordingWriter {
  private readonly builder: SegmentBuilder;
  private readonly files: WriterFiles;
  private state: WriterState = 'idle';
  private gen = 0;
  private runClock: RunClock | undefined;
  private blockedGapOpen = false;
  /** The cause this writer last gave the open gap (another may have changed it since). */
  private gapCause: GapCause | undefined;
  private retryAtMs = 0;
  private readonly queue: QueuedOp[] = [];
  private queuedBytes = 0;
  private draining: Promise<void> | undefined;
  private failedGen = -1;
  private dropped = 0;

  constructor(
    private readonly deps: RecordingWriterDeps,
    private readonly options: RecordingWriterOptions,
  ) {
    const segmentMs = Math.min(options.segmentDurationMs ?? 300_000, MAX_SEGMENT_DURATION_MS);
    this.builder = new SegmentBuilder({
      maxFragmentDuration90k: (options.maxFragmentDurationMs ?? 1000) * 90,
      segmentDuration90k: segmentMs * 90,
    });
    this.files = new WriterFiles(deps, options);
  }

  get stats(): RecordingWriterStats {
    return { state: this.state, droppedAccessUnits: this.dropped, ...this.files.stats() };
  }

  /** The stream's tracks (exactly one video track); a change rotates the file at the next key frame. */
  setTracks(tracks: readonly Mp4TrackSpec[]): void {
    this.builder.setTracks(tracks);
  }

  /**
   * Queues one access unit. Times share one origin across tracks (90 kHz for video). `receivedAtMs`
   * is the host time the unit arrived (default now; earlier for pre-buffered motion footage): the
   * run is anchored to it and slewed toward it. Returns false when the unit was not recorded.
   */
  push(trackId: number, au: AccessUnit, receivedAtMs?: number): boolean {
    if (this.failedGen === this.gen) this.afterFailure();
    if (au.kind === 'audio') {
      if (this.state !== 'recording') return false;
      this.enqueue(this.builder.push(trackId, au, 0));
      return true;
    }
    const dts = au.dts90k ?? au.pts90k;
    let wall: number | undefined;
    if (this.state === 'recording' && au.isKey) {
      const status = this.deps.registry.status(this.options.locationId);
      if (status.state !== 'ok') {
        const cause: GapCause = status.state === 'full' ? 'disk_full' : 'storage_unavailable';
        this.endRunNow(cause, cause);
        this.state = 'blocked';
      } else if (this.behind()) {
        this.deps.logger?.warn(
          { event: 'recording.backlog', cameraId: this.options.cameraId, queuedBytes: this.queuedBytes },
          'the disk is not keeping up: run ended',
        );
        this.endRunNow('storage_error', 'storage_error');
      }
    }
    if (this.state === 'recording' && this.runClock !== undefined) {
      const obs = this.runClock.observe(dts, receivedAtMs);
      if (obs.kind === 'ok') wall = obs.wall90k;
      else {
        const { cameraId, streamId } = this.options;
        if (obs.kind === 'step') {
          this.deps.events.emit({ type: 'recording.clock-step', cameraId, streamId, stepMs: obs.stepMs });
          this.deps.logger?.warn(
            { event: 'recording.clock-step', cameraId, streamId, stepMs: obs.stepMs },
            'host clock stepped: new run',
          );
        }
        this.endRunNow('clock_step', 'clock_step');
      }
    }
    if (this.state !== 'recording') {
      if (!au.isKey || !this.mayStart()) {
        this.dropped++;
        return false;
      }
      wall = this.startRun(dts, receivedAtMs);
    }
    this.enqueue(this.builder.push(trackId, au, wall!));
    return true;
  }

  /** Ends the current run (closing its file); with gapCause a gap is opened until the next run. */
  async endRun(reason: RunEndReason, gapCause?: GapCause): Promise<void> {
    if (this.state === 'recording') this.endRunNow(reason, gapCause);
    else if (gapCause !== undefined) this.openGapNow(reason, gapCause);
    await this.flushed();
  }

  /** Stops recording: closes the file and ends the run ('stopped'). */
  async stop(): Promise<void> {
    await this.endRun('stopped');
  }

  /** Resolves when every queued operation is done and its rows committed. */
  async flushed(): Promise<void> {
    for (let i = 0; i < 1000 && (this.draining !== undefined || this.files.committing !== undefined); i++) {
      await this.draining;
      await this.files.committing?.catch(() => undefined);
    }
  }

  /** The disk is not keeping up with this writer (its own limit, or its share of the server's). */
  private behind(): boolean {
    return (
      this.queuedBytes > (this.options.maxQueuedBytes ?? 64 << 20) ||
      this.deps.backlog?.exceeds(this.queuedBytes) === true
    );
  }

  private mayStart(): boolean {
    const { registry, clock } = this.deps;
    if (clock.monotonicMs() < this.retryAtMs) return false;
    if (this.behind()) {
      this.openGapNow('storage_error', 'storage_error');
      return false;
    }
    const status = registry.status(this.options.locationId);
    if (status.state === 'ok') return true;
    this.openGapNow('stopped', status.state === 'full' ? 'disk_full' : 'storage_unavailable');
    this.state = 'blocked';
    return false;
  }

  /**
   * Opens a gap from now (while not recording), once until the next run starts; a gap already open
   * for another cause (the schedule, an offline camera) ends here and one with this cause follows.
   */
  private openGapNow(reason: RunEndReason, gapCause: GapCause): void {
    const at = Math.round(this.deps.clock.nowMs() * 90);
    if (this.blockedGapOpen) {
      if (this.gapCause === gapCause) return;
      this.gapCause = gapCause;
      this.enqueueOp({ kind: 'switchGap', gen: this.gen, gapCause, at });
      return;
    }
    this.blockedGapOpen = true;
    this.gapCause = gapCause;
    this.enqueueOp({ kind: 'endRun', gen: this.gen, reason, gapCause, at });
  }

  private startRun(dts90k: number, receivedAtMs: number | undefined): number {
    this.gen++;
    this.state = 'recording';
    this.blockedGapOpen = false;
    const clock = this.deps.clock;
    this.runClock = new RunClock(clock, dts90k, this.options.runClock, receivedAtMs ?? clock.nowMs());
    const startWall90k = this.runClock.startWall90k;
    this.enqueueOp({ kind: 'startRun', gen: this.gen, startWall90k, startedAtMs: Math.round(clock.nowMs()) });
    return startWall90k;
  }

  private endRunNow(reason: RunEndReason, gapCause: GapCause | undefined): void {
    this.enqueue(this.builder.close());
    this.enqueueOp({ kind: 'endRun', gen: this.gen, reason, gapCause });
    this.state = 'idle';
    this.runClock = undefined;
    if (gapCause !== undefined) {
      this.blockedGapOpen = true;
      this.gapCause = gapCause;
    }
  }

  /** The I/O side failed for the current run: forget its state; a new run starts when allowed. */
  private afterFailure(): void {
    this.builder.abandon();
    this.runClock = undefined;
    this.state = 'blocked';
    this.blockedGapOpen = true;
    this.gen++;
  }

  private enqueue(ops: FileOp[]): void {
    for (const op of ops) this.enqueueOp({ ...op, gen: this.gen });
  }

  private enqueueOp(op: QueuedOp): void {
    if (op.kind === 'fragment') {
      this.deps.backlog?.add(op.bytes.length, this.queuedBytes);
      this.queuedBytes += op.bytes.length;
    }
    this.queue.push(op);
    this.draining ??= this.drain();
  }

  private async drain(): Promise<void> {
    for (let op = this.queue.shift(); op !== undefined; op = this.queue.shift()) {
      if (op.kind === 'fragment') {
        this.queuedBytes -= op.bytes.length;
        this.deps.backlog?.release(op.bytes.length, this.queuedBytes);
      }
      if (op.gen === this.failedGen && op.kind !== 'endRun') continue;
      try {
        await this.execute(op);
      } catch (err) {
        await this.onFailure(op.gen, err);
      }
    }
    this.draining = undefined;
  }

  private async execute(op: QueuedOp): Promise<void> {
    const { catalog, events } = this.deps;
    const { cameraId, streamId } = this.options;
    switch (op.kind) {
      case 'startRun': {
        const runId = await this.files.startRun(op.startWall90k, op.startedAtMs);
        events.emit({ type: 'recording.started', cameraId, streamId, runId, startTime90k: op.startWall90k });
        return;
      }
      case 'open':
        return this.files.open(op);
      case 'fragment':
        return this.files.append(op);
      case 'close':
        return this.files.close(op.endWall90k, true);
      case 'switchGap':
        await catalog.gaps.switchCause(streamId, op.at, op.gapCause);
        return;
      case 'endRun': {
        const ended = await this.files.endRun(op.reason);
        const at = ended?.endTime90k ?? op.at ?? Math.round(this.deps.clock.nowMs() * 90);
        if (op.gapCause !== undefined) await catalog.gaps.open(streamId, at, op.gapCause);
        if (ended !== undefined) {
          events.emit({
            type: 'recording.stopped',
            cameraId,
            streamId,
            runId: ended.runId,
            endTime90k: ended.endTime90k,
            reason: op.reason,
            ...(op.gapCause === undefined ? {} : { gapCause: op.gapCause }),
          });
        }
        return;
      }
    }
  }

  private async onFailure(gen: number, err: unknown): Promise<void> {
    const { registry, events, logger, clock, catalog } = this.deps;
    const { cameraId, streamId, locationId } = this.options;
    this.failedGen = gen;
    const storageErr = isStorageError(err)
      ? err
      : new StorageError('ARGUS_ERR_STORAGE_IO', `recording index or file error: ${(err as Error).message}`);
    const full = storageErr.code === ARGUS_ERR_STORAGE_FULL;
    const unavailable = /MISSING|UNMOUNTED|SWAPPED|IDENTITY/.test(storageErr.code);
    const cause: GapCause = full ? 'disk_full' : unavailable ? 'storage_unavailable' : 'storage_error';
    this.gapCause = cause;
    logger?.error(
      { event: 'recording.write-error', cameraId, streamId, code: storageErr.code, err: storageErr.message },
      'recording write failed',
    );
    events.emit({
      type: 'recording.write-error',
      cameraId,
      streamId,
      code: storageErr.code,
      message: storageErr.message,
    });
    if (full)
      registry.setStatus(locationId, { state: 'full', reason: 'write-failed', message: storageErr.message });
    else if (unavailable) await registry.refresh(locationId);
    else this.retryAtMs = clock.monotonicMs() + (this.options.retryAfterErrorMs ?? 5000);
    // Index what reached the disk before the failure; if even that fails, recovery does it later.
    await this.files
      .close(undefined, true)
      .catch(() => this.files.close(undefined, false).catch(() => undefined));
    const ended = await this.files.endRun(cause).catch(() => undefined);
    if (ended !== undefined) {
      await catalog.gaps.open(streamId, ended.endTime90k, cause).catch(() => undefined);
      events.emit({
        type: 'recording.stopped',
        cameraId,
        streamId,
        runId: ended.runId,
        endTime90k: ended.endTime90k,
        reason: cause,
        gapCause: cause,
      });
    }
  }
}
