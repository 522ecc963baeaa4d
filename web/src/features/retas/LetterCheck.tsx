/** The page a RETAS letter's QR opens (no account): the office's signature checked online, with the letter's officers. */
import './messages';
import { For, Match, Switch, createResource } from 'solid-js';
import { ApiFailure, api } from '../../api';
import { problemText, t } from '../../i18n';

interface Verdict { no: string; office: string; school: string; date: string; officers: string[]; cancelled: boolean }

export default function LetterCheck() {
  const token = new URLSearchParams(location.hash.slice(1)).get('t');
  const [verdict] = createResource(
    () => token ?? false,
    async (tk) => {
      try {
        return { ok: true as const, v: await api<Verdict>('/api/retas/letters/verify', { body: { token: tk } }) };
      } catch (err) {
        return { ok: false as const, problem: err instanceof ApiFailure ? err.problem : { code: 'network', status: 0 } };
      }
    },
  );
  return (
    <section>
      <h1>{t('retas.verifyTitle')}</h1>
      <Switch fallback={<p class="muted">{t('common.loading')}</p>}>
        <Match when={!token}><p class="muted">{t('retas.verifyNoToken')}</p></Match>
        <Match when={verdict()?.ok === false && verdict()}>
          {(r) => {
            const p = (r() as { problem: { code: string; status: number } }).problem;
            return <p class="note note-bad" data-testid="letter-verdict" data-verdict="fake">{p.code === 'retas_letter_invalid' ? t('retas.verifyFake') : problemText(p)}</p>;
          }}
        </Match>
        <Match when={verdict()?.ok && verdict()}>
          {(r) => {
            const v = (r() as { v: Verdict }).v;
            return (
              <div data-testid="letter-verdict" data-verdict={v.cancelled ? 'cancelled' : 'genuine'}>
                <p class="note">{t('retas.verifyGenuine')}</p>
                {v.cancelled && <p class="note note-bad">{t('retas.verifyCancelled')}</p>}
                <p>{t('retas.letterNo', { no: v.no })}<br />{v.office} · {v.school} · {v.date}</p>
                <h2>{t('retas.verifyOfficers')}</h2>
                <ul><For each={v.officers}>{(o) => <li>{o}</li>}</For></ul>
              </div>
            );
          }}
        </Match>
      </Switch>
    </section>
  );
}
