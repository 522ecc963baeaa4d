/** Routes and the shell around every page: header, connection badge, update prompt, sign-in guard. */
import { A, Navigate, type RouteDefinition, Router, type RouteSectionProps, useLocation } from '@solidjs/router';
import { type Component, type JSX, Match, Show, Suspense, Switch, createEffect, createSignal, lazy, on, onMount } from 'solid-js';
import { LangSwitch } from './components/LangSwitch';
import { NetBadge } from './components/NetBadge';
import { Home } from './features/home/Home';
import { IKD_QUEUE_ROLES, KTPEL_ROLES } from './features/home/services';
import { SignIn } from './features/auth/SignIn';
import { focusHeading } from './focus';
import { t } from './i18n';
import { ADUAN_INBOX_ROLES, DASHBOARD_ROLES, NO_STAFF_SESSION_PATHS, RETAS_ROLES, ROUTES, type RoutePath } from './routes';
import { SessionProvider, useSession } from './state/session';
import { SyncProvider } from './state/sync';

// Each screen loads when opened: the first screen carries only the shell (no SOP schemas, zod or Dexie). The
// service worker precaches every chunk, so all of them still open offline.
const named = <K extends string>(load: () => Promise<Record<K, () => JSX.Element>>, name: K) => lazy(async () => ({ default: (await load())[name] }));
const CaseList = named(() => import('./features/ktpel/CaseList'), 'CaseList');
const CaseDetail = named(() => import('./features/ktpel/CaseDetail'), 'CaseDetail');
const NewApplication = named(() => import('./features/ktpel/NewApplication'), 'NewApplication');
const OutboxPage = named(() => import('./features/outbox/OutboxPage'), 'OutboxPage');
// Staff admin is online-only and rarely used: keep it out of the first bundle.
const StaffPage = lazy(() => import('./features/staff/StaffPage'));
const OfficePage = lazy(() => import('./features/office/OfficePage'));
// The printed KTP-el receipt and its public check page (opened from the receipt's QR, no account).
const ReceiptPage = lazy(() => import('./features/ktpel/ReceiptPage'));
const ReceiptCheckPage = lazy(() => import('./features/ktpel/ReceiptCheckPage'));
const PickupPage = lazy(() => import('./features/ktpel/PickupPage'));
const PrintBatch = lazy(() => import('./features/ktpel/PrintBatch'));
// Digital KTP: the resident's QR and the checker need no staff account, and load their crypto only when opened.
const KtpPage = lazy(() => import('./features/ktp/KtpPage'));
const CheckerPage = lazy(() => import('./features/ktp/CheckerPage'));
// IKD: the resident's pages (no staff account; the email link opens /aktivasi) and the operator's queue.
// Their texts come with them (features/ikd/messages.ts registers itself with t() when it loads).
const ikdPage = <K extends string>(load: () => Promise<Record<K, () => JSX.Element>>, name: K) =>
  lazy(async () => {
    const [mod] = await Promise.all([load(), import('./features/ikd/messages')]);
    return { default: mod[name] };
  });
// The IKD entry shows before the IKD dictionary: its texts are in the shell's (features/ikd/shell-messages.ts).
const IkdHome = named(() => import('./features/ikd/IkdHome'), 'IkdHome');
const IkdRegister = ikdPage(() => import('./features/ikd/Register'), 'Register');
const IkdResume = ikdPage(() => import('./features/ikd/Resume'), 'Resume');
const IkdSignIn = ikdPage(() => import('./features/ikd/ResidentSignIn'), 'ResidentSignIn');
const IkdAccount = ikdPage(() => import('./features/ikd/Account'), 'Account');
const IkdKtpel = ikdPage(() => import('./features/ikd/KtpelApply'), 'KtpelApply');
const IkdActivation = ikdPage(() => import('./features/ikd/Activation'), 'Activation');
const IkdQueue = ikdPage(() => import('./features/ikd-operator/Queue'), 'Queue');
const IkdOperatorCase = ikdPage(() => import('./features/ikd-operator/OperatorCase'), 'OperatorCase');
const IkdSlots = ikdPage(() => import('./features/ikd-operator/SlotsAdmin'), 'SlotsAdmin');
// Complaints and the IKM survey (issue 11): public form, tracking and survey pages; the handlers' inbox; dashboards.
const AduanForm = lazy(() => import('./features/aduan/PublicForm'));
const AduanTrack = lazy(() => import('./features/aduan/TrackPage'));
const IkmSurvey = lazy(() => import('./features/aduan/SurveyPage'));
const AduanInbox = lazy(() => import('./features/aduan/Inbox'));
const AduanDetail = lazy(() => import('./features/aduan/ComplaintDetail'));
const Dashboard = lazy(() => import('./features/dashboard/Dashboard'));
// Birth certificates through partners (issue 10): the partner form, the office screens, the public check page.
const BirthList = lazy(() => import('./features/birth/BirthList'));
const BirthForm = lazy(() => import('./features/birth/BirthForm'));
const BirthCase = lazy(() => import('./features/birth/BirthCase'));
const BirthVerify = lazy(() => import('./features/birth/VerifyPage'));
// The office admin's partners and required documents (online only, rarely used).
const BirthPartners = lazy(() => import('./features/birth/PartnersPage'));
const BirthRequirements = lazy(() => import('./features/birth/RequirementsPage'));
// The partner clerk's background uploader (Dexie, the upload queue) loads only for that role, not in the first screen.
const BirthUploader = lazy(async () => ({ default: (await import('./features/birth/Uploader')).BirthUploader }));
// A complaint handler's answer files waiting for the network, likewise only for the roles that answer.
const AduanAnswerUploader = lazy(async () => ({ default: (await import('./features/aduan/AnswerUploader')).AduanAnswerUploader }));
// The service worker's registration and its update prompt (workbox-window) wait until the first screen is drawn:
// a first visit does not need them to show anything, and a later one is already served by the installed worker.
const UpdatePrompt = lazy(async () => ({ default: (await import('./components/UpdatePrompt')).UpdatePrompt }));
// RETAS (issue 12): the office's screens, the tablet's roster (papaparse loads only there), the public pages.
const RetasList = lazy(() => import('./features/retas/RetasList'));
const RetasNew = lazy(() => import('./features/retas/RetasNew'));
const RetasCase = lazy(() => import('./features/retas/RetasCase'));
const RetasRoster = lazy(() => import('./features/retas/RosterPage'));
const RetasSchedule = lazy(() => import('./features/retas/PublicSchedule'));
const RetasLetterCheck = lazy(() => import('./features/retas/LetterCheck'));
const PUBLIC_PATHS = NO_STAFF_SESSION_PATHS;

function Shell(props: RouteSectionProps) {
  const session = useSession();
  const location = useLocation();
  const onSignIn = () => PUBLIC_PATHS.has(location.pathname);
  // After an in-app navigation, keyboard and screen-reader users start at the new screen's heading (not on load).
  createEffect(on(() => location.pathname, () => focusHeading(), { defer: true }));
  // Background work (the service worker's registration, the partner clerk's uploader and its Dexie) starts once the
  // first screen is drawn and the browser is idle, as the sync engine does: the first screen does not wait for it.
  const [idle, setIdle] = createSignal(false);
  onMount(() => ('requestIdleCallback' in window ? requestIdleCallback(() => setIdle(true), { timeout: 1000 }) : setTimeout(() => setIdle(true), 200)));
  return (
    <>
      <a class="skip" href="#main">{t('app.skip')}</a>
      <header class="top">
        <A href="/" class="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span>
            <strong>{t('app.name')}</strong>
            <small>{t('app.subtitle')}</small>
            <span class="sr-only"> — {t('nav.home')}</span>
          </span>
        </A>
        <NetBadge />
        <div class="top-end">
          <LangSwitch />
          <Show when={session.user()}>
            {(u) => (
              <button class="btn btn-quiet" data-testid="sign-out" onClick={() => void session.logout()}>
                {t('nav.signOut')} <span class="muted">({u().username})</span>
              </button>
            )}
          </Show>
        </div>
      </header>
      <Show when={session.user()}>
        <nav class="tabs" aria-label={t('nav.menu')}>
          <A href="/" end>{t('nav.home')}</A>
          {/* Only roles that work or follow KTP-el see its tab (a RETAS officer would find it empty). */}
          <Show when={session.hasRole(...KTPEL_ROLES)}>
            <A href="/ktpel">{t('nav.ktpel')}</A>
          </Show>
          <Show when={session.hasRole('partner_operator', 'operator', 'verifier', 'head_of_office', 'front_office', 'admin', 'head_of_division')}>
            <A href="/akta">{t('nav.birth')}</A>
          </Show>
          <Show when={session.hasRole(...IKD_QUEUE_ROLES)}>
            <A href="/operator/ikd">{t('nav.ikdQueue')}</A>
          </Show>
          <Show when={session.hasRole(...ADUAN_INBOX_ROLES)}>
            <A href="/aduan/kotak">{t('nav.aduan')}</A>
          </Show>
          <Show when={session.hasRole(...RETAS_ROLES)}>
            <A href="/retas">{t('nav.retas')}</A>
          </Show>
          <Show when={session.hasRole(...DASHBOARD_ROLES)}>
            <A href="/dasbor">{t('nav.dashboard')}</A>
          </Show>
          <Show when={session.hasRole('admin')}>
            <A href="/staff">{t('nav.staff')}</A>
            <A href="/kantor">{t('nav.office')}</A>
          </Show>
          <A href="/outbox">{t('nav.outbox')}</A>
        </nav>
      </Show>
      <Show when={idle()}>
        <Suspense>
          <UpdatePrompt />
          <Show when={session.hasRole('partner_operator')}>
            <BirthUploader />
          </Show>
          <Show when={session.hasRole('complaint_handler', 'head_of_division')}>
            <AduanAnswerUploader />
          </Show>
        </Suspense>
      </Show>
      <main id="main" class="page">
        <Switch>
          <Match when={!session.ready()}>
            <p class="muted">{t('common.loading')}</p>
          </Match>
          <Match when={!session.user() && !onSignIn()}>
            <Navigate href={`/login?next=${encodeURIComponent(location.pathname)}`} />
          </Match>
          <Match when={true}>{props.children}</Match>
        </Switch>
        {/* With the form, not before it: shown under "Memuat…" it would jump down when the form replaces that line. */}
        <Show when={location.pathname === '/login' && session.ready()}>
          <p class="small" style={{ 'text-align': 'center' }}>
            <A href="/ikd" data-testid="resident-link">{t('auth.residentLink')}</A>
            <br />
            <A href="/aduan" data-testid="aduan-link">{t('aduan.publicLink')}</A>
          </p>
        </Show>
      </main>
    </>
  );
}

function NotFound(): JSX.Element {
  return (
    <section data-testid="not-found">
      <h1>{t('common.notFound')}</h1>
      <A href="/">{t('nav.home')}</A>
    </section>
  );
}

/** The screen of each path in the route table (web/src/routes.ts): a path without a screen does not compile. */
const SCREENS: Record<RoutePath, Component> = {
  '/login': SignIn,
  '/': Home,
  '/ktpel': CaseList,
  '/ktpel/new': NewApplication,
  '/ktpel/ambil': PickupPage,
  '/ktpel/cetak': PrintBatch,
  '/ktpel/:id': CaseDetail,
  '/ktpel/:id/resi': ReceiptPage,
  '/v/resi': ReceiptCheckPage,
  '/staff': StaffPage,
  '/kantor': OfficePage,
  '/outbox': OutboxPage,
  '/ktp': KtpPage,
  '/cek': CheckerPage,
  '/ikd': IkdHome,
  '/ikd/daftar': IkdRegister,
  '/ikd/lanjut': IkdResume,
  '/ikd/masuk': IkdSignIn,
  '/ikd/akun': IkdAccount,
  '/ikd/akun/ktpel': IkdKtpel,
  '/aktivasi': IkdActivation,
  '/operator/ikd': IkdQueue,
  '/operator/ikd/jadwal': IkdSlots,
  '/operator/ikd/:id': IkdOperatorCase,
  '/aduan': AduanForm,
  '/aduan/lacak': AduanTrack,
  '/aduan/kotak': AduanInbox,
  '/aduan/kotak/:id': AduanDetail,
  '/ikm': IkmSurvey,
  '/ikm/kios': IkmSurvey,
  '/dasbor': Dashboard,
  '/akta': BirthList,
  '/akta/baru': BirthForm,
  '/akta/mitra': BirthPartners,
  '/akta/syarat': BirthRequirements,
  '/akta/:id': BirthCase,
  '/v/akta': BirthVerify,
  '/retas': RetasList,
  '/retas/baru': RetasNew,
  '/retas/jadwal': RetasSchedule,
  '/retas/:id': RetasCase,
  '/retas/:id/rekam': RetasRoster,
  '/v/surat-tugas': RetasLetterCheck,
  '*404': NotFound,
};
const ROUTER_ROUTES: RouteDefinition[] = ROUTES.map((r) => ({ path: r.path, component: SCREENS[r.path] }));

export function App() {
  return (
    <SessionProvider>
      <SyncProvider>
        <Router root={Shell}>{ROUTER_ROUTES}</Router>
      </SyncProvider>
    </SessionProvider>
  );
}
