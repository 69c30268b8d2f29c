// devices/: what Argus knows about cameras as devices: their stored settings and encrypted
// credentials, the cameras service behind the API, and camera event protocols (motion sources).
export {
  CameraService,
  DEFAULT_RETENTION_DAYS,
  type CameraServiceDeps,
  type CameraView,
} from './camera-service.js';
export {
  CredentialCipher,
  CredentialError,
  CREDENTIALS_KEY_FILE,
  ARGUS_ERR_CREDENTIALS_KEY,
  ARGUS_ERR_CREDENTIALS_DECRYPT,
  type CameraCredentials,
} from './credential-cipher.js';
export {
  motionSourceFactory,
  normalizeMotionEvents,
  type MotionEventsConfig,
  type MotionEventsKind,
  type MotionSourceDeps,
  type MotionSourceFactory,
} from './motion-source-factory.js';
export { AxisEventSource, type AxisEventSourceOptions } from './axis-event-source.js';
export { OnvifPullPointSource, motionEvents, type OnvifPullPointOptions } from './onvif-pullpoint-source.js';
export {
  CameraHttpClient,
  CameraHttpError,
  ARGUS_ERR_CAMERA_HTTP,
  ARGUS_ERR_CAMERA_AUTH,
} from './camera-http-client.js';
export type { CameraStatus as CameraRunStatus, CameraStorageStats } from '../ingest/index.js';
