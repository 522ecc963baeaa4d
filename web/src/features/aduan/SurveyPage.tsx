/**
 * The IKM questionnaire (PermenPANRB 14/2017): nine questions answered 1–4 and an optional profile. Opened with an
 * invitation (`/ikm#undangan=…`) or on a counter tablet in kiosk mode (`/ikm/kios#t=…`, token kept on the tablet).
 * Answers are queued in Dexie first, so the survey works offline.
 */
import './messages'; // this screen's texts (registered with t() when loaded)
import { useLocation } from '@solidjs/router';
import { For, Show, createSignal, onMount } from 'solid-js';
import { IKM_ELEMENTS, IkmProfile, IkmSubmission } from '../../../../schema/ikm';
import { db } from '../../db';
import { api, problemFromError } from '../../api';
import { lbl, problemText, t, tryT } from '../../i18n';
import { uuidv7 } from '../../sync/uuidv7';
import { flushPublic, startPublicFlush } from './public-outbox';

const KIOSK_KEY = 'loket.ikmKiosk';
const OPTIONS = {
  ageGroup: IkmProfile.shape.ageGroup.unwrap().options,
  education: IkmProfile.shape.education.unwrap().options,
  occupation: IkmProfile.shape.occupation.unwrap().options,
} as const;

export function SurveyPage() {
  const location = useLocation();
  const kioskMode = () => location.pathname === '/ikm/kios';
  const [invitation, setInvitation] = createSignal('');
  const [kiosk, setKiosk] = createSignal('');
  const [answers, setAnswers] = createSignal<(number | undefined)[]>(Array(9).fill(undefined));
  const [profile, setProfile] = createSignal<Record<string, string>>({});
  const [done, setDone] = createSignal<'sent' | 'queued'>();
  const [problem, setProblem] = createSignal<string>();

  onMount(() => {
    startPublicFlush();
    const params = new URLSearchParams(location.hash.slice(1));
    if (params.get('undangan')) setInvitation(params.get('undangan')!);
    if (kioskMode()) {
      // The kiosk token arrives once in the link; the tablet keeps it and the address bar forgets it.
      const fromLink = params.get('t');
      if (fromLink) {
        localStorage.setItem(KIOSK_KEY, fromLink);
        history.replaceState(null, '', '/ikm/kios');
      }
      setKiosk(localStorage.getItem(KIOSK_KEY) ?? '');
    }
  });

  function choose(i: number, v: number) {
    const next = [...answers()];
    next[i] = v;
    setAnswers(next);
  }

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    const p = Object.fromEntries(Object.entries(profile()).filter(([, v]) => v));
    const body = {
      id: uuidv7(), answers: answers(), ...(Object.keys(p).length ? { profile: p } : {}),
      ...(kioskMode() ? { kiosk: kiosk() } : { invitation: invitation().trim() }),
    };
    const parsed = IkmSubmission.safeParse(body);
    if (!parsed.success) {
      setProblem(answers().some((a) => a === undefined) ? t('ikm.incomplete') : t('ikm.noInvite'));
      return;
    }
    setProblem(undefined);
    try {
      await api('/api/ikm/responses', { method: 'POST', body: parsed.data });
      setDone('sent');
    } catch (err) {
      const p = problemFromError(err);
      if (p.code !== 'network' && p.status < 500 && p.status !== 429) {
        setProblem(problemText(p));
        return;
      }
      // No answer from the server: keep it and send it later (its id makes a resend the same answer).
      await db.ikmOutbox.add({ id: body.id, body: parsed.data as unknown as Record<string, unknown>, createdAt: Date.now() });
      setDone('queued');
      void flushPublic();
    }
  }

  function next() {
    setAnswers(Array(9).fill(undefined));
    setProfile({});
    setDone(undefined);
  }

  return (
    <section class="card" data-testid="ikm-survey">
      <h1>{kioskMode() ? t('ikm.kioskTitle') : t('ikm.title')}</h1>
      <p class="muted">{t('ikm.lead')}</p>
      <Show when={done()}>
        <p class="note note-good" role="status" data-testid="ikm-done">{done() === 'sent' ? t('ikm.thanks') : t('ikm.queued')}</p>
        <Show when={kioskMode()}><button class="btn btn-primary" type="button" onClick={next}>{t('ikm.next')}</button></Show>
      </Show>
      <Show when={!done()}>
        <form class="form" onSubmit={submit} data-testid="ikm-form">
          <Show when={!kioskMode()}>
            <label class="field">
              <span>{t('ikm.invitation')}</span>
              <input name="invitation" class="mono" autocomplete="off" value={invitation()} onInput={(e) => setInvitation(e.currentTarget.value)} />
            </label>
          </Show>
          <For each={IKM_ELEMENTS}>
            {(el, i) => (
              <fieldset class="field" data-testid={`ikm-${el.key}`}>
                <legend><strong>{i() + 1}. {lbl(el.name)}</strong> — {lbl(el.question)}</legend>
                <div class="choices">
                  <For each={el.answers}>
                    {(a, j) => (
                      <label class="choice">
                        <input type="radio" name={el.key} value={j() + 1} checked={answers()[i()] === j() + 1} onChange={() => choose(i(), j() + 1)} />
                        {j() + 1}. {lbl(a)}
                      </label>
                    )}
                  </For>
                </div>
              </fieldset>
            )}
          </For>
          <details>
            <summary>{t('ikm.profile')}</summary>
            <label class="field">
              <span>{t('ikm.sex')}</span>
              <select value={profile().sex ?? ''} onChange={(e) => setProfile({ ...profile(), sex: e.currentTarget.value })}>
                <option value="">{t('ikm.none')}</option>
                <option value="L">{t('ikm.sex.L')}</option>
                <option value="P">{t('ikm.sex.P')}</option>
              </select>
            </label>
            <For each={['ageGroup', 'education', 'occupation'] as const}>
              {(k) => (
                <label class="field">
                  <span>{tryT(`ikm.${k}`, k)}</span>
                  <select value={profile()[k] ?? ''} onChange={(e) => setProfile({ ...profile(), [k]: e.currentTarget.value })}>
                    <option value="">{t('ikm.none')}</option>
                    <For each={OPTIONS[k]}>{(o) => <option value={o}>{o.replace(/_/g, ' ').toUpperCase()}</option>}</For>
                  </select>
                </label>
              )}
            </For>
          </details>
          <Show when={problem()}><p class="note note-bad" role="alert">{problem()}</p></Show>
          <button class="btn btn-primary" type="submit" data-testid="ikm-submit">{t('ikm.submit')}</button>
        </form>
      </Show>
    </section>
  );
}

export default SurveyPage;
