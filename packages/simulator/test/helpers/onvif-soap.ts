// Test helper: raw ONVIF SOAP requests with a WS-Security UsernameToken (PasswordDigest), for the
// operations the `onvif` npm client does not cover, and for authentication edge cases.
import { createHash, randomBytes } from 'node:crypto';

export interface TokenOptions {
  user: string;
  password: string;
  nonce?: Buffer;
  created?: string;
}

export function usernameToken(o: TokenOptions): string {
  const nonce = o.nonce ?? randomBytes(16);
  const created = o.created ?? new Date().toISOString();
  const digest = createHash('sha1').update(nonce).update(created).update(o.password).digest('base64');
  return (
    `<Security s:mustUnderstand="1" xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">` +
    `<UsernameToken><Username>${o.user}</Username>` +
    `<Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</Password>` +
    `<Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonce.toString('base64')}</Nonce>` +
    `<Created xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">${created}</Created>` +
    `</UsernameToken></Security>`
  );
}

export async function soap(
  url: string,
  body: string,
  token?: TokenOptions,
): Promise<{ status: number; xml: string }> {
  const envelope =
    `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header>${token ? usernameToken(token) : ''}</s:Header>` +
    `<s:Body>${body}</s:Body></s:Envelope>`;
  const res = await fetch(url, {
    method: 'POST',
    body: envelope,
    headers: { 'Content-Type': 'application/soap+xml' },
  });
  return { status: res.status, xml: await res.text() };
}
