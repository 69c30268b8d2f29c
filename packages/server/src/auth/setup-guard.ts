// First-run setup is accepted only while no user exists, and only from loopback or with the
// one-time setup token the server prints in its log (the manual's first-time configuration wizard).
import { isIP } from 'node:net';
import { safeEqual } from '../base/index.js';

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (a === '::1') return true;
  return isIP(a) === 4 && a.startsWith('127.');
}

export function setupAllowed(
  remoteAddress: string | undefined,
  presentedToken: string | undefined,
  setupToken: string,
): boolean {
  if (isLoopback(remoteAddress)) return true;
  return presentedToken !== undefined && safeEqual(presentedToken, setupToken);
}
