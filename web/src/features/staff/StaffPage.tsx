/** Admin staff screens (list, create with roles, edit roles / disable): online only, since accounts must not fork offline. */
import '../../i18n/staff-screens'; // this screen's texts (registered with t() when loaded)
import { For, Show, createResource, createSignal } from 'solid-js';
import { WorkEmail, WorkWhatsapp, type CreateStaffRequest, type StaffView, type UpdateStaffRequest } from '../../../../schema/contracts/auth';
import { ROLE_LABELS, STAFF_ROLES, type StaffRole } from '../../../../schema/roles';
import { api, problemFromError } from '../../api';
import type { UiProblem } from '../../db';
import { lbl, problemFields, problemText, t, tryT } from '../../i18n';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';

/** The readable reason of a weak_password answer, else the general problem text. */
function explain(p: UiProblem): string {
  if (p.code === 'weak_password' && p.reason) return `${problemText(p)} ${tryT(`weak.${p.reason}`, '')}`.trim();
  return problemText(p);
}

export default function StaffPage() {
  const session = useSession();
  const sync = useSync();
  return (
    <section>
      <h1>{t('staff.title')}</h1>
      <Show when={session.hasRole('admin')} fallback={<p class="note note-bad" data-access="denied">{t('staff.onlyAdmin')}</p>}>
        <Show when={sync.online()} fallback={<p class="note note-warn" data-testid="staff-offline">{t('staff.needsOnline')}</p>}>
          <StaffAdmin />
        </Show>
      </Show>
    </section>
  );
}

function StaffAdmin() {
  const session = useSession();
  const [list, { refetch }] = createResource(async () => (await api<{ staff: StaffView[] }>('/api/staff')).staff);
  const [notice, setNotice] = createSignal<string>();
  return (
    <>
      <Show when={notice()}>
        <p class="note" role="status">{notice()}</p>
      </Show>
      <CreateStaff
        officeCode={session.user()?.officeCode ?? ''}
        onCreated={(s) => {
          setNotice(t('staff.created', { username: s.username }));
          void refetch();
        }}
      />
      <Show when={!list.error} fallback={<p class="note note-bad">{explain(problemFromError(list.error))} <button class="btn" onClick={() => void refetch()}>{t('common.retry')}</button></p>}>
        <Show when={list()} fallback={<p class="muted">{t('common.loading')}</p>}>
          {(rows) => (
            <Show when={rows().length > 0} fallback={<p class="muted">{t('staff.empty')}</p>}>
              <ul class="list" data-testid="staff-list">
                <For each={rows()}>{(s) => <StaffRow staff={s} onSaved={() => void refetch()} />}</For>
              </ul>
            </Show>
          )}
        </Show>
      </Show>
    </>
  );
}

function RolePicker(props: { value: StaffRole[]; onChange: (roles: StaffRole[]) => void; error?: string }) {
  const toggle = (r: StaffRole, on: boolean) => props.onChange(on ? [...props.value, r] : props.value.filter((x) => x !== r));
  return (
    <fieldset class="field" classList={{ 'has-error': !!props.error }}>
      <legend>{t('staff.roles')}</legend>
      <div class="choices">
        <For each={STAFF_ROLES}>
          {(r) => (
            <label class="choice">
              <input type="checkbox" name="roles" value={r} checked={props.value.includes(r)} onChange={(e) => toggle(r, e.currentTarget.checked)} />
              {lbl(ROLE_LABELS[r])}
            </label>
          )}
        </For>
      </div>
      <Show when={props.error}><small class="error">{props.error}</small></Show>
    </fieldset>
  );
}

function CreateStaff(props: { officeCode: string; onCreated: (s: StaffView) => void }) {
  const [username, setUsername] = createSignal('');
  const [displayName, setDisplayName] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [roles, setRoles] = createSignal<StaffRole[]>([]);
  const [problem, setProblem] = createSignal<UiProblem>();
  const [busy, setBusy] = createSignal(false);
  const fieldErr = () => problemFields(problem());

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (roles().length === 0) {
      setProblem({ code: 'validation_failed', status: 422, errors: [{ path: 'roles', message: t('staff.pickRole') }] });
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      const body: CreateStaffRequest = { username: username().trim().toLowerCase(), displayName: displayName().trim(), password: password(), roles: roles(), officeCode: props.officeCode };
      const res = await api<{ staff: StaffView }>('/api/staff', { method: 'POST', body });
      setUsername('');
      setDisplayName('');
      setPassword('');
      setRoles([]);
      props.onCreated(res.staff);
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <details class="card">
      <summary><strong>{t('staff.create')}</strong></summary>
      <form class="form" onSubmit={submit} novalidate data-testid="create-staff">
        <label class="field" classList={{ 'has-error': !!fieldErr().username }}>
          <span>{t('staff.username')}</span>
          <input name="username" autocomplete="off" value={username()} onInput={(e) => setUsername(e.currentTarget.value)} />
          <Show when={fieldErr().username}><small class="error">{fieldErr().username}</small></Show>
        </label>
        <label class="field">
          <span>{t('staff.displayName')}</span>
          <input name="displayName" autocomplete="off" value={displayName()} onInput={(e) => setDisplayName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t('staff.password')}</span>
          <input name="password" type="password" autocomplete="new-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <RolePicker value={roles()} onChange={setRoles} error={fieldErr().roles} />
        <p class="small muted">{t('staff.office')}: {props.officeCode}</p>
        <Show when={problem()}>{(p) => <p class="note note-bad" role="alert">{explain(p())}</p>}</Show>
        <button class="btn btn-primary" type="submit" disabled={busy()}>{t('staff.save')}</button>
      </form>
    </details>
  );
}

function StaffRow(props: { staff: StaffView; onSaved: () => void }) {
  const session = useSession();
  const [editing, setEditing] = createSignal(false);
  const [displayName, setDisplayName] = createSignal(props.staff.displayName);
  const [roles, setRoles] = createSignal<StaffRole[]>([...props.staff.roles]);
  const [password, setPassword] = createSignal('');
  const [workEmail, setWorkEmail] = createSignal(props.staff.workEmail ?? '');
  const [workWhatsapp, setWorkWhatsapp] = createSignal(props.staff.workWhatsapp ?? '');
  const [problem, setProblem] = createSignal<UiProblem>();
  const [busy, setBusy] = createSignal(false);
  const self = () => props.staff.id === session.user()?.id;

  async function patch(body: UpdateStaffRequest) {
    setBusy(true);
    setProblem(undefined);
    try {
      await api(`/api/staff/${encodeURIComponent(props.staff.id)}`, { method: 'PATCH', body });
      setEditing(false);
      setPassword('');
      props.onSaved();
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setBusy(false);
    }
  }

  function save(e: SubmitEvent) {
    e.preventDefault();
    if (roles().length === 0) {
      setProblem({ code: 'validation_failed', status: 422, detail: t('staff.pickRole') });
      return;
    }
    const email = workEmail().trim();
    const phone = workWhatsapp().trim();
    const unreadable = [
      ...(email && !WorkEmail.safeParse(email).success ? [{ path: 'workEmail', message: t('staff.badWorkEmail') }] : []),
      ...(phone && !WorkWhatsapp.safeParse(phone).success ? [{ path: 'workWhatsapp', message: t('staff.badWorkWhatsapp') }] : []),
    ];
    if (unreadable.length) {
      setProblem({ code: 'validation_failed', status: 422, errors: unreadable });
      return;
    }
    const body: UpdateStaffRequest = { displayName: displayName().trim(), roles: roles() };
    if (password()) body.password = password();
    if (email !== (props.staff.workEmail ?? '')) body.workEmail = email || null;
    if (phone !== (props.staff.workWhatsapp ?? '')) body.workWhatsapp = phone || null;
    void patch(body);
  }

  return (
    <li class="list-item" data-testid="staff-item" data-username={props.staff.username}>
      <div class="row between">
        <span>
          <strong>{props.staff.displayName}</strong> <span class="mono muted">{props.staff.username}</span>
        </span>
        <span class={`pill ${props.staff.disabled ? 'pill-bad' : 'pill-ok'}`}>{props.staff.disabled ? t('staff.disabled') : t('staff.active')}</span>
      </div>
      <div class="small muted">{props.staff.roles.map((r) => lbl(ROLE_LABELS[r])).join(', ')}</div>
      <Show
        when={editing()}
        fallback={
          <div class="row">
            <button class="btn" onClick={() => setEditing(true)}>{t('staff.edit')}</button>
            <Show when={!self()}>
              <button class="btn" disabled={busy()} onClick={() => void patch({ disabled: !props.staff.disabled })}>
                {props.staff.disabled ? t('staff.enable') : t('staff.disable')}
              </button>
            </Show>
          </div>
        }
      >
        <form class="form" onSubmit={save} novalidate>
          <label class="field">
            <span>{t('staff.displayName')}</span>
            <input value={displayName()} onInput={(e) => setDisplayName(e.currentTarget.value)} />
          </label>
          <RolePicker value={roles()} onChange={setRoles} />
          <label class="field" classList={{ 'has-error': !!problemFields(problem()).workEmail }}>
            <span>{t('staff.workEmail')}</span>
            <input name="workEmail" type="email" inputmode="email" autocomplete="off" maxlength="254" value={workEmail()} onInput={(e) => setWorkEmail(e.currentTarget.value)} />
            <small class="muted">{t('staff.workEmailHint')}</small>
            <Show when={problemFields(problem()).workEmail}><small class="error">{problemFields(problem()).workEmail}</small></Show>
          </label>
          <label class="field" classList={{ 'has-error': !!problemFields(problem()).workWhatsapp }}>
            <span>{t('staff.workWhatsapp')}</span>
            <input name="workWhatsapp" type="tel" inputmode="tel" autocomplete="off" maxlength="20" value={workWhatsapp()} onInput={(e) => setWorkWhatsapp(e.currentTarget.value)} />
            <small class="muted">{t('staff.workWhatsappHint')}</small>
            <Show when={problemFields(problem()).workWhatsapp}><small class="error">{problemFields(problem()).workWhatsapp}</small></Show>
          </label>
          <label class="field">
            <span>{t('staff.newPassword')}</span>
            <input type="password" autocomplete="new-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
          </label>
          <div class="row">
            <button class="btn btn-primary" type="submit" disabled={busy()}>{t('staff.save')}</button>
            <button class="btn" type="button" onClick={() => setEditing(false)}>{t('staff.cancel')}</button>
          </div>
        </form>
      </Show>
      <Show when={problem()}>{(p) => <p class="note note-bad" role="alert">{explain(p())}{p().detail && p().code === 'validation_failed' ? ` ${p().detail}` : ''}</p>}</Show>
    </li>
  );
}
