/**
 * One IKD application at the operator's tablet: who and how (counter or video call), the step's standard time, the
 * SOP checklist (documents seen, data matches, face matches: attestations only, no images), device binding by
 * scanning the phone's QR or showing the officer's QR, approve (activation email) or reject with a reason, and the
 * counter tasks (reissue activation, block a lost device, unblock). Every action is an outbox command, so it works
 * offline and syncs once.
 */
import { A, useParams } from '@solidjs/router';
import { For, Show, createEffect, createMemo, createResource, createSignal, on, onCleanup } from 'solid-js';
import type { z } from 'zod';
import type { BindingNonceResponse, MatchAttemptsResponse } from '../../../../schema/contracts/ikd';
import { parseBindingQr } from '../../../../schema/ikd-rules';
import { IKD_REISSUE_REASONS, IKD_REJECT_REASONS, ikd } from '../../../../schema/workflows/ikd';
import { availableActions, transition } from '../../../../schema/workflows';
import { api, ApiFailure, problemFromError } from '../../api';
import { CaseHistory } from '../../components/CaseHistory';
import { focusFirstProblem, focusHeading } from '../../focus';
import { QrCode } from '../../components/QrCode';
import type { CaseView, UiProblem } from '../../db';
import { dateTime, duration, lbl, problemText, t, tryT } from '../../i18n';
import { fieldLabel, fieldValue } from '../../i18n/fields';
import { createNow } from '../../state/live';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';
import { enqueue, upsertCase } from '../../sync/engine';
import type { LocalCase } from '../../sync/view';
import { Scanner } from '../../scanner/Scanner';
import { fieldErrors } from '../ktpel/validation';
import { ikdActionLabel, ikdStateLabel } from '../ikd/labels';
import { type QueueRow, useIkdWork } from './queue';

type Action = keyof typeof ikd.actions;

export function OperatorCase() {
  const params = useParams<{ id: string }>();
  const session = useSession();
  const sync = useSync();
  const now = createNow(5000);
  const work = useIkdWork(() => session.user()?.officeCode, now);
  const row = createMemo<QueueRow | undefined>(() => [...work.today(), ...work.others()].find((r) => r.caseId === params.id));
  const c = createMemo(() => work.cases().find((x) => x.id === params.id));
  const actions = createMemo(() => {
    const cs = c();
    return cs ? (availableActions(ikd, cs.state, session.user()?.roles ?? []) as Action[]) : [];
  });
  const [historyProblem, setHistoryProblem] = createSignal<string>();

  // The case and its history from the server when online, once per server version (as the KTP-el detail does).
  const key = createMemo(() => (sync.online() ? `${params.id}@${c()?.onServer ? c()!.version : 'none'}` : ''));
  createEffect(
    on(key, async (k) => {
      if (!k) return;
      try {
        await upsertCase(await api<CaseView>(`/api/cases/${encodeURIComponent(params.id)}`));
        setHistoryProblem(undefined);
      } catch (err) {
        if (err instanceof ApiFailure && err.problem.code !== 'network') setHistoryProblem(problemText(err.problem));
      }
    }),
  );

  return (
    <section data-testid="op-case">
      <A href="/operator/ikd" class="back">← {t('op.title')}</A>
      <Show when={c()} fallback={<p class="muted">{historyProblem() ?? t('op.case.notFound')}</p>}>
        {(cs) => (
          <>
            <div class="row between">
              <h1 data-testid="op-case-state" data-state={cs().state} data-version={cs().version}>{lbl(ikdStateLabel(cs().state))}</h1>
              <div class="row">
                <Show when={cs().unsynced.length > 0}><span class="pill pill-warn" data-testid="badge-unsynced">{t('case.unsynced')}</span></Show>
                <Show when={cs().needsAttention.length > 0}><A href="/outbox" class="pill pill-bad" data-testid="badge-attention">{t('case.needsAttention')}</A></Show>
                <Show when={row()?.overrun}><span class="pill pill-bad">{t('case.overrun')}</span></Show>
              </div>
            </div>
            <Details c={cs()} row={row()} now={now()} />
            <IdentityCheck c={cs()} />
            <Show when={actions().includes('verify')}><Verify c={cs()} /></Show>
            <Show when={actions().includes('bind_device')}><Bind c={cs()} /></Show>
            <Show when={actions().includes('approve')}><Approve c={cs()} /></Show>
            <Show when={actions().some((a) => a === 'reissue_activation' || a === 'block_device' || a === 'unblock')}>
              <div class="card" data-testid="counter-tasks">
                <h2>{t('op.tasks.title')}</h2>
                <Show when={actions().includes('reissue_activation')}><Reissue c={cs()} /></Show>
                <Show when={actions().includes('block_device')}><Block c={cs()} /></Show>
                <Show when={actions().includes('unblock')}><Unblock c={cs()} /></Show>
              </div>
            </Show>
            <Show when={actions().includes('reject')}><Reject c={cs()} /></Show>
            <History c={cs()} />
          </>
        )}
      </Show>
    </section>
  );
}

function Details(props: { c: LocalCase; row: QueueRow | undefined; now: number }) {
  const d = () => props.c.data;
  return (
    <div class="card">
      <dl class="facts">
        <dt>{t('op.case.resident')}</dt>
        <dd>
          <strong data-testid="op-resident-name">{props.row?.item?.name ?? ''}</strong> <span class="mono">{props.c.residentNikMasked}</span>
        </dd>
        <dt>{t('op.case.contact')}</dt>
        <dd>
          {String(d().email ?? '')} · {String(d().phone ?? '')}
          <Show when={waMe(d().phone)}>
            {(href) => (
              <>
                {' '}
                · <a href={href()} target="_blank" rel="noopener" data-testid="wa-call">{t('op.case.waCall')}</a>
              </>
            )}
          </Show>
        </dd>
        <dt>{t('op.case.route')}</dt>
        <dd>{t(props.row?.kind === 'video' ? 'op.kind.video' : 'op.kind.counter')}</dd>
        <Show when={typeof d().slotStartsAt === 'number'}>
          <dt>{t('op.case.slot')}</dt>
          <dd>{dateTime(Number(d().slotStartsAt))}</dd>
        </Show>
        <Show when={typeof d().thumbprint === 'string'}>
          <dt>{t('op.case.device')}</dt>
          <dd class="mono" data-testid="op-thumbprint">{String(d().thumbprint)}</dd>
        </Show>
        <Show when={props.row?.standardMinutes !== null && props.row?.standardMinutes !== undefined}>
          <dt>{t('ikd.step.standard')}</dt>
          <dd>{t('time.min', { n: props.row?.standardMinutes ?? 0 })}</dd>
        </Show>
        <Show when={props.row?.dueAt}>
          {(due) => (
            <>
              <dt>{t('ikd.step.due')}</dt>
              <dd data-testid="op-due" data-overrun={props.row?.overrun ? 'true' : 'false'}>
                {dateTime(due())}{' '}
                <Show when={props.row?.overrun} fallback={<span class="muted">({t('case.timeLeft')}: {duration(due() - props.now)})</span>}>
                  <strong class="bad">{t('case.overrunBy', { time: duration(props.now - due()) })}</strong>
                </Show>
              </dd>
            </>
          )}
        </Show>
        <Show when={props.c.unsynced.length > 0}>
          <dt />
          <dd class="muted">{t('case.dueLater')}</dd>
        </Show>
        <dt>{t('ikd.caseNo')}</dt>
        <dd class="mono small">{props.c.id}</dd>
      </dl>
    </div>
  );
}

/** https://wa.me/62… for the resident's number as typed (08…, 628…, +628…): the video call runs on WhatsApp. */
function waMe(phone: unknown): string | undefined {
  if (typeof phone !== 'string') return undefined;
  const digits = phone.replace(/\D/g, '');
  const intl = digits.startsWith('0') ? `62${digits.slice(1)}` : digits;
  return /^628\d{7,12}$/.test(intl) ? `https://wa.me/${intl}` : undefined;
}

/** The NIK typed from the card shown must be the application's: its first and last four digits are visible. */
function sameMasked(nik: string, masked: string | null): boolean {
  return !!masked && nik.slice(0, 4) === masked.slice(0, 4) && nik.slice(-4) === masked.slice(-4);
}

interface RegistryResident {
  nik: string;
  kkNumber: string;
  name: string;
  birthPlace: string;
  birthDate: string;
  sex: string;
  maritalStatus: string;
  ektpRecorded: boolean;
}

/** Staff see the detail residents never do: the SIAK record and which fields differed in the identity checks. */
function IdentityCheck(props: { c: LocalCase }) {
  const sync = useSync();
  const [nik, setNik] = createSignal('');
  const [asked, setAsked] = createSignal<string>();
  const [data] = createResource(asked, async (n) => {
    const [reg, attempts] = await Promise.all([
      api<{ resident: RegistryResident }>('/api/registry/residents/lookup', { body: { nik: n } }),
      api<z.infer<typeof MatchAttemptsResponse>>('/api/ikd/residents/match-attempts', { body: { nik: n } }).catch(() => undefined),
    ]);
    return { resident: reg.resident, attempts: attempts?.attempts ?? [] };
  });
  const differs = () => nik().length === 16 && !sameMasked(nik(), props.c.residentNikMasked);
  return (
    <details class="card" data-testid="identity-check">
      <summary><strong>{t('op.case.registry')}</strong> <span class="muted small">· {t('op.case.nikCheckHint')}</span></summary>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (nik().length === 16 && !differs()) setAsked(nik());
        }}
      >
        <input name="cardNik" inputmode="numeric" maxlength="16" placeholder={t('op.case.nikCheck')} aria-label={t('op.case.nikCheck')} value={nik()} onInput={(e) => setNik(e.currentTarget.value.replace(/\D/g, ''))} style={{ 'max-width': '16rem' }} />
        <button class="btn" type="submit" disabled={!sync.online() || nik().length !== 16 || differs()}>{t('op.case.nikCheckGo')}</button>
      </form>
      <Show when={differs()}><p class="note note-bad">{t('op.case.nikDiffers', { masked: props.c.residentNikMasked ?? '' })}</p></Show>
      <Show when={!sync.online()}><p class="muted small">{t('op.case.onlineOnly')}</p></Show>
      <Show when={data.error}><p class="note note-bad">{data.error instanceof ApiFailure ? problemText(data.error.problem) : String(data.error)}</p></Show>
      <Show when={data()}>
        {(d) => (
          <>
            <dl class="facts small" data-testid="registry-record">
              <dt>{t('op.case.resident')}</dt>
              <dd>{d().resident.name}</dd>
              <dt>{t('ikd.form.kk')}</dt>
              <dd class="mono">{d().resident.kkNumber}</dd>
              <dt>TTL</dt>
              <dd>{d().resident.birthPlace}, {d().resident.birthDate}</dd>
              <dt>Status</dt>
              <dd>{d().resident.maritalStatus} · e-KTP {d().resident.ektpRecorded ? '✓' : '✗'}</dd>
            </dl>
            <h3 class="small">{t('op.case.attempts')}</h3>
            <ul class="small" data-testid="match-attempts">
              <For each={d().attempts}>
                {(a) => (
                  <li data-matched={a.matched ? 'true' : 'false'}>
                    {dateTime(a.at)} · {fieldValue('purpose', a.purpose)} · {a.matched ? t('op.case.attemptOk') : t('op.case.attemptNo', { fields: a.differs.map(fieldLabel).join(', ') })}
                  </li>
                )}
              </For>
            </ul>
          </>
        )}
      </Show>
    </details>
  );
}

/**
 * Queues one SOP action for this case: checked first with the same rule and input schema the server uses, then
 * put in the outbox (sent now when online).
 * @returns field errors, empty when queued
 */
function useQueueAction(c: () => LocalCase) {
  const session = useSession();
  const sync = useSync();
  return async (action: Action, input: Record<string, unknown>): Promise<Record<string, string>> => {
    const user = session.user();
    if (!user) return { _: t('auth.lost') };
    const verdict = transition(ikd, c().state, action, user.roles, input);
    if (!verdict.ok) return verdict.code === 'validation_failed' ? fieldErrors(ikd.actions[action].input, input) : { _: problemText({ code: verdict.code, status: 409 }) };
    await enqueue({
      type: 'action',
      caseId: c().id,
      service: ikd.service,
      action,
      baseVersion: c().version,
      input: verdict.input as Record<string, unknown>,
      userId: user.id,
      username: user.username,
      officeCode: user.officeCode,
    });
    sync.changed();
    // The step changed the case and removes the panel it was taken from: keyboard focus continues at the new state.
    focusHeading();
    return {};
  };
}

/** Shows a refused step's errors and moves keyboard focus to the first wrong field, else to the errors' alert. */
function reportErrors(set: (e: Record<string, string>) => void, errors: Record<string, string>, where: HTMLElement | undefined): void {
  set(errors);
  if (Object.values(errors).some(Boolean)) focusFirstProblem(where);
}

function Errors(props: { errors: Record<string, string> }) {
  return (
    <Show when={Object.values(props.errors).some(Boolean)}>
      <ul class="error small" role="alert" data-testid="action-errors">
        <For each={Object.entries(props.errors).filter(([, v]) => v)}>{([k, v]) => <li>{k === '_' ? v : `${fieldLabel(k)}: ${v}`}</li>}</For>
      </ul>
    </Show>
  );
}

function Verify(props: { c: LocalCase }) {
  const queue = useQueueAction(() => props.c);
  const [documentsSeen, setDocs] = createSignal(false);
  const [dataMatches, setData] = createSignal(false);
  const [faceMatches, setFace] = createSignal(false);
  const [channel, setChannel] = createSignal<'counter' | 'video'>(props.c.data.route === 'video' || props.c.data.slotId ? 'video' : 'counter');
  const [notes, setNotes] = createSignal('');
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  let form!: HTMLFormElement;
  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (!documentsSeen() || !dataMatches() || !faceMatches()) {
      // Focus goes to the first box still to tick (marked invalid), so the officer can tick it with Space.
      reportErrors(setErrors, { _: t('op.verify.needAll') }, form);
      return;
    }
    const input: Record<string, unknown> = { documentsSeen: true, dataMatches: true, faceMatches: true, channel: channel() };
    if (notes().trim()) input.notes = notes().trim();
    reportErrors(setErrors, await queue('verify', input), form);
  }
  const box = (label: string, value: () => boolean, set: (v: boolean) => void, name: string) => (
    <label class="choice">
      <input type="checkbox" name={name} checked={value()} onChange={(e) => set(e.currentTarget.checked)} aria-invalid={errors()._ && !value() ? 'true' : undefined} />
      {label}
    </label>
  );
  return (
    <form class="card form" onSubmit={submit} data-testid="verify-form" ref={form}>
      <h2>{t('op.verify.title')}</h2>
      {box(t('op.verify.documents'), documentsSeen, setDocs, 'documentsSeen')}
      {box(t('op.verify.data'), dataMatches, setData, 'dataMatches')}
      {box(t('op.verify.face'), faceMatches, setFace, 'faceMatches')}
      <fieldset class="field">
        <legend>{t('op.verify.channel')}</legend>
        <div class="choices">
          <For each={['counter', 'video'] as const}>
            {(ch) => (
              <label class="choice">
                <input type="radio" name="channel" value={ch} checked={channel() === ch} onChange={() => setChannel(ch)} />
                {t(ch === 'video' ? 'op.kind.video' : 'op.kind.counter')}
              </label>
            )}
          </For>
        </div>
      </fieldset>
      <label class="field">
        <span>{t('op.verify.notes')}</span>
        <input name="notes" maxlength="500" value={notes()} onInput={(e) => setNotes(e.currentTarget.value)} />
      </label>
      <Errors errors={errors()} />
      <button class="btn btn-primary" type="submit" data-testid="verify-submit">{t('op.verify.submit')}</button>
    </form>
  );
}

function Bind(props: { c: LocalCase }) {
  const sync = useSync();
  const queue = useQueueAction(() => props.c);
  const [scanning, setScanning] = createSignal(false);
  const [scanRun, setScanRun] = createSignal(0);
  const [note, setNote] = createSignal<string>();
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [shown, setShown] = createSignal<z.infer<typeof BindingNonceResponse>>();
  const [problem, setProblem] = createSignal<UiProblem>();
  const [now, setNow] = createSignal(Date.now());
  const tick = setInterval(() => {
    setNow(Date.now());
    // While the officer QR is up, follow the case: the resident's phone binds it on the server.
    if (shown() && sync.online()) void sync.syncNow();
  }, 3000);
  onCleanup(() => clearInterval(tick));

  async function onScanned(bytes: Uint8Array) {
    const text = new TextDecoder().decode(bytes);
    const parsed = parseBindingQr(text);
    if (!parsed || parsed.kind !== 'phone') {
      setNote(t('op.bind.notPhone'));
      setScanRun(scanRun() + 1);
      return;
    }
    if (parsed.caseId !== props.c.id) {
      setNote(t('op.bind.otherCase'));
      setScanRun(scanRun() + 1);
      return;
    }
    setScanning(false);
    const errs = await queue('bind_device', { direction: 'phone_qr', nonce: parsed.nonce, thumbprint: parsed.thumbprint });
    setErrors(errs);
    if (Object.keys(errs).length === 0) setNote(t('op.bind.scanned'));
  }

  async function showQr() {
    setProblem(undefined);
    setScanning(false);
    try {
      setShown(await api<z.infer<typeof BindingNonceResponse>>(`/api/ikd/cases/${encodeURIComponent(props.c.id)}/binding-nonce`, { method: 'POST', body: {} }));
    } catch (err) {
      setProblem(problemFromError(err));
    }
  }

  // The officer QR needs the verification to be on the server first (the nonce is made for a verified case).
  const canShow = () => sync.online() && props.c.unsynced.length === 0 && props.c.onServer;
  return (
    <div class="card" data-testid="bind-panel">
      <h2>{t('op.bind.title')}</h2>
      <div class="row">
        <button
          class="btn btn-primary"
          type="button"
          onClick={() => {
            setShown(undefined);
            setNote(undefined);
            setScanRun(scanRun() + 1);
            setScanning(!scanning());
          }}
          data-testid="scan-phone-qr"
        >
          {scanning() ? t('ikd.bind.scanStop') : t('op.bind.scan')}
        </button>
        <button class="btn" type="button" disabled={!canShow()} onClick={() => void showQr()} data-testid="show-operator-qr">{t('op.bind.show')}</button>
      </div>
      <Show when={!sync.online()}><p class="muted small">{t('op.bind.showOnline')}</p></Show>
      <Show when={scanning()}>
        <Show when={scanRun()} keyed>
          {(_run: number) => <Scanner onBytes={(b) => void onScanned(b)} />}
        </Show>
      </Show>
      <Show when={shown()}>
        {(s) => (
          <div style={{ 'margin-top': '0.75rem' }}>
            <QrCode text={s().qr} label={`${t('op.bind.qrLabel')}. ${t('ikd.bind.qrValid', { time: dateTime(s().expiresAt) })}`} size={280} testId="operator-qr" />
            <p class="small muted" role="timer" data-testid="operator-qr-waiting">{t('op.bind.waiting', { time: duration(Math.max(0, s().expiresAt - now())) })}</p>
          </div>
        )}
      </Show>
      <Show when={note()}><p class="note" role="status" data-testid="bind-note">{note()}</p></Show>
      <Show when={problem()}>{(p) => <p class="note note-bad" role="alert" data-code={p().code}>{problemText(p())}</p>}</Show>
      <Errors errors={errors()} />
    </div>
  );
}

function Approve(props: { c: LocalCase }) {
  const queue = useQueueAction(() => props.c);
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  let panel!: HTMLDivElement;
  return (
    <div class="card" data-testid="approve-panel" ref={panel}>
      <h2>{t('op.approve.title')}</h2>
      <p class="muted">{t('op.approve.lead', { email: String(props.c.data.email ?? '') })}</p>
      <Errors errors={errors()} />
      <button class="btn btn-primary" type="button" onClick={async () => reportErrors(setErrors, await queue('approve', {}), panel)} data-testid="approve-submit">{t('op.approve.submit')}</button>
    </div>
  );
}

/** A small form of one action: a reason select and/or text fields, queued with the outbox. */
function ReasonForm(props: {
  c: LocalCase;
  action: Action;
  title: string;
  submitLabel: string;
  select?: { name: string; label: string; options: readonly string[]; labelOf: (v: string) => string };
  texts: { name: string; label: string; long?: boolean; optional?: boolean }[];
  danger?: boolean;
}) {
  const queue = useQueueAction(() => props.c);
  const [values, setValues] = createSignal<Record<string, string>>(props.select ? { [props.select.name]: props.select.options[0] ?? '' } : {});
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  async function submit(e: SubmitEvent) {
    e.preventDefault();
    const input: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values())) {
      const opt = props.texts.find((f) => f.name === k)?.optional;
      if (v.trim() || !opt) input[k] = v.trim();
    }
    reportErrors(setErrors, await queue(props.action, input), form);
  }
  let form!: HTMLFormElement;
  return (
    <form class="form action" onSubmit={submit} data-testid={`action-${props.action}`} ref={form}>
      <h3>{props.title}</h3>
      <Show when={props.select}>
        {(sel) => (
          <label class="field">
            <span>{sel().label}</span>
            <select name={sel().name} value={values()[sel().name] ?? ''} onChange={(e) => setValues({ ...values(), [sel().name]: e.currentTarget.value })}>
              <For each={sel().options}>{(o) => <option value={o}>{sel().labelOf(o)}</option>}</For>
            </select>
          </label>
        )}
      </Show>
      <For each={props.texts}>
        {(f) => (
          <label class="field">
            <span>{f.label}</span>
            <Show
              when={f.long}
              fallback={<input name={f.name} maxlength="500" value={values()[f.name] ?? ''} onInput={(e) => setValues({ ...values(), [f.name]: e.currentTarget.value })} />}
            >
              <textarea name={f.name} rows="3" maxlength="500" value={values()[f.name] ?? ''} onInput={(e) => setValues({ ...values(), [f.name]: e.currentTarget.value })} />
            </Show>
          </label>
        )}
      </For>
      <Errors errors={errors()} />
      <button class={`btn ${props.danger ? 'btn-danger' : 'btn-primary'}`} type="submit">{props.submitLabel}</button>
    </form>
  );
}

function Reject(props: { c: LocalCase }) {
  return (
    <div class="card">
      <ReasonForm
        c={props.c}
        action="reject"
        title={t('op.reject.title')}
        submitLabel={t('op.reject.submit')}
        select={{ name: 'reasonCode', label: t('op.reject.reason'), options: IKD_REJECT_REASONS, labelOf: (v) => tryT(`op.reject.reason.${v}`, v) }}
        texts={[{ name: 'message', label: t('op.reject.message'), long: true }]}
        danger
      />
    </div>
  );
}

function Reissue(props: { c: LocalCase }) {
  return (
    <ReasonForm
      c={props.c}
      action="reissue_activation"
      title={t('op.reissue.title')}
      submitLabel={t('op.reissue.submit')}
      select={{ name: 'reason', label: t('op.reissue.reason'), options: IKD_REISSUE_REASONS, labelOf: (v) => tryT(`op.reissue.reason.${v}`, v) }}
      texts={[{ name: 'note', label: t('op.reissue.note'), optional: true }]}
    />
  );
}

function Block(props: { c: LocalCase }) {
  return (
    <ReasonForm
      c={props.c}
      action="block_device"
      title={t('op.block.title')}
      submitLabel={t('op.block.submit')}
      select={{ name: 'reportedVia', label: t('op.block.via'), options: ['counter', 'phone'], labelOf: (v) => tryT(`op.block.via.${v}`, v) }}
      texts={[{ name: 'reason', label: t('op.block.reason') }]}
      danger
    />
  );
}

function Unblock(props: { c: LocalCase }) {
  return <ReasonForm c={props.c} action="unblock" title={t('op.unblock.title')} submitLabel={t('op.unblock.submit')} texts={[{ name: 'reason', label: t('op.unblock.reason') }]} />;
}

function History(props: { c: LocalCase }) {
  return (
    <div class="card">
      <h2>{t('op.history')}</h2>
      <CaseHistory c={props.c} testId="op-history" actionLabel={ikdActionLabel} stateLabel={ikdStateLabel} createAction="register" />
    </div>
  );
}
