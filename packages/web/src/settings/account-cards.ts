// Settings cards for every user: the server's identity and clock, the user's API tokens for
// scripts, and the password change.
import type { ApiToken, ServerInfo } from '@argus/api';
import { api } from '../api.js';
import { field, h } from '../dom.js';
import { describeError } from '../messages.js';

const when = (iso: string | null): string => (iso ? new Date(iso).toLocaleString() : '—');

function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const hh = Math.floor((seconds % 86400) / 3600);
  const mm = Math.floor((seconds % 3600) / 60);
  return d > 0 ? `${d} d ${hh} h` : hh > 0 ? `${hh} h ${mm} min` : `${mm} min`;
}

export function serverCard(info: ServerInfo): HTMLElement {
  const offset = info.ntp.offsetMs === 'unknown' ? 'unknown' : `${info.ntp.offsetMs} ms`;
  const rows: [string, string | HTMLElement][] = [
    ['Server', info.serverName],
    ['Version', info.version],
    ['Certificate ID', h('code', { class: 'cert' }, info.certificateId)],
    ['Time zone', info.timeZone],
    ['Up for', formatUptime(info.uptimeSeconds)],
    ['NTP server', info.ntp.server ?? 'none'],
    ['Clock offset', offset],
  ];
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Server'),
    h('dl', {}, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
  );
}

export function tokensCard(
  onChange: (notice?: string) => void,
  tokens: ApiToken[],
  notice: string | undefined,
): HTMLElement {
  const name = h('input', { name: 'tokenName', required: true, placeholder: 'e.g. backup script' });
  const output = h('p', { class: 'notice' }, notice);
  const error = h('p', { class: 'error', role: 'alert' });
  const list = h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'Name'),
        h('th', {}, 'Starts with'),
        h('th', {}, 'Created'),
        h('th', {}, 'Last used'),
        h('th', {}),
      ),
    ),
    h(
      'tbody',
      {},
      ...tokens.map((t) =>
        h(
          'tr',
          {},
          h('td', {}, t.name),
          h('td', {}, h('code', {}, `${t.prefix}…`)),
          h('td', {}, when(t.createdAt)),
          h('td', {}, when(t.lastUsedAt)),
          h(
            'td',
            {},
            h(
              'button',
              {
                onclick: () =>
                  void api
                    .call('deleteToken', { params: { id: t.id } })
                    .then(onChange, (e: unknown) => (error.textContent = describeError(e))),
              },
              'Revoke',
            ),
          ),
        ),
      ),
    ),
  );
  const form = h(
    'form',
    {
      class: 'inline',
      onsubmit: (event: Event) => {
        event.preventDefault();
        api.call('createToken', { body: { name: name.value.trim() } }).then(
          (created) => onChange(`New token (copy it now, it is shown once): ${created.secret}`),
          (e: unknown) => (error.textContent = describeError(e)),
        );
      },
    },
    field('New token', name),
    h('button', { type: 'submit' }, 'Create'),
  );
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'API tokens for scripts'),
    tokens.length ? list : h('p', { class: 'muted' }, 'No tokens.'),
    form,
    output,
    error,
  );
}

export function passwordCard(): HTMLElement {
  const current = h('input', { type: 'password', required: true, autocomplete: 'current-password' });
  const next = h('input', {
    type: 'password',
    required: true,
    minlength: '10',
    autocomplete: 'new-password',
  });
  const status = h('p', { role: 'status' });
  return h(
    'form',
    {
      class: 'card',
      onsubmit: (event: Event) => {
        event.preventDefault();
        api
          .call('changeOwnPassword', { body: { currentPassword: current.value, newPassword: next.value } })
          .then(
            () => {
              status.textContent = 'Password changed. Your other sessions were logged out.';
              current.value = next.value = '';
            },
            (e: unknown) => (status.textContent = describeError(e)),
          );
      },
    },
    h('h2', {}, 'Change password'),
    field('Current password', current),
    field('New password', next, 'At least 10 characters.'),
    status,
    h('button', { type: 'submit' }, 'Change password'),
  );
}
