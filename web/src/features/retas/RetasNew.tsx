/**
 * The division's RETAS proposal (seed 001 RETAS step 1): school, date, time, expected students, officers wanted,
 * equipment and the office's early period. Checked offline with the SOP table's schema, then an outbox command;
 * the memo (nota dinas) is generated from it on the event's page.
 */
import './messages';
import { useNavigate } from '@solidjs/router';
import { For, Show, createResource, createSignal } from 'solid-js';
import { RETAS_EQUIPMENT } from '../../../../schema/workflows/retas';
import { transition } from '../../../../schema/workflows';
import { api } from '../../api';
import { t } from '../../i18n';
import { fieldLabel, valueLabel } from '../../i18n/fields';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';
import { enqueue } from '../../sync/engine';
import { uuidv7 } from '../../sync/uuidv7';
import { wf } from './retas';

interface School { npsn: string; name: string; active: boolean }
const schoolsKey = (office: string) => `loket.retas.schools.${office}`;

/** The office's schools: fresh when online (kept for the next offline visit), else the kept copy. */
async function loadSchools(office: string): Promise<School[]> {
  try {
    const { schools } = await api<{ schools: School[] }>('/api/retas/schools');
    localStorage.setItem(schoolsKey(office), JSON.stringify(schools));
    return schools.filter((s) => s.active);
  } catch {
    const kept = localStorage.getItem(schoolsKey(office));
    return kept ? (JSON.parse(kept) as School[]).filter((s) => s.active) : [];
  }
}

export default function RetasNew() {
  const session = useSession();
  const sync = useSync();
  const navigate = useNavigate();
  const [schools] = createResource(() => session.user()?.officeCode, loadSchools);
  const [f, setF] = createSignal({ schoolNpsn: '', date: '', startTime: '08:00', endTime: '12:00', expectedStudents: '', officersWanted: '2', notes: '' });
  const [equipment, setEquipment] = createSignal<string[]>(['mobile_unit', 'recording_kit']);
  const [problem, setProblem] = createSignal<string>();
  const set = (k: keyof ReturnType<typeof f>, v: string) => setF({ ...f(), [k]: v });

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    const user = session.user();
    if (!user) return;
    const v = f();
    const school = schools()?.find((s) => s.npsn === v.schoolNpsn);
    const input = {
      schoolNpsn: v.schoolNpsn, schoolName: school?.name ?? '', date: v.date, startTime: v.startTime, endTime: v.endTime,
      expectedStudents: Number(v.expectedStudents), officersWanted: Number(v.officersWanted), equipment: equipment(),
      ...(v.notes.trim() ? { notes: v.notes.trim() } : {}),
    };
    const verdict = transition(wf, null, 'propose', user.roles, input);
    if (!verdict.ok) {
      setProblem(verdict.code === 'validation_failed' ? `${t('form.invalid')} ${verdict.detail}` : t('form.notAllowed'));
      return;
    }
    const caseId = uuidv7();
    await enqueue({ type: 'create', caseId, service: wf.service, input: verdict.input as Record<string, unknown>, userId: user.id, username: user.username, officeCode: user.officeCode });
    sync.changed();
    navigate(`/retas/${caseId}`);
  }

  return (
    <section>
      <h1>{t('retas.new')}</h1>
      <form class="form card" onSubmit={submit} data-testid="retas-form" novalidate>
        <label class="field">
          <span>{t('retas.school')}</span>
          <select data-testid="school" value={f().schoolNpsn} onChange={(e) => set('schoolNpsn', e.currentTarget.value)}>
            <option value="">{t('retas.chooseSchool')}</option>
            <For each={schools() ?? []}>{(s) => <option value={s.npsn}>{s.name} ({s.npsn})</option>}</For>
          </select>
          <Show when={schools() && !schools()!.length}><small class="muted">{sync.online() ? t('retas.noSchools') : t('retas.schoolsOnline')}</small></Show>
        </label>
        <label class="field"><span>{fieldLabel('date')}</span><input type="date" data-testid="date" value={f().date} onInput={(e) => set('date', e.currentTarget.value)} /></label>
        <div class="row">
          <label class="field"><span>{fieldLabel('startTime')}</span><input type="time" data-testid="start" value={f().startTime} onInput={(e) => set('startTime', e.currentTarget.value)} /></label>
          <label class="field"><span>{fieldLabel('endTime')}</span><input type="time" data-testid="end" value={f().endTime} onInput={(e) => set('endTime', e.currentTarget.value)} /></label>
        </div>
        <label class="field"><span>{fieldLabel('expectedStudents')}</span><input type="number" min="1" max="2000" inputmode="numeric" data-testid="expected" value={f().expectedStudents} onInput={(e) => set('expectedStudents', e.currentTarget.value)} /></label>
        <label class="field"><span>{fieldLabel('officersWanted')}</span><input type="number" min="1" max="20" inputmode="numeric" data-testid="officers-wanted" value={f().officersWanted} onInput={(e) => set('officersWanted', e.currentTarget.value)} /></label>
        <fieldset class="field">
          <legend>{fieldLabel('equipment')}</legend>
          <For each={RETAS_EQUIPMENT}>
            {(eq) => (
              <label class="check">
                <input type="checkbox" checked={equipment().includes(eq)} onChange={(e) => setEquipment(e.currentTarget.checked ? [...equipment(), eq] : equipment().filter((x) => x !== eq))} />
                {' '}{valueLabel('equipment', eq) ?? eq}
              </label>
            )}
          </For>
        </fieldset>
        <p class="muted small" data-testid="early-note">{t('retas.earlyFromOffice')}</p>
        <label class="field"><span>{t('form.notes')}</span><textarea value={f().notes} onInput={(e) => set('notes', e.currentTarget.value)} /></label>
        <Show when={problem()}><p class="note note-bad" role="alert" data-testid="problem">{problem()}</p></Show>
        <button class="btn" type="submit" data-testid="retas-submit">{t('form.submit')}</button>
      </form>
    </section>
  );
}
