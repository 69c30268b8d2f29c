// JSON schemas (TypeBox) for every request and response body of /api/v1, with their static types.
import { Type, type Static } from '@sinclair/typebox';
import { Roles } from './privileges.js';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ pattern: '^ARGUS_ERR_[A-Z0-9_]+$' }),
      message: Type.String(),
      requestId: Type.String(),
      details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
    }),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const Username = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' });
export const Password = Type.String({ minLength: 10, maxLength: 256 });
export const RoleSchema = Type.Union(Roles.map((r) => Type.Literal(r)));

export const Hello = Type.Object({
  product: Type.Literal('Argus'),
  apiVersion: Type.Literal(1),
  serverName: Type.String(),
  certificateId: Type.String({ description: 'SHA-256 fingerprint of the DER certificate, hex pairs' }),
  setupRequired: Type.Boolean(),
});
export type Hello = Static<typeof Hello>;

export const NtpStatus = Type.Object({
  server: Type.Union([Type.String(), Type.Null()]),
  offsetMs: Type.Union([Type.Number(), Type.Literal('unknown')]),
  measuredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const ServerInfo = Type.Object({
  serverName: Type.String(),
  version: Type.String(),
  certificateId: Type.String(),
  timeZone: Type.String(),
  uptimeSeconds: Type.Number(),
  startedAt: Type.String({ format: 'date-time' }),
  ntp: NtpStatus,
});
export type ServerInfo = Static<typeof ServerInfo>;

export const ServerSettingsPatch = Type.Object(
  {
    serverName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    ntpServer: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 255 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type ServerSettingsPatch = Static<typeof ServerSettingsPatch>;

export const SetupRequest = Type.Object(
  {
    serverName: Type.String({ minLength: 1, maxLength: 100 }),
    timeZone: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'IANA time zone, e.g. Europe/Stockholm',
    }),
    ntpServer: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 255 }), Type.Null()])),
    administrator: Type.Object({ username: Username, password: Password }, { additionalProperties: false }),
    setupToken: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type SetupRequest = Static<typeof SetupRequest>;

export const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: RoleSchema,
  createdAt: Type.String({ format: 'date-time' }),
});
export type User = Static<typeof User>;

export const SessionInfo = Type.Object({
  user: User,
  csrfToken: Type.String(),
  idleExpiresAt: Type.String({ format: 'date-time' }),
  absoluteExpiresAt: Type.String({ format: 'date-time' }),
});
export type SessionInfo = Static<typeof SessionInfo>;

export const LoginRequest = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type LoginRequest = Static<typeof LoginRequest>;

export const UserCreate = Type.Object(
  { username: Username, password: Password, role: RoleSchema },
  { additionalProperties: false },
);
export type UserCreate = Static<typeof UserCreate>;

export const PasswordChange = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Password },
  { additionalProperties: false },
);
export type PasswordChange = Static<typeof PasswordChange>;

export const UserList = Type.Object({ users: Type.Array(User) });
export type UserList = Static<typeof UserList>;

export const ApiToken = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String({ description: 'First characters of the token, to recognise it' }),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type ApiToken = Static<typeof ApiToken>;

export const ApiTokenCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);
export type ApiTokenCreate = Static<typeof ApiTokenCreate>;

export const ApiTokenCreated = Type.Object({
  token: ApiToken,
  secret: Type.String({
    description: 'The token itself; shown once, send as "Authorization: Bearer <secret>"',
  }),
});
export type ApiTokenCreated = Static<typeof ApiTokenCreated>;

export const ApiTokenList = Type.Object({ tokens: Type.Array(ApiToken) });
export type ApiTokenList = Static<typeof ApiTokenList>;

export const IdParams = Type.Object({
  id: Type.String({ pattern: '^[1-9][0-9]{0,14}$', description: 'Numeric ID' }),
});
export type IdParams = Static<typeof IdParams>;

export const Empty = Type.Object({}, { additionalProperties: false });
export const Health = Type.Object({ status: Type.Literal('ok') });

// ---- Cameras (recording engine) ----

export const RecordingMode = Type.Union(
  [Type.Literal('continuous'), Type.Literal('motion'), Type.Literal('both'), Type.Literal('off')],
  {
    description:
      'continuous: while the schedule allows; motion: around the camera’s motion events (pre/post buffer) while the schedule allows; both: continuous while the schedule allows and around motion at any time; off: only when started by hand',
  },
);
export const Weekday = Type.Union([
  Type.Literal('mon'),
  Type.Literal('tue'),
  Type.Literal('wed'),
  Type.Literal('thu'),
  Type.Literal('fri'),
  Type.Literal('sat'),
  Type.Literal('sun'),
]);
export const StreamKind = Type.Union([Type.Literal('main'), Type.Literal('sub')]);

export const ScheduleWindow = Type.Object(
  {
    days: Type.Array(Weekday, { minItems: 1, maxItems: 7, uniqueItems: true }),
    start: Type.String({
      pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
      description: 'HH:MM, server time zone',
    }),
    end: Type.String({
      pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$',
      description: 'HH:MM (24:00 allowed); before start = ends the next day',
    }),
  },
  { additionalProperties: false },
);

export const RecordingSchedule = Type.Object(
  { windows: Type.Array(ScheduleWindow, { maxItems: 100 }) },
  { additionalProperties: false, description: 'Weekly windows when the recording method applies' },
);

const BufferMs = Type.Integer({ minimum: 0, maximum: 60_000 });

export const RecordingSettings = Type.Object(
  {
    mode: RecordingMode,
    stream: StreamKind,
    schedule: Type.Union([RecordingSchedule, Type.Null()]),
    preBufferMs: BufferMs,
    postBufferMs: BufferMs,
  },
  { additionalProperties: false },
);
export type RecordingSettings = Static<typeof RecordingSettings>;

export const RecordingSettingsPatch = Type.Partial(RecordingSettings, { additionalProperties: false });
export type RecordingSettingsPatch = Static<typeof RecordingSettingsPatch>;

export const MotionEventsSettings = Type.Object(
  {
    kind: Type.Union([Type.Literal('none'), Type.Literal('axis'), Type.Literal('onvif')], {
      description: 'none; axis: the camera’s /axis-cgi/events endpoint; onvif: ONVIF PullPoint',
    }),
    url: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 2000 }), Type.Null()], {
        description: 'axis: the camera’s HTTP base URL; onvif: its device service URL',
      }),
    ),
  },
  { additionalProperties: false },
);
export type MotionEventsSettings = Static<typeof MotionEventsSettings>;

const RtspUrl = Type.String({
  minLength: 8,
  maxLength: 2000,
  pattern: '^rtsps?://',
  description: 'rtsp:// URL without credentials',
});

export const CameraCredentialsInput = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 128 }), password: Type.String({ maxLength: 256 }) },
  { additionalProperties: false, description: 'Stored encrypted; never returned' },
);

const cameraFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  mainUrl: RtspUrl,
  subUrl: Type.Union([RtspUrl, Type.Null()]),
  transport: Type.Union([Type.Literal('tcp'), Type.Literal('udp')]),
  credentials: Type.Union([CameraCredentialsInput, Type.Null()]),
  enabled: Type.Boolean(),
  retentionDays: Type.Number({ minimum: 0.01, maximum: 3650 }),
  storageLocationId: Type.Integer({ minimum: 1 }),
  recording: RecordingSettingsPatch,
  motionEvents: MotionEventsSettings,
};

export const CameraCreate = Type.Object(
  {
    name: cameraFields.name,
    mainUrl: cameraFields.mainUrl,
    subUrl: Type.Optional(cameraFields.subUrl),
    transport: Type.Optional(cameraFields.transport),
    credentials: Type.Optional(cameraFields.credentials),
    enabled: Type.Optional(cameraFields.enabled),
    retentionDays: Type.Optional(cameraFields.retentionDays),
    storageLocationId: Type.Optional(cameraFields.storageLocationId),
    recording: Type.Optional(cameraFields.recording),
    motionEvents: Type.Optional(cameraFields.motionEvents),
  },
  { additionalProperties: false },
);
export type CameraCreate = Static<typeof CameraCreate>;

export const CameraPatch = Type.Partial(Type.Object(cameraFields), {
  additionalProperties: false,
  description: 'credentials: null removes them; omitted fields are kept',
});
export type CameraPatch = Static<typeof CameraPatch>;

export const Camera = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  enabled: Type.Boolean(),
  mainUrl: Type.String(),
  subUrl: Type.Union([Type.String(), Type.Null()]),
  transport: Type.Union([Type.Literal('tcp'), Type.Literal('udp')]),
  hasCredentials: Type.Boolean({ description: 'Credentials are stored (they are never returned)' }),
  retentionDays: Type.Number(),
  storageLocationId: Type.Integer(),
  recording: RecordingSettings,
  motionEvents: Type.Object({
    kind: Type.Union([Type.Literal('none'), Type.Literal('axis'), Type.Literal('onvif')]),
    url: Type.Union([Type.String(), Type.Null()]),
  }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Camera = Static<typeof Camera>;

export const CameraList = Type.Object({ cameras: Type.Array(Camera) });
export type CameraList = Static<typeof CameraList>;

export const CameraDeleteQuery = Type.Object(
  {
    deleteRecordings: Type.Optional(
      Type.Union([Type.Literal('true'), Type.Literal('false')], {
        description: 'true: delete the footage now; default: keep it until retention takes it',
      }),
    ),
  },
  { additionalProperties: false },
);

export const StreamStatus = Type.Object({
  state: Type.Union([
    Type.Literal('connecting'),
    Type.Literal('online'),
    Type.Literal('offline'),
    Type.Literal('stopped'),
  ]),
  since: Type.String({ format: 'date-time' }),
  bitrateKbps: Type.Number(),
  fps: Type.Number(),
  lostPackets: Type.Integer(),
  reconnects: Type.Integer(),
  lastError: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  codec: Type.Union([Type.String(), Type.Null()]),
  width: Type.Union([Type.Integer(), Type.Null()]),
  height: Type.Union([Type.Integer(), Type.Null()]),
});
export type StreamStatus = Static<typeof StreamStatus>;

export const CameraStatus = Type.Object({
  cameraId: Type.Integer(),
  state: Type.Union([
    Type.Literal('connecting'),
    Type.Literal('online'),
    Type.Literal('offline'),
    Type.Literal('disabled'),
  ]),
  recording: Type.Object({
    active: Type.Boolean(),
    reason: Type.Union([
      Type.Literal('manual'),
      Type.Literal('continuous'),
      Type.Literal('motion'),
      Type.Null(),
    ]),
    manual: Type.Boolean(),
    mode: RecordingMode,
  }),
  motion: Type.Object({
    active: Type.Boolean(),
    source: Type.Union([Type.String(), Type.Null()]),
    connected: Type.Union([Type.Boolean(), Type.Null()]),
  }),
  streams: Type.Object({
    main: Type.Union([StreamStatus, Type.Null()]),
    sub: Type.Union([StreamStatus, Type.Null()]),
  }),
});
export type CameraStatus = Static<typeof CameraStatus>;

export const TimelineQuery = Type.Object(
  {
    start: Type.String({ minLength: 1, maxLength: 40, description: 'ISO 8601 date-time or Unix ms' }),
    end: Type.String({ minLength: 1, maxLength: 40, description: 'ISO 8601 date-time or Unix ms' }),
    resolutionMs: Type.Optional(
      Type.String({ pattern: '^[1-9][0-9]{0,9}$', description: 'Zoom: intervals closer than this merge' }),
    ),
    stream: Type.Optional(StreamKind),
  },
  { additionalProperties: false },
);

const Span = Type.Object({ startMs: Type.Number(), endMs: Type.Number() });

export const CameraTimeline = Type.Object({
  cameraId: Type.Integer(),
  stream: StreamKind,
  startMs: Type.Number(),
  endMs: Type.Number(),
  resolutionMs: Type.Number(),
  recorded: Type.Array(Span),
  motion: Type.Array(Span),
  gaps: Type.Array(Type.Object({ startMs: Type.Number(), endMs: Type.Number(), cause: Type.String() })),
});
export type CameraTimeline = Static<typeof CameraTimeline>;

export const CameraStorage = Type.Object({
  cameraId: Type.Integer(),
  storageLocationId: Type.Integer(),
  usedBytes: Type.Number(),
  segmentCount: Type.Integer(),
  oldestRecording: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  newestRecording: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  retentionDays: Type.Number(),
  bytesPerDay: Type.Number(),
  predictedRetentionDays: Type.Number({ description: 'Days kept at the current bitrate' }),
  limitedBySpace: Type.Boolean(),
});
export type CameraStorage = Static<typeof CameraStorage>;
