/**
 * "Permohonan baru" KTP-el form. Every keystroke is saved as a draft in Dexie (survives reload, no signal,
 * crash); on submit it is validated offline with the SOP table's own schema and becomes an outbox command.
 */
import { useNavigate } from '@solidjs/router';
import { For, Show, createSignal, onMount } from 'solid-js';
import { transition } from '../../../../schema/workflows';
import { type Draft, db } from '../../db';
import { focusFirstProblem } from '../../focus';
import { relative, t, tryT } from '../../i18n';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';
import { enqueue } from '../../sync/engine';
import { uuidv7 } from '../../sync/uuidv7';
import { wf } from './cases';
import { fieldErrors, idNumberErrors } from './validation';
import { fieldLabel } from '../../i18n/fields';

const REASONS = ['baru', 'hilang', 'rusak', 'perubahan_data'] as const;
const CHANNELS = ['counter', 'online'] as const;
type Fields = { nik: string; reason: string; channel: string; phone: string; notes: string };
const EMPTY: Fields = { nik: '', reason: '', channel: 'counter', phone: '', notes: '' };

export function NewApplication() {
  const session = useSession();
  const sync = useSync();
  const navigate = useNavigate();
  const [fields, setFields] = createSignal<Fields>({ ...EMPTY });
  const [draftId, setDraftId] = createSignal(uuidv7());
  const [savedAt, setSavedAt] = createSignal<number>();
  const [restored, setRestored] = createSignal(false);
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [formProblem, setFormProblem] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const canSubmit = () => session.hasRole(...wf.actions.submit.roles);

  onMount(async () => {
    const userId = session.user()?.id;
    if (!userId) return;
    // Resume this user's latest unsent KTP-el draft, if any.
    const drafts = await db.drafts.where('service').equals(wf.service).filter((d) => d.userId === userId).sortBy('updatedAt');
    const last = drafts.at(-1);
    if (last) {
      setDraftId(last.id);
      setFields({ ...EMPTY, ...(last.fields as Partial<Fields>) });
      setSavedAt(last.updatedAt);
      setRestored(true);
    }
  });

  async function saveDraft(next: Fields) {
    const user = session.user();
    if (!user) return;
    const draft: Draft = { id: draftId(), service: wf.service, kind: 'create', userId: user.id, fields: next, updatedAt: Date.now() };
    await db.drafts.put(draft);
    setSavedAt(draft.updatedAt);
  }

  function update<K extends keyof Fields>(key: K, value: string) {
    const next = { ...fields(), [key]: value };
    setFields(next);
    if (errors()[key]) setErrors({ ...errors(), [key]: '' });
    void saveDraft(next);
  }

  async function clearDraft() {
    await db.drafts.delete(draftId());
    setDraftId(uuidv7());
    setFields({ ...EMPTY });
    setSavedAt(undefined);
    setRestored(false);
    setErrors({});
  }

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement; // read before any await: currentTarget is null afterwards
    const user = session.user();
    if (!user || busy()) return;
    const f = fields();
    const input: Record<string, string> = { nik: f.nik.trim(), reason: f.reason, channel: f.channel };
    if (f.phone.trim()) input.phone = f.phone.replace(/[\s-]/g, '');
    if (f.notes.trim()) input.notes = f.notes.trim();

    // The same rule the server applies: state (none yet), role, and the action's zod input.
    const verdict = transition(wf, null, 'submit', user.roles, input);
    // The schema checks the NIK's shape; the NIK rules (region, date, serial) come from schema/nik.ts.
    const idErrors = await idNumberErrors(input, { nik: ['nik'] });
    if (!verdict.ok || Object.keys(idErrors).length > 0) {
      const errors = { ...(verdict.ok ? {} : fieldErrors(wf.actions.submit.input, input)), ...idErrors };
      setErrors(errors);
      const invalid = verdict.ok || verdict.code === 'validation_failed';
      setFormProblem(invalid ? t('form.seeFields', { fields: Object.keys(errors).map(fieldLabel).join(', ') }) : t('form.notAllowed'));
      focusFirstProblem(form);
      return;
    }
    setBusy(true);
    try {
      setErrors({});
      setFormProblem(undefined);
      const caseId = uuidv7();
      await saveDraft(f); // the latest keystroke is on disk before the draft is swapped for the command
      await enqueue(
        {
          type: 'create',
          caseId,
          service: wf.service,
          input: verdict.input as Record<string, unknown>,
          userId: user.id,
          username: user.username,
          officeCode: user.officeCode,
        },
        draftId(),
      );
      sync.changed();
      navigate(`/ktpel/${caseId}`, { state: { queued: true } });
    } finally {
      setBusy(false);
    }
  }

  const err = (k: keyof Fields) => errors()[k] || undefined;

  return (
    <section class="card">
      <h1>{t('ktpel.new')}</h1>
      <Show when={!canSubmit()}>
        <p class="note note-bad">{t('form.notAllowed')}</p>
      </Show>
      <Show when={restored()}>
        <p class="note" data-testid="draft-restored">{t('form.draftRestored')}</p>
      </Show>
      <form class="form" onSubmit={submit} novalidate data-testid="new-application-form">
        <label class="field" classList={{ 'has-error': !!err('nik') }}>
          <span>{t('form.nik')}</span>
          <input
            name="nik"
            inputmode="numeric"
            autocomplete="off"
            maxlength="16"
            pattern="\d{16}"
            value={fields().nik}
            onInput={(e) => update('nik', e.currentTarget.value.replace(/\D/g, ''))}
            aria-invalid={!!err('nik')}
            aria-describedby={err('nik') ? 'nik-error nik-hint' : 'nik-hint'}
          />
          <small id="nik-hint" class="muted">{t('form.nikHint')}</small>
          <Show when={err('nik')}><small class="error" id="nik-error" data-testid="error-nik">{err('nik')}</small></Show>
        </label>

        <fieldset class="field" classList={{ 'has-error': !!err('reason') }}>
          <legend>{t('form.reason')}</legend>
          <div class="choices">
            <For each={REASONS}>
              {(r) => (
                <label class="choice">
                  <input type="radio" name="reason" value={r} checked={fields().reason === r} onChange={() => update('reason', r)} />
                  {tryT(`reason.${r}`, r)}
                </label>
              )}
            </For>
          </div>
          <Show when={err('reason')}><small class="error">{err('reason')}</small></Show>
        </fieldset>

        <fieldset class="field">
          <legend>{t('form.channel')}</legend>
          <div class="choices">
            <For each={CHANNELS}>
              {(c) => (
                <label class="choice">
                  <input type="radio" name="channel" value={c} checked={fields().channel === c} onChange={() => update('channel', c)} />
                  {tryT(`channel.${c}`, c)}
                </label>
              )}
            </For>
          </div>
        </fieldset>

        <label class="field" classList={{ 'has-error': !!err('phone') }}>
          <span>{t('form.phone')}</span>
          <input name="phone" type="tel" inputmode="tel" autocomplete="off" value={fields().phone} onInput={(e) => update('phone', e.currentTarget.value)} aria-invalid={!!err('phone')} />
          <small class="muted">{t('form.phoneHint')}</small>
          <Show when={err('phone')}><small class="error">{err('phone')}</small></Show>
        </label>

        <label class="field" classList={{ 'has-error': !!err('notes') }}>
          <span>{t('form.notes')}</span>
          <textarea name="notes" rows="3" maxlength="500" value={fields().notes} onInput={(e) => update('notes', e.currentTarget.value)} aria-invalid={!!err('notes')} />
          <Show when={err('notes')}><small class="error">{err('notes')}</small></Show>
        </label>

        <Show when={formProblem()}>
          <p class="note note-bad" role="alert">{formProblem()}</p>
        </Show>
        <div class="row">
          <button class="btn btn-primary" type="submit" disabled={busy() || !canSubmit()} data-testid="submit-application">{t('form.submit')}</button>
          <button class="btn" type="button" onClick={() => void clearDraft()}>{t('form.discardDraft')}</button>
          <Show when={savedAt()}>
            {(at) => <small class="muted" data-testid="draft-saved">{t('form.draftSaved', { time: relative(at()) })}</small>}
          </Show>
        </div>
      </form>
    </section>
  );
}
