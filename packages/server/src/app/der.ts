// Minimal DER encoder (ITU-T X.690 §8, §10) for the few ASN.1 types an X.509 certificate needs.
export type Der = Uint8Array;

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

export function tlv(tag: number, content: Uint8Array): Der {
  return Uint8Array.from([tag, ...lengthBytes(content.length), ...content]);
}

const concat = (parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);

export const sequence = (...items: Der[]): Der => tlv(0x30, concat(items));
export const set = (...items: Der[]): Der => tlv(0x31, concat(items));
export const explicit = (tagNumber: number, inner: Der): Der => tlv(0xa0 | tagNumber, inner);
export const contextPrimitive = (tagNumber: number, content: Uint8Array): Der =>
  tlv(0x80 | tagNumber, content);
export const octetString = (content: Uint8Array): Der => tlv(0x04, content);
export const utf8String = (text: string): Der => tlv(0x0c, Buffer.from(text, 'utf8'));
export const bitString = (content: Uint8Array): Der => tlv(0x03, concat([Uint8Array.of(0), content]));
export const booleanTrue = (): Der => tlv(0x01, Uint8Array.of(0xff));

/** Non-negative INTEGER from big-endian bytes (a leading 0 keeps it positive, §8.3). */
export function unsignedInteger(bytes: Uint8Array): Der {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, (trimmed[0] ?? 0) & 0x80 ? concat([Uint8Array.of(0), trimmed]) : trimmed);
}

export const smallInteger = (n: number): Der => unsignedInteger(Uint8Array.of(n));

export function objectIdentifier(dotted: string): Der {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [40 * parts[0]! + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [];
    let n = part;
    do {
      chunk.unshift(n & 0x7f);
      n = Math.floor(n / 128);
    } while (n > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i]! |= 0x80;
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 §4.1.2.5). */
export function time(date: Date): Der {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii'))
    : tlv(0x18, Buffer.from(iso, 'ascii'));
}
