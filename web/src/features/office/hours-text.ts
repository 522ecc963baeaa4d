/**
 * A day's opening hours as an admin types them: "08.00-12.00, 13.00-15.30" (Indonesian writes 08.00; 08:00,
 * "–" and "s/d" are fine too). Pure, so the screen and its unit tests share it; the server still validates order
 * and overlap.
 */
import type { Interval } from '../../../../schema/service-time';

const TIME = /^(\d{1,2})[.:](\d{2})$/;

function time(text: string): string | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}

/** "08.00-12.00, 13.00-15.30" → [["08:00","12:00"],["13:00","15:30"]]; "" → [] (closed); null when unreadable. */
export function parseDay(text: string): Interval[] | null {
  const trimmed = text.trim();
  if (trimmed === '' || /^(tutup|closed|-)$/i.test(trimmed)) return [];
  const out: Interval[] = [];
  for (const part of trimmed.split(/[,;]/)) {
    const ends = part.split(/\s*(?:-|–|—|s\/d|sampai|to)\s*/i);
    if (ends.length !== 2) return null;
    const open = time(ends[0]!);
    const close = time(ends[1]!);
    if (!open || !close) return null;
    out.push([open, close]);
  }
  return out;
}

/** [["08:00","12:00"],["13:00","15:30"]] → "08.00-12.00, 13.00-15.30"; [] → "". */
export function formatDay(intervals: readonly Interval[] | undefined): string {
  return (intervals ?? []).map(([o, c]) => `${o.replace(':', '.')}-${c.replace(':', '.')}`).join(', ');
}
