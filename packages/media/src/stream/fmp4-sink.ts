// Where a recording's bytes go: an ordered sink (a file descriptor here; a socket or a memory buffer
// in tests). Each buffer is written whole before the next; buffers are never reused by the writer.
// A sink with writev takes a fragment as pieces (header, then views of the samples) in one call.
import fs from 'node:fs';
import { MediaError } from '../media-error.js';
import { ERR_STREAM_WRITE } from './stream-errors.js';

export interface Fmp4Sink {
  write(bytes: Uint8Array): Promise<void>;
  /** Writes the pieces in order as if concatenated (one vectored write); optional. */
  writev?(parts: readonly Uint8Array[]): Promise<void>;
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

function writevAll(fd: number, parts: readonly Uint8Array[], done: (err: Error | null) => void): void {
  fs.writev(fd, parts as Uint8Array[], null, (err, written) => {
    if (err) return done(err);
    // libuv loops until everything is written or fails; a short count still gets the rest written.
    let i = 0;
    let skip = written;
    while (i < parts.length && skip >= parts[i]!.length) skip -= parts[i++]!.length;
    if (i === parts.length) return done(null);
    const rest = parts.slice(i);
    rest[0] = rest[0]!.subarray(skip);
    writevAll(fd, rest, done);
  });
}

const writeFailed = (err: Error): MediaError =>
  new MediaError(ERR_STREAM_WRITE, `recording write failed: ${err.message}`, { cause: err });

/** A sink appending to an open file descriptor (the caller opens and closes it). */
export function fileDescriptorSink(fd: number): Fmp4Sink {
  return {
    write: (bytes) =>
      new Promise((resolve, reject) =>
        writeAll(fd, bytes, 0, (err) => (err ? reject(writeFailed(err)) : resolve())),
      ),
    writev: (parts) =>
      new Promise((resolve, reject) =>
        writevAll(fd, parts, (err) => (err ? reject(writeFailed(err)) : resolve())),
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
