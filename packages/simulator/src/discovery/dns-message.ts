// DNS messages for mDNS/DNS-SD (RFC 1035 §4.1, RFC 6762, RFC 6763): question parsing with
// bounded compression-pointer following, and answers (PTR, SRV, TXT, A) written without compression.
import { MediaError } from '@argus/media';
import { ERR_SIM_DNS } from '../simulator-errors.js';

export const DNS_TYPE = { A: 1, PTR: 12, TXT: 16, SRV: 33, ANY: 255 } as const;
export const DNS_CLASS_IN = 1;

export interface DnsQuestion {
  name: string;
  type: number;
  /** Top bit of qclass: the querier wants a unicast response (RFC 6762 §5.4). */
  unicastResponse: boolean;
}

export interface DnsQuery {
  id: number;
  isResponse: boolean;
  questions: DnsQuestion[];
}

export type DnsRecord =
  | { type: 'PTR'; name: string; target: string; ttl: number }
  | { type: 'SRV'; name: string; target: string; port: number; ttl: number }
  | { type: 'TXT'; name: string; entries: string[]; ttl: number }
  | { type: 'A'; name: string; address: string; ttl: number };

function fail(message: string): never {
  throw new MediaError(ERR_SIM_DNS, message);
}

const MAX_POINTER_JUMPS = 16;

function readName(buf: Uint8Array, start: number): { name: string; end: number } {
  const labels: string[] = [];
  let p = start;
  let end = -1;
  let jumps = 0;
  for (;;) {
    if (p >= buf.length) fail('name runs past the message');
    const len = buf[p]!;
    if (len === 0) {
      if (end < 0) end = p + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (p + 1 >= buf.length) fail('truncated compression pointer');
      if (++jumps > MAX_POINTER_JUMPS) fail('too many compression pointers');
      if (end < 0) end = p + 2;
      p = ((len & 0x3f) << 8) | buf[p + 1]!;
      continue;
    }
    if ((len & 0xc0) !== 0) fail('bad label type');
    if (p + 1 + len > buf.length) fail('label runs past the message');
    labels.push(Buffer.from(buf.subarray(p + 1, p + 1 + len)).toString('utf8'));
    if (labels.length > 127) fail('name has too many labels');
    p += 1 + len;
  }
  return { name: labels.join('.'), end };
}

/** Parses the header and questions of a DNS message (answers are not needed by a responder). */
export function parseDnsQuery(buf: Uint8Array): DnsQuery {
  if (buf.length < 12) fail('message shorter than its header');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const id = view.getUint16(0);
  const flags = view.getUint16(2);
  const qdcount = view.getUint16(4);
  if (qdcount > 64) fail('too many questions');
  const questions: DnsQuestion[] = [];
  let p = 12;
  for (let i = 0; i < qdcount; i++) {
    const { name, end } = readName(buf, p);
    if (end + 4 > buf.length) fail('truncated question');
    const type = view.getUint16(end);
    const qclass = view.getUint16(end + 2);
    questions.push({ name, type, unicastResponse: (qclass & 0x8000) !== 0 });
    p = end + 4;
  }
  return { id, isResponse: (flags & 0x8000) !== 0, questions };
}

function nameBytes(name: string): Buffer {
  const parts: Buffer[] = [];
  for (const label of name.split('.').filter((l) => l !== '')) {
    const b = Buffer.from(label, 'utf8');
    if (b.length > 63) fail(`label too long in ${name}`);
    parts.push(Buffer.from([b.length]), b);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

function rdata(r: DnsRecord): Buffer {
  switch (r.type) {
    case 'PTR':
      return nameBytes(r.target);
    case 'SRV': {
      const head = Buffer.alloc(6);
      head.writeUInt16BE(0, 0);
      head.writeUInt16BE(0, 2);
      head.writeUInt16BE(r.port, 4);
      return Buffer.concat([head, nameBytes(r.target)]);
    }
    case 'TXT':
      return Buffer.concat(
        (r.entries.length === 0 ? [''] : r.entries).map((e) => {
          const b = Buffer.from(e, 'utf8').subarray(0, 255);
          return Buffer.concat([Buffer.from([b.length]), b]);
        }),
      );
    case 'A':
      return Buffer.from(r.address.split('.').map((n) => Number(n)));
  }
}

export interface DnsResponseOptions {
  id: number;
  /** Questions echoed back (legacy unicast responses must repeat them, RFC 6762 §6.7). */
  questions?: DnsQuestion[];
  /** Set the cache-flush bit on unique records (SRV, TXT, A); only in multicast responses. */
  cacheFlush: boolean;
}

export function buildDnsResponse(answers: DnsRecord[], options: DnsResponseOptions): Buffer {
  const questions = options.questions ?? [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(options.id, 0);
  header.writeUInt16BE(0x8400, 2); // QR=1, AA=1
  header.writeUInt16BE(questions.length, 4);
  header.writeUInt16BE(answers.length, 6);
  const parts: Buffer[] = [header];
  for (const q of questions) {
    const tail = Buffer.alloc(4);
    tail.writeUInt16BE(q.type, 0);
    tail.writeUInt16BE(DNS_CLASS_IN, 2);
    parts.push(nameBytes(q.name), tail);
  }
  for (const r of answers) {
    const data = rdata(r);
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(DNS_TYPE[r.type], 0);
    const unique = r.type !== 'PTR';
    fixed.writeUInt16BE(DNS_CLASS_IN | (unique && options.cacheFlush ? 0x8000 : 0), 2);
    fixed.writeUInt32BE(r.ttl, 4);
    fixed.writeUInt16BE(data.length, 8);
    parts.push(nameBytes(r.name), fixed, data);
  }
  return Buffer.concat(parts);
}
