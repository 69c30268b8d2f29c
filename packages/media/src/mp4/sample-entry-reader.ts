// Reads the first sample entry of an stsd box (ISO/IEC 14496-12 §8.5.2) back into a TrackConfig:
// avc1/avc3 + avcC, hvc1/hev1 + hvcC (ISO/IEC 14496-15), mp4a + esds (ISO/IEC 14496-14), ulaw/alaw.
// Unknown codecs yield no config; their samples are still listed.
import { ByteReader } from '../bytes/byte-reader.js';
import { ARGUS_ERR_MP4_MALFORMED } from '../bytes/byte-error-codes.js';
import { MediaError } from '../media-error.js';
import { parseAvcC } from './avc-config-box.js';
import { parseEsds } from './esds-box.js';
import { parseHvcC } from './hevc-config-box.js';
import { childBoxes, findChild, readBoxHeader } from './mp4-box-header.js';
import type { TrackConfig } from './mp4-track-config.js';

export interface ParsedSampleEntry {
  sampleEntryType: string;
  config?: TrackConfig;
  /** Bytes of each NAL unit length prefix in samples (video only). */
  nalLengthSize?: number;
}

const AAC_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];
const AAC_CHANNELS = [0, 1, 2, 3, 4, 5, 6, 8];

/**
 * Rate and channels from an AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1), which is authoritative:
 * muxers often write channelcount 2 in the sample entry whatever the stream carries.
 */
function ascRateAndChannels(asc: Uint8Array): { sampleRate?: number; channels?: number } {
  let bit = 0;
  const read = (n: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++, bit++) v = (v << 1) | (((asc[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1);
    return v;
  };
  if (asc.length < 2) return {};
  if (read(5) === 31) read(6);
  const index = read(4);
  const sampleRate = index === 15 ? (asc.length >= 5 ? read(24) : undefined) : AAC_RATES[index];
  const channels = AAC_CHANNELS[read(4)];
  const out: { sampleRate?: number; channels?: number } = {};
  if (sampleRate !== undefined && sampleRate > 0) out.sampleRate = sampleRate;
  if (channels !== undefined && channels > 0) out.channels = channels;
  return out;
}

/** Payload bytes of a VisualSampleEntry before its child boxes: 8 (SampleEntry) + 70. */
const VISUAL_HEADER = 78;

function boxPayload(bytes: Uint8Array, start: number, end: number, type: string): Uint8Array | undefined {
  const h = findChild(bytes, start, end, type);
  return h === undefined ? undefined : bytes.subarray(h.payloadStart, h.end);
}

function parseVisual(bytes: Uint8Array, start: number, end: number, type: string): ParsedSampleEntry {
  const r = new ByteReader(bytes, start, end, ARGUS_ERR_MP4_MALFORMED);
  r.skip(24);
  const width = r.u16();
  const height = r.u16();
  r.skip(VISUAL_HEADER - 28);
  const children = r.pos;
  if (type === 'avc1' || type === 'avc3') {
    const avcC = boxPayload(bytes, children, end, 'avcC');
    if (avcC === undefined) throw new MediaError(ARGUS_ERR_MP4_MALFORMED, `${type} without avcC`);
    const p = parseAvcC(avcC);
    return {
      sampleEntryType: type,
      config: { codec: 'h264', sps: p.sps, pps: p.pps, width, height },
      nalLengthSize: p.nalLengthSize,
    };
  }
  const hvcC = boxPayload(bytes, children, end, 'hvcC');
  if (hvcC === undefined) throw new MediaError(ARGUS_ERR_MP4_MALFORMED, `${type} without hvcC`);
  const p = parseHvcC(hvcC);
  const config: TrackConfig = {
    codec: 'h265',
    vps: p.vps,
    sps: p.sps,
    pps: p.pps,
    width,
    height,
    hevc: p.hevc,
  };
  if (p.sei.length > 0) config.sei = p.sei;
  return { sampleEntryType: type, config, nalLengthSize: p.nalLengthSize };
}

function parseAudio(bytes: Uint8Array, start: number, end: number, type: string): ParsedSampleEntry {
  const r = new ByteReader(bytes, start, end, ARGUS_ERR_MP4_MALFORMED);
  r.skip(8);
  const version = r.u16(); // QuickTime sound description version; 0 in ISO files
  r.skip(6);
  const channels = r.u16();
  r.skip(6);
  const sampleRate = r.u32() >>> 16;
  r.skip(version === 1 ? 16 : version === 2 ? 36 : 0);
  const children = r.pos; // 28 payload bytes for ISO (version 0) entries
  if (type === 'ulaw' || type === 'alaw') {
    return {
      sampleEntryType: type,
      config: { codec: type === 'ulaw' ? 'pcmu' : 'pcma', sampleRate, channels },
    };
  }
  let esds = boxPayload(bytes, children, end, 'esds');
  if (esds === undefined) {
    // QuickTime files nest esds inside a 'wave' box.
    const wave = findChild(bytes, children, end, 'wave');
    if (wave !== undefined) esds = boxPayload(bytes, wave.payloadStart, wave.end, 'esds');
  }
  if (esds === undefined) return { sampleEntryType: type };
  const e = parseEsds(esds.subarray(4)); // after FullBox version/flags
  if (e.objectTypeIndication !== 0x40 && (e.objectTypeIndication < 0x66 || e.objectTypeIndication > 0x68)) {
    return { sampleEntryType: type };
  }
  const asc = ascRateAndChannels(e.audioSpecificConfig);
  return {
    sampleEntryType: type,
    config: {
      codec: 'aac',
      audioSpecificConfig: e.audioSpecificConfig,
      sampleRate: asc.sampleRate ?? sampleRate,
      channels: asc.channels ?? channels,
      esds: e.bitrates,
    },
  };
}

/** Parses the first entry of an stsd payload (`start` is after the FullBox header). */
export function parseStsd(bytes: Uint8Array, start: number, end: number): ParsedSampleEntry {
  const r = new ByteReader(bytes, start, end, ARGUS_ERR_MP4_MALFORMED);
  const count = r.u32();
  if (count === 0) throw new MediaError(ARGUS_ERR_MP4_MALFORMED, 'stsd without entries');
  const h = readBoxHeader(bytes, r.pos, end, 0, undefined, false);
  if (h === null || h.end > end) throw new MediaError(ARGUS_ERR_MP4_MALFORMED, 'stsd entry overruns');
  const type = h.type;
  // Validate that any child boxes are well formed even when we do not interpret them.
  const body = h.payloadStart;
  if (type === 'avc1' || type === 'avc3' || type === 'hvc1' || type === 'hev1') {
    if (h.end - body < VISUAL_HEADER) throw new MediaError(ARGUS_ERR_MP4_MALFORMED, `${type} too short`);
    for (const _ of childBoxes(bytes, body + VISUAL_HEADER, h.end));
    return parseVisual(bytes, body, h.end, type);
  }
  if (type === 'mp4a' || type === 'ulaw' || type === 'alaw') {
    return parseAudio(bytes, body, h.end, type);
  }
  return { sampleEntryType: type };
}
