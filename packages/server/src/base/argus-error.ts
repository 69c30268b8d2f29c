// The server's error type: a stable ARGUS_ERR_* code from @argus/api plus the HTTP status, so the
// HTTP layer renders every failure the same way and tests branch on codes.
import { ErrorCodes, type ErrorCodeName } from '@argus/api';

export class ArgusError extends Error {
  override readonly name = 'ArgusError';
  readonly code: string;
  readonly status: number;
  readonly details: { path: string; message: string }[] | undefined;
  readonly headers: Record<string, string> | undefined;
  constructor(
    kind: ErrorCodeName,
    message: string,
    extra?: {
      details?: { path: string; message: string }[];
      headers?: Record<string, string>;
      cause?: unknown;
    },
  ) {
    super(message, extra?.cause === undefined ? undefined : { cause: extra.cause });
    this.code = ErrorCodes[kind].code;
    this.status = ErrorCodes[kind].status;
    this.details = extra?.details;
    this.headers = extra?.headers;
  }
}

/** Start-up failures (bad config, port in use, locked data directory): one clear line, an exit code. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  constructor(
    readonly code: `ARGUS_ERR_${string}`,
    message: string,
    readonly exitCode: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** CLI exit codes; documented in docs/ref/cli.md. */
export const ExitCodes = {
  ok: 0,
  failure: 1,
  usage: 2,
  config: 3,
  dataDir: 4,
  port: 5,
  database: 6,
} as const;
