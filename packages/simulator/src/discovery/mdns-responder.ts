// mDNS/DNS-SD responder (RFC 6762, RFC 6763) advertising each camera as _axis-video._tcp, as Axis
// devices do: PTR, SRV, TXT (macaddress=) and A records. Legacy unicast queries (source port other
// than 5353, RFC 6762 §6.7) and QU questions get unicast answers; QM questions from port 5353 get a
// multicast answer on the chosen interface only. It never announces unasked.
import type dgram from 'node:dgram';
import {
  buildDnsResponse,
  DNS_TYPE,
  parseDnsQuery,
  type DnsQuestion,
  type DnsRecord,
} from './dns-message.js';
import { closeUdpPair, openUdpPair, subnetGuard, type UdpPair } from './interface-guard.js';

export const MDNS_GROUP = '224.0.0.251';
export const MDNS_PORT = 5353;
export const AXIS_SERVICE = '_axis-video._tcp.local';
const SERVICES_ENUM = '_services._dns-sd._udp.local';
const TTL_S = 120;

export interface AdvertisedCamera {
  /** Instance label, e.g. "SIM-1080 - 024152000001". */
  instance: string;
  /** Host label without .local, e.g. "sim-cam-01". */
  host: string;
  address: string;
  httpPort: number;
  mac: string;
}

/** Every record the cameras own, for matching questions against. */
export function cameraRecords(cam: AdvertisedCamera): DnsRecord[] {
  const instanceName = `${cam.instance}.${AXIS_SERVICE}`;
  const hostName = `${cam.host}.local`;
  return [
    { type: 'PTR', name: AXIS_SERVICE, target: instanceName, ttl: TTL_S },
    { type: 'SRV', name: instanceName, target: hostName, port: cam.httpPort, ttl: TTL_S },
    {
      type: 'TXT',
      name: instanceName,
      entries: [`macaddress=${cam.mac.replaceAll(':', '').toUpperCase()}`],
      ttl: TTL_S,
    },
    { type: 'A', name: hostName, address: cam.address, ttl: TTL_S },
  ];
}

/** Answers for the questions: direct matches, plus SRV/TXT/A as additional help for a PTR match. */
export function answersFor(questions: DnsQuestion[], cams: AdvertisedCamera[]): DnsRecord[] {
  const out: DnsRecord[] = [];
  const add = (r: DnsRecord): void => {
    if (!out.some((o) => o.type === r.type && o.name === r.name && JSON.stringify(o) === JSON.stringify(r)))
      out.push(r);
  };
  for (const q of questions) {
    const qname = q.name.toLowerCase();
    if (qname === SERVICES_ENUM && (q.type === DNS_TYPE.PTR || q.type === DNS_TYPE.ANY) && cams.length > 0) {
      add({ type: 'PTR', name: SERVICES_ENUM, target: AXIS_SERVICE, ttl: TTL_S });
    }
    for (const cam of cams) {
      const records = cameraRecords(cam);
      for (const r of records) {
        if (r.name.toLowerCase() !== qname || (q.type !== DNS_TYPE.ANY && DNS_TYPE[r.type] !== q.type))
          continue;
        add(r);
        if (r.type === 'PTR') for (const extra of records.slice(1)) add(extra);
      }
    }
  }
  return out;
}

export class MdnsResponder {
  private pair: UdpPair | undefined;
  private readonly allowed: (sender: string) => boolean;

  constructor(
    private readonly interfaceAddress: string,
    private readonly port: number,
    private readonly cameras: () => AdvertisedCamera[],
    private readonly log: (line: string) => void,
  ) {
    this.allowed = subnetGuard(interfaceAddress);
  }

  async start(): Promise<void> {
    this.pair = await openUdpPair(
      this.interfaceAddress,
      MDNS_GROUP,
      this.port,
      (m, r) => this.onMessage(m, r),
      this.log,
    );
  }

  private onMessage(msg: Buffer, from: dgram.RemoteInfo): void {
    if (!this.allowed(from.address) || this.pair === undefined) return;
    let query;
    try {
      query = parseDnsQuery(msg);
    } catch {
      return;
    }
    if (query.isResponse || query.questions.length === 0) return;
    const answers = answersFor(query.questions, this.cameras());
    if (answers.length === 0) return;
    const legacy = from.port !== this.port;
    if (legacy || query.questions.some((q) => q.unicastResponse)) {
      const reply = buildDnsResponse(answers, {
        id: legacy ? query.id : 0,
        questions: legacy ? query.questions : [],
        cacheFlush: !legacy,
      });
      this.pair.unicast.send(reply, from.port, from.address);
    } else {
      this.pair.unicast.send(buildDnsResponse(answers, { id: 0, cacheFlush: true }), this.port, MDNS_GROUP);
    }
  }

  close(): void {
    if (this.pair !== undefined) closeUdpPair(this.pair);
    this.pair = undefined;
  }
}
