// `argus serve`: load configuration, start the server, print how to reach it, and shut down
// cleanly on SIGTERM/SIGINT. Returns the process exit code.
import { startServer, type RunningServer } from './app/index.js';
import {
  createLogger,
  loadConfig,
  StartupError,
  type Config,
  type LoadConfigOptions,
  type Logger,
} from './base/index.js';
import { defaultWebRoot, serverVersion } from './server-version.js';

export interface ServeOptions extends LoadConfigOptions {
  /** Where the human-readable banner goes (default: stderr). */
  print?: (line: string) => void;
  /** Resolves when the server should stop; default: SIGTERM or SIGINT. */
  stopSignal?: Promise<unknown>;
  onStarted?: (server: RunningServer, config: Config) => Promise<void> | void;
}

export function banner(server: RunningServer, config: Config): string[] {
  const host =
    config.https.host === '::' || config.https.host === '0.0.0.0' ? 'localhost' : config.https.host;
  const lines = [
    `Argus is running.`,
    `  Web client and API: https://${host}:${server.httpsPort}/`,
    `  Certificate ID:     ${server.certificateId}`,
  ];
  if (server.httpPort !== undefined)
    lines.push(`  HTTP (redirect, /healthz): http://${host}:${server.httpPort}/`);
  lines.push(`  Data directory:     ${config.dataDir}`);
  if (server.setupToken)
    lines.push(
      `  First-run setup:    open the web client from this computer, or from another one with setup token ${server.setupToken}`,
    );
  return lines;
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

export async function serve(options: ServeOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  let logger: Logger | undefined;
  try {
    const config = loadConfig(options);
    logger = createLogger(config.log.level);
    const server = await startServer({ config, logger, version: serverVersion(), webRoot: defaultWebRoot() });
    const stop = options.stopSignal ?? waitForSignal();
    print(banner(server, config).join('\n'));
    await options.onStarted?.(server, config);
    const signal = await stop;
    logger.info(
      { event: 'server.stopping', signal: typeof signal === 'string' ? signal : undefined },
      'stopping',
    );
    await server.close();
    logger.flush();
    return 0;
  } catch (err) {
    logger?.flush();
    if (err instanceof StartupError) {
      print(`argus: ${err.message} [${err.code}]`);
      return err.exitCode;
    }
    throw err;
  }
}
