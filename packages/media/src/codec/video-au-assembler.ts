// Shared access-unit assembly for H.264 (RFC 6184 §5.x) and H.265 (RFC 7798 §4.4): boundaries by
// marker bit or timestamp change, fragment reassembly, size bounds, parameter sets seeded from SDP
// or learned in-band and prepended to key pictures, and the wait-for-key rule after damage.
import type { AccessUnit, VideoAccessUnit, VideoCodec } from '../access-unit.js';
import type { DepacketizerStats } from './depacketizer.js';
import { MAX_NALUS_PER_ACCESS_UNIT, newDepacketizerStats } from './depacketizer.js';

export interface VideoCodecRules {
  codec: VideoCodec;
  nalType(nal: Uint8Array): number;
  isKeyType(type: number): boolean;
  /** Parameter-set NAL types in the order they must precede a key picture (VPS, SPS, PPS). */
  parameterSetTypes: readonly number[];
  /** Access unit delimiter type: parameter sets go after it when one leads the unit. */
  audType: number;
}

export class VideoAccessUnitAssembler {
  readonly stats: DepacketizerStats = newDepacketizerStats();
  private nalus: Uint8Array[] = [];
  private sizeBytes = 0;
  private pts90k: number | undefined;
  private damaged = false;
  private oversize = false;
  private waitingForKey = true;
  private fragments: Uint8Array[] = [];
  private fragmentBytes = 0;
  private fragmenting = false;
  private readonly parameterSets = new Map<number, Uint8Array>();

  constructor(
    private readonly rules: VideoCodecRules,
    private readonly maxAccessUnitBytes: number,
    initialParameterSets: readonly Uint8Array[],
  ) {
    for (const nal of initialParameterSets) this.learnParameterSet(nal);
  }

  /** Called first for every packet: closes the previous unit on a timestamp change, notes loss. */
  beginPacket(extendedTimestamp: number, lost: number, out: AccessUnit[]): void {
    if (lost > 0) {
      this.stats.lostPackets += lost;
      // Lost packets may be the tail of the open unit or the head of this one: both are damaged.
      if (this.pts90k !== undefined) this.damaged = true;
    }
    if (this.pts90k !== undefined && extendedTimestamp !== this.pts90k) this.finish(out);
    if (lost > 0) {
      this.damaged = true;
      this.abortFragment();
      this.releaseData();
    }
    this.pts90k = extendedTimestamp;
  }

  addNal(nal: Uint8Array): void {
    if (this.damaged || nal.length === 0) return;
    if (
      this.sizeBytes + nal.length > this.maxAccessUnitBytes ||
      this.nalus.length >= MAX_NALUS_PER_ACCESS_UNIT
    ) {
      this.markOversize();
      return;
    }
    this.nalus.push(nal);
    this.sizeBytes += nal.length;
  }

  /** A payload that cannot be parsed: the unit it belongs to is damaged. */
  malformed(): void {
    this.stats.malformedPackets++;
    this.damage();
  }

  damage(): void {
    this.damaged = true;
    this.abortFragment();
    this.releaseData();
  }

  get fragmentInProgress(): boolean {
    return this.fragmenting;
  }

  /** Starts a fragmented NAL with its reconstructed header; a pending unfinished one is damage. */
  startFragment(header: Uint8Array, data: Uint8Array): void {
    if (this.fragmenting) {
      this.damage();
      return;
    }
    if (this.damaged) return;
    this.fragmenting = true;
    this.fragments = [header];
    this.fragmentBytes = header.length;
    this.addFragment(data);
  }

  addFragment(data: Uint8Array): void {
    if (!this.fragmenting) return;
    if (this.sizeBytes + this.fragmentBytes + data.length > this.maxAccessUnitBytes) {
      this.markOversize();
      return;
    }
    if (this.fragments.length >= MAX_NALUS_PER_ACCESS_UNIT * 4) {
      this.markOversize();
      return;
    }
    this.fragments.push(data);
    this.fragmentBytes += data.length;
  }

  /** Completes the fragmented NAL: one allocation holding header and every fragment. */
  endFragment(): void {
    if (!this.fragmenting) return;
    const nal = new Uint8Array(this.fragmentBytes);
    let offset = 0;
    for (const part of this.fragments) {
      nal.set(part, offset);
      offset += part.length;
    }
    this.abortFragment();
    this.addNal(nal);
  }

  /** Closes the current unit (marker bit, timestamp change or flush) and emits it if intact. */
  finish(out: AccessUnit[]): void {
    if (this.pts90k === undefined) return;
    const pts90k = this.pts90k;
    const nalus = this.nalus;
    const incomplete = this.fragmenting;
    const damaged = this.damaged || incomplete;
    this.pts90k = undefined;
    this.nalus = [];
    this.sizeBytes = 0;
    this.damaged = false;
    this.abortFragment();
    if (this.oversize) {
      this.oversize = false;
      this.stats.oversizeAccessUnits++;
    }
    if (damaged) {
      this.stats.droppedAccessUnits++;
      this.waitingForKey = true;
      return;
    }
    if (nalus.length === 0) return;
    let isKey = false;
    for (const nal of nalus) {
      const type = this.rules.nalType(nal);
      if (this.rules.isKeyType(type)) isKey = true;
      else if (this.rules.parameterSetTypes.includes(type)) this.learnParameterSet(nal);
    }
    if (this.waitingForKey && !isKey) {
      this.stats.skippedAccessUnits++;
      return;
    }
    if (isKey && !this.completeParameterSets(nalus)) {
      this.stats.droppedAccessUnits++;
      this.waitingForKey = true;
      return;
    }
    this.waitingForKey = false;
    this.stats.accessUnits++;
    const au: VideoAccessUnit = { kind: 'video', codec: this.rules.codec, pts90k, isKey, nalus };
    out.push(au);
  }

  private learnParameterSet(nal: Uint8Array): void {
    const type = this.rules.nalType(nal);
    if (this.rules.parameterSetTypes.includes(type)) this.parameterSets.set(type, nal);
  }

  /** Inserts any parameter set the key unit lacks; false when one was never seen. */
  private completeParameterSets(nalus: Uint8Array[]): boolean {
    const present = new Set(nalus.map((n) => this.rules.nalType(n)));
    let insertAt = nalus.length > 0 && this.rules.nalType(nalus[0]!) === this.rules.audType ? 1 : 0;
    for (const type of this.rules.parameterSetTypes) {
      if (present.has(type)) {
        // Later missing sets go after the last one of this type the camera did send.
        for (let i = nalus.length - 1; i >= 0; i--) {
          if (this.rules.nalType(nalus[i]!) === type) {
            insertAt = Math.max(insertAt, i + 1);
            break;
          }
        }
        continue;
      }
      const stored = this.parameterSets.get(type);
      if (!stored) return false;
      nalus.splice(insertAt, 0, stored);
      insertAt++;
    }
    return true;
  }

  private markOversize(): void {
    this.oversize = true;
    this.damage();
  }

  private abortFragment(): void {
    this.fragmenting = false;
    this.fragments = [];
    this.fragmentBytes = 0;
  }

  private releaseData(): void {
    this.nalus = [];
    this.sizeBytes = 0;
  }
}
