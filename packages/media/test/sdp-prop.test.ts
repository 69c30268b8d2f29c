// fast-check properties (seeded, bounded): parseSdp throws only MediaError on any input, including
// mutations of captured SDPs, and generated track descriptions survive writeSdp -> parseSdp.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MediaError,
  getAacConfig,
  getH264ParameterSets,
  getH265ParameterSets,
  parseSdp,
  writeSdp,
} from '@argus/media';
import type { SdpTrack } from '@argus/media';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/rtsp/${name}`, import.meta.url));
const seeds = ['gst-describe-av.bin', 'gst-describe-h265.bin'].map((name) => {
  const bytes = fixture(name);
  return bytes.subarray(bytes.indexOf('\r\n\r\n') + 4).toString('latin1');
});
seeds.push(
  fixture('camera-style-hik.sdp').toString('latin1'),
  fixture('camera-style-axis.sdp').toString('latin1'),
);

function parseOrMediaError(input: string | Uint8Array): void {
  try {
    const sdp = parseSdp(input);
    for (const track of sdp.tracks) {
      expect(track.payloadType).toBeGreaterThanOrEqual(0);
      expect(track.payloadType).toBeLessThanOrEqual(127);
      expect(track.clockRate).toBeGreaterThan(0);
      // Codec helpers also throw only MediaError.
      getH264ParameterSets(track);
      getH265ParameterSets(track);
      getAacConfig(track);
    }
  } catch (err) {
    if (!(err instanceof MediaError)) throw err;
  }
}

/** A seed with a few lines dropped, duplicated or spliced with random text. */
const mutatedSeed = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(fc.tuple(fc.nat(60), fc.nat(3), fc.string({ maxLength: 40 })), { maxLength: 6 }),
  )
  .map(([seed, edits]) => {
    const lines = seed.split('\n');
    for (const [at, kind, text] of edits) {
      const i = at % lines.length;
      if (kind === 0) lines.splice(i, 1);
      else if (kind === 1) lines.splice(i, 0, lines[i] ?? '');
      else if (kind === 2) lines[i] = (lines[i] ?? '').slice(0, 2) + text;
      else lines[i] = text;
    }
    return lines.join('\n');
  });

describe('parseSdp properties', () => {
  it('throws only MediaError on arbitrary and mutated input', () => {
    fc.assert(
      fc.property(
        fc.oneof(mutatedSeed, fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 })),
        (input) => parseOrMediaError(input),
      ),
      { seed: 42, numRuns: 600 },
    );
  });

  it('generated tracks survive writeSdp then parseSdp', () => {
    const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
    const track: fc.Arbitrary<SdpTrack> = fc.record(
      {
        mediaType: fc.constantFrom('video' as const, 'audio' as const, 'application' as const),
        port: fc.constant(0),
        protocol: fc.constant('RTP/AVP'),
        payloadType: fc.integer({ min: 96, max: 127 }),
        encodingName: fc.stringMatching(/^[A-Za-z][A-Za-z0-9.-]{0,15}$/),
        clockRate: fc.integer({ min: 1, max: 192000 }),
        channels: fc.integer({ min: 1, max: 8 }),
        control: fc.oneof(
          token,
          fc.constant('*'),
          token.map((t) => `rtsp://10.0.0.1/${t}?a=b`),
        ),
        fmtp: fc.dictionary(token, fc.stringMatching(/^[A-Za-z0-9+/=,]{1,20}$/), { maxKeys: 4 }),
        framerate: fc.integer({ min: 1, max: 120 }),
        direction: fc.constantFrom('sendonly' as const, 'recvonly' as const),
        bandwidthKbps: fc.integer({ min: 1, max: 100000 }),
      },
      { requiredKeys: ['mediaType', 'port', 'protocol', 'payloadType', 'encodingName', 'clockRate', 'fmtp'] },
    );
    fc.assert(
      fc.property(fc.array(track, { minLength: 1, maxLength: 4 }), (tracks) => {
        const parsed = parseSdp(writeSdp({ control: '*', tracks }));
        expect(parsed.tracks).toEqual(tracks);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
