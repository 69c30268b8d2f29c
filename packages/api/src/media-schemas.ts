// Query schemas of the media endpoints: live and playback sockets, snapshot JPEG, MP4 download and
// the fragmented-MP4 playback stream. Times are ISO 8601 instants or Unix milliseconds.
import { Type, type Static } from '@sinclair/typebox';
import { StreamKind } from './schemas.js';

const Instant = (description: string) =>
  Type.String({ minLength: 1, maxLength: 40, description: `${description}: ISO 8601 date-time or Unix ms` });

export const LiveSocketQuery = Type.Object({ stream: Type.Optional(StreamKind) });
export type LiveSocketQuery = Static<typeof LiveSocketQuery>;

export const PlaybackSocketQuery = Type.Object({
  start: Instant('Where playback begins'),
  stream: Type.Optional(StreamKind),
  speed: Type.Optional(
    Type.String({
      pattern: '^(1|2|4|8|16|32|64)$',
      description: '1, 2, 4, 8; 16 and above: keyframes only',
    }),
  ),
});
export type PlaybackSocketQuery = Static<typeof PlaybackSocketQuery>;

export const MediaRangeQuery = Type.Object({
  start: Instant('First instant'),
  end: Instant('Instant after the last'),
  stream: Type.Optional(StreamKind),
});
export type MediaRangeQuery = Static<typeof MediaRangeQuery>;

export const SnapshotQuery = Type.Object({ stream: Type.Optional(StreamKind) });
export type SnapshotQuery = Static<typeof SnapshotQuery>;
