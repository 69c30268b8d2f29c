// What a track pipeline emits and reports: the access unit with its wall time and the track's
// counters (apart from the class, which imports them).
import type { AccessUnit } from '../access-unit.js';
import type { RtpWallMapping } from '../rtp/index.js';
import type { StreamTrackInfo } from './track-config.js';

/** An access unit as the stream emits it: video units carry the derived dts90k. */
export interface StreamAccessUnit {
  trackIndex: number;
  /** The track's info when the unit was emitted (a new object after a configuration change). */
  info: StreamTrackInfo;
  accessUnit: AccessUnit;
  /** Wall time (Unix ms) of the unit's presentation time: RTCP SR mapping, else arrival anchor. */
  wallTimeMs: number;
  /** The track's latest RTCP SR (RTP <-> sender NTP time) when emitted; shared, never mutated. */
  senderReport?: RtpWallMapping | undefined;
}

export interface StreamTrackStats {
  /** RTP packets handed to the pipeline, and their bytes (headers included). */
  packets: number;
  bytes: number;
  /** RTP payload bytes (what the bitrate is measured on). */
  payloadBytes: number;
  /** Packets never received (sequence gaps), packets that came too late, malformed datagrams. */
  lost: number;
  late: number;
  malformedPackets: number;
  accessUnits: number;
  /** Access units dropped as damaged (loss, malformed, oversize, unusable parameter sets). */
  droppedAccessUnits: number;
  /** Intact units skipped while waiting for a key picture. */
  skippedAccessUnits: number;
  /** Decode times nudged to stay increasing (stream reordered deeper than known). */
  dtsAdjustments: number;
  /** Parameter-set changes after the first configuration. */
  configChanges: number;
  senderReports: number;
  byeReceived: boolean;
  firstPacketAtMs?: number;
  lastPacketAtMs?: number;
  firstPts?: number;
  lastPts?: number;
}
