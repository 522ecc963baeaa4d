/**
 * The partner's birth submission (seed 002 steps 1–2), fully offline: every keystroke is a Dexie draft, photos are
 * compressed and kept in IndexedDB, the 60-day limit shows while typing, and submitting puts a `create` command in
 * the outbox; the files follow on their own once the case reached the server.
 */
import './messages'; // this screen's texts (registered with t() when loaded)
import { useNavigate } from '@solidjs/router';
import { For, Show, createMemo, createSignal, onMount } from 'solid-js';
import type { Requirement } from '../../../../schema/contracts/birth';
import { daysSinceBirth, isLateBirth } from '../../../../schema/birth-rules';
import { transition } from '../../../../schema/workflows';
import { type BirthFile, type Draft, db } from '../../db';
import { lbl, t, tryT } from '../../i18n';
import { createLive } from '../../state/live';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';
import { enqueue } from '../../sync/engine';
import { uuidv7 } from '../../sync/uuidv7';
import { localToday, loadRequirements, wf } from './birth';
import { addFile, refOf, uploadDue } from './files';

type Fields = Record<string, string>;
const TEXT: [key: string, label: string, attrs?: Record<string, string>][] = [
  ['child.name', 'birth.childName'],
  ['child.birthDate', 'birth.birthDate', { type: 'date' }],
  ['child.birthTime', 'birth.birthTime', { type: 'time' }],
  ['child.birthPlace', 'birth.birthPlace'],
  ['child.birthOrder', 'birth.birthOrder', { inputmode: 'numeric' }],
  ['child.weightGrams', 'birth.weight', { inputmode: 'numeric' }],
  ['child.lengthCm', 'birth.length', { inputmode: 'decimal' }],
];

/** The flat form fields as the submit action's input (numbers parsed, empty optional parts left out). */
export function inputOf(f: Fields, files: BirthFile[]): Record<string, unknown> {
  const num = (v: string | undefined) => (v && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v);
  const father = f['father.nik'] || f['father.name'] ? { nik: f['father.nik'] ?? '', name: f['father.name'] ?? '' } : undefined;
  return {
    child: {
      name: f['child.name'] ?? '', sex: f['child.sex'] ?? '', birthDate: f['child.birthDate'] ?? '', birthTime: f['child.birthTime'] ?? '',
      birthPlace: f['child.birthPlace'] ?? '', birthOrder: num(f['child.birthOrder']), weightGrams: num(f['child.weightGrams']), lengthCm: num(f['child.lengthCm']),
    },
    mother: { nik: f['mother.nik'] ?? '', name: f['mother.name'] ?? '' },
    ...(father ? { father } : {}),
    kkNumber: f.kkNumber ?? '',
    parentsMarriage: f.parentsMarriage ?? '',
    reporter: { name: f['reporter.name'] ?? '', phone: (f['reporter.phone'] ?? '').replace(/[\s-]/g, ''), ...(f['reporter.email'] ? { email: f['reporter.email'] } : {}) },
    attachments: files.map(refOf),
  };
}

export default function BirthForm() {
  const session = useSession();
  const sync = useSync();
  const navigate = useNavigate();
  const [fields, setFields] = createSignal<Fields>({ 'child.sex': '', parentsMarriage: 'kawin_tercatat' });
  const [draftId, setDraftId] = createSignal(uuidv7());
  const [requirements, setRequirements] = createSignal<Requirement[]>();
  const [problem, setProblem] = createSignal<string>();
  const [fileProblem, setFileProblem] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  // liveQuery does not follow Solid signals: read every unsent file, then pick this draft's (its id changes on restore).
  const draftFiles = createLive(() => db.birthFiles.where('status').equals('draft').toArray(), []);
  const files = createMemo(() => draftFiles().filter((f) => f.draftId === draftId()));

  onMount(async () => {
    const user = session.user();
    if (!user) return;
    setRequirements(await loadRequirements(user.officeCode, sync.online()));
    const drafts = await db.drafts.where('service').equals(wf.service).filter((d) => d.userId === user.id).sortBy('updatedAt');
    const last = drafts.at(-1);
    if (last) {
      setDraftId(last.id);
      setFields(last.fields);
    }
  });

  async function save(next: Fields) {
    const user = session.user();
    if (!user) return;
    const draft: Draft = { id: draftId(), service: wf.service, kind: 'create', userId: user.id, fields: next, updatedAt: Date.now() };
    await db.drafts.put(draft);
  }
  function update(key: string, value: string) {
    const next = { ...fields(), [key]: value };
    setFields(next);
    void save(next);
  }

  const late = createMemo(() => {
    const d = fields()['child.birthDate'];
    return d && /^\d{4}-\d{2}-\d{2}$/.test(d) && isLateBirth(d, localToday()) ? daysSinceBirth(d, localToday()) : 0;
  });
  const missing = createMemo(() => {
    const have = new Set(files().map((f) => f.requirement));
    return (requirements() ?? []).filter((r) => r.required && !have.has(r.code));
  });

  async function pick(requirement: string, list: FileList | null) {
    const user = session.user();
    if (!user || !list) return;
    setFileProblem(undefined);
    await save(fields()); // the draft row exists before files point to it
    for (const file of Array.from(list)) {
      const r = await addFile(file, draftId(), requirement, user.id);
      if (!r.ok) setFileProblem(t(r.reason === 'type' ? 'birth.fileType' : 'birth.fileTooLarge'));
    }
  }

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    const user = session.user();
    if (!user || busy()) return;
    const input = inputOf(fields(), files());
    const verdict = transition(wf, null, 'submit', user.roles, input);
    if (!verdict.ok) {
      setProblem(verdict.code === 'validation_failed' ? `${t('form.invalid')} ${verdict.detail}` : t('form.notAllowed'));
      return;
    }
    if (missing().length) {
      setProblem(t('birth.missing', { list: missing().map((r) => lbl(r.label)).join(', ') }));
      return;
    }
    setBusy(true);
    try {
      const caseId = uuidv7();
      await save(fields());
      // The files and the command change together: no command without its files, no queued file without a case.
      await db.transaction('rw', db.birthFiles, db.outbox, db.drafts, async () => {
        for (const f of files()) await db.birthFiles.update(f.id, { status: 'queued', caseId });
        await enqueue({ type: 'create', caseId, service: wf.service, input: verdict.input as Record<string, unknown>, userId: user.id, username: user.username, officeCode: user.officeCode }, draftId());
      });
      sync.changed();
      void uploadDue();
      navigate(`/akta/${caseId}`, { state: { queued: true } });
    } finally {
      setBusy(false);
    }
  }

  const text = (key: string, label: string, attrs: Record<string, string> = {}) => (
    <label class="field">
      <span>{tryT(label, label)}</span>
      <input name={key} {...attrs} value={fields()[key] ?? ''} onInput={(e) => update(key, e.currentTarget.value)} />
    </label>
  );

  return (
    <section class="card">
      <h1>{t('birth.new')}</h1>
      <form class="form" onSubmit={submit} novalidate data-testid="birth-form">
        <fieldset>
          <legend>{t('birth.child')}</legend>
          <For each={TEXT}>{([key, label, attrs]) => text(key, label, attrs)}</For>
          <Show when={late() > 0}>
            <p class="note note-warn" data-testid="late-warning">{t('birth.late', { days: late() })}</p>
          </Show>
          <fieldset class="field">
            <legend>{t('birth.sex')}</legend>
            <div class="choices">
              <For each={['L', 'P']}>
                {(s) => (
                  <label class="choice">
                    <input type="radio" name="child.sex" value={s} checked={fields()['child.sex'] === s} onChange={() => update('child.sex', s)} />
                    {tryT(`birth.sex.${s}`, s)}
                  </label>
                )}
              </For>
            </div>
          </fieldset>
        </fieldset>
        <fieldset>
          <legend>{t('birth.mother')}</legend>
          {text('mother.nik', 'birth.nik', { inputmode: 'numeric', maxlength: '16' })}
          {text('mother.name', 'birth.name')}
        </fieldset>
        <fieldset>
          <legend>{t('birth.father')}</legend>
          {text('father.nik', 'birth.nik', { inputmode: 'numeric', maxlength: '16' })}
          {text('father.name', 'birth.name')}
        </fieldset>
        {text('kkNumber', 'birth.kk', { inputmode: 'numeric', maxlength: '16' })}
        <label class="field">
          <span>{t('birth.marriage')}</span>
          <select name="parentsMarriage" value={fields().parentsMarriage ?? ''} onChange={(e) => update('parentsMarriage', e.currentTarget.value)}>
            <For each={['kawin_tercatat', 'kawin_belum_tercatat', 'belum_kawin']}>{(m) => <option value={m}>{tryT(`birth.marriage.${m}`, m)}</option>}</For>
          </select>
        </label>
        <fieldset>
          <legend>{t('birth.reporter')}</legend>
          {text('reporter.name', 'birth.name')}
          {text('reporter.phone', 'birth.phone', { inputmode: 'tel' })}
          {text('reporter.email', 'birth.email', { type: 'email' })}
        </fieldset>
        <p class="muted small">{t('birth.offlineNik')}</p>

        <fieldset data-testid="attachments">
          <legend>{t('birth.attachments')}</legend>
          <Show when={requirements()} fallback={<p class="note note-warn">{t('birth.noRequirements')}</p>}>
            <For each={requirements()}>
              {(r) => (
                <div class="field" data-requirement={r.code}>
                  <span id={`req-${r.code}`}>{lbl(r.label)} <small class="muted">({t(r.required ? 'birth.required' : 'birth.optional')})</small></span>
                  <input type="file" accept="image/jpeg,image/png,image/webp,application/pdf" capture="environment" multiple aria-labelledby={`req-${r.code}`} data-testid={`file-${r.code}`} onChange={(e) => void pick(r.code, e.currentTarget.files)} />
                  <ul class="small">
                    <For each={files().filter((f) => f.requirement === r.code)}>
                      {(f) => (
                        <li>
                          {f.name} ({Math.ceil(f.size / 1024)} KB){' '}
                          <button type="button" class="btn btn-quiet" onClick={() => void db.birthFiles.delete(f.id)}>{t('birth.removeFile')}</button>
                        </li>
                      )}
                    </For>
                  </ul>
                </div>
              )}
            </For>
          </Show>
          <Show when={fileProblem()}><p class="error">{fileProblem()}</p></Show>
        </fieldset>
        <Show when={problem()}><p class="note note-bad" role="alert" data-testid="form-problem">{problem()}</p></Show>
        <button class="btn" type="submit" disabled={busy()} data-testid="birth-submit">{t('birth.submit')}</button>
      </form>
    </section>
  );
}
