import { describe, expect, it } from 'vitest';
import { UUIDV7_RE, uuidv7, uuidv7Time } from './uuidv7';
import { Uuid7 } from '../../../schema/contracts/sync';

describe('uuidv7', () => {
  it('makes RFC 9562 version-7 ids the server contract accepts, carrying the time', () => {
    const now = Date.UTC(2026, 10, 23, 8, 30);
    const id = uuidv7(now);
    expect(id).toMatch(UUIDV7_RE);
    expect(Uuid7.safeParse(id).success).toBe(true);
    expect(uuidv7Time(id)).toBe(now);
  });

  it('sorts in creation order, even many in the same millisecond and when the clock steps back', () => {
    const t = Date.UTC(2027, 0, 1);
    const ids = [...Array.from({ length: 5000 }, () => uuidv7(t)), uuidv7(t - 60_000), uuidv7(t + 1)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
