/**
 * "Sampaikan aduan": the public complaint form (no account). Validated offline with the SOP table's own schema,
 * queued in Dexie with a tracking code made on the device, and sent when online; the code is shown at once.
 */
import './messages'; // this screen's texts (registered with t() when loaded)
import { A } from '@solidjs/router';
import { For, Show, createSignal, onMount } from 'solid-js';
import { DEMO_OFFICES } from '../../../../schema/offices';
import { ADUAN_KINDS, ADUAN_SUBJECTS, ADUAN_PRIVACY, AduanSubmitInput, DESCRIPTION_MAX } from '../../../../schema/workflows/aduan';
import { type PublicComplaint, db } from '../../db';
import { problemText, t, tryT } from '../../i18n';
import { createLive } from '../../state/live';
import { fieldErrors } from '../ktpel/validation';
import { queueComplaint, startPublicFlush } from './public-outbox';
import { shrinkPhoto } from './shrink';

type Fields = { office: string; kind: string; subjectService: string; caseRef: string; title: string; description: string; privacy: string; name: string; email: string; phone: string };
const EMPTY: Fields = { office: DEMO_OFFICES[0]!.code, kind: 'pengaduan', subjectService: '', caseRef: '', title: '', description: '', privacy: 'biasa', name: '', email: '', phone: '' };

export function PublicForm() {
  const [f, setF] = createSignal<Fields>({ ...EMPTY });
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [filed, setFiled] = createSignal<string>();
  const [photos, setPhotos] = createSignal<Blob[]>([]);
  const [photoProblem, setPhotoProblem] = createSignal<string>();

  async function choosePhotos(files: FileList | null) {
    setPhotoProblem(undefined);
    const out: Blob[] = [];
    for (const file of [...(files ?? [])].slice(0, 3)) {
      const small = await shrinkPhoto(file);
      if (small) out.push(small);
      else setPhotoProblem(t('aduan.photoUnreadable'));
    }
    setPhotos(out);
  }
  const mine = createLive(() => db.publicComplaints.orderBy('createdAt').reverse().toArray(), [] as PublicComplaint[]);
  const current = () => mine().find((c) => c.id === filed());

  onMount(startPublicFlush);

  const set = (k: keyof Fields, v: string) => {
    setF({ ...f(), [k]: v });
    if (errors()[k]) setErrors({ ...errors(), [k]: '' });
  };

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    const v = f();
    const input: Record<string, unknown> = { channel: 'web', kind: v.kind, subjectService: v.subjectService, description: v.description.trim(), privacy: v.privacy };
    if (v.caseRef.trim()) input.caseRef = v.caseRef.trim();
    if (v.title.trim()) input.title = v.title.trim();
    if (v.privacy !== 'anonim') {
      if (v.name.trim()) input.name = v.name.trim();
      if (v.email.trim()) input.email = v.email.trim();
      if (v.phone.trim()) input.phone = v.phone.replace(/[\s-]/g, '');
    }
    // The same rule the server applies; the tracking code is added by the queue, so validate with a stand-in.
    const errs = fieldErrors(AduanSubmitInput, { ...input, trackingCode: 'x'.repeat(22) });
    if (Object.keys(errs).length) {
      setErrors(errs);
      return;
    }
    const row = await queueComplaint(v.office, input, photos());
    setFiled(row.id);
    setPhotos([]);
    setF({ ...EMPTY, office: v.office });
  }

  const err = (k: string) => errors()[k] || undefined;

  return (
    <section class="card" data-testid="aduan-public">
      <h1>{t('aduan.title')}</h1>
      <p class="muted">{t('aduan.lead')}</p>

      <Show when={current()}>
        {(c) => (
          <div class="note note-good" role="status" data-testid="aduan-filed">
            <p><strong>{t('aduan.codeTitle')}</strong></p>
            <p class="mono" data-testid="tracking-code" style={{ 'font-size': '1.2em', 'word-break': 'break-all' }}>{c().trackingCode}</p>
            <p class="small">{t('aduan.codeKeep')}</p>
            <p data-testid="aduan-status">
              {c().status === 'sent' ? t('aduan.sent', { ticket: c().ticketNo ?? '' }) : c().status === 'rejected' ? t('aduan.failed', { problem: problemText(c().problem!) }) : t('aduan.pending')}
            </p>
            <p><A href={`/aduan/lacak#kode=${c().trackingCode}`}>{t('aduan.trackLink')}</A> · <button class="btn btn-quiet" type="button" onClick={() => setFiled(undefined)}>{t('aduan.another')}</button></p>
          </div>
        )}
      </Show>

      <Show when={!current()}>
        <form class="form" onSubmit={submit} novalidate data-testid="aduan-form">
          <label class="field">
            <span>{t('aduan.office')}</span>
            <select name="office" value={f().office} onChange={(e) => set('office', e.currentTarget.value)}>
              <For each={DEMO_OFFICES}>{(o) => <option value={o.code}>{o.name}</option>}</For>
            </select>
          </label>
          <fieldset class="field">
            <legend>{t('aduan.kind')}</legend>
            <div class="choices">
              <For each={ADUAN_KINDS}>
                {(k) => (
                  <label class="choice"><input type="radio" name="kind" value={k} checked={f().kind === k} onChange={() => set('kind', k)} />{tryT(`aduan.kind.${k}`, k)}</label>
                )}
              </For>
            </div>
          </fieldset>
          <label class="field" classList={{ 'has-error': !!err('subjectService') }}>
            <span>{t('aduan.subject')}</span>
            <select name="subjectService" value={f().subjectService} onChange={(e) => set('subjectService', e.currentTarget.value)} aria-invalid={!!err('subjectService')}>
              <option value="">—</option>
              <For each={ADUAN_SUBJECTS}>{(s) => <option value={s}>{tryT(`aduan.subject.${s}`, s)}</option>}</For>
            </select>
            <Show when={err('subjectService')}><small class="error">{t('form.invalid')}</small></Show>
          </label>
          <label class="field">
            <span>{t('aduan.caseRef')}</span>
            <input name="caseRef" autocomplete="off" maxlength="64" value={f().caseRef} onInput={(e) => set('caseRef', e.currentTarget.value)} />
          </label>
          <label class="field" classList={{ 'has-error': !!err('title') }}>
            <span>{t('aduan.titleField')}</span>
            <input name="title" maxlength="200" value={f().title} onInput={(e) => set('title', e.currentTarget.value)} />
            <Show when={err('title')}><small class="error">{err('title')}</small></Show>
          </label>
          <label class="field" classList={{ 'has-error': !!err('description') }}>
            <span>{t('aduan.description')}</span>
            <textarea name="description" rows="6" maxlength={DESCRIPTION_MAX} value={f().description} onInput={(e) => set('description', e.currentTarget.value)} aria-invalid={!!err('description')} aria-describedby="desc-hint" />
            <small id="desc-hint" class="muted">{t('aduan.descriptionHint')}</small>
            <Show when={err('description')}><small class="error" data-testid="error-description">{err('description')}</small></Show>
          </label>
          <label class="field" classList={{ 'has-error': !!photoProblem() }}>
            <span>{t('aduan.photos')}</span>
            <input name="photos" type="file" accept="image/*" multiple onChange={(e) => void choosePhotos(e.currentTarget.files)} data-testid="aduan-photos" />
            <Show when={photos().length}><small class="muted" data-testid="aduan-photos-chosen">{t('aduan.photosChosen', { n: photos().length })}</small></Show>
            <Show when={photoProblem()}><small class="error">{photoProblem()}</small></Show>
          </label>
          <fieldset class="field" classList={{ 'has-error': !!err('privacy') }}>
            <legend>{t('aduan.privacy')}</legend>
            <div class="choices">
              <For each={ADUAN_PRIVACY}>
                {(p) => (
                  <label class="choice"><input type="radio" name="privacy" value={p} checked={f().privacy === p} onChange={() => set('privacy', p)} />{tryT(`aduan.privacy.${p}`, p)}</label>
                )}
              </For>
            </div>
          </fieldset>
          <Show when={f().privacy !== 'anonim'}>
            <label class="field" classList={{ 'has-error': !!err('name') }}>
              <span>{t('aduan.name')}</span>
              <input name="name" autocomplete="name" maxlength="120" value={f().name} onInput={(e) => set('name', e.currentTarget.value)} />
              <Show when={err('name')}><small class="error">{err('name')}</small></Show>
            </label>
            <label class="field" classList={{ 'has-error': !!err('email') }}>
              <span>{t('aduan.email')}</span>
              <input name="email" type="email" autocomplete="email" value={f().email} onInput={(e) => set('email', e.currentTarget.value)} />
              <Show when={err('email')}><small class="error">{err('email')}</small></Show>
            </label>
            <label class="field" classList={{ 'has-error': !!err('phone') }}>
              <span>{t('aduan.phone')}</span>
              <input name="phone" type="tel" autocomplete="tel" value={f().phone} onInput={(e) => set('phone', e.currentTarget.value)} />
              <small class="muted">{t('aduan.contactHint')}</small>
              <Show when={err('phone')}><small class="error">{err('phone')}</small></Show>
            </label>
          </Show>
          <div class="row">
            <button class="btn btn-primary" type="submit" data-testid="aduan-submit">{t('aduan.submit')}</button>
          </div>
        </form>
      </Show>

      <Show when={mine().length > 0}>
        <h2>{t('aduan.mine')}</h2>
        <ul class="list" data-testid="aduan-mine">
          <For each={mine()}>
            {(c) => (
              <li class="list-item">
                <A href={`/aduan/lacak#kode=${c.trackingCode}`}>{c.ticketNo ?? c.trackingCode.slice(0, 8) + '…'}</A>{' '}
                <span class="pill" classList={{ 'pill-ok': c.status === 'sent', 'pill-warn': c.status === 'pending', 'pill-bad': c.status === 'rejected' }}>
                  {c.status === 'sent' ? t('aduan.sent', { ticket: '' }).replace(/[:.]\s*$/, '') : c.status === 'pending' ? t('aduan.pending') : problemText(c.problem!)}
                </span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

export default PublicForm;
