// The camera source a stream session reads: an injected `openSource` function returning timed
// access units (the default opens RTSP through @argus/media), so tests can feed synthetic media.
import {
  openRtspStream,
  streamTrackConfigs,
  type MediaError,
  type RtspMediaStream,
  type StreamAccessUnit,
  type TrackConfig,
  type StreamTrackInfo,
} from '@argus/media';

export interface SourceTrack {
  trackIndex: number;
  config: TrackConfig;
  info: StreamTrackInfo;
  timescale: number;
}

export interface SourceStats {
  /** RTP packets never received, summed over tracks (since this source opened). */
  lostPackets: number;
  /** Payload bytes received (since this source opened). */
  payloadBytes: number;
}

export interface SourceHandlers {
  onUnit(unit: StreamAccessUnit): void;
  /** A track's configuration became known (changed=false) or its parameter sets changed. */
  onConfig(changed: boolean): void;
  /** The source is over; err is undefined for an orderly end (BYE, close()). Called once. */
  onClose(err: MediaError | Error | undefined): void;
}

export interface StreamSource {
  /** Resolves once media is flowing (RTSP PLAY answered); rejects when opening failed. */
  readonly ready: Promise<void>;
  /** Track configurations, once every active track's is known (video: after the first key). */
  tracks(): SourceTrack[] | undefined;
  stats(): SourceStats;
  close(): Promise<void>;
}

export interface OpenSourceRequest {
  url: string;
  user?: string;
  password?: string;
  transport: 'tcp' | 'udp';
}

export type OpenSource = (request: OpenSourceRequest, handlers: SourceHandlers) => StreamSource;

/** The real source: RTSP (Basic/Digest, TCP interleaved or UDP) through @argus/media. */
export const openRtspSource: OpenSource = (request, handlers) => {
  const options: Parameters<typeof openRtspStream>[1] = { transport: request.transport };
  if (request.user !== undefined) options.user = request.user;
  if (request.password !== undefined) options.password = request.password;
  const stream: RtspMediaStream = openRtspStream(request.url, options);
  stream.on('accessUnit', (unit) => handlers.onUnit(unit));
  stream.on('config', (_pipeline, changed) => handlers.onConfig(changed));
  stream.on('close', (err) => handlers.onClose(err));
  return {
    ready: stream.ready.then(() => undefined),
    tracks: () => streamTrackConfigs(stream),
    stats: () => {
      let lost = 0;
      let payloadBytes = 0;
      for (const p of stream.activeTracks) {
        lost += p.stats.lost;
        payloadBytes += p.stats.payloadBytes;
      }
      return { lostPackets: lost, payloadBytes };
    },
    close: () => stream.close(),
  };
};
