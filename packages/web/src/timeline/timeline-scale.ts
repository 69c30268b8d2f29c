// The timeline's visible window and its mapping to pixels: zoom around a point (wheel, pinch,
// buttons) from one minute to eight weeks, and drag to pan. Pure arithmetic, no DOM.

export interface TimeWindow {
  startMs: number;
  endMs: number;
}

export const MIN_SPAN_MS = 60_000;
export const MAX_SPAN_MS = 56 * 86_400_000;

export const spanOf = (w: TimeWindow): number => w.endMs - w.startMs;

export function msToX(w: TimeWindow, widthPx: number, ms: number): number {
  return ((ms - w.startMs) / spanOf(w)) * widthPx;
}

export function xToMs(w: TimeWindow, widthPx: number, x: number): number {
  return w.startMs + (x / widthPx) * spanOf(w);
}

/** A window of `spanMs` (clamped to the zoom limits) centred on `centerMs`. */
export function centredOn(centerMs: number, spanMs: number): TimeWindow {
  const span = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, spanMs));
  return { startMs: Math.round(centerMs - span / 2), endMs: Math.round(centerMs + span / 2) };
}

/**
 * Zooms by `factor` (< 1 zooms in, > 1 out) keeping `anchorMs` at the same pixel. At a zoom limit
 * the span stops changing and the anchor still stays put.
 */
export function zoomAt(w: TimeWindow, factor: number, anchorMs: number): TimeWindow {
  const span = spanOf(w);
  const next = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, span * factor));
  const ratio = (anchorMs - w.startMs) / span;
  const startMs = anchorMs - ratio * next;
  return { startMs: Math.round(startMs), endMs: Math.round(startMs + next) };
}

/** Drags the content `deltaPx` to the right (the window moves back in time). */
export function pan(w: TimeWindow, deltaPx: number, widthPx: number): TimeWindow {
  const deltaMs = Math.round((deltaPx / widthPx) * spanOf(w));
  return { startMs: w.startMs - deltaMs, endMs: w.endMs - deltaMs };
}

/** Zoom factor of one wheel event: a notch (~100 px) zooms by about 1.25×. */
export function wheelFactor(deltaY: number, deltaMode: number): number {
  const px = deltaMode === 1 ? deltaY * 33 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(Math.max(-500, Math.min(500, px)) * 0.0022);
}

/** Pinch: the new window that keeps both fingers over the times they first touched. */
export function pinch(
  w: TimeWindow,
  widthPx: number,
  fromX: [number, number],
  toX: [number, number],
): TimeWindow {
  const d0 = Math.abs(fromX[1] - fromX[0]);
  const d1 = Math.abs(toX[1] - toX[0]);
  if (d0 < 10 || d1 < 10) return w;
  const anchorMs = xToMs(w, widthPx, (fromX[0] + fromX[1]) / 2);
  const zoomed = zoomAt(w, d0 / d1, anchorMs);
  return pan(zoomed, (toX[0] + toX[1]) / 2 - (fromX[0] + fromX[1]) / 2, widthPx);
}

/** Timeline query resolution: intervals closer than about one pixel merge on the server. */
export function resolutionFor(w: TimeWindow, widthPx: number): number {
  return Math.max(1, Math.floor(spanOf(w) / Math.max(1, widthPx)));
}
