// Password hashing with argon2id at OWASP's recommended minimum (m=19 MiB, t=2, p=1). The PHC
// string stores the parameters with each hash, so raising them later keeps old hashes valid.
import { hash, verify } from '@node-rs/argon2';

/** Argon2id (the `Algorithm` const enum of @node-rs/argon2 cannot be imported under isolatedModules). */
const ARGON2ID = 2;
export const PASSWORD_HASH_PARAMS = {
  algorithm: ARGON2ID,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_PARAMS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a random password, verified when the username is unknown so that an unknown user and a
 * wrong password take the same time and get the same answer.
 */
export async function makeDecoyHash(): Promise<string> {
  return hashPassword(`decoy-${Math.random()}-${Date.now()}`);
}
