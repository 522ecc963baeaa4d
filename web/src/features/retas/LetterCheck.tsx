/**
 * The page a RETAS letter's QR opens (no account): the office's signature checked on this phone against the office
 * keys it has cached (so a teacher at a school without signal can check it, once the page and keys were loaded),
 * refreshed whenever the network answers; online, the server also says whether the event was cancelled.
 */
import './messages';
import { For, Match, Show, Switch, createResource } from 'solid-js';
import { api } from '../../api';
import { ago, t, type MsgKey } from '../../i18n';
import { readLists, refreshKeys } from '../ktp/checker-store';
import { tokenFromHash } from '../ktp/office-token';
import { checkLetter, type LetterCheckResult } from './letter-check';

interface ServerVerdict { cancelled: boolean }

export default function LetterCheck() {
  const token = tokenFromHash(location.hash);
  const [result] = createResource(
    () => token ?? false,
    async (tk): Promise<{ check: LetterCheckResult; keysAt?: number; cancelled?: boolean }> => {
      // Fresh keys when the network answers (a new key after rotation); the cached ones otherwise.
      await refreshKeys().catch(() => undefined);
      const lists = await readLists();
      const check = await checkLetter(tk, lists.jwks?.value.keys, window.location.origin);
      let cancelled: boolean | undefined;
      if (check.status === 'valid') {
        // Only the server knows a cancellation; without an answer the page says it could not be checked.
        cancelled = await api<ServerVerdict>('/api/retas/letters/verify', { body: { token: tk } }).then((v) => v.cancelled, () => undefined);
      }
      return { check, keysAt: lists.jwks?.fetchedAt, cancelled };
    },
  );
  const valid = () => {
    const c = result()?.check;
    return c?.status === 'valid' ? c.claims : undefined;
  };
  return (
    <section>
      <h1>{t('retas.verifyTitle')}</h1>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={!token}><p class="muted">{t('retas.verifyNoToken')}</p></Match>
        <Match when={result() && !valid()}>
          <p class="note note-bad" data-testid="letter-verdict" data-verdict="fake" data-reason={result()!.check.status}>
            {t('retas.verifyFake')} {t(`retas.verify.${result()!.check.status}` as MsgKey)}
          </p>
        </Match>
        <Match when={valid()}>
          {(v) => (
            <div data-testid="letter-verdict" data-verdict={result()!.cancelled ? 'cancelled' : 'genuine'} data-cancel-checked={result()!.cancelled !== undefined}>
              <p class="note">{t('retas.verifyGenuine')}</p>
              <Show when={result()!.cancelled}><p class="note note-bad">{t('retas.verifyCancelled')}</p></Show>
              <Show when={result()!.cancelled === undefined}><p class="note note-warn" data-testid="letter-offline">{t('retas.verifyOffline')}</p></Show>
              <p>{t('retas.letterNo', { no: v().no })}<br />{v().office} · {v().school} · {v().date}</p>
              <h2>{t('retas.verifyOfficers')}</h2>
              <ul><For each={v().officers}>{(o) => <li>{o}</li>}</For></ul>
            </div>
          )}
        </Match>
      </Switch>
      <Show when={result()?.keysAt}>{(at) => <p class="small muted">{t('rcheck.keysAge', { time: ago(at()) })}</p>}</Show>
    </section>
  );
}
