/** Staff sign-in: username and password; every refusal is shown as a readable sentence, a lockout with its wait. */
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { Show, createSignal } from 'solid-js';
import { createWait } from '../../state/ticks';
import { problemFromError } from '../../api';
import type { UiProblem } from '../../db';
import { duration, problemText, t } from '../../i18n';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';

export function SignIn() {
  const session = useSession();
  const sync = useSync();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<UiProblem>();
  // 429: count the wait down so the user sees when trying again makes sense.
  const wait = createWait();
  const waitLeft = wait.left;
  const othersPending = () => sync.outbox().filter((c) => c.status !== 'conflict' && c.status !== 'rejected').length;

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (busy() || waitLeft() > 0) return;
    setBusy(true);
    setProblem(undefined);
    try {
      await session.login(username().trim(), password());
      setPassword('');
      const next = typeof params.next === 'string' && params.next.startsWith('/') && !params.next.startsWith('//') ? params.next : '/';
      navigate(next === '/login' ? '/' : next, { replace: true });
    } catch (err) {
      const p: UiProblem = problemFromError(err);
      setProblem(p);
      if (p.code === 'too_many_attempts') wait.start(p.retryAfterSeconds ?? 60);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card narrow">
      <h1>{t('auth.title')}</h1>
      <p class="muted">{t('auth.lead')}</p>
      <Show when={session.ended()}>
        <p class="note note-warn" role="alert" data-testid="session-ended">{t('auth.lost')}</p>
      </Show>
      <Show when={!sync.online()}>
        <p class="note note-warn">{t('auth.needsOnline')}</p>
      </Show>
      <Show when={othersPending() > 0}>
        <p class="note">{t('auth.pendingOthers', { n: othersPending() })}</p>
      </Show>
      <form onSubmit={submit} class="form" novalidate>
        <label class="field">
          <span>{t('auth.username')}</span>
          <input name="username" autocomplete="username" required value={username()} onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t('auth.password')}</span>
          <input name="password" type="password" autocomplete="current-password" required value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <Show when={problem()}>
          {(p) => (
            <p class="note note-bad" role="alert" data-testid="sign-in-problem" data-code={p().code}>
              {problemText({ ...p(), retryAfterSeconds: undefined })}
              <Show when={waitLeft() > 0}> {t('auth.wait', { time: duration(waitLeft()) })}</Show>
            </p>
          )}
        </Show>
        <button class="btn btn-primary" type="submit" disabled={busy() || waitLeft() > 0}>
          {busy() ? t('auth.busy') : t('auth.submit')}
        </button>
      </form>
      <p class="small" data-testid="public-links">
        {t('auth.notStaff')} <A href="/ikd">{t('ikd.title')}</A> · <A href="/cek">{t('auth.checkerLink')}</A>
      </p>
    </section>
  );
}
