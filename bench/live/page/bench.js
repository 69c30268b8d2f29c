// The benchmark's minimal MSE player (served by the Argus server under test, same origin, so the
// session cookie authenticates the sockets). Live tiles follow the live edge; every presented frame
// (requestVideoFrameCallback) is matched to its fragment's wall clock (prft/wallMs) for latency.
// Playback tiles measure the time from the request to the first frame at the requested time.
/* global window, document, location, MediaSource */

const tiles = new Map();
let nextId = 1;

class Tile {
  constructor(url, mode) {
    this.mode = mode;
    this.openedAt = performance.now();
    this.firstFrameMs = undefined;
    this.latencies = [];
    this.frames = 0;
    this.errors = [];
    this.messages = [];
    this.map = []; // [{ startS, wallMs }] of recent fragments
    this.queue = [];
    this.pending = undefined;
    this.position = undefined;
    this.seekTarget = undefined;
    this.seekFrameWallMs = undefined;
    this.video = document.createElement('video');
    this.video.muted = true;
    this.video.playsInline = true;
    document.getElementById('grid').append(this.video);
    this.ws = new WebSocket(url);
    this.ws.binaryType = 'arraybuffer';
    this.ws.onmessage = (e) => this.onFrame(e.data);
    this.ws.onerror = () => this.errors.push('socket error');
    this.watchFrames();
  }

  onFrame(data) {
    if (typeof data === 'string') {
      const m = JSON.parse(data);
      if (m.type === 'init' || m.type === 'fragment') this.pending = m;
      else {
        this.messages.push(m);
        if (m.type === 'position') this.position = m;
        if (m.type === 'error') this.errors.push(m.code);
      }
      return;
    }
    const m = this.pending;
    this.pending = undefined;
    if (!m) return this.errors.push('binary without announcement');
    if (m.type === 'init') this.startSource(m, data);
    else {
      this.map.push({ startS: m.decodeTime / m.timescale, wallMs: m.wallMs });
      if (this.map.length > 400) this.map.splice(0, 200);
      this.append(data);
    }
  }

  startSource(m, init) {
    this.queue = [init];
    this.map = [];
    this.ms = new MediaSource();
    this.video.src = URL.createObjectURL(this.ms);
    this.ms.addEventListener(
      'sourceopen',
      () => {
        try {
          this.sb = this.ms.addSourceBuffer(m.mimeType);
        } catch (err) {
          this.errors.push(`addSourceBuffer: ${err}`);
          return;
        }
        this.sb.addEventListener('updateend', () => this.afterAppend());
        this.sb.addEventListener('error', () => this.errors.push('SourceBuffer error'));
        this.pump();
      },
      { once: true },
    );
  }

  append(data) {
    this.queue.push(data);
    this.pump();
  }

  pump() {
    if (!this.sb || this.sb.updating || this.queue.length === 0) return;
    try {
      this.sb.appendBuffer(this.queue.shift());
    } catch (err) {
      this.errors.push(`append: ${err}`);
    }
  }

  afterAppend() {
    const b = this.sb.buffered;
    const v = this.video;
    if (b.length > 0) {
      const end = b.end(b.length - 1);
      const start = b.start(0);
      if (this.mode === 'live') {
        // Follow the live edge: jump when far behind, else nudge the rate.
        if (end - v.currentTime > 0.5 || v.currentTime < b.start(b.length - 1))
          v.currentTime = Math.max(b.start(b.length - 1), end - 0.06);
        v.playbackRate = end - v.currentTime > 0.15 ? 1.1 : 1;
      } else if (this.position && this.seekTarget === undefined) {
        this.seekTarget = this.position.skipSeconds;
        v.currentTime = this.seekTarget;
      }
      if (v.paused) v.play().catch(() => undefined);
      if (v.currentTime - start > 20 && !this.sb.updating) {
        this.sb.remove(start, v.currentTime - 10);
        return;
      }
    }
    this.pump();
  }

  wallOf(mediaS) {
    for (let i = this.map.length - 1; i >= 0; i--) {
      const f = this.map[i];
      if (f.startS <= mediaS + 1e-4) return f.wallMs + (mediaS - f.startS) * 1000;
    }
    return undefined;
  }

  watchFrames() {
    const onFrame = (now, meta) => {
      if (this.closed) return;
      this.frames++;
      if (this.mode === 'live') {
        this.firstFrameMs ??= now - this.openedAt;
        const wall = this.wallOf(meta.mediaTime);
        if (wall !== undefined) this.latencies.push(performance.timeOrigin + meta.expectedDisplayTime - wall);
        if (this.latencies.length > 20000) this.latencies.splice(0, 10000);
      } else if (
        this.firstFrameMs === undefined &&
        this.seekTarget !== undefined &&
        meta.mediaTime >= this.seekTarget - 0.045
      ) {
        this.firstFrameMs = now - this.openedAt;
        this.seekFrameWallMs = this.position.startWallMs + meta.mediaTime * 1000;
      }
      this.video.requestVideoFrameCallback(onFrame);
    };
    this.video.requestVideoFrameCallback(onFrame);
  }

  stats() {
    const b = this.sb?.buffered;
    return {
      firstFrameMs: this.firstFrameMs,
      latencies: this.latencies.splice(0),
      frames: this.frames,
      errors: this.errors,
      currentTime: this.video.currentTime,
      bufferedS: b && b.length ? b.end(b.length - 1) - b.start(0) : 0,
      seekFrameWallMs: this.seekFrameWallMs,
      messages: this.messages.filter((m) => m.type !== 'position').map((m) => m.type),
    };
  }

  close() {
    this.closed = true;
    this.ws.close();
    this.video.removeAttribute('src');
    this.video.load();
    this.video.remove();
  }
}

const wsBase = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;

window.bench = {
  async login(username, password) {
    const res = await fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    return res.status;
  },
  openLive(cameraId, stream) {
    const id = nextId++;
    tiles.set(id, new Tile(`${wsBase}/api/v1/cameras/${cameraId}/live?stream=${stream}`, 'live'));
    return id;
  },
  openPlayback(cameraId, startMs) {
    const id = nextId++;
    tiles.set(
      id,
      new Tile(`${wsBase}/api/v1/cameras/${cameraId}/playback?start=${startMs}&speed=1`, 'playback'),
    );
    return id;
  },
  stats(id) {
    return tiles.get(id)?.stats();
  },
  close(id) {
    tiles.get(id)?.close();
    tiles.delete(id);
  },
};
