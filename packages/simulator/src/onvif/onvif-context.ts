// What every ONVIF operation handler receives, and the handler table type. Handlers return the
// SOAP Body content (XML text) or throw SoapFaultError.
import type { CameraDevice } from '../camera/camera-device.js';
import type { PullPointManager } from './pull-point-manager.js';
import type { SoapRequest } from './soap.js';
import type { XmlElement } from './xml.js';

export interface OnvifContext {
  device: CameraDevice;
  pullPoints: PullPointManager;
  request: SoapRequest;
  op: XmlElement;
  /** Request path, e.g. /onvif/events/subscription/3 for subscription-manager operations. */
  path: string;
  /** Aborted when the HTTP request goes away (long polls stop waiting). */
  signal: AbortSignal;
}

export type OnvifHandler = (ctx: OnvifContext) => string | Promise<string>;

/** Handlers keyed by `${namespaceUri}#${operationLocalName}`. */
export type OnvifHandlerTable = Map<string, OnvifHandler>;

export function opKey(ns: string, local: string): string {
  return `${ns}#${local}`;
}

export const ONVIF_PATHS = {
  device: '/onvif/device_service',
  media: '/onvif/media_service',
  events: '/onvif/events_service',
  deviceIO: '/onvif/deviceio_service',
  ptz: '/onvif/ptz_service',
  subscriptionPrefix: '/onvif/events/subscription/',
} as const;
