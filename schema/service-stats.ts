/** Statistics of SOP step durations for the service-time dashboard: count, median, p90, overrun share; pure. */

/**
 * The p-th percentile by the nearest-rank method (the smallest value with at least p% of values at or below it),
 * so every figure shown is one a real case took. Null for no values.
 * @example percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) // 9
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Median as the mean of the two middle values for an even count (the usual definition users check by hand). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface StepStats {
  count: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
  standardMinutes: number | null;
  /** Share (0–1) of steps that took longer than the standard; null without a standard or without steps. */
  overrunShare: number | null;
}

/** Stats of one step's service-time durations (minutes) against its standard. */
export function stepStats(durations: readonly number[], standardMinutes: number | null): StepStats {
  const over = standardMinutes === null ? 0 : durations.filter((d) => d > standardMinutes).length;
  return {
    count: durations.length,
    medianMinutes: median(durations),
    p90Minutes: percentile(durations, 90),
    standardMinutes,
    overrunShare: standardMinutes === null || durations.length === 0 ? null : over / durations.length,
  };
}
