// The data directory: database, TLS identity and recordings under one root, held by one running
// Argus at a time through a lock file that names the holder's PID.
import { accessSync, constants, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCodes, StartupError } from '../base/index.js';

export interface DataDirLayout {
  root: string;
  catalogFile: string;
  tlsDir: string;
  recordingsDir: string;
  lockFile: string;
}

export function dataDirLayout(root: string): DataDirLayout {
  return {
    root,
    catalogFile: path.join(root, 'catalog.sqlite'),
    tlsDir: path.join(root, 'tls'),
    recordingsDir: path.join(root, 'recordings'),
    lockFile: path.join(root, 'argus.lock'),
  };
}

/** Creates the folders and checks they are writable, with one clear message when not. */
export function prepareDataDir(root: string): DataDirLayout {
  const layout = dataDirLayout(root);
  try {
    for (const dir of [layout.root, layout.tlsDir, layout.recordingsDir]) mkdirSync(dir, { recursive: true });
    accessSync(layout.root, constants.W_OK);
  } catch (err) {
    throw new StartupError(
      'ARGUS_ERR_DATA_DIR',
      `data directory ${root} is not writable: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      ExitCodes.dataDir,
      { cause: err },
    );
  }
  return layout;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'unknown-boot';
  }
}

/**
 * Takes the data directory lock or explains who holds it. The lock names PID and boot ID, so a lock
 * left by a process that died (or by one from before a reboot that reused the PID) is taken over.
 */
export function acquireDataDirLock(layout: DataDirLayout): () => void {
  const boot = bootId();
  const content = `${process.pid} ${boot}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(layout.lockFile, content, { flag: 'wx' });
      return () => {
        try {
          if (readFileSync(layout.lockFile, 'utf8') === content) unlinkSync(layout.lockFile);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const [pidText = '', holderBoot] = readFileSync(layout.lockFile, 'utf8').trim().split(' ');
      const holder = Number.parseInt(pidText, 10);
      if (Number.isInteger(holder) && holderBoot === boot && processAlive(holder))
        throw new StartupError(
          'ARGUS_ERR_DATA_DIR_LOCKED',
          `data directory ${layout.root} is in use by another Argus (PID ${holder}); stop it or choose another --data directory`,
          ExitCodes.dataDir,
        );
      unlinkSync(layout.lockFile);
    }
  }
  throw new StartupError(
    'ARGUS_ERR_DATA_DIR_LOCKED',
    `cannot lock data directory ${layout.root}`,
    ExitCodes.dataDir,
  );
}
