/** Routes and the shell around every page: header, connection badge, update prompt, sign-in guard. */
import { A, Navigate, Route, Router, type RouteSectionProps, useLocation } from '@solidjs/router';
import { type JSX, Match, Show, Switch, lazy } from 'solid-js';
import { LangSwitch } from './components/LangSwitch';
import { NetBadge } from './components/NetBadge';
import { UpdatePrompt } from './components/UpdatePrompt';
import { CaseDetail } from './features/ktpel/CaseDetail';
import { CaseList } from './features/ktpel/CaseList';
import { NewApplication } from './features/ktpel/NewApplication';
import { OutboxPage } from './features/outbox/OutboxPage';
import { BirthUploader } from './features/birth/Uploader';
import { Home } from './features/home/Home';
import { SignIn } from './features/auth/SignIn';
import { t } from './i18n';
import { SessionProvider, useSession } from './state/session';
import { SyncProvider } from './state/sync';

// Staff admin is online-only and rarely used: keep it out of the first bundle.
const StaffPage = lazy(() => import('./features/staff/StaffPage'));
const OfficePage = lazy(() => import('./features/office/OfficePage'));
// The printed KTP-el receipt and its public check page (opened from the receipt's QR, no account).
const ReceiptPage = lazy(() => import('./features/ktpel/ReceiptPage'));
const ReceiptCheckPage = lazy(() => import('./features/ktpel/ReceiptCheckPage'));
// Digital KTP: the resident's QR and the checker need no staff account, and load their crypto only when opened.
const KtpPage = lazy(() => import('./features/ktp/KtpPage'));
const CheckerPage = lazy(() => import('./features/ktp/CheckerPage'));
// IKD: the resident's pages (no staff account; the email link opens /aktivasi) and the operator's queue.
const ikdPage = <K extends string>(load: () => Promise<Record<K, () => JSX.Element>>, name: K) => lazy(async () => ({ default: (await load())[name] }));
const IkdHome = ikdPage(() => import('./features/ikd/IkdHome'), 'IkdHome');
const IkdRegister = ikdPage(() => import('./features/ikd/Register'), 'Register');
const IkdResume = ikdPage(() => import('./features/ikd/Resume'), 'Resume');
const IkdSignIn = ikdPage(() => import('./features/ikd/ResidentSignIn'), 'ResidentSignIn');
const IkdAccount = ikdPage(() => import('./features/ikd/Account'), 'Account');
const IkdActivation = ikdPage(() => import('./features/ikd/Activation'), 'Activation');
const IkdQueue = ikdPage(() => import('./features/ikd-operator/Queue'), 'Queue');
const IkdOperatorCase = ikdPage(() => import('./features/ikd-operator/OperatorCase'), 'OperatorCase');
const IkdSlots = ikdPage(() => import('./features/ikd-operator/SlotsAdmin'), 'SlotsAdmin');
// Birth certificates through partners (issue 10): the partner form, the office screens, the public check page.
const BirthList = lazy(() => import('./features/birth/BirthList'));
const BirthForm = lazy(() => import('./features/birth/BirthForm'));
const BirthCase = lazy(() => import('./features/birth/BirthCase'));
const BirthVerify = lazy(() => import('./features/birth/VerifyPage'));
const IKD_PUBLIC = ['/ikd', '/ikd/daftar', '/ikd/lanjut', '/ikd/masuk', '/ikd/akun', '/aktivasi'];
const PUBLIC_PATHS = new Set(['/login', '/ktp', '/cek', '/v/resi', '/v/akta', ...IKD_PUBLIC]);

function Shell(props: RouteSectionProps) {
  const session = useSession();
  const location = useLocation();
  const onSignIn = () => PUBLIC_PATHS.has(location.pathname);
  return (
    <>
      <a class="skip" href="#main">{t('app.skip')}</a>
      <header class="top">
        <A href="/" class="brand" aria-label={t('nav.home')}>
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span>
            <strong>{t('app.name')}</strong>
            <small>{t('app.subtitle')}</small>
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
          <A href="/ktpel">{t('nav.ktpel')}</A>
          <Show when={session.hasRole('partner_operator', 'operator', 'verifier', 'head_of_office', 'front_office', 'admin', 'head_of_division')}>
            <A href="/akta">{t('nav.birth')}</A>
          </Show>
          <Show when={session.hasRole('operator', 'front_office', 'admin', 'head_of_division', 'head_of_office')}>
            <A href="/operator/ikd">{t('nav.ikdQueue')}</A>
          </Show>
          <Show when={session.hasRole('admin')}>
            <A href="/staff">{t('nav.staff')}</A>
            <A href="/kantor">{t('nav.office')}</A>
          </Show>
          <A href="/outbox">{t('nav.outbox')}</A>
        </nav>
      </Show>
      <UpdatePrompt />
      <Show when={session.hasRole('partner_operator')}>
        <BirthUploader />
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
        <Show when={location.pathname === '/login'}>
          <p class="small" style={{ 'text-align': 'center' }}>
            <A href="/ikd" data-testid="resident-link">{t('auth.residentLink')}</A>
          </p>
        </Show>
      </main>
    </>
  );
}

function NotFound(): JSX.Element {
  return (
    <section>
      <p>{t('common.notFound')}</p>
      <A href="/">{t('nav.home')}</A>
    </section>
  );
}

export function App() {
  return (
    <SessionProvider>
      <SyncProvider>
        <Router root={Shell}>
          <Route path="/login" component={SignIn} />
          <Route path="/" component={Home} />
          <Route path="/ktpel" component={CaseList} />
          <Route path="/ktpel/new" component={NewApplication} />
          <Route path="/ktpel/:id" component={CaseDetail} />
          <Route path="/ktpel/:id/resi" component={ReceiptPage} />
          <Route path="/v/resi" component={ReceiptCheckPage} />
          <Route path="/staff" component={StaffPage} />
          <Route path="/kantor" component={OfficePage} />
          <Route path="/outbox" component={OutboxPage} />
          <Route path="/akta" component={BirthList} />
          <Route path="/akta/baru" component={BirthForm} />
          <Route path="/akta/:id" component={BirthCase} />
          <Route path="/v/akta" component={BirthVerify} />
          <Route path="/ktp" component={KtpPage} />
          <Route path="/cek" component={CheckerPage} />
          <Route path="/ikd" component={IkdHome} />
          <Route path="/ikd/daftar" component={IkdRegister} />
          <Route path="/ikd/lanjut" component={IkdResume} />
          <Route path="/ikd/masuk" component={IkdSignIn} />
          <Route path="/ikd/akun" component={IkdAccount} />
          <Route path="/aktivasi" component={IkdActivation} />
          <Route path="/operator/ikd" component={IkdQueue} />
          <Route path="/operator/ikd/jadwal" component={IkdSlots} />
          <Route path="/operator/ikd/:id" component={IkdOperatorCase} />
          <Route path="*404" component={NotFound} />
        </Router>
      </SyncProvider>
    </SessionProvider>
  );
}
