// The simulator's parsers of untrusted input (SOAP/XML, DNS queries, xs:duration, fault specs):
// known cases, then seeded fast-check fuzzing: they return or throw MediaError, never anything else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMediaError } from '@argus/media';
import { parseFaultSpec } from '../src/camera/fault-model.js';
import { buildDnsResponse, parseDnsQuery, DNS_TYPE } from '../src/discovery/dns-message.js';
import { answersFor } from '../src/discovery/mdns-responder.js';
import { parseSoapRequest, parseXsDurationMs } from '../src/onvif/soap.js';
import { escapeXml, parseXml } from '../src/onvif/xml.js';

function onlyMediaErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!isMediaError(err)) throw err;
  }
}

describe('XML', () => {
  it('parses namespaces, attributes, entities and CDATA', () => {
    const root = parseXml(
      '<?xml version="1.0"?><s:E xmlns:s="urn:s" xmlns="urn:d"><!-- c --><B a="1&amp;2" s:b=\'x\'>t&lt;<![CDATA[<raw>]]>&#65;&#x42;</B><s:C/></s:E>',
    );
    expect(root).toMatchObject({ local: 'E', ns: 'urn:s' });
    const b = root.children[0]!;
    expect(b).toMatchObject({ local: 'B', ns: 'urn:d', attrs: { a: '1&2', b: 'x' }, text: 't<<raw>AB' });
    expect(root.children[1]).toMatchObject({ local: 'C', ns: 'urn:s' });
  });

  it.each([
    ['<!DOCTYPE a><a/>', 'DOCTYPE'],
    ['<a><b></a></b>', 'end tag'],
    ['<a>&ent;</a>', 'entity'],
    ['<a/><b/>', 'after the root'],
    ['<a>', 'incomplete'],
    ['<a>'.repeat(100) + '</a>'.repeat(100), 'deeply'],
  ])('refuses %s', (xml, needle) => {
    expect(() => parseXml(xml)).toThrow(needle);
  });

  it('escapes what it writes so the parser reads it back', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const clean = [...s]
          .filter((ch) => {
            const c = ch.codePointAt(0)!;
            return (c >= 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) && (c < 0xd800 || c > 0xdfff);
          })
          .join('');
        const root = parseXml(`<a v="${escapeXml(clean)}">${escapeXml(clean)}</a>`);
        expect(root.attrs['v']).toBe(clean);
        expect(root.text).toBe(clean);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('fuzzed SOAP input throws only MediaError', () => {
    const piece = fc.constantFrom(
      '<',
      '>',
      '</',
      '/>',
      '<!--',
      '-->',
      '<![CDATA[',
      ']]>',
      '&amp;',
      '&#x',
      '"',
      "'",
      '=',
      's:',
      'Envelope',
      'Body',
      'xmlns:s="urn:x"',
      ' ',
      'a',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) =>
        onlyMediaErrors(() => parseSoapRequest(parts.join(''))),
      ),
      { seed: 42, numRuns: 2000 },
    );
  });
});

describe('xs:duration', () => {
  it.each([
    ['PT1M', 60_000],
    ['PT60S', 60_000],
    ['PT0.5S', 500],
    ['P1DT1H', 90_000_000],
    ['PT', undefined],
    ['P1Y', undefined],
    ['10', undefined],
  ])('%s -> %s', (text, ms) => {
    expect(parseXsDurationMs(text)).toBe(ms);
  });
});

describe('DNS', () => {
  it('answers a PTR query for _axis-video._tcp with PTR, SRV, TXT and A records', () => {
    const cams = [
      {
        instance: 'SIM-1080 - 024152000001',
        host: 'sim-cam-01',
        address: '10.1.2.1',
        httpPort: 8080,
        mac: '02:41:52:00:00:01',
      },
    ];
    const answers = answersFor(
      [{ name: '_axis-video._tcp.local', type: DNS_TYPE.PTR, unicastResponse: false }],
      cams,
    );
    expect(answers.map((a) => a.type)).toEqual(['PTR', 'SRV', 'TXT', 'A']);
    const wire = buildDnsResponse(answers, { id: 7, cacheFlush: true });
    expect(wire.readUInt16BE(0)).toBe(7);
    expect(wire.readUInt16BE(6)).toBe(4);
    expect(
      answersFor([{ name: '_http._tcp.local', type: DNS_TYPE.PTR, unicastResponse: false }], cams),
    ).toEqual([]);
  });

  it('parses a query with a compression pointer and refuses pointer loops', () => {
    const q = Buffer.from(
      '0001000000020000000000000b5f617869732d766964656f045f746370056c6f63616c00000c8001c00c00ff0001',
      'hex',
    );
    expect(parseDnsQuery(q)).toEqual({
      id: 1,
      isResponse: false,
      questions: [
        { name: '_axis-video._tcp.local', type: 12, unicastResponse: true },
        { name: '_axis-video._tcp.local', type: 255, unicastResponse: false },
      ],
    });
    const loop = Buffer.from('000100000001000000000000c00c000c0001', 'hex');
    expect(() => parseDnsQuery(loop)).toThrow('compression');
  });

  it('fuzzed DNS input throws only MediaError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => onlyMediaErrors(() => parseDnsQuery(bytes))),
      { seed: 42, numRuns: 3000 },
    );
  });
});

describe('fault specs', () => {
  it('accepts the documented shapes and refuses the rest with ARGUS_ERR_SIM_FAULT', () => {
    expect(parseFaultSpec({ type: 'reboot', durationMs: 5000 })).toEqual({
      type: 'reboot',
      durationMs: 5000,
    });
    for (const bad of [
      null,
      {},
      { type: 'reboot' },
      { type: 'drip', bytesPerSecond: 0 },
      { type: 'stall', scope: 'udp' },
      { type: 'timestamp-jump' },
    ]) {
      let error: unknown;
      try {
        parseFaultSpec(bad);
      } catch (err) {
        error = err;
      }
      expect(isMediaError(error, 'ARGUS_ERR_SIM_FAULT')).toBe(true);
    }
    fc.assert(
      fc.property(fc.jsonValue(), (v) => onlyMediaErrors(() => parseFaultSpec(v))),
      { seed: 42, numRuns: 500 },
    );
  });
});
