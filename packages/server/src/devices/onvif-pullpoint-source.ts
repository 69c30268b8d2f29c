// Motion events over ONVIF PullPoint (ONVIF Core §9.3 "Real-time Pull-Point Notification
// Interface"): find the event service (GetCapabilities), CreatePullPointSubscription, then
// long-poll PullMessages, Renew before the termination time, Unsubscribe on stop. The camera's
// clock offset (GetSystemDateAndTime) keeps the UsernameToken's Created inside its window.
import {
  ReconnectBackoff,
  type MotionEventSource,
  type MotionEventSourceListener,
  type Timers,
} from '../ingest/index.js';
import { ARGUS_ERR_CAMERA_HTTP, CameraHttpClient, CameraHttpError } from './camera-http-client.js';
import {
  attribute,
  elementText,
  elements,
  ONVIF_NS,
  soapEnvelope,
  soapFault,
  usernameToken,
} from './onvif-soap.js';

export const ARGUS_ERR_ONVIF = 'ARGUS_ERR_ONVIF';

const ACTIONS = {
  getTime: `${ONVIF_NS.tds}/GetSystemDateAndTime`,
  getCapabilities: `${ONVIF_NS.tds}/GetCapabilities`,
  create: `${ONVIF_NS.tev}/EventPortType/CreatePullPointSubscriptionRequest`,
  pull: `${ONVIF_NS.tev}/PullPointSubscription/PullMessagesRequest`,
  renew: `${ONVIF_NS.wsnt}/SubscriptionManager/RenewRequest`,
  unsubscribe: `${ONVIF_NS.wsnt}/SubscriptionManager/UnsubscribeRequest`,
};

/** Motion topics of common cameras and the data item that carries the state. */
const MOTION_TOPIC = /MotionAlarm|CellMotionDetector\/Motion|MotionRegionDetector|VideoMotion/i;
const MOTION_ITEMS = ['State', 'IsMotion', 'Motion', 'active'];

export interface OnvifPullPointOptions {
  /** Device service URL, e.g. http://192.0.2.10/onvif/device_service */
  deviceUrl: string;
  credentials: { user: string; password: string } | null;
  timers: Timers;
  nowMs: () => number;
  random?: () => number;
  /** PullMessages wait, seconds. Default 20. */
  pullTimeoutS?: number;
  /** Subscription lifetime asked for, seconds; renewed at half of it. Default 60. */
  terminationS?: number;
}

export class OnvifPullPointSource implements MotionEventSource {
  readonly kind = 'onvif';
  private readonly http: CameraHttpClient;
  private readonly backoff: ReconnectBackoff;
  private abort: AbortController | undefined;
  private running = false;
  private retry: unknown;
  private wake: (() => void) | undefined;
  private clockOffsetMs = 0;
  private subscription: string | undefined;

  constructor(private readonly options: OnvifPullPointOptions) {
    this.http = new CameraHttpClient(options.credentials);
    this.backoff = new ReconnectBackoff({ initialMs: 1000, fastMaxMs: 5000, maxMs: 30_000 }, options.random);
  }

  start(listener: MotionEventSourceListener): void {
    if (this.running) return;
    this.running = true;
    void this.loop(listener);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.options.timers.clearTimeout(this.retry);
    this.abort?.abort();
    this.wake?.();
    const sub = this.subscription;
    this.subscription = undefined;
    if (sub !== undefined)
      await this.call(sub, ACTIONS.unsubscribe, '<wsnt:Unsubscribe/>', 2000, undefined).catch(
        () => undefined,
      );
  }

  private async loop(listener: MotionEventSourceListener): Promise<void> {
    let eventsUrl: string | undefined;
    let renewAtMs = 0;
    let connected: boolean | undefined;
    const termination = this.options.terminationS ?? 60;
    const pullS = this.options.pullTimeoutS ?? 20;
    while (this.running) {
      this.abort = new AbortController();
      const signal = this.abort.signal;
      try {
        if (this.subscription === undefined) {
          await this.syncClock(signal);
          eventsUrl ??= await this.eventsService(signal);
          const created = await this.call(
            eventsUrl,
            ACTIONS.create,
            `<tev:CreatePullPointSubscription><tev:InitialTerminationTime>PT${termination}S</tev:InitialTerminationTime></tev:CreatePullPointSubscription>`,
            10_000,
            signal,
          );
          const address = elementText(elements(created, 'SubscriptionReference')[0]?.inner ?? '', 'Address');
          if (!address)
            throw new CameraHttpError(ARGUS_ERR_CAMERA_HTTP, 'no subscription address in the answer');
          this.subscription = address;
          renewAtMs = this.options.nowMs() + (termination * 1000) / 2;
          if (connected !== true) {
            connected = true;
            this.backoff.reset();
            listener.onConnection?.(true);
          }
        }
        if (this.options.nowMs() >= renewAtMs) {
          await this.call(
            this.subscription,
            ACTIONS.renew,
            `<wsnt:Renew><wsnt:TerminationTime>PT${termination}S</wsnt:TerminationTime></wsnt:Renew>`,
            10_000,
            signal,
          );
          renewAtMs = this.options.nowMs() + (termination * 1000) / 2;
        }
        const answer = await this.call(
          this.subscription,
          ACTIONS.pull,
          `<tev:PullMessages><tev:Timeout>PT${pullS}S</tev:Timeout><tev:MessageLimit>100</tev:MessageLimit></tev:PullMessages>`,
          (pullS + 10) * 1000,
          signal,
        );
        if (!this.running) return;
        for (const event of motionEvents(answer, this.clockOffsetMs, this.options.nowMs()))
          listener.onMotion(event);
      } catch (err) {
        if (!this.running) return;
        this.subscription = undefined;
        if (connected !== false) {
          connected = false;
          listener.onConnection?.(false, {
            code: (err as { code?: string }).code ?? ARGUS_ERR_ONVIF,
            message: (err as Error).message,
          });
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.retry = this.options.timers.setTimeout(
            resolve,
            this.backoff.nextDelayMs(this.options.nowMs()),
          );
        });
        this.wake = undefined;
      }
    }
  }

  private async syncClock(signal: AbortSignal): Promise<void> {
    const body = await this.call(
      this.options.deviceUrl,
      ACTIONS.getTime,
      '<tds:GetSystemDateAndTime/>',
      10_000,
      signal,
      false,
    );
    const utc = elements(body, 'UTCDateTime')[0]?.inner;
    if (utc === undefined) return;
    const n = (name: string): number => Number(elementText(utc, name) ?? NaN);
    const ms = Date.UTC(n('Year'), n('Month') - 1, n('Day'), n('Hour'), n('Minute'), n('Second'));
    // The answer has whole seconds: an offset under 2 s is rounding, not a camera clock error.
    const offset = ms - this.options.nowMs();
    if (Number.isFinite(offset)) this.clockOffsetMs = Math.abs(offset) < 2000 ? 0 : offset;
  }

  private async eventsService(signal: AbortSignal): Promise<string> {
    const body = await this.call(
      this.options.deviceUrl,
      ACTIONS.getCapabilities,
      '<tds:GetCapabilities><tds:Category>Events</tds:Category></tds:GetCapabilities>',
      10_000,
      signal,
    );
    const events = elements(body, 'Events')[0]?.inner;
    const xaddr = events === undefined ? undefined : elementText(events, 'XAddr');
    if (!xaddr) throw new CameraHttpError(ARGUS_ERR_CAMERA_HTTP, 'the camera has no ONVIF event service');
    return xaddr;
  }

  private async call(
    url: string,
    action: string,
    body: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    secure = true,
  ): Promise<string> {
    const creds = this.options.credentials;
    const security =
      secure && creds
        ? usernameToken(creds.user, creds.password, this.options.nowMs() + this.clockOffsetMs)
        : undefined;
    const res = await this.http.request(url, {
      method: 'POST',
      body: soapEnvelope({ action, to: url, body, ...(security ? { security } : {}) }),
      contentType: `application/soap+xml; charset=utf-8; action="${action}"`,
      timeoutMs,
      ...(signal ? { signal } : {}),
    });
    const fault = soapFault(res.body);
    if (res.status !== 200 || fault !== undefined)
      throw new CameraHttpError(
        ARGUS_ERR_CAMERA_HTTP,
        `ONVIF ${action.split('/').pop()} failed: HTTP ${res.status}${fault ? ` (${fault})` : ''}`,
        res.status,
      );
    return res.body;
  }
}

/** Motion state changes in a PullMessages answer (camera times moved onto the server clock). */
export function motionEvents(
  xml: string,
  cameraOffsetMs: number,
  nowMs: number,
): { active: boolean; atMs: number }[] {
  const out: { active: boolean; atMs: number }[] = [];
  for (const n of elements(xml, 'NotificationMessage')) {
    const topic = elementText(n.inner, 'Topic') ?? '';
    if (!MOTION_TOPIC.test(topic)) continue;
    // The inner tt:Message (with UtcTime) sits inside wsnt:Message: find its start tag directly.
    const open = /<(?:[\w.-]+:)?Message(\s[^>]*UtcTime\s*=[^>]*)>/.exec(n.inner);
    if (open === null) continue;
    const attrs = open[1]!;
    const data = elements(n.inner.slice(open.index), 'Data')[0]?.inner ?? '';
    let value: string | undefined;
    for (const item of elements(data, 'SimpleItem')) {
      if (MOTION_ITEMS.includes(attribute(item.attrs, 'Name') ?? '')) value = attribute(item.attrs, 'Value');
    }
    if (value === undefined) continue;
    const utc = Date.parse(attribute(attrs, 'UtcTime') ?? '');
    out.push({
      active: value.toLowerCase() === 'true' || value === '1',
      atMs: Number.isFinite(utc) ? utc - cameraOffsetMs : nowMs,
    });
  }
  return out;
}
