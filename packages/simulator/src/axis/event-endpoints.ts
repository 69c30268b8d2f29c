// Axis-style event endpoints of the simulator (documented in packages/simulator/README.md):
// GET /axis-cgi/events/stream.cgi  text/event-stream (W3C Server-Sent Events), one JSON per event;
// GET /axis-cgi/events/poll.cgi?after=N&timeout=S  JSON long-poll. Both read the camera event bus.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CameraEvent, CameraEventBus } from '../camera/camera-events.js';
import { TOPIC_DIGITAL_INPUT, TOPIC_MOTION } from '../camera/camera-events.js';
import type { SimulatorClock } from '../simulator-clock.js';
import { sendJson } from '../http/http-util.js';

export interface EventJson {
  seq: number;
  utc: string;
  utcMs: number;
  /** ONVIF topic, e.g. tns1:VideoSource/MotionAlarm. */
  topic: string;
  kind: 'motion' | 'input' | 'relay';
  /** Source token (video source, input or relay). */
  id: string;
  active: boolean;
  property: 'Initialized' | 'Changed';
  source: Record<string, string>;
  data: Record<string, string>;
}

export function eventJson(e: CameraEvent): EventJson {
  const kind = e.topic === TOPIC_MOTION ? 'motion' : e.topic === TOPIC_DIGITAL_INPUT ? 'input' : 'relay';
  return {
    seq: e.seq,
    utc: new Date(e.utcMs).toISOString(),
    utcMs: e.utcMs,
    topic: e.topic,
    kind,
    id: e.source.value,
    active: e.data.value === 'true' || e.data.value === 'active',
    property: e.property,
    source: { [e.source.name]: e.source.value },
    data: { [e.data.name]: e.data.value },
  };
}

export const MAX_POLL_TIMEOUT_S = 60;
const SSE_HEARTBEAT_MS = 15_000;

/** Open event streams and polls, so the camera can end them on close or reboot. */
export class EventEndpoints {
  private readonly open = new Set<() => void>();

  constructor(
    private readonly bus: CameraEventBus,
    private readonly clock: SimulatorClock,
  ) {}

  stream(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const lastId = req.headers['last-event-id'];
    const afterText = query.get('after') ?? (typeof lastId === 'string' ? lastId : null);
    const after = afterText === null ? undefined : Number(afterText);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    const write = (e: CameraEvent): void => {
      res.write(
        `${e.seq > 0 ? `id: ${e.seq}\n` : ''}event: ${eventJson(e).kind}\ndata: ${JSON.stringify(eventJson(e))}\n\n`,
      );
    };
    res.write('retry: 2000\n\n');
    if (after === undefined || !Number.isInteger(after)) {
      for (const e of this.bus.snapshot(this.clock.nowMs())) write(e);
    } else {
      for (const e of this.bus.since(after)) write(e);
    }
    const unsubscribe = this.bus.subscribe(write);
    let timer: unknown;
    const beat = (): void => {
      res.write(': keep-alive\n\n');
      timer = this.clock.setTimeout(beat, SSE_HEARTBEAT_MS);
    };
    timer = this.clock.setTimeout(beat, SSE_HEARTBEAT_MS);
    const end = (): void => {
      unsubscribe();
      this.clock.clearTimeout(timer);
      this.open.delete(end);
      if (!res.writableEnded) res.end();
    };
    this.open.add(end);
    res.on('close', end);
  }

  poll(res: ServerResponse, query: URLSearchParams): void {
    const afterText = query.get('after');
    const timeoutS = Math.min(MAX_POLL_TIMEOUT_S, Math.max(0, Number(query.get('timeout') ?? '30') || 0));
    if (afterText === null) {
      const snapshot = this.bus.snapshot(this.clock.nowMs()).map(eventJson);
      sendJson(res, 200, { lastSeq: this.bus.lastSeq, events: snapshot });
      return;
    }
    const after = Number(afterText);
    if (!Number.isInteger(after) || after < 0) {
      sendJson(res, 400, { error: 'after must be a non-negative integer' });
      return;
    }
    const ready = this.bus.since(after);
    if (ready.length > 0 || timeoutS === 0) {
      sendJson(res, 200, { lastSeq: this.bus.lastSeq, events: ready.map(eventJson) });
      return;
    }
    const finish = (): void => {
      unsubscribe();
      this.clock.clearTimeout(timer);
      this.open.delete(finish);
      sendJson(res, 200, { lastSeq: this.bus.lastSeq, events: this.bus.since(after).map(eventJson) });
    };
    const unsubscribe = this.bus.subscribe(() => finish());
    const timer = this.clock.setTimeout(finish, timeoutS * 1000);
    this.open.add(finish);
    res.on('close', () => {
      unsubscribe();
      this.clock.clearTimeout(timer);
      this.open.delete(finish);
    });
  }

  /** Ends every open stream and answers every pending poll. */
  closeAll(): void {
    for (const end of [...this.open]) end();
  }
}
