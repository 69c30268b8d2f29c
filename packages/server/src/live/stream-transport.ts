// What a live viewer is sent over: text frames (JSON announcements) and binary frames (fMP4), with
// the bytes still queued in the server so flow control can drop whole GOPs. http/ adapts a
// WebSocket to it; tests use an in-memory one.
export interface StreamTransport {
  sendText(text: string): void;
  /** onFlushed runs once the bytes have left the server's queue (written to the socket). */
  sendBinary(bytes: Uint8Array, onFlushed?: () => void): void;
  /** Bytes accepted by sendText/sendBinary and not yet written to the socket. */
  readonly bufferedBytes: number;
  close(code: number, reason: string): void;
}
