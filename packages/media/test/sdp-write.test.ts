// The SDP writer's output parses back into the same tracks (captures and camera-style inputs).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isMediaError, parseSdp, writeSdp } from '@argus/media';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/rtsp/${name}`, import.meta.url));
const sdpOf = (name: string): Buffer => {
  const bytes = fixture(name);
  return bytes.subarray(bytes.indexOf('\r\n\r\n') + 4);
};

describe('writeSdp', () => {
  const inputs: Array<[string, Buffer]> = [
    ['gst av', sdpOf('gst-describe-av.bin')],
    ['gst h265', sdpOf('gst-describe-h265.bin')],
    ['hik', fixture('camera-style-hik.sdp')],
    ['axis', fixture('camera-style-axis.sdp')],
  ];
  for (const [name, bytes] of inputs) {
    it(`round-trips ${name}: parse(write(parse(x))) equals parse(x)`, () => {
      const parsed = parseSdp(bytes);
      const text = writeSdp(parsed);
      expect(text.endsWith('\r\n')).toBe(true);
      const again = parseSdp(text);
      expect(again.tracks).toEqual(parsed.tracks);
      expect(again.control).toEqual(parsed.control);
      expect(again.range).toEqual(parsed.range);
      expect(writeSdp(again)).toBe(text);
    });
  }

  it('writes a minimal server description from track descriptions', () => {
    const text = writeSdp({
      sessionName: 'cam1',
      control: '*',
      range: 'npt=now-',
      tracks: [
        {
          mediaType: 'video',
          payloadType: 96,
          encodingName: 'H264',
          clockRate: 90000,
          fmtp: { 'packetization-mode': '1' },
          control: 'trackID=0',
        },
      ],
    });
    expect(text).toContain('m=video 0 RTP/AVP 96\r\n');
    expect(text).toContain('a=rtpmap:96 H264/90000\r\n');
    expect(text).toContain('a=fmtp:96 packetization-mode=1\r\n');
    expect(text).toContain('a=control:trackID=0\r\n');
  });

  it('refuses fields that would inject lines', () => {
    let caught: unknown;
    try {
      writeSdp({ sessionName: 'x\r\na=evil', tracks: [] });
    } catch (err) {
      caught = err;
    }
    expect(isMediaError(caught, 'ARGUS_ERR_SDP_MALFORMED')).toBe(true);
  });
});
