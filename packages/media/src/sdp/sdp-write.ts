// SDP writer (RFC 8866 §5) for our RTSP server's DESCRIBE reply (RFC 2326 Appendix C): one m=
// section per track with rtpmap, fmtp, framerate and a relative a=control. Parsing the output
// with parseSdp gives back the same tracks.
import { MediaError } from '../media-error.js';
import { formatFmtp } from './sdp-fmtp.js';
import { ERR_SDP_MALFORMED, type SdpSession, type SdpTrack } from './sdp-types.js';

export type SdpWriteInput = Omit<SdpSession, 'rangeNpt' | 'tracks'> & {
  tracks: Array<Omit<SdpTrack, 'port' | 'protocol'> & Partial<Pick<SdpTrack, 'port' | 'protocol'>>>;
};

function field(value: string): string {
  if (/[\r\n]/.test(value)) throw new MediaError(ERR_SDP_MALFORMED, 'SDP field contains a line break');
  return value;
}

export function writeSdp(session: SdpWriteInput): string {
  const lines = [
    'v=0',
    `o=${field(session.origin ?? '- 0 0 IN IP4 0.0.0.0')}`,
    `s=${field(session.sessionName ?? 'Argus')}`,
  ];
  if (session.connectionAddress !== undefined) lines.push(`c=IN IP4 ${field(session.connectionAddress)}`);
  lines.push('t=0 0');
  if (session.control !== undefined) lines.push(`a=control:${field(session.control)}`);
  if (session.range !== undefined) lines.push(`a=range:${field(session.range)}`);
  if (session.direction !== undefined) lines.push(`a=${session.direction}`);
  for (const track of session.tracks) {
    const pt = track.payloadType;
    lines.push(`m=${track.mediaType} ${track.port ?? 0} ${field(track.protocol ?? 'RTP/AVP')} ${pt}`);
    if (track.connectionAddress !== undefined) lines.push(`c=IN IP4 ${field(track.connectionAddress)}`);
    if (track.bandwidthKbps !== undefined) lines.push(`b=AS:${track.bandwidthKbps}`);
    const channels = track.channels === undefined ? '' : `/${track.channels}`;
    if (track.encodingName !== '') {
      lines.push(`a=rtpmap:${pt} ${field(track.encodingName)}/${track.clockRate}${channels}`);
    }
    const fmtp = formatFmtp(track.fmtp);
    if (fmtp !== '') lines.push(`a=fmtp:${pt} ${field(fmtp)}`);
    if (track.framerate !== undefined) lines.push(`a=framerate:${track.framerate}`);
    if (track.control !== undefined) lines.push(`a=control:${field(track.control)}`);
    if (track.direction !== undefined) lines.push(`a=${track.direction}`);
  }
  return lines.join('\r\n') + '\r\n';
}
