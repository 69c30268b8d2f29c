// Dispatches ONVIF SOAP requests of one camera to the service handlers by the operation's namespace
// and name, after authentication (ONVIF Core §5.9: WS-UsernameToken, else HTTP Digest; PRE_AUTH
// operations need neither). Faults go out as SOAP 1.2 faults, 401 carries Digest challenges.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CameraDevice } from '../camera/camera-device.js';
import { send } from '../http/http-util.js';
import { addDeviceIoService } from './deviceio-service.js';
import { addDeviceService, PRE_AUTH_OPERATIONS } from './device-service.js';
import { addEventService } from './event-service.js';
import { addMediaService } from './media-service.js';
import { opKey, type OnvifHandlerTable } from './onvif-context.js';
import { addPtzService } from './ptz-service.js';
import { PullPointManager } from './pull-point-manager.js';
import {
  faults,
  parseSoapRequest,
  SOAP_CONTENT_TYPE,
  soapEnvelope,
  soapFaultXml,
  SoapFaultError,
  type SoapFault,
  type SoapRequest,
} from './soap.js';
import { UsernameTokenVerifier } from './ws-username-token.js';

export function buildHandlerTable(): OnvifHandlerTable {
  const table: OnvifHandlerTable = new Map();
  addDeviceService(table);
  addMediaService(table);
  addEventService(table);
  addDeviceIoService(table);
  addPtzService(table);
  return table;
}

const SHARED_TABLE = buildHandlerTable();

export class OnvifRouter {
  readonly pullPoints: PullPointManager;
  private readonly tokens: UsernameTokenVerifier;

  constructor(private readonly device: CameraDevice) {
    this.pullPoints = new PullPointManager(device.events, device.clock);
    this.tokens = new UsernameTokenVerifier({
      user: device.identity.user,
      password: () => device.auth.currentPassword(),
      nowMs: () => device.clock.nowMs(),
    });
  }

  private sendFault(res: ServerResponse, fault: SoapFault): void {
    send(res, fault.status, SOAP_CONTENT_TYPE, soapFaultXml(fault));
  }

  /** Handles one POST whose body has been read. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string, body: string): Promise<void> {
    let request: SoapRequest;
    try {
      request = parseSoapRequest(body);
    } catch (err) {
      this.sendFault(res, faults.wellFormed(err instanceof Error ? err.message : 'malformed request'));
      return;
    }
    const key = opKey(request.op.ns, request.op.local);
    const verdict = this.tokens.verify(request.header);
    if (verdict === 'invalid') {
      this.sendFault(res, faults.notAuthorized());
      return;
    }
    if (verdict === 'missing' && !PRE_AUTH_OPERATIONS.has(key)) {
      const digest = this.device.auth.verifyHttpDigest(req.method ?? 'POST', req.headers.authorization);
      if (!digest.ok) {
        send(res, 401, SOAP_CONTENT_TYPE, soapFaultXml(faults.notAuthorized()), {
          'WWW-Authenticate': this.device.auth.challenges(digest.stale),
        });
        return;
      }
    }
    const handler = SHARED_TABLE.get(key);
    if (handler === undefined) {
      this.sendFault(res, faults.actionNotSupported(request.op.local));
      return;
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    try {
      const xml = await handler({
        device: this.device,
        pullPoints: this.pullPoints,
        request,
        op: request.op,
        path,
        signal: abort.signal,
      });
      send(res, 200, SOAP_CONTENT_TYPE, soapEnvelope(xml));
    } catch (err) {
      if (err instanceof SoapFaultError) this.sendFault(res, err.fault);
      else this.sendFault(res, { status: 500, code: 'Receiver', subcodes: [], reason: 'internal error' });
    }
  }

  close(): void {
    this.pullPoints.closeAll();
  }
}
