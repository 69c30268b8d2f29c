// Where the client's media arrives and where its RTCP goes: interleaved channel -> track
// (RFC 2326 §10.12), UDP port pairs accepting only the camera's address (RFC 2326 §12.39), and
// receiver reports with SDES CNAME sent back per track (RFC 3550 §6.4.2, §6.5.1).
import { MediaError } from '../media-error.js';
import { type RtcpReportBlock, buildReceiverReport, buildRtcpCompound, buildSdes } from '../rtp/index.js';
import type { UdpPortPair } from './rtsp-client-transport-udp.js';
import { ERR_RTSP_PROTOCOL } from './rtsp-errors.js';
import { buildInterleavedFrame } from './rtsp-message.js';

export type RtspDeliver = (trackIndex: number, channel: 'rtp' | 'rtcp', data: Uint8Array) => void;

interface Route {
  trackIndex: number;
  channel: 'rtp' | 'rtcp';
}

export class RtspClientRoutes {
  private readonly channels: Array<Route | undefined> = new Array(256).fill(undefined);
  private readonly pairs: UdpPortPair[] = [];
  private readonly rtcpTargets: Array<{ trackIndex: number; send: (bytes: Uint8Array) => void }> = [];
  private readonly ssrc = (Math.random() * 0x1_0000_0000) >>> 0;

  constructor(
    private readonly deliver: RtspDeliver,
    private readonly onSocketError: (err: MediaError) => void,
    /** Counts datagrams from other addresses and frames on unknown channels. */
    private readonly stats: { packetsRejected: number },
  ) {}

  /** Keeps a bound pair so close() releases it even if SETUP fails. */
  holdPair(pair: UdpPortPair): void {
    this.pairs.push(pair);
  }

  addTcp(
    trackIndex: number,
    [rtpChannel, rtcpChannel]: [number, number],
    writeFrame: (frame: Uint8Array) => void,
  ): void {
    this.channels[rtpChannel] = { trackIndex, channel: 'rtp' };
    this.channels[rtcpChannel] = { trackIndex, channel: 'rtcp' };
    this.rtcpTargets.push({
      trackIndex,
      send: (bytes) => writeFrame(buildInterleavedFrame(rtcpChannel, bytes)),
    });
  }

  /** Accepts datagrams only from the camera: its control-connection address or Transport source=. */
  addUdp(
    trackIndex: number,
    pair: UdpPortPair,
    peer: string,
    source: string | undefined,
    serverRtcpPort?: number,
  ): void {
    const allowed = new Set([peer, `::ffff:${peer}`]);
    if (source !== undefined) allowed.add(source).add(`::ffff:${source}`);
    const accept = (channel: 'rtp' | 'rtcp') => (data: Buffer, from: { address: string }) => {
      if (allowed.has(from.address)) this.deliver(trackIndex, channel, data);
      else this.stats.packetsRejected++;
    };
    pair.rtp.on('message', accept('rtp'));
    pair.rtcp.on('message', accept('rtcp'));
    const onError = (): void =>
      this.onSocketError(new MediaError(ERR_RTSP_PROTOCOL, 'RTP UDP socket failed'));
    pair.rtp.on('error', onError);
    pair.rtcp.on('error', onError);
    if (serverRtcpPort !== undefined) {
      const to = source ?? peer;
      this.rtcpTargets.push({ trackIndex, send: (bytes) => pair.rtcp.send(bytes, serverRtcpPort, to) });
    }
  }

  onInterleaved(channel: number, data: Uint8Array): void {
    const route = this.channels[channel];
    if (route) this.deliver(route.trackIndex, route.channel, data);
    else this.stats.packetsRejected++;
  }

  /** Sends one RR+SDES compound per track; returns how many went out. */
  sendReceiverReports(blockFor: ((trackIndex: number) => RtcpReportBlock | undefined) | undefined): number {
    const sdes = buildSdes({ ssrc: this.ssrc, cname: 'argus' });
    let sent = 0;
    for (const target of this.rtcpTargets) {
      const block = blockFor?.(target.trackIndex);
      const rr = buildReceiverReport({ ssrc: this.ssrc, reports: block ? [block] : [] });
      try {
        target.send(buildRtcpCompound([rr, sdes]));
        sent++;
      } catch {
        // a closing socket: the session is ending anyway
      }
    }
    return sent;
  }

  close(): void {
    for (const pair of this.pairs) pair.close();
  }
}
