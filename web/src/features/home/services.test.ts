// The home screen's copy of who works KTP-el must match the SOP table it stands in for.
import { describe, expect, it } from 'vitest';
import { ktpel } from '../../../../schema/workflows/ktpel';
import { KTPEL_ROLES, KTPEL_TITLE } from './services';

describe('home services', () => {
  it('names the KTP-el roles and title of the SOP table', () => {
    const fromTable = new Set<string>([...Object.values(ktpel.actions).flatMap((a) => a.roles), 'admin', 'head_of_division', 'head_of_office']);
    expect(new Set(KTPEL_ROLES)).toEqual(fromTable);
    expect(KTPEL_TITLE).toEqual(ktpel.title);
  });
});
