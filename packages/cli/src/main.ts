// The `argus` command: dispatches to subcommands and maps failures to documented exit codes
// (docs/ref/cli.md): 0 ok, 1 failure, 2 usage, 3 config, 4 data directory, 5 port, 6 database.
import { ArgusError, ExitCodes, StartupError } from '@argus/server';
import { processIo, UsageError, type CliIo } from './cli-io.js';
import { cmdCert } from './cmd-cert.js';
import { cmdCheck } from './cmd-check.js';
import { cmdProbe } from './cmd-probe.js';
import { cmdRecord } from './cmd-record.js';
import { cmdServe } from './cmd-serve.js';
import { cmdSim } from './cmd-sim.js';
import { cmdUser } from './cmd-user.js';

export const MAIN_HELP = `Usage: argus <command> [options]

Commands:
  serve      run the recording server
  demo       run the server for a first look
  cert       print the server's certificate ID
  user       add users, reset passwords, list users in the local database
  probe      show the tracks, codecs, frame rate and bitrate of an RTSP stream
  record     record an RTSP stream to an MP4 file without transcoding
  sim        run simulated IP cameras
  check      check (and repair) recordings against the index, offline

Run \`argus <command> --help\` for a command's options.`;

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  serve: (args, io) => cmdServe(args, io, false),
  demo: (args, io) => cmdServe(args, io, true),
  cert: cmdCert,
  user: cmdUser,
  probe: cmdProbe,
  record: cmdRecord,
  sim: cmdSim,
  check: cmdCheck,
};

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(MAIN_HELP);
    return name === undefined ? ExitCodes.usage : ExitCodes.ok;
  }
  if (name === '--version') {
    const { serverVersion } = await import('@argus/server');
    io.out(serverVersion());
    return ExitCodes.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`argus: unknown command "${name}"\n\n${MAIN_HELP}`);
    return ExitCodes.usage;
  }
  try {
    return await command(args, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`argus ${name}: ${(err as Error).message}\nRun \`argus ${name} --help\` for usage.`);
      return ExitCodes.usage;
    }
    if (err instanceof StartupError) {
      io.err(`argus ${name}: ${err.message} [${err.code}]`);
      return err.exitCode;
    }
    if (err instanceof ArgusError) {
      io.err(`argus ${name}: ${err.message} [${err.code}]`);
      return ExitCodes.failure;
    }
    io.err(`argus ${name}: ${(err as Error).stack ?? String(err)}`);
    return ExitCodes.failure;
  }
}
