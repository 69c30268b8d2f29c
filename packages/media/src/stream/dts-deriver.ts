// Decode times for video received over RTP, which carries presentation times only (RFC 3550 §5.1).
// With reorder depth D, the k-th picture in decode order can be decoded at the (k-D)-th smallest
// presentation time: a min-heap of the pending PTS gives a DTS that never exceeds the PTS and never
// decreases, with no added latency; the first D pictures get DTS extrapolated backwards.
// D comes from the SPS when it says (reorder-depth.ts) and is also measured on the stream (how many
// of the last pictures in decode order present later than this one), so a stream reordering deeper
// than announced, or an SPS that is silent, still gets valid times; the few DTS around the moment
// the depth grows are clamped to stay increasing (counted in `adjustments`).

export interface DtsDeriverOptions {
  /** Reorder depth announced by the SPS; undefined = measure it on the stream only. */
  reorderDepth?: number;
  /** Frame duration used to place the first D decode times; default 3600 (25 fps). */
  frameDuration90k?: number;
}

/** H.264 and H.265 never reorder deeper than their 16-picture DPB. */
export const MAX_REORDER_DEPTH = 16;

export class DtsDeriver {
  /** Decode times nudged because the stream reordered deeper than known at that point. */
  adjustments = 0;
  private depth: number;
  private readonly initialDepth: number;
  private readonly frameDuration: number;
  /** Binary min-heap of presentation times not yet used as a decode time. */
  private readonly heap: number[] = [];
  /** Ring of the last MAX_REORDER_DEPTH presentation times in decode order. */
  private readonly recent = new Float64Array(MAX_REORDER_DEPTH);
  private count = 0;
  private firstPts = 0;
  private lastDts = -Infinity;

  constructor(options: DtsDeriverOptions = {}) {
    const announced = Math.floor(options.reorderDepth ?? 0);
    this.depth = Math.min(MAX_REORDER_DEPTH, Math.max(0, announced));
    this.initialDepth = this.depth;
    this.frameDuration = Math.max(1, Math.round(options.frameDuration90k ?? 3600));
  }

  /** The reorder depth in use (announced, or larger when measured so). */
  get reorderDepth(): number {
    return this.depth;
  }

  /** Returns the decode time of the next picture in decode order, given its presentation time. */
  push(pts: number): number {
    if (this.count === 0) this.firstPts = pts;
    this.measureDepth(pts);
    this.count++;
    this.heapPush(pts);
    let dts: number | undefined;
    if (this.count <= this.initialDepth) {
      dts = this.firstPts - (this.initialDepth - this.count + 1) * this.frameDuration;
    } else {
      while (this.heap.length > this.depth) {
        const candidate = this.heapPop();
        // A value at or below the last DTS was overtaken while the depth was being learned.
        if (candidate > this.lastDts) {
          dts = candidate;
          break;
        }
      }
    }
    if (dts === undefined || dts <= this.lastDts) {
      this.adjustments++;
      dts = this.lastDts + 1;
    }
    this.lastDts = dts;
    return dts;
  }

  private measureDepth(pts: number): void {
    const n = Math.min(this.count, MAX_REORDER_DEPTH);
    let later = 0;
    for (let i = 0; i < n; i++) if (this.recent[i]! > pts) later++;
    this.recent[this.count % MAX_REORDER_DEPTH] = pts;
    if (later > this.depth) this.depth = later;
  }

  private heapPush(v: number): void {
    const h = this.heap;
    let i = h.length;
    h.push(v);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]! <= v) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = v;
  }

  private heapPop(): number {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && h[r]! < h[l]! ? r : l;
        if (h[c]! >= last) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
