/** Role-aware home: what this user can do here, with links into each service. */
import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { ROLE_LABELS } from '../../../../schema/roles';
import { lbl, t } from '../../i18n';
import { useSession } from '../../state/session';
import { IKD_QUEUE_ROLES, KTPEL_ROLES, KTPEL_TITLE } from './services';

export function Home() {
  const session = useSession();
  const roles = () => session.user()?.roles ?? [];
  // Roles named in the KTP-el SOP table work its cases; admins and heads may follow them (as the server's
  // visibleTo allows).
  const worksKtpel = () => session.hasRole(...KTPEL_ROLES);
  // IKD: operators work the queue; front office, admins and heads may follow it (the server's queue roles).
  const worksIkd = () => session.hasRole(...IKD_QUEUE_ROLES);
  const known = () => worksKtpel() || worksIkd();

  return (
    <section>
      <h1>{t('home.hello', { name: session.user()?.displayName ?? '' })}</h1>
      <p class="muted">
        {t('app.office', { code: session.user()?.officeCode ?? '' })} · {t('home.roles')}:{' '}
        <For each={roles()}>{(r, i) => <>{i() > 0 ? ', ' : ''}{lbl(ROLE_LABELS[r])}</>}</For>
      </p>
      <h2>{t('home.tasks')}</h2>
      <div class="grid">
        <Show when={worksKtpel()}>
          <A href="/ktpel" class="tile" data-testid="tile-ktpel">
            <strong>{lbl(KTPEL_TITLE)}</strong>
            <Show when={session.hasRole('front_office')}><span>{t('task.front_office')}</span></Show>
            <Show when={session.hasRole('operator')}><span>{t('task.operator')}</span></Show>
            <Show when={!session.hasRole('front_office', 'operator')}><span>{t('task.view')}</span></Show>
          </A>
        </Show>
        <Show when={worksIkd()}>
          <A href="/operator/ikd" class="tile" data-testid="tile-ikd">
            <strong>{t('nav.ikd')}</strong>
            <span>{session.hasRole('operator') ? t('task.ikd_operator') : t('task.ikd_view')}</span>
          </A>
        </Show>
        <Show when={session.hasRole('admin')}>
          <A href="/staff" class="tile" data-testid="tile-staff">
            <strong>{t('nav.staff')}</strong>
            <span>{t('task.admin')}</span>
          </A>
          <A href="/kantor" class="tile" data-testid="tile-office">
            <strong>{t('nav.office')}</strong>
            <span>{t('task.office')}</span>
          </A>
          <A href="/akta/mitra" class="tile" data-testid="tile-birth-partners">
            <strong>{t('birth.partners.title')}</strong>
            <span>{t('task.birthAdmin')}</span>
          </A>
        </Show>
        <Show when={!known()}>
          <p class="muted">{t('task.none')}</p>
        </Show>
      </div>
    </section>
  );
}
