/** Always-visible connection and sync indicator; links to the outbox when something waits. */
import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import { t } from '../i18n';
import { useSession } from '../state/session';
import { useSync } from '../state/sync';

export function NetBadge() {
  const sync = useSync();
  const session = useSession();
  const mine = () => sync.outbox().filter((c) => c.userId === session.user()?.id);
  const unsent = () => mine().filter((c) => c.status === 'pending' || c.status === 'sending').length;
  const attention = () => mine().filter((c) => c.status === 'conflict' || c.status === 'rejected').length;
  return (
    <div class="net">
      <span
        class={`net-dot ${sync.online() ? 'is-online' : 'is-offline'}`}
        role="status"
        data-testid="net-status"
        data-online={sync.online() ? 'true' : 'false'}
        title={sync.online() ? t('net.onlineHint') : t('net.offlineHint')}
      >
        {sync.online() ? t('net.online') : t('net.offline')}
      </span>
      {/* Always in the page, so screen readers announce what appears in it: syncing, unsent and refused counts. */}
      <span class="net-live" role="status" data-testid="sync-live">
        <Show when={sync.syncing()}>
          <span class="net-note">{t('net.syncing')}</span>
        </Show>
        <Show when={unsent() > 0}>
          <A href="/outbox" class="pill pill-warn" data-testid="unsent-count">{t('net.unsent', { n: unsent() })}</A>
        </Show>
        <Show when={attention() > 0}>
          <A href="/outbox" class="pill pill-bad">{t('net.attention', { n: attention() })}</A>
        </Show>
      </span>
    </div>
  );
}
