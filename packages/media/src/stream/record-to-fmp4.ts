// Records an RtspMediaStream into one fragmented MP4: waits until every active track's
// configuration is known (video: first key picture with parameter sets), then feeds an
// Fmp4RecordingWriter until stopped, the stream ends, a parameter set changes or a write fails.
import { MediaError } from '../media-error.js';
import { fileDescriptorSink, type Fmp4Sink } from './fmp4-sink.js';
import {
  Fmp4RecordingWriter,
  type Fmp4RecordingOptions,
  type RecordingSummary,
} from './fmp4-recording-writer.js';
import { COPIES_ACCESS_UNITS, streamTrackConfigs, type RtspMediaStream } from './rtsp-media-stream.js';
import type { MediaTrackPipeline, StreamAccessUnit } from './track-pipeline.js';

export type RecordingEndReason =
  'stopped' | 'max-duration' | 'stream-ended' | 'stream-error' | 'config-changed' | 'write-error';

export interface Fmp4RecordingResult extends RecordingSummary {
  endReason: RecordingEndReason;
  /** The error behind 'stream-error' and 'write-error'. */
  error?: MediaError;
  /** False when no media was written (no key picture arrived before the end). */
  started: boolean;
}

export interface Fmp4Recording {
  /** Settles when the recording ends for any reason; never rejects. */
  readonly done: Promise<Fmp4RecordingResult>;
  /** Ends the recording (the stream stays open; close it yourself). */
  stop(): Promise<Fmp4RecordingResult>;
  /** Null until the configuration of every track is known. */
  readonly writer: Fmp4RecordingWriter | null;
}

const EMPTY_SUMMARY: RecordingSummary = {
  bytesWritten: 0,
  fragments: 0,
  tracks: [],
  durationMs: 0,
  skippedUnits: 0,
};

/**
 * Starts recording `stream` (call before or after `ready`; units before the first key picture are
 * skipped) into `target`, a sink or an open file descriptor.
 */
export function recordToFmp4(
  stream: RtspMediaStream,
  target: Fmp4Sink | number,
  options: Fmp4RecordingOptions = {},
): Fmp4Recording {
  const sink = typeof target === 'number' ? fileDescriptorSink(target) : target;
  let writer: Fmp4RecordingWriter | null = null;
  let ending: Promise<Fmp4RecordingResult> | undefined;
  let resolveDone!: (r: Fmp4RecordingResult) => void;
  const done = new Promise<Fmp4RecordingResult>((resolve) => (resolveDone = resolve));

  const end = (endReason: RecordingEndReason, error?: MediaError): Promise<Fmp4RecordingResult> => {
    if (ending) return ending;
    stream.off('accessUnit', onUnit);
    stream.off('config', onConfig);
    stream.off('close', onClose);
    ending = (async (): Promise<Fmp4RecordingResult> => {
      let summary = EMPTY_SUMMARY;
      let reason = endReason;
      let err = error;
      if (writer) {
        try {
          summary = await writer.finish();
        } catch (e) {
          reason = 'write-error';
          err = e instanceof MediaError ? e : undefined;
          summary = writer.summary();
        }
      }
      const result: Fmp4RecordingResult = { ...summary, endReason: reason, started: summary.fragments > 0 };
      if (err) result.error = err;
      resolveDone(result);
      return result;
    })();
    return ending;
  };

  function onUnit(unit: StreamAccessUnit): void {
    if (ending) return;
    if (writer === null) {
      const configs = streamTrackConfigs(stream);
      if (configs === undefined) return;
      writer = new Fmp4RecordingWriter(configs, sink, options);
    }
    try {
      writer.push(unit);
    } catch (err) {
      void end('write-error', err instanceof MediaError ? err : undefined);
      return;
    }
    if (writer.isFull) void end('max-duration');
  }

  function onConfig(_pipeline: MediaTrackPipeline, changed: boolean): void {
    // A new SPS (size, profile) cannot go on in this file: the caller starts the next one.
    if (changed && writer !== null) void end('config-changed');
  }

  function onClose(err: MediaError | undefined): void {
    void end(err ? 'stream-error' : 'stream-ended', err);
  }

  // The writer copies every unit it queues (SampleStore): the stream may reuse unit memory.
  Object.defineProperty(onUnit, COPIES_ACCESS_UNITS, { value: true });
  stream.on('accessUnit', onUnit);
  stream.on('config', onConfig);
  stream.on('close', onClose);
  if (stream.isClosed) void end('stream-ended');

  return {
    done,
    stop: () => end('stopped'),
    get writer() {
      return writer;
    },
  };
}
