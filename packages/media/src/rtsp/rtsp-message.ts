// RTSP message model and serializer (RFC 2326 §4, §6, §7; RFC 7826 §8): request and response
// lines, headers, Content-Length framed bodies, and the interleaved binary frame (RFC 2326 §10.12).
import { MediaError } from '../media-error.js';
import { ERR_RTSP_PROTOCOL } from './rtsp-errors.js';
import { RtspHeaders, type RtspHeaderInit } from './rtsp-headers.js';

export const RTSP_VERSION = 'RTSP/1.0';

export interface RtspRequest {
  kind: 'request';
  method: string;
  url: string;
  version: string;
  headers: RtspHeaders;
  body: Uint8Array;
}

export interface RtspResponse {
  kind: 'response';
  version: string;
  statusCode: number;
  reason: string;
  headers: RtspHeaders;
  body: Uint8Array;
}

export type RtspMessage = RtspRequest | RtspResponse;

const EMPTY = new Uint8Array(0);

/** Standard reason phrases (RFC 2326 §7.1.1) for the codes our server sends. */
export const RTSP_REASONS: Record<number, string> = {
  200: 'OK',
  301: 'Moved Permanently',
  302: 'Moved Temporarily',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  454: 'Session Not Found',
  455: 'Method Not Valid in This State',
  459: 'Aggregate Operation Not Allowed',
  461: 'Unsupported Transport',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'RTSP Version Not Supported',
};

export function createRequest(
  method: string,
  url: string,
  headers?: RtspHeaderInit,
  body?: Uint8Array,
): RtspRequest {
  return {
    kind: 'request',
    method,
    url,
    version: RTSP_VERSION,
    headers: new RtspHeaders(headers),
    body: body ?? EMPTY,
  };
}

export function createResponse(
  statusCode: number,
  headers?: RtspHeaderInit,
  body?: Uint8Array,
): RtspResponse {
  return {
    kind: 'response',
    version: RTSP_VERSION,
    statusCode,
    reason: RTSP_REASONS[statusCode] ?? 'Unknown',
    headers: new RtspHeaders(headers),
    body: body ?? EMPTY,
  };
}

function withBody(head: string, headers: RtspHeaders, body: Uint8Array): Buffer {
  const lengthHeader =
    body.length > 0 && !headers.has('Content-Length') ? `Content-Length: ${body.length}\r\n` : '';
  const text = Buffer.from(`${head}\r\n${headers.serialize()}${lengthHeader}\r\n`, 'utf8');
  return body.length === 0 ? text : Buffer.concat([text, body]);
}

export function serializeRequest(request: Omit<RtspRequest, 'kind'>): Buffer {
  if (!/^[A-Za-z_-]{1,32}$/.test(request.method) || !/^[^\s]{1,4096}$/.test(request.url)) {
    throw new MediaError(ERR_RTSP_PROTOCOL, 'invalid RTSP request method or URL');
  }
  return withBody(`${request.method} ${request.url} ${request.version}`, request.headers, request.body);
}

export function serializeResponse(response: Omit<RtspResponse, 'kind'>): Buffer {
  if (!Number.isInteger(response.statusCode) || response.statusCode < 100 || response.statusCode > 999) {
    throw new MediaError(ERR_RTSP_PROTOCOL, 'invalid RTSP status code');
  }
  const reason = response.reason.replace(/[\r\n]/g, ' ');
  return withBody(`${response.version} ${response.statusCode} ${reason}`, response.headers, response.body);
}

/** '$' + channel + 16-bit length + data, as one buffer so it goes out in a single socket write. */
export function buildInterleavedFrame(channel: number, data: Uint8Array): Buffer {
  if (data.length > 0xffff)
    throw new MediaError(ERR_RTSP_PROTOCOL, 'interleaved frame larger than 65535 bytes');
  const out = Buffer.allocUnsafe(4 + data.length);
  out[0] = 0x24;
  out[1] = channel & 0xff;
  out[2] = data.length >> 8;
  out[3] = data.length & 0xff;
  out.set(data, 4);
  return out;
}
