// The pre-buffer of motion recording: the last few seconds of a stream kept in memory as whole GOPs
// (a recording must start at a key picture), so footage from before the motion event can be
// written once the event arrives. Bounded in duration and in bytes.
import type { RecorderUnit } from './recorder-port.js';

interface Gop {
  /** Wall time (ms) of the key picture that opens the GOP. */
  startWallMs: number;
  units: RecorderUnit[];
  bytes: number;
}

const unitBytes = (u: RecorderUnit): number => {
  const au = u.unit.accessUnit;
  if (au.kind === 'audio') return au.data.length;
  let n = 0;
  for (const nal of au.nalus) n += nal.length;
  return n;
};

export class PreBuffer {
  private gops: Gop[] = [];
  private totalBytes = 0;

  /**
   * @param durationMs keep at least this much before the newest unit (whole GOPs, so up to one GOP more)
   * @param maxBytes hard cap; the oldest GOPs go first when exceeded
   * @param primaryTrack track whose key pictures open GOPs (the first video track)
   */
  constructor(
    private durationMs: number,
    private readonly maxBytes = 64 * 1024 * 1024,
    private primaryTrack = 0,
  ) {}

  setDuration(durationMs: number): void {
    this.durationMs = durationMs;
  }

  setPrimaryTrack(trackIndex: number): void {
    if (trackIndex !== this.primaryTrack) this.clear();
    this.primaryTrack = trackIndex;
  }

  get byteLength(): number {
    return this.totalBytes;
  }

  /** Wall time of the oldest key picture held, if any. */
  get oldestWallMs(): number | undefined {
    return this.gops[0]?.startWallMs;
  }

  push(item: RecorderUnit): void {
    const unit = item.unit;
    const au = unit.accessUnit;
    const opensGop = unit.trackIndex === this.primaryTrack && au.kind === 'video' && au.isKey;
    if (opensGop) this.gops.push({ startWallMs: unit.wallTimeMs, units: [], bytes: 0 });
    const gop = this.gops.at(-1);
    if (gop === undefined) return; // nothing before the first key picture is useful
    const bytes = unitBytes(item);
    gop.units.push(item);
    gop.bytes += bytes;
    this.totalBytes += bytes;
    this.trim(unit.wallTimeMs);
  }

  /**
   * The units from the newest GOP starting at or before fromWallMs (or the oldest GOP held, if none
   * starts that early), in arrival order. The buffer keeps them.
   */
  unitsFrom(fromWallMs: number): RecorderUnit[] {
    let first = 0;
    for (let i = 0; i < this.gops.length; i++) if (this.gops[i]!.startWallMs <= fromWallMs) first = i;
    return this.gops.slice(first).flatMap((g) => g.units);
  }

  clear(): void {
    this.gops = [];
    this.totalBytes = 0;
  }

  private trim(newestWallMs: number): void {
    // Drop the oldest GOP while the next one alone still reaches back durationMs.
    while (this.gops.length > 1 && this.gops[1]!.startWallMs <= newestWallMs - this.durationMs)
      this.dropOldest();
    while (this.gops.length > 1 && this.totalBytes > this.maxBytes) this.dropOldest();
  }

  private dropOldest(): void {
    const g = this.gops.shift();
    if (g) this.totalBytes -= g.bytes;
  }
}
