// RTCP compound packets (RFC 3550 §6.1, §6.4 SR/RR, §6.5 SDES, §6.6 BYE): a zero-copy parser that
// tolerates unknown packet types (kept raw) and builders for what a receiver or our server sends.
import { MediaError } from '../media-error.js';

export const ERR_RTCP_MALFORMED = 'ARGUS_ERR_RTCP_MALFORMED' as const;

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_APP = 204;

/** Seconds from the NTP epoch (1900-01-01) to the Unix epoch (RFC 868). */
export const NTP_UNIX_OFFSET_SECONDS = 2_208_988_800;

export interface RtcpReportBlock {
  /** SSRC of the source this block reports on. */
  ssrc: number;
  /** Fraction lost since the previous report, 0..255 (fixed point, /256). */
  fractionLost: number;
  /** Cumulative packets lost, signed 24-bit. */
  cumulativeLost: number;
  /** Extended highest sequence number received (cycles << 16 | seq). */
  highestSequence: number;
  /** Interarrival jitter in RTP timestamp units. */
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received (0 if none). */
  lastSr: number;
  /** Delay since that SR, in 1/65536 s. */
  delaySinceLastSr: number;
}

export interface RtcpSenderReport {
  type: 'sr';
  ssrc: number;
  ntpSeconds: number;
  ntpFraction: number;
  /** The NTP timestamp as Unix wall time in milliseconds (fractional). */
  ntpTimeMs: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports: RtcpReportBlock[];
}

export interface RtcpReceiverReport {
  type: 'rr';
  ssrc: number;
  reports: RtcpReportBlock[];
}

export interface RtcpSdesItem {
  /** SDES item type: 1 CNAME, 2 NAME, ... 8 PRIV. */
  itemType: number;
  text: string;
}

export interface RtcpSdes {
  type: 'sdes';
  chunks: { ssrc: number; items: RtcpSdesItem[] }[];
}

export interface RtcpBye {
  type: 'bye';
  ssrcs: number[];
  reason?: string;
}

/** APP, feedback (RFC 4585) or any other type: kept as a view of the body after the 4-byte header. */
export interface RtcpOther {
  type: 'other';
  packetType: number;
  /** The 5-bit count/subtype field. */
  count: number;
  body: Uint8Array;
}

export type RtcpPacket = RtcpSenderReport | RtcpReceiverReport | RtcpSdes | RtcpBye | RtcpOther;

const REPORT_BLOCK_BYTES = 24;
const textDecoder = new TextDecoder('utf-8', { fatal: false });
const textEncoder = new TextEncoder();

function malformed(message: string): MediaError {
  return new MediaError(ERR_RTCP_MALFORMED, message);
}

export function ntpToUnixMs(ntpSeconds: number, ntpFraction: number): number {
  return (ntpSeconds - NTP_UNIX_OFFSET_SECONDS) * 1000 + (ntpFraction / 0x1_0000_0000) * 1000;
}

/** Splits Unix wall milliseconds into NTP seconds and fraction (both uint32, seconds wrap in 2036). */
export function unixMsToNtp(wallMs: number): { ntpSeconds: number; ntpFraction: number } {
  const totalSeconds = Math.floor(wallMs / 1000) + NTP_UNIX_OFFSET_SECONDS;
  const remainderMs = wallMs - Math.floor(wallMs / 1000) * 1000;
  const ntpFraction = Math.min(0xffffffff, Math.floor((remainderMs / 1000) * 0x1_0000_0000));
  return { ntpSeconds: totalSeconds >>> 0, ntpFraction: ntpFraction >>> 0 };
}

/** The middle 32 bits of a 64-bit NTP timestamp, as carried in report blocks' LSR field. */
export function ntpMiddle32(ntpSeconds: number, ntpFraction: number): number {
  return (((ntpSeconds & 0xffff) << 16) | (ntpFraction >>> 16)) >>> 0;
}

function parseReportBlocks(view: DataView, offset: number, count: number): RtcpReportBlock[] {
  const reports: RtcpReportBlock[] = [];
  for (let i = 0; i < count; i++) {
    const o = offset + i * REPORT_BLOCK_BYTES;
    const lostWord = view.getUint32(o + 4);
    const lost24 = lostWord & 0xffffff;
    reports.push({
      ssrc: view.getUint32(o),
      fractionLost: lostWord >>> 24,
      cumulativeLost: lost24 & 0x800000 ? lost24 - 0x1000000 : lost24,
      highestSequence: view.getUint32(o + 8),
      jitter: view.getUint32(o + 12),
      lastSr: view.getUint32(o + 16),
      delaySinceLastSr: view.getUint32(o + 20),
    });
  }
  return reports;
}

function parseSdes(body: Uint8Array, count: number): RtcpSdes {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const chunks: RtcpSdes['chunks'] = [];
  let offset = 0;
  for (let c = 0; c < count; c++) {
    if (offset + 4 > body.length) throw malformed('SDES chunk exceeds packet');
    const ssrc = view.getUint32(offset);
    offset += 4;
    const items: RtcpSdesItem[] = [];
    // Items end with a null octet; the chunk is then padded to a 32-bit boundary.
    for (;;) {
      if (offset >= body.length) throw malformed('SDES item list is not terminated');
      const itemType = body[offset]!;
      if (itemType === 0) break;
      if (offset + 2 > body.length) throw malformed('SDES item header exceeds packet');
      const len = body[offset + 1]!;
      if (offset + 2 + len > body.length) throw malformed('SDES item exceeds packet');
      items.push({ itemType, text: textDecoder.decode(body.subarray(offset + 2, offset + 2 + len)) });
      offset += 2 + len;
    }
    offset = (offset + 4) & ~3;
    chunks.push({ ssrc, items });
  }
  return { type: 'sdes', chunks };
}

function parseBye(body: Uint8Array, count: number): RtcpBye {
  if (count * 4 > body.length) throw malformed('BYE SSRC list exceeds packet');
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const ssrcs: number[] = [];
  for (let i = 0; i < count; i++) ssrcs.push(view.getUint32(i * 4));
  const bye: RtcpBye = { type: 'bye', ssrcs };
  const rest = count * 4;
  if (rest < body.length) {
    const len = body[rest]!;
    if (rest + 1 + len > body.length) throw malformed('BYE reason exceeds packet');
    bye.reason = textDecoder.decode(body.subarray(rest + 1, rest + 1 + len));
  }
  return bye;
}

/**
 * Parses every packet of an RTCP compound datagram. Lenient where cameras deviate (the first
 * packet need not be SR/RR; unknown types are kept), strict on lengths: throws MediaError.
 */
export function parseRtcpCompound(datagram: Uint8Array): RtcpPacket[] {
  const packets: RtcpPacket[] = [];
  let offset = 0;
  if (datagram.length < 4) throw malformed('RTCP datagram shorter than 4 bytes');
  while (offset < datagram.length) {
    if (offset + 4 > datagram.length) throw malformed('RTCP header exceeds datagram');
    const b0 = datagram[offset]!;
    if (b0 >> 6 !== 2) throw malformed(`RTCP version ${b0 >> 6} is not 2`);
    const count = b0 & 0x1f;
    const packetType = datagram[offset + 1]!;
    const lengthBytes = (((datagram[offset + 2]! << 8) | datagram[offset + 3]!) + 1) * 4;
    const end = offset + lengthBytes;
    if (end > datagram.length) throw malformed('RTCP packet length exceeds datagram');
    let bodyEnd = end;
    if (b0 & 0x20) {
      const pad = datagram[end - 1]!;
      if (pad === 0 || end - pad < offset + 4) throw malformed('RTCP padding is invalid');
      bodyEnd = end - pad;
    }
    const body = datagram.subarray(offset + 4, bodyEnd);
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    if (packetType === RTCP_SR) {
      if (body.length < 24 + count * REPORT_BLOCK_BYTES)
        throw malformed('RTCP SR shorter than its report count');
      const ntpSeconds = view.getUint32(4);
      const ntpFraction = view.getUint32(8);
      packets.push({
        type: 'sr',
        ssrc: view.getUint32(0),
        ntpSeconds,
        ntpFraction,
        ntpTimeMs: ntpToUnixMs(ntpSeconds, ntpFraction),
        rtpTimestamp: view.getUint32(12),
        packetCount: view.getUint32(16),
        octetCount: view.getUint32(20),
        reports: parseReportBlocks(view, 24, count),
      });
    } else if (packetType === RTCP_RR) {
      if (body.length < 4 + count * REPORT_BLOCK_BYTES)
        throw malformed('RTCP RR shorter than its report count');
      packets.push({ type: 'rr', ssrc: view.getUint32(0), reports: parseReportBlocks(view, 4, count) });
    } else if (packetType === RTCP_SDES) {
      packets.push(parseSdes(body, count));
    } else if (packetType === RTCP_BYE) {
      packets.push(parseBye(body, count));
    } else {
      packets.push({ type: 'other', packetType, count, body });
    }
    offset = end;
  }
  return packets;
}

export interface SenderReportFields {
  ssrc: number;
  /** Wall time of the report as Unix milliseconds; ignored when ntp64 is given. */
  ntpTimeMs?: number;
  /** The raw 64-bit NTP timestamp (seconds << 32 | fraction). */
  ntp64?: bigint;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports?: RtcpReportBlock[];
}

export interface ReceiverReportFields {
  ssrc: number;
  reports?: RtcpReportBlock[];
}

function writeHeader(view: DataView, count: number, packetType: number, totalBytes: number): void {
  view.setUint8(0, 0x80 | (count & 0x1f));
  view.setUint8(1, packetType);
  view.setUint16(2, totalBytes / 4 - 1);
}

function writeReportBlocks(view: DataView, offset: number, reports: readonly RtcpReportBlock[]): void {
  reports.forEach((r, i) => {
    const o = offset + i * REPORT_BLOCK_BYTES;
    view.setUint32(o, r.ssrc >>> 0);
    const lost = Math.max(-0x800000, Math.min(0x7fffff, Math.trunc(r.cumulativeLost))) & 0xffffff;
    view.setUint32(o + 4, (((r.fractionLost & 0xff) << 24) | lost) >>> 0);
    view.setUint32(o + 8, r.highestSequence >>> 0);
    view.setUint32(o + 12, r.jitter >>> 0);
    view.setUint32(o + 16, r.lastSr >>> 0);
    view.setUint32(o + 20, r.delaySinceLastSr >>> 0);
  });
}

function checkReportCount(reports: readonly RtcpReportBlock[]): void {
  if (reports.length > 31) throw malformed('an RTCP report carries at most 31 report blocks');
}

/** Builds one SR packet (RFC 3550 §6.4.1). Concatenate with buildSdes() for a valid compound. */
export function buildSenderReport(fields: SenderReportFields): Uint8Array {
  const reports = fields.reports ?? [];
  checkReportCount(reports);
  let ntpSeconds: number;
  let ntpFraction: number;
  if (fields.ntp64 !== undefined) {
    ntpSeconds = Number((fields.ntp64 >> 32n) & 0xffffffffn);
    ntpFraction = Number(fields.ntp64 & 0xffffffffn);
  } else if (fields.ntpTimeMs !== undefined) {
    ({ ntpSeconds, ntpFraction } = unixMsToNtp(fields.ntpTimeMs));
  } else {
    throw malformed('a sender report needs ntpTimeMs or ntp64');
  }
  const total = 28 + reports.length * REPORT_BLOCK_BYTES;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  writeHeader(view, reports.length, RTCP_SR, total);
  view.setUint32(4, fields.ssrc >>> 0);
  view.setUint32(8, ntpSeconds);
  view.setUint32(12, ntpFraction);
  view.setUint32(16, fields.rtpTimestamp >>> 0);
  view.setUint32(20, fields.packetCount >>> 0);
  view.setUint32(24, fields.octetCount >>> 0);
  writeReportBlocks(view, 28, reports);
  return out;
}

/** Builds one RR packet (RFC 3550 §6.4.2); with no blocks it is the empty RR a receiver starts with. */
export function buildReceiverReport(fields: ReceiverReportFields): Uint8Array {
  const reports = fields.reports ?? [];
  checkReportCount(reports);
  const total = 8 + reports.length * REPORT_BLOCK_BYTES;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  writeHeader(view, reports.length, RTCP_RR, total);
  view.setUint32(4, fields.ssrc >>> 0);
  writeReportBlocks(view, 8, reports);
  return out;
}

/** Builds an SDES packet with one chunk carrying a CNAME (required in every compound, §6.5.1). */
export function buildSdes(fields: { ssrc: number; cname: string }): Uint8Array {
  const text = textEncoder.encode(fields.cname);
  if (text.length > 255) throw malformed('SDES CNAME longer than 255 bytes');
  // ssrc + type + length + text + at least one null octet, padded to 32 bits.
  const total = 4 + ((4 + 2 + text.length + 1 + 3) & ~3);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  writeHeader(view, 1, RTCP_SDES, total);
  view.setUint32(4, fields.ssrc >>> 0);
  out[8] = 1;
  out[9] = text.length;
  out.set(text, 10);
  return out;
}

/** Builds a BYE packet (RFC 3550 §6.6) for the given sources with an optional reason. */
export function buildBye(fields: { ssrcs: number[]; reason?: string }): Uint8Array {
  if (fields.ssrcs.length > 31) throw malformed('a BYE carries at most 31 SSRCs');
  const reason = fields.reason === undefined ? undefined : textEncoder.encode(fields.reason);
  if (reason && reason.length > 255) throw malformed('BYE reason longer than 255 bytes');
  const reasonBytes = reason ? (1 + reason.length + 3) & ~3 : 0;
  const total = 4 + fields.ssrcs.length * 4 + reasonBytes;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  writeHeader(view, fields.ssrcs.length, RTCP_BYE, total);
  fields.ssrcs.forEach((s, i) => view.setUint32(4 + i * 4, s >>> 0));
  if (reason) {
    out[4 + fields.ssrcs.length * 4] = reason.length;
    out.set(reason, 5 + fields.ssrcs.length * 4);
  }
  return out;
}

/** Concatenates RTCP packets into one compound datagram. */
export function buildRtcpCompound(packets: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of packets) total += p.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of packets) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
