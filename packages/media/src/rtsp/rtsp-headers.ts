// Ordered, case-insensitive RTSP header list (RFC 2326 §12, RFC 7826 §18): keeps repeated headers
// such as several WWW-Authenticate challenges apart instead of folding them.
import { MediaError } from '../media-error.js';
import { ERR_RTSP_PROTOCOL } from './rtsp-errors.js';

export type RtspHeaderInit = RtspHeaders | Record<string, string | number> | Array<[string, string]>;

export class RtspHeaders {
  private readonly entries: Array<[string, string]> = [];

  constructor(init?: RtspHeaderInit) {
    if (init instanceof RtspHeaders)
      this.entries.push(...init.entries.map(([k, v]): [string, string] => [k, v]));
    else if (Array.isArray(init)) for (const [k, v] of init) this.append(k, v);
    else if (init) for (const [k, v] of Object.entries(init)) this.append(k, String(v));
  }

  get(name: string): string | undefined {
    const lower = name.toLowerCase();
    for (const [k, v] of this.entries) if (k.toLowerCase() === lower) return v;
    return undefined;
  }

  getAll(name: string): string[] {
    const lower = name.toLowerCase();
    return this.entries.filter(([k]) => k.toLowerCase() === lower).map(([, v]) => v);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  append(name: string, value: string): this {
    this.entries.push([name, value]);
    return this;
  }

  set(name: string, value: string): this {
    this.delete(name);
    return this.append(name, value);
  }

  delete(name: string): void {
    const lower = name.toLowerCase();
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i]![0].toLowerCase() === lower) this.entries.splice(i, 1);
    }
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries[Symbol.iterator]();
  }

  /** "Name: value\r\n" lines; rejects names and values that would break the framing. */
  serialize(): string {
    let out = '';
    for (const [k, v] of this.entries) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) || /[\r\n]/.test(v)) {
        throw new MediaError(ERR_RTSP_PROTOCOL, `invalid RTSP header ${JSON.stringify(k.slice(0, 40))}`);
      }
      out += `${k}: ${v}\r\n`;
    }
    return out;
  }
}
