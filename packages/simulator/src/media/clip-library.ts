// Fixture clips read once (MP4 reader of @argus/media), padded with filler NAL units up to the
// configured bitrate and packetized once into RTP packets (RFC 6184 / RFC 7798 / RFC 3640
// packetizers of @argus/media), shared by every camera: per send a camera only copies a packet and
// rewrites sequence number, timestamp and SSRC.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createPacketizer,
  MediaError,
  readMp4,
  type AccessUnit,
  type Mp4TrackInfo,
  type RtspServerTrack,
} from '@argus/media';
import type { StreamName, VideoCodecName } from '../camera/camera-device.js';
import { ERR_SIM_FIXTURE } from '../simulator-errors.js';
import { FillerPacketInterner } from './filler-packet-interner.js';
import {
  accessUnitBytes,
  FillerNalBuffer,
  h265TemporalIdPlus1,
  minFillerNalBytes,
  NAL_PREFIX_BYTES,
  planPadding,
  targetBytesPerFrame,
} from './filler-padding.js';
import { sdpTrackFor } from './sdp-tracks.js';

/** Every clip is exactly this long; loops are aligned to the wall-clock minute. */
export const CLIP_DURATION_MS = 60_000;
export const VIDEO_FRAME_MS = 40;
export const VIDEO_FRAMES_PER_CLIP = CLIP_DURATION_MS / VIDEO_FRAME_MS;
export const AUDIO_CLOCK_RATE = 16_000;
export const AUDIO_FRAME_SAMPLES = 1024;
export const VIDEO_PAYLOAD_TYPE = 96;
export const AUDIO_PAYLOAD_TYPE = 97;

export interface PacketizedFrame {
  /** Offset from the start of the clip (and of the wall-clock minute) in ms. */
  timeMs: number;
  isKey: boolean;
  /** Whole RTP packets with sequence number, timestamp and SSRC still to be written. */
  packets: Uint8Array[];
}

export interface PacketizedClip {
  kind: 'video' | 'audio';
  clockRate: number;
  frames: PacketizedFrame[];
  /** Bytes of the clip as stored by a recorder (NAL units with 4-byte prefixes; AAC frames). */
  mediaBytes: number;
  /** Of mediaBytes, filler NAL units added to reach the target bitrate (prefixes included). */
  fillerBytes: number;
  /** The m= section for this clip (payload type fixed, control assigned by the server). */
  sdp: RtspServerTrack;
  width?: number;
  height?: number;
}

export function defaultFixturesDir(): string {
  return fileURLToPath(new URL('../../../../fixtures/simulator/', import.meta.url));
}

export function videoClipFile(stream: StreamName, codec: VideoCodecName, motion: boolean): string {
  return `${stream}-${codec}-${motion ? 'motion' : 'still'}.mp4`;
}

export const AUDIO_CLIP_FILE = 'audio-aac.m4a';

/** Splits an MP4 video sample (length-prefixed NAL units, ISO/IEC 14496-15 §4.3) into NAL units. */
export function splitLengthPrefixed(data: Uint8Array, lengthSize: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p = 0;
  while (p + lengthSize <= data.length) {
    let n = 0;
    for (let i = 0; i < lengthSize; i++) n = n * 256 + data[p + i]!;
    p += lengthSize;
    if (n === 0 || p + n > data.length) throw new MediaError(ERR_SIM_FIXTURE, 'bad NAL unit length in clip');
    out.push(data.subarray(p, p + n));
    p += n;
  }
  return out;
}

function firstTrack(tracks: Mp4TrackInfo[], handler: string, file: string): Mp4TrackInfo {
  const track = tracks.find((t) => t.handlerType === handler && t.config !== undefined);
  if (track === undefined) throw new MediaError(ERR_SIM_FIXTURE, `${file} has no usable ${handler} track`);
  return track;
}

/** Stream bitrate the simulator pads each clip to (kbit/s; 0 = the clip as encoded). */
export type VideoBitrateKbps = Record<StreamName, number>;

export const DEFAULT_VIDEO_BITRATE_KBPS: Readonly<VideoBitrateKbps> = { main: 4000, sub: 512 };

export interface VideoClipPadding {
  bitrateKbps: number;
  /** Shares identical filler packets across the clips of one codec. */
  interner?: FillerPacketInterner;
}

export async function loadVideoClip(file: string, padding?: VideoClipPadding): Promise<PacketizedClip> {
  const mp4 = readMp4(await readFile(file));
  const track = firstTrack(mp4.tracks, 'vide', file);
  const config = track.config!;
  if (config.codec !== 'h264' && config.codec !== 'h265')
    throw new MediaError(ERR_SIM_FIXTURE, `${file}: not H.264/H.265`);
  const paramSets =
    config.codec === 'h264' ? [...config.sps, ...config.pps] : [...config.vps, ...config.sps, ...config.pps];
  const packetizer = createPacketizer(config.codec, {
    ssrc: 0,
    payloadType: VIDEO_PAYLOAD_TYPE,
    aggregate: true,
  });
  const samples = mp4.samples.filter((s) => s.trackId === track.trackId);
  if (samples.length !== VIDEO_FRAMES_PER_CLIP) {
    throw new MediaError(
      ERR_SIM_FIXTURE,
      `${file}: expected ${VIDEO_FRAMES_PER_CLIP} frames, found ${samples.length}`,
    );
  }
  const codec = config.codec;
  const units = samples.map((s) => {
    const nalus = splitLengthPrefixed(s.data, track.nalLengthSize ?? 4);
    return s.isKey ? [...paramSets, ...nalus] : nalus;
  });
  const sizes = units.map((nalus, i) => ({ sizeBytes: accessUnitBytes(nalus), isKey: samples[i]!.isKey }));
  const pads = planPadding(
    sizes,
    targetBytesPerFrame(padding?.bitrateKbps ?? 0, VIDEO_FRAME_MS),
    NAL_PREFIX_BYTES + minFillerNalBytes(codec),
  );
  const interner = padding?.interner ?? new FillerPacketInterner(codec);
  const filler = new FillerNalBuffer(codec);
  let mediaBytes = 0;
  let fillerBytes = 0;
  const frames = units.map((coded, i): PacketizedFrame => {
    const pad = pads[i]!;
    const tid = codec === 'h265' ? h265TemporalIdPlus1(coded) : 1;
    const nalus = pad > 0 ? [...coded, filler.nal(pad - NAL_PREFIX_BYTES, tid)] : coded;
    mediaBytes += sizes[i]!.sizeBytes + pad;
    fillerBytes += pad;
    const isKey = samples[i]!.isKey;
    const au: AccessUnit = { kind: 'video', codec, pts90k: 0, isKey, nalus };
    const packets = packetizer.packetize(au, 0).map((p) => interner.intern(p));
    return { timeMs: i * VIDEO_FRAME_MS, isKey, packets };
  });
  if (!frames.every((f, i) => f.isKey === (i % 25 === 0))) {
    throw new MediaError(ERR_SIM_FIXTURE, `${file}: keyframes must be every 25 frames`);
  }
  return {
    kind: 'video',
    clockRate: 90_000,
    frames,
    mediaBytes,
    fillerBytes,
    sdp: sdpTrackFor(config, VIDEO_PAYLOAD_TYPE),
    width: config.width,
    height: config.height,
  };
}

export async function loadAudioClip(file: string): Promise<PacketizedClip> {
  const mp4 = readMp4(await readFile(file));
  const track = firstTrack(mp4.tracks, 'soun', file);
  const config = track.config!;
  if (config.codec !== 'aac' || config.sampleRate !== AUDIO_CLOCK_RATE) {
    throw new MediaError(ERR_SIM_FIXTURE, `${file}: expected AAC at ${AUDIO_CLOCK_RATE} Hz`);
  }
  // The edit list skips the encoder priming; keep only frames that end within the minute.
  const skip = track.editList[0]?.mediaTime ?? 0;
  const packetizer = createPacketizer('aac', { ssrc: 0, payloadType: AUDIO_PAYLOAD_TYPE });
  const lastStart = (CLIP_DURATION_MS * AUDIO_CLOCK_RATE) / 1000 - AUDIO_FRAME_SAMPLES;
  const frames: PacketizedFrame[] = [];
  let mediaBytes = 0;
  for (const s of mp4.samples) {
    if (s.trackId !== track.trackId) continue;
    const t = s.ptsTicks - skip;
    if (t < 0 || t > lastStart) continue;
    const au: AccessUnit = {
      kind: 'audio',
      codec: 'aac',
      ptsTicks: 0,
      clockRate: AUDIO_CLOCK_RATE,
      data: s.data,
    };
    mediaBytes += s.data.length;
    frames.push({ timeMs: (t * 1000) / AUDIO_CLOCK_RATE, isKey: true, packets: packetizer.packetize(au, 0) });
  }
  return {
    kind: 'audio',
    clockRate: AUDIO_CLOCK_RATE,
    frames,
    mediaBytes,
    fillerBytes: 0,
    sdp: sdpTrackFor(config, AUDIO_PAYLOAD_TYPE),
  };
}

/** Loads each clip once, on first use, pads it to its stream's bitrate and shares it. */
export class ClipLibrary {
  private readonly clips = new Map<string, Promise<PacketizedClip>>();
  private readonly interners = {
    h264: new FillerPacketInterner('h264'),
    h265: new FillerPacketInterner('h265'),
  };

  constructor(
    readonly dir: string = defaultFixturesDir(),
    readonly videoBitrateKbps: Readonly<VideoBitrateKbps> = DEFAULT_VIDEO_BITRATE_KBPS,
  ) {}

  private load(file: string, loader: (p: string) => Promise<PacketizedClip>): Promise<PacketizedClip> {
    let clip = this.clips.get(file);
    if (clip === undefined) {
      clip = loader(path.join(this.dir, file));
      clip.catch(() => this.clips.delete(file));
      this.clips.set(file, clip);
    }
    return clip;
  }

  videoPath(stream: StreamName, codec: VideoCodecName, motion: boolean): string {
    return path.join(this.dir, videoClipFile(stream, codec, motion));
  }

  /** The clip of a stream, padded to that stream's bitrate (the sub clips also serve the
   *  main stream's low-resolution fault, at the sub bitrate). */
  video(stream: StreamName, codec: VideoCodecName, motion: boolean): Promise<PacketizedClip> {
    const padding = { bitrateKbps: this.videoBitrateKbps[stream], interner: this.interners[codec] };
    return this.load(videoClipFile(stream, codec, motion), (file) => loadVideoClip(file, padding));
  }

  audio(): Promise<PacketizedClip> {
    return this.load(AUDIO_CLIP_FILE, loadAudioClip);
  }
}
