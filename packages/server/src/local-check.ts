// `argus check [--repair]`: the recording consistency check run offline, on the server host. It
// takes the data directory lock, so it cannot run while a server records into the same files.
import { existsSync } from 'node:fs';
import { acquireDataDirLock, dataDirLayout } from './app/index.js';
import { ExitCodes, StartupError, type Config } from './base/index.js';
import { checkRecordings, formatRecoveryReport } from './ingest/index.js';

export interface LocalCheckResult {
  text: string;
  /** Findings that were not (or could not be) repaired. */
  unresolved: number;
}

export async function localCheckRecordings(
  config: Config,
  options: { repair: boolean; deep: boolean },
): Promise<LocalCheckResult> {
  const layout = dataDirLayout(config.dataDir);
  if (!existsSync(layout.catalogFile))
    throw new StartupError(
      'ARGUS_ERR_DATA_DIR',
      `no Argus database in ${config.dataDir}; pass --data`,
      ExitCodes.dataDir,
    );
  const release = acquireDataDirLock(layout);
  try {
    const report = await checkRecordings({
      catalogFile: layout.catalogFile,
      repair: options.repair,
      deep: options.deep,
    });
    const unresolved = report.findings.filter(
      (f) => f.action === 'none' && f.kind !== 'garbage-removed',
    ).length;
    return { text: formatRecoveryReport(report), unresolved };
  } finally {
    release();
  }
}
