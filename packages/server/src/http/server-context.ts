// What the HTTP layer needs from the running server; app/ implements it. Keeping it an interface
// lets http/ stay below app/ in the import order.
import type { ServerInfo, ServerSettingsPatch } from '@argus/api';
import type { AuthService } from '../auth/index.js';
import type { Clock, Logger } from '../base/index.js';
import type { Catalog } from '../db/index.js';
import type { CameraService } from '../devices/index.js';
import type { StorageLocationService } from '../ingest/index.js';
import type { LiveHub, SnapshotService } from '../live/index.js';
import type { PlaybackService } from '../playback/index.js';

/** Live view, recorded video and snapshots (issue 6). */
export interface MediaServices {
  live: LiveHub;
  playback: PlaybackService;
  snapshots: SnapshotService;
}

export interface ServerSettings {
  serverName: string;
  timeZone: string;
  ntpServer: string | null;
}

export interface ServerContext {
  clock: Clock;
  logger: Logger;
  catalog: Catalog;
  auth: AuthService;
  version: string;
  certificateId: string;
  /** The one-time setup token while setup is pending, else undefined. */
  setupToken(): string | undefined;
  settings(): Promise<ServerSettings>;
  updateSettings(patch: ServerSettingsPatch): Promise<void>;
  serverInfo(): Promise<ServerInfo>;
  /** Called after first-run setup completes (the token is spent, NTP is measured). */
  onSetupComplete(): void;
  /** Directory of the built web client, or undefined when it is not built. */
  webRoot: string | undefined;
  cookieSecure: boolean;
  sessionAbsoluteMs: number;
  bodyLimitBytes: number;
  /** Cameras: add/edit/remove, status, manual recording, timeline, storage figures. */
  cameras: CameraService;
  /** Storage locations: add, change the floor or limit, remove; state and free space. */
  storage: StorageLocationService;
  media: MediaServices;
}
