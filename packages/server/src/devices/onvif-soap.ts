// The little SOAP 1.2 an ONVIF event client needs: envelopes with a WS-Security UsernameToken
// (PasswordDigest, OASIS WSS UsernameToken Profile 1.0 §3.1) and WS-Addressing headers, and
// tolerant extraction of elements by local name (any namespace prefix). Not a general XML parser.
import { createHash, randomBytes } from 'node:crypto';

const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  wsa: 'http://www.w3.org/2005/08/addressing',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  tev: 'http://www.onvif.org/ver10/events/wsdl',
  wsnt: 'http://docs.oasis-open.org/wsn/b-2',
} as const;
export const ONVIF_NS = NS;

const PASSWORD_DIGEST =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';
const BASE64_BINARY =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

export const escapeXml = (s: string): string =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

const unescapeXml = (s: string): string =>
  s.replace(
    /&(lt|gt|amp|quot|apos);/g,
    (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!,
  );

/** UsernameToken with PasswordDigest = Base64(SHA-1(nonce + created + password)). */
export function usernameToken(
  user: string,
  password: string,
  createdMs: number,
  nonce = randomBytes(16),
): string {
  const created = new Date(createdMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const digest = createHash('sha1')
    .update(Buffer.concat([nonce, Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')]))
    .digest('base64');
  return (
    `<wsse:Security xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}"><wsse:UsernameToken>` +
    `<wsse:Username>${escapeXml(user)}</wsse:Username>` +
    `<wsse:Password Type="${PASSWORD_DIGEST}">${digest}</wsse:Password>` +
    `<wsse:Nonce EncodingType="${BASE64_BINARY}">${nonce.toString('base64')}</wsse:Nonce>` +
    `<wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security>`
  );
}

export function soapEnvelope(options: {
  action: string;
  to: string;
  body: string;
  security?: string;
}): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<s:Envelope xmlns:s="${NS.soap}" xmlns:a="${NS.wsa}" xmlns:tds="${NS.tds}" xmlns:tev="${NS.tev}" xmlns:wsnt="${NS.wsnt}">` +
    `<s:Header>${options.security ?? ''}<a:Action>${escapeXml(options.action)}</a:Action>` +
    `<a:To>${escapeXml(options.to)}</a:To></s:Header><s:Body>${options.body}</s:Body></s:Envelope>`
  );
}

/** Every element with this local name (any prefix): its attributes text and its inner XML. */
export function elements(xml: string, localName: string): { attrs: string; inner: string }[] {
  const re = new RegExp(
    `<(?:[A-Za-z_][\\w.-]*:)?${localName}(\\s[^>]*?)?(?:/>|>([\\s\\S]*?)</(?:[A-Za-z_][\\w.-]*:)?${localName}\\s*>)`,
    'g',
  );
  const out: { attrs: string; inner: string }[] = [];
  for (const m of xml.matchAll(re)) out.push({ attrs: m[1] ?? '', inner: m[2] ?? '' });
  return out;
}

export function elementText(xml: string, localName: string): string | undefined {
  const e = elements(xml, localName)[0];
  return e === undefined ? undefined : unescapeXml(e.inner.replace(/<[^>]*>/g, '').trim());
}

export function attribute(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)(?:[\\w.-]+:)?${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(attrs);
  return m === null ? undefined : unescapeXml(m[2] ?? m[3] ?? '');
}

/** The fault reason of a SOAP Fault answer, if the body is one. */
export function soapFault(xml: string): string | undefined {
  if (elements(xml, 'Fault').length === 0) return undefined;
  return elementText(xml, 'Text') ?? elementText(xml, 'Reason') ?? 'SOAP fault';
}
