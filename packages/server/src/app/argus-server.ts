// Starts and stops one Argus server: data directory and its lock, catalog, TLS identity, the
// HTTPS API/web port and the HTTP redirect/health port, first-run setup token, NTP monitor.
import { once } from 'node:events';
import { hostname } from 'node:os';
import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { CameraCreate, ServerInfo, ServerSettingsPatch } from '@argus/api';
import { AuthService } from '../auth/index.js';
import {
  ExitCodes,
  StartupError,
  randomToken,
  systemClock,
  type Clock,
  type Config,
  type Logger,
} from '../base/index.js';
import { openSqliteCatalog, type Catalog } from '../db/index.js';
import { buildApiApp, type RegisteredRoute, type ServerContext, type ServerSettings } from '../http/index.js';
import type { OpenSource } from '../ingest/index.js';
import { startCameraRuntime, type CameraRuntimeOptions } from './camera-runtime.js';
import type { LiveHubStats } from '../live/index.js';
import { createMediaServices } from './media-services.js';
import { acquireDataDirLock, prepareDataDir } from './data-dir.js';
import { createRedirectServer } from './http-redirect.js';
import { NtpMonitor } from './ntp-monitor.js';
import { loadOrCreateTlsIdentity } from './tls-certificate.js';

export interface StartServerOptions {
  config: Config;
  logger: Logger;
  version: string;
  clock?: Clock;
  webRoot?: string;
  /** Camera source (default RTSP); tests inject synthetic media. */
  openSource?: OpenSource;
  /** Recording file lengths (default 5 min files, 1 s fragments); tests shorten them. */
  recordingFiles?: CameraRuntimeOptions['recordingFiles'];
}

export interface RunningServer {
  httpsPort: number;
  httpPort: number | undefined;
  certificateId: string;
  /** Set while first-run setup is pending. */
  setupToken: string | undefined;
  routes: RegisteredRoute[];
  /** In-process requests through the full HTTP stack (tests, and a client address that is not loopback). */
  inject: FastifyInstance['inject'];
  /** Adds a camera, or updates the one with the same name (the demo's simulated cameras); returns its id. */
  putCamera(input: CameraCreate): Promise<number>;
  /** Live view figures: viewers, bytes queued and GOPs dropped per viewer (tests, benchmarks). */
  liveStats(): LiveHubStats;
  close(): Promise<void>;
}

const SETTINGS_KEY = 'server';

async function listen(
  server: { listen(port: number, host: string): unknown } & NodeJS.EventEmitter,
  port: number,
  host: string,
  what: string,
) {
  server.listen(port, host);
  const [err] = await Promise.race([
    once(server, 'listening').then(() => [undefined]),
    once(server, 'error'),
  ]);
  if (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new StartupError(
      'ARGUS_ERR_PORT',
      code === 'EADDRINUSE'
        ? `${what} port ${port} is already in use; stop the other program or set another port`
        : `cannot listen on ${what} port ${host}:${port}: ${code ?? (err as Error).message}`,
      ExitCodes.port,
      { cause: err },
    );
  }
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const layout = prepareDataDir(config.dataDir);
  const releaseLock = acquireDataDirLock(layout);
  let catalog: Catalog | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    catalog = openSqliteCatalog(layout.catalogFile);
    const db = catalog;
    cleanups.push(() => db.close());
    const tls = loadOrCreateTlsIdentity(
      layout.root,
      config.https,
      `Argus ${hostname()}`,
      new Date(clock.nowMs()),
    );
    if (tls.source === 'generated')
      logger.info({ event: 'tls.generated', certFile: tls.certFile }, 'generated a self-signed certificate');

    const ntp = new NtpMonitor(logger, config.ntp.checkIntervalMinutes * 60_000, config.ntp.timeoutMs);
    cleanups.push(() => ntp.stop());
    const defaults: ServerSettings = {
      serverName: hostname(),
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      ntpServer: null,
    };
    const settings = async (): Promise<ServerSettings> => ({
      ...defaults,
      ...(await db.settings.get<Partial<ServerSettings>>(SETTINGS_KEY)),
    });
    let setupToken = (await db.users.count()) === 0 ? randomToken(18) : undefined;
    const startedAtMs = clock.nowMs();

    const auth = new AuthService(db, clock, {
      sessionIdleMs: config.auth.sessionIdleMinutes * 60_000,
      sessionAbsoluteMs: config.auth.sessionAbsoluteHours * 3_600_000,
      throttle: {
        delayAfterFailures: config.auth.loginDelayAfterFailures,
        lockoutAfterFailures: config.auth.loginLockoutAfterFailures,
        windowMs: config.auth.loginFailureWindowMinutes * 60_000,
        maxDelayMs: config.auth.maxLoginDelayMs,
      },
    });
    const sweeper = setInterval(
      () => void auth.sweep().catch((err: unknown) => logger.warn({ err }, 'session sweep failed')),
      60_000,
    );
    sweeper.unref();
    cleanups.push(() => clearInterval(sweeper));

    const media = createMediaServices({ catalog: db, clock, logger });
    const runtime = await startCameraRuntime({
      catalog: db,
      clock,
      logger,
      dataDir: layout.root,
      recordingsDir: layout.recordingsDir,
      timeZone: async () => (await settings()).timeZone,
      ...(options.openSource ? { openSource: options.openSource } : {}),
      ...(options.recordingFiles ? { recordingFiles: options.recordingFiles } : {}),
      mediaTap: media.live,
    });
    cleanups.unshift(() => runtime.close());
    cleanups.unshift(() => media.live.close());

    const ctx: ServerContext = {
      clock,
      logger,
      catalog: db,
      auth,
      version: options.version,
      certificateId: tls.certificateId,
      setupToken: () => setupToken,
      settings,
      async updateSettings(patch: ServerSettingsPatch) {
        const next = { ...(await settings()), ...patch };
        await db.settings.set(SETTINGS_KEY, next);
        if (patch.ntpServer !== undefined) void ntp.setServer(next.ntpServer);
      },
      async serverInfo(): Promise<ServerInfo> {
        const s = await settings();
        return {
          serverName: s.serverName,
          version: options.version,
          certificateId: tls.certificateId,
          timeZone: s.timeZone,
          uptimeSeconds: Math.floor((clock.nowMs() - startedAtMs) / 1000),
          startedAt: new Date(startedAtMs).toISOString(),
          ntp: ntp.current(),
        };
      },
      onSetupComplete() {
        setupToken = undefined;
      },
      webRoot: options.webRoot,
      cookieSecure: true,
      sessionAbsoluteMs: config.auth.sessionAbsoluteHours * 3_600_000,
      bodyLimitBytes: config.limits.bodyBytes,
      cameras: runtime.cameras,
      storage: runtime.storage,
      media: media.bind(runtime.cameras, runtime.manager),
    };

    const { app, routes } = buildApiApp(ctx, { https: { key: tls.keyPem, cert: tls.certPem } });
    await app.ready();
    cleanups.unshift(() => app.close());
    await listen(app.server, config.https.port, config.https.host, 'HTTPS');
    const httpsPort = (app.server.address() as { port: number }).port;

    let httpPort: number | undefined;
    if (config.http.enabled) {
      const redirect: Server = createRedirectServer(httpsPort);
      await listen(redirect, config.http.port, config.http.host, 'HTTP');
      httpPort = (redirect.address() as { port: number }).port;
      cleanups.unshift(
        () =>
          new Promise<void>((resolve) => {
            redirect.close(() => resolve());
            redirect.closeAllConnections();
          }),
      );
    }
    void ntp.setServer((await settings()).ntpServer);

    logger.info(
      {
        event: 'server.started',
        httpsPort,
        httpPort,
        certificateId: tls.certificateId,
        dataDir: layout.root,
      },
      'Argus server started',
    );
    if (setupToken)
      logger.info(
        { event: 'setup.pending', setupToken },
        'first-run setup pending: open the web client from this host, or use the setup token',
      );

    let closed = false;
    return {
      httpsPort,
      httpPort,
      certificateId: tls.certificateId,
      get setupToken() {
        return setupToken;
      },
      routes,
      inject: app.inject.bind(app) as FastifyInstance['inject'],
      putCamera: (input) => runtime.cameras.put(input),
      liveStats: () => media.live.stats(),
      async close() {
        if (closed) return;
        closed = true;
        for (const cleanup of cleanups) await cleanup();
        releaseLock();
        logger.info({ event: 'server.stopped' }, 'Argus server stopped');
      },
    };
  } catch (err) {
    for (const cleanup of cleanups) await Promise.resolve(cleanup()).catch(() => undefined);
    releaseLock();
    throw err;
  }
}
