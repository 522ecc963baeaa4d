/**
 * The activation page the email links to (`/aktivasi#t=<token>`; the fragment never reaches a server log): the
 * resident enters the emailed activation PIN, then sets their own 6-digit PIN (rules checked on the phone with the
 * server's own rule), and this phone signs in with it.
 */
import { A, useNavigate } from '@solidjs/router';
import { Match, Show, Switch, createSignal, onMount } from 'solid-js';
import { problemFromError } from '../../api';
import type { UiProblem } from '../../db';
import { peekDeviceKey } from '../../device';
import { problemText, t } from '../../i18n';
import { uuidv7 } from '../../sync/uuidv7';
import { ikdApi } from './api';
import { PinInput, PinPolicy } from './PinPolicy';
import { pinVerdict } from './pin';
import { useResident } from './resident';

const TOKEN_KEY = 'loket.activation';

/**
 * The link's token: taken from the fragment, which is then removed from the address bar, and kept for this tab
 * only (sessionStorage) so a reload half-way does not lose it.
 */
function tokenFromHash(): string | undefined {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('t') ?? undefined;
  try {
    if (fromHash) {
      sessionStorage.setItem(TOKEN_KEY, fromHash);
      history.replaceState(history.state, '', location.pathname);
      return fromHash;
    }
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return fromHash;
  }
}

function forgetToken(): void {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage blocked: nothing was kept
  }
}

const LINK_CLOSED = new Set(['activation_link_invalid', 'activation_link_used', 'activation_link_expired', 'activation_link_dead', 'activation_link_revoked']);

export function Activation() {
  const resident = useResident();
  const navigate = useNavigate();
  const [token, setToken] = createSignal<string>();
  const [step, setStep] = createSignal<'pin' | 'own' | 'done'>('pin');
  const [activationPin, setActivationPin] = createSignal('');
  const [nikMasked, setNikMasked] = createSignal('');
  const [attemptsLeft, setAttemptsLeft] = createSignal<number>();
  const [pin, setPin] = createSignal('');
  const [confirm, setConfirm] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<UiProblem>();
  const [commandId] = createSignal(uuidv7());
  const [signInFailed, setSignInFailed] = createSignal(false);

  onMount(() => {
    setToken(tokenFromHash());
    void resident.loadNik(); // for the PIN policy (no PIN made of the NIK) and the sign-in after activation
  });

  const fail = (err: unknown) => {
    const p = problemFromError(err);
    setProblem(p);
    if (LINK_CLOSED.has(p.code)) forgetToken();
    if (p.code === 'pin_wrong' && p.attemptsLeft !== undefined) setAttemptsLeft(p.attemptsLeft);
    // The activation PIN was refused at the last step (e.g. the link died meanwhile): start over from the PIN.
    if (p.code === 'pin_wrong' && step() === 'own') setStep('pin');
  };

  async function checkActivation(e: SubmitEvent) {
    e.preventDefault();
    const tk = token();
    if (!tk || activationPin().length !== 6 || busy()) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const res = await ikdApi.activationVerify(tk, activationPin());
      setNikMasked(res.nikMasked);
      setAttemptsLeft(res.attemptsLeft);
      setStep('own');
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  const ownOk = () => pin() === confirm() && pinVerdict(pin(), { nik: resident.nik(), activationPin: activationPin() }).ok;

  async function activate(e: SubmitEvent) {
    e.preventDefault();
    const tk = token();
    if (!tk || !ownOk() || busy()) return;
    setBusy(true);
    setProblem(undefined);
    try {
      await ikdApi.activationComplete({ token: tk, activationPin: activationPin(), pin: pin(), commandId: commandId() });
      setStep('done');
      forgetToken();
      // Signed in right away on the phone that holds the bound key and knows its NIK.
      const nik = await resident.loadNik();
      if (nik && (await peekDeviceKey())) {
        try {
          await resident.signIn(nik, pin());
          navigate('/ikd/akun', { replace: true });
          return;
        } catch {
          setSignInFailed(true);
        }
      } else {
        setSignInFailed(true);
      }
    } catch (err) {
      fail(err);
    } finally {
      setPin('');
      setConfirm('');
      setBusy(false);
    }
  }

  return (
    <section class="card narrow" data-testid="ikd-activation" data-step={step()}>
      <h1>{t('ikd.act.title')}</h1>
      <Show when={token()} fallback={<p class="note note-bad" data-testid="no-token">{t('ikd.act.noToken')}</p>}>
        <Switch>
          <Match when={step() === 'pin'}>
            <form class="form" onSubmit={checkActivation} novalidate>
              <PinInput name="activationPin" label={t('ikd.act.pinLabel')} value={activationPin()} onInput={setActivationPin} testId="activation-pin" autocomplete="one-time-code" />
              <button class="btn btn-primary" type="submit" disabled={busy() || activationPin().length !== 6} data-testid="activation-check">{t('ikd.act.check')}</button>
            </form>
          </Match>
          <Match when={step() === 'own'}>
            <p class="note" role="status" data-testid="activation-ok">✓ {t('ikd.act.ok', { nik: nikMasked() })}</p>
            <form class="form" onSubmit={activate} novalidate>
              <PinInput name="pin" label={t('ikd.act.newPin')} value={pin()} onInput={setPin} testId="new-pin" autocomplete="new-password" />
              <PinInput name="confirmPin" label={t('ikd.act.confirmPin')} value={confirm()} onInput={setConfirm} testId="confirm-pin" autocomplete="new-password" />
              <PinPolicy pin={pin()} ctx={{ nik: resident.nik(), activationPin: activationPin() }} />
              <Show when={confirm().length === 6 && pin() !== confirm()}>
                <small class="error" data-testid="pin-mismatch">{t('ikd.act.mismatch')}</small>
              </Show>
              <button class="btn btn-primary" type="submit" disabled={busy() || !ownOk()} data-testid="activate">{t('ikd.act.submit')}</button>
            </form>
          </Match>
          <Match when={step() === 'done'}>
            <p class="note" role="status" data-testid="activated">✓ {t('ikd.act.done')}</p>
            <Show when={signInFailed()} fallback={<p class="muted">{t('ikd.act.signingIn')}</p>}>
              <A href="/ikd/masuk" class="btn btn-primary">{t('ikd.act.goSignIn')}</A>
            </Show>
          </Match>
        </Switch>
        <Show when={problem()}>
          {(p) => (
            <div class="note note-bad" role="alert" data-testid="activation-problem" data-code={p().code}>
              <p>{problemText(p())}</p>
              <Show when={p().code === 'pin_wrong' && attemptsLeft() !== undefined}>
                <p data-testid="attempts-left">{t('ikd.act.attemptsLeft', { n: attemptsLeft() ?? 0 })}</p>
              </Show>
              <Show when={p().code === 'pin_weak' && p().detail}>
                <p>{p().detail}</p>
              </Show>
              <Show when={LINK_CLOSED.has(p().code)}>
                <p>{t('ikd.act.askOffice')}</p>
              </Show>
            </div>
          )}
        </Show>
      </Show>
    </section>
  );
}
