// The RTSP Transport header (RFC 2326 §12.39; RFC 7826 §18.54): alternatives separated by commas,
// each "RTP/AVP[/TCP|/UDP]" with unicast/multicast, interleaved, client_port, server_port, source,
// ssrc and mode parameters.
import { MediaError } from '../media-error.js';
import { ERR_RTSP_PROTOCOL } from './rtsp-errors.js';

export interface RtspTransport {
  /** e.g. 'RTP/AVP', 'RTP/AVP/TCP', 'RTP/AVP/UDP'. */
  protocol: string;
  lowerTransport: 'TCP' | 'UDP';
  multicast: boolean;
  interleaved?: [number, number];
  clientPort?: [number, number];
  serverPort?: [number, number];
  source?: string;
  destination?: string;
  ssrc?: number;
  mode?: string;
}

function portPair(value: string, max: number): [number, number] {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(value.trim());
  const a = match ? Number(match[1]) : NaN;
  const b = match?.[2] !== undefined ? Number(match[2]) : a + 1;
  if (!(a >= 0 && a <= max && b >= 0 && b <= max))
    throw new MediaError(ERR_RTSP_PROTOCOL, 'invalid port pair in Transport');
  return [a, b];
}

export function parseTransport(value: string): RtspTransport[] {
  const out: RtspTransport[] = [];
  for (const alternative of value.split(',')) {
    const parts = alternative.split(';').map((p) => p.trim());
    const protocol = parts[0]!;
    if (!/^RTP\/AVP(\/(TCP|UDP))?$/i.test(protocol)) continue;
    const transport: RtspTransport = {
      protocol,
      lowerTransport: /\/TCP$/i.test(protocol) ? 'TCP' : 'UDP',
      multicast: false,
    };
    for (const part of parts.slice(1)) {
      const eq = part.indexOf('=');
      const name = (eq < 0 ? part : part.slice(0, eq)).toLowerCase();
      const arg = eq < 0 ? '' : part.slice(eq + 1).replace(/^"(.*)"$/, '$1');
      if (name === 'multicast') transport.multicast = true;
      else if (name === 'interleaved') transport.interleaved = portPair(arg, 255);
      else if (name === 'client_port') transport.clientPort = portPair(arg, 65535);
      else if (name === 'server_port') transport.serverPort = portPair(arg, 65535);
      else if (name === 'source') transport.source = arg;
      else if (name === 'destination') transport.destination = arg;
      else if (name === 'mode') transport.mode = arg;
      else if (name === 'ssrc' && /^[0-9A-Fa-f]{1,8}$/.test(arg)) transport.ssrc = Number.parseInt(arg, 16);
    }
    out.push(transport);
  }
  return out;
}

export function formatTransport(t: RtspTransport): string {
  const parts = [t.protocol, t.multicast ? 'multicast' : 'unicast'];
  if (t.destination !== undefined) parts.push(`destination=${t.destination}`);
  if (t.source !== undefined) parts.push(`source=${t.source}`);
  if (t.interleaved) parts.push(`interleaved=${t.interleaved[0]}-${t.interleaved[1]}`);
  if (t.clientPort) parts.push(`client_port=${t.clientPort[0]}-${t.clientPort[1]}`);
  if (t.serverPort) parts.push(`server_port=${t.serverPort[0]}-${t.serverPort[1]}`);
  if (t.ssrc !== undefined) parts.push(`ssrc=${(t.ssrc >>> 0).toString(16).toUpperCase().padStart(8, '0')}`);
  if (t.mode !== undefined) parts.push(`mode=${t.mode}`);
  const text = parts.join(';');
  if (/[\r\n,]/.test(text)) throw new MediaError(ERR_RTSP_PROTOCOL, 'invalid Transport field');
  return text;
}

export interface RtspSessionHeader {
  id: string;
  timeoutSec?: number;
}

/** "Session: 12345678;timeout=60" (RFC 2326 §12.37). */
export function parseSessionHeader(value: string): RtspSessionHeader {
  const [id, ...params] = value.split(';').map((p) => p.trim());
  if (!id || !/^[\x21-\x7e]{1,256}$/.test(id))
    throw new MediaError(ERR_RTSP_PROTOCOL, 'invalid Session header');
  const out: RtspSessionHeader = { id };
  for (const param of params) {
    const match = /^timeout\s*=\s*"?(\d{1,6})"?$/i.exec(param);
    if (match && Number(match[1]) > 0) out.timeoutSec = Number(match[1]);
  }
  return out;
}

export interface RtpInfoEntry {
  url: string;
  seq?: number;
  rtptime?: number;
}

/** "RTP-Info: url=...;seq=1;rtptime=2, url=..." (RFC 2326 §12.33); tolerant of odd servers. */
export function parseRtpInfo(value: string): RtpInfoEntry[] {
  const out: RtpInfoEntry[] = [];
  // URLs may contain commas and semicolons' neighbours; split only before the next "url=".
  for (const item of value.split(/,\s*(?=url=)/i)) {
    const entry: RtpInfoEntry = { url: '' };
    for (const part of item.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      const name = part.slice(0, eq).trim().toLowerCase();
      const arg = part
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
      if (name === 'url') entry.url = arg;
      else if (name === 'seq' && /^\d{1,5}$/.test(arg)) entry.seq = Number(arg) & 0xffff;
      else if (name === 'rtptime' && /^\d{1,10}$/.test(arg)) entry.rtptime = Number(arg) >>> 0;
    }
    if (entry.url !== '') out.push(entry);
  }
  return out;
}
