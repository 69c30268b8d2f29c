// What a simulated camera is: name, model, serial, MAC, ports, credentials and capabilities.
// MACs use a locally administered prefix (IEEE 802 bit 1 of the first octet) so they never collide
// with real hardware; the serial is the MAC in upper-case hex, as Axis devices print it.
import { randomBytes } from 'node:crypto';

export interface CameraIdentity {
  index: number;
  name: string;
  manufacturer: string;
  model: string;
  /** Axis-style product full name. */
  fullName: string;
  firmwareVersion: string;
  serial: string;
  /** aa:bb:cc:dd:ee:ff */
  mac: string;
  hardwareId: string;
  user: string;
  password: string;
  ptz: boolean;
  audio: boolean;
  /** Default video codec of the camera's profiles and of RTSP URLs without videocodec=. */
  videoCodec: 'h264' | 'h265';
  /** Number of digital inputs and relay outputs (Axis port.cgi numbers inputs first). */
  inputCount: number;
  outputCount: number;
}

export interface IdentityInput {
  index: number;
  namePrefix: string;
  user: string;
  password: string | undefined;
  ptz: boolean;
  audio: boolean;
  h265: boolean;
  /** Distinguishes simulators started in the same process; mixed into the MAC. */
  instanceTag: number;
}

export function randomPassword(): string {
  return randomBytes(9).toString('base64url');
}

export function makeIdentity(input: IdentityInput): CameraIdentity {
  const n = input.index + 1;
  const tag = input.instanceTag & 0xff;
  const macBytes = [0x02, 0x41, 0x52, tag, (n >> 8) & 0xff, n & 0xff];
  const mac = macBytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
  const model = input.ptz ? 'SIM-1080-PTZ' : 'SIM-1080';
  return {
    index: input.index,
    name: `${input.namePrefix}-${String(n).padStart(2, '0')}`,
    manufacturer: 'Argus',
    model,
    fullName: `Argus Simulated ${input.ptz ? 'PTZ ' : ''}Network Camera ${model}`,
    firmwareVersion: '1.0.0-sim',
    serial: mac.replaceAll(':', '').toUpperCase(),
    mac,
    hardwareId: input.ptz ? 'A5C2' : 'A5C1',
    user: input.user,
    password: input.password ?? randomPassword(),
    ptz: input.ptz,
    audio: input.audio,
    videoCodec: input.h265 ? 'h265' : 'h264',
    inputCount: 2,
    outputCount: 2,
  };
}
