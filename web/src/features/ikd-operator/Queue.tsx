/**
 * The operator's IKD queue of today: counter visitors and video calls with the current step, its standard time and
 * due time (overruns marked), from the tablet's cache when the network is gone; plus the office's other open cases.
 */
import { A } from '@solidjs/router';
import { For, Show, createSignal, onMount } from 'solid-js';
import { problemFromError } from '../../api';
import type { UiProblem } from '../../db';
import { dateTime, lbl, problemText, ago, t } from '../../i18n';
import { createNow } from '../../state/live';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';
import { ikdStateLabel } from '../ikd/labels';
import { type QueueRow, refreshQueue, useIkdWork } from './queue';

export const QUEUE_ROLES = ['operator', 'front_office', 'admin', 'head_of_division', 'head_of_office'] as const;

export function Queue() {
  const session = useSession();
  const sync = useSync();
  const now = createNow(15_000);
  const work = useIkdWork(() => session.user()?.officeCode, now);
  const [problem, setProblem] = createSignal<UiProblem>();
  const [busy, setBusy] = createSignal(false);
  const [search, setSearch] = createSignal('');

  async function reload() {
    const office = session.user()?.officeCode;
    if (!office) return;
    setBusy(true);
    try {
      await refreshQueue(office);
      setProblem(undefined);
      void sync.syncNow();
    } catch (err) {
      const p: UiProblem = problemFromError(err);
      // Offline is normal here: the cached queue is shown with its age.
      setProblem(p.code === 'network' ? undefined : p);
    } finally {
      setBusy(false);
    }
  }
  onMount(() => {
    if (sync.online()) void reload();
  });

  const matches = (r: QueueRow) => {
    const q = search().trim().toLowerCase();
    if (!q) return true;
    const nik = r.item?.nikMasked ?? r.c?.residentNikMasked ?? '';
    const name = r.item?.name ?? '';
    return nik.endsWith(q) || name.toLowerCase().includes(q);
  };

  return (
    <section data-testid="ikd-queue">
      <div class="row between">
        <h1>{t('op.title')}</h1>
        <div class="row">
          <Show when={session.hasRole('operator', 'admin')}>
            <A href="/operator/ikd/jadwal" class="btn" data-testid="slots-link">{t('op.slots')}</A>
          </Show>
          <button class="btn" type="button" disabled={busy() || !sync.online()} onClick={() => void reload()} data-testid="queue-refresh">{t('op.refresh')}</button>
        </div>
      </div>
      <Show when={!session.hasRole(...QUEUE_ROLES)}>
        <p class="note note-bad" data-access="denied">{t('op.noAccess')}</p>
      </Show>
      <p class="muted small" data-testid="queue-age">
        <Show when={work.fetched()} fallback={t('op.never')}>
          {(f) => (
            <>
              {t('op.today', { date: f().date })} ·{' '}
              {sync.online() ? t('ktpel.lastSync', { time: ago(f().at, now()) }) : t('op.cached', { time: ago(f().at, now()) })}
            </>
          )}
        </Show>
      </p>
      <Show when={problem()}>{(p) => <p class="note note-bad" role="alert">{problemText(p())}</p>}</Show>
      <label class="field">
        <span class="small">{t('op.search')}</span>
        <input name="search" value={search()} onInput={(e) => setSearch(e.currentTarget.value)} />
      </label>
      <Show when={work.today().filter(matches).length > 0} fallback={<p class="muted">{t('op.emptyQueue')}</p>}>
        <ul class="list" data-testid="queue-list">
          <For each={work.today().filter(matches)}>{(r) => <QueueEntry r={r} />}</For>
        </ul>
      </Show>
      <Show when={work.others().filter(matches).length > 0}>
        <h2 style={{ 'margin-top': '1rem' }}>{t('op.others')}</h2>
        <ul class="list" data-testid="other-cases">
          <For each={work.others().filter(matches)}>{(r) => <QueueEntry r={r} />}</For>
        </ul>
      </Show>
    </section>
  );
}

function QueueEntry(props: { r: QueueRow }) {
  const r = () => props.r;
  return (
    <li>
      <A
        href={`/operator/ikd/${r().caseId}`}
        class="list-item"
        data-testid="queue-item"
        data-case-id={r().caseId}
        data-state={r().state}
        data-kind={r().kind}
        data-overrun={r().overrun ? 'true' : 'false'}
      >
        <div class="row between">
          <strong>{r().item?.name ?? (typeof r().c?.data.residentName === 'string' ? String(r().c?.data.residentName) : t('op.nameUnknown'))}</strong>
          <span class="mono muted">{r().item?.nikMasked ?? r().c?.residentNikMasked ?? ''}</span>
        </div>
        <div class="row small">
          <span class="pill">{t(r().kind === 'video' ? 'op.kind.video' : 'op.kind.counter')}</span>
          <span>{lbl(ikdStateLabel(r().state))}</span>
          <Show when={r().item?.slot}>{(s) => <span class="muted">{t('op.slotAt', { time: dateTime(s().startsAt) })}</span>}</Show>
          <Show when={r().standardMinutes !== null}>
            <span class="muted">{t('ikd.step.standard')}: {t('time.min', { n: r().standardMinutes ?? 0 })}</span>
          </Show>
          <Show when={r().dueAt}>{(d) => <span class="muted">{t('op.due', { time: dateTime(d()) })}</span>}</Show>
          <Show when={r().overrun}><span class="pill pill-bad" data-testid="badge-overrun">{t('case.overrun')}</span></Show>
          <Show when={r().unsynced}><span class="pill pill-warn" data-testid="badge-unsynced">{t('case.unsynced')}</span></Show>
          <Show when={r().needsAttention}><span class="pill pill-bad">{t('case.needsAttention')}</span></Show>
        </div>
      </A>
    </li>
  );
}
