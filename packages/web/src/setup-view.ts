// First-run setup (the manual's first-time configuration wizard): server name, time zone, NTP
// server and the first Administrator.
import { api } from './api.js';
import { field, h, mount } from './dom.js';
import { describeError } from './messages.js';

export function renderSetup(root: HTMLElement, onDone: () => void): void {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const name = h('input', { name: 'serverName', required: true, maxlength: '100', value: 'Argus' });
  const tz = h('input', { name: 'timeZone', required: true, value: zone, list: 'zones' });
  const zones = h(
    'datalist',
    { id: 'zones' },
    ...Intl.supportedValuesOf('timeZone').map((z) => h('option', { value: z })),
  );
  const ntp = h('input', { name: 'ntpServer', placeholder: 'pool.ntp.org (optional)' });
  const user = h('input', { name: 'username', required: true, autocomplete: 'username', value: 'admin' });
  const pass = h('input', {
    name: 'password',
    type: 'password',
    required: true,
    minlength: '10',
    autocomplete: 'new-password',
  });
  const pass2 = h('input', {
    name: 'password2',
    type: 'password',
    required: true,
    minlength: '10',
    autocomplete: 'new-password',
  });
  const token = h('input', { name: 'setupToken', placeholder: 'only when not on the server itself' });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    {
      class: 'card',
      onsubmit: (event: Event) => {
        event.preventDefault();
        error.textContent = '';
        if (pass.value !== pass2.value) {
          error.textContent = 'The two passwords differ.';
          return;
        }
        api
          .call('setup', {
            body: {
              serverName: name.value.trim(),
              timeZone: tz.value.trim(),
              ntpServer: ntp.value.trim() || null,
              administrator: { username: user.value.trim(), password: pass.value },
              ...(token.value.trim() ? { setupToken: token.value.trim() } : {}),
            },
          })
          .then(onDone, (err: unknown) => (error.textContent = describeError(err)));
      },
    },
    h('h1', {}, 'Set up this server'),
    h('p', { class: 'muted' }, 'Name the server, set its clock, and create the first administrator.'),
    field('Server name', name),
    field('Time zone', tz),
    zones,
    field('NTP server', ntp, 'The server reports how far its clock is from this time source.'),
    h('h2', {}, 'Administrator'),
    field('Username', user),
    field('Password', pass, 'At least 10 characters.'),
    field('Repeat password', pass2),
    field('Setup token', token),
    error,
    h('button', { type: 'submit', class: 'primary' }, 'Finish setup'),
  );
  mount(root, form);
}
