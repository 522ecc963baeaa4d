// The checker's copy of the certificate QR's first byte must be the format's own.
import { describe, expect, it } from 'vitest';
import { BIRTH_QR_MAGIC } from '../../../../schema/birth-qr';
import { BIRTH_QR_FIRST_BYTE } from './qr-kind';

describe('birth QR kind', () => {
  it('is the magic byte of the certificate QR format', () => {
    expect(BIRTH_QR_FIRST_BYTE).toBe(BIRTH_QR_MAGIC);
  });
});
