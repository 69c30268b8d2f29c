// Maps the video element's media time back to wall-clock time: every fragment announces the wall
// time of its first sample (wallMs, also in its prft box) and its media time (tfdt decodeTime /
// timescale). Latency = when a frame is presented minus the wall time it was captured. Pure.

export interface MediaClock {
  /** A fragment starting at media time `mediaS` (seconds on the SourceBuffer timeline). */
  addAnchor(mediaS: number, wallMs: number): void;
  /** Wall time of the frame at `mediaS`, or undefined before the first fragment. */
  wallAt(mediaS: number): number | undefined;
  /** Drop anchors for media before `mediaS` (trimmed from the buffer), keeping the one covering it. */
  trimBefore(mediaS: number): void;
  reset(): void;
  readonly size: number;
}

export function createMediaClock(maxAnchors = 2000): MediaClock {
  let anchors: { mediaS: number; wallMs: number }[] = [];
  const indexAtOrBefore = (mediaS: number): number => {
    let lo = 0;
    let hi = anchors.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (anchors[mid]!.mediaS <= mediaS) [found, lo] = [mid, mid + 1];
      else hi = mid - 1;
    }
    return found;
  };
  return {
    get size() {
      return anchors.length;
    },
    addAnchor(mediaS, wallMs) {
      const last = anchors[anchors.length - 1];
      if (last && mediaS <= last.mediaS) {
        // media time went back (a re-sent fragment): drop what it replaces
        anchors = anchors.slice(0, indexAtOrBefore(mediaS - 1e-6) + 1);
      }
      anchors.push({ mediaS, wallMs });
      if (anchors.length > maxAnchors) anchors = anchors.slice(anchors.length - maxAnchors);
    },
    wallAt(mediaS) {
      if (anchors.length === 0) return undefined;
      const a = anchors[Math.max(0, indexAtOrBefore(mediaS))]!;
      return a.wallMs + (mediaS - a.mediaS) * 1000;
    },
    trimBefore(mediaS) {
      const i = indexAtOrBefore(mediaS);
      if (i > 0) anchors = anchors.slice(i);
    },
    reset() {
      anchors = [];
    },
  };
}

/** A rolling window of latency samples for the tile's readout and the benchmark. */
export interface LatencyStats {
  add(latencyMs: number): void;
  /** Percentile (0..100) of the window, undefined while empty. */
  percentile(p: number): number | undefined;
  readonly count: number;
  clear(): void;
}

export function createLatencyStats(windowSize = 50): LatencyStats {
  let samples: number[] = [];
  let total = 0;
  return {
    get count() {
      return total;
    },
    add(latencyMs) {
      if (!Number.isFinite(latencyMs)) return;
      samples.push(latencyMs);
      total++;
      if (samples.length > windowSize) samples = samples.slice(samples.length - windowSize);
    },
    percentile(p) {
      if (samples.length === 0) return undefined;
      const sorted = [...samples].sort((a, b) => a - b);
      const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
      return sorted[rank];
    },
    clear() {
      samples = [];
      total = 0;
    },
  };
}

/** The readout: `0.25 s`, `1.4 s`, `12 s`; `—` when unknown. */
export function formatLatency(latencyMs: number | undefined): string {
  if (latencyMs === undefined || !Number.isFinite(latencyMs)) return '—';
  const s = Math.max(0, latencyMs) / 1000;
  return s < 1 ? `${s.toFixed(2)} s` : s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}
