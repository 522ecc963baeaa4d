/**
 * The resident's IKD entry: register, continue an application, or sign in; a resident with a session goes to the
 * account. Its own texts are in the shell dictionary (shell-messages.ts), so it shows at once; the IKD dictionary
 * loads after it, first for the notes said on arrival from another IKD screen.
 */
import { A, useLocation, useNavigate } from '@solidjs/router';
import { Show, Suspense, createSignal, lazy, onMount } from 'solid-js';
import { t } from '../../i18n';
import { kt } from '../ktp/texts';
import { useSession } from '../../state/session';
import { type SessionEnd, useResident } from './resident';

// Shown only when a session ended because the phone was blocked or released.
const RevokedNote = lazy(async () => ({ default: (await import('../ktp/RevokedNote')).RevokedNote }));

export function IkdHome() {
  const resident = useResident();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation<{ ended?: SessionEnd; released?: boolean; signedOut?: boolean }>();
  // Arriving from the account screen with a reason: stay here and say it (no bounce back to the account).
  const told = () => location.state?.ended ?? (location.state?.released ? 'released' : location.state?.signedOut ? 'signedOut' : undefined);
  // The IKD dictionary: at once when a note is to be said, else when the browser is idle (the next screens use it).
  // A signal, not a resource: a pending resource would suspend the whole page under the shell's Suspense.
  const [texts, setTexts] = createSignal(false);
  onMount(() => {
    const load = () => void import('./messages').then(() => setTexts(true));
    if (told()) load();
    else if ('requestIdleCallback' in window) requestIdleCallback(load, { timeout: 2000 });
    else setTimeout(load, 500);
  });
  onMount(async () => {
    if (told()) return;
    const status = await resident.refresh();
    if (status === 'ok' || (status === 'offline' && resident.me())) navigate('/ikd/akun', { replace: true });
  });
  return (
    <section>
      <h1>{t('ikd.title')}</h1>
      <Show when={texts() && location.state?.released}>
        <p class="note" role="status" data-testid="ikd-released-done">✓ {t('ikd.release.done')}</p>
      </Show>
      <Show when={texts() && location.state?.signedOut}>
        <p class="note" role="status" data-testid="ikd-signed-out">{t('ikd.signedOut')}</p>
      </Show>
      <Show when={texts() && location.state?.ended}>
        {(e) => {
          const end = e();
          return end.kind === 'device' ? (
            <Suspense>
              <RevokedNote known={end} lead={t('ikd.ended.device')} />
            </Suspense>
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
