// Login page: shows which server this is (name and certificate ID) before credentials are sent.
import type { Hello } from '@argus/api';
import { api } from './api.js';
import { field, h, mount } from './dom.js';
import { describeError } from './messages.js';

export function renderLogin(root: HTMLElement, hello: Hello, onDone: () => void): void {
  const user = h('input', { name: 'username', required: true, autocomplete: 'username', autofocus: true });
  const pass = h('input', {
    name: 'password',
    type: 'password',
    required: true,
    autocomplete: 'current-password',
  });
  const error = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Log in');
  const form = h(
    'form',
    {
      class: 'card',
      onsubmit: (event: Event) => {
        event.preventDefault();
        error.textContent = '';
        button.disabled = true;
        api
          .call('login', { body: { username: user.value.trim(), password: pass.value } })
          .then(onDone, (err: unknown) => {
            error.textContent = describeError(err);
            pass.value = '';
          })
          .finally(() => (button.disabled = false));
      },
    },
    h('h1', {}, hello.serverName),
    h('p', { class: 'muted' }, 'Certificate ID ', h('code', { class: 'cert' }, hello.certificateId)),
    field('Username', user),
    field('Password', pass),
    error,
    button,
  );
  mount(root, form);
}
