// Pairs the stream socket's JSON announcements with the binary frame that follows each (see
// packages/api media-stream-protocol.ts): `init` + init section, `fragment` + moof/mdat. Pure, so
// the framing rules are tested without a browser.
import type { StreamServerMessage } from '@argus/api';

type InitMessage = Extract<StreamServerMessage, { type: 'init' }>;
type FragmentMessage = Extract<StreamServerMessage, { type: 'fragment' }>;
type OtherMessage = Exclude<StreamServerMessage, InitMessage | FragmentMessage>;

export type StreamEvent =
  | { kind: 'init'; message: InitMessage; data: ArrayBuffer }
  | { kind: 'fragment'; message: FragmentMessage; data: ArrayBuffer }
  | { kind: 'message'; message: OtherMessage }
  /** Something the contract does not allow; the player logs it and carries on. */
  | { kind: 'protocol-error'; detail: string };

export interface StreamFraming {
  push(frame: string | ArrayBuffer): StreamEvent | undefined;
  /** Forget a pending announcement (the socket was replaced). */
  reset(): void;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function check(message: Record<string, unknown>): string | undefined {
  switch (message['type']) {
    case 'init':
      return typeof message['mimeType'] === 'string' ? undefined : 'init without mimeType';
    case 'fragment':
      return isNumber(message['wallMs']) &&
        isNumber(message['decodeTime']) &&
        isNumber(message['timescale']) &&
        (message['timescale'] as number) > 0
        ? undefined
        : 'fragment without wallMs, decodeTime or timescale';
    case 'position':
    case 'gap':
    case 'end':
    case 'dropped':
    case 'error':
      return undefined;
    default:
      return `unknown message type ${JSON.stringify(message['type'])}`;
  }
}

export function createStreamFraming(): StreamFraming {
  let pending: InitMessage | FragmentMessage | undefined;
  return {
    reset() {
      pending = undefined;
    },
    push(frame) {
      if (typeof frame !== 'string') {
        const announced = pending;
        pending = undefined;
        if (!announced) return { kind: 'protocol-error', detail: 'binary frame without announcement' };
        return announced.type === 'init'
          ? { kind: 'init', message: announced, data: frame }
          : { kind: 'fragment', message: announced, data: frame };
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(frame);
      } catch {
        return { kind: 'protocol-error', detail: 'text frame is not JSON' };
      }
      if (typeof parsed !== 'object' || parsed === null)
        return { kind: 'protocol-error', detail: 'text frame is not an object' };
      const problem = check(parsed as Record<string, unknown>);
      if (problem) return { kind: 'protocol-error', detail: problem };
      const message = parsed as StreamServerMessage;
      const dangling = pending;
      if (message.type === 'init' || message.type === 'fragment') {
        pending = message;
        return dangling
          ? { kind: 'protocol-error', detail: `${dangling.type} without its binary frame` }
          : undefined;
      }
      return { kind: 'message', message };
    },
  };
}

/** `video/mp4; codecs="hvc1.1.6.L93.B0"` -> `H.265`, for the "cannot play" message. */
export function codecLabel(mimeType: string): string {
  const codecs = /codecs="?([^"]+)"?/.exec(mimeType)?.[1] ?? '';
  const names = codecs
    .split(',')
    .map((c) => c.trim().split('.')[0] ?? '')
    .filter(Boolean)
    .map((c) =>
      c === 'avc1' || c === 'avc3'
        ? 'H.264'
        : c === 'hvc1' || c === 'hev1'
          ? 'H.265'
          : c === 'mp4a'
            ? 'AAC'
            : c === 'av01'
              ? 'AV1'
              : c,
    );
  return names.join(' + ') || mimeType;
}
