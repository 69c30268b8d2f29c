// ffprobe's view of where each track of a recording file starts and ends (stream start_time and
// every packet's pts/dts), to check that audio lies on the video's timeline in every file.
import { execFileSync } from 'node:child_process';

export interface ProbedTrack {
  /** ffprobe's stream start_time (s). */
  startTimeS: number;
  firstPtsS: number;
  lastPtsS: number;
  packets: number;
  /** Decode times strictly increase from packet to packet. */
  dtsIncreasing: boolean;
}

export interface ProbedAv {
  video: ProbedTrack;
  audio: ProbedTrack | undefined;
}

interface FfprobeJson {
  streams: { index: number; codec_type: string; start_time?: string }[];
  packets: { stream_index: number; pts_time?: string; dts_time?: string }[];
}

export function probeAv(file: string): ProbedAv {
  const out = JSON.parse(
    execFileSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-show_entries',
        'stream=index,codec_type,start_time:packet=stream_index,pts_time,dts_time',
        '-of',
        'json',
        file,
      ],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
    ),
  ) as FfprobeJson;
  const track = (type: string): ProbedTrack | undefined => {
    const s = out.streams.find((x) => x.codec_type === type);
    if (s === undefined) return undefined;
    const packets = out.packets.filter((p) => p.stream_index === s.index);
    if (packets.length === 0) return undefined;
    const pts = packets.map((p) => Number(p.pts_time));
    const dts = packets.map((p) => Number(p.dts_time ?? p.pts_time));
    return {
      startTimeS: Number(s.start_time),
      firstPtsS: Math.min(...pts),
      lastPtsS: Math.max(...pts),
      packets: packets.length,
      dtsIncreasing: dts.every((d, i) => i === 0 || d > dts[i - 1]!),
    };
  };
  const video = track('video');
  if (video === undefined) throw new Error(`${file} has no video packets`);
  return { video, audio: track('audio') };
}
