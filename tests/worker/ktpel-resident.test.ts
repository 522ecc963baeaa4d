/** A resident applies for a KTP-el from their phone (SPEC C): signed in with PIN and device, an active IKD, the online channel. */
import { describe, expect, it } from 'vitest';
import { uuid7 } from '../../schema/ids';
import { activeResident, addResident, push, register, staff } from './ikd-kit';

const application = (nik: string, channel = 'online') => ({ id: uuid7(), type: 'create', caseId: uuid7(), service: 'ktpel', input: { nik, reason: 'rusak', channel, notes: 'kartu retak' } });

describe('KTP-el application from the resident\'s phone', () => {
  it('is taken from a resident with an active IKD, for themselves, and the office sees it like a counter application', async () => {
    const a = await activeResident();
    const cmd = application(a.resident.nik);
    const [r] = await push(a.session, [cmd]);
    expect(r).toMatchObject({ status: 'applied', case: { service: 'ktpel', state: 'submitted', officeCode: '63.09' } });
    // The resident follows it in their own change feed, with the step's due time.
    const pull = await a.session.fetch('/api/sync/pull?cursor=0&limit=50');
    const feed = (await pull.json()) as { cases: { id: string; service: string; state: string; dueAt: number | null }[] };
    const mine = feed.cases.find((c) => c.id === cmd.caseId);
    expect(mine).toMatchObject({ service: 'ktpel', state: 'submitted' });
    expect(mine!.dueAt).toBeGreaterThan(0);
    // The front office accepts it as any other.
    const fo = await staff(['front_office']);
    const [accepted] = await push(fo, [{ id: uuid7(), type: 'action', caseId: cmd.caseId, action: 'accept', baseVersion: 1, input: {} }]);
    expect(accepted).toMatchObject({ status: 'applied', case: { state: 'accepted' } });
  });

  it('refuses another person\'s NIK, the counter channel, and a resident not signed in with PIN and device', async () => {
    const a = await activeResident();
    const other = await addResident();
    const [foreign] = await push(a.session, [application(other.nik)]);
    expect(foreign).toMatchObject({ status: 'rejected', problem: { code: 'forbidden_object' } });
    const [counter] = await push(a.session, [application(a.resident.nik, 'counter')]);
    expect(counter).toMatchObject({ status: 'rejected', problem: { code: 'validation_failed' } });

    // Registered but not activated: a registration session, no PIN sign-in yet.
    const fresh = await addResident();
    const registered = await register(fresh);
    const [early] = await push(registered, [application(fresh.nik)]);
    expect(early).toMatchObject({ status: 'rejected', problem: { code: 'assurance_insufficient' } });
  });
});
