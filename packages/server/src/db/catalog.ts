// Repository interfaces of the catalog: the rest of the server sees these and no SQL, so a
// PostgreSQL implementation can sit beside the SQLite one. Methods are async for that reason.
import type { Role } from '@argus/api';
import type { CameraSourcesRepo } from './camera-source-catalog.js';
import type { ManualRecordingRepo } from './manual-recording-catalog.js';
import type {
  CamerasRepo,
  GapsRepo,
  LocksRepo,
  MotionRepo,
  RecordingsRepo,
  StorageLocationsRepo,
  StreamsRepo,
} from './recording-catalog.js';
import type { TimelineRepo } from './timeline-types.js';

export interface UserRecord {
  id: number;
  username: string;
  passwordHash: string;
  role: Role;
  createdAtMs: number;
  passwordChangedAtMs: number;
}

export interface NewUser {
  username: string;
  passwordHash: string;
  role: Role;
  nowMs: number;
}

export interface UsersRepo {
  count(): Promise<number>;
  list(): Promise<UserRecord[]>;
  findById(id: number): Promise<UserRecord | undefined>;
  findByUsername(username: string): Promise<UserRecord | undefined>;
  /** Returns undefined when the username is taken. */
  create(user: NewUser): Promise<UserRecord | undefined>;
  /** Creates the user only while no user exists at all (first-run setup); atomic. */
  createFirst(user: NewUser): Promise<UserRecord | undefined>;
  setPassword(id: number, passwordHash: string, nowMs: number): Promise<void>;
}

export interface SessionRecord {
  idHash: string;
  userId: number;
  csrfToken: string;
  createdAtMs: number;
  lastSeenAtMs: number;
  absoluteExpiresAtMs: number;
  clientIp: string | null;
  userAgent: string | null;
}

export interface SessionsRepo {
  create(session: SessionRecord): Promise<void>;
  find(idHash: string): Promise<SessionRecord | undefined>;
  touch(idHash: string, nowMs: number): Promise<void>;
  delete(idHash: string): Promise<void>;
  deleteForUser(userId: number, exceptIdHash?: string): Promise<number>;
  deleteExpired(nowMs: number, idleMs: number): Promise<number>;
}

export interface TokenRecord {
  id: number;
  userId: number;
  name: string;
  tokenHash: string;
  prefix: string;
  createdAtMs: number;
  expiresAtMs: number | null;
  lastUsedAtMs: number | null;
}

export interface TokensRepo {
  create(token: Omit<TokenRecord, 'id' | 'lastUsedAtMs'>): Promise<TokenRecord>;
  findByHash(tokenHash: string): Promise<TokenRecord | undefined>;
  listForUser(userId: number): Promise<TokenRecord[]>;
  /** Deletes a token of that user; false when there is none. */
  delete(id: number, userId: number): Promise<boolean>;
  touch(id: number, nowMs: number): Promise<void>;
}

export interface SettingsRepo {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
}

export interface Catalog {
  readonly users: UsersRepo;
  readonly sessions: SessionsRepo;
  readonly tokens: TokensRepo;
  readonly settings: SettingsRepo;
  readonly storageLocations: StorageLocationsRepo;
  readonly cameras: CamerasRepo;
  readonly streams: StreamsRepo;
  readonly recordings: RecordingsRepo;
  readonly gaps: GapsRepo;
  readonly motion: MotionRepo;
  readonly locks: LocksRepo;
  readonly timeline: TimelineRepo;
  readonly cameraSources: CameraSourcesRepo;
  readonly manualRecording: ManualRecordingRepo;
  readonly schemaVersion: number;
  close(): void;
}
