// Golden tests: SDPs captured from GStreamer's RTSP server and camera-style SDPs parse into the
// expected typed tracks and decoded codec parameters.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  getAacConfig,
  getH264ParameterSets,
  getH265ParameterSets,
  isMediaError,
  parseNptRange,
  parseSdp,
  sdpTrackCodec,
} from '@argus/media';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/rtsp/${name}`, import.meta.url));
/** Body of a captured RTSP reply. */
const sdpOf = (name: string): Buffer => {
  const bytes = fixture(name);
  return bytes.subarray(bytes.indexOf('\r\n\r\n') + 4);
};

describe('parseSdp on GStreamer captures', () => {
  it('parses H.264 + AAC (/av) with session control, range and fmtp', () => {
    const sdp = parseSdp(sdpOf('gst-describe-av.bin'));
    expect(sdp.control).toBe('*');
    expect(sdp.range).toBe('npt=now-');
    expect(sdp.rangeNpt).toEqual({});
    expect(sdp.sessionName).toBe('Session streamed with GStreamer');
    expect(sdp.tracks).toHaveLength(2);
    const [video, audio] = sdp.tracks;
    expect(video).toMatchObject({
      mediaType: 'video',
      port: 0,
      protocol: 'RTP/AVP',
      payloadType: 96,
      encodingName: 'H264',
      clockRate: 90000,
      control: 'stream=0',
      framerate: 25,
      connectionAddress: '0.0.0.0',
      bandwidthKbps: 2097,
    });
    expect(video!.fmtp['packetization-mode']).toBe('1');
    expect(video!.fmtp['profile-level-id']).toBe('42c015');
    const sets = getH264ParameterSets(video!)!;
    expect(sets.sps).toHaveLength(1);
    expect(sets.pps).toHaveLength(1);
    expect(sets.sps[0]![0]! & 0x1f).toBe(7);
    expect(sets.sps[0]![1]).toBe(0x42); // profile_idc baseline, as profile-level-id says
    expect(Array.from(sets.pps[0]!)).toEqual([0x68, 0xce, 0x3c, 0x80]);
    expect(audio).toMatchObject({
      mediaType: 'audio',
      payloadType: 97,
      encodingName: 'MPEG4-GENERIC',
      clockRate: 48000,
      channels: 1,
      control: 'stream=1',
    });
    expect(sdpTrackCodec(video!)).toBe('h264');
    expect(sdpTrackCodec(audio!)).toBe('aac');
    const aac = getAacConfig(audio!)!;
    expect(Array.from(aac.audioSpecificConfig)).toEqual([0x11, 0x88]);
    expect(aac).toMatchObject({ mode: 'AAC-hbr', sizeLength: 13, indexLength: 3, indexDeltaLength: 3 });
  });

  it('parses H.265 sprop-vps/sps/pps', () => {
    const sdp = parseSdp(sdpOf('gst-describe-h265.bin'));
    expect(sdp.tracks).toHaveLength(1);
    const track = sdp.tracks[0]!;
    expect(track).toMatchObject({
      encodingName: 'H265',
      clockRate: 90000,
      framerate: 25,
      control: 'stream=0',
    });
    const sets = getH265ParameterSets(track)!;
    // H.265 NAL type is bits 1..6 of the first byte: VPS 32, SPS 33, PPS 34.
    expect(sets.vps.map((n) => (n[0]! >> 1) & 0x3f)).toEqual([32]);
    expect(sets.sps.map((n) => (n[0]! >> 1) & 0x3f)).toEqual([33]);
    expect(sets.pps.map((n) => (n[0]! >> 1) & 0x3f)).toEqual([34]);
    expect(getH264ParameterSets(track)).toBeUndefined();
  });

  it('parses the AAC-only and H.264-only captures', () => {
    expect(parseSdp(sdpOf('gst-describe-aac.bin')).tracks.map(sdpTrackCodec)).toEqual(['aac']);
    expect(parseSdp(sdpOf('gst-describe-h264.bin')).tracks.map(sdpTrackCodec)).toEqual(['h264']);
  });
});

describe('parseSdp on camera-style SDPs', () => {
  it('Hikvision layout: absolute controls, recvonly, static PCMU, ONVIF metadata', () => {
    const sdp = parseSdp(fixture('camera-style-hik.sdp'));
    expect(sdp.control).toBe('rtsp://192.168.1.64:554/Streaming/Channels/101/?transportmode=unicast');
    expect(sdp.tracks.map((t) => t.mediaType)).toEqual(['video', 'audio', 'application']);
    const [video, audio, meta] = sdp.tracks;
    expect(video!.direction).toBe('recvonly');
    expect(video!.control).toBe(
      'rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast',
    );
    expect(video!.fmtp['packetization-mode']).toBe('1'); // spaces after ';' are trimmed
    expect(getH264ParameterSets(video!)!.sps[0]![0]).toBe(0x67);
    expect(audio).toMatchObject({ payloadType: 0, encodingName: 'PCMU', clockRate: 8000, channels: 1 });
    expect(sdpTrackCodec(audio!)).toBe('pcmu');
    expect(meta).toMatchObject({ payloadType: 107, encodingName: 'vnd.onvif.metadata', clockRate: 90000 });
    expect(sdpTrackCodec(meta!)).toBe('onvif-metadata');
  });

  it('Axis layout: LF line ends, npt range, fractional framerate, mixed-case fmtp keys', () => {
    const sdp = parseSdp(fixture('camera-style-axis.sdp'));
    expect(sdp.rangeNpt).toEqual({ startSec: 0 });
    const [video, audio] = sdp.tracks;
    expect(video!.framerate).toBeCloseTo(29.97);
    expect(getH265ParameterSets(video!)!.sps).toHaveLength(1);
    const aac = getAacConfig(audio!)!;
    expect(Array.from(aac.audioSpecificConfig)).toEqual([0x14, 0x08]);
    expect(aac.sizeLength).toBe(13);
    expect(audio!.encodingName).toBe('mpeg4-generic');
    expect(audio!.clockRate).toBe(16000);
  });
});

describe('parseSdp edge cases', () => {
  it('throws MediaError for non-SDP, bad m= lines and oversize input', () => {
    for (const bad of [
      'hello',
      'v=0\r\nm=video\r\n',
      'v=0\nm=video x RTP/AVP 96\n',
      'v=0\n' + 'a'.repeat(70000),
    ]) {
      let caught: unknown;
      try {
        parseSdp(bad);
      } catch (err) {
        caught = err;
      }
      expect(isMediaError(caught, 'ARGUS_ERR_SDP_MALFORMED')).toBe(true);
    }
  });

  it('skips non-RTP and unknown media sections and uses the first payload type', () => {
    const sdp = parseSdp(
      'v=0\r\nm=text 0 RTP/AVP 98\r\na=control:t\r\nm=audio 0 RTP/AVP 8 0\r\na=control:a\r\n',
    );
    expect(sdp.tracks).toHaveLength(1);
    expect(sdp.tracks[0]).toMatchObject({ encodingName: 'PCMA', payloadType: 8, control: 'a' });
  });

  it('rejects invalid base64 and hex in codec parameters', () => {
    const track = { encodingName: 'MPEG4-GENERIC', fmtp: { config: '1x', 'sprop-parameter-sets': '!!' } };
    expect(() => getAacConfig(track)).toThrow(/hex/);
    expect(() => getH264ParameterSets(track)).toThrow(/base64/);
  });

  it('parses npt ranges', () => {
    expect(parseNptRange('npt=0-')).toEqual({ startSec: 0 });
    expect(parseNptRange('npt=1.5-20')).toEqual({ startSec: 1.5, endSec: 20 });
    expect(parseNptRange('npt=0:01:02.5-')).toEqual({ startSec: 62.5 });
    expect(parseNptRange('clock=19961108T142300Z-')).toBeUndefined();
    expect(parseNptRange('npt=abc-')).toBeUndefined();
  });
});
