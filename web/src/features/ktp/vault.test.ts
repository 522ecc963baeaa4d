/** The PIN-sealed credential: opens with the right PIN and device binding only, and keeps no plaintext. */
import { describe, expect, it } from 'vitest';
import { open, seal } from './vault';

// Four PBKDF2 runs of 600,000 iterations: ~0.4 s each on a quiet core, several seconds when the machine is busy
// (CI runs this beside the PWA build), so the default 5 s is too tight to be deterministic.
describe('vault', { timeout: 30_000 }, () => {
  it('opens with the right PIN and context, not with another PIN or for another device key', async () => {
    const value = { credential: 'S0sB', holder: { name: 'SITI AMINAH' } };
    const sealed = await seal(value, '602417', 'loket-ktp:thumb-a');
    expect(await open(sealed, '602417', 'loket-ktp:thumb-a')).toEqual(value);
    expect(await open(sealed, '602418', 'loket-ktp:thumb-a')).toBeUndefined();
    expect(await open(sealed, '602417', 'loket-ktp:thumb-b')).toBeUndefined();
    expect(new TextDecoder('latin1').decode(sealed.ciphertext)).not.toContain('SITI');
    expect(sealed.kdf.iterations).toBeGreaterThanOrEqual(600_000);
  });

  it('uses a fresh salt and IV each time', async () => {
    const a = await seal({ x: 1 }, '602417', 'ctx');
    const b = await seal({ x: 1 }, '602417', 'ctx');
    expect(a.kdf.salt).not.toBe(b.kdf.salt);
    expect(a.iv).not.toBe(b.iv);
  });
});
