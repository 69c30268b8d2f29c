// What every list card of Settings shares: a status line saying what the last action did, a body
// that starts as "Loading…", a periodic refresh while the card is shown, and dispose().
import { h } from '../dom.js';

export interface ListCard {
  element: HTMLElement;
  /** Reloads the list (something it depends on changed elsewhere). */
  refresh(): Promise<void>;
  dispose(): void;
}

export interface CardFrame {
  status: HTMLElement;
  body: HTMLElement;
  report(text: string, isError?: boolean): void;
  /** True once the card was disposed: late answers are dropped. */
  readonly disposed: boolean;
  /** The card's section (heading, body, status line, form), refreshed now and every `everyMs`. */
  finish(options: {
    id: string;
    title: string;
    form: HTMLElement;
    refresh: () => Promise<void>;
    everyMs: number;
    onTick: () => void;
  }): ListCard;
}

export function cardFrame(loadingText: string): CardFrame {
  const status = h('p', { role: 'status', class: 'notice' });
  const body = h('div', {}, h('p', { class: 'muted' }, loadingText));
  let disposed = false;
  return {
    status,
    body,
    report(text, isError = false) {
      status.textContent = text;
      status.className = isError ? 'error' : 'notice';
    },
    get disposed() {
      return disposed;
    },
    finish({ id, title, form, refresh, everyMs, onTick }) {
      void refresh();
      const timer = setInterval(onTick, everyMs);
      return {
        element: h('section', { class: 'card wide', id }, h('h2', {}, title), body, status, form),
        refresh,
        dispose() {
          disposed = true;
          clearInterval(timer);
        },
      };
    },
  };
}
