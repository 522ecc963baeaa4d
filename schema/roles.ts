/** Staff roles of a Disdukcapil office, and the resident; names used in code, labels in the UI (id first). */
export const STAFF_ROLES = [
  'admin',
  'front_office',
  'operator',
  'verifier',
  'head_of_division',
  'head_of_office',
  'partner_operator',
  'field_officer',
  'complaint_handler',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type Role = StaffRole | 'resident';

export const ROLE_LABELS: Record<Role, { id: string; en: string }> = {
  admin: { id: 'Admin', en: 'Admin' },
  front_office: { id: 'Petugas loket (FO)', en: 'Front office' },
  operator: { id: 'Operator SIAK', en: 'SIAK operator' },
  verifier: { id: 'Verifikator', en: 'Verifier' },
  head_of_division: { id: 'Kepala bidang', en: 'Head of division' },
  head_of_office: { id: 'Kepala dinas', en: 'Head of office' },
  partner_operator: { id: 'Operator mitra (RS/bidan)', en: 'Partner operator' },
  field_officer: { id: 'Petugas RETAS', en: 'Field officer' },
  complaint_handler: { id: 'Pengelola aduan', en: 'Complaint handler' },
  resident: { id: 'Pemohon', en: 'Resident' },
};
