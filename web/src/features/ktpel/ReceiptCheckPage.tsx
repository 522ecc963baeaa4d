/**
 * Public check of a KTP-el receipt (`/v/resi#t=…`), opened by any phone camera from the printed QR; no account.
 * Verifies against the office keys cached on this device (shared with the digital-KTP checker), so it works
 * offline once they were fetched; refreshes them (not the blocked-device list, which receipts do not use)
 * whenever the network answers.
 */
import '../../i18n/staff-screens'; // this screen's texts (registered with t() when loaded)
import { useLocation, useNavigate } from '@solidjs/router';
import { Show, createResource, createSignal } from 'solid-js';
import { Scanner } from '../../scanner/Scanner';
import { dateTime, ago, t, type MsgKey } from '../../i18n';
import { readLists, refreshKeys } from '../ktp/checker-store';
import { type ReceiptCheck, checkReceiptHash } from './receipt-check';
import { b64u } from '../../../../schema/ktp/bytes';
import { parseReceiptText } from '../../../../schema/receipt-qr';

const validOf = (c: ReceiptCheck) => (c.status === 'valid' ? c : undefined);

/**
 * The fragment of a scanned receipt QR: a link to this page with `#r=<compact receipt>` or, on receipts printed before
 * the compact format, `#t=<token>` (any origin; the keys decide). null when the QR is not a receipt link.
 */
export function tokenFromScan(bytes: Uint8Array): string | null {
  const text = new TextDecoder().decode(bytes).trim();
  const scanned = parseReceiptText(text);
  if (scanned.kind === 'compact') return `r=${b64u.encode(scanned.bytes)}`;
  if (scanned.kind === 'jwt') return `t=${scanned.token}`;
  return null;
}

export default function ReceiptCheckPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const [scanning, setScanning] = createSignal(false);
  const [notReceipt, setNotReceipt] = createSignal(false);
  function onBytes(bytes: Uint8Array): void {
    const token = tokenFromScan(bytes);
    setScanning(false);
    setNotReceipt(!token);
    if (token) navigate(`/v/resi#${token}`);
  }
  const [result] = createResource(
    () => location.hash,
    async (hash) => {
      if (!/[#&]?[rt]=/.test(hash)) return { check: undefined, keysAt: undefined };
      // Fresh keys when the network answers (a new key after rotation); the cached ones otherwise.
      await refreshKeys().catch(() => undefined);
      const lists = await readLists();
      const check = await checkReceiptHash(hash, lists.jwks?.value.keys, window.location.origin);
      return { check: check ?? undefined, keysAt: lists.jwks?.fetchedAt };
    },
  );
  return (
    <section>
      <h1>{t('rcheck.title')}</h1>
      <Show when={result()} fallback={<p class="muted">{t('common.loading')}</p>}>
        {(r) => (
          <Show when={r().check} fallback={<p class="note" data-testid="receipt-no-token">{t('rcheck.noToken')}</p>}>
            {(check) => (
              <div class="card" data-testid="receipt-check" data-status={check().status}>
                <Show when={validOf(check())} fallback={<p class="note note-bad"><strong>{t(`rcheck.${check().status}` as MsgKey)}</strong></p>}>
                  {(ok) => (
                    <>
                      <p class="note note-good"><strong>{t('rcheck.valid')}</strong></p>
                      <dl class="facts">
                        <dt>{t('receipt.number')}</dt>
                        <dd class="mono">{ok().claims.sub}</dd>
                        <dt>{t('receipt.name')}</dt>
                        <dd data-testid="receipt-check-name">{ok().claims.nm}</dd>
                        <dt>{t('receipt.nik')}</dt>
                        <dd class="mono">{ok().claims.nik}</dd>
                        <dt>{t('receipt.office')}</dt>
                        <dd>{ok().claims.offName || ok().claims.off}</dd>
                        <dt>{t('receipt.acceptedAt')}</dt>
                        <dd>{dateTime(ok().claims.acc, ok().claims.off)}</dd>
                        <dt>{t('receipt.validUntil')}</dt>
                        <dd>{dateTime(ok().expiresAt, ok().claims.off)}</dd>
                      </dl>
                    </>
                  )}
                </Show>
                <Show when={r().keysAt}>{(at) => <p class="small muted">{t('rcheck.keysAge', { time: ago(at()) })}</p>}</Show>
              </div>
            )}
          </Show>
        )}
      </Show>
      {/* A phone whose camera app does not open links (or a photo of the receipt): scan here, or from an image. */}
      <Show when={notReceipt()}>
        <p class="note note-bad" role="alert" data-testid="receipt-not-receipt">{t('rcheck.notReceiptQr')}</p>
      </Show>
      <Show
        when={scanning()}
        fallback={
          <button class="btn btn-primary" type="button" onClick={() => { setNotReceipt(false); setScanning(true); }} data-testid="receipt-scan">
            {result()?.check ? t('rcheck.scanAnother') : t('rcheck.scan')}
          </button>
        }
      >
        <div class="card">
          <Scanner onBytes={onBytes} />
          <button class="btn" type="button" onClick={() => setScanning(false)}>{t('rcheck.stop')}</button>
        </div>
      </Show>
    </section>
  );
}
