/**
 * Import of SP4N-LAPOR! exports (CSV or JSON) as complaints of the office. The LAPOR! tracking id becomes the
 * complaint's source reference, so importing the same file again creates nothing new.
 */
import Papa from 'papaparse';
import { newTrackingCode } from '../../schema/aduan/tracking';
import { DESCRIPTION_MAX } from '../../schema/workflows/aduan';
import { complaintBySource } from '../db/aduan';
import type { EngineContext } from '../engine';
import { ApiError } from '../errors';
import { channelSession, fileComplaint } from './service';

/** Column names seen in LAPOR! exports and their aliases, after lower-casing and turning spaces into "_". */
const COLUMNS = {
  id: ['tracking_id', 'id_tracking', 'no_tracking', 'nomor_tracking', 'id_laporan', 'id'],
  title: ['judul', 'judul_laporan', 'title', 'subjek'],
  description: ['isi_laporan', 'isi', 'laporan', 'deskripsi', 'description', 'uraian'],
  kind: ['klasifikasi', 'jenis_laporan', 'jenis', 'kategori_laporan'],
  anonymous: ['anonim', 'anonymous'],
  confidential: ['rahasia', 'confidential'],
  name: ['nama_pelapor', 'nama', 'name'],
  email: ['email', 'email_pelapor'],
  phone: ['telepon', 'no_hp', 'hp', 'phone', 'no_telepon'],
} as const;

export const MAX_IMPORT_ROWS = 1000;

export interface ImportReport {
  rows: number;
  created: { row: number; laporId: string; ticketNo: string }[];
  skipped: { row: number; laporId: string; ticketNo: string }[];
  errors: { row: number; code: string; detail: string }[];
}

const norm = (k: string) => k.trim().toLowerCase().replace(/[\s-]+/g, '_');

function pick(row: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = row[n];
    if (v !== undefined && v !== null && String(v).trim() !== '') return String(v).trim();
  }
  return undefined;
}

const yes = (v: string | undefined) => v !== undefined && /^(1|ya|y|yes|true)$/i.test(v);

function kindOf(v: string | undefined): 'pengaduan' | 'aspirasi' | 'permintaan_informasi' {
  const s = (v ?? '').toLowerCase();
  if (s.includes('aspirasi')) return 'aspirasi';
  if (s.includes('informasi')) return 'permintaan_informasi';
  return 'pengaduan';
}

/** Reads the file's rows (CSV with a header line, or a JSON array / { data: [...] }) with normalised keys. */
export function parseLaporFile(text: string, format: 'csv' | 'json'): Record<string, unknown>[] {
  let rows: unknown[];
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError('import_invalid', 'Berkas JSON rusak. / The JSON file is malformed.');
    }
    rows = Array.isArray(parsed) ? parsed : parsed && typeof parsed === 'object' && Array.isArray((parsed as { data?: unknown }).data) ? (parsed as { data: unknown[] }).data : [];
    if (!rows.length) throw new ApiError('import_invalid', 'JSON harus berupa daftar laporan. / JSON must be a list of reports.');
  } else {
    const out = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: norm });
    if (out.errors.some((e) => e.type === 'Quotes' || e.type === 'Delimiter')) {
      throw new ApiError('import_invalid', `CSV rusak pada baris ${(out.errors[0]?.row ?? 0) + 2}. / Malformed CSV near line ${(out.errors[0]?.row ?? 0) + 2}.`);
    }
    rows = out.data;
  }
  if (rows.length > MAX_IMPORT_ROWS) throw new ApiError('import_invalid', `Maksimal ${MAX_IMPORT_ROWS} laporan per berkas. / At most ${MAX_IMPORT_ROWS} reports per file.`);
  return rows.map((r) => (r && typeof r === 'object' ? Object.fromEntries(Object.entries(r).map(([k, v]) => [norm(k), v])) : {}));
}

/** Files every row not imported before; a row that fails is reported and the others go on. */
export async function importLapor(base: Omit<EngineContext, 'session'>, officeCode: string, rows: Record<string, unknown>[]): Promise<ImportReport> {
  const report: ImportReport = { rows: rows.length, created: [], skipped: [], errors: [] };
  const session = channelSession(officeCode, 'lapor');
  for (const [i, row] of rows.entries()) {
    const line = i + 1;
    const laporId = pick(row, COLUMNS.id);
    const description = pick(row, COLUMNS.description);
    if (!laporId || !description) {
      report.errors.push({ row: line, code: 'validation_failed', detail: 'Tracking ID dan isi laporan wajib ada. / Tracking id and report text are required.' });
      continue;
    }
    const seen = await complaintBySource(base.db, officeCode, 'lapor', laporId);
    if (seen) {
      report.skipped.push({ row: line, laporId, ticketNo: seen.ticket_no });
      continue;
    }
    const privacy = yes(pick(row, COLUMNS.anonymous)) ? 'anonim' : yes(pick(row, COLUMNS.confidential)) ? 'rahasia' : 'biasa';
    const title = pick(row, COLUMNS.title);
    const contact = privacy === 'anonim' ? {} : {
      ...(pick(row, COLUMNS.name) ? { name: pick(row, COLUMNS.name)!.slice(0, 120) } : {}),
      ...(pick(row, COLUMNS.email) ? { email: pick(row, COLUMNS.email) } : {}),
      ...(pick(row, COLUMNS.phone) ? { phone: pick(row, COLUMNS.phone) } : {}),
    };
    try {
      const filed = await fileComplaint({ ...base, now: Date.now() }, session, {
        channel: 'lapor', kind: kindOf(pick(row, COLUMNS.kind)), subjectService: 'lainnya', privacy,
        description: description.slice(0, DESCRIPTION_MAX), trackingCode: newTrackingCode(), sourceRef: laporId.slice(0, 200),
        ...(title && title.length >= 3 ? { title: title.slice(0, 200) } : {}),
        ...contact,
      } as never);
      report.created.push({ row: line, laporId, ticketNo: filed.ticketNo });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      report.errors.push({ row: line, code: err.code, detail: err.detail ?? err.message });
    }
  }
  return report;
}
