/**
 * The printable KTP-el receipt (seed 001 KTP-el step 2): number, applicant, office, acceptance time and a QR that
 * opens the public check page. Signed by the office, so it needs the server once; printing uses the browser's.
 */
import '../../i18n/staff-screens'; // this screen's texts (registered with t() when loaded)
import { A, useParams } from '@solidjs/router';
import { Show, createResource } from 'solid-js';
import type { Receipt } from '../../../../schema/receipt';
import { api, problemFromError } from '../../api';
import { QrCode } from '../../components/QrCode';
import { dateTime, problemText, t } from '../../i18n';
import { useSync } from '../../state/sync';

export default function ReceiptPage() {
  const params = useParams<{ id: string }>();
  const sync = useSync();
  const [receipt, { refetch }] = createResource(
    () => (sync.online() ? params.id : undefined),
    async (id) => (await api<{ receipt: Receipt }>(`/api/cases/${encodeURIComponent(id)}/receipt`)).receipt,
  );
  const problem = () => (receipt.error ? problemFromError(receipt.error) : undefined);
  return (
    <section>
      <A href={`/ktpel/${params.id}`} class="back no-print">← {t('common.back')}</A>
      <Show when={sync.online()} fallback={<p class="note note-warn" data-testid="receipt-offline">{t('receipt.needsOnline')}</p>}>
        <Show when={!problem()} fallback={
          <p class="note note-bad" data-testid="receipt-problem" data-code={problem()!.code}>
            {problem()!.code === 'receipt_not_ready' ? t('receipt.notReady') : problemText(problem()!)}{' '}
            <button class="btn" onClick={() => void refetch()}>{t('common.retry')}</button>
          </p>
        }>
          <Show when={receipt()} fallback={<p class="muted">{t('common.loading')}</p>}>
            {(r) => (
              <article class="card receipt" data-testid="receipt" data-check-url={r().checkUrl}>
                <h1>{t('receipt.title')}</h1>
                <p class="small">{r().officeName}</p>
                <dl class="facts">
                  <dt>{t('receipt.number')}</dt>
                  <dd class="mono">{r().number}</dd>
                  <dt>{t('receipt.name')}</dt>
                  <dd>{r().name}</dd>
                  <dt>{t('receipt.nik')}</dt>
                  <dd class="mono">{r().nikMasked}</dd>
                  <dt>{t('receipt.acceptedAt')}</dt>
                  <dd>{dateTime(r().acceptedAt, r().officeCode)}</dd>
                  <dt>{t('receipt.validUntil')}</dt>
                  <dd>{dateTime(r().expiresAt, r().officeCode)}</dd>
                </dl>
                <QrCode
                  text={r().checkUrl}
                  label={`${t('receipt.qrLabel')}. ${t('receipt.scan')} ${t('receipt.validUntil')} ${dateTime(r().expiresAt, r().officeCode)}.`}
                  size={300}
                  testId="receipt-qr"
                />
                <p class="small">{t('receipt.scan')}</p>
                <p>{t('receipt.pickup')}</p>
                <button class="btn btn-primary no-print" data-testid="receipt-print" onClick={() => window.print()}>{t('receipt.print')}</button>
              </article>
            )}
          </Show>
        </Show>
      </Show>
    </section>
  );
}
