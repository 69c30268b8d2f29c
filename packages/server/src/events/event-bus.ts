// The server's internal event bus: typed events (camera online/offline, motion, manual recording,
// recording started/stopped, storage full or unavailable, clock steps) numbered in order, kept in a
// bounded history, delivered synchronously to subscribers. One instance per server, injected.
import type { Clock } from '../base/index.js';
import type { ArgusEvent, ArgusEventType } from './argus-event.js';

export interface EventRecord<E extends ArgusEvent = ArgusEvent> {
  seq: number;
  /** Server wall time (ms) the event was published. */
  atMs: number;
  event: E;
}

export type EventListener<E extends ArgusEvent = ArgusEvent> = (record: EventRecord<E>) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private readonly history: EventRecord[] = [];
  private seq = 0;

  constructor(
    private readonly clock: Clock,
    private readonly historySize = 1000,
    private readonly onListenerError: (err: unknown) => void = () => undefined,
  ) {}

  publish(event: ArgusEvent): EventRecord {
    const record: EventRecord = { seq: ++this.seq, atMs: this.clock.nowMs(), event };
    this.history.push(record);
    if (this.history.length > this.historySize)
      this.history.splice(0, this.history.length - this.historySize);
    for (const l of [...this.listeners]) {
      try {
        l(record);
      } catch (err) {
        this.onListenerError(err);
      }
    }
    return record;
  }

  /** Every event; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events of one type. */
  on<T extends ArgusEventType>(
    type: T,
    listener: EventListener<Extract<ArgusEvent, { type: T }>>,
  ): () => void {
    return this.subscribe((r) => {
      if (r.event.type === type) listener(r as EventRecord<Extract<ArgusEvent, { type: T }>>);
    });
  }

  /** Events after `afterSeq` still in the history, oldest first. */
  since(afterSeq = 0, limit = this.historySize): EventRecord[] {
    const out = this.history.filter((r) => r.seq > afterSeq);
    return out.slice(0, limit);
  }

  get lastSeq(): number {
    return this.seq;
  }
}
