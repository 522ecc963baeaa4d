/**
 * Public check of a birth certificate (no account): the QR's text after `#q=` is verified on this device with the
 * cached office keys (offline too), and an uploaded PDF is compared online with the hash of the file the office
 * signed, so a copy with one changed byte fails.
 */
import './messages'; // this screen's texts (registered with t() when loaded)
import { Show, createSignal, onMount } from 'solid-js';
import { b64u } from '../../../../schema/ktp/bytes';
import { t } from '../../i18n';
import { refreshKeys } from '../ktp/checker-store';
import { BirthVerdict } from './BirthVerdict';
import { type BirthCheckResult, checkBirthQr } from './check';

type PdfAnswer = { match: boolean; certificate?: { status: string; registerNo: string } };

export default function VerifyPage() {
  const [qr, setQr] = createSignal<BirthCheckResult>();
  const [pdf, setPdf] = createSignal<PdfAnswer>();
  const [problem, setProblem] = createSignal<string>();

  onMount(async () => {
    const q = new URLSearchParams(location.hash.slice(1)).get('q');
    if (navigator.onLine) await refreshKeys().catch(() => undefined);
    if (q) setQr(await checkBirthQr(b64u.decode(q)));
  });

  async function onPdf(file: File | undefined) {
    if (!file) return;
    setProblem(undefined);
    setPdf(undefined);
    try {
      const res = await fetch('/api/birth/verify-pdf', { method: 'POST', body: file, headers: { 'content-type': 'application/pdf' } });
      if (!res.ok) throw new Error(String(res.status));
      setPdf((await res.json()) as PdfAnswer);
    } catch {
      setProblem(t('birth.verify.offline'));
    }
  }

  return (
    <section data-testid="birth-verify-page">
      <h1>{t('birth.verify.title')}</h1>
      <Show when={qr()}>{(r) => <BirthVerdict result={r()} />}</Show>
      <label class="field">
        <span>{t('birth.verify.pdf')}</span>
        <input type="file" accept="application/pdf" data-testid="verify-pdf" onChange={(e) => void onPdf(e.currentTarget.files?.[0])} />
      </label>
      <Show when={pdf()}>
        {(a) => (
          <p class={`verdict ${a().match && a().certificate?.status === 'valid' ? 'verdict-ok' : 'verdict-bad'}`} data-testid="pdf-verdict" data-match={String(a().match)} data-status={a().certificate?.status ?? ''}>
            {a().match
              ? t(a().certificate?.status === 'revoked' ? 'birth.verify.matchRevoked' : 'birth.verify.match', { no: a().certificate?.registerNo ?? '' })
              : t('birth.verify.noMatch')}
          </p>
        )}
      </Show>
      <Show when={problem()}><p class="note note-bad">{problem()}</p></Show>
    </section>
  );
}
