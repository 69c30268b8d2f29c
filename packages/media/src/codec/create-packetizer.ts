// Chooses a packetizer for a codec, mirroring createDepacketizer for the sending side.
import type { AccessUnit } from '../access-unit.js';
import { AacPacketizer, G711Packetizer } from './audio-packetizer.js';
import type { Packetizer } from './packetizer.js';
import { VideoPacketizer, type VideoPacketizerOptions } from './video-packetizer.js';

export type PacketizerCodec =
  Extract<AccessUnit, { kind: 'video' }>['codec'] | Extract<AccessUnit, { kind: 'audio' }>['codec'];

export function createPacketizer(codec: PacketizerCodec, options: VideoPacketizerOptions): Packetizer {
  switch (codec) {
    case 'h264':
    case 'h265':
      return new VideoPacketizer(codec, options);
    case 'aac':
      return new AacPacketizer(options);
    case 'pcmu':
    case 'pcma':
      return new G711Packetizer(codec, options);
  }
}
