// events/: the server's internal event bus (typed events from cameras and the recording engine).
export { EventBus, type EventListener, type EventRecord } from './event-bus.js';
export type { ArgusEvent, ArgusEventType } from './argus-event.js';
