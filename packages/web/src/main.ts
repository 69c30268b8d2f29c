// Boot: ask the server who it is, then show setup, login, or the signed-in shell.
import { ApiError } from '@argus/api';
import { api } from './api.js';
import { h, mount } from './dom.js';
import { renderHome } from './home-view.js';
import { renderLogin } from './login-view.js';
import { describeError } from './messages.js';
import { renderSetup } from './setup-view.js';
import './styles.css';

const root = document.getElementById('app')!;

async function boot(): Promise<void> {
  try {
    const hello = await api.call('hello');
    document.title = `Argus — ${hello.serverName}`;
    if (hello.setupRequired) return renderSetup(root, () => void boot());
    const session = await api.call('session').catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 401) return undefined;
      throw err;
    });
    if (!session) return renderLogin(root, hello, () => void boot());
    await renderHome(root, session, () => void boot());
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
}

void boot();
