// The recordings timeline on a canvas: recorded footage, motion and gaps (cause on hover), hour
// and day labels in the server's zone, the playhead. Wheel, pinch and buttons zoom; drag pans;
// a click or a playhead drag plays from that time; shift-drag selects a range for download.
import type { CameraTimeline } from '@argus/api';
import { h } from '../dom.js';
import { rangeOf, type TimeRange } from '../media-urls.js';
import { describeGapCause } from '../messages.js';
import { formatDuration, type ZoneTime } from '../time/zone-time.js';
import { layoutSpans, spanAt } from '../timeline/timeline-layout.js';
import {
  msToX,
  pan,
  pinch,
  spanOf,
  wheelFactor,
  xToMs,
  zoomAt,
  type TimeWindow,
} from '../timeline/timeline-scale.js';
import { timelineTicks } from '../timeline/timeline-ticks.js';

export interface TimelineOptions {
  zone: ZoneTime;
  view: TimeWindow;
  onPlayAt(ms: number): void;
  onSelect(range: TimeRange | undefined): void;
  onViewChange(view: TimeWindow): void;
  now?: () => number;
}

export interface Timeline {
  element: HTMLElement;
  view(): TimeWindow;
  widthPx(): number;
  setView(view: TimeWindow): void;
  setData(data: CameraTimeline | undefined): void;
  setPlayhead(ms: number | undefined): void;
  setSelection(range: TimeRange | undefined): void;
  dispose(): void;
}

const HEIGHT_PX = 88;
const LABEL_H = 22;
const PLAYHEAD_GRAB_PX = 12;

type Drag =
  | { kind: 'pending' | 'pan'; x0: number; view0: TimeWindow }
  | { kind: 'select'; x0: number; ms0: number }
  | { kind: 'playhead'; x0: number }
  | { kind: 'pinch'; x0: [number, number]; view0: TimeWindow };

export function createTimeline(o: TimelineOptions): Timeline {
  const now = o.now ?? Date.now;
  const canvas = h('canvas', {
    class: 'timeline-canvas',
    tabindex: '0',
    role: 'slider',
    'aria-label':
      'Timeline: click to play from a time, drag to move, wheel or pinch to zoom, shift-drag to select',
  });
  const tip = h('div', { class: 'timeline-tip', role: 'tooltip', hidden: true });
  const element = h('div', { class: 'timeline' }, canvas, tip);
  let view = o.view;
  let data: CameraTimeline | undefined;
  let playheadMs: number | undefined;
  let previewMs: number | undefined;
  let selection: TimeRange | undefined;
  let width = 600;
  let drag: Drag | undefined;
  const pointers = new Map<number, number>();
  let frame = 0;

  const color = (name: string, fallback: string): string =>
    getComputedStyle(element).getPropertyValue(name).trim() || fallback;

  const draw = (): void => {
    frame = 0;
    const dpr = window.devicePixelRatio || 1;
    width = Math.max(100, element.clientWidth || width);
    if (canvas.width !== Math.round(width * dpr)) canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(HEIGHT_PX * dpr);
    canvas.style.height = `${HEIGHT_PX}px`;
    const g = canvas.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, HEIGHT_PX);
    const bandTop = LABEL_H + 6;
    const bandH = HEIGHT_PX - bandTop - 8;
    g.fillStyle = color('--track', '#e2e8f0');
    g.fillRect(0, bandTop, width, bandH);
    // the future is not recorded yet
    const nowX = msToX(view, width, now());
    if (nowX < width) {
      g.fillStyle = color('--future', 'rgba(100,116,139,0.15)');
      g.fillRect(Math.max(0, nowX), bandTop, width - Math.max(0, nowX), bandH);
    }
    if (data) {
      g.fillStyle = color('--gap', '#cbd5e1');
      for (const r of layoutSpans(data.gaps, view, width, 1, (s) => s.cause))
        g.fillRect(r.x, bandTop, r.width, bandH);
      g.fillStyle = color('--recorded', '#2563eb');
      for (const r of layoutSpans(data.recorded, view, width, 1)) g.fillRect(r.x, bandTop, r.width, bandH);
      g.fillStyle = color('--motion', '#f59e0b');
      for (const r of layoutSpans(data.motion, view, width, 2))
        g.fillRect(r.x, bandTop, r.width, Math.round(bandH / 3));
    }
    g.textBaseline = 'middle';
    let labelEnd = -Infinity;
    for (const t of timelineTicks(view, width, o.zone)) {
      const top = t.isDay ? 0 : LABEL_H - 4;
      g.fillStyle = color(t.isDay ? '--text' : '--muted', '#64748b');
      g.fillRect(Math.round(t.x), top, 1, bandTop + bandH - top);
      g.font = `${t.isDay ? 'bold ' : ''}12px system-ui, sans-serif`;
      const tw = g.measureText(t.label).width;
      const lx = Math.min(width - tw - 2, Math.max(2, t.x + 4));
      if (lx < labelEnd + 6) continue; // the right edge pushed it onto its neighbour
      g.fillText(t.label, lx, LABEL_H / 2);
      labelEnd = lx + tw;
    }
    if (selection) {
      const x0 = msToX(view, width, selection.startMs);
      const x1 = msToX(view, width, selection.endMs);
      g.fillStyle = color('--selection', 'rgba(37,99,235,0.25)');
      g.fillRect(x0, 0, Math.max(2, x1 - x0), HEIGHT_PX);
    }
    const head = previewMs ?? playheadMs;
    if (head !== undefined) {
      const x = Math.round(msToX(view, width, head));
      if (x >= -2 && x <= width + 2) {
        g.fillStyle = color('--playhead', '#dc2626');
        g.fillRect(x - 1, bandTop - 6, 2, bandH + 12);
        g.beginPath();
        g.moveTo(x - 6, bandTop - 8);
        g.lineTo(x + 6, bandTop - 8);
        g.lineTo(x, bandTop);
        g.fill();
      }
    }
    canvas.setAttribute('aria-valuetext', head !== undefined ? o.zone.formatDateTime(head) : 'not playing');
  };
  const redraw = (): void => {
    if (!frame) frame = requestAnimationFrame(draw);
  };

  /** The visible window on the element, for tests and for anyone scripting the page. */
  const publishView = (): void => {
    element.dataset['startMs'] = String(view.startMs);
    element.dataset['endMs'] = String(view.endMs);
  };
  const setView = (next: TimeWindow, notify = true): void => {
    view = next;
    publishView();
    redraw();
    if (notify) o.onViewChange(view);
  };

  const xOf = (e: PointerEvent | WheelEvent): number => e.clientX - canvas.getBoundingClientRect().left;

  const showTip = (x: number): void => {
    if (!data) return void (tip.hidden = true);
    const motion = spanAt(layoutSpans(data.motion, view, width, 2), x, 2);
    const gap = spanAt(
      layoutSpans(data.gaps, view, width, 1, (s) => s.cause),
      x,
      2,
    );
    const recorded = spanAt(layoutSpans(data.recorded, view, width, 1), x, 0);
    const at = o.zone.formatDateTime(xToMs(view, width, x));
    const describe = (label: string, s: { startMs: number; endMs: number }): string =>
      `${label} · ${o.zone.formatTime(s.startMs, true)}–${o.zone.formatTime(s.endMs, true)} (${formatDuration(s.endMs - s.startMs)})`;
    const text = motion
      ? describe('Motion', motion)
      : recorded
        ? `Recorded · ${at}`
        : gap
          ? describe(describeGapCause(gap.cause), gap)
          : `No footage · ${at}`;
    tip.textContent = text;
    tip.hidden = false;
    tip.style.left = `${Math.min(Math.max(0, x - 80), Math.max(0, width - 220))}px`;
  };

  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    const x = xOf(e);
    pointers.set(e.pointerId, x);
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()] as [number, number];
      drag = { kind: 'pinch', x0: [a, b], view0: view };
      previewMs = undefined;
      return;
    }
    const headX = playheadMs !== undefined ? msToX(view, width, playheadMs) : Infinity;
    if (e.shiftKey) drag = { kind: 'select', x0: x, ms0: xToMs(view, width, x) };
    else if (Math.abs(x - headX) <= PLAYHEAD_GRAB_PX) drag = { kind: 'playhead', x0: x };
    else drag = { kind: 'pending', x0: x, view0: view };
  });
  canvas.addEventListener('pointermove', (e) => {
    const x = xOf(e);
    if (!drag) return showTip(x);
    pointers.set(e.pointerId, x);
    tip.hidden = true;
    if (drag.kind === 'pinch' && pointers.size === 2) {
      const [a, b] = [...pointers.values()] as [number, number];
      setView(pinch(drag.view0, width, drag.x0, [a, b]));
    } else if (drag.kind === 'pending' && Math.abs(x - drag.x0) > 4) drag = { ...drag, kind: 'pan' };
    if (drag.kind === 'pan') setView(pan(drag.view0, x - drag.x0, width));
    else if (drag.kind === 'select') {
      selection = rangeOf(drag.ms0, xToMs(view, width, x), 1);
      redraw();
    } else if (drag.kind === 'playhead') {
      previewMs = xToMs(view, width, x);
      redraw();
    }
  });
  const endDrag = (e: PointerEvent, cancelled: boolean): void => {
    pointers.delete(e.pointerId);
    const d = drag;
    if (!d) return;
    if (d.kind === 'pinch') {
      if (pointers.size === 0) drag = undefined;
      return;
    }
    drag = undefined;
    const ms = xToMs(view, width, xOf(e));
    if (cancelled) {
      previewMs = undefined;
      redraw();
      return;
    }
    if (d.kind === 'pending' || d.kind === 'playhead') {
      previewMs = undefined;
      playheadMs = ms;
      redraw();
      o.onPlayAt(Math.round(ms));
    } else if (d.kind === 'select') {
      selection = rangeOf(d.ms0, ms);
      redraw();
      o.onSelect(selection);
    }
  };
  canvas.addEventListener('pointerup', (e) => endDrag(e, false));
  canvas.addEventListener('pointercancel', (e) => endDrag(e, true));
  canvas.addEventListener('pointerleave', () => (tip.hidden = true));
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) setView(pan(view, -e.deltaX, width));
      else setView(zoomAt(view, wheelFactor(e.deltaY, e.deltaMode), xToMs(view, width, xOf(e))));
    },
    { passive: false },
  );
  canvas.addEventListener('keydown', (e) => {
    const step = width / 10;
    const centre = view.startMs + spanOf(view) / 2;
    if (e.key === 'ArrowLeft') setView(pan(view, step, width));
    else if (e.key === 'ArrowRight') setView(pan(view, -step, width));
    else if (e.key === '+' || e.key === '=') setView(zoomAt(view, 0.5, centre));
    else if (e.key === '-') setView(zoomAt(view, 2, centre));
    else return;
    e.preventDefault();
  });

  const resize = new ResizeObserver(() => {
    const before = width;
    redraw();
    if (Math.abs((element.clientWidth || before) - before) > 20) o.onViewChange(view);
  });
  resize.observe(element);
  const clockTimer = setInterval(redraw, 10_000);
  publishView();
  redraw();

  return {
    element,
    view: () => view,
    widthPx: () => width,
    setView: (next) => setView(next, false),
    setData(next) {
      data = next;
      redraw();
    },
    setPlayhead(ms) {
      if (ms === playheadMs) return;
      playheadMs = ms;
      redraw();
    },
    setSelection(range) {
      selection = range;
      redraw();
    },
    dispose() {
      resize.disconnect();
      clearInterval(clockTimer);
      if (frame) cancelAnimationFrame(frame);
    },
  };
}
