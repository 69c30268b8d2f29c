// The cameras of the server as the API sees them: validated add/edit/remove with credentials
// encrypted at rest, stored in the catalog (cameras + camera_sources), and started, restarted or
// stopped in the camera manager. Credentials leave this class only decrypted into a CameraSpec.
import type { CameraCreate, CameraPatch } from '@argus/api';
import { ArgusError, type Clock, type Logger } from '../base/index.js';
import type { Catalog, CameraRecord, CameraSourceRecord, StreamKind, Timeline } from '../db/index.js';
import {
  normalizeRecordingConfig,
  recordingConfigProblem,
  type CameraManager,
  type CameraSpec,
  type CameraStatus,
  type CameraStorageStats,
  type RecordingConfig,
} from '../ingest/index.js';
import { CredentialError, type CameraCredentials, type CredentialCipher } from './credential-cipher.js';
import {
  normalizeMotionEvents,
  type MotionEventsConfig,
  type MotionSourceFactory,
} from './motion-source-factory.js';

export const DAY_MS = 86_400_000;
export const DEFAULT_RETENTION_DAYS = 30;

export interface CameraView {
  camera: CameraRecord;
  source: CameraSourceRecord;
  recording: RecordingConfig;
  motionEvents: MotionEventsConfig;
  hasCredentials: boolean;
}

export interface CameraServiceDeps {
  catalog: Catalog;
  cipher: CredentialCipher;
  manager: CameraManager;
  clock: Clock;
  logger: Logger;
  motionSources: MotionSourceFactory;
  /** The storage location new cameras record to when none is given. */
  defaultStorageLocationId: () => Promise<number>;
  /** Deletes a camera's footage now (DELETE ?deleteRecordings=true). */
  deleteRecordings?: (cameraId: number) => Promise<void>;
  /** Bytes used, oldest footage and predicted retention of a camera. */
  storageStats?: (cameraId: number) => Promise<CameraStorageStats | undefined>;
}

export interface TimelineRequest {
  from90k: number;
  to90k: number;
  resolution90k: number;
  stream?: StreamKind;
}

const invalid = (path: string, message: string): ArgusError =>
  new ArgusError('VALIDATION', `Invalid body: ${path} ${message}`, { details: [{ path, message }] });

function checkUrl(path: string, value: string, protocols: string[]): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(path, 'is not a URL');
  }
  if (!protocols.includes(url.protocol))
    throw invalid(path, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  if (url.username !== '' || url.password !== '')
    throw invalid(
      path,
      'must not contain credentials; send them in "credentials" (they are stored encrypted)',
    );
  if (url.hostname === '') throw invalid(path, 'has no host');
}

function checkMotionEvents(m: MotionEventsConfig | undefined): void {
  if (m === undefined || m.kind === 'none') return;
  if (!m.url) throw invalid('motionEvents.url', `is required for ${m.kind}`);
  checkUrl('motionEvents.url', m.url, ['http:', 'https:']);
}

export class CameraService {
  constructor(private readonly deps: CameraServiceDeps) {}

  /** Starts every enabled camera (server start). A camera that cannot start is logged, not fatal. */
  async startAll(): Promise<void> {
    for (const camera of await this.deps.catalog.cameras.list()) {
      if (!camera.enabled) continue;
      const view = await this.view(camera).catch(() => undefined);
      if (view === undefined) continue;
      await this.deps.manager
        .start(this.spec(view))
        .catch((err: unknown) => this.deps.logger.error({ err, cameraId: camera.id }, 'cannot start camera'));
    }
  }

  async list(): Promise<CameraView[]> {
    const out: CameraView[] = [];
    for (const c of await this.deps.catalog.cameras.list()) {
      const v = await this.view(c).catch(() => undefined);
      if (v) out.push(v);
    }
    return out;
  }

  async get(id: number): Promise<CameraView> {
    const camera = await this.deps.catalog.cameras.findById(id);
    if (camera === undefined || camera.removedAtMs !== null)
      throw new ArgusError('NOT_FOUND', `No camera ${id}`);
    return this.view(camera);
  }

  async create(input: CameraCreate): Promise<CameraView> {
    const { catalog, clock } = this.deps;
    checkUrl('mainUrl', input.mainUrl, ['rtsp:', 'rtsps:']);
    if (input.subUrl) checkUrl('subUrl', input.subUrl, ['rtsp:', 'rtsps:']);
    const motionEvents = normalizeInputEvents(input.motionEvents);
    checkMotionEvents(motionEvents);
    const recording = this.recordingFrom(
      normalizeRecordingConfig(undefined),
      input.recording,
      input.subUrl ?? null,
    );
    await this.checkName(input.name);
    const storageLocationId = await this.checkLocation(input.storageLocationId);
    const nowMs = clock.nowMs();
    const camera = await catalog.cameras.create({
      name: input.name,
      storageLocationId,
      retentionMs: Math.round((input.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS),
      enabled: input.enabled ?? true,
      recording: { ...recording },
      nowMs,
    });
    try {
      await catalog.cameraSources.put({
        cameraId: camera.id,
        mainUrl: input.mainUrl,
        subUrl: input.subUrl ?? null,
        transport: input.transport ?? 'tcp',
        credentialsEnc: this.encrypt(camera.id, input.credentials ?? null),
        eventSource: { ...motionEvents },
        updatedAtMs: nowMs,
      });
    } catch (err) {
      await catalog.cameras.markRemoved(camera.id, nowMs);
      throw err;
    }
    const view = await this.get(camera.id);
    this.deps.logger.info({ event: 'camera.added', cameraId: camera.id, name: camera.name }, 'camera added');
    if (camera.enabled) await this.deps.manager.start(this.spec(view));
    return view;
  }

  /** Creates the camera, or updates the one with the same name; returns its id. */
  async put(input: CameraCreate): Promise<number> {
    const existing = (await this.deps.catalog.cameras.list()).find(
      (c) => c.name.toLowerCase() === input.name.toLowerCase(),
    );
    if (existing === undefined) return (await this.create(input)).camera.id;
    const patch: CameraPatch = {
      ...input,
      subUrl: input.subUrl ?? null,
      credentials: input.credentials ?? null,
    };
    return (await this.update(existing.id, patch)).camera.id;
  }

  async update(id: number, patch: CameraPatch): Promise<CameraView> {
    const { catalog, clock, manager } = this.deps;
    const before = await this.get(id);
    if (patch.mainUrl !== undefined) checkUrl('mainUrl', patch.mainUrl, ['rtsp:', 'rtsps:']);
    if (patch.subUrl) checkUrl('subUrl', patch.subUrl, ['rtsp:', 'rtsps:']);
    const motionEvents =
      patch.motionEvents === undefined ? before.motionEvents : normalizeInputEvents(patch.motionEvents);
    checkMotionEvents(motionEvents);
    const subUrl = patch.subUrl === undefined ? before.source.subUrl : patch.subUrl;
    const recording = this.recordingFrom(before.recording, patch.recording, subUrl);
    if (patch.name !== undefined && patch.name !== before.camera.name) await this.checkName(patch.name, id);
    const storageLocationId =
      patch.storageLocationId === undefined
        ? before.camera.storageLocationId
        : await this.checkLocation(patch.storageLocationId);
    await catalog.cameras.update(id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      ...(patch.retentionDays !== undefined ? { retentionMs: Math.round(patch.retentionDays * DAY_MS) } : {}),
      storageLocationId,
      recording: { ...recording },
    });
    const source: CameraSourceRecord = {
      ...before.source,
      mainUrl: patch.mainUrl ?? before.source.mainUrl,
      subUrl,
      transport: patch.transport ?? before.source.transport,
      credentialsEnc:
        patch.credentials === undefined ? before.source.credentialsEnc : this.encrypt(id, patch.credentials),
      eventSource: { ...motionEvents },
      updatedAtMs: clock.nowMs(),
    };
    await catalog.cameraSources.put(source);
    const after = await this.get(id);
    const restart =
      source.mainUrl !== before.source.mainUrl ||
      source.subUrl !== before.source.subUrl ||
      source.transport !== before.source.transport ||
      patch.credentials !== undefined ||
      storageLocationId !== before.camera.storageLocationId ||
      recording.stream !== before.recording.stream ||
      JSON.stringify(motionEvents) !== JSON.stringify(before.motionEvents);
    if (!after.camera.enabled) await manager.stop(id, 'disabled', 'disabled');
    else if (restart || !manager.isRunning(id)) await manager.start(this.spec(after));
    else manager.updateRecording(id, recording);
    return after;
  }

  async remove(id: number, deleteRecordings: boolean): Promise<void> {
    await this.get(id);
    await this.deps.manager.stop(id, 'disabled', 'disabled');
    await this.deps.catalog.cameras.markRemoved(id, this.deps.clock.nowMs());
    if (deleteRecordings) await this.deps.deleteRecordings?.(id);
    this.deps.logger.info({ event: 'camera.removed', cameraId: id, deleteRecordings }, 'camera removed');
  }

  /** Manual recording on or off; `byUserId` is kept with a start (who started it). */
  async setManual(id: number, on: boolean, byUserId: number | null = null): Promise<void> {
    const view = await this.get(id);
    if (!view.camera.enabled) throw new ArgusError('CONFLICT', `Camera ${id} is disabled; enable it first`);
    if (!this.deps.manager.setManual(id, on, byUserId))
      throw new ArgusError('CONFLICT', `Camera ${id} is not running`);
  }

  /** Run-time status, or 'disabled' for a camera that is not running. */
  async status(id: number): Promise<CameraStatus | 'disabled'> {
    await this.get(id);
    return this.deps.manager.status(id) ?? 'disabled';
  }

  async timeline(id: number, q: TimelineRequest): Promise<{ stream: StreamKind; timeline: Timeline }> {
    const view = await this.get(id);
    const kind = q.stream ?? view.recording.stream;
    const stream = await this.deps.catalog.streams.find(id, kind);
    if (stream === undefined) return { stream: kind, timeline: { recorded: [], motion: [], gaps: [] } };
    const timeline = await this.deps.catalog.timeline.query({
      streamId: stream.id,
      cameraId: id,
      from90k: q.from90k,
      to90k: q.to90k,
      resolution90k: q.resolution90k,
      now90k: Math.round(this.deps.clock.nowMs() * 90),
    });
    return { stream: kind, timeline };
  }

  async storage(id: number): Promise<CameraStorageStats> {
    await this.get(id);
    const stats = await this.deps.storageStats?.(id);
    if (stats === undefined) throw new ArgusError('NOT_FOUND', `No storage figures for camera ${id}`);
    return stats;
  }

  /** The decrypted run-time description of a camera. */
  spec(view: CameraView): CameraSpec {
    const credentials = this.decrypt(view);
    const { source } = view;
    return {
      id: view.camera.id,
      name: view.camera.name,
      storageLocationId: view.camera.storageLocationId,
      streams: {
        main: { url: source.mainUrl, transport: source.transport },
        sub: source.subUrl ? { url: source.subUrl, transport: source.transport } : null,
      },
      credentials,
      recording: view.recording,
      motionSource: this.deps.motionSources(view.motionEvents, credentials),
    };
  }

  private async view(camera: CameraRecord): Promise<CameraView> {
    const source = await this.deps.catalog.cameraSources.get(camera.id);
    if (source === undefined) throw new ArgusError('NOT_FOUND', `Camera ${camera.id} has no source settings`);
    return {
      camera,
      source,
      recording: normalizeRecordingConfig(camera.recording),
      motionEvents: normalizeMotionEvents(source.eventSource),
      hasCredentials: source.credentialsEnc !== null,
    };
  }

  private recordingFrom(
    base: RecordingConfig,
    patch: Partial<RecordingConfig> | undefined,
    subUrl: string | null,
  ): RecordingConfig {
    const next: RecordingConfig = { ...base, ...patch };
    const problem = recordingConfigProblem(next);
    if (problem) throw invalid(problem.split(':')[0]!, problem.slice(problem.indexOf(':') + 2));
    if (next.stream === 'sub' && !subUrl)
      throw invalid('recording.stream', 'is "sub" but the camera has no subUrl');
    return next;
  }

  private async checkName(name: string, exceptId?: number): Promise<void> {
    const taken = (await this.deps.catalog.cameras.list()).some(
      (c) => c.id !== exceptId && c.name.toLowerCase() === name.toLowerCase(),
    );
    if (taken) throw new ArgusError('CONFLICT', `A camera named "${name}" already exists`);
  }

  private async checkLocation(id: number | undefined): Promise<number> {
    const locationId = id ?? (await this.deps.defaultStorageLocationId());
    if ((await this.deps.catalog.storageLocations.findById(locationId)) === undefined)
      throw invalid('storageLocationId', `${locationId} is not a storage location`);
    return locationId;
  }

  private encrypt(cameraId: number, c: { username: string; password: string } | null): string | null {
    return c === null ? null : this.deps.cipher.encrypt(cameraId, { user: c.username, password: c.password });
  }

  private decrypt(view: CameraView): CameraCredentials | null {
    if (view.source.credentialsEnc === null) return null;
    try {
      return this.deps.cipher.decrypt(view.camera.id, view.source.credentialsEnc);
    } catch (err) {
      if (!(err instanceof CredentialError)) throw err;
      this.deps.logger.error({ cameraId: view.camera.id, code: err.code }, err.message);
      return null;
    }
  }
}

function normalizeInputEvents(m: CameraCreate['motionEvents']): MotionEventsConfig {
  if (m === undefined || m.kind === 'none') return { kind: 'none', url: null };
  return { kind: m.kind, url: m.url ?? null };
}
