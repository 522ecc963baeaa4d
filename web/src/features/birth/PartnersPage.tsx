/**
 * The office admin's partner organisations (hospitals, clinics, independent midwives) and their clerks (accounts
 * with the partner_operator role): online only, like staff accounts, since a clerk's access follows from them.
 */
import './messages';
import { A } from '@solidjs/router';
import { For, Show, createMemo, createResource, createSignal } from 'solid-js';
import type { Partner } from '../../../../schema/contracts/birth';
import type { StaffView } from '../../../../schema/contracts/auth';
import { api, problemFromError } from '../../api';
import type { UiProblem } from '../../db';
import { type MsgKey, problemFields, problemText, t } from '../../i18n';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';

type Kind = Partner['kind'];
const KINDS: readonly Kind[] = ['hospital', 'clinic', 'midwife'];
const kindKey = (k: Kind) => `birth.partners.kind.${k}` as MsgKey;

export default function PartnersPage() {
  const session = useSession();
  const sync = useSync();
  return (
    <section>
      <h1>{t('birth.partners.title')}</h1>
      <Show when={session.hasRole('admin')} fallback={<p class="note note-bad" data-access="denied">{t('birth.admin.onlyAdmin')}</p>}>
        <Show when={sync.online()} fallback={<p class="note note-warn" data-testid="partners-offline">{t('birth.admin.needsOnline')}</p>}>
          <PartnersAdmin />
        </Show>
      </Show>
    </section>
  );
}

function ProblemNote(props: { problem?: UiProblem; testid?: string }) {
  return (
    <Show when={props.problem}>
      {(p) => (
        <p class="note note-bad" role="alert" data-testid={props.testid} data-code={p().code}>
          {problemText(p())}
        </p>
      )}
    </Show>
  );
}

function PartnersAdmin() {
  const [data, { refetch }] = createResource(async () => {
    const [partners, staff] = await Promise.all([api<{ partners: Partner[] }>('/api/birth/partners'), api<{ staff: StaffView[] }>('/api/staff')]);
    return { partners: partners.partners, staff: staff.staff };
  });
  /** Clerk accounts not yet attached to any partner: the ones the admin can attach. */
  const unattached = createMemo(() => {
    const d = data();
    if (!d) return [];
    const attached = new Set(d.partners.flatMap((p) => p.clerks.map((c) => c.id)));
    return d.staff.filter((s) => s.roles.includes('partner_operator') && !s.disabled && !attached.has(s.id));
  });
  return (
    <>
      <p class="small muted">
        {t('birth.partners.intro')} <A href="/staff">{t('nav.staff')}</A> · <A href="/akta/syarat">{t('birth.requirements.title')}</A>
      </p>
      <CreatePartner onCreated={() => void refetch()} />
      <Show when={!data.error} fallback={<p class="note note-bad">{problemText(problemFromError(data.error))} <button class="btn" onClick={() => void refetch()}>{t('common.retry')}</button></p>}>
        <Show when={data()} fallback={<p class="muted">{t('common.loading')}</p>}>
          {(d) => (
            <Show when={d().partners.length > 0} fallback={<p class="muted" data-testid="partners-empty">{t('birth.partners.empty')}</p>}>
              <ul class="list" data-testid="partner-list">
                <For each={d().partners}>{(p) => <PartnerRow partner={p} unattached={unattached()} onSaved={() => void refetch()} />}</For>
              </ul>
            </Show>
          )}
        </Show>
      </Show>
    </>
  );
}

function KindSelect(props: { value: Kind; onChange: (k: Kind) => void; name: string }) {
  return (
    <label class="field">
      <span>{t('birth.partners.kind')}</span>
      <select name={props.name} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as Kind)}>
        <For each={KINDS}>{(k) => <option value={k}>{t(kindKey(k))}</option>}</For>
      </select>
    </label>
  );
}

function CreatePartner(props: { onCreated: () => void }) {
  const [name, setName] = createSignal('');
  const [kind, setKind] = createSignal<Kind>('hospital');
  const [problem, setProblem] = createSignal<UiProblem>();
  const [busy, setBusy] = createSignal(false);
  async function submit(e: SubmitEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      await api('/api/birth/partners', { method: 'POST', body: { kind: kind(), name: name().trim() } });
      setName('');
      props.onCreated();
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="card form" onSubmit={submit} novalidate data-testid="create-partner">
      <h2>{t('birth.partners.add')}</h2>
      <label class="field" classList={{ 'has-error': !!problemFields(problem()).name }}>
        <span>{t('birth.partners.name')}</span>
        <input name="partner-name" autocomplete="off" value={name()} onInput={(e) => setName(e.currentTarget.value)} />
        <Show when={problemFields(problem()).name}><small class="error">{problemFields(problem()).name}</small></Show>
      </label>
      <KindSelect name="partner-kind" value={kind()} onChange={setKind} />
      <ProblemNote problem={problem()} testid="create-partner-problem" />
      <button class="btn btn-primary" type="submit" disabled={busy()}>{t('birth.partners.save')}</button>
    </form>
  );
}

function PartnerRow(props: { partner: Partner; unattached: StaffView[]; onSaved: () => void }) {
  const [editing, setEditing] = createSignal(false);
  const [name, setName] = createSignal(props.partner.name);
  const [kind, setKind] = createSignal<Kind>(props.partner.kind);
  const [clerk, setClerk] = createSignal('');
  const [problem, setProblem] = createSignal<UiProblem>();
  const [busy, setBusy] = createSignal(false);

  async function call(path: string, method: string, body: unknown) {
    setBusy(true);
    setProblem(undefined);
    try {
      await api(path, { method, body });
      setEditing(false);
      setClerk('');
      props.onSaved();
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setBusy(false);
    }
  }
  const patch = (body: { name?: string; kind?: Kind; active?: boolean }) => call(`/api/birth/partners/${encodeURIComponent(props.partner.id)}`, 'PATCH', body);
  const setClerkPartner = (userId: string, partnerId: string | null) => call('/api/birth/clerks', 'PUT', { userId, partnerId });

  return (
    <li class="list-item" data-testid="partner-item" data-name={props.partner.name} data-active={String(props.partner.active)}>
      <div class="row between">
        <span>
          <strong>{props.partner.name}</strong> <span class="muted">{t(kindKey(props.partner.kind))}</span>
        </span>
        <span class={`pill ${props.partner.active ? 'pill-ok' : 'pill-bad'}`}>{props.partner.active ? t('birth.partners.active') : t('birth.partners.inactive')}</span>
      </div>
      <Show
        when={editing()}
        fallback={
          <div class="row">
            <button class="btn" onClick={() => setEditing(true)} aria-label={`${t('birth.partners.edit')}: ${props.partner.name}`}>{t('birth.partners.edit')}</button>
            <button class="btn" data-testid="partner-toggle" disabled={busy()} onClick={() => void patch({ active: !props.partner.active })}>
              {props.partner.active ? t('birth.partners.deactivate') : t('birth.partners.activate')}
            </button>
          </div>
        }
      >
        <form
          class="form"
          novalidate
          onSubmit={(e) => {
            e.preventDefault();
            void patch({ name: name().trim(), kind: kind() });
          }}
        >
          <label class="field" classList={{ 'has-error': !!problemFields(problem()).name }}>
            <span>{t('birth.partners.name')}</span>
            <input name="edit-partner-name" value={name()} onInput={(e) => setName(e.currentTarget.value)} />
            <Show when={problemFields(problem()).name}><small class="error">{problemFields(problem()).name}</small></Show>
          </label>
          <KindSelect name="edit-partner-kind" value={kind()} onChange={setKind} />
          <div class="row">
            <button class="btn btn-primary" type="submit" disabled={busy()}>{t('birth.partners.save')}</button>
            <button class="btn" type="button" onClick={() => setEditing(false)}>{t('staff.cancel')}</button>
          </div>
        </form>
      </Show>
      <h3 class="small">{t('birth.partners.clerks')}</h3>
      <Show when={props.partner.clerks.length} fallback={<p class="small muted">{t('birth.partners.noClerks')}</p>}>
        <ul class="small" data-testid="partner-clerks">
          <For each={props.partner.clerks}>
            {(c) => (
              <li data-username={c.username}>
                {c.displayName} <span class="mono muted">{c.username}</span>{' '}
                <button class="btn btn-quiet" disabled={busy()} onClick={() => void setClerkPartner(c.id, null)} aria-label={`${t('birth.partners.detach')}: ${c.username}`}>
                  {t('birth.partners.detach')}
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.unattached.length} fallback={<p class="small muted">{t('birth.partners.noFreeClerks')}</p>}>
        <form
          class="row"
          novalidate
          onSubmit={(e) => {
            e.preventDefault();
            if (clerk()) void setClerkPartner(clerk(), props.partner.id);
          }}
        >
          <label class="field">
            <span>{t('birth.partners.attachLabel')}</span>
            <select name="attach-clerk" value={clerk()} onChange={(e) => setClerk(e.currentTarget.value)}>
              <option value="">—</option>
              <For each={props.unattached}>{(s) => <option value={s.id}>{`${s.displayName} (${s.username})`}</option>}</For>
            </select>
          </label>
          <button class="btn" type="submit" disabled={busy() || !clerk()}>{t('birth.partners.attach')}</button>
        </form>
      </Show>
      <ProblemNote problem={problem()} testid="partner-problem" />
    </li>
  );
}
