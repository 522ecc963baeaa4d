// The demo's video-call slots (schema/demo/slots.ts): future, inside service hours, one operator never double-booked.
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../schema/demo';
import { DEMO_SLOT_DAYS, demoVideoSlots } from '../../schema/demo/slots';
import { DEMO_OFFICES } from '../../schema/offices';
import { isOpenAt, serviceMinutesBetween } from '../../schema/service-time';

const NOW = Date.parse('2026-12-20T03:00:00Z'); // a Sunday; Christmas and joint leave fall in the next two weeks

describe('demo video-call slots', () => {
  const slots = demoVideoSlots(NOW);

  it('gives every demo office slots held by its operator, all in the next two weeks', () => {
    for (const office of DEMO_OFFICES) {
      const own = slots.filter((s) => s.officeCode === office.code);
      expect(own.length).toBeGreaterThan(5);
      const operator = DEMO_ACCOUNTS.find((a) => a.officeCode === office.code && a.role === 'operator')!;
      expect(new Set(own.map((s) => s.operatorId))).toEqual(new Set([operator.id]));
    }
    for (const s of slots) {
      expect(s.startsAt).toBeGreaterThan(NOW);
      expect(s.startsAt).toBeLessThan(NOW + (DEMO_SLOT_DAYS + 1) * 86_400_000);
      expect(s.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('keeps every slot inside its office hours, off holidays, and never overlapping another of the same operator', () => {
    for (const s of slots) {
      const office = DEMO_OFFICES.find((o) => o.code === s.officeCode)!;
      expect(isOpenAt(office.hours, s.startsAt) && isOpenAt(office.hours, s.endsAt - 1)).toBe(true);
      expect(serviceMinutesBetween(office.hours, s.startsAt, s.endsAt)).toBe((s.endsAt - s.startsAt) / 60_000);
      const day = new Date(s.startsAt + 8 * 3_600_000).toISOString().slice(0, 10);
      expect(office.hours.holidays.some((h) => h.date === day)).toBe(false);
    }
    const sorted = [...slots].sort((a, b) => a.operatorId.localeCompare(b.operatorId) || a.startsAt - b.startsAt);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.operatorId === sorted[i - 1]!.operatorId) expect(sorted[i]!.startsAt).toBeGreaterThanOrEqual(sorted[i - 1]!.endsAt);
    }
  });

  it('makes the same ids when seeded again, so a re-seed adds nothing twice', () => {
    expect(demoVideoSlots(NOW).map((s) => s.id)).toEqual(slots.map((s) => s.id));
    expect(new Set(slots.map((s) => s.id)).size).toBe(slots.length);
  });
});
