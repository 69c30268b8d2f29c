// JPEG snapshots of a camera: from the camera's own snapshot endpoint when it has one, else the
// latest key frame of the live stream decoded by ffmpeg in a child process. ffmpeg is off the hot
// path: at most `concurrency` decodes at once, a bounded queue, a timeout, bounded output.
import { spawn } from 'node:child_process';
import { ArgusError, type Logger } from '../base/index.js';

export interface SnapshotDeps {
  logger: Logger;
  /** The camera's own JPEG (VAPIX image.cgi, ONVIF snapshot URI); undefined when it has none. */
  fromCamera?: (cameraId: number, stream: 'main' | 'sub') => Promise<Uint8Array | undefined>;
  /** Init + latest key frame of the live stream. */
  latestKeyFrame: (
    cameraId: number,
    stream: 'main' | 'sub',
  ) => { init: Uint8Array; fragment: Uint8Array } | undefined;
  ffmpegPath?: string;
  /** Decodes at once; default 2. */
  concurrency?: number;
  /** Decodes waiting beyond this are refused (503); default 8. */
  maxQueued?: number;
  timeoutMs?: number;
}

export interface Snapshot {
  jpeg: Uint8Array;
  source: 'camera' | 'keyframe';
}

const MAX_JPEG_BYTES = 16 << 20;

export const isJpeg = (b: Uint8Array): boolean =>
  b.length > 4 && b[0] === 0xff && b[1] === 0xd8 && b[b.length - 2] === 0xff && b[b.length - 1] === 0xd9;

export class SnapshotService {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly deps: SnapshotDeps) {}

  async snapshot(cameraId: number, stream: 'main' | 'sub'): Promise<Snapshot> {
    if (this.deps.fromCamera) {
      try {
        const jpeg = await this.deps.fromCamera(cameraId, stream);
        if (jpeg !== undefined && isJpeg(jpeg)) return { jpeg, source: 'camera' };
      } catch (err) {
        this.deps.logger.info(
          { cameraId, code: (err as { code?: unknown }).code },
          'camera snapshot failed; decoding the latest key frame instead',
        );
      }
    }
    const key = this.deps.latestKeyFrame(cameraId, stream);
    if (key === undefined)
      throw new ArgusError(
        'MEDIA_UNAVAILABLE',
        'No current picture: the camera stream is not delivering video',
      );
    return { jpeg: await this.decode(key.init, key.fragment), source: 'keyframe' };
  }

  /** One JPEG from an fMP4 init + key-frame fragment, by ffmpeg. */
  async decode(init: Uint8Array, fragment: Uint8Array): Promise<Uint8Array> {
    const max = this.deps.concurrency ?? 2;
    if (this.running >= max) {
      if (this.waiting.length >= (this.deps.maxQueued ?? 8))
        throw new ArgusError('MEDIA_UNAVAILABLE', 'Too many snapshots being made; try again');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    try {
      return await this.runFfmpeg(init, fragment);
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private runFfmpeg(init: Uint8Array, fragment: Uint8Array): Promise<Uint8Array> {
    const timeoutMs = this.deps.timeoutMs ?? 5000;
    const args = [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'mp4',
      '-i',
      'pipe:0',
      '-frames:v',
      '1',
      '-f',
      'image2pipe',
      '-c:v',
      'mjpeg',
      '-q:v',
      '3',
      'pipe:1',
    ];
    return new Promise((resolve, reject) => {
      const child = spawn(this.deps.ffmpegPath ?? 'ffmpeg', args, { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let size = 0;
      let stderr = '';
      let settled = false;
      const finish = (err: Error | undefined): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          child.kill('SIGKILL');
          reject(err);
        } else resolve(new Uint8Array(Buffer.concat(out)));
      };
      const timer = setTimeout(
        () => finish(new ArgusError('MEDIA_UNAVAILABLE', `Decoding the snapshot took over ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.stdout.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_JPEG_BYTES) finish(new ArgusError('INTERNAL', 'The decoded snapshot is too large'));
        else out.push(c);
      });
      child.stderr.on('data', (c: Buffer) => {
        if (stderr.length < 2000) stderr += c.toString('utf8');
      });
      child.on('error', (err) =>
        finish(new ArgusError('MEDIA_UNAVAILABLE', `Cannot run ffmpeg for the snapshot: ${err.message}`)),
      );
      child.on('close', (code) => {
        const jpeg = Buffer.concat(out);
        if (code === 0 && isJpeg(jpeg)) finish(undefined);
        else {
          this.deps.logger.warn({ code, stderr: stderr.slice(0, 500) }, 'snapshot decode failed');
          finish(new ArgusError('MEDIA_UNAVAILABLE', 'The latest key frame could not be decoded'));
        }
      });
      child.stdin.on('error', () => undefined);
      child.stdin.write(init);
      child.stdin.end(fragment);
    });
  }
}
