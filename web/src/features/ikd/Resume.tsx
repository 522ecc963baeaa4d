/** "Lanjutkan permohonan": a new registration session for an application not yet active, after the same identity check. */
import { A, useNavigate } from '@solidjs/router';
import { Show, createEffect, createSignal, untrack } from 'solid-js';
import { IkdResumeRequest } from '../../../../schema/contracts/ikd';
import { problemFromError } from '../../api';
import type { UiProblem } from '../../db';
import { t } from '../../i18n';
import { fieldErrors, idNumberErrors } from '../ktpel/validation';
import { ikdApi } from './api';
import { type MatchAnswer, MatchAnswerNote, matchAnswerOf } from './Register';
import { useResident } from './resident';

export function Resume() {
  const resident = useResident();
  const navigate = useNavigate();
  const [nik, setNik] = createSignal(resident.nik() ?? '');
  // The remembered NIK is read from IndexedDB after a fresh page load: fill it in once it arrives.
  createEffect(() => {
    const known = resident.nik();
    if (known && !untrack(nik)) setNik(known);
  });
  const [kk, setKk] = createSignal('');
  const [mother, setMother] = createSignal('');
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [answer, setAnswer] = createSignal<MatchAnswer>();
  const [busy, setBusy] = createSignal(false);

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    const body = { nik: nik().trim(), kkNumber: kk().trim(), motherMaidenName: mother().trim() };
    const idErrors = await idNumberErrors(body, { nik: ['nik'], kk: ['kkNumber'] });
    if (!IkdResumeRequest.safeParse(body).success || Object.keys(idErrors).length > 0) {
      setErrors({ ...fieldErrors(IkdResumeRequest, body), ...idErrors });
      return;
    }
    setErrors({});
    setBusy(true);
    setAnswer(undefined);
    try {
      await ikdApi.resume(body);
      await resident.rememberNik(body.nik);
      await resident.refresh();
      navigate('/ikd/akun', { state: { matched: true } });
    } catch (err) {
      const p: UiProblem = problemFromError(err);
      setAnswer(matchAnswerOf(p));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card narrow">
      <A href="/ikd" class="back">← {t('common.back')}</A>
      <h1>{t('ikd.resume')}</h1>
      <p class="muted">{t('ikd.resumeLead')}</p>
      <form class="form" onSubmit={submit} novalidate data-testid="ikd-resume-form">
        <label class="field" classList={{ 'has-error': !!errors().nik }}>
          <span>{t('ikd.form.nik')}</span>
          <input name="nik" inputmode="numeric" maxlength="16" autocomplete="off" value={nik()} onInput={(e) => setNik(e.currentTarget.value.replace(/\D/g, ''))} />
          <Show when={errors().nik}><small class="error">{errors().nik}</small></Show>
        </label>
        <label class="field" classList={{ 'has-error': !!errors().kkNumber }}>
          <span>{t('ikd.form.kk')}</span>
          <input name="kkNumber" inputmode="numeric" maxlength="16" autocomplete="off" value={kk()} onInput={(e) => setKk(e.currentTarget.value.replace(/\D/g, ''))} />
          <Show when={errors().kkNumber}><small class="error">{errors().kkNumber}</small></Show>
        </label>
        <label class="field" classList={{ 'has-error': !!errors().motherMaidenName }}>
          <span>{t('ikd.form.mother')}</span>
          <input name="motherMaidenName" autocomplete="off" value={mother()} onInput={(e) => setMother(e.currentTarget.value)} />
          <small class="muted">{t('ikd.form.motherHint')}</small>
          <Show when={errors().motherMaidenName}><small class="error">{errors().motherMaidenName}</small></Show>
        </label>
        <Show when={answer()}>{(a) => <MatchAnswerNote answer={a()} />}</Show>
        <button class="btn btn-primary" type="submit" disabled={busy()} data-testid="ikd-resume-submit">
          {busy() ? t('ikd.form.checking') : t('ikd.form.resumeSubmit')}
        </button>
      </form>
    </section>
  );
}
