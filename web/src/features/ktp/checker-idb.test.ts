// Which of an installed checker's old list rows (app database) are copied into the checkers' own store.
import { describe, expect, it } from 'vitest';
import { isCheckerList, listsToCopy } from './checker-idb';

const row = (name: string, fetchedAt: number) => ({ name, value: { name }, fetchedAt });

describe('copying the checker lists out of the app database', () => {
  it('takes the office keys, the blocked list and revocation lists, not the partner form requirements', () => {
    expect(['jwks', 'blocked', 'crl:63.09'].every(isCheckerList)).toBe(true);
    expect(isCheckerList('req:63.09')).toBe(false);
    expect(isCheckerList('#migrated')).toBe(false);
    const copied = listsToCopy([row('jwks', 10), row('blocked', 11), row('crl:63.09', 12), row('req:63.09', 13)], new Map());
    expect(copied.map((r) => r.name).sort()).toEqual(['blocked', 'crl:63.09', 'jwks']);
    expect(copied.find((r) => r.name === 'jwks')).toEqual(row('jwks', 10));
  });

  it('never replaces a list fetched since the update with the older copy', () => {
    const copied = listsToCopy([row('jwks', 10), row('blocked', 50)], new Map([['jwks', 20], ['blocked', 40]]));
    expect(copied).toEqual([row('blocked', 50)]);
  });

  it('keeps the newest when a name appears twice and skips rows without a fetch time', () => {
    const copied = listsToCopy([row('jwks', 10), row('jwks', 30), row('jwks', 20), { name: 'blocked', value: 1 } as never], new Map());
    expect(copied).toEqual([row('jwks', 30)]);
  });
});
