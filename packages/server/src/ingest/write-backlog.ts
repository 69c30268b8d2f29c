// The bytes all recording writers of a server hold for the disk, against one limit: when the disks
// fall behind, the writers holding more than an even share end their runs (with a storage_error
// gap) instead of every writer filling its own allowance of memory.

export class WriteBacklog {
  private heldBytes = 0;
  /** Writers holding any bytes now. */
  private holders = 0;

  constructor(readonly limitBytes: number) {}

  get bytes(): number {
    return this.heldBytes;
  }

  /** A writer that held `beforeBytes` queues `sizeBytes` more. */
  add(sizeBytes: number, beforeBytes: number): void {
    if (sizeBytes <= 0) return;
    if (beforeBytes === 0) this.holders++;
    this.heldBytes += sizeBytes;
  }

  /** A writer wrote (or dropped) `sizeBytes` and now holds `afterBytes`. */
  release(sizeBytes: number, afterBytes: number): void {
    if (sizeBytes <= 0) return;
    if (afterBytes === 0) this.holders--;
    this.heldBytes -= sizeBytes;
  }

  /** Over the limit, and a writer holding `heldBytes` holds more than an even share of it. */
  exceeds(heldBytes: number): boolean {
    return this.heldBytes > this.limitBytes && heldBytes > this.limitBytes / Math.max(1, this.holders);
  }
}
