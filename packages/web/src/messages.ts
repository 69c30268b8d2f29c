// Error codes in words a security operator understands.
import { ApiError } from '@argus/api';

const MESSAGES: Record<string, string> = {
  ARGUS_ERR_BAD_CREDENTIALS: 'The username or password is wrong.',
  ARGUS_ERR_RATE_LIMITED: 'Too many failed attempts. Wait a few minutes and try again.',
  ARGUS_ERR_UNAUTHENTICATED: 'Your session has ended. Log in again.',
  ARGUS_ERR_FORBIDDEN: 'Your role does not allow this. Ask an administrator.',
  ARGUS_ERR_CSRF: 'The page is out of date. Reload it and try again.',
  ARGUS_ERR_SETUP_NOT_ALLOWED:
    'Setup can only be done on the server itself, or with the setup token printed in the server log.',
  ARGUS_ERR_SETUP_DONE: 'This server is already set up. Log in instead.',
  ARGUS_ERR_CONFLICT: 'That name is already taken.',
};

export function describeError(err: unknown): string {
  if (err instanceof ApiError) return MESSAGES[err.code] ?? `${err.message}.`.replace(/\.\.$/, '.');
  if (err instanceof TypeError) return 'The server cannot be reached. Check the network connection.';
  return 'Something went wrong. Try again.';
}
