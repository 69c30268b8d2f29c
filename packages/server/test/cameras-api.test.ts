// The cameras API against a real HTTPS server with a scripted camera source: add/edit/remove with
// validation codes, privileges, credentials encrypted at rest (never returned, never logged,
// surviving a restart), status counters, manual recording, timeline and storage figures.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenSource, OpenSourceRequest } from '../src/ingest/index.js';
import { startCameraServer, type CameraServer } from './helpers/camera-server.js';
import { FakeCamera } from './helpers/fake-source.js';

const SECRET = 'pa55-W0rd-never-shown';
const code = (json: unknown): string | undefined => (json as { error?: { code?: string } }).error?.code;
const details = (json: unknown): { path: string }[] =>
  (json as { error?: { details?: { path: string }[] } }).error?.details ?? [];

let t: CameraServer;
const fake = new FakeCamera();
fake.up = false;
const requests: OpenSourceRequest[] = [];
const open: OpenSource = (req, handlers) => {
  requests.push(req);
  return fake.open(req, handlers);
};

beforeAll(async () => {
  t = await startCameraServer({ openSource: open });
});
afterAll(() => t.stop());

const body = (extra: Record<string, unknown> = {}) => ({
  name: 'Front door',
  mainUrl: 'rtsp://127.0.0.1:8554/main',
  subUrl: 'rtsp://127.0.0.1:8554/sub',
  credentials: { username: 'root', password: SECRET },
  ...extra,
});

describe('cameras API', () => {
  let id: number;

  it('adds a camera, returns no credentials, and stores them encrypted with a 0600 key file', async () => {
    const res = await t.api(
      'POST',
      '/api/v1/cameras',
      body({ recording: { mode: 'motion', preBufferMs: 3000 } }),
    );
    expect(res.status).toBe(201);
    expect(res.text).not.toContain(SECRET);
    expect(res.text).not.toContain('root');
    id = (res.json as { id: number }).id;
    expect(res.json).toMatchObject({
      name: 'Front door',
      enabled: true,
      hasCredentials: true,
      retentionDays: 30,
      transport: 'tcp',
      recording: { mode: 'motion', stream: 'main', schedule: null, preBufferMs: 3000, postBufferMs: 5000 },
      motionEvents: { kind: 'none', url: null },
    });
    const keyFile = path.join(t.dataDir, 'camera-credentials.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const db = new Database(path.join(t.dataDir, 'catalog.sqlite'), { readonly: true });
    const row = db.prepare('SELECT credentials_enc FROM camera_sources WHERE camera_id = ?').get(id) as {
      credentials_enc: string;
    };
    db.close();
    expect(row.credentials_enc).toMatch(/^v1:/);
    expect(row.credentials_enc).not.toContain(SECRET);
    expect(readFileSync(path.join(t.dataDir, 'catalog.sqlite')).includes(SECRET)).toBe(false);
    // the session got the decrypted credentials
    expect(requests.some((r) => r.user === 'root' && r.password === SECRET && r.url.endsWith('/main'))).toBe(
      true,
    );
    expect(requests.some((r) => r.url.endsWith('/sub'))).toBe(true);
  });

  it('refuses invalid bodies with ARGUS_ERR_VALIDATION and the offending field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [body({ name: 'a', mainUrl: 'http://cam/x' }), 'mainUrl'],
      [body({ name: 'b', mainUrl: 'rtsp://root:pw@cam/x' }), 'mainUrl'],
      [body({ name: 'c', subUrl: null, recording: { stream: 'sub' } }), 'recording.stream'],
      [
        body({
          name: 'd',
          recording: { schedule: { windows: [{ days: ['mon'], start: '09:00', end: '09:00' }] } },
        }),
        'recording.schedule',
      ],
      [
        body({
          name: 'e',
          recording: { schedule: { windows: [{ days: ['xyz'], start: '09:00', end: '10:00' }] } },
        }),
        'recording.schedule.windows.0.days.0',
      ],
      [body({ name: 'f', motionEvents: { kind: 'axis' } }), 'motionEvents.url'],
      [body({ name: 'g', motionEvents: { kind: 'onvif', url: 'ftp://cam' } }), 'motionEvents.url'],
      [body({ name: 'h', retentionDays: 0 }), 'retentionDays'],
      [body({ name: 'i', storageLocationId: 999 }), 'storageLocationId'],
      [body({ name: 'j', color: 'red' }), '(body)'],
    ];
    for (const [b, where] of cases) {
      const res = await t.api('POST', '/api/v1/cameras', b);
      expect(res.status, JSON.stringify(b)).toBe(400);
      expect(code(res.json)).toBe('ARGUS_ERR_VALIDATION');
      expect(
        details(res.json)
          .map((d) => d.path)
          .join(' '),
        res.text,
      ).toContain(where);
    }
    const dup = await t.api('POST', '/api/v1/cameras', body({ name: 'FRONT DOOR' }));
    expect(dup.status).toBe(409);
    expect(code(dup.json)).toBe('ARGUS_ERR_CONFLICT');
    expect((await t.api('GET', '/api/v1/cameras')).json).toMatchObject({ cameras: [{ id }] });
  });

  it('lets viewers read, operators record by hand and only administrators change', async () => {
    const viewer = await t.tokenFor('viewer');
    expect((await t.api('GET', '/api/v1/cameras', undefined, viewer)).status).toBe(200);
    expect((await t.api('GET', `/api/v1/cameras/${id}/status`, undefined, viewer)).status).toBe(200);
    for (const [method, url, b] of [
      ['POST', '/api/v1/cameras', body({ name: 'x' })],
      ['PATCH', `/api/v1/cameras/${id}`, { name: 'y' }],
      ['DELETE', `/api/v1/cameras/${id}`, undefined],
      ['POST', `/api/v1/cameras/${id}/recording/start`, undefined],
    ] as const) {
      const res = await t.api(method, url, b, viewer);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(code(res.json)).toBe('ARGUS_ERR_FORBIDDEN');
    }
    expect((await t.api('GET', '/api/v1/cameras', undefined, 'nope')).status).toBe(401);
    // An operator starts and stops manual recording (the manual's "Manual Recording" privilege) but
    // changes nothing else.
    const operator = await t.tokenFor('operator');
    const patch = await t.api('PATCH', `/api/v1/cameras/${id}`, { name: 'y' }, operator);
    expect(patch.status).toBe(403);
    const start = await t.api('POST', `/api/v1/cameras/${id}/recording/start`, undefined, operator);
    expect(start.status, start.text).toBe(200);
    expect(start.json).toMatchObject({ recording: { manual: true } });
    const stop = await t.api('POST', `/api/v1/cameras/${id}/recording/stop`, undefined, operator);
    expect(stop.status, stop.text).toBe(200);
    expect(stop.json).toMatchObject({ recording: { manual: false } });
  });

  it('reports an unreachable camera as offline with the reason and reconnect count', async () => {
    let status: {
      state?: string;
      streams?: { main?: { reconnects: number; lastError: { code: string } | null } };
    } = {};
    for (let i = 0; i < 50; i++) {
      status = (await t.api('GET', `/api/v1/cameras/${id}/status`)).json as typeof status;
      if ((status.streams?.main?.reconnects ?? 0) >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status.state).toBe('offline');
    expect(status.streams?.main?.lastError?.code).toBe('ARGUS_ERR_RTSP_CONNECT');
    expect(status.streams?.main?.reconnects).toBeGreaterThanOrEqual(2);
    expect(status).toMatchObject({
      recording: { active: false, manual: false, mode: 'motion' },
      motion: { active: false, source: null, connected: null },
    });
  });

  it('edits a camera: recording settings live, credentials replaced or removed', async () => {
    const before = requests.length;
    const rec = await t.api('PATCH', `/api/v1/cameras/${id}`, {
      recording: {
        mode: 'continuous',
        schedule: { windows: [{ days: ['mon', 'tue'], start: '22:00', end: '06:00' }] },
      },
      retentionDays: 7,
    });
    expect(rec.status).toBe(200);
    expect(rec.json).toMatchObject({
      retentionDays: 7,
      recording: { mode: 'continuous', preBufferMs: 3000 },
    });
    const cleared = await t.api('PATCH', `/api/v1/cameras/${id}`, { credentials: null, name: 'Back door' });
    expect(cleared.json).toMatchObject({ hasCredentials: false, name: 'Back door' });
    // a credentials change restarts the session without them
    for (let i = 0; i < 50 && !requests.slice(before).some((r) => r.user === undefined); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(requests.slice(before).some((r) => r.user === undefined && r.url.endsWith('/main'))).toBe(true);
    const back = await t.api('PATCH', `/api/v1/cameras/${id}`, {
      credentials: { username: 'admin', password: SECRET },
    });
    expect(back.json).toMatchObject({ hasCredentials: true });
    expect((await t.api('PATCH', '/api/v1/cameras/9999', { name: 'z' })).status).toBe(404);
  });

  it('starts and stops manual recording; refuses it for a disabled camera', async () => {
    const on = await t.api('POST', `/api/v1/cameras/${id}/recording/start`);
    expect(on.status).toBe(200);
    expect(on.json).toMatchObject({ recording: { manual: true } });
    const off = await t.api('POST', `/api/v1/cameras/${id}/recording/stop`);
    expect(off.json).toMatchObject({ recording: { manual: false } });
    await t.api('PATCH', `/api/v1/cameras/${id}`, { enabled: false });
    expect((await t.api('GET', `/api/v1/cameras/${id}/status`)).json).toMatchObject({
      state: 'disabled',
      streams: { main: null },
    });
    const refused = await t.api('POST', `/api/v1/cameras/${id}/recording/start`);
    expect(refused.status).toBe(409);
    expect(code(refused.json)).toBe('ARGUS_ERR_CONFLICT');
    await t.api('PATCH', `/api/v1/cameras/${id}`, { enabled: true });
  });

  it('answers timeline and storage queries, and validates the time range', async () => {
    const tl = await t.api(
      'GET',
      `/api/v1/cameras/${id}/timeline?start=2026-01-01T00:00:00Z&end=2026-01-02T00:00:00Z&resolutionMs=60000`,
    );
    expect(tl.status).toBe(200);
    expect(tl.json).toMatchObject({
      cameraId: id,
      stream: 'main',
      resolutionMs: 60000,
      recorded: [],
      motion: [],
    });
    const bad = await t.api('GET', `/api/v1/cameras/${id}/timeline?start=yesterday&end=2026-01-02T00:00:00Z`);
    expect(bad.status).toBe(400);
    expect(code(bad.json)).toBe('ARGUS_ERR_VALIDATION');
    const reversed = await t.api('GET', `/api/v1/cameras/${id}/timeline?start=2000&end=1000`);
    expect(reversed.status).toBe(400);
    const missing = await t.api('GET', `/api/v1/cameras/${id}/timeline?start=1000`);
    expect(missing.status).toBe(400);
    const storage = await t.api('GET', `/api/v1/cameras/${id}/storage`);
    expect(storage.status).toBe(200);
    expect(storage.json).toMatchObject({
      cameraId: id,
      usedBytes: 0,
      segmentCount: 0,
      oldestRecording: null,
      retentionDays: 7,
    });
  });

  it('keeps the camera and its credentials across a restart', async () => {
    const before = requests.length;
    await t.restart();
    for (let i = 0; i < 50 && requests.length === before; i++) await new Promise((r) => setTimeout(r, 50));
    expect(requests.slice(before).some((r) => r.user === 'admin' && r.password === SECRET)).toBe(true);
    expect((await t.api('GET', `/api/v1/cameras/${id}`)).json).toMatchObject({
      name: 'Back door',
      hasCredentials: true,
    });
  });

  it('removes a camera (keeping its recordings by default)', async () => {
    const del = await t.api('DELETE', `/api/v1/cameras/${id}`);
    expect(del.status).toBe(204);
    expect((await t.api('GET', `/api/v1/cameras/${id}`)).status).toBe(404);
    expect((await t.api('DELETE', `/api/v1/cameras/${id}`)).status).toBe(404);
    expect((await t.api('GET', '/api/v1/cameras')).json).toEqual({ cameras: [] });
  });

  it('never wrote a password to the log', () => {
    expect(t.logs.length).toBeGreaterThan(10);
    expect(t.logs.filter((l) => l.includes(SECRET))).toEqual([]);
  });
});
