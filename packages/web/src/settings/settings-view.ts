// The Settings tab: server identity, API tokens and password for everyone; the camera list and
// the storage locations for administrators (each refreshes the other: camera counts, choices).
import type { ApiToken } from '@argus/api';
import { api } from '../api.js';
import { h } from '../dom.js';
import { describeError } from '../messages.js';
import { isAdministrator, type ShellContext, type View } from '../shell-context.js';
import { passwordCard, serverCard, tokensCard } from './account-cards.js';
import { camerasCard, type CamerasCard } from './cameras-card.js';
import { storageCard, type StorageCard } from './storage-card.js';

export function settingsView(ctx: ShellContext): View {
  const tokensSlot = h('div', { class: 'slot' });
  const renderTokens = (tokens: ApiToken[], notice?: string): void => {
    tokensSlot.replaceChildren(tokensCard((next) => void loadTokens(next), tokens, notice));
  };
  const loadTokens = async (notice?: string): Promise<void> => {
    try {
      renderTokens((await api.call('listTokens')).tokens, notice);
    } catch (e) {
      tokensSlot.replaceChildren(
        h('section', { class: 'card' }, h('p', { class: 'error' }, describeError(e))),
      );
    }
  };
  void loadTokens();
  let cameras: CamerasCard | undefined;
  let storage: StorageCard | undefined;
  if (isAdministrator(ctx)) {
    cameras = camerasCard(() => void storage?.refresh());
    storage = storageCard(() => void cameras?.refresh());
  }
  const element = h(
    'main',
    { class: 'grid settings' },
    cameras?.element,
    storage?.element,
    serverCard(ctx.info),
    tokensSlot,
    passwordCard(),
  );
  return {
    element,
    dispose() {
      cameras?.dispose();
      storage?.dispose();
    },
  };
}
