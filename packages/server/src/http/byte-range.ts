// HTTP Range requests on a body of known size (RFC 9110 §14): one `bytes=` range (first-last,
// first-, or -suffix). Several ranges are answered with the whole body, which the RFC allows.
export type RangeResult =
  { kind: 'whole' } | { kind: 'range'; start: number; endInclusive: number } | { kind: 'unsatisfiable' };

export function parseRange(header: string | undefined, totalBytes: number): RangeResult {
  if (header === undefined) return { kind: 'whole' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (m === null) return { kind: 'whole' };
  const [, a, b] = m;
  if (a === '' && b === '') return { kind: 'whole' };
  let start: number;
  let end: number;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return { kind: 'unsatisfiable' };
    start = Math.max(0, totalBytes - suffix);
    end = totalBytes - 1;
  } else {
    start = Number(a);
    end = b === '' ? totalBytes - 1 : Math.min(Number(b), totalBytes - 1);
    if (b !== '' && Number(b) < start) return { kind: 'whole' };
  }
  if (!Number.isSafeInteger(start) || start >= totalBytes || end < start) return { kind: 'unsatisfiable' };
  return { kind: 'range', start, endInclusive: end };
}
