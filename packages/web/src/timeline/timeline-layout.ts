// Interval layout of the timeline: recorded, motion and gap spans clipped to the view, in pixels,
// touching spans merged so a week of one-second pieces draws as a few rectangles; hit-testing for
// the gap tooltip. Pure.
import { msToX, type TimeWindow } from './timeline-scale.js';

export interface Span {
  startMs: number;
  endMs: number;
}

export interface SpanRect<S extends Span = Span> {
  x: number;
  width: number;
  /** The first span that formed this rectangle (its cause, for gaps). */
  span: S;
}

/**
 * Rectangles of `spans` inside the window. Each is at least `minWidthPx` wide so a short motion
 * event stays visible; rectangles closer than half a pixel join (only spans of equal `key`).
 */
export function layoutSpans<S extends Span>(
  spans: readonly S[],
  w: TimeWindow,
  widthPx: number,
  minWidthPx = 1,
  key: (s: S) => string = () => '',
): SpanRect<S>[] {
  const out: SpanRect<S>[] = [];
  const sorted = spans
    .filter((s) => s.endMs > w.startMs && s.startMs < w.endMs && s.endMs > s.startMs)
    .sort((a, b) => a.startMs - b.startMs);
  for (const s of sorted) {
    const x0 = Math.max(0, msToX(w, widthPx, s.startMs));
    const x1 = Math.min(widthPx, msToX(w, widthPx, s.endMs));
    let width = Math.max(minWidthPx, x1 - x0);
    let x = x0;
    if (x + width > widthPx) x = Math.max(0, widthPx - width);
    const last = out[out.length - 1];
    if (last && key(last.span) === key(s) && x <= last.x + last.width + 0.5) {
      last.width = Math.max(last.width, x + width - last.x);
      continue;
    }
    width = Math.min(width, widthPx - x);
    out.push({ x, width, span: s });
  }
  return out;
}

/** The span under pixel `x` (within `tolerancePx`), the nearest one when several are close. */
export function spanAt<S extends Span>(
  rects: readonly SpanRect<S>[],
  x: number,
  tolerancePx = 3,
): S | undefined {
  let best: SpanRect<S> | undefined;
  let bestDistance = Infinity;
  for (const r of rects) {
    const distance = x < r.x ? r.x - x : x > r.x + r.width ? x - (r.x + r.width) : 0;
    if (distance <= tolerancePx && distance < bestDistance) [best, bestDistance] = [r, distance];
  }
  return best?.span;
}

/** Whether `ms` is inside one of the recorded spans (a click there can play at once). */
export function isRecorded(spans: readonly Span[], ms: number): boolean {
  return spans.some((s) => ms >= s.startMs && ms < s.endMs);
}

/** The start of the first recorded span after `ms`, for a click that lands in a gap. */
export function nextRecordedStart(spans: readonly Span[], ms: number): number | undefined {
  let best: number | undefined;
  for (const s of spans) if (s.startMs >= ms && (best === undefined || s.startMs < best)) best = s.startMs;
  return best;
}
