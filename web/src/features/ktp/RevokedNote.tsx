/** The note a resident sees when this phone's IKD key was blocked or released: what happened, when, what to do. */
import { A } from '@solidjs/router';
import { dateTime } from '../../i18n';
import type { KnownDeviceStatus } from './device-status';
import { type KtpMsg, kt } from './texts';

export function RevokedNote(props: { known: Pick<KnownDeviceStatus, 'status' | 'changedAt'>; lead?: string }) {
  const when = () => (props.known.changedAt ? dateTime(props.known.changedAt) : '—');
  const which = () => (props.known.status === 'blocked' ? 'blocked' : props.known.status === 'released' ? 'released' : 'notBound');
  return (
    <div class="note note-bad" role="alert" data-testid="ktp-revoked" data-status={props.known.status}>
      {props.lead && <p>{props.lead}</p>}
      <p><strong>{kt(`ktp.status.${which()}` as KtpMsg, { date: when() })}</strong></p>
      <p>{kt(`ktp.status.${which()}Todo` as KtpMsg)}</p>
      {props.lead === undefined && <p><A href="/ikd" class="btn">{kt('ktp.status.ikdLink')}</A></p>}
    </div>
  );
}

