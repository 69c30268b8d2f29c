// Axis-style parameters (VAPIX param.cgi: dotted names under "root.") of one camera. A few are
// writable, notably the text overlay (Image.I0.Text.*), which ONVIF OSD reads and writes too. The
// overlay is stored and reported, not burned into the pre-encoded picture.
import type { CameraIdentity } from './camera-identity.js';

const WRITABLE = [
  /^Image\.I0\.Text\.(String|TextEnabled|DateEnabled|ClockEnabled|Position|TextSize|TextColor)$/,
  /^Network\.Bonjour\.FriendlyName$/,
  /^IOPort\.I\d+\.(Input|Output)\.Name$/,
];

export const OVERLAY_TEXT = 'Image.I0.Text.String';
export const OVERLAY_ENABLED = 'Image.I0.Text.TextEnabled';

export function defaultParams(id: CameraIdentity): Map<string, string> {
  const p = new Map<string, string>([
    ['Brand.Brand', id.manufacturer],
    ['Brand.ProdFullName', id.fullName],
    ['Brand.ProdNbr', id.model],
    ['Brand.ProdShortName', `${id.manufacturer} ${id.model}`],
    ['Brand.ProdType', id.ptz ? 'PTZ Network Camera' : 'Network Camera'],
    ['Brand.WebURL', 'https://github.com/argus-vms'],
    ['Properties.Firmware.Version', id.firmwareVersion],
    ['Properties.System.SerialNumber', id.serial],
    ['Properties.System.HardwareID', id.hardwareId],
    ['Properties.API.HTTP.Version', '3'],
    ['Properties.Image.Resolution', '1920x1080,640x360'],
    ['Properties.Image.Format', 'jpeg,h264,h265'],
    ['Properties.Audio.Audio', id.audio ? 'yes' : 'no'],
    ['Properties.PTZ.PTZ', id.ptz ? 'yes' : 'no'],
    ['Properties.Motion.Motion', 'yes'],
    ['Network.HostName', id.name],
    ['Network.eth0.MACAddress', id.mac.toUpperCase()],
    ['Network.Bonjour.FriendlyName', `${id.model} - ${id.serial}`],
    ['Image.NbrOfConfigs', '1'],
    ['Image.I0.Appearance.Resolution', '1920x1080'],
    ['Image.I0.Stream.FPS', '25'],
    ['Image.I0.RateControl.MaxBitrate', '4000'],
    ['Image.I0.MPEG.PCount', '24'],
    [OVERLAY_TEXT, ''],
    [OVERLAY_ENABLED, 'no'],
    ['Image.I0.Text.DateEnabled', 'no'],
    ['Image.I0.Text.ClockEnabled', 'no'],
    ['Image.I0.Text.Position', 'top'],
    ['Image.I0.Text.TextSize', 'medium'],
    ['Image.I0.Text.TextColor', 'white'],
    ['Input.NbrOfInputs', String(id.inputCount)],
    ['Output.NbrOfOutputs', String(id.outputCount)],
  ]);
  for (let i = 0; i < id.inputCount + id.outputCount; i++) {
    const isInput = i < id.inputCount;
    p.set(`IOPort.I${i}.Configurable`, 'no');
    p.set(`IOPort.I${i}.Direction`, isInput ? 'input' : 'output');
    if (isInput) p.set(`IOPort.I${i}.Input.Name`, `Input ${i + 1}`);
    else p.set(`IOPort.I${i}.Output.Name`, `Output ${i - id.inputCount + 1}`);
  }
  return p;
}

export class ParamStore {
  constructor(private readonly params: Map<string, string>) {}

  get(name: string): string | undefined {
    return this.params.get(name.replace(/^root\./, ''));
  }

  /** Parameters whose name starts with one of the groups (all without groups), "root."-prefixed. */
  list(groups: string[] = []): Array<[string, string]> {
    const prefixes = groups.map((g) => g.replace(/^root\.?/, '')).filter((g) => g !== '');
    return [...this.params.entries()]
      .filter(
        ([name]) => prefixes.length === 0 || prefixes.some((g) => name === g || name.startsWith(`${g}.`)),
      )
      .map(([name, value]) => [`root.${name}`, value]);
  }

  isWritable(name: string): boolean {
    const n = name.replace(/^root\./, '');
    return this.params.has(n) && WRITABLE.some((re) => re.test(n));
  }

  /** Returns false (and changes nothing) for unknown or read-only names or over-long values. */
  set(name: string, value: string): boolean {
    if (!this.isWritable(name) || value.length > 256 || /[\r\n]/.test(value)) return false;
    this.params.set(name.replace(/^root\./, ''), value);
    return true;
  }
}
