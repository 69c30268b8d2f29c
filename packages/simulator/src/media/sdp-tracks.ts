// SDP m= sections for the simulator's streams: H.264 (RFC 6184 §8.1: packetization-mode=1,
// profile-level-id, sprop-parameter-sets), H.265 (RFC 7798 §7.1: sprop-vps/sps/pps) and AAC
// (RFC 3640 §4.1 mpeg4-generic AAC-hbr with the AudioSpecificConfig in config=).
import type { RtspServerTrack, TrackConfig } from '@argus/media';
import { FRAME_RATE } from '../camera/camera-device.js';

const b64 = (u: Uint8Array): string => Buffer.from(u).toString('base64');
const hex = (u: Uint8Array): string => Buffer.from(u).toString('hex');

export function sdpTrackFor(config: TrackConfig, payloadType: number): RtspServerTrack {
  switch (config.codec) {
    case 'h264': {
      const sps = config.sps[0];
      return {
        mediaType: 'video',
        payloadType,
        encodingName: 'H264',
        clockRate: 90_000,
        framerate: FRAME_RATE,
        fmtp: {
          'packetization-mode': '1',
          ...(sps !== undefined && sps.length >= 4 ? { 'profile-level-id': hex(sps.subarray(1, 4)) } : {}),
          'sprop-parameter-sets': [...config.sps, ...config.pps].map(b64).join(','),
        },
      };
    }
    case 'h265':
      return {
        mediaType: 'video',
        payloadType,
        encodingName: 'H265',
        clockRate: 90_000,
        framerate: FRAME_RATE,
        fmtp: {
          'sprop-vps': config.vps.map(b64).join(','),
          'sprop-sps': config.sps.map(b64).join(','),
          'sprop-pps': config.pps.map(b64).join(','),
        },
      };
    case 'aac':
      return {
        mediaType: 'audio',
        payloadType,
        encodingName: 'MPEG4-GENERIC',
        clockRate: config.sampleRate,
        channels: config.channels,
        fmtp: {
          streamtype: '5',
          'profile-level-id': '15',
          mode: 'AAC-hbr',
          sizelength: '13',
          indexlength: '3',
          indexdeltalength: '3',
          config: hex(config.audioSpecificConfig),
        },
      };
    default:
      return { mediaType: 'audio', payloadType, encodingName: 'PCMU', clockRate: 8000, fmtp: {} };
  }
}
