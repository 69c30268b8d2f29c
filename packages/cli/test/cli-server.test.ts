// The `argus` command as a user runs it (the built binary in a child process): help and exit
// codes, serve with graceful shutdown, cert, and the local user recovery path.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/argus.js', import.meta.url));
const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'argus-cli-'));
  dirs.push(d);
  return d;
};
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

const LOOPBACK = ['--set', 'https.host=127.0.0.1', '--set', 'http.host=127.0.0.1'];

function argus(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Starts `argus serve`, waits for the banner, returns the process and what it printed. */
async function serve(
  dataDir: string,
  extra: string[] = [],
  command: string[] = [process.execPath, BIN, 'serve'],
) {
  const [exe = '', ...pre] = command;
  const child = spawn(
    exe,
    [...pre, '--data', dataDir, '--https-port', '0', '--http-port', '0', ...LOOPBACK, ...extra],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    },
  );
  children.push(child);
  let err = '';
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 15 s: ${err}`)), 15_000);
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      if (err.includes('Data directory:')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', () => reject(new Error(`argus serve exited early: ${err}`)));
  });
  return { child, exited, banner: () => err, logs: () => out };
}

describe('argus CLI', () => {
  it('prints help with exit 0, and exits 2 on usage errors', () => {
    const help = argus(['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['serve', 'demo', 'cert', 'user']) expect(help.out).toContain(cmd);
    for (const cmd of ['serve', 'demo', 'cert', 'user']) {
      const r = argus([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.out).toContain(`Usage: argus ${cmd}`);
    }
    expect(argus([]).code).toBe(2);
    const unknown = argus(['fly']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command "fly"');
    const badFlag = argus(['serve', '--colour']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.err).toContain('--colour');
  });

  it('exits 3 naming a bad configuration key', () => {
    const dir = tempDir();
    const file = path.join(dir, 'argus.json');
    writeFileSync(file, JSON.stringify({ https: { port: 55754, hots: 'x' } }));
    const r = argus(['serve', '--config', file]);
    expect(r.code).toBe(3);
    expect(r.err).toContain('unknown config key "https.hots"');
  });

  it('serves, prints the certificate ID that `argus cert` prints, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const s = await serve(dataDir);
    const id = /Certificate ID:\s+([0-9A-F:]{95})/.exec(s.banner())?.[1];
    expect(id).toBeDefined();
    expect(s.banner()).toMatch(/setup token [A-Za-z0-9_-]{20,}/);
    const cert = argus(['cert', '--data', dataDir]);
    expect(cert.code).toBe(0);
    expect(cert.out.trim()).toBe(id);
    const whileRunning = argus(['check', '--data', dataDir]);
    expect(whileRunning.code).toBe(4);
    expect(whileRunning.err).toContain('in use by another Argus');
    const second = argus(['serve', '--data', dataDir, '--https-port', '0', '--http-port', '0', ...LOOPBACK]);
    expect(second.code).toBe(4);
    expect(second.err).toContain('in use by another Argus');
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(existsSync(path.join(dataDir, 'argus.lock'))).toBe(false);
    expect(s.logs()).toContain('"event":"server.started"');
    expect(s.logs()).toContain('"event":"server.stopped"');
    const check = argus(['check', '--data', dataDir]);
    expect(check.code).toBe(0);
    expect(check.out).toContain('No problems found.');
  });

  it('`npm start` runs the demo: the server and four simulated cameras', async () => {
    // The exact command of the root package.json's start script (npm adds nothing but a shell).
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      scripts: { start: string };
    };
    const [exe, ...rest] = pkg.scripts.start.split(' ');
    expect(exe).toBe('node');
    const s = await serve(tempDir(), [], [process.execPath, ...rest]);
    expect(s.banner()).toContain('Argus is running.');
    expect(s.banner()).toMatch(/Certificate ID:\s+[0-9A-F:]{95}/);
    await expect
      .poll(() => s.banner(), { timeout: 10_000 })
      .toMatch(/Simulated cameras \(4\):[\s\S]*sim-cam-04/);
    expect(s.banner()).toMatch(/RTSP main: rtsp:\/\/127\.0\.0\.1:\d+\/axis-media\/media\.amp/);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('exits 5 when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const r = argus([
      'serve',
      '--data',
      tempDir(),
      '--https-port',
      String(port),
      '--http-port',
      '0',
      ...LOOPBACK,
    ]);
    blocker.close();
    expect(r.code).toBe(5);
    expect(r.err).toContain(`port ${port} is already in use`);
  });

  it('adds users, lists them and resets a password on the local database', async () => {
    const dataDir = tempDir();
    const s = await serve(dataDir);
    s.child.kill('SIGTERM');
    await s.exited;
    const add = argus(
      ['user', 'add', 'bob', '--role', 'viewer', '--password-stdin', '--data', dataDir],
      'bob-password-1\n',
    );
    expect(add.code).toBe(0);
    expect(add.out).toContain('added bob (viewer)');
    const dup = argus(['user', 'add', 'bob', '--password-stdin', '--data', dataDir], 'bob-password-1\n');
    expect(dup.code).toBe(1);
    expect(dup.err).toContain('already exists');
    const short = argus(['user', 'add', 'eve', '--password-stdin', '--data', dataDir], 'short\n');
    expect(short.code).toBe(2);
    const badRole = argus(
      ['user', 'add', 'eve', '--role', 'king', '--password-stdin', '--data', dataDir],
      'long-enough-pw\n',
    );
    expect(badRole.code).toBe(2);
    expect(
      argus(['user', 'passwd', 'bob', '--password-stdin', '--data', dataDir], 'another-password\n').code,
    ).toBe(0);
    expect(
      argus(['user', 'passwd', 'nobody', '--password-stdin', '--data', dataDir], 'another-password\n').code,
    ).toBe(1);
    const list = argus(['user', 'list', '--data', dataDir]);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^bob\tviewer\t/m);
    expect(list.out).not.toContain('eve');
    const missing = argus(['user', 'list', '--data', path.join(dataDir, 'nope')]);
    expect(missing.code).toBe(4);
  });
});
