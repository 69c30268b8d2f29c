// Repository interface of manual recording (migration 5): which cameras were started by hand, when
// and by whom, so the override survives a server restart. A disabled or removed camera has no row.

export interface ManualRecordingRecord {
  cameraId: number;
  startedAtMs: number;
  /** The user who started it; null when unknown or the user was deleted. */
  startedByUserId: number | null;
}

export interface ManualRecordingRepo {
  /**
   * Marks manual recording on; when it already is, the first start is kept. False (and nothing
   * stored) for a camera that is unknown, disabled or removed.
   */
  start(cameraId: number, startedAtMs: number, startedByUserId?: number | null): Promise<boolean>;
  /** Marks it off; false when it was not on. */
  stop(cameraId: number): Promise<boolean>;
  find(cameraId: number): Promise<ManualRecordingRecord | undefined>;
  list(): Promise<ManualRecordingRecord[]>;
}
