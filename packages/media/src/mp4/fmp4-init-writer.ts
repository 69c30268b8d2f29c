// Init section of a fragmented MP4 (ISO/IEC 14496-12 §8.8): ftyp + moov whose sample tables are
// empty and whose mvex/trex (§8.8.1, §8.8.3) announces that samples arrive in movie fragments.
import { ByteWriter } from '../bytes/byte-writer.js';
import { MediaError } from '../media-error.js';
import { writeFtyp, writeMvhd, writeTrak } from './movie-boxes-writer.js';
import { ARGUS_ERR_MP4_BAD_CONFIG } from './mp4-error-codes.js';
import { trackTimescale, type Mp4TrackSpec } from './mp4-track-config.js';

/** Movie timescale of every file we write (milliseconds, as ffmpeg uses). */
export const MOVIE_TIMESCALE = 1000;

export interface Fmp4InitOptions {
  tracks: readonly Mp4TrackSpec[];
  /** Wall-clock creation time stored in mvhd/tkhd/mdhd; default 0 (1970) keeps output reproducible. */
  creationTimeMs?: number;
}

/** Throws unless track ids are distinct positive integers and timescales are positive. */
export function checkTracks(tracks: readonly Mp4TrackSpec[]): void {
  if (tracks.length === 0) throw new MediaError(ARGUS_ERR_MP4_BAD_CONFIG, 'an MP4 needs at least one track');
  const seen = new Set<number>();
  for (const t of tracks) {
    if (!Number.isInteger(t.trackId) || t.trackId <= 0 || t.trackId > 0xffff_fffe || seen.has(t.trackId)) {
      throw new MediaError(ARGUS_ERR_MP4_BAD_CONFIG, `bad or duplicate track id ${t.trackId}`);
    }
    seen.add(t.trackId);
    const ts = trackTimescale(t);
    if (!Number.isInteger(ts) || ts <= 0 || ts > 0xffff_ffff) {
      throw new MediaError(ARGUS_ERR_MP4_BAD_CONFIG, `bad timescale ${ts} for track ${t.trackId}`);
    }
  }
}

function writeEmptySampleTables(w: ByteWriter): void {
  for (const type of ['stts', 'stsc', 'stco']) {
    const b = w.startFullBox(type, 0, 0);
    w.u32(0);
    w.endBox(b);
  }
  const stsz = w.startFullBox('stsz', 0, 0);
  w.u32(0).u32(0);
  w.endBox(stsz);
}

/** Builds the init section (ftyp + moov) for the tracks; fragments from Fmp4Segmenter follow it. */
export function writeFmp4Init(options: Fmp4InitOptions): Uint8Array {
  const { tracks } = options;
  checkTracks(tracks);
  const creationTimeMs = options.creationTimeMs ?? 0;
  const w = new ByteWriter(1024);
  writeFtyp(w, 'iso6', 0, ['iso6', 'cmfc', 'mp41']);
  const moov = w.startBox('moov');
  writeMvhd(w, MOVIE_TIMESCALE, 0, Math.max(...tracks.map((t) => t.trackId)) + 1, creationTimeMs);
  for (const track of tracks) {
    writeTrak(w, {
      track,
      timescale: trackTimescale(track),
      mediaDuration: 0,
      movieDuration: 0,
      creationTimeMs,
      writeSampleTables: writeEmptySampleTables,
    });
  }
  const mvex = w.startBox('mvex');
  for (const track of tracks) {
    const trex = w.startFullBox('trex', 0, 0);
    w.u32(track.trackId).u32(1).u32(0).u32(0).u32(0); // description 1, no defaults
    w.endBox(trex);
  }
  w.endBox(mvex);
  w.endBox(moov);
  return w.toUint8Array();
}
