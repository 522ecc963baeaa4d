/**
 * The RETAS assignment letter's QR checked on a teacher's phone: GENUINE online (with the event's cancellation
 * asked of the server), still GENUINE with the network really cut (app shell from the service worker, office keys
 * from IndexedDB, the cancellation said to be unchecked), and NOT GENUINE with one character of the signature changed.
 */
import { describe, expect, it } from 'vitest';
import { cutNetwork, newContext, sharedBrowser, waitForServiceWorker } from './helpers';
import { eventWithSignedLetter } from './retas-kit';

const OFFICE = '15.71';

describe('RETAS letter check offline', () => {
  const browser = sharedBrowser();

  it('GENUINE online and with the network cut (cached office keys); NOT GENUINE when the signature is changed', async () => {
    const { verifyUrl, kabidCtx, kadisCtx } = await eventWithSignedLetter(
      browser(),
      OFFICE,
      { npsn: '10507772', name: 'SMA NEGERI 8 JAMBI', address: 'Jl. Uji Coba 8', shortName: 'SMAN 8' },
      { date: '2027-02-10', expectedStudents: 40, equipment: ['mobile_unit'] },
    );
    const link = new URL(verifyUrl);
    expect(link.pathname).toBe('/v/surat-tugas');

    // A teacher's phone: no account; the QR link opens the check page.
    const phone = await newContext(browser());
    const checker = await phone.newPage();
    const errors: string[] = [];
    checker.on('pageerror', (e) => errors.push(String(e)));
    const verdict = async () => {
      const el = checker.getByTestId('letter-verdict');
      await el.waitFor();
      return { verdict: await el.getAttribute('data-verdict'), cancelChecked: await el.getAttribute('data-cancel-checked'), reason: await el.getAttribute('data-reason'), text: (await el.textContent()) ?? '' };
    };
    await checker.goto(`${link.pathname}${link.hash}`);
    const online = await verdict();
    expect(online).toMatchObject({ verdict: 'genuine', cancelChecked: 'true' });
    expect(online.text).toContain('SMA NEGERI 8 JAMBI');
    await waitForServiceWorker(checker);

    // The network really cut (every request aborted): the shell from the service worker, the keys from IndexedDB.
    await cutNetwork(phone);
    await checker.goto('/');
    await checker.goto(`${link.pathname}${link.hash}`);
    const offline = await verdict();
    expect(offline).toMatchObject({ verdict: 'genuine', cancelChecked: 'false' });
    expect(offline.text).toContain('SMA NEGERI 8 JAMBI');
    await checker.getByTestId('letter-offline').waitFor();

    // One character of the signature changed: not genuine, with the reason, still offline.
    const token = link.hash.slice('#t='.length);
    const sig = token.split('.')[2]!;
    const forged = `${token.split('.').slice(0, 2).join('.')}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    await checker.goto('/');
    await checker.goto(`${link.pathname}#t=${forged}`);
    const fake = await verdict();
    expect(fake.verdict).toBe('fake');
    expect(['tampered', 'malformed']).toContain(fake.reason);
    expect(errors).toEqual([]);
    await Promise.all([kabidCtx.close(), kadisCtx.close(), phone.close()]);
  });
});
