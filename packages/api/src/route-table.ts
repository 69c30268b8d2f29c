// The route table of /api/v1: method, path, declared privilege and schemas of every endpoint.
// The server registers exactly these routes; OpenAPI and the typed client are derived from it.
import type { TSchema } from '@sinclair/typebox';
import { LIVE_WS_PATH, PLAYBACK_WS_PATH } from './media-stream-protocol.js';
import * as M from './media-schemas.js';
import type { Privilege } from './privileges.js';
import * as S from './schemas.js';
import * as ST from './storage-schemas.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec {
  /** Stable operation id, also the handler name in the server. */
  id: string;
  method: HttpMethod;
  /** Fastify path syntax (`:param`). */
  path: string;
  privilege: Privilege;
  summary: string;
  tag: string;
  body?: TSchema;
  params?: TSchema;
  query?: TSchema;
  /** Success responses by status code; every route may also answer ErrorBody. */
  responses: Record<number, TSchema | null>;
  /** A WebSocket (GET with Upgrade): frames follow media-stream-protocol.ts. */
  websocket?: boolean;
  /** Media type of a binary success body (video/mp4, image/jpeg); JSON otherwise. */
  mediaType?: string;
}

const route = <const R extends RouteSpec>(spec: R): R => spec;

export const Routes = {
  hello: route({
    id: 'hello',
    method: 'GET',
    path: '/api/v1/hello',
    privilege: 'public',
    summary: 'Identify the server before login: name, certificate ID and whether first-run setup is pending',
    tag: 'server',
    responses: { 200: S.Hello },
  }),
  openapi: route({
    id: 'openapi',
    method: 'GET',
    path: '/api/v1/openapi.json',
    privilege: 'public',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'server',
    responses: { 200: null },
  }),
  setup: route({
    id: 'setup',
    method: 'POST',
    path: '/api/v1/setup',
    privilege: 'setup',
    summary:
      'First-run setup: server name, time zone, NTP server and the first Administrator; accepted only while no user exists, from loopback or with the setup token',
    tag: 'setup',
    body: S.SetupRequest,
    responses: { 201: S.SessionInfo },
  }),
  login: route({
    id: 'login',
    method: 'POST',
    path: '/api/v1/auth/login',
    privilege: 'public',
    summary: 'Log in with username and password; sets the session cookie',
    tag: 'auth',
    body: S.LoginRequest,
    responses: { 200: S.SessionInfo },
  }),
  logout: route({
    id: 'logout',
    method: 'POST',
    path: '/api/v1/auth/logout',
    privilege: 'authenticated',
    summary: 'End the current session',
    tag: 'auth',
    responses: { 204: null },
  }),
  session: route({
    id: 'session',
    method: 'GET',
    path: '/api/v1/auth/session',
    privilege: 'authenticated',
    summary: 'The current session: user, CSRF token and expiry',
    tag: 'auth',
    responses: { 200: S.SessionInfo },
  }),
  serverInfo: route({
    id: 'serverInfo',
    method: 'GET',
    path: '/api/v1/server',
    privilege: 'authenticated',
    summary: 'Server name, version, certificate ID, time zone, uptime and NTP offset',
    tag: 'server',
    responses: { 200: S.ServerInfo },
  }),
  serverSettings: route({
    id: 'serverSettings',
    method: 'PATCH',
    path: '/api/v1/server',
    privilege: 'administrator',
    summary: 'Change the server name, time zone or NTP server',
    tag: 'server',
    body: S.ServerSettingsPatch,
    responses: { 200: S.ServerInfo },
  }),
  listUsers: route({
    id: 'listUsers',
    method: 'GET',
    path: '/api/v1/users',
    privilege: 'administrator',
    summary: 'List users',
    tag: 'users',
    responses: { 200: S.UserList },
  }),
  createUser: route({
    id: 'createUser',
    method: 'POST',
    path: '/api/v1/users',
    privilege: 'administrator',
    summary: 'Add a user with a role',
    tag: 'users',
    body: S.UserCreate,
    responses: { 201: S.User },
  }),
  changeOwnPassword: route({
    id: 'changeOwnPassword',
    method: 'POST',
    path: '/api/v1/users/me/password',
    privilege: 'authenticated',
    summary: "Change the logged-in user's password; ends the user's other sessions",
    tag: 'users',
    body: S.PasswordChange,
    responses: { 204: null },
  }),
  listTokens: route({
    id: 'listTokens',
    method: 'GET',
    path: '/api/v1/tokens',
    privilege: 'authenticated',
    summary: "List the logged-in user's personal API tokens",
    tag: 'auth',
    responses: { 200: S.ApiTokenList },
  }),
  createToken: route({
    id: 'createToken',
    method: 'POST',
    path: '/api/v1/tokens',
    privilege: 'authenticated',
    summary: 'Create a personal API token for scripts; the secret is returned once',
    tag: 'auth',
    body: S.ApiTokenCreate,
    responses: { 201: S.ApiTokenCreated },
  }),
  deleteToken: route({
    id: 'deleteToken',
    method: 'DELETE',
    path: '/api/v1/tokens/:id',
    privilege: 'authenticated',
    summary: 'Revoke one of your API tokens',
    tag: 'auth',
    params: S.IdParams,
    responses: { 204: null },
  }),
  listCameras: route({
    id: 'listCameras',
    method: 'GET',
    path: '/api/v1/cameras',
    privilege: 'authenticated',
    summary: 'List cameras (credentials are never returned)',
    tag: 'cameras',
    responses: { 200: S.CameraList },
  }),
  createCamera: route({
    id: 'createCamera',
    method: 'POST',
    path: '/api/v1/cameras',
    privilege: 'administrator',
    summary: 'Add a camera by RTSP URL(s) and credentials; it starts recording by its recording method',
    tag: 'cameras',
    body: S.CameraCreate,
    responses: { 201: S.Camera },
  }),
  getCamera: route({
    id: 'getCamera',
    method: 'GET',
    path: '/api/v1/cameras/:id',
    privilege: 'authenticated',
    summary: 'One camera',
    tag: 'cameras',
    params: S.IdParams,
    responses: { 200: S.Camera },
  }),
  updateCamera: route({
    id: 'updateCamera',
    method: 'PATCH',
    path: '/api/v1/cameras/:id',
    privilege: 'administrator',
    summary:
      'Edit a camera: name, URLs, credentials, enabled, retention, storage, recording method and schedule, motion events',
    tag: 'cameras',
    params: S.IdParams,
    body: S.CameraPatch,
    responses: { 200: S.Camera },
  }),
  deleteCamera: route({
    id: 'deleteCamera',
    method: 'DELETE',
    path: '/api/v1/cameras/:id',
    privilege: 'administrator',
    summary: 'Remove a camera; its recordings stay until retention takes them, unless deleteRecordings=true',
    tag: 'cameras',
    params: S.IdParams,
    query: S.CameraDeleteQuery,
    responses: { 204: null },
  }),
  startCameraRecording: route({
    id: 'startCameraRecording',
    method: 'POST',
    path: '/api/v1/cameras/:id/recording/start',
    privilege: 'manualRecording',
    summary: 'Start manual recording (overrides the method and schedule until stopped)',
    tag: 'cameras',
    params: S.IdParams,
    responses: { 200: S.CameraStatus },
  }),
  stopCameraRecording: route({
    id: 'stopCameraRecording',
    method: 'POST',
    path: '/api/v1/cameras/:id/recording/stop',
    privilege: 'manualRecording',
    summary: 'Stop manual recording (the recording method applies again)',
    tag: 'cameras',
    params: S.IdParams,
    responses: { 200: S.CameraStatus },
  }),
  cameraStatus: route({
    id: 'cameraStatus',
    method: 'GET',
    path: '/api/v1/cameras/:id/status',
    privilege: 'authenticated',
    summary: 'Online/offline, bitrate, frame rate, lost packets, reconnects and recording state',
    tag: 'cameras',
    params: S.IdParams,
    responses: { 200: S.CameraStatus },
  }),
  cameraTimeline: route({
    id: 'cameraTimeline',
    method: 'GET',
    path: '/api/v1/cameras/:id/timeline',
    privilege: 'recordedVideo',
    summary:
      'Recorded intervals, motion intervals and gaps (with cause) over a time range, merged to a zoom level',
    tag: 'cameras',
    params: S.IdParams,
    query: S.TimelineQuery,
    responses: { 200: S.CameraTimeline },
  }),
  cameraStorage: route({
    id: 'cameraStorage',
    method: 'GET',
    path: '/api/v1/cameras/:id/storage',
    privilege: 'authenticated',
    summary: 'Bytes used, oldest footage and predicted days of retention at the current bitrate',
    tag: 'cameras',
    params: S.IdParams,
    responses: { 200: S.CameraStorage },
  }),
  listStorageLocations: route({
    id: 'listStorageLocations',
    method: 'GET',
    path: '/api/v1/storage/locations',
    privilege: 'administrator',
    summary:
      'Storage locations with their state (ok, full, unavailable and why), free space, floor, limit, bytes used and cameras',
    tag: 'storage',
    responses: { 200: ST.StorageLocationList },
  }),
  createStorageLocation: route({
    id: 'createStorageLocation',
    method: 'POST',
    path: '/api/v1/storage/locations',
    privilege: 'administrator',
    summary:
      'Add a storage location: an existing, writable directory that is no other location; writes its identity file and opens it for recording at once',
    tag: 'storage',
    body: ST.StorageLocationCreate,
    responses: { 201: ST.StorageLocation },
  }),
  getStorageLocation: route({
    id: 'getStorageLocation',
    method: 'GET',
    path: '/api/v1/storage/locations/:id',
    privilege: 'administrator',
    summary: 'One storage location with its state and space',
    tag: 'storage',
    params: S.IdParams,
    responses: { 200: ST.StorageLocation },
  }),
  updateStorageLocation: route({
    id: 'updateStorageLocation',
    method: 'PATCH',
    path: '/api/v1/storage/locations/:id',
    privilege: 'administrator',
    summary:
      'Rename a storage location or change its free-space floor or size limit; retention and the state are re-evaluated at once',
    tag: 'storage',
    params: S.IdParams,
    body: ST.StorageLocationPatch,
    responses: { 200: ST.StorageLocation },
  }),
  deleteStorageLocation: route({
    id: 'deleteStorageLocation',
    method: 'DELETE',
    path: '/api/v1/storage/locations/:id',
    privilege: 'administrator',
    summary:
      'Remove a storage location that no camera records to and that holds no indexed footage (not the last one); its directory and identity file stay',
    tag: 'storage',
    params: S.IdParams,
    responses: { 204: null },
  }),
  liveSocket: route({
    id: 'liveSocket',
    method: 'GET',
    path: LIVE_WS_PATH,
    privilege: 'liveVideo',
    summary:
      'WebSocket: live fMP4 of a camera stream for Media Source Extensions (init, then the GOP from the latest keyframe, then fragments)',
    tag: 'media',
    params: S.IdParams,
    query: M.LiveSocketQuery,
    websocket: true,
    responses: { 101: null },
  }),
  playbackSocket: route({
    id: 'playbackSocket',
    method: 'GET',
    path: PLAYBACK_WS_PATH,
    privilege: 'recordedVideo',
    summary:
      'WebSocket: recorded fMP4 from a time, paced at 1x to 8x (keyframes only above), across files, reporting gaps',
    tag: 'media',
    params: S.IdParams,
    query: M.PlaybackSocketQuery,
    websocket: true,
    responses: { 101: null },
  }),
  cameraSnapshot: route({
    id: 'cameraSnapshot',
    method: 'GET',
    path: '/api/v1/cameras/:id/snapshot.jpg',
    privilege: 'liveVideo',
    summary: "A JPEG of the current picture (the camera's snapshot endpoint, else the latest keyframe)",
    tag: 'media',
    params: S.IdParams,
    query: M.SnapshotQuery,
    mediaType: 'image/jpeg',
    responses: { 200: null },
  }),
  cameraDownload: route({
    id: 'cameraDownload',
    method: 'GET',
    path: '/api/v1/cameras/:id/download.mp4',
    privilege: 'recordedVideo',
    summary:
      'A progressive MP4 of a time range, built from the recordings without re-encoding; HTTP Range supported',
    tag: 'media',
    params: S.IdParams,
    query: M.MediaRangeQuery,
    mediaType: 'video/mp4',
    responses: { 200: null, 206: null },
  }),
  cameraPlaybackStream: route({
    id: 'cameraPlaybackStream',
    method: 'GET',
    path: '/api/v1/cameras/:id/playback.mp4',
    privilege: 'recordedVideo',
    summary: 'The recordings of a time range as one fragmented MP4 stream (not paced; video track)',
    tag: 'media',
    params: S.IdParams,
    query: M.MediaRangeQuery,
    mediaType: 'video/mp4',
    responses: { 200: null },
  }),
} as const satisfies Record<string, RouteSpec>;

/** Routes answered over plain HTTP (the WebSocket routes are registered apart). */
export type HttpRouteId = {
  [K in keyof typeof Routes]: (typeof Routes)[K] extends { websocket: true } ? never : K;
}[keyof typeof Routes];
export type WebSocketRouteId = Exclude<keyof typeof Routes, HttpRouteId>;

export type RouteId = keyof typeof Routes;
export const routeList = (): RouteSpec[] => Object.values(Routes);
