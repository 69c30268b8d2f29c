// WS-Discovery responder (WS-Discovery 2005/04 §5.2-5.3, as ONVIF Core §7.3 uses it): answers a
// Probe for NetworkVideoTransmitter/Device with one ProbeMatches per camera, sent unicast to the
// prober. It never announces (no Hello/Bye), so it only speaks when asked on its interface.
import { randomUUID } from 'node:crypto';
import type dgram from 'node:dgram';
import { child, childText, escapeXml as x, parseXml, type XmlElement } from '../onvif/xml.js';
import { closeUdpPair, openUdpPair, subnetGuard, type UdpPair } from './interface-guard.js';

export const WSD_GROUP = '239.255.255.250';
const NS_D = 'http://schemas.xmlsoap.org/ws/2005/04/discovery';
const NS_A = 'http://schemas.xmlsoap.org/ws/2004/08/addressing';
const PROBE_ACTION = `${NS_D}/Probe`;

export interface DiscoverableDevice {
  /** urn:uuid:... endpoint reference. */
  endpoint: string;
  xaddr: string;
  scopes: string[];
}

/** Which of our types a Probe asks for: empty Types matches; else every QName must be ours. */
function typesMatch(types: string | undefined): boolean {
  if (types === undefined || types.trim() === '') return true;
  return types
    .trim()
    .split(/\s+/)
    .every((qname) => ['NetworkVideoTransmitter', 'Device'].includes(qname.split(':').pop() ?? ''));
}

function scopesMatch(requested: string | undefined, ours: string[]): boolean {
  if (requested === undefined || requested.trim() === '') return true;
  return requested
    .trim()
    .split(/\s+/)
    .every((r) => ours.some((s) => s === r || s.startsWith(r.endsWith('/') ? r : `${r}/`)));
}

export function probeMatchesXml(
  device: DiscoverableDevice,
  relatesTo: string,
  messageNumber: number,
): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ` +
    `xmlns:a="${NS_A}" xmlns:d="${NS_D}" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" ` +
    `xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><s:Header>` +
    `<a:MessageID>urn:uuid:${randomUUID()}</a:MessageID><a:RelatesTo>${x(relatesTo)}</a:RelatesTo>` +
    `<a:To>${NS_A}/role/anonymous</a:To><a:Action>${NS_D}/ProbeMatches</a:Action>` +
    `<d:AppSequence InstanceId="1" MessageNumber="${messageNumber}"/></s:Header><s:Body><d:ProbeMatches>` +
    `<d:ProbeMatch><a:EndpointReference><a:Address>${x(device.endpoint)}</a:Address></a:EndpointReference>` +
    `<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types><d:Scopes>${x(device.scopes.join(' '))}</d:Scopes>` +
    `<d:XAddrs>${x(device.xaddr)}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch>` +
    `</d:ProbeMatches></s:Body></s:Envelope>`
  );
}

export class WsDiscoveryResponder {
  private pair: UdpPair | undefined;
  private messageNumber = 0;
  private readonly allowed: (sender: string) => boolean;

  constructor(
    private readonly interfaceAddress: string,
    private readonly port: number,
    private readonly devices: () => DiscoverableDevice[],
    private readonly log: (line: string) => void,
  ) {
    this.allowed = subnetGuard(interfaceAddress);
  }

  async start(): Promise<void> {
    this.pair = await openUdpPair(
      this.interfaceAddress,
      WSD_GROUP,
      this.port,
      (m, r) => this.onMessage(m, r),
      this.log,
    );
  }

  private onMessage(msg: Buffer, from: dgram.RemoteInfo): void {
    if (!this.allowed(from.address) || msg.length > 65_000) return;
    let envelope: XmlElement;
    try {
      envelope = parseXml(msg.toString('utf8'));
    } catch {
      return;
    }
    const header = child(envelope, 'Header');
    const probe = child(child(envelope, 'Body'), 'Probe');
    const action = childText(header, 'Action');
    if (probe === undefined || (action !== undefined && action !== PROBE_ACTION)) return;
    const messageId = childText(header, 'MessageID') ?? '';
    if (!typesMatch(childText(probe, 'Types'))) return;
    const scopes = childText(probe, 'Scopes');
    for (const device of this.devices()) {
      if (!scopesMatch(scopes, device.scopes)) continue;
      const reply = Buffer.from(probeMatchesXml(device, messageId, ++this.messageNumber), 'utf8');
      this.pair?.unicast.send(reply, from.port, from.address);
    }
  }

  close(): void {
    if (this.pair !== undefined) closeUdpPair(this.pair);
    this.pair = undefined;
  }
}
