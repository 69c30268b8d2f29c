// Keeps discovery answers on the chosen interface: a responder only answers senders inside that
// interface's IPv4 subnet (or loopback for 127.x), so a query that reached a shared multicast
// group from another interface is never answered out of it. Also the UDP socket pair both use.
import dgram from 'node:dgram';
import os from 'node:os';

function toInt(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** Returns a predicate telling whether a sender address is on the interface of `interfaceAddress`. */
export function subnetGuard(interfaceAddress: string): (sender: string) => boolean {
  if (interfaceAddress.startsWith('127.')) return (sender) => sender.startsWith('127.');
  for (const entries of Object.values(os.networkInterfaces())) {
    for (const e of entries ?? []) {
      if (e.family !== 'IPv4' || e.address !== interfaceAddress) continue;
      const mask = toInt(e.netmask);
      const net = toInt(e.address) & mask;
      return (sender) => /^\d+\.\d+\.\d+\.\d+$/.test(sender) && (toInt(sender) & mask) >>> 0 === net >>> 0;
    }
  }
  return () => false;
}

export interface UdpPair {
  /** Bound to interfaceAddress:port: receives directed queries and sends every answer. */
  unicast: dgram.Socket;
  /** Bound to group:port with membership on the interface only; undefined when joining failed. */
  multicast: dgram.Socket | undefined;
}

function bind(socket: dgram.Socket, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address, port, exclusive: false }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

export async function openUdpPair(
  interfaceAddress: string,
  group: string,
  port: number,
  onMessage: (msg: Buffer, from: dgram.RemoteInfo) => void,
  log: (line: string) => void,
): Promise<UdpPair> {
  const unicast = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  unicast.on('message', onMessage);
  unicast.on('error', (err) => log(`discovery socket error: ${err.message}`));
  await bind(unicast, interfaceAddress, port);
  unicast.setMulticastInterface(interfaceAddress);
  unicast.setMulticastTTL(255);
  unicast.setMulticastLoopback(false);
  let multicast: dgram.Socket | undefined = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  try {
    multicast.on('error', (err) => log(`discovery socket error: ${err.message}`));
    await bind(multicast, group, port);
    multicast.addMembership(group, interfaceAddress);
    multicast.on('message', onMessage);
  } catch (err) {
    log(
      `multicast ${group} not joined on ${interfaceAddress}: ${(err as Error).message}; unicast queries only`,
    );
    multicast.close();
    multicast = undefined;
  }
  return { unicast, multicast };
}

export function closeUdpPair(pair: UdpPair): void {
  pair.unicast.close();
  pair.multicast?.close();
}
