// MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1, GASpecificConfig §4.4.1): object type,
// sampling rate, channels and frame length, plus a builder and the RFC 6381 `mp4a.40.<aot>` string.
import { MediaError } from '../media-error.js';
import { BitReader } from './bit-reader.js';

export const ERR_AAC_CONFIG = 'ARGUS_ERR_AAC_CONFIG' as const;

/** Table 1.18 sampling frequencies by samplingFrequencyIndex. */
export const AAC_SAMPLE_RATES: readonly number[] = [
  96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
];

export interface AacConfig {
  /** audioObjectType as first signalled (2 = AAC LC, 5 = SBR, 29 = PS). */
  objectType: number;
  /** Core sampling rate in Hz. */
  sampleRate: number;
  /** Output sampling rate when SBR is signalled explicitly; otherwise equal to sampleRate. */
  extensionSampleRate: number;
  /** channelConfiguration (0 = defined in a program_config_element). */
  channelConfiguration: number;
  /** Output channel count (channelConfiguration 7 means 8 channels; 0 reported as 0). */
  channels: number;
  /** PCM samples per raw_data_block: 1024 or 960 (frameLengthFlag). */
  samplesPerFrame: number;
}

function readObjectType(r: BitReader): number {
  const aot = r.readBits(5);
  return aot === 31 ? 32 + r.readBits(6) : aot;
}

function readSampleRate(r: BitReader): number {
  const index = r.readBits(4);
  if (index === 0xf) return r.readBits(24);
  const rate = AAC_SAMPLE_RATES[index];
  if (rate === undefined) throw new MediaError(ERR_AAC_CONFIG, `reserved samplingFrequencyIndex ${index}`);
  return rate;
}

/** Parses an AudioSpecificConfig from bytes or from the hex string of an SDP `config=` parameter. */
export function parseAacConfig(config: Uint8Array | string): AacConfig {
  let bytes: Uint8Array;
  if (typeof config === 'string') {
    if (!/^([0-9a-fA-F]{2})+$/.test(config)) throw new MediaError(ERR_AAC_CONFIG, 'AAC config is not hex');
    bytes = Uint8Array.from(Buffer.from(config, 'hex'));
  } else {
    bytes = config;
  }
  const r = new BitReader(bytes);
  try {
    let objectType = readObjectType(r);
    const signalledType = objectType;
    const sampleRate = readSampleRate(r);
    let extensionSampleRate = sampleRate;
    const channelConfiguration = r.readBits(4);
    if (objectType === 5 || objectType === 29) {
      extensionSampleRate = readSampleRate(r);
      objectType = readObjectType(r);
    }
    if (sampleRate === 0) throw new MediaError(ERR_AAC_CONFIG, 'AAC sampling rate is 0');
    let samplesPerFrame = 1024;
    // GASpecificConfig starts with frameLengthFlag for the general audio object types.
    if ([1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23].includes(objectType) && r.bitsLeft > 0) {
      samplesPerFrame = r.readFlag() ? 960 : 1024;
    }
    return {
      objectType: signalledType,
      sampleRate,
      extensionSampleRate,
      channelConfiguration,
      channels: channelConfiguration === 7 ? 8 : channelConfiguration <= 6 ? channelConfiguration : 0,
      samplesPerFrame,
    };
  } catch (err) {
    if (err instanceof MediaError && err.code !== ERR_AAC_CONFIG) {
      throw new MediaError(ERR_AAC_CONFIG, 'AudioSpecificConfig is truncated', { cause: err });
    }
    throw err;
  }
}

/** Builds a minimal AudioSpecificConfig (GASpecificConfig with all flags 0). */
export function buildAacConfig(fields: {
  objectType: number;
  sampleRate: number;
  channels: number;
}): Uint8Array {
  const { objectType, sampleRate, channels } = fields;
  if (!Number.isInteger(objectType) || objectType < 1 || objectType > 95) {
    throw new MediaError(ERR_AAC_CONFIG, `invalid audioObjectType ${objectType}`);
  }
  if (!Number.isInteger(channels) || channels < 0 || channels > 8 || channels === 7) {
    throw new MediaError(ERR_AAC_CONFIG, `no channelConfiguration for ${channels} channels`);
  }
  if (!Number.isInteger(sampleRate) || sampleRate <= 0 || sampleRate > 0xffffff) {
    throw new MediaError(ERR_AAC_CONFIG, `invalid sample rate ${sampleRate}`);
  }
  const bits: [number, number][] = [];
  if (objectType >= 31) bits.push([31, 5], [objectType - 32, 6]);
  else bits.push([objectType, 5]);
  const index = AAC_SAMPLE_RATES.indexOf(sampleRate);
  if (index >= 0) bits.push([index, 4]);
  else bits.push([0xf, 4], [sampleRate, 24]);
  bits.push([channels === 8 ? 7 : channels, 4], [0, 3]); // frameLength, dependsOnCoreCoder, extension
  let totalBits = 0;
  for (const [, n] of bits) totalBits += n;
  const out = new Uint8Array(Math.ceil(totalBits / 8));
  let pos = 0;
  for (const [value, n] of bits) {
    for (let i = n - 1; i >= 0; i--) {
      if (Math.floor(value / 2 ** i) % 2 === 1) out[pos >> 3]! |= 0x80 >> (pos & 7);
      pos++;
    }
  }
  return out;
}

export function aacCodecString(config: Pick<AacConfig, 'objectType'>): string {
  return `mp4a.40.${config.objectType}`;
}
