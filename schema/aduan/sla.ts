/** When a complaint's current SLA clock runs out, in the office's working days (SPEC.md F, SP4N-LAPOR!); pure. */
import { addWorkingDays, localToMs, type ServiceHours } from '../service-time';
import { ADUAN_RESOLUTION_DAYS_DEFAULT, ADUAN_SLA, ADUAN_STAGES, type AduanResolutionClass } from '../workflows/aduan';

export interface SlaInput {
  state: string;
  /** When the current state was entered. */
  stepStartedAt: number;
  /** When the complaint was routed to a handler (the follow-up clock's start). */
  routedAt: number | null;
  /** postponed: the local date handling resumes. */
  postponeUntil?: string;
  /**
   * Working days from routing to resolution: the office's published time for the complaint's class (set at
   * verification). Without a class, the national follow-up clock of 5 working days.
   */
  resolutionDays?: number;
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
    return addWorkingDays(hours, s.routedAt ?? s.stepStartedAt, s.resolutionDays ?? ADUAN_SLA.followUpWorkingDays);
  }
  return null;
}

/** The working days of a complaint's class in the office's published times (JSON of aduan_settings), if it has a class. */
export function resolutionDaysFor(resolutionClass: unknown, publishedJson: string | null | undefined): number | undefined {
  if (resolutionClass !== 'ringan' && resolutionClass !== 'normatif' && resolutionClass !== 'investigasi') return undefined;
  let published: Partial<Record<AduanResolutionClass, unknown>> = {};
  try {
    published = publishedJson ? (JSON.parse(publishedJson) as typeof published) : {};
  } catch {
    // A damaged setting falls back to the national times rather than stopping every clock.
  }
  const days = published[resolutionClass];
  return typeof days === 'number' && Number.isInteger(days) && days > 0 ? days : ADUAN_RESOLUTION_DAYS_DEFAULT[resolutionClass];
}
