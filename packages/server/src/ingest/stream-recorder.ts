// The recorder of one camera stream over the storage side's RecordingWriter: maps the source's
// tracks (one video, optional audio) to MP4 track ids, passes a change of configuration on (the
// writer rotates the file at the next key picture), and ends runs with the session's reason.
import type { Mp4TrackSpec, TrackConfig } from '@argus/media';
import type { Logger } from '../base/index.js';
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
}

function mapTracks(tracks: readonly SourceTrack[]): { map: TrackMap; specs: Mp4TrackSpec[] } {
  const video = tracks.find((t) => t.info.kind === 'video');
  const ordered = [...(video ? [video] : []), ...tracks.filter((t) => t.info.kind === 'audio')];
  const map: TrackMap = { configs: new Map(), ids: new Map() };
  const specs = ordered.map((t, i): Mp4TrackSpec => {
    map.configs.set(t.trackIndex, t.config);
    map.ids.set(t.trackIndex, i + 1);
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
    const port: RecorderPort = {
      write(item: RecorderUnit, tracks: readonly SourceTrack[]): void {
        if (map === undefined || !sameTracks(map, tracks)) {
          if (!tracks.some((t) => t.info.kind === 'video')) return;
          const mapped = mapTracks(tracks);
          writer.setTracks(mapped.specs);
          map = mapped.map;
        }
        const trackId = map.ids.get(item.unit.trackIndex);
        if (trackId === undefined) return;
        writer.push(trackId, item.unit.accessUnit, item.receivedAtMs);
      },
      end: (reason, gapCause) => writer.endRun(reason, gapCause),
      get recording() {
        return writer.stats.state === 'recording';
      },
    };
    return port;
  };
}
