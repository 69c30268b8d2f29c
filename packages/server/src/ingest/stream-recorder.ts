// The recorder of one camera stream over the storage side's RecordingWriter: maps the source's
// tracks (one video, optional audio) to MP4 track ids, places audio on the video's clock (the files
// share one time origin; AudioAligner), passes a change of configuration on (the writer rotates the
// file at the next key picture), and ends runs with the session's reason.
import type { AudioAccessUnit, Mp4TrackSpec, TrackConfig } from '@argus/media';
import type { Logger } from '../base/index.js';
import { AudioAligner } from './audio-aligner.js';
import type { OpenRecorder, RecorderPort, RecorderUnit } from './recorder-port.js';
import {
  RecordingWriter,
  type RecordingWriterDeps,
  type RecordingWriterOptions,
} from './recording-writer.js';
import type { SourceTrack } from './stream-source.js';

export interface StreamRecorderDeps extends RecordingWriterDeps {
  logger?: Logger;
  /** Segment and fragment lengths; tests shorten them. */
  writerOptions?: Pick<RecordingWriterOptions, 'segmentDurationMs' | 'maxFragmentDurationMs'>;
}

interface TrackMap {
  /** Config objects the ids were assigned for (the pipelines replace them on a change). */
  configs: Map<number, TrackConfig>;
  ids: Map<number, number>;
  /** MP4 timescale of each track (audio is placed in it). */
  timescales: Map<number, number>;
}

function mapTracks(tracks: readonly SourceTrack[]): { map: TrackMap; specs: Mp4TrackSpec[] } {
  const video = tracks.find((t) => t.info.kind === 'video');
  const ordered = [...(video ? [video] : []), ...tracks.filter((t) => t.info.kind === 'audio')];
  const map: TrackMap = { configs: new Map(), ids: new Map(), timescales: new Map() };
  const specs = ordered.map((t, i): Mp4TrackSpec => {
    map.configs.set(t.trackIndex, t.config);
    map.ids.set(t.trackIndex, i + 1);
    map.timescales.set(t.trackIndex, t.timescale);
    return { trackId: i + 1, config: t.config, timescale: t.timescale };
  });
  return { map, specs };
}

function sameTracks(map: TrackMap, tracks: readonly SourceTrack[]): boolean {
  let n = 0;
  for (const t of tracks) {
    if (t.info.kind !== 'video' && t.info.kind !== 'audio') continue;
    if (map.configs.get(t.trackIndex) !== t.config) return false;
    n++;
  }
  return n === map.configs.size;
}

const NO_BYTES = new Uint8Array(0);

/** An OpenRecorder that writes through RecordingWriter (files, index, runs and gaps). */
export function recordingWriterRecorders(deps: StreamRecorderDeps): OpenRecorder {
  return async ({ cameraId, streamKind, storageLocationId }) => {
    const stream = await deps.catalog.streams.ensure(cameraId, streamKind);
    const writer = new RecordingWriter(deps, {
      cameraId,
      streamId: stream.id,
      streamKind,
      locationId: storageLocationId,
      ...deps.writerOptions,
    });
    let map: TrackMap | undefined;
    const aligner = new AudioAligner({
      onSource: (trackIndex, source, shiftMs) =>
        deps.logger?.debug(
          { event: 'recording.audio-clock', cameraId, streamKind, trackIndex, source, shiftMs },
          source === 'rtcp'
            ? 'audio placed on the video clock by RTCP sender reports'
            : 'audio placed by arrival',
        ),
    });
    // One reused unit carries placed audio to the writer (which copies its fields): the source's
    // unit stays untouched for the pre-buffer and live viewers.
    const placed: AudioAccessUnit = {
      kind: 'audio',
      codec: 'aac',
      ptsTicks: 0,
      clockRate: 1,
      data: NO_BYTES,
    };
    const port: RecorderPort = {
      write(item: RecorderUnit, tracks: readonly SourceTrack[]): void {
        if (map === undefined || !sameTracks(map, tracks)) {
          if (!tracks.some((t) => t.info.kind === 'video')) return;
          const mapped = mapTracks(tracks);
          writer.setTracks(mapped.specs);
          map = mapped.map;
        }
        const { unit, receivedAtMs } = item;
        const trackId = map.ids.get(unit.trackIndex);
        if (trackId === undefined) return;
        const au = unit.accessUnit;
        if (au.kind === 'video') {
          aligner.observeVideo(unit, au, receivedAtMs);
          aligner.videoRecorded(writer.push(trackId, au, receivedAtMs), au, receivedAtMs);
          return;
        }
        const timescale = map.timescales.get(unit.trackIndex) ?? au.clockRate;
        const ticks = aligner.place(unit, au, receivedAtMs, timescale);
        if (ticks === undefined) return;
        placed.codec = au.codec;
        placed.ptsTicks = ticks;
        placed.clockRate = timescale;
        placed.data = au.data;
        const recorded = writer.push(trackId, placed, receivedAtMs);
        placed.data = NO_BYTES;
        if (!recorded) aligner.endRun();
      },
      end: (reason, gapCause) => {
        aligner.endRun();
        return writer.endRun(reason, gapCause);
      },
      get recording() {
        return writer.stats.state === 'recording';
      },
    };
    return port;
  };
}
