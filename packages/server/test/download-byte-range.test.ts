// HTTP Range parsing for downloads (RFC 9110 §14.1.2): the three single-range forms, what is
// unsatisfiable (416) and what falls back to the whole body; a property checks that any answer
// lies inside the body.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRange } from '../src/http/byte-range.js';

describe('parseRange', () => {
  it('reads first-last, first- and -suffix', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ kind: 'range', start: 0, endInclusive: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ kind: 'range', start: 900, endInclusive: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ kind: 'range', start: 900, endInclusive: 999 });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ kind: 'range', start: 0, endInclusive: 999 });
    expect(parseRange('bytes=990-5000', 1000)).toEqual({ kind: 'range', start: 990, endInclusive: 999 });
  });

  it('says unsatisfiable past the end, and serves the whole body otherwise', () => {
    expect(parseRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange(undefined, 1000)).toEqual({ kind: 'whole' });
    expect(parseRange('bytes=0-1,5-9', 1000)).toEqual({ kind: 'whole' });
    expect(parseRange('items=0-1', 1000)).toEqual({ kind: 'whole' });
    expect(parseRange('bytes=9-5', 1000)).toEqual({ kind: 'whole' });
  });

  it('never answers a range outside the body', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e12 }),
        fc.string({ maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        (total, junk, a, b) => {
          for (const header of [junk, `bytes=${a}-${b}`, `bytes=${a}-`, `bytes=-${b}`]) {
            const r = parseRange(header, total);
            if (r.kind !== 'range') continue;
            expect(r.start).toBeGreaterThanOrEqual(0);
            expect(r.endInclusive).toBeLessThan(total);
            expect(r.start).toBeLessThanOrEqual(r.endInclusive);
          }
        },
      ),
      { seed: 42, numRuns: 2000 },
    );
  });
});
