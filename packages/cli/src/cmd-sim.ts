// `argus sim`: run virtual IP cameras (RTSP, Axis-style HTTP API, ONVIF) for trying Argus without
// hardware, and print each camera's addresses and credentials.
import { parseArgs } from 'node:util';
import { startSimulator, type SimulatedCameraInfo, type SimulatorOptions } from '@argus/simulator';
import { UsageError, type CliIo } from './cli-io.js';
import { waitForStop } from './wait-for-stop.js';

export const SIM_HELP = `Usage: argus sim [options]

Runs simulated IP cameras until Ctrl-C or SIGTERM. Each camera serves a 1080p main and a 640x360
sub stream over RTSP, an Axis-style HTTP API, ONVIF (device, media, events, I/O, PTZ), motion on a
schedule, and faults on command through the control API. Discovery stays off.

Options:
  --cameras N         number of cameras (default 4)
  --ptz K             the first K cameras are PTZ cameras (default 0)
  --h265              cameras stream H.265 by default
  --audio             add an AAC audio track
  --bitrate-main KBPS main stream bitrate in kbit/s, reached with filler data (default 4000; 0 = clip as encoded)
  --bitrate-sub KBPS  sub stream bitrate in kbit/s (default 512; 0 = clip as encoded)
  --bind ADDR         address the cameras listen on (default 127.0.0.1)
  --base-port P       control API on P, camera i on P+1+2i (HTTP) and P+2+2i (RTSP); default: any free ports
  --scenario FILE     JSON scenario of motion, inputs and faults (packages/simulator/README.md)
  --user NAME         user name of every camera (default root)
  --password-stdin    read one password for every camera from standard input (default: random per camera)
  -h, --help          show this help`;

const int = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} expects a whole number, got "${value}"`);
  return n;
};

export function describeCamera(c: SimulatedCameraInfo): string {
  return [
    `${c.name}  ${c.model}${c.ptz ? ' (PTZ)' : ''}  ${c.videoCodec}${c.audio ? ' + AAC' : ''}`,
    `  RTSP main: ${c.rtsp.main}`,
    `  RTSP sub:  ${c.rtsp.sub}`,
    `  HTTP/ONVIF: ${c.httpUrl}  (${c.onvifDeviceUrl})`,
    `  user ${c.user}  password ${c.password}`,
  ].join('\n');
}

export async function cmdSim(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      cameras: { type: 'string' },
      ptz: { type: 'string' },
      h265: { type: 'boolean' },
      audio: { type: 'boolean' },
      'bitrate-main': { type: 'string' },
      'bitrate-sub': { type: 'string' },
      bind: { type: 'string' },
      'base-port': { type: 'string' },
      scenario: { type: 'string' },
      user: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(SIM_HELP);
    return 0;
  }
  const options: SimulatorOptions = {
    cameras: int('cameras', values.cameras, 4),
    ptz: int('ptz', values.ptz, 0),
    h265: values.h265 ?? false,
    audio: values.audio ?? false,
    videoBitrateKbps: {
      main: int('bitrate-main', values['bitrate-main'], 4000),
      sub: int('bitrate-sub', values['bitrate-sub'], 512),
    },
    bind: values.bind ?? '127.0.0.1',
    basePort: int('base-port', values['base-port'], 0),
    log: (line) => io.err(line),
  };
  if (values.scenario) options.scenario = values.scenario;
  if (values.user) options.user = values.user;
  if (values['password-stdin']) options.password = (await io.readStdin()).replace(/\r?\n$/, '');
  const sim = await startSimulator(options);
  io.out(
    `${sim.cameras.length} simulated camera(s) running${sim.control.url ? `; control API ${sim.control.url}` : ''}`,
  );
  for (const camera of sim.cameras) io.out(describeCamera(camera));
  await waitForStop();
  await sim.close();
  return 0;
}
