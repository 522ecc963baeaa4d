/** When a complaint's current SLA clock runs out, in the office's working days (SPEC.md F, SP4N-LAPOR!); pure. */
import { addWorkingDays, localToMs, type ServiceHours } from '../service-time';
import { ADUAN_SLA, ADUAN_STAGES } from '../workflows/aduan';

export interface SlaInput {
  state: string;
  /** When the current state was entered. */
  stepStartedAt: number;
  /** When the complaint was routed to a handler (the follow-up clock's start). */
  routedAt: number | null;
  /** postponed: the local date handling resumes. */
  postponeUntil?: string;
}

/**
 * Due instant of the current clock, or null when no clock runs (final states, resolved).
 * @example aduanDueAt(tabalong, { state: 'received', stepStartedAt: fri0900, routedAt: null }) // Wed 16:00 WITA
 */
export function aduanDueAt(hours: ServiceHours, s: SlaInput): number | null {
  if (s.state === 'received') return addWorkingDays(hours, s.stepStartedAt, ADUAN_SLA.verifyWorkingDays);
  if (s.state === 'verified') return addWorkingDays(hours, s.stepStartedAt, ADUAN_SLA.assignWorkingDays);
  if (s.state === 'postponed') return s.postponeUntil ? localToMs(hours.timeZone, `${s.postponeUntil}T00:00`) : null;
  if ((ADUAN_STAGES as readonly string[]).includes(s.state)) {
    return addWorkingDays(hours, s.routedAt ?? s.stepStartedAt, ADUAN_SLA.followUpWorkingDays);
  }
  return null;
}
