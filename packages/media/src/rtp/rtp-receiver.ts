// Per-track RTP reception (RFC 3550 §6.4.1, §A.1, §A.3, §A.8): 16-bit sequence and 32-bit timestamp
// extension, a bounded reorder window for UDP, loss/reorder/duplicate counters, jitter, and the
// sender-report anchor that maps RTP time to NTP wall time.
import type { RtcpReportBlock, RtcpSenderReport } from './rtcp.js';
import { ntpMiddle32 } from './rtcp.js';
import type { RtpPacket } from './rtp-packet.js';
import { extendRtpTimestamp, rtpTimeToWallMs, type RtpWallMapping } from './rtp-wall-mapping.js';

/** RFC 3550 §A.1: a jump beyond these is a restart (confirmed by the next packet), not loss. */
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;
const MAX_REORDER_WINDOW = 512;

export interface RtpReceiverOptions {
  /** RTP clock rate of the track (90000 for video). */
  clockRate: number;
  /** Packets held back to restore order on UDP; 0 (the default) for TCP interleaved. */
  reorderWindow?: number;
}

export interface ReceivedRtpPacket {
  packet: RtpPacket;
  /** Sequence number extended with the wrap count; consecutive across wraps. */
  extendedSequence: number;
  /** Timestamp extended to a safe integer (never wraps; may step on a source restart). */
  extendedTimestamp: number;
  /** Packets lost immediately before this one; > 0 also on a source restart or SSRC change. */
  lostBefore: number;
}

/** Receives one released packet with the fields of ReceivedRtpPacket (see RtpReceiver.receive). */
export type RtpDeliver = (
  packet: RtpPacket,
  extendedSequence: number,
  extendedTimestamp: number,
  lostBefore: number,
) => void;

export interface RtpReceiverStats {
  /** Packets delivered in order. */
  received: number;
  /** Packets never seen (gaps declared lost). */
  lost: number;
  /** Packets that arrived out of order but were put back in order by the window. */
  reordered: number;
  /** Copies of packets already held or delivered. */
  duplicate: number;
  /** Packets arriving after their gap was declared lost (dropped). */
  late: number;
  /** Source restarts: SSRC changes and confirmed large sequence jumps. */
  resyncs: number;
}

function int16(v: number): number {
  return (v << 16) >> 16;
}

export class RtpReceiver {
  readonly stats: RtpReceiverStats = {
    received: 0,
    lost: 0,
    reordered: 0,
    duplicate: 0,
    late: 0,
    resyncs: 0,
  };
  private readonly clockRate: number;
  private readonly reorderWindow: number;
  private ssrc: number | undefined;
  /** Highest extended sequence seen (held or delivered); -1 before the first packet. */
  private highestSeq = -1;
  private nextSeq = 0;
  private baseSeq = 0;
  private lastTimestamp: number | undefined;
  private readonly held = new Map<number, RtpPacket>();
  private probationSeq: number | undefined;
  private pendingLost = 0;
  private jitter = 0;
  private lastTransit: number | undefined;
  private sr: { middle32: number; arrivalMs?: number } | undefined;
  /** The latest SR as a time mapping; replaced (never mutated) by each SR, so it can be shared. */
  private mapping: RtpWallMapping | undefined;
  /** An SR came before any packet was delivered: its timestamp is extended at the first delivery. */
  private mappingUnanchored = false;
  private lastReport = { expected: 0, received: 0 };
  /** Packets expected from sources before the last restart (for RR cumulative loss). */
  private expectedBefore = 0;
  /** Added to raw timestamps so extended time stays continuous across source restarts. */
  private timestampOffset = 0;
  /** Recent gaps declared lost, [first, end) extended sequences; lets a late packet be told from a copy. */
  private readonly lostRanges: [number, number][] = [];
  /** With a reorder window, nothing is delivered after a (re)start until the window has filled. */
  private starting = false;

  constructor(options: RtpReceiverOptions) {
    this.clockRate = options.clockRate;
    this.reorderWindow = Math.max(0, Math.min(MAX_REORDER_WINDOW, Math.floor(options.reorderWindow ?? 0)));
  }

  /**
   * Accepts one packet; returns the packets now deliverable in sequence order (often just this one).
   * arrivalMs (any monotonic milliseconds) feeds the jitter estimate when given.
   */
  push(packet: RtpPacket, arrivalMs?: number): ReceivedRtpPacket[] {
    const out: ReceivedRtpPacket[] = [];
    this.receive(
      packet,
      (p, extendedSequence, extendedTimestamp, lostBefore) =>
        out.push({ packet: p, extendedSequence, extendedTimestamp, lostBefore }),
      arrivalMs,
    );
    return out;
  }

  /**
   * As push(), but each deliverable packet goes to `deliver` as it is released, with no array or
   * wrapper object per packet (the per-packet path of a recording). Receiver state is updated before
   * each call, so a throwing `deliver` leaves it consistent.
   */
  receive(packet: RtpPacket, deliver: RtpDeliver, arrivalMs?: number): void {
    if (arrivalMs !== undefined) this.updateJitter(packet.timestamp, arrivalMs);
    if (this.ssrc !== packet.ssrc || this.highestSeq < 0) {
      if (this.ssrc !== undefined) this.flushTo(deliver);
      if (this.ssrc !== undefined) this.stats.resyncs++;
      this.restart(packet, this.ssrc !== undefined);
      this.drain(deliver);
      return;
    }
    const delta = int16(packet.sequenceNumber - (this.highestSeq & 0xffff));
    const ext = this.highestSeq + delta;
    if (delta > MAX_DROPOUT || delta < -MAX_MISORDER) {
      // RFC 3550 §A.1: accept a big jump only when the next packet confirms it.
      if (this.probationSeq === packet.sequenceNumber) {
        this.flushTo(deliver);
        this.stats.resyncs++;
        this.restart(packet, true);
        this.drain(deliver);
        return;
      }
      this.probationSeq = (packet.sequenceNumber + 1) & 0xffff;
      if (delta < 0) this.stats.late++;
      return;
    }
    this.probationSeq = undefined;
    if (this.starting && ext < this.nextSeq && ext >= this.highestSeq - MAX_MISORDER) {
      // Until the window first fills, an earlier packet may still become the first one delivered.
      this.nextSeq = ext;
      this.baseSeq = Math.min(this.baseSeq, ext);
    }
    if (ext < this.nextSeq) {
      if (this.lostRanges.some(([first, end]) => ext >= first && ext < end)) this.stats.late++;
      else this.stats.duplicate++;
      return;
    }
    if (this.held.has(ext)) {
      this.stats.duplicate++;
      return;
    }
    if (ext === this.nextSeq && this.held.size === 0 && !this.starting) {
      // Fast path (TCP, or UDP in order): deliver without touching the reorder buffer.
      this.highestSeq = ext;
      this.deliverOne(packet, deliver);
      return;
    }
    if (ext < this.highestSeq) this.stats.reordered++;
    if (ext > this.highestSeq) this.highestSeq = ext;
    this.held.set(ext, packet);
    this.drain(deliver);
  }

  /** Releases every held packet, declaring the remaining gaps lost (call on a reorder timeout). */
  flush(): ReceivedRtpPacket[] {
    const out: ReceivedRtpPacket[] = [];
    this.flushTo((packet, extendedSequence, extendedTimestamp, lostBefore) =>
      out.push({ packet, extendedSequence, extendedTimestamp, lostBefore }),
    );
    return out;
  }

  /** As flush(), delivering each packet to `deliver`. */
  flushTo(deliver: RtpDeliver): void {
    this.starting = false;
    while (this.held.size > 0) {
      this.skipToLowestHeld();
      this.deliverReady(deliver);
    }
  }

  /** Records an SR for this source: from then on wallTimeMs() maps RTP time to wall time. */
  onSenderReport(sr: RtcpSenderReport, arrivalMs?: number): void {
    if (this.ssrc !== undefined && sr.ssrc !== this.ssrc) return;
    this.sr = { middle32: ntpMiddle32(sr.ntpSeconds, sr.ntpFraction) };
    if (arrivalMs !== undefined) this.sr.arrivalMs = arrivalMs;
    this.mappingUnanchored = this.lastTimestamp === undefined;
    this.mapping = {
      ssrc: sr.ssrc,
      rtpTime: this.extendTimestamp(sr.rtpTimestamp),
      clockRate: this.clockRate,
      ntpSeconds: sr.ntpSeconds,
      ntpFraction: sr.ntpFraction,
      ntpTimeMs: sr.ntpTimeMs,
      receivedAtMs: arrivalMs,
    };
  }

  /**
   * The latest SR of the current source as an RTP <-> NTP mapping in the extended timestamp domain
   * of the delivered packets; undefined before one (and after a source restart until the next).
   */
  get senderReport(): RtpWallMapping | undefined {
    return this.mappingUnanchored ? undefined : this.mapping;
  }

  /** Wall time (Unix ms) of an extended RTP timestamp, or undefined before the first SR. */
  wallTimeMs(extendedTimestamp: number): number | undefined {
    const m = this.senderReport;
    return m === undefined ? undefined : rtpTimeToWallMs(m, extendedTimestamp);
  }

  /** A report block for an RR about this source (RFC 3550 §6.4.1, §A.3); undefined before data. */
  reportBlock(nowMs?: number): RtcpReportBlock | undefined {
    if (this.ssrc === undefined || this.highestSeq < 0) return undefined;
    const expected = this.expectedBefore + this.highestSeq - this.baseSeq + 1;
    const received = this.stats.received + this.held.size;
    const expectedInterval = expected - this.lastReport.expected;
    const lostInterval = expectedInterval - (received - this.lastReport.received);
    this.lastReport = { expected, received };
    const fractionLost =
      expectedInterval <= 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    let delaySinceLastSr = 0;
    if (this.sr?.arrivalMs !== undefined && nowMs !== undefined) {
      delaySinceLastSr = Math.max(0, Math.floor(((nowMs - this.sr.arrivalMs) * 65536) / 1000)) >>> 0;
    }
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(255, fractionLost),
      cumulativeLost: Math.max(-0x800000, Math.min(0x7fffff, expected - received)),
      highestSequence: this.highestSeq % 0x1_0000_0000,
      jitter: Math.floor(this.jitter) >>> 0,
      lastSr: this.sr?.middle32 ?? 0,
      delaySinceLastSr,
    };
  }

  get sourceSsrc(): number | undefined {
    return this.ssrc;
  }

  private restart(packet: RtpPacket, discontinuity: boolean): void {
    this.ssrc = packet.ssrc;
    this.held.clear();
    this.probationSeq = undefined;
    // Keep extended values monotonic across restarts: continue above what was already delivered.
    const seqBase =
      this.highestSeq < 0 ? packet.sequenceNumber : (Math.floor(this.highestSeq / 65536) + 2) * 65536;
    const ext = this.highestSeq < 0 ? packet.sequenceNumber : seqBase + packet.sequenceNumber;
    if (this.highestSeq >= 0) this.expectedBefore += this.highestSeq - this.baseSeq + 1;
    this.baseSeq = ext;
    this.highestSeq = ext;
    this.nextSeq = ext;
    this.lostRanges.length = 0;
    this.starting = this.reorderWindow > 0;
    this.pendingLost = discontinuity ? 1 : 0;
    this.lastTransit = undefined;
    if (this.lastTimestamp !== undefined && discontinuity) {
      // A new source's timestamps are unrelated: continue just after the last one delivered.
      this.timestampOffset = this.lastTimestamp + 1 - packet.timestamp;
    }
    // An SR of the previous source (or of another SSRC) does not map the new timestamps.
    if (this.mapping !== undefined && (discontinuity || this.mapping.ssrc !== packet.ssrc)) {
      this.mapping = undefined;
      this.mappingUnanchored = false;
    }
    this.held.set(ext, packet);
  }

  private extendTimestamp(ts: number): number {
    const raw = ts + this.timestampOffset;
    if (this.lastTimestamp === undefined) return raw;
    return this.lastTimestamp + ((raw - this.lastTimestamp) | 0);
  }

  private skipToLowestHeld(): void {
    let lowest = Infinity;
    for (const k of this.held.keys()) if (k < lowest) lowest = k;
    if (lowest === Infinity || lowest <= this.nextSeq) return;
    const gap = lowest - this.nextSeq;
    this.stats.lost += gap;
    this.pendingLost += gap;
    this.lostRanges.push([this.nextSeq, lowest]);
    if (this.lostRanges.length > 16) this.lostRanges.shift();
    this.nextSeq = lowest;
  }

  private deliverReady(deliver: RtpDeliver): void {
    for (;;) {
      const packet = this.held.get(this.nextSeq);
      if (!packet) return;
      this.held.delete(this.nextSeq);
      this.deliverOne(packet, deliver);
    }
  }

  private deliverOne(packet: RtpPacket, deliver: RtpDeliver): void {
    const extendedTimestamp = this.extendTimestamp(packet.timestamp);
    if (this.mappingUnanchored) this.anchorMapping(extendedTimestamp);
    const extendedSequence = this.nextSeq;
    const lostBefore = this.pendingLost;
    this.lastTimestamp = extendedTimestamp;
    this.pendingLost = 0;
    this.stats.received++;
    this.nextSeq++;
    deliver(packet, extendedSequence, extendedTimestamp, lostBefore);
  }

  /** Extends an SR that came before the first packet relative to that packet (32-bit wrap). */
  private anchorMapping(firstTimestamp: number): void {
    this.mappingUnanchored = false;
    const m = this.mapping;
    if (m === undefined) return;
    this.mapping = { ...m, rtpTime: extendRtpTimestamp(m.rtpTime, firstTimestamp) };
  }

  private drain(deliver: RtpDeliver): void {
    if (this.starting) {
      if (this.held.size <= this.reorderWindow) return;
      this.starting = false;
    }
    this.deliverReady(deliver);
    while (this.held.size > this.reorderWindow) {
      this.skipToLowestHeld();
      this.deliverReady(deliver);
    }
  }

  private updateJitter(timestamp: number, arrivalMs: number): void {
    const arrival = Math.floor((arrivalMs * this.clockRate) / 1000);
    const transit = (arrival - timestamp) | 0;
    if (this.lastTransit !== undefined) {
      const d = Math.abs((transit - this.lastTransit) | 0);
      this.jitter += (d - this.jitter) / 16;
    }
    this.lastTransit = transit;
  }
}
