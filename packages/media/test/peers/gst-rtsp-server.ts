// Test harness: starts gst-rtsp-server.py (GStreamer 1.22 RTSP server, an independent peer) with
// /usr/bin/python3 on 127.0.0.1 and a kernel-chosen port, waits for its READY line, records its
// EVENT lines, and stops it by PID (closing stdin also makes it exit if the test process dies).
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface GstRtspServerOptions {
  auth?: 'none' | 'basic' | 'digest';
  user?: string;
  password?: string;
  /** Session timeout the server announces (seconds); small values make keep-alives testable. */
  sessionTimeoutSec?: number;
  /** Extra mounts, path -> gst-launch description (payloaders pay0, pay1...), one pipeline per client. */
  mounts?: Record<string, string>;
}

export interface GstRtspServer {
  port: number;
  url(path: string, credentials?: string): string;
  events: string[];
  waitForEvent(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./gst-rtsp-server.py', import.meta.url));

export async function startGstRtspServer(options: GstRtspServerOptions = {}): Promise<GstRtspServer> {
  const args = [SCRIPT, '--port', '0', '--auth', options.auth ?? 'none'];
  if (options.user !== undefined) args.push('--user', options.user);
  if (options.password !== undefined) args.push('--password', options.password);
  if (options.sessionTimeoutSec !== undefined)
    args.push('--session-timeout', String(options.sessionTimeoutSec));
  for (const [path, launch] of Object.entries(options.mounts ?? {}))
    args.push('--mount', `${path}=${launch}`);
  const child: ChildProcess = spawn('/usr/bin/python3', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const events: string[] = [];
  const waiters: Array<() => void> = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let buffered = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gst-rtsp-server did not start: ${stderr}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`gst-rtsp-server exited ${code}: ${stderr}`)));
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        const ready = /^READY (\d+)$/.exec(line);
        if (ready) {
          clearTimeout(timer);
          resolve(Number(ready[1]));
        } else if (line.startsWith('EVENT ')) {
          events.push(line.slice(6));
          for (const wake of waiters.splice(0)) wake();
        }
      }
    });
  });
  return {
    port,
    events,
    url: (path, credentials) => `rtsp://${credentials ? `${credentials}@` : ''}127.0.0.1:${port}${path}`,
    async waitForEvent(pattern, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = events.find((e) => pattern.test(e));
        if (hit) return hit;
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`no gst event ${pattern} in ${timeoutMs} ms; saw ${events.join(' | ')}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      if (child.pid !== undefined) child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
  };
}
