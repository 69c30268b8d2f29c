// Error codes, gap causes and video states in words a security operator understands.
import { ApiError } from '@argus/api';

const MESSAGES: Record<string, string> = {
  ARGUS_ERR_BAD_CREDENTIALS: 'The username or password is wrong.',
  ARGUS_ERR_RATE_LIMITED: 'Too many failed attempts. Wait a few minutes and try again.',
  ARGUS_ERR_UNAUTHENTICATED: 'Your session has ended. Log in again.',
  ARGUS_ERR_FORBIDDEN: 'Your role does not allow this. Ask an administrator.',
  ARGUS_ERR_CSRF: 'The page is out of date. Reload it and try again.',
  ARGUS_ERR_SETUP_NOT_ALLOWED:
    'Setup can only be done on the server itself, or with the setup token printed in the server log.',
  ARGUS_ERR_SETUP_DONE: 'This server is already set up. Log in instead.',
  ARGUS_ERR_CONFLICT: 'That name is already taken.',
  ARGUS_ERR_NOT_FOUND: 'This camera or recording no longer exists. Reload the page.',
  ARGUS_ERR_INTERNAL: 'The server had a problem. Try again; if it keeps happening, tell your administrator.',
};

export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'ARGUS_ERR_VALIDATION')
      return `The server did not accept this: ${err.message}.`.replace(/\.\.$/, '.');
    return MESSAGES[err.code] ?? `${err.message}.`.replace(/\.\.$/, '.');
  }
  if (err instanceof TypeError) return 'The server cannot be reached. Check the network connection.';
  return 'Something went wrong. Try again.';
}

/** What the player does after an `error` frame (codes: packages/api StreamErrorCodes). */
export interface StreamErrorAction {
  state: VideoState;
  text: string;
  /** Never reconnect (the request itself is wrong or not allowed). */
  terminal: boolean;
  /** The server keeps the socket open and sends a new init when the camera is back. */
  keepsSocket: boolean;
  /** Reconnect only at the slowest back-off (a disabled camera may be enabled later). */
  slow: boolean;
}

export function streamErrorAction(code: string, message: string): StreamErrorAction {
  const act = (state: VideoState, text: string, terminal = false, keepsSocket = false, slow = false) => ({
    state,
    text,
    terminal,
    keepsSocket,
    slow,
  });
  switch (code) {
    case 'ARGUS_ERR_STREAM_OFFLINE':
      return act('offline', 'Camera offline. The picture returns when the camera is back.', false, true);
    case 'ARGUS_ERR_CAMERA_DISABLED':
      return act(
        'disabled',
        'Camera disabled. An administrator can enable it under Settings.',
        false,
        false,
        true,
      );
    case 'ARGUS_ERR_STREAM_NOT_CONFIGURED':
      return act(
        'error',
        'This camera has no such stream. An administrator can add it under Settings.',
        true,
      );
    case 'ARGUS_ERR_NO_RECORDINGS':
      return act('no-footage', 'No footage at or after this time.', true);
    case 'ARGUS_ERR_MEDIA_UNAVAILABLE':
      return act('reconnecting', 'The server is busy or restarting. Trying again…');
    case 'ARGUS_ERR_NOT_FOUND':
      return act('error', 'This camera no longer exists.', true);
    case 'ARGUS_ERR_UNAUTHENTICATED':
      return act('error', MESSAGES[code]!, true);
    case 'ARGUS_ERR_FORBIDDEN':
      return act('error', 'Your role does not allow watching this video.', true);
    case 'ARGUS_ERR_VALIDATION':
      return act('error', `The server did not accept this request: ${message}`, true);
    default:
      return act('error', MESSAGES[code] ?? `The video stopped: ${message}`);
  }
}

const GAP_CAUSES: Record<string, string> = {
  offline: 'Camera was offline',
  disk_full: 'Disk was full',
  storage_unavailable: 'Storage was unavailable',
  storage_error: 'Storage error',
  schedule: 'Outside the recording schedule',
  no_motion: 'No motion (motion recording)',
  clock_step: 'Server clock was changed',
  server_down: 'Server was not running',
  disabled: 'Camera was disabled',
  recording_off: 'Recording was off (only by hand)',
  unknown: 'Not recorded (reason unknown)',
};

/** Why the timeline shows no footage here. */
export function describeGapCause(cause: string): string {
  return GAP_CAUSES[cause] ?? `Not recorded (${cause.replace(/_/g, ' ')})`;
}

/** What a video tile says while it cannot show a picture. */
export type VideoState =
  | 'connecting'
  | 'playing'
  | 'reconnecting'
  | 'waiting'
  | 'offline'
  | 'disabled'
  | 'unsupported'
  | 'ended'
  | 'no-footage'
  | 'error';

/** The words for a video state; `detail` (from an error frame) wins where given. */
export function describeVideoState(state: VideoState, detail?: string): string {
  if (state === 'unsupported')
    return `This browser cannot play this camera's video format${detail ? ` (${detail})` : ''}.`;
  if (state === 'playing') return '';
  if (detail) return detail;
  switch (state) {
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return 'Connection lost. Reconnecting…';
    case 'waiting':
      return 'Waiting for video from the camera…';
    case 'offline':
      return 'Camera offline';
    case 'disabled':
      return 'Camera disabled';
    case 'ended':
      return 'End of recordings';
    case 'no-footage':
      return 'No footage at this time';
    case 'error':
      return 'The video stopped.';
  }
}

const CAMERA_STATES: Record<string, string> = {
  online: 'Online',
  offline: 'Offline',
  connecting: 'Connecting',
  disabled: 'Disabled',
};

export const describeCameraState = (state: string): string => CAMERA_STATES[state] ?? state;
