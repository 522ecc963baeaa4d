/** The verdict on a scanned birth-certificate QR: genuine, revoked, or why not; with the revocation list's age. */
import './messages'; // this screen's texts (registered with t() when loaded)
import { Show } from 'solid-js';
import { relative, t } from '../../i18n';
import type { BirthCheckResult } from './check';

export function BirthVerdict(props: { result: BirthCheckResult }) {
  const c = () => props.result.check;
  const ok = () => c().status === 'valid';
  return (
    <div class={`verdict ${ok() ? 'verdict-ok' : 'verdict-bad'}`} role="status" data-testid="birth-verdict" data-status={c().status}>
      <Show
        when={'registerNo' in c() ? (c() as Extract<BirthCheckResult['check'], { registerNo: string }>) : undefined}
        fallback={<h2>{t('birth.check.invalid', { reason: c().status })}</h2>}
      >
        {(v) => (
          <>
            <h2>{t(v().status === 'revoked' ? 'birth.check.revoked' : 'birth.check.valid', { no: v().registerNo })}</h2>
            <p>{t('birth.check.child', { name: v().claims.childName, date: v().claims.birthDate })}</p>
          </>
        )}
      </Show>
      <p class="muted small" data-testid="crl-age">
        {props.result.listFetchedAt ? t('birth.check.listAge', { age: relative(props.result.listFetchedAt) }) : t('birth.check.noList')}
      </p>
    </div>
  );
}
