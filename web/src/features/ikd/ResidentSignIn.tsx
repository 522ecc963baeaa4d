/** Resident sign-in on the bound phone: NIK + PIN, and the device key signs the server's one-time challenge. */
import { A, useNavigate } from '@solidjs/router';
import { Show, createEffect, createResource, createSignal, untrack } from 'solid-js';
import { createWait } from '../../state/ticks';
import { problemFromError } from '../../api';
import type { UiProblem } from '../../db';
import { peekDeviceKey } from '../../device';
import { duration, problemText, t } from '../../i18n';
import { PinInput } from './PinPolicy';
import { useResident } from './resident';

export function ResidentSignIn() {
  const resident = useResident();
  const navigate = useNavigate();
  const [key] = createResource(peekDeviceKey);
  const [nik, setNik] = createSignal(resident.nik() ?? '');
  void resident.loadNik();
  // The remembered NIK is read from IndexedDB after a fresh page load: fill it in once it arrives.
  createEffect(() => {
    const known = resident.nik();
    if (known && !untrack(nik)) setNik(known);
  });
  const [pin, setPin] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<UiProblem>();
  const wait = createWait();
  const waitLeft = wait.left;

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (busy() || waitLeft() > 0) return;
    if (!/^\d{16}$/.test(nik()) || pin().length !== 6) {
      setProblem({ code: 'validation_failed', status: 422 });
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      await resident.signIn(nik(), pin());
      navigate('/ikd/akun', { replace: true });
    } catch (err) {
      const p: UiProblem = problemFromError(err);
      setProblem(p);
      if (p.retryAfterSeconds) wait.start(p.retryAfterSeconds);
    } finally {
      setPin('');
      setBusy(false);
    }
  }

  // "Sisa n kali" comes in the problem's detail (pin_wrong carries attemptsLeft); show the server's sentence.
  const detailHalf = (p: UiProblem) => (p.detail ? p.detail.split(' / ')[0] : undefined);

  return (
    <section class="card narrow">
      <A href="/ikd" class="back">← {t('common.back')}</A>
      <h1>{t('ikd.signIn')}</h1>
      <p class="muted">{t('ikd.signin.lead')}</p>
      <Show when={key.state === 'ready' && !key()}>
        <p class="note note-warn" data-testid="no-device-key">{t('ikd.signin.noKey')}</p>
      </Show>
      <form class="form" onSubmit={submit} novalidate data-testid="ikd-signin-form">
        <label class="field">
          <span>{t('ikd.form.nik')}</span>
          <input name="nik" inputmode="numeric" maxlength="16" autocomplete="username" value={nik()} onInput={(e) => setNik(e.currentTarget.value.replace(/\D/g, ''))} />
        </label>
        <PinInput name="pin" label={t('ikd.signin.pin')} value={pin()} onInput={setPin} autocomplete="current-password" />
        <Show when={problem()}>
          {(p) => (
            <p class="note note-bad" role="alert" data-testid="ikd-signin-problem" data-code={p().code}>
              {problemText({ ...p(), retryAfterSeconds: undefined })}
              <Show when={p().code === 'pin_wrong' && detailHalf(p())}> {detailHalf(p())}</Show>
              <Show when={waitLeft() > 0}> {t('auth.wait', { time: duration(waitLeft()) })}</Show>
            </p>
          )}
        </Show>
        <button class="btn btn-primary" type="submit" disabled={busy() || waitLeft() > 0 || !key()} data-testid="ikd-signin-submit">
          {busy() ? t('auth.busy') : t('ikd.signin.submit')}
        </button>
      </form>
    </section>
  );
}
