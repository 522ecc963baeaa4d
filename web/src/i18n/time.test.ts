// Every time shown to a person names its office's zone (WIB/WITA/WIT), also on a resident's phone set to another zone.
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_OFFICES } from '../../../schema/offices';
import { TIME_ZONE_LABELS } from '../../../schema/service-time';
import { officeZone } from '../zones';
import { dateTime, deviceZoneLabel, setDisplayOffice, setResidentOffice } from './index';

const at = Date.parse('2026-11-23T01:00:00Z'); // 09.00 WITA, 08.00 WIB

afterEach(() => {
  setDisplayOffice(undefined);
  setResidentOffice(undefined);
});

describe('times in the office zone', () => {
  it('labels each office by the zone its hours are kept in', () => {
    for (const office of DEMO_OFFICES) {
      expect(officeZone(office.code).iana).toBe(office.hours.timeZone);
      expect(officeZone(office.code).abbr).toBe(TIME_ZONE_LABELS[office.hours.timeZone]);
    }
  });

  it("shows a resident's times (a blocked phone's notice) in the resident's office zone, not the phone's", () => {
    // Nothing known yet: the phone's own zone, still named ("UTC+0" on a phone set to UTC).
    expect(dateTime(at).endsWith(` ${deviceZoneLabel(new Date(at))}`)).toBe(true);
    setResidentOffice('63.09');
    expect(dateTime(at)).toMatch(/09[.:]00 WITA$/);
    setResidentOffice('15.71');
    expect(dateTime(at)).toMatch(/08[.:]00 WIB$/);
  });

  it("prefers the signed-in staff office, and an explicitly named office over both", () => {
    setResidentOffice('63.09');
    setDisplayOffice('15.71');
    expect(dateTime(at)).toMatch(/08[.:]00 WIB$/);
    expect(dateTime(at, '63.09')).toMatch(/09[.:]00 WITA$/);
    expect(dateTime(at, '94.01')).toMatch(/10[.:]00 WIT$/);
  });
});
