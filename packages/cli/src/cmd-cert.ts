// `argus cert`: print the certificate ID (SHA-256 fingerprint of the server's DER certificate).
import { parseArgs } from 'node:util';
import { loadConfig, localCertificateId } from '@argus/server';
import type { CliIo } from './cli-io.js';
import { configOverrides, SERVER_FLAGS, SERVER_FLAGS_HELP } from './server-flags.js';

export const CERT_HELP = `Usage: argus cert [options]

Prints the certificate ID of the server's HTTPS certificate: the SHA-256 fingerprint of the DER
certificate. Clients compare it on first connect. Creates the certificate if the data directory
has none yet.

Options:
${SERVER_FLAGS_HELP}`;

export async function cmdCert(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: SERVER_FLAGS });
  if (values.help) {
    io.out(CERT_HELP);
    return 0;
  }
  const config = loadConfig({
    configFile: values.config,
    env: io.env,
    cwd: io.cwd,
    overrides: configOverrides(values),
  });
  io.out(localCertificateId(config));
  return 0;
}
