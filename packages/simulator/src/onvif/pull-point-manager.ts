// PullPoint subscriptions of one camera (ONVIF Core §9.1 Real-time Pull-Point Notification
// Interface): each has a bounded queue fed by the camera event bus, starts with the current value
// of every property (PropertyOperation Initialized), expires at its termination time and serves
// PullMessages as a long poll.
import type { CameraEvent, CameraEventBus } from '../camera/camera-events.js';
import type { SimulatorClock } from '../simulator-clock.js';

export interface PullPointSubscription {
  id: number;
  terminationMs: number;
  /** Topic prefixes to keep (from a TopicExpression filter); empty = everything. */
  topics: string[];
  queue: CameraEvent[];
  waiter?: () => void;
  unsubscribe: () => void;
}

export const MAX_SUBSCRIPTIONS = 32;
export const MAX_QUEUED_EVENTS = 1000;
/** Longest PullMessages wait we honour (ONVIF clients ask for up to PT1M). */
export const MAX_PULL_WAIT_MS = 60_000;

export class PullPointManager {
  private readonly subs = new Map<number, PullPointSubscription>();
  private nextId = 1;

  constructor(
    private readonly bus: CameraEventBus,
    private readonly clock: SimulatorClock,
  ) {}

  private sweep(): void {
    const now = this.clock.nowMs();
    for (const sub of [...this.subs.values()]) if (sub.terminationMs <= now) this.remove(sub.id);
  }

  private matches(sub: PullPointSubscription, event: CameraEvent): boolean {
    return (
      sub.topics.length === 0 || sub.topics.some((t) => event.topic === t || event.topic.startsWith(`${t}/`))
    );
  }

  create(terminationMs: number, topics: string[] = []): PullPointSubscription {
    this.sweep();
    while (this.subs.size >= MAX_SUBSCRIPTIONS) {
      const oldest = this.subs.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
    const id = this.nextId++;
    const sub: PullPointSubscription = { id, terminationMs, topics, queue: [], unsubscribe: () => {} };
    sub.queue = this.bus.snapshot(this.clock.nowMs()).filter((e) => this.matches(sub, e));
    sub.unsubscribe = this.bus.subscribe((event) => {
      if (!this.matches(sub, event)) return;
      sub.queue.push(event);
      if (sub.queue.length > MAX_QUEUED_EVENTS) sub.queue.shift();
      sub.waiter?.();
    });
    this.subs.set(id, sub);
    return sub;
  }

  get(id: number): PullPointSubscription | undefined {
    this.sweep();
    return this.subs.get(id);
  }

  /** Takes up to `limit` events, waiting up to `timeoutMs` for the first one. */
  pull(
    sub: PullPointSubscription,
    timeoutMs: number,
    limit: number,
    signal: AbortSignal,
  ): Promise<CameraEvent[]> {
    const take = (): CameraEvent[] => sub.queue.splice(0, Math.max(1, limit));
    if (sub.queue.length > 0 || timeoutMs <= 0) return Promise.resolve(take());
    sub.waiter?.();
    return new Promise((resolve) => {
      const done = (): void => {
        if (sub.waiter !== done) return;
        sub.waiter = undefined;
        this.clock.clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve(take());
      };
      sub.waiter = done;
      const timer = this.clock.setTimeout(done, Math.min(timeoutMs, MAX_PULL_WAIT_MS));
      signal.addEventListener('abort', done, { once: true });
    });
  }

  renew(sub: PullPointSubscription, terminationMs: number): void {
    sub.terminationMs = terminationMs;
  }

  remove(id: number): boolean {
    const sub = this.subs.get(id);
    if (sub === undefined) return false;
    sub.unsubscribe();
    this.subs.delete(id);
    sub.waiter?.();
    return true;
  }

  /** Drops every subscription (camera closing or rebooting); pending pulls answer empty. */
  closeAll(): void {
    for (const id of [...this.subs.keys()]) this.remove(id);
  }

  get size(): number {
    return this.subs.size;
  }
}
