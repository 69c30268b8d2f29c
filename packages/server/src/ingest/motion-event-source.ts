// The camera's own motion events behind a small interface, so ingest/ stays free of camera
// protocols: devices/ implements it (ONVIF PullPoint, the Axis-style event stream) and app/ injects
// a factory. A source reconnects by itself and reports state changes, not raw messages.

export interface MotionEvent {
  active: boolean;
  /** When the camera says the change happened (Unix ms), or when it was received. */
  atMs: number;
}

export interface MotionEventSourceListener {
  onMotion(event: MotionEvent): void;
  /** The event channel is up (true) or lost (false); motion state is unknown while lost. */
  onConnection?(connected: boolean, error?: { code: string; message: string }): void;
}

export interface MotionEventSource {
  /** A short name for logs and for the motion interval's `source` column, e.g. 'onvif', 'axis'. */
  readonly kind: string;
  start(listener: MotionEventSourceListener): void;
  stop(): Promise<void>;
}
