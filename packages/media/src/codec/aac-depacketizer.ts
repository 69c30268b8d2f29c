// AAC RTP depacketizer for RFC 3640 (MPEG4-GENERIC) §3.2-3.3: AU-headers section with
// sizelength/indexlength/indexdeltalength (and optional CTS/DTS/RAP/stream-state fields),
// several AUs per packet, one AU fragmented over packets. Auxiliary data is skipped.
import type { AccessUnit, AudioAccessUnit } from '../access-unit.js';
import { MediaError } from '../media-error.js';
import type { RtpPacket } from '../rtp/rtp-packet.js';
import { BitReader } from './bit-reader.js';
import type { Depacketizer, DepacketizerOptions, DepacketizerStats } from './depacketizer.js';
import {
  ERR_CODEC_PARAMETERS,
  lostCount,
  MAX_ACCESS_UNIT_BYTES,
  newDepacketizerStats,
} from './depacketizer.js';

export interface Rfc3640Params {
  sizeLength: number;
  indexLength: number;
  indexDeltaLength: number;
  ctsDeltaLength?: number;
  dtsDeltaLength?: number;
  randomAccessIndication?: boolean;
  streamStateIndication?: number;
  auxiliaryDataSizeLength?: number;
}

export interface AacDepacketizerOptions extends DepacketizerOptions {
  clockRate: number;
  /** RTP clock ticks per AU (1024 for AAC-LC at clockRate = sample rate): spaces AUs sharing a packet. */
  ticksPerAccessUnit?: number;
  /** Size of one AU in bytes is bounded by this (default 8 KiB: an AAC frame is at most 6144 bits/channel). */
  maxAccessUnitBytes?: number;
}

const MAX_AUS_PER_PACKET = 512;

export class AacDepacketizer implements Depacketizer {
  readonly stats: DepacketizerStats = newDepacketizerStats();
  private readonly maxBytes: number;
  private readonly ticksPerAccessUnit: number;
  private discardTimestamp: number | undefined;
  private fragment: { ptsTicks: number; size: number; parts: Uint8Array[]; received: number } | undefined;

  constructor(
    private readonly params: Rfc3640Params,
    private readonly options: AacDepacketizerOptions,
  ) {
    if (
      params.sizeLength < 1 ||
      params.sizeLength > 32 ||
      params.indexLength > 32 ||
      params.indexDeltaLength > 32
    ) {
      throw new MediaError(ERR_CODEC_PARAMETERS, 'RFC 3640 field lengths out of range');
    }
    this.maxBytes = Math.min(options.maxAccessUnitBytes ?? 64 * 1024, MAX_ACCESS_UNIT_BYTES);
    this.ticksPerAccessUnit = options.ticksPerAccessUnit ?? 1024;
  }

  push(packet: RtpPacket, extendedTimestamp: number, lostBefore?: number | boolean): AccessUnit[] {
    const out: AccessUnit[] = [];
    const lost = lostCount(lostBefore);
    this.stats.lostPackets += lost;
    if (lost > 0 && this.fragment) {
      // The rest of that AU (same timestamp) is useless: skip it instead of taking it for a new AU.
      this.discardTimestamp = this.fragment.ptsTicks;
      this.dropFragment();
    }
    if (this.discardTimestamp !== undefined && extendedTimestamp !== this.discardTimestamp)
      this.discardTimestamp = undefined;
    if (this.discardTimestamp !== undefined) return [];
    try {
      this.parse(packet, extendedTimestamp, out);
    } catch (err) {
      if (!(err instanceof MediaError)) throw err;
      this.stats.malformedPackets++;
      this.stats.droppedAccessUnits++;
      if (this.fragment) this.dropFragment();
    }
    this.stats.accessUnits += out.length;
    return out;
  }

  flush(): AccessUnit[] {
    if (this.fragment) this.dropFragment();
    return [];
  }

  private dropFragment(): void {
    this.fragment = undefined;
    this.stats.droppedAccessUnits++;
  }

  private parse(packet: RtpPacket, ptsTicks: number, out: AccessUnit[]): void {
    const payload = packet.payload;
    if (payload.length < 2) throw new MediaError(ERR_CODEC_PARAMETERS, 'RFC 3640 payload too short');
    const headersBits = (payload[0]! << 8) | payload[1]!;
    const headersBytes = Math.ceil(headersBits / 8);
    if (2 + headersBytes > payload.length)
      throw new MediaError(ERR_CODEC_PARAMETERS, 'AU headers exceed payload');
    const r = new BitReader(payload.subarray(2, 2 + headersBytes));
    const sizes: number[] = [];
    const indices: number[] = [];
    let index = 0;
    while (headersBits - r.position > 0) {
      if (sizes.length >= MAX_AUS_PER_PACKET)
        throw new MediaError(ERR_CODEC_PARAMETERS, 'too many AU headers');
      sizes.push(r.readBits(this.params.sizeLength));
      index =
        sizes.length === 1
          ? r.readBits(this.params.indexLength)
          : index + 1 + r.readBits(this.params.indexDeltaLength);
      indices.push(index);
      this.skipOptionalFields(r);
    }
    let offset = 2 + headersBytes;
    if (this.params.auxiliaryDataSizeLength) {
      const aux = new BitReader(payload.subarray(offset));
      const auxBits = aux.readBits(this.params.auxiliaryDataSizeLength);
      offset += Math.ceil((this.params.auxiliaryDataSizeLength + auxBits) / 8);
    }
    if (sizes.length === 0) throw new MediaError(ERR_CODEC_PARAMETERS, 'no AU headers');
    const data = payload.subarray(Math.min(offset, payload.length));
    // §3.2.3: a fragment packet carries exactly one AU header giving the whole AU size.
    if (this.fragment) {
      if (sizes.length !== 1 || ptsTicks !== this.fragment.ptsTicks || sizes[0] !== this.fragment.size) {
        this.dropFragment();
      } else {
        this.fragment.parts.push(this.own(data));
        this.fragment.received += data.length;
        if (this.fragment.received > this.fragment.size) {
          throw new MediaError(ERR_CODEC_PARAMETERS, 'AU fragments exceed the AU size');
        }
        if (this.fragment.received === this.fragment.size) {
          const frag = this.fragment;
          this.fragment = undefined;
          out.push(this.audioUnit(frag.ptsTicks, concat(frag.parts, frag.size)));
        }
        return;
      }
    }
    let pos = 0;
    for (let i = 0; i < sizes.length; i++) {
      const size = sizes[i]!;
      const auPts = ptsTicks + (indices[i]! - indices[0]!) * this.ticksPerAccessUnit;
      if (size > this.maxBytes) {
        // The bound is checked on the declared size, before any fragment is buffered.
        this.stats.oversizeAccessUnits++;
        this.stats.droppedAccessUnits++;
        return;
      }
      if (pos + size <= data.length) {
        if (size > 0) out.push(this.audioUnit(auPts, this.own(data.subarray(pos, pos + size))));
        pos += size;
        continue;
      }
      if (sizes.length !== 1) throw new MediaError(ERR_CODEC_PARAMETERS, 'AU data shorter than its headers');
      // The first fragment of a large AU; the rest follow with the same timestamp.
      this.fragment = { ptsTicks: auPts, size, parts: [this.own(data)], received: data.length };
    }
  }

  private skipOptionalFields(r: BitReader): void {
    const p = this.params;
    if (p.ctsDeltaLength && r.readFlag()) r.skipBits(p.ctsDeltaLength);
    if (p.dtsDeltaLength && r.readFlag()) r.skipBits(p.dtsDeltaLength);
    if (p.randomAccessIndication) r.skipBits(1);
    if (p.streamStateIndication) r.skipBits(p.streamStateIndication);
  }

  /** Bytes this depacketizer keeps: a copy when payloads are transient (copyPayloads). */
  private own(bytes: Uint8Array): Uint8Array {
    return this.options.copyPayloads ? new Uint8Array(bytes) : bytes;
  }

  private audioUnit(ptsTicks: number, data: Uint8Array): AudioAccessUnit {
    return { kind: 'audio', codec: 'aac', ptsTicks, clockRate: this.options.clockRate, data };
  }
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
