// Parses a moov box (ISO/IEC 14496-12 §8.2–8.8): movie timescale, per-track tkhd/mdhd/hdlr/elst,
// the sample entry, trex defaults of fragmented files, and where each track's stbl lies.
import { ARGUS_ERR_MP4_MALFORMED } from '../bytes/byte-error-codes.js';
import { MediaError } from '../media-error.js';
import { childBoxes, findChild, payloadReader, readBoxHeader, type BoxHeader } from './mp4-box-header.js';
import type { EditListEntry } from './movie-boxes-writer.js';
import type { TrackConfig } from './mp4-track-config.js';
import { parseStsd } from './sample-entry-reader.js';

export interface Mp4TrackInfo {
  trackId: number;
  /** hdlr handler_type: 'vide', 'soun', 'meta'... */
  handlerType: string;
  /** Media timescale (mdhd): ticks per second of this track's sample times. */
  timescale: number;
  /** mdhd duration in ticks (0 in fragmented init sections). */
  mediaDurationTicks: number;
  /** Four-character code of the first sample entry ('avc1', 'hvc1', 'mp4a'...). */
  sampleEntryType: string;
  /** Present for the codecs Argus writes (H.264, H.265, AAC, G.711). */
  config?: TrackConfig;
  /** Size of the length prefix of each NAL unit in video samples. */
  nalLengthSize?: number;
  /** Edit list entries (segmentDuration in the movie timescale); empty without edts. */
  editList: EditListEntry[];
}

export interface TrexDefaults {
  sampleDescriptionIndex: number;
  durationTicks: number;
  sizeBytes: number;
  flags: number;
}

export interface ParsedMoov {
  movieTimescale: number;
  /** True when mvex is present: samples (also) come in movie fragments. */
  fragmented: boolean;
  tracks: Mp4TrackInfo[];
  trex: Map<number, TrexDefaults>;
  /** stbl box of each track, positions relative to the bytes given to parseMoov. */
  stbl: Map<number, BoxHeader>;
}

function malformed(msg: string): MediaError {
  return new MediaError(ARGUS_ERR_MP4_MALFORMED, msg);
}

function need(bytes: Uint8Array, start: number, end: number, type: string, where: string): BoxHeader {
  const h = findChild(bytes, start, end, type);
  if (h === undefined) throw malformed(`${where} without ${type}`);
  return h;
}

function parseElst(bytes: Uint8Array, h: BoxHeader): EditListEntry[] {
  const r = payloadReader(bytes, h);
  const version = r.u8();
  r.skip(3);
  const count = r.u32();
  r.ensure(count * (version === 1 ? 20 : 12), 'elst entries');
  const out: EditListEntry[] = [];
  for (let i = 0; i < count; i++) {
    const segmentDuration = version === 1 ? r.u64() : r.u32();
    const mediaTime = version === 1 ? r.i64() : r.i32();
    r.skip(4); // media_rate
    out.push({ segmentDuration, mediaTime });
  }
  return out;
}

function parseTrak(bytes: Uint8Array, trak: BoxHeader): { info: Mp4TrackInfo; stbl: BoxHeader } {
  const tkhd = payloadReader(bytes, need(bytes, trak.payloadStart, trak.end, 'tkhd', 'trak'));
  const tkhdVersion = tkhd.u8();
  tkhd.skip(3 + (tkhdVersion === 1 ? 16 : 8));
  const trackId = tkhd.u32();
  if (trackId === 0) throw malformed('track_ID 0');
  const edts = findChild(bytes, trak.payloadStart, trak.end, 'edts');
  const elst = edts === undefined ? undefined : findChild(bytes, edts.payloadStart, edts.end, 'elst');
  const mdia = need(bytes, trak.payloadStart, trak.end, 'mdia', 'trak');
  const mdhd = payloadReader(bytes, need(bytes, mdia.payloadStart, mdia.end, 'mdhd', 'mdia'));
  const mdhdVersion = mdhd.u8();
  mdhd.skip(3 + (mdhdVersion === 1 ? 16 : 8));
  const timescale = mdhd.u32();
  if (timescale === 0) throw malformed(`track ${trackId}: timescale 0`);
  const mediaDurationTicks = mdhdVersion === 1 ? mdhd.u64() : mdhd.u32();
  const hdlr = payloadReader(bytes, need(bytes, mdia.payloadStart, mdia.end, 'hdlr', 'mdia'));
  hdlr.skip(8);
  const handlerType = hdlr.fourcc();
  const minf = need(bytes, mdia.payloadStart, mdia.end, 'minf', 'mdia');
  const stbl = need(bytes, minf.payloadStart, minf.end, 'stbl', 'minf');
  const stsd = need(bytes, stbl.payloadStart, stbl.end, 'stsd', 'stbl');
  const entry = parseStsd(bytes, stsd.payloadStart + 4, stsd.end);
  const info: Mp4TrackInfo = {
    trackId,
    handlerType,
    timescale,
    mediaDurationTicks,
    sampleEntryType: entry.sampleEntryType,
    editList: elst === undefined ? [] : parseElst(bytes, elst),
  };
  if (entry.config !== undefined) info.config = entry.config;
  if (entry.nalLengthSize !== undefined) info.nalLengthSize = entry.nalLengthSize;
  return { info, stbl };
}

/** Parses a complete moov box given as `bytes` (header included). */
export function parseMoov(bytes: Uint8Array): ParsedMoov {
  const moov = readBoxHeader(bytes, 0, bytes.length, 0, undefined, false);
  if (moov === null || moov.end !== bytes.length) throw malformed('moov box bounds');
  const start = moov.payloadStart;
  const mvhdH = need(bytes, start, bytes.length, 'mvhd', 'moov');
  const mvhd = payloadReader(bytes, mvhdH);
  const v = mvhd.u8();
  mvhd.skip(3 + (v === 1 ? 16 : 8));
  const movieTimescale = mvhd.u32();
  const out: ParsedMoov = { movieTimescale, fragmented: false, tracks: [], trex: new Map(), stbl: new Map() };
  for (const h of childBoxes(bytes, start, bytes.length)) {
    if (h.type === 'trak') {
      const { info, stbl } = parseTrak(bytes, h);
      if (out.stbl.has(info.trackId)) throw malformed(`duplicate track ${info.trackId}`);
      out.tracks.push(info);
      out.stbl.set(info.trackId, stbl);
    } else if (h.type === 'mvex') {
      out.fragmented = true;
      for (const c of childBoxes(bytes, h.payloadStart, h.end)) {
        if (c.type !== 'trex') continue;
        const r = payloadReader(bytes, c);
        r.skip(4);
        const trackId = r.u32();
        out.trex.set(trackId, {
          sampleDescriptionIndex: r.u32(),
          durationTicks: r.u32(),
          sizeBytes: r.u32(),
          flags: r.u32(),
        });
      }
    }
  }
  if (out.tracks.length === 0) throw malformed('moov without tracks');
  return out;
}
