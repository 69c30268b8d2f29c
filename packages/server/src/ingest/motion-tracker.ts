// Motion state of one camera from its event source: the current state, when the last motion
// ended (for the post-buffer), and the motion intervals written to the index as they happen.
import type { Clock, Logger } from '../base/index.js';
import type { MotionRepo } from '../db/index.js';
import type { MotionEvent } from './motion-event-source.js';

/** A camera timestamp further than this from the server clock is replaced by the receive time. */
const MAX_CAMERA_CLOCK_ERROR_MS = 10_000;

export class MotionTracker {
  private activeValue = false;
  private startMs: number | undefined;
  private lastEndMs: number | undefined;
  private openId: Promise<number | undefined> | undefined;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repo: MotionRepo,
    private readonly cameraId: number,
    private readonly source: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  get active(): boolean {
    return this.activeValue;
  }

  /** Wall time (ms) the current motion started, while active. */
  get activeSinceMs(): number | undefined {
    return this.activeValue ? this.startMs : undefined;
  }

  /** Wall time (ms) the latest motion started (kept after it ended, for the pre-buffer). */
  get lastStartMs(): number | undefined {
    return this.startMs;
  }

  /** True when motion is on at tMs or ended less than postBufferMs before it. */
  hotAt(tMs: number, postBufferMs: number): boolean {
    return this.activeValue || (this.lastEndMs !== undefined && tMs < this.lastEndMs + postBufferMs);
  }

  /** Applies an event; returns true when the state changed. */
  onEvent(event: MotionEvent): boolean {
    if (event.active === this.activeValue) return false;
    const now = this.clock.nowMs();
    const atMs = Math.abs(event.atMs - now) <= MAX_CAMERA_CLOCK_ERROR_MS ? event.atMs : now;
    if (event.active) this.begin(atMs);
    else this.finish(atMs);
    return true;
  }

  /** The event channel was lost or the camera stops: an active interval ends now. */
  reset(): void {
    if (this.activeValue) this.finish(this.clock.nowMs());
  }

  private begin(atMs: number): void {
    this.activeValue = true;
    this.startMs = atMs;
    this.openId = this.repo.start(this.cameraId, Math.round(atMs * 90), this.source).catch((err: unknown) => {
      this.logger.warn({ err, cameraId: this.cameraId }, 'cannot write motion interval');
      return undefined;
    });
    const opened = this.openId;
    this.writes = this.writes.then(() => opened);
  }

  /** Resolves once every interval change so far is in the index. */
  async flush(): Promise<void> {
    await this.writes;
  }

  private finish(atMs: number): void {
    this.activeValue = false;
    const startMs = this.startMs ?? atMs;
    this.lastEndMs = Math.max(atMs, startMs);
    const opened = this.openId;
    this.openId = undefined;
    const end90k = Math.round(this.lastEndMs * 90);
    this.writes = this.writes.then(() =>
      opened?.then(async (id) => {
        if (id === undefined) return;
        await this.repo.end(id, end90k).catch((err: unknown) => {
          this.logger.warn({ err, cameraId: this.cameraId }, 'cannot close motion interval');
        });
      }),
    );
  }
}
