// Start-up recovery and the offline `argus check [--repair]`: makes the index and the files agree.
// Open segments are extended with the whole fragments written after their last commit and their
// torn tail is cut; files without rows are indexed from their own content (init + prft) or moved to
// .quarantine/; rows without files are reported (removed with repair); open runs are closed.
import type { Clock, Logger } from '../base/index.js';
import { SEGMENT_MAX_SPAN_90K, type Catalog, type SegmentRecord } from '../db/index.js';
import {
  StorageLocation,
  isStorageError,
  packFragmentEntries,
  parseSegmentPath,
  scanSegmentFile,
  utcDateFolder,
  type ScannedFragment,
  type SegmentFileScan,
} from '../storage/index.js';
import type { RecordingEventBus } from './recording-events.js';
import type { RecoveryAction, RecoveryFinding, RecoveryReport } from './recovery-report.js';

export interface RecoveryOptions {
  catalog: Catalog;
  clock: Clock;
  /** 'startup': fix what a crash leaves, scan only the newest date folders; 'check': everything. */
  mode: 'startup' | 'check';
  /** Fix problems (always true at start-up); without it `check` only reports. */
  repair: boolean;
  /** check: read every file in full, not only those whose size differs from their row. */
  deep?: boolean;
  events?: RecordingEventBus;
  logger?: Logger;
}

interface Ctx extends RecoveryOptions {
  report: RecoveryReport;
  fix: boolean;
}

function note(ctx: Ctx, f: Omit<RecoveryFinding, 'action'>, action: RecoveryAction = 'none'): void {
  const finding = { ...f, action };
  ctx.report.findings.push(finding);
  ctx.events?.emit({ type: 'recovery.finding', ...finding, kind: f.kind });
  ctx.logger?.warn({ event: 'recovery.finding', ...finding }, finding.message);
}

/** Wall-clock start (90 kHz) of a scanned fragment: its prft, else extrapolated from `fallback`. */
function fragmentWall90k(f: ScannedFragment, fallback90k: number): number {
  if (f.wallClockMs === undefined || f.prftMedia90k === undefined) return fallback90k;
  return Math.round(f.wallClockMs * 90) + (f.mediaOffset90k - f.prftMedia90k);
}

export async function recoverRecordings(options: RecoveryOptions): Promise<RecoveryReport> {
  const started = options.clock.monotonicMs();
  const report: RecoveryReport = {
    mode: options.mode,
    repair: options.repair,
    durationMs: 0,
    locationsChecked: 0,
    segmentsChecked: 0,
    filesScanned: 0,
    findings: [],
  };
  const ctx: Ctx = { ...options, report, fix: options.mode === 'startup' || options.repair };
  const { catalog } = ctx;
  const locations = new Map<number, StorageLocation>();
  for (const rec of await catalog.storageLocations.list()) {
    try {
      locations.set(
        rec.id,
        await StorageLocation.open({ id: rec.id, path: rec.path, identityUuid: rec.identityUuid }),
      );
      report.locationsChecked++;
    } catch (err) {
      if (!isStorageError(err)) throw err;
      note(ctx, { kind: 'location-unavailable', locationId: rec.id, message: err.message });
    }
  }
  await collectGarbage(ctx, locations);
  for (const row of await catalog.recordings.openSegments()) {
    const location = locations.get(row.locationId);
    if (location === undefined) continue;
    report.segmentsChecked++;
    await reconcileRow(ctx, location, row);
  }
  await closeOpenRuns(ctx);
  for (const location of locations.values()) await scanLocation(ctx, location);
  report.durationMs = Math.round(options.clock.monotonicMs() - started);
  return report;
}

async function collectGarbage(ctx: Ctx, locations: Map<number, StorageLocation>): Promise<void> {
  if (!ctx.fix) return;
  const done: number[] = [];
  for (const g of await ctx.catalog.recordings.garbage()) {
    const location = locations.get(g.locationId);
    if (location === undefined) continue;
    if (await location.remove(g.path))
      note(
        ctx,
        { kind: 'garbage-removed', locationId: g.locationId, path: g.path, message: `deleted (${g.reason})` },
        'file-removed',
      );
    await location.syncDirOf(g.path);
    done.push(g.id);
  }
  await ctx.catalog.recordings.removeGarbage(done);
}

async function closeOpenRuns(ctx: Ctx): Promise<void> {
  for (const run of await ctx.catalog.recordings.openRuns()) {
    const end = (await ctx.catalog.recordings.runEndTime(run.id)) ?? run.startTime90k;
    if (!ctx.fix) {
      note(ctx, { kind: 'open-run', message: `run ${run.id} of stream ${run.streamId} was not ended` });
      continue;
    }
    await ctx.catalog.recordings.endRun(run.id, end, 'crash');
    await ctx.catalog.gaps.open(run.streamId, end, 'server_down');
    note(
      ctx,
      { kind: 'open-run', message: `run ${run.id} of stream ${run.streamId} ended at its last footage` },
      'run-closed',
    );
  }
}

/** Brings one row in line with its file (open rows, size mismatches, deep checks). */
async function reconcileRow(ctx: Ctx, location: StorageLocation, row: SegmentRecord): Promise<void> {
  const { catalog } = ctx;
  const where = { locationId: location.id, path: row.path, segmentId: row.id };
  const size = await location.fileSize(row.path);
  if (size === undefined) {
    const remove = ctx.repair;
    if (remove) await catalog.recordings.deleteSegmentRowOnly(row.id);
    note(
      ctx,
      { kind: 'row-without-file', ...where, message: 'the index lists a file that does not exist' },
      remove ? 'row-removed' : 'none',
    );
    return;
  }
  const shorter = size < row.sizeBytes;
  if (!shorter && size === row.sizeBytes && !row.open && !ctx.deep) return;
  ctx.report.filesScanned++;
  const scan = await scanSegmentFile(location.absolute(row.path), {
    fromByte: shorter || ctx.deep ? undefined : row.sizeBytes,
  });
  if (scan.unreadable !== undefined) {
    await quarantine(ctx, location, row.path, scan.unreadable, row.id);
    return;
  }
  if (shorter || (ctx.deep && scan.wholeEndByte < row.sizeBytes)) {
    note(
      ctx,
      {
        kind: 'file-shorter-than-row',
        ...where,
        message: `file has ${size} bytes, the index says ${row.sizeBytes}`,
      },
      ctx.fix ? 'indexed' : 'none',
    );
    if (ctx.fix) await rewriteRow(ctx, location, row, scan, true);
    return;
  }
  const added = ctx.deep ? scan.fragments.length - row.fragmentCount : scan.fragments.length;
  if (added > 0)
    note(
      ctx,
      { kind: 'fragments-indexed', ...where, message: `${added} whole fragment(s) after the last commit` },
      ctx.fix ? 'indexed' : 'none',
    );
  if (scan.tornTail)
    note(
      ctx,
      {
        kind: 'torn-tail',
        ...where,
        message: `${scan.fileSizeBytes - scan.wholeEndByte} byte(s) after the last whole fragment`,
      },
      ctx.fix ? 'truncated' : 'none',
    );
  if (ctx.fix) await rewriteRow(ctx, location, row, scan, ctx.deep === true);
}

/** Extends (or, with `whole`, replaces) a row from a scan, truncates the torn tail, closes it. */
async function rewriteRow(
  ctx: Ctx,
  location: StorageLocation,
  row: SegmentRecord,
  scan: SegmentFileScan,
  whole: boolean,
): Promise<void> {
  const { catalog } = ctx;
  if (scan.tornTail) await location.truncate(row.path, scan.wholeEndByte);
  const frags = scan.fragments;
  const fragmentCount = (whole ? 0 : row.fragmentCount) + frags.length;
  if (fragmentCount === 0) {
    const garbage = await catalog.recordings.deleteSegments([row.id], 'empty');
    await location.remove(row.path);
    await catalog.recordings.removeGarbage(garbage.map((g) => g.id));
    note(
      ctx,
      {
        kind: 'empty-segment',
        locationId: location.id,
        path: row.path,
        message: 'no whole fragment: file and row removed',
      },
      'file-removed',
    );
    return;
  }
  const last = frags[frags.length - 1];
  let endTime90k = row.endTime90k;
  let mediaDuration90k = row.mediaDuration90k;
  if (last !== undefined) {
    const fallback = whole
      ? row.startTime90k + last.mediaOffset90k
      : row.endTime90k + (last.mediaOffset90k - row.mediaDuration90k);
    endTime90k = fragmentWall90k(last, fallback) + last.duration90k;
    mediaDuration90k = last.mediaOffset90k + last.duration90k;
  }
  await catalog.recordings.commitSegment(row.id, {
    endTime90k: Math.max(endTime90k, row.startTime90k),
    mediaDuration90k,
    sizeBytes: scan.tornTail || whole ? scan.wholeEndByte : Math.max(scan.wholeEndByte, row.sizeBytes),
    fragmentCount,
    appendFragments: packFragmentEntries(frags),
    replaceFragments: whole,
    close: true,
  });
}

async function quarantine(
  ctx: Ctx,
  location: StorageLocation,
  rel: string,
  why: string,
  rowId?: number,
): Promise<void> {
  const action: RecoveryAction = ctx.fix ? 'quarantined' : 'none';
  if (ctx.fix) {
    await location.quarantine(rel);
    if (rowId !== undefined) await ctx.catalog.recordings.deleteSegmentRowOnly(rowId);
  }
  note(ctx, { kind: 'unreadable-file', locationId: location.id, path: rel, message: why }, action);
}

/** Files without rows (all folders in check mode, the newest date folders at start-up). */
async function scanLocation(ctx: Ctx, location: StorageLocation): Promise<void> {
  const { catalog } = ctx;
  for (const cameraId of await location.cameraFolders()) {
    let dates = await location.dateFolders(cameraId);
    const rows = new Map<string, SegmentRecord>();
    if (ctx.mode === 'check') {
      for (const r of await catalog.recordings.segmentsOfCameraAt(location.id, cameraId)) rows.set(r.path, r);
    } else {
      let newest: number | undefined;
      for (const s of await catalog.streams.listForCamera(cameraId)) {
        const seg = await catalog.recordings.latestSegment(s.id);
        if (seg !== undefined && (newest === undefined || seg.startTime90k > newest))
          newest = seg.startTime90k;
      }
      if (newest !== undefined) {
        const from = utcDateFolder(Math.floor(newest / 90) - 86_400_000);
        dates = dates.filter((d) => d >= from);
      }
    }
    for (const date of dates) {
      for (const rel of await location.filesIn(cameraId, date)) {
        const row =
          ctx.mode === 'check' ? rows.get(rel) : await catalog.recordings.findByPath(location.id, rel);
        rows.delete(rel);
        if (row === undefined) await indexOrphan(ctx, location, rel);
        else if (ctx.mode === 'check' && !row.open) {
          ctx.report.segmentsChecked++;
          await reconcileRow(ctx, location, row);
        }
      }
    }
    for (const row of rows.values()) {
      if (row.open) continue; // reported with the open segments
      ctx.report.segmentsChecked++;
      await reconcileRow(ctx, location, row);
    }
  }
}

/** A file the index does not know: index it from its content, or move it aside. */
async function indexOrphan(ctx: Ctx, location: StorageLocation, rel: string): Promise<void> {
  const { catalog, clock } = ctx;
  const info = parseSegmentPath(rel);
  const camera = info === undefined ? undefined : await catalog.cameras.findById(info.cameraId);
  if (info === undefined || camera === undefined) {
    await quarantine(
      ctx,
      location,
      rel,
      info === undefined ? 'not a recording file name' : `camera ${info.cameraId} does not exist`,
    );
    return;
  }
  ctx.report.filesScanned++;
  const scan = await scanSegmentFile(location.absolute(rel));
  const first = scan.fragments[0];
  const last = scan.fragments[scan.fragments.length - 1];
  // A crash between creating a file and inserting its row leaves it without media (a whole or torn
  // init section, no whole fragment): nothing to keep, so it goes like an empty segment.
  if (first === undefined && (scan.unreadable === undefined || scan.initTorn === true)) {
    if (ctx.fix) await location.remove(rel);
    note(
      ctx,
      {
        kind: 'empty-segment',
        locationId: location.id,
        path: rel,
        message: 'no row and no whole fragment: file removed',
      },
      ctx.fix ? 'file-removed' : 'none',
    );
    return;
  }
  if (
    scan.unreadable !== undefined ||
    first === undefined ||
    last === undefined ||
    scan.video === undefined
  ) {
    await quarantine(ctx, location, rel, scan.unreadable ?? 'no whole video fragment');
    return;
  }
  const start = fragmentWall90k(first, info.startMs * 90) - first.mediaOffset90k;
  const end = fragmentWall90k(last, start + last.mediaOffset90k) + last.duration90k;
  if (end - start > SEGMENT_MAX_SPAN_90K || end < start) {
    await quarantine(
      ctx,
      location,
      rel,
      `spans ${Math.round((end - start) / 90_000)} s, more than a segment may`,
    );
    return;
  }
  note(
    ctx,
    {
      kind: 'file-without-row',
      locationId: location.id,
      path: rel,
      message: `${scan.fragments.length} fragment(s) found`,
    },
    ctx.fix ? 'indexed' : 'none',
  );
  if (scan.tornTail)
    note(
      ctx,
      {
        kind: 'torn-tail',
        locationId: location.id,
        path: rel,
        message: `${scan.fileSizeBytes - scan.wholeEndByte} byte(s) after the last whole fragment`,
      },
      ctx.fix ? 'truncated' : 'none',
    );
  if (!ctx.fix) return;
  if (scan.tornTail) await location.truncate(rel, scan.wholeEndByte);
  const stream = await catalog.streams.ensure(camera.id, info.kind);
  const runId = await catalog.recordings.startRun({
    streamId: stream.id,
    startTime90k: start,
    startedAtMs: Math.round(clock.nowMs()),
  });
  await catalog.recordings.insertSegment(
    {
      streamId: stream.id,
      runId,
      locationId: location.id,
      path: rel,
      startTime90k: start,
      endTime90k: end,
      mediaStart90k: 0,
      mediaDuration90k: last.mediaOffset90k + last.duration90k,
      sizeBytes: scan.wholeEndByte,
      fragmentCount: scan.fragments.length,
      codec: scan.video.codec,
      width: scan.video.width,
      height: scan.video.height,
    },
    packFragmentEntries(scan.fragments),
    false,
  );
  await catalog.recordings.endRun(runId, end, 'crash');
}
