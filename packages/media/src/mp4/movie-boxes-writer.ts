// The movie-level boxes both writers share (ISO/IEC 14496-12): ftyp §4.3, mvhd §8.2.2, trak with
// tkhd §8.3.2, edts/elst §8.6.5-6, mdia/mdhd §8.4.2, hdlr §8.4.3, vmhd/smhd §12.1.2/§12.2.2,
// dinf/dref §8.7.1-2 and stsd §8.5.2. Version 1 (64-bit) fields are used only when a value needs it.
import type { ByteWriter } from '../bytes/byte-writer.js';
import { writeSampleEntry } from './sample-entry-writer.js';
import { isVideoConfig, type Mp4TrackSpec } from './mp4-track-config.js';

/** Seconds between 1904-01-01 (the MP4 epoch) and 1970-01-01. */
const MP4_EPOCH_OFFSET_S = 2_082_844_800;
const U32_MAX = 0xffff_ffff;
const UNITY_MATRIX = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];

/** One edit list entry: times in the movie timescale (duration) and media timescale (mediaTime). */
export interface EditListEntry {
  segmentDuration: number;
  /** -1 for an empty edit (a gap before the media starts). */
  mediaTime: number;
}

export interface TrakBoxOptions {
  track: Mp4TrackSpec;
  timescale: number;
  /** Duration in the media timescale (0 for fragmented files). */
  mediaDuration: number;
  /** Duration in the movie timescale (tkhd). */
  movieDuration: number;
  creationTimeMs: number;
  edits?: readonly EditListEntry[];
  /** Writes stts/ctts/stss/stsc/stsz/stco after stsd. */
  writeSampleTables: (w: ByteWriter) => void;
}

export function mp4Time(epochMs: number): number {
  return Math.max(0, Math.floor(epochMs / 1000) + MP4_EPOCH_OFFSET_S);
}

export function writeFtyp(w: ByteWriter, major: string, minor: number, compatible: readonly string[]): void {
  const box = w.startBox('ftyp');
  w.fourcc(major).u32(minor);
  for (const b of compatible) w.fourcc(b);
  w.endBox(box);
}

function writeTimes(w: ByteWriter, v1: boolean, time: number): void {
  if (v1) w.u64(time).u64(time);
  else w.u32(time).u32(time);
}

export function writeMvhd(
  w: ByteWriter,
  timescale: number,
  duration: number,
  nextTrackId: number,
  creationTimeMs: number,
): void {
  const time = mp4Time(creationTimeMs);
  const v1 = duration > U32_MAX || time > U32_MAX;
  const box = w.startFullBox('mvhd', v1 ? 1 : 0, 0);
  writeTimes(w, v1, time);
  w.u32(timescale);
  if (v1) w.u64(duration);
  else w.u32(duration);
  w.u32(0x00010000).u16(0x0100).zeros(10); // rate 1.0, volume 1.0, reserved
  for (const m of UNITY_MATRIX) w.u32(m);
  w.zeros(24).u32(nextTrackId); // pre_defined[6]
  w.endBox(box);
}

function writeTkhd(w: ByteWriter, o: TrakBoxOptions, time: number): void {
  const v1 = o.movieDuration > U32_MAX || time > U32_MAX;
  const box = w.startFullBox('tkhd', v1 ? 1 : 0, 0x000003); // enabled, in movie
  writeTimes(w, v1, time);
  w.u32(o.track.trackId).u32(0);
  if (v1) w.u64(o.movieDuration);
  else w.u32(o.movieDuration);
  w.zeros(8).u16(0).u16(0); // reserved[2], layer, alternate_group
  const video = isVideoConfig(o.track.config);
  w.u16(video ? 0 : 0x0100).u16(0); // volume, reserved
  for (const m of UNITY_MATRIX) w.u32(m);
  const cfg = o.track.config;
  if (cfg.codec === 'h264' || cfg.codec === 'h265') w.u32(cfg.width * 0x10000).u32(cfg.height * 0x10000);
  else w.u32(0).u32(0);
  w.endBox(box);
}

function writeElst(w: ByteWriter, edits: readonly EditListEntry[]): void {
  const edts = w.startBox('edts');
  const v1 = edits.some((e) => e.segmentDuration > U32_MAX || e.mediaTime > 0x7fff_ffff);
  const box = w.startFullBox('elst', v1 ? 1 : 0, 0);
  w.u32(edits.length);
  for (const e of edits) {
    if (v1) w.u64(e.segmentDuration).i64(e.mediaTime);
    else w.u32(e.segmentDuration).i32(e.mediaTime);
    w.u16(1).u16(0); // media_rate 1.0
  }
  w.endBox(box);
  w.endBox(edts);
}

function writeMdhd(w: ByteWriter, timescale: number, duration: number, time: number): void {
  const v1 = duration > U32_MAX || time > U32_MAX;
  const box = w.startFullBox('mdhd', v1 ? 1 : 0, 0);
  writeTimes(w, v1, time);
  w.u32(timescale);
  if (v1) w.u64(duration);
  else w.u32(duration);
  w.u16(0x55c4).u16(0); // language 'und', pre_defined
  w.endBox(box);
}

function writeHdlr(w: ByteWriter, video: boolean): void {
  const box = w.startFullBox('hdlr', 0, 0);
  w.u32(0)
    .fourcc(video ? 'vide' : 'soun')
    .zeros(12);
  for (const c of video ? 'VideoHandler' : 'SoundHandler') w.u8(c.charCodeAt(0));
  w.u8(0);
  w.endBox(box);
}

function writeMinfHeaderAndDinf(w: ByteWriter, video: boolean): void {
  if (video) {
    const vmhd = w.startFullBox('vmhd', 0, 1);
    w.u16(0).zeros(6); // graphicsmode copy, opcolor
    w.endBox(vmhd);
  } else {
    const smhd = w.startFullBox('smhd', 0, 0);
    w.i16(0).u16(0); // balance, reserved
    w.endBox(smhd);
  }
  const dinf = w.startBox('dinf');
  const dref = w.startFullBox('dref', 0, 0);
  w.u32(1);
  const url = w.startFullBox('url ', 0, 1); // media data in this file
  w.endBox(url);
  w.endBox(dref);
  w.endBox(dinf);
}

/** Writes a complete trak box. */
export function writeTrak(w: ByteWriter, o: TrakBoxOptions): void {
  const time = mp4Time(o.creationTimeMs);
  const video = isVideoConfig(o.track.config);
  const trak = w.startBox('trak');
  writeTkhd(w, o, time);
  if (o.edits !== undefined && o.edits.length > 0) writeElst(w, o.edits);
  const mdia = w.startBox('mdia');
  writeMdhd(w, o.timescale, o.mediaDuration, time);
  writeHdlr(w, video);
  const minf = w.startBox('minf');
  writeMinfHeaderAndDinf(w, video);
  const stbl = w.startBox('stbl');
  const stsd = w.startFullBox('stsd', 0, 0);
  w.u32(1);
  writeSampleEntry(w, o.track.trackId, o.track.config);
  w.endBox(stsd);
  o.writeSampleTables(w);
  w.endBox(stbl);
  w.endBox(minf);
  w.endBox(mdia);
  w.endBox(trak);
}
