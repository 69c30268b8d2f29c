// Bitrate and frame rate of a stream over a sliding window of received access units (monotonic
// time), for the camera status the API shows. Bounded: at most `maxSamples` entries are kept.

export class RateMeter {
  private times: number[] = [];
  private sizes: number[] = [];
  private frames: number[] = [];
  private start = 0;

  constructor(
    private readonly windowMs = 5000,
    private readonly maxSamples = 4096,
  ) {}

  add(nowMs: number, bytes: number, isVideoFrame: boolean): void {
    this.times.push(nowMs);
    this.sizes.push(bytes);
    this.frames.push(isVideoFrame ? 1 : 0);
    this.trim(nowMs);
  }

  reset(): void {
    this.times = [];
    this.sizes = [];
    this.frames = [];
    this.start = 0;
  }

  /** { bitrateKbps, fps } over the window ending now; zero when nothing arrived recently. */
  rates(nowMs: number): { bitrateKbps: number; fps: number } {
    this.trim(nowMs);
    const n = this.times.length - this.start;
    if (n < 2) return { bitrateKbps: 0, fps: 0 };
    const spanMs = Math.max(nowMs - this.times[this.start]!, 1);
    let bytes = 0;
    let frames = 0;
    for (let i = this.start; i < this.times.length; i++) {
      bytes += this.sizes[i]!;
      frames += this.frames[i]!;
    }
    return {
      bitrateKbps: Math.round((bytes * 8) / spanMs),
      fps: Math.round((frames * 10_000) / spanMs) / 10,
    };
  }

  private trim(nowMs: number): void {
    while (this.start < this.times.length && this.times[this.start]! < nowMs - this.windowMs) this.start++;
    const excess = this.times.length - this.start - this.maxSamples;
    if (excess > 0) this.start += excess;
    if (this.start > 1024 && this.start * 2 > this.times.length) {
      this.times = this.times.slice(this.start);
      this.sizes = this.sizes.slice(this.start);
      this.frames = this.frames.slice(this.start);
      this.start = 0;
    }
  }
}
