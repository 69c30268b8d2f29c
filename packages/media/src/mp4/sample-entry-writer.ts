// Sample entries of the stsd box: VisualSampleEntry avc1/hvc1 (ISO/IEC 14496-12 §12.1.3 with
// ISO/IEC 14496-15 §5.4.2 / §8.4.1), AudioSampleEntry mp4a (ISO/IEC 14496-14 §5.6) and the G.711
// entries ulaw/alaw (ISO/IEC 14496-12 §12.2.3 layout, as QuickTime and ffmpeg read them).
import type { ByteWriter } from '../bytes/byte-writer.js';
import { MediaError } from '../media-error.js';
import { writeAvcCBox } from './avc-config-box.js';
import { writeEsdsBox } from './esds-box.js';
import { writeHvcCBox } from './hevc-config-box.js';
import { ARGUS_ERR_MP4_BAD_CONFIG } from './mp4-error-codes.js';
import type { AudioTrackConfig, TrackConfig, VideoTrackConfig } from './mp4-track-config.js';

/** The sample entry four-character code written for a configuration. */
export function sampleEntryType(config: TrackConfig): string {
  switch (config.codec) {
    case 'h264':
      return 'avc1';
    case 'h265':
      return 'hvc1';
    case 'aac':
      return 'mp4a';
    case 'pcmu':
      return 'ulaw';
    case 'pcma':
      return 'alaw';
  }
}

function checkDimensions(config: VideoTrackConfig): void {
  const ok = (v: number): boolean => Number.isInteger(v) && v > 0 && v <= 0xffff;
  if (!ok(config.width) || !ok(config.height)) {
    throw new MediaError(ARGUS_ERR_MP4_BAD_CONFIG, `bad video size ${config.width}x${config.height}`);
  }
}

function writeVisualEntry(w: ByteWriter, config: VideoTrackConfig): void {
  checkDimensions(config);
  const box = w.startBox(sampleEntryType(config));
  w.zeros(6).u16(1); // reserved, data_reference_index
  w.u16(0).u16(0).zeros(12); // pre_defined, reserved, pre_defined[3]
  w.u16(config.width).u16(config.height);
  w.u32(0x00480000).u32(0x00480000); // 72 dpi
  w.u32(0).u16(1); // reserved, frame_count
  w.zeros(32); // compressorname (empty Pascal string)
  w.u16(0x0018).i16(-1); // depth, pre_defined
  if (config.codec === 'h264') writeAvcCBox(w, config.sps, config.pps);
  else writeHvcCBox(w, config);
  w.endBox(box);
}

function writeAudioEntry(w: ByteWriter, trackId: number, config: AudioTrackConfig): void {
  const rate = config.sampleRate;
  if (!Number.isInteger(rate) || rate <= 0 || rate > 0xffff) {
    throw new MediaError(ARGUS_ERR_MP4_BAD_CONFIG, `bad audio sample rate ${rate}`);
  }
  if (!Number.isInteger(config.channels) || config.channels <= 0 || config.channels > 0xffff) {
    throw new MediaError(ARGUS_ERR_MP4_BAD_CONFIG, `bad channel count ${config.channels}`);
  }
  const box = w.startBox(sampleEntryType(config));
  w.zeros(6).u16(1); // reserved, data_reference_index
  w.zeros(8); // reserved[2]
  w.u16(config.channels).u16(16); // channelcount, samplesize
  w.u16(0).u16(0); // pre_defined, reserved
  w.u32(rate * 0x10000); // samplerate 16.16
  if (config.codec === 'aac') writeEsdsBox(w, trackId, config.audioSpecificConfig, config.esds);
  w.endBox(box);
}

/** Writes one sample entry box for the configuration. */
export function writeSampleEntry(w: ByteWriter, trackId: number, config: TrackConfig): void {
  if (config.codec === 'h264' || config.codec === 'h265') writeVisualEntry(w, config);
  else writeAudioEntry(w, trackId, config);
}
