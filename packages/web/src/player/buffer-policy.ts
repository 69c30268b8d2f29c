// Decisions of the MSE player over the SourceBuffer's buffered ranges: what to trim behind the
// play position (bounded memory), when a live tile has fallen behind the live edge, and where to
// resume when playback stalls before a hole (MSE does not jump gaps). Pure; times in seconds.

export interface Range {
  start: number;
  end: number;
}

/** TimeRanges of a media element or SourceBuffer as plain ranges. */
export function toRanges(t: { length: number; start(i: number): number; end(i: number): number }): Range[] {
  const out: Range[] = [];
  for (let i = 0; i < t.length; i++) out.push({ start: t.start(i), end: t.end(i) });
  return out;
}

/**
 * The range to remove so that at most `keepBehindS` stays behind `currentTime`; null while the
 * excess is below `minChunkS` (removing tiny slices costs more than it saves).
 */
export function trimRange(
  buffered: readonly Range[],
  currentTime: number,
  keepBehindS = 10,
  minChunkS = 2,
): Range | null {
  const first = buffered[0];
  if (!first) return null;
  const end = currentTime - keepBehindS;
  if (end - first.start < minChunkS) return null;
  return { start: first.start, end };
}

export interface LivePolicy {
  /** Seek when the play position is this far behind the live edge. */
  maxLagS: number;
  /** Where to land, this far behind the buffered end. */
  targetLagS: number;
}

/**
 * The catch-up policy for a live stream whose fragments last `fragmentDurationS`: a stream sent
 * as whole one-second GOPs cannot play closer than a GOP to the edge without stalling each
 * second; one sent frame by frame (the server's live muxer) can play 0.15 s behind.
 */
export function livePolicy(fragmentDurationS: number): LivePolicy {
  const fragment = Number.isFinite(fragmentDurationS) && fragmentDurationS > 0 ? fragmentDurationS : 0.04;
  const targetLagS = Math.min(1, Math.max(0.15, fragment + 0.1));
  return { targetLagS, maxLagS: Math.max(0.5, 2 * fragment + 0.3) };
}

/**
 * Playback rate that closes a small lag without a visible jump: a little faster while behind the
 * target, normal speed once there (a seek handles lags past maxLagS).
 */
export function liveRate(lagS: number, policy: LivePolicy): number {
  if (lagS > policy.targetLagS + 0.25) return 1.15;
  if (lagS > policy.targetLagS + 0.08) return 1.05;
  return 1;
}

/** Where a live tile should jump to, or null when it is close enough to the edge. */
export function liveSeekTarget(
  buffered: readonly Range[],
  currentTime: number,
  policy: LivePolicy,
): number | null {
  const last = buffered[buffered.length - 1];
  if (!last) return null;
  const inLast = currentTime >= last.start - 0.05 && currentTime <= last.end;
  if (inLast && last.end - currentTime <= policy.maxLagS) return null;
  if (!inLast && currentTime > last.end) return null; // waiting for the next fragment
  return Math.max(last.start, last.end - policy.targetLagS);
}

/**
 * When the play position is not inside a buffered range (a hole after a gap, or the first
 * fragment of a new init), the start of the next range ahead; null when playing normally.
 */
export function gapJumpTarget(
  buffered: readonly Range[],
  currentTime: number,
  toleranceS = 0.05,
): number | null {
  for (const r of buffered) {
    if (currentTime >= r.start - toleranceS && currentTime < r.end) return null;
    if (r.start > currentTime) return r.start;
  }
  return null;
}

/** Seconds buffered ahead of the play position (0 when not inside a range). */
export function bufferedAhead(buffered: readonly Range[], currentTime: number): number {
  for (const r of buffered)
    if (currentTime >= r.start - 0.05 && currentTime < r.end) return r.end - currentTime;
  return 0;
}
