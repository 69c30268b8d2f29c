// Handlers of the media routes over plain HTTP: the snapshot JPEG, the MP4 download (progressive,
// HTTP Range, size known in advance, attachment file name) and the fragmented-MP4 playback stream.
// The WebSocket routes are in ws-media-routes.ts.
import { Readable } from 'node:stream';
import { ArgusError } from '../base/index.js';
import type { CameraView } from '../devices/index.js';
import { parseRange } from './byte-range.js';
import type { HandlerMap } from './route-handler.js';
import type { ServerContext } from './server-context.js';

/** Longest range one download or playback.mp4 request may cover. */
export const MAX_MEDIA_SPAN_MS = 6 * 3_600_000;

const invalid = (path: string, message: string): ArgusError =>
  new ArgusError('VALIDATION', `Invalid querystring: ${path} ${message}`, { details: [{ path, message }] });

/** An ISO 8601 instant or Unix milliseconds. */
export function parseInstant(name: string, text: string | undefined): number {
  const value = text !== undefined && /^[0-9]{1,15}$/.test(text) ? Number(text) : Date.parse(text ?? '');
  if (!Number.isFinite(value)) throw invalid(name, 'must be an ISO 8601 date-time or Unix ms');
  return value;
}

const query = (request: { query: unknown }): Record<string, string | undefined> =>
  (request.query ?? {}) as Record<string, string | undefined>;

function mediaRange(q: Record<string, string | undefined>): { startMs: number; endMs: number } {
  const startMs = parseInstant('start', q['start']);
  const endMs = parseInstant('end', q['end']);
  if (endMs <= startMs || endMs - startMs > MAX_MEDIA_SPAN_MS)
    throw invalid('end', `must be after start, at most ${MAX_MEDIA_SPAN_MS / 3_600_000} hours later`);
  return { startMs, endMs };
}

/** The recorded stream row of a camera (the one it records unless ?stream= says otherwise). */
async function recordedStream(
  ctx: ServerContext,
  view: CameraView,
  wanted: string | undefined,
): Promise<{ id: number; kind: 'main' | 'sub' } | undefined> {
  const kind = wanted === 'main' || wanted === 'sub' ? wanted : view.recording.stream;
  const row = await ctx.catalog.streams.find(view.camera.id, kind);
  return row === undefined ? undefined : { id: row.id, kind };
}

/** `Front door-2024-03-12_14-05-33Z.mp4`, safe in every file system; RFC 6266 with a UTF-8 variant. */
export function attachmentName(cameraName: string, startMs: number): string {
  const stamp = new Date(startMs).toISOString().slice(0, 19).replace('T', '_').replace(/:/g, '-');
  const safe = [...cameraName].map((c) => (c < ' ' || '\\/:*?"<>|'.includes(c) ? '_' : c)).join('');
  const utf8 = `${safe.trim() || 'camera'}-${stamp}Z.mp4`;
  const ascii = utf8.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(utf8)}`;
}

const nothingRecorded = (startMs: number, endMs: number): ArgusError =>
  new ArgusError(
    'NOT_FOUND',
    `Nothing is recorded between ${new Date(startMs).toISOString()} and ${new Date(endMs).toISOString()}`,
  );

/**
 * The body of a HEAD answer: Fastify's HEAD route sets content-length 0 for an empty payload but
 * keeps ours for a stream, which it drains; an empty one keeps the size without reading media.
 */
const emptyBody = (): Readable => Readable.from([]);

const idOf = (params: Record<string, unknown>): number => Number(params['id']);

export const mediaHandlers: HandlerMap<'cameraSnapshot' | 'cameraDownload' | 'cameraPlaybackStream'> = {
  async cameraSnapshot({ ctx, params, request, reply }) {
    const id = idOf(params);
    const view = await ctx.cameras.get(id);
    const q = query(request);
    const kind = q['stream'] === 'sub' ? 'sub' : 'main';
    const status = await ctx.cameras.status(id);
    if (status === 'disabled')
      throw new ArgusError(
        'MEDIA_UNAVAILABLE',
        `Camera "${view.camera.name}" is disabled: no current picture`,
      );
    if (kind === 'sub' && status.streams.sub === null)
      throw new ArgusError('NOT_FOUND', `Camera "${view.camera.name}" has no sub stream`);
    const snap = await ctx.media.snapshots.snapshot(id, kind);
    void reply.header('content-type', 'image/jpeg').header('x-argus-snapshot-source', snap.source);
    return reply.send(Buffer.from(snap.jpeg.buffer, snap.jpeg.byteOffset, snap.jpeg.byteLength));
  },

  async cameraDownload({ ctx, params, request, reply }) {
    const view = await ctx.cameras.get(idOf(params));
    const q = query(request);
    const { startMs, endMs } = mediaRange(q);
    const stream = await recordedStream(ctx, view, q['stream']);
    const plan = stream && (await ctx.media.playback.download(stream.id, startMs, endMs));
    if (!plan) throw nothingRecorded(startMs, endMs);
    const total = plan.file.totalSizeBytes;
    const range = parseRange(request.headers.range, total);
    if (range.kind === 'unsatisfiable')
      throw new ArgusError('RANGE_NOT_SATISFIABLE', `The file is ${total} bytes long`, {
        headers: { 'content-range': `bytes */${total}` },
      });
    const [from, to] = range.kind === 'range' ? [range.start, range.endInclusive + 1] : [0, total];
    void reply
      .header('content-type', 'video/mp4')
      .header('accept-ranges', 'bytes')
      .header('content-disposition', attachmentName(view.camera.name, plan.startMs))
      .header('content-length', String(to - from))
      .header('x-argus-start', new Date(plan.startMs).toISOString())
      .header('x-argus-end', new Date(plan.endMs).toISOString());
    if (range.kind === 'range')
      void reply.status(206).header('content-range', `bytes ${from}-${to - 1}/${total}`);
    if (request.method === 'HEAD') return reply.send(emptyBody());
    return reply.send(Readable.from(ctx.media.playback.downloadBytes(plan, from, to), { objectMode: false }));
  },

  async cameraPlaybackStream({ ctx, params, request, reply }) {
    const view = await ctx.cameras.get(idOf(params));
    const q = query(request);
    const { startMs, endMs } = mediaRange(q);
    const stream = await recordedStream(ctx, view, q['stream']);
    if (!stream || !(await ctx.media.playback.hasRecordings(stream.id, startMs, endMs)))
      throw nothingRecorded(startMs, endMs);
    void reply.header('content-type', 'video/mp4');
    if (request.method === 'HEAD') return reply.send(emptyBody());
    return reply.send(
      Readable.from(ctx.media.playback.fragmentedMp4(stream.id, startMs, endMs), { objectMode: false }),
    );
  },
};

export { recordedStream };
