// SDP parser (RFC 8866 §5) for what RTSP servers and IP cameras send in a DESCRIBE reply:
// session/media sections, c=, b=AS, a=control, a=rtpmap, a=fmtp, a=framerate, a=range
// (RFC 7826 §4.4 npt), direction. Lenient on unknown lines, strict on the m= line it relies on.
import { MediaError } from '../media-error.js';
import { parseFmtp } from './sdp-fmtp.js';
import {
  ERR_SDP_MALFORMED,
  SDP_MAX_BYTES,
  type SdpDirection,
  type SdpMediaType,
  type SdpRangeNpt,
  type SdpSession,
  type SdpTrack,
} from './sdp-types.js';

/** RFC 3551 §6 tables 4 and 5: payload types that need no a=rtpmap. */
const STATIC_PAYLOAD_TYPES: Record<number, [string, number, number?]> = {
  0: ['PCMU', 8000, 1],
  3: ['GSM', 8000, 1],
  4: ['G723', 8000, 1],
  5: ['DVI4', 8000, 1],
  6: ['DVI4', 16000, 1],
  7: ['LPC', 8000, 1],
  8: ['PCMA', 8000, 1],
  9: ['G722', 8000, 1],
  10: ['L16', 44100, 2],
  11: ['L16', 44100, 1],
  12: ['QCELP', 8000, 1],
  13: ['CN', 8000, 1],
  14: ['MPA', 90000],
  15: ['G728', 8000, 1],
  16: ['DVI4', 11025, 1],
  17: ['DVI4', 22050, 1],
  18: ['G729', 8000, 1],
  25: ['CelB', 90000],
  26: ['JPEG', 90000],
  28: ['nv', 90000],
  31: ['H261', 90000],
  32: ['MPV', 90000],
  33: ['MP2T', 90000],
  34: ['H263', 90000],
};

const MEDIA_TYPES = new Set<string>(['video', 'audio', 'application']);
const DIRECTIONS = new Set<string>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

interface MediaSection {
  track: Omit<SdpTrack, 'encodingName' | 'clockRate' | 'fmtp'>;
  rtpmaps: Map<number, string>;
  fmtps: Map<number, string>;
}

function malformed(message: string): MediaError {
  return new MediaError(ERR_SDP_MALFORMED, message);
}

function parseMediaLine(value: string): MediaSection | undefined {
  const parts = value.trim().split(/\s+/);
  if (parts.length < 4) throw malformed('SDP m= line needs media, port, proto and a format');
  const [media, portText, protocol, fmt] = parts as [string, string, string, string];
  const port = /^\d{1,5}(\/\d{1,5})?$/.test(portText) ? Number.parseInt(portText, 10) : NaN;
  if (!(port >= 0 && port <= 65535)) throw malformed('SDP m= line has an invalid port');
  const mediaType = media.toLowerCase();
  if (!MEDIA_TYPES.has(mediaType)) return undefined;
  if (!/^\d{1,3}$/.test(fmt) || Number(fmt) > 127) return undefined; // not an RTP payload format
  return {
    track: { mediaType: mediaType as SdpMediaType, port, protocol, payloadType: Number(fmt) },
    rtpmaps: new Map(),
    fmtps: new Map(),
  };
}

/** "<pt> <rest>" as used by a=rtpmap and a=fmtp. */
function splitPayloadAttribute(value: string): [number, string] | undefined {
  const match = /^(\d{1,3})(?:\s+(.*))?$/.exec(value.trim());
  if (!match) return undefined;
  return [Number(match[1]), (match[2] ?? '').trim()];
}

/** Seconds, undefined for an open bound or 'now', null when not an npt time. */
function parseNptTime(text: string): number | undefined | null {
  if (text === '' || text === 'now') return undefined;
  const hms = /^(\d{1,9}):([0-5]?\d):([0-5]?\d(?:\.\d{1,9})?)$/.exec(text);
  if (hms) return Number(hms[1]) * 3600 + Number(hms[2]) * 60 + Number(hms[3]);
  if (/^\d{1,12}(\.\d{0,9})?$/.test(text)) return Number(text);
  return null;
}

/** RFC 7826 §4.4.2 npt-range: "npt=0-", "npt=now-", "npt=1.5-20", "npt=0:00:01-". */
export function parseNptRange(range: string): SdpRangeNpt | undefined {
  const match = /^npt\s*=\s*([^-\s]*)\s*-\s*([^\s;]*)/i.exec(range.trim());
  if (!match) return undefined;
  const out: SdpRangeNpt = {};
  const startSec = parseNptTime(match[1]!);
  const endSec = parseNptTime(match[2]!);
  if (startSec === null || endSec === null) return undefined;
  if (startSec !== undefined) out.startSec = startSec;
  if (endSec !== undefined) out.endSec = endSec;
  return out;
}

function parseConnection(value: string): string | undefined {
  const parts = value.trim().split(/\s+/);
  return parts.length === 3 ? parts[2]!.split('/')[0] : undefined;
}

function finishTrack(section: MediaSection): SdpTrack {
  const pt = section.track.payloadType;
  let encodingName = '';
  let clockRate = section.track.mediaType === 'audio' ? 8000 : 90000;
  let channels: number | undefined;
  const rtpmap = section.rtpmaps.get(pt);
  const fixed = STATIC_PAYLOAD_TYPES[pt];
  const mapped = rtpmap === undefined ? undefined : /^([^/\s]+)\/(\d{1,9})(?:\/(\d{1,3}))?$/.exec(rtpmap);
  if (mapped) {
    encodingName = mapped[1]!;
    clockRate = Number(mapped[2]);
    if (mapped[3] !== undefined) channels = Number(mapped[3]);
  } else if (fixed && pt < 96) {
    [encodingName, clockRate, channels] = fixed;
  }
  if (clockRate <= 0) throw malformed('SDP a=rtpmap has a zero clock rate');
  const track: SdpTrack = {
    ...section.track,
    encodingName,
    clockRate,
    fmtp: parseFmtp(section.fmtps.get(pt) ?? ''),
  };
  if (channels !== undefined) track.channels = channels;
  return track;
}

/** Parses an SDP description; throws MediaError(ARGUS_ERR_SDP_MALFORMED) on unusable input. */
export function parseSdp(input: string | Uint8Array): SdpSession {
  const sizeBytes = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (sizeBytes > SDP_MAX_BYTES) throw malformed(`SDP larger than ${SDP_MAX_BYTES} bytes`);
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  const session: SdpSession = { tracks: [] };
  let sawVersion = false;
  let current: MediaSection | undefined;
  let skipping = false;
  const sections: MediaSection[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.length < 2 || line[1] !== '=') continue;
    const type = line[0];
    const value = line.slice(2);
    if (type === 'v') sawVersion = true;
    else if (type === 'm') {
      current = parseMediaLine(value);
      skipping = current === undefined;
      if (current) sections.push(current);
    } else if (skipping) continue;
    else if (type === 'o' && !current) session.origin = value.trim();
    else if (type === 's' && !current) session.sessionName = value.trim();
    else if (type === 'c') {
      const address = parseConnection(value);
      if (address === undefined) continue;
      if (current) current.track.connectionAddress = address;
      else session.connectionAddress = address;
    } else if (type === 'b' && current) {
      const bw = /^AS:(\d{1,9})$/i.exec(value.trim());
      if (bw) current.track.bandwidthKbps = Number(bw[1]);
    } else if (type === 'a') parseAttribute(value, session, current);
  }
  if (!sawVersion && sections.length === 0)
    throw malformed('input is not an SDP description (no v= or m= line)');
  session.tracks = sections.map(finishTrack);
  return session;
}

function parseAttribute(value: string, session: SdpSession, current: MediaSection | undefined): void {
  const colon = value.indexOf(':');
  const name = (colon < 0 ? value : value.slice(0, colon)).trim().toLowerCase();
  const arg = colon < 0 ? '' : value.slice(colon + 1).trim();
  if (DIRECTIONS.has(name)) {
    if (current) current.track.direction = name as SdpDirection;
    else session.direction = name as SdpDirection;
  } else if (name === 'control') {
    if (current) current.track.control = arg;
    else session.control = arg;
  } else if (name === 'range' && !current) {
    session.range = arg;
    const npt = parseNptRange(arg);
    if (npt) session.rangeNpt = npt;
  } else if (name === 'framerate' && current) {
    const rate = Number(arg);
    if (Number.isFinite(rate) && rate > 0 && arg !== '') current.track.framerate = rate;
  } else if ((name === 'rtpmap' || name === 'fmtp') && current) {
    const parsed = splitPayloadAttribute(arg);
    if (!parsed) return;
    const map = name === 'rtpmap' ? current.rtpmaps : current.fmtps;
    if (!map.has(parsed[0])) map.set(parsed[0], parsed[1]);
  }
}
