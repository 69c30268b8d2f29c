// The running cameras of the server: starts, restarts and stops camera sessions as the cameras API
// changes them, applies recording settings live, keeps the server time zone for schedules, keeps
// manual recording in the catalog (so it survives a restart; disabling or removing drops it), and
// answers status queries. One instance per server, created and closed by app/.
import type { GapCause, ManualRecordingRepo, RunEndReason } from '../db/index.js';
import {
  CameraSession,
  type CameraSessionDeps,
  type CameraSpec,
  type CameraStatus,
} from './camera-session.js';
import type { RecordingConfig } from './recording-method.js';
import { ZonedTime } from './recording-schedule.js';

export interface CameraManagerDeps extends Omit<CameraSessionDeps, 'zone'> {
  /** The server's IANA time zone (settings); re-read every zoneRefreshMs. */
  timeZone: () => Promise<string>;
  zoneRefreshMs?: number;
  /** Where manual recording is kept across restarts; without it, it lasts as long as the session. */
  manualRecording?: ManualRecordingRepo;
}

export class CameraManager {
  private readonly sessions = new Map<number, CameraSession>();
  /** Serializes start/stop per camera so API calls cannot interleave a restart. */
  private readonly queues = new Map<number, Promise<void>>();
  private zone: ZonedTime;
  private zoneTimer: unknown;
  private closed = false;

  constructor(private readonly deps: CameraManagerDeps) {
    this.zone = new ZonedTime(Intl.DateTimeFormat().resolvedOptions().timeZone);
  }

  /** Reads the time zone and starts refreshing it. */
  async open(): Promise<void> {
    await this.refreshZone();
    const every = this.deps.zoneRefreshMs ?? 10_000;
    const arm = (): void => {
      this.zoneTimer = this.deps.timers.setTimeout(() => {
        if (this.closed) return;
        void this.refreshZone().finally(arm);
      }, every);
    };
    arm();
  }

  /**
   * Starts a camera, replacing (and first stopping) a running session of the same id; manual
   * recording stored for it (from before a restart or a settings change) is on again.
   */
  start(spec: CameraSpec): Promise<void> {
    return this.serial(spec.id, async () => {
      if (this.closed) return;
      await this.sessions.get(spec.id)?.stop('stopped', 'unknown');
      const session = new CameraSession(spec, { ...this.deps, zone: () => this.zone });
      this.sessions.set(spec.id, session);
      const manual = await this.deps.manualRecording?.find(spec.id).catch((err: unknown) => {
        this.deps.logger.error({ err, cameraId: spec.id }, 'cannot read manual recording');
        return undefined;
      });
      if (manual !== undefined) session.setManual(true);
      await session.start();
    });
  }

  /**
   * Stops a camera (it is disabled or removed: its manual recording is dropped); its open run ends
   * with `reason` and the gap that follows gets `gapCause`.
   */
  stop(cameraId: number, reason: RunEndReason = 'disabled', gapCause: GapCause = 'disabled'): Promise<void> {
    return this.serial(cameraId, async () => {
      const s = this.sessions.get(cameraId);
      this.sessions.delete(cameraId);
      await s?.stop(reason, gapCause);
      this.deps.tap?.stopped(cameraId);
      await this.storeManual(cameraId, false, null);
    });
  }

  /** Applies recording settings; returns false when the camera is not running. */
  updateRecording(cameraId: number, config: RecordingConfig): boolean {
    const s = this.sessions.get(cameraId);
    if (s === undefined) return false;
    s.updateRecording(config);
    return true;
  }

  /**
   * Manual recording on or off (at once; stored in order with starts and stops of the camera);
   * false when the camera is not running.
   */
  setManual(cameraId: number, on: boolean, byUserId: number | null = null): boolean {
    const s = this.sessions.get(cameraId);
    if (s === undefined) return false;
    s.setManual(on);
    if (this.deps.manualRecording !== undefined)
      void this.serial(cameraId, async () => {
        await this.storeManual(cameraId, on, byUserId);
        // A session (re)started meanwhile read the stored state before this call was stored.
        this.sessions.get(cameraId)?.setManual(on);
      });
    return true;
  }

  isRunning(cameraId: number): boolean {
    return this.sessions.has(cameraId);
  }

  status(cameraId: number): CameraStatus | undefined {
    return this.sessions.get(cameraId)?.status();
  }

  /** The running session (tests and the live view reach the streams through it). */
  session(cameraId: number): CameraSession | undefined {
    return this.sessions.get(cameraId);
  }

  /** Stops every camera (server shutdown: the gaps that follow are 'server_down'). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.deps.timers.clearTimeout(this.zoneTimer);
    await Promise.all([...this.queues.values()]);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.stop('stopped', 'server_down')));
    for (const s of all) this.deps.tap?.stopped(s.spec.id);
  }

  private async storeManual(cameraId: number, on: boolean, byUserId: number | null): Promise<void> {
    const repo = this.deps.manualRecording;
    if (repo === undefined) return;
    try {
      if (on) await repo.start(cameraId, this.deps.clock.nowMs(), byUserId);
      else await repo.stop(cameraId);
    } catch (err) {
      this.deps.logger.error({ err, cameraId }, 'cannot store manual recording');
    }
  }

  private async refreshZone(): Promise<void> {
    try {
      const name = await this.deps.timeZone();
      if (name !== this.zone.timeZone) this.zone = new ZonedTime(name);
    } catch (err) {
      this.deps.logger.warn({ err }, 'cannot read the server time zone; schedules keep the previous one');
    }
  }

  private serial(cameraId: number, task: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(cameraId) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.queues.set(cameraId, tail);
    void tail.then(() => {
      if (this.queues.get(cameraId) === tail) this.queues.delete(cameraId);
    });
    return next;
  }
}
