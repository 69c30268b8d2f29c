// Shared access-unit assembly for H.264 (RFC 6184 §5.x) and H.265 (RFC 7798 §4.4): boundaries by
// marker bit or timestamp change, fragment reassembly, size bounds, parameter sets seeded from SDP
// or learned in-band and prepended to key pictures, and the wait-for-key rule after damage.
import type { AccessUnit, VideoAccessUnit, VideoCodec } from '../access-unit.js';
import type { DepacketizerStats } from './depacketizer.js';
import { MAX_NALUS_PER_ACCESS_UNIT, newDepacketizerStats } from './depacketizer.js';

/**
 * Slab size for reassembled NAL units: a few pictures of a 4 Mbit/s camera (~0.1 s), so a slab
 * whose units were consumed at once dies young (a scavenge frees it, no full collection needed),
 * while allocations (several microseconds each in V8) stay rare.
 */
const FRAGMENT_SLAB_BYTES = 64 * 1024;
/** Largest slab kept for reuse by recycle() (a bigger one served one oversize unit). */
const MAX_RECYCLED_SLAB_BYTES = 1024 * 1024;

/** Returned when a packet completes no unit: no allocation per packet. Frozen: never modified. */
const NO_UNITS = Object.freeze([]) as unknown as AccessUnit[];

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
  private fragmenting = false;
  private fragmentCount = 0;
  /**
   * Fragmented NAL units are reassembled into slabs, each shared by many NAL units (views), so a
   * picture costs one copy and no allocation of its own; a slab is freed once none of its views is
   * referenced. The NAL in progress is slab[fragmentStart, fragmentEnd); slab[0, fragmentStart) is
   * handed out, the rest is free.
   */
  private readonly noSlab = new Uint8Array(0);
  private slab = this.noSlab;
  /** The slab holds bytes of units already emitted (not recycled since). */
  private slabHoldsEmitted = false;
  private fragmentStart = 0;
  private fragmentEnd = 0;
  private readonly parameterSets = new Map<number, Uint8Array>();
  /** Units completed by the current packet; handed over by take(). */
  private completed: AccessUnit[] = [];

  constructor(
    private readonly rules: VideoCodecRules,
    private readonly maxAccessUnitBytes: number,
    initialParameterSets: readonly Uint8Array[],
    /** Payloads are valid only during push (DepacketizerOptions.copyPayloads): copy whole NAL units. */
    private readonly copyNalus = false,
  ) {
    for (const nal of initialParameterSets) this.learnParameterSet(nal);
  }

  /** The units completed since the last call, oldest first (a shared empty array when none). */
  take(): AccessUnit[] {
    if (this.completed.length === 0) return NO_UNITS;
    const units = this.completed;
    this.completed = [];
    return units;
  }

  /** Called first for every packet: closes the previous unit on a timestamp change, notes loss. */
  beginPacket(extendedTimestamp: number, lost: number): void {
    if (lost > 0) {
      this.stats.lostPackets += lost;
      // Lost packets may be the tail of the open unit or the head of this one: both are damaged.
      if (this.pts90k !== undefined) this.damaged = true;
    }
    if (this.pts90k !== undefined && extendedTimestamp !== this.pts90k) this.finish();
    if (lost > 0) {
      this.damaged = true;
      this.abortFragment();
      this.releaseData();
    }
    this.pts90k = extendedTimestamp;
  }

  /** A whole NAL unit of the packet (copied first when payloads are transient). */
  addNal(nal: Uint8Array): void {
    if (!this.accepts(nal.length)) return;
    this.keep(this.copyNalus ? this.copyToSlab(nal) : nal);
  }

  private accepts(length: number): boolean {
    if (this.damaged || length === 0) return false;
    if (this.sizeBytes + length > this.maxAccessUnitBytes || this.nalus.length >= MAX_NALUS_PER_ACCESS_UNIT) {
      this.markOversize();
      return false;
    }
    return true;
  }

  private keep(nal: Uint8Array): void {
    this.nalus.push(nal);
    this.sizeBytes += nal.length;
  }

  /** A private copy of a whole NAL unit, in the slab unless a fragmented one is being built there. */
  private copyToSlab(nal: Uint8Array): Uint8Array {
    if (this.fragmenting) return new Uint8Array(nal);
    this.startInSlab();
    this.reserve(nal.length);
    this.slab.set(nal, this.fragmentEnd);
    this.fragmentEnd += nal.length;
    const copy = this.slab.subarray(this.fragmentStart, this.fragmentEnd);
    this.fragmentStart = this.fragmentEnd;
    return copy;
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

  /**
   * Starts a fragmented NAL: its reconstructed header (`headerBytes` bytes of `header`, big-endian)
   * then payload[from..]; a pending unfinished one is damage.
   */
  startFragment(header: number, headerBytes: 1 | 2, payload: Uint8Array, from: number): void {
    if (this.fragmenting) {
      this.damage();
      return;
    }
    if (this.damaged) return;
    this.fragmenting = true;
    this.fragmentCount = 0;
    this.startInSlab();
    this.reserve(headerBytes);
    if (headerBytes === 2) this.slab[this.fragmentEnd++] = header >> 8;
    this.slab[this.fragmentEnd++] = header & 0xff;
    this.addFragment(payload, from);
  }

  /** Appends payload[from..] to the fragmented NAL in progress. */
  addFragment(payload: Uint8Array, from: number): void {
    if (!this.fragmenting) return;
    const length = payload.length - from;
    const fragmentBytes = this.fragmentEnd - this.fragmentStart;
    if (this.sizeBytes + fragmentBytes + length > this.maxAccessUnitBytes) {
      this.markOversize();
      return;
    }
    if (++this.fragmentCount >= MAX_NALUS_PER_ACCESS_UNIT * 4) {
      this.markOversize();
      return;
    }
    this.reserve(length);
    this.slab.set(from === 0 ? payload : payload.subarray(from), this.fragmentEnd);
    this.fragmentEnd += length;
  }

  /** Completes the fragmented NAL: a view of the slab, which keeps it. */
  endFragment(): void {
    if (!this.fragmenting) return;
    const nal = this.slab.subarray(this.fragmentStart, this.fragmentEnd);
    this.fragmenting = false;
    this.fragmentStart = this.fragmentEnd;
    if (this.accepts(nal.length)) this.keep(nal);
  }

  /**
   * Before a NAL unit goes into the slab: a slab grown for a big one (a key picture) is reused from
   * its start after recycle(), but not kept filling after emitted units (it would outlive them).
   */
  private startInSlab(): void {
    const big = this.slab.length > FRAGMENT_SLAB_BYTES;
    if (big && (this.slabHoldsEmitted || this.slab.length > MAX_RECYCLED_SLAB_BYTES)) this.dropSlab();
  }

  /**
   * The caller guarantees that nothing references the units emitted so far (their bytes were
   * copied): the slab is written again from its start, with no allocation, unless the next unit has
   * already begun in it.
   */
  recycle(): void {
    if (this.fragmenting || this.nalus.length > 0 || this.completed.length > 0) return;
    this.fragmentStart = 0;
    this.fragmentEnd = 0;
    this.slabHoldsEmitted = false;
  }

  /** Room for `bytes` more after fragmentEnd: a fresh slab takes over the NAL in progress if needed. */
  private reserve(bytes: number): void {
    if (this.fragmentEnd + bytes <= this.slab.length) return;
    const partial = this.fragmentEnd - this.fragmentStart;
    // A NAL unit outgrowing a slab is a big one (a key picture): grow in doubling steps.
    const next = new Uint8Array(Math.max(FRAGMENT_SLAB_BYTES, partial > 0 ? 2 * (partial + bytes) : bytes));
    next.set(this.slab.subarray(this.fragmentStart, this.fragmentEnd));
    this.slab = next;
    this.slabHoldsEmitted = false;
    this.fragmentStart = 0;
    this.fragmentEnd = partial;
  }

  /** Closes the current unit (marker bit, timestamp change or flush) and emits it if intact. */
  finish(): void {
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
    this.completed.push(au);
    this.slabHoldsEmitted = true;
  }

  /**
   * Keeps a private copy of a new parameter set: a view would pin the packet buffer it came in
   * (often a whole socket read) for as long as the set stays current.
   */
  private learnParameterSet(nal: Uint8Array): void {
    const type = this.rules.nalType(nal);
    if (!this.rules.parameterSetTypes.includes(type)) return;
    const known = this.parameterSets.get(type);
    if (known === undefined || !sameBytes(known, nal)) this.parameterSets.set(type, new Uint8Array(nal));
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

  private dropSlab(): void {
    this.slab = this.noSlab;
    this.fragmentStart = 0;
    this.fragmentEnd = 0;
    this.slabHoldsEmitted = false;
  }

  /** Drops the NAL in progress; its slab bytes are reused (nothing references them). */
  private abortFragment(): void {
    this.fragmenting = false;
    this.fragmentEnd = this.fragmentStart;
  }

  private releaseData(): void {
    this.nalus = [];
    this.sizeBytes = 0;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
