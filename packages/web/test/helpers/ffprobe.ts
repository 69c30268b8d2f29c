// ffprobe and ffmpeg as the independent judges of a downloaded file: what it contains, and
// whether every frame decodes.
import { execFileSync, spawnSync } from 'node:child_process';

export interface ProbedVideo {
  formatName: string;
  codec: string;
  width: number;
  height: number;
  durationS: number;
  frames: number;
}

export function probeFile(file: string): ProbedVideo {
  const json = execFileSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=codec_name,width,height,nb_read_frames:format=duration,format_name',
      '-of',
      'json',
      file,
    ],
    { encoding: 'utf8' },
  );
  const p = JSON.parse(json) as {
    streams: { codec_name: string; width: number; height: number; nb_read_frames: string }[];
    format: { duration: string; format_name: string };
  };
  const s = p.streams[0]!;
  return {
    formatName: p.format.format_name,
    codec: s.codec_name,
    width: s.width,
    height: s.height,
    durationS: Number(p.format.duration),
    frames: Number(s.nb_read_frames),
  };
}

/** ffmpeg's complaints while decoding every frame; '' for a clean file. */
export function decodeErrors(file: string): string {
  const r = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-i', file, '-f', 'null', '-'], {
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stderr.trim() : `exit ${r.status}: ${r.stderr.trim()}`;
}
