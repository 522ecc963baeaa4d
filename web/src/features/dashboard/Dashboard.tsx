/**
 * Dashboards for heads of division and office: the IKM of a service and period (exact score, grade, the
 * spreadsheet figure beside it, element averages, monthly trend, sample size, CSV) and service time per SOP step
 * (count, median, p90 vs standard, overruns, overdue now, CSV). Charts load uPlot lazily; tables carry the same data.
 */
import '../aduan/messages'; // this screen's texts (registered with t() when loaded)
import { For, Show, createResource, createSignal } from 'solid-js';
import { IKM_SERVICES, IKM_SERVICE_LABELS } from '../../../../schema/ikm';
import { api, problemFromError } from '../../api';
import { lbl, problemText, t } from '../../i18n';
import { useSession } from '../../state/session';
import { officeZone } from '../../zones';
import { Chart } from './Chart';

type Label = { id: string; en: string };
interface IkmDash {
  respondents: number; score: number | null; grade: string | null; spreadsheetScore: number | null; spreadsheetGrade: string | null;
  elements: { key: string; name: Label; average: number | null }[]; trend: { month: string; respondents: number; score: number }[];
  serviceUsers: number; sample: { required: number; sufficient: boolean } | null;
}
interface StepRow { state: string; label: Label; count: number; medianMinutes: number | null; p90Minutes: number | null; standardMinutes: number | null; overrunShare: number | null; waitingNow: number; overdueNow: number }
interface ServiceTime { steps: StepRow[] }

/** Services that run through the SOP engine (the service-time dashboard needs their steps). */
const SOP_SERVICES = ['ktpel', 'ikd', 'aduan'] as const;

/** Today in the office's zone, not the device's: near midnight the two differ by a day. */
function officeToday(officeCode: string | undefined): string {
  const iana = officeCode ? officeZone(officeCode).iana : undefined;
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: iana, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

const fmt = (v: number | null, d = 1) => (v === null ? '—' : String(Math.round(v * 10 ** d) / 10 ** d).replace('.', ','));

export function Dashboard() {
  const session = useSession();
  const today = officeToday(session.user()?.officeCode);
  const [service, setService] = createSignal<string>('aduan');
  const [sopService, setSopService] = createSignal<string>('ktpel');
  const [from, setFrom] = createSignal(`${today.slice(0, 8)}01`);
  const [to, setTo] = createSignal(today);
  const ikmQuery = () => `service=${service()}&from=${from()}&to=${to()}`;
  const stQuery = () => `service=${sopService()}&from=${from()}&to=${to()}`;
  const [ikm, { refetch: refetchIkm }] = createResource(ikmQuery, (q) => api<IkmDash>(`/api/ikm/dashboard?${q}`));
  const [st] = createResource(stQuery, (q) => api<ServiceTime>(`/api/dashboard/service-time?${q}`));
  const [kiosk, setKiosk] = createSignal<string>();
  const [codes, setCodes] = createSignal<string[]>([]);
  const [kioskLabel, setKioskLabel] = createSignal('Tablet loket');

  async function openKiosk() {
    const r = await api<{ token: string }>('/api/ikm/kiosks', { method: 'POST', body: { service: service(), label: kioskLabel().trim() || 'Tablet' } });
    setKiosk(`/ikm/kios#t=${r.token}`);
  }
  async function invite() {
    const r = await api<{ codes: string[] }>('/api/ikm/invitations', { method: 'POST', body: { service: service(), count: 5 } });
    setCodes(r.codes);
  }

  return (
    <section class="card" data-testid="dashboard">
      <h1>{t('dash.title')}</h1>
      <div class="row">
        <label class="field"><span>{t('dash.from')}</span><input type="date" value={from()} onChange={(e) => setFrom(e.currentTarget.value)} /></label>
        <label class="field"><span>{t('dash.to')}</span><input type="date" value={to()} onChange={(e) => setTo(e.currentTarget.value)} /></label>
      </div>

      <h2>{t('dash.ikm')}</h2>
      <label class="field">
        <span>{t('dash.service')}</span>
        <select value={service()} onChange={(e) => setService(e.currentTarget.value)} data-testid="ikm-service">
          <For each={IKM_SERVICES}>{(s) => <option value={s}>{lbl(IKM_SERVICE_LABELS[s])}</option>}</For>
        </select>
      </label>
      <Show when={ikm.error}><p class="note note-bad" role="alert">{problemText(problemFromError(ikm.error))}</p></Show>
      <Show when={ikm()}>
        {(d) => (
          <div data-testid="ikm-dashboard">
            <Show when={d().score !== null} fallback={<p class="muted">{t('dash.noData')}</p>}>
              <p class="tile">
                <span>{t('dash.score')}: <strong data-testid="ikm-score">{fmt(d().score, 2)}</strong></span>{' '}
                <span>{t('dash.grade')}: <strong data-testid="ikm-grade">{d().grade}</strong></span>{' '}
                <span>{t('dash.respondents')}: <strong data-testid="ikm-respondents">{d().respondents}</strong></span>
              </p>
              <p class="small" data-testid="ikm-spreadsheet">{t('dash.spreadsheet', { score: fmt(d().spreadsheetScore, 2), grade: d().spreadsheetGrade ?? '' })}</p>
              <p class="small">
                {d().sample
                  ? t('dash.sample', { users: d().serviceUsers, required: d().sample!.required, verdict: d().sample!.sufficient ? t('dash.sampleOk') : t('dash.sampleShort') })
                  : t('dash.sampleUnknown')}
              </p>
              <Chart kind="bar" range={[1, 4]} labels={d().elements.map((e) => e.key.toUpperCase())} values={d().elements.map((e) => e.average)} testId="ikm-chart" />
              <table class="table-scroll" tabIndex={0} data-testid="ikm-elements">
                <thead><tr><th>{t('dash.element')}</th><th>{t('dash.average')}</th></tr></thead>
                <tbody><For each={d().elements}>{(e) => <tr><td>{e.key.toUpperCase()} {lbl(e.name)}</td><td>{fmt(e.average, 3)}</td></tr>}</For></tbody>
              </table>
              <h3>{t('dash.trend')}</h3>
              <Show when={d().trend.length > 1}><Chart kind="line" range={[25, 100]} labels={d().trend.map((m) => m.month)} values={d().trend.map((m) => m.score)} /></Show>
              <table class="table-scroll" tabIndex={0}>
                <thead><tr><th>{t('dash.month')}</th><th>{t('dash.respondents')}</th><th>{t('dash.score')}</th></tr></thead>
                <tbody><For each={d().trend}>{(m) => <tr><td>{m.month}</td><td>{m.respondents}</td><td>{fmt(m.score, 2)}</td></tr>}</For></tbody>
              </table>
            </Show>
            <p><a class="btn btn-quiet" href={`/api/ikm/export.csv?${ikmQuery()}`} download="ikm.csv">{t('dash.csv')}</a> <button class="btn btn-quiet" type="button" onClick={() => void refetchIkm()}>{t('common.retry')}</button></p>
          </div>
        )}
      </Show>

      <Show when={session.hasRole('admin', 'head_of_division', 'front_office', 'complaint_handler')}>
        <details>
          <summary>{t('dash.kiosk')}</summary>
          <div class="row">
            <label class="field"><span>{t('dash.kioskLabel')}</span><input value={kioskLabel()} onInput={(e) => setKioskLabel(e.currentTarget.value)} /></label>
            <button class="btn" type="button" onClick={() => void openKiosk()}>{t('dash.openKiosk')}</button>
            <button class="btn" type="button" onClick={() => void invite()}>{t('dash.invite')}</button>
          </div>
          <Show when={kiosk()}>{(href) => <p><a href={href()} data-testid="kiosk-link">{t('ikm.kioskTitle')}</a></p>}</Show>
          <Show when={codes().length}><ul class="mono">{<For each={codes()}>{(c) => <li>{location.origin}/ikm#undangan={c}</li>}</For>}</ul></Show>
        </details>
      </Show>

      <Show when={session.hasRole('head_of_division', 'head_of_office', 'admin')}>
        <h2>{t('dash.serviceTime')}</h2>
        <label class="field">
          <span>{t('dash.service')}</span>
          <select value={sopService()} onChange={(e) => setSopService(e.currentTarget.value)}>
            <For each={SOP_SERVICES}>{(s) => <option value={s}>{s === 'aduan' ? lbl(IKM_SERVICE_LABELS.aduan) : lbl(IKM_SERVICE_LABELS[s as 'ktpel' | 'ikd'])}</option>}</For>
          </select>
        </label>
        <Show when={st.error}><p class="note note-bad" role="alert">{problemText(problemFromError(st.error))}</p></Show>
        <Show when={st()}>
          {(r) => (
            <div data-testid="service-time">
              <Chart kind="bar" labels={r().steps.map((s) => s.state)} values={r().steps.map((s) => s.medianMinutes)} />
              <table class="table-scroll" tabIndex={0}>
                <thead><tr><th>{t('dash.step')}</th><th>{t('dash.count')}</th><th>{t('dash.median')}</th><th>{t('dash.p90')}</th><th>{t('dash.standard')}</th><th>{t('dash.overrunShare')}</th><th>{t('dash.overdueNow')}</th></tr></thead>
                <tbody>
                  <For each={r().steps}>
                    {(s) => (
                      <tr>
                        <td>{lbl(s.label)}</td><td>{s.count}</td><td>{fmt(s.medianMinutes)}</td><td>{fmt(s.p90Minutes)}</td><td>{s.standardMinutes ?? '—'}</td>
                        <td>{s.overrunShare === null ? '—' : `${Math.round(s.overrunShare * 100)}%`}</td><td>{s.overdueNow}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
              <p><a class="btn btn-quiet" href={`/api/dashboard/service-time.csv?${stQuery()}`} download="waktu-layanan.csv">{t('dash.csv')}</a></p>
            </div>
          )}
        </Show>
      </Show>
    </section>
  );
}

export default Dashboard;
