// One received track from RTP packets to timed access units: RtpReceiver (order, loss, SR wall
// time, RFC 3550), depacketizer, DTS derivation, MP4 configuration from the first key picture, and
// counters. Transport-free, so an RTSP session, a capture file or a benchmark can feed it alike.
import type { AccessUnit, VideoAccessUnit } from '../access-unit.js';
import {
  createDepacketizer,
  decodeSpropNalus,
  fmtpValue,
  type Depacketizer,
  type TrackCodecDescription,
} from '../codec/index.js';
import { isMediaError } from '../media-error.js';
import type { TrackConfig, VideoTrackConfig } from '../mp4/index.js';
import {
  extendRtpTimestamp,
  parseRtcpCompound,
  parseRtpPacket,
  RtpReceiver,
  type RtcpReportBlock,
  type ReceivedRtpPacket,
  type RtpDeliver,
  type RtpPacket,
  type RtpWallMapping,
} from '../rtp/index.js';
import { DtsDeriver } from './dts-deriver.js';
import type { StreamAccessUnit, StreamTrackStats } from './track-pipeline-types.js';
import { h264ReorderDepth, h265ReorderDepth } from './reorder-depth.js';
import {
  audioTrackConfig,
  parameterSetsChanged,
  videoInfo,
  videoTrackConfig,
  type StreamTrackInfo,
} from './track-config.js';

export type { StreamAccessUnit, StreamTrackStats } from './track-pipeline-types.js';

export interface TrackPipelineOptions {
  trackIndex: number;
  track: TrackCodecDescription & { mediaType: string; framerate?: number };
  /** Packets held to restore order (UDP); 0 for TCP interleaved. */
  reorderWindow?: number;
  /**
   * The bytes given to pushRtp/pushRtcp are valid only during the call (a reused read buffer):
   * whatever is kept is copied (the depacketizer copies payloads; held packets are copied).
   */
  transientPackets?: boolean;
  onAccessUnit: (unit: StreamAccessUnit) => void;
  /**
   * Asked before each unit is handed to onAccessUnit: true promises that nothing of that unit will
   * be kept once onAccessUnit returns (what is needed is copied), so the pipeline reuses the unit's
   * memory for the next ones instead of allocating. Default: never.
   */
  releasesUnits?: () => boolean;
  /** Called when the MP4 configuration becomes known or changes (before the unit that carries it). */
  onConfig?: (pipeline: MediaTrackPipeline, changed: boolean) => void;
}

export class MediaTrackPipeline {
  readonly trackIndex: number;
  private readonly counters: StreamTrackStats = {
    packets: 0,
    bytes: 0,
    payloadBytes: 0,
    lost: 0,
    late: 0,
    malformedPackets: 0,
    accessUnits: 0,
    droppedAccessUnits: 0,
    skippedAccessUnits: 0,
    dtsAdjustments: 0,
    configChanges: 0,
    senderReports: 0,
    byeReceived: false,
  };
  private currentInfo: StreamTrackInfo;
  private currentConfig: TrackConfig | undefined;
  private readonly receiver: RtpReceiver;
  private readonly depacketizer: Depacketizer;
  private readonly transient: boolean;
  private readonly reorderWindow: number;
  private readonly videoCodec: 'h264' | 'h265' | undefined;
  private dts: DtsDeriver | undefined;
  private readonly sdpFrameRate: number | undefined;
  private anchor: { wallMs: number; ticks: number } | undefined;
  private playAnchor: { rtpTime: number; wallMs: number } | undefined;
  /** The first packet's RTP time and arrival (a UDP reorder window releases packets later). */
  private firstArrival: { timestamp: number; arrivalMs: number } | undefined;
  private pendingSince: number | undefined;
  /** Arrival time of the packet being pushed, and whether the receiver released any packet. */
  private arrivalMs = 0;
  private released = false;
  /** Key pictures dropped because their parameter sets did not parse. */
  private configDrops = 0;
  private readonly onAccessUnit: (unit: StreamAccessUnit) => void;
  private readonly releasesUnits: (() => boolean) | undefined;
  private readonly onConfig: TrackPipelineOptions['onConfig'];

  /** Throws MediaError (ARGUS_ERR_CODEC_UNSUPPORTED, ARGUS_ERR_STREAM_TRACK_CONFIG) for unusable tracks. */
  constructor(options: TrackPipelineOptions) {
    const { track } = options;
    this.trackIndex = options.trackIndex;
    this.onAccessUnit = options.onAccessUnit;
    this.releasesUnits = options.releasesUnits;
    this.onConfig = options.onConfig;
    this.sdpFrameRate = track.framerate;
    this.transient = options.transientPackets ?? false;
    this.depacketizer = createDepacketizer(track, this.transient ? { copyPayloads: true } : {});
    this.reorderWindow = options.reorderWindow ?? 0;
    this.receiver = new RtpReceiver({ clockRate: track.clockRate, reorderWindow: this.reorderWindow });
    const name = track.encodingName.toUpperCase();
    if (name === 'H264' || name === 'H265' || name === 'HEVC') {
      this.videoCodec = name === 'H264' ? 'h264' : 'h265';
      this.currentInfo = spropInfo(this.videoCodec, track) ?? {
        kind: 'video',
        codec: this.videoCodec,
        codecString: '',
        clockRate: 90_000,
      };
      if (this.sdpFrameRate !== undefined && this.currentInfo.frameRate === undefined)
        this.currentInfo.frameRate = this.sdpFrameRate;
    } else {
      const audio = audioTrackConfig(track);
      this.currentInfo = audio.info;
      this.currentConfig = audio.config;
    }
  }

  /** Counters (synced from the receiver and depacketizer on read, not per packet). */
  get stats(): StreamTrackStats {
    this.syncStats();
    return this.counters;
  }

  get info(): StreamTrackInfo {
    return this.currentInfo;
  }

  /** MP4 configuration: audio from the SDP; video once the first key picture arrived. */
  get config(): TrackConfig | undefined {
    return this.currentConfig;
  }

  /** Timescale to record this track with (90 kHz video; the RTP clock for audio, no rescaling). */
  get timescale(): number {
    return this.currentInfo.clockRate;
  }

  /** The latest RTCP sender report of the track's source as a time mapping, if one arrived. */
  get senderReport(): RtpWallMapping | undefined {
    return this.receiver.senderReport;
  }

  get wallClockSource(): 'rtcp' | 'arrival' {
    return this.counters.senderReports > 0 ? 'rtcp' : 'arrival';
  }

  /** Frames per second measured on RTP timestamps of the emitted units (video), if two or more. */
  get measuredFrameRate(): number | undefined {
    const { firstPts, lastPts, accessUnits } = this.counters;
    if (this.videoCodec === undefined || firstPts === undefined || lastPts === undefined) return undefined;
    if (accessUnits < 2 || lastPts <= firstPts) return undefined;
    return ((accessUnits - 1) * 90_000) / (lastPts - firstPts);
  }

  /** Payload bitrate in bit/s over the span of packet arrivals, if measurable. */
  get measuredBitrate(): number | undefined {
    const { firstPacketAtMs, lastPacketAtMs, payloadBytes } = this.counters;
    if (firstPacketAtMs === undefined || lastPacketAtMs === undefined) return undefined;
    const spanMs = lastPacketAtMs - firstPacketAtMs;
    return spanMs > 0 ? (payloadBytes * 8000) / spanMs : undefined;
  }

  /** One RTP datagram (or interleaved frame). Never throws on content; damage is counted. */
  pushRtp(data: Uint8Array, receivedAtMs: number): void {
    const stats = this.counters;
    stats.packets++;
    stats.bytes += data.length;
    stats.firstPacketAtMs ??= receivedAtMs;
    stats.lastPacketAtMs = receivedAtMs;
    let packet: RtpPacket;
    try {
      // A reorder window may hold the packet past this call: it needs its own bytes then.
      packet = parseRtpPacket(this.transient && this.reorderWindow > 0 ? new Uint8Array(data) : data);
    } catch (err) {
      if (!isMediaError(err)) throw err;
      stats.malformedPackets++;
      return;
    }
    stats.payloadBytes += packet.payload.length;
    this.firstArrival ??= { timestamp: packet.timestamp, arrivalMs: receivedAtMs };
    this.arrivalMs = receivedAtMs;
    this.released = false;
    this.receiver.receive(packet, this.onReleased);
    if (!this.released) this.pendingSince ??= receivedAtMs;
  }

  /** A packet the receiver released in order (no array or wrapper per packet on this path). */
  private readonly onReleased: RtpDeliver = (packet, _sequence, extendedTimestamp, lostBefore) => {
    this.released = true;
    this.pendingSince = undefined;
    this.anchor ??= this.anchorFor(extendedTimestamp, this.arrivalMs);
    const units = this.depacketizer.push(packet, extendedTimestamp, lostBefore);
    if (units.length > 0) this.emitUnits(units);
  };

  /** RTCP compound packet: sender reports anchor wall time, BYE marks the end of the source. */
  pushRtcp(data: Uint8Array, receivedAtMs: number): void {
    let packets;
    try {
      packets = parseRtcpCompound(data);
    } catch (err) {
      if (!isMediaError(err)) throw err;
      this.counters.malformedPackets++;
      return;
    }
    for (const p of packets) {
      if (p.type === 'sr') {
        if (this.receiver.sourceSsrc !== undefined && p.ssrc !== this.receiver.sourceSsrc) continue;
        this.receiver.onSenderReport(p, receivedAtMs);
        this.counters.senderReports++;
      } else if (p.type === 'bye') {
        const ssrc = this.receiver.sourceSsrc;
        if (ssrc === undefined || p.ssrcs.includes(ssrc)) this.counters.byeReceived = true;
      }
    }
  }

  /**
   * Releases packets the UDP reorder window has held longer than maxHoldMs, declaring the gaps
   * lost (RtpReceiver counts packets, not time, so a timer must call this).
   */
  flushReorder(nowMs: number, maxHoldMs: number): void {
    if (this.pendingSince === undefined || nowMs - this.pendingSince < maxHoldMs) return;
    this.pendingSince = undefined;
    this.deliver(this.receiver.flush(), nowMs);
  }

  /** End of stream: releases held packets and the unit still being assembled. */
  end(nowMs: number): void {
    this.pendingSince = undefined;
    this.deliver(this.receiver.flush(), nowMs);
    this.emitUnits(this.depacketizer.flush());
  }

  /**
   * RTP-Info of the PLAY reply (RFC 2326 §12.33): `rtpTime` on this track is the same instant as on
   * every other track; anchoring all tracks at one wall time for it keeps them in sync until an RTCP
   * SR arrives (first-packet arrival would add each encoder's latency).
   */
  setPlayAnchor(rtpTime: number, wallMs: number): void {
    this.playAnchor = { rtpTime: rtpTime >>> 0, wallMs };
    if (this.anchor !== undefined) this.anchor = this.anchorFor(this.anchor.ticks, this.anchor.wallMs);
  }

  reportBlock(nowMs: number): RtcpReportBlock | undefined {
    return this.receiver.reportBlock(nowMs);
  }

  /** Wall time (Unix ms) of a time on this track's clock. */
  wallTimeMs(ticks: number): number {
    const sr = this.receiver.wallTimeMs(ticks);
    if (sr !== undefined) return sr;
    const a = this.anchor;
    return a === undefined ? Number.NaN : a.wallMs + ((ticks - a.ticks) * 1000) / this.currentInfo.clockRate;
  }

  private deliver(list: ReceivedRtpPacket[], receivedAtMs: number): void {
    for (let i = 0; i < list.length; i++) {
      const r = list[i]!;
      this.anchor ??= this.anchorFor(r.extendedTimestamp, receivedAtMs);
      const units = this.depacketizer.push(r.packet, r.extendedTimestamp, r.lostBefore);
      if (units.length > 0) this.emitUnits(units);
    }
  }

  /** The wall-clock anchor: RTP-Info's rtptime when near the stream's time, else first arrival. */
  private anchorFor(ticks: number, arrivalMs: number): { wallMs: number; ticks: number } {
    const play = this.playAnchor;
    const near = 10 * this.currentInfo.clockRate;
    if (play !== undefined) {
      const delta = (play.rtpTime - (ticks % 0x1_0000_0000)) | 0;
      if (Math.abs(delta) <= near) return { ticks: ticks + delta, wallMs: play.wallMs };
    }
    const first = this.firstArrival;
    if (first !== undefined) {
      const firstTicks = extendRtpTimestamp(first.timestamp, ticks);
      if (Math.abs(firstTicks - ticks) <= near) return { ticks: firstTicks, wallMs: first.arrivalMs };
    }
    return { wallMs: arrivalMs, ticks };
  }

  private emitUnits(units: AccessUnit[]): void {
    let released = true;
    for (let i = 0; i < units.length; i++) {
      const au = units[i]!;
      let pts: number;
      if (au.kind === 'video') {
        if (au.isKey && !this.acceptKey(au)) {
          this.configDrops++;
          continue;
        }
        if (this.dts === undefined) continue; // no configuration yet (cannot happen after a key)
        au.dts90k = this.dts.push(au.pts90k);
        pts = au.pts90k;
      } else {
        pts = au.ptsTicks;
      }
      const c = this.counters;
      c.accessUnits++;
      c.firstPts ??= pts;
      c.lastPts = pts;
      if (released && this.releasesUnits?.() !== true) released = false;
      this.onAccessUnit({
        trackIndex: this.trackIndex,
        info: this.currentInfo,
        accessUnit: au,
        wallTimeMs: this.wallTimeMs(pts),
        senderReport: this.receiver.senderReport,
      });
    }
    if (released) this.depacketizer.recycle?.();
  }

  /** First key picture: configuration; later ones: detect changed parameter sets. */
  private acceptKey(au: VideoAccessUnit): boolean {
    const current = this.currentConfig as VideoTrackConfig | undefined;
    if (current !== undefined && !parameterSetsChanged(current, au.nalus)) return true;
    let config: VideoTrackConfig;
    try {
      config = videoTrackConfig(au.codec, au.nalus);
    } catch (err) {
      if (!isMediaError(err)) throw err;
      return false;
    }
    this.currentConfig = config;
    this.currentInfo = videoInfo(config, this.sdpFrameRate);
    if (current !== undefined) this.counters.configChanges++;
    if (this.dts === undefined) {
      const sps = config.sps[0]!;
      const depth = config.codec === 'h264' ? h264ReorderDepth(sps) : h265ReorderDepth(sps);
      const rate = this.currentInfo.frameRate;
      this.dts = new DtsDeriver({
        ...(depth !== undefined ? { reorderDepth: depth } : {}),
        ...(rate !== undefined && rate > 0 && rate <= 240 ? { frameDuration90k: 90_000 / rate } : {}),
      });
    }
    this.onConfig?.(this, current !== undefined);
    return true;
  }

  private syncStats(): void {
    const r = this.receiver.stats;
    const d = this.depacketizer.stats;
    const s = this.counters;
    s.lost = r.lost;
    s.late = r.late;
    s.droppedAccessUnits = d.droppedAccessUnits + this.configDrops;
    s.skippedAccessUnits = d.skippedAccessUnits;
    s.dtsAdjustments = this.dts?.adjustments ?? 0;
  }
}

/** Video info from SDP sprop parameter sets (before any key picture), when they parse. */
function spropInfo(
  codec: 'h264' | 'h265',
  track: TrackCodecDescription & { framerate?: number },
): StreamTrackInfo | undefined {
  const keys = codec === 'h264' ? ['sprop-parameter-sets'] : ['sprop-vps', 'sprop-sps', 'sprop-pps'];
  const nalus = keys.flatMap((k) => decodeSpropNalus(fmtpValue(track.fmtp, k)));
  if (nalus.length === 0) return undefined;
  try {
    return videoInfo(videoTrackConfig(codec, nalus), track.framerate);
  } catch (err) {
    if (!isMediaError(err)) throw err;
    return undefined;
  }
}
