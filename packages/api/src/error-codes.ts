// Stable error codes of the Argus API. Clients branch on these, never on message text; a code,
// once published, keeps its meaning and HTTP status.
export const ErrorCodes = {
  VALIDATION: { code: 'ARGUS_ERR_VALIDATION', status: 400 },
  MALFORMED_JSON: { code: 'ARGUS_ERR_MALFORMED_JSON', status: 400 },
  BODY_TOO_LARGE: { code: 'ARGUS_ERR_BODY_TOO_LARGE', status: 413 },
  UNSUPPORTED_MEDIA_TYPE: { code: 'ARGUS_ERR_UNSUPPORTED_MEDIA_TYPE', status: 415 },
  UNAUTHENTICATED: { code: 'ARGUS_ERR_UNAUTHENTICATED', status: 401 },
  BAD_CREDENTIALS: { code: 'ARGUS_ERR_BAD_CREDENTIALS', status: 401 },
  FORBIDDEN: { code: 'ARGUS_ERR_FORBIDDEN', status: 403 },
  CSRF: { code: 'ARGUS_ERR_CSRF', status: 403 },
  RATE_LIMITED: { code: 'ARGUS_ERR_RATE_LIMITED', status: 429 },
  SETUP_DONE: { code: 'ARGUS_ERR_SETUP_DONE', status: 409 },
  SETUP_NOT_ALLOWED: { code: 'ARGUS_ERR_SETUP_NOT_ALLOWED', status: 403 },
  SETUP_REQUIRED: { code: 'ARGUS_ERR_SETUP_REQUIRED', status: 503 },
  NOT_FOUND: { code: 'ARGUS_ERR_NOT_FOUND', status: 404 },
  CONFLICT: { code: 'ARGUS_ERR_CONFLICT', status: 409 },
  RANGE_NOT_SATISFIABLE: { code: 'ARGUS_ERR_RANGE_NOT_SATISFIABLE', status: 416 },
  UPGRADE_REQUIRED: { code: 'ARGUS_ERR_UPGRADE_REQUIRED', status: 426 },
  MEDIA_UNAVAILABLE: { code: 'ARGUS_ERR_MEDIA_UNAVAILABLE', status: 503 },
  /** A storage location's path is relative, missing, not a directory or not writable. */
  STORAGE_PATH_INVALID: { code: 'ARGUS_ERR_STORAGE_PATH_INVALID', status: 400 },
  /** The directory is, holds or lies inside a storage location, or carries another identity file. */
  STORAGE_PATH_IN_USE: { code: 'ARGUS_ERR_STORAGE_PATH_IN_USE', status: 409 },
  /** A storage location cannot be removed: cameras record there, footage is indexed, or it is the last. */
  STORAGE_LOCATION_IN_USE: { code: 'ARGUS_ERR_STORAGE_LOCATION_IN_USE', status: 409 },
  INTERNAL: { code: 'ARGUS_ERR_INTERNAL', status: 500 },
} as const;

export type ErrorCodeName = keyof typeof ErrorCodes;
export type ErrorCode = (typeof ErrorCodes)[ErrorCodeName]['code'];
