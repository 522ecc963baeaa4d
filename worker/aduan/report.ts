/**
 * The monthly complaints report for the coordination meeting (seed 004's performance evaluation): counts by
 * channel and by stage, and how many resolutions met their clock, as numbers and as a one-page PDF (documents module).
 */
import { aduanDueAt, resolutionDaysFor } from '../../schema/aduan/sla';
import { addWorkingDays, localToMs } from '../../schema/service-time';
import { ADUAN_CHANNELS, ADUAN_SLA, aduanStates, publicStatus } from '../../schema/workflows/aduan';
import { complaintsReceivedBetween, getAduanSettings } from '../db/aduan';
import { findOffice } from '../db/offices';
import { renderPdf } from '../documents/pdf';
import { ApiError } from '../errors';
import { hoursOf } from './service';

export interface MonthlyReport {
  officeCode: string;
  officeName: string;
  month: string;
  total: number;
  byChannel: Record<string, number>;
  byState: Record<string, number>;
  /** Resolved: within the handling clock or late; open: still running or already overdue. */
  sla: { resolvedOnTime: number; resolvedLate: number; openOnTime: number; openOverdue: number };
}

/** Complaints received in the office's local month `YYYY-MM`, counted as of `now`. */
export async function monthlyReport(db: D1Database, officeCode: string, month: string, now = Date.now()): Promise<MonthlyReport> {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new ApiError('validation_failed', 'Bulan: YYYY-MM / month: YYYY-MM');
  const [hours, settings, office] = await Promise.all([hoursOf(db, officeCode), getAduanSettings(db, officeCode), findOffice(db, officeCode)]);
  const next = m[2] === '12' ? `${Number(m[1]) + 1}-01` : `${m[1]}-${String(Number(m[2]) + 1).padStart(2, '0')}`;
  const rows = await complaintsReceivedBetween(db, officeCode, localToMs(hours.timeZone, `${month}-01T00:00`), localToMs(hours.timeZone, `${next}-01T00:00`));
  const report: MonthlyReport = {
    officeCode, officeName: office?.name ?? officeCode, month, total: rows.length,
    byChannel: Object.fromEntries(ADUAN_CHANNELS.map((c) => [c, 0])), byState: Object.fromEntries(aduanStates.map((s) => [s, 0])),
    sla: { resolvedOnTime: 0, resolvedLate: 0, openOnTime: 0, openOverdue: 0 },
  };
  for (const r of rows) {
    report.byChannel[r.channel] = (report.byChannel[r.channel] ?? 0) + 1;
    report.byState[r.state] = (report.byState[r.state] ?? 0) + 1;
    const data = JSON.parse(r.data_json) as Record<string, unknown>;
    const resolutionDays = resolutionDaysFor(data.resolutionClass, settings?.resolution_days_json);
    if (r.state === 'resolved' && r.resolved_at !== null) {
      // The handling clock the complaint ran on: from routing (or arrival, if never routed) by its class's days.
      const due = addWorkingDays(hours, r.routed_at ?? r.received_at, resolutionDays ?? ADUAN_SLA.followUpWorkingDays);
      if (due !== null && r.resolved_at <= due) report.sla.resolvedOnTime++;
      else report.sla.resolvedLate++;
      continue;
    }
    const due = aduanDueAt(hours, {
      state: r.state, stepStartedAt: r.step_started_at, routedAt: r.routed_at, postponeUntil: typeof data.postponeUntil === 'string' ? data.postponeUntil : undefined, resolutionDays,
    });
    if (due === null) continue;
    if (now > due) report.sla.openOverdue++;
    else report.sla.openOnTime++;
  }
  return report;
}

const CHANNEL_NAMES: Record<string, string> = {
  web: 'Formulir web', whatsapp: 'WhatsApp', email: 'Email', box: 'Kotak saran', phone: 'Telepon', walk_in: 'Datang langsung', lapor: 'SP4N-LAPOR!',
};

/** The report as one A4 page; `subject` repeats the key figures for search and for checking the file. */
export async function monthlyReportPdf(r: MonthlyReport, now = Date.now()): Promise<Uint8Array> {
  const resolved = r.sla.resolvedOnTime + r.sla.resolvedLate;
  const pct = resolved === 0 ? '–' : `${Math.round((r.sla.resolvedOnTime / resolved) * 1000) / 10}%`;
  const lines = (entries: [string, number][]) => entries.filter(([, n]) => n > 0).map(([k, n]) => `${k}: ${n}`).join('\n') || '(tidak ada)';
  return renderPdf({
    title: `LAPORAN BULANAN PENGADUAN ${r.month}`,
    subject: `office=${r.officeCode} month=${r.month} total=${r.total} resolvedOnTime=${r.sla.resolvedOnTime} resolvedLate=${r.sla.resolvedLate} openOnTime=${r.sla.openOnTime} openOverdue=${r.sla.openOverdue}`,
    createdAt: new Date(now),
    blocks: [
      { text: r.officeName, size: 12, align: 'center' },
      { text: `Laporan bulanan pengaduan, saran dan masukan: ${r.month}`, size: 12, align: 'center', gap: 4 },
      { text: `Jumlah aduan diterima: ${r.total}`, size: 11, gap: 18 },
      { text: 'Menurut kanal', size: 11, gap: 12 },
      { text: lines(Object.entries(r.byChannel).map(([k, n]) => [CHANNEL_NAMES[k] ?? k, n])), size: 10 },
      { text: 'Menurut tahap saat ini', size: 11, gap: 12 },
      { text: lines(Object.entries(r.byState).map(([k, n]) => [publicStatus(k).id, n])), size: 10 },
      { text: 'Batas waktu penyelesaian', size: 11, gap: 12 },
      {
        text: `Selesai tepat waktu: ${r.sla.resolvedOnTime}\nSelesai terlambat: ${r.sla.resolvedLate}\nTepat waktu dari yang selesai: ${pct}\n` +
          `Masih berjalan, belum lewat batas: ${r.sla.openOnTime}\nMasih berjalan, lewat batas: ${r.sla.openOverdue}`,
        size: 10,
      },
    ],
  });
}
