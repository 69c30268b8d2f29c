// `argus sim` prints working camera addresses and credentials: ffprobe (a client we did not
// write) reads the printed RTSP URL with the printed password; SIGTERM stops it cleanly.
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/argus.js', import.meta.url));
const child = spawn(process.execPath, [BIN, 'sim', '--cameras', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

describe('argus sim', () => {
  it('prints a camera that ffprobe can read with the printed credentials, and stops on SIGTERM', async () => {
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no camera listed: ${out}`)), 20_000);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (/password \S+/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const url = /RTSP sub:\s+(rtsp:\/\/\S+)/.exec(out)?.[1];
    const user = /user (\S+)\s+password (\S+)/.exec(out);
    expect(url).toBeDefined();
    const withCreds = url!.replace('rtsp://', `rtsp://${user![1]}:${encodeURIComponent(user![2]!)}@`);
    const { stdout } = await promisify(execFile)(
      'ffprobe',
      [
        '-v',
        'error',
        '-rtsp_transport',
        'tcp',
        '-show_entries',
        'stream=codec_name,width,height',
        '-of',
        'csv=p=0',
        withCreds,
      ],
      { timeout: 20_000 },
    );
    expect(stdout.trim()).toBe('h264,640,360');
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
