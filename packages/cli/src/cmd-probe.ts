// `argus probe <rtsp-url>`: connects to a camera stream, receives it for a few seconds and prints
// its tracks (codec, RFC 6381 codec string, size, measured frame rate and bitrate, lost packets).
// Also holds the RTSP source flags `argus record` shares. Credentials are never printed.
import { parseArgs } from 'node:util';
import {
  MediaError,
  openRtspStream,
  redactUrl,
  type OpenRtspStreamOptions,
  type StreamTrack,
} from '@argus/media';
import { UsageError, type CliIo } from './cli-io.js';

export const SOURCE_FLAGS = {
  user: { type: 'string' },
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  transport: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const SOURCE_FLAGS_HELP = `  --user NAME         camera user (or rtsp://user:password@host/... in the URL)
  --password PASS     camera password (visible in the process list; prefer --password-stdin)
  --password-stdin    read the password from standard input (one line)
  --transport T       tcp (interleaved, default) or udp
  --timeout S         seconds allowed for each RTSP step and without data; default 10`;

export const PROBE_HELP = `Usage: argus probe <rtsp-url> [options]

Connects to an RTSP stream, receives it for a few seconds and prints each track: codec, codec
string, resolution, frame rate and bitrate (both measured), and lost packets. Tracks Argus does
not record (e.g. ONVIF metadata) are listed as skipped. Exit codes: 0 ok, 1 stream failure (the
message carries an ARGUS_ERR_* code), 2 usage.

Options:
${SOURCE_FLAGS_HELP}
  --seconds N         how long to measure; default 3
  --json              print JSON instead of text`;

interface SourceValues {
  user?: string | undefined;
  password?: string | undefined;
  'password-stdin'?: boolean | undefined;
  transport?: string | undefined;
  timeout?: string | undefined;
}

export interface RtspSource {
  url: string;
  options: OpenRtspStreamOptions;
  /** The URL without credentials, for output. */
  displayUrl: string;
  /** Removes any secret from a message before it is printed. */
  scrub(text: string): string;
}

export function positiveNumber(flag: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0 || v > max)
    throw new UsageError(`--${flag} must be a number in (0, ${max}]`);
  return v;
}

/** URL, credentials and transport from the shared flags (usage errors for bad values). */
export async function rtspSource(
  url: string | undefined,
  values: SourceValues,
  io: CliIo,
): Promise<RtspSource> {
  if (url === undefined) throw new UsageError('give the stream URL, e.g. rtsp://camera.local/stream1');
  const transport = values.transport ?? 'tcp';
  if (transport !== 'tcp' && transport !== 'udp') throw new UsageError('--transport must be tcp or udp');
  if (values.password !== undefined && values['password-stdin'])
    throw new UsageError('use either --password or --password-stdin');
  const timeoutMs = positiveNumber('timeout', values.timeout, 10, 3600) * 1000;
  const options: OpenRtspStreamOptions = { transport, timeoutMs, dataTimeoutMs: timeoutMs };
  let password = values.password;
  if (values['password-stdin']) password = (await io.readStdin()).split(/\r?\n/)[0] ?? '';
  if (values.user !== undefined) options.user = values.user;
  if (password !== undefined) {
    if (values.user === undefined && !/^[a-z]+:\/\/[^/@]*@/i.test(url))
      throw new UsageError('a password needs --user (or a user in the URL)');
    options.password = password;
    if (values.user === undefined) options.user = decodeUserFromUrl(url);
  }
  const secrets = [password, urlPassword(url)].filter((s): s is string => s !== undefined && s.length > 0);
  return {
    url,
    options,
    displayUrl: redactUrl(url),
    scrub: (text) => secrets.reduce((t, s) => t.split(s).join('***'), redactUrl(text)),
  };
}

function decodeUserFromUrl(url: string): string {
  try {
    return decodeURIComponent(new URL(url).username);
  } catch {
    return '';
  }
}

function urlPassword(url: string): string | undefined {
  try {
    const p = new URL(url).password;
    return p === '' ? undefined : decodeURIComponent(p);
  } catch {
    return undefined;
  }
}

/** Prints a MediaError as the command's failure (exit 1); rethrows anything else. */
export function streamFailure(
  command: string,
  err: unknown,
  source: RtspSource | undefined,
  io: CliIo,
): number {
  if (!(err instanceof MediaError)) throw err;
  const message = source ? source.scrub(err.message) : redactUrl(err.message);
  io.err(`argus ${command}: ${message} [${err.code}]`);
  return 1;
}

export interface ProbedTrack {
  index: number;
  mediaType: string;
  encodingName: string;
  status: 'active' | 'skipped';
  skipReason?: string;
  codec?: string;
  codecString?: string;
  width?: number;
  height?: number;
  /** Measured on RTP timestamps. */
  frameRate?: number;
  sampleRate?: number;
  channels?: number;
  bitrateKbps?: number;
  packets?: number;
  lostPackets?: number;
  droppedAccessUnits?: number;
}

function describeTrack(t: StreamTrack): ProbedTrack {
  const out: ProbedTrack = {
    index: t.trackIndex,
    mediaType: t.mediaType,
    encodingName: t.encodingName,
    status: t.status,
  };
  if (t.skipReason !== undefined) out.skipReason = t.skipReason;
  const p = t.pipeline;
  if (!p) return out;
  const info = p.info;
  Object.assign(out, { codec: info.codec, codecString: info.codecString });
  if (info.width !== undefined) Object.assign(out, { width: info.width, height: info.height });
  const fps = p.measuredFrameRate;
  if (fps !== undefined) out.frameRate = Math.round(fps * 100) / 100;
  if (info.sampleRate !== undefined)
    Object.assign(out, { sampleRate: info.sampleRate, channels: info.channels });
  const bitrate = p.measuredBitrate;
  if (bitrate !== undefined) out.bitrateKbps = Math.round(bitrate / 1000);
  Object.assign(out, {
    packets: p.stats.packets,
    lostPackets: p.stats.lost,
    droppedAccessUnits: p.stats.droppedAccessUnits,
  });
  return out;
}

const CODEC_NAMES: Record<string, string> = {
  h264: 'H.264',
  h265: 'H.265',
  aac: 'AAC',
  pcmu: 'G.711 µ-law',
  pcma: 'G.711 A-law',
};

function trackLine(t: ProbedTrack): string {
  const head = `track ${t.index}  ${t.mediaType.padEnd(5)}`;
  if (t.status === 'skipped') return `${head}  ${t.encodingName}  skipped (${t.skipReason ?? 'unsupported'})`;
  const parts = [CODEC_NAMES[t.codec ?? ''] ?? t.encodingName, t.codecString || '(codec string unknown)'];
  if (t.width !== undefined) parts.push(`${t.width}x${t.height}`);
  if (t.mediaType === 'video')
    parts.push(t.frameRate !== undefined ? `${t.frameRate.toFixed(2)} fps` : 'fps unknown');
  if (t.sampleRate !== undefined)
    parts.push(`${t.sampleRate} Hz`, t.channels === 1 ? 'mono' : `${t.channels} ch`);
  parts.push(t.bitrateKbps !== undefined ? `${t.bitrateKbps} kbit/s` : 'no data');
  parts.push(`lost ${t.lostPackets ?? 0} packets`);
  if (t.droppedAccessUnits) parts.push(`dropped ${t.droppedAccessUnits} frames`);
  return `${head}  ${parts.join('  ')}`;
}

export async function cmdProbe(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...SOURCE_FLAGS, seconds: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(PROBE_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`unexpected arguments: ${positionals.slice(1).join(' ')}`);
  const source = await rtspSource(positionals[0], values, io);
  const seconds = positiveNumber('seconds', values.seconds, 3, 3600);
  const stream = openRtspStream(source.url, source.options);
  try {
    await stream.ready;
    const ended = await Promise.race([
      stream.closed,
      new Promise<'timer'>((resolve) => setTimeout(resolve, seconds * 1000, 'timer').unref()),
    ]);
    if (ended instanceof MediaError) throw ended;
  } catch (err) {
    return streamFailure('probe', err, source, io);
  } finally {
    await stream.close();
  }
  const tracks = stream.tracks.map(describeTrack);
  if (values.json) {
    io.out(
      JSON.stringify(
        { url: source.displayUrl, transport: source.options.transport, seconds, tracks },
        null,
        2,
      ),
    );
  } else {
    io.out(`${source.displayUrl}  (${source.options.transport}, measured over ${seconds} s)`);
    for (const t of tracks) io.out(trackLine(t));
  }
  if (stream.stats.packets === 0) {
    io.err(`argus probe: no media packets arrived in ${seconds} s [ARGUS_ERR_STREAM_NO_MEDIA]`);
    return 1;
  }
  return 0;
}
