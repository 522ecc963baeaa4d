/**
 * Turns a signed birth case into its certificate document, right after the signing batch committed: canonical
 * content and its hash, the office-signed QR, the PDF, the TTE signature, R2, and the parent's WhatsApp and email
 * with the expiring download link (seed 002 steps 6–7). Idempotent: a certificate already issued is left as it is,
 * so a retry after a crash or a failed signature service simply finishes the job.
 */
import { contentHash, signCertificateQr, BIRTH_QR_MAX_VERSION } from '../../schema/birth-qr';
import { b64u } from '../../schema/ktp/bytes';
import { encodeQr } from '../../schema/ktp/qr';
import type { Child } from '../../schema/workflows/birth';
import * as bdb from '../db/birth';
import { getCase } from '../db/cases';
import { findOffice } from '../db/offices';
import type { Env } from '../env';
import { ApiError } from '../errors';
import { officeKeys } from '../keys';
import { renderPdf } from '../documents/pdf';
import { documentSigner, type SignerIdentity } from '../documents/signer';
import { documentLink, putDocument } from '../documents/store';
import { sha256Hex } from './hash';

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
/** @example longDate('2026-11-30') // "30 November 2026" */
export const longDate = (iso: string) => `${Number(iso.slice(8, 10))} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;

interface CaseData {
  child: Child;
  mother: { name: string };
  father?: { name: string };
  parentsMarriage: string;
  reporter: { name: string; phone: string; email?: string };
}

/** "6309-LT-30112026-0001" → office day (YYYY-MM-DD) and sequence. */
export function parseRegisterNo(no: string): { day: string; sequence: number } {
  const m = /^\d{4}-LT-(\d{2})(\d{2})(\d{4})-(\d+)$/.exec(no);
  if (!m) throw new Error(`not a register number: ${no}`);
  return { day: `${m[3]}-${m[2]}-${m[1]}`, sequence: Number(m[4]) };
}

/** Keyed by content too: a racing finisher (or a BSrE re-sign) never overwrites the file the database points to. */
export const documentKey = (c: bdb.CertificateRow, sha256: string) => `documents/birth/${c.office_code}/${c.register_no}-${sha256.slice(0, 16)}.pdf`;

export interface Issued {
  certificate: bdb.CertificateRow;
  qrVersion: number;
  timings: { pdfMs: number; signMs: number };
}

export async function issueCertificate(env: Env, registerNo: string, signer: SignerIdentity = {}, now = Date.now()): Promise<Issued> {
  const db = env.DB;
  const cert = await bdb.getCertificate(db, registerNo);
  if (!cert) throw new ApiError('certificate_not_found');
  const [row, office] = await Promise.all([getCase(db, cert.case_id), findOffice(db, cert.office_code)]);
  if (!row || !office) throw new ApiError('case_not_found');
  const d = JSON.parse(row.data_json) as CaseData;
  const { day, sequence } = parseRegisterNo(registerNo);
  const content = {
    registerNo,
    office: { code: office.code, name: office.name },
    child: { name: d.child.name, sex: d.child.sex, birthDate: d.child.birthDate, birthTime: d.child.birthTime, birthPlace: d.child.birthPlace, birthOrder: d.child.birthOrder },
    mother: d.mother.name,
    father: d.father?.name ?? null,
    parentsMarriage: d.parentsMarriage,
    signingDay: day,
  };
  if (cert.status !== 'pending_document') return { certificate: cert, qrVersion: cert.qr ? encodeQr(b64u.decode(cert.qr), BIRTH_QR_MAX_VERSION).version : 0, timings: { pdfMs: 0, signMs: 0 } };
  const hash = await contentHash(content);
  const { signing } = await officeKeys(env);
  const qrBytes = await signCertificateQr(signing.key, signing.kid, { officeCode: office.code, signingDay: day, sequence, childName: d.child.name, birthDate: d.child.birthDate, docHash: hash.slice(0, 32) });
  const symbol = encodeQr(qrBytes, BIRTH_QR_MAX_VERSION);

  const t0 = Date.now();
  const sex = d.child.sex === 'L' ? 'laki-laki' : 'perempuan';
  const parents = d.father ? `dari ayah ${d.father.name} dan ibu ${d.mother.name}` : `dari ibu ${d.mother.name}`;
  const pdf = await renderPdf({
    title: `Kutipan Akta Kelahiran ${registerNo}`,
    subject: registerNo,
    createdAt: new Date(cert.signed_at),
    blocks: [
      { text: 'REPUBLIK INDONESIA', size: 12, align: 'center' },
      { text: 'KUTIPAN AKTA KELAHIRAN', size: 18, align: 'center', gap: 6 },
      { text: `Nomor ${registerNo}`, size: 11, align: 'center', gap: 2 },
      { text: `Dinas Kependudukan dan Pencatatan Sipil ${office.name}`, size: 11, align: 'center', gap: 2 },
      { text: `Berdasarkan laporan kelahiran yang diterima melalui mitra pelayanan, di ${d.child.birthPlace} pada tanggal ${longDate(d.child.birthDate)} pukul ${d.child.birthTime} telah lahir:`, gap: 28 },
      { text: d.child.name, size: 20, align: 'center', gap: 12 },
      { text: `anak ke-${d.child.birthOrder}, ${sex}, ${parents}.`, gap: 12 },
      { text: `${office.name}, ${longDate(day)}`, gap: 36 },
      { text: 'Kepala Dinas Kependudukan dan Pencatatan Sipil', gap: 2 },
      { text: 'Ditandatangani secara elektronik', gap: 2, size: 9 },
    ],
    qr: {
      symbol,
      caption: [
        'Dokumen ini ditandatangani secara elektronik. Pindai kode QR dengan aplikasi Loket (menu Cek) untuk memeriksa keaslian, juga tanpa internet.',
        `Nomor register ${registerNo}. Keaslian berkas PDF dapat diperiksa di ${env.PUBLIC_ORIGIN}/v/akta`,
      ],
    },
  });
  const t1 = Date.now();
  const signed = await documentSigner(env).sign(pdf, signer);
  const t2 = Date.now();
  const key = documentKey(cert, await sha256Hex(signed.pdf));
  const { sha256 } = await putDocument(env, key, signed.pdf, { registerNo, provider: signed.provider, ...(signed.detachedSignature ? { signature: signed.detachedSignature } : {}) });
  const link = await documentLink(env, key, `akta-kelahiran-${registerNo}.pdf`, undefined, now);
  const subject = bdb.CERTIFICATE_MESSAGE_SUBJECT;
  const body = `Akta kelahiran ${d.child.name} sudah terbit, nomor ${registerNo}. Unduh (berlaku 7 hari): ${link}\nJika tautan tidak dapat dibuka, ambil di layanan drive-thru Disdukcapil ${office.name}.`;
  const notices = [bdb.notifyIfPendingDocument(db, registerNo, { channel: 'whatsapp', recipient: d.reporter.phone, subject, body, caseId: row.id }, now)];
  if (d.reporter.email) notices.push(bdb.notifyIfPendingDocument(db, registerNo, { channel: 'email', recipient: d.reporter.email, subject, body, caseId: row.id }, now));
  await db.batch([...notices, bdb.setCertificateDocument(db, registerNo, { contentHash: hash, pdfSha256: sha256, r2Key: key, qr: b64u.encode(qrBytes) })]);
  const after = (await bdb.getCertificate(db, registerNo))!;
  return { certificate: after, qrVersion: symbol.version, timings: { pdfMs: t1 - t0, signMs: t2 - t1 } };
}
