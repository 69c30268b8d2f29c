// Layout of recording files inside a storage location: <cameraId>/<YYYY-MM-DD>/<start>-<stream>.mp4,
// the date and start in UTC, so a folder listing is chronological and a file names its own time.
import path from 'node:path';
import { ARGUS_ERR_STORAGE_BAD_PATH, StorageError } from './storage-error.js';

export type SegmentStreamKind = 'main' | 'sub';

export interface SegmentPathInfo {
  cameraId: number;
  /** YYYY-MM-DD (UTC) folder. */
  date: string;
  startMs: number;
  kind: SegmentStreamKind;
  /** Disambiguation suffix when two files would share a name (a clock step back); 0 when none. */
  serial: number;
}

const PATH_RE = /^(\d+)\/(\d{4}-\d{2}-\d{2})\/(\d{8}T\d{6}\.\d{3}Z)-(main|sub)(?:-(\d+))?\.mp4$/;
const STAMP_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z$/;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function utcDateFolder(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function stamp(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}Z`
  );
}

/** The relative path (always with `/`) of a segment starting at `startMs`. */
export function segmentRelativePath(
  cameraId: number,
  startMs: number,
  kind: SegmentStreamKind,
  serial = 0,
): string {
  if (!Number.isSafeInteger(cameraId) || cameraId <= 0)
    throw new StorageError(ARGUS_ERR_STORAGE_BAD_PATH, `bad camera id ${cameraId}`);
  const suffix = serial > 0 ? `-${serial}` : '';
  return `${cameraId}/${utcDateFolder(startMs)}/${stamp(startMs)}-${kind}${suffix}.mp4`;
}

/** Parses a relative segment path; undefined when it is not one of ours. */
export function parseSegmentPath(rel: string): SegmentPathInfo | undefined {
  const m = PATH_RE.exec(rel.split(path.sep).join('/'));
  if (m === null) return undefined;
  const s = STAMP_RE.exec(m[3]!);
  if (s === null) return undefined;
  const [, y, mo, d, h, mi, se, ms] = s.map(Number) as number[];
  const startMs = Date.UTC(y!, mo! - 1, d!, h!, mi!, se!, ms!);
  return {
    cameraId: Number(m[1]),
    date: m[2]!,
    startMs,
    kind: m[4] as SegmentStreamKind,
    serial: m[5] === undefined ? 0 : Number(m[5]),
  };
}
