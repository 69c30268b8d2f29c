// One camera at run time: a reconnect loop per stream, the camera's motion events, the pre-buffer
// of the recorded stream, and the recording decision (method, schedule, motion with pre/post
// buffer, manual) evaluated on every access unit, feeding the stream's recorder.
import type { StreamAccessUnit } from '@argus/media';
import type { Clock, Logger } from '../base/index.js';
import type { GapCause, GapsRepo, MotionRepo, RunEndReason, StreamsRepo } from '../db/index.js';
import type { IngestEventSink } from './ingest-events.js';
import type { MediaTap } from './media-tap.js';
import type { Timers } from './ingest-timers.js';
import type { MotionEventSource } from './motion-event-source.js';
import { MotionTracker } from './motion-tracker.js';
import { PreBuffer } from './pre-buffer.js';
import type { OpenRecorder, RecorderPort } from './recorder-port.js';
import { decideRecording, type RecordingConfig, type RecordingReason } from './recording-method.js';
import { scheduleAllows, type ZonedTime } from './recording-schedule.js';
import type { BackoffOptions } from './reconnect-backoff.js';
import { StreamSession, type StreamState, type StreamStatus } from './stream-session.js';
import type { OpenSource } from './stream-source.js';

export interface StreamEndpoint {
  url: string;
  transport: 'tcp' | 'udp';
}

/** Everything ingest needs to run a camera, credentials decrypted (devices/ builds it). */
export interface CameraSpec {
  id: number;
  name: string;
  storageLocationId: number;
  streams: { main: StreamEndpoint; sub: StreamEndpoint | null };
  credentials: { user: string; password: string } | null;
  recording: RecordingConfig;
  /** The camera's own motion events; null when none is configured. */
  motionSource: MotionEventSource | null;
}

export interface CameraSessionDeps {
  clock: Clock;
  timers: Timers;
  random?: () => number;
  openSource: OpenSource;
  openRecorder: OpenRecorder;
  motionRepo: MotionRepo;
  logger: Logger;
  emit: IngestEventSink;
  /** The server's time zone (schedules are local times there). */
  zone: () => ZonedTime;
  stallTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** Receives every stream's access units and states (the live view). */
  tap?: MediaTap;
  /**
   * The index, so the open gap follows a change of cause while idle (schedule, then offline, ...);
   * the recorder opens a gap once per run end. Without it a gap keeps its first cause.
   */
  gapIndex?: { gaps: Pick<GapsRepo, 'switchCause'>; streams: Pick<StreamsRepo, 'ensure'> };
}

export type CameraState = 'connecting' | 'online' | 'offline' | 'stopped';

export interface CameraStatus {
  cameraId: number;
  state: CameraState;
  recording: {
    active: boolean;
    reason: RecordingReason | null;
    manual: boolean;
    mode: RecordingConfig['mode'];
  };
  motion: { active: boolean; source: string | null; connected: boolean | null };
  streams: { main: StreamStatus; sub: StreamStatus | null };
}

const SCHEDULE_TICK_MS = 1000;

export class CameraSession {
  private readonly main: StreamSession;
  private readonly sub: StreamSession | undefined;
  private readonly recorded: StreamSession;
  private readonly pre: PreBuffer;
  private readonly motion: MotionTracker | undefined;
  private motionConnected: boolean | null = null;
  private recorder: RecorderPort | undefined;
  private config: RecordingConfig;
  private manual = false;
  private active = false;
  private reason: RecordingReason | null = null;
  private awaitingKey = false;
  /** Cause of the open gap while not recording (so the timeline says why), until the next run. */
  private idleGap: GapCause | undefined;
  private gapStreamId: Promise<number> | undefined;
  private primaryTrack: number | undefined;
  private inSchedule = true;
  private tick: unknown;
  private stopped = false;
  private ending: Promise<void> = Promise.resolve();
  private readonly log: Logger;

  constructor(
    readonly spec: CameraSpec,
    private readonly deps: CameraSessionDeps,
  ) {
    this.config = spec.recording;
    this.log = deps.logger.child({ cameraId: spec.id });
    const make = (kind: 'main' | 'sub', endpoint: StreamEndpoint): StreamSession =>
      new StreamSession({
        request: {
          url: endpoint.url,
          transport: endpoint.transport,
          ...(spec.credentials ? { user: spec.credentials.user, password: spec.credentials.password } : {}),
        },
        openSource: deps.openSource,
        clock: deps.clock,
        timers: deps.timers,
        ...(deps.random ? { random: deps.random } : {}),
        ...(deps.backoff ? { backoff: deps.backoff } : {}),
        ...(deps.stallTimeoutMs !== undefined ? { stallTimeoutMs: deps.stallTimeoutMs } : {}),
        listener: {
          onUnit: (unit, s) => {
            deps.tap?.unit(spec.id, kind, unit, s.tracks());
            this.onUnit(unit, s);
          },
          onState: (state) => {
            deps.tap?.state(spec.id, kind, state);
            this.onStreamState(kind, state);
          },
        },
        log: (fields, message) => this.log.info({ ...fields, stream: kind }, message),
      });
    this.main = make('main', spec.streams.main);
    this.sub = spec.streams.sub ? make('sub', spec.streams.sub) : undefined;
    this.recorded = spec.recording.stream === 'sub' && this.sub ? this.sub : this.main;
    this.pre = new PreBuffer(this.preBufferMs());
    this.motion = spec.motionSource
      ? new MotionTracker(deps.motionRepo, spec.id, spec.motionSource.kind, deps.clock, this.log)
      : undefined;
  }

  get recordedStream(): 'main' | 'sub' {
    return this.recorded === this.main ? 'main' : 'sub';
  }

  async start(): Promise<void> {
    this.refreshSchedule();
    this.armTick();
    this.spec.motionSource?.start({
      onMotion: (event) => {
        if (this.stopped || !this.motion?.onEvent(event)) return;
        this.deps.emit({
          type: event.active ? 'motion.started' : 'motion.stopped',
          cameraId: this.spec.id,
          atMs: event.atMs,
        });
      },
      onConnection: (connected, error) => {
        if (this.stopped) return;
        this.motionConnected = connected;
        if (!connected) this.motion?.reset();
        this.deps.emit({ type: 'motion.source', cameraId: this.spec.id, connected, ...(error ?? {}) });
      },
    });
    this.main.start();
    this.sub?.start();
    try {
      this.recorder = await this.deps.openRecorder({
        cameraId: this.spec.id,
        streamKind: this.recordedStream,
        storageLocationId: this.spec.storageLocationId,
      });
    } catch (err) {
      this.log.error({ err }, 'cannot open the recorder; the camera is not recorded');
    }
  }

  /** Stops streams, motion and recording; the open run ends with `reason` and a gap of `gapCause`. */
  async stop(reason: RunEndReason = 'stopped', gapCause: GapCause = 'server_down'): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.deps.timers.clearTimeout(this.tick);
    if (this.active) this.stopRecording(reason, gapCause);
    else if (this.idleGap !== undefined) this.switchGap(gapCause);
    await Promise.all([this.main.stop(), this.sub?.stop(), this.spec.motionSource?.stop()]);
    this.motion?.reset();
    await this.ending;
    await this.motion?.flush();
    this.pre.clear();
  }

  setManual(on: boolean): void {
    if (this.manual === on) return;
    this.manual = on;
    this.deps.emit({ type: 'recording.manual', cameraId: this.spec.id, on, atMs: this.deps.clock.nowMs() });
  }

  get manualRecording(): boolean {
    return this.manual;
  }

  /** Applies a new method, schedule or buffers (the recorded stream must be the same). */
  updateRecording(config: RecordingConfig): void {
    this.config = config;
    this.pre.setDuration(this.preBufferMs());
    this.refreshSchedule();
  }

  /** Resolves once pending index writes (run ends, motion intervals) are done; for tests. */
  async settle(): Promise<void> {
    await this.ending;
    await this.motion?.flush();
  }

  status(): CameraStatus {
    const recorded = this.recorded.state;
    return {
      cameraId: this.spec.id,
      state: this.stopped ? 'stopped' : recorded === 'stopped' ? 'stopped' : recorded,
      recording: { active: this.active, reason: this.reason, manual: this.manual, mode: this.config.mode },
      motion: {
        active: this.motion?.active ?? false,
        source: this.spec.motionSource?.kind ?? null,
        connected: this.spec.motionSource ? this.motionConnected : null,
      },
      streams: { main: this.main.status(), sub: this.sub?.status() ?? null },
    };
  }

  private preBufferMs(): number {
    return this.config.mode === 'motion' || this.config.mode === 'both' ? this.config.preBufferMs : 0;
  }

  private armTick(): void {
    this.tick = this.deps.timers.setTimeout(() => {
      if (this.stopped) return;
      this.refreshSchedule();
      this.armTick();
    }, SCHEDULE_TICK_MS);
  }

  private refreshSchedule(): void {
    const schedule = this.config.schedule;
    this.inSchedule =
      schedule === null || scheduleAllows(schedule, this.deps.zone(), this.deps.clock.nowMs());
  }

  private onUnit(unit: StreamAccessUnit, session: StreamSession): void {
    if (session !== this.recorded || this.stopped) return;
    const tracks = session.tracks();
    if (tracks === undefined) return;
    if (this.primaryTrack === undefined) {
      this.primaryTrack = tracks.find((t) => t.info.kind === 'video')?.trackIndex ?? tracks[0]!.trackIndex;
      this.pre.setPrimaryTrack(this.primaryTrack);
    }
    const item = { unit, receivedAtMs: this.deps.clock.nowMs() };
    this.pre.push(item);
    const t = unit.wallTimeMs;
    const hot = this.motion?.hotAt(t, this.config.postBufferMs) ?? false;
    const d = decideRecording(this.config.mode, {
      manual: this.manual,
      inSchedule: this.inSchedule,
      motionHot: hot,
    });
    const recorder = this.recorder;
    if (recorder === undefined) return;
    if (d.record && !this.active) {
      this.active = true;
      this.idleGap = undefined;
      this.reason = d.reason;
      const motionStart = this.motion?.lastStartMs;
      const from =
        d.reason === 'motion' && motionStart !== undefined ? motionStart - this.config.preBufferMs : t;
      this.awaitingKey = true;
      for (const it of this.pre.unitsFrom(from)) this.write(recorder, it, tracks);
      return;
    }
    if (!d.record && this.active) {
      this.stopRecording(endReasonFor(d.idleCause), d.idleCause);
      return;
    }
    this.reason = d.reason;
    if (this.active) this.write(recorder, item, tracks);
    else this.markIdle(d.idleCause);
  }

  /**
   * Not recording (yet): the first time, the recorder opens a gap with the cause; after that a new
   * cause ends the open gap and starts one with it, so the timeline says why at every moment.
   */
  private markIdle(cause: GapCause): void {
    const recorder = this.recorder;
    if (this.idleGap === cause || recorder === undefined) return;
    const first = this.idleGap === undefined;
    this.idleGap = cause;
    if (first)
      this.ending = this.ending.then(() =>
        recorder
          .end(endReasonFor(cause), cause)
          .catch((err: unknown) => this.log.error({ err }, 'cannot open a gap')),
      );
    // Also when first: a gap left open from before (the server was down) gets this cause from now.
    this.switchGap(cause);
  }

  /** The open gap's cause becomes `cause` from now (after pending run ends and gap opens). */
  private switchGap(cause: GapCause): void {
    const index = this.deps.gapIndex;
    if (index === undefined) return;
    this.idleGap = cause;
    const at90k = Math.round(this.deps.clock.nowMs() * 90);
    this.gapStreamId ??= index.streams.ensure(this.spec.id, this.recordedStream).then((s) => s.id);
    const streamId = this.gapStreamId;
    this.ending = this.ending.then(async () => {
      try {
        await index.gaps.switchCause(await streamId, at90k, cause);
      } catch (err) {
        this.log.error({ err }, 'cannot record the cause of a gap');
      }
    });
  }

  private write(
    recorder: RecorderPort,
    item: { unit: StreamAccessUnit; receivedAtMs: number },
    tracks: ReturnType<StreamSession['tracks']>,
  ): void {
    const au = item.unit.accessUnit;
    if (this.awaitingKey) {
      if (item.unit.trackIndex !== this.primaryTrack || au.kind !== 'video' || !au.isKey) return;
      this.awaitingKey = false;
    }
    try {
      recorder.write(item, tracks ?? []);
    } catch (err) {
      this.log.error({ err }, 'recording write failed');
      this.stopRecording('storage_error', 'storage_error');
    }
  }

  private stopRecording(reason: RunEndReason, gapCause: GapCause): void {
    if (!this.active) return;
    this.active = false;
    this.idleGap = gapCause;
    this.reason = null;
    const recorder = this.recorder;
    if (recorder === undefined) return;
    const previous = this.ending;
    this.ending = previous.then(() =>
      recorder.end(reason, gapCause).catch((err: unknown) => this.log.error({ err }, 'cannot end the run')),
    );
    // The recorder opens no new gap while one is open (a blocked disk): label it with this cause.
    this.switchGap(gapCause);
  }

  private onStreamState(kind: 'main' | 'sub', state: StreamState): void {
    const atMs = this.deps.clock.nowMs();
    this.deps.emit({ type: 'stream.state', cameraId: this.spec.id, stream: kind, state, atMs });
    if ((kind === 'main') !== (this.recorded === this.main) || this.stopped) return;
    if (state === 'online') this.deps.emit({ type: 'camera.online', cameraId: this.spec.id, atMs });
    if (state === 'offline') {
      const err = this.recorded.status().lastError ?? { code: 'ARGUS_ERR_STREAM_FAILED', message: 'offline' };
      this.deps.emit({ type: 'camera.offline', cameraId: this.spec.id, atMs, ...err });
      if (this.active) this.stopRecording('offline', 'offline');
      else this.markIdle('offline');
      this.pre.clear();
      this.primaryTrack = undefined;
    }
  }
}

function endReasonFor(cause: GapCause): RunEndReason {
  switch (cause) {
    case 'schedule':
      return 'schedule';
    case 'no_motion':
      return 'no_motion';
    case 'disabled':
      return 'disabled';
    default:
      return 'stopped';
  }
}
