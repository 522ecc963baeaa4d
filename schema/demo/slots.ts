/**
 * Demo video-call slots: without them the video-call route of IKD is a dead end in a fresh demo. Two half-hour
 * slots a working day for the next two weeks, per demo office, held by its demo operator, inside service hours and
 * never on a holiday. Ids are stable per office and time, so seeding again adds only the days that came into range.
 */
import { DEMO_OFFICES, type Office } from '../offices';
import { type TimeZone, isOpenAt, localToMs, msToLocal, serviceMinutesBetween } from '../service-time';
import { type DemoAccount, DEMO_ACCOUNTS } from './index';
import { hashSeed, rng } from './random';

export interface DemoSlot {
  id: string;
  officeCode: string;
  operatorId: string;
  startsAt: number;
  endsAt: number;
  capacity: number;
}

/** Local starting times tried each day; one that does not fit the day's hours (Friday afternoon) is skipped. */
export const DEMO_SLOT_TIMES = ['09:00', '14:00'] as const;
export const DEMO_SLOT_MINUTES = 30;
export const DEMO_SLOT_DAYS = 14;

function slotId(key: string): string {
  const r = rng(hashSeed(`loket-demo-slot:${key}`));
  const hex = Array.from({ length: 32 }, () => r.int(0, 15).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[r.int(0, 3)]}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** The slots from tomorrow (office time) for DEMO_SLOT_DAYS days. */
export function demoVideoSlots(now: number, offices: readonly Office[] = DEMO_OFFICES, accounts: readonly DemoAccount[] = DEMO_ACCOUNTS): DemoSlot[] {
  const out: DemoSlot[] = [];
  for (const office of offices) {
    const operator = accounts.find((a) => a.officeCode === office.code && a.role === 'operator');
    if (!operator) continue;
    const zone = office.hours.timeZone as TimeZone;
    const today = msToLocal(zone, now).slice(0, 10);
    for (let d = 1; d <= DEMO_SLOT_DAYS; d++) {
      const day = new Date(Date.parse(`${today}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
      for (const time of DEMO_SLOT_TIMES) {
        const startsAt = localToMs(zone, `${day}T${time}`);
        const endsAt = startsAt + DEMO_SLOT_MINUTES * 60_000;
        const inside = isOpenAt(office.hours, startsAt) && isOpenAt(office.hours, endsAt - 1) && serviceMinutesBetween(office.hours, startsAt, endsAt) === DEMO_SLOT_MINUTES;
        if (!inside) continue;
        out.push({ id: slotId(`${office.code}:${day}T${time}`), officeCode: office.code, operatorId: operator.id, startsAt, endsAt, capacity: 3 });
      }
    }
  }
  return out;
}
