// A storage location at run time: its verified identity, free space (statfs), the recording-file
// layout under it, and the file operations retention and recovery need (remove, quarantine, list).
import { readdir, rename, statfs, unlink, truncate, stat } from 'node:fs/promises';
import path from 'node:path';
import { ensureDirDurable, fsyncDir } from './fs-sync.js';
import { SegmentFile } from './segment-file.js';
import { segmentRelativePath, type SegmentStreamKind } from './segment-path.js';
import { ARGUS_ERR_STORAGE_BAD_PATH, StorageError, fsError } from './storage-error.js';
import { verifyStorageIdentity } from './storage-identity.js';

/** Where files that cannot be indexed are moved, under the location root. */
export const QUARANTINE_DIR = '.quarantine';

export interface StorageLocationSpec {
  id: number;
  path: string;
  identityUuid: string;
}

export interface SpaceInfo {
  freeBytes: number;
  totalBytes: number;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export class StorageLocation {
  private constructor(
    readonly id: number,
    readonly root: string,
    readonly identityUuid: string,
  ) {}

  /** Opens a location after checking its identity file; throws StorageError when it is not there. */
  static async open(spec: StorageLocationSpec): Promise<StorageLocation> {
    const root = path.resolve(spec.path);
    await verifyStorageIdentity(root, spec.identityUuid);
    return new StorageLocation(spec.id, root, spec.identityUuid);
  }

  /** Re-checks the identity file (before each new file, and periodically). */
  async verify(): Promise<void> {
    await verifyStorageIdentity(this.root, this.identityUuid);
  }

  async space(): Promise<SpaceInfo> {
    try {
      const s = await statfs(this.root);
      return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
    } catch (err) {
      throw fsError(`cannot read free space of ${this.root}`, err);
    }
  }

  /** Absolute path of a relative one, refusing anything that leaves the location. */
  absolute(rel: string): string {
    const abs = path.resolve(this.root, rel);
    if (!abs.startsWith(this.root + path.sep))
      throw new StorageError(ARGUS_ERR_STORAGE_BAD_PATH, `path ${rel} leaves storage location ${this.root}`);
    return abs;
  }

  /** Creates the next segment file of a stream; a name already taken gets a serial suffix. */
  async createSegmentFile(
    cameraId: number,
    startMs: number,
    kind: SegmentStreamKind,
    init: Uint8Array,
  ): Promise<{ relPath: string; file: SegmentFile }> {
    for (let serial = 0; serial < 100; serial++) {
      const relPath = segmentRelativePath(cameraId, startMs, kind, serial);
      try {
        return { relPath, file: await SegmentFile.create(this.root, this.absolute(relPath), init) };
      } catch (err) {
        if ((err as { cause?: NodeJS.ErrnoException }).cause?.code !== 'EEXIST') throw err;
      }
    }
    throw new StorageError(
      ARGUS_ERR_STORAGE_BAD_PATH,
      `no free file name for camera ${cameraId} at ${startMs}`,
    );
  }

  /** Unlinks a file; false when it was already gone. */
  async remove(rel: string): Promise<boolean> {
    try {
      await unlink(this.absolute(rel));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw fsError(`cannot delete ${rel}`, err);
    }
  }

  /** Makes the removals in a directory durable. */
  async syncDirOf(rel: string): Promise<void> {
    await fsyncDir(path.dirname(this.absolute(rel))).catch(() => undefined);
  }

  async truncate(rel: string, sizeBytes: number): Promise<void> {
    try {
      await truncate(this.absolute(rel), sizeBytes);
    } catch (err) {
      throw fsError(`cannot truncate ${rel}`, err);
    }
  }

  async fileSize(rel: string): Promise<number | undefined> {
    try {
      return (await stat(this.absolute(rel))).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw fsError(`cannot stat ${rel}`, err);
    }
  }

  /** Moves a file under .quarantine/ (same relative path); returns the new relative path. */
  async quarantine(rel: string): Promise<string> {
    const target = `${QUARANTINE_DIR}/${rel}`;
    const abs = this.absolute(target);
    try {
      await ensureDirDurable(this.root, path.dirname(abs));
      await rename(this.absolute(rel), abs);
      await fsyncDir(path.dirname(this.absolute(rel)));
      return target;
    } catch (err) {
      throw fsError(`cannot move ${rel} to ${QUARANTINE_DIR}`, err);
    }
  }

  /** Camera folders (numeric names) of the location. */
  async cameraFolders(): Promise<number[]> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    return names
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** Date folders (YYYY-MM-DD) of a camera, oldest first. */
  async dateFolders(cameraId: number): Promise<string[]> {
    const names = await readdir(path.join(this.root, String(cameraId))).catch(() => [] as string[]);
    return names.filter((n) => DATE_RE.test(n)).sort();
  }

  /** Relative paths of the .mp4 files of one camera and date. */
  async filesIn(cameraId: number, date: string): Promise<string[]> {
    const names = await readdir(path.join(this.root, String(cameraId), date)).catch(() => [] as string[]);
    return names
      .filter((n) => n.endsWith('.mp4'))
      .sort()
      .map((n) => `${cameraId}/${date}/${n}`);
  }
}
