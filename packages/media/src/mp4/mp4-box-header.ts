// Box headers (ISO/IEC 14496-12 §4.2): 32-bit size, type, optional 64-bit largesize, optional
// uuid usertype. Top-level headers may be incomplete (torn file); child headers must fit their parent.
import { ByteReader } from '../bytes/byte-reader.js';
import { ARGUS_ERR_MP4_MALFORMED, ARGUS_ERR_MP4_TRUNCATED } from '../bytes/byte-error-codes.js';
import { MediaError } from '../media-error.js';

export interface BoxHeader {
  type: string;
  /** Absolute offset of the box's first byte. */
  start: number;
  /** Absolute offset of the payload (after size, type, largesize and usertype). */
  payloadStart: number;
  /** Absolute offset after the box. */
  end: number;
}

function printable(type: string): boolean {
  for (let i = 0; i < 4; i++) {
    const c = type.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/**
 * Reads the header at `offset` of `bytes` (whose byte 0 is absolute offset `base`). Returns null when
 * fewer bytes than the header are available. A size of 0 ("to the end of the file") is accepted
 * only when `sizeZeroEnd` is given. With `checkType`, the type must be printable ASCII.
 */
export function readBoxHeader(
  bytes: Uint8Array,
  offset: number,
  limit: number,
  base = 0,
  sizeZeroEnd?: number,
  checkType = true,
): BoxHeader | null {
  if (limit - offset < 8) return null;
  const r = new ByteReader(bytes, offset, limit, ARGUS_ERR_MP4_TRUNCATED);
  let size = r.u32();
  const type = r.fourcc();
  if (checkType && !printable(type)) {
    throw new MediaError(ARGUS_ERR_MP4_MALFORMED, `box type is not ASCII at offset ${base + offset}`);
  }
  if (size === 1) {
    if (r.remaining < 8) return null;
    size = r.u64();
  } else if (size === 0) {
    if (sizeZeroEnd === undefined) {
      throw new MediaError(ARGUS_ERR_MP4_MALFORMED, `'${type}' with size 0 at offset ${base + offset}`);
    }
    size = sizeZeroEnd - (base + offset);
  }
  if (type === 'uuid') {
    if (r.remaining < 16) return null;
    r.skip(16);
  }
  const headerSize = r.pos - offset;
  if (size < headerSize) {
    throw new MediaError(
      ARGUS_ERR_MP4_MALFORMED,
      `'${type}' size ${size} below its header at ${base + offset}`,
    );
  }
  const start = base + offset;
  return { type, start, payloadStart: start + headerSize, end: start + size };
}

/** Child boxes of a complete parent payload [start, end) of `bytes`; overruns are MALFORMED. */
export function* childBoxes(bytes: Uint8Array, start: number, end: number): Generator<BoxHeader> {
  let p = start;
  while (p < end) {
    const h = readBoxHeader(bytes, p, end, 0, undefined, false);
    if (h === null || h.end > end) {
      throw new MediaError(ARGUS_ERR_MP4_MALFORMED, `child box overruns its parent at offset ${p}`);
    }
    yield h;
    p = h.end;
  }
}

/** The first child of the given type, or undefined. */
export function findChild(
  bytes: Uint8Array,
  start: number,
  end: number,
  type: string,
): BoxHeader | undefined {
  for (const h of childBoxes(bytes, start, end)) if (h.type === type) return h;
  return undefined;
}

/** A MALFORMED-on-overrun reader over a complete box's payload. */
export function payloadReader(bytes: Uint8Array, h: BoxHeader, base = 0): ByteReader {
  return new ByteReader(bytes, h.payloadStart - base, h.end - base, ARGUS_ERR_MP4_MALFORMED);
}
