// Camera credentials encrypted at rest: AES-256-GCM (NIST SP 800-38D) with a 96-bit random IV per
// value and the camera id as additional authenticated data (an envelope copied to another camera
// does not decrypt). The 32-byte key lives in the data directory, created with mode 0600.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, openSync, readFileSync, closeSync, writeSync, fsyncSync, constants } from 'node:fs';
import path from 'node:path';

export const CREDENTIALS_KEY_FILE = 'camera-credentials.key';
export const ARGUS_ERR_CREDENTIALS_KEY = 'ARGUS_ERR_CREDENTIALS_KEY';
export const ARGUS_ERR_CREDENTIALS_DECRYPT = 'ARGUS_ERR_CREDENTIALS_DECRYPT';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export class CredentialError extends Error {
  override readonly name = 'CredentialError';
  constructor(
    readonly code: typeof ARGUS_ERR_CREDENTIALS_KEY | typeof ARGUS_ERR_CREDENTIALS_DECRYPT,
    message: string,
  ) {
    super(message);
  }
}

export interface CameraCredentials {
  user: string;
  password: string;
}

export class CredentialCipher {
  private constructor(private readonly key: Buffer) {}

  /** Loads the key file of the data directory, creating it (mode 0600) on first use. */
  static open(dataDir: string): CredentialCipher {
    const file = path.join(dataDir, CREDENTIALS_KEY_FILE);
    let key: Buffer;
    try {
      const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        key = randomBytes(KEY_BYTES);
        writeSync(fd, key.toString('base64') + '\n');
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      chmodSync(file, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new CredentialError(
          ARGUS_ERR_CREDENTIALS_KEY,
          `cannot create ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        );
      key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    }
    if (key.length !== KEY_BYTES)
      throw new CredentialError(ARGUS_ERR_CREDENTIALS_KEY, `${file} does not hold a 256-bit key`);
    return new CredentialCipher(key);
  }

  /** For tests: a cipher over a given key. */
  static fromKey(key: Uint8Array): CredentialCipher {
    if (key.length !== KEY_BYTES)
      throw new CredentialError(ARGUS_ERR_CREDENTIALS_KEY, 'the key must be 32 bytes');
    return new CredentialCipher(Buffer.from(key));
  }

  /** "v1:" + base64(iv | tag | ciphertext) of the JSON credentials, bound to the camera id. */
  encrypt(cameraId: number, credentials: CameraCredentials): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(aad(cameraId));
    const plain = Buffer.from(JSON.stringify({ user: credentials.user, password: credentials.password }));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  decrypt(cameraId: number, envelope: string): CameraCredentials {
    const fail = (): never => {
      throw new CredentialError(
        ARGUS_ERR_CREDENTIALS_DECRYPT,
        `the stored credentials of camera ${cameraId} cannot be decrypted (wrong key file?); enter them again`,
      );
    };
    if (!envelope.startsWith(`${VERSION}:`)) return fail();
    const raw = Buffer.from(envelope.slice(VERSION.length + 1), 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) return fail();
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(aad(cameraId));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      const parsed = JSON.parse(plain.toString('utf8')) as Partial<CameraCredentials>;
      if (typeof parsed.user !== 'string' || typeof parsed.password !== 'string') return fail();
      return { user: parsed.user, password: parsed.password };
    } catch {
      return fail();
    }
  }
}

const aad = (cameraId: number): Buffer => Buffer.from(`argus-camera:${cameraId}`);
