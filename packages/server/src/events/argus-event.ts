// Every event the bus carries: the camera sessions' (ingest-events) and the recording engine's
// (recording-events), one discriminated union on `type`.
import type { IngestEvent, RecordingEvent } from '../ingest/index.js';

export type ArgusEvent = IngestEvent | RecordingEvent;
export type ArgusEventType = ArgusEvent['type'];
