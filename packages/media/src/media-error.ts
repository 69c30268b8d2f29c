// Typed errors of @argus/media: every failure carries a stable ARGUS_ERR_* code so callers and
// tests branch on the code, never on message text. Messages never contain credentials.
export type MediaErrorCode = `ARGUS_ERR_${string}`;

export class MediaError extends Error {
  override readonly name = 'MediaError';
  constructor(
    readonly code: MediaErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function isMediaError(err: unknown, code?: MediaErrorCode): err is MediaError {
  return err instanceof MediaError && (code === undefined || err.code === code);
}
