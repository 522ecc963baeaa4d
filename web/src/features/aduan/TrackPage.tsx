/**
 * "Lacak aduan": the complainant follows a complaint with the tracking code alone. The code comes in the link's
 * fragment (never sent to a server log) or is typed; it is sent in a POST body.
 */
import './messages'; // this screen's texts (registered with t() when loaded)
import { A } from '@solidjs/router';
import { For, Show, createSignal, onMount } from 'solid-js';
import { api, problemFromError, problemOf } from '../../api';
import type { UiProblem } from '../../db';
import { dateTime, lbl, problemText, t } from '../../i18n';
import { uuidv7 } from '../../sync/uuidv7';

interface Label { id: string; en: string }
interface TrackView {
  ticketNo: string; mergedInto: string | null; state: string; status: Label; title: string | null; description: string;
  receivedAt: number; officeCode: string; history: { state: string; status: Label; at: number }[]; resolution: string | null; forwardedTo: string | null;
  reopenUntil: number | null; canReopen: boolean; survey: { open: boolean; answered: boolean } | null;
  files: { id: string; name: string; type: string; size: number }[];
}

export function TrackPage() {
  const [code, setCode] = createSignal('');
  const [view, setView] = createSignal<TrackView>();
  const [problem, setProblem] = createSignal<UiProblem>();
  const [busy, setBusy] = createSignal(false);
  const [reason, setReason] = createSignal('');

  async function load(c = code()) {
    if (!c.trim()) return;
    setBusy(true);
    setProblem(undefined);
    try {
      setView(await api<TrackView>('/api/aduan/track', { method: 'POST', body: { code: c.trim() } }));
    } catch (err) {
      setView(undefined);
      setProblem(problemFromError(err));
    } finally {
      setBusy(false);
    }
  }

  onMount(() => {
    const fromLink = new URLSearchParams(location.hash.slice(1)).get('kode');
    if (fromLink) {
      setCode(fromLink);
      void load(fromLink);
    }
  });

  /** The code goes in the body (never a URL), so the file comes by POST and is handed to the browser as a download. */
  async function download(file: { id: string; name: string }) {
    setProblem(undefined);
    try {
      const res = await fetch(`/api/aduan/track/files/${encodeURIComponent(file.id)}`, {
        method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: code().trim() }),
      });
      if (!res.ok) {
        setProblem(await problemOf(res));
        return;
      }
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = file.name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      setProblem(problemFromError(err));
    }
  }

  async function reopen(e: SubmitEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      setView(await api<TrackView>('/api/aduan/track/reopen', { method: 'POST', body: { code: code().trim(), commandId: uuidv7(), reopenReason: reason().trim() } }));
      setReason('');
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" data-testid="aduan-track">
      <h1>{t('track.title')}</h1>
      <form class="form" onSubmit={(e) => { e.preventDefault(); void load(); }}>
        <label class="field">
          <span>{t('track.code')}</span>
          <input name="code" class="mono" autocomplete="off" spellcheck={false} value={code()} onInput={(e) => setCode(e.currentTarget.value)} />
        </label>
        <button class="btn btn-primary" type="submit" disabled={busy()}>{t('track.submit')}</button>
      </form>
      <Show when={problem()}>{(p) => <p class="note note-bad" role="alert" data-testid="track-problem">{problemText(p())}</p>}</Show>
      <Show when={view()}>
        {(v) => (
          <div data-testid="track-view">
            <dl class="facts">
              <dt>{t('track.ticket')}</dt><dd data-testid="track-ticket">{v().ticketNo}</dd>
              <dt>{t('track.status')}</dt><dd data-testid="track-status" data-state={v().state}>{lbl(v().status)}</dd>
              <dt>{t('track.received')}</dt><dd>{dateTime(v().receivedAt, v().officeCode)}</dd>
            </dl>
            <Show when={v().mergedInto}>{(m) => <p class="note">{t('track.merged', { ticket: m() })}</p>}</Show>
            <Show when={v().title}><h2>{v().title}</h2></Show>
            {/* Text, never markup: Solid escapes it, so a <script> typed into a complaint shows as typed. */}
            <p style={{ 'white-space': 'pre-wrap' }} data-testid="track-description">{v().description}</p>
            <Show when={v().forwardedTo}><p><strong>{t('track.forwarded')}:</strong> {v().forwardedTo}</p></Show>
            <Show when={v().resolution}><p class="note note-good"><strong>{t('track.resolution')}:</strong> <span data-testid="track-resolution">{v().resolution}</span></p></Show>
            <Show when={v().files.length}>
              <h2>{t('track.files')}</h2>
              <ul data-testid="track-files">
                <For each={v().files}>
                  {(f) => (
                    <li>
                      <button type="button" class="btn" onClick={() => void download(f)} aria-label={t('track.download', { name: f.name })}>{f.name}</button>{' '}
                      <small class="muted">({Math.ceil(f.size / 1024)} KiB)</small>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
            <h2>{t('track.history')}</h2>
            <ol class="timeline" data-testid="track-history">
              <For each={v().history}>{(h) => <li><span>{lbl(h.status)}</span> <small class="muted">{dateTime(h.at, v().officeCode)}</small></li>}</For>
            </ol>
            <Show when={v().survey}>
              {(s) => (
                <p>
                  <Show when={s().open} fallback={<span class="muted">{s().answered ? t('track.surveyDone') : ''}</span>}>
                    <A class="btn" href={`/ikm#undangan=${encodeURIComponent(code().trim())}`} data-testid="track-survey">{t('track.survey')}</A>
                  </Show>
                </p>
              )}
            </Show>
            <Show when={v().canReopen}>
              <form class="form" onSubmit={reopen} data-testid="track-reopen">
                <p class="small">{t('track.reopenUntil', { time: dateTime(v().reopenUntil!, v().officeCode) })}</p>
                <label class="field">
                  <span>{t('track.reopenReason')}</span>
                  <textarea rows="3" maxlength="2000" value={reason()} onInput={(e) => setReason(e.currentTarget.value)} />
                </label>
                <button class="btn" type="submit" disabled={busy() || reason().trim().length < 5}>{t('track.reopen')}</button>
              </form>
            </Show>
          </div>
        )}
      </Show>
    </section>
  );
}

export default TrackPage;
