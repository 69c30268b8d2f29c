// @argus/server: the recording server. Its public entry points are what the CLI may call.
export { serve, banner, type ServeOptions } from './serve.js';
export { startServer, type RunningServer } from './app/index.js';
export {
  loadConfig,
  defaultConfig,
  createLogger,
  StartupError,
  ArgusError,
  ExitCodes,
  type Config,
} from './base/index.js';
export { localUserAdd, localUserPasswd, localUserList, localCertificateId } from './local-admin.js';
export { serverVersion } from './server-version.js';
export { localCheckRecordings, type LocalCheckResult } from './local-check.js';
