// Pure pieces of the shell: hash routes (reload keeps the tab and split), the live split and the
// stream a tile asks for, media addresses, the add-camera form, messages in plain words.
import { ApiError } from '@argus/api';
import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, type Route } from '../src/hash-route.js';
import {
  defaultTiles,
  fillTiles,
  gridColumns,
  layoutFor,
  placeCamera,
  pruneTiles,
  resizeTiles,
  streamForTile,
} from '../src/live/grid-layout.js';
import {
  downloadUrl,
  liveSocketUrl,
  mediaFileName,
  playbackSocketUrl,
  rangeOf,
  snapshotUrl,
} from '../src/media-urls.js';
import { describeError, describeGapCause, describeVideoState, streamErrorAction } from '../src/messages.js';
import { cameraCreateBody, parseRetentionDays, splitRtspCredentials } from '../src/settings/camera-form.js';

describe('hash routes', () => {
  it('round-trips every tab', () => {
    const routes: Route[] = [
      { tab: 'live', layout: 4, tiles: [1, 2, null, 4] },
      { tab: 'live' },
      { tab: 'recordings', cameraId: 3, timeMs: 1710252333000 },
      { tab: 'recordings' },
      { tab: 'settings' },
    ];
    for (const r of routes) expect(parseRoute(formatRoute(r))).toEqual(r);
    expect(formatRoute({ tab: 'live', layout: 4, tiles: [1, 2, null, 4] })).toBe(
      '#/live?layout=4&cams=1,2,,4',
    );
  });

  it('falls back to live view and ignores what it cannot read', () => {
    expect(parseRoute('')).toEqual({ tab: 'live' });
    expect(parseRoute('#/nowhere')).toEqual({ tab: 'live' });
    expect(parseRoute('#/live?layout=5&cams=x,2')).toEqual({ tab: 'live', tiles: [null, 2] });
    expect(parseRoute('#/live?layout=1&cams=7,8')).toEqual({ tab: 'live', layout: 1, tiles: [7] });
    expect(parseRoute('#/recordings?camera=0&t=-5')).toEqual({ tab: 'recordings' });
  });
});

describe('live split', () => {
  it('fills, resizes and places cameras', () => {
    expect(gridColumns(9)).toBe(3);
    expect(layoutFor(0)).toBe(1);
    expect(layoutFor(5)).toBe(9);
    expect(layoutFor(40)).toBe(16);
    expect(defaultTiles([5, 6], 4)).toEqual([5, 6, null, null]);
    expect(resizeTiles([1, 2, 3, 4], 1)).toEqual([1]);
    expect(placeCamera([1, null, null, null], 9)).toEqual([1, 9, null, null]);
    expect(placeCamera([1, 9, null, null], 9)).toEqual([1, 9, null, null]); // already shown
    expect(placeCamera([1, 2, 3, 4], 9)).toEqual([1, 2, 3, 9]); // full: the last tile
    expect(placeCamera([1, 2, 3, 4], 9, 0)).toEqual([9, 2, 3, 4]);
    expect(placeCamera([1, 2, 3, 4], 3, 0)).toEqual([3, 2, 1, 4]); // moves: swap
    expect(pruneTiles([1, 2, null], [2])).toEqual([null, 2, null]);
    expect(fillTiles([1, null, null, 3], [1, 2, 3, 4, 5])).toEqual([1, 2, 4, 3]);
    expect(fillTiles([null, null], [])).toEqual([null, null]);
  });

  it('asks for the sub stream only for small tiles of cameras that have one', () => {
    expect(streamForTile(4, false, true)).toBe('sub');
    expect(streamForTile(16, false, true)).toBe('sub');
    expect(streamForTile(4, true, true)).toBe('main');
    expect(streamForTile(1, false, true)).toBe('main');
    expect(streamForTile(9, false, false)).toBe('main');
  });
});

describe('media addresses', () => {
  const o = { protocol: 'https:', host: '127.0.0.1:55754' };
  it('builds the socket, snapshot and download addresses', () => {
    expect(liveSocketUrl(o, 3, 'sub')).toBe('wss://127.0.0.1:55754/api/v1/cameras/3/live?stream=sub');
    expect(liveSocketUrl({ protocol: 'http:', host: 'a' }, 3, 'main')).toBe(
      'ws://a/api/v1/cameras/3/live?stream=main',
    );
    expect(playbackSocketUrl(o, 3, Date.UTC(2024, 2, 12, 13, 5, 33), 4)).toBe(
      'wss://127.0.0.1:55754/api/v1/cameras/3/playback?start=2024-03-12T13%3A05%3A33.000Z&speed=4',
    );
    expect(playbackSocketUrl(o, 3, 0, 1, 'sub')).toContain('&stream=sub');
    expect(snapshotUrl(3)).toBe('/api/v1/cameras/3/snapshot.jpg');
    expect(downloadUrl(3, 0, 60_000)).toBe(
      '/api/v1/cameras/3/download.mp4?start=1970-01-01T00%3A00%3A00.000Z&end=1970-01-01T00%3A01%3A00.000Z',
    );
    expect(mediaFileName('Gate / North', '2024-03-12 14:05:33', 'jpg')).toBe(
      'Gate_North-2024-03-12_14-05-33.jpg',
    );
    expect(mediaFileName('***', '2024-03-12 14:05:33', 'mp4')).toBe('camera-2024-03-12_14-05-33.mp4');
  });

  it('orders a selected range and ignores a click', () => {
    expect(rangeOf(5000, 1000)).toEqual({ startMs: 1000, endMs: 5000 });
    expect(rangeOf(1000, 1500)).toBeUndefined();
  });
});

describe('add-camera form', () => {
  const base = {
    name: ' Gate ',
    mainUrl: 'rtsp://192.0.2.10/axis-media/media.amp',
    subUrl: '',
    username: '',
    password: '',
    mode: 'continuous' as const,
    retentionDays: '',
  };

  it('moves credentials out of a pasted URL', () => {
    expect(splitRtspCredentials('rtsp://root:p%40ss@192.0.2.10:554/s1')).toEqual({
      url: 'rtsp://192.0.2.10:554/s1',
      username: 'root',
      password: 'p@ss',
    });
    expect(splitRtspCredentials('RTSPS://h/x')).toEqual({ url: 'rtsps://h/x' });
    expect(splitRtspCredentials('http://h/x')).toBeUndefined();
    expect(cameraCreateBody({ ...base, mainUrl: 'rtsp://u:pw@h/s' })).toEqual({
      body: {
        name: 'Gate',
        mainUrl: 'rtsp://h/s',
        credentials: { username: 'u', password: 'pw' },
        recording: { mode: 'continuous' },
      },
    });
  });

  it('builds the request body with optional fields', () => {
    expect(
      cameraCreateBody({
        ...base,
        subUrl: 'rtsp://h/sub',
        username: 'root',
        password: 'x',
        mode: 'both',
        retentionDays: '14,5',
      }),
    ).toEqual({
      body: {
        name: 'Gate',
        mainUrl: base.mainUrl,
        subUrl: 'rtsp://h/sub',
        credentials: { username: 'root', password: 'x' },
        retentionDays: 14.5,
        recording: { mode: 'both' },
      },
    });
  });

  it('explains mistakes before sending', () => {
    expect(cameraCreateBody({ ...base, name: '  ' })).toEqual({ problem: 'Give the camera a name.' });
    expect(cameraCreateBody({ ...base, mainUrl: '192.0.2.10' })).toMatchObject({
      problem: expect.stringContaining('rtsp://'),
    });
    expect(cameraCreateBody({ ...base, subUrl: 'x' })).toMatchObject({
      problem: expect.stringContaining('sub stream'),
    });
    expect(cameraCreateBody({ ...base, retentionDays: '0' })).toMatchObject({
      problem: expect.stringContaining('days'),
    });
    expect(cameraCreateBody({ ...base, password: 'x' })).toEqual({
      problem: 'A password needs a user name.',
    });
    expect(parseRetentionDays('30')).toBe(30);
    expect(parseRetentionDays('abc')).toBeUndefined();
  });
});

describe('messages', () => {
  it('speaks the operator’s language', () => {
    expect(describeError(new ApiError(404, 'ARGUS_ERR_NOT_FOUND', 'x'))).toContain('no longer exists');
    expect(describeError(new ApiError(400, 'ARGUS_ERR_VALIDATION', 'end must be after start'))).toBe(
      'The server did not accept this: end must be after start.',
    );
    expect(describeError(new TypeError('fetch failed'))).toContain('cannot be reached');
    expect(describeGapCause('offline')).toBe('Camera was offline');
    expect(describeGapCause('cosmic_rays')).toBe('Not recorded (cosmic rays)');
    expect(describeVideoState('reconnecting')).toBe('Connection lost. Reconnecting…');
    expect(
      describeVideoState('offline', 'Camera offline. The picture returns when the camera is back.'),
    ).toContain('back');
    expect(describeVideoState('unsupported', 'H.265')).toContain('(H.265)');
    expect(describeVideoState('playing', 'anything')).toBe('');
  });

  it('decides what the player does after each stream error code', () => {
    const offline = streamErrorAction('ARGUS_ERR_STREAM_OFFLINE', 'x');
    expect(offline).toMatchObject({ state: 'offline', terminal: false, keepsSocket: true });
    expect(offline.text).toContain('Camera offline');
    expect(streamErrorAction('ARGUS_ERR_CAMERA_DISABLED', 'x')).toMatchObject({
      state: 'disabled',
      terminal: false,
      slow: true,
    });
    expect(streamErrorAction('ARGUS_ERR_NO_RECORDINGS', 'x')).toMatchObject({
      state: 'no-footage',
      terminal: true,
    });
    expect(streamErrorAction('ARGUS_ERR_MEDIA_UNAVAILABLE', 'x')).toMatchObject({
      state: 'reconnecting',
      terminal: false,
    });
    for (const code of [
      'ARGUS_ERR_NOT_FOUND',
      'ARGUS_ERR_FORBIDDEN',
      'ARGUS_ERR_UNAUTHENTICATED',
      'ARGUS_ERR_VALIDATION',
      'ARGUS_ERR_STREAM_NOT_CONFIGURED',
    ])
      expect(streamErrorAction(code, 'x').terminal).toBe(true);
    expect(streamErrorAction('ARGUS_ERR_WHATEVER', 'disk on fire')).toMatchObject({
      text: 'The video stopped: disk on fire',
      terminal: false,
    });
  });
});
