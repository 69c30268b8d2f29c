// The timeline query: what a scrubber shows for one stream over a time range at a zoom level.
import type { GapCause } from './recording-catalog.js';

export interface TimelineQuery {
  /** Recorded intervals and gaps come from this stream. */
  streamId: number;
  /** Motion intervals come from this camera; default the stream's camera. */
  cameraId?: number;
  from90k: number;
  to90k: number;
  /** Zoom: intervals separated by less than this are merged, gaps shorter than it are absorbed. */
  resolution90k: number;
  /** Most items per list; default 1000. Beyond it, the smallest separations are merged first. */
  maxItems?: number;
  /**
   * Holes after this instant (the future) are not gaps; default to90k. When given, holes before the
   * camera's retention horizon (now90k - retention) are not gaps either: that footage has expired.
   */
  now90k?: number;
}

export interface TimelineInterval {
  startTime90k: number;
  endTime90k: number;
}

export interface TimelineGap extends TimelineInterval {
  cause: GapCause;
}

export interface Timeline {
  recorded: TimelineInterval[];
  motion: TimelineInterval[];
  gaps: TimelineGap[];
}

export const DEFAULT_TIMELINE_MAX_ITEMS = 1000;

export interface TimelineRepo {
  query(q: TimelineQuery): Promise<Timeline>;
}
