/** The resident's IKD entry: register, continue an application, or sign in; a resident with a session goes to the account. */
import { A, useLocation, useNavigate } from '@solidjs/router';
import { Show, onMount } from 'solid-js';
import { t } from '../../i18n';
import { kt } from '../ktp/texts';
import { useSession } from '../../state/session';
import { RevokedNote } from '../ktp/RevokedNote';
import { type SessionEnd, useResident } from './resident';

export function IkdHome() {
  const resident = useResident();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation<{ ended?: SessionEnd; released?: boolean; signedOut?: boolean }>();
  // Arriving from the account screen with a reason: stay here and say it (no bounce back to the account).
  const told = () => location.state?.ended ?? (location.state?.released ? 'released' : location.state?.signedOut ? 'signedOut' : undefined);
  onMount(async () => {
    if (told()) return;
    const status = await resident.refresh();
    if (status === 'ok' || (status === 'offline' && resident.me())) navigate('/ikd/akun', { replace: true });
  });
  return (
    <section>
      <h1>{t('ikd.title')}</h1>
      <Show when={location.state?.released}>
        <p class="note" role="status" data-testid="ikd-released-done">✓ {t('ikd.release.done')}</p>
      </Show>
      <Show when={location.state?.signedOut}>
        <p class="note" role="status" data-testid="ikd-signed-out">{t('ikd.signedOut')}</p>
      </Show>
      <Show when={location.state?.ended}>
        {(e) => {
          const end = e();
          return end.kind === 'device' ? (
            <RevokedNote known={end} lead={t('ikd.ended.device')} />
          ) : (
            <p class="note note-warn" role="status" data-testid="ikd-session-ended">{t('ikd.ended.session')}</p>
          );
        }}
      </Show>
      <p>{t('ikd.lead')}</p>
      <p class="muted small">{t('ikd.requirements')}</p>
      <div class="grid">
        <A href="/ikd/daftar" class="tile" data-testid="ikd-register-link">
          <strong>{t('ikd.register')}</strong>
          <span>{t('ikd.form.route')}: {t('ikd.route.counter')} / {t('ikd.route.video')}</span>
        </A>
        <A href="/ikd/lanjut" class="tile" data-testid="ikd-resume-link">
          <strong>{t('ikd.resume')}</strong>
          <span>{t('ikd.resumeLead')}</span>
        </A>
        <A href="/ikd/masuk" class="tile" data-testid="ikd-signin-link">
          <strong>{t('ikd.signIn')}</strong>
          <span>{t('ikd.signin.lead')}</span>
        </A>
      </div>
      <p class="small">
        <A href="/cek" data-testid="checker-link">{kt('ktp.checkerLink')}</A>
      </p>
      <Show when={!session.user()}>
        <p class="small"><A href="/login">{t('ikd.staffLink')}</A></p>
      </Show>
    </section>
  );
}
