/**
 * Checker mode, usable without an account (a bank, clinic or office): scan a digital-KTP QR with the camera and
 * verify it on this device with the cached office keys and blocked list, online or not. Shows VALID with the data
 * the resident revealed, or exactly why not, and how old the cached lists are.
 */
import { Match, Show, Switch, createResource, createSignal, lazy, onMount } from 'solid-js';
import type { KtpCheck } from '../../../../schema/ktp';
import { focusWhenShown } from '../../focus';
import { ago, dateTime, duration } from '../../i18n';
import { NOTABLE_OFFSET_MS, clockTrust } from '../../clock';
import { createNow } from '../../state/ticks';
import { useSync } from '../../state/sync';
// The camera scanner loads when a scan starts (the zxing reader after it, on first frame).
const Scanner = lazy(async () => ({ default: (await import('../../scanner/Scanner')).Scanner }));
import { type CheckerLists, checkScanned, readLists, refreshBlocked, refreshLists } from './checker-store';
import { kt } from './texts';
import type { BirthCheckResult } from '../birth/check';
import { BIRTH_QR_FIRST_BYTE } from '../birth/qr-kind';
// A birth certificate's verifier and verdict (and their texts) load when one is scanned, not with the checker.
const BirthVerdict = lazy(async () => ({ default: (await import('../birth/BirthVerdict')).BirthVerdict }));
import './ktp.css';

const STALE_BLOCKED_MS = 24 * 60 * 60_000;
/** How long a scan waits for a fresh blocked list before it checks with the stored one. */
const BLOCKED_BEFORE_CHECK_TIMEOUT_MS = 4_000;

type Regions = typeof import('../../../../schema/regions');

export default function CheckerPage() {
  const sync = useSync();
  const now = createNow(15_000);
  const [lists, setLists] = createSignal<CheckerLists>({});
  // Until the stored lists are read, say nothing about them (not "never downloaded").
  const [listsRead, setListsRead] = createSignal(false);
  // Until the first refresh has answered (online), no warning about missing keys or an unknown clock: it would show
  // for a second and vanish, moving the buttons under the reader's finger.
  const [settled, setSettled] = createSignal(false);
  const [refreshing, setRefreshing] = createSignal(false);
  const [refreshFailed, setRefreshFailed] = createSignal(false);
  const [scanning, setScanning] = createSignal(false);
  const [result, setResult] = createSignal<KtpCheck>();
  // The same camera also checks birth certificates (issue 10): their QR starts with 'A', a digital KTP's with 'K'.
  const [birthResult, setBirthResult] = createSignal<BirthCheckResult>();
  // Whether the blocked list was refreshed just before this result (true), could not be (false), or the device was offline.
  const [blockedFresh, setBlockedFresh] = createSignal<boolean | 'offline'>();
  // Region names (issuing office, address district) load after a valid scan: the table is large, the first screen needn't wait.
  const [regions] = createResource(
    () => (result()?.status === 'valid' ? true : undefined),
    (): Promise<Regions> => import('../../../../schema/regions'),
  );

  async function refresh(): Promise<void> {
    setRefreshing(true);
    try {
      await refreshLists();
      setRefreshFailed(false);
    } catch {
      setRefreshFailed(true);
    } finally {
      setLists(await readLists());
      setRefreshing(false);
    }
  }

  onMount(async () => {
    setLists(await readLists());
    setListsRead(true);
    if (navigator.onLine) await refresh();
    setSettled(true);
  });

  async function onBytes(bytes: Uint8Array): Promise<void> {
    setScanning(false);
    if (bytes[0] === BIRTH_QR_FIRST_BYTE) {
      setResult(undefined);
      const { checkBirthQr } = await import('../birth/check');
      setBirthResult(await checkBirthQr(bytes));
    } else {
      setBirthResult(undefined);
      // A phone blocked minutes ago must not pass on an older list: online, fetch the list before accepting.
      if (sync.online()) {
        try {
          await refreshBlocked(undefined, BLOCKED_BEFORE_CHECK_TIMEOUT_MS);
          setBlockedFresh(true);
        } catch {
          setBlockedFresh(false);
        }
        setLists(await readLists());
      } else {
        setBlockedFresh('offline');
      }
      setResult(await checkScanned(bytes, lists()));
    }
    // The scanner (and its stop button) is gone: the verdict is where the checker reads and acts next.
    focusWhenShown('[data-testid=checker-result] h2');
    // Refresh in the background when the network is there, so the next scan uses current lists.
    if (navigator.onLine && !refreshing()) void refresh();
  }

  const age = (at: number | undefined) => (at ? kt('cek.age', { time: ago(at, now()) }) : listsRead() ? kt('cek.never') : '…');
  const clock = () => clockTrust(now());
  const clockText = () => {
    const c = clock();
    if (c.kind === 'unknown') return kt('cek.clockUnknown');
    if (c.kind === 'stale') return kt('cek.clockStale', { time: ago(c.learnedAt, now()) });
    return Math.abs(c.offsetMs) > NOTABLE_OFFSET_MS
      ? kt('cek.clockFixed', { diff: duration(c.offsetMs), time: ago(c.learnedAt, now()) })
      : kt('cek.clockOk', { time: ago(c.learnedAt, now()) });
  };
  const blockedStale = () => {
    const at = lists().blocked?.fetchedAt;
    return at !== undefined && now() - at > STALE_BLOCKED_MS;
  };

  /** Expiry names which part expired, with what to do about it. */
  function reasonText(r: KtpCheck): string {
    return r.status === 'expired' || r.status === 'not_yet_valid' ? (kt.maybe(`reason.${r.reason}`) ?? '') : '';
  }

  return (
    <section data-testid="checker-page">
      <h1>{kt('cek.title')}</h1>
      <p class="muted">{kt('cek.lead')}</p>
      <div class="card">
        <dl class="list-ages">
          <dt>{kt('cek.keys')}</dt>
          <dd data-testid="jwks-age" data-fetched-at={lists().jwks?.fetchedAt ?? ''}>
            {age(lists().jwks?.fetchedAt)}
            <Show when={lists().jwks}>{(j) => <span class="muted small"> ({j().value.keys.map((k) => k.kid).join(', ')})</span>}</Show>
          </dd>
          <dt>{kt('cek.blocked')}</dt>
          <dd data-testid="blocked-age" data-fetched-at={lists().blocked?.fetchedAt ?? ''}>
            {age(lists().blocked?.fetchedAt)}
            <Show when={lists().blocked}>{(b) => <span class="muted small"> ({b().value.thumbprints.length})</span>}</Show>
          </dd>
          <dt>{kt('cek.clock')}</dt>
          <dd data-testid="clock-state" data-kind={clock().kind}>{clockText()}</dd>
        </dl>
        <Show when={settled() && clock().kind !== 'synced'}>
          <p class="note note-warn" data-testid="clock-untrusted">{kt('cek.clockUntrusted')}</p>
        </Show>
        <Show when={settled() && !lists().jwks}>
          <p class="note note-warn">{kt('cek.noKeys')}</p>
        </Show>
        <Show when={blockedStale()}>
          <p class="note note-warn">{kt('cek.staleBlocked')}</p>
        </Show>
        <Show when={refreshFailed() && sync.online()}>
          <p class="note note-warn">{kt('cek.refreshFailed')}</p>
        </Show>
        <button class="btn" type="button" onClick={() => void refresh()} disabled={refreshing() || !sync.online()} data-testid="checker-refresh">
          {refreshing() ? kt('cek.refreshing') : kt('cek.refresh')}
        </button>
      </div>

      <Show when={birthResult()}>{(b) => <BirthVerdict result={b()} />}</Show>
      <Show when={result()}>
        {(r) => (
          <div class={`verdict ${r().status === 'valid' ? 'verdict-ok' : 'verdict-bad'}`} role="status" data-testid="checker-result" data-status={r().status} data-reason={r().reason}>
            <h2>{r().status === 'valid' ? kt('cek.valid') : kt('cek.invalid')}</h2>
            <p>
              <strong>{kt.maybe(`status.${r().status}`)}</strong> {reasonText(r())}
            </p>
            <Switch>
              <Match when={r().status === 'valid' && (r() as Extract<KtpCheck, { status: 'valid' }>)}>
                {(v) => (
                  <dl class="facts">
                    <dt>{kt('cek.name')}</dt>
                    <dd data-testid="holder-name">{v().holder.name}</dd>
                    <dt>{kt('cek.nik')}</dt>
                    <dd class="mono" data-testid="holder-nik">{v().holder.nik ?? v().holder.nikMasked}</dd>
                    <dt>{kt('cek.age17')}</dt>
                    <dd>{v().holder.ageOver17 ? kt('cek.yes') : kt('cek.no')}</dd>
                    <dt>{kt('cek.birthDate')}</dt>
                    <dd>{v().holder.birthDate ?? <span class="muted">{kt('cek.notShown')}</span>}</dd>
                    <dt>{kt('cek.address')}</dt>
                    <dd>
                      <Show when={v().holder.address} fallback={<span class="muted">{kt('cek.notShown')}</span>}>
                        {(a) => {
                          const names = () => regions()?.regionOfDistrict(a().districtCode);
                          return (
                            <>
                              {a().street}
                              <Show when={names()}>{(n) => <>, Kec. {n().district}, {n().regency}, {n().province}</>}</Show>
                            </>
                          );
                        }}
                      </Show>
                    </dd>
                    <dt>{kt('cek.office')}</dt>
                    <dd>
                      Disdukcapil {regions()?.regencyName(v().credential.officeCode) ?? v().credential.officeCode}
                    </dd>
                    <dt>{kt('cek.credentialUntil')}</dt>
                    <dd>{dateTime(v().credential.expiresAt * 1000, v().credential.officeCode)}</dd>
                    <dt>{kt('cek.shownAt')}</dt>
                    <dd>{dateTime(v().presentation.issuedAt * 1000, v().credential.officeCode)}</dd>
                  </dl>
                )}
              </Match>
            </Switch>
            <p class="muted small" data-testid="blocked-before-check" data-fresh={String(blockedFresh())}>
              <Show when={blockedFresh() === true} fallback={<Show when={blockedFresh() === false}>{kt('cek.blockedNotRefreshed', { time: age(lists().blocked?.fetchedAt) })} </Show>}>
                {kt('cek.blockedRefreshedNow')}{' '}
              </Show>
              {kt('cek.checkedWith', { keys: age(lists().jwks?.fetchedAt), blocked: age(lists().blocked?.fetchedAt) })}
            </p>
            <Show when={clock().kind !== 'synced' && (r().status === 'expired' || r().status === 'not_yet_valid')}>
              <p class="small"><strong>{kt('cek.clockUntrusted')}</strong></p>
            </Show>
          </div>
        )}
      </Show>

      <Show
        when={scanning()}
        fallback={
          <button
            class="btn btn-primary"
            type="button"
            disabled={!lists().jwks}
            onClick={() => {
              setResult(undefined);
              setBirthResult(undefined);
              setScanning(true);
            }}
            data-testid="checker-scan"
          >
            {result() ? kt('cek.scanAgain') : kt('cek.scan')}
          </button>
        }
      >
        <div class="card">
          <Scanner onBytes={(b) => void onBytes(b)} />
          <button class="btn" type="button" onClick={() => setScanning(false)}>{kt('cek.stop')}</button>
        </div>
      </Show>
    </section>
  );
}
