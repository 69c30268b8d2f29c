// The Recordings tab: choose a camera, find footage on the timeline, play from any time over the
// playback socket (the time on screen is the played frame's wall time: fragment wallMs plus the
// play position), change speed, go to a typed time, jump to live, download a range as MP4.
import { ApiError, type Camera, type CameraTimeline, type StreamServerMessage } from '@argus/api';
import { api } from '../api.js';
import { h } from '../dom.js';
import type { Route } from '../hash-route.js';
import { downloadSize, formatBytes } from '../download-file.js';
import {
  MAX_DOWNLOAD_MS,
  downloadUrl,
  mediaFileName,
  playbackSocketUrl,
  rangeOf,
  type TimeRange,
} from '../media-urls.js';
import { describeError, describeGapCause, describeVideoState } from '../messages.js';
import { createMsePlayer, type MsePlayer } from '../player/mse-player.js';
import type { ShellContext, View } from '../shell-context.js';
import { formatDuration } from '../time/zone-time.js';
import { isRecorded, nextRecordedStart } from '../timeline/timeline-layout.js';
import { centredOn, resolutionFor, spanOf, type TimeWindow } from '../timeline/timeline-scale.js';
import { createTimeline } from './timeline-canvas.js';

const SPEEDS = [1, 2, 4, 8, 16];
const SELECT_HINT =
  'To download footage, mark its start and end while playing (or shift-drag on the timeline).';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function recordingsView(ctx: ShellContext, route: Extract<Route, { tab: 'recordings' }>): View {
  const { zone } = ctx;
  let cameras: Camera[] = [];
  let cameraId: number | undefined = route.cameraId;
  let data: CameraTimeline | undefined;
  let player: MsePlayer | undefined;
  let resumeAtMs = route.timeMs ?? Date.now() - HOUR;
  let speed = 1;
  let paused = false;
  let markStartMs: number | undefined;
  let fetchSeq = 0;
  let fetchTimer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const notice = h('p', { class: 'notice', role: 'status' });
  const say = (text: string, isError = false): void => {
    notice.textContent = text;
    notice.className = isError ? 'error' : 'notice';
  };
  const cameraSelect = h('select', { name: 'camera', 'aria-label': 'Camera' });
  const timeline = createTimeline({
    zone,
    view:
      route.timeMs !== undefined
        ? centredOn(route.timeMs, HOUR)
        : { startMs: Date.now() - HOUR, endMs: Date.now() + 5 * 60_000 },
    onPlayAt: (ms) => playAt(ms),
    onSelect: (range) => setSelection(range),
    onViewChange: () => scheduleFetch(),
  });
  const zoomTo = (spanMs: number): void => {
    const v = timeline.view();
    timeline.setView(centredOn(v.startMs + spanOf(v) / 2, spanMs));
    scheduleFetch();
  };
  const zoomBy = (factor: number): void => zoomTo(spanOf(timeline.view()) * factor);

  const video = h('video', { muted: true, playsinline: true, 'aria-label': 'Recorded video' });
  const clock = h('output', { class: 'played-time', 'aria-live': 'off' }, 'Click the timeline to play');
  const videoMessage = h('p', { class: 'tile-message', hidden: true });
  const playButton = h('button', { class: 'primary-inline', onclick: () => togglePlay() }, 'Play');
  const speedSelect = h(
    'select',
    { name: 'speed', 'aria-label': 'Speed' },
    ...SPEEDS.map((s) => h('option', { value: String(s) }, `${s}×`)),
  );
  speedSelect.addEventListener('change', () => {
    speed = Number(speedSelect.value);
    player?.setSpeed(speed);
  });
  const goInput = h('input', { type: 'datetime-local', step: '1', name: 'goto', 'aria-label': 'Go to time' });
  goInput.value = zone.formatInput(resumeAtMs);
  const goForm = h(
    'form',
    {
      class: 'goto',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const ms = zone.parseInput(goInput.value);
        if (ms === undefined) return say('Enter a date and time, for example 2024-03-12 14:05:33.', true);
        timeline.setView(centredOn(ms, spanOf(timeline.view())));
        scheduleFetch();
        playAt(ms, true);
      },
    },
    goInput,
    h('button', { type: 'submit' }, 'Go to time'),
  );
  const liveButton = h(
    'button',
    {
      onclick: () => {
        if (cameraId !== undefined) ctx.navigate({ tab: 'live', layout: 1, tiles: [cameraId] });
      },
    },
    'Jump to live',
  );
  const rangeText = h('span', { class: 'range-text' }, SELECT_HINT);
  const downloadLink = h('a', { class: 'button primary-inline', hidden: true }, 'Download MP4');
  const clearButton = h('button', { hidden: true, onclick: () => setSelection(undefined) }, 'Clear');
  const markButton = h('button', { onclick: () => mark() }, 'Mark start');

  const element = h(
    'main',
    { class: 'recordings' },
    h(
      'div',
      { class: 'toolbar' },
      h('label', { class: 'inline-label' }, 'Camera ', cameraSelect),
      h('span', { class: 'spacer' }),
      h('button', { onclick: () => zoomBy(2), title: 'Zoom out', 'aria-label': 'Zoom out' }, '−'),
      h('button', { onclick: () => zoomBy(0.5), title: 'Zoom in', 'aria-label': 'Zoom in' }, '+'),
      h('button', { onclick: () => zoomTo(HOUR) }, '1 h'),
      h('button', { onclick: () => zoomTo(DAY) }, '1 day'),
      h('button', { onclick: () => zoomTo(7 * DAY) }, '1 week'),
      h(
        'button',
        {
          onclick: () => (
            timeline.setView(centredOn(Date.now() - spanOf(timeline.view()) * 0.4, spanOf(timeline.view()))),
            scheduleFetch()
          ),
        },
        'Now',
      ),
    ),
    timeline.element,
    h(
      'p',
      { class: 'legend muted' },
      h('span', {}, h('span', { class: 'swatch recorded' }), 'Recorded'),
      h('span', {}, h('span', { class: 'swatch motion' }), 'Motion'),
      h('span', {}, h('span', { class: 'swatch gap' }), 'No footage (point at it for the reason)'),
    ),
    h(
      'section',
      { class: 'player' },
      h('div', { class: 'video-wrap' }, video, videoMessage, clock),
      h('div', { class: 'controls' }, playButton, speedSelect, goForm, liveButton),
      h('div', { class: 'controls range' }, rangeText, markButton, downloadLink, clearButton),
      notice,
    ),
  );

  const cameraName = (): string => cameras.find((c) => c.id === cameraId)?.name ?? 'camera';

  let checkSeq = 0;
  function setSelection(range: TimeRange | undefined): void {
    markStartMs = undefined;
    markButton.textContent = 'Mark start';
    timeline.setSelection(range);
    downloadLink.hidden = true;
    clearButton.hidden = !range;
    const seq = ++checkSeq;
    if (!range || cameraId === undefined) {
      rangeText.textContent = SELECT_HINT;
      return;
    }
    const what = `${zone.formatDateTime(range.startMs)} – ${zone.formatTime(range.endMs, true)} (${formatDuration(range.endMs - range.startMs)})`;
    if (range.endMs - range.startMs > MAX_DOWNLOAD_MS) {
      rangeText.textContent = `Selected ${what}. Select at most ${formatDuration(MAX_DOWNLOAD_MS)} to download.`;
      return;
    }
    const url = downloadUrl(cameraId, range.startMs, range.endMs);
    rangeText.textContent = `Selected ${what}`;
    downloadLink.href = url;
    downloadLink.download = mediaFileName(cameraName(), zone.formatDateTime(range.startMs), 'mp4');
    // ask first, so "nothing recorded here" is said in words instead of saving an error as .mp4
    downloadSize(url).then(
      (sizeBytes) => {
        if (seq !== checkSeq) return;
        downloadLink.textContent = sizeBytes ? `Download MP4 (${formatBytes(sizeBytes)})` : 'Download MP4';
        downloadLink.hidden = false;
      },
      (e: unknown) => {
        if (seq !== checkSeq) return;
        const nothing = e instanceof ApiError && e.status === 404;
        rangeText.textContent = `Selected ${what}. ${nothing ? 'Nothing is recorded in this range.' : describeError(e)}`;
      },
    );
  }

  function mark(): void {
    const at = player?.wallTimeNow() ?? resumeAtMs;
    if (markStartMs === undefined) {
      markStartMs = at;
      markButton.textContent = 'Mark end';
      rangeText.textContent = `Start marked at ${zone.formatDateTime(at)}. Play on, then mark the end.`;
      return;
    }
    const range = rangeOf(markStartMs, at);
    if (!range) return say('The end must be at least a second away from the start.', true);
    setSelection(range);
  }

  function playAt(requestedMs: number, exact = false): void {
    if (cameraId === undefined) return;
    let ms = requestedMs;
    if (!exact && data && !isRecorded(data.recorded, ms)) {
      const next = nextRecordedStart(data.recorded, ms);
      if (next !== undefined) {
        say(`No footage at ${zone.formatTime(ms, true)}; playing from ${zone.formatTime(next, true)}.`);
        ms = next;
      }
    } else say('');
    resumeAtMs = ms;
    paused = false;
    playButton.textContent = 'Pause';
    timeline.setPlayhead(ms);
    clock.textContent = zone.formatDateTime(ms);
    goInput.value = zone.formatInput(ms);
    ctx.navigate({ tab: 'recordings', cameraId, timeMs: ms }, true);
    if (player) return player.seek(ms);
    const id = cameraId;
    player = createMsePlayer({
      video,
      mode: 'playback',
      url: () => playbackSocketUrl(ctx.origin, id, resumeAtMs, speed),
      onState: (state, detail) => {
        const text = state === 'playing' ? '' : describeVideoState(state, detail);
        videoMessage.textContent = text;
        videoMessage.hidden = text === '';
      },
      onMessage: (m) => onStreamMessage(m),
      onFrame: (wall) => showTime(wall),
    });
    if (speed !== 1) player.setSpeed(speed);
  }

  function onStreamMessage(m: StreamServerMessage): void {
    if (m.type === 'gap')
      say(
        `Skipped ${formatDuration(m.toWallMs - m.fromWallMs)} without footage (${describeGapCause(m.cause)}), from ${zone.formatTime(m.fromWallMs, true)}.`,
      );
    else if (m.type === 'end' && m.reason === 'end-of-recordings')
      say('End of recordings. Use "Jump to live" to see the camera now.');
  }

  function togglePlay(): void {
    if (!player) return playAt(resumeAtMs);
    paused = !paused;
    playButton.textContent = paused ? 'Play' : 'Pause';
    if (paused) player.pause();
    else player.resume();
  }

  const stopPlayer = (): void => {
    player?.close();
    player = undefined;
    paused = false;
    playButton.textContent = 'Play';
    videoMessage.hidden = true;
  };

  const showTime = (wall: number): void => {
    resumeAtMs = wall;
    clock.textContent = zone.formatDateTime(wall);
    clock.dataset['wallMs'] = String(Math.round(wall));
  };
  // the clock follows presented frames; this timer moves the playhead and covers a paused video
  const readout = setInterval(() => {
    const wall = player?.wallTimeNow();
    if (wall === undefined) return;
    if (paused) showTime(wall);
    timeline.setPlayhead(wall);
    const v = timeline.view();
    if (!paused && wall > v.endMs - spanOf(v) * 0.02 && wall < v.endMs + spanOf(v)) {
      timeline.setView(centredOn(wall + spanOf(v) * 0.3, spanOf(v)));
      scheduleFetch();
    }
  }, 200);

  function scheduleFetch(): void {
    clearTimeout(fetchTimer);
    fetchTimer = setTimeout(() => void fetchTimeline(), 150);
  }

  async function fetchTimeline(): Promise<void> {
    if (cameraId === undefined) return;
    const seq = ++fetchSeq;
    const v: TimeWindow = timeline.view();
    const span = spanOf(v);
    try {
      const result = await api.call('cameraTimeline', {
        params: { id: cameraId },
        query: {
          start: Math.round(v.startMs - span / 2),
          end: Math.round(v.endMs + span / 2),
          resolutionMs: resolutionFor(v, timeline.widthPx()),
        },
      });
      if (disposed || seq !== fetchSeq) return;
      data = result;
      timeline.setData(result);
      element.dataset['recordedSpans'] = String(result.recorded.length);
    } catch (e) {
      if (!disposed && seq === fetchSeq) say(describeError(e), true);
    }
  }

  const selectCamera = (id: number | undefined): void => {
    stopPlayer();
    cameraId = id;
    data = undefined;
    timeline.setData(undefined);
    setSelection(undefined);
    if (id !== undefined) ctx.navigate({ tab: 'recordings', cameraId: id }, true);
    void fetchTimeline();
  };
  cameraSelect.addEventListener('change', () => selectCamera(Number(cameraSelect.value)));

  const refresher = setInterval(() => {
    if (timeline.view().endMs > Date.now() - spanOf(timeline.view())) void fetchTimeline();
  }, 10_000);

  void api.call('listCameras').then(
    (r) => {
      if (disposed) return;
      cameras = r.cameras;
      cameraSelect.replaceChildren(...cameras.map((c) => h('option', { value: String(c.id) }, c.name)));
      if (cameras.length === 0) return say('No cameras yet. An administrator adds them under Settings.');
      if (cameraId === undefined || !cameras.some((c) => c.id === cameraId)) cameraId = cameras[0]!.id;
      cameraSelect.value = String(cameraId);
      if (route.timeMs === undefined) ctx.navigate({ tab: 'recordings', cameraId }, true);
      void fetchTimeline();
      if (route.timeMs !== undefined) playAt(route.timeMs, true);
    },
    (e: unknown) => say(describeError(e), true),
  );

  return {
    element,
    update(next) {
      if (next.tab !== 'recordings' || next.cameraId === undefined || next.cameraId === cameraId)
        return next.tab === 'recordings';
      cameraSelect.value = String(next.cameraId);
      selectCamera(next.cameraId);
      return true;
    },
    dispose() {
      disposed = true;
      clearInterval(readout);
      clearInterval(refresher);
      clearTimeout(fetchTimer);
      timeline.dispose();
      stopPlayer();
    },
  };
}
