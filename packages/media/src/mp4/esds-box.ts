// esds, the ES_Descriptor box of an MPEG-4 audio sample entry (ISO/IEC 14496-14 §5.6, descriptors
// of ISO/IEC 14496-1 §7.2.6.5–7.2.6.8). Descriptor sizes use the 4-byte 0x80-padded form, as
// ffmpeg and most muxers do, so read files rewrite to identical bytes.
import { ByteReader } from '../bytes/byte-reader.js';
import type { ByteWriter } from '../bytes/byte-writer.js';
import { ARGUS_ERR_MP4_MALFORMED } from '../bytes/byte-error-codes.js';
import { MediaError } from '../media-error.js';
import type { EsdsBitrates } from './mp4-track-config.js';

const TAG_ES = 0x03;
const TAG_DECODER_CONFIG = 0x04;
const TAG_DECODER_SPECIFIC = 0x05;
const TAG_SL_CONFIG = 0x06;
/** objectTypeIndication for MPEG-4 Audio (ISO/IEC 14496-3). */
const OTI_MPEG4_AUDIO = 0x40;

function descriptorHeader(w: ByteWriter, tag: number, size: number): void {
  w.u8(tag)
    .u8(0x80 | ((size >> 21) & 0x7f))
    .u8(0x80 | ((size >> 14) & 0x7f))
    .u8(0x80 | ((size >> 7) & 0x7f))
    .u8(size & 0x7f);
}

/** Writes the esds box; ES_ID is the track id (as ffmpeg writes it). */
export function writeEsdsBox(
  w: ByteWriter,
  trackId: number,
  audioSpecificConfig: Uint8Array,
  bitrates?: EsdsBitrates,
): void {
  const box = w.startFullBox('esds', 0, 0);
  const dsiSize = audioSpecificConfig.length;
  const dcdSize = 13 + 5 + dsiSize;
  const esSize = 3 + 5 + dcdSize + 5 + 1;
  descriptorHeader(w, TAG_ES, esSize);
  w.u16(trackId & 0xffff).u8(0);
  descriptorHeader(w, TAG_DECODER_CONFIG, dcdSize);
  w.u8(OTI_MPEG4_AUDIO).u8((0x05 << 2) | 1); // streamType audio, upStream 0, reserved 1
  w.u24(bitrates?.bufferSizeDb ?? 0)
    .u32(bitrates?.maxBitrate ?? 0)
    .u32(bitrates?.avgBitrate ?? 0);
  descriptorHeader(w, TAG_DECODER_SPECIFIC, dsiSize);
  w.bytes(audioSpecificConfig);
  descriptorHeader(w, TAG_SL_CONFIG, 1);
  w.u8(0x02); // predefined: reserved for use in MP4 files
  w.endBox(box);
}

export interface ParsedEsds {
  objectTypeIndication: number;
  audioSpecificConfig: Uint8Array;
  bitrates: EsdsBitrates;
}

function readDescriptor(r: ByteReader): { tag: number; body: ByteReader } {
  const tag = r.u8();
  let size = 0;
  for (let i = 0; i < 4; i++) {
    const b = r.u8();
    size = (size << 7) | (b & 0x7f);
    if ((b & 0x80) === 0) break;
  }
  return { tag, body: r.sub(size) };
}

/** Parses an esds payload (after the FullBox header); the config is a view into the input. */
export function parseEsds(payload: Uint8Array): ParsedEsds {
  const r = new ByteReader(payload, 0, payload.length, ARGUS_ERR_MP4_MALFORMED);
  const es = readDescriptor(r);
  if (es.tag !== TAG_ES) throw new MediaError(ARGUS_ERR_MP4_MALFORMED, `esds starts with tag ${es.tag}`);
  const b = es.body;
  b.skip(2);
  const flags = b.u8();
  if (flags & 0x80) b.skip(2); // dependsOn_ES_ID
  if (flags & 0x40) b.skip(b.u8()); // URL
  if (flags & 0x20) b.skip(2); // OCR_ES_Id
  while (b.remaining > 0) {
    const d = readDescriptor(b);
    if (d.tag !== TAG_DECODER_CONFIG) continue;
    const objectTypeIndication = d.body.u8();
    d.body.skip(1);
    const bitrates = { bufferSizeDb: d.body.u24(), maxBitrate: d.body.u32(), avgBitrate: d.body.u32() };
    while (d.body.remaining > 0) {
      const s = readDescriptor(d.body);
      if (s.tag === TAG_DECODER_SPECIFIC) {
        return { objectTypeIndication, audioSpecificConfig: s.body.bytesView(s.body.remaining), bitrates };
      }
    }
    throw new MediaError(ARGUS_ERR_MP4_MALFORMED, 'esds has no DecoderSpecificInfo');
  }
  throw new MediaError(ARGUS_ERR_MP4_MALFORMED, 'esds has no DecoderConfigDescriptor');
}
