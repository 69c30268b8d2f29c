// The server's TLS identity: a self-signed ECDSA P-256 X.509 v3 certificate (RFC 5280) generated
// on first start and reused, or an administrator-supplied one. Its certificate ID is the SHA-256
// fingerprint of the DER certificate, which clients compare on first connect (as in the manual).
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import path from 'node:path';
import { ExitCodes, StartupError } from '../base/index.js';
import * as der from './der.js';

export interface TlsIdentity {
  certPem: string;
  keyPem: string;
  /** SHA-256 of the DER certificate as upper-case hex pairs joined by colons (as openssl prints it). */
  certificateId: string;
  source: 'generated' | 'existing' | 'administrator';
  certFile: string;
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

const extension = (oid: string, critical: boolean, value: der.Der): der.Der =>
  critical
    ? der.sequence(der.objectIdentifier(oid), der.booleanTrue(), der.octetString(value))
    : der.sequence(der.objectIdentifier(oid), der.octetString(value));

function ipBytes(address: string): Uint8Array | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(address)) return Uint8Array.from(address.split('.').map(Number));
  if (!address.includes(':')) return undefined;
  const [head = '', tail = ''] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t]
    : h;
  if (groups.length !== 8) return undefined;
  return Uint8Array.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

/** SANs: the host name, localhost and every address of the host (RFC 5280 §4.2.1.6). */
export function defaultSubjectAltNames(): { dns: string[]; ips: string[] } {
  const ips = new Set(['127.0.0.1', '::1']);
  for (const list of Object.values(networkInterfaces()))
    for (const ni of list ?? []) if (!ni.address.startsWith('fe80')) ips.add(ni.address);
  return { dns: [...new Set([hostname(), 'localhost'])], ips: [...ips] };
}

export function generateSelfSignedCertificate(
  commonName: string,
  names: { dns: string[]; ips: string[] },
  now: Date,
  validDays = 3650,
): { certPem: string; keyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const name = der.sequence(
    der.set(der.sequence(der.objectIdentifier(OID.organization), der.utf8String('Argus'))),
    der.set(der.sequence(der.objectIdentifier(OID.commonName), der.utf8String(commonName))),
  );
  const altNames = der.sequence(
    ...names.dns.map((d) => der.contextPrimitive(2, Buffer.from(d, 'ascii'))),
    ...names.ips.flatMap((ip) => {
      const b = ipBytes(ip);
      return b ? [der.contextPrimitive(7, b)] : [];
    }),
  );
  // subjectPublicKey bits of the SPKI are its last 65 bytes for an uncompressed P-256 point.
  const keyId = createHash('sha1')
    .update(spki.subarray(spki.length - 65))
    .digest();
  const notBefore = new Date(now.getTime() - 3_600_000);
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)),
    der.unsignedInteger(serial),
    der.sequence(der.objectIdentifier(OID.ecdsaWithSha256)),
    name,
    der.sequence(der.time(notBefore), der.time(new Date(now.getTime() + validDays * 86_400_000))),
    name,
    spki,
    der.explicit(
      3,
      der.sequence(
        extension(OID.basicConstraints, true, der.sequence()),
        extension(OID.keyUsage, true, der.tlv(0x03, Uint8Array.of(7, 0x80))),
        extension(OID.extKeyUsage, false, der.sequence(der.objectIdentifier(OID.serverAuth))),
        extension(OID.subjectKeyIdentifier, false, der.octetString(keyId)),
        extension(OID.subjectAltName, false, altNames),
      ),
    ),
  );
  const signature = sign('sha256', tbs, privateKey);
  const cert = der.sequence(
    tbs,
    der.sequence(der.objectIdentifier(OID.ecdsaWithSha256)),
    der.bitString(signature),
  );
  const b64 = Buffer.from(cert)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return {
    certPem: `-----BEGIN CERTIFICATE-----\n${b64.trimEnd()}\n-----END CERTIFICATE-----\n`,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function certificateIdOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

function writeAtomic(file: string, content: string, mode: number): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, file);
}

/** Loads the administrator's certificate, or the generated one in the data directory, creating it once. */
export function loadOrCreateTlsIdentity(
  dataDir: string,
  configured: { certFile: string | null; keyFile: string | null },
  commonName: string,
  now: Date,
): TlsIdentity {
  if (configured.certFile || configured.keyFile) {
    if (!configured.certFile || !configured.keyFile)
      throw new StartupError(
        'ARGUS_ERR_CONFIG',
        'https.certFile and https.keyFile must be given together',
        ExitCodes.config,
      );
    return loadPair(configured.certFile, configured.keyFile, 'administrator');
  }
  const certFile = path.join(dataDir, 'tls', 'server.crt');
  const keyFile = path.join(dataDir, 'tls', 'server.key');
  if (existsSync(certFile) && existsSync(keyFile)) return loadPair(certFile, keyFile, 'existing');
  const { certPem, keyPem } = generateSelfSignedCertificate(commonName, defaultSubjectAltNames(), now);
  writeAtomic(keyFile, keyPem, 0o600);
  writeAtomic(certFile, certPem, 0o644);
  return { certPem, keyPem, certificateId: certificateIdOf(certPem), source: 'generated', certFile };
}

function loadPair(certFile: string, keyFile: string, source: TlsIdentity['source']): TlsIdentity {
  try {
    const certPem = readFileSync(certFile, 'utf8');
    const keyPem = readFileSync(keyFile, 'utf8');
    const cert = new X509Certificate(certPem);
    if (!cert.checkPrivateKey(createPrivateKey(keyPem)))
      throw new Error('the key does not match the certificate');
    return { certPem, keyPem, certificateId: cert.fingerprint256, source, certFile };
  } catch (err) {
    throw new StartupError(
      'ARGUS_ERR_TLS',
      `cannot use TLS certificate ${certFile}: ${(err as Error).message}`,
      ExitCodes.config,
      { cause: err },
    );
  }
}
