// RTP header extension elements: RFC 8285 one-byte (0xBEDE) and two-byte (0x100x) forms, and the
// ONVIF replay extension (ONVIF Streaming Spec §6.3, profile 0xABAC) carrying an NTP capture time.
import { MediaError } from '../media-error.js';
import { ntpToUnixMs } from './rtcp.js';
import { ERR_RTP_MALFORMED, type RtpPacket } from './rtp-packet.js';

export interface RtpExtensionElement {
  id: number;
  data: Uint8Array;
}

type Extension = NonNullable<RtpPacket['extension']>;

/** Splits an RFC 8285 extension block into elements; other profiles yield an empty list. */
export function parseExtensionElements(extension: Extension): RtpExtensionElement[] {
  const { profile, data } = extension;
  const oneByte = profile === 0xbede;
  if (!oneByte && (profile & 0xfff0) !== 0x1000) return [];
  const elements: RtpExtensionElement[] = [];
  let i = 0;
  while (i < data.length) {
    const b = data[i]!;
    if (b === 0) {
      i++; // padding
      continue;
    }
    let id: number;
    let len: number;
    if (oneByte) {
      id = b >> 4;
      if (id === 15) break; // reserved: stop processing (RFC 8285 §4.2)
      len = (b & 0x0f) + 1;
      i += 1;
    } else {
      if (i + 1 >= data.length)
        throw new MediaError(ERR_RTP_MALFORMED, 'RTP extension element header truncated');
      id = b;
      len = data[i + 1]!;
      i += 2;
    }
    if (i + len > data.length) throw new MediaError(ERR_RTP_MALFORMED, 'RTP extension element exceeds block');
    elements.push({ id, data: data.subarray(i, i + len) });
    i += len;
  }
  return elements;
}

export interface OnvifReplayExtension {
  /** Capture time as Unix milliseconds. */
  ntpTimeMs: number;
  /** C: clean point (a decoder can start here). */
  cleanPoint: boolean;
  /** E: end of a contiguous section of recording. */
  end: boolean;
  /** D: discontinuity before this access unit. */
  discontinuity: boolean;
  /** Low 8 bits of the RTSP CSeq of the PLAY that produced this packet. */
  cseq: number;
}

export const ONVIF_REPLAY_PROFILE = 0xabac;

/** Parses the ONVIF replay header extension, or returns undefined for any other profile. */
export function parseOnvifReplayExtension(extension: Extension): OnvifReplayExtension | undefined {
  if (extension.profile !== ONVIF_REPLAY_PROFILE) return undefined;
  const { data } = extension;
  if (data.length < 12)
    throw new MediaError(ERR_RTP_MALFORMED, 'ONVIF replay extension shorter than 12 bytes');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const flags = data[8]!;
  return {
    ntpTimeMs: ntpToUnixMs(view.getUint32(0), view.getUint32(4)),
    cleanPoint: (flags & 0x80) !== 0,
    end: (flags & 0x40) !== 0,
    discontinuity: (flags & 0x20) !== 0,
    cseq: data[9]!,
  };
}
