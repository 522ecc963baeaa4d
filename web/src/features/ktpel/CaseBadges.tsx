/** Small status marks of a case: not yet synced, needs attention, over standard time. */
import { Show } from 'solid-js';
import { t } from '../../i18n';
import type { LocalCase } from '../../sync/view';

export function CaseBadges(props: { c: LocalCase; overrun?: boolean }) {
  return (
    <>
      <Show when={props.c.unsynced.length > 0}>
        <span class="pill pill-warn" data-testid="badge-unsynced">{props.c.onServer ? t('case.unsynced') : `${t('case.unsynced')} · ${t('case.localOnly')}`}</span>
      </Show>
      <Show when={props.c.needsAttention.length > 0}>
        <span class="pill pill-bad">{t('case.needsAttention')}</span>
      </Show>
      <Show when={props.overrun}>
        <span class="pill pill-bad">{t('case.overrun')}</span>
      </Show>
    </>
  );
}
