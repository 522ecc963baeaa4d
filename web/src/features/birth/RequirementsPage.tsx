/**
 * The documents the office requires for a birth case, kept by its admin (data, not code): partner clerks' forms
 * and the completeness check read this list. Online only: two tablets must not save different lists offline.
 */
import './messages';
import { A } from '@solidjs/router';
import { Index, Show, createResource, createSignal } from 'solid-js';
import type { Requirement } from '../../../../schema/contracts/birth';
import { api, problemFromError } from '../../api';
import type { UiProblem } from '../../db';
import { problemFields, problemText, t } from '../../i18n';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';

export default function RequirementsPage() {
  const session = useSession();
  const sync = useSync();
  return (
    <section>
      <h1>{t('birth.requirements.title')}</h1>
      <Show when={session.hasRole('admin')} fallback={<p class="note note-bad" data-access="denied">{t('birth.admin.onlyAdmin')}</p>}>
        <Show when={sync.online()} fallback={<p class="note note-warn" data-testid="requirements-offline">{t('birth.admin.needsOnline')}</p>}>
          <RequirementsLoader />
        </Show>
      </Show>
    </section>
  );
}

function RequirementsLoader() {
  const [list, { mutate, refetch }] = createResource(async () => (await api<{ requirements: Requirement[] }>('/api/birth/requirements')).requirements);
  return (
    <Show when={!list.error} fallback={<p class="note note-bad">{problemText(problemFromError(list.error))} <button class="btn" onClick={() => void refetch()}>{t('common.retry')}</button></p>}>
      <Show when={list()} fallback={<p class="muted">{t('common.loading')}</p>}>
        {(rows) => <Editor initial={rows()} onSaved={(next) => mutate(next)} />}
      </Show>
    </Show>
  );
}

/** A code from a label: what the admin would type, lower case with underscores (the API's pattern). */
export function codeFromLabel(label: string): string {
  const base = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
  return /^[a-z]/.test(base) ? base : `dok_${base}`.slice(0, 40);
}

function Editor(props: { initial: Requirement[]; onSaved: (r: Requirement[]) => void }) {
  const [rows, setRows] = createSignal<Requirement[]>(props.initial.map((r) => ({ ...r, label: { ...r.label } })));
  const [problem, setProblem] = createSignal<UiProblem>();
  const [saved, setSaved] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const rowErr = (i: number) => Object.entries(problemFields(problem())).find(([path]) => path.startsWith(`requirements.${i}.`))?.[1];
  const update = (i: number, change: (r: Requirement) => Requirement) => {
    setSaved(false);
    setRows(rows().map((r, j) => (j === i ? change(r) : r)));
  };
  const move = (i: number, by: number) => {
    const next = [...rows()];
    const [r] = next.splice(i, 1);
    next.splice(i + by, 0, r!);
    setSaved(false);
    setRows(next);
  };

  async function save(e: SubmitEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    setSaved(false);
    try {
      // A new row's code comes from its Indonesian label unless the admin typed one.
      const body = rows().map((r) => ({ ...r, code: r.code || codeFromLabel(r.label.id), label: { id: r.label.id.trim(), en: r.label.en.trim() } }));
      const res = await api<{ requirements: Requirement[] }>('/api/birth/requirements', { method: 'PUT', body: { requirements: body } });
      setRows(res.requirements);
      props.onSaved(res.requirements);
      setSaved(true);
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="form" onSubmit={save} novalidate data-testid="requirements-form">
      <p class="small muted">
        {t('birth.requirements.intro')} <A href="/akta/mitra">{t('birth.partners.title')}</A>
      </p>
      <ol class="list">
        <Index each={rows()}>
          {(r, i) => (
            <li class="list-item" data-testid="requirement" data-code={r().code}>
              <fieldset class="field" classList={{ 'has-error': !!rowErr(i) }}>
                <legend>{t('birth.requirements.item', { n: i + 1 })}</legend>
                <label class="field">
                  <span>{t('birth.requirements.labelId')}</span>
                  <input name="label-id" value={r().label.id} onInput={(e) => update(i, (x) => ({ ...x, label: { ...x.label, id: e.currentTarget.value } }))} />
                </label>
                <label class="field">
                  <span>{t('birth.requirements.labelEn')}</span>
                  <input name="label-en" value={r().label.en} onInput={(e) => update(i, (x) => ({ ...x, label: { ...x.label, en: e.currentTarget.value } }))} />
                </label>
                <label class="field">
                  <span>{t('birth.requirements.code')}</span>
                  <input name="code" class="mono" autocomplete="off" value={r().code} onInput={(e) => update(i, (x) => ({ ...x, code: e.currentTarget.value.trim() }))} />
                </label>
                <label class="choice">
                  <input type="checkbox" name="required" checked={r().required} onChange={(e) => update(i, (x) => ({ ...x, required: e.currentTarget.checked }))} />
                  {t('birth.requirements.required')}
                </label>
                <Show when={rowErr(i)}><small class="error">{rowErr(i)}</small></Show>
                <div class="row">
                  <button class="btn btn-quiet" type="button" disabled={i === 0} onClick={() => move(i, -1)}>{t('birth.requirements.up')}</button>
                  <button class="btn btn-quiet" type="button" disabled={i === rows().length - 1} onClick={() => move(i, 1)}>{t('birth.requirements.down')}</button>
                  <button class="btn btn-quiet" type="button" data-testid="requirement-remove" disabled={rows().length === 1} onClick={() => { setSaved(false); setRows(rows().filter((_, j) => j !== i)); }}>
                    {t('birth.removeFile')}
                  </button>
                </div>
              </fieldset>
            </li>
          )}
        </Index>
      </ol>
      <button class="btn" type="button" data-testid="requirement-add" onClick={() => { setSaved(false); setRows([...rows(), { code: '', label: { id: '', en: '' }, required: true }]); }}>
        {t('birth.requirements.add')}
      </button>
      <Show when={problem()}>
        {(p) => (
          <p class="note note-bad" role="alert" data-testid="requirements-problem" data-code={p().code}>
            {problemText(p())}
            {p().code === 'validation_failed' && p().detail ? ` ${p().detail}` : ''}
          </p>
        )}
      </Show>
      <Show when={saved()}>
        <p class="note" role="status" data-testid="requirements-saved">{t('birth.requirements.saved')}</p>
      </Show>
      <button class="btn btn-primary" type="submit" data-testid="requirements-save" disabled={busy()}>{t('birth.partners.save')}</button>
    </form>
  );
}
