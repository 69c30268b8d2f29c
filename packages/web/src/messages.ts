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

/** An `error` frame of a live or playback socket. */
export function describeStreamError(code: string, message: string): string {
  if (code === 'ARGUS_ERR_NOT_FOUND') return 'This camera no longer exists.';
  if (code === 'ARGUS_ERR_UNAUTHENTICATED') return MESSAGES[code]!;
  if (code === 'ARGUS_ERR_FORBIDDEN') return 'Your role does not allow watching this camera.';
  if (/OFFLINE|UNAVAILABLE/.test(code)) return 'Camera offline. Showing video again when it is back.';
  return MESSAGES[code] ?? `The video stopped: ${message}`;
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
  | 'offline'
  | 'disabled'
  | 'unsupported'
  | 'ended'
  | 'no-footage'
  | 'error';

export function describeVideoState(state: VideoState, detail?: string): string {
  switch (state) {
    case 'connecting':
      return 'Connecting…';
    case 'playing':
      return '';
    case 'reconnecting':
      return 'Connection lost. Reconnecting…';
    case 'offline':
      return 'Camera offline';
    case 'disabled':
      return 'Camera disabled';
    case 'unsupported':
      return `This browser cannot play this camera's video format${detail ? ` (${detail})` : ''}.`;
    case 'ended':
      return 'End of recordings';
    case 'no-footage':
      return 'No footage at this time';
    case 'error':
      return detail ?? 'The video stopped.';
  }
}

const CAMERA_STATES: Record<string, string> = {
  online: 'Online',
  offline: 'Offline',
  connecting: 'Connecting',
  disabled: 'Disabled',
};

export const describeCameraState = (state: string): string => CAMERA_STATES[state] ?? state;
