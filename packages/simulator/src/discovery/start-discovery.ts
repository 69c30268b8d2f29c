// Starts the discovery responders the options ask for (both default off), bound to one interface
// address, describing the simulator's cameras from their live state.
import type { SimulatedCamera } from '../camera/simulated-camera.js';
import { deviceScopes, deviceUuid } from '../onvif/device-service.js';
import type { ResolvedSimulatorOptions } from '../simulator-options.js';
import { MdnsResponder } from './mdns-responder.js';
import { WsDiscoveryResponder } from './ws-discovery.js';

export interface DiscoveryResponders {
  close(): Promise<void>;
}

export async function startDiscovery(
  options: ResolvedSimulatorOptions['discovery'],
  cameras: SimulatedCamera[],
  log: (line: string) => void,
): Promise<DiscoveryResponders> {
  const started: Array<{ close(): void }> = [];
  try {
    if (options.wsDiscovery) {
      const ws = new WsDiscoveryResponder(
        options.interfaceAddress,
        options.wsDiscoveryPort,
        () =>
          cameras
            .filter((c) => c.up)
            .map((c) => ({
              endpoint: `urn:uuid:${deviceUuid(c.identity.mac)}`,
              xaddr: c.urls.onvifDevice,
              scopes: deviceScopes({ device: c }),
            })),
        log,
      );
      await ws.start();
      started.push(ws);
    }
    if (options.mdns) {
      const mdns = new MdnsResponder(
        options.interfaceAddress,
        options.mdnsPort,
        () =>
          cameras
            .filter((c) => c.up)
            .map((c) => ({
              instance: c.params.get('Network.Bonjour.FriendlyName') ?? c.identity.name,
              host: c.identity.name,
              address: new URL(c.urls.httpBase).hostname,
              httpPort: Number(new URL(c.urls.httpBase).port),
              mac: c.identity.mac,
            })),
        log,
      );
      await mdns.start();
      started.push(mdns);
    }
  } catch (err) {
    for (const s of started) s.close();
    throw err;
  }
  return {
    close: async () => {
      for (const s of started) s.close();
    },
  };
}
