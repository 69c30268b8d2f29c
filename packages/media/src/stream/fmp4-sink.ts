// Where a recording's bytes go: an ordered sink (a file descriptor here; a socket or a memory buffer
// in tests). Each buffer is written whole before the next; buffers are never reused by the writer.
import fs from 'node:fs';
import { MediaError } from '../media-error.js';
import { ERR_STREAM_WRITE } from './stream-errors.js';

export interface Fmp4Sink {
  write(bytes: Uint8Array): Promise<void>;
  /** Makes written bytes durable (fsync); optional. */
  sync?(): Promise<void>;
}

function writeAll(fd: number, bytes: Uint8Array, offset: number, done: (err: Error | null) => void): void {
  fs.write(fd, bytes, offset, bytes.length - offset, null, (err, written) => {
    if (err) return done(err);
    if (offset + written >= bytes.length) return done(null);
    writeAll(fd, bytes, offset + written, done);
  });
}

/** A sink appending to an open file descriptor (the caller opens and closes it). */
export function fileDescriptorSink(fd: number): Fmp4Sink {
  return {
    write: (bytes) =>
      new Promise((resolve, reject) =>
        writeAll(fd, bytes, 0, (err) =>
          err
            ? reject(
                new MediaError(ERR_STREAM_WRITE, `recording write failed: ${err.message}`, { cause: err }),
              )
            : resolve(),
        ),
      ),
    sync: () =>
      new Promise((resolve, reject) =>
        fs.fsync(fd, (err) =>
          err
            ? reject(
                new MediaError(ERR_STREAM_WRITE, `recording fsync failed: ${err.message}`, { cause: err }),
              )
            : resolve(),
        ),
      ),
  };
}
