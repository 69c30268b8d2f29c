// Groups top-level boxes of a fragmented MP4 into whole fragments (ISO/IEC 14496-12 §8.8): leading
// styp/prft/emsg/sidx, one moof, then mdat boxes until every sample's bytes are present. A fragment
// is reported only when whole, which is what torn-tail recovery cuts back to.
import { ARGUS_ERR_MP4_MALFORMED } from '../bytes/byte-error-codes.js';
import { MediaError } from '../media-error.js';
import { ntp64ToUnixMs } from './fmp4-fragment-writer.js';
import { payloadReader, type BoxHeader } from './mp4-box-header.js';
import type { Mp4Sample } from './mp4-sample.js';
import {
  parseMoof,
  type FragmentSampleRef,
  type FragmentTrackState,
  type ParsedMoof,
} from './moof-reader.js';

export interface ProducerReferenceTimeInfo {
  trackId: number;
  ntpTimestamp: bigint;
  /** ntpTimestamp as Unix milliseconds. */
  unixMs: number;
  mediaTimeTicks: number;
  flags: number;
}

export interface Mp4FragmentInfo {
  sequenceNumber: number;
  /** First byte of the fragment (its leading prft/styp, else the moof). */
  startByte: number;
  moofByte: number;
  /** Byte after the fragment's last mdat. */
  endByte: number;
  producerReferenceTime?: ProducerReferenceTimeInfo;
  samples: Mp4Sample[];
}

const LEADING = new Set(['styp', 'prft', 'emsg', 'sidx', 'ssix']);

interface Pending {
  start: number;
  prft?: ProducerReferenceTimeInfo;
  moof?: ParsedMoof;
  moofByte?: number;
  dataEnd: number;
  mdats: Array<{ payloadStart: number; end: number; bytes: Uint8Array; boxStart: number }>;
}

function malformed(msg: string): MediaError {
  return new MediaError(ARGUS_ERR_MP4_MALFORMED, msg);
}

function parsePrft(box: Uint8Array, h: BoxHeader): ProducerReferenceTimeInfo {
  const r = payloadReader(box, h, h.start);
  const version = r.u8();
  const flags = r.u24();
  const trackId = r.u32();
  const ntpTimestamp = r.u64Big();
  const mediaTimeTicks = version === 1 ? r.u64() : r.u32();
  return { trackId, ntpTimestamp, unixMs: ntp64ToUnixMs(ntpTimestamp), mediaTimeTicks, flags };
}

export class FragmentAssembler {
  private pending: Pending | undefined;

  constructor(
    private readonly tracks: ReadonlyMap<number, FragmentTrackState>,
    private readonly maxSamplesPerFragment: number,
  ) {}

  /** Start of the fragment being assembled (the torn tail if input ends now). */
  get pendingStart(): number | undefined {
    return this.pending?.start;
  }

  /** Offers a complete top-level box (`box` = its bytes, header included); returns a whole fragment. */
  box(h: BoxHeader, box: Uint8Array): Mp4FragmentInfo | null {
    if (h.type === 'moof') {
      if (this.pending?.moof !== undefined)
        throw malformed(`moof at ${h.start} before the previous one's data`);
      const moof = parseMoof(box, h.start, this.tracks, this.maxSamplesPerFragment);
      const p: Pending = this.pending ?? { start: h.start, dataEnd: h.end, mdats: [] };
      p.moof = moof;
      p.moofByte = h.start;
      let dataEnd = h.end;
      for (const s of moof.samples) {
        if (s.byteOffset < h.end) throw malformed(`sample data at ${s.byteOffset} before the moof ends`);
        dataEnd = Math.max(dataEnd, s.byteOffset + s.sizeBytes);
      }
      p.dataEnd = dataEnd;
      this.pending = p;
      return dataEnd === h.end ? this.complete(h.end) : null;
    }
    if (h.type === 'mdat') {
      const p = this.pending;
      if (p?.moof === undefined) return null; // stray media data: not part of any fragment
      p.mdats.push({ payloadStart: h.payloadStart, end: h.end, bytes: box, boxStart: h.start });
      return p.dataEnd <= h.end ? this.complete(h.end) : null;
    }
    if (LEADING.has(h.type) && this.pending?.moof === undefined) {
      this.pending ??= { start: h.start, dataEnd: 0, mdats: [] };
      if (h.type === 'prft') this.pending.prft = parsePrft(box, h);
    }
    return null;
  }

  private complete(endByte: number): Mp4FragmentInfo {
    const p = this.pending as Pending;
    const moof = p.moof as ParsedMoof;
    this.pending = undefined;
    const samples: Mp4Sample[] = [];
    let m = 0;
    for (const s of moof.samples) samples.push(this.attach(s, p, m, (idx) => (m = idx)));
    const out: Mp4FragmentInfo = {
      sequenceNumber: moof.sequenceNumber,
      startByte: p.start,
      moofByte: p.moofByte as number,
      endByte,
      samples,
    };
    if (p.prft !== undefined) out.producerReferenceTime = p.prft;
    return out;
  }

  private attach(s: FragmentSampleRef, p: Pending, hint: number, setHint: (i: number) => void): Mp4Sample {
    const end = s.byteOffset + s.sizeBytes;
    const base = {
      trackId: s.trackId,
      dtsTicks: s.dtsTicks,
      ptsTicks: s.ptsTicks,
      durationTicks: s.durationTicks,
      isKey: s.isKey,
      byteOffset: s.byteOffset,
    };
    if (s.sizeBytes === 0) return { ...base, data: new Uint8Array(0) };
    for (let k = 0; k < p.mdats.length; k++) {
      const idx = (hint + k) % p.mdats.length;
      const md = p.mdats[idx] as Pending['mdats'][number];
      if (s.byteOffset >= md.payloadStart && end <= md.end) {
        setHint(idx);
        const rel = s.byteOffset - md.boxStart;
        return { ...base, data: md.bytes.subarray(rel, rel + s.sizeBytes) };
      }
    }
    throw malformed(`sample bytes ${s.byteOffset}..${end} lie in no mdat of the fragment`);
  }
}
