// Boot: ask the server who it is, then show setup, login, or the signed-in shell.
import { ApiError } from '@argus/api';
import { api } from './api.js';
import { h, mount } from './dom.js';
import { renderLogin } from './login-view.js';
import { describeError } from './messages.js';
import { renderSetup } from './setup-view.js';
import { renderShell } from './shell-view.js';
import './styles.css';

function startApp(root: HTMLElement): void {
  let disposeShell: (() => void) | undefined;

  const boot = async (): Promise<void> => {
    disposeShell?.();
    disposeShell = undefined;
    try {
      const hello = await api.call('hello');
      document.title = `Argus — ${hello.serverName}`;
      if (hello.setupRequired) return renderSetup(root, () => void boot());
      const session = await api.call('session').catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) return undefined;
        throw err;
      });
      if (!session) return renderLogin(root, hello, () => void boot());
      const info = await api.call('serverInfo');
      disposeShell = renderShell(root, session, info, () => void boot());
    } catch (err) {
      mount(
        root,
        h(
          'section',
          { class: 'card' },
          h('h1', {}, 'Argus'),
          h('p', { class: 'error' }, describeError(err)),
          h('button', { onclick: () => void boot() }, 'Try again'),
        ),
      );
    }
  };
  void boot();
}

startApp(document.getElementById('app')!);
