/**
 * The complaint handlers' inbox: filters (open, new, overdue, mine, escalated, closed), service, channel, search;
 * transcribing a box/phone/walk-in complaint through the staff outbox (works offline), LAPOR! import, CSV export.
 */
import './messages'; // this screen's texts (registered with t() when loaded)
import { A } from '@solidjs/router';
import { For, Show, createResource, createSignal } from 'solid-js';
import { newTrackingCode } from '../../../../schema/aduan/tracking';
import { ADUAN_CHANNELS, ADUAN_SUBJECTS, AduanSubmitInput, TRANSCRIBED_CHANNELS, aduan } from '../../../../schema/workflows/aduan';
import { transition } from '../../../../schema/workflows';
import { api, problemFromError } from '../../api';
import { dateTime, lbl, problemText, t, tryT } from '../../i18n';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';
import { enqueue } from '../../sync/engine';
import { uuidv7 } from '../../sync/uuidv7';
import { fieldErrors } from '../ktpel/validation';

interface Item {
  caseId: string; ticketNo: string; state: string; channel: string; privacy: string; subjectService: string; title: string | null;
  priority: string | null; assigneeName: string | null; receivedAt: number; dueAt: number | null; overdue: boolean; escalated: boolean;
}
const FILTERS = ['open', 'new', 'overdue', 'mine', 'escalated', 'closed', 'all'] as const;

export function Inbox() {
  const session = useSession();
  const sync = useSync();
  const [filter, setFilter] = createSignal<(typeof FILTERS)[number]>('open');
  const [service, setService] = createSignal('');
  const [channel, setChannel] = createSignal('');
  const [q, setQ] = createSignal('');
  const query = () => {
    const p = new URLSearchParams({ filter: filter() });
    if (service()) p.set('service', service());
    if (channel()) p.set('channel', channel());
    if (q().trim()) p.set('q', q().trim());
    return p.toString();
  };
  const [items, { refetch }] = createResource(query, (qs) => api<{ items: Item[] }>(`/api/aduan/inbox?${qs}`).then((r) => r.items));
  const [importMsg, setImportMsg] = createSignal<string>();

  // Transcription (kotak saran, telepon, datang langsung): a create command in the staff outbox.
  const [tr, setTr] = createSignal({ channel: 'box', subjectService: 'lainnya', description: '', privacy: 'biasa', name: '', phone: '' });
  const [trErrors, setTrErrors] = createSignal<Record<string, string>>({});
  const [trDone, setTrDone] = createSignal<string>();

  async function transcribe(e: SubmitEvent) {
    e.preventDefault();
    const user = session.user();
    if (!user) return;
    const v = tr();
    const input: Record<string, unknown> = { channel: v.channel, kind: 'pengaduan', subjectService: v.subjectService, description: v.description.trim(), privacy: v.privacy, trackingCode: newTrackingCode() };
    if (v.privacy !== 'anonim' && v.name.trim()) input.name = v.name.trim();
    if (v.privacy !== 'anonim' && v.phone.trim()) input.phone = v.phone.replace(/[\s-]/g, '');
    const verdict = transition(aduan, null, 'submit', user.roles, input);
    if (!verdict.ok) {
      setTrErrors(fieldErrors(AduanSubmitInput, input));
      return;
    }
    await enqueue({ type: 'create', caseId: uuidv7(), service: 'aduan', input: verdict.input as Record<string, unknown>, userId: user.id, username: user.username, officeCode: user.officeCode });
    sync.changed();
    // The caller or visitor gets this code to follow the complaint (the server keeps only its hash).
    setTrDone(String(input.trackingCode));
    setTr({ ...v, description: '', name: '', phone: '' });
    setTrErrors({});
  }

  async function importFile(file: File) {
    try {
      const type = file.name.toLowerCase().endsWith('.json') ? 'application/json' : 'text/csv';
      const res = await fetch('/api/aduan/import/lapor', { method: 'POST', body: await file.text(), headers: { 'content-type': type }, credentials: 'same-origin' });
      if (!res.ok) throw new Error(((await res.json()) as { code: string }).code);
      const r = (await res.json()) as { created: unknown[]; skipped: unknown[]; errors: unknown[] };
      setImportMsg(t('inbox.imported', { created: r.created.length, skipped: r.skipped.length, errors: r.errors.length }));
      void refetch();
    } catch (err) {
      setImportMsg(problemText(err instanceof Error && !('problem' in err) ? { code: err.message, status: 422 } : problemFromError(err)));
    }
  }

  return (
    <section class="card" data-testid="aduan-inbox">
      <h1>{t('inbox.title')}</h1>
      <div class="seg" role="group" aria-label={t('inbox.title')}>
        <For each={FILTERS}>
          {(f) => <button type="button" class="btn" classList={{ 'btn-primary': filter() === f }} aria-pressed={filter() === f} onClick={() => setFilter(f)} data-testid={`filter-${f}`}>{tryT(`inbox.filter.${f}`, f)}</button>}
        </For>
      </div>
      <div class="row">
        <select aria-label={t('aduan.subject')} value={service()} onChange={(e) => setService(e.currentTarget.value)}>
          <option value="">{t('inbox.anyService')}</option>
          <For each={ADUAN_SUBJECTS}>{(s) => <option value={s}>{tryT(`aduan.subject.${s}`, s)}</option>}</For>
        </select>
        <select aria-label={t('detail.channel')} value={channel()} onChange={(e) => setChannel(e.currentTarget.value)}>
          <option value="">{t('inbox.anyChannel')}</option>
          <For each={ADUAN_CHANNELS}>{(c) => <option value={c}>{tryT(`channel.${c}`, c)}</option>}</For>
        </select>
        <input type="search" placeholder={t('inbox.search')} aria-label={t('inbox.search')} value={q()} onChange={(e) => setQ(e.currentTarget.value)} />
        <a class="btn btn-quiet" href="/api/aduan/export.csv" download="aduan.csv">{t('inbox.export')}</a>
        <a class="btn btn-quiet" href={`/api/aduan/report.pdf?month=${previousMonth()}`} download={`laporan-aduan-${previousMonth()}.pdf`} data-testid="monthly-report">{t('inbox.monthlyReport')} {previousMonth()}</a>
      </div>
      <Show when={items.error}><p class="note note-bad" role="alert">{problemText(problemFromError(items.error))}</p></Show>
      <ul class="list" data-testid="inbox-list">
        <For each={items() ?? []} fallback={<li class="muted">{items.loading ? t('common.loading') : t('inbox.empty')}</li>}>
          {(i) => (
            <li class="list-item" data-testid="inbox-item" data-ticket={i.ticketNo}>
              <A href={`/aduan/kotak/${i.caseId}`}><strong>{i.ticketNo}</strong> {i.title ?? ''}</A>
              <div class="small">
                <span class="pill">{lbl((aduan.states as Record<string, { label: { id: string; en: string } }>)[i.state]!.label)}</span>{' '}
                <span class="pill">{tryT(`channel.${i.channel}`, i.channel)}</span>{' '}
                <Show when={i.priority}><span class="pill">{tryT(`priority.${i.priority}`, i.priority!)}</span> </Show>
                <Show when={i.overdue}><span class="pill pill-bad">{t('inbox.overdue')}</span> </Show>
                <Show when={i.escalated}><span class="pill pill-warn">{t('inbox.escalated')}</span> </Show>
                <Show when={i.dueAt}><span class="muted">{t('inbox.due', { time: dateTime(i.dueAt!) })}</span></Show>
                <Show when={i.assigneeName}><span class="muted"> · {i.assigneeName}</span></Show>
              </div>
            </li>
          )}
        </For>
      </ul>

      <Show when={session.hasRole('complaint_handler')}>
        <details>
          <summary>{t('inbox.transcribe')}</summary>
          <form class="form" onSubmit={transcribe} data-testid="transcribe-form">
            <label class="field">
              <span>{t('detail.channel')}</span>
              <select value={tr().channel} onChange={(e) => setTr({ ...tr(), channel: e.currentTarget.value })}>
                <For each={TRANSCRIBED_CHANNELS}>{(c) => <option value={c}>{tryT(`channel.${c}`, c)}</option>}</For>
              </select>
            </label>
            <label class="field">
              <span>{t('aduan.subject')}</span>
              <select value={tr().subjectService} onChange={(e) => setTr({ ...tr(), subjectService: e.currentTarget.value })}>
                <For each={ADUAN_SUBJECTS}>{(s) => <option value={s}>{tryT(`aduan.subject.${s}`, s)}</option>}</For>
              </select>
            </label>
            <label class="field" classList={{ 'has-error': !!trErrors().description }}>
              <span>{t('aduan.description')}</span>
              <textarea rows="4" value={tr().description} onInput={(e) => setTr({ ...tr(), description: e.currentTarget.value })} />
              <Show when={trErrors().description}><small class="error">{trErrors().description}</small></Show>
            </label>
            <label class="field">
              <span>{t('aduan.privacy')}</span>
              <select value={tr().privacy} onChange={(e) => setTr({ ...tr(), privacy: e.currentTarget.value })}>
                <For each={['biasa', 'rahasia', 'anonim']}>{(p) => <option value={p}>{tryT(`aduan.privacy.${p}`, p)}</option>}</For>
              </select>
            </label>
            <Show when={tr().privacy !== 'anonim'}>
              <label class="field"><span>{t('aduan.name')}</span><input value={tr().name} onInput={(e) => setTr({ ...tr(), name: e.currentTarget.value })} /></label>
              <label class="field" classList={{ 'has-error': !!trErrors().phone }}>
                <span>{t('aduan.phone')}</span><input type="tel" value={tr().phone} onInput={(e) => setTr({ ...tr(), phone: e.currentTarget.value })} />
                <Show when={trErrors().phone}><small class="error">{trErrors().phone}</small></Show>
              </label>
            </Show>
            <button class="btn btn-primary" type="submit">{t('aduan.submit')}</button>
          </form>
          <Show when={trDone()}>{(code) => <p class="note note-good" data-testid="transcribed-code">{t('aduan.codeTitle')}: <span class="mono">{code()}</span> — {t('detail.queued')}</p>}</Show>
        </details>
        <label class="field">
          <span>{t('inbox.import')}</span>
          <input type="file" accept=".csv,.json,text/csv,application/json" onChange={(e) => { const f = e.currentTarget.files?.[0]; if (f) void importFile(f); }} />
        </label>
        <Show when={importMsg()}><p class="note" role="status">{importMsg()}</p></Show>
      </Show>
    </section>
  );
}

export default Inbox;

/** The month before this one, `YYYY-MM`: the coordination meeting looks back at the month just closed. */
function previousMonth(now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}
