// Test helper: run external tools (ffprobe, ffmpeg, python) asynchronously, so the simulator in
// this same process keeps serving; every child is bounded in time and killed by PID on timeout.
import { spawn } from 'node:child_process';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], timeoutMs: number, input?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined && child.stdin !== null) {
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    }
  });
}

/** A URL with user:password inserted, for tools that take credentials in the URL. */
export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

export async function ffprobeStreams(url: string): Promise<Array<Record<string, string>>> {
  const r = await run(
    'ffprobe',
    [
      '-v',
      'error',
      '-rtsp_transport',
      'tcp',
      '-show_entries',
      'stream=codec_type,codec_name,width,height,r_frame_rate,sample_rate,channels',
      '-of',
      'json',
      url,
    ],
    20_000,
  );
  if (r.code !== 0) throw new Error(`ffprobe failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { streams: Array<Record<string, string>> }).streams;
}
