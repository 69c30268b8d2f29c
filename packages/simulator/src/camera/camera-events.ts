// One camera's event stream: motion, digital inputs and relay outputs as ONVIF-style property events
// (ONVIF Core §9.2: Source/Data simple items, PropertyOperation Initialized/Changed). Both the
// ONVIF PullPoint service and the Axis-style event endpoints read from here, so they always agree.

export const TOPIC_MOTION = 'tns1:VideoSource/MotionAlarm';
export const TOPIC_DIGITAL_INPUT = 'tns1:Device/Trigger/DigitalInput';
export const TOPIC_RELAY = 'tns1:Device/Trigger/Relay';

export type CameraEventTopic = typeof TOPIC_MOTION | typeof TOPIC_DIGITAL_INPUT | typeof TOPIC_RELAY;

export interface SimpleItem {
  name: string;
  value: string;
}

export interface CameraEvent {
  /** Increases by one per event of this camera, from 1. */
  seq: number;
  /** When the state changed (for motion: the keyframe where the picture changed). */
  utcMs: number;
  topic: CameraEventTopic;
  source: SimpleItem;
  data: SimpleItem;
  property: 'Initialized' | 'Changed';
}

export type CameraEventListener = (event: CameraEvent) => void;

/** Keeps the current value of every property and the last `historySize` changes. */
export class CameraEventBus {
  private readonly listeners = new Set<CameraEventListener>();
  private readonly history: CameraEvent[] = [];
  private readonly properties = new Map<string, Omit<CameraEvent, 'seq' | 'property'>>();
  private seq = 0;

  constructor(private readonly historySize = 512) {}

  get lastSeq(): number {
    return this.seq;
  }

  /** Sets a property; emits a Changed event when the value differs (or the first time). */
  set(topic: CameraEventTopic, source: SimpleItem, data: SimpleItem, utcMs: number): CameraEvent | undefined {
    const key = `${topic}|${source.name}=${source.value}`;
    const previous = this.properties.get(key);
    if (previous !== undefined && previous.data.value === data.value) return undefined;
    this.properties.set(key, { topic, source, data, utcMs });
    const event: CameraEvent = { seq: ++this.seq, utcMs, topic, source, data, property: 'Changed' };
    this.history.push(event);
    if (this.history.length > this.historySize)
      this.history.splice(0, this.history.length - this.historySize);
    for (const listener of [...this.listeners]) listener(event);
    return event;
  }

  /** Declares a property's initial value without emitting an event. */
  init(topic: CameraEventTopic, source: SimpleItem, data: SimpleItem, utcMs: number): void {
    this.properties.set(`${topic}|${source.name}=${source.value}`, { topic, source, data, utcMs });
  }

  /** The current value of every property, as Initialized events (seq 0) stamped `utcMs`. */
  snapshot(utcMs: number): CameraEvent[] {
    return [...this.properties.values()].map((p) => ({
      ...p,
      utcMs,
      seq: 0,
      property: 'Initialized' as const,
    }));
  }

  /** Events with seq > afterSeq still in the history, oldest first. */
  since(afterSeq: number): CameraEvent[] {
    return this.history.filter((e) => e.seq > afterSeq);
  }

  subscribe(listener: CameraEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops all listeners (camera closing or rebooting). */
  clearListeners(): void {
    this.listeners.clear();
  }
}
