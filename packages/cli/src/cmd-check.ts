// `argus check [--repair] [--deep]`: the start-up consistency check of recordings and index, run
// offline with the server stopped, printing what it found (and what it repaired).
import { parseArgs } from 'node:util';
import { loadConfig, localCheckRecordings } from '@argus/server';
import type { CliIo } from './cli-io.js';
import { configOverrides, SERVER_FLAGS, SERVER_FLAGS_HELP } from './server-flags.js';

export const CHECK_HELP = `Usage: argus check [--repair] [--deep] [options]

Checks that recordings and the index agree, with the server stopped: torn file tails, files the
index does not know, index rows whose files are missing, damaged storage locations and a damaged
catalog. Without --repair it only reports. With --repair it cuts torn tails back to the last whole
fragment, indexes files that are readable, moves unreadable ones aside to a quarantine folder and
removes rows whose files are gone.

Exit code 0 when everything agrees (or was repaired), 1 when problems remain.

Options:
  --repair            fix what can be fixed
  --deep              read every file in full, not only those whose size differs from the index
${SERVER_FLAGS_HELP}`;

export async function cmdCheck(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...SERVER_FLAGS, repair: { type: 'boolean' }, deep: { type: 'boolean' } },
  });
  if (values.help) {
    io.out(CHECK_HELP);
    return 0;
  }
  const config = loadConfig({
    configFile: values.config,
    env: io.env,
    cwd: io.cwd,
    overrides: configOverrides(values),
  });
  const result = await localCheckRecordings(config, {
    repair: values.repair ?? false,
    deep: values.deep ?? false,
  });
  io.out(result.text);
  return result.unresolved === 0 ? 0 : 1;
}
