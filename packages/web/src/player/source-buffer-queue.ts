// Serialises appends and removes on one SourceBuffer: MSE allows one operation at a time (W3C
// Media Source Extensions §3.2, `updating`), so calls wait for `updateend`. A full buffer
// (QuotaExceededError) triggers one trim and one retry of the append before it is given up.
import { toRanges, type Range } from './buffer-policy.js';

type Op =
  | { kind: 'append'; data: ArrayBuffer; before?: (sb: SourceBuffer) => void; retried: boolean }
  | { kind: 'remove'; start: number; end: number };

export interface SourceBufferQueue {
  /** `before` runs right before the append, when the buffer is idle (timestampOffset may be set). */
  append(data: ArrayBuffer, before?: (sb: SourceBuffer) => void): void;
  remove(start: number, end: number): void;
  readonly pending: number;
  /** Pending appends only (removes are cheap and keep memory bounded). */
  readonly pendingAppends: number;
  /** Drops queued appends (a slow tile skips ahead to the next keyframe). */
  dropPendingAppends(): number;
  buffered(): Range[];
  close(): void;
}

export interface QueueHooks {
  /** After every completed operation. */
  onDone(kind: 'append' | 'remove'): void;
  /** A full buffer: the range to free before the append is retried, or null to give up. */
  onQuotaExceeded(): Range | null;
  onError(error: unknown): void;
}

export function createSourceBufferQueue(sb: SourceBuffer, hooks: QueueHooks): SourceBufferQueue {
  let ops: Op[] = [];
  let current: Op | undefined;
  let closed = false;

  const pump = (): void => {
    if (closed || current || sb.updating) return;
    const op = ops.shift();
    if (!op) return;
    current = op;
    try {
      if (op.kind === 'remove') sb.remove(op.start, op.end);
      else {
        op.before?.(sb);
        sb.appendBuffer(op.data);
      }
    } catch (err) {
      current = undefined;
      if (op.kind === 'append' && !op.retried && (err as DOMException).name === 'QuotaExceededError') {
        const free = hooks.onQuotaExceeded();
        if (free && free.end > free.start) {
          ops.unshift({ kind: 'remove', start: free.start, end: free.end }, { ...op, retried: true });
          pump();
          return;
        }
      }
      if (op.kind === 'remove' && (err as DOMException).name === 'TypeError') {
        pump(); // an empty or inverted range after the buffer moved on: nothing to remove
        return;
      }
      hooks.onError(err);
    }
  };

  const onUpdateEnd = (): void => {
    const done = current;
    current = undefined;
    if (closed) return;
    if (done) hooks.onDone(done.kind);
    pump();
  };
  const onError = (): void => {
    current = undefined;
    if (!closed) hooks.onError(new Error('SourceBuffer error event'));
  };
  sb.addEventListener('updateend', onUpdateEnd);
  sb.addEventListener('error', onError);

  return {
    append(data, before) {
      ops.push({ kind: 'append', data, retried: false, ...(before ? { before } : {}) });
      pump();
    },
    remove(start, end) {
      if (end <= start) return;
      ops.push({ kind: 'remove', start, end });
      pump();
    },
    get pending() {
      return ops.length + (current ? 1 : 0);
    },
    get pendingAppends() {
      return ops.filter((o) => o.kind === 'append').length;
    },
    dropPendingAppends() {
      const before = ops.length;
      ops = ops.filter((o) => o.kind !== 'append');
      return before - ops.length;
    },
    buffered() {
      try {
        return toRanges(sb.buffered);
      } catch {
        return []; // the SourceBuffer was removed from its MediaSource
      }
    },
    close() {
      closed = true;
      ops = [];
      sb.removeEventListener('updateend', onUpdateEnd);
      sb.removeEventListener('error', onError);
    },
  };
}
