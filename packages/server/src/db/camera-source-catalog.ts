// Repository interface of camera sources (migration 4): stream URLs, transport, encrypted
// credentials and the motion event source of each camera. The envelope is opaque here.

export interface CameraSourceRecord {
  cameraId: number;
  mainUrl: string;
  subUrl: string | null;
  transport: 'tcp' | 'udp';
  /** AES-256-GCM envelope of the credentials, or null when the camera needs none. */
  credentialsEnc: string | null;
  /** Motion event source settings; shape owned by devices/. */
  eventSource: Record<string, unknown>;
  updatedAtMs: number;
}

export interface CameraSourcesRepo {
  /** Inserts or replaces the camera's source row. */
  put(source: CameraSourceRecord): Promise<void>;
  get(cameraId: number): Promise<CameraSourceRecord | undefined>;
  list(): Promise<CameraSourceRecord[]>;
}
