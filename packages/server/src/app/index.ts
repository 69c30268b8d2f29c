// app/: wires one server together (data directory, catalog, TLS, ports, services).
export { startServer, type RunningServer, type StartServerOptions } from './argus-server.js';
export { dataDirLayout, prepareDataDir, acquireDataDirLock } from './data-dir.js';
export {
  loadOrCreateTlsIdentity,
  generateSelfSignedCertificate,
  certificateIdOf,
  type TlsIdentity,
} from './tls-certificate.js';
export { querySntp, writeNtpTimestamp, readNtpTimestamp } from './sntp-client.js';
