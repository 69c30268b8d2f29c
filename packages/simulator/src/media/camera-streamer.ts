// Real-time pacing of one camera's streams with a single timer per camera. Frame g of the wall
// clock (g = floor(epochMs / 40)) is frame g mod 1500 of the clips, so every loop is aligned to the
// minute and the clock in the picture shows the wall-clock second. RTP timestamps derive from wall
// time (RFC 3550 §5.1: random base, clock rate), so they stay continuous across loops.
import type { RtspServerMount, RtspServerTrack } from '@argus/media';
import type { StreamName, VideoCodecName } from '../camera/camera-device.js';
import type { SimulatorClock } from '../simulator-clock.js';
import {
  AUDIO_CLOCK_RATE,
  AUDIO_FRAME_SAMPLES,
  CLIP_DURATION_MS,
  VIDEO_FRAME_MS,
  VIDEO_FRAMES_PER_CLIP,
  type ClipLibrary,
  type PacketizedClip,
} from './clip-library.js';
import { rewriteRtpPackets } from './rtp-rewrite.js';

export interface MountKey {
  stream: StreamName;
  codec: VideoCodecName;
  audio: boolean;
}

export interface StreamerDeps {
  clock: SimulatorClock;
  library: ClipLibrary;
  motionAt(wallMs: number): boolean;
  stalled(): boolean;
  lowResolution(): boolean;
  timestampOffsetMs(): number;
  random?: () => number;
}

/** A new subscriber gets packets from the first keyframe at least this long after it subscribed. */
export const SUBSCRIBER_START_DELAY_MS = 300;
/** After a longer pause (timer starved), jump to the present instead of sending a burst. */
const MAX_CATCH_UP_MS = 2000;

interface Subscriber {
  onPacket: (trackIndex: number, packet: Uint8Array) => void;
  startAfterMs: number;
  started: boolean;
}

interface Clips {
  still: PacketizedClip;
  motion: PacketizedClip;
  lowStill?: PacketizedClip;
  lowMotion?: PacketizedClip;
  audio?: PacketizedClip;
}

const u32 = (n: number): number => ((n % 0x1_0000_0000) + 0x1_0000_0000) % 0x1_0000_0000;

class SimMount implements RtspServerMount {
  readonly tracks: RtspServerTrack[];
  readonly subscribers = new Set<Subscriber>();
  readonly sessionName = 'Argus simulated camera';
  current: PacketizedClip;
  videoSeq: number;
  audioSeq: number;
  readonly videoSsrc: number;
  readonly audioSsrc: number;
  readonly videoBase: number;
  readonly audioBase: number;

  constructor(
    readonly key: MountKey,
    readonly clips: Clips,
    private readonly streamer: CameraStreamer,
    random: () => number,
  ) {
    const r32 = (): number => Math.floor(random() * 0x1_0000_0000) >>> 0;
    this.tracks = [clips.still.sdp, ...(clips.audio !== undefined ? [clips.audio.sdp] : [])];
    this.current = clips.still;
    this.videoSeq = r32() & 0xffff;
    this.audioSeq = r32() & 0xffff;
    this.videoSsrc = r32();
    this.audioSsrc = r32();
    this.videoBase = r32();
    this.audioBase = r32();
  }

  get stalled(): boolean {
    return this.streamer.deps.stalled();
  }

  subscribe(onPacket: (trackIndex: number, packet: Uint8Array) => void): () => void {
    const sub: Subscriber = {
      onPacket,
      startAfterMs: this.streamer.deps.clock.nowMs() + SUBSCRIBER_START_DELAY_MS,
      started: false,
    };
    this.subscribers.add(sub);
    this.streamer.ensureRunning();
    return () => {
      this.subscribers.delete(sub);
      this.streamer.stopIfIdle();
    };
  }

  videoTimestamp(wallMs: number): number {
    return u32(this.videoBase + Math.round((wallMs + this.streamer.deps.timestampOffsetMs()) * 90));
  }

  audioTimestamp(wallMs: number): number {
    const rate = AUDIO_CLOCK_RATE / 1000;
    return u32(this.audioBase + Math.round((wallMs + this.streamer.deps.timestampOffsetMs()) * rate));
  }

  clockReference(trackIndex: number): { wallMs: number; rtpTimestamp: number } {
    const wallMs = this.streamer.deps.clock.nowMs();
    return {
      wallMs,
      rtpTimestamp: trackIndex === 0 ? this.videoTimestamp(wallMs) : this.audioTimestamp(wallMs),
    };
  }
}

export class CameraStreamer {
  private readonly mounts = new Map<string, Promise<SimMount>>();
  private readonly live: SimMount[] = [];
  private timer: unknown;
  /** Last global video frame sent. */
  private lastFrame = 0;
  /** Wall time up to which audio frames were sent. */
  private audioSentUntilMs = 0;
  private closed = false;

  constructor(readonly deps: StreamerDeps) {}

  /** The mount for a stream variant; clips are loaded (once per process) on first use. */
  mount(key: MountKey): Promise<SimMount> {
    const id = `${key.stream}|${key.codec}|${key.audio ? 1 : 0}`;
    let m = this.mounts.get(id);
    if (m === undefined) {
      m = this.createMount(key);
      m.catch(() => this.mounts.delete(id));
      this.mounts.set(id, m);
    }
    return m;
  }

  private async createMount(key: MountKey): Promise<SimMount> {
    const lib = this.deps.library;
    const clips: Clips = {
      still: await lib.video(key.stream, key.codec, false),
      motion: await lib.video(key.stream, key.codec, true),
    };
    if (key.stream === 'main') {
      clips.lowStill = await lib.video('sub', key.codec, false);
      clips.lowMotion = await lib.video('sub', key.codec, true);
    }
    if (key.audio) clips.audio = await lib.audio();
    const mount = new SimMount(key, clips, this, this.deps.random ?? Math.random);
    this.live.push(mount);
    return mount;
  }

  ensureRunning(): void {
    if (this.timer !== undefined || this.closed) return;
    const now = this.deps.clock.nowMs();
    this.lastFrame = Math.floor(now / VIDEO_FRAME_MS) - 1;
    this.audioSentUntilMs = now;
    this.schedule();
  }

  stopIfIdle(): void {
    if (this.live.some((m) => m.subscribers.size > 0)) return;
    this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const now = this.deps.clock.nowMs();
    const next = (Math.floor(now / VIDEO_FRAME_MS) + 1) * VIDEO_FRAME_MS;
    this.timer = this.deps.clock.setTimeout(() => this.tick(), next - now);
  }

  private tick(): void {
    this.timer = undefined;
    if (this.closed) return;
    const now = this.deps.clock.nowMs();
    const nowFrame = Math.floor(now / VIDEO_FRAME_MS);
    if ((nowFrame - this.lastFrame) * VIDEO_FRAME_MS > MAX_CATCH_UP_MS) {
      this.lastFrame = nowFrame - 1;
      this.audioSentUntilMs = now - VIDEO_FRAME_MS;
    }
    const deliver = !this.deps.stalled();
    for (let g = this.lastFrame + 1; g <= nowFrame; g++) {
      const wallMs = g * VIDEO_FRAME_MS;
      for (const mount of this.live)
        if (mount.subscribers.size > 0) this.sendVideo(mount, g, wallMs, deliver);
    }
    this.lastFrame = nowFrame;
    this.sendAudio(this.audioSentUntilMs, now, deliver);
    this.audioSentUntilMs = now;
    if (this.live.some((m) => m.subscribers.size > 0)) this.schedule();
  }

  private sendVideo(mount: SimMount, g: number, wallMs: number, deliver: boolean): void {
    const index = g % VIDEO_FRAMES_PER_CLIP;
    const frame0 = mount.current.frames[index];
    if (frame0?.isKey) {
      const motion = this.deps.motionAt(wallMs);
      const low = mount.key.stream === 'main' && this.deps.lowResolution();
      const c = mount.clips;
      mount.current = low ? (motion ? c.lowMotion : c.lowStill)! : motion ? c.motion : c.still;
      for (const sub of mount.subscribers) if (!sub.started && wallMs >= sub.startAfterMs) sub.started = true;
    }
    const frame = mount.current.frames[index];
    if (frame === undefined || !deliver) return;
    const started = [...mount.subscribers].filter((s) => s.started);
    if (started.length === 0) return;
    const ts = mount.videoTimestamp(wallMs);
    const packets = rewriteRtpPackets(frame.packets, mount.videoSeq, ts, mount.videoSsrc);
    mount.videoSeq = (mount.videoSeq + packets.length) & 0xffff;
    for (const packet of packets) for (const sub of started) sub.onPacket(0, packet);
  }

  /** Sends audio frames whose wall time lies in (fromMs, toMs]. */
  private sendAudio(fromMs: number, toMs: number, deliver: boolean): void {
    for (const mount of this.live) {
      const clip = mount.clips.audio;
      if (clip === undefined || mount.subscribers.size === 0) continue;
      const started = [...mount.subscribers].filter((s) => s.started);
      const frameMs = (AUDIO_FRAME_SAMPLES * 1000) / AUDIO_CLOCK_RATE;
      let minuteStart = Math.floor(fromMs / CLIP_DURATION_MS) * CLIP_DURATION_MS;
      for (; minuteStart <= toMs; minuteStart += CLIP_DURATION_MS) {
        for (let i = Math.max(0, Math.floor((fromMs - minuteStart) / frameMs)); i < clip.frames.length; i++) {
          const frame = clip.frames[i]!;
          const wallMs = minuteStart + frame.timeMs;
          if (wallMs > toMs) break;
          if (wallMs <= fromMs || !deliver || started.length === 0) continue;
          const ts = mount.audioTimestamp(wallMs);
          const packets = rewriteRtpPackets(frame.packets, mount.audioSeq, ts, mount.audioSsrc);
          mount.audioSeq = (mount.audioSeq + packets.length) & 0xffff;
          for (const packet of packets) for (const sub of started) sub.onPacket(1, packet);
        }
      }
    }
  }

  /** Number of subscribers over all mounts (tests, stats). */
  get subscriberCount(): number {
    return this.live.reduce((n, m) => n + m.subscribers.size, 0);
  }

  close(): void {
    this.closed = true;
    this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const m of this.live) m.subscribers.clear();
  }
}
