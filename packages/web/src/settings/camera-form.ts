// Turns the "Add camera" form into a CameraCreate body (packages/api schemas.ts): credentials
// pasted inside an rtsp:// URL move to the credentials field (the API stores URLs without them,
// credentials encrypted), and mistakes are reported in words before anything is sent. Pure.
import type { CameraCreate } from '@argus/api';

export type RecordingModeChoice = 'continuous' | 'motion' | 'both' | 'off';

export interface CameraFormInput {
  name: string;
  mainUrl: string;
  subUrl: string;
  username: string;
  password: string;
  mode: RecordingModeChoice;
  retentionDays: string;
}

export interface SplitUrl {
  url: string;
  username?: string;
  password?: string;
}

/** `rtsp://user:pw@host/path` -> `rtsp://host/path` + user + password (percent-decoded). */
export function splitRtspCredentials(raw: string): SplitUrl | undefined {
  const text = raw.trim();
  const m = /^(rtsps?):\/\/(?:([^@/]*)@)?(.+)$/i.exec(text);
  if (!m || !m[3]) return undefined;
  const scheme = m[1]!.toLowerCase();
  const url = `${scheme}://${m[3]}`;
  if (m[2] === undefined) return { url };
  const colon = m[2].indexOf(':');
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return colon < 0
    ? { url, username: decode(m[2]) }
    : { url, username: decode(m[2].slice(0, colon)), password: decode(m[2].slice(colon + 1)) };
}

export const RETENTION_MIN_DAYS = 0.01;
export const RETENTION_MAX_DAYS = 3650;

export function parseRetentionDays(text: string): number | undefined {
  const n = Number(text.trim().replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(n) && n >= RETENTION_MIN_DAYS && n <= RETENTION_MAX_DAYS
    ? n
    : undefined;
}

/** The request body, or the first problem in words an operator understands. */
export function cameraCreateBody(input: CameraFormInput): { body: CameraCreate } | { problem: string } {
  const name = input.name.trim();
  if (!name) return { problem: 'Give the camera a name.' };
  if (name.length > 100) return { problem: 'The name is longer than 100 characters.' };
  const main = splitRtspCredentials(input.mainUrl);
  if (!main)
    return { problem: 'The stream address must start with rtsp:// (for example rtsp://192.0.2.10/stream1).' };
  let sub: SplitUrl | undefined;
  if (input.subUrl.trim()) {
    sub = splitRtspCredentials(input.subUrl);
    if (!sub) return { problem: 'The sub stream address must start with rtsp://, or be left empty.' };
  }
  const retentionDays = input.retentionDays.trim() ? parseRetentionDays(input.retentionDays) : undefined;
  if (input.retentionDays.trim() && retentionDays === undefined)
    return { problem: `Keep footage for between ${RETENTION_MIN_DAYS} and ${RETENTION_MAX_DAYS} days.` };
  const username = input.username.trim() || main.username || sub?.username || '';
  const password = input.password || main.password || sub?.password || '';
  if (!username && password) return { problem: 'A password needs a user name.' };
  return {
    body: {
      name,
      mainUrl: main.url,
      ...(sub ? { subUrl: sub.url } : {}),
      ...(username ? { credentials: { username, password } } : {}),
      ...(retentionDays !== undefined ? { retentionDays } : {}),
      recording: { mode: input.mode },
    },
  };
}
