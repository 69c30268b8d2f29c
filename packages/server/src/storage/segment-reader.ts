// Reads byte ranges of a recording file for playback and downloads: one open handle, positioned
// reads, each range read whole or a StorageError (a file shorter than its index says is damage).
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ARGUS_ERR_STORAGE_BAD_PATH, ARGUS_ERR_STORAGE_IO, StorageError, fsError } from './storage-error.js';

export class SegmentReader {
  private closed = false;

  private constructor(
    readonly absPath: string,
    private readonly fh: FileHandle,
  ) {}

  /** Opens `relPath` under a storage location's root, refusing paths that leave it. */
  static async open(root: string, relPath: string): Promise<SegmentReader> {
    const absPath = path.resolve(root, relPath);
    if (!absPath.startsWith(path.resolve(root) + path.sep))
      throw new StorageError(ARGUS_ERR_STORAGE_BAD_PATH, `recording path ${relPath} leaves its location`);
    try {
      return new SegmentReader(absPath, await open(absPath, 'r'));
    } catch (err) {
      throw fsError(`cannot open recording file ${absPath}`, err);
    }
  }

  /** Bytes [start, start + length) of the file. */
  async read(start: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    let done = 0;
    try {
      while (done < length) {
        const { bytesRead } = await this.fh.read(out, done, length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
    } catch (err) {
      throw fsError(`cannot read recording file ${this.absPath}`, err);
    }
    if (done < length)
      throw new StorageError(
        ARGUS_ERR_STORAGE_IO,
        `recording file ${this.absPath} ends at ${start + done}, before byte ${start + length}`,
      );
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close().catch(() => undefined);
  }
}
