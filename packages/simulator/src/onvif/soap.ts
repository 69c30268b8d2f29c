// SOAP 1.2 envelopes for the ONVIF services (ONVIF Core §5.1, §5.11 faults): namespace table,
// response and fault builders, and request parsing down to the operation element.
import { MediaError } from '@argus/media';
import { ERR_SIM_XML } from '../simulator-errors.js';
import { child, escapeXml, parseXml, type XmlElement } from './xml.js';

export const NS = {
  s: 'http://www.w3.org/2003/05/soap-envelope',
  wsa: 'http://www.w3.org/2005/08/addressing',
  tt: 'http://www.onvif.org/ver10/schema',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tev: 'http://www.onvif.org/ver10/events/wsdl',
  tmd: 'http://www.onvif.org/ver10/deviceIO/wsdl',
  tptz: 'http://www.onvif.org/ver20/ptz/wsdl',
  wsnt: 'http://docs.oasis-open.org/wsn/b-2',
  wstop: 'http://docs.oasis-open.org/wsn/t-1',
  tns1: 'http://www.onvif.org/ver10/topics',
  ter: 'http://www.onvif.org/ver10/error',
  xsd: 'http://www.w3.org/2001/XMLSchema',
} as const;

const DECLARATIONS = Object.entries(NS)
  .map(([prefix, uri]) => `xmlns:${prefix}="${uri}"`)
  .join(' ');

export const SOAP_CONTENT_TYPE = 'application/soap+xml; charset=utf-8';

export function soapEnvelope(body: string, header = ''): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<s:Envelope ${DECLARATIONS}>` +
    (header === '' ? '' : `<s:Header>${header}</s:Header>`) +
    `<s:Body>${body}</s:Body></s:Envelope>`
  );
}

export interface SoapFault {
  status: number;
  code: 'Sender' | 'Receiver';
  /** Qualified ter: subcodes, outermost first, e.g. ['ter:InvalidArgVal', 'ter:NoProfile']. */
  subcodes: string[];
  reason: string;
}

export function soapFaultXml(fault: SoapFault): string {
  let subcode = '';
  for (const sc of [...fault.subcodes].reverse()) {
    subcode = `<s:Subcode><s:Value>${escapeXml(sc)}</s:Value>${subcode}</s:Subcode>`;
  }
  return soapEnvelope(
    `<s:Fault><s:Code><s:Value>s:${fault.code}</s:Value>${subcode}</s:Code>` +
      `<s:Reason><s:Text xml:lang="en">${escapeXml(fault.reason)}</s:Text></s:Reason></s:Fault>`,
  );
}

/** Thrown by operation handlers; the router turns it into a SOAP fault reply. */
export class SoapFaultError extends Error {
  constructor(readonly fault: SoapFault) {
    super(fault.reason);
  }
}

export const faults = {
  notAuthorized: (): SoapFault => ({
    status: 400,
    code: 'Sender',
    subcodes: ['ter:NotAuthorized'],
    reason: 'Sender not Authorized',
  }),
  /** ter:InvalidArgVal with an optional more specific subcode such as 'ter:NoProfile'. */
  invalidArg: (detail: string, sub?: string): SoapFault => ({
    status: 400,
    code: 'Sender',
    subcodes: sub === undefined ? ['ter:InvalidArgVal'] : ['ter:InvalidArgVal', sub],
    reason: detail,
  }),
  actionNotSupported: (op: string): SoapFault => ({
    status: 400,
    code: 'Receiver',
    subcodes: ['ter:ActionNotSupported'],
    reason: `Optional action not implemented: ${op}`,
  }),
  wellFormed: (detail: string): SoapFault => ({
    status: 400,
    code: 'Sender',
    subcodes: ['ter:WellFormed'],
    reason: detail,
  }),
};

export interface SoapRequest {
  header: XmlElement | undefined;
  body: XmlElement;
  /** The operation element: the first child of Body. */
  op: XmlElement;
}

export function parseSoapRequest(xml: string): SoapRequest {
  const envelope = parseXml(xml);
  if (envelope.local !== 'Envelope') throw new MediaError(ERR_SIM_XML, 'root element is not a SOAP Envelope');
  const body = child(envelope, 'Body');
  const op = body?.children[0];
  if (body === undefined || op === undefined) throw new MediaError(ERR_SIM_XML, 'SOAP Body has no operation');
  return { header: child(envelope, 'Header'), body, op };
}

/** xs:dateTime in UTC with milliseconds, as ONVIF clients parse it. */
export function xsDateTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * xs:duration (PnDTnHnMnS, fractional seconds allowed; years and months refused) in ms, or
 * undefined when it is not a duration we accept.
 */
export function parseXsDurationMs(text: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text.trim());
  if (m === null || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const [, d, h, min, s] = m;
  return (
    Number(d ?? 0) * 86_400_000 +
    Number(h ?? 0) * 3_600_000 +
    Number(min ?? 0) * 60_000 +
    Number(s ?? 0) * 1000
  );
}

/** A termination time given as a duration (relative) or an absolute xs:dateTime. */
export function parseTerminationTime(text: string | undefined, nowMs: number): number | undefined {
  if (text === undefined || text === '') return undefined;
  const duration = parseXsDurationMs(text);
  if (duration !== undefined) return nowMs + duration;
  const abs = Date.parse(text);
  return Number.isFinite(abs) ? abs : undefined;
}
