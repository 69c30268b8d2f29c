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
