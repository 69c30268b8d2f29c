// Builds a camera's motion event source from its stored settings: the Axis-style event endpoint,
// ONVIF PullPoint, or none. The camera's credentials are used for both.
import type { MotionEventSource, Timers } from '../ingest/index.js';
import { AxisEventSource } from './axis-event-source.js';
import { OnvifPullPointSource } from './onvif-pullpoint-source.js';

export type MotionEventsKind = 'none' | 'axis' | 'onvif';

export interface MotionEventsConfig {
  kind: MotionEventsKind;
  /** axis: the camera's HTTP base URL; onvif: its device service URL. */
  url: string | null;
}

export interface MotionSourceDeps {
  timers: Timers;
  nowMs: () => number;
  random?: () => number;
}

export type MotionSourceFactory = (
  config: MotionEventsConfig,
  credentials: { user: string; password: string } | null,
) => MotionEventSource | null;

/** Reads stored settings (tolerating older or partial ones). */
export function normalizeMotionEvents(stored: Record<string, unknown> | undefined): MotionEventsConfig {
  const kind = stored?.['kind'];
  const url = stored?.['url'];
  if ((kind === 'axis' || kind === 'onvif') && typeof url === 'string' && url !== '') return { kind, url };
  return { kind: 'none', url: null };
}

export function motionSourceFactory(deps: MotionSourceDeps): MotionSourceFactory {
  return (config, credentials) => {
    if (config.kind === 'none' || config.url === null) return null;
    const common = {
      credentials,
      timers: deps.timers,
      nowMs: deps.nowMs,
      ...(deps.random ? { random: deps.random } : {}),
    };
    return config.kind === 'axis'
      ? new AxisEventSource({ baseUrl: config.url, ...common })
      : new OnvifPullPointSource({ deviceUrl: config.url, ...common });
  };
}
