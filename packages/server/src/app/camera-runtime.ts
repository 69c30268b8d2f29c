// The recording side of a running server: the event bus, storage locations (default one under the
// data directory, identity checks, the administrators' service), start-up recovery, retention, the
// camera manager with its recorders, and the cameras service the API calls. Started after the
// catalog, closed before it.
import type { Clock, Logger } from '../base/index.js';
import type { Catalog } from '../db/index.js';
import {
  CameraService,
  CredentialCipher,
  motionSourceFactory,
  type CameraServiceDeps,
} from '../devices/index.js';
import { EventBus } from '../events/index.js';
import {
  CameraManager,
  RecordingEventBus,
  RetentionService,
  StorageLocationService,
  StorageRegistry,
  cameraStorageStats,
  ensureDefaultStorageLocation,
  openRtspSource,
  recordingWriterRecorders,
  WriteBacklog,
  recoverRecordings,
  systemTimers,
  type MediaTap,
  type OpenSource,
  type StreamRecorderDeps,
  type Timers,
} from '../ingest/index.js';

export interface CameraRuntimeOptions {
  catalog: Catalog;
  clock: Clock;
  logger: Logger;
  dataDir: string;
  recordingsDir: string;
  /** The server's IANA time zone (settings). */
  timeZone: () => Promise<string>;
  /** Camera source; default RTSP through @argus/media. */
  openSource?: OpenSource;
  timers?: Timers;
  recordingFiles?: StreamRecorderDeps['writerOptions'];
  /** Receives every camera stream's access units (the live view). */
  mediaTap?: MediaTap;
}

export interface CameraRuntime {
  events: EventBus;
  cameras: CameraService;
  /** Storage locations: add, change floor/limit, remove, state and space (administrators). */
  storage: StorageLocationService;
  manager: CameraManager;
  close(): Promise<void>;
}

/** Events worth a log line (the rest stay on the bus). */
/**
 * Bytes all recording writers may hold for the disks together: 16 s of 64 cameras at 4 Mbit/s.
 * Past it the writers holding more than an even share end their runs with a storage_error gap.
 */
const RECORDING_BACKLOG_BYTES = 512 << 20;

const LOGGED = new Set([
  'camera.online',
  'camera.offline',
  'recording.manual',
  'location.full',
  'location.unavailable',
  'location.writable',
  'recording.clock-step',
  'recording.write-error',
  'recovery.finding',
]);

export async function startCameraRuntime(o: CameraRuntimeOptions): Promise<CameraRuntime> {
  const { catalog, clock, logger } = o;
  const timers = o.timers ?? systemTimers;
  const events = new EventBus(clock, 1000, (err) => logger.warn({ err }, 'event listener failed'));
  events.subscribe(({ event }) => {
    if (LOGGED.has(event.type)) logger.info({ ...event, event: event.type }, `event ${event.type}`);
  });
  const recordingEvents = new RecordingEventBus();
  recordingEvents.on((e) => events.publish(e));

  await ensureDefaultStorageLocation(catalog, o.recordingsDir, clock.nowMs());
  const registry = new StorageRegistry(catalog, recordingEvents);
  await registry.openAll();
  const report = await recoverRecordings({
    catalog,
    clock,
    mode: 'startup',
    repair: true,
    events: recordingEvents,
    logger,
  });
  if (report.findings.length > 0)
    logger.info(
      { event: 'recovery.done', findings: report.findings.length },
      'start-up recovery repaired the index',
    );
  const retention = new RetentionService({ catalog, registry, events: recordingEvents, clock, logger });
  retention.start();

  const manager = new CameraManager({
    clock,
    timers,
    openSource: o.openSource ?? openRtspSource,
    openRecorder: recordingWriterRecorders({
      catalog,
      registry,
      events: recordingEvents,
      clock,
      logger,
      backlog: new WriteBacklog(RECORDING_BACKLOG_BYTES),
      ...(o.recordingFiles ? { writerOptions: o.recordingFiles } : {}),
    }),
    motionRepo: catalog.motion,
    manualRecording: catalog.manualRecording,
    gapIndex: catalog,
    logger,
    emit: (e) => events.publish(e),
    timeZone: o.timeZone,
    ...(o.mediaTap ? { tap: o.mediaTap } : {}),
  });
  await manager.open();

  const deps: CameraServiceDeps = {
    catalog,
    cipher: CredentialCipher.open(o.dataDir),
    manager,
    clock,
    logger,
    motionSources: motionSourceFactory({ timers, nowMs: () => clock.nowMs() }),
    defaultStorageLocationId: async () =>
      (await ensureDefaultStorageLocation(catalog, o.recordingsDir, clock.nowMs())).id,
    async deleteRecordings(cameraId) {
      for (const location of await catalog.storageLocations.list()) {
        const segments = await catalog.recordings.segmentsOfCameraAt(location.id, cameraId);
        if (segments.length > 0)
          await catalog.recordings.deleteSegments(
            segments.map((s) => s.id),
            'camera removed',
          );
      }
      await retention.runOnce();
    },
    storageStats: (cameraId) => cameraStorageStats({ catalog, registry, clock }, cameraId),
  };
  const cameras = new CameraService(deps);
  await cameras.startAll();
  const storage = new StorageLocationService({
    catalog,
    registry,
    retention,
    events: recordingEvents,
    clock,
    logger,
  });

  return {
    events,
    cameras,
    storage,
    manager,
    async close() {
      await manager.close();
      await retention.stop();
    },
  };
}
