// Coalescing for the timeline: merge intervals closer than the zoom resolution, cap the count by
// merging the smallest separations first, and label the holes with the causes of gap rows.
import type { GapCause } from './recording-catalog.js';
import type { TimelineGap, TimelineInterval } from './timeline-types.js';

/** Intervals sorted by start (overlaps allowed), clipped to [from, to), merged and capped. */
export function coalesceIntervals(
  sorted: readonly TimelineInterval[],
  from90k: number,
  to90k: number,
  resolution90k: number,
  maxItems: number,
): TimelineInterval[] {
  const merged: TimelineInterval[] = [];
  for (const iv of sorted) {
    const start = Math.max(iv.startTime90k, from90k);
    const end = Math.min(iv.endTime90k, to90k);
    if (end <= start) continue;
    const last = merged[merged.length - 1];
    if (last !== undefined && start - last.endTime90k < resolution90k) {
      if (end > last.endTime90k) last.endTime90k = end;
    } else merged.push({ startTime90k: start, endTime90k: end });
  }
  return capIntervals(merged, Math.max(1, maxItems));
}

/** Keeps the (max - 1) widest separations and merges across all others. */
function capIntervals(items: TimelineInterval[], max: number): TimelineInterval[] {
  if (items.length <= max) return items;
  const separations = items.slice(1).map((iv, i) => ({ i, size: iv.startTime90k - items[i]!.endTime90k }));
  separations.sort((a, b) => b.size - a.size || a.i - b.i);
  const keep = new Set(separations.slice(0, max - 1).map((s) => s.i));
  const out: TimelineInterval[] = [{ ...items[0]! }];
  for (let i = 1; i < items.length; i++) {
    if (keep.has(i - 1)) out.push({ ...items[i]! });
    else out[out.length - 1]!.endTime90k = items[i]!.endTime90k;
  }
  return out;
}

export interface GapRow {
  startTime90k: number;
  /** null: still open (runs to the end of the range). */
  endTime90k: number | null;
  cause: GapCause;
}

/**
 * The holes of [from, until) not covered by `recorded` (already coalesced), each split by the gap
 * rows' causes ('unknown' where no row explains it). Pieces shorter than the resolution join a
 * neighbour; holes shorter than the resolution are not reported.
 */
export function labelGaps(
  recorded: readonly TimelineInterval[],
  gapRows: readonly GapRow[],
  from90k: number,
  until90k: number,
  resolution90k: number,
  maxItems: number,
): TimelineGap[] {
  const holes: TimelineInterval[] = [];
  let cursor = from90k;
  for (const iv of recorded) {
    if (iv.startTime90k > cursor)
      holes.push({ startTime90k: cursor, endTime90k: Math.min(iv.startTime90k, until90k) });
    cursor = Math.max(cursor, iv.endTime90k);
    if (cursor >= until90k) break;
  }
  if (cursor < until90k) holes.push({ startTime90k: cursor, endTime90k: until90k });
  const rows = [...gapRows].sort((a, b) => a.startTime90k - b.startTime90k);
  const out: TimelineGap[] = [];
  for (const hole of holes) {
    if (hole.endTime90k - hole.startTime90k < resolution90k) continue;
    for (const piece of splitHole(hole, rows, resolution90k)) out.push(piece);
  }
  if (out.length <= maxItems) return out;
  // Too many pieces: one gap per hole, named after its dominant cause.
  return holes
    .filter((h) => h.endTime90k - h.startTime90k >= resolution90k)
    .slice(0, maxItems)
    .map((h) => ({ ...h, cause: dominantCause(splitHole(h, rows, 0)) }));
}

function splitHole(hole: TimelineInterval, rows: readonly GapRow[], resolution90k: number): TimelineGap[] {
  const pieces: TimelineGap[] = [];
  let cursor = hole.startTime90k;
  const push = (start: number, end: number, cause: GapCause): void => {
    if (end <= start) return;
    const last = pieces[pieces.length - 1];
    if (last !== undefined && last.cause === cause && last.endTime90k === start) last.endTime90k = end;
    else pieces.push({ startTime90k: start, endTime90k: end, cause });
  };
  for (const r of rows) {
    const end = Math.min(r.endTime90k ?? hole.endTime90k, hole.endTime90k);
    if (end <= cursor || r.startTime90k >= hole.endTime90k) continue;
    const start = Math.max(r.startTime90k, cursor);
    push(cursor, start, 'unknown');
    push(start, end, r.cause);
    cursor = end;
  }
  push(cursor, hole.endTime90k, 'unknown');
  // Absorb pieces narrower than the resolution into the wider neighbour, narrowest first.
  for (;;) {
    let narrow = -1;
    for (let i = 0; i < pieces.length; i++) {
      const w = pieces[i]!.endTime90k - pieces[i]!.startTime90k;
      if (pieces.length > 1 && w < resolution90k && (narrow < 0 || w < width(pieces[narrow]!))) narrow = i;
    }
    if (narrow < 0) break;
    const prev = pieces[narrow - 1];
    const next = pieces[narrow + 1];
    const into = prev === undefined ? next! : next === undefined || width(prev) >= width(next) ? prev : next;
    into.startTime90k = Math.min(into.startTime90k, pieces[narrow]!.startTime90k);
    into.endTime90k = Math.max(into.endTime90k, pieces[narrow]!.endTime90k);
    pieces.splice(narrow, 1);
    for (let i = pieces.length - 1; i > 0; i--) {
      const a = pieces[i - 1]!;
      const b = pieces[i]!;
      if (a.cause === b.cause) {
        a.endTime90k = b.endTime90k;
        pieces.splice(i, 1);
      }
    }
  }
  return pieces;
}

const width = (iv: TimelineInterval): number => iv.endTime90k - iv.startTime90k;

function dominantCause(pieces: readonly TimelineGap[]): GapCause {
  const total = new Map<GapCause, number>();
  for (const p of pieces) total.set(p.cause, (total.get(p.cause) ?? 0) + width(p));
  let best: GapCause = 'unknown';
  let bestWidth = -1;
  for (const [cause, w] of total) if (w > bestWidth) [best, bestWidth] = [cause, w];
  return best;
}
