// One recording file being written: created exclusively, init section fsynced (with its directory)
// before anyone indexes it, then fragments appended. A failed append is cut back so the file always
// ends on a whole fragment; fsync is separate so the caller batches it before committing rows.
import { constants } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ensureDirDurable, fsyncDir } from './fs-sync.js';
import { fsError } from './storage-error.js';

async function writeAll(fh: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, position + done);
    if (bytesWritten <= 0) throw Object.assign(new Error('write returned 0 bytes'), { code: 'EIO' });
    done += bytesWritten;
  }
}

export class SegmentFile {
  private closed = false;

  private constructor(
    readonly absPath: string,
    private readonly fh: FileHandle,
    private size: number,
  ) {}

  /** Creates `absPath` (never overwriting), writes and fsyncs `init`, and fsyncs the directory. */
  static async create(root: string, absPath: string, init: Uint8Array): Promise<SegmentFile> {
    let fh: FileHandle | undefined;
    try {
      await ensureDirDurable(root, path.dirname(absPath));
      fh = await open(absPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
      await writeAll(fh, init, 0);
      await fh.sync();
      await fsyncDir(path.dirname(absPath));
      return new SegmentFile(absPath, fh, init.length);
    } catch (err) {
      if (fh !== undefined) {
        await fh.close().catch(() => undefined);
        await unlink(absPath).catch(() => undefined);
      }
      throw fsError(`cannot create recording file ${absPath}`, err);
    }
  }

  /** Bytes written so far (whole fragments only). */
  get sizeBytes(): number {
    return this.size;
  }

  /** Appends one fragment; on failure the partial write is cut back and a StorageError thrown. */
  async append(bytes: Uint8Array): Promise<void> {
    const at = this.size;
    try {
      await writeAll(this.fh, bytes, at);
      this.size = at + bytes.length;
    } catch (err) {
      await this.fh.truncate(at).catch(() => undefined);
      throw fsError(`cannot write recording file ${this.absPath}`, err);
    }
  }

  /** fsync: everything appended before the call is durable when it resolves. */
  async sync(): Promise<void> {
    try {
      await this.fh.sync();
    } catch (err) {
      throw fsError(`cannot sync recording file ${this.absPath}`, err);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close().catch(() => undefined);
  }
}
