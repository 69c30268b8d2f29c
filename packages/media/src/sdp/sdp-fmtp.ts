// a=fmtp parameters and the codec configuration they carry: H.264 sprop-parameter-sets
// (RFC 6184 §8.1), H.265 sprop-vps/sps/pps (RFC 7798 §7.1), AAC config and AU-header sizes
// (RFC 3640 §4.1). Decoding is strict: bad base64/hex throws MediaError(ARGUS_ERR_SDP_MALFORMED).
import { MediaError } from '../media-error.js';
import { ERR_SDP_MALFORMED, type SdpTrack } from './sdp-types.js';

/** "a=b;c=d" -> { a: 'b', c: 'd' }; keys lower-cased; values keep '=' (base64 padding). */
export function parseFmtp(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (key === '' || key === '__proto__') continue;
    out[key] = eq < 0 ? '' : part.slice(eq + 1).trim();
  }
  return out;
}

export function formatFmtp(fmtp: Record<string, string>): string {
  return Object.entries(fmtp)
    .map(([key, value]) => (value === '' ? key : `${key}=${value}`))
    .join(';');
}

/** Standard or URL-safe base64, padding optional. */
export function decodeFmtpBase64(text: string): Uint8Array {
  const clean = text.trim();
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean) || clean.replace(/=+$/, '').length % 4 === 1) {
    throw new MediaError(ERR_SDP_MALFORMED, 'invalid base64 in SDP fmtp');
  }
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

export function decodeFmtpHex(text: string): Uint8Array {
  const clean = text.trim();
  if (!/^([0-9A-Fa-f]{2})*$/.test(clean)) throw new MediaError(ERR_SDP_MALFORMED, 'invalid hex in SDP fmtp');
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

function decodeList(value: string | undefined): Uint8Array[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .filter((item) => item.trim() !== '')
    .map(decodeFmtpBase64)
    .filter((nalu) => nalu.length > 0);
}

export interface H264ParameterSets {
  sps: Uint8Array[];
  pps: Uint8Array[];
}

/** SPS (NAL type 7) and PPS (type 8) from sprop-parameter-sets; other NAL types are ignored. */
export function getH264ParameterSets(track: Pick<SdpTrack, 'fmtp'>): H264ParameterSets | undefined {
  const nalus = decodeList(track.fmtp['sprop-parameter-sets']);
  if (nalus.length === 0) return undefined;
  const sps = nalus.filter((nalu) => (nalu[0]! & 0x1f) === 7);
  const pps = nalus.filter((nalu) => (nalu[0]! & 0x1f) === 8);
  return { sps, pps };
}

export interface H265ParameterSets {
  vps: Uint8Array[];
  sps: Uint8Array[];
  pps: Uint8Array[];
}

export function getH265ParameterSets(track: Pick<SdpTrack, 'fmtp'>): H265ParameterSets | undefined {
  const vps = decodeList(track.fmtp['sprop-vps']);
  const sps = decodeList(track.fmtp['sprop-sps']);
  const pps = decodeList(track.fmtp['sprop-pps']);
  if (vps.length + sps.length + pps.length === 0) return undefined;
  return { vps, sps, pps };
}

export interface AacSdpConfig {
  /** AudioSpecificConfig (ISO 14496-3 §1.6.2.1) from the hex `config` parameter. */
  audioSpecificConfig: Uint8Array;
  /** RFC 3640 mode, e.g. 'AAC-hbr'. */
  mode: string;
  sizeLength: number;
  indexLength: number;
  indexDeltaLength: number;
  constantDuration?: number;
}

function intParam(fmtp: Record<string, string>, key: string, fallback: number): number {
  const text = fmtp[key];
  if (text === undefined || text === '') return fallback;
  if (!/^\d{1,4}$/.test(text)) throw new MediaError(ERR_SDP_MALFORMED, `invalid ${key} in SDP fmtp`);
  return Number(text);
}

/** AAC over mpeg4-generic (RFC 3640); undefined for other encodings or without `config`. */
export function getAacConfig(track: Pick<SdpTrack, 'fmtp' | 'encodingName'>): AacSdpConfig | undefined {
  if (track.encodingName.toUpperCase() !== 'MPEG4-GENERIC') return undefined;
  const config = track.fmtp['config'];
  if (config === undefined) return undefined;
  const out: AacSdpConfig = {
    audioSpecificConfig: decodeFmtpHex(config),
    mode: track.fmtp['mode'] ?? '',
    sizeLength: intParam(track.fmtp, 'sizelength', 0),
    indexLength: intParam(track.fmtp, 'indexlength', 0),
    indexDeltaLength: intParam(track.fmtp, 'indexdeltalength', 0),
  };
  if (track.fmtp['constantduration'] !== undefined) {
    out.constantDuration = intParam(track.fmtp, 'constantduration', 0);
  }
  return out;
}

export type SdpCodec = 'h264' | 'h265' | 'aac' | 'pcmu' | 'pcma' | 'onvif-metadata' | 'unknown';

/** Codec of a track by its rtpmap encoding name (RFC 6184, 7798, 3640, 3551; ONVIF Streaming §5.2). */
export function sdpTrackCodec(track: Pick<SdpTrack, 'encodingName'>): SdpCodec {
  switch (track.encodingName.toUpperCase()) {
    case 'H264':
      return 'h264';
    case 'H265':
      return 'h265';
    case 'MPEG4-GENERIC':
      return 'aac';
    case 'PCMU':
      return 'pcmu';
    case 'PCMA':
      return 'pcma';
    case 'VND.ONVIF.METADATA':
      return 'onvif-metadata';
    default:
      return 'unknown';
  }
}
