// RTP time <-> sender wall clock through RTCP sender reports (RFC 3550 §6.4.1): an SR pairs one RTP
// timestamp of a source with the sender's 64-bit NTP timestamp (§4: seconds since 1900 . 2^-32 s).
// Tracks of one sender share that NTP clock, so their SRs place a time of one track on another's.

/** The latest SR of one source, in the receiver's extended timestamp domain (the units' times). */
export interface RtpWallMapping {
  ssrc: number;
  /** The SR's RTP timestamp extended like the packets' timestamps (never wraps). */
  rtpTime: number;
  /** RTP clock rate of the track (Hz). */
  clockRate: number;
  /** The SR's NTP timestamp: whole seconds (uint32, wraps in 2036) and fraction (uint32, 2^-32 s). */
  ntpSeconds: number;
  ntpFraction: number;
  /** The same NTP timestamp as Unix milliseconds (fractional). */
  ntpTimeMs: number;
  /** Receiver time the SR arrived (ms), when known. */
  receivedAtMs: number | undefined;
}

const TWO_POW_32 = 0x1_0000_0000;

/**
 * The extended value of a 32-bit RTP timestamp nearest to `reference` (an extended timestamp of the
 * same source): wraps of the 32-bit field are undone as long as the two lie within 2^31 ticks.
 */
export function extendRtpTimestamp(timestamp32: number, reference: number): number {
  return reference + ((timestamp32 - reference) | 0);
}

/**
 * a − b in seconds for two NTP timestamps given as (seconds, fraction), exact to 2^-32 s in the
 * fraction; seconds compare modulo 2^32, so the era wrap of 2036 (RFC 5905 §6) is a small step.
 */
export function ntpDifferenceSeconds(
  aSeconds: number,
  aFraction: number,
  bSeconds: number,
  bFraction: number,
): number {
  return ((aSeconds - bSeconds) | 0) + (aFraction - bFraction) / TWO_POW_32;
}

/** Sender wall time (Unix ms) of an extended RTP time of the mapping's source. */
export function rtpTimeToWallMs(mapping: RtpWallMapping, rtpTime: number): number {
  return mapping.ntpTimeMs + ((rtpTime - mapping.rtpTime) * 1000) / mapping.clockRate;
}

/**
 * The instant at `rtpTime` on the `from` track's clock, expressed on the `to` track's clock (its
 * ticks, fractional, in the same extended domain as to.rtpTime). Both mappings must come from one
 * sender (one NTP clock); each track keeps its own clock rate.
 */
export function mapRtpTime(rtpTime: number, from: RtpWallMapping, to: RtpWallMapping): number {
  const seconds =
    (rtpTime - from.rtpTime) / from.clockRate +
    ntpDifferenceSeconds(from.ntpSeconds, from.ntpFraction, to.ntpSeconds, to.ntpFraction);
  return to.rtpTime + seconds * to.clockRate;
}
