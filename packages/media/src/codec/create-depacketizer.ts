// Chooses and configures a depacketizer from an SDP media description (rtpmap encoding name, clock
// rate, fmtp: RFC 6184 §8.1, RFC 7798 §7.1, RFC 3640 §4.1, RFC 3551 static types).
import { MediaError } from '../media-error.js';
import { parseAacConfig } from './aac-config.js';
import { AacDepacketizer, type Rfc3640Params } from './aac-depacketizer.js';
import type { Depacketizer, DepacketizerOptions, TrackCodecDescription } from './depacketizer.js';
import { decodeSpropNalus, ERR_CODEC_PARAMETERS, ERR_CODEC_UNSUPPORTED, fmtpValue } from './depacketizer.js';
import { G711Depacketizer } from './g711-depacketizer.js';
import { H264Depacketizer } from './h264-depacketizer.js';
import { H265Depacketizer } from './h265-depacketizer.js';

function intParam(fmtp: Record<string, string>, key: string, fallback: number): number {
  const raw = fmtpValue(fmtp, key);
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = Number(raw.trim());
  if (!Number.isInteger(v) || v < 0 || v > 64)
    throw new MediaError(ERR_CODEC_PARAMETERS, `fmtp ${key} is invalid`);
  return v;
}

/** RFC 3640 AU-header layout from fmtp; AAC-hbr defaults (13/3/3) when the camera omits them. */
export function rfc3640ParamsFromFmtp(fmtp: Record<string, string>): Rfc3640Params {
  const mode = (fmtpValue(fmtp, 'mode') ?? 'AAC-hbr').toLowerCase();
  const lbr = mode === 'aac-lbr';
  const params: Rfc3640Params = {
    sizeLength: intParam(fmtp, 'sizelength', lbr ? 6 : 13),
    indexLength: intParam(fmtp, 'indexlength', lbr ? 2 : 3),
    indexDeltaLength: intParam(fmtp, 'indexdeltalength', lbr ? 2 : 3),
  };
  const optional = {
    ctsDeltaLength: intParam(fmtp, 'ctsdeltalength', 0),
    dtsDeltaLength: intParam(fmtp, 'dtsdeltalength', 0),
    streamStateIndication: intParam(fmtp, 'streamstateindication', 0),
    auxiliaryDataSizeLength: intParam(fmtp, 'auxiliarydatasizelength', 0),
  };
  for (const [k, v] of Object.entries(optional)) if (v > 0) Object.assign(params, { [k]: v });
  if (intParam(fmtp, 'randomaccessindication', 0) === 1) params.randomAccessIndication = true;
  if (params.sizeLength === 0) throw new MediaError(ERR_CODEC_PARAMETERS, 'fmtp sizelength is 0');
  return params;
}

/** Builds the depacketizer for a track; throws MediaError for codecs Argus does not record. */
export function createDepacketizer(
  track: TrackCodecDescription,
  options: DepacketizerOptions = {},
): Depacketizer {
  const name = track.encodingName.toUpperCase();
  const fmtp = track.fmtp;
  switch (name) {
    case 'H264':
      return new H264Depacketizer(decodeSpropNalus(fmtpValue(fmtp, 'sprop-parameter-sets')), options);
    case 'H265':
    case 'HEVC': {
      const sets = ['sprop-vps', 'sprop-sps', 'sprop-pps'].flatMap((k) =>
        decodeSpropNalus(fmtpValue(fmtp, k)),
      );
      const donlPresent = intParam(fmtp, 'sprop-max-don-diff', 0) > 0;
      return new H265Depacketizer(sets, { ...options, donlPresent });
    }
    case 'MPEG4-GENERIC': {
      let ticksPerAccessUnit = 1024;
      const config = fmtpValue(fmtp, 'config');
      if (config) {
        // AU spacing in RTP ticks: core frame length scaled from the core rate to the RTP clock.
        const asc = parseAacConfig(config.trim());
        ticksPerAccessUnit = Math.round((asc.samplesPerFrame * track.clockRate) / asc.sampleRate);
      }
      const aacOptions = { clockRate: track.clockRate, ticksPerAccessUnit };
      if (options.maxAccessUnitBytes !== undefined)
        Object.assign(aacOptions, { maxAccessUnitBytes: options.maxAccessUnitBytes });
      if (options.copyPayloads !== undefined)
        Object.assign(aacOptions, { copyPayloads: options.copyPayloads });
      return new AacDepacketizer(rfc3640ParamsFromFmtp(fmtp), aacOptions);
    }
    case 'PCMU':
      return new G711Depacketizer('pcmu', track.clockRate || 8000, options);
    case 'PCMA':
      return new G711Depacketizer('pcma', track.clockRate || 8000, options);
    default:
      throw new MediaError(ERR_CODEC_UNSUPPORTED, `no depacketizer for ${track.encodingName}`);
  }
}
