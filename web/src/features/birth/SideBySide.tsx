/**
 * The verifier's side-by-side check (seed 002 step 5): the case's data on one side, the attachment being compared
 * on the other, one click per document, so a name or date is read against the scanned letter without switching
 * tabs. Files come from the API (office staff of the case's office), so this needs a connection.
 */
import './messages';
import { For, Match, Show, Switch, createMemo, createSignal } from 'solid-js';
import { t } from '../../i18n';

export interface SideBySideData {
  child: { name: string; sex: string; birthDate: string; birthTime: string; birthPlace: string; birthOrder: number; weightGrams?: number; lengthCm?: number };
  mother: { nik: string; name: string };
  father?: { nik: string; name: string };
  kkNumber: string;
  parentsMarriage?: string;
  reporter: { name: string; phone: string; email?: string };
  attachments?: { id: string; requirement: string; contentType: string; size: number }[];
}

export function SideBySide(props: { data: SideBySideData; labelOf: (code: string) => string; online: boolean }) {
  const files = createMemo(() => props.data.attachments ?? []);
  const [chosen, setChosen] = createSignal<string>();
  const current = createMemo(() => files().find((f) => f.id === chosen()) ?? files()[0]);
  const fact = (label: string, value: string | number | undefined, key: string) => (
    <>
      <dt>{label}</dt>
      <dd data-fact={key}>{value ?? '—'}</dd>
    </>
  );
  const d = () => props.data;
  return (
    <section class="side-by-side" data-testid="side-by-side" aria-labelledby="sbs-title">
      <h2 id="sbs-title">{t('birth.sbs.title')}</h2>
      <div class="sbs-split">
        <dl class="facts" data-testid="sbs-data">
          {fact(t('birth.childName'), d().child?.name, 'child.name')}
          {fact(t('birth.sex'), d().child ? t(d().child.sex === 'L' ? 'birth.sex.L' : 'birth.sex.P') : undefined, 'child.sex')}
          {fact(t('birth.birthDate'), `${d().child?.birthDate ?? ''} ${d().child?.birthTime ?? ''}`.trim(), 'child.birthDate')}
          {fact(t('birth.birthPlace'), d().child?.birthPlace, 'child.birthPlace')}
          {fact(t('birth.birthOrder'), d().child?.birthOrder, 'child.birthOrder')}
          {fact(t('birth.weight'), d().child?.weightGrams, 'child.weightGrams')}
          {fact(t('birth.length'), d().child?.lengthCm, 'child.lengthCm')}
          {fact(t('birth.mother'), `${d().mother?.name ?? ''} (${d().mother?.nik ?? ''})`, 'mother')}
          <Show when={d().father}>{(f) => fact(t('birth.father'), `${f().name} (${f().nik})`, 'father')}</Show>
          {fact(t('birth.kk'), d().kkNumber, 'kkNumber')}
          <Show when={d().parentsMarriage}>{(m) => fact(t('birth.marriage'), t(`birth.marriage.${m()}` as 'birth.marriage.kawin_tercatat'), 'parentsMarriage')}</Show>
          {fact(t('birth.reporter'), `${d().reporter?.name ?? ''}, ${d().reporter?.phone ?? ''}`, 'reporter')}
        </dl>
        <div class="sbs-file">
          <div class="row" role="group" aria-label={t('birth.attachments')}>
            <For each={files()}>
              {(f) => (
                <button type="button" class="btn btn-quiet" data-sbs-file={f.id} aria-pressed={current()?.id === f.id} onClick={() => setChosen(f.id)}>
                  {props.labelOf(f.requirement)}
                </button>
              )}
            </For>
          </div>
          <Show when={props.online} fallback={<p class="note note-warn">{t('birth.sbs.offline')}</p>}>
            <Show when={current()} fallback={<p class="muted">{t('birth.sbs.noFiles')}</p>}>
              {(f) => (
                <figure class="sbs-view" data-testid="sbs-view" data-showing={f().id}>
                  <Switch>
                    <Match when={f().contentType === 'application/pdf'}>
                      <object data={`/api/birth/attachments/${f().id}`} type="application/pdf" title={props.labelOf(f().requirement)}>
                        <a href={`/api/birth/attachments/${f().id}`} target="_blank" rel="noopener">{t('birth.openFile')}</a>
                      </object>
                    </Match>
                    <Match when={true}>
                      <img src={`/api/birth/attachments/${f().id}`} alt={props.labelOf(f().requirement)} />
                    </Match>
                  </Switch>
                  <figcaption class="small muted">
                    {props.labelOf(f().requirement)} · {Math.ceil(f().size / 1024)} KB ·{' '}
                    <a href={`/api/birth/attachments/${f().id}`} target="_blank" rel="noopener">{t('birth.openFile')}</a>
                  </figcaption>
                </figure>
              )}
            </Show>
          </Show>
        </div>
      </div>
    </section>
  );
}
