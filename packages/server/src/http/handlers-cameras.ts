// Handlers of /api/v1/cameras: CRUD, manual recording, status, timeline and storage figures. They
// validate what JSON Schema cannot (time ranges) and map domain records to API shapes.
import type { Camera, CameraStatus, CameraTimeline, StreamStatus } from '@argus/api';
import { ArgusError } from '../base/index.js';
import type { CameraRunStatus, CameraView } from '../devices/index.js';
import type { HandlerMap } from './route-handler.js';

type IngestStatus = CameraRunStatus;

const iso = (ms: number): string => new Date(ms).toISOString();
const ms = (t90k: number): number => Math.round(t90k / 90);
const MAX_TIMELINE_SPAN_MS = 400 * 86_400_000;

export const cameraDto = (v: CameraView): Camera => ({
  id: v.camera.id,
  name: v.camera.name,
  enabled: v.camera.enabled,
  mainUrl: v.source.mainUrl,
  subUrl: v.source.subUrl,
  transport: v.source.transport,
  hasCredentials: v.hasCredentials,
  retentionDays: v.camera.retentionMs / 86_400_000,
  storageLocationId: v.camera.storageLocationId,
  recording: {
    mode: v.recording.mode,
    stream: v.recording.stream,
    schedule: v.recording.schedule,
    preBufferMs: v.recording.preBufferMs,
    postBufferMs: v.recording.postBufferMs,
  },
  motionEvents: { kind: v.motionEvents.kind, url: v.motionEvents.url },
  createdAt: iso(v.camera.createdAtMs),
});

const streamDto = (s: IngestStatus['streams']['main']): StreamStatus => ({
  state: s.state,
  since: iso(s.sinceMs),
  bitrateKbps: s.bitrateKbps,
  fps: s.fps,
  lostPackets: s.lostPackets,
  reconnects: s.reconnects,
  lastError: s.lastError,
  codec: s.codec,
  width: s.width,
  height: s.height,
});

function statusDto(view: CameraView, s: IngestStatus | 'disabled'): CameraStatus {
  if (s === 'disabled')
    return {
      cameraId: view.camera.id,
      state: 'disabled',
      recording: { active: false, reason: null, manual: false, mode: view.recording.mode },
      motion: { active: false, source: null, connected: null },
      streams: { main: null, sub: null },
    };
  return {
    cameraId: s.cameraId,
    state: s.state === 'stopped' ? 'disabled' : s.state,
    recording: s.recording,
    motion: s.motion,
    streams: { main: streamDto(s.streams.main), sub: s.streams.sub ? streamDto(s.streams.sub) : null },
  };
}

function parseTime(name: string, text: string): number {
  const value = /^[0-9]{1,15}$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(value))
    throw new ArgusError(
      'VALIDATION',
      `Invalid querystring: ${name} must be an ISO 8601 date-time or Unix ms`,
      {
        details: [{ path: name, message: 'must be an ISO 8601 date-time or Unix ms' }],
      },
    );
  return value;
}

const idOf = (params: Record<string, unknown>): number => Number(params['id']);
const query = (request: { query: unknown }): Record<string, string | undefined> =>
  (request.query ?? {}) as Record<string, string | undefined>;

export const cameraHandlers: HandlerMap<
  | 'listCameras'
  | 'createCamera'
  | 'getCamera'
  | 'updateCamera'
  | 'deleteCamera'
  | 'startCameraRecording'
  | 'stopCameraRecording'
  | 'cameraStatus'
  | 'cameraTimeline'
  | 'cameraStorage'
> = {
  async listCameras({ ctx }) {
    return { cameras: (await ctx.cameras.list()).map(cameraDto) };
  },
  async createCamera({ ctx, reply, body }) {
    const view = await ctx.cameras.create(body);
    void reply.status(201);
    return cameraDto(view);
  },
  async getCamera({ ctx, params }) {
    return cameraDto(await ctx.cameras.get(idOf(params)));
  },
  async updateCamera({ ctx, params, body }) {
    return cameraDto(await ctx.cameras.update(idOf(params), body));
  },
  async deleteCamera({ ctx, params, request, reply }) {
    await ctx.cameras.remove(idOf(params), query(request)['deleteRecordings'] === 'true');
    void reply.status(204);
    return undefined;
  },
  async startCameraRecording({ ctx, params, principal }) {
    const id = idOf(params);
    await ctx.cameras.setManual(id, true, principal?.user.id ?? null);
    return statusDto(await ctx.cameras.get(id), await ctx.cameras.status(id));
  },
  async stopCameraRecording({ ctx, params }) {
    const id = idOf(params);
    await ctx.cameras.setManual(id, false);
    return statusDto(await ctx.cameras.get(id), await ctx.cameras.status(id));
  },
  async cameraStatus({ ctx, params }) {
    const id = idOf(params);
    return statusDto(await ctx.cameras.get(id), await ctx.cameras.status(id));
  },
  async cameraTimeline({ ctx, params, request }): Promise<CameraTimeline> {
    const id = idOf(params);
    const q = query(request);
    const startMs = parseTime('start', q['start'] ?? '');
    const endMs = parseTime('end', q['end'] ?? '');
    if (endMs <= startMs || endMs - startMs > MAX_TIMELINE_SPAN_MS)
      throw new ArgusError(
        'VALIDATION',
        'Invalid querystring: end must be after start, at most 400 days later',
        {
          details: [{ path: 'end', message: 'must be after start, at most 400 days later' }],
        },
      );
    const resolutionMs = q['resolutionMs']
      ? Number(q['resolutionMs'])
      : Math.max(1, Math.round((endMs - startMs) / 1000));
    const stream = q['stream'] === 'main' || q['stream'] === 'sub' ? q['stream'] : undefined;
    const result = await ctx.cameras.timeline(id, {
      from90k: startMs * 90,
      to90k: endMs * 90,
      resolution90k: resolutionMs * 90,
      ...(stream ? { stream } : {}),
    });
    const span = (i: { startTime90k: number; endTime90k: number }) => ({
      startMs: ms(i.startTime90k),
      endMs: ms(i.endTime90k),
    });
    return {
      cameraId: id,
      stream: result.stream,
      startMs,
      endMs,
      resolutionMs,
      recorded: result.timeline.recorded.map(span),
      motion: result.timeline.motion.map(span),
      gaps: result.timeline.gaps.map((g) => ({ ...span(g), cause: g.cause })),
    };
  },
  async cameraStorage({ ctx, params }) {
    const s = await ctx.cameras.storage(idOf(params));
    return {
      cameraId: s.cameraId,
      storageLocationId: s.locationId,
      usedBytes: s.usedBytes,
      segmentCount: s.segmentCount,
      oldestRecording: s.oldestTime90k === null ? null : iso(ms(s.oldestTime90k)),
      newestRecording: s.newestTime90k === null ? null : iso(ms(s.newestTime90k)),
      retentionDays: s.retentionDays,
      bytesPerDay: s.bytesPerDay,
      predictedRetentionDays: Math.round(s.predictedRetentionDays * 100) / 100,
      limitedBySpace: s.limitedBySpace,
    };
  },
};
