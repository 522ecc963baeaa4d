/**
 * The PWA's route table: every screen's path and who may open it. App.tsx builds the router from it, and the
 * browser suite's accessibility check (tests/e2e/a11y.test.ts) walks it, so a screen added here is checked too.
 */
import { type Role, STAFF_ROLES, type StaffRole } from '../../schema/roles';

/** Who opens a screen: anyone (no account), signed-in staff with one of `roles`, or a resident with a session. */
export type RouteAccess = { kind: 'public' } | { kind: 'staff'; roles: readonly StaffRole[] } | { kind: 'resident' };

export interface AppRoute {
  path: string;
  access: RouteAccess;
}

const PUBLIC: RouteAccess = { kind: 'public' };
const ALL_STAFF: RouteAccess = { kind: 'staff', roles: STAFF_ROLES };
const staff = (...roles: StaffRole[]): RouteAccess => ({ kind: 'staff', roles });

/**
 * The roles each SOP table names in its actions, and those of its `submit` action. A copy, so that the route table
 * (imported by the shell) does not load the SOP tables and their zod schemas into the first screen; routes.test.ts
 * checks it against schema/workflows.
 */
export const SOP_ROLES = {
  ktpel: { actions: ['front_office', 'resident', 'operator'], submit: ['front_office', 'resident'] },
  ikd: { actions: ['resident', 'operator'], submit: [] },
  birth: { actions: ['partner_operator', 'operator', 'verifier', 'head_of_office', 'front_office'], submit: ['partner_operator'] },
  retas: { actions: ['head_of_division', 'head_of_office', 'field_officer'], submit: [] },
} as const satisfies Record<string, { actions: readonly Role[]; submit: readonly Role[] }>;
type SopService = keyof typeof SOP_ROLES;

/** Staff who see a service's cases: those with a step in its SOP, and the admin and heads (as worker/case-view.ts). */
function caseViewers(service: SopService): RouteAccess {
  const involved = new Set<Role>(SOP_ROLES[service].actions);
  return staff(...STAFF_ROLES.filter((r) => involved.has(r) || r === 'admin' || r === 'head_of_division' || r === 'head_of_office'));
}

/** Staff who submit a service's applications (its `submit` action). */
function submitters(service: SopService): RouteAccess {
  const roles: readonly Role[] = SOP_ROLES[service].submit;
  return staff(...STAFF_ROLES.filter((r) => roles.includes(r)));
}

/** Who works the IKD operator queue (worker/ikd/views.ts) and who opens video-call slots (worker/ikd/slots.ts). */
export const IKD_QUEUE_ROLES = ['operator', 'front_office', 'admin', 'head_of_division', 'head_of_office'] as const satisfies readonly StaffRole[];
const IKD_SLOT_ROLES = ['operator', 'admin'] as const satisfies readonly StaffRole[];
/** Who works the complaints inbox (worker/aduan/service.ts INBOX_ROLES) and who reads the dashboards (worker/routes/dashboard.ts). */
export const ADUAN_INBOX_ROLES = ['complaint_handler', 'head_of_division', 'head_of_office', 'admin'] as const satisfies readonly StaffRole[];
/** Who sees RETAS events (worker/routes/retas-events.ts): the heads, the admin, and field officers on a letter. */
export const RETAS_ROLES = ['head_of_division', 'head_of_office', 'admin', 'field_officer'] as const satisfies readonly StaffRole[];
/** Who proposes a RETAS event (the SOP's `propose` action; routes.test.ts checks it). */
export const RETAS_PROPOSE_ROLES = ['head_of_division'] as const satisfies readonly StaffRole[];
export const DASHBOARD_ROLES = ['head_of_division', 'head_of_office', 'admin'] as const satisfies readonly StaffRole[];

export const ROUTES = [
  { path: '/login', access: PUBLIC },
  { path: '/', access: ALL_STAFF },
  { path: '/ktpel', access: ALL_STAFF },
  { path: '/ktpel/new', access: submitters('ktpel') },
  { path: '/ktpel/ambil', access: staff('front_office') },
  { path: '/ktpel/cetak', access: staff('operator') },
  { path: '/ktpel/:id', access: caseViewers('ktpel') },
  { path: '/ktpel/:id/resi', access: caseViewers('ktpel') },
  { path: '/v/resi', access: PUBLIC },
  { path: '/staff', access: staff('admin') },
  { path: '/kantor', access: staff('admin') },
  { path: '/outbox', access: ALL_STAFF },
  { path: '/ktp', access: PUBLIC },
  { path: '/cek', access: PUBLIC },
  { path: '/ikd', access: PUBLIC },
  { path: '/ikd/daftar', access: PUBLIC },
  { path: '/ikd/lanjut', access: PUBLIC },
  { path: '/ikd/masuk', access: PUBLIC },
  { path: '/ikd/akun', access: { kind: 'resident' } },
  { path: '/ikd/akun/ktpel', access: { kind: 'resident' } },
  { path: '/aktivasi', access: PUBLIC },
  { path: '/operator/ikd', access: staff(...IKD_QUEUE_ROLES) },
  { path: '/operator/ikd/jadwal', access: staff(...IKD_SLOT_ROLES) },
  { path: '/operator/ikd/:id', access: caseViewers('ikd') },
  { path: '/aduan', access: PUBLIC },
  { path: '/aduan/lacak', access: PUBLIC },
  { path: '/ikm', access: PUBLIC },
  { path: '/ikm/kios', access: PUBLIC },
  { path: '/aduan/kotak', access: staff(...ADUAN_INBOX_ROLES) },
  { path: '/aduan/kotak/:id', access: staff(...ADUAN_INBOX_ROLES) },
  { path: '/dasbor', access: staff(...DASHBOARD_ROLES) },
  { path: '/akta', access: caseViewers('birth') },
  { path: '/akta/baru', access: submitters('birth') },
  { path: '/akta/mitra', access: staff('admin') },
  { path: '/akta/syarat', access: staff('admin') },
  { path: '/akta/:id', access: caseViewers('birth') },
  { path: '/v/akta', access: PUBLIC },
  // RETAS (issue 12): events, the proposal form, one event, the tablet's roster; the public schedule and letter check.
  { path: '/retas', access: staff(...RETAS_ROLES) },
  { path: '/retas/baru', access: staff(...RETAS_PROPOSE_ROLES) },
  { path: '/retas/jadwal', access: PUBLIC },
  { path: '/retas/:id', access: staff(...RETAS_ROLES) },
  { path: '/retas/:id/rekam', access: staff('field_officer') },
  { path: '/v/surat-tugas', access: PUBLIC },
  // Unknown paths: a visitor without a session is sent to sign in, so only staff ever see this screen.
  { path: '*404', access: ALL_STAFF },
] as const satisfies readonly AppRoute[];

export type RoutePath = (typeof ROUTES)[number]['path'];

/**
 * Paths the shell shows without a staff session (the resident's own pages check their session themselves).
 * The resident's account page is among them: residents have no staff sign-in to be sent to.
 */
export const NO_STAFF_SESSION_PATHS: ReadonlySet<string> = new Set(
  ROUTES.filter((r) => r.access.kind !== 'staff').map((r) => r.path),
);
