// JPEG snapshots for /axis-cgi/jpg/image.cgi and ONVIF GetSnapshotUri: the frame of a fixture clip
// at a whole second, extracted with ffmpeg (off the streaming path) on first request and cached,
// shared by every camera. In-flight extractions are shared; the cache is bounded (LRU).
import { spawn } from 'node:child_process';
import { MediaError } from '@argus/media';
import { ERR_SIM_FIXTURE } from '../simulator-errors.js';

export const MAX_SNAPSHOTS = 256;
const FFMPEG_TIMEOUT_MS = 15_000;
const MAX_JPEG_BYTES = 8 * 1024 * 1024;

export class SnapshotCache {
  private readonly cache = new Map<string, Promise<Uint8Array>>();
  private readonly children = new Set<ReturnType<typeof spawn>>();

  constructor(private readonly ffmpegPath = 'ffmpeg') {}

  /** JPEG of `clipPath` at `second` (0..59). */
  jpeg(clipPath: string, second: number): Promise<Uint8Array> {
    const key = `${clipPath}#${second}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const job = this.extract(clipPath, second);
    this.cache.set(key, job);
    job.catch(() => this.cache.delete(key));
    while (this.cache.size > MAX_SNAPSHOTS) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return job;
  }

  private extract(clipPath: string, second: number): Promise<Uint8Array> {
    const args = ['-v', 'error', '-ss', String(second), '-i', clipPath, '-frames:v', '1'];
    args.push('-c:v', 'mjpeg', '-q:v', '4', '-f', 'image2pipe', 'pipe:1');
    return new Promise((resolve, reject) => {
      const child = spawn(this.ffmpegPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
      this.children.add(child);
      const chunks: Buffer[] = [];
      let size = 0;
      const timer = setTimeout(() => child.kill('SIGKILL'), FFMPEG_TIMEOUT_MS);
      child.stdout.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_JPEG_BYTES) child.kill('SIGKILL');
        else chunks.push(c);
      });
      child.on('error', () => {
        clearTimeout(timer);
        this.children.delete(child);
        reject(new MediaError(ERR_SIM_FIXTURE, 'ffmpeg could not be started for a snapshot'));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        this.children.delete(child);
        const jpeg = Buffer.concat(chunks);
        if (code === 0 && jpeg.length > 2 && jpeg[0] === 0xff && jpeg[1] === 0xd8) resolve(jpeg);
        else reject(new MediaError(ERR_SIM_FIXTURE, `snapshot extraction failed (exit ${code})`));
      });
    });
  }

  /** Kills extractions still running (simulator closing). */
  dispose(): void {
    for (const child of this.children) child.kill('SIGKILL');
    this.children.clear();
  }
}
