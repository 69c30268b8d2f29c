// Directory fsync and directory creation that is durable: a new file's name survives a power cut
// only once its directory (and every directory created for it) has been fsynced.
import { constants } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import path from 'node:path';

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Creates `dir` (and missing parents up to `root`), fsyncing each parent that gained an entry. */
export async function ensureDirDurable(root: string, dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; d.length > root.length && d !== path.dirname(d); d = path.dirname(d)) {
    const s = await stat(d).catch(() => undefined);
    if (s !== undefined) break;
    missing.unshift(d);
  }
  for (const d of missing) {
    await mkdir(d).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
    await fsyncDir(path.dirname(d));
  }
}
