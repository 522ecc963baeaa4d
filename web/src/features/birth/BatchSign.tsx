/**
 * The head of office signs many birth files at once (seed 002 step 6): picks files waiting for the signature, enters
 * the password once at that moment, and sees each file's register number or why it was not signed.
 */
import './messages'; // this screen's texts (registered with t() when loaded)
import { A } from '@solidjs/router';
import { For, Show, createMemo, createSignal } from 'solid-js';
import { ApiFailure, api } from '../../api';
import { problemText, t } from '../../i18n';
import { useSync } from '../../state/sync';
import type { LocalCase } from '../../sync/view';

/** The server takes at most this many cases per request (schema/contracts/birth.ts SignRequest). */
const PER_REQUEST = 50;
type Outcome = { caseId: string; status: string; registerNo?: string; problem?: { code: string; detail?: string } };

export function BatchSign(props: { cases: LocalCase[] }) {
  const sync = useSync();
  // Only what the server has at the version shown: a file with actions still in the outbox waits.
  const waiting = createMemo(() => props.cases.filter((c) => c.state === 'awaiting_signature' && c.onServer && !c.unsynced.length));
  const [picked, setPicked] = createSignal<Set<string>>(new Set());
  const [password, setPassword] = createSignal('');
  const [passphrase, setPassphrase] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<string>();
  const [outcomes, setOutcomes] = createSignal<Outcome[]>([]);
  const chosen = createMemo(() => waiting().filter((c) => picked().has(c.id)));
  const nameOf = (id: string) => (props.cases.find((c) => c.id === id)?.data as { child?: { name?: string } } | undefined)?.child?.name ?? id.slice(0, 8);

  const toggle = (id: string, on: boolean) => {
    const next = new Set(picked());
    if (on) next.add(id);
    else next.delete(id);
    setPicked(next);
  };

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    const list = chosen();
    if (!list.length || busy()) return;
    setBusy(true);
    setProblem(undefined);
    const done: Outcome[] = [];
    try {
      for (let i = 0; i < list.length; i += PER_REQUEST) {
        const { results } = await api<{ results: Outcome[] }>('/api/birth/sign', {
          body: { password: password(), ...(passphrase() ? { passphrase: passphrase() } : {}), cases: list.slice(i, i + PER_REQUEST).map((c) => ({ id: c.id, version: c.version })) },
        });
        done.push(...results);
      }
    } catch (err) {
      setProblem(err instanceof ApiFailure ? problemText(err.problem) : problemText({ code: 'network', status: 0 }));
    } finally {
      setPassword('');
      setPassphrase('');
      setOutcomes(done);
      setPicked(new Set<string>());
      setBusy(false);
      await sync.syncNow(true);
    }
  }

  return (
    <Show when={waiting().length || outcomes().length}>
      <form class="form card" onSubmit={submit} data-testid="batch-sign">
        <h2>{t('birth.batch.title')}</h2>
        <Show when={waiting().length}>
          <fieldset>
            <legend>{t('birth.batch.pick')}</legend>
            <div class="choices">
            <label class="choice"><input type="checkbox" data-testid="batch-all" checked={chosen().length === waiting().length} onChange={(e) => setPicked(new Set(e.currentTarget.checked ? waiting().map((c) => c.id) : []))} /> {t('birth.batch.all', { n: waiting().length })}</label>
            <For each={waiting()}>
              {(c) => (
                <label class="choice" data-batch-case={c.id}>
                  <input type="checkbox" checked={picked().has(c.id)} onChange={(e) => toggle(c.id, e.currentTarget.checked)} /> {nameOf(c.id)}
                </label>
              )}
            </For>
            </div>
          </fieldset>
          <Show when={sync.online()} fallback={<p class="note note-warn">{t('birth.signOnline')}</p>}>
            <label class="field"><span>{t('birth.password')}</span><input type="password" autocomplete="current-password" data-testid="batch-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} /></label>
            <label class="field"><span>{t('birth.passphrase')}</span><input type="password" autocomplete="off" value={passphrase()} onInput={(e) => setPassphrase(e.currentTarget.value)} /></label>
            <button class="btn" type="submit" data-testid="batch-submit" disabled={!chosen().length || !password() || busy()}>{t('birth.batch.sign', { n: chosen().length })}</button>
          </Show>
        </Show>
        <Show when={problem()}><p class="error" role="alert">{problem()}</p></Show>
        <Show when={outcomes().length}>
          <ul data-testid="batch-results" aria-live="polite">
            <For each={outcomes()}>
              {(o) => (
                <li data-outcome={o.status}>
                  <A href={`/akta/${o.caseId}`}>{nameOf(o.caseId)}</A>:{' '}
                  {o.status === 'applied' ? t('birth.signed', { no: o.registerNo ?? '' }) : problemText({ code: o.problem?.code ?? 'rejected', status: 409, detail: o.problem?.detail })}
                </li>
              )}
            </For>
          </ul>
        </Show>
      </form>
    </Show>
  );
}
