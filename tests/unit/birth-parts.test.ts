/** The chunked-upload arithmetic the PWA and the Worker share: parts cover the file exactly once, in order. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_PART_BYTES, partCount, partLength } from '../../schema/workflows/birth';

describe('attachment parts', () => {
  it('a file of at most one part is one part; the last part holds the rest', () => {
    expect([partCount(1), partCount(ATTACHMENT_PART_BYTES), partCount(ATTACHMENT_PART_BYTES + 1)]).toEqual([1, 1, 2]);
    expect(partLength(ATTACHMENT_PART_BYTES + 1, 1)).toBe(1);
    expect(partCount(ATTACHMENT_MAX_BYTES)).toBe(20);
  });

  it('for every allowed size the parts add up to the file, each non-empty and none over the part size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: ATTACHMENT_MAX_BYTES }), (size) => {
        const lengths = Array.from({ length: partCount(size) }, (_, n) => partLength(size, n));
        expect(lengths.reduce((a, b) => a + b, 0)).toBe(size);
        expect(lengths.every((l) => l > 0 && l <= ATTACHMENT_PART_BYTES)).toBe(true);
        expect(lengths.slice(0, -1).every((l) => l === ATTACHMENT_PART_BYTES)).toBe(true);
      }),
    );
  });
});
